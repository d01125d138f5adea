package fold

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"

	"qifu/internal/calendar"
)

// TestContributionEncoding checks that a contribution reads back as written,
// and that damaged bytes are refused rather than misread.
func TestContributionEncoding(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		k := contribution{grid: "330206001001001", community: "330206001001", street: "330206001", district: "330206"}
		if i%7 == 0 {
			k.grid = "" // an appeal outside any grid
		}
		for range rng.IntN(6) {
			p := part{partKey: partKey{Day: Day(20000 + rng.IntN(1500)), kind: "dhr"[rng.IntN(3)], key: strconv.FormatInt(rng.Int64N(1<<40), 10)}}
			v := [NCounts]int64{}
			for j := range v {
				if rng.IntN(3) == 0 {
					v[j] = rng.Int64N(1000)
				}
			}
			v[NCounts-1] = rng.Int64N(1 << 35) // handling, in ms
			p.c = countsOf(v)
			k.parts = append(k.parts, p)
		}
		b := k.encode()
		got, err := decodeContribution(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(k.parts) == 0 {
			k.parts = []part{}
		}
		if !reflect.DeepEqual(got, k) {
			t.Fatalf("read back\n%+v\nwrote\n%+v", got, k)
		}
		for _, bad := range [][]byte{nil, b[:len(b)-1], append(b[:len(b):len(b)], 0), append([]byte{9}, b[1:]...)} {
			if _, err := decodeContribution(bad); err == nil {
				t.Fatalf("damaged bytes %x read without an error", bad)
			}
		}
	}
}

func TestMonths(t *testing.T) {
	for _, tt := range []struct {
		at    time.Time
		start string
	}{
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)), "2026-01-01"},
		{time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), "2026-01-01"}, // Shanghai midnight
		{time.Date(2025, 12, 31, 15, 59, 59, 0, time.UTC), "2025-12-01"},
		{time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), "2026-11-01"},
	} {
		if d := DayOf(tt.at); !d.Start().Before(tt.at.Add(time.Nanosecond)) || !tt.at.Before((d + 1).Start()) ||
			d.Start().In(calendar.Shanghai).Format("15:04") != "00:00" {
			t.Errorf("%s is not in its day [%s, %s)", tt.at, d.Start(), (d + 1).Start())
		}
		m := MonthOf(tt.at)
		if got := m.Start().Format(time.DateOnly); got != tt.start {
			t.Errorf("MonthOf(%s) starts %s, want %s", tt.at, got, tt.start)
		}
		if !m.Start().Before(tt.at.Add(time.Nanosecond)) || !tt.at.Before((m + 1).Start()) {
			t.Errorf("%s is not in its month [%s, %s)", tt.at, m.Start(), (m + 1).Start())
		}
	}
}

// TestAppealDaysMove checks the days an appeal is listed under as its facts
// move: a day that keeps a fact stays, however many it had before.
func TestAppealDaysMove(t *testing.T) {
	old := contribution{district: "330206", parts: []part{
		{partKey: partKey{Day: 100, kind: partDepartment, key: "7"}}, {partKey: partKey{Day: 100, kind: partHandler, key: "9"}},
		{partKey: partKey{Day: 100, kind: partRegions}}, {partKey: partKey{Day: 101, kind: partRegions}},
	}}
	fresh := contribution{district: "330206", parts: []part{
		{partKey: partKey{Day: 100, kind: partRegions}}, {partKey: partKey{Day: 102, kind: partRegions}},
		{partKey: partKey{Day: 102, kind: partDepartment, key: "7"}},
	}}
	moves := map[appealDay]int{}
	fresh.addDays(moves, 5, 1)
	old.addDays(moves, 5, -1)
	want := map[appealDay]int{{"330206", 100, 5}: 0, {"330206", 101, 5}: -1, {"330206", 102, 5}: 1}
	if !reflect.DeepEqual(moves, want) {
		t.Errorf("moves %v, want %v", moves, want)
	}
}
