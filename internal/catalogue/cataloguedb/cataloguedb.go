// Package cataloguedb keeps the catalogue of service standards and the
// directory of service providers on the store's engine. A standard's
// current version is a row of service_standards (whose plain columns the
// appeal workflow reads: category, department, promised time) with its whole
// text as JSON; every version saved is kept in service_standard_versions, so
// that an appeal raised under version 3 keeps version 3's promise. Saving,
// withdrawing and importing are one transaction each, audited; a stale
// version is refused. The rules are package catalogue's.
package cataloguedb

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/catalogue"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// Store is the catalogue's part of the store.
type Store struct {
	engine *store.Store
}

// New builds the catalogue's store on the engine. Its seed writes the
// example catalogue (85 standards, marked as demo data) into a store whose
// catalogue is empty, so that a new district starts from something it can
// edit, withdraw or replace by importing its own.
func New(engine *store.Store) *Store {
	s := &Store{engine: engine}
	engine.Register(store.Module{Name: "catalogue", Seed: s.seed})
	return s
}

// Catalogue returns every standard's current version (those withdrawn
// too), in the catalogue's order. It is small (a district's catalogue holds
// about a hundred), so callers filter and search it in memory.
func (s *Store) Catalogue(ctx context.Context) ([]catalogue.Standard, error) {
	return s.standards(ctx, s.engine.Reader(), "")
}

// Standard returns a standard's current version.
func (s *Store) Standard(ctx context.Context, code string) (catalogue.Standard, error) {
	list, err := s.standards(ctx, s.engine.Reader(), strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return catalogue.Standard{}, err
	}
	if len(list) == 0 {
		return catalogue.Standard{}, fault.ErrNotFound
	}
	return list[0], nil
}

func (s *Store) standards(ctx context.Context, h store.DB, code string) ([]catalogue.Standard, error) {
	q := `SELECT code, grp, name, name_en, category, department, handle_n, handle_days, body, mode,
		in_force_from, withdrawn_on, demo, version FROM service_standards`
	var args []any
	if code != "" {
		q += " WHERE code = ?"
		args = append(args, code)
	}
	return store.Collect(ctx, h, scanStandard, q+" ORDER BY position, code", args...)
}

// scanStandard reads a row of service_standards: the text from its JSON,
// the columns over it (they are what the appeal workflow reads, and what a
// store upgraded from before the catalogue module has).
func scanStandard(sc store.Scanner) (catalogue.Standard, error) {
	var st catalogue.Standard
	var body string
	err := sc.Scan(&st.Code, &st.Group, &st.Name, &st.NameEn, &st.Category, &st.Department, &st.Handle.N, &st.Handle.Days,
		&body, &st.Mode, &st.From, &st.Until, &st.Demo, &st.Version)
	if err != nil {
		return st, err
	}
	if body != "" {
		var text catalogue.Standard
		if err := json.Unmarshal([]byte(body), &text); err != nil {
			return st, fmt.Errorf("standard %s: %w", st.Code, err)
		}
		st.Gets, st.GetsEn, st.Conditions, st.Materials = text.Gets, text.GetsEn, text.Conditions, text.Materials
		st.Office, st.Providers, st.Link, st.Schedule = text.Office, text.Providers, text.Link, text.Schedule
	}
	return st, nil
}

// Versions returns every version of a standard saved, newest first.
func (s *Store) Versions(ctx context.Context, code string) ([]Version, error) {
	list, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (Version, error) {
		var v Version
		var body string
		var at int64
		if err := sc.Scan(&v.Standard.Version, &body, &v.Standard.Category, &v.Standard.Department, &v.Standard.Handle.N,
			&v.Standard.Handle.Days, &at, &v.SavedBy); err != nil {
			return v, err
		}
		v.SavedAt = store.Millis(at)
		if body != "" {
			n, c, d, h := v.Standard.Version, v.Standard.Category, v.Standard.Department, v.Standard.Handle
			if err := json.Unmarshal([]byte(body), &v.Standard); err != nil {
				return v, err
			}
			v.Standard.Version, v.Standard.Category, v.Standard.Department, v.Standard.Handle = n, c, d, h
		}
		v.Standard.Code = code
		return v, nil
	}, `SELECT v.version, v.body, v.category, v.department, v.handle_n, v.handle_days, v.saved_at, COALESCE(u.name, '')
		FROM service_standard_versions v LEFT JOIN users u ON u.id = v.saved_by WHERE v.code = ? ORDER BY v.version DESC`,
		strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return nil, fmt.Errorf("standard versions: %w", err)
	}
	if len(list) == 0 {
		return nil, fault.ErrNotFound
	}
	return list, nil
}

// Version is one saved version of a standard.
type Version struct {
	Standard catalogue.Standard
	SavedAt  time.Time
	SavedBy  string
}

// SaveStandard saves a standard: a new one when version is 0, otherwise
// the next version of the one whose current version is version (a stale
// one is refused). A save that changes nothing keeps the version. The
// department, its office, the providers and the category must exist.
func (s *Store) SaveStandard(ctx context.Context, actor access.Actor, st catalogue.Standard, version int64) (catalogue.Standard, error) {
	if !access.May(actor.Role, access.CatalogueManage) {
		return st, access.ErrForbidden
	}
	if err := st.Check(); err != nil {
		return st, err
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		saved, err := s.save(ctx, tx, actor, st, version)
		st = saved
		return err
	})
	return st, err
}

// save writes one standard in tx (checked already), audited.
func (s *Store) save(ctx context.Context, tx *store.Tx, actor access.Actor, st catalogue.Standard, version int64) (catalogue.Standard, error) {
	h := tx.DB()
	if err := s.refer(ctx, h, st); err != nil {
		return st, err
	}
	cur, err := s.standards(ctx, h, st.Code)
	if err != nil {
		return st, err
	}
	now := tx.Now().UnixMilli()
	switch {
	case len(cur) == 0 && version != 0:
		return st, fault.ErrNotFound
	case len(cur) == 0:
		var pos int
		if err := store.Scan(h.Row(ctx, "SELECT COALESCE(MAX(position), 0) + 1 FROM service_standards"), &pos); err != nil {
			return st, err
		}
		st.Version = 1
		if _, err := h.Exec(ctx, `INSERT INTO service_standards (code, grp, name, name_en, category, department, handle_n, handle_days,
			position, body, mode, in_force_from, withdrawn_on, demo, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			st.Code, st.Group, st.Name, st.NameEn, st.Category, st.Department, st.Handle.N, st.Handle.Days, pos, body(st),
			string(st.Mode), st.From, st.Until, st.Demo, st.Version, now); err != nil {
			if fault.Is(err, fault.Conflict) {
				return st, fault.Fields{"code": {Zh: "该编号已存在", En: "this code exists"}}.Err()
			}
			return st, fmt.Errorf("insert standard: %w", err)
		}
	case version == 0:
		return st, fault.Fields{"code": {Zh: "该编号已存在", En: "this code exists"}}.Err()
	case cur[0].Version != version:
		return st, fault.ErrConflict
	case cur[0].Same(st):
		return cur[0], nil
	default:
		st.Version = version + 1
		res, err := h.Exec(ctx, `UPDATE service_standards SET grp = ?, name = ?, name_en = ?, category = ?, department = ?, handle_n = ?,
			handle_days = ?, body = ?, mode = ?, in_force_from = ?, withdrawn_on = ?, demo = ?, version = ?, updated_at = ?
			WHERE code = ? AND version = ?`,
			st.Group, st.Name, st.NameEn, st.Category, st.Department, st.Handle.N, st.Handle.Days, body(st), string(st.Mode),
			st.From, st.Until, st.Demo, st.Version, now, st.Code, version)
		if err != nil {
			return st, fmt.Errorf("update standard: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return st, fault.ErrConflict
		}
	}
	if _, err := h.Exec(ctx, `INSERT INTO service_standard_versions (code, version, body, category, department, handle_n, handle_days, saved_at, saved_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, st.Code, st.Version, versionBody(st), st.Category, st.Department, st.Handle.N, st.Handle.Days, now, actor.UserID); err != nil {
		return st, fmt.Errorf("keep standard version: %w", err)
	}
	return st, tx.Record(ctx, actor, "standard.save", "standard/"+st.Code, "ok", map[string]any{"version": st.Version, "until": st.Until})
}

// Withdraw withdraws a standard from day (YYYY-MM-DD): it is no longer
// offered from then; its versions stay for the appeals raised under them.
func (s *Store) Withdraw(ctx context.Context, actor access.Actor, code, day string, version int64) (catalogue.Standard, error) {
	cur, err := s.Standard(ctx, code)
	if err != nil {
		return cur, err
	}
	if day == "" {
		day = s.engine.Now().In(calendar.Shanghai).Format("2006-01-02")
	}
	cur.Until = day
	return s.SaveStandard(ctx, actor, cur, version)
}

// refer checks that what a standard names exists.
func (s *Store) refer(ctx context.Context, h store.DB, st catalogue.Standard) error {
	f := fault.Fields{}
	var n int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM appeal_categories WHERE code = ?", st.Category), &n); err != nil {
		return err
	}
	if n == 0 {
		f.Add("category", "诉求分类不存在", "no such appeal category")
	}
	var dept int64
	err := store.Scan(h.Row(ctx, "SELECT id FROM departments WHERE code = ?", st.Department), &dept)
	if fault.Is(err, fault.NotFound) {
		f.Add("department", "部门不存在", "no such department")
	} else if err != nil {
		return err
	}
	if st.Office != "" && dept != 0 {
		if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM department_offices WHERE department_id = ? AND code = ?", dept, st.Office), &n); err != nil {
			return err
		}
		if n == 0 {
			f.Add("office", "该部门没有这个站所", "the department has no such office")
		}
	}
	for _, p := range st.Providers {
		if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM service_providers WHERE code = ?", p), &n); err != nil {
			return err
		}
		if n == 0 {
			f.Add("providers", "服务机构名录中没有 "+p, "no provider "+p+" in the directory")
			break
		}
	}
	return f.Err()
}

// body is the JSON of a standard's text kept beside its columns.
func body(st catalogue.Standard) string {
	text := catalogue.Standard{Gets: st.Gets, GetsEn: st.GetsEn, Conditions: st.Conditions, Materials: st.Materials,
		Office: st.Office, Providers: st.Providers, Link: st.Link, Schedule: st.Schedule}
	b, _ := json.Marshal(text)
	return string(b)
}

// versionBody is the JSON of a whole version kept in
// service_standard_versions: its text and its name, group, mode and dates,
// which the current version keeps in columns (Versions reads them back).
func versionBody(st catalogue.Standard) string {
	b, _ := json.Marshal(st)
	return string(b)
}

// Providers returns the directory of service providers, in its order.
func (s *Store) Providers(ctx context.Context) ([]catalogue.Provider, error) {
	return store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (catalogue.Provider, error) {
		var p catalogue.Provider
		return p, sc.Scan(&p.Code, &p.Kind, &p.Name, &p.NameEn, &p.Contact, &p.Phone, &p.Address, &p.Demo, &p.Version)
	}, "SELECT code, kind, name, name_en, contact, phone, address, demo, version FROM service_providers ORDER BY position, code")
}

// SaveProvider adds a provider (version 0) or changes one at version. Audited.
func (s *Store) SaveProvider(ctx context.Context, actor access.Actor, p catalogue.Provider, version int64) (catalogue.Provider, error) {
	if !access.May(actor.Role, access.CatalogueManage) {
		return p, access.ErrForbidden
	}
	if err := p.Check(); err != nil {
		return p, err
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		p, err = saveProvider(ctx, tx, actor, p, version)
		return err
	})
	return p, err
}

func saveProvider(ctx context.Context, tx *store.Tx, actor access.Actor, p catalogue.Provider, version int64) (catalogue.Provider, error) {
	h := tx.DB()
	if version == 0 {
		var pos int
		if err := store.Scan(h.Row(ctx, "SELECT COALESCE(MAX(position), 0) + 1 FROM service_providers"), &pos); err != nil {
			return p, err
		}
		p.Version = 1
		if _, err := h.Exec(ctx, `INSERT INTO service_providers (code, kind, name, name_en, contact, phone, address, demo, version, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Code, string(p.Kind), p.Name, p.NameEn, p.Contact, p.Phone, p.Address, p.Demo, p.Version, pos); err != nil {
			if fault.Is(err, fault.Conflict) {
				return p, fault.Fields{"code": {Zh: "该代码已存在", En: "this code exists"}}.Err()
			}
			return p, fmt.Errorf("insert provider: %w", err)
		}
	} else {
		p.Version = version + 1
		res, err := h.Exec(ctx, `UPDATE service_providers SET kind = ?, name = ?, name_en = ?, contact = ?, phone = ?, address = ?, demo = ?, version = ?
			WHERE code = ? AND version = ?`, string(p.Kind), p.Name, p.NameEn, p.Contact, p.Phone, p.Address, p.Demo, p.Version, p.Code, version)
		if err != nil {
			return p, fmt.Errorf("update provider: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			var one int
			if err := store.Scan(h.Row(ctx, "SELECT 1 FROM service_providers WHERE code = ?", p.Code), &one); err != nil {
				return p, err // not found
			}
			return p, fault.ErrConflict
		}
	}
	return p, tx.Record(ctx, actor, "provider.save", "provider/"+p.Code, "ok", map[string]any{"version": p.Version})
}

// Problem is what is wrong with one row of an import.
type Problem struct {
	Row    int // 1-based, the workbook's row
	Code   string
	Fields fault.Fields
}

// ErrImport is the error of an import with problems: nothing was saved.
var ErrImport = fault.New(fault.Invalid, "import_rejected", "导入未执行：有行需要修改，见问题清单", "nothing was imported: some rows need changes, see the problems")

// Import saves a whole catalogue in one transaction: new codes are added,
// known ones saved as their next version when they changed. Every row is
// checked first; if any has a problem nothing is saved and the problems are
// returned with ErrImport, each with the row's line of the workbook (lines;
// nil: the rows are lines 2, 3, … in order).
func (s *Store) Import(ctx context.Context, actor access.Actor, rows []catalogue.Standard, lines []int) (added, changed int, problems []Problem, err error) {
	if !access.May(actor.Role, access.CatalogueManage) {
		return 0, 0, nil, access.ErrForbidden
	}
	if len(rows) == 0 {
		return 0, 0, nil, fault.Fields{"file": {Zh: "工作簿中没有服务标准", En: "the workbook has no standards"}}.Err()
	}
	line := func(i int) int {
		if i < len(lines) {
			return lines[i]
		}
		return i + 2
	}
	seen := map[string]int{}
	for i := range rows {
		p := Problem{Row: line(i), Code: rows[i].Code}
		if err := rows[i].Check(); err != nil {
			if fe := fault.As(err); fe != nil && fe.Fields != nil {
				p.Fields = fe.Fields
			} else {
				return 0, 0, nil, err
			}
		}
		if first, dup := seen[rows[i].Code]; dup && rows[i].Code != "" {
			if p.Fields == nil {
				p.Fields = fault.Fields{}
			}
			p.Fields.Add("code", fmt.Sprintf("编号与第 %d 行重复", first), fmt.Sprintf("the same code as row %d", first))
		}
		seen[rows[i].Code] = line(i)
		if p.Fields != nil {
			problems = append(problems, p)
		}
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		for i, st := range rows {
			if slices.ContainsFunc(problems, func(p Problem) bool { return p.Row == line(i) }) {
				continue
			}
			if err := s.refer(ctx, h, st); err != nil {
				if fe := fault.As(err); fe != nil && fe.Fields != nil {
					problems = append(problems, Problem{Row: line(i), Code: st.Code, Fields: fe.Fields})
					continue
				}
				return err
			}
		}
		if len(problems) > 0 {
			slices.SortFunc(problems, func(a, b Problem) int { return a.Row - b.Row })
			return ErrImport
		}
		for _, st := range rows {
			cur, err := s.standards(ctx, h, st.Code)
			if err != nil {
				return err
			}
			var version int64
			if len(cur) > 0 {
				version = cur[0].Version
				st.Demo = false
				if cur[0].Same(st) {
					continue
				}
				changed++
			} else {
				added++
			}
			if _, err := s.save(ctx, tx, actor, st, version); err != nil {
				return fmt.Errorf("row %s: %w", st.Code, err)
			}
		}
		return tx.Record(ctx, actor, "standard.import", "standards", "ok", map[string]any{"added": added, "changed": changed})
	})
	if err != nil {
		if err == ErrImport {
			return 0, 0, problems, err
		}
		return 0, 0, nil, err
	}
	return added, changed, nil, nil
}

// seed writes the example catalogue and providers into an empty catalogue
// (or fills in the text of the standards a store upgraded from before the
// module kept it).
func (s *Store) seed(ctx context.Context, tx *store.Tx) error {
	h := tx.DB()
	var n int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM service_standards WHERE body <> ''"), &n); err != nil || n > 0 {
		return err
	}
	for i, p := range catalogue.DemoProviders() {
		if _, err := h.Exec(ctx, `INSERT INTO service_providers (code, kind, name, name_en, contact, phone, address, demo, version, position)
			VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, 1, ?) ON CONFLICT (code) DO NOTHING`,
			p.Code, string(p.Kind), p.Name, p.NameEn, p.Contact, p.Phone, p.Address, i+1); err != nil {
			return fmt.Errorf("seed providers: %w", err)
		}
	}
	now := tx.Now().UnixMilli()
	for i, st := range catalogue.DemoStandards() {
		if _, err := h.Exec(ctx, `INSERT INTO service_standards (code, grp, name, name_en, category, department, handle_n, handle_days,
			position, body, mode, in_force_from, withdrawn_on, demo, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', TRUE, 1, ?)
			ON CONFLICT (code) DO UPDATE SET body = excluded.body, mode = excluded.mode, demo = TRUE, position = excluded.position`,
			st.Code, st.Group, st.Name, st.NameEn, st.Category, st.Department, st.Handle.N, st.Handle.Days, i+1, body(st),
			string(st.Mode), st.From, now); err != nil {
			return fmt.Errorf("seed standards: %w", err)
		}
		if _, err := h.Exec(ctx, `INSERT INTO service_standard_versions (code, version, body, category, department, handle_n, handle_days, saved_at, saved_by)
			VALUES (?, 1, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (code, version) DO UPDATE SET body = excluded.body`,
			st.Code, versionBody(st), st.Category, st.Department, st.Handle.N, st.Handle.Days, now); err != nil {
			return fmt.Errorf("seed standard versions: %w", err)
		}
	}
	return nil
}
