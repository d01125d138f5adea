package store

import (
	"context"
	"fmt"
	"slices"

	"qifu/internal/access"
	"qifu/internal/department"
	"qifu/internal/fault"
	"qifu/internal/place"
)

// InsertRegions adds regions, parents first. Used by the demo and by setup.
func (t *Tx) InsertRegions(ctx context.Context, list []place.Region) error {
	for _, r := range list {
		if err := place.CheckCode(r.Code, r.Level); err != nil {
			return err
		}
		var parent any
		if r.ParentCode != "" {
			parent = r.ParentCode
		}
		if _, err := t.db().exec(ctx, `INSERT INTO regions (code, name, level, parent_code, industrial)
			VALUES (?, ?, ?, ?, ?)`, r.Code, r.Name, int(r.Level), parent, r.Industrial); err != nil {
			return fmt.Errorf("insert region %s: %w", r.Code, err)
		}
	}
	return nil
}

// Regions returns the whole region tree, parents before children. The tree
// is public structure: every staff role may read it.
func (s *Store) Regions(ctx context.Context, actor access.Actor) ([]place.Region, error) {
	if !access.May(actor.Role, access.RegionRead) {
		return nil, access.ErrForbidden
	}
	rows, err := s.reader().query(ctx, `SELECT code, name, level, COALESCE(parent_code, ''), industrial, COALESCE(worker_id, 0)
		FROM regions ORDER BY level, code`)
	if err != nil {
		return nil, fmt.Errorf("list regions: %w", err)
	}
	defer rows.Close()
	var list []place.Region
	for rows.Next() {
		var r place.Region
		if err := rows.Scan(&r.Code, &r.Name, &r.Level, &r.ParentCode, &r.Industrial, &r.WorkerID); err != nil {
			return nil, fmt.Errorf("scan region: %w", err)
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

// RegionNames returns the names of the regions with the given codes (codes
// of no region are left out), for naming the rows of a table.
func (s *Store) RegionNames(ctx context.Context, actor access.Actor, codes []string) (map[string]string, error) {
	if !access.May(actor.Role, access.RegionRead) {
		return nil, access.ErrForbidden
	}
	names := map[string]string{}
	for batch := range slices.Chunk(codes, 500) {
		args := make([]any, len(batch))
		for i, c := range batch {
			args[i] = c
		}
		rows, err := s.reader().query(ctx, "SELECT code, name FROM regions WHERE code IN ("+placeholders(len(batch))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("region names: %w", err)
		}
		for rows.Next() {
			var code, name string
			if err := rows.Scan(&code, &name); err != nil {
				rows.Close()
				return nil, fmt.Errorf("region names: %w", err)
			}
			names[code] = name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("region names: %w", err)
		}
	}
	return names, nil
}

// region reads one region.
func (h db) region(ctx context.Context, code string) (place.Region, error) {
	var r place.Region
	err := scan(h.row(ctx, `SELECT code, name, level, COALESCE(parent_code, ''), industrial, COALESCE(worker_id, 0)
		FROM regions WHERE code = ?`, code), &r.Code, &r.Name, &r.Level, &r.ParentCode, &r.Industrial, &r.WorkerID)
	return r, err
}

// ancestry returns the codes of a region and its ancestors.
func (h db) ancestry(ctx context.Context, code string) (place.Ancestry, place.Level, error) {
	var a place.Ancestry
	var level place.Level
	for c := code; c != ""; {
		r, err := h.region(ctx, c)
		if err != nil {
			return a, 0, err
		}
		if level == 0 {
			level = r.Level
		}
		switch r.Level {
		case place.City:
			a.City = r.Code
		case place.District:
			a.District = r.Code
		case place.Street:
			a.Street = r.Code
		case place.Community:
			a.Community = r.Code
		case place.Grid:
			a.Grid = r.Code
		}
		c = r.ParentCode
	}
	return a, level, nil
}

// GridLoad is a grid with its enterprise count and responsible worker.
type GridLoad struct {
	place.Region
	Enterprises int
	WorkerName  string
	OutsideNorm bool // fewer than place.GridNormMin or more than place.GridNormMax
}

// GridLoads lists the grids in the actor's scope with how many enterprises
// each holds, counted in SQL within the actor's enterprise scope.
func (s *Store) GridLoads(ctx context.Context, actor access.Actor, under string) ([]GridLoad, error) {
	if !access.May(actor.Role, access.RegionRead) {
		return nil, access.ErrForbidden
	}
	// The scope is the actor's enterprise scope: a regional role sees the
	// grids of its region, and counts only what it may read.
	f := access.FilterFor(actor, access.EnterpriseRead)
	scope, args := scopeSQL(f)
	q := `SELECT g.code, g.name, g.level, g.parent_code, g.industrial, COALESCE(g.worker_id, 0), COALESCE(u.name, ''),
		(SELECT COUNT(*) FROM enterprises e WHERE e.grid_code = g.code AND ` + scope + `)
		FROM regions g LEFT JOIN users u ON u.id = g.worker_id
		WHERE g.level = 5`
	if f.Reach == access.Region {
		q += " AND g.code LIKE ?"
		args = append(args, place.Prefix(f.Code)+"%")
	}
	if under != "" {
		q += " AND g.code LIKE ?"
		args = append(args, place.Prefix(under)+"%")
	}
	rows, err := s.reader().query(ctx, q+" ORDER BY g.code", args...)
	if err != nil {
		return nil, fmt.Errorf("grid loads: %w", err)
	}
	defer rows.Close()
	var list []GridLoad
	for rows.Next() {
		var g GridLoad
		if err := rows.Scan(&g.Code, &g.Name, &g.Level, &g.ParentCode, &g.Industrial, &g.WorkerID, &g.WorkerName,
			&g.Enterprises); err != nil {
			return nil, fmt.Errorf("scan grid: %w", err)
		}
		g.OutsideNorm = g.Enterprises < place.GridNormMin || g.Enterprises > place.GridNormMax
		list = append(list, g)
	}
	return list, rows.Err()
}

// SetGridWorker names the responsible grid worker (网格员) of a grid. A grid
// has exactly one; naming another replaces the first.
func (s *Store) SetGridWorker(ctx context.Context, actor access.Actor, grid string, userID int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		g, err := tx.db().region(ctx, grid)
		if err != nil || g.Level != place.Grid {
			return fault.ErrNotFound
		}
		a, _, err := tx.db().ancestry(ctx, grid)
		if err != nil {
			return err
		}
		// Every role reads the region tree, but a grid outside the scope
		// of a role that manages grids is not found, as records are.
		if !access.May(actor.Role, access.RegionManage) {
			return access.ErrForbidden
		}
		if !access.Allows(actor, access.RegionManage, access.Target{Place: a}) {
			return fault.ErrNotFound
		}
		var role, region string
		noWorker := fault.New(fault.Invalid, "no_such_worker", "网格员账号不存在或已停用", "no such active grid worker")
		if err := scan(tx.db().row(ctx, "SELECT role, COALESCE(region_code, '') FROM users WHERE id = ? AND disabled = FALSE", userID),
			&role, &region); err != nil {
			return noWorker
		}
		// The worker comes from within the actor's scope too.
		if !access.Allows(actor, access.RegionManage, access.Target{Place: placeOfCode(region)}) {
			return noWorker
		}
		if access.Role(role) != access.RoleGridWorker {
			return fault.New(fault.Invalid, "not_grid_worker", "只能指定网格员角色的账号", "only a grid worker can be responsible for a grid")
		}
		// A worker moving here leaves the grid they had, as UpdateUser does.
		if _, err := tx.db().exec(ctx, "UPDATE regions SET worker_id = NULL WHERE worker_id = ? AND code <> ?", userID, grid); err != nil {
			return fmt.Errorf("clear previous grid: %w", err)
		}
		if _, err := tx.db().exec(ctx, "UPDATE regions SET worker_id = ? WHERE code = ?", userID, grid); err != nil {
			return fmt.Errorf("set grid worker: %w", err)
		}
		if _, err := tx.db().exec(ctx, "UPDATE users SET region_code = ?, updated_at = ?, version = version + 1 WHERE id = ?",
			grid, s.now().UnixMilli(), userID); err != nil {
			return fmt.Errorf("set worker region: %w", err)
		}
		return tx.record(ctx, actor, "region.worker", "region/"+grid, "ok",
			map[string]any{"from": g.WorkerID, "to": userID})
	})
}

// InsertDepartments adds departments and fills in their IDs.
func (t *Tx) InsertDepartments(ctx context.Context, list []department.Department) error {
	for i := range list {
		d := &list[i]
		if err := scan(t.db().row(ctx, `INSERT INTO departments (code, name, name_en, region_code, phone)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, d.Code, d.Name, d.NameEn, d.RegionCode, d.Phone), &d.ID); err != nil {
			return fmt.Errorf("insert department %s: %w", d.Code, err)
		}
	}
	return nil
}

// Departments lists the departments of the alliance.
func (s *Store) Departments(ctx context.Context, actor access.Actor) ([]department.Department, error) {
	if !access.May(actor.Role, access.DepartmentRead) {
		return nil, access.ErrForbidden
	}
	rows, err := s.reader().query(ctx, "SELECT id, code, name, name_en, region_code, phone FROM departments ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	defer rows.Close()
	var list []department.Department
	for rows.Next() {
		var d department.Department
		if err := rows.Scan(&d.ID, &d.Code, &d.Name, &d.NameEn, &d.RegionCode, &d.Phone); err != nil {
			return nil, fmt.Errorf("scan department: %w", err)
		}
		list = append(list, d)
	}
	return list, rows.Err()
}

// DepartmentStaffCounts returns the number of active staff accounts per department ID.
func (s *Store) DepartmentStaffCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := s.reader().query(ctx, `SELECT department_id, COUNT(*) FROM users
		WHERE department_id IS NOT NULL AND disabled = FALSE GROUP BY department_id`)
	if err != nil {
		return nil, fmt.Errorf("count staff: %w", err)
	}
	defer rows.Close()
	m := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		m[id] = n
	}
	return m, rows.Err()
}
