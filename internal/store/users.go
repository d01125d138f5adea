package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/fault"
	"qifu/internal/place"
)

const userColumns = `u.id, u.username, u.name, u.phone, u.role, COALESCE(u.region_code, ''),
	COALESCE(u.department_id, 0), COALESCE(u.enterprise_id, 0), u.disabled, u.failed_logins, u.locked_until,
	u.created_at, u.updated_at, u.version, COALESCE(d.name, ''), COALESCE(e.name, ''),
	u.office_id, u.home_unit, COALESCE(o.name, '')`

const userFrom = ` FROM users u
	LEFT JOIN departments d ON d.id = u.department_id
	LEFT JOIN enterprises e ON e.id = u.enterprise_id
	LEFT JOIN department_offices o ON o.id = u.office_id`

func scanUser(sc interface{ Scan(...any) error }) (account.User, error) {
	var u account.User
	var locked, created, updated int64
	err := sc.Scan(&u.ID, &u.Username, &u.Name, &u.Phone, &u.Role, &u.RegionCode, &u.DepartmentID, &u.EnterpriseID,
		&u.Disabled, &u.FailedLogins, &locked, &created, &updated, &u.Version, &u.DepartmentName, &u.EnterpriseName,
		&u.OfficeID, &u.HomeUnit, &u.OfficeName)
	u.LockedUntil, u.CreatedAt, u.UpdatedAt = Millis(locked), time.UnixMilli(created), time.UnixMilli(updated)
	return u, err
}

// actorOf builds the actor of a user: the user's scope as it is now in the
// store, so that a change of role or scope applies on the next request.
func (h DB) actorOf(ctx context.Context, userID int64) (access.Actor, error) {
	var a access.Actor
	var disabled bool
	var deptRegion string
	var secret string
	err := Scan(h.Row(ctx, `SELECT u.id, u.name, u.role, COALESCE(u.region_code, ''), COALESCE(u.department_id, 0),
		COALESCE(u.enterprise_id, 0), u.disabled, COALESCE(d.region_code, ''), u.must_change, u.totp_secret, u.office_id
		FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.id = ?`, userID),
		&a.UserID, &a.Name, &a.Role, &a.RegionCode, &a.DepartmentID, &a.EnterpriseID, &disabled, &deptRegion, &a.MustChangePassword,
		&secret, &a.OfficeID)
	if err != nil {
		return access.Actor{}, err
	}
	if disabled {
		return access.Actor{}, errSignedOut
	}
	if a.Role == access.RoleDepartment {
		a.RegionCode = deptRegion
	}
	a.RegionLevel = place.LevelOf(a.RegionCode)
	a.SecondFactorDue = secret != "" // until the session says it was given
	return a, nil
}

// Actor returns the actor of a user, for the command line and tests.
func (s *Store) Actor(ctx context.Context, userID int64) (access.Actor, error) {
	return s.Reader().actorOf(ctx, userID)
}

var errSignedOut = fault.New(fault.Unauthorized, "signed_out", "登录已失效，请重新登录", "your session has ended; please sign in again")

// ErrBadLogin answers a sign-in with a wrong user name or password.
var ErrBadLogin = fault.New(fault.Unauthorized, "bad_credentials", "用户名或密码错误", "wrong username or password")

var errLocked = fault.New(fault.Locked, "locked", "连续登录失败次数过多，账号已锁定 15 分钟", "too many failed logins: the account is locked for 15 minutes")

// dummyHash keeps a login for an unknown user as slow as one for a known user.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$2eh4I3kkSW0zIwDbkSeprHRfFsiG4mm/n9jaiL7Qvk8"

// hashWait bounds how long a password check waits for a free slot.
const hashWait = 10 * time.Second

var errBusy = fault.New(fault.Unavailable, "busy", "登录请求过多，请稍后重试", "too many sign-ins at once; try again shortly")

// withHashSlot runs fn, which computes a password hash, when one of the
// store's hashing slots is free.
func (s *Store) withHashSlot(ctx context.Context, fn func()) error {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return errBusy
	}
	defer func() { <-s.hashing }()
	fn()
	return nil
}

// hashPassword hashes a new password in one of the hashing slots.
func (s *Store) hashPassword(ctx context.Context, password string) (string, error) {
	var hash string
	var err error
	if slot := s.withHashSlot(ctx, func() { hash, err = account.HashPassword(password) }); slot != nil {
		return "", slot
	}
	return hash, err
}

// Session is a signed-in session: the secret goes to the browser as a cookie.
type Session struct {
	Secret string
	User   account.User
}

// Login checks a password and opens a session. Failures are counted: after
// account.MaxFailures the account is locked for account.LockFor. Every
// attempt is audited.
func (s *Store) Login(ctx context.Context, username, password, addr string, staffIdle time.Duration) (Session, error) {
	id, err := s.checkPassword(ctx, username, password, addr)
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	profile, err := s.PasswordProfile(ctx)
	if err != nil {
		return Session{}, err
	}
	secret, key := account.NewToken("qs_")
	var sess Session
	err = s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.DB().Exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?", id); err != nil {
			return err
		}
		// Under 等保三级 a password older than its age must be changed now.
		var changed int64
		if err := Scan(tx.DB().Row(ctx, "SELECT password_changed_at FROM users WHERE id = ?", id), &changed); err != nil {
			return err
		}
		if profile.Expired(time.UnixMilli(changed), now) {
			if _, err := tx.DB().Exec(ctx, "UPDATE users SET must_change = TRUE WHERE id = ?", id); err != nil {
				return err
			}
		}
		row := tx.DB().Row(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", id)
		u, err := scanUser(row)
		if err != nil {
			return fmt.Errorf("read user: %w", translate(err))
		}
		idle := account.IdleTimeout(u.Role, staffIdle)
		if _, err := tx.DB().Exec(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen, idle_ms, expires_at, client_addr)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, key, id, now.UnixMilli(), now.UnixMilli(), idle.Milliseconds(),
			now.Add(account.SessionLifetime).UnixMilli(), addr); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		sess = Session{Secret: secret, User: u}
		return tx.Record(ctx, access.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Addr: addr}, "login", "user/"+username, "ok", nil)
	})
	return sess, err
}

// unknownLogin answers a sign-in with a username that has no account exactly
// as one with a wrong password would: the same time (a hash is computed), the
// same message, and the same lock-out after account.MaxFailures attempts.
func (s *Store) unknownLogin(ctx context.Context, anon access.Actor, username, password string) error {
	if err := s.withHashSlot(ctx, func() { account.VerifyPassword(dummyHash, password) }); err != nil {
		return err
	}
	if len(username) > 100 {
		username = username[:100]
	}
	now := s.now()
	var locked bool
	err := s.WithTx(ctx, func(tx *Tx) error {
		var n int
		var until int64
		err := Scan(tx.DB().Row(ctx, `INSERT INTO unknown_logins (username, failures, updated_at) VALUES (?, 1, ?)
			ON CONFLICT (username) DO UPDATE SET failures = CASE WHEN unknown_logins.locked_until > ? THEN unknown_logins.failures
				ELSE unknown_logins.failures + 1 END, updated_at = excluded.updated_at
			RETURNING failures, locked_until`, username, now.UnixMilli(), now.UnixMilli()), &n, &until)
		if err != nil {
			return err
		}
		result := "failed"
		switch {
		case until > now.UnixMilli():
			locked, result = true, "denied"
		case n >= account.MaxFailures:
			locked = true
			if _, err := tx.DB().Exec(ctx, "UPDATE unknown_logins SET failures = 0, locked_until = ? WHERE username = ?",
				now.Add(account.LockFor).UnixMilli(), username); err != nil {
				return err
			}
		}
		return tx.Record(ctx, anon, "login", "user/"+username, result, map[string]any{"reason": "unknown user", "failures": n})
	})
	if err != nil {
		return fmt.Errorf("count failed login: %w", err)
	}
	if locked {
		return errLocked
	}
	return ErrBadLogin
}

// VerifyPassword checks the actor's own current password, for example before
// a change of password. It counts failures towards the lock-out exactly as a
// sign-in does, but opens no session.
func (s *Store) VerifyPassword(ctx context.Context, actor access.Actor, password string) error {
	var username string
	if err := Scan(s.Reader().Row(ctx, "SELECT username FROM users WHERE id = ?", actor.UserID), &username); err != nil {
		return fmt.Errorf("verify password: %w", err)
	}
	_, err := s.checkPassword(ctx, username, password, actor.Addr)
	return err
}

// checkPassword returns the id of the user whose password matches, counting
// and auditing failures and locking the account after too many.
func (s *Store) checkPassword(ctx context.Context, username, password, addr string) (int64, error) {
	anon := access.Actor{Name: username, Addr: addr}
	var hash string
	var id int64
	var disabled bool
	var lockedUntil int64
	var role string
	err := Scan(s.Reader().Row(ctx, "SELECT id, password_hash, disabled, locked_until, role FROM users WHERE username = ?", username),
		&id, &hash, &disabled, &lockedUntil, &role)
	if fault.Is(err, fault.NotFound) {
		return 0, s.unknownLogin(ctx, anon, username, password)
	}
	if err != nil {
		return 0, fmt.Errorf("login: %w", err)
	}
	if access.Role(role) == access.RoleService {
		s.RecordOrLog(ctx, anon, "login", "user/"+username, "denied", map[string]string{"reason": "connected system"})
		return 0, errServiceLogin
	}
	now := s.now()
	if lockedUntil > now.UnixMilli() {
		s.RecordOrLog(ctx, anon, "login", "user/"+username, "denied", map[string]string{"reason": "locked"})
		return 0, errLocked
	}
	var ok bool
	if err := s.withHashSlot(ctx, func() { ok = account.VerifyPassword(hash, password) }); err != nil {
		return 0, err
	}
	if disabled {
		s.RecordOrLog(ctx, anon, "login", "user/"+username, "denied", map[string]string{"reason": "disabled"})
		return 0, ErrBadLogin
	}
	if ok {
		return id, nil
	}
	var locked bool
	err = s.WithTx(ctx, func(tx *Tx) error {
		var n int
		if err := Scan(tx.DB().Row(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?
			RETURNING failed_logins`, id), &n); err != nil {
			return err
		}
		detail := map[string]any{"reason": "wrong password", "failures": n}
		if n >= account.MaxFailures {
			locked = true
			detail["locked_until"] = now.Add(account.LockFor).UnixMilli()
			if _, err := tx.DB().Exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?",
				now.Add(account.LockFor).UnixMilli(), id); err != nil {
				return err
			}
		}
		return tx.Record(ctx, anon, "login", "user/"+username, "failed", detail)
	})
	if err != nil {
		return 0, fmt.Errorf("count failed login: %w", err)
	}
	if locked {
		return 0, errLocked
	}
	return 0, ErrBadLogin
}

// RecordOrLog records an event in its own transaction, logging a failure instead
// of returning it: the caller's answer does not depend on it.
func (s *Store) RecordOrLog(ctx context.Context, actor access.Actor, action, target, result string, detail any) {
	if err := s.Record(ctx, actor, action, target, result, detail); err != nil {
		s.log.Error("audit", "action", action, "err", err)
	}
}

// touchEvery bounds how often a session's last-seen time is written.
const touchEvery = time.Minute

// SessionActor returns the actor of a session secret, ending sessions idle
// for longer than their timeout or past their lifetime, and of users who
// were disabled.
func (s *Store) SessionActor(ctx context.Context, secret, addr string) (access.Actor, error) {
	key := account.HashToken(secret)
	var userID, lastSeen, idle, expires int64
	var given bool
	err := Scan(s.Reader().Row(ctx, "SELECT user_id, last_seen, idle_ms, expires_at, second_factor FROM sessions WHERE id = ?", key),
		&userID, &lastSeen, &idle, &expires, &given)
	if fault.Is(err, fault.NotFound) {
		return access.Actor{}, errSignedOut
	}
	if err != nil {
		return access.Actor{}, fmt.Errorf("read session: %w", err)
	}
	now := s.now().UnixMilli()
	if now-lastSeen > idle || now >= expires {
		if _, err := s.write.ExecContext(ctx, s.d.rebind("DELETE FROM sessions WHERE id = ?"), key); err != nil {
			s.log.Error("end idle session", "err", err)
		}
		return access.Actor{}, errSignedOut
	}
	a, err := s.Reader().actorOf(ctx, userID)
	if err != nil {
		return access.Actor{}, err
	}
	if given {
		a.SecondFactorDue = false
	} else if !a.SecondFactorDue && account.NeedsSecondFactor(a.Role) {
		demo, err := s.isDemo(ctx)
		if err != nil {
			return access.Actor{}, err
		}
		a.MustEnrol = !demo
	}
	if now-lastSeen > touchEvery.Milliseconds() {
		if _, err := s.write.ExecContext(ctx, s.d.rebind("UPDATE sessions SET last_seen = ? WHERE id = ?"), now, key); err != nil {
			return access.Actor{}, fmt.Errorf("touch session: %w", translate(err))
		}
	}
	a.Addr = addr
	return a, nil
}

// Logout ends a session.
func (s *Store) Logout(ctx context.Context, secret string, actor access.Actor) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.DB().Exec(ctx, "DELETE FROM sessions WHERE id = ?", account.HashToken(secret)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "logout", fmt.Sprintf("user/%d", actor.UserID), "ok", nil)
	})
}

// Token is an API token of a user; the secret is shown once, at creation.
type Token struct {
	ID        int64
	Name      string
	CreatedAt time.Time
	LastUsed  time.Time
	Revoked   bool
}

// CreateToken issues an API token for the actor and returns its secret.
func (s *Store) CreateToken(ctx context.Context, actor access.Actor, name string) (string, Token, error) {
	return s.createToken(ctx, actor, actor.UserID, "", name)
}

// CreateServiceToken creates an API token for a connected system's account
// (role service), which cannot sign in to make one: an administrator does,
// in a session, and hands the secret to the system's operators.
func (s *Store) CreateServiceToken(ctx context.Context, actor access.Actor, userID int64, name string) (string, Token, error) {
	u, err := s.serviceAccount(ctx, actor, userID)
	if err != nil {
		return "", Token{}, err
	}
	if u.Disabled {
		return "", Token{}, fault.New(fault.Conflict, "user_disabled", "该账号已停用，请先启用", "the account is disabled; enable it first")
	}
	return s.createToken(ctx, actor, u.ID, u.Username, name)
}

// ServiceTokens lists the API tokens of a connected system's account.
func (s *Store) ServiceTokens(ctx context.Context, actor access.Actor, userID int64) ([]Token, error) {
	if _, err := s.serviceAccount(ctx, actor, userID); err != nil {
		return nil, err
	}
	return s.Tokens(ctx, access.Actor{UserID: userID})
}

// serviceAccount reads the connected system's account an administrator
// manages: another role's account is not one (404).
func (s *Store) serviceAccount(ctx context.Context, actor access.Actor, userID int64) (account.User, error) {
	if !access.May(actor.Role, access.UserManage) {
		return account.User{}, access.ErrForbidden
	}
	u, err := s.User(ctx, actor, userID)
	if err != nil {
		return u, err
	}
	if u.Role != access.RoleService {
		return u, fault.ErrNotFound
	}
	return u, nil
}

// createToken makes a token of the user owner; for names it in the audit
// entry when it is another's than the actor's.
func (s *Store) createToken(ctx context.Context, actor access.Actor, owner int64, forUser, name string) (string, Token, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 50 {
		return "", Token{}, fault.Fields{"name": {Zh: "请填写令牌名称（不超过 50 字）", En: "a token name of up to 50 characters is required"}}.Err()
	}
	if actor.ByToken {
		return "", Token{}, ErrTokenByToken
	}
	secret, key := account.NewToken("qt_")
	t := Token{Name: name, CreatedAt: time.UnixMilli(s.now().UnixMilli())}
	err := s.WithTx(ctx, func(tx *Tx) error {
		if err := Scan(tx.DB().Row(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			owner, name, key, t.CreatedAt.UnixMilli()), &t.ID); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		detail := map[string]string{"name": name}
		if forUser != "" {
			detail["for"] = forUser
		}
		return tx.Record(ctx, actor, "token.create", fmt.Sprintf("token/%d", t.ID), "ok", detail)
	})
	return secret, t, err
}

// Tokens lists the actor's own API tokens.
func (s *Store) Tokens(ctx context.Context, actor access.Actor) ([]Token, error) {
	rows, err := s.Reader().Query(ctx, `SELECT id, name, created_at, last_used, revoked_at FROM api_tokens
		WHERE user_id = ? ORDER BY id`, actor.UserID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var list []Token
	for rows.Next() {
		var t Token
		var created, used, revoked int64
		if err := rows.Scan(&t.ID, &t.Name, &created, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt, t.LastUsed, t.Revoked = time.UnixMilli(created), Millis(used), revoked != 0
		list = append(list, t)
	}
	return list, rows.Err()
}

// RevokeToken revokes one of the actor's tokens (or any, for an administrator).
func (s *Store) RevokeToken(ctx context.Context, actor access.Actor, id int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		var owner int64
		if err := Scan(tx.DB().Row(ctx, "SELECT user_id FROM api_tokens WHERE id = ?", id), &owner); err != nil {
			return err
		}
		if owner != actor.UserID && !access.May(actor.Role, access.UserManage) {
			return fault.ErrNotFound
		}
		if _, err := tx.DB().Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0",
			s.now().UnixMilli(), id); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "token.revoke", fmt.Sprintf("token/%d", id), "ok", nil)
	})
}

// TokenActor returns the actor of an API token secret.
func (s *Store) TokenActor(ctx context.Context, secret, addr string) (access.Actor, error) {
	var id, userID, used int64
	err := Scan(s.Reader().Row(ctx, "SELECT id, user_id, last_used FROM api_tokens WHERE token_hash = ? AND revoked_at = 0",
		account.HashToken(secret)), &id, &userID, &used)
	if fault.Is(err, fault.NotFound) {
		return access.Actor{}, errSignedOut
	}
	if err != nil {
		return access.Actor{}, fmt.Errorf("read token: %w", err)
	}
	a, err := s.Reader().actorOf(ctx, userID)
	if err != nil {
		return access.Actor{}, err
	}
	now := s.now().UnixMilli()
	if now-used > touchEvery.Milliseconds() {
		if _, err := s.write.ExecContext(ctx, s.d.rebind("UPDATE api_tokens SET last_used = ? WHERE id = ?"), now, id); err != nil {
			return access.Actor{}, fmt.Errorf("touch token: %w", translate(err))
		}
	}
	a.Addr, a.ByToken = addr, true
	a.SecondFactorDue = false // a token is made in a session that gave it
	return a, nil
}

// errServiceLogin refuses a password sign-in to a connected system's
// account: it has no password anyone knows, and signs its requests with API
// tokens an administrator creates for it.
var errServiceLogin = fault.New(fault.Unauthorized, "service_account", "对接系统的账号不能用密码登录，请使用管理员为其创建的 API 令牌",
	"a connected system's account does not sign in with a password; use an API token an administrator created for it")

// ErrTokenByToken refuses a token to a request signed with a token: a
// leaked token must not be able to mint others that outlive its revocation.
var ErrTokenByToken = fault.New(fault.Forbidden, "token_by_token", "API 令牌只能在登录会话中创建，不能用令牌创建",
	"API tokens are created in a signed-in session, not with a token")

var _ = sql.ErrNoRows

// RequirePasswordChange makes a user change the password before anything
// else, for example one signed in with a publicly known password.
func (s *Store) RequirePasswordChange(ctx context.Context, actor access.Actor, userID int64, reason string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.DB().Exec(ctx, "UPDATE users SET must_change = TRUE WHERE id = ?", userID); err != nil {
			return fmt.Errorf("require password change: %w", err)
		}
		return tx.Record(ctx, actor, "user.must_change", fmt.Sprintf("user/%d", userID), "ok", map[string]string{"reason": reason})
	})
}
