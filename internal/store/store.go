// Package store keeps qifu's records in SQLite (embedded, the default) or
// PostgreSQL (several stateless instances sharing one database). All SQL
// lives here, written once in the subset both databases share; what differs
// is in dialect.go and the two migration folders.
//
// Use cases take the acting user and ask package access before they read or
// change a record; list queries are narrowed by the actor's scope in SQL.
// Every change is written to the audit log in the same transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite", pure Go
)

// Store is the database of one qifu deployment.
type Store struct {
	d     dialect
	read  *sql.DB // reads; for SQLite a pool of read-only connections
	write *sql.DB // writes; for SQLite a single connection holding the write lock
	// readStmts and writeStmts cache SQLite's prepared statements (nil on PostgreSQL).
	readStmts, writeStmts *stmtCache
	// group runs SQLite's write transactions in group commits (nil on PostgreSQL).
	group *committer
	now   func() time.Time
	log   *slog.Logger
	path  string // SQLite file, for backups
	cal   calendarCache
	demo  demoFlag // whether the store is the demo's (second_factor.go)
	// modules are the callbacks of the modules built on the store (Register).
	modules []Module
	// hashing bounds the password hashes computed at once: each takes 64 MiB
	// (argon2id), so a burst of sign-ins must queue, not multiply memory.
	hashing chan struct{}
}

// Options configure Open.
type Options struct {
	// DSN is a postgres:// URL, or the path of an SQLite file.
	DSN string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives store events; slog.Default when nil.
	Logger *slog.Logger
	// ReadConns is the size of the read pool (SQLite) or the whole pool (PostgreSQL).
	ReadConns int
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by opts.DSN and checks that it keeps
// qifu's durability promises. It does not migrate; call Migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	s := &Store{now: opts.Now, log: opts.Logger, hashing: make(chan struct{}, max(2, runtime.NumCPU()))}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	conns := opts.ReadConns
	if conns <= 0 {
		conns = 8
	}
	var err error
	if IsPostgres(opts.DSN) {
		s.d = postgresDialect
		s.read, err = sql.Open("pgx", opts.DSN)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.read.SetMaxOpenConns(conns * 2)
		s.read.SetMaxIdleConns(conns)
		s.read.SetConnMaxIdleTime(5 * time.Minute)
		s.write = s.read
	} else {
		s.d = sqliteDialect
		s.path = opts.DSN
		if dir := filepath.Dir(opts.DSN); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
		}
		// One writer connection: write transactions begin IMMEDIATE so they
		// take the write lock up front instead of failing on upgrade.
		s.write, err = sql.Open("sqlite", sqliteDSN(opts.DSN, "immediate", false))
		if err != nil {
			return nil, fmt.Errorf("open sqlite writer: %w", err)
		}
		s.write.SetMaxOpenConns(1)
		s.write.SetMaxIdleConns(1)
		s.write.SetConnMaxLifetime(0)
		s.read, err = sql.Open("sqlite", sqliteDSN(opts.DSN, "deferred", true))
		if err != nil {
			s.write.Close()
			return nil, fmt.Errorf("open sqlite readers: %w", err)
		}
		s.read.SetMaxOpenConns(conns)
		s.read.SetMaxIdleConns(conns)
		s.readStmts, s.writeStmts = newStmtCache(s.read), newStmtCache(s.write)
	}
	if err := s.check(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.d == sqliteDialect {
		s.group = newCommitter(s)
	}
	return s, nil
}

// sqliteDSN applies the settings qifu's promises rest on to every connection:
// WAL, full fsync at commit, a busy timeout, foreign keys. The path goes into a
// file: URI, so the characters URIs give a meaning to are escaped.
func sqliteDSN(path, txlock string, readOnly bool) string {
	path = uriPath.Replace(path)
	q := "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_txlock=" + txlock
	// Page caches: the writer's holds a large import's pages without
	// spilling them into the WAL before the commit; each reader's, the upper
	// levels of the indexes of a city's appeals.
	if readOnly {
		q += "&_pragma=query_only(1)&_pragma=cache_size(-8192)"
	} else {
		q += "&_pragma=cache_size(-65536)"
	}
	return "file:" + path + "?" + q
}

// SQLiteWriterDSN is the data source name qifu's own write connection uses
// for the SQLite file at path, for a program that must write with exactly
// the same durability settings (the benchmarks' bare limit).
func SQLiteWriterDSN(path string) string { return sqliteDSN(path, "immediate", false) }

// Rebind turns the ? placeholders of query into the placeholders of the
// store at dsn ($1, $2, … for PostgreSQL), for programs beside qifu that
// write their own SQL (the benchmarks).
func Rebind(dsn, query string) string {
	if IsPostgres(dsn) {
		return postgresDialect.rebind(query)
	}
	return query
}

// uriPath escapes what would end or alter the path of a file: URI.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23")

// Close releases the database.
func (s *Store) Close() error {
	if s.group != nil {
		s.group.close()
	}
	var errs []error
	if s.write != nil && s.write != s.read {
		errs = append(errs, s.write.Close())
	}
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	return errors.Join(errs...)
}

// Now is the store's clock: every module stamps its records with it.
func (s *Store) Now() time.Time { return s.now() }

// Logger is the store's logger.
func (s *Store) Logger() *slog.Logger { return s.log }

// Postgres reports whether the store is PostgreSQL.
func (s *Store) Postgres() bool { return s.d == postgresDialect }

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", s.d.name, err)
	}
	return nil
}

// PoolStats returns the statistics of the read and write pools.
func (s *Store) PoolStats() (read, write sql.DBStats) {
	return s.read.Stats(), s.write.Stats()
}
