package policyweb

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
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
		reflect.TypeFor[policy.Op]():          core.Strings(ops),
		reflect.TypeFor[policy.Type]():        core.Strings([]policy.Type{policy.Int, policy.Amount, policy.Share, policy.Bool, policy.Code, policy.List, policy.Date}),
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
