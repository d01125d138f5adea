package calendar

import (
	"testing"
	"time"
)

// FuzzCalendar builds calendars from arbitrary day data (as an administrator
// might enter it) and checks that bad data is refused with an error, never a
// panic, and that a calendar that builds keeps Add and Between inverse.
func FuzzCalendar(f *testing.F) {
	f.Add("2026-10-01", "holiday", int64(1790000000000), int64(3*3600))
	f.Add("2026-02-30", "holiday", int64(0), int64(0))
	f.Add("2026-09-20", "workday", int64(1789900000000), int64(40*3600))
	f.Add("x", "party", int64(-1), int64(-5))
	f.Fuzz(func(t *testing.T, date, kind string, startMs, seconds int64) {
		c, err := New(append(Official(), Day{Date: date, Kind: Kind(kind)}))
		if err != nil {
			return
		}
		if startMs < 0 || startMs > 4102444800000 || seconds < 0 || seconds > 400*24*3600 {
			return
		}
		start := time.UnixMilli(startMs)
		d := time.Duration(seconds) * time.Second
		end := c.Add(start, d)
		if end.Before(start) {
			t.Fatalf("Add went backwards: %s + %s = %s", start, d, end)
		}
		// From a working instant (one nanosecond of working time after any
		// start is one), Between undoes Add.
		w := c.Add(start, time.Nanosecond)
		if got := c.Between(w, c.Add(w, d)); got != d {
			t.Fatalf("Between(w, Add(w, %s)) = %s from %s", d, got, w)
		}
	})
}
