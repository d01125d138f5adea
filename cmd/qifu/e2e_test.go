package main

// End-to-end tests start the real program through run, on a random port,
// with a fresh store (SQLite in a temporary directory, and PostgreSQL through
// pgtest where it can be started), and talk to it over HTTP and through its
// subcommands, as people and scripts do. This file holds what they share;
// serve_test.go walks the running server, commands_test.go the subcommands
// that work on a store, browser_test.go the pages in a real browser.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/pgtest"
	"qifu/internal/sheet"
	"qifu/internal/store"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// showcaseGrid is the grid of the demo grid worker "grid".
const showcaseGrid = "330206001001001"

// demoData is the dataset `qifu serve --demo` loads.
var demoData = sync.OnceValue(func() demo.Dataset { return demo.Generate(1) })

// noEnv is the environment of every run: empty, so that QIFU_* variables of
// the shell running the tests cannot change what they see.
func noEnv(string) string { return "" }

// syncBuffer is a bytes.Buffer that the program may write while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// qifu runs one command to its end, as `qifu args…` with stdin, and returns
// what it printed.
func qifu(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err = run(ctx, args, noEnv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// mustQifu is qifu for a command that must succeed.
func mustQifu(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := qifu(t, stdin, args...)
	if err != nil {
		t.Fatalf("qifu %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// sqliteDB returns the path of a new SQLite store in the test's temporary directory.
func sqliteDB(t *testing.T) string { return filepath.Join(t.TempDir(), "qifu.db") }

// eachStore runs fn as parallel subtests on a fresh SQLite store and a fresh
// PostgreSQL database (skipped, loudly, when PostgreSQL is not installed,
// unless CI=true).
func eachStore(t *testing.T, fn func(t *testing.T, db string)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, sqliteDB(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, pgtest.DSN(t))
	})
}

// server is a `qifu serve --demo` started by run for one test.
type server struct {
	URL    string // http://127.0.0.1:port
	Store  string // the dialect it reported: sqlite or postgres
	DB     string
	Stdout *syncBuffer
	Stderr *syncBuffer

	cancel   context.CancelFunc
	done     chan error // run's result
	stopOnce sync.Once
	stopErr  error
}

var listeningRE = regexp.MustCompile(`listening on (http://\S+) \(store: (\w+)\)`)

// startServer starts `qifu serve --addr 127.0.0.1:0 --db db --demo` and
// returns once it listens and answers /healthz. The server stops when the
// test ends, and the test fails if run then returns an error.
func startServer(t *testing.T, db string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{DB: db, Stdout: &syncBuffer{}, Stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--demo", "--demo-appeals", "60"}
	go func() { s.done <- run(ctx, args, noEnv, strings.NewReader(""), s.Stdout, s.Stderr) }()
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("qifu serve: %v", err)
		}
		if t.Failed() {
			t.Logf("qifu serve stdout:\n%s\nstderr:\n%s", s.Stdout, s.Stderr)
		}
	})

	// The demo loads in about ten seconds on a quiet machine and has taken
	// over a minute under CI's other packages: the bound is for a hang.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if m := listeningRE.FindStringSubmatch(s.Stdout.String()); m != nil {
			s.URL, s.Store = m[1], m[2]
			break
		}
		select {
		case err := <-s.done:
			s.done <- err // for stop
			t.Fatalf("qifu serve ended before listening: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("qifu serve did not print its listening line within three minutes")
		}
	}
	for {
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /healthz never answered 200: last error %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop cancels the server's context and returns what run returned.
func (s *server) stop() error {
	s.stopOnce.Do(func() {
		s.cancel()
		select {
		case s.stopErr = <-s.done:
		case <-time.After(40 * time.Second):
			s.stopErr = errors.New("run did not return within 40 s of the cancel")
		}
	})
	return s.stopErr
}

// newClient returns an HTTP client with its own cookie jar and connections:
// one user at one browser. It does not follow redirects.
func newClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{ExpectContinueTimeout: 30 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Jar: jar, Transport: tr, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// send sends a request with a JSON body (when in is not nil) and decodes a
// JSON answer into out (when not nil). It returns the status and the body.
// It does not fail the test, so goroutines may call it.
func send(c *http.Client, method, url string, in, out any) (int, []byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return 0, nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, b, fmt.Errorf("%s %s: decode %q: %w", method, url, b, err)
		}
	}
	return resp.StatusCode, b, nil
}

// call is send for the test's own goroutine: it fails the test on a
// transport error and returns the status.
func call(t *testing.T, c *http.Client, method, url string, in, out any) int {
	t.Helper()
	code, _, err := send(c, method, url, in, out)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return code
}

// login signs in through the API with a new client and returns it with the
// status of the answer.
func login(t *testing.T, srv *server, username, password string) (*http.Client, int) {
	t.Helper()
	c := newClient(t)
	code := call(t, c, "POST", srv.URL+"/api/v1/login", map[string]string{"username": username, "password": password}, nil)
	return c, code
}

// mustLogin is login for a user who must get in.
func mustLogin(t *testing.T, srv *server, username, password string) *http.Client {
	t.Helper()
	c, code := login(t, srv, username, password)
	if code != http.StatusOK {
		t.Fatalf("login as %s: status %d; want 200", username, code)
	}
	return c
}

// me is the part of GET /api/v1/me the tests read.
type me struct {
	Name       string `json:"name"`
	Role       string `json:"role"`
	RegionCode string `json:"region_code"`
}

// demoCodes are the credit codes of the demo's enterprises.
var demoCodes = sync.OnceValue(func() map[string]bool {
	codes := map[string]bool{}
	for _, e := range demoData().Enterprises {
		codes[e.CreditCode] = true
	}
	return codes
})

// newEnterprise returns a valid enterprise in the showcase grid, distinct for
// each n, with a credit code the demo does not use. It does not fail the
// test, so goroutines may call it.
func newEnterprise(n int) (enterprise.Enterprise, error) {
	first17 := fmt.Sprintf("91%sTE%07d", demo.DistrictCode, n)
	c, ok := enterprise.CheckChar(first17)
	if !ok {
		return enterprise.Enterprise{}, fmt.Errorf("no check character for %s", first17)
	}
	code := first17 + string(c)
	if demoCodes()[code] {
		return enterprise.Enterprise{}, fmt.Errorf("credit code %s is taken by the demo", code)
	}
	return enterprise.Enterprise{
		CreditCode: code, Name: fmt.Sprintf("宁波北仑端到端%04d模具有限公司", n),
		LegalRep: "王端", Contact: "李到", Phone: fmt.Sprintf("139%08d", n), Address: "北仑区明州路 1 号",
		GridCode: showcaseGrid, Industry: "34", Employees: 12, Revenue: 3_000_000,
	}, nil
}

// mustEnterprise is newEnterprise for the test's own goroutine.
func mustEnterprise(t *testing.T, n int) enterprise.Enterprise {
	t.Helper()
	e, err := newEnterprise(n)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// enterpriseBody is the JSON of POST /api/v1/enterprises for e.
func enterpriseBody(e enterprise.Enterprise) map[string]any {
	return map[string]any{"credit_code": e.CreditCode, "name": e.Name, "legal_rep": e.LegalRep, "contact": e.Contact,
		"phone": e.Phone, "address": e.Address, "grid_code": e.GridCode, "industry": e.Industry,
		"employees": e.Employees, "revenue_yuan": e.Revenue}
}

// workbook writes list as an .xlsx and returns its bytes.
func workbook(t *testing.T, list []enterprise.Enterprise) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := sheet.WriteEnterprises(&b, list); err != nil {
		t.Fatalf("write workbook: %v", err)
	}
	return b.Bytes()
}

// writeWorkbook writes list as an .xlsx file in the test's temporary directory.
func writeWorkbook(t *testing.T, name string, list []enterprise.Enterprise) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, workbook(t, list), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readWorkbook reads the enterprise rows of an .xlsx file.
func readWorkbook(t *testing.T, path string) []sheet.Row {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := sheet.ReadEnterprises(f, 0)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return rows
}

// openTestStore opens a store the way a tool would, to look at what the program left.
func openTestStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("open store %s: %v", dsn, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// storedCodes returns the credit codes of every enterprise in st.
func storedCodes(t *testing.T, st *store.Store) map[string]bool {
	t.Helper()
	codes := map[string]bool{}
	for page := 1; ; page++ {
		list, total, err := st.Enterprises(context.Background(), access.System("test"),
			store.EnterpriseQuery{Page: store.Page{Number: page, Size: store.MaxPageSize}})
		if err != nil {
			t.Fatalf("list enterprises: %v", err)
		}
		for _, e := range list {
			codes[e.CreditCode] = true
		}
		if len(list) == 0 || len(codes) >= total {
			return codes
		}
	}
}

// urlHost is the host:port of a URL.
func urlHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
