package access

import "strings"

// MaskPhone hides the middle of a phone number: "13812345678" becomes
// "138****5678". Numbers of 11 characters or more keep their first 3 and last
// 4; shorter ones are masked by maskShort.
func MaskPhone(s string) string {
	r := []rune(s)
	if len(r) >= 11 {
		return maskMiddle(r, 3, 4)
	}
	return maskShort(r)
}

// MaskIDNumber hides the middle of a resident identity card number (居民身份证
// 号码), birth date included: an 18- or 15-character number keeps its first 3
// and last 4 ("330206199001011234" → "330***********1234"). Shorter strings
// are masked by maskShort.
func MaskIDNumber(s string) string {
	r := []rune(s)
	if len(r) >= 15 {
		return maskMiddle(r, 3, 4)
	}
	return maskShort(r)
}

// MaskName keeps the first character of a person's name and hides the rest
// (张三 → 张*, 欧阳娜娜 → 欧***). A one-character name is hidden entirely.
func MaskName(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) == 1 {
		return "*"
	}
	return maskMiddle(r, min(len(r), 1), 0)
}

// maskShort masks a string too short for its usual pattern: it keeps about a
// quarter at each end, so that at least half is always hidden.
func maskShort(r []rune) string { return maskMiddle(r, len(r)/4, (len(r)+1)/4) }

// maskMiddle keeps head runes at the front and tail at the end and replaces
// the rest with one asterisk each.
func maskMiddle(r []rune, head, tail int) string {
	var b strings.Builder
	b.WriteString(string(r[:head]))
	b.WriteString(strings.Repeat("*", len(r)-head-tail))
	b.WriteString(string(r[len(r)-tail:]))
	return b.String()
}
