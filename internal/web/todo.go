package web

import (
	"net/http"
	"time"

	"qifu/internal/access"
	"qifu/internal/store"
	"qifu/internal/todo"
	"qifu/internal/web/core"
)

// The to-do list (待办): every open piece of work of the person, joined from
// the modules (package todo), by time left.

// todoHomeShown is how many items the home page shows.
const todoHomeShown = 5

// todoKey is the catalog key of a kind of work's name ("todo.appeal.sign"),
// the module's words.
func todoKey(kind string) string { return "todo." + kind }

// todoItem is one item as the pages show it.
type todoItem struct {
	todo.Item
	KindName string
}

// todoModule is a filter of the list: a module with what waits in it.
type todoModule struct {
	Module, Name string
	Count        int
	Active       bool
}

// todoData is a person's list as a page shows it.
type todoData struct {
	Items   []todoItem
	Total   int
	Modules []todoModule
	Kinds   []todoKind
}

// todoKind is a kind of work with its count.
type todoKind struct {
	Kind, Name string
	Count      int
}

func (s *Server) todoOf(r *http.Request, a access.Actor, module string, page store.Page) (todoData, error) {
	lang := core.LangOf(r)
	limit, offset := page.Bounds()
	p, err := s.mods.Todo.Page(r.Context(), a, module, limit, offset)
	if err != nil {
		return todoData{}, err
	}
	d := todoData{Total: p.Total}
	for _, it := range p.Items {
		d.Items = append(d.Items, todoItem{Item: it, KindName: s.T(lang, todoKey(it.Kind))})
	}
	byModule := map[string]int{}
	var order []string
	for _, c := range p.Counts {
		m := todo.Module(c.Kind)
		if _, ok := byModule[m]; !ok {
			order = append(order, m)
		}
		byModule[m] += c.Count
		d.Kinds = append(d.Kinds, todoKind{Kind: c.Kind, Name: s.T(lang, todoKey(c.Kind)), Count: c.Count})
	}
	for _, m := range order {
		d.Modules = append(d.Modules, todoModule{Module: m, Name: s.T(lang, todoKey("module."+m)), Count: byModule[m], Active: m == module})
	}
	return d, nil
}

// todoPageData is the to-do page.
type todoPageData struct {
	core.Base
	todoData
	Module string
	Pager  core.Pager
	Now    time.Time
}

func (s *Server) todoPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	module := r.URL.Query().Get("module")
	page := core.PageOf(r)
	d, err := s.todoOf(r, a, module, page)
	if err != nil {
		return err
	}
	p := &todoPageData{todoData: d, Module: module, Pager: core.NewPager(r, page, d.Total), Now: s.store.Now()}
	p.Title = s.T(core.LangOf(r), "nav.todo")
	s.Render(w, r, http.StatusOK, "todo", p)
	return nil
}

// todoJSON is one item of the list.
type todoJSON struct {
	Kind       string     `json:"kind"`
	Module     string     `json:"module"`
	Ref        string     `json:"ref"`
	Title      string     `json:"title"`
	Enterprise string     `json:"enterprise,omitempty"`
	Href       string     `json:"href"`
	Due        *time.Time `json:"due,omitempty"`
	Colour     string     `json:"colour,omitempty"`
}

// todoCountJSON is how many items of a kind wait.
type todoCountJSON struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// todosJSON is the caller's list: a page of it, its total as filtered, and
// the count of every kind of work the caller has.
type todosJSON struct {
	Items  []todoJSON      `json:"items"`
	Total  int             `json:"total"`
	Page   int             `json:"page"`
	Size   int             `json:"size"`
	Counts []todoCountJSON `json:"counts"`
}

func (s *Server) apiTodos(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	page := core.PageOf(r)
	limit, offset := page.Bounds()
	p, err := s.mods.Todo.Page(r.Context(), a, r.URL.Query().Get("module"), limit, offset)
	if err != nil {
		return err
	}
	out := todosJSON{Items: []todoJSON{}, Total: p.Total, Page: page.Number, Size: limit, Counts: []todoCountJSON{}}
	for _, it := range p.Items {
		j := todoJSON{Kind: it.Kind, Module: todo.Module(it.Kind), Ref: it.Ref, Title: it.Title, Enterprise: it.Enterprise,
			Href: it.Href, Colour: it.Colour}
		if !it.Due.IsZero() {
			due := it.Due
			j.Due = &due
		}
		out.Items = append(out.Items, j)
	}
	for _, c := range p.Counts {
		out.Counts = append(out.Counts, todoCountJSON{Kind: c.Kind, Count: c.Count})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}
