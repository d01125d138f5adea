package load

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	var s Stats
	for i := 100; i >= 1; i-- {
		s.Add(time.Duration(i)*time.Millisecond, nil)
	}
	s.Add(0, errors.New("refused"))
	for q, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.95: 95 * time.Millisecond,
		0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		if got := s.Quantile(q); got != want {
			t.Errorf("Quantile(%v) = %v, want %v", q, got, want)
		}
	}
	if s.N() != 100 || s.Errors != 1 || s.First == nil {
		t.Errorf("N %d, errors %d, first %v", s.N(), s.Errors, s.First)
	}
}

// TestClosed: each client sends its next request when the last is answered,
// and the count bound holds.
func TestClosed(t *testing.T) {
	var inFlight, peak atomic.Int32
	r := Closed(context.Background(), 4, time.Minute, 25, func(ctx context.Context, client, seq int) (string, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		if n > peak.Load() {
			peak.Store(n)
		}
		time.Sleep(time.Millisecond)
		if seq == 3 {
			return "odd", errors.New("boom")
		}
		return "even", nil
	})
	if r.All.N()+r.All.Errors != 100 || r.Kinds["odd"].Errors != 4 || peak.Load() > 4 {
		t.Errorf("%d answered, %d errors, peak in flight %d", r.All.N(), r.All.Errors, peak.Load())
	}
}

// TestClosedCut: a request slower than the whole run is counted as
// unfinished, with how long it had run, not lost.
func TestClosedCut(t *testing.T) {
	r := Closed(context.Background(), 2, 100*time.Millisecond, 0, func(ctx context.Context, client, seq int) (string, error) {
		if client == 0 {
			<-ctx.Done()
			return "", ctx.Err()
		}
		time.Sleep(time.Millisecond)
		return "get", nil
	})
	if r.Unfinished != 1 || r.Longest < 90*time.Millisecond {
		t.Errorf("unfinished %d, longest %v; want 1 of about 100 ms", r.Unfinished, r.Longest)
	}
	if r.All.N() == 0 || r.All.Errors != 0 {
		t.Errorf("the other client: %d answered, %d errors", r.All.N(), r.All.Errors)
	}
}

// TestOpen: requests start at the rate whatever their latency, and a
// server that falls behind shows as overruns, not as a lower rate.
func TestOpen(t *testing.T) {
	r := Open(context.Background(), 200, 500*time.Millisecond, 64, func(ctx context.Context, client, seq int) (string, error) {
		time.Sleep(20 * time.Millisecond)
		return "get", nil
	})
	if n := r.All.N(); n < 90 || n > 101 {
		t.Errorf("%d requests in 0.5 s at 200/s", n)
	}
	if r.All.Quantile(0.5) < 20*time.Millisecond {
		t.Errorf("median latency %v below the handler's 20 ms", r.All.Quantile(0.5))
	}
	slow := Open(context.Background(), 200, 300*time.Millisecond, 2, func(ctx context.Context, client, seq int) (string, error) {
		time.Sleep(50 * time.Millisecond)
		return "get", nil
	})
	if slow.Kinds["overrun"] == nil || slow.Kinds["overrun"].Errors == 0 {
		t.Error("a server slower than the rate shows no overruns")
	}
}
