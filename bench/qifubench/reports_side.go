package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"qifu/bench/bare"
	"qifu/bench/load"
)

// The closed loops of status reports after the burst: qifu against the bare
// limit of a report, side by side, as intake measures (scenario 14).

// pairs hands out (campaign, enterprise) pairs once each.
type pairs struct {
	campaigns []int64
	order     []reporter
	next      atomic.Int64
}

func (p *pairs) take() (int64, reporter, int, bool) {
	i := int(p.next.Add(1) - 1)
	if i >= len(p.campaigns)*len(p.order) {
		return 0, reporter{}, i, false
	}
	return p.campaigns[i/len(p.order)], p.order[i%len(p.order)], i, true
}

// reportsSideBySide runs the closed loops of qifu (its first instance) and
// of the bare limit of a report alternately on the same store, as intake
// does, each on campaigns of its own so that every report is a first of
// the day; then the bare limit in an open loop at the burst's rate.
func reportsSideBySide(ctx context.Context, db string, raw *sql.DB, srv *server, sc *staffClients, all []reporter,
	districts []string, start func(string, []string) (int64, int, time.Duration, error), clients []int, runs int, duration time.Duration,
	bareOpen time.Duration, rate float64, today time.Time, profile, kind string) error {
	// Campaigns enough for a fast qifu and a fast bare limit (assumed at most
	// 2,500 and 8,000 a second).
	n := func(perSecond float64) int {
		return int(math.Ceil(perSecond*duration.Seconds()*float64(runs*len(clients))/float64(len(all)))) + 1
	}
	shuffled := func(seed uint64) []reporter {
		o := slices.Clone(all)
		rand.New(rand.NewPCG(seed, 1)).Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
		return o
	}
	qp := &pairs{order: shuffled(1)}
	for i := range n(2500) {
		id, _, _, err := start(fmt.Sprintf("闭环测量 %d", i), districts)
		if err != nil {
			return err
		}
		qp.campaigns = append(qp.campaigns, id)
	}
	var grid string
	if err := raw.QueryRowContext(ctx, "SELECT grid_code FROM enterprises ORDER BY id LIMIT 1").Scan(&grid); err != nil {
		return err
	}
	bp := &pairs{order: shuffled(2)}
	for i := range n(8000) {
		id, _, _, err := start(fmt.Sprintf("裸上限 %d", i), []string{grid})
		if err != nil {
			return err
		}
		bp.campaigns = append(bp.campaigns, id)
	}
	var by int64
	if err := raw.QueryRowContext(ctx, "SELECT id FROM users WHERE username = 'community'").Scan(&by); err != nil {
		return err
	}
	b, err := bare.OpenReports(db, by)
	if err != nil {
		return err
	}
	defer b.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	bareSrv := &http.Server{Handler: b, ReadHeaderTimeout: 5 * time.Second}
	go bareSrv.Serve(ln)
	defer bareSrv.Close()
	maxClients := slices.Max(clients)
	bareClient := &client{base: "http://" + ln.Addr().String(), http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: max(maxClients, 256), DisableCompression: true}}}
	one := &staffClients{urls: []string{srv.url}, byComm: sc.byComm}

	qifuOp := func(ctx context.Context, i, seq int) (string, error) {
		campaign, r, n, ok := qp.take()
		if !ok {
			return "report", errors.New("no member left to report: the closed loops outran their campaigns")
		}
		code, _, err := one.post(ctx, 0, campaign, r.community, fmt.Sprintf("side-%d-%d", campaign, r.id), reportOf(r, n, today))
		if err == nil && code != http.StatusCreated {
			err = fmt.Errorf("status %d", code)
		}
		return "report", err
	}
	bareOp := func(ctx context.Context, i, seq int) (string, error) {
		campaign, r, n, ok := bp.take()
		if !ok {
			return "report", errors.New("no pair left for the bare limit")
		}
		var out reportAnswer
		code, err := bareClient.call(ctx, "POST", fmt.Sprintf("/api/v1/resumption/campaigns/%d/reports", campaign), reportOf(r, n, today), &out,
			"Idempotency-Key", fmt.Sprintf("bare-%d-%d", campaign, r.id))
		if err == nil && code != http.StatusCreated {
			err = fmt.Errorf("status %d", code)
		}
		return "report", err
	}
	fmt.Printf("closed loops on the first instance: the communities' staff filing reports (qifu, %d campaign(s) over the province) against the bare limit "+
		"(one idempotent INSERT, %d campaign(s)), %d runs of %s each, alternating\n\n", len(qp.campaigns), len(bp.campaigns), runs, duration)
	as := ""
	if profile != "" {
		as = "reports-closed-" + kind
	}
	sideBySide(ctx, srv, clients, runs, duration, bareOp, qifuOp, profile, as)
	if bareOpen <= 0 {
		return nil
	}
	r := load.Open(ctx, rate, bareOpen, 256, bareOp)
	st := r.Kinds["report"]
	if st == nil {
		st = &load.Stats{}
	}
	overruns := 0
	if o := r.Kinds["overrun"]; o != nil {
		overruns = o.Errors
	}
	fmt.Printf("\nthe bare limit in an open loop at %.0f/s for %s: completed %.0f/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.0f ms, errors %d, overruns %d\n\n",
		rate, bareOpen, r.Rate("report"), msOf(st.Quantile(0.5)), msOf(st.Quantile(0.95)), msOf(st.Quantile(0.99)), msOf(st.Quantile(1)), st.Errors, overruns)
	if st.First != nil {
		fmt.Fprintf(stderr, "bare open loop: first error %v\n", st.First)
	}
	return nil
}
