package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"qifu/bench/load"
)

// The burst of status reports: an open loop of first reports of the day,
// what the clients know of it, and the rates read as it runs (scenario 14).

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
