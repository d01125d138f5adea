package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"qifu/internal/access"
	"qifu/internal/pgtest"
	"qifu/internal/place"
	"qifu/internal/store"
)

// regionTree returns cities×2 districts×2 streets×2 communities×3 grids,
// parents before children.
func regionTree(cities int) []place.Region {
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
	codes := func(f regionFilter) string {
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
			if err := st.WithTx(ctx, func(tx *store.Tx) error { return tx.InsertRegions(ctx, regionTree(2)) }); err != nil {
				t.Fatal(err)
			}
			s := &Server{store: st}
			for _, tt := range filters {
				t.Run(tt.name, func(t *testing.T) {
					f, err := s.regionChoices(ctx, tt.actor, tt.selected, tt.deepest, tt.max)
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
					nodes, _, err := s.regionTree(ctx, admin, tt.q, tt.selected, tt.max, false)
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
// with a note saying so.
func TestRegionFilterBounded(t *testing.T) {
	options := regexp.MustCompile(`<option value="(\d{6,15})"`)
	eachFreshStore(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		// A new street of the demo district: 20 communities of 25 grids.
		const street = "330206900"
		added := []place.Region{{Code: street, Name: "测试街道", Level: place.Street, ParentCode: "330206"}}
		for c := 1; c <= 20; c++ {
			community := fmt.Sprintf("%s%03d", street, c)
			added = append(added, place.Region{Code: community, Name: fmt.Sprintf("测试社区%d", c), Level: place.Community, ParentCode: street})
		}
		for c := 1; c <= 20; c++ {
			for g := 1; g <= 25; g++ {
				community := fmt.Sprintf("%s%03d", street, c)
				added = append(added, place.Region{Code: fmt.Sprintf("%s%03d", community, g), Name: fmt.Sprintf("测试网格%d-%d", c, g),
					Level: place.Grid, ParentCode: community})
			}
		}
		if err := s.st.WithTx(ctx, func(tx *store.Tx) error { return tx.InsertRegions(ctx, added) }); err != nil {
			t.Fatal(err)
		}
		listed := func(path string, bounded bool) []string {
			res := s.as(t, "district_leader", "GET", path, nil)
			if res.code != 200 {
				t.Fatalf("GET %s: %d", path, res.code)
			}
			if strings.Contains(string(res.body), "区划较多") != bounded {
				t.Errorf("GET %s: the note that the list is bounded is shown: %v", path, !bounded)
			}
			var codes []string
			for _, m := range options.FindAllStringSubmatch(string(res.body), -1) {
				codes = append(codes, m[1])
			}
			return codes
		}
		community, grid := street+"007", street+"007013"
		// The lists, whose filters go down to the grids: 560 regions.
		for _, page := range []string{"/appeals", "/enterprises"} {
			top := listed(page, true)
			if len(top) == 0 || len(top) > 60 || !slices.Contains(top, street) || slices.Contains(top, community) {
				t.Errorf("%s: %d options (want the district's streets, the new one among them, no communities of it): %v", page, len(top), top)
			}
			around := listed(page+"?"+url.Values{"region": {community}}.Encode(), true)
			if !slices.Contains(around, community) || !slices.Contains(around, street+"008") || !slices.Contains(around, grid) || len(around) > 100 {
				t.Errorf("%s around %s: %d options, want the street's communities and the community's grids: %v", page, community, len(around), around)
			}
			if slices.Contains(around, street+"008001") {
				t.Errorf("%s around %s: a grid of another community is listed", page, community)
			}
		}
		// The places page: the district's streets, the new one closed; a
		// chosen community opened down to its grids; the counts of grids
		// outside the norm over the whole scope still.
		rowID := regexp.MustCompile(`<tr id="(\d{6,15})"`)
		rows := func(path string) ([]string, string) {
			res := s.as(t, "district_leader", "GET", path, nil)
			if res.code != 200 || !strings.Contains(string(res.body), `id="places-bounded"`) {
				t.Fatalf("GET %s: %d, or no note that the tree is bounded", path, res.code)
			}
			var codes []string
			for _, m := range rowID.FindAllStringSubmatch(string(res.body), -1) {
				codes = append(codes, m[1])
			}
			return codes, string(res.body)
		}
		top, body := rows("/places")
		if !slices.Contains(top, street) || slices.Contains(top, community) || !strings.Contains(body, `href="/places?region=`+street+`"`) {
			t.Errorf("/places: want the new street closed, with a link to open it: %v", top)
		}
		var outside struct {
			Items []json.RawMessage `json:"items"`
		}
		s.as(t, "district_leader", "GET", "/api/v1/grids?outside_norm=true", nil).json(t, &outside)
		if want := fmt.Sprintf("<b>%d</b>", len(outside.Items)); len(outside.Items) < 500 || !strings.Contains(body, want) {
			t.Errorf("/places: the count of grids outside the norm is not %s", want)
		}
		// The home page counts them all and names a few, with a link to all.
		home := string(s.as(t, "district_leader", "GET", "/", nil).body)
		named := regexp.MustCompile(`<li><a href="/enterprises\?region=\d{15}">`).FindAllString(home, -1)
		if !strings.Contains(home, fmt.Sprintf("<b>%d</b>", len(outside.Items))) || len(named) != homeOutsideShown ||
			!strings.Contains(home, `id="home-outside-all"`) {
			t.Errorf("/: want %d grids outside the norm counted, %d named and a link to all; %d named", len(outside.Items), homeOutsideShown, len(named))
		}
		around, _ := rows("/places?region=" + community)
		if !slices.Contains(around, grid) || !slices.Contains(around, street+"008") || slices.Contains(around, street+"008001") || len(around) > 100 {
			t.Errorf("/places?region=%s: %d rows, want the community's grids and no other's: %v", community, len(around), around)
		}

		// The enterprise form: the administrator's 500 grids and more are
		// typed by code; a community's are listed.
		form := string(s.as(t, "admin", "GET", "/enterprises/new", nil).body)
		if !strings.Contains(form, `id="grid-code"`) || strings.Contains(form, `<option value="`+grid+`"`) {
			t.Errorf("/enterprises/new as the administrator: want the grid's code typed, not a list of every grid")
		}
		form = string(s.as(t, "community", "GET", "/enterprises/new", nil).body)
		if strings.Contains(form, `id="grid-code"`) || !strings.Contains(form, `<option value="`+showGrid+`"`) {
			t.Errorf("/enterprises/new as community staff: want its grids listed")
		}

		// The figures, whose filters stop at the communities: 60 regions, all listed.
		for _, page := range []string{"/assessment", "/overview"} {
			all := listed(page, false)
			if !slices.Contains(all, community) || slices.Contains(all, grid) || len(all) > regionsShownMax {
				t.Errorf("%s: %d options, want every street and community and no grid: %v", page, len(all), all)
			}
		}
	})
}

// TestRegionsAPI reads part of the tree: a region's subtree down to a level;
// a code or a depth that is none is refused (422) with the field named.
func TestRegionsAPI(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		var all, part struct {
			Items []regionJSON `json:"items"`
		}
		s.as(t, "admin", "GET", "/api/v1/regions", nil).json(t, &all)
		street := showGrid[:9]
		s.as(t, "admin", "GET", "/api/v1/regions?under="+street+"&depth=4", nil).json(t, &part)
		var want, got []string
		for _, r := range all.Items {
			if strings.HasPrefix(r.Code, street) && r.Level <= place.Community {
				want = append(want, r.Code)
			}
		}
		for _, r := range part.Items {
			got = append(got, r.Code)
		}
		if len(want) < 2 || !slices.Equal(got, want) {
			t.Errorf("regions under %s down to communities = %v; want %v", street, got, want)
		}
		for _, q := range []string{"under=33020", "under=abcdef", "depth=6", "depth=x"} {
			res := s.as(t, "admin", "GET", "/api/v1/regions?"+q, nil)
			if field := strings.SplitN(q, "=", 2)[0]; res.code != 422 || !strings.Contains(string(res.body), `"`+field+`"`) {
				t.Errorf("GET /api/v1/regions?%s: %d %s; want 422 naming %s", q, res.code, res.body, field)
			}
		}
	})
}
