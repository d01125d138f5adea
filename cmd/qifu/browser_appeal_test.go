package main

// The appeal's whole lifecycle in a real browser: one appeal walked through
// the pages, each step taken by the user whose step it is, signed in at a
// browser of their own.

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qifu/internal/demo"
)

// stepTimeout bounds one browser step of the appeal walk, so that a missing
// element fails the step with its name. The walk takes some 25 s and
// can take a few minutes under CI's other packages, its server's start
// included: walkTimeout bounds it all.
const (
	stepTimeout = 20 * time.Second
	walkTimeout = 6 * time.Minute
)

// viewport is the size of a browser window in CSS pixels.
type viewport struct{ w, h int64 }

var (
	phone   = viewport{390, 844}  // the enterprise's: a phone held upright
	desktop = viewport{1280, 800} // the staff's
)

// TestBrowserAppealLifecycle walks one appeal through the web pages: an
// enterprise raises it on its phone; the community accepts it from its
// triage queue and dispatches it (吹哨) to a lead and an assisting
// department; the lead returns it and the community dispatches it again to
// another lead; both departments sign (报到); the lead asks for an extension
// and the community grants it; the assisting department answers and the
// lead replies; the enterprise rates the reply 不满意, the lead redoes it,
// the enterprise is still not satisfied; a street leader convenes joint
// handling (组团破难) by two departments, each reports in and does its part,
// and the enterprise confirms: closed. Each user signs in on the sign-in
// page at a browser of their own: the enterprise's a phone, the staff's a
// desktop. After each step the test reads the state the page shows; at the
// end, the timelines the staff and the enterprise see. Screenshots go to
// artifacts/.
func TestBrowserAppealLifecycle(t *testing.T) {
	t.Parallel()
	start := time.Now()
	browser := newBrowser(t, walkTimeout)
	srv := startServer(t, sqliteDB(t))
	artifacts := artifactsDir(t)
	t.Logf("Chromium and the server started in %v", time.Since(start).Round(time.Millisecond))

	const (
		title        = "急招数控车工 20 名"
		content      = "新接订单，需在一个月内招聘数控车工 20 名，希望协助对接招聘渠道。"
		returnReason = "招工对接不属于本局此类事项，建议由总工会牵头。"
		extendReason = "需联合职业院校组织专场招聘会，申请延期。"
		assistAnswer = "可为企业办理招工补贴申报。"
		firstReply   = "已推送至区人力资源市场，组织专场招聘。"
		unhappy      = "只来了两个人，仍然缺人。"
		secondReply  = "重办：已联系职业院校定向输送。"
		stillUnhappy = "仍未招满，请多部门协调。"
		hrssPart     = "人力社保局：组织两场专场招聘会。"
		unionPart    = "总工会：协调职业院校实习生 15 名到岗。"
	)
	var page string // the appeal's page: /appeals/{id}
	users := &people{t: t, browser: browser, srv: srv, signedIn: map[string]*visitor{}}

	walk := func(name string, fn func(t *testing.T)) {
		if !t.Failed() {
			t.Run(name, fn)
		}
	}

	walk("enterprise raises it on a phone", func(t *testing.T) {
		u := users.as(t, "enterprise", phone, "/appeals")
		u.follow("open the raise form", chromedp.Click(chromedp.ID("raise")))
		var me demo.User
		for _, x := range demoData().Users {
			if x.Username == "enterprise" {
				me = x
			}
		}
		for field, want := range map[string]string{"contact": me.Name, "phone": me.Phone} {
			if got := u.value(`#raise-form [name=` + field + `]`); got != want {
				t.Errorf("the form's %s is %q; want the user's %q, filled in", field, got, want)
			}
		}
		u.do("fill in the form",
			chromedp.SetValue(chromedp.CSS(`#raise-form select[name=type]`), "help"),
			chromedp.SetValue(chromedp.CSS(`#raise-form select[name=category]`), "labour.recruit"),
			chromedp.SendKeys(chromedp.CSS(`#raise-form [name=title]`), title),
			chromedp.SendKeys(chromedp.CSS(`#raise-form [name=content]`), content),
		)
		checkFits(t, u.tab, int(phone.w))
		checkNotBlank(t, "appeal-raise-390.png", saveScreenshot(t, u.tab, artifacts, "appeal-raise-390.png"))
		u.submit("submit the appeal", "#raise-form", `button[type=submit]`)
		page = u.path()
		if !regexp.MustCompile(`^/appeals/\d+$`).MatchString(page) {
			t.Fatalf("after the submit the browser is at %s; want the new appeal's page", page)
		}
		u.wantState("submitted", "待受理")
		if got := u.text("h1"); !strings.HasPrefix(got, title) {
			t.Errorf("the appeal's page is headed %q; want the title %q", got, title)
		}
		if got := u.fact("诉求分类"); !strings.Contains(got, "招工难") {
			t.Errorf("the category reads %q; want 招工难", got)
		}
		t.Logf("raised %s", page)
	})

	walk("community accepts it and dispatches it to hrss with tax assisting", func(t *testing.T) {
		u := users.as(t, "community", desktop, "/appeals")
		if got := u.text(`nav.tabs a.active`); !strings.HasPrefix(got, "待受理研判") {
			t.Errorf("the community's list opens on the tab %q; want its triage queue 待受理研判", got)
		}
		checkNotBlank(t, "appeal-triage.png", saveScreenshot(t, u.tab, artifacts, "appeal-triage.png"))
		row := u.findListed("/appeals?queue=triage", page)
		if !slices.Contains([]string{"light green", "light yellow", "light red"}, row.Light) {
			t.Errorf("the triage queue shows the appeal with light %q; want a green, yellow or red one", row.Light)
		}
		if row.State != "待受理" {
			t.Errorf("the triage queue shows the appeal as %q; want 待受理", row.State)
		}
		u.follow("open the appeal from the queue", chromedp.Click(chromedp.CSS(`#appeal-list a[href="`+page+`"]`)))
		u.act("accept")
		u.wantState("accepted", "已受理")
		u.act("dispatch",
			u.choose("dispatch", "lead", "人力社保局"),
			u.tick("dispatch", "assists", "税务局"),
			note("dispatch", "请尽快对接招聘渠道。"),
		)
		u.wantState("dispatched", "已派单")
		if got := u.fact("主办部门"); got != "人力社保局" {
			t.Errorf("the lead department reads %q; want 人力社保局", got)
		}
	})

	walk("hrss returns it", func(t *testing.T) {
		u := users.as(t, "dept_hrss", desktop, page)
		u.act("return", note("return", returnReason))
		u.wantState("accepted", "已受理")
		if got := u.fact("主办部门"); got != "" {
			t.Errorf("after the return the lead department reads %q; want none", got)
		}
	})

	walk("community dispatches it again to union with tax assisting", func(t *testing.T) {
		u := users.as(t, "community", desktop, page)
		if got := u.text(`#dispatches`); !strings.Contains(got, returnReason) {
			t.Errorf("the dispatches do not show hrss's reason for returning it %q:\n%s", returnReason, got)
		}
		u.act("dispatch", u.choose("dispatch", "lead", "总工会"), u.tick("dispatch", "assists", "税务局"))
		u.wantState("dispatched", "已派单")
		if got := u.fact("主办部门"); got != "总工会" {
			t.Errorf("the lead department reads %q; want 总工会", got)
		}
	})

	walk("tax signs from its queue", func(t *testing.T) {
		u := users.as(t, "dept_tax", desktop, "/appeals")
		u.findListed("/appeals?queue=to_sign", page)
		u.follow("open the appeal from the queue", chromedp.Click(chromedp.CSS(`#appeal-list a[href="`+page+`"]`)))
		u.act("sign")
		u.wantState("dispatched", "已派单") // the assisting department's signature leaves it with the lead
	})

	walk("union signs and asks for an extension", func(t *testing.T) {
		u := users.as(t, "dept_union", desktop, page)
		u.act("sign")
		u.wantState("handling", "办理中")
		current := regexp.MustCompile(`\d{4}-\d{2}-\d{2}`).FindString(u.text(`#act-request_extension`))
		due, err := time.Parse(time.DateOnly, current)
		if err != nil {
			t.Fatalf("the extension form does not show the current deadline as a date: %q", u.text(`#act-request_extension`))
		}
		proposed := due.AddDate(0, 0, 7).Format(time.DateOnly)
		u.act("request_extension",
			chromedp.SetValue(chromedp.CSS(`#act-request_extension input[name=due]`), proposed),
			note("request_extension", extendReason),
		)
		u.wantState("handling", "办理中")
		if got := u.text(`#dispatches`); !strings.Contains(got, "申请延期至 "+proposed) || !strings.Contains(got, "待审批") {
			t.Errorf("the dispatches do not list the extension to %s as 待审批:\n%s", proposed, got)
		}
	})

	walk("community grants the extension", func(t *testing.T) {
		u := users.as(t, "community", desktop, page)
		u.hasForm("decide_extension")
		u.do("write a note", chromedp.SendKeys(chromedp.CSS(`form[id^=act-decide_extension-] textarea[name=note]`), "同意。"))
		u.submit("approve the extension", `form[id^=act-decide_extension-]`, `button[name=approve][value="1"]`)
		u.wantState("handling", "办理中")
		if got := u.text(`#dispatches`); !strings.Contains(got, "已批准") {
			t.Errorf("the extension is not shown as 已批准:\n%s", got)
		}
		checkNotBlank(t, "appeal-handling.png", saveScreenshot(t, u.tab, artifacts, "appeal-handling.png"))
	})

	walk("tax answers union", func(t *testing.T) {
		u := users.as(t, "dept_tax", desktop, page)
		u.act("assist_reply", note("assist_reply", assistAnswer))
		u.wantState("handling", "办理中")
	})

	walk("union replies to the enterprise", func(t *testing.T) {
		u := users.as(t, "dept_union", desktop, page)
		if got := u.text(`#act-reply`); !strings.Contains(got, assistAnswer) {
			t.Errorf("the reply form does not quote tax's answer %q:\n%s", assistAnswer, got)
		}
		u.act("reply", chromedp.SetValue(chromedp.CSS(`#act-reply select[name=result]`), "solved"), note("reply", firstReply))
		u.wantState("replied", "已答复")
	})

	walk("enterprise is not satisfied: redo", func(t *testing.T) {
		u := users.as(t, "enterprise", phone, "/appeals")
		u.findListed("/appeals?queue=to_rate", page)
		u.follow("open the appeal from the queue", chromedp.Click(chromedp.CSS(`#appeal-list a[href="`+page+`"]`)))
		if got := u.text(`#reply`); !strings.Contains(got, firstReply) {
			t.Errorf("the enterprise does not see the reply %q:\n%s", firstReply, got)
		}
		u.act("rate", chromedp.Click(chromedp.CSS(`#act-rate input[name=rating][value=unsatisfied]`)), note("rate", unhappy))
		u.wantState("handling", "办理中")
		if got := u.fact("重办次数"); got != "1" {
			t.Errorf("重办次数 reads %q; want 1", got)
		}
	})

	walk("union replies again", func(t *testing.T) {
		u := users.as(t, "dept_union", desktop, page)
		u.act("reply", chromedp.SetValue(chromedp.CSS(`#act-reply select[name=result]`), "solved"), note("reply", secondReply))
		u.wantState("replied", "已答复")
	})

	walk("enterprise is still not satisfied: joint handling", func(t *testing.T) {
		u := users.as(t, "enterprise", phone, page)
		u.act("rate", chromedp.Click(chromedp.CSS(`#act-rate input[name=rating][value=unsatisfied]`)), note("rate", stillUnhappy))
		u.wantState("joint", "组团破难")
	})

	walk("street leader convenes hrss and union", func(t *testing.T) {
		u := users.as(t, "street_leader", desktop, page)
		u.act("raise_joint",
			u.tick("raise_joint", "departments", "人力社保局"),
			u.tick("raise_joint", "departments", "总工会"),
			note("raise_joint", "请两部门各自报到并完成负责部分。"),
		)
		u.wantState("joint", "组团破难")
	})

	for _, d := range []struct{ user, part string }{{"dept_hrss", hrssPart}, {"dept_union", unionPart}} {
		walk(d.user+" reports in and does its part", func(t *testing.T) {
			u := users.as(t, d.user, desktop, page)
			u.act("joint_check_in")
			u.act("joint_part", note("joint_part", d.part))
			u.wantState("joint", "组团破难")
		})
	}

	walk("enterprise confirms: closed", func(t *testing.T) {
		u := users.as(t, "enterprise", phone, page)
		u.act("confirm", chromedp.Click(chromedp.CSS(`#act-confirm input[name=rating][value=satisfied]`)), note("confirm", "问题解决了，谢谢。"))
		u.wantState("closed", "已办结")
		if got := u.fact("办结时间"); got == "" {
			t.Error("the closed appeal shows no 办结时间")
		}
		if got := u.text(`#reply`); !strings.Contains(got, "满意") {
			t.Errorf("the closed appeal does not show the rating 满意:\n%s", got)
		}
		if n := u.count(`#actions form`); n != 0 {
			t.Errorf("the closed appeal still offers the enterprise %d forms", n)
		}
		if u.count(`#clocks`) != 0 {
			t.Errorf("the closed appeal shows running clocks: %q", u.text(`#clocks`))
		}
		checkFits(t, u.tab, int(phone.w))
		checkNotBlank(t, "appeal-closed-390.png", saveScreenshot(t, u.tab, artifacts, "appeal-closed-390.png"))

		// The enterprise's timeline: the public steps only.
		u.wantTimeline([]string{
			"提交诉求 → 待受理",
			"受理 → 已受理",
			"派单（吹哨） → 已派单",
			"派单（吹哨） → 已派单",
			"签收（报到）",
			"签收（报到） → 办理中",
			"答复企业 → 已答复",
			"评价 → 办理中",
			"答复企业 → 已答复",
			"评价 → 组团破难",
			"组团破难",
			"组团报到", "完成负责部分",
			"组团报到", "完成负责部分",
			"确认办结 → 已办结",
		})
		body := u.text("main")
		for _, internal := range []string{returnReason, extendReason, assistAnswer} {
			if strings.Contains(body, internal) {
				t.Errorf("the enterprise's page shows the internal note %q", internal)
			}
		}
	})

	walk("community reads the whole timeline", func(t *testing.T) {
		u := users.as(t, "community", desktop, page)
		u.wantState("closed", "已办结")
		u.wantTimeline([]string{
			"提交诉求 → 待受理",
			"受理 → 已受理",
			"派单（吹哨） → 已派单",
			"退单 → 已受理",
			"派单（吹哨） → 已派单",
			"签收（报到）",
			"签收（报到） → 办理中",
			"申请延期",
			"审批延期",
			"协办答复",
			"答复企业 → 已答复",
			"评价 → 办理中",
			"答复企业 → 已答复",
			"评价 → 组团破难",
			"组团破难",
			"组团报到", "完成负责部分",
			"组团报到", "完成负责部分",
			"确认办结 → 已办结",
		})
		timeline := u.text(`#timeline`)
		for _, note := range []string{returnReason, extendReason, unhappy, stillUnhappy, hrssPart, unionPart} {
			if !strings.Contains(timeline, note) {
				t.Errorf("the timeline does not show %q", note)
			}
		}
	})
	t.Logf("the appeal walk took %v", time.Since(start).Round(time.Millisecond))
}

// people are the test's users, each signed in once at a browser of their
// own (a browser context of its own: no cookies shared), all closed when the
// test ends.
type people struct {
	t        *testing.T
	browser  context.Context
	srv      *server
	signedIn map[string]*visitor
}

// visitor is one user at their browser.
type visitor struct {
	t    *testing.T // the test of the step the user takes now
	tab  context.Context
	base string // the server's URL
	name string // the username
}

// as returns user at a browser of size vp showing path, for the step t.
// The first time, the browser asks for path, is sent to the sign-in page
// and signs in there.
func (us *people) as(t *testing.T, user string, vp viewport, path string) *visitor {
	t.Helper()
	if u := us.signedIn[user]; u != nil {
		u.t = t
		u.follow("open "+path, chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(us.srv.URL+path))
		return u
	}
	tab, cancel := chromedp.NewContext(us.browser, chromedp.WithNewBrowserContext())
	us.t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open a browser window for %s: %v", user, err)
	}
	u := &visitor{t: t, tab: tab, base: us.srv.URL, name: user}
	us.signedIn[user] = u
	u.do("open "+path, chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(us.srv.URL+path))
	if got := u.path(); !strings.HasPrefix(got, "/login?") {
		t.Fatalf("%s: signed out, %s led to %s; want the sign-in page", user, path, got)
	}
	u.do("type the credentials",
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password))
	u.follow("sign in", chromedp.Click(chromedp.ID("login-submit")))
	if got := u.path(); got != path {
		t.Fatalf("%s: signed in at %s; want to be back on %s", user, got, path)
	}
	return u
}

// within returns the tab bounded by stepTimeout.
func (u *visitor) within() (context.Context, context.CancelFunc) {
	return context.WithTimeout(u.tab, stepTimeout)
}

// do runs browser steps that stay on the page.
func (u *visitor) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	u.t.Helper()
	ctx, cancel := u.within()
	defer cancel()
	do(u.t, ctx, u.name+": "+what, steps...)
}

// follow runs steps that load a page, which must answer 200.
func (u *visitor) follow(what string, steps ...chromedp.Action[chromedp.Void]) {
	u.t.Helper()
	ctx, cancel := u.within()
	defer cancel()
	follow(u.t, ctx, u.name+": "+what, steps...)
}

// path is the path and query of the page shown.
func (u *visitor) path() string {
	u.t.Helper()
	return eval[string](u.t, u.tab, `location.pathname + location.search`)
}

// text is the text of the first element matching the CSS selector, or "".
func (u *visitor) text(sel string) string {
	u.t.Helper()
	return eval[string](u.t, u.tab, `document.querySelector(`+jsString(sel)+`)?.innerText.trim() ?? ''`)
}

// value is the value of the first form field matching the CSS selector.
func (u *visitor) value(sel string) string {
	u.t.Helper()
	return eval[string](u.t, u.tab, `document.querySelector(`+jsString(sel)+`)?.value ?? ''`)
}

// count is the number of elements matching the CSS selector.
func (u *visitor) count(sel string) int {
	u.t.Helper()
	return eval[int](u.t, u.tab, `document.querySelectorAll(`+jsString(sel)+`).length`)
}

// fact is what the appeal's page says of one of its facts (the <dd> after
// the <dt> label), or "" when it does not list it.
func (u *visitor) fact(label string) string {
	u.t.Helper()
	return eval[string](u.t, u.tab, `Array.from(document.querySelectorAll('dl.facts dt'))
		.find(dt => dt.textContent.trim() === `+jsString(label)+`)?.nextElementSibling.innerText.trim() ?? ''`)
}

// wantState checks the state the appeal's page shows: its code (the class
// of #state) and its label.
func (u *visitor) wantState(code, label string) {
	u.t.Helper()
	type shown struct {
		Class string `json:"class"`
		Label string `json:"label"`
	}
	got := eval[shown](u.t, u.tab, `(e => ({class: e?.className ?? '', label: e?.textContent.trim() ?? ''}))(document.getElementById('state'))`)
	if got.Class != "state "+code || got.Label != label {
		u.t.Errorf("%s: the appeal is shown as %q (class %q); want %s (%s)", u.name, got.Label, got.Class, label, code)
	}
}

// listedRow is how an appeal list shows one appeal.
type listedRow struct {
	Found bool   `json:"found"`
	Light string `json:"light"` // the class of its traffic light
	State string `json:"state"`
}

// findListed opens the appeal list at list and reads the row of the appeal
// at page, following the pager; the test fails when no page lists it.
func (u *visitor) findListed(list, page string) listedRow {
	u.t.Helper()
	for next, n := u.base+list, 0; next != "" && n < 20; n++ {
		u.follow("open "+next, chromedp.Navigate(next))
		row := eval[listedRow](u.t, u.tab, `(a => a ? {found: true,
			light: a.closest('tr').querySelector('.light')?.className ?? '',
			state: a.closest('tr').querySelector('.state')?.textContent.trim() ?? ''} : {found: false})
			(document.querySelector('#appeal-list a[href="`+page+`"]'))`)
		if row.Found {
			return row
		}
		next = eval[string](u.t, u.tab, `document.querySelector('.pager a[rel=next]')?.href ?? ''`)
	}
	u.t.Fatalf("%s: the list %s does not show %s", u.name, list, page)
	return listedRow{}
}

// hasForm fails the test unless the page offers the form of action.
func (u *visitor) hasForm(action string) {
	u.t.Helper()
	if u.count(`form[id^="act-`+action+`"]`) == 0 {
		forms := eval[[]string](u.t, u.tab, `Array.from(document.querySelectorAll('#actions form'), f => f.id)`)
		u.t.Fatalf("%s: the page offers no %s form (state %s; forms offered: %v; message: %q)",
			u.name, action, u.text("#state"), forms, u.text("#message"))
	}
}

// act fills in the form of action on the appeal's page with the steps
// given and submits it with its button.
func (u *visitor) act(action string, fill ...chromedp.Action[chromedp.Void]) {
	u.t.Helper()
	u.hasForm(action)
	u.do("fill in "+action, fill...)
	u.submit(action, "#act-"+action, `button[type=submit]`)
}

// submit clicks button (a CSS selector within form) and waits for the page
// it leads to, which must answer 200; on a refusal the test fails with the
// page's messages.
func (u *visitor) submit(what, form, button string) {
	u.t.Helper()
	ctx, cancel := u.within()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(form+" "+button)))
	if err != nil {
		u.t.Fatalf("%s: %s: %v", u.name, what, err)
	}
	if resp.Status != 200 {
		msgs := eval[[]string](u.t, u.tab, `Array.from(document.querySelectorAll('#message, .error, .fielderr'), e => e.textContent.trim())`)
		u.t.Fatalf("%s: %s: %s answered %d: %q", u.name, what, resp.URL, resp.Status, msgs)
	}
}

// note types text into the note box of the form of action.
func note(action, text string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.CSS(`#act-`+action+` textarea[name=note]`), text)
}

// choose picks the department named name in the select field of the form
// of action on the page shown.
func (u *visitor) choose(action, field, name string) chromedp.Action[chromedp.Void] {
	u.t.Helper()
	id := u.department(`#act-`+action+` select[name=`+field+`] option`, name)
	return chromedp.SetValue(chromedp.CSS(`#act-`+action+` select[name=`+field+`]`), id)
}

// tick ticks the box of the department named name among the check boxes
// field of the form of action on the page shown.
func (u *visitor) tick(action, field, name string) chromedp.Action[chromedp.Void] {
	u.t.Helper()
	id := u.department(`#act-`+action+` input[name=`+field+`]`, name)
	return chromedp.Click(chromedp.CSS(`#act-` + action + ` input[name=` + field + `][value="` + id + `"]`))
}

// department returns the value of the one option or check box among sel
// whose text (or label) names the department name, before any remark such
// as （推荐）.
func (u *visitor) department(sel, name string) string {
	u.t.Helper()
	ids := eval[[]string](u.t, u.tab, `Array.from(document.querySelectorAll(`+jsString(sel)+`))
		.filter(e => (e.labels?.[0] ?? e).textContent.trim().split(/[（\s]/)[0] === `+jsString(name)+`)
		.map(e => e.value)`)
	if len(ids) != 1 {
		u.t.Fatalf("%s: %d choices among %s name %s; want one", u.name, len(ids), sel, name)
	}
	return ids[0]
}

// wantTimeline checks the lines of the appeal's timeline: each the step's
// name and, when the step changed the state, "→ the new state".
func (u *visitor) wantTimeline(want []string) {
	u.t.Helper()
	got := eval[[]string](u.t, u.tab, `Array.from(document.querySelectorAll('#timeline li'), li =>
		[li.querySelector('b').textContent.trim(), li.querySelector(':scope > span.muted:not(.small)')?.textContent.trim()]
		.filter(Boolean).join(' '))`)
	if !slices.Equal(got, want) {
		u.t.Errorf("%s: the timeline reads\n\t%s\nwant\n\t%s", u.name, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
