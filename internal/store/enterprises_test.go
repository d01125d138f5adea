package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// scopeCase is the test's own reading of who sees which enterprises, written
// from the domain brief and not from package access: the demo enterprises a
// showcase account reads, whether it may export them, update them, and see
// their personal data unmasked.
type scopeCase struct {
	username string
	reads    func(u demo.User, e enterprise.Enterprise) bool
	export   bool
	update   bool
	personal bool
}

// deptRegion returns the region of a department user's department.
func deptRegion(u demo.User) string {
	for _, d := range dataset.Departments {
		if d.Code == u.DepartmentCode {
			return d.RegionCode
		}
	}
	return "no department"
}

var (
	everything = func(demo.User, enterprise.Enterprise) bool { return true }
	nothing    = func(demo.User, enterprise.Enterprise) bool { return false }
)

var scopeCases = []scopeCase{
	{"admin", everything, true, true, true},
	{"auditor", nothing, false, false, false},
	{"city_leader", func(u demo.User, e enterprise.Enterprise) bool { return e.CityCode == u.RegionCode }, true, false, false},
	{"district_leader", func(u demo.User, e enterprise.Enterprise) bool { return e.DistrictCode == u.RegionCode }, true, false, false},
	{"street_leader", func(u demo.User, e enterprise.Enterprise) bool { return e.StreetCode == u.RegionCode }, true, false, false},
	{"community", func(u demo.User, e enterprise.Enterprise) bool { return e.CommunityCode == u.RegionCode }, true, true, true},
	{"grid", func(u demo.User, e enterprise.Enterprise) bool { return e.GridCode == u.RegionCode }, true, true, true},
	{"dept_tax", func(u demo.User, e enterprise.Enterprise) bool { return e.DistrictCode == deptRegion(u) }, false, false, false},
	{"dept_market", func(u demo.User, e enterprise.Enterprise) bool { return e.DistrictCode == deptRegion(u) }, false, false, false},
	{"cadre", func(u demo.User, e enterprise.Enterprise) bool { return slices.Contains(u.Assigned, e.CreditCode) }, true, true, true},
	{"enterprise", func(u demo.User, e enterprise.Enterprise) bool { return e.CreditCode == u.EnterpriseCode }, false, true, true},
	{"lawyer", nothing, false, false, false},
	{"finance", nothing, false, false, false},
	// The organisation department reads its district's enterprises, to follow its cadres.
	{"organisation", func(u demo.User, e enterprise.Enterprise) bool { return e.DistrictCode == u.RegionCode }, false, false, false},
}

// TestScopeCasesCoverShowcase keeps the oracle complete: every showcase
// account has a case.
func TestScopeCasesCoverShowcase(t *testing.T) {
	var want, got []string
	for _, u := range dataset.Accounts() {
		want = append(want, u.Username)
	}
	for _, c := range scopeCases {
		got = append(got, c.username)
	}
	if !slices.Equal(got, want) {
		t.Errorf("scope cases %v; showcase accounts %v", got, want)
	}
}

// TestEnterpriseReads shares one demo store between the tests that read
// enterprises: scope first, as the others change a little.
func TestEnterpriseReads(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		all := append(slices.Clone(dataset.Enterprises), elsewhere(t, s)...)
		t.Run("scope", func(t *testing.T) { testScope(t, s, all) })
		t.Run("filters", func(t *testing.T) { testFilters(t, s, all) })
		t.Run("stopped export", func(t *testing.T) { testStoppedExport(t, s) })
	})
}

// TestEnterpriseWrites shares one demo store between the tests that create
// and update enterprises.
func TestEnterpriseWrites(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		t.Run("create", func(t *testing.T) { testCreate(t, s) })
		t.Run("race", func(t *testing.T) { testUpdateRace(t, s) })
		t.Run("update", func(t *testing.T) { testUpdate(t, s) })
	})
}

// testScope checks, for every showcase account on the demo data,
// exactly which enterprises it lists, counts, exports, reads, reveals and
// updates.
func testScope(t *testing.T, s *testStore, all []enterprise.Enterprise) {
	ids := s.IDs(t)
	if len(ids) != len(all) {
		t.Fatalf("store holds %d enterprises; want %d", len(ids), len(all))
	}
	byCode := map[string]enterprise.Enterprise{}
	for _, e := range all {
		byCode[e.CreditCode] = e
	}
	for _, c := range scopeCases {
		t.Run(c.username, func(t *testing.T) {
			checkScope(t, s, c, all, ids, byCode)
		})
	}
}

// elsewhere adds, beside the demo district, a grid in another district of
// the same city and a grid in another city, with an enterprise in each, so
// that city and district scopes have something outside them. It returns the
// two enterprises.
func elsewhere(t *testing.T, s *testStore) []enterprise.Enterprise {
	t.Helper()
	ctx := context.Background()
	regions := []place.Region{
		{Code: "330100", Name: "杭州市", Level: place.City},
		{Code: "330106", Name: "西湖区", Level: place.District, ParentCode: "330100"},
		{Code: "330106001", Name: "北山街道", Level: place.Street, ParentCode: "330106"},
		{Code: "330106001001", Name: "保俶社区", Level: place.Community, ParentCode: "330106001"},
		{Code: "330106001001001", Name: "保俶一网格", Level: place.Grid, ParentCode: "330106001001"},
		{Code: "330203", Name: "海曙区", Level: place.District, ParentCode: demo.CityCode},
		{Code: "330203001", Name: "南门街道", Level: place.Street, ParentCode: "330203"},
		{Code: "330203001001", Name: "南门社区", Level: place.Community, ParentCode: "330203001"},
		{Code: "330203001001001", Name: "南门一网格", Level: place.Grid, ParentCode: "330203001001"},
	}
	if err := s.WithTx(ctx, func(tx *store.Tx) error { return tx.InsertRegions(ctx, regions) }); err != nil {
		t.Fatalf("insert regions: %v", err)
	}
	var list []enterprise.Enterprise
	for i, grid := range []string{"330106001001001", "330203001001001"} {
		e, err := s.CreateEnterprise(ctx, s.As(t, "admin"), storetest.NewEnterprise(t, 900+i, grid))
		if err != nil {
			t.Fatalf("create enterprise in %s: %v", grid, err)
		}
		if e.CityCode != grid[:4]+"00" || e.DistrictCode != grid[:6] || e.StreetCode != grid[:9] || e.CommunityCode != grid[:12] {
			t.Fatalf("enterprise in grid %s placed in %s / %s / %s / %s", grid, e.CityCode, e.DistrictCode, e.StreetCode, e.CommunityCode)
		}
		list = append(list, e)
	}
	return list
}

// checkScope checks one account against its case.
func checkScope(t *testing.T, s *testStore, c scopeCase, all []enterprise.Enterprise, ids map[string]int64, byCode map[string]enterprise.Enterprise) {
	ctx := context.Background()
	u := storetest.DemoUser(t, c.username)
	actor := s.As(t, c.username)
	want := map[string]bool{}
	var in, out []string // codes in and out of scope, in demo order
	for _, e := range all {
		if c.reads(u, e) {
			want[e.CreditCode] = true
			in = append(in, e.CreditCode)
		} else {
			out = append(out, e.CreditCode)
		}
	}

	// List, page by page, and count.
	got := map[string]bool{}
	const size = 97
	for page := 1; ; page++ {
		list, total, err := s.Enterprises(ctx, actor, store.EnterpriseQuery{Page: store.Page{Number: page, Size: size}})
		if err != nil {
			t.Fatalf("Enterprises page %d: %v", page, err)
		}
		if total != len(want) {
			t.Fatalf("Enterprises page %d: total %d; want %d", page, total, len(want))
		}
		for _, e := range list {
			if got[e.CreditCode] {
				t.Errorf("enterprise %s listed twice", e.CreditCode)
			}
			got[e.CreditCode] = true
			if !strings.Contains(e.Phone, "****") {
				t.Errorf("listed phone %q of %s is not masked", e.Phone, e.CreditCode)
			}
		}
		if len(list) < size {
			break
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("Enterprises lists %d enterprises; want %d; listed but out of scope %v; in scope but missing %v",
			len(got), len(want), difference(got, want), difference(want, got))
	}
	if n, err := s.CountEnterprises(ctx, actor, store.EnterpriseQuery{}); err != nil || n != len(want) {
		t.Errorf("CountEnterprises = %d, %v; want %d", n, err, len(want))
	}

	// Export.
	exported := map[string]bool{}
	err := s.ExportEnterprises(ctx, actor, store.EnterpriseQuery{}, func(e enterprise.Enterprise) error {
		exported[e.CreditCode] = true
		if masked := strings.Contains(e.Phone, "****"); masked == c.personal {
			t.Errorf("exported phone %q of %s: masked %v; want masked %v", e.Phone, e.CreditCode, masked, !c.personal)
		}
		return nil
	})
	if c.export {
		if err != nil {
			t.Fatalf("ExportEnterprises: %v", err)
		}
		if !maps.Equal(exported, want) {
			t.Errorf("ExportEnterprises gives %d enterprises; want %d; out of scope %v; missing %v",
				len(exported), len(want), difference(exported, want), difference(want, exported))
		}
		if n := s.AuditCount(t, store.AuditQuery{Action: "enterprise.export", ActorName: actor.Name}); n == 0 {
			t.Errorf("the export is not in the audit log")
		}
	} else {
		storetest.WantForbidden(t, err)
	}

	// One enterprise: read, reveal, update.
	if len(in) > 0 {
		code := in[len(in)/2]
		id := ids[code]
		e, err := s.Enterprise(ctx, actor, id)
		if err != nil {
			t.Fatalf("Enterprise(%d) in scope: %v", id, err)
		}
		if e.CreditCode != code || !strings.Contains(e.Phone, "****") {
			t.Errorf("Enterprise(%d) = %s with phone %q; want %s with the phone masked", id, e.CreditCode, e.Phone, code)
		}
		target := fmt.Sprintf("enterprise/%d", id)
		reveals := store.AuditQuery{Action: "enterprise.personal", Target: target, ActorName: actor.Name}
		before := s.AuditCount(t, reveals)
		revealed, err := s.RevealEnterprise(ctx, actor, id)
		if c.personal {
			if err != nil {
				t.Fatalf("RevealEnterprise(%d): %v", id, err)
			}
			if revealed.Phone != byCode[code].Phone {
				t.Errorf("RevealEnterprise(%d) phone %q; want %q", id, revealed.Phone, byCode[code].Phone)
			}
			if n := s.AuditCount(t, reveals); n != before+1 {
				t.Errorf("%d audit entries enterprise.personal on %s by %s; want %d", n, target, actor.Name, before+1)
			}
		} else {
			storetest.WantForbidden(t, err)
			if n := s.AuditCount(t, reveals); n != before {
				t.Errorf("a refused reveal was audited as done")
			}
		}
		// An update that changes nothing changes nothing; roles that may
		// not update are refused.
		same, err := s.UpdateEnterprise(ctx, actor, id, e.Version, e)
		if c.update {
			if err != nil || same.Version != e.Version {
				t.Errorf("UpdateEnterprise(%d) without changes: version %d → %d, %v; want it unchanged", id, e.Version, same.Version, err)
			}
		} else {
			storetest.WantForbidden(t, err)
		}
	}
	if len(out) > 0 {
		id := ids[out[len(out)/2]]
		_, err := s.Enterprise(ctx, actor, id)
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.RevealEnterprise(ctx, actor, id)
		storetest.WantKind(t, err, fault.NotFound)
		_, err = s.UpdateEnterprise(ctx, actor, id, 1, byCode[out[len(out)/2]])
		storetest.WantKind(t, err, fault.NotFound)
	}
	if _, err := s.Enterprise(ctx, actor, 1<<40); !fault.Is(err, fault.NotFound) {
		t.Errorf("Enterprise(absent) error %v; want NotFound", err)
	}
	if c.username != "admin" && c.username != "auditor" && c.username != "lawyer" && c.username != "finance" {
		if len(in) == 0 || len(out) == 0 {
			t.Errorf("the oracle gives %s %d enterprises in scope and %d out: the case tests nothing", c.username, len(in), len(out))
		}
	}
}

// difference returns up to 5 keys of a not in b.
func difference(a, b map[string]bool) []string {
	var d []string
	for k := range a {
		if !b[k] {
			d = append(d, k)
		}
	}
	slices.Sort(d)
	return d[:min(len(d), 5)]
}

// testUpdate tries updates by several roles: who may change what, and what
// a change leaves behind.
func testUpdate(t *testing.T, s *testStore) {
	ctx := context.Background()
	ids := s.IDs(t)
	admin := s.As(t, "admin")
	own := storetest.DemoUser(t, "enterprise").EnterpriseCode
	grid := storetest.DemoUser(t, "grid").RegionCode
	community := storetest.DemoUser(t, "community").RegionCode
	cadre := storetest.DemoUser(t, "cadre").Assigned[0]
	inGrid := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.GridCode == grid && e.CreditCode != own }).CreditCode
	otherGrid := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool {
		return e.CommunityCode == community && e.GridCode != grid
	})
	otherCommunity := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.CommunityCode != community })
	keyless := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.GridCode == grid && e.KeyLevel == enterprise.KeyNone })

	tests := []struct {
		name, user, code string
		change           func(e *enterprise.Enterprise)
		stale            bool
		kind             fault.Kind // "" for success
		field            string     // of an Invalid error
		forbidden        bool
	}{
		{name: "out of scope is not found", user: "grid", code: otherGrid.CreditCode,
			change: func(e *enterprise.Enterprise) { e.Name += "X" }, kind: fault.NotFound},
		{name: "street leader reads but may not update", user: "street_leader", code: inGrid,
			change: func(e *enterprise.Enterprise) { e.Name += "X" }, kind: fault.Forbidden, forbidden: true},
		{name: "department reads but may not update", user: "dept_tax", code: inGrid,
			change: func(e *enterprise.Enterprise) { e.Name += "X" }, kind: fault.Forbidden, forbidden: true},
		{name: "lawyer does not see it", user: "lawyer", code: inGrid,
			change: func(e *enterprise.Enterprise) { e.Name += "X" }, kind: fault.NotFound},
		{name: "enterprise user may not move its grid", user: "enterprise", code: own,
			change: func(e *enterprise.Enterprise) { e.GridCode = otherGrid.GridCode }, kind: fault.Invalid, field: "grid_code"},
		{name: "enterprise user may not set its key level", user: "enterprise", code: own,
			change: func(e *enterprise.Enterprise) { e.KeyLevel = toggleKey(e.KeyLevel) }, kind: fault.Invalid, field: "key_level"},
		{name: "enterprise user may not change its credit code", user: "enterprise", code: own,
			change: func(e *enterprise.Enterprise) { e.CreditCode = storetest.CreditCode(t, 101) }, kind: fault.Invalid, field: "credit_code"},
		{name: "cadre may not set the key level", user: "cadre", code: cadre,
			change: func(e *enterprise.Enterprise) { e.KeyLevel = toggleKey(e.KeyLevel) }, kind: fault.Invalid, field: "key_level"},
		{name: "community staff may not move it out of the community", user: "community", code: inGrid,
			change: func(e *enterprise.Enterprise) { e.GridCode = otherCommunity.GridCode }, kind: fault.Invalid, field: "grid_code"},
		{name: "no such grid", user: "admin", code: inGrid,
			change: func(e *enterprise.Enterprise) { e.GridCode = grid[:12] + "999" }, kind: fault.Invalid, field: "grid_code"},
		{name: "bad phone", user: "grid", code: inGrid,
			change: func(e *enterprise.Enterprise) { e.Phone = "12345" }, kind: fault.Invalid, field: "phone"},
		{name: "credit code of another enterprise", user: "admin", code: inGrid,
			change: func(e *enterprise.Enterprise) { e.CreditCode = otherGrid.CreditCode }, kind: fault.Invalid, field: "credit_code"},
		{name: "stale version", user: "grid", code: inGrid, stale: true,
			change: func(e *enterprise.Enterprise) { e.Name += "X" }, kind: fault.Conflict},
		{name: "enterprise user renames itself", user: "enterprise", code: own,
			change: func(e *enterprise.Enterprise) { e.Name = "宁波北仑更名测试有限公司" }},
		{name: "cadre updates headcount", user: "cadre", code: cadre,
			change: func(e *enterprise.Enterprise) { e.Employees += 7 }},
		{name: "grid worker sets the key level", user: "grid", code: keyless.CreditCode,
			change: func(e *enterprise.Enterprise) { e.KeyLevel = enterprise.KeyDistrict }},
		{name: "community staff moves it to another grid of the community", user: "community", code: inGrid,
			change: func(e *enterprise.Enterprise) { e.GridCode = otherGrid.GridCode }},
		{name: "admin changes the credit code", user: "admin", code: otherCommunity.CreditCode,
			change: func(e *enterprise.Enterprise) { e.CreditCode = storetest.CreditCode(t, 102) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := ids[tt.code]
			before, err := s.Enterprise(ctx, admin, id)
			if err != nil {
				t.Fatal(err)
			}
			version := before.Version
			if tt.stale {
				touch := before
				touch.Address += "（新址）"
				if _, err := s.UpdateEnterprise(ctx, admin, id, version, touch); err != nil {
					t.Fatalf("first update: %v", err)
				}
			}
			e := before
			tt.change(&e)
			entries := s.AuditCount(t, store.AuditQuery{Action: "enterprise.update", Target: fmt.Sprintf("enterprise/%d", id)})
			got, err := s.UpdateEnterprise(ctx, s.As(t, tt.user), id, version, e)
			after, readErr := s.Enterprise(ctx, admin, id)
			if readErr != nil {
				t.Fatal(readErr)
			}
			entriesAfter := s.AuditCount(t, store.AuditQuery{Action: "enterprise.update", Target: fmt.Sprintf("enterprise/%d", id)})
			if tt.kind != "" {
				storetest.WantKind(t, err, tt.kind)
				if tt.field != "" {
					storetest.WantField(t, err, tt.field)
				}
				if tt.forbidden {
					storetest.WantForbidden(t, err)
				}
				if !tt.stale && (after.Version != before.Version || entriesAfter != entries) {
					t.Errorf("a refused update changed the enterprise (version %d → %d) or the audit log (%d → %d entries)",
						before.Version, after.Version, entries, entriesAfter)
				}
				return
			}
			if err != nil {
				t.Fatalf("UpdateEnterprise: %v", err)
			}
			if got.Version != version+1 || after.Version != version+1 {
				t.Errorf("version %d → returned %d, stored %d; want %d", version, got.Version, after.Version, version+1)
			}
			want := e
			want.Normalize()
			if after.Name != want.Name || after.GridCode != want.GridCode || after.KeyLevel != want.KeyLevel ||
				after.CreditCode != want.CreditCode || after.Employees != want.Employees || after.Phone != before.Phone {
				t.Errorf("stored %+v\nwant     %+v", after, want)
			}
			if after.GridCode != before.GridCode && after.CommunityCode != otherGrid.CommunityCode {
				t.Errorf("moved to grid %s but community is %s", after.GridCode, after.CommunityCode)
			}
			if entriesAfter != entries+1 {
				t.Errorf("%d enterprise.update audit entries after the update; want %d", entriesAfter, entries+1)
			}
		})
	}
}

// toggleKey returns another key level than k.
func toggleKey(k enterprise.KeyLevel) enterprise.KeyLevel {
	if k == enterprise.KeyNone {
		return enterprise.KeyCity
	}
	return enterprise.KeyNone
}

// testUpdateRace sends two updates from the same version at once,
// several times over: exactly one wins each time, the other gets Conflict.
func testUpdateRace(t *testing.T, s *testStore) {
	ctx := context.Background()
	admin := s.As(t, "admin")
	grid := s.As(t, "grid")
	var code string // the showcase grid's last enterprise
	for _, e := range dataset.Enterprises {
		if e.GridCode == grid.RegionCode {
			code = e.CreditCode
		}
	}
	id := s.IDs(t)[code]
	for round := range 8 {
		e, err := s.Enterprise(ctx, admin, id)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		ready := make(chan struct{})
		for i, actor := range []access.Actor{admin, grid} {
			wg.Go(func() {
				change := e
				change.Name = fmt.Sprintf("竞争%d-%d有限公司", round, i)
				<-ready
				_, errs[i] = s.UpdateEnterprise(ctx, actor, id, e.Version, change)
			})
		}
		close(ready)
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !fault.Is(err, fault.Conflict):
				t.Errorf("round %d: error %v; want nil or Conflict", round, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d updates won (errors %v); want exactly 1", round, won, errs)
		}
		after, err := s.Enterprise(ctx, admin, id)
		if err != nil {
			t.Fatal(err)
		}
		if after.Version != e.Version+1 {
			t.Fatalf("round %d: version %d → %d; want one step", round, e.Version, after.Version)
		}
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit: %v", err)
	}
}

// testFilters checks each filter of a list, alone and within a
// scope, against the demo data.
func testFilters(t *testing.T, s *testStore, all []enterprise.Enterprise) {
	ctx := context.Background()
	ids := s.IDs(t)
	latin := dataset.Enterprises[5]
	e, err := s.Enterprise(ctx, s.As(t, "admin"), ids[latin.CreditCode])
	if err != nil {
		t.Fatal(err)
	}
	e.Name = "宁波Ningbo Blue_Sea 100%外贸有限公司"
	if _, err := s.UpdateEnterprise(ctx, s.As(t, "admin"), e.ID, e.Version, e); err != nil {
		t.Fatal(err)
	}
	latin.Name = e.Name
	all = slices.Clone(all)
	all[5] = latin

	community := storetest.DemoUser(t, "community").RegionCode
	street := community[:9]
	someTag := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return len(e.Tags) > 0 }).Tags[0]
	section := func(e enterprise.Enterprise) string { d, _ := enterprise.DivisionByCode(e.Industry); return d.Section }
	tests := []struct {
		name  string
		user  string
		q     store.EnterpriseQuery
		match func(e enterprise.Enterprise) bool
	}{
		{"region street", "admin", store.EnterpriseQuery{Region: street}, func(e enterprise.Enterprise) bool { return e.StreetCode == street }},
		{"region community", "admin", store.EnterpriseQuery{Region: community}, func(e enterprise.Enterprise) bool { return e.CommunityCode == community }},
		{"region city", "admin", store.EnterpriseQuery{Region: demo.CityCode}, func(e enterprise.Enterprise) bool { return e.CityCode == demo.CityCode }},
		{"region malformed", "admin", store.EnterpriseQuery{Region: "33"}, func(e enterprise.Enterprise) bool { return false }},
		{"region outside scope", "community", store.EnterpriseQuery{Region: storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.CommunityCode != community }).CommunityCode},
			func(e enterprise.Enterprise) bool { return false }},
		{"industry division", "admin", store.EnterpriseQuery{Industry: "34"}, func(e enterprise.Enterprise) bool { return e.Industry == "34" }},
		{"industry section", "admin", store.EnterpriseQuery{Industry: "C"}, func(e enterprise.Enterprise) bool { return section(e) == "C" }},
		{"industry section in scope", "community", store.EnterpriseQuery{Industry: "F"},
			func(e enterprise.Enterprise) bool { return section(e) == "F" && e.CommunityCode == community }},
		{"unknown section", "admin", store.EnterpriseQuery{Industry: "Z"}, func(e enterprise.Enterprise) bool { return false }},
		{"size", "admin", store.EnterpriseQuery{Size: enterprise.SizeMicro}, func(e enterprise.Enterprise) bool { return e.Size == enterprise.SizeMicro }},
		{"key city", "admin", store.EnterpriseQuery{KeyLevel: "city"}, func(e enterprise.Enterprise) bool { return e.KeyLevel == enterprise.KeyCity }},
		{"key any", "admin", store.EnterpriseQuery{KeyLevel: "any"}, func(e enterprise.Enterprise) bool { return e.KeyLevel != enterprise.KeyNone }},
		{"foreign trade", "admin", store.EnterpriseQuery{ForeignTrade: "yes"}, func(e enterprise.Enterprise) bool { return e.ForeignTrade }},
		{"domestic in scope", "community", store.EnterpriseQuery{ForeignTrade: "no"},
			func(e enterprise.Enterprise) bool { return !e.ForeignTrade && e.CommunityCode == community }},
		{"tag", "admin", store.EnterpriseQuery{Tag: someTag}, func(e enterprise.Enterprise) bool { return slices.Contains(e.Tags, someTag) }},
		{"text in name", "admin", store.EnterpriseQuery{Text: "模具"}, func(e enterprise.Enterprise) bool { return strings.Contains(e.Name, "模具") }},
		{"text Latin, other case", "admin", store.EnterpriseQuery{Text: "blue_sea"}, func(e enterprise.Enterprise) bool { return e.CreditCode == latin.CreditCode }},
		{"text Latin, same case", "admin", store.EnterpriseQuery{Text: "Ningbo"}, func(e enterprise.Enterprise) bool { return e.CreditCode == latin.CreditCode }},
		{"text percent is literal", "admin", store.EnterpriseQuery{Text: "100%外贸"}, func(e enterprise.Enterprise) bool { return e.CreditCode == latin.CreditCode }},
		{"text underscore is literal", "admin", store.EnterpriseQuery{Text: "_"}, func(e enterprise.Enterprise) bool { return strings.Contains(e.Name, "_") }},
		{"text credit code prefix, lower case", "admin", store.EnterpriseQuery{Text: strings.ToLower(latin.CreditCode[:12])},
			func(e enterprise.Enterprise) bool { return strings.HasPrefix(e.CreditCode, latin.CreditCode[:12]) }},
		{"text credit code middle is no match", "admin", store.EnterpriseQuery{Text: latin.CreditCode[8:14]},
			func(e enterprise.Enterprise) bool { return strings.Contains(e.Name, latin.CreditCode[8:14]) }},
		{"unconfirmed", "admin", store.EnterpriseQuery{Unconfirmed: true}, func(e enterprise.Enterprise) bool { return false }},
		{"combined in scope", "community", store.EnterpriseQuery{Industry: "C", Size: enterprise.SizeSmall, ForeignTrade: "yes"},
			func(e enterprise.Enterprise) bool {
				return e.CommunityCode == community && section(e) == "C" && e.Size == enterprise.SizeSmall && e.ForeignTrade
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := map[string]bool{}
			for _, e := range all {
				if tt.match(e) {
					want[e.CreditCode] = true
				}
			}
			q := tt.q
			q.Page = store.Page{Size: store.MaxPageSize}
			got := map[string]bool{}
			for page := 1; ; page++ {
				q.Page.Number = page
				list, total, err := s.Enterprises(ctx, s.As(t, tt.user), q)
				if err != nil {
					t.Fatalf("Enterprises: %v", err)
				}
				if total != len(want) {
					t.Fatalf("total %d; want %d", total, len(want))
				}
				for _, e := range list {
					got[e.CreditCode] = true
				}
				if len(list) < store.MaxPageSize {
					break
				}
			}
			if !maps.Equal(got, want) {
				t.Errorf("%d enterprises; want %d; extra %v; missing %v", len(got), len(want), difference(got, want), difference(want, got))
			}
			if n, err := s.CountEnterprises(ctx, s.As(t, tt.user), tt.q); err != nil || n != len(want) {
				t.Errorf("CountEnterprises = %d, %v; want %d", n, err, len(want))
			}
		})
	}
}

// testCreate registers enterprises: where, by whom, and with what.
func testCreate(t *testing.T, s *testStore) {
	ctx := context.Background()
	grid := storetest.DemoUser(t, "grid").RegionCode
	away := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.GridCode != grid }).GridCode
	taken := dataset.Enterprises[0].CreditCode
	tests := []struct {
		name  string
		user  string
		e     enterprise.Enterprise
		kind  fault.Kind
		field string
	}{
		{"in the grid", "grid", storetest.NewEnterprise(t, 1, grid), "", ""},
		{"messy input is tidied", "grid", func() enterprise.Enterprise {
			e := storetest.NewEnterprise(t, 2, grid)
			e.CreditCode = " " + strings.ToLower(e.CreditCode) + "\u3000"
			e.Industry = "C34"
			return e
		}(), "", ""},
		{"grid outside the scope", "grid", storetest.NewEnterprise(t, 3, away), fault.Invalid, "grid_code"},
		{"no such grid", "admin", storetest.NewEnterprise(t, 4, grid[:12]+"999"), fault.Invalid, "grid_code"},
		{"credit code taken", "admin", func() enterprise.Enterprise { e := storetest.NewEnterprise(t, 5, grid); e.CreditCode = taken; return e }(), fault.Invalid, "credit_code"},
		{"bad check character", "admin", func() enterprise.Enterprise {
			e := storetest.NewEnterprise(t, 6, grid)
			e.CreditCode = e.CreditCode[:17] + string(wrongCheck(e.CreditCode[17]))
			return e
		}(), fault.Invalid, "credit_code"},
		{"no name", "admin", func() enterprise.Enterprise { e := storetest.NewEnterprise(t, 7, grid); e.Name = " "; return e }(), fault.Invalid, "name"},
		{"street leader may not create", "street_leader", storetest.NewEnterprise(t, 8, grid), fault.Forbidden, ""},
		{"enterprise user may not create", "enterprise", storetest.NewEnterprise(t, 9, grid), fault.Forbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.AuditCount(t, store.AuditQuery{Action: "enterprise.create"})
			got, err := s.CreateEnterprise(ctx, s.As(t, tt.user), tt.e)
			after := s.AuditCount(t, store.AuditQuery{Action: "enterprise.create"})
			if tt.kind != "" {
				storetest.WantKind(t, err, tt.kind)
				if tt.field != "" {
					storetest.WantField(t, err, tt.field)
				}
				if after != before {
					t.Errorf("a refused create was audited")
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateEnterprise: %v", err)
			}
			stored, err := s.RevealEnterprise(ctx, s.As(t, tt.user), got.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.e
			want.Normalize()
			if stored.CreditCode != want.CreditCode || stored.Industry != want.Industry || stored.Phone != want.Phone ||
				stored.CommunityCode != grid[:12] || stored.Version != 1 || stored.Size == "" {
				t.Errorf("stored %+v\nwant %+v", stored, want)
			}
			if after != before+1 {
				t.Errorf("%d enterprise.create audit entries; want %d", after, before+1)
			}
		})
	}
}

// testStoppedExport checks that an export is audited even when it stops
// part way, as when the download is cancelled: what left is on record.
func testStoppedExport(t *testing.T, s *testStore) {
	ctx := context.Background()
	grid := s.As(t, "grid")
	exports := store.AuditQuery{Action: "enterprise.export", ActorName: grid.Name}
	before := s.AuditCount(t, exports)
	stop := errors.New("client went away")
	n := 0
	err := s.ExportEnterprises(ctx, grid, store.EnterpriseQuery{}, func(enterprise.Enterprise) error {
		if n == 3 {
			return stop
		}
		n++
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("ExportEnterprises = %v; want the error of fn", err)
	}
	list, n, err := s.AuditLog(ctx, s.As(t, "auditor"), exports)
	if err != nil || n != before+1 {
		t.Fatalf("%d audit entries of exports, %v; want %d", n, err, before+1)
	}
	if list[0].Result == "ok" || !strings.Contains(list[0].Detail, `"rows":4`) {
		t.Errorf("audit entry of a stopped export: result %s, detail %s; want it failed with 4 rows handed out", list[0].Result, list[0].Detail)
	}
}
