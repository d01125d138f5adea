package account

import (
	"testing"
	"time"

	"qifu/internal/fault"
)

// TestProfiles checks the two password profiles: what each takes and
// refuses, and when a password expires.
func TestProfiles(t *testing.T) {
	for _, tt := range []struct {
		p      Profile
		pw     string
		inputs []string
		ok     bool
		why    string
	}{
		{ProfileASVS, "correct horse battery staple", nil, true, "a long passphrase, no classes needed"},
		{ProfileASVS, "Password123!", nil, false, "12 characters, but a common pattern"},
		{ProfileASVS, "Qifu@2027", nil, false, "too short for ASVS"},
		{ProfileASVS, "zhangsan1234", []string{"zhangsan"}, false, "made of the user's name"},
		{ProfileASVS, "窗外的梧桐树已经黄了三回", nil, true, "a Chinese passphrase"},
		{ProfileASVS, string(make([]rune, 129)), nil, false, "too long"},
		{ProfileDJCP3, "Tq7#vLm2", nil, true, "8 characters, four classes, not common"},
		{ProfileDJCP3, "Password1", nil, false, "three classes, but the commonest password there is"},
		{ProfileDJCP3, "lowercaseonlybutlong", nil, false, "one class"},
		{ProfileDJCP3, "Ab1!", nil, false, "too short"},
	} {
		err := tt.p.Check(tt.pw, tt.inputs...)
		if (err == nil) != tt.ok {
			t.Errorf("%s %q (%s): %v, want ok %v", tt.p, tt.pw, tt.why, err, tt.ok)
		}
		if err != nil && fault.KindOf(err) != fault.Invalid {
			t.Errorf("%s %q: %v, want an invalid-input error", tt.p, tt.pw, err)
		}
	}
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	if !ProfileDJCP3.Expired(now.Add(-91*24*time.Hour), now) || ProfileDJCP3.Expired(now.Add(-89*24*time.Hour), now) {
		t.Error("等保三级: a password expires after 90 days, not before")
	}
	if ProfileASVS.Expired(now.AddDate(-3, 0, 0), now) {
		t.Error("ASVS: a password never expires by age")
	}
}
