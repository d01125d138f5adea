// Package datagen fills a qifu store quickly with the history of a city or
// a province, in bulk SQL rather than through the API, for the benchmarks.
//
// The history is the demo's, multiplied. First the demo district is loaded
// and its appeals of the last four months are replayed through the real use
// cases (so every appeal, dispatch, step, event and extension is what the
// workflow writes, in the demo's mix of states, categories, departments and
// ratings). That district is the template. Its layout is then copied into
// blocks — six per district, ten districts for a city (Ningbo), 87 for the
// province (Zhejiang, 522 blocks) — each with its own
// streets, communities, grids, enterprises (new credit codes) and, per
// district, its own 23 departments. Finally the template's appeals, with
// everything hanging off them, are copied with INSERT … SELECT: once into
// every other block at the same dates (so every block has its open work),
// then into every block again and again, each time four months further
// back and with only the appeals the template has finished, until the store
// holds the appeals asked for. The copies are written without the secondary
// indexes of the tables they fill, which are built again at the end. 1 M
// appeals is a city over about four years; 10 M the province (522 blocks)
// over about four and a half.
package datagen

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/place"
	"qifu/internal/store"
)

// blocksPerDistrict is how many copies of the demo's seven streets a
// district holds (street numbers 001–007, 011–017, … 051–057).
const blocksPerDistrict = 6

// Options say how much to generate.
type Options struct {
	DSN     string
	Blocks  int // copies of the demo district's layout: 60 is Ningbo (10 districts, about 120,000 enterprises), 522 (the most) Zhejiang
	Appeals int // appeals wanted in all (at least the template's)
	// TemplateAppeals is the number of appeals the demo replays (its
	// default, 1,500, if zero).
	TemplateAppeals int
	Log             io.Writer
}

// Report says what was generated and how long it took.
type Report struct {
	Enterprises, Appeals, Events, Dispatches, Steps   int64
	Template, Layout, History, Indexes, Fold, Analyze time.Duration
	Span                                              time.Duration // from the oldest appeal to now
}

// Generate fills the empty store at opts.DSN.
func Generate(ctx context.Context, opts Options) (Report, error) {
	var rep Report
	if opts.Blocks < 1 || opts.Blocks > len(districts)*blocksPerDistrict {
		return rep, fmt.Errorf("blocks: want 1 to %d", len(districts)*blocksPerDistrict)
	}
	if opts.TemplateAppeals == 0 {
		opts.TemplateAppeals = 1500
	}
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	log := slog.New(slog.DiscardHandler)

	// The template: the demo district and its replayed history.
	began := time.Now()
	now := began
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	st, err := store.Open(ctx, store.Options{DSN: opts.DSN, Logger: log, Now: clock})
	if err != nil {
		return rep, err
	}
	defer st.Close()
	appeals := appealdb.New(st, appealdb.Options{})
	if err := st.Migrate(ctx); err != nil {
		return rep, err
	}
	d := demo.Generate(1)
	if err := st.LoadDemo(ctx, d); err != nil {
		return rep, err
	}
	plans, moves := demo.History(d, 1, began.In(calendar.Shanghai), opts.TemplateAppeals)
	if _, err := appeals.ReplayHistory(ctx, plans, moves, func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }); err != nil {
		return rep, fmt.Errorf("template history: %w", err)
	}
	st.Close()
	rep.Template = time.Since(began)
	logf("template: demo district with %d appeals replayed in %s", opts.TemplateAppeals, rep.Template.Round(time.Millisecond))

	db, err := openBulk(opts.DSN)
	if err != nil {
		return rep, err
	}
	defer db.Close()
	g := &gen{db: db, dsn: opts.DSN, d: d, logf: logf}
	if err := g.readTemplate(ctx); err != nil {
		return rep, err
	}

	began = time.Now()
	for b := 1; b < opts.Blocks; b++ {
		if err := g.layoutBlock(ctx, b); err != nil {
			return rep, fmt.Errorf("block %d: %w", b, err)
		}
	}
	rep.Layout = time.Since(began)
	logf("layout: %d blocks, %d enterprises in %s", opts.Blocks, int64(opts.Blocks)*g.ents, rep.Layout.Round(time.Millisecond))

	// The copies are written without the secondary indexes, which finish
	// builds again (indexes.go).
	if err := dropIndexes(ctx, db, opts.DSN); err != nil {
		return rep, err
	}
	began = time.Now()
	total := g.appeals
	copyN := 0
	for shift := 0; total < int64(opts.Appeals); shift++ {
		for b := range opts.Blocks {
			if shift == 0 && b == 0 {
				continue // the template itself
			}
			if total >= int64(opts.Appeals) {
				break
			}
			copyN++
			n, err := g.copyHistory(ctx, copyN, b, shift)
			if err != nil {
				return rep, fmt.Errorf("copy %d (block %d, %d periods back): %w", copyN, b, shift, err)
			}
			total += n
			rep.Span = time.Duration(shift+1) * g.period
		}
		logf("history: %d appeals after %d periods back (%s)", total, shift, time.Since(began).Round(time.Second))
	}
	if err := g.finish(ctx); err != nil {
		return rep, err
	}
	rep.History = time.Since(began)

	// finish fills rep in: called before rep is read (the order of a return's
	// operands is not fixed).
	err = finish(ctx, db, opts.DSN, true, &rep, logf)
	return rep, err
}

// Finish builds the indexes the history was written without, folds the
// kept assessment figures of a generated store and analyses it, as
// Generate ends: the appeals still queued for folding, or, when some
// appeals are neither folded nor queued, all of them anew. Run alone, it
// completes a generation that was stopped during or after its history, or
// during its fold (a stopped history leaves fewer appeals).
//
// Without fold, the kept figures are left empty instead (their tables and
// queue emptied, so that a server started on the store has nothing to
// fold): a store for the paths that do not read them, finished in minutes
// where a province's fold takes an hour.
func Finish(ctx context.Context, dsn string, fold bool, log io.Writer) (Report, error) {
	var rep Report
	db, err := openBulk(dsn)
	if err != nil {
		return rep, err
	}
	defer db.Close()
	err = finish(ctx, db, dsn, fold, &rep, func(format string, args ...any) {
		if log != nil {
			fmt.Fprintf(log, format+"\n", args...)
		}
	})
	return rep, err
}

func finish(ctx context.Context, db *sql.DB, dsn string, fold bool, rep *Report, logf func(string, ...any)) error {
	// The indexes the history was written without.
	built, took, err := restoreIndexes(ctx, db, dsn)
	if err != nil {
		return err
	}
	rep.Indexes = took
	logf("indexes: %d of the history's tables built in %s", built, took.Round(time.Second))

	// The kept monthly assessment figures, folded from every appeal as the
	// server would have folded them as the history went on.
	began := time.Now()
	// Appeals folded or queued, against all: the history copied in bulk
	// was neither (only the template's, replayed by the store, was queued).
	var covered, appeals int64
	if err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM (SELECT appeal_id FROM assess_pending UNION SELECT appeal_id FROM assess_folded) q),
		(SELECT COUNT(*) FROM appeals)`).Scan(&covered, &appeals); err != nil {
		return fmt.Errorf("count the queue: %w", err)
	}
	// Each copied appeal's nearest open deadline, as the step clocks keep it.
	if _, err := db.ExecContext(ctx, store.Rebind(dsn, `UPDATE appeals SET next_due = COALESCE((SELECT MIN(st.due_at) FROM appeal_steps st
		WHERE st.appeal_id = appeals.id AND st.done_at = 0 AND st.paused_at = 0), ?)`), appealdb.NoDeadline); err != nil {
		return fmt.Errorf("next deadlines: %w", err)
	}
	if covered < appeals || !fold {
		queries := []string{"DELETE FROM assess_months", "DELETE FROM assess_days", "DELETE FROM assess_appeal_days", "DELETE FROM assess_overview",
			"DELETE FROM assess_folded", "DELETE FROM assess_pending"}
		if fold {
			queries = append(queries, "INSERT INTO assess_pending (appeal_id) SELECT id FROM appeals")
		}

		for _, q := range queries {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("queue for folding: %w", err)
			}
		}
	}
	if fold {
		st, err := store.Open(ctx, store.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			return err
		}
		n, err := appealdb.New(st, appealdb.Options{}).FoldAssessment(ctx, 0)
		st.Close()
		if err != nil {
			return fmt.Errorf("fold: %w", err)
		}
		rep.Fold = time.Since(began)
		logf("fold: %d appeals into the monthly assessment figures in %s", n, rep.Fold.Round(time.Second))
	} else {
		logf("fold: left out, the kept figures emptied")
	}

	began = time.Now()
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	rep.Analyze = time.Since(began)
	for table, n := range map[string]*int64{"enterprises": &rep.Enterprises, "appeals": &rep.Appeals,
		"appeal_events": &rep.Events, "appeal_dispatches": &rep.Dispatches, "appeal_steps": &rep.Steps} {
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(n); err != nil {
			return err
		}
	}
	logf("done: %d enterprises, %d appeals, %d events, %d dispatches, %d steps; history %s, analyze %s",
		rep.Enterprises, rep.Appeals, rep.Events, rep.Dispatches, rep.Steps, rep.History.Round(time.Second), rep.Analyze.Round(time.Second))
	// What the kept figures take (BENCHMARKS.md, scenario 3).
	var months, days, appealDays, overview, folded, bytes int64
	if err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM assess_months), (SELECT COUNT(*) FROM assess_days),
		(SELECT COUNT(*) FROM assess_appeal_days), (SELECT COUNT(*) FROM assess_overview),
		(SELECT COUNT(*) FROM assess_folded), (SELECT COALESCE(SUM(LENGTH(facts)), 0) FROM assess_folded)`).
		Scan(&months, &days, &appealDays, &overview, &folded, &bytes); err != nil {
		return fmt.Errorf("count kept rows: %w", err)
	}
	logf("kept figures: %d rows of months, %d of days, %d appeal days, %d of the overview; %d contributions of %d bytes on average",
		months, days, appealDays, overview, folded, bytes/max(folded, 1))
	return nil
}

// openBulk opens the database for bulk loading: on SQLite one connection
// without foreign-key checks and without a sync per commit (a generator
// that fails is run again; the store's own connections keep their
// settings), with a page cache of 2 GiB for the copies and for building
// the indexes after them.
func openBulk(dsn string) (*sql.DB, error) {
	if store.IsPostgres(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err == nil {
			db.SetMaxOpenConns(1)
		}
		return db, err
	}
	db, err := sql.Open("sqlite", "file:"+dsn+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=busy_timeout(10000)&_pragma=cache_size(-2097152)")
	if err == nil {
		db.SetMaxOpenConns(1)
	}
	return db, err
}

// gen holds what the copies need to know of the template.
type gen struct {
	db   *sql.DB
	dsn  string
	d    demo.Dataset
	logf func(string, ...any)

	ents, depts                               int64 // template enterprises and departments (IDs 1..n)
	appeals                                   int64
	maxAppeal, maxDispatch, maxStep, maxEvent int64
	maxExtension                              int64
	period                                    time.Duration // the template's span, by which each older copy moves back
}

// q rebinds ? placeholders for the store.
func (g *gen) q(query string) string { return store.Rebind(g.dsn, query) }

func (g *gen) readTemplate(ctx context.Context) error {
	for _, c := range []struct {
		query string
		into  *int64
	}{
		{"SELECT COUNT(*) FROM enterprises", &g.ents},
		{"SELECT COUNT(*) FROM departments", &g.depts},
		{"SELECT COUNT(*) FROM appeals", &g.appeals},
		{"SELECT COALESCE(MAX(id), 0) FROM appeals", &g.maxAppeal},
		{"SELECT COALESCE(MAX(id), 0) FROM appeal_dispatches", &g.maxDispatch},
		{"SELECT COALESCE(MAX(id), 0) FROM appeal_steps", &g.maxStep},
		{"SELECT COALESCE(MAX(id), 0) FROM appeal_events", &g.maxEvent},
		{"SELECT COALESCE(MAX(id), 0) FROM appeal_extensions", &g.maxExtension},
	} {
		if err := g.db.QueryRowContext(ctx, c.query).Scan(c.into); err != nil {
			return fmt.Errorf("read template: %s: %w", c.query, err)
		}
	}
	var maxEnt, maxDept int64
	if err := g.db.QueryRowContext(ctx, "SELECT MAX(id) FROM enterprises").Scan(&maxEnt); err != nil {
		return err
	}
	if err := g.db.QueryRowContext(ctx, "SELECT MAX(id) FROM departments").Scan(&maxDept); err != nil {
		return err
	}
	if maxEnt != g.ents || maxDept != g.depts {
		return fmt.Errorf("template IDs are not 1..n (enterprises %d of %d, departments %d of %d)", maxEnt, g.ents, maxDept, g.depts)
	}
	var oldest int64
	if err := g.db.QueryRowContext(ctx, "SELECT COALESCE(MIN(created_at), 0) FROM appeals").Scan(&oldest); err != nil {
		return err
	}
	g.period = time.Since(time.UnixMilli(oldest)) + 24*time.Hour
	return nil
}

// blockCode moves a code of the demo district (the district, a street, a
// community or a grid) into block b: its district, and its street number
// moved up by ten for each block before it in the district.
func blockCode(code string, b int) string {
	if len(code) < 6 || code[:6] != demo.DistrictCode {
		return code
	}
	if len(code) < 9 { // the district itself
		return districts[b/blocksPerDistrict].code
	}
	var street int
	fmt.Sscanf(code[6:9], "%d", &street)
	return fmt.Sprintf("%s%03d%s", districts[b/blocksPerDistrict].code, street+(b%blocksPerDistrict)*10, code[9:])
}

// layoutBlock adds block b's regions, departments (for a new district) and
// enterprises, numbered so that enterprise n of the template is enterprise
// n + b × (template enterprises), and department n of the template in
// district k is department n + k × (template departments).
func (g *gen) layoutBlock(ctx context.Context, b int) error {
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	district := districts[b/blocksPerDistrict]
	suffix := ""
	if b%blocksPerDistrict > 0 {
		suffix = fmt.Sprint(b%blocksPerDistrict + 1)
	}
	insRegion := g.q("INSERT INTO regions (code, name, level, parent_code, industrial) VALUES (?, ?, ?, ?, ?)")
	if b%blocksPerDistrict == 0 {
		if district.cityCode != districts[b/blocksPerDistrict-1].cityCode { // a city's first district
			if _, err := tx.ExecContext(ctx, insRegion, district.cityCode, district.cityName, int(place.City), nil, false); err != nil {
				return fmt.Errorf("city %s: %w", district.cityCode, err)
			}
		}
		if _, err := tx.ExecContext(ctx, insRegion, district.code, district.name, int(place.District), district.cityCode, false); err != nil {
			return err
		}
		for i, dep := range g.d.Departments { // the template's were numbered 1..n in this order
			if _, err := tx.ExecContext(ctx, g.q(`INSERT INTO departments (id, code, name, name_en, region_code, phone) VALUES (?, ?, ?, ?, ?, ?)`),
				int64(i+1)+int64(b/blocksPerDistrict)*g.depts, dep.Code+"_"+district.code, dep.Name, dep.NameEn, district.code, dep.Phone); err != nil {
				return err
			}
		}
	}
	for _, r := range g.d.Regions {
		if r.Level < place.Street {
			continue
		}
		if _, err := tx.ExecContext(ctx, insRegion, blockCode(r.Code, b), r.Name+suffix, int(r.Level), blockCode(r.ParentCode, b), r.Industrial); err != nil {
			return fmt.Errorf("region %s: %w", blockCode(r.Code, b), err)
		}
	}
	// Enterprises, 200 rows a statement.
	const cols = "id, credit_code, code_unconfirmed, name, legal_rep, contact, phone, address, grid_code, community_code, street_code, district_code, city_code, industry, employees, revenue, size, foreign_trade, key_level, party_branch, tags, created_at, updated_at, version"
	now := time.Now().UnixMilli()
	var args []any
	rows := 0
	flush := func() error {
		if rows == 0 {
			return nil
		}
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1),", rows), ",")
		if _, err := tx.ExecContext(ctx, g.q("INSERT INTO enterprises ("+cols+") VALUES "+values), args...); err != nil {
			return err
		}
		args, rows = args[:0], 0
		return nil
	}
	for i, e := range g.d.Enterprises {
		stem := fmt.Sprintf("91%sB%02d%06d", district.code, b%blocksPerDistrict, i) // unique: the district's code and the block in it
		c, ok := enterprise.CheckChar(stem)
		if !ok {
			return fmt.Errorf("no check character for %s", stem)
		}
		args = append(args, int64(i+1)+int64(b)*g.ents, stem+string(c), false, fmt.Sprintf("%s（%d）", e.Name, b), e.LegalRep, e.Contact, e.Phone, e.Address,
			blockCode(e.GridCode, b), blockCode(e.CommunityCode, b), blockCode(e.StreetCode, b), district.code, district.cityCode,
			e.Industry, e.Employees, e.Revenue, string(e.Size), e.ForeignTrade, string(e.KeyLevel), e.PartyBranch,
			strings.Join(e.Tags, ","), now, now)
		if rows++; rows == 200 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, g.q("INSERT INTO enterprise_tags (enterprise_id, tag) SELECT enterprise_id + ?, tag FROM enterprise_tags WHERE enterprise_id <= ?"),
		int64(b)*g.ents, g.ents); err != nil {
		return err
	}
	return tx.Commit()
}

// shifted is a time column moved back by the copy's shift, 0 (not yet) kept.
func shifted(col string) string {
	return fmt.Sprintf("CASE WHEN %s = 0 THEN 0 ELSE %s - ? END", col, col)
}

// copyHistory copies the template's appeals (all of them when shift is 0,
// else those finished) into block b, shift periods back, as copy number c
// (which decides the IDs). It returns the number of appeals copied.
func (g *gen) copyHistory(ctx context.Context, c, b, shift int) (int64, error) {
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	back := (time.Duration(shift) * g.period).Milliseconds()
	offA, offD, offS, offE, offX := int64(c)*g.maxAppeal, int64(c)*g.maxDispatch, int64(c)*g.maxStep, int64(c)*g.maxEvent, int64(c)*g.maxExtension
	offEnt, offDept := int64(b)*g.ents, int64(b/blocksPerDistrict)*g.depts
	// Which template appeals this copy takes.
	take := "a.id <= ?"
	if shift > 0 {
		take += " AND a.state IN ('closed', 'merged')"
	}
	// A template row hangs off a template appeal: its ID is at most the
	// template's largest (read before the first copy). Bounding the scan by it
	// keeps each copy's reads to the template's rows, however large the
	// copies have made the table.
	taken := func(table string, maxID int64) string {
		return fmt.Sprintf("%[1]s.id <= %[2]d AND EXISTS (SELECT 1 FROM appeals a WHERE a.id = %[1]s.appeal_id AND %[3]s)", table, maxID, take)
	}
	prefix := fmt.Sprintf("C%d-", c)

	res, err := tx.ExecContext(ctx, g.q(`INSERT INTO appeals (id, number, channel, type, category, standard_code, title, content,
		urgency, enterprise_id, contact, phone, confidential, grid_code, community_code, street_code, district_code, city_code,
		state, case_id, lead_department, result, reply, replied_at, rating, rating_note, rating_channel, redo_count, urge_count,
		return_count, raised_by, created_at, updated_at, closed_at, version)
		SELECT a.id + ?, ? || a.number, a.channel, a.type, a.category, a.standard_code, a.title, a.content,
		a.urgency, e.id, a.contact, a.phone, a.confidential, e.grid_code, e.community_code, e.street_code, e.district_code, e.city_code,
		a.state, CASE WHEN p.id IS NULL THEN NULL ELSE p.id + ? END, CASE WHEN a.lead_department IS NULL THEN NULL ELSE a.lead_department + ? END,
		a.result, a.reply, `+shifted("a.replied_at")+`, a.rating, a.rating_note, a.rating_channel, a.redo_count, a.urge_count,
		a.return_count, a.raised_by, a.created_at - ?, a.updated_at - ?, `+shifted("a.closed_at")+`, a.version
		FROM appeals a JOIN enterprises e ON e.id = a.enterprise_id + ?
		LEFT JOIN appeals p ON p.id = a.case_id AND (? = 0 OR p.state IN ('closed', 'merged'))
		WHERE `+take),
		offA, prefix, offA, offDept, back, back, back, back, offEnt, shift, g.maxAppeal)
	if err != nil {
		return 0, fmt.Errorf("appeals: %w", err)
	}
	n, _ := res.RowsAffected()

	if _, err := tx.ExecContext(ctx, g.q(`INSERT INTO appeal_dispatches (id, appeal_id, department_id, role, status, instruction,
		due_at, signed_at, signed_by, answer, answered_at, reason, created_at, created_by, active)
		SELECT d.id + ?, d.appeal_id + ?, d.department_id + ?, d.role, d.status, d.instruction,
		d.due_at - ?, `+shifted("d.signed_at")+`, d.signed_by, d.answer, `+shifted("d.answered_at")+`, d.reason, d.created_at - ?, d.created_by, d.active
		FROM appeal_dispatches d WHERE `+taken("d", g.maxDispatch)),
		offD, offA, offDept, back, back, back, back, g.maxAppeal); err != nil {
		return 0, fmt.Errorf("dispatches: %w", err)
	}
	if _, err := tx.ExecContext(ctx, g.q(`INSERT INTO appeal_steps (id, appeal_id, step, dispatch_id, department_id, started_at,
		due_at, warn_at, done_at, done_by, paused_at, remaining_ms, alert_at, alert_level)
		SELECT s.id + ?, s.appeal_id + ?, s.step, CASE WHEN s.dispatch_id IS NULL THEN NULL ELSE s.dispatch_id + ? END,
		CASE WHEN s.department_id IS NULL THEN NULL ELSE s.department_id + ? END, s.started_at - ?,
		s.due_at - ?, s.warn_at - ?, `+shifted("s.done_at")+`, s.done_by, `+shifted("s.paused_at")+`, s.remaining_ms, s.alert_at - ?, s.alert_level
		FROM appeal_steps s WHERE `+taken("s", g.maxStep)),
		offS, offA, offD, offDept, back, back, back, back, back, back, g.maxAppeal); err != nil {
		return 0, fmt.Errorf("steps: %w", err)
	}
	if _, err := tx.ExecContext(ctx, g.q(`INSERT INTO appeal_events (id, appeal_id, at, actor_id, actor_name, role, action,
		from_state, to_state, department_id, note, detail, public)
		SELECT v.id + ?, v.appeal_id + ?, v.at - ?, v.actor_id, v.actor_name, v.role, v.action,
		v.from_state, v.to_state, CASE WHEN v.department_id IS NULL THEN NULL ELSE v.department_id + ? END, v.note, v.detail, v.public
		FROM appeal_events v WHERE `+taken("v", g.maxEvent)),
		offE, offA, back, offDept, g.maxAppeal); err != nil {
		return 0, fmt.Errorf("events: %w", err)
	}
	if _, err := tx.ExecContext(ctx, g.q(`INSERT INTO appeal_extensions (id, appeal_id, dispatch_id, requested_by, requested_at,
		reason, proposed_due, status, decided_by, decided_at, decision_note)
		SELECT x.id + ?, x.appeal_id + ?, x.dispatch_id + ?, x.requested_by, x.requested_at - ?,
		x.reason, x.proposed_due - ?, x.status, x.decided_by, `+shifted("x.decided_at")+`, x.decision_note
		FROM appeal_extensions x WHERE `+taken("x", g.maxExtension)),
		offX, offA, offD, back, back, back, g.maxAppeal); err != nil {
		return 0, fmt.Errorf("extensions: %w", err)
	}
	return n, tx.Commit()
}

// finish moves PostgreSQL's identity sequences past the IDs given
// explicitly, so that qifu's own inserts go on from there.
func (g *gen) finish(ctx context.Context) error {
	if !store.IsPostgres(g.dsn) {
		return nil
	}
	for _, table := range []string{"enterprises", "departments", "appeals", "appeal_dispatches", "appeal_steps", "appeal_events", "appeal_extensions"} {
		if _, err := g.db.ExecContext(ctx, fmt.Sprintf(
			"SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", table, table)); err != nil {
			return fmt.Errorf("sequence of %s: %w", table, err)
		}
	}
	return nil
}
