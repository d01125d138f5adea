package main

// A loan of the employee turnover pool walked through the real binary:
// a need posted on a phone with its shipping date, the matcher proposing
// the nearest lender, the lender's choice of two workers, each worker's
// consent on a phone of their own with a one-time code, both seals, the
// injury cover, the training, the start, a day's attendance, the month's
// settlement and the return.

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/pool"
)

// The walk's words: the lender's team and its people, the need's site.
var (
	poolTeam     = "包装三组"
	poolPeople   = []string{"陆小雨", "钱多多", "孔明亮"}
	poolSite     = "北仑区新碶街道明州路 88 号三号车间"
	poolTraining = "半天岗前培训：包装线操作规程与消防安全"
	poolContact  = "李主管"
	poolTaught   = "安全员讲解包装线操作规程和消防逃生，2小时"
	poolComp     = "工伤补偿由出借方先行垫付，借入方按责任分担"
)

// TestBrowserPool: the showcase enterprise, short of packers for a
// shipment, posts a need on its phone. Its community's staff have
// registered three packers of a neighbouring enterprise of the same grid
// (which has no account of its own); the matcher proposes that lender,
// with its reasons, and the staff propose it. For the lender the staff
// choose two of the three; each is given a one-time code and consents on
// a 390 px phone of their own, reading the agreement. The borrower
// uploads its sealed scan on its phone, the staff the lender's; the
// lender's injury cover is recorded; the borrower records the training,
// starts both workers — the need's clock stops — records the day's
// attendance, builds the month's sheet (two days × 300 yuan) and confirms
// it; the lender confirms the wages were paid in full; both workers return
// and the loan ends. Screenshots in Chinese and English go to artifacts/.
func TestBrowserPool(t *testing.T) {
	t.Parallel()
	start := time.Now()
	browser := newBrowser(t, walkTimeout)
	srv := startServer(t, sqliteDB(t))
	artifacts := artifactsDir(t)
	users := &people{t: t, browser: browser, srv: srv, signedIn: map[string]*visitor{}}
	t.Logf("Chromium and the server started in %v", time.Since(start).Round(time.Millisecond))
	d := demoData()
	var credit string
	for _, u := range d.Users {
		if u.Username == "enterprise" {
			credit = u.EnterpriseCode
		}
	}
	var borrower, lender enterprise.Enterprise
	for _, e := range d.Enterprises {
		if e.CreditCode == credit {
			borrower = e
		}
	}
	for _, e := range d.Enterprises {
		if e.GridCode == borrower.GridCode && e.CreditCode != credit && lender.CreditCode == "" {
			lender = e
		}
	}
	if borrower.Name == "" || lender.Name == "" {
		t.Fatalf("no showcase enterprise or no neighbour in its grid")
	}
	now := time.Now().In(calendar.Shanghai)
	today := now.Format("2006-01-02")
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

	walk("the community registers the neighbour's packers", func(t *testing.T) {
		u := users.as(t, "community", desktop, "/pool/workers/new")
		fields := map[string]string{"#pool-offer-form [name=credit_code]": lender.CreditCode, "#pool-offer-form [name=from]": today,
			"#pool-offer-form [name=to]": now.AddDate(0, 2, 0).Format("2006-01-02"), "#pool-offer-form [name=team]": poolTeam}
		for i, name := range poolPeople {
			first := fmt.Sprintf("3302061990%02d%02d%03d", 1+i, 10+i, 101+i)
			fields[fmt.Sprintf("[name=name_%d]", i)] = name
			fields[fmt.Sprintf("[name=phone_%d]", i)] = fmt.Sprintf("1385741%04d", 1000+i)
			fields[fmt.Sprintf("[name=id_%d]", i)] = first + string(pool.IDCheck(first))
			fields[fmt.Sprintf("[name=contract_%d]", i)] = now.AddDate(1, 0, 0).Format("2006-01-02")
		}
		set(u, "fill the offer", fields)
		u.do("tick packing", chromedp.Click(chromedp.CSS(`#pool-offer-form input[name=work_types][value=packing]`)))
		u.tap("offer", "#pool-offer-save")
		if got := u.path(); got != "/pool/workers" {
			t.Fatalf("after offering: %s (%s)", got, u.text("main"))
		}
		for _, name := range poolPeople {
			if !strings.Contains(u.text("#pool-workers"), name) {
				t.Errorf("the workers list does not show %s", name)
			}
		}
		if phone := u.text("#pool-workers tbody tr td:nth-child(4)"); !strings.Contains(phone, "****") {
			t.Errorf("the community's list shows a worker's phone %q; want it masked", phone)
		}
	})

	var needPath string
	walk("the enterprise posts a need with its shipping date on its phone", func(t *testing.T) {
		u := users.as(t, "enterprise", phone, "/pool/needs/new")
		set(u, "fill the need", map[string]string{
			"#pool-need-form [name=work_type]": "packing", "#pool-need-form [name=heads]": "2", "#pool-need-form [name=needed_by]": today,
			"#pool-need-form [name=daily_cost]": "300", "#pool-need-form [name=from]": today,
			"#pool-need-form [name=to]": today, "#pool-need-form [name=site]": poolSite, // a day's rush
			"#pool-need-form [name=training]": poolTraining, "#pool-need-form [name=contact]": poolContact, "#pool-need-form [name=phone]": "13912345678",
		})
		checkFits(t, u.tab, int(phone.w))
		u.tap("post", "#pool-need-save")
		needPath = u.path()
		if !strings.HasPrefix(needPath, "/pool/needs/") {
			t.Fatalf("after posting: %s (%s)", needPath, u.text("main"))
		}
		if !strings.Contains(u.text("#pool-need-open"), "2") {
			t.Errorf("the need shows %q open; want 2", u.text("#pool-need-open"))
		}
		checkNotBlank(t, "pool-need-zh-390.png", saveScreenshot(t, u.tab, artifacts, "pool-need-zh-390.png"))
		english(t, u, needPath, "pool-need-en-390.png")
	})

	var loanPath string
	walk("the matcher proposes the neighbour, and the community proposes it", func(t *testing.T) {
		u := users.as(t, "community", desktop, "/pool/match")
		id := strings.TrimPrefix(needPath, "/pool/needs/")
		section := u.text("#pool-match-" + id)
		if !strings.Contains(section, lender.Name) {
			t.Fatalf("the matcher's proposals for the need: %q; want %s", section, lender.Name)
		}
		if !strings.Contains(section, "同一网格") || !strings.Contains(section, "工种相符") {
			t.Errorf("the proposal is not explained: %q", section)
		}
		checkNotBlank(t, "pool-match-zh-1280.png", saveScreenshot(t, u.tab, artifacts, "pool-match-zh-1280.png"))
		english(t, u, "/pool/match", "pool-match-en-1280.png")
		u.tap("propose", `#pool-match-`+id+` .pool-propose`)
		loanPath = u.path()
		if !strings.HasPrefix(loanPath, "/pool/loans/") {
			t.Fatalf("after proposing: %s (%s)", loanPath, u.text("main"))
		}
		if got := u.text("#pool-loan-state"); got != "待出借方选人" {
			t.Errorf("the new loan is %q; want 待出借方选人", got)
		}
	})

	walk("the lender's two workers are chosen", func(t *testing.T) {
		u := users.as(t, "community", desktop, loanPath)
		if n := u.count(`#pool-choose-form input[name=workers]`); n != 3 {
			t.Fatalf("the choice offers %d workers; want the lender's 3 packers", n)
		}
		u.do("tick two", chromedp.Click(chromedp.CSS(`#pool-choose-form label:nth-of-type(1) input`)),
			chromedp.Click(chromedp.CSS(`#pool-choose-form label:nth-of-type(2) input`)))
		u.tap("choose", "#pool-choose-go")
		if n := u.count(".placement"); n != 2 {
			t.Fatalf("the loan lists %d placements; want 2 (%s)", n, u.text("main"))
		}
	})

	for i := range 2 {
		walk(fmt.Sprintf("worker %d consents on a phone of their own", i+1), func(t *testing.T) {
			u := users.as(t, "community", desktop, loanPath)
			u.tap("give a code", fmt.Sprintf(`.placement:nth-of-type(%d) .pool-issue-code`, i+1))
			code := u.text("#pool-code-value")
			if len(code) != 11 {
				t.Fatalf("the code shown is %q", code)
			}
			w := users.anonymous(t, fmt.Sprintf("worker%d", i+1), phone, "/w")
			set(w, "type the code", map[string]string{"#pool-code-form [name=code]": strings.ToLower(code)})
			w.tap("open my page", "#pool-code-go")
			if got := w.path(); got != "/w/me" {
				t.Fatalf("after the code: %s (%s)", got, w.text("main"))
			}
			agreement := w.text("#pool-me-agreement")
			for _, want := range []string{lender.Name, borrower.Name, pool.RuleOf("no_fee").Zh, poolSite} {
				if !strings.Contains(agreement, want) {
					t.Errorf("the agreement does not say %q", want)
				}
			}
			checkFits(t, w.tab, int(phone.w))
			if i == 0 {
				checkNotBlank(t, "pool-worker-zh-390.png", saveScreenshot(t, w.tab, artifacts, "pool-worker-zh-390.png"))
			}
			w.tap("consent", "#pool-me-yes")
			if got := w.text("#pool-me-state"); got != "已同意" {
				t.Errorf("after consenting the page says %q", got)
			}
			if i == 0 {
				english(t, w, "/w/me", "pool-worker-en-390.png")
			}
			// A used code opens nothing.
			v := users.anonymous(t, fmt.Sprintf("stranger%d", i+1), phone, "/w")
			set(v, "type the used code", map[string]string{"#pool-code-form [name=code]": code})
			// The form comes back (422) with the message beside the code.
			v.do("try it", chromedp.Click(chromedp.CSS("#pool-code-go")), chromedp.WaitVisible(chromedp.CSS(`#pool-code-form em.fielderr`)))
			if got := v.path(); got != "/w" {
				t.Errorf("a used code led to %s", got)
			}
		})
	}

	scan := filepath.Join(t.TempDir(), "sealed.png")
	img := image.NewRGBA(image.Rect(0, 0, 40, 40))
	for x := range 40 {
		img.Set(x, x, color.RGBA{200, 0, 0, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(scan, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	walk("both seal with a scan", func(t *testing.T) {
		e := users.as(t, "enterprise", phone, loanPath)
		e.do("choose the borrower's scan", chromedp.SetUploadFiles(chromedp.CSS(`#pool-seal-borrower input[type=file]`), []string{scan}))
		e.tap("seal", `#pool-seal-borrower .pool-seal-go`)
		c := users.as(t, "community", desktop, loanPath)
		c.do("choose the lender's scan", chromedp.SetUploadFiles(chromedp.CSS(`#pool-seal-lender input[type=file]`), []string{scan}))
		if c.count(`#pool-seal-lender [name=compensation]`) != 0 {
			t.Errorf("the injury compensation is offered after the workers consented to the agreement")
		}
		c.tap("seal", `#pool-seal-lender .pool-seal-go`)
		if n := c.count(`#pool-seals a[href*="/seals/"]`); n != 2 {
			t.Errorf("the loan shows %d sealed scans; want 2 (%s)", n, c.text("#pool-seals"))
		}
		for i := range 2 {
			c.follow("open the loan", chromedp.Navigate(srv.URL+loanPath))
			set(c, "cover", map[string]string{fmt.Sprintf(`.placement:nth-of-type(%d) [name=cover_ref]`, i+1): fmt.Sprintf("GS330206-2026-%04d", 88+i),
				fmt.Sprintf(`.placement:nth-of-type(%d) [name=cover_until]`, i+1): now.AddDate(0, 6, 0).Format("2006-01-02")})
			c.tap("record the cover", fmt.Sprintf(`.placement:nth-of-type(%d) .pool-cover button`, i+1))
		}
		if got := c.count(`.placement .warn`); got != 0 {
			t.Errorf("%d workers still show no injury cover", got)
		}
	})

	walk("the borrower trains and starts both on its phone", func(t *testing.T) {
		e := users.as(t, "enterprise", phone, loanPath)
		set(e, "training", map[string]string{"#pool-train-form [name=note]": poolTaught})
		e.tap("record the training", "#pool-train-go")
		if e.count(".pool-start") != 2 {
			t.Fatalf("after the training the borrower may start %d workers: %s", e.count(".pool-start"), e.text("main"))
		}
		for i := range 2 {
			e.tap("start", `.pool-start`)
			if n := e.count(".pool-start"); n != 1-i {
				t.Fatalf("after starting %d, %d more may start: %s", i+1, n, e.text("main"))
			}
		}
		if got := e.text("#pool-loan-state"); got != "在岗中" {
			t.Errorf("after the start the loan is %q (%s)", got, e.text("#pool-loan-error"))
		}
		e.follow("open the need", chromedp.Navigate(srv.URL+needPath))
		if got := e.text("#pool-need-hours"); got == "—" || got == "" {
			t.Errorf("the need's first worker on site shows %q", got)
		}
	})

	walk("attendance, the month's settlement and the return", func(t *testing.T) {
		e := users.as(t, "enterprise", phone, loanPath)
		e.tap("record today", "#pool-attend-go")
		e.tap("build the sheet", "#pool-sheet-go")
		month := now.Format("2006-01")
		if got := e.text("#pool-sheet-" + month + " h3"); !strings.Contains(got, "600") {
			t.Errorf("the month's sheet is %q; want 2 days × 300 = 600 yuan", got)
		}
		e.tap("confirm as borrower", ".pool-sheet-borrower")
		c := users.as(t, "community", desktop, loanPath)
		c.tap("confirm paid in full for the lender", ".pool-sheet-lender button")
		if got := c.text("#pool-sheet-" + month); strings.Count(got, "—") > 0 {
			t.Errorf("the sheet is not confirmed by both: %q (%s)", got, c.text("#pool-loan-error"))
		}
		checkNotBlank(t, "pool-loan-zh-1280.png", saveScreenshot(t, c.tab, artifacts, "pool-loan-zh-1280.png"))
		english(t, c, loanPath, "pool-loan-en-1280.png")
		e.follow("open the loan", chromedp.Navigate(srv.URL+loanPath))
		for range 2 {
			e.tap("return", `.pool-return`)
		}
		if got := e.text("#pool-loan-state"); got != "已结束" {
			t.Errorf("after the returns the loan is %q", got)
		}
		checkNotBlank(t, "pool-loan-zh-390.png", saveScreenshot(t, e.tab, artifacts, "pool-loan-zh-390.png"))
	})
	t.Logf("the pool walk took %v", time.Since(start).Round(time.Millisecond))
}

// tap scrolls the element matching the CSS selector to the middle of the
// page — clear of a phone's tab bar — clicks it, and waits for the page it
// loads, which must answer 200.
func (u *visitor) tap(what, sel string) {
	u.t.Helper()
	eval[bool](u.t, u.tab, `(e => { e?.scrollIntoView({block: 'center'}); return !!e })(document.querySelector(`+jsString(sel)+`))`)
	u.follow(what, chromedp.Click(chromedp.CSS(sel)))
}

// anonymous returns a person without an account at a browser of their own
// (a browser context: no cookies shared) of size vp showing path.
func (us *people) anonymous(t *testing.T, name string, vp viewport, path string) *visitor {
	t.Helper()
	tab, cancel := chromedp.NewContext(us.browser, chromedp.WithNewBrowserContext())
	us.t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open a browser window for %s: %v", name, err)
	}
	u := &visitor{t: t, tab: tab, base: us.srv.URL, name: name}
	u.follow("open "+path, chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(us.srv.URL+path))
	return u
}
