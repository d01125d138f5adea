package store

import (
	"context"
	"database/sql"
	"fmt"

	"qifu/internal/fault"
)

// Wrap adds what was being done to an error of the database, and leaves
// a domain's error (fault) as it is, for its message and code to reach
// the person.
func Wrap(err error, what string) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Affected is the number of rows a statement changed.
func Affected(res sql.Result) int64 {
	n, _ := res.RowsAffected()
	return n
}

// Paged counts the rows of from (its FROM and joins) that meet where, and
// reads the page of them in order: a module's list with its total.
func Paged[T any](ctx context.Context, h DB, what string, scan func(Scanner) (T, error), columns, from, where string, args []any,
	order string, page Page) ([]T, int, error) {
	var total int
	if err := Scan(h.Row(ctx, "SELECT COUNT(*) "+from+" WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", what, err)
	}
	limit, offset := page.Bounds()
	out, err := Collect(ctx, h, scan, "SELECT "+columns+" "+from+" WHERE "+where+" ORDER BY "+order+" LIMIT ? OFFSET ?",
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list %s: %w", what, err)
	}
	return out, total, nil
}
