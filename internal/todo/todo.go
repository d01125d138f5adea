// Package todo is one to-do list per person (待办): every open piece of
// work a person must act on — an appeal to accept, a dispatch to sign, an
// answer to rate; later a visit, a rectification, a survey to fill — in
// one list, sorted by time left, with its deadline's colour. The work
// stays in its module: each module is a Source that says which kinds of
// work a role is given and lists the actor's open work of a kind; the list
// joins them. Nothing is copied, so the list is always the union of the
// modules' open work.
package todo

import (
	"context"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
)

// Item is one piece of open work.
type Item struct {
	Kind       string // the kind of work: "appeal.triage"
	Ref, Title string // the record's number and title (user data)
	Enterprise string // the enterprise it is for, if any
	Href       string // where the work is done
	Due        time.Time
	Colour     string // of the deadline: "green", "yellow", "red"; "" when none
}

// A Source is a module's open work.
type Source interface {
	// TodoKinds are the kinds of work the module gives a role, each a key
	// "module.kind" whose words are "todo.<key>" in the site's catalog.
	TodoKinds(role access.Role) []string
	// Todo returns the actor's first limit open items of kind, by time left
	// (those without a deadline last), and how many there are.
	Todo(ctx context.Context, actor access.Actor, kind string, limit int) ([]Item, int, error)
}

// List is every person's to-do list.
type List struct{ sources []Source }

// NewList joins the modules' open work.
func NewList(sources ...Source) *List { return &List{sources: sources} }

// Module is the module of a kind ("appeal" of "appeal.triage").
func Module(kind string) string {
	m, _, _ := strings.Cut(kind, ".")
	return m
}

// Kinds are the kinds of work of a role, the modules' in order.
func (l *List) Kinds(role access.Role) []string {
	var out []string
	for _, s := range l.sources {
		out = append(out, s.TodoKinds(role)...)
	}
	return out
}

// Count is how many items of a kind wait.
type Count struct {
	Kind  string
	Count int
}

// Page is a page of a person's list.
type Page struct {
	Items  []Item
	Total  int     // of the list as filtered
	Counts []Count // of every kind of the actor's, whatever the filter
}

// Page returns the actor's items from offset, at most limit of them, by
// time left, of the module named (every module's if ""). The counts are of
// every kind, so that a filter shows what the others hold.
func (l *List) Page(ctx context.Context, actor access.Actor, module string, limit, offset int) (Page, error) {
	var p Page
	for _, s := range l.sources {
		for _, kind := range s.TodoKinds(actor.Role) {
			want := module == "" || Module(kind) == module
			n := 0
			if want {
				n = offset + limit
			}
			items, total, err := s.Todo(ctx, actor, kind, n)
			if err != nil {
				return Page{}, err
			}
			p.Counts = append(p.Counts, Count{Kind: kind, Count: total})
			if want {
				p.Items = append(p.Items, items...)
				p.Total += total
			}
		}
	}
	Sort(p.Items)
	if offset >= len(p.Items) {
		p.Items = nil
	} else {
		p.Items = p.Items[offset:min(offset+limit, len(p.Items))]
	}
	return p, nil
}

// Sort orders items by time left: the nearest deadline first, those
// without one last, then by kind and reference.
func Sort(items []Item) {
	slices.SortStableFunc(items, func(a, b Item) int {
		switch {
		case a.Due.IsZero() != b.Due.IsZero():
			if a.Due.IsZero() {
				return 1
			}
			return -1
		case !a.Due.Equal(b.Due):
			return a.Due.Compare(b.Due)
		case a.Kind != b.Kind:
			if a.Kind < b.Kind {
				return -1
			}
			return 1
		}
		if a.Ref < b.Ref {
			return -1
		} else if a.Ref > b.Ref {
			return 1
		}
		return 0
	})
}
