package main

// What the clients of the kill -9 harnesses share — TestCrash and
// TestCrashPostgres (appeals), TestReportsCrash and TestReportsCrashPostgres
// (status reports): the server a client talks to, one life at a time or a
// fleet of instances, and its session, which signs in once, keeps its cookie
// across kills and restarts (sessions are rows in the store, as a browser
// keeps its cookie), and sorts out the answers to send again.

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"sync"
	"testing"
	"time"

	"qifu/internal/demo"
)

// crashTarget is the server the clients talk to.
type crashTarget interface {
	pick(s *crashSession, inFlight bool) *life // nil: stop
	dropped(s *crashSession, p *life)
	acked(p *life)
	note(code int, err error) bool // an answer that was not an acknowledgement; true while PostgreSQL is crashed
	stopped() bool
}

// livesTarget is the one SQLite server, life after life: a client whose
// request was dropped waits for the next life.
type livesTarget struct{ l *lives }

func (t livesTarget) pick(s *crashSession, inFlight bool) *life {
	if s.cur == nil || s.drop {
		p := t.l.after(s.cur, inFlight)
		if p == nil {
			return nil
		}
		s.cur, s.drop = p, false
	}
	return s.cur
}
func (livesTarget) dropped(s *crashSession, _ *life) { s.drop = true }
func (livesTarget) acked(p *life)                    { p.ack() }
func (livesTarget) note(int, error) bool             { return false }
func (t livesTarget) stopped() bool                  { return t.l.stopped() }

// fleetTarget is three instances on one PostgreSQL: a client talks to its
// home instance and, once a life dropped its request, to another.
type fleetTarget struct{ fl *fleet }

func (t fleetTarget) pick(s *crashSession, inFlight bool) *life {
	return t.fl.pick(s.home, s.failed, inFlight)
}
func (fleetTarget) dropped(s *crashSession, p *life) { s.failed = append(s.failed, p) }
func (t fleetTarget) acked(p *life)                  { t.fl.ack(p) }
func (t fleetTarget) note(code int, err error) bool  { return t.fl.note(code, err) }
func (t fleetTarget) stopped() bool                  { return t.fl.stopped() }

// crashSession is one client's session and what went wrong with it. Its
// fields are its client's while it runs and read once it has returned.
type crashSession struct {
	user    string
	home    int // its instance in a fleet
	hc      *http.Client
	tg      crashTarget
	signals chan<- struct{} // a client's first sign-in

	cur    *life   // the life it talks to (livesTarget)
	drop   bool    // that life dropped a request (livesTarget)
	failed []*life // lives that dropped a request: killed (fleetTarget)

	signedIn, signedOnce bool
	check                bool // a request was dropped: replay the last acknowledged creation first

	refused     int      // 401s: a session the server had granted, lost
	unavailable int      // 503s, the request sent again
	serverErrs  []string // 5xx answers other than 503 outside a crash of PostgreSQL
	unexpected  []string // answers other than an acknowledgement or a dropped connection
}

// start readies the session for its client's run on tg.
func (s *crashSession) start(tg crashTarget, signals chan<- struct{}) {
	jar, _ := cookiejar.New(nil) // cookies do not depend on the port: one session for every life and instance
	s.hc = &http.Client{Jar: jar, Timeout: time.Minute}
	s.tg, s.signals = tg, signals
}

// pick is the life to send the next request to; nil: stop.
func (s *crashSession) pick(inFlight bool) *life { return s.tg.pick(s, inFlight) }

// retry sorts out the answers to send again: a dropped connection (to the
// next life or another instance, after replaying the last acknowledged
// creation), a 503 (shortly), another 5xx (shortly; counted, and a failure
// outside a crash of PostgreSQL).
func (s *crashSession) retry(p *life, code int, err error) bool {
	switch {
	case err != nil:
		s.tg.note(0, err)
		s.tg.dropped(s, p)
		s.check = true
	case code == http.StatusServiceUnavailable:
		s.tg.note(code, nil)
		s.unavailable++
		time.Sleep(100 * time.Millisecond)
	case code >= 500:
		if !s.tg.note(code, nil) { // while PostgreSQL is down these are counted, not failed: see pgOutage
			s.serverErrs = append(s.serverErrs, fmt.Sprintf("%s: life %d: %d", s.user, p.n, code))
		}
		time.Sleep(100 * time.Millisecond)
	default:
		return false
	}
	return true
}

// signIn signs in through p; false when the server refused the account,
// and the client must stop.
func (s *crashSession) signIn(p *life) bool {
	code, _, err := send(s.hc, "POST", p.url+"/api/v1/login", map[string]string{"username": s.user, "password": demo.Password}, nil)
	switch {
	case s.retry(p, code, err):
	case code != http.StatusOK:
		s.unexpected = append(s.unexpected, fmt.Sprintf("%s: login: %d", s.user, code))
		return false
	default:
		if !s.signedOnce {
			s.signals <- struct{}{}
		}
		s.signedIn, s.signedOnce = true, true
	}
	return true
}

// lost notes a 401: the session the server had granted is gone.
func (s *crashSession) lost() { s.signedIn, s.refused = false, s.refused+1 }

// finish waits, a minute at most, for the clients to finish what they have
// in flight once their target is stopped.
func finish(t *testing.T, clients *sync.WaitGroup) {
	t.Helper()
	done := make(chan struct{})
	go func() { clients.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the clients did not finish within a minute of the stop")
	}
}
