package appealdb_test

import (
	"context"
	"testing"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/fault"
)

func TestAppealHelpers(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		community := s.As(t, "community")
		first := s.raise(t, "enterprise", "")
		other := appealInput()
		other.Title, other.Content, other.Category = "出口退税进度查询", "出口退税款尚未到账，影响资金周转。", "trade"
		unrelated, _, err := s.CreateAppeal(ctx, s.As(t, "enterprise"), other, "")
		if err != nil {
			t.Fatal(err)
		}
		dup := s.raise(t, "grid", "")
		sim, err := s.SimilarAppeals(ctx, community, dup.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(sim) == 0 || sim[0].ID != first.ID {
			t.Fatalf("similar to the duplicate: %+v; want %d first", sim, first.ID)
		}
		for _, x := range sim {
			if x.ID == unrelated.ID {
				t.Errorf("an unrelated appeal is suggested as a duplicate (score %.2f)", x.Score)
			}
		}

		sug, err := s.SuggestDepartments(ctx, community, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sug) < 23 || sug[0].Code != "hrss" || !sug[0].ByCategory {
			t.Errorf("suggestions for labour.recruit start with %+v", sug[:min(3, len(sug))])
		}

		admin := s.As(t, "admin")
		if err := s.SaveCategory(ctx, admin, appeal.Category{Code: "labour.training", Parent: "labour", Name: "岗前培训", NameEn: "Training",
			Departments: []string{"hrss"}}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveCategory(ctx, admin, appeal.Category{Code: "training", Parent: "labour", Name: "x"}); !fault.Is(err, fault.Invalid) {
			t.Errorf("a child code outside its parent: %v", err)
		}
		if err := s.SaveCategory(ctx, community, appeal.Category{Code: "x", Name: "x"}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("community edits the tree: %v", err)
		}
		// A rule for the parent category shortens acceptance for the new child.
		if err := s.SetLimitRule(ctx, admin, appeal.LimitRule{Category: "labour", Step: appeal.StepAccept, Span: appeal.Hours(1)}); err != nil {
			t.Fatal(err)
		}
		in := appealInput()
		in.Category = "labour.training"
		a, _, err := s.CreateAppeal(ctx, s.As(t, "enterprise"), in, "")
		if err != nil {
			t.Fatal(err)
		}
		v := s.view(t, "community", a.ID)
		if got := v.Steps[0].Due.Sub(v.Steps[0].Started); got != time.Hour {
			t.Errorf("acceptance limit %s, want 1h by the admin's rule", got)
		}
		if err := s.SetLimitRule(ctx, admin, appeal.LimitRule{Category: "labour", Step: appeal.StepAccept}); err != nil {
			t.Fatal(err)
		}
		if rules, err := s.LimitRules(ctx); err != nil || len(rules) != 0 {
			t.Errorf("rules after deleting: %+v %v", rules, err)
		}
	})
}

// TestServiceStandard links an appeal to a service standard: the standard's
// department is proposed first and its promise is the handling limit.
func TestServiceStandard(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		stds, err := s.Standards(ctx)
		if err != nil || len(stds) < 16 {
			t.Fatalf("standards: %d, %v", len(stds), err)
		}
		in := appealInput()
		in.StandardCode, in.Category = "S03", "tax" // 研发费用加计扣除辅导: tax, 3 working days
		a, _, err := s.CreateAppeal(ctx, s.As(t, "enterprise"), in, "")
		if err != nil {
			t.Fatal(err)
		}
		sug, err := s.SuggestDepartments(ctx, s.As(t, "community"), a.ID)
		if err != nil || sug[0].Code != "tax" {
			t.Fatalf("first suggestion %+v, %v", sug[0], err)
		}
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: sug[0].DepartmentID})
		s.act(t, "dept_tax", a.ID, appeal.Command{Action: appeal.Sign})
		v := s.view(t, "dept_tax", a.ID)
		cal, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range v.Steps {
			if c.Step == appeal.StepHandle {
				// The deadline was set at dispatch: three working days from then.
				if got := cal.Between(v.Dispatches[0].Due.Add(-1), c.Due); got > time.Minute {
					t.Errorf("handle due %s, dispatch due %s", c.Due, v.Dispatches[0].Due)
				}
				if got := cal.Between(start, c.Due); got != 3*cal.WorkdayLength() {
					t.Errorf("handling limit %s of working time, want 3 working days", got)
				}
			}
		}
		in.StandardCode = "X99"
		if _, _, err := s.CreateAppeal(ctx, s.As(t, "enterprise"), in, ""); !fault.Is(err, fault.Invalid) {
			t.Errorf("an unknown standard: %v", err)
		}
	})
}

// TestMaxRedo sets no redo at all: the first unsatisfied rating goes
// straight to joint handling; a number out of range is refused.
func TestMaxRedo(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		admin := s.As(t, "admin")
		if n, err := s.MaxRedo(ctx); err != nil || n != appeal.DefaultMaxRedo {
			t.Fatalf("default max redo %d, %v", n, err)
		}
		if err := s.SetMaxRedo(ctx, admin, 9); !fault.Is(err, fault.Invalid) {
			t.Errorf("max redo 9: %v", err)
		}
		if err := s.SetMaxRedo(ctx, s.As(t, "community"), 0); !fault.Is(err, fault.Forbidden) {
			t.Errorf("community sets max redo: %v", err)
		}
		if err := s.SetMaxRedo(ctx, admin, 0); err != nil {
			t.Fatal(err)
		}
		a := s.raise(t, "enterprise", "")
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Resolve, Result: appeal.Explained, Note: "已解释"})
		s.act(t, "enterprise", a.ID, appeal.Command{Action: appeal.Rate, Rating: appeal.Unsatisfied, Note: "没有解决"})
		if v := s.view(t, "community", a.ID); v.State != appeal.Joint {
			t.Errorf("with no redo, an unsatisfied rating leads to %s, want joint", v.State)
		}
	})
}
