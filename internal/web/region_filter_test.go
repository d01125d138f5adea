package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

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
			if !slices.Contains(all, community) || slices.Contains(all, grid) || len(all) > core.RegionsShownMax {
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
