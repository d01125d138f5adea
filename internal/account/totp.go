package account

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"

	"qifu/internal/access"
)

// Two-factor sign-in with an authenticator app (TOTP, RFC 6238): the app
// and qifu share a secret, and every 30 seconds both derive a six-digit
// code from it and the time.

// TOTPStep is the time a code lasts.
const TOTPStep = 30 * time.Second

// NeedsSecondFactor reports whether users of role must sign in with a
// second factor: administrators and auditors, who reach every record or
// the whole audit log. Other staff may choose it.
func NeedsSecondFactor(r access.Role) bool { return r == access.RoleAdmin || r == access.RoleAuditor }

// NewTOTPSecret returns a random secret, base32 as authenticator apps take it.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// TOTPURI is the otpauth:// address an app reads from a QR code.
func TOTPURI(secret, username string) string {
	label := url.PathEscape("qifu:" + username)
	q := url.Values{"secret": {secret}, "issuer": {"qifu"}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// TOTPCode is the code of secret for the time step n (Unix time ÷ 30 s).
func TOTPCode(secret string, n int64) (string, error) {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return "", fmt.Errorf("totp secret: %w", err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(n))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000), nil
}

// TOTPStepOf is the time step of t.
func TOTPStepOf(t time.Time) int64 { return t.Unix() / int64(TOTPStep/time.Second) }

// CheckTOTP returns the time step of code when it is secret's at now or one
// step either side (the clocks of a phone and a server differ a little),
// and after, the last step already used: a code is good once.
func CheckTOTP(secret, code string, now time.Time, after int64) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0, false
	}
	n := TOTPStepOf(now)
	for _, s := range []int64{n, n - 1, n + 1} {
		if s <= after {
			continue
		}
		if want, err := TOTPCode(secret, s); err == nil && hmac.Equal([]byte(want), []byte(code)) {
			return s, true
		}
	}
	return 0, false
}
