package store_test

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

func TestRegions(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()

		t.Run("demo loads only into an empty store", func(t *testing.T) {
			if empty, err := s.Empty(ctx); err != nil || empty {
				t.Fatalf("Empty = %v, %v; want false", empty, err)
			}
			storetest.WantKind(t, s.LoadDemo(ctx, dataset), fault.Conflict)
		})

		t.Run("tree", func(t *testing.T) {
			list, err := s.Regions(ctx, s.As(t, "grid"), store.RegionQuery{})
			if err != nil || len(list) != len(dataset.Regions) {
				t.Fatalf("Regions = %d regions, %v; want %d", len(list), err, len(dataset.Regions))
			}
			for i, r := range list {
				if i > 0 && r.Level < list[i-1].Level {
					t.Errorf("region %s of level %d listed after level %d", r.Code, r.Level, list[i-1].Level)
				}
			}
			_, err = s.Regions(ctx, s.As(t, "enterprise"), store.RegionQuery{})
			storetest.WantForbidden(t, err)
		})

		t.Run("departments", func(t *testing.T) {
			list, err := s.Departments(ctx, s.As(t, "enterprise"))
			if err != nil || len(list) != len(dataset.Departments) {
				t.Fatalf("Departments = %d, %v; want %d", len(list), err, len(dataset.Departments))
			}
			staff, err := s.DepartmentStaffCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			for _, u := range dataset.Users {
				if u.DepartmentCode != "" {
					want[u.DepartmentCode]++ // the department's own staff, and its offices'
				}
			}
			for i, d := range list {
				if d.Code != dataset.Departments[i].Code || d.RegionCode != dataset.Departments[i].RegionCode {
					t.Errorf("department %d = %s of %s; want %s of %s", i, d.Code, d.RegionCode,
						dataset.Departments[i].Code, dataset.Departments[i].RegionCode)
				}
				if staff[d.ID] != want[d.Code] || want[d.Code] == 0 {
					t.Errorf("department %s has %d staff; the demo gives it %d", d.Code, staff[d.ID], want[d.Code])
				}
			}
		})

		t.Run("grid loads", func(t *testing.T) {
			community := storetest.DemoUser(t, "community").RegionCode
			want := map[string]int{}
			for _, e := range dataset.Enterprises {
				if e.CommunityCode == community {
					want[e.GridCode]++
				}
			}
			list, err := s.GridLoads(ctx, s.As(t, "community"), "")
			if err != nil || len(list) != len(want) {
				t.Fatalf("GridLoads = %d grids, %v; want %d", len(list), err, len(want))
			}
			for _, g := range list {
				if g.Enterprises != want[g.Code] || g.WorkerID == 0 || g.WorkerName == "" {
					t.Errorf("grid %s: %d enterprises, worker %d %q; want %d and a worker", g.Code, g.Enterprises,
						g.WorkerID, g.WorkerName, want[g.Code])
				}
				if g.OutsideNorm != (want[g.Code] < place.GridNormMin || want[g.Code] > place.GridNormMax) {
					t.Errorf("grid %s with %d enterprises: outside norm %v", g.Code, g.Enterprises, g.OutsideNorm)
				}
			}
			all, err := s.GridLoads(ctx, s.As(t, "admin"), "")
			if err != nil || len(all) <= len(list) {
				t.Errorf("GridLoads(admin) = %d grids, %v; want more than the community's %d", len(all), err, len(list))
			}
			under, err := s.GridLoads(ctx, s.As(t, "admin"), community)
			if err != nil || len(under) != len(list) {
				t.Errorf("GridLoads(admin, under %s) = %d grids, %v; want %d", community, len(under), err, len(list))
			}
			// A cadre counts only the enterprises assigned to it.
			cadre, err := s.GridLoads(ctx, s.As(t, "cadre"), "")
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, g := range cadre {
				sum += g.Enterprises
			}
			if want := len(storetest.DemoUser(t, "cadre").Assigned); sum != want {
				t.Errorf("GridLoads(cadre) counts %d enterprises; want the %d assigned", sum, want)
			}
			_, err = s.GridLoads(ctx, s.As(t, "lawyer"), "")
			storetest.WantForbidden(t, err)

			// The summary and the loads of chosen grids agree with the
			// loads of them all, for each scope; a new grid has no worker.
			if err := s.WithTx(ctx, func(tx *store.Tx) error {
				return tx.InsertRegions(ctx, []place.Region{{Code: community + "998", Name: "新网格", Level: place.Grid, ParentCode: community}})
			}); err != nil {
				t.Fatal(err)
			}
			for _, who := range []string{"admin", "district_leader", "community", "cadre"} {
				actor := s.As(t, who)
				for _, under := range []string{"", community} {
					loads, err := s.GridLoads(ctx, actor, under)
					if err != nil {
						t.Fatal(err)
					}
					var want store.GridSummary
					var codes []string
					for i, g := range loads {
						want.Grids++
						if g.OutsideNorm {
							want.Outside++
							if len(want.FirstOutside) < 2 {
								want.FirstOutside = append(want.FirstOutside, g)
							}
						}
						if g.WorkerID == 0 {
							want.NoWorker++
						}
						if i%2 == 0 {
							codes = append(codes, g.Code)
						}
					}
					got, err := s.GridSummary(ctx, actor, under, 2)
					if err != nil || !reflect.DeepEqual(got, want) {
						t.Errorf("GridSummary(%s, under %q) = %+v, %v\nwant %+v", who, under, got, err, want)
					}
					if who == "admin" && under == "" && (want.Outside < 2 || want.NoWorker == 0) {
						t.Errorf("the demo has %d grids outside the norm and %d with no worker: the summary is not tested", want.Outside, want.NoWorker)
					}
					of, err := s.GridLoadsOf(ctx, actor, append(codes, "999999999999999"))
					var wantOf []store.GridLoad
					for i, g := range loads {
						if i%2 == 0 {
							wantOf = append(wantOf, g)
						}
					}
					if err != nil || !reflect.DeepEqual(of, wantOf) {
						t.Errorf("GridLoadsOf(%s, %d codes) = %d grids, %v; want %d", who, len(codes), len(of), err, len(wantOf))
					}
				}
			}
			// Grids outside a community leader's scope are left out.
			for _, g := range all {
				if !strings.HasPrefix(g.Code, community) {
					if of, err := s.GridLoadsOf(ctx, s.As(t, "community"), []string{g.Code}); err != nil || len(of) != 0 {
						t.Errorf("GridLoadsOf(community, another community's grid) = %v, %v; want none", of, err)
					}
					break
				}
			}
			_, err = s.GridSummary(ctx, s.As(t, "lawyer"), "", 5)
			storetest.WantForbidden(t, err)
		})

		t.Run("grid worker", func(t *testing.T) {
			admin := s.As(t, "admin")
			staff := s.As(t, "community")
			community := staff.RegionCode
			var home, away []string // grids inside and outside the community
			for _, r := range dataset.Regions {
				if r.Level == place.Grid && r.ParentCode == community {
					home = append(home, r.Code)
				} else if r.Level == place.Grid {
					away = append(away, r.Code)
				}
			}
			worker := s.createUser(t, account.User{Username: "new.grid", Name: "新网格员", Role: access.RoleGridWorker, RegionCode: home[1]})
			stranger := s.createUser(t, account.User{Username: "far.grid", Name: "外网格员", Role: access.RoleGridWorker, RegionCode: away[0]})
			loads := func(t *testing.T) map[string]store.GridLoad {
				t.Helper()
				list, err := s.GridLoads(ctx, admin, "")
				if err != nil {
					t.Fatal(err)
				}
				m := map[string]store.GridLoad{}
				for _, g := range list {
					m[g.Code] = g
				}
				return m
			}
			awayWorker := loads(t)[away[0]].WorkerID
			mover := loads(t)[home[2]].WorkerID

			tests := []struct {
				name  string
				actor access.Actor
				grid  string
				user  int64
				kind  fault.Kind // "" for success
				code  string     // of the error
			}{
				{"not a grid worker", admin, home[0], s.As(t, "cadre").UserID, fault.Invalid, "not_grid_worker"},
				{"community staff are not grid workers", admin, home[0], staff.UserID, fault.Invalid, "not_grid_worker"},
				{"no such user", admin, home[0], 1 << 40, fault.Invalid, "no_such_worker"},
				{"not a grid", admin, community, worker.ID, fault.NotFound, ""},
				{"no such grid", admin, community + "999", worker.ID, fault.NotFound, ""},
				{"grid outside the community", staff, away[0], worker.ID, fault.NotFound, ""},
				{"worker outside the community", staff, home[0], stranger.ID, fault.Invalid, "no_such_worker"},
				{"street leader may not", s.As(t, "street_leader"), home[0], worker.ID, fault.Forbidden, ""},
				{"community staff name a worker", staff, home[0], worker.ID, "", ""},
				{"administrator names a worker anywhere", admin, away[1], stranger.ID, "", ""},
				{"a worker moves to another grid", staff, home[3], mover, "", ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					err := s.SetGridWorker(ctx, tt.actor, tt.grid, tt.user)
					if tt.kind != "" {
						storetest.WantKind(t, err, tt.kind)
						if tt.code != "" && fault.As(err).Code != tt.code {
							t.Errorf("error code %s; want %s", fault.As(err).Code, tt.code)
						}
						return
					}
					if err != nil {
						t.Fatalf("SetGridWorker: %v", err)
					}
					m := loads(t)
					if m[tt.grid].WorkerID != tt.user {
						t.Errorf("grid %s has worker %d; want %d", tt.grid, m[tt.grid].WorkerID, tt.user)
					}
					a, err := s.Actor(ctx, tt.user)
					if err != nil || a.RegionCode != tt.grid {
						t.Errorf("the worker's scope is %s, %v; want grid %s", a.RegionCode, err, tt.grid)
					}
				})
			}
			// The workers left the grids they had: no grid names a worker
			// whose scope is elsewhere.
			m := loads(t)
			if m[home[2]].WorkerID != 0 {
				t.Errorf("grid %s still names worker %d, who moved to %s", home[2], m[home[2]].WorkerID, home[3])
			}
			if m[away[0]].WorkerID != awayWorker {
				t.Errorf("grid %s: worker %d; want its own %d kept", away[0], m[away[0]].WorkerID, awayWorker)
			}
			for code, g := range m {
				if g.WorkerID == 0 {
					continue
				}
				a, err := s.Actor(ctx, g.WorkerID)
				if err != nil || a.RegionCode != code {
					t.Errorf("grid %s names worker %d, whose scope is %q (%v)", code, g.WorkerID, a.RegionCode, err)
				}
			}
			if _, err := s.VerifyAudit(ctx); err != nil {
				t.Errorf("VerifyAudit: %v", err)
			}
		})
	})
}

// TestRegionNames names the regions asked for, leaves out codes of no
// region, and refuses those who may not read regions.
func TestRegionNames(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		leader := s.As(t, "district_leader")
		all, err := s.Regions(ctx, leader, store.RegionQuery{})
		if err != nil || len(all) < 3 {
			t.Fatalf("regions: %d, %v", len(all), err)
		}
		want := map[string]string{}
		var codes []string
		for _, r := range all[len(all)-3:] {
			want[r.Code] = r.Name
			codes = append(codes, r.Code)
		}
		got, err := s.RegionNames(ctx, leader, append(codes, "999999999999999"))
		if err != nil || !maps.Equal(got, want) {
			t.Errorf("RegionNames = %v, %v; want %v", got, err, want)
		}
		_, err = s.RegionNames(ctx, s.As(t, "enterprise"), codes)
		storetest.WantForbidden(t, err)
	})
}

// TestRegionQuery selects parts of the tree: a subtree with or without its
// ancestors, down to a level, and a large tree's top levels with the chain
// of a chosen region opened; compared with the same selection made over the
// whole tree.
func TestRegionQuery(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		leader := s.As(t, "district_leader")
		all, err := s.Regions(ctx, leader, store.RegionQuery{})
		if err != nil {
			t.Fatal(err)
		}
		// A community with grids, its street and district.
		var grid place.Region
		for _, r := range all {
			if r.Level == place.Grid {
				grid = r
			}
		}
		up := place.Above(grid.Code)
		community, street, district := up[0], up[1], up[2]
		under := func(code string) func(place.Region) bool {
			return func(r place.Region) bool {
				return strings.HasPrefix(r.Code, place.Prefix(code)) && r.Level >= place.LevelOf(code)
			}
		}
		tests := []struct {
			name string
			q    store.RegionQuery
			want func(place.Region) bool
		}{
			{"the whole tree", store.RegionQuery{}, func(place.Region) bool { return true }},
			{"a street's subtree", store.RegionQuery{Under: street}, under(street)},
			{"a community's subtree with its ancestors", store.RegionQuery{Under: community, Ancestors: true}, func(r place.Region) bool {
				return under(community)(r) || slices.Contains(up, r.Code)
			}},
			{"a district down to its communities", store.RegionQuery{Under: district, Deepest: place.Community}, func(r place.Region) bool {
				return under(district)(r) && r.Level <= place.Community
			}},
			{"the top two levels with a community's chain opened", store.RegionQuery{Top: place.District, Open: append([]string{community}, up...)},
				func(r place.Region) bool {
					return r.Level <= place.District || slices.Contains(up, r.Code) || r.Code == community ||
						slices.Contains(up, r.ParentCode) || r.ParentCode == community
				}},
			{"a city's subtree (its code's first four digits)", store.RegionQuery{Under: up[3]}, under(up[3])},
			{"no region under an unknown code", store.RegionQuery{Under: "330299"}, func(place.Region) bool { return false }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var want []string
				byLevel := map[place.Level]int{}
				for _, r := range all {
					if tt.want(r) {
						want = append(want, r.Code)
						byLevel[r.Level]++
					}
				}
				list, err := s.Regions(ctx, leader, tt.q)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range list {
					got = append(got, r.Code)
				}
				if !slices.Equal(got, want) {
					t.Errorf("Regions = %d regions %v\nwant %d %v", len(got), got, len(want), want)
				}
				n, err := s.CountRegions(ctx, leader, tt.q)
				if err != nil || !maps.Equal(n, byLevel) {
					t.Errorf("CountRegions = %v, %v; want %v", n, err, byLevel)
				}
			})
		}
		has, err := s.WithChildren(ctx, leader, []string{district, community, grid.Code, "999999"}, place.Street)
		if want := map[string]bool{district: true}; err != nil || !maps.Equal(has, want) {
			t.Errorf("WithChildren down to streets = %v, %v; want %v", has, err, want)
		}
		has, err = s.WithChildren(ctx, leader, []string{district, community, grid.Code}, 0)
		if want := map[string]bool{district: true, community: true}; err != nil || !maps.Equal(has, want) {
			t.Errorf("WithChildren = %v, %v; want %v", has, err, want)
		}
		// A code that does not extend its parent's is refused.
		err = s.WithTx(ctx, func(tx *store.Tx) error {
			return tx.InsertRegions(ctx, []place.Region{{Code: "330299001001001", Name: "错位网格", Level: place.Grid, ParentCode: community}})
		})
		storetest.WantKind(t, err, fault.Invalid)
		_, err = s.CountRegions(ctx, s.As(t, "enterprise"), store.RegionQuery{})
		storetest.WantForbidden(t, err)
		_, err = s.WithChildren(ctx, s.As(t, "enterprise"), []string{district}, 0)
		storetest.WantForbidden(t, err)
	})
}
