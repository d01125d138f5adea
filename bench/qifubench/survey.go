package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"qifu/bench/bare"
	"qifu/bench/load"
	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/store"
)

// The form submission burst: the answers to a district's survey arriving
// at once, as on its due day, submitted by the communities' staff for their
// enterprises (each answer a fact of the enterprise's file), through qifu
// and through the bare limit of a submission, side by side on the same
// store.

// pair is a campaign and one of its members.
type pair struct{ campaign, enterprise int64 }

// queues hands out each community's pairs, once each.
type queues struct {
	byCommunity map[string][]pair
	next        map[string]*atomic.Int64
}

func (q *queues) take(community string) (pair, bool) {
	list := q.byCommunity[community]
	i := q.next[community].Add(1) - 1
	if int(i) >= len(list) {
		return pair{}, false
	}
	return list[i], true
}

// surveyAnswers are one enterprise's answers: its headcount confirmed or
// corrected, not short of workers, a few to lend.
func surveyAnswers(i, seq int) form.Answers {
	return form.Answers{"employees": {Values: []string{strconv.Itoa(20 + (i*7+seq)%80)}}, "short": {Values: []string{"no"}},
		"idle": {Values: []string{strconv.Itoa(seq % 6)}}}
}

func surveyCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	kind := fs.String("store", "sqlite", "sqlite or postgres")
	clientsFlag := fs.String("clients", "16,64", "numbers of concurrent clients, comma-separated")
	duration := fs.Duration("duration", 15*time.Second, "length of each run")
	runs := fs.Int("runs", 3, "runs of each (bare and qifu alternate)")
	perSide := fs.Int("campaigns", 12, "campaigns sent to the whole demo district for each side (qifu, bare): enough members to answer")
	fs.Parse(args)
	var clients []int
	for _, s := range strings.Split(*clientsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("--clients %q", *clientsFlag)
		}
		clients = append(clients, n)
	}
	e, err := newEnv(*kind)
	if err != nil {
		return err
	}
	defer e.close()
	db, err := e.db("survey")
	if err != nil {
		return err
	}
	srv, err := e.start(ctx, db, "--demo", "--demo-appeals", "0")
	if err != nil {
		return err
	}

	// The form, sent to the whole district, 2 × perSide times.
	leader, err := signIn(srv.url, "district_leader")
	if err != nil {
		return err
	}
	var f struct {
		ID     int64 `json:"id"`
		Latest int   `json:"latest"`
	}
	if _, err := leader.call(ctx, "POST", "/api/v1/forms", map[string]any{"definition": formdb.LabourSurvey}, &f); err != nil {
		return err
	}
	cal, err := calendar.New(calendar.Official())
	if err != nil {
		return err
	}
	due := cal.AddDays(time.Now(), 5).In(calendar.Shanghai).Format(time.DateOnly)
	var campaigns [2][]int64 // qifu's, bare's
	start := time.Now()
	for side := range 2 {
		for i := range *perSide {
			var c struct {
				ID      int64 `json:"id"`
				Members int   `json:"members"`
			}
			if _, err := leader.call(ctx, "POST", fmt.Sprintf("/api/v1/forms/%d/campaigns", f.ID), map[string]any{
				"title": fmt.Sprintf("运行监测 %d-%d", side, i), "due": due, "audience": map[string]any{}}, &c); err != nil {
				return err
			}
			campaigns[side] = append(campaigns[side], c.ID)
		}
	}
	fmt.Fprintf(stderr, "%d campaigns sent in %v\n", 2**perSide, time.Since(start).Round(time.Millisecond))

	// Each community's members, and a client of its staff for each.
	raw, err := openRaw(db)
	if err != nil {
		return err
	}
	defer raw.Close()
	sides := [2]*queues{}
	for side := range 2 {
		q := &queues{byCommunity: map[string][]pair{}, next: map[string]*atomic.Int64{}}
		for _, cid := range campaigns[side] {
			rows, err := raw.QueryContext(ctx, store.Rebind(db, "SELECT enterprise_id, community_code FROM campaign_members WHERE campaign_id = ? ORDER BY enterprise_id"), cid)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				var community string
				if err := rows.Scan(&id, &community); err != nil {
					rows.Close()
					return err
				}
				q.byCommunity[community] = append(q.byCommunity[community], pair{cid, id})
			}
			rows.Close()
		}
		for c := range q.byCommunity {
			q.next[c] = &atomic.Int64{}
		}
		sides[side] = q
	}
	var staff []struct{ username, community string }
	for _, u := range demo.Generate(1).Users {
		if u.Role == access.RoleCommunityStaff && len(sides[0].byCommunity[u.RegionCode]) > 0 {
			staff = append(staff, struct{ username, community string }{u.Username, u.RegionCode})
		}
	}
	maxClients := 0
	for _, n := range clients {
		maxClients = max(maxClients, n)
	}
	signed := make([]*client, maxClients)
	for i := range maxClients {
		if signed[i], err = signIn(srv.url, staff[i%len(staff)].username); err != nil {
			return err
		}
	}
	var by int64
	if err := raw.QueryRowContext(ctx, "SELECT id FROM users WHERE username = 'community'").Scan(&by); err != nil {
		return err
	}
	b, err := bare.OpenSubmissions(db, f.ID, f.Latest, by)
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
	bareClient := &client{base: "http://" + ln.Addr().String(), http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: maxClients, DisableCompression: true}}}

	op := func(side int) func(ctx context.Context, i, seq int) (string, error) {
		return func(ctx context.Context, i, seq int) (string, error) {
			p, ok := sides[side].take(staff[i%len(staff)].community)
			if !ok {
				return "submit", fmt.Errorf("community %s has no member left to answer: raise --campaigns", staff[i%len(staff)].community)
			}
			c, want := signed[i], http.StatusCreated
			if side == 1 {
				c = bareClient
			}
			body := map[string]any{"enterprise_id": p.enterprise, "answers": surveyAnswers(i, seq)}
			code, err := c.call(ctx, "POST", fmt.Sprintf("/api/v1/surveys/%d/submit", p.campaign), body, nil,
				"Idempotency-Key", fmt.Sprintf("burst-%d-%d", p.campaign, p.enterprise))
			if err == nil && code != want {
				err = fmt.Errorf("status %d", code)
			}
			return "submit", err
		}
	}

	fmt.Printf("form submission burst, %s: the district's enterprises' answers submitted by %d communities' staff, %d runs of %s each (bare and qifu alternating)\n\n",
		*kind, len(staff), *runs, *duration)
	fmt.Println("| clients | bare limit /s | qifu /s | qifu ÷ bare | bare p99 | qifu p50 | qifu p95 | qifu p99 | qifu max | errors | qifu CPU s per 1,000 | qifu peak RSS |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, n := range clients {
		var bareRates, rates, ratios, bareP99, p50, p95, p99, maxs, cpuPer []float64
		errors := 0
		var peak int64
		for run := range *runs {
			br := load.Closed(ctx, n, *duration, 0, op(1))
			before, _ := srv.proc.Read()
			qr := load.Closed(ctx, n, *duration, 0, op(0))
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
		fmt.Printf("| %d | %s | %s | %s | %s ms | %s ms | %s ms | %s ms | %s ms | %d | %s | %.0f MiB |\n", n,
			spread(bareRates, "%.0f"), spread(rates, "%.0f"), spread(ratios, "%.2f"), spread(bareP99, "%.1f"),
			spread(p50, "%.1f"), spread(p95, "%.1f"), spread(p99, "%.1f"), spread(maxs, "%.0f"), errors, spread(cpuPer, "%.2f"),
			float64(peak)/(1<<20))
	}
	return nil
}
