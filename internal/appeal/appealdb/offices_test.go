package appealdb_test

import (
	"context"
	"testing"

	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// TestDispatchToOffice dispatches straight to a department's office on
// both stores: the dispatch names its office; the office's staff are told
// and find it to sign, with what goes to the department as a whole; a
// dispatch to another office of the department reaches the department's
// own staff and not this office's; an office of a department not
// dispatched to is refused.
func TestDispatchToOffice(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		dept := s.deptIDs(t)
		offices, err := s.Offices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var mine, other int64
		var branchUser string
		for _, u := range dataset.Users {
			if u.OfficeCode != "" {
				branchUser = u.Username
				for _, o := range offices {
					if o.DepartmentID == dept["tax"] && o.Code == u.OfficeCode {
						mine = o.ID
					}
				}
			}
		}
		for _, o := range offices {
			if o.DepartmentID == dept["tax"] && o.ID != mine {
				other = o.ID
				break
			}
		}
		if branchUser == "" || mine == 0 || other == 0 {
			t.Fatalf("the demo has no tax branch staff (%q, %d, %d)", branchUser, mine, other)
		}
		market := 0
		for _, o := range offices {
			if o.DepartmentID == dept["market"] {
				market = int(o.ID)
				break
			}
		}
		dispatch := func(office int64) int64 {
			a := s.raise(t, "enterprise", "")
			s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
			s.act(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["tax"], Offices: []int64{office}, Note: "请分局办理"})
			return a.ID
		}
		toMine, toOther := dispatch(mine), dispatch(other)
		if v := s.view(t, "dept_tax", toMine); v.Dispatches[0].OfficeID != mine || v.Dispatches[0].Office == "" {
			t.Errorf("the dispatch: %+v", v.Dispatches[0])
		}
		queue := func(username string) map[int64]bool {
			rows, _, err := s.Appeals(ctx, s.As(t, username), appealdb.AppealQuery{Queue: appealdb.QueueToSign})
			if err != nil {
				t.Fatal(err)
			}
			out := map[int64]bool{}
			for _, r := range rows {
				out[r.ID] = true
			}
			return out
		}
		if q := queue(branchUser); !q[toMine] || q[toOther] {
			t.Errorf("the branch's queue holds its dispatch %v and the other office's %v", q[toMine], q[toOther])
		}
		if q := queue("dept_tax"); !q[toMine] || !q[toOther] {
			t.Errorf("the bureau's queue holds %v and %v; want both", q[toMine], q[toOther])
		}
		told := func(username string, appealID int64) bool {
			notes, _, err := s.Inbox(ctx, s.As(t, username), store.Page{Size: 200})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range notes {
				if n.AppealID == appealID && n.Kind == "dispatch" {
					return true
				}
			}
			return false
		}
		if !told(branchUser, toMine) || told(branchUser, toOther) || !told("dept_tax", toOther) {
			t.Errorf("notices: branch of its own %v, of the other %v; bureau of the other %v",
				told(branchUser, toMine), told(branchUser, toOther), told("dept_tax", toOther))
		}
		// An office of a department not dispatched to.
		a := s.raise(t, "enterprise", "")
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
		_, err = s.tryAct(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["tax"], Offices: []int64{int64(market)}, Note: "请办理"})
		if fe := fault.As(err); fe == nil || fe.Fields["offices"].Zh == "" {
			t.Errorf("an office of another department: %v", err)
		}
	})
}
