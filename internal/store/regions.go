package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
		// A region's code extends its parent's: the subtree of a region is a
		// range of codes (RegionQuery, the grids of a scope).
		if up := place.Above(r.Code); r.ParentCode != "" && (len(up) == 0 || up[0] != r.ParentCode) {
			return fault.New(fault.Invalid, "region_parent", "区划代码 "+r.Code+" 与上级 "+r.ParentCode+" 不符",
				"the code "+r.Code+" is not under its parent "+r.ParentCode)
		}
		var parent any
		if r.ParentCode != "" {
			parent = r.ParentCode
		}
		if _, err := t.DB().Exec(ctx, `INSERT INTO regions (code, name, level, parent_code, industrial)
			VALUES (?, ?, ?, ?, ?)`, r.Code, r.Name, int(r.Level), parent, r.Industrial); err != nil {
			return fmt.Errorf("insert region %s: %w", r.Code, err)
		}
	}
	return nil
}

// RegionQuery selects part of the region tree. The zero query is the whole
// tree.
type RegionQuery struct {
	// Under is the region whose subtree is selected, itself included (""
	// for the whole tree).
	Under string
	// Ancestors adds the regions above Under, for orientation.
	Ancestors bool
	// Deepest is the lowest level selected (0: down to the grids).
	Deepest place.Level
	// Top, when set, keeps only the regions at level Top or above, the
	// regions of Open and their children: a large tree around a chosen
	// region.
	Top  place.Level
	Open []string
}

// where is the condition on regions r of the query.
func (q RegionQuery) where() (string, []any) {
	var conds []string
	var args []any
	if q.Under != "" {
		// The codes under a region share its prefix: a range of the key.
		prefix := place.Prefix(q.Under)
		under := "(r.code >= ? AND r.code < ? AND r.level >= ?)"
		args = append(args, prefix, prefixEnd(prefix), int(place.LevelOf(q.Under)))
		if up := place.Above(q.Under); q.Ancestors && len(up) > 0 {
			under = "(" + under + " OR r.code IN (" + Placeholders(len(up)) + "))"
			for _, c := range up {
				args = append(args, c)
			}
		}
		conds = append(conds, under)
	}
	if q.Deepest != 0 {
		conds = append(conds, "r.level <= ?")
		args = append(args, int(q.Deepest))
	}
	if q.Top != 0 {
		top := "r.level <= ?"
		args = append(args, int(q.Top))
		if len(q.Open) > 0 {
			in := Placeholders(len(q.Open))
			top += " OR r.code IN (" + in + ") OR r.parent_code IN (" + in + ")"
			for range 2 {
				for _, c := range q.Open {
					args = append(args, c)
				}
			}
		}
		conds = append(conds, "("+top+")")
	}
	if len(conds) == 0 {
		return "1 = 1", nil
	}
	return strings.Join(conds, " AND "), args
}

// prefixEnd is the least code after every code starting with prefix (a
// string of digits): the prefix with its last digit that is not 9 raised.
func prefixEnd(prefix string) string {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b[:i+1])
		}
	}
	return "\x7f" // all nines: after every digit string
}

// Regions returns the regions of the query, parents before children (by
// level, then code). The tree is public structure: every staff role may
// read it; what a role may see of the records in it is scoped elsewhere.
func (s *Store) Regions(ctx context.Context, actor access.Actor, q RegionQuery) ([]place.Region, error) {
	if !access.May(actor.Role, access.RegionRead) {
		return nil, access.ErrForbidden
	}
	where, args := q.where()
	rows, err := s.Reader().Query(ctx, `SELECT r.code, r.name, r.level, COALESCE(r.parent_code, ''), r.industrial, COALESCE(r.worker_id, 0)
		FROM regions r WHERE `+where+` ORDER BY r.level, r.code`, args...)
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

// CountRegions counts the regions of the query, by level.
func (s *Store) CountRegions(ctx context.Context, actor access.Actor, q RegionQuery) (map[place.Level]int, error) {
	if !access.May(actor.Role, access.RegionRead) {
		return nil, access.ErrForbidden
	}
	where, args := q.where()
	rows, err := s.Reader().Query(ctx, "SELECT r.level, COUNT(*) FROM regions r WHERE "+where+" GROUP BY r.level", args...)
	if err != nil {
		return nil, fmt.Errorf("count regions: %w", err)
	}
	defer rows.Close()
	n := map[place.Level]int{}
	for rows.Next() {
		var l place.Level
		var c int
		if err := rows.Scan(&l, &c); err != nil {
			return nil, fmt.Errorf("count regions: %w", err)
		}
		n[l] = c
	}
	return n, rows.Err()
}

// WithChildren returns which of the regions of codes have children down
// to level deepest (0: any level).
func (s *Store) WithChildren(ctx context.Context, actor access.Actor, codes []string, deepest place.Level) (map[string]bool, error) {
	if !access.May(actor.Role, access.RegionRead) {
		return nil, access.ErrForbidden
	}
	if deepest == 0 {
		deepest = place.Grid
	}
	has := map[string]bool{}
	for batch := range slices.Chunk(codes, 500) {
		args := []any{int(deepest)}
		for _, c := range batch {
			args = append(args, c)
		}
		rows, err := s.Reader().Query(ctx, "SELECT DISTINCT parent_code FROM regions WHERE level <= ? AND parent_code IN ("+
			Placeholders(len(batch))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("regions with children: %w", err)
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return nil, err
			}
			has[c] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return has, nil
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
		rows, err := s.Reader().Query(ctx, "SELECT code, name FROM regions WHERE code IN ("+Placeholders(len(batch))+")", args...)
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
func (h DB) region(ctx context.Context, code string) (place.Region, error) {
	var r place.Region
	err := Scan(h.Row(ctx, `SELECT code, name, level, COALESCE(parent_code, ''), industrial, COALESCE(worker_id, 0)
		FROM regions WHERE code = ?`, code), &r.Code, &r.Name, &r.Level, &r.ParentCode, &r.Industrial, &r.WorkerID)
	return r, err
}

// ancestry returns the codes of a region and its ancestors.
func (h DB) ancestry(ctx context.Context, code string) (place.Ancestry, place.Level, error) {
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
	return s.gridLoads(ctx, actor, gridQuery{under: under})
}

// GridLoadsOf is GridLoads of the grids of codes only (codes of no grid, or
// of one outside the scope, are left out).
func (s *Store) GridLoadsOf(ctx context.Context, actor access.Actor, codes []string) ([]GridLoad, error) {
	var list []GridLoad
	for batch := range slices.Chunk(codes, 500) {
		part, err := s.gridLoads(ctx, actor, gridQuery{codes: batch})
		if err != nil {
			return nil, err
		}
		list = append(list, part...)
	}
	return list, nil
}

// GridSummary is what the grids of a scope come to.
type GridSummary struct {
	Grids, Outside, NoWorker int
	// FirstOutside are the first grids outside the norm, by code.
	FirstOutside []GridLoad
}

// GridSummary counts the grids in the actor's scope (under a region, if
// not ""), those outside the norm and those with no worker, and lists the
// first of those outside the norm, at most first.
func (s *Store) GridSummary(ctx context.Context, actor access.Actor, under string, first int) (GridSummary, error) {
	var sum GridSummary
	from, args, err := gridsFrom(actor, gridQuery{under: under})
	if err != nil {
		return sum, err
	}
	if err := Scan(s.Reader().Row(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN g.enterprises < ? OR g.enterprises > ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN g.worker_id = 0 THEN 1 ELSE 0 END), 0)
		FROM (`+from+`) g`, append([]any{place.GridNormMin, place.GridNormMax}, args...)...),
		&sum.Grids, &sum.Outside, &sum.NoWorker); err != nil {
		return sum, fmt.Errorf("grid summary: %w", err)
	}
	if first > 0 && sum.Outside > 0 {
		if sum.FirstOutside, err = s.gridLoads(ctx, actor, gridQuery{under: under, outside: true, limit: first}); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// gridQuery selects grids for their loads.
type gridQuery struct {
	under   string   // under this region ("" for the whole scope)
	codes   []string // these grids only (none: all)
	outside bool     // only those outside the norm
	limit   int      // at most this many (0 for all)
}

// gridsFrom is the statement of the grids of q in the actor's scope, each
// with its worker and enterprise count (within the actor's enterprise
// scope): columns code, name, level, parent_code, industrial, worker_id,
// worker_name, enterprises.
func gridsFrom(actor access.Actor, q gridQuery) (string, []any, error) {
	if !access.May(actor.Role, access.RegionRead) {
		return "", nil, access.ErrForbidden
	}
	// The scope is the actor's enterprise scope: a regional role sees the
	// grids of its region, and counts only what it may read — all of the
	// enterprises of a grid in its region, which holds them whole.
	f := access.FilterFor(actor, access.EnterpriseRead)
	scope, args := scopeSQL(f)
	if f.Reach == access.Region {
		scope, args = "1 = 1", nil
	}
	stmt := `SELECT g.code, g.name, g.level, g.parent_code, g.industrial, COALESCE(g.worker_id, 0) AS worker_id,
		COALESCE(u.name, '') AS worker_name, (SELECT COUNT(*) FROM enterprises e WHERE e.grid_code = g.code AND ` + scope + `) AS enterprises
		FROM regions g LEFT JOIN users u ON u.id = g.worker_id
		WHERE g.level = 5`
	for _, under := range []string{f.Code, q.under} {
		if under == "" || (under == f.Code && f.Reach != access.Region) {
			continue
		}
		prefix := place.Prefix(under)
		stmt += " AND g.code >= ? AND g.code < ?"
		args = append(args, prefix, prefixEnd(prefix))
	}
	if len(q.codes) > 0 {
		stmt += " AND g.code IN (" + Placeholders(len(q.codes)) + ")"
		for _, c := range q.codes {
			args = append(args, c)
		}
	}
	return stmt, args, nil
}

func (s *Store) gridLoads(ctx context.Context, actor access.Actor, q gridQuery) ([]GridLoad, error) {
	from, args, err := gridsFrom(actor, q)
	if err != nil {
		return nil, err
	}
	stmt := "SELECT * FROM (" + from + ") g"
	if q.outside {
		stmt += " WHERE g.enterprises < ? OR g.enterprises > ?"
		args = append(args, place.GridNormMin, place.GridNormMax)
	}
	stmt += " ORDER BY g.code"
	if q.limit > 0 {
		stmt += " LIMIT ?"
		args = append(args, q.limit)
	}
	rows, err := s.Reader().Query(ctx, stmt, args...)
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
		g, err := tx.DB().region(ctx, grid)
		if err != nil || g.Level != place.Grid {
			return fault.ErrNotFound
		}
		a, _, err := tx.DB().ancestry(ctx, grid)
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
		if err := Scan(tx.DB().Row(ctx, "SELECT role, COALESCE(region_code, '') FROM users WHERE id = ? AND disabled = FALSE", userID),
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
		if _, err := tx.DB().Exec(ctx, "UPDATE regions SET worker_id = NULL WHERE worker_id = ? AND code <> ?", userID, grid); err != nil {
			return fmt.Errorf("clear previous grid: %w", err)
		}
		if _, err := tx.DB().Exec(ctx, "UPDATE regions SET worker_id = ? WHERE code = ?", userID, grid); err != nil {
			return fmt.Errorf("set grid worker: %w", err)
		}
		// The worker replaced loses the grid's scope at once (its next
		// request); the grid's open work is the grid's, and the successor's now.
		if g.WorkerID != 0 && g.WorkerID != userID {
			if _, err := tx.DB().Exec(ctx, `UPDATE users SET region_code = NULL, updated_at = ?, version = version + 1
				WHERE id = ? AND role = ? AND region_code = ?`, s.now().UnixMilli(), g.WorkerID, string(access.RoleGridWorker), grid); err != nil {
				return fmt.Errorf("clear the replaced worker: %w", err)
			}
		}
		if _, err := tx.DB().Exec(ctx, "UPDATE users SET region_code = ?, updated_at = ?, version = version + 1 WHERE id = ?",
			grid, s.now().UnixMilli(), userID); err != nil {
			return fmt.Errorf("set worker region: %w", err)
		}
		return tx.Record(ctx, actor, "region.worker", "region/"+grid, "ok",
			map[string]any{"from": g.WorkerID, "to": userID})
	})
}

// InsertDepartments adds departments and fills in their IDs.
func (t *Tx) InsertDepartments(ctx context.Context, list []department.Department) error {
	for i := range list {
		d := &list[i]
		if err := Scan(t.DB().Row(ctx, `INSERT INTO departments (code, name, name_en, region_code, phone)
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
	rows, err := s.Reader().Query(ctx, "SELECT id, code, name, name_en, region_code, phone FROM departments ORDER BY id")
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
	rows, err := s.Reader().Query(ctx, `SELECT department_id, COUNT(*) FROM users
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

// OfficeColumns are an office's columns, for scanOffice.
const officeColumns = "o.id, o.department_id, o.code, o.name, o.name_en, o.region_code"

func scanOffice(sc Scanner) (department.Office, error) {
	var o department.Office
	err := sc.Scan(&o.ID, &o.DepartmentID, &o.Code, &o.Name, &o.NameEn, &o.RegionCode)
	return o, err
}

// Offices lists the departments' local offices, by department and code.
func (s *Store) Offices(ctx context.Context) ([]department.Office, error) {
	return Collect(ctx, s.Reader(), scanOffice, "SELECT "+officeColumns+" FROM department_offices o ORDER BY o.department_id, o.code")
}

// InsertOffices adds offices and fills in their IDs (the demo's).
func (t *Tx) InsertOffices(ctx context.Context, list []department.Office) error {
	for i := range list {
		o := &list[i]
		if err := Scan(t.DB().Row(ctx, `INSERT INTO department_offices (department_id, code, name, name_en, region_code)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, o.DepartmentID, o.Code, o.Name, o.NameEn, o.RegionCode), &o.ID); err != nil {
			return fmt.Errorf("insert office %s: %w", o.Code, err)
		}
	}
	return nil
}

// CreateOffice adds a department's office, for an actor who manages
// departments, audited.
func (s *Store) CreateOffice(ctx context.Context, actor access.Actor, o department.Office) (department.Office, error) {
	if !access.May(actor.Role, access.DepartmentManage) {
		return o, access.ErrForbidden
	}
	if err := o.Check(); err != nil {
		return o, err
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		var n int
		if err := Scan(tx.DB().Row(ctx, "SELECT COUNT(*) FROM departments WHERE id = ?", o.DepartmentID), &n); err != nil || n == 0 {
			return fault.Fields{"department_id": {Zh: "部门不存在", En: "no such department"}}.Err()
		}
		if o.RegionCode != "" {
			if _, err := tx.DB().region(ctx, o.RegionCode); err != nil {
				return fault.Fields{"region_code": {Zh: "区划不存在", En: "no such region"}}.Err()
			}
		}
		list := []department.Office{o}
		err := tx.InsertOffices(ctx, list)
		if fault.Is(err, fault.Conflict) {
			return fault.Fields{"code": {Zh: "该部门已有此代码的分支机构", En: "the department has an office of this code"}}.Err()
		}
		if err != nil {
			return err
		}
		o = list[0]
		return tx.Record(ctx, actor, "department.office", fmt.Sprintf("department/%d", o.DepartmentID), "ok",
			map[string]any{"office": o.ID, "code": o.Code, "name": o.Name, "region": o.RegionCode})
	})
	return o, err
}
