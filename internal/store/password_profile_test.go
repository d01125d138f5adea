package store_test

import (
	"context"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
)

// TestPasswordProfiles holds new passwords to the profile in force: ASVS
// level 2 by default, 等保三级 when an administrator chooses it (and then a
// password older than 90 days must be changed at the next sign-in); the
// demo's published password is refused outside the demo's store.
func TestPasswordProfiles(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		admin := access.Actor{UserID: 0, Name: "operator", Role: access.RoleAdmin}
		if err := s.WithTx(ctx, func(tx *store.Tx) error {
			return tx.InsertRegions(ctx, []place.Region{{Code: "330200", Name: "宁波市", Level: place.City},
				{Code: "330206", Name: "北仑区", Level: place.District, ParentCode: "330200"}})
		}); err != nil {
			t.Fatal(err)
		}
		u := account.User{Username: "leader", Name: "区领导", Role: access.RoleDistrictLeader, RegionCode: "330206"}
		for _, tt := range []struct {
			pw   string
			why  string
			code string
		}{
			{"Qifu@2027", "9 characters: too short for ASVS", "weak_password"},
			{demo.Password, "the demo's password, outside the demo", "weak_password"},
			{"Password123!", "a common pattern", "weak_password"},
		} {
			if _, err := s.CreateUser(ctx, admin, u, tt.pw); fault.As(err) == nil || fault.As(err).Code != tt.code {
				t.Errorf("create with %s: %v, want %s", tt.why, err, tt.code)
			}
		}
		long := "Quiet lantern, harbour 70"
		created, err := s.CreateUser(ctx, admin, u, long)
		if err != nil {
			t.Fatalf("create with a long passphrase: %v", err)
		}

		if p, err := s.PasswordProfile(ctx); err != nil || p != account.ProfileASVS {
			t.Fatalf("the default profile: %s, %v", p, err)
		}
		if err := s.SetPasswordProfile(ctx, access.Actor{Role: access.RoleCommunityStaff}, account.ProfileDJCP3); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a community sets the profile: %v, want forbidden", err)
		}
		if err := s.SetPasswordProfile(ctx, admin, "nonsense"); fault.KindOf(err) != fault.Invalid {
			t.Errorf("an unknown profile: %v", err)
		}
		if err := s.SetPasswordProfile(ctx, admin, account.ProfileDJCP3); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, admin, created.ID, "Tq7#vLm2"); err != nil {
			t.Errorf("等保三级 takes 8 characters of four classes: %v", err)
		}
		if err := s.SetPassword(ctx, admin, created.ID, "Password1"); fault.KindOf(err) != fault.Invalid {
			t.Errorf("等保三级 takes the commonest password: %v", err)
		}
		if err := s.SetPassword(ctx, admin, created.ID, long); err != nil {
			t.Fatal(err)
		}

		// 91 days on, the sign-in asks for a new password.
		s.Clock.Advance(91 * 24 * time.Hour)
		sess, err := s.Login(ctx, "leader", long, addr, 0)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := s.SessionActor(ctx, sess.Secret, addr); err != nil || !a.MustChangePassword {
			t.Errorf("a 91-day-old password under 等保三级: must change %v, %v", a.MustChangePassword, err)
		}
	})
}
