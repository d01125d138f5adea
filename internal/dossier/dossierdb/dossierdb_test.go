package dossierdb_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/audience"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/dossier"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/pgtest"
	"qifu/internal/platform"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
	"qifu/internal/todo"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testStore is the platform's modules on an engine under test.
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

// showcase is the enterprise of the demo's "enterprise" account.
func showcase(t *testing.T, s *testStore) (enterprise.Enterprise, int64) {
	t.Helper()
	u := storetest.DemoUser(t, "enterprise")
	e := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.CreditCode == u.EnterpriseCode })
	return e, s.IDs(t)[e.CreditCode]
}

// TestFacts records facts from several sources on both stores and holds the
// rules: the registry's values are facts from the start; the current value
// of a period is the most authoritative source's, then the newest; the
// registry follows the newest current value; every fact is audited; a fact
// outside the actor's scope is not found, one the role may not record is
// forbidden, and bad input records nothing.
func TestFacts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		e, id := showcase(t, s)
		lastYear := strconv.Itoa(storetest.Start.In(calendar.Shanghai).Year() - 1)
		ent, tax, grid, street := s.As(t, "enterprise"), s.As(t, "dept_tax"), s.As(t, "grid"), s.As(t, "street_leader")

		// The demo's registry values are facts of the staff who loaded it.
		current, history, err := s.Dossier.Facts(ctx, ent, id)
		if err != nil {
			t.Fatal(err)
		}
		if f, ok := dossier.Latest(current, "employees"); e.Employees > 0 && (!ok || f.Num != int64(e.Employees) || f.Source != dossier.Staff || f.Ref != "registry") {
			t.Errorf("registry employees as a fact: %+v (registry %d)", f, e.Employees)
		}
		if f, ok := dossier.Latest(current, "revenue"); e.Revenue > 0 && (!ok || f.Num != e.Revenue || f.Period != lastYear) {
			t.Errorf("registry revenue as a fact of %s: %+v (registry %d)", lastYear, f, e.Revenue)
		}
		before := len(history)
		audits := s.AuditCount(t, store.AuditQuery{Action: "enterprise.fact"})

		// The enterprise declares, the tax bureau brings its data, the
		// enterprise declares again later: the bureau's value stands.
		s.Clock.Advance(1000)
		declared, err := s.Dossier.Record(ctx, ent, dossier.Fact{EnterpriseID: id, Kind: "revenue", Period: lastYear, Num: 30_000_000})
		if err != nil {
			t.Fatal(err)
		}
		if declared.Source != dossier.Declared || declared.RecordedName == "" {
			t.Errorf("the enterprise's fact: %+v", declared)
		}
		s.Clock.Advance(1000)
		if _, err := s.Dossier.Record(ctx, tax, dossier.Fact{EnterpriseID: id, Kind: "revenue", Period: lastYear, Num: 31_500_000, Note: "纳税申报"}); err != nil {
			t.Fatal(err)
		}
		s.Clock.Advance(1000)
		if _, err := s.Dossier.Record(ctx, ent, dossier.Fact{EnterpriseID: id, Kind: "revenue", Period: lastYear, Num: 29_000_000}); err != nil {
			t.Fatal(err)
		}
		known, err := s.Dossier.Known(ctx, grid, id, []string{"revenue", "tax_paid"})
		if err != nil {
			t.Fatal(err)
		}
		if f := known["revenue"]; f.Num != 31_500_000 || f.Source != dossier.Department || !f.Source.Authoritative() {
			t.Errorf("current revenue of %s: %+v, want the tax bureau's", lastYear, f)
		}
		if _, ok := known["tax_paid"]; ok {
			t.Error("a kind never recorded is known")
		}
		// The registry follows, with its size class.
		after, err := s.Enterprise(ctx, access.System("test"), id)
		if err != nil {
			t.Fatal(err)
		}
		if after.Revenue != 31_500_000 || after.Size != enterprise.Classify(after.Industry, after.Employees, 31_500_000) || after.Version <= e.Version {
			t.Errorf("registry after the facts: revenue %d size %s version %d", after.Revenue, after.Size, after.Version)
		}
		_, history, err = s.Dossier.Facts(ctx, grid, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != before+3 {
			t.Errorf("history: %d facts, want %d (nothing overwritten)", len(history), before+3)
		}
		if n := s.AuditCount(t, store.AuditQuery{Action: "enterprise.fact"}); n != audits+3 {
			t.Errorf("facts audited: %d, want %d", n-audits, 3)
		}

		// A registry edit is a fact of its own; a more authoritative value
		// of the same day stands over it, and the registry follows that.
		day := s.Clock.Now().In(calendar.Shanghai).Format("2006-01-02")
		if _, err := s.Dossier.Record(ctx, tax, dossier.Fact{EnterpriseID: id, Kind: "employees", Period: day, Num: 77}); err != nil {
			t.Fatal(err)
		}
		cur, err := s.Enterprise(ctx, access.System("test"), id)
		if err != nil {
			t.Fatal(err)
		}
		if cur.Employees != 77 {
			t.Errorf("registry employees after the bureau's headcount: %d, want 77", cur.Employees)
		}
		edit := cur
		edit.Employees = 80
		if _, err := s.UpdateEnterprise(ctx, s.As(t, "community"), id, cur.Version, edit); err != nil {
			t.Fatal(err)
		}
		cur, _ = s.Enterprise(ctx, access.System("test"), id)
		if cur.Employees != 77 {
			t.Errorf("registry employees after a staff edit of the same day: %d, want the bureau's 77", cur.Employees)
		}
		current, _, _ = s.Dossier.Facts(ctx, grid, id)
		if f, _ := dossier.Latest(current, "employees"); f.Num != 77 {
			t.Errorf("current employees %d, want 77", f.Num)
		}

		// Scope and roles.
		other := storetest.DemoEnterprise(t, func(x enterprise.Enterprise) bool { return x.GridCode != storetest.DemoUser(t, "grid").RegionCode })
		otherID := s.IDs(t)[other.CreditCode]
		if _, err := s.Dossier.Record(ctx, grid, dossier.Fact{EnterpriseID: otherID, Kind: "tax_paid", Period: lastYear, Num: 1}); !fault.Is(err, fault.NotFound) {
			t.Errorf("a fact outside the grid: %v, want not found", err)
		}
		if _, _, err := s.Dossier.Facts(ctx, grid, otherID); !fault.Is(err, fault.NotFound) {
			t.Errorf("facts outside the grid: %v, want not found", err)
		}
		if _, err := s.Dossier.People(ctx, ent, otherID); !fault.Is(err, fault.NotFound) {
			t.Errorf("another enterprise's people: %v, want not found", err)
		}
		if _, err := s.Dossier.Record(ctx, street, dossier.Fact{EnterpriseID: id, Kind: "tax_paid", Period: lastYear, Num: 1}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a street leader records a fact: %v, want forbidden", err)
		}
		// Bad input records nothing.
		n := len(history)
		for _, f := range []dossier.Fact{
			{EnterpriseID: id, Kind: "revenue", Period: "2099", Num: 1},
			{EnterpriseID: id, Kind: "employees", Period: "yesterday", Num: 1},
			{EnterpriseID: id, Kind: "nonsense", Period: lastYear},
			{EnterpriseID: id, Kind: "export_share", Period: lastYear, Num: 20000},
		} {
			if _, err := s.Dossier.Record(ctx, grid, f); !fault.Is(err, fault.Invalid) {
				t.Errorf("%+v: %v, want invalid", f, err)
			}
		}
		_, history, _ = s.Dossier.Facts(ctx, grid, id)
		if len(history) != n+2 { // the bureau's headcount and the staff edit
			t.Errorf("history after refused facts: %d, want %d", len(history), n+2)
		}

		// The people who answer for it: its grid worker first.
		people, err := s.Dossier.People(ctx, ent, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(people) == 0 || people[0].As != "grid_worker" {
			t.Errorf("people: %+v, want its grid worker first", people)
		}
		for _, p := range people {
			if p.Phone != "" && p.Phone == storetest.DemoUser(t, "grid").Phone {
				t.Errorf("a phone shown in full: %+v", p)
			}
		}
	})
}

// TestTimelineAndTodo replays a demo history on both stores and checks that
// an enterprise's timeline holds its appeals the reader may see, and that
// every showcase account's to-do list — every page of it, and its counts —
// is exactly the open work an oracle reads from the tables: the appeals to
// triage in a community's or grid's region, the department's dispatches to
// sign and in hand, the enterprise's appeals to rate and to complete.
func TestTimelineAndTodo(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		clk := storetest.NewClock(storetest.Start)
		rs := open(t, s.DSN, clk)
		plans, moves := demo.History(storetest.Dataset(), 5, storetest.Start.AddDate(0, 2, 0), 150)
		if _, err := rs.Appeals.ReplayHistory(ctx, plans, moves, clk.Set); err != nil {
			t.Fatal(err)
		}
		s.Clock.Set(clk.Now())
		db := s.Raw(t)
		// And the showcase department's own work, whatever the history left:
		// three appeals of the showcase enterprise, two dispatched to it, one
		// of them signed, one waiting for the enterprise's information.
		ent, community, tax := s.As(t, "enterprise"), s.As(t, "community"), s.As(t, "dept_tax")
		e, _ := showcase(t, s)
		act := func(who access.Actor, id int64, c appeal.Command) {
			t.Helper()
			cur, err := s.Appeals.Appeal(ctx, access.System("test"), id)
			if err != nil {
				t.Fatal(err)
			}
			c.Version = cur.Version
			if _, err := s.Appeals.Act(ctx, who, id, c); err != nil {
				t.Fatalf("%s: %v", c.Action, err)
			}
		}
		for i := range 3 {
			a, _, err := s.Appeals.CreateAppeal(ctx, ent, appeal.Input{Type: appeal.TypeHelp, Category: "labour.recruit",
				Title: fmt.Sprintf("待办检查 %d", i), Content: "订单增加，缺少熟练工人，希望协助对接用工。", CreditCode: e.CreditCode,
				Contact: "王经理", Phone: "13805741234"}, "")
			if err != nil {
				t.Fatal(err)
			}
			act(community, a.ID, appeal.Command{Action: appeal.Accept})
			if i == 2 {
				act(community, a.ID, appeal.Command{Action: appeal.RequestInfo, Note: "请补充用工岗位和人数"})
				continue
			}
			act(community, a.ID, appeal.Command{Action: appeal.Dispatch, Lead: tax.DepartmentID, Note: "请牵头办理"})
			if i == 1 {
				act(tax, a.ID, appeal.Command{Action: appeal.Sign})
			}
		}

		// A survey of the showcase grid's enterprises, one answered by
		// its grid worker: to fill for the others, to chase for the worker.
		grid := s.As(t, "grid")
		f, err := s.Forms.Create(ctx, community, form.Definition{Zh: "排摸", Sections: []form.Section{{Questions: []form.Question{
			{Key: "ok", Type: form.YesNo, Zh: "是否正常生产", Required: true}}}}})
		if err != nil {
			t.Fatal(err)
		}
		cal, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		due := cal.AddDays(s.Clock.Now(), 3).In(calendar.Shanghai).Format("2006-01-02")
		c, err := s.Forms.Send(ctx, community, f.ID, audiencedb.Campaign{Due: due, Audience: audience.Definition{Regions: []string{grid.RegionCode}}})
		if err != nil {
			t.Fatal(err)
		}
		members, _, err := s.Campaigns.Members(ctx, community, c.ID, audiencedb.MemberQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members {
			if m.CreditCode != e.CreditCode {
				if _, _, err := s.Forms.Submit(ctx, grid, formdb.Input{CampaignID: c.ID, EnterpriseID: m.EnterpriseID,
					Answers: form.Answers{"ok": {Values: []string{"yes"}}}}); err != nil {
					t.Fatal(err)
				}
				break
			}
		}

		// The timeline of the showcase enterprise: its appeals, newest first.
		_, id := showcase(t, s)
		entries, err := s.Dossier.Timeline(ctx, s.As(t, "enterprise"), id, 500, s.Timeline)
		if err != nil {
			t.Fatal(err)
		}
		var appeals int
		if err := db.QueryRow(rebind(s.DSN, "SELECT COUNT(*) FROM appeals WHERE enterprise_id = ?"), id).Scan(&appeals); err != nil {
			t.Fatal(err)
		}
		got := 0
		for i, e := range entries {
			if e.Module == "appeal" {
				got++
			}
			if i > 0 && e.At.After(entries[i-1].At) {
				t.Errorf("timeline out of order at %d", i)
			}
		}
		if got != appeals || entries[len(entries)-1].What != "tl.registered" {
			t.Errorf("timeline: %d appeals of %d, last %q", got, appeals, entries[len(entries)-1].What)
		}

		kinds := map[string]int{}
		defer func() {
			// The history gives every kind of work to someone.
			for _, k := range []string{"appeal.triage", "appeal.sign", "appeal.handle", "appeal.info", "survey.fill", "survey.chase", "visit.due"} {
				if kinds[k] == 0 {
					t.Errorf("no account has work of kind %s: the test proves nothing of it", k)
				}
			}
		}()
		// The showcase accounts, and every department's staff (a history of
		// 150 appeals may leave the showcase department idle).
		users := storetest.Dataset().Accounts()
		for _, u := range storetest.Dataset().Users {
			if u.Role == access.RoleDepartment {
				users = append(users, u)
			}
		}
		for _, u := range users {
			t.Run(u.Username, func(t *testing.T) {
				a := s.As(t, u.Username)
				want := oracle(t, db, s.DSN, a, s.Now())
				for k := range want {
					kinds[strings.Fields(k)[0]]++
				}
				// Every page of the list.
				var all []todo.Item
				var page todo.Page
				for offset := 0; ; offset += 7 {
					page, err = s.Todo.Page(ctx, a, "", 7, offset)
					if err != nil {
						t.Fatal(err)
					}
					all = append(all, page.Items...)
					if len(page.Items) < 7 {
						break
					}
				}
				if page.Total != len(all) {
					t.Errorf("total %d, listed %d", page.Total, len(all))
				}
				sum := 0
				for _, c := range page.Counts {
					sum += c.Count
				}
				if sum != page.Total {
					t.Errorf("counts add up to %d, total %d", sum, page.Total)
				}
				gotSet := map[string]bool{}
				for i, it := range all {
					gotSet[it.Kind+" "+it.Ref] = true
					if i > 0 && !it.Due.IsZero() && !all[i-1].Due.IsZero() && it.Due.Before(all[i-1].Due) {
						t.Errorf("out of deadline order at %d", i)
					}
				}
				if len(gotSet) != len(all) {
					t.Errorf("an item listed twice: %d distinct of %d", len(gotSet), len(all))
				}
				for k := range want {
					if !gotSet[k] {
						t.Errorf("missing from the list: %s", k)
					}
				}
				for k := range gotSet {
					if !want[k] {
						t.Errorf("listed but not open work: %s", k)
					}
				}
				// A module's filter keeps the counts of every kind.
				filtered, err := s.Todo.Page(ctx, a, "appeal", 1000, 0)
				if err != nil {
					t.Fatal(err)
				}
				appeals := 0
				for _, c := range page.Counts {
					if todo.Module(c.Kind) == "appeal" {
						appeals += c.Count
					}
				}
				if filtered.Total != appeals || len(filtered.Items) != appeals || !slices.Equal(filtered.Counts, page.Counts) {
					t.Errorf("the appeal filter: total %d counts %v; all: %d %v", filtered.Total, filtered.Counts, page.Total, page.Counts)
				}
				if none, err := s.Todo.Page(ctx, a, "nothing", 10, 0); err != nil || none.Total != 0 || len(none.Items) != 0 {
					t.Errorf("an unknown module's filter: %+v %v", none, err)
				}
			})
		}
	})
}

// oracle reads an account's open work from the tables, as "kind number".
func oracle(t *testing.T, db *sql.DB, dsn string, a access.Actor, now time.Time) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	add := func(kind, query string, args ...any) {
		rows, err := db.Query(rebind(dsn, query), args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			out[kind+" "+n] = true
		}
	}
	triage := "state IN ('submitted', 'accepted', 'awaiting_info')"
	switch a.Role {
	case access.RoleGridWorker:
		add("appeal.triage", "SELECT number FROM appeals WHERE grid_code = ? AND "+triage, a.RegionCode)
		add("survey.chase", `SELECT DISTINCT 'C' || CAST(c.id AS TEXT) FROM campaigns c JOIN campaign_members m ON m.campaign_id = c.id
			WHERE m.grid_code = ? AND m.removed_at = 0 AND m.answered_at = 0 AND c.state = 'running'`, a.RegionCode)
	case access.RoleCommunityStaff:
		add("appeal.triage", "SELECT number FROM appeals WHERE community_code = ? AND "+triage, a.RegionCode)
		add("serviceday.pending", `SELECT DISTINCT 'D' || CAST(d.id AS TEXT) FROM service_days d JOIN service_day_problems p ON p.day_id = d.id
			WHERE p.outcome = '' AND d.held_on <= ? AND d.region_code = ?`, now.In(calendar.Shanghai).Format("2006-01-02"), a.RegionCode)
	case access.RoleDepartment:
		q := `SELECT DISTINCT a.number FROM appeals a JOIN appeal_dispatches d ON d.appeal_id = a.id
			WHERE d.department_id = ? AND d.active = TRUE AND d.status IN (%s)`
		add("appeal.sign", fmt.Sprintf(q, "'pending'"), a.DepartmentID)
		add("appeal.handle", fmt.Sprintf(q, "'signed', 'checked_in'"), a.DepartmentID)
	case access.RoleCadre:
		// The visit plan: an assigned enterprise is due 4 weeks (a city key
		// enterprise), 8 (a district one) or 13 (another) after its last
		// visit, or after it was taken on; listed 14 days ahead.
		rows, err := db.Query(rebind(dsn, `SELECT a.enterprise_id, e.key_level, a.started_at, COALESCE(l.visited_on, '') FROM assignments a
			JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN visit_last l ON l.enterprise_id = a.enterprise_id WHERE a.user_id = ?`), a.UserID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		weeks := map[string]int{"city": 4, "district": 8, "": 13}
		for rows.Next() {
			var id, started int64
			var level, last string
			if err := rows.Scan(&id, &level, &started, &last); err != nil {
				t.Fatal(err)
			}
			from := time.UnixMilli(started).In(calendar.Shanghai)
			if last != "" {
				from, _ = time.ParseInLocation("2006-01-02", last, calendar.Shanghai)
			}
			if !from.AddDate(0, 0, 7*weeks[level]).After(now.Add(14 * 24 * time.Hour)) {
				out[fmt.Sprintf("visit.due E%d", id)] = true
			}
		}
	case access.RoleStreetLeader, access.RoleDistrictLeader:
		add("topic.answer", "SELECT 'T' || CAST(id AS TEXT) FROM common_topics WHERE state = 'open' AND region_code = ?", a.RegionCode)
	case access.RoleEnterprise:
		add("visit.confirm", "SELECT 'V' || CAST(id AS TEXT) FROM visits WHERE enterprise_id = ? AND confirmed_at = 0 AND created_at >= ?",
			a.EnterpriseID, now.Add(-28*24*time.Hour).UnixMilli())
		add("survey.fill", `SELECT 'C' || CAST(c.id AS TEXT) FROM campaigns c JOIN campaign_members m ON m.campaign_id = c.id
			WHERE m.enterprise_id = ? AND m.removed_at = 0 AND m.answered_at = 0 AND c.state = 'running'`, a.EnterpriseID)
		add("appeal.rate", "SELECT number FROM appeals WHERE enterprise_id = ? AND state = 'replied'", a.EnterpriseID)
		add("appeal.info", "SELECT number FROM appeals WHERE enterprise_id = ? AND state = 'awaiting_info'", a.EnterpriseID)
	}
	return out
}

func rebind(dsn, q string) string { return store.Rebind(dsn, q) }

// TestFactsScope holds every showcase account to the permission table over
// the facts of every demo enterprise of two grids and one other district's:
// it reads them where it may read the enterprise (else not found), and
// records one where it may record facts (else forbidden where it reads, not
// found where it does not), the outcome worked out from access.Allows on
// each enterprise's target.
func TestFactsScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		ids := s.IDs(t)
		var sample []enterprise.Enterprise
		grids := map[string]int{}
		for _, e := range storetest.Dataset().Enterprises {
			// The first two of every grid: in and out of every account's scope.
			if grids[e.GridCode] < 2 {
				grids[e.GridCode]++
				sample = append(sample, e)
			}
		}
		period := strconv.Itoa(storetest.Start.Year() - 1)
		for _, u := range storetest.Dataset().Accounts() {
			a := s.As(t, u.Username)
			reads, records := 0, 0
			for _, e := range sample {
				e.ID = ids[e.CreditCode]
				target, err := s.Reader().TargetOf(ctx, a, e)
				if err != nil {
					t.Fatal(err)
				}
				mayRead, mayRecord := access.Allows(a, access.EnterpriseRead, target), access.Allows(a, access.FactRecord, target)
				_, _, err = s.Dossier.Facts(ctx, a, e.ID)
				switch {
				case mayRead && err != nil:
					t.Errorf("%s reads %s's facts: %v", u.Username, e.CreditCode, err)
				case !mayRead && !fault.Is(err, fault.NotFound):
					t.Errorf("%s reads %s's facts out of scope: %v, want not found", u.Username, e.CreditCode, err)
				}
				_, err = s.Dossier.Record(ctx, a, dossier.Fact{EnterpriseID: e.ID, Kind: "tax_paid", Period: period, Num: 1000})
				switch {
				case mayRecord && err != nil:
					t.Errorf("%s records a fact of %s: %v", u.Username, e.CreditCode, err)
				case !mayRecord && mayRead && !fault.Is(err, fault.Forbidden):
					t.Errorf("%s records a fact of %s it only reads: %v, want forbidden", u.Username, e.CreditCode, err)
				case !mayRecord && !mayRead && !fault.Is(err, fault.NotFound):
					t.Errorf("%s records a fact of %s out of scope: %v, want not found", u.Username, e.CreditCode, err)
				}
				if mayRead {
					reads++
				}
				if mayRecord {
					records++
				}
			}
			t.Logf("%s: reads %d, records %d of %d", u.Username, reads, records, len(sample))
		}
	})
}

// TestImportFacts imports a department's data on both stores, all or
// none: a row naming an enterprise outside the bureau's reach records
// nothing and is the problem of its line; without it every fact is
// recorded with the department's source and the import's ref, each
// audited, and stands over the enterprise's own declaration.
func TestImportFacts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		tax, ent := s.As(t, "dept_tax"), s.As(t, "enterprise")
		e, id := showcase(t, s)
		// The demo is one district: an enterprise qifu does not hold is as
		// out of the bureau's reach as another district's.
		c, ok := enterprise.CheckChar("91330299MA2BBBBB9")
		if !ok {
			t.Fatal("bad credit code prefix")
		}
		other := enterprise.Enterprise{CreditCode: "91330299MA2BBBBB9" + string(c)}
		period := strconv.Itoa(storetest.Start.Year() - 1)
		if _, err := s.Dossier.Record(ctx, ent, dossier.Fact{EnterpriseID: id, Kind: "tax_paid", Period: period, Num: 100_000}); err != nil {
			t.Fatal(err)
		}
		rows := []dossierdb.ImportRow{
			{Line: 2, CreditCode: e.CreditCode, Fact: dossier.Fact{Kind: "tax_paid", Period: period, Num: 180_000}},
			{Line: 3, CreditCode: e.CreditCode, Fact: dossier.Fact{Kind: "revenue", Period: period, Num: 9_000_000}},
			{Line: 4, CreditCode: other.CreditCode, Fact: dossier.Fact{Kind: "revenue", Period: period, Num: 1_000_000}},
		}
		audits := s.AuditCount(t, store.AuditQuery{Action: "enterprise.fact"})
		problems, err := s.Dossier.Import(ctx, tax, "import:test", rows)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) != 1 || problems[4].Zh == "" {
			t.Fatalf("problems %v; want line 4's", problems)
		}
		if n := s.AuditCount(t, store.AuditQuery{Action: "enterprise.fact"}); n != audits {
			t.Errorf("a refused import recorded %d facts", n-audits)
		}
		problems, err = s.Dossier.Import(ctx, tax, "import:test", rows[:2])
		if err != nil || len(problems) != 0 {
			t.Fatalf("the import: %v %v", problems, err)
		}
		if n := s.AuditCount(t, store.AuditQuery{Action: "enterprise.fact"}); n != audits+2 {
			t.Errorf("the import audited %d facts; want 2", n-audits)
		}
		known, err := s.Dossier.Known(ctx, ent, id, []string{"tax_paid", "revenue"})
		if err != nil {
			t.Fatal(err)
		}
		if f := known["tax_paid"]; f.Num != 180_000 || f.Source != dossier.Department || f.Ref != "import:test" {
			t.Errorf("tax paid after the import: %+v", f)
		}
		// Only those who record facts import them.
		if _, err := s.Dossier.Import(ctx, s.As(t, "street_leader"), "import:test", rows[:1]); err != access.ErrForbidden {
			t.Errorf("a street leader imports facts: %v", err)
		}
	})
}
