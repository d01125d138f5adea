package visitdb_test

import (
	"context"
	"testing"

	"qifu/internal/fault"
	"qifu/internal/store/storetest"
	"qifu/internal/visit"
)

// TestEscalate sends a street's common problem up to its district on both
// stores: only the street's leaders may, with a reason; the district's
// leaders then have it to answer, and answer it; the street's leader no
// longer may.
func TestEscalate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		grid, street, district := s.As(t, "grid"), s.As(t, "street_leader"), s.As(t, "district_leader")
		v := s.record(t, grid, threeProblems(s.As(t, "enterprise").EnterpriseID, grid), "")
		var id int64
		for _, p := range v.Problems {
			if p.Outcome == visit.Common {
				id = p.TopicID
			}
		}
		tp, _, err := s.Visits.Topic(ctx, street, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Visits.EscalateTopic(ctx, district, id, "全区性问题，需要区里协调", tp.Version); !fault.Is(err, fault.Forbidden) {
			t.Errorf("the district's leader escalates a street's topic: %v", err)
		}
		if _, err := s.Visits.EscalateTopic(ctx, street, id, "短", tp.Version); err == nil {
			t.Error("escalated without its reason")
		}
		up, err := s.Visits.EscalateTopic(ctx, street, id, "涉及全区公交线网调整，街道无法单独协调", tp.Version)
		if err != nil || up.RegionCode != district.RegionCode {
			t.Fatalf("escalate: %+v, %v", up, err)
		}
		if _, err := s.Visits.EscalateTopic(ctx, street, id, "再次提请区级协调", up.Version); err == nil {
			t.Error("a district's topic escalated again")
		}
		if _, n := s.todos(t, district, "topic.answer"); n != 1 {
			t.Errorf("the district leader's topics to answer: %d", n)
		}
		if _, n := s.todos(t, street, "topic.answer"); n != 0 {
			t.Errorf("the street leader still has it to answer: %d", n)
		}
		if _, err := s.Visits.AnswerTopic(ctx, district, id, "区交通局已调整园区夜班线路", up.Version); err != nil {
			t.Errorf("the district answers: %v", err)
		}
	})
}
