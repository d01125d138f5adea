package resumptiondb_test

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// scopeTable: role × relation to an enterprise → the outcome of the
// module's four kinds of action on the enterprise's records, in the order
// read, report, check, decide — written from the rows of the permission
// table's meaning: an enterprise its own records, reading and reporting;
// the grid worker and the community their region, reading, reporting for
// the enterprises and checking them (advice); the street its region,
// reading, checking and deciding restarts, never reporting; the district
// (the command) reading and deciding; the city reading; a department its
// region (its alliance's), reading and inspecting; a stationed cadre the
// enterprises assigned, reading, reporting and checking; the
// administrator everything; the lawyer, the bank and the auditor nothing.
// An action seen but not the role's is forbidden (F); a record out of
// sight is not found (N), as an absent one.
var scopeTable = storetest.Table{
	access.RoleEnterprise:     {storetest.RelOwn: "AAFF", storetest.RelOther: "NNNN"},
	access.RoleGridWorker:     {storetest.RelRegion: "AAAF", storetest.RelOther: "NNNN"},
	access.RoleCommunityStaff: {storetest.RelRegion: "AAAF", storetest.RelOther: "NNNN"},
	access.RoleStreetLeader:   {storetest.RelRegion: "AFAA", storetest.RelOther: "NNNN"},
	access.RoleDistrictLeader: {storetest.RelRegion: "AFFA", storetest.RelOther: "NNNN"},
	access.RoleCityLeader:     {storetest.RelRegion: "AFFF", storetest.RelOther: "NNNN"},
	access.RoleDepartment:     {storetest.RelRegion: "AFAF", storetest.RelOther: "NNNN"},
	access.RoleCadre:          {storetest.RelAssigned: "AAAF", storetest.RelOther: "NNNN"},
	access.RoleLawyer:         {storetest.RelOther: "NNNN"},
	access.RoleFinance:        {storetest.RelOther: "NNNN"},
	access.RoleAuditor:        {storetest.RelOther: "NNNN"},
	access.RoleAdmin:          {storetest.RelOther: "AAAA"},
}

// The columns of scopeTable.
const (
	colRead = iota
	colReport
	colCheck
	colDecide
)

// What the oracle knows of the records the scope test makes; enterprises
// are the fixture's indexes.
type (
	sReport struct {
		id, version int64
		r           resumption.Report
	}
	sBlock struct {
		id, version, campaign int64
		lead, sup             int
		open                  bool
	}
	sFinding struct {
		id, version int64
		ent         int
		kind        resumption.FindingKind
		dept        string // the department that ordered a rectification
		deadline    string
		open        bool
	}
	sRestart struct {
		id, version int64
		ent         int
		state       string
	}
	sFlag struct {
		id, version, campaign int64
		ent                   int
		open                  bool
	}
	sCampaign struct {
		c        resumptiondb.Campaign
		owner    string
		members  []int
		reports  map[int]*sReport
		schedule string
	}
)

// outcome is storetest.Outcome, with an answer that passed counted as
// allowed: a refusal that comes only after the access check (a stale
// version, a missing plan, a finding without consent).
func outcome(err error, passed func(*fault.Error) bool) byte {
	if f := fault.As(err); f != nil && passed != nil && passed(f) {
		return storetest.Allow
	}
	return storetest.Outcome(err)
}

func stale(f *fault.Error) bool { return f.Kind == fault.Conflict && f.Code == fault.ErrConflict.Code }

// repOf is the report the scope test keeps for enterprise i.
func repOf(i int, day string) resumption.Report {
	r := resumption.Report{Workers: 12}
	if i%5 != 4 && i != 24 {
		r.Resumed, r.Since, r.OutputShare, r.OnSite = true, day, 1000*(i%7), 1+i%10
	}
	return r
}

func idSet[T any](list []T, id func(T) int64) map[int64]bool {
	out := map[int64]bool{}
	for _, x := range list {
		out[id(x)] = true
	}
	return out
}

// TestScope has every account of the fixture read and act on the
// module's records across both districts — campaigns, reports, the
// report page, rates and members, findings, checks, restart applications
// and their steps, blocks, flags, exceptions, to-dos and the timeline —
// against scopeTable: out of reach is not found and never listed or
// counted, seen but not the role's is forbidden.
func TestScope(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx, rs := e.ctx, e.s.Resumption
		admin := e.actor("admin")
		recs := e.f.EnterpriseRecords(e.ids)
		want := func(u demo.User, i, col int) byte { return scopeTable.Want(u.Role, e.f.Relation(u, recs[i]), col) }
		reads := func(u demo.User, i int) bool { return want(u, i, colRead) == storetest.Allow }
		indexOf := map[int64]int{}
		for i, r := range recs {
			indexOf[r.ID] = i
		}
		if err := rs.SetPower(ctx, admin, e.actor("dept_tax").DepartmentID, "epidemic", "《传染病防治法》第五十三条"); err != nil {
			t.Fatal(err)
		}

		// Four campaigns: the city's daily report, the first street's, the
		// second district's weekly one, and the city's restart checklist.
		under := func(region string) []int {
			var out []int
			for i, r := range recs {
				if slices.Contains([]string{r.Place.City, r.Place.District, r.Place.Street}, region) {
					out = append(out, i)
				}
			}
			return out
		}
		newCampaign := func(owner, region string, in resumptiondb.Input) *sCampaign {
			in.Audience = audience.Definition{Regions: []string{region}}
			c := e.start(owner, in)
			sc := &sCampaign{c: c, owner: owner, members: under(region), reports: map[int]*sReport{}, schedule: in.Schedule}
			if c.Members != len(sc.members) {
				t.Fatalf("%s: %d members, want %d", in.Title, c.Members, len(sc.members))
			}
			return sc
		}
		cA := newCampaign("admin", storetest.FixtureCity, resumptiondb.Input{Kind: resumptiondb.KindMonitoring, Title: "全市复工日报", Schedule: resumption.Daily})
		cS := newCampaign("street_"+s11, s11, resumptiondb.Input{Kind: resumptiondb.KindMonitoring, Title: "街道复工日报", Schedule: resumption.Daily})
		cD := newCampaign("district_"+d2, d2, resumptiondb.Input{Kind: resumptiondb.KindMonitoring, Title: "区运行周报", Schedule: resumption.Weekly})
		cK := newCampaign("admin", storetest.FixtureCity, resumptiondb.Input{Kind: resumptiondb.KindChecklist, Checklist: "prevention", Title: "复工申报",
			Restart: resumption.RestartApproval, Threshold: 10})
		campaigns := []*sCampaign{cA, cS, cD, cK}
		monitoring := []*sCampaign{cA, cS, cD}

		// Findings, two of them due in two days: an improvement in each
		// district, a rectification the tax bureau ordered, one by the
		// administrator.
		var findings []*sFinding
		find := func(who string, i int, f resumptiondb.FindingInput, dept string) {
			x := e.check(who, e.ent(i), f)
			findings = append(findings, &sFinding{id: x.ID, version: x.Version, ent: i, kind: f.Kind, dept: dept, deadline: f.Deadline, open: true})
		}
		find("grid_"+g1111, 0, resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: e.day(0), Consent: true}, "")
		find("dept_tax", 6, resumptiondb.FindingInput{Kind: resumption.Rectification, Basis: "《传染病防治法》", Deadline: e.day(10)}, "tax")
		find("community_330203001001", 24, resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: e.day(1), Consent: true}, "")
		find("admin", 35, resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: e.day(20), Consent: true}, "")
		checked := map[int]int{0: 1, 6: 1, 24: 1, 35: 1} // checks by enterprise
		e.s.clock.Advance(2 * 24 * time.Hour)
		today := e.today()

		// Reports; two lead firms name suppliers in the other district.
		sample := []int{0, 1, 6, 11, 12, 24, 35, 43} // every relation of every account
		var probe []int                              // every relation of every account, at every grid
		for i := range recs {
			if i%3 == 0 || slices.Contains(e.f.User("cadre").Assigned, recs[i].Enterprise) {
				probe = append(probe, i)
			}
		}
		blockedBy := map[int]int{0: 24, 12: 35}
		reportIn := func(c *sCampaign, who string, i int) error {
			r := repOf(i, today)
			if sup, ok := blockedBy[i]; ok && c == cA && c.reports[i] == nil {
				r.BlockedBy = []string{e.code(sup)}
			}
			var version int64
			if old := c.reports[i]; old != nil {
				version = old.version
			}
			got, _, err := rs.SubmitReport(ctx, e.actor(who), resumptiondb.ReportInput{CampaignID: c.c.ID, EnterpriseID: e.ent(i), Report: r, Version: version})
			if err == nil {
				r.BlockedBy = nil
				c.reports[i] = &sReport{id: got.ID, version: got.Version, r: r}
			}
			return err
		}
		for _, c := range monitoring {
			for _, i := range c.members {
				if (c == cA && (i%3 == 0 || slices.Contains(sample, i))) || (c == cS && slices.Contains([]int{0, 3, 11}, i)) ||
					(c == cD && slices.Contains([]int{24, 35}, i)) {
					if err := reportIn(c, "admin", i); err != nil {
						t.Fatalf("report of %d in %s: %v", i, c.c.Title, err)
					}
				}
			}
		}
		var blocks []*sBlock
		list, _, err := rs.Blocks(ctx, admin, resumptiondb.BlockQuery{Page: store.Page{Size: store.MaxPageSize}})
		if err != nil || len(list) != len(blockedBy) {
			t.Fatalf("blocks: %v %v", list, err)
		}
		for _, b := range list {
			blocks = append(blocks, &sBlock{id: b.ID, version: b.Version, campaign: b.CampaignID, lead: indexOf[b.LeadID], sup: indexOf[b.SupplierID], open: true})
			if blockedBy[indexOf[b.LeadID]] != indexOf[b.SupplierID] || b.CampaignID != cA.c.ID {
				t.Fatalf("block %+v", b)
			}
		}

		// Restart applications in both districts.
		var restarts []*sRestart
		for _, i := range []int{0, 12, 24, 35} {
			e.plan(cK.c, e.ent(i))
			r := e.apply("admin", cK.c, e.ent(i))
			restarts = append(restarts, &sRestart{id: r.ID, version: r.Version, ent: i, state: r.State})
		}

		// The electricity disagrees with three enterprises' reports, in
		// every campaign they reported in.
		month := e.s.clock.Now().In(calendar.Shanghai).Format("2006-01")
		lastYear := e.s.clock.Now().In(calendar.Shanghai).AddDate(-1, 0, 0).Format("2006-01")
		use := map[int]int64{0: 10_000, 24: 90_000, 35: 5_000}
		var rows []resumptiondb.PowerRow
		for i, kwh := range use {
			rows = append(rows, resumptiondb.PowerRow{CreditCode: e.code(i), Month: lastYear, KWh: 100_000}, resumptiondb.PowerRow{CreditCode: e.code(i), Month: month, KWh: kwh})
		}
		wantFlags := map[[2]int64]bool{}
		for _, c := range monitoring {
			for i := range use {
				if rep := c.reports[i]; rep != nil && resumption.CrossCheck(rep.r.Resumed, use[i], 100_000, c.c.LowPower, c.c.HighPower) != resumption.NoMismatch {
					wantFlags[[2]int64{c.c.ID, int64(i)}] = true
				}
			}
		}
		res, err := rs.ImportPower(ctx, admin, rows)
		if err != nil || len(res.Errors) != 0 || res.Flagged != len(wantFlags) || len(wantFlags) != 6 {
			t.Fatalf("import: %+v %v; want %d flagged", res, err, len(wantFlags))
		}
		var flags []*sFlag
		fl, _, err := rs.Flags(ctx, admin, resumptiondb.FlagQuery{Page: store.Page{Size: store.MaxPageSize}})
		if err != nil || len(fl) != len(wantFlags) {
			t.Fatalf("flags: %v %v", fl, err)
		}
		for _, f := range fl {
			if !wantFlags[[2]int64{f.CampaignID, int64(indexOf[f.EnterpriseID])}] {
				t.Fatalf("flag %+v", f)
			}
			flags = append(flags, &sFlag{id: f.ID, version: f.Version, campaign: f.CampaignID, ent: indexOf[f.EnterpriseID], open: true})
		}

		// A finding is read by whoever reads its enterprise, and by the
		// department that ordered it.
		findingReads := func(u demo.User, f *sFinding) bool {
			return reads(u, f.ent) || (u.Role == access.RoleDepartment && u.DepartmentCode == f.dept)
		}
		mismatches := 0
		miss := func(format string, args ...any) {
			t.Helper()
			mismatches++
			if mismatches <= 60 {
				t.Errorf(format, args...)
			}
		}
		is := func(what string, u demo.User, got, want byte, err error) {
			t.Helper()
			if got != want {
				miss("%s %s: %c, want %c (%v)", u.Username, what, got, want, err)
			}
		}

		// Reporting: those who may correct each enterprise's report of the
		// day (at its version), the others are refused.
		for _, u := range e.f.Users {
			for _, i := range sample {
				err := reportIn(cA, u.Username, i)
				is(fmt.Sprintf("reports for %d", i), u, storetest.Outcome(err), want(u, i, colReport), err)
			}
		}

		// Actions whose refusal comes after the access check change
		// nothing: applying without a plan (or again), a check with a finding
		// lacking consent, answers at a stale version.
		before := e.snapshot()
		for _, u := range e.f.Users {
			a := e.actor(u.Username)
			for _, i := range sample {
				_, err := rs.ApplyRestart(ctx, a, resumptiondb.RestartInput{CampaignID: cK.c.ID, EnterpriseID: e.ent(i), Pledge: pledge,
					Counts: resumption.Counts{OnSite: 8}})
				is(fmt.Sprintf("applies for a restart of %d", i), u, outcome(err, func(f *fault.Error) bool {
					return f.Code == "resumption_no_plan" || f.Code == "resumption_applied"
				}), want(u, i, colReport), err)
				_, _, err = rs.RecordCheck(ctx, a, resumptiondb.CheckInput{EnterpriseID: e.ent(i), Checklist: "prevention", Results: results("masks"),
					Findings: []resumptiondb.FindingInput{{Kind: resumption.Improvement, ItemKey: "masks", Note: "口罩不足", Deadline: e.day(3)}}})
				is(fmt.Sprintf("checks %d", i), u, outcome(err, func(f *fault.Error) bool {
					_, ok := f.Fields["findings[0].consent"]
					return ok
				}), want(u, i, colCheck), err)
			}
			for _, f := range flags {
				_, err := rs.CheckFlag(ctx, a, f.id, f.version+1, "已核实")
				is(fmt.Sprintf("checks the flag of %d", f.ent), u, outcome(err, stale), want(u, f.ent, colCheck), err)
			}
			for _, b := range blocks {
				_, err := rs.ResolveBlock(ctx, a, b.id, b.version+1, "已协调")
				w := byte(storetest.Absent)
				switch {
				case want(u, b.lead, colCheck) == storetest.Allow || want(u, b.sup, colCheck) == storetest.Allow:
					w = storetest.Allow
				case reads(u, b.lead) || reads(u, b.sup):
					w = storetest.Forbid
				}
				is(fmt.Sprintf("resolves the block of %d by %d", b.lead, b.sup), u, outcome(err, stale), w, err)
			}
			for _, f := range findings {
				_, err := rs.CloseFinding(ctx, a, f.id, f.version+1, "复查已整改")
				w := byte(storetest.Absent)
				switch {
				case f.kind == resumption.Rectification && (u.Role == access.RoleAdmin || u.DepartmentCode == f.dept):
					w = storetest.Allow
				case f.kind == resumption.Improvement && u.Role != access.RoleDepartment && want(u, f.ent, colCheck) == storetest.Allow:
					w = storetest.Allow
				case findingReads(u, f):
					w = storetest.Forbid
				}
				is(fmt.Sprintf("closes the %s of %d", f.kind, f.ent), u, outcome(err, stale), w, err)
			}
		}
		e.unchanged(before, "the refusals and stale answers")

		// Restart steps by the table: the applicant withdraws, the street
		// checks, the command refuses (or approves) a large one. Whoever
		// takes a step puts it back for the next.
		byEnt := map[int]*sRestart{}
		for _, r := range restarts {
			byEnt[r.ent] = r
		}
		step := func(who string, r *sRestart, action, reason string) error {
			got, err := rs.ActRestart(ctx, e.actor(who), r.id, r.version, action, reason)
			if err == nil {
				r.version, r.state = got.Version, got.State
			}
			return err
		}
		reapply := func(r *sRestart) {
			got := e.apply("admin", cK.c, e.ent(r.ent))
			r.version, r.state = got.Version, got.State
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		restartWant := func(u demo.User, i int, action string) byte {
			if !reads(u, i) {
				return storetest.Absent
			}
			ok := u.Role == access.RoleAdmin
			switch action {
			case "withdraw":
				ok = want(u, i, colReport) == storetest.Allow
			case "check":
				ok = ok || (u.Role == access.RoleStreetLeader && want(u, i, colDecide) == storetest.Allow)
			case "refuse":
				ok = ok || (u.Role == access.RoleDistrictLeader && want(u, i, colDecide) == storetest.Allow)
			}
			if ok {
				return storetest.Allow
			}
			return storetest.Forbid
		}
		for _, u := range e.f.Users {
			for _, r := range restarts {
				err := step(u.Username, r, "withdraw", "")
				is(fmt.Sprintf("withdraws the application of %d", r.ent), u, storetest.Outcome(err), restartWant(u, r.ent, "withdraw"), err)
				if err == nil {
					reapply(r)
				}
			}
			for _, i := range []int{0, 35} {
				r := byEnt[i]
				err := step(u.Username, r, "check", "")
				is(fmt.Sprintf("checks the application of %d", i), u, storetest.Outcome(err), restartWant(u, i, "check"), err)
				if err == nil {
					must(step("admin", r, "withdraw", ""))
					reapply(r)
				}
			}
		}
		must(step("admin", byEnt[12], "check", ""))
		must(step("admin", byEnt[24], "check", ""))
		for _, u := range e.f.Users {
			for _, i := range []int{12, 24} {
				r := byEnt[i]
				err := step(u.Username, r, "refuse", "返岗人员健康情况不明")
				is(fmt.Sprintf("refuses the application of %d", i), u, storetest.Outcome(err), restartWant(u, i, "refuse"), err)
				if err == nil {
					reapply(r)
					must(step("admin", r, "check", ""))
				}
			}
		}

		// What the allowed do, for the lists that follow: a flag checked, a
		// block resolved, a finding closed.
		// One visit answers every flag of the enterprise and month.
		for _, f := range flags {
			if f.ent == 0 && f.campaign == cA.c.ID {
				_, err := rs.CheckFlag(ctx, e.actor("grid_"+g1111), f.id, f.version, "已上门核实，白天检修停电")
				must(err)
			}
		}
		for _, f := range flags {
			f.open = f.open && f.ent != 0
		}
		for _, b := range blocks {
			if b.lead == 12 {
				_, err := rs.ResolveBlock(ctx, e.actor("cadre"), b.id, b.version, "供应商已复工")
				must(err)
				b.open = false
			}
		}
		for _, f := range findings {
			if f.ent == 35 {
				_, err := rs.CloseFinding(ctx, admin, f.id, f.version, "复查：已补足")
				must(err)
				f.open = false
			}
		}

		// The oracle of lists and counts.
		visible := func(u demo.User, c *sCampaign) bool {
			if u.Username == c.owner {
				return true
			}
			return slices.ContainsFunc(c.members, func(i int) bool { return reads(u, i) })
		}
		period := func(c *sCampaign) string { return c.c.Period(e.s.clock.Now()) }
		reported := func(c *sCampaign, i int) bool { return c.reports[i] != nil } // every report is of this period
		ratesOf := func(u demo.User, c *sCampaign, keep func(int) bool) resumption.Rates {
			var list []resumption.Member
			latest := map[int64]resumption.Report{}
			for _, i := range c.members {
				if !reads(u, i) || (keep != nil && !keep(i)) {
					continue
				}
				list = append(list, resumption.Member{EnterpriseID: e.ent(i), NormalOutput: 3_000_000, Workers: 12})
				if rep := c.reports[i]; rep != nil {
					latest[e.ent(i)] = rep.r
				}
			}
			r := resumption.RatesOf(list, latest)
			r.NotReported = nil
			return r
		}
		late := func(f *sFinding) bool { return f.open && f.deadline < today }
		entries := func(i int) int { // the timeline's entries of enterprise i
			n := checked[i]
			for _, c := range monitoring {
				if c.reports[i] != nil {
					n++
				}
			}
			for _, f := range findings {
				if f.ent == i {
					n++
				}
			}
			for _, r := range restarts {
				if r.ent == i {
					n++
				}
			}
			return n
		}

		for _, u := range e.f.Users {
			a := e.actor(u.Username)

			// campaigns
			wantC := map[int64]bool{}
			for _, c := range campaigns {
				_, err := rs.Campaign(ctx, a, c.c.ID)
				w := byte(storetest.Absent)
				if visible(u, c) {
					w = storetest.Allow
					wantC[c.c.ID] = true
				}
				is(fmt.Sprintf("reads campaign %s", c.c.Title), u, storetest.Outcome(err), w, err)
			}
			cl, n, err := rs.Campaigns(ctx, a, resumptiondb.CampaignQuery{Page: store.Page{Size: store.MaxPageSize}})
			if got := idSet(cl, func(c resumptiondb.Campaign) int64 { return c.ID }); err != nil || n != len(cl) || !storetest.SameIDs(got, wantC) {
				miss("%s lists campaigns %v (%d, %v); want %v", u.Username, got, n, err, wantC)
			}

			// a monitoring campaign's reports, rates, members and exceptions
			for _, c := range monitoring {
				if !visible(u, c) {
					_, _, err := rs.Reports(ctx, a, c.c.ID, "", store.Page{})
					is("lists the reports of "+c.c.Title, u, storetest.Outcome(err), storetest.Absent, err)
					_, _, err = rs.Rates(ctx, a, c.c.ID, resumptiondb.RateQuery{})
					is("reads the rates of "+c.c.Title, u, storetest.Outcome(err), storetest.Absent, err)
					_, _, err = rs.Members(ctx, a, c.c.ID, resumptiondb.MemberQuery{})
					is("lists the members of "+c.c.Title, u, storetest.Outcome(err), storetest.Absent, err)
					_, err = rs.Exceptions(ctx, a, c.c.ID)
					is("reads the exceptions of "+c.c.Title, u, storetest.Outcome(err), storetest.Absent, err)
					_, err = rs.Series(ctx, a, c.c.ID, "")
					is("reads the series of "+c.c.Title, u, storetest.Outcome(err), storetest.Absent, err)
					continue
				}
				wantR, wantM, wantMissing := map[int64]bool{}, map[int64]bool{}, map[int64]bool{}
				for _, i := range c.members {
					if !reads(u, i) {
						continue
					}
					wantM[e.ent(i)] = true
					if rep := c.reports[i]; rep != nil {
						wantR[rep.id] = true
					} else {
						wantMissing[e.ent(i)] = true
					}
				}
				rl, n, err := rs.Reports(ctx, a, c.c.ID, "", store.Page{Size: store.MaxPageSize})
				if got := idSet(rl, func(r resumptiondb.Report) int64 { return r.ID }); err != nil || n != len(rl) || !storetest.SameIDs(got, wantR) {
					miss("%s lists the reports of %s: %v (%d, %v); want %v", u.Username, c.c.Title, got, n, err, wantR)
				}
				if rl, n, err := rs.Reports(ctx, a, c.c.ID, period(c), store.Page{Size: store.MaxPageSize}); err != nil || n != len(wantR) || len(rl) != n {
					miss("%s lists the reports of %s this period: %d (%v); want %d", u.Username, c.c.Title, n, err, len(wantR))
				}
				total, byGrid, err := rs.Rates(ctx, a, c.c.ID, resumptiondb.RateQuery{By: "grid"})
				if w := ratesOf(u, c, nil); err != nil || !reflect.DeepEqual(total, w) {
					miss("%s reads the rates of %s: %+v (%v); want %+v", u.Username, c.c.Title, total, err, w)
				}
				gotRows := map[string]resumption.Rates{}
				for _, r := range byGrid {
					gotRows[r.Key] = r.Rates
				}
				wantRows := map[string]resumption.Rates{}
				for _, i := range c.members {
					if g := recs[i].Place.Grid; reads(u, i) {
						wantRows[g] = ratesOf(u, c, func(j int) bool { return recs[j].Place.Grid == g })
					}
				}
				if !reflect.DeepEqual(gotRows, wantRows) {
					miss("%s reads the rates of %s by grid:\n got  %+v\n want %+v", u.Username, c.c.Title, gotRows, wantRows)
				}
				if c.schedule == resumption.Daily {
					series, err := rs.Series(ctx, a, c.c.ID, "")
					if w := ratesOf(u, c, nil); err != nil || len(series) == 0 || !reflect.DeepEqual(series[len(series)-1].Rates, w) {
						miss("%s reads the series of %s: %+v (%v); today's want %+v", u.Username, c.c.Title, series, err, w)
					}
				}
				ml, n, err := rs.Members(ctx, a, c.c.ID, resumptiondb.MemberQuery{Page: store.Page{Size: store.MaxPageSize}})
				if got := idSet(ml, func(m resumptiondb.Member) int64 { return m.EnterpriseID }); err != nil || n != len(ml) || !storetest.SameIDs(got, wantM) {
					miss("%s lists the members of %s: %v (%d, %v); want %v", u.Username, c.c.Title, got, n, err, wantM)
				}
				ml, n, err = rs.Members(ctx, a, c.c.ID, resumptiondb.MemberQuery{Missing: true, Page: store.Page{Size: store.MaxPageSize}})
				if got := idSet(ml, func(m resumptiondb.Member) int64 { return m.EnterpriseID }); err != nil || n != len(ml) || !storetest.SameIDs(got, wantMissing) {
					miss("%s lists the missing of %s: %v (%d, %v); want %v", u.Username, c.c.Title, got, n, err, wantMissing)
				}
				x, err := rs.Exceptions(ctx, a, c.c.ID)
				wx := resumptiondb.Exceptions{Missing: len(wantMissing)}
				for _, f := range flags {
					if f.open && f.campaign == c.c.ID && reads(u, f.ent) {
						wx.FlagCount++
					}
				}
				for _, b := range blocks {
					if b.open && b.campaign == c.c.ID && (reads(u, b.lead) || reads(u, b.sup)) {
						wx.BlockCount++
					}
				}
				for _, f := range findings {
					if late(f) && slices.Contains(c.members, f.ent) && findingReads(u, f) {
						wx.LateCount++
					}
				}
				if err != nil || x.Missing != wx.Missing || x.FlagCount != wx.FlagCount || x.BlockCount != wx.BlockCount || x.LateCount != wx.LateCount ||
					len(x.NotReported) != min(10, wx.Missing) || len(x.Flags) != wx.FlagCount || len(x.Blocks) != wx.BlockCount || len(x.Late) != wx.LateCount {
					miss("%s reads the exceptions of %s: missing %d, flags %d, blocks %d, late %d (%v); want %d, %d, %d, %d", u.Username, c.c.Title,
						x.Missing, x.FlagCount, x.BlockCount, x.LateCount, err, wx.Missing, wx.FlagCount, wx.BlockCount, wx.LateCount)
				}
			}
			if _, err := rs.Exceptions(ctx, a, cK.c.ID); storetest.Outcome(err) != storetest.Absent {
				miss("%s reads the exceptions of a checklist campaign: %v", u.Username, err)
			}

			// the enterprises probed: each grid's first and the cadre's
			for _, i := range probe {
				_, err := rs.ReportPage(ctx, a, cA.c.ID, e.ent(i))
				is(fmt.Sprintf("opens the report page of %d", i), u, storetest.Outcome(err), want(u, i, colRead), err)
				tl, err := rs.Timeline(ctx, a, e.ent(i), 100)
				w := 0
				if reads(u, i) {
					w = entries(i)
				}
				if err != nil || len(tl) != w {
					miss("%s reads %d entries of the timeline of %d (%v); want %d", u.Username, len(tl), i, err, w)
				}
			}
			for i, n := range checked {
				cs, err := rs.Checks(ctx, a, e.ent(i))
				is(fmt.Sprintf("lists the checks of %d", i), u, storetest.Outcome(err), want(u, i, colRead), err)
				if err == nil && len(cs) != n {
					miss("%s lists %d checks of %d; want %d", u.Username, len(cs), i, n)
				}
			}

			// findings
			wantF := map[int64]bool{}
			for _, f := range findings {
				_, err := rs.Finding(ctx, a, f.id)
				w := byte(storetest.Absent)
				if findingReads(u, f) {
					w = storetest.Allow
					wantF[f.id] = true
				}
				is(fmt.Sprintf("reads the finding of %d", f.ent), u, storetest.Outcome(err), w, err)
			}
			fs, n, err := rs.Findings(ctx, a, resumptiondb.FindingQuery{Page: store.Page{Size: store.MaxPageSize}})
			if got := idSet(fs, func(f resumptiondb.Finding) int64 { return f.ID }); err != nil || n != len(fs) || !storetest.SameIDs(got, wantF) {
				miss("%s lists findings %v (%d, %v); want %v", u.Username, got, n, err, wantF)
			}
			wantLate := map[int64]bool{}
			for _, f := range findings {
				if wantF[f.id] && late(f) {
					wantLate[f.id] = true
				}
			}
			fs, n, err = rs.Findings(ctx, a, resumptiondb.FindingQuery{Late: true, Page: store.Page{Size: store.MaxPageSize}})
			if got := idSet(fs, func(f resumptiondb.Finding) int64 { return f.ID }); err != nil || n != len(fs) || !storetest.SameIDs(got, wantLate) {
				miss("%s lists late findings %v (%d, %v); want %v", u.Username, got, n, err, wantLate)
			}

			// restarts
			wantRs := map[int64]bool{}
			for _, r := range restarts {
				got, err := rs.Restart(ctx, a, r.id)
				is(fmt.Sprintf("reads the application of %d", r.ent), u, storetest.Outcome(err), want(u, r.ent, colRead), err)
				if err == nil {
					wantRs[r.id] = true
					if got.State != r.state || got.Version != r.version || len(got.Steps) == 0 {
						miss("%s reads the application of %d: %s v%d; want %s v%d", u.Username, r.ent, got.State, got.Version, r.state, r.version)
					}
				}
				_, _, err = rs.RestartOf(ctx, a, cK.c.ID, e.ent(r.ent))
				is(fmt.Sprintf("reads the application of %d by its enterprise", r.ent), u, storetest.Outcome(err), want(u, r.ent, colRead), err)
			}
			rl, n, err := rs.Restarts(ctx, a, resumptiondb.RestartQuery{Page: store.Page{Size: store.MaxPageSize}})
			if got := idSet(rl, func(r resumptiondb.Restart) int64 { return r.ID }); err != nil || n != len(rl) || !storetest.SameIDs(got, wantRs) {
				miss("%s lists applications %v (%d, %v); want %v", u.Username, got, n, err, wantRs)
			}

			// blocks
			wantB := map[int64]bool{}
			for _, b := range blocks {
				_, err := rs.Block(ctx, a, b.id)
				w := byte(storetest.Absent)
				if reads(u, b.lead) || reads(u, b.sup) {
					w = storetest.Allow
					wantB[b.id] = true
				}
				is(fmt.Sprintf("reads the block of %d by %d", b.lead, b.sup), u, storetest.Outcome(err), w, err)
			}
			bl, n, err := rs.Blocks(ctx, a, resumptiondb.BlockQuery{Page: store.Page{Size: store.MaxPageSize}})
			if got := idSet(bl, func(b resumptiondb.Block) int64 { return b.ID }); err != nil || n != len(bl) || !storetest.SameIDs(got, wantB) {
				miss("%s lists blocks %v (%d, %v); want %v", u.Username, got, n, err, wantB)
			}

			// flags
			wantFl := map[int64]bool{}
			for _, f := range flags {
				_, err := rs.Flag(ctx, a, f.id)
				is(fmt.Sprintf("reads the flag of %d", f.ent), u, storetest.Outcome(err), want(u, f.ent, colRead), err)
				if reads(u, f.ent) {
					wantFl[f.id] = true
				}
			}
			flist, n, err := rs.Flags(ctx, a, resumptiondb.FlagQuery{Page: store.Page{Size: store.MaxPageSize}})
			if got := idSet(flist, func(f resumptiondb.Flag) int64 { return f.ID }); err != nil || n != len(flist) || !storetest.SameIDs(got, wantFl) {
				miss("%s lists flags %v (%d, %v); want %v", u.Username, got, n, err, wantFl)
			}

			// to-dos, kind by kind: the records each is about (and how many
			// have not reported, for the grid worker's chase)
			for _, kind := range rs.TodoKinds(u.Role) {
				items, n, err := rs.Todo(ctx, a, kind, 100)
				got := map[string]bool{}
				for _, it := range items {
					got[it.Ref] = true
				}
				w := map[string]bool{}
				counts := map[string]int{}
				switch kind {
				case "resumption.report":
					for _, c := range monitoring {
						if i, ok := indexOf[e.ids[u.EnterpriseCode]]; ok && slices.Contains(c.members, i) && !reported(c, i) {
							w[fmt.Sprintf("C%d", c.c.ID)] = true
						}
					}
				case "resumption.finding":
					for _, f := range findings {
						if f.open && e.ent(f.ent) == e.ids[u.EnterpriseCode] {
							w[fmt.Sprintf("F%d", f.id)] = true
						}
					}
				case "resumption.late":
					for _, f := range findings {
						if late(f) && want(u, f.ent, colCheck) == storetest.Allow {
							w[fmt.Sprintf("F%d", f.id)] = true
						}
					}
				case "resumption.rectify":
					for _, f := range findings {
						if f.open && f.kind == resumption.Rectification && f.dept == u.DepartmentCode {
							w[fmt.Sprintf("F%d", f.id)] = true
						}
					}
				case "resumption.supplier":
					for _, b := range blocks {
						if b.open && want(u, b.sup, colCheck) == storetest.Allow {
							w[fmt.Sprintf("S%d", b.id)] = true
						}
					}
				case "resumption.power": // one visit per enterprise and month, however many campaigns it reports to
					first := map[int]int64{}
					for _, f := range flags {
						if f.open && want(u, f.ent, colCheck) == storetest.Allow && (first[f.ent] == 0 || f.id < first[f.ent]) {
							first[f.ent] = f.id
						}
					}
					for _, id := range first {
						w[fmt.Sprintf("P%d", id)] = true
					}
				case "resumption.missing":
					for _, c := range monitoring {
						k := 0
						for _, i := range c.members {
							if reads(u, i) && !reported(c, i) {
								k++
							}
						}
						if visible(u, c) && k > 0 {
							w[fmt.Sprintf("C%d", c.c.ID)] = true
							counts[fmt.Sprintf("C%d", c.c.ID)] = k
						}
					}
				case "resumption.restart":
					for _, r := range restarts {
						street := r.state == resumption.Applied // the command approves every one of 12 employees
						command := r.state == resumption.Checked
						if want(u, r.ent, colDecide) == storetest.Allow && ((u.Role == access.RoleStreetLeader && street) ||
							(u.Role == access.RoleDistrictLeader && command)) {
							w[fmt.Sprintf("R%d", r.id)] = true
						}
					}
				default:
					miss("%s has to-dos of a kind the test does not know: %s", u.Username, kind)
				}
				if err != nil || n != len(items) || !maps.Equal(got, w) {
					miss("%s's to-dos %s: %v (%d, %v); want %v", u.Username, kind, got, n, err, w)
				}
				for _, it := range items {
					if k, ok := counts[it.Ref]; ok && !strings.Contains(it.Title, fmt.Sprint(k)) {
						miss("%s's to-do %s %s does not say %d have not reported: %q", u.Username, kind, it.Ref, k, it.Title)
					}
				}
			}
		}

		// Everything absent is absent for everyone.
		for _, u := range e.f.Users {
			a := e.actor(u.Username)
			const absent = 1 << 40
			for what, err := range map[string]error{
				"campaign": func() error { _, err := rs.Campaign(ctx, a, absent); return err }(),
				"finding":  func() error { _, err := rs.Finding(ctx, a, absent); return err }(),
				"restart":  func() error { _, err := rs.Restart(ctx, a, absent); return err }(),
				"block":    func() error { _, err := rs.Block(ctx, a, absent); return err }(),
				"flag":     func() error { _, err := rs.Flag(ctx, a, absent); return err }(),
				"page":     func() error { _, err := rs.ReportPage(ctx, a, cA.c.ID, absent); return err }(),
			} {
				is("reads an absent "+what, u, storetest.Outcome(err), storetest.Absent, err)
			}
		}
	})
}
