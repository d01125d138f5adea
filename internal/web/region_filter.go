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

// regionsShownMax is how many regions a filter or the places page lists
// whole: a district of the demo's layout holds about 90, a city about 5,000
// and a province 45,000. Beyond it, only those around a chosen region are
// (regionsAround).
const regionsShownMax = 400

// regionFilter builds the region filter of the actor's scope, down to the
// level deepest, around the selected region.
func (s *Server) regionFilter(r *http.Request, a access.Actor, selected string, deepest place.Level) (regionFilter, error) {
	regions, err := s.visibleRegions(r, a)
	if err != nil {
		return regionFilter{}, err
	}
	return buildRegionFilter(regions, selected, deepest, regionsShownMax), nil
}

// buildRegionFilter lists regions (parents before children) down to the
// level deepest, in tree order. A city is offered only beside other cities.
// With more than max regions to offer, only those around the selected one
// are (see regionsAround).
func buildRegionFilter(regions []place.Region, selected string, deepest place.Level, max int) regionFilter {
	cities := 0
	for _, r := range regions {
		if r.Level == place.City {
			cities++
		}
	}
	var offered []place.Region
	for _, r := range regions {
		if r.Level <= deepest && (r.Level != place.City || cities > 1) {
			offered = append(offered, r)
		}
	}
	nodes, bounded := regionsAround(offered, selected, max)
	f := regionFilter{Bounded: bounded}
	for _, n := range nodes {
		f.Choices = append(f.Choices, regionChoice{Code: n.Code, Name: n.Name, Indent: strings.Repeat("　", n.Depth)})
	}
	return f
}

// treeNode is a region in tree order, at its depth below the top of the
// list.
type treeNode struct {
	place.Region
	Depth int
	// Closed is set on a region whose children are left out of a bounded
	// list.
	Closed bool
}

// regionsAround returns regions (parents before children) in tree order. A
// region whose parent is not among them is a top one. With more than max
// regions, only the top ones with their children are returned, and the
// selected region's ancestors with their children and its own children:
// choosing a region opens the next level below it.
func regionsAround(regions []place.Region, selected string, max int) (nodes []treeNode, bounded bool) {
	in := make(map[string]place.Region, len(regions))
	for _, r := range regions {
		in[r.Code] = r
	}
	children := map[string][]string{}
	var roots []string
	for _, r := range regions {
		if _, ok := in[r.ParentCode]; ok {
			children[r.ParentCode] = append(children[r.ParentCode], r.Code)
		} else {
			roots = append(roots, r.Code)
		}
	}
	for _, list := range children {
		slices.Sort(list)
	}
	slices.Sort(roots)

	bounded = len(regions) > max
	open := func(string) bool { return true } // whether a region's children are listed
	if bounded {
		opened := map[string]bool{}
		for _, c := range roots {
			opened[c] = true
		}
		for c := selected; in[c].Code != ""; c = in[c].ParentCode {
			opened[c] = true
		}
		open = func(code string) bool { return opened[code] }
	}
	var walk func(code string, depth int)
	walk = func(code string, depth int) {
		n := treeNode{Region: in[code], Depth: depth, Closed: !open(code) && len(children[code]) > 0}
		nodes = append(nodes, n)
		if n.Closed {
			return
		}
		for _, c := range children[code] {
			walk(c, depth+1)
		}
	}
	for _, c := range roots {
		walk(c, 0)
	}
	return nodes, bounded
}
