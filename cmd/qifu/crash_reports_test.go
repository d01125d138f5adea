package main

// TestReportsCrash and TestReportsCrashPostgres are the kill -9 harness of
// RELIABILITY.md for status reports (运行情况报送): the burst of a crisis
// morning, when every enterprise reports how it stands, with the server
// killed under it. Sixteen clients — community staff, grid workers and an
// enterprise account of the demo — file each enterprise's first report of
// the day in daily monitoring campaigns, every report with an
// Idempotency-Key, as fast as the server answers. The server (SQLite), or
// one of three instances at a time (PostgreSQL, and PostgreSQL itself
// once), is killed with SIGKILL at random moments and started again; a
// client whose answer was lost sends its last acknowledged report again (it
// must answer 200 with the same report) and then the one in flight, with
// the same key and body, until it is acknowledged. After each restart the
// campaigns' rates are read through the API: every report acknowledged
// before the read is counted, none that was never sent. At the end every
// acknowledged report must be stored exactly once with its key, counted once
// by the rates, once among the members answered and once in the audit log,
// and nothing stored that no client saw acknowledged.

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/pgtest"
)

// reportCrashBody is a status report as the API takes it.
type reportCrashBody struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Resumed      bool   `json:"resumed"`
	Since        string `json:"since,omitempty"`
	OutputShare  int    `json:"output_share"`
	OnSite       int    `json:"on_site"`
	Workers      int    `json:"workers"`
}

// reportJob is one enterprise's report in one campaign: its key and body,
// then the report acknowledged.
type reportJob struct {
	campaign, enterprise int64
	key                  string
	body                 reportCrashBody
	id                   int64 // once acknowledged
	tries                int
}

// reportTally counts, by campaign, the reports whose first try was sent and
// those acknowledged, for the rates read while the clients run.
type reportTally struct {
	mu    sync.Mutex
	sent  map[int64]int
	acked map[int64]int
}

func (r *reportTally) add(m map[int64]int, campaign int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m[campaign]++
}

func (r *reportTally) read(m map[int64]int) map[int64]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[int64]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// reportClient is one user filing reports. Its fields are its own while it
// runs and read once it has returned.
type reportClient struct {
	crashSession
	n     int
	jobs  []*reportJob // its enterprises in every campaign, campaign by campaign
	next  int
	tally *reportTally

	acked      []*reportJob
	retried    int      // acknowledged reports that were in flight at a kill and sent again
	replayed   int      // of those, answered 200: a try cut by the kill had committed
	replays    int      // the last acknowledged report sent again after a drop: answered 200, the same report
	duplicates []string // a retry or replay answered 201, or with another report
}

// reportAccounts picks 16 demo users who may file reports — the enterprise
// user, then community staff and grid workers — each with the enterprises
// of its reach that no user before it took, and IDs read from the store.
func reportAccounts(t *testing.T, ids map[string]int64, employees map[int64]int) []*reportClient {
	t.Helper()
	d := demoData()
	taken := map[string]bool{}
	var cs []*reportClient
	for _, u := range d.Users {
		if len(cs) == crashClients {
			break
		}
		var mine []int64
		for _, e := range d.Enterprises {
			if !taken[e.CreditCode] && (u.Role == access.RoleEnterprise && e.CreditCode == u.EnterpriseCode ||
				u.Role == access.RoleGridWorker && slices.Contains(u.GridCodes, e.GridCode) ||
				u.Role == access.RoleCommunityStaff && e.CommunityCode == u.RegionCode) {
				taken[e.CreditCode] = true
				mine = append(mine, ids[e.CreditCode])
			}
		}
		if len(mine) > 0 {
			c := &reportClient{n: len(cs), crashSession: crashSession{user: u.Username}}
			for _, id := range mine {
				c.jobs = append(c.jobs, &reportJob{enterprise: id, body: reportCrashBody{EnterpriseID: id, Workers: max(employees[id], 1)}})
			}
			cs = append(cs, c)
		}
	}
	if len(cs) < crashClients {
		t.Fatalf("the demo has %d users who may file reports; the harness needs %d", len(cs), crashClients)
	}
	return cs
}

// assign gives each client's enterprises a job in every campaign, with a
// key unique in the run and a body: most resumed since a day of the last
// three weeks at some share of normal output, one in five not resumed.
func assign(clients []*reportClient, campaigns []int64) {
	today := time.Now().In(calendar.Shanghai)
	for _, c := range clients {
		var jobs []*reportJob
		for _, campaign := range campaigns {
			for _, j := range c.jobs {
				b := j.body
				if mrand.IntN(5) > 0 {
					b.Resumed, b.Since = true, today.AddDate(0, 0, -1-mrand.IntN(20)).Format(time.DateOnly)
					b.OutputShare, b.OnSite = 1000+mrand.IntN(9001), mrand.IntN(b.Workers+1)
				}
				jobs = append(jobs, &reportJob{campaign: campaign, enterprise: j.enterprise, body: b,
					key: fmt.Sprintf("report-%d-%d-%s", campaign, j.enterprise, rand.Text()[:8])})
			}
		}
		c.jobs = jobs
	}
}

// run files the client's reports until the target stops or its jobs run
// out. On a dropped connection it goes on with its session (sessions are
// kept in the store), on the next life or another instance; it sends its
// last acknowledged report again (200, the same report), then the report in
// flight with the same key and body. A 503 is waited out and sent again.
func (c *reportClient) run(tg crashTarget, signals chan<- struct{}) {
	c.start(tg, signals)
	var job *reportJob
	for {
		p := c.pick(job != nil && job.id == 0)
		if p == nil {
			return
		}
		if !c.signedIn {
			if !c.signIn(p) {
				return
			}
			continue
		}
		if c.check && len(c.acked) > 0 {
			last := c.acked[len(c.acked)-1]
			code, id, err := fileReport(c.hc, p.url, last)
			switch {
			case c.retry(p, code, err):
				continue
			case code == http.StatusUnauthorized:
				c.lost()
				continue
			case code != http.StatusOK && code != http.StatusCreated:
				c.unexpected = append(c.unexpected, fmt.Sprintf("%s: replay of %s: %d", c.user, last.key, code))
			case code == http.StatusCreated || id != last.id:
				c.duplicates = append(c.duplicates, fmt.Sprintf("%s: replay of %s: %d with report %d, first %d", c.user, last.key, code, id, last.id))
			default:
				c.replays++
			}
		}
		c.check = false
		if job == nil {
			if tg.stopped() || c.next == len(c.jobs) {
				return
			}
			job = c.jobs[c.next]
			c.next++
		}
		if job.tries == 0 {
			c.tally.add(c.tally.sent, job.campaign)
		}
		job.tries++
		code, id, err := fileReport(c.hc, p.url, job)
		switch {
		case c.retry(p, code, err):
			continue
		case code == http.StatusUnauthorized:
			c.lost()
			continue
		case code == http.StatusCreated:
			tg.acked(p)
		case code == http.StatusOK && job.tries > 1:
			c.replayed++ // a try cut by a kill, or answered 5xx, had committed
		case code == http.StatusOK:
			c.duplicates = append(c.duplicates, fmt.Sprintf("%s: first try of %s answered 200 with report %d", c.user, job.key, id))
		default:
			c.unexpected = append(c.unexpected, fmt.Sprintf("%s: report %s (try %d): %d", c.user, job.key, job.tries, code))
			job = nil
			continue
		}
		if job.tries > 1 {
			c.retried++
		}
		job.id = id
		c.acked = append(c.acked, job)
		c.tally.add(c.tally.acked, job.campaign)
		job = nil
	}
}

// fileReport posts a report with its idempotency key: the status and the report's ID.
func fileReport(hc *http.Client, base string, j *reportJob) (int, int64, error) {
	b, err := json.Marshal(j.body)
	if err != nil {
		return 0, 0, err
	}
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/resumption/campaigns/%d/reports", base, j.campaign), bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", j.key)
	return crashAnswer(hc, req)
}

// reportHarness is what both tests share: the campaigns, the clients, the
// administrator who reads the rates.
type reportHarness struct {
	campaigns []int64
	clients   []*reportClient
	tally     *reportTally
	admin     *http.Client
	signals   chan struct{}

	rateReads, rateBad int
}

// newReportHarness starts n campaigns through p — daily monitoring over
// the demo district, enough that every client files first reports of the
// day throughout — and picks the clients, enterprise IDs read from db.
func newReportHarness(t *testing.T, p *life, db *sql.DB, n int) *reportHarness {
	t.Helper()
	h := &reportHarness{tally: &reportTally{sent: map[int64]int{}, acked: map[int64]int{}}, admin: mustSignIn(t, p.url, "admin")}
	ids, employees := map[string]int64{}, map[int64]int{}
	crashRows(t, db, "SELECT id, credit_code, employees FROM enterprises", func(scan func(...any)) {
		var id int64
		var code string
		var n int
		scan(&id, &code, &n)
		ids[code], employees[id] = id, n
	})
	cal, err := calendar.New(calendar.Official())
	if err != nil {
		t.Fatal(err)
	}
	due := cal.AddDays(time.Now(), 5).In(calendar.Shanghai).Format(time.DateOnly)
	for i := range n {
		var c struct {
			ID int64 `json:"id"`
		}
		if st := call(t, h.admin, "POST", p.url+"/api/v1/resumption/campaigns", map[string]any{"kind": "monitoring",
			"title": fmt.Sprintf("断电测试日报 %d", i), "due": due, "audience": map[string]any{"regions": []string{demo.DistrictCode}},
			"schedule": "daily"}, &c); st != http.StatusCreated {
			t.Fatalf("start campaign %d: %d", i, st)
		}
		h.campaigns = append(h.campaigns, c.ID)
	}
	h.clients = reportAccounts(t, ids, employees)
	assign(h.clients, h.campaigns)
	h.signals = make(chan struct{}, len(h.clients))
	for _, c := range h.clients {
		c.tally = h.tally
	}
	return h
}

// progress says how far the clients got, for a failure's message.
func (h *reportHarness) progress() string {
	acked := 0
	for _, n := range h.tally.read(h.tally.acked) {
		acked += n
	}
	return fmt.Sprintf("%d reports acknowledged in %d campaigns; a client that has filed all of its %d stops",
		acked, len(h.campaigns), len(h.campaigns)*len(demoData().Enterprises))
}

// waitSignedIn waits for every client's first sign-in.
func (h *reportHarness) waitSignedIn(t *testing.T) {
	t.Helper()
	for range h.clients {
		select {
		case <-h.signals:
		case <-time.After(time.Minute):
			t.Fatal("the clients did not all sign in within a minute")
		}
	}
}

// rates reads a campaign's members and reported count through base.
func (h *reportHarness) rates(base string, campaign int64) (members, reported, code int, err error) {
	var out struct {
		Total struct {
			Members  int `json:"members"`
			Reported int `json:"reported"`
		} `json:"total"`
	}
	code, _, err = send(h.admin, "GET", fmt.Sprintf("%s/api/v1/resumption/campaigns/%d/rates", base, campaign), nil, &out)
	return out.Total.Members, out.Total.Reported, code, err
}

// checkRates reads, through base while the clients run, the rates of the
// campaign most filed and of the last one filled (reading all of them
// under the load would take seconds each): each must count every report
// acknowledged before the read and none whose first try was not sent
// before its answer.
func (h *reportHarness) checkRates(t *testing.T, base string) {
	t.Helper()
	sent, members := h.tally.read(h.tally.sent), len(demoData().Enterprises)
	var filled int64
	var filling []int64
	for _, c := range h.campaigns {
		switch n := sent[c]; {
		case n == members:
			filled = c
		case n > 0:
			filling = append(filling, c)
		}
	}
	slices.SortFunc(filling, func(a, b int64) int { return sent[b] - sent[a] })
	read := filling[:min(1, len(filling))]
	if filled != 0 {
		read = append(read, filled)
	}
	for _, campaign := range read {
		lo := h.tally.read(h.tally.acked)[campaign]
		_, reported, code, err := h.rates(base, campaign)
		hi := h.tally.read(h.tally.sent)[campaign]
		if err != nil || code != http.StatusOK {
			continue // an instance killed meanwhile, or PostgreSQL down: not a reading
		}
		h.rateReads++
		if reported < lo || reported > hi {
			h.rateBad++
			t.Errorf("campaign %d: the rates count %d reported; %d were acknowledged before the read, %d sent before its answer", campaign, reported, lo, hi)
		}
	}
}

// reportFigures are what the harness reports.
type reportFigures struct {
	Cycles          int
	Campaigns       int
	Reports         int // acknowledged, distinct (campaign, enterprise)
	Retried         int // reports in flight at a kill (or answered 5xx), sent again
	Replayed        int // of those, answered 200 with the report the cut try had made
	Replays         int // last acknowledged reports sent again after a drop, answered 200 with the same report
	Unavailable     int // 503s waited out
	Lost            int // acknowledged and missing, or stored with another ID or key
	Duplicates      int // a report of an enterprise's day stored twice, a retry answered 201 or with another report
	Unacked         int // stored, never acknowledged
	RatesOff        int // campaigns whose rates at the end count other than the reports acknowledged
	AnsweredOff     int // campaigns whose members answered differ from the reports acknowledged
	AuditOff        int // acknowledged reports without exactly one audit entry, and entries without a report
	RateReads       int // rates read after restarts, while the clients ran
	RateBad         int // of those, outside [acknowledged before, sent before the answer]
	Unexpected      int
	Refused         int
	ServerErrs      int // 5xx other than 503 outside a crash of PostgreSQL
	Integrity       string
	ForeignKeys     int
	Restarts, Ready []time.Duration
}

// finalRates reads every campaign's rates once the clients are done: each
// must count exactly the reports acknowledged in it.
func (h *reportHarness) finalRates(t *testing.T, base string, f *reportFigures) {
	t.Helper()
	acked := h.tally.read(h.tally.acked)
	for _, campaign := range h.campaigns {
		members, reported, code, err := h.rates(base, campaign)
		if err != nil || code != http.StatusOK {
			t.Fatalf("rates of campaign %d: %d %v", campaign, code, err)
		}
		if reported != acked[campaign] || members != len(demoData().Enterprises) {
			f.RatesOff++
			t.Errorf("campaign %d: the rates count %d of %d members reported; %d acknowledged of %d", campaign, reported, members,
				acked[campaign], len(demoData().Enterprises))
		}
	}
}

// checkReports compares the store with what the clients kept.
func (h *reportHarness) checkReports(t *testing.T, db *sql.DB, f *reportFigures) {
	t.Helper()
	detail := func(counter *int, format string, args ...any) {
		*counter++
		if *counter <= 10 {
			t.Logf(format, args...)
		}
	}
	in := func(col string) string {
		var ids []string
		for _, c := range h.campaigns {
			ids = append(ids, fmt.Sprint(c))
		}
		return col + " IN (" + strings.Join(ids, ", ") + ")"
	}
	type kept struct {
		id  int64
		key string
	}
	type pair struct{ campaign, enterprise int64 }
	rows := map[pair][]kept{}
	crashRows(t, db, "SELECT campaign_id, enterprise_id, id, idem_key FROM resumption_reports WHERE "+in("campaign_id"), func(scan func(...any)) {
		var p pair
		var k kept
		scan(&p.campaign, &p.enterprise, &k.id, &k.key)
		rows[p] = append(rows[p], k)
	})
	answered := map[int64]int{}
	crashRows(t, db, "SELECT campaign_id, COUNT(*) FROM campaign_members WHERE answered_at > 0 AND "+in("campaign_id")+" GROUP BY campaign_id",
		func(scan func(...any)) {
			var c int64
			var n int
			scan(&c, &n)
			answered[c] = n
		})
	audited := map[string]int{}
	crashRows(t, db, "SELECT target FROM audit_log WHERE action = 'resumption.report'", func(scan func(...any)) {
		var target string
		scan(&target)
		audited[target]++
	})
	ackedBy := map[pair]bool{}
	perCampaign := map[int64]int{}
	for _, c := range h.clients {
		f.Retried += c.retried
		f.Replayed += c.replayed
		f.Replays += c.replays
		f.Unavailable += c.unavailable
		f.Unexpected += len(c.unexpected)
		f.Refused += c.refused
		f.ServerErrs += len(c.serverErrs)
		for _, s := range c.unexpected {
			t.Logf("unexpected answer: %s", s)
		}
		for _, s := range c.serverErrs {
			t.Logf("5xx: %s", s)
		}
		for _, s := range c.duplicates {
			detail(&f.Duplicates, "%s", s)
		}
		for _, j := range c.acked {
			p := pair{j.campaign, j.enterprise}
			if ackedBy[p] {
				detail(&f.Duplicates, "%s: campaign %d, enterprise %d acknowledged twice", c.user, j.campaign, j.enterprise)
			}
			ackedBy[p] = true
			f.Reports++
			perCampaign[j.campaign]++
			switch ks := rows[p]; {
			case len(ks) == 0:
				detail(&f.Lost, "%s: report %d (%s) acknowledged, not stored", c.user, j.id, j.key)
			case len(ks) > 1:
				detail(&f.Duplicates, "%s: campaign %d, enterprise %d: %d reports stored", c.user, j.campaign, j.enterprise, len(ks))
			case ks[0].id != j.id || ks[0].key != j.key:
				detail(&f.Lost, "%s: report %d (%s) acknowledged, stored as %d (%s)", c.user, j.id, j.key, ks[0].id, ks[0].key)
			}
			if n := audited[fmt.Sprintf("campaign/%d/enterprise/%d", j.campaign, j.enterprise)]; n != 1 {
				detail(&f.AuditOff, "%s: report %d has %d audit entries", c.user, j.id, n)
			}
		}
	}
	for p := range rows {
		if !ackedBy[p] {
			detail(&f.Unacked, "campaign %d, enterprise %d: stored, never acknowledged", p.campaign, p.enterprise)
		}
	}
	for target, n := range audited {
		var p pair
		if _, err := fmt.Sscanf(target, "campaign/%d/enterprise/%d", &p.campaign, &p.enterprise); err == nil &&
			slices.Contains(h.campaigns, p.campaign) && !ackedBy[p] {
			detail(&f.AuditOff, "%d audit entries of %s, never acknowledged", n, target)
		}
	}
	for _, c := range h.campaigns {
		if answered[c] != perCampaign[c] {
			detail(&f.AnsweredOff, "campaign %d: %d members answered, %d reports acknowledged", c, answered[c], perCampaign[c])
		}
	}
}

// mustBeZero fails the test on any figure that must be zero.
func (f reportFigures) mustBeZero(t *testing.T) {
	t.Helper()
	if f.Lost != 0 || f.Duplicates != 0 || f.Unacked != 0 || f.RatesOff != 0 || f.AnsweredOff != 0 || f.AuditOff != 0 ||
		f.RateBad != 0 || f.Unexpected != 0 || f.Refused != 0 || f.ServerErrs != 0 || f.ForeignKeys != 0 ||
		(f.Integrity != "ok" && !strings.HasPrefix(f.Integrity, "n/a")) {
		t.Errorf("must be zero: lost %d, duplicates %d, stored never acknowledged %d, campaigns whose rates differ %d, "+
			"whose members answered differ %d, audit entries off %d, rates reads out of bounds %d, unexpected answers %d, "+
			"sessions refused %d, 5xx other than 503 %d, foreign key faults %d; integrity_check %q must be ok",
			f.Lost, f.Duplicates, f.Unacked, f.RatesOff, f.AnsweredOff, f.AuditOff, f.RateBad, f.Unexpected, f.Refused,
			f.ServerErrs, f.ForeignKeys, f.Integrity)
	}
}

// log writes the figures, one a line, as RELIABILITY.md quotes them.
func (f reportFigures) log(t *testing.T, took time.Duration) {
	stat := func(ds []time.Duration) string {
		if len(ds) == 0 {
			return "-"
		}
		s := slices.Clone(ds)
		slices.Sort(s)
		return fmt.Sprintf("max %v, median %v", s[len(s)-1].Round(time.Millisecond), s[len(s)/2].Round(time.Millisecond))
	}
	t.Logf(`report crash harness: %d clients, took %v
  cycles (kill -9, restart)                       %d
  campaigns (daily, 1,938 members each)           %d
  acknowledged reports                            %d (%.0f a second)
  reports in flight at a kill, sent again         %d (answered 200: %d; 201: %d)
  last acknowledged sent again, 200 same report   %d
  503 answers waited out                          %d
  lost                                            %d
  counted twice (stored twice, retry 201 / other) %d
  stored, never acknowledged                      %d
  campaigns whose rates at the end differ         %d
  campaigns whose members answered differ         %d
  audit entries not one per report                %d
  rates read after restarts (out of bounds)       %d (%d)
  unexpected answers                              %d
  sessions refused after a kill                   %d
  5xx other than 503                              %d
  integrity_check                                 %s (foreign_key_check rows: %d)
  restart to first 201                            %s
  restart to /healthz                             %s`,
		crashClients, took.Round(time.Second), f.Cycles, f.Campaigns, f.Reports, float64(f.Reports)/took.Seconds(),
		f.Retried, f.Replayed, f.Retried-f.Replayed, f.Replays, f.Unavailable, f.Lost, f.Duplicates, f.Unacked, f.RatesOff,
		f.AnsweredOff, f.AuditOff, f.RateReads, f.RateBad, f.Unexpected, f.Refused, f.ServerErrs, f.Integrity, f.ForeignKeys,
		stat(f.Restarts), stat(f.Ready))
}

// TestReportsCrash: every report acknowledged survives kill -9 of the SQLite
// server, counted once; retries never count twice. QIFU_CRASH_CYCLES sets
// the number of kills (3 by default: the suite stays short; RELIABILITY.md gives a longer run).
func TestReportsCrash(t *testing.T) {
	cycles := crashCycles(t, 3)
	began := time.Now()
	dir := t.TempDir()
	bin := buildQifu(t, dir)
	dbPath := filepath.Join(dir, "q.db")
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath, "--files", filepath.Join(dir, "files"), "--demo", "--demo-appeals", "0"}

	p := startLife(t, bin, args, 0)
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := newReportHarness(t, p, db, 3+2*cycles) // a cycle takes the clients at most half a campaign's 1,938 reports
	ls := &lives{changed: make(chan struct{}), signedIn: make(chan struct{}, 1)}
	var wg sync.WaitGroup
	t.Cleanup(func() { ls.abort(); wg.Wait() }) // after the lives' own cleanups have killed them
	ls.publish(p)
	for _, c := range h.clients {
		wg.Go(func() { c.run(livesTarget{ls}, h.signals) })
	}
	h.waitSignedIn(t)
	var restarts, ready []time.Duration
	for {
		select {
		case <-p.acked:
		case <-time.After(time.Minute):
			p.logTail(t)
			t.Fatalf("life %d: no 201 within a minute of its start (%s)", p.n, h.progress())
		}
		if p.n > 0 {
			restarts, ready = append(restarts, p.firstAck), append(ready, p.ready)
			h.checkRates(t, p.url)
		}
		if p.n == cycles {
			break
		}
		time.Sleep(500*time.Millisecond + mrand.N(1500*time.Millisecond))
		p.kill(t)
		p = startLife(t, bin, args, p.n+1)
		ls.publish(p)
	}
	time.Sleep(300 * time.Millisecond)
	ls.stop() // no new reports; what is in flight is finished
	finish(t, &wg)
	took := time.Since(began)
	f := reportFigures{Cycles: cycles, Campaigns: len(h.campaigns), Restarts: restarts, Ready: ready, RateReads: h.rateReads, RateBad: h.rateBad}
	h.finalRates(t, p.url, &f)
	p.terminate(t)

	var lines []string
	crashRows(t, db, "PRAGMA integrity_check", func(scan func(...any)) {
		var s string
		scan(&s)
		lines = append(lines, s)
	})
	f.Integrity = strings.Join(lines, "; ")
	crashRows(t, db, "PRAGMA foreign_key_check", func(func(...any)) { f.ForeignKeys++ })
	h.checkReports(t, db, &f)
	f.log(t, took)
	f.mustBeZero(t)
}

// TestReportsCrashPostgres: the same on three instances sharing one
// PostgreSQL, one instance killed at a time and PostgreSQL itself crashed
// after the 2nd kill and every 4 kills after it. QIFU_CRASH_CYCLES sets the
// number of instance kills (2 by default, PostgreSQL crashed after the 2nd).
func TestReportsCrashPostgres(t *testing.T) {
	kills := crashCycles(t, 2)
	began := time.Now()
	srv := pgtest.NewServer(t) // its own cluster: crashing it must not disturb other tests
	dsn := srv.DSN(t)
	dir := t.TempDir()
	bin := buildQifu(t, dir)
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn, "--files", filepath.Join(dir, "files"), "--demo", "--demo-appeals", "0"}

	fl := &fleet{changed: make(chan struct{}), signedIn: make(chan struct{}, 1), lastAck: map[*life]time.Time{}}
	var wg sync.WaitGroup
	t.Cleanup(func() { fl.abort(); wg.Wait() }) // after the lives' own cleanups have killed them
	n := 0
	for slot := range pgInstances { // one after the other: the first loads the demo
		fl.publish(slot, startLife(t, bin, args, n))
		n++
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := newReportHarness(t, fl.snapshot()[0], db, 4+2*kills) // a cycle, with PostgreSQL's crashes, at most half a campaign's
	for _, c := range h.clients {
		c.home = c.n % pgInstances
		wg.Go(func() { c.run(fleetTarget{fl}, h.signals) })
	}
	h.waitSignedIn(t)

	var restarts, ready []time.Duration
	var outages []pgOutage
	for i := 1; i <= kills; i++ {
		time.Sleep(time.Second + mrand.N(1500*time.Millisecond))
		p := fl.replace(t, bin, args, n, func() string { return "(" + h.progress() + ")" })
		n++
		restarts, ready = append(restarts, p.firstAck), append(ready, p.ready)
		h.checkRates(t, p.url)
		if i%4 == 2 || kills < 2 {
			outages = append(outages, crashPostgres(t, srv, fl))
			h.checkRates(t, fl.snapshot()[mrand.IntN(pgInstances)].url)
		}
	}
	time.Sleep(300 * time.Millisecond)
	fl.stop()
	finish(t, &wg)
	took := time.Since(began)
	f := reportFigures{Cycles: kills, Campaigns: len(h.campaigns), Restarts: restarts, Ready: ready, RateReads: h.rateReads,
		RateBad: h.rateBad, Integrity: "n/a (PostgreSQL)"}
	h.finalRates(t, fl.snapshot()[0].url, &f)
	for _, p := range fl.snapshot() {
		p.terminate(t)
	}
	h.checkReports(t, db, &f)
	f.log(t, took)
	for i, o := range outages {
		t.Logf(`PostgreSQL crash %d of %d (pg_ctl stop -m immediate, start), %d qifu instances not restarted:
  PostgreSQL down                       %v
  pg_ctl start (crash recovery)         %v
  PostgreSQL start to first 201         %v
  PostgreSQL start to a 201 from every instance %v
  answers while down: 503 %d, other 5xx %d, dropped connections %d`,
			i+1, len(outages), pgInstances, o.down.Round(time.Millisecond), o.recovery.Round(time.Millisecond),
			o.firstAck.Round(time.Millisecond), o.allAck.Round(time.Millisecond), o.unavailable, o.serverErrs, o.dropped)
		if o.serverErrs > 0 {
			t.Errorf("%d answers other than 503 while PostgreSQL was down; want 0", o.serverErrs)
		}
	}
	f.mustBeZero(t)
}
