package proftmp

import (
	"context"
	"os"
	"runtime/pprof"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/place"
	"qifu/internal/rates"
	"qifu/internal/store"
)

func TestProf(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DSN: os.Getenv("CITY")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var district string
	if err := store.RawRow(s, "SELECT region_code FROM users WHERE role = 'district_leader' LIMIT 1", &district); err != nil {
		t.Fatal(err)
	}
	a := access.Actor{UserID: 1, Name: "x", Role: access.RoleDistrictLeader, RegionCode: district, RegionLevel: place.LevelOf(district)}
	to := time.Now()
	from := to.AddDate(-1, 0, 0)
	f, _ := os.Create("/tmp/assess.prof")
	pprof.StartCPUProfile(f)
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		rows, err := s.Assessment(ctx, a, store.AssessmentQuery{Dimension: rates.Street, From: from, To: to})
		t.Logf("assessment: %d rows %v in %v", len(rows), err, time.Since(t0))
		t0 = time.Now()
		o, err := s.Overview(ctx, a, store.OverviewQuery{From: from, To: to})
		t.Logf("overview: %d %v in %v", o.Received, err, time.Since(t0))
	}
	pprof.StopCPUProfile()
}
