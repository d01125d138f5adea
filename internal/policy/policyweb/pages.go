package policyweb

import (
	"fmt"
	"net/http"
	"strings"

	"qifu/internal/access"
	"qifu/internal/department"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// The pages of policies: the module's home (an enterprise's check-up comes
// first on its phone; staff see the policies in force and their work), a
// policy with its benefits, and a department's form for a policy.

type homeData struct {
	base
	Policies   []policy.Policy
	Total      int
	Families   []string
	Family     string
	Query      string
	Benefits   []policy.Benefit // staff: the benefits open now
	Drafts     []policy.Benefit // a department's drafts
	MayManage  bool
	Enterprise bool
	CheckUp    *policydb.CheckUp
}

// homePage is the module's home.
func (s *Handlers) homePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	ctx := r.Context()
	p := &homeData{Family: r.URL.Query().Get("family"), Query: strings.TrimSpace(r.URL.Query().Get("q")),
		MayManage: access.May(a.Role, access.PolicyManage), Enterprise: a.Role == access.RoleEnterprise}
	var err error
	if p.Enterprise && a.EnterpriseID != 0 {
		cu, err := s.policy.CheckUp(ctx, a, a.EnterpriseID)
		if err != nil {
			return err
		}
		p.CheckUp = &cu
	}
	if p.Policies, p.Total, err = s.policy.Policies(ctx, a, policydb.PolicyQuery{Family: p.Family, Text: p.Query, Page: core.PageOf(r)}); err != nil {
		return err
	}
	if p.Families, err = s.policy.Families(ctx); err != nil {
		return err
	}
	if !p.Enterprise {
		if p.Benefits, _, err = s.policy.Benefits(ctx, a, policydb.BenefitQuery{State: "open", Page: store.Page{Size: 50}}); err != nil {
			return err
		}
	}
	if p.MayManage {
		if p.Drafts, _, err = s.policy.Benefits(ctx, a, policydb.BenefitQuery{State: policy.Draft, Page: store.Page{Size: 50}}); err != nil {
			return err
		}
	}
	p.Title = s.T(core.LangOf(r), "pp.title")
	s.Render(w, r, http.StatusOK, "policy", p)
	return nil
}

type policyData struct {
	base
	Policy    policy.Policy
	MayManage bool
	Form      bool // the policy's form (new, or a draft's edit)
	// Departments are offered to a role that keeps every department's
	// policies (an administrator); others keep their own.
	Departments []department.Department
}

// Asks are a benefit's conditions as a person reads them.
func (b *policyData) Asks(x policy.Benefit) []string { return asks(x, b.Lang) }

func asks(b policy.Benefit, lang string) []string {
	c, err := policy.Compile(b.Conditions)
	if err != nil {
		return nil
	}
	var out []string
	for _, m := range c.Asks() {
		out = append(out, m.In(lang))
	}
	return out
}

func (s *Handlers) newPolicyPage(w http.ResponseWriter, r *http.Request) error {
	p := &policyData{Form: true, MayManage: true, Policy: policy.Policy{Published: s.today(), InForce: s.today()}}
	return s.showPolicyForm(w, r, p, http.StatusOK)
}

// showPolicyForm renders a policy's form, with the departments for those
// who keep every department's.
func (s *Handlers) showPolicyForm(w http.ResponseWriter, r *http.Request, p *policyData, code int) error {
	var err error
	if p.Departments, err = s.departmentChoice(r); err != nil {
		return err
	}
	if p.Title == "" {
		p.Title = s.T(core.LangOf(r), "pp.new_policy")
	}
	s.Render(w, r, code, "policy_policy", p)
	return nil
}

func (s *Handlers) policyPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	pol, err := s.policy.Policy(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &policyData{Policy: pol, MayManage: policydb.MayManageDepartment(a, pol.DepartmentID)}
	p.Form = p.MayManage && r.URL.Query().Get("edit") == "1"
	p.Title = pol.Title
	if p.Form {
		return s.showPolicyForm(w, r, p, http.StatusOK)
	}
	s.Render(w, r, http.StatusOK, "policy_policy", p)
	return nil
}

func policyFromForm(r *http.Request) policy.Policy {
	return policy.Policy{Title: r.FormValue("title"), Issuer: r.FormValue("issuer"), DocNo: r.FormValue("doc_no"),
		Family: r.FormValue("family"), Published: r.FormValue("published"), InForce: r.FormValue("in_force"), Until: r.FormValue("until"),
		Text: r.FormValue("text"), Version: formInt(r, "version"), DepartmentID: formID(r, "department_id")}
}

// savePolicyPage creates or updates a policy from its form.
func (s *Handlers) savePolicyPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := policyFromForm(r)
	if !keepsEvery(a) {
		in.DepartmentID = 0 // a department's staff keep their own department's
	}
	var err error
	if in.ID, err = optionalID(r); err != nil {
		return err
	}
	out, err := s.policy.SavePolicy(r.Context(), a, in)
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &policyData{Policy: in, Form: true, MayManage: true}
		p.Errors = msgs
		return s.showPolicyForm(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/policy/policies/%d", out.ID), "pp.policy_saved", "")
	return nil
}

// policyStatePage publishes or withdraws a policy.
func (s *Handlers) policyStatePage(to string) core.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, id, err := posted(r)
		if err != nil {
			return err
		}
		if to == policy.Published {
			_, err = s.policy.PublishPolicy(r.Context(), a, id, formInt(r, "version"))
		} else {
			_, err = s.policy.WithdrawPolicy(r.Context(), a, id, formInt(r, "version"))
		}
		if err != nil {
			return err
		}
		s.Done(w, r, fmt.Sprintf("/policy/policies/%d", id), "pp.policy_"+to, "")
		return nil
	}
}
