package policydb_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/platform"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// demoSmall is the demo dataset with one enterprise in three kept (and
// every enterprise an account, a cadre or a project names), for a quick
// run of the demo on both stores, and without the science bureau's second
// member of staff, whom the demo then makes. QIFU_DEMO_FULL=1 runs the
// full dataset.
func demoSmall() demo.Dataset {
	d := storetest.Dataset()
	if os.Getenv("QIFU_DEMO_FULL") != "" {
		return d
	}
	named := map[string]bool{}
	for _, u := range d.Users {
		named[u.EnterpriseCode] = true
		for _, c := range u.Assigned {
			named[c] = true
		}
	}
	for _, pr := range d.Projects {
		named[pr.CreditCode] = true
	}
	out := d
	out.Users = slices.DeleteFunc(slices.Clone(d.Users), func(u demo.User) bool { return u.Username == "dept_sci2" })
	out.Enterprises = nil
	for i, e := range d.Enterprises {
		if i%3 == 0 || named[e.CreditCode] {
			out.Enterprises = append(out.Enterprises, e)
		}
	}
	return out
}

// TestDemo plays the demo on both stores and checks that it left every
// part of precise push alive: each family's policies published, pushes,
// claims in every state, notices, the blacklist, the 101 resource lists,
// and a consistent funnel.
func TestDemo(t *testing.T) {
	ds := demoSmall()
	storetest.EachDatabase(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clock := storetest.NewClock(storetest.Start)
		var mods *platform.Modules
		s := storetest.Open(t, dsn, clock, store.Options{}, func(st *store.Store) { mods = platform.Build(st, platform.Options{}) })
		if err := s.LoadDemo(ctx, ds); err != nil {
			t.Fatalf("load demo: %v", err)
		}
		actor := func(ctx context.Context, username string) (access.Actor, error) {
			u, err := s.UserByUsername(ctx, username)
			if err != nil {
				return access.Actor{}, err
			}
			a, err := s.Actor(ctx, u.ID)
			a.Addr = "demo"
			return a, err
		}
		now := clock.Now()
		began := time.Now()
		rep, err := policydb.Demo(ctx, mods.Policy, ds, actor, now, clock.Set)
		took := time.Since(began)
		if err != nil {
			t.Fatalf("demo: %v", err)
		}
		t.Logf("%d enterprises, took %v: %v", len(ds.Enterprises), took.Round(time.Millisecond), rep)
		if full := len(ds.Enterprises) == len(storetest.Dataset().Enterprises); !full && !slices.Equal(rep.Reviewers, []string{"dept_sci2"}) || full && len(rep.Reviewers) > 0 {
			t.Errorf("reviewers made: %v", rep.Reviewers)
		}
		if !clock.Now().Equal(now) {
			t.Errorf("the clock stands at %v, want %v", clock.Now(), now)
		}
		p := mods.Policy
		admin := s.As(t, "admin")

		// each family's policies, published, with their benefits published
		families, err := p.Families(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"甬18条", "外贸12条", "服务业21条", "金融13条", "就业11条", "劳动13条", "科技创新"} {
			if !slices.Contains(families, f) {
				t.Errorf("no published policy of %s: %v", f, families)
			}
		}
		benefits, total, err := p.Benefits(ctx, admin, policydb.BenefitQuery{State: policy.Published, Page: store.Page{Size: 100}})
		if err != nil || total < 14 || total != rep.Benefits {
			t.Fatalf("published benefits: %d (report %d), %v", total, rep.Benefits, err)
		}
		var auto, platformed int
		for _, b := range benefits {
			if b.Mode == policy.Auto {
				auto++
			}
			if b.Platform != "" {
				platformed++
			}
		}
		if auto < 2 || auto*2 >= total || platformed != 1 {
			t.Errorf("%d benefits without application, %d on a platform, of %d", auto, platformed, total)
		}
		// each signed off by someone other than who ran it
		var signed int
		if err := store.Scan(s.Reader().Row(ctx, "SELECT COUNT(*) FROM policy_dryruns WHERE signed_by <> 0 AND signed_by <> run_by"), &signed); err != nil || signed != total {
			t.Errorf("%d dry runs signed off by another, want %d (%v)", signed, total, err)
		}
		// every enterprise has its date of registration
		var undated int
		if err := store.Scan(s.Reader().Row(ctx, "SELECT COUNT(*) FROM enterprises WHERE registered_on = ''"), &undated); err != nil || undated != 0 {
			t.Errorf("%d enterprises without a date of registration (%v)", undated, err)
		}

		// claims in every state
		for _, st := range []string{policy.Submitted, policy.More, policy.Handed, policy.Approved, policy.Refused, policy.Paid,
			policy.ClawedBack, policy.Withdrawn, policy.Matched, policy.Confirmed, policy.Declined, policy.Noticed, policy.Objected} {
			_, n, err := p.Claims(ctx, admin, policydb.ClaimQuery{State: st})
			if err != nil || n == 0 || n != rep.Claims[st] {
				t.Errorf("claims %s: %d (report %d), %v", st, n, rep.Claims[st], err)
			}
		}
		// a resubmitted application: asked for more, then paid
		var resubmitted int
		if err := store.Scan(s.Reader().Row(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'policy.claim.resubmit'`), &resubmitted); err != nil || resubmitted == 0 {
			t.Errorf("%d applications resubmitted (%v)", resubmitted, err)
		}
		// the showcase enterprise's own account applied and confirmed
		var own int
		if err := store.Scan(s.Reader().Row(ctx, `SELECT COUNT(DISTINCT action) FROM audit_log WHERE role = ?
			AND action IN ('policy.apply', 'policy.claim.confirm')`, string(access.RoleEnterprise)), &own); err != nil || own != 2 {
			t.Errorf("the enterprise's own account took %d of applying and confirming (%v)", own, err)
		}

		// notices: one approved and paid, one running
		var approved, running bool
		today := now.In(storetest.Start.Location()).Format(time.DateOnly)
		for _, b := range benefits {
			if b.Mode != policy.Auto {
				continue
			}
			list, err := p.Notices(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range list {
				approved = approved || !n.ApprovedAt.IsZero()
				running = running || (n.ApprovedAt.IsZero() && n.Closes >= today)
			}
		}
		if !approved || !running || rep.Notices < 2 {
			t.Errorf("notices: approved %v, running %v, %d in all", approved, running, rep.Notices)
		}

		// the blacklist
		var barred int
		if err := store.Scan(s.Reader().Row(ctx, "SELECT COUNT(*) FROM policy_blacklist"), &barred); err != nil || barred < 3 || barred > 5 {
			t.Errorf("%d enterprises blacklisted (%v)", barred, err)
		}

		// the 101 resource lists, some requested and answered
		if _, n, err := p.Resources(ctx, policydb.ResourceQuery{}); err != nil || n != 101 {
			t.Errorf("%d resources, want 101 (%v)", n, err)
		}
		sci := s.As(t, "dept_sci")
		_, asked, err := p.Requests(ctx, sci, "", store.Page{})
		_, answered, err2 := p.Requests(ctx, sci, "answered", store.Page{})
		if err != nil || err2 != nil || asked < 3 || answered == 0 || answered == asked {
			t.Errorf("resource requests: %d, %d answered (%v, %v)", asked, answered, err, err2)
		}

		// the funnel: told of each, and each stage no more than the one before
		f, err := p.Funnel(ctx, admin, policydb.FunnelQuery{})
		if err != nil {
			t.Fatal(err)
		}
		tot := f[len(f)-1]
		t.Logf("funnel: %+v", tot)
		if tot.Told == 0 || tot.Told != rep.Told || tot.Told < tot.Eligible+tot.Maybe || tot.Eligible == 0 || tot.Read == 0 ||
			tot.Applied < tot.Approved || tot.Approved < tot.Paid || tot.Paid == 0 || tot.PaidOut <= 0 || tot.PaidOut > tot.Granted {
			t.Errorf("funnel: %+v", tot)
		}

		// the to-dos are coloured: a department's reviews, a grid worker's chases
		items, n, err := p.Todo(ctx, s.As(t, "dept_commerce"), "policy.review", 50)
		if err != nil || n == 0 {
			t.Errorf("commerce's reviews: %d, %v", n, err)
		}
		colours := map[string]bool{}
		for _, it := range items {
			colours[it.Colour] = true
		}
		if !colours["red"] {
			t.Errorf("no overdue review among %+v", items)
		}
		if _, n, err := p.Todo(ctx, s.As(t, "grid"), "policy.chase", 50); err != nil || n == 0 {
			t.Errorf("the showcase grid worker's chases: %d, %v", n, err)
		}

		// the re-evaluation has nothing left to do
		if n, err := p.Reevaluate(ctx); err != nil || n != 0 {
			t.Errorf("reevaluate after the demo: %d, %v", n, err)
		}
	})
}
