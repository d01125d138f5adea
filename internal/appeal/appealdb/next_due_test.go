package appealdb_test

import (
	"context"
	"testing"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/store"
)

// TestNextDueKept takes appeals through the steps that open, close, pause,
// resume and move clocks, and checks that every appeal's kept nearest
// deadline (appeals.next_due) is the one its open steps give, and that the
// triage queue is in that order.
func TestNextDueKept(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		dept := s.deptIDs(t)
		var ids []int64
		for range 4 {
			ids = append(ids, s.raise(t, "enterprise", "").ID)
			s.Clock.Advance(time.Hour)
		}
		a, b, c := ids[0], ids[1], ids[2]
		s.act(t, "community", a, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a, appeal.Command{Action: appeal.RequestInfo, Note: "请补充营业执照"}) // pauses
		s.Clock.Advance(2 * time.Hour)
		s.act(t, "enterprise", a, appeal.Command{Action: appeal.SupplyInfo, Note: "已上传营业执照"}) // resumes
		s.act(t, "community", b, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", b, appeal.Command{Action: appeal.Dispatch, Lead: dept["tax"]})
		s.act(t, "dept_tax", b, appeal.Command{Action: appeal.Sign})
		s.act(t, "dept_tax", b, appeal.Command{Action: appeal.RequestExtension, Note: "需协调", Due: s.Clock.Now().Add(30 * 24 * time.Hour)})
		v, err := s.Appeal(ctx, s.As(t, "community"), b)
		if err != nil || len(v.Extensions) == 0 {
			t.Fatalf("the extension: %v", err)
		}
		s.act(t, "community", b, appeal.Command{Action: appeal.DecideExtension, ExtensionID: v.Extensions[0].ID, Approve: true})
		s.act(t, "community", c, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", c, appeal.Command{Action: appeal.Resolve, Result: appeal.Solved, Note: "已现场解决"})

		var wrong int
		if err := store.Scan(s.engine.Reader().Row(ctx, `SELECT COUNT(*) FROM appeals a WHERE a.next_due <> COALESCE((SELECT MIN(st.due_at)
			FROM appeal_steps st WHERE st.appeal_id = a.id AND st.done_at = 0 AND st.paused_at = 0), ?)`, appealdb.NoDeadline), &wrong); err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Errorf("%d appeals' kept deadline is not their open steps' nearest", wrong)
		}
		rows, _, err := s.Appeals(ctx, s.As(t, "community"), appealdb.AppealQuery{Queue: appealdb.QueueTriage})
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(rows); i++ {
			if rows[i].Due.Before(rows[i-1].Due) {
				t.Errorf("the triage queue is out of deadline order at %d: %v before %v", i, rows[i-1].Due, rows[i].Due)
			}
		}
	})
}
