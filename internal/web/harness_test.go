package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/attach"
	"qifu/internal/demo"
	"qifu/internal/pgtest"
	"qifu/internal/platform"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	shared.close()
	os.Exit(code)
}

// site is a qifu server under test, on one store loaded with the demo dataset.
type site struct {
	st      *store.Store
	appeals *appealdb.Store
	mods    *platform.Modules
	srv     *httptest.Server
	url     string
	client  *http.Client
	// ents maps credit codes to enterprise IDs and users usernames to user
	// IDs, as the store numbered them.
	ents   map[string]int64
	users  map[string]int64
	logins *logins
	// files is the folder of attachments, in filesDir.
	files    *attach.Dir
	filesDir string
}

// logins are the sessions opened by site.login, one per user and store.
type logins struct {
	mu      sync.Mutex
	cookies map[string]*http.Cookie // username → session cookie
}

// eachStore runs fn against the shared server on SQLite and the one on
// PostgreSQL, in parallel subtests named after the store. The shared servers
// are loaded once for the whole package: a test using them works on its own
// users and records, so that it neither disturbs nor depends on the others,
// and top-level tests using them do not call t.Parallel.
func eachStore(t *testing.T, fn func(t *testing.T, s *site)) {
	t.Helper()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, shared.site(t, kind))
		})
	}
}

// eachFreshStore is eachStore on servers of the test's own, for a test that
// changes what other tests rely on.
func eachFreshStore(t *testing.T, fn func(t *testing.T, s *site)) {
	t.Helper()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			dsn := filepath.Join(t.TempDir(), "qifu.db")
			if kind == "postgres" {
				dsn = pgtest.DSN(t)
			}
			s := newSite(t, dsn)
			t.Cleanup(s.close)
			fn(t, s)
		})
	}
}

// shared holds the shared servers, built on first use and closed by TestMain.
var shared sharedSites

type sharedSites struct {
	mu    sync.Mutex
	sites map[string]*site
	dirs  []string
}

func (sh *sharedSites) site(t *testing.T, kind string) *site {
	t.Helper()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if s, ok := sh.sites[kind]; ok {
		return s
	}
	var dsn string
	if kind == "postgres" {
		dsn = pgtest.DSN(outliving{t})
	} else {
		dir, err := os.MkdirTemp("", "qifu-web-test-")
		if err != nil {
			t.Fatal(err)
		}
		sh.dirs = append(sh.dirs, dir)
		dsn = filepath.Join(dir, "qifu.db")
	}
	s := newSite(t, dsn)
	if sh.sites == nil {
		sh.sites = map[string]*site{}
	}
	sh.sites[kind] = s
	return s
}

func (sh *sharedSites) close() {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for _, s := range sh.sites {
		s.close()
	}
	for _, d := range sh.dirs {
		os.RemoveAll(d)
	}
}

// outliving is the test that creates a shared PostgreSQL database, with its
// clean-up dropped: the database lives until pgtest.Main stops the cluster.
type outliving struct{ testing.TB }

func (outliving) Cleanup(func()) {}

// newSite opens, migrates and loads the store at dsn and serves it with the
// default configuration; the caller closes it. The store's clock is now,
// when given (a test that moves the site's clock), else the time.
func newSite(t *testing.T, dsn string, now ...func() time.Time) *site {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	opts := store.Options{DSN: dsn, Logger: log, ReadConns: 4}
	if len(now) > 0 {
		opts.Now = now[0]
	}
	st, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	mods := platform.Build(st, platform.Options{})
	appeals := mods.Appeals
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		t.Fatalf("migrate: %v", err)
	}
	if err := st.LoadDemo(ctx, dataset); err != nil {
		st.Close()
		t.Fatalf("load demo: %v", err)
	}
	filesDir, err := os.MkdirTemp("", "qifu-web-files-")
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	files, err := attach.Open(filesDir)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	// A demo deployment: the demo's published password is accepted as it is.
	// The access matrix sends hundreds of refusals an account a minute: the
	// denial budget is lifted here and tested on its own (TestDenialBudget).
	var demoAccounts []DemoAccount
	for _, u := range dataset.Accounts() {
		demoAccounts = append(demoAccounts, DemoAccount{Username: u.Username, Role: u.Role})
	}
	h, err := New(mods, log, Config{Files: files, DemoAccounts: demoAccounts, DenialBudget: 1 << 30})
	if err != nil {
		st.Close()
		t.Fatalf("web.New: %v", err)
	}
	srv := httptest.NewServer(h)
	s := &site{st: st, mods: mods, appeals: appeals, srv: srv, url: srv.URL, files: files, filesDir: filesDir, ents: map[string]int64{}, users: map[string]int64{},
		logins: &logins{cookies: map[string]*http.Cookie{}},
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}

	// The numbering of records is the store's: read it once, as the system.
	sys := access.System("test")
	for page := 1; ; page++ {
		list, total, err := st.Enterprises(ctx, sys, store.EnterpriseQuery{Page: store.Page{Number: page, Size: store.MaxPageSize}})
		if err != nil {
			t.Fatalf("enterprises: %v", err)
		}
		for _, e := range list {
			s.ents[e.CreditCode] = e.ID
		}
		if len(s.ents) >= total || len(list) == 0 {
			break
		}
	}
	for page := 1; ; page++ {
		list, total, err := st.Users(ctx, sys, store.UserQuery{Page: store.Page{Number: page, Size: store.MaxPageSize}})
		if err != nil {
			t.Fatalf("users: %v", err)
		}
		for _, u := range list {
			s.users[u.Username] = u.ID
		}
		if len(s.users) >= total || len(list) == 0 {
			break
		}
	}
	if len(s.ents) != len(dataset.Enterprises) || len(s.users) != len(dataset.Users) {
		t.Fatalf("store holds %d enterprises and %d users, the dataset %d and %d",
			len(s.ents), len(s.users), len(dataset.Enterprises), len(dataset.Users))
	}
	return s
}

func (s *site) close() {
	s.srv.Close()
	s.st.Close()
	os.RemoveAll(s.filesDir)
}

// with returns the site served with cfg instead of the defaults: the same
// store, sessions and attachments behind another server, closed when the
// test ends.
func (s *site) with(t *testing.T, cfg Config) *site {
	t.Helper()
	if cfg.Files == nil {
		cfg.Files = s.files
	}
	h, err := New(s.mods, slog.New(slog.DiscardHandler), cfg)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := *s
	c.srv, c.url = srv, srv.URL
	return &c
}

// entID returns the store ID of the enterprise with credit code code.
func (s *site) entID(t testing.TB, code string) int64 {
	t.Helper()
	id, ok := s.ents[code]
	if !ok {
		t.Fatalf("no enterprise %s in the store", code)
	}
	return id
}

// userID returns the store ID of the user named username.
func (s *site) userID(t testing.TB, username string) int64 {
	t.Helper()
	id, ok := s.users[username]
	if !ok {
		t.Fatalf("no user %s in the store", username)
	}
	return id
}

// login signs username in once through the API and returns the session
// cookie; later calls return the same cookie.
func (s *site) login(t testing.TB, username string) *http.Cookie {
	t.Helper()
	s.logins.mu.Lock()
	c, ok := s.logins.cookies[username]
	s.logins.mu.Unlock()
	if ok {
		return c
	}
	c = s.freshLogin(t, username, demo.Password)
	s.logins.mu.Lock()
	s.logins.cookies[username] = c
	s.logins.mu.Unlock()
	return c
}

// freshLogin opens a new session for username.
func (s *site) freshLogin(t testing.TB, username, password string) *http.Cookie {
	t.Helper()
	res := s.call(t, "POST", "/api/v1/login", nil, jsonBody(map[string]string{"username": username, "password": password}))
	if res.code != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, res.code, res.body)
	}
	c := res.cookie(core.SessionCookie)
	if c == nil || c.Value == "" {
		t.Fatalf("login %s: no session cookie", username)
	}
	return c
}

// body is a request body with its content type.
type body struct {
	ctype string
	data  []byte
}

func jsonBody(v any) *body {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return &body{"application/json", b}
}

func formBody(v url.Values) *body {
	return &body{"application/x-www-form-urlencoded", []byte(v.Encode())}
}

// multipartBody is a form with a workbook in the field "file" and the
// other fields given, before it.
func multipartBody(file []byte, fields map[string]string) *body {
	return multipartOrdered(file, fields, false)
}

// multipartOrdered is multipartBody with the file first when fileFirst.
func multipartOrdered(file []byte, fields map[string]string, fileFirst bool) *body {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	writeFields := func() {
		for k, v := range fields {
			w.WriteField(k, v)
		}
	}
	if !fileFirst {
		writeFields()
	}
	if file != nil {
		fw, err := w.CreateFormFile("file", "enterprises.xlsx")
		if err != nil {
			panic(err)
		}
		fw.Write(file)
	}
	if fileFirst {
		writeFields()
	}
	w.Close()
	return &body{w.FormDataContentType(), buf.Bytes()}
}

// result is a finished exchange.
type result struct {
	code   int
	header http.Header
	body   []byte
	res    *http.Response
}

func (r result) cookie(name string) *http.Cookie {
	for _, c := range r.res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// json decodes the body into v, failing the test when it is not JSON.
func (r result) json(t testing.TB, v any) {
	t.Helper()
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("answer is %q, not JSON: %.300s", r.header.Get("Content-Type"), r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %.300s: %v", r.body, err)
	}
}

// errorCode returns the code of an API error answer.
func (r result) errorCode(t testing.TB) string {
	t.Helper()
	var e core.ErrorBody
	r.json(t, &e)
	return e.Error.Code
}

// call sends a request with the cookie (nil: none) and body (nil: none);
// header adds or overrides request headers in pairs.
func (s *site) call(t testing.TB, method, path string, cookie *http.Cookie, b *body, header ...string) result {
	t.Helper()
	var rd io.Reader
	if b != nil {
		rd = bytes.NewReader(b.data)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if b != nil {
		req.Header.Set("Content-Type", b.ctype)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, path, err)
	}
	out := result{code: res.StatusCode, header: res.Header, body: data, res: res}
	var sent []byte
	if b != nil {
		sent = b.data
	}
	checkExchange(t, method, path, req.Header, sent, out)
	return out
}

// as sends a request as the signed-in user username.
func (s *site) as(t testing.TB, username, method, path string, b *body, header ...string) result {
	t.Helper()
	return s.call(t, method, path, s.login(t, username), b, header...)
}

// apiEnterprise reads one enterprise through the API as username.
func (s *site) apiEnterprise(t testing.TB, username string, id int64) enterpriseJSON {
	t.Helper()
	res := s.as(t, username, "GET", fmt.Sprintf("/api/v1/enterprises/%d", id), nil)
	if res.code != http.StatusOK {
		t.Fatalf("GET enterprise %d as %s: %d %s", id, username, res.code, res.body)
	}
	var e enterpriseJSON
	res.json(t, &e)
	return e
}

// listCodes pages through GET /api/v1/enterprises (query q, may be empty)
// as username and returns the credit codes seen, failing on a repeat.
func (s *site) listCodes(t testing.TB, username, q string) map[string]enterpriseJSON {
	t.Helper()
	seen := map[string]enterpriseJSON{}
	for page := 1; ; page++ {
		res := s.as(t, username, "GET", fmt.Sprintf("/api/v1/enterprises?size=200&page=%d&%s", page, q), nil)
		if res.code != http.StatusOK {
			t.Fatalf("list as %s: %d %s", username, res.code, res.body)
		}
		var l core.List[enterpriseJSON]
		res.json(t, &l)
		for _, e := range l.Items {
			if _, dup := seen[e.CreditCode]; dup {
				t.Fatalf("list as %s: %s on two pages", username, e.CreditCode)
			}
			seen[e.CreditCode] = e
		}
		if len(l.Items) < 200 {
			if len(seen) != l.Total {
				t.Fatalf("list as %s: total %d, but %d items on the pages", username, l.Total, len(seen))
			}
			return seen
		}
	}
}

// auditTotal is the number of audit entries matching the query q, read by
// the auditor.
func (s *site) auditTotal(t testing.TB, q string) int {
	t.Helper()
	res := s.as(t, "auditor", "GET", "/api/v1/audit?size=1&"+q, nil)
	if res.code != http.StatusOK {
		t.Fatalf("audit: %d %s", res.code, res.body)
	}
	var l core.List[auditJSON]
	res.json(t, &l)
	return l.Total
}

// auditEntries returns the audit entries matching q, newest first (one page of 200).
func (s *site) auditEntries(t testing.TB, q string) []auditJSON {
	t.Helper()
	res := s.as(t, "auditor", "GET", "/api/v1/audit?size=200&"+q, nil)
	if res.code != http.StatusOK {
		t.Fatalf("audit: %d %s", res.code, res.body)
	}
	var l core.List[auditJSON]
	res.json(t, &l)
	return l.Items
}

// sameSet reports the differences between two sets of strings.
func sameSet[V any, W any](t testing.TB, what string, got map[string]V, want map[string]W) {
	t.Helper()
	var extra, missing []string
	for k := range got {
		if _, ok := want[k]; !ok {
			extra = append(extra, k)
		}
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(extra) > 0 || len(missing) > 0 {
		t.Errorf("%s: %d seen, %d expected; %d unexpected %v, %d missing %v",
			what, len(got), len(want), len(extra), extra[:min(len(extra), 3)], len(missing), missing[:min(len(missing), 3)])
	}
}

// translate is the site catalog's text of key in lang.
func translate(lang, key string) string {
	text, err := catalog()
	if err != nil {
		panic(err)
	}
	return text.T(lang, key)
}
