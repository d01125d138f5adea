package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

const addr = "192.0.2.7"

// login signs username in with the demo password and returns the session.
func (s *testStore) login(t *testing.T, username string, staffIdle time.Duration) store.Session {
	t.Helper()
	sess, err := s.Login(context.Background(), username, demo.Password, addr, staffIdle)
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return sess
}

// createUser adds an account with the demo password, as the administrator.
func (s *testStore) createUser(t *testing.T, u account.User) account.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), s.As(t, "admin"), u, demo.Password)
	if err != nil {
		t.Fatalf("create user %s: %v", u.Username, err)
	}
	return u
}

// signedIn fails the test unless the session still works, and returns its actor.
func (s *testStore) signedIn(t *testing.T, secret string) access.Actor {
	t.Helper()
	a, err := s.SessionActor(context.Background(), secret, addr)
	if err != nil {
		t.Fatalf("SessionActor: %v at %s", err, s.Clock.Now().Sub(start))
	}
	return a
}

// signedOut fails the test unless the session has ended.
func (s *testStore) signedOut(t *testing.T, secret string) {
	t.Helper()
	_, err := s.SessionActor(context.Background(), secret, addr)
	if !fault.Is(err, fault.Unauthorized) || err == nil {
		t.Fatalf("SessionActor: %v at %s; want Unauthorized", err, s.Clock.Now().Sub(start))
	}
}

func TestAccounts(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		admin := s.As(t, "admin")

		t.Run("gauges", func(t *testing.T) { testGauges(t, s) }) // first: it counts users and sessions

		t.Run("unknown user", func(t *testing.T) {
			_, err := s.Login(ctx, "nobody", demo.Password, addr, 0)
			storetest.WantKind(t, err, fault.Unauthorized)
			if n := s.AuditCount(t, store.AuditQuery{Action: "login", Target: "user/nobody"}); n != 1 {
				t.Errorf("%d audit entries of the failed login; want 1", n)
			}
		})

		t.Run("lock-out", func(t *testing.T) {
			s.createUser(t, account.User{Username: "lock.me", Name: "锁定测试", Role: access.RoleLawyer})
			for i := 1; i <= account.MaxFailures; i++ {
				_, err := s.Login(ctx, "lock.me", "Wrong@2026", addr, 0)
				if i < account.MaxFailures {
					storetest.WantKind(t, err, fault.Unauthorized)
				} else {
					storetest.WantKind(t, err, fault.Locked)
				}
				s.Clock.Advance(time.Second)
			}
			locked := s.Clock.Now()
			_, err := s.Login(ctx, "lock.me", demo.Password, addr, 0)
			storetest.WantKind(t, err, fault.Locked)
			s.Clock.Advance(account.LockFor - 2*time.Second)
			_, err = s.Login(ctx, "lock.me", demo.Password, addr, 0)
			storetest.WantKind(t, err, fault.Locked)
			s.Clock.Advance(2 * time.Second)
			if s.Clock.Now().Sub(locked) < account.LockFor {
				t.Fatal("clock arithmetic")
			}
			s.login(t, "lock.me", 0)
			// The count starts again: one more failure does not lock.
			_, err = s.Login(ctx, "lock.me", "Wrong@2026", addr, 0)
			storetest.WantKind(t, err, fault.Unauthorized)
			s.login(t, "lock.me", 0)
		})

		t.Run("verify password opens no session and counts failures", func(t *testing.T) {
			u := s.createUser(t, account.User{Username: "changer", Name: "改密测试", Role: access.RoleLawyer})
			me := s.signedIn(t, s.login(t, "changer", 0).Secret)
			db := s.Raw(t)
			sessions := func() int {
				var n int
				if err := db.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM sessions WHERE user_id = %d", u.ID)).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := sessions()
			if err := s.VerifyPassword(ctx, me, demo.Password); err != nil {
				t.Fatalf("VerifyPassword with the right password: %v", err)
			}
			if n := sessions(); n != before {
				t.Errorf("VerifyPassword opened a session: %d sessions, had %d", n, before)
			}
			for i := 1; i <= account.MaxFailures; i++ {
				err := s.VerifyPassword(ctx, me, "Wrong@2026")
				if i < account.MaxFailures {
					storetest.WantKind(t, err, fault.Unauthorized)
				} else {
					storetest.WantKind(t, err, fault.Locked)
				}
			}
			_, err := s.Login(ctx, "changer", demo.Password, addr, 0)
			storetest.WantKind(t, err, fault.Locked)
		})

		t.Run("unknown users are locked out alike", func(t *testing.T) {
			// An attacker must not tell an existing account from a missing one by the lock-out.
			s.createUser(t, account.User{Username: "lock.me.too", Name: "对照", Role: access.RoleLawyer})
			for i := 1; i <= account.MaxFailures+1; i++ {
				_, known := s.Login(ctx, "lock.me.too", "Wrong@2026", addr, 0)
				_, unknown := s.Login(ctx, "no.such.person", "Wrong@2026", addr, 0)
				if fault.KindOf(unknown) != fault.KindOf(known) || fault.As(unknown).Code != fault.As(known).Code {
					t.Errorf("attempt %d: unknown user %v, existing user %v", i, unknown, known)
				}
			}
			_, err := s.Login(ctx, "no.such.person", "Wrong@2026", addr, 0)
			storetest.WantKind(t, err, fault.Locked)
		})

		t.Run("success resets the failure count", func(t *testing.T) {
			s.createUser(t, account.User{Username: "forgetful", Name: "健忘测试", Role: access.RoleLawyer})
			for range account.MaxFailures - 1 {
				_, err := s.Login(ctx, "forgetful", "Wrong@2026", addr, 0)
				storetest.WantKind(t, err, fault.Unauthorized)
			}
			s.login(t, "forgetful", 0)
			// Had the count not started again, this would be the failure that locks.
			_, err := s.Login(ctx, "forgetful", "Wrong@2026", addr, 0)
			storetest.WantKind(t, err, fault.Unauthorized)
		})

		t.Run("disabled", func(t *testing.T) {
			u := s.createUser(t, account.User{Username: "leaver", Name: "离职测试", Role: access.RoleLawyer})
			sess := s.login(t, "leaver", 0)
			secret, _, err := s.CreateToken(ctx, s.signedIn(t, sess.Secret), "脚本")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SetDisabled(ctx, admin, u.ID, true); err != nil {
				t.Fatalf("SetDisabled: %v", err)
			}
			s.signedOut(t, sess.Secret)
			_, err = s.TokenActor(ctx, secret, addr)
			storetest.WantKind(t, err, fault.Unauthorized)
			_, err = s.Login(ctx, "leaver", demo.Password, addr, 0)
			storetest.WantKind(t, err, fault.Unauthorized)

			if err := s.SetDisabled(ctx, admin, u.ID, false); err != nil {
				t.Fatalf("SetDisabled false: %v", err)
			}
			s.signedOut(t, sess.Secret) // the old session stays ended
			_, err = s.TokenActor(ctx, secret, addr)
			storetest.WantKind(t, err, fault.Unauthorized) // and the old token stays revoked
			s.login(t, "leaver", 0)
			err = s.SetDisabled(ctx, admin, admin.UserID, true)
			storetest.WantKind(t, err, fault.Invalid)
			storetest.WantForbidden(t, s.SetDisabled(ctx, s.As(t, "community"), u.ID, true))
		})

		t.Run("role change applies on the next request", func(t *testing.T) {
			grid := storetest.DemoUser(t, "grid").RegionCode
			u := s.createUser(t, account.User{Username: "mover", Name: "调岗测试", Role: access.RoleGridWorker, RegionCode: grid})
			sess := s.login(t, "mover", 0)
			a := s.signedIn(t, sess.Secret)
			if a.Role != access.RoleGridWorker || a.RegionCode != grid {
				t.Fatalf("actor %+v; want a grid worker of %s", a, grid)
			}
			n, _ := s.CountEnterprises(ctx, a, store.EnterpriseQuery{})
			community := grid[:12]
			u.Role, u.RegionCode = access.RoleCommunityStaff, community
			u, err := s.UpdateUser(ctx, admin, u.ID, u.Version, u)
			if err != nil {
				t.Fatalf("UpdateUser: %v", err)
			}
			a = s.signedIn(t, sess.Secret)
			if a.Role != access.RoleCommunityStaff || a.RegionCode != community {
				t.Fatalf("actor after the change %+v; want community staff of %s", a, community)
			}
			if m, _ := s.CountEnterprises(ctx, a, store.EnterpriseQuery{}); m <= n {
				t.Errorf("community staff counts %d enterprises, no more than the grid worker's %d", m, n)
			}
			_, err = s.UpdateUser(ctx, admin, u.ID, u.Version-1, u)
			storetest.WantKind(t, err, fault.Conflict)
			u.Role, u.RegionCode = access.RoleLawyer, ""
			if _, err := s.UpdateUser(ctx, admin, u.ID, u.Version, u); err != nil {
				t.Fatalf("UpdateUser: %v", err)
			}
			if m, _ := s.CountEnterprises(ctx, s.signedIn(t, sess.Secret), store.EnterpriseQuery{}); m != 0 {
				t.Errorf("a lawyer counts %d enterprises; want 0", m)
			}
		})

		t.Run("idle timeout", func(t *testing.T) {
			tests := []struct {
				user      string
				staffIdle time.Duration
				idle      time.Duration
			}{
				{"grid", 0, account.StaffIdle},
				{"community", 10 * time.Minute, 10 * time.Minute},
				{"enterprise", 0, account.EnterpriseIdle},
				{"enterprise", 10 * time.Minute, account.EnterpriseIdle}, // the staff setting is not theirs
			}
			for _, tt := range tests {
				t.Run(fmt.Sprint(tt.user, tt.staffIdle), func(t *testing.T) {
					sess := s.login(t, tt.user, tt.staffIdle)
					for range 3 { // each request starts the idle time again
						s.Clock.Advance(tt.idle - time.Minute)
						s.signedIn(t, sess.Secret)
					}
					s.Clock.Advance(tt.idle + time.Second)
					s.signedOut(t, sess.Secret)
					s.signedOut(t, sess.Secret)
				})
			}
		})

		t.Run("lifetime", func(t *testing.T) {
			sess := s.login(t, "admin", 0)
			begun := s.Clock.Now()
			for s.Clock.Now().Sub(begun) < account.SessionLifetime-20*time.Minute {
				s.Clock.Advance(20 * time.Minute)
				s.signedIn(t, sess.Secret)
			}
			s.Clock.Advance(20 * time.Minute)
			s.signedOut(t, sess.Secret)
		})

		t.Run("logout", func(t *testing.T) {
			sess := s.login(t, "street_leader", 0)
			other := s.login(t, "street_leader", 0)
			a := s.signedIn(t, sess.Secret)
			if err := s.Logout(ctx, sess.Secret, a); err != nil {
				t.Fatalf("Logout: %v", err)
			}
			s.signedOut(t, sess.Secret)
			s.signedIn(t, other.Secret) // only that session ended
			if n := s.AuditCount(t, store.AuditQuery{Action: "logout", Target: fmt.Sprintf("user/%d", a.UserID)}); n != 1 {
				t.Errorf("%d logout audit entries; want 1", n)
			}
		})

		t.Run("new password ends sessions", func(t *testing.T) {
			u := s.createUser(t, account.User{Username: "renewer", Name: "改密测试", Role: access.RoleLawyer})
			sess := s.login(t, "renewer", 0)
			a := s.signedIn(t, sess.Secret)
			err := s.SetPassword(ctx, a, u.ID, "short")
			storetest.WantField(t, err, "password")
			if err := s.SetPassword(ctx, a, u.ID, "Renewed#2026"); err != nil {
				t.Fatalf("SetPassword: %v", err)
			}
			s.signedOut(t, sess.Secret)
			if _, err := s.Login(ctx, "renewer", demo.Password, addr, 0); !fault.Is(err, fault.Unauthorized) {
				t.Errorf("login with the old password: %v; want Unauthorized", err)
			}
			if _, err := s.Login(ctx, "renewer", "Renewed#2026", addr, 0); err != nil {
				t.Errorf("login with the new password: %v", err)
			}
			// Someone else's password is not theirs to set.
			err = s.SetPassword(ctx, s.As(t, "grid"), u.ID, "Hijack#2026")
			storetest.WantKind(t, err, fault.NotFound)
		})

		t.Run("sweep", func(t *testing.T) {
			a, b := s.login(t, "cadre", 0), s.login(t, "finance", 0)
			s.Clock.Advance(account.StaffIdle + time.Minute)
			n, err := s.Sweep(ctx)
			if err != nil || n < 2 {
				t.Fatalf("Sweep = %d, %v; want at least 2", n, err)
			}
			s.signedOut(t, a.Secret)
			s.signedOut(t, b.Secret)
			if n, err := s.Sweep(ctx); err != nil || n != 0 {
				t.Errorf("second Sweep = %d, %v; want 0", n, err)
			}
		})

		t.Run("a token mints no token; a new password ends every token", func(t *testing.T) {
			u := s.createUser(t, account.User{Username: "scripter", Name: "令牌测试", Role: access.RoleLawyer})
			sess := s.login(t, "scripter", 0)
			secret, _, err := s.CreateToken(ctx, s.signedIn(t, sess.Secret), "同步脚本")
			if err != nil {
				t.Fatal(err)
			}
			byToken, err := s.TokenActor(ctx, secret, addr)
			if err != nil || !byToken.ByToken {
				t.Fatalf("TokenActor = %+v, %v; want an actor marked as signed by a token", byToken, err)
			}
			_, _, err = s.CreateToken(ctx, byToken, "再生令牌")
			if !errors.Is(err, store.ErrTokenByToken) {
				t.Errorf("a token minted a token: %v", err)
			}
			second, _, err := s.CreateToken(ctx, s.signedIn(t, sess.Secret), "第二个脚本")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SetPassword(ctx, s.signedIn(t, sess.Secret), u.ID, "Scripter@2026x"); err != nil {
				t.Fatalf("SetPassword: %v", err)
			}
			for _, tok := range []string{secret, second} {
				_, err = s.TokenActor(ctx, tok, addr)
				storetest.WantKind(t, err, fault.Unauthorized)
			}
			s.signedOut(t, sess.Secret)
		})

		t.Run("tokens", func(t *testing.T) {
			grid := s.As(t, "grid")
			secret, tok, err := s.CreateToken(ctx, grid, "导入脚本")
			if err != nil {
				t.Fatalf("CreateToken: %v", err)
			}
			if !strings.HasPrefix(secret, "qt_") || tok.ID == 0 {
				t.Errorf("CreateToken = %q, %+v", secret, tok)
			}
			a, err := s.TokenActor(ctx, secret, addr)
			if err != nil || a.UserID != grid.UserID || a.Role != access.RoleGridWorker || a.Addr != addr {
				t.Fatalf("TokenActor = %+v, %v; want the grid worker", a, err)
			}
			list, err := s.Tokens(ctx, grid)
			if err != nil || len(list) != 1 || list[0].ID != tok.ID || list[0].Revoked {
				t.Fatalf("Tokens = %+v, %v", list, err)
			}
			if list, _ := s.Tokens(ctx, s.As(t, "community")); len(list) != 0 {
				t.Errorf("another user lists the token: %+v", list)
			}
			_, err = s.TokenActor(ctx, secret+"x", addr)
			storetest.WantKind(t, err, fault.Unauthorized)
			_, _, err = s.CreateToken(ctx, grid, "")
			storetest.WantField(t, err, "name")

			err = s.RevokeToken(ctx, s.As(t, "community"), tok.ID)
			storetest.WantKind(t, err, fault.NotFound)
			if _, err := s.TokenActor(ctx, secret, addr); err != nil {
				t.Fatalf("TokenActor after another user's failed revoke: %v", err)
			}
			storetest.WantKind(t, s.RevokeToken(ctx, grid, tok.ID+1000), fault.NotFound)
			if err := s.RevokeToken(ctx, grid, tok.ID); err != nil {
				t.Fatalf("RevokeToken: %v", err)
			}
			_, err = s.TokenActor(ctx, secret, addr)
			storetest.WantKind(t, err, fault.Unauthorized)
			if list, _ := s.Tokens(ctx, grid); len(list) != 1 || !list[0].Revoked {
				t.Errorf("Tokens after revoking = %+v; want it revoked", list)
			}

			// The administrator may revoke anyone's token.
			secret, tok, err = s.CreateToken(ctx, grid, "第二个")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.RevokeToken(ctx, admin, tok.ID); err != nil {
				t.Fatalf("RevokeToken by the administrator: %v", err)
			}
			_, err = s.TokenActor(ctx, secret, addr)
			storetest.WantKind(t, err, fault.Unauthorized)
		})

		t.Run("users", func(t *testing.T) {
			_, total, err := s.Users(ctx, admin, store.UserQuery{Page: store.Page{Size: 1}})
			if err != nil || total < len(dataset.Users) {
				t.Errorf("Users(admin) total %d, %v; want at least %d", total, err, len(dataset.Users))
			}
			street := storetest.DemoUser(t, "street_leader").RegionCode
			want := 0
			for _, u := range dataset.Users {
				if strings.HasPrefix(u.RegionCode, street) {
					want++
				}
			}
			list, total, err := s.Users(ctx, s.As(t, "street_leader"), store.UserQuery{Page: store.Page{Size: store.MaxPageSize}})
			if err != nil || total != want || len(list) != want {
				t.Fatalf("Users(street leader) = %d of %d, %v; want %d", len(list), total, err, want)
			}
			for _, u := range list {
				if !strings.HasPrefix(u.RegionCode, street) || (u.Phone != "" && !strings.Contains(u.Phone, "****")) {
					t.Errorf("street leader sees user %s of %s with phone %q", u.Username, u.RegionCode, u.Phone)
				}
			}
			for _, q := range []store.UserQuery{
				{Text: "STREET_LEADER"}, {Text: "street_"}, {Text: storetest.DemoUser(t, "street_leader").Name},
				{Role: access.RoleStreetLeader, Disabled: "no", Text: "leader"},
			} {
				list, _, err := s.Users(ctx, admin, q)
				if err != nil || !slices.ContainsFunc(list, func(u account.User) bool { return u.Username == "street_leader" }) {
					t.Errorf("Users(%+v) = %d users, %v; want street_leader among them", q, len(list), err)
				}
			}
			for _, q := range []store.UserQuery{{Text: "street%"}, {Role: access.RoleGridWorker, Text: "street"}, {Disabled: "yes", Text: "street"}} {
				if list, _, err := s.Users(ctx, admin, q); err != nil || len(list) != 0 {
					t.Errorf("Users(%+v) = %d users, %v; want none", q, len(list), err)
				}
			}
			_, _, err = s.Users(ctx, s.As(t, "grid"), store.UserQuery{})
			storetest.WantForbidden(t, err)
			_, err = s.User(ctx, s.As(t, "street_leader"), s.As(t, "dept_tax").UserID)
			storetest.WantKind(t, err, fault.NotFound)

			_, err = s.CreateUser(ctx, admin, account.User{Username: "grid", Name: "重名", Role: access.RoleLawyer}, demo.Password)
			storetest.WantField(t, err, "username")
			_, err = s.CreateUser(ctx, admin, account.User{Username: "nowhere", Name: "无区划", Role: access.RoleGridWorker,
				RegionCode: "330206999999999"}, demo.Password)
			storetest.WantField(t, err, "region_code")
			_, err = s.CreateUser(ctx, s.As(t, "community"), account.User{Username: "sneaky", Name: "越权", Role: access.RoleAdmin}, demo.Password)
			storetest.WantForbidden(t, err)
		})

		t.Run("assignments", func(t *testing.T) {
			cadre := s.As(t, "cadre")
			ids := s.IDs(t)
			var assign []int64
			for _, e := range dataset.Enterprises[len(dataset.Enterprises)-3:] {
				assign = append(assign, ids[e.CreditCode])
			}
			if err := s.SetAssignments(ctx, admin, cadre.UserID, assign); err != nil {
				t.Fatalf("SetAssignments: %v", err)
			}
			list, n, err := s.Enterprises(ctx, cadre, store.EnterpriseQuery{})
			if err != nil || n != 3 {
				t.Fatalf("the cadre lists %d enterprises, %v; want 3", n, err)
			}
			for _, e := range list {
				if e.ID != assign[0] && e.ID != assign[1] && e.ID != assign[2] {
					t.Errorf("the cadre lists enterprise %d, not assigned", e.ID)
				}
			}
			err = s.SetAssignments(ctx, admin, s.As(t, "grid").UserID, assign)
			storetest.WantKind(t, err, fault.Invalid)
			storetest.WantForbidden(t, s.SetAssignments(ctx, s.As(t, "community"), cadre.UserID, nil))
		})

		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Errorf("VerifyAudit: %v", err)
		}
	})
}

// TestScopeChangeEverywhere changes a user's scope and then disables them
// through one instance: a session held on another instance sees each change
// on its very next request.
func TestScopeChangeEverywhere(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		other := openStore(t, s.DSN, s.Clock)
		u := s.createUser(t, account.User{Username: "mover", Name: "调岗测试", Role: access.RoleCommunityStaff,
			RegionCode: storetest.DemoUser(t, "community").RegionCode})
		sess, err := other.Login(ctx, "mover", demo.Password, addr, 0)
		if err != nil {
			t.Fatal(err)
		}
		street := storetest.DemoUser(t, "street_leader").RegionCode
		if _, err := s.UpdateUser(ctx, s.As(t, "admin"), u.ID, u.Version, account.User{Name: u.Name,
			Role: access.RoleStreetLeader, RegionCode: street}); err != nil {
			t.Fatal(err)
		}
		a, err := other.SessionActor(ctx, sess.Secret, addr)
		if err != nil || a.Role != access.RoleStreetLeader || a.RegionCode != street {
			t.Fatalf("after the change, the other instance sees %+v, %v", a, err)
		}
		if err := s.SetDisabled(ctx, s.As(t, "admin"), u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := other.SessionActor(ctx, sess.Secret, addr); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("a disabled user's session on the other instance: %v", err)
		}
	})
}
