package cataloguedb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"qifu/internal/appeal"
	"qifu/internal/fault"
)

// TestSaveRace has eight keepers save S03 at the same version at once,
// each with a different promise, on both stores: exactly one wins (version
// 2, with the winner's promise, one row of the versions), the others are
// told the record changed; and two keepers adding the same new code at once
// leave one standard.
func TestSaveRace(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		admin := s.As(t, "admin")
		cur, err := s.cat.Standard(ctx, "S03")
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, stale := 0, 0
		var winner int
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st := cur
				st.Handle = appeal.Days(4 + i)
				_, err := s.cat.SaveStandard(ctx, admin, st, cur.Version)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
					winner = 4 + i
				case fault.Is(err, fault.Conflict):
					stale++
				default:
					t.Errorf("save %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if won != 1 || stale != n-1 {
			t.Fatalf("%d saves won, %d told stale; want 1 and %d", won, stale, n-1)
		}
		after, err := s.cat.Standard(ctx, "S03")
		if err != nil || after.Version != cur.Version+1 || after.Handle.N != winner {
			t.Errorf("after the race: version %d, %d days, %v; want version %d, %d days", after.Version, after.Handle.N, err, cur.Version+1, winner)
		}
		versions, err := s.cat.Versions(ctx, "S03")
		if err != nil || len(versions) != int(cur.Version)+1 {
			t.Errorf("%d versions kept, %v; want %d", len(versions), err, cur.Version+1)
		}

		won = 0
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st := fresh("S95")
				st.Name = fmt.Sprintf("新增服务 %d", i)
				if _, err := s.cat.SaveStandard(ctx, admin, st, 0); err == nil {
					mu.Lock()
					won++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if won != 1 {
			t.Errorf("%d of two adding S95 at once won; want 1", won)
		}
	})
}
