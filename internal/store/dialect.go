package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"qifu/internal/fault"
)

// dialect is everything that differs between the two databases. Queries are
// written once with ? placeholders; rebind turns them into $n for PostgreSQL.
type dialect struct {
	name string
	// dollar is true when placeholders are $1, $2, …
	dollar bool
	// auditChain chooses the audit chain a transaction appends to (see
	// flushAudit): on PostgreSQL a head no other transaction holds, at
	// random; SQLite has one writer, and appends to chain 1, at the end of
	// its index.
	auditChain string
}

var (
	sqliteDialect   = dialect{name: "sqlite", auditChain: "1"}
	postgresDialect = dialect{name: "postgres", dollar: true,
		auditChain: "(SELECT id FROM audit_head ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED)"}
)

// minSQLite is the oldest SQLite library qifu runs on: 3.51.3.
const minSQLite = 3_051_003

// rebind rewrites ? placeholders for the dialect, leaving quoted text
// ('strings' and "identifiers") alone.
func (d dialect) rebind(q string) string {
	if !d.dollar || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, quote := 0, byte(0) // quote is the quote character of the text we are in
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// placeholders returns n placeholders separated by commas, for IN (…).
func Placeholders(n int) string {
	return Tuples("?", n)
}

// tuples returns n copies of tuple separated by commas, for the rows of a
// VALUES list: Tuples("(?, ?)", 3) is "(?, ?), (?, ?), (?, ?)".
func Tuples(tuple string, n int) string {
	if n <= 0 {
		return ""
	}
	return tuple + strings.Repeat(", "+tuple, n-1)
}

// check refuses a database configured against qifu's promises.
func (s *Store) check(ctx context.Context) error {
	if s.d == postgresDialect {
		return checkPostgres(func(setting string) (string, error) {
			var v string
			err := s.read.QueryRowContext(ctx, "SHOW "+setting).Scan(&v)
			return v, err
		})
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open sqlite writer: %w", err)
	}
	defer conn.Close()
	return checkSQLite(func(query string) (string, error) {
		var v string
		err := conn.QueryRowContext(ctx, query).Scan(&v)
		return v, err
	})
}

// checkPostgres refuses a server that could acknowledge a commit before it
// is durable; show reads a setting.
func checkPostgres(show func(setting string) (string, error)) error {
	for _, setting := range []string{"fsync", "synchronous_commit"} {
		v, err := show(setting)
		if err != nil {
			return fmt.Errorf("read postgres setting %s: %w", setting, err)
		}
		if v == "off" {
			return fmt.Errorf("postgres has %s=off: acknowledged writes could be lost; turn it on", setting)
		}
	}
	return nil
}

// sqlitePromises are the pragmas qifu's promises rest on and the values
// they must have on the write connection.
var sqlitePromises = []struct{ pragma, value string }{
	{"journal_mode", "wal"},
	{"synchronous", "2"}, // FULL
	{"foreign_keys", "1"},
	{"busy_timeout", "10000"},
}

// checkSQLite refuses an SQLite library older than minSQLite, or a
// connection whose pragmas differ from sqlitePromises; query runs one
// statement and returns its single value.
func checkSQLite(query func(string) (string, error)) error {
	version, err := query("SELECT sqlite_version()")
	if err != nil {
		return fmt.Errorf("read sqlite version: %w", err)
	}
	if v := versionNumber(version); v < minSQLite {
		return fmt.Errorf("sqlite library %s is older than 3.51.3; rebuild qifu with a newer driver", version)
	}
	for _, w := range sqlitePromises {
		got, err := query("PRAGMA " + w.pragma)
		if err != nil {
			return fmt.Errorf("read sqlite pragma %s: %w", w.pragma, err)
		}
		if !strings.EqualFold(got, w.value) {
			return fmt.Errorf("sqlite pragma %s is %s, qifu needs %s", w.pragma, got, w.value)
		}
	}
	return nil
}

// versionNumber turns "3.54.1" into 3054001; a fourth part ("3.8.11.1") is
// ignored.
func versionNumber(v string) int {
	parts := strings.Split(v, ".")
	n := 0
	for i := 0; i < 3; i++ {
		x := 0
		if i < len(parts) {
			x, _ = strconv.Atoi(parts[i])
		}
		n = n*1000 + x
	}
	return n
}

// lostConnection reports whether err means the database could not be
// reached or the connection broke: PostgreSQL restarting or down, say. Such a
// request may succeed when retried, so it answers 503, not 500.
func lostConnection(err error) bool {
	var connect *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connect), errors.As(err, &netErr),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return true
	}
	// pgx reports a connection it closed after an error only in words.
	return strings.Contains(err.Error(), "conn closed")
}

// translate maps database errors to fault kinds: unique violations become
// Conflict, foreign-key violations Invalid, unreachable databases
// Unavailable. Anything else is returned as it is.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if lostConnection(err) {
		return &fault.Error{Kind: fault.Unavailable, Code: "store_unavailable",
			Message: fault.Msg{Zh: "数据库暂不可用，请稍后重试", En: "the database is unavailable, try again shortly"}, Err: err}
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return &fault.Error{Kind: fault.Conflict, Code: "duplicate",
				Message: fault.Msg{Zh: "记录已存在", En: "the record already exists"}, Err: err}
		case "23503":
			return &fault.Error{Kind: fault.Invalid, Code: "reference",
				Message: fault.Msg{Zh: "引用的记录不存在", En: "a referenced record does not exist"}, Err: err}
		case "53100": // disk_full
			return &fault.Error{Kind: fault.Unavailable, Code: "disk_full",
				Message: fault.Msg{Zh: "存储空间已满，请联系管理员", En: "storage is full; contact the administrator"}, Err: err}
		case "40001", "40P01":
			return &fault.Error{Kind: fault.Conflict, Code: "serialization",
				Message: fault.Msg{Zh: "操作冲突，请重试", En: "concurrent change, try again"}, Err: err}
		}
		if strings.HasPrefix(pg.Code, "08") || pg.Code == "57P01" || pg.Code == "57P03" {
			return &fault.Error{Kind: fault.Unavailable, Code: "store_unavailable",
				Message: fault.Msg{Zh: "数据库暂不可用，请稍后重试", En: "the database is unavailable, try again shortly"}, Err: err}
		}
		return err
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch lite.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &fault.Error{Kind: fault.Conflict, Code: "duplicate",
				Message: fault.Msg{Zh: "记录已存在", En: "the record already exists"}, Err: err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &fault.Error{Kind: fault.Invalid, Code: "reference",
				Message: fault.Msg{Zh: "引用的记录不存在", En: "a referenced record does not exist"}, Err: err}
		case sqlite3.SQLITE_FULL:
			return &fault.Error{Kind: fault.Unavailable, Code: "disk_full",
				Message: fault.Msg{Zh: "存储空间已满，请联系管理员", En: "storage is full; contact the administrator"}, Err: err}
		}
	}
	return err
}

// Translate maps a database error that reached a caller without passing
// through the store's translation (from iterating rows, say) to its fault
// kind; the web layer applies it before choosing a status.
func Translate(err error) error { return translate(err) }
