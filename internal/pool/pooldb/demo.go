package pooldb

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/store"
)

// The demo's employee turnover pool (员工周转池) of the last four months in
// the showcase district, sized from Beilun's: ten manufacturers short of
// orders offer some 650 workers (a few as teams with a shuttle), about
// 120 job-seekers-free needs of thirty-odd enterprises racing a shipping
// date are matched by the showcase community's staff with the matcher,
// and some 220 loans follow the whole way through the pool's own use cases
// on a clock the caller moves: the lender chooses, each worker consents
// on their page with a one-time code (a few decline), both enterprises
// e-seal, the lender records the injury cover, the borrower trains and
// starts them, records attendance, builds the monthly sheets both confirm,
// and the workers return at the end — a few early, a few complain, most
// rate. The enterprises without an account act through the system.

// PoolReport is what the pool's demo played.
type PoolReport struct {
	Lenders, Workers, Teams, Needs, Loans, Placements, Started, Early, Declined, Sheets, Seekers int
}

func (r PoolReport) String() string {
	return fmt.Sprintf("%d lenders, %d workers (%d teams), %d needs, %d loans, %d placements (%d started, %d early, %d declined), %d sheets, %d seekers",
		r.Lenders, r.Workers, r.Teams, r.Needs, r.Loans, r.Placements, r.Started, r.Early, r.Declined, r.Sheets, r.Seekers)
}

// The words of the demo's pool.
var (
	poolSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢")
	poolGiven    = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
		"刚", "桂英", "建华", "玉兰", "海燕", "志强", "春梅", "国庆", "小红", "建军", "丽娟", "文博", "晓东", "美玲", "永辉", "佳怡"}
	poolSites    = []string{"三号车间", "总装车间", "包装车间", "成品仓库", "一号厂房", "注塑车间"}
	poolTraining = []string{"半天岗前培训：生产线操作规程、劳动防护用品使用和消防逃生演练",
		"两小时安全教育：车间安全须知、设备操作禁令和应急处置", "一天岗前培训：工艺要求、质量标准和安全生产规定"}
	poolTrainingNotes = []string{"安全员讲解操作规程和消防逃生，2小时，全员考核通过", "车间主任带教工艺要求，半天，已签到",
		"安全科组织三级安全教育，4小时，已考核"}
	poolComplaints = []string{"夜班结束后没有班车，回住处不方便", "加班时间和约定的不一致，希望社区协调", "食堂就餐需要自己付费，和说好的不一样"}
	poolEarly      = []string{"出借企业订单回升，召回员工", "员工家中有事需返乡", "借入企业订单提前完成"}
	poolDecline    = []string{"家里老人需要照顾", "路程太远", "想留在原厂"}
)

// PoolWords are the Chinese words the demo's pool puts in the store's
// records: an English page shows them as they are.
func PoolWords() []string {
	w := slices.Clone(poolSites)
	w = append(w, poolTraining...)
	w = append(w, poolTrainingNotes...)
	w = append(w, poolComplaints...)
	w = append(w, poolEarly...)
	w = append(w, poolDecline...)
	w = append(w, poolGiven...)
	for _, r := range poolSurnames {
		w = append(w, string(r))
	}
	return append(w, "包装班组", "普工班组", "生产主管", "共享用工", "园区", "号")
}

// poolEvent is one step of the play, at a time; seq keeps the order of
// steps planned for the same time.
type poolEvent struct {
	at  time.Time
	seq int
	do  func(ctx context.Context) error
}

// poolQueue holds the steps still to play, the earliest first.
type poolQueue []poolEvent

func (q poolQueue) Len() int { return len(q) }
func (q poolQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q poolQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *poolQueue) Push(x any)   { *q = append(*q, x.(poolEvent)) }
func (q *poolQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// Demo plays the demo's pool up to now through the pool's use cases,
// moving the store's clock with setNow (and leaving it at now): needs are
// how many needs the borrowers post over the months (165 for the demo's
// full size).
func Demo(ctx context.Context, d demo.Dataset, needs int, p *Store, byCode func(ctx context.Context, code string) (int64, error),
	actor func(ctx context.Context, username string) (access.Actor, error), now time.Time, setNow func(time.Time)) (PoolReport, error) {
	defer setNow(now)
	var rep PoolReport
	r := rand.New(rand.NewPCG(7, 0x706f6f6c))
	community, err := actor(ctx, "community")
	if err != nil {
		return rep, err
	}
	system := access.System("demo")
	system.Addr = "demo"
	district := ""
	for _, u := range d.Users {
		if u.Username == "street_leader" {
			for _, rg := range d.Regions {
				if rg.Code == u.RegionCode {
					district = rg.ParentCode
				}
			}
		}
	}
	// Lenders: manufacturers of the district with people to spare; borrowers: the others.
	var makers, others []enterprise.Enterprise
	for _, e := range d.Enterprises {
		if e.DistrictCode != district {
			continue
		}
		if strings.HasPrefix(e.Industry, "1") || strings.HasPrefix(e.Industry, "2") || strings.HasPrefix(e.Industry, "3") || strings.HasPrefix(e.Industry, "4") {
			if e.Employees >= 60 {
				makers = append(makers, e)
				continue
			}
		}
		if e.Employees >= 10 {
			others = append(others, e)
		}
	}
	r.Shuffle(len(makers), func(i, j int) { makers[i], makers[j] = makers[j], makers[i] })
	if len(makers) < 12 {
		return rep, fmt.Errorf("demo pool: %d manufacturers in the district, want 12", len(makers))
	}
	lenders := makers[:10]
	borrowers := append(slices.Clone(makers[10:]), others...)
	if len(borrowers) > 34 {
		borrowers = borrowers[:34]
	}
	ids := map[string]int64{}
	for _, e := range append(slices.Clone(lenders), borrowers...) {
		id, err := byCode(ctx, e.CreditCode)
		if err != nil {
			return rep, fmt.Errorf("demo pool: %s: %w", e.CreditCode, err)
		}
		ids[e.CreditCode] = id
	}
	local := now.In(calendar.Shanghai)
	start := local.AddDate(0, -4, 0)
	day := func(t time.Time) string { return t.In(calendar.Shanghai).Format("2006-01-02") }
	at := func(t time.Time, hour, minute int) time.Time {
		t = t.In(calendar.Shanghai)
		return time.Date(t.Year(), t.Month(), t.Day(), hour, minute, 0, 0, calendar.Shanghai)
	}
	queue := &poolQueue{}
	seq := 0
	add := func(t time.Time, do func(ctx context.Context) error) {
		if !t.After(now) {
			seq++
			heap.Push(queue, poolEvent{at: t, seq: seq, do: do})
		}
	}
	phone := func() string { return fmt.Sprintf("13%d%08d", 5+r.IntN(5), r.IntN(100_000_000)) }
	idNumber := func(n int) string {
		birth := time.Date(1970+r.IntN(35), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		first := fmt.Sprintf("330206%s%03d", birth.Format("20060102"), n%1000)
		return first + string(pool.IDCheck(first))
	}
	name := func() string {
		return string(poolSurnames[r.IntN(len(poolSurnames))]) + poolGiven[r.IntN(len(poolGiven))]
	}
	// The lenders offer their workers over the first weeks, a team or two each.
	types := []pool.WorkType{"general", "packing", "sewing", "assembly", "general", "packing", "forklift", "welder", "quality", "warehouse"}
	n := 0
	for i, e := range lenders {
		eid := ids[e.CreditCode]
		// Half the lenders come in the first weeks, the others as orders drop later.
		when := at(start.AddDate(0, 0, 1+i*3+(i/5)*40), 10, r.IntN(60))
		offered := 55 + r.IntN(20)
		for offered > 0 {
			size := min(offered, 5+r.IntN(15))
			offered -= size
			main := types[r.IntN(len(types))]
			team := pool.Team{}
			if size >= 8 {
				team = pool.Team{Name: fmt.Sprintf("%s班组%d", map[bool]string{true: "包装", false: "普工"}[main == "packing"], n%97+1), Shuttle: r.IntN(3) == 0}
			}
			var ws []pool.Worker
			for range size {
				n++
				w := pool.Worker{Name: name(), Phone: phone(), IDNumber: idNumber(n), WorkTypes: []pool.WorkType{main},
					ContractEnd: day(local.AddDate(1+r.IntN(2), r.IntN(12), 0)), From: day(when), To: day(local.AddDate(0, 6, 0)),
					Shift: []string{"both", "both", "day"}[r.IntN(3)], Share: "district"}
				if main != "general" && r.IntN(2) == 0 {
					w.WorkTypes = append(w.WorkTypes, "general")
				}
				switch main {
				case "forklift", "welder":
					w.Certs = []pool.Cert{{Kind: string(main), Expires: day(local.AddDate(2, 0, 0))}}
				}
				ws = append(ws, w)
			}
			add(when, func(ctx context.Context) error {
				if team.Name == "" { // people offered one by one
					for _, w := range ws {
						w.EnterpriseID = eid
						if _, err := p.Offer(ctx, system, w); err != nil {
							return err
						}
						rep.Workers++
					}
					return nil
				}
				_, err := p.OfferTeam(ctx, system, eid, team, ws)
				if err == nil {
					rep.Workers += len(ws)
					rep.Teams++
				}
				return err
			})
			when = when.Add(time.Duration(20+r.IntN(90)) * time.Minute)
		}
		rep.Lenders++
	}
	// Needs: a shipping date each, posted over the months.
	for i := range needs {
		b := borrowers[r.IntN(len(borrowers))]
		bid := ids[b.CreditCode]
		posted := at(start.AddDate(0, 0, 35+i*82/needs), 8+r.IntN(9), r.IntN(60))
		from := posted.AddDate(0, 0, 1+r.IntN(2))
		heads := 2 + r.IntN(5)
		if i%25 == 3 {
			heads = 10 + r.IntN(4) // a rush order: ten hands and more in days
		}
		wt := types[r.IntN(len(types))]
		need := pool.Need{EnterpriseID: bid, WorkType: wt, Heads: heads, From: day(from), To: day(from.AddDate(0, 0, 14+r.IntN(30))),
			Site: b.Address + poolSites[r.IntN(len(poolSites))], Shift: []string{"day", "day", "night"}[r.IntN(3)], DailyCost: 220 + 10*r.IntN(10),
			Training: poolTraining[r.IntN(len(poolTraining))], Transport: r.IntN(2) == 0, Lodging: r.IntN(4) == 0, NeededBy: day(from),
			Contact: name(), Phone: phone(), Share: "district"}
		if wt == "forklift" || wt == "welder" {
			need.Certs = []string{string(wt)}
		}
		if len([]rune(need.Site)) < 4 {
			need.Site = "北仑区园区" + poolSites[0]
		}
		add(posted, func(ctx context.Context) error {
			posted, err := p.PostNeed(ctx, system, need)
			if err != nil {
				return err
			}
			rep.Needs++
			// The community runs the matcher within hours and proposes.
			proposeAt := posted.PostedAt.Add(time.Duration(30+r.IntN(240)) * time.Minute)
			add(proposeAt, func(ctx context.Context) error {
				return playLoans(ctx, p, community, system, posted, r, &rep, add, now)
			})
			return nil
		})
	}
	// Job seekers at the community's desk; a few placed.
	seekers := 0
	for i := range 24 {
		when := at(start.AddDate(0, 0, 20+i*4), 10, r.IntN(60))
		s := pool.Seeker{Name: name(), Phone: phone(), WorkTypes: []pool.WorkType{types[r.IntN(4)]}, From: day(when.AddDate(0, 0, 2)),
			Wants: []string{pool.WantsHire, pool.WantsEither, pool.WantsRecruit}[r.IntN(3)], CommunityCode: community.RegionCode}
		add(when, func(ctx context.Context) error {
			if _, err := p.AddSeeker(ctx, community, s); err != nil {
				return err
			}
			seekers++
			return nil
		})
	}
	for queue.Len() > 0 {
		e := heap.Pop(queue).(poolEvent)
		setNow(e.at)
		if err := e.do(ctx); err != nil {
			if fe := fault.As(err); fe != nil && len(fe.Fields) > 0 {
				return rep, fmt.Errorf("demo pool at %s: %w %v", e.at.Format(time.DateTime), err, fe.Fields)
			}
			return rep, fmt.Errorf("demo pool at %s: %w", e.at.Format(time.DateTime), err)
		}
	}
	rep.Seekers = seekers
	// Place some job seekers with the needs still open, as the community would.
	setNow(now)
	open, _, err := p.Needs(ctx, community, NeedQuery{Status: pool.NeedOpen, Page: store.Page{Size: 50}})
	if err != nil {
		return rep, err
	}
	list, _, err := p.Seekers(ctx, community, SeekerQuery{Status: pool.SeekerOpen, Page: store.Page{Size: 50}})
	if err != nil {
		return rep, err
	}
	placed := 0
	for _, s := range list {
		for _, nd := range open {
			if placed < 4 && nd.Open() > 0 && slices.Contains(s.WorkTypes, nd.WorkType) {
				if _, err := p.PlaceSeeker(ctx, community, s.ID, nd.ID, s.Version); err == nil {
					placed++
					nd.Taken++
					break
				}
			}
		}
	}
	return rep, nil
}

// playLoans proposes lenders for a need from the matcher's answer and
// plans each loan's way to the end.
func playLoans(ctx context.Context, p *Store, community, system access.Actor, n pool.Need, r *rand.Rand, rep *PoolReport,
	add func(time.Time, func(context.Context) error), now time.Time) error {
	sg, err := p.Suggest(ctx, community)
	if err != nil {
		return err
	}
	for _, pr := range sg.Proposals {
		if pr.NeedID != n.ID {
			continue
		}
		m, err := p.Propose(ctx, community, n.ID, pr.LenderID, pr.Heads)
		if fault.Is(err, fault.Conflict) || fault.Is(err, fault.Invalid) {
			continue // taken meanwhile
		}
		if err != nil {
			return err
		}
		rep.Loans++
		proposed := m.ProposedAt
		add(proposed.Add(time.Duration(60+r.IntN(600))*time.Minute), func(ctx context.Context) error {
			return playLoan(ctx, p, community, system, m, r, rep, add, now)
		})
	}
	return nil
}

// playLoan takes one loan from the lender's choice to the return.
func playLoan(ctx context.Context, p *Store, community, system access.Actor, m pool.Loan, r *rand.Rand, rep *PoolReport,
	add func(time.Time, func(context.Context) error), now time.Time) error {
	cands, err := p.Candidates(ctx, system, m.ID)
	if err != nil {
		return err
	}
	var chosen []int64
	for _, c := range cands {
		if len(chosen) < m.Heads {
			chosen = append(chosen, c.Worker.ID)
		}
	}
	if len(chosen) == 0 {
		_, err := p.Decline(ctx, system, m.ID, "暂无合适人员", m.Version)
		return err
	}
	m, err = p.Choose(ctx, system, m.ID, chosen, m.Version)
	if fault.Is(err, fault.Conflict) {
		_, err = p.Decline(ctx, system, m.ID, "人员已安排其他借出", m.Version)
		return err
	}
	if err != nil {
		return err
	}
	chosenAt := m.ChosenAt
	// Each worker is given a code and answers on the phone within hours.
	for _, pl := range m.Placements {
		rep.Placements++
		pl := pl
		add(chosenAt.Add(time.Duration(20+r.IntN(120))*time.Minute), func(ctx context.Context) error {
			code, err := p.IssueCode(ctx, community, pl.ID)
			if err != nil {
				return err
			}
			token, err := p.Redeem(ctx, code)
			if err != nil {
				return err
			}
			mine, err := p.Mine(ctx, token)
			if err != nil {
				return err
			}
			consent := r.IntN(100) >= 4
			if !consent {
				rep.Declined++
			}
			if _, err := p.Answer(ctx, token, consent, mine.Placement.Version); err != nil {
				return err
			}
			if !consent {
				return nil
			}
			// The lender records the injury cover.
			if _, err := p.Cover(ctx, system, m.ID, pl.ID, fmt.Sprintf("GS330206-%s-%04d", pl.From[:4], pl.ID), pl.To); err != nil {
				return err
			}
			// Started on the first day of the loan, after the training.
			first, _ := time.ParseInLocation("2006-01-02", pl.From, calendar.Shanghai)
			add(first.Add(9*time.Hour+time.Duration(r.IntN(40))*time.Minute), func(ctx context.Context) error {
				return playPlacement(ctx, p, system, m.ID, pl.ID, token, r, rep, add, now)
			})
			return nil
		})
	}
	// Both e-seal; the borrower trains on the first day at half past eight.
	sealAt := chosenAt.Add(time.Duration(180+r.IntN(300)) * time.Minute)
	add(sealAt, func(ctx context.Context) error {
		for _, party := range []string{"lender", "borrower"} {
			if _, err := p.AddSeal(ctx, system, m.ID, party, Seal{Kind: "eseal", Reference: fmt.Sprintf("ESEAL-%d-%s", m.ID, party)}); err != nil {
				if fault.Is(err, fault.Conflict) {
					return nil // every worker declined: the loan ended
				}
				return err
			}
		}
		return nil
	})
	first, _ := time.ParseInLocation("2006-01-02", m.Need.From, calendar.Shanghai)
	trainAt := first.Add(8*time.Hour + 30*time.Minute)
	if chosenAt.After(trainAt) {
		trainAt = chosenAt.Add(8 * time.Hour)
	}
	add(trainAt, func(ctx context.Context) error {
		cur, err := p.Loan(ctx, system, m.ID)
		if err != nil || cur.State == pool.MatchEnded || cur.State == pool.MatchCancelled {
			return err
		}
		_, err = p.Train(ctx, system, m.ID, poolTrainingNotes[r.IntN(len(poolTrainingNotes))], cur.Version)
		return err
	})
	// The monthly sheets, on the third of the next month, and the ratings after the end.
	end, _ := time.ParseInLocation("2006-01-02", m.Need.To, calendar.Shanghai)
	for month := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, calendar.Shanghai); !month.After(end); month = month.AddDate(0, 1, 0) {
		label := month.Format("2006-01")
		add(month.AddDate(0, 1, 2).Add(10*time.Hour), func(ctx context.Context) error {
			sh, err := p.MakeSheet(ctx, system, m.ID, label)
			if fault.Is(err, fault.Invalid) || fault.Is(err, fault.Conflict) {
				return nil // nobody worked that month
			}
			if err != nil {
				return err
			}
			rep.Sheets++
			if sh, err = p.ConfirmSheet(ctx, system, m.ID, label, "borrower", nil, sh.Version); err != nil {
				return err
			}
			var paid []Payment
			for _, l := range sh.Lines {
				paid = append(paid, Payment{PlacementID: l.PlacementID, Paid: l.Amount})
			}
			_, err = p.ConfirmSheet(ctx, system, m.ID, label, "lender", paid, sh.Version)
			return err
		})
	}
	add(end.Add(48*time.Hour), func(ctx context.Context) error {
		cur, err := p.Loan(ctx, system, m.ID)
		if err != nil || cur.State != pool.MatchEnded {
			return err
		}
		for _, party := range []string{"lender", "borrower"} {
			if r.IntN(10) < 8 {
				if err := p.Rate(ctx, system, m.ID, party, 4+r.IntN(2), ""); err != nil && !fault.Is(err, fault.Conflict) {
					return err
				}
			}
		}
		return nil
	})
	return nil
}

// playPlacement starts a worker, records the attendance week by week and
// returns the worker at the end (or early).
func playPlacement(ctx context.Context, p *Store, system access.Actor, loanID, placementID int64, token string, r *rand.Rand, rep *PoolReport,
	add func(time.Time, func(context.Context) error), now time.Time) error {
	m, err := p.Loan(ctx, system, loanID)
	if err != nil {
		return err
	}
	var pl pool.Placement
	for _, x := range m.Placements {
		if x.ID == placementID {
			pl = x
		}
	}
	if pl.State != pool.PlaceConsented {
		return nil
	}
	if !m.Sealed() || m.TrainedAt.IsZero() {
		// Not ready yet: the borrower tries again in two hours, within the period.
		if next := p.Now().Add(2 * time.Hour); next.In(calendar.Shanghai).Format("2006-01-02") <= pl.To {
			add(next, func(ctx context.Context) error {
				return playPlacement(ctx, p, system, loanID, placementID, token, r, rep, add, now)
			})
		}
		return nil
	}
	if _, err := p.Start(ctx, system, loanID, placementID, pl.Version); err != nil {
		return err
	}
	rep.Started++
	from, _ := time.ParseInLocation("2006-01-02", pl.From, calendar.Shanghai)
	to, _ := time.ParseInLocation("2006-01-02", pl.To, calendar.Shanghai)
	early := r.IntN(100) < 6
	if early {
		to = from.AddDate(0, 0, 5+r.IntN(10))
	}
	if r.IntN(100) < 3 {
		add(from.AddDate(0, 0, 3).Add(21*time.Hour), func(ctx context.Context) error {
			_, err := p.Complain(ctx, token, poolComplaints[r.IntN(len(poolComplaints))])
			return err
		})
	}
	// Attendance each Saturday evening for the week (Sundays off), and on the last day.
	var week []string
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Sunday && r.IntN(100) < 97 {
			week = append(week, d.Format("2006-01-02"))
		}
		if d.Weekday() == time.Saturday || d.Equal(to) {
			days := week
			week = nil
			if len(days) > 0 {
				add(d.Add(19*time.Hour), func(ctx context.Context) error {
					_, err := p.Attend(ctx, system, loanID, placementID, days)
					return err
				})
			}
		}
	}
	add(to.Add(18*time.Hour+30*time.Minute), func(ctx context.Context) error {
		cur, err := p.Loan(ctx, system, loanID)
		if err != nil {
			return err
		}
		for _, x := range cur.Placements {
			if x.ID == placementID && x.State == pool.PlaceOnSite {
				reason := ""
				if early {
					reason = poolEarly[r.IntN(len(poolEarly))]
					rep.Early++
				}
				_, err := p.End(ctx, system, loanID, placementID, early, reason, x.Version)
				if err != nil {
					return err
				}
				if r.IntN(10) < 6 {
					_, err = p.RateByWorker(ctx, token, 4+r.IntN(2), "")
				}
				return err
			}
		}
		return nil
	})
	return nil
}
