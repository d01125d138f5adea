// Package dossierdb keeps the enterprise's file (一企一档) on the store's
// engine: the facts with their sources (enterprise_facts), the people who
// answer for an enterprise, and its timeline, joined from every module's
// part (dossier.TimelineSource). The rules are package dossier's.
package dossierdb

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/enterprise"
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
// the latest period first) and its history (every value, newest first, up
// to MaxHistory), for an actor who may read the enterprise.
func (s *Store) Facts(ctx context.Context, actor access.Actor, enterpriseID int64) (current, history []dossier.Fact, err error) {
	h := s.engine.Reader()
	if _, err := enterpriseFor(ctx, h, actor, enterpriseID, access.EnterpriseRead); err != nil {
		return nil, nil, err
	}
	history, err = store.Collect(ctx, h, scanFact, "SELECT "+factColumns+` FROM enterprise_facts f
		WHERE f.enterprise_id = ? ORDER BY f.recorded_at DESC, f.id DESC LIMIT ?`, enterpriseID, MaxHistory)
	if err != nil {
		return nil, nil, fmt.Errorf("facts: %w", err)
	}
	current, err = currentFacts(ctx, h, enterpriseID, nil)
	return current, history, err
}

// currentFacts reads the current fact of each kind and period of an
// enterprise (of kinds, if any), the latest period first.
func currentFacts(ctx context.Context, h store.DB, enterpriseID int64, kinds []string) ([]dossier.Fact, error) {
	args := []any{enterpriseID}
	cond := ""
	if len(kinds) > 0 {
		cond = " AND f.kind IN (" + store.Placeholders(len(kinds)) + ")"
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	list, err := store.Collect(ctx, h, scanFact, "SELECT "+factColumns+` FROM (
		SELECT f.*, ROW_NUMBER() OVER (PARTITION BY f.kind, f.period ORDER BY f.rank DESC, f.recorded_at DESC, f.id DESC) AS n
		FROM enterprise_facts f WHERE f.enterprise_id = ?`+cond+`) f
		WHERE f.n = 1 ORDER BY f.kind, f.period DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("current facts: %w", err)
	}
	return list, nil
}

// Known returns the latest current fact of each of kinds of an enterprise
// the actor may read: what a form prefills ("report once", 最多报一次).
func (s *Store) Known(ctx context.Context, actor access.Actor, enterpriseID int64, kinds []string) (map[string]dossier.Fact, error) {
	h := s.engine.Reader()
	if _, err := enterpriseFor(ctx, h, actor, enterpriseID, access.EnterpriseRead); err != nil {
		return nil, err
	}
	current, err := currentFacts(ctx, h, enterpriseID, kinds)
	if err != nil {
		return nil, err
	}
	out := map[string]dossier.Fact{}
	for _, k := range kinds {
		if f, ok := dossier.Latest(current, k); ok {
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

// followFacts sets an enterprise's registry employees and revenue (and its
// size class) to their newest current facts, when they differ.
func followFacts(ctx context.Context, tx *store.Tx, actor access.Actor, id int64) error {
	h := tx.DB()
	e, err := h.EnterpriseByID(ctx, id)
	if err != nil {
		return err
	}
	current, err := currentFacts(ctx, h, id, []string{"employees", "revenue"})
	if err != nil {
		return err
	}
	employees, revenue := int64(e.Employees), e.Revenue
	if f, ok := dossier.Latest(current, "employees"); ok {
		employees = f.Num
	}
	if f, ok := dossier.Latest(current, "revenue"); ok {
		revenue = f.Num
	}
	if employees == int64(e.Employees) && revenue == e.Revenue {
		return nil
	}
	size := enterprise.Classify(e.Industry, int(employees), revenue)
	if _, err := h.Exec(ctx, `UPDATE enterprises SET employees = ?, revenue = ?, size = ?, updated_at = ?, version = version + 1
		WHERE id = ?`, employees, revenue, string(size), tx.Now().UnixMilli(), id); err != nil {
		return fmt.Errorf("registry follows the facts: %w", err)
	}
	return tx.Record(ctx, actor, "enterprise.update", fmt.Sprintf("enterprise/%d", id), "ok", map[string]any{
		"employees": [2]int64{int64(e.Employees), employees}, "revenue": [2]int64{e.Revenue, revenue},
		"size": [2]string{string(e.Size), string(size)}, "because": "facts"})
}

// registryWritten records, as facts, the employees and revenue an
// enterprise's record was given (a form, an import, the demo): employees
// on the day, revenue of the year before (the registry's "annual revenue").
func (s *Store) registryWritten(ctx context.Context, tx *store.Tx, writes []store.EnterpriseWrite) error {
	today := tx.Now().In(calendar.Shanghai)
	day, lastYear := today.Format(time.DateOnly), strconv.Itoa(today.Year()-1)
	byActor := map[access.Actor][]dossier.Fact{}
	var order []access.Actor
	var changed []store.EnterpriseWrite
	for _, w := range writes {
		var facts []dossier.Fact
		if w.After.Employees != w.Before.Employees && (w.Before.ID != 0 || w.After.Employees > 0) {
			facts = append(facts, dossier.Fact{EnterpriseID: w.After.ID, Kind: "employees", Period: day, Num: int64(w.After.Employees), Ref: "registry"})
		}
		if w.After.Revenue != w.Before.Revenue && (w.Before.ID != 0 || w.After.Revenue > 0) {
			facts = append(facts, dossier.Fact{EnterpriseID: w.After.ID, Kind: "revenue", Period: lastYear, Num: w.After.Revenue, Ref: "registry"})
		}
		if len(facts) == 0 {
			continue
		}
		if w.Before.ID != 0 {
			changed = append(changed, w)
		}
		if _, ok := byActor[w.By]; !ok {
			order = append(order, w.By)
		}
		byActor[w.By] = append(byActor[w.By], facts...)
	}
	for _, actor := range order {
		if err := insertQuiet(ctx, tx, actor, byActor[actor]); err != nil {
			return err
		}
	}
	for _, w := range changed {
		if err := followFacts(ctx, tx, w.By, w.After.ID); err != nil {
			return err
		}
	}
	return nil
}

// insertQuiet writes the facts the registry was given, in few statements:
// the registry's own write is audited already, and the registry holds the
// value. An enterprise changed (not new) follows its facts afterwards, in
// case a more authoritative value of the same period stands.
func insertQuiet(ctx context.Context, tx *store.Tx, actor access.Actor, facts []dossier.Fact) error {
	now := tx.Now()
	source := dossier.SourceOf(actor.Role)
	const perStatement = 500
	for start := 0; start < len(facts); start += perStatement {
		batch := facts[start:min(start+perStatement, len(facts))]
		args := make([]any, 0, len(batch)*11)
		for _, f := range batch {
			args = append(args, f.EnterpriseID, f.Kind, f.Period, f.Num, string(source), source.Rank(), f.Ref,
				actor.UserID, actor.Name, now.UnixMilli())
		}
		if _, err := tx.DB().Exec(ctx, `INSERT INTO enterprise_facts (enterprise_id, kind, period, num, source, rank, ref,
			recorded_by, recorded_name, recorded_at) VALUES `+store.Tuples("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(batch)), args...); err != nil {
			return fmt.Errorf("registry facts: %w", err)
		}
	}
	return nil
}

// Person is someone who answers for an enterprise, or speaks for it.
type Person struct {
	UserID int64
	Name   string
	Phone  string // masked
	Role   access.Role
	// As says how: "grid_worker" (its grid's), "cadre" (stationed with it),
	// "account" (the enterprise's own user).
	As string
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
	scan := func(sc store.Scanner) (Person, error) {
		var p Person
		var role string
		err := sc.Scan(&p.UserID, &p.Name, &p.Phone, &role, &p.As)
		p.Role, p.Phone = access.Role(role), access.MaskPhone(p.Phone)
		return p, err
	}
	return store.Collect(ctx, h, scan, `SELECT u.id, u.name, u.phone, u.role, 'grid_worker' FROM regions g JOIN users u ON u.id = g.worker_id
			WHERE g.code = ? AND u.disabled = FALSE
		UNION ALL SELECT u.id, u.name, u.phone, u.role, 'cadre' FROM assignments s JOIN users u ON u.id = s.user_id
			WHERE s.enterprise_id = ? AND u.disabled = FALSE
		UNION ALL SELECT u.id, u.name, u.phone, u.role, 'account' FROM users u
			WHERE u.enterprise_id = ? AND u.disabled = FALSE
		ORDER BY 5 DESC, 2`, e.GridCode, enterpriseID, enterpriseID)
}

// Timeline joins an enterprise's timeline from the modules' parts, newest
// first, at most limit entries, for an actor who may read the enterprise.
func (s *Store) Timeline(ctx context.Context, actor access.Actor, enterpriseID int64, limit int, sources []dossier.TimelineSource) ([]dossier.Entry, error) {
	e, err := enterpriseFor(ctx, s.engine.Reader(), actor, enterpriseID, access.EnterpriseRead)
	if err != nil {
		return nil, err
	}
	lists := [][]dossier.Entry{{{At: e.CreatedAt, Module: "enterprise", What: "tl.registered", Title: e.Name,
		Href: fmt.Sprintf("/enterprises/%d", e.ID)}}}
	for _, src := range sources {
		l, err := src.Timeline(ctx, actor, enterpriseID, limit)
		if err != nil {
			return nil, err
		}
		lists = append(lists, l)
	}
	return dossier.Merge(limit, lists...), nil
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
