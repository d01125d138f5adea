package appealdb_test

import (
	"context"
	"testing"

	"qifu/internal/appeal"
	"qifu/internal/fault"
	"qifu/internal/store/storetest"
)

// TestComplaintAboutDepartment raises a complaint about the tax bureau:
// the tax bureau can be named neither lead, nor assisting, nor in joint
// handling; the dispatch form leaves it out and suggests the supervising
// body set in the settings; only a complaint names a department.
func TestComplaintAboutDepartment(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		dept := s.deptIDs(t)
		in := appealInput()
		in.Type, in.Category, in.About = appeal.TypeComplaint, "tax", dept["tax"]
		in.Title, in.Content = "办税窗口推诿", "办理退税时窗口多次推诿，要求重复提交材料。"

		help := in
		help.Type = appeal.TypeHelp
		_, _, err := s.CreateAppeal(ctx, s.As(t, "enterprise"), help, "")
		storetest.WantField(t, err, "about_department")
		nobody := in
		nobody.About = 999999
		_, _, err = s.CreateAppeal(ctx, s.As(t, "enterprise"), nobody, "")
		storetest.WantField(t, err, "about_department")

		a, _, err := s.CreateAppeal(ctx, s.As(t, "enterprise"), in, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.About != dept["tax"] {
			t.Fatalf("the complaint is about %d, want the tax bureau %d", a.About, dept["tax"])
		}
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
		_, err = s.tryAct(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["tax"]})
		storetest.WantField(t, err, "lead")
		_, err = s.tryAct(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["market"], Assists: []int64{dept["tax"]}})
		storetest.WantField(t, err, "assists")

		// The supervising body is suggested first; the tax bureau is not offered.
		if err := s.SetComplaintSupervisor(ctx, s.As(t, "admin"), dept["justice"]); err != nil {
			t.Fatal(err)
		}
		sug, err := s.SuggestDepartments(ctx, s.As(t, "community"), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sug) == 0 || sug[0].DepartmentID != dept["justice"] || !sug[0].ByCategory {
			t.Errorf("suggestions %+v, want the supervising body first", sug)
		}
		for _, d := range sug {
			if d.DepartmentID == dept["tax"] {
				t.Errorf("the department complained about is offered: %+v", d)
			}
		}
		if err := s.SetComplaintSupervisor(ctx, s.As(t, "community"), dept["justice"]); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a community sets the supervisor: %v, want forbidden", err)
		}
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["justice"]})
		if v, err := s.Appeal(ctx, s.As(t, "enterprise"), a.ID); err != nil || v.AboutName == "" {
			t.Errorf("the enterprise's view names no department complained about: %q, %v", v.AboutName, err)
		}
	})
}
