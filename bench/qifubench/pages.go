package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// pagesCmd opens the web pages each role works in, one after another, on a
// store holding a generated history: how long each takes to answer in
// full and how large it is. A page's weight grows with what it lists, so
// this is where a list that grows with the store shows.
func pagesCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	h := historyFlagsOf(fs)
	repeat := fs.Int("repeat", 10, "requests of each page, after one to warm it")
	fs.Parse(args)

	e, srv, _, err := h.serve(ctx, "pages")
	if err != nil {
		return err
	}
	defer e.close()
	pages := []struct{ who, path string }{
		{"community", "/"}, {"community", "/appeals"}, {"community", "/enterprises"}, {"community", "/places"},
		{"dept_tax", "/"}, {"dept_tax", "/appeals"},
		{"district_leader", "/"}, {"district_leader", "/appeals"}, {"district_leader", "/enterprises"},
		{"district_leader", "/places"}, {"district_leader", "/overview"}, {"district_leader", "/assessment"},
		{"admin", "/"}, {"admin", "/appeals"}, {"admin", "/enterprises"}, {"admin", "/places"},
		{"admin", "/overview"}, {"admin", "/assessment"},
	}
	users := map[string]*client{}
	for _, p := range pages {
		if users[p.who] == nil {
			if users[p.who], err = signIn(srv.url, p.who); err != nil {
				return err
			}
		}
	}
	fmt.Printf("web pages, %s, each opened %d times after one to warm it, one request at a time\n\n", *h.kind, *repeat)
	fmt.Println("| who | page | p50 | slowest | size |")
	fmt.Println("|---|---|---|---|---|")
	for _, p := range pages {
		var took []time.Duration
		var size int64
		for i := range *repeat + 1 {
			began := time.Now()
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.url+p.path, nil)
			res, err := users[p.who].http.Do(req)
			if err != nil {
				return err
			}
			size, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s as %s: %d %v", p.path, p.who, res.StatusCode, err)
			}
			if i > 0 {
				took = append(took, time.Since(began))
			}
		}
		slices.Sort(took)
		fmt.Printf("| %s | `%s` | %.1f ms | %.1f ms | %.0f KiB |\n", p.who, p.path,
			msOf(took[len(took)/2]), msOf(took[len(took)-1]), float64(size)/1024)
	}
	return nil
}
