package pool

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

const today = "2025-03-01"

// idNumber completes the first 17 digits of an ID number with its check.
func idNumber(first17 string) string { return first17 + string(IDCheck(first17)) }

// wrongCheck replaces an ID number's check character with another.
func wrongCheck(id string) string {
	const checks = "0123456789X"
	return id[:17] + string(checks[(strings.IndexByte(checks, id[17])+1)%len(checks)])
}

// idEndingX is a valid ID number whose check character is X.
func idEndingX(t testing.TB) string {
	for seq := range 1000 {
		s := "33020619900101" + string(rune('0'+seq/100)) + string(rune('0'+seq/10%10)) + string(rune('0'+seq%10))
		if IDCheck(s) == 'X' {
			return s + "X"
		}
	}
	t.Fatal("no ID number ending in X")
	return ""
}

// fieldsOf returns the sorted field names of a validation error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	e := fault.As(err)
	if e == nil || e.Kind != fault.Invalid || e.Code != "invalid_input" {
		t.Fatalf("err = %v; want an invalid_input error", err)
	}
	for f, m := range e.Fields {
		if m.Zh == "" || m.En == "" {
			t.Errorf("field %s: message %+v lacks a language", f, m)
		}
	}
	return slices.Sorted(maps.Keys(e.Fields))
}

func validWorker() Worker {
	return Worker{
		EnterpriseID: 1, Name: " 张三 ", Phone: "+86 138-0574-1234", IDNumber: " " + idNumber("33020619900101123") + " ",
		WorkTypes: []WorkType{"general", "forklift"}, Certs: []Cert{{Kind: "forklift", Expires: "2026-01-01"}, {Kind: "health"}},
		ContractEnd: "2025-12-31", From: "2025-03-01", To: "2025-06-30", Status: WorkerAvailable,
	}
}

func TestWorkerNormalize(t *testing.T) {
	w := validWorker()
	w.IDNumber = strings.ToLower(idEndingX(t))
	w.Normalize()
	if w.Name != "张三" || w.Phone != "13805741234" || w.Shift != "both" || !strings.HasSuffix(w.IDNumber, "X") {
		t.Errorf("Normalize = %+v", w)
	}
	if err := w.Check(today); err != nil {
		t.Errorf("a lower-case x, normalized: %v", err)
	}
	w.Shift = "night"
	w.Normalize()
	if w.Shift != "night" {
		t.Errorf("Normalize changed the shift to %q", w.Shift)
	}
}

func TestWorkerCheck(t *testing.T) {
	tests := []struct {
		name   string
		change func(w *Worker)
		fields []string
	}{
		{"valid", func(w *Worker) {}, nil},
		{"valid, two-character name", func(w *Worker) { w.Name = "王五" }, nil},
		{"valid, 30-character name", func(w *Worker) { w.Name = strings.Repeat("李", 30) }, nil},
		{"valid, contract ends today", func(w *Worker) { w.ContractEnd, w.From, w.To = today, today, today }, nil},
		{"valid, available to the contract's end", func(w *Worker) { w.To = w.ContractEnd }, nil},
		{"valid, period of 366 days", func(w *Worker) { w.To = "2026-03-02"; w.ContractEnd = "2027-01-01" }, nil},
		{"valid, no certificates", func(w *Worker) { w.Certs = nil }, nil},
		{"no name", func(w *Worker) { w.Name = "  " }, []string{"name"}},
		{"one-character name", func(w *Worker) { w.Name = "张" }, []string{"name"}},
		{"name too long", func(w *Worker) { w.Name = strings.Repeat("李", 31) }, []string{"name"}},
		{"no phone", func(w *Worker) { w.Phone = "" }, []string{"phone"}},
		{"landline", func(w *Worker) { w.Phone = "0574-86881234" }, []string{"phone"}},
		{"no ID number", func(w *Worker) { w.IDNumber = "" }, []string{"id_number"}},
		{"wrong check character", func(w *Worker) { w.IDNumber = wrongCheck(idNumber("33020619900101123")) }, []string{"id_number"}},
		{"no work types", func(w *Worker) { w.WorkTypes = nil }, []string{"work_types"}},
		{"unknown work type", func(w *Worker) { w.WorkTypes = []WorkType{"general", "pilot"} }, []string{"work_types"}},
		{"unknown certificate", func(w *Worker) { w.Certs = []Cert{{Kind: "pilot"}} }, []string{"certs"}},
		{"certificate expiry not a day", func(w *Worker) { w.Certs = []Cert{{Kind: "health", Expires: "2026-02-30"}} }, []string{"certs"}},
		{"no contract", func(w *Worker) { w.ContractEnd = "" }, []string{"contract_end"}},
		{"contract end not a day", func(w *Worker) { w.ContractEnd = "2025-13-01" }, []string{"contract_end"}},
		{"contract ended", func(w *Worker) { w.ContractEnd, w.From, w.To = "2025-02-28", "2025-02-01", "2025-02-28" }, []string{"contract_end"}},
		{"available past the contract", func(w *Worker) { w.To = "2026-01-01" }, []string{"to"}},
		{"no first day", func(w *Worker) { w.From = "" }, []string{"from"}},
		{"no last day", func(w *Worker) { w.To = "" }, []string{"to"}},
		{"last day before the first", func(w *Worker) { w.From, w.To = "2025-04-01", "2025-03-31" }, []string{"to"}},
		{"period past a year", func(w *Worker) { w.ContractEnd, w.To = "2027-01-01", "2026-03-03" }, []string{"to"}},
		{"unknown shift", func(w *Worker) { w.Shift = "evening" }, []string{"shift"}},
		{"everything wrong", func(w *Worker) { *w = Worker{Shift: "x", Certs: []Cert{{}}} }, []string{
			"certs", "contract_end", "from", "id_number", "name", "phone", "shift", "to", "work_types"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := validWorker()
			tt.change(&w)
			w.Normalize()
			if got := fieldsOf(t, w.Check(today)); !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v; want %v", got, tt.fields)
			}
		})
	}
}

func validNeed() Need {
	return Need{
		EnterpriseID: 2, WorkType: "forklift", Heads: 5, From: "2025-03-05", To: "2025-04-05",
		Site: " 宁波市北仑区新碶街道明州路1号 ", DailyCost: 300, Certs: []string{"forklift"},
		Training: " 岗前安全教育4学时 ", Contact: "李四", Phone: "139 0574 1234",
	}
}

func TestNeedNormalize(t *testing.T) {
	n := validNeed()
	n.Normalize()
	if n.Site != "宁波市北仑区新碶街道明州路1号" || n.Training != "岗前安全教育4学时" || n.Phone != "13905741234" ||
		n.Shift != "day" || n.NeededBy != n.From {
		t.Errorf("Normalize = %+v", n)
	}
	n.NeededBy, n.Shift = "2025-03-04", "night"
	n.Normalize()
	if n.NeededBy != "2025-03-04" || n.Shift != "night" {
		t.Errorf("Normalize overwrote NeededBy or Shift: %+v", n)
	}
}

func TestNeedCheck(t *testing.T) {
	tests := []struct {
		name   string
		change func(n *Need)
		fields []string
	}{
		{"valid", func(n *Need) {}, nil},
		{"valid, starts today", func(n *Need) { n.From, n.NeededBy = today, today }, nil},
		{"valid, bounds", func(n *Need) { n.Heads, n.DailyCost = 1, 50 }, nil},
		{"valid, upper bounds", func(n *Need) { n.Heads, n.DailyCost = MaxHeads, 2000 }, nil},
		{"no work type", func(n *Need) { n.WorkType = "" }, []string{"work_type"}},
		{"unknown work type", func(n *Need) { n.WorkType = "pilot" }, []string{"work_type"}},
		{"no heads", func(n *Need) { n.Heads = 0 }, []string{"heads"}},
		{"too many heads", func(n *Need) { n.Heads = MaxHeads + 1 }, []string{"heads"}},
		{"starts in the past", func(n *Need) { n.From, n.NeededBy = "2025-02-28", today }, []string{"from"}},
		{"no first day", func(n *Need) { n.From, n.NeededBy = "", today }, []string{"from"}},
		{"no first day nor date needed", func(n *Need) { n.From = "" }, []string{"from", "needed_by"}},
		{"last day before the first", func(n *Need) { n.To = "2025-03-04" }, []string{"to"}},
		{"valid, period of 366 days", func(n *Need) { n.To = "2026-03-06" }, nil},
		{"period past a year", func(n *Need) { n.To = "2026-03-07" }, []string{"to"}},
		{"needed by a past day", func(n *Need) { n.NeededBy = "2025-02-28" }, []string{"needed_by"}},
		{"needed by not a day", func(n *Need) { n.NeededBy = "2025-02-30" }, []string{"needed_by"}},
		{"site too short", func(n *Need) { n.Site = "明州路" }, []string{"site"}},
		{"site too long", func(n *Need) { n.Site = strings.Repeat("路", 201) }, []string{"site"}},
		{"unknown shift", func(n *Need) { n.Shift = "evening" }, []string{"shift"}},
		{"cost too low", func(n *Need) { n.DailyCost = 49 }, []string{"daily_cost"}},
		{"cost too high", func(n *Need) { n.DailyCost = 2001 }, []string{"daily_cost"}},
		{"unknown certificate", func(n *Need) { n.Certs = []string{"forklift", "pilot"} }, []string{"certs"}},
		{"no training", func(n *Need) { n.Training = "" }, []string{"training"}},
		{"no contact", func(n *Need) { n.Contact = "李" }, []string{"contact"}},
		{"bad phone", func(n *Need) { n.Phone = "1390574123" }, []string{"phone"}},
		{"nothing", func(n *Need) { *n = Need{} }, []string{
			"contact", "daily_cost", "from", "heads", "needed_by", "phone", "site", "to", "training", "work_type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := validNeed()
			tt.change(&n)
			n.Normalize()
			if got := fieldsOf(t, n.Check(today)); !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v; want %v", got, tt.fields)
			}
		})
	}
}

func TestNeedOpen(t *testing.T) {
	for _, tt := range []struct{ heads, taken, open int }{{5, 0, 5}, {5, 3, 2}, {5, 5, 0}, {5, 7, 0}, {0, 0, 0}} {
		if got := (Need{Heads: tt.heads, Taken: tt.taken}).Open(); got != tt.open {
			t.Errorf("Need{Heads: %d, Taken: %d}.Open() = %d; want %d", tt.heads, tt.taken, got, tt.open)
		}
	}
}

func TestSeekerCheck(t *testing.T) {
	valid := func() Seeker {
		return Seeker{Name: " 赵六 ", Phone: "137-0574-1234", WorkTypes: []WorkType{"packing"}, From: "2025-03-03", CommunityCode: "330206001001"}
	}
	s := valid()
	s.Normalize()
	if s.Name != "赵六" || s.Phone != "13705741234" || s.Wants != WantsEither {
		t.Errorf("Normalize = %+v", s)
	}
	tests := []struct {
		name   string
		change func(s *Seeker)
		fields []string
	}{
		{"valid", func(s *Seeker) {}, nil},
		{"valid, hire", func(s *Seeker) { s.Wants = WantsHire }, nil},
		{"valid, recruit", func(s *Seeker) { s.Wants = WantsRecruit }, nil},
		{"no name", func(s *Seeker) { s.Name = "" }, []string{"name"}},
		{"bad phone", func(s *Seeker) { s.Phone = "phone" }, []string{"phone"}},
		{"no work types", func(s *Seeker) { s.WorkTypes = []WorkType{} }, []string{"work_types"}},
		{"unknown work type", func(s *Seeker) { s.WorkTypes = []WorkType{"pilot"} }, []string{"work_types"}},
		{"no first day", func(s *Seeker) { s.From = "" }, []string{"from"}},
		{"first day not a day", func(s *Seeker) { s.From = "3/3/2025" }, []string{"from"}},
		{"unknown wish", func(s *Seeker) { s.Wants = "lend" }, []string{"wants"}},
		{"nothing", func(s *Seeker) { *s = Seeker{} }, []string{"from", "name", "phone", "work_types"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid()
			tt.change(&s)
			s.Normalize()
			if got := fieldsOf(t, s.Check()); !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v; want %v", got, tt.fields)
			}
		})
	}
}

func TestValidIDNumber(t *testing.T) {
	good := idNumber("33020619900101123")
	x := idEndingX(t)
	wrong := wrongCheck(good)
	tests := []struct {
		in   string
		want bool
	}{
		{good, true},
		{x, true},
		{"11010519491231002X", true}, // the standard's example
		{idNumber("33020620000229001"), true},
		{"11010519491231002x", false}, // not normalized
		{wrong, false},
		{idNumber("33020619900230123"), false}, // 30 February
		{idNumber("33020619901301123"), false}, // month 13
		{idNumber("33020619900100123"), false}, // day 0
		{idNumber("33020619010229001"), false}, // 1901 was not a leap year
		{good[:17], false},
		{good + "0", false},
		{"330206900101123", false}, // the old 15 digits
		{"", false},
		{"A30206199001011231", false},
		{"3302061990010112A" + "1", false},
		{"33020619900101123 ", false},
		{"３３０２０６１９９００１０１１２３", false},
	}
	for _, tt := range tests {
		if got := ValidIDNumber(tt.in); got != tt.want {
			t.Errorf("ValidIDNumber(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
	if c := IDCheck("11010519491231002"); c != 'X' {
		t.Errorf("IDCheck of the standard's example = %q; want X", c)
	}
}

func TestParseDayAndDays(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{{"2025-03-01", true}, {"2024-02-29", true}, {"2025-02-29", false}, {"2025-3-1", false}, {"", false}, {"2025-03-01T00:00:00Z", false}} {
		if _, ok := ParseDay(tt.in); ok != tt.ok {
			t.Errorf("ParseDay(%q) ok = %v; want %v", tt.in, ok, tt.ok)
		}
	}
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"2025-03-01", "2025-03-01", 0}, {"2025-03-01", "2025-03-08", 7}, {"2025-03-08", "2025-03-01", -7}, {"2024-02-28", "2024-03-01", 2}, {"2025-01-01", "2026-01-01", 365}} {
		if got := Days(tt.a, tt.b); got != tt.d {
			t.Errorf("Days(%s, %s) = %d; want %d", tt.a, tt.b, got, tt.d)
		}
	}
	for _, tt := range []struct {
		in string
		ok bool
	}{{"2025-03", true}, {"2025-13", false}, {"2025-3", false}, {"2025-03-01", false}, {"", false}} {
		if got := ValidMonth(tt.in); got != tt.ok {
			t.Errorf("ValidMonth(%q) = %v; want %v", tt.in, got, tt.ok)
		}
	}
}

func TestColour(t *testing.T) {
	start := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	const day = 24 * time.Hour
	tests := []struct {
		after  time.Duration
		within time.Duration
		want   string
	}{
		{-time.Hour, day, "green"},
		{0, day, "green"},
		{17 * time.Hour, day, "green"},
		{18*time.Hour - time.Second, day, "green"},
		{18 * time.Hour, day, "yellow"}, // the last quarter begins
		{day - time.Second, day, "yellow"},
		{day, day, "red"}, // due
		{3 * day, day, "red"},
		{35 * time.Hour, 2 * day, "green"},
		{36 * time.Hour, 2 * day, "yellow"},
		{48 * time.Hour, 2 * day, "red"},
	}
	for _, tt := range tests {
		if got := Colour(start, tt.within, start.Add(tt.after)); got != tt.want {
			t.Errorf("Colour(+%v of %v) = %s; want %s", tt.after, tt.within, got, tt.want)
		}
	}
}

func TestSteps(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Steps {
		if s.Within <= 0 || s.Who == "" || s.Zh == "" || s.En == "" || seen[s.Code] {
			t.Errorf("step %+v", s)
		}
		seen[s.Code] = true
		if StepOf(s.Code) != s {
			t.Errorf("StepOf(%q) = %+v", s.Code, StepOf(s.Code))
		}
	}
	if s := StepOf("none"); s.Code != "none" || s.Within != 0 {
		t.Errorf("StepOf of an unknown code = %+v", s)
	}
	for state, live := range map[string]bool{PlaceChosen: true, PlaceConsented: true, PlaceOnSite: true,
		PlaceDeclined: false, PlaceReturned: false, PlaceEarly: false, PlaceWithdrawn: false} {
		if Live(state) != live {
			t.Errorf("Live(%q) = %v; want %v", state, !live, live)
		}
	}
}

func TestBuildTotal(t *testing.T) {
	days := map[int64]int{1: 20, 2: 0, 3: 22}
	names := map[int64]string{1: "张三", 2: "李四", 3: "王五"}
	lines := Build(300, days, names, []int64{3, 1, 2, 4})
	want := []Line{
		{PlacementID: 3, Worker: "王五", Days: 22, Rate: 300, Amount: 6600},
		{PlacementID: 1, Worker: "张三", Days: 20, Rate: 300, Amount: 6000},
		{PlacementID: 2, Worker: "李四", Days: 0, Rate: 300, Amount: 0},
		{PlacementID: 4, Worker: "", Days: 0, Rate: 300, Amount: 0},
	}
	if !slices.Equal(lines, want) {
		t.Errorf("Build = %+v\nwant %+v", lines, want)
	}
	if got := Total(lines); got != 12600 {
		t.Errorf("Total = %d; want 12600", got)
	}
	if lines := Build(300, days, names, nil); len(lines) != 0 || Total(lines) != 0 {
		t.Errorf("Build of no placements = %+v", lines)
	}
	// Lines paid in full with no fee pass the rules.
	for i := range lines {
		lines[i].Paid = lines[i].Amount
	}
	if err := CheckPaid(lines); err != nil {
		t.Errorf("CheckPaid of a built sheet paid in full: %v", err)
	}
}

func TestFind(t *testing.T) {
	for _, list := range [][]Label{WorkTypes, CertKinds, Shifts} {
		seen := map[string]bool{}
		for _, l := range list {
			if l.Code == "" || l.Zh == "" || l.En == "" || seen[l.Code] {
				t.Errorf("label %+v", l)
			}
			seen[l.Code] = true
			if got, ok := Find(list, l.Code); !ok || got != l {
				t.Errorf("Find(%q) = %+v, %v", l.Code, got, ok)
			}
		}
		if _, ok := Find(list, "none"); ok {
			t.Error("Find of an unknown code succeeded")
		}
	}
}

// FuzzWorker normalizes and checks any worker: it never panics, a worker
// that passes has a valid ID number, mobile, contract and period, and an
// error is always a field error.
func FuzzWorker(f *testing.F) {
	f.Add("张三", "+86 138-0574-1234", idNumber("33020619900101123"), "2025-12-31", "2025-03-01", "2025-06-30")
	f.Add(" 李四 ", "13805741234", "11010519491231002x", "2026-01-01", "2025-03-02", "2025-12-31")
	f.Add("", "", "", "", "", "")
	f.Add("王", "1", "11010519491231002", "2025-02-30", "2025-13-01", "x")
	f.Add("\x00\xff", "１３８０５７４１２３４", "ＡＢＣ", "9999-12-31", "0000-01-01", "9999-12-31")
	f.Fuzz(func(t *testing.T, name, phone, id, contractEnd, from, to string) {
		w := Worker{Name: name, Phone: phone, IDNumber: id, WorkTypes: []WorkType{"general"},
			ContractEnd: contractEnd, From: from, To: to, Status: WorkerAvailable}
		w.Normalize()
		again := w
		again.Normalize()
		if again.Name != w.Name || again.Phone != w.Phone || again.IDNumber != w.IDNumber || again.Shift != w.Shift {
			t.Errorf("Normalize is not idempotent: %+v then %+v", w, again)
		}
		err := w.Check(today)
		if err != nil {
			if e := fault.As(err); e == nil || e.Kind != fault.Invalid || len(e.Fields) == 0 {
				t.Fatalf("Check = %v; want a field error", err)
			}
			return
		}
		if !ValidIDNumber(w.IDNumber) || IDCheck(w.IDNumber[:17]) != w.IDNumber[17] {
			t.Errorf("valid worker with ID number %q", w.IDNumber)
		}
		if !enterprise.ValidMobile(w.Phone) {
			t.Errorf("valid worker with phone %q", w.Phone)
		}
		if _, ok := ParseDay(w.ContractEnd); !ok || w.ContractEnd < today || w.To > w.ContractEnd || w.From > w.To {
			t.Errorf("valid worker with contract %q and period %q–%q", w.ContractEnd, w.From, w.To)
		}
	})
}
