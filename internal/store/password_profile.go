package store

import (
	"context"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/demo"
	"qifu/internal/fault"
)

// settingPasswordProfile is the key of the password profile an
// administrator chose (account.Profile); ASVS level 2 when none was.
const settingPasswordProfile = "account.password_profile"

// PasswordProfile returns the password profile in force.
func (s *Store) PasswordProfile(ctx context.Context) (account.Profile, error) {
	v, _, err := s.Reader().Setting(ctx, settingPasswordProfile)
	if err != nil {
		return "", err
	}
	if p := account.Profile(v); p.Valid() {
		return p, nil
	}
	return account.ProfileASVS, nil
}

// SetPasswordProfile chooses the password profile: new passwords are held
// to it from now on (and under 等保三级, one older than 90 days must be
// changed at the next sign-in).
func (s *Store) SetPasswordProfile(ctx context.Context, actor access.Actor, p account.Profile) error {
	if !access.May(actor.Role, access.UserManage) {
		return access.ErrForbidden
	}
	if !p.Valid() {
		return fault.Fields{"profile": {Zh: "请选择密码规则：asvs 或 djcp3", En: "choose a profile: asvs or djcp3"}}.Err()
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.DB().SetSetting(ctx, settingPasswordProfile, string(p)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "setting.set", "setting/"+settingPasswordProfile, "ok", map[string]string{"value": string(p)})
	})
}

// settingDemo marks a store the demo was loaded into (LoadDemo).
const settingDemo = "demo.loaded"

// checkNewPassword holds a new password to the profile in force, with the
// user's own words. The demo's password, which everyone can read in the
// README, is a new password nowhere but in the demo's own store.
func (s *Store) checkNewPassword(ctx context.Context, pw string, inputs ...string) error {
	if pw == demo.Password {
		if isDemo, err := s.isDemo(ctx); err != nil || isDemo {
			return err
		}
		msg := fault.Msg{Zh: "这是演示账号的公开密码，不能使用", En: "this is the demo accounts' published password"}
		return &fault.Error{Kind: fault.Invalid, Code: "weak_password", Message: msg, Fields: map[string]fault.Msg{"password": msg}}
	}
	p, err := s.PasswordProfile(ctx)
	if err != nil {
		return err
	}
	return p.Check(pw, inputs...)
}
