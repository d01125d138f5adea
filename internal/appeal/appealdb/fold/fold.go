// Package fold keeps the figures of the three rates added up, so that a
// leader's page reads a few rows instead of every appeal of a year.
//
// The assessment of a district's year reads tens of thousands of appeals and
// their steps when computed from the facts. So the figures are kept, added
// up: in assess_months, one row per dimension, month, street and key, and in
// assess_days, one per dimension, day, district and key, each holding the
// rates.Counts of that month's or day's facts of the appeals there. Every
// count adds up over periods and over appeals (see rates.Counts), so the
// figures of a period are the sum of the rows of its whole months, of its
// whole days before and after them, and of the rest — the day still running,
// or a period that does not start at midnight — computed from the facts of
// the few appeals that have one then (assess_appeal_days says which).
//
// The rows are kept by folding. A transaction that changes an appeal (every
// Act and every creation: whatever writes its timeline) queues the appeal in
// assess_pending, an append that no other writer waits for. Folding takes
// the queue in batches: for each appeal it works out the contribution the
// appeal now makes (its facts by day, rates.Facts), takes away the one it
// made when last folded (kept in assess_folded) and adds the difference. So
// an appeal's figures follow whatever changed it — a late rating, a redo, a
// due date moved by a pause — and one folded by mistake is merely folded
// again. One folder runs at a time (PostgreSQL: an advisory lock; SQLite has
// one writer anyway), so the kept rows are never contended: the writers that
// serve people only append to the queue.
//
// Every instance folds every few seconds (cmd/qifu), and an assessment that
// reads the kept rows folds the queue first, so its figures are exact as of
// the time it ran; if the queue is long (after a bulk load, or a migration),
// or the scope is a community's or a grid's (small), the assessment is
// computed from the facts instead. A change to the calendar queues the
// appeals whose handling time it changes.
package fold

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"qifu/internal/rates"
	"qifu/internal/store"
)

// foldBatch is the number of queued appeals one folding transaction takes.
const foldBatch = 500

// Inline is the longest queue an assessment folds before it reads the
// months; beyond it, the assessment is computed from the facts.
const Inline = 5000

// foldLock is the PostgreSQL advisory lock folding holds.
const foldLock = 7_204_101

// Folder folds the queue into the kept rows. One runs in each process.
type Folder struct {
	engine *store.Store
	// folding lets one fold run at a time in the process (SQLite; see
	// foldBatch).
	folding sync.Mutex
}

// New returns the folder of the store.
func New(engine *store.Store) *Folder { return &Folder{engine: engine} }

// Fold folds the queued appeals into the kept rows, batch after batch,
// until the queue is empty or limit appeals (0: no limit) are folded; it
// returns how many queue entries it took. If another fold is running (on
// another instance, or for a leader's page) it leaves the queue to that one
// and returns 0: the servers call it every few seconds.
func (s *Folder) Fold(ctx context.Context, limit int) (int, error) {
	return s.fold(ctx, limit, false)
}

// fold folds as Fold does; with wait, it waits for a fold running
// elsewhere to end, and then folds what is left.
func (s *Folder) fold(ctx context.Context, limit int, wait bool) (int, error) {
	total := 0
	for limit <= 0 || total < limit {
		n, err := s.foldBatch(ctx, wait)
		total += n
		if err != nil || n < foldBatch {
			return total, err
		}
	}
	return total, nil
}

// foldBatch folds one batch of the queue. On PostgreSQL the whole batch is
// one transaction under the advisory lock. On SQLite, whose one writer the
// people's requests wait for, the batch is read from the read pool first
// and only written in a transaction: an appeal changed meanwhile was queued
// again, after the entries this batch takes, and is folded again by the
// next batch; and one folder runs at a time in the process (s.folding),
// the only process writing an SQLite store.
func (s *Folder) foldBatch(ctx context.Context, wait bool) (int, error) {
	if s.engine.Postgres() {
		var n int
		err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
			h := tx.DB()
			if wait {
				if _, err := h.Exec(ctx, "SELECT pg_advisory_xact_lock(?)", foldLock); err != nil {
					return fmt.Errorf("fold lock: %w", err)
				}
			} else {
				var got bool
				if err := store.Scan(h.Row(ctx, "SELECT pg_try_advisory_xact_lock(?)", foldLock), &got); err != nil {
					return fmt.Errorf("fold lock: %w", err)
				}
				if !got {
					return nil // another is folding
				}
			}
			f, err := s.readFold(ctx, h)
			if err != nil {
				return err
			}
			n = len(f.taken)
			return f.write(ctx, h)
		})
		return n, err
	}
	if wait {
		s.folding.Lock()
	} else if !s.folding.TryLock() {
		return 0, nil // another is folding
	}
	defer s.folding.Unlock()
	f, err := s.readFold(ctx, s.engine.Reader())
	if err != nil || len(f.taken) == 0 {
		return 0, err
	}
	return len(f.taken), s.engine.WithTx(ctx, func(tx *store.Tx) error { return f.write(ctx, tx.DB()) })
}

// batch is one batch of the queue, read and worked out, to be written.
type batch struct {
	taken    []any // the queue entries taken
	gone     []any // appeals no longer there
	fresh    [][]any
	delta    map[keptRow]*rates.Counts
	overview map[overviewRow]int
	days     map[appealDay]int // > 0: a Day to add, < 0: one to remove
}

// readFold takes a batch of the queue and works out what to write.
func (s *Folder) readFold(ctx context.Context, h store.DB) (batch, error) {
	f := batch{delta: map[keptRow]*rates.Counts{}, overview: map[overviewRow]int{}, days: map[appealDay]int{}}
	rows, err := h.Query(ctx, "SELECT id, appeal_id FROM assess_pending ORDER BY id LIMIT ?", foldBatch)
	if err != nil {
		return f, fmt.Errorf("read fold queue: %w", err)
	}
	seen := map[int64]bool{}
	var ids []any
	for rows.Next() {
		var entry, id int64
		if err := rows.Scan(&entry, &id); err != nil {
			rows.Close()
			return f, err
		}
		f.taken = append(f.taken, entry)
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return f, err
	}
	// The calendar as it is now, not as cached: what is folded stays.
	cal, err := h.Calendar(ctx)
	if err != nil {
		return f, err
	}
	facts, err := Facts(ctx, h, cal, "a.id IN ("+store.Placeholders(len(ids))+")", ids, s.engine.Now())
	if err != nil {
		return f, err
	}
	// The category and the state, for the overview.
	kinds, err := h.Query(ctx, "SELECT id, category, state FROM appeals WHERE id IN ("+store.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return f, fmt.Errorf("read appeals to fold: %w", err)
	}
	type label struct{ category, state string }
	labels := map[int64]label{}
	for kinds.Next() {
		var id int64
		var x label
		if err := kinds.Scan(&id, &x.category, &x.state); err != nil {
			kinds.Close()
			return f, err
		}
		labels[id] = x
	}
	kinds.Close()
	if err := kinds.Err(); err != nil {
		return f, err
	}
	for i := range facts {
		delete(seen, facts[i].ID)
		x := labels[facts[i].ID]
		k, err := contributionOf(&facts[i], x.category, x.state)
		if err != nil {
			return f, fmt.Errorf("appeal %d: %w", facts[i].ID, err)
		}
		k.addTo(f.delta, f.overview, 1)
		k.addDays(f.days, facts[i].ID, 1)
		f.fresh = append(f.fresh, []any{facts[i].ID, k.encode()})
	}
	for id := range seen {
		f.gone = append(f.gone, id)
	}
	old, err := h.Query(ctx, "SELECT appeal_id, facts FROM assess_folded WHERE appeal_id IN ("+store.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return f, fmt.Errorf("read folded: %w", err)
	}
	defer old.Close()
	for old.Next() {
		var id int64
		var b []byte
		if err := old.Scan(&id, &b); err != nil {
			return f, err
		}
		k, err := decodeContribution(b)
		if err != nil {
			return f, fmt.Errorf("appeal %d: %w", id, err)
		}
		k.addTo(f.delta, f.overview, -1)
		k.addDays(f.days, id, -1)
	}
	return f, old.Err()
}

// write writes a batch worked out by readFold, and removes its entries
// from the queue.
func (f batch) write(ctx context.Context, h store.DB) error {
	if len(f.taken) == 0 {
		return nil
	}
	if err := addKept(ctx, h, f.delta); err != nil {
		return err
	}
	if err := moveAppealDays(ctx, h, f.days); err != nil {
		return err
	}
	if err := addOverview(ctx, h, f.overview); err != nil {
		return err
	}
	if len(f.gone) > 0 { // appeals no longer there: their contribution is taken away
		if _, err := h.Exec(ctx, "DELETE FROM assess_folded WHERE appeal_id IN ("+store.Placeholders(len(f.gone))+")", f.gone...); err != nil {
			return fmt.Errorf("forget folded: %w", err)
		}
	}
	if err := execRows(ctx, h, "INSERT INTO assess_folded (appeal_id, facts) VALUES ",
		" ON CONFLICT (appeal_id) DO UPDATE SET facts = excluded.facts", f.fresh); err != nil {
		return fmt.Errorf("write folded: %w", err)
	}
	if _, err := h.Exec(ctx, "DELETE FROM assess_pending WHERE id IN ("+store.Placeholders(len(f.taken))+")", f.taken...); err != nil {
		return fmt.Errorf("take fold queue: %w", err)
	}
	return nil
}

// rowsPerStatement bounds the rows of one multi-row statement of the fold.
const rowsPerStatement = 200

// execRows runs head + VALUES tuples of rows + tail for the rows, a few
// hundred to a statement; every row has the same number of values.
func execRows(ctx context.Context, h store.DB, head, tail string, rows [][]any) error {
	for batch := range slices.Chunk(rows, rowsPerStatement) {
		tuple := "(?" + strings.Repeat(", ?", len(batch[0])-1) + ")"
		args := make([]any, 0, len(batch)*len(batch[0]))
		for _, r := range batch {
			args = append(args, r...)
		}
		if _, err := h.Exec(ctx, head+store.Tuples(tuple, len(batch))+tail, args...); err != nil {
			return err
		}
	}
	return nil
}

// addKept adds delta to the kept rows, creating those missing.
func addKept(ctx context.Context, h store.DB, delta map[keptRow]*rates.Counts) error {
	for _, daily := range []bool{false, true} {
		table, head := "assess_months", "dim, month, city_code, district_code, street_code, key"
		if daily {
			table, head = "assess_days", "dim, day, city_code, district_code, key"
		}
		sets := make([]string, NCounts)
		for i, c := range countsColumnNames {
			sets[i] = c + " = " + table + "." + c + " + excluded." + c
		}
		var rows [][]any
		for r, c := range delta {
			if r.daily != daily || *c == (rates.Counts{}) {
				continue
			}
			row := []any{string(r.dim), r.at, r.city, r.district}
			if !daily {
				row = append(row, r.street)
			}
			row = append(row, r.key)
			for _, x := range vector(*c) {
				row = append(row, x)
			}
			rows = append(rows, row)
		}
		if err := execRows(ctx, h, "INSERT INTO "+table+" ("+head+", "+CountsColumns+") VALUES ",
			" ON CONFLICT ("+head+") DO UPDATE SET "+strings.Join(sets, ", "), rows); err != nil {
			return fmt.Errorf("add to %s: %w", table, err)
		}
	}
	return nil
}

// addOverview adds the counts of delta to assess_overview.
func addOverview(ctx context.Context, h store.DB, delta map[overviewRow]int) error {
	var rows [][]any
	for r, d := range delta {
		if d != 0 {
			rows = append(rows, []any{r.district, r.city, int(r.Day), r.category, r.state, d})
		}
	}
	if err := execRows(ctx, h, "INSERT INTO assess_overview (district_code, city_code, day, category, state, n) VALUES ",
		" ON CONFLICT (district_code, day, city_code, category, state) DO UPDATE SET n = assess_overview.n + excluded.n", rows); err != nil {
		return fmt.Errorf("add to assess_overview: %w", err)
	}
	return nil
}

// moveAppealDays adds to assess_appeal_days the days with a count above 0
// and removes those below.
func moveAppealDays(ctx context.Context, h store.DB, days map[appealDay]int) error {
	var add, remove [][]any
	for d, n := range days {
		switch {
		case n > 0:
			add = append(add, []any{d.district, int(d.Day), d.appeal})
		case n < 0:
			remove = append(remove, []any{d.district, int(d.Day), d.appeal})
		}
	}
	for batch := range slices.Chunk(remove, rowsPerStatement) {
		var args []any
		for _, r := range batch {
			args = append(args, r...)
		}
		if _, err := h.Exec(ctx, "DELETE FROM assess_appeal_days WHERE (district_code, day, appeal_id) IN (VALUES "+
			store.Tuples("(CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS BIGINT))", len(batch))+")", args...); err != nil {
			return fmt.Errorf("remove appeal days: %w", err)
		}
	}
	if err := execRows(ctx, h, "INSERT INTO assess_appeal_days (district_code, day, appeal_id) VALUES ", " ON CONFLICT DO NOTHING", add); err != nil {
		return fmt.Errorf("add appeal days: %w", err)
	}
	return nil
}
