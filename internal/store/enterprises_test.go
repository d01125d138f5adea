package store_test

import (
	"context"
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
)

// scopeCase is the test's own reading of who sees which enterprises, written
// from the domain brief and not from package access: the demo enterprises a
// showcase account reads, whether it may export them, and whether it may see
// their personal data unmasked.
type scopeCase struct {
	username string
	reads    func(u demo.User, e enterprise.Enterprise) bool
	export   bool
	personal bool
}

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
	{"admin", everything, true, true},
	{"auditor", nothing, false, false},
	{"city_leader", func(u demo.User, e enterprise.Enterprise) bool { return e.CityCode == u.RegionCode }, true, false},
	{"district_leader", func(u demo.User, e enterprise.Enterprise) bool { return e.DistrictCode == u.RegionCode }, true, false},
	{"street_leader", func(u demo.User, e enterprise.Enterprise) bool { return e.StreetCode == u.RegionCode }, true, false},
	{"community", func(u demo.User, e enterprise.Enterprise) bool { return e.CommunityCode == u.RegionCode }, true, true},
	{"grid", func(u demo.User, e enterprise.Enterprise) bool { return e.GridCode == u.RegionCode }, true, true},
	{"dept_tax", func(u demo.User, e enterprise.Enterprise) bool { return e.DistrictCode == deptRegion(u) }, false, false},
	{"dept_market", func(u demo.User, e enterprise.Enterprise) bool { return e.DistrictCode == deptRegion(u) }, false, false},
	{"cadre", func(u demo.User, e enterprise.Enterprise) bool { return slices.Contains(u.Assigned, e.CreditCode) }, true, true},
	{"enterprise", func(u demo.User, e enterprise.Enterprise) bool { return e.CreditCode == u.EnterpriseCode }, false, true},
	{"lawyer", nothing, false, false},
	{"finance", nothing, false, false},
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

// TestEnterpriseScope checks, for every showcase account on the demo data,
// exactly which enterprises it lists, counts, exports, reads, reveals and
// updates.
func TestEnterpriseScope(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		all := append(slices.Clone(dataset.Enterprises), elsewhere(t, s)...)
		ids := s.ids(t)
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
	})
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
		e, err := s.CreateEnterprise(ctx, s.actor(t, "admin"), newEnterprise(t, 900+i, grid))
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

func checkScope(t *testing.T, s *testStore, c scopeCase, all []enterprise.Enterprise, ids map[string]int64, byCode map[string]enterprise.Enterprise) {
	ctx := context.Background()
	u := demoUser(t, c.username)
	actor := s.actor(t, c.username)
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
		if n := s.auditCount(t, store.AuditQuery{Action: "enterprise.export", ActorName: actor.Name}); n == 0 {
			t.Errorf("the export is not in the audit log")
		}
	} else {
		wantForbidden(t, err)
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
		before := s.auditCount(t, reveals)
		revealed, err := s.RevealEnterprise(ctx, actor, id)
		if c.personal {
			if err != nil {
				t.Fatalf("RevealEnterprise(%d): %v", id, err)
			}
			if revealed.Phone != byCode[code].Phone {
				t.Errorf("RevealEnterprise(%d) phone %q; want %q", id, revealed.Phone, byCode[code].Phone)
			}
			if n := s.auditCount(t, reveals); n != before+1 {
				t.Errorf("%d audit entries enterprise.personal on %s by %s; want %d", n, target, actor.Name, before+1)
			}
		} else {
			wantForbidden(t, err)
			if n := s.auditCount(t, reveals); n != before {
				t.Errorf("a refused reveal was audited as done")
			}
		}
		// An update that changes nothing changes nothing; roles that may
		// not update are refused.
		_, err = s.UpdateEnterprise(ctx, actor, id, e.Version, e)
		switch c.username {
		case "admin", "community", "grid", "cadre", "enterprise":
			if err != nil {
				t.Errorf("UpdateEnterprise(%d) without changes: %v", id, err)
			}
		default:
			wantForbidden(t, err)
		}
	}
	if len(out) > 0 {
		id := ids[out[len(out)/2]]
		_, err := s.Enterprise(ctx, actor, id)
		wantKind(t, err, fault.NotFound)
		_, err = s.RevealEnterprise(ctx, actor, id)
		wantKind(t, err, fault.NotFound)
		_, err = s.UpdateEnterprise(ctx, actor, id, 1, byCode[out[len(out)/2]])
		wantKind(t, err, fault.NotFound)
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

func TestUpdateEnterprise(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		ids := s.ids(t)
		admin := s.actor(t, "admin")
		own := demoUser(t, "enterprise").EnterpriseCode
		grid := demoUser(t, "grid").RegionCode
		community := demoUser(t, "community").RegionCode
		cadre := demoUser(t, "cadre").Assigned[0]
		inGrid := demoEnterprise(t, func(e enterprise.Enterprise) bool { return e.GridCode == grid && e.CreditCode != own }).CreditCode
		otherGrid := demoEnterprise(t, func(e enterprise.Enterprise) bool {
			return e.CommunityCode == community && e.GridCode != grid
		})
		otherCommunity := demoEnterprise(t, func(e enterprise.Enterprise) bool { return e.CommunityCode != community })
		keyless := demoEnterprise(t, func(e enterprise.Enterprise) bool { return e.GridCode == grid && e.KeyLevel == enterprise.KeyNone })

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
				change: func(e *enterprise.Enterprise) { e.CreditCode = creditCode(t, 1) }, kind: fault.Invalid, field: "credit_code"},
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
				change: func(e *enterprise.Enterprise) { e.CreditCode = creditCode(t, 2) }},
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
				entries := s.auditCount(t, store.AuditQuery{Action: "enterprise.update", Target: fmt.Sprintf("enterprise/%d", id)})
				got, err := s.UpdateEnterprise(ctx, s.actor(t, tt.user), id, version, e)
				after, readErr := s.Enterprise(ctx, admin, id)
				if readErr != nil {
					t.Fatal(readErr)
				}
				entriesAfter := s.auditCount(t, store.AuditQuery{Action: "enterprise.update", Target: fmt.Sprintf("enterprise/%d", id)})
				if tt.kind != "" {
					wantKind(t, err, tt.kind)
					if tt.field != "" {
						wantField(t, err, tt.field)
					}
					if tt.forbidden {
						wantForbidden(t, err)
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
	})
}

func toggleKey(k enterprise.KeyLevel) enterprise.KeyLevel {
	if k == enterprise.KeyNone {
		return enterprise.KeyCity
	}
	return enterprise.KeyNone
}

// TestUpdateEnterpriseRace sends two updates from the same version at once,
// several times over: exactly one wins each time, the other gets Conflict.
func TestUpdateEnterpriseRace(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		id := s.ids(t)[dataset.Enterprises[0].CreditCode]
		admin := s.actor(t, "admin")
		grid := s.actor(t, "grid")
		if grid.RegionCode != dataset.Enterprises[0].GridCode {
			t.Fatalf("the first demo enterprise is not in the showcase grid")
		}
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
	})
}
