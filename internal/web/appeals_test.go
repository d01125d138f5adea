package web

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/appeal/appealweb"
	"qifu/internal/calendar"
	"qifu/internal/web/core"
)

// appealInput is a valid appeal of the showcase enterprise; the title is
// made unique, so that a test finds its own appeal in lists.
func appealInput(title string) appeal.Input {
	return appeal.Input{Type: appeal.TypeHelp, Category: "labour.recruit",
		Title: fmt.Sprintf("%s%d", title, codeSeq.Add(1)), Content: "订单增加，缺少熟练工人约 30 名，希望协助对接用工。",
		CreditCode: demoAccount("enterprise").EnterpriseCode, Contact: "王经理", Phone: "13805741234"}
}

// raise creates an appeal of the showcase enterprise through the API as
// the enterprise's user.
func (s *site) raise(t testing.TB, title string) appealweb.AppealJSON {
	t.Helper()
	res := s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(appealInput(title)))
	if res.code != http.StatusCreated {
		t.Fatalf("raise an appeal: %d %s", res.code, res.body)
	}
	var a appealweb.AppealJSON
	res.json(t, &a)
	return a
}

// appealView reads an appeal through the API as username.
func (s *site) appealView(t testing.TB, username string, id int64) appealweb.AppealViewJSON {
	t.Helper()
	res := s.as(t, username, "GET", fmt.Sprintf("/api/v1/appeals/%d", id), nil)
	if res.code != http.StatusOK {
		t.Fatalf("GET appeal %d as %s: %d %s", id, username, res.code, res.body)
	}
	var v appealweb.AppealViewJSON
	res.json(t, &v)
	return v
}

// act takes a step through the API as username, on the appeal's current
// version unless in gives one.
func (s *site) act(t testing.TB, username string, id int64, action appeal.Action, in appealweb.ActionInput) result {
	t.Helper()
	if in.Version == 0 {
		in.Version = s.appealView(t, "admin", id).Version
	}
	return s.as(t, username, "POST", fmt.Sprintf("/api/v1/appeals/%d/actions/%s", id, action), jsonBody(in))
}

// step is act that must succeed and leave the appeal in state want.
func (s *site) step(t testing.TB, username string, id int64, action appeal.Action, in appealweb.ActionInput, want appeal.State) appealweb.AppealViewJSON {
	t.Helper()
	res := s.act(t, username, id, action, in)
	if res.code != http.StatusOK {
		t.Fatalf("%s as %s: %d %s", action, username, res.code, res.body)
	}
	var v appealweb.AppealViewJSON
	res.json(t, &v)
	if v.State != want {
		t.Fatalf("%s as %s: state %s, want %s", action, username, v.State, want)
	}
	return v
}

// pngBytes is a file whose content is a PNG image's, as far as a check of
// its first bytes can tell.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR test image")

// fileBody is a multipart form with data as the file name in the field "file".
func fileBody(name string, data []byte) *body {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		panic(err)
	}
	fw.Write(data)
	w.Close()
	return &body{w.FormDataContentType(), buf.Bytes()}
}

// attachFile attaches an image to the appeal through the API as username.
func (s *site) attachFile(t testing.TB, username string, id int64) appealweb.AttachmentJSON {
	t.Helper()
	res := s.as(t, username, "POST", fmt.Sprintf("/api/v1/appeals/%d/attachments", id), fileBody("现场照片.png", pngBytes))
	if res.code != http.StatusCreated {
		t.Fatalf("attach a file as %s: %d %s", username, res.code, res.body)
	}
	var a appealweb.AttachmentJSON
	res.json(t, &a)
	return a
}

// deptIDs maps department codes to their IDs in the store.
func (s *site) deptIDs(t testing.TB) map[string]int64 {
	t.Helper()
	var l struct{ Items []departmentJSON }
	s.as(t, "admin", "GET", "/api/v1/departments", nil).json(t, &l)
	m := map[string]int64{}
	for _, d := range l.Items {
		m[d.Code] = d.ID
	}
	return m
}

// wantError checks an API answer's status and error code.
func wantError(t testing.TB, what string, res result, code int, errCode string) {
	t.Helper()
	if res.code != code {
		t.Fatalf("%s: %d %s, want %d", what, res.code, res.body, code)
	}
	if got := res.errorCode(t); errCode != "" && got != errCode {
		t.Fatalf("%s: error code %q, want %q", what, got, errCode)
	}
}

// TestAppealAPIWalk walks one appeal through the API from the enterprise's
// call to closure: a retried creation, triage, dispatch to two departments,
// a return and re-dispatch, signing, an extension, the assisting answer,
// replies, two 不满意 ratings (redo, then joint handling) and the joint
// handling to the enterprise's confirmation — with the refusals on the way.
func TestAppealAPIWalk(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		dept := s.deptIDs(t)
		in := appealInput("旺季招工困难")
		key := []string{"Idempotency-Key", fmt.Sprintf("walk-%d", codeSeq.Add(1))}

		// The call: a retry with the same key answers 200 with the same body.
		first := s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(in), key...)
		if first.code != http.StatusCreated {
			t.Fatalf("create: %d %s", first.code, first.body)
		}
		again := s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(in), key...)
		if again.code != http.StatusOK || !bytes.Equal(first.body, again.body) {
			t.Fatalf("retry: %d %s\nwant 200 %s", again.code, again.body, first.body)
		}
		other := in
		other.Title += "（另一件事）"
		wantError(t, "same key, other appeal", s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(other), key...),
			http.StatusConflict, "idempotency_mismatch")
		var a appealweb.AppealJSON
		first.json(t, &a)
		if a.State != appeal.Submitted || a.Version != 1 || first.header.Get("Location") != fmt.Sprintf("/api/v1/appeals/%d", a.ID) {
			t.Fatalf("created %+v at %q", a, first.header.Get("Location"))
		}
		var l core.List[appealweb.AppealRowJSON]
		s.as(t, "enterprise", "GET", "/api/v1/appeals?queue=all&q="+url.QueryEscape(in.Title), nil).json(t, &l)
		if l.Total != 1 || l.Items[0].ID != a.ID {
			t.Fatalf("the enterprise's appeals titled %q: %d, want exactly the one created", in.Title, l.Total)
		}
		id := a.ID
		path := fmt.Sprintf("/api/v1/appeals/%d", id)

		// Triage: out of scope is not found; a stale or missing version is refused.
		wantError(t, "GET as a department not dispatched to", s.as(t, "dept_market", "GET", path, nil), http.StatusNotFound, "not_found")
		wantError(t, "accept as a department", s.act(t, "dept_market", id, appeal.Accept, appealweb.ActionInput{}), http.StatusNotFound, "not_found")
		wantError(t, "accept as the enterprise", s.act(t, "enterprise", id, appeal.Accept, appealweb.ActionInput{}), http.StatusForbidden, "not_your_step")
		wantError(t, "accept on a stale version", s.act(t, "community", id, appeal.Accept, appealweb.ActionInput{Version: a.Version + 5}),
			http.StatusConflict, "stale_version")
		res := s.as(t, "community", "POST", path+"/actions/accept", jsonBody(map[string]any{}))
		wantError(t, "accept without a version", res, http.StatusUnprocessableEntity, "")
		var e core.ErrorBody
		res.json(t, &e)
		if e.Error.Fields["version"] == "" {
			t.Errorf("accept without a version: fields %v, want version", e.Error.Fields)
		}
		v := s.step(t, "community", id, appeal.Accept, appealweb.ActionInput{}, appeal.Accepted)
		if !slices.Contains(v.Actions, appeal.Dispatch) || v.Version != 2 {
			t.Fatalf("after accept: actions %v, version %d", v.Actions, v.Version)
		}
		// Two overseers urging on the same version: one wins, the other is told the appeal moved.
		stale := v.Version
		s.step(t, "community", id, appeal.Urge, appealweb.ActionInput{Version: stale}, appeal.Accepted)
		wantError(t, "urge on the version before", s.act(t, "street_leader", id, appeal.Urge, appealweb.ActionInput{Version: stale}),
			http.StatusConflict, "stale_version")

		// Whistle to two departments; the lead returns it; the community whistles again.
		s.step(t, "community", id, appeal.Dispatch, appealweb.ActionInput{Lead: dept["hrss"], Assists: []int64{dept["tax"]},
			Note: "请人社局牵头对接用工"}, appeal.Dispatched)
		wantError(t, "return without a reason", s.act(t, "dept_hrss", id, appeal.Return, appealweb.ActionInput{}), http.StatusUnprocessableEntity, "")
		s.step(t, "dept_hrss", id, appeal.Return, appealweb.ActionInput{Note: "属工会职责范围"}, appeal.Accepted)
		s.step(t, "community", id, appeal.Dispatch, appealweb.ActionInput{Lead: dept["union"], Assists: []int64{dept["tax"]}}, appeal.Dispatched)
		wantError(t, "sign by a department not dispatched to", s.act(t, "dept_market", id, appeal.Sign, appealweb.ActionInput{}),
			http.StatusNotFound, "not_found")
		s.step(t, "dept_tax", id, appeal.Sign, appealweb.ActionInput{}, appeal.Dispatched)
		v = s.step(t, "dept_union", id, appeal.Sign, appealweb.ActionInput{}, appeal.Handling)

		// An extension asked before the deadline and approved by the street.
		var leadDue time.Time
		for _, d := range v.Dispatches {
			if d.Active && d.Role == appeal.PartyLead {
				leadDue = d.Due
			}
		}
		wantError(t, "extension with a bad date", s.act(t, "dept_union", id, appeal.RequestExtension,
			appealweb.ActionInput{Note: "需协调", Due: "next week"}), http.StatusUnprocessableEntity, "")
		proposed := leadDue.Add(72 * time.Hour).Truncate(time.Second)
		s.step(t, "dept_union", id, appeal.RequestExtension, appealweb.ActionInput{Note: "需协调多家劳务公司",
			Due: proposed.Format(time.RFC3339)}, appeal.Handling)
		v = s.appealView(t, "street_leader", id)
		if len(v.Extensions) != 1 || v.Extensions[0].Status != "pending" {
			t.Fatalf("extensions %+v", v.Extensions)
		}
		v = s.step(t, "street_leader", id, appeal.DecideExtension, appealweb.ActionInput{ExtensionID: v.Extensions[0].ID, Approve: true}, appeal.Handling)
		for _, d := range v.Dispatches {
			if d.Active && d.Role == appeal.PartyLead && !d.Due.Equal(proposed) {
				t.Errorf("lead due %v after the extension, want %v", d.Due, proposed)
			}
		}

		// The assisting department answers the lead, which then replies.
		wantError(t, "reply before the assisting answer", s.act(t, "dept_union", id, appeal.Reply,
			appealweb.ActionInput{Result: appeal.Solved, Note: "已对接"}), http.StatusUnprocessableEntity, "assists_pending")
		s.step(t, "dept_tax", id, appeal.AssistReply, appealweb.ActionInput{Note: "招用重点群体可享受税费减免"}, appeal.Handling)
		s.step(t, "dept_union", id, appeal.Reply, appealweb.ActionInput{Result: appeal.Solved, Note: "已对接 3 家劳务公司"}, appeal.Replied)

		// 不满意 twice: redo, then joint handling.
		wantError(t, "不满意 without a reason", s.act(t, "enterprise", id, appeal.Rate, appealweb.ActionInput{Rating: appeal.Unsatisfied}),
			http.StatusUnprocessableEntity, "")
		v = s.step(t, "enterprise", id, appeal.Rate, appealweb.ActionInput{Rating: appeal.Unsatisfied, Note: "人员仍未到岗"}, appeal.Handling)
		if v.RedoCount != 1 {
			t.Errorf("redo count %d after 不满意, want 1", v.RedoCount)
		}
		s.step(t, "dept_union", id, appeal.Reply, appealweb.ActionInput{Result: appeal.Solved, Note: "已安排 20 人面试"}, appeal.Replied)
		s.step(t, "enterprise", id, appeal.Rate, appealweb.ActionInput{Rating: appeal.Unsatisfied, Note: "质检岗位仍缺"}, appeal.Joint)

		// Joint handling: convened by the street, each department reports in and does its part.
		wantError(t, "joint handling raised by the community", s.act(t, "community", id, appeal.RaiseJoint,
			appealweb.ActionInput{Departments: []int64{dept["hrss"]}}), http.StatusForbidden, "")
		s.step(t, "street_leader", id, appeal.RaiseJoint, appealweb.ActionInput{Departments: []int64{dept["hrss"], dept["union"]},
			Note: "组团破难，专场招聘"}, appeal.Joint)
		s.step(t, "dept_hrss", id, appeal.JointCheckIn, appealweb.ActionInput{}, appeal.Joint)
		s.step(t, "dept_hrss", id, appeal.JointPart, appealweb.ActionInput{Note: "组织专场招聘会"}, appeal.Joint)
		wantError(t, "confirm with a part still open", s.act(t, "enterprise", id, appeal.Confirm, appealweb.ActionInput{Rating: appeal.Satisfied}),
			http.StatusUnprocessableEntity, "joint_open")
		s.step(t, "dept_union", id, appeal.JointCheckIn, appealweb.ActionInput{}, appeal.Joint)
		s.step(t, "dept_union", id, appeal.JointPart, appealweb.ActionInput{Note: "协调共享员工 10 名"}, appeal.Joint)
		v = s.step(t, "enterprise", id, appeal.Confirm, appealweb.ActionInput{Rating: appeal.Satisfied, Note: "问题已解决"}, appeal.Closed)
		if len(v.Actions) != 0 || v.ClosedAt.IsZero() {
			t.Errorf("closed: actions %v, closed at %v", v.Actions, v.ClosedAt)
		}

		// The enterprise's view holds the public timeline only, without the
		// administration's own notes; the community's holds everything.
		pub := s.appealView(t, "enterprise", id)
		full := s.appealView(t, "community", id)
		if len(pub.Timeline) >= len(full.Timeline) {
			t.Errorf("the enterprise sees %d timeline lines, the community %d", len(pub.Timeline), len(full.Timeline))
		}
		for _, ev := range pub.Timeline {
			if !ev.Public || ev.Detail != nil || ev.ActorID != 0 {
				t.Errorf("the enterprise sees %+v", ev)
			}
		}
		reports := map[string]bool{}
		for _, d := range pub.Dispatches {
			if d.Reason != "" || d.Instruction != "" || d.Role != appeal.PartyJoint && d.Answer != "" {
				t.Errorf("the enterprise sees a department's internals: %+v", d)
			}
			if d.Role == appeal.PartyJoint {
				reports[d.Answer] = true
			}
		}
		// And it sees what each department of the joint handling did: that
		// is what it confirmed.
		for _, want := range []string{"组织专场招聘会", "协调共享员工 10 名"} {
			if !reports[want] {
				t.Errorf("the enterprise does not see the joint part %q it confirmed: %v", want, reports)
			}
		}
		actions := map[string]int{}
		for _, ev := range full.Timeline {
			actions[ev.Action]++
		}
		for action, n := range map[string]int{"create": 1, "accept": 1, "dispatch": 2, "return": 1, "sign": 2, "request_extension": 1,
			"decide_extension": 1, "assist_reply": 1, "reply": 2, "rate": 2, "raise_joint": 1, "joint_check_in": 2, "joint_part": 2, "confirm": 1} {
			if actions[action] != n {
				t.Errorf("timeline has %d %s, want %d", actions[action], action, n)
			}
		}
	})
}

var (
	keyField   = regexp.MustCompile(`name="key" value="([^"]+)"`)
	actionForm = regexp.MustCompile(`action="/appeals/(\d+)/actions/([a-z_]+)"`)
)

// forms returns the steps the appeal page offers username as forms.
func (s *site) forms(t testing.TB, username string, id int64) []appeal.Action {
	t.Helper()
	res := s.as(t, username, "GET", fmt.Sprintf("/appeals/%d", id), nil)
	if res.code != http.StatusOK {
		t.Fatalf("GET /appeals/%d as %s: %d", id, username, res.code)
	}
	var out []appeal.Action
	for _, m := range actionForm.FindAllSubmatch(res.body, -1) {
		if string(m[1]) != fmt.Sprint(id) {
			t.Errorf("the page of appeal %d has a form for appeal %s", id, m[1])
		}
		if a := appeal.Action(m[2]); !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// checkForms checks that the page offers username a form for exactly the
// steps the store says username may take now (an extension decision only
// when one is pending).
func (s *site) checkForms(t testing.TB, username string, id int64) []appeal.Action {
	t.Helper()
	v := s.appealView(t, username, id)
	pending := slices.ContainsFunc(v.Extensions, func(x appealweb.ExtensionJSON) bool { return x.Status == "pending" })
	var want []appeal.Action
	for _, a := range v.Actions {
		if a != appeal.DecideExtension || pending {
			want = append(want, a)
		}
	}
	got := s.forms(t, username, id)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("appeal page in state %s offers %s forms %v, want %v", v.State, username, got, want)
	}
	return got
}

// TestAppealPages walks an appeal through the pages: the enterprise's form
// (a double submit raises one appeal), forms for exactly the steps each
// user may take, refusals shown on the page (a cross-site post, a stale
// version, a missing reason), and the enterprise's view without the
// administration's internal notes.
func TestAppealPages(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		// The enterprise's form carries a key: submitting it twice raises one appeal.
		res := s.as(t, "enterprise", "GET", "/appeals/new", nil)
		m := keyField.FindSubmatch(res.body)
		if res.code != http.StatusOK || m == nil {
			t.Fatalf("GET /appeals/new: %d, key %q", res.code, m)
		}
		if !bytes.Contains(res.body, []byte(`value="13`)) {
			t.Errorf("the enterprise's form does not offer its user's phone")
		}
		in := appealInput("注塑工短缺")
		form := url.Values{"key": {string(m[1])}, "type": {"help"}, "category": {in.Category}, "urgency": {"urgent"},
			"title": {in.Title}, "content": {in.Content}, "contact": {in.Contact}, "phone": {in.Phone}}
		r1 := s.as(t, "enterprise", "POST", "/appeals", formBody(form))
		r2 := s.as(t, "enterprise", "POST", "/appeals", formBody(form))
		loc := r1.header.Get("Location")
		if r1.code != http.StatusSeeOther || r2.code != http.StatusSeeOther || loc == "" || r2.header.Get("Location") != loc {
			t.Fatalf("double submit: %d %q, %d %q", r1.code, loc, r2.code, r2.header.Get("Location"))
		}
		var l core.List[appealweb.AppealRowJSON]
		s.as(t, "enterprise", "GET", "/api/v1/appeals?queue=all&q="+url.QueryEscape(in.Title), nil).json(t, &l)
		if l.Total != 1 {
			t.Fatalf("a double submit raised %d appeals", l.Total)
		}
		id := l.Items[0].ID
		page := fmt.Sprintf("/appeals/%d", id)
		bad := form
		bad.Set("key", "another")
		bad.Set("title", "")
		if res := s.as(t, "enterprise", "POST", "/appeals", formBody(bad)); res.code != http.StatusUnprocessableEntity ||
			!bytes.Contains(res.body, []byte("fielderr")) {
			t.Errorf("a form without a title: %d, want 422 with the field's message", res.code)
		}

		// Forms for exactly the steps each may take.
		if got := s.checkForms(t, "community", id); !slices.Contains(got, appeal.Accept) {
			t.Errorf("the community is not offered to accept a new appeal: %v", got)
		}
		s.checkForms(t, "grid", id)
		s.checkForms(t, "street_leader", id)
		if got := s.checkForms(t, "enterprise", id); len(got) != 0 {
			t.Errorf("the enterprise is offered %v on its new appeal", got)
		}
		if res := s.as(t, "dept_tax", "GET", page, nil); res.code != http.StatusNotFound {
			t.Errorf("GET %s as a department not dispatched to: %d, want 404", page, res.code)
		}

		// A post another site makes a browser send is refused and changes nothing.
		version := s.appealView(t, "admin", id).Version
		accept := formBody(url.Values{"version": {fmt.Sprint(version)}})
		for _, h := range hostile {
			if res := s.as(t, "community", "POST", page+"/actions/accept", accept, h...); res.code != http.StatusForbidden {
				t.Errorf("cross-site accept (%s): %d, want 403", h[0], res.code)
			}
		}
		if v := s.appealView(t, "admin", id); v.Version != version || v.State != appeal.Submitted {
			t.Fatalf("refused posts changed the appeal: version %d, state %s", v.Version, v.State)
		}
		if res := s.as(t, "community", "POST", page+"/actions/accept", accept, sameOrigin...); res.code != http.StatusSeeOther ||
			res.header.Get("Location") != page {
			t.Fatalf("accept: %d to %q", res.code, res.header.Get("Location"))
		}

		// The same form again: someone else changed the appeal first.
		res = s.as(t, "community", "POST", page+"/actions/note", formBody(url.Values{"version": {fmt.Sprint(version)}, "note": {"过期的备注"}}))
		if res.code != http.StatusConflict || !bytes.Contains(res.body, []byte(translate("zh", "ap.stale"))) ||
			!bytes.Contains(res.body, []byte("过期的备注")) {
			t.Errorf("note on a stale version: %d, want 409 with the message and the typed note kept", res.code)
		}
		// A request for information without saying what: the form again, with its message.
		res = s.as(t, "community", "POST", page+"/actions/request_info", formBody(url.Values{"version": {fmt.Sprint(version + 1)}}))
		if res.code != http.StatusUnprocessableEntity || !bytes.Contains(res.body, []byte(`id="act-request_info"`)) ||
			!bytes.Contains(res.body, []byte("fielderr")) {
			t.Errorf("request_info without a note: %d, want 422 with the field's message", res.code)
		}

		// Notes: the enterprise sees the public one, not the internal one.
		for _, n := range []url.Values{{"note": {"内部备注：企业负责人态度消极"}}, {"note": {"公开进展：已联系人社局"}, "public": {"1"}}} {
			n.Set("version", fmt.Sprint(s.appealView(t, "admin", id).Version))
			if res := s.as(t, "community", "POST", page+"/actions/note", formBody(n)); res.code != http.StatusSeeOther {
				t.Fatalf("note: %d %.300s", res.code, res.body)
			}
		}
		ent := s.as(t, "enterprise", "GET", page, nil)
		com := s.as(t, "community", "GET", page, nil)
		if bytes.Contains(ent.body, []byte("内部备注")) || !bytes.Contains(ent.body, []byte("公开进展")) {
			t.Errorf("the enterprise's page: internal note shown %v, public note shown %v",
				bytes.Contains(ent.body, []byte("内部备注")), bytes.Contains(ent.body, []byte("公开进展")))
		}
		if !bytes.Contains(com.body, []byte("内部备注")) || !bytes.Contains(com.body, []byte("公开进展")) {
			t.Errorf("the community's page lacks a note")
		}

		// The dispatch form suggests the category's departments first.
		forms := s.checkForms(t, "community", id)
		if !slices.Contains(forms, appeal.Dispatch) {
			t.Fatalf("no dispatch form for an accepted appeal: %v", forms)
		}
		i := bytes.Index(com.body, []byte(`id="act-dispatch"`))
		if i < 0 || !bytes.Contains(com.body[i:], []byte("人力社保局（"+translate("zh", "ap.suggested")+"）")) {
			t.Errorf("the dispatch form does not suggest 人力社保局 for a recruiting appeal")
		}

		// Dispatched through the page: the lead department's forms.
		dept := s.deptIDs(t)
		d := url.Values{"version": {fmt.Sprint(s.appealView(t, "admin", id).Version)}, "lead": {fmt.Sprint(dept["tax"])},
			"assists": {fmt.Sprint(dept["market"])}, "due": {time.Now().AddDate(0, 0, 10).Format(time.DateOnly)}, "note": {"请核实"}}
		if res := s.as(t, "community", "POST", page+"/actions/dispatch", formBody(d)); res.code != http.StatusSeeOther {
			t.Fatalf("dispatch: %d %.400s", res.code, res.body)
		}
		if got := s.checkForms(t, "dept_tax", id); !slices.Contains(got, appeal.Sign) || !slices.Contains(got, appeal.Return) {
			t.Errorf("the lead department is offered %v", got)
		}
		s.checkForms(t, "dept_market", id)
		s.checkForms(t, "community", id)
		s.checkForms(t, "enterprise", id)

		// The inbox counts what is new; marking all read clears the badge.
		home := s.as(t, "dept_tax", "GET", "/inbox", nil)
		if home.code != http.StatusOK || !bytes.Contains(home.body, []byte(`id="unread"`)) ||
			!bytes.Contains(home.body, []byte(fmt.Sprintf(`href="/appeals/%d"`, id))) {
			t.Errorf("the department's inbox: %d, without the dispatch or the unread badge", home.code)
		}
		if res := s.as(t, "dept_tax", "POST", "/inbox/read", nil); res.code != http.StatusSeeOther {
			t.Errorf("mark all read: %d", res.code)
		}
		var box inboxJSON
		s.as(t, "dept_tax", "GET", "/api/v1/inbox", nil).json(t, &box)
		if box.Unread != 0 {
			t.Errorf("after marking all read: %d unread", box.Unread)
		}
	})
}

// TestAppealLists checks the queues: a new appeal is in its community's
// triage queue with a traffic light in colour and words, and the home page
// counts it.
func TestAppealLists(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		a := s.raise(t, "排队检查")
		res := s.as(t, "community", "GET", "/appeals?q="+url.QueryEscape(a.Title), nil)
		if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(fmt.Sprintf(`href="/appeals/%d"`, a.ID))) {
			t.Fatalf("the community's triage queue: %d, without the new appeal", res.code)
		}
		if !bytes.Contains(res.body, []byte(`class="light green"`)) || !bytes.Contains(res.body, []byte(translate("zh", "colour.green"))) {
			t.Errorf("the triage queue shows no green light in words")
		}
		var l core.List[appealweb.AppealRowJSON]
		s.as(t, "community", "GET", "/api/v1/appeals?queue=triage&q="+url.QueryEscape(a.Title), nil).json(t, &l)
		if l.Total != 1 || l.Items[0].Colour != appeal.Green || l.Items[0].Due.IsZero() {
			t.Errorf("API triage queue: %+v", l)
		}
		if res := s.as(t, "community", "GET", "/api/v1/appeals?queue=nonsense", nil); res.code != http.StatusUnprocessableEntity {
			t.Errorf("unknown queue: %d, want 422", res.code)
		}
		home := s.as(t, "community", "GET", "/", nil)
		if !bytes.Contains(home.body, []byte(`id="queue-triage"`)) {
			t.Errorf("the community's home page has no triage count")
		}
		home = s.as(t, "dept_tax", "GET", "/", nil)
		if !bytes.Contains(home.body, []byte(`id="queue-to_sign"`)) {
			t.Errorf("the department's home page has no to-sign count")
		}
		// The enterprise's list is its own.
		res = s.as(t, "enterprise", "GET", "/appeals", nil)
		if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(translate("zh", "nav.myappeals"))) {
			t.Errorf("the enterprise's list: %d", res.code)
		}
	})
}

// TestAssessmentPages checks the leaders' overview and assessment table,
// the ranking links and the Excel export.
func TestAssessmentPages(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		s.raise(t, "总览检查")
		res := s.as(t, "street_leader", "GET", "/overview", nil)
		if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(`<svg class="chart"`)) || !bytes.Contains(res.body, []byte(`id="as-of"`)) {
			t.Errorf("overview: %d, without the chart or the time of its figures", res.code)
		}
		var o map[string]any
		s.as(t, "street_leader", "GET", "/api/v1/overview", nil).json(t, &o)
		if n, _ := o["received"].(float64); n < 1 {
			t.Errorf("overview API: received %v", o["received"])
		}
		// A period that holds the raised appeal's first deadline, whatever
		// the time of day the test runs at.
		today := time.Now().In(calendar.Shanghai)
		period := "&from=" + today.AddDate(0, 0, -29).Format(time.DateOnly) + "&to=" + today.AddDate(0, 0, 10).Format(time.DateOnly)
		res = s.as(t, "street_leader", "GET", "/assessment?dimension=community&rank_by=satisfaction"+period, nil)
		if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(`id="rank-satisfaction"`)) || !bytes.Contains(res.body, []byte(`id="as-of"`)) {
			t.Errorf("assessment: %d, without its table or the time of its figures", res.code)
		}
		if res := s.as(t, "street_leader", "GET", "/api/v1/assessment?rank_by=nonsense", nil); res.code != http.StatusUnprocessableEntity {
			t.Errorf("unknown ranking: %d, want 422", res.code)
		}
		var as struct {
			AsOf  time.Time `json:"as_of"`
			Items []any     `json:"items"`
		}
		if res := s.as(t, "street_leader", "GET", "/api/v1/assessment?dimension=department&rank_by=response&basic_weight=1", nil); res.code != http.StatusOK {
			t.Errorf("assessment API: %d %s", res.code, res.body)
		} else if res.json(t, &as); as.AsOf.IsZero() {
			t.Errorf("assessment API without as_of: %s", res.body)
		}
		res = s.as(t, "street_leader", "GET", "/assessment/export.xlsx?dimension=department", nil)
		if res.code != http.StatusOK || !strings.Contains(res.header.Get("Content-Type"), "spreadsheetml") || !bytes.HasPrefix(res.body, []byte("PK")) {
			t.Errorf("export: %d %q", res.code, res.header.Get("Content-Type"))
		}
	})
}

// TestAttachments checks files on an appeal: checked on their content,
// listed on the page, given only to those who see the appeal.
func TestAttachments(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		a := s.raise(t, "附件检查")
		page := fmt.Sprintf("/appeals/%d", a.ID)
		res := s.as(t, "enterprise", "POST", page+"/attachments", fileBody("营业执照.png", pngBytes))
		if res.code != http.StatusSeeOther {
			t.Fatalf("attach from the page: %d %.300s", res.code, res.body)
		}
		v := s.appealView(t, "community", a.ID)
		if len(v.Attachments) != 1 || v.Attachments[0].Name != "营业执照.png" || v.Attachments[0].MIME != "image/png" {
			t.Fatalf("attachments %+v", v.Attachments)
		}
		got := s.as(t, "community", "GET", v.Attachments[0].URL, nil)
		if got.code != http.StatusOK || !bytes.Equal(got.body, pngBytes) || got.header.Get("Content-Type") != "image/png" ||
			!strings.HasPrefix(got.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: %d %q %q", got.code, got.header.Get("Content-Type"), got.header.Get("Content-Disposition"))
		}
		if res := s.as(t, "dept_market", "GET", v.Attachments[0].URL, nil); res.code != http.StatusNotFound {
			t.Errorf("download by a department not dispatched to: %d, want 404", res.code)
		}
		if page := s.as(t, "enterprise", "GET", page, nil); !bytes.Contains(page.body, []byte(fmt.Sprintf(`href="/attachments/%d"`, v.Attachments[0].ID))) {
			t.Errorf("the appeal page does not list the file")
		}
		// A script named as an image is refused on its content.
		res = s.as(t, "enterprise", "POST", page+"/attachments", fileBody("照片.png", []byte("<script>alert(1)</script>")))
		if res.code != http.StatusUnprocessableEntity || !bytes.Contains(res.body, []byte(`id="message"`)) {
			t.Errorf("a script as an image: %d, want 422 with the message", res.code)
		}
		wantError(t, "API upload without a file", s.as(t, "enterprise", "POST", "/api/v1"+page+"/attachments", jsonBody(map[string]string{})),
			http.StatusUnprocessableEntity, "invalid_input")
		if n := len(s.appealView(t, "community", a.ID).Attachments); n != 1 {
			t.Errorf("refused uploads left %d attachments, want 1", n)
		}
	})
}
