package appealdb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// The permission fixture (storetest.NewFixture): a city of 2 districts ×
// 2 streets × 2 communities × 2 grids with 3 enterprises per grid, 3
// departments, an account per role at every region, two cadres and the
// enterprise users; the tables below are the appeal workflow's part of it.

// The relations and outcomes of the shared fixture, by their short names.
const (
	relOwn        = storetest.RelOwn
	relAssigned   = storetest.RelAssigned
	relRaised     = storetest.RelRaised
	relDispatched = storetest.RelDispatched
	relRegion     = storetest.RelRegion
	relOther      = storetest.RelOther

	allow = storetest.Allow
)

// enterpriseTable is the permission table for enterprises, written from the
// domain's rules (DOMAIN.md, "roles"), not from internal/access: role ×
// relation → the outcome of read, update and revealing personal data, in
// that order. A relation a role does not list is "other".
var enterpriseTable = storetest.Table{
	access.RoleEnterprise:     {relOwn: "AAA", relOther: "NNN"},
	access.RoleGridWorker:     {relRegion: "AAA", relOther: "NNN"},
	access.RoleCommunityStaff: {relRegion: "AAA", relOther: "NNN"},
	access.RoleStreetLeader:   {relRegion: "AFF", relOther: "NNN"},
	access.RoleDistrictLeader: {relRegion: "AFF", relOther: "NNN"},
	access.RoleCityLeader:     {relRegion: "AFF", relOther: "NNN"},
	access.RoleDepartment:     {relRegion: "AFF", relOther: "NNN"},
	access.RoleCadre:          {relAssigned: "AAA", relOther: "NNN"},
	access.RoleLawyer:         {relOther: "NNN"},
	access.RoleFinance:        {relOther: "NNN"},
	access.RoleAuditor:        {relOther: "NNN"},
	access.RoleAdmin:          {relOther: "AAA"},
}

// appealTable is the same for appeals (all accepted, some dispatched): the
// outcome of reading one and of adding a progress note (a step the
// community, the leaders over it and the departments handling it take).
var appealTable = storetest.Table{
	access.RoleEnterprise:     {relOwn: "AF", relOther: "NN"},
	access.RoleGridWorker:     {relRegion: "AA", relOther: "NN"},
	access.RoleCommunityStaff: {relRegion: "AA", relOther: "NN"},
	access.RoleStreetLeader:   {relRegion: "AA", relOther: "NN"},
	access.RoleDistrictLeader: {relRegion: "AA", relOther: "NN"},
	access.RoleCityLeader:     {relRegion: "AA", relOther: "NN"},
	access.RoleDepartment:     {relDispatched: "AA", relRegion: "NN", relOther: "NN"},
	access.RoleCadre:          {relAssigned: "AF", relRaised: "AF", relOther: "NN"},
	access.RoleLawyer:         {relOther: "NN"},
	access.RoleFinance:        {relOther: "NN"},
	access.RoleAuditor:        {relOther: "NN"},
	access.RoleAdmin:          {relOther: "AF"},
}

// fixture is the shared fixture; fixtureRecord what its oracle knows of a record.
type (
	fixture       = storetest.Fixture
	fixtureRecord = storetest.Record
)

// want is the table's outcome for action i of the record r for u.
func want(table storetest.Table, f fixture, u demo.User, r fixtureRecord, i int) byte {
	return table.Want(u.Role, f.Relation(u, r), i)
}

// TestAccessFixture drives the permission tables over the fixture on both
// stores: every principal × every enterprise × read, update, reveal, and
// every principal × every appeal × read, note; then every list, count,
// export, dashboard count and inbox against the oracle; then IDs of records
// out of scope passed in queries and bodies. Mismatches must be 0.
func TestAccessFixture(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture()
	eachStore(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		if err := s.LoadDemo(ctx, f.Dataset); err != nil {
			t.Fatalf("load fixture: %v", err)
		}
		actors := map[string]access.Actor{}
		for _, u := range f.Users {
			actors[u.Username] = s.As(t, u.Username)
		}
		admin := actors["admin"]
		deptID := map[string]int64{}
		list, err := s.Departments(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			deptID[d.Code] = d.ID
		}
		ids := s.IDs(t)

		// The enterprises, and their appeals: one raised by the grid worker
		// (or community staff) of each enterprise, one by each enterprise
		// user, one by the cadre; all accepted; every second one dispatched
		// to the department of its district, every fourth with the city's
		// market department assisting.
		ents := f.EnterpriseRecords(ids)
		var appeals []fixtureRecord
		raise := func(by string, r fixtureRecord) {
			in := appeal.Input{Type: appeal.TypeHelp, Category: "labour.recruit",
				Title: "旺季招工困难", Content: "订单增加，缺少熟练工人。", CreditCode: r.Enterprise, Contact: "王经理", Phone: "13805741234"}
			a, _, err := s.CreateAppeal(ctx, actors[by], in, "")
			if err != nil {
				t.Fatalf("raise as %s for %s: %v", by, r.Enterprise, err)
			}
			staff := "community_" + r.Place.Community
			a, err = s.Act(ctx, actors[staff], a.ID, appeal.Command{Action: appeal.Accept, Version: a.Version})
			if err != nil {
				t.Fatalf("accept: %v", err)
			}
			rec := fixtureRecord{ID: a.ID, Place: r.Place, Enterprise: r.Enterprise, RaisedBy: by}
			if n := len(appeals); n%2 == 1 {
				lead := "tax"
				if r.Place.District == storetest.FixtureDistricts[1] {
					lead = "hrss"
				}
				c := appeal.Command{Action: appeal.Dispatch, Version: a.Version, Lead: deptID[lead], Note: "请牵头办理"}
				rec.Depts = []string{lead}
				if n%4 == 3 {
					c.Assists = []int64{deptID["market"]}
					rec.Depts = append(rec.Depts, "market")
				}
				if _, err := s.Act(ctx, actors[staff], a.ID, c); err != nil {
					t.Fatalf("dispatch: %v", err)
				}
			}
			appeals = append(appeals, rec)
		}
		for _, e := range ents {
			by := "grid_" + e.Place.Community + "001"
			if e.Place.Grid != by[len("grid_"):] {
				by = "community_" + e.Place.Community
			}
			raise(by, e)
		}
		for _, u := range f.Users {
			switch u.Role {
			case access.RoleEnterprise:
				for _, e := range ents {
					if e.Enterprise == u.EnterpriseCode {
						raise(u.Username, e)
					}
				}
			case access.RoleCadre:
				for _, e := range ents {
					if slices.Contains(u.Assigned, e.Enterprise) {
						raise(u.Username, e)
						break
					}
				}
			}
		}

		mismatches, calls := 0, 0
		miss := func(format string, args ...any) {
			mismatches++
			if mismatches <= 20 {
				t.Errorf(format, args...)
			}
		}

		// Every principal × every enterprise × read, update, reveal.
		for _, u := range f.Users {
			a := actors[u.Username]
			for _, r := range ents {
				_, err := s.Enterprise(ctx, a, r.ID)
				if got, w := storetest.Outcome(err), want(enterpriseTable, f, u, r, 0); got != w {
					miss("%s reads enterprise %s (%s): %c, want %c (%v)", u.Username, r.Enterprise, f.Relation(u, r), got, w, err)
				}
				cur, err := s.Enterprise(ctx, admin, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				change := cur
				change.Employees++
				_, err = s.UpdateEnterprise(ctx, a, r.ID, cur.Version, change)
				if got, w := storetest.Outcome(err), want(enterpriseTable, f, u, r, 1); got != w {
					miss("%s updates enterprise %s (%s): %c, want %c (%v)", u.Username, r.Enterprise, f.Relation(u, r), got, w, err)
				}
				after, _ := s.Enterprise(ctx, admin, r.ID)
				if changed := after.Version != cur.Version; changed != (err == nil) {
					miss("%s updates enterprise %s: answered %v, changed %v", u.Username, r.Enterprise, err, changed)
				}
				_, err = s.RevealEnterprise(ctx, a, r.ID)
				if got, w := storetest.Outcome(err), want(enterpriseTable, f, u, r, 2); got != w {
					miss("%s reveals enterprise %s (%s): %c, want %c (%v)", u.Username, r.Enterprise, f.Relation(u, r), got, w, err)
				}
				calls += 3
			}
		}

		// Every principal × every appeal × read, note.
		for _, u := range f.Users {
			a := actors[u.Username]
			for _, r := range appeals {
				_, err := s.Appeal(ctx, a, r.ID)
				if got, w := storetest.Outcome(err), want(appealTable, f, u, r, 0); got != w {
					miss("%s reads appeal %d (%s): %c, want %c (%v)", u.Username, r.ID, f.Relation(u, r), got, w, err)
				}
				cur, err := s.Appeal(ctx, admin, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				_, err = s.Act(ctx, a, r.ID, appeal.Command{Action: appeal.Note, Version: cur.Version, Note: "进展备注"})
				if got, w := storetest.Outcome(err), want(appealTable, f, u, r, 1); got != w {
					miss("%s notes appeal %d (%s): %c, want %c (%v)", u.Username, r.ID, f.Relation(u, r), got, w, err)
				}
				after, _ := s.Appeal(ctx, admin, r.ID)
				if changed := after.Version != cur.Version; changed != (err == nil) {
					miss("%s notes appeal %d: answered %v, changed %v", u.Username, r.ID, err, changed)
				}
				calls += 2
			}
		}

		// Lists, counts, exports, dashboards and inboxes hold exactly what
		// the tables let each principal read.
		for _, u := range f.Users {
			a := actors[u.Username]
			wantEnts, wantAppeals := map[int64]bool{}, map[int64]bool{}
			for _, r := range ents {
				if want(enterpriseTable, f, u, r, 0) == allow {
					wantEnts[r.ID] = true
				}
			}
			for _, r := range appeals {
				if want(appealTable, f, u, r, 0) == allow {
					wantAppeals[r.ID] = true
				}
			}
			gotEnts := map[int64]bool{}
			es, total, err := s.Enterprises(ctx, a, store.EnterpriseQuery{Page: store.Page{Number: 1, Size: store.MaxPageSize}})
			if err != nil && !fault.Is(err, fault.Forbidden) {
				t.Fatal(err)
			}
			for _, e := range es {
				gotEnts[e.ID] = true
			}
			if !storetest.SameIDs(gotEnts, wantEnts) || total != len(wantEnts) {
				miss("%s lists %d enterprises (total %d), want %d", u.Username, len(gotEnts), total, len(wantEnts))
			}
			gotAppeals := map[int64]bool{}
			rows, total, err := s.Appeals(ctx, a, appealdb.AppealQuery{Page: store.Page{Number: 1, Size: store.MaxPageSize}})
			if err != nil && !fault.Is(err, fault.Forbidden) {
				t.Fatal(err)
			}
			for _, r := range rows {
				gotAppeals[r.ID] = true
			}
			count, err := s.CountAppeals(ctx, a, appealdb.AppealQuery{})
			if err != nil && !fault.Is(err, fault.Forbidden) {
				t.Fatal(err)
			}
			exported := map[int64]bool{}
			err = s.ExportAppeals(ctx, a, appealdb.AppealQuery{}, func(r appealdb.AppealRow) error { exported[r.ID] = true; return nil })
			if err != nil && !fault.Is(err, fault.Forbidden) {
				t.Fatal(err)
			}
			if !storetest.SameIDs(gotAppeals, wantAppeals) || total != len(wantAppeals) || count != len(wantAppeals) || !storetest.SameIDs(exported, wantAppeals) {
				miss("%s: appeal list %d (total %d), count %d, export %d; oracle %d", u.Username, len(gotAppeals), total, count, len(exported), len(wantAppeals))
			}
			if access.May(u.Role, access.AppealAssess) {
				o, err := s.Overview(ctx, a, appealdb.OverviewQuery{From: start.AddDate(-1, 0, 0), To: s.Clock.Now().Add(time.Hour)})
				if err != nil {
					t.Fatal(err)
				}
				if o.Received != len(wantAppeals) || o.Received != count {
					miss("%s: dashboard counts %d received, list %d, oracle %d", u.Username, o.Received, count, len(wantAppeals))
				}
			}
			notices, _, err := s.Inbox(ctx, a, store.Page{Number: 1, Size: store.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range notices {
				if n.AppealID != 0 && !wantAppeals[n.AppealID] {
					miss("%s: inbox notice %q of appeal %d outside its sight", u.Username, n.Title, n.AppealID)
				}
			}
			calls += 6
		}

		// IDs of records out of scope in queries and bodies: no data, no change.
		calls += foreignIDs(t, s, f, actors, deptID, ents, appeals, miss)
		t.Logf("%d principals, %d enterprises, %d appeals, %d calls; mismatches %d (must be 0)",
			len(f.Users), len(ents), len(appeals), calls, mismatches)
	})
}

// foreignIDs passes the IDs of records outside a principal's scope where a
// query or a command takes them: region and department filters, the case
// an appeal is merged into, the departments it is dispatched to, the
// extension decided, the enterprise an appeal is raised for. It returns the
// number of calls.
func foreignIDs(t *testing.T, s *testStore, f fixture, actors map[string]access.Actor, deptID map[string]int64,
	ents, appeals []fixtureRecord, miss func(string, ...any)) int {
	t.Helper()
	ctx := context.Background()
	admin := actors["admin"]
	calls := 0
	version := func(id int64) int64 {
		v, err := s.Appeal(ctx, admin, id)
		if err != nil {
			t.Fatal(err)
		}
		return v.Version
	}
	first := func(match func(fixtureRecord) bool) fixtureRecord {
		for _, r := range appeals {
			if match(r) {
				return r
			}
		}
		t.Fatal("no appeal of the fixture matches")
		return fixtureRecord{}
	}
	districtA, districtB := storetest.FixtureDistricts[0], storetest.FixtureDistricts[1]

	// Filters naming a region or department outside the scope narrow to nothing.
	for _, c := range []struct {
		who string
		q   appealdb.AppealQuery
	}{
		{"street_" + districtA + "001", appealdb.AppealQuery{Region: districtB}},
		{"street_" + districtA + "001", appealdb.AppealQuery{Region: districtA + "002"}},
		{"community_" + districtA + "001001", appealdb.AppealQuery{Region: storetest.FixtureCity}},
		{"dept_tax", appealdb.AppealQuery{Department: deptID["hrss"]}},
		{"ent_" + districtA + "001001", appealdb.AppealQuery{Region: districtB + "001001"}},
	} {
		u := f.User(c.who)
		wantIDs := map[int64]bool{}
		for _, r := range appeals {
			matches := c.q.Region == "" || r.Place.At(place.LevelOf(c.q.Region)) == c.q.Region
			if c.q.Department != 0 {
				matches = matches && slices.ContainsFunc(r.Depts, func(d string) bool { return deptID[d] == c.q.Department })
			}
			if matches && want(appealTable, f, u, r, 0) == allow {
				wantIDs[r.ID] = true
			}
		}
		n, err := s.CountAppeals(ctx, actors[c.who], c.q)
		c.q.Page = store.Page{Number: 1, Size: store.MaxPageSize}
		rows, _, err2 := s.Appeals(ctx, actors[c.who], c.q)
		calls += 2
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		got := map[int64]bool{}
		for _, r := range rows {
			got[r.ID] = true
		}
		if !storetest.SameIDs(got, wantIDs) || n != len(wantIDs) {
			miss("%s with filter region %q department %d: %d listed, %d counted, oracle %d", c.who, c.q.Region, c.q.Department, len(got), n, len(wantIDs))
		}
	}
	for _, who := range []string{"street_" + districtA + "001", "dept_hrss"} {
		es, _, err := s.Enterprises(ctx, actors[who], store.EnterpriseQuery{Region: districtA + "002", Page: store.Page{Number: 1, Size: 50}})
		calls++
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 0 {
			miss("%s lists %d enterprises of a street outside its scope", who, len(es))
		}
	}

	// A community raises an appeal for an enterprise of another community:
	// refused as if it did not exist.
	staffA := "community_" + districtA + "001001"
	other := first(func(r fixtureRecord) bool { return r.Place.Community != districtA+"001001" })
	in := appeal.Input{Channel: appeal.ChannelVisit, Type: appeal.TypeHelp, Category: "labour.recruit", Title: "越权代报",
		Content: "替其他社区的企业提交。", CreditCode: other.Enterprise, Contact: "王经理", Phone: "13805741234"}
	if _, _, err := s.CreateAppeal(ctx, actors[staffA], in, ""); !fault.Is(err, fault.Invalid) && !fault.Is(err, fault.NotFound) {
		miss("%s raises an appeal for an enterprise out of scope: %v", staffA, err)
	}
	calls++

	// Merge into another community's appeal, dispatch to the other
	// district's department: refused, nothing changed.
	own := first(func(r fixtureRecord) bool { return r.Place.Community == districtA+"001001" && len(r.Depts) == 0 })
	v := version(own.ID)
	for what, c := range map[string]appeal.Command{
		"merge into another community's appeal":       {Action: appeal.Merge, CaseID: other.ID},
		"dispatch to the other district's department": {Action: appeal.Dispatch, Lead: deptID["hrss"]},
		"dispatch with the other district's department assisting": {Action: appeal.Dispatch, Lead: deptID["tax"],
			Assists: []int64{deptID["hrss"]}},
	} {
		c.Version = v
		_, err := s.Act(ctx, actors[staffA], own.ID, c)
		calls++
		if err == nil {
			miss("%s: %s: taken", staffA, what)
		}
		if after := version(own.ID); after != v {
			miss("%s: %s: appeal changed (version %d → %d)", staffA, what, v, after)
		}
	}

	// An extension of another appeal decided through one's own: refused.
	leadA := first(func(r fixtureRecord) bool { return r.Place.District == districtA && slices.Contains(r.Depts, "tax") })
	leadB := first(func(r fixtureRecord) bool { return r.Place.District == districtB && slices.Contains(r.Depts, "hrss") })
	for _, c := range []struct {
		dept string
		r    fixtureRecord
	}{{"dept_tax", leadA}, {"dept_hrss", leadB}} {
		if _, err := s.Act(ctx, actors[c.dept], c.r.ID, appeal.Command{Action: appeal.Sign, Version: version(c.r.ID)}); err != nil {
			t.Fatalf("sign: %v", err)
		}
	}
	due := s.Clock.Now().AddDate(0, 1, 0)
	if _, err := s.Act(ctx, actors["dept_hrss"], leadB.ID, appeal.Command{Action: appeal.RequestExtension, Version: version(leadB.ID),
		Note: "需协调", Due: due}); err != nil {
		t.Fatalf("request extension: %v", err)
	}
	ext, err := s.Appeal(ctx, admin, leadB.ID)
	if err != nil || len(ext.Extensions) == 0 {
		t.Fatalf("extension: %v", err)
	}
	leaderA := "street_" + leadA.Place.Street
	vA, vB := version(leadA.ID), version(leadB.ID)
	_, err = s.Act(ctx, actors[leaderA], leadA.ID, appeal.Command{Action: appeal.DecideExtension, Version: vA,
		ExtensionID: ext.Extensions[0].ID, Approve: true})
	calls++
	if err == nil {
		miss("%s decides another district's extension through its own appeal", leaderA)
	}
	if version(leadA.ID) != vA || version(leadB.ID) != vB {
		miss("%s: deciding a foreign extension changed an appeal", leaderA)
	}
	if after, _ := s.Appeal(ctx, admin, leadB.ID); after.Extensions[0].Status != "pending" {
		miss("a foreign extension was decided: %s", after.Extensions[0].Status)
	}
	return calls
}
