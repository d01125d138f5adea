package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
)

// The access matrix's oracle of precise push, read off the permission
// table (PolicyRead, PolicyManage, PolicyClaim, PolicyReview) and the rules
// of the module's store, with the dataset, independently of its SQL:
//
//   - published policies, benefits and public notices, the innovation
//     resources and the fields of a condition are everyone's: the API reads
//     them to anyone signed in, the pages to those who read policies;
//   - a policy and its benefits are kept by their department (PolicyManage,
//     the department's own staff or an administrator): another who sees a
//     published one is refused a change (403); a draft is not found by
//     those who do not keep it, nor is a dry run, a record of its keepers;
//   - a check-up, a claim and a request are read as their enterprise is
//     (PolicyRead: its own account, staff in reach, its cadres); a
//     department reads the claims on the benefits it grants and the
//     requests for the resources it keeps; out of reach they are not found;
//   - an enterprise's part (applying, confirming, supplying a fact, asking,
//     requesting) is taken by those who may claim for it (PolicyClaim); the
//     granting department's (reviewing, the notice, payment, the hand-over
//     and the payment list) by its staff or an administrator (PolicyReview);
//     another who sees the claim is refused (403).
//
// A probe that would change a record every other probe reads is called on
// a record of its own when the account may take it (made fresh, at the
// stage the change needs), and on the shared one when it is refused before
// the store looks at the record's state.

// policyMatrix is what the matrix's cases of precise push work on.
type policyMatrix struct {
	t    *testing.T
	s    *site
	base policyFix
	// shared is a claim of the 免申即享 benefit matched to an enterprise of
	// the showcase grid, left unconfirmed: the confirmations refused are
	// probed on it.
	shared policy.Claim
	// matched are the other matched claims of that benefit, by enterprise:
	// a confirmation that succeeds takes one in the account's reach.
	matched map[int64]policy.Claim
	// used are the enterprises that applied for the shared benefit or whose
	// matched claim was taken.
	used map[int64]bool
	// outside is an enterprise outside the showcase community, which the
	// blacklists name from a day to come.
	outside enterprise.Enterprise
}

// newPolicyMatrix makes the records the probes of precise push work on.
func newPolicyMatrix(t *testing.T, s *site) *policyMatrix {
	t.Helper()
	m := &policyMatrix{t: t, s: s, base: s.policyFixture(t), matched: map[int64]policy.Claim{}, used: map[int64]bool{}}
	m.used[m.base.Enterprise] = true
	for _, c := range s.policyClaims(t, m.base.Auto.ID, policy.Matched) {
		m.matched[c.EnterpriseID] = c
	}
	for _, e := range dataset.Enterprises {
		if c, ok := m.matched[s.entID(t, e.CreditCode)]; ok && e.GridCode == showGrid && m.shared.ID == 0 {
			m.shared = c
			delete(m.matched, c.EnterpriseID)
		}
	}
	if m.shared.ID == 0 {
		t.Fatal("the 免申即享 benefit matched no other enterprise of the showcase grid")
	}
	var ok bool
	if m.outside, ok = pick(func(e enterprise.Enterprise) bool { return e.CommunityCode != showCommunity }); !ok {
		t.Fatal("no enterprise outside the showcase community")
	}
	return m
}

// keeps reports whether the account keeps the fixture's records for the
// action (PolicyManage or PolicyReview): an administrator, or staff of the
// keeping department.
func keeps(u demo.User, action access.Action) bool {
	switch access.ReachOf(u.Role, action) {
	case access.All:
		return true
	case access.Dispatched:
		return u.DepartmentCode == policyKeeper
	}
	return false
}

// readsClaim reports whether the account reads a claim of the enterprise e
// on the fixture's benefits: a department those on the benefits it grants.
func readsClaim(sc scope, e enterprise.Enterprise) bool {
	if access.ReachOf(sc.user.Role, access.PolicyRead) == access.Dispatched {
		return sc.user.DepartmentCode == policyKeeper
	}
	return sc.allows(access.PolicyRead, e)
}

// readsRequest reports whether the account reads a request of the
// enterprise e for the fixture's resource: a department those for the
// resources it keeps.
func readsRequest(sc scope, e enterprise.Enterprise) bool {
	if access.ReachOf(sc.user.Role, access.PolicyManage) == access.Dispatched {
		return sc.user.DepartmentCode == policyKeeper
	}
	return sc.allows(access.PolicyRead, e)
}

// manageWant is a keeper's change of a record everyone sees: refused to
// the others.
func manageWant(u demo.User, ok int) int {
	if keeps(u, access.PolicyManage) {
		return ok
	}
	return http.StatusForbidden
}

// reviewWant is the granting department's step on a benefit everyone sees.
func reviewWant(u demo.User, ok int) int {
	if keeps(u, access.PolicyReview) {
		return ok
	}
	return http.StatusForbidden
}

// keeperOnly is a record only its keepers see (a dry run, a payment list).
func keeperOnly(u demo.User, action access.Action, ok int) int {
	if keeps(u, action) {
		return ok
	}
	return http.StatusNotFound
}

// checkupWant is reading about the showcase enterprise (its check-up, the
// resources recommended to it): refused without the action, not found out
// of reach.
func checkupWant(sc scope, ok int) int {
	switch {
	case !access.May(sc.user.Role, access.PolicyRead):
		return http.StatusForbidden
	case !sc.allows(access.PolicyRead, policyEnt):
		return http.StatusNotFound
	}
	return ok
}

// claimWant is an enterprise's part, taken for an enterprise in reach.
func claimWant(u demo.User, ok int) int { return may(u, access.PolicyClaim, ok) }

// claimStepWant is a step of a claim of the enterprise e by party.
func claimStepWant(sc scope, e enterprise.Enterprise, party policy.Party, ok int) int {
	switch {
	case !readsClaim(sc, e):
		return http.StatusNotFound
	case party == policy.ByDepartment && keeps(sc.user, access.PolicyReview),
		party == policy.ByEnterprise && sc.allows(access.PolicyClaim, e):
		return ok
	}
	return http.StatusForbidden
}

// other is the keeper who signs off what username wrote, and writes what it signs.
func other(username string) string {
	if username == policyEditor {
		return "admin"
	}
	return policyEditor
}

// claimFor is the enterprise the account claims for: the showcase
// enterprise when it may, else one of the showcase community in its reach.
func claimFor(sc scope) enterprise.Enterprise {
	if sc.allows(access.PolicyClaim, policyEnt) {
		return policyEnt
	}
	if e, ok := pick(func(e enterprise.Enterprise) bool {
		return e.CommunityCode == showCommunity && sc.allows(access.PolicyClaim, e)
	}); ok {
		return e
	}
	return policyEnt
}

// applicant is an enterprise of the showcase community in the account's
// reach (any, for those who may not claim) that has not claimed the shared
// benefit: the next to apply for it.
func (m *policyMatrix) applicant(sc scope) enterprise.Enterprise {
	m.t.Helper()
	e, ok := pick(func(e enterprise.Enterprise) bool {
		id := m.s.ents[e.CreditCode]
		return e.CommunityCode == showCommunity && !m.used[id] && (sc.allows(access.PolicyClaim, e) || !access.May(sc.user.Role, access.PolicyClaim))
	})
	if !ok {
		m.t.Fatalf("no enterprise left for %s to apply for", sc.user.Username)
	}
	m.used[m.s.ents[e.CreditCode]] = true
	return e
}

// freshApplication is a submitted application for the shared benefit, made
// by the administrator for an enterprise that has none.
func (m *policyMatrix) freshApplication() (policy.Claim, enterprise.Enterprise) {
	e := m.applicant(scopeOf(demoAccount("admin")))
	var c policy.Claim
	m.s.poolCall(m.t, "admin", "POST", fmt.Sprintf("/api/v1/policy/benefits/%d/apply", m.base.Apply.ID),
		map[string]any{"enterprise_id": m.s.ents[e.CreditCode], "materials": givenMaterials()}, http.StatusCreated, &c)
	return c, e
}

// spare is a matched claim of the shared 免申即享 benefit of an enterprise in
// the account's reach, taken once.
func (m *policyMatrix) spare(sc scope) policy.Claim {
	m.t.Helper()
	for _, e := range dataset.Enterprises {
		id := m.s.ents[e.CreditCode]
		if c, ok := m.matched[id]; ok && !m.used[id] && sc.allows(access.PolicyClaim, e) {
			m.used[id] = true
			return c
		}
	}
	m.t.Fatalf("no matched claim left in the reach of %s", sc.user.Username)
	return policy.Claim{}
}

// toConfirm is the matched claim the account confirms: a spare one in its
// reach, or (for the showcase enterprise's own account) its own of a fresh
// 免申即享 benefit; the shared one when the account may not.
func (m *policyMatrix) toConfirm(sc scope, want, ok int) policy.Claim {
	switch {
	case want != ok:
		return m.shared
	case sc.user.Role == access.RoleEnterprise:
		b := m.publishedBenefit(policy.Auto)
		return m.s.matchedClaim(m.t, b.ID, m.base.Enterprise)
	}
	return m.spare(sc)
}

// confirmedOne confirms one more matched claim of the shared 免申即享 benefit,
// as the administrator: the notice has someone to put on it.
func (m *policyMatrix) confirmedOne() {
	m.s.confirmAs(m.t, "admin", m.spare(scopeOf(demoAccount("admin"))))
}

// freshPolicy is a policy of the keeping department of its own (a draft, or
// published) when the probe should succeed, else the shared one.
func (m *policyMatrix) freshPolicy(want, ok int, draft bool) policy.Policy {
	if want != ok {
		return m.base.Policy
	}
	return m.s.policyOf(m.t, policyEditor, m.base.Dept, draft)
}

// benefitAt is a fresh benefit of the shared policy at stage, written by
// editor and signed off by the other keeper.
func (m *policyMatrix) benefitAt(stage policyStage, mode policy.Mode, editor string) (policy.Benefit, policydb.DryRun) {
	return m.s.benefitAt(m.t, stage, mode, m.base.Policy.ID, m.base.Dept, editor, other(editor))
}

// publishedBenefit is a fresh published benefit of mode.
func (m *policyMatrix) publishedBenefit(mode policy.Mode) policy.Benefit {
	b, _ := m.benefitAt(benefitPublished, mode, policyEditor)
	return b
}

// freshBenefit is a benefit of the shared policy at stage when the probe
// should succeed, else the shared one applied for.
func (m *policyMatrix) freshBenefit(want, ok int, stage policyStage) policy.Benefit {
	if want != ok {
		return m.base.Apply
	}
	b, _ := m.benefitAt(stage, policy.Apply, policyEditor)
	return b
}

// freshRequest is a request of the showcase enterprise for the shared
// resource when the probe should succeed, else the shared one.
func (m *policyMatrix) freshRequest(want, ok int) policydb.Request {
	if want != ok {
		return m.base.Request
	}
	return m.s.requestOf(m.t, m.base.Resource.ID)
}

// resourceVersion is the shared resource's version now.
func (m *policyMatrix) resourceVersion() int {
	var r policy.Resource
	m.s.poolCall(m.t, "admin", "GET", fmt.Sprintf("/api/v1/policy/resources/%d", m.base.Resource.ID), nil, http.StatusOK, &r)
	return r.Version
}

// policyNow is the shared policy as it stands.
func (m *policyMatrix) policyNow() policy.Policy {
	var p policy.Policy
	m.s.poolCall(m.t, "admin", "GET", fmt.Sprintf("/api/v1/policy/policies/%d", m.base.Policy.ID), nil, http.StatusOK, &p)
	return p
}

// policyForm is the form of a policy document; the keeping department is
// named, as the administrator's form would.
func policyForm(p map[string]any, version int) url.Values {
	v := url.Values{}
	for _, k := range []string{"title", "issuer", "doc_no", "family", "published", "in_force", "until", "text"} {
		v.Set(k, fmt.Sprint(p[k]))
	}
	v.Set("department_id", fmt.Sprint(p["department_id"]))
	if version > 0 {
		v.Set("version", fmt.Sprint(version))
	}
	return v
}

// benefitForm is the builder filled in with a benefit like benefitIn: one
// condition row of the form (c0_…).
func benefitForm(s *site, policyID, dept int64, version int) url.Values {
	in := s.benefitIn(policyID, dept, policy.Apply)
	v := url.Values{"policy_id": {fmt.Sprint(policyID)}, "title": {fmt.Sprint(in["title"])}, "kind": {"subsidy"},
		"summary": {fmt.Sprint(in["summary"])}, "department_id": {fmt.Sprint(dept)}, "opens": {fmt.Sprint(in["opens"])},
		"closes": {fmt.Sprint(in["closes"])}, "mode": {"apply"}, "materials": {strings.Join(policyMaterials, "\n")},
		"review_days": {"10"}, "stack": {"stackable"}, "amount_kind": {"fixed"}, "amount_yuan": {"2"},
		"c0_field": {"region"}, "c0_op": {"in"}, "c0_value": {showCommunity}}
	if version > 0 {
		v.Set("version", fmt.Sprint(version))
	}
	return v
}

// resourceForm is the form of a resource like resourceIn.
func resourceForm(in map[string]any, version int) url.Values {
	v := url.Values{"kind": {fmt.Sprint(in["kind"])}, "name": {fmt.Sprint(in["name"])}, "provider": {fmt.Sprint(in["provider"])},
		"summary": {fmt.Sprint(in["summary"])}, "industries": {strings.Join(in["industries"].([]string), ",")},
		"tags": {strings.Join(in["tags"].([]string), ",")}, "contact": {fmt.Sprint(in["contact"])}, "phone": {fmt.Sprint(in["phone"])},
		"terms": {fmt.Sprint(in["terms"])}, "department_id": {fmt.Sprint(in["department_id"])}}
	if version > 0 {
		v.Set("version", fmt.Sprint(version))
	}
	return v
}

// cases are the matrix's cases of precise push's routes.
func (m *policyMatrix) cases() map[string]func(u demo.User, sc scope) probe {
	s, base := m.s, m.base
	policyPage := fmt.Sprintf("/policy/policies/%d", base.Policy.ID)
	applyPage := fmt.Sprintf("/policy/benefits/%d", base.Apply.ID)
	autoPage := fmt.Sprintf("/policy/benefits/%d", base.Auto.ID)
	claimPage := fmt.Sprintf("/policy/claims/%d", base.Claim.ID)
	noticePage := fmt.Sprintf("/policy/notices/%d", base.Notice.ID)
	resourcePage := fmt.Sprintf("/policy/resources/%d", base.Resource.ID)
	requestPage := fmt.Sprintf("/policy/requests/%d", base.Request.ID)
	runPath := fmt.Sprintf("/policy/dryruns/%d/sign", base.Run.ID)
	entQuery := fmt.Sprintf("?enterprise=%d", base.Enterprise)
	const note, answer = "已抽查样本 8 家，与登记信息一致", "已安排下周二上午检测，请携带样件"
	blacklist := func() string {
		return fmt.Sprintf("%s，拖欠农民工工资被列入失信联合惩戒对象，2030-01-01，2032-12-31", m.outside.CreditCode)
	}
	blacklistJSON := func() map[string]any {
		return map[string]any{"ref": "甬信用办〔2026〕3号", "rows": []map[string]any{{"line": 2, "credit_code": m.outside.CreditCode,
			"reason": "列入严重违法失信名单", "from": "2030-01-01", "until": "2032-12-31"}}}
	}
	// A policy written by the administrator names its department; a
	// department's staff write for their own.
	policyBody := func(u demo.User) map[string]any {
		in := s.policyIn(base.Dept)
		if u.Role == access.RoleDepartment {
			delete(in, "department_id")
		}
		return in
	}
	resourceBody := func(u demo.User) map[string]any {
		in := resourceIn(base.Dept, policyEnt)
		if u.Role == access.RoleDepartment {
			delete(in, "department_id")
		}
		return in
	}
	return map[string]func(u demo.User, sc scope) probe{
		"GET /policy": func(u demo.User, _ scope) probe { return probe{"/policy", nil, may(u, access.PolicyRead, 200)} },
		"GET /policy/policies/new": func(u demo.User, _ scope) probe {
			return probe{"/policy/policies/new", nil, may(u, access.PolicyManage, 200)}
		},
		"POST /policy/policies": func(u demo.User, _ scope) probe {
			want := may(u, access.PolicyManage, 303)
			return probe{"/policy/policies", formBody(policyForm(s.policyIn(base.Dept), 0)), want}
		},
		"GET /policy/policies/{id}": func(u demo.User, _ scope) probe { return probe{policyPage, nil, may(u, access.PolicyRead, 200)} },
		"POST /policy/policies/{id}": func(u demo.User, _ scope) probe {
			p := m.policyNow()
			in := s.policyIn(base.Dept)
			in["title"] = p.Title
			// Changing the shared policy: another department is refused,
			// the administrator's form names the department.
			return probe{policyPage, formBody(policyForm(in, p.Version)), manageWant(u, 303)}
		},
		"POST /policy/policies/{id}/publish": func(u demo.User, _ scope) probe {
			want := manageWant(u, 303)
			p := m.freshPolicy(want, 303, true)
			return probe{fmt.Sprintf("/policy/policies/%d/publish", p.ID), formBody(url.Values{"version": {fmt.Sprint(p.Version)}}), want}
		},
		"POST /policy/policies/{id}/withdraw": func(u demo.User, _ scope) probe {
			want := manageWant(u, 303)
			p := m.freshPolicy(want, 303, false)
			return probe{fmt.Sprintf("/policy/policies/%d/withdraw", p.ID), formBody(url.Values{"version": {fmt.Sprint(p.Version)}}), want}
		},
		"GET /policy/policies/{id}/benefits/new": func(u demo.User, _ scope) probe {
			return probe{policyPage + "/benefits/new", nil, may(u, access.PolicyManage, 200)}
		},
		"POST /policy/benefits": func(u demo.User, _ scope) probe {
			return probe{"/policy/benefits", formBody(benefitForm(s, base.Policy.ID, base.Dept, 0)), manageWant(u, 303)}
		},
		"GET /policy/benefits/{id}": func(u demo.User, _ scope) probe { return probe{applyPage, nil, may(u, access.PolicyRead, 200)} },
		"POST /policy/benefits/{id}": func(u demo.User, _ scope) probe {
			want := manageWant(u, 303)
			b := m.freshBenefit(want, 303, benefitDraft)
			return probe{fmt.Sprintf("/policy/benefits/%d", b.ID), formBody(benefitForm(s, base.Policy.ID, base.Dept, b.Version)), want}
		},
		"POST /policy/benefits/{id}/dryrun": func(u demo.User, _ scope) probe {
			want := manageWant(u, 303)
			b := m.freshBenefit(want, 303, benefitDraft)
			return probe{fmt.Sprintf("/policy/benefits/%d/dryrun", b.ID), nil, want}
		},
		"POST /policy/dryruns/{id}/sign": func(u demo.User, _ scope) probe {
			want := keeperOnly(u, access.PolicyManage, 303)
			if want != 303 {
				return probe{runPath, formBody(url.Values{"note": {note}}), want}
			}
			_, run := m.benefitAt(benefitRun, policy.Apply, other(u.Username))
			return probe{fmt.Sprintf("/policy/dryruns/%d/sign", run.ID), formBody(url.Values{"note": {note}}), want}
		},
		"POST /policy/benefits/{id}/publish": func(u demo.User, _ scope) probe {
			want := manageWant(u, 303)
			b := m.freshBenefit(want, 303, benefitSigned)
			return probe{fmt.Sprintf("/policy/benefits/%d/publish", b.ID), formBody(url.Values{"version": {fmt.Sprint(b.Version)}}), want}
		},
		"POST /policy/benefits/{id}/close": func(u demo.User, _ scope) probe {
			want := manageWant(u, 303)
			b := m.freshBenefit(want, 303, benefitPublished)
			return probe{fmt.Sprintf("/policy/benefits/%d/close", b.ID), formBody(url.Values{"version": {fmt.Sprint(b.Version)}}), want}
		},
		"GET /policy/benefits/{id}/enterprises": func(u demo.User, _ scope) probe {
			return probe{applyPage + "/enterprises", nil, may(u, access.PolicyRead, 200)}
		},
		"POST /policy/benefits/{id}/apply": func(u demo.User, sc scope) probe {
			want := claimWant(u, 303)
			id, e := base.Apply.ID, policyEnt
			switch {
			case want == 303 && u.Role == access.RoleEnterprise:
				id = m.publishedBenefit(policy.Apply).ID
			case want == 303:
				e = m.applicant(sc)
			}
			return probe{fmt.Sprintf("/policy/benefits/%d/apply", id), formBody(url.Values{"enterprise": {fmt.Sprint(s.ents[e.CreditCode])},
				"m0": {"见附件"}, "m1": {"参保 18 人，见附件"}}), want}
		},
		"POST /policy/benefits/{id}/notice": func(u demo.User, _ scope) probe {
			want := reviewWant(u, 303)
			if want == 303 {
				m.confirmedOne()
			}
			return probe{autoPage + "/notice", nil, want}
		},
		"POST /policy/benefits/{id}/pay": func(u demo.User, _ scope) probe {
			return probe{autoPage + "/pay", nil, reviewWant(u, 303)}
		},
		"GET /policy/checkup": func(_ demo.User, sc scope) probe {
			return probe{"/policy/checkup" + entQuery, nil, checkupWant(sc, 200)}
		},
		"POST /policy/checkup/fact": func(u demo.User, sc scope) probe {
			return probe{"/policy/checkup/fact", formBody(url.Values{"enterprise": {fmt.Sprint(s.ents[claimFor(sc).CreditCode])}, "kind": {"employees"},
				"value": {"48"}}), claimWant(u, 303)}
		},
		"POST /policy/checkup/ask": func(u demo.User, sc scope) probe {
			return probe{"/policy/checkup/ask", formBody(url.Values{"enterprise": {fmt.Sprint(s.ents[claimFor(sc).CreditCode])},
				"benefit": {fmt.Sprint(base.Apply.ID)}}), claimWant(u, 303)}
		},
		"GET /policy/claims": func(u demo.User, _ scope) probe { return probe{"/policy/claims", nil, may(u, access.PolicyRead, 200)} },
		"GET /policy/claims/{id}": func(u demo.User, sc scope) probe {
			return probe{claimPage, nil, may(u, access.PolicyRead, seenWant(readsClaim(sc, policyEnt)))}
		},
		"POST /policy/claims/{id}/act": func(u demo.User, sc scope) probe {
			want := claimStepWant(sc, policyEnt, policy.ByDepartment, 303)
			c := base.Claim
			if want == 303 {
				c, _ = m.freshApplication()
			}
			return probe{fmt.Sprintf("/policy/claims/%d/act", c.ID), formBody(url.Values{"action": {"ask_more"}, "version": {fmt.Sprint(c.Version)},
				"note": {"请补充 2025 年 12 月社保缴费明细"}}), want}
		},
		"GET /policy/notices/{id}": func(u demo.User, _ scope) probe { return probe{noticePage, nil, may(u, access.PolicyRead, 200)} },
		// The notice runs for five days: those who may approve it are told
		// to wait (422), after the checks of who they are.
		"POST /policy/notices/{id}/approve": func(u demo.User, _ scope) probe {
			return probe{noticePage + "/approve", nil, reviewWant(u, 422)}
		},
		"GET /policy/figures": func(u demo.User, _ scope) probe { return probe{"/policy/figures", nil, may(u, access.PolicyRead, 200)} },
		"GET /policy/figures.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/policy/figures.xlsx", nil, may(u, access.PolicyRead, 200)}
		},
		"GET /policy/resources": func(u demo.User, _ scope) probe {
			return probe{"/policy/resources", nil, may(u, access.PolicyRead, 200)}
		},
		"GET /policy/resources/mine": func(_ demo.User, sc scope) probe {
			return probe{"/policy/resources/mine" + entQuery, nil, checkupWant(sc, 200)}
		},
		"GET /policy/resources/new": func(u demo.User, _ scope) probe {
			return probe{"/policy/resources/new", nil, may(u, access.PolicyManage, 200)}
		},
		"POST /policy/resources": func(u demo.User, _ scope) probe {
			return probe{"/policy/resources", formBody(resourceForm(resourceIn(base.Dept, policyEnt), 0)),
				may(u, access.PolicyManage, 303)}
		},
		"POST /policy/resources/digest": func(u demo.User, _ scope) probe {
			return probe{"/policy/resources/digest", nil, may(u, access.PolicyManage, 303)}
		},
		"GET /policy/resources/{id}": func(u demo.User, _ scope) probe { return probe{resourcePage, nil, may(u, access.PolicyRead, 200)} },
		"POST /policy/resources/{id}": func(u demo.User, _ scope) probe {
			in := resourceIn(base.Dept, policyEnt)
			in["name"] = base.Resource.Name
			return probe{resourcePage, formBody(resourceForm(in, m.resourceVersion())), manageWant(u, 303)}
		},
		"POST /policy/resources/{id}/request": func(u demo.User, sc scope) probe {
			return probe{resourcePage + "/request", formBody(url.Values{"enterprise": {fmt.Sprint(s.ents[claimFor(sc).CreditCode])},
				"body": {"希望预约下周检测一批模具"}}), claimWant(u, 303)}
		},
		"GET /policy/requests/{id}": func(u demo.User, sc scope) probe {
			return probe{requestPage, nil, may(u, access.PolicyRead, seenWant(readsRequest(sc, policyEnt)))}
		},
		"POST /policy/requests/{id}/answer": func(u demo.User, sc scope) probe {
			want := answerWant(sc, 303)
			q := m.freshRequest(want, 303)
			return probe{fmt.Sprintf("/policy/requests/%d/answer", q.ID), formBody(url.Values{"answer": {answer}, "version": {fmt.Sprint(q.Version)}}), want}
		},
		"GET /policy/blacklist": func(u demo.User, _ scope) probe {
			return probe{"/policy/blacklist", nil, may(u, access.PolicyManage, 200)}
		},
		"POST /policy/blacklist": func(u demo.User, _ scope) probe {
			return probe{"/policy/blacklist", formBody(url.Values{"rows": {blacklist()}}), may(u, access.PolicyManage, 303)}
		},

		// The API: published policies, benefits, notices and the resources
		// are everyone's.
		"GET /api/v1/policy/policies": func(demo.User, scope) probe { return probe{"/api/v1/policy/policies", nil, 200} },
		"POST /api/v1/policy/policies": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/policy/policies", jsonBody(policyBody(u)), may(u, access.PolicyManage, 201)}
		},
		"GET /api/v1/policy/policies/{id}": func(demo.User, scope) probe { return probe{"/api/v1" + policyPage, nil, 200} },
		"PUT /api/v1/policy/policies/{id}": func(u demo.User, _ scope) probe {
			p := m.policyNow()
			in := s.policyIn(base.Dept)
			in["title"], in["version"] = p.Title, p.Version
			return probe{"/api/v1" + policyPage, jsonBody(in), manageWant(u, 200)}
		},
		"POST /api/v1/policy/policies/{id}/publish": func(u demo.User, _ scope) probe {
			want := manageWant(u, 200)
			p := m.freshPolicy(want, 200, true)
			return probe{fmt.Sprintf("/api/v1/policy/policies/%d/publish", p.ID), jsonBody(map[string]int{"version": p.Version}), want}
		},
		"POST /api/v1/policy/policies/{id}/withdraw": func(u demo.User, _ scope) probe {
			want := manageWant(u, 200)
			p := m.freshPolicy(want, 200, false)
			return probe{fmt.Sprintf("/api/v1/policy/policies/%d/withdraw", p.ID), jsonBody(map[string]int{"version": p.Version}), want}
		},
		"GET /api/v1/policy/benefits": func(demo.User, scope) probe { return probe{"/api/v1/policy/benefits?state=open", nil, 200} },
		"POST /api/v1/policy/benefits": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/policy/benefits", jsonBody(s.benefitIn(base.Policy.ID, base.Dept, policy.Apply)), manageWant(u, 201)}
		},
		"GET /api/v1/policy/benefits/{id}": func(demo.User, scope) probe { return probe{"/api/v1" + applyPage, nil, 200} },
		"PUT /api/v1/policy/benefits/{id}": func(u demo.User, _ scope) probe {
			want := manageWant(u, 200)
			b := m.freshBenefit(want, 200, benefitDraft)
			in := s.benefitIn(base.Policy.ID, base.Dept, policy.Apply)
			in["version"] = b.Version
			return probe{fmt.Sprintf("/api/v1/policy/benefits/%d", b.ID), jsonBody(in), want}
		},
		"POST /api/v1/policy/benefits/{id}/dryrun": func(u demo.User, _ scope) probe {
			want := manageWant(u, 201)
			b := m.freshBenefit(want, 201, benefitDraft)
			return probe{fmt.Sprintf("/api/v1/policy/benefits/%d/dryrun", b.ID), nil, want}
		},
		"GET /api/v1/policy/benefits/{id}/dryrun": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + applyPage + "/dryrun", nil, keeperOnly(u, access.PolicyManage, 200)}
		},
		"POST /api/v1/policy/dryruns/{id}/sign": func(u demo.User, _ scope) probe {
			want := keeperOnly(u, access.PolicyManage, 200)
			if want != 200 {
				return probe{"/api/v1" + runPath, jsonBody(map[string]string{"note": note}), want}
			}
			_, run := m.benefitAt(benefitRun, policy.Apply, other(u.Username))
			return probe{fmt.Sprintf("/api/v1/policy/dryruns/%d/sign", run.ID), jsonBody(map[string]string{"note": note}), want}
		},
		"POST /api/v1/policy/benefits/{id}/publish": func(u demo.User, _ scope) probe {
			want := manageWant(u, 200)
			b := m.freshBenefit(want, 200, benefitSigned)
			return probe{fmt.Sprintf("/api/v1/policy/benefits/%d/publish", b.ID), jsonBody(map[string]int{"version": b.Version}), want}
		},
		"POST /api/v1/policy/benefits/{id}/close": func(u demo.User, _ scope) probe {
			want := manageWant(u, 200)
			b := m.freshBenefit(want, 200, benefitPublished)
			return probe{fmt.Sprintf("/api/v1/policy/benefits/%d/close", b.ID), jsonBody(map[string]int{"version": b.Version}), want}
		},
		"GET /api/v1/policy/benefits/{id}/enterprises": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + applyPage + "/enterprises", nil, may(u, access.PolicyRead, 200)}
		},
		"GET /api/v1/policy/fields": func(demo.User, scope) probe { return probe{"/api/v1/policy/fields", nil, 200} },
		"POST /api/v1/policy/conditions/check": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/policy/conditions/check", jsonBody(map[string]any{"conditions": communityConditions()}),
				may(u, access.PolicyManage, 200)}
		},
		"GET /api/v1/policy/checkup": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1/policy/checkup" + entQuery, nil, checkupWant(sc, 200)}
		},
		"POST /api/v1/policy/checkup/fact": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/policy/checkup/fact", jsonBody(map[string]any{"enterprise_id": s.ents[claimFor(sc).CreditCode], "kind": "employees",
				"value": "48"}), claimWant(u, 200)}
		},
		"POST /api/v1/policy/checkup/ask": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/policy/checkup/ask", jsonBody(map[string]any{"enterprise_id": s.ents[claimFor(sc).CreditCode],
				"benefit_id": base.Apply.ID}), claimWant(u, 200)}
		},
		"GET /api/v1/policy/claims": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/policy/claims", nil, may(u, access.PolicyRead, 200)}
		},
		"GET /api/v1/policy/claims/{id}": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + claimPage, nil, seenWant(readsClaim(sc, policyEnt))}
		},
		"POST /api/v1/policy/benefits/{id}/apply": func(u demo.User, sc scope) probe {
			want := claimWant(u, 201)
			id, e := base.Apply.ID, policyEnt
			switch {
			case want == 201 && u.Role == access.RoleEnterprise:
				id = m.publishedBenefit(policy.Apply).ID
			case want == 201:
				e = m.applicant(sc)
			}
			return probe{fmt.Sprintf("/api/v1/policy/benefits/%d/apply", id), jsonBody(map[string]any{"enterprise_id": s.ents[e.CreditCode],
				"materials": givenMaterials()}), want}
		},
		"POST /api/v1/policy/claims/{id}/confirm": func(_ demo.User, sc scope) probe {
			// Those who may claim confirm one in their reach (the showcase
			// enterprise its own); the others are refused the shared one.
			want := claimStepWant(sc, byCode[m.creditOf(m.shared.EnterpriseID)], policy.ByEnterprise, 200)
			if access.May(sc.user.Role, access.PolicyClaim) {
				want = 200
			}
			c := m.toConfirm(sc, want, 200)
			return probe{fmt.Sprintf("/api/v1/policy/claims/%d/confirm", c.ID), jsonBody(map[string]any{"bank": "宁波银行北仑支行",
				"account": fmt.Sprintf("5101%012d", codeSeq.Add(1)), "version": c.Version}), want}
		},
		"POST /api/v1/policy/claims/{id}/act": func(_ demo.User, sc scope) probe {
			want := claimStepWant(sc, policyEnt, policy.ByDepartment, 200)
			c := base.Claim
			if want == 200 {
				c, _ = m.freshApplication()
			}
			return probe{fmt.Sprintf("/api/v1/policy/claims/%d/act", c.ID), jsonBody(map[string]any{"action": "ask_more", "version": c.Version,
				"note": "请补充 2025 年 12 月社保缴费明细"}), want}
		},
		"GET /api/v1/policy/benefits/{id}/handover": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + applyPage + "/handover", nil, keeperOnly(u, access.PolicyReview, 200)}
		},
		"POST /api/v1/policy/benefits/{id}/notice": func(u demo.User, _ scope) probe {
			want := reviewWant(u, 201)
			if want == 201 {
				m.confirmedOne()
			}
			return probe{"/api/v1" + autoPage + "/notice", nil, want}
		},
		"GET /api/v1/policy/benefits/{id}/notices": func(demo.User, scope) probe { return probe{"/api/v1" + autoPage + "/notices", nil, 200} },
		"GET /api/v1/policy/notices/{id}":          func(demo.User, scope) probe { return probe{"/api/v1" + noticePage, nil, 200} },
		"POST /api/v1/policy/notices/{id}/approve": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + noticePage + "/approve", nil, reviewWant(u, 422)}
		},
		"GET /api/v1/policy/benefits/{id}/pay.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + autoPage + "/pay.xlsx", nil, keeperOnly(u, access.PolicyReview, 200)}
		},
		"POST /api/v1/policy/benefits/{id}/pay": func(u demo.User, _ scope) probe {
			return probe{"/api/v1" + autoPage + "/pay", nil, reviewWant(u, 200)}
		},
		"POST /api/v1/policy/blacklist": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/policy/blacklist", jsonBody(blacklistJSON()), may(u, access.PolicyManage, 200)}
		},
		"GET /api/v1/policy/resources": func(demo.User, scope) probe { return probe{"/api/v1/policy/resources", nil, 200} },
		"POST /api/v1/policy/resources": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/policy/resources", jsonBody(resourceBody(u)), may(u, access.PolicyManage, 201)}
		},
		"GET /api/v1/policy/resources/recommended": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1/policy/resources/recommended" + entQuery, nil, checkupWant(sc, 200)}
		},
		"POST /api/v1/policy/resources/digest": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/policy/resources/digest", nil, may(u, access.PolicyManage, 200)}
		},
		"GET /api/v1/policy/resources/{id}": func(demo.User, scope) probe { return probe{"/api/v1" + resourcePage, nil, 200} },
		"PUT /api/v1/policy/resources/{id}": func(u demo.User, _ scope) probe {
			in := resourceIn(base.Dept, policyEnt)
			in["name"], in["version"] = base.Resource.Name, m.resourceVersion()
			return probe{"/api/v1" + resourcePage, jsonBody(in), manageWant(u, 200)}
		},
		"POST /api/v1/policy/resources/{id}/request": func(u demo.User, sc scope) probe {
			return probe{"/api/v1" + resourcePage + "/request", jsonBody(map[string]any{"enterprise_id": s.ents[claimFor(sc).CreditCode],
				"body": "希望预约下周检测一批模具"}), claimWant(u, 201)}
		},
		"GET /api/v1/policy/requests": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/policy/requests", nil, may(u, access.PolicyRead, 200)}
		},
		"GET /api/v1/policy/requests/{id}": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + requestPage, nil, seenWant(readsRequest(sc, policyEnt))}
		},
		"POST /api/v1/policy/requests/{id}/answer": func(_ demo.User, sc scope) probe {
			want := answerWant(sc, 200)
			q := m.freshRequest(want, 200)
			return probe{fmt.Sprintf("/api/v1/policy/requests/%d/answer", q.ID), jsonBody(map[string]any{"answer": answer, "version": q.Version}), want}
		},
		"GET /api/v1/policy/funnel": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/policy/funnel", nil, may(u, access.PolicyRead, 200)}
		},
	}
}

// seenWant is a record read when the account reads it, else not found.
func seenWant(reads bool) int {
	if reads {
		return http.StatusOK
	}
	return http.StatusNotFound
}

// answerWant is the keeping department's answer to a request of the
// showcase enterprise: those who read it and do not keep the resource are
// refused.
func answerWant(sc scope, ok int) int {
	switch {
	case !readsRequest(sc, policyEnt):
		return http.StatusNotFound
	case !keeps(sc.user, access.PolicyManage):
		return http.StatusForbidden
	}
	return ok
}

// creditOf is the credit code of the enterprise of id.
func (m *policyMatrix) creditOf(id int64) string {
	for code, eid := range m.s.ents {
		if eid == id {
			return code
		}
	}
	m.t.Fatalf("no enterprise %d", id)
	return ""
}
