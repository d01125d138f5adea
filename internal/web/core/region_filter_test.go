package core

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"qifu/internal/access"
	"qifu/internal/pgtest"
	"qifu/internal/place"
	"qifu/internal/store"
)

// regionTreeOf returns cities×2 districts×2 streets×2 communities×3 grids,
// parents before children.
func regionTreeOf(cities int) []place.Region {
	var all []place.Region
	add := func(code, parent string) {
		all = append(all, place.Region{Code: code, Name: "R" + code, Level: place.LevelOf(code), ParentCode: parent})
	}
	for c := 1; c <= cities; c++ {
		city := fmt.Sprintf("33%02d00", c)
		add(city, "")
		for d := 1; d <= 2; d++ {
			district := fmt.Sprintf("33%02d%02d", c, d)
			add(district, city)
			for s := 1; s <= 2; s++ {
				street := fmt.Sprintf("%s%03d", district, s)
				add(street, district)
				for m := 1; m <= 2; m++ {
					community := fmt.Sprintf("%s%03d", street, m)
					add(community, street)
					for g := 1; g <= 3; g++ {
						add(fmt.Sprintf("%s%03d", community, g), community)
					}
				}
			}
		}
	}
	slices.SortStableFunc(all, func(a, b place.Region) int { return int(a.Level) - int(b.Level) })
	return all
}

// TestRegionFilterTree builds region filters over a store holding a tree
// of two cities, as actors of different scopes see it, and the places
// page's tree: which regions are listed without their children.
func TestRegionFilterTree(t *testing.T) {
	codes := func(f RegionFilter) string {
		var s []string
		for _, c := range f.Choices {
			s = append(s, c.Indent+c.Code)
		}
		return strings.Join(s, " ")
	}
	admin := access.Actor{Role: access.RoleAdmin}
	cityLeader := access.Actor{Role: access.RoleCityLeader, RegionCode: "330100", RegionLevel: place.City}
	communityStaff := access.Actor{Role: access.RoleCommunityStaff, RegionCode: "330102002002", RegionLevel: place.Community}
	filters := []struct {
		name     string
		actor    access.Actor
		selected string
		deepest  place.Level
		max      int
		bounded  bool
		want     string
	}{
		{"one city, every region down to communities, in tree order", cityLeader, "", place.Community, 100, false,
			"330101 　330101001 　　330101001001 　　330101001002 　330101002 　　330101002001 　　330101002002 " +
				"330102 　330102001 　　330102001001 　　330102001002 　330102002 　　330102002001 　　330102002002"},
		{"two cities are offered beside each other", admin, "", place.Street, 100, false,
			"330100 　330101 　　330101001 　　330101002 　330102 　　330102001 　　330102002 " +
				"330200 　330201 　　330201001 　　330201002 　330202 　　330202001 　　330202002"},
		{"too many: the cities and their districts", admin, "", place.Grid, 20, true,
			"330100 　330101 　330102 330200 　330201 　330202"},
		{"too many: around a chosen community, down to its grids", admin, "330202001002", place.Grid, 20, true,
			"330100 　330101 　330102 330200 　330201 　330202 　　330202001 　　　330202001001 　　　330202001002 " +
				"　　　　330202001002001 　　　　330202001002002 　　　　330202001002003 　　330202002"},
		{"too many: a chosen district of one city", cityLeader, "330102", place.Grid, 20, true,
			"330101 　330101001 　330101002 330102 　330102001 　330102002"},
		{"a chosen code outside the scope changes nothing", cityLeader, "330202", place.Grid, 20, true,
			"330101 　330101001 　330101002 330102 　330102001 　330102002"},
		{"the scope's part of the tree: one community", communityStaff, "", place.Grid, 100, false,
			"330102002002 　330102002002001 　330102002002002 　330102002002003"},
		{"a cadre has no region filter", access.Actor{Role: access.RoleCadre, UserID: 1}, "", place.Grid, 100, false, ""},
	}
	trees := []struct {
		name     string
		q        store.RegionQuery
		selected string
		max      int
		want     string // the codes listed; those without their children marked +
	}{
		{"whole", store.RegionQuery{Under: "330101", Ancestors: true}, "", 100,
			"330100 330101 330101001 330101001001 330101001001001 330101001001002 330101001001003 330101001002 " +
				"330101001002001 330101001002002 330101001002003 330101002 330101002001 330101002001001 330101002001002 " +
				"330101002001003 330101002002 330101002002001 330101002002002 330101002002003"},
		{"a district's, opened at itself, with its city", store.RegionQuery{Under: "330101", Ancestors: true}, "330101", 10,
			"330100 330101 330101001+ 330101002+"},
		{"the whole tree, opened at a street", store.RegionQuery{}, "330202001", 10,
			"330100 330101+ 330102+ 330200 330201+ 330202 330202001 330202001001+ 330202001002+ 330202002+"},
		{"down to streets: a street's children are not listed, and it has none", store.RegionQuery{Deepest: place.Street}, "330202001", 10,
			"330100 330101+ 330102+ 330200 330201+ 330202 330202001 330202002"},
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := filepath.Join(t.TempDir(), "qifu.db")
			if kind == "postgres" {
				dsn = pgtest.DSN(t)
			}
			st, err := store.Open(ctx, store.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := st.WithTx(ctx, func(tx *store.Tx) error { return tx.InsertRegions(ctx, regionTreeOf(2)) }); err != nil {
				t.Fatal(err)
			}
			s := &Core{store: st}
			for _, tt := range filters {
				t.Run(tt.name, func(t *testing.T) {
					f, err := s.RegionChoices(ctx, tt.actor, tt.selected, tt.deepest, tt.max)
					if err != nil {
						t.Fatal(err)
					}
					if got := codes(f); got != tt.want || f.Bounded != tt.bounded {
						t.Errorf("got (bounded %v)\n%s\nwant (bounded %v)\n%s", f.Bounded, got, tt.bounded, tt.want)
					}
				})
			}
			for _, tt := range trees {
				t.Run("tree: "+tt.name, func(t *testing.T) {
					nodes, _, err := s.RegionTree(ctx, admin, tt.q, tt.selected, tt.max, false)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, n := range nodes {
						if n.Closed {
							n.Code += "+"
						}
						got = append(got, n.Code)
					}
					if g := strings.Join(got, " "); g != tt.want {
						t.Errorf("got\n%s\nwant\n%s", g, tt.want)
					}
				})
			}
		})
	}
}

// TestRegionFilterBounded checks the region filters of the pages once a
// district holds more regions than one list offers: a leader gets the
// streets, then a chosen community's street's communities and its grids,
