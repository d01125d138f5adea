package enterprise

import "testing"

// FuzzMobile checks the phone rules on any input: normalizing never panics,
// is idempotent, and a valid number stays valid once normalized.
func FuzzMobile(f *testing.F) {
	for _, s := range []string{"13805741234", "138 0574 1234", "+86 138-0574-1234", "12345", "", "１３８０５７４１２３４", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeMobile(s)
		if NormalizeMobile(n) != n {
			t.Errorf("NormalizeMobile not idempotent: %q → %q → %q", s, n, NormalizeMobile(n))
		}
		if ValidMobile(n) && len(n) != 11 {
			t.Errorf("valid mobile %q of %d bytes", n, len(n))
		}
	})
}
