package core

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// buckets are the upper bounds of the latency histogram, in seconds.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// metrics counts requests by route and status, and their latencies by route.
type metrics struct {
	mu     sync.Mutex
	counts map[[2]string]uint64 // {pattern, status} → requests
	hists  map[string]*histogram
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{counts: map[[2]string]uint64{}, hists: map[string]*histogram{}}
}

func (m *metrics) observe(pattern string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counts[[2]string{pattern, fmt.Sprint(status)}]++
	h := m.hists[pattern]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.hists[pattern] = h
	}
	sec := d.Seconds()
	for i, b := range buckets {
		if sec <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += sec
	h.n++
}

// write prints the request metrics in the Prometheus text format.
func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP qifu_http_requests_total HTTP requests by route and status.")
	fmt.Fprintln(w, "# TYPE qifu_http_requests_total counter")
	keys := make([][2]string, 0, len(m.counts))
	for k := range m.counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		fmt.Fprintf(w, "qifu_http_requests_total{route=%q,status=%q} %d\n", k[0], k[1], m.counts[k])
	}
	fmt.Fprintln(w, "# HELP qifu_http_request_duration_seconds HTTP request latency by route.")
	fmt.Fprintln(w, "# TYPE qifu_http_request_duration_seconds histogram")
	routes := make([]string, 0, len(m.hists))
	for p := range m.hists {
		routes = append(routes, p)
	}
	sort.Strings(routes)
	for _, p := range routes {
		h := m.hists[p]
		var cum uint64
		for i, b := range buckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "qifu_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", p, b, cum)
		}
		fmt.Fprintf(w, "qifu_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", p, h.n)
		fmt.Fprintf(w, "qifu_http_request_duration_seconds_sum{route=%q} %g\n", p, h.sum)
		fmt.Fprintf(w, "qifu_http_request_duration_seconds_count{route=%q} %d\n", p, h.n)
	}
}

// writeRuntime prints the process's goroutines and memory under the names
// the Prometheus Go client uses, so that dashboards made for it read them.
func writeRuntime(w io.Writer) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	for _, g := range []struct {
		name, help string
		value      uint64
	}{
		{"go_goroutines", "Goroutines that currently exist.", uint64(runtime.NumGoroutine())},
		{"go_memstats_heap_inuse_bytes", "Bytes in in-use heap spans.", m.HeapInuse},
		{"go_memstats_heap_alloc_bytes", "Bytes of allocated heap objects.", m.HeapAlloc},
		{"go_memstats_stack_inuse_bytes", "Bytes in goroutine stacks.", m.StackInuse},
		{"go_memstats_sys_bytes", "Bytes obtained from the system.", m.Sys},
	} {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", g.name, g.help, g.name, g.name, g.value)
	}
}

// ServeMetrics answers GET /metrics: request metrics, the process's
// goroutines and memory, store pool statistics and domain gauges.
func (c *Core) ServeMetrics(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	var b strings.Builder
	c.metrics.write(&b)
	writeRuntime(&b)
	read, write := c.store.PoolStats()
	fmt.Fprintln(&b, "# HELP qifu_store_connections Store connections by pool and state.")
	fmt.Fprintln(&b, "# TYPE qifu_store_connections gauge")
	for _, p := range []struct {
		name  string
		inUse int
		idle  int
	}{{"read", read.InUse, read.Idle}, {"write", write.InUse, write.Idle}} {
		fmt.Fprintf(&b, "qifu_store_connections{pool=%q,state=\"in_use\"} %d\n", p.name, p.inUse)
		fmt.Fprintf(&b, "qifu_store_connections{pool=%q,state=\"idle\"} %d\n", p.name, p.idle)
	}
	fmt.Fprintln(&b, "# HELP qifu_store_wait_total Times a request waited for a store connection.")
	fmt.Fprintln(&b, "# TYPE qifu_store_wait_total counter")
	fmt.Fprintf(&b, "qifu_store_wait_total{pool=\"read\"} %d\nqifu_store_wait_total{pool=\"write\"} %d\n", read.WaitCount, write.WaitCount)
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	g, err := c.store.Gauges(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(&b, "# HELP qifu_records Records in the store by kind.")
	fmt.Fprintln(&b, "# TYPE qifu_records gauge")
	for _, k := range g.Kinds() {
		fmt.Fprintf(&b, "qifu_records{kind=%q} %d\n", k, g[k])
	}
	_, err = io.WriteString(w, b.String())
	return err
}
