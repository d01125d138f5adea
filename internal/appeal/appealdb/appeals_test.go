package appealdb_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// deptIDs maps department codes to their IDs in the store.
func (s *testStore) deptIDs(t *testing.T) map[string]int64 {
	t.Helper()
	list, err := s.Departments(context.Background(), s.As(t, "admin"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int64{}
	for _, d := range list {
		m[d.Code] = d.ID
	}
	return m
}

// raise creates an appeal as username for the showcase enterprise.
func (s *testStore) raise(t *testing.T, username, key string) appeal.Appeal {
	t.Helper()
	a, _, err := s.CreateAppeal(context.Background(), s.As(t, username), appealInput(), key)
	if err != nil {
		t.Fatalf("create appeal as %s: %v", username, err)
	}
	return a
}

// showcaseCode is the credit code of the demo enterprise user's enterprise.
var showcaseCode = func() string {
	for _, u := range dataset.Users {
		if u.Username == "enterprise" {
			return u.EnterpriseCode
		}
	}
	panic("no demo enterprise user")
}()

func appealInput() appeal.Input {
	return appeal.Input{Type: appeal.TypeHelp, Category: "labour.recruit",
		Title: "旺季招工困难", Content: "订单增加，缺少熟练工人约 30 名，希望协助对接用工。",
		CreditCode: showcaseCode, Contact: "王经理", Phone: "13805741234"}
}

// act takes a step as username on the appeal's current version and fails the test on error.
func (s *testStore) act(t *testing.T, username string, id int64, c appeal.Command) appeal.Appeal {
	t.Helper()
	a, err := s.tryAct(t, username, id, c)
	if err != nil {
		t.Fatalf("%s as %s: %v", c.Action, username, err)
	}
	return a
}

// tryAct takes a step as username on the appeal's current version.
func (s *testStore) tryAct(t *testing.T, username string, id int64, c appeal.Command) (appeal.Appeal, error) {
	t.Helper()
	actor := s.As(t, username)
	if c.Version == 0 {
		v, err := s.Appeal(context.Background(), s.As(t, "admin"), id)
		if err != nil {
			t.Fatal(err)
		}
		c.Version = v.Version
	}
	return s.Act(context.Background(), actor, id, c)
}

func (s *testStore) view(t *testing.T, username string, id int64) appealdb.AppealView {
	t.Helper()
	v, err := s.Appeal(context.Background(), s.As(t, username), id)
	if err != nil {
		t.Fatalf("appeal %d as %s: %v", id, username, err)
	}
	return v
}

func TestAppealWalk(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		dept := s.deptIDs(t)

		// The call, with an idempotency key: a retry gives the same appeal.
		a := s.raise(t, "enterprise", "k-1")
		if a.State != appeal.Submitted || a.Number == "" || a.Channel != appeal.ChannelWeb {
			t.Fatalf("created %+v", a)
		}
		again, replayed, err := s.CreateAppeal(ctx, s.As(t, "enterprise"), appealInput(), "k-1")
		if err != nil || !replayed || again.ID != a.ID {
			t.Fatalf("replay: %v %v %d, want appeal %d", err, replayed, again.ID, a.ID)
		}
		other := appealInput()
		other.Title = "另一件事"
		_, _, err = s.CreateAppeal(ctx, s.As(t, "enterprise"), other, "k-1")
		storetest.WantKind(t, err, fault.Conflict)

		// Out of scope: a department it was not dispatched to, another community.
		for _, who := range []string{"dept_market", "lawyer"} {
			if _, err := s.Appeal(ctx, s.As(t, who), a.ID); !fault.Is(err, fault.NotFound) && !fault.Is(err, fault.Forbidden) {
				t.Errorf("%s reads the appeal: %v", who, err)
			}
		}
		_, err = s.tryAct(t, "dept_hrss", a.ID, appeal.Command{Action: appeal.Accept})
		storetest.WantKind(t, err, fault.NotFound)

		// A stale version answers 409; no version is refused.
		_, err = s.Act(ctx, s.As(t, "community"), a.ID, appeal.Command{Action: appeal.Accept, Version: a.Version + 5})
		storetest.WantKind(t, err, fault.Conflict)
		_, err = s.Act(ctx, s.As(t, "community"), a.ID, appeal.Command{Action: appeal.Accept})
		storetest.WantField(t, err, "version")

		// The whistle: accept, ask for more, the clock pauses, then dispatch.
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.RequestInfo, Note: "请补充所需工种和人数"})
		v := s.view(t, "community", a.ID)
		if v.State != appeal.AwaitingInfo || !v.Steps[len(v.Steps)-1].Paused {
			t.Fatalf("after request info: %s, steps %+v", v.State, v.Steps)
		}
		s.Clock.Advance(48 * time.Hour)
		s.act(t, "enterprise", a.ID, appeal.Command{Action: appeal.SupplyInfo, Note: "需要注塑工 20 名、质检 10 名"})
		_, err = s.tryAct(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["hrss"], Assists: []int64{dept["hrss"]}})
		storetest.WantField(t, err, "assists")
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["hrss"], Assists: []int64{dept["tax"]}, Note: "请人社局牵头对接用工"})

		// Report in: the lead returns it; the community dispatches again.
		_, err = s.tryAct(t, "dept_hrss", a.ID, appeal.Command{Action: appeal.Return})
		storetest.WantField(t, err, "note")
		s.act(t, "dept_hrss", a.ID, appeal.Command{Action: appeal.Return, Note: "属工会职责范围，依据……"})
		if v := s.view(t, "community", a.ID); v.State != appeal.Accepted || v.LeadID != 0 {
			t.Fatalf("after the lead's return: %s lead %d", v.State, v.LeadID)
		}
		_, err = s.tryAct(t, "dept_tax", a.ID, appeal.Command{Action: appeal.Sign})
		storetest.WantKind(t, err, fault.Forbidden) // its dispatch went back with the lead's
		s.act(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["union"], Assists: []int64{dept["tax"]}})
		s.act(t, "dept_tax", a.ID, appeal.Command{Action: appeal.Sign})
		if v := s.view(t, "community", a.ID); v.State != appeal.Dispatched {
			t.Fatalf("after the assist signs: %s", v.State)
		}
		s.act(t, "dept_union", a.ID, appeal.Command{Action: appeal.Sign})

		// Handling: an extension, a reply that must wait for the assist.
		v = s.view(t, "dept_union", a.ID)
		var leadDue time.Time
		for _, d := range v.Dispatches {
			if d.Active && d.Role == appeal.PartyLead {
				leadDue = d.Due
			}
		}
		s.act(t, "dept_union", a.ID, appeal.Command{Action: appeal.RequestExtension, Note: "需协调多家企业", Due: leadDue.Add(72 * time.Hour)})
		v = s.view(t, "community", a.ID)
		if len(v.Extensions) != 1 {
			t.Fatalf("extensions %+v", v.Extensions)
		}
		s.act(t, "street_leader", a.ID, appeal.Command{Action: appeal.DecideExtension, ExtensionID: v.Extensions[0].ID, Approve: true})
		_, err = s.tryAct(t, "dept_union", a.ID, appeal.Command{Action: appeal.Reply, Result: appeal.Solved, Note: "已对接"})
		storetest.WantKind(t, err, fault.Invalid)
		s.act(t, "dept_tax", a.ID, appeal.Command{Action: appeal.AssistReply, Note: "招用重点群体可享受税费减免"})
		s.act(t, "dept_union", a.ID, appeal.Command{Action: appeal.Reply, Result: appeal.Solved, Note: "已对接 3 家劳务公司"})

		// Rate: not satisfied, redo, still not satisfied: joint handling.
		_, err = s.tryAct(t, "enterprise", a.ID, appeal.Command{Action: appeal.Rate, Rating: appeal.Unsatisfied})
		storetest.WantField(t, err, "note")
		s.act(t, "enterprise", a.ID, appeal.Command{Action: appeal.Rate, Rating: appeal.Unsatisfied, Note: "人员仍未到岗"})
		if v := s.view(t, "community", a.ID); v.State != appeal.Handling || v.RedoCount != 1 {
			t.Fatalf("after unsatisfied: %s redo %d", v.State, v.RedoCount)
		}
		s.act(t, "dept_union", a.ID, appeal.Command{Action: appeal.Reply, Result: appeal.Solved, Note: "已安排 20 人面试"})
		s.act(t, "enterprise", a.ID, appeal.Command{Action: appeal.Rate, Rating: appeal.Unsatisfied, Note: "质检岗位仍缺"})
		if v := s.view(t, "community", a.ID); v.State != appeal.Joint {
			t.Fatalf("after the second unsatisfied: %s", v.State)
		}
		_, err = s.tryAct(t, "community", a.ID, appeal.Command{Action: appeal.RaiseJoint, Departments: []int64{dept["hrss"]}})
		storetest.WantKind(t, err, fault.Forbidden)
		s.act(t, "street_leader", a.ID, appeal.Command{Action: appeal.RaiseJoint, Departments: []int64{dept["hrss"], dept["union"]}, Note: "组团破难"})
		s.act(t, "dept_hrss", a.ID, appeal.Command{Action: appeal.JointCheckIn})
		s.act(t, "dept_hrss", a.ID, appeal.Command{Action: appeal.JointPart, Note: "组织专场招聘会"})
		_, err = s.tryAct(t, "enterprise", a.ID, appeal.Command{Action: appeal.Confirm, Rating: appeal.Satisfied})
		storetest.WantKind(t, err, fault.Invalid) // 事不完、人不撤
		s.act(t, "dept_union", a.ID, appeal.Command{Action: appeal.JointCheckIn})
		s.act(t, "dept_union", a.ID, appeal.Command{Action: appeal.JointPart, Note: "协调共享员工 10 名"})
		s.act(t, "enterprise", a.ID, appeal.Command{Action: appeal.Confirm, Rating: appeal.Satisfied})

		v = s.view(t, "community", a.ID)
		if v.State != appeal.Closed || v.Rating != appeal.Satisfied || v.ClosedAt.IsZero() {
			t.Fatalf("at the end: %s %s %v", v.State, v.Rating, v.ClosedAt)
		}
		for _, c := range v.Steps {
			if c.Done.IsZero() {
				t.Errorf("step %s still open at the end", c.Step)
			}
		}
		// Every transition is on the timeline and in the audit log.
		var transitions int
		for _, e := range v.Events {
			if e.Action != "create" {
				transitions++
			}
		}
		if n := s.AuditCount(t, store.AuditQuery{Target: "appeal/" + a.Number}); n != transitions+1 {
			t.Errorf("%d audit entries, %d events after creation; want one each and one for creation", n, transitions)
		}
		// The enterprise sees only the public part of the timeline.
		ev := s.view(t, "enterprise", a.ID)
		if len(ev.Events) >= len(v.Events) || len(ev.Extensions) != 0 {
			t.Errorf("the enterprise sees %d of %d events and %d extensions", len(ev.Events), len(v.Events), len(ev.Extensions))
		}
		notices, unread, err := s.Inbox(ctx, s.As(t, "enterprise"), store.Page{})
		if err != nil || unread == 0 || len(notices) == 0 {
			t.Errorf("enterprise inbox: %d notices, %d unread, %v", len(notices), unread, err)
		}
	})
}

func TestAppealResolveMergeAndExpire(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		first := s.raise(t, "enterprise", "")
		dup := s.raise(t, "grid", "")
		if dup.Channel != appeal.ChannelVisit {
			t.Errorf("a grid worker's appeal has channel %s, want visit", dup.Channel)
		}
		s.act(t, "community", first.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", dup.ID, appeal.Command{Action: appeal.Merge, CaseID: first.ID})
		s.act(t, "community", first.ID, appeal.Command{Action: appeal.Resolve, Result: appeal.Explained, Note: "已解释用工补贴政策"})
		for _, id := range []int64{first.ID, dup.ID} {
			if v := s.view(t, "community", id); v.State != appeal.Replied || v.Reply == "" {
				t.Fatalf("appeal %d after the case's reply: %s %q", id, v.State, v.Reply)
			}
		}
		s.act(t, "enterprise", first.ID, appeal.Command{Action: appeal.Rate, Rating: appeal.Basic})
		// The merged one is not rated: its window passes and it closes as not rated.
		s.Clock.Advance(10 * 24 * time.Hour)
		for range 3 {
			if _, err := s.RunAlerts(ctx, 100); err != nil {
				t.Fatal(err)
			}
		}
		v := s.view(t, "community", dup.ID)
		if v.State != appeal.Closed || v.Rating != appeal.NotRated {
			t.Fatalf("unrated merged appeal: %s %s", v.State, v.Rating)
		}
		if v := s.view(t, "community", first.ID); v.State != appeal.Closed || v.Rating != appeal.Basic {
			t.Fatalf("rated appeal: %s %s", v.State, v.Rating)
		}
	})
}

// TestAppealRaces has 50 people act at once on the same version of an
// appeal, through three handles on the store (three instances): exactly one
// succeeds, the others get 409, and exactly one event of the kind is logged.
// Each round races dispatch, sign, return, resolve and rate once;
// QIFU_RACE_ROUNDS sets the number of rounds (1 by default).
func TestAppealRaces(t *testing.T) {
	t.Parallel()
	rounds := 1
	if n, err := strconv.Atoi(os.Getenv("QIFU_RACE_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		dept := s.deptIDs(t)
		handles := []*appealdb.Store{s.Store, openStore(t, s.DSN, s.Clock).Store, openStore(t, s.DSN, s.Clock).Store}
		const n = 50
		races, doubles := 0, 0
		race := func(name string, id int64, who []string, c appeal.Command) {
			t.Helper()
			c.Version = s.view(t, "admin", id).Version
			actors := make([]access.Actor, n)
			for i := range n {
				actors[i] = s.As(t, who[i%len(who)])
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			ok, conflicts := 0, 0
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, err := handles[i%len(handles)].Act(ctx, actors[i], id, c)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						ok++
					case fault.Is(err, fault.Conflict):
						conflicts++
					default:
						t.Errorf("%s: %v", name, err)
					}
				}()
			}
			close(start)
			wg.Wait()
			races++
			if ok != 1 || conflicts != n-1 {
				doubles += max(ok-1, 0)
				t.Errorf("%s: %d succeeded, %d conflicts; want 1 and %d", name, ok, conflicts, n-1)
			}
			events := 0
			for _, e := range s.view(t, "admin", id).Events {
				if e.Action == string(c.Action) {
					events++
				}
			}
			if events != 1 {
				t.Errorf("%s: %d %s events, want 1", name, events, c.Action)
			}
		}
		accepted := func() int64 {
			a := s.raise(t, "enterprise", "")
			s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
			return a.ID
		}
		dispatch := appeal.Command{Action: appeal.Dispatch, Lead: dept["hrss"], Assists: []int64{dept["tax"]}}

		for range rounds {
			raceRound(t, s, race, accepted, dispatch)
		}
		t.Logf("%d races of %d actors on three handles: double transitions %d (must be 0)", races, n, doubles)
	})
}

// raceRound is one round of TestAppealRaces.
func raceRound(t *testing.T, s *testStore, race func(string, int64, []string, appeal.Command), accepted func() int64, dispatch appeal.Command) {
	a := accepted()
	race("dispatch", a, []string{"community", "grid"}, dispatch)
	if ds := s.view(t, "community", a).Dispatches; len(ds) != 2 {
		t.Fatalf("%d dispatches after the race, want 2", len(ds))
	}
	race("sign", a, []string{"dept_hrss"}, appeal.Command{Action: appeal.Sign})

	b := accepted()
	s.act(t, "community", b, dispatch)
	race("return", b, []string{"dept_hrss"}, appeal.Command{Action: appeal.Return, Note: "不属于本部门职责"})

	c := accepted()
	race("resolve", c, []string{"community", "grid"}, appeal.Command{Action: appeal.Resolve, Result: appeal.Solved, Note: "已解决"})
	race("rate", c, []string{"enterprise"}, appeal.Command{Action: appeal.Rate, Rating: appeal.Satisfied})
	if v := s.view(t, "admin", c); v.State != appeal.Closed {
		t.Errorf("after the rating race: %s", v.State)
	}
}

// TestIdempotency sends the same creation 20 times at once: one appeal, the
// same answer to all; the same key with another body is refused; another
// user's key is another user's.
func TestIdempotency(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		handles := []*appealdb.Store{s.Store, openStore(t, s.DSN, s.Clock).Store, openStore(t, s.DSN, s.Clock).Store}
		ent := s.As(t, "enterprise")
		const n = 20
		ids := make([]int64, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				a, _, err := handles[i%len(handles)].CreateAppeal(ctx, ent, appealInput(), "same-key")
				if err != nil {
					t.Errorf("attempt %d: %v", i, err)
					return
				}
				ids[i] = a.ID
			}()
		}
		close(start)
		wg.Wait()
		for i, id := range ids {
			if id != ids[0] {
				t.Errorf("attempt %d created appeal %d, attempt 0 appeal %d", i, id, ids[0])
			}
		}
		rows, total, err := s.Appeals(ctx, s.As(t, "admin"), appealdb.AppealQuery{})
		if err != nil || total != 1 {
			t.Fatalf("%d appeals after 20 attempts with one key (%v, %v)", total, rows, err)
		}
		other := appealInput()
		other.Content += "（补充）"
		if _, _, err := s.CreateAppeal(ctx, ent, other, "same-key"); !fault.Is(err, fault.Conflict) {
			t.Errorf("the key with another body: %v", err)
		}
		// The grid worker's "same-key" is the grid worker's own: a new appeal, nothing of the enterprise's.
		g, replayed, err := s.CreateAppeal(ctx, s.As(t, "grid"), appealInput(), "same-key")
		if err != nil || replayed || g.ID == ids[0] {
			t.Errorf("another user's key: %v, replayed %v, appeal %d", err, replayed, g.ID)
		}
	})
}

// TestAlertsExactlyOnce runs the scheduler on two instances of one store at
// once: every warning and escalation is raised exactly once.
func TestAlertsExactlyOnce(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		second := openStore(t, s.DSN, s.Clock)
		const n = 8
		for range n {
			s.raise(t, "enterprise", "")
		}
		// Past the warning and the deadline of acceptance, and then far past it.
		var raised int
		for _, step := range []time.Duration{3 * time.Hour, 2 * time.Hour, 7 * 24 * time.Hour} {
			s.Clock.Advance(step)
			var wg sync.WaitGroup
			counts := make([]int, 4)
			for i := range counts {
				wg.Add(1)
				go func() {
					defer wg.Done()
					st := s.Store
					if i%2 == 1 {
						st = second.Store
					}
					k, err := st.RunAlerts(ctx, 1000)
					if err != nil {
						t.Error(err)
					}
					counts[i] = k
				}()
			}
			wg.Wait()
			for _, k := range counts {
				raised += k
			}
		}
		// Each of the n acceptance steps: warning, overdue, street, district.
		if want := 4 * n; raised != want {
			t.Errorf("%d alerts raised, want %d", raised, want)
		}
		got := s.AuditCount(t, store.AuditQuery{Action: "appeal.alert"})
		if got != 4*n {
			t.Errorf("%d alert audit entries, want %d", got, 4*n)
		}
		notices, _, err := s.Inbox(ctx, s.As(t, "district_leader"), store.Page{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(notices) != n {
			t.Errorf("district leader has %d notices, want %d", len(notices), n)
		}
	})
}

// TestAppealNumbers creates appeals at once on two instances of one store:
// every number is dated by the clock in Shanghai and given once; a new day
// starts again at 0001; on SQLite a day's numbers have no gaps.
func TestAppealNumbers(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		other := openStore(t, s.DSN, s.Clock)
		// Just before midnight in Shanghai, so that the next day is a minute away.
		now := s.Clock.Now().In(calendar.Shanghai)
		s.Clock.Advance(time.Date(now.Year(), now.Month(), now.Day(), 23, 59, 0, 0, calendar.Shanghai).Sub(now))
		create := func(n int) []string {
			var mu sync.Mutex
			var numbers []string
			var wg sync.WaitGroup
			for i := range n {
				st := s.Store
				if i%2 == 1 {
					st = other.Store
				}
				wg.Go(func() {
					a, _, err := st.CreateAppeal(ctx, s.As(t, "enterprise"), appealInput(), "")
					if err != nil {
						t.Errorf("create: %v", err)
						return
					}
					mu.Lock()
					numbers = append(numbers, a.Number)
					mu.Unlock()
				})
			}
			wg.Wait()
			return numbers
		}
		check := func(numbers []string, day string, from int) {
			t.Helper()
			seen := map[int]bool{}
			for _, number := range numbers {
				rest, ok := strings.CutPrefix(number, "SQ"+day+"-")
				n, err := strconv.Atoi(rest)
				if !ok || err != nil || len(rest) < 4 || n < 1 {
					t.Errorf("number %q: want SQ%s-NNNN", number, day)
					continue
				}
				if seen[n] {
					t.Errorf("number %s given twice", number)
				}
				seen[n] = true
			}
			if store.IsPostgres(s.DSN) {
				return
			}
			for n := from; n < from+len(numbers); n++ {
				if !seen[n] {
					t.Errorf("SQLite: number %d of %s missing among %d", n, day, len(numbers))
				}
			}
		}
		day := s.Clock.Now().In(calendar.Shanghai).Format("20060102")
		check(create(40), day, 1)

		s.Clock.Advance(2 * time.Minute)
		next := s.Clock.Now().In(calendar.Shanghai).Format("20060102")
		if next == day {
			t.Fatalf("the clock did not reach the next day: %s", next)
		}
		first := create(1)
		if want := "SQ" + next + "-0001"; len(first) != 1 || first[0] != want {
			t.Errorf("the next day's first number: %v, want %s", first, want)
		}
		check(create(30), next, 2)
	})
}

// TestChannelsByRole: a channel a role may not set is refused by name, not
// changed; none given is the role's usual one.
func TestChannelsByRole(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		tests := []struct {
			who     string
			channel appeal.Channel
			want    appeal.Channel // "" for a refusal
		}{
			{"enterprise", "", appeal.ChannelWeb},
			{"enterprise", appeal.ChannelAPI, appeal.ChannelAPI},
			{"enterprise", appeal.ChannelHotline, ""},
			{"grid", "", appeal.ChannelVisit},
			{"grid", appeal.ChannelHotline, appeal.ChannelHotline},
			{"grid", appeal.ChannelWeb, ""},
			{"grid", "bogus", ""},
			{"community", appeal.ChannelWalkIn, appeal.ChannelWalkIn},
			{"admin", "", appeal.ChannelReferral},
		}
		for i, tt := range tests {
			in := appealInput()
			in.Channel, in.Title = tt.channel, fmt.Sprintf("渠道 %d", i)
			a, _, err := s.CreateAppeal(ctx, s.As(t, tt.who), in, "")
			if tt.want == "" {
				storetest.WantField(t, err, "channel")
				continue
			}
			if err != nil || a.Channel != tt.want {
				t.Errorf("%s with %q: %q, %v; want %q", tt.who, tt.channel, a.Channel, err, tt.want)
			}
		}
	})
}

// TestRatingSettlesNotices: the "please rate" notice is read once the appeal
// is rated, for the enterprise's users; every notice names the appeal's number.
func TestRatingSettlesNotices(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		a := s.raise(t, "enterprise", "")
		a = s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept, Version: a.Version})
		a = s.act(t, "community", a.ID, appeal.Command{Action: appeal.Resolve, Version: a.Version, Result: appeal.Solved, Note: "已协调解决用工问题"})
		unreadReplies := func() int {
			t.Helper()
			notices, _, err := s.Inbox(ctx, s.As(t, "enterprise"), store.Page{Size: store.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range notices {
				if x.AppealID == a.ID && !strings.Contains(x.Title, a.Number) {
					t.Errorf("notice %q does not name the appeal's number %s", x.Title, a.Number)
				}
				if x.AppealID == a.ID && x.Kind == "reply" && !x.Read {
					n++
				}
			}
			return n
		}
		if unreadReplies() == 0 {
			t.Fatal("no unread request to rate after the reply: the test shows nothing")
		}
		s.act(t, "enterprise", a.ID, appeal.Command{Action: appeal.Rate, Version: a.Version, Rating: appeal.Satisfied})
		if n := unreadReplies(); n != 0 {
			t.Errorf("%d requests to rate still unread after the rating", n)
		}
	})
}
