package web

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealweb"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/sheet"
	"qifu/internal/visit"
	"qifu/internal/web/core"
)

var (
	codeCell  = regexp.MustCompile(`class="mono">([0-9A-Z]{18})</td>`)
	phoneCell = regexp.MustCompile(`id="phone">([^<]*)</dd>`)
)

// TestAccessMatrix checks every role against every route: which enterprises
// each showcase account sees, that records out of scope are not found, that
// only roles with the reach change or reveal a record, and the status of
// every route for every role and for no one signed in.
func TestAccessMatrix(t *testing.T) {
	eachFreshStore(t, func(t *testing.T, s *site) {
		for _, u := range showcase {
			s.login(t, u.Username)
		}
		t.Run("records", func(t *testing.T) {
			for _, u := range showcase {
				t.Run(u.Username, func(t *testing.T) { checkRecords(t, s, u) })
			}
		})
		t.Run("routes", func(t *testing.T) { checkRoutes(t, s) })
		t.Run("signed out", func(t *testing.T) { checkSignedOut(t, s) })
	})
}

// checkRecords checks what one account sees of the enterprises and what
// it may do to one inside and one outside its scope.
func checkRecords(t *testing.T, s *site, u demo.User) {
	sc := scopeOf(u)
	read := sc.codes(access.EnterpriseRead)

	// The list holds exactly the enterprises in scope, phones masked.
	got := s.listCodes(t, u.Username, "")
	sameSet(t, "GET /api/v1/enterprises", got, read)
	for code, e := range got {
		if want := access.MaskPhone(byCode[code].Phone); e.Phone != want {
			t.Errorf("list: %s phone %q, want masked %q", code, e.Phone, want)
			break
		}
	}
	// Filters narrow the scope, never widen it; "size" is the page size and
	// "class" the size class.
	small := map[string]bool{}
	for code := range read {
		if byCode[code].Size == enterprise.SizeSmall && byCode[code].ForeignTrade {
			small[code] = true
		}
	}
	sameSet(t, "GET /api/v1/enterprises?class=small&foreign=yes", s.listCodes(t, u.Username, "class=small&foreign=yes"), small)

	if len(read) <= 200 {
		res := s.as(t, u.Username, "GET", "/enterprises?size=200", nil)
		if res.code != http.StatusOK {
			t.Fatalf("GET /enterprises: %d", res.code)
		}
		html := map[string]bool{}
		for _, m := range codeCell.FindAllSubmatch(res.body, -1) {
			html[string(m[1])] = true
		}
		sameSet(t, "GET /enterprises (page)", html, read)
		for code := range html {
			if bytes.Contains(res.body, []byte(byCode[code].Phone)) {
				t.Errorf("page list shows the full phone of %s", code)
				break
			}
		}
	}

	// Exports hold the enterprises in the export scope, phones in full only
	// where the role may see personal data.
	res := s.as(t, u.Username, "GET", "/api/v1/enterprises/export", nil)
	if want := may(u, access.EnterpriseExport, http.StatusOK); res.code != want {
		t.Errorf("export: %d, want %d", res.code, want)
	} else if res.code == http.StatusOK {
		rows, err := sheet.ReadEnterprises(bytes.NewReader(res.body), 0)
		if err != nil {
			t.Fatalf("read export: %v", err)
		}
		exported := map[string]bool{}
		for _, r := range rows {
			exported[r.Enterprise.CreditCode] = true
			e := byCode[r.Enterprise.CreditCode]
			want := e.Phone
			if !sc.allows(access.PersonalView, e) {
				want = access.MaskPhone(e.Phone)
			}
			if r.Cells[4] != want {
				t.Errorf("export: %s phone %q, want %q", e.CreditCode, r.Cells[4], want)
				break
			}
		}
		sameSet(t, "export", exported, sc.codes(access.EnterpriseExport))
	}

	// One enterprise in scope: read, reveal, change.
	if in, ok := pick(func(e enterprise.Enterprise) bool { return sc.allows(access.EnterpriseRead, e) }); ok {
		id := s.entID(t, in.CreditCode)
		path := fmt.Sprintf("/api/v1/enterprises/%d", id)
		res := s.as(t, u.Username, "GET", path, nil)
		if res.code != http.StatusOK {
			t.Fatalf("GET %s (in scope): %d %s", path, res.code, res.body)
		}
		var e enterpriseJSON
		res.json(t, &e)
		if e.Phone != access.MaskPhone(in.Phone) {
			t.Errorf("GET %s: phone %q, want masked", path, e.Phone)
		}
		// The page offers editing and revealing exactly to those who may.
		page := s.as(t, u.Username, "GET", fmt.Sprintf("/enterprises/%d", id), nil)
		if page.code != http.StatusOK {
			t.Errorf("GET /enterprises/%d (in scope): %d", id, page.code)
		}
		for what, may := range map[string]bool{
			fmt.Sprintf(`href="/enterprises/%d/edit"`, id):     sc.allows(access.EnterpriseUpdate, in),
			fmt.Sprintf(`action="/enterprises/%d/reveal"`, id): sc.allows(access.PersonalView, in),
		} {
			if bytes.Contains(page.body, []byte(what)) != may {
				t.Errorf("GET /enterprises/%d: offers %s: %v, want %v", id, what, !may, may)
			}
		}

		before := s.auditTotal(t, "action=enterprise.personal")
		res = s.as(t, u.Username, "POST", path+"/reveal", nil)
		if want := sc.want(access.PersonalView, in, http.StatusOK); res.code != want {
			t.Errorf("POST %s/reveal: %d, want %d", path, res.code, want)
		} else if want == http.StatusOK {
			var full enterpriseJSON
			res.json(t, &full)
			if full.Phone != in.Phone {
				t.Errorf("reveal: phone %q, want %q", full.Phone, in.Phone)
			}
		} else if code := res.errorCode(t); code != "forbidden" {
			t.Errorf("reveal refused with code %q", code)
		}
		res = s.as(t, u.Username, "POST", fmt.Sprintf("/enterprises/%d/reveal", id), nil)
		if want := sc.want(access.PersonalView, in, http.StatusOK); res.code != want {
			t.Errorf("POST /enterprises/%d/reveal: %d, want %d", id, res.code, want)
		} else if m := phoneCell.FindSubmatch(res.body); want == http.StatusOK && (m == nil || string(m[1]) != in.Phone) {
			t.Errorf("revealed page shows phone %q, want %q", m, in.Phone)
		}
		reveals := 0
		if sc.allows(access.PersonalView, in) {
			reveals = 2
		}
		if n := s.auditTotal(t, "action=enterprise.personal"); n != before+reveals {
			t.Errorf("reveals audited: %d, want %d", n-before, reveals)
		}

		change := inputOf(e)
		change.Employees++
		res = s.as(t, u.Username, "PUT", path, jsonBody(change))
		if want := sc.want(access.EnterpriseUpdate, in, http.StatusOK); res.code != want {
			t.Errorf("PUT %s: %d, want %d: %s", path, res.code, want, res.body)
		} else if want == http.StatusOK {
			var after enterpriseJSON
			res.json(t, &after)
			if after.Version != e.Version+1 || after.Employees != e.Employees+1 {
				t.Errorf("PUT %s: version %d employees %d, want %d and %d", path, after.Version, after.Employees, e.Version+1, e.Employees+1)
			}
		} else if code := res.errorCode(t); code != "forbidden" {
			t.Errorf("PUT refused with code %q", code)
		}
	}

	// One enterprise out of scope: not found, whatever is asked.
	if out, ok := pick(func(e enterprise.Enterprise) bool { return !sc.allows(access.EnterpriseRead, e) }); ok {
		id := s.entID(t, out.CreditCode)
		e := s.apiEnterprise(t, "admin", id)
		path := fmt.Sprintf("/api/v1/enterprises/%d", id)
		for _, c := range []struct {
			method, path string
			b            *body
		}{
			{"GET", path, nil},
			{"PUT", path, jsonBody(inputOf(e))},
			{"POST", path + "/reveal", nil},
			{"GET", fmt.Sprintf("/enterprises/%d", id), nil},
			{"GET", fmt.Sprintf("/enterprises/%d/edit", id), nil},
			{"POST", fmt.Sprintf("/enterprises/%d", id), formBody(formOf(inputOf(e)))},
			{"POST", fmt.Sprintf("/enterprises/%d/reveal", id), nil},
		} {
			res := s.as(t, u.Username, c.method, c.path, c.b)
			if res.code != http.StatusNotFound {
				t.Errorf("%s %s (out of scope): %d, want 404", c.method, c.path, res.code)
				continue
			}
			if strings.HasPrefix(c.path, "/api/") {
				if code := res.errorCode(t); code != "not_found" {
					t.Errorf("%s %s: error code %q, want not_found", c.method, c.path, code)
				}
			}
		}
		if after := s.apiEnterprise(t, "admin", id); after.Version != e.Version {
			t.Errorf("enterprise out of scope changed: version %d → %d", e.Version, after.Version)
		}
	}
}

// probe is one request of the route sweep and the status it should get.
type probe struct {
	path string
	b    *body
	want int
}

// checkRoutes calls every route of the table as every showcase account
// and checks the status against the permission table.
func checkRoutes(t *testing.T, s *site) {
	showEnt := demoAccount("enterprise").EnterpriseCode
	peer := gridUsers(showCommunity)[0] // a grid worker of the showcase community, not a showcase account
	peerID := s.userID(t, peer.Username)

	// An API token of the administrator, to revoke.
	res := s.as(t, "admin", "POST", "/api/v1/tokens", jsonBody(map[string]string{"name": "matrix"}))
	if res.code != http.StatusCreated {
		t.Fatalf("create token: %d %s", res.code, res.body)
	}
	var tok tokenJSON
	res.json(t, &tok)

	// An import error report of the grid worker, to download.
	var book bytes.Buffer
	bad := newInput(showGrid)
	bad.Phone = "12345"
	if err := sheet.WriteEnterprises(&book, []enterprise.Enterprise{bad.enterprise()}); err != nil {
		t.Fatal(err)
	}
	res = s.as(t, "grid", "POST", "/api/v1/enterprises/import", multipartBody(book.Bytes(), nil))
	var imp importResult
	res.json(t, &imp)
	if res.code != http.StatusOK || imp.ReportURL == "" {
		t.Fatalf("import with a bad row: %d %s", res.code, res.body)
	}

	// target is the enterprise a role's record routes are called on: one
	// it reads, or else the showcase enterprise.
	target := func(sc scope) (enterprise.Enterprise, int64) {
		e, ok := pick(func(e enterprise.Enterprise) bool { return sc.allows(access.EnterpriseRead, e) })
		if !ok {
			e = byCode[showEnt]
		}
		return e, s.entID(t, e.CreditCode)
	}
	// createGrid is a grid the role may register enterprises in, or the
	// showcase grid.
	createGrid := func(sc scope) string {
		for _, g := range grids() {
			if sc.allows(access.EnterpriseCreate, placed(g)) {
				return g
			}
		}
		return showGrid
	}
	change := func(id int64) enterpriseInput {
		in := inputOf(s.apiEnterprise(t, "admin", id))
		in.Employees++
		return in
	}
	peerVersion := func() int64 {
		res := s.as(t, "admin", "GET", fmt.Sprintf("/api/v1/users/%d", peerID), nil)
		var u userJSON
		res.json(t, &u)
		return u.Version
	}
	peerForm := url.Values{"name": {peer.Name}, "phone": {peer.Phone}, "role": {string(peer.Role)}, "region_code": {peer.RegionCode}}
	peerPath := fmt.Sprintf("/users/%d", peerID)
	gridWorker := map[string]int64{"user_id": s.userID(t, "grid")}
	garbage := multipartBody([]byte("not a workbook"), nil)
	newUser := func() url.Values {
		name := fmt.Sprintf("matrix_%d", codeSeq.Add(1))
		return url.Values{"username": {name}, "name": {"测试用户"}, "role": {"lawyer"}, "password": {demo.Password}}
	}
	newUserJSON := func() *body {
		v := newUser()
		return jsonBody(userInput{Username: v.Get("username"), Name: v.Get("name"), Role: access.RoleLawyer, Password: demo.Password})
	}

	// An appeal of the showcase enterprise, accepted by its community: the
	// appeal routes are called on it. A progress note is a step the
	// community and the leaders over it take; others who see the appeal are
	// refused it, and the rest do not see the appeal at all.
	showE := byCode[showEnt]
	ap := s.raise(t, "访问矩阵")
	if res := s.act(t, "community", ap.ID, appeal.Accept, appealweb.ActionInput{}); res.code != http.StatusOK {
		t.Fatalf("accept: %d %s", res.code, res.body)
	}
	appealPath := fmt.Sprintf("/appeals/%d", ap.ID)
	file := s.attachFile(t, "enterprise", ap.ID)
	attachWant := func(u demo.User, sc scope, ok int) int {
		switch {
		case !sc.allows(access.AppealRead, showE):
			return http.StatusNotFound
		case slices.Contains([]access.Role{access.RoleGridWorker, access.RoleCommunityStaff, access.RoleEnterprise}, u.Role):
			return ok
		}
		return http.StatusForbidden // a leader oversees, and adds no files
	}
	seesWant := func(sc scope) int {
		if sc.allows(access.AppealRead, showE) {
			return http.StatusOK
		}
		return http.StatusNotFound
	}
	noteWant := func(u demo.User, sc scope, ok int) int {
		switch {
		case !sc.allows(access.AppealRead, showE):
			return http.StatusNotFound
		case slices.Contains([]access.Role{access.RoleGridWorker, access.RoleCommunityStaff, access.RoleStreetLeader,
			access.RoleDistrictLeader, access.RoleCityLeader}, u.Role):
			return ok
		}
		return http.StatusForbidden
	}
	version := func() string { return fmt.Sprint(s.appealView(t, "admin", ap.ID).Version) }
	createWant := func(u demo.User, sc scope, ok int) int {
		switch {
		case sc.allows(access.AppealCreate, showE):
			return ok
		case access.May(u.Role, access.AppealCreate):
			return http.StatusUnprocessableEntity // no such enterprise, as far as the caller may know
		}
		return http.StatusForbidden
	}
	raiseForm := func() url.Values {
		in := appealInput("矩阵")
		return url.Values{"type": {string(in.Type)}, "category": {in.Category}, "title": {in.Title}, "content": {in.Content},
			"urgency": {"normal"}, "credit_code": {in.CreditCode}, "contact": {in.Contact}, "phone": {in.Phone}, "channel": {"visit"}}
	}

	// lastWebhook is the newest group robot, which the administrator's
	// probe of a removal takes away (the administrator is probed first).
	lastWebhook := func() int64 {
		hooks, err := s.st.Webhooks(context.Background(), access.System("test"))
		if err != nil || len(hooks) == 0 {
			return 999999
		}
		return hooks[len(hooks)-1].ID
	}

	// A form and a campaign of the showcase community sent to the showcase
	// grid: the probes of forms, campaigns and filling that change nothing
	// are called on them; those that change a campaign or answer it send a
	// fresh one each (surveys_matrix_test.go).
	sv := newSurveyMatrix(t, s)
	formPage, formAPI := sv.formPath(""), sv.formPath("/api/v1")
	readPage, readAPI := campaignPath("", sv.campaignID), campaignPath("/api/v1", sv.campaignID)
	leaving := members()[0] // a member taken off a fresh campaign's list

	// A visit of the grid worker to the showcase enterprise with a common
	// problem sent up to its street: the visit and common-problem probes
	// that change nothing are called on them; a confirmation and an answer
	// are given to a fresh visit and common problem each, which the
	// administrator records. Those who may record a visit record one to an
	// enterprise in their reach.
	showID := s.entID(t, showEnt)
	vis, topicID := s.topicVisit(t, "grid", showID)
	visitPath, topicPath := fmt.Sprintf("/visits/%d", vis.ID), fmt.Sprintf("/topics/%d", topicID)
	photoPath := fmt.Sprintf("%s/photos/%d", visitPath, s.visitPhoto(t, "grid", vis.ID))
	freshVisit := func() visit.Visit { return s.recordVisit(t, "admin", visitOf(showID, s.visitTeam(t, "admin"))) }
	freshTopic := func() (int64, int64) {
		_, id := s.topicVisit(t, "admin", showID)
		return id, s.topic(t, "admin", id).Version
	}
	matrixTeam := []visit.Visitor{{Name: "矩阵走访员", Unit: "区营商办"}}
	recordTarget := func(sc scope) int64 {
		e, ok := pick(func(e enterprise.Enterprise) bool { return sc.allows(access.VisitRecord, e) })
		if !ok {
			e = showE
		}
		return s.entID(t, e.CreditCode)
	}
	// A visit of the showcase enterprise, and a common problem sent up
	// from it, are found by those who read the enterprise's visits.
	visitWant := func(sc scope, ok int) int {
		if sc.allows(access.VisitRead, showE) {
			return ok
		}
		return http.StatusNotFound
	}
	// The form of a visit to the showcase enterprise is for those who may
	// record a visit to it; others who record visits do not find it.
	prefillWant := func(u demo.User, sc scope, ok int) int {
		if !sc.allows(access.VisitRecord, showE) {
			ok = http.StatusNotFound
		}
		return may(u, access.VisitRecord, ok)
	}
	// The enterprise confirms a visit to it; others who see the visit are
	// refused.
	// The showcase enterprise has an account: it answers for its visits
	// itself; the community records answers by phone only for enterprises
	// without one (visitdb's TestConfirm).
	confirmWant := func(sc scope, ok int) int {
		if !sc.allows(access.VisitConfirm, showE) || sc.user.Role != access.RoleEnterprise {
			ok = http.StatusForbidden
		}
		return visitWant(sc, ok)
	}
	// A common problem sent to the showcase street is answered by the
	// leaders of the street and above; others who see it are refused.
	showStreetPlace := enterprise.Enterprise{StreetCode: showE.StreetCode, DistrictCode: showE.DistrictCode, CityCode: showE.CityCode}
	answerWant := func(u demo.User, sc scope, ok int) int {
		if !sc.allows(access.TopicAnswer, showStreetPlace) {
			ok = http.StatusForbidden
		}
		return may(u, access.VisitRead, visitWant(sc, ok))
	}
	// Only the leaders of the street a common problem was sent to (and
	// administrators) send it up to the district.
	const escalation = "涉及全区公交线网调整，街道无法单独协调"
	escalateWant := func(u demo.User, sc scope, ok int) int {
		if u.Role != access.RoleAdmin && u.RegionCode != showE.StreetCode {
			ok = http.StatusForbidden
		}
		return answerWant(u, sc, ok)
	}
	const answer = "已协调公交公司自下月起恢复园区夜班线路。"

	// A service day of the showcase community, with the departments it
	// invites: problems are registered for it by the showcase enterprise;
	// an answer or a raise is given to a fresh problem each.
	day := s.serviceDay(t)
	dayPath := fmt.Sprintf("/service-days/%d", day.ID)
	freshDayProblem := func() visit.DayProblem { return s.dayProblem(t, day.ID) }
	// A day is seen by those who read visits in its region, above or under
	// it, by its enterprises, and by the cadres of its enterprises.
	seesDay := func(sc scope) bool {
		switch access.ReachOf(sc.user.Role, access.VisitRead) {
		case access.All:
			return true
		case access.Region:
			return sc.region != "" && (ancestors(showCommunity)[sc.region] || ancestors(sc.region)[showCommunity])
		case access.Own:
			return byCode[sc.user.EnterpriseCode].CommunityCode == showCommunity
		case access.Assigned:
			for code := range sc.assigned {
				if byCode[code].CommunityCode == showCommunity {
					return true
				}
			}
		}
		return false
	}
	dayWant := func(u demo.User, sc scope, ok int) int {
		if !seesDay(sc) {
			ok = http.StatusNotFound
		}
		return may(u, access.VisitRead, ok)
	}
	// A problem of the showcase enterprise is registered by the enterprise,
	// or by those who may record a visit to it.
	registerWant := func(u demo.User, sc scope, ok int) int {
		switch {
		case u.Role == access.RoleEnterprise:
		case !access.May(u.Role, access.VisitRecord):
			ok = http.StatusForbidden
		case !sc.allows(access.VisitRecord, showE):
			ok = http.StatusNotFound
		}
		return dayWant(u, sc, ok)
	}
	// The day is run by those who run service days in its community.
	dayRunWant := func(u demo.User, sc scope, ok int) int {
		if !sc.allows(access.ServiceDayRun, placed(showGrid)) {
			ok = http.StatusForbidden
		}
		return dayWant(u, sc, ok)
	}
	// Raising a day's problem as an appeal takes a role that raises appeals too.
	dayRaiseWant := func(u demo.User, sc scope, ok int) int {
		if !access.May(u.Role, access.AppealCreate) {
			ok = http.StatusForbidden
		}
		return dayRunWant(u, sc, ok)
	}
	dayForm := func() url.Values {
		d := dayOf(s)
		return url.Values{"region_code": {d.RegionCode}, "title": {d.Title}, "on": {d.On}, "place": {d.Place}, "departments": d.Departments}
	}
	reportOf := func(sc scope) map[string]any {
		return map[string]any{"enterprise_id": recordTarget(sc), "title": commonProblem().TopicTitle, "text": "问卷反映园区夜班员工通勤难",
			"category": "logistics", "ref": "campaign:1"}
	}

	// The employee turnover pool: a loan on site every probe that changes
	// nothing reads, records of their own for the others (pool_matrix_test.go).
	pm := newPoolMatrix(t, s)
	// Precise push: a published policy with its benefits, claims, notice,
	// resource and request every probe that changes nothing reads, records
	// of their own for the others (policy_matrix_test.go).
	ppm := newPolicyMatrix(t, s)
	// Checklists, resumption and status reports: a monitoring and a
	// checklist campaign of the showcase street with the showcase
	// enterprise's report, block, flag, application and findings, records
	// of their own for the probes that change them (resumption_matrix_test.go).
	rm := newResumptionMatrix(t, s)

	cases := map[string]func(u demo.User, sc scope) probe{
		"GET /appeals": func(u demo.User, _ scope) probe { return probe{"/appeals", nil, may(u, access.AppealRead, 200)} },
		"GET /appeals/new": func(u demo.User, _ scope) probe {
			return probe{"/appeals/new", nil, may(u, access.AppealCreate, 200)}
		},
		"POST /appeals": func(u demo.User, sc scope) probe {
			return probe{"/appeals", formBody(raiseForm()), createWant(u, sc, 303)}
		},
		"GET /appeals/{id}": func(_ demo.User, sc scope) probe { return probe{appealPath, nil, seesWant(sc)} },
		"POST /appeals/{id}/actions/{action}": func(u demo.User, sc scope) probe {
			return probe{appealPath + "/actions/note", formBody(url.Values{"version": {version()}, "note": {"矩阵备注"}}), noteWant(u, sc, 303)}
		},
		"POST /appeals/{id}/attachments": func(u demo.User, sc scope) probe {
			return probe{appealPath + "/attachments", fileBody("现场照片.png", pngBytes), attachWant(u, sc, 303)}
		},
		"GET /attachments/{id}": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/attachments/%d", file.ID), nil, seesWant(sc)}
		},
		"POST /api/v1/appeals/{id}/attachments": func(u demo.User, sc scope) probe {
			return probe{"/api/v1" + appealPath + "/attachments", fileBody("现场照片.png", pngBytes), attachWant(u, sc, 201)}
		},
		"GET /api/v1/attachments/{id}": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/api/v1/attachments/%d", file.ID), nil, seesWant(sc)}
		},
		"GET /inbox":       func(demo.User, scope) probe { return probe{"/inbox", nil, 200} },
		"POST /inbox/read": func(demo.User, scope) probe { return probe{"/inbox/read", nil, 303} },
		"GET /overview":    func(u demo.User, _ scope) probe { return probe{"/overview", nil, may(u, access.AppealAssess, 200)} },
		"GET /assessment":  func(u demo.User, _ scope) probe { return probe{"/assessment", nil, may(u, access.AppealAssess, 200)} },
		"GET /assessment/export.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/assessment/export.xlsx", nil, may(u, access.AppealAssess, 200)}
		},
		"GET /calendar": func(u demo.User, _ scope) probe { return probe{"/calendar", nil, may(u, access.AppealConfigure, 200)} },
		"POST /calendar/days": func(u demo.User, _ scope) probe {
			return probe{"/calendar/days", formBody(url.Values{"date": {"2027-01-01"}, "kind": {"holiday"}, "name": {"元旦"}}),
				may(u, access.AppealConfigure, 303)}
		},
		"POST /calendar/days/{date}/delete": func(u demo.User, _ scope) probe {
			return probe{"/calendar/days/2027-01-01/delete", nil, may(u, access.AppealConfigure, 303)} // the administrator comes first
		},
		"GET /appeals/export.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/appeals/export.xlsx?queue=all", nil, may(u, access.AppealRead, 200)}
		},
		"GET /settings": func(u demo.User, _ scope) probe { return probe{"/settings", nil, may(u, access.AppealConfigure, 200)} },
		"POST /settings/categories": func(u demo.User, _ scope) probe {
			return probe{"/settings/categories", formBody(url.Values{"code": {"labour.training"}, "parent": {"labour"}, "name": {"岗前培训"},
				"departments": {"hrss"}}), may(u, access.AppealConfigure, 303)}
		},
		"POST /settings/limits": func(u demo.User, _ scope) probe {
			return probe{"/settings/limits", formBody(url.Values{"category": {"labour"}, "step": {"accept"}, "n": {"2"}, "unit": {"hours"}}),
				may(u, access.AppealConfigure, 303)}
		},
		"POST /settings/supervisor": func(u demo.User, _ scope) probe {
			return probe{"/settings/supervisor", formBody(url.Values{"complaint_supervisor": {"0"}}), may(u, access.AppealConfigure, 303)}
		},
		"POST /settings/redo": func(u demo.User, _ scope) probe {
			return probe{"/settings/redo", formBody(url.Values{"max_redo": {"1"}}), may(u, access.AppealConfigure, 303)}
		},
		"GET /api/v1/appeal-settings": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/appeal-settings", nil, may(u, access.AppealConfigure, 200)}
		},
		"PUT /api/v1/appeal-settings": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/appeal-settings", jsonBody(map[string]int{"max_redo": 1}), may(u, access.AppealConfigure, 200)}
		},
		"POST /settings/webhooks": func(u demo.User, _ scope) probe {
			return probe{"/settings/webhooks", formBody(url.Values{"scope_kind": {"region"}, "scope": {showGrid[:12]}, "format": {"wecom"},
				"url": {"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix"}}), may(u, access.AppealConfigure, 303)}
		},
		"POST /settings/webhooks/{id}/delete": func(u demo.User, _ scope) probe {
			return probe{fmt.Sprintf("/settings/webhooks/%d/delete", lastWebhook()), nil, may(u, access.AppealConfigure, 303)}
		},
		"PUT /api/v1/appeal-categories/{code}": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/appeal-categories/labour.fair", jsonBody(map[string]any{"parent": "labour", "name": "招聘会"}),
				may(u, access.AppealConfigure, 200)}
		},
		"GET /api/v1/appeal-limits": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/appeal-limits", nil, may(u, access.AppealConfigure, 200)}
		},
		"PUT /api/v1/appeal-limits": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/appeal-limits", jsonBody(map[string]any{"category": "labour", "step": "accept", "n": 0}),
				may(u, access.AppealConfigure, 200)}
		},
		"GET /api/v1/webhooks": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/webhooks", nil, may(u, access.AppealConfigure, 200)}
		},
		"POST /api/v1/webhooks": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/webhooks", jsonBody(map[string]any{"scope_kind": "region", "scope": showGrid[:12], "format": "dingtalk",
				"url": "https://oapi.dingtalk.com/robot/send?access_token=matrix"}), may(u, access.AppealConfigure, 201)}
		},
		"DELETE /api/v1/webhooks/{id}": func(u demo.User, _ scope) probe {
			return probe{fmt.Sprintf("/api/v1/webhooks/%d", lastWebhook()), nil, may(u, access.AppealConfigure, 204)}
		},
		"GET /api/v1/appeals": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/appeals", nil, may(u, access.AppealRead, 200)}
		},
		"POST /api/v1/appeals": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/appeals", jsonBody(appealInput("矩阵")), createWant(u, sc, 201)}
		},
		"GET /api/v1/appeals/{id}": func(_ demo.User, sc scope) probe { return probe{"/api/v1" + appealPath, nil, seesWant(sc)} },
		"POST /api/v1/appeals/{id}/actions/{action}": func(u demo.User, sc scope) probe {
			v := s.appealView(t, "admin", ap.ID).Version
			return probe{"/api/v1" + appealPath + "/actions/note", jsonBody(appealweb.ActionInput{Version: v, Note: "矩阵备注"}), noteWant(u, sc, 200)}
		},
		"GET /api/v1/appeal-categories": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/appeal-categories", nil, may(u, access.AppealRead, 200)}
		},
		"GET /api/v1/inbox": func(demo.User, scope) probe { return probe{"/api/v1/inbox", nil, 200} },
		"POST /api/v1/inbox/read": func(demo.User, scope) probe {
			return probe{"/api/v1/inbox/read", jsonBody(map[string]int{}), 204}
		},
		"GET /api/v1/assessment": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/assessment", nil, may(u, access.AppealAssess, 200)}
		},
		"GET /api/v1/overview": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/overview", nil, may(u, access.AppealAssess, 200)}
		},
		"GET /api/v1/calendar": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/calendar", nil, may(u, access.AppealConfigure, 200)}
		},
		"PUT /api/v1/calendar/days/{date}": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/calendar/days/2027-01-02", jsonBody(map[string]string{"kind": "holiday", "name": "元旦"}),
				may(u, access.AppealConfigure, 200)}
		},
		"DELETE /api/v1/calendar/days/{date}": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/calendar/days/2027-01-02", nil, may(u, access.AppealConfigure, 204)}
		},

		"GET /healthz": func(demo.User, scope) probe { return probe{"/healthz", nil, 200} },
		"GET /readyz":  func(demo.User, scope) probe { return probe{"/readyz", nil, 200} },
		"GET /metrics": func(demo.User, scope) probe { return probe{"/metrics", nil, 200} },
		"GET /login":   func(demo.User, scope) probe { return probe{"/login", nil, 200} },
		"POST /login": func(demo.User, scope) probe {
			return probe{"/login", formBody(url.Values{"username": {"nobody"}, "password": {"x"}}), 401}
		},
		"POST /logout": func(demo.User, scope) probe { return probe{"/logout", nil, 303} },
		"POST /lang": func(demo.User, scope) probe {
			return probe{"/lang", formBody(url.Values{"lang": {"zh"}, "back": {"/"}}), 303}
		},
		"GET /{$}":         func(demo.User, scope) probe { return probe{"/", nil, 200} },
		"GET /enterprises": func(demo.User, scope) probe { return probe{"/enterprises", nil, 200} },
		"GET /enterprises/new": func(u demo.User, _ scope) probe {
			return probe{"/enterprises/new", nil, may(u, access.EnterpriseCreate, 200)}
		},
		"POST /enterprises": func(u demo.User, sc scope) probe {
			return probe{"/enterprises", formBody(formOf(newInput(createGrid(sc)))), may(u, access.EnterpriseCreate, 303)}
		},
		"GET /enterprises/{id}": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/enterprises/%d", id), nil, sc.want(access.EnterpriseRead, e, 200)}
		},
		"GET /enterprises/{id}/edit": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/enterprises/%d/edit", id), nil, sc.want(access.EnterpriseUpdate, e, 200)}
		},
		"POST /enterprises/{id}": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/enterprises/%d", id), formBody(formOf(change(id))), sc.want(access.EnterpriseUpdate, e, 303)}
		},
		"POST /enterprises/{id}/reveal": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/enterprises/%d/reveal", id), nil, sc.want(access.PersonalView, e, 200)}
		},
		"POST /enterprises/{id}/facts": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/enterprises/%d/facts", id), formBody(url.Values{"kind": {"employees"}, "period": {"2026-01-31"},
				"value": {"42"}}), sc.want(access.FactRecord, e, 303)}
		},
		"GET /enterprises/{id}/qr.png": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/enterprises/%d/qr.png", id), nil, sc.want(access.EnterpriseRead, e, 200)}
		},
		"GET /e/{credit}": func(_ demo.User, sc scope) probe {
			e, _ := target(sc)
			return probe{"/e/" + e.CreditCode, nil, sc.want(access.EnterpriseRead, e, 200)}
		},
		"GET /todo":         func(demo.User, scope) probe { return probe{"/todo", nil, 200} },
		"GET /api/v1/todos": func(demo.User, scope) probe { return probe{"/api/v1/todos", nil, 200} },
		"GET /api/v1/enterprises/{id}/facts": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/api/v1/enterprises/%d/facts", id), nil, sc.want(access.EnterpriseRead, e, 200)}
		},
		"POST /api/v1/enterprises/{id}/facts": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/api/v1/enterprises/%d/facts", id), jsonBody(factInput{Kind: "tax_paid", Period: "2025", Num: 120000}),
				sc.want(access.FactRecord, e, 201)}
		},
		"GET /api/v1/enterprises/{id}/timeline": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/api/v1/enterprises/%d/timeline", id), nil, sc.want(access.EnterpriseRead, e, 200)}
		},
		"GET /api/v1/enterprises/{id}/people": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/api/v1/enterprises/%d/people", id), nil, sc.want(access.EnterpriseRead, e, 200)}
		},
		"GET /enterprises/export.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/enterprises/export.xlsx", nil, may(u, access.EnterpriseExport, 200)}
		},
		"POST /departments/{id}/offices": func(u demo.User, _ scope) probe {
			return probe{fmt.Sprintf("/departments/%d/offices", s.deptIDs(t)["tax"]), formBody(url.Values{"code": {fmt.Sprintf("m%d", codeSeq.Add(1))},
				"name": {"矩阵分局"}}), may(u, access.DepartmentManage, 303)}
		},
		"POST /api/v1/departments/{id}/offices": func(u demo.User, _ scope) probe {
			return probe{fmt.Sprintf("/api/v1/departments/%d/offices", s.deptIDs(t)["tax"]), jsonBody(officeInput{Code: fmt.Sprintf("m%d", codeSeq.Add(1)),
				Name: "矩阵分局"}), may(u, access.DepartmentManage, 201)}
		},
		"GET /cadres": func(u demo.User, _ scope) probe { return probe{"/cadres", nil, may(u, access.CadreRead, 200)} },
		"POST /cadres/projects": func(u demo.User, _ scope) probe {
			return probe{"/cadres/projects", formBody(url.Values{"credit_code": {showEnt}, "name": {"矩阵技改项目"}, "stage": {"planned"},
				"investment": {"100"}, "cadre_id": {"0"}}), may(u, access.CadreManage, 303)}
		},
		"GET /api/v1/key-projects": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/key-projects", nil, may(u, access.CadreRead, 200)}
		},
		"POST /api/v1/key-projects": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/key-projects", jsonBody(map[string]any{"credit_code": showEnt, "name": "矩阵技改项目", "stage": "building",
				"investment": 1_000_000}), may(u, access.CadreManage, 201)}
		},
		"PUT /api/v1/key-projects/{id}": func(u demo.User, _ scope) probe {
			id, version, credit := firstProject(t, s)
			return probe{fmt.Sprintf("/api/v1/key-projects/%d", id), jsonBody(map[string]any{"credit_code": credit, "name": "矩阵技改项目",
				"stage": "producing", "investment": 2_000_000, "version": version}), may(u, access.CadreManage, 200)}
		},
		"POST /cadres/{id}/replace": func(u demo.User, _ scope) probe {
			from, to := cadreSwap(t, s)
			return probe{fmt.Sprintf("/cadres/%d/replace", from), formBody(url.Values{"successor_id": {fmt.Sprint(to)}, "reason": {"矩阵交接"}}),
				may(u, access.CadreManage, 303)}
		},
		"POST /api/v1/cadres/{id}/replace": func(u demo.User, _ scope) probe {
			from, to := cadreSwap(t, s)
			return probe{fmt.Sprintf("/api/v1/cadres/%d/replace", from), jsonBody(map[string]any{"successor_id": to, "reason": "矩阵交接"}),
				may(u, access.CadreManage, 200)}
		},
		"GET /api/v1/cadres": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/cadres", nil, may(u, access.CadreRead, 200)}
		},
		"POST /cadres/{id}/term": func(u demo.User, _ scope) probe {
			from, _ := cadreSwap(t, s)
			return probe{fmt.Sprintf("/cadres/%d/term", from), formBody(url.Values{"term_until": {"2027-06-30"}}), may(u, access.CadreManage, 303)}
		},
		"PUT /api/v1/cadres/{id}/term": func(u demo.User, _ scope) probe {
			from, _ := cadreSwap(t, s)
			return probe{fmt.Sprintf("/api/v1/cadres/%d/term", from), jsonBody(map[string]string{"term_until": "2027-06-30"}),
				may(u, access.CadreManage, 204)}
		},
		"GET /facts/import": func(u demo.User, _ scope) probe {
			return probe{"/facts/import", nil, may(u, access.FactRecord, 200)}
		},
		"GET /facts/template.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/facts/template.xlsx", nil, may(u, access.FactRecord, 200)}
		},
		"POST /facts/import": func(u demo.User, sc scope) probe {
			e, _ := target(sc)
			return probe{"/facts/import", multipartBody(factsWorkbook(t, e.CreditCode), nil), may(u, access.FactRecord, 200)}
		},
		"POST /api/v1/facts/import": func(u demo.User, sc scope) probe {
			e, _ := target(sc)
			return probe{"/api/v1/facts/import", multipartBody(factsWorkbook(t, e.CreditCode), nil), may(u, access.FactRecord, 200)}
		},
		"GET /enterprises/template.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/enterprises/template.xlsx", nil, may(u, access.EnterpriseImport, 200)}
		},
		"GET /enterprises/import": func(u demo.User, _ scope) probe {
			return probe{"/enterprises/import", nil, may(u, access.EnterpriseImport, 200)}
		},
		"POST /enterprises/import": func(u demo.User, _ scope) probe {
			return probe{"/enterprises/import", garbage, may(u, access.EnterpriseImport, 422)}
		},
		"GET /imports/{id}/problems.xlsx": func(u demo.User, _ scope) probe {
			want := 404
			if u.Username == "grid" {
				want = 200
			}
			return probe{imp.ReportURL, nil, want}
		},
		"GET /places": func(u demo.User, _ scope) probe { return probe{"/places", nil, may(u, access.RegionRead, 200)} },
		"POST /places/{code}/worker": func(u demo.User, _ scope) probe {
			return probe{"/places/" + showGrid + "/worker", formBody(url.Values{"user_id": {fmt.Sprint(gridWorker["user_id"])}}),
				may(u, access.RegionManage, 303)}
		},
		"GET /departments": func(u demo.User, _ scope) probe {
			return probe{"/departments", nil, may(u, access.DepartmentRead, 200)}
		},
		"GET /users":     func(u demo.User, _ scope) probe { return probe{"/users", nil, may(u, access.UserRead, 200)} },
		"GET /users/new": func(u demo.User, _ scope) probe { return probe{"/users/new", nil, may(u, access.UserManage, 200)} },
		"POST /users": func(u demo.User, _ scope) probe {
			return probe{"/users", formBody(newUser()), may(u, access.UserManage, 303)}
		},
		"GET /users/{id}": func(_ demo.User, sc scope) probe {
			want := 404
			if sc.sees(peer) {
				want = 200
			}
			return probe{peerPath, nil, want}
		},
		"POST /users/{id}": func(u demo.User, _ scope) probe {
			f := url.Values{"version": {fmt.Sprint(peerVersion())}}
			for k, v := range peerForm {
				f[k] = v
			}
			return probe{peerPath, formBody(f), may(u, access.UserManage, 303)}
		},
		"POST /users/{id}/password": func(u demo.User, _ scope) probe {
			return probe{peerPath + "/password", formBody(url.Values{"password": {"Lantern-Harbour-73"}}), may(u, access.UserManage, 303)}
		},
		"POST /users/{id}/disable": func(u demo.User, _ scope) probe {
			return probe{peerPath + "/disable", nil, may(u, access.UserManage, 303)}
		},
		"POST /users/password-profile": func(u demo.User, _ scope) probe {
			return probe{"/users/password-profile", formBody(url.Values{"profile": {"asvs"}}), may(u, access.UserManage, 303)}
		},
		// The peer is no connected system: its tokens are no administrator's to make (404).
		"POST /users/{id}/tokens": func(u demo.User, _ scope) probe {
			return probe{peerPath + "/tokens", formBody(url.Values{"name": {"x"}}), notService(u)}
		},
		"POST /users/{id}/tokens/{token}/revoke": func(u demo.User, _ scope) probe {
			return probe{peerPath + "/tokens/1/revoke", nil, notService(u)}
		},
		"POST /users/{id}/enable": func(u demo.User, _ scope) probe {
			return probe{peerPath + "/enable", nil, may(u, access.UserManage, 303)}
		},
		"GET /audit": func(u demo.User, _ scope) probe { return probe{"/audit", nil, may(u, access.AuditRead, 200)} },
		"GET /audit/export.csv": func(u demo.User, _ scope) probe {
			return probe{"/audit/export.csv", nil, may(u, access.AuditRead, 200)}
		},
		"GET /account": func(demo.User, scope) probe { return probe{"/account", nil, 200} },
		// No demo account has an authenticator: nothing to give, one to set up.
		"GET /login/code": func(demo.User, scope) probe { return probe{"/login/code", nil, 303} },
		"POST /login/code": func(demo.User, scope) probe {
			return probe{"/login/code", formBody(url.Values{"code": {"123456"}}), 409}
		},
		"GET /account/second-factor": func(demo.User, scope) probe { return probe{"/account/second-factor", nil, 200} },
		"POST /account/second-factor": func(demo.User, scope) probe {
			return probe{"/account/second-factor", formBody(url.Values{"secret": {"JBSWY3DPEHPK3PXP"}, "code": {"000000"}}), 422}
		},
		"POST /api/v1/login/code": func(demo.User, scope) probe {
			return probe{"/api/v1/login/code", jsonBody(codeInput{Code: "123456"}), 409}
		},
		"POST /api/v1/users/{id}/second-factor/reset": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + peerPath + "/second-factor/reset", nil, may(u, access.UserManage, 204)}
		},
		"POST /account/password": func(demo.User, scope) probe {
			return probe{"/account/password", formBody(url.Values{"current": {"wrong"}, "password": {"Qifu@2027x"}}), 422}
		},
		"POST /account/tokens": func(demo.User, scope) probe {
			return probe{"/account/tokens", formBody(url.Values{"name": {"matrix"}}), 200}
		},
		"POST /account/tokens/{id}/revoke": func(u demo.User, _ scope) probe {
			want := 404
			if u.Username == "admin" {
				want = 303
			}
			return probe{fmt.Sprintf("/account/tokens/%d/revoke", tok.ID), nil, want}
		},

		"GET /api/v1/openapi.json": func(demo.User, scope) probe { return probe{"/api/v1/openapi.json", nil, 200} },
		"POST /api/v1/login": func(demo.User, scope) probe {
			return probe{"/api/v1/login", jsonBody(map[string]string{"username": "nobody", "password": "x"}), 401}
		},
		"GET /api/v1/me":          func(demo.User, scope) probe { return probe{"/api/v1/me", nil, 200} },
		"GET /api/v1/enterprises": func(demo.User, scope) probe { return probe{"/api/v1/enterprises", nil, 200} },
		"POST /api/v1/enterprises": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/enterprises", jsonBody(newInput(createGrid(sc))), may(u, access.EnterpriseCreate, 201)}
		},
		"GET /api/v1/enterprises/{id}": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/api/v1/enterprises/%d", id), nil, sc.want(access.EnterpriseRead, e, 200)}
		},
		"PUT /api/v1/enterprises/{id}": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/api/v1/enterprises/%d", id), jsonBody(change(id)), sc.want(access.EnterpriseUpdate, e, 200)}
		},
		"POST /api/v1/enterprises/{id}/reveal": func(_ demo.User, sc scope) probe {
			e, id := target(sc)
			return probe{fmt.Sprintf("/api/v1/enterprises/%d/reveal", id), nil, sc.want(access.PersonalView, e, 200)}
		},
		"GET /api/v1/enterprises/export": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/enterprises/export", nil, may(u, access.EnterpriseExport, 200)}
		},
		"POST /api/v1/enterprises/import": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/enterprises/import", garbage, may(u, access.EnterpriseImport, 422)}
		},
		"GET /api/v1/regions": func(u demo.User, _ scope) probe { return probe{"/api/v1/regions", nil, may(u, access.RegionRead, 200)} },
		"GET /api/v1/grids":   func(u demo.User, _ scope) probe { return probe{"/api/v1/grids", nil, may(u, access.RegionRead, 200)} },
		"PUT /api/v1/grids/{code}/worker": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/grids/" + showGrid + "/worker", jsonBody(gridWorker), may(u, access.RegionManage, 200)}
		},
		"GET /api/v1/departments": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/departments", nil, may(u, access.DepartmentRead, 200)}
		},
		"GET /api/v1/users": func(u demo.User, _ scope) probe { return probe{"/api/v1/users", nil, may(u, access.UserRead, 200)} },
		"POST /api/v1/users": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/users", newUserJSON(), may(u, access.UserManage, 201)}
		},
		"GET /api/v1/users/{id}": func(_ demo.User, sc scope) probe {
			want := 404
			if sc.sees(peer) {
				want = 200
			}
			return probe{"/api/v1" + peerPath, nil, want}
		},
		"PUT /api/v1/users/{id}": func(u demo.User, _ scope) probe {
			in := userInput{Name: peer.Name, Phone: peer.Phone, Role: peer.Role, RegionCode: peer.RegionCode, Version: peerVersion()}
			return probe{"/api/v1" + peerPath, jsonBody(in), may(u, access.UserManage, 200)}
		},
		"POST /api/v1/users/{id}/password": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + peerPath + "/password", jsonBody(map[string]string{"password": "Lantern-Harbour-74"}), may(u, access.UserManage, 204)}
		},
		"POST /api/v1/users/{id}/disable": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + peerPath + "/disable", nil, may(u, access.UserManage, 204)}
		},
		"GET /api/v1/password-profile": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/password-profile", nil, may(u, access.UserManage, 200)}
		},
		"PUT /api/v1/password-profile": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/password-profile", jsonBody(profileInput{Profile: "asvs"}), may(u, access.UserManage, 200)}
		},
		"GET /api/v1/users/{id}/tokens": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + peerPath + "/tokens", nil, notService(u)}
		},
		"POST /api/v1/users/{id}/tokens": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + peerPath + "/tokens", jsonBody(map[string]string{"name": "x"}), notService(u)}
		},
		"POST /api/v1/users/{id}/enable": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + peerPath + "/enable", nil, may(u, access.UserManage, 204)}
		},
		"GET /api/v1/audit": func(u demo.User, _ scope) probe { return probe{"/api/v1/audit", nil, may(u, access.AuditRead, 200)} },
		"GET /api/v1/audit/verify": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/audit/verify", nil, may(u, access.AuditRead, 200)}
		},
		"GET /api/v1/tokens": func(demo.User, scope) probe { return probe{"/api/v1/tokens", nil, 200} },
		"POST /api/v1/tokens": func(demo.User, scope) probe {
			return probe{"/api/v1/tokens", jsonBody(map[string]string{"name": "matrix"}), 201}
		},
		"DELETE /api/v1/tokens/{id}": func(u demo.User, _ scope) probe {
			want := 404
			if u.Username == "admin" {
				want = 204
			}
			return probe{fmt.Sprintf("/api/v1/tokens/%d", tok.ID), nil, want}
		},

		// Forms: sending them needs CampaignRun; a form is used by its owner,
		// an administrator, the regional senders of its region and above, and
		// a department's staff for their department's own.
		"GET /forms":     func(u demo.User, _ scope) probe { return probe{"/forms", nil, may(u, access.CampaignRun, 200)} },
		"GET /forms/new": func(u demo.User, _ scope) probe { return probe{"/forms/new", nil, may(u, access.CampaignRun, 200)} },
		"POST /forms/build": func(u demo.User, _ scope) probe {
			return probe{"/forms/build", buildStep(), may(u, access.CampaignRun, 200)}
		},
		"GET /forms/{id}": func(u demo.User, sc scope) probe {
			return probe{formPage, nil, may(u, access.CampaignRun, formWant(sc, 200))}
		},
		"GET /forms/{id}/send": func(u demo.User, sc scope) probe {
			return probe{formPage + "/send", nil, may(u, access.CampaignRun, formWant(sc, 200))}
		},
		"POST /forms/{id}/send": func(_ demo.User, sc scope) probe {
			return probe{formPage + "/send", sv.sendForm(), formWant(sc, 303)}
		},
		"GET /api/v1/forms": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/forms", nil, may(u, access.CampaignRun, 200)}
		},
		"POST /api/v1/forms": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/forms", jsonBody(surveyForm), may(u, access.CampaignRun, 201)}
		},
		"GET /api/v1/forms/{id}": func(_ demo.User, sc scope) probe { return probe{formAPI, nil, formWant(sc, 200)} },
		"PUT /api/v1/forms/{id}": func(u demo.User, sc scope) probe {
			return probe{formAPI, sv.saveForm(u), formWant(sc, 200)}
		},
		"POST /api/v1/forms/{id}/campaigns": func(_ demo.User, sc scope) probe {
			return probe{formAPI + "/campaigns", sv.sendJSON(), formWant(sc, 201)}
		},
		"POST /api/v1/audiences/preview": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/audiences/preview", jsonBody(map[string]any{"regions": []string{showGrid}}), may(u, access.CampaignRun, 200)}
		},

		// Campaigns: read by those with a member in their reach (a department:
		// its own), run by their sender and those over it.
		"GET /campaigns": func(u demo.User, _ scope) probe { return probe{"/campaigns", nil, may(u, access.CampaignRead, 200)} },
		"GET /campaigns/{id}": func(u demo.User, sc scope) probe {
			return probe{readPage, nil, may(u, access.CampaignRead, readWant(sc, 200))}
		},
		"GET /campaigns/{id}/results": func(u demo.User, sc scope) probe {
			return probe{readPage + "/results", nil, may(u, access.CampaignRead, readWant(sc, 200))}
		},
		"GET /api/v1/campaigns/{id}/results": func(_ demo.User, sc scope) probe {
			return probe{readAPI + "/results", nil, readWant(sc, 200)}
		},
		"GET /campaigns/{id}/export.xlsx": func(u demo.User, sc scope) probe {
			return probe{readPage + "/export.xlsx", nil, may(u, access.CampaignRead, readWant(sc, 200))}
		},
		"POST /campaigns/{id}/remind": func(_ demo.User, sc scope) probe {
			return probe{campaignPath("", sv.fresh()) + "/remind", nil, runWant(sc, 303)}
		},
		"POST /campaigns/{id}/close": func(_ demo.User, sc scope) probe {
			id := sv.fresh()
			return probe{campaignPath("", id) + "/close", formBody(url.Values{"version": {fmt.Sprint(sv.campaignVersion(id))}}), runWant(sc, 303)}
		},
		"POST /campaigns/{id}/members": func(_ demo.User, sc scope) probe {
			return probe{campaignPath("", sv.fresh()) + "/members", formBody(url.Values{"credit_code": {newcomer(sc).CreditCode}, "reason": {"新迁入辖区"}}),
				runWant(sc, 303)}
		},
		"POST /campaigns/{id}/members/{enterprise}/remove": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("%s/members/%d/remove", campaignPath("", sv.fresh()), s.entID(t, leaving.CreditCode)),
				formBody(url.Values{"reason": {"企业已注销"}}), runWant(sc, 303)}
		},
		// A role without the action is not refused at the door of a signed-in
		// route: the store lists what it may see (nothing) and does not find
		// a campaign it may not see.
		"GET /api/v1/campaigns":      func(demo.User, scope) probe { return probe{"/api/v1/campaigns", nil, 200} },
		"GET /api/v1/campaigns/{id}": func(_ demo.User, sc scope) probe { return probe{readAPI, nil, readWant(sc, 200)} },
		"GET /api/v1/campaigns/{id}/progress": func(_ demo.User, sc scope) probe {
			return probe{readAPI + "/progress", nil, readWant(sc, 200)}
		},
		"GET /api/v1/campaigns/{id}/members": func(_ demo.User, sc scope) probe {
			return probe{readAPI + "/members", nil, readWant(sc, 200)}
		},
		"GET /api/v1/campaigns/{id}/export": func(_ demo.User, sc scope) probe {
			return probe{readAPI + "/export", nil, readWant(sc, 200)}
		},
		"POST /api/v1/campaigns/{id}/members": func(_ demo.User, sc scope) probe {
			return probe{campaignPath("/api/v1", sv.fresh()) + "/members", jsonBody(map[string]string{"credit_code": newcomer(sc).CreditCode,
				"reason": "新迁入辖区"}), runWant(sc, 204)}
		},
		"POST /api/v1/campaigns/{id}/members/{enterprise}/remove": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("%s/members/%d/remove", campaignPath("/api/v1", sv.fresh()), s.entID(t, leaving.CreditCode)),
				jsonBody(map[string]string{"reason": "企业已注销"}), runWant(sc, 204)}
		},
		"POST /api/v1/campaigns/{id}/remind": func(_ demo.User, sc scope) probe {
			return probe{campaignPath("/api/v1", sv.fresh()) + "/remind", nil, runWant(sc, 200)}
		},
		"POST /api/v1/campaigns/{id}/close": func(_ demo.User, sc scope) probe {
			id := sv.fresh()
			return probe{campaignPath("/api/v1", id) + "/close", jsonBody(map[string]int64{"version": sv.campaignVersion(id)}), runWant(sc, 200)}
		},

		// Filling: an enterprise for itself, staff for an enterprise they
		// may fill for (403 when they only read it, 404 when they do not);
		// then the enterprise must be on the campaign's list.
		"GET /surveys": func(u demo.User, sc scope) probe {
			return probe{"/surveys" + sv.fillQuery(sc), nil, may(u, access.FormFill, surveysWant(sc, 200))}
		},
		"GET /surveys/{id}": func(u demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/surveys/%d%s", sv.campaignID, sv.fillQuery(sc)), nil, may(u, access.FormFill, fillWant(sc, 200))}
		},
		"POST /surveys/{id}": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/surveys/%d", sv.fresh()), sv.fillForm(sc), fillWant(sc, 303)}
		},
		"GET /api/v1/surveys": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1/surveys" + sv.fillQuery(sc), nil, surveysWant(sc, 200)}
		},
		"GET /api/v1/surveys/{id}": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/api/v1/surveys/%d%s", sv.campaignID, sv.fillQuery(sc)), nil, fillWant(sc, 200)}
		},
		"POST /api/v1/surveys/{id}/files": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/api/v1/surveys/%d/files%s", sv.campaignID, sv.fillQuery(sc)), fileBody("车间照片.png", pngBytes), fillWant(sc, 201)}
		},
		"GET /surveys/{id}/files/{file}": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/surveys/%d/files/%d", sv.campaignID, sv.fileID), nil, fileWant(sc, 200)}
		},
		"GET /api/v1/surveys/{id}/files/{file}": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/api/v1/surveys/%d/files/%d", sv.campaignID, sv.fileID), nil, fileWant(sc, 200)}
		},
		"PUT /api/v1/surveys/{id}/draft": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/api/v1/surveys/%d/draft", sv.fresh()), sv.answersJSON(sc), fillWant(sc, 200)}
		},
		"POST /api/v1/surveys/{id}/submit": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/api/v1/surveys/%d/submit", sv.fresh()), sv.answersJSON(sc), fillWant(sc, 201)}
		},

		// The catalogue: every role reads it, the administrator keeps it,
		// those who assess the appeals read its use. A change is made to
		// the standard's or provider's current version (the administrator
		// is probed first); withdrawals are from a later day, on standards
		// no other probe uses.
		"GET /catalogue": func(u demo.User, _ scope) probe { return probe{"/catalogue", nil, may(u, access.CatalogueRead, 200)} },
		"GET /catalogue/new": func(u demo.User, _ scope) probe {
			return probe{"/catalogue/new", nil, may(u, access.CatalogueManage, 200)}
		},
		"POST /catalogue/new": func(u demo.User, _ scope) probe {
			return probe{"/catalogue/new", formBody(standardForm(newStandard(), 0)), may(u, access.CatalogueManage, 303)}
		},
		"GET /catalogue/export.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/catalogue/export.xlsx", nil, may(u, access.CatalogueRead, 200)}
		},
		"GET /catalogue/import": func(u demo.User, _ scope) probe {
			return probe{"/catalogue/import", nil, may(u, access.CatalogueManage, 200)}
		},
		"POST /catalogue/import": func(u demo.User, _ scope) probe {
			return probe{"/catalogue/import", garbage, may(u, access.CatalogueManage, 422)}
		},
		"GET /catalogue/use": func(u demo.User, _ scope) probe {
			return probe{"/catalogue/use", nil, may(u, access.AppealAssess, 200)}
		},
		"GET /catalogue/{standard}": func(u demo.User, _ scope) probe {
			return probe{"/catalogue/S03", nil, may(u, access.CatalogueRead, 200)}
		},
		"POST /catalogue/{standard}": func(u demo.User, _ scope) probe {
			st := s.apiStandard(t, "S03")
			st.Handle.N = st.Handle.N%10 + 1
			return probe{"/catalogue/S03", formBody(standardForm(st, st.Version)), may(u, access.CatalogueManage, 303)}
		},
		"POST /catalogue/{standard}/withdraw": func(u demo.User, _ scope) probe {
			v := s.apiStandard(t, "G05").Version
			return probe{"/catalogue/G05/withdraw", formBody(url.Values{"until": {"2027-06-01"}, "version": {fmt.Sprint(v)}}),
				may(u, access.CatalogueManage, 303)}
		},
		"GET /providers": func(u demo.User, _ scope) probe { return probe{"/providers", nil, may(u, access.CatalogueRead, 200)} },
		"POST /providers": func(u demo.User, _ scope) probe {
			return probe{"/providers", formBody(url.Values{"code": {newProviderCode()}, "kind": {"social"}, "name": {"区模具行业协会"},
				"phone": {"0574-86880200"}}), may(u, access.CatalogueManage, 303)}
		},
		"GET /api/v1/service-standards": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-standards", nil, may(u, access.CatalogueRead, 200)}
		},
		"POST /api/v1/service-standards": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-standards", jsonBody(newStandard()), may(u, access.CatalogueManage, 201)}
		},
		"GET /api/v1/service-standards/export": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-standards/export", nil, may(u, access.CatalogueRead, 200)}
		},
		"POST /api/v1/service-standards/import": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-standards/import", multipartBody(catalogueWorkbook(t, newStandard()), nil), may(u, access.CatalogueManage, 200)}
		},
		"GET /api/v1/service-standards/use": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-standards/use", nil, may(u, access.AppealAssess, 200)}
		},
		"GET /api/v1/service-standards/{standard}": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-standards/S03", nil, may(u, access.CatalogueRead, 200)}
		},
		"PUT /api/v1/service-standards/{standard}": func(u demo.User, _ scope) probe {
			st := s.apiStandard(t, "S03")
			st.Handle.N = st.Handle.N%10 + 1
			return probe{"/api/v1/service-standards/S03", jsonBody(st), may(u, access.CatalogueManage, 200)}
		},
		"GET /api/v1/service-standards/{standard}/versions": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-standards/S03/versions", nil, may(u, access.CatalogueRead, 200)}
		},
		"POST /api/v1/service-standards/{standard}/withdraw": func(u demo.User, _ scope) probe {
			v := s.apiStandard(t, "G04").Version
			return probe{"/api/v1/service-standards/G04/withdraw", jsonBody(map[string]any{"until": "2027-06-01", "version": v}),
				may(u, access.CatalogueManage, 200)}
		},
		"GET /api/v1/service-providers": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-providers", nil, may(u, access.CatalogueRead, 200)}
		},
		"POST /api/v1/service-providers": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-providers", jsonBody(map[string]string{"code": newProviderCode(), "kind": "social",
				"name": "区模具行业协会", "phone": "0574-86880200"}), may(u, access.CatalogueManage, 201)}
		},
		"PUT /api/v1/service-providers/{provider}": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-providers/union", jsonBody(map[string]any{"kind": "mass", "name": "区总工会",
				"phone": "0574-86880101", "version": s.providerVersion(t, "union")}), may(u, access.CatalogueManage, 200)}
		},

		// Visits (走访): recorded by staff in their reach, read by those who
		// read the enterprise's visits (an enterprise its own), confirmed
		// by the enterprise alone. A visit or common problem out of reach is
		// not found; the pages and the lists refuse a role without the
		// action at the door, the API finds no visit for it.
		"GET /visits": func(u demo.User, _ scope) probe { return probe{"/visits", nil, may(u, access.VisitRead, 200)} },
		"GET /visits/new": func(u demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/visits/new?enterprise=%d", showID), nil, prefillWant(u, sc, 200)}
		},
		"POST /visits": func(u demo.User, sc scope) probe {
			return probe{"/visits", formBody(visitForm(visitOf(recordTarget(sc), matrixTeam, solvedProblem()), "")), may(u, access.VisitRecord, 303)}
		},
		"GET /visits/coverage": func(u demo.User, _ scope) probe {
			return probe{"/visits/coverage", nil, may(u, access.VisitRead, 200)}
		},
		"GET /visits/{id}": func(u demo.User, sc scope) probe {
			return probe{visitPath, nil, may(u, access.VisitRead, visitWant(sc, 200))}
		},
		"GET /visits/{id}/photos/{photo}": func(u demo.User, sc scope) probe {
			return probe{photoPath, nil, may(u, access.VisitRead, visitWant(sc, 200))}
		},
		"POST /visits/{id}/confirm": func(_ demo.User, sc scope) probe {
			v := freshVisit()
			return probe{fmt.Sprintf("/visits/%d/confirm", v.ID), formBody(url.Values{"feedback": {"satisfied"}, "version": {fmt.Sprint(v.Version)}}),
				confirmWant(sc, 303)}
		},
		"POST /visits/{id}/raise": func(u demo.User, sc scope) probe {
			return probe{visitPath + "/raise", nil, may(u, access.VisitRecord, visitWant(sc, 303))}
		},
		"GET /topics": func(u demo.User, _ scope) probe { return probe{"/topics", nil, may(u, access.VisitRead, 200)} },
		"GET /topics/{id}": func(u demo.User, sc scope) probe {
			return probe{topicPath, nil, may(u, access.VisitRead, visitWant(sc, 200))}
		},
		"POST /topics/{id}/escalate": func(u demo.User, sc scope) probe {
			id, version := freshTopic()
			return probe{fmt.Sprintf("/topics/%d/escalate", id), formBody(url.Values{"reason": {escalation}, "version": {fmt.Sprint(version)}}),
				escalateWant(u, sc, 303)}
		},
		"POST /topics/{id}/answer": func(u demo.User, sc scope) probe {
			id, version := freshTopic()
			return probe{fmt.Sprintf("/topics/%d/answer", id), formBody(url.Values{"answer": {answer}, "version": {fmt.Sprint(version)}}),
				answerWant(u, sc, 303)}
		},
		"GET /visits/figures.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/visits/figures.xlsx", nil, may(u, access.VisitRead, 200)}
		},
		"GET /topics/new": func(u demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/topics/new?enterprise=%d&ref=campaign:1", showID), nil, prefillWant(u, sc, 200)}
		},
		"POST /topics": func(u demo.User, sc scope) probe {
			r := reportOf(sc)
			return probe{"/topics", formBody(url.Values{"enterprise": {fmt.Sprint(r["enterprise_id"])}, "title": {r["title"].(string)},
				"text": {r["text"].(string)}, "category": {"logistics"}, "ref": {"campaign:1"}}), may(u, access.VisitRecord, 303)}
		},

		// Service days: seen by those who read visits in the community or
		// over it, run by those who run them there; an enterprise registers
		// its problems, staff who may record a visit to it for it.
		"GET /service-days": func(u demo.User, _ scope) probe {
			return probe{"/service-days", nil, may(u, access.VisitRead, 200)}
		},
		"POST /service-days": func(u demo.User, _ scope) probe {
			return probe{"/service-days", formBody(dayForm()), may(u, access.ServiceDayRun, 303)}
		},
		"GET /service-days/{id}": func(u demo.User, sc scope) probe { return probe{dayPath, nil, dayWant(u, sc, 200)} },
		"POST /service-days/{id}/problems": func(u demo.User, sc scope) probe {
			p := dayProblemOf(showID)
			return probe{dayPath + "/problems", formBody(url.Values{"enterprise": {fmt.Sprint(showID)}, "text": {p.Text}, "category": {p.Category},
				"department": {p.Department}}), registerWant(u, sc, 303)}
		},
		"POST /service-day-problems/{id}/answer": func(u demo.User, sc scope) probe {
			p := freshDayProblem()
			return probe{fmt.Sprintf("/service-day-problems/%d/answer", p.ID), formBody(url.Values{"answer": {"现场讲解参保登记流程"},
				"version": {fmt.Sprint(p.Version)}, "day": {fmt.Sprint(day.ID)}}), dayRunWant(u, sc, 303)}
		},
		"POST /service-day-problems/{id}/raise": func(u demo.User, sc scope) probe {
			p := freshDayProblem()
			return probe{fmt.Sprintf("/service-day-problems/%d/raise", p.ID), formBody(url.Values{"day": {fmt.Sprint(day.ID)}}), dayRaiseWant(u, sc, 303)}
		},
		"GET /api/v1/service-days": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-days", nil, may(u, access.VisitRead, 200)}
		},
		"POST /api/v1/service-days": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/service-days", jsonBody(dayOf(s)), may(u, access.ServiceDayRun, 201)}
		},
		"GET /api/v1/service-days/{id}": func(u demo.User, sc scope) probe { return probe{"/api/v1" + dayPath, nil, dayWant(u, sc, 200)} },
		"POST /api/v1/service-days/{id}/problems": func(u demo.User, sc scope) probe {
			return probe{"/api/v1" + dayPath + "/problems", jsonBody(dayProblemOf(showID)), registerWant(u, sc, 201)}
		},
		"POST /api/v1/service-day-problems/{id}/answer": func(u demo.User, sc scope) probe {
			p := freshDayProblem()
			return probe{fmt.Sprintf("/api/v1/service-day-problems/%d/answer", p.ID), jsonBody(map[string]any{"answer": "现场讲解参保登记流程",
				"version": p.Version}), dayRunWant(u, sc, 200)}
		},
		"POST /api/v1/service-day-problems/{id}/raise": func(u demo.User, sc scope) probe {
			p := freshDayProblem()
			return probe{fmt.Sprintf("/api/v1/service-day-problems/%d/raise", p.ID), nil, dayRaiseWant(u, sc, 200)}
		},
		"POST /api/v1/visits": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/visits", jsonBody(visitOf(recordTarget(sc), matrixTeam, solvedProblem())), may(u, access.VisitRecord, 201)}
		},
		"GET /api/v1/visits": func(u demo.User, _ scope) probe {
			return probe{fmt.Sprintf("/api/v1/visits?enterprise=%d", showID), nil, may(u, access.VisitRead, 200)}
		},
		"GET /api/v1/visits/prefill": func(u demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/api/v1/visits/prefill?enterprise=%d", showID), nil, prefillWant(u, sc, 200)}
		},
		"GET /api/v1/visits/coverage": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/visits/coverage", nil, may(u, access.VisitRead, 200)}
		},
		"GET /api/v1/visits/coverage/{list}": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/visits/coverage/unvisited", nil, may(u, access.VisitRead, 200)}
		},
		"GET /api/v1/visits/figures": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/visits/figures?by=unit", nil, may(u, access.VisitRead, 200)}
		},
		"GET /api/v1/visits/figures/departments": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/visits/figures/departments", nil, may(u, access.VisitRead, 200)}
		},
		"GET /api/v1/visits/figures.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/visits/figures.xlsx", nil, may(u, access.VisitRead, 200)}
		},
		"POST /api/v1/topics": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/topics", jsonBody(reportOf(sc)), may(u, access.VisitRecord, 201)}
		},
		"GET /api/v1/visits/{id}": func(_ demo.User, sc scope) probe { return probe{"/api/v1" + visitPath, nil, visitWant(sc, 200)} },
		"POST /api/v1/visits/{id}/photos": func(u demo.User, sc scope) probe {
			v := freshVisit()
			return probe{fmt.Sprintf("/api/v1/visits/%d/photos", v.ID), photoBody(t, "file", aPNG(t), nil), may(u, access.VisitRecord, visitWant(sc, 201))}
		},
		"GET /api/v1/visits/{id}/photos/{photo}": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + photoPath, nil, visitWant(sc, 200)}
		},
		"POST /api/v1/visits/{id}/confirm": func(_ demo.User, sc scope) probe {
			v := freshVisit()
			return probe{fmt.Sprintf("/api/v1/visits/%d/confirm", v.ID), jsonBody(map[string]any{"feedback": "satisfied", "version": v.Version}),
				confirmWant(sc, 200)}
		},
		"POST /api/v1/visits/{id}/raise": func(u demo.User, sc scope) probe {
			return probe{"/api/v1" + visitPath + "/raise", nil, may(u, access.VisitRecord, visitWant(sc, 200))}
		},
		"GET /api/v1/topics": func(u demo.User, _ scope) probe { return probe{"/api/v1/topics", nil, may(u, access.VisitRead, 200)} },
		"GET /api/v1/topics/{id}": func(u demo.User, sc scope) probe {
			return probe{"/api/v1" + topicPath, nil, may(u, access.VisitRead, visitWant(sc, 200))}
		},
		"POST /api/v1/topics/{id}/escalate": func(u demo.User, sc scope) probe {
			id, version := freshTopic()
			return probe{fmt.Sprintf("/api/v1/topics/%d/escalate", id), jsonBody(map[string]any{"reason": escalation, "version": version}),
				escalateWant(u, sc, 200)}
		},
		"POST /api/v1/topics/{id}/answer": func(u demo.User, sc scope) probe {
			id, version := freshTopic()
			return probe{fmt.Sprintf("/api/v1/topics/%d/answer", id), jsonBody(map[string]any{"answer": answer, "version": version}),
				answerWant(u, sc, 200)}
		},
	}

	maps.Copy(cases, pm.cases())
	maps.Copy(cases, ppm.cases())
	maps.Copy(cases, rm.cases())

	// The routes that check a password cost an argon2 hash each and answer
	// alike whoever calls them: they are called as the first account only.
	hashing := map[string]bool{"POST /login": true, "POST /api/v1/login": true, "POST /account/password": true}

	// Every route has a case and every case a route; signing out comes last.
	var table []core.Route
	var logout core.Route
	for _, rt := range (&Server{}).routes() {
		key := rt.Method + " " + rt.Path
		if cases[key] == nil {
			t.Errorf("route %s has no case in the access matrix", key)
			continue
		}
		if key == "POST /logout" {
			logout = rt
			continue
		}
		table = append(table, rt)
	}
	if len(cases) != len(table)+1 {
		t.Errorf("the matrix has %d cases for %d routes", len(cases), len(table)+1)
	}
	table = append(table, logout)

	for _, rt := range table {
		key := rt.Method + " " + rt.Path
		for i, u := range showcase {
			if i > 0 && hashing[key] {
				break
			}
			sc := scopeOf(u)
			p := cases[key](u, sc)
			res := s.as(t, u.Username, rt.Method, p.path, p.b, pm.takeHeader()...)
			if res.code != p.want {
				t.Errorf("%s as %s (%s %s): %d, want %d: %.200s", key, u.Username, rt.Method, p.path, res.code, p.want, res.body)
				continue
			}
			checkAnswer(t, rt.Method+" "+p.path, res)
		}
	}
}

// checkAnswer checks the form of an answer: API errors are JSON with the
// code of their status, page errors are pages.
func checkAnswer(t *testing.T, what string, res result) {
	t.Helper()
	api := strings.Contains(what, " /api/")
	ct := res.header.Get("Content-Type")
	switch {
	case res.code < 400:
	case api:
		// A 403 is the role's (forbidden), or the appeal step's: not the
		// caller's to take; or the law's: a rectification ordered without
		// the power to inspect, a restart's step not the caller's party.
		want := map[int][]string{403: {"forbidden", "not_your_step", "leaders_only", "enterprise_answers", "own_visit", "resumption_no_power",
			"resumption_party"}, 404: {"not_found"}}[res.code]
		if code := res.errorCode(t); code == "" || want != nil && !slices.Contains(want, code) {
			t.Errorf("%s: %d with error code %q, want one of %q", what, res.code, code, want)
		}
	case !strings.HasPrefix(ct, "text/html"):
		t.Errorf("%s: %d answered with %q, want a page", what, res.code, ct)
	}
}

// checkSignedOut calls every route that needs a user without one, and with
// a session that does not exist.
func checkSignedOut(t *testing.T, s *site) {
	bogus := &http.Cookie{Name: core.SessionCookie, Value: "qs_no_such_session"}
	for _, rt := range (&Server{}).routes() {
		if rt.Auth == core.Public {
			continue
		}
		path := strings.NewReplacer("{id}", "1", "{code}", showGrid, "{credit}", dataset.Enterprises[0].CreditCode, "{$}", "", "{action}", "note", "{date}", "2027-01-01", "{file}", "1", "{standard}", "S03", "{provider}", "union", "{list}", "unvisited", "{photo}", "1",
			"{party}", "lender", "{month}", "2027-01").Replace(rt.Path)
		var b *body
		if rt.Method != "GET" {
			b = formBody(url.Values{"name": {"x"}})
			if strings.HasPrefix(path, "/api/") {
				b = jsonBody(map[string]string{})
			}
		}
		for _, c := range []*http.Cookie{nil, bogus} {
			res := s.call(t, rt.Method, path, c, b)
			what := fmt.Sprintf("%s %s (cookie %v)", rt.Method, path, c != nil)
			switch {
			case strings.HasPrefix(path, "/api/"):
				if res.code != http.StatusUnauthorized || res.errorCode(t) != "signed_out" {
					t.Errorf("%s: %d %s, want 401 signed_out", what, res.code, res.body)
				}
			case rt.Method == "GET":
				loc := res.header.Get("Location")
				if res.code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
					t.Errorf("%s: %d to %q, want 303 to /login", what, res.code, loc)
				}
				if next, _ := url.Parse(loc); next == nil || next.Query().Get("next") != path {
					t.Errorf("%s: redirected to %q, want next=%s", what, loc, path)
				}
			default:
				if res.code != http.StatusUnauthorized || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
					t.Errorf("%s: %d %q, want a 401 page", what, res.code, res.header.Get("Content-Type"))
				}
			}
			if c != nil && !strings.HasPrefix(path, "/api/") {
				if cleared := res.cookie(core.SessionCookie); cleared == nil || cleared.MaxAge >= 0 {
					t.Errorf("%s: the stale session cookie is not cleared", what)
				}
			}
		}
	}
}
