package core

import (
	"testing"
	"time"
)

// TestDenialBudget walks the denial budget through two windows on a fake clock.
func TestDenialBudget(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	d := newDenials(3, func() time.Time { return now })
	var got []denialVerdict
	for range 6 {
		got = append(got, d.note(7))
		now = now.Add(time.Second)
	}
	for i, v := range got {
		switch {
		case i < 3 && (!v.record || v.limited || v.throttle):
			t.Errorf("refusal %d within the budget: %+v", i+1, v)
		case i == 3 && (v.record || !v.throttle || !v.limited || v.retryAfter != 57*time.Second):
			t.Errorf("first refusal over the budget: %+v; want throttled, 429 for 57 s", v)
		case i > 3 && (v.record || v.throttle || !v.limited):
			t.Errorf("refusal %d over the budget: %+v; want counted only", i+1, v)
		}
	}
	if v := d.note(8); !v.record || v.limited {
		t.Errorf("another user's first refusal: %+v", v)
	}
	// The next window records again, and first what the last one did not.
	now = now.Add(time.Minute)
	if v := d.note(7); !v.record || v.limited || v.unrecorded != 2 {
		t.Errorf("first refusal of the next window: %+v; want recorded with 2 unrecorded before it", v)
	}
	if v := d.note(7); v.unrecorded != 0 {
		t.Errorf("second refusal of the window reports %d unrecorded again", v.unrecorded)
	}
	// Ended windows with nothing left to record are forgotten.
	now = now.Add(2 * time.Minute)
	d.prune(now)
	if len(d.users) != 0 {
		t.Errorf("%d users kept after their windows ended", len(d.users))
	}
}
