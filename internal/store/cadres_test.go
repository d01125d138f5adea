package store_test

import (
	"context"
	"testing"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// TestCadres holds the cadres' roster to the demo on both stores: the
// organisation department sees every cadre with enterprises in its
// district, with its home unit and counts, and every key enterprise
// covered; a street leader sees the cadres of its street's enterprises,
// counted there only; a community's staff may not follow cadres.
func TestCadres(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		d := storetest.Dataset()
		byCode := map[string]enterprise.Enterprise{}
		keys := 0
		for _, e := range d.Enterprises {
			byCode[e.CreditCode] = e
			if e.KeyLevel != enterprise.KeyNone {
				keys++
			}
		}
		street := storetest.DemoUser(t, "street_leader").RegionCode
		want := map[string][2]int{}       // cadre's name → enterprises, key enterprises (district)
		wantStreet := map[string][2]int{} // in the showcase street
		units := map[string]string{}
		for _, u := range d.Users {
			if u.Role != access.RoleCadre {
				continue
			}
			units[u.Name] = u.HomeUnit
			for _, code := range u.Assigned {
				e := byCode[code]
				k := 0
				if e.KeyLevel != enterprise.KeyNone {
					k = 1
				}
				w := want[u.Name]
				want[u.Name] = [2]int{w[0] + 1, w[1] + k}
				if e.StreetCode == street {
					w := wantStreet[u.Name]
					wantStreet[u.Name] = [2]int{w[0] + 1, w[1] + k}
				}
			}
		}
		for who, oracle := range map[string]map[string][2]int{"organisation": want, "street_leader": wantStreet} {
			list, cov, err := s.Cadres(ctx, s.As(t, who))
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != len(oracle) || cov.Cadres != len(oracle) {
				t.Errorf("%s sees %d cadres; want %d", who, len(list), len(oracle))
			}
			for _, c := range list {
				if got, w := [2]int{c.Enterprises, c.KeyEnterprises}, oracle[c.Name]; got != w || c.HomeUnit != units[c.Name] || c.Phone == "" {
					t.Errorf("%s: cadre %s: %v, unit %q; want %v, %q", who, c.Name, got, c.HomeUnit, w, units[c.Name])
				}
			}
			if who == "organisation" && (cov.KeyEnterprises != keys || cov.KeyCovered != keys) {
				t.Errorf("coverage %+v; want all %d key enterprises covered", cov, keys)
			}
		}
		if _, _, err := s.Cadres(ctx, s.As(t, "community")); err != access.ErrForbidden {
			t.Errorf("community staff follow cadres: %v", err)
		}
	})
}

// TestSuccession replaces a cadre and a grid worker on both stores: the
// old accounts lose the scope at once (their enterprises are not found on
// the next read) and the successors hold it, with the history kept and
// the change audited; only the organisation department and an
// administrator keep the roster, and a successor must be an active cadre.
func TestSuccession(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		org := s.As(t, "organisation")
		old, heir := s.As(t, "cadre"), storetest.DemoUser(t, "cadre")
		var successor access.Actor
		var successorName string
		for _, u := range storetest.Dataset().Users {
			if u.Role == access.RoleCadre && u.Username != "cadre" {
				successor, successorName = s.As(t, u.Username), u.Username
				break
			}
		}
		ids := s.IDs(t)
		first := ids[heir.Assigned[0]]
		if _, err := s.Enterprise(ctx, old, first); err != nil {
			t.Fatalf("the cadre reads its enterprise: %v", err)
		}
		if _, err := s.ReplaceCadre(ctx, s.As(t, "community"), old.UserID, successor.UserID, "调任"); err != access.ErrForbidden {
			t.Errorf("community staff replace a cadre: %v", err)
		}
		if _, err := s.ReplaceCadre(ctx, org, old.UserID, s.As(t, "grid").UserID, "调任"); err == nil {
			t.Error("a grid worker succeeds a cadre")
		}
		if _, err := s.ReplaceCadre(ctx, org, old.UserID, successor.UserID, ""); err == nil {
			t.Error("a replacement without its reason")
		}
		n, err := s.ReplaceCadre(ctx, org, old.UserID, successor.UserID, "挂职期满，调回原单位")
		if err != nil || n != len(heir.Assigned) {
			t.Fatalf("replace: %d passed, %v; want %d", n, err, len(heir.Assigned))
		}
		if _, err := s.Enterprise(ctx, s.As(t, "cadre"), first); err == nil {
			t.Error("the replaced cadre still reads its enterprise")
		}
		if _, err := s.Enterprise(ctx, s.As(t, successorName), first); err != nil {
			t.Errorf("the successor does not read it: %v", err)
		}
		var history int
		if err := s.Raw(t).QueryRow(store.Rebind(s.DSN, "SELECT COUNT(*) FROM assignment_history WHERE user_id = ? AND successor_id = ?"),
			old.UserID, successor.UserID).Scan(&history); err != nil || history != n {
			t.Errorf("history: %d rows, %v; want %d", history, err, n)
		}

		// A grid's worker replaced loses the grid at once.
		community := s.As(t, "community")
		grid := storetest.DemoUser(t, "grid").RegionCode
		var other string
		for _, u := range storetest.Dataset().Users {
			if u.Role == access.RoleGridWorker && u.Username != "grid" && u.RegionCode[:12] == grid[:12] {
				other = u.Username
				break
			}
		}
		if other == "" {
			t.Skip("no second grid worker in the showcase community")
		}
		before := s.As(t, "grid")
		if err := s.SetGridWorker(ctx, community, grid, s.As(t, other).UserID); err != nil {
			t.Fatal(err)
		}
		if a := s.As(t, "grid"); a.RegionCode != "" || before.RegionCode != grid {
			t.Errorf("the replaced worker's region: %q", a.RegionCode)
		}
		if a := s.As(t, other); a.RegionCode != grid {
			t.Errorf("the successor's region: %q; want %s", a.RegionCode, grid)
		}
	})
}

// TestProjects holds the key projects to the demo on both stores: the
// organisation department reads them all with their cadres, a street
// leader its street's; recording and changing one checks the enterprise's
// region, the stage, the cadre and the version; a replaced cadre's
// projects pass to its successor.
func TestProjects(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		org := s.As(t, "organisation")
		d := storetest.Dataset()
		list, err := s.Projects(ctx, org)
		if err != nil || len(list) != len(d.Projects) || len(list) == 0 {
			t.Fatalf("projects: %d, %v; want %d", len(list), err, len(d.Projects))
		}
		_, cov, err := s.Cadres(ctx, org)
		if err != nil || cov.KeyProjects != len(d.Projects) || cov.ProjectsCovered != len(d.Projects) {
			t.Errorf("project coverage %+v, %v", cov, err)
		}
		if _, err := s.Projects(ctx, s.As(t, "community")); err != access.ErrForbidden {
			t.Errorf("community staff read key projects: %v", err)
		}
		credit := storetest.DemoUser(t, "enterprise").EnterpriseCode
		p, err := s.SaveProject(ctx, org, credit, enterprise.Project{Name: "新厂房项目", Stage: enterprise.StagePlanned, Investment: 30_000_000})
		if err != nil || p.ID == 0 || p.Version != 1 {
			t.Fatalf("record a project: %+v %v", p, err)
		}
		for _, bad := range []enterprise.Project{{Name: "x", Stage: enterprise.StagePlanned}, {Name: "项目", Stage: "dreaming"},
			{Name: "项目", Stage: enterprise.StagePlanned, CadreID: s.As(t, "grid").UserID}} {
			if _, err := s.SaveProject(ctx, org, credit, bad); !fault.Is(err, fault.Invalid) {
				t.Errorf("project %+v: %v", bad, err)
			}
		}
		if _, err := s.SaveProject(ctx, org, "91330206MA2AAAAA1X", enterprise.Project{Name: "项目", Stage: enterprise.StagePlanned}); !fault.Is(err, fault.Invalid) {
			t.Errorf("a project of an enterprise qifu does not hold: %v", err)
		}
		p.Stage, p.CadreID = enterprise.StageBuilding, s.As(t, "cadre").UserID
		if p, err = s.SaveProject(ctx, org, credit, p); err != nil || p.Version != 2 {
			t.Fatalf("change the project: %+v %v", p, err)
		}
		p.Version = 1
		if _, err := s.SaveProject(ctx, org, credit, p); err != fault.ErrConflict {
			t.Errorf("a stale change: %v", err)
		}
		// The showcase cadre replaced: its projects pass with its enterprises.
		var successor int64
		for _, u := range d.Users {
			if u.Role == access.RoleCadre && u.Username != "cadre" {
				successor = s.As(t, u.Username).UserID
				break
			}
		}
		if _, err := s.ReplaceCadre(ctx, org, s.As(t, "cadre").UserID, successor, "岗位调整"); err != nil {
			t.Fatal(err)
		}
		list, err = s.Projects(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range list {
			if q.CadreID == s.As(t, "cadre").UserID {
				t.Errorf("project %s still with the replaced cadre", q.Name)
			}
		}
	})
}

// TestStandIn holds a cadre's post left empty to the roster on both
// stores: its enterprises pass at once to a stand-in (代管), marked so on
// the roster, and the old account loses them; when the successor is named
// the stand-in hands over only what it held for the post and keeps its own;
// a term's end is recorded by the organisation department only.
func TestStandIn(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		org := s.As(t, "organisation")
		old, heir := s.As(t, "cadre"), storetest.DemoUser(t, "cadre")
		var cadres []string
		for _, u := range storetest.Dataset().Users {
			if u.Role == access.RoleCadre && u.Username != "cadre" && len(u.Assigned) > 0 {
				cadres = append(cadres, u.Username)
			}
		}
		if len(cadres) < 2 {
			t.Skip("the demo has fewer than three cadres with enterprises")
		}
		standIn, successor := s.As(t, cadres[0]), s.As(t, cadres[1])
		first := s.IDs(t)[heir.Assigned[0]]
		roster := func() map[int64]store.Cadre {
			list, _, err := s.Cadres(ctx, org)
			if err != nil {
				t.Fatal(err)
			}
			m := map[int64]store.Cadre{}
			for _, c := range list {
				m[c.UserID] = c
			}
			return m
		}
		own := roster()[standIn.UserID].Enterprises
		if _, err := s.StandIn(ctx, s.As(t, "community"), old.UserID, standIn.UserID, "病休"); err != access.ErrForbidden {
			t.Errorf("community staff name a stand-in: %v", err)
		}
		n, err := s.StandIn(ctx, org, old.UserID, standIn.UserID, "原驻企干部调离，岗位空缺")
		if err != nil || n != len(heir.Assigned) {
			t.Fatalf("stand in: %d, %v; want %d", n, err, len(heir.Assigned))
		}
		if _, err := s.Enterprise(ctx, s.As(t, "cadre"), first); !fault.Is(err, fault.NotFound) {
			t.Errorf("the old cadre still reads its enterprise: %v", err)
		}
		if _, err := s.Enterprise(ctx, s.As(t, cadres[0]), first); err != nil {
			t.Errorf("the stand-in does not read it: %v", err)
		}
		if c := roster()[standIn.UserID]; c.StandingIn != n || c.Enterprises != own+n {
			t.Errorf("the stand-in on the roster: %+v; want %d held of %d", c, n, own+n)
		}
		m, err := s.EndStandIn(ctx, org, standIn.UserID, successor.UserID, "新任驻企干部到岗")
		if err != nil || m != n {
			t.Fatalf("end the stand-in: %d, %v; want %d", m, err, n)
		}
		if c := roster()[standIn.UserID]; c.StandingIn != 0 || c.Enterprises != own {
			t.Errorf("the stand-in after the handover: %+v; want its own %d", c, own)
		}
		if _, err := s.Enterprise(ctx, s.As(t, cadres[1]), first); err != nil {
			t.Errorf("the successor does not read it: %v", err)
		}
		if _, err := s.Enterprise(ctx, s.As(t, cadres[0]), first); !fault.Is(err, fault.NotFound) {
			t.Errorf("the stand-in still reads it: %v", err)
		}
		if _, err := s.EndStandIn(ctx, org, standIn.UserID, successor.UserID, "再次移交"); !fault.Is(err, fault.NotFound) {
			t.Errorf("a stand-in with nothing held hands over: %v", err)
		}

		if err := s.SetTerm(ctx, org, successor.UserID, "2027-06-30"); err != nil {
			t.Fatal(err)
		}
		if c := roster()[successor.UserID]; c.TermUntil != "2027-06-30" {
			t.Errorf("term: %q", c.TermUntil)
		}
		if err := s.SetTerm(ctx, org, successor.UserID, "明年"); err == nil {
			t.Error("a term's end that is no date")
		}
		if err := s.SetTerm(ctx, s.As(t, "community"), successor.UserID, ""); err != access.ErrForbidden {
			t.Errorf("community staff set a term: %v", err)
		}
	})
}
