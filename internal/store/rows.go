package store

import (
	"context"
	"fmt"
	"time"
)

// A Scanner is a row to scan: *sql.Row, or *sql.Rows at its current row.
type Scanner interface{ Scan(dest ...any) error }

// Collect runs a query and reads every row with scan. It closes the rows and
// returns the first error of the query, a scan or the iteration, translated
// into fault kinds: a read that failed part way never passes for a whole
// one (which, in a write transaction, would apply half a change).
func Collect[T any](ctx context.Context, h DB, scan func(Scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := h.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("scan: %w", translate(err))
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// Millis is the time kept as milliseconds since the epoch, as the store
// keeps every time; 0 means no time, and is the zero time.Time, so that "no
// time" is one thing everywhere above the store.
func Millis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// Int64 scans a row of one integer column, for Collect.
func Int64(sc Scanner) (int64, error) {
	var n int64
	err := sc.Scan(&n)
	return n, err
}
