// Package account holds qifu's users and how they prove who they are:
// password rules and hashing (argon2id), lock-out after failed logins,
// sessions and API tokens.
package account

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/argon2"

	"qifu/internal/access"
	"qifu/internal/fault"
)

// User is a person with an account.
type User struct {
	ID             int64
	Username       string
	Name           string
	Phone          string
	Role           access.Role
	RegionCode     string // regional roles
	DepartmentID   int64  // department staff
	EnterpriseID   int64  // enterprise users
	Disabled       bool
	FailedLogins   int
	LockedUntil    time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int64
	DepartmentName string // for display
	EnterpriseName string // for display
	// OfficeID is a department staff member's office (分局, 所), 0 when
	// the member works for the department as a whole.
	OfficeID   int64
	OfficeName string // for display
	// HomeUnit is a cadre's home unit (派出单位): the unit that sent it.
	HomeUnit string
}

// The lock-out and session rules.
const (
	MaxFailures     = 5                // failed logins before the account locks
	LockFor         = 15 * time.Minute // how long it stays locked
	StaffIdle       = 30 * time.Minute // default idle timeout of staff sessions
	EnterpriseIdle  = 2 * time.Hour    // default idle timeout of enterprise users on phones
	SessionLifetime = 12 * time.Hour   // absolute limit of a session
	MinPassword     = 8
)

// CheckPassword enforces the password rules: at least 8 characters and at
// least three of the four classes (lower case, upper case, digits, symbols).
func CheckPassword(pw string) error {
	var lower, upper, digit, other bool
	n := 0
	for _, r := range pw {
		n++
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	if n < MinPassword || classes < 3 {
		return &fault.Error{Kind: fault.Invalid, Code: "weak_password",
			Message: fault.Msg{Zh: "密码至少 8 位，且包含大写字母、小写字母、数字、符号中的至少三类",
				En: "passwords need at least 8 characters from three of: upper case, lower case, digits, symbols"},
			Fields: map[string]fault.Msg{"password": {Zh: "密码至少 8 位，且包含大写字母、小写字母、数字、符号中的至少三类",
				En: "at least 8 characters from three of: upper case, lower case, digits, symbols"}}}
	}
	return nil
}

// argon2id parameters (RFC 9106's second recommended option, with a smaller
// memory cost that suits a 2-core server taking bursts of logins).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
)

// HashPassword returns the argon2id hash of pw in the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the PHC-format hash.
func VerifyPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var mem, iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewToken returns a random secret for a session cookie or API token and
// the hash under which the store keeps it (the secret itself is never stored).
func NewToken(prefix string) (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	secret = prefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// HashToken returns the store key of a token secret.
func HashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// IdleTimeout returns the idle timeout of a role's sessions.
func IdleTimeout(role access.Role, staff time.Duration) time.Duration {
	if role == access.RoleEnterprise {
		return EnterpriseIdle
	}
	if staff <= 0 {
		return StaffIdle
	}
	return staff
}

// RoleZh returns the Chinese name of a role.
func RoleZh(r access.Role) string { return roleNames[r][0] }

// RoleEn returns the English name of a role.
func RoleEn(r access.Role) string { return roleNames[r][1] }

var roleNames = map[access.Role][2]string{
	access.RoleEnterprise:     {"企业用户", "Enterprise user"},
	access.RoleGridWorker:     {"网格员", "Grid worker"},
	access.RoleCommunityStaff: {"社区工作人员", "Community staff"},
	access.RoleStreetLeader:   {"街道领导", "Street leader"},
	access.RoleDistrictLeader: {"区领导", "District leader"},
	access.RoleCityLeader:     {"市领导", "City leader"},
	access.RoleDepartment:     {"部门人员", "Department staff"},
	access.RoleCadre:          {"驻企干部", "Stationed cadre"},
	access.RoleLawyer:         {"律师/专家", "Lawyer / expert"},
	access.RoleFinance:        {"金融机构人员", "Financial institution"},
	access.RoleAdmin:          {"管理员", "Administrator"},
	access.RoleAuditor:        {"审计员", "Auditor"},
	access.RoleService:        {"对接系统", "Connected system"},
	access.RoleOrganisation:   {"组织部（两新工委）", "Organisation department"},
}

// ValidRole reports whether r is a known role.
func ValidRole(r access.Role) bool { _, ok := roleNames[r]; return ok }
