package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"qifu/bench/bare"
	"qifu/bench/datagen"
	"qifu/bench/load"
	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/place"
	"qifu/internal/store"
)

// The status report burst (运行情况报送): in a crisis every enterprise of a
// province reports how it stands in one morning. A generated province
// large enough that every report of the burst is a different enterprise's
// first of the day, a daily monitoring campaign over all of it, and the
// communities' staff filing each enterprise's report with an idempotency
// key, arriving at a fixed rate (an open loop) for the burst's length, on
// one SQLite qifu or several qifu instances on one PostgreSQL. While it
// runs the campaign's rates are read through the API every few seconds
// and held against what the clients know: every report acknowledged before
// the read is counted, none that was never sent. At the end each report
// acknowledged must be counted exactly once — by the rates, by the rows,
// by the members answered and by the audit log. After it, as for appeal
// intake, closed loops of qifu and of the bare limit of a report (one
// idempotent INSERT, bench/bare) on the same store, and the bare limit at
// the burst's rate.

// reportBody is a status report as POST /api/v1/resumption/campaigns/{id}/reports takes it.
type reportBody struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Resumed      bool   `json:"resumed"`
	Since        string `json:"since,omitempty"`
	OutputShare  int    `json:"output_share"`
	OnSite       int    `json:"on_site"`
	Workers      int    `json:"workers"`
}

// reportAnswer is what a report's answer says of it.
type reportAnswer struct {
	ID           int64 `json:"id"`
	EnterpriseID int64 `json:"enterprise_id"`
}

// reporter is an enterprise of the generated province with its community.
type reporter struct {
	id        int64
	community string
	employees int
}

// filing is one enterprise's report in the burst: its key and body, and
// what the server answered.
type filing struct {
	e    reporter
	key  string
	body reportBody
	// report is the report's id once acknowledged (201, or 200 answering
	// a try whose answer was lost); 0 before.
	report  atomic.Int64
	retried atomic.Bool // sent again with the same key after its answer
}

// reportOf builds an enterprise's report: four in five resumed since a day
// of the last three weeks (never today: see BENCHMARKS.md, section 13), at
// 50–100 % of normal output with 60–100 % of the workers on site.
func reportOf(e reporter, seq int, today time.Time) reportBody {
	workers := max(e.employees, 1)
	b := reportBody{EnterpriseID: e.id, Workers: workers}
	if seq%5 != 4 {
		b.Resumed = true
		b.Since = today.AddDate(0, 0, -1-seq%20).Format(time.DateOnly)
		b.OutputShare = 5000 + (seq*37)%5001
		b.OnSite = workers * (60 + seq%41) / 100
	}
	return b
}

// staffClients are the sessions of the communities' staff, one a community,
// sharing one transport; a session is good on every instance (sessions are
// kept in the store; cookies do not depend on the port).
type staffClients struct {
	urls   []string
	byComm map[string]*http.Client
}

// post sends a report for e with key through instance i mod n: the status
// and the report's id.
func (s *staffClients) post(ctx context.Context, i int, campaign int64, community, key string, body reportBody) (int, int64, error) {
	hc := s.byComm[community]
	if hc == nil {
		return 0, 0, fmt.Errorf("no staff of community %s", community)
	}
	c := &client{base: s.urls[i%len(s.urls)], http: hc}
	var out reportAnswer
	code, err := c.call(ctx, "POST", fmt.Sprintf("/api/v1/resumption/campaigns/%d/reports", campaign), body, &out, "Idempotency-Key", key)
	if err == nil && code < 300 && (out.ID == 0 || out.EnterpriseID != body.EnterpriseID) {
		err = fmt.Errorf("answer %d names report %d of enterprise %d", code, out.ID, out.EnterpriseID)
	}
	return code, out.ID, err
}

func reportsCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	kind := fs.String("store", "sqlite", "sqlite or postgres")
	instances := fs.Int("instances", 3, "qifu instances on one PostgreSQL (SQLite: always 1)")
	rate := fs.Float64("rate", 400, "new reports arriving a second during the burst (each a different enterprise's first of the day)")
	duration := fs.Duration("duration", 10*time.Minute, "length of the burst (the goal: 10m; e.g. 30s for a quick check)")
	retryShare := fs.Float64("retry", 0.02, "share of acknowledged reports sent again with the same key after their answer (must answer 200, the same report)")
	twinShare := fs.Float64("twins", 0.005, "share of reports sent twice at once with the same key (one report, one 201)")
	inFlight := fs.Int("clients", 2048, "most requests in flight in the open loop (an arrival finding none free is an error): a province's staff, each on a phone of their own")
	ratesEvery := fs.Duration("rates-every", 5*time.Second, "how often the campaign's rates are read and checked during the burst")
	sideFlag := fs.String("side-clients", "16,64", "closed loops of qifu (first instance) and the bare limit side by side, numbers of clients (none if empty)")
	sideRuns := fs.Int("side-runs", 3, "runs of each closed loop (bare and qifu alternate)")
	sideDuration := fs.Duration("side-duration", 15*time.Second, "length of each closed-loop run")
	bareOpen := fs.Duration("bare-open", 30*time.Second, "the bare limit in an open loop at --rate for its latency (0: none)")
	blocks := fs.Int("blocks", 0, "copies of the demo district's layout, 1,938 enterprises each (0: enough for rate × duration reports)")
	profile := fs.String("profile", "", "folder for a CPU profile of qifu (the first instance) in the middle of the burst (none if empty)")
	explain := fs.Bool("explain", false, "PostgreSQL: print the plan of the rates' total after the burst (EXPLAIN ANALYZE of the query as resumptiondb/rates.go wrote it at c3f6dd6)")
	fs.Parse(args)
	if *kind == "sqlite" {
		*instances = 1
	}
	if *instances < 1 {
		return fmt.Errorf("--instances %d", *instances)
	}
	var sideClients []int
	if strings.TrimSpace(*sideFlag) != "" {
		var err error
		if sideClients, err = clientCounts(*sideFlag); err != nil {
			return err
		}
	}
	arrivals := int(math.Ceil(duration.Seconds() * *rate))
	perBlock := len(demo.Generate(1).Enterprises)
	if *blocks == 0 {
		*blocks = (arrivals+arrivals/100)/perBlock + 1
	}
	if *blocks*perBlock < arrivals {
		return fmt.Errorf("--blocks %d holds %d enterprises, fewer than the burst's %d reports", *blocks, *blocks*perBlock, arrivals)
	}

	e, err := newEnv(*kind)
	if err != nil {
		return err
	}
	defer e.close()
	db, err := e.db("reports")
	if err != nil {
		return err
	}
	began := time.Now()
	rep, err := datagen.Generate(ctx, datagen.Options{DSN: db, Blocks: *blocks, Log: os.Stderr})
	if err != nil {
		return err
	}
	raw, err := openRaw(db)
	if err != nil {
		return err
	}
	defer raw.Close()
	staff, err := addCommunityStaff(ctx, raw, db, lightHash(demo.Password))
	if err != nil {
		return err
	}
	fmt.Printf("store: %s, generated in %s: %d blocks, %d enterprises in %d communities, each with a community staff account (%d added to the demo's)\n\n",
		e.kind, time.Since(began).Round(time.Second), *blocks, rep.Enterprises, len(staff), len(staff)-countDemoStaff())

	var servers []*server
	for range *instances {
		s, err := e.start(ctx, db, "--demo") // the store is loaded: demo mode only lets the demo password in
		if err != nil {
			return err
		}
		servers = append(servers, s)
	}
	var urls []string
	for _, s := range servers {
		urls = append(urls, s.url)
	}
	admin, err := signIn(servers[0].url, "admin")
	if err != nil {
		return err
	}

	// The enterprises, and the campaigns: the burst's over the whole
	// province; the closed loops' over it too (qifu's) or over one grid (the
	// bare limit's, which checks no membership: its rows only need a campaign).
	var all []reporter
	rows, err := raw.QueryContext(ctx, "SELECT id, community_code, employees FROM enterprises ORDER BY id")
	if err != nil {
		return err
	}
	for rows.Next() {
		var r reporter
		if err := rows.Scan(&r.id, &r.community, &r.employees); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var districts []string
	if err := collectStrings(ctx, raw, store.Rebind(db, "SELECT code FROM regions WHERE level = ? ORDER BY code"), &districts, int(place.District)); err != nil {
		return err
	}
	cal, err := calendar.New(calendar.Official())
	if err != nil {
		return err
	}
	due := cal.AddDays(time.Now(), 5).In(calendar.Shanghai).Format(time.DateOnly)
	startCampaign := func(title string, regions []string) (int64, int, time.Duration, error) {
		var c struct {
			ID int64 `json:"id"`
		}
		t := time.Now()
		if _, err := admin.call(ctx, "POST", "/api/v1/resumption/campaigns", map[string]any{"kind": "monitoring", "title": title,
			"due": due, "audience": map[string]any{"regions": regions}, "schedule": "daily"}, &c); err != nil {
			return 0, 0, 0, err
		}
		took := time.Since(t)
		var members int
		err := raw.QueryRowContext(ctx, store.Rebind(db, "SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ?"), c.ID).Scan(&members)
		return c.ID, members, took, err
	}
	burstID, members, took, err := startCampaign("复工复产情况日报（全省）", districts)
	if err != nil {
		return err
	}
	fmt.Printf("the burst's campaign %d: daily, over %d districts, %d members, started in %s\n", burstID, len(districts), members, took.Round(time.Millisecond))
	if members != len(all) {
		return fmt.Errorf("the campaign has %d members of %d enterprises", members, len(all))
	}

	// The communities' staff, signed in once each.
	began = time.Now()
	sc, err := signInStaff(ctx, urls, staff)
	if err != nil {
		return err
	}
	fmt.Printf("%d community staff signed in in %s (argon2id, on %d instance(s))\n\n", len(sc.byComm), time.Since(began).Round(time.Second), len(urls))
	today := time.Now().In(calendar.Shanghai)

	// The burst, on the store as generated: a crisis morning's first reports.
	order := slices.Clone(all)
	rand.New(rand.NewPCG(2026, 12)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	b := &burst{campaign: burstID, sc: sc, admin: admin, urls: urls, members: members, today: today,
		retryShare: *retryShare, twinShare: *twinShare, rnd: rand.New(rand.NewPCG(7, 7))}
	for i, r := range order {
		f := &filing{e: r, key: fmt.Sprintf("burst-%d-%d-%d", burstID, r.id, i), body: reportOf(r, i, today)}
		b.filings = append(b.filings, f)
	}
	fmt.Printf("the burst: %.0f new reports a second for %s (%d), each a different enterprise's first of the day, by its community's staff, "+
		"spread over %d instance(s); %.1f %% sent again after their answer, %.1f %% sent twice at once; rates read every %s\n\n",
		*rate, *duration, arrivals, len(servers), 100**retryShare, 100**twinShare, *ratesEvery)
	res, err := b.run(ctx, db, servers, *rate, *duration, *inFlight, *ratesEvery, *profile, *kind)
	if err != nil {
		return err
	}
	if err := b.report(ctx, db, raw, res); err != nil {
		return err
	}
	if *explain && *kind == "postgres" {
		explainRates(ctx, raw, burstID, today)
	}
	if len(sideClients) == 0 {
		return nil
	}
	// Then, on the store the burst left, qifu against the bare limit.
	fmt.Println()
	return reportsSideBySide(ctx, db, raw, servers[0], sc, all, districts, startCampaign, sideClients, *sideRuns, *sideDuration,
		*bareOpen, *rate, today, *profile, *kind)
}

// collectStrings appends the first column of the query's rows to out.
func collectStrings(ctx context.Context, db *sql.DB, q string, out *[]string, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		*out = append(*out, s)
	}
	return rows.Err()
}

// countDemoStaff is the demo's community staff accounts.
func countDemoStaff() int {
	n := 0
	for _, u := range demo.Generate(1).Users {
		if u.Role == access.RoleCommunityStaff {
			n++
		}
	}
	return n
}

// lightHash is an argon2id hash of pw in qifu's format with light
// parameters (4 MiB, one pass, one lane) instead of qifu's (64 MiB, three
// passes, two lanes): qifu verifies a password by the parameters its hash
// names, so the generated accounts sign in through the real path in
// milliseconds — thousands of sign-ins at qifu's cost would take the
// machine's two cores for ten minutes, and sign-in is not what is measured.
func lightHash(pw string) string {
	salt := []byte("qifubench-staff!")
	key := argon2.IDKey([]byte(pw), salt, 1, 4*1024, 1, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, 4*1024, 1, 1,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// addCommunityStaff gives every community without staff an account like
// the demo's "community" (its role, the demo password under hash), as the
// generator gives each block its regions and enterprises, and returns the
// username of one staff member of each community.
func addCommunityStaff(ctx context.Context, raw *sql.DB, dsn, hash string) (map[string]string, error) {
	if _, err := raw.ExecContext(ctx, store.Rebind(dsn, `INSERT INTO users (username, name, phone, role, region_code, password_hash,
		password_changed_at, created_at, updated_at)
		SELECT 'staff_' || r.code, r.name || '工作人员', u.phone, u.role, r.code, ?, u.password_changed_at, u.created_at, u.updated_at
		FROM regions r JOIN users u ON u.username = 'community'
		WHERE r.level = ? AND NOT EXISTS (SELECT 1 FROM users x WHERE x.role = u.role AND x.region_code = r.code)`), hash, int(place.Community)); err != nil {
		return nil, fmt.Errorf("community staff: %w", err)
	}
	rows, err := raw.QueryContext(ctx, store.Rebind(dsn, "SELECT region_code, MIN(username) FROM users WHERE role = ? GROUP BY region_code"),
		string(access.RoleCommunityStaff))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, username string
		if err := rows.Scan(&code, &username); err != nil {
			return nil, err
		}
		out[code] = username
	}
	return out, rows.Err()
}

// signInStaff signs in one staff member of each community, two at a time
// per instance (the server checks two passwords at once).
func signInStaff(ctx context.Context, urls []string, staff map[string]string) (*staffClients, error) {
	transport := &http.Transport{MaxIdleConnsPerHost: 2048, MaxIdleConns: 8192, DisableCompression: true}
	sc := &staffClients{urls: urls, byComm: map[string]*http.Client{}}
	type job struct{ community, username string }
	jobs := make(chan job)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for w := range 2 * len(urls) {
		wg.Go(func() {
			for j := range jobs {
				jar, _ := cookiejar.New(nil)
				hc := &http.Client{Jar: jar, Transport: transport, Timeout: 2 * time.Minute}
				c := &client{base: urls[w%len(urls)], http: hc}
				var err error
				for try := 0; try < 5; try++ {
					var code int
					code, err = c.call(ctx, "POST", "/api/v1/login", map[string]string{"username": j.username, "password": demo.Password}, nil)
					if err == nil && code == http.StatusOK {
						break
					}
					time.Sleep(200 * time.Millisecond) // 503: the password checks are busy
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("sign in as %s: %w", j.username, err)
				}
				sc.byComm[j.community] = hc
				mu.Unlock()
			}
		})
	}
	for community, username := range staff {
		if ctx.Err() != nil {
			break
		}
		jobs <- job{community, username}
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return sc, firstErr
}

// pairs hands out (campaign, enterprise) pairs once each.
type pairs struct {
	campaigns []int64
	order     []reporter
	next      atomic.Int64
}

func (p *pairs) take() (int64, reporter, int, bool) {
	i := int(p.next.Add(1) - 1)
	if i >= len(p.campaigns)*len(p.order) {
		return 0, reporter{}, i, false
	}
	return p.campaigns[i/len(p.order)], p.order[i%len(p.order)], i, true
}

// reportsSideBySide runs the closed loops of qifu (its first instance) and
// of the bare limit of a report alternately on the same store, as intake
// does, each on campaigns of its own so that every report is a first of
// the day; then the bare limit in an open loop at the burst's rate.
func reportsSideBySide(ctx context.Context, db string, raw *sql.DB, srv *server, sc *staffClients, all []reporter,
	districts []string, start func(string, []string) (int64, int, time.Duration, error), clients []int, runs int, duration time.Duration,
	bareOpen time.Duration, rate float64, today time.Time, profile, kind string) error {
	// Campaigns enough for a fast qifu and a fast bare limit (assumed at most
	// 2,500 and 8,000 a second).
	n := func(perSecond float64) int {
		return int(math.Ceil(perSecond*duration.Seconds()*float64(runs*len(clients))/float64(len(all)))) + 1
	}
	shuffled := func(seed uint64) []reporter {
		o := slices.Clone(all)
		rand.New(rand.NewPCG(seed, 1)).Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
		return o
	}
	qp := &pairs{order: shuffled(1)}
	for i := range n(2500) {
		id, _, _, err := start(fmt.Sprintf("闭环测量 %d", i), districts)
		if err != nil {
			return err
		}
		qp.campaigns = append(qp.campaigns, id)
	}
	var grid string
	if err := raw.QueryRowContext(ctx, "SELECT grid_code FROM enterprises ORDER BY id LIMIT 1").Scan(&grid); err != nil {
		return err
	}
	bp := &pairs{order: shuffled(2)}
	for i := range n(8000) {
		id, _, _, err := start(fmt.Sprintf("裸上限 %d", i), []string{grid})
		if err != nil {
			return err
		}
		bp.campaigns = append(bp.campaigns, id)
	}
	var by int64
	if err := raw.QueryRowContext(ctx, "SELECT id FROM users WHERE username = 'community'").Scan(&by); err != nil {
		return err
	}
	b, err := bare.OpenReports(db, by)
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
	maxClients := slices.Max(clients)
	bareClient := &client{base: "http://" + ln.Addr().String(), http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: max(maxClients, 256), DisableCompression: true}}}
	one := &staffClients{urls: []string{srv.url}, byComm: sc.byComm}

	qifuOp := func(ctx context.Context, i, seq int) (string, error) {
		campaign, r, n, ok := qp.take()
		if !ok {
			return "report", errors.New("no member left to report: the closed loops outran their campaigns")
		}
		code, _, err := one.post(ctx, 0, campaign, r.community, fmt.Sprintf("side-%d-%d", campaign, r.id), reportOf(r, n, today))
		if err == nil && code != http.StatusCreated {
			err = fmt.Errorf("status %d", code)
		}
		return "report", err
	}
	bareOp := func(ctx context.Context, i, seq int) (string, error) {
		campaign, r, n, ok := bp.take()
		if !ok {
			return "report", errors.New("no pair left for the bare limit")
		}
		var out reportAnswer
		code, err := bareClient.call(ctx, "POST", fmt.Sprintf("/api/v1/resumption/campaigns/%d/reports", campaign), reportOf(r, n, today), &out,
			"Idempotency-Key", fmt.Sprintf("bare-%d-%d", campaign, r.id))
		if err == nil && code != http.StatusCreated {
			err = fmt.Errorf("status %d", code)
		}
		return "report", err
	}
	fmt.Printf("closed loops on the first instance: the communities' staff filing reports (qifu, %d campaign(s) over the province) against the bare limit "+
		"(one idempotent INSERT, %d campaign(s)), %d runs of %s each, alternating\n\n", len(qp.campaigns), len(bp.campaigns), runs, duration)
	as := ""
	if profile != "" {
		as = "reports-closed-" + kind
	}
	sideBySide(ctx, srv, clients, runs, duration, bareOp, qifuOp, profile, as)
	if bareOpen <= 0 {
		return nil
	}
	r := load.Open(ctx, rate, bareOpen, 256, bareOp)
	st := r.Kinds["report"]
	if st == nil {
		st = &load.Stats{}
	}
	overruns := 0
	if o := r.Kinds["overrun"]; o != nil {
		overruns = o.Errors
	}
	fmt.Printf("\nthe bare limit in an open loop at %.0f/s for %s: completed %.0f/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.0f ms, errors %d, overruns %d\n\n",
		rate, bareOpen, r.Rate("report"), msOf(st.Quantile(0.5)), msOf(st.Quantile(0.95)), msOf(st.Quantile(0.99)), msOf(st.Quantile(1)), st.Errors, overruns)
	if st.First != nil {
		fmt.Fprintf(stderr, "bare open loop: first error %v\n", st.First)
	}
	return nil
}

// burst is the open loop of reports and what the clients know of it.
type burst struct {
	campaign   int64
	sc         *staffClients
	admin      *client
	urls       []string
	members    int
	today      time.Time
	retryShare float64
	twinShare  float64

	filings []*filing
	next    atomic.Int64 // the next filing to send
	sent    atomic.Int64 // filings whose first request was sent
	acked   atomic.Int64 // filings acknowledged
	perSec  []atomic.Int64

	mu         sync.Mutex
	rnd        *rand.Rand
	done       []*filing // acknowledged, not yet retried
	failed     []*filing // first request(s) answered with an error or not at all
	violations []string  // what must not happen
	unexpected int       // answers other than an acknowledgement, an error of the server or a dropped connection
	twins      int
	twinOK     int // twins answered with one report, one 201 and one 200
	retried    int // acknowledged reports sent again: answered 200 with the same report
	began      time.Time

	// What was slow: requests over a second, and whether a rates read ran
	// meanwhile.
	ratesRunning atomic.Bool
	ratesEnded   atomic.Int64 // UnixNano of the last read's end
	slow         atomic.Int64
	slowInRates  atomic.Int64
	slowest      atomic.Int64 // nanoseconds
	slowestAt    atomic.Int64 // its end, nanoseconds since the burst began

	// Minute by minute: the requests' latencies and the rates reads'.
	minutesMu sync.Mutex
	minutes   []*load.Stats
	rateMins  []*load.Stats
}

// minute returns the stats of the minute of the burst at d in series.
func minute(series *[]*load.Stats, d time.Duration) *load.Stats {
	m := max(int(d/time.Minute), 0)
	for len(*series) <= m {
		*series = append(*series, &load.Stats{})
	}
	return (*series)[m]
}

// timed notes how long a request that started at t took.
func (b *burst) timed(t time.Time) {
	d := time.Since(t)
	b.minutesMu.Lock()
	minute(&b.minutes, t.Sub(b.began)).Add(d, nil)
	b.minutesMu.Unlock()
	if d < time.Second {
		return
	}
	b.slow.Add(1)
	if b.ratesRunning.Load() || b.ratesEnded.Load() > t.UnixNano() {
		b.slowInRates.Add(1)
	}
	for {
		cur := b.slowest.Load()
		if int64(d) <= cur {
			return
		}
		if b.slowest.CompareAndSwap(cur, int64(d)) {
			b.slowestAt.Store(int64(time.Since(b.began)))
			return
		}
	}
}

// violate records something that must not happen.
func (b *burst) violate(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.violations = append(b.violations, fmt.Sprintf(format, args...))
}

// ack notes a filing acknowledged with report id.
func (b *burst) ack(f *filing, id int64) {
	if prev := f.report.Load(); prev != 0 {
		if prev != id {
			b.violate("enterprise %d: key %s answered report %d, then %d", f.e.id, f.key, prev, id)
		}
		return
	}
	if !f.report.CompareAndSwap(0, id) {
		b.ack(f, id)
		return
	}
	b.acked.Add(1)
	if s := int(time.Since(b.began) / time.Second); s < len(b.perSec) {
		b.perSec[s].Add(1)
	}
	b.mu.Lock()
	b.done = append(b.done, f)
	b.mu.Unlock()
}

// fail keeps a filing whose first request got no acknowledgement, to send
// it again with the same key after the burst.
func (b *burst) fail(f *filing, code int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failed = append(b.failed, f)
	if code >= 400 && code < 500 {
		b.unexpected++
	}
}

// fileOne sends a filing's report: the status, the report and the error.
func (b *burst) fileOne(ctx context.Context, slot int, f *filing) (int, int64, error) {
	defer b.timed(time.Now())
	code, id, err := b.sc.post(ctx, slot, b.campaign, f.e.community, f.key, f.body)
	if err == nil && code != http.StatusCreated && code != http.StatusOK {
		err = fmt.Errorf("status %d", code)
	}
	return code, id, err
}

// reportOp is an arrival: a new enterprise's report, sent once or, for a
// share, twice at once with the same key.
func (b *burst) reportOp(ctx context.Context, slot, seq int) (string, error) {
	i := int(b.next.Add(1) - 1)
	if i >= len(b.filings) {
		return "report", errors.New("no enterprise left: raise --blocks")
	}
	f := b.filings[i]
	b.sent.Add(1)
	twin := float64(i%1000) < b.twinShare*1000
	if !twin {
		code, id, err := b.fileOne(ctx, slot+seq, f)
		switch {
		case err != nil:
			b.fail(f, code)
			return "report", err
		case code == http.StatusOK:
			b.violate("enterprise %d: its first report answered 200 (report %d)", f.e.id, id)
		}
		b.ack(f, id)
		return "report", nil
	}
	type answer struct {
		code int
		id   int64
		err  error
	}
	var a [2]answer
	var wg sync.WaitGroup
	for k := range 2 {
		wg.Go(func() { a[k].code, a[k].id, a[k].err = b.fileOne(ctx, slot+seq+k, f) })
	}
	wg.Wait()
	b.mu.Lock()
	b.twins++
	b.mu.Unlock()
	switch {
	case a[0].err != nil && a[1].err != nil:
		b.fail(f, a[0].code)
		return "twin", a[0].err
	case a[0].err == nil && a[1].err == nil:
		created := 0
		for _, x := range a {
			if x.code == http.StatusCreated {
				created++
			}
		}
		if a[0].id != a[1].id || created != 1 {
			b.violate("enterprise %d: twins answered %d with report %d and %d with report %d", f.e.id, a[0].code, a[0].id, a[1].code, a[1].id)
		} else {
			b.mu.Lock()
			b.twinOK++
			b.mu.Unlock()
		}
		b.ack(f, a[0].id)
		return "twin", nil
	}
	for _, x := range a {
		if x.err == nil {
			b.ack(f, x.id)
		}
	}
	return "twin", nil
}

// retryOp sends an acknowledged report again with its key and body: it
// must answer 200 with the same report.
func (b *burst) retryOp(ctx context.Context, slot, seq int) (string, error) {
	b.mu.Lock()
	if len(b.done) == 0 {
		b.mu.Unlock()
		return "idle", nil
	}
	k := b.rnd.IntN(len(b.done))
	f := b.done[k]
	b.done[k] = b.done[len(b.done)-1]
	b.done = b.done[:len(b.done)-1]
	b.mu.Unlock()
	f.retried.Store(true)
	code, id, err := b.fileOne(ctx, slot+seq, f)
	if err != nil {
		return "retry", err
	}
	if code != http.StatusOK || id != f.report.Load() {
		b.violate("enterprise %d: retry of %s answered %d with report %d; first report %d", f.e.id, f.key, code, id, f.report.Load())
	}
	b.mu.Lock()
	b.retried++
	b.mu.Unlock()
	return "retry", nil
}

// rateCheck is what the rates read during the burst showed.
type rateCheck struct {
	reads, above int
	lat          load.Stats
	last         int
}

// rates reads the burst campaign's total through instance i.
func (b *burst) rates(ctx context.Context, i int) (members, reported int, err error) {
	var out struct {
		Total struct {
			Members  int `json:"members"`
			Reported int `json:"reported"`
		} `json:"total"`
	}
	c := &client{base: b.urls[i%len(b.urls)], http: b.admin.http}
	_, err = c.call(ctx, "GET", fmt.Sprintf("/api/v1/resumption/campaigns/%d/rates", b.campaign), nil, &out)
	return out.Total.Members, out.Total.Reported, err
}

// watch reads the rates every so often until stopped: every report
// acknowledged before the read must be counted, and none whose first
// request had not been sent by its answer.
func (b *burst) watch(ctx context.Context, every time.Duration, stop <-chan struct{}) *rateCheck {
	rc := &rateCheck{}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return rc
		case <-time.After(every):
		}
		lo := b.acked.Load()
		t := time.Now()
		b.ratesRunning.Store(true)
		members, reported, err := b.rates(ctx, i)
		b.ratesEnded.Store(time.Now().UnixNano())
		b.ratesRunning.Store(false)
		b.minutesMu.Lock()
		minute(&b.rateMins, t.Sub(b.began)).Add(time.Since(t), err)
		b.minutesMu.Unlock()
		hi := b.sent.Load()
		ackedAfter := b.acked.Load()
		rc.lat.Add(time.Since(t), err)
		if err != nil {
			continue
		}
		rc.reads++
		rc.last = reported
		if members != b.members {
			b.violate("rates read %d: %d members, the list has %d", i, members, b.members)
		}
		if int64(reported) < lo || int64(reported) > hi {
			b.violate("rates read %d: reported %d, outside [%d acknowledged before the read, %d sent before its answer]", i, reported, lo, hi)
		}
		if int64(reported) > ackedAfter {
			rc.above++ // committed, its answer still on its way: not an error
		}
	}
}

// burstResult is what the burst measured.
type burstResult struct {
	reports, retries      load.Result
	rc                    *rateCheck
	qifuCPU, genCPU, busy float64 // seconds of CPU, and the machine's share busy
	machine, wall         float64
	peakRSS               int64
	waits                 map[string]int
	statements            string
	afterRetried          [2]int // failed during the burst, acknowledged after: 201, 200
	afterFailed           int    // never acknowledged
	loadBefore, loadAfter string // the machine's load averages, which other work shares
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func (b *burst) run(ctx context.Context, db string, servers []*server, rate float64, duration time.Duration, inFlight int,
	ratesEvery time.Duration, profile, kind string) (*burstResult, error) {
	res := &burstResult{waits: map[string]int{}}
	b.perSec = make([]atomic.Int64, int(duration/time.Second)+1)
	if kind == "postgres" {
		resetStatements(ctx, db)
	}
	var before []load.Usage
	for _, s := range servers {
		u, _ := s.proc.Read()
		before = append(before, u)
	}
	self0, _ := load.Proc{PID: os.Getpid()}.Read()
	busy0, total0 := cpuTimes()
	stopWaits := func() {}
	if kind == "postgres" {
		stopWaits = sampleWaits(ctx, db, res.waits)
	}
	res.loadBefore = loadAverage()
	b.began = time.Now()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { res.rc = b.watch(ctx, ratesEvery, stop) })
	wg.Go(func() { // progress
		for {
			select {
			case <-stop:
				return
			case <-time.After(30 * time.Second):
			}
			b.mu.Lock()
			failed, violations := len(b.failed), len(b.violations)
			b.mu.Unlock()
			fmt.Fprintf(stderr, "%s: %d sent, %d acknowledged (%.0f/s), %d failed, %d violations\n", time.Since(b.began).Round(time.Second),
				b.sent.Load(), b.acked.Load(), float64(b.acked.Load())/time.Since(b.began).Seconds(), failed, violations)
		}
	})
	if profile != "" {
		seconds := int(min(30*time.Second, duration/3) / time.Second)
		if seconds >= 1 {
			wg.Go(func() {
				select {
				case <-stop:
					return
				case <-time.After(duration / 3):
				}
				if err := servers[0].profile(profile, "reports-burst-"+kind, seconds); err != nil {
					fmt.Fprintln(stderr, "profile:", err)
				}
			})
		}
	}
	var retries load.Result
	if b.retryShare > 0 {
		wg.Go(func() { retries = load.Open(ctx, rate*b.retryShare, duration, max(inFlight/16, 4), b.retryOp) })
	}
	res.reports = load.Open(ctx, rate, duration, inFlight, b.reportOp)
	close(stop)
	wg.Wait()
	res.retries = retries
	stopWaits()
	res.loadAfter = loadAverage()
	busy1, total1 := cpuTimes()
	self1, _ := load.Proc{PID: os.Getpid()}.Read()
	for i, s := range servers {
		u, _ := s.proc.Read()
		res.qifuCPU += (u.CPU - before[i].CPU).Seconds()
		res.peakRSS = max(res.peakRSS, u.PeakRSS)
	}
	res.wall = res.reports.Elapsed.Seconds()
	res.machine = float64(busy1-busy0) / 100
	res.genCPU = (self1.CPU - self0.CPU).Seconds()
	res.busy = float64(busy1-busy0) / float64(max(total1-total0, 1))
	fmt.Fprintf(stderr, "burst: %s\nretries: %s", res.reports, res.retries)

	// What failed is sent again with the same key, as a client would.
	b.mu.Lock()
	failed := slices.Clone(b.failed)
	b.mu.Unlock()
	for _, f := range failed {
		for try := 0; ; try++ {
			code, id, err := b.fileOne(ctx, try, f)
			if err == nil {
				if code == http.StatusCreated {
					res.afterRetried[0]++
				} else {
					res.afterRetried[1]++
				}
				if code == http.StatusCreated && f.report.Load() != 0 {
					b.violate("enterprise %d: acknowledged, then its key %s answered 201 after the burst", f.e.id, f.key)
				}
				b.ack(f, id)
				break
			}
			if try == 20 || ctx.Err() != nil {
				res.afterFailed++
				fmt.Fprintf(stderr, "enterprise %d: still not acknowledged after the burst: %v\n", f.e.id, err)
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	if kind == "postgres" {
		res.statements = topStatements(ctx, db, int(b.acked.Load()), 14)
	}
	return res, ctx.Err()
}

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
