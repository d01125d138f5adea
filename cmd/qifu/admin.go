package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/attach"
	"qifu/internal/audit"
	"qifu/internal/calendar"
	"qifu/internal/department"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/sheet"
	"qifu/internal/store"
)

// cli is the actor of changes made from the command line.
var cliActor = access.System("cli")

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, _, err := parse("migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, c, log)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintln(stdout, "migrations applied:", st.Dialect())
	return nil
}

func loadDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, _, err := parse("demo", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, c, log)
	if err != nil {
		return err
	}
	defer st.Close()
	empty, err := st.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return errors.New("the store is not empty; demo data is loaded only into an empty store")
	}
	_, err = demoIfEmpty(ctx, st, c, stdout, log, func(int) {})
	return err
}

// readPassword reads one line from stdin.
func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	fmt.Fprint(stdout, "password: ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	fmt.Fprintln(stdout)
	return strings.TrimRight(line, "\r\n"), nil
}

func user(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("user: want add, reset or disable")
	}
	sub := args[0]
	var username, name, role, region, dept, ent, phone string
	c, _, err := parse("user "+sub, args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "username")
		fs.StringVar(&name, "name", "", "full name")
		fs.StringVar(&role, "role", "", "role: "+roleList())
		fs.StringVar(&region, "region", "", "region code of a regional role")
		fs.StringVar(&dept, "department", "", "department code of department staff")
		fs.StringVar(&ent, "enterprise", "", "credit code of an enterprise user's enterprise")
		fs.StringVar(&phone, "phone", "", "mobile number")
	})
	if err != nil {
		return err
	}
	if username == "" {
		return errors.New("user: --username is required")
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, c, log)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "add":
		u := account.User{Username: username, Name: name, Phone: phone, Role: access.Role(role), RegionCode: region}
		if dept != "" {
			id, err := departmentID(ctx, st.Store, dept)
			if err != nil {
				return err
			}
			u.DepartmentID = id
		}
		if ent != "" {
			list, _, err := st.Enterprises(ctx, cliActor, store.EnterpriseQuery{Text: enterprise.NormalizeCreditCode(ent)})
			if err != nil {
				return err
			}
			if len(list) != 1 {
				return fmt.Errorf("user add: no enterprise with credit code %s", ent)
			}
			u.EnterpriseID = list[0].ID
		}
		pw, err := readPassword(stdin, stdout)
		if err != nil {
			return err
		}
		created, err := st.CreateUser(ctx, cliActor, u, pw)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "user %s created (id %d)\n", created.Username, created.ID)
	case "reset":
		u, err := st.UserByUsername(ctx, username)
		if err != nil {
			return explain(err)
		}
		pw, err := readPassword(stdin, stdout)
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, cliActor, u.ID, pw); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "password of %s reset; their sessions have ended\n", username)
	case "disable":
		u, err := st.UserByUsername(ctx, username)
		if err != nil {
			return explain(err)
		}
		if err := st.SetDisabled(ctx, cliActor, u.ID, true); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "user %s disabled\n", username)
	default:
		return fmt.Errorf("user: unknown subcommand %q (want add, reset or disable)", sub)
	}
	return nil
}

func roleList() string {
	var rs []string
	for _, r := range access.Roles {
		rs = append(rs, string(r))
	}
	return strings.Join(rs, ", ")
}

func departmentID(ctx context.Context, st *store.Store, code string) (int64, error) {
	depts, err := st.Departments(ctx, cliActor)
	if err != nil {
		return 0, err
	}
	for _, d := range depts {
		if d.Code == code {
			return d.ID, nil
		}
	}
	var codes []string
	for _, d := range department.Alliance() {
		codes = append(codes, d.Code)
	}
	return 0, fmt.Errorf("no department %q (codes: %s)", code, strings.Join(codes, ", "))
}

// explain turns a domain error into a readable command-line error.
func explain(err error) error {
	var b strings.Builder
	b.WriteString(err.Error())
	if fe := asFault(err); fe != nil {
		b.Reset()
		b.WriteString(fe.Message.Zh)
		for k, m := range fe.Fields {
			fmt.Fprintf(&b, "\n  %s: %s", k, m.Zh)
		}
	}
	return errors.New(b.String())
}

func importCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var file, report string
	var strict bool
	c, _, err := parse("import", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&file, "file", "", "the .xlsx to import")
		fs.BoolVar(&strict, "strict", false, "apply nothing if any row is bad")
		fs.StringVar(&report, "report", "", "write the rows not imported, with reasons, to this .xlsx")
	})
	if err != nil {
		return err
	}
	if file == "" {
		return errors.New("import: --file is required")
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := sheet.ReadEnterprises(f, 0)
	if err != nil {
		return explain(err)
	}
	st, err := openStore(ctx, c, log)
	if err != nil {
		return err
	}
	defer st.Close()
	in := make([]store.ImportRow, len(rows))
	byLine := map[int]sheet.Row{}
	for i, r := range rows {
		in[i] = store.ImportRow{Line: r.Line, Enterprise: r.Enterprise, Problems: r.Problems}
		byLine[r.Line] = r
	}
	res, err := st.ImportEnterprises(ctx, cliActor, in, strict)
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(stdout, "rows %d: created %d, updated %d, unchanged %d, rejected %d\n",
		len(rows), res.Created, res.Updated, res.Unchanged, len(res.Rejected))
	var bad []sheet.Row
	for _, r := range res.Rejected {
		orig := byLine[r.Line]
		orig.Problems = r.Problems
		bad = append(bad, orig)
		fmt.Fprintf(stdout, "  line %d: %s\n", r.Line, orig.Reason("zh"))
	}
	if report != "" && len(bad) > 0 {
		var buf bytes.Buffer
		if err := sheet.WriteProblems(&buf, bad); err != nil {
			return err
		}
		if err := os.WriteFile(report, buf.Bytes(), 0o640); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "error report written to", report)
	}
	if !res.Applied {
		return errors.New("strict import: bad rows found, nothing was imported")
	}
	return nil
}

func exportCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var file, region string
	c, _, err := parse("export", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&file, "file", "", "the .xlsx to write")
		fs.StringVar(&region, "region", "", "only enterprises under this region code")
	})
	if err != nil {
		return err
	}
	if file == "" {
		return errors.New("export: --file is required")
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	// An export reads; a mistyped --db must not create an empty store to export.
	if !store.IsPostgres(c.DB) {
		if _, err := os.Stat(c.DB); err != nil {
			return fmt.Errorf("no store at %s: %w", c.DB, err)
		}
	}
	st, err := openStore(ctx, c, log)
	if err != nil {
		return err
	}
	defer st.Close()
	var list []enterprise.Enterprise
	if err := st.ExportEnterprises(ctx, cliActor, store.EnterpriseQuery{Region: region}, func(e enterprise.Enterprise) error {
		list = append(list, e)
		return nil
	}); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.WriteEnterprises(&buf, list); err != nil {
		return err
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o640); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d enterprises written to %s\n", len(list), file)
	return nil
}

func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var to, filesTo string
	c, _, err := parse("backup", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "the file to write the copy to (must not exist)")
		fs.StringVar(&filesTo, "files-to", "", "the folder to copy the backup's attachments to (default: the file's name + \"-files\")")
	})
	if err != nil {
		return err
	}
	if to == "" {
		return errors.New("backup: --to is required")
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	st, err := openExisting(ctx, c, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, to); err != nil {
		return err
	}
	n, err := backupFiles(ctx, c, to, filesTo, log)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "backup written to", to)
	fmt.Fprintf(stdout, "%d attachment files copied\n", n)
	return nil
}

// backupFiles copies the attachments the backup's rows name: the files are
// written before their rows commit and never change, so every one the copy
// records is in the live folder.
func backupFiles(ctx context.Context, c *config, to, filesTo string, log *slog.Logger) (int, error) {
	if filesTo == "" {
		filesTo = to + "-files"
	}
	snap, err := store.Open(ctx, store.Options{DSN: to, Logger: log})
	if err != nil {
		return 0, fmt.Errorf("open the backup: %w", err)
	}
	hashes, err := snap.AttachmentHashes(ctx)
	snap.Close()
	if err != nil {
		return 0, err
	}
	live, err := attach.Open(c.filesDir())
	if err != nil {
		return 0, err
	}
	dst, err := attach.Open(filesTo)
	if err != nil {
		return 0, err
	}
	for _, h := range hashes {
		if err := live.CopyTo(dst, h); err != nil {
			return 0, fmt.Errorf("copy attachment %s: %w", h, err)
		}
	}
	return len(hashes), nil
}

func auditCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" && args[0] != "purge" {
		return errors.New("audit: want verify or purge")
	}
	var before string
	c, _, err := parse("audit "+args[0], args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		if args[0] == "purge" {
			fs.StringVar(&before, "before", "", "remove entries recorded before this date (YYYY-MM-DD, Asia/Shanghai), at least 180 days ago")
		}
	})
	if err != nil {
		return err
	}
	log, err := c.logger(stderr)
	if err != nil {
		return err
	}
	st, err := openExisting(ctx, c, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "purge" {
		day, err := time.ParseInLocation(time.DateOnly, before, calendar.Shanghai)
		if err != nil {
			return fmt.Errorf("audit purge: --before wants a date such as 2026-01-01: %w", err)
		}
		n, err := st.PurgeAudit(ctx, day)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "audit entries before %s removed: %d\n", before, n)
	}
	n, err := st.VerifyAudit(ctx)
	var b audit.Break
	if errors.As(err, &b) {
		return fmt.Errorf("audit chain broken after %d good entries: %w", n, b)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit chain intact: %d entries verified\n", n)
	return nil
}

// openExisting opens the configured store as it is, without migrating it. It
// refuses an SQLite file that does not exist, so that a mistyped --db is an
// error rather than a new, empty store that is then backed up or verified.
func openExisting(ctx context.Context, c *config, log *slog.Logger) (*store.Store, error) {
	if !store.IsPostgres(c.DB) {
		if _, err := os.Stat(c.DB); err != nil {
			return nil, fmt.Errorf("no store at %s: %w", c.DB, err)
		}
	}
	return store.Open(ctx, store.Options{DSN: c.DB, Logger: log})
}

func asFault(err error) *fault.Error { return fault.As(err) }
