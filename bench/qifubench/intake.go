package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/bench/bare"
	"qifu/bench/load"
	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/demo"
)

// raiser is a demo user who may raise appeals and an enterprise in its scope.
type raiser struct {
	username   string
	creditCode string
}

// raisers returns n demo users who may raise appeals, each with an
// enterprise of its own grid or community, in the demo's order; with more
// clients than such users, users sign in more than once.
func raisers(n int) []raiser {
	d := demo.Generate(1)
	var out []raiser
	for _, u := range d.Users {
		if u.Role != access.RoleGridWorker && u.Role != access.RoleCommunityStaff {
			continue
		}
		for _, e := range d.Enterprises {
			if e.GridCode == u.RegionCode || e.CommunityCode == u.RegionCode {
				out = append(out, raiser{u.Username, e.CreditCode})
				break
			}
		}
	}
	for i := 0; len(out) < n; i++ {
		out = append(out, out[i])
	}
	return out[:n]
}

// intakeBody is the appeal every client raises, for its enterprise.
func intakeBody(code string, client, seq int) appeal.Input {
	return appeal.Input{Channel: appeal.ChannelVisit, Type: appeal.TypeHelp, Category: "labour.recruit",
		Title:   fmt.Sprintf("旺季招工困难（%d-%d）", client, seq),
		Content: "订单增加，缺少熟练工人约 30 名，希望协助对接用工，并了解稳岗补贴政策。", CreditCode: code,
		Contact: "王经理", Phone: "13805741234"}
}

// intakeCmd is scenario 1: appeal intake through qifu and through the bare
// limit, side by side in the same run, on the same store.
func intakeCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	kind := fs.String("store", "sqlite", "sqlite or postgres")
	clientsFlag := fs.String("clients", "16,64", "numbers of concurrent clients, comma-separated")
	duration := fs.Duration("duration", 15*time.Second, "length of each run")
	runs := fs.Int("runs", 3, "runs of each (bare and qifu alternate)")
	profile := fs.String("profile", "", "folder for CPU and allocation profiles of qifu (none if empty)")
	openFlag := fs.String("open", "0.5,0.9", "open-loop arrival rates, as fractions of qifu's median rate at the first number of clients, comma-separated (none if empty)")
	fs.Parse(args)
	var fractions []float64
	for _, s := range strings.Split(*openFlag, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f <= 0 {
			return fmt.Errorf("--open %q", *openFlag)
		}
		fractions = append(fractions, f)
	}
	clients, err := clientCounts(*clientsFlag)
	if err != nil {
		return err
	}

	e, err := newEnv(*kind)
	if err != nil {
		return err
	}
	defer e.close()
	db, err := e.db("intake")
	if err != nil {
		return err
	}
	srv, err := e.start(ctx, db, "--demo", "--demo-appeals", "0")
	if err != nil {
		return err
	}

	// The bare limit, on the same store, inserting the same row.
	target, err := bareTarget(ctx, db)
	if err != nil {
		return err
	}
	b, err := bare.Open(db, target)
	if err != nil {
		return err
	}
	defer b.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	bareSrv := &http.Server{Handler: b, ReadHeaderTimeout: 5 * time.Second}
	go bareSrv.Serve(ln)
	defer bareSrv.Close()
	bareURL := "http://" + ln.Addr().String() + "/api/v1/appeals"

	maxClients := 0
	for _, n := range clients {
		maxClients = max(maxClients, n)
	}
	rs := raisers(maxClients)
	signed := make([]*client, maxClients)
	for i, r := range rs {
		if signed[i], err = signIn(srv.url, r.username); err != nil {
			return err
		}
	}
	bareClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: maxClients, DisableCompression: true}}

	qifuOp := func(ctx context.Context, i, seq int) (string, error) {
		key := fmt.Sprintf("bench-%d-%d-%d", time.Now().UnixNano(), i, seq)
		code, err := signed[i].call(ctx, "POST", "/api/v1/appeals", intakeBody(rs[i].creditCode, i, seq), nil, "Idempotency-Key", key)
		if err == nil && code != http.StatusCreated {
			err = fmt.Errorf("status %d", code)
		}
		return "create", err
	}
	bareOp := func(ctx context.Context, i, seq int) (string, error) {
		c := &client{base: bareURL, http: bareClient}
		code, err := c.call(ctx, "POST", "", intakeBody(rs[i].creditCode, i, seq), nil)
		if err == nil && code != http.StatusCreated {
			err = fmt.Errorf("status %d", code)
		}
		return "create", err
	}

	fmt.Printf("scenario 1, appeal intake, %s, %d runs of %s each (bare and qifu alternating)\n\n", *kind, *runs, *duration)
	var profileAs string
	if *profile != "" {
		profileAs = "intake-" + *kind
	}
	firstRate := sideBySide(ctx, srv, clients, *runs, *duration, bareOp, qifuOp, *profile, profileAs)
	if len(fractions) == 0 {
		return nil
	}
	// The open loop: appeals arrive at a fixed rate, whether or not qifu
	// keeps up; latency counts from each one's scheduled arrival.
	fmt.Printf("\nopen loop: appeals arriving at fixed rates (fractions of %.0f/s, qifu's median at %d clients), at most %d in flight, %d runs of %s\n\n",
		firstRate, clients[0], maxClients, *runs, *duration)
	fmt.Println("| arrivals /s | completed /s | p50 | p95 | p99 | max | arrivals with no free client | errors |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, f := range fractions {
		rate := f * firstRate
		var done, p50, p95, p99, maxs []float64
		overruns, errors := 0, 0
		for range *runs {
			r := load.Open(ctx, rate, *duration, maxClients, qifuOp)
			done = append(done, r.Rate("create"))
			if st := r.Kinds["create"]; st != nil {
				p50 = append(p50, msOf(st.Quantile(0.50)))
				p95 = append(p95, msOf(st.Quantile(0.95)))
				p99 = append(p99, msOf(st.Quantile(0.99)))
				maxs = append(maxs, msOf(st.Quantile(1)))
				errors += st.Errors
			}
			if st := r.Kinds["overrun"]; st != nil {
				overruns += st.Errors
			}
		}
		fmt.Printf("| %.0f (%.0f %%) | %s | %s ms | %s ms | %s ms | %s ms | %d | %d |\n", rate, 100*f, spread(done, "%.0f"),
			spread(p50, "%.1f"), spread(p95, "%.1f"), spread(p99, "%.1f"), spread(maxs, "%.0f"), overruns, errors)
	}
	return nil
}

// sideBySide runs closed loops of the bare limit and of qifu alternately,
// runs times for each number of clients, and prints their table: rates,
// their ratio, latencies, errors, qifu's CPU and memory. It returns qifu's
// median rate at the first number of clients. A profile of qifu's first
// run at each number is written to profile (if not empty), named after as.
func sideBySide(ctx context.Context, srv *server, clients []int, runs int, duration time.Duration,
	bareOp, qifuOp func(ctx context.Context, i, seq int) (string, error), profile, as string) float64 {
	fmt.Println("| clients | bare limit /s | qifu /s | qifu ÷ bare | bare p99 | qifu p50 | qifu p95 | qifu p99 | qifu max | errors | qifu CPU s per 1,000 | qifu peak RSS |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|")
	var firstRate float64
	for ci, n := range clients {
		var bareRates, rates, ratios, bareP99, p50, p95, p99, maxs, cpuPer []float64
		errors := 0
		var peak int64
		for run := range runs {
			br := load.Closed(ctx, n, duration, 0, bareOp)
			before, _ := srv.proc.Read()
			if profile != "" && run == 0 {
				go srv.profile(profile, fmt.Sprintf("%s-%d", as, n), int(duration.Seconds())-2)
			}
			qr := load.Closed(ctx, n, duration, 0, qifuOp)
			after, _ := srv.proc.Read()
			bareRates = append(bareRates, br.Rate(""))
			rates = append(rates, qr.Rate(""))
			ratios = append(ratios, qr.Rate("")/br.Rate(""))
			bareP99 = append(bareP99, msOf(br.All.Quantile(0.99)))
			p50 = append(p50, msOf(qr.All.Quantile(0.50)))
			p95 = append(p95, msOf(qr.All.Quantile(0.95)))
			p99 = append(p99, msOf(qr.All.Quantile(0.99)))
			maxs = append(maxs, msOf(qr.All.Quantile(1)))
			cpuPer = append(cpuPer, (after.CPU-before.CPU).Seconds()*1000/float64(max(qr.All.N(), 1)))
			errors += qr.All.Errors + br.All.Errors
			peak = max(peak, after.PeakRSS)
			fmt.Fprintf(stderr, "clients %d, run %d: bare %.0f/s (p99 %.1f ms), qifu %.0f/s (p99 %.1f ms)\n%s", n, run+1,
				br.Rate(""), msOf(br.All.Quantile(0.99)), qr.Rate(""), msOf(qr.All.Quantile(0.99)), qr)
			if qr.All.First != nil || br.All.First != nil {
				fmt.Fprintf(stderr, "errors: qifu %v; bare %v\n", qr.All.First, br.All.First)
			}
		}
		if ci == 0 {
			firstRate = median(rates)
		}
		fmt.Printf("| %d | %s | %s | %s | %s ms | %s ms | %s ms | %s ms | %s ms | %d | %s | %.0f MiB |\n", n,
			spread(bareRates, "%.0f"), spread(rates, "%.0f"), spread(ratios, "%.2f"), spread(bareP99, "%.1f"),
			spread(p50, "%.1f"), spread(p95, "%.1f"), spread(p99, "%.1f"), spread(maxs, "%.0f"), errors, spread(cpuPer, "%.2f"),
			float64(peak)/(1<<20))
	}
	return firstRate
}

// clientCounts reads --clients: numbers of concurrent clients, comma-separated.
func clientCounts(flag string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(flag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--clients %q", flag)
		}
		out = append(out, n)
	}
	return out, nil
}

// bareTarget reads the first enterprise of the demo and the id of the user
// "grid" from the store, for the bare limit's rows.
func bareTarget(ctx context.Context, dsn string) (bare.Target, error) {
	db, err := openRaw(dsn)
	if err != nil {
		return bare.Target{}, err
	}
	defer db.Close()
	var t bare.Target
	err = db.QueryRowContext(ctx, `SELECT id, grid_code, community_code, street_code, district_code, city_code
		FROM enterprises ORDER BY id LIMIT 1`).Scan(&t.EnterpriseID, &t.Grid, &t.Community, &t.Street, &t.District, &t.City)
	if err != nil {
		return t, err
	}
	err = db.QueryRowContext(ctx, "SELECT id FROM users WHERE username = 'grid'").Scan(&t.RaisedBy)
	return t, err
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// spread is "median (min–max)" of xs.
func spread(xs []float64, format string) string {
	lo, hi := minMax(xs)
	if len(xs) < 2 {
		return fmt.Sprintf(format, median(xs))
	}
	return fmt.Sprintf(format+" ("+format+"–"+format+")", median(xs), lo, hi)
}
