package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLoading checks what the listener answers while the demo loads — the
// loading page with its progress, 503 on the API and /readyz, 200 on
// /healthz — and that it serves the site once it is open.
func TestLoading(t *testing.T) {
	l := &loading{}
	l.progress(37)
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		l.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w
	}
	if w := get("/"); w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "演示数据加载中") ||
		!strings.Contains(w.Body.String(), `value="37"`) || !strings.Contains(w.Body.String(), `http-equiv="refresh"`) {
		t.Errorf("GET / while loading: %d %s", w.Code, w.Body)
	}
	if w := get("/api/v1/me"); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" ||
		!strings.Contains(w.Body.String(), `"code":"loading"`) {
		t.Errorf("GET /api/v1/me while loading: %d %s", w.Code, w.Body)
	}
	if w := get("/readyz"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz while loading: %d", w.Code)
	}
	if w := get("/healthz"); w.Code != http.StatusOK {
		t.Errorf("GET /healthz while loading: %d", w.Code)
	}
	l.progress(250)
	if w := get("/"); !strings.Contains(w.Body.String(), `value="100"`) {
		t.Errorf("progress past 100 is not bounded: %s", w.Body)
	}
	l.open(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	if w := get("/"); w.Code != http.StatusTeapot {
		t.Errorf("GET / once open: %d, want the site's answer", w.Code)
	}
}
