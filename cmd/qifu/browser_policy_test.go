package main

// Precise push (精准推送) walked through the real binary: the tax bureau
// builds a benefit from the form, runs it over every enterprise, a second
// member of staff checks the sample and signs it off, and it is published;
// the showcase enterprise sees on its phone, privately, that it qualifies
// and why, and applies; the bureau approves. A 免申即享 benefit asks a fact
// the enterprise's file lacks: on its check-up it may qualify, it supplies
// the fact, qualifies, and confirms with its bank account; the bureau puts
// the confirmed list on public notice. A notice of the demo whose period is
// over is approved and its payment list exported.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qifu/internal/calendar"
)

// The walk's words.
var (
	policyTitle  = "关于进一步支持小微企业纾困发展的若干措施"
	policyDocNo  = "甬税发〔2026〕12号"
	applyTitle   = "小微企业纾困补助"
	autoTitle    = "研发投入后补助"
	policyBank   = "宁波银行北仑支行"
	policyReason = "样本企业判定与税务数据一致"
	policyMat    = "营业执照副本"
	policyMat2   = "纳税信用证明"
	// policyWalkWords are the walk's records' own words, for checkEnglish.
	policyWalkWords = []string{policyTitle, policyDocNo, applyTitle, autoTitle, policyBank, policyReason, policyMat, policyMat2,
		"见附件", "宁波市北仑区税务局", "纾困政策"}
)

// TestBrowserPolicy walks precise push on the demo.
func TestBrowserPolicy(t *testing.T) {
	t.Parallel()
	start := time.Now()
	browser := newBrowser(t, walkTimeout)
	srv := startServer(t, sqliteDB(t))
	artifacts := artifactsDir(t)
	users := &people{t: t, browser: browser, srv: srv, signedIn: map[string]*visitor{}}
	t.Logf("Chromium and the server started in %v", time.Since(start).Round(time.Millisecond))
	d := demoData()
	var community, showcase, signer string
	for _, u := range d.Users {
		if u.Username == "enterprise" {
			for _, e := range d.Enterprises {
				if e.CreditCode == u.EnterpriseCode {
					community, showcase = e.CommunityCode, e.Name
				}
			}
		}
		if strings.HasPrefix(u.Username, "dept_tax_") {
			signer = u.Username // a branch's member of the tax bureau
		}
	}
	if community == "" || signer == "" {
		t.Fatal("no showcase enterprise or no second member of the tax bureau in the demo")
	}
	now := time.Now().In(calendar.Shanghai)
	today := now.Format("2006-01-02")
	closes := now.AddDate(0, 1, 0).Format("2006-01-02")
	walk := func(what string, fn func(t *testing.T)) {
		if !t.Failed() {
			t.Run(what, fn)
		}
	}
	set := func(u *visitor, what string, fields map[string]string) {
		u.t.Helper()
		for sel, v := range fields {
			u.do(what+": "+sel, chromedp.SetValue(chromedp.CSS(sel), v))
		}
	}
	english := func(t *testing.T, u *visitor, page, shot string) {
		t.Helper()
		eval[string](t, u.tab, `document.cookie = "qifu_lang=en; path=/"`)
		u.follow("reload in English", chromedp.Reload())
		checkEnglish(t, u.tab, page)
		checkNotBlank(t, shot, saveScreenshot(t, u.tab, artifacts, shot))
		eval[string](t, u.tab, `document.cookie = "qifu_lang=zh; path=/"`)
		u.follow("reload in Chinese", chromedp.Reload())
	}
	// build makes a benefit from the builder and runs it: the editor
	// cannot sign it off; the second member of staff checks and signs; the
	// editor publishes. It returns the benefit's page.
	var policyPage string
	build := func(t *testing.T, title, mode string, rows map[string]string, shots bool) string {
		u := users.as(t, "dept_tax", desktop, policyPage)
		u.tap("add a benefit", "#policy-add-benefit")
		fields := map[string]string{"#benefit-form [name=title]": title, "#benefit-form [name=mode]": mode,
			"#benefit-form [name=opens]": today, "#benefit-form [name=closes]": closes,
			"#benefit-form [name=c0_field]": "region", "#benefit-form [name=c0_op]": "in", "#benefit-form [name=c0_value]": community}
		for k, v := range rows {
			fields[k] = v
		}
		set(u, "fill the builder", fields)
		if shots {
			checkNotBlank(t, "policy-builder-zh-1280.png", saveScreenshot(t, u.tab, artifacts, "policy-builder-zh-1280.png"))
		}
		u.tap("save the draft", "#benefit-save")
		page := u.path()
		if !strings.HasPrefix(page, "/policy/benefits/") {
			t.Fatalf("after saving the benefit: %s (%s)", page, u.text("main"))
		}
		u.tap("dry run", "#benefit-dryrun")
		met, maybe := u.text("#run-met"), u.text("#run-maybe")
		if met == "" || (met == "0" && (maybe == "" || maybe == "0")) {
			t.Fatalf("the dry run finds %q qualifying and %q maybe; want the showcase community's (%s)", met, maybe, u.text("#benefit-run"))
		}
		if !strings.Contains(u.text("#run-sample"), showcase) && !strings.Contains(u.text("#benefit-run"), "符合") {
			t.Errorf("the sample does not explain its verdicts: %s", u.text("#run-sample"))
		}
		if u.count("#run-sign") != 0 {
			t.Errorf("the editor is offered the sign-off")
		}
		if shots {
			checkNotBlank(t, "policy-dryrun-zh-1280.png", saveScreenshot(t, u.tab, artifacts, "policy-dryrun-zh-1280.png"))
			english(t, u, page, "policy-dryrun-en-1280.png")
		}
		s := users.as(t, signer, desktop, page)
		set(s, "the remark", map[string]string{"#run-sign [name=note]": policyReason})
		s.tap("sign off", "#run-sign-submit")
		if !strings.Contains(s.text("#run-signed"), policyReason) {
			t.Fatalf("the run is not signed off: %s", s.text("#benefit-run"))
		}
		u = users.as(t, "dept_tax", desktop, page)
		u.tap("publish", "#benefit-publish")
		if got := u.text(".head .state"); got != "兑现中" {
			t.Fatalf("the published benefit is %q; want 兑现中", got)
		}
		return page
	}

	walk("the tax bureau publishes the policy", func(t *testing.T) {
		u := users.as(t, "dept_tax", desktop, "/policy/policies/new")
		set(u, "fill the policy", map[string]string{"#policy-form [name=title]": policyTitle, "#policy-form [name=issuer]": "宁波市北仑区税务局",
			"#policy-form [name=doc_no]": policyDocNo, "#policy-form [name=family]": "纾困政策", "#policy-form [name=published]": today,
			"#policy-form [name=in_force]": today, "#policy-form [name=until]": now.AddDate(1, 0, 0).Format("2006-01-02")})
		u.tap("save", "#policy-save")
		policyPage = u.path()
		if !strings.HasPrefix(policyPage, "/policy/policies/") {
			t.Fatalf("after saving the policy: %s (%s)", policyPage, u.text("main"))
		}
		u.tap("publish", "#policy-publish")
		if !strings.Contains(u.text("#policy-meta"), "已发布") {
			t.Fatalf("the policy is not published: %s", u.text("#policy-meta"))
		}
	})

	var applyPage string
	walk("a benefit built from the form, run, signed off and published", func(t *testing.T) {
		applyPage = build(t, applyTitle, "apply", map[string]string{
			"#benefit-form [name=c1_field]": "employees", "#benefit-form [name=c1_op]": "ge", "#benefit-form [name=c1_value]": "10",
			"#benefit-form [name=amount_kind]": "fixed", "#benefit-form [name=amount_yuan]": "2",
			"#benefit-form [name=materials]": policyMat + "\n" + policyMat2}, true)
	})

	var claimPage string
	walk("the enterprise sees it on its phone, privately, with the reason, and applies", func(t *testing.T) {
		u := users.as(t, "enterprise", phone, "/policy")
		if !strings.Contains(u.text("#policy-checkup-summary"), applyTitle) {
			t.Fatalf("the check-up does not list the new benefit: %s", u.text("#policy-checkup-summary"))
		}
		u.follow("open the benefit", chromedp.Navigate(srv.URL+applyPage))
		if got := u.text("#benefit-verdict"); got != "符合" {
			t.Fatalf("the enterprise's verdict is %q; want 符合 (%s)", got, u.text("#benefit-mine"))
		}
		if why := u.text("#benefit-mine .why"); !strings.Contains(why, "从业人员") || !strings.Contains(why, "≥ 10") {
			t.Errorf("the reasons do not say why: %q", why)
		}
		checkFits(t, u.tab, int(phone.w))
		checkNotBlank(t, "policy-benefit-zh-390.png", saveScreenshot(t, u.tab, artifacts, "policy-benefit-zh-390.png"))
		english(t, u, applyPage, "policy-benefit-en-390.png")
		set(u, "the materials", map[string]string{"#benefit-apply [name=m0]": "见附件", "#benefit-apply [name=m1]": "见附件"})
		u.tap("apply", "#benefit-apply-submit")
		claimPage = u.path()
		if got := u.text("#claim-state"); got != "待审核" {
			t.Fatalf("after applying: %s is %q", claimPage, got)
		}
	})

	walk("a department without the policy cannot see the enterprise's claim", func(t *testing.T) {
		u := users.as(t, "dept_market", desktop, "/")
		u.do("open the claim", chromedp.Navigate(srv.URL+claimPage))
		if !strings.Contains(u.text("main"), "不存在") {
			t.Errorf("the market bureau sees the tax bureau's claim: %s", u.text("main"))
		}
	})

	walk("the tax bureau approves the application", func(t *testing.T) {
		u := users.as(t, "dept_tax", desktop, claimPage)
		u.tap("approve", "#claim-approve-submit")
		if got := u.text("#claim-state"); got != "已核准" {
			t.Fatalf("after approving: %q", got)
		}
	})

	lastYear := fmt.Sprint(now.Year() - 1)
	var autoPage string
	walk("a 免申即享 benefit asking a fact the file lacks", func(t *testing.T) {
		autoPage = build(t, autoTitle, "auto", map[string]string{
			"#benefit-form [name=c1_field]": "rd_spend", "#benefit-form [name=c1_op]": "ge", "#benefit-form [name=c1_value]": "5",
			"#benefit-form [name=c1_period]": lastYear, "#benefit-form [name=amount_kind]": "fixed", "#benefit-form [name=amount_yuan]": "1",
			"#benefit-form [name=notice_days]": "5"}, false)
	})

	var autoID string
	walk("the enterprise may qualify, supplies the fact and qualifies", func(t *testing.T) {
		autoID = strings.TrimPrefix(autoPage, "/policy/benefits/")
		u := users.as(t, "enterprise", phone, "/policy/checkup")
		item := "#b" + autoID
		if got := u.text(item + " .light"); got != "可能符合" {
			t.Fatalf("the check-up says %q of the new benefit; want 可能符合 (%s)", got, u.text(item))
		}
		if !strings.Contains(u.text(item+" .why"), "研发投入") {
			t.Errorf("the check-up does not say what is missing: %s", u.text(item))
		}
		checkFits(t, u.tab, int(phone.w))
		checkNotBlank(t, "policy-checkup-zh-390.png", saveScreenshot(t, u.tab, artifacts, "policy-checkup-zh-390.png"))
		english(t, u, "/policy/checkup", "policy-checkup-en-390.png")
		set(u, "the fact", map[string]string{item + " form.supply [name=value]": "8"})
		u.tap("supply it", item+" form.supply button")
		if got := u.text(item + " .light"); got != "符合" {
			t.Fatalf("after supplying the fact: %q (%s)", got, u.text(item))
		}
	})

	walk("the enterprise confirms it with its bank account", func(t *testing.T) {
		u := users.as(t, "enterprise", phone, "/policy/claims?benefit="+autoID)
		u.tap("open the match", "#policy-claims a")
		set(u, "the account", map[string]string{"#claim-confirm [name=bank]": policyBank, "#claim-confirm [name=account]": "6230 5800 1234 5678"})
		u.tap("confirm", "#claim-confirm-submit")
		if got := u.text("#claim-state"); got != "已确认" {
			t.Fatalf("after confirming: %q", got)
		}
	})

	walk("the tax bureau puts the confirmed list on public notice", func(t *testing.T) {
		u := users.as(t, "dept_tax", desktop, autoPage)
		u.tap("notice", "#benefit-notice")
		u.tap("open the notice", `#benefit-review a[href^="/policy/notices/"]`)
		if !strings.Contains(u.text("#notice-rows"), showcase) {
			t.Fatalf("the notice does not list the enterprise: %s", u.text("main"))
		}
		if !strings.Contains(u.text("main"), "期满后方可核准") {
			t.Errorf("the running notice offers its approval: %s", u.text("main"))
		}
	})

	walk("a notice over is approved and its payment list exported", func(t *testing.T) {
		u := users.as(t, "dept_tax", desktop, "/todo")
		href := eval[string](t, u.tab, `(Array.from(document.querySelectorAll('a[href^="/policy/benefits/"]')).find(a => a.innerText.includes('小规模纳税人增值税减免')) || {getAttribute: () => ''}).getAttribute('href')`)
		if href == "" {
			t.Fatalf("the tax bureau's to-do does not list the notice to approve: %s", u.text("main"))
		}
		u.follow("open the benefit", chromedp.Navigate(srv.URL+href))
		u.tap("open the notice", `#benefit-review a[href^="/policy/notices/"]`)
		u.tap("approve", "#notice-approve")
		if !strings.Contains(u.text("#notice-period"), "已核准") {
			t.Fatalf("the notice is not approved: %s", u.text("main"))
		}
		id := strings.TrimPrefix(href, "/policy/benefits/")
		got, err := chromedp.Run(u.tab, chromedp.Evaluate[string](`fetch('/api/v1/policy/benefits/`+id+`/pay.xlsx?state=approved').then(r => r.status + ' ' + r.headers.get('Content-Type'))`,
			chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("fetch the payment list: %v", err)
		}
		if !strings.HasPrefix(got, "200 application/vnd.openxmlformats") {
			t.Errorf("the payment list answers %q", got)
		}
	})
	t.Logf("the policy walk took %v", time.Since(start).Round(time.Millisecond))
}
