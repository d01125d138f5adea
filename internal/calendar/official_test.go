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
