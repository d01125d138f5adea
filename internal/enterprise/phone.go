package enterprise

import "strings"

// ValidMobile reports whether s is a mainland mobile number in the bare form
// NormalizeMobile returns: 11 digits, a 1 and then 3 to 9.
func ValidMobile(s string) bool {
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NormalizeMobile reduces a mobile number to its bare 11 digits, dropping a
// +86, 0086 or 86 prefix, spaces, hyphens and brackets and turning full-width
// digits into ASCII ("+86 138-1234-5678" → "13812345678"). Anything that does
// not reduce to 11 digits comes back only trimmed, so that ValidMobile
// rejects it and the form shows what was typed.
func NormalizeMobile(s string) string {
	s = strings.TrimFunc(strings.Map(foldWidth, s), isBlank)
	var b strings.Builder
	for _, r := range s {
		switch {
		case '0' <= r && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return s
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "+86"):
		d = d[3:]
	case strings.HasPrefix(d, "0086"):
		d = d[4:]
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	}
	if len(d) != 11 || d[0] == '+' {
		return s
	}
	return d
}
