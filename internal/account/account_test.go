package account

import (
	"strings"
	"testing"

	"qifu/internal/access"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"Qifu@2026", true},
		{"abcdEF12", true},
		{"abcdef1!", true},
		{"ABCDEF1!", true},
		{"abcdefgh", false}, // one class
		{"abcdef12", false}, // two classes
		{"Ab1!", false},     // too short
		{"Abc1!xy", false},  // seven
		{"密码Abc123", true},  // CJK counts as a symbol class
	}
	for _, tt := range tests {
		if err := CheckPassword(tt.pw); (err == nil) != tt.ok {
			t.Errorf("CheckPassword(%q) = %v, want ok=%v", tt.pw, err, tt.ok)
		}
	}
}

func TestHashPassword(t *testing.T) {
	h, err := HashPassword("Qifu@2026")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q is not argon2id PHC", h)
	}
	if !VerifyPassword(h, "Qifu@2026") {
		t.Error("right password refused")
	}
	for _, wrong := range []string{"qifu@2026", "Qifu@2027", ""} {
		if VerifyPassword(h, wrong) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	h2, _ := HashPassword("Qifu@2026")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1,p=1$$", "$bcrypt$x", h[:len(h)-5]} {
		if VerifyPassword(bad, "Qifu@2026") {
			t.Errorf("malformed hash %q verified", bad)
		}
	}
}

func TestTokens(t *testing.T) {
	s1, h1 := NewToken("qs_")
	s2, _ := NewToken("qs_")
	if s1 == s2 || !strings.HasPrefix(s1, "qs_") || len(s1) < 40 {
		t.Errorf("tokens %q %q", s1, s2)
	}
	if HashToken(s1) != h1 || h1 == s1 {
		t.Error("hash mismatch")
	}
}

func TestRoleNames(t *testing.T) {
	for _, r := range access.Roles {
		if !ValidRole(r) || RoleZh(r) == "" || RoleEn(r) == "" {
			t.Errorf("role %q lacks names", r)
		}
	}
}
