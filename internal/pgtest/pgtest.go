// Package pgtest starts a throwaway PostgreSQL cluster for tests, so that the
// store tests run on PostgreSQL as well as on SQLite.
//
// A package that uses it calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// and each test that wants a database calls DSN. The first call starts one
// cluster for the whole test process, in its own temporary directory and on its
// own port, so packages tested in parallel never share a server; every call
// creates a fresh database, dropped when its test ends.
//
// Without PostgreSQL binaries the tests that call DSN are skipped, with a loud
// warning; when the environment variable CI is true they fail instead. In a
// -short run they are skipped too: the quick loop is the SQLite half.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// dirPrefix names the temporary directories of clusters; the owning test
// process's id follows it, so a later run can remove clusters left behind by a
// process that died (a test timeout panics past Main's clean-up).
const dirPrefix = "qifu-pgtest-"

// The cluster of this test process. Tests may call DSN in parallel: mu guards
// everything here.
var (
	mu       sync.Mutex
	inMain   bool     // Main is running, and will stop the cluster
	running  *cluster // started by the first DSN call
	startErr error    // why the cluster could not start; not retried
	warned   bool     // the missing-binaries warning has been printed
	dbCount  int      // databases created, to name them
)

// Main runs the tests of m and then stops the cluster, if one was started, and
// removes its directory. It returns the exit code for os.Exit.
func Main(m *testing.M) int {
	mu.Lock()
	inMain = true
	mu.Unlock()

	code := m.Run()

	mu.Lock()
	c := running
	running, inMain = nil, false
	mu.Unlock()
	if c != nil {
		if err := c.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
	}
	return code
}

// DSN creates a fresh database for the test and returns a postgres:// URL for
// it, to open with sql.Open("pgx", dsn). The database is dropped when the test
// ends. The first call in a test process starts the cluster.
func DSN(tb testing.TB) string {
	tb.Helper()
	skipShort(tb)
	return ensureCluster(tb).createDB(tb)
}

// createDB creates a fresh database for the test, dropped when it ends, and
// returns its URL.
func (c *cluster) createDB(tb testing.TB) string {
	tb.Helper()
	mu.Lock()
	dbCount++
	name := dbName(dbCount, tb.Name())
	mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := c.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("pgtest: create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := c.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return c.url(name)
}

// A Server is a cluster of one test's own, which the test may stop and start
// again (to crash the database under load) without disturbing the cluster the
// other tests of the process share.
type Server struct{ c *cluster }

// NewServer starts a cluster for tb alone; it is stopped and removed when tb
// ends. Without PostgreSQL binaries it skips tb, or fails it under CI, as DSN
// does.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	skipShort(tb)
	bin := func() string { // Skip and Fatal end the goroutine: unlock on the way out
		mu.Lock()
		defer mu.Unlock()
		return findBinOrSkip(tb)
	}()
	c, err := start(bin, "")
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		if err := c.stop(); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return &Server{c: c}
}

// DSN creates a fresh database on the server, as the package's DSN does on
// the shared cluster.
func (s *Server) DSN(tb testing.TB) string {
	tb.Helper()
	return s.c.createDB(tb)
}

// Stop stops the server with pg_ctl stop -m mode ("smart", "fast" or
// "immediate", the last a crash) and waits until it has stopped.
func (s *Server) Stop(mode string) error {
	out, err := s.c.command("pg_ctl", "-D", s.c.data(), "-m", mode, "-w", "-t", "60", "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop -m %s: %v\n%s", mode, err, out)
	}
	return nil
}

// Start starts the stopped server again, on the same port and data, and
// waits until it accepts connections (after crash recovery, if it crashed).
func (s *Server) Start() error {
	out, err := s.c.command("pg_ctl", "-D", s.c.data(), "-l", s.c.logFile(), "-w", "-t", "60",
		"-o", fmt.Sprintf("-p %d", s.c.port), "start").CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(s.c.logFile())
		return fmt.Errorf("pg_ctl start: %v\n%s\nserver log %s:\n%s", err, out, s.c.logFile(), log)
	}
	return nil
}

// A Throwaway is a cluster for a program rather than a test — the
// benchmark harness — removed by Close.
type Throwaway struct{ c *cluster }

// StartThrowaway starts a cluster with extraConf added to its
// postgresql.conf (say, a larger shared_buffers for a benchmark).
func StartThrowaway(extraConf string) (*Throwaway, error) {
	bin := findBin()
	if bin == "" {
		return nil, errors.New("pgtest: no PostgreSQL server programs (initdb, pg_ctl) found; install postgresql")
	}
	c, err := start(bin, extraConf)
	if err != nil {
		return nil, err
	}
	return &Throwaway{c: c}, nil
}

// CreateDB creates a database and returns its URL.
func (t *Throwaway) CreateDB(name string) (string, error) {
	if _, err := t.c.admin.Exec("CREATE DATABASE " + name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return t.c.url(name), nil
}

// skipShort skips the PostgreSQL half of a test in a -short run, the quick
// loop after every change; the full run tests both stores.
func skipShort(tb testing.TB) {
	if testing.Short() {
		tb.Skip("pgtest: PostgreSQL is left out of -short runs")
	}
}

// Close stops the cluster and removes its files.
func (t *Throwaway) Close() error { return t.c.stop() }

// ensureCluster returns this process's cluster, starting it on first use. It
// skips the test when PostgreSQL is not installed, or fails it under CI.
func ensureCluster(tb testing.TB) *cluster {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if !inMain {
		tb.Fatal("pgtest: DSN needs pgtest.Main: add func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }")
	}
	if running != nil {
		return running
	}
	if startErr != nil {
		tb.Fatalf("pgtest: PostgreSQL did not start earlier in this process: %v", startErr)
	}
	bin := findBinOrSkip(tb)
	c, err := start(bin, "")
	if err != nil {
		startErr = err
		tb.Fatalf("pgtest: %v", err)
	}
	running = c
	return c
}

// findBinOrSkip returns the directory of the PostgreSQL programs, or skips
// the test with a loud warning (fails it under CI) when there is none. The
// caller holds mu.
func findBinOrSkip(tb testing.TB) string {
	tb.Helper()
	bin := findBin()
	if bin == "" {
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			tb.Fatalf("pgtest: PostgreSQL binaries not found (initdb and pg_ctl, on PATH or in /usr/lib/postgresql/*/bin); CI must run the PostgreSQL half of the store tests")
		}
		if !warned {
			warned = true
			warn("\n=== PostgreSQL NOT AVAILABLE: the PostgreSQL half of the store tests is SKIPPED ===\n" +
				"=== (initdb and pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin)     ===")
		}
		tb.Skip("pgtest: PostgreSQL not available (initdb and pg_ctl not found)")
	}
	return bin
}

// warn prints msg where the developer will see it. Without -v, go test shows
// nothing of a package whose tests pass (and skipped tests pass), so then the
// message goes to the terminal, if there is one, rather than to stderr.
func warn(msg string) {
	var w io.Writer = os.Stderr
	if !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			defer tty.Close()
			w = tty
		}
	}
	fmt.Fprintln(w, msg)
}

// findBin returns the directory holding initdb and pg_ctl: the one on PATH,
// else the highest version under /usr/lib/postgresql (Debian's layout, which
// leaves them off PATH). It returns "" when there is none.
func findBin() string {
	if initdb, err := exec.LookPath("initdb"); err == nil {
		if pgctl, err := exec.LookPath("pg_ctl"); err == nil && filepath.Dir(initdb) == filepath.Dir(pgctl) {
			return filepath.Dir(initdb)
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, dir := range dirs {
		if isFile(filepath.Join(dir, "initdb")) && isFile(filepath.Join(dir, "pg_ctl")) {
			return dir
		}
	}
	return ""
}

// version reads the major version out of /usr/lib/postgresql/<version>/bin.
func version(bin string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(bin)), 64)
	return v
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// dbName makes a database name from a test's name: lower-case letters, digits
// and underscores only (so it needs no quoting), unique by n, at most 63 bytes.
func dbName(n int, test string) string {
	name := []byte(fmt.Sprintf("t%d_", n))
	for _, r := range strings.ToLower(test) {
		if len(name) == 63 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			name = append(name, byte(r))
		} else {
			name = append(name, '_')
		}
	}
	return string(name)
}

// freePort returns a TCP port that was free a moment ago. Another process may
// take it before the server binds it; start then retries on another port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// processGone reports whether no process has the given id.
func processGone(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	return errors.Is(p.Signal(syscall.Signal(0)), os.ErrProcessDone)
}

// A cluster is a running PostgreSQL server with its data directory, socket and
// log in one temporary directory.
type cluster struct {
	bin   string  // directory holding initdb and pg_ctl
	dir   string  // the temporary directory
	port  int     // TCP port on 127.0.0.1
	admin *sql.DB // the postgres database, to create and drop test databases

	// PostgreSQL refuses to run as root; then its programs run as the
	// postgres user through runuser (or su, where runuser is missing).
	switchUser string
	owner      *user.User
}

func (c *cluster) data() string    { return filepath.Join(c.dir, "data") }
func (c *cluster) logFile() string { return filepath.Join(c.dir, "server.log") }

func (c *cluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// config is added to postgresql.conf. It suits tests but leaves the durability
// settings (fsync, synchronous_commit, full_page_writes) at their defaults:
// qifu checks them at startup.
const config = `
# Added by qifu's pgtest: a throwaway cluster for tests.
listen_addresses = '127.0.0.1'
unix_socket_directories = '%s'
max_connections = 200
shared_buffers = 32MB
# Parallel workers need /dev/shm, which containers keep small.
max_parallel_workers_per_gather = 0
`

// start creates and starts a cluster with the programs in bin.
func start(bin string, extraConf string) (_ *cluster, err error) {
	began := time.Now()
	c := &cluster{bin: bin}
	if os.Geteuid() == 0 {
		if c.owner, err = user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL must run as user postgres: %w", err)
		}
		if c.switchUser, err = exec.LookPath("runuser"); err != nil {
			if c.switchUser, err = exec.LookPath("su"); err != nil {
				return nil, errors.New("running as root, but neither runuser nor su is there to run PostgreSQL as user postgres")
			}
		}
	}
	reapOrphans(c)

	if c.dir, err = os.MkdirTemp("", fmt.Sprintf("%s%d-", dirPrefix, os.Getpid())); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			c.stop()
		}
	}()
	if c.owner != nil {
		uid, _ := strconv.Atoi(c.owner.Uid)
		gid, _ := strconv.Atoi(c.owner.Gid)
		if err := os.Chown(c.dir, uid, gid); err != nil {
			return nil, err
		}
	}

	// --no-sync only skips initdb's final flush of the new files; the server
	// keeps fsync on. Locale C sorts by code point, as SQLite does.
	out, err := c.command("initdb", "-D", c.data(), "-A", "trust", "-U", "postgres",
		"--encoding=UTF8", "--locale=C", "--no-sync").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	conf := strings.ReplaceAll(c.dir, "'", "''")
	if err := appendFile(filepath.Join(c.data(), "postgresql.conf"), fmt.Sprintf(config, conf)+extraConf); err != nil {
		return nil, err
	}

	// The port is free when chosen but may be taken before the server binds
	// it, by a cluster of another package tested in parallel: then retry.
	for attempt := 1; ; attempt++ {
		if c.port, err = freePort(); err != nil {
			return nil, err
		}
		os.Remove(c.logFile())
		out, err := c.command("pg_ctl", "-D", c.data(), "-l", c.logFile(), "-w", "-t", "60",
			"-o", fmt.Sprintf("-p %d", c.port), "start").CombinedOutput()
		if err == nil {
			break
		}
		log, _ := os.ReadFile(c.logFile())
		if attempt < 5 && strings.Contains(string(log), "already in use") {
			continue
		}
		return nil, fmt.Errorf("pg_ctl start: %v\n%s\nserver log %s:\n%s", err, out, c.logFile(), log)
	}

	if c.admin, err = sql.Open("pgx", c.url("postgres")); err != nil {
		return nil, err
	}
	if err := c.admin.Ping(); err != nil {
		log, _ := os.ReadFile(c.logFile())
		return nil, fmt.Errorf("connect to the new cluster: %v\nserver log:\n%s", err, log)
	}
	v, _ := os.ReadFile(filepath.Join(c.data(), "PG_VERSION"))
	fmt.Fprintf(os.Stderr, "pgtest: PostgreSQL %s started in %v on 127.0.0.1:%d, in %s\n",
		strings.TrimSpace(string(v)), time.Since(began).Round(time.Millisecond), c.port, c.dir)
	return c, nil
}

// stop stops the server, if it runs, and removes the cluster's directory.
func (c *cluster) stop() error {
	if c.admin != nil {
		c.admin.Close()
	}
	var errs []error
	if isFile(filepath.Join(c.data(), "postmaster.pid")) {
		// Immediate: the data is thrown away, so there is nothing to flush.
		if out, err := c.command("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop").CombinedOutput(); err != nil {
			errs = append(errs, fmt.Errorf("pg_ctl stop %s: %v\n%s", c.data(), err, out))
		}
	}
	if err := os.RemoveAll(c.dir); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// command makes a command running the PostgreSQL program name, as the
// postgres user when this process is root.
func (c *cluster) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	switch filepath.Base(c.switchUser) {
	case "runuser":
		cmd = exec.Command(c.switchUser, append([]string{"-u", "postgres", "--", path}, args...)...)
	case "su":
		cmd = exec.Command(c.switchUser, "postgres", "-s", "/bin/sh", "-c", shellQuote(append([]string{path}, args...)))
	default:
		cmd = exec.Command(path, args...)
	}
	if c.dir != "" {
		cmd.Dir = c.dir // a directory the postgres user can enter
	}
	// The server must not hold on to the output pipe, but if it ever
	// does, pg_ctl's own exit is enough to go on.
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// reapOrphans stops and removes the clusters of test processes that died
// without running Main's clean-up, such as on a test timeout.
func reapOrphans(c *cluster) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, dir := range dirs {
		pid, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(dir), dirPrefix), "-")
		n, err := strconv.Atoi(pid)
		if err != nil || n == os.Getpid() || !processGone(n) {
			continue
		}
		orphan := *c
		orphan.dir = dir
		if err := orphan.stop(); err == nil {
			fmt.Fprintf(os.Stderr, "pgtest: removed cluster %s left by dead process %d\n", dir, n)
		}
	}
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// shellQuote joins args into a /bin/sh command line, each one single-quoted.
func shellQuote(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(quoted, " ")
}
