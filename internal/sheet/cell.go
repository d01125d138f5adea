package sheet

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"qifu/internal/enterprise"
)

// This file turns cell text into values and back. Cells are read raw (the
// value stored in the file, not the text Excel displays), so a phone number
// typed into a number cell arrives as "13812345678", and one pasted as text
// may arrive as "1.3812345678E+10" or "13812345678.0".

// cleanText trims a cell's text, including full-width and non-breaking spaces.
func cleanText(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || r == '\ufeff' })
}

// codeText returns the text of a cell that holds an identifier (a code or a
// phone number) that may have been stored as a number: "13812345678.0" and
// "1.3812345678E+10" become "13812345678". Text that is not a plain integral
// number is returned trimmed but otherwise unchanged.
func codeText(s string) string {
	s = cleanText(s)
	if s == "" || !strings.ContainsAny(s, ".eE") {
		return s
	}
	if i := strings.IndexByte(s, '.'); i > 0 && !strings.ContainsAny(s, "eE") {
		if allDigits(s[:i]) && strings.Trim(s[i+1:], "0") == "" {
			return s[:i]
		}
		return s
	}
	// Scientific notation: only for numbers, and only when integral and
	// within float64's exact integer range, since anything beyond that has
	// already lost digits in Excel.
	if !looksNumeric(s) {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f != math.Trunc(f) || f >= 1<<53 {
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// looksNumeric reports whether s is made only of the characters of a decimal
// number in plain or scientific notation, so that a credit code such as
// "91330206MA2H0E001K" is never taken for one.
func looksNumeric(s string) bool {
	digits := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case r == '.' || r == 'e' || r == 'E':
		case (r == '+' || r == '-') && (i == 0 || s[i-1] == 'e' || s[i-1] == 'E'):
		default:
			return false
		}
	}
	return digits
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// The errors of the number parsers; the reader turns them into messages.
var (
	errNotNumber  = errors.New("not a number")
	errNegative   = errors.New("negative")
	errFraction   = errors.New("too many decimals")
	errOutOfRange = errors.New("out of range")
)

// parseCount parses a count of people: a non-negative whole number, possibly
// stored as "12.0" or with thousands separators.
func parseCount(s string) (int, error) {
	s = strings.ReplaceAll(codeText(s), ",", "")
	if s == "" {
		return 0, nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, errNegative
	}
	if !allDigits(s) {
		if looksNumeric(s) {
			return 0, errFraction
		}
		return 0, errNotNumber
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > 10_000_000 {
		return 0, errOutOfRange
	}
	return n, nil
}

// maxWanDigits bounds the integer digits of an amount in 万元, so that the
// amount in yuan fits an int64 with room to spare.
const maxWanDigits = 12

// parseWan parses an amount in 万元 (ten thousand yuan) with at most two
// decimals and returns it in yuan. Thousands separators and a trailing unit
// are accepted. A raw number cell may carry binary noise ("1234.5600000001");
// such a value is rounded to two decimals when it is that close to them.
func parseWan(s string) (int64, error) {
	s = cleanText(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "万元"), "万")
	s = strings.Map(func(r rune) rune {
		if r == ',' || r == '，' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return 0, nil
	}
	if strings.HasPrefix(s, "-") {
		return 0, errNegative
	}
	s = strings.TrimPrefix(s, "+")
	if !looksNumeric(s) {
		return 0, errNotNumber
	}
	if strings.ContainsAny(s, "eE") {
		return wanFromFloat(s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if !allDigits(whole) || (frac != "" && !allDigits(frac)) || strings.Count(s, ".") > 1 {
		return 0, errNotNumber
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > maxWanDigits {
		return 0, errOutOfRange
	}
	if len(frac) > 2 {
		if strings.Trim(frac[2:], "0") == "" {
			frac = frac[:2]
		} else {
			return wanFromFloat(s)
		}
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, _ := strconv.ParseInt("0"+whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*10000 + f*100, nil
}

// wanFromFloat handles the amounts parseWan cannot take digit by digit:
// scientific notation, and decimals beyond the second that are only the
// noise of a binary number.
func wanFromFloat(s string) (int64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, errNotNumber
	}
	if f < 0 {
		return 0, errNegative
	}
	if f >= math.Pow10(maxWanDigits) {
		return 0, errOutOfRange
	}
	cents := math.Round(f * 100)
	if math.Abs(f*100-cents) > 1e-6 {
		return 0, errFraction
	}
	return int64(cents) * 100, nil
}

// formatWan writes an amount in yuan as 万元 with two decimals, rounding half
// away from zero.
func formatWan(yuan int64) string {
	neg := yuan < 0
	if neg {
		yuan = -yuan
	}
	cents := (yuan + 50) / 100
	s := strconv.FormatInt(cents/100, 10) + "." + strconv.FormatInt(cents%100/10, 10) + strconv.FormatInt(cents%10, 10)
	if neg {
		s = "-" + s
	}
	return s
}

// The spellings accepted for yes and no, compared case-insensitively.
var (
	yesWords = []string{"是", "y", "yes", "1", "true", "√", "有"}
	noWords  = []string{"否", "n", "no", "0", "false", "×", "无", ""}
)

// parseYesNo parses a yes/no cell; ok is false for text that is neither.
func parseYesNo(s string) (yes, ok bool) {
	s = strings.ToLower(cleanText(s))
	switch {
	case slices.Contains(yesWords, s):
		return true, true
	case slices.Contains(noWords, s):
		return false, true
	}
	return false, false
}

// yesNo writes a boolean the way the import reads it back.
func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// tagSeparators are the separators accepted between tags.
const tagSeparators = "、,，;；"

// splitTags splits a cell into tags, dropping empty ones and repeats.
func splitTags(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(tagSeparators, r) })
	var tags []string
	for _, f := range fields {
		f = cleanText(f)
		if f == "" || slices.Contains(tags, f) {
			continue
		}
		tags = append(tags, f)
	}
	return tags
}

// industryText reduces an industry code written as "C34", "34", "3411" or
// "C3411" to its two-digit division "34", and gives back the zero a number
// cell drops ("5" for "05"). A section letter that does not match the
// division is kept, so that the validator rejects the code rather than guess.
// Text that is not a code is returned trimmed.
func industryText(s string) string {
	s = strings.ToUpper(codeText(s))
	digits, letter := s, ""
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' {
		digits, letter = s[1:], s[:1]
	}
	if !allDigits(digits) || len(digits) > 4 {
		return s
	}
	if len(digits) == 1 {
		digits = "0" + digits
	}
	d, ok := enterprise.DivisionByCode(digits[:2])
	if !ok || (letter != "" && letter != d.Section) {
		return s
	}
	return d.Code
}

// headerKey normalizes a header cell for matching: spaces are dropped, full-
// width parentheses become ASCII ones, and a leading "*" (a common mark for a
// required column) is ignored.
func headerKey(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r) || r == '\u00a0' || r == '\ufeff':
			return -1
		case r == '（':
			return '('
		case r == '）':
			return ')'
		}
		return r
	}, s)
	return strings.TrimLeft(s, "*＊")
}
