package main

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qifu/internal/catalogue"
	"qifu/internal/demo"
	"qifu/internal/department"
	formdef "qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/policy/policydb"
	"qifu/internal/pool/pooldb"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/visit"
	"qifu/internal/visit/visitdb"
)

// firstAppeal stands in the tour for the first appeal of the user's list.
const firstAppeal = "first appeal"

// theEnterprise stands for the page of the user's enterprise, or of the
// first of its list.
const (
	theEnterprise = "the enterprise"
	theSurvey     = "the survey"      // the first of the enterprise's forms
	theCampaign   = "the campaign"    // the first running campaign the user follows
	theForm       = "the form"        // the first form the user may send, in the builder
	theSend       = "the send"        // its sending page, with the audience
	theDay        = "the day"         // the first service day the user sees
	theLoan       = "the loan"        // the first loan of the pool the user sees
	theNeed       = "the need"        // the first open need of the pool the user sees
	theBenefit    = "the benefit"     // the first benefit of the enterprise's check-up summary (/policy)
	theTold       = "the told"        // the enterprises told of the first benefit open now (/policy)
	theTaxBenefit = "the tax benefit" // the benefit named taxBenefit, of /policy
	theNotice     = "the notice"      // the public notice of the tax benefit
	theClaim      = "the claim"       // the first of the user's claims
	theRequest    = "the request"     // the first of the enterprise's requests for a resource
)

// taxBenefit is the demo's benefit the tax bureau grants (theTaxBenefit):
// its page shows the bureau the claims and the public notice, and the
// keeper of its policy (the economy bureau) the dry run and its sign-off.
const taxBenefit = "小规模纳税人增值税减免"

// The appeal the tour's enterprise raises.
const (
	tourTitle   = "招工难：急需焊工"
	tourContent = "订单增加，急需焊工 5 名，请协助对接。"
)

// TestBrowserTour opens the pages people use most, as the users who use
// them, on a phone (390 px) and at a desk (1280 px), in Chinese and in
// English: no page scrolls sideways, and each is saved to artifacts/
// (tour-<user>-<page>-<lang>-<width>.png) for a person to look at; in
// English, nothing is said in Chinese but the records' own words.
func TestBrowserTour(t *testing.T) {
	t.Parallel()
	// About 300 pages opened and saved: a minute and a half on a quiet
	// machine, four under CI's other packages; the bound is for a stuck page.
	browser := newBrowser(t, 10*time.Minute)
	srv := startServer(t, sqliteDB(t))
	artifacts := artifactsDir(t)
	users := &people{t: t, browser: browser, srv: srv, signedIn: map[string]*visitor{}}

	// An appeal of the showcase enterprise: it raises one on its phone.
	ent := users.as(t, "enterprise", phone, "/appeals/new")
	ent.do("fill in the form",
		chromedp.SetValue(chromedp.CSS(`#raise-form select[name=type]`), "help"),
		chromedp.SetValue(chromedp.CSS(`#raise-form select[name=category]`), "labour.recruit"),
		chromedp.SendKeys(chromedp.CSS(`#raise-form [name=title]`), tourTitle),
		chromedp.SendKeys(chromedp.CSS(`#raise-form [name=content]`), tourContent))
	ent.submit("submit the appeal", "#raise-form", `button[type=submit]`)
	href := ent.path()
	if !regexp.MustCompile(`^/appeals/\d+$`).MatchString(href) {
		t.Fatalf("after raising an appeal the browser is at %s", href)
	}
	// The showcase enterprise's file: its community opens its check-up.
	ent.follow("open the home page", chromedp.Navigate(srv.URL+"/"))
	showcase := eval[string](t, ent.tab, `document.querySelector('#svc-profile')?.getAttribute('href') ?? ''`)
	if !regexp.MustCompile(`^/enterprises/\d+$`).MatchString(showcase) {
		t.Fatalf("the enterprise's home page links its file as %q", showcase)
	}
	checkup := "/policy/checkup?enterprise=" + strings.TrimPrefix(showcase, "/enterprises/")
	tour := []struct {
		user  string
		pages []string
	}{
		{"enterprise", []string{"/", "/appeals", "/appeals/new", href, "/inbox", "/account", theEnterprise, "/surveys", theSurvey, "/visits",
			"/catalogue", "/catalogue/S03", "/catalogue/S04", theDay, "/pool", "/pool/needs/new", "/pool/loans", theLoan,
			"/policy", "/policy/checkup", theBenefit, "/policy/claims", theClaim, "/policy/resources/mine", theRequest}},
		{"community", []string{"/", "/todo", "/appeals?queue=triage", href, "/enterprises", theEnterprise, "/places", "/inbox",
			"/campaigns", theCampaign, "/forms", "/forms/new", theForm, theSend, "/service-days", theDay,
			"/pool", "/pool/match", theNeed, "/pool/workers", "/pool/workers/new", "/pool/seekers", theLoan,
			"/policy", checkup, "/policy/claims", theTold}},
		{"grid", []string{"/todo", theCampaign, "/visits", "/visits/new"}},
		{"organisation", []string{"/", "/cadres"}},
		{"dept_tax", []string{"/", "/todo", "/appeals", firstAppeal, "/facts/import",
			"/policy", "/policy/claims", theTaxBenefit, theNotice, "/policy/resources", "/policy/blacklist", "/policy/figures"}},
		{"dept_econ", []string{"/policy", theTaxBenefit}}, // the keeper of its policy: the dry run and its sign-off
		{"district_leader", []string{"/", "/overview", "/assessment?dimension=community", "/visits/coverage", "/topics", "/catalogue/use", "/pool/figures", "/policy/figures"}},
		{"admin", []string{"/settings", "/calendar", "/users", "/departments", "/account/second-factor", "/catalogue", "/catalogue/S03",
			"/providers", "/catalogue/import"}},
		{"auditor", []string{"/audit"}},
	}
	slug := regexp.MustCompile(`[^a-z0-9]+`)
	// Each page's first screen is saved; QIFU_TOUR_FULL=1 saves whole pages,
	// beyond the viewport, which takes the tour about twice as long.
	shoot := saveFirstScreen
	if full, _ := strconv.ParseBool(os.Getenv("QIFU_TOUR_FULL")); full {
		shoot = saveScreenshot
	}
	for _, stop := range tour {
		t.Run(stop.user, func(t *testing.T) {
			u := users.as(t, stop.user, desktop, stop.pages[0])
			pages := slices.Clone(stop.pages)
			for i, p := range pages {
				if p == firstAppeal { // the first of the user's list: one with departments and a timeline
					u.follow("open the list", chromedp.Navigate(srv.URL+"/appeals?queue=all"))
					pages[i] = eval[string](t, u.tab, `document.querySelector('#appeal-list a[href^="/appeals/"]').getAttribute('href')`)
				}
				if p == theForm || p == theSend {
					u.follow("open the forms", chromedp.Navigate(srv.URL+"/forms"))
					pages[i] = eval[string](t, u.tab, `document.querySelector('#forms a').getAttribute('href')`)
					if p == theSend {
						pages[i] += "/send"
					}
				}
				if p == theSurvey || p == theCampaign { // the demo's running survey, as its enterprise or its staff sees it
					list := map[string]string{theSurvey: "/surveys", theCampaign: "/campaigns?state=running"}[p]
					u.follow("open "+list, chromedp.Navigate(srv.URL+list))
					pages[i] = eval[string](t, u.tab, `(document.querySelector('#surveys a, #campaigns a') || {getAttribute: () => '/'}).getAttribute('href')`)
				}
				if p == theDay { // the demo's service day, as its community or an enterprise of it sees it
					u.follow("open the service days", chromedp.Navigate(srv.URL+"/service-days"))
					pages[i] = eval[string](t, u.tab, `(document.querySelector('#service-days a') || {getAttribute: () => '/'}).getAttribute('href')`)
				}
				if p == theLoan || p == theNeed { // the pool's first loan or open need the user sees
					list := map[string]string{theLoan: "/pool/loans", theNeed: "/pool"}[p]
					u.follow("open "+list, chromedp.Navigate(srv.URL+list))
					pages[i] = eval[string](t, u.tab, `(document.querySelector('#pool-loans a[href^="/pool/loans/"], #pool-needs a[href^="/pool/needs/"]') || {getAttribute: () => '/pool'}).getAttribute('href')`)
				}
				if p == theBenefit || p == theTold || p == theTaxBenefit { // a benefit of /policy
					u.follow("open the policies", chromedp.Navigate(srv.URL+"/policy"))
					pages[i] = eval[string](t, u.tab, map[string]string{
						theBenefit: `document.querySelector('#policy-checkup-summary a[href^="/policy/benefits/"]')?.getAttribute('href') ?? ''`,
						theTold:    `document.querySelector('#policy-open-benefits a[href$="/enterprises"]')?.getAttribute('href') ?? ''`,
						theTaxBenefit: `Array.from(document.querySelectorAll('#policy-open-benefits a[href^="/policy/benefits/"]'))
							.find(a => a.textContent.trim() === ` + jsString(taxBenefit) + `)?.getAttribute('href') ?? ''`,
					}[p])
					if pages[i] == "" {
						t.Fatalf("%s: /policy does not link %s", stop.user, p)
					}
				}
				if p == theClaim || p == theRequest {
					list := map[string]string{theClaim: "/policy/claims", theRequest: "/policy/resources/mine"}[p]
					u.follow("open "+list, chromedp.Navigate(srv.URL+list))
					if pages[i] = eval[string](t, u.tab, `document.querySelector('#policy-claims a[href^="/policy/claims/"], #resource-requests a[href^="/policy/requests/"]')?.getAttribute('href') ?? ''`); pages[i] == "" {
						t.Fatalf("%s: %s links no %s", stop.user, list, p)
					}
				}
				if p == theNotice { // the notice of the benefit before it in the tour
					u.follow("open "+pages[i-1], chromedp.Navigate(srv.URL+pages[i-1]))
					if pages[i] = eval[string](t, u.tab, `document.querySelector('a[href^="/policy/notices/"]')?.getAttribute('href') ?? ''`); pages[i] == "" {
						t.Fatalf("%s: %s links no public notice", stop.user, pages[i-1])
					}
				}
				if p == theEnterprise { // the showcase enterprise's file, as its own user or its community sees it
					u.follow("open the enterprises", chromedp.Navigate(srv.URL+"/"))
					pages[i] = eval[string](t, u.tab, `document.querySelector('#svc-profile') ? document.querySelector('#svc-profile').getAttribute('href') : ''`)
					if pages[i] == "" {
						u.follow("open the enterprises", chromedp.Navigate(srv.URL+"/enterprises"))
						pages[i] = eval[string](t, u.tab, `Array.from(document.querySelectorAll('a[href^="/enterprises/"]')).map(a => a.getAttribute('href')).find(h => /^\/enterprises\/\d+$/.test(h))`)
					}
				}
			}
			for _, lang := range []string{"zh", "en"} {
				eval[string](t, u.tab, `document.cookie = "qifu_lang=`+lang+`; path=/"`)
				for _, p := range pages {
					for _, vp := range []viewport{phone, desktop} {
						u.follow(fmt.Sprintf("open %s at %d px in %s", p, vp.w, lang),
							chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(srv.URL+p))
						if got := eval[string](t, u.tab, `document.documentElement.lang`); !strings.HasPrefix(got, map[string]string{"zh": "zh", "en": "en"}[lang]) {
							t.Errorf("%s in %s is marked lang=%q", p, lang, got)
						}
						checkFits(t, u.tab, int(vp.w))
						if vp == phone {
							checkNothingClipped(t, u.tab, int(vp.w))
						}
						if lang == "en" && vp == desktop {
							checkEnglish(t, u.tab, p)
						}
						name := fmt.Sprintf("tour-%s-%s-%s-%d.png", stop.user, strings.Trim(slug.ReplaceAllString(strings.ToLower(p), "-"), "-"), lang, vp.w)
						checkNotBlank(t, name, shoot(t, u.tab, artifacts, name))
					}
				}
			}
		})
	}
}

// checkNothingClipped checks that no visible element reaches past the right
// edge of a phone's viewport, not even inside a box that scrolls or clips:
// on a phone nothing should need a sideways scroll to be read or used.
func checkNothingClipped(t *testing.T, ctx context.Context, width int) {
	t.Helper()
	wide := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('body *'))
		.filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.right > `+strconv.Itoa(width+1)+` })
		.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') +
			' (' + Math.round(e.getBoundingClientRect().right) + ' px)')`)
	if len(wide) > 0 {
		t.Errorf("at %d px these reach past the right edge: %v", width, wide)
	}
}

// userData are the Chinese words of the store's records — names of people,
// enterprises and places, enterprise tags, the appeals' own words — which
// an English page shows as they are; every other word of it must be English.
var userData = sync.OnceValue(func() []string {
	d := demoData()
	var words []string
	for _, r := range d.Regions {
		words = append(words, r.Name)
	}
	for _, e := range d.Enterprises {
		words = append(words, e.Name, e.Contact, e.LegalRep, e.Address, e.PartyBranch)
		words = append(words, e.Tags...)
	}
	for _, u := range d.Users {
		words = append(words, u.Name, u.HomeUnit)
	}
	for _, o := range d.Offices {
		words = append(words, o.Name)
	}
	for _, p := range d.Projects {
		words = append(words, p.Name)
	}
	plans, moves := demo.History(d, 1, time.Now(), 1500)
	for _, p := range plans {
		words = append(words, p.Input.Title, p.Input.Content, p.Input.Contact)
	}
	for _, m := range moves {
		words = append(words, m.Note)
	}
	// The demo's forms and campaigns, and the survey walk's.
	for _, def := range []formdef.Definition{formdb.LabourSurvey, formdb.StatusReport(time.Now().Year() - 1)} {
		words = append(words, def.Zh, def.IntroZh)
		for _, q := range def.Questions() {
			words = append(words, q.Zh, q.HelpZh, q.Unit)
			for _, o := range q.Options {
				words = append(words, o.Zh)
			}
		}
	}
	words = append(words, "一季度企业用工需求排摸", "重点企业季度运行监测", "应急用工排摸", "是否缺工", "缺工人数")
	// The demo's visits and the visit walk's; the situation a visit records
	// is kept in the enterprise's file as the text of a fact.
	words = append(words, demo.VisitWords()...)
	words = append(words, visit.Operations...)
	words = append(words, visit.OrderStates...)
	words = append(words, visitSpotText, visitSpotAction, visitRaiseText, visitCommonText, visitTopicTitle)
	// The demo's service days, and the appeals their problems became.
	days := demo.ServiceDayWords()
	words = append(words, days...)
	for _, w := range days[4:] {
		for _, title := range []string{days[0], days[2]} {
			words = append(words, visitdb.DayAppealTitle(title, w))
		}
	}
	for _, dep := range department.Alliance() {
		words = append(words, visitdb.DispatchNote(dep.Name))
	}
	// The example catalogue and its providers: a district's own texts.
	for _, st := range catalogue.DemoStandards() {
		words = append(words, st.Name, st.Gets, st.Conditions, st.Schedule)
		words = append(words, st.Materials...)
	}
	for _, p := range catalogue.DemoProviders() {
		words = append(words, p.Name, p.Contact, p.Address)
	}
	// The demo's turnover pool and the pool walk's.
	words = append(words, pooldb.PoolWords()...)
	words = append(words, poolTeam, poolSite, poolTraining, poolContact, poolTaught, poolComp)
	words = append(words, poolPeople...)
	// The demo's precise push and the policy walk's.
	words = append(words, policydb.PolicyWords()...)
	words = append(words, policyWalkWords...)
	// The demo's checklists, restart applications and status reports.
	words = append(words, resumptiondb.ResumptionWords()...)
	words = append(words, tourTitle, tourContent, "中文")                      // the language switch names the other language in it
	slices.SortFunc(words, func(a, b string) int { return len(b) - len(a) }) // the longest first
	return slices.Compact(words)
})

var han = regexp.MustCompile(`[\p{Han}\x{3000}-\x{303F}\x{FF00}-\x{FFEF}]+`) // Chinese characters and full-width punctuation

// checkEnglish checks that an English page says nothing in Chinese but the
// records' own words (userData).
func checkEnglish(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	texts := eval[[]string](t, ctx, `(() => { const out = []; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		while (w.nextNode()) { if (w.currentNode.parentElement?.closest('textarea, body [lang^="zh"]')) continue; // what is typed in a field is the record's, and a text marked Chinese (a legal agreement)
			const s = w.currentNode.textContent.trim(); if (s) out.push(s); }
		return out; })()`)
	var chinese []string
	for _, s := range texts {
		rest := s
		if han.MatchString(rest) {
			for _, w := range userData() {
				if w != "" && strings.Contains(rest, w) {
					rest = strings.ReplaceAll(rest, w, "")
				}
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
