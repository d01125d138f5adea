package appealweb

import (
	"net/http"
	"net/url"
	"testing"

	"qifu/internal/store"
	"qifu/internal/web/core"
)

// FuzzAppealFilters feeds arbitrary query strings to the parsers of the
// appeal lists' and the assessment's filters: none panics, and what is
// accepted is within bounds — a known state, a positive department, a page
// the store can compute an offset for, a weight in [0, 1].
func FuzzAppealFilters(f *testing.F) {
	for _, seed := range []string{
		"", "queue=triage&state=accepted&page=2&size=50", "department=-1", "department=99999999999999999999",
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
		aq, err := appealQuery(r)
		if err == nil {
			if aq.State != "" && !oneOfStates(aq.State) {
				t.Errorf("accepted unknown state %q", aq.State)
			}
			if aq.Department < 0 {
				t.Errorf("accepted department %d", aq.Department)
			}
		}
		if p := aq.Page; p.Number < 1 || p.Number > store.MaxPageNumber {
			t.Errorf("page %d out of bounds", p.Number)
		} else if size := core.PageSize(p); size < 1 || size > store.MaxPageSize {
			t.Errorf("page size %d out of bounds", size)
		}
		if _, sq, err := assessQuery(r); err == nil && sq.BasicWeight != nil && !(*sq.BasicWeight >= 0 && *sq.BasicWeight <= 1) {
			t.Errorf("accepted basic weight %v", *sq.BasicWeight)
		}
	})
}
