package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// config is the configuration of every command, from flags and environment
// variables (flags win). README.md lists it.
type config struct {
	DB            string        // QIFU_DB: postgres:// URL or SQLite file
	Addr          string        // QIFU_ADDR: listen address
	Demo          bool          // QIFU_DEMO: load the demo data into an empty store
	DemoAppeals   int           // QIFU_DEMO_APPEALS: appeals in the demo's history
	Files         string        // QIFU_FILES: folder of appeal attachments
	OutboxEvery   time.Duration // QIFU_OUTBOX_EVERY: how often the outbox is delivered
	StaffIdle     time.Duration // QIFU_STAFF_IDLE: idle timeout of staff sessions
	SecureCookies bool          // QIFU_SECURE_COOKIES: behind TLS
	LogLevel      string        // QIFU_LOG_LEVEL: debug, info, warn, error
	LogFormat     string        // QIFU_LOG_FORMAT: text or json
	MaxBody       int64         // QIFU_MAX_BODY: bytes
	MaxUpload     int64         // QIFU_MAX_UPLOAD: bytes
	ReadConns     int           // QIFU_READ_CONNS
	DenialBudget  int           // QIFU_DENIAL_BUDGET: refusals a minute recorded one by one
	SignInBudget  int           // QIFU_SIGN_IN_BUDGET: failed sign-ins of one address in 10 minutes before 429
	Pprof         string        // QIFU_PPROF: loopback address of the profiling listener; "" for none
	FiguresTTL    time.Duration // QIFU_FIGURES_TTL: how long a leader's computed figures are answered again
}

// flags declares the shared flags on fs with defaults from the environment.
func flags(fs *flag.FlagSet, getenv func(string) string) *config {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	c := &config{}
	fs.StringVar(&c.DB, "db", env("QIFU_DB", "data/qifu.db"), "postgres:// URL, or the SQLite file")
	fs.StringVar(&c.Addr, "addr", env("QIFU_ADDR", "127.0.0.1:8080"), "listen address")
	fs.BoolVar(&c.Demo, "demo", env("QIFU_DEMO", "") == "1" || env("QIFU_DEMO", "") == "true", "load demo data into an empty store and print the demo accounts")
	fs.StringVar(&c.Files, "files", env("QIFU_FILES", ""), "folder of appeal attachments (default: files/ beside the SQLite file, data/files for PostgreSQL); share it between instances")
	outboxEvery, _ := time.ParseDuration(env("QIFU_OUTBOX_EVERY", "5s"))
	fs.DurationVar(&c.OutboxEvery, "outbox-every", outboxEvery, "how often the group-robot outbox is delivered")
	demoAppeals, _ := strconv.Atoi(env("QIFU_DEMO_APPEALS", "1500"))
	fs.IntVar(&c.DemoAppeals, "demo-appeals", demoAppeals, "appeals in the demo's history of the last four months (0 for none)")
	idle, _ := time.ParseDuration(env("QIFU_STAFF_IDLE", "30m"))
	fs.DurationVar(&c.StaffIdle, "staff-idle", idle, "idle timeout of staff sessions")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", env("QIFU_SECURE_COOKIES", "") == "1" || env("QIFU_SECURE_COOKIES", "") == "true", "mark cookies Secure (serve behind TLS)")
	fs.StringVar(&c.LogLevel, "log-level", env("QIFU_LOG_LEVEL", "info"), "debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", env("QIFU_LOG_FORMAT", "text"), "text or json")
	maxBody, _ := strconv.ParseInt(env("QIFU_MAX_BODY", "1048576"), 10, 64)
	fs.Int64Var(&c.MaxBody, "max-body", maxBody, "largest request body in bytes (uploads excepted)")
	maxUpload, _ := strconv.ParseInt(env("QIFU_MAX_UPLOAD", "33554432"), 10, 64)
	fs.Int64Var(&c.MaxUpload, "max-upload", maxUpload, "largest uploaded workbook in bytes")
	budget, _ := strconv.Atoi(env("QIFU_DENIAL_BUDGET", "30"))
	fs.IntVar(&c.DenialBudget, "denial-budget", budget, "refusals of one user a minute recorded one by one; more are counted and answered 429")
	signIns, _ := strconv.Atoi(env("QIFU_SIGN_IN_BUDGET", "100"))
	fs.IntVar(&c.SignInBudget, "sign-in-budget", signIns, "failed sign-ins of one client address in 10 minutes; after them the address is answered 429 until the 10 minutes end")
	fs.StringVar(&c.Pprof, "pprof", env("QIFU_PPROF", ""), "serve Go's profiles (net/http/pprof) on this loopback address, e.g. 127.0.0.1:6060; off by default")
	figuresTTL, _ := time.ParseDuration(env("QIFU_FIGURES_TTL", "1m"))
	fs.DurationVar(&c.FiguresTTL, "figures-ttl", figuresTTL, "how long a leader's computed figures (the three rates, the overview) are answered again for the same scope and query; 0 computes each anew")
	conns, _ := strconv.Atoi(env("QIFU_READ_CONNS", "8"))
	fs.IntVar(&c.ReadConns, "read-conns", conns, "store read connections")
	return c
}

// logger builds the logger of the configuration.
func (c *config) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", c.LogLevel, err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(c.LogFormat) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", c.LogFormat)
}

// parse parses args with the shared flags plus any the command adds.
func parse(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (*config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("qifu "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := flags(fs, getenv)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	return c, fs, nil
}
