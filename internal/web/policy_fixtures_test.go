package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"qifu/internal/enterprise"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/web/core"
)

// Precise push (精准推送) the route matrix, the page tests and TestPolicyPages
// start from: the tax bureau keeps a policy document of its own and grants
// two benefits of it to the enterprises of the showcase community — one to
// apply for with materials, one without applying (免申即享) — each written by
// its department's showcase account, dry-run, signed off by the
// administrator (not the editor) and published. The showcase enterprise
// applies for the first; it confirms the second with its bank account and
// the bureau puts it on a public notice. The bureau keeps an innovation
// resource that fits the showcase enterprise, which requests it.

// policyEnt is the enterprise the fixture's claims are of: the showcase
// enterprise, whose account is "enterprise".
var policyEnt = byCode[demoAccount("enterprise").EnterpriseCode]

// policyKeeper is the department that keeps the fixture's policy and grants
// its benefits, and policyEditor its showcase account, who writes them.
const (
	policyKeeper = "tax"
	policyEditor = "dept_tax"
)

// policyMaterials are what an application for the fixture's apply benefit lists.
var policyMaterials = []string{"营业执照复印件", "上年度社保参保缴费证明"}

// givenMaterials are what an application gives for the listed materials.
func givenMaterials() []policy.Material {
	return []policy.Material{{Name: policyMaterials[0], Given: "见附件"}, {Name: policyMaterials[1], Given: "参保 32 人，见附件"}}
}

// policyIn is a policy document of the department dept as the API takes it.
func (s *site) policyIn(dept int64) map[string]any {
	n := codeSeq.Add(1)
	return map[string]any{"title": fmt.Sprintf("关于支持小微企业稳岗扩就业的若干措施（第%d号）", n), "issuer": "宁波市北仑区人民政府",
		"doc_no": fmt.Sprintf("仑政发〔2026〕%d号", n%10000), "family": "稳岗扩就业", "department_id": dept,
		"published": s.poolDay(-30), "in_force": s.poolDay(-30), "until": s.poolDay(365),
		"text": "为支持小微企业稳定岗位、扩大就业，现提出如下措施：一、对辖区小微企业给予稳岗补贴……"}
}

// communityConditions are met by every enterprise of the showcase community
// (from the registry: nothing to supply).
func communityConditions() []policy.Condition {
	return []policy.Condition{{Field: "region", Op: policy.In, Value: showCommunity}}
}

// benefitIn is a benefit of the policy of id granted by dept to the
// enterprises of the showcase community, 2 万元 each, open from today for
// three months: mode apply lists the materials; auto is noticed for 5 days.
func (s *site) benefitIn(policyID, dept int64, mode policy.Mode) map[string]any {
	in := map[string]any{"policy_id": policyID, "title": fmt.Sprintf("小微企业稳岗补贴%d", codeSeq.Add(1)), "kind": "subsidy",
		"summary": "对大港社区的小微企业给予一次性稳岗补贴 2 万元。", "conditions": communityConditions(),
		"amount": policy.AmountRule{Kind: "fixed", Yuan: 20000}, "department_id": dept, "opens": s.poolDay(-1), "closes": s.poolDay(90),
		"mode": mode, "materials": []string{}}
	if mode == policy.Apply {
		in["materials"] = policyMaterials
	} else {
		in["notice_days"] = 5
	}
	return in
}

// policyStage is how far benefitAt takes a benefit.
type policyStage int

const (
	benefitDraft     policyStage = iota // written
	benefitRun                          // dry-run by its editor
	benefitSigned                       // the run signed off by another
	benefitPublished                    // published: the enterprises that qualify are told
)

// policyOf writes a policy document of the keeping department as editor
// and publishes it unless draft.
func (s *site) policyOf(t testing.TB, editor string, dept int64, draft bool) policy.Policy {
	t.Helper()
	var p policy.Policy
	s.poolCall(t, editor, "POST", "/api/v1/policy/policies", s.policyIn(dept), http.StatusCreated, &p)
	if !draft {
		s.poolCall(t, editor, "POST", fmt.Sprintf("/api/v1/policy/policies/%d/publish", p.ID), map[string]int{"version": p.Version},
			http.StatusOK, &p)
	}
	return p
}

// benefitAt writes a benefit of mode of the policy of id, granted by dept,
// as editor and takes it to stage: editor runs it, signer signs the run
// off, editor publishes it. It returns the benefit as it stands and its
// latest run.
func (s *site) benefitAt(t testing.TB, stage policyStage, mode policy.Mode, policyID, dept int64, editor, signer string) (policy.Benefit, policydb.DryRun) {
	t.Helper()
	var b policy.Benefit
	var run policydb.DryRun
	s.poolCall(t, editor, "POST", "/api/v1/policy/benefits", s.benefitIn(policyID, dept, mode), http.StatusCreated, &b)
	if stage == benefitDraft {
		return b, run
	}
	s.poolCall(t, editor, "POST", fmt.Sprintf("/api/v1/policy/benefits/%d/dryrun", b.ID), nil, http.StatusCreated, &run)
	if stage == benefitRun {
		return b, run
	}
	s.poolCall(t, signer, "POST", fmt.Sprintf("/api/v1/policy/dryruns/%d/sign", run.ID), map[string]string{"note": "已抽查样本，与登记信息一致"},
		http.StatusOK, &run)
	if stage == benefitSigned {
		return b, run
	}
	var pub policydb.Published
	s.poolCall(t, editor, "POST", fmt.Sprintf("/api/v1/policy/benefits/%d/publish", b.ID), map[string]int{"version": b.Version},
		http.StatusOK, &pub)
	if pub.Told == 0 || (mode == policy.Auto) != (pub.Matched > 0) {
		t.Fatalf("benefit %d published: told %d, matched %d", b.ID, pub.Told, pub.Matched)
	}
	return pub.Benefit, run
}

// policyClaims lists the claims of a benefit in state as the administrator.
func (s *site) policyClaims(t testing.TB, benefitID int64, state string) []policy.Claim {
	t.Helper()
	var l core.List[policy.Claim]
	s.poolCall(t, "admin", "GET", fmt.Sprintf("/api/v1/policy/claims?benefit=%d&state=%s&size=200", benefitID, state), nil, http.StatusOK, &l)
	return l.Items
}

// matchedClaim is the 免申即享 claim of a benefit matched to the enterprise of id.
func (s *site) matchedClaim(t testing.TB, benefitID, enterpriseID int64) policy.Claim {
	t.Helper()
	for _, c := range s.policyClaims(t, benefitID, policy.Matched) {
		if c.EnterpriseID == enterpriseID {
			return c
		}
	}
	t.Fatalf("benefit %d matched no claim to enterprise %d", benefitID, enterpriseID)
	return policy.Claim{}
}

// confirmAs confirms a matched claim as username with a bank account.
func (s *site) confirmAs(t testing.TB, username string, c policy.Claim) policy.Claim {
	t.Helper()
	var out policy.Claim
	s.poolCall(t, username, "POST", fmt.Sprintf("/api/v1/policy/claims/%d/confirm", c.ID), map[string]any{"bank": "中国工商银行宁波北仑支行",
		"account": fmt.Sprintf("39011400%011d", codeSeq.Add(1)), "version": c.Version}, http.StatusOK, &out)
	return out
}

// policyClaim reads a claim as the administrator.
func (s *site) policyClaim(t testing.TB, id int64) policy.Claim {
	t.Helper()
	var c policy.Claim
	s.poolCall(t, "admin", "GET", fmt.Sprintf("/api/v1/policy/claims/%d", id), nil, http.StatusOK, &c)
	return c
}

// resourceIn is an innovation resource of dept that fits the enterprise e
// (its industry, and another).
func resourceIn(dept int64, e enterprise.Enterprise) map[string]any {
	industries := []string{e.Industry, "35"}
	if e.Industry == "35" {
		industries[1] = "34"
	}
	return map[string]any{"kind": "equipment", "name": fmt.Sprintf("高精度三坐标测量机%d", codeSeq.Add(1)), "provider": "宁波市计量测试研究院",
		"summary": "适用于模具与精密零部件的尺寸检测", "industries": industries, "tags": []string{"精密测量", "检测认证"},
		"contact": "陈工", "phone": "0574-87654321", "terms": "工作日预约使用，本区中小企业八折", "department_id": dept}
}

// requestOf is the showcase enterprise's request of a resource, through the API.
func (s *site) requestOf(t testing.TB, resourceID int64) policydb.Request {
	t.Helper()
	var q policydb.Request
	s.poolCall(t, "enterprise", "POST", fmt.Sprintf("/api/v1/policy/resources/%d/request", resourceID),
		map[string]string{"body": "需对一批注塑模具型腔进行三坐标检测，约 40 件"}, http.StatusCreated, &q)
	return q
}

// policyFix is what policyFixture made.
type policyFix struct {
	Dept       int64 // the keeping and granting department (the tax bureau)
	Enterprise int64 // the showcase enterprise
	Policy     policy.Policy
	Apply      policy.Benefit // published; the showcase enterprise applied
	Run        policydb.DryRun
	Auto       policy.Benefit // published 免申即享
	Claim      policy.Claim   // the showcase enterprise's application, submitted
	AutoClaim  policy.Claim   // its 免申即享 claim, confirmed and on the notice
	Notice     policydb.Notice
	Resource   policy.Resource
	Request    policydb.Request // the showcase enterprise's, open
}

// policyFixture makes the fixture through the API as the showcase
// accounts: the tax bureau's writes, runs and publishes, the administrator
// signs the runs off, the showcase enterprise applies, confirms and
// requests, the bureau notices.
func (s *site) policyFixture(t testing.TB) policyFix {
	t.Helper()
	f := policyFix{Dept: s.deptIDs(t)[policyKeeper], Enterprise: s.entID(t, policyEnt.CreditCode)}
	f.Policy = s.policyOf(t, policyEditor, f.Dept, false)
	f.Apply, f.Run = s.benefitAt(t, benefitPublished, policy.Apply, f.Policy.ID, f.Dept, policyEditor, "admin")
	f.Auto, _ = s.benefitAt(t, benefitPublished, policy.Auto, f.Policy.ID, f.Dept, policyEditor, "admin")
	s.poolCall(t, "enterprise", "POST", fmt.Sprintf("/api/v1/policy/benefits/%d/apply", f.Apply.ID),
		map[string]any{"materials": givenMaterials()}, http.StatusCreated, &f.Claim)
	f.AutoClaim = s.confirmAs(t, "enterprise", s.matchedClaim(t, f.Auto.ID, f.Enterprise))
	s.poolCall(t, policyEditor, "POST", fmt.Sprintf("/api/v1/policy/benefits/%d/notice", f.Auto.ID), nil, http.StatusCreated, &f.Notice)
	f.AutoClaim = s.policyClaim(t, f.AutoClaim.ID)
	s.poolCall(t, policyEditor, "POST", "/api/v1/policy/resources", resourceIn(f.Dept, policyEnt), http.StatusCreated, &f.Resource)
	f.Request = s.requestOf(t, f.Resource.ID)
	return f
}

// policyPath puts the fixture's records into a route's path: its policy,
// benefits (the notices and payments of the 免申即享 one, the rest of the
// one applied for), dry run, claim, notice, resource and request, and the
// showcase enterprise where a page or call is about an enterprise. It
// reports false for a path that is not precise push's.
func policyPath(f policyFix, path string) (string, bool) {
	if path != "/policy" && !hasAnyPrefix(path, "/policy/", "/api/v1/policy/") {
		return path, false
	}
	switch path {
	case "/policy/checkup", "/policy/resources/mine", "/api/v1/policy/checkup", "/api/v1/policy/resources/recommended":
		return fmt.Sprintf("%s?enterprise=%d", path, f.Enterprise), true
	}
	if !strings.Contains(path, "{id}") {
		return path, true
	}
	var id int64
	rest := path[strings.Index(path, "{id}")+len("{id}"):]
	switch {
	case strings.Contains(path, "/policies/{id}"):
		id = f.Policy.ID
	case strings.Contains(path, "/benefits/{id}"):
		id = f.Apply.ID
		if hasAnyPrefix(rest, "/notice", "/pay") {
			id = f.Auto.ID
		}
	case strings.Contains(path, "/dryruns/{id}"):
		id = f.Run.ID
	case strings.Contains(path, "/claims/{id}"):
		id = f.Claim.ID
	case strings.Contains(path, "/notices/{id}"):
		id = f.Notice.ID
	case strings.Contains(path, "/resources/{id}"):
		id = f.Resource.ID
	case strings.Contains(path, "/requests/{id}"):
		id = f.Request.ID
	default:
		return path, false
	}
	return strings.Replace(path, "{id}", fmt.Sprint(id), 1), true
}
