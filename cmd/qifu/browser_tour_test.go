package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserTour opens the pages people use most, as the users who use
// them, on a phone (390 px) and at a desk (1280 px), in Chinese and in
// English: no page scrolls sideways, and each is saved to artifacts/
// (tour-<user>-<page>-<lang>-<width>.png) for a person to look at.
func TestBrowserTour(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t, 4*time.Minute)
	srv := startServer(t, sqliteDB(t))
	artifacts := artifactsDir(t)
	users := &people{t: t, browser: browser, srv: srv, signedIn: map[string]*visitor{}}

	// An appeal of the showcase enterprise: it raises one on its phone.
	ent := users.as(t, "enterprise", phone, "/appeals/new")
	ent.do("fill in the form",
		chromedp.SetValue(chromedp.CSS(`#raise-form select[name=type]`), "help"),
		chromedp.SetValue(chromedp.CSS(`#raise-form select[name=category]`), "labour.recruit"),
		chromedp.SendKeys(chromedp.CSS(`#raise-form [name=title]`), "招工难：急需焊工"),
		chromedp.SendKeys(chromedp.CSS(`#raise-form [name=content]`), "订单增加，急需焊工 5 名，请协助对接。"))
	ent.submit("submit the appeal", "#raise-form", `button[type=submit]`)
	href := ent.path()
	if !regexp.MustCompile(`^/appeals/\d+$`).MatchString(href) {
		t.Fatalf("after raising an appeal the browser is at %s", href)
	}
	tour := []struct {
		user  string
		pages []string
	}{
		{"enterprise", []string{"/", "/appeals", "/appeals/new", href, "/inbox", "/account"}},
		{"community", []string{"/", "/appeals?queue=triage", href, "/enterprises", "/places", "/inbox"}},
		{"dept_tax", []string{"/", "/appeals"}},
		{"district_leader", []string{"/overview", "/assessment?dimension=community"}},
		{"admin", []string{"/settings", "/calendar", "/users", "/departments"}},
		{"auditor", []string{"/audit"}},
	}
	slug := regexp.MustCompile(`[^a-z0-9]+`)
	for _, stop := range tour {
		t.Run(stop.user, func(t *testing.T) {
			u := users.as(t, stop.user, desktop, stop.pages[0])
			for _, lang := range []string{"zh", "en"} {
				eval[string](t, u.tab, `document.cookie = "qifu_lang=`+lang+`; path=/"`)
				for _, p := range stop.pages {
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
						name := fmt.Sprintf("tour-%s-%s-%s-%d.png", stop.user, strings.Trim(slug.ReplaceAllString(strings.ToLower(p), "-"), "-"), lang, vp.w)
						checkNotBlank(t, name, saveScreenshot(t, u.tab, artifacts, name))
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
