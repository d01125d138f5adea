package main

// Checklists, work resumption and status reports (清单 · 复工复产 · 运行监测)
// walked through the real binary, each step by the user whose step it is,
// at a browser of their own: the street leader starts a prevention
// checklist with restart approval over the showcase community; the
// showcase enterprise fills it on its phone and applies to restart; the
// street checks on site and approves (a small enterprise: below the
// threshold); the grid worker agrees an improvement on an advisory check;
// the administrator grants the health bureau the power to inspect
// epidemic prevention, and its staff order a rectification and close it
// after the re-check; a daily monitoring campaign's rates move by exactly
// the hand computation when the enterprise reports on its phone; a
// supplier it names becomes its grid worker's to-do; the power company's
// file flags the report and the grid worker checks it. The module's main
// pages are then opened on a phone and at a desk, in both languages, and
// read as a person reads them: nothing scrolls sideways, a radio button
// sits beside its words, an English page says nothing in Chinese but the
// records' own words, a finding names its item. The demo plays the
// module's own history (the 2020 crisis, a monthly campaign running now),
// which the walk works beside: its records are found by their ids.

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
)

// The walk's words.
var (
	rsChecklistTitle = "大港社区复工防疫清单检查"
	rsMonitorTitle   = "大港社区复工复产日报"
	rsPledge         = "本企业承诺落实各项防控措施，如实报告员工健康情况，发现异常立即报告社区。"
	rsAdvice         = "口罩储备仅够三天，商定一周内补足七天用量"
	rsOrder          = "防护物资储备不足七天，责令限期补足"
	rsBasis          = "《中华人民共和国传染病防治法》第五十三条"
	rsRecheck        = "复查：防护物资已补足十天用量"
	rsOrders         = "外贸订单恢复六成"
	rsBlockAnswer    = "已上门了解，供应商设备检修完毕，下周一复工"
	rsFlagAnswer     = "已上门核实：本月主要设备检修，实际已复工"
	// rsWalkWords are the walk's records' own words, which an English page
	// shows as they are.
	rsWalkWords = []string{rsChecklistTitle, rsMonitorTitle, rsPledge, rsAdvice, rsOrder, rsBasis, rsRecheck, rsOrders,
		rsBlockAnswer, rsFlagAnswer}
)

// rsStepTimeout bounds a step that loads a page (a form's submission, a
// page opened): a busy machine may take a while over the demo's records.
const rsStepTimeout = 30 * time.Second

// rsMember is a member of a monitoring campaign as the API lists it.
type rsMember struct {
	EnterpriseID  int64  `json:"enterprise_id"`
	CreditCode    string `json:"credit_code"`
	NormalOutput  int64  `json:"normal_output"`
	Workers       int    `json:"workers"`
	Latest        string `json:"latest_period"`
	Resumed       bool   `json:"resumed"`
	OutputShare   int    `json:"output_share"`
	OnSite        int    `json:"on_site"`
	ReportWorkers int    `json:"report_workers"`
}

// TestBrowserResumption walks the module's "done when" on the demo.
func TestBrowserResumption(t *testing.T) {
	t.Parallel()
	start := time.Now()
	browser := newBrowser(t, 20*time.Minute)
	srv := startServer(t, sqliteDB(t))
	artifacts := artifactsDir(t)
	users := &people{t: t, browser: browser, srv: srv, signedIn: map[string]*visitor{}}
	t.Logf("Chromium and the server started in %v", time.Since(start).Round(time.Millisecond))

	// The showcase enterprise, its community, and a supplier in another
	// grid of the community that has a grid worker of its own.
	d := demoData()
	var credit string
	for _, u := range d.Users {
		if u.Username == "enterprise" {
			credit = u.EnterpriseCode
		}
	}
	accounts := map[string]bool{}
	for _, u := range d.Users {
		accounts[u.Username] = true
	}
	var ent, supplier enterprise.Enterprise
	for _, e := range d.Enterprises {
		if e.CreditCode == credit {
			ent = e
		}
	}
	inCommunity := 0
	for _, e := range d.Enterprises {
		if e.CommunityCode != ent.CommunityCode {
			continue
		}
		inCommunity++
		if e.GridCode != ent.GridCode && supplier.CreditCode == "" && accounts["grid_"+e.GridCode] {
			supplier = e
		}
	}
	if ent.Name == "" || supplier.Name == "" {
		t.Fatal("no showcase enterprise, or no enterprise of another grid of its community with a grid worker")
	}
	const threshold = 100
	if ent.Employees >= threshold {
		t.Fatalf("the showcase enterprise has %d employees: not a small one below the threshold of %d", ent.Employees, threshold)
	}
	supplierWorker := "grid_" + supplier.GridCode
	now := time.Now().In(calendar.Shanghai)
	today := now.Format(time.DateOnly)
	words := slices.Concat(rsWalkWords, rsBases(), resumptiondb.ResumptionWords())

	walk := func(what string, fn func(t *testing.T)) {
		if !t.Failed() {
			t.Run(what, fn)
		}
	}
	shot := func(t *testing.T, u *visitor, name string) {
		t.Helper()
		checkNotBlank(t, name, saveScreenshot(t, u.tab, artifacts, name))
	}

	// 1. The street leader starts the prevention checklist with restart
	// approval over the community.
	var checklistPage, checklistID string
	walk("the street leader starts a prevention checklist with restart approval", func(t *testing.T) {
		u := rsAs(t, users, "street_leader", desktop, "/resumption")
		rsPress(u, "start a campaign", "#rs-new")
		if got := u.path(); got != "/resumption/new" {
			t.Fatalf("the button leads to %s", got)
		}
		if n := u.count(`#rs-start select[name=region] option[value="` + ent.CommunityCode + `"]`); n != 1 {
			t.Fatalf("the audience offers the community %s %d times", ent.CommunityCode, n)
		}
		u.do("choose a checklist", chromedp.Click(chromedp.CSS(`#rs-start input[name=kind][value=checklist]`)))
		rsSet(u, "fill the campaign", map[string]string{
			"#rs-start [name=title]":           rsChecklistTitle,
			"#rs-start select[name=region]":    ent.CommunityCode,
			"#rs-start select[name=checklist]": "prevention",
			"#rs-start select[name=restart]":   "approval",
			"#rs-start input[name=threshold]":  strconv.Itoa(threshold),
		})
		shot(t, u, "resumption-new-zh-1280.png")
		rsPress(u, "start", "#rs-start-submit")
		checklistPage = u.path()
		if !regexp.MustCompile(`^/resumption/campaigns/\d+$`).MatchString(checklistPage) {
			t.Fatalf("after starting: %s (%s)", checklistPage, u.text("main"))
		}
		checklistID = strings.TrimPrefix(checklistPage, "/resumption/campaigns/")
		if got := u.text("h1"); got != rsChecklistTitle {
			t.Errorf("the campaign's heading reads %q", got)
		}
		if got := u.value(`#rs-mode select[name=restart]`); got != "approval" {
			t.Errorf("the campaign takes restart applications by %q; want approval", got)
		}
		if got := u.value(`#rs-mode input[name=threshold]`); got != strconv.Itoa(threshold) {
			t.Errorf("the campaign's threshold reads %q; want %d", got, threshold)
		}
		if !strings.Contains(u.text("main"), "还没有复工申报") {
			t.Errorf("the new campaign does not say it has no applications yet: %q", u.text("main"))
		}
		shot(t, u, "resumption-checklist-zh-1280.png")
	})

	// 2. The enterprise fills the checklist on its phone (all in place but
	// one) and applies to restart.
	var restartPage, entPage string
	walk("the enterprise fills the checklist on its phone and applies to restart", func(t *testing.T) {
		u := rsAs(t, users, "enterprise", phone, "/")
		if u.count("#svc-resumption") > 0 {
			rsPress(u, "open the service", "#svc-resumption")
		} else {
			t.Log("the enterprise's home offers no #svc-resumption: opening /resumption")
			rsFollow(u, "open /resumption", chromedp.Navigate(srv.URL+"/resumption"))
		}
		if got := u.path(); got != "/resumption" {
			t.Fatalf("the service leads to %s", got)
		}
		if u.count("#rs-fill-"+checklistID) != 1 || u.count("#rs-restart-"+checklistID) != 1 {
			t.Fatalf("the enterprise's page offers neither the checklist nor the restart: %q", u.text("#rs-mine"))
		}
		checkFits(t, u.tab, int(phone.w))
		shot(t, u, "resumption-home-zh-390.png")
		entPage = eval[string](t, u.tab, `document.querySelector('main a[href^="/resumption/enterprises/"]')?.getAttribute('href') ?? ''`)
		if !regexp.MustCompile(`^/resumption/enterprises/\d+$`).MatchString(entPage) {
			t.Fatalf("the enterprise's page links its checks as %q", entPage)
		}
		rsPress(u, "fill the checklist", "#rs-fill-"+checklistID)
		if got := u.path(); got != "/surveys/"+checklistID {
			t.Fatalf("the checklist opens at %s", got)
		}
		items := resumption.Prevention.Items()
		if n := u.count(`#fill-form .question`); n != len(items) {
			t.Errorf("the checklist asks %d questions; want its %d items", n, len(items))
		}
		rsAnswer(u, "#fill-form", "", "masks")
		checkFits(t, u.tab, int(phone.w))
		checkNothingClipped(t, u.tab, int(phone.w))
		shot(t, u, "resumption-fill-zh-390.png")
		u.submit("submit the checklist", "#fill-form", "#submit")
		if got := u.text("#fill-state"); got != "已提交" {
			t.Fatalf("after submitting, the checklist says %q; want 已提交 (%q)", got, u.text("#fill-errors"))
		}

		rsFollow(u, "back to the service", chromedp.Navigate(srv.URL+"/resumption"))
		rsPress(u, "open the restart application", "#rs-restart-"+checklistID)
		if help := u.text("main p.small.muted"); !strings.Contains(help, strconv.Itoa(threshold)) {
			t.Errorf("the application does not say who decides at what size: %q", help)
		}
		rsSet(u, "fill the application", map[string]string{
			"#rs-pledge": rsPledge, "#rs-apply-onsite": "40", "#rs-apply [name=returned]": "10",
			"#rs-apply [name=planning]": "6", "#rs-apply [name=isolating]": "2",
		})
		checkFits(t, u.tab, int(phone.w))
		checkNothingClipped(t, u.tab, int(phone.w))
		shot(t, u, "resumption-restart-apply-zh-390.png")
		rsPress(u, "apply", "#rs-apply-submit")
		restartPage = u.path()
		if !regexp.MustCompile(`^/resumption/restarts/\d+$`).MatchString(restartPage) {
			t.Fatalf("after applying: %s (%s)", restartPage, u.text("main"))
		}
		if got := u.text("#restart-state"); got != "待现场核查" {
			t.Errorf("the new application is %q; want 待现场核查", got)
		}
		facts := u.text("#restart-facts")
		for _, want := range []string{"街道审批", rsPledge, "在岗人数 40", "新增返岗 10", "计划返岗 6", "隔离观察 2"} {
			if !strings.Contains(facts, want) {
				t.Errorf("the application does not show %q: %q", want, facts)
			}
		}
	})

	// 3. The street checks on site and approves; the enterprise sees it.
	walk("the street checks on site and approves; the enterprise sees 已批准复工", func(t *testing.T) {
		u := rsAs(t, users, "street_leader", desktop, "/todo")
		if !rsTodoHas(u, restartPage) {
			t.Errorf("the street leader's to-do does not list the application %s", restartPage)
		}
		rsFollow(u, "open the application", chromedp.Navigate(srv.URL+restartPage))
		if u.count("#restart-approve") != 0 {
			t.Errorf("the application offers the approval before the on-site check")
		}
		rsPress(u, "checked on site", "#restart-check-submit")
		if got := u.text("#restart-state"); got != "已核查，待审批" {
			t.Fatalf("after the check the application is %q", got)
		}
		rsPress(u, "approve", "#restart-approve-submit")
		if got := u.text("#restart-state"); got != "已批准复工" {
			t.Fatalf("after the approval the application is %q", got)
		}
		if n := u.count("#restart-steps li"); n != 3 {
			t.Errorf("the application lists %d steps; want apply, check, approve", n)
		}
		shot(t, u, "resumption-restart-zh-1280.png")

		e := rsAs(t, users, "enterprise", phone, "/resumption/campaigns/"+checklistID+"/restart")
		if got := e.text("#rs-restart-state"); !strings.Contains(got, "已批准复工") {
			t.Errorf("the enterprise's application reads %q; want 已批准复工", got)
		}
		if e.count("#rs-apply") != 0 {
			t.Errorf("the approved enterprise is offered to apply again")
		}
		rsFollow(e, "open the service", chromedp.Navigate(srv.URL+"/resumption"))
		if got := eval[string](t, e.tab, `document.querySelector('main a[href="`+restartPage+`"]')?.parentElement.querySelector('.state')?.textContent.trim() ?? ''`); got != "已批准复工" {
			t.Errorf("the enterprise's page says of its restart %q; want 已批准复工", got)
		}
		shot(t, e, "resumption-approved-zh-390.png")
	})

	// 4. The grid worker agrees an improvement on an advisory check.
	var advicePage string
	checkPath := entPage + "/check?checklist=prevention&campaign=" + checklistID
	walk("the grid worker agrees an improvement; the enterprise sees it", func(t *testing.T) {
		u := rsAs(t, users, "grid", desktop, checkPath)
		if got := u.text("h1"); !strings.Contains(got, ent.Name) {
			t.Errorf("the check form is headed %q; want the enterprise %s", got, ent.Name)
		}
		if n := u.count(`#rs-check select[name=f0_kind] option[value=rectification]`); n != 0 {
			t.Errorf("a grid worker is offered to order a rectification")
		}
		rsAnswer(u, "#rs-check", "r_", "masks")
		rsSet(u, "the improvement", map[string]string{"#rs-check [name=f0_item]": "masks", "#rs-check [name=f0_note]": rsAdvice})
		u.do("the enterprise agrees", chromedp.Click(chromedp.CSS(`#rs-check input[name=f0_consent]`)))
		shot(t, u, "resumption-check-zh-1280.png")
		rsPress(u, "save the check", "#rs-check-submit")
		if got := u.path(); got != entPage {
			t.Fatalf("after the check: %s (%s)", got, u.text("main"))
		}
		if got := u.text("#rs-checks"); !strings.Contains(got, "服务检查（建议）") || !strings.Contains(got, "93 / 100") {
			t.Errorf("the enterprise's checks read %q; want an advisory check scoring 93 / 100", got)
		}
		advicePage = rsLinkTo(u, "/resumption/findings/", rsAdvice)
		if advicePage == "" {
			t.Fatalf("the enterprise's page does not list the improvement: %q", u.text("main"))
		}

		e := rsAs(t, users, "enterprise", phone, "/resumption")
		if got := e.text("main"); !strings.Contains(got, rsAdvice) || !strings.Contains(got, "改进事项（服务建议）") {
			t.Errorf("the enterprise does not see the improvement: %q", got)
		}
		rsFollow(e, "open the finding", chromedp.Navigate(srv.URL+advicePage))
		if got := e.text("#finding-state"); got != "未完成" {
			t.Errorf("the improvement is %q; want 未完成", got)
		}
		checkFits(t, e.tab, int(phone.w))
		shot(t, e, "resumption-improvement-zh-390.png")
	})

	// 5. The health bureau is granted the power to inspect epidemic
	// prevention, orders a rectification and closes it after the re-check.
	var orderPage string
	walk("a department with the power orders a rectification and closes it", func(t *testing.T) {
		a := rsAs(t, users, "admin", desktop, "/resumption/powers")
		dept := eval[string](t, a.tab, `Array.from(document.querySelectorAll('#powers-form select[name=department] option'))
			.find(o => o.textContent.trim() === '卫健局')?.value ?? ''`)
		if dept == "" {
			t.Fatalf("the powers form offers no 卫健局: %q", a.text("#powers-form"))
		}
		rsSet(a, "grant the power", map[string]string{"#powers-form select[name=department]": dept,
			"#powers-form select[name=matter]": "epidemic", "#powers-form input[name=basis]": rsBasis})
		rsPress(a, "save", "#powers-form button[type=submit]")
		if got := a.text("#rs-powers"); !strings.Contains(got, "卫健局") || !strings.Contains(got, "疫情防控") || !strings.Contains(got, rsBasis) {
			t.Fatalf("the powers read %q after the grant", got)
		}
		shot(t, a, "resumption-powers-zh-1280.png")

		u := rsAs(t, users, "dept_health", desktop, checkPath)
		if n := u.count(`#rs-check select[name=f0_kind] option[value=rectification]`); n != 1 {
			t.Fatalf("the health bureau is not offered the rectification: %q", u.text("#rs-finding-0"))
		}
		deadline := now.AddDate(0, 0, 5).Format(time.DateOnly)
		rsAnswer(u, "#rs-check", "r_", "masks")
		rsSet(u, "the rectification", map[string]string{"#rs-check [name=f0_kind]": "rectification", "#rs-check [name=f0_item]": "masks",
			"#rs-check [name=f0_note]": rsOrder, "#rs-check [name=f0_basis]": rsBasis, "#rs-check [name=f0_deadline]": deadline})
		shot(t, u, "resumption-inspection-zh-1280.png")
		rsPress(u, "save the inspection", "#rs-check-submit")
		if got := u.text("#rs-checks"); !strings.Contains(got, "行政检查") {
			t.Errorf("the enterprise's checks read %q; want an inspection", got)
		}
		orderPage = rsLinkTo(u, "/resumption/findings/", rsOrder)
		if orderPage == "" {
			t.Fatalf("the enterprise's page does not list the rectification: %q", u.text("main"))
		}
		rsFollow(u, "open the rectification", chromedp.Navigate(srv.URL+orderPage))
		facts := u.text("#finding-facts")
		for _, want := range []string{rsOrder, rsBasis, "卫健局", deadline} {
			if !strings.Contains(facts, want) {
				t.Errorf("the rectification does not show %q: %q", want, facts)
			}
		}
		if got := u.text("h1"); !strings.Contains(got, "责令整改") {
			t.Errorf("the rectification is headed %q", got)
		}
		rsSet(u, "the re-check", map[string]string{"#finding-close textarea[name=note]": rsRecheck})
		rsPress(u, "close after the re-check", "#finding-close-submit")
		if got := u.text("#finding-state"); got != "已复查销号" {
			t.Fatalf("after the re-check the rectification is %q; want 已复查销号", got)
		}
		if got := u.text("#finding-recheck"); !strings.Contains(got, rsRecheck) {
			t.Errorf("the re-check reads %q", got)
		}
		shot(t, u, "resumption-rectification-zh-1280.png")
	})

	// 6. A daily monitoring campaign: the rates before and after the
	// enterprise's report, against the hand computation.
	var monitorPage, monitorID, reportPage string
	var members []rsMember
	var reported map[string]string              // the figures after the report
	const share, onSite, workers = 6250, 45, 60 // 62.5% of normal output
	walk("the street leader starts a daily monitoring campaign", func(t *testing.T) {
		u := rsAs(t, users, "street_leader", desktop, "/resumption/new")
		u.do("choose status reports", chromedp.Click(chromedp.CSS(`#rs-start input[name=kind][value=monitoring]`)))
		rsSet(u, "fill the campaign", map[string]string{"#rs-start [name=title]": rsMonitorTitle,
			"#rs-start select[name=region]": ent.CommunityCode, "#rs-start select[name=schedule]": "daily"})
		rsPress(u, "start", "#rs-start-submit")
		monitorPage = u.path()
		if !regexp.MustCompile(`^/resumption/campaigns/\d+$`).MatchString(monitorPage) {
			t.Fatalf("after starting: %s (%s)", monitorPage, u.text("main"))
		}
		monitorID = strings.TrimPrefix(monitorPage, "/resumption/campaigns/")
		reportPage = monitorPage + "/report"
		members = rsMembers(t, u, monitorID)
		if len(members) != inCommunity {
			t.Errorf("the frozen list has %d members; the community has %d enterprises", len(members), inCommunity)
		}
		rsWantRates(t, u, rsExpect(members, ent.CreditCode, nil))
	})

	walk("the enterprise reports on its phone and the rates move by the hand computation", func(t *testing.T) {
		u := rsAs(t, users, "enterprise", phone, "/resumption")
		rsPress(u, "report this period", "#rs-report-"+monitorID)
		if got := u.path(); got != reportPage {
			t.Fatalf("the report opens at %s", got)
		}
		if got := u.text("#rs-period"); got != today {
			t.Errorf("the report's period is %q; want today %s", got, today)
		}
		if got := u.value("#rs-workers"); got != strconv.Itoa(ent.Employees) {
			t.Errorf("the workers are prefilled with %q; the file says %d", got, ent.Employees)
		}
		u.do("resumed", chromedp.Click(chromedp.ID("rs-resumed-yes")))
		rsSet(u, "fill the report", map[string]string{"#rs-share": "62.5", "#rs-onsite": strconv.Itoa(onSite),
			"#rs-workers": strconv.Itoa(workers), "#rs-report [name=orders]": rsOrders})
		checkFits(t, u.tab, int(phone.w))
		checkNothingClipped(t, u.tab, int(phone.w))
		shot(t, u, "resumption-report-zh-390.png")
		rsPress(u, "report", "#rs-report-submit")
		if got := u.text("#rs-this"); !strings.Contains(got, "本期已报送") {
			t.Fatalf("after reporting the page reads %q (%q)", got, u.text("main"))
		}
		shot(t, u, "resumption-reported-zh-390.png")

		s := rsAs(t, users, "street_leader", desktop, monitorPage)
		after := rsMembers(t, s, monitorID)
		mine := rsMember{}
		for _, m := range after {
			if m.CreditCode == ent.CreditCode {
				mine = m
			}
		}
		if mine.Latest != today || !mine.Resumed || mine.OutputShare != share || mine.OnSite != onSite || mine.ReportWorkers != workers {
			t.Errorf("the API lists the enterprise's report as %+v; want today's: resumed, %d, %d on site of %d", mine, share, onSite, workers)
		}
		reported = rsExpect(members, ent.CreditCode, &resumption.Report{Resumed: true, OutputShare: share, OnSite: onSite, Workers: workers})
		rsWantRates(t, s, reported)
		shot(t, s, "resumption-campaign-zh-1280.png")
	})

	// 7. The enterprise names a supplier in a corrected report; the
	// supplier's grid worker resolves it.
	walk("a supplier named in a corrected report is its grid worker's to-do", func(t *testing.T) {
		u := rsAs(t, users, "enterprise", phone, reportPage)
		if got := u.text("#rs-report-submit"); got != "更正本期报送" {
			t.Errorf("the reported period's button reads %q; want 更正本期报送", got)
		}
		rsSet(u, "name the supplier", map[string]string{"#rs-blocked": supplier.CreditCode})
		rsPress(u, "correct", "#rs-report-submit")
		if got := u.text("#rs-this"); !strings.Contains(got, "更正 1 次") {
			t.Errorf("after the correction the page reads %q", got)
		}

		s := rsAs(t, users, "street_leader", desktop, monitorPage+"/exceptions")
		if got := s.text("#exc-blocks"); got != "1" {
			t.Errorf("the exceptions count %q firms held up; want 1", got)
		}
		block := rsLinkTo(s, "/resumption/blocks/", supplier.Name)
		if block == "" {
			t.Fatalf("the exceptions do not list the supplier %s: %q", supplier.Name, s.text("main"))
		}
		rsWantRates(t, s, reported) // the correction changed no figure
		g := rsAs(t, users, supplierWorker, desktop, "/todo")
		if !rsTodoHas(g, block) {
			t.Fatalf("the supplier's grid worker %s has no to-do %s", supplierWorker, block)
		}
		rsFollow(g, "open the block", chromedp.Navigate(srv.URL+block))
		facts := g.text("#block-facts")
		if !strings.Contains(facts, ent.Name) || !strings.Contains(facts, supplier.Name) {
			t.Errorf("the block reads %q; want %s held up by %s", facts, ent.Name, supplier.Name)
		}
		rsSet(g, "what was done", map[string]string{"#block-resolve textarea[name=answer]": rsBlockAnswer})
		shot(t, g, "resumption-block-zh-1280.png")
		rsPress(g, "resolve", "#block-resolve-submit")
		if got := g.text("#block-state"); got != "已处理" {
			t.Errorf("after resolving the block is %q; want 已处理", got)
		}
		if got := g.text("#block-answer"); !strings.Contains(got, rsBlockAnswer) {
			t.Errorf("the block's answer reads %q", got)
		}
		if rsTodoHas(g, block) {
			t.Errorf("the resolved block is still a to-do")
		}
	})

	// 8. The electricity file flags the report; the grid worker checks it.
	var flagPage string
	walk("the electricity file flags the report and the grid worker checks it", func(t *testing.T) {
		u := rsAs(t, users, "street_leader", desktop, "/resumption/power")
		month, lastYear := now.Format("2006-01"), now.AddDate(-1, 0, 0).Format("2006-01")
		rows := fmt.Sprintf("%s,%s,120000\n%s,%s,6000", ent.CreditCode, lastYear, ent.CreditCode, month)
		rsSet(u, "paste the file", map[string]string{"#power-form textarea[name=rows]": rows})
		rsPress(u, "import", "#power-submit")
		// Every running monitoring campaign the enterprise reports in is
		// cross-checked: the demo's own may flag it too.
		got := u.text("#power-done")
		flagged := regexp.MustCompile(`新提示 (\d+) 家`).FindStringSubmatch(got)
		if !strings.Contains(got, "已导入 2 行") || flagged == nil || flagged[1] == "0" {
			t.Fatalf("after the import the page reads %q (%q); want 2 rows kept and the report flagged", got, u.text("main"))
		}
		t.Logf("the import: %s", got)
		shot(t, u, "resumption-power-zh-1280.png")
		rsFollow(u, "open the exceptions", chromedp.Navigate(srv.URL+monitorPage+"/exceptions"))
		if got := u.text("#exc-flags"); got != "1" {
			t.Errorf("the exceptions count %q flags; want 1", got)
		}
		flagPage = rsLinkTo(u, "/resumption/flags/", ent.Name)
		if flagPage == "" {
			t.Fatalf("the exceptions do not list the flagged report: %q", u.text("main"))
		}
		if got := u.text("main"); !strings.Contains(got, "报已复工，但用电低于去年同期的设定比例") {
			t.Errorf("the exceptions do not say how the electricity disagrees: %q", got)
		}
		shot(t, u, "resumption-exceptions-zh-1280.png")

		// One enterprise's month is one to-do, however many campaigns flag
		// it: the first flag of the month, whose check closes them all.
		g := rsAs(t, users, "grid", desktop, "/todo")
		todoFlag := rsFirstFlag(t, g, ent.Name, month)
		if !rsTodoHas(g, todoFlag) {
			t.Fatalf("the grid worker's to-do does not list the flag %s", todoFlag)
		}
		rsFollow(g, "open the flag", chromedp.Navigate(srv.URL+todoFlag))
		facts := g.text("#flag-facts")
		for _, want := range []string{month, "6000 kWh / 120000 kWh", "已复工"} {
			if !strings.Contains(facts, want) {
				t.Errorf("the flag does not show %q: %q", want, facts)
			}
		}
		rsSet(g, "what the check found", map[string]string{"#flag-check textarea[name=answer]": rsFlagAnswer})
		rsPress(g, "record the check", "#flag-check-submit")
		if got := g.text("#flag-state"); got != "已核实" {
			t.Errorf("after the check the flag is %q; want 已核实", got)
		}
		shot(t, g, "resumption-flag-zh-1280.png")
		rsFollow(u, "the exceptions again", chromedp.Navigate(srv.URL+monitorPage+"/exceptions"))
		if got := u.text("#exc-flags"); got != "0" {
			t.Errorf("after the check the exceptions count %q flags; want 0", got)
		}
	})

	// The pages the walk made, as people read them: each check runs
	// whether or not the one before it passed.
	walked := !t.Failed()
	read := func(what string, fn func(t *testing.T)) {
		if walked {
			t.Run(what, fn)
		}
	}

	// 9. The module's main pages on a phone and at a desk, in both languages.
	read("the module's pages at 390 and 1280 px in both languages", func(t *testing.T) {
		tour := []struct {
			user  string
			pages []string
		}{
			{"enterprise", []string{"/resumption", "/surveys/" + checklistID, "/resumption/campaigns/" + checklistID + "/restart", reportPage,
				entPage, advicePage}},
			{"street_leader", []string{"/resumption", "/resumption/new", checklistPage, restartPage, monitorPage, monitorPage + "/exceptions",
				monitorPage + "/members?missing=1", "/resumption/restarts", "/resumption/findings", "/resumption/power"}},
			{"grid", []string{"/todo", checkPath, flagPage}},
			{"dept_health", []string{orderPage}},
			{"admin", []string{"/resumption/powers"}},
		}
		slug := regexp.MustCompile(`[^a-z0-9]+`)
		for _, stop := range tour {
			t.Run(stop.user, func(t *testing.T) {
				u := rsAs(t, users, stop.user, desktop, stop.pages[0])
				for _, lang := range []string{"zh", "en"} {
					eval[string](t, u.tab, `document.cookie = "qifu_lang=`+lang+`; path=/"`)
					for _, p := range stop.pages {
						for _, vp := range []viewport{phone, desktop} {
							rsFollow(u, fmt.Sprintf("open %s at %d px in %s", p, vp.w, lang), chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(srv.URL+p))
							if got := eval[string](t, u.tab, `document.documentElement.lang`); !strings.HasPrefix(got, lang) {
								t.Errorf("%s in %s is marked lang=%q", p, lang, got)
							}
							checkFits(t, u.tab, int(vp.w))
							if vp == phone {
								checkNothingClipped(t, u.tab, int(vp.w))
							}
							if lang == "zh" {
								rsCheckChoices(t, u.tab, p, int(vp.w))
							}
							if lang == "en" && vp == desktop {
								rsCheckEnglish(t, u.tab, p, words)
							}
							name := fmt.Sprintf("resumption-tour-%s-%s-%s-%d.png", stop.user,
								strings.Trim(slug.ReplaceAllString(strings.ToLower(p), "-"), "-"), lang, vp.w)
							checkNotBlank(t, name, saveScreenshot(t, u.tab, artifacts, name))
						}
					}
				}
				eval[string](t, u.tab, `document.cookie = "qifu_lang=zh; path=/"`)
			})
		}
	})

	// A finding names the checklist's item it is about, in the reader's
	// language.
	read("a finding names its item", func(t *testing.T) {
		masks, _ := resumption.Prevention.Item("masks")
		for _, f := range []struct{ user, page string }{{"enterprise", advicePage}, {"dept_health", orderPage}} {
			u := rsAs(t, users, f.user, desktop, f.page)
			for _, lang := range []string{"zh", "en"} {
				eval[string](t, u.tab, `document.cookie = "qifu_lang=`+lang+`; path=/"`)
				rsFollow(u, "reload in "+lang, chromedp.Reload())
				want := map[string]string{"zh": masks.Zh, "en": masks.En}[lang]
				if got := u.text("#finding-facts"); !strings.Contains(got, want) {
					t.Errorf("BUG %s in %s shows the item as %q; want %q (resumption_finding.html prints .ItemKey, the item's key)", f.page, lang,
						rsFact(u, "#finding-facts"), want)
				}
			}
			eval[string](t, u.tab, `document.cookie = "qifu_lang=zh; path=/"`)
		}
	})

	// A campaign refused for a slip (a threshold below 0) is shown again
	// with what was chosen, its audience too.
	read("a refused campaign keeps its audience", func(t *testing.T) {
		u := rsAs(t, users, "street_leader", desktop, "/resumption/new")
		u.do("choose a checklist", chromedp.Click(chromedp.CSS(`#rs-start input[name=kind][value=checklist]`)))
		rsSet(u, "fill the campaign", map[string]string{"#rs-start [name=title]": rsChecklistTitle,
			"#rs-start select[name=region]": ent.CommunityCode, "#rs-start input[name=threshold]": "-1"})
		ctx, cancel := context.WithTimeout(u.tab, rsStepTimeout)
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#rs-start-submit`)))
		cancel()
		if err != nil {
			t.Fatalf("start: %v", err)
		}
		if resp.Status != 422 || u.text(`#rs-start input[name=threshold] ~ em.fielderr`) == "" {
			t.Fatalf("a threshold of -1 answered %d: %q", resp.Status, u.text("main"))
		}
		if got := u.value(`#rs-start [name=title]`); got != rsChecklistTitle {
			t.Errorf("the refused form lost its title: %q", got)
		}
		if got := eval[[]string](t, u.tab, `Array.from(document.querySelector('#rs-start select[name=region]').selectedOptions, o => o.value)`); !slices.Equal(got, []string{ent.CommunityCode}) {
			t.Errorf("BUG /resumption/new refused shows the audience %q; the street leader chose %s: started again as it stands, the campaign would go to the whole street (resumption_new.html marks no region option selected)", got, ent.CommunityCode)
		}
	})
	t.Logf("the resumption walk took %v", time.Since(start).Round(time.Millisecond))
}

// rsFact is the text of the second fact of a list of facts: the item of a
// finding, after its note.
func rsFact(u *visitor, list string) string {
	u.t.Helper()
	return u.text(list + " dd:nth-of-type(2)")
}

// rsCheckChoices checks that every radio button and check box in the page
// sits on the line of its words, right before them: a person must see
// which words a button answers.
func rsCheckChoices(t *testing.T, ctx context.Context, page string, width int) {
	t.Helper()
	apart := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('main label'))
		.filter(l => l.querySelector('input[type=radio], input[type=checkbox]') && l.getClientRects().length > 0)
		.map(l => {
			const ir = l.querySelector('input').getBoundingClientRect();
			const w = document.createTreeWalker(l, NodeFilter.SHOW_TEXT);
			let tr = null;
			while (w.nextNode()) if (w.currentNode.textContent.trim()) { const r = document.createRange(); r.selectNodeContents(w.currentNode); tr = r.getClientRects()[0]; break; }
			if (!tr) return '';
			const dy = (tr.top + tr.bottom) / 2 - (ir.top + ir.bottom) / 2, dx = tr.left - ir.right;
			return Math.abs(dy) > ir.height || dx < -2 || dx > 30 ? l.textContent.trim().slice(0, 20) + ' (' + Math.round(dx) + ' px right, ' + Math.round(dy) + ' px down of its button)' : '';
		}).filter(Boolean)`)
	if len(apart) > 0 {
		t.Errorf("BUG %s at %d px: %d choices are not beside their buttons (label class=\"inline\" is laid out as a column; the site's row style is label.check), e.g. %q",
			page, width, len(apart), apart[:min(len(apart), 3)])
	}
}

// rsPress scrolls the element matching sel to the middle of the page —
// clear of a phone's tab bar — clicks it and waits for the page it loads,
// which must answer 200; on a refusal the test fails with the page's
// messages.
func rsPress(u *visitor, what, sel string) {
	u.t.Helper()
	if !eval[bool](u.t, u.tab, `(e => { e?.scrollIntoView({block: 'center'}); return !!e })(document.querySelector(`+jsString(sel)+`))`) {
		u.t.Fatalf("%s: %s: the page %s has no %s", u.name, what, u.path(), sel)
	}
	ctx, cancel := context.WithTimeout(u.tab, rsStepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		u.t.Fatalf("%s: %s: %v", u.name, what, err)
	}
	if resp.Status != 200 {
		msgs := eval[[]string](u.t, u.tab, `Array.from(document.querySelectorAll('.error, .fielderr, .flash, #message'), e => e.textContent.trim())`)
		if len(msgs) == 0 {
			msgs = []string{u.text("main")}
		}
		u.t.Fatalf("%s: %s: %s answered %d: %q", u.name, what, resp.URL, resp.Status, msgs)
	}
}

// rsTodoHas reports whether the user's to-do list, on any of its pages of
// the module, links href.
func rsTodoHas(u *visitor, href string) bool {
	u.t.Helper()
	for next, n := u.base+"/todo?module=resumption&size=200", 0; next != "" && n < 20; n++ {
		rsFollow(u, "open "+next, chromedp.Navigate(next))
		if u.count(`#todo-list a[href="`+href+`"]`) > 0 {
			return true
		}
		next = eval[string](u.t, u.tab, `document.querySelector('.pager a[rel=next]')?.href ?? ''`)
	}
	return false
}

// rsAs is people.as with rsStepTimeout for the page opened by a user
// signed in already.
func rsAs(t *testing.T, us *people, user string, vp viewport, path string) *visitor {
	t.Helper()
	if u := us.signedIn[user]; u != nil {
		u.t = t
		rsFollow(u, "open "+path, chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(us.srv.URL+path))
		return u
	}
	return us.as(t, user, vp, path)
}

// rsFollow runs steps that load a page, which must answer 200.
func rsFollow(u *visitor, what string, steps ...chromedp.Action[chromedp.Void]) {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.tab, rsStepTimeout)
	defer cancel()
	follow(u.t, ctx, u.name+": "+what, steps...)
}

// rsSet sets the values of form fields by CSS selector.
func rsSet(u *visitor, what string, fields map[string]string) {
	u.t.Helper()
	for sel, v := range fields {
		u.do(what+": "+sel, chromedp.SetValue(chromedp.CSS(sel), v))
	}
}

// rsAnswer ticks every item of the prevention checklist in place in the
// form, but the item notDone not in place: the radio buttons named
// prefix+key. It fails the test unless every item has its buttons.
func rsAnswer(u *visitor, form, prefix, notDone string) {
	u.t.Helper()
	var keys []string
	for _, it := range resumption.Prevention.Items() {
		keys = append(keys, it.Key)
	}
	missing := eval[[]string](u.t, u.tab, `(() => { const out = [];
		for (const k of `+rsJSON(keys)+`) {
			const v = k === `+jsString(notDone)+` ? 'not_done' : 'done';
			const r = document.querySelector(`+jsString(form)+` + ' input[type=radio][name="' + `+jsString(prefix)+` + k + '"][value="' + v + '"]');
			if (r) r.click(); else out.push(k);
		}
		return out; })()`)
	if len(missing) > 0 {
		u.t.Fatalf("%s: the form %s has no buttons for %v", u.name, form, missing)
	}
}

// rsLinkTo is the href of the first link under main whose path starts with
// prefix and whose text holds text, or "".
func rsLinkTo(u *visitor, prefix, text string) string {
	u.t.Helper()
	return eval[string](u.t, u.tab, `Array.from(document.querySelectorAll('main a[href^=`+jsString(prefix)+`]'))
		.find(a => a.textContent.includes(`+jsString(text)+`))?.getAttribute('href') ?? ''`)
}

// rsFirstFlag is the page of the first open flag of an enterprise's month
// (by its name) in the user's reach, read from the API with its session.
func rsFirstFlag(t *testing.T, u *visitor, name, month string) string {
	t.Helper()
	type flags struct {
		Items []struct {
			ID         int64  `json:"id"`
			Enterprise string `json:"enterprise"`
			Month      string `json:"month"`
		} `json:"items"`
	}
	f, err := chromedp.Run(u.tab, chromedp.Evaluate[flags](`fetch('/api/v1/resumption/flags?state=open&size=200').then(r => r.ok ? r.json() : Promise.reject(r.status))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("read the open flags: %v", err)
	}
	first := int64(0)
	for _, x := range f.Items {
		if x.Enterprise == name && x.Month == month && (first == 0 || x.ID < first) {
			first = x.ID
		}
	}
	if first == 0 {
		t.Fatalf("no open flag of %s in %s", name, month)
	}
	return fmt.Sprintf("/resumption/flags/%d", first)
}

// rsMembers reads a monitoring campaign's members with the user's session
// from the API, page by page.
func rsMembers(t *testing.T, u *visitor, id string) []rsMember {
	t.Helper()
	type page struct {
		Items []rsMember `json:"items"`
		Total int        `json:"total"`
	}
	var out []rsMember
	for n := 1; n <= 50; n++ {
		p, err := chromedp.Run(u.tab, chromedp.Evaluate[page](fmt.Sprintf(
			`fetch('/api/v1/resumption/campaigns/%s/members?size=200&page=%d').then(r => r.ok ? r.json() : Promise.reject(r.status))`, id, n),
			chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("read the members of campaign %s: %v", id, err)
		}
		out = append(out, p.Items...)
		if len(p.Items) == 0 || len(out) >= p.Total {
			return out
		}
	}
	t.Fatalf("campaign %s has more than 50 pages of members", id)
	return nil
}

// rsExpect computes by hand the figures the campaign page shows of the
// members, the enterprise credit having reported rep (nil: nobody has):
// 复工率 resumed ÷ list, 复产率 resumed with output ÷ list, 产能恢复率
// Σ(share × normal revenue) ÷ Σ normal revenue, 返岗率 on site ÷ workers
// (the report's workers in place of its file's), and the number not
// reported; under key+"+", the terms the page shows under a figure.
func rsExpect(members []rsMember, credit string, rep *resumption.Report) map[string]string {
	var normal, output int64
	var workers, onSite, resumed, producing, reported int
	for _, m := range members {
		normal += m.NormalOutput
		if m.CreditCode != credit || rep == nil {
			workers += m.Workers
			continue
		}
		reported++
		workers += rep.Workers
		if rep.Resumed {
			resumed++
			onSite += rep.OnSite
			output += m.NormalOutput * int64(rep.OutputShare) / 10000
			if rep.OutputShare > 0 {
				producing++
			}
		}
	}
	pct := func(n, of int64) string {
		if of == 0 {
			return resumption.Percent(0)
		}
		return resumption.Percent(float64(n) / float64(of))
	}
	n := int64(len(members))
	return map[string]string{
		"rate-resumption": pct(int64(resumed), n),
		"rate-production": pct(int64(producing), n),
		"rate-capacity":   pct(output, normal),
		"rate-return":     pct(int64(onSite), int64(workers)),
		"rate-missing":    strconv.Itoa(len(members) - reported),
		// The terms the figures show under them.
		"rate-resumption+": fmt.Sprintf("%d / %d", resumed, n),
		"rate-production+": fmt.Sprintf("%d / %d", producing, n),
		"rate-return+":     fmt.Sprintf("%d / %d", onSite, workers),
		"rate-missing+":    fmt.Sprintf("已报 %d / %d", reported, n),
	}
}

// rsWantRates reads the figures of the campaign page (the user's current
// page is reloaded as the campaign's) and compares them with want.
func rsWantRates(t *testing.T, u *visitor, want map[string]string) {
	t.Helper()
	id := regexp.MustCompile(`^/resumption/campaigns/(\d+)`).FindStringSubmatch(u.path())
	if id == nil {
		t.Fatalf("%s is not a campaign's page", u.path())
	}
	rsFollow(u, "open the campaign", chromedp.Navigate(u.base+"/resumption/campaigns/"+id[1]))
	for _, k := range []string{"rate-resumption", "rate-production", "rate-capacity", "rate-return", "rate-missing"} {
		got := u.text("#" + k)
		if got == "" {
			t.Errorf("the campaign page shows no #%s", k)
			continue
		}
		if got != want[k] {
			t.Errorf("#%s reads %q; the hand computation gives %q", k, got, want[k])
		}
		if terms, ok := want[k+"+"]; ok {
			if got := u.text("#" + k + " + span"); !strings.Contains(got, terms) {
				t.Errorf("the terms under #%s read %q; want %q", k, got, terms)
			}
		}
	}
	t.Logf("the campaign's figures: %v", want)
}

// rsBases are the legal bases of the prevention checklist's items, which
// the check form shows as they are.
func rsBases() []string {
	var out []string
	for _, it := range resumption.Prevention.Items() {
		out = append(out, it.Basis)
	}
	return out
}

// rsCheckEnglish is checkEnglish with the walk's own words allowed too.
func rsCheckEnglish(t *testing.T, ctx context.Context, page string, extra []string) {
	t.Helper()
	texts := eval[[]string](t, ctx, `(() => { const out = []; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		while (w.nextNode()) { if (w.currentNode.parentElement?.closest('textarea, body [lang^="zh"]')) continue;
			const s = w.currentNode.textContent.trim(); if (s) out.push(s); }
		return out; })()`)
	allowed := slices.Concat(extra, userData())
	slices.SortFunc(allowed, func(a, b string) int { return len(b) - len(a) }) // the longest first
	var chinese []string
	for _, s := range texts {
		rest := s
		if !han.MatchString(rest) {
			continue
		}
		for _, w := range allowed {
			if w != "" && strings.Contains(rest, w) {
				rest = strings.ReplaceAll(rest, w, "")
			}
		}
		if han.MatchString(rest) {
			chinese = append(chinese, s)
		}
	}
	if len(chinese) > 0 {
		t.Errorf("%s in English says in Chinese: %q", page, chinese[:min(len(chinese), 12)])
	}
}

// rsJSON writes a list of strings as a JavaScript array.
func rsJSON(list []string) string {
	quoted := make([]string, len(list))
	for i, s := range list {
		quoted[i] = jsString(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
