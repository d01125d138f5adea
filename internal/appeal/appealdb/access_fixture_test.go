package appealdb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/demo"
	"qifu/internal/department"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
)

// The permission fixture: a city of 2 districts × 2 streets × 2 communities
// × 2 grids with 3 enterprises per grid, and 3 departments: tax serves the
// first district, hrss the second, market the whole city. Every regional
// role has an account at every region of its level (grid workers at the
// first grid of each community), every department one, two cadres (one
// assigned across both districts, one to nothing), an enterprise user for
// the first enterprise of each community, and the four roles without
// regions.
const fixtureCity = "330200"

var fixtureDistricts = []string{"330206", "330203"}

// fixtureRelation is how a principal stands to a record. Each pair gets the
// most particular relation that applies, in this order.
type fixtureRelation string

const (
	relOwn        fixtureRelation = "own"        // the enterprise user's own enterprise, or its appeals
	relAssigned   fixtureRelation = "assigned"   // a cadre's assigned enterprise, or its appeals
	relRaised     fixtureRelation = "raised"     // an appeal a cadre raised
	relDispatched fixtureRelation = "dispatched" // an appeal dispatched to the department
	relRegion     fixtureRelation = "region"     // a record in the principal's region (a department's: its alliance's)
	relOther      fixtureRelation = "other"      // none of the above
)

// The expected outcome of one action: allowed, forbidden (403: the record
// is seen, the action is not the role's) or not found (404: the record is
// outside the principal's sight, indistinguishable from an absent one).
const (
	allow  = 'A'
	forbid = 'F'
	absent = 'N'
)

// enterpriseTable is the permission table for enterprises, written from the
// domain's rules (DOMAIN.md, "roles"), not from internal/access: role ×
// relation → the outcome of read, update and revealing personal data, in
// that order. A relation a role does not list is "other".
var enterpriseTable = map[access.Role]map[fixtureRelation]string{
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
var appealTable = map[access.Role]map[fixtureRelation]string{
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

// fixture is the dataset and what the oracle knows of it.
type fixture struct {
	demo.Dataset
	depts map[string]string // department code → its region
}

func newFixture() fixture {
	f := fixture{depts: map[string]string{"tax": fixtureDistricts[0], "hrss": fixtureDistricts[1], "market": fixtureCity}}
	d := &f.Dataset
	d.Regions = append(d.Regions, place.Region{Code: fixtureCity, Name: "宁波市", Level: place.City})
	user := func(name string, role access.Role, region string) demo.User {
		n := len(d.Users)
		return demo.User{Username: name, Password: demo.Password, Name: fmt.Sprintf("测试%02d", n),
			Phone: fmt.Sprintf("1380574%04d", n), Role: role, RegionCode: region}
	}
	d.Users = append(d.Users, user("admin", access.RoleAdmin, ""), user("auditor", access.RoleAuditor, ""),
		user("lawyer", access.RoleLawyer, ""), user("finance", access.RoleFinance, ""),
		user("city", access.RoleCityLeader, fixtureCity))
	cadre := user("cadre", access.RoleCadre, "")
	for di, district := range fixtureDistricts {
		d.Regions = append(d.Regions, place.Region{Code: district, Name: fmt.Sprintf("测试%d区", di+1), Level: place.District, ParentCode: fixtureCity})
		d.Users = append(d.Users, user("district_"+district, access.RoleDistrictLeader, district))
		for si := 1; si <= 2; si++ {
			street := fmt.Sprintf("%s%03d", district, si)
			d.Regions = append(d.Regions, place.Region{Code: street, Name: "街道" + street, Level: place.Street, ParentCode: district})
			d.Users = append(d.Users, user("street_"+street, access.RoleStreetLeader, street))
			for ci := 1; ci <= 2; ci++ {
				community := fmt.Sprintf("%s%03d", street, ci)
				d.Regions = append(d.Regions, place.Region{Code: community, Name: "社区" + community, Level: place.Community,
					ParentCode: street, Industrial: true})
				d.Users = append(d.Users, user("community_"+community, access.RoleCommunityStaff, community))
				for gi := 1; gi <= 2; gi++ {
					grid := fmt.Sprintf("%s%03d", community, gi)
					d.Regions = append(d.Regions, place.Region{Code: grid, Name: "网格" + grid, Level: place.Grid, ParentCode: community})
					if gi == 1 {
						w := user("grid_"+grid, access.RoleGridWorker, grid)
						w.GridCodes = []string{grid}
						d.Users = append(d.Users, w)
					}
					for ei := range 3 {
						n := len(d.Enterprises)
						stem := fmt.Sprintf("91%sFX%07d", district, n)
						c, _ := enterprise.CheckChar(stem)
						e := enterprise.Enterprise{CreditCode: stem + string(c), Name: fmt.Sprintf("测试%02d精密机械有限公司", n),
							GridCode: grid, CommunityCode: community, StreetCode: street, DistrictCode: district, CityCode: fixtureCity,
							LegalRep: "王测试", Contact: "李联系", Phone: fmt.Sprintf("1390574%04d", n), Address: "测试路 1 号",
							Industry: "34", Employees: 12, Revenue: 3_000_000}
						e.Size = enterprise.Classify(e.Industry, e.Employees, e.Revenue)
						d.Enterprises = append(d.Enterprises, e)
						if gi == 1 && ei == 0 {
							u := user("ent_"+community, access.RoleEnterprise, "")
							u.EnterpriseCode = e.CreditCode
							d.Users = append(d.Users, u)
						}
						if ci == 2 && gi == 2 && ei == 2 {
							cadre.Assigned = append(cadre.Assigned, e.CreditCode)
						}
					}
				}
			}
		}
	}
	d.Users = append(d.Users, cadre, user("cadre_idle", access.RoleCadre, ""))
	for _, code := range []string{"tax", "hrss", "market"} {
		d.Departments = append(d.Departments, department.Department{Code: code, Name: code + "局", NameEn: code,
			RegionCode: f.depts[code], Phone: "0574-86890000"})
		u := user("dept_"+code, access.RoleDepartment, "")
		u.DepartmentCode = code
		d.Users = append(d.Users, u)
	}
	return f
}

// fixtureRecord is what the oracle knows of one enterprise or appeal.
type fixtureRecord struct {
	id         int64
	place      place.Ancestry
	enterprise string // credit code
	raisedBy   string // appeals: username
	depts      []string
}

// relation is how the principal u stands to the record r.
func (f fixture) relation(u demo.User, r fixtureRecord) fixtureRelation {
	switch {
	case u.Role == access.RoleEnterprise && u.EnterpriseCode == r.enterprise:
		return relOwn
	case u.Role == access.RoleCadre && slices.Contains(u.Assigned, r.enterprise):
		return relAssigned
	case u.Role == access.RoleCadre && r.raisedBy == u.Username:
		return relRaised
	case u.Role == access.RoleDepartment && slices.Contains(r.depts, u.DepartmentCode):
		return relDispatched
	case u.Role == access.RoleDepartment && r.place.At(place.LevelOf(f.depts[u.DepartmentCode])) == f.depts[u.DepartmentCode]:
		return relRegion
	case u.RegionCode != "" && r.place.At(place.LevelOf(u.RegionCode)) == u.RegionCode:
		return relRegion
	}
	return relOther
}

// want is the table's outcome for action i of the record r for u.
func want(table map[access.Role]map[fixtureRelation]string, f fixture, u demo.User, r fixtureRecord, i int) byte {
	row, ok := table[u.Role][f.relation(u, r)]
	if !ok {
		row = table[u.Role][relOther]
	}
	return row[i]
}

// outcome turns a store answer into the table's letters.
func outcome(err error) byte {
	switch {
	case err == nil:
		return allow
	case fault.Is(err, fault.Forbidden):
		return forbid
	case fault.Is(err, fault.NotFound):
		return absent
	}
	return '?'
}

// TestAccessFixture drives the permission tables over the fixture on both
// stores: every principal × every enterprise × read, update, reveal, and
// every principal × every appeal × read, note; then every list, count,
// export, dashboard count and inbox against the oracle; then IDs of records
// out of scope passed in queries and bodies. Mismatches must be 0.
func TestAccessFixture(t *testing.T) {
	t.Parallel()
	f := newFixture()
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
		var ents, appeals []fixtureRecord
		for _, e := range f.Enterprises {
			ents = append(ents, fixtureRecord{id: ids[e.CreditCode], enterprise: e.CreditCode, place: place.Ancestry{
				City: e.CityCode, District: e.DistrictCode, Street: e.StreetCode, Community: e.CommunityCode, Grid: e.GridCode}})
		}
		raise := func(by string, r fixtureRecord) {
			in := appeal.Input{Type: appeal.TypeHelp, Category: "labour.recruit",
				Title: "旺季招工困难", Content: "订单增加，缺少熟练工人。", CreditCode: r.enterprise, Contact: "王经理", Phone: "13805741234"}
			a, _, err := s.CreateAppeal(ctx, actors[by], in, "")
			if err != nil {
				t.Fatalf("raise as %s for %s: %v", by, r.enterprise, err)
			}
			staff := "community_" + r.place.Community
			a, err = s.Act(ctx, actors[staff], a.ID, appeal.Command{Action: appeal.Accept, Version: a.Version})
			if err != nil {
				t.Fatalf("accept: %v", err)
			}
			rec := fixtureRecord{id: a.ID, place: r.place, enterprise: r.enterprise, raisedBy: by}
			if n := len(appeals); n%2 == 1 {
				lead := "tax"
				if r.place.District == fixtureDistricts[1] {
					lead = "hrss"
				}
				c := appeal.Command{Action: appeal.Dispatch, Version: a.Version, Lead: deptID[lead], Note: "请牵头办理"}
				rec.depts = []string{lead}
				if n%4 == 3 {
					c.Assists = []int64{deptID["market"]}
					rec.depts = append(rec.depts, "market")
				}
				if _, err := s.Act(ctx, actors[staff], a.ID, c); err != nil {
					t.Fatalf("dispatch: %v", err)
				}
			}
			appeals = append(appeals, rec)
		}
		for _, e := range ents {
			by := "grid_" + e.place.Community + "001"
			if e.place.Grid != by[len("grid_"):] {
				by = "community_" + e.place.Community
			}
			raise(by, e)
		}
		for _, u := range f.Users {
			switch u.Role {
			case access.RoleEnterprise:
				for _, e := range ents {
					if e.enterprise == u.EnterpriseCode {
						raise(u.Username, e)
					}
				}
			case access.RoleCadre:
				for _, e := range ents {
					if slices.Contains(u.Assigned, e.enterprise) {
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
				_, err := s.Enterprise(ctx, a, r.id)
				if got, w := outcome(err), want(enterpriseTable, f, u, r, 0); got != w {
					miss("%s reads enterprise %s (%s): %c, want %c (%v)", u.Username, r.enterprise, f.relation(u, r), got, w, err)
				}
				cur, err := s.Enterprise(ctx, admin, r.id)
				if err != nil {
					t.Fatal(err)
				}
				change := cur
				change.Employees++
				_, err = s.UpdateEnterprise(ctx, a, r.id, cur.Version, change)
				if got, w := outcome(err), want(enterpriseTable, f, u, r, 1); got != w {
					miss("%s updates enterprise %s (%s): %c, want %c (%v)", u.Username, r.enterprise, f.relation(u, r), got, w, err)
				}
				after, _ := s.Enterprise(ctx, admin, r.id)
				if changed := after.Version != cur.Version; changed != (err == nil) {
					miss("%s updates enterprise %s: answered %v, changed %v", u.Username, r.enterprise, err, changed)
				}
				_, err = s.RevealEnterprise(ctx, a, r.id)
				if got, w := outcome(err), want(enterpriseTable, f, u, r, 2); got != w {
					miss("%s reveals enterprise %s (%s): %c, want %c (%v)", u.Username, r.enterprise, f.relation(u, r), got, w, err)
				}
				calls += 3
			}
		}

		// Every principal × every appeal × read, note.
		for _, u := range f.Users {
			a := actors[u.Username]
			for _, r := range appeals {
				_, err := s.Appeal(ctx, a, r.id)
				if got, w := outcome(err), want(appealTable, f, u, r, 0); got != w {
					miss("%s reads appeal %d (%s): %c, want %c (%v)", u.Username, r.id, f.relation(u, r), got, w, err)
				}
				cur, err := s.Appeal(ctx, admin, r.id)
				if err != nil {
					t.Fatal(err)
				}
				_, err = s.Act(ctx, a, r.id, appeal.Command{Action: appeal.Note, Version: cur.Version, Note: "进展备注"})
				if got, w := outcome(err), want(appealTable, f, u, r, 1); got != w {
					miss("%s notes appeal %d (%s): %c, want %c (%v)", u.Username, r.id, f.relation(u, r), got, w, err)
				}
				after, _ := s.Appeal(ctx, admin, r.id)
				if changed := after.Version != cur.Version; changed != (err == nil) {
					miss("%s notes appeal %d: answered %v, changed %v", u.Username, r.id, err, changed)
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
					wantEnts[r.id] = true
				}
			}
			for _, r := range appeals {
				if want(appealTable, f, u, r, 0) == allow {
					wantAppeals[r.id] = true
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
			if !sameIDs(gotEnts, wantEnts) || total != len(wantEnts) {
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
			if !sameIDs(gotAppeals, wantAppeals) || total != len(wantAppeals) || count != len(wantAppeals) || !sameIDs(exported, wantAppeals) {
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

func sameIDs(a, b map[int64]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for id := range a {
		if !b[id] {
			return false
		}
	}
	return true
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
	districtA, districtB := fixtureDistricts[0], fixtureDistricts[1]

	// Filters naming a region or department outside the scope narrow to nothing.
	for _, c := range []struct {
		who string
		q   appealdb.AppealQuery
	}{
		{"street_" + districtA + "001", appealdb.AppealQuery{Region: districtB}},
		{"street_" + districtA + "001", appealdb.AppealQuery{Region: districtA + "002"}},
		{"community_" + districtA + "001001", appealdb.AppealQuery{Region: fixtureCity}},
		{"dept_tax", appealdb.AppealQuery{Department: deptID["hrss"]}},
		{"ent_" + districtA + "001001", appealdb.AppealQuery{Region: districtB + "001001"}},
	} {
		u := userOf(f, c.who)
		wantIDs := map[int64]bool{}
		for _, r := range appeals {
			matches := c.q.Region == "" || r.place.At(place.LevelOf(c.q.Region)) == c.q.Region
			if c.q.Department != 0 {
				matches = matches && slices.ContainsFunc(r.depts, func(d string) bool { return deptID[d] == c.q.Department })
			}
			if matches && want(appealTable, f, u, r, 0) == allow {
				wantIDs[r.id] = true
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
		if !sameIDs(got, wantIDs) || n != len(wantIDs) {
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
	other := first(func(r fixtureRecord) bool { return r.place.Community != districtA+"001001" })
	in := appeal.Input{Channel: appeal.ChannelVisit, Type: appeal.TypeHelp, Category: "labour.recruit", Title: "越权代报",
		Content: "替其他社区的企业提交。", CreditCode: other.enterprise, Contact: "王经理", Phone: "13805741234"}
	if _, _, err := s.CreateAppeal(ctx, actors[staffA], in, ""); !fault.Is(err, fault.Invalid) && !fault.Is(err, fault.NotFound) {
		miss("%s raises an appeal for an enterprise out of scope: %v", staffA, err)
	}
	calls++

	// Merge into another community's appeal, dispatch to the other
	// district's department: refused, nothing changed.
	own := first(func(r fixtureRecord) bool { return r.place.Community == districtA+"001001" && len(r.depts) == 0 })
	v := version(own.id)
	for what, c := range map[string]appeal.Command{
		"merge into another community's appeal":       {Action: appeal.Merge, CaseID: other.id},
		"dispatch to the other district's department": {Action: appeal.Dispatch, Lead: deptID["hrss"]},
		"dispatch with the other district's department assisting": {Action: appeal.Dispatch, Lead: deptID["tax"],
			Assists: []int64{deptID["hrss"]}},
	} {
		c.Version = v
		_, err := s.Act(ctx, actors[staffA], own.id, c)
		calls++
		if err == nil {
			miss("%s: %s: taken", staffA, what)
		}
		if after := version(own.id); after != v {
			miss("%s: %s: appeal changed (version %d → %d)", staffA, what, v, after)
		}
	}

	// An extension of another appeal decided through one's own: refused.
	leadA := first(func(r fixtureRecord) bool { return r.place.District == districtA && slices.Contains(r.depts, "tax") })
	leadB := first(func(r fixtureRecord) bool { return r.place.District == districtB && slices.Contains(r.depts, "hrss") })
	for _, c := range []struct {
		dept string
		r    fixtureRecord
	}{{"dept_tax", leadA}, {"dept_hrss", leadB}} {
		if _, err := s.Act(ctx, actors[c.dept], c.r.id, appeal.Command{Action: appeal.Sign, Version: version(c.r.id)}); err != nil {
			t.Fatalf("sign: %v", err)
		}
	}
	due := s.Clock.Now().AddDate(0, 1, 0)
	if _, err := s.Act(ctx, actors["dept_hrss"], leadB.id, appeal.Command{Action: appeal.RequestExtension, Version: version(leadB.id),
		Note: "需协调", Due: due}); err != nil {
		t.Fatalf("request extension: %v", err)
	}
	ext, err := s.Appeal(ctx, admin, leadB.id)
	if err != nil || len(ext.Extensions) == 0 {
		t.Fatalf("extension: %v", err)
	}
	leaderA := "street_" + leadA.place.Street
	vA, vB := version(leadA.id), version(leadB.id)
	_, err = s.Act(ctx, actors[leaderA], leadA.id, appeal.Command{Action: appeal.DecideExtension, Version: vA,
		ExtensionID: ext.Extensions[0].ID, Approve: true})
	calls++
	if err == nil {
		miss("%s decides another district's extension through its own appeal", leaderA)
	}
	if version(leadA.id) != vA || version(leadB.id) != vB {
		miss("%s: deciding a foreign extension changed an appeal", leaderA)
	}
	if after, _ := s.Appeal(ctx, admin, leadB.id); after.Extensions[0].Status != "pending" {
		miss("a foreign extension was decided: %s", after.Extensions[0].Status)
	}
	return calls
}

func userOf(f fixture, username string) demo.User {
	for _, u := range f.Users {
		if u.Username == username {
			return u
		}
	}
	return demo.User{}
}
