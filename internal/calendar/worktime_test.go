package calendar

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

func TestAdd(t *testing.T) {
	c := official(t)
	tests := []struct {
		name, start string
		d           time.Duration
		want        string
	}{
		{"across the lunch break", "2026-03-02 11:00", 2 * time.Hour, "2026-03-02 14:30"},
		{"ends at noon, not 13:30", "2026-03-02 11:00", time.Hour, "2026-03-02 12:00"},
		{"starts in the lunch break", "2026-03-02 12:30", 30 * time.Minute, "2026-03-02 14:00"},
		{"ends exactly at 17:30", "2026-03-02 15:30", 2 * time.Hour, "2026-03-02 17:30"},
		{"last minute", "2026-03-02 17:29", time.Minute, "2026-03-02 17:30"},
		{"starts at closing", "2026-03-02 17:30", time.Minute, "2026-03-03 09:01"},
		{"starts at night", "2026-03-02 20:00", time.Hour, "2026-03-03 10:00"},
		{"starts before opening", "2026-03-03 06:00", time.Hour, "2026-03-03 10:00"},
		{"starts on a weekend", "2026-03-07 10:00", time.Hour, "2026-03-09 10:00"},
		{"zero at night", "2026-03-02 20:00", 0, "2026-03-02 20:00"},
		{"zero on a weekend", "2026-03-07 10:00", 0, "2026-03-07 10:00"},
		{"negative", "2026-03-02 10:00", -time.Hour, "2026-03-02 10:00"},
		{"into a make-up Saturday", "2026-02-13 16:30", 2 * time.Hour, "2026-02-14 10:00"},
		{"over the Spring Festival", "2026-02-14 17:00", time.Hour, "2026-02-24 09:30"},
		{"over National Day", "2026-09-30 17:00", time.Hour, "2026-10-08 09:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := at(t, tt.start)
			if got, want := c.Add(start, tt.d), at(t, tt.want); !got.Equal(want) {
				t.Errorf("Add(%s, %v) = %v, want %v", tt.start, tt.d, got, want)
			}
		})
	}
}

func TestAddDays(t *testing.T) {
	c := official(t)
	tests := []struct {
		name, start string
		n           int
		want        string
	}{
		{"Friday afternoon", "2026-03-06 15:00", 1, "2026-03-09 15:00"},
		{"Saturday", "2026-03-07 10:00", 1, "2026-03-09 17:30"},
		{"zero", "2026-03-07 10:00", 0, "2026-03-07 10:00"},
		{"negative", "2026-03-06 10:00", -2, "2026-03-06 10:00"},

		// 2026 Spring Festival: 2/14 (Sat) works, 2/15–2/23 off, 2/28 (Sat) works.
		{"Spring Festival: into the make-up day", "2026-02-13 10:00", 1, "2026-02-14 10:00"},
		{"Spring Festival: over the holiday", "2026-02-13 10:00", 2, "2026-02-24 10:00"},
		{"Spring Festival: from the make-up day's close", "2026-02-14 17:30", 1, "2026-02-24 17:30"},
		{"Spring Festival: from inside the holiday", "2026-02-15 10:00", 1, "2026-02-24 17:30"},
		{"Spring Festival: second make-up day", "2026-02-27 10:00", 1, "2026-02-28 10:00"},

		// 2026 Mid-Autumn and National Day: 9/20 (Sun) works, 9/25–27 and
		// 10/1–10/7 off, 10/10 (Sat) works.
		{"National Day: make-up Sunday", "2026-09-19 10:00", 1, "2026-09-20 17:30"},
		{"National Day: over Mid-Autumn", "2026-09-24 09:00", 2, "2026-09-28 17:30"},
		{"National Day: over the holiday", "2026-09-30 15:00", 1, "2026-10-08 15:00"},
		{"National Day: into the make-up Saturday", "2026-09-30 15:00", 3, "2026-10-10 15:00"},
		{"National Day: past it", "2026-09-30 15:00", 4, "2026-10-12 15:00"},

		// 2025 Spring Festival: 1/26 (Sun) works, 1/28–2/4 off.
		{"2025: make-up Sunday", "2025-01-24 09:00", 2, "2025-01-26 17:30"},
		{"2025: over the holiday", "2025-01-24 09:00", 4, "2025-02-05 17:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := at(t, tt.start)
			if got, want := c.AddDays(start, tt.n), at(t, tt.want); !got.Equal(want) {
				t.Errorf("AddDays(%s, %d) = %v, want %v", tt.start, tt.n, got, want)
			}
		})
	}
}

func TestBetween(t *testing.T) {
	c := official(t)
	tests := []struct {
		name, a, b string
		want       time.Duration
	}{
		{"across the lunch break", "2026-03-02 11:00", "2026-03-02 14:30", 2 * time.Hour},
		{"inside the lunch break", "2026-03-02 12:10", "2026-03-02 13:00", 0},
		{"night to night", "2026-03-02 20:00", "2026-03-03 20:00", 7 * time.Hour},
		{"ends exactly at 17:30", "2026-03-02 15:30", "2026-03-02 17:30", 2 * time.Hour},
		{"Friday afternoon to Monday", "2026-03-06 15:00", "2026-03-09 15:00", 7 * time.Hour},
		{"weekend only", "2026-03-07 08:00", "2026-03-08 20:00", 0},
		{"reversed", "2026-03-03 10:00", "2026-03-02 10:00", 0},
		{"equal", "2026-03-02 10:00", "2026-03-02 10:00", 0},
		{"Spring Festival: into the holiday", "2026-02-13 10:00", "2026-02-23 12:00", 13 * time.Hour},
		{"Spring Festival: over it", "2026-02-13 10:00", "2026-02-24 10:00", 14 * time.Hour},
		{"National Day: over it", "2026-09-30 15:00", "2026-10-12 15:00", 28 * time.Hour},
		{"National Day: make-up Sunday only", "2026-09-19 00:00", "2026-09-21 00:00", 7 * time.Hour},
		{"all of 2026: 248 working days", "2026-01-01 00:00", "2027-01-01 00:00", 248 * 7 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := at(t, tt.a), at(t, tt.b)
			if got := c.Between(a, b); got != tt.want {
				t.Errorf("Between(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := slowBetween(c, a, b); got != tt.want {
				t.Errorf("slowBetween(%s, %s) = %v, want %v (the test's reference is wrong)", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestUsed(t *testing.T) {
	c := official(t)
	tests := []struct {
		name, start, due, now string
		want                  float64
	}{
		{"at the start", "2026-03-02 09:00", "2026-03-02 17:30", "2026-03-02 09:00", 0},
		{"before the start", "2026-03-02 09:00", "2026-03-02 17:30", "2026-03-01 09:00", 0},
		{"80%", "2026-03-02 09:00", "2026-03-02 17:30", "2026-03-02 16:06", 0.8},
		{"at the deadline", "2026-03-02 09:00", "2026-03-02 17:30", "2026-03-02 17:30", 1},
		{"the evening after", "2026-03-02 09:00", "2026-03-02 17:30", "2026-03-02 20:00", 1},
		{"overdue", "2026-03-02 09:00", "2026-03-02 17:30", "2026-03-03 10:00", 8.0 / 7},
		{"National Day in the middle", "2026-09-30 09:00", "2026-10-12 17:30", "2026-10-07 12:00", 0.2},
		{"due at start, now there", "2026-03-02 09:00", "2026-03-02 09:00", "2026-03-02 09:00", 1},
		{"due before start, now before due", "2026-03-02 09:00", "2026-03-01 09:00", "2026-02-28 09:00", 0},
		{"no working time, before due", "2026-03-07 10:00", "2026-03-08 10:00", "2026-03-07 12:00", 0},
		{"no working time, after due", "2026-03-07 10:00", "2026-03-08 10:00", "2026-03-08 10:00", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Used(at(t, tt.start), at(t, tt.due), at(t, tt.now)); got != tt.want {
				t.Errorf("Used = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAddBetweenInverse checks, on random instants across 2025–2027, that
// Between undoes Add, that Add lands in office hours, and that both agree
// with a day-by-day reference.
func TestAddBetweenInverse(t *testing.T) {
	custom, err := New(
		append(Official(), Day{Date: "2026-03-04", Kind: Holiday}, Day{Date: "2027-01-02", Kind: Workday}),
		WithHours(Span{0, 30}, Span{8 * 60, 12 * 60}, Span{12 * 60, 12*60 + 1}, Span{23 * 60, 24 * 60}),
		WithLocation(time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Calendar{official(t), custom} {
		rng := rand.New(rand.NewPCG(2026, 10))
		from := time.Date(2025, 1, 1, 0, 0, 0, 0, c.loc)
		to := time.Date(2028, 1, 1, 0, 0, 0, 0, c.loc)
		for i := range 20000 {
			start := from.Add(time.Duration(rng.Int64N(int64(to.Sub(from)))))
			d := time.Duration(rng.Int64N(int64(60 * c.day)))
			if i%3 == 0 { // on the boundaries: office hours open or close, whole minutes
				n, _ := c.locate(start)
				s := c.spans[rng.IntN(len(c.spans))]
				start = c.instant(n, []time.Duration{s.start, s.end}[rng.IntN(2)])
				d = d.Truncate(30 * time.Minute)
			}

			end := c.Add(start, d)
			if got := c.Between(start, end); got != d {
				t.Fatalf("start %v, d %v: Add = %v, Between = %v", start, d, end, got)
			}
			if d > 0 && !c.inOfficeHours(end) {
				t.Fatalf("start %v, d %v: Add = %v, outside office hours", start, d, end)
			}
			if end.Before(start) {
				t.Fatalf("start %v, d %v: Add = %v, before the start", start, d, end)
			}

			b := start.Add(time.Duration(rng.Int64N(int64(120 * 24 * time.Hour))))
			w := c.Between(start, b)
			if back := c.Add(start, w); back.After(b) || c.Between(start, back) != w {
				t.Fatalf("start %v, b %v: Between = %v, Add back = %v", start, b, w, back)
			}
			if i%50 == 0 {
				if slow := slowBetween(c, start, b); slow != w {
					t.Fatalf("start %v, b %v: Between = %v, reference %v", start, b, w, slow)
				}
			}
		}
	}
}

// inOfficeHours reports whether t lies in (start, end] of a span on a working
// day; midnight may end a span that closes at 24:00 the day before.
func (c *Calendar) inOfficeHours(t time.Time) bool {
	n, off := c.locate(t)
	if off == 0 {
		n, off = n-1, 24*time.Hour
	}
	if !c.isWorkday(n) {
		return false
	}
	for _, s := range c.spans {
		if s.start < off && off <= s.end {
			return true
		}
	}
	return false
}

// slowBetween is Between walked day by day, for reference.
func slowBetween(c *Calendar, a, b time.Time) time.Duration {
	var w time.Duration
	a, b = a.In(c.loc), b.In(c.loc)
	for day := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, c.loc); day.Before(b); day = day.AddDate(0, 0, 1) {
		if !c.IsWorkday(day) {
			continue
		}
		for _, h := range c.hours {
			from := day.Add(time.Duration(h.Start) * time.Minute)
			to := day.Add(time.Duration(h.End) * time.Minute)
			if from.Before(a) {
				from = a
			}
			if to.After(b) {
				to = b
			}
			if to.After(from) {
				w += to.Sub(from)
			}
		}
	}
	return w
}

func BenchmarkAdd(b *testing.B) {
	c := official(b)
	start := at(b, "2026-09-10 10:00") // over Mid-Autumn and National Day
	for _, n := range []int{30, 250} {
		d := time.Duration(n) * c.WorkdayLength()
		b.Run(strconv.Itoa(n)+"days", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Add(start, d)
			}
		})
	}
}

func BenchmarkBetween(b *testing.B) {
	c := official(b)
	start := at(b, "2026-09-10 10:00")
	for _, n := range []int{30, 250} {
		end := c.AddDays(start, n)
		b.Run(strconv.Itoa(n)+"days", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Between(start, end)
			}
		})
	}
}

func TestAddOverALongClosure(t *testing.T) {
	var days []Day
	for d := at(t, "2026-03-01 00:00"); d.Month() < 7; d = d.AddDate(0, 0, 1) {
		days = append(days, Day{Date: d.Format(time.DateOnly), Kind: Holiday, Name: "停业"})
	}
	c, err := New(days)
	if err != nil {
		t.Fatal(err)
	}
	start := at(t, "2026-02-27 15:00") // a Friday; March to June closed
	if got, want := c.AddDays(start, 2), at(t, "2026-07-02 15:00"); !got.Equal(want) {
		t.Errorf("AddDays = %v, want %v", got, want)
	}
	if got := c.Between(start, at(t, "2026-07-02 15:00")); got != 14*time.Hour {
		t.Errorf("Between = %v, want 14h", got)
	}
}
