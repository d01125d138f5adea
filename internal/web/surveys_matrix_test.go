package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
)

// The access matrix's oracle of forms, campaigns and filling, read off the
// permission table and the rules of the module's store (a form and a
// campaign belong to their sender: its region, or its department; a
// campaign is followed by those with a member in their reach), with the
// dataset, independently of the store's SQL.

// surveyMatrix is what the matrix's cases of the module work on: a form
// and a campaign sent by the showcase community to the showcase grid
// (sendSurvey), which the probes that change nothing share; the probes
// that change a campaign or answer it send a fresh one each.
type surveyMatrix struct {
	t          *testing.T
	s          *site
	formID     int64
	campaignID int64
	fileID     int64 // a photo of the showcase enterprise on the campaign
}

func newSurveyMatrix(t *testing.T, s *site) *surveyMatrix {
	t.Helper()
	m := &surveyMatrix{t: t, s: s}
	m.formID, m.campaignID = s.sendSurvey(t)
	m.fileID = s.uploadSurveyFile(t, m.campaignID, s.entID(t, demoAccount("enterprise").EnterpriseCode))
	return m
}

// surveySender is who sendSurvey sends as: the form's owner and the
// campaign's sender, of the showcase community and of no department.
var surveySender = demoAccount("community")

// member reports whether e is on the list of a campaign sent by
// sendSurvey: the showcase grid's enterprises.
func member(e enterprise.Enterprise) bool { return e.GridCode == showGrid }

// members are the dataset's enterprises on sendSurvey's list.
func members() []enterprise.Enterprise {
	var out []enterprise.Enterprise
	for _, e := range dataset.Enterprises {
		if member(e) {
			out = append(out, e)
		}
	}
	return out
}

// usesSent reports whether the account may use (read, edit, send) the
// form sendSurvey makes, or run (remind, close, change the list of) the
// campaign it sends: both belong to the sender's region and to no
// department. Its owner, an administrator, a regional sender whose region
// is the sender's or above it; a department only its own (none here).
func usesSent(sc scope) bool {
	u := sc.user
	if !access.May(u.Role, access.CampaignRun) {
		return false
	}
	if u.Username == surveySender.Username {
		return true
	}
	switch access.ReachOf(u.Role, access.CampaignRun) {
	case access.All:
		return true
	case access.Region:
		return sc.region != "" && ancestors(surveySender.RegionCode)[sc.region]
	}
	return false // Dispatched: the department's own forms and campaigns; sendSurvey's has none
}

// formWant is the status of a signed-in route on sendSurvey's form: ok for
// those who may use it; not found for everyone else, who cannot see it (a
// form is seen through CampaignRun only).
func formWant(sc scope, ok int) int {
	if usesSent(sc) {
		return ok
	}
	return http.StatusNotFound
}

// followsSent reports whether the account may read a campaign sent by
// sendSurvey: an administrator any; a department its department's (none
// here); any other role with the action the ones it sent and those with a
// member in its reach.
func followsSent(sc scope) bool {
	switch access.ReachOf(sc.user.Role, access.CampaignRead) {
	case access.All:
		return true
	case access.None, access.Dispatched:
		return false
	}
	if sc.user.Username == surveySender.Username {
		return true
	}
	for _, e := range members() {
		if sc.allows(access.CampaignRead, e) {
			return true
		}
	}
	return false
}

// readWant is the status of reading a campaign sent by sendSurvey.
func readWant(sc scope, ok int) int {
	if followsSent(sc) {
		return ok
	}
	return http.StatusNotFound
}

// runWant is the status of running a campaign sent by sendSurvey: not
// found when the account cannot read it, refused when it reads it but may
// not run it.
func runWant(sc scope, ok int) int {
	switch {
	case !followsSent(sc):
		return http.StatusNotFound
	case !usesSent(sc):
		return http.StatusForbidden
	}
	return ok
}

// fillsFor is the enterprise an account fills sendSurvey's campaigns for:
// an enterprise account its own; staff a member it may fill for, else a
// member it reads (to be refused), else the showcase enterprise (a member
// it does not see).
func fillsFor(sc scope) enterprise.Enterprise {
	if sc.user.Role == access.RoleEnterprise {
		return byCode[sc.user.EnterpriseCode]
	}
	for _, action := range []access.Action{access.FormFill, access.EnterpriseRead} {
		for _, e := range members() {
			if sc.allows(action, e) {
				return e
			}
		}
	}
	return byCode[demoAccount("enterprise").EnterpriseCode]
}

// fillWant is the status of filling a campaign sent by sendSurvey for the
// enterprise the account fills for: it may fill for it, else 403 when it
// reads it and 404 when it does not; then the enterprise must be on the
// campaign's list.
func fillWant(sc scope, ok int) int {
	e := fillsFor(sc)
	if want := sc.want(access.FormFill, e, ok); want != ok {
		return want
	}
	if !member(e) {
		return http.StatusNotFound
	}
	return ok
}

// surveysWant is the status of listing the forms sent to the enterprise
// the account fills for: it may fill for it, else 403 or 404.
func surveysWant(sc scope, ok int) int { return sc.want(access.FormFill, fillsFor(sc), ok) }

// fresh sends a campaign of its own for a probe that changes it.
func (m *surveyMatrix) fresh() int64 {
	_, id := m.s.sendSurvey(m.t)
	return id
}

// campaignVersion reads a campaign's version as the administrator.
func (m *surveyMatrix) campaignVersion(id int64) int64 {
	m.t.Helper()
	res := m.s.as(m.t, "admin", "GET", fmt.Sprintf("/api/v1/campaigns/%d", id), nil)
	var c struct {
		Version int64 `json:"version"`
	}
	res.json(m.t, &c)
	if res.code != http.StatusOK || c.Version == 0 {
		m.t.Fatalf("read campaign %d: %d %s", id, res.code, res.body)
	}
	return c.Version
}

// form reads the shared form's definition and version as the administrator.
func (m *surveyMatrix) form() (json.RawMessage, int64) {
	m.t.Helper()
	res := m.s.as(m.t, "admin", "GET", fmt.Sprintf("/api/v1/forms/%d", m.formID), nil)
	var f struct {
		Version    int64           `json:"version"`
		Definition json.RawMessage `json:"definition"`
	}
	res.json(m.t, &f)
	if res.code != http.StatusOK || f.Version == 0 {
		m.t.Fatalf("read form %d: %d %s", m.formID, res.code, res.body)
	}
	return f.Definition, f.Version
}

// newcomer is an enterprise to add to a campaign sent by sendSurvey: one
// off its list that the account reads, else any off its list.
func newcomer(sc scope) enterprise.Enterprise {
	if e, ok := pick(func(e enterprise.Enterprise) bool { return !member(e) && sc.allows(access.EnterpriseRead, e) }); ok {
		return e
	}
	e, _ := pick(func(e enterprise.Enterprise) bool { return !member(e) })
	return e
}

// The probes of the module's routes.

// formPath is the shared form's path under prefix ("" or "/api/v1").
func (m *surveyMatrix) formPath(prefix string) string {
	return fmt.Sprintf("%s/forms/%d", prefix, m.formID)
}

// buildStep is a step of the builder on a new form: a section added to
// surveyForm's definition. It saves nothing, so every account may take it
// again; the builder is the senders' (CampaignRun).
func buildStep() *body {
	def, err := json.Marshal(surveyForm["definition"])
	if err != nil {
		panic(err)
	}
	return formBody(url.Values{"op": {"add_section"}, "definition": {string(def)}, "title_zh": {"用工需求排摸"},
		"title_en": {"Labour needs"}, "sec_zh": {"矩阵"}})
}

// saveForm is the API's change of the shared form at its current version.
func (m *surveyMatrix) saveForm(u demo.User) *body {
	def, version := m.form()
	var d map[string]any
	if err := json.Unmarshal(def, &d); err != nil {
		m.t.Fatal(err)
	}
	d["intro_zh"] = "矩阵：" + u.Username
	return jsonBody(map[string]any{"definition": d, "version": version})
}

// sendForm is the send page's form starting a campaign to the showcase grid.
func (m *surveyMatrix) sendForm() *body {
	return formBody(url.Values{"op": {"send"}, "title": {"矩阵排摸"}, "due": {m.s.dueAhead(m.t, 5)}, "regions": {showGrid}})
}

// sendJSON is the API's campaign to the showcase grid.
func (m *surveyMatrix) sendJSON() *body {
	return jsonBody(map[string]any{"title": "矩阵排摸", "due": m.s.dueAhead(m.t, 5), "audience": map[string]any{"regions": []string{showGrid}}})
}

// campaignPath is the path of campaign id under prefix.
func campaignPath(prefix string, id int64) string { return fmt.Sprintf("%s/campaigns/%d", prefix, id) }

// answers is a valid submission of surveyForm: not short of workers, so
// the gap is not asked.
var answers = map[string]string{"employees": "64", "short": "no"}

// fillQuery is the query naming the enterprise staff fill for ("" for an
// enterprise's own account).
func (m *surveyMatrix) fillQuery(sc scope) string {
	if sc.user.Role == access.RoleEnterprise {
		return ""
	}
	return fmt.Sprintf("?enterprise=%d", m.s.entID(m.t, fillsFor(sc).CreditCode))
}

// fillForm is the fill page's submission of the answers.
func (m *surveyMatrix) fillForm(sc scope) *body {
	v := url.Values{"op": {"submit"}, "key": {fmt.Sprintf("matrix-%d", codeSeq.Add(1))}}
	for k, a := range answers {
		v.Set(k, a)
	}
	if sc.user.Role != access.RoleEnterprise {
		v.Set("enterprise", fmt.Sprint(m.s.entID(m.t, fillsFor(sc).CreditCode)))
	}
	return formBody(v)
}

// answersJSON is the API's answers for the enterprise the account fills for.
func (m *surveyMatrix) answersJSON(sc scope) *body {
	in := map[string]any{"answers": answers}
	if sc.user.Role != access.RoleEnterprise {
		in["enterprise_id"] = m.s.entID(m.t, fillsFor(sc).CreditCode)
	}
	return jsonBody(in)
}

// fileWant is the status of downloading the photo of the showcase
// enterprise on sendSurvey's campaign: whoever may fill for it, or follows
// the campaign with the enterprise in reach; no one else sees it.
func fileWant(sc scope, ok int) int {
	showE := byCode[demoAccount("enterprise").EnterpriseCode]
	if sc.allows(access.FormFill, showE) {
		return ok
	}
	if followsSent(sc) && (access.ReachOf(sc.user.Role, access.CampaignRead) == access.All || sc.allows(access.CampaignRead, showE)) {
		return ok
	}
	return http.StatusNotFound
}
