package enterprise

import "testing"

func TestAmounts(t *testing.T) {
	for _, c := range []struct {
		in   string
		yuan int64
		ok   bool
	}{
		{"", 0, true}, {"0", 0, true}, {"12", 120_000, true}, {"1250.5", 12_505_000, true}, {"0.01", 100, true},
		{"3.10", 31_000, true}, {"1.234", 0, false}, {"-3", 0, false}, {"1.-5", 0, false}, {".5", 0, false},
		{"一百", 0, false}, {"922337203685477", 0, false},
	} {
		got, ok := ParseWan(c.in)
		if ok != c.ok || got != c.yuan {
			t.Errorf("ParseWan(%q) = %d, %v; want %d, %v", c.in, got, ok, c.yuan, c.ok)
		}
		if ok && c.in != "" {
			if back, _ := ParseWan(FormatWan(got)); back != got {
				t.Errorf("%q: FormatWan %q reads back as %d", c.in, FormatWan(got), back)
			}
		}
	}
	for yuan, want := range map[int64]string{0: "0", 120_000: "12", 12_505_000: "1250.5", 100: "0.01", 31_000: "3.1", 7_030_049: "703", 7_030_050: "703.01"} {
		if got := FormatWan(yuan); got != want {
			t.Errorf("FormatWan(%d) = %q, want %q", yuan, got, want)
		}
	}
}
