package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"time"

	"qifu/bench/datagen"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/store"
)

// escalationCmd is scenario 4: a store with a million open steps, ten
// thousand of which have come due; the time the scheduler takes to find
// them and raise their alerts (each: a claim, inbox notices, a timeline
// event, an audit entry), and that it reads only those.
func escalationCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	kind := fs.String("store", "sqlite", "sqlite or postgres")
	open := fs.Int("open", 1_000_000, "open steps")
	due := fs.Int("due", 10_000, "of which come due")
	runs := fs.Int("runs", 3, "runs (each on steps made due again)")
	profile := fs.String("profile", "", "file for a CPU profile of the runs (none if empty)")
	fs.Parse(args)

	e, err := newEnv(*kind)
	if err != nil {
		return err
	}
	defer e.close()
	dsn, err := e.db("escalation")
	if err != nil {
		return err
	}
	// The demo district and its replayed appeals, for the steps to belong to.
	if _, err := datagen.Generate(ctx, datagen.Options{DSN: dsn, Blocks: 1, Appeals: 0}); err != nil {
		return err
	}
	raw, err := openRaw(dsn)
	if err != nil {
		return err
	}
	defer raw.Close()
	now := time.Now()
	began := time.Now()
	// A million open handling steps of departments, on the template's
	// appeals, due from an hour to a month from now.
	ins := `INSERT INTO appeal_steps (appeal_id, step, department_id, started_at, due_at, warn_at, alert_at, alert_level)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
		SELECT 1 + i %% (SELECT MAX(id) FROM appeals), 'handle', 1 + i %% 23, %d, %d + (CAST(i AS BIGINT) %% 720) * 3600000,
			%d + (CAST(i AS BIGINT) %% 720) * 3600000 - 7200000, %d + 3600000 + (CAST(i AS BIGINT) %% 720) * 3600000, 0 FROM n`
	if _, err := raw.ExecContext(ctx, fmt.Sprintf(ins, *open, now.UnixMilli(), now.UnixMilli(), now.UnixMilli(), now.UnixMilli())); err != nil {
		return fmt.Errorf("insert open steps: %w", err)
	}
	if _, err := raw.ExecContext(ctx, "ANALYZE"); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d open steps inserted in %s\n", *open, time.Since(began).Round(time.Millisecond))
	var maxStep int64
	if err := raw.QueryRowContext(ctx, "SELECT MAX(id) FROM appeal_steps").Scan(&maxStep); err != nil {
		return err
	}
	if !store.IsPostgres(dsn) {
		rows, err := raw.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT id, appeal_id, step, COALESCE(department_id, 0), due_at, alert_level
			FROM appeal_steps WHERE done_at = 0 AND paused_at = 0 AND alert_at <= ? ORDER BY alert_at LIMIT ?`, now.UnixMilli(), 500)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			fmt.Printf("query plan of the scheduler's search: %s\n", detail)
		}
		rows.Close()
	}

	st, err := store.Open(ctx, store.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	defer st.Close()
	// The template's own steps that have come due since its replay.
	appeals := appealdb.New(st, appealdb.Options{})
	first, err := appeals.RunAlerts(ctx, 1<<20)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d alerts of the template's own steps raised first\n", first)
	fmt.Printf("\nscenario 4, escalation, %s: %d open steps, %d come due; %d runs\n\n", *kind, *open, *due, *runs)
	fmt.Println("| run | alerts raised | time | alerts/s |")
	fmt.Println("|---|---|---|---|")
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var secs []float64
	for run := range *runs {
		// Make the last `due` steps due (their warning) a minute ago.
		if _, err := raw.ExecContext(ctx, store.Rebind(dsn, `UPDATE appeal_steps SET alert_at = ?, alert_level = 0 WHERE id > ?`),
			now.Add(-time.Minute).UnixMilli(), maxStep-int64(*due)); err != nil {
			return err
		}
		t := time.Now()
		n, err := appeals.RunAlerts(ctx, 10*(*due))
		took := time.Since(t)
		if err != nil {
			return err
		}
		if n < *due {
			return fmt.Errorf("run %d: %d alerts raised, want %d", run+1, n, *due)
		}
		secs = append(secs, took.Seconds())
		fmt.Printf("| %d | %d | %.2f s | %.0f |\n", run+1, n, took.Seconds(), float64(n)/took.Seconds())
	}
	fmt.Printf("\nmedian %.2f s (goal < 5 s)\n", median(secs))
	return nil
}
