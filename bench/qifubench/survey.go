package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"qifu/bench/bare"
	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/store"
)

// The form submission burst: the answers to a district's survey arriving
// at once, as on its due day, submitted by the communities' staff for their
// enterprises (each answer a fact of the enterprise's file), through qifu
// and through the bare limit of a submission, side by side on the same
// store.

// pair is a campaign and one of its members.
type pair struct{ campaign, enterprise int64 }

// queue hands out pairs, once each, with the community of each.
type queue struct {
	pairs       []pair
	communities []string
	next        atomic.Int64
}

func (q *queue) take() (pair, string, bool) {
	i := q.next.Add(1) - 1
	if int(i) >= len(q.pairs) {
		return pair{}, "", false
	}
	return q.pairs[i], q.communities[i], true
}

// surveyAnswers are one enterprise's answers: its headcount on file
// confirmed (four in five) or corrected, not short of workers, a few to lend.
func surveyAnswers(employees, seq int) form.Answers {
	if seq%5 == 4 {
		employees += 1 + seq%5
	}
	return form.Answers{"employees": {Values: []string{strconv.Itoa(max(employees, 1))}}, "short": {Values: []string{"no"}},
		"idle": {Values: []string{strconv.Itoa(seq % 6)}}}
}

func surveyCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	kind := fs.String("store", "sqlite", "sqlite or postgres")
	clientsFlag := fs.String("clients", "16,64", "numbers of concurrent clients, comma-separated")
	duration := fs.Duration("duration", 15*time.Second, "length of each run")
	runs := fs.Int("runs", 3, "runs of each (bare and qifu alternate)")
	perSide := fs.Int("campaigns", 60, "campaigns sent to the whole demo district for each side (qifu, bare): enough members to answer every run")
	fs.Parse(args)
	clients, err := clientCounts(*clientsFlag)
	if err != nil {
		return err
	}
	e, err := newEnv(*kind)
	if err != nil {
		return err
	}
	defer e.close()
	db, err := e.db("survey")
	if err != nil {
		return err
	}
	srv, err := e.start(ctx, db, "--demo", "--demo-appeals", "0")
	if err != nil {
		return err
	}

	// The form, sent to the whole district, 2 × perSide times.
	leader, err := signIn(srv.url, "district_leader")
	if err != nil {
		return err
	}
	var f struct {
		ID     int64 `json:"id"`
		Latest int   `json:"latest"`
	}
	if _, err := leader.call(ctx, "POST", "/api/v1/forms", map[string]any{"definition": formdb.LabourSurvey}, &f); err != nil {
		return err
	}
	cal, err := calendar.New(calendar.Official())
	if err != nil {
		return err
	}
	due := cal.AddDays(time.Now(), 5).In(calendar.Shanghai).Format(time.DateOnly)
	var campaigns [2][]int64 // qifu's, bare's
	start := time.Now()
	for side := range 2 {
		n := *perSide
		if side == 1 {
			n *= 2 // the bare limit runs faster
		}
		for i := range n {
			var c struct {
				ID      int64 `json:"id"`
				Members int   `json:"members"`
			}
			if _, err := leader.call(ctx, "POST", fmt.Sprintf("/api/v1/forms/%d/campaigns", f.ID), map[string]any{
				"title": fmt.Sprintf("运行监测 %d-%d", side, i), "due": due, "audience": map[string]any{}}, &c); err != nil {
				return err
			}
			campaigns[side] = append(campaigns[side], c.ID)
		}
	}
	fmt.Fprintf(stderr, "%d campaigns sent in %v\n", 3**perSide, time.Since(start).Round(time.Millisecond))

	// Each community's members, and a client of its staff for each.
	raw, err := openRaw(db)
	if err != nil {
		return err
	}
	defer raw.Close()
	// One session of each community's staff, shared by the clients: each
	// answer is submitted by the staff of its enterprise's community.
	sessions := map[string]*client{}
	for _, u := range demo.Generate(1).Users {
		if u.Role != access.RoleCommunityStaff || sessions[u.RegionCode] != nil {
			continue
		}
		c, err := signIn(srv.url, u.Username)
		if err != nil {
			return err
		}
		c.http.Transport.(*http.Transport).MaxIdleConnsPerHost = 128
		sessions[u.RegionCode] = c
	}
	employees := map[int64]int{}
	rows, err := raw.QueryContext(ctx, "SELECT id, employees FROM enterprises")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return err
		}
		employees[id] = n
	}
	rows.Close()
	// The pairs of each side; qifu's of the communities with staff.
	sides := [2]*queue{{}, {}}
	for side := range 2 {
		q := sides[side]
		for _, cid := range campaigns[side] {
			rows, err := raw.QueryContext(ctx, store.Rebind(db, "SELECT enterprise_id, community_code FROM campaign_members WHERE campaign_id = ? ORDER BY enterprise_id"), cid)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				var community string
				if err := rows.Scan(&id, &community); err != nil {
					rows.Close()
					return err
				}
				if side == 0 && sessions[community] == nil {
					continue
				}
				q.pairs = append(q.pairs, pair{cid, id})
				q.communities = append(q.communities, community)
			}
			rows.Close()
		}
	}
	maxClients := 0
	for _, n := range clients {
		maxClients = max(maxClients, n)
	}
	var by int64
	if err := raw.QueryRowContext(ctx, "SELECT id FROM users WHERE username = 'community'").Scan(&by); err != nil {
		return err
	}
	b, err := bare.OpenSubmissions(db, f.ID, f.Latest, by)
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
	bareClient := &client{base: "http://" + ln.Addr().String(), http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: maxClients, DisableCompression: true}}}

	op := func(side int) func(ctx context.Context, i, seq int) (string, error) {
		return func(ctx context.Context, i, seq int) (string, error) {
			p, community, ok := sides[side].take()
			if !ok {
				return "submit", fmt.Errorf("no member left to answer: raise --campaigns")
			}
			c := sessions[community]
			if side == 1 {
				c = bareClient
			}
			if c == nil {
				return "submit", fmt.Errorf("no staff of community %s", community)
			}
			body := map[string]any{"enterprise_id": p.enterprise, "answers": surveyAnswers(employees[p.enterprise], seq)}
			code, err := c.call(ctx, "POST", fmt.Sprintf("/api/v1/surveys/%d/submit", p.campaign), body, nil,
				"Idempotency-Key", fmt.Sprintf("burst-%d-%d", p.campaign, p.enterprise))
			if err == nil && code != http.StatusCreated {
				err = fmt.Errorf("status %d", code)
			}
			return "submit", err
		}
	}

	fmt.Printf("form submission burst, %s: the district's enterprises' answers submitted by its %d communities' staff, %d runs of %s each (bare and qifu alternating)\n\n",
		*kind, len(sessions), *runs, *duration)
	sideBySide(ctx, srv, clients, *runs, *duration, op(1), op(0), "", "")
	return nil
}
