package resumptiondb_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"qifu/internal/audience"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/store"
)

// listed is a member of a campaign's list as the tables hold it: where it
// was when the list was frozen and the weights of its rates.
type listed struct {
	resumption.Member
	district, street, community, grid string
	industry, size                    string
}

// key is the part of a breakdown the member falls in.
func (m listed) key(by string) string {
	return map[string]string{"district": m.district, "street": m.street, "community": m.community, "grid": m.grid,
		"industry": m.industry, "size": m.size}[by]
}

// kept is a report as the table holds it.
type kept struct {
	enterprise int64
	period     string
	report     resumption.Report
}

// listOf reads a campaign's list with plain SQL: the members not taken
// off, each with the weights frozen with the list — or, for an enterprise
// added after the list was frozen, those of its record.
func (e *env) listOf(campaignID int64) []listed {
	e.t.Helper()
	r := e.s.Engine.Reader()
	members, err := store.Collect(e.ctx, r, func(sc store.Scanner) (listed, error) {
		var m listed
		err := sc.Scan(&m.EnterpriseID, &m.district, &m.street, &m.community, &m.grid)
		return m, err
	}, `SELECT enterprise_id, district_code, street_code, community_code, grid_code FROM campaign_members
		WHERE campaign_id = ? AND removed_at = 0 ORDER BY enterprise_id`, campaignID)
	if err != nil {
		e.t.Fatal(err)
	}
	type weights struct {
		id             int64
		output         int64
		workers        int
		industry, size string
	}
	scanW := func(sc store.Scanner) (weights, error) {
		var w weights
		err := sc.Scan(&w.id, &w.output, &w.workers, &w.industry, &w.size)
		return w, err
	}
	frozen, err := store.Collect(e.ctx, r, scanW, "SELECT enterprise_id, normal_output, workers, industry, size FROM resumption_members WHERE campaign_id = ?", campaignID)
	if err != nil {
		e.t.Fatal(err)
	}
	registered, err := store.Collect(e.ctx, r, scanW, "SELECT id, revenue, employees, industry, size FROM enterprises")
	if err != nil {
		e.t.Fatal(err)
	}
	byID := map[int64]weights{}
	for _, w := range registered {
		byID[w.id] = w
	}
	for _, w := range frozen {
		byID[w.id] = w
	}
	for i := range members {
		w := byID[members[i].EnterpriseID]
		members[i].NormalOutput, members[i].Workers, members[i].industry, members[i].size = w.output, w.workers, w.industry, w.size
	}
	return members
}

// reportsOf reads every report of a campaign with plain SQL.
func (e *env) reportsOf(campaignID int64) []kept {
	e.t.Helper()
	list, err := store.Collect(e.ctx, e.s.Engine.Reader(), func(sc store.Scanner) (kept, error) {
		var k kept
		err := sc.Scan(&k.enterprise, &k.period, &k.report.Resumed, &k.report.OutputShare, &k.report.OnSite, &k.report.Workers)
		k.report.EnterpriseID = k.enterprise
		return k, err
	}, "SELECT enterprise_id, period, resumed, output_share, on_site, workers FROM resumption_reports WHERE campaign_id = ?", campaignID)
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// latestUpTo is each enterprise's latest report up to a period.
func latestUpTo(reports []kept, period string) (map[int64]resumption.Report, map[int64]string) {
	latest, at := map[int64]resumption.Report{}, map[int64]string{}
	for _, k := range reports {
		if k.period <= period && k.period > at[k.enterprise] {
			latest[k.enterprise], at[k.enterprise] = k.report, k.period
		}
	}
	return latest, at
}

// ratesOf is resumption.RatesOf over the members keep takes, without the
// list of non-reporters (the store counts them).
func ratesOf(list []listed, latest map[int64]resumption.Report, keep func(listed) bool) (resumption.Rates, int) {
	var ms []resumption.Member
	for _, m := range list {
		if keep == nil || keep(m) {
			ms = append(ms, m.Member)
		}
	}
	r := resumption.RatesOf(ms, latest)
	n := len(r.NotReported)
	r.NotReported = nil
	return r, n
}

// ratesAgree fails the test unless who's rates of campaign c — in total,
// by every breakdown, day by day, and its members and non-reporters —
// are the recount of the tables over the members in reach (in, nil for
// all).
func (e *env) ratesAgree(when, who string, c resumptiondb.Campaign, in func(listed) bool) {
	e.t.Helper()
	t, rs, a := e.t, e.s.Resumption, e.actor(who)
	now := e.s.clock.Now()
	period := c.Period(now)
	list := e.listOf(c.ID)
	if in != nil {
		list = slices.DeleteFunc(list, func(m listed) bool { return !in(m) })
	}
	reports := e.reportsOf(c.ID)
	latest, at := latestUpTo(reports, period)
	want, notReported := ratesOf(list, latest, nil)
	for _, by := range append([]string{""}, resumptiondb.Breakdowns...) {
		total, rows, err := rs.Rates(e.ctx, a, c.ID, resumptiondb.RateQuery{By: by})
		if err != nil {
			t.Fatalf("%s: %s's rates by %q: %v", when, who, by, err)
		}
		if !reflect.DeepEqual(total, want) {
			t.Errorf("%s: %s's rates of %s (by %q):\n got  %+v\n want %+v", when, who, c.Title, by, total, want)
		}
		if total.Members-total.Reported != notReported {
			t.Errorf("%s: %s counts %d not reported; the list has %d", when, who, total.Members-total.Reported, notReported)
		}
		if by == "" {
			continue
		}
		got, wantRows := map[string]resumption.Rates{}, map[string]resumption.Rates{}
		for _, r := range rows {
			if r.Name == "" {
				t.Errorf("%s: %s's row %s by %s has no name", when, who, r.Key, by)
			}
			got[r.Key] = r.Rates
		}
		for _, m := range list {
			k := m.key(by)
			wantRows[k], _ = ratesOf(list, latest, func(x listed) bool { return x.key(by) == k })
		}
		if !reflect.DeepEqual(got, wantRows) {
			t.Errorf("%s: %s's rates of %s by %s:\n got  %+v\n want %+v", when, who, c.Title, by, got, wantRows)
		}
	}

	// day by day, from the campaign's first day to today
	if c.Schedule == resumption.Daily {
		series, err := rs.Series(e.ctx, a, c.ID, "")
		if err != nil {
			t.Fatalf("%s: series: %v", when, err)
		}
		var days []string
		for d := c.StartedAt.In(calendar.Shanghai); d.Format(time.DateOnly) <= now.In(calendar.Shanghai).Format(time.DateOnly); d = d.AddDate(0, 0, 1) {
			days = append(days, d.Format(time.DateOnly))
		}
		var gotDays []string
		for _, s := range series {
			gotDays = append(gotDays, s.Day)
		}
		if !slices.Equal(gotDays, days) {
			t.Errorf("%s: %s's series of %s has the days %v; want %v", when, who, c.Title, gotDays, days)
		}
		for _, s := range series {
			l, _ := latestUpTo(reports, s.Day)
			if w, _ := ratesOf(list, l, nil); !reflect.DeepEqual(s.Rates, w) {
				t.Errorf("%s: %s's series of %s on %s:\n got  %+v\n want %+v", when, who, c.Title, s.Day, s.Rates, w)
			}
		}
	}

	// the members with their latest report, and those missing this period
	members, n, err := rs.Members(e.ctx, a, c.ID, resumptiondb.MemberQuery{Page: store.Page{Size: store.MaxPageSize}})
	if err != nil || n != len(list) || len(members) != n {
		t.Fatalf("%s: %s's members: %d of %d (%v); the list has %d", when, who, len(members), n, err, len(list))
	}
	weights := map[int64]resumption.Member{}
	for _, m := range list {
		weights[m.EnterpriseID] = m.Member
	}
	for _, m := range members {
		w, ok := weights[m.EnterpriseID]
		rep := latest[m.EnterpriseID]
		if !ok || m.NormalOutput != w.NormalOutput || m.Workers != w.Workers || m.Latest != at[m.EnterpriseID] || m.Resumed != rep.Resumed ||
			m.OutputShare != rep.OutputShare || m.OnSite != rep.OnSite || m.ReportWorkers != rep.Workers {
			t.Errorf("%s: %s lists member %+v; the tables: %+v, %+v of %q", when, who, m, w, rep, at[m.EnterpriseID])
		}
	}
	wantMissing := map[int64]bool{}
	for _, m := range list {
		if at[m.EnterpriseID] != period {
			wantMissing[m.EnterpriseID] = true
		}
	}
	missing, n, err := rs.Members(e.ctx, a, c.ID, resumptiondb.MemberQuery{Missing: true, Page: store.Page{Size: store.MaxPageSize}})
	got := idSet(missing, func(m resumptiondb.Member) int64 { return m.EnterpriseID })
	if err != nil || n != len(wantMissing) || !maps.Equal(got, wantMissing) {
		t.Errorf("%s: %s's missing of %s: %v (%d, %v); want %v", when, who, c.Title, got, n, err, wantMissing)
	}
	if x, err := rs.Exceptions(e.ctx, a, c.ID); err != nil || x.Missing != len(wantMissing) {
		t.Errorf("%s: %s's exceptions count %d missing (%v); want %d", when, who, x.Missing, err, len(wantMissing))
	}
}

// TestRatesRecomputed checks the rates by hand on one community's list,
// then after a seeded random mix of reports, corrections (and stale
// ones), "no change", refused reports, days passing at odd hours, members
// taken off and added, against resumption.RatesOf over the tables: in
// total, by district, street, community, grid, industry and size, day by
// day, with the members and the non-reporters, for the administrator and
// for a district leader who sees half the city.
func TestRatesRecomputed(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx, rs := e.ctx, e.s.Resumption
		admin := e.actor("admin")
		submit := func(who string, c resumptiondb.Campaign, id int64, in resumptiondb.ReportInput) (resumptiondb.Report, error) {
			t.Helper()
			in.CampaignID, in.EnterpriseID = c.ID, id
			r, _, err := rs.SubmitReport(ctx, e.actor(who), in)
			return r, err
		}
		must := func(r resumptiondb.Report, err error) resumptiondb.Report {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return r
		}

		// By hand: one community's six enterprises, 3 000 000 yuan and 12
		// workers each.
		hand := e.start("admin", resumptiondb.Input{Kind: resumptiondb.KindMonitoring, Title: "社区复工日报", Schedule: resumption.Daily,
			Audience: audience.Definition{Regions: []string{c111}}})
		today := e.today()
		must(submit("ent_"+c111, hand, e.ent(0), resumptiondb.ReportInput{Report: resumption.Report{Resumed: true, Since: today, OutputShare: 10000, OnSite: 12, Workers: 12}}))
		must(submit("admin", hand, e.ent(1), resumptiondb.ReportInput{Report: resumption.Report{Resumed: true, Since: today, OutputShare: 5000, OnSite: 6, Workers: 10}}))
		must(submit("grid_"+g1111, hand, e.ent(2), resumptiondb.ReportInput{Report: resumption.Report{}}))
		must(submit("community_"+c111, hand, e.ent(3), resumptiondb.ReportInput{Report: resumption.Report{Resumed: true, Since: "2026-02-27", OnSite: 2, Workers: 12}}))
		g1, g2 := c111+"001", c111+"002"
		day0 := resumption.Rates{Members: 6, Reported: 4, Resumed: 3, Producing: 2, Output: 4_500_000, Normal: 18_000_000, OnSite: 20, Workers: 70}
		total, rows, err := rs.Rates(ctx, admin, hand.ID, resumptiondb.RateQuery{By: "grid"})
		byKey := func(rows []resumptiondb.RateRow) map[string]resumption.Rates {
			out := map[string]resumption.Rates{}
			for _, r := range rows {
				out[r.Key] = r.Rates
			}
			return out
		}
		if err != nil || !reflect.DeepEqual(total, day0) || !reflect.DeepEqual(byKey(rows), map[string]resumption.Rates{
			g1: {Members: 3, Reported: 3, Resumed: 2, Producing: 2, Output: 4_500_000, Normal: 9_000_000, OnSite: 18, Workers: 34},
			g2: {Members: 3, Reported: 1, Resumed: 1, Producing: 0, Output: 0, Normal: 9_000_000, OnSite: 2, Workers: 36},
		}) {
			t.Fatalf("by hand, day 0: %+v by grid %+v (%v)", total, rows, err)
		}
		if got := [4]string{resumption.Percent(total.Resumption()), resumption.Percent(total.Production()), resumption.Percent(total.Capacity()),
			resumption.Percent(total.Return())}; got != [4]string{"50.00%", "33.33%", "25.00%", "28.57%"} {
			t.Errorf("by hand, day 0: the rates read %v", got)
		}
		if _, n, err := rs.Members(ctx, admin, hand.ID, resumptiondb.MemberQuery{Missing: true}); err != nil || n != 2 {
			t.Errorf("by hand, day 0: %d missing (%v); want 2", n, err)
		}
		// The sixth moves away: off the list, out of every denominator.
		if err := e.s.Campaigns.RemoveMember(ctx, admin, hand.ID, e.ent(5), "企业已迁出本社区"); err != nil {
			t.Fatal(err)
		}
		// The next day, before nine: one repeats its report, one is back at
		// twice its normal output.
		e.s.clock.Advance(23 * time.Hour)
		day1 := e.today()
		nc := must(submit("grid_"+g1111, hand, e.ent(2), resumptiondb.ReportInput{NoChange: true}))
		if !nc.NoChange || nc.Resumed || nc.Period != day1 {
			t.Errorf("no change: %+v", nc)
		}
		must(submit("admin", hand, e.ent(4), resumptiondb.ReportInput{Report: resumption.Report{Resumed: true, Since: day1, OutputShare: 20000, OnSite: 12}}))
		want1 := resumption.Rates{Members: 5, Reported: 5, Resumed: 4, Producing: 3, Output: 10_500_000, Normal: 15_000_000, OnSite: 32, Workers: 58}
		total, _, err = rs.Rates(ctx, admin, hand.ID, resumptiondb.RateQuery{})
		if err != nil || !reflect.DeepEqual(total, want1) {
			t.Fatalf("by hand, day 1: %+v (%v); want %+v", total, err, want1)
		}
		if got := [4]string{resumption.Percent(total.Resumption()), resumption.Percent(total.Production()), resumption.Percent(total.Capacity()),
			resumption.Percent(total.Return())}; got != [4]string{"80.00%", "60.00%", "70.00%", "55.17%"} {
			t.Errorf("by hand, day 1: the rates read %v", got)
		}
		series, err := rs.Series(ctx, admin, hand.ID, "")
		want0 := resumption.Rates{Members: 5, Reported: 4, Resumed: 3, Producing: 2, Output: 4_500_000, Normal: 15_000_000, OnSite: 20, Workers: 58}
		if err != nil || len(series) != 2 || series[0].Day != today || series[1].Day != day1 || !reflect.DeepEqual(series[0].Rates, want0) ||
			!reflect.DeepEqual(series[1].Rates, want1) {
			t.Errorf("by hand, the series: %+v (%v); want %s %+v, %s %+v", series, err, today, want0, day1, want1)
		}
		if past, _, err := rs.Rates(ctx, admin, hand.ID, resumptiondb.RateQuery{Day: today}); err != nil || !reflect.DeepEqual(past, want0) {
			t.Errorf("by hand, day 0 read on day 1: %+v (%v); want %+v", past, err, want0)
		}
		if _, n, err := rs.Members(ctx, admin, hand.ID, resumptiondb.MemberQuery{Missing: true}); err != nil || n != 3 {
			t.Errorf("by hand, day 1: %d missing (%v); want 3", n, err)
		}
		e.ratesAgree("by hand", "admin", hand, nil)
		e.ratesAgree("by hand", "community_"+c111, hand, nil)
		e.ratesAgree("by hand", "grid_"+g1111, hand, func(m listed) bool { return m.grid == g1 })

		// The registry's figures change; the hand list's weights stay as
		// frozen. A city-wide list is frozen with the new ones.
		rng := rand.New(rand.NewPCG(20260302, 2))
		industries := []string{"34", "13", "39", "52"}
		for i := range e.f.Enterprises {
			x, err := e.s.Enterprise(ctx, admin, e.ent(i))
			if err != nil {
				t.Fatal(err)
			}
			x.Employees, x.Revenue, x.Industry = 3+rng.IntN(400), 100_000+rng.Int64N(50_000_000), industries[rng.IntN(len(industries))]
			if _, err := e.s.UpdateEnterprise(ctx, admin, x.ID, x.Version, x); err != nil {
				t.Fatalf("update %d: %v", i, err)
			}
		}
		if total, _, err := rs.Rates(ctx, admin, hand.ID, resumptiondb.RateQuery{}); err != nil || !reflect.DeepEqual(total, want1) {
			t.Errorf("the hand list after the registry changed: %+v (%v); want %+v", total, err, want1)
		}
		city := e.start("admin", resumptiondb.Input{Kind: resumptiondb.KindMonitoring, Title: "全市复工日报", Schedule: resumption.Daily,
			Audience: audience.Definition{Regions: []string{"330200"}}})
		campaigns := []resumptiondb.Campaign{city, hand}
		e.ratesAgree("the city list frozen", "admin", city, nil)

		// A seeded random mix.
		employees, index := map[int64]int{}, map[int64]int{}
		for i := range e.f.Enterprises {
			index[e.ent(i)] = i
			x, err := e.s.Enterprise(ctx, admin, e.ent(i))
			if err != nil {
				t.Fatal(err)
			}
			employees[x.ID] = x.Employees
		}
		current := func(c resumptiondb.Campaign, id int64) (int64, bool) { // this period's report's version
			var v int64
			err := store.Scan(e.s.Engine.Reader().Row(ctx, "SELECT version FROM resumption_reports WHERE campaign_id = ? AND enterprise_id = ? AND period = ?",
				c.ID, id, c.Period(e.s.clock.Now())), &v)
			if err != nil && !fault.Is(err, fault.NotFound) {
				t.Fatal(err)
			}
			return v, err == nil
		}
		randomReport := func(id int64) resumption.Report {
			staff := employees[id]
			r := resumption.Report{Workers: []int{0, 1 + rng.IntN(2*staff)}[rng.IntN(2)], Orders: "订单正常"}
			workers := r.Workers
			if workers == 0 {
				workers = staff
			}
			r.OnSite = rng.IntN(workers + 1)
			if rng.IntN(10) < 7 {
				r.Resumed, r.Since = true, e.s.clock.Now().In(calendar.Shanghai).AddDate(0, 0, -rng.IntN(5)).Format(time.DateOnly)
				r.OutputShare = []int{0, rng.IntN(resumption.MaxShare + 1), 10000}[rng.IntN(3)]
			}
			r.Isolating, r.Returned, r.Planning = rng.IntN(3), rng.IntN(3), rng.IntN(3)
			return r
		}
		steps := map[string]int{}
		for step := 1; step <= 150; step++ {
			c := campaigns[min(rng.IntN(10), 7)/7] // the city's seven times in ten
			list := e.listOf(c.ID)
			m := list[rng.IntN(len(list))].EnterpriseID
			switch k := rng.IntN(20); {
			case k < 7: // a report, or its correction
				v, has := current(c, m)
				in := randomReport(m)
				r, err := submit("admin", c, m, resumptiondb.ReportInput{Report: in, Version: v})
				if err != nil || (has && r.Corrections == 0) {
					var fields map[string]fault.Msg
					if f := fault.As(err); f != nil {
						fields = f.Fields
					}
					t.Fatalf("step %d: report %+v of %d (v%d): %+v %v %v", step, in, m, v, r, err, fields)
				}
				steps["report"]++
			case k < 9: // a correction at a stale version, of one reported this period
				var this []int64
				for _, r := range e.reportsOf(c.ID) {
					if r.period == c.Period(e.s.clock.Now()) && slices.ContainsFunc(list, func(x listed) bool { return x.EnterpriseID == r.enterprise }) {
						this = append(this, r.enterprise)
					}
				}
				if len(this) == 0 {
					continue
				}
				m = this[rng.IntN(len(this))]
				v, _ := current(c, m)
				_, err := submit("admin", c, m, resumptiondb.ReportInput{Report: randomReport(m), Version: v - 1})
				if !fault.Is(err, fault.Conflict) {
					t.Fatalf("step %d: a stale correction: %v", step, err)
				}
				steps["stale"]++
			case k < 12: // no change
				r, err := submit("admin", c, m, resumptiondb.ReportInput{NoChange: true})
				switch {
				case fault.As(err) != nil && fault.As(err).Code == "resumption_no_earlier":
					if n := e.count("SELECT COUNT(*) FROM resumption_reports WHERE campaign_id = ? AND enterprise_id = ?", c.ID, m); n != 0 {
						t.Fatalf("step %d: no change refused with %d reports", step, n)
					}
				case err != nil:
					t.Fatalf("step %d: no change: %v", step, err)
				case r.Period != c.Period(e.s.clock.Now()):
					t.Fatalf("step %d: no change kept for %s", step, r.Period)
				}
				steps["no change"]++
			case k < 13: // a bad report
				r := randomReport(m)
				r.OnSite = r.Workers + employees[m] + 1
				if _, err := submit("admin", c, m, resumptiondb.ReportInput{Report: r}); !fault.Is(err, fault.Invalid) && !fault.Is(err, fault.Conflict) {
					t.Fatalf("step %d: a bad report: %v", step, err)
				}
				steps["refused"]++
			case k < 16: // time passes, at odd hours
				e.s.clock.Advance(time.Duration(6+rng.IntN(36)) * time.Hour)
				steps["time"]++
			case k < 18: // off the list
				if len(list) <= 3 {
					continue
				}
				if err := e.s.Campaigns.RemoveMember(ctx, admin, c.ID, m, "企业已停业"); err != nil {
					t.Fatalf("step %d: remove %d: %v", step, m, err)
				}
				steps["removed"]++
			default: // on the list: one taken off comes back, or another is added
				var off []int64
				for i := range e.f.Enterprises {
					if !slices.ContainsFunc(list, func(x listed) bool { return x.EnterpriseID == e.ent(i) }) {
						off = append(off, e.ent(i))
					}
				}
				if len(off) == 0 {
					continue
				}
				id := off[rng.IntN(len(off))]
				if err := e.s.Campaigns.AddMember(ctx, admin, c.ID, e.f.Enterprises[index[id]].CreditCode, "新纳入监测"); err != nil {
					t.Fatalf("step %d: add %d: %v", step, id, err)
				}
				steps["added"]++
			}
			if step%15 == 0 {
				for _, c := range campaigns {
					e.ratesAgree(fmt.Sprintf("step %d", step), "admin", c, nil)
				}
				e.ratesAgree(fmt.Sprintf("step %d", step), "district_"+d2, city, func(m listed) bool { return m.district == d2 })
			}
		}
		for _, k := range []string{"report", "stale", "no change", "refused", "time", "removed", "added"} {
			if steps[k] == 0 {
				t.Errorf("the mix had no %s", k)
			}
		}
		if days := len(e.reportsOf(city.ID)); days < 30 {
			t.Errorf("only %d reports in the mix", days)
		}
		e.ratesAgree("the end", "street_"+s11, city, func(m listed) bool { return m.street == s11 })
		e.ratesAgree("the end", "cadre", city, func(m listed) bool {
			return slices.Contains(e.f.User("cadre").Assigned, e.f.Enterprises[index[m.EnterpriseID]].CreditCode)
		})
		t.Logf("steps: %v", steps)
	})
}
