package visitdb_test

import (
	"context"
	"errors"
	"testing"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
	"qifu/internal/visit"
)

// TestServiceDay walks a department service day on both stores: the
// community plans it with two departments and a bank; its enterprise,
// told in its inbox, registers two problems (another community's may not,
// nor for a department not invited); on the day the community records
// one answer given on the spot and raises the other as an appeal, accepted
// and dispatched to the department it was for; the enterprise sees its own
// problems only; a street's day is seen by its communities.
func TestServiceDay(t *testing.T) {
	t.Parallel()
	storetest.Each(t, true, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		community, grid, ent := s.As(t, "community"), s.As(t, "grid"), s.As(t, "enterprise")
		show := showcase(t)
		plan := visit.Day{Title: "人社、税务服务日", On: today, Place: "社区党群服务中心", Departments: []string{"hrss", "tax"}, Providers: []string{"bank-rural"}}

		if _, err := s.Visits.CreateDay(ctx, grid, plan); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a grid worker plans a service day: %v", err)
		}
		bad := plan
		bad.Departments, bad.On = []string{"nosuch"}, "2020-01-01"
		if _, err := s.Visits.CreateDay(ctx, community, bad); err == nil {
			t.Error("a past day for a department that does not exist")
		}
		elsewhere := plan
		elsewhere.RegionCode = "330206999999"
		if _, err := s.Visits.CreateDay(ctx, community, elsewhere); err == nil {
			t.Error("a day in another community")
		}
		d, err := s.Visits.CreateDay(ctx, community, plan)
		if err != nil {
			t.Fatal(err)
		}
		if d.RegionCode != show.CommunityCode {
			t.Errorf("the day's region %s; want the community %s", d.RegionCode, show.CommunityCode)
		}
		var invited int
		if err := s.Raw(t).QueryRow(store.Rebind(s.DSN, "SELECT COUNT(*) FROM inbox WHERE user_id = ? AND kind = 'serviceday.invite'"), ent.UserID).Scan(&invited); err != nil || invited != 1 {
			t.Errorf("the enterprise's invitation: %d, %v", invited, err)
		}

		first, err := s.Visits.Register(ctx, ent, d.ID, visit.DayProblem{Text: "新招员工社保登记流程不清楚", Category: "labour.social", Department: "hrss"})
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.Visits.Register(ctx, ent, d.ID, visit.DayProblem{Text: "研发费用加计扣除如何归集", Category: "tax", Department: "tax"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Visits.Register(ctx, ent, d.ID, visit.DayProblem{Text: "环评手续咨询一下", Category: "environment", Department: "ecology"}); err == nil {
			t.Error("a problem for a department not invited")
		}
		other := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool {
			return e.CommunityCode != show.CommunityCode && e.StreetCode == show.StreetCode
		})
		if _, err := s.Visits.Register(ctx, community, d.ID, visit.DayProblem{EnterpriseID: s.IDs(t)[other.CreditCode], Text: "另一个社区的企业的问题",
			Category: "tax", Department: "tax"}); err == nil {
			t.Error("an enterprise of another community registers")
		}

		// The community handles them on the day.
		if _, err := s.Visits.AnswerDayProblem(ctx, grid, first.ID, "现场讲解", first.Version); !errors.Is(err, access.ErrForbidden) && !fault.Is(err, fault.NotFound) {
			t.Errorf("a grid worker answers: %v", err)
		}
		answered, err := s.Visits.AnswerDayProblem(ctx, community, first.ID, "人社局现场讲解参保登记，已在线办结", first.Version)
		if err != nil || answered.Outcome != visit.DayAnswered {
			t.Fatalf("answer: %+v, %v", answered, err)
		}
		if _, err := s.Visits.AnswerDayProblem(ctx, community, first.ID, "再答一次", first.Version); !fault.Is(err, fault.Conflict) {
			t.Errorf("a stale answer: %v", err)
		}
		if _, err := s.Visits.RaiseDayProblem(ctx, community, first.ID); !fault.Is(err, fault.Conflict) {
			t.Errorf("an answered problem raised: %v", err)
		}
		raised, err := s.Visits.RaiseDayProblem(ctx, community, second.ID)
		if err != nil || raised.AppealID == 0 {
			t.Fatalf("raise: %+v, %v", raised, err)
		}
		v, err := s.Appeals.Appeal(ctx, community, raised.AppealID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Channel != appeal.ChannelVisit || v.State != appeal.Dispatched {
			t.Errorf("the appeal: channel %s, state %s; want visit, dispatched", v.Channel, v.State)
		}
		tax := s.As(t, "dept_tax")
		if _, err := s.Appeals.Appeal(ctx, tax, raised.AppealID); err != nil {
			t.Errorf("the tax bureau does not see the appeal dispatched to it: %v", err)
		}
		if again, err := s.Visits.RaiseDayProblem(ctx, community, second.ID); err != nil || again.AppealID != raised.AppealID {
			t.Errorf("raised again: %+v, %v", again, err)
		}

		// What each sees.
		_, mine, err := s.Visits.Day(ctx, ent, d.ID)
		if err != nil || len(mine) != 2 {
			t.Errorf("the enterprise's problems: %d, %v", len(mine), err)
		}
		day, all, err := s.Visits.Day(ctx, community, d.ID)
		if err != nil || len(all) != 2 || day.Pending != 0 {
			t.Errorf("the community's day: %d problems, %d pending, %v", len(all), day.Pending, err)
		}
		outsider := s.As(t, "grid")
		if _, _, err := s.Visits.Day(ctx, outsider, d.ID); err != nil {
			t.Errorf("the community's grid worker does not see the day: %v", err)
		}
		if list, err := s.Visits.Days(ctx, s.As(t, "street_leader")); err != nil || len(list) == 0 {
			t.Errorf("the street leader's days: %d, %v", len(list), err)
		}
	})
}
