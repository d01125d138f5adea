package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"qifu/internal/audit"
	"qifu/internal/fault"
)

// Tx is one transaction: one use case runs in one Tx.
type Tx struct {
	tx *sql.Tx
	d  dialect
	s  *Store
	// unprepared are the statements the transaction ran that the write
	// connection has not prepared yet (SQLite): the group commit prepares
	// them once the group has ended, when the connection is free again.
	unprepared []string
	// grouped: the transaction runs in a group commit (SQLite), where a
	// cancelled request must not interrupt a statement: SQLite would roll
	// back the whole group.
	grouped bool
	// places remembers the ancestry of the grids the transaction placed
	// records in (see gridAncestry).
	places map[string]placed
	// audits are the audit entries recorded, written at the end (flushAudit).
	audits []audit.Entry
	// writes are the enterprises registered or changed, told to the modules
	// at the end (enterprisesWritten).
	writes []EnterpriseWrite
}

// run runs fn in the transaction, then writes its audit entries.
func (t *Tx) run(ctx context.Context, fn func(*Tx) error) error {
	if err := fn(t); err != nil {
		return err
	}
	if err := t.enterprisesWritten(ctx); err != nil {
		return err
	}
	return t.flushAudit(ctx)
}

// queryer is what a read needs: the read pool or a transaction.
type queryer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// DB is a dialect-aware handle for a module's SQL: the read pool
// (Store.Reader), a snapshot (Store.Snapshot) or a transaction (Tx.DB).
// Queries are written once with ? placeholders; the handle rebinds them for
// PostgreSQL, runs SQLite's through prepared statements, and translates the
// databases' errors into fault kinds (see Translate).
type DB struct {
	q     queryer
	d     dialect
	stmts *stmtCache // SQLite: the pool's prepared statements; nil on PostgreSQL
	tx    *Tx        // the transaction q is, if it is one
}

// prepared returns q prepared for this handle, or nil to run it as text.
// On the read pool a statement is prepared at first use. In a transaction
// the one write connection is taken, so a statement met for the first time
// is prepared after the transaction (see WithTx) and used from then on.
func (h DB) prepared(ctx context.Context, q string) *sql.Stmt {
	if h.stmts == nil {
		return nil
	}
	if h.tx == nil {
		return h.stmts.prepare(ctx, q)
	}
	st := h.stmts.get(q)
	if st == nil {
		h.tx.unprepared = append(h.tx.unprepared, q)
		return nil
	}
	return h.tx.tx.StmtContext(ctx, st)
}

// context is the context a statement runs under: in a group commit the
// caller's, without its cancellation.
func (h DB) context(ctx context.Context) context.Context {
	if h.tx != nil && h.tx.grouped {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// Exec runs a statement that returns no rows.
func (h DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q, ctx = h.d.rebind(q), h.context(ctx)
	if st := h.prepared(ctx, q); st != nil {
		r, err := st.ExecContext(ctx, args...)
		return r, translate(err)
	}
	r, err := h.q.ExecContext(ctx, q, args...)
	return r, translate(err)
}

// Query runs a query; the caller closes the rows and checks rows.Err (or
// uses Collect, which does both).
func (h DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q, ctx = h.d.rebind(q), h.context(ctx)
	if st := h.prepared(ctx, q); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, translate(err)
	}
	rows, err := h.q.QueryContext(ctx, q, args...)
	return rows, translate(err)
}

// Row runs a query that returns at most one row; read it with Scan.
func (h DB) Row(ctx context.Context, q string, args ...any) *sql.Row {
	q, ctx = h.d.rebind(q), h.context(ctx)
	if st := h.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return h.q.QueryRowContext(ctx, q, args...)
}

// Scan scans a single row, mapping no rows to fault.ErrNotFound.
func Scan(row *sql.Row, dest ...any) error {
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return fault.ErrNotFound
	}
	return translate(err)
}

// Reader returns a handle on the read pool.
func (s *Store) Reader() DB { return DB{q: s.read, d: s.d, stmts: s.readStmts} }

// Writer returns a handle on the write pool outside any transaction, for a
// statement that must commit on its own at once (PostgreSQL's sequences).
func (s *Store) Writer() DB { return DB{q: s.write, d: s.d} }

// Now is the store's clock, for a module's transaction.
func (t *Tx) Now() time.Time { return t.s.now() }

// DB returns the handle of the transaction.
func (t *Tx) DB() DB { return DB{q: t.tx, d: t.d, stmts: t.s.writeStmts, tx: t} }

// WithTx runs fn in one write transaction, committing when fn returns nil.
// On SQLite the transaction takes the write lock at BEGIN (IMMEDIATE).
func (s *Store) WithTx(ctx context.Context, fn func(*Tx) error) error {
	if s.group != nil {
		return s.group.do(ctx, fn)
	}
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", translate(err))
	}
	t := &Tx{tx: sqlTx, d: s.d, s: s}
	if err := t.run(ctx, fn); err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			s.log.Error("rollback", "err", rbErr)
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", translate(err))
	}
	return nil
}

// Snapshot runs fn on one consistent view of the store: a read-only
// repeatable-read transaction on PostgreSQL, a read transaction on SQLite.
func (s *Store) Snapshot(ctx context.Context, fn func(DB) error) error {
	var opts *sql.TxOptions
	if s.d == postgresDialect {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := s.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin snapshot: %w", translate(err))
	}
	defer tx.Rollback()
	return fn(DB{q: tx, d: s.d})
}

// ScanErr maps a scan error: no rows is fault.ErrNotFound.
func ScanErr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fault.ErrNotFound
	}
	return translate(err)
}
