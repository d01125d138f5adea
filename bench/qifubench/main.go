// Command qifubench runs qifu's benchmark scenarios against the real qifu
// binary and prints their figures. See BENCHMARKS.md for the scenarios, the
// commands that reproduce each table and what the figures mean.
//
//	go run ./bench/qifubench <scenario> [flags]
//
// Scenarios: gen, finish, pg, intake, lifecycle, reads, export, pages, escalation, sheets, scaleout, reports.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: go run ./bench/qifubench <scenario> [flags]

  gen         fill a store with a generated history (--db, --blocks, --appeals)
  finish      fold and analyse a store whose gen was stopped after (or during) its history (--db)
  pg          run a PostgreSQL cluster with the benchmarks' settings until interrupted; prints a database's URL
  intake      scenario 1: appeal intake against the bare limit, 16 and 64 clients
  survey      a form submission burst: a district's answers against the bare limit of a submission
  lifecycle   scenario 2: whole lifecycles driven as the roles would
  reads       scenarios 3 and 6: read paths on a generated city, then the server's memory
  export      the read paths' export alone, warm and with the page cache dropped (root), and the disk's cold reads
  pages       the web pages each role opens, on a generated city: time and size
  escalation  scenario 4: find and escalate the steps that came due among 1 M open ones
  sheets      scenario 5: import and export 120,000 enterprises as .xlsx
  scaleout    scenario 7: 1, 2 and 3 instances on one PostgreSQL
  reports     a province's status reports in a morning: an open loop at 400/s for 10 min, the rates checked as it runs, against the bare limit

Every scenario takes --store sqlite|postgres (default sqlite) and -h for its flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	scenarios := map[string]func(context.Context, *flag.FlagSet, []string) error{
		"gen":        genCmd,
		"finish":     finishCmd,
		"pg":         pgCmd,
		"intake":     intakeCmd,
		"survey":     surveyCmd,
		"lifecycle":  lifecycleCmd,
		"reads":      readsCmd,
		"export":     exportCmd,
		"pages":      pagesCmd,
		"escalation": escalationCmd,
		"sheets":     sheetsCmd,
		"scaleout":   scaleoutCmd,
		"reports":    reportsCmd,
	}
	run, ok := scenarios[os.Args[1]]
	if !ok {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	if err := run(ctx, fs, os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "qifubench "+os.Args[1]+":", err)
		os.Exit(1)
	}
}
