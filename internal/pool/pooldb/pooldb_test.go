package pooldb_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/pgtest"
	"qifu/internal/platform"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type testStore struct {
	*storetest.Store
	*platform.Modules
}

func open(t *testing.T, dsn string, c *storetest.Clock) *testStore {
	t.Helper()
	var s testStore
	s.Store = storetest.Open(t, dsn, c, store.Options{}, func(st *store.Store) { s.Modules = platform.Build(st, platform.Options{}) })
	return &s
}

// The pool's tests run on the permission fixture (storetest.NewFixture): a
// city of two districts, two streets each, two communities each, with staff
// in every community and an enterprise account for the first enterprise of
// each community. It is small (fast to load on both stores), has regions of
// every level out of each other's reach, and does not move when the demo's
// generator does. Each community gets two more enterprise accounts here, so
// that a lender and its borrowers in one community all have accounts of
// their own:
//
//	ent_<community>   the first enterprise of its first grid (the fixture's)
//	entb_<community>  the second enterprise of its first grid
//	entc_<community>  the first enterprise of its second grid
const (
	d1   = "330206"       // the first district
	s11  = "330206001"    // its first street
	c111 = "330206001001" // the street's first community: the flows' community
	c112 = "330206001002" // the same street's second community
	s12  = "330206002"    // the district's second street
	c121 = "330206002001" // a community of the second street
	d2   = "330203"       // the second district
	c211 = "330203001001" // a community of the second district
)

// fixture is the permission fixture with the pool's extra accounts.
func fixture() storetest.Fixture {
	f := storetest.NewFixture()
	n := 0
	for _, e := range slices.Clone(f.Enterprises) {
		grid := e.GridCode
		community := e.CommunityCode
		var name string
		switch {
		case grid == community+"001" && e.CreditCode == firstIn(f, grid, 1):
			name = "entb_" + community
		case grid == community+"002" && e.CreditCode == firstIn(f, grid, 0):
			name = "entc_" + community
		default:
			continue
		}
		n++
		f.Users = append(f.Users, demo.User{Username: name, Password: demo.Password, Name: fmt.Sprintf("企业联系人%02d", n),
			Phone: fmt.Sprintf("1360574%04d", n), Role: access.RoleEnterprise, EnterpriseCode: e.CreditCode})
	}
	return f
}

// firstIn is the credit code of the i-th enterprise of a grid.
func firstIn(f storetest.Fixture, grid string, i int) string {
	for _, e := range f.Enterprises {
		if e.GridCode == grid {
			if i == 0 {
				return e.CreditCode
			}
			i--
		}
	}
	return ""
}

// env is one store loaded with the fixture, and what the tests need of it.
type env struct {
	t   *testing.T
	s   *testStore
	ctx context.Context
	f   storetest.Fixture
	ids map[string]int64
	mu  sync.Mutex
	as  map[string]access.Actor
	seq atomic.Int64
}

// each runs fn on a fresh SQLite and a fresh PostgreSQL store with the fixture.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	f := fixture()
	storetest.Each(t, false, open, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		if err := s.LoadDemo(ctx, f.Dataset); err != nil {
			t.Fatalf("load fixture: %v", err)
		}
		fn(t, &env{t: t, s: s, ctx: ctx, f: f, ids: s.IDs(t), as: map[string]access.Actor{}})
	})
}

// actor is the actor of the account named username.
func (e *env) actor(username string) access.Actor {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if a, ok := e.as[username]; ok {
		return a
	}
	a := e.s.As(e.t, username)
	e.as[username] = a
	return a
}

// ent is the ID of the i-th enterprise of a community's grid (1 or 2).
func (e *env) ent(community string, grid, i int) int64 {
	e.t.Helper()
	code := firstIn(e.f, fmt.Sprintf("%s%03d", community, grid), i)
	if code == "" {
		e.t.Fatalf("no enterprise %d in grid %d of %s", i, grid, community)
	}
	return e.ids[code]
}

// name is the name of an enterprise.
func (e *env) name(id int64) string {
	e.t.Helper()
	for _, x := range e.f.Enterprises {
		if e.ids[x.CreditCode] == id {
			return x.Name
		}
	}
	e.t.Fatalf("no enterprise %d", id)
	return ""
}

// The fake clock's first day is 2026-03-02, a Monday.
const (
	today    = "2026-03-02"
	firstDay = "2026-03-05" // the needs' first day, three days on
	lastDay  = "2026-03-31"
)

// toDay moves the clock on to 09:00 of day (in the district).
func (e *env) toDay(day string) {
	e.t.Helper()
	d, ok := pool.ParseDay(day)
	if !ok {
		e.t.Fatalf("not a day: %s", day)
	}
	at := time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, storetest.Start.Location())
	if at.Before(e.s.Clock.Now()) {
		e.t.Fatalf("the clock is past %s", day)
	}
	e.s.Clock.Set(at)
}

// day is the clock's day in the district.
func (e *env) day() string {
	return e.s.Clock.Now().In(storetest.Start.Location()).Format("2006-01-02")
}

// worker is a new person to offer: available from today to until, under a
// contract ending at contract, doing general work on any shift.
func (e *env) worker(until, contract string) pool.Worker {
	n := e.seq.Add(1)
	first17 := fmt.Sprintf("3302061990%02d%02d%03d", 1+n/28%12, 1+n%28, n%1000)
	return pool.Worker{Name: fmt.Sprintf("员工%04d", n), Phone: fmt.Sprintf("137%08d", n),
		IDNumber: first17 + string(pool.IDCheck(first17)), WorkTypes: []pool.WorkType{"general", "packing"},
		ContractEnd: contract, From: today, To: until, Shift: "both"}
}

// need is a need of enterprise eid for heads general workers from firstDay
// to lastDay, needed by the day after the first (a shipping date).
func need(eid int64, heads int) pool.Need {
	return pool.Need{EnterpriseID: eid, WorkType: "general", Heads: heads, From: firstDay, To: lastDay, NeededBy: "2026-03-06",
		Site: "北仑区明州路 88 号三号车间", Shift: "day", DailyCost: 260, Training: "岗前安全教育两小时，设备操作培训一天",
		Contact: "张主管", Phone: "13905741234"}
}

// must returns v, failing the test on err: must(f())(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// wantCode fails the test unless err is a fault with code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if f := fault.As(err); f == nil || f.Code != code {
		t.Fatalf("error = %v; want code %s", err, code)
	}
}

// snapshot is every pool table's rows, versions and counters, the inbox and
// the audit log as one string: a refusal must leave it as it was.
func (e *env) snapshot() string {
	e.t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT COUNT(*), CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM pool_workers",
		"SELECT COUNT(*), CAST(COALESCE(SUM(leader_id), 0) AS BIGINT) FROM pool_teams",
		"SELECT COUNT(*), CAST(COALESCE(SUM(version + 1000 * taken), 0) AS BIGINT) FROM pool_needs",
		"SELECT COUNT(*), CAST(COALESCE(SUM(first_on_site), 0) AS BIGINT) FROM pool_needs",
		"SELECT COUNT(*), CAST(COALESCE(SUM(version + 1000 * heads), 0) AS BIGINT) FROM pool_matches",
		"SELECT COUNT(*), CAST(COALESCE(SUM(first_on_site), 0) AS BIGINT) FROM pool_matches",
		"SELECT COUNT(*), CAST(COALESCE(SUM(version + 1000 * rating), 0) AS BIGINT) FROM pool_placements",
		"SELECT COUNT(*), CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM pool_seekers",
		"SELECT COUNT(*), CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM pool_sheets",
		"SELECT COUNT(*), 0 FROM pool_seals",
		"SELECT COUNT(*), 0 FROM pool_attendance",
		"SELECT COUNT(*), 0 FROM pool_ratings",
		"SELECT COUNT(*), 0 FROM pool_complaints",
		"SELECT COUNT(*), 0 FROM inbox",
	} {
		var n, v int64
		if err := store.Scan(e.s.Reader().Row(e.ctx, q), &n, &v); err != nil {
			e.t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintf(&b, "%d/%d ", n, v)
	}
	fmt.Fprintf(&b, "audit %d", e.s.AuditCount(e.t, store.AuditQuery{}))
	return b.String()
}

// unchanged fails the test when the snapshot moved from before.
func (e *env) unchanged(before, what string) {
	e.t.Helper()
	if after := e.snapshot(); after != before {
		e.t.Errorf("%s changed the store: %s → %s", what, before, after)
	}
}

// audits counts the pool's audit entries by action, and their targets.
func (e *env) audits() (map[string]int, map[string][]string) {
	e.t.Helper()
	n, targets := map[string]int{}, map[string][]string{}
	auditor := access.Actor{Name: "test", Role: access.RoleAuditor}
	for page := 1; ; page++ {
		list, _, err := e.s.AuditLog(e.ctx, auditor, store.AuditQuery{Action: "pool.", Page: store.Page{Number: page, Size: store.MaxPageSize}})
		if err != nil {
			e.t.Fatal(err)
		}
		for _, x := range list {
			n[x.Action]++
			targets[x.Action] = append(targets[x.Action], x.Target)
		}
		if len(list) < store.MaxPageSize {
			return n, targets
		}
	}
}

// kinds are the kinds of the notices in an actor's inbox.
func (e *env) kinds(a access.Actor) map[string]int {
	e.t.Helper()
	list, _, err := e.s.Inbox(e.ctx, a, store.Page{Size: store.MaxPageSize})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]int{}
	for _, n := range list {
		out[n.Kind]++
	}
	return out
}

// loan reads a loan as the administrator.
func (e *env) loan(id int64) pool.Loan {
	e.t.Helper()
	return must(e.s.Pool.Loan(e.ctx, e.actor("admin"), id))(e.t)
}

// placement reads one placement of a loan as the administrator.
func (e *env) placement(loanID, id int64) pool.Placement {
	e.t.Helper()
	for _, p := range e.loan(loanID).Placements {
		if p.ID == id {
			return p
		}
	}
	e.t.Fatalf("loan %d has no placement %d", loanID, id)
	return pool.Placement{}
}

// needOf reads a need as the administrator.
func (e *env) needOf(id int64) pool.Need {
	e.t.Helper()
	return must(e.s.Pool.Need(e.ctx, e.actor("admin"), id))(e.t)
}

// workerOf reads a worker as the administrator.
func (e *env) workerOf(id int64) pool.Worker {
	e.t.Helper()
	return must(e.s.Pool.Worker(e.ctx, e.actor("admin"), id))(e.t)
}

// todos are the refs of an actor's open pool items of kind, with their colours.
func (e *env) todos(a access.Actor, kind string) map[string]string {
	e.t.Helper()
	items, n, err := e.s.Pool.Todo(e.ctx, a, kind, 1000)
	if err != nil {
		e.t.Fatalf("todo %s: %v", kind, err)
	}
	if n != len(items) {
		e.t.Fatalf("todo %s: %d items of %d", kind, len(items), n)
	}
	out := map[string]string{}
	for _, it := range items {
		if it.Kind != kind {
			e.t.Errorf("an item of kind %s in the list of %s", it.Kind, kind)
		}
		out[it.Ref] = it.Colour
	}
	return out
}

// scan is a sealed scan's record (the web layer stores the file).
func scan(what string) pooldb.Seal {
	sum := sha256.Sum256([]byte(what))
	return pooldb.Seal{Kind: "scan", SHA256: hex.EncodeToString(sum[:]), Name: "共享用工协议（盖章）.pdf", MIME: "application/pdf", Size: 48213}
}

// eseal is an e-seal's record.
func eseal() pooldb.Seal {
	return pooldb.Seal{Kind: "eseal", Reference: "ESEAL-330206-2026-000417"}
}

// onSite takes a proposal of a lender's workers to a need through every
// step to the workers on site on the need's first day: it chooses the
// workers, issues their codes, has each consent, seals (scan and e-seal),
// covers, trains and starts them. It returns the loan and the workers'
// tokens by placement. The actors are the enterprises' accounts.
func (e *env) onSite(loanID int64, lender, borrower, staff access.Actor, workers []int64) (pool.Loan, map[int64]string) {
	e.t.Helper()
	t, s, ctx := e.t, e.s.Pool, e.ctx
	m := e.loan(loanID)
	m = must(s.Choose(ctx, lender, loanID, workers, m.Version))(t)
	tokens := e.consentAll(m, staff)
	m = must(s.AddSeal(ctx, lender, loanID, "lender", scan(fmt.Sprint(loanID))))(t)
	m = must(s.AddSeal(ctx, borrower, loanID, "borrower", eseal()))(t)
	for _, p := range m.Placements {
		m = must(s.Cover(ctx, lender, loanID, p.ID, "GS330206-2026-0001", "2026-12-31"))(t)
	}
	m = must(s.Train(ctx, borrower, loanID, "岗前安全教育两小时，讲师王工", m.Version))(t)
	if e.s.Clock.Now().Before(dayStart(m.Need.From)) {
		e.toDay(m.Need.From)
	}
	for _, p := range m.Placements {
		p = e.placement(loanID, p.ID)
		m = must(s.Start(ctx, borrower, loanID, p.ID, p.Version))(t)
	}
	return m, tokens
}

// consentAll issues each chosen worker of a loan their code, redeems it and
// consents; it returns the tokens by placement.
func (e *env) consentAll(m pool.Loan, staff access.Actor) map[int64]string {
	e.t.Helper()
	tokens := map[int64]string{}
	for _, p := range m.Placements {
		if p.State != pool.PlaceChosen {
			continue
		}
		code := must(e.s.Pool.IssueCode(e.ctx, staff, p.ID))(e.t)
		token := must(e.s.Pool.Redeem(e.ctx, code))(e.t)
		mine := must(e.s.Pool.Mine(e.ctx, token))(e.t)
		must(e.s.Pool.Answer(e.ctx, token, true, mine.Placement.Version))(e.t)
		tokens[p.ID] = token
	}
	return tokens
}

// dayStart is 00:00 of day in the district.
func dayStart(day string) time.Time {
	d, _ := pool.ParseDay(day)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, storetest.Start.Location())
}

// TestLoanFlow takes one loan through the whole path on both stores: a
// lender offers three workers (a team of two with its leader, and one
// alone); a borrower of the same community posts a need for two with a
// shipping date; the matcher proposes the lender with its reasons; the
// community proposes it for both slots; the lender chooses two workers; the
// community issues each a one-time code, which works once; each worker
// reads the agreement (both enterprises, every rule) and consents; both
// enterprises seal (a click is refused); the lender records the injury
// cover, the borrower the training, and starts both on the need's first
// day; attendance, an extension the worker accepts, a complaint, the
// month's sheet (days × daily cost), its confirmations (a fee and an
// underpayment refused), the return of both, the ratings. Every change is
// audited, and the enterprises' and the community's inboxes got notices.
func TestLoanFlow(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Pool, e.ctx
		staff := e.actor("community_" + c111)
		lender, borrower := e.actor("ent_"+c111), e.actor("entb_"+c111)
		L, B := e.ent(c111, 1, 0), e.ent(c111, 1, 1)
		if lender.EnterpriseID != L || borrower.EnterpriseID != B {
			t.Fatalf("accounts: lender %d (want %d), borrower %d (want %d)", lender.EnterpriseID, L, borrower.EnterpriseID, B)
		}

		// The offers: a team of two with its leader (by the community for
		// the lender), one worker alone (by the lender's own account).
		w1, w2, w3 := e.worker("2026-06-30", "2027-12-31"), e.worker("2026-06-30", "2027-12-31"), e.worker("2026-06-30", "2027-12-31")
		team := must(s.OfferTeam(ctx, staff, L, pool.Team{Name: "焊装一班", Shuttle: true}, []pool.Worker{w1, w2}))(t)
		if len(team) != 2 || team[0].TeamID == 0 || team[1].TeamID != team[0].TeamID || team[0].Status != pool.WorkerAvailable ||
			team[0].Share != d1 || team[0].Enterprise != e.name(L) {
			t.Fatalf("team offered: %+v", team)
		}
		if team[0].Phone == w1.Phone || team[0].IDNumber == w1.IDNumber {
			t.Errorf("the community's answer shows the worker's phone or ID number: %+v", team[0])
		}
		alone := must(s.Offer(ctx, lender, pool.Worker{EnterpriseID: L, Name: w3.Name, Phone: w3.Phone, IDNumber: w3.IDNumber,
			WorkTypes: w3.WorkTypes, ContractEnd: w3.ContractEnd, From: w3.From, To: w3.To, Shift: w3.Shift}))(t)
		if alone.Phone != w3.Phone || alone.IDNumber != w3.IDNumber || alone.TeamID != 0 {
			t.Errorf("the lender's own answer: %+v", alone)
		}
		teams := must(s.Teams(ctx, lender, L))(t)
		if len(teams) != 1 || teams[0].LeaderID != team[0].ID || teams[0].Leader != w1.Name || teams[0].Size != 2 || !teams[0].Shuttle {
			t.Errorf("teams: %+v", teams)
		}
		_, err := s.Offer(ctx, lender, pool.Worker{EnterpriseID: L, Name: w3.Name, Phone: w3.Phone, IDNumber: w3.IDNumber,
			WorkTypes: w3.WorkTypes, ContractEnd: w3.ContractEnd, From: w3.From, To: w3.To})
		wantCode(t, err, "pool_worker_twice")

		// The need, with its shipping date.
		n := must(s.PostNeed(ctx, borrower, need(B, 2)))(t)
		if n.ID == 0 || n.Status != pool.NeedOpen || n.Taken != 0 || n.Share != d1 || n.NeededBy != "2026-03-06" || n.Version != 1 {
			t.Fatalf("need posted: %+v", n)
		}

		// The matcher proposes the lender for both slots, with its reasons.
		sg := must(s.Suggest(ctx, staff))(t)
		i := slices.IndexFunc(sg.Proposals, func(p pool.Proposal) bool { return p.NeedID == n.ID })
		if i < 0 || sg.Filled != 2 || len(sg.Unfilled) != 0 || sg.Workers != 3 {
			t.Fatalf("suggestion: %+v", sg)
		}
		prop := sg.Proposals[i]
		if prop.LenderID != L || prop.Heads != 2 || prop.Tier != 0 || len(prop.Candidates) != 3 || len(prop.Reasons) < 3 {
			t.Fatalf("proposal: %+v", prop)
		}
		if !strings.Contains(prop.Reasons[0].Zh, "普工") || !strings.Contains(prop.Reasons[0].En, "General worker") {
			t.Errorf("first reason: %+v", prop.Reasons[0])
		}

		m := must(s.Propose(ctx, staff, n.ID, L, 2))(t)
		if m.State != pool.MatchProposed || m.Heads != 2 || m.LenderID != L || m.BorrowerID != B || len(m.Reasons) != len(prop.Reasons) {
			t.Fatalf("proposed: %+v", m)
		}
		if got := e.needOf(n.ID); got.Taken != 2 || got.Status != pool.NeedFilled {
			t.Fatalf("need after the proposal: taken %d, %s", got.Taken, got.Status)
		}
		if m = e.loan(m.ID); m.Step != "choose" || m.Colour != "green" {
			t.Errorf("the proposal waits on %q (%s)", m.Step, m.Colour)
		}

		// The lender chooses the team's leader and the worker alone.
		m = must(s.Choose(ctx, lender, m.ID, []int64{alone.ID, team[0].ID}, m.Version))(t)
		if m.State != pool.MatchChosen || len(m.Placements) != 2 || m.Step != "consent" {
			t.Fatalf("chosen: %+v", m)
		}
		for _, p := range m.Placements {
			if p.State != pool.PlaceChosen || p.From != firstDay || p.To != lastDay {
				t.Errorf("placement: %+v", p)
			}
		}
		for _, w := range []int64{alone.ID, team[0].ID} {
			if st := e.workerOf(w).Status; st != pool.WorkerLent {
				t.Errorf("worker %d chosen is %s", w, st)
			}
		}
		if st := e.workerOf(team[1].ID).Status; st != pool.WorkerAvailable {
			t.Errorf("the worker not chosen is %s", st)
		}

		// One code for each worker: it opens the page once.
		tokens := map[int64]string{}
		for _, p := range m.Placements {
			code := must(s.IssueCode(ctx, staff, p.ID))(t)
			token := must(s.Redeem(ctx, strings.ToLower(code)))(t)
			_, err := s.Redeem(ctx, code)
			wantCode(t, err, "pool_code")
			tokens[p.ID] = token
		}
		_, err = s.Redeem(ctx, "ABCDE-FGHJK")
		wantCode(t, err, "pool_code")

		// Each worker reads the agreement and consents.
		for _, p := range m.Placements {
			mine := must(s.Mine(ctx, tokens[p.ID]))(t)
			if mine.Placement.ID != p.ID || !mine.CanConsent || mine.CanWithdraw || mine.Loan.Lender != e.name(L) || mine.Loan.Borrower != e.name(B) ||
				mine.Loan.DailyCost != 260 || mine.Loan.Sealed || mine.Loan.Trained {
				t.Fatalf("worker's page: %+v", mine)
			}
			for _, want := range []string{e.name(L), e.name(B), p.Worker, "每人每天 260 元", firstDay, lastDay} {
				if !strings.Contains(mine.Agreement, want) {
					t.Errorf("the agreement lacks %q:\n%s", want, mine.Agreement)
				}
			}
			for _, r := range pool.Rules {
				if !strings.Contains(mine.Agreement, r.Zh) {
					t.Errorf("the agreement lacks the rule %s", r.Code)
				}
			}
			mine = must(s.Answer(ctx, tokens[p.ID], true, mine.Placement.Version))(t)
			if mine.Placement.State != pool.PlaceConsented || mine.Placement.ConsentedAt.IsZero() || mine.CanConsent || !mine.CanWithdraw {
				t.Errorf("after consent: %+v", mine.Placement)
			}
			_, err := s.Answer(ctx, tokens[p.ID], true, mine.Placement.Version)
			storetest.WantKind(t, err, fault.Conflict)
		}
		m = e.loan(m.ID)
		if m.Step != "seal" {
			t.Errorf("after consents the loan waits on %q", m.Step)
		}
		// The borrower sees the phones of the workers who consented.
		for _, p := range must(s.Loan(ctx, borrower, m.ID))(t).Placements {
			if p.Phone != w1.Phone && p.Phone != w3.Phone {
				t.Errorf("the borrower sees phone %s of a worker who consented", p.Phone)
			}
		}

		// The seals: a click is not one; a scan for the lender, an e-seal for the borrower.
		before := e.snapshot()
		_, err = s.AddSeal(ctx, lender, m.ID, "lender", pooldb.Seal{})
		storetest.WantField(t, err, "kind")
		_, err = s.AddSeal(ctx, lender, m.ID, "lender", pooldb.Seal{Kind: "scan", MIME: "text/plain", SHA256: "abc"})
		storetest.WantField(t, err, "file")
		_, err = s.AddSeal(ctx, borrower, m.ID, "borrower", pooldb.Seal{Kind: "eseal", Reference: "short"})
		storetest.WantField(t, err, "reference")
		_, err = s.AddSeal(ctx, borrower, m.ID, "lender", scan("x"))
		storetest.WantForbidden(t, err)
		e.unchanged(before, "refused seals")
		m = must(s.AddSeal(ctx, lender, m.ID, "lender", scan("agreement")))(t)
		if m.LenderSeal != "scan" || m.BorrowerSeal != "" || m.Sealed() {
			t.Errorf("after the lender's seal: %q %q", m.LenderSeal, m.BorrowerSeal)
		}
		m = must(s.AddSeal(ctx, borrower, m.ID, "borrower", eseal()))(t)
		if !m.Sealed() || m.BorrowerSeal != "eseal" || m.Step != "training" {
			t.Errorf("after both seals: %q %q, step %q", m.LenderSeal, m.BorrowerSeal, m.Step)
		}
		if sl := must(s.SealFile(ctx, borrower, m.ID, "lender"))(t); sl.Kind != "scan" || sl.SHA256 != scan("agreement").SHA256 || sl.MIME != "application/pdf" {
			t.Errorf("the lender's seal file: %+v", sl)
		}

		// Cover, training, and the start on the need's first day.
		for _, p := range m.Placements {
			m = must(s.Cover(ctx, lender, m.ID, p.ID, "GS330206-2026-0001", "2026-12-31"))(t)
		}
		m = must(s.Train(ctx, borrower, m.ID, "岗前安全教育两小时，讲师王工", m.Version))(t)
		if m.TrainedAt.IsZero() || m.Step != "start" {
			t.Errorf("after training: step %q", m.Step)
		}
		e.toDay(firstDay)
		for _, p := range m.Placements {
			p = e.placement(m.ID, p.ID)
			m = must(s.Start(ctx, borrower, m.ID, p.ID, p.Version))(t)
		}
		now := e.s.Clock.Now()
		if m.State != pool.MatchActive || !m.FirstOnSite.Equal(now) || m.Step != "" {
			t.Errorf("after the starts: %s, first on site %v (now %v), step %q", m.State, m.FirstOnSite, now, m.Step)
		}
		for _, p := range m.Placements {
			if p.State != pool.PlaceOnSite || !p.StartedAt.Equal(now) {
				t.Errorf("placement after the start: %+v", p)
			}
		}
		if got := e.needOf(n.ID); !got.FirstOnSite.Equal(now) || pool.Hours(got) != 72 {
			t.Errorf("need's first on site %v (now %v), %v hours", got.FirstOnSite, now, pool.Hours(got))
		}

		// Five days of attendance each (one day recorded twice counts once).
		e.toDay("2026-03-10")
		days := []string{"2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"}
		for _, p := range m.Placements {
			m = must(s.Attend(ctx, borrower, m.ID, p.ID, days))(t)
		}
		m = must(s.Attend(ctx, borrower, m.ID, m.Placements[0].ID, days[:1]))(t)
		_, err = s.Attend(ctx, borrower, m.ID, m.Placements[0].ID, []string{"2026-03-10", "2026-03-11"})
		storetest.WantField(t, err, "days")
		for _, p := range m.Placements {
			if p.Days != 5 {
				t.Errorf("placement %d: %d days", p.ID, p.Days)
			}
		}
		mine := must(s.Mine(ctx, tokens[m.Placements[0].ID]))(t)
		if !slices.Equal(mine.Attendance, days) || !mine.Loan.Sealed || !mine.Loan.Trained {
			t.Errorf("the worker's page: attendance %v, sealed %v, trained %v", mine.Attendance, mine.Loan.Sealed, mine.Loan.Trained)
		}

		// An extension the worker accepts, and a complaint.
		p0 := m.Placements[0]
		m = must(s.Extend(ctx, borrower, m.ID, p0.ID, "2026-04-15", p0.Version))(t)
		if got := e.placement(m.ID, p0.ID); got.ExtTo != "2026-04-15" || got.To != lastDay {
			t.Errorf("after the extension: to %s, ext %s", got.To, got.ExtTo)
		}
		mine = must(s.AnswerExtension(ctx, tokens[p0.ID], true))(t)
		if mine.Placement.To != "2026-04-15" || mine.Placement.ExtTo != "" {
			t.Errorf("after the worker's yes: to %s, ext %s", mine.Placement.To, mine.Placement.ExtTo)
		}
		_, err = s.AnswerExtension(ctx, tokens[p0.ID], true)
		storetest.WantKind(t, err, fault.Conflict)
		mine = must(s.Complain(ctx, tokens[m.Placements[1].ID], "夜班结束后没有班车，回家不方便"))(t)
		if len(mine.Complaints) != 1 || mine.Complaints[0].Text != "夜班结束后没有班车，回家不方便" {
			t.Errorf("complaints: %+v", mine.Complaints)
		}

		// The month's sheet: 2 workers × 5 days × 260 yuan.
		sh := must(s.MakeSheet(ctx, borrower, m.ID, "2026-03"))(t)
		if sh.Total != 2*5*260 || len(sh.Lines) != 2 || sh.Lines[0].Amount != 5*260 || sh.Lines[1].Days != 5 || sh.Lines[0].Rate != 260 {
			t.Fatalf("sheet: %+v", sh)
		}
		_, err = s.MakeSheet(ctx, borrower, m.ID, "2026-04")
		storetest.WantField(t, err, "month")
		sh = must(s.ConfirmSheet(ctx, borrower, m.ID, "2026-03", "borrower", nil, sh.Version))(t)
		if sh.BorrowerConfirmed.IsZero() || !sh.LenderConfirmed.IsZero() {
			t.Errorf("after the borrower's confirmation: %+v", sh)
		}
		pay := func(fee, short int) []pooldb.Payment {
			var out []pooldb.Payment
			for _, l := range sh.Lines {
				out = append(out, pooldb.Payment{PlacementID: l.PlacementID, Paid: l.Amount - short, Fee: fee})
			}
			return out
		}
		before = e.snapshot()
		_, err = s.ConfirmSheet(ctx, lender, m.ID, "2026-03", "lender", pay(100, 100), sh.Version)
		wantCode(t, err, "pool_rule_no_fee")
		_, err = s.ConfirmSheet(ctx, lender, m.ID, "2026-03", "lender", pay(0, 100), sh.Version)
		wantCode(t, err, "pool_rule_wage_full")
		_, err = s.ConfirmSheet(ctx, lender, m.ID, "2026-03", "lender", pay(0, 0)[:1], sh.Version)
		storetest.WantField(t, err, "paid")
		e.unchanged(before, "refused confirmations")
		sh = must(s.ConfirmSheet(ctx, lender, m.ID, "2026-03", "lender", pay(0, 0), sh.Version))(t)
		if sh.LenderConfirmed.IsZero() || sh.Lines[0].Paid != 5*260 || sh.Lines[0].Fee != 0 {
			t.Errorf("after the lender's confirmation: %+v", sh)
		}
		_, err = s.MakeSheet(ctx, borrower, m.ID, "2026-03")
		storetest.WantKind(t, err, fault.Conflict)
		if list := must(s.Sheets(ctx, lender, m.ID))(t); len(list) != 1 || list[0].Total != 2600 || list[0].LenderConfirmed.IsZero() || list[0].BorrowerConfirmed.IsZero() {
			t.Errorf("sheets: %+v", list)
		}

		// Both return: the loan ends, the workers are available again.
		err = s.Rate(ctx, lender, m.ID, "lender", 5, "")
		storetest.WantKind(t, err, fault.Conflict)
		for _, p := range m.Placements {
			p = e.placement(m.ID, p.ID)
			if e.day() < p.To {
				_, err := s.End(ctx, borrower, m.ID, p.ID, false, "", p.Version)
				storetest.WantKind(t, err, fault.Conflict) // before the last day, only an early end with its reason
			}
			for e.day() < p.To {
				e.s.Clock.Advance(24 * time.Hour)
			}
			m = must(s.End(ctx, borrower, m.ID, p.ID, false, "", p.Version))(t)
		}
		if m.State != pool.MatchEnded || m.EndedAt.IsZero() {
			t.Fatalf("after the returns: %s", m.State)
		}
		for _, p := range m.Placements {
			if p.State != pool.PlaceReturned || p.EndedBy != "borrower" || p.EndedAt.IsZero() {
				t.Errorf("placement after the return: %+v", p)
			}
			if st := e.workerOf(p.WorkerID).Status; st != pool.WorkerAvailable {
				t.Errorf("worker %d returned is %s", p.WorkerID, st)
			}
		}
		if got := e.needOf(n.ID); got.Taken != 2 || got.Status != pool.NeedFilled {
			t.Errorf("the need after the returns: taken %d, %s", got.Taken, got.Status)
		}

		// The ratings: each party once, each worker once.
		if err := s.Rate(ctx, lender, m.ID, "lender", 5, "对方管理规范"); err != nil {
			t.Fatal(err)
		}
		if err := s.Rate(ctx, borrower, m.ID, "borrower", 4, "员工技能熟练"); err != nil {
			t.Fatal(err)
		}
		storetest.WantKind(t, s.Rate(ctx, borrower, m.ID, "borrower", 3, ""), fault.Conflict)
		storetest.WantForbidden(t, s.Rate(ctx, borrower, m.ID, "lender", 3, ""))
		if r := must(s.Ratings(ctx, staff, m.ID))(t); r["lender"] != 5 || r["borrower"] != 4 {
			t.Errorf("ratings: %v", r)
		}
		for _, p := range m.Placements {
			mine := must(s.RateByWorker(ctx, tokens[p.ID], 5, "食宿安排周到"))(t)
			if mine.Placement.Rating != 5 {
				t.Errorf("worker's rating: %d", mine.Placement.Rating)
			}
			_, err := s.RateByWorker(ctx, tokens[p.ID], 1, "")
			storetest.WantKind(t, err, fault.Conflict)
		}

		// Every change was audited, once.
		counts, targets := e.audits()
		want := map[string]int{"pool.offer": 2, "pool.need": 1, "pool.propose": 1, "pool.choose": 1, "pool.code": 2, "pool.redeem": 2,
			"pool.consent": 2, "pool.seal": 2, "pool.cover": 2, "pool.train": 1, "pool.start": 2, "pool.attend": 3, "pool.extend": 1,
			"pool.extension": 1, "pool.complain": 1, "pool.sheet": 1, "pool.sheet.confirm": 2, "pool.end": 2, "pool.rate": 4}
		for k, v := range want {
			if counts[k] != v {
				t.Errorf("%d audit entries %s; want %d", counts[k], k, v)
			}
		}
		for k := range counts {
			if _, ok := want[k]; !ok {
				t.Errorf("unexpected audit entries %s: %d", k, counts[k])
			}
		}
		loanTarget := fmt.Sprintf("pool_loan/%d", m.ID)
		for _, k := range []string{"pool.propose", "pool.choose", "pool.train", "pool.sheet"} {
			if !slices.Equal(targets[k], []string{loanTarget}) {
				t.Errorf("%s targets %v; want %s", k, targets[k], loanTarget)
			}
		}
		var starts []string
		for _, p := range m.Placements {
			starts = append(starts, fmt.Sprintf("pool_placement/%d", p.ID))
		}
		got := slices.Clone(targets["pool.start"])
		slices.Sort(got)
		if !slices.Equal(got, starts) {
			t.Errorf("pool.start targets %v; want %v", got, starts)
		}

		// The notices.
		lk, bk, sk := e.kinds(lender), e.kinds(borrower), e.kinds(staff)
		if lk["pool.proposed"] != 1 || lk["pool.loan"] == 0 || bk["pool.loan"] == 0 || bk["pool.proposed"] != 0 {
			t.Errorf("enterprises' notices: lender %v, borrower %v", lk, bk)
		}
		if sk["pool.need"] != 1 || sk["pool.codes"] != 1 || sk["pool.complaint"] != 1 {
			t.Errorf("community's notices: %v", sk)
		}
		// 2 consents, 2 sheet confirmations, 1 extension, 2 returns.
		if lk["pool.loan"] != 7 || bk["pool.loan"] != 7 {
			t.Errorf("loan notices: lender %d, borrower %d; want 7 each", lk["pool.loan"], bk["pool.loan"])
		}
	})
}
