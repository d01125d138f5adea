package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/store"
	"qifu/internal/visit"
	"qifu/internal/web/core"
)

// visitForm is the phone form of a visit filled in with v; key is the
// form's idempotency key.
func visitForm(v visit.Visit, key string) url.Values {
	f := url.Values{"enterprise": {fmt.Sprint(v.EnterpriseID)}, "kind": {string(v.Kind)}, "on": {v.On}, "note": {v.Note},
		"operation": {v.Situation.Operation}, "orders": {v.Situation.Orders}, "key": {key}}
	if v.Situation.Employees > 0 {
		f.Set("employees", strconv.Itoa(v.Situation.Employees))
	}
	if v.NoChange {
		f.Set("no_change", "1")
	}
	for i, p := range v.Visitors {
		n := strconv.Itoa(i)
		f.Set("visitor_name_"+n, p.Name)
		f.Set("visitor_unit_"+n, p.Unit)
		if p.UserID != 0 {
			f.Set("visitor_user_"+n, fmt.Sprint(p.UserID))
		}
	}
	for i, p := range v.Problems {
		n := strconv.Itoa(i)
		f.Set("problem_"+n, p.Text)
		f.Set("category_"+n, p.Category)
		f.Set("outcome_"+n, string(p.Outcome))
		f.Set("action_"+n, p.Action)
		f.Set("topic_"+n, fmt.Sprint(p.TopicID))
		f.Set("topic_title_"+n, p.TopicTitle)
	}
	return f
}

// topic reads a common problem through the API as username.
func (s *site) topic(t testing.TB, username string, id int64) visit.Topic {
	t.Helper()
	res := s.as(t, username, "GET", fmt.Sprintf("/api/v1/topics/%d", id), nil)
	if res.code != http.StatusOK {
		t.Fatalf("GET topic %d as %s: %d %s", id, username, res.code, res.body)
	}
	var out struct {
		Topic visit.Topic `json:"topic"`
	}
	res.json(t, &out)
	return out.Topic
}

// visitTotals are the totals of the visits' figures the tests follow:
// every count but the enterprises visited, which other tests' visits move.
type visitTotals struct {
	Visits         int `json:"visits"`
	Problems       int `json:"problems_collected"`
	Solved         int `json:"problems_solved"`
	SolvedOnSpot   int `json:"solved_on_spot"`
	Raised         int `json:"raised_as_appeals"`
	RaisedClosed   int `json:"appeals_closed"`
	Common         int `json:"common_problems"`
	CommonAnswered int `json:"common_answered"`
	Confirmed      int `json:"confirmed"`
	Satisfied      int `json:"satisfied"`
	Basic          int `json:"basically_satisfied"`
	Unsatisfied    int `json:"unsatisfied"`
	NotVisited     int `json:"said_not_visited"`
}

// visitFigures reads the totals of the figures of the visits under region
// as username, grouped by region.
func (s *site) visitFigures(t testing.TB, username, region string) visitTotals {
	t.Helper()
	res := s.as(t, username, "GET", "/api/v1/visits/figures?by=region&region="+region, nil)
	if res.code != http.StatusOK {
		t.Fatalf("figures of %s as %s: %d %s", region, username, res.code, res.body)
	}
	var f struct {
		By    string      `json:"by"`
		Total visitTotals `json:"total"`
	}
	res.json(t, &f)
	if f.By != "region" {
		t.Errorf("figures by %q, want region", f.By)
	}
	return f.Total
}

// wantFields checks an API answer of 422 naming every field of fields.
func wantFields(t testing.TB, what string, res result, fields ...string) {
	t.Helper()
	if res.code != http.StatusUnprocessableEntity {
		t.Errorf("%s: %d %s, want 422", what, res.code, res.body)
		return
	}
	var e core.ErrorBody
	res.json(t, &e)
	for _, f := range fields {
		if e.Error.Fields[f] == "" {
			t.Errorf("%s: no message for %s in %v", what, f, e.Error.Fields)
		}
	}
}

// TestVisitsAPI walks a visit through the API: the grid worker records it
// with three problems — solved on the spot, raised as an appeal, sent up as
// a common problem —, a retry records nothing twice, the refusals of what
// cannot be a visit; the next visit's form starts from it; the enterprise
// confirms and rates it, once, and no other enterprise sees it; the street
// leader answers the common problem; the district's figures move by
// exactly this visit.
func TestVisitsAPI(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		showE := byCode[demoAccount("enterprise").EnterpriseCode]
		id := s.entID(t, showE.CreditCode)
		district := showE.DistrictCode
		before := s.visitFigures(t, "district_leader", district)
		appeals := func() int {
			var n int
			if err := store.Scan(s.st.Reader().Row(ctx, "SELECT COUNT(*) FROM appeals"), &n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// Refused: what is no visit, an enterprise out of the grid.
		team := s.visitTeam(t, "grid")
		bad := func(what string, change func(v *visit.Visit), fields ...string) {
			t.Helper()
			v := visitOf(id, team, solvedProblem())
			change(&v)
			wantFields(t, what, s.as(t, "grid", "POST", "/api/v1/visits", jsonBody(v)), fields...)
		}
		bad("no visitors", func(v *visit.Visit) { v.Visitors = nil }, "visitors")
		bad("a visit in the future", func(v *visit.Visit) {
			v.On = time.Now().In(calendar.Shanghai).AddDate(0, 0, 2).Format("2006-01-02")
		}, "on")
		bad("solved without saying how", func(v *visit.Visit) { v.Problems[0].Action = "" }, "problems.0.action")
		bad("an unknown category", func(v *visit.Visit) { v.Problems[0].Category = "no.such.category" }, "problems.0.category")
		bad("a common problem without a title", func(v *visit.Visit) {
			v.Problems = append(v.Problems, visit.Problem{Text: "园区晚间公交停运，夜班员工通勤难", Category: "logistics", Outcome: visit.Common})
		}, "problems.1.topic_title")
		out, ok := pick(func(e enterprise.Enterprise) bool { return e.GridCode != showGrid })
		if !ok {
			t.Fatal("no enterprise outside the showcase grid")
		}
		res := s.as(t, "grid", "POST", "/api/v1/visits", jsonBody(visitOf(s.entID(t, out.CreditCode), team, solvedProblem())))
		wantError(t, "a visit to an enterprise outside the grid", res, http.StatusNotFound, "not_found")
		res = s.as(t, "grid", "GET", fmt.Sprintf("/api/v1/visits/prefill?enterprise=%d", s.entID(t, out.CreditCode)), nil)
		wantError(t, "the form of a visit to an enterprise outside the grid", res, http.StatusNotFound, "not_found")
		if after := s.visitFigures(t, "district_leader", district); after != before {
			t.Fatalf("refused visits moved the figures: %+v → %+v", before, after)
		}

		// Recorded: each problem has its id, the appeal is raised by the
		// visit's channel, the common problem is sent up.
		appealsBefore := appeals()
		in := visitOf(id, team, solvedProblem(), appealProblem(), commonProblem())
		key := []string{"Idempotency-Key", fmt.Sprintf("visit-%d", codeSeq.Add(1))}
		v := s.recordVisit(t, "grid", in, key...)
		if v.EnterpriseID != id || v.RecordedBy != s.userID(t, "grid") || v.Version != 1 || v.Units != 2 ||
			v.On != time.Now().In(calendar.Shanghai).Format("2006-01-02") {
			t.Errorf("recorded %+v", v)
		}
		for i, p := range v.Problems {
			if p.ID == 0 || p.Outcome != in.Problems[i].Outcome {
				t.Errorf("problem %d recorded as %+v", i, p)
			}
		}
		solved, raised, common := v.Problems[0], v.Problems[1], v.Problems[2]
		if solved.AppealID != 0 || common.AppealID != 0 || raised.AppealID == 0 {
			t.Fatalf("appeals of the problems: %d %d %d, want only the second's", solved.AppealID, raised.AppealID, common.AppealID)
		}
		if common.TopicID == 0 || common.TopicTitle != in.Problems[2].TopicTitle {
			t.Fatalf("the common problem: %+v", common)
		}
		ap := s.appealView(t, "grid", raised.AppealID)
		if ap.Channel != "visit" || ap.CreditCode != showE.CreditCode || ap.Content != raised.Text || ap.Category != raised.Category {
			t.Errorf("the appeal raised: channel %q, enterprise %s, content %q, category %q", ap.Channel, ap.CreditCode, ap.Content, ap.Category)
		}
		if n := appeals(); n != appealsBefore+1 {
			t.Errorf("the visit raised %d appeals, want 1", n-appealsBefore)
		}

		// A retry answers with the visit first recorded and raises nothing more.
		again := s.recordVisit(t, "grid", in, key...)
		if again.ID != v.ID || again.Problems[1].AppealID != raised.AppealID || again.Problems[2].TopicID != common.TopicID {
			t.Errorf("the retry: visit %d appeal %d topic %d, want %d, %d and %d", again.ID, again.Problems[1].AppealID,
				again.Problems[2].TopicID, v.ID, raised.AppealID, common.TopicID)
		}
		if n := appeals(); n != appealsBefore+1 {
			t.Errorf("the retry raised %d more appeals", n-appealsBefore-1)
		}
		res = s.as(t, "grid", "GET", fmt.Sprintf("/api/v1/visits/%d", v.ID), nil)
		var read visit.Visit
		res.json(t, &read)
		if res.code != http.StatusOK || read.ID != v.ID || len(read.Problems) != 3 || !slices.Equal(read.Visitors, team) {
			t.Errorf("GET the visit: %d %+v", res.code, read)
		}

		// The next visit's form starts from the situation seen and the worker's last team.
		res = s.as(t, "grid", "GET", fmt.Sprintf("/api/v1/visits/prefill?enterprise=%d", id), nil)
		if res.code != http.StatusOK {
			t.Fatalf("prefill: %d %s", res.code, res.body)
		}
		var pre struct {
			EnterpriseID int64           `json:"enterprise_id"`
			Kind         visit.Kind      `json:"kind"`
			Visitors     []visit.Visitor `json:"visitors"`
			Situation    visit.Situation `json:"situation"`
			LastOn       string          `json:"last_on"`
			Topics       []visit.Topic   `json:"open_topics"`
		}
		res.json(t, &pre)
		if pre.EnterpriseID != id || pre.Kind != in.Kind || !slices.Equal(pre.Visitors, team) || pre.Situation != in.Situation || pre.LastOn != v.On {
			t.Errorf("prefill: %+v, want the team %+v, the situation %+v and last visited %s", pre, team, in.Situation, v.On)
		}
		if !slices.ContainsFunc(pre.Topics, func(tp visit.Topic) bool { return tp.ID == common.TopicID }) {
			t.Errorf("prefill: the open common problems %+v lack %d", pre.Topics, common.TopicID)
		}

		// Another enterprise's account sees nothing of it.
		other, ok := pick(func(e enterprise.Enterprise) bool { return e.CreditCode != showE.CreditCode })
		if !ok {
			t.Fatal("no other enterprise")
		}
		name := fmt.Sprintf("other_ent%d", codeSeq.Add(1))
		if _, err := s.st.CreateUser(ctx, access.System("test"), account.User{Username: name, Name: "另一家企业", Role: access.RoleEnterprise,
			EnterpriseID: s.entID(t, other.CreditCode)}, demo.Password); err != nil {
			t.Fatal(err)
		}
		res = s.as(t, name, "GET", fmt.Sprintf("/api/v1/visits/%d", v.ID), nil)
		wantError(t, "another enterprise reads the visit", res, http.StatusNotFound, "not_found")
		res = s.as(t, name, "POST", fmt.Sprintf("/api/v1/visits/%d/confirm", v.ID), jsonBody(map[string]any{"feedback": "satisfied", "version": v.Version}))
		wantError(t, "another enterprise confirms the visit", res, http.StatusNotFound, "not_found")
		res = s.as(t, name, "GET", fmt.Sprintf("/api/v1/visits?enterprise=%d", id), nil)
		var l core.List[visit.Visit]
		res.json(t, &l)
		if res.code != http.StatusOK || l.Total != 0 || len(l.Items) != 0 {
			t.Errorf("another enterprise lists the visits of the showcase enterprise: %d %s", res.code, res.body)
		}

		// The enterprise lists it, confirms and rates it, once.
		res = s.as(t, "enterprise", "GET", fmt.Sprintf("/api/v1/visits?enterprise=%d&size=200", id), nil)
		l = core.List[visit.Visit]{}
		res.json(t, &l)
		if res.code != http.StatusOK || !slices.ContainsFunc(l.Items, func(x visit.Visit) bool { return x.ID == v.ID }) {
			t.Errorf("the enterprise's visits lack %d: %d %.300s", v.ID, res.code, res.body)
		}
		res = s.as(t, "grid", "POST", fmt.Sprintf("/api/v1/visits/%d/confirm", v.ID), jsonBody(map[string]any{"feedback": "satisfied", "version": v.Version}))
		wantError(t, "the grid worker confirms the visit", res, http.StatusForbidden, "forbidden")
		res = s.as(t, "enterprise", "POST", fmt.Sprintf("/api/v1/visits/%d/confirm", v.ID), jsonBody(map[string]any{"feedback": "satisfied"}))
		wantFields(t, "a confirmation without a version", res, "version")
		res = s.as(t, "enterprise", "POST", fmt.Sprintf("/api/v1/visits/%d/confirm", v.ID), jsonBody(map[string]any{"feedback": "unsatisfied", "version": v.Version}))
		wantFields(t, "unsatisfied without saying why", res, "note")
		res = s.as(t, "enterprise", "POST", fmt.Sprintf("/api/v1/visits/%d/confirm", v.ID), jsonBody(map[string]any{"feedback": "satisfied", "version": v.Version}))
		if res.code != http.StatusOK {
			t.Fatalf("confirm: %d %s", res.code, res.body)
		}
		var confirmed visit.Visit
		res.json(t, &confirmed)
		if confirmed.Feedback != visit.Satisfied || confirmed.ConfirmedAt.IsZero() || confirmed.Version != v.Version+1 {
			t.Errorf("confirmed: feedback %q at %v version %d", confirmed.Feedback, confirmed.ConfirmedAt, confirmed.Version)
		}
		for _, version := range []int64{v.Version, confirmed.Version} {
			res = s.as(t, "enterprise", "POST", fmt.Sprintf("/api/v1/visits/%d/confirm", v.ID), jsonBody(map[string]any{"feedback": "basic", "version": version}))
			wantError(t, fmt.Sprintf("confirm again (version %d)", version), res, http.StatusConflict, "")
		}

		// The district's figures moved by exactly this visit.
		want := before
		want.Visits++
		want.Problems += 3
		want.SolvedOnSpot++
		want.Solved++
		want.Raised++
		want.Common++
		want.Confirmed++
		want.Satisfied++
		after := s.visitFigures(t, "district_leader", district)
		if after != want {
			t.Errorf("figures after the visit\n%+v\nwant\n%+v", after, want)
		}

		// The street leader answers the common problem, once.
		res = s.as(t, "street_leader", "GET", "/api/v1/topics", nil)
		var topics core.Items[visit.Topic]
		res.json(t, &topics)
		i := slices.IndexFunc(topics.Items, func(tp visit.Topic) bool { return tp.ID == common.TopicID })
		if res.code != http.StatusOK || i < 0 {
			t.Fatalf("the street leader's common problems lack %d: %d %.300s", common.TopicID, res.code, res.body)
		}
		tp := topics.Items[i]
		if tp.State != visit.TopicOpen || tp.RegionCode != showE.StreetCode || tp.Enterprises != 1 || tp.Title != common.TopicTitle {
			t.Errorf("the common problem: %+v", tp)
		}
		res = s.as(t, "grid", "POST", fmt.Sprintf("/api/v1/topics/%d/answer", tp.ID), jsonBody(map[string]any{"answer": "已协调恢复夜班线路。", "version": tp.Version}))
		wantError(t, "the grid worker answers", res, http.StatusForbidden, "forbidden")
		res = s.as(t, "street_leader", "POST", fmt.Sprintf("/api/v1/topics/%d/answer", tp.ID), jsonBody(map[string]any{"answer": "短", "version": tp.Version}))
		wantFields(t, "a short answer", res, "answer")
		res = s.as(t, "street_leader", "POST", fmt.Sprintf("/api/v1/topics/%d/answer", tp.ID),
			jsonBody(map[string]any{"answer": "已协调公交公司自下月起恢复园区夜班线路。", "version": tp.Version}))
		if res.code != http.StatusOK {
			t.Fatalf("answer: %d %s", res.code, res.body)
		}
		var answered visit.Topic
		res.json(t, &answered)
		if answered.State != visit.TopicAnswered || answered.Version != tp.Version+1 || answered.Answer == "" {
			t.Errorf("answered: %+v", answered)
		}
		res = s.as(t, "street_leader", "POST", fmt.Sprintf("/api/v1/topics/%d/answer", tp.ID),
			jsonBody(map[string]any{"answer": "已协调公交公司自下月起恢复园区夜班线路。", "version": answered.Version}))
		wantError(t, "answer again", res, http.StatusConflict, "")
		want.CommonAnswered++
		want.Solved++
		if got := s.visitFigures(t, "district_leader", district); got != want {
			t.Errorf("figures after the answer\n%+v\nwant\n%+v", got, want)
		}

		// The coverage and its lists: the enterprise visited today is not
		// on the grid's list of those nobody visited.
		for _, who := range []string{"district_leader", "grid"} {
			res = s.as(t, who, "GET", "/api/v1/visits/coverage", nil)
			var cov struct {
				Total struct {
					Enterprises int `json:"enterprises"`
					Visited     int `json:"visited"`
				} `json:"total"`
			}
			res.json(t, &cov)
			if res.code != http.StatusOK || cov.Total.Enterprises == 0 || cov.Total.Visited == 0 {
				t.Errorf("coverage as %s: %d %.300s", who, res.code, res.body)
			}
		}
		res = s.as(t, "grid", "GET", "/api/v1/visits/coverage/unvisited?size=200", nil)
		var unvisited core.List[struct {
			ID int64 `json:"id"`
		}]
		res.json(t, &unvisited)
		if res.code != http.StatusOK {
			t.Errorf("the unvisited list: %d %s", res.code, res.body)
		}
		for _, x := range unvisited.Items {
			if x.ID == id {
				t.Errorf("the enterprise visited today is on the list of those nobody visited")
			}
		}
		res = s.as(t, "grid", "GET", "/api/v1/visits/coverage/nonsense", nil)
		wantFields(t, "an unknown list", res, "list")
	})
}

// TestVisitPages records a visit through the phone form: the enterprise's
// page offers it to the grid worker, the form starts from the worker's last
// team, and the visit recorded is shown.
func TestVisitPages(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		showE := byCode[demoAccount("enterprise").EnterpriseCode]
		id := s.entID(t, showE.CreditCode)
		team := s.visitTeam(t, "grid")
		team[1] = visit.Visitor{Name: fmt.Sprintf("周干事%d", codeSeq.Add(1)), Unit: "区市场监管局"}
		s.recordVisit(t, "grid", visitOf(id, team))

		page := s.as(t, "grid", "GET", fmt.Sprintf("/enterprises/%d", id), nil)
		if page.code != http.StatusOK || !bytes.Contains(page.body, []byte(`id="record-visit"`)) {
			t.Errorf("the enterprise's page as the grid worker: %d, offers a visit %v", page.code, bytes.Contains(page.body, []byte(`id="record-visit"`)))
		}
		page = s.as(t, "enterprise", "GET", fmt.Sprintf("/enterprises/%d", id), nil)
		if page.code != http.StatusOK || bytes.Contains(page.body, []byte(`id="record-visit"`)) {
			t.Errorf("the enterprise's own page: %d, offers a visit %v", page.code, bytes.Contains(page.body, []byte(`id="record-visit"`)))
		}

		form := s.as(t, "grid", "GET", fmt.Sprintf("/visits/new?enterprise=%d", id), nil)
		if form.code != http.StatusOK {
			t.Fatalf("the form: %d %.300s", form.code, form.body)
		}
		for _, want := range []string{`name="enterprise" value="` + fmt.Sprint(id) + `"`, `value="` + team[0].Name + `"`,
			`value="` + team[1].Name + `"`, `value="` + team[1].Unit + `"`} {
			if !bytes.Contains(form.body, []byte(want)) {
				t.Errorf("the form lacks %s", want)
			}
		}

		// An invalid form comes back with its messages; a valid one records
		// the visit and shows it.
		key := fmt.Sprintf("form-%d", codeSeq.Add(1))
		in := visitOf(id, team, solvedProblem())
		in.Problems[0].Action = ""
		res := s.as(t, "grid", "POST", "/visits", formBody(visitForm(in, key)))
		if res.code != http.StatusUnprocessableEntity || !bytes.Contains(res.body, []byte(`id="visit-form"`)) {
			t.Errorf("an invalid form: %d", res.code)
		}
		in.Problems[0].Action = solvedProblem().Action
		res = s.as(t, "grid", "POST", "/visits", formBody(visitForm(in, key)))
		m := regexp.MustCompile(`^/visits/(\d+)$`).FindStringSubmatch(res.header.Get("Location"))
		if res.code != http.StatusSeeOther || m == nil {
			t.Fatalf("record through the form: %d to %q %.300s", res.code, res.header.Get("Location"), res.body)
		}
		vid, _ := strconv.ParseInt(m[1], 10, 64)
		v := s.as(t, "grid", "GET", fmt.Sprintf("/api/v1/visits/%d", vid), nil)
		var got visit.Visit
		v.json(t, &got)
		if got.EnterpriseID != id || len(got.Problems) != 1 || got.Problems[0].Action != in.Problems[0].Action || !slices.Equal(got.Visitors, team) {
			t.Errorf("the visit recorded through the form: %+v", got)
		}
		// The form resent (a double tap) records it once.
		res = s.as(t, "grid", "POST", "/visits", formBody(visitForm(in, key)))
		if loc := res.header.Get("Location"); res.code != http.StatusSeeOther || loc != m[0] {
			t.Errorf("the form resent: %d to %q, want %s", res.code, loc, m[0])
		}
		shown := s.as(t, "grid", "GET", m[0], nil)
		if shown.code != http.StatusOK || !bytes.Contains(shown.body, []byte(showE.Name)) {
			t.Errorf("the visit's page: %d", shown.code)
		}
		// The enterprise confirms it on the page.
		res = s.as(t, "enterprise", "POST", m[0]+"/confirm", formBody(url.Values{"feedback": {"basic"}, "version": {fmt.Sprint(got.Version)}}))
		if res.code != http.StatusSeeOther || res.header.Get("Location") != m[0] {
			t.Errorf("the enterprise confirms on the page: %d to %q", res.code, res.header.Get("Location"))
		}
		if after := s.as(t, "grid", "GET", fmt.Sprintf("/api/v1/visits/%d", vid), nil); !bytes.Contains(after.body, []byte(`"feedback":"basic"`)) {
			t.Errorf("after the confirmation: %s", after.body)
		}
	})
}

// TestEnterpriseQR holds the enterprise's one QR code to the address it
// must hold: the PNG served is the code of <site>/e/<credit code>, whose
// page offers a visitor to record a visit to it.
func TestEnterpriseQR(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		credit := demoAccount("enterprise").EnterpriseCode
		id := s.entID(t, credit)
		res := s.as(t, "grid", "GET", fmt.Sprintf("/enterprises/%d/qr.png", id), nil)
		want, err := qrcode.Encode(s.url+"/e/"+credit, qrcode.Medium, 320)
		if err != nil {
			t.Fatal(err)
		}
		if res.code != http.StatusOK || !bytes.Equal(res.body, want) {
			t.Fatalf("the QR code served (%d, %d bytes) is not the code of %s/e/%s", res.code, len(res.body), s.url, credit)
		}
		page := s.as(t, "grid", "GET", "/e/"+credit, nil)
		if page.code != http.StatusOK || !bytes.Contains(page.body, []byte(fmt.Sprintf(`href="/visits/new?enterprise=%d" id="scan-visit"`, id))) {
			t.Errorf("the scanned page does not offer the grid worker a visit: %d", page.code)
		}
		if page := s.as(t, "enterprise", "GET", "/e/"+credit, nil); bytes.Contains(page.body, []byte(`id="scan-visit"`)) {
			t.Error("the enterprise's own account is offered to record a visit to itself")
		}
	})
}

// photoBody is a multipart form with fields and an image in field, as a
// phone sends a photo.
func photoBody(t testing.TB, field string, image []byte, fields url.Values) *body {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, err := w.CreateFormFile(field, "现场.png")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(image)
	w.Close()
	return &body{w.FormDataContentType(), buf.Bytes()}
}

// aPNG is a small image.
func aPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestVisitPhotos records a visit with a photo from the phone's form,
// serves it to the enterprise and not to another's, adds one through the
// API, and refuses what is not an image.
func TestVisitPhotos(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		showE := byCode[demoAccount("enterprise").EnterpriseCode]
		id := s.entID(t, showE.CreditCode)
		pic := aPNG(t)
		form := visitForm(visitOf(id, s.visitTeam(t, "grid")), fmt.Sprintf("photo-%d", codeSeq.Add(1)))
		res := s.as(t, "grid", "POST", "/visits", photoBody(t, "photos", pic, form))
		page := res.header.Get("Location")
		if res.code != http.StatusSeeOther || !regexp.MustCompile(`^/visits/\d+$`).MatchString(page) {
			t.Fatalf("the form with a photo: %d → %q %.300s", res.code, page, res.body)
		}
		vid, _ := strconv.ParseInt(page[len("/visits/"):], 10, 64)
		var v visit.Visit
		s.as(t, "enterprise", "GET", fmt.Sprintf("/api/v1/visits/%d", vid), nil).json(t, &v)
		if len(v.Photos) != 1 || v.Photos[0].MIME != "image/png" {
			t.Fatalf("the visit's photos: %+v", v.Photos)
		}
		img := s.as(t, "enterprise", "GET", fmt.Sprintf("/visits/%d/photos/%d", vid, v.Photos[0].ID), nil)
		if img.code != http.StatusOK || !bytes.Equal(img.body, pic) || img.header.Get("Content-Type") != "image/png" {
			t.Errorf("the enterprise's photo: %d %s, %d bytes", img.code, img.header.Get("Content-Type"), len(img.body))
		}
		if page := s.as(t, "enterprise", "GET", page, nil); !bytes.Contains(page.body, []byte(fmt.Sprintf(`/visits/%d/photos/%d`, vid, v.Photos[0].ID))) {
			t.Error("the visit's page does not show its photo")
		}
		res = s.as(t, "grid", "POST", fmt.Sprintf("/api/v1/visits/%d/photos", vid), photoBody(t, "file", pic, nil))
		if res.code != http.StatusCreated {
			t.Errorf("a photo added through the API: %d %s", res.code, res.body)
		}
		res = s.as(t, "grid", "POST", fmt.Sprintf("/api/v1/visits/%d/photos", vid), photoBody(t, "file", []byte("%PDF-1.4 not an image"), nil))
		if res.code != http.StatusUnprocessableEntity {
			t.Errorf("a document as a photo: %d %s", res.code, res.body)
		}
		name := fmt.Sprintf("other_ent%d", codeSeq.Add(1))
		other, ok := pick(func(e enterprise.Enterprise) bool { return e.CreditCode != showE.CreditCode })
		if !ok {
			t.Fatal("no other enterprise")
		}
		if _, err := s.st.CreateUser(context.Background(), access.System("test"), account.User{Username: name, Name: "另一家企业", Role: access.RoleEnterprise,
			EnterpriseID: s.entID(t, other.CreditCode)}, demo.Password); err != nil {
			t.Fatal(err)
		}
		if img := s.as(t, name, "GET", fmt.Sprintf("/visits/%d/photos/%d", vid, v.Photos[0].ID), nil); img.code != http.StatusNotFound {
			t.Errorf("another enterprise's account reads the photo: %d", img.code)
		}
	})
}
