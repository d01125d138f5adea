package policyweb

import (
	"net/http"
	"strings"

	"qifu/internal/access"
	"qifu/internal/dossier"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/web/core"
)

// The API of policies, benefits, dry runs and conditions.

// Policies.

// policyInput is a policy document as a client writes it.
type policyInput struct {
	Title        string `json:"title"`
	Issuer       string `json:"issuer"`
	DocNo        string `json:"doc_no"`
	Family       string `json:"family"`
	DepartmentID int64  `json:"department_id,omitempty"`
	Published    string `json:"published"`
	InForce      string `json:"in_force"`
	Until        string `json:"until"`
	Text         string `json:"text"`
	Version      int    `json:"version,omitempty"` // a change: the version read
}

func (in policyInput) policy(id int64) policy.Policy {
	return policy.Policy{ID: id, Title: in.Title, Issuer: in.Issuer, DocNo: in.DocNo, Family: in.Family, DepartmentID: in.DepartmentID,
		Published: in.Published, InForce: in.InForce, Until: in.Until, Text: in.Text, Version: in.Version}
}

type versionInput struct {
	Version int `json:"version"`
}

func (s *Handlers) apiPolicies(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[policy.Policy], error) {
	q, page := r.URL.Query(), core.PageOf(r)
	list, total, err := s.policy.Policies(r.Context(), a, policydb.PolicyQuery{Family: q.Get("family"), State: q.Get("state"), Text: q.Get("q"), Page: page})
	for i := range list {
		list[i] = policyOut(list[i])
	}
	return listOf(list, total, page), err
}

func (s *Handlers) apiPolicy(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policy.Policy, error) {
	p, err := s.policy.Policy(r.Context(), a, id)
	return policyOut(p), err
}

// savedPolicy is a policy as saved, read again with its department's name
// and its benefits (as saved, should the read fail: the change is made).
func (s *Handlers) savedPolicy(r *http.Request, a access.Actor, p policy.Policy, err error) (policy.Policy, error) {
	if err != nil {
		return p, err
	}
	if full, err := s.policy.Policy(r.Context(), a, p.ID); err == nil {
		p = full
	}
	return policyOut(p), nil
}

func (s *Handlers) apiCreatePolicy(r *http.Request, a access.Actor, _ int64, in policyInput) (policy.Policy, error) {
	p, err := s.policy.SavePolicy(r.Context(), a, in.policy(0))
	return s.savedPolicy(r, a, p, err)
}

func (s *Handlers) apiUpdatePolicy(r *http.Request, a access.Actor, id int64, in policyInput) (policy.Policy, error) {
	if err := needVersion(in.Version); err != nil {
		return policy.Policy{}, err
	}
	p, err := s.policy.SavePolicy(r.Context(), a, in.policy(id))
	return s.savedPolicy(r, a, p, err)
}

func (s *Handlers) apiPublishPolicy(r *http.Request, a access.Actor, id int64, in versionInput) (policy.Policy, error) {
	if err := needVersion(in.Version); err != nil {
		return policy.Policy{}, err
	}
	p, err := s.policy.PublishPolicy(r.Context(), a, id, in.Version)
	return s.savedPolicy(r, a, p, err)
}

func (s *Handlers) apiWithdrawPolicy(r *http.Request, a access.Actor, id int64, in versionInput) (policy.Policy, error) {
	if err := needVersion(in.Version); err != nil {
		return policy.Policy{}, err
	}
	p, err := s.policy.WithdrawPolicy(r.Context(), a, id, in.Version)
	return s.savedPolicy(r, a, p, err)
}

// Benefits.

// benefitInput is a benefit as a client writes it.
type benefitInput struct {
	PolicyID     int64              `json:"policy_id"`
	Title        string             `json:"title"`
	Kind         policy.BenefitKind `json:"kind"`
	Summary      string             `json:"summary"`
	Conditions   []policy.Condition `json:"conditions"`
	Amount       policy.AmountRule  `json:"amount"`
	DepartmentID int64              `json:"department_id"` // the granting department
	Budget       int64              `json:"budget"`        // yuan; 0 not stated
	Opens        string             `json:"opens"`
	Closes       string             `json:"closes"`
	Mode         policy.Mode        `json:"mode"`
	Materials    []string           `json:"materials"`
	ReviewDays   int                `json:"review_days,omitempty"` // working days; 10 by default
	NoticeDays   int                `json:"notice_days,omitempty"` // 免申即享: days of the public notice; 5 by default
	Platform     string             `json:"platform,omitempty"`    // the official platform that takes the applications; "" qifu
	StackGroup   string             `json:"stack_group,omitempty"`
	Stack        policy.Stack       `json:"stack,omitempty"` // stackable by default
	Version      int                `json:"version,omitempty"`
}

func (in benefitInput) benefit(id int64) policy.Benefit {
	return policy.Benefit{ID: id, PolicyID: in.PolicyID, Title: in.Title, Kind: in.Kind, Summary: in.Summary, Conditions: in.Conditions,
		Amount: in.Amount, DepartmentID: in.DepartmentID, Budget: in.Budget, Opens: in.Opens, Closes: in.Closes, Mode: in.Mode,
		Materials: in.Materials, ReviewDays: in.ReviewDays, NoticeDays: in.NoticeDays, Platform: in.Platform, StackGroup: in.StackGroup,
		Stack: in.Stack, Version: in.Version}
}

func (s *Handlers) apiBenefits(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[policy.Benefit], error) {
	q, page := r.URL.Query(), core.PageOf(r)
	list, total, err := s.policy.Benefits(r.Context(), a, policydb.BenefitQuery{State: q.Get("state"), Department: queryID(r, "department"),
		Mode: policy.Mode(q.Get("mode")), Page: page})
	for i := range list {
		list[i] = benefitOut(list[i])
	}
	return listOf(list, total, page), err
}

func (s *Handlers) apiBenefit(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policy.Benefit, error) {
	b, err := s.policy.Benefit(r.Context(), a, id)
	return benefitOut(b), err
}

// savedBenefit is a benefit as saved, read again with its policy's title
// and its department's name.
func (s *Handlers) savedBenefit(r *http.Request, a access.Actor, b policy.Benefit, err error) (policy.Benefit, error) {
	if err != nil {
		return b, err
	}
	if full, err := s.policy.Benefit(r.Context(), a, b.ID); err == nil {
		b = full
	}
	return benefitOut(b), nil
}

func (s *Handlers) apiCreateBenefit(r *http.Request, a access.Actor, _ int64, in benefitInput) (policy.Benefit, error) {
	if in.PolicyID == 0 {
		return policy.Benefit{}, fault.Fields{"policy_id": {Zh: "请指定所属政策", En: "name the policy"}}.Err()
	}
	b, err := s.policy.SaveBenefit(r.Context(), a, in.benefit(0))
	return s.savedBenefit(r, a, b, err)
}

func (s *Handlers) apiUpdateBenefit(r *http.Request, a access.Actor, id int64, in benefitInput) (policy.Benefit, error) {
	if err := needVersion(in.Version); err != nil {
		return policy.Benefit{}, err
	}
	cur, err := s.policy.Benefit(r.Context(), a, id)
	if err != nil {
		return cur, err
	}
	if in.PolicyID == 0 {
		in.PolicyID = cur.PolicyID // the store refuses another
	}
	b, err := s.policy.SaveBenefit(r.Context(), a, in.benefit(id))
	return s.savedBenefit(r, a, b, err)
}

func (s *Handlers) apiDryRun(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policydb.DryRun, error) {
	d, err := s.policy.DryRun(r.Context(), a, id)
	return dryRunOut(d), err
}

func (s *Handlers) apiLatestDryRun(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policydb.DryRun, error) {
	d, err := s.policy.LatestDryRun(r.Context(), a, id)
	return dryRunOut(d), err
}

type signInput struct {
	Note string `json:"note"`
}

func (s *Handlers) apiSign(r *http.Request, a access.Actor, id int64, in signInput) (policydb.DryRun, error) {
	d, err := s.policy.Sign(r.Context(), a, id, strings.TrimSpace(in.Note))
	return dryRunOut(d), err
}

func (s *Handlers) apiPublishBenefit(r *http.Request, a access.Actor, id int64, in versionInput) (policydb.Published, error) {
	if err := needVersion(in.Version); err != nil {
		return policydb.Published{}, err
	}
	p, err := s.policy.Publish(r.Context(), a, id, in.Version)
	p.Benefit = benefitOut(p.Benefit)
	return p, err
}

func (s *Handlers) apiCloseBenefit(r *http.Request, a access.Actor, id int64, in versionInput) (policy.Benefit, error) {
	if err := needVersion(in.Version); err != nil {
		return policy.Benefit{}, err
	}
	b, err := s.policy.CloseBenefit(r.Context(), a, id, in.Version)
	return benefitOut(b), err
}

func (s *Handlers) apiTold(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.List[policydb.Told], error) {
	page := core.PageOf(r)
	list, total, err := s.policy.ToldOf(r.Context(), a, id, page)
	return listOf(list, total, page), err
}

// Conditions.

// fieldJSON is what a condition can ask.
type fieldJSON struct {
	Key     string       `json:"key"`
	Zh      string       `json:"zh"`
	En      string       `json:"en"`
	Type    policy.Type  `json:"type"`
	Ops     []policy.Op  `json:"ops"`
	Options []optionJSON `json:"options"` // a code field's values; none: industries (GB/T 4754 divisions) and regions (region codes)
	// ValueHint says how a condition's value is written.
	ValueHint fault.Msg `json:"value_hint"`
	// Fact is the kind of the enterprise's file the field reads; "" for
	// the registry's fields, which are authoritative and have no period.
	Fact string `json:"fact"`
	// Period is how the fact is dated: "year" (a condition's period is a
	// year, 2025), "date" (a day, the latest value on or before it), "".
	Period dossier.Period `json:"period"`
	// Holder is who holds the value with authority (a condition with
	// authoritative takes only theirs).
	Holder fault.Msg `json:"holder"`
}

// optionJSON is one value of a code field.
type optionJSON struct {
	Value string `json:"value"`
	Zh    string `json:"zh"`
	En    string `json:"en"`
}

var valueHints = map[policy.Type]fault.Msg{
	policy.Int:    {Zh: "不小于 0 的整数，如 50", En: "a whole number ≥ 0, e.g. 50"},
	policy.Amount: {Zh: "金额，单位万元，最多两位小数，如 2000", En: "an amount in 10k yuan, at most two decimals, e.g. 2000"},
	policy.Share:  {Zh: "0–100 的百分数，如 25", En: "a per cent from 0 to 100, e.g. 25"},
	policy.Bool:   {Zh: "是 或 否", En: "yes or no"},
	policy.Code:   {Zh: "一个或多个代码，以逗号分隔", En: "one or more codes, separated by commas"},
	policy.List:   {Zh: "一个或多个值，以逗号分隔", En: "one or more values, separated by commas"},
	policy.Date:   {Zh: "日期，如 2020-01-01", En: "a date such as 2020-01-01"},
}

func (s *Handlers) apiFields(_ *http.Request, _ access.Actor, _ int64, _ core.NoBody) (core.Items[fieldJSON], error) {
	out := make([]fieldJSON, 0, len(policy.Fields))
	for _, f := range policy.Fields {
		fj := fieldJSON{Key: f.Key, Zh: f.Zh, En: f.En, Type: f.Type, Ops: orEmpty(f.Ops()), Options: []optionJSON{},
			ValueHint: valueHints[f.Type], Fact: f.Fact, Period: f.Period(), Holder: f.Holder}
		for _, o := range f.Options {
			fj.Options = append(fj.Options, optionJSON{Value: o.Value, Zh: o.Zh, En: o.En})
		}
		out = append(out, fj)
	}
	return core.Items[fieldJSON]{Items: out}, nil
}

type conditionsInput struct {
	Conditions []policy.Condition `json:"conditions"`
}

// compiledJSON is what conditions ask, as a person reads them, and the
// kinds of the enterprise's file they read.
type compiledJSON struct {
	Asks  []fault.Msg `json:"asks"`
	Facts []string    `json:"facts"`
}

func (s *Handlers) apiCheckConditions(_ *http.Request, a access.Actor, _ int64, in conditionsInput) (compiledJSON, error) {
	if !access.May(a.Role, access.PolicyManage) {
		return compiledJSON{}, access.ErrForbidden
	}
	if len(in.Conditions) == 0 {
		return compiledJSON{}, fault.Fields{"conditions": {Zh: "请至少设置一个条件", En: "at least one condition"}}.Err()
	}
	c, err := policy.Compile(in.Conditions)
	if err != nil {
		return compiledJSON{}, err
	}
	return compiledJSON{Asks: orEmpty(c.Asks()), Facts: orEmpty(c.Facts())}, nil
}
