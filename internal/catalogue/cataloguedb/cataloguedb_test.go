package cataloguedb_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/catalogue"
	"qifu/internal/catalogue/cataloguedb"
	"qifu/internal/fault"
	"qifu/internal/pgtest"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testStore is the catalogue's store on its engine, with the appeal
// workflow beside it (the categories the standards name, the appeals raised
// under them).
type testStore struct {
	*storetest.Store
	cat     *cataloguedb.Store
	appeals *appealdb.Store
}

// open opens and migrates the database at dsn with clock c: the appeal
// workflow first (its seed writes the categories), then the catalogue.
func open(t *testing.T, dsn string, c *storetest.Clock) *testStore {
	t.Helper()
	var s testStore
	s.Store = storetest.Open(t, dsn, c, store.Options{}, func(st *store.Store) {
		s.appeals = appealdb.New(st, appealdb.Options{})
		s.cat = cataloguedb.New(st)
	})
	return &s
}

// eachDemo runs fn on both stores, loaded with the demo dataset.
func eachDemo(t *testing.T, fn func(t *testing.T, s *testStore)) {
	t.Helper()
	storetest.Each(t, true, open, fn)
}

// today is the fake clock's day in the district.
const today = "2026-03-02"

// fresh is a valid new standard under code.
func fresh(code string) catalogue.Standard {
	return catalogue.Standard{Code: code, Group: "support", Name: "专利质押融资对接", NameEn: "Patent-pledge financing",
		Gets: "帮助企业以专利质押向银行融资，协调评估与登记。", Materials: []string{"营业执照", "专利证书"},
		Department: "finoffice", Providers: []string{"bank-rural"}, Handle: appeal.Days(5), Category: "financing",
		Mode: catalogue.Assisted, From: today}
}

// standard reads a standard's current version, failing the test on error.
func (s *testStore) standard(t *testing.T, code string) catalogue.Standard {
	t.Helper()
	st, err := s.cat.Standard(context.Background(), code)
	if err != nil {
		t.Fatalf("standard %s: %v", code, err)
	}
	return st
}

// versions lists the versions of a standard saved, newest first.
func (s *testStore) versions(t *testing.T, code string) []int64 {
	t.Helper()
	list, err := s.cat.Versions(context.Background(), code)
	if err != nil {
		t.Fatalf("versions of %s: %v", code, err)
	}
	var out []int64
	for _, v := range list {
		out = append(out, v.Standard.Version)
	}
	return out
}

// TestSeed: every store starts with the demo catalogue — 85 standards and
// 14 providers, all marked demo, each standard at version 1 with its
// version kept — and migrating again writes nothing more.
func TestSeed(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		check := func(t *testing.T, s *testStore) {
			list, err := s.cat.Catalogue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := catalogue.DemoStandards()
			if len(list) != 85 || len(want) != 85 {
				t.Fatalf("%d standards in the store, %d in the demo; want 85", len(list), len(want))
			}
			for i, st := range list {
				if st.Code != want[i].Code {
					t.Fatalf("standard %d is %s, want %s (the catalogue's order)", i, st.Code, want[i].Code)
				}
				if !st.Demo || st.Version != 1 || !st.Same(want[i]) {
					t.Errorf("standard %s: %+v; want the demo's %+v", st.Code, st, want[i])
				}
				if !st.InForce(today) {
					t.Errorf("standard %s not in force on %s", st.Code, today)
				}
				if got := s.versions(t, st.Code); !slices.Equal(got, []int64{1}) {
					t.Errorf("standard %s: versions %v, want [1]", st.Code, got)
				}
			}
			providers, err := s.cat.Providers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			wantP := catalogue.DemoProviders()
			if len(providers) != 14 || len(wantP) != 14 {
				t.Fatalf("%d providers in the store, %d in the demo; want 14", len(providers), len(wantP))
			}
			for i, p := range providers {
				if p != wantP[i] {
					t.Errorf("provider %d: %+v; want %+v", i, p, wantP[i])
				}
			}
		}
		check(t, s)
		// A second instance migrates the same database: its seed leaves the catalogue alone.
		again := &testStore{}
		again.Store = storetest.Open(t, s.DSN, s.Clock, store.Options{}, func(st *store.Store) {
			again.appeals = appealdb.New(st, appealdb.Options{})
			again.cat = cataloguedb.New(st)
		})
		check(t, again)
		if _, err := s.cat.Standard(ctx, "Z99"); !fault.Is(err, fault.NotFound) {
			t.Errorf("an unknown standard: %v", err)
		}
		if _, err := s.cat.Versions(ctx, "Z99"); !fault.Is(err, fault.NotFound) {
			t.Errorf("the versions of an unknown standard: %v", err)
		}
	})
}

// TestSaveStandard adds a standard and changes it: each change a new
// version, a save that changes nothing none, a stale version refused, what
// it names checked, the keeping the administrator's.
func TestSaveStandard(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		admin := s.As(t, "admin")

		// New (version 0): version 1, at the end of the catalogue.
		st, err := s.cat.SaveStandard(ctx, admin, fresh(" s90 "), 0)
		if err != nil {
			t.Fatal(err)
		}
		if st.Code != "S90" || st.Version != 1 {
			t.Fatalf("new standard: code %q version %d; want S90 at 1", st.Code, st.Version)
		}
		if got := s.standard(t, "S90"); !got.Same(fresh("S90")) || got.Version != 1 {
			t.Errorf("stored %+v; want %+v", got, fresh("S90"))
		}
		list, err := s.cat.Catalogue(ctx)
		if err != nil || len(list) != 86 || list[85].Code != "S90" {
			t.Fatalf("catalogue after adding: %d standards, %v", len(list), err)
		}
		if got := s.versions(t, "S90"); !slices.Equal(got, []int64{1}) {
			t.Errorf("versions %v, want [1]", got)
		}

		// A change: version 2, both kept, newest first, each as it was.
		change := s.standard(t, "S90")
		change.Handle, change.Name = appeal.Days(7), "专利质押融资"
		st, err = s.cat.SaveStandard(ctx, admin, change, 1)
		if err != nil {
			t.Fatal(err)
		}
		if st.Version != 2 {
			t.Fatalf("changed: version %d, want 2", st.Version)
		}
		vs, err := s.cat.Versions(ctx, "S90")
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 2 || vs[0].Standard.Version != 2 || vs[1].Standard.Version != 1 {
			t.Fatalf("versions after a change: %+v", vs)
		}
		if vs[0].Standard.Handle != appeal.Days(7) || vs[1].Standard.Handle != appeal.Days(5) {
			t.Errorf("versions' promises %v and %v, want 7 and 5 days", vs[0].Standard.Handle, vs[1].Standard.Handle)
		}
		if vs[0].Standard.Name != "专利质押融资" || vs[1].Standard.Name != "专利质押融资对接" {
			t.Errorf("versions' names %q and %q", vs[0].Standard.Name, vs[1].Standard.Name)
		}
		if name := storetest.DemoUser(t, "admin").Name; vs[0].SavedBy != name || !vs[0].SavedAt.Equal(storetest.Start) {
			t.Errorf("version 2 saved by %q at %s, want %q at %s", vs[0].SavedBy, vs[0].SavedAt, name, storetest.Start)
		}

		// The same again: the version stays.
		if st, err = s.cat.SaveStandard(ctx, admin, change, 2); err != nil || st.Version != 2 {
			t.Errorf("an unchanged save: version %d, %v; want 2", st.Version, err)
		}
		if got := s.versions(t, "S90"); !slices.Equal(got, []int64{2, 1}) {
			t.Errorf("versions after an unchanged save %v, want [2 1]", got)
		}
		audited := s.AuditCount(t, store.AuditQuery{Action: "standard.save", Target: "standard/S90"})
		if audited != 2 {
			t.Errorf("%d saves audited, want 2", audited)
		}

		// The refusals: nothing is saved.
		office := ""
		for _, o := range storetest.Dataset().Offices {
			if o.DepartmentCode == "tax" {
				office = o.Code
				break
			}
		}
		if office == "" {
			t.Fatal("the demo has no tax office")
		}
		community := s.As(t, "community")
		for _, c := range []struct {
			name    string
			actor   access.Actor
			code    string
			version int64
			change  func(*catalogue.Standard)
			want    func(t *testing.T, err error)
		}{
			{"stale version", admin, "S90", 1, func(st *catalogue.Standard) { st.Handle = appeal.Days(9) },
				func(t *testing.T, err error) { storetest.WantKind(t, err, fault.Conflict) }},
			{"unknown department", admin, "S90", 2, func(st *catalogue.Standard) { st.Department = "nosuch" },
				func(t *testing.T, err error) { storetest.WantField(t, err, "department") }},
			{"unknown category", admin, "S90", 2, func(st *catalogue.Standard) { st.Category = "nosuch" },
				func(t *testing.T, err error) { storetest.WantField(t, err, "category") }},
			{"unknown provider", admin, "S90", 2, func(st *catalogue.Standard) { st.Providers = []string{"bank-rural", "nobody"} },
				func(t *testing.T, err error) { storetest.WantField(t, err, "providers") }},
			{"another department's office", admin, "S90", 2, func(st *catalogue.Standard) { st.Office = office },
				func(t *testing.T, err error) { storetest.WantField(t, err, "office") }},
			{"bad mode", admin, "S90", 2, func(st *catalogue.Standard) { st.Mode = "fax" },
				func(t *testing.T, err error) { storetest.WantField(t, err, "mode") }},
			{"online without a link", admin, "S90", 2, func(st *catalogue.Standard) { st.Mode = catalogue.Online },
				func(t *testing.T, err error) { storetest.WantField(t, err, "link") }},
			{"withdrawn before in force", admin, "S90", 2, func(st *catalogue.Standard) { st.Until = "2026-01-01" },
				func(t *testing.T, err error) { storetest.WantField(t, err, "until") }},
			{"not the administrator", community, "S90", 2, func(st *catalogue.Standard) { st.Handle = appeal.Days(9) },
				func(t *testing.T, err error) { storetest.WantForbidden(t, err) }},
			{"an existing code as new", admin, "S03", 0, func(*catalogue.Standard) {},
				func(t *testing.T, err error) { storetest.WantField(t, err, "code") }},
			{"an unknown code at a version", admin, "S91", 1, func(*catalogue.Standard) {},
				func(t *testing.T, err error) { storetest.WantKind(t, err, fault.NotFound) }},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := change
				in.Code = c.code
				in.Materials, in.Providers = slices.Clone(change.Materials), slices.Clone(change.Providers)
				c.change(&in)
				_, err := s.cat.SaveStandard(ctx, c.actor, in, c.version)
				c.want(t, err)
			})
		}
		if got := s.standard(t, "S90"); got.Version != 2 || !got.Same(change) {
			t.Errorf("after the refusals: %+v; want version 2 unchanged", got)
		}
		if got := s.standard(t, "S03"); got.Version != 1 || got.Name != "研发费用加计扣除辅导" {
			t.Errorf("S03 after a refused new one: %+v", got)
		}
		if _, err := s.cat.Standard(ctx, "S91"); !fault.Is(err, fault.NotFound) {
			t.Errorf("S91 after the refusals: %v", err)
		}

		// The tax bureau's own office is accepted.
		tax := s.standard(t, "S03")
		tax.Office = office
		if st, err := s.cat.SaveStandard(ctx, admin, tax, 1); err != nil || st.Version != 2 || s.standard(t, "S03").Office != office {
			t.Errorf("S03 with the office %s: %+v, %v", office, st, err)
		}
	})
}

// TestWithdraw withdraws standards: from today (not in force from that
// day), from a later day (in force until then); the catalogue lists both.
func TestWithdraw(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		admin := s.As(t, "admin")
		if _, err := s.cat.Withdraw(ctx, s.As(t, "community"), "G02", "", 1); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("community withdraws: %v", err)
		}
		if _, err := s.cat.Withdraw(ctx, admin, "G02", "", 7); !fault.Is(err, fault.Conflict) {
			t.Errorf("withdraw at a stale version: %v", err)
		}
		if _, err := s.cat.Withdraw(ctx, admin, "Z99", "", 1); !fault.Is(err, fault.NotFound) {
			t.Errorf("withdraw an unknown standard: %v", err)
		}
		st, err := s.cat.Withdraw(ctx, admin, "G02", "", 1)
		if err != nil {
			t.Fatal(err)
		}
		if st.Until != today || st.Version != 2 {
			t.Errorf("withdrawn today: until %q version %d; want %s and 2", st.Until, st.Version, today)
		}
		later, err := s.cat.Withdraw(ctx, admin, "G03", "2026-04-01", 1)
		if err != nil {
			t.Fatal(err)
		}
		list, err := s.cat.Catalogue(ctx)
		if err != nil || len(list) != 85 {
			t.Fatalf("catalogue after withdrawing: %d, %v", len(list), err)
		}
		for _, st := range list {
			switch st.Code {
			case "G02":
				if st.InForce(today) || !st.InForce("2026-03-01") {
					t.Errorf("G02 withdrawn today: in force today %v, yesterday %v", st.InForce(today), st.InForce("2026-03-01"))
				}
			case "G03":
				if !st.InForce(today) || !st.InForce("2026-03-31") || st.InForce("2026-04-01") || !st.Same(later) || st.Version != 2 {
					t.Errorf("G03 withdrawn from 2026-04-01: %+v", st)
				}
			default:
				if !st.InForce(today) {
					t.Errorf("%s is not in force", st.Code)
				}
			}
		}
		if got := s.versions(t, "G02"); !slices.Equal(got, []int64{2, 1}) {
			t.Errorf("G02's versions %v, want [2 1]", got)
		}
		if vs, err := s.cat.Versions(ctx, "G02"); err != nil || vs[0].Standard.Until != today || vs[1].Standard.Until != "" {
			t.Errorf("G02's versions keep their withdrawal: %+v, %v", vs, err)
		}
		// Withdrawing again on the same day changes nothing.
		if st, err := s.cat.Withdraw(ctx, admin, "G02", today, 2); err != nil || st.Version != 2 {
			t.Errorf("withdrawn again: version %d, %v", st.Version, err)
		}
	})
}

// TestImport imports catalogues: a batch with a bad row saves nothing and
// names every bad row; a good one adds and changes, and gives a new version
// only to the rows that changed.
func TestImport(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		admin := s.As(t, "admin")

		s03 := s.standard(t, "S03")
		s03.Handle = appeal.Days(4)
		badMode := fresh("S92")
		badMode.Mode = "fax"
		badDept := fresh("S93")
		badDept.Department = "nosuch"
		good := fresh("S94")
		dup := fresh("s94")
		rows := []catalogue.Standard{s03, badMode, good, badDept, dup}
		added, changed, problems, err := s.cat.Import(ctx, admin, rows, nil)
		if !errors.Is(err, cataloguedb.ErrImport) || added != 0 || changed != 0 {
			t.Fatalf("a batch with bad rows: %d added, %d changed, %v; want ErrImport", added, changed, err)
		}
		want := []struct {
			row         int
			code, field string
		}{{3, "S92", "mode"}, {5, "S93", "department"}, {6, "S94", "code"}}
		if len(problems) != len(want) {
			t.Fatalf("problems %+v; want rows 3, 5 and 6", problems)
		}
		for i, w := range want {
			p := problems[i]
			if _, ok := p.Fields[w.field]; p.Row != w.row || !strings.EqualFold(p.Code, w.code) || !ok {
				t.Errorf("problem %d: %+v; want row %d (%s) on %s", i, p, w.row, w.code, w.field)
			}
		}
		if got := s.standard(t, "S03"); got.Version != 1 || got.Handle != appeal.Days(3) {
			t.Errorf("S03 after a rejected import: version %d promise %v; want 1 and 3 days", got.Version, got.Handle)
		}
		if _, err := s.cat.Standard(ctx, "S94"); !fault.Is(err, fault.NotFound) {
			t.Errorf("the good new row of a rejected import is there: %v", err)
		}
		if n := s.AuditCount(t, store.AuditQuery{Action: "standard."}); n != 0 {
			t.Errorf("%d audit entries after a rejected import", n)
		}

		// Not the administrator's, or nothing in it: refused as a whole.
		if _, _, _, err := s.cat.Import(ctx, s.As(t, "district_leader"), []catalogue.Standard{good}, nil); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a leader imports: %v", err)
		}
		if _, _, _, err := s.cat.Import(ctx, admin, nil, nil); fault.As(err) == nil || fault.As(err).Fields["file"].Zh == "" {
			t.Errorf("an empty import: %v", err)
		}

		// A good batch: S03 changed, S94 new, both the district's own now.
		added, changed, problems, err = s.cat.Import(ctx, admin, []catalogue.Standard{s03, good}, nil)
		if err != nil || added != 1 || changed != 1 || problems != nil {
			t.Fatalf("a good import: %d added, %d changed, %+v, %v; want 1 and 1", added, changed, problems, err)
		}
		got := s.standard(t, "S03")
		if got.Version != 2 || got.Handle != appeal.Days(4) || got.Demo {
			t.Errorf("S03 imported: version %d promise %v demo %v; want 2, 4 days, not demo", got.Version, got.Handle, got.Demo)
		}
		if got := s.standard(t, "S94"); got.Version != 1 || !got.Same(fresh("S94")) {
			t.Errorf("S94 imported: %+v", got)
		}
		if got := s.standard(t, "G01"); got.Version != 1 || !got.Demo {
			t.Errorf("G01, not in the import: version %d demo %v", got.Version, got.Demo)
		}
		if n := s.AuditCount(t, store.AuditQuery{Action: "standard.import"}); n != 1 {
			t.Errorf("%d imports audited, want 1", n)
		}

		// Again with S03 as it is and S94 changed: only S94 gets a version.
		s94 := fresh("S94")
		s94.Handle = appeal.Hours(16)
		added, changed, _, err = s.cat.Import(ctx, admin, []catalogue.Standard{s03, s94}, nil)
		if err != nil || added != 0 || changed != 1 {
			t.Fatalf("a second import: %d added, %d changed, %v; want 0 and 1", added, changed, err)
		}
		if got := s.versions(t, "S03"); !slices.Equal(got, []int64{2, 1}) {
			t.Errorf("S03 unchanged by the second import: versions %v", got)
		}
		if got := s.versions(t, "S94"); !slices.Equal(got, []int64{2, 1}) {
			t.Errorf("S94 changed by the second import: versions %v", got)
		}
	})
}

// TestAppealKeepsVersion raises appeals under S03 (3 working days), then
// changes its promise to 10: the appeal raised before keeps 3 days, the
// one raised after gets 10; once S03 is withdrawn it is refused, and the
// appeals raised earlier keep their promises.
func TestAppealKeepsVersion(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		admin, ent := s.As(t, "admin"), s.As(t, "enterprise")
		in := appeal.Input{Type: appeal.TypeHelp, StandardCode: "S03", Title: "研发费用加计扣除", Content: "想了解今年研发费用加计扣除的口径和申报材料。",
			CreditCode: storetest.DemoUser(t, "enterprise").EnterpriseCode, Contact: "王经理", Phone: "13805741234"}
		first, _, err := s.appeals.CreateAppeal(ctx, ent, in, "")
		if err != nil {
			t.Fatal(err)
		}
		if first.StandardVersion != 1 || first.Category != "tax" {
			t.Errorf("first appeal: standard version %d, category %q; want 1 and tax", first.StandardVersion, first.Category)
		}

		s03 := s.standard(t, "S03")
		s03.Handle = appeal.Days(10)
		if st, err := s.cat.SaveStandard(ctx, admin, s03, 1); err != nil || st.Version != 2 {
			t.Fatalf("S03 at 10 days: %+v, %v", st, err)
		}
		second, _, err := s.appeals.CreateAppeal(ctx, admin, in, "")
		if err != nil {
			t.Fatal(err)
		}
		if second.StandardVersion != 2 {
			t.Errorf("second appeal: standard version %d, want 2", second.StandardVersion)
		}

		// Withdrawn today: no appeal is raised under it any more.
		if _, err := s.cat.Withdraw(ctx, admin, "S03", "", 2); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.appeals.CreateAppeal(ctx, ent, in, "")
		storetest.WantField(t, err, "standard_code")

		// Dispatched now, each is held to the promise of its version.
		depts, err := s.Departments(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		var tax int64
		for _, d := range depts {
			if d.Code == "tax" {
				tax = d.ID
			}
		}
		cal, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		act := func(t *testing.T, username string, id int64, c appeal.Command) {
			t.Helper()
			v, err := s.appeals.Appeal(ctx, admin, id)
			if err != nil {
				t.Fatal(err)
			}
			c.Version = v.Version
			if _, err := s.appeals.Act(ctx, s.As(t, username), id, c); err != nil {
				t.Fatalf("%s as %s: %v", c.Action, username, err)
			}
		}
		for _, c := range []struct {
			a       appeal.Appeal
			version int64
			days    int
		}{{first, 1, 3}, {second, 2, 10}} {
			act(t, "community", c.a.ID, appeal.Command{Action: appeal.Accept})
			act(t, "community", c.a.ID, appeal.Command{Action: appeal.Dispatch, Lead: tax})
			act(t, "dept_tax", c.a.ID, appeal.Command{Action: appeal.Sign})
			v, err := s.appeals.Appeal(ctx, admin, c.a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if v.StandardCode != "S03" || v.StandardVersion != c.version {
				t.Errorf("appeal %d: standard %s version %d; want S03 at %d", c.a.ID, v.StandardCode, v.StandardVersion, c.version)
			}
			if len(v.Dispatches) != 1 {
				t.Fatalf("appeal %d: %d dispatches", c.a.ID, len(v.Dispatches))
			}
			if got := cal.Between(s.Clock.Now(), v.Dispatches[0].Due); got != time.Duration(c.days)*cal.WorkdayLength() {
				t.Errorf("appeal %d (version %d): handling limit %s of working time, want %d working days", c.a.ID, c.version, got, c.days)
			}
			handled := false
			for _, step := range v.Steps {
				if step.Step == appeal.StepHandle {
					handled = true
					if !step.Due.Equal(v.Dispatches[0].Due) {
						t.Errorf("appeal %d: the handling step is due %s, the dispatch %s", c.a.ID, step.Due, v.Dispatches[0].Due)
					}
				}
			}
			if !handled {
				t.Errorf("appeal %d: no handling step after signing", c.a.ID)
			}
		}
	})
}

// TestStandardUse counts the appeals raised under each standard in a
// period, in the actor's reach: requests, closed, closed in time.
func TestStandardUse(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		admin, ent := s.As(t, "admin"), s.As(t, "enterprise")
		in := appeal.Input{Type: appeal.TypeHelp, Title: "按服务标准", Content: "想按服务标准清单申请这项服务，请安排。",
			CreditCode: storetest.DemoUser(t, "enterprise").EnterpriseCode, Contact: "王经理", Phone: "13805741234"}
		raise := func(code string) appeal.Appeal {
			in := in
			in.StandardCode = code
			if code == "" {
				in.Category = "tax"
			}
			a, _, err := s.appeals.CreateAppeal(ctx, ent, in, "")
			if err != nil {
				t.Fatalf("raise under %q: %v", code, err)
			}
			return a
		}
		closed := raise("S03")
		raise("S03")
		raise("S01")
		raise("") // under no standard: not counted

		// The first S03 request is answered by the community and rated: closed, in time.
		act := func(username string, c appeal.Command) {
			t.Helper()
			v, err := s.appeals.Appeal(ctx, admin, closed.ID)
			if err != nil {
				t.Fatal(err)
			}
			c.Version = v.Version
			if _, err := s.appeals.Act(ctx, s.As(t, username), closed.ID, c); err != nil {
				t.Fatalf("%s as %s: %v", c.Action, username, err)
			}
		}
		act("community", appeal.Command{Action: appeal.Accept})
		act("community", appeal.Command{Action: appeal.Resolve, Result: appeal.Explained, Note: "已上门讲解加计扣除口径。"})
		act("enterprise", appeal.Command{Action: appeal.Rate, Rating: appeal.Satisfied})
		if v, err := s.appeals.Appeal(ctx, admin, closed.ID); err != nil || v.State != appeal.Closed {
			t.Fatalf("the answered appeal: %s, %v; want closed", v.State, err)
		}

		from, to := storetest.Start.Add(-time.Hour), storetest.Start.Add(24*time.Hour)
		showStreet := storetest.DemoUser(t, "street_leader").RegionCode
		var otherStreet string
		for _, u := range storetest.Dataset().Users {
			if u.Role == access.RoleStreetLeader && u.RegionCode != showStreet {
				otherStreet = u.RegionCode
				break
			}
		}
		want := []catalogue.Use{{Code: "S01", Requests: 1}, {Code: "S03", Requests: 2, Closed: 1, OnTime: 1}}
		for _, c := range []struct {
			name     string
			actor    access.Actor
			region   string
			from, to time.Time
			want     []catalogue.Use
		}{
			{"admin", admin, "", from, to, want},
			{"district leader", s.As(t, "district_leader"), "", from, to, want},
			{"admin, the showcase street", admin, showStreet, from, to, want},
			{"admin, another street", admin, otherStreet, from, to, nil},
			{"the showcase street's leader", s.As(t, "street_leader"), "", from, to, want},
			{"the day before", admin, "", from.Add(-24 * time.Hour), from, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := s.appeals.StandardUse(ctx, c.actor, c.region, c.from, c.to)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(c.want) || len(got) > 0 && !slices.Equal(got, c.want) {
					t.Errorf("use %+v; want %+v", got, c.want)
				}
			})
		}
		if _, err := s.appeals.StandardUse(ctx, ent, "", from, to); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("the enterprise asks for the use: %v", err)
		}
		if u := want[1]; u.OnTimeRate() != 100 || want[0].OnTimeRate() != -1 {
			t.Errorf("on-time rates %v and %v", u.OnTimeRate(), want[0].OnTimeRate())
		}
	})
}
