package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/calendar"
	"qifu/internal/catalogue"
	"qifu/internal/catalogue/catalogueweb"
	"qifu/internal/sheet"
)

// catalogueToday is the day the site's catalogue is read on.
func catalogueToday() string { return time.Now().In(calendar.Shanghai).Format("2006-01-02") }

// standards lists GET /api/v1/service-standards with query as username.
func (s *site) standards(t testing.TB, username, query string) []catalogue.Standard {
	t.Helper()
	res := s.as(t, username, "GET", "/api/v1/service-standards"+query, nil)
	if res.code != http.StatusOK {
		t.Fatalf("GET /api/v1/service-standards%s as %s: %d %s", query, username, res.code, res.body)
	}
	var list struct{ Items []catalogue.Standard }
	res.json(t, &list)
	return list.Items
}

// apiStandard reads one standard's current version through the API.
func (s *site) apiStandard(t testing.TB, code string) catalogue.Standard {
	t.Helper()
	res := s.as(t, "admin", "GET", "/api/v1/service-standards/"+code, nil)
	if res.code != http.StatusOK {
		t.Fatalf("GET standard %s: %d %s", code, res.code, res.body)
	}
	var st catalogue.Standard
	res.json(t, &st)
	return st
}

// stdSeq numbers the standards and providers the tests add, so that
// each has a code of its own.
var stdSeq atomic.Int64

// newStandard is a valid standard with a code not yet used (M001, M002, …).
func newStandard() catalogue.Standard {
	return catalogue.Standard{Code: fmt.Sprintf("M%03d", stdSeq.Add(1)%1000), Group: "support", Name: "模具行业技术诊断",
		Gets: "组织专家上门诊断模具企业的工艺与设备问题，给出改进建议。", Department: "econ", Providers: []string{"productivity"},
		Handle: appeal.Days(5), Category: "other", Mode: catalogue.OnSite, From: "2026-01-01"}
}

// newProviderCode is a provider code not yet used.
func newProviderCode() string { return fmt.Sprintf("matrix-%d", stdSeq.Add(1)) }

// standardForm is a standard as the keeping form posts it, at version
// (0 for a new one, whose code the form then carries).
func standardForm(st catalogue.Standard, version int64) url.Values {
	unit := "days"
	if !st.Handle.Days {
		unit = "hours"
	}
	f := url.Values{"group": {st.Group}, "name": {st.Name}, "name_en": {st.NameEn}, "gets": {st.Gets}, "gets_en": {st.GetsEn},
		"conditions": {st.Conditions}, "materials": {strings.Join(st.Materials, "\n")}, "department": {st.Department},
		"office": {st.Office}, "providers": st.Providers, "handle_n": {strconv.Itoa(st.Handle.N)}, "handle_unit": {unit},
		"category": {st.Category}, "mode": {string(st.Mode)}, "link": {st.Link}, "schedule": {st.Schedule}, "from": {st.From},
		"until": {st.Until}, "version": {strconv.FormatInt(version, 10)}}
	if version == 0 {
		f.Set("code", st.Code)
	}
	if st.Demo {
		f.Set("demo", "1")
	}
	return f
}

// catalogueWorkbook is the catalogue workbook of list.
func catalogueWorkbook(t testing.TB, list ...catalogue.Standard) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sheet.WriteCatalogue(&buf, list); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// providerVersion is the current version of the provider code.
func (s *site) providerVersion(t testing.TB, code string) int64 {
	t.Helper()
	var list struct{ Items []catalogue.Provider }
	s.as(t, "admin", "GET", "/api/v1/service-providers", nil).json(t, &list)
	for _, p := range list.Items {
		if p.Code == code {
			return p.Version
		}
	}
	t.Fatalf("no provider %s", code)
	return 0
}

func codesOf(list []catalogue.Standard) []string {
	var out []string
	for _, st := range list {
		out = append(out, st.Code)
	}
	return out
}

// TestCataloguePages browses the demo catalogue as the enterprise: the
// demo notice, the search, a standard's page with the way to ask for it
// (the appeal form with the standard chosen, or the official online
// service), and the same through the API. It changes nothing.
func TestCataloguePages(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		res := s.as(t, "enterprise", "GET", "/catalogue", nil)
		if res.code != http.StatusOK {
			t.Fatalf("GET /catalogue: %d", res.code)
		}
		if !bytes.Contains(res.body, []byte(`id="catalogue-demo"`)) {
			t.Error("the catalogue does not say it is an example")
		}
		if n := bytes.Count(res.body, []byte(`class="card standard"`)); n != 85 {
			t.Errorf("the catalogue shows %d standards, want 85", n)
		}

		// A search narrows it to the standards that say the words.
		want := catalogueweb.Query{Text: "融资"}.Filter(catalogue.DemoStandards(), catalogueToday())
		if len(want) == 0 || len(want) >= 85 {
			t.Fatalf("the oracle finds %d standards about 融资", len(want))
		}
		res = s.as(t, "enterprise", "GET", "/catalogue?"+url.Values{"q": {"融资"}}.Encode(), nil)
		if n := bytes.Count(res.body, []byte(`class="card standard"`)); res.code != http.StatusOK || n != len(want) {
			t.Errorf("GET /catalogue?q=融资: %d with %d standards, want %d", res.code, n, len(want))
		}
		for _, st := range want {
			if !bytes.Contains(res.body, []byte(`id="std-`+st.Code+`"`)) {
				t.Errorf("the search for 融资 misses %s", st.Code)
			}
		}
		if bytes.Contains(res.body, []byte(`id="std-G02"`)) {
			t.Error("the search for 融资 shows G02 (安全生产隐患上门检查)")
		}
		got := s.standards(t, "enterprise", "?"+url.Values{"q": {"融资"}}.Encode())
		if strings.Join(codesOf(got), " ") != strings.Join(codesOf(want), " ") {
			t.Errorf("API search for 融资: %v, want %v", codesOf(got), codesOf(want))
		}
		if got := s.standards(t, "enterprise", "?group=party&mode=activity"); len(got) == 0 {
			t.Error("no recurring activities in the party group")
		} else {
			for _, st := range got {
				if st.Group != "party" || st.Mode != catalogue.Activity {
					t.Errorf("group=party&mode=activity lists %s (%s, %s)", st.Code, st.Group, st.Mode)
				}
			}
		}

		// S03 is asked for through the appeal form, S04 on the official online service.
		res = s.as(t, "enterprise", "GET", "/catalogue/S03", nil)
		if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(`href="/appeals/new?standard_code=S03"`)) {
			t.Errorf("GET /catalogue/S03 as the enterprise: %d, ask link shown %v", res.code, bytes.Contains(res.body, []byte("standard_code=S03")))
		}
		if bytes.Contains(res.body, []byte(`id="std-link"`)) || bytes.Contains(res.body, []byte(`id="std-edit"`)) {
			t.Error("S03's page shows the online link or the keeping form to the enterprise")
		}
		res = s.as(t, "enterprise", "GET", "/catalogue/S04", nil)
		if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(`id="std-link"`)) || bytes.Contains(res.body, []byte(`id="std-ask"`)) {
			t.Errorf("GET /catalogue/S04 (online) as the enterprise: %d; want the link out and no ask", res.code)
		}
		// The auditor reads the catalogue but raises no appeal.
		res = s.as(t, "auditor", "GET", "/catalogue/S03", nil)
		if res.code != http.StatusOK || bytes.Contains(res.body, []byte(`id="std-ask"`)) {
			t.Errorf("GET /catalogue/S03 as the auditor: %d, ask shown %v", res.code, bytes.Contains(res.body, []byte(`id="std-ask"`)))
		}
		if res := s.as(t, "enterprise", "GET", "/catalogue/Z99", nil); res.code != http.StatusNotFound {
			t.Errorf("GET /catalogue/Z99: %d, want 404", res.code)
		}

		// The ask link opens the appeal form with S03 and its category chosen.
		res = s.as(t, "enterprise", "GET", "/appeals/new?standard_code=S03", nil)
		if res.code != http.StatusOK {
			t.Fatalf("GET /appeals/new?standard_code=S03: %d", res.code)
		}
		for _, want := range []string{`<option value="S03" selected>`, `<option value="tax" selected>`} {
			if !bytes.Contains(res.body, []byte(want)) {
				t.Errorf("the appeal form asked from S03 lacks %s", want)
			}
		}

		// The API: the catalogue in force, one standard, its versions.
		if got := s.standards(t, "lawyer", ""); len(got) != 85 {
			t.Errorf("the lawyer reads %d standards, want 85", len(got))
		}
		st := s.apiStandard(t, "S03")
		if st.Handle != appeal.Days(3) || st.Category != "tax" || st.Department != "tax" || !st.Demo || st.Version < 1 {
			t.Errorf("GET /api/v1/service-standards/S03: %+v", st)
		}
		if res := s.as(t, "enterprise", "GET", "/api/v1/service-standards/Z99", nil); res.code != http.StatusNotFound {
			t.Errorf("GET an unknown standard: %d", res.code)
		}
		res = s.as(t, "enterprise", "GET", "/api/v1/service-providers", nil)
		var providers struct{ Items []catalogue.Provider }
		res.json(t, &providers)
		if res.code != http.StatusOK || len(providers.Items) < 14 {
			t.Errorf("GET /api/v1/service-providers: %d with %d providers", res.code, len(providers.Items))
		}
	})
}

// TestCatalogueKeeping keeps the catalogue through the API on stores of its
// own: a new version, a stale one refused, an import that saves everything
// or nothing, a withdrawal, and the use of the catalogue.
func TestCatalogueKeeping(t *testing.T) {
	eachFreshStore(t, func(t *testing.T, s *site) {
		// A new version of S03; the same version again is stale.
		s03 := s.apiStandard(t, "S03")
		if s03.Version != 1 {
			t.Fatalf("S03 starts at version %d", s03.Version)
		}
		s03.Handle = appeal.Days(5)
		res := s.as(t, "admin", "PUT", "/api/v1/service-standards/S03", jsonBody(s03))
		var saved catalogue.Standard
		res.json(t, &saved)
		if res.code != http.StatusOK || saved.Version != 2 || saved.Handle != appeal.Days(5) {
			t.Fatalf("PUT S03 at version 1: %d %s", res.code, res.body)
		}
		if res := s.as(t, "admin", "PUT", "/api/v1/service-standards/S03", jsonBody(s03)); res.code != http.StatusConflict {
			t.Errorf("PUT S03 at version 1 again: %d, want 409", res.code)
		}
		noVersion := s03
		noVersion.Version = 0
		if res := s.as(t, "admin", "PUT", "/api/v1/service-standards/S03", jsonBody(noVersion)); res.code != http.StatusUnprocessableEntity {
			t.Errorf("PUT S03 without a version: %d, want 422", res.code)
		}
		if res := s.as(t, "community", "PUT", "/api/v1/service-standards/S03", jsonBody(saved)); res.code != http.StatusForbidden {
			t.Errorf("PUT S03 as community: %d, want 403", res.code)
		}
		res = s.as(t, "admin", "GET", "/api/v1/service-standards/S03/versions", nil)
		var versions struct {
			Items []struct {
				Standard catalogue.Standard `json:"standard"`
				SavedBy  string             `json:"saved_by"`
			}
		}
		res.json(t, &versions)
		if res.code != http.StatusOK || len(versions.Items) != 2 || versions.Items[0].Standard.Version != 2 ||
			versions.Items[1].Standard.Handle != appeal.Days(3) || versions.Items[0].SavedBy == "" {
			t.Errorf("S03's versions: %d %s", res.code, res.body)
		}
		// The keeper's page lists the versions with their names.
		page := s.as(t, "admin", "GET", "/catalogue/S03", nil)
		if page.code != http.StatusOK || !bytes.Contains(page.body, []byte(`id="std-versions"`)) ||
			bytes.Count(page.body, []byte("<td data-label=\""+translate("zh", "cat.name")+"\">研发费用加计扣除辅导</td>")) != 2 {
			t.Errorf("S03's page as the administrator: %d; want both versions named", page.code)
		}

		// A new standard through the API.
		s95 := catalogue.Standard{Code: "S95", Group: "support", Name: "专利质押融资对接", Gets: "帮助企业以专利质押向银行融资，协调评估与登记。",
			Department: "finoffice", Providers: []string{"bank-rural"}, Handle: appeal.Days(5), Category: "financing", Mode: catalogue.Assisted,
			From: "2026-01-01"}
		res = s.as(t, "admin", "POST", "/api/v1/service-standards", jsonBody(s95))
		if res.code != http.StatusCreated {
			t.Fatalf("POST S95: %d %s", res.code, res.body)
		}
		if res := s.as(t, "admin", "POST", "/api/v1/service-standards", jsonBody(s95)); res.code != http.StatusUnprocessableEntity {
			t.Errorf("POST S95 again: %d, want 422", res.code)
		}

		// An import with bad rows: 422, every bad row named, nothing saved.
		current := s.standards(t, "admin", "?withdrawn=1")
		g01 := s.apiStandard(t, "G01")
		g01.Name = "环评审批咨询与全程帮办"
		badDept := g01
		badDept.Code, badDept.Department = "G90", "nosuch"
		badMode := g01
		badMode.Code, badMode.Mode = "G91", "fax"
		workbook := func(list ...catalogue.Standard) []byte { return catalogueWorkbook(t, list...) }
		res = s.as(t, "admin", "POST", "/api/v1/service-standards/import", multipartBody(workbook(g01, badDept, badMode), nil))
		var imp struct {
			Applied  bool
			Added    int
			Changed  int
			Rejected []struct {
				Row      int
				Code     string
				Problems map[string]string
			}
		}
		res.json(t, &imp)
		if res.code != http.StatusUnprocessableEntity || imp.Applied || len(imp.Rejected) != 2 {
			t.Fatalf("import with two bad rows: %d %s", res.code, res.body)
		}
		if r := imp.Rejected[0]; r.Row != 3 || r.Code != "G90" || r.Problems["department"] == "" {
			t.Errorf("first rejected row: %+v; want row 3 (G90) on its department", r)
		}
		if r := imp.Rejected[1]; r.Row != 4 || r.Code != "G91" || r.Problems["mode"] == "" {
			t.Errorf("second rejected row: %+v; want row 4 (G91) on its mode", r)
		}
		if after := s.standards(t, "admin", "?withdrawn=1"); len(after) != len(current) || s.apiStandard(t, "G01").Version != 1 {
			t.Errorf("after a rejected import: %d standards (was %d), G01 at version %d", len(after), len(current), s.apiStandard(t, "G01").Version)
		}
		// Not a workbook: refused as a whole.
		if res := s.as(t, "admin", "POST", "/api/v1/service-standards/import", multipartBody([]byte("not a workbook"), nil)); res.code != http.StatusUnprocessableEntity {
			t.Errorf("import of a non-workbook: %d", res.code)
		}
		if res := s.as(t, "community", "POST", "/api/v1/service-standards/import", multipartBody(workbook(g01), nil)); res.code != http.StatusForbidden {
			t.Errorf("import as community: %d, want 403", res.code)
		}

		// The good rows: G01 changed, G90 new.
		badDept.Department = "ecology"
		res = s.as(t, "admin", "POST", "/api/v1/service-standards/import", multipartBody(workbook(g01, badDept), nil))
		imp.Rejected = nil
		res.json(t, &imp)
		if res.code != http.StatusOK || !imp.Applied || imp.Added != 1 || imp.Changed != 1 || len(imp.Rejected) != 0 {
			t.Fatalf("a good import: %d %s", res.code, res.body)
		}
		if got := s.apiStandard(t, "G01"); got.Version != 2 || got.Name != g01.Name {
			t.Errorf("G01 after the import: version %d name %q", got.Version, got.Name)
		}
		if got := s.apiStandard(t, "G90"); got.Version != 1 || got.Department != "ecology" {
			t.Errorf("G90 after the import: %+v", got)
		}

		// An appeal under S03, then its use in the year so far.
		in := appealInput("按服务标准")
		in.Category, in.StandardCode = "", "S03"
		if res := s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(in)); res.code != http.StatusCreated {
			t.Fatalf("raise under S03: %d %s", res.code, res.body)
		}
		res = s.as(t, "district_leader", "GET", "/api/v1/service-standards/use", nil)
		if res.code != http.StatusOK {
			t.Fatalf("GET use as the district leader: %d %s", res.code, res.body)
		}
		var raw map[string]json.RawMessage
		res.json(t, &raw)
		for _, k := range []string{"items", "unused"} {
			if !bytes.HasPrefix(raw[k], []byte("[")) {
				t.Errorf("use: %s is %s, want an array", k, raw[k])
			}
		}
		var use struct {
			Items []struct {
				Code     string
				Requests int
			}
			Unused []string
		}
		res.json(t, &use)
		found := false
		for _, it := range use.Items {
			if it.Code == "S03" && it.Requests >= 1 {
				found = true
			}
		}
		if !found || len(use.Unused) == 0 || strings.Contains(" "+strings.Join(use.Unused, " ")+" ", " S03 ") {
			t.Errorf("use: %s; want S03 asked for and others unused", res.body)
		}
		if res := s.as(t, "enterprise", "GET", "/api/v1/service-standards/use", nil); res.code != http.StatusForbidden {
			t.Errorf("GET use as the enterprise: %d, want 403", res.code)
		}
		if res := s.as(t, "district_leader", "GET", "/api/v1/service-standards/use?from=2026-13", nil); res.code != http.StatusUnprocessableEntity {
			t.Errorf("GET use of a bad month: %d, want 422", res.code)
		}

		// Withdrawn today: no longer listed, nor offered, nor asked for.
		res = s.as(t, "admin", "POST", "/api/v1/service-standards/S03/withdraw", jsonBody(map[string]int64{"version": 2}))
		var withdrawn catalogue.Standard
		res.json(t, &withdrawn)
		if res.code != http.StatusOK || withdrawn.Until != catalogueToday() || withdrawn.Version != 3 {
			t.Fatalf("withdraw S03: %d %s", res.code, res.body)
		}
		for _, st := range s.standards(t, "enterprise", "") {
			if st.Code == "S03" {
				t.Error("the catalogue in force still lists S03")
			}
		}
		found = false
		for _, st := range s.standards(t, "admin", "?withdrawn=1") {
			found = found || st.Code == "S03" && st.Until != ""
		}
		if !found {
			t.Error("withdrawn=1 does not list S03")
		}
		page = s.as(t, "enterprise", "GET", "/catalogue", nil)
		if bytes.Contains(page.body, []byte(`id="std-S03"`)) {
			t.Error("the catalogue page still shows S03")
		}
		page = s.as(t, "enterprise", "GET", "/catalogue/S03", nil)
		if page.code != http.StatusOK || !bytes.Contains(page.body, []byte(`id="std-withdrawn"`)) || bytes.Contains(page.body, []byte(`id="std-ask"`)) {
			t.Errorf("S03's page once withdrawn: %d; want it marked withdrawn and no ask", page.code)
		}
		if res := s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(in)); res.code != http.StatusUnprocessableEntity {
			t.Errorf("raise under the withdrawn S03: %d, want 422", res.code)
		}
	})
}
