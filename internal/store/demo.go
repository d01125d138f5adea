package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/demo"
	"qifu/internal/department"
	"qifu/internal/fault"
)

// Empty reports whether the store holds no regions yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	if err := Scan(s.Reader().Row(ctx, "SELECT COUNT(*) FROM regions"), &n); err != nil {
		return false, fmt.Errorf("count regions: %w", err)
	}
	return n == 0, nil
}

// LoadDemo puts the demo dataset into an empty store in one transaction.
func (s *Store) LoadDemo(ctx context.Context, d demo.Dataset) error {
	// Every demo account has the same password: hash it once.
	hashes := map[string]string{}
	for _, u := range d.Users {
		if _, ok := hashes[u.Password]; !ok {
			h, err := account.HashPassword(u.Password)
			if err != nil {
				return err
			}
			hashes[u.Password] = h
		}
	}
	actor := access.System("demo")
	defer s.demo.v.Store(0) // read again: the demo's mark may have been written
	return s.WithTx(ctx, func(tx *Tx) error {
		// The store is the demo's: its published password stays usable.
		if err := tx.DB().SetSetting(ctx, settingDemo, "1"); err != nil {
			return err
		}
		var n int
		if err := Scan(tx.DB().Row(ctx, "SELECT COUNT(*) FROM regions"), &n); err != nil {
			return err
		}
		if n > 0 {
			return fault.New(fault.Conflict, "not_empty", "数据库已有数据，不能载入演示数据", "the store is not empty; demo data is loaded only into an empty store")
		}
		if err := tx.InsertRegions(ctx, d.Regions); err != nil {
			return err
		}
		// A copy: InsertDepartments fills in IDs, and the dataset is the caller's.
		inserted := slices.Clone(d.Departments)
		if err := tx.InsertDepartments(ctx, inserted); err != nil {
			return err
		}
		depts := map[string]int64{}
		for _, dep := range inserted {
			depts[dep.Code] = dep.ID
		}
		offices := make([]department.Office, len(d.Offices))
		for i, o := range d.Offices {
			offices[i] = o.Office
			offices[i].DepartmentID = depts[o.DepartmentCode]
		}
		if err := tx.InsertOffices(ctx, offices); err != nil {
			return err
		}
		officeIDs := map[[2]string]int64{}
		for i, o := range d.Offices {
			officeIDs[[2]string{o.DepartmentCode, o.Code}] = offices[i].ID
		}
		ents := make(map[string]int64, len(d.Enterprises))
		for _, e := range d.Enterprises {
			if err := tx.insertEnterprise(ctx, actor, &e); err != nil {
				return fmt.Errorf("demo enterprise %s: %w", e.CreditCode, err)
			}
			ents[e.CreditCode] = e.ID
		}
		for _, du := range d.Users {
			u := account.User{Username: du.Username, Name: du.Name, Phone: du.Phone, Role: du.Role,
				RegionCode: du.RegionCode, DepartmentID: depts[du.DepartmentCode], EnterpriseID: ents[du.EnterpriseCode],
				OfficeID: officeIDs[[2]string{du.DepartmentCode, du.OfficeCode}], HomeUnit: du.HomeUnit}
			if err := tx.insertUser(ctx, &u, hashes[du.Password]); err != nil {
				return fmt.Errorf("demo user %s: %w", du.Username, err)
			}
			for _, code := range du.Assigned {
				if _, err := tx.DB().Exec(ctx, "INSERT INTO assignments (user_id, enterprise_id) VALUES (?, ?)", u.ID, ents[code]); err != nil {
					return fmt.Errorf("demo assignment: %w", err)
				}
			}
			for _, grid := range du.GridCodes {
				if _, err := tx.DB().Exec(ctx, "UPDATE regions SET worker_id = ? WHERE code = ?", u.ID, grid); err != nil {
					return fmt.Errorf("demo grid worker: %w", err)
				}
			}
		}
		userIDs := map[string]int64{}
		if err := func() error {
			rows, err := tx.DB().Query(ctx, "SELECT id, username FROM users")
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				var name string
				if err := rows.Scan(&id, &name); err != nil {
					return err
				}
				userIDs[name] = id
			}
			return rows.Err()
		}(); err != nil {
			return fmt.Errorf("demo users: %w", err)
		}
		now := tx.Now().UnixMilli()
		for _, p := range d.Projects {
			if _, err := tx.DB().Exec(ctx, `INSERT INTO key_projects (enterprise_id, name, stage, investment, cadre_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, ents[p.CreditCode], p.Name, string(p.Stage), p.Investment, userIDs[p.Cadre], now, now); err != nil {
				return fmt.Errorf("demo project: %w", err)
			}
		}
		names := make([]string, 0, len(d.Accounts()))
		for _, u := range d.Accounts() {
			names = append(names, u.Username)
		}
		return tx.Record(ctx, actor, "demo.load", "store", "ok", map[string]any{
			"regions": len(d.Regions), "departments": len(d.Departments), "enterprises": len(d.Enterprises),
			"users": len(d.Users), "accounts": strings.Join(names, ",")})
	})
}
