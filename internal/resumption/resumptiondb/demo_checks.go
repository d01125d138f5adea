package resumptiondb

// The demo's on-site checks and findings, the daily reports day by day,
// the suppliers resolved and the electricity file of 2020.

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/resumption"
	"qifu/internal/store"
)

// checkPlan is an on-site check and what follows from its findings.
type checkPlan struct {
	pl       *crisisPlan
	day      int
	dept     bool
	results  map[string]resumption.Result
	findings []FindingInput
	close    []int // the day each finding is closed after a re-check, -1 left open
	notes    []string
	out      []Finding
}

// checks plans the grid workers' advisory visits to those whose checklist
// says an item is not in place (and a few others), and the health
// bureau's inspections of large plants; each finding is closed after a
// re-check on its deadline, but for one improvement and two
// rectifications left overdue. It answers how many it leaves open.
func (p *resumePlay) checks(tl timeline, plans []*crisisPlan) int {
	var list []*checkPlan
	open := 0
	for _, pl := range plans {
		if pl.fill < 0 || pl.e.ID == p.lead || len(pl.notDone) == 0 && p.r.IntN(100) > 0 {
			continue
		}
		c := &checkPlan{pl: pl, day: pl.fill + 1 + p.r.IntN(2), results: map[string]resumption.Result{}}
		if c.day > 20 {
			continue
		}
		for k, a := range pl.answers {
			c.results[k] = resumption.Result(a.Value())
		}
		for _, key := range pl.notDone {
			deadline := c.day + 3 + p.r.IntN(3)
			c.findings = append(c.findings, FindingInput{Kind: resumption.Improvement, ItemKey: key, Note: demoAdvice[key][0],
				Deadline: crisisDay(deadline), Consent: true})
			closed := deadline
			if open == 0 && deadline < demoEscal-2 {
				closed = -1
				open++
			}
			c.close, c.notes = append(c.close, closed), append(c.notes, demoAdvice[key][1])
		}
		list = append(list, c)
	}
	// The health bureau inspects some of the large plants.
	var large []*crisisPlan
	for _, pl := range plans {
		if !pl.silent && pl.e.Employees >= demoThreshold && pl.e.ID != p.lead {
			large = append(large, pl)
		}
	}
	slices.SortStableFunc(large, func(a, b *crisisPlan) int { return cmp.Compare(b.e.Employees, a.e.Employees) })
	want := max(4, min(12, len(plans)/150))
	large = large[:min(len(large), 3*want)]
	p.r.Shuffle(len(large), func(a, b int) { large[a], large[b] = large[b], large[a] })
	large = large[:min(len(large), want)]
	overdue := 0
	for _, pl := range large {
		c := &checkPlan{pl: pl, dept: true, day: 3 + p.r.IntN(10), results: map[string]resumption.Result{}}
		for _, it := range resumption.Prevention.Items() {
			c.results[it.Key] = resumption.Done
		}
		keys := slices.Clone(demoOrderKeys)
		p.r.Shuffle(len(keys), func(a, b int) { keys[a], keys[b] = keys[b], keys[a] })
		for _, key := range keys[:1+p.r.IntN(2)] {
			c.results[key] = resumption.NotDone
			deadline := c.day + 3 + p.r.IntN(4)
			c.findings = append(c.findings, FindingInput{Kind: resumption.Rectification, ItemKey: key, Note: demoOrders[key],
				Basis: demoBasis, Deadline: crisisDay(deadline)})
			closed := deadline
			if overdue < min(2, len(large)-1) {
				closed = -1
				overdue++
			}
			c.close, c.notes = append(c.close, closed), append(c.notes, demoRectified)
		}
		list = append(list, c)
	}
	for _, c := range list {
		who := p.checker(c.pl.e)
		if c.dept {
			who = p.health
			p.rep.Inspections++
			p.rep.Rectifications += len(c.findings)
		} else {
			p.rep.Checks++
			p.rep.Improvements += len(c.findings)
		}
		tl.add(crisisAt(c.day, 10, 0), "check "+c.pl.e.Name, func() error {
			a, err := p.as(who)
			if err != nil {
				return err
			}
			_, out, err := p.s.RecordCheck(p.ctx, a, CheckInput{EnterpriseID: c.pl.e.ID, CampaignID: p.checklist,
				Checklist: resumption.Prevention.Key, Results: c.results, Findings: c.findings})
			if err == nil && len(out) != len(c.findings) {
				err = fmt.Errorf("%d findings recorded, want %d", len(out), len(c.findings))
			}
			c.out = out
			return err
		})
		for i, day := range c.close {
			if day < 0 {
				p.rep.Overdue++
				continue
			}
			p.rep.Closed++
			tl.add(crisisAt(day, 10, 30), "close a finding of "+c.pl.e.Name, func() error {
				a, err := p.as(who)
				if err != nil {
					return err
				}
				_, err = p.s.CloseFinding(p.ctx, a, c.out[i].ID, c.out[i].Version, c.notes[i])
				return err
			})
		}
	}
	return open + overdue
}

// reports plans the daily campaign: started on the day of the restart
// order, its reports wave by wave, the suppliers' hold-ups resolved by
// their grid workers on the morning they restart.
func (p *resumePlay) reports(tl timeline, plans []*crisisPlan, command access.Actor) {
	tl.add(crisisAt(demoOrder, 8, 0), "start the daily reports", func() error {
		c, err := p.s.Start(p.ctx, command, Input{Kind: KindMonitoring, Title: demoTitles[1], Due: crisisDay(demoOrder + demoDays),
			Audience: p.audience, Schedule: resumption.Daily, RetainUntil: demoRetain})
		if err != nil {
			return err
		}
		if c.Members != len(plans) {
			return fmt.Errorf("the daily reports' list has %d enterprises, the checklist's %d", c.Members, len(plans))
		}
		p.daily = c.ID
		return nil
	})
	p.rep.Days = demoDays
	for _, pl := range plans {
		for _, dr := range pl.reports {
			p.rep.Reports++
			if dr.noChange {
				p.rep.NoChange++
			}
			w := reportWaves[dr.wave]
			tl.add(crisisAt(demoOrder+dr.day, w[0], w[1]), "report of "+pl.e.Name, func() error {
				a, err := p.as(pl.who)
				if err != nil {
					return err
				}
				_, replayed, err := p.s.SubmitReport(p.ctx, a, ReportInput{CampaignID: p.daily, EnterpriseID: pl.e.ID, Report: dr.report,
					Difficulties: dr.difficulties, NoChange: dr.noChange})
				if err == nil && replayed {
					err = fmt.Errorf("reported twice on day %d", dr.day)
				}
				return err
			})
		}
	}
	for _, pl := range plans {
		if !slices.Contains(p.suppliers, pl.e.ID) {
			continue
		}
		p.rep.Blocks++
		p.rep.Resolved++
		tl.add(crisisAt(demoOrder+pl.resume, 11, 30), "resolve the hold-up by "+pl.e.Name, func() error {
			return p.resolve(p.daily, pl.e, p.lead, demoUnblocked)
		})
	}
}

// resolve: the supplier's grid worker records what was done about the
// lead firm's hold-up.
func (p *resumePlay) resolve(campaignID int64, sup enterprise.Enterprise, lead int64, answer string) error {
	a, err := p.as(p.checker(sup))
	if err != nil {
		return err
	}
	blocks, _, err := p.s.Blocks(p.ctx, a, BlockQuery{CampaignID: campaignID, State: "open", Page: store.Page{Size: store.MaxPageSize}})
	if err != nil {
		return err
	}
	i := slices.IndexFunc(blocks, func(b Block) bool { return b.SupplierID == sup.ID && b.LeadID == lead })
	if i < 0 {
		return fmt.Errorf("no open hold-up by %s", sup.Name)
	}
	_, err = p.s.ResolveBlock(p.ctx, a, blocks[i].ID, blocks[i].Version, answer)
	return err
}

// powerRows are an enterprise's use of a month, ratio times the same month
// a year before.
func (p *resumePlay) powerRows(e enterprise.Enterprise, month string, ratio float64) []PowerRow {
	base := max(1000, int64(float64(e.Revenue)/12*(0.03+0.09*p.r.Float64())))
	return []PowerRow{{CreditCode: e.CreditCode, Month: lastYear(month), KWh: base},
		{CreditCode: e.CreditCode, Month: month, KWh: int64(float64(base) * ratio)}}
}

// powerFile plays the power company's file on the timeline: imported by
// the command at at, it must flag exactly the planted enterprises'
// reports; their grid workers check all but the last two at checkAt. It
// answers how many are checked.
func (p *resumePlay) powerFile(tl timeline, campaignID int64, rows []PowerRow, planted []int64, at, checkAt time.Time, out *PowerResult) int {
	tl.add(at, "the power company's file", func() error {
		command, err := p.as(p.command)
		if err != nil {
			return err
		}
		res, err := p.s.ImportPower(p.ctx, command, rows)
		if err != nil {
			return err
		}
		if len(res.Errors) > 0 {
			return fmt.Errorf("%d rows refused, the first %d: %s", len(res.Errors), res.Errors[0].Row, res.Errors[0].Message.En)
		}
		if res.Flagged != len(planted) {
			return fmt.Errorf("%d reports flagged, want %d", res.Flagged, len(planted))
		}
		*out = res
		return nil
	})
	checked := planted[:max(0, len(planted)-2)]
	for j, id := range checked {
		e := p.ents[id]
		tl.add(checkAt, "check the flag of "+e.Name, func() error {
			a, err := p.as(p.checker(e))
			if err != nil {
				return err
			}
			flags, _, err := p.s.Flags(p.ctx, a, FlagQuery{CampaignID: campaignID, State: "open", Page: store.Page{Size: store.MaxPageSize}})
			if err != nil {
				return err
			}
			i := slices.IndexFunc(flags, func(f Flag) bool { return f.EnterpriseID == id })
			if i < 0 {
				return fmt.Errorf("%s not flagged", e.Name)
			}
			f := flags[i]
			answers := demoFlagAnswer[f.Mismatch]
			if len(answers) == 0 {
				return fmt.Errorf("flag %d is %q", f.ID, f.Mismatch)
			}
			_, err = p.s.CheckFlag(p.ctx, a, f.ID, f.Version, answers[j%len(answers)])
			return err
		})
	}
	return len(checked)
}

// power2020 plans the power company's file of February 2019 and 2020,
// imported in March: four plants back at work use far less than the year
// before, two that stayed closed as much; grid workers check four of the
// six the next day.
func (p *resumePlay) power2020(tl timeline, plans []*crisisPlan, out *PowerResult) {
	var idle, busy []int64
	var rows []PowerRow
	for _, pl := range plans {
		ratio := 0.02 + 0.2*p.r.Float64()
		special := pl.e.ID == p.lead || slices.Contains(p.suppliers, pl.e.ID)
		switch {
		case pl.resume >= 0 && pl.resume <= 10 && !special && len(idle) < 4 && p.r.IntN(20) == 0:
			ratio = 0.08 + 0.14*p.r.Float64()
			idle = append(idle, pl.e.ID)
		case pl.resume >= 0:
			ratio = 0.38 + 0.5*p.r.Float64()
		case !pl.silent && len(busy) < 2 && p.r.IntN(3) == 0:
			ratio = 0.75 + 0.15*p.r.Float64()
			busy = append(busy, pl.e.ID)
		}
		rows = append(rows, p.powerRows(pl.e, "2020-02", ratio)...)
	}
	// The idle and the busy by turns, the last two left open.
	var planted []int64
	for i := range max(len(idle), len(busy)) {
		if i < len(idle) {
			planted = append(planted, idle[i])
		}
		if i < len(busy) {
			planted = append(planted, busy[i])
		}
	}
	p.rep.FlagsChecked = p.powerFile(tl, p.daily, rows, planted, crisisAt(demoPower, 10, 0), crisisAt(demoPower+1, 10, 0), out)
}
