package catalogue

import (
	"testing"

	"qifu/internal/appeal"
)

// FuzzStandard feeds Check arbitrary standards: it never panics, and a
// standard it accepts is accepted again unchanged (its normalisation is
// settled in one pass).
func FuzzStandard(f *testing.F) {
	for _, st := range DemoStandards()[:5] {
		f.Add(st.Code, st.Group, st.Name, st.Gets, string(st.Mode), st.Link, st.Schedule, st.From, st.Until, st.Handle.N, st.Handle.Days, st.Department)
	}
	f.Add(" g01 ", "party", "  名称 ", "得到", "activity", "", "", "2026-02-30", "2026-01-01", 0, false, "")
	f.Fuzz(func(t *testing.T, code, group, name, gets, mode, link, schedule, from, until string, n int, days bool, dept string) {
		st := Standard{Code: code, Group: group, Name: name, Gets: gets, Mode: Mode(mode), Link: link, Schedule: schedule,
			From: from, Until: until, Handle: appeal.Span{N: n, Days: days}, Department: dept, Category: "other",
			Materials: []string{" ", name}, Providers: []string{dept}}
		if err := st.Check(); err != nil {
			return
		}
		again := st
		if err := again.Check(); err != nil || !again.Same(st) {
			t.Fatalf("accepted %+v, then %v / %+v", st, err, again)
		}
		if st.InForce(st.From) == (st.Until != "" && st.Until <= st.From) {
			t.Fatalf("in force on its first day: %+v", st)
		}
	})
}
