package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"sync"
	"time"

	"qifu/bench/load"
	"qifu/internal/demo"
)

// lifecycleCmd is scenario 2: whole lifecycles, each step taken over the API
// by the role whose step it is — the enterprise raises, the community
// accepts and blows the whistle to a lead and an assisting department, both
// report in, the assisting department answers the lead, the lead replies,
// the enterprise rates — with several lifecycles going on at once.
func lifecycleCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	kind := fs.String("store", "sqlite", "sqlite or postgres")
	drivers := fs.Int("clients", 16, "lifecycles driven at once")
	duration := fs.Duration("duration", 20*time.Second, "length of each run")
	runs := fs.Int("runs", 3, "runs")
	profile := fs.String("profile", "", "folder for CPU and allocation profiles of qifu (none if empty)")
	fs.Parse(args)

	e, err := newEnv(*kind)
	if err != nil {
		return err
	}
	defer e.close()
	db, err := e.db("lifecycle")
	if err != nil {
		return err
	}
	srv, err := e.start(ctx, db, "--demo", "--demo-appeals", "0")
	if err != nil {
		return err
	}
	roles := map[string]*client{}
	for _, u := range []string{"enterprise", "community", "dept_tax", "dept_hrss"} {
		if roles[u], err = signIn(srv.url, u); err != nil {
			return err
		}
	}
	var depts []struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
	}
	var list struct {
		Items any `json:"items"`
	}
	list.Items = &depts
	if _, err := roles["community"].call(ctx, "GET", "/api/v1/departments?size=200", nil, &list); err != nil {
		return err
	}
	dept := map[string]int64{}
	for _, d := range depts {
		dept[d.Code] = d.ID
	}
	showcase := enterpriseCode()

	type step struct {
		name, who, action string
		body              map[string]any
	}
	steps := []step{
		{"accept", "community", "accept", nil},
		{"dispatch", "community", "dispatch", map[string]any{"lead": dept["tax"], "assists": []int64{dept["hrss"]}, "note": "请税务局牵头，人社局协办"}},
		{"sign (lead)", "dept_tax", "sign", nil},
		{"sign (assist)", "dept_hrss", "sign", nil},
		{"assist reply", "dept_hrss", "assist_reply", map[string]any{"note": "可申请稳岗补贴，已告知办理渠道"}},
		{"reply", "dept_tax", "reply", map[string]any{"result": "solved", "note": "已对接用工并落实减免政策"}},
		{"rate", "enterprise", "rate", map[string]any{"rating": "satisfied", "note": "满意"}},
	}
	// One op is one whole lifecycle; each step's latency is recorded apart.
	var stepStats *stepRecorder
	stepNames := func() []string {
		names := []string{"create"}
		for _, s := range steps {
			names = append(names, s.name)
		}
		return names
	}
	op := func(ctx context.Context, i, seq int) (string, error) {
		t := time.Now()
		var a struct {
			ID      int64 `json:"id"`
			Version int64 `json:"version"`
		}
		in := intakeBody(showcase, i, seq)
		in.Channel = "web"
		if _, err := roles["enterprise"].call(ctx, "POST", "/api/v1/appeals", in, &a); err != nil {
			return "lifecycle", err
		}
		stepStats.add("create", time.Since(t))
		for _, s := range steps {
			body := map[string]any{"version": a.Version}
			for k, v := range s.body {
				body[k] = v
			}
			st := time.Now()
			code, err := roles[s.who].call(ctx, "POST", fmt.Sprintf("/api/v1/appeals/%d/actions/%s", a.ID, s.action), body, &a)
			if err != nil {
				return "lifecycle", fmt.Errorf("%s: %w", s.name, err)
			}
			if code != http.StatusOK {
				return "lifecycle", fmt.Errorf("%s: status %d", s.name, code)
			}
			stepStats.add(s.name, time.Since(st))
		}
		return "lifecycle", nil
	}

	fmt.Printf("scenario 2, whole lifecycles (create + 7 steps, 4 roles), %s, %d at once, %d runs of %s\n\n", *kind, *drivers, *runs, *duration)
	var rates, cpuPer []float64
	perStep := map[string][]float64{}
	for run := range *runs {
		stepStats = newStepRecorder()
		before, _ := srv.proc.Read()
		if *profile != "" && run == 0 {
			go srv.profile(*profile, "lifecycle-"+*kind, int(duration.Seconds())-2)
		}
		r := load.Closed(ctx, *drivers, *duration, 0, op)
		after, _ := srv.proc.Read()
		if r.All.Errors > 0 {
			return fmt.Errorf("run %d: %d lifecycles failed, first: %v", run+1, r.All.Errors, r.All.First)
		}
		rates = append(rates, r.Rate(""))
		cpuPer = append(cpuPer, (after.CPU-before.CPU).Seconds()*1000/float64(max(r.All.N()*8, 1)))
		for name, s := range stepStats.kinds {
			perStep[name] = append(perStep[name], msOf(s.Quantile(0.99)))
		}
		fmt.Fprintf(stderr, "run %d: %.1f lifecycles/s\n%s", run+1, r.Rate(""), r)
	}
	fmt.Printf("lifecycles per second: %s (%s requests/s); qifu CPU per request: %s ms\n\n", spread(rates, "%.1f"),
		spread(scale(rates, 8), "%.0f"), spread(cpuPer, "%.2f"))
	fmt.Println("| step | p99 (median of runs, min–max) |")
	fmt.Println("|---|---|")
	for _, name := range stepNames() {
		fmt.Printf("| %s | %s ms |\n", name, spread(perStep[name], "%.1f"))
	}
	return nil
}

func scale(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * k
	}
	return out
}

// enterpriseCode is the credit code of the demo enterprise user's enterprise.
func enterpriseCode() string {
	for _, u := range demo.Generate(1).Accounts() {
		if u.Username == "enterprise" {
			return u.EnterpriseCode
		}
	}
	return ""
}

// stepRecorder keeps the latencies of each step of the lifecycles.
type stepRecorder struct {
	mu    sync.Mutex
	kinds map[string]*load.Stats
}

func newStepRecorder() *stepRecorder { return &stepRecorder{kinds: map[string]*load.Stats{}} }

func (r *stepRecorder) add(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.kinds[name]
	if s == nil {
		s = &load.Stats{}
		r.kinds[name] = s
	}
	s.Add(d, nil)
}
