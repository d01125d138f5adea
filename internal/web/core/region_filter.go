package core

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"qifu/internal/access"
	"qifu/internal/place"
	"qifu/internal/store"
)

// RegionFilter is the region <select> of a list or figures page.
type RegionFilter struct {
	Choices []RegionChoice
	// Bounded is set when the scope holds more regions than one list should
	// offer: then only those around the chosen region are listed (its
	// ancestors with their children, and its own children), and choosing a
	// region and filtering lists the regions below it.
	Bounded bool
}

// RegionChoice is one option, indented under its parent.
type RegionChoice struct {
	Code, Name string
	Indent     string
}

// RegionsShownMax is how many regions a filter or the places page lists
// whole: a district of the demo's layout holds about 90, a city about 5,000
// and a province 45,000. Beyond it, only those around a chosen region are
// (RegionsAround).
const RegionsShownMax = 400

// RegionFilter builds the region filter of the actor's scope, down to the
// level deepest, around the selected region (see RegionTree). A city is
// offered only beside other cities.
func (c *Core) RegionFilter(r *http.Request, a access.Actor, selected string, deepest place.Level) (RegionFilter, error) {
	return c.RegionChoices(r.Context(), a, selected, deepest, RegionsShownMax)
}

// RegionChoices is RegionFilter with at most max regions listed whole.
func (c *Core) RegionChoices(ctx context.Context, a access.Actor, selected string, deepest place.Level, max int) (RegionFilter, error) {
	under, ok := FilterScope(a)
	if !ok {
		return RegionFilter{}, nil
	}
	nodes, bounded, err := c.RegionTree(ctx, a, store.RegionQuery{Under: under, Deepest: deepest}, selected, max, true)
	if err != nil {
		return RegionFilter{}, err
	}
	f := RegionFilter{Bounded: bounded}
	for _, n := range nodes {
		f.Choices = append(f.Choices, RegionChoice{Code: n.Code, Name: n.Name, Indent: strings.Repeat("　", n.Depth)})
	}
	return f, nil
}

// FilterScope is the region whose subtree the actor's filters offer: the
// region of its enterprise scope, or "" for the whole tree; ok is false for
// a role with no regions to filter by.
func FilterScope(a access.Actor) (under string, ok bool) {
	if !access.May(a.Role, access.RegionRead) {
		return "", false
	}
	switch f := access.FilterFor(a, access.EnterpriseRead); f.Reach {
	case access.All:
		return "", true
	case access.Region:
		return f.Code, true
	}
	return "", false
}

// TreeNode is a region in tree order, at its depth below the top of the
// list.
type TreeNode struct {
	place.Region
	Depth int
	// Closed is set on a region whose children are left out of a bounded
	// list.
	Closed bool
}

// RegionTree reads the part of the region tree of q that a page lists,
// around the selected region: all of it when it holds at most max regions;
// otherwise only the top ones with their children, and the selected
// region's ancestors with their children and its own children — choosing a
// region opens the next level below it. With noLoneCity, a city is left
// out unless there are others (its children are then the top ones).
func (c *Core) RegionTree(ctx context.Context, a access.Actor, q store.RegionQuery, selected string, max int, noLoneCity bool) ([]TreeNode, bool, error) {
	counts, err := c.store.CountRegions(ctx, a, q)
	if err != nil {
		return nil, false, err
	}
	dropCity := noLoneCity && counts[place.City] == 1
	if dropCity {
		delete(counts, place.City)
	}
	total, top := 0, place.Level(0)
	for l, n := range counts {
		total += n
		if n > 0 && (top == 0 || l < top) {
			top = l
		}
	}
	bounded := total > max
	if bounded {
		// The top level with the next, and the chosen region's chain
		// opened.
		q.Top = top + 1
		if selected != "" {
			q.Open = append([]string{selected}, place.Above(selected)...)
		}
	}
	list, err := c.store.Regions(ctx, a, q)
	if err != nil {
		return nil, false, err
	}
	if dropCity {
		list = slices.DeleteFunc(list, func(r place.Region) bool { return r.Level == place.City })
	}
	nodes, leaves := RegionsAround(list, selected, bounded)
	if len(leaves) > 0 {
		// Which of the regions listed without their children have some.
		has, err := c.store.WithChildren(ctx, a, leaves, q.Deepest)
		if err != nil {
			return nil, false, err
		}
		for i := range nodes {
			nodes[i].Closed = has[nodes[i].Code]
		}
	}
	return nodes, bounded, nil
}

// RegionsAround puts regions (parents before children) in tree order. A
// region whose parent is not among them is a top one. In a bounded list,
// only the top ones and the selected region and its ancestors are opened:
// leaves are the codes of the others above the grids, whose children, if
// they have any, are left out.
func RegionsAround(regions []place.Region, selected string, bounded bool) (nodes []TreeNode, leaves []string) {
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
		n := TreeNode{Region: in[code], Depth: depth}
		nodes = append(nodes, n)
		if !open(code) {
			if n.Level < place.Grid {
				leaves = append(leaves, code)
			}
			return
		}
		for _, c := range children[code] {
			walk(c, depth+1)
		}
	}
	for _, c := range roots {
		walk(c, 0)
	}
	return nodes, leaves
}
