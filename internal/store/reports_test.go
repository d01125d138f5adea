package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"qifu/internal/account"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store/storetest"
)

// testGauges checks the counts /metrics shows, on a store holding the demo only.
func testGauges(t *testing.T, s *testStore) {
	ctx := context.Background()
	grids := 0
	for _, r := range dataset.Regions {
		if r.Level == place.Grid {
			grids++
		}
	}
	s.login(t, "grid", 0)
	entries, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{
		"enterprises": int64(len(dataset.Enterprises)), "enterprises_unconfirmed_code": 0,
		"users": int64(len(dataset.Users)), "sessions": 1, "grids": int64(grids), "grids_without_worker": 0,
		"audit_entries": entries,
	}
	check := func(t *testing.T) {
		t.Helper()
		g, err := s.Gauges(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range g.Kinds() {
			if g[k] != want[k] {
				t.Errorf("gauge %s = %d; want %d", k, g[k], want[k])
			}
		}
		if len(g) != len(want) {
			t.Errorf("gauges %v; want %v", g.Kinds(), want)
		}
	}
	check(t)
	s.Clock.Advance(account.StaffIdle + time.Second)
	want["sessions"] = 0
	check(t)
}

// testImportReports keeps an import's error report for its author, for a week.
func testImportReports(t *testing.T, s *testStore) {
	ctx := context.Background()
	grid, community := s.As(t, "grid"), s.As(t, "community")
	content := []byte("PK\x03\x04 第3行：手机号码错误")
	id, err := s.SaveImportReport(ctx, grid, content)
	if err != nil {
		t.Fatalf("SaveImportReport: %v", err)
	}
	got, err := s.ImportReport(ctx, grid, id)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("ImportReport = %q, %v; want %q", got, err, content)
	}
	_, err = s.ImportReport(ctx, community, id)
	storetest.WantKind(t, err, fault.NotFound)
	_, err = s.ImportReport(ctx, grid, id+1)
	storetest.WantKind(t, err, fault.NotFound)

	s.Clock.Advance(7*24*time.Hour - time.Minute)
	if _, err := s.ImportReport(ctx, grid, id); err != nil {
		t.Fatalf("ImportReport within its week: %v", err)
	}
	s.Clock.Advance(2 * time.Minute)
	_, err = s.ImportReport(ctx, grid, id)
	storetest.WantKind(t, err, fault.NotFound)

	// Saving another report removes the expired one for good.
	if _, err := s.SaveImportReport(ctx, community, []byte("x")); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.Raw(t).QueryRowContext(ctx, "SELECT COUNT(*) FROM import_reports").Scan(&n); err != nil || n != 1 {
		t.Errorf("%d import reports kept, %v; want 1", n, err)
	}
}
