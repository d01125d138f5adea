package pool

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"qifu/internal/fault"
)

// The matcher proposes, for the open needs a community sees, the lenders
// whose workers should fill them. It never breaks a rule: a worker goes to a
// need only where the work type, the certificates, the shift, the period and
// the contract fit and the lender does not exclude the borrower. Among the
// feasible pairs it solves a minimum-cost maximum flow: as many slots filled
// as the pool can fill, and among those ways the cheapest, where a worker's
// cost on a need is
//
//	100 × travel tier (same grid 0, community 1, street 2, district 3, farther 4)
//	+ days until the need's shipping date (0–30: the most urgent filled first)
//	+ days of the need's period the worker is not available for (0–30).
//
// The community then proposes each lender its slots; the lender chooses
// which of its workers go.

// Where is where an enterprise is.
type Where struct {
	Grid, Community, Street, District string
}

// Tier is how far apart two places are: 0 the same grid … 4 another district.
func Tier(a, b Where) int {
	switch {
	case a.Grid != "" && a.Grid == b.Grid:
		return 0
	case a.Community != "" && a.Community == b.Community:
		return 1
	case a.Street != "" && a.Street == b.Street:
		return 2
	case a.District != "" && a.District == b.District:
		return 3
	}
	return 4
}

var tierWords = []fault.Msg{
	{Zh: "同一网格", En: "same grid"}, {Zh: "同一社区", En: "same community"},
	{Zh: "同一街道", En: "same street"}, {Zh: "同一区县", En: "same district"}, {Zh: "跨区县", En: "another district"},
}

// Offer is a worker in the pool with where the lender is and whom it excludes.
type Offer struct {
	Worker   Worker
	Where    Where
	Excludes []int64 // enterprises the lender will not lend to (competitors)
	// Lodging: the worker's team needs lodging, so only a need that gives
	// it fits; Shuttle: the team brings its own shuttle (said in the reasons).
	Lodging, Shuttle bool
}

// Want is an open need with where the borrower is.
type Want struct {
	Need  Need
	Where Where
}

// Proposal is the matcher's proposal of one lender for one need.
type Proposal struct {
	NeedID     int64       `json:"need_id"`
	Borrower   string      `json:"borrower"`
	LenderID   int64       `json:"lender_id"`
	Lender     string      `json:"lender"`
	Heads      int         `json:"heads"`
	Cost       int         `json:"cost"` // the proposal's part of the total cost
	Tier       int         `json:"tier"`
	Candidates []int64     `json:"candidates"` // the lender's workers who fit, best first
	Reasons    []fault.Msg `json:"reasons"`
}

// Result is the matcher's answer.
type Result struct {
	Proposals []Proposal
	Filled    int // slots the proposals fill
	Cost      int // their total cost: least among the fillings of Filled slots
}

// Check tells whether worker o may fill need w, as of today: its cost, or
// the rule or fit it fails.
func Check(o Offer, w Want, today string) (cost int, why fault.Msg, ok bool) {
	wk, n := o.Worker, w.Need
	switch {
	case wk.Status != WorkerAvailable:
		return 0, fault.Msg{Zh: "已借出或已退出", En: "lent or withdrawn"}, false
	case wk.EnterpriseID == n.EnterpriseID:
		return 0, fault.Msg{Zh: "本企业员工", En: "the borrower's own worker"}, false
	case !slices.Contains(wk.WorkTypes, n.WorkType):
		return 0, fault.Msg{Zh: "工种不符", En: "work type"}, false
	case slices.Contains(o.Excludes, n.EnterpriseID):
		return 0, fault.Msg{Zh: "出借方不借给该企业", En: "excluded by the lender"}, false
	case !shiftFits(wk.Shift, n.Shift):
		return 0, fault.Msg{Zh: "班次不符", En: "shift"}, false
	case wk.From > n.From || wk.To < n.From:
		return 0, fault.Msg{Zh: "开工时不在可借期内", En: "not available when the need starts"}, false
	case o.Lodging && !n.Lodging:
		return 0, fault.Msg{Zh: "班组需要住宿，借入方不提供", En: "the team needs lodging the borrower does not give"}, false
	}
	end := min(n.To, wk.To)
	for _, c := range n.Certs {
		if !holds(wk.Certs, c, end) {
			return 0, fault.Msg{Zh: "缺少有效证书", En: "a certificate missing or expired"}, false
		}
	}
	if wk.ContractEnd < end {
		return 0, RuleMsg("contract_end"), false
	}
	return costOf(o.Where, w, end, today), fault.Msg{}, true
}

// RuleMsg is a rule's text as a message.
func RuleMsg(code string) fault.Msg {
	r := RuleOf(code)
	return fault.Msg{Zh: r.Zh, En: r.En}
}

func costOf(lender Where, w Want, end, today string) int {
	urgency := min(30, max(0, Days(today, w.Need.NeededBy)))
	gap := min(30, max(0, Days(end, w.Need.To)))
	return 100*Tier(lender, w.Where) + urgency + gap
}

func shiftFits(worker, need string) bool {
	return worker == "both" || worker == need
}

func holds(certs []Cert, kind, until string) bool {
	for _, c := range certs {
		if c.Kind == kind && (c.Expires == "" || c.Expires >= until) {
			return true
		}
	}
	return false
}

// Match proposes lenders for the wants from the offers, as of today.
func Match(offers []Offer, wants []Want, today string) Result {
	// Needs by work type, so that each worker is checked against the needs
	// of its types only.
	byType := map[WorkType][]int{}
	for j, w := range wants {
		if w.Need.Open() > 0 {
			byType[w.Need.WorkType] = append(byType[w.Need.WorkType], j)
		}
	}
	// Workers with the same lender and the same costs on the same needs are
	// one class: the network has a node per class, not per worker.
	type arc struct{ need, cost int }
	type class struct {
		lender int64
		arcs   []arc
		size   int
	}
	var classes []*class
	index := map[string]*class{}
	var key strings.Builder
	for _, o := range offers {
		var arcs []arc
		for _, t := range o.Worker.WorkTypes {
			for _, j := range byType[t] {
				if c, _, ok := Check(o, wants[j], today); ok {
					arcs = append(arcs, arc{j, c})
				}
			}
		}
		if len(arcs) == 0 {
			continue
		}
		slices.SortFunc(arcs, func(a, b arc) int { return a.need - b.need })
		arcs = slices.Compact(arcs)
		key.Reset()
		key.WriteString(strconv.FormatInt(o.Worker.EnterpriseID, 10))
		for _, a := range arcs {
			fmt.Fprintf(&key, "|%d:%d", a.need, a.cost)
		}
		c, ok := index[key.String()]
		if !ok {
			c = &class{lender: o.Worker.EnterpriseID, arcs: arcs}
			index[key.String()] = c
			classes = append(classes, c)
		}
		c.size++
	}
	// source 0, sink 1, then the classes, then the needs.
	const source, sink = 0, 1
	needNode := func(j int) int { return 2 + len(classes) + j }
	g := newNetwork(2 + len(classes) + len(wants))
	type place struct{ from, i, class, need int }
	var arcsAt []place
	for ci, c := range classes {
		g.add(source, 2+ci, c.size, 0)
		for _, a := range c.arcs {
			from, i := g.add(2+ci, needNode(a.need), c.size, a.cost)
			arcsAt = append(arcsAt, place{from, i, ci, a.need})
		}
	}
	for j, w := range wants {
		if w.Need.Open() > 0 {
			g.add(needNode(j), sink, w.Need.Open(), 0)
		}
	}
	var res Result
	res.Filled, res.Cost = g.minCostMaxFlow(source, sink)

	// The flow on each (lender, need) pair is a proposal.
	type pair struct {
		lender int64
		need   int
	}
	props := map[pair]*Proposal{}
	var order []pair
	for _, p := range arcsAt {
		f := g.flowOn(p.from, p.i)
		if f == 0 {
			continue
		}
		c := classes[p.class]
		k := pair{c.lender, p.need}
		pr, ok := props[k]
		if !ok {
			pr = &Proposal{NeedID: wants[p.need].Need.ID, LenderID: c.lender, Borrower: wants[p.need].Need.Enterprise}
			props[k] = pr
			order = append(order, k)
		}
		pr.Heads += f
		for _, a := range c.arcs {
			if a.need == p.need {
				pr.Cost += f * a.cost
			}
		}
	}
	for _, k := range order {
		pr := props[k]
		w := wants[k.need]
		type cand struct {
			offer int
			cost  int
		}
		var cands []cand
		for i, o := range offers {
			if o.Worker.EnterpriseID != k.lender {
				continue
			}
			if c, _, ok := Check(o, w, today); ok {
				cands = append(cands, cand{i, c})
			}
		}
		slices.SortStableFunc(cands, func(a, b cand) int { return a.cost - b.cost })
		for _, c := range cands {
			pr.Candidates = append(pr.Candidates, offers[c.offer].Worker.ID)
		}
		lender := offers[cands[0].offer] // the best fit speaks for the lender
		pr.Lender = lender.Worker.Enterprise
		pr.Tier = Tier(lender.Where, w.Where)
		pr.Reasons = explain(lender, w, pr.Heads, len(cands), today)
		res.Proposals = append(res.Proposals, *pr)
	}
	slices.SortStableFunc(res.Proposals, func(a, b Proposal) int {
		if a.NeedID != b.NeedID {
			if a.NeedID < b.NeedID {
				return -1
			}
			return 1
		}
		return a.Cost/max(1, a.Heads) - b.Cost/max(1, b.Heads)
	})
	return res
}

// explain says why a lender was proposed for a need, one reason a line.
func explain(o Offer, w Want, heads, fit int, today string) []fault.Msg {
	n := w.Need
	wt, _ := Find(WorkTypes, string(n.WorkType))
	out := []fault.Msg{
		{Zh: fmt.Sprintf("工种相符：%s，该企业有 %d 人符合，建议借 %d 人", wt.Zh, fit, heads),
			En: fmt.Sprintf("work type fits: %s; %d of the lender's workers fit, %d proposed", wt.En, fit, heads)},
	}
	if len(n.Certs) > 0 {
		var zh, en []string
		for _, c := range n.Certs {
			l, _ := Find(CertKinds, c)
			zh, en = append(zh, l.Zh), append(en, l.En)
		}
		out = append(out, fault.Msg{Zh: "持有所需证书且借期内有效：" + strings.Join(zh, "、"),
			En: "holds the certificates, valid through the loan: " + strings.Join(en, ", ")})
	}
	t := tierWords[Tier(o.Where, w.Where)]
	out = append(out, fault.Msg{Zh: "距离：" + t.Zh, En: "distance: " + t.En})
	if o.Shuttle && !n.Transport {
		out = append(out, fault.Msg{Zh: "班组自带班车", En: "the team brings its own shuttle"})
	}
	d := Days(today, n.NeededBy)
	out = append(out, fault.Msg{Zh: fmt.Sprintf("最迟到岗 %s（还有 %d 天）", n.NeededBy, d),
		En: fmt.Sprintf("needed by %s (%d days)", n.NeededBy, d)})
	if o.Worker.To < n.To {
		out = append(out, fault.Msg{Zh: fmt.Sprintf("可借至 %s，比需求早结束 %d 天", o.Worker.To, Days(o.Worker.To, n.To)),
			En: fmt.Sprintf("available until %s, %d days before the need ends", o.Worker.To, Days(o.Worker.To, n.To))})
	} else {
		out = append(out, fault.Msg{Zh: "可借期覆盖全程", En: "available for the whole period"})
	}
	return out
}

// Blocked counts, for a need nobody can fill, why the pool's workers of its
// work type do not fit: reason → how many.
func Blocked(offers []Offer, w Want, today string) map[fault.Msg]int {
	out := map[fault.Msg]int{}
	for _, o := range offers {
		if !slices.Contains(o.Worker.WorkTypes, w.Need.WorkType) {
			continue
		}
		if _, why, ok := Check(o, w, today); !ok {
			out[why]++
		}
	}
	return out
}
