// Package load drives an HTTP server with concurrent clients and measures
// what it does: throughput, latency percentiles and errors of each kind of
// request, in a closed loop (each client sends its next request when the
// last is answered) or an open loop (requests start at a fixed rate,
// whether or not earlier ones are answered).
package load

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Op is one request a client sends; it returns the name of the kind of
// request (for per-step figures) and an error when the answer was not the
// one expected.
type Op func(ctx context.Context, client int, seq int) (kind string, err error)

// Result is what a run measured.
type Result struct {
	Elapsed time.Duration
	Kinds   map[string]*Stats
	All     *Stats
	// Unfinished counts the requests the end of a closed run cut off before
	// their answer, and Longest is how long the longest of them had run: a
	// request slower than the whole run shows here, not in the latencies.
	Unfinished int
	Longest    time.Duration
}

// Stats are the figures of one kind of request.
type Stats struct {
	lat    []time.Duration
	Errors int
	First  error // the first error, to say what went wrong
}

// Add records one request: its latency, or its error.
func (s *Stats) Add(d time.Duration, err error) {
	if err != nil {
		s.Errors++
		if s.First == nil {
			s.First = err
		}
		return
	}
	s.lat = append(s.lat, d)
}

// N is the number of successful requests.
func (s *Stats) N() int { return len(s.lat) }

// Quantile returns the latency below which the fraction q of the successful
// requests were answered (q = 1: the maximum).
func (s *Stats) Quantile(q float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	if !slices.IsSorted(s.lat) {
		slices.Sort(s.lat)
	}
	i := int(q*float64(len(s.lat))+0.5) - 1
	return s.lat[min(max(i, 0), len(s.lat)-1)]
}

// Rate is successful requests per second over the run.
func (r Result) Rate(kind string) float64 {
	s := r.All
	if kind != "" {
		s = r.Kinds[kind]
	}
	if s == nil || r.Elapsed <= 0 {
		return 0
	}
	return float64(s.N()) / r.Elapsed.Seconds()
}

// String is one line per kind: count, rate, p50/p95/p99/max, errors.
func (r Result) String() string {
	out := ""
	kinds := make([]string, 0, len(r.Kinds))
	for k := range r.Kinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range append(kinds, "") {
		s := r.All
		name := "all"
		if k != "" {
			s, name = r.Kinds[k], k
		}
		out += fmt.Sprintf("%-14s n=%-7d %8.1f/s  p50 %-8s p95 %-8s p99 %-8s max %-8s errors %d", name, s.N(), r.Rate(k),
			ms(s.Quantile(0.50)), ms(s.Quantile(0.95)), ms(s.Quantile(0.99)), ms(s.Quantile(1)), s.Errors)
		if s.First != nil {
			out += fmt.Sprintf(" (first: %v)", s.First)
		}
		out += "\n"
	}
	return out
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

// collector gathers the samples of all clients.
type collector struct {
	mu         sync.Mutex
	kinds      map[string]*Stats
	all        Stats
	unfinished int
	longest    time.Duration
}

// cut records a request the end of the run cut off after d.
func (c *collector) cut(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unfinished++
	c.longest = max(c.longest, d)
}

func (c *collector) add(kind string, d time.Duration, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.kinds[kind]
	if s == nil {
		s = &Stats{}
		c.kinds[kind] = s
	}
	s.Add(d, err)
	c.all.Add(d, err)
}

// Closed runs clients that each send op after op, until duration has
// passed or perClient ops were sent by each (0: no count bound).
func Closed(ctx context.Context, clients int, duration time.Duration, perClient int, op Op) Result {
	c := &collector{kinds: map[string]*Stats{}}
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	began := time.Now()
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 0; perClient == 0 || seq < perClient; seq++ {
				if ctx.Err() != nil {
					return
				}
				t := time.Now()
				kind, err := op(ctx, i, seq)
				if ctx.Err() != nil && err != nil {
					c.cut(time.Since(t)) // cut by the end of the run, not an answer
					return
				}
				c.add(kind, time.Since(t), err)
			}
		}()
	}
	wg.Wait()
	return Result{Elapsed: time.Since(began), Kinds: c.kinds, All: &c.all, Unfinished: c.unfinished, Longest: c.longest}
}

// Open starts requests at rate per second for duration, each on a client
// slot of its own (at most maxInFlight at once; a request that finds none
// free is counted as an error: the server fell behind the rate). Latency is
// measured from the request's scheduled start, so a server that falls
// behind shows it (no coordinated omission).
func Open(ctx context.Context, rate float64, duration time.Duration, maxInFlight int, op Op) Result {
	c := &collector{kinds: map[string]*Stats{}}
	slots := make(chan int, maxInFlight)
	for i := range maxInFlight {
		slots <- i
	}
	interval := time.Duration(float64(time.Second) / rate)
	began := time.Now()
	var wg sync.WaitGroup
	for seq := 0; ; seq++ {
		at := began.Add(time.Duration(seq) * interval)
		if at.Sub(began) >= duration {
			break
		}
		time.Sleep(time.Until(at))
		select {
		case slot := <-slots:
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { slots <- slot }()
				kind, err := op(ctx, slot, seq)
				c.add(kind, time.Since(at), err)
			}()
		default:
			c.add("overrun", 0, fmt.Errorf("all %d request slots busy: the server fell behind %.0f/s", maxInFlight, rate))
		}
	}
	wg.Wait()
	return Result{Elapsed: time.Since(began), Kinds: c.kinds, All: &c.all}
}
