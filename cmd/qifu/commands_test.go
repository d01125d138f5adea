package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/sheet"
)

// TestImportExport imports a workbook with a bad row through `qifu import`,
// imports it again, tries a strict import, and exports the store.
func TestImportExport(t *testing.T) {
	t.Parallel()
	db := sqliteDB(t)
	mustQifu(t, "", "demo", "--demo-appeals", "40", "--db", db)

	good := []enterprise.Enterprise{mustEnterprise(t, 1), mustEnterprise(t, 2), mustEnterprise(t, 3)}
	bad := mustEnterprise(t, 4)
	bad.Phone = "12345"
	// Line 1 is the header, so the bad row, third of the data, is line 4.
	file := writeWorkbook(t, "list.xlsx", []enterprise.Enterprise{good[0], good[1], bad, good[2]})
	report := filepath.Join(t.TempDir(), "problems.xlsx")

	out := mustQifu(t, "", "import", "--db", db, "--file", file, "--report", report)
	for _, want := range []string{"rows 4: created 3, updated 0, unchanged 0, rejected 1", "  line 4: 联系电话"} {
		if !strings.Contains(out, want) {
			t.Errorf("qifu import printed\n%s\nwant it to contain %q", out, want)
		}
	}
	if rows := readWorkbook(t, report); len(rows) != 1 || rows[0].Enterprise.CreditCode != bad.CreditCode {
		t.Errorf("error report holds %d rows; want the one bad row %s", len(rows), bad.CreditCode)
	}

	out = mustQifu(t, "", "import", "--db", db, "--file", file)
	if want := "rows 4: created 0, updated 0, unchanged 3, rejected 1"; !strings.Contains(out, want) {
		t.Errorf("importing again printed\n%s\nwant %q", out, want)
	}

	fresh := []enterprise.Enterprise{mustEnterprise(t, 5), mustEnterprise(t, 6)}
	strictFile := writeWorkbook(t, "strict.xlsx", []enterprise.Enterprise{fresh[0], bad, fresh[1]})
	out, _, err := qifu(t, "", "import", "--db", db, "--file", strictFile, "--strict")
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") {
		t.Errorf("qifu import --strict with a bad row: error %v; want nothing imported", err)
	}
	if !strings.Contains(out, "line 3: 联系电话") {
		t.Errorf("qifu import --strict printed\n%s\nwant the rejected line 3", out)
	}

	exported := filepath.Join(t.TempDir(), "export.xlsx")
	want := len(demoData().Enterprises) + len(good)
	out = mustQifu(t, "", "export", "--db", db, "--file", exported)
	if !strings.Contains(out, fmt.Sprintf("%d enterprises written to %s", want, exported)) {
		t.Errorf("qifu export printed %q; want %d enterprises", out, want)
	}
	rows := readWorkbook(t, exported)
	codes := map[string]sheet.Row{}
	for _, r := range rows {
		if !r.Valid() {
			t.Errorf("exported line %d does not read back: %s", r.Line, r.Reason("en"))
		}
		codes[r.Enterprise.CreditCode] = r
	}
	if len(rows) != want || len(codes) != want {
		t.Errorf("export reads back as %d rows, %d distinct codes; want %d", len(rows), len(codes), want)
	}
	for _, e := range append(slices.Clone(demoData().Enterprises), good...) {
		r, ok := codes[e.CreditCode]
		if !ok {
			t.Errorf("export lacks %s %s", e.CreditCode, e.Name)
			continue
		}
		if r.Enterprise.Name != e.Name || r.Enterprise.GridCode != e.GridCode {
			t.Errorf("export of %s reads back as %q in %s; want %q in %s", e.CreditCode,
				r.Enterprise.Name, r.Enterprise.GridCode, e.Name, e.GridCode)
		}
	}
	for _, e := range append(fresh, bad) {
		if _, ok := codes[e.CreditCode]; ok {
			t.Errorf("export holds %s, which was never imported", e.CreditCode)
		}
	}

	out = mustQifu(t, "", "audit", "verify", "--db", db)
	if !strings.HasPrefix(out, "audit chain intact: ") {
		t.Errorf("qifu audit verify after the imports printed %q", out)
	}
}

// TestAuditVerifyFreshDemo verifies the audit chain of a fresh demo store.
func TestAuditVerifyFreshDemo(t *testing.T) {
	t.Parallel()
	db := sqliteDB(t)
	out := mustQifu(t, "", "demo", "--demo-appeals", "40", "--db", db)
	if !strings.Contains(out, "demo accounts") {
		t.Errorf("qifu demo printed %q; want the demo accounts", out)
	}
	out = mustQifu(t, "", "audit", "verify", "--db", db)
	m := regexp.MustCompile(`^audit chain intact: (\d+) entries verified\n$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("qifu audit verify printed %q", out)
	}
	n, _ := strconv.Atoi(m[1])
	if n < 1 {
		t.Errorf("qifu audit verify checked %d entries; want the demo load's entry at least", n)
	}
	if _, _, err := qifu(t, "", "demo", "--demo-appeals", "40", "--db", db); err == nil {
		t.Error("qifu demo loaded the demo into a store that is not empty")
	}

	// A purge never reaches entries younger than 180 days: the demo's
	// history is four months old, so a purge before 180 days ago removes
	// nothing and keeps the chain whole (one entry longer: the purge's own),
	// and a later cut-off is refused. The dates are Shanghai's, as --before's
	// (from 16:00 UTC the machine's date is a day behind).
	now := time.Now().In(calendar.Shanghai)
	old := now.AddDate(0, 0, -181).Format(time.DateOnly)
	out = mustQifu(t, "", "audit", "purge", "--before", old, "--db", db)
	if !strings.Contains(out, "removed: 0\n") || !strings.Contains(out, fmt.Sprintf("audit chain intact: %d ", n+1)) {
		t.Errorf("qifu audit purge --before %s printed %q", old, out)
	}
	young := now.AddDate(0, 0, -179).Format(time.DateOnly)
	if _, _, err := qifu(t, "", "audit", "purge", "--before", young, "--db", db); err == nil || !strings.Contains(err.Error(), "180") {
		t.Errorf("qifu audit purge --before %s: %v, want the retention refusal", young, err)
	}
}

// TestCommandLineErrors checks that bad command lines fail with a reason.
func TestCommandLineErrors(t *testing.T) {
	t.Parallel()
	db := sqliteDB(t)
	for _, tc := range []struct {
		args []string
		want string // in the error
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"user"}, "want add, reset or disable"},
		{[]string{"user", "promote", "--username", "grid", "--db", db}, "unknown subcommand"},
		{[]string{"audit", "--db", db}, "want verify or purge"},
		{[]string{"audit", "purge", "--before", "last year", "--db", db}, "--before wants a date"},
		{[]string{"import", "--db", db}, "--file is required"},
		{[]string{"export", "--db", db}, "--file is required"},
		{[]string{"backup", "--db", db}, "--to is required"},
		{[]string{"serve", "--db", db, "--log-level", "loud"}, "log level"},
		{[]string{"migrate", "--no-such-flag"}, "no-such-flag"},
	} {
		t.Run(tc.args[0]+" "+tc.want, func(t *testing.T) {
			_, _, err := qifu(t, "", tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("qifu %s: error %v; want one containing %q", strings.Join(tc.args, " "), err, tc.want)
			}
		})
	}
	out, errOut, err := qifu(t, "", "frobnicate")
	if err == nil || out != "" || !strings.Contains(errOut, "Usage:") {
		t.Errorf("unknown command: stdout %q, stderr %q, error %v; want the usage on stderr", out, errOut, err)
	}
	if out := mustQifu(t, "", "help"); !strings.Contains(out, "Usage:") {
		t.Errorf("qifu help printed %q", out)
	}
}

// TestMissingStore checks that the commands reading a store as it is refuse
// a mistyped SQLite path instead of creating an empty store there.
func TestMissingStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo", "qifu.db")
	for _, args := range [][]string{
		{"backup", "--db", missing, "--to", filepath.Join(dir, "backup.db")},
		{"audit", "verify", "--db", missing},
		{"serve", "--db", missing, "--addr", "127.0.0.1:0"},
	} {
		out, _, err := qifu(t, "", args...)
		if err == nil || !strings.Contains(err.Error(), "no store at "+missing) {
			t.Errorf("qifu %s: error %v, stdout %q; want no store at %s", strings.Join(args, " "), err, out, missing)
		}
	}
	for _, path := range []string{missing, filepath.Join(dir, "backup.db")} {
		if _, err := os.Stat(path); err == nil {
			t.Errorf("%s was created", path)
		}
	}
}
