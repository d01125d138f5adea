package calendar

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestOfficial(t *testing.T) {
	days := Official()
	if _, err := New(days); err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(days, func(a, b Day) int { return strings.Compare(a.Date, b.Date) }) {
		t.Error("Official() is not sorted by date")
	}

	holidays := map[string]int{} // days off per year and festival, as the notices count them
	seen := map[string]bool{}
	for _, d := range days {
		if seen[d.Date] {
			t.Errorf("%s listed twice", d.Date)
		}
		seen[d.Date] = true
		tm, _ := time.Parse(time.DateOnly, d.Date)
		weekend := tm.Weekday() == time.Saturday || tm.Weekday() == time.Sunday
		switch d.Kind {
		case Workday:
			if !weekend {
				t.Errorf("make-up working day %s (%s) is a %s", d.Date, d.Name, tm.Weekday())
			}
		case Holiday:
			holidays[d.Date[:4]+" "+d.Name]++
		}
	}

	// "共N天" in each notice.
	want := map[string]int{
		"2025 元旦": 1, "2025 春节": 8, "2025 清明节": 3, "2025 劳动节": 5, "2025 端午节": 3, "2025 国庆节、中秋节": 8,
		"2026 元旦": 3, "2026 春节": 9, "2026 清明节": 3, "2026 劳动节": 5, "2026 端午节": 3, "2026 中秋节": 3, "2026 国庆节": 7,
	}
	for k, n := range want {
		if holidays[k] != n {
			t.Errorf("%s: %d days off, want %d", k, holidays[k], n)
		}
	}
	if len(holidays) != len(want) {
		t.Errorf("holidays = %v, want only %v", holidays, want)
	}

	var workdays []string
	for _, d := range days {
		if d.Kind == Workday {
			workdays = append(workdays, d.Date)
		}
	}
	wantWorkdays := []string{
		"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
		"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
	}
	if !slices.Equal(workdays, wantWorkdays) {
		t.Errorf("make-up working days = %v, want %v", workdays, wantWorkdays)
	}
}

func TestNextYearMissing(t *testing.T) {
	official := Official()
	entered := append(Official(), Day{Date: "2027-01-01", Kind: Holiday, Name: "元旦"})
	tests := []struct {
		name string
		now  time.Time
		days []Day
		want int
	}{
		{"October: too early to ask", time.Date(2026, 10, 31, 23, 0, 0, 0, Shanghai), official, 0},
		{"November without the next year", time.Date(2026, 11, 1, 0, 0, 0, 0, Shanghai), official, 2027},
		{"December without the next year", time.Date(2026, 12, 6, 12, 0, 0, 0, Shanghai), official, 2027},
		{"December with the next year entered", time.Date(2026, 12, 6, 12, 0, 0, 0, Shanghai), entered, 0},
		{"a make-up workday alone is not the arrangement", time.Date(2026, 12, 6, 12, 0, 0, 0, Shanghai),
			append(Official(), Day{Date: "2027-02-07", Kind: Workday, Name: "春节"}), 2027},
		{"in Shanghai's November already", time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC), official, 2027},
		{"January of a year shipped", time.Date(2026, 1, 5, 9, 0, 0, 0, Shanghai), official, 0},
	}
	for _, tt := range tests {
		if got := NextYearMissing(tt.now, tt.days); got != tt.want {
			t.Errorf("%s: NextYearMissing = %d; want %d", tt.name, got, tt.want)
		}
	}
}
