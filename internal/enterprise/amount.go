package enterprise

import (
	"math"
	"strconv"
	"strings"
)

// Amounts are typed and shown in 万元 (ten thousand yuan) with at most two
// decimals, and kept in yuan; shares in per cent with two decimals, kept in
// hundredths of a per cent. Both are a number of hundredths as typed.

// ParseHundredths reads a number ≥ 0 with at most two decimals as a person
// types it ("1250.5") and returns it in hundredths (125050).
func ParseHundredths(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || strings.ContainsAny(frac, "+-") {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > math.MaxInt64/10000-1 {
		return 0, false
	}
	frac += strings.Repeat("0", 2-len(frac))
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, false
	}
	return w*100 + f, true
}

// ParseWan reads an amount in 万元 as typed and returns it in yuan; an empty
// field is 0.
func ParseWan(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	h, ok := ParseHundredths(s)
	return h * 100, ok
}

// FormatHundredths writes hundredths as a decimal without trailing zeros:
// 125050 is "1250.5".
func FormatHundredths(n int64) string {
	s := strconv.FormatInt(n/100, 10)
	switch frac := n % 100; {
	case frac == 0:
		return s
	case frac%10 == 0:
		return s + "." + strconv.FormatInt(frac/10, 10)
	default:
		return s + "." + strconv.FormatInt(frac/10, 10) + strconv.FormatInt(frac%10, 10)
	}
}

// FormatWan writes yuan as 万元 without trailing zeros, to the hundredth.
func FormatWan(yuan int64) string { return FormatHundredths((yuan + 50) / 100) }
