package policyweb

import (
	"bytes"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"qifu/internal/access"
	"qifu/internal/dossier"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/sheet"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// The API of precise push under /api/v1/policy: what the pages do, for
// the province's benefits platform, a department's own systems and the
// apps. Every answer is JSON but the payment list (.xlsx); every change
// takes the record's version where it has one and answers 409 when it is
// stale; a record out of the caller's scope answers 404.

// apiRoutes lists the module's API routes; Routes appends them to the pages.
func (s *Handlers) apiRoutes() []core.Route {
	const signedIn = core.SignedIn
	route := core.NewRoute
	paging := core.Paging
	enterprise := core.Param{Name: "enterprise", Type: "integer", Description: "an enterprise's id (an enterprise's account: its own by default)"}
	return []core.Route{
		// Policies.
		route("GET", "/api/v1/policy/policies", signedIn, access.PolicyRead, "policy documents, the newest first: published and withdrawn ones are everyone's, drafts their department's (family: a package such as 甬18条; state: draft, published or withdrawn; q: words of the title or document number)", core.Call(http.StatusOK, s.apiPolicies)).
			Gives(http.StatusOK, core.List[policy.Policy]{}).Queries(core.Param{Name: "family"}, core.Param{Name: "state", Enum: []string{policy.Draft, policy.Published, policy.Retracted}},
			core.Param{Name: "q"}).Queries(paging...),
		route("POST", "/api/v1/policy/policies", signedIn, access.PolicyManage, "add a policy document of the caller's department as a draft (department_id: the caller's by default)", core.Call(http.StatusCreated, s.apiCreatePolicy)).
			Takes(examplePolicy).Gives(http.StatusCreated, policy.Policy{}),
		route("GET", "/api/v1/policy/policies/{id}", signedIn, access.PolicyRead, "a policy document with its benefits", core.Call(http.StatusOK, s.apiPolicy)).
			Gives(http.StatusOK, policy.Policy{}),
		route("PUT", "/api/v1/policy/policies/{id}", signedIn, access.PolicyManage, "correct a policy document (needs version); its state changes only by publish and withdraw", core.Call(http.StatusOK, s.apiUpdatePolicy)).
			Takes(withVersion(examplePolicy)).Gives(http.StatusOK, policy.Policy{}),
		route("POST", "/api/v1/policy/policies/{id}/publish", signedIn, access.PolicyManage, "publish a draft policy document (needs version): its title and number go to the group robots, never who qualifies", core.Call(http.StatusOK, s.apiPublishPolicy)).
			Takes(versionInput{Version: 1}).Gives(http.StatusOK, policy.Policy{}),
		route("POST", "/api/v1/policy/policies/{id}/withdraw", signedIn, access.PolicyManage, "withdraw a published policy document (needs version): its benefits close", core.Call(http.StatusOK, s.apiWithdrawPolicy)).
			Takes(versionInput{Version: 2}).Gives(http.StatusOK, policy.Policy{}),

		// Benefits, their conditions, dry run, sign-off and publication.
		route("GET", "/api/v1/policy/benefits", signedIn, access.PolicyRead, "benefits: published and closed ones are everyone's, drafts their departments' (state: draft, published, withdrawn, or open — published with its window not yet closed)", core.Call(http.StatusOK, s.apiBenefits)).
			Gives(http.StatusOK, core.List[policy.Benefit]{}).Queries(core.Param{Name: "state", Enum: []string{policy.Draft, policy.Published, policy.Retracted, "open"}},
			core.Param{Name: "department", Type: "integer", Description: "the granting department's id"},
			core.Param{Name: "mode", Enum: []string{string(policy.Apply), string(policy.Auto)}, Description: "apply: with materials; auto: 免申即享"}).Queries(paging...),
		route("POST", "/api/v1/policy/benefits", signedIn, access.PolicyManage, "add a draft benefit to a policy: its conditions are type-checked, each refusal at its place (conditions[1].value); fields lists what a condition can ask", core.Call(http.StatusCreated, s.apiCreateBenefit)).
			Takes(exampleBenefit).Gives(http.StatusCreated, policy.Benefit{}),
		route("GET", "/api/v1/policy/benefits/{id}", signedIn, access.PolicyRead, "a benefit with its conditions, amount rule, window and materials", core.Call(http.StatusOK, s.apiBenefit)).
			Gives(http.StatusOK, policy.Benefit{}),
		route("PUT", "/api/v1/policy/benefits/{id}", signedIn, access.PolicyManage, "change a draft benefit (needs version); a published benefit is not changed: a change of rules is a new benefit", core.Call(http.StatusOK, s.apiUpdateBenefit)).
			Takes(withBenefitVersion(exampleBenefit)).Gives(http.StatusOK, policy.Benefit{}),
		route("POST", "/api/v1/policy/benefits/{id}/dryrun", signedIn, access.PolicyManage, "run a draft benefit over every enterprise: how many qualify, may qualify and do not, by street and by condition, with a sample to check", core.Call(http.StatusCreated, s.apiDryRun)).
			Gives(http.StatusCreated, policydb.DryRun{}),
		route("GET", "/api/v1/policy/benefits/{id}/dryrun", signedIn, access.PolicyManage, "a benefit's latest dry run (404 when none)", core.Call(http.StatusOK, s.apiLatestDryRun)).
			Gives(http.StatusOK, policydb.DryRun{}),
		route("POST", "/api/v1/policy/dryruns/{id}/sign", signedIn, access.PolicyManage, "sign a dry run off once its sample is checked: someone other than the benefit's last editor, for its current version", core.Call(http.StatusOK, s.apiSign)).
			Takes(signInput{Note: "已抽查样本 12 家，认定结果与社保、税务数据一致"}).Gives(http.StatusOK, policydb.DryRun{}),
		route("POST", "/api/v1/policy/benefits/{id}/publish", signedIn, access.PolicyManage, "publish a benefit at its version after a signed dry run of it: each enterprise that qualifies or may qualify is told once, privately; a 免申即享 benefit matches those that qualify, which then confirm", core.Call(http.StatusOK, s.apiPublishBenefit)).
			Takes(versionInput{Version: 3}).Gives(http.StatusOK, policydb.Published{}),
		route("POST", "/api/v1/policy/benefits/{id}/close", signedIn, access.PolicyManage, "close a benefit (needs version): no new claims; open ones stay with the department", core.Call(http.StatusOK, s.apiCloseBenefit)).
			Takes(versionInput{Version: 4}).Gives(http.StatusOK, policy.Benefit{}),
		route("GET", "/api/v1/policy/benefits/{id}/enterprises", signedIn, access.PolicyRead, "the enterprises of the caller's reach told of a benefit, those that qualify and have not claimed first, with their claims", core.Call(http.StatusOK, s.apiTold)).
			Gives(http.StatusOK, core.List[policydb.Told]{}).Queries(paging...),
		route("GET", "/api/v1/policy/fields", signedIn, access.PolicyRead, "what a condition can ask: each field's key, names, type, operators, values, who holds it with authority and how its facts are dated (period: year, date or none)", core.Call(http.StatusOK, s.apiFields)).
			Gives(http.StatusOK, core.Items[fieldJSON]{}),
		route("POST", "/api/v1/policy/conditions/check", signedIn, access.PolicyManage, "type-check conditions without saving them: 200 with what each asks as a person reads it, or 422 with each refusal at its place (region codes are checked on saving)", core.Call(http.StatusOK, s.apiCheckConditions)).
			Takes(conditionsInput{Conditions: exampleConditions}).Gives(http.StatusOK, compiledJSON{}),

		// An enterprise's check-up.
		route("GET", "/api/v1/policy/checkup", signedIn, access.PolicyRead, "an enterprise's policy check-up: every benefit in force met, maybe or not, each condition explained, the one missing fact to supply; its own account opening it reads what it was told", core.Call(http.StatusOK, s.apiCheckUp)).
			Gives(http.StatusOK, policydb.CheckUp{}).Queries(enterprise),
		route("POST", "/api/v1/policy/checkup/fact", signedIn, access.PolicyClaim, "supply a fact a check-up asks for (value as typed: people, 万元, per cent); recorded with the caller's source, the enterprise is evaluated again at once (period: a year or a day, the last year or today by default)", core.Call(http.StatusOK, s.apiSupplyFact)).
			Takes(factInput{EnterpriseID: 12, Kind: "revenue", Period: "2025", Value: "1280"}).Gives(http.StatusOK, policydb.CheckUp{}),
		route("POST", "/api/v1/policy/checkup/ask", signedIn, access.PolicyClaim, "ask the enterprise's cadres and grid worker about a benefit of its check-up", core.Call(http.StatusOK, s.apiAsk)).
			Takes(askInput{EnterpriseID: 12, BenefitID: 5}).Gives(http.StatusOK, askedJSON{}),

		// Claims: applications and 免申即享.
		route("GET", "/api/v1/policy/claims", signedIn, access.PolicyRead, "claims the caller may read, the nearest review limit first: an enterprise's own, a region's, a department's on the benefits it grants (bank accounts masked but for the enterprise and the granting department)", core.Call(http.StatusOK, s.apiClaims)).
			Gives(http.StatusOK, core.List[policy.Claim]{}).Queries(core.Param{Name: "benefit", Type: "integer"}, enterprise,
			core.Param{Name: "state", Enum: optionValues(policy.ClaimStates)}, core.Param{Name: "notice", Type: "integer", Description: "a public notice's id"}).Queries(paging...),
		route("GET", "/api/v1/policy/claims/{id}", signedIn, access.PolicyRead, "a claim", core.Call(http.StatusOK, s.apiClaim)).
			Gives(http.StatusOK, policy.Claim{}),
		route("POST", "/api/v1/policy/benefits/{id}/apply", signedIn, access.PolicyClaim, "apply for a benefit within its window, with what is given for each listed material: refused when the enterprise does not qualify, is barred, holds a benefit of its group that does not stack, or has applied already", core.Call(http.StatusCreated, s.apiApply)).
			Takes(applyInput{EnterpriseID: 12, Materials: []policy.Material{{Name: "营业执照复印件", Given: "见附件"}, {Name: "2025 年度社保参保缴费证明", Given: "2025 年 12 月参保 32 人，见附件"}}}).
			Gives(http.StatusCreated, policy.Claim{}),
		route("POST", "/api/v1/policy/claims/{id}/confirm", signedIn, access.PolicyClaim, "the enterprise confirms a 免申即享 benefit matched to it, with the bank account to pay it to (needs version)", core.Call(http.StatusOK, s.apiConfirm)).
			Takes(confirmInput{Bank: "中国工商银行宁波北仑支行", Account: "3901140009000123456", Version: 1}).Gives(http.StatusOK, policy.Claim{}),
		route("POST", "/api/v1/policy/claims/{id}/act", signedIn, access.PolicyRead, actSummary(), core.Call(http.StatusOK, s.apiAct)).
			Takes(actInput{Action: "approve", Version: 2, Granted: 32000, Ref: "ZJZC-2026-0012345", Note: "省平台审核通过"}).Gives(http.StatusOK, policy.Claim{}),
		route("GET", "/api/v1/policy/benefits/{id}/handover", signedIn, access.PolicyReview, "hand-over to the official platform named by the benefit: the claims of a state (submitted by default) with the enterprise, credit code, amount and the platform's reference, for the platform to take (audited). "+
			"The platform takes each submitted application and the department records its number with POST /api/v1/policy/claims/{id}/act {action: hand_over, ref}; the platform's decision comes back through the same call, {action: approve or refuse, ref, note}", core.Call(http.StatusOK, s.apiHandover)).
			Gives(http.StatusOK, core.Items[policydb.PayRow]{}).Queries(core.Param{Name: "state", Enum: []string{policy.Submitted, policy.Handed, policy.Approved, policy.Refused}, Description: "submitted (default): to hand over; handed: awaiting the platform; approved, refused: decided"}),

		// Public notice and payment of 免申即享 lists.
		route("POST", "/api/v1/policy/benefits/{id}/notice", signedIn, access.PolicyReview, "put every confirmed claim of a 免申即享 benefit on a public notice (公示) from today for the benefit's notice period", core.Call(http.StatusCreated, s.apiCreateNotice)).
			Gives(http.StatusCreated, policydb.Notice{}),
		route("GET", "/api/v1/policy/benefits/{id}/notices", signedIn, access.PolicyRead, "a benefit's public notices, the newest first (without their lists)", core.Call(http.StatusOK, s.apiNotices)).
			Gives(http.StatusOK, core.Items[policydb.Notice]{}),
		route("GET", "/api/v1/policy/notices/{id}", signedIn, access.PolicyRead, "a public notice with its list: the enterprises' names, credit codes and amounts are what a public notice shows to everyone signed in", core.Call(http.StatusOK, s.apiNotice)).
			Gives(http.StatusOK, policydb.Notice{}),
		route("POST", "/api/v1/policy/notices/{id}/approve", signedIn, access.PolicyReview, "approve a notice's list once its period is over: every claim still on it (not objected to) is approved at its amount, within the budget", core.Call(http.StatusOK, s.apiApproveNotice)).
			Gives(http.StatusOK, policydb.Notice{}),
		route("GET", "/api/v1/policy/benefits/{id}/pay.xlsx", signedIn, access.PolicyReview, "the payment list for the payment system as .xlsx: enterprise, credit code, bank, full account, amount in yuan, state, platform reference (audited)", s.apiPayList).
			Sends(core.XLSX).Queries(core.Param{Name: "state", Enum: []string{policy.Approved, policy.Paid}, Description: "approved (default): to pay; paid: paid already"}),
		route("POST", "/api/v1/policy/benefits/{id}/pay", signedIn, access.PolicyReview, "record the payment of every approved claim of a benefit (the payment system's run)", core.Call(http.StatusOK, s.apiPay)).
			Gives(http.StatusOK, paidJSON{}),

		// The blacklist.
		route("POST", "/api/v1/policy/blacklist", signedIn, access.PolicyManage, "record a credit blacklist (失信名单) the caller's department received: every row checked and every credit code known, then all recorded (200), or none and each row's problem (422)", s.apiBlacklist).
			Takes(blacklistInput{Ref: "甬信用办〔2026〕3号", Rows: []blacklistRowInput{{Line: 2, CreditCode: "91330206MA2AGLN71X", Reason: "列入严重违法失信名单", From: "2026-01-15", Until: "2029-01-14"},
				{Line: 3, CreditCode: "91330206MA2H0E001K", Reason: "拖欠农民工工资被列入失信联合惩戒对象", From: "2026-02-01"}}}).
			Gives(http.StatusOK, blacklistResult{}).Fails(http.StatusUnprocessableEntity, blacklistResult{}),

		// Innovation resources.
		route("GET", "/api/v1/policy/resources", signedIn, access.PolicyRead, "the innovation-resource lists, public to everyone signed in (kind: lab, equipment, experts, provider, incubator; industry: a GB/T 4754 division served; q: words of the name, provider or themes)", core.Call(http.StatusOK, s.apiResources)).
			Gives(http.StatusOK, core.List[policy.Resource]{}).Queries(core.Param{Name: "kind", Enum: optionValues(policy.ResourceKinds)},
			core.Param{Name: "industry"}, core.Param{Name: "q"}).Queries(paging...),
		route("POST", "/api/v1/policy/resources", signedIn, access.PolicyManage, "add a resource to the caller's department's list", core.Call(http.StatusCreated, s.apiCreateResource)).
			Takes(exampleResource).Gives(http.StatusCreated, policy.Resource{}),
		route("GET", "/api/v1/policy/resources/recommended", signedIn, access.PolicyRead, "the resources that fit an enterprise, the best first, each with why: its industry, its tags, the technology bottlenecks it reported", core.Call(http.StatusOK, s.apiRecommended)).
			Gives(http.StatusOK, core.Items[policydb.Match]{}).Queries(enterprise),
		route("POST", "/api/v1/policy/resources/digest", signedIn, access.PolicyManage, "tell every enterprise with an account of the resources that fit it best, one notice each", core.Call(http.StatusOK, s.apiDigest)).
			Gives(http.StatusOK, toldJSON{}),
		route("GET", "/api/v1/policy/resources/{id}", signedIn, access.PolicyRead, "a resource", core.Call(http.StatusOK, s.apiResource)).
			Gives(http.StatusOK, policy.Resource{}),
		route("PUT", "/api/v1/policy/resources/{id}", signedIn, access.PolicyManage, "change a resource of the caller's department's list (needs version)", core.Call(http.StatusOK, s.apiUpdateResource)).
			Takes(withResourceVersion(exampleResource)).Gives(http.StatusOK, policy.Resource{}),
		route("POST", "/api/v1/policy/resources/{id}/request", signedIn, access.PolicyClaim, "an enterprise requests a resource, saying what for; the keeping department is told", core.Call(http.StatusCreated, s.apiRequest)).
			Takes(requestInput{EnterpriseID: 12, Body: "需对一批注塑模具型腔进行三坐标检测，约 40 件，希望下周安排"}).Gives(http.StatusCreated, policydb.Request{}),
		route("GET", "/api/v1/policy/requests", signedIn, access.PolicyRead, "requests for resources the caller may read, the open first: an enterprise's own, those on a department's lists", core.Call(http.StatusOK, s.apiRequests)).
			Gives(http.StatusOK, core.List[policydb.Request]{}).Queries(core.Param{Name: "state", Enum: []string{"open", "answered"}}).Queries(paging...),
		route("GET", "/api/v1/policy/requests/{id}", signedIn, access.PolicyRead, "a request for a resource and its answer", core.Call(http.StatusOK, s.apiRequestOf)).
			Gives(http.StatusOK, policydb.Request{}),
		route("POST", "/api/v1/policy/requests/{id}/answer", signedIn, access.PolicyManage, "the provider's answer to a request, by the keeping department (needs version)", core.Call(http.StatusOK, s.apiAnswer)).
			Takes(answerInput{Answer: "已安排 3 月 12 日上午检测，请携带样件到院区 2 号楼", Version: 1}).Gives(http.StatusOK, policydb.Request{}),

		// The funnel.
		route("GET", "/api/v1/policy/funnel", signedIn, access.PolicyRead, "the funnel over the caller's reach, one row per region a level below the caller's and the total last: eligible, told, read, applied or confirmed, approved, paid, with amounts in yuan", core.Call(http.StatusOK, s.apiFunnel)).
			Gives(http.StatusOK, core.Items[policydb.FunnelRow]{}).Queries(core.Param{Name: "benefit", Type: "integer", Description: "one benefit (default: every one)"},
			core.Param{Name: "from", Description: "first day, YYYY-MM-DD"}, core.Param{Name: "to", Description: "last day, YYYY-MM-DD"}),
	}
}

// Enums are the values of the module's string types, for the API
// document's schemas (web.Server.openAPIDoc merges them).
func Enums() map[reflect.Type][]string {
	return map[reflect.Type][]string{
		reflect.TypeFor[policy.BenefitKind](): optionValues(policy.Kinds),
		reflect.TypeFor[policy.Mode]():        {string(policy.Apply), string(policy.Auto)},
		reflect.TypeFor[policy.Stack]():       optionValues(policy.Stacks),
		reflect.TypeFor[policy.Op](): core.Strings([]policy.Op{policy.Ge, policy.Gt, policy.Le, policy.Lt, policy.Eq, policy.Ne,
			policy.In, policy.NotIn, policy.Has, policy.HasNot}),
		reflect.TypeFor[policy.Type](): core.Strings([]policy.Type{policy.Int, policy.Amount, policy.Share, policy.Bool, policy.Code, policy.List, policy.Date}),
	}
}

func optionValues(opts []policy.Option) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = o.Value
	}
	return out
}

// actSummary documents the act call from the claims' table itself.
func actSummary() string {
	var b strings.Builder
	b.WriteString("take a step of a claim at its version (action, version; note: what more is needed, why refused, the objection, the clawback's reason; " +
		"granted: approve's amount in yuan, 0 the amount worked out; materials: resubmit's; ref: the official platform's reference of hand_over and of its decision; " +
		"claw_back: yuan recovered). The steps, each from its states to the next, by its party:")
	for i, t := range policy.Transitions {
		if i > 0 {
			b.WriteString(";")
		}
		mode := "any claim"
		switch t.Mode {
		case policy.Apply:
			mode = "an application"
		case policy.Auto:
			mode = "a 免申即享 claim"
		}
		fmt.Fprintf(&b, " %s (%s, %s → %s, by the %s", t.Action, mode, strings.Join(t.From, " or "), t.To, t.By)
		if t.Reason {
			b.WriteString(", note required")
		}
		b.WriteString(")")
	}
	b.WriteString(". confirm is not taken here but with POST /api/v1/policy/claims/{id}/confirm and the bank account; a 免申即享 claim is noticed and approved with its public notice. " +
		"An enterprise's steps are its own account's or staff's for it (policy.claim), the department's the granting department's (policy.review): another caller who may read the claim is refused (403).")
	return b.String()
}

// Example bodies of the API, for the OpenAPI document.
var (
	exampleConditions = []policy.Condition{
		{Field: "employees", Op: policy.Ge, Value: "10"},
		{Field: "revenue", Op: policy.Ge, Value: "100", Period: "2025", Authoritative: true},
	}
	examplePolicy = policyInput{Title: "关于支持小微企业稳定发展的若干意见", Issuer: "宁波市人民政府", DocNo: "甬政发〔2020〕8号", Family: "甬18条",
		DepartmentID: 3, Published: "2020-03-10", InForce: "2020-03-10", Until: "2026-12-31",
		Text: "为支持小微企业稳定发展，稳定就业岗位，经市政府同意，现提出如下意见：一、加大稳岗支持力度……"}
	exampleBenefit = benefitInput{PolicyID: 1, Title: "小微企业稳岗补贴", Kind: policy.Subsidy,
		Summary:    "对从业人员 10 人以上、上年度营业收入 100 万元以上的小微企业，按社保参保人数每人 1000 元给予稳岗补贴，单家企业最高 50 万元。",
		Conditions: exampleConditions, Amount: policy.AmountRule{Kind: "per_head", Yuan: 1000, Base: "insured", Cap: 500000},
		DepartmentID: 3, Budget: 20_000_000, Opens: "2026-03-01", Closes: "2026-06-30", Mode: policy.Apply,
		Materials: []string{"营业执照复印件", "2025 年度社保参保缴费证明"}, ReviewDays: 10, StackGroup: "稳岗补贴", Stack: policy.Higher}
	exampleResource = resourceInput{Kind: "equipment", Name: "高精度三坐标测量机", Provider: "宁波市计量测试研究院",
		Summary:    "测量范围 1200×1000×800 mm，适用于模具、精密零部件的尺寸与形位公差检测。",
		Industries: []string{"34", "35"}, Tags: []string{"精密测量", "检测认证"}, Contact: "陈工", Phone: "0574-87654321",
		Terms: "工作日 8:30–17:00 预约使用，按机时收费，本区中小企业八折"}
)

func withVersion(p policyInput) policyInput {
	p.Version = 1
	return p
}

func withBenefitVersion(b benefitInput) benefitInput {
	b.Version = 2
	return b
}

func withResourceVersion(r resourceInput) resourceInput {
	r.Version = 1
	return r
}

// orEmpty is a list as the API writes it: [] rather than null.
func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// listOf is a page of a list.
func listOf[T any](items []T, total int, p store.Page) core.List[T] {
	return core.List[T]{Items: orEmpty(items), Total: total, Page: p.Number, Size: core.PageSize(p)}
}

// needVersion refuses a change without the record's version.
func needVersion(v int) error {
	if v <= 0 {
		return core.ErrVersionRequired
	}
	return nil
}

// enterpriseOr is the enterprise a call is for: the one named, or the
// caller's own; a field error when neither.
func enterpriseOr(a access.Actor, id int64, field string) (int64, error) {
	if id == 0 {
		id = a.EnterpriseID
	}
	if id == 0 {
		return 0, fault.Fields{field: {Zh: "请指定企业", En: "name the enterprise"}}.Err()
	}
	return id, nil
}

func benefitOut(b policy.Benefit) policy.Benefit {
	b.Conditions, b.Materials = orEmpty(b.Conditions), orEmpty(b.Materials)
	return b
}

func policyOut(p policy.Policy) policy.Policy {
	p.Benefits = orEmpty(p.Benefits)
	for i := range p.Benefits {
		p.Benefits[i] = benefitOut(p.Benefits[i])
	}
	return p
}

func claimOut(c policy.Claim) policy.Claim {
	c.Materials = orEmpty(c.Materials)
	return c
}

func resourceOut(r policy.Resource) policy.Resource {
	r.Industries, r.Tags = orEmpty(r.Industries), orEmpty(r.Tags)
	return r
}

func dryRunOut(d policydb.DryRun) policydb.DryRun {
	d.ByRegion, d.ByCondition, d.Sample = orEmpty(d.ByRegion), orEmpty(d.ByCondition), orEmpty(d.Sample)
	for i := range d.Sample {
		d.Sample[i].Why = orEmpty(d.Sample[i].Why)
	}
	return d
}

func checkUpOut(cu policydb.CheckUp) policydb.CheckUp {
	cu.Items = orEmpty(cu.Items)
	for i := range cu.Items {
		it := &cu.Items[i]
		it.Benefit, it.Outcomes = benefitOut(it.Benefit), orEmpty(it.Outcomes)
		if it.Claim != nil {
			c := claimOut(*it.Claim)
			it.Claim = &c
		}
	}
	return cu
}

func noticeOut(n policydb.Notice) policydb.Notice {
	n.Rows = orEmpty(n.Rows)
	return n
}

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
	switch in.PolicyID {
	case 0:
		in.PolicyID = cur.PolicyID
	case cur.PolicyID:
	default:
		return policy.Benefit{}, fault.Fields{"policy_id": {Zh: "兑现事项不能移到另一份政策", En: "a benefit stays with its policy"}}.Err()
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

// The check-up.

func (s *Handlers) apiCheckUp(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (policydb.CheckUp, error) {
	id, err := enterpriseOr(a, queryID(r, "enterprise"), "enterprise")
	if err != nil {
		return policydb.CheckUp{}, err
	}
	cu, err := s.policy.CheckUp(r.Context(), a, id)
	return checkUpOut(cu), err
}

type factInput struct {
	EnterpriseID int64  `json:"enterprise_id,omitempty"` // an enterprise's account: its own
	Kind         string `json:"kind"`                    // a field's fact: employees, insured, revenue …
	Period       string `json:"period,omitempty"`
	Value        string `json:"value"`
}

func (s *Handlers) apiSupplyFact(r *http.Request, a access.Actor, _ int64, in factInput) (policydb.CheckUp, error) {
	id, err := enterpriseOr(a, in.EnterpriseID, "enterprise_id")
	if err != nil {
		return policydb.CheckUp{}, err
	}
	cu, err := s.policy.SupplyFact(r.Context(), a, id, strings.TrimSpace(in.Kind), strings.TrimSpace(in.Period), in.Value)
	return checkUpOut(cu), err
}

type askInput struct {
	EnterpriseID int64 `json:"enterprise_id,omitempty"`
	BenefitID    int64 `json:"benefit_id"`
}

type askedJSON struct {
	Asked int `json:"asked"` // the cadres and grid workers asked
}

func (s *Handlers) apiAsk(r *http.Request, a access.Actor, _ int64, in askInput) (askedJSON, error) {
	id, err := enterpriseOr(a, in.EnterpriseID, "enterprise_id")
	if err != nil {
		return askedJSON{}, err
	}
	n, err := s.policy.Ask(r.Context(), a, id, in.BenefitID)
	return askedJSON{Asked: n}, err
}

// Claims.

func (s *Handlers) apiClaims(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[policy.Claim], error) {
	page := core.PageOf(r)
	list, total, err := s.policy.Claims(r.Context(), a, policydb.ClaimQuery{Benefit: queryID(r, "benefit"), Enterprise: queryID(r, "enterprise"),
		State: r.URL.Query().Get("state"), NoticeID: queryID(r, "notice"), Page: page})
	for i := range list {
		list[i] = claimOut(list[i])
	}
	return listOf(list, total, page), err
}

func (s *Handlers) apiClaim(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policy.Claim, error) {
	c, err := s.policy.Claim(r.Context(), a, id)
	return claimOut(c), err
}

type applyInput struct {
	EnterpriseID int64             `json:"enterprise_id,omitempty"` // an enterprise's account: its own
	Materials    []policy.Material `json:"materials"`
}

func (s *Handlers) apiApply(r *http.Request, a access.Actor, id int64, in applyInput) (policy.Claim, error) {
	eid, err := enterpriseOr(a, in.EnterpriseID, "enterprise_id")
	if err != nil {
		return policy.Claim{}, err
	}
	c, err := s.policy.Apply(r.Context(), a, id, eid, in.Materials)
	return claimOut(c), err
}

type confirmInput struct {
	Bank    string `json:"bank"`
	Account string `json:"account"`
	Version int    `json:"version"`
}

func (s *Handlers) apiConfirm(r *http.Request, a access.Actor, id int64, in confirmInput) (policy.Claim, error) {
	if err := needVersion(in.Version); err != nil {
		return policy.Claim{}, err
	}
	c, err := s.policy.Confirm(r.Context(), a, id, in.Version, in.Bank, in.Account)
	return claimOut(c), err
}

// actInput is a step of a claim; which fields a step reads is the act
// route's summary.
type actInput struct {
	Action    string            `json:"action"`
	Version   int               `json:"version"`
	Note      string            `json:"note,omitempty"`
	Granted   int64             `json:"granted,omitempty"`
	Materials []policy.Material `json:"materials,omitempty"`
	Ref       string            `json:"ref,omitempty"`
	ClawBack  int64             `json:"claw_back,omitempty"`
}

func (s *Handlers) apiAct(r *http.Request, a access.Actor, id int64, in actInput) (policy.Claim, error) {
	if strings.TrimSpace(in.Action) == "" {
		return policy.Claim{}, fault.Fields{"action": {Zh: "请指定操作", En: "the action is required"}}.Err()
	}
	if err := needVersion(in.Version); err != nil {
		return policy.Claim{}, err
	}
	c, err := s.policy.Act(r.Context(), a, id, in.Version, policydb.Step{Action: strings.TrimSpace(in.Action), Note: in.Note, Granted: in.Granted,
		Materials: in.Materials, Ref: in.Ref, ClawBack: in.ClawBack})
	return claimOut(c), err
}

// stateParam is a state of the query, def when absent; one of allowed.
func stateParam(r *http.Request, def string, allowed ...string) (string, error) {
	st := r.URL.Query().Get("state")
	if st == "" {
		return def, nil
	}
	for _, v := range allowed {
		if v == st {
			return st, nil
		}
	}
	return "", fault.Fields{"state": {Zh: "可选：" + strings.Join(allowed, "、"), En: "one of " + strings.Join(allowed, ", ")}}.Err()
}

func (s *Handlers) apiHandover(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.Items[policydb.PayRow], error) {
	st, err := stateParam(r, policy.Submitted, policy.Submitted, policy.Handed, policy.Approved, policy.Refused)
	if err != nil {
		return core.Items[policydb.PayRow]{}, err
	}
	rows, err := s.policy.PayList(r.Context(), a, id, st)
	return core.Items[policydb.PayRow]{Items: orEmpty(rows)}, err
}

// Notices and payment.

func (s *Handlers) apiCreateNotice(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policydb.Notice, error) {
	n, err := s.policy.CreateNotice(r.Context(), a, id)
	if err != nil {
		return n, err
	}
	if full, err := s.policy.Notice(r.Context(), n.ID); err == nil {
		n = full
	}
	return noticeOut(n), nil
}

func (s *Handlers) apiNotices(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.Items[policydb.Notice], error) {
	b, err := s.policy.Benefit(r.Context(), a, id) // 404 for a benefit the caller may not read
	if err != nil {
		return core.Items[policydb.Notice]{}, err
	}
	list, err := s.policy.Notices(r.Context(), id)
	for i := range list {
		list[i].Benefit = b.Title
		list[i] = noticeOut(list[i])
	}
	return core.Items[policydb.Notice]{Items: orEmpty(list)}, err
}

func (s *Handlers) apiNotice(r *http.Request, _ access.Actor, id int64, _ core.NoBody) (policydb.Notice, error) {
	n, err := s.policy.Notice(r.Context(), id)
	return noticeOut(n), err
}

func (s *Handlers) apiApproveNotice(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policydb.Notice, error) {
	n, err := s.policy.ApproveNotice(r.Context(), a, id)
	return noticeOut(n), err
}

// payHeader is the payment list's header, in the words of the payment
// system's import (the same in either language of the interface).
var payHeader = []string{"企业名称", "统一社会信用代码", "开户银行", "账号", "金额（元）", "状态", "平台编号"}

// apiPayList sends a benefit's claims of a state as a workbook for the
// payment system: the full accounts, so the store audits it.
func (s *Handlers) apiPayList(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	st, err := stateParam(r, policy.Approved, policy.Approved, policy.Paid)
	if err != nil {
		return err
	}
	rows, err := s.policy.PayList(r.Context(), a, id, st)
	if err != nil {
		return err
	}
	data := make([][]any, 0, len(rows))
	for _, p := range rows {
		data = append(data, []any{p.Enterprise, p.CreditCode, p.Bank, p.Account, p.Amount, policy.StateName(p.State).Zh, p.Ref})
	}
	var buf bytes.Buffer
	if err := sheet.WriteTables(&buf, []sheet.Table{{Name: "拨付名单", Header: payHeader, Rows: data}}); err != nil {
		return err
	}
	core.SendXLSX(w, fmt.Sprintf("policy-pay-%d-%s-%s.xlsx", id, st, s.today()), buf.Bytes())
	return nil
}

type paidJSON struct {
	Paid int `json:"paid"` // claims recorded as paid
}

func (s *Handlers) apiPay(r *http.Request, a access.Actor, id int64, _ core.NoBody) (paidJSON, error) {
	n, err := s.policy.PayAll(r.Context(), a, id)
	return paidJSON{Paid: n}, err
}

// The blacklist.

type blacklistInput struct {
	Ref  string              `json:"ref"` // the list's document or batch, kept with each entry
	Rows []blacklistRowInput `json:"rows"`
}

// blacklistRowInput is an entry of a blacklist; line numbers the row in
// the caller's file (its place in rows, from 1, when absent).
type blacklistRowInput struct {
	Line       int    `json:"line,omitempty"`
	CreditCode string `json:"credit_code"`
	Reason     string `json:"reason"`
	From       string `json:"from"`
	Until      string `json:"until,omitempty"` // "" open
}

// blacklistResult is what recording a blacklist did: every row recorded,
// or none and each refused row's problem.
type blacklistResult struct {
	Applied  bool          `json:"applied"`
	Recorded int           `json:"recorded"`
	Rejected []rejectedRow `json:"rejected"`
}

// rejectedRow is a row not recorded, with its problem in words.
type rejectedRow struct {
	Line       int    `json:"line"`
	CreditCode string `json:"credit_code"`
	Problems   string `json:"problems"`
}

func (s *Handlers) apiBlacklist(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in blacklistInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if len([]rune(in.Ref)) > 60 {
		return fault.Fields{"ref": {Zh: "文号不能超过 60 字", En: "the reference is at most 60 characters"}}.Err()
	}
	rows := make([]policydb.BlacklistRow, len(in.Rows))
	for i, row := range in.Rows {
		line := row.Line
		if line == 0 {
			line = i + 1
		}
		rows[i] = policydb.BlacklistRow{Line: line, CreditCode: row.CreditCode, Reason: row.Reason, From: row.From, Until: row.Until}
	}
	problems, err := s.policy.ImportBlacklist(r.Context(), a, strings.TrimSpace(in.Ref), rows)
	if err != nil {
		return err
	}
	out := blacklistResult{Rejected: []rejectedRow{}}
	if len(problems) == 0 {
		out.Applied, out.Recorded = true, len(rows)
		core.WriteJSON(w, http.StatusOK, out)
		return nil
	}
	lang := core.LangOf(r)
	for _, row := range rows {
		if m, ok := problems[row.Line]; ok {
			out.Rejected = append(out.Rejected, rejectedRow{Line: row.Line, CreditCode: row.CreditCode, Problems: m.In(lang)})
			delete(problems, row.Line) // a line given twice is reported once
		}
	}
	core.WriteJSON(w, http.StatusUnprocessableEntity, out)
	return nil
}

// Innovation resources.

// resourceInput is a resource as a client writes it.
type resourceInput struct {
	Kind         string   `json:"kind"`
	Name         string   `json:"name"`
	Provider     string   `json:"provider"`
	Summary      string   `json:"summary"`
	Industries   []string `json:"industries"` // GB/T 4754 divisions served: "34"
	Tags         []string `json:"tags"`
	Contact      string   `json:"contact"`
	Phone        string   `json:"phone"`
	Terms        string   `json:"terms"`
	DepartmentID int64    `json:"department_id,omitempty"` // the keeping department: the caller's by default
	Version      int      `json:"version,omitempty"`
}

func (in resourceInput) resource(id int64) policy.Resource {
	return policy.Resource{ID: id, Kind: in.Kind, Name: in.Name, Provider: in.Provider, Summary: in.Summary, Industries: in.Industries,
		Tags: in.Tags, Contact: in.Contact, Phone: in.Phone, Terms: in.Terms, DepartmentID: in.DepartmentID, Version: in.Version}
}

func (s *Handlers) apiResources(r *http.Request, _ access.Actor, _ int64, _ core.NoBody) (core.List[policy.Resource], error) {
	q, page := r.URL.Query(), core.PageOf(r)
	list, total, err := s.policy.Resources(r.Context(), policydb.ResourceQuery{Kind: q.Get("kind"), Industry: q.Get("industry"), Text: q.Get("q"), Page: page})
	for i := range list {
		list[i] = resourceOut(list[i])
	}
	return listOf(list, total, page), err
}

func (s *Handlers) apiResource(r *http.Request, _ access.Actor, id int64, _ core.NoBody) (policy.Resource, error) {
	res, err := s.policy.Resource(r.Context(), id)
	return resourceOut(res), err
}

func (s *Handlers) apiCreateResource(r *http.Request, a access.Actor, _ int64, in resourceInput) (policy.Resource, error) {
	res, err := s.policy.SaveResource(r.Context(), a, in.resource(0))
	return resourceOut(res), err
}

func (s *Handlers) apiUpdateResource(r *http.Request, a access.Actor, id int64, in resourceInput) (policy.Resource, error) {
	if err := needVersion(in.Version); err != nil {
		return policy.Resource{}, err
	}
	cur, err := s.policy.Resource(r.Context(), id)
	if err != nil {
		return cur, err
	}
	if in.DepartmentID == 0 {
		in.DepartmentID = cur.DepartmentID
	} else if in.DepartmentID != cur.DepartmentID {
		return policy.Resource{}, fault.Fields{"department_id": {Zh: "资源不能移到另一部门的清单", En: "a resource stays on its department's list"}}.Err()
	}
	res, err := s.policy.SaveResource(r.Context(), a, in.resource(id))
	return resourceOut(res), err
}

// recommendLimit is how many resources a recommendation lists.
const recommendLimit = 20

func (s *Handlers) apiRecommended(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.Items[policydb.Match], error) {
	id, err := enterpriseOr(a, queryID(r, "enterprise"), "enterprise")
	if err != nil {
		return core.Items[policydb.Match]{}, err
	}
	list, err := s.policy.Recommend(r.Context(), a, id, recommendLimit)
	for i := range list {
		list[i].Resource, list[i].Fit.Reasons = resourceOut(list[i].Resource), orEmpty(list[i].Fit.Reasons)
	}
	return core.Items[policydb.Match]{Items: orEmpty(list)}, err
}

type toldJSON struct {
	Told int `json:"told"` // enterprises told
}

func (s *Handlers) apiDigest(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (toldJSON, error) {
	n, err := s.policy.Digest(r.Context(), a)
	return toldJSON{Told: n}, err
}

type requestInput struct {
	EnterpriseID int64  `json:"enterprise_id,omitempty"` // an enterprise's account: its own
	Body         string `json:"body"`
}

func (s *Handlers) apiRequest(r *http.Request, a access.Actor, id int64, in requestInput) (policydb.Request, error) {
	eid, err := enterpriseOr(a, in.EnterpriseID, "enterprise_id")
	if err != nil {
		return policydb.Request{}, err
	}
	return s.policy.RequestResource(r.Context(), a, id, eid, in.Body)
}

func (s *Handlers) apiRequests(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[policydb.Request], error) {
	page := core.PageOf(r)
	list, total, err := s.policy.Requests(r.Context(), a, r.URL.Query().Get("state"), page)
	return listOf(list, total, page), err
}

func (s *Handlers) apiRequestOf(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policydb.Request, error) {
	return s.policy.RequestOf(r.Context(), a, id)
}

type answerInput struct {
	Answer  string `json:"answer"`
	Version int    `json:"version"`
}

func (s *Handlers) apiAnswer(r *http.Request, a access.Actor, id int64, in answerInput) (policydb.Request, error) {
	if err := needVersion(in.Version); err != nil {
		return policydb.Request{}, err
	}
	return s.policy.Answer(r.Context(), a, id, in.Version, in.Answer)
}

// The funnel.

func (s *Handlers) apiFunnel(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.Items[policydb.FunnelRow], error) {
	q := r.URL.Query()
	rows, err := s.policy.Funnel(r.Context(), a, policydb.FunnelQuery{Benefit: queryID(r, "benefit"), From: q.Get("from"), To: q.Get("to")})
	return core.Items[policydb.FunnelRow]{Items: orEmpty(rows)}, err
}
