package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"qifu/internal/enterprise"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// importRow makes an import row the way the workbook reader does: the
// enterprise normalized and validated for import, its problems attached.
func importRow(line int, e enterprise.Enterprise) store.ImportRow {
	e.Normalize()
	return store.ImportRow{Line: line, Enterprise: e, Problems: e.Validate(true)}
}

// rejectedLines returns the lines of the rejected rows, in order.
func rejectedLines(res store.ImportResult) []int {
	var lines []int
	for _, r := range res.Rejected {
		lines = append(lines, r.Line)
	}
	slices.Sort(lines)
	return lines
}

func TestImport(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		t.Run("enterprises", func(t *testing.T) { testImport(t, s) })
		t.Run("reports", func(t *testing.T) { testImportReports(t, s) })
	})
}

// testImport imports a list of rows, good and bad, as community staff.
func testImport(t *testing.T, s *testStore) {
	ctx := context.Background()
	community := s.As(t, "community")
	home := storetest.DemoUser(t, "community").RegionCode
	grid := storetest.DemoUser(t, "grid").RegionCode
	ours := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.CommunityCode == home && e.GridCode != grid })
	theirs := storetest.DemoEnterprise(t, func(e enterprise.Enterprise) bool { return e.CommunityCode != home })
	ids := s.IDs(t)

	renamed := ours
	renamed.Name = "宁波北仑导入更名有限公司"
	badPhone := storetest.NewEnterprise(t, 3, grid)
	badPhone.Phone = "12345"
	moveTheirs := theirs
	moveTheirs.GridCode = grid // an enterprise registered outside the community, claimed by a row inside it
	rows := []store.ImportRow{
		importRow(2, storetest.NewEnterprise(t, 1, grid)),
		importRow(3, badPhone),
		importRow(4, storetest.NewEnterprise(t, 4, theirs.GridCode)),
		importRow(5, storetest.NewEnterprise(t, 5, grid[:12]+"999")),
		importRow(6, renamed),
		importRow(7, moveTheirs),
		importRow(8, storetest.NewEnterprise(t, 8, ours.GridCode)),
	}
	wantRejected := map[int]string{3: "phone", 4: "grid_code", 5: "grid_code", 7: "credit_code"}
	checkRejected := func(t *testing.T, res store.ImportResult) {
		t.Helper()
		if got := rejectedLines(res); !slices.Equal(got, []int{3, 4, 5, 7}) {
			t.Fatalf("rejected lines %v; want [3 4 5 7]", got)
		}
		for _, r := range res.Rejected {
			if _, ok := r.Problems[wantRejected[r.Line]]; !ok {
				t.Errorf("line %d rejected for %v; want a problem with %s", r.Line, r.Problems, wantRejected[r.Line])
			}
		}
	}
	count := func() int {
		n, err := s.CountEnterprises(ctx, s.As(t, "admin"), store.EnterpriseQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	total := count()

	t.Run("enterprise user may not import", func(t *testing.T) {
		_, err := s.ImportEnterprises(ctx, s.As(t, "enterprise"), rows, false)
		storetest.WantForbidden(t, err)
	})

	t.Run("strict applies nothing", func(t *testing.T) {
		entries := s.AuditCount(t, store.AuditQuery{Action: "enterprise.import"})
		res, err := s.ImportEnterprises(ctx, community, rows, true)
		if err != nil {
			t.Fatalf("ImportEnterprises: %v", err)
		}
		if res.Applied || res.Created+res.Updated+res.Unchanged != 0 {
			t.Errorf("strict import with bad rows: %+v; want nothing applied", res)
		}
		checkRejected(t, res)
		if n := count(); n != total {
			t.Errorf("%d enterprises after a strict import that failed; want %d", n, total)
		}
		e, err := s.Enterprise(ctx, community, ids[ours.CreditCode])
		if err != nil || e.Name != ours.Name {
			t.Errorf("enterprise %s after a strict import that failed: %q, %v; want its name unchanged", ours.CreditCode, e.Name, err)
		}
		if n := s.AuditCount(t, store.AuditQuery{Action: "enterprise.import"}); n != entries {
			t.Errorf("a strict import that applied nothing was audited as done")
		}
	})

	var version int64
	t.Run("lenient applies the good rows", func(t *testing.T) {
		before, err := s.RevealEnterprise(ctx, community, ids[ours.CreditCode])
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.ImportEnterprises(ctx, community, rows, false)
		if err != nil {
			t.Fatalf("ImportEnterprises: %v", err)
		}
		if !res.Applied || res.Created != 2 || res.Updated != 1 || res.Unchanged != 0 {
			t.Errorf("result %+v; want applied, 2 created, 1 updated", res)
		}
		checkRejected(t, res)
		if n := count(); n != total+2 {
			t.Errorf("%d enterprises; want %d", n, total+2)
		}
		after, err := s.RevealEnterprise(ctx, community, ids[ours.CreditCode])
		if err != nil {
			t.Fatal(err)
		}
		// Only the name differed, so only the name changed.
		want := before
		want.Name, want.Version, want.UpdatedAt = renamed.Name, before.Version+1, after.UpdatedAt
		if !equalEnterprise(after, want) {
			t.Errorf("after the import\n got %+v\nwant %+v", after, want)
		}
		version = after.Version
		other, err := s.RevealEnterprise(ctx, s.As(t, "admin"), ids[theirs.CreditCode])
		if err != nil || other.GridCode != theirs.GridCode || other.Version != 1 {
			t.Errorf("enterprise outside the scope after the import: grid %s version %d, %v; want it untouched",
				other.GridCode, other.Version, err)
		}
		if n := s.AuditCount(t, store.AuditQuery{Action: "enterprise.import", ActorName: community.Name}); n != 1 {
			t.Errorf("%d enterprise.import audit entries; want 1", n)
		}
	})

	t.Run("the same rows again change nothing", func(t *testing.T) {
		res, err := s.ImportEnterprises(ctx, community, rows, false)
		if err != nil {
			t.Fatalf("ImportEnterprises: %v", err)
		}
		if !res.Applied || res.Created != 0 || res.Updated != 0 || res.Unchanged != 3 {
			t.Errorf("result %+v; want 3 unchanged", res)
		}
		checkRejected(t, res)
		if n := count(); n != total+2 {
			t.Errorf("%d enterprises; want %d", n, total+2)
		}
		e, err := s.Enterprise(ctx, community, ids[ours.CreditCode])
		if err != nil || e.Version != version {
			t.Errorf("version %d, %v after importing the same row; want %d", e.Version, err, version)
		}
	})

	t.Run("good rows only, strict", func(t *testing.T) {
		good := []store.ImportRow{importRow(2, storetest.NewEnterprise(t, 20, grid)), importRow(3, storetest.NewEnterprise(t, 21, ours.GridCode))}
		res, err := s.ImportEnterprises(ctx, community, good, true)
		if err != nil || !res.Applied || res.Created != 2 || len(res.Rejected) != 0 {
			t.Errorf("strict import of good rows: %+v, %v; want 2 created", res, err)
		}
	})

	t.Run("a long file, one code twice", func(t *testing.T) {
		// More rows than the store inserts together, tags on every tenth.
		const n = 1200
		var long []store.ImportRow
		for i := range n {
			e := storetest.NewEnterprise(t, 1000+i, grid)
			if i%10 == 0 {
				e.Tags = []string{"专精特新", "外贸"}
			}
			long = append(long, importRow(i+2, e))
		}
		// Two codes come back with another name: one in the same block of
		// rows inserted together, one in a later block.
		near, far := long[100].Enterprise, long[100].Enterprise
		near.Name = "宁波北仑再次出现有限公司"
		far.Name = "宁波北仑第三次出现有限公司"
		long = slices.Insert(long, 1100, importRow(1102, far))
		long = slices.Insert(long, 300, importRow(302, near))
		before := count()
		res, err := s.ImportEnterprises(ctx, community, long, true)
		if err != nil || !res.Applied || res.Created != n || res.Updated != 2 || len(res.Rejected) != 0 {
			t.Fatalf("import: %+v, %v; want %d created, 2 updated", res, err, n)
		}
		if got := count(); got != before+n {
			t.Errorf("%d enterprises, want %d", got, before+n)
		}
		if _, total, err := s.Enterprises(ctx, community, store.EnterpriseQuery{Tag: "外贸"}); err != nil || total < n/10 {
			t.Errorf("enterprises tagged 外贸: %d, %v; want at least %d", total, err, n/10)
		}
		e, err := s.Enterprise(ctx, community, s.IDs(t)[far.CreditCode])
		if err != nil || e.Name != far.Name || e.Version != 3 {
			t.Errorf("the code given three times: %q version %d, %v; want the last name, version 3", e.Name, e.Version, err)
		}
	})

	t.Run("unconfirmed credit code", func(t *testing.T) {
		e := storetest.NewEnterprise(t, 30, grid)
		e.CreditCode = e.CreditCode[:17] + string(wrongCheck(e.CreditCode[17]))
		row := importRow(2, e)
		if len(row.Problems) != 0 || !row.Enterprise.CodeUnconfirmed {
			t.Fatalf("a wrong check character is not imported as unconfirmed: %v", row.Problems)
		}
		res, err := s.ImportEnterprises(ctx, community, []store.ImportRow{row}, true)
		if err != nil || res.Created != 1 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		list, n, err := s.Enterprises(ctx, community, store.EnterpriseQuery{Unconfirmed: true})
		if err != nil || n != 1 || list[0].CreditCode != row.Enterprise.CreditCode {
			t.Errorf("unconfirmed enterprises: %d, %v; want the imported one", n, err)
		}
		res, err = s.ImportEnterprises(ctx, community, []store.ImportRow{row}, true)
		if err != nil || res.Unchanged != 1 {
			t.Errorf("second import of the unconfirmed row: %+v, %v; want unchanged", res, err)
		}
	})

	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit: %v", err)
	}
}

// wrongCheck returns a check character other than c.
func wrongCheck(c byte) byte {
	if c == '0' {
		return '1'
	}
	return '0'
}

// equalEnterprise compares two enterprises field by field, times to the millisecond.
func equalEnterprise(a, b enterprise.Enterprise) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) || !slices.Equal(a.Tags, b.Tags) {
		return false
	}
	a.CreatedAt, a.UpdatedAt, a.Tags = b.CreatedAt, b.UpdatedAt, b.Tags
	return reflect.DeepEqual(a, b)
}
