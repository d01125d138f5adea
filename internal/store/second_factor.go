package store

import (
	"context"
	"fmt"
	"sync/atomic"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/fault"
)

// Two-factor sign-in: a user enrols an authenticator app (the secret and a
// first code), and from then on every session gives a code before it may
// do anything. Administrators and auditors must enrol (account.
// NeedsSecondFactor) — except in the demo's store, where the demo's
// accounts stay one click away; other staff may.

var (
	errBadCode = fault.Fields{"code": {Zh: "验证码不正确或已使用过，请输入身份验证器上当前的 6 位数字",
		En: "the code is wrong or was used already; enter the six digits your authenticator shows now"}}.Err()
	errNoSecondFactor = fault.New(fault.Conflict, "no_second_factor", "该账号尚未设置身份验证器", "the account has no authenticator")
)

// demoFlag caches whether the store is the demo's: 0 not read yet, 1 yes, 2 no.
type demoFlag struct{ v atomic.Int32 }

// isDemo reports whether the demo was loaded into the store.
func (s *Store) isDemo(ctx context.Context) (bool, error) {
	switch s.demo.v.Load() {
	case 1:
		return true, nil
	case 2:
		return false, nil
	}
	_, demo, err := s.Reader().Setting(ctx, settingDemo)
	if err != nil {
		return false, err
	}
	if demo {
		s.demo.v.Store(1)
	} else {
		s.demo.v.Store(2)
	}
	return demo, nil
}

// EnrolSecondFactor gives the actor's account the authenticator secret,
// once the app shows a code of it; the session it is done in is trusted.
func (s *Store) EnrolSecondFactor(ctx context.Context, actor access.Actor, session, secret, code string) error {
	step, ok := account.CheckTOTP(secret, code, s.now(), 0)
	if !ok {
		return errBadCode
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.DB().Exec(ctx, "UPDATE users SET totp_secret = ?, totp_step = ? WHERE id = ?", secret, step, actor.UserID); err != nil {
			return fmt.Errorf("enrol second factor: %w", err)
		}
		if _, err := tx.DB().Exec(ctx, "UPDATE sessions SET second_factor = TRUE WHERE id = ? AND user_id = ?",
			account.HashToken(session), actor.UserID); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "user.second_factor.enrol", fmt.Sprintf("user/%d", actor.UserID), "ok", nil)
	})
}

// GiveSecondFactor checks the code of the session's user and trusts the
// session. A wrong code counts as a failed sign-in (the lock-out stops
// anyone trying the million codes).
func (s *Store) GiveSecondFactor(ctx context.Context, actor access.Actor, session, code string) error {
	var secret string
	var last int64
	if err := Scan(s.Reader().Row(ctx, "SELECT totp_secret, totp_step FROM users WHERE id = ?", actor.UserID), &secret, &last); err != nil {
		return err
	}
	if secret == "" {
		return errNoSecondFactor
	}
	step, ok := account.CheckTOTP(secret, code, s.now(), last)
	if !ok {
		err := s.WithTx(ctx, func(tx *Tx) error {
			var n int
			if err := Scan(tx.DB().Row(ctx, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins",
				actor.UserID), &n); err != nil {
				return err
			}
			if n >= account.MaxFailures {
				// Locked: every session of the user ends, as a sign-in would be refused.
				if _, err := tx.DB().Exec(ctx, "UPDATE users SET locked_until = ? WHERE id = ?",
					s.now().Add(account.LockFor).UnixMilli(), actor.UserID); err != nil {
					return err
				}
				if _, err := tx.DB().Exec(ctx, "DELETE FROM sessions WHERE user_id = ?", actor.UserID); err != nil {
					return err
				}
			}
			return tx.Record(ctx, actor, "login.second_factor", fmt.Sprintf("user/%d", actor.UserID), "denied",
				map[string]any{"failures": n})
		})
		if err != nil {
			return err
		}
		return errBadCode
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.DB().Exec(ctx, "UPDATE users SET totp_step = ?, failed_logins = 0 WHERE id = ?", step, actor.UserID); err != nil {
			return err
		}
		if _, err := tx.DB().Exec(ctx, "UPDATE sessions SET second_factor = TRUE WHERE id = ? AND user_id = ?",
			account.HashToken(session), actor.UserID); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "login.second_factor", fmt.Sprintf("user/%d", actor.UserID), "ok", nil)
	})
}

// ResetSecondFactor removes a user's authenticator (a lost phone): the user
// enrols a new one at the next sign-in. Its sessions end.
func (s *Store) ResetSecondFactor(ctx context.Context, actor access.Actor, userID int64) error {
	if !access.May(actor.Role, access.UserManage) {
		return access.ErrForbidden
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		var username string
		if err := Scan(tx.DB().Row(ctx, "SELECT username FROM users WHERE id = ?", userID), &username); err != nil {
			return err
		}
		if _, err := tx.DB().Exec(ctx, "UPDATE users SET totp_secret = '', totp_step = 0 WHERE id = ?", userID); err != nil {
			return err
		}
		if _, err := tx.DB().Exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "user.second_factor.reset", "user/"+username, "ok", nil)
	})
}
