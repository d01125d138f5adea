package policyweb

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"qifu/internal/access"
	"qifu/internal/department"
	"qifu/internal/enterprise"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// A benefit's pages: the department's builder (conditions as rows of a
// form, each a field, a comparison, a value, a period and whether only an
// authoritative source counts; an expert's CEL row), the dry run with its
// counts by street and condition and the sample to check, the sign-off by
// a second member of staff, the publication; an enterprise's view of the
// benefit with its own verdict, explained, and the way to claim it; and
// the grid worker's list of the enterprises told.

// formRows is how many condition rows the builder shows beyond those set.
const formRows = 3

type benefitData struct {
	base
	Benefit     policy.Benefit
	Policy      policy.Policy
	Fields      []policy.Field
	Rows        []policy.Condition // form-built rows, with blanks to fill
	CELRows     []policy.Condition // expert rows, with one blank
	Departments []department.Department
	Materials   string // one per line
	Asks        []string
	Form        bool
	MayManage   bool
	MaySign     bool
	MayPublish  bool
	MayReview   bool
	Run         *policydb.DryRun
	Item        *policydb.Item // an enterprise's own verdict
	Enterprise  bool
	Claims      []policy.Claim
	Notices     []policydb.Notice
}

// Kinds, Modes, Stacks, AmountKinds are the builder's choices.
func (b *benefitData) Kinds() []policy.Option       { return policy.Kinds }
func (b *benefitData) Stacks() []policy.Option      { return policy.Stacks }
func (b *benefitData) AmountKinds() []policy.Option { return policy.AmountKinds }

// OpName names an operator.
func (b *benefitData) OpName(o policy.Op) string { return o.Sign().In(b.Lang) }

// Ops are every operator, for the builder's select.
func (b *benefitData) Ops() []policy.Op { return ops }

// IsCEL reports whether a form message is of an expert's row.
func (b *benefitData) IsCEL(key string) bool {
	return strings.HasSuffix(key, ".cel") || strings.HasSuffix(key, ".label")
}

// Percent writes a count as a share of all, for the dry run.
func (b *benefitData) Percent(n, of int) string {
	if of == 0 {
		return "0%"
	}
	return strconv.FormatFloat(float64(n)*100/float64(of), 'f', 1, 64) + "%"
}

// Total is the number of enterprises a run looked at.
func (b *benefitData) Total() int {
	if b.Run == nil {
		return 0
	}
	return b.Run.Met + b.Run.Maybe + b.Run.NotMet + b.Run.Barred
}

// Rate writes a share rule's rate.
func (b *benefitData) Rate() string {
	if b.Benefit.Amount.Rate == 0 {
		return ""
	}
	return enterprise.FormatHundredths(b.Benefit.Amount.Rate)
}

// YuanWan writes yuan as 万元 for an input ("" for none).
func (b *benefitData) YuanWan(y int64) string {
	if y == 0 {
		return ""
	}
	return enterprise.FormatWan(y)
}

func (s *Handlers) showBenefit(w http.ResponseWriter, r *http.Request, p *benefitData, code int) error {
	a, _ := core.ActorOf(r)
	ctx := r.Context()
	p.Fields = policy.Fields
	p.Enterprise = a.Role == access.RoleEnterprise
	if p.Form {
		// The granting department may be another than the policy's: the
		// builder offers every one, whoever builds.
		var err error
		if p.Departments, err = s.store.Departments(ctx, a); err != nil {
			return err
		}
		p.Rows, p.CELRows = nil, nil
		for _, c := range p.Benefit.Conditions {
			if c.CEL != "" {
				p.CELRows = append(p.CELRows, c)
			} else {
				p.Rows = append(p.Rows, c)
			}
		}
		for range formRows {
			p.Rows = append(p.Rows, policy.Condition{})
		}
		p.CELRows = append(p.CELRows, policy.Condition{})
		p.Materials = strings.Join(p.Benefit.Materials, "\n")
	}
	p.Asks = asks(p.Benefit, core.LangOf(r))
	if p.Title == "" {
		p.Title = p.Benefit.Title
		if p.Title == "" {
			p.Title = s.T(core.LangOf(r), "pp.new_benefit")
		}
	}
	s.Render(w, r, code, "policy_benefit", p)
	return nil
}

// newBenefitPage is the builder of a new benefit of a policy.
func (s *Handlers) newBenefitPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	pol, err := s.policy.Policy(r.Context(), a, id)
	if err != nil {
		return err
	}
	b := policy.Benefit{PolicyID: pol.ID, Policy: pol.Title, DepartmentID: a.DepartmentID, Opens: s.today(), Closes: pol.Until,
		Mode: policy.Apply, Kind: policy.Subsidy, Amount: policy.AmountRule{Kind: "fixed"}, Stack: policy.Stackable, ReviewDays: 10, NoticeDays: 5}
	return s.showBenefit(w, r, &benefitData{Benefit: b, Policy: pol, Form: true, MayManage: true}, http.StatusOK)
}

// benefitPage is a benefit: the builder's result and its dry run for the
// department, the enterprise's own verdict for an enterprise.
func (s *Handlers) benefitPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	ctx := r.Context()
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.policy.Benefit(ctx, a, id)
	if err != nil {
		return err
	}
	p := &benefitData{Benefit: b, MayManage: s.policy.MayManage(ctx, a, b), MayReview: policydb.MayReview(a, b.DepartmentID)}
	if pol, err := s.policy.Policy(ctx, a, b.PolicyID); err == nil {
		p.Policy = pol
	}
	p.Form = p.MayManage && b.State == policy.Draft && r.URL.Query().Get("edit") == "1"
	if p.MayManage {
		if run, err := s.policy.LatestDryRun(ctx, a, id); err == nil {
			p.Run = &run
			current := run.Version == b.Version && b.State == policy.Draft
			p.MaySign = current && run.SignedBy == 0 && b.EditedBy != a.UserID
			p.MayPublish = current && run.SignedBy != 0
		}
	}
	if a.Role == access.RoleEnterprise && a.EnterpriseID != 0 && b.State == policy.Published {
		cu, err := s.policy.CheckUp(ctx, a, a.EnterpriseID)
		if err != nil {
			return err
		}
		for i := range cu.Items {
			if cu.Items[i].Benefit.ID == b.ID {
				p.Item = &cu.Items[i]
			}
		}
	}
	if p.MayReview {
		if p.Claims, _, err = s.policy.Claims(ctx, a, policydb.ClaimQuery{Benefit: b.ID, Page: store.Page{Size: 100}}); err != nil {
			return err
		}
		if p.Notices, err = s.policy.Notices(ctx, b.ID); err != nil {
			return err
		}
	}
	return s.showBenefit(w, r, p, http.StatusOK)
}

// benefitFromForm reads the builder: the benefit's fields, the condition
// rows (blank ones left out) and the CEL rows.
func benefitFromForm(r *http.Request) policy.Benefit {
	b := policy.Benefit{PolicyID: formID(r, "policy_id"), Title: r.FormValue("title"), Kind: policy.BenefitKind(r.FormValue("kind")),
		Summary: r.FormValue("summary"), DepartmentID: formID(r, "department_id"), Opens: r.FormValue("opens"), Closes: r.FormValue("closes"),
		Mode: policy.Mode(r.FormValue("mode")), ReviewDays: formInt(r, "review_days"), NoticeDays: formInt(r, "notice_days"),
		Platform: r.FormValue("platform"), StackGroup: r.FormValue("stack_group"), Stack: policy.Stack(r.FormValue("stack")),
		Version: formInt(r, "version")}
	b.Budget, _ = wanValue(r.FormValue("budget"))
	b.Amount = policy.AmountRule{Kind: r.FormValue("amount_kind"), Period: strings.TrimSpace(r.FormValue("amount_period"))}
	switch b.Amount.Kind {
	case "fixed":
		b.Amount.Yuan, _ = wanValue(r.FormValue("amount_yuan"))
	case "per_head":
		b.Amount.Yuan, b.Amount.Base = int64(formInt(r, "amount_per_head")), r.FormValue("amount_base")
	case "share":
		b.Amount.Rate, _ = enterprise.ParseHundredths(r.FormValue("amount_rate"))
		b.Amount.Base = r.FormValue("amount_base")
	}
	b.Amount.Cap, _ = wanValue(r.FormValue("amount_cap"))
	for _, m := range strings.Split(r.FormValue("materials"), "\n") {
		b.Materials = append(b.Materials, strings.TrimSpace(m))
	}
	for i := range policy.MaxConditions {
		f := r.FormValue(fmt.Sprintf("c%d_field", i))
		if f == "" {
			continue
		}
		b.Conditions = append(b.Conditions, policy.Condition{Field: f, Op: policy.Op(r.FormValue(fmt.Sprintf("c%d_op", i))),
			Value: r.FormValue(fmt.Sprintf("c%d_value", i)), Period: r.FormValue(fmt.Sprintf("c%d_period", i)),
			Authoritative: r.FormValue(fmt.Sprintf("c%d_auth", i)) == "1"})
	}
	for i := range policy.MaxConditions {
		text := strings.TrimSpace(r.FormValue(fmt.Sprintf("x%d_cel", i)))
		if text == "" {
			continue
		}
		b.Conditions = append(b.Conditions, policy.Condition{CEL: text, Label: r.FormValue(fmt.Sprintf("x%d_label", i)),
			Period: r.FormValue(fmt.Sprintf("x%d_period", i)), Authoritative: r.FormValue(fmt.Sprintf("x%d_auth", i)) == "1"})
	}
	return b
}

// wanValue reads an amount typed in 万元 as yuan; "" is 0.
func wanValue(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	return enterprise.ParseWan(s)
}

// saveBenefitPage creates or updates a draft benefit from the builder.
func (s *Handlers) saveBenefitPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := benefitFromForm(r)
	var err error
	if in.ID, err = optionalID(r); err != nil {
		return err
	}
	out, err := s.policy.SaveBenefit(r.Context(), a, in)
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		pol, _ := s.policy.Policy(r.Context(), a, in.PolicyID)
		p := &benefitData{Benefit: in, Policy: pol, Form: true, MayManage: true}
		p.Errors = msgs
		return s.showBenefit(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/policy/benefits/%d", out.ID), "pp.benefit_saved", "")
	return nil
}

// benefitActPage runs a department's step on a benefit: dryrun, publish, close.
func (s *Handlers) benefitActPage(step string) core.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, id, err := posted(r)
		if err != nil {
			return err
		}
		ctx := r.Context()
		switch step {
		case "dryrun":
			_, err = s.policy.DryRun(ctx, a, id)
		case "publish":
			_, err = s.policy.Publish(ctx, a, id, formInt(r, "version"))
		case "close":
			_, err = s.policy.CloseBenefit(ctx, a, id, formInt(r, "version"))
		case "notice":
			_, err = s.policy.CreateNotice(ctx, a, id)
		case "pay":
			_, err = s.policy.PayAll(ctx, a, id)
		}
		if err != nil {
			return err
		}
		s.Done(w, r, fmt.Sprintf("/policy/benefits/%d", id), "pp.done_"+step, "")
		return nil
	}
}

// signPage signs a dry run off.
func (s *Handlers) signPage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	run, err := s.policy.Sign(r.Context(), a, id, r.FormValue("note"))
	if err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/policy/benefits/%d", run.BenefitID), "pp.done_sign", "")
	return nil
}

type toldData struct {
	base
	Benefit policy.Benefit
	Rows    []policydb.Told
	Total   int
	Pager   core.Pager
}

// toldPage lists the enterprises of the caller's reach told of a benefit,
// with their claims: the grid worker's list to follow up.
func (s *Handlers) toldPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.policy.Benefit(r.Context(), a, id)
	if err != nil {
		return err
	}
	page := core.PageOf(r)
	rows, total, err := s.policy.ToldOf(r.Context(), a, id, page)
	if err != nil {
		return err
	}
	p := &toldData{Benefit: b, Rows: rows, Total: total, Pager: core.NewPager(r, page, total)}
	p.Title = b.Title
	s.Render(w, r, http.StatusOK, "policy_told", p)
	return nil
}
