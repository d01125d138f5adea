package formdb_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/pgtest"
	"qifu/internal/place"
	"qifu/internal/platform"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type testStore struct {
	*storetest.Store
	*platform.Modules
}

func open(t *testing.T, dsn string, c *storetest.Clock) *testStore {
	t.Helper()
	var s testStore
	s.Store = storetest.Open(t, dsn, c, store.Options{}, func(st *store.Store) { s.Modules = platform.Build(st, platform.Options{}) })
	return &s
}

func ptr(x float64) *float64 { return &x }

// survey is a form with a fact question, a condition and a table.
var survey = form.Definition{Zh: "企业用工需求排摸", En: "Labour needs survey", Sections: []form.Section{{
	Zh: "基本情况", Questions: []form.Question{
		{Key: "employees", Type: form.Fact, Fact: "employees", Zh: "从业人员", Required: true},
		{Key: "short", Type: form.YesNo, Zh: "是否缺工", Required: true},
		{Key: "gap", Type: form.Number, Zh: "缺工人数", Unit: "人", Min: ptr(1), Max: ptr(10000), Required: true,
			When: &form.Condition{Key: "short", Equals: "yes"}},
		{Key: "kind", Type: form.Choice, Zh: "主要工种", Options: []form.Option{{Value: "general", Zh: "普工"}, {Value: "welder", Zh: "焊工"}}},
		{Key: "orders", Type: form.Table, Zh: "在手订单", Columns: []form.Question{
			{Key: "client", Type: form.Text, Zh: "客户", Required: true}, {Key: "due", Type: form.Date, Zh: "交期"}}},
	}}}}

// TestSurvey sends a form to an audience on both stores and follows it:
// the frozen list equals the registry's oracle; the enterprise sees it in
// its to-dos, opens it (seen), saves a draft, submits idempotently,
// corrects within the window, and its fact answers become facts of its
// file with its source; a grid worker fills for another on its behalf
// (channel and source recorded); progress per grid counts sent, seen,
// answered and overdue; reminders go once per 12 hours; later changes of the
// list are audited with their reason; a closed campaign takes nothing; and
// the records are out of reach of those whose scope does not hold them.
func TestSurvey(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		community, grid, ent := s.As(t, "community"), s.As(t, "grid"), s.As(t, "enterprise")
		ids := s.IDs(t)
		show := storetest.DemoUser(t, "community").RegionCode

		// The oracle: the community's enterprises with 50 or more employees.
		want, unknown := 0, 0
		for _, e := range storetest.Dataset().Enterprises {
			switch {
			case e.CommunityCode != show:
			case e.Employees == 0:
				unknown++
			case e.Employees >= 50:
				want++
			}
		}
		if want == 0 {
			t.Fatal("the oracle holds no enterprise")
		}

		// Bad definitions are refused; a grid worker may not build forms.
		if _, err := s.Forms.Create(ctx, community, form.Definition{Zh: "空"}); !fault.Is(err, fault.Invalid) {
			t.Errorf("a form without sections: %v", err)
		}
		if _, err := s.Forms.Create(ctx, grid, survey); err != access.ErrForbidden {
			t.Errorf("a grid worker builds a form: %v", err)
		}
		f, err := s.Forms.Create(ctx, community, survey)
		if err != nil {
			t.Fatal(err)
		}

		def := audience.Definition{Regions: []string{show}, Facts: []audience.FactCondition{{Kind: "employees", Op: audience.AtLeast, Value: "50"}}}
		res, err := s.Campaigns.Preview(ctx, community, def)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.IDs) != want || res.Unknown != unknown {
			t.Errorf("preview: %d members, %d unknown; want %d and %d", len(res.IDs), len(res.IDs), want, unknown)
		}

		// The due day is a working day from today.
		for _, bad := range []struct{ due, field string }{{"2026-03-07", "due"}, {"2026-02-27", "due"}, {"soon", "due"}} {
			_, err := s.Forms.Send(ctx, community, f.ID, audiencedb.Campaign{Audience: def, Due: bad.due})
			if fe := fault.As(err); fe == nil || fe.Fields[bad.field].Zh == "" {
				t.Errorf("due %s: %v", bad.due, err)
			}
		}
		none := audience.Definition{Regions: []string{show}, Facts: []audience.FactCondition{{Kind: "employees", Op: audience.AtLeast, Value: "9999999"}}}
		if _, err := s.Forms.Send(ctx, community, f.ID, audiencedb.Campaign{Audience: none, Due: "2026-03-09"}); !fault.Is(err, fault.Invalid) {
			t.Errorf("an empty audience: %v", err)
		}
		c, err := s.Forms.Send(ctx, community, f.ID, audiencedb.Campaign{Audience: def, Due: "2026-03-09"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Members != want || c.FormVersion != 1 || c.Title != survey.Zh {
			t.Errorf("campaign: %d members (want %d), version %d, title %q", c.Members, want, c.FormVersion, c.Title)
		}
		// Editing the sent form saves version 2; the campaign keeps 1. The
		// sending moved the form on: an edit made on what was seen before it is stale.
		edited := survey
		edited.Zh = "企业用工需求排摸（二）"
		if _, err := s.Forms.Save(ctx, community, f.ID, f.Version, edited); err != fault.ErrConflict {
			t.Errorf("an edit on the form as it was before sending: %v", err)
		}
		f, _, err = s.Forms.Form(ctx, community, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f, err = s.Forms.Save(ctx, community, f.ID, f.Version, edited); err != nil || f.Latest != 2 {
			t.Errorf("save after sending: version %d, %v", f.Latest, err)
		}
		if def, err := s.Forms.VersionOf(ctx, c); err != nil || def.Zh != survey.Zh {
			t.Errorf("the campaign's version after the edit: %q %v", def.Zh, err)
		}

		// The showcase enterprise is on the list when it has 50 employees.
		u := storetest.DemoUser(t, "enterprise")
		showcase := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.CreditCode == u.EnterpriseCode })
		eid := ids[showcase.CreditCode]
		inList := showcase.Employees >= 50
		page, err := s.Todo.Page(ctx, ent, "survey", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if (page.Total == 1) != inList {
			t.Fatalf("the enterprise's survey to-dos: %d (on the list: %v)", page.Total, inList)
		}
		if !inList {
			if _, err := s.Forms.Open(ctx, ent, c.ID, eid); !fault.Is(err, fault.NotFound) {
				t.Errorf("an enterprise not on the list opens it: %v", err)
			}
			t.Skip("the showcase enterprise is not on the list")
		}

		fill, err := s.Forms.Open(ctx, ent, c.ID, eid)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Campaigns.Seen(ctx, ent, c.ID, eid); err != nil {
			t.Fatal(err)
		}
		if k, ok := dossier.Latest(fill.Known, "employees"); !ok || k.Num != int64(showcase.Employees) {
			t.Errorf("prefill of employees: %+v, want %d", k, showcase.Employees)
		}

		// A draft keeps what is right and refuses what is wrong.
		if _, err := s.Forms.SaveDraft(ctx, ent, formdb.Input{CampaignID: c.ID, EnterpriseID: eid,
			Answers: form.Answers{"short": {Values: []string{"yes"}}, "gap": {Values: []string{"many"}}}}); !fault.Is(err, fault.Invalid) {
			t.Errorf("a draft with a wrong number: %v", err)
		}
		draft, err := s.Forms.SaveDraft(ctx, ent, formdb.Input{CampaignID: c.ID, EnterpriseID: eid,
			Answers: form.Answers{"short": {Values: []string{"yes"}}}})
		if err != nil || draft.State != formdb.Draft {
			t.Fatalf("draft: %+v %v", draft, err)
		}
		// Submitting without what is required is refused, per field.
		_, _, err = s.Forms.Submit(ctx, ent, formdb.Input{CampaignID: c.ID, EnterpriseID: eid, Version: draft.Version,
			Answers: form.Answers{"short": {Values: []string{"yes"}}}})
		if fe := fault.As(err); fe == nil || fe.Fields["gap"].Zh == "" || fe.Fields["employees"].Zh == "" {
			t.Errorf("submit without required answers: %v", err)
		}
		answers := form.Answers{"employees": {Values: []string{"64"}}, "short": {Values: []string{"yes"}}, "gap": {Values: []string{"12"}},
			"orders": {Rows: [][]string{{"宁波某汽配", "2026-04-30"}}}}
		in := formdb.Input{CampaignID: c.ID, EnterpriseID: eid, Version: draft.Version, Answers: answers, Key: "k-1"}
		sub, replayed, err := s.Forms.Submit(ctx, ent, in)
		if err != nil || replayed || sub.State != formdb.Submitted || sub.Channel != "enterprise.web" {
			t.Fatalf("submit: %+v replayed %v: %v", sub, replayed, err)
		}
		again, replayed, err := s.Forms.Submit(ctx, ent, in)
		if err != nil || !replayed || again.ID != sub.ID {
			t.Errorf("a retry with the same key: %+v replayed %v: %v", again, replayed, err)
		}
		if _, _, err := s.Forms.Submit(ctx, ent, formdb.Input{CampaignID: c.ID, EnterpriseID: eid, Answers: answers}); !fault.Is(err, fault.Conflict) {
			t.Errorf("a second submit without the version: %v", err)
		}
		// The declared headcount is a fact of the file, with its source and
		// the submission it came from (the staff's registry value of the same
		// day stays current over it, being more authoritative).
		_, history, err := s.Dossier.Facts(ctx, grid, eid)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range history {
			found = found || (f.Kind == "employees" && f.Num == 64 && f.Source == dossier.Declared &&
				f.Ref == fmt.Sprintf("survey:%d/submission:%d", c.ID, sub.ID))
		}
		if !found && showcase.Employees != 64 {
			t.Error("the answered headcount is not a declared fact of the file")
		}
		// A correction within the window is a new state in the history.
		s.Clock.Advance(time.Hour)
		answers["gap"] = form.Answer{Values: []string{"15"}}
		corr, _, err := s.Forms.Submit(ctx, ent, formdb.Input{CampaignID: c.ID, EnterpriseID: eid, Version: sub.Version, Answers: answers, Key: "k-2"})
		if err != nil || corr.Corrections != 1 {
			t.Fatalf("correction: %+v %v", corr, err)
		}
		if _, _, err := s.Forms.Submit(ctx, ent, formdb.Input{CampaignID: c.ID, EnterpriseID: eid, Version: sub.Version, Answers: answers}); err != fault.ErrConflict {
			t.Errorf("a correction on a stale version: %v", err)
		}
		fill, err = s.Forms.Open(ctx, grid, c.ID, eid)
		if err != nil || len(fill.History) != 2 || fill.Submission.Answers["gap"].Value() != "15" {
			t.Errorf("history after a correction: %d entries, gap %q, %v", len(fill.History), fill.Submission.Answers["gap"].Value(), err)
		}

		// The grid worker fills for another enterprise of its grid.
		members, total, err := s.Campaigns.Members(ctx, grid, c.ID, audiencedb.MemberQuery{State: audiencedb.MembersUnanswered})
		if err != nil || total == 0 {
			t.Fatalf("the grid's unanswered: %d %v", total, err)
		}
		other := members[0].EnterpriseID
		staffSub, _, err := s.Forms.Submit(ctx, grid, formdb.Input{CampaignID: c.ID, EnterpriseID: other,
			Answers: form.Answers{"employees": {Values: []string{"70"}}, "short": {Values: []string{"no"}}}})
		if err != nil || staffSub.Channel != "staff.web" {
			t.Fatalf("a grid worker's submission: %+v %v", staffSub, err)
		}
		if k, _ := s.Dossier.Known(ctx, grid, other, []string{"employees"}); k["employees"].Source != dossier.Staff || k["employees"].Num != 70 {
			t.Errorf("a staff answer as a fact: %+v", k["employees"])
		}

		// Progress per grid; the community's totals.
		rows, tot, err := s.Campaigns.ProgressBy(ctx, community, c.ID, place.Grid)
		if err != nil {
			t.Fatal(err)
		}
		if tot.Sent != want || tot.Answered != 2 || tot.Seen < 1 || tot.Overdue != 0 || len(rows) == 0 {
			t.Errorf("progress: %+v over %d grids", tot, len(rows))
		}
		sum := 0
		for _, r := range rows {
			sum += r.Sent
		}
		if sum != tot.Sent {
			t.Errorf("grids sum to %d, total %d", sum, tot.Sent)
		}
		// The grid worker sees its grid only.
		_, gtot, err := s.Campaigns.ProgressBy(ctx, grid, c.ID, place.Grid)
		if err != nil || gtot.Sent > tot.Sent || gtot.Sent == 0 {
			t.Errorf("the grid's progress: %+v %v", gtot, err)
		}

		// Reminders: once, then not again within 12 hours.
		r, err := s.Campaigns.Remind(ctx, community, c.ID)
		if err != nil || r.GridWorkers == 0 {
			t.Errorf("remind: %+v %v", r, err)
		}
		if _, err := s.Campaigns.Remind(ctx, community, c.ID); !fault.Is(err, fault.Conflict) {
			t.Errorf("a second reminder at once: %v", err)
		}
		if _, err := s.Campaigns.Remind(ctx, grid, c.ID); err != access.ErrForbidden {
			t.Errorf("a grid worker reminds: %v", err)
		}

		// A change of the frozen list needs its reason and is audited.
		audits := s.AuditCount(t, store.AuditQuery{Action: "campaign.member.remove"})
		if err := s.Campaigns.RemoveMember(ctx, community, c.ID, other, ""); !fault.Is(err, fault.Invalid) {
			t.Errorf("a removal without reason: %v", err)
		}
		if err := s.Campaigns.RemoveMember(ctx, community, c.ID, other, "企业已注销"); err != nil {
			t.Fatal(err)
		}
		if n := s.AuditCount(t, store.AuditQuery{Action: "campaign.member.remove"}); n != audits+1 {
			t.Errorf("removals audited: %d", n-audits)
		}
		if _, tot2, _ := s.Campaigns.ProgressBy(ctx, community, c.ID, place.Street); tot2.Sent != want-1 || tot2.Answered != 1 {
			t.Errorf("progress after a removal: %+v", tot2)
		}
		if err := s.Campaigns.AddMember(ctx, community, c.ID, members[0].CreditCode, "误删，恢复"); err != nil {
			t.Errorf("adding back: %v", err)
		}

		// Out of scope: another community, a department, an enterprise not on the list.
		var elsewhere string
		for _, u := range storetest.Dataset().Users {
			if u.Role == access.RoleCommunityStaff && u.RegionCode != show {
				elsewhere = u.Username
				break
			}
		}
		for _, who := range []string{elsewhere, "dept_tax"} {
			if _, err := s.Campaigns.Campaign(ctx, s.As(t, who), c.ID); !fault.Is(err, fault.NotFound) {
				t.Errorf("%s reads the campaign: %v", who, err)
			}
			// The bureau reads the enterprise but may not fill for it.
			if _, err := s.Forms.Open(ctx, s.As(t, who), c.ID, eid); !fault.Is(err, fault.NotFound) && err != access.ErrForbidden {
				t.Errorf("%s opens the enterprise's form: %v", who, err)
			}
		}

		// After the due day the unanswered are overdue, and red in the grid worker's to-dos.
		s.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, calendar.Shanghai))
		if _, tot3, _ := s.Campaigns.ProgressBy(ctx, community, c.ID, place.Grid); tot3.Overdue != tot3.Sent-tot3.Answered || tot3.Overdue == 0 {
			t.Errorf("overdue after the due day: %+v", tot3)
		}
		gp, err := s.Todo.Page(ctx, grid, "survey", 10, 0)
		if err != nil || gp.Total != 1 || gp.Items[0].Colour != "red" {
			t.Errorf("the grid worker's chase: %+v %v", gp, err)
		}

		// The export: one row per member, two answered.
		n, answered := 0, 0
		if err := s.Forms.EachAnswer(ctx, s.Campaigns, community, c.ID, func(a formdb.Answer) error {
			n++
			if a.Submission != nil {
				answered++
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if n != want || answered != 2 {
			t.Errorf("export: %d rows, %d answered; want %d and 2", n, answered, want)
		}

		// The timeline shows the campaign to those who follow it or fill
		// for the enterprise, and to no one else.
		for who, want := range map[string]bool{"enterprise": true, "grid": true, "dept_tax": false, "organisation": false} {
			entries, err := s.Campaigns.Timeline(ctx, s.As(t, who), eid, 50)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(entries) > 0; got != want {
				t.Errorf("%s sees %d survey entries on the enterprise's timeline; want any: %v", who, len(entries), want)
			}
		}

		// Closed, nothing more is taken, and the overdue stand.
		_, before, _ := s.Campaigns.ProgressBy(ctx, community, c.ID, place.Grid)
		c, err = s.Campaigns.Campaign(ctx, community, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Campaigns.Close(ctx, community, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if _, after, _ := s.Campaigns.ProgressBy(ctx, community, c.ID, place.Grid); after.Overdue != before.Overdue || after.Overdue == 0 {
			t.Errorf("overdue after closing: %d; before %d", after.Overdue, before.Overdue)
		}
		if _, _, err := s.Forms.Submit(ctx, ent, formdb.Input{CampaignID: c.ID, EnterpriseID: eid, Version: corr.Version, Answers: answers}); !fault.Is(err, fault.Conflict) {
			t.Errorf("a correction after closing: %v", err)
		}
	})
}

// TestSubmitRace races, on both stores, the first submission of one
// enterprise by its own account and by its grid worker, and retries of one
// submit with the same key: exactly one submission stands with one entry
// in its history, the member is answered once, and every loser is told so
// (a conflict) or answered the winner's submission (a replay).
func TestSubmitRace(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		community, grid, ent := s.As(t, "community"), s.As(t, "grid"), s.As(t, "enterprise")
		u := storetest.DemoUser(t, "enterprise")
		eid := s.IDs(t)[u.EnterpriseCode]
		f, err := s.Forms.Create(ctx, community, survey)
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Forms.Send(ctx, community, f.ID, audiencedb.Campaign{Due: "2026-03-09",
			Audience: audience.Definition{Regions: []string{storetest.DemoUser(t, "grid").RegionCode}}})
		if err != nil {
			t.Fatal(err)
		}
		answers := form.Answers{"employees": {Values: []string{"40"}}, "short": {Values: []string{"no"}}}
		type result struct {
			sub      formdb.Submission
			replayed bool
			err      error
		}
		const racers = 8
		results := make(chan result, racers)
		for i := range racers {
			go func() {
				who, key := ent, "same-key"
				if i%2 == 1 {
					who, key = grid, fmt.Sprintf("grid-%d", i)
				}
				sub, replayed, err := s.Forms.Submit(ctx, who, formdb.Input{CampaignID: c.ID, EnterpriseID: eid, Answers: answers, Key: key})
				results <- result{sub, replayed, err}
			}()
		}
		winners, ids := 0, map[int64]bool{}
		for range racers {
			r := <-results
			switch {
			case r.err == nil && !r.replayed:
				winners++
				ids[r.sub.ID] = true
			case r.err == nil:
				ids[r.sub.ID] = true
			case !fault.Is(r.err, fault.Conflict):
				t.Errorf("a racer: %v", r.err)
			}
		}
		if winners != 1 || len(ids) != 1 {
			t.Errorf("%d winners over %d submissions; want exactly one", winners, len(ids))
		}
		fill, err := s.Forms.Open(ctx, community, c.ID, eid)
		if err != nil {
			t.Fatal(err)
		}
		if len(fill.History) != 1 || fill.Submission.Corrections != 0 ||
			fill.Submission.Answers["employees"].Value() != fill.History[0].Answers["employees"].Value() {
			t.Errorf("history of %d entries, %d corrections; want one first submission", len(fill.History), fill.Submission.Corrections)
		}
		if _, tot, _ := s.Campaigns.ProgressBy(ctx, community, c.ID, place.Grid); tot.Answered != 1 {
			t.Errorf("answered %d; want 1", tot.Answered)
		}

		// A draft saved while another submits, on the same version: one of
		// them wins; a submitted answer never holds the draft's answers.
		members, _, err := s.Campaigns.Members(ctx, community, c.ID, audiencedb.MemberQuery{State: audiencedb.MembersUnanswered})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members[:min(len(members), 6)] {
			draft, err := s.Forms.SaveDraft(ctx, grid, formdb.Input{CampaignID: c.ID, EnterpriseID: m.EnterpriseID,
				Answers: form.Answers{"short": {Values: []string{"yes"}}}})
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 2)
			go func() {
				_, err := s.Forms.SaveDraft(ctx, grid, formdb.Input{CampaignID: c.ID, EnterpriseID: m.EnterpriseID, Version: draft.Version,
					Answers: form.Answers{"short": {Values: []string{"yes"}}, "gap": {Values: []string{"3"}}}})
				done <- err
			}()
			go func() {
				_, _, err := s.Forms.Submit(ctx, community, formdb.Input{CampaignID: c.ID, EnterpriseID: m.EnterpriseID, Version: draft.Version,
					Answers: answers})
				done <- err
			}()
			wins := 0
			for range 2 {
				if err := <-done; err == nil {
					wins++
				} else if !fault.Is(err, fault.Conflict) {
					t.Errorf("a racer: %v", err)
				}
			}
			f, err := s.Forms.Open(ctx, community, c.ID, m.EnterpriseID)
			if err != nil {
				t.Fatal(err)
			}
			if wins != 1 || (f.Submission.State == formdb.Submitted && f.Submission.Answers["employees"].Value() != "40") {
				t.Errorf("draft against submit: %d winners, %s with %v", wins, f.Submission.State, f.Submission.Answers)
			}
		}
	})
}

// TestFiles uploads a photo for one enterprise of a campaign on both
// stores: its answer names it; another enterprise's answer may not; those
// who fill for the enterprise or follow it read it, others do not; the
// engine counts the file as kept (backups, the sweep).
func TestFiles(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		community, grid, ent := s.As(t, "community"), s.As(t, "grid"), s.As(t, "enterprise")
		eid := s.IDs(t)[storetest.DemoUser(t, "enterprise").EnterpriseCode]
		def := survey
		def.Sections = []form.Section{{Zh: "照片", Questions: []form.Question{{Key: "photo", Type: form.File, Zh: "车间照片", Required: true}}}}
		f, err := s.Forms.Create(ctx, community, def)
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Forms.Send(ctx, community, f.ID, audiencedb.Campaign{Due: "2026-03-09",
			Audience: audience.Definition{Regions: []string{grid.RegionCode}}})
		if err != nil {
			t.Fatal(err)
		}
		const sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
		file, err := s.Forms.AddFile(ctx, ent, c.ID, eid, formdb.FileInput{SHA256: sha, Name: "车间.png", MIME: "image/png", Size: 120})
		if err != nil {
			t.Fatal(err)
		}
		if kept, err := s.HasAttachment(ctx, sha); err != nil || !kept {
			t.Errorf("the engine does not keep the form's file: %v %v", kept, err)
		}
		members, _, err := s.Campaigns.Members(ctx, community, c.ID, audiencedb.MemberQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var other int64
		for _, m := range members {
			if m.EnterpriseID != eid {
				other = m.EnterpriseID
				break
			}
		}
		// Another enterprise's answer may not name it.
		_, _, err = s.Forms.Submit(ctx, grid, formdb.Input{CampaignID: c.ID, EnterpriseID: other, Answers: form.Answers{"photo": {Values: []string{file.Ref()}}}})
		if fe := fault.As(err); fe == nil || fe.Fields["photo"].Zh == "" {
			t.Errorf("another enterprise's answer names the file: %v", err)
		}
		if _, _, err := s.Forms.Submit(ctx, ent, formdb.Input{CampaignID: c.ID, EnterpriseID: eid, Answers: form.Answers{"photo": {Values: []string{file.Ref()}}}}); err != nil {
			t.Fatal(err)
		}
		for who, want := range map[string]bool{"enterprise": true, "grid": true, "community": true, "street_leader": true, "dept_tax": false, "lawyer": false} {
			_, err := s.Forms.File(ctx, s.As(t, who), c.ID, file.ID)
			if got := err == nil; got != want {
				t.Errorf("%s reads the file: %v; want %v", who, err, want)
			}
		}
	})
}
