package policydb

import (
	"container/heap"
	"fmt"
	"slices"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// The demo's weeks after publication: applications, 免申即享 confirmations, notices, requests.

// demoEvent is one step of the weeks after publication, at a time; seq
// keeps the order of steps planned for the same time.
type demoEvent struct {
	at  time.Time
	seq int
	do  func() error
}

type demoQueue []demoEvent

func (q demoQueue) Len() int { return len(q) }
func (q demoQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q demoQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *demoQueue) Push(x any)   { *q = append(*q, x.(demoEvent)) }
func (q *demoQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// add plans a step, if it falls before now.
func (p *demoPlay) add(at time.Time, do func() error) {
	if at.Before(p.now) {
		p.seq++
		heap.Push(&p.queue, demoEvent{at: at, seq: p.seq, do: do})
	}
}

// demoStep is a step of an application's fate, days before now.
type demoStep struct {
	action string
	days   int
}

// demoFates are the ways an application goes.
var demoFates = map[string][]demoStep{
	"submitted":       {{"apply", 2}},
	"overdue":         {{"apply", 17}},
	"more":            {{"apply", 12}, {"ask_more", 9}},
	"resubmit":        {{"apply", 26}, {"ask_more", 23}, {"resubmit", 21}, {"approve", 15}, {"pay", 9}},
	"approved":        {{"apply", 20}, {"approve", 8}},
	"paid":            {{"apply", 28}, {"approve", 19}, {"pay", 13}},
	"refused":         {{"apply", 22}, {"refuse", 14}},
	"clawback":        {{"apply", 29}, {"approve", 24}, {"pay", 20}, {"claw_back", 4}},
	"withdrawn":       {{"apply", 10}, {"withdraw", 8}},
	"handed":          {{"apply", 18}, {"hand_over", 16}},
	"handed-approved": {{"apply", 27}, {"hand_over", 25}, {"approve", 10}},
}

// The words of the demo's claims.
var (
	demoBanks  = []string{"宁波银行北仑支行", "中国工商银行宁波北仑支行", "中国农业银行宁波北仑支行", "宁波农商银行小港支行", "中国建设银行宁波经济技术开发区支行", "浙商银行宁波分行"}
	demoMore   = []string{"请补充“%s”的盖章扫描件，上传件与申报金额不一致", "上传的“%s”不清晰，请重新扫描后上传", "请补充“%s”，并加盖企业公章"}
	demoRefuse = []string{"经核查，该企业上年度存在欠缴社会保险费情况，不符合申报条件", "申报项目已享受同类财政补助，根据就高不重复原则不予支持",
		"申报材料中的发票开具日期不在政策支持期内"}
	demoClawBack = "经审计抽查，申报材料与实际情况不符，按规定追回多拨付的资金"
	demoObject   = "公示期间收到实名反映，该企业存在拖欠职工工资问题，经核实暂缓兑现"
)

// demoClaim is an application being played.
type demoClaim struct {
	b  policy.Benefit
	c  policy.Claim
	by access.Actor // the enterprise's side
}

// pool is the enterprises qualifying for a benefit, in a shuffled order, to
// apply from.
func (p *demoPlay) pool(b policy.Benefit) ([]int64, error) {
	ids, err := store.Collect(p.ctx, p.s.engine.Reader(), store.Int64,
		"SELECT enterprise_id FROM policy_pushes WHERE benefit_id = ? AND verdict = 'met' ORDER BY enterprise_id", b.ID)
	if err != nil {
		return nil, err
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { return id == p.showcase })
	p.r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids, nil
}

func (p *demoPlay) materials(b policy.Benefit, again bool) []policy.Material {
	out := make([]policy.Material, len(b.Materials))
	for i, m := range b.Materials {
		out[i] = policy.Material{Name: m, Given: "见附件：" + m + ".pdf"}
		if again {
			out[i].Given = "已重新上传：" + m + "（加盖公章扫描件）.pdf"
		}
	}
	return out
}

// reviewer is the granting department of a benefit.
func (p *demoPlay) reviewer(b policy.Benefit) (access.Actor, error) {
	return p.as("dept_" + p.grants[b.ID])
}

// planApply plans an application's fate: each step at its day, after the
// one before.
func (p *demoPlay) planApply(b policy.Benefit, pool *[]int64, fate string, shift int, who int64) {
	cl := &demoClaim{b: b}
	prev := b.PublishedAt
	steps := demoFates[fate]
	if fate == "overdue" {
		// applied long enough ago that the review limit has passed
		n := 11
		for n < 40 && !p.cal.AddDays(p.day(n, 12, 0), b.ReviewDays).Before(p.now.Add(-24*time.Hour)) {
			n++
		}
		steps, shift = []demoStep{{"apply", n}}, 0
	}
	for _, st := range steps {
		hour := 9 + p.r.IntN(3)
		if st.action != "apply" && st.action != "resubmit" && st.action != "withdraw" {
			hour = 14 + p.r.IntN(3)
		}
		at := p.day(st.days+shift, hour, p.r.IntN(60))
		if !at.After(prev) {
			at = prev.Add(time.Duration(40+p.r.IntN(80)) * time.Minute)
		}
		if !at.Before(p.now) {
			return
		}
		prev = at
		p.add(at, func() error { return p.applyStep(cl, st.action, pool, who) })
	}
}

// applyStep takes a step of an application.
func (p *demoPlay) applyStep(cl *demoClaim, action string, pool *[]int64, who int64) error {
	ctx, b := p.ctx, cl.b
	if action == "apply" {
		for tries := 0; tries < 30; tries++ {
			id := who
			who = 0
			if id == 0 {
				if len(*pool) == 0 {
					return nil
				}
				id, *pool = (*pool)[0], (*pool)[1:]
			}
			a, err := p.onBehalf(id)
			if err != nil {
				return err
			}
			c, err := p.s.Apply(ctx, a, b.ID, id, p.materials(b, false))
			if fault.Is(err, fault.Invalid) || fault.Is(err, fault.Conflict) {
				continue // does not qualify now, or holds another of the group
			}
			if err != nil {
				return fmt.Errorf("apply for %s: %w", b.Title, err)
			}
			cl.c, cl.by = c, a
			return nil
		}
		return nil
	}
	if cl.c.ID == 0 {
		return nil // nobody applied
	}
	dept, err := p.reviewer(b)
	if err != nil {
		return err
	}
	by, st := dept, Step{Action: action}
	switch action {
	case "resubmit":
		by, st.Materials = cl.by, p.materials(b, true)
	case "withdraw":
		by = cl.by
	case "ask_more":
		st.Note = fmt.Sprintf(demoMore[p.r.IntN(len(demoMore))], b.Materials[0])
	case "refuse":
		st.Note = demoRefuse[p.r.IntN(len(demoRefuse))]
	case "hand_over":
		st.Ref = fmt.Sprintf("ZJHQ%s%06d", p.last.In(calendar.Shanghai).Format("20060102"), 100000+cl.c.ID*37%900000)
	case "approve":
		if cl.c.State == policy.Handed {
			st.Granted = max(100, cl.c.Amount*int64(50+p.r.IntN(50))/100/100*100)
			st.Note, st.Ref = "浙江省惠企政策直达平台审核通过，按实际展位费的 50% 核定", cl.c.PlatformRef
		}
	case "claw_back":
		st.ClawBack, st.Note = max(100, cl.c.Granted/2/100*100), demoClawBack
	}
	c, err := p.s.Act(ctx, by, cl.c.ID, cl.c.Version, st)
	if err != nil {
		return fmt.Errorf("%s %s of %s: %w", action, b.Title, cl.c.Enterprise, err)
	}
	cl.c = c
	return nil
}

// matched are the 免申即享 claims awaiting the enterprises, in a shuffled
// order, the showcase enterprise's first.
func (p *demoPlay) matched(b policy.Benefit) ([][2]int64, error) {
	rows, err := store.Collect(p.ctx, p.s.engine.Reader(), func(sc store.Scanner) ([2]int64, error) {
		var r [2]int64
		return r, sc.Scan(&r[0], &r[1])
	}, "SELECT id, enterprise_id FROM policy_claims WHERE benefit_id = ? AND state = 'matched' ORDER BY id", b.ID)
	if err != nil {
		return nil, err
	}
	p.r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	slices.SortStableFunc(rows, func(a, b [2]int64) int {
		switch {
		case a[1] == p.showcase:
			return -1
		case b[1] == p.showcase:
			return 1
		}
		return 0
	})
	return rows, nil
}

// planConfirm plans the enterprises' answers to 免申即享 matches: confirmed
// with a bank account from days from to days to, the last `declines` declined.
func (p *demoPlay) planConfirm(b policy.Benefit, claims [][2]int64, from, to, declines int) {
	n := len(claims)
	for i, row := range claims {
		days := from - (from-to)*i/max(1, n-1)
		at := p.day(days, 9+p.r.IntN(8), p.r.IntN(60))
		if !at.After(b.PublishedAt) {
			at = b.PublishedAt.Add(time.Hour)
		}
		decline := i >= n-declines
		bank, acct := demoBanks[p.r.IntN(len(demoBanks))], fmt.Sprintf("6230%012d", p.r.Int64N(1_000_000_000_000))
		p.add(at, func() error {
			a, err := p.onBehalf(row[1])
			if err != nil {
				return err
			}
			c, err := p.s.Claim(p.ctx, a, row[0])
			if err != nil {
				return err
			}
			if c.State != policy.Matched {
				return nil
			}
			if decline {
				_, err = p.s.Act(p.ctx, a, c.ID, c.Version, Step{Action: "decline", Note: "企业已通过其他渠道享受同类政策"})
			} else {
				_, err = p.s.Confirm(p.ctx, a, c.ID, c.Version, bank, acct)
			}
			if fault.Is(err, fault.Invalid) {
				return nil // the window closed, or the group is held
			}
			return err
		})
	}
}

// planNotice plans a public notice of a benefit's confirmed claims at, and
// its approval and payment after the notice period, as far as now allows;
// object objects to one enterprise on it the day before now.
func (p *demoPlay) planNotice(b policy.Benefit, at time.Time, object bool) {
	p.planNoticeThen(b, at, object, true)
}

// planNoticeThen is planNotice; approve false leaves a notice whose period
// ended for the department to approve (its to-do).
func (p *demoPlay) planNoticeThen(b policy.Benefit, at time.Time, object, approve bool) {
	p.add(at, func() error {
		dept, err := p.reviewer(b)
		if err != nil {
			return err
		}
		n, err := p.s.CreateNotice(p.ctx, dept, b.ID)
		if fault.Is(err, fault.Invalid) {
			return nil // nobody confirmed
		}
		if err != nil {
			return err
		}
		p.rep.Notices++
		if object {
			p.add(p.day(1, 11, 20), func() error {
				list, _, err := p.s.Claims(p.ctx, dept, ClaimQuery{NoticeID: n.ID, State: policy.Noticed, Page: store.Page{Size: 1}})
				if err != nil || len(list) == 0 {
					return err
				}
				_, err = p.s.Act(p.ctx, dept, list[0].ID, list[0].Version, Step{Action: "object", Note: demoObject})
				return err
			})
		}
		if !approve {
			return nil
		}
		closes, err := time.ParseInLocation(time.DateOnly, n.Closes, calendar.Shanghai)
		if err != nil {
			return err
		}
		approve := closes.AddDate(0, 0, 1)
		for i := 0; i < 15 && !p.cal.IsWorkday(approve.Add(12*time.Hour)); i++ {
			approve = approve.AddDate(0, 0, 1)
		}
		approve = approve.Add(10 * time.Hour)
		p.add(approve, func() error {
			if _, err := p.s.ApproveNotice(p.ctx, dept, n.ID); err != nil {
				return fmt.Errorf("approve notice of %s: %w", b.Title, err)
			}
			p.add(p.cal.AddDays(approve, 2).Add(-time.Hour), func() error {
				_, err := p.s.PayAll(p.ctx, dept, b.ID)
				return err
			})
			return nil
		})
		return nil
	})
}

// claims plays the weeks after publication.
func (p *demoPlay) claims() error {
	order := []string{}
	for _, pol := range p.specs() {
		for _, bs := range pol.benefits {
			order = append(order, bs.key)
			b, ok := p.benefits[bs.key]
			if !ok || b.Mode != policy.Apply {
				continue
			}
			pool, err := p.pool(b)
			if err != nil {
				return err
			}
			for i, fate := range bs.fates {
				who := int64(0)
				if i == 0 && bs.showcase {
					who = p.showcase
				}
				p.planApply(b, &pool, fate, i%3, who)
			}
		}
	}
	// 免申即享: 稳岗返还 confirmed, noticed, approved and paid; more confirmed since.
	auto := map[string][][2]int64{}
	for _, key := range order {
		if b, ok := p.benefits[key]; ok && b.Mode == policy.Auto {
			rows, err := p.matched(b)
			if err != nil {
				return err
			}
			auto[key] = rows
		}
	}
	take := func(key string, n int) [][2]int64 {
		rows := auto[key]
		n = min(n, len(rows))
		auto[key] = rows[n:]
		return rows[:n]
	}
	if b, ok := p.benefits["job_refund"]; ok {
		p.planConfirm(b, take("job_refund", 13), 30, 24, 1)
		p.planNotice(b, p.day(22, 15, 30), false)
		p.planConfirm(b, take("job_refund", 4), 6, 2, 0)
	}
	if b, ok := p.benefits["ss_relief"]; ok {
		p.planConfirm(b, take("ss_relief", 10), 9, 5, 0)
		p.planNotice(b, p.day(3, 16, 0), true)
	}
	if b, ok := p.benefits["ss_half"]; ok {
		p.planConfirm(b, take("ss_half", 2), 7, 6, 0)
	}
	if b, ok := p.benefits["rent"]; ok {
		p.planConfirm(b, take("rent", 5), 20, 15, 1)
	}
	if b, ok := p.benefits["vat"]; ok {
		// confirmed, noticed, the notice over: the tax bureau's to approve
		p.planConfirm(b, take("vat", 4), 14, 11, 1)
		p.planNoticeThen(b, p.day(10, 10, 0), false, false)
	}
	if err := p.planRequests(); err != nil {
		return err
	}
	// The showcase enterprise opens its check-up: what it was told is read.
	p.add(p.day(1, 17, 5), func() error {
		a, err := p.onBehalf(p.showcase)
		if err != nil {
			return err
		}
		_, err = p.s.CheckUp(p.ctx, a, p.showcase)
		return err
	})
	for p.queue.Len() > 0 {
		e := heap.Pop(&p.queue).(demoEvent)
		p.set(e.at)
		if err := e.do(); err != nil {
			return err
		}
	}
	return nil
}

// planRequests plans the enterprises' requests for resources: the
// showcase enterprise's, and those of enterprises that reported a
// bottleneck, made by their grid workers; the science bureau answers the
// older ones.
func (p *demoPlay) planRequests() error {
	var who []int64
	for id := range p.needs {
		if !p.banned[id] {
			who = append(who, id)
		}
	}
	slices.Sort(who)
	p.r.Shuffle(len(who), func(i, j int) { who[i], who[j] = who[j], who[i] })
	who = append([]int64{p.showcase}, who[:min(5, len(who))]...)
	days := []int{20, 16, 12, 8, 5, 2}
	answers := []string{"已联系%s%s，将于下周安排工程师上门对接，请保持电话畅通。", "%s已受理，%s将在 3 个工作日内与企业联系，确定检测方案和费用。",
		"已转%s，由%s牵头组织专家上门诊断。"}
	for i, id := range who {
		if i >= len(days) {
			break
		}
		at := p.day(days[i], 10, 15+p.r.IntN(40))
		answer := i < 4
		p.add(at, func() error {
			a, err := p.onBehalf(id)
			if err != nil {
				return err
			}
			m, err := p.s.Recommend(p.ctx, a, id, 3)
			if err != nil {
				return err
			}
			var res policy.Resource
			if len(m) > 0 {
				res = m[p.r.IntN(len(m))].Resource // one of the three that fit best
			} else if list, _, err := p.s.Resources(p.ctx, ResourceQuery{Page: store.Page{Size: 1}}); err != nil || len(list) == 0 {
				return err
			} else {
				res = list[0]
			}
			body := "希望预约使用" + res.Name + "，请帮助对接服务方，说明收费标准和排期。"
			if need := p.needs[id]; need != "" {
				body = "我司在“" + need + "”方面遇到技术难题，希望对接" + res.Name + "，请安排专家上门诊断。"
			}
			q, err := p.s.RequestResource(p.ctx, a, res.ID, id, body)
			if err != nil {
				return err
			}
			p.rep.Requests++
			if answer {
				p.add(p.cal.AddDays(p.last, 2), func() error {
					sci, err := p.as("dept_sci")
					if err != nil {
						return err
					}
					text := fmt.Sprintf(answers[i%len(answers)], res.Provider, res.Contact)
					if _, err := p.s.Answer(p.ctx, sci, q.ID, q.Version, text); err != nil {
						return err
					}
					p.rep.Answered++
					return nil
				})
			}
			return nil
		})
	}
	return nil
}

// figures moves the clock to now, marks every enterprise evaluated, and
// counts the claims.
func (p *demoPlay) figures() error {
	p.last = p.now.Add(-time.Second)
	p.set(p.now)
	if err := p.s.CatchUp(p.ctx); err != nil {
		return err
	}
	rows, err := p.s.engine.Reader().Query(p.ctx, "SELECT state, COUNT(*) FROM policy_claims GROUP BY state")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return err
		}
		p.rep.Claims[state] = n
	}
	return rows.Err()
}
