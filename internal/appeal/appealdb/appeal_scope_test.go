package appealdb_test

import (
	"context"
	"slices"
	"testing"

	"qifu/internal/access"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// TestAppealScope replays a demo history and checks, for every demo account,
// that the appeal list, its count and its export hold exactly the appeals an
// oracle written from the access rules says the account may see, and that
// one appeal outside that set answers 404.
func TestAppealScope(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		now := start.AddDate(0, 2, 0)
		plans, moves := demo.History(dataset, 11, now, 120)
		clk := storetest.NewClock(start)
		rs := openStore(t, s.DSN, clk)
		if _, err := rs.ReplayHistory(ctx, plans, moves, clk.Set); err != nil {
			t.Fatal(err)
		}
		// And two of the showcase enterprise's own, whatever the history drew.
		s.raise(t, "enterprise", "")
		s.raise(t, "enterprise", "")
		// The oracle's facts, read behind the store's back.
		db := s.Raw(t)
		type fact struct {
			ancestry   place.Ancestry
			enterprise int64
			raisedBy   int64
			depts      []int64
		}
		facts := map[int64]*fact{}
		rows, err := db.Query(`SELECT id, grid_code, community_code, street_code, district_code, city_code, enterprise_id, raised_by FROM appeals`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			f := &fact{}
			a := &f.ancestry
			if err := rows.Scan(&id, &a.Grid, &a.Community, &a.Street, &a.District, &a.City, &f.enterprise, &f.raisedBy); err != nil {
				t.Fatal(err)
			}
			facts[id] = f
		}
		rows.Close()
		rows, err = db.Query("SELECT appeal_id, department_id FROM appeal_dispatches")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, d int64
			rows.Scan(&id, &d)
			facts[id].depts = append(facts[id].depts, d)
		}
		rows.Close()
		assigned := map[int64]map[int64]bool{}
		rows, err = db.Query("SELECT user_id, enterprise_id FROM assignments")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var u, e int64
			rows.Scan(&u, &e)
			if assigned[u] == nil {
				assigned[u] = map[int64]bool{}
			}
			assigned[u][e] = true
		}
		rows.Close()
		sees := func(a access.Actor, f *fact) bool {
			switch a.Role {
			case access.RoleAdmin:
				return true
			case access.RoleEnterprise:
				return a.EnterpriseID == f.enterprise
			case access.RoleGridWorker, access.RoleCommunityStaff, access.RoleStreetLeader, access.RoleDistrictLeader, access.RoleCityLeader:
				return f.ancestry.At(a.RegionLevel) == a.RegionCode
			case access.RoleDepartment:
				return slices.Contains(f.depts, a.DepartmentID)
			case access.RoleCadre:
				return assigned[a.UserID][f.enterprise] || f.raisedBy == a.UserID
			}
			return false
		}
		for _, u := range dataset.Users {
			if !slices.Contains([]string{"admin", "city_leader", "district_leader", "street_leader", "community", "grid",
				"dept_tax", "dept_hrss", "dept_union", "cadre", "enterprise", "lawyer", "auditor"}, u.Username) {
				continue
			}
			a := s.As(t, u.Username)
			want := map[int64]bool{}
			for id, f := range facts {
				if sees(a, f) {
					want[id] = true
				}
			}
			got := map[int64]bool{}
			for page := 1; ; page++ {
				list, _, err := s.Appeals(ctx, a, appealdb.AppealQuery{Page: store.Page{Number: page, Size: store.MaxPageSize}})
				if fault.Is(err, fault.Forbidden) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range list {
					got[r.ID] = true
				}
				if len(list) < store.MaxPageSize {
					break
				}
			}
			n, err := s.CountAppeals(ctx, a, appealdb.AppealQuery{})
			if fault.Is(err, fault.Forbidden) {
				n, err = 0, nil
			}
			if err != nil {
				t.Fatal(err)
			}
			exported := 0
			if err := s.ExportAppeals(ctx, a, appealdb.AppealQuery{}, func(appealdb.AppealRow) error { exported++; return nil }); err != nil && !fault.Is(err, fault.Forbidden) {
				t.Fatal(err)
			}
			var missing, extra []int64
			for id := range want {
				if !got[id] {
					missing = append(missing, id)
				}
			}
			for id := range got {
				if !want[id] {
					extra = append(extra, id)
				}
			}
			if len(missing)+len(extra) > 0 || n != len(want) || exported != len(want) {
				t.Errorf("%s: list misses %v, shows %v beyond the oracle; count %d, export %d, oracle %d",
					u.Username, missing, extra, n, exported, len(want))
			}
			// One appeal outside the set is not found.
			for id := range facts {
				if !want[id] {
					if _, err := s.Appeal(ctx, a, id); !fault.Is(err, fault.NotFound) && !fault.Is(err, fault.Forbidden) {
						t.Errorf("%s reads appeal %d outside its scope: %v", u.Username, id, err)
					}
					break
				}
			}
			t.Logf("%s sees %d of %d appeals", u.Username, len(want), len(facts))
		}
	})
}
