package resumptiondb_test

import (
	"context"
	"math"
	"os"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// demoSmall is the demo dataset with one enterprise in five kept (and
// every enterprise an account, a cadre or a project names), for a quick
// run of the demo on both stores. QIFU_DEMO_FULL=1 runs the full dataset.
func demoSmall() demo.Dataset {
	d := storetest.Dataset()
	if os.Getenv("QIFU_DEMO_FULL") != "" {
		return d
	}
	named := map[string]bool{}
	for _, u := range d.Users {
		named[u.EnterpriseCode] = true
		for _, c := range u.Assigned {
			named[c] = true
		}
	}
	for _, pr := range d.Projects {
		named[pr.CreditCode] = true
	}
	out := d
	out.Enterprises = nil
	for i, e := range d.Enterprises {
		if i%5 == 0 || named[e.CreditCode] {
			out.Enterprises = append(out.Enterprises, e)
		}
	}
	return out
}

// TestDemo plays the demo on both stores and counts again, with the
// store's own Rates, that the crisis of 2020 ends on the seeds' Beilun
// figures — 复工率 95.97 %, 产能恢复率 89.15 % (each within half a point),
// 返岗率 about 90 % — and checks what else it left: restart applications
// in every state, findings closed and overdue, the suppliers' hold-ups
// resolved, flags checked and open, the crisis's health counts erased and
// today's kept, and today's monthly monitoring with its exceptions.
func TestDemo(t *testing.T) {
	for _, small := range []bool{false, true} {
		t.Run(map[bool]string{false: "district", true: "street"}[small], func(t *testing.T) { testDemo(t, small) })
	}
}

// testDemo is TestDemo over the district, or over the park's street as
// the tests' servers play it.
func testDemo(t *testing.T, small bool) {
	ds := demoSmall()
	storetest.EachDatabase(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clock := storetest.NewClock(storetest.Start)
		s := open(t, dsn, clock)
		if err := s.LoadDemo(ctx, ds); err != nil {
			t.Fatalf("load demo: %v", err)
		}
		actor := func(ctx context.Context, username string) (access.Actor, error) {
			u, err := s.UserByUsername(ctx, username)
			if err != nil {
				return access.Actor{}, err
			}
			a, err := s.Actor(ctx, u.ID)
			a.Addr = "demo"
			return a, err
		}
		now := clock.Now()
		began := time.Now()
		rep, err := resumptiondb.Demo(ctx, s.Resumption, s.Forms, s.Campaigns, ds, actor, now, clock.Set, small)
		took := time.Since(began)
		if err != nil {
			t.Fatalf("demo: %v", err)
		}
		t.Logf("%d enterprises, took %v: %v", len(ds.Enterprises), took.Round(time.Millisecond), rep)
		if !clock.Now().Equal(now) {
			t.Errorf("the clock stands at %v, want %v", clock.Now(), now)
		}
		rs := s.Resumption
		command := s.As(t, "district_leader")
		list, _, err := rs.Campaigns(ctx, command, resumptiondb.CampaignQuery{Page: store.Page{Size: 10}})
		if err != nil || len(list) != 3 {
			t.Fatalf("campaigns: %d, %v", len(list), err)
		}
		var daily, checklist, monthly resumptiondb.Campaign
		for _, c := range list {
			switch {
			case c.Kind == resumptiondb.KindChecklist:
				checklist = c
			case c.Schedule == resumption.Daily:
				daily = c
			case c.Schedule == resumption.Monthly:
				monthly = c
			}
		}
		if daily.ID == 0 || checklist.ID == 0 || monthly.ID == 0 || daily.State == "running" || checklist.State == "running" || monthly.State != "running" {
			t.Fatalf("campaigns: %+v", list)
		}

		// The end rates, counted again, and their parts by street.
		near := func(what string, got, want, by float64) {
			t.Helper()
			if math.Abs(got-want) > by {
				t.Errorf("%s = %s, want %s ± %.1f points", what, resumption.Percent(got), resumption.Percent(want), by*100)
			}
		}
		by := map[bool]string{false: "street", true: "community"}[small] // a small demo is one street
		end, rows, err := rs.Rates(ctx, command, daily.ID, resumptiondb.RateQuery{Day: "2020-02-27", By: by})
		if err != nil {
			t.Fatal(err)
		}
		near("复工率", end.Resumption(), 0.9597, 0.005)
		near("产能恢复率", end.Capacity(), 0.8915, 0.005)
		near("返岗率", end.Return(), 0.90, 0.01)
		if end.Resumed != rep.End.Resumed || end.Output != rep.End.Output || end.Members != rep.Members || end.Reported == end.Members ||
			end.Members-end.Reported >= end.Members-end.Resumed {
			t.Errorf("end rates %+v, reported %+v", end, rep.End)
		}
		var resumed, members int
		for _, r := range rows {
			resumed += r.Rates.Resumed
			members += r.Rates.Members
		}
		if len(rows) < 2 || resumed != end.Resumed || members != end.Members {
			t.Errorf("%d parts by %s add up to %d of %d resumed, want %d of %d", len(rows), by, resumed, members, end.Resumed, end.Members)
		}
		// A rising curve over the eighteen days.
		series, err := rs.Series(ctx, command, daily.ID, "")
		if err != nil || len(series) < 18 {
			t.Fatalf("series: %d days, %v", len(series), err)
		}
		first, last := series[0].Rates, series[17].Rates
		if series[0].Day != "2020-02-10" || series[17].Day != "2020-02-27" || first.Resumed*2 >= last.Resumed || last.Resumed != end.Resumed {
			t.Errorf("series from %s %+v to %s %+v", series[0].Day, first, series[17].Day, last)
		}
		// The park within half a month.
		if p := rep.ParkRates.Production(); p < 0.95 || p > 0.99 || rep.ParkRates.Members < 10 {
			t.Errorf("the park's production on %s: %s of %d", rep.ParkDay, resumption.Percent(p), rep.ParkRates.Members)
		}

		// The restart applications in every state, the large ones approved by the command.
		admin := s.As(t, "admin")
		for _, st := range []string{resumption.Approved, resumption.Refused, resumption.Filed, resumption.Withdrawn} {
			if _, n, err := rs.Restarts(ctx, admin, resumptiondb.RestartQuery{CampaignID: checklist.ID, State: st}); err != nil || n == 0 {
				t.Errorf("restarts %s: %d, %v", st, n, err)
			}
		}
		for _, st := range []string{resumption.Applied, resumption.Checked} {
			if _, n, err := rs.Restarts(ctx, admin, resumptiondb.RestartQuery{CampaignID: checklist.ID, State: st}); err != nil || n != 0 {
				t.Errorf("restarts still %s: %d, %v", st, n, err)
			}
		}
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := store.Scan(s.Reader().Row(ctx, q, args...), &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(`SELECT COUNT(DISTINCT a.id) FROM resumption_restarts a JOIN resumption_restart_steps s ON s.restart_id = a.id
			WHERE a.approver = 'command' AND s.action = 'approve'`); n == 0 || n != rep.ByCommand {
			t.Errorf("%d approved by the command, reported %d", n, rep.ByCommand)
		}
		if n := count(`SELECT COUNT(*) FROM resumption_restart_steps WHERE action = 'reapply'`); n < 3 || n != rep.Reapplied {
			t.Errorf("%d re-applied, reported %d", n, rep.Reapplied)
		}
		// Every enterprise that resumed had its restart approved or filed.
		if n := count(`SELECT COUNT(*) FROM resumption_reports r WHERE r.campaign_id = ? AND r.resumed AND NOT EXISTS
			(SELECT 1 FROM resumption_restarts a WHERE a.campaign_id = ? AND a.enterprise_id = r.enterprise_id AND a.state IN ('approved', 'filed'))`,
			daily.ID, checklist.ID); n != 0 {
			t.Errorf("%d reports of resumption without an approval", n)
		}

		// Findings: advice and orders, closed after a re-check, a few overdue and escalated.
		_, late, err := rs.Findings(ctx, admin, resumptiondb.FindingQuery{Late: true})
		if err != nil || late != rep.Overdue || late < 2 || rep.Escalated != late || rep.Closed < late {
			t.Errorf("%d overdue (reported %d, %d escalated, %d closed), %v", late, rep.Overdue, rep.Escalated, rep.Closed, err)
		}
		for _, k := range []resumption.FindingKind{resumption.Improvement, resumption.Rectification} {
			if _, n, err := rs.Findings(ctx, admin, resumptiondb.FindingQuery{Kind: string(k), State: resumptiondb.FindingClosed}); err != nil || n == 0 {
				t.Errorf("closed %s: %d, %v", k, n, err)
			}
		}
		if n := count("SELECT COUNT(*) FROM resumption_findings WHERE kind = 'rectification' AND department_id = 0"); n != 0 {
			t.Errorf("%d rectifications without a department", n)
		}

		// The suppliers' hold-ups of 2020 resolved, today's one open.
		if _, n, err := rs.Blocks(ctx, admin, resumptiondb.BlockQuery{CampaignID: daily.ID, State: "resolved"}); err != nil || n != rep.Resolved || n < 2 {
			t.Errorf("resolved hold-ups: %d (reported %d), %v", n, rep.Resolved, err)
		}
		// The flags of 2020: all but two checked.
		_, checked, err := rs.Flags(ctx, admin, resumptiondb.FlagQuery{CampaignID: daily.ID, State: "checked"})
		if err != nil || checked != rep.FlagsChecked || checked != rep.Flagged-2 || rep.Flagged < 4 {
			t.Errorf("checked flags of 2020: %d of %d (reported %d), %v", checked, rep.Flagged, rep.FlagsChecked, err)
		}
		if _, n, err := rs.Flags(ctx, admin, resumptiondb.FlagQuery{CampaignID: daily.ID, State: "open"}); err != nil || n != 2 {
			t.Errorf("open flags of 2020: %d, %v", n, err)
		}

		// The crisis's health counts erased, today's kept.
		health := "SELECT COUNT(*) FROM resumption_reports WHERE campaign_id = ? AND (isolating > 0 OR returned > 0 OR planning > 0)"
		if n := count(health, daily.ID); n != 0 || rep.HealthErased != int64(count("SELECT COUNT(*) FROM resumption_reports WHERE campaign_id = ?", daily.ID)) {
			t.Errorf("%d reports of 2020 keep health counts; %d erased", n, rep.HealthErased)
		}
		if n := count("SELECT COUNT(*) FROM resumption_restarts WHERE campaign_id = ? AND (isolating > 0 OR returned > 0 OR planning > 0)", checklist.ID); n != 0 {
			t.Errorf("%d applications of 2020 keep health counts", n)
		}
		if n := count(health, monthly.ID); n == 0 {
			t.Error("today's reports have lost their health counts")
		}

		// Today's monthly monitoring: most report, a few never; its exceptions.
		x, err := rs.Exceptions(ctx, command, monthly.ID)
		if err != nil {
			t.Fatal(err)
		}
		if x.Missing == 0 || x.Missing != rep.Missing || x.FlagCount != 2 || x.BlockCount != 1 {
			t.Errorf("exceptions: %d missing, %d flags, %d blocks", x.Missing, x.FlagCount, x.BlockCount)
		}
		cur, _, err := rs.Rates(ctx, command, monthly.ID, resumptiondb.RateQuery{})
		if silent := cur.Members - cur.Reported; err != nil || silent == 0 || silent > cur.Members/20 || cur.Resumption() < 0.9 {
			t.Errorf("today's rates: %+v, %v", cur, err)
		}
		if n := count("SELECT COUNT(*) FROM resumption_reports WHERE campaign_id = ?", monthly.ID); n != rep.CurrentReports || n < cur.Members {
			t.Errorf("%d reports today, reported %d, %d members", n, rep.CurrentReports, cur.Members)
		}
	})
}
