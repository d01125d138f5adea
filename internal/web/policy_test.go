package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/pgtest"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/web/core"
)

// siteClock is a site's clock: the time, moved on by the test.
type siteClock struct{ skew atomic.Int64 }

func (c *siteClock) now() time.Time { return time.Now().Add(time.Duration(c.skew.Load())) }

// advance moves the site's clock on by d; the sessions opened before went
// idle meanwhile, so the site's users sign in again.
func (c *siteClock) advance(s *site, d time.Duration) {
	c.skew.Add(int64(d))
	s.logins.mu.Lock()
	clear(s.logins.cookies)
	s.logins.mu.Unlock()
}

// eachClockedStore is eachFreshStore on servers whose clock the test moves.
func eachClockedStore(t *testing.T, fn func(t *testing.T, s *site, c *siteClock)) {
	t.Helper()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			dsn := filepath.Join(t.TempDir(), "qifu.db")
			if kind == "postgres" {
				dsn = pgtest.DSN(t)
			}
			c := &siteClock{}
			s := newSite(t, dsn, c.now)
			t.Cleanup(s.close)
			fn(t, s, c)
		})
	}
}

var (
	locationID = regexp.MustCompile(`^/policy/(policies|benefits|claims|requests|resources|notices)/(\d+)$`)
	fieldErrRE = regexp.MustCompile(`<em class="fielderr">([^<]*)</em>`)
	runVersion = regexp.MustCompile(`action="/policy/benefits/(\d+)/publish" class="inline"><input type="hidden" name="version" value="(\d+)"`)
)

// savedID is the id of the record a form's answer sends the browser to.
func savedID(t testing.TB, what string, res result, kind string) int64 {
	t.Helper()
	m := locationID.FindStringSubmatch(res.header.Get("Location"))
	if res.code != http.StatusSeeOther || m == nil || m[1] != kind {
		t.Fatalf("%s: %d to %q, want 303 to /policy/%s/{id}: %s", what, res.code, res.header.Get("Location"), kind,
			fieldErrRE.FindAll(res.body, -1))
	}
	var id int64
	fmt.Sscan(m[2], &id)
	return id
}

// inLang sends a request as username with the page's language lang.
func (s *site) inLang(t testing.TB, username, lang, method, path string, b *body) result {
	t.Helper()
	return s.call(t, method, path, nil, b, "Cookie", core.LangCookie+"="+lang+"; "+core.SessionCookie+"="+s.login(t, username).Value)
}

// between reports whether, in body, needle comes after from and before to
// (the end when to is ""): a message at its place on a form.
func between(body []byte, from, needle, to string) bool {
	i := bytes.Index(body, []byte(from))
	if i < 0 {
		return false
	}
	rest := body[i+len(from):]
	if to != "" {
		j := bytes.Index(rest, []byte(to))
		if j < 0 {
			return false
		}
		rest = rest[:j]
	}
	return bytes.Contains(rest, []byte(needle))
}

// chineseIn returns the runs of Chinese (Han characters and the full-width
// punctuation of Chinese text) left in an English page once the data it
// shows (data: names, titles, texts as they were typed) is taken out: words
// of the interface that were not translated, each with where it stands.
func chineseIn(body []byte, data []string) (runs, where []string) {
	text := string(body)
	for _, d := range data {
		if d != "" {
			text = strings.ReplaceAll(text, d, " ")
		}
	}
	seen := map[string]bool{}
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !isChinese(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isChinese(rs[j]) {
			j++
		}
		run := string(rs[i:j])
		if !seen[run] {
			seen[run] = true
			runs = append(runs, run)
			where = append(where, fmt.Sprintf("%q in …%s…", run, strings.ReplaceAll(string(rs[max(0, i-30):min(len(rs), j+10)]), "\n", " ")))
		}
		i = j
	}
	return runs, where
}

func isChinese(r rune) bool {
	return unicode.Is(unicode.Han, r) || strings.ContainsRune("：（）、；，。“”《》〔〕", r)
}

// shownData are the words of the dataset a page may show as they are: the
// enterprises', places', people's and departments' names.
func shownData(extra ...string) []string {
	var out []string
	for _, e := range dataset.Enterprises {
		out = append(out, e.Name, e.Contact, e.Address, e.LegalRep)
	}
	for _, r := range dataset.Regions {
		out = append(out, r.Name)
	}
	for _, u := range dataset.Users {
		out = append(out, u.Name, u.HomeUnit)
	}
	for _, d := range dataset.Departments {
		out = append(out, d.Name)
	}
	// the longest first, so that a name inside another goes with it
	out = append(out, extra...)
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// TestPolicyPages walks precise push along its main path through the
// pages' forms and the API, as the people who take each step: the tax
// bureau writes a policy document on its form and publishes it, builds a
// benefit on the builder (a condition row and an expert's CEL row) — a
// condition it cannot use is refused at its place — runs it over every
// enterprise, the editor may not sign the run off, a colleague does, and
// the bureau publishes it; the showcase enterprise finds it in its
// check-up, privately, with why, applies with the listed materials, and
// the bureau approves. A 免申即享 benefit: the enterprise confirms it with
// its bank account, the bureau puts it on a public notice, approves the
// list once the notice is over, exports the payment list and records the
// payment; the funnel counts it all. An innovation resource is requested
// and answered; a blacklist with one bad row records nothing. The pages
// speak English without Chinese words of their own.
func TestPolicyPages(t *testing.T) {
	eachClockedStore(t, func(t *testing.T, s *site, clock *siteClock) {
		dept := s.deptIDs(t)[policyKeeper]
		entID := s.entID(t, policyEnt.CreditCode)
		// The colleague who signs off: the bureau's other member of staff
		// the dataset has (of its branch in the showcase street).
		var colleague demo.User
		for _, u := range dataset.Users {
			if u.Role == access.RoleDepartment && u.DepartmentCode == policyKeeper && u.Username != policyEditor {
				colleague = u
				break
			}
		}
		if colleague.Username == "" {
			t.Fatal("no second member of staff of the tax bureau")
		}
		// What the test typed, shown as it was; the language switch, which
		// names the other language in its own; the example of a
		// certification in the CEL help; the example row of a blacklist.
		data := []string{"中文", "高新技术企业", "91330206MA2AGLN71X，拖欠工资被列入失信名单，2026-01-01，2027-12-31"}
		typed := func(v ...string) { data = append(data, v...) }

		// The bureau writes a policy document on its form; a malformed
		// document number is refused at its field.
		in := s.policyIn(dept)
		form := policyForm(in, 0)
		form.Del("department_id")
		form.Set("doc_no", "仑政发2026-8")
		res := s.as(t, policyEditor, "POST", "/policy/policies", formBody(form))
		wantPage(t, "a policy with a malformed number", res, http.StatusUnprocessableEntity, `id="policy-form"`)
		if !between(res.body, `name="doc_no"`, "文号应写作", `name="family"`) {
			t.Errorf("the number's message is not at its field: %s", fieldErrRE.FindAll(res.body, -1))
		}
		form.Set("doc_no", fmt.Sprint(in["doc_no"]))
		policyID := savedID(t, "save a policy", s.as(t, policyEditor, "POST", "/policy/policies", formBody(form)), "policies")
		typed(fmt.Sprint(in["title"]), fmt.Sprint(in["doc_no"]), fmt.Sprint(in["issuer"]), fmt.Sprint(in["family"]), fmt.Sprint(in["text"]))
		policyPath := fmt.Sprintf("/policy/policies/%d", policyID)
		res = s.as(t, policyEditor, "GET", policyPath, nil)
		wantPage(t, "the draft policy", res, http.StatusOK, `id="policy-publish"`, fmt.Sprint(in["title"]))
		vm := versionField.FindSubmatch(res.body)
		if vm == nil {
			t.Fatal("the policy's page has no version to publish")
		}
		// A draft is its department's: another department does not find it.
		if res := s.as(t, "dept_market", "GET", policyPath, nil); res.code != http.StatusNotFound {
			t.Errorf("another department reads the draft: %d, want 404", res.code)
		}
		wantSeeOther(t, "publish the policy", s.as(t, policyEditor, "POST", policyPath+"/publish", formBody(url.Values{"version": {string(vm[1])}})), policyPath)
		wantPage(t, "the published policy", s.as(t, policyEditor, "GET", policyPath, nil), http.StatusOK, `id="policy-add-benefit"`,
			translate("zh", "polpstate.published"))
		wantPage(t, "the published policy as the enterprise", s.as(t, "enterprise", "GET", policyPath, nil), http.StatusOK, fmt.Sprint(in["title"]))
		// A correction through the API without the department keeps the
		// policy with the department that keeps it, whoever corrects it.
		var p policy.Policy
		s.poolCall(t, "admin", "GET", "/api/v1"+policyPath, nil, http.StatusOK, &p)
		fix := s.policyIn(dept)
		delete(fix, "department_id")
		fix["title"], fix["doc_no"], fix["version"] = p.Title, p.DocNo, p.Version
		if res := s.as(t, "admin", "PUT", "/api/v1"+policyPath, jsonBody(fix)); res.code != http.StatusOK {
			t.Errorf("the administrator's correction without department_id: %d %.200s, want 200", res.code, res.body)
		} else if res.json(t, &p); p.DepartmentID != dept {
			t.Errorf("the administrator's correction moved the policy to department %d", p.DepartmentID)
		}

		// The builder: condition rows of the form and an expert's CEL rows.
		res = s.as(t, policyEditor, "GET", policyPath+"/benefits/new", nil)
		wantPage(t, "the builder", res, http.StatusOK, `id="benefit-form"`, `name="c0_field"`, `name="c2_value"`, `name="x0_cel"`,
			fmt.Sprintf(`name="policy_id" value="%d"`, policyID))
		builder := benefitForm(s, policyID, dept, 0)
		builder.Set("title", "小微企业稳岗补贴")
		builder.Set("summary", "对大港社区本行业小微企业给予一次性稳岗补贴")
		typed("小微企业稳岗补贴", "对大港社区本行业小微企业给予一次性稳岗补贴", policyMaterials[0], policyMaterials[1])

		// Conditions it cannot use are refused, each at its place: a field
		// that does not exist, a number that is not one, an expression that
		// gives no yes or no; nothing is saved.
		bad := url.Values{}
		for k, v := range builder {
			bad[k] = v
		}
		bad.Set("c0_field", "nosuch")
		bad.Set("c1_field", "employees")
		bad.Set("c1_op", "ge")
		bad.Set("c1_value", "五十")
		bad.Set("x0_cel", "employees + 1")
		res = s.as(t, policyEditor, "POST", "/policy/benefits", formBody(bad))
		wantPage(t, "the builder with bad conditions", res, http.StatusUnprocessableEntity, `id="benefit-form"`)
		for _, c := range []struct{ from, msg, to string }{
			{`name="c0_field"`, "未知的字段“nosuch”", `name="c0_op"`},
			{`name="c1_value"`, "请填写不小于 0 的整数", `name="c1_period"`},
			{`name="x0_cel"`, "表达式的结果须为是/否（bool），而不是 int", `name="amount_kind"`},
		} {
			if !between(res.body, c.from, c.msg, c.to) {
				t.Errorf("the builder does not say %q at its place: %s", c.msg, fieldErrRE.FindAll(res.body, -1))
			}
		}
		if !bytes.Contains(res.body, []byte(`value="五十"`)) || !bytes.Contains(res.body, []byte("employees &#43; 1")) {
			t.Error("the builder lost what was typed")
		}
		res = s.inLang(t, policyEditor, "en", "POST", "/policy/benefits", formBody(bad))
		wantPage(t, "the builder with bad conditions in English", res, http.StatusUnprocessableEntity, `unknown field &#34;nosuch&#34;`,
			"a whole number ≥ 0", "the expression must give a bool, not int")
		var drafts struct {
			Total int `json:"total"`
		}
		s.poolCall(t, policyEditor, "GET", "/api/v1/policy/benefits?state=draft", nil, http.StatusOK, &drafts)
		if drafts.Total != 0 {
			t.Errorf("a refused benefit was saved: %d drafts", drafts.Total)
		}
		// The API refuses the same at the same places, as JSON.
		res = s.as(t, policyEditor, "POST", "/api/v1/policy/conditions/check", jsonBody(map[string]any{"conditions": []policy.Condition{
			{Field: "nosuch", Op: policy.In, Value: "x"}, {Field: "employees", Op: policy.Ge, Value: "五十"}, {CEL: "employees + 1"}}}))
		var ce core.ErrorBody
		res.json(t, &ce)
		if res.code != http.StatusUnprocessableEntity || ce.Error.Code != "invalid_input" || ce.Error.Fields["conditions[0].field"] == "" ||
			ce.Error.Fields["conditions[1].value"] == "" || !strings.Contains(ce.Error.Fields["conditions[2].cel"], "bool") {
			t.Errorf("conditions checked through the API: %d %s", res.code, res.body)
		}

		// A condition row and a CEL row the showcase enterprise meets: the
		// showcase community, and its industry.
		cel := fmt.Sprintf("industry == '%s'", policyEnt.Industry)
		builder.Set("x0_cel", cel)
		builder.Set("x0_label", "本行业企业")
		typed("本行业企业")
		benefitID := savedID(t, "save the benefit", s.as(t, policyEditor, "POST", "/policy/benefits", formBody(builder)), "benefits")
		benefitPath := fmt.Sprintf("/policy/benefits/%d", benefitID)
		apiBenefit := "/api/v1" + benefitPath
		res = s.as(t, policyEditor, "GET", benefitPath, nil)
		wantPage(t, "the draft benefit", res, http.StatusOK, `id="benefit-dryrun"`, `id="benefit-asks"`, "本行业企业", translate("zh", "pp.no_run"))
		var b policy.Benefit
		s.poolCall(t, policyEditor, "GET", apiBenefit, nil, http.StatusOK, &b)
		if b.State != policy.Draft || len(b.Conditions) != 2 || b.Conditions[1].CEL != cel || b.Amount.Yuan != 20000 || len(b.Materials) != 2 {
			t.Fatalf("the benefit built: %+v", b)
		}

		// Not published before a dry run signed off by someone else.
		res = s.as(t, policyEditor, "POST", apiBenefit+"/publish", jsonBody(map[string]int{"version": b.Version}))
		wantError(t, "publish without a dry run", res, http.StatusUnprocessableEntity, "policy_not_signed")
		wantSeeOther(t, "dry run", s.as(t, policyEditor, "POST", benefitPath+"/dryrun", nil), benefitPath)
		var run policydb.DryRun
		s.poolCall(t, policyEditor, "GET", apiBenefit+"/dryrun", nil, http.StatusOK, &run)
		if run.Met < 1 || run.Version != b.Version || run.SignedBy != 0 || len(run.ByCondition) != 2 {
			t.Fatalf("the dry run: %+v", run)
		}
		res = s.as(t, policyEditor, "GET", benefitPath, nil)
		wantPage(t, "the run as its editor", res, http.StatusOK, `id="benefit-run"`, fmt.Sprintf(`id="run-met">%d<`, run.Met),
			translate("zh", "pp.sign_other"))
		if bytes.Contains(res.body, []byte(`id="run-sign"`)) || bytes.Contains(res.body, []byte(`id="benefit-publish"`)) {
			t.Error("the editor is offered to sign off or publish")
		}
		res = s.as(t, policyEditor, "POST", fmt.Sprintf("/policy/dryruns/%d/sign", run.ID), formBody(url.Values{"note": {"自己核对"}}))
		wantPage(t, "the editor signs off", res, http.StatusUnprocessableEntity, "须由事项编辑人以外的人员核对样本并签核")
		res = s.as(t, policyEditor, "POST", fmt.Sprintf("/api/v1/policy/dryruns/%d/sign", run.ID), jsonBody(map[string]string{"note": "自己核对"}))
		wantError(t, "the editor signs off through the API", res, http.StatusUnprocessableEntity, "policy_four_eyes")
		wantPage(t, "the run as a colleague", s.as(t, colleague.Username, "GET", benefitPath, nil), http.StatusOK, `id="run-sign"`)
		wantSeeOther(t, "a colleague signs off", s.as(t, colleague.Username, "POST", fmt.Sprintf("/policy/dryruns/%d/sign", run.ID),
			formBody(url.Values{"note": {"已抽查样本，与登记信息一致"}})), benefitPath)
		typed("已抽查样本，与登记信息一致")
		res = s.as(t, policyEditor, "GET", benefitPath, nil)
		wantPage(t, "the run signed off", res, http.StatusOK, `id="run-signed"`, colleague.Name, `id="benefit-publish"`)
		pm := runVersion.FindSubmatch(res.body)
		if pm == nil {
			t.Fatal("the benefit's page has no publish form")
		}
		wantSeeOther(t, "publish the benefit", s.as(t, policyEditor, "POST", benefitPath+"/publish", formBody(url.Values{"version": {string(pm[2])}})),
			benefitPath)
		s.poolCall(t, policyEditor, "GET", apiBenefit, nil, http.StatusOK, &b)
		if b.State != policy.Published {
			t.Fatalf("the benefit is %s after publishing", b.State)
		}

		// The enterprise is told privately: its inbox and its check-up say
		// it qualifies, and why; an enterprise of another community is not
		// told and does not qualify.
		wantPage(t, "the enterprise's inbox", s.as(t, "enterprise", "GET", "/inbox", nil), http.StatusOK, "小微企业稳岗补贴")
		res = s.as(t, "enterprise", "GET", "/policy/checkup", nil)
		wantPage(t, "the enterprise's check-up", res, http.StatusOK, fmt.Sprintf(`id="b%d"`, benefitID), "小微企业稳岗补贴")
		item := res.body[bytes.Index(res.body, []byte(fmt.Sprintf(`id="b%d"`, benefitID))):]
		if i := bytes.Index(item[1:], []byte(`<li id="b`)); i > 0 {
			item = item[:i+1]
		}
		// It qualifies, and why: both conditions met, the expert's by the
		// value it read (the enterprise's industry).
		for _, want := range []string{`<span class="light met">` + translate("zh", "polverdict.met"), `<ul class="why"><li class="met">`,
			"</li><li class=\"met\">", policyEnt.Industry} {
			if !bytes.Contains(item, []byte(want)) {
				t.Errorf("the check-up's item lacks %q: %s", want, item)
			}
		}
		outsiderE, ok := pick(func(e enterprise.Enterprise) bool { return e.CommunityCode != showCommunity })
		if !ok {
			t.Fatal("no enterprise outside the showcase community")
		}
		outsider := s.enterpriseAccount(t, outsiderE)
		var cu policydb.CheckUp
		s.poolCall(t, outsider, "GET", "/api/v1/policy/checkup", nil, http.StatusOK, &cu)
		for _, it := range cu.Items {
			if it.Benefit.ID == benefitID && (it.Verdict != policy.NotMet || it.Told) {
				t.Errorf("an enterprise of another community: verdict %s, told %v", it.Verdict, it.Told)
			}
		}
		s.poolCall(t, "enterprise", "GET", "/api/v1/policy/checkup", nil, http.StatusOK, &cu)
		found := false
		for _, it := range cu.Items {
			if it.Benefit.ID == benefitID {
				found = it.Verdict == policy.Met && it.Told && it.Read && it.Amount == 20000 && len(it.Outcomes) == 2
			}
		}
		if !found {
			t.Errorf("the enterprise's check-up through the API: %+v", cu.Items)
		}

		// The enterprise applies on the benefit's page with the listed
		// materials; a second application is refused.
		res = s.as(t, "enterprise", "GET", benefitPath, nil)
		wantPage(t, "the benefit as the enterprise", res, http.StatusOK, `id="benefit-mine"`, `id="benefit-apply"`, `name="m1"`)
		if bytes.Contains(res.body, []byte(`id="benefit-run"`)) {
			t.Error("the enterprise sees the dry run")
		}
		claimID := savedID(t, "apply", s.as(t, "enterprise", "POST", benefitPath+"/apply", formBody(url.Values{"m0": {"见附件"},
			"m1": {"2025 年 12 月参保 32 人"}})), "claims")
		typed("见附件", "2025 年 12 月参保 32 人")
		res = s.as(t, "enterprise", "POST", apiBenefit+"/apply", jsonBody(map[string]any{"materials": givenMaterials()}))
		wantError(t, "apply twice", res, http.StatusConflict, "policy_claim_exists")
		claimPath := fmt.Sprintf("/policy/claims/%d", claimID)
		res = s.as(t, "enterprise", "GET", claimPath, nil)
		wantPage(t, "the claim as the enterprise", res, http.StatusOK, `id="claim-state">`+translate("zh", "polstate.submitted"), `id="claim-withdraw"`)
		if bytes.Contains(res.body, []byte(`id="claim-approve"`)) {
			t.Error("the enterprise is offered to approve its own claim")
		}

		// The bureau approves it on the claim's page.
		res = s.as(t, policyEditor, "GET", claimPath, nil)
		wantPage(t, "the claim as the bureau", res, http.StatusOK, `id="claim-approve"`, `id="claim-ask_more"`, "2025 年 12 月参保 32 人")
		var c policy.Claim
		s.poolCall(t, policyEditor, "GET", "/api/v1"+claimPath, nil, http.StatusOK, &c)
		wantSeeOther(t, "approve", s.as(t, policyEditor, "POST", claimPath+"/act", formBody(url.Values{"action": {"approve"},
			"version": {fmt.Sprint(c.Version)}, "granted": {"2"}, "note": {"材料齐全"}})), claimPath)
		typed("材料齐全")
		wantPage(t, "the claim approved, as the enterprise", s.as(t, "enterprise", "GET", claimPath, nil), http.StatusOK,
			`id="claim-state">`+translate("zh", "polstate.approved"), "材料齐全")
		res = s.as(t, policyEditor, "POST", "/api/v1"+claimPath+"/act", jsonBody(map[string]any{"action": "approve", "version": c.Version}))
		wantError(t, "approve at a stale version", res, http.StatusConflict, "")

		// A 免申即享 benefit: the enterprise confirms its match with its bank
		// account on the claim's page.
		auto, _ := s.benefitAt(t, benefitPublished, policy.Auto, policyID, dept, policyEditor, colleague.Username)
		typed(auto.Title, "对大港社区的小微企业给予一次性稳岗补贴 2 万元。")
		match := s.matchedClaim(t, auto.ID, entID)
		autoPath := fmt.Sprintf("/policy/claims/%d", match.ID)
		res = s.as(t, "enterprise", "GET", autoPath, nil)
		wantPage(t, "the match as the enterprise", res, http.StatusOK, `id="claim-confirm"`, `name="account"`, `id="claim-decline"`)
		const account = "3901140009000123456"
		wantSeeOther(t, "confirm", s.as(t, "enterprise", "POST", autoPath+"/act", formBody(url.Values{"action": {"confirm"},
			"version": {fmt.Sprint(match.Version)}, "bank": {"中国工商银行宁波北仑支行"}, "account": {account}})), autoPath)
		typed("中国工商银行宁波北仑支行")
		wantPage(t, "the match confirmed", s.as(t, "enterprise", "GET", autoPath, nil), http.StatusOK,
			`id="claim-state">`+translate("zh", "polstate.confirmed"), account)
		// The account is the enterprise's and the bureau's: its grid worker
		// reads it masked.
		var masked policy.Claim
		s.poolCall(t, "grid", "GET", "/api/v1"+autoPath, nil, http.StatusOK, &masked)
		if masked.Account != policy.MaskAccount(account) {
			t.Errorf("the grid worker reads the account %q, want it masked", masked.Account)
		}

		// The bureau puts the confirmed on a public notice; the list is not
		// approved before the notice is over.
		autoBenefit := fmt.Sprintf("/policy/benefits/%d", auto.ID)
		wantSeeOther(t, "notice", s.as(t, policyEditor, "POST", autoBenefit+"/notice", nil), autoBenefit)
		var notices struct {
			Items []policydb.Notice `json:"items"`
		}
		s.poolCall(t, "enterprise", "GET", "/api/v1"+autoBenefit+"/notices", nil, http.StatusOK, &notices)
		if len(notices.Items) != 1 || notices.Items[0].Entries != 1 {
			t.Fatalf("the notices: %+v", notices.Items)
		}
		n := notices.Items[0]
		noticePath := fmt.Sprintf("/policy/notices/%d", n.ID)
		res = s.as(t, "enterprise", "GET", noticePath, nil)
		wantPage(t, "the notice", res, http.StatusOK, `id="notice-rows"`, policyEnt.CreditCode, translate("zh", "polstate.noticed"))
		if bytes.Contains(res.body, []byte(account)) || bytes.Contains(res.body, []byte(account[len(account)-4:])) {
			t.Error("the public notice shows the bank account")
		}
		wantPage(t, "the notice as the bureau", s.as(t, policyEditor, "GET", noticePath, nil), http.StatusOK, translate("zh", "pp.notice_running"))
		res = s.as(t, policyEditor, "POST", "/api/v1"+noticePath+"/approve", nil)
		wantError(t, "approve while on notice", res, http.StatusUnprocessableEntity, "policy_notice_open")

		// Six days on the notice is over: the bureau approves the list.
		clock.advance(s, 6*24*time.Hour)
		wantPage(t, "the notice over", s.as(t, policyEditor, "GET", noticePath, nil), http.StatusOK, `id="notice-approve"`)
		wantSeeOther(t, "approve the list", s.as(t, policyEditor, "POST", noticePath+"/approve", nil), noticePath)
		if c := s.policyClaim(t, match.ID); c.State != policy.Approved || c.Granted != 20000 {
			t.Errorf("the claim after the notice: %s, granted %d", c.State, c.Granted)
		}

		// The payment list: the enterprise, its full account and the
		// amount, audited; then the payment is recorded.
		before := s.auditTotal(t, "action=policy.export")
		res = s.as(t, policyEditor, "GET", "/api/v1"+autoBenefit+"/pay.xlsx", nil)
		if res.code != http.StatusOK || !strings.Contains(res.header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("the payment list: %d %q", res.code, res.header.Get("Content-Type"))
		}
		book, err := excelize.OpenReader(bytes.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows(book.GetSheetList()[0])
		if err != nil || len(rows) != 2 {
			t.Fatalf("the payment list's rows: %q, %v", rows, err)
		}
		if got := rows[1]; len(got) < 5 || got[0] != policyEnt.Name || got[1] != policyEnt.CreditCode || got[3] != account || got[4] != "20000" {
			t.Errorf("the payment list's row: %q (header %q)", got, rows[0])
		}
		if n := s.auditTotal(t, "action=policy.export"); n != before+1 {
			t.Errorf("the payment list wrote %d audit entries, want 1", n-before)
		}
		if res := s.as(t, "grid", "GET", "/api/v1"+autoBenefit+"/pay.xlsx", nil); res.code != http.StatusNotFound {
			t.Errorf("the payment list as the grid worker: %d, want 404", res.code)
		}
		wantSeeOther(t, "record the payment", s.as(t, policyEditor, "POST", autoBenefit+"/pay", nil), autoBenefit)
		if c := s.policyClaim(t, match.ID); c.State != policy.Paid {
			t.Errorf("the claim after the payment: %s", c.State)
		}

		// The funnel: the bureau's benefits told, claimed, approved, paid.
		var funnel struct {
			Items []policydb.FunnelRow `json:"items"`
		}
		s.poolCall(t, policyEditor, "GET", "/api/v1/policy/funnel", nil, http.StatusOK, &funnel)
		if len(funnel.Items) == 0 {
			t.Fatal("the funnel has no rows")
		}
		total := funnel.Items[len(funnel.Items)-1]
		if total.Code != "" || total.Eligible < 2 || total.Told < total.Eligible || total.Applied < 2 || total.Approved < 2 || total.Paid != 1 ||
			total.Granted != 40000 || total.PaidOut != 20000 {
			t.Errorf("the bureau's funnel: %+v", total)
		}
		res = s.as(t, policyEditor, "GET", "/policy/figures", nil)
		wantPage(t, "the funnel's page", res, http.StatusOK, `id="policy-funnel-total"`)
		if m := regexp.MustCompile(`id="policy-funnel-total">(?:<td[^>]*>[^<]*</td>){7}<td[^>]*>(\d+)</td>`).FindSubmatch(res.body); m == nil || string(m[1]) != "1" {
			t.Errorf("the funnel's page: paid %q", m)
		}

		// An innovation resource on the bureau's list: recommended to the
		// enterprise with why, requested, answered.
		rin := resourceIn(dept, policyEnt)
		rform := resourceForm(rin, 0)
		rform.Del("department_id")
		resourceID := savedID(t, "add a resource", s.as(t, policyEditor, "POST", "/policy/resources", formBody(rform)), "resources")
		typed(fmt.Sprint(rin["name"]), fmt.Sprint(rin["provider"]), fmt.Sprint(rin["summary"]), fmt.Sprint(rin["terms"]), "陈工", "精密测量", "检测认证")
		wantPage(t, "the resources", s.as(t, "enterprise", "GET", "/policy/resources", nil), http.StatusOK, fmt.Sprint(rin["name"]))
		wantPage(t, "the resources for the enterprise", s.as(t, "enterprise", "GET", "/policy/resources/mine", nil), http.StatusOK,
			`id="resources-mine"`, fmt.Sprint(rin["name"]))
		resourcePath := fmt.Sprintf("/policy/resources/%d", resourceID)
		wantPage(t, "the resource as the enterprise", s.as(t, "enterprise", "GET", resourcePath, nil), http.StatusOK, `id="resource-request"`)
		requestID := savedID(t, "request", s.as(t, "enterprise", "POST", resourcePath+"/request", formBody(url.Values{"body": {"希望下周检测 40 件模具"}})),
			"requests")
		typed("希望下周检测 40 件模具")
		requestPath := fmt.Sprintf("/policy/requests/%d", requestID)
		res = s.as(t, policyEditor, "GET", requestPath, nil)
		wantPage(t, "the request as the bureau", res, http.StatusOK, `id="request-answer-form"`, "希望下周检测 40 件模具")
		vm = versionField.FindSubmatch(res.body)
		if vm == nil {
			t.Fatal("the request has no answer form")
		}
		wantSeeOther(t, "answer", s.as(t, policyEditor, "POST", requestPath+"/answer", formBody(url.Values{"answer": {"已安排周二上午检测"},
			"version": {string(vm[1])}})), requestPath)
		typed("已安排周二上午检测")
		wantPage(t, "the answer as the enterprise", s.as(t, "enterprise", "GET", requestPath, nil), http.StatusOK, `id="request-answer"`, "已安排周二上午检测")

		// A blacklist with one bad row records nothing and names the row.
		good, ok := pick(func(e enterprise.Enterprise) bool {
			return e.CommunityCode == showCommunity && e.CreditCode != policyEnt.CreditCode && e.Industry == policyEnt.Industry
		})
		if !ok {
			good = outsiderE
		}
		today := s.st.Now().In(calendar.Shanghai).Format(time.DateOnly)
		unknown := newCreditCode()
		paste := fmt.Sprintf("%s，拖欠农民工工资，%s，\n%s，列入严重违法失信名单，%s，", good.CreditCode, today, unknown, today)
		res = s.as(t, policyEditor, "POST", "/policy/blacklist", formBody(url.Values{"rows": {paste}}))
		wantPage(t, "a blacklist with a bad row", res, http.StatusUnprocessableEntity, `id="blacklist-problems"`, "第 2 行：没有这个信用代码的企业", unknown)
		if bytes.Contains(res.body, []byte("第 1 行")) {
			t.Error("the good row is named a problem")
		}
		barred := func() bool {
			var cu policydb.CheckUp
			s.poolCall(t, "admin", "GET", fmt.Sprintf("/api/v1/policy/checkup?enterprise=%d", s.entID(t, good.CreditCode)), nil, http.StatusOK, &cu)
			for _, it := range cu.Items {
				if it.Blacklisted {
					return true
				}
			}
			return false
		}
		if barred() {
			t.Error("a blacklist with a bad row barred the good one")
		}
		res = s.as(t, policyEditor, "POST", "/api/v1/policy/blacklist", jsonBody(map[string]any{"ref": "甬信用办〔2026〕3号",
			"rows": []map[string]any{{"line": 2, "credit_code": good.CreditCode, "reason": "拖欠农民工工资", "from": today},
				{"line": 3, "credit_code": unknown, "reason": "列入严重违法失信名单", "from": today}}}))
		var bl struct {
			Applied  bool `json:"applied"`
			Rejected []struct {
				Line int `json:"line"`
			} `json:"rejected"`
		}
		res.json(t, &bl)
		if res.code != http.StatusUnprocessableEntity || bl.Applied || len(bl.Rejected) != 1 || bl.Rejected[0].Line != 3 {
			t.Errorf("a blacklist with a bad row through the API: %d %s", res.code, res.body)
		}
		wantSeeOther(t, "a good blacklist", s.as(t, policyEditor, "POST", "/policy/blacklist",
			formBody(url.Values{"rows": {fmt.Sprintf("%s，拖欠农民工工资，%s，", good.CreditCode, today)}})), "/policy/blacklist")
		if !barred() {
			t.Error("the good blacklist did not bar the enterprise")
		}

		// A benefit that does not exist is not found, its list of the
		// enterprises told included.
		wantError(t, "a missing benefit", s.as(t, "grid", "GET", "/api/v1/policy/benefits/99999999", nil), http.StatusNotFound, "not_found")
		wantPage(t, "the enterprises told of a missing benefit", s.as(t, "grid", "GET", "/policy/benefits/99999999/enterprises", nil), http.StatusNotFound)
		if res := s.as(t, "grid", "GET", "/api/v1/policy/benefits/99999999/enterprises", nil); res.code != http.StatusNotFound {
			t.Errorf("the enterprises told of a missing benefit: %d, want 404", res.code)
		}

		// The API errors are JSON with a code.
		wantError(t, "a benefit out of the enterprise's reach", s.as(t, outsider, "GET", "/api/v1"+claimPath, nil), http.StatusNotFound, "not_found")
		wantError(t, "a grid worker approves", s.as(t, "grid", "POST", "/api/v1"+claimPath+"/act",
			jsonBody(map[string]any{"action": "pay", "version": 3})), http.StatusForbidden, "forbidden")

		// Both languages: the pages of the walk, in English, keep no
		// Chinese word of their own.
		shown := shownData(data...)
		var marks, names []string // Chinese punctuation; pages naming the department in Chinese only
		var taxEn string
		for _, d := range dataset.Departments {
			if d.Code == policyKeeper {
				taxEn = d.NameEn
			}
		}
		for _, p := range []struct{ who, path string }{
			{"enterprise", "/policy"}, {"enterprise", "/policy/checkup"}, {"enterprise", benefitPath}, {"enterprise", claimPath},
			{"enterprise", autoPath}, {"enterprise", noticePath}, {"enterprise", "/policy/resources/mine"}, {"enterprise", requestPath},
			{policyEditor, "/policy"}, {policyEditor, policyPath}, {policyEditor, benefitPath}, {policyEditor, autoBenefit},
			{policyEditor, claimPath}, {policyEditor, "/policy/claims"}, {policyEditor, "/policy/figures"}, {policyEditor, "/policy/resources"},
			{policyEditor, resourcePath}, {policyEditor, "/policy/blacklist"}, {policyEditor, policyPath + "/benefits/new"},
			{"grid", benefitPath + "/enterprises"}, {"grid", fmt.Sprintf("/policy/checkup?enterprise=%d", entID)},
		} {
			for _, lang := range []string{"zh", "en"} {
				res := s.inLang(t, p.who, lang, "GET", p.path, nil)
				want := map[string]string{"zh": `<html lang="zh-CN">`, "en": `<html lang="en">`}[lang]
				if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(want)) {
					t.Errorf("GET %s as %s in %s: %d, not a page in its language", p.path, p.who, lang, res.code)
					continue
				}
				if lang != "en" {
					continue
				}
				runs, where := chineseIn(res.body, shown)
				for i, run := range runs {
					if strings.IndexFunc(run, func(r rune) bool { return unicode.Is(unicode.Han, r) }) < 0 {
						if m := fmt.Sprintf("GET %s: %s", p.path, where[i]); !slices.Contains(marks, m) {
							marks = append(marks, m)
						}
					} else {
						t.Errorf("GET %s as %s in English keeps Chinese: %s", p.path, p.who, where[i])
					}
				}
				if !bytes.Contains(res.body, []byte(taxEn)) && (strings.HasPrefix(p.path, "/policy/benefits/") || strings.HasPrefix(p.path, "/policy/policies/")) &&
					!strings.HasSuffix(p.path, "/new") && !strings.HasSuffix(p.path, "/enterprises") {
					if !slices.Contains(names, "GET "+p.path) {
						names = append(names, "GET "+p.path)
					}
				}
			}
		}
		if len(marks) > 0 {
			t.Errorf("Chinese punctuation around data in English pages: %s", strings.Join(marks, "; "))
		}
		if len(names) > 0 {
			t.Errorf("English pages without the department's English name %q: %s", taxEn, strings.Join(names, ", "))
		}
	})
}
