package resumptiondb_test

import (
	"fmt"
	"testing"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// times is n copies of fn(i), for race.
func times(n int, fn func(i int) error) []func() error {
	out := make([]func() error, n)
	for i := range out {
		out[i] = func() error { return fn(i) }
	}
	return out
}

// inbox counts the notices of a kind a user holds that lead to href.
func (e *env) inbox(username, kind, href string) int64 {
	e.t.Helper()
	return e.count("SELECT COUNT(*) FROM inbox WHERE user_id = ? AND kind = ? AND href = ?", e.actor(username).UserID, kind, href)
}

// TestRaces runs the changes of the module that meet at once on both
// stores: the same report sent eight times with its idempotency key, eight
// corrections of one version, two decisions on one restart application and
// applications sent twice, reports naming the same stalled supplier, the
// escalation of late findings on several instances, a flag, a block and a
// finding answered by several hands at once.
func TestRaces(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx, rs := e.ctx, e.s.Resumption
		c := e.monitoring() // the first street, daily
		today := e.today()
		hands := []string{"ent_" + c111, "grid_" + g1111, "community_" + c111, "admin"}

		// Eight hands send the same report with the same key: one report,
		// every answer that report (six enterprises, to give the race its
		// chances).
		var got [8]resumptiondb.Report
		var first resumptiondb.Report
		for _, n := range []int{0, 6, 7, 8, 9, 10} {
			by := hands
			if n != 0 {
				by = []string{"community_330206001002", "admin"}
			}
			var replayed [8]bool
			errs := storetest.Race(times(8, func(i int) error {
				var err error
				got[i], replayed[i], err = rs.SubmitReport(ctx, e.actor(by[i%len(by)]), resumptiondb.ReportInput{CampaignID: c.ID,
					EnterpriseID: e.ent(n), Key: "same-key", Report: resumption.Report{Resumed: true, Since: today, OutputShare: 5000 + 100*i, OnSite: 8, Workers: 12}})
				return err
			})...)
			fresh := 0
			for i, err := range errs {
				if err != nil {
					t.Errorf("enterprise %d, retry %d: %v", n, i, err)
					continue
				}
				if got[i].ID != got[0].ID || got[i].Version != 1 {
					t.Errorf("enterprise %d: retry %d answered report %d v%d; retry 0 report %d", n, i, got[i].ID, got[i].Version, got[0].ID)
				}
				if !replayed[i] {
					fresh++
				}
			}
			if fresh != 1 {
				t.Errorf("enterprise %d: %d of the retries made the report; want 1", n, fresh)
			}
			if m := e.count("SELECT COUNT(*) FROM resumption_reports WHERE campaign_id = ? AND enterprise_id = ?", c.ID, e.ent(n)); m != 1 {
				t.Errorf("enterprise %d: %d reports of one period", n, m)
			}
			if m := e.s.AuditCount(t, store.AuditQuery{Action: "resumption.report", Target: fmt.Sprintf("campaign/%d/enterprise/%d", c.ID, e.ent(n))}); m != 1 {
				t.Errorf("enterprise %d: %d reports audited, want 1", n, m)
			}
			if n == 0 {
				first = got[0]
			}
		}
		target := fmt.Sprintf("campaign/%d/enterprise/%d", c.ID, e.ent(0))

		// Eight corrections of the same version: one is kept.
		errs := storetest.Race(times(8, func(i int) error {
			var err error
			got[i], _, err = rs.SubmitReport(ctx, e.actor(hands[i%len(hands)]), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(0),
				Version: first.Version, Report: resumption.Report{Resumed: true, Since: today, OutputShare: 7000 + 100*i, OnSite: 9, Workers: 12}})
			return err
		})...)
		if w := storetest.OneWins(t, "eight corrections of one version", errs, fault.Conflict, ""); w >= 0 {
			var share, corrections, version int64
			if err := store.Scan(e.s.Engine.Reader().Row(ctx, "SELECT output_share, corrections, version FROM resumption_reports WHERE id = ?", first.ID),
				&share, &corrections, &version); err != nil {
				t.Fatal(err)
			}
			if share != int64(7000+100*w) || corrections != 1 || version != first.Version+1 {
				t.Errorf("the report holds %d, %d corrections, v%d; the winner sent %d at v%d", share, corrections, version, 7000+100*w, first.Version)
			}
		}
		if n := e.s.AuditCount(t, store.AuditQuery{Action: "resumption.report_correct", Target: target}); n != 1 {
			t.Errorf("%d corrections audited, want 1", n)
		}

		// Restart applications: one enterprise applies eight times, two
		// approvals meet, an approval meets a refusal.
		k := e.restartCampaign(s11)
		for _, n := range []int{0, 1} {
			e.plan(k, e.ent(n))
		}
		errs = storetest.Race(times(8, func(i int) error {
			_, err := rs.ApplyRestart(ctx, e.actor(hands[i%len(hands)]), resumptiondb.RestartInput{CampaignID: k.ID, EnterpriseID: e.ent(0),
				Pledge: pledge, Counts: resumption.Counts{OnSite: 8}})
			return err
		})...)
		storetest.OneWins(t, "eight applications", errs, fault.Conflict, "resumption_applied")
		if n := e.count("SELECT COUNT(*) FROM resumption_restarts WHERE campaign_id = ? AND enterprise_id = ?", k.ID, e.ent(0)); n != 1 {
			t.Errorf("%d applications of one enterprise", n)
		}
		r0, ok, err := rs.RestartOf(ctx, e.actor("admin"), k.ID, e.ent(0))
		if err != nil || !ok || len(r0.Steps) != 1 {
			t.Fatalf("the application: %+v %v %v", r0, ok, err)
		}
		if n := e.inbox("street_"+s11, "resumption.restart", fmt.Sprintf("/resumption/restarts/%d", r0.ID)); n != 1 {
			t.Errorf("the street was told %d times of the application", n)
		}
		r0 = e.act("street_"+s11, r0, "check", "")
		var decided [2]resumptiondb.Restart
		errs = storetest.Race(func() error {
			var err error
			decided[0], err = rs.ActRestart(ctx, e.actor("district_"+d1), r0.ID, r0.Version, "approve", "")
			return err
		}, func() error {
			var err error
			decided[1], err = rs.ActRestart(ctx, e.actor("admin"), r0.ID, r0.Version, "approve", "")
			return err
		})
		if w := storetest.OneWins(t, "two approvals", errs, fault.Conflict, ""); w >= 0 {
			now, _, _ := rs.RestartOf(ctx, e.actor("admin"), k.ID, e.ent(0))
			if now.State != resumption.Approved || now.Version != r0.Version+1 || len(now.Steps) != 3 || decided[w].Version != now.Version {
				t.Errorf("after two approvals: %s v%d, %d steps", now.State, now.Version, len(now.Steps))
			}
		}
		if n := e.count("SELECT COUNT(*) FROM inbox WHERE user_id = ? AND kind = 'resumption.restart' AND title = ?",
			e.actor("ent_"+c111).UserID, "复工申报已批准"); n != 1 {
			t.Errorf("the enterprise was told %d times of the approval", n)
		}
		if n := e.s.AuditCount(t, store.AuditQuery{Action: "resumption.restart_approve", Target: fmt.Sprintf("restart/%d", r0.ID)}); n != 1 {
			t.Errorf("%d approvals audited", n)
		}
		r1 := e.act("street_"+s11, e.apply("admin", k, e.ent(1)), "check", "")
		errs = storetest.Race(func() error {
			_, err := rs.ActRestart(ctx, e.actor("district_"+d1), r1.ID, r1.Version, "refuse", "返岗人员未完成隔离")
			return err
		}, func() error {
			_, err := rs.ActRestart(ctx, e.actor("admin"), r1.ID, r1.Version, "approve", "")
			return err
		}, func() error {
			_, err := rs.ActRestart(ctx, e.actor("grid_"+g1111), r1.ID, r1.Version, "withdraw", "")
			return err
		})
		storetest.OneWins(t, "an approval, a refusal and a withdrawal", errs, fault.Conflict, "")
		if n := e.count("SELECT COUNT(*) FROM resumption_restart_steps WHERE restart_id = ?", r1.ID); n != 3 {
			t.Errorf("%d steps after one decision, want 3", n)
		}

		// Reports naming the same stalled supplier: one open block for a
		// lead firm and its supplier, its grid worker told once.
		supplier := e.code(24) // the second district's first grid, with a grid worker
		gw := "grid_330203001001001"
		blocked := func(i int) resumption.Report {
			return resumption.Report{Resumed: true, Since: today, OutputShare: 2000 + 100*i, OnSite: 6, Workers: 12, BlockedBy: []string{supplier}}
		}
		staff := hands[1:] // the grid's, the community's and the administrator's hands
		errs = storetest.Race(times(8, func(i int) error {
			_, _, err := rs.SubmitReport(ctx, e.actor(staff[i%len(staff)]), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(1),
				Key: fmt.Sprintf("key-%d", i), Report: blocked(i)})
			return err
		})...)
		storetest.OneWins(t, "eight first reports with different keys", errs, fault.Conflict, "resumption_reported")
		leads := []int{1, 2, 3, 4, 5}
		errs = storetest.Race(times(4, func(i int) error {
			_, _, err := rs.SubmitReport(ctx, e.actor("admin"), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(leads[i+1]), Report: blocked(i)})
			return err
		})...)
		for i, err := range errs {
			if err != nil {
				t.Errorf("lead %d: %v", leads[i+1], err)
			}
		}
		openBlocks := func(what string) {
			t.Helper()
			for _, n := range leads {
				var id int64
				if err := store.Scan(e.s.Engine.Reader().Row(ctx, `SELECT id FROM resumption_blocks WHERE campaign_id = ? AND enterprise_id = ?
					AND supplier_id = ? AND state = 'open'`, c.ID, e.ent(n), e.ent(24)), &id); err != nil {
					t.Errorf("%s: the block of lead %d: %v", what, n, err)
					continue
				}
				if m := e.inbox(gw, "resumption.supplier", fmt.Sprintf("/resumption/blocks/%d", id)); m != 1 {
					t.Errorf("%s: the supplier's grid worker was told %d times of lead %d", what, m, n)
				}
			}
			if n := e.count("SELECT COUNT(*) FROM resumption_blocks WHERE supplier_id = ?", e.ent(24)); n != int64(len(leads)) {
				t.Errorf("%s: %d blocks, want %d", what, n, len(leads))
			}
			if _, n, err := rs.Todo(ctx, e.actor(gw), "resumption.supplier", 10); err != nil || n != len(leads) {
				t.Errorf("%s: the grid worker's to-dos: %d %v", what, n, err)
			}
		}
		openBlocks("first reports")
		e.s.clock.Advance(24 * time.Hour)
		today = e.today()
		errs = storetest.Race(times(len(leads), func(i int) error {
			_, _, err := rs.SubmitReport(ctx, e.actor(staff[1+i%2]), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: e.ent(leads[i]),
				Report: resumption.Report{Resumed: true, Since: today, OutputShare: 2500, OnSite: 6, Workers: 12, BlockedBy: []string{supplier, supplier}}})
			return err
		})...)
		for i, err := range errs {
			if err != nil {
				t.Errorf("lead %d the next day: %v", leads[i], err)
			}
		}
		openBlocks("the next day's reports")

		// Findings past their deadline, escalated by four instances at
		// once: each once, each recipient told once.
		if err := rs.SetPower(ctx, e.actor("admin"), e.actor("dept_tax").DepartmentID, "epidemic", "《传染病防治法》第五十三条"); err != nil {
			t.Fatal(err)
		}
		fa := e.check("grid_"+g1111, e.ent(0), resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: today, Consent: true})
		fb := e.check("dept_tax", e.ent(6), resumptiondb.FindingInput{Kind: resumption.Rectification, Basis: "《传染病防治法》", Deadline: today})
		fc := e.check("community_330203001001", e.ent(24), resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: e.day(1), Consent: true})
		fd := e.check("grid_"+g1111, e.ent(1), resumptiondb.FindingInput{Kind: resumption.Improvement, Deadline: e.day(9), Consent: true})
		e.s.clock.Advance(2 * 24 * time.Hour)
		var escalated [4]int
		errs = storetest.Race(times(4, func(i int) error {
			var err error
			escalated[i], err = rs.Escalate(ctx)
			return err
		})...)
		for i, err := range errs {
			if err != nil {
				t.Errorf("escalation %d: %v", i, err)
			}
		}
		if n := escalated[0] + escalated[1] + escalated[2] + escalated[3]; n != 3 {
			t.Errorf("the escalations raised %v; want 3 in all", escalated)
		}
		for _, x := range []struct {
			f  resumptiondb.Finding
			to []string
		}{
			{fa, []string{"community_" + c111, "street_" + s11}},
			{fb, []string{"community_330206001002", "street_" + s11, "dept_tax"}},
			{fc, []string{"community_330203001001", "street_330203001"}},
		} {
			href := fmt.Sprintf("/resumption/findings/%d", x.f.ID)
			for _, who := range x.to {
				if n := e.inbox(who, "resumption.late", href); n != 1 {
					t.Errorf("%s was told %d times that finding %d is late", who, n, x.f.ID)
				}
			}
			if n := e.count("SELECT COUNT(*) FROM inbox WHERE kind = 'resumption.late' AND href = ?", href); n != int64(len(x.to)) {
				t.Errorf("finding %d: %d notices, want %d", x.f.ID, n, len(x.to))
			}
			if n := e.s.AuditCount(t, store.AuditQuery{Action: "resumption.finding_escalate", Target: fmt.Sprintf("finding/%d", x.f.ID)}); n != 1 {
				t.Errorf("finding %d escalated %d times", x.f.ID, n)
			}
		}
		if n := e.count("SELECT COUNT(*) FROM resumption_findings WHERE id = ? AND escalated_at > 0", fd.ID); n != 0 {
			t.Errorf("a finding not yet due was escalated")
		}
		if n, err := rs.Escalate(ctx); err != nil || n != 0 {
			t.Errorf("escalating again: %d %v", n, err)
		}

		// A finding closed by several hands at once: closed once.
		errs = storetest.Race(times(3, func(i int) error {
			_, err := rs.CloseFinding(ctx, e.actor([]string{"grid_" + g1111, "community_" + c111, "admin"}[i]), fa.ID, fa.Version, "复查：物资已补足")
			return err
		})...)
		storetest.OneWins(t, "three closings of a finding", errs, fault.Conflict, "")
		if n := e.s.AuditCount(t, store.AuditQuery{Action: "resumption.finding_close", Target: fmt.Sprintf("finding/%d", fa.ID)}); n != 1 {
			t.Errorf("the finding was closed %d times", n)
		}

		// A block resolved by its supplier's grid worker and the lead's at once.
		var bid, bver int64
		if err := store.Scan(e.s.Engine.Reader().Row(ctx, `SELECT id, version FROM resumption_blocks WHERE campaign_id = ? AND enterprise_id = ?
			AND state = 'open'`, c.ID, e.ent(1)), &bid, &bver); err != nil {
			t.Fatal(err)
		}
		errs = storetest.Race(func() error {
			_, err := rs.ResolveBlock(ctx, e.actor(gw), bid, bver, "供应商已复工")
			return err
		}, func() error {
			_, err := rs.ResolveBlock(ctx, e.actor("grid_"+g1111), bid, bver, "已协调替代供应商")
			return err
		})
		storetest.OneWins(t, "two answers to a block", errs, fault.Conflict, "")
		if n := e.s.AuditCount(t, store.AuditQuery{Action: "resumption.block_resolve", Target: fmt.Sprintf("block/%d", bid)}); n != 1 {
			t.Errorf("the block was resolved %d times", n)
		}

		// A flag checked by four hands at once: checked once.
		month := e.s.clock.Now().In(calendar.Shanghai).Format("2006-01")
		lastYear := e.s.clock.Now().In(calendar.Shanghai).AddDate(-1, 0, 0).Format("2006-01")
		if res, err := rs.ImportPower(ctx, e.actor("street_"+s11), []resumptiondb.PowerRow{{CreditCode: e.code(0), Month: lastYear, KWh: 100_000},
			{CreditCode: e.code(0), Month: month, KWh: 5_000}}); err != nil || res.Flagged != 1 {
			t.Fatalf("import: %+v %v", res, err)
		}
		flags, _, err := rs.Flags(ctx, e.actor("admin"), resumptiondb.FlagQuery{State: "open"})
		if err != nil || len(flags) != 1 {
			t.Fatalf("flags: %v %v", flags, err)
		}
		fl := flags[0]
		errs = storetest.Race(times(4, func(i int) error {
			_, err := rs.CheckFlag(ctx, e.actor([]string{"grid_" + g1111, "community_" + c111, "street_" + s11, "admin"}[i]), fl.ID, fl.Version,
				fmt.Sprintf("已上门核实 %d", i))
			return err
		})...)
		storetest.OneWins(t, "four checks of a flag", errs, fault.Conflict, "")
		if n := e.count("SELECT COUNT(*) FROM resumption_flags WHERE id = ? AND state = 'checked' AND version = ?", fl.ID, fl.Version+1); n != 1 {
			t.Errorf("the flag is not checked once")
		}
		if n := e.s.AuditCount(t, store.AuditQuery{Action: "resumption.flag_check", Target: fmt.Sprintf("flag/%d", fl.ID)}); n != 1 {
			t.Errorf("the flag was checked %d times", n)
		}
	})
}
