package resumptionweb

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/web/core"
)

// The enterprise's phone: its status report of the period ("no change"
// in one tap), its restart application; the restart desk of the street
// and the command.

type reportData struct {
	base
	P        resumptiondb.Prefill
	Form     resumption.Report
	Since    string
	ShareIn  string // the output share as typed (Share is the base's formatter)
	Blocked  string
	Diff     string
	Key      string
	Version  int64
	MayEdit  bool
	EntParam string
	Blocks   []resumptiondb.Block // the suppliers this enterprise named
}

func (s *Handlers) reportPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	eid := enterpriseParam(r, a)
	if eid == 0 {
		return errNoEnterprise
	}
	p, err := s.res.ReportPage(r.Context(), a, id, eid)
	if err != nil {
		return err
	}
	return s.showReport(w, r, s.reportFrom(p), http.StatusOK)
}

// reportFrom is the report form prefilled from the enterprise's latest
// report (its employees when it has none), at this period's version.
func (s *Handlers) reportFrom(p resumptiondb.Prefill) *reportData {
	d := &reportData{P: p}
	if last := p.Latest; last != nil {
		d.Form, d.Diff = last.Report, last.Difficulties
	} else {
		d.Form.Workers = p.Enterprise.Employees
	}
	if p.This != nil {
		d.Version = p.This.Version
	}
	return d
}

func (s *Handlers) showReport(w http.ResponseWriter, r *http.Request, d *reportData, code int) error {
	a, _ := core.ActorOf(r)
	d.MayEdit = access.May(a.Role, access.ResumeReport) && d.P.Campaign.State == "running"
	for k, v := range d.Errors {
		if strings.HasPrefix(k, "blocked_by[") {
			d.Errors["blocked_by"] = v
		}
	}
	if d.ShareIn == "" {
		d.ShareIn = fmt.Sprint(float64(d.Form.OutputShare) / 100)
	}
	if d.Since == "" {
		d.Since = d.Form.Since
	}
	if d.Since == "" {
		d.Since = s.today()
	}
	if d.Key == "" {
		d.Key = newKey()
	}
	if a.Role != access.RoleEnterprise {
		d.EntParam = fmt.Sprintf("?enterprise=%d", d.P.Enterprise.ID)
	}
	blocks, _, err := s.res.Blocks(r.Context(), a, resumptiondb.BlockQuery{CampaignID: d.P.Campaign.ID, LeadID: d.P.Enterprise.ID})
	if err != nil {
		return err
	}
	d.Blocks = blocks
	d.Title = d.P.Campaign.Title
	s.Render(w, r, code, "resumption_report", d)
	return nil
}

func (s *Handlers) reportPost(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	eid := enterpriseParam(r, a)
	in := resumptiondb.ReportInput{CampaignID: id, EnterpriseID: eid, NoChange: r.FormValue("no_change") == "1",
		Key: r.FormValue("key"), Version: formID(r, "version"), Difficulties: strings.TrimSpace(r.FormValue("difficulties"))}
	share := percentHundredths(r.FormValue("output_share"))
	in.Report = resumption.Report{Resumed: r.FormValue("resumed") == "yes", Since: r.FormValue("since"), OutputShare: share,
		OnSite: formInt(r, "on_site"), Workers: formInt(r, "workers"), Orders: strings.TrimSpace(r.FormValue("orders")),
		BlockedBy: splitCodes(r.FormValue("blocked_by")), Isolating: formInt(r, "isolating"), Returned: formInt(r, "returned"),
		Planning: formInt(r, "planning")}
	if !in.Report.Resumed {
		in.Report.Since = ""
	}
	_, _, err = s.res.SubmitReport(r.Context(), a, in)
	if err != nil {
		lang := core.LangOf(r)
		msgs, ferr := core.FormErrors(err, lang)
		fe := fault.As(err)
		if ferr != nil && (fe == nil || (fe.Kind != fault.Invalid && fe.Kind != fault.Conflict)) {
			return ferr
		}
		p, perr := s.res.ReportPage(r.Context(), a, id, eid)
		if perr != nil {
			return perr
		}
		if ferr != nil && fe.Kind == fault.Conflict {
			// Reported meanwhile (another tab, a colleague): the period's
			// report as it stands, to correct, and why.
			d := s.reportFrom(p)
			d.Errors = map[string]string{"report": fe.Message.In(lang)}
			return s.showReport(w, r, d, http.StatusConflict)
		}
		if ferr != nil {
			msgs = map[string]string{"report": fe.Message.In(lang)}
		}
		d := &reportData{P: p, Form: in.Report, Since: r.FormValue("since"), ShareIn: r.FormValue("output_share"), Blocked: r.FormValue("blocked_by"),
			Diff: in.Difficulties, Key: in.Key, Version: in.Version}
		d.Errors = msgs
		return s.showReport(w, r, d, http.StatusUnprocessableEntity)
	}
	to := fmt.Sprintf("/resumption/campaigns/%d/report", id)
	if a.Role != access.RoleEnterprise {
		to += fmt.Sprintf("?enterprise=%d", eid)
	}
	s.Done(w, r, to, "rs.reported", "")
	return nil
}

type restartFormData struct {
	base
	C        resumptiondb.Campaign
	EntID    int64
	R        *resumptiondb.Restart
	Pledge   string
	Counts   resumption.Counts
	MayApply bool
	EntParam string
}

func (s *Handlers) restartFormPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	eid := enterpriseParam(r, a)
	if eid == 0 {
		return errNoEnterprise
	}
	return s.showRestartForm(w, r, id, eid, &restartFormData{}, http.StatusOK)
}

func (s *Handlers) showRestartForm(w http.ResponseWriter, r *http.Request, id, eid int64, d *restartFormData, code int) error {
	a, _ := core.ActorOf(r)
	c, err := s.res.Campaign(r.Context(), a, id)
	if err != nil {
		return err
	}
	rs, ok, err := s.res.RestartOf(r.Context(), a, id, eid)
	if err != nil {
		return err
	}
	if ok {
		d.R = &rs
	}
	d.C, d.EntID = c, eid
	d.MayApply = access.May(a.Role, access.ResumeReport) && c.Restart != "" && c.State == "running" &&
		(!ok || rs.State == resumption.Refused || rs.State == resumption.Withdrawn)
	if a.Role != access.RoleEnterprise {
		d.EntParam = fmt.Sprintf("?enterprise=%d", eid)
	}
	d.Title = s.T(core.LangOf(r), "rs.restart")
	s.Render(w, r, code, "resumption_restart_form", d)
	return nil
}

func (s *Handlers) restartApplyPage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	eid := enterpriseParam(r, a)
	in := resumptiondb.RestartInput{CampaignID: id, EnterpriseID: eid, Pledge: r.FormValue("pledge"),
		Counts: resumption.Counts{OnSite: formInt(r, "on_site"), Returned: formInt(r, "returned"), Planning: formInt(r, "planning"),
			Isolating: formInt(r, "isolating")}}
	rs, err := s.res.ApplyRestart(r.Context(), a, in)
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			// A refusal the applicant remedies (the plan not submitted
			// yet) is said on the form, what was typed kept.
			fe := fault.As(err)
			if fe == nil || fe.Kind != fault.Invalid {
				return ferr
			}
			msgs = map[string]string{"plan": fe.Message.In(core.LangOf(r))}
		}
		d := &restartFormData{Pledge: in.Pledge, Counts: in.Counts}
		d.Errors = msgs
		return s.showRestartForm(w, r, id, eid, d, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/resumption/restarts/%d", rs.ID), "rs.applied", "")
	return nil
}

type restartsData struct {
	base
	List  []resumptiondb.Restart
	Total int
	Pager core.Pager
	State string
}

func (s *Handlers) restartsPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	page := core.PageOf(r)
	p := &restartsData{State: r.URL.Query().Get("state")}
	var err error
	if p.List, p.Total, err = s.res.Restarts(r.Context(), a, resumptiondb.RestartQuery{State: p.State, Page: page}); err != nil {
		return err
	}
	p.Pager = core.NewPager(r, page, p.Total)
	p.Title = s.T(core.LangOf(r), "rs.restarts")
	s.Render(w, r, http.StatusOK, "resumption_restarts", p)
	return nil
}

type restartData struct {
	base
	R       resumptiondb.Restart
	Actions []string
}

// restartActions are the steps the caller may take on an application in
// its state: those of the table whose party the role is — the street's
// leader the on-site check and a small enterprise's decision, the
// command's a large one's, the applicant's withdrawal; an administrator
// any (the store decides whether the caller is the party of this
// enterprise).
func restartActions(role access.Role, r resumptiondb.Restart) []string {
	party := ""
	switch {
	case role == access.RoleStreetLeader:
		party = resumption.StreetRole
	case role == access.RoleDistrictLeader:
		party = resumption.Command
	case access.May(role, access.ResumeReport):
		party = resumption.Applicant
	}
	var out []string
	for _, st := range resumption.RestartSteps {
		if st.Action == "reapply" || !slices.Contains(st.From, r.State) {
			continue
		}
		by := st.By
		if by == "approver" {
			by = r.Approver
		}
		if by == party || access.ReachOf(role, access.ResumeDecide) == access.All {
			out = append(out, st.Action)
		}
	}
	return out
}

func (s *Handlers) restartPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	rs, err := s.res.Restart(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &restartData{R: rs, Actions: restartActions(a.Role, rs)}
	p.Title = s.T(core.LangOf(r), "rs.restart")
	s.Render(w, r, http.StatusOK, "resumption_restart", p)
	return nil
}

func (s *Handlers) restartActPage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	if _, err := s.res.ActRestart(r.Context(), a, id, formID(r, "version"), r.FormValue("action"), r.FormValue("reason")); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/resumption/restarts/%d", id), "rs.done", "")
	return nil
}
