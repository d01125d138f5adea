package main

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"time"

	"qifu/bench/load"
	"qifu/internal/store"
)

// What the burst of status reports printed: its figures, checked against
// the store, and the plan of the rates (scenario 14).

// report prints the burst's tables and checks the counts: the rates
// through the API, the rows, the members answered and the audit entries,
// each against the reports acknowledged.
func (b *burst) report(ctx context.Context, db string, raw *sql.DB, res *burstResult) error {
	st := res.reports.Kinds["report"]
	if st == nil {
		st = &load.Stats{}
	}
	overruns := 0
	for k, s := range res.reports.Kinds {
		if k == "overrun" {
			overruns = s.Errors
		}
	}
	errorsN := st.Errors
	if t := res.reports.Kinds["twin"]; t != nil {
		errorsN += t.Errors
	}
	acked := b.acked.Load()
	// The slowest and fastest 10 s of acknowledgements.
	var windows []float64
	for s := 0; s+10 <= len(b.perSec)-1; s += 10 {
		n := int64(0)
		for k := s; k < s+10; k++ {
			n += b.perSec[k].Load()
		}
		windows = append(windows, float64(n)/10)
	}
	lo, hi := minMax(windows)
	retrySt := res.retries.Kinds["retry"]
	if retrySt == nil {
		retrySt = &load.Stats{}
	}
	b.mu.Lock()
	twins, twinOK, retried, unexpected := b.twins, b.twinOK, b.retried, b.unexpected
	b.mu.Unlock()
	instances := len(b.urls)
	others := "the rest of the machine"
	if store.IsPostgres(db) {
		others = "PostgreSQL and the rest"
	}
	fmt.Printf("| store | instances | arrivals /s | acknowledged /s (slowest–fastest 10 s) | p50 | p95 | p99 | max | errors | arrivals with no free client | "+
		"qifu CPU | %s | load generator | machine busy | qifu peak RSS |\n", others)
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	rest := res.machine - res.qifuCPU - res.genCPU
	fmt.Printf("| %s | %d | %.0f | %.1f (%.1f–%.1f) | %.1f ms | %.1f ms | %.1f ms | %.0f ms | %d | %d | %.0f %% | %.0f %% | %.0f %% | %.0f %% | %.0f MiB |\n\n",
		storeName(db), instances, float64(b.next.Load()+int64(overruns))/res.wall, float64(acked)/res.wall, lo, hi,
		msOf(st.Quantile(0.5)), msOf(st.Quantile(0.95)), msOf(st.Quantile(0.99)), msOf(st.Quantile(1)), errorsN, overruns,
		100*res.qifuCPU/res.wall, 100*rest/res.wall, 100*res.genCPU/res.wall, 100*res.busy, float64(res.peakRSS)/(1<<20))
	fmt.Printf("CPU columns are percent of one core (%d cores: %d %% is the whole machine). qifu CPU per report acknowledged: %.2f ms. "+
		"Load averages (1, 5, 15 min) before the burst: %s; after: %s.\n\n",
		runtime.NumCPU(), 100*runtime.NumCPU(), 1000*res.qifuCPU/float64(max(acked, 1)), res.loadBefore, res.loadAfter)
	if t := res.reports.Kinds["twin"]; t != nil {
		fmt.Printf("twins (sent twice at once): %d, answered one report with one 201: %d; latency p50 %.1f ms, p99 %.1f ms\n", twins, twinOK,
			msOf(t.Quantile(0.5)), msOf(t.Quantile(0.99)))
	}
	fmt.Printf("retries after the answer, same key: %d answered 200 with the same report (p50 %.1f ms, p99 %.1f ms), %d errors\n",
		retried, msOf(retrySt.Quantile(0.5)), msOf(retrySt.Quantile(0.99)), retrySt.Errors)
	fmt.Println("| minute of the burst | reports acknowledged /s | request p50 | p99 | max | rates reads | rates read p50 | max |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	b.minutesMu.Lock()
	for m, st := range b.minutes {
		if m*60 >= len(b.perSec)-1 {
			break // a request or two of the burst's last instant
		}
		var n int64
		for s := m * 60; s < (m+1)*60 && s < len(b.perSec); s++ {
			n += b.perSec[s].Load()
		}
		rs := &load.Stats{}
		if m < len(b.rateMins) {
			rs = b.rateMins[m]
		}
		fmt.Printf("| %d | %.0f | %.1f ms | %.1f ms | %.0f ms | %d | %.0f ms | %.0f ms |\n", m+1, float64(n)/60, msOf(st.Quantile(0.5)),
			msOf(st.Quantile(0.99)), msOf(st.Quantile(1)), rs.N(), msOf(rs.Quantile(0.5)), msOf(rs.Quantile(1)))
	}
	b.minutesMu.Unlock()
	fmt.Println()
	fmt.Printf("requests slower than a second: %d, of which %d overlapped a rates read; the slowest took %s, ending %s into the burst\n",
		b.slow.Load(), b.slowInRates.Load(), time.Duration(b.slowest.Load()).Round(time.Millisecond), time.Duration(b.slowestAt.Load()).Round(time.Second))
	fmt.Printf("first requests failed during the burst: %d; sent again with the same key after it: %d answered 201, %d answered 200 (had committed); "+
		"never acknowledged: %d; answered 4xx: %d\n\n", len(b.failed), res.afterRetried[0], res.afterRetried[1], res.afterFailed, unexpected)
	if st.First != nil {
		fmt.Fprintf(stderr, "first error: %v\n", st.First)
	}

	// The counts at the end.
	_, reported, err := b.rates(ctx, 0)
	if err != nil {
		return err
	}
	var rows, distinct, answered, audited int64
	q := func(query string, into *int64, args ...any) error {
		return raw.QueryRowContext(ctx, store.Rebind(db, query), args...).Scan(into)
	}
	if err := q("SELECT COUNT(*) FROM resumption_reports WHERE campaign_id = ?", &rows, b.campaign); err != nil {
		return err
	}
	if err := q("SELECT COUNT(DISTINCT enterprise_id) FROM resumption_reports WHERE campaign_id = ?", &distinct, b.campaign); err != nil {
		return err
	}
	if err := q("SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ? AND answered_at > 0", &answered, b.campaign); err != nil {
		return err
	}
	if err := q("SELECT COUNT(*) FROM audit_log WHERE action = 'resumption.report' AND target LIKE ?", &audited, fmt.Sprintf("campaign/%d/enterprise/%%", b.campaign)); err != nil {
		return err
	}
	// Every acknowledged report is there, with its key; nothing else is.
	kept := map[int64]struct {
		id  int64
		key string
	}{}
	list, err := raw.QueryContext(ctx, store.Rebind(db, "SELECT enterprise_id, id, idem_key FROM resumption_reports WHERE campaign_id = ?"), b.campaign)
	if err != nil {
		return err
	}
	for list.Next() {
		var e, id int64
		var key string
		if err := list.Scan(&e, &id, &key); err != nil {
			list.Close()
			return err
		}
		kept[e] = struct {
			id  int64
			key string
		}{id, key}
	}
	list.Close()
	lost, changed, unacked := 0, 0, 0
	ackedSet := map[int64]bool{}
	for _, f := range b.filings {
		id := f.report.Load()
		if id == 0 {
			continue
		}
		ackedSet[f.e.id] = true
		k, ok := kept[f.e.id]
		switch {
		case !ok:
			lost++
		case k.id != id || k.key != f.key:
			changed++
		}
	}
	for e := range kept {
		if !ackedSet[e] {
			unacked++
		}
	}
	rc := res.rc
	fmt.Println("| reports acknowledged (distinct enterprises) | rates: reported at the end | rows (SQL) | distinct enterprises (SQL) | members answered | audit entries | " +
		"acknowledged, missing or changed | stored, never acknowledged | rates reads during the burst | reads with a report committed, its answer on its way | rates p50 / max | violations |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|")
	b.mu.Lock()
	violations := slices.Clone(b.violations)
	b.mu.Unlock()
	fmt.Printf("| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.0f / %.0f ms | %d |\n\n", acked, reported, rows, distinct, answered, audited,
		lost+changed, unacked, rc.reads, rc.above, msOf(rc.lat.Quantile(0.5)), msOf(rc.lat.Quantile(1)), len(violations))
	if rc.lat.Errors > 0 {
		fmt.Printf("rates reads that failed: %d (first: %v)\n", rc.lat.Errors, rc.lat.First)
	}
	for i, v := range violations {
		if i < 20 {
			fmt.Println("violation:", v)
		}
	}
	if res.statements != "" {
		fmt.Println("\nWhat PostgreSQL's backends were doing during the burst (share of samples every 50 ms):", topWaits(res.waits, 6))
		fmt.Println("\nWhere PostgreSQL's time went, per report acknowledged (pg_stat_statements, the rates reads included):")
		fmt.Println(res.statements)
	}
	// The rates read again on the server left alone, for their own cost.
	var quiet load.Stats
	for i := range 5 {
		t := time.Now()
		_, _, err := b.rates(ctx, i)
		quiet.Add(time.Since(t), err)
	}
	fmt.Printf("the rates over the %d members read again with the burst over (5 reads, one at a time): p50 %.0f ms, max %.0f ms\n\n",
		b.members, msOf(quiet.Quantile(0.5)), msOf(quiet.Quantile(1)))
	if int64(reported) != acked || rows != acked || distinct != acked || answered != acked || audited != acked || lost+changed+unacked != 0 || len(violations) != 0 {
		return fmt.Errorf("the counts disagree: %d acknowledged, %d reported by the rates, %d rows, %d enterprises, %d answered, %d audited, %d lost or changed, %d never acknowledged, %d violations",
			acked, reported, rows, distinct, answered, audited, lost+changed, unacked, len(violations))
	}
	fmt.Println("every report acknowledged is counted exactly once: by the rates, the rows, the members answered and the audit log")
	return nil
}

// explainRates prints PostgreSQL's plan of a campaign's total rates as an
// administrator reads them: the members, each with its latest report up to
// today (a copy of latestJoin and of the first sums of rates.go at c3f6dd6).
func explainRates(ctx context.Context, raw *sql.DB, campaign int64, today time.Time) {
	rows, err := raw.QueryContext(ctx, `EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*), COUNT(r.id) FROM campaign_members m
		JOIN resumption_members w ON w.campaign_id = m.campaign_id AND w.enterprise_id = m.enterprise_id
		LEFT JOIN resumption_reports r ON r.campaign_id = m.campaign_id AND r.enterprise_id = m.enterprise_id
			AND r.period = (SELECT MAX(x.period) FROM resumption_reports x
				WHERE x.campaign_id = m.campaign_id AND x.enterprise_id = m.enterprise_id AND x.period <= $1)
		WHERE m.campaign_id = $2 AND m.removed_at = 0 AND 1 = 1`, today.Format(time.DateOnly), campaign)
	if err != nil {
		fmt.Println("explain:", err)
		return
	}
	defer rows.Close()
	fmt.Print("\nThe plan of the rates' total (PostgreSQL, the burst's campaign, after it):\n\n")
	for rows.Next() {
		var line string
		if rows.Scan(&line) == nil {
			fmt.Println("    " + line)
		}
	}
	fmt.Println()
}

// storeName is the store of a DSN, for the tables.
func storeName(dsn string) string {
	if store.IsPostgres(dsn) {
		return "PostgreSQL"
	}
	return "SQLite"
}
