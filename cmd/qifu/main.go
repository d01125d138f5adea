// Command qifu runs the 企服 platform: `qifu serve` starts the server, the
// other subcommands administer a store. See `qifu help`.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "qifu:", err)
		os.Exit(1)
	}
}

// usage is printed by `qifu help` and on a bad command line.
const usage = `qifu — 企服: enterprises call, communities whistle, departments report in.

Usage:
  qifu serve   [--addr :8080] [--db DSN] [--demo]     start the server (embedded store by default)
  qifu migrate [--db DSN]                             apply store migrations
  qifu demo    [--db DSN]                             load the demo district into an empty store
  qifu user add      --username U --name N --role R [--region C] [--department CODE] [--enterprise CREDITCODE]
  qifu user reset    --username U                   set a new password (read from stdin)
  qifu user disable  --username U
  qifu import  --file F.xlsx [--strict] [--report errors.xlsx]   import an enterprise list
  qifu export  --file F.xlsx [--region CODE]          export enterprises
  qifu backup  --to FILE                              consistent copy of the embedded store, while it serves
  qifu audit verify                                   check the audit log's hash chain
  qifu audit purge   --before YYYY-MM-DD              remove audit entries older than that (at least 180 days ago)

Every command takes --db (or QIFU_DB): a postgres:// URL, or an SQLite file
(default ./data/qifu.db). Passwords are read from standard input.
`

// run is the whole program, with its inputs passed in so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		args = []string{"serve"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, getenv, stdout, stderr)
	case "demo":
		return loadDemo(ctx, rest, getenv, stdout, stderr)
	case "user":
		return user(ctx, rest, getenv, stdin, stdout, stderr)
	case "import":
		return importCmd(ctx, rest, getenv, stdout, stderr)
	case "export":
		return exportCmd(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return backup(ctx, rest, getenv, stdout, stderr)
	case "audit":
		return auditCmd(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
