package store_test

import (
	"context"
	"testing"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/fault"
)

// TestSecondFactor walks two-step sign-in on a store that is not the demo's:
// an administrator must enrol an authenticator before anything else; once
// enrolled, every new session owes a code; a code is good once; wrong codes
// lock the account as wrong passwords do; an administrator's reset removes
// it.
func TestSecondFactor(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		operator := access.Actor{Name: "operator", Role: access.RoleAdmin}
		const pw = "Quiet lantern, harbour 70"
		admin, err := s.CreateUser(ctx, operator, account.User{Username: "root", Name: "管理员", Role: access.RoleAdmin}, pw)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := s.Login(ctx, "root", pw, addr, 0)
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.SessionActor(ctx, sess.Secret, addr)
		if err != nil || !a.MustEnrol || a.SecondFactorDue {
			t.Fatalf("an administrator without an authenticator: must enrol %v, due %v, %v", a.MustEnrol, a.SecondFactorDue, err)
		}
		secret := account.NewTOTPSecret()
		step := account.TOTPStepOf(s.Clock.Now())
		code := func(n int64) string { c, _ := account.TOTPCode(secret, n); return c }
		if err := s.EnrolSecondFactor(ctx, a, sess.Secret, secret, "000000"); fault.KindOf(err) != fault.Invalid {
			t.Errorf("enrol with a wrong code: %v", err)
		}
		if err := s.EnrolSecondFactor(ctx, a, sess.Secret, secret, code(step)); err != nil {
			t.Fatal(err)
		}
		if a, _ := s.SessionActor(ctx, sess.Secret, addr); a.MustEnrol || a.SecondFactorDue {
			t.Errorf("the session that enrolled: must enrol %v, due %v", a.MustEnrol, a.SecondFactorDue)
		}

		// A new session owes its code; the code just used is not taken again.
		next, err := s.Login(ctx, "root", pw, addr, 0)
		if err != nil {
			t.Fatal(err)
		}
		a2, _ := s.SessionActor(ctx, next.Secret, addr)
		if !a2.SecondFactorDue {
			t.Fatal("a new session of an enrolled user owes no code")
		}
		if err := s.GiveSecondFactor(ctx, a2, next.Secret, code(step)); fault.KindOf(err) != fault.Invalid {
			t.Errorf("the enrolment's code again: %v, want refused", err)
		}
		if err := s.GiveSecondFactor(ctx, a2, next.Secret, code(step+1)); err != nil {
			t.Fatalf("the next code: %v", err)
		}
		if a2, _ := s.SessionActor(ctx, next.Secret, addr); a2.SecondFactorDue {
			t.Error("the session that gave its code still owes it")
		}

		// Wrong codes lock the account and end its sessions.
		third, _ := s.Login(ctx, "root", pw, addr, 0)
		a3, _ := s.SessionActor(ctx, third.Secret, addr)
		for range account.MaxFailures {
			_ = s.GiveSecondFactor(ctx, a3, third.Secret, "999999")
		}
		if _, err := s.SessionActor(ctx, third.Secret, addr); err == nil {
			t.Error("the session lives on after five wrong codes")
		}
		if _, err := s.Login(ctx, "root", pw, addr, 0); !fault.Is(err, fault.Locked) {
			t.Errorf("sign-in after five wrong codes: %v, want locked", err)
		}

		// A lost phone: the administrator's reset removes the authenticator.
		if err := s.ResetSecondFactor(ctx, access.Actor{Role: access.RoleCommunityStaff}, admin.ID); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a community resets it: %v", err)
		}
		if err := s.ResetSecondFactor(ctx, operator, admin.ID); err != nil {
			t.Fatal(err)
		}
	})
}
