package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"qifu/bench/load"
)

// scaleoutCmd is scenario 7: appeal intake through 1, 2 and 3 qifu
// instances on one PostgreSQL, the clients spread over them round-robin;
// where the machine's CPU goes at each step.
func scaleoutCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	clients := fs.Int("clients", 64, "concurrent clients")
	duration := fs.Duration("duration", 15*time.Second, "length of each run")
	runs := fs.Int("runs", 3, "runs for each number of instances")
	fs.Parse(args)

	e, err := newEnv("postgres")
	if err != nil {
		return err
	}
	defer e.close()
	db, err := e.db("scaleout")
	if err != nil {
		return err
	}
	var servers []*server
	for i := range 3 {
		// The first loads the demo; on the loaded store, demo mode lets the
		// others accept the demo password.
		flags := []string{"--demo"}
		if i == 0 {
			flags = append(flags, "--demo-appeals", "0")
		}
		s, err := e.start(ctx, db, flags...)
		if err != nil {
			return err
		}
		servers = append(servers, s)
	}
	rs := raisers(*clients)
	waits := map[int]map[string]int{1: {}, 2: {}, 3: {}}

	fmt.Printf("scenario 7, scale-out on PostgreSQL: appeal intake, %d clients spread round-robin over the instances, %d runs of %s, %d cores\n\n",
		*clients, *runs, *duration, runtime.NumCPU())
	fmt.Println("| instances | appeals/s | p50 | p99 | errors | CPU: qifu | CPU: PostgreSQL and the rest | CPU: load generator | machine busy |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	var statements string
	for n := 1; n <= 3; n++ {
		if n == 1 {
			resetStatements(ctx, db)
		}
		created := 0
		signed := make([]*client, *clients)
		for i, r := range rs {
			if signed[i], err = signIn(servers[i%n].url, r.username); err != nil {
				return err
			}
		}
		op := func(ctx context.Context, i, seq int) (string, error) {
			key := fmt.Sprintf("scale-%d-%d-%d-%d", n, time.Now().UnixNano(), i, seq)
			code, err := signed[i].call(ctx, "POST", "/api/v1/appeals", intakeBody(rs[i].creditCode, i, seq), nil, "Idempotency-Key", key)
			if err == nil && code != http.StatusCreated {
				err = fmt.Errorf("status %d", code)
			}
			return "create", err
		}
		var rates, p50, p99, qifuCPU, restCPU, genCPU, busy []float64
		errs := 0
		for range *runs {
			var before []load.Usage
			for _, s := range servers[:n] {
				u, _ := s.proc.Read()
				before = append(before, u)
			}
			self0, _ := load.Proc{PID: os.Getpid()}.Read()
			busy0, total0 := cpuTimes()
			stopWaits := sampleWaits(ctx, db, waits[n])
			r := load.Closed(ctx, *clients, *duration, 0, op)
			stopWaits()
			busy1, total1 := cpuTimes()
			self1, _ := load.Proc{PID: os.Getpid()}.Read()
			var q float64
			for i, s := range servers[:n] {
				u, _ := s.proc.Read()
				q += (u.CPU - before[i].CPU).Seconds()
			}
			wall := r.Elapsed.Seconds()
			machine := float64(busy1-busy0) / 100 // USER_HZ ticks → seconds
			gen := (self1.CPU - self0.CPU).Seconds()
			rates = append(rates, r.Rate(""))
			p50 = append(p50, msOf(r.All.Quantile(0.5)))
			p99 = append(p99, msOf(r.All.Quantile(0.99)))
			qifuCPU = append(qifuCPU, 100*q/wall)
			genCPU = append(genCPU, 100*gen/wall)
			restCPU = append(restCPU, 100*(machine-q-gen)/wall)
			busy = append(busy, 100*float64(busy1-busy0)/float64(max(total1-total0, 1)))
			errs += r.All.Errors
			created += r.All.N()
			fmt.Fprintf(stderr, "%d instances: %.0f/s\n%s", n, r.Rate(""), r)
		}
		if n == 1 {
			statements = topStatements(ctx, db, created, 12)
		}
		fmt.Printf("| %d | %s | %s ms | %s ms | %d | %s %% | %s %% | %s %% | %s %% |\n", n, spread(rates, "%.0f"), spread(p50, "%.1f"),
			spread(p99, "%.1f"), errs, spread(qifuCPU, "%.0f"), spread(restCPU, "%.0f"), spread(genCPU, "%.0f"), spread(busy, "%.0f"))
	}
	fmt.Println("\nCPU columns are percent of one core (200 % is the whole 2-core machine); machine busy is of all cores.")
	fmt.Println("\nWhat PostgreSQL's backends serving qifu were doing, sampled every 50 ms (share of samples):")
	fmt.Println("\n| instances | top wait events |\n|---|---|")
	for n := 1; n <= 3; n++ {
		fmt.Printf("| %d | %s |\n", n, topWaits(waits[n], 5))
	}
	fmt.Println("\nWhere PostgreSQL's time went with one instance (pg_stat_statements), per appeal created:")
	fmt.Println(statements)
	return nil
}

// resetStatements clears pg_stat_statements.
func resetStatements(ctx context.Context, dsn string) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return
	}
	defer db.Close()
	db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
	db.ExecContext(ctx, "SELECT pg_stat_statements_reset()")
}

// topStatements formats the k statements of the database that took the
// most execution time since the reset, with their calls and time per unit
// of work (per of them done).
func topStatements(ctx context.Context, dsn string, per, k int) string {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err.Error()
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 70), calls, total_exec_time,
			SUM(total_exec_time) OVER (), SUM(calls) OVER ()
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		ORDER BY total_exec_time DESC`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("\n| statement | calls per unit | ms per unit | share of execution time |\n|---|---|---|---|\n")
	u := float64(max(per, 1))
	var totalMS, totalCalls float64
	for i := 0; rows.Next(); i++ {
		var q string
		var calls int64
		var ms, sumMS, sumCalls float64
		if err := rows.Scan(&q, &calls, &ms, &sumMS, &sumCalls); err != nil {
			return err.Error()
		}
		totalMS, totalCalls = sumMS, sumCalls
		if i < k {
			fmt.Fprintf(&b, "| `%s` | %.2f | %.3f | %.0f %% |\n", strings.ReplaceAll(q, "|", "\\|"), float64(calls)/u, ms/u, 100*ms/max(sumMS, 1e-9))
		}
	}
	fmt.Fprintf(&b, "| all statements | %.1f | %.3f | 100 %% |\n", totalCalls/u, totalMS/u)
	return b.String()
}

// sampleWaits counts, every 50 ms until stopped, what the database's
// active backends wait on (pg_stat_activity), into counts; a wait for a
// lock is counted with the first words of the statement waiting.
func sampleWaits(ctx context.Context, dsn string, counts map[string]int) (stop func()) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer db.Close()
		for {
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
			// A lock wait is named with the statement that waits.
			rows, err := db.QueryContext(ctx, `SELECT COALESCE(wait_event_type || ':' || wait_event, 'on CPU')
					|| CASE WHEN wait_event_type = 'Lock' THEN ' (' || left(regexp_replace(query, '\s+', ' ', 'g'), 32) || '…)' ELSE '' END
				FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`)
			if err != nil {
				continue
			}
			for rows.Next() {
				var w string
				rows.Scan(&w)
				counts[w]++
			}
			rows.Close()
		}
	}()
	return func() { close(done); <-finished }
}

// topWaits formats the k most frequent wait events with their shares.
func topWaits(counts map[string]int, k int) string {
	type kv struct {
		k string
		n int
	}
	var all []kv
	total := 0
	for w, n := range counts {
		all = append(all, kv{w, n})
		total += n
	}
	sort.Slice(all, func(i, j int) bool { return all[i].n > all[j].n })
	var out []string
	for i := 0; i < len(all) && i < k; i++ {
		out = append(out, fmt.Sprintf("%s %.0f %%", all[i].k, 100*float64(all[i].n)/float64(max(total, 1))))
	}
	return strings.Join(out, "; ")
}

// cpuTimes reads the machine's busy and total CPU ticks from /proc/stat.
func cpuTimes() (busy, total int64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line := strings.SplitN(string(b), "\n", 2)[0]
	for i, f := range strings.Fields(line)[1:] {
		v, _ := strconv.ParseInt(f, 10, 64)
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}
