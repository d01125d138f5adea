package pooldb

import (
	"context"
	"fmt"

	"qifu/internal/store"
)

// paged counts the rows of from (its FROM and joins) that meet where, and
// reads the page of them in order: every list of the pool (workers, needs,
// job seekers, loans) with its total.
func paged[T any](ctx context.Context, h store.DB, what string, scan func(store.Scanner) (T, error), columns, from, where string, args []any,
	order string, page store.Page) ([]T, int, error) {
	var total int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) "+from+" WHERE "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", what, err)
	}
	limit, offset := page.Bounds()
	out, err := store.Collect(ctx, h, scan, "SELECT "+columns+" "+from+" WHERE "+where+" ORDER BY "+order+" LIMIT ? OFFSET ?",
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list %s: %w", what, err)
	}
	return out, total, nil
}
