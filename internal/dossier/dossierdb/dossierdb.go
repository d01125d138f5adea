// Package dossierdb keeps the enterprise's file (一企一档) on the store's
// engine: the facts with their sources (enterprise_facts), the people who
// answer for an enterprise, and its timeline, joined from every module's
// part (dossier.TimelineSource). The rules are package dossier's.
package dossierdb

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// Store is the dossier's part of the store.
type Store struct {
	engine *store.Store
}

// New builds the dossier's store on the engine and registers what it keeps
// of the enterprises' registry writes; call it before engine.Migrate.
func New(engine *store.Store) *Store {
	s := &Store{engine: engine}
	engine.Register(store.Module{Name: "dossier", EnterprisesWritten: s.registryWritten})
	return s
}

// MaxHistory bounds the facts of an enterprise a page or an answer lists.
const MaxHistory = 500

const factColumns = `f.id, f.enterprise_id, f.kind, f.period, f.num, f.txt, f.source, f.ref, f.note,
	f.recorded_by, f.recorded_name, f.recorded_at`

func scanFact(sc store.Scanner) (dossier.Fact, error) {
	var f dossier.Fact
	var source string
	var at int64
	err := sc.Scan(&f.ID, &f.EnterpriseID, &f.Kind, &f.Period, &f.Num, &f.Text, &source, &f.Ref, &f.Note,
		&f.RecordedBy, &f.RecordedName, &at)
	f.Source, f.RecordedAt = dossier.Source(source), store.Millis(at)
	return f, err
}

// enterpriseFor reads the enterprise id for actor, who must be allowed
// action on it (read: otherwise it is not found).
func enterpriseFor(ctx context.Context, h store.DB, actor access.Actor, id int64, action access.Action) (enterprise.Enterprise, error) {
	e, err := h.EnterpriseByID(ctx, id)
	if err != nil {
		return e, err
	}
	t, err := h.TargetOf(ctx, actor, e)
	if err != nil {
		return e, err
	}
	if err := access.Check(actor, action, access.EnterpriseRead, t); err != nil {
		return enterprise.Enterprise{}, err
	}
	return e, nil
}

// Facts returns an enterprise's current facts (one per kind and period,
// by kind, the latest period first) and its history (every value, newest
// first, up to MaxHistory), for an actor who may read the enterprise.
func (s *Store) Facts(ctx context.Context, actor access.Actor, enterpriseID int64) (current, history []dossier.Fact, err error) {
	h := s.engine.Reader()
	if _, err := enterpriseFor(ctx, h, actor, enterpriseID, access.EnterpriseRead); err != nil {
		return nil, nil, err
	}
	all, err := readFacts(ctx, h, enterpriseID, nil)
	if err != nil {
		return nil, nil, err
	}
	return currentOf(all), all[:min(len(all), MaxHistory)], nil
}

// readFacts reads every fact of an enterprise (of kinds, if any), newest
// first: an enterprise's file holds tens of them, a few hundred in years.
func readFacts(ctx context.Context, h store.DB, enterpriseID int64, kinds []string) ([]dossier.Fact, error) {
	args := []any{enterpriseID}
	cond := ""
	if len(kinds) > 0 {
		cond = " AND f.kind IN (" + store.Placeholders(len(kinds)) + ")"
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	list, err := store.Collect(ctx, h, scanFact, "SELECT "+factColumns+` FROM enterprise_facts f
		WHERE f.enterprise_id = ?`+cond+` ORDER BY f.recorded_at DESC, f.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	return list, nil
}

// currentOf is the current fact of each kind and period (dossier.Current),
// by kind, the latest period first.
func currentOf(facts []dossier.Fact) []dossier.Fact {
	out := dossier.Current(facts)
	slices.SortFunc(out, func(a, b dossier.Fact) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(b.Period, a.Period)
	})
	return out
}

// CurrentOf reads the current facts of kinds of an enterprise, for a
// module's use case that has checked the actor against the enterprise.
func CurrentOf(ctx context.Context, h store.DB, enterpriseID int64, kinds []string) ([]dossier.Fact, error) {
	facts, err := readFacts(ctx, h, enterpriseID, kinds)
	if err != nil {
		return nil, err
	}
	return currentOf(facts), nil
}

// Known returns the latest current fact of each of kinds of an enterprise
// the actor may read: what a form prefills ("report once", 最多报一次).
func (s *Store) Known(ctx context.Context, actor access.Actor, enterpriseID int64, kinds []string) (map[string]dossier.Fact, error) {
	h := s.engine.Reader()
	if _, err := enterpriseFor(ctx, h, actor, enterpriseID, access.EnterpriseRead); err != nil {
		return nil, err
	}
	facts, err := readFacts(ctx, h, enterpriseID, kinds)
	if err != nil {
		return nil, err
	}
	cur := dossier.Current(facts)
	out := map[string]dossier.Fact{}
	for _, k := range kinds {
		if f, ok := dossier.Latest(cur, k); ok {
			out[k] = f
		}
	}
	return out, nil
}

// Record records a fact of an enterprise the actor may record facts of,
// with the source of the actor's role, and returns it with its ID.
func (s *Store) Record(ctx context.Context, actor access.Actor, f dossier.Fact) (dossier.Fact, error) {
	f.Source = dossier.SourceOf(actor.Role)
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := enterpriseFor(ctx, tx.DB(), actor, f.EnterpriseID, access.FactRecord); err != nil {
			return err
		}
		out, err := RecordTx(ctx, tx, actor, []dossier.Fact{f})
		if err != nil {
			return err
		}
		f = out[0]
		return nil
	})
	return f, err
}

// RecordTx records facts in a module's transaction — a form's answers, an
// import, a computed figure — each with the source it carries (or the
// actor's role's, when it carries none), after checking each. The caller
// has checked the actor against the enterprises. Each fact is audited, and
// the registry's employees and revenue follow their newest current value.
func RecordTx(ctx context.Context, tx *store.Tx, actor access.Actor, facts []dossier.Fact) ([]dossier.Fact, error) {
	now := tx.Now()
	local := now.In(calendar.Shanghai)
	touched := map[int64]bool{}
	for i := range facts {
		f := &facts[i]
		if f.Source == "" {
			f.Source = dossier.SourceOf(actor.Role)
		}
		if err := f.Check(local); err != nil {
			return nil, err
		}
		f.RecordedBy, f.RecordedName, f.RecordedAt = actor.UserID, actor.Name, time.UnixMilli(now.UnixMilli())
		if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO enterprise_facts (enterprise_id, kind, period, num, txt, source, rank,
			ref, note, recorded_by, recorded_name, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			f.EnterpriseID, f.Kind, f.Period, f.Num, f.Text, string(f.Source), f.Source.Rank(), f.Ref, f.Note,
			f.RecordedBy, f.RecordedName, now.UnixMilli()), &f.ID); err != nil {
			return nil, fmt.Errorf("record fact: %w", err)
		}
		if err := tx.Record(ctx, actor, "enterprise.fact", fmt.Sprintf("enterprise/%d", f.EnterpriseID), "ok",
			map[string]any{"kind": f.Kind, "period": f.Period, "num": f.Num, "text": f.Text, "source": f.Source, "ref": f.Ref}); err != nil {
			return nil, err
		}
		if f.Kind == "employees" || f.Kind == "revenue" {
			touched[f.EnterpriseID] = true
		}
	}
	for id := range touched {
		if err := followFacts(ctx, tx, actor, id); err != nil {
			return nil, err
		}
	}
	return facts, nil
}

// followFacts gives an enterprise's registry the newest current values of
// its employees and revenue, with the size class they make (store.Tx.SetFigures).
func followFacts(ctx context.Context, tx *store.Tx, actor access.Actor, id int64) error {
	h := tx.DB()
	e, err := h.EnterpriseByID(ctx, id)
	if err != nil {
		return err
	}
	facts, err := readFacts(ctx, h, id, []string{"employees", "revenue"})
	if err != nil {
		return err
	}
	cur := dossier.Current(facts)
	employees, revenue := e.Employees, e.Revenue
	if f, ok := dossier.Latest(cur, "employees"); ok {
		employees = int(f.Num)
	}
	if f, ok := dossier.Latest(cur, "revenue"); ok {
		revenue = f.Num
	}
	return tx.SetFigures(ctx, actor, e, employees, revenue, "facts")
}

// registryWritten records, as facts, the employees and revenue an
// enterprise's record was given (a form, an import, the demo): employees
// on the day, revenue of the year before (the registry's "annual revenue"),
// each with the source of whoever wrote it. They are written in few
// statements and not audited one by one: the registry's write is audited
// already, with the values. A changed enterprise then follows its facts, in
// case a more authoritative value of the same period stands.
func (s *Store) registryWritten(ctx context.Context, tx *store.Tx, writes []store.EnterpriseWrite) error {
	today := tx.Now().In(calendar.Shanghai)
	day, lastYear := today.Format(time.DateOnly), strconv.Itoa(today.Year()-1)
	type row struct {
		by access.Actor
		f  dossier.Fact
	}
	var rows []row
	var changed []store.EnterpriseWrite
	for _, w := range writes {
		n := len(rows)
		if w.After.Employees != w.Before.Employees && (w.Before.ID != 0 || w.After.Employees > 0) {
			rows = append(rows, row{w.By, dossier.Fact{EnterpriseID: w.After.ID, Kind: "employees", Period: day, Num: int64(w.After.Employees)}})
		}
		if w.After.Revenue != w.Before.Revenue && (w.Before.ID != 0 || w.After.Revenue > 0) {
			rows = append(rows, row{w.By, dossier.Fact{EnterpriseID: w.After.ID, Kind: "revenue", Period: lastYear, Num: w.After.Revenue}})
		}
		if len(rows) > n && w.Before.ID != 0 {
			changed = append(changed, w)
		}
	}
	now := tx.Now().UnixMilli()
	for batch := range slices.Chunk(rows, 500) {
		args := make([]any, 0, len(batch)*10)
		for _, r := range batch {
			src := dossier.SourceOf(r.by.Role)
			args = append(args, r.f.EnterpriseID, r.f.Kind, r.f.Period, r.f.Num, string(src), src.Rank(), RegistryRef,
				r.by.UserID, r.by.Name, now)
		}
		if _, err := tx.DB().Exec(ctx, `INSERT INTO enterprise_facts (enterprise_id, kind, period, num, source, rank, ref,
			recorded_by, recorded_name, recorded_at) VALUES `+store.Tuples("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(batch)), args...); err != nil {
			return fmt.Errorf("registry facts: %w", err)
		}
	}
	for _, w := range changed {
		if err := followFacts(ctx, tx, w.By, w.After.ID); err != nil {
			return err
		}
	}
	return nil
}

// RegistryRef is the Ref of the facts the registry's own writes record.
const RegistryRef = "registry"

// Person is someone who answers for an enterprise, or speaks for it.
type Person struct {
	UserID int64
	Name   string
	Phone  string // masked
	Role   access.Role
	// As says how: "grid_worker" (its grid's), "cadre" (stationed with it),
	// "account" (the enterprise's own user).
	As string
	// HomeUnit is a cadre's home unit (派出单位).
	HomeUnit string
}

// People returns the grid worker of an enterprise's grid, the cadres
// assigned to it and its own accounts, for an actor who may read it; the
// enterprise's own user sees the staff who answer for it, not its other
// accounts' phones (every phone is masked).
func (s *Store) People(ctx context.Context, actor access.Actor, enterpriseID int64) ([]Person, error) {
	h := s.engine.Reader()
	e, err := enterpriseFor(ctx, h, actor, enterpriseID, access.EnterpriseRead)
	if err != nil {
		return nil, err
	}
	return people(ctx, h, e)
}

// people reads the people of an enterprise read in scope: its grid worker,
// then its cadres, then its accounts, each by name.
func people(ctx context.Context, h store.DB, e enterprise.Enterprise) ([]Person, error) {
	scan := func(sc store.Scanner) (Person, error) {
		var p Person
		var role string
		var order int
		err := sc.Scan(&p.UserID, &p.Name, &p.Phone, &role, &p.As, &order, &p.HomeUnit)
		p.Role, p.Phone = access.Role(role), access.MaskPhone(p.Phone)
		return p, err
	}
	return store.Collect(ctx, h, scan, `SELECT u.id, u.name, u.phone, u.role, 'grid_worker', 1 AS n, u.home_unit FROM regions g
			JOIN users u ON u.id = g.worker_id WHERE g.code = ? AND u.disabled = FALSE
		UNION ALL SELECT u.id, u.name, u.phone, u.role, 'cadre', 2, u.home_unit FROM assignments s JOIN users u ON u.id = s.user_id
			WHERE s.enterprise_id = ? AND u.disabled = FALSE
		UNION ALL SELECT u.id, u.name, u.phone, u.role, 'account', 3, u.home_unit FROM users u WHERE u.enterprise_id = ? AND u.disabled = FALSE
		ORDER BY n, name`, e.GridCode, e.ID, e.ID)
}

// Timeline joins an enterprise's timeline, newest first, at most limit
// entries, for an actor who may read the enterprise: its registration, the
// facts recorded and the modules' parts (sources).
func (s *Store) Timeline(ctx context.Context, actor access.Actor, enterpriseID int64, limit int, sources []dossier.TimelineSource) ([]dossier.Entry, error) {
	h := s.engine.Reader()
	e, err := enterpriseFor(ctx, h, actor, enterpriseID, access.EnterpriseRead)
	if err != nil {
		return nil, err
	}
	facts, err := readFacts(ctx, h, enterpriseID, nil)
	if err != nil {
		return nil, err
	}
	return timeline(ctx, actor, e, facts, limit, sources)
}

// timeline joins the timeline of an enterprise read in scope, with its facts.
func timeline(ctx context.Context, actor access.Actor, e enterprise.Enterprise, facts []dossier.Fact, limit int, sources []dossier.TimelineSource) ([]dossier.Entry, error) {
	var own []dossier.Entry
	for _, f := range facts[:min(len(facts), limit)] {
		k, _ := dossier.KindOf(f.Kind)
		own = append(own, dossier.Entry{At: f.RecordedAt, Module: "fact", What: "tl.fact", Href: "#facts",
			Said: fault.Msg{Zh: k.Zh + " " + f.Period + "：" + f.Format("zh"), En: k.En + " " + f.Period + ": " + f.Format("en")}})
	}
	// The registration last: the registry's first facts bear its time.
	own = append(own, dossier.Entry{At: e.CreatedAt, Module: "enterprise", What: "tl.registered", Title: e.Name,
		Href: fmt.Sprintf("/enterprises/%d", e.ID)})
	lists := [][]dossier.Entry{own}
	for _, src := range sources {
		l, err := src.Timeline(ctx, actor, e.ID, limit)
		if err != nil {
			return nil, err
		}
		lists = append(lists, l)
	}
	return dossier.Merge(limit, lists...), nil
}

// File is an enterprise's file as its page shows it.
type File struct {
	Current, History []dossier.Fact // as Facts gives them
	People           []Person
	Timeline         []dossier.Entry // the newest entries, at most the limit asked for
}

// File reads an enterprise's whole file for an actor who may read it, the
// enterprise and its facts read once.
func (s *Store) File(ctx context.Context, actor access.Actor, enterpriseID int64, limit int, sources []dossier.TimelineSource) (File, error) {
	var f File
	h := s.engine.Reader()
	e, err := enterpriseFor(ctx, h, actor, enterpriseID, access.EnterpriseRead)
	if err != nil {
		return f, err
	}
	all, err := readFacts(ctx, h, enterpriseID, nil)
	if err != nil {
		return f, err
	}
	f.Current, f.History = currentOf(all), all[:min(len(all), MaxHistory)]
	if f.People, err = people(ctx, h, e); err != nil {
		return f, err
	}
	f.Timeline, err = timeline(ctx, actor, e, all, limit, sources)
	return f, err
}

// ByCreditCode finds the enterprise of a credit code (a QR code's) that the
// actor may read; one out of scope is not found.
func (s *Store) ByCreditCode(ctx context.Context, actor access.Actor, code string) (int64, error) {
	h := s.engine.Reader()
	var id int64
	if err := store.Scan(h.Row(ctx, "SELECT id FROM enterprises WHERE credit_code = ?", code), &id); err != nil {
		return 0, err
	}
	if _, err := enterpriseFor(ctx, h, actor, id, access.EnterpriseRead); err != nil {
		return 0, err
	}
	return id, nil
}

// ImportRow is a fact of an enterprise named by its credit code, from a
// row of a department's workbook.
type ImportRow struct {
	Line       int
	CreditCode string
	Fact       dossier.Fact
}

// MaxImport bounds the rows of one import of facts.
const MaxImport = 200_000

// Import records a department's data as facts, all or none: every row's
// enterprise must exist and be one the actor may record facts of (else the
// row's problem is returned, keyed by line, and nothing is recorded); then
// every fact is recorded with the actor's source and ref (an import's name)
// in one transaction, each audited, the registry following.
func (s *Store) Import(ctx context.Context, actor access.Actor, ref string, rows []ImportRow) (map[int]fault.Msg, error) {
	if !access.May(actor.Role, access.FactRecord) {
		return nil, access.ErrForbidden
	}
	if len(rows) > MaxImport {
		return nil, fault.New(fault.Invalid, "too_many_rows", fmt.Sprintf("一次最多导入 %d 行", MaxImport), fmt.Sprintf("at most %d rows at once", MaxImport))
	}
	problems := map[int]fault.Msg{}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		ids, err := idsInScope(ctx, h, actor, rows)
		if err != nil {
			return err
		}
		facts := make([]dossier.Fact, 0, len(rows))
		for _, r := range rows {
			id, ok := ids[r.CreditCode]
			if !ok {
				problems[r.Line] = fault.Msg{Zh: "辖区内没有这个信用代码的企业", En: "no enterprise of this credit code in your scope"}
				continue
			}
			f := r.Fact
			f.EnterpriseID, f.Source, f.Ref = id, "", ref
			facts = append(facts, f)
		}
		if len(problems) > 0 {
			return nil
		}
		_, err = RecordTx(ctx, tx, actor, facts)
		return err
	})
	if err != nil {
		return nil, err
	}
	return problems, nil
}

// idsInScope maps the rows' credit codes to the IDs of the enterprises the
// actor may record facts of.
func idsInScope(ctx context.Context, h store.DB, actor access.Actor, rows []ImportRow) (map[string]int64, error) {
	codes := map[string]bool{}
	for _, r := range rows {
		codes[r.CreditCode] = true
	}
	list := make([]string, 0, len(codes))
	for c := range codes {
		list = append(list, c)
	}
	slices.Sort(list)
	out := map[string]int64{}
	cond, cargs := store.EnterpriseScope(actor, access.FactRecord)
	for batch := range slices.Chunk(list, 500) {
		args := make([]any, 0, len(batch)+len(cargs))
		for _, c := range batch {
			args = append(args, c)
		}
		found, err := store.Collect(ctx, h, func(sc store.Scanner) ([2]string, error) {
			var id int64
			var code string
			err := sc.Scan(&id, &code)
			return [2]string{code, strconv.FormatInt(id, 10)}, err
		}, "SELECT e.id, e.credit_code FROM enterprises e WHERE e.credit_code IN ("+store.Placeholders(len(batch))+") AND "+cond,
			append(args, cargs...)...)
		if err != nil {
			return nil, fmt.Errorf("import facts: %w", err)
		}
		for _, f := range found {
			id, _ := strconv.ParseInt(f[1], 10, 64)
			out[f[0]] = id
		}
	}
	return out, nil
}
