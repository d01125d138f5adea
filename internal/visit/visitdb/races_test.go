package visitdb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"qifu/internal/store/storetest"
	"qifu/internal/visit"
	"qifu/internal/visit/visitdb"
)

// TestRaces races what can be raced on both stores and holds the
// invariants: the same recording retried at once (one visit, one appeal);
// the enterprise's two taps on its rating (one wins, the other is refused);
// two leaders answering one common problem (one answer); and many visits
// recorded at once, whose figures then count each exactly once.
func TestRaces(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		grid, ent, street := s.As(t, "grid"), s.As(t, "enterprise"), s.As(t, "street_leader")
		show := showcase(t)
		eid := s.IDs(t)[show.CreditCode]
		const n = 8
		race := func(fn func(i int) error) (wins int, errs []error) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := fn(i)
					mu.Lock()
					defer mu.Unlock()
					if err == nil {
						wins++
					} else {
						errs = append(errs, err)
					}
				}()
			}
			wg.Wait()
			return wins, errs
		}

		// One recording sent n times at once with its key.
		appeals := s.appealsOf(t, eid)
		ids := make([]int64, n)
		wins, errs := race(func(i int) error {
			v, err := s.Visits.Record(ctx, grid, threeProblems(eid, grid), "same-key")
			ids[i] = v.ID
			return err
		})
		if wins != n {
			t.Fatalf("retries of one recording: %d answered, errors %v", wins, errs)
		}
		for _, id := range ids {
			if id != ids[0] {
				t.Errorf("retries answered visits %v; want one", ids)
				break
			}
		}
		if got := s.appealsOf(t, eid) - appeals; got != 1 {
			t.Errorf("%d appeals raised by the retries; want 1", got)
		}

		// The enterprise's rating tapped n times at once.
		v, err := s.Visits.Visit(ctx, ent, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		wins, _ = race(func(int) error {
			_, err := s.Visits.Confirm(ctx, ent, v.ID, visit.Satisfied, "", v.Version)
			return err
		})
		if wins != 1 {
			t.Errorf("%d ratings of one visit won; want 1", wins)
		}

		// The street leader answering the common problem from n tabs.
		var topic int64
		for _, p := range v.Problems {
			if p.Outcome == visit.Common {
				topic = p.TopicID
			}
		}
		tp, _, err := s.Visits.Topic(ctx, street, topic)
		if err != nil {
			t.Fatal(err)
		}
		wins, _ = race(func(i int) error {
			_, err := s.Visits.AnswerTopic(ctx, street, topic, fmt.Sprintf("已协调解决，第 %d 份答复", i), tp.Version)
			return err
		})
		if wins != 1 {
			t.Errorf("%d answers to one common problem; want 1", wins)
		}

		// n visits to different enterprises of the grid at once: each counted once.
		var targets []int64
		for _, e := range storetest.Dataset().Enterprises {
			if e.GridCode == show.GridCode && e.CreditCode != show.CreditCode && len(targets) < n {
				targets = append(targets, s.IDs(t)[e.CreditCode])
			}
		}
		if len(targets) < n {
			t.Skipf("the showcase grid has %d other enterprises", len(targets))
		}
		before, _, err := s.Visits.FiguresOf(ctx, s.As(t, "admin"), show.CommunityCode, month, visitdb.ByRegion)
		if err != nil {
			t.Fatal(err)
		}
		wins, errs = race(func(i int) error {
			_, err := s.Visits.Record(ctx, grid, visit.Visit{EnterpriseID: targets[i], Kind: visit.Routine,
				Visitors: []visit.Visitor{{UserID: grid.UserID, Name: grid.Name, Unit: "社区"}},
				Problems: []visit.Problem{{Text: "厂房屋顶漏雨需要维修", Category: "other", Outcome: visit.Solved, Action: "联系物业当天修好"}}}, "")
			return err
		})
		if wins != n {
			t.Fatalf("concurrent visits: %d recorded, %v", wins, errs)
		}
		after, _, err := s.Visits.FiguresOf(ctx, s.As(t, "admin"), show.CommunityCode, month, visitdb.ByRegion)
		if err != nil {
			t.Fatal(err)
		}
		if d := delta(after, before); d.Visits != n || d.Problems != n || d.SolvedOnSpot != n || d.Enterprises != n {
			t.Errorf("figures after %d concurrent visits moved by %+v", n, d)
		}
	})
}
