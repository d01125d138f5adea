package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"sync"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/attach"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/form/formdb"
	"qifu/internal/platform"
	"qifu/internal/policy/policydb"
	"qifu/internal/pool/pooldb"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/store"
	"qifu/internal/web"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// filesDir is the folder of appeal attachments.
func (c *config) filesDir() string {
	switch {
	case c.Files != "":
		return c.Files
	case store.IsPostgres(c.DB):
		return filepath.Join("data", "files")
	}
	return filepath.Join(filepath.Dir(c.DB), "files")
}

// stores are the store's engine and the modules built on it.
type stores struct {
	*store.Store
	*platform.Modules
}

// openStore opens the configured store, builds the modules on it and
// migrates it.
func openStore(ctx context.Context, c *config, log *slog.Logger) (stores, error) {
	st, err := store.Open(ctx, store.Options{DSN: c.DB, Logger: log, ReadConns: c.ReadConns})
	if err != nil {
		return stores{}, err
	}
	all := stores{Store: st, Modules: platform.Build(st, platform.Options{FiguresTTL: c.FiguresTTL})}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return stores{}, err
	}
	return all, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var create bool
	c, _, err := parse("serve", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&create, "create", false, "create the SQLite store if there is none at --db")
	})
	if err != nil {
		return err
	}
	// A mistyped --db must not give a running deployment a new, empty store:
	// a store is created on purpose (--create, --demo, or qifu migrate).
	if !store.IsPostgres(c.DB) && !create && !c.Demo {
		if _, err := os.Stat(c.DB); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no store at %s: start with --create to make a new one there, or run qifu migrate --db %s first", c.DB, c.DB)
		}
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
	files, err := attach.Open(c.filesDir())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// The listener answers at once. Until the site is ready (a fresh demo
	// store takes seconds to load), every request gets the loading page.
	front := &loading{}
	srv := &http.Server{
		Handler:           front,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	jobs, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer stopJobs()
	// open builds the site on the loaded store, serves it and starts the jobs.
	open := func(demoAccounts []web.DemoAccount) error {
		h, err := web.New(st.Modules, log, web.Config{Files: files, StaffIdle: c.StaffIdle, MaxBody: c.MaxBody,
			MaxUpload: c.MaxUpload, SecureCookies: c.SecureCookies, Version: version, DemoAccounts: demoAccounts,
			DenialBudget: c.DenialBudget, SignInBudget: c.SignInBudget})
		if err != nil {
			return err
		}
		front.open(h)
		fmt.Fprintf(stdout, "qifu %s listening on http://%s (store: %s)\n", version, ln.Addr(), st.Dialect())
		log.Info("serving", "addr", ln.Addr().String(), "store", st.Dialect(), "version", version)
		go sweep(jobs, st.Store, log)
		go alerts(jobs, st.Appeals, log)
		go deliver(jobs, st.Store, c.OutboxEvery, log)
		go foldAssessment(jobs, st.Appeals, log)
		go sweepFiles(jobs, st.Store, files, log)
		go purgePool(jobs, st.Pool, log)
		go poolAlerts(jobs, st.Pool, log)
		go policyReevaluate(jobs, st.Policy, log)
		go resumptionJobs(jobs, st.Resumption, log)
		return nil
	}
	ready := make(chan error, 1)
	if c.Demo {
		fmt.Fprintf(stdout, "qifu %s is loading the demo; watch it at http://%s\n", version, ln.Addr())
		go func() {
			d, err := demoIfEmpty(ctx, st, c, stdout, log, front.progress)
			if err != nil {
				ready <- err
				return
			}
			var accounts []web.DemoAccount
			for _, u := range d.Accounts() {
				accounts = append(accounts, web.DemoAccount{Username: u.Username, Role: u.Role})
			}
			ready <- open(accounts)
		}()
	} else {
		ready <- open(nil)
	}

	if c.Pprof != "" {
		if err := servePprof(ctx, c.Pprof, stdout, log); err != nil {
			return err
		}
	}

	select {
	case err := <-ready:
		if err != nil {
			srv.Close()
			return err
		}
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shut, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// servePprof serves Go's runtime profiles on addr, which must be a
// loopback address: profiles show the program's internals and are never
// served on the public listener.
func servePprof(ctx context.Context, addr string, stdout io.Writer, log *slog.Logger) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--pprof %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--pprof %q: profiles are served on a loopback address only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--pprof: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	go srv.Serve(ln)
	fmt.Fprintf(stdout, "profiles on http://%s/debug/pprof/\n", ln.Addr())
	log.Info("profiles", "addr", ln.Addr().String())
	return nil
}

// every runs job every d until ctx ends.
func every(ctx context.Context, d time.Duration, job func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			job()
		}
	}
}

// sweep deletes expired sessions every few minutes; with several instances
// a lease in the store lets one of them do it.
func sweep(ctx context.Context, st *store.Store, log *slog.Logger) {
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%s/%d", host, os.Getpid())
	every(ctx, 5*time.Minute, func() {
		ok, err := st.TryLease(ctx, "sweep", holder, (4 * time.Minute).Milliseconds())
		if err != nil || !ok {
			if err != nil {
				log.Warn("sweep lease", "err", err)
			}
			return
		}
		if n, err := st.Sweep(ctx); err != nil {
			log.Warn("sweep", "err", err)
		} else if n > 0 {
			log.Info("swept expired sessions", "sessions", n)
		}
	})
}

// purgePool deletes, every hour, the pool's personal data past its
// retention (job seekers, workers long out of the pool). Every instance runs
// it: a deletion done twice is done once.
func purgePool(ctx context.Context, p *pooldb.Store, log *slog.Logger) {
	every(ctx, time.Hour, func() {
		if n, err := p.Purge(ctx); err != nil {
			log.Warn("pool purge", "err", err)
		} else if n > 0 {
			log.Info("pool personal data purged", "records", n)
		}
	})
}

// poolAlerts tells the community of the pool's steps past their limits,
// every minute. Every instance runs it: each alert is claimed in the store,
// so it is sent once however many instances run.
func poolAlerts(ctx context.Context, p *pooldb.Store, log *slog.Logger) {
	every(ctx, pooldb.AlertEvery, func() {
		if n, err := p.RunAlerts(ctx, 500); err != nil {
			log.Warn("pool alerts", "err", err)
		} else if n > 0 {
			log.Info("pool alerts raised", "alerts", n)
		}
	})
}

// policyReevaluate evaluates again, every minute, the enterprises whose
// facts or record changed, and tells them of benefits they now qualify
// for. Every instance runs it: a batch is taken by moving the marks in the
// transaction that tells, so it is handled once.
func policyReevaluate(ctx context.Context, p *policydb.Store, log *slog.Logger) {
	every(ctx, time.Minute, func() {
		if n, err := p.Reevaluate(ctx); err != nil {
			log.Warn("policy re-evaluation", "err", err)
		} else if n > 0 {
			log.Info("policy pushes after changes", "pushes", n)
		}
	})
}

// resumptionJobs escalates, every minute, the findings past their
// deadline, and erases the health counts of campaigns past their
// retention day. Every instance runs it: each escalation is claimed in the
// store, so it is raised once; an erasure done twice is done once.
func resumptionJobs(ctx context.Context, r *resumptiondb.Store, log *slog.Logger) {
	every(ctx, time.Minute, func() {
		if n, err := r.Escalate(ctx); err != nil {
			log.Warn("resumption escalation", "err", err)
		} else if n > 0 {
			log.Info("late findings escalated", "findings", n)
		}
		if n, err := r.PurgeHealth(ctx); err != nil {
			log.Warn("resumption health purge", "err", err)
		} else if n > 0 {
			log.Info("health counts erased", "reports", n)
		}
	})
}

// alerts raises the warnings and escalations of appeal steps that have come
// due, every half minute. Every instance runs it: each alert is claimed in
// the store, so it is raised exactly once however many instances run.
func alerts(ctx context.Context, st *appealdb.Store, log *slog.Logger) {
	every(ctx, 30*time.Second, func() {
		if n, err := st.RunAlerts(ctx, 5000); err != nil {
			log.Warn("appeal alerts", "err", err)
		} else if n > 0 {
			log.Info("appeal alerts raised", "alerts", n)
		}
	})
}

// foldAssessment folds the appeals changed since the last time into the
// kept monthly assessment figures every two seconds; every instance runs it,
// one at a time (the store locks).
func foldAssessment(ctx context.Context, st *appealdb.Store, log *slog.Logger) {
	every(ctx, 2*time.Second, func() {
		if n, err := st.FoldAssessment(ctx, 0); err != nil {
			log.Warn("fold assessment", "err", err)
		} else if n >= 5000 {
			log.Info("assessment folded", "appeals", n)
		}
	})
}

// deliver sends the outbox's messages to the DingTalk and WeCom group robots
// every few seconds; every instance runs it, each message is claimed first.
func deliver(ctx context.Context, st *store.Store, interval time.Duration, log *slog.Logger) {
	client := &http.Client{Timeout: 10 * time.Second}
	if interval <= 0 {
		interval = 5 * time.Second
	}
	every(ctx, interval, func() {
		sent, failed, err := st.DeliverOutbox(ctx, client, 200)
		if err != nil {
			log.Warn("outbox", "err", err)
		}
		if sent+failed > 0 {
			log.Info("outbox delivered", "sent", sent, "failed", failed)
		}
	})
}

// sweepFiles removes, every hour, attachment files no row names and partial
// uploads, once they are an hour old; a lease lets one instance do it.
func sweepFiles(ctx context.Context, st *store.Store, files *attach.Dir, log *slog.Logger) {
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%s/%d", host, os.Getpid())
	every(ctx, time.Hour, func() {
		if ok, err := st.TryLease(ctx, "files", holder, (50 * time.Minute).Milliseconds()); err != nil || !ok {
			return
		}
		n, err := files.Sweep(time.Now().Add(-time.Hour), func(sha string) (bool, error) { return st.HasAttachment(ctx, sha) })
		if err != nil {
			log.Warn("sweep attachment files", "err", err)
		} else if n > 0 {
			log.Info("removed attachment files no record holds", "files", n)
		}
	})
}

// demoIfEmpty loads the demo dataset, and a history of appeals replayed
// through the workflow, into an empty store, and prints the demo accounts.
func demoIfEmpty(ctx context.Context, st stores, c *config, stdout io.Writer, log *slog.Logger, progress func(percent int)) (demo.Dataset, error) {
	empty, err := st.Empty(ctx)
	if err != nil {
		return demo.Dataset{}, err
	}
	d := demo.Generate(1)
	if empty {
		start := time.Now()
		if err := st.LoadDemo(ctx, d); err != nil {
			return d, fmt.Errorf("load demo: %w", err)
		}
		log.Info("demo data loaded", "enterprises", len(d.Enterprises), "users", len(d.Users), "took", time.Since(start).Round(time.Millisecond))
		progress(10)
		if c.DemoAppeals > 0 {
			if err := demoHistory(ctx, c, d, stdout, log, progress); err != nil {
				return d, err
			}
		}
	}
	printAccounts(stdout, d)
	return d, nil
}

// demoHistory replays the demo's appeals of the last four months, then its
// forms and its visits, through a second handle on the store whose clock the
// replay moves.
func demoHistory(ctx context.Context, c *config, d demo.Dataset, stdout io.Writer, log *slog.Logger, progress func(percent int)) error {
	start := time.Now()
	fmt.Fprintf(stdout, "replaying %d demo appeals of the last four months…\n", c.DemoAppeals)
	var mu sync.Mutex
	at := start
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return at
	}
	rs, err := store.Open(ctx, store.Options{DSN: c.DB, Logger: log, Now: clock})
	if err != nil {
		return err
	}
	defer rs.Close()
	mods := platform.Build(rs, platform.Options{})
	replay := mods.Appeals
	plans, moves := demo.History(d, 1, start.In(calendar.Shanghai), c.DemoAppeals)
	// The replay's clock walks the four months up to now: how far it has
	// come is the loading's progress, from 10 % (the records) to 99 %.
	first := start.AddDate(0, -4, 0)
	rep, err := replay.ReplayHistory(ctx, plans, moves, func(t time.Time) {
		mu.Lock()
		at = t
		mu.Unlock()
		progress(10 + int(89*t.Sub(first)/start.Sub(first)))
	})
	if err != nil {
		return fmt.Errorf("demo history: %w", err)
	}
	log.Info("demo history replayed", "appeals", rep.Appeals, "moves", rep.Moves, "skipped", rep.Skipped,
		"alerts", rep.Alerts, "took", time.Since(start).Round(time.Millisecond))
	forms, err := formdb.Demo(ctx, rs, mods.Forms, mods.Campaigns, time.Now(), func(t time.Time) {
		mu.Lock()
		at = t
		mu.Unlock()
	})
	if err != nil {
		return fmt.Errorf("demo forms: %w", err)
	}
	log.Info("demo forms played", "facts", forms.Facts, "campaigns", forms.Campaigns, "answers", forms.Answers)
	began := time.Now()
	visits, err := demo.PlayVisits(ctx, d, 1, demo.VisitModules{Accounts: rs, Enterprises: mods.Dossier, Visits: mods.Visits, Appeals: mods.Appeals},
		time.Now(), func(t time.Time) {
			mu.Lock()
			at = t
			mu.Unlock()
		})
	if err != nil {
		return fmt.Errorf("demo visits: %w", err)
	}
	log.Info("demo visits played", "report", visits.String(), "took", time.Since(began).Round(time.Millisecond))
	days, problems, err := demo.PlayServiceDays(ctx, d, demo.VisitModules{Accounts: rs, Enterprises: mods.Dossier}, mods.Visits, time.Now(),
		func(t time.Time) {
			mu.Lock()
			at = t
			mu.Unlock()
		})
	if err != nil {
		return fmt.Errorf("demo service days: %w", err)
	}
	log.Info("demo service days played", "days", days, "problems", problems)
	began = time.Now()
	system := access.System("demo")
	// The full pool with the full history (165 needs for 1,500 appeals); a
	// smaller history, as the tests start, a smaller pool.
	needs := max(20, 165*c.DemoAppeals/1500)
	actor := func(ctx context.Context, username string) (access.Actor, error) {
		u, err := rs.UserByUsername(ctx, username)
		if err != nil {
			return access.Actor{}, fmt.Errorf("demo account %s: %w", username, err)
		}
		a, err := rs.Actor(ctx, u.ID)
		a.Addr = "demo"
		return a, err
	}
	setNow := func(t time.Time) {
		mu.Lock()
		at = t
		mu.Unlock()
	}
	poolRep, err := pooldb.Demo(ctx, d, needs, mods.Pool,
		func(ctx context.Context, code string) (int64, error) {
			return mods.Dossier.ByCreditCode(ctx, system, code)
		}, actor, time.Now(), setNow)
	if err != nil {
		return fmt.Errorf("demo pool: %w", err)
	}
	log.Info("demo pool played", "report", poolRep.String(), "took", time.Since(began).Round(time.Millisecond))
	began = time.Now()
	policyRep, err := policydb.Demo(ctx, mods.Policy, d, actor, time.Now(), setNow)
	if err != nil {
		return fmt.Errorf("demo policy: %w", err)
	}
	log.Info("demo policy played", "report", policyRep.String(), "took", time.Since(began).Round(time.Millisecond))
	began = time.Now()
	// The full crisis over the district with the full history; a smaller
	// history, as the tests start, the crisis over one street.
	resumeRep, err := resumptiondb.Demo(ctx, mods.Resumption, mods.Forms, mods.Campaigns, d, actor, time.Now(), setNow, c.DemoAppeals < 1500)
	if err != nil {
		return fmt.Errorf("demo resumption: %w", err)
	}
	log.Info("demo resumption played", "report", resumeRep.String(), "took", time.Since(began).Round(time.Millisecond))
	return nil
}

func printAccounts(w io.Writer, d demo.Dataset) {
	fmt.Fprintln(w, "演示账号 / demo accounts (password "+demo.Password+"):")
	for _, u := range d.Accounts() {
		scope := u.RegionCode + u.DepartmentCode + u.EnterpriseCode
		fmt.Fprintf(w, "  %-16s %-16s %s %s\n", u.Username, u.Role, u.Name, scope)
	}
}
