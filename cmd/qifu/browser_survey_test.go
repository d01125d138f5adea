package main

// A form built in the browser, sent to an audience, filled on a phone and
// followed grid by grid: the shared form engine and audiences walked
// through the real binary, each user at a browser of their own.

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// TestBrowserSurvey: the showcase community's staff builds a form in the
// builder (a fact of the enterprise's file, a yes/no, a number asked only
// on yes), sends it to the showcase grid after counting the audience; the
// showcase enterprise finds it first on its phone's home, opens it with
// its headcount prefilled from its file, answers and submits; the
// community sees the grid's row answered once of all sent, and the Excel
// export holds one row per member with one column per question and the
// enterprise's answers.
func TestBrowserSurvey(t *testing.T) {
	t.Parallel()
	start := time.Now()
	browser := newBrowser(t, walkTimeout)
	srv := startServer(t, sqliteDB(t))
	artifacts := artifactsDir(t)
	users := &people{t: t, browser: browser, srv: srv, signedIn: map[string]*visitor{}}
	d := demoData()
	var grid, credit string
	for _, u := range d.Users {
		switch u.Username {
		case "grid":
			grid = u.RegionCode
		case "enterprise":
			credit = u.EnterpriseCode
		}
	}
	inGrid := 0
	for _, e := range d.Enterprises {
		if e.GridCode == grid {
			inGrid++
		}
	}
	var formPage, campaign string
	walk := func(name string, fn func(t *testing.T)) {
		if !t.Failed() {
			t.Run(name, fn)
		}
	}

	walk("community builds the form", func(t *testing.T) {
		u := users.as(t, "community", desktop, "/forms")
		u.follow("open the builder", chromedp.Click(chromedp.ID("new-form")))
		add := func(what string, fields map[string]string, required bool) {
			steps := []chromedp.Action[chromedp.Void]{}
			for name, v := range fields {
				if name == "q_type" || name == "q_fact" || name == "q_when" {
					steps = append(steps, chromedp.SetValue(chromedp.CSS(`#builder select[name=`+name+`]`), v))
				} else {
					steps = append(steps, chromedp.SendKeys(chromedp.CSS(`#builder [name=`+name+`]`), v))
				}
			}
			if required {
				steps = append(steps, chromedp.Click(chromedp.CSS(`#builder [name=q_required]`)))
			}
			u.do("type "+what, steps...)
			u.submit("add "+what, "#builder", "#add-q")
		}
		u.do("title", chromedp.SendKeys(chromedp.ID("title-zh"), "应急用工排摸"))
		add("the headcount", map[string]string{"q_type": "fact", "q_fact": "employees"}, true)
		add("the yes/no", map[string]string{"q_type": "yesno", "q_zh": "是否缺工"}, true)
		add("the number", map[string]string{"q_type": "number", "q_zh": "缺工人数", "q_unit": "人", "q_min": "1", "q_when": "q2=yes"}, true)
		if n := u.count(`#outline .q-line`); n != 3 {
			t.Fatalf("the outline lists %d questions; want 3 (%q)", n, u.text("#builder-message"))
		}
		if n := u.count(`#preview .question`); n != 3 {
			t.Errorf("the preview shows %d questions; want 3", n)
		}
		checkFits(t, u.tab, int(desktop.w))
		checkNotBlank(t, "survey-builder-1280.png", saveScreenshot(t, u.tab, artifacts, "survey-builder-1280.png"))
		u.submit("save the form", "#builder", "#save-form")
		formPage = u.path()
		if !regexp.MustCompile(`^/forms/\d+$`).MatchString(formPage) {
			t.Fatalf("after saving the browser is at %s; want the form's page", formPage)
		}
	})

	walk("community sends it to the showcase grid", func(t *testing.T) {
		u := users.as(t, "community", desktop, formPage+"/send")
		u.do("pick the grid", chromedp.Click(chromedp.CSS(`#send input[name=regions][value="`+grid+`"]`)))
		u.submit("count the audience", "#send", "#preview")
		if got := u.text("#preview-count"); !strings.Contains(got, strconv.Itoa(inGrid)+" 家") {
			t.Errorf("the count reads %q; want the grid's %d enterprises", got, inGrid)
		}
		checkNotBlank(t, "survey-send-1280.png", saveScreenshot(t, u.tab, artifacts, "survey-send-1280.png"))
		u.submit("send it", "#send", "#send-now")
		campaign = u.path()
		if !regexp.MustCompile(`^/campaigns/\d+$`).MatchString(campaign) {
			t.Fatalf("after sending the browser is at %s; want the campaign's page", campaign)
		}
		if got := u.text("#progress-total"); !strings.Contains(got, strconv.Itoa(inGrid)) {
			t.Errorf("the total reads %q; want %d sent", got, inGrid)
		}
	})

	walk("enterprise fills it on a phone", func(t *testing.T) {
		u := users.as(t, "enterprise", phone, "/")
		fill := strings.Replace(campaign, "/campaigns/", "/surveys/", 1)
		if u.count(`a[href="`+fill+`"]`) == 0 {
			t.Errorf("the phone's home does not offer %s among the to-dos", fill)
		}
		u.follow("open the form", chromedp.Navigate(srv.URL+fill))
		prefilled, known := u.value(`#fill-form [name=q1]`), u.text("#known-q1")
		if prefilled == "" || !strings.Contains(known, prefilled) {
			t.Errorf("the headcount is prefilled with %q; the file says %q", prefilled, known)
		}
		checkFits(t, u.tab, int(phone.w))
		checkNothingClipped(t, u.tab, int(phone.w))
		u.do("answer", chromedp.Click(chromedp.CSS(`#fill-form input[name=q2][value=yes]`)),
			chromedp.SendKeys(chromedp.CSS(`#fill-form [name=q3]`), "5"))
		checkNotBlank(t, "survey-fill-390.png", saveScreenshot(t, u.tab, artifacts, "survey-fill-390.png"))
		u.submit("submit", "#fill-form", "#submit")
		if got := u.text("#fill-state"); got != "已提交" {
			t.Errorf("after submitting the form says %q; want 已提交", got)
		}
		if got := u.text("#answers"); !strings.Contains(got, "5 人") || !strings.Contains(got, "是") {
			t.Errorf("the answers read back as %q", got)
		}
	})

	walk("community follows it by grid and exports it", func(t *testing.T) {
		u := users.as(t, "community", desktop, campaign+"?level=5")
		row := eval[[]string](t, u.tab, `Array.from(document.querySelectorAll('#progress-table tr[data-code="`+grid+`"] td'), td => td.textContent.trim())`)
		if len(row) != 6 || row[1] != strconv.Itoa(inGrid) || row[3] != "1" {
			t.Errorf("the grid's row reads %q; want %d sent and 1 answered", row, inGrid)
		}
		checkNotBlank(t, "survey-progress-1280.png", saveScreenshot(t, u.tab, artifacts, "survey-progress-1280.png"))
		follow(t, u.tab, "switch to English", chromedp.Click(chromedp.ID("lang-switch")))
		checkEnglish(t, u.tab, campaign)
		checkNotBlank(t, "survey-progress-en-1280.png", saveScreenshot(t, u.tab, artifacts, "survey-progress-en-1280.png"))
		follow(t, u.tab, "back to Chinese", chromedp.Click(chromedp.ID("lang-switch")))

		// The export, with the page's session.
		cookies := sessionCookies(t, u)
		req, _ := http.NewRequest("GET", srv.URL+campaign+"/export.xlsx", nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("export: %d %.200s", resp.StatusCode, body)
		}
		book, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows(book.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != inGrid+1 || len(rows[0]) != 7+3 {
			t.Fatalf("the export has %d rows of %d columns; want %d members and 7+3 columns", len(rows)-1, len(rows[0]), inGrid)
		}
		found := false
		for _, r := range rows[1:] {
			if len(r) > 1 && r[1] == credit {
				found = true
				if len(r) < 10 || r[4] != "已提交" || r[8] != "是" || r[9] != "5 人" {
					t.Errorf("the enterprise's row: %q", r)
				}
			}
		}
		if !found {
			t.Errorf("the export has no row of %s", credit)
		}
	})
	t.Logf("the survey walk took %v", time.Since(start).Round(time.Millisecond))
}

// sessionCookies are the cookies of the server that the user's browser holds.
func sessionCookies(t *testing.T, u *visitor) []*http.Cookie {
	t.Helper()
	res, err := chromedp.Call(u.tab, network.GetCookies, network.GetCookiesParams{URLs: []string{u.base}})
	if err != nil {
		t.Fatalf("read the browser's cookies: %v", err)
	}
	var out []*http.Cookie
	for _, c := range res.Cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}
