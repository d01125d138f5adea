package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// loading is the handler the listener serves from the start: the site once
// it is open, and until then a page that says the demo is loading and how
// far it has come (refreshing itself), a 503 with Retry-After on the API
// and /readyz, and 200 on /healthz — the process is up.
type loading struct {
	site    atomic.Pointer[http.Handler]
	percent atomic.Int64
}

// open serves h from now on.
func (l *loading) open(h http.Handler) { l.site.Store(&h) }

// progress records how far the loading has come, 0–100.
func (l *loading) progress(percent int) { l.percent.Store(int64(min(max(percent, 0), 100))) }

func (l *loading) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := l.site.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	n := l.percent.Load()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Retry-After", "2")
	switch {
	case r.URL.Path == "/healthz":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprint(w, `{"status":"ok"}`+"\n")
	case r.URL.Path == "/readyz" || strings.HasPrefix(r.URL.Path, "/api/"):
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"error":{"code":"loading","message":"演示数据加载中（%d%%），请稍候 / the demo is loading (%d%%); try again shortly"},"progress":%d}`+"\n", n, n, n)
	default:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'")
		w.WriteHeader(http.StatusServiceUnavailable)
		p := strconv.FormatInt(n, 10)
		fmt.Fprint(w, `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">`+
			`<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="2">`+
			`<title>企服 · 演示数据加载中</title></head><body><main>`+
			`<h1>企服</h1><p id="loading">演示数据加载中：正在回放近四个月的诉求…… `+p+`%</p>`+
			`<progress max="100" value="`+p+`">`+p+`%</progress>`+
			`<p class="muted" lang="en">Loading the demo: replaying the last four months of appeals… `+p+`%. This page refreshes itself.</p>`+
			`</main></body></html>`)
	}
}
