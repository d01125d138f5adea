package account

import (
	"encoding/base32"
	"testing"
	"time"
)

// TestTOTP checks the codes against RFC 6238's test vectors (SHA-1, the
// last six digits) and the window a code is good in, once.
func TestTOTP(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	for _, tt := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		if got, err := TOTPCode(secret, tt.unix/30); err != nil || got != tt.want {
			t.Errorf("T = %d: %s, %v; want %s", tt.unix, got, err, tt.want)
		}
	}
	now := time.Unix(1111111111, 0)
	code, _ := TOTPCode(secret, TOTPStepOf(now)-1)
	step, ok := CheckTOTP(secret, code, now, 0)
	if !ok {
		t.Fatal("the code of the step before is refused")
	}
	if _, ok := CheckTOTP(secret, code, now, step); ok {
		t.Error("a code is taken twice")
	}
	old, _ := TOTPCode(secret, TOTPStepOf(now)-3)
	if _, ok := CheckTOTP(secret, old, now, 0); ok {
		t.Error("a code of 90 seconds ago is taken")
	}
	if _, ok := CheckTOTP(secret, "12345", now, 0); ok {
		t.Error("five digits are taken")
	}
	if len(NewTOTPSecret()) != 32 || TOTPURI("ABC", "admin") == "" {
		t.Error("secret or address malformed")
	}
}
