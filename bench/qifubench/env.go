package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"qifu/bench/datagen"
	"qifu/bench/load"
	"qifu/internal/pgtest"
	"qifu/internal/store"
)

// env is one benchmark run's working folder, qifu binary and store server.
type env struct {
	dir   string
	bin   string
	kind  string // "sqlite" or "postgres"
	pg    *pgtest.Throwaway
	dbs   int
	procs []*server
}

// pgConf is the PostgreSQL configuration of the benchmarks: the defaults
// (fsync, synchronous_commit and full_page_writes on), with memory sized for
// a 24 GiB machine rather than for tests, and pg_stat_statements to say
// which statements the server's time goes to.
const pgConf = `
shared_preload_libraries = 'pg_stat_statements'
shared_buffers = 1GB
effective_cache_size = 8GB
work_mem = 32MB
maintenance_work_mem = 512MB
max_wal_size = 8GB
`

// newEnv builds qifu into a temporary folder. For PostgreSQL, the run's own
// throwaway cluster is started when the first database is asked for, so a
// run on a store generated before (reads --reuse) needs none.
func newEnv(kind string) (*env, error) {
	if kind != "sqlite" && kind != "postgres" {
		return nil, fmt.Errorf("--store %q: want sqlite or postgres", kind)
	}
	dir, err := os.MkdirTemp("", "qifubench-")
	if err != nil {
		return nil, err
	}
	e := &env{dir: dir, kind: kind, bin: filepath.Join(dir, "qifu")}
	build := exec.Command("go", "build", "-o", e.bin, "./cmd/qifu")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("build qifu (run from the repository's root): %w", err)
	}
	return e, nil
}

// close stops every server and removes everything.
func (e *env) close() {
	for _, p := range e.procs {
		p.stop()
	}
	if e.pg != nil {
		e.pg.Close()
	}
	os.RemoveAll(e.dir)
}

// db returns a new, empty database of the run's store.
func (e *env) db(name string) (string, error) {
	e.dbs++
	if e.kind == "postgres" {
		if e.pg == nil {
			pg, err := pgtest.StartThrowaway(pgConf)
			if err != nil {
				return "", err
			}
			e.pg = pg
		}
		return e.pg.CreateDB(fmt.Sprintf("%s_%d", name, e.dbs))
	}
	return filepath.Join(e.dir, fmt.Sprintf("%s_%d.db", name, e.dbs)), nil
}

// server is a running qifu.
type server struct {
	cmd    *exec.Cmd
	url    string
	pprof  string
	proc   load.Proc
	output *bytes.Buffer
}

var (
	listening = regexp.MustCompile(`listening on (http://\S+)`)
	profiles  = regexp.MustCompile(`profiles on (http://\S+)/debug/pprof/`)
)

// start runs `qifu serve` on db with the given extra flags and waits until
// it answers /healthz.
func (e *env) start(ctx context.Context, db string, flags ...string) (*server, error) {
	files := filepath.Join(e.dir, "files")
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--files", files, "--pprof", "127.0.0.1:0",
		"--log-level", "warn"}, flags...)
	cmd := exec.Command(e.bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, proc: load.Proc{PID: cmd.Process.Pid}, output: &logs}
	e.procs = append(e.procs, s)
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text() // drained below once the server listens
		}
		close(lines)
	}()
	deadline := time.After(15 * time.Minute) // a demo history to replay, or a migration of a large store
	for s.url == "" || s.pprof == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				return nil, fmt.Errorf("qifu ended before listening:\n%s", logs.String())
			}
			if m := listening.FindStringSubmatch(line); m != nil {
				s.url = m[1]
			}
			if m := profiles.FindStringSubmatch(line); m != nil {
				s.pprof = m[1]
			}
		case <-deadline:
			return nil, errors.New("qifu did not listen within 15 minutes")
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	go func() {
		for range lines {
		}
	}()
	for range 100 {
		if res, err := http.Get(s.url + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, errors.New("qifu does not answer /healthz")
}

// stop ends the server with SIGTERM and waits for it.
func (s *server) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// profile saves a CPU profile of the next seconds, and the heap's
// allocation profile, into the folder out.
func (s *server) profile(out, name string, seconds int) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, p := range []struct{ path, file string }{
		{fmt.Sprintf("/profile?seconds=%d", seconds), name + ".cpu.pprof"},
		{"/allocs", name + ".allocs.pprof"},
	} {
		res, err := http.Get(s.pprof + "/debug/pprof" + p.path)
		if err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(out, p.file))
		if err != nil {
			res.Body.Close()
			return err
		}
		_, err = io.Copy(f, res.Body)
		res.Body.Close()
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// client is a signed-in user of a qifu server.
type client struct {
	base string
	http *http.Client
}

// signIn signs username in with the demo password.
func signIn(base, username string) (*client, error) {
	jar, _ := cookiejar.New(nil)
	c := &client{base: base, http: &http.Client{Jar: jar, Timeout: 2 * time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}}
	if code, err := c.call(context.Background(), "POST", "/api/v1/login",
		map[string]string{"username": username, "password": "Qifu@2026"}, nil); err != nil || code != http.StatusOK {
		return nil, fmt.Errorf("sign in as %s: %d %v", username, code, err)
	}
	return c, nil
}

// call sends a JSON request and decodes a JSON answer into out (if not nil).
func (c *client) call(ctx context.Context, method, path string, in, out any, header ...string) (int, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return 0, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if out != nil && res.StatusCode < 300 {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			return res.StatusCode, err
		}
		return res.StatusCode, nil
	}
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return res.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, strings.TrimSpace(string(b)))
	}
	return res.StatusCode, nil
}

// median returns the median of xs (the lower middle for an even count).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return slices.Sorted(slices.Values(xs))[(len(xs)-1)/2]
}

func minMax(xs []float64) (lo, hi float64) {
	for i, x := range xs {
		if i == 0 || x < lo {
			lo = x
		}
		if i == 0 || x > hi {
			hi = x
		}
	}
	return lo, hi
}

// stderr is where progress goes; the tables go to standard output.
var stderr = os.Stderr

// openRaw opens a plain connection pool on a store, behind qifu's back.
func openRaw(dsn string) (*sql.DB, error) {
	if store.IsPostgres(dsn) {
		return sql.Open("pgx", dsn)
	}
	return sql.Open("sqlite", dsn)
}

// storeSize is the bytes a store takes: the SQLite file, or the PostgreSQL
// database with its indexes.
func storeSize(ctx context.Context, kind, dsn string) (int64, error) {
	if kind != "postgres" {
		info, err := os.Stat(dsn)
		if err != nil {
			return 0, err
		}
		return info.Size(), nil
	}
	db, err := openRaw(dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var size int64
	err = db.QueryRowContext(ctx, "SELECT pg_database_size(current_database())").Scan(&size)
	return size, err
}

// historyFlags are the flags of a scenario that reads a generated history.
type historyFlags struct {
	kind, reuse              *string
	appeals, blocks, backlog *int
}

func historyFlagsOf(fs *flag.FlagSet) historyFlags {
	return historyFlags{
		kind:    fs.String("store", "sqlite", "sqlite or postgres"),
		appeals: fs.Int("appeals", 1_000_000, "appeals to generate"),
		blocks:  fs.Int("blocks", 60, "copies of the demo district's layout (60: a city of 120,000 enterprises; 522, the most: a province of 1 M)"),
		reuse:   fs.String("reuse", "", "a store generated before by `qifubench gen` (an SQLite file, or a postgres:// URL with --store postgres), used as it is"),
		backlog: fs.Int("backlog", 0, "open appeals left waiting in the showcase community's triage queue before qifu starts (a crisis's backlog; 100000 for the queue's goal); a reused store keeps them for the next run"),
	}
}

// serve starts qifu with its demo accounts on the store named by --reuse
// (checked to be of the kind of --store), or else on a new one, named name,
// filled with a generated history. The caller closes e.
func (h historyFlags) serve(ctx context.Context, name string) (e *env, srv *server, db string, err error) {
	if e, err = newEnv(*h.kind); err != nil {
		return nil, nil, "", err
	}
	fail := func(err error) (*env, *server, string, error) { e.close(); return nil, nil, "", err }
	if db = *h.reuse; db != "" {
		if store.IsPostgres(db) != (e.kind == "postgres") {
			return fail(fmt.Errorf("--reuse %s does not name a %s store", db, e.kind))
		}
	} else {
		if db, err = e.db(name); err != nil {
			return fail(err)
		}
		began := time.Now()
		rep, err := datagen.Generate(ctx, datagen.Options{DSN: db, Blocks: *h.blocks, Appeals: *h.appeals, Log: os.Stderr})
		if err != nil {
			return fail(err)
		}
		fmt.Printf("store: %s, generated in %s: %d enterprises, %d appeals over %.1f years, %d events, %d dispatches, %d steps\n\n",
			e.kind, time.Since(began).Round(time.Second), rep.Enterprises, rep.Appeals, rep.Span.Hours()/24/365, rep.Events, rep.Dispatches, rep.Steps)
	}
	if *h.backlog > 0 {
		began := time.Now()
		n, err := datagen.Backlog(ctx, db, "community", *h.backlog)
		if err != nil {
			return fail(err)
		}
		fmt.Printf("backlog: %d open appeals waiting in the showcase community's triage queue (%s)\n\n", n, time.Since(began).Round(time.Millisecond))
	}
	if srv, err = e.start(ctx, db, "--demo"); err != nil {
		return fail(err)
	}
	return e, srv, db, nil
}
