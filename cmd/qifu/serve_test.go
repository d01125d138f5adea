package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/store"
)

// TestServe walks the operations endpoints and a sign-in on each store, then
// stops the server while a request is in flight.
func TestServe(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, db string) {
		srv := startServer(t, db)
		anon := newClient(t)
		wantDialect := "sqlite"
		if store.IsPostgres(db) {
			wantDialect = "postgres"
		}
		if srv.Store != wantDialect {
			t.Errorf("listening line names store %q; want %q", srv.Store, wantDialect)
		}
		out := srv.Stdout.String()
		if i := strings.Index(out, "  grid "); i < 0 || i > strings.Index(out, "listening on") {
			t.Errorf("stdout does not list the demo accounts before the listening line:\n%s", out)
		}
		// The listener answered from the start: the loading line came first.
		if i := strings.Index(out, "is loading the demo; watch it at http://"); i < 0 || i > strings.Index(out, "  grid ") {
			t.Errorf("stdout does not say the demo is loading, with the address, before anything else:\n%s", out)
		}

		t.Run("readyz", func(t *testing.T) {
			var got struct{ Status, Store string }
			if code := call(t, anon, "GET", srv.URL+"/readyz", nil, &got); code != http.StatusOK {
				t.Fatalf("GET /readyz: status %d; want 200", code)
			}
			if got.Status != "ready" || got.Store != wantDialect {
				t.Errorf("GET /readyz = %+v; want status ready, store %s", got, wantDialect)
			}
		})

		t.Run("metrics", func(t *testing.T) {
			code, body, err := send(anon, "GET", srv.URL+"/metrics", nil, nil)
			if err != nil || code != http.StatusOK {
				t.Fatalf("GET /metrics: status %d, %v", code, err)
			}
			text := string(body)
			if !strings.Contains(text, `qifu_http_requests_total{route="GET /healthz",status="200"}`) {
				t.Errorf("/metrics does not count the /healthz requests:\n%s", text)
			}
			want := fmt.Sprintf("qifu_records{kind=\"enterprises\"} %d\n", len(demoData().Enterprises))
			if !strings.Contains(text, want) {
				t.Errorf("/metrics lacks %q:\n%s", want, text)
			}
		})

		t.Run("login and me", func(t *testing.T) {
			if code := call(t, anon, "GET", srv.URL+"/api/v1/me", nil, nil); code != http.StatusUnauthorized {
				t.Errorf("GET /api/v1/me signed out: status %d; want 401", code)
			}
			if _, code := login(t, srv, "grid", "wrong-Password-1"); code != http.StatusUnauthorized {
				t.Errorf("login with a wrong password: status %d; want 401", code)
			}
			c := mustLogin(t, srv, "GRID ", demo.Password) // usernames are trimmed and case-folded
			var got me
			if code := call(t, c, "GET", srv.URL+"/api/v1/me", nil, &got); code != http.StatusOK {
				t.Fatalf("GET /api/v1/me: status %d; want 200", code)
			}
			if got.Role != string(access.RoleGridWorker) || got.RegionCode != showcaseGrid {
				t.Errorf("GET /api/v1/me = %+v; want the grid worker of %s", got, showcaseGrid)
			}
		})

		t.Run("graceful shutdown", func(t *testing.T) {
			gracefulShutdown(t, srv)
		})
	})
}

// gracefulShutdown cancels run's context while an import is in flight: the
// server stops taking connections, finishes the import with 200, and run
// returns nil.
//
// The request is made in flight deterministically: it asks for
// 100-continue and streams its body through a pipe, so the handler is known
// to be running (it asked for the body) and the body is sent only once the
// listener is closed.
func gracefulShutdown(t *testing.T, srv *server) {
	admin := mustLogin(t, srv, "admin", demo.Password)
	e := mustEnterprise(t, 9000)
	xlsx := workbook(t, []enterprise.Enterprise{e})

	pr, pw := io.Pipe()
	defer pw.Close()
	continued := make(chan struct{})
	trace := &httptrace.ClientTrace{Got100Continue: func() { close(continued) }}
	ctx := httptrace.WithClientTrace(context.Background(), trace)
	req, err := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/v1/enterprises/import", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	req.Header.Set("Expect", "100-continue")
	type answer struct {
		code int
		body []byte
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := admin.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answered <- answer{resp.StatusCode, b, err}
	}()

	select {
	case <-continued:
	case a := <-answered:
		t.Fatalf("the import answered before asking for its body: %d %s %v", a.code, a.body, a.err)
	case <-time.After(20 * time.Second):
		t.Fatal("the server never asked for the import's body (no 100 Continue)")
	}
	srv.cancel()
	host := urlHost(t, srv.URL)
	for deadline := time.Now().Add(20 * time.Second); ; {
		conn, err := net.DialTimeout("tcp", host, time.Second)
		if err != nil {
			break // the listener is closed: the server is shutting down
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still takes connections 20 s after the cancel")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := pw.Write(xlsx); err != nil {
		t.Fatalf("send the rest of the import: %v", err)
	}
	pw.Close()

	var a answer
	select {
	case a = <-answered:
	case <-time.After(30 * time.Second):
		t.Fatal("the import in flight never answered")
	}
	if a.err != nil || a.code != http.StatusOK {
		t.Fatalf("import in flight during shutdown: status %d, %v, body %s; want 200", a.code, a.err, a.body)
	}
	var res struct{ Created int }
	if err := json.Unmarshal(a.body, &res); err != nil || res.Created != 1 {
		t.Errorf("import in flight answered %s; want created 1", a.body)
	}
	if err := srv.stop(); err != nil {
		t.Fatalf("run returned %v after a graceful shutdown; want nil", err)
	}
	if !strings.Contains(srv.Stderr.String(), "stopped") {
		t.Errorf("the log does not say the server stopped:\n%s", srv.Stderr)
	}
	if !storedCodes(t, openTestStore(t, srv.DB))[e.CreditCode] {
		t.Errorf("the enterprise imported during shutdown is not in the store")
	}
}

// TestBackupWhileServing takes a backup with `qifu backup` while the server
// serves and a client keeps registering enterprises: the copy opens, its
// audit chain verifies, and it holds every enterprise registered before the
// backup began.
func TestBackupWhileServing(t *testing.T) {
	t.Parallel()
	srv := startServer(t, sqliteDB(t))
	grid := mustLogin(t, srv, "grid", demo.Password)

	var mu sync.Mutex
	var created []string // credit codes whose 201 has arrived
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(created)
	}
	stop := make(chan struct{})
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for n := 1; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			e, err := newEnterprise(n)
			if err != nil {
				t.Error(err)
				return
			}
			code, body, err := send(grid, "POST", srv.URL+"/api/v1/enterprises", enterpriseBody(e), nil)
			if err != nil || code != http.StatusCreated {
				t.Errorf("register enterprise %d: status %d, %v, %s", n, code, err, body)
				return
			}
			mu.Lock()
			created = append(created, e.CreditCode)
			mu.Unlock()
		}
	}()
	waitFor := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); count() < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				close(stop)
				<-writerDone
				t.Fatalf("only %d enterprises registered in 30 s; want %d", count(), n)
			}
		}
	}

	waitFor(5)
	mu.Lock()
	before := slices.Clone(created)
	mu.Unlock()
	to := filepath.Join(t.TempDir(), "backup.db")
	out := mustQifu(t, "", "backup", "--db", srv.DB, "--to", to)
	if !strings.Contains(out, "backup written to "+to) {
		t.Errorf("qifu backup printed %q", out)
	}
	waitFor(len(before) + 3) // the server kept serving writes
	close(stop)
	<-writerDone

	if _, _, err := qifu(t, "", "backup", "--db", srv.DB, "--to", to); err == nil {
		t.Error("qifu backup overwrote an existing file")
	}
	out = mustQifu(t, "", "audit", "verify", "--db", to)
	if !strings.HasPrefix(out, "audit chain intact: ") {
		t.Errorf("qifu audit verify on the backup printed %q", out)
	}
	st := openTestStore(t, to)
	if n, err := st.Pending(context.Background()); err != nil || n != 0 {
		t.Errorf("backup has %d pending migrations (%v); want 0", n, err)
	}
	codes := storedCodes(t, st)
	for _, c := range before {
		if !codes[c] {
			t.Errorf("backup lacks enterprise %s, registered before the backup began", c)
		}
	}
	if want := len(demoData().Enterprises) + len(before); len(codes) < want {
		t.Errorf("backup holds %d enterprises; want at least %d", len(codes), want)
	}
	t.Logf("%d enterprises registered before the backup, %d in it beyond the demo, %d in all",
		len(before), len(codes)-len(demoData().Enterprises), count())
}

// TestUserCommands adds a user with `qifu user add` while the server runs,
// then resets the password and disables the account, each taking effect on
// the running server at once.
func TestUserCommands(t *testing.T) {
	t.Parallel()
	srv := startServer(t, sqliteDB(t))
	user := func(stdin string, args ...string) string {
		t.Helper()
		return mustQifu(t, stdin, append(append([]string{"user"}, args...), "--db", srv.DB)...)
	}
	const first, second = "Maple-Ferry-Quiet-61", "Maple-Ferry-Quiet-62"

	out := user(first+"\n", "add", "--username", "zhangsan", "--name", "张三", "--role", "community_staff",
		"--region", demoUserRegion(t, "community"))
	if !strings.Contains(out, "user zhangsan created") {
		t.Errorf("qifu user add printed %q", out)
	}
	c := mustLogin(t, srv, "zhangsan", first)
	var got me
	if code := call(t, c, "GET", srv.URL+"/api/v1/me", nil, &got); code != http.StatusOK {
		t.Fatalf("GET /api/v1/me as the new user: status %d", code)
	}
	if got.Name != "张三" || got.Role != string(access.RoleCommunityStaff) {
		t.Errorf("GET /api/v1/me = %+v; want 张三, community_staff", got)
	}

	out = user(second+"\n", "reset", "--username", "zhangsan")
	if !strings.Contains(out, "sessions have ended") {
		t.Errorf("qifu user reset printed %q", out)
	}
	if code := call(t, c, "GET", srv.URL+"/api/v1/me", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("session after a password reset: status %d; want 401", code)
	}
	if _, code := login(t, srv, "zhangsan", first); code != http.StatusUnauthorized {
		t.Errorf("login with the old password: status %d; want 401", code)
	}
	c = mustLogin(t, srv, "zhangsan", second)

	user("", "disable", "--username", "zhangsan")
	if code := call(t, c, "GET", srv.URL+"/api/v1/me", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("session after disable: status %d; want 401", code)
	}
	if _, code := login(t, srv, "zhangsan", second); code != http.StatusUnauthorized {
		t.Errorf("login of a disabled user: status %d; want 401", code)
	}

	for _, tc := range []struct {
		name, stdin string
		args        []string
	}{
		{"weak password", "short\n", []string{"add", "--username", "lisi", "--name", "李四", "--role", "admin"}},
		{"taken username", first + "\n", []string{"add", "--username", "zhangsan", "--name", "张三", "--role", "admin"}},
		{"unknown role", first + "\n", []string{"add", "--username", "wangwu", "--name", "王五", "--role", "king"}},
		{"reset unknown user", first + "\n", []string{"reset", "--username", "nobody"}},
		{"no username", "", []string{"disable"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"user"}, tc.args...), "--db", srv.DB)
			if out, _, err := qifu(t, tc.stdin, args...); err == nil {
				t.Errorf("qifu %s succeeded: %q", strings.Join(args, " "), out)
			}
		})
	}
	if _, code := login(t, srv, "lisi", "short"); code == http.StatusOK {
		t.Error("a user with a weak password was created")
	}
}

// demoUserRegion returns the region code of a demo account.
func demoUserRegion(t *testing.T, username string) string {
	t.Helper()
	for _, u := range demoData().Users {
		if u.Username == username {
			return u.RegionCode
		}
	}
	t.Fatalf("no demo user %s", username)
	return ""
}
