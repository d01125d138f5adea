package appealdb

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/catalogue"
	"qifu/internal/store"
)

// StandardUse counts, per service standard, the appeals raised under it in
// [from, to) in the actor's reach for assessment (narrowed to region): how
// many, how many closed, and how many of those were handled within the
// handling limit (no handling step done after its deadline). A standard
// nobody asked for is absent; the catalogue's page lists it as unused.
func (s *Store) StandardUse(ctx context.Context, actor access.Actor, region string, from, to time.Time) ([]catalogue.Use, error) {
	if !access.May(actor.Role, access.AppealAssess) {
		return nil, access.ErrForbidden
	}
	where, args, ok := assessScope(actor, region)
	if !ok {
		return nil, nil
	}
	args = append(args, from.UnixMilli(), to.UnixMilli())
	list, err := store.Collect(ctx, s.reader().DB, func(sc store.Scanner) (catalogue.Use, error) {
		var u catalogue.Use
		return u, sc.Scan(&u.Code, &u.Requests, &u.Closed, &u.OnTime)
	}, `SELECT a.standard_code, COUNT(*),
		SUM(CASE WHEN a.state = 'closed' THEN 1 ELSE 0 END),
		SUM(CASE WHEN a.state = 'closed' AND NOT EXISTS (SELECT 1 FROM appeal_steps t WHERE t.appeal_id = a.id
			AND t.step = 'handle' AND t.done_at > t.due_at) THEN 1 ELSE 0 END)
		FROM appeals a WHERE a.standard_code <> '' AND `+where+` AND a.created_at >= ? AND a.created_at < ?
		GROUP BY a.standard_code ORDER BY a.standard_code`, args...)
	if err != nil {
		return nil, fmt.Errorf("standard use: %w", err)
	}
	return list, nil
}
