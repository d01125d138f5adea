package main

// TestCrashPostgres is the several-instances half of the kill -9 harness of
// RELIABILITY.md: three qifu binaries serve one PostgreSQL database and one
// files folder; the 16 clients of TestCrash are spread across them. Every
// couple of seconds one instance, at random, is killed with SIGKILL and
// started again; clients whose instance died send what was in flight again,
// with the same idempotency key and body, to another instance. Under the
// same load PostgreSQL itself is crashed (pg_ctl stop -m immediate) and
// started again: the instances must answer 503 meanwhile and serve again
// without a restart of their own. Then the store is checked as TestCrash
// checks it.

import (
	"database/sql"
	mrand "math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"qifu/internal/pgtest"
)

// pgInstances is how many qifu instances share the database.
const pgInstances = 3

// TestCrashPostgres: every 201 survives kill -9 of an instance and a crash of
// PostgreSQL; retries on another instance never duplicate. QIFU_CRASH_CYCLES
// sets the number of instance kills (4 by default); PostgreSQL is crashed
// after the 2nd kill and every 4 kills after it.
func TestCrashPostgres(t *testing.T) {
	kills := crashCycles(t, 4)
	began := time.Now()
	srv := pgtest.NewServer(t) // its own cluster: crashing it must not disturb other tests
	dsn := srv.DSN(t)
	dir := t.TempDir()
	bin := buildQifu(t, dir)
	files := filepath.Join(dir, "files")
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dsn, "--files", files, "--demo", "--demo-appeals", "0"}

	clients := crashAccounts(t)
	fl := &fleet{changed: make(chan struct{}), signedIn: make(chan struct{}, len(clients)), lastAck: map[*life]time.Time{}}
	var wg sync.WaitGroup
	t.Cleanup(func() { fl.abort(); wg.Wait() }) // after the lives' own cleanups have killed them
	n := 0
	for slot := range pgInstances { // one after the other: the first loads the demo
		fl.publish(slot, startLife(t, bin, args, n))
		n++
	}
	for _, c := range clients {
		c.home = c.n % pgInstances
		wg.Go(func() { c.run(fleetTarget{fl}, fl.signedIn) })
	}
	for range clients {
		select {
		case <-fl.signedIn:
		case <-time.After(time.Minute):
			t.Fatal("the clients did not all sign in within a minute")
		}
	}

	var restarts, ready []time.Duration
	var outages []pgOutage
	for i := 1; i <= kills; i++ {
		time.Sleep(time.Second + mrand.N(1500*time.Millisecond))
		p := fl.replace(t, bin, args, n, func() string { return "" })
		n++
		restarts, ready = append(restarts, p.firstAck), append(ready, p.ready)
		if i%4 == 2 || kills < 2 {
			outages = append(outages, crashPostgres(t, srv, fl))
		}
	}
	time.Sleep(300 * time.Millisecond)
	fl.stop()
	finish(t, &wg)
	for _, p := range fl.snapshot() {
		p.terminate(t)
	}

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := crashFigures{Cycles: kills, Restarts: restarts, Ready: ready, Integrity: "n/a (PostgreSQL)"}
	checkStore(t, db, files, clients, &f)
	var unavailable int
	var serverErrs []string
	for _, c := range clients {
		unavailable += c.unavailable
		serverErrs = append(serverErrs, c.serverErrs...)
	}
	for i, s := range serverErrs {
		if i < 10 {
			t.Logf("5xx other than 503: %s", s)
		}
	}
	{ // the instances log the cause of every 500
		causes := map[string]int{}
		for _, p := range fl.all {
			for line := range strings.Lines(p.stderr.String()) {
				if _, cause, ok := strings.Cut(line, `level=ERROR msg="request failed"`); ok {
					_, e, _ := strings.Cut(cause, " err=")
					causes[strings.TrimSpace(e)]++
				}
			}
		}
		for e, n := range causes {
			t.Logf("500 cause (%d times): %s", n, e)
		}
	}
	f.log(t, time.Since(began))
	for i, o := range outages {
		t.Logf(`PostgreSQL crash %d of %d (pg_ctl stop -m immediate, start), %d qifu instances not restarted:
  PostgreSQL down                       %v
  pg_ctl start (crash recovery)         %v
  PostgreSQL start to first 201         %v
  PostgreSQL start to a 201 from every instance %v
  answers while down: 503 %d, other 5xx %d, dropped connections %d`,
			i+1, len(outages), pgInstances, o.down.Round(time.Millisecond), o.recovery.Round(time.Millisecond),
			o.firstAck.Round(time.Millisecond), o.allAck.Round(time.Millisecond), o.unavailable, o.serverErrs, o.dropped)
	}
	t.Logf("whole run: 503 answers retried %d; 5xx other than 503 outside PostgreSQL crashes %d", unavailable, len(serverErrs))
	for _, o := range outages {
		if o.serverErrs > 0 {
			t.Errorf("%d answers other than 503 while PostgreSQL was down; want 0 (see the causes above)", o.serverErrs)
		}
	}
	if f.Lost != 0 || f.Duplicates != 0 || f.OrphanRows != 0 || f.CorruptFiles != 0 || f.UnsentFiles != 0 ||
		f.Unexpected != 0 || f.Refused != 0 || len(serverErrs) != 0 {
		t.Errorf("must be zero: lost %d, duplicates %d, orphan rows %d, corrupt files %d, files never sent %d, "+
			"unexpected answers %d, sessions refused %d, 5xx other than 503 %d", f.Lost, f.Duplicates, f.OrphanRows,
			f.CorruptFiles, f.UnsentFiles, f.Unexpected, f.Refused, len(serverErrs))
	}
}

// pgOutage is what one crash of PostgreSQL showed.
type pgOutage struct {
	down, recovery, firstAck, allAck time.Duration
	unavailable, serverErrs, dropped int
}

// crashPostgres crashes PostgreSQL under load, leaves it down two seconds,
// starts it again and waits until every instance, unchanged, answers 201.
func crashPostgres(t *testing.T, srv *pgtest.Server, fl *fleet) pgOutage {
	t.Helper()
	time.Sleep(500 * time.Millisecond)
	lives := fl.snapshot()
	fl.update(func() { fl.outage = &pgOutage{} })
	stopped := time.Now()
	if err := srv.Stop("immediate"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // under load: the instances must answer 503
	started := time.Now()
	fl.update(func() { fl.pgStarted = started })
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	o := pgOutage{down: started.Sub(stopped), recovery: time.Since(started)}
	deadline := started.Add(time.Minute)
	for {
		fl.mu.Lock()
		all := true
		for _, p := range lives {
			all = all && fl.lastAck[p].After(started)
		}
		first, cur := fl.pgFirst, fl.cur
		fl.mu.Unlock()
		if cur != lives {
			t.Fatal("an instance was replaced during the PostgreSQL crash")
		}
		for _, p := range lives {
			select {
			case <-p.exited:
				p.logTail(t)
				t.Fatalf("life %d ended after PostgreSQL crashed: %v", p.n, p.waitErr)
			default:
			}
		}
		if all {
			o.firstAck, o.allAck = first, time.Since(started)
			break
		}
		if time.Now().After(deadline) {
			for _, p := range lives {
				p.logTail(t)
			}
			t.Fatalf("not every instance answered 201 within a minute of PostgreSQL's start (first 201 after %v)", first)
		}
		time.Sleep(10 * time.Millisecond)
	}
	fl.update(func() {
		o.unavailable, o.serverErrs, o.dropped = fl.outage.unavailable, fl.outage.serverErrs, fl.outage.dropped
		fl.outage, fl.pgStarted, fl.pgFirst = nil, time.Time{}, 0
	})
	return o
}

// replace kills one instance at random, starts life n in its place and
// waits for the new life's first 201; progress says how far the clients
// got, for a failure's message.
func (f *fleet) replace(t *testing.T, bin string, args []string, n int, progress func() string) *life {
	t.Helper()
	slot := mrand.IntN(pgInstances)
	f.snapshot()[slot].kill(t)
	p := startLife(t, bin, args, n)
	f.publish(slot, p)
	select {
	case <-p.acked:
	case <-time.After(time.Minute):
		p.logTail(t)
		t.Fatalf("life %d (instance %d): no 201 within a minute of its start %s", p.n, slot, progress())
	}
	return p
}

// fleet hands the clients the instances' current lives.
type fleet struct {
	mu       sync.Mutex
	cur      [pgInstances]*life
	all      []*life       // every life started
	changed  chan struct{} // closed and replaced on every change
	stopping bool          // no new appeals
	aborted  bool          // leave now
	signedIn chan struct{} // a client's first sign-in

	lastAck   map[*life]time.Time // each life's latest 201
	outage    *pgOutage           // answers while PostgreSQL is crashed and until every instance is back
	pgStarted time.Time           // PostgreSQL started again after its crash
	pgFirst   time.Duration       // from then to the first 201
}

func (f *fleet) update(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fleet) publish(slot int, p *life) {
	f.update(func() { f.cur[slot], f.all = p, append(f.all, p) })
}
func (f *fleet) stop()  { f.update(func() { f.stopping = true }) }
func (f *fleet) abort() { f.update(func() { f.stopping, f.aborted = true, true }) }

func (f *fleet) snapshot() [pgInstances]*life {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cur
}

func (f *fleet) stopped() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stopping
}

// ack notes a 201 from p.
func (f *fleet) ack(p *life) {
	p.ack()
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	f.lastAck[p] = now
	if !f.pgStarted.IsZero() && f.pgFirst == 0 && now.After(f.pgStarted) {
		f.pgFirst = now.Sub(f.pgStarted)
	}
}

// note counts an answer that was not an acknowledgement while PostgreSQL is
// crashed, and reports whether it is.
func (f *fleet) note(code int, err error) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch o := f.outage; {
	case o == nil:
	case err != nil:
		o.dropped++
	case code == http.StatusServiceUnavailable:
		o.unavailable++
	case code >= 500:
		o.serverErrs++
	}
	return f.outage != nil
}

// pick returns the life to send to: the home instance's, else another's,
// skipping lives that dropped a request or have ended. Once stopped it
// returns nil, unless the client still has a creation in flight.
func (f *fleet) pick(home int, failed []*life, inFlight bool) *life {
	for {
		f.mu.Lock()
		cur, changed, stopping, aborted := f.cur, f.changed, f.stopping, f.aborted
		f.mu.Unlock()
		if aborted || stopping && !inFlight {
			return nil
		}
		for k := range pgInstances {
			p := cur[(home+k)%pgInstances]
			if p == nil || slices.Contains(failed, p) {
				continue
			}
			select {
			case <-p.exited:
				continue
			default:
			}
			return p
		}
		select {
		case <-changed:
		case <-time.After(50 * time.Millisecond):
		}
	}
}
