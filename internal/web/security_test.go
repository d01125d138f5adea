package web

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/sheet"
	"qifu/internal/web/core"
)

// hostile are the headers of a request another site makes a browser send:
// a cross-site fetch, and an old browser's foreign Origin.
var hostile = [][]string{
	{"Sec-Fetch-Site", "cross-site"},
	{"Origin", "https://evil.example"},
}

var sameOrigin = []string{"Sec-Fetch-Site", "same-origin"}

// TestCSRF checks that POSTs another site makes a browser send are refused
// and change nothing, while the same requests from the site itself pass.
func TestCSRF(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		refused := func(t *testing.T, what string, res result) {
			t.Helper()
			if res.code != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", what, res.code)
			} else if strings.Contains(what, " /api/") {
				if code := res.errorCode(t); code != "cross_origin" {
					t.Errorf("%s: error code %q, want cross_origin", what, code)
				}
			} else if !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
				t.Errorf("%s: refused without a page", what)
			}
			if c := res.cookie(core.SessionCookie); c != nil {
				t.Errorf("%s: refused but set the session cookie", what)
			}
		}

		t.Run("login", func(t *testing.T) {
			form := formBody(url.Values{"username": {"finance"}, "password": {demo.Password}})
			logins := s.auditTotal(t, "action=login&target=user/finance")
			for _, h := range hostile {
				refused(t, "POST /login "+h[0], s.call(t, "POST", "/login", nil, form, h...))
			}
			if n := s.auditTotal(t, "action=login&target=user/finance"); n != logins {
				t.Errorf("refused sign-ins were attempted: %d audit entries", n-logins)
			}
			res := s.call(t, "POST", "/login", nil, form, sameOrigin...)
			if res.code != http.StatusSeeOther || res.cookie(core.SessionCookie) == nil {
				t.Errorf("same-origin POST /login: %d, cookie %v", res.code, res.cookie(core.SessionCookie))
			}
		})

		t.Run("logout", func(t *testing.T) {
			c := s.freshLogin(t, "finance", demo.Password)
			for _, h := range hostile {
				refused(t, "POST /logout "+h[0], s.call(t, "POST", "/logout", c, nil, h...))
			}
			if res := s.call(t, "GET", "/api/v1/me", c, nil); res.code != http.StatusOK {
				t.Errorf("after refused sign-outs the session answers %d", res.code)
			}
			if res := s.call(t, "POST", "/logout", c, nil, sameOrigin...); res.code != http.StatusSeeOther {
				t.Errorf("same-origin POST /logout: %d", res.code)
			}
			if res := s.call(t, "GET", "/api/v1/me", c, nil); res.code != http.StatusUnauthorized {
				t.Errorf("after signing out the session answers %d", res.code)
			}
		})

		t.Run("enterprise", func(t *testing.T) {
			id := s.entID(t, dataset.Enterprises[len(dataset.Enterprises)-1].CreditCode)
			path := fmt.Sprintf("/enterprises/%d", id)
			before := s.apiEnterprise(t, "admin", id)
			change := inputOf(before)
			change.Name += "（已改名）"
			for _, h := range hostile {
				refused(t, "POST "+path+" "+h[0], s.as(t, "admin", "POST", path, formBody(formOf(change)), h...))
			}
			if e := s.apiEnterprise(t, "admin", id); e.Version != before.Version || e.Name != before.Name {
				t.Errorf("refused update changed the enterprise: version %d → %d", before.Version, e.Version)
			}
			if res := s.as(t, "admin", "POST", path, formBody(formOf(change)), sameOrigin...); res.code != http.StatusSeeOther {
				t.Errorf("same-origin POST %s: %d %.200s", path, res.code, res.body)
			}
			if e := s.apiEnterprise(t, "admin", id); e.Version != before.Version+1 || e.Name != change.Name {
				t.Errorf("same-origin update: version %d name %q", e.Version, e.Name)
			}
		})

		t.Run("token", func(t *testing.T) {
			count := func() int {
				var l struct{ Items []tokenJSON }
				s.as(t, "admin", "GET", "/api/v1/tokens", nil).json(t, &l)
				return len(l.Items)
			}
			before := count()
			b := jsonBody(map[string]string{"name": "csrf"})
			for _, h := range hostile {
				refused(t, "POST /api/v1/tokens "+h[0], s.as(t, "admin", "POST", "/api/v1/tokens", b, h...))
			}
			if n := count(); n != before {
				t.Errorf("refused requests created %d tokens", n-before)
			}
			if res := s.as(t, "admin", "POST", "/api/v1/tokens", b, sameOrigin...); res.code != http.StatusCreated {
				t.Errorf("same-origin POST /api/v1/tokens: %d", res.code)
			}
			if n := count(); n != before+1 {
				t.Errorf("same-origin request created %d tokens, want 1", n-before)
			}
		})

		t.Run("reads", func(t *testing.T) {
			// Reading is safe: a cross-site GET is answered.
			if res := s.as(t, "admin", "GET", "/api/v1/me", nil, hostile[0]...); res.code != http.StatusOK {
				t.Errorf("cross-site GET /api/v1/me: %d", res.code)
			}
		})
	})
}

// deptUsers are department staff the other tests do not use: not the
// showcase departments, nor those the appeal tests dispatch to.
func deptUsers() []string {
	used := map[string]bool{"dept_tax": true, "dept_market": true, "dept_hrss": true, "dept_union": true}
	var names []string
	for _, u := range dataset.Users {
		if u.Role == access.RoleDepartment && !used[u.Username] {
			names = append(names, u.Username)
		}
	}
	return names
}

// lockRuns counts the runs of TestLockout's subtests.
var lockRuns atomic.Int64

// TestLockout checks over HTTP that five wrong passwords lock an account,
// so that even the right one is then refused, and that the audit log has
// every failed attempt.
func TestLockout(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		// Each run locks accounts of its own, so the test can run again on
		// the shared stores (-count).
		all := deptUsers()
		n := int(lockRuns.Add(1))
		if 3*n > len(all) {
			t.Skip("no unlocked department accounts left for another run")
		}
		users := all[3*(n-1) : 3*n]
		results := func(username string) map[string]int {
			n := map[string]int{}
			for _, e := range s.auditEntries(t, "action=login&target=user/"+username) {
				n[e.Result]++
			}
			return n
		}

		t.Run("api", func(t *testing.T) {
			name := users[0]
			try := func(password string) result {
				return s.call(t, "POST", "/api/v1/login", nil, jsonBody(map[string]string{"username": name, "password": password}))
			}
			for i := 1; i <= 5; i++ {
				res := try("Wrong@2026")
				want, code := http.StatusUnauthorized, "bad_credentials"
				if i == 5 {
					want, code = http.StatusLocked, "locked"
				}
				if res.code != want || res.errorCode(t) != code {
					t.Errorf("wrong password %d: %d %s, want %d %s", i, res.code, res.body, want, code)
				}
			}
			res := try(demo.Password)
			if res.code != http.StatusLocked || res.errorCode(t) != "locked" || res.cookie(core.SessionCookie) != nil {
				t.Errorf("right password when locked: %d %s", res.code, res.body)
			}
			if n := results(name); n["failed"] != 5 || n["denied"] != 1 || n["ok"] != 0 {
				t.Errorf("audit of %s's sign-ins: %v, want 5 failed and 1 denied", name, n)
			}
			if res := try("Wrong@2026"); res.code != http.StatusLocked {
				t.Errorf("wrong password when locked: %d", res.code)
			}
			// Others are not locked out with them.
			s.freshLogin(t, users[2], demo.Password)
		})

		t.Run("page", func(t *testing.T) {
			name := users[1]
			try := func(password, lang string) result {
				return s.call(t, "POST", "/login", nil, formBody(url.Values{"username": {name}, "password": {password}}),
					"Cookie", core.LangCookie+"="+lang)
			}
			for i := 1; i <= 5; i++ {
				res := try("Wrong@2026", "zh")
				want, msg := http.StatusUnauthorized, "用户名或密码错误"
				if i == 5 {
					want, msg = http.StatusLocked, "账号已锁定"
				}
				if res.code != want || !bytes.Contains(res.body, []byte(msg)) {
					t.Errorf("wrong password %d: %d, want %d with %q", i, res.code, want, msg)
				}
			}
			for lang, msg := range map[string]string{"zh": "账号已锁定", "en": "locked"} {
				res := try(demo.Password, lang)
				if res.code != http.StatusLocked || !bytes.Contains(res.body, []byte(msg)) || res.cookie(core.SessionCookie) != nil {
					t.Errorf("right password when locked (%s): %d, want 423 with %q and no session", lang, res.code, msg)
				}
			}
			if n := results(name); n["failed"] != 5 || n["denied"] != 2 || n["ok"] != 0 {
				t.Errorf("audit of %s's sign-ins: %v, want 5 failed and 2 denied", name, n)
			}
		})
	})
}

// TestSecurityHeaders checks the headers every answer carries and the
// flags of the cookies qifu sets.
func TestSecurityHeaders(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		checkHeaders := func(what string, res result) {
			t.Helper()
			h := res.header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s: CSP %q lacks %q", what, csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: CSP %q allows inline code", what, csp)
			}
			for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
				"Referrer-Policy": "same-origin", "Cross-Origin-Opener-Policy": "same-origin"} {
				if got := h.Get(name); got != want {
					t.Errorf("%s: %s %q, want %q", what, name, got, want)
				}
			}
			if strings.HasPrefix(h.Get("Content-Type"), "text/html") && h.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: a page with Cache-Control %q, want no-store", what, h.Get("Cache-Control"))
			}
		}
		checkHeaders("GET /login", s.call(t, "GET", "/login", nil, nil))
		checkHeaders("GET /enterprises", s.as(t, "admin", "GET", "/enterprises", nil))
		checkHeaders("GET /api/v1/me", s.as(t, "admin", "GET", "/api/v1/me", nil))
		checkHeaders("GET /static/app.css", s.call(t, "GET", "/static/app.css", nil, nil))
		checkHeaders("404 page", s.as(t, "admin", "GET", "/enterprises/999999999", nil))
		checkHeaders("401 API", s.call(t, "GET", "/api/v1/me", nil, nil))
		checkHeaders("403 cross-site", s.call(t, "POST", "/login", nil, nil, hostile[0]...))
		checkHeaders("unknown path", s.call(t, "GET", "/no/such/page", nil, nil))

		// checkCookie checks the Set-Cookie of name in res.
		checkCookie := func(what string, res result, name string, secure bool) {
			t.Helper()
			var raw string
			for _, v := range res.header.Values("Set-Cookie") {
				if strings.HasPrefix(v, name+"=") {
					raw = v
				}
			}
			if raw == "" {
				t.Errorf("%s: no %s cookie set", what, name)
				return
			}
			for _, want := range []string{"; Path=/", "; HttpOnly", "; SameSite=Lax"} {
				if !strings.Contains(raw, want) {
					t.Errorf("%s: cookie %q lacks %q", what, raw, want)
				}
			}
			if strings.Contains(raw, "; Secure") != secure {
				t.Errorf("%s: cookie %q, want Secure %v", what, raw, secure)
			}
		}
		page := s.call(t, "POST", "/login", nil, formBody(url.Values{"username": {"lawyer"}, "password": {demo.Password}}))
		checkCookie("page sign-in", page, core.SessionCookie, false)
		api := s.call(t, "POST", "/api/v1/login", nil, jsonBody(map[string]string{"username": "lawyer", "password": demo.Password}))
		checkCookie("API sign-in", api, core.SessionCookie, false)
		checkCookie("language", s.call(t, "POST", "/lang", nil, formBody(url.Values{"lang": {"en"}})), core.LangCookie, false)
		out := s.call(t, "POST", "/logout", page.cookie(core.SessionCookie), nil)
		checkCookie("sign-out", out, core.SessionCookie, false)
		if c := out.cookie(core.SessionCookie); c == nil || c.MaxAge >= 0 || c.Value != "" {
			t.Errorf("sign-out does not clear the session cookie: %v", c)
		}

		// Behind TLS with secure cookies: Secure, and HSTS.
		h, err := New(s.mods, slog.New(slog.DiscardHandler), Config{SecureCookies: true})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewTLSServer(h)
		defer srv.Close()
		tlsSite := *s
		tlsSite.url, tlsSite.client = srv.URL, srv.Client()
		tlsSite.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		res := tlsSite.call(t, "POST", "/login", nil, formBody(url.Values{"username": {"lawyer"}, "password": {demo.Password}}))
		checkCookie("TLS sign-in", res, core.SessionCookie, true)
		checkCookie("TLS language", tlsSite.call(t, "POST", "/lang", nil, formBody(url.Values{"lang": {"en"}})), core.LangCookie, true)
		if hsts := res.header.Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=") {
			t.Errorf("TLS answer with Strict-Transport-Security %q", hsts)
		}
		if hsts := s.call(t, "GET", "/login", nil, nil).header.Get("Strict-Transport-Security"); hsts != "" {
			t.Errorf("plain HTTP answer with Strict-Transport-Security %q", hsts)
		}
	})
}

// TestLimits checks that oversized bodies and uploads are refused with 413,
// and that an enterprise update is refused with 422 when it names a field a
// client may not set or lacks the version.
func TestLimits(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		cfg := Config{MaxBody: 4 << 10, MaxUpload: 64 << 10, MaxImportRows: 1}
		lim := s.with(t, cfg)
		id := s.entID(t, dataset.Enterprises[len(dataset.Enterprises)-2].CreditCode)
		path := fmt.Sprintf("/api/v1/enterprises/%d", id)
		before := s.apiEnterprise(t, "admin", id)
		big := inputOf(before)
		big.Address = strings.Repeat("长", int(cfg.MaxBody))

		tooLarge := func(what string, res result) {
			t.Helper()
			if res.code != http.StatusRequestEntityTooLarge {
				t.Errorf("%s: %d %.200s, want 413", what, res.code, res.body)
			} else if strings.Contains(what, "/api/") && res.errorCode(t) != "too_large" {
				t.Errorf("%s: error code %q, want too_large", what, res.errorCode(t))
			}
		}
		tooLarge("PUT "+path+" (length known)", lim.as(t, "admin", "PUT", path, jsonBody(big)))
		tooLarge("PUT "+path+" (chunked)", lim.chunked(t, "admin", "PUT", path, jsonBody(big)))
		tooLarge("POST /api/v1/tokens (chunked)", lim.chunked(t, "admin", "POST", "/api/v1/tokens",
			&body{"application/json", []byte(`{"name":"` + strings.Repeat("x", int(cfg.MaxBody)) + `"}`)}))
		tooLarge("POST /enterprises/{id} (page)", lim.as(t, "admin", "POST", fmt.Sprintf("/enterprises/%d", id), formBody(formOf(big))))
		tooLarge("POST /api/v1/enterprises/import", lim.as(t, "admin", "POST", "/api/v1/enterprises/import",
			multipartBody(bytes.Repeat([]byte("x"), int(cfg.MaxUpload)), nil)))

		// An upload may be larger than a body, but not hold too many rows.
		var book bytes.Buffer
		a, b := newInput(showGrid), newInput(showGrid)
		a.Phone, b.Phone = "1", "2" // bad rows, so that nothing could be imported anyway
		if err := sheet.WriteEnterprises(&book, []enterprise.Enterprise{a.enterprise(), b.enterprise()}); err != nil {
			t.Fatal(err)
		}
		if res := lim.as(t, "admin", "POST", "/api/v1/enterprises/import", multipartBody(book.Bytes(), nil)); res.code != http.StatusUnprocessableEntity {
			t.Errorf("import of 2 rows with a limit of 1: %d %.200s, want 422", res.code, res.body)
		}

		// Fields a client may not set are refused, not ignored.
		current := inputOf(before)
		raw := jsonBody(current).data
		for _, field := range []string{`"size":"large"`, `"district_code":"330211"`, `"community_code":"330206001001"`,
			`"id":1`, `"created_at":"2020-01-01T00:00:00Z"`, `"code_unconfirmed":true`, `"no_such_field":1`} {
			withField := append(bytes.TrimSuffix(bytes.Clone(raw), []byte("}")), []byte(","+field+"}")...)
			res := s.as(t, "admin", "PUT", path, &body{"application/json", withField})
			if res.code != http.StatusUnprocessableEntity || res.errorCode(t) != "bad_json" {
				t.Errorf("PUT with %s: %d %.200s, want 422 bad_json", field, res.code, res.body)
			}
		}
		for what, b := range map[string]*body{
			"malformed JSON": {"application/json", []byte(`{"name":`)},
			"two objects":    {"application/json", append(bytes.Clone(raw), raw...)},
		} {
			if res := s.as(t, "admin", "PUT", path, b); res.code != http.StatusUnprocessableEntity {
				t.Errorf("PUT with %s: %d, want 422", what, res.code)
			}
		}
		noVersion := current
		noVersion.Version = 0
		res := s.as(t, "admin", "PUT", path, jsonBody(noVersion))
		var e core.ErrorBody
		res.json(t, &e)
		if res.code != http.StatusUnprocessableEntity || e.Error.Fields["version"] == "" {
			t.Errorf("PUT without version: %d %s, want 422 naming version", res.code, res.body)
		}
		if res := s.as(t, "admin", "POST", fmt.Sprintf("/enterprises/%d", id), formBody(formOf(noVersion))); res.code != http.StatusUnprocessableEntity {
			t.Errorf("POST /enterprises/%d without version: %d, want 422", id, res.code)
		}
		stale := current
		stale.Version += 5
		if res := s.as(t, "admin", "PUT", path, jsonBody(stale)); res.code != http.StatusConflict || res.errorCode(t) != "stale_version" {
			t.Errorf("PUT with a stale version: %d %s, want 409", res.code, res.body)
		}
		if e := s.apiEnterprise(t, "admin", id); e.Version != before.Version {
			t.Errorf("refused updates changed the enterprise: version %d → %d", before.Version, e.Version)
		}
		// The same update, well formed, passes.
		current.Employees++
		if res := s.as(t, "admin", "PUT", path, jsonBody(current)); res.code != http.StatusOK {
			t.Errorf("well-formed PUT: %d %s", res.code, res.body)
		}
	})
}

// chunked is as, with the body sent without a length.
func (s *site) chunked(t testing.TB, username, method, path string, b *body) result {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, io.MultiReader(bytes.NewReader(b.data)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", b.ctype)
	req.AddCookie(s.login(t, username))
	res, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if req.ContentLength > 0 {
		t.Fatalf("%s %s was sent with a length", method, path)
	}
	return result{code: res.StatusCode, header: res.Header, body: data, res: res}
}

// TestRedirectsStayOnSite checks that the pages that send people back where
// they came from (sign-in, language switch) never send them to another site.
func TestRedirectsStayOnSite(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		for next, want := range map[string]string{
			"/enterprises?page=2":  "/enterprises?page=2",
			"//evil.example":       "/",
			"/\\evil.example":      "/",
			"/\t/evil.example":     "/",
			"/\n/evil.example":     "/",
			"https://evil.example": "/",
			"":                     "/",
		} {
			res := s.call(t, "POST", "/lang", nil, formBody(url.Values{"lang": {"zh"}, "back": {next}}))
			if loc := res.header.Get("Location"); res.code != http.StatusSeeOther || loc != want {
				t.Errorf("POST /lang back=%q: %d to %q, want %q", next, res.code, loc, want)
			}
			if strings.Contains(next, "evil") {
				page := s.call(t, "GET", "/login?"+url.Values{"next": {next}}.Encode(), nil, nil)
				if !bytes.Contains(page.body, []byte(`name="next" value="/">`)) {
					t.Errorf("GET /login?next=%q keeps the target in the form", next)
				}
			}
		}
		// One sign-in, as a grid worker of the showcase community, for the
		// sign-in page's redirect.
		res := s.call(t, "POST", "/login", nil, formBody(url.Values{"username": {gridUsers(showCommunity)[1].Username},
			"password": {demo.Password}, "next": {"/\t/evil.example"}}))
		if loc := res.header.Get("Location"); res.code != http.StatusSeeOther || loc != "/" {
			t.Errorf("POST /login next=tab: %d to %q, want /", res.code, loc)
		}
	})
}
