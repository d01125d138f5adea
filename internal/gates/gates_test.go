// Package gates runs the static gates of the test command: gofmt, go vet,
// staticcheck (pinned as a tool in go.mod), and the race detector over the
// tests that exercise concurrency. They run as tests so that the README's one
// test command holds them; `go test -short` leaves them out.
package gates

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// root is the module's root folder.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s", dir)
	}
	return dir
}

// run runs the go command in the module root and fails the test with its
// output when it fails.
func run(t *testing.T, env []string, args ...string) {
	t.Helper()
	began := time.Now()
	cmd := exec.Command("go", args...)
	cmd.Dir = root(t)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("go %v: %v\n%s", args, err, out.Bytes())
	}
	t.Logf("go %v: ok in %s", args, time.Since(began).Round(time.Millisecond))
}

func TestVet(t *testing.T) {
	if testing.Short() {
		t.Skip("static gates skipped in -short mode")
	}
	t.Parallel()
	run(t, nil, "vet", "./...")
}

func TestStaticcheck(t *testing.T) {
	if testing.Short() {
		t.Skip("static gates skipped in -short mode")
	}
	t.Parallel()
	run(t, nil, "tool", "staticcheck", "./...")
}

// TestRace runs the tests of concurrent behaviour under the race detector:
// racing transitions and idempotent creation across store handles, the
// exactly-once scheduler and outbox, leases, concurrent migration, backups
// while writing, and the web server's handlers.
func TestRace(t *testing.T) {
	if testing.Short() {
		t.Skip("race gate skipped in -short mode")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("the race detector needs cgo and gcc, which this machine lacks")
	}
	run(t, []string{"CGO_ENABLED=1"}, "test", "-race", "-count=1",
		"-run", "TestAppealRaces|TestIdempotency|TestAlertsExactlyOnce|TestOutbox|TestTryLease|TestMigrateConcurrently|TestBackup|TestGroupCommit",
		"./internal/store", "./internal/appeal/appealdb", "./internal/calendar", "./internal/notify")
}

// TestGofmt checks that every Go file is formatted.
func TestGofmt(t *testing.T) {
	if testing.Short() {
		t.Skip("static gates skipped in -short mode")
	}
	t.Parallel()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(string(bytes.TrimSpace(out)), "bin", "gofmt"), "-l", ".")
	cmd.Dir = root(t)
	list, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("gofmt: %v\n%s", err, list)
	}
	if len(bytes.TrimSpace(list)) > 0 {
		t.Errorf("files not formatted with gofmt:\n%s", list)
	}
}
