package main

// A visit (走访) walked through the real binary: recorded on a phone from
// the enterprise's QR code, confirmed by the enterprise on its phone, and
// counted in the street leader's figures.

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qifu/internal/calendar"
)

// The visit the walk records: three problems, one of each outcome.
const (
	visitSpotText   = "叉车司机操作证到期，不清楚复审流程"
	visitSpotAction = "当场查询复审流程和材料清单并发给企业"
	visitRaiseText  = "订单增加，急需招聘数控车工 6 名"
	visitCommonText = "园区周边没有货车停车场，夜间停车难"
	visitTopicTitle = "园区货车停车场不足"
)

// visitFigures are the ids of the coverage page's figures the walk reads.
var visitFigures = []string{"fig-visits", "fig-enterprises", "fig-problems", "fig-solved", "fig-spot", "fig-raised", "fig-common",
	"fig-confirmed", "fig-satisfied"}

// TestBrowserVisit: the showcase grid worker, on a 390 px phone, opens the
// showcase enterprise's QR page, "scans" the address it shows, and finds
// the visit form prefilled: the enterprise's last visit offered as no
// change, the team of the worker's last visit filled in. The worker
// records three problems — one solved on the spot, one raised as an appeal,
// one a new common problem — and the visit's page links the appeal and the
// common problem. The enterprise signs in on its phone, finds the visit
// among its to-dos, and confirms it as satisfied. The street leader's
// figures moved by exactly that visit. Screenshots of the form, the
// enterprise's page and the figures, in Chinese and in English, go to
// artifacts/.
func TestBrowserVisit(t *testing.T) {
	t.Parallel()
	start := time.Now()
	browser := newBrowser(t, walkTimeout)
	srv := startServer(t, sqliteDB(t))
	artifacts := artifactsDir(t)
	users := &people{t: t, browser: browser, srv: srv, signedIn: map[string]*visitor{}}
	t.Logf("Chromium and the server started in %v", time.Since(start).Round(time.Millisecond))
	d := demoData()
	var credit, worker string
	for _, u := range d.Users {
		switch u.Username {
		case "enterprise":
			credit = u.EnterpriseCode
		case "grid":
			worker = u.Name
		}
	}
	var name string
	for _, e := range d.Enterprises {
		if e.CreditCode == credit {
			name = e.Name
		}
	}
	walk := func(what string, fn func(t *testing.T)) {
		if !t.Failed() {
			t.Run(what, fn)
		}
	}
	// english switches the user's pages to English, checks the page shown
	// says nothing in Chinese but the records' words, saves it and switches
	// back to Chinese.
	english := func(t *testing.T, u *visitor, page, shot string) {
		t.Helper()
		eval[string](t, u.tab, `document.cookie = "qifu_lang=en; path=/"`)
		u.follow("reload in English", chromedp.Reload())
		checkEnglish(t, u.tab, page)
		checkNotBlank(t, shot, saveScreenshot(t, u.tab, artifacts, shot))
		eval[string](t, u.tab, `document.cookie = "qifu_lang=zh; path=/"`)
		u.follow("reload in Chinese", chromedp.Reload())
	}
	figures := func(u *visitor) map[string]int {
		u.t.Helper()
		return eval[map[string]int](u.t, u.tab, `Object.fromEntries(`+jsString(strings.Join(visitFigures, " "))+`.split(' ')
			.map(id => [id, parseInt(document.getElementById(id)?.textContent ?? 'NaN', 10)]))`)
	}

	var before map[string]int
	walk("the street leader's figures before", func(t *testing.T) {
		u := users.as(t, "street_leader", desktop, "/visits/coverage")
		before = figures(u)
		if before["fig-visits"] == 0 || before["fig-confirmed"] == 0 {
			t.Errorf("the demo street's figures before the walk are %v; want its visits of the last 90 days", before)
		}
	})

	var team []string // the worker's last visit's team, as its page lists it
	var qr, entPage string
	walk("the grid worker's last visit and the enterprise's QR code", func(t *testing.T) {
		u := users.as(t, "grid", phone, "/visits")
		last := eval[string](t, u.tab, `document.querySelector('#visits a[href^="/visits/"]')?.getAttribute('href') ?? ''`)
		if last == "" {
			t.Fatal("the grid worker's visits list none: the demo has no visit of theirs")
		}
		u.follow("open the last visit", chromedp.Navigate(srv.URL+last))
		team = eval[[]string](t, u.tab, `Array.from(document.querySelectorAll('#visit dd ul li'), li => li.firstChild.textContent.trim())`)
		if len(team) == 0 || team[0] != worker {
			t.Errorf("the grid worker's last visit %s lists the team %q; want %s first", last, team, worker)
		}
		u.follow("find the enterprise", chromedp.Navigate(srv.URL+"/visits/new?q="+credit))
		href := eval[string](t, u.tab, `document.querySelector('a[href^="/visits/new?enterprise="]')?.getAttribute('href') ?? ''`)
		id := strings.TrimPrefix(href, "/visits/new?enterprise=")
		if id == "" {
			t.Fatalf("the picker finds no enterprise %s", credit)
		}
		entPage = "/enterprises/" + id
		u.follow("open the enterprise's page with its QR code", chromedp.Navigate(srv.URL+entPage))
		if n := eval[int](t, u.tab, `document.querySelector('img[src$="/qr.png"]')?.naturalWidth ?? 0`); n == 0 {
			t.Error("the enterprise's QR code did not load")
		}
		// The code holds the address /e/<credit code> (TestEnterpriseQR reads it back).
		qr = srv.URL + "/e/" + credit
		checkFits(t, u.tab, int(phone.w))
		checkNotBlank(t, "visit-qr-zh-390.png", saveScreenshot(t, u.tab, artifacts, "visit-qr-zh-390.png"))
	})

	var visitPage string
	walk("the grid worker scans it and records a visit on a phone", func(t *testing.T) {
		u := users.as(t, "grid", phone, "/visits")
		u.follow("scan the code", chromedp.Navigate(qr))
		if got := u.path(); got != "/e/"+credit || u.count("#scan-visit") != 1 {
			t.Fatalf("the scan led to %s, offering %d visits to record", got, u.count("#scan-visit"))
		}
		u.follow("record a visit from the scanned page", chromedp.Click(chromedp.CSS("#scan-visit")))
		form := u.path()
		if form != "/visits/new?enterprise="+strings.TrimPrefix(entPage, "/enterprises/") {
			t.Fatalf("the scanned page's button led to %s", form)
		}
		if got := u.text("#visit-enterprise"); got != name {
			t.Errorf("the form is of %q; want %q", got, name)
		}
		if u.count("#no-change") != 1 || !eval[bool](t, u.tab, `document.getElementById('no-change').checked`) {
			t.Error("the form does not offer, ticked, that nothing changed since the last visit")
		}
		prefilled := eval[[]string](t, u.tab, `Array.from(document.querySelectorAll('#visitors input[name^="visitor_name_"]'), i => i.value).filter(Boolean)`)
		if !slices.Equal(prefilled, team) {
			t.Errorf("the team is prefilled with %q; want the last visit's %q", prefilled, team)
		}
		if u.value(`#visitors [name=visitor_unit_0]`) == "" {
			t.Error("the recorder's unit is not prefilled")
		}
		if got, today := u.value(`#visit-form [name=on]`), time.Now().In(calendar.Shanghai).Format(time.DateOnly); got != today {
			t.Errorf("the visit's day is prefilled with %q; want today, %s", got, today)
		}
		checkFits(t, u.tab, int(phone.w))
		checkNothingClipped(t, u.tab, int(phone.w))
		english(t, u, form, "visit-form-en-390.png")

		u.do("describe three problems",
			chromedp.SendKeys(chromedp.CSS(`#visit-form [name=problem_0]`), visitSpotText),
			chromedp.SetValue(chromedp.CSS(`#visit-form select[name=category_0]`), "safety"),
			chromedp.Click(chromedp.CSS(`#visit-form input[name=outcome_0][value=solved]`)),
			chromedp.SendKeys(chromedp.CSS(`#visit-form [name=action_0]`), visitSpotAction),
			chromedp.Click(chromedp.CSS(`#more-1 > summary`)),
			chromedp.SendKeys(chromedp.CSS(`#visit-form [name=problem_1]`), visitRaiseText),
			chromedp.SetValue(chromedp.CSS(`#visit-form select[name=category_1]`), "labour.recruit"),
			chromedp.Click(chromedp.CSS(`#visit-form input[name=outcome_1][value=appeal]`)),
			chromedp.Click(chromedp.CSS(`#more-2 > summary`)),
			chromedp.SendKeys(chromedp.CSS(`#visit-form [name=problem_2]`), visitCommonText),
			chromedp.SetValue(chromedp.CSS(`#visit-form select[name=category_2]`), "logistics"),
			chromedp.Click(chromedp.CSS(`#visit-form input[name=outcome_2][value=common]`)),
			chromedp.SetValue(chromedp.CSS(`#visit-form select[name=topic_2]`), "0"),
			chromedp.SendKeys(chromedp.CSS(`#visit-form [name=topic_title_2]`), visitTopicTitle))
		checkNotBlank(t, "visit-form-zh-390.png", saveScreenshot(t, u.tab, artifacts, "visit-form-zh-390.png"))
		u.submit("save the visit", "#visit-form", "#visit-save")
		visitPage = u.path()
		if !regexp.MustCompile(`^/visits/\d+$`).MatchString(visitPage) {
			t.Fatalf("after saving the browser is at %s; want the visit's page", visitPage)
		}
		problems := eval[[]string](t, u.tab, `Array.from(document.querySelectorAll('#visit-problems li'), li => li.innerText.trim())`)
		if len(problems) != 3 {
			t.Fatalf("the visit's page lists %d problems: %q; want 3", len(problems), problems)
		}
		appealLink := eval[string](t, u.tab, `document.querySelector('#visit-problems a[href^="/appeals/"]')?.getAttribute('href') ?? ''`)
		topicLink := eval[string](t, u.tab, `document.querySelector('#visit-problems a[href^="/topics/"]')?.getAttribute('href') ?? ''`)
		if !regexp.MustCompile(`^/appeals/\d+$`).MatchString(appealLink) {
			t.Errorf("the appealed problem links %q; want its appeal", appealLink)
		}
		if !regexp.MustCompile(`^/topics/\d+$`).MatchString(topicLink) || !strings.Contains(problems[2], visitTopicTitle) {
			t.Errorf("the common problem links %q (%q); want the new common problem %s", topicLink, problems[2], visitTopicTitle)
		}
		if !strings.Contains(problems[0], visitSpotAction) {
			t.Errorf("the problem solved on the spot reads %q; want what was done", problems[0])
		}
		checkFits(t, u.tab, int(phone.w))
		checkNothingClipped(t, u.tab, int(phone.w))
		checkNotBlank(t, "visit-recorded-zh-390.png", saveScreenshot(t, u.tab, artifacts, "visit-recorded-zh-390.png"))
		if appealLink != "" {
			u.follow("open the appeal", chromedp.Navigate(srv.URL+appealLink))
			if got := u.text("h1"); !strings.Contains(got, visitRaiseText) {
				t.Errorf("the appeal's page is headed %q; want the problem %s", got, visitRaiseText)
			}
		}
		if topicLink != "" {
			u.follow("open the common problem", chromedp.Navigate(srv.URL+topicLink))
			if got := u.text("h1"); got != visitTopicTitle {
				t.Errorf("the common problem's page is headed %q; want %s", got, visitTopicTitle)
			}
		}
	})

	walk("the enterprise confirms it on its phone", func(t *testing.T) {
		u := users.as(t, "enterprise", phone, "/")
		if u.count(`a[href="`+visitPage+`"]`) == 0 {
			u.follow("open the to-dos", chromedp.Navigate(srv.URL+"/todo"))
			if u.count(`a[href="`+visitPage+`"]`) == 0 {
				t.Errorf("neither the enterprise's home nor its to-dos offer %s", visitPage)
				u.follow("open the visit", chromedp.Navigate(srv.URL+visitPage))
			}
		}
		if u.path() != visitPage {
			u.follow("open the visit", chromedp.Click(chromedp.CSS(`a[href="`+visitPage+`"]`)))
		}
		if u.count("#visit-confirm") != 1 {
			t.Fatalf("the visit's page offers the enterprise no confirmation (%q)", u.text("#visit-feedback"))
		}
		checkFits(t, u.tab, int(phone.w))
		checkNothingClipped(t, u.tab, int(phone.w))
		checkNotBlank(t, "visit-confirm-zh-390.png", saveScreenshot(t, u.tab, artifacts, "visit-confirm-zh-390.png"))
		english(t, u, visitPage, "visit-confirm-en-390.png")
		u.do("pick satisfied", chromedp.Click(chromedp.CSS(`#visit-confirm input[name=feedback][value=satisfied]`)))
		u.submit("send", "#visit-confirm", "#visit-confirm-go")
		if got := u.path(); got != visitPage {
			t.Errorf("after sending the browser is at %s; want %s", got, visitPage)
		}
		if got := u.text("#visit-rated"); got != "满意" {
			t.Errorf("the visit reads %q after the confirmation; want 满意", got)
		}
		if u.count("#visit-confirm") != 0 {
			t.Error("the visit still offers a confirmation")
		}
	})

	walk("the street leader's figures moved by the visit", func(t *testing.T) {
		u := users.as(t, "street_leader", desktop, "/visits/coverage")
		after := figures(u)
		want := map[string]int{"fig-visits": 1, "fig-enterprises": 0, "fig-problems": 3, "fig-solved": 1, "fig-spot": 1,
			"fig-raised": 1, "fig-common": 1, "fig-confirmed": 1, "fig-satisfied": 1}
		for _, id := range visitFigures {
			if got := after[id] - before[id]; got != want[id] {
				t.Errorf("#%s went from %d to %d; want %+d", id, before[id], after[id], want[id])
			}
		}
		checkFits(t, u.tab, int(desktop.w))
		checkNotBlank(t, "visit-coverage-zh-1280.png", saveScreenshot(t, u.tab, artifacts, "visit-coverage-zh-1280.png"))
		english(t, u, "/visits/coverage", "visit-coverage-en-1280.png")
	})
	t.Logf("the visit walk took %v", time.Since(start).Round(time.Millisecond))
}
