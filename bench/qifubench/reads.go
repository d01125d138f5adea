package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"qifu/bench/load"
	"qifu/internal/calendar"
)

// readsCmd is scenarios 3 and 6: the read paths people wait on, on a store
// holding a city's history, then the memory the server holds.
func readsCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	h := historyFlagsOf(fs)
	clients := fs.Int("clients", 4, "concurrent readers of each path")
	duration := fs.Duration("duration", 10*time.Second, "length of each path's run")
	runs := fs.Int("runs", 3, "runs of each path")
	profile := fs.String("profile", "", "folder for CPU and allocation profiles of qifu (none if empty)")
	fs.Parse(args)

	e, srv, db, err := h.serve(ctx, "reads")
	if err != nil {
		return err
	}
	defer e.close()
	started, _ := srv.proc.Read()

	users := map[string]*client{}
	for _, u := range []string{"community", "dept_tax", "district_leader", "admin"} {
		if users[u], err = signIn(srv.url, u); err != nil {
			return err
		}
	}
	// Appeals to open: the newest of the showcase community's.
	type appealRef struct {
		ID int64 `json:"id"`
	}
	var list struct {
		Items []appealRef `json:"items"`
		Total int         `json:"total"`
	}
	if _, err := users["community"].call(ctx, "GET", "/api/v1/appeals?size=200", nil, &list); err != nil {
		return err
	}
	if len(list.Items) == 0 {
		return fmt.Errorf("the showcase community has no appeals")
	}
	ids := append([]appealRef(nil), list.Items...) // list is decoded into again below
	now := time.Now().In(calendar.Shanghai)
	yearAgo := now.AddDate(-1, 0, 0).Format(time.DateOnly)
	today := now.Format(time.DateOnly)

	exportPath, exportRows, err := exportOf(ctx, users["district_leader"], now)
	if err != nil {
		return err
	}

	var fresh atomic.Int64
	get := func(who, path string) load.Op {
		return func(ctx context.Context, i, seq int) (string, error) {
			p := path
			if p == "" {
				p = fmt.Sprintf("/api/v1/appeals/%d", ids[(i*7+seq)%len(ids)].ID)
			}
			// A weight of 基本满意 of each request's own (in every run): figures
			// no request has asked for yet, computed anew rather than answered again.
			p = strings.ReplaceAll(p, "{weight}", fmt.Sprintf("0.8%012d", fresh.Add(1)))
			// An overview's end after today, a day further each request: the
			// same appeals counted, under a key no request has asked for yet.
			p = strings.ReplaceAll(p, "{later}", now.AddDate(0, 0, int(fresh.Add(1))).Format(time.DateOnly))
			return "", fetch(ctx, users[who], p)
		}
	}
	triage := "community triage queue (`queue=triage`)"
	if *h.backlog > 0 {
		var queue struct {
			Total int  `json:"total"`
			More  bool `json:"more"`
		}
		if _, err := users["community"].call(ctx, "GET", "/api/v1/appeals?queue=triage&size=1", nil, &queue); err != nil {
			return err
		}
		count := fmt.Sprint(queue.Total)
		if queue.More {
			count = fmt.Sprintf("more than %d, as its count says", queue.Total)
		}
		triage = fmt.Sprintf("community triage queue (`queue=triage`), --backlog %d: %s waiting in it", *h.backlog, count)
	}
	paths := []struct {
		name, who, path, goal string
		clients               int
		quantile              float64
	}{
		{triage, "community", "/api/v1/appeals?queue=triage", "p95 < 50 ms", *clients, 0.95},
		{"community, all its appeals, newest first", "community", "/api/v1/appeals", "p95 < 50 ms", *clients, 0.95},
		{"department inbox: to sign", "dept_tax", "/api/v1/appeals?queue=to_sign", "p95 < 50 ms", *clients, 0.95},
		{"department inbox: in hand", "dept_tax", "/api/v1/appeals?queue=in_hand", "p95 < 50 ms", *clients, 0.95},
		{"district leader: three rates by street, last year (figures kept a minute)", "district_leader", "/api/v1/assessment?dimension=street&from=" + yearAgo + "&to=" + today, "p95 < 100 ms", *clients, 0.95},
		{"district leader: three rates by department, last year (figures kept a minute)", "district_leader", "/api/v1/assessment?dimension=department&from=" + yearAgo + "&to=" + today, "p95 < 100 ms", *clients, 0.95},
		{"district leader: three rates by street, last year, each computed anew", "district_leader", "/api/v1/assessment?dimension=street&from=" + yearAgo + "&to=" + today + "&basic_weight={weight}", "p95 < 100 ms", *clients, 0.95},
		{"district leader: overview, last year", "district_leader", "/api/v1/overview?from=" + yearAgo + "&to=" + today, "p95 < 100 ms", *clients, 0.95},
		{"district leader: overview, last year, each computed anew", "district_leader", "/api/v1/overview?from=" + yearAgo + "&to={later}", "p95 < 100 ms", *clients, 0.95},
		{"administrator: three rates by district, the whole store, last year, each computed anew", "admin", "/api/v1/assessment?dimension=district&from=" + yearAgo + "&to=" + today + "&basic_weight={weight}", "— (a district's: p95 < 100 ms)", *clients, 0.95},
		{"administrator: overview, the whole store, last year, each computed anew", "admin", "/api/v1/overview?from=" + yearAgo + "&to={later}", "— (a district's: p95 < 100 ms)", *clients, 0.95},
		{"one appeal with its timeline", "community", "", "p95 < 20 ms", *clients, 0.95},
		{fmt.Sprintf("Excel export of %s appeals (one client)", exportRows), "district_leader", exportPath, "< 3 s", 1, 1},
	}
	fmt.Printf("scenario 3, read paths, %s, %d clients per path (the export: 1), %d runs of %s; latency is the p95 (the export: the slowest)\n\n",
		*h.kind, *clients, *runs, *duration)
	fmt.Println("| read path | goal | latency (median of runs, min–max) | p50 | requests/s | errors |")
	fmt.Println("|---|---|---|---|---|---|")
	for pi, p := range paths {
		var lat, p50, rate []float64
		errs := 0
		var longest time.Duration // of the requests a run's end cut off after longer than any answer took
		for run := range *runs {
			if *profile != "" && run == 0 {
				go srv.profile(*profile, fmt.Sprintf("reads-%s-%d", *h.kind, pi), int(duration.Seconds())-2)
			}
			r := load.Closed(ctx, p.clients, *duration, 0, get(p.who, p.path))
			lat = append(lat, msOf(r.All.Quantile(p.quantile)))
			p50 = append(p50, msOf(r.All.Quantile(0.5)))
			rate = append(rate, r.Rate(""))
			errs += r.All.Errors
			if r.Longest > r.All.Quantile(1) {
				// Not the usual last request of a client: one slower than the figures say.
				longest = max(longest, r.Longest)
			}
			if r.All.First != nil {
				fmt.Fprintln(stderr, p.name, "error:", r.All.First)
			}
		}
		latency, p50s, errors := spread(lat, "%.1f")+" ms", spread(p50, "%.1f")+" ms", fmt.Sprint(errs)
		if longest > 0 {
			errors += fmt.Sprintf(" (a request cut off by the run's end after %.1f s, longer than any answer)", longest.Seconds())
			if slices.Contains(rate, 0) {
				latency, p50s = fmt.Sprintf("> %.0f ms (no answer within a run)", msOf(longest)), "—"
			}
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s |\n", p.name, p.goal, latency, p50s, spread(rate, "%.1f"), errors)
	}
	end, _ := srv.proc.Read()
	fmt.Printf("\nscenario 6, memory of the server holding the city: RSS after start %.0f MiB; after the read paths %.0f MiB, peak %.0f MiB (goal < 300 MiB); CPU %.0f s\n",
		float64(started.RSS)/(1<<20), float64(end.RSS)/(1<<20), float64(end.PeakRSS)/(1<<20), (end.CPU - started.CPU).Seconds())
	if size, err := storeSize(ctx, *h.kind, db); err == nil {
		fmt.Printf("store: %.2f GiB\n", float64(size)/(1<<30))
	} else {
		fmt.Fprintln(stderr, "store size:", err)
	}
	return nil
}
