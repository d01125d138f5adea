package store

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/fault"
	"qifu/internal/place"
)

// UserQuery selects users in the administration list.
type UserQuery struct {
	Role     access.Role
	Text     string // part of the username or name
	Disabled string // "yes", "no" or ""
	Page     Page
}

func userScopeSQL(f access.Filter) (string, []any) {
	switch f.Reach {
	case access.All:
		return "1 = 1", nil
	case access.Region:
		return "u.region_code LIKE ?", []any{place.Prefix(f.Code) + "%"}
	}
	return "1 = 0", nil
}

// Users lists the users the actor may read, with phones masked for everyone:
// the full number is shown, and audited, only on one user's record.
func (s *Store) Users(ctx context.Context, actor access.Actor, q UserQuery) ([]account.User, int, error) {
	if !access.May(actor.Role, access.UserRead) {
		return nil, 0, access.ErrForbidden
	}
	where, args := userScopeSQL(access.FilterFor(actor, access.UserRead))
	if q.Role != "" {
		where += " AND u.role = ?"
		args = append(args, string(q.Role))
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		where += ` AND (u.username LIKE ? ESCAPE '\' OR LOWER(u.name) LIKE ? ESCAPE '\')`
		args = append(args, "%"+EscapeLike(LowerASCII(t))+"%", "%"+EscapeLike(LowerASCII(t))+"%")
	}
	switch q.Disabled {
	case "yes":
		where += " AND u.disabled = TRUE"
	case "no":
		where += " AND u.disabled = FALSE"
	}
	r := s.Reader()
	var total int
	if err := Scan(r.Row(ctx, "SELECT COUNT(*) FROM users u WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	limit, offset := q.Page.Bounds()
	rows, err := r.Query(ctx, "SELECT "+userColumns+userFrom+" WHERE "+where+" ORDER BY u.username LIMIT ? OFFSET ?",
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var list []account.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan user: %w", err)
		}
		u.Phone = access.MaskPhone(u.Phone)
		list = append(list, u)
	}
	return list, total, rows.Err()
}

// User returns one user the actor may read.
func (s *Store) User(ctx context.Context, actor access.Actor, id int64) (account.User, error) {
	u, err := scanUserRow(s.Reader().Row(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", id))
	if err != nil {
		return u, err
	}
	if !access.Allows(actor, access.UserRead, access.Target{Place: placeOfCode(u.RegionCode)}) && u.ID != actor.UserID {
		return account.User{}, fault.ErrNotFound
	}
	switch {
	case access.May(actor.Role, access.UserManage) && u.ID != actor.UserID && u.Phone != "":
		// An administrator sees the full number to manage the account; the view is audited.
		s.RecordOrLog(ctx, actor, "user.view_phone", "user/"+u.Username, "ok", nil)
	case u.ID != actor.UserID:
		u.Phone = access.MaskPhone(u.Phone)
	}
	return u, nil
}

// UserByUsername returns a user by username, for the command line.
func (s *Store) UserByUsername(ctx context.Context, username string) (account.User, error) {
	return scanUserRow(s.Reader().Row(ctx, "SELECT "+userColumns+userFrom+" WHERE u.username = ?", username))
}

func scanUserRow(row interface{ Scan(...any) error }) (account.User, error) {
	u, err := scanUser(row)
	if err != nil {
		return u, ScanErr(err)
	}
	return u, nil
}

// placeOfCode returns the ancestry implied by a region code's prefixes:
// enough for the policy to compare against a region of any level.
func placeOfCode(code string) place.Ancestry {
	var a place.Ancestry
	switch place.LevelOf(code) {
	case place.Grid:
		a.Grid = code
		code = code[:12]
		fallthrough
	case place.Community:
		a.Community = code
		code = code[:9]
		fallthrough
	case place.Street:
		a.Street = code
		code = code[:6]
		fallthrough
	case place.District:
		a.District = code
		a.City = code[:4] + "00"
	case place.City:
		a.City = code
	}
	return a
}

// checkUser validates u and that its scope exists.
func (t *Tx) checkUser(ctx context.Context, u *account.User) error {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.Name = strings.TrimSpace(u.Name)
	u.Normalize()
	f := u.Validate()
	if u.RegionCode != "" {
		if _, err := t.DB().region(ctx, u.RegionCode); err != nil {
			f.Add("region_code", "区划不存在", "no such region")
		}
	}
	if u.DepartmentID != 0 {
		var n int
		if err := Scan(t.DB().Row(ctx, "SELECT COUNT(*) FROM departments WHERE id = ?", u.DepartmentID), &n); err != nil || n == 0 {
			f.Add("department_id", "部门不存在", "no such department")
		}
	}
	if u.OfficeID != 0 {
		var n int
		if err := Scan(t.DB().Row(ctx, "SELECT COUNT(*) FROM department_offices WHERE id = ? AND department_id = ?", u.OfficeID, u.DepartmentID), &n); err != nil || n == 0 {
			f.Add("office_id", "该部门没有这个分支机构", "the department has no such office")
		}
	}
	if u.EnterpriseID != 0 {
		if _, err := t.DB().enterprise(ctx, u.EnterpriseID); err != nil {
			f.Add("enterprise_id", "企业不存在", "no such enterprise")
		}
	}
	return f.Err()
}

// CreateUser adds an account with an initial password.
func (s *Store) CreateUser(ctx context.Context, actor access.Actor, u account.User, password string) (account.User, error) {
	if !access.May(actor.Role, access.UserManage) {
		return u, access.ErrForbidden
	}
	if u.Role == access.RoleService {
		// A connected system signs in with tokens only: its password is one
		// nobody knows, whatever was typed.
		password = rand.Text() + "Aa1!"
	} else if err := s.checkNewPassword(ctx, password, u.Username, u.Name); err != nil {
		return u, err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return u, err
	}
	err = s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.checkUser(ctx, &u); err != nil {
			return err
		}
		if err := tx.insertUser(ctx, &u, hash); err != nil {
			return err
		}
		if actor.UserID != 0 && u.Role != access.RoleService {
			// The initial password an administrator chose is changed by its user
			// at the first sign-in; an operator creating accounts from the
			// command line (the first administrator, say) sets their own.
			if _, err := tx.DB().Exec(ctx, "UPDATE users SET must_change = TRUE WHERE id = ?", u.ID); err != nil {
				return err
			}
		}
		return tx.Record(ctx, actor, "user.create", "user/"+u.Username, "ok",
			map[string]any{"role": u.Role, "region": u.RegionCode, "department": u.DepartmentID, "enterprise": u.EnterpriseID})
	})
	return u, err
}

func (t *Tx) insertUser(ctx context.Context, u *account.User, hash string) error {
	now := t.s.now().UnixMilli()
	err := Scan(t.DB().Row(ctx, `INSERT INTO users (username, name, phone, role, region_code, department_id, enterprise_id,
		office_id, home_unit, password_hash, password_changed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Username, u.Name, u.Phone, string(u.Role), NullString(u.RegionCode), NullInt(u.DepartmentID),
		NullInt(u.EnterpriseID), u.OfficeID, u.HomeUnit, hash, now, now, now), &u.ID)
	if fault.Is(err, fault.Conflict) {
		return fault.Fields{"username": {Zh: "用户名已被使用", En: "the username is taken"}}.Err()
	}
	if err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	u.Version = 1
	return nil
}

// UpdateUser changes a user's name, phone, role and scope, if still at
// version. The change applies on the user's next request on every instance.
func (s *Store) UpdateUser(ctx context.Context, actor access.Actor, id, version int64, u account.User) (account.User, error) {
	if !access.May(actor.Role, access.UserManage) {
		return u, access.ErrForbidden
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		old, err := scanUserRow(tx.DB().Row(ctx, "SELECT "+userColumns+userFrom+" WHERE u.id = ?", id))
		if err != nil {
			return err
		}
		u.Username = old.Username
		if err := tx.checkUser(ctx, &u); err != nil {
			return err
		}
		res, err := tx.DB().Exec(ctx, `UPDATE users SET name = ?, phone = ?, role = ?, region_code = ?, department_id = ?,
			enterprise_id = ?, office_id = ?, home_unit = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
			u.Name, u.Phone, string(u.Role), NullString(u.RegionCode), NullInt(u.DepartmentID), NullInt(u.EnterpriseID),
			u.OfficeID, u.HomeUnit, s.now().UnixMilli(), id, version)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.ErrConflict
		}
		if old.Role == access.RoleGridWorker && (u.Role != old.Role || u.RegionCode != old.RegionCode) {
			if _, err := tx.DB().Exec(ctx, "UPDATE regions SET worker_id = NULL WHERE worker_id = ?", id); err != nil {
				return err
			}
		}
		u.ID, u.Version = id, version+1
		return tx.Record(ctx, actor, "user.update", "user/"+old.Username, "ok", map[string]any{
			"role": [2]any{old.Role, u.Role}, "region": [2]any{old.RegionCode, u.RegionCode},
			"department": [2]any{old.DepartmentID, u.DepartmentID}, "enterprise": [2]any{old.EnterpriseID, u.EnterpriseID},
			"office": [2]any{old.OfficeID, u.OfficeID}, "home_unit": [2]any{old.HomeUnit, u.HomeUnit}})
	})
	return u, err
}

// SetPassword sets a new password. Users change their own (with the old
// one checked by the caller); administrators reset anyone's. All the
// user's sessions end.
func (s *Store) SetPassword(ctx context.Context, actor access.Actor, id int64, password string) error {
	if id != actor.UserID && !access.May(actor.Role, access.UserManage) {
		return fault.ErrNotFound
	}
	var who account.User
	if err := Scan(s.Reader().Row(ctx, "SELECT username, name FROM users WHERE id = ?", id), &who.Username, &who.Name); err != nil {
		return err
	}
	if err := s.checkNewPassword(ctx, password, who.Username, who.Name); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		var username string
		if err := Scan(tx.DB().Row(ctx, "SELECT username FROM users WHERE id = ?", id), &username); err != nil {
			return err
		}
		// A password set by someone else must be changed by its user; one's own change settles it.
		if _, err := tx.DB().Exec(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0,
			locked_until = 0, must_change = ?, version = version + 1 WHERE id = ?`, hash, s.now().UnixMilli(), id != actor.UserID, id); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if err := tx.signOutEverywhere(ctx, id); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "user.password", "user/"+username, "ok", nil)
	})
}

// SetDisabled disables or re-enables an account. A disabled user's sessions
// and tokens stop working at once.
func (s *Store) SetDisabled(ctx context.Context, actor access.Actor, id int64, disabled bool) error {
	if !access.May(actor.Role, access.UserManage) {
		return access.ErrForbidden
	}
	if id == actor.UserID && disabled {
		return fault.New(fault.Invalid, "disable_self", "不能停用自己的账号", "you cannot disable your own account")
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		var username string
		if err := Scan(tx.DB().Row(ctx, "SELECT username FROM users WHERE id = ?", id), &username); err != nil {
			return err
		}
		if _, err := tx.DB().Exec(ctx, "UPDATE users SET disabled = ?, updated_at = ?, version = version + 1 WHERE id = ?",
			disabled, s.now().UnixMilli(), id); err != nil {
			return fmt.Errorf("disable user: %w", err)
		}
		if disabled {
			// Ended for good: enabling the account again revives none of them.
			if err := tx.signOutEverywhere(ctx, id); err != nil {
				return err
			}
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		return tx.Record(ctx, actor, action, "user/"+username, "ok", nil)
	})
}

// SetAssignments replaces the list of enterprises a cadre is stationed at.
func (s *Store) SetAssignments(ctx context.Context, actor access.Actor, userID int64, enterpriseIDs []int64) error {
	if !access.May(actor.Role, access.UserManage) {
		return access.ErrForbidden
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		var role, username string
		if err := Scan(tx.DB().Row(ctx, "SELECT role, username FROM users WHERE id = ?", userID), &role, &username); err != nil {
			return err
		}
		if access.Role(role) != access.RoleCadre {
			return fault.New(fault.Invalid, "not_cadre", "只有驻企干部可以分配联系企业", "only cadres are assigned enterprises")
		}
		if _, err := tx.DB().Exec(ctx, "DELETE FROM assignments WHERE user_id = ?", userID); err != nil {
			return err
		}
		for _, id := range enterpriseIDs {
			if _, err := tx.DB().Exec(ctx, "INSERT INTO assignments (user_id, enterprise_id) VALUES (?, ?)", userID, id); err != nil {
				return fmt.Errorf("assign enterprise %d: %w", id, err)
			}
		}
		return tx.Record(ctx, actor, "user.assign", "user/"+username, "ok", map[string]any{"enterprises": enterpriseIDs})
	})
}

func NullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func NullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// signOutEverywhere ends a user's sessions and revokes the user's API tokens:
// after a new password, or when the account is disabled, nothing signed with
// the old credentials works any more.
func (t *Tx) signOutEverywhere(ctx context.Context, userID int64) error {
	if _, err := t.DB().Exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	if _, err := t.DB().Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0",
		t.s.now().UnixMilli(), userID); err != nil {
		return fmt.Errorf("revoke tokens: %w", err)
	}
	return nil
}
