package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"qifu/internal/fault"
)

// Tx is one transaction: one use case runs in one Tx.
type Tx struct {
	tx *sql.Tx
	d  dialect
	s  *Store
}

// queryer is what a read needs: the read pool or a transaction.
type queryer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// db is a dialect-aware handle on a queryer.
type db struct {
	q queryer
	d dialect
}

func (h db) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	r, err := h.q.ExecContext(ctx, h.d.rebind(q), args...)
	return r, translate(err)
}

func (h db) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := h.q.QueryContext(ctx, h.d.rebind(q), args...)
	return rows, translate(err)
}

func (h db) row(ctx context.Context, q string, args ...any) *sql.Row {
	return h.q.QueryRowContext(ctx, h.d.rebind(q), args...)
}

// scan scans a single row, mapping no rows to fault.ErrNotFound.
func scan(row *sql.Row, dest ...any) error {
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return fault.ErrNotFound
	}
	return translate(err)
}

// reader returns a handle on the read pool.
func (s *Store) reader() db { return db{q: s.read, d: s.d} }

// db returns the handle of the transaction.
func (t *Tx) db() db { return db{q: t.tx, d: t.d} }

// WithTx runs fn in one write transaction, committing when fn returns nil.
// On SQLite the transaction takes the write lock at BEGIN (IMMEDIATE).
func (s *Store) WithTx(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", translate(err))
	}
	t := &Tx{tx: sqlTx, d: s.d, s: s}
	if err := fn(t); err != nil {
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

// scanErr maps a scan error: no rows is fault.ErrNotFound.
func scanErr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fault.ErrNotFound
	}
	return translate(err)
}
