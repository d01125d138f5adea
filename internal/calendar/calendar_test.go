package calendar

import (
	"strings"
	"testing"
	"time"

	"qifu/internal/fault"
)

// official builds the calendar of the shipped notices with the defaults.
func official(t testing.TB) *Calendar {
	t.Helper()
	c, err := New(Official())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// at parses "2006-01-02 15:04" in Shanghai.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, Shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestIsWorkday(t *testing.T) {
	c := official(t)
	tests := []struct {
		date string
		want bool
	}{
		{"2026-03-04", true},  // a normal Wednesday
		{"2026-03-07", false}, // a normal Saturday
		{"2026-03-08", false}, // a normal Sunday

		// Make-up working days (调休上班).
		{"2025-01-26", true}, {"2025-02-08", true}, {"2025-04-27", true},
		{"2025-09-28", true}, {"2025-10-11", true},
		{"2026-01-04", true}, {"2026-02-14", true}, {"2026-02-28", true},
		{"2026-05-09", true}, {"2026-09-20", true}, {"2026-10-10", true},

		// Holidays on weekdays, and around them.
		{"2025-01-01", false}, {"2025-02-04", false}, {"2025-02-05", true},
		{"2025-05-05", false}, {"2025-06-02", false}, {"2025-10-08", false},
		{"2025-10-09", true},
		{"2026-01-02", false}, {"2026-02-13", true}, {"2026-02-16", false},
		{"2026-02-23", false}, {"2026-02-24", true}, {"2026-04-06", false},
		{"2026-05-05", false}, {"2026-06-19", false}, {"2026-09-25", false},
		{"2026-10-07", false}, {"2026-10-08", true},
		{"2026-02-15", false}, // a holiday on a Sunday

		// No notice shipped for 2027: the weekly pattern.
		{"2027-01-01", true}, {"2027-01-02", false},
	}
	for _, tt := range tests {
		if got := c.IsWorkday(at(t, tt.date+" 12:00")); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestIsWorkdayReadsTheCalendarZone(t *testing.T) {
	c := official(t)
	// 2026-02-14 16:30 UTC is 2026-02-15 00:30 in Shanghai: a holiday.
	if c.IsWorkday(time.Date(2026, 2, 14, 16, 30, 0, 0, time.UTC)) {
		t.Error("00:30 on 2026-02-15 in Shanghai counted as a working day")
	}
	// 2026-02-13 17:00 UTC is 2026-02-14 01:00 in Shanghai: a make-up working day.
	if !c.IsWorkday(time.Date(2026, 2, 13, 17, 0, 0, 0, time.UTC)) {
		t.Error("01:00 on 2026-02-14 in Shanghai counted as a day off")
	}
}

func TestNewLaterEntriesWin(t *testing.T) {
	days := append(Official(),
		Day{Date: "2026-10-08", Kind: Holiday, Name: "本地调整"},
		Day{Date: "2026-10-10", Kind: Holiday, Name: "本地调整"},
		Day{Date: "2026-10-10", Kind: Workday, Name: "再次调整"},
	)
	c, err := New(days)
	if err != nil {
		t.Fatal(err)
	}
	if c.IsWorkday(at(t, "2026-10-08 10:00")) {
		t.Error("2026-10-08: the admin's holiday did not override the weekly pattern")
	}
	if !c.IsWorkday(at(t, "2026-10-10 10:00")) {
		t.Error("2026-10-10: the last entry did not win")
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		days []Day
		opts []Option
		code string
		in   string // part of the English message
	}{
		{"no such day", []Day{{Date: "2026-02-30", Kind: Holiday}}, nil, "calendar_date", `"2026-02-30"`},
		{"slashes", []Day{{Date: "2026/10/01", Kind: Holiday}}, nil, "calendar_date", `"2026/10/01"`},
		{"no zero padding", []Day{{Date: "2026-1-1", Kind: Holiday}}, nil, "calendar_date", `"2026-1-1"`},
		{"empty date", []Day{{Kind: Holiday}}, nil, "calendar_date", `""`},
		{"unknown kind", []Day{{Date: "2026-10-01", Kind: "vacation"}}, nil, "calendar_kind", `"vacation" for 2026-10-01`},
		{"empty kind", []Day{{Date: "2026-10-01"}}, nil, "calendar_kind", `"" for 2026-10-01`},
		{"no hours", nil, []Option{WithHours()}, "calendar_hours", "no office hours"},
		{"overlapping hours", nil, []Option{WithHours(Span{9 * 60, 13 * 60}, Span{12 * 60, 17 * 60})}, "calendar_hours", "09:00–13:00, 12:00–17:00"},
		{"empty span", nil, []Option{WithHours(Span{9 * 60, 9 * 60})}, "calendar_hours", "09:00–09:00"},
		{"past midnight", nil, []Option{WithHours(Span{22 * 60, 25 * 60})}, "calendar_hours", "22:00–25:00"},
		{"no zone", nil, []Option{WithLocation(nil)}, "calendar_location", "no time zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.days, tt.opts...)
			if err == nil {
				t.Fatalf("New accepted it: %v", c)
			}
			fe := fault.As(err)
			if fe == nil || fe.Kind != fault.Invalid || fe.Code != tt.code {
				t.Fatalf("err = %v, want an Invalid %s", err, tt.code)
			}
			if !strings.Contains(fe.Message.En, tt.in) || fe.Message.Zh == "" {
				t.Errorf("message %q does not name %s", fe.Message.En, tt.in)
			}
		})
	}
}

func TestWorkdayLength(t *testing.T) {
	if got := official(t).WorkdayLength(); got != 7*time.Hour {
		t.Errorf("default WorkdayLength = %v, want 7h", got)
	}
	c, err := New(nil, WithHours(Span{8 * 60, 12 * 60}, Span{14 * 60, 18 * 60}), WithLocation(time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.WorkdayLength(); got != 8*time.Hour {
		t.Errorf("WorkdayLength = %v, want 8h", got)
	}
	// Office hours are read in the calendar's zone: 17:00 UTC Friday, one hour before closing.
	start := time.Date(2026, 3, 6, 17, 0, 0, 0, time.UTC)
	if got, want := c.Add(start, 2*time.Hour), time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Add in UTC = %v, want %v", got, want)
	}
}
