package web

import (
	"net/http"
	"net/url"
	"testing"

	"qifu/internal/store"
	"qifu/internal/web/core"
)

// FuzzQueryFilters feeds arbitrary query strings to every parser of the
// shared pages' list filters: none panics, and the page asked for is one
// the store can compute an offset for. (The appeal lists' are fuzzed in
// package appealweb.)
func FuzzQueryFilters(f *testing.F) {
	for _, seed := range []string{
		"", "q=abc&page=2&size=50", "department=-1", "department=99999999999999999999",
		"page=9223372036854775807&size=200", "page=-5&size=-1", "from=2026-02-30&to=2026-13-01",
		"from=2026-01-01T00:00:00Z", "state=%00", "region=330206%27%20OR%201=1", "q=%E4%BC%81%E4%B8%9A&class=small",
		"period=year&year=99999&dimension=street&basic_weight=NaN&rank_by=x", "basic_weight=1e309",
		"action=enterprise.%25&from=x", "role=admin&disabled=maybe",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if _, err := url.ParseQuery(raw); err != nil {
			return
		}
		r := &http.Request{Method: "GET", URL: &url.URL{Path: "/api/v1/appeals", RawQuery: raw}}
		for _, p := range []store.Page{enterpriseQuery(r).Page, auditQuery(r).Page, userQuery(r).Page} {
			if p.Number < 1 || p.Number > store.MaxPageNumber {
				t.Errorf("page %d out of bounds", p.Number)
			}
			if size := core.PageSize(p); size < 1 || size > store.MaxPageSize {
				t.Errorf("page size %d out of bounds", size)
			}
		}
	})
}
