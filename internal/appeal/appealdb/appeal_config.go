package appealdb

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// Similar is an appeal that may be a duplicate of another.
type Similar struct {
	AppealRow
	Score float64
}

// SimilarAppeals returns the appeals of the same community raised in the 30
// days before this one that are still open, most alike first (by
// appeal.Similarity of title and content), for merging duplicates (并案).
func (s *Store) SimilarAppeals(ctx context.Context, actor access.Actor, id int64, limit int) ([]Similar, error) {
	v, _, err := s.reader().appealFor(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	rows, _, err := s.Appeals(ctx, actor, AppealQuery{Region: v.place.Community, From: v.CreatedAt.AddDate(0, 0, -30),
		To: v.CreatedAt.Add(time.Hour * 24), Page: store.Page{Size: store.MaxPageSize}})
	if err != nil {
		return nil, err
	}
	var contents = map[int64]string{}
	if len(rows) > 0 {
		ids := make([]any, 0, len(rows))
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		type content struct {
			id   int64
			text string
		}
		list, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (c content, err error) {
			return c, sc.Scan(&c.id, &c.text)
		}, "SELECT id, content FROM appeals WHERE id IN ("+store.Placeholders(len(ids))+")", ids...)
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			contents[c.id] = c.text
		}
	}
	var out []Similar
	for _, r := range rows {
		if r.ID == id || !r.State.Open() || r.State == appeal.Replied {
			continue
		}
		score := 0.6*appeal.Similarity(v.Title, r.Title) + 0.4*appeal.Similarity(v.Content, contents[r.ID])
		if score > 0.15 {
			out = append(out, Similar{AppealRow: r, Score: score})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Suggestion is a department the dispatch form proposes.
type Suggestion struct {
	DepartmentID int64
	Code, Name   string
	ByCategory   bool // the category names it
	Past         int  // times it led on appeals of the category in the district in the last 180 days
}

// SuggestDepartments proposes lead departments for an appeal: those its
// category names, then those that most often led on the category's appeals
// in the district lately.
func (s *Store) SuggestDepartments(ctx context.Context, actor access.Actor, id int64) ([]Suggestion, error) {
	h := s.reader()
	v, _, err := h.appealFor(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	cats, err := h.categories(ctx)
	if err != nil {
		return nil, err
	}
	named := map[string]int{}
	if v.StandardCode != "" {
		st, ok, err := h.standardAt(ctx, v.StandardCode, v.StandardVersion)
		if err != nil {
			return nil, err
		}
		if ok {
			named[st.Department] = -1 // the standard's department comes first
		}
	}
	for c := v.Category; c != ""; {
		cat, ok := cats.Find(c)
		if !ok {
			break
		}
		for i, code := range cat.Departments {
			if _, seen := named[code]; !seen {
				named[code] = len(named)*10 + i
			}
		}
		c = cat.Parent
	}
	// A complaint about a department goes to the supervising body, never to
	// the department itself (appeal.CheckParties).
	var supervisor int64
	complaint := v.Type == appeal.TypeComplaint && v.About != 0
	if complaint {
		if supervisor, err = h.complaintSupervisor(ctx); err != nil {
			return nil, err
		}
	}
	rows, err := h.Query(ctx, `SELECT d.id, d.code, d.name,
		(SELECT COUNT(*) FROM appeals p WHERE p.lead_department = d.id AND p.category = ? AND p.district_code = a.district_code
			AND p.created_at >= ?)
		FROM departments d JOIN appeals a ON a.id = ?
		WHERE d.region_code IN (a.city_code, a.district_code, a.street_code)`,
		v.Category, v.CreatedAt.AddDate(0, 0, -180).UnixMilli(), id)
	if err != nil {
		return nil, fmt.Errorf("suggest departments: %w", err)
	}
	defer rows.Close()
	var out []Suggestion
	for rows.Next() {
		var sg Suggestion
		if err := rows.Scan(&sg.DepartmentID, &sg.Code, &sg.Name, &sg.Past); err != nil {
			return nil, err
		}
		if complaint && sg.DepartmentID == v.About {
			continue
		}
		_, sg.ByCategory = named[sg.Code]
		if complaint && sg.DepartmentID == supervisor {
			named[sg.Code], sg.ByCategory = -2, true
		}
		out = append(out, sg)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.ByCategory != b.ByCategory {
			return a.ByCategory
		}
		if a.ByCategory && named[a.Code] != named[b.Code] {
			return named[a.Code] < named[b.Code]
		}
		if a.Past != b.Past {
			return a.Past > b.Past
		}
		return a.Code < b.Code
	})
	return out, nil
}

// SaveCategory adds or changes a node of the category tree.
func (s *Store) SaveCategory(ctx context.Context, actor access.Actor, c appeal.Category) error {
	if !access.May(actor.Role, access.AppealConfigure) {
		return access.ErrForbidden
	}
	c.Code, c.Name, c.NameEn = strings.TrimSpace(c.Code), strings.TrimSpace(c.Name), strings.TrimSpace(c.NameEn)
	f := fault.Fields{}
	if c.Code == "" || len(c.Code) > 40 || strings.Trim(c.Code, "abcdefghijklmnopqrstuvwxyz0123456789._-") != "" {
		f.Add("code", "代码只能用小写字母、数字和点（不超过 40 位）", "a code of lowercase letters, digits and dots, up to 40")
	}
	if n := utf8.RuneCountInString(c.Name); n == 0 || n > 30 {
		f.Add("name", "请填写分类名称（不超过 30 字）", "a name of up to 30 characters is required")
	}
	if c.Parent != "" && !strings.HasPrefix(c.Code, c.Parent+".") {
		f.Add("code", "子分类的代码须以上级代码加点开头", "a child's code starts with its parent's code and a dot")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		h := tx.db()
		if c.Parent != "" {
			var n int
			if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM appeal_categories WHERE code = ?", c.Parent), &n); err != nil {
				return err
			}
			if n == 0 {
				return fault.Fields{"parent": {Zh: "上级分类不存在", En: "no such parent"}}.Err()
			}
		}
		var known []string
		rows, err := h.Query(ctx, "SELECT code FROM departments")
		if err != nil {
			return err
		}
		for rows.Next() {
			var code string
			rows.Scan(&code)
			known = append(known, code)
		}
		rows.Close()
		for _, d := range c.Departments {
			if !slices.Contains(known, d) {
				return fault.Fields{"departments": {Zh: "部门代码不存在：" + d, En: "unknown department code: " + d}}.Err()
			}
		}
		var pos int
		if err := store.Scan(h.Row(ctx, "SELECT COALESCE(MAX(position), 0) + 1 FROM appeal_categories"), &pos); err != nil {
			return err
		}
		if _, err := h.Exec(ctx, `INSERT INTO appeal_categories (code, parent, name, name_en, departments, position)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, name = excluded.name,
			name_en = excluded.name_en, departments = excluded.departments`,
			c.Code, c.Parent, c.Name, c.NameEn, strings.Join(c.Departments, ","), pos); err != nil {
			return fmt.Errorf("save category: %w", err)
		}
		return tx.Record(ctx, actor, "category.save", "category/"+c.Code, "ok", c)
	})
}

// LimitRules returns the administrators' time-limit rules.
func (s *Store) LimitRules(ctx context.Context) ([]appeal.LimitRule, error) {
	rows, err := s.reader().Query(ctx, `SELECT category, type, urgency, step, n, days FROM appeal_limit_rules
		ORDER BY category, type, urgency, step`)
	if err != nil {
		return nil, fmt.Errorf("read limit rules: %w", err)
	}
	defer rows.Close()
	var out []appeal.LimitRule
	for rows.Next() {
		var r appeal.LimitRule
		if err := rows.Scan(&r.Category, &r.Type, &r.Urgency, &r.Step, &r.Span.N, &r.Span.Days); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetLimitRule adds or replaces a time-limit rule; n = 0 deletes it. It
// applies to steps started from now on.
func (s *Store) SetLimitRule(ctx context.Context, actor access.Actor, r appeal.LimitRule) error {
	if !access.May(actor.Role, access.AppealConfigure) {
		return access.ErrForbidden
	}
	f := fault.Fields{}
	if !slices.Contains(appeal.Steps, r.Step) {
		f.Add("step", "请选择环节", "choose a step")
	}
	if r.Type != "" && !slices.Contains(appeal.Types, r.Type) {
		f.Add("type", "诉求类型不正确", "unknown type")
	}
	if r.Urgency != "" && !slices.Contains(appeal.Urgencies, r.Urgency) {
		f.Add("urgency", "紧急程度不正确", "unknown urgency")
	}
	if r.Span.N < 0 || r.Span.Days && r.Span.N > 60 || !r.Span.Days && r.Span.N > 400 {
		f.Add("n", "时限须为 1–60 个工作日或 1–400 个工作小时", "1–60 working days or 1–400 working hours")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		h := tx.db()
		if r.Category != "" {
			var n int
			if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM appeal_categories WHERE code = ?", r.Category), &n); err != nil {
				return err
			}
			if n == 0 {
				return fault.Fields{"category": {Zh: "分类不存在", En: "no such category"}}.Err()
			}
		}
		if _, err := h.Exec(ctx, "DELETE FROM appeal_limit_rules WHERE category = ? AND type = ? AND urgency = ? AND step = ?",
			r.Category, string(r.Type), string(r.Urgency), string(r.Step)); err != nil {
			return err
		}
		if r.Span.N > 0 {
			if _, err := h.Exec(ctx, "INSERT INTO appeal_limit_rules (category, type, urgency, step, n, days) VALUES (?, ?, ?, ?, ?, ?)",
				r.Category, string(r.Type), string(r.Urgency), string(r.Step), r.Span.N, r.Span.Days); err != nil {
				return fmt.Errorf("save limit rule: %w", err)
			}
		}
		return tx.Record(ctx, actor, "limit.set", "limit/"+string(r.Step), "ok", r)
	})
}

// Standards returns the current version of every standard of the
// catalogue of service standards (package cataloguedb keeps it), those
// withdrawn too: an appeal raised earlier may name one.
func (s *Store) Standards(ctx context.Context) (appeal.Standards, error) {
	return s.reader().standards(ctx)
}

func (h db) standards(ctx context.Context) (appeal.Standards, error) {
	rows, err := h.Query(ctx, `SELECT code, grp, name, name_en, category, department, handle_n, handle_days, version, in_force_from, withdrawn_on
		FROM service_standards ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("read standards: %w", err)
	}
	defer rows.Close()
	var out appeal.Standards
	for rows.Next() {
		var st appeal.Standard
		if err := rows.Scan(&st.Code, &st.Group, &st.Name, &st.NameEn, &st.Category, &st.Department, &st.Handle.N, &st.Handle.Days,
			&st.Version, &st.From, &st.Until); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// standardAt returns what an appeal raised under version of a standard
// keeps of it: that version's department and promise (the current one for
// an appeal raised before versions were kept).
func (h db) standardAt(ctx context.Context, code string, version int64) (appeal.Standard, bool, error) {
	st := appeal.Standard{Code: code, Version: version}
	q, args := `SELECT category, department, handle_n, handle_days FROM service_standard_versions WHERE code = ? AND version = ?`, []any{code, version}
	if version == 0 {
		q, args = `SELECT category, department, handle_n, handle_days FROM service_standards WHERE code = ?`, []any{code}
	}
	err := store.Scan(h.Row(ctx, q, args...), &st.Category, &st.Department, &st.Handle.N, &st.Handle.Days)
	if fault.Is(err, fault.NotFound) {
		return st, false, nil
	}
	return st, err == nil, err
}

// settingMaxRedo is the key of the number of redos an unsatisfied rating gives.
const settingMaxRedo = "appeal.max_redo"

// MaxRedo returns how many times an unsatisfied rating sends an appeal back
// to the lead department before joint handling.
func (s *Store) MaxRedo(ctx context.Context) (int, error) { return s.reader().maxRedo(ctx) }

func (h db) maxRedo(ctx context.Context) (int, error) {
	v, set, err := h.Setting(ctx, settingMaxRedo)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if !set || err != nil {
		return appeal.DefaultMaxRedo, nil
	}
	return n, nil
}

// SetMaxRedo sets how many redos an unsatisfied rating gives (0 to 5).
func (s *Store) SetMaxRedo(ctx context.Context, actor access.Actor, n int) error {
	if !access.May(actor.Role, access.AppealConfigure) {
		return access.ErrForbidden
	}
	if n < 0 || n > 5 {
		return fault.Fields{"max_redo": {Zh: "重办次数应为 0 至 5", En: "0 to 5 redos"}}.Err()
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.db().SetSetting(ctx, settingMaxRedo, strconv.Itoa(n)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "setting.set", "setting/"+settingMaxRedo, "ok", map[string]int{"value": n})
	})
}

// Department is a department as a complaint may name it.
type Department struct {
	ID           int64
	Name, NameEn string
}

// ComplaintDepartments lists the departments a complaint may be about: their names
// are public, and the store checks on raising that the one named serves
// the enterprise's district.
func (s *Store) ComplaintDepartments(ctx context.Context, actor access.Actor) ([]Department, error) {
	if !access.May(actor.Role, access.AppealCreate) {
		return nil, access.ErrForbidden
	}
	return store.Collect(ctx, s.reader().DB, func(sc store.Scanner) (Department, error) {
		var d Department
		err := sc.Scan(&d.ID, &d.Name, &d.NameEn)
		return d, err
	}, "SELECT id, name, name_en FROM departments ORDER BY id")
}

// DepartmentNamesEn maps the departments' names to their English names,
// for pages shown in English (the names are public).
func (s *Store) DepartmentNamesEn(ctx context.Context) (map[string]string, error) {
	list, err := store.Collect(ctx, s.reader().DB, func(sc store.Scanner) (Department, error) {
		var d Department
		err := sc.Scan(&d.Name, &d.NameEn)
		return d, err
	}, "SELECT name, name_en FROM departments")
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(list))
	for _, d := range list {
		if d.NameEn != "" {
			m[d.Name] = d.NameEn
		}
	}
	return m, nil
}

// settingComplaintSupervisor is the key of the department that handles
// complaints about departments (the id; none when unset).
const settingComplaintSupervisor = "appeal.complaint_supervisor"

// ComplaintSupervisor returns the department that complaints about a
// department go to, 0 when none is set.
func (s *Store) ComplaintSupervisor(ctx context.Context) (int64, error) {
	return s.reader().complaintSupervisor(ctx)
}

func (h db) complaintSupervisor(ctx context.Context) (int64, error) {
	v, _, err := h.Setting(ctx, settingComplaintSupervisor)
	if err != nil {
		return 0, err
	}
	id, _ := strconv.ParseInt(v, 10, 64) // unset: 0
	return id, nil
}

// SetComplaintSupervisor sets the department complaints about departments
// go to (the dispatch form suggests it for them); 0 unsets it.
func (s *Store) SetComplaintSupervisor(ctx context.Context, actor access.Actor, id int64) error {
	if !access.May(actor.Role, access.AppealConfigure) {
		return access.ErrForbidden
	}
	bad := fault.Fields{"complaint_supervisor": {Zh: "请选择一个部门", En: "choose a department"}}.Err()
	if id < 0 {
		return bad
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		h := tx.db()
		if id == 0 {
			if err := h.UnsetSetting(ctx, settingComplaintSupervisor); err != nil {
				return err
			}
		} else {
			var one int
			if err := store.Scan(h.Row(ctx, "SELECT 1 FROM departments WHERE id = ?", id), &one); fault.Is(err, fault.NotFound) {
				return bad
			} else if err != nil {
				return err
			}
			if err := h.SetSetting(ctx, settingComplaintSupervisor, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		return tx.Record(ctx, actor, "setting.set", "setting/"+settingComplaintSupervisor, "ok", map[string]int64{"value": id})
	})
}

// Categories returns the category tree.
func (s *Store) Categories(ctx context.Context) (appeal.Categories, error) {
	return s.reader().categories(ctx)
}

func (h db) categories(ctx context.Context) (appeal.Categories, error) {
	rows, err := h.Query(ctx, "SELECT code, parent, name, name_en, departments FROM appeal_categories ORDER BY position")
	if err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	defer rows.Close()
	var out appeal.Categories
	for rows.Next() {
		var c appeal.Category
		var depts string
		if err := rows.Scan(&c.Code, &c.Parent, &c.Name, &c.NameEn, &depts); err != nil {
			return nil, err
		}
		if depts != "" {
			c.Departments = strings.Split(depts, ",")
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// seedCategories writes the default category tree into an empty table.
func (t *Tx) seedCategories(ctx context.Context) error {
	var n int
	if err := store.Scan(t.db().Row(ctx, "SELECT COUNT(*) FROM appeal_categories"), &n); err != nil || n > 0 {
		return err
	}
	for i, c := range appeal.DefaultCategories() {
		if _, err := t.db().Exec(ctx, `INSERT INTO appeal_categories (code, parent, name, name_en, departments, position)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`, c.Code, c.Parent, c.Name, c.NameEn, strings.Join(c.Departments, ","), i); err != nil {
			return fmt.Errorf("seed categories: %w", err)
		}
	}
	return nil
}
