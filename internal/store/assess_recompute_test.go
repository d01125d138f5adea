package store

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/pgtest"
	"qifu/internal/rates"
)

// TestAssessmentRecomputed checks that the assessment, which reads only the
// appeals with something in the period, gives exactly the figures of a
// recomputation over every appeal and every step in the store, for several
// periods, dimensions and scopes of a replayed demo history, on both stores.
func TestAssessmentRecomputed(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			dsn := filepath.Join(t.TempDir(), "q.db")
			if kind == "postgres" {
				dsn = pgtest.DSN(t)
			}
			ctx := context.Background()
			end := time.Date(2026, 6, 30, 18, 0, 0, 0, calendar.Shanghai)
			var mu sync.Mutex
			now := end
			s, err := Open(ctx, Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler),
				Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			d := demo.Generate(1)
			if err := s.LoadDemo(ctx, d); err != nil {
				t.Fatal(err)
			}
			plans, moves := demo.History(d, 3, end, 300)
			if _, err := s.ReplayHistory(ctx, plans, moves, func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			now = end
			mu.Unlock()

			// Every appeal and its steps, read without any filter.
			all, err := s.everyAppealFacts(ctx, end)
			if err != nil {
				t.Fatal(err)
			}
			admin := access.System("test")
			leader, err := s.Actor(ctx, userID(t, s, "district_leader"))
			if err != nil {
				t.Fatal(err)
			}
			street, err := s.Actor(ctx, userID(t, s, "street_leader"))
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, days := range []int{7, 30, 45, 120} {
				for _, offset := range []int{0, 20, 60} {
					to := end.AddDate(0, 0, -offset)
					from := to.AddDate(0, 0, -days)
					for _, dim := range []rates.Dimension{rates.Department, rates.Street, rates.Community, rates.Handler} {
						for _, who := range []access.Actor{admin, leader, street} {
							got, err := s.Assessment(ctx, who, AssessmentQuery{Dimension: dim, From: from, To: to})
							if err != nil {
								t.Fatal(err)
							}
							var mine []rates.Appeal
							for _, a := range all {
								if who.Role == access.RoleAdmin || who.RegionCode == a.District || who.RegionCode == a.Street {
									mine = append(mine, a)
								}
							}
							want, err := rates.Compute(mine, dim, rates.Options{From: from, To: to})
							if err != nil {
								t.Fatal(err)
							}
							if !reflect.DeepEqual(got, want) {
								t.Errorf("%s by %s, %s to %s: the assessment differs from the recomputation:\n got %+v\nwant %+v",
									who.Name, dim, from.Format(time.DateOnly), to.Format(time.DateOnly), got, want)
							}
							checked++
						}
					}
				}
			}
			t.Logf("%d assessments equal their recomputation over all %d appeals", checked, len(all))
		})
	}
}

// everyAppealFacts reads every appeal and its steps as the assessment does.
func (s *Store) everyAppealFacts(ctx context.Context, end time.Time) ([]rates.Appeal, error) {
	return s.factsWhere(ctx, "1 = 1", nil, end)
}

func userID(t *testing.T, s *Store, username string) int64 {
	t.Helper()
	u, err := s.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(fmt.Errorf("user %s: %w", username, err))
	}
	return u.ID
}
