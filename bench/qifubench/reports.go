package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"qifu/bench/datagen"
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
