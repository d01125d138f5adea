package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
)

// The access matrix's oracle of checklists, resumption and status reports,
// read off the permission table (ResumeRead, ResumeReport, ResumeCheck,
// ResumeDecide; CampaignRun for starting and steering a campaign,
// DepartmentManage for the powers to inspect, AppealCreate for raising a
// finding as an appeal) and the module's rules, with the dataset,
// independently of its SQL:
//
//   - a campaign is read by the one who started it and by those who read
//     an enterprise on its list; its rates, members, reports and
//     exceptions count only those in the reader's reach; out of reach it
//     is not found;
//   - a report, an application, a check, a finding and a flag are read as
//     their enterprise is (ResumeRead); a block as its firm or its supplier
//     is; a department also reads the rectifications it ordered;
//   - an enterprise's part (its report, its application) is taken by those
//     who may report for it (ResumeReport), an on-site check and its
//     follow-up (a finding closed, a flag checked, a supplier helped) by
//     those who check it (ResumeCheck) — a rectification only by a
//     department holding the power to inspect the matter, and closed only
//     by it; the on-site check of an application by its street's leader,
//     the decision by the street or the command by size; the electricity
//     file by those who decide (ResumeDecide), row by row in their reach;
//   - a campaign's procedure is changed by those who may run it (its
//     starter, a leader above, an administrator); the powers to inspect by
//     an administrator;
//   - a role without the action at all is refused at the door of a page,
//     of a list and of a call naming its record in the body (403); one who
//     sees the record but may not take the step is refused (403); a record
//     out of reach is not found (404).
//
// A probe that would change a record the other probes read works on a
// record of its own when the account may take the step (made fresh by the
// administrator), and on the fixture's when it is refused before the store
// looks at the record's state.

// resumptionMatrix is what the matrix's cases of the module work on.
type resumptionMatrix struct {
	t    *testing.T
	s    *site
	base resumptionFix
	// used are the enterprises of the checklist campaign that applied or
	// were made to; planned those whose plan is submitted.
	used, planned map[int64]bool
	// suppliers counts the suppliers named; months the months of
	// electricity imported, each a fresh flag.
	suppliers, months int
}

// newResumptionMatrix makes the records the probes of the module work on.
func newResumptionMatrix(t *testing.T, s *site) *resumptionMatrix {
	t.Helper()
	m := &resumptionMatrix{t: t, s: s, base: s.resumptionFixture(t), used: map[int64]bool{}, planned: map[int64]bool{}}
	m.used[m.base.Enterprise], m.planned[m.base.Enterprise] = true, true
	return m
}

// rsEnt is the enterprise of the fixture's records.
var rsEnt = resumptionEnt

// rsOwn is the enterprise a page or call about "the enterprise" is for: an
// enterprise's account its own, staff the showcase enterprise.
func rsOwn(sc scope) enterprise.Enterprise {
	if sc.user.Role == access.RoleEnterprise {
		return byCode[sc.user.EnterpriseCode]
	}
	return rsEnt
}

// readsCampaign reports whether the account reads a campaign of the street
// started by owner: the owner, and those who read an enterprise of its list.
func readsCampaign(sc scope, owner, street string) bool {
	if access.ReachOf(sc.user.Role, access.ResumeRead) == access.None {
		return false
	}
	if sc.user.Username == owner {
		return true
	}
	_, ok := pick(func(e enterprise.Enterprise) bool { return e.StreetCode == street && sc.allows(access.ResumeRead, e) })
	return ok
}

// rsCampaignWant is a call on one of the fixture's campaigns (both the
// showcase street leader's, of its street).
func rsCampaignWant(sc scope, ok int) int {
	if readsCampaign(sc, "street_leader", showStreet) {
		return ok
	}
	return http.StatusNotFound
}

// rsGated is a page or list refused at the door without the action.
func rsGated(u demo.User, action access.Action, want int) int {
	if !access.May(u.Role, action) {
		return http.StatusForbidden
	}
	return want
}

// rsSeen is a record of the enterprise e, read as e is.
func rsSeen(sc scope, e enterprise.Enterprise, ok int) int {
	if sc.allows(access.ResumeRead, e) {
		return ok
	}
	return http.StatusNotFound
}

// rsStep is a step on a record of the enterprise e the store looks up
// first: not found out of reach, refused to those who only read it.
func rsStep(sc scope, action access.Action, e enterprise.Enterprise, ok int) int {
	switch {
	case sc.allows(action, e):
		return ok
	case sc.allows(access.ResumeRead, e):
		return http.StatusForbidden
	}
	return http.StatusNotFound
}

// rsStartWant is starting a campaign: those who run campaigns and read the
// module.
func rsStartWant(u demo.User, ok int) int {
	if access.May(u.Role, access.CampaignRun) && access.May(u.Role, access.ResumeRead) {
		return ok
	}
	return http.StatusForbidden
}

// rsRuns reports whether the account runs the fixture's checklist
// campaign: its starter (the showcase street's leader), a leader of a
// region above the street that runs campaigns, an administrator.
func rsRuns(sc scope) bool {
	switch access.ReachOf(sc.user.Role, access.CampaignRun) {
	case access.All:
		return true
	case access.Region:
		return sc.region != "" && ancestors(showStreet)[sc.region]
	}
	return false
}

// rsModeWant is switching the checklist campaign's procedure.
func rsModeWant(sc scope, ok int) int {
	switch {
	case !readsCampaign(sc, "street_leader", showStreet):
		return http.StatusNotFound
	case rsRuns(sc):
		return ok
	}
	return http.StatusForbidden
}

// rsCrossWant is cross-checking the monitoring campaign again.
func rsCrossWant(sc scope, ok int) int {
	switch {
	case !readsCampaign(sc, "street_leader", showStreet):
		return http.StatusNotFound
	case !access.May(sc.user.Role, access.ResumeDecide):
		return http.StatusForbidden
	}
	return ok
}

// rsActWant is the on-site check of the showcase enterprise's application:
// its street's leader (or an administrator); the command, the applicant and
// the others who read it are not the party.
func rsActWant(sc scope, ok int) int {
	switch {
	case !sc.allows(access.ResumeRead, rsEnt):
		return http.StatusNotFound
	case access.ReachOf(sc.user.Role, access.ResumeDecide) == access.All,
		sc.user.Role == access.RoleStreetLeader && sc.allows(access.ResumeDecide, rsEnt):
		return ok
	}
	return http.StatusForbidden
}

// rsCheckWant is an on-site check of the showcase enterprise: a
// department's is an inspection whose rectification needs the power to
// inspect the matter (the tax bureau's alone), the others' advice.
func rsCheckWant(sc scope, ok int) int {
	want := rsStep(sc, access.ResumeCheck, rsEnt, ok)
	if want == ok && sc.user.Role == access.RoleDepartment && sc.user.DepartmentCode != resumptionKeeper {
		return http.StatusForbidden
	}
	return want
}

// rsCloseWant is closing an improvement at the showcase enterprise after a
// re-check: staff who check it (not a department: it closes only what it
// ordered), an administrator.
func rsCloseWant(sc scope, ok int) int {
	switch {
	case !sc.allows(access.ResumeRead, rsEnt):
		return http.StatusNotFound
	case access.ReachOf(sc.user.Role, access.ResumeCheck) == access.All,
		sc.user.Role != access.RoleDepartment && sc.allows(access.ResumeCheck, rsEnt):
		return ok
	}
	return http.StatusForbidden
}

// rsAppealWant is raising a finding at the showcase enterprise as its appeal.
func rsAppealWant(sc scope, ok int) int {
	switch {
	case !access.May(sc.user.Role, access.AppealCreate):
		return http.StatusForbidden
	case !sc.allows(access.ResumeRead, rsEnt):
		return http.StatusNotFound
	case sc.allows(access.AppealCreate, rsEnt):
		return ok
	}
	return http.StatusForbidden
}

// rsBlockWant is a step on a block of the showcase enterprise by a
// supplier of the second street: read by who reads either, resolved by who
// checks either.
func rsBlockWant(sc scope, supplier enterprise.Enterprise, action access.Action, ok int) int {
	switch {
	case !sc.allows(access.ResumeRead, rsEnt) && !sc.allows(access.ResumeRead, supplier):
		return http.StatusNotFound
	case sc.allows(action, rsEnt) || sc.allows(action, supplier):
		return ok
	}
	return http.StatusForbidden
}

// rsPowerWant is the power company's rows of the showcase enterprise: a
// row out of the account's reach refuses the file (422).
func rsPowerWant(sc scope, ok int) int {
	switch {
	case !access.May(sc.user.Role, access.ResumeDecide):
		return http.StatusForbidden
	case !sc.allows(access.ResumeDecide, rsEnt):
		return http.StatusUnprocessableEntity
	}
	return ok
}

// rsAdminWant is keeping the powers to inspect.
func rsAdminWant(u demo.User, ok int) int {
	if access.ReachOf(u.Role, access.DepartmentManage) == access.All {
		return ok
	}
	return http.StatusForbidden
}

// startRegion is a grid the account may send to: that of the first
// enterprise it reads.
func startRegion(sc scope) string {
	if e, ok := pick(func(e enterprise.Enterprise) bool { return sc.allows(access.EnterpriseRead, e) }); ok {
		return e.GridCode
	}
	return showGrid
}

// settings is the checklist campaign's settings version now.
func (m *resumptionMatrix) settings() int64 {
	c, err := m.s.mods.Resumption.Campaign(context.Background(), m.s.actor(m.t, "admin"), m.base.Checklist.ID)
	if err != nil {
		m.t.Fatal(err)
	}
	return c.Settings
}

// restartVersion is the showcase enterprise's application's version now.
func (m *resumptionMatrix) restartVersion() int64 {
	r, err := m.s.mods.Resumption.Restart(context.Background(), m.s.actor(m.t, "admin"), m.base.Restart.ID)
	if err != nil {
		m.t.Fatal(err)
	}
	return r.Version
}

// applicant is the enterprise the account applies for in the checklist
// campaign: an enterprise's account its own, staff who may report one of
// the street in their reach that has not applied, else the showcase one.
func (m *resumptionMatrix) applicant(sc scope) enterprise.Enterprise {
	if sc.user.Role == access.RoleEnterprise {
		return byCode[sc.user.EnterpriseCode]
	}
	if e, ok := pick(func(e enterprise.Enterprise) bool {
		return e.StreetCode == showStreet && !m.used[m.s.ents[e.CreditCode]] && sc.allows(access.ResumeReport, e)
	}); ok {
		return e
	}
	return rsEnt
}

// readyToApply makes the enterprise ready for an application that should
// succeed: its plan submitted, an application in hand withdrawn.
func (m *resumptionMatrix) readyToApply(e enterprise.Enterprise) {
	ctx, admin, id := context.Background(), m.s.actor(m.t, "admin"), m.s.entID(m.t, e.CreditCode)
	m.used[id] = true
	if !m.planned[id] {
		m.s.submitPlan(m.t, "admin", m.base.Checklist.ID, id)
		m.planned[id] = true
	}
	r, ok, err := m.s.mods.Resumption.RestartOf(ctx, admin, m.base.Checklist.ID, id)
	if err != nil {
		m.t.Fatal(err)
	}
	if ok && (r.State == resumption.Applied || r.State == resumption.Checked) {
		if _, err := m.s.mods.Resumption.ActRestart(ctx, admin, r.ID, r.Version, "withdraw", "重新申报"); err != nil {
			m.t.Fatalf("withdraw %d: %v", r.ID, err)
		}
	}
}

// freshRestart is an application awaiting its on-site check, of an
// enterprise of the street that had none, made by the administrator.
func (m *resumptionMatrix) freshRestart() resumptiondb.Restart {
	e, ok := pick(func(e enterprise.Enterprise) bool {
		return e.StreetCode == showStreet && !m.used[m.s.ents[e.CreditCode]]
	})
	if !ok {
		m.t.Fatal("no enterprise of the street left to apply")
	}
	m.readyToApply(e)
	return m.s.applyRestart(m.t, "admin", m.base.Checklist.ID, m.s.entID(m.t, e.CreditCode))
}

// freshImprovement is an open improvement at the showcase enterprise,
// agreed on a grid worker's check.
func (m *resumptionMatrix) freshImprovement() resumptiondb.Finding {
	_, fs := m.s.recordCheck(m.t, "grid", m.base.Enterprise, m.s.improvement(fmt.Sprintf("消毒记录不全%d", codeSeq.Add(1))))
	return fs[0]
}

// freshBlock is an open block of the showcase enterprise by a supplier not
// named before: its report of today corrected by the administrator.
func (m *resumptionMatrix) freshBlock() resumptiondb.Block {
	ctx, admin := context.Background(), m.s.actor(m.t, "admin")
	rs := m.s.mods.Resumption
	m.suppliers++
	sup := resumptionSuppliers[m.suppliers%len(resumptionSuppliers)]
	p, err := rs.ReportPage(ctx, admin, m.base.Monitoring.ID, m.base.Enterprise)
	if err != nil || p.This == nil {
		m.t.Fatalf("the report of today: %+v, %v", p.This, err)
	}
	r := p.This.Report
	r.BlockedBy = []string{sup.CreditCode}
	if _, _, err := rs.SubmitReport(ctx, admin, resumptiondb.ReportInput{CampaignID: m.base.Monitoring.ID, EnterpriseID: m.base.Enterprise,
		Report: r, Difficulties: p.This.Difficulties, Version: p.This.Version}); err != nil {
		m.t.Fatalf("name a supplier: %v", err)
	}
	blocks, _, err := rs.Blocks(ctx, admin, resumptiondb.BlockQuery{CampaignID: m.base.Monitoring.ID, State: "open"})
	if err != nil {
		m.t.Fatal(err)
	}
	for _, b := range blocks {
		if b.SupplierID == m.s.entID(m.t, sup.CreditCode) {
			return b
		}
	}
	m.t.Fatalf("no open block by %s", sup.CreditCode)
	return resumptiondb.Block{}
}

// freshFlag is an open flag of the showcase enterprise: a month to come
// of the power company's file, a tenth of the same month's use a year
// before, imported by the administrator.
func (m *resumptionMatrix) freshFlag() resumptiondb.Flag {
	ctx, admin := context.Background(), m.s.actor(m.t, "admin")
	rs := m.s.mods.Resumption
	m.months++
	month := fmt.Sprintf("%04d-%02d", 2041+m.months/12, m.months%12+1)
	last := fmt.Sprintf("%04d-%02d", 2040+m.months/12, m.months%12+1)
	if res, err := rs.ImportPower(ctx, admin, []resumptiondb.PowerRow{{CreditCode: rsEnt.CreditCode, Month: last, KWh: 100000},
		{CreditCode: rsEnt.CreditCode, Month: month, KWh: 10000}}); err != nil || len(res.Errors) > 0 {
		m.t.Fatalf("import %s: %+v, %v", month, res, err)
	}
	flags, _, err := rs.Flags(ctx, admin, resumptiondb.FlagQuery{CampaignID: m.base.Monitoring.ID, State: "open"})
	if err != nil {
		m.t.Fatal(err)
	}
	for _, f := range flags {
		if f.EnterpriseID == m.base.Enterprise && f.Month == month {
			return f
		}
	}
	m.t.Fatalf("no flag of %s", month)
	return resumptiondb.Flag{}
}

// checkForm is the on-site check form filled in with the prevention
// checklist's results and one finding: an order to rectify for a
// department, an improvement for the others.
func (m *resumptionMatrix) checkForm(u demo.User) url.Values {
	v := url.Values{"checklist": {resumption.Prevention.Key}}
	for k, r := range preventionResults() {
		v.Set("r_"+k, string(r))
	}
	f := m.s.improvement(fmt.Sprintf("体温登记不全%d", codeSeq.Add(1)))
	if u.Role == access.RoleDepartment {
		f = m.s.rectification(fmt.Sprintf("防护物资不足%d", codeSeq.Add(1)))
		v.Set("f0_basis", f.Basis)
	}
	v.Set("f0_kind", string(f.Kind))
	v.Set("f0_item", f.ItemKey)
	v.Set("f0_note", f.Note)
	v.Set("f0_deadline", f.Deadline)
	if f.Consent {
		v.Set("f0_consent", "1")
	}
	return v
}

// checkJSON is the same check as the API takes it.
func (m *resumptionMatrix) checkJSON(u demo.User) map[string]any {
	results := map[string]string{}
	for k, r := range preventionResults() {
		results[k] = string(r)
	}
	f := m.s.improvement(fmt.Sprintf("体温登记不全%d", codeSeq.Add(1)))
	if u.Role == access.RoleDepartment {
		f = m.s.rectification(fmt.Sprintf("防护物资不足%d", codeSeq.Add(1)))
	}
	return map[string]any{"enterprise_id": m.base.Enterprise, "checklist": resumption.Prevention.Key, "results": results,
		"findings": []map[string]any{{"kind": f.Kind, "item": f.ItemKey, "note": f.Note, "matter": f.Matter, "basis": f.Basis,
			"deadline": f.Deadline, "consent": f.Consent}}}
}

// powerRows are the power company's rows of the showcase enterprise, as
// the fixture imported them.
func (m *resumptionMatrix) powerRows() (text string, rows []map[string]any) {
	month, last := m.s.rsMonth()
	text = fmt.Sprintf("%s,%s,100000\n%s,%s,20000", rsEnt.CreditCode, last, rsEnt.CreditCode, month)
	rows = []map[string]any{{"credit_code": rsEnt.CreditCode, "month": last, "kwh": 100000}, {"credit_code": rsEnt.CreditCode, "month": month, "kwh": 20000}}
	return text, rows
}

// cases are the matrix's cases of the module's routes.
func (m *resumptionMatrix) cases() map[string]func(u demo.User, sc scope) probe {
	s, base := m.s, m.base
	mon := fmt.Sprintf("/resumption/campaigns/%d", base.Monitoring.ID)
	chk := fmt.Sprintf("/resumption/campaigns/%d", base.Checklist.ID)
	restart := fmt.Sprintf("/resumption/restarts/%d", base.Restart.ID)
	ent := fmt.Sprintf("/resumption/enterprises/%d", base.Enterprise)
	finding := fmt.Sprintf("/resumption/findings/%d", base.Improvement.ID)
	block := fmt.Sprintf("/resumption/blocks/%d", base.Block.ID)
	flag := fmt.Sprintf("/resumption/flags/%d", base.Flag.ID)
	entQuery := fmt.Sprintf("?enterprise=%d", base.Enterprise)
	const answer = "已上门核实并协调"
	startForm := func(sc scope) url.Values {
		return url.Values{"kind": {resumptiondb.KindMonitoring}, "title": {fmt.Sprintf("矩阵监测%d", codeSeq.Add(1))}, "due": {s.dueAhead(m.t, 5)},
			"schedule": {resumption.Daily}, "region": {startRegion(sc)}}
	}
	startJSON := func(sc scope) map[string]any {
		return map[string]any{"kind": resumptiondb.KindMonitoring, "title": fmt.Sprintf("矩阵监测%d", codeSeq.Add(1)), "due": s.dueAhead(m.t, 5),
			"schedule": resumption.Daily, "audience": map[string]any{"regions": []string{startRegion(sc)}}}
	}
	// apply is an application as the account would make it: for the
	// applicant it may apply for, made ready when it should succeed.
	apply := func(sc scope, ok int) (int64, int) {
		e := m.applicant(sc)
		want := rsStep(sc, access.ResumeReport, e, ok)
		if want == ok {
			m.readyToApply(e)
		}
		return s.entID(m.t, e.CreditCode), want
	}
	// restartFor is the application the account takes the on-site check
	// of: a fresh one when it should succeed.
	restartFor := func(want, ok int) (int64, int64) {
		if want == ok {
			r := m.freshRestart()
			return r.ID, r.Version
		}
		return base.Restart.ID, m.restartVersion()
	}
	improvementFor := func(want, ok int) resumptiondb.Finding {
		if want == ok {
			return m.freshImprovement()
		}
		return base.Improvement
	}
	blockFor := func(want, ok int) resumptiondb.Block {
		if want == ok {
			return m.freshBlock()
		}
		return base.Block
	}
	flagFor := func(want, ok int) resumptiondb.Flag {
		if want == ok {
			return m.freshFlag()
		}
		return base.Flag
	}
	powerRows, powerJSON := m.powerRows()
	hrss := s.deptIDs(m.t)["hrss"]
	cases := map[string]func(u demo.User, sc scope) probe{
		"GET /resumption": func(u demo.User, _ scope) probe { return probe{"/resumption", nil, rsGated(u, access.ResumeRead, 200)} },
		"GET /resumption/new": func(u demo.User, _ scope) probe {
			return probe{"/resumption/new", nil, rsGated(u, access.CampaignRun, 200)}
		},
		"POST /resumption/campaigns": func(u demo.User, sc scope) probe {
			return probe{"/resumption/campaigns", formBody(startForm(sc)), rsStartWant(u, 303)}
		},
		"GET /resumption/campaigns/{id}": func(u demo.User, sc scope) probe {
			return probe{mon, nil, rsGated(u, access.ResumeRead, rsCampaignWant(sc, 200))}
		},
		"POST /resumption/campaigns/{id}/restart-mode": func(_ demo.User, sc scope) probe {
			return probe{chk + "/restart-mode", formBody(url.Values{"settings": {fmt.Sprint(m.settings())}, "restart": {resumption.RestartApproval},
				"threshold": {fmt.Sprint(resumptionThreshold)}}), rsModeWant(sc, 303)}
		},
		"GET /resumption/campaigns/{id}/exceptions": func(u demo.User, sc scope) probe {
			return probe{mon + "/exceptions", nil, rsGated(u, access.ResumeRead, rsCampaignWant(sc, 200))}
		},
		"GET /resumption/campaigns/{id}/members": func(u demo.User, sc scope) probe {
			return probe{mon + "/members?missing=1", nil, rsGated(u, access.ResumeRead, rsCampaignWant(sc, 200))}
		},
		"GET /resumption/campaigns/{id}/export.xlsx": func(u demo.User, sc scope) probe {
			return probe{mon + "/export.xlsx", nil, rsGated(u, access.ResumeRead, rsCampaignWant(sc, 200))}
		},
		"GET /resumption/campaigns/{id}/report": func(u demo.User, sc scope) probe {
			return probe{mon + "/report" + entQuery, nil, rsGated(u, access.ResumeRead, rsSeen(sc, rsOwn(sc), 200))}
		},
		// "No change" on a period reported changes nothing: those who may
		// report for the enterprise are answered as if they had reported.
		"POST /resumption/campaigns/{id}/report": func(_ demo.User, sc scope) probe {
			return probe{mon + "/report", formBody(url.Values{"no_change": {"1"}, "enterprise": {fmt.Sprint(base.Enterprise)}}),
				rsStep(sc, access.ResumeReport, rsOwn(sc), 303)}
		},
		"GET /resumption/campaigns/{id}/restart": func(u demo.User, sc scope) probe {
			want := rsSeen(sc, rsOwn(sc), 200)
			if !readsCampaign(sc, "street_leader", showStreet) {
				want = http.StatusNotFound
			}
			return probe{chk + "/restart" + entQuery, nil, rsGated(u, access.ResumeRead, want)}
		},
		"POST /resumption/campaigns/{id}/restart": func(_ demo.User, sc scope) probe {
			id, want := apply(sc, 303)
			return probe{chk + "/restart", formBody(url.Values{"enterprise": {fmt.Sprint(id)}, "pledge": {resumptionPledge}, "on_site": {"1"},
				"returned": {"1"}, "planning": {"0"}, "isolating": {"0"}}), want}
		},
		"GET /resumption/restarts": func(u demo.User, _ scope) probe {
			return probe{"/resumption/restarts", nil, rsGated(u, access.ResumeRead, 200)}
		},
		"GET /resumption/restarts/{id}": func(u demo.User, sc scope) probe {
			return probe{restart, nil, rsGated(u, access.ResumeRead, rsSeen(sc, rsEnt, 200))}
		},
		"POST /resumption/restarts/{id}/act": func(_ demo.User, sc scope) probe {
			want := rsActWant(sc, 303)
			id, version := restartFor(want, 303)
			return probe{fmt.Sprintf("/resumption/restarts/%d/act", id), formBody(url.Values{"action": {"check"}, "version": {fmt.Sprint(version)}}), want}
		},
		"GET /resumption/enterprises/{id}": func(u demo.User, sc scope) probe {
			return probe{ent, nil, rsGated(u, access.ResumeRead, rsSeen(sc, rsEnt, 200))}
		},
		"GET /resumption/enterprises/{id}/check": func(u demo.User, sc scope) probe {
			want := http.StatusNotFound
			if sc.allows(access.EnterpriseRead, rsEnt) {
				want = 200
			}
			return probe{ent + "/check?checklist=prevention", nil, rsGated(u, access.ResumeCheck, want)}
		},
		"POST /resumption/enterprises/{id}/check": func(u demo.User, sc scope) probe {
			return probe{ent + "/check", formBody(m.checkForm(u)), rsCheckWant(sc, 303)}
		},
		"GET /resumption/findings": func(u demo.User, _ scope) probe {
			return probe{"/resumption/findings?state=open", nil, rsGated(u, access.ResumeRead, 200)}
		},
		"GET /resumption/findings/{id}": func(u demo.User, sc scope) probe {
			return probe{finding, nil, rsGated(u, access.ResumeRead, rsSeen(sc, rsEnt, 200))}
		},
		"POST /resumption/findings/{id}/close": func(_ demo.User, sc scope) probe {
			want := rsCloseWant(sc, 303)
			f := improvementFor(want, 303)
			return probe{fmt.Sprintf("/resumption/findings/%d/close", f.ID), formBody(url.Values{"version": {fmt.Sprint(f.Version)},
				"note": {"复查：已补足"}}), want}
		},
		"POST /resumption/findings/{id}/appeal": func(_ demo.User, sc scope) probe {
			want := rsAppealWant(sc, 303)
			f := improvementFor(want, 303)
			return probe{fmt.Sprintf("/resumption/findings/%d/appeal", f.ID), formBody(url.Values{"category": {"other"}}), want}
		},
		"GET /resumption/blocks/{id}": func(u demo.User, sc scope) probe {
			return probe{block, nil, rsGated(u, access.ResumeRead, rsBlockWant(sc, base.Supplier, access.ResumeRead, 200))}
		},
		"POST /resumption/blocks/{id}/resolve": func(_ demo.User, sc scope) probe {
			want := rsBlockWant(sc, base.Supplier, access.ResumeCheck, 303)
			b := blockFor(want, 303)
			return probe{fmt.Sprintf("/resumption/blocks/%d/resolve", b.ID), formBody(url.Values{"version": {fmt.Sprint(b.Version)},
				"answer": {answer}}), want}
		},
		"GET /resumption/flags/{id}": func(u demo.User, sc scope) probe {
			return probe{flag, nil, rsGated(u, access.ResumeRead, rsSeen(sc, rsEnt, 200))}
		},
		"POST /resumption/flags/{id}/check": func(_ demo.User, sc scope) probe {
			want := rsStep(sc, access.ResumeCheck, rsEnt, 303)
			f := flagFor(want, 303)
			return probe{fmt.Sprintf("/resumption/flags/%d/check", f.ID), formBody(url.Values{"version": {fmt.Sprint(f.Version)},
				"answer": {answer}}), want}
		},
		"GET /resumption/power": func(u demo.User, _ scope) probe {
			return probe{"/resumption/power", nil, rsGated(u, access.ResumeDecide, 200)}
		},
		"POST /resumption/power": func(_ demo.User, sc scope) probe {
			return probe{"/resumption/power", formBody(url.Values{"rows": {powerRows}}), rsPowerWant(sc, 200)}
		},
		"GET /resumption/powers": func(u demo.User, _ scope) probe {
			return probe{"/resumption/powers", nil, rsGated(u, access.ResumeRead, 200)}
		},
		"POST /resumption/powers": func(u demo.User, _ scope) probe {
			return probe{"/resumption/powers", formBody(url.Values{"department": {fmt.Sprint(hrss)}, "matter": {"labour"},
				"basis": {"《劳动保障监察条例》第十一条"}}), rsAdminWant(u, 303)}
		},

		// The API.
		"GET /api/v1/resumption/checklists": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/resumption/checklists", nil, rsGated(u, access.ResumeRead, 200)}
		},
		"GET /api/v1/resumption/campaigns": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/resumption/campaigns?kind=monitoring", nil, rsGated(u, access.ResumeRead, 200)}
		},
		"POST /api/v1/resumption/campaigns": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/resumption/campaigns", jsonBody(startJSON(sc)), rsStartWant(u, 201)}
		},
		"GET /api/v1/resumption/campaigns/{id}": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + mon, nil, rsCampaignWant(sc, 200)}
		},
		"POST /api/v1/resumption/campaigns/{id}/restart-mode": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + chk + "/restart-mode", jsonBody(map[string]any{"restart": resumption.RestartApproval,
				"threshold": resumptionThreshold, "settings_version": m.settings()}), rsModeWant(sc, 200)}
		},
		"GET /api/v1/resumption/campaigns/{id}/rates": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + mon + "/rates?by=grid", nil, rsCampaignWant(sc, 200)}
		},
		"GET /api/v1/resumption/campaigns/{id}/series": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + mon + "/series", nil, rsCampaignWant(sc, 200)}
		},
		"GET /api/v1/resumption/campaigns/{id}/members": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + mon + "/members?missing=true", nil, rsCampaignWant(sc, 200)}
		},
		"GET /api/v1/resumption/campaigns/{id}/exceptions": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + mon + "/exceptions", nil, rsCampaignWant(sc, 200)}
		},
		"GET /api/v1/resumption/campaigns/{id}/reports": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + mon + "/reports", nil, rsCampaignWant(sc, 200)}
		},
		"GET /api/v1/resumption/campaigns/{id}/report": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + mon + "/report" + entQuery, nil, rsSeen(sc, rsOwn(sc), 200)}
		},
		"POST /api/v1/resumption/campaigns/{id}/reports": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + mon + "/reports", jsonBody(map[string]any{"no_change": true, "enterprise_id": base.Enterprise}),
				rsStep(sc, access.ResumeReport, rsOwn(sc), 200)}
		},
		"POST /api/v1/resumption/campaigns/{id}/cross-check": func(_ demo.User, sc scope) probe {
			month, _ := s.rsMonth()
			return probe{"/api/v1" + mon + "/cross-check", jsonBody(map[string]string{"month": month}), rsCrossWant(sc, 200)}
		},
		"POST /api/v1/resumption/campaigns/{id}/restarts": func(_ demo.User, sc scope) probe {
			id, want := apply(sc, 201)
			return probe{"/api/v1" + chk + "/restarts", jsonBody(map[string]any{"enterprise_id": id, "pledge": resumptionPledge,
				"counts": map[string]int{"on_site": 1, "returned": 1}}), want}
		},
		"GET /api/v1/resumption/restarts": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/resumption/restarts?state=applied", nil, rsGated(u, access.ResumeRead, 200)}
		},
		"GET /api/v1/resumption/restarts/{id}": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + restart, nil, rsSeen(sc, rsEnt, 200)}
		},
		"POST /api/v1/resumption/restarts/{id}/act": func(_ demo.User, sc scope) probe {
			want := rsActWant(sc, 200)
			id, version := restartFor(want, 200)
			return probe{fmt.Sprintf("/api/v1/resumption/restarts/%d/act", id), jsonBody(map[string]any{"action": "check", "version": version}), want}
		},
		"POST /api/v1/resumption/checks": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/resumption/checks", jsonBody(m.checkJSON(u)), rsGated(u, access.ResumeCheck, rsCheckWant(sc, 201))}
		},
		"GET /api/v1/resumption/enterprises/{id}/checks": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + ent + "/checks", nil, rsSeen(sc, rsEnt, 200)}
		},
		"GET /api/v1/resumption/findings": func(u demo.User, _ scope) probe {
			return probe{fmt.Sprintf("/api/v1/resumption/findings?enterprise=%d", base.Enterprise), nil, rsGated(u, access.ResumeRead, 200)}
		},
		"GET /api/v1/resumption/findings/{id}": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + finding, nil, rsSeen(sc, rsEnt, 200)}
		},
		"POST /api/v1/resumption/findings/{id}/close": func(_ demo.User, sc scope) probe {
			want := rsCloseWant(sc, 200)
			f := improvementFor(want, 200)
			return probe{fmt.Sprintf("/api/v1/resumption/findings/%d/close", f.ID), jsonBody(map[string]any{"version": f.Version,
				"note": "复查：已补足"}), want}
		},
		"POST /api/v1/resumption/findings/{id}/appeal": func(_ demo.User, sc scope) probe {
			want := rsAppealWant(sc, 200)
			f := improvementFor(want, 200)
			return probe{fmt.Sprintf("/api/v1/resumption/findings/%d/appeal", f.ID), jsonBody(map[string]string{"category": "other"}), want}
		},
		"GET /api/v1/resumption/blocks": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/resumption/blocks?state=open", nil, rsGated(u, access.ResumeRead, 200)}
		},
		"POST /api/v1/resumption/blocks/{id}/resolve": func(_ demo.User, sc scope) probe {
			want := rsBlockWant(sc, base.Supplier, access.ResumeCheck, 200)
			b := blockFor(want, 200)
			return probe{fmt.Sprintf("/api/v1/resumption/blocks/%d/resolve", b.ID), jsonBody(map[string]any{"version": b.Version, "answer": answer}), want}
		},
		"GET /api/v1/resumption/flags": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/resumption/flags?state=open", nil, rsGated(u, access.ResumeRead, 200)}
		},
		"POST /api/v1/resumption/flags/{id}/check": func(_ demo.User, sc scope) probe {
			want := rsStep(sc, access.ResumeCheck, rsEnt, 200)
			f := flagFor(want, 200)
			return probe{fmt.Sprintf("/api/v1/resumption/flags/%d/check", f.ID), jsonBody(map[string]any{"version": f.Version, "answer": answer}), want}
		},
		"POST /api/v1/resumption/power": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1/resumption/power", jsonBody(map[string]any{"rows": powerJSON}), rsPowerWant(sc, 200)}
		},
		"GET /api/v1/resumption/powers": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/resumption/powers", nil, rsGated(u, access.ResumeRead, 200)}
		},
		"PUT /api/v1/resumption/powers": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/resumption/powers", jsonBody(map[string]any{"department_id": hrss, "matter": "labour",
				"basis": "《劳动保障监察条例》第十一条"}), rsAdminWant(u, 204)}
		},
	}
	return cases
}

// resumptionOthers are accounts besides the showcase ones the module's
// matrix is run as: an enterprise of the showcase grid other than the
// showcase one (its own records, not the showcase enterprise's), a grid
// worker of another grid of the showcase community, the staff of another
// community of the showcase street, and the leader of the street of the
// suppliers (which reads a block through its supplier, and not the
// campaigns of the showcase street).
func resumptionOthers(t *testing.T, s *site) []demo.User {
	t.Helper()
	var community demo.User
	for _, u := range dataset.Users {
		if u.Role == access.RoleCommunityStaff && u.RegionCode != showCommunity && parentOf[u.RegionCode] == showStreet {
			community = u
			break
		}
	}
	if community.Username == "" {
		t.Fatal("no staff of another community of the showcase street")
	}
	neighbour := demo.User{Username: s.enterpriseAccount(t, resumptionNeighbour), Role: access.RoleEnterprise,
		EnterpriseCode: resumptionNeighbour.CreditCode}
	return []demo.User{neighbour, gridUsers(showCommunity)[0], community, demoAccount("street_leader_" + resumptionStreet2)}
}

// TestResumptionMatrix runs the module's routes as the accounts the
// showcase lacks — the other enterprise, grid worker, community and street
// — with the same oracle as TestAccessMatrix runs them as every showcase
// account: who reads, who may act, and that the showcase enterprise's
// records are not found out of reach.
func TestResumptionMatrix(t *testing.T) {
	eachFreshStore(t, func(t *testing.T, s *site) {
		m := newResumptionMatrix(t, s)
		cases := m.cases()
		others := resumptionOthers(t, s)
		var keys []string
		for _, rt := range (&Server{}).routes() {
			key := rt.Method + " " + rt.Path
			if cases[key] != nil {
				keys = append(keys, key)
			}
		}
		if len(keys) != len(cases) {
			t.Errorf("%d cases for %d routes of the module", len(cases), len(keys))
		}
		methods := map[string]string{}
		for _, rt := range (&Server{}).routes() {
			methods[rt.Method+" "+rt.Path] = rt.Method
		}
		for _, key := range keys {
			for _, u := range others {
				p := cases[key](u, scopeOf(u))
				res := s.as(t, u.Username, methods[key], p.path, p.b)
				if res.code != p.want {
					t.Errorf("%s as %s (%s): %d, want %d: %.200s", key, u.Username, p.path, res.code, p.want, res.body)
					continue
				}
				if res.code == http.StatusUnprocessableEntity && key == "POST /api/v1/resumption/power" {
					continue // the file's report of its refused rows (powerResultJSON), not the error shape
				}
				checkAnswer(t, methods[key]+" "+p.path, res)
			}
		}
		// The showcase enterprise's records are out of every other's reach
		// but the supplier's street's block.
		for _, u := range others {
			sc := scopeOf(u)
			if sc.allows(access.ResumeRead, rsEnt) {
				t.Errorf("%s reads the showcase enterprise: the accounts are not others", u.Username)
			}
			if reads := sc.allows(access.ResumeRead, m.base.Supplier); reads != slices.Contains([]string{"street_leader_" + resumptionStreet2}, u.Username) {
				t.Errorf("%s reads the supplier: %v", u.Username, reads)
			}
		}
	})
}
