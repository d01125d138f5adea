package main

// Browser tests: headless Chromium, driven by chromedp, against the real
// server started by run with --demo.

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"qifu/internal/demo"
)

// chromiumPath is where the browser tests look for the browser.
const chromiumPath = "/usr/bin/chromium"

// newBrowser starts headless Chromium for the test and returns the context of
// one tab, bounded by limit so that a stuck page fails the test instead of
// hanging it. Without Chromium the test is skipped with a loud warning, or
// fails when CI is true.
func newBrowser(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		msg := fmt.Sprintf("Chromium not found at %s: the browser tests cannot run", chromiumPath)
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			t.Fatal(msg + "; CI must run them")
		}
		shout("\n=== " + msg + ": SKIPPED ===")
		t.Skip(msg)
	}
	// Without a user-data-dir flag chromedp gives the browser a temporary
	// one and removes it when the browser has exited.
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("force-color-profile", "srgb"),
	)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit
	})
	// The first action starts the browser, whose life is that of the
	// context it runs on: so no deadline here, only on the steps.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, limit)
	t.Cleanup(cancel)
	return ctx
}

// shout prints msg where a developer sees it even when go test hides the
// output of passing tests: on the terminal when there is one.
func shout(msg string) {
	var w io.Writer = os.Stderr
	if !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			defer tty.Close()
			w = tty
		}
	}
	fmt.Fprintln(w, msg)
}

// do runs browser steps and fails the test on an error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// follow runs steps that make the browser load a page (a click on a submit
// button, say), waits for the page and fails the test unless it answered 200.
func follow(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != 200 {
		t.Fatalf("%s: %s answered %d", what, resp.URL, resp.Status)
	}
}

// TestBrowserEnterpriseList signs in as the demo grid worker, reads the
// enterprise list page by page, switches to English, and checks the layout on
// a phone and that the pages (Chinese glyphs included) really render.
// Screenshots go to artifacts/ at the root of the repository.
func TestBrowserEnterpriseList(t *testing.T) {
	t.Parallel()
	start := time.Now()
	ctx := newBrowser(t, time.Minute)
	srv := startServer(t, sqliteDB(t))
	t.Logf("Chromium and the server started in %v", time.Since(start).Round(time.Millisecond))
	artifacts := artifactsDir(t)

	do(t, ctx, "open the sign-in page",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(srv.URL+"/enterprises"), // signed out: sent to /login?next=/enterprises
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "grid"),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
	)
	saveScreenshot(t, ctx, artifacts, "login-zh.png")
	follow(t, ctx, "sign in as the grid worker", chromedp.Click(chromedp.ID("login-submit")))

	t.Run("list shows exactly the grid's enterprises", func(t *testing.T) {
		var want []string
		for _, e := range demoData().Enterprises {
			if e.GridCode == showcaseGrid {
				want = append(want, e.CreditCode)
			}
		}
		got, pages := listedCodes(t, ctx, srv.URL+"/enterprises?size=200")
		if pages != 1 {
			t.Errorf("the list at ?size=200 takes %d pages; want all on one", pages)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("the grid worker sees %d enterprises; want the %d of grid %s", len(got), len(want), showcaseGrid)
			for _, c := range got {
				if !slices.Contains(want, c) {
					t.Errorf("  listed but not in the grid: %s (grid %s)", c, demoGridOf(c))
				}
			}
			for _, c := range want {
				if !slices.Contains(got, c) {
					t.Errorf("  in the grid but not listed: %s", c)
				}
			}
		}
	})

	do(t, ctx, "open the list", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/enterprises"))
	t.Run("Chinese page", func(t *testing.T) {
		checkPage(t, ctx, "zh-CN", "企业名录")
		checkStyled(t, ctx)
		checkChineseGlyphs(t, ctx)
		checkNotBlank(t, "enterprises-zh.png", saveScreenshot(t, ctx, artifacts, "enterprises-zh.png"))
		checkPhoneWidth(t, ctx, srv.URL+"/enterprises", artifacts, "enterprises-zh-390.png")
	})

	follow(t, ctx, "switch to English", chromedp.Click(chromedp.ID("lang-switch")))
	t.Run("English page", func(t *testing.T) {
		checkPage(t, ctx, "en", "Enterprise list")
		if got := eval[string](t, ctx, `document.getElementById('lang-switch').textContent.trim()`); got != "中文" {
			t.Errorf("the language switch reads %q on the English page; want 中文", got)
		}
		checkNotBlank(t, "enterprises-en.png", saveScreenshot(t, ctx, artifacts, "enterprises-en.png"))
		checkPhoneWidth(t, ctx, srv.URL+"/enterprises", artifacts, "enterprises-en-390.png")
	})
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// listedCodes reads the credit codes (the second cell of each row of
// #enterprise-list) of every page of the list, following its pager, and
// returns them with the number of pages.
func listedCodes(t *testing.T, ctx context.Context, first string) ([]string, int) {
	t.Helper()
	type listPage struct {
		Codes []string `json:"codes"`
		Next  string   `json:"next"`
	}
	var codes []string
	pages := 0
	for next := first; next != ""; pages++ {
		if pages == 50 {
			t.Fatal("the list has more than 50 pages; the pager loops?")
		}
		do(t, ctx, "open "+next, chromedp.Navigate(next), chromedp.WaitReady(chromedp.ID("total")))
		p := eval[listPage](t, ctx, `({
			codes: Array.from(document.querySelectorAll('#enterprise-list tbody tr'), tr => tr.cells[1].textContent.trim()),
			next: document.querySelector('.pager a[rel=next]')?.href ?? '',
		})`)
		if len(p.Codes) == 0 {
			t.Fatalf("%s lists no enterprises", next)
		}
		codes = append(codes, p.Codes...)
		next = p.Next
	}
	return codes, pages
}

// demoGridOf returns the grid of a demo enterprise, or "?" for one not in the demo.
func demoGridOf(code string) string {
	for _, e := range demoData().Enterprises {
		if e.CreditCode == code {
			return e.GridCode
		}
	}
	return "?"
}

// checkPage checks the language of the page and its heading.
func checkPage(t *testing.T, ctx context.Context, lang, heading string) {
	t.Helper()
	if got := eval[string](t, ctx, `document.documentElement.lang`); got != lang {
		t.Errorf("<html lang=%q>; want %q", got, lang)
	}
	if got := eval[string](t, ctx, `document.querySelector('h1').textContent.trim()`); got != heading {
		t.Errorf("<h1> reads %q; want %q", got, heading)
	}
}

// checkStyled checks that the style sheet loaded and applies.
func checkStyled(t *testing.T, ctx context.Context) {
	t.Helper()
	rules := eval[int](t, ctx, `Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0)`)
	if rules == 0 {
		t.Error("the page has no style rules: /static/app.css did not load")
	}
}

// checkChineseGlyphs checks that the Chinese heading is drawn with a font
// that has Chinese glyphs, not as empty boxes (tofu). Screenshots of the
// heading must change when its text is made transparent (something is
// drawn) and when its text is replaced by four characters no font has (so
// what is drawn is not four .notdef boxes, which look alike whatever the
// character). The platform fonts used are logged.
func checkChineseGlyphs(t *testing.T, ctx context.Context) {
	t.Helper()
	shot := func(script string) image.Image {
		t.Helper()
		eval[chromedp.Void](t, ctx, `(() => { const h = document.querySelector('h1'); `+script+` })()`)
		b, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("h1")))
		if err != nil {
			t.Fatalf("screenshot the heading: %v", err)
		}
		return decodePNG(t, b)
	}
	text := eval[string](t, ctx, `document.querySelector('h1').textContent`)
	drawn := shot(``)
	transparent := shot(`h.style.color = 'transparent';`)
	tofu := shot(`h.style.color = ''; h.textContent = '\u{10FFFD}'.repeat(4);`)
	shot(`h.textContent = ` + strconv.Quote(text) + `;`)
	if n := differingPixels(drawn, transparent); n < 50 {
		t.Errorf("the heading looks the same with and without its text (%d pixels differ): %s is not drawn", n, text)
	}
	if n := differingPixels(drawn, tofu); n < 50 {
		t.Errorf("the heading looks the same as four missing glyphs (%d pixels differ): %s is drawn as tofu", n, text)
	}

	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("h1")))
	if err != nil || len(nodes) == 0 {
		t.Fatalf("find the heading: %v", err)
	}
	nodes[0].RLock()
	id := nodes[0].NodeID
	nodes[0].RUnlock()
	fonts, err := chromedp.Call(ctx, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: id})
	if err != nil {
		t.Fatalf("platform fonts of the heading: %v", err)
	}
	for _, f := range fonts.Fonts {
		t.Logf("the heading uses %q (%s) for %v glyphs", f.FamilyName, f.PostScriptName, f.GlyphCount)
	}
}

// checkPhoneWidth reloads url at 390 × 844 CSS pixels, a phone held upright,
// checks that the page does not scroll sideways, saves a screenshot and
// restores the desktop viewport.
func checkPhoneWidth(t *testing.T, ctx context.Context, url, dir, name string) {
	t.Helper()
	do(t, ctx, "open "+url+" on a phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(url))
	checkFits(t, ctx, 390)
	checkNotBlank(t, name, saveScreenshot(t, ctx, dir, name))
	do(t, ctx, "back to the desktop viewport", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(url))
}

// checkFits checks that the page does not scroll sideways in a viewport
// width CSS pixels wide, and names the first elements that stick out.
func checkFits(t *testing.T, ctx context.Context, width int) {
	t.Helper()
	if w := eval[float64](t, ctx, `document.documentElement.scrollWidth`); w > float64(width)+1 {
		wide := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('body *'))
			.filter(e => e.getBoundingClientRect().right > `+strconv.Itoa(width+1)+`)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))`)
		t.Errorf("at %d px the page is %v px wide: it scrolls sideways (too wide: %v)", width, w, wide)
	}
}

// artifactsDir returns artifacts/ at the root of the repository (git
// ignores it), creating it.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	dir = filepath.Join(dir, "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// saveScreenshot takes a PNG of the whole page, beyond the viewport,
// writes it to dir/name and returns it.
func saveScreenshot(t *testing.T, ctx context.Context, dir, name string) []byte {
	t.Helper()
	type size struct {
		W float64 `json:"w"`
		H float64 `json:"h"`
	}
	s := eval[size](t, ctx, `({w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight})`)
	yes := true
	return writeScreenshot(t, ctx, dir, name, page.CaptureScreenshotParams{CaptureBeyondViewport: &yes,
		Clip: &page.Viewport{Width: s.W, Height: s.H, Scale: 1}})
}

// saveFirstScreen takes a PNG of what the viewport shows, the page's first
// screen, writes it to dir/name and returns it: a fraction of the cost of
// a whole long page.
func saveFirstScreen(t *testing.T, ctx context.Context, dir, name string) []byte {
	t.Helper()
	return writeScreenshot(t, ctx, dir, name, page.CaptureScreenshotParams{})
}

// writeScreenshot captures a PNG with params, writes it to dir/name and
// returns it.
func writeScreenshot(t *testing.T, ctx context.Context, dir, name string, params page.CaptureScreenshotParams) []byte {
	t.Helper()
	yes := true
	params.Format, params.FromSurface = page.CaptureScreenshotFormatPng, &yes
	res, err := chromedp.Call(ctx, page.CaptureScreenshot, params)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, res.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return res.Data
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	return img
}

// checkNotBlank checks that a screenshot shows something: a fair share of its
// pixels differ from its most common colour, the background. The tour
// checks some 360 full pages: the pixels are read as the bytes they are.
func checkNotBlank(t *testing.T, name string, b []byte) {
	t.Helper()
	img := decodePNG(t, b)
	r := img.Bounds()
	counts := map[uint32]int{}
	switch m := img.(type) {
	case *image.RGBA: // Chromium's PNGs: opaque, 8 bits a channel
		countPixels(counts, m.Pix, m.Stride, r.Dx(), r.Dy())
	case *image.NRGBA:
		countPixels(counts, m.Pix, m.Stride, r.Dx(), r.Dy())
	default:
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
				counts[uint32(c.R)|uint32(c.G)<<8|uint32(c.B)<<16|uint32(c.A)<<24]++
			}
		}
	}
	background := 0
	for _, n := range counts {
		background = max(background, n)
	}
	share := 1 - float64(background)/float64(r.Dx()*r.Dy())
	if share < 0.03 || len(counts) < 16 {
		t.Errorf("%s looks blank: %.1f%% of its pixels differ from the background, %d colours", name, 100*share, len(counts))
	}
	t.Logf("%s: %d×%d px, %.1f%% not background, %d colours", name, r.Dx(), r.Dy(), 100*share, len(counts))
}

// countPixels counts the colours of w×h pixels of 4 bytes each, rows stride
// bytes apart; runs of one colour (most of a page) are counted at once.
func countPixels(counts map[uint32]int, pix []byte, stride, w, h int) {
	for y := range h {
		row := pix[y*stride : y*stride+4*w]
		run, n := binary.LittleEndian.Uint32(row), 0
		for x := 0; x < len(row); x += 4 {
			if c := binary.LittleEndian.Uint32(row[x:]); c != run {
				counts[run] += n
				run, n = c, 0
			}
			n++
		}
		counts[run] += n
	}
}

// differingPixels counts the pixels that differ between two images of the
// same size; images of different sizes differ everywhere.
func differingPixels(a, b image.Image) int {
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Dx() * a.Bounds().Dy()
	}
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.RGBAModel.Convert(a.At(x, y)) != color.RGBAModel.Convert(b.At(x, y)) {
				n++
			}
		}
	}
	return n
}

// TestCountPixels: the bytes counted as checkNotBlank counts them give the
// colours the image package reads, on a sub-image whose rows are wider
// than it.
func TestCountPixels(t *testing.T) {
	full := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			full.Set(x, y, color.RGBA{uint8(x / 7), uint8(y / 5), 200, 255})
		}
	}
	img := full.SubImage(image.Rect(3, 4, 29, 25)).(*image.RGBA)
	want := map[uint32]int{}
	for y := 4; y < 25; y++ {
		for x := 3; x < 29; x++ {
			c := img.RGBAAt(x, y)
			want[uint32(c.R)|uint32(c.G)<<8|uint32(c.B)<<16|uint32(c.A)<<24]++
		}
	}
	got := map[uint32]int{}
	countPixels(got, img.Pix, img.Stride, 26, 21)
	if len(got) != len(want) {
		t.Fatalf("%d colours, want %d", len(got), len(want))
	}
	for c, n := range want {
		if got[c] != n {
			t.Errorf("colour %08x: %d pixels, want %d", c, got[c], n)
		}
	}
}
