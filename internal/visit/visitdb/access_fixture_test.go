package visitdb_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
	"qifu/internal/visit"
	"qifu/internal/visit/visitdb"
)

// The permission fixture (storetest.NewFixture) extended to the visits'
// records: visits, the common problems (topics) they send up, and service
// days. The tables are written from the domain's rules (DOMAIN.md, "roles";
// the intent of the visit rows of internal/access), not read from the table
// the code uses.

// The shared relations, by their short names, and those of the visits' own.
const (
	relOwn      = storetest.RelOwn
	relAssigned = storetest.RelAssigned
	relRegion   = storetest.RelRegion
	relOther    = storetest.RelOther

	// relCallable is a community's staff to a visit to an enterprise of
	// its community that has no account, made by someone else: the staff
	// record the enterprise's answer from a return call (回访).
	relCallable storetest.Relation = "callable"
	// relConcerned is a principal to a common problem concerning an
	// enterprise whose visits it reads.
	relConcerned storetest.Relation = "concerned"
	// relAbove is a principal to a service day held in a region above its
	// own (a street's day for a community's staff or a grid's worker);
	// relRegion, to one held in its region.
	relAbove storetest.Relation = "above"
)

// visitTable: role × relation → the outcome of reading a visit and of
// confirming it (satisfied). The enterprise visited answers for itself;
// the community, by phone, only for an enterprise without an account and
// never for a visit its staff made; everyone else who sees a visit is
// refused; departments, lawyers, financial institutions and auditors do not
// see visits.
var visitTable = storetest.Table{
	access.RoleEnterprise:     {relOwn: "AA", relOther: "NN"},
	access.RoleGridWorker:     {relRegion: "AF", relOther: "NN"},
	access.RoleCommunityStaff: {relCallable: "AA", relRegion: "AF", relOther: "NN"},
	access.RoleStreetLeader:   {relRegion: "AF", relOther: "NN"},
	access.RoleDistrictLeader: {relRegion: "AF", relOther: "NN"},
	access.RoleCityLeader:     {relRegion: "AF", relOther: "NN"},
	access.RoleDepartment:     {relOther: "NN"},
	access.RoleCadre:          {relAssigned: "AF", relOther: "NN"},
	access.RoleLawyer:         {relOther: "NN"},
	access.RoleFinance:        {relOther: "NN"},
	access.RoleAuditor:        {relOther: "NN"},
	access.RoleAdmin:          {relOther: "AF"},
}

// topicTable: the outcome of reading a common problem and of answering it.
// It is read by those whose region holds its street (relRegion: the street's
// leaders and those above) and by those who read the visits of an enterprise
// it concerns; the leaders of the street and of its district answer it, and
// the administrator; the city's leaders only follow it. The roles that read
// no visit at all are refused by role (403) whatever the ID, as the gated
// routes refuse them: that tells nothing of any record (absent IDs get the
// same answer, checked below).
var topicTable = storetest.Table{
	access.RoleEnterprise:     {relConcerned: "AF", relOther: "NN"},
	access.RoleGridWorker:     {relConcerned: "AF", relOther: "NN"},
	access.RoleCommunityStaff: {relConcerned: "AF", relOther: "NN"},
	access.RoleStreetLeader:   {relRegion: "AA", relOther: "NN"},
	access.RoleDistrictLeader: {relRegion: "AA", relOther: "NN"},
	access.RoleCityLeader:     {relRegion: "AF", relOther: "NN"},
	access.RoleDepartment:     {relOther: "FF"},
	access.RoleCadre:          {relConcerned: "AF", relOther: "NN"},
	access.RoleLawyer:         {relOther: "FF"},
	access.RoleFinance:        {relOther: "FF"},
	access.RoleAuditor:        {relOther: "FF"},
	access.RoleAdmin:          {relOther: "AA"},
}

// dayTable: the outcome of reading a service day. A day is seen by those
// who read visits in its region, above or under it (a grid's worker sees
// its community's and street's days, a street's leader its communities'),
// by the enterprises of its community or street and by the cadres of
// those. The roles that read no visit are refused by role, as for topics.
var dayTable = storetest.Table{
	access.RoleEnterprise:     {relOwn: "A", relOther: "N"},
	access.RoleGridWorker:     {relAbove: "A", relOther: "N"},
	access.RoleCommunityStaff: {relRegion: "A", relAbove: "A", relOther: "N"},
	access.RoleStreetLeader:   {relRegion: "A", relAbove: "A", relOther: "N"},
	access.RoleDistrictLeader: {relRegion: "A", relOther: "N"},
	access.RoleCityLeader:     {relRegion: "A", relOther: "N"},
	access.RoleDepartment:     {relOther: "F"},
	access.RoleCadre:          {relAssigned: "A", relOther: "N"},
	access.RoleLawyer:         {relOther: "F"},
	access.RoleFinance:        {relOther: "F"},
	access.RoleAuditor:        {relOther: "F"},
	access.RoleAdmin:          {relOther: "A"},
}

// problemTable: the outcome of recording the answer given on the spot to a
// problem registered for a service day, by the principal's relation to the
// day. It is handled by those who run service days in the day's region (a
// community's staff theirs, a street's leaders their street's and its
// communities'), not by a community for its street's day; the others who
// see the day are refused (403), also for a problem of an enterprise out of
// their sight, which Day does not show them (the HTTP access matrix pins
// that 403 for a cadre, internal/web/access_test.go).
var problemTable = storetest.Table{
	access.RoleEnterprise:     {relOwn: "F", relOther: "N"},
	access.RoleGridWorker:     {relAbove: "F", relOther: "N"},
	access.RoleCommunityStaff: {relRegion: "A", relAbove: "F", relOther: "N"},
	access.RoleStreetLeader:   {relRegion: "A", relAbove: "F", relOther: "N"},
	access.RoleDistrictLeader: {relRegion: "F", relOther: "N"},
	access.RoleCityLeader:     {relRegion: "F", relOther: "N"},
	access.RoleDepartment:     {relOther: "F"},
	access.RoleCadre:          {relAssigned: "F", relOther: "N"},
	access.RoleLawyer:         {relOther: "F"},
	access.RoleFinance:        {relOther: "F"},
	access.RoleAuditor:        {relOther: "F"},
	access.RoleAdmin:          {relOther: "A"},
}

// visitRecord is what the oracle knows of a visit.
type visitRecord struct {
	storetest.Record        // the visit's ID, its enterprise and where it is
	entID            int64  // the enterprise's ID
	by               string // who recorded it, its only visitor
	problems         int    // all of them common problems
	topic            int64
	confirmed        bool
}

// topicRecord is what the oracle knows of a common problem.
type topicRecord struct {
	id        int64
	street    string
	concerned []storetest.Record // the enterprises whose problems it holds
}

// dayRecord is what the oracle knows of a service day and the problems
// registered for it.
type dayRecord struct {
	id       int64
	region   string             // the community or street holding it
	problems []storetest.Record // ID: the problem's; the enterprise's place
}

// visitRelation is how u stands to the visit v.
func visitRelation(f storetest.Fixture, u demo.User, v visitRecord) storetest.Relation {
	rel := f.Relation(u, v.Record)
	if u.Role == access.RoleCommunityStaff && rel == relRegion && !f.HasAccount(v.Enterprise) && v.by != u.Username {
		return relCallable
	}
	return rel
}

// readsVisitsOf reports whether u reads the visits of the enterprise r.
func readsVisitsOf(f storetest.Fixture, u demo.User, r storetest.Record) bool {
	return visitTable.Want(u.Role, f.Relation(u, r), 0) == storetest.Allow
}

// topicRelation is how u stands to the topic t.
func topicRelation(f storetest.Fixture, u demo.User, t topicRecord) storetest.Relation {
	if l := place.LevelOf(u.RegionCode); u.RegionCode != "" && l <= place.Street && place.AncestryOf(t.street).At(l) == u.RegionCode {
		return relRegion
	}
	for _, c := range t.concerned {
		if readsVisitsOf(f, u, c) {
			return relConcerned
		}
	}
	return relOther
}

// dayRelation is how u stands to the day d.
func dayRelation(f storetest.Fixture, u demo.User, d dayRecord) storetest.Relation {
	in := func(code string) bool {
		for _, e := range f.Enterprises {
			if e.CreditCode == code {
				return e.CommunityCode == d.region || e.StreetCode == d.region
			}
		}
		return false
	}
	switch {
	case u.Role == access.RoleEnterprise && in(u.EnterpriseCode):
		return relOwn
	case u.Role == access.RoleCadre && slices.ContainsFunc(u.Assigned, in):
		return relAssigned
	case u.RegionCode != "" && place.AncestryOf(d.region).At(place.LevelOf(u.RegionCode)) == u.RegionCode:
		return relRegion
	case u.RegionCode != "" && place.AncestryOf(u.RegionCode).At(place.LevelOf(d.region)) == d.region:
		return relAbove
	}
	return relOther
}

// absentWant is the answer to action i on an ID no record has: not found,
// or, for a role that reads none of the kind, the refusal by role its
// records out of sight get.
func absentWant(table storetest.Table, role access.Role, i int) byte {
	if table.Want(role, relOther, 0) == storetest.Forbid {
		return table.Want(role, relOther, i)
	}
	return storetest.Absent
}

// TestAccessFixture drives the visits' permission tables over the fixture
// on both stores. In every community three visits: to the enterprise with
// an account (the first of the first grid) by its grid worker; to the last
// enterprise of the second grid (the cadre's in every second community) by
// the community's staff; to the second enterprise of the first grid by the
// administrator. The enterprises with an account answer for their visits;
// of the others, the community's staff may answer only for the
// administrator's visit (they made the other): so each visit has at most
// one principal who may confirm it, and the first confirmation does not
// turn another's into a conflict. Common problems are put on some visits
// only, so that a topic per street concerns some of its communities and
// grids and not others: in every street, the visit to the enterprise with an
// account of its first community; in the first district's streets also the
// staff's visit of the second community (the cadre's enterprise). Every
// community's staff plans a service day, every street's leader one; the
// enterprise users register a problem for their community's day, the
// second communities' staff one for the cadre's enterprise for their
// street's day.
//
// Then, for every principal: its to-do lists of the visits' kinds (before
// any confirmation); every visit × read, confirm; every topic × read,
// answer; every service day × read, answer its problem (an answer given to
// a topic or a day's problem is taken back by SQL, so that the next
// principal meets it open); an absent ID of each kind, which must be
// answered as a record out of sight is; every list, the enterprises each
// topic shows, the problems each day shows and counts, the figures and the
// coverage of the city against the oracle; and regions out of reach as the
// filters of the visits and the figures. Mismatches must be 0.
func TestAccessFixture(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture()
	storetest.Each(t, false, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		if err := s.LoadDemo(ctx, f.Dataset); err != nil {
			t.Fatalf("load fixture: %v", err)
		}
		actors := map[string]access.Actor{}
		for _, u := range f.Users {
			actors[u.Username] = s.As(t, u.Username)
		}
		admin := actors["admin"]
		ids := s.IDs(t)
		ents := f.EnterpriseRecords(ids)
		entAt := func(community string, grid, i int) storetest.Record {
			t.Helper()
			code := fmt.Sprintf("%s%03d", community, grid)
			var inGrid []storetest.Record
			for _, e := range ents {
				if e.Place.Grid == code {
					inGrid = append(inGrid, e)
				}
			}
			if i >= len(inGrid) {
				t.Fatalf("no enterprise %d in grid %s", i, code)
			}
			return inGrid[i]
		}

		// The visits and the topics they send up.
		var visits []visitRecord
		topics := map[string]*topicRecord{} // by street
		record := func(by string, e storetest.Record, common bool) {
			t.Helper()
			a := actors[by]
			v := routine(ids[e.Enterprise], a, "社区")
			if common {
				p := visit.Problem{Text: "园区道路夜间没有路灯，员工下班不安全", Category: "utilities", Outcome: visit.Common}
				if tp := topics[e.Place.Street]; tp != nil {
					p.TopicID = tp.id
				} else {
					p.TopicTitle = "园区道路路灯缺失"
				}
				v.Problems = []visit.Problem{p}
			}
			got, err := s.Visits.Record(ctx, a, v, "")
			if err != nil {
				t.Fatalf("%s records a visit to %s: %v", by, e.Enterprise, err)
			}
			rec := visitRecord{Record: storetest.Record{ID: got.ID, Place: e.Place, Enterprise: e.Enterprise}, entID: e.ID, by: by,
				problems: len(got.Problems)}
			if common {
				rec.topic = got.Problems[0].TopicID
				tp := topics[e.Place.Street]
				if tp == nil {
					tp = &topicRecord{id: rec.topic, street: e.Place.Street}
					topics[e.Place.Street] = tp
				}
				if tp.id != rec.topic {
					t.Fatalf("the visit to %s opened topic %d; the street's is %d", e.Enterprise, rec.topic, tp.id)
				}
				tp.concerned = append(tp.concerned, e)
			}
			visits = append(visits, rec)
		}
		var communities, streets []string
		for _, r := range f.Regions {
			switch r.Level {
			case place.Community:
				communities = append(communities, r.Code)
			case place.Street:
				streets = append(streets, r.Code)
			}
		}
		for _, c := range communities {
			first := c[len(c)-3:] == "001"
			withAccount, staffs, admins := entAt(c, 1, 0), entAt(c, 2, 2), entAt(c, 1, 1)
			if !f.HasAccount(withAccount.Enterprise) || f.HasAccount(staffs.Enterprise) || f.HasAccount(admins.Enterprise) {
				t.Fatalf("community %s: the enterprise users are not where the fixture puts them", c)
			}
			record("grid_"+c+"001", withAccount, first)
			record("community_"+c, staffs, !first && withAccount.Place.District == storetest.FixtureDistricts[0])
			record("admin", admins, false)
		}
		if len(topics) != len(streets) {
			t.Fatalf("%d topics for %d streets", len(topics), len(streets))
		}

		// The service days and their problems.
		var days []*dayRecord
		plan := func(by string) *dayRecord {
			t.Helper()
			d, err := s.Visits.CreateDay(ctx, actors[by], visit.Day{Title: "人社、税务服务日", On: today, Place: "党群服务中心",
				Departments: []string{"tax", "hrss", "market"}})
			if err != nil {
				t.Fatalf("%s plans a service day: %v", by, err)
			}
			if d.RegionCode != f.User(by).RegionCode {
				t.Fatalf("%s planned a day in %s", by, d.RegionCode)
			}
			r := &dayRecord{id: d.ID, region: d.RegionCode}
			days = append(days, r)
			return r
		}
		register := func(d *dayRecord, by string, e storetest.Record) {
			t.Helper()
			p, err := s.Visits.Register(ctx, actors[by], d.id, visit.DayProblem{EnterpriseID: e.ID, Text: "新招员工社保登记流程不清楚",
				Category: "labour.social", Department: "hrss"})
			if err != nil {
				t.Fatalf("%s registers a problem of %s for day %d: %v", by, e.Enterprise, d.id, err)
			}
			d.problems = append(d.problems, storetest.Record{ID: p.ID, Place: e.Place, Enterprise: e.Enterprise})
		}
		for _, c := range communities {
			register(plan("community_"+c), "ent_"+c, entAt(c, 1, 0))
		}
		for _, st := range streets {
			register(plan("street_"+st), "community_"+st+"002", entAt(st+"002", 2, 2))
		}

		mismatches, calls := 0, 0
		miss := func(format string, args ...any) {
			mismatches++
			if mismatches <= 30 {
				t.Errorf(format, args...)
			}
		}

		// The to-do lists: visits to confirm (before any is), common problems
		// to answer, service days with problems pending, enterprises due a
		// visit hold only what the principal may act on.
		for _, u := range f.Users {
			calls += todosAgree(t, s, f, u, actors[u.Username], ents, visits, topics, days, miss)
		}

		// Every principal × every visit × read, confirm; and an absent visit.
		for _, u := range f.Users {
			a := actors[u.Username]
			for i := range visits {
				v := &visits[i]
				rel := visitRelation(f, u, *v)
				_, err := s.Visits.Visit(ctx, a, v.ID)
				if got, w := storetest.Outcome(err), visitTable.Want(u.Role, rel, 0); got != w {
					miss("%s reads visit %d to %s by %s (%s): %c, want %c (%v)", u.Username, v.ID, v.Enterprise, v.by, rel, got, w, err)
				}
				cur, err := s.Visits.Visit(ctx, admin, v.ID)
				if err != nil {
					t.Fatal(err)
				}
				_, err = s.Visits.Confirm(ctx, a, v.ID, visit.Satisfied, "", cur.Version)
				if got, w := storetest.Outcome(err), visitTable.Want(u.Role, rel, 1); got != w {
					miss("%s confirms visit %d to %s by %s (%s): %c, want %c (%v)", u.Username, v.ID, v.Enterprise, v.by, rel, got, w, err)
				}
				after, _ := s.Visits.Visit(ctx, admin, v.ID)
				if changed := after.Version != cur.Version; changed != (err == nil) {
					miss("%s confirms visit %d: answered %v, changed %v", u.Username, v.ID, err, changed)
				}
				if err == nil {
					v.confirmed = true
				}
				calls += 2
			}
			_, err := s.Visits.Visit(ctx, a, 1<<40)
			if got, w := storetest.Outcome(err), absentWant(visitTable, u.Role, 0); got != w {
				miss("%s reads an absent visit: %c, want %c (%v)", u.Username, got, w, err)
			}
			_, err = s.Visits.Confirm(ctx, a, 1<<40, visit.Satisfied, "", 1)
			if got, w := storetest.Outcome(err), absentWant(visitTable, u.Role, 1); got != w {
				miss("%s confirms an absent visit: %c, want %c (%v)", u.Username, got, w, err)
			}
			calls += 2
		}
		for _, v := range visits {
			if want := slices.ContainsFunc(f.Users, func(u demo.User) bool { return visitTable.Want(u.Role, visitRelation(f, u, v), 1) == storetest.Allow }); v.confirmed != want {
				miss("visit %d to %s by %s: confirmed %v, want %v", v.ID, v.Enterprise, v.by, v.confirmed, want)
			}
		}

		// Every principal × every topic × read, answer; and an absent topic.
		reopen := func(id int64) {
			t.Helper()
			if _, err := s.Writer().Exec(ctx, "UPDATE common_topics SET state = ?, answer = '', answered_by = 0, answered_at = 0 WHERE id = ?",
				visit.TopicOpen, id); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range f.Users {
			a := actors[u.Username]
			for _, st := range streets {
				tp := topics[st]
				rel := topicRelation(f, u, *tp)
				_, _, err := s.Visits.Topic(ctx, a, tp.id)
				if got, w := storetest.Outcome(err), topicTable.Want(u.Role, rel, 0); got != w {
					miss("%s reads topic %d of street %s (%s): %c, want %c (%v)", u.Username, tp.id, st, rel, got, w, err)
				}
				cur, _, err := s.Visits.Topic(ctx, admin, tp.id)
				if err != nil {
					t.Fatal(err)
				}
				_, err = s.Visits.AnswerTopic(ctx, a, tp.id, "已协调供电公司，本月内安装路灯", cur.Version)
				if got, w := storetest.Outcome(err), topicTable.Want(u.Role, rel, 1); got != w {
					miss("%s answers topic %d of street %s (%s): %c, want %c (%v)", u.Username, tp.id, st, rel, got, w, err)
				}
				after, _, _ := s.Visits.Topic(ctx, admin, tp.id)
				if changed := after.Version != cur.Version || after.State != visit.TopicOpen; changed != (err == nil) {
					miss("%s answers topic %d: answered %v, changed %v", u.Username, tp.id, err, changed)
				}
				if err == nil {
					reopen(tp.id)
				}
				calls += 2
			}
			_, _, err := s.Visits.Topic(ctx, a, 1<<40)
			if got, w := storetest.Outcome(err), absentWant(topicTable, u.Role, 0); got != w {
				miss("%s reads an absent topic: %c, want %c (%v)", u.Username, got, w, err)
			}
			_, err = s.Visits.AnswerTopic(ctx, a, 1<<40, "已协调供电公司，本月内安装路灯", 1)
			if got, w := storetest.Outcome(err), absentWant(topicTable, u.Role, 1); got != w {
				miss("%s answers an absent topic: %c, want %c (%v)", u.Username, got, w, err)
			}
			calls += 2
		}

		// Every principal × every service day × read, answer a problem; and
		// an absent day. An answer given is taken back by SQL.
		reanswer := func(id int64) {
			t.Helper()
			if _, err := s.Writer().Exec(ctx, "UPDATE service_day_problems SET outcome = '', answer = '', handled_by = 0, handled_at = 0 WHERE id = ?",
				id); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range f.Users {
			a := actors[u.Username]
			for _, d := range days {
				rel := dayRelation(f, u, *d)
				_, _, err := s.Visits.Day(ctx, a, d.id)
				if got, w := storetest.Outcome(err), dayTable.Want(u.Role, rel, 0); got != w {
					miss("%s reads day %d of %s (%s): %c, want %c (%v)", u.Username, d.id, d.region, rel, got, w, err)
				}
				_, problems, err := s.Visits.Day(ctx, admin, d.id)
				if err != nil || len(problems) != 1 {
					t.Fatalf("day %d: %d problems, %v", d.id, len(problems), err)
				}
				p := problems[0]
				_, err = s.Visits.AnswerDayProblem(ctx, a, p.ID, "人社局现场讲解参保登记", p.Version)
				if got, w := storetest.Outcome(err), problemTable.Want(u.Role, rel, 0); got != w {
					miss("%s answers the problem of %s on day %d of %s (%s): %c, want %c (%v)", u.Username, d.problems[0].Enterprise,
						d.id, d.region, rel, got, w, err)
				}
				_, after, _ := s.Visits.Day(ctx, admin, d.id)
				if changed := len(after) != 1 || after[0].Version != p.Version || after[0].Outcome != visit.DayPending; changed != (err == nil) {
					miss("%s answers a problem of day %d: answered %v, changed %v", u.Username, d.id, err, changed)
				}
				if err == nil {
					reanswer(p.ID)
				}
				calls += 2
			}
			_, _, err := s.Visits.Day(ctx, a, 1<<40)
			if got, w := storetest.Outcome(err), absentWant(dayTable, u.Role, 0); got != w {
				miss("%s reads an absent day: %c, want %c (%v)", u.Username, got, w, err)
			}
			_, err = s.Visits.AnswerDayProblem(ctx, a, 1<<40, "人社局现场讲解参保登记", 1)
			if got, w := storetest.Outcome(err), absentWant(problemTable, u.Role, 0); got != w {
				miss("%s answers an absent problem: %c, want %c (%v)", u.Username, got, w, err)
			}
			calls += 2
		}

		// Lists, the enterprises of a topic, the problems of a day, figures
		// and coverage hold exactly what the tables let each principal read.
		for _, u := range f.Users {
			calls += listsAgree(t, s, f, u, actors[u.Username], ents, visits, topics, days, miss)
		}
		calls += foreignFilters(t, s, f, actors, visits, miss)
		t.Logf("%d principals, %d visits, %d topics, %d service days, %d calls; mismatches %d (must be 0)",
			len(f.Users), len(visits), len(topics), len(days), calls, mismatches)
	})
}

// listsAgree checks every list of the visits' records, and every count and
// figure over them, for one principal against the oracle, and returns the
// number of calls.
func listsAgree(t *testing.T, s *testStore, f storetest.Fixture, u demo.User, a access.Actor, ents []storetest.Record,
	visits []visitRecord, topics map[string]*topicRecord, days []*dayRecord, miss func(string, ...any)) int {
	t.Helper()
	ctx := context.Background()
	calls := 0
	tolerate := func(err error) { // a role that reads no visit is refused the lists by role
		t.Helper()
		if err != nil && !fault.Is(err, fault.Forbidden) {
			t.Fatal(err)
		}
	}

	// Visits: the list and its total.
	wantVisits := map[int64]bool{}
	var readable []visitRecord
	for _, v := range visits {
		if visitTable.Want(u.Role, visitRelation(f, u, v), 0) == storetest.Allow {
			wantVisits[v.ID] = true
			readable = append(readable, v)
		}
	}
	list, total, err := s.Visits.Visits(ctx, a, visitdb.VisitQuery{Page: store.Page{Number: 1, Size: store.MaxPageSize}})
	tolerate(err)
	got := map[int64]bool{}
	for _, v := range list {
		got[v.ID] = true
	}
	if !storetest.SameIDs(got, wantVisits) || total != len(wantVisits) {
		miss("%s lists %d visits (total %d), want %d", u.Username, len(got), total, len(wantVisits))
	}
	calls++

	// Topics: the list, and the enterprises each one shows.
	wantTopics := map[int64]bool{}
	for _, tp := range topics {
		if topicTable.Want(u.Role, topicRelation(f, u, *tp), 0) == storetest.Allow {
			wantTopics[tp.id] = true
		}
	}
	tl, err := s.Visits.Topics(ctx, a, "")
	tolerate(err)
	got = map[int64]bool{}
	for _, tp := range tl {
		got[tp.ID] = true
	}
	if !storetest.SameIDs(got, wantTopics) {
		miss("%s lists %d topics, want %d", u.Username, len(got), len(wantTopics))
	}
	calls++
	for _, tp := range topics {
		if !wantTopics[tp.id] {
			continue
		}
		_, concerned, err := s.Visits.Topic(ctx, a, tp.id)
		if err != nil {
			t.Fatal(err)
		}
		want, got := map[int64]bool{}, map[int64]bool{}
		for _, c := range tp.concerned {
			if readsVisitsOf(f, u, c) {
				want[c.ID] = true
			}
		}
		for _, c := range concerned {
			got[c.EnterpriseID] = true
		}
		if !storetest.SameIDs(got, want) {
			miss("%s: topic %d shows %d enterprises, want %d", u.Username, tp.id, len(got), len(want))
		}
		calls++
	}

	// Service days: the list, and the problems each one shows and counts.
	wantDays := map[int64]bool{}
	for _, d := range days {
		if dayTable.Want(u.Role, dayRelation(f, u, *d), 0) == storetest.Allow {
			wantDays[d.id] = true
		}
	}
	dl, err := s.Visits.Days(ctx, a)
	tolerate(err)
	got = map[int64]bool{}
	counted := map[int64]int{}
	for _, d := range dl {
		got[d.ID] = true
		counted[d.ID] = d.Problems
	}
	if !storetest.SameIDs(got, wantDays) {
		miss("%s lists %d service days, want %d", u.Username, len(got), len(wantDays))
	}
	calls++
	for _, d := range days {
		if !wantDays[d.id] {
			continue
		}
		want := map[int64]bool{}
		for _, p := range d.problems {
			if readsVisitsOf(f, u, p) {
				want[p.ID] = true
			}
		}
		day, problems, err := s.Visits.Day(ctx, a, d.id)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for _, p := range problems {
			got[p.ID] = true
		}
		if !storetest.SameIDs(got, want) || day.Problems != len(want) || counted[d.id] != len(want) {
			miss("%s: day %d of %s shows %d problems (counts %d, listed with %d), want %d", u.Username, d.id, d.region,
				len(got), day.Problems, counted[d.id], len(want))
		}
		calls++
	}

	// Figures and coverage of the whole city: only what the principal reads.
	var want visitdb.Figures
	visited := map[int64]bool{}
	for _, v := range readable {
		want.Visits++
		want.Problems += v.problems
		want.Common += v.problems
		if v.confirmed {
			want.Confirmed++
			want.Satisfied++
		}
		visited[v.entID] = true
	}
	want.Enterprises = len(visited)
	for _, by := range []string{visitdb.ByRegion, visitdb.ByRecorder} {
		total, rows, err := s.Visits.FiguresOf(ctx, a, storetest.FixtureCity, month, by)
		tolerate(err)
		total.Key = ""
		if total != want {
			miss("%s: figures by %s %+v, want %+v", u.Username, by, total, want)
		}
		sum := 0
		for _, r := range rows {
			sum += r.Visits
		}
		if sum != want.Visits {
			miss("%s: figures by %s: rows count %d visits, want %d", u.Username, by, sum, want.Visits)
		}
		calls++
	}
	inSight := 0
	for _, e := range ents {
		if readsVisitsOf(f, u, e) {
			inSight++
		}
	}
	c, _, err := s.Visits.CoverageOf(ctx, a, storetest.FixtureCity, month)
	tolerate(err)
	if c.Enterprises != inSight || c.Visited != len(visited) || c.Unvisited != inSight-len(visited) {
		miss("%s: coverage of %d enterprises, %d visited, %d unvisited; want %d, %d, %d", u.Username, c.Enterprises, c.Visited,
			c.Unvisited, inSight, len(visited), inSight-len(visited))
	}
	calls++
	return calls
}

// foreignFilters passes regions outside the principal's reach as filters
// of the visits' lists and figures: they narrow to nothing, never widen.
func foreignFilters(t *testing.T, s *testStore, f storetest.Fixture, actors map[string]access.Actor, visits []visitRecord,
	miss func(string, ...any)) int {
	t.Helper()
	ctx := context.Background()
	districtA, districtB := storetest.FixtureDistricts[0], storetest.FixtureDistricts[1]
	calls := 0
	for _, c := range []struct{ who, region string }{
		{"street_" + districtA + "001", districtB},
		{"street_" + districtA + "001", districtA + "002"},
		{"street_" + districtA + "001", districtA + "001"},
		{"street_" + districtA + "001", storetest.FixtureCity},
		{"district_" + districtB, districtA},
		{"district_" + districtB, storetest.FixtureCity},
		{"community_" + districtA + "001001", storetest.FixtureCity},
		{"community_" + districtA + "001001", districtA + "001002"},
		{"grid_" + districtA + "001001001", districtA + "001001"},
		{"ent_" + districtA + "001001", districtB + "001001"},
		{"cadre", districtB},
		{"cadre", districtA + "001001"},
	} {
		u := f.User(c.who)
		want := map[int64]bool{}
		var figures visitdb.Figures
		for _, v := range visits {
			if v.Place.At(place.LevelOf(c.region)) == c.region && visitTable.Want(u.Role, visitRelation(f, u, v), 0) == storetest.Allow {
				want[v.ID] = true
				figures.Visits++
			}
		}
		list, total, err := s.Visits.Visits(ctx, actors[c.who], visitdb.VisitQuery{Region: c.region, Page: store.Page{Number: 1, Size: store.MaxPageSize}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for _, v := range list {
			got[v.ID] = true
		}
		if !storetest.SameIDs(got, want) || total != len(want) {
			miss("%s with filter region %s: %d visits listed (total %d), oracle %d", c.who, c.region, len(got), total, len(want))
		}
		fig, _, err := s.Visits.FiguresOf(ctx, actors[c.who], c.region, month, visitdb.ByRegion)
		if err != nil {
			t.Fatal(err)
		}
		if fig.Visits != figures.Visits {
			miss("%s: figures of %s count %d visits, oracle %d", c.who, c.region, fig.Visits, figures.Visits)
		}
		calls += 2
	}
	return calls
}

// todosAgree checks the principal's to-do lists of the visits' kinds
// against the oracle: visits to confirm (all still open) are the
// enterprise's own; the common problems to answer are those sent to the
// principal's street that it may answer; the service days with problems
// pending are those it runs with a problem pending in its sight; the
// enterprises due a visit are a cadre's own. It returns the number of calls.
func todosAgree(t *testing.T, s *testStore, f storetest.Fixture, u demo.User, a access.Actor, ents []storetest.Record,
	visits []visitRecord, topics map[string]*topicRecord, days []*dayRecord, miss func(string, ...any)) int {
	t.Helper()
	ctx := context.Background()
	refs := func(kind string) map[string]bool {
		t.Helper()
		items, n, err := s.Visits.Todo(ctx, a, kind, 1000)
		if err != nil {
			t.Fatalf("%s: to-do %s: %v", u.Username, kind, err)
		}
		out := map[string]bool{}
		for _, it := range items {
			out[it.Ref] = true
		}
		if n != len(items) {
			miss("%s: to-do %s counts %d, lists %d", u.Username, kind, n, len(items))
		}
		return out
	}
	same := func(kind string, got, want map[string]bool) {
		if len(got) != len(want) {
			miss("%s: to-do %s lists %v, want %v", u.Username, kind, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
			return
		}
		for r := range got {
			if !want[r] {
				miss("%s: to-do %s lists %v, want %v", u.Username, kind, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
				return
			}
		}
	}

	want := map[string]bool{}
	if u.Role == access.RoleEnterprise {
		for _, v := range visits {
			if visitTable.Want(u.Role, visitRelation(f, u, v), 1) == storetest.Allow {
				want[visitdb.Ref(v.ID)] = true
			}
		}
	}
	same("visit.confirm", refs("visit.confirm"), want)

	want = map[string]bool{}
	for _, tp := range topics {
		if tp.street == u.RegionCode && topicTable.Want(u.Role, topicRelation(f, u, *tp), 1) == storetest.Allow {
			want[fmt.Sprintf("T%d", tp.id)] = true
		}
	}
	same("topic.answer", refs("topic.answer"), want)

	want = map[string]bool{}
	for _, d := range days {
		if problemTable.Want(u.Role, dayRelation(f, u, *d), 0) == storetest.Allow &&
			slices.ContainsFunc(d.problems, func(p storetest.Record) bool { return readsVisitsOf(f, u, p) }) {
			want[fmt.Sprintf("D%d", d.id)] = true
		}
	}
	same("serviceday.pending", refs("serviceday.pending"), want)

	for r := range refs("visit.due") {
		if !slices.ContainsFunc(ents, func(e storetest.Record) bool {
			return fmt.Sprintf("E%d", e.ID) == r && f.Relation(u, e) == relAssigned
		}) {
			miss("%s: to-do visit.due lists %s, not one of its enterprises", u.Username, r)
		}
	}
	return 4
}
