package pool

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/fault"
)

// addDays returns the day k days after day.
func addDays(day string, k int) string {
	t, ok := ParseDay(day)
	if !ok {
		panic("addDays: not a day: " + day)
	}
	return t.AddDate(0, 0, k).Format(dayLayout)
}

// matchCase is one input of the matcher.
type matchCase struct {
	today  string
	offers []Offer
	wants  []Want
}

func (c matchCase) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "today %s\n", c.today)
	for i, o := range c.offers {
		w := o.Worker
		fmt.Fprintf(&b, "  offer %d: worker %d lender %d %s types %v certs %v from %s to %s contract %s shift %s status %s excludes %v at %+v\n",
			i, w.ID, w.EnterpriseID, w.Enterprise, w.WorkTypes, w.Certs, w.From, w.To, w.ContractEnd, w.Shift, w.Status, o.Excludes, o.Where)
	}
	for j, w := range c.wants {
		n := w.Need
		fmt.Fprintf(&b, "  want %d: need %d borrower %d type %s heads %d taken %d from %s to %s shift %s certs %v needed by %s at %+v\n",
			j, n.ID, n.EnterpriseID, n.WorkType, n.Heads, n.Taken, n.From, n.To, n.Shift, n.Certs, n.NeededBy, w.Where)
	}
	return b.String()
}

// testPlaces are built so that any two of them are 0 to 4 tiers apart; the
// last has no grid, so two enterprises there are in the same community only.
var testPlaces = []Where{
	{Grid: "d1s1c1g1", Community: "d1s1c1", Street: "d1s1", District: "d1"},
	{Grid: "d1s1c1g2", Community: "d1s1c1", Street: "d1s1", District: "d1"},
	{Grid: "d1s1c2g1", Community: "d1s1c2", Street: "d1s1", District: "d1"},
	{Grid: "d1s2c1g1", Community: "d1s2c1", Street: "d1s2", District: "d1"},
	{Grid: "d2s1c1g1", Community: "d2s1c1", Street: "d2s1", District: "d2"},
	{Grid: "", Community: "d1s1c1", Street: "d1s1", District: "d1"},
}

// randomCase makes a small random case: 1–7 workers of 1–4 lenders, 1–3
// needs of 1–3 borrowers, lenders 3 and 4 borrowing too.
func randomCase(r *rand.Rand) matchCase {
	today := "2025-03-01"
	day := func(k int) string { return addDays(today, k) }
	types := []WorkType{"general", "sewing", "forklift"}[:2+r.IntN(2)]
	certKinds := []string{"forklift", "health"}
	shifts := []string{"day", "night", "both"}

	where := map[int64]Where{}
	for id := int64(1); id <= 6; id++ {
		where[id] = testPlaces[r.IntN(len(testPlaces))]
	}
	var lenders, borrowers []int64
	for _, x := range r.Perm(4)[:1+r.IntN(4)] {
		lenders = append(lenders, int64(1+x))
	}
	for _, x := range r.Perm(4)[:1+r.IntN(3)] {
		borrowers = append(borrowers, int64(3+x))
	}

	c := matchCase{today: today}
	for i := range 1 + r.IntN(7) {
		lender := lenders[r.IntN(len(lenders))]
		w := Worker{
			ID: int64(100 + i), EnterpriseID: lender, Enterprise: fmt.Sprintf("Lender %d", lender),
			Shift: shifts[r.IntN(len(shifts))], Status: WorkerAvailable,
		}
		if r.IntN(10) == 0 {
			w.Status = WorkerLent
		}
		for range 1 + r.IntN(2) {
			w.WorkTypes = append(w.WorkTypes, types[r.IntN(len(types))]) // a duplicate now and then
		}
		for _, k := range certKinds {
			if r.IntN(2) == 0 {
				cert := Cert{Kind: k}
				if r.IntN(3) > 0 {
					cert.Expires = day(r.IntN(40))
				}
				w.Certs = append(w.Certs, cert)
			}
		}
		from := r.IntN(16) - 5
		to := from + r.IntN(31)
		w.From, w.To, w.ContractEnd = day(from), day(to), day(to+r.IntN(26)-5)
		o := Offer{Worker: w, Where: where[lender]}
		if r.IntN(5) == 0 {
			o.Excludes = []int64{borrowers[r.IntN(len(borrowers))]}
		}
		o.Lodging, o.Shuttle = r.IntN(6) == 0, r.IntN(4) == 0
		c.offers = append(c.offers, o)
	}
	for j := range 1 + r.IntN(3) {
		borrower := borrowers[r.IntN(len(borrowers))]
		from := r.IntN(11)
		n := Need{
			ID: int64(10 + j), EnterpriseID: borrower, Enterprise: fmt.Sprintf("Borrower %d", borrower),
			WorkType: types[r.IntN(len(types))], Heads: 1 + r.IntN(3),
			From: day(from), To: day(from + r.IntN(21)), Shift: shifts[r.IntN(len(shifts))],
			NeededBy: day(r.IntN(45) - 3), Status: NeedOpen,
		}
		if r.IntN(3) == 0 {
			n.Taken = r.IntN(n.Heads + 1)
		}
		n.Lodging, n.Transport = r.IntN(2) == 0, r.IntN(2) == 0
		for _, k := range certKinds {
			if r.IntN(4) == 0 {
				n.Certs = append(n.Certs, k)
			}
		}
		c.wants = append(c.wants, Want{Need: n, Where: where[borrower]})
	}
	return c
}

// bruteForce tries every assignment of each worker to one need it may fill
// or to none: the most slots filled, then the least cost.
func bruteForce(c matchCase) (filled, cost int) {
	type option struct{ need, cost int }
	open := make([]int, len(c.wants))
	for j, w := range c.wants {
		open[j] = w.Need.Open()
	}
	options := make([][]option, len(c.offers))
	for i, o := range c.offers {
		for j, w := range c.wants {
			if k, _, ok := Check(o, w, c.today); ok && open[j] > 0 {
				options[i] = append(options[i], option{j, k})
			}
		}
	}
	var try func(i, f, k int)
	try = func(i, f, k int) {
		if i == len(c.offers) {
			if f > filled || f == filled && k < cost {
				filled, cost = f, k
			}
			return
		}
		try(i+1, f, k)
		for _, op := range options[i] {
			if open[op.need] > 0 {
				open[op.need]--
				try(i+1, f+1, k+op.cost)
				open[op.need]++
			}
		}
	}
	try(0, 0, 0)
	return filled, cost
}

// checkResult checks that a result is consistent with its case, returning
// what is wrong.
func checkResult(c matchCase, res Result) []string {
	var bad []string
	heads, cost := 0, 0
	perNeed := map[int64]int{}
	perLender := map[int64]int{}
	seen := map[[2]int64]bool{}
	wantOf := map[int64]Want{}
	for _, w := range c.wants {
		wantOf[w.Need.ID] = w
	}
	offerOf := map[int64]Offer{}
	for _, o := range c.offers {
		offerOf[o.Worker.ID] = o
	}
	for _, p := range res.Proposals {
		heads += p.Heads
		cost += p.Cost
		perNeed[p.NeedID] += p.Heads
		perLender[p.LenderID] += p.Heads
		k := [2]int64{p.NeedID, p.LenderID}
		if seen[k] {
			bad = append(bad, fmt.Sprintf("two proposals of lender %d for need %d", p.LenderID, p.NeedID))
		}
		seen[k] = true
		if p.Heads < 1 {
			bad = append(bad, fmt.Sprintf("proposal of lender %d for need %d has %d heads", p.LenderID, p.NeedID, p.Heads))
		}
		if p.Heads > len(p.Candidates) {
			bad = append(bad, fmt.Sprintf("proposal of lender %d for need %d: %d heads, %d candidates", p.LenderID, p.NeedID, p.Heads, len(p.Candidates)))
		}
		w, ok := wantOf[p.NeedID]
		if !ok {
			bad = append(bad, fmt.Sprintf("proposal for unknown need %d", p.NeedID))
			continue
		}
		// The candidates are exactly the lender's workers who fit, best first.
		var fit []int64
		for _, o := range c.offers {
			if _, _, ok := Check(o, w, c.today); ok && o.Worker.EnterpriseID == p.LenderID {
				fit = append(fit, o.Worker.ID)
			}
		}
		last := -1
		for _, id := range p.Candidates {
			o, ok := offerOf[id]
			if !ok {
				bad = append(bad, fmt.Sprintf("need %d: unknown candidate %d", p.NeedID, id))
				continue
			}
			k, _, ok := Check(o, w, c.today)
			if !ok {
				bad = append(bad, fmt.Sprintf("need %d: candidate %d does not fit", p.NeedID, id))
			}
			if o.Worker.EnterpriseID != p.LenderID {
				bad = append(bad, fmt.Sprintf("need %d: candidate %d is not lender %d's", p.NeedID, id, p.LenderID))
			}
			if k < last {
				bad = append(bad, fmt.Sprintf("need %d: candidates not best first", p.NeedID))
			}
			last = k
		}
		if !slices.Equal(slices.Sorted(slices.Values(fit)), slices.Sorted(slices.Values(p.Candidates))) {
			bad = append(bad, fmt.Sprintf("need %d lender %d: candidates %v, want the fitting workers %v", p.NeedID, p.LenderID, p.Candidates, fit))
		}
	}
	if heads != res.Filled {
		bad = append(bad, fmt.Sprintf("heads of the proposals %d, Filled %d", heads, res.Filled))
	}
	if cost != res.Cost {
		bad = append(bad, fmt.Sprintf("cost of the proposals %d, Cost %d", cost, res.Cost))
	}
	for id, h := range perNeed {
		if open := wantOf[id].Need.Open(); h > open {
			bad = append(bad, fmt.Sprintf("need %d: %d heads proposed, %d open", id, h, open))
		}
	}
	fitting := map[int64]int{}
	for _, o := range c.offers {
		for _, w := range c.wants {
			if _, _, ok := Check(o, w, c.today); ok && w.Need.Open() > 0 {
				fitting[o.Worker.EnterpriseID]++
				break
			}
		}
	}
	for id, h := range perLender {
		if h > fitting[id] {
			bad = append(bad, fmt.Sprintf("lender %d: %d heads proposed, %d workers fit", id, h, fitting[id]))
		}
	}
	return bad
}

func TestMatchOptimal(t *testing.T) {
	const seed = 2025
	r := rand.New(rand.NewPCG(seed, seed))
	const cases = 2000
	tiers := map[int]int{}
	filledCases := 0
	for i := range cases {
		c := randomCase(r)
		for _, o := range c.offers {
			for _, w := range c.wants {
				if _, _, ok := Check(o, w, c.today); ok {
					tiers[Tier(o.Where, w.Where)]++
				}
			}
		}
		res := Match(c.offers, c.wants, c.today)
		filled, cost := bruteForce(c)
		if res.Filled != filled || res.Cost != cost {
			t.Errorf("case %d: Match filled %d at cost %d; the optimum is %d at cost %d\n%v", i, res.Filled, res.Cost, filled, cost, c)
		}
		if bad := checkResult(c, res); len(bad) > 0 {
			t.Errorf("case %d: %s\nproposals %+v\n%v", i, strings.Join(bad, "; "), res.Proposals, c)
		}
		if filled > 0 {
			filledCases++
		}
	}
	// The generator must reach every tier and fill something often enough
	// for the comparison to mean anything.
	for tier := range 5 {
		if tiers[tier] == 0 {
			t.Errorf("no feasible pair at tier %d in the random cases", tier)
		}
	}
	if filledCases < cases/5 {
		t.Errorf("only %d of %d random cases fill a slot", filledCases, cases)
	}
}

// checkBase is a worker who may fill the need checkWant: forklift, day
// shift, same community (tier 1).
func checkBase() (Offer, Want) {
	o := Offer{
		Worker: Worker{ID: 1, EnterpriseID: 1, Enterprise: "出借企业", Status: WorkerAvailable,
			WorkTypes: []WorkType{"general", "forklift"}, Certs: []Cert{{Kind: "forklift", Expires: "2025-12-31"}, {Kind: "health"}},
			ContractEnd: "2026-01-01", From: "2025-03-01", To: "2025-06-30", Shift: "both"},
		Where: Where{Grid: "g1", Community: "c1", Street: "s1", District: "d1"},
	}
	w := Want{
		Need: Need{ID: 9, EnterpriseID: 2, WorkType: "forklift", Heads: 2, From: "2025-03-10", To: "2025-04-10",
			Shift: "day", Certs: []string{"forklift", "health"}, NeededBy: "2025-03-08", Status: NeedOpen},
		Where: Where{Grid: "g2", Community: "c1", Street: "s1", District: "d1"},
	}
	return o, w
}

func TestCheck(t *testing.T) {
	const today = "2025-03-01"
	tests := []struct {
		name   string
		change func(o *Offer, w *Want)
		ok     bool
		cost   int
		why    string // the refusal's En
	}{
		{"feasible, same community", func(o *Offer, w *Want) {}, true, 100 + 7 + 0, ""},
		{"feasible, same grid", func(o *Offer, w *Want) { w.Where.Grid = "g1" }, true, 0 + 7 + 0, ""},
		{"feasible, same street", func(o *Offer, w *Want) { w.Where.Grid, w.Where.Community = "g9", "c9" }, true, 200 + 7, ""},
		{"feasible, same district", func(o *Offer, w *Want) { w.Where = Where{"g9", "c9", "s9", "d1"} }, true, 300 + 7, ""},
		{"feasible, another district", func(o *Offer, w *Want) { w.Where = Where{"g9", "c9", "s9", "d9"} }, true, 400 + 7, ""},
		{"empty grids are not the same grid", func(o *Offer, w *Want) { o.Where.Grid, w.Where.Grid = "", "" }, true, 100 + 7, ""},
		{"gap of 9 days", func(o *Offer, w *Want) { o.Worker.To = "2025-04-01" }, true, 100 + 7 + 9, ""},
		{"urgency and gap capped at 30", func(o *Offer, w *Want) {
			o.Worker.To = "2025-03-10"
			w.Need.To, w.Need.NeededBy = "2025-06-30", "2025-06-30"
		}, true, 100 + 30 + 30, ""},
		{"shipping date past counts 0", func(o *Offer, w *Want) { w.Need.NeededBy = "2025-02-20" }, true, 100, ""},
		{"worker available from the need's first day", func(o *Offer, w *Want) { o.Worker.From = "2025-03-10" }, true, 107, ""},
		{"worker available until the need's first day only", func(o *Offer, w *Want) { o.Worker.To = "2025-03-10" }, true, 100 + 7 + 30, ""},
		{"certificate expires on the last day", func(o *Offer, w *Want) { o.Worker.Certs[0].Expires = "2025-04-10" }, true, 107, ""},
		{"certificate needed only to the worker's last day", func(o *Offer, w *Want) {
			o.Worker.To, o.Worker.Certs[0].Expires = "2025-03-20", "2025-03-20"
		}, true, 100 + 7 + 21, ""},
		{"contract ends on the last day", func(o *Offer, w *Want) { o.Worker.ContractEnd = "2025-04-10" }, true, 107, ""},
		{"need's own shift both, worker both", func(o *Offer, w *Want) { w.Need.Shift = "both" }, true, 107, ""},
		{"a team needing lodging, lodging given", func(o *Offer, w *Want) { o.Lodging, w.Need.Lodging = true, true }, true, 107, ""},
		{"a team with a shuttle, no transport given", func(o *Offer, w *Want) { o.Shuttle = true }, true, 107, ""},
		{"a team needing lodging, none given", func(o *Offer, w *Want) { o.Lodging = true }, false, 0, "the team needs lodging the borrower does not give"},

		{"lent", func(o *Offer, w *Want) { o.Worker.Status = WorkerLent }, false, 0, "lent or withdrawn"},
		{"withdrawn", func(o *Offer, w *Want) { o.Worker.Status = WorkerWithdrawn }, false, 0, "lent or withdrawn"},
		{"own worker", func(o *Offer, w *Want) { w.Need.EnterpriseID = 1 }, false, 0, "the borrower's own worker"},
		{"work type", func(o *Offer, w *Want) { w.Need.WorkType = "welder" }, false, 0, "work type"},
		{"excluded", func(o *Offer, w *Want) { o.Excludes = []int64{7, 2} }, false, 0, "excluded by the lender"},
		{"shift day for night", func(o *Offer, w *Want) { o.Worker.Shift, w.Need.Shift = "day", "night" }, false, 0, "shift"},
		{"shift day for both", func(o *Offer, w *Want) { o.Worker.Shift, w.Need.Shift = "day", "both" }, false, 0, "shift"},
		{"available only after the start", func(o *Offer, w *Want) { o.Worker.From = "2025-03-11" }, false, 0, "not available when the need starts"},
		{"available only before the start", func(o *Offer, w *Want) { o.Worker.To = "2025-03-09" }, false, 0, "not available when the need starts"},
		{"certificate missing", func(o *Offer, w *Want) { o.Worker.Certs = o.Worker.Certs[1:] }, false, 0, "a certificate missing or expired"},
		{"certificate expired before the end", func(o *Offer, w *Want) { o.Worker.Certs[0].Expires = "2025-04-09" }, false, 0, "a certificate missing or expired"},
		{"contract ends before the loan", func(o *Offer, w *Want) { o.Worker.ContractEnd = "2025-04-09" }, false, 0, RuleOf("contract_end").En},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, w := checkBase()
			tt.change(&o, &w)
			cost, why, ok := Check(o, w, today)
			if ok != tt.ok || cost != tt.cost || why.En != tt.why {
				t.Fatalf("Check = %d, %q, %v; want %d, %q, %v", cost, why.En, ok, tt.cost, tt.why, tt.ok)
			}
			if !ok && why.Zh == "" {
				t.Errorf("refusal %q has no Chinese", why.En)
			}
		})
	}
}

func TestMatchExplains(t *testing.T) {
	const today = "2025-03-01"
	o, w := checkBase()
	o.Worker.To = "2025-04-01"
	w.Need.Enterprise = "借入企业"
	res := Match([]Offer{o}, []Want{w}, today)
	if res.Filled != 1 || res.Cost != 116 || len(res.Proposals) != 1 {
		t.Fatalf("Match = %+v; want one slot at cost 116", res)
	}
	p := res.Proposals[0]
	if p.NeedID != 9 || p.LenderID != 1 || p.Lender != "出借企业" || p.Borrower != "借入企业" || p.Tier != 1 || p.Heads != 1 || p.Cost != 116 ||
		!slices.Equal(p.Candidates, []int64{1}) {
		t.Errorf("proposal %+v", p)
	}
	if len(p.Reasons) < 4 {
		t.Errorf("reasons %v; want work type, certificates, distance, date and period", p.Reasons)
	}
	var en []string
	for _, r := range p.Reasons {
		if r.Zh == "" || r.En == "" {
			t.Errorf("reason %+v lacks a language", r)
		}
		en = append(en, r.En)
	}
	all := strings.Join(en, "\n")
	for _, s := range []string{"Forklift driver", "1 of the lender's workers fit, 1 proposed", "same community", "needed by 2025-03-08 (7 days)", "9 days before the need ends"} {
		if !strings.Contains(all, s) {
			t.Errorf("reasons %q do not say %q", all, s)
		}
	}
}

func TestMatchUrgentFirst(t *testing.T) {
	const today = "2025-03-01"
	o, w := checkBase()
	later, urgent := w, w
	later.Need.ID, later.Need.NeededBy = 1, "2025-03-20"
	urgent.Need.ID, urgent.Need.NeededBy = 2, "2025-03-05"
	for _, wants := range [][]Want{{later, urgent}, {urgent, later}} {
		res := Match([]Offer{o}, wants, today)
		if res.Filled != 1 || len(res.Proposals) != 1 || res.Proposals[0].NeedID != 2 {
			t.Errorf("Match = %+v; want the worker for the urgent need 2", res)
		}
	}
}

func TestMatchNearestFirst(t *testing.T) {
	const today = "2025-03-01"
	far, w := checkBase()
	w.Need.Heads = 1
	far.Worker.ID, far.Worker.EnterpriseID, far.Worker.Enterprise = 1, 5, "远处企业"
	far.Where = Where{Grid: "x", Community: "x", Street: "x", District: "d1"} // tier 3
	near := far
	near.Worker.ID, near.Worker.EnterpriseID, near.Worker.Enterprise = 2, 6, "近处企业"
	near.Where = w.Where // tier 0
	for _, offers := range [][]Offer{{far, near}, {near, far}} {
		res := Match(offers, []Want{w}, today)
		if res.Filled != 1 || len(res.Proposals) != 1 {
			t.Fatalf("Match = %+v; want one proposal", res)
		}
		if p := res.Proposals[0]; p.LenderID != 6 || p.Tier != 0 || !slices.Equal(p.Candidates, []int64{2}) {
			t.Errorf("proposal %+v; want the nearer lender 6 at tier 0", p)
		}
	}
}

// TestMatchReroutes needs an augmenting path through a residual edge: the
// cheapest first choice (A to need 1) must be undone so that B, who fits
// need 1 only, fills it and A takes need 2.
func TestMatchReroutes(t *testing.T) {
	const today = "2025-03-01"
	a, w1 := checkBase()
	a.Worker.WorkTypes = []WorkType{"forklift", "sewing"}
	a.Where = w1.Where // tier 0 to need 1
	b := a
	b.Worker.ID, b.Worker.EnterpriseID, b.Worker.WorkTypes = 2, 3, []WorkType{"forklift"}
	b.Where.Grid = "g9" // tier 1 to need 1
	w1.Need.Heads = 1
	w2 := w1
	w2.Need.ID, w2.Need.WorkType, w2.Need.Certs = 10, "sewing", nil
	w2.Where = Where{Grid: "x", Community: "x", Street: "x", District: "d1"} // tier 3
	res := Match([]Offer{a, b}, []Want{w1, w2}, today)
	if res.Filled != 2 || res.Cost != 100+7+300+7 {
		t.Fatalf("Match = %+v; want 2 slots at cost 414", res)
	}
	got := map[int64]int64{}
	for _, p := range res.Proposals {
		got[p.NeedID] = p.LenderID
	}
	if got[9] != 3 || got[10] != 1 {
		t.Errorf("need → lender %v; want need 9 to lender 3 and need 10 to lender 1", got)
	}
}

func TestMatchSkipsFullNeeds(t *testing.T) {
	o, w := checkBase()
	w.Need.Taken = w.Need.Heads
	if res := Match([]Offer{o}, []Want{w}, "2025-03-01"); res.Filled != 0 || len(res.Proposals) != 0 {
		t.Errorf("Match on a full need = %+v", res)
	}
	if res := Match(nil, nil, "2025-03-01"); res.Filled != 0 || res.Cost != 0 || res.Proposals != nil {
		t.Errorf("Match of nothing = %+v", res)
	}
}

func TestBlocked(t *testing.T) {
	o, w := checkBase()
	lent, wrongShift, other := o, o, o
	lent.Worker.Status = WorkerLent
	wrongShift.Worker.Shift = "night"
	other.Worker.WorkTypes = []WorkType{"sewing"} // not counted: another work type
	got := Blocked([]Offer{o, lent, wrongShift, wrongShift, other}, w, "2025-03-01")
	want := map[fault.Msg]int{
		{Zh: "已借出或已退出", En: "lent or withdrawn"}: 1,
		{Zh: "班次不符", En: "shift"}:                2,
	}
	if !maps.Equal(got, want) {
		t.Errorf("Blocked = %v; want %v", got, want)
	}
}

// districtCase is a district-sized case: 1,000 workers of 40 lenders and 500
// needs of 100 borrowers in 4 streets × 5 communities × 3 grids.
func districtCase(seed uint64) matchCase {
	r := rand.New(rand.NewPCG(seed, seed))
	today := "2025-03-01"
	day := func(k int) string { return addDays(today, k) }
	var grids []Where
	for s := range 4 {
		for c := range 5 {
			for g := range 3 {
				grids = append(grids, Where{
					Grid:      fmt.Sprintf("s%dc%dg%d", s, c, g),
					Community: fmt.Sprintf("s%dc%d", s, c),
					Street:    fmt.Sprintf("s%d", s),
					District:  "d",
				})
			}
		}
	}
	where := map[int64]Where{}
	for id := int64(1); id <= 140; id++ {
		where[id] = grids[r.IntN(len(grids))]
		if r.IntN(20) == 0 {
			where[id] = Where{Grid: "far", Community: "far", Street: "far", District: "far"}
		}
	}
	c := matchCase{today: today}
	for i := range 1000 {
		lender := int64(1 + r.IntN(40))
		w := Worker{ID: int64(1 + i), EnterpriseID: lender, Enterprise: fmt.Sprintf("出借企业%d", lender),
			Status: WorkerAvailable, Shift: Shifts[r.IntN(len(Shifts))].Code}
		for range 1 + r.IntN(3) {
			t := WorkType(WorkTypes[r.IntN(len(WorkTypes))].Code)
			if !slices.Contains(w.WorkTypes, t) {
				w.WorkTypes = append(w.WorkTypes, t)
			}
		}
		if r.IntN(3) == 0 {
			w.Certs = append(w.Certs, Cert{Kind: CertKinds[r.IntN(len(CertKinds))].Code, Expires: day(30 + r.IntN(300))})
		}
		from := r.IntN(21) - 10
		to := from + 30 + r.IntN(150)
		w.From, w.To, w.ContractEnd = day(from), day(to), day(to+r.IntN(365))
		o := Offer{Worker: w, Where: where[lender]}
		if r.IntN(10) == 0 {
			o.Excludes = []int64{int64(41 + r.IntN(100))}
		}
		c.offers = append(c.offers, o)
	}
	for j := range 500 {
		borrower := int64(41 + r.IntN(100))
		from := r.IntN(21)
		n := Need{ID: int64(1 + j), EnterpriseID: borrower, Enterprise: fmt.Sprintf("借入企业%d", borrower),
			WorkType: WorkType(WorkTypes[r.IntN(len(WorkTypes))].Code), Heads: 1 + r.IntN(5),
			From: day(from), To: day(from + 7 + r.IntN(54)), Shift: Shifts[r.IntN(2)].Code,
			NeededBy: day(max(0, from-r.IntN(5))), Status: NeedOpen}
		if r.IntN(5) == 0 {
			n.Certs = []string{CertKinds[r.IntN(len(CertKinds))].Code}
		}
		c.wants = append(c.wants, Want{Need: n, Where: where[borrower]})
	}
	return c
}

func BenchmarkMatch(b *testing.B) {
	c := districtCase(2025)
	var res Result
	b.ReportAllocs()
	for b.Loop() {
		res = Match(c.offers, c.wants, c.today)
	}
	b.ReportMetric(float64(res.Filled), "filled")
	b.ReportMetric(float64(len(res.Proposals)), "proposals")
}

// TestDistrictCase checks the benchmark's case once for consistency, and that
// the matcher is deterministic.
func TestDistrictCase(t *testing.T) {
	if testing.Short() {
		t.Skip("district case")
	}
	c := districtCase(2025)
	start := time.Now()
	res := Match(c.offers, c.wants, c.today)
	t.Logf("district case: filled %d at cost %d in %d proposals (%v)", res.Filled, res.Cost, len(res.Proposals), time.Since(start))
	if res.Filled == 0 {
		t.Fatal("the district case fills nothing")
	}
	if bad := checkResult(c, res); len(bad) > 0 {
		t.Errorf("%d problems, first: %s", len(bad), bad[0])
	}
	again := Match(c.offers, c.wants, c.today)
	if again.Filled != res.Filled || again.Cost != res.Cost || len(again.Proposals) != len(res.Proposals) {
		t.Errorf("Match is not deterministic: %d/%d then %d/%d", res.Filled, res.Cost, again.Filled, again.Cost)
	}
	for i := range res.Proposals {
		a, b := res.Proposals[i], again.Proposals[i]
		if a.NeedID != b.NeedID || a.LenderID != b.LenderID || a.Heads != b.Heads || a.Cost != b.Cost {
			t.Fatalf("proposal %d differs: %+v then %+v", i, a, b)
		}
	}
}
