package account

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"

	"qifu/internal/fault"
)

// Profile is the password policy an administrator chooses for the whole
// deployment. Both refuse passwords found in the lists of common passwords,
// words and names shipped with the binary (zxcvbn's), or made of the user's
// own name.
type Profile string

// The profiles.
const (
	// ProfileASVS follows OWASP ASVS level 2 (V2.1): at least 12
	// characters, up to 128, no composition rules, not a common or
	// guessable password (zxcvbn score 3 of 4 at least), no periodic
	// change. The default.
	ProfileASVS Profile = "asvs"
	// ProfileDJCP3 is what graded-protection level 3 assessors (等保2.0 三级)
	// check: at least 8 characters from three of the four classes, not a
	// common password (score 2 at least), changed every MaxPasswordAge.
	ProfileDJCP3 Profile = "djcp3"
)

// Profiles lists the profiles, the default first.
var Profiles = []Profile{ProfileASVS, ProfileDJCP3}

// MaxPasswordAge is how long a password lasts under ProfileDJCP3.
const MaxPasswordAge = 90 * 24 * time.Hour

// MaxPassword is the longest password taken, in characters.
const MaxPassword = 128

// Valid reports whether p is a known profile.
func (p Profile) Valid() bool { return p == ProfileASVS || p == ProfileDJCP3 }

// Check checks a new password under the profile. inputs are the user's own
// words (username, name), which a password must not be guessable from.
func (p Profile) Check(pw string, inputs ...string) error {
	n := utf8.RuneCountInString(pw)
	min, score := 12, 3
	if p == ProfileDJCP3 {
		min, score = MinPassword, 2
	}
	weak := func(zh, en string) error {
		return &fault.Error{Kind: fault.Invalid, Code: "weak_password", Message: fault.Msg{Zh: zh, En: en},
			Fields: map[string]fault.Msg{"password": {Zh: zh, En: en}}}
	}
	switch {
	case n < min || n > MaxPassword:
		return weak(fmt.Sprintf("密码应为 %d 至 %d 个字符", min, MaxPassword),
			fmt.Sprintf("a password has %d to %d characters", min, MaxPassword))
	case p == ProfileDJCP3 && CheckPassword(pw) != nil:
		return CheckPassword(pw)
	case zxcvbn.PasswordStrength(pw, inputs).Score < score:
		return weak("密码太常见或太容易猜到（如常用密码、单词、姓名、键盘序列、日期），请换一个更长、更少见的",
			"the password is too common or too easy to guess (a common password, word, name, keyboard pattern or date); choose a longer, rarer one")
	}
	return nil
}

// Expired reports whether a password changed at changed must be changed at now.
func (p Profile) Expired(changed, now time.Time) bool {
	return p == ProfileDJCP3 && now.Sub(changed) > MaxPasswordAge
}
