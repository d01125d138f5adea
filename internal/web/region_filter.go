package web

import (
	"net/http"
	"slices"
	"strings"

	"qifu/internal/access"
	"qifu/internal/place"
)

// regionFilter is the region <select> of a list or figures page.
type regionFilter struct {
	Choices []regionChoice
	// Bounded is set when the scope holds more regions than one list should
	// offer: then only those around the chosen region are listed (its
	// ancestors with their children, and its own children), and choosing a
	// region and filtering lists the regions below it.
	Bounded bool
}

// regionChoice is one option, indented under its parent.
type regionChoice struct {
	Code, Name string
	Indent     string
}

// regionChoicesMax is how many regions a filter lists whole: a district of
// the demo's layout holds about 90, a city about 5,000 and a province 45,000.
const regionChoicesMax = 400

// regionFilter builds the region filter of the actor's scope, down to the
// level deepest, around the selected region.
func (s *Server) regionFilter(r *http.Request, a access.Actor, selected string, deepest place.Level) (regionFilter, error) {
	regions, err := s.visibleRegions(r, a)
	if err != nil {
		return regionFilter{}, err
	}
	return buildRegionFilter(regions, selected, deepest, regionChoicesMax), nil
}

// buildRegionFilter lists regions (parents before children) down to the
// level deepest, in tree order. A city is offered only beside other cities.
// With more than max regions to offer, only the top ones with their
// children, the selected region's ancestors with theirs, and the selected
// region's children are.
func buildRegionFilter(regions []place.Region, selected string, deepest place.Level, max int) regionFilter {
	cities := 0
	for _, r := range regions {
		if r.Level == place.City {
			cities++
		}
	}
	in := map[string]place.Region{}
	var order []string
	for _, r := range regions {
		if r.Level > deepest || r.Level == place.City && cities < 2 {
			continue
		}
		in[r.Code] = r
		order = append(order, r.Code)
	}
	children := map[string][]string{}
	var roots []string
	for _, code := range order {
		if p := in[code].ParentCode; p != "" && in[p].Code != "" {
			children[p] = append(children[p], code)
		} else {
			roots = append(roots, code)
		}
	}
	for _, list := range children {
		slices.Sort(list)
	}
	slices.Sort(roots)

	f := regionFilter{Bounded: len(in) > max}
	shown := func(string) bool { return true }
	if f.Bounded {
		open := map[string]bool{} // regions whose children are listed
		for _, c := range roots {
			open[c] = true
		}
		for c := selected; in[c].Code != ""; c = in[c].ParentCode {
			open[c] = true
		}
		shown = func(code string) bool {
			p := in[code].ParentCode
			return in[p].Code == "" || open[p]
		}
	}
	var walk func(code string, depth int)
	walk = func(code string, depth int) {
		if !shown(code) {
			return
		}
		r := in[code]
		f.Choices = append(f.Choices, regionChoice{Code: r.Code, Name: r.Name, Indent: strings.Repeat("　", depth)})
		for _, c := range children[code] {
			walk(c, depth+1)
		}
	}
	for _, c := range roots {
		walk(c, 0)
	}
	return f
}
