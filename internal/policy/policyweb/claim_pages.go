package policyweb

import (
	"fmt"
	"net/http"
	"strings"

	"qifu/internal/access"
	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/web/core"
)

// The enterprise's check-up on its phone (政策体检) with the fact to
// supply and the button to ask its cadre; applying and confirming; the
// claims of a department to review, one claim with the steps its party
// may take; a public notice; the funnel.

type checkupData struct {
	base
	CheckUp  policydb.CheckUp
	MayClaim bool
	Staff    bool
}

// Unit is the unit a fact to supply is typed in.
func (b *checkupData) Unit(field string) string {
	f, _ := policy.FieldOf(field)
	if k, ok := dossier.KindOf(f.Fact); ok {
		return k.Unit().In(b.Lang)
	}
	return ""
}

// Kind is the fact kind a field reads.
func (b *checkupData) Kind(field string) string {
	f, _ := policy.FieldOf(field)
	return f.Fact
}

// enterpriseParam is the enterprise a page is for: the caller's own, or
// the one named by ?enterprise= (or the form's enterprise).
func enterpriseParam(r *http.Request, a access.Actor) int64 {
	if id := formID(r, "enterprise"); id != 0 {
		return id
	}
	return a.EnterpriseID
}

func (s *Handlers) checkupPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id := enterpriseParam(r, a)
	if id == 0 {
		return s.showCheckup(w, r, &checkupData{}, http.StatusOK) // staff: the form to pick the enterprise
	}
	cu, err := s.policy.CheckUp(r.Context(), a, id)
	if err != nil {
		return err
	}
	return s.showCheckup(w, r, &checkupData{CheckUp: cu}, http.StatusOK)
}

func (s *Handlers) showCheckup(w http.ResponseWriter, r *http.Request, p *checkupData, code int) error {
	a, _ := core.ActorOf(r)
	p.MayClaim = access.May(a.Role, access.PolicyClaim)
	p.Staff = a.Role != access.RoleEnterprise
	p.Title = s.T(core.LangOf(r), "pp.checkup")
	s.Render(w, r, code, "policy_checkup", p)
	return nil
}

// supplyPage records the fact a check-up asked for and shows the check-up again.
func (s *Handlers) supplyPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	id := enterpriseParam(r, a)
	cu, err := s.policy.SupplyFact(r.Context(), a, id, r.FormValue("kind"), strings.TrimSpace(r.FormValue("period")), r.FormValue("value"))
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		cu, cerr := s.policy.CheckUp(r.Context(), a, id)
		if cerr != nil {
			return cerr
		}
		p := &checkupData{CheckUp: cu}
		p.Errors = map[string]string{"fact:" + r.FormValue("kind"): firstMsg(msgs)}
		return s.showCheckup(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/policy/checkup?enterprise=%d", cu.EnterpriseID), "pp.fact_saved", "")
	return nil
}

func firstMsg(m map[string]string) string {
	for _, v := range m {
		return v
	}
	return ""
}

// askPage sends "ask my cadre" about a benefit to the enterprise's
// cadres and grid worker.
func (s *Handlers) askPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	id := enterpriseParam(r, a)
	if _, err := s.policy.Ask(r.Context(), a, id, formID(r, "benefit")); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/policy/checkup?enterprise=%d", id), "pp.asked", "")
	return nil
}

// applyPage applies for a benefit with the listed materials.
func (s *Handlers) applyPage(w http.ResponseWriter, r *http.Request) error {
	a, bid, err := posted(r)
	if err != nil {
		return err
	}
	b, err := s.policy.Benefit(r.Context(), a, bid)
	if err != nil {
		return err
	}
	var mats []policy.Material
	for i, name := range b.Materials {
		mats = append(mats, policy.Material{Name: name, Given: r.FormValue(fmt.Sprintf("m%d", i))})
	}
	c, err := s.policy.Apply(r.Context(), a, bid, enterpriseParam(r, a), mats)
	if err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/policy/claims/%d", c.ID), "pp.applied", "")
	return nil
}

type claimsData struct {
	base
	Claims []policy.Claim
	Total  int
	State  string
	Pager  core.Pager
}

// States are the claim states for the filter.
func (b *claimsData) States() []policy.Option { return policy.ClaimStates }

func (s *Handlers) claimsPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	p := &claimsData{State: r.URL.Query().Get("state")}
	if p.State == "" && a.Role == access.RoleDepartment && !r.URL.Query().Has("state") {
		p.State = policy.Submitted // a department's queue: what it has to review
	}
	q := policydb.ClaimQuery{State: p.State, Benefit: queryID(r, "benefit"), Page: core.PageOf(r)}
	if a.Role == access.RoleEnterprise {
		q.Enterprise = a.EnterpriseID
	}
	var err error
	if p.Claims, p.Total, err = s.policy.Claims(r.Context(), a, q); err != nil {
		return err
	}
	p.Pager = core.NewPager(r, q.Page, p.Total)
	p.Title = s.T(core.LangOf(r), "pp.claims")
	s.Render(w, r, http.StatusOK, "policy_claims", p)
	return nil
}

type claimData struct {
	base
	Claim    policy.Claim // as the store gives it: the account masked but for the enterprise and the granting department
	Actions  []string     // the caller's
	Reasons  map[string]bool
	Platform bool // the benefit is handed over to an official platform
}

// YuanWan writes yuan as 万元 for an input.
func (b *claimData) YuanWan(y int64) string { return enterprise.FormatWan(y) }

func (s *Handlers) claimPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.policy.Claim(r.Context(), a, id)
	if err != nil {
		return err
	}
	b, err := s.policy.Benefit(r.Context(), a, c.BenefitID)
	if err != nil {
		return err
	}
	p := &claimData{Claim: c, Reasons: map[string]bool{}, Platform: b.Platform != ""}
	if policydb.MayReview(a, b.DepartmentID) {
		p.Actions = append(p.Actions, policy.Actions(c.Mode, c.State, policy.ByDepartment)...)
	}
	if access.May(a.Role, access.PolicyClaim) {
		p.Actions = append(p.Actions, policy.Actions(c.Mode, c.State, policy.ByEnterprise)...)
		if c.Mode == policy.Auto && c.State == policy.Matched {
			p.Actions = append([]string{"confirm"}, p.Actions...)
		}
	}
	for _, t := range policy.Transitions {
		if t.Reason {
			p.Reasons[t.Action] = true
		}
	}
	p.Title = c.Benefit
	s.Render(w, r, http.StatusOK, "policy_claim", p)
	return nil
}

// actPage takes a step of a claim.
func (s *Handlers) actPage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	action := r.FormValue("action")
	if action == "confirm" {
		_, err = s.policy.Confirm(r.Context(), a, id, formInt(r, "version"), r.FormValue("bank"), r.FormValue("account"))
	} else {
		st := policydb.Step{Action: action, Note: r.FormValue("note"), Ref: r.FormValue("ref")}
		st.Granted, _ = wanValue(r.FormValue("granted"))
		st.ClawBack, _ = wanValue(r.FormValue("claw_back"))
		if action == "resubmit" {
			c, cerr := s.policy.Claim(r.Context(), a, id)
			if cerr != nil {
				return cerr
			}
			for i, m := range c.Materials {
				st.Materials = append(st.Materials, policy.Material{Name: m.Name, Given: r.FormValue(fmt.Sprintf("m%d", i))})
			}
		}
		_, err = s.policy.Act(r.Context(), a, id, formInt(r, "version"), st)
	}
	if err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/policy/claims/%d", id), "pp.done_"+action, "")
	return nil
}

type noticeData struct {
	base
	Notice    policydb.Notice
	MayReview bool
	Ended     bool
}

func (s *Handlers) noticePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.policy.Notice(r.Context(), id)
	if err != nil {
		return err
	}
	p := &noticeData{Notice: n, Ended: n.Ended(s.today())}
	if b, err := s.policy.Benefit(r.Context(), a, n.BenefitID); err == nil {
		p.MayReview = policydb.MayReview(a, b.DepartmentID)
	}
	p.Title = n.Benefit
	s.Render(w, r, http.StatusOK, "policy_notice", p)
	return nil
}

func (s *Handlers) approveNoticePage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	if _, err := s.policy.ApproveNotice(r.Context(), a, id); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/policy/notices/%d", id), "pp.done_approve_notice", "")
	return nil
}

type figuresData struct {
	base
	Rows     []policydb.FunnelRow
	Benefits []policy.Benefit
	Benefit  int64
	From, To string
}

func (s *Handlers) figuresPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := policydb.FunnelQuery{Benefit: queryID(r, "benefit"), From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	rows, err := s.policy.Funnel(r.Context(), a, q)
	if err != nil {
		return err
	}
	bs, _, err := s.policy.Benefits(r.Context(), a, policydb.BenefitQuery{State: policy.Published, Page: core.PageOf(r)})
	if err != nil {
		return err
	}
	p := &figuresData{Rows: rows, Benefits: bs, Benefit: q.Benefit, From: q.From, To: q.To}
	p.Title = s.T(core.LangOf(r), "pp.figures")
	s.Render(w, r, http.StatusOK, "policy_figures", p)
	return nil
}
