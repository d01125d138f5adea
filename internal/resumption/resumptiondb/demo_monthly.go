package resumptiondb

// The demo's current monthly monitoring campaign, and the erasure of the
// crisis's health counts past their retention day.

import (
	"fmt"
	"math"
	"slices"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/resumption"
)

// nowPlan is one enterprise's part in today's monthly monitoring.
type nowPlan struct {
	e                enterprise.Enterprise
	who              string
	silent, stopped  bool
	prev, cur        *resumption.Report
	prevAt, curAt    time.Time
	noChange         bool
	prevDiff, curDif string
}

// monthly plays today's monthly monitoring, started on the first working
// day of last month.
func (p *resumePlay) monthly() error {
	command, err := p.as(p.command)
	if err != nil {
		return err
	}
	local := p.now.In(calendar.Shanghai)
	month := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, calendar.Shanghai)
	first := p.workday(month.AddDate(0, -1, 0))
	start := first.Add(9*time.Hour + 30*time.Minute)
	p.set(start)
	c, err := p.s.Start(p.ctx, command, Input{Kind: KindMonitoring, Title: demoTitles[2],
		Due: p.workday(first.AddDate(0, 0, 9)).Format(time.DateOnly), Audience: p.audience, Schedule: resumption.Monthly})
	if err != nil {
		return fmt.Errorf("start the monthly monitoring: %w", err)
	}
	list, err := p.members(c.ID)
	if err != nil {
		return err
	}
	// Last month's reports come over its first two weeks; this month's
	// from its first morning up to now, if there has been time.
	prevFrom := start.Add(30 * time.Minute)
	prevTo := minTime(first.AddDate(0, 0, 14).Add(18*time.Hour), month.Add(-2*time.Hour), p.now.Add(-2*time.Hour))
	curFrom := month.Add(8 * time.Hour)
	if curFrom.After(p.now.Add(-10 * time.Minute)) {
		curFrom = month.Add(time.Minute)
	}
	curTo := minTime(month.AddDate(0, 0, 9).Add(18*time.Hour), p.now.Add(-5*time.Minute))
	hasCur := curTo.After(curFrom)
	slot := func(from, to time.Time) time.Time {
		// Ten moments a window, the earlier the busier.
		k := int(math.Floor(10 * math.Pow(p.r.Float64(), 1.6)))
		return from.Add(to.Sub(from) * time.Duration(k) / 10).Truncate(time.Minute)
	}
	plans := make([]*nowPlan, len(list))
	silent := max(1, int(math.Round(0.02*float64(len(list)))))
	stopped := max(1, len(list)*3/200)
	for j, i := range p.r.Perm(len(list)) {
		plans[i] = &nowPlan{e: list[i], who: p.onBehalf(list[i]), silent: j < silent, stopped: j >= silent && j < silent+stopped}
	}
	for _, pl := range plans {
		if pl.silent {
			continue
		}
		emp := pl.e.Employees
		since := p.since[pl.e.ID]
		if since == "" {
			since = crisisDay(demoClosing - 4)
		}
		r := resumption.Report{Resumed: true, Since: since, OutputShare: 100 * (70 + p.r.IntN(46)), Workers: emp,
			OnSite: int(math.Round(float64(emp) * (0.85 + 0.15*p.r.Float64()))), Orders: demoNowOrders[p.r.IntN(len(demoNowOrders))]}
		if p.r.IntN(10) < 3 {
			r.Returned, r.Planning = p.r.IntN(3), min(emp-r.OnSite, p.r.IntN(2))
		}
		if pl.stopped {
			r = resumption.Report{Workers: emp, OnSite: min(emp, 2)}
			pl.prevDiff = demoNowStopped[p.r.IntN(len(demoNowStopped))]
		}
		pl.prev, pl.prevAt = &r, slot(prevFrom, prevTo)
		if !hasCur || p.r.IntN(10) == 0 {
			continue
		}
		pl.curAt = slot(curFrom, curTo)
		if pl.stopped || p.r.IntN(100) < 65 {
			pl.noChange = true
			continue
		}
		cur := r
		cur.OutputShare = min(15000, max(3000, r.OutputShare+100*(p.r.IntN(17)-8)))
		cur.OnSite = min(emp, max(0, r.OnSite+p.r.IntN(5)-2))
		cur.Returned, cur.Planning = 0, 0
		pl.cur = &cur
	}
	// A lead firm held up last month by a supplier now back; another held
	// up this month (or last, when this month has only begun), still open.
	var leads []*nowPlan
	for _, pl := range plans {
		switch {
		case pl.silent || pl.stopped:
		case pl.e.ID == p.lead:
			leads = append([]*nowPlan{pl}, leads...)
		case alliance(pl.e.Industry) && pl.e.Employees >= 50:
			leads = append(leads, pl)
		}
	}
	if len(leads) < 2 {
		return fmt.Errorf("%d lead firms for the hold-ups", len(leads))
	}
	leadA, leadB := leads[0], leads[1]
	var sups []*nowPlan
	for _, pl := range plans {
		if !pl.silent && pl != leadA && pl != leadB && pl.e.GridCode != leadA.e.GridCode && pl.e.GridCode != leadB.e.GridCode &&
			slices.Contains([]string{"35", "36", "33", "29"}, pl.e.Industry) {
			if slices.Contains(p.suppliers, pl.e.ID) {
				sups = append([]*nowPlan{pl}, sups...)
			} else {
				sups = append(sups, pl)
			}
		}
	}
	if len(sups) < 2 {
		return fmt.Errorf("%d suppliers for the hold-ups", len(sups))
	}
	supA, supB := sups[0], sups[1]
	tl := timeline{}
	leadA.prev.BlockedBy, leadA.prevDiff = []string{supA.e.CreditCode}, demoNowLeadA
	leadA.prevAt = slot(prevFrom, prevFrom.Add(prevTo.Sub(prevFrom)/3))
	// (Half a minute off the reports' moments, as the file's import below.)
	tl.add(minTime(leadA.prevAt.Add(26*time.Hour), prevTo.Add(time.Hour)).Add(30*time.Second), "resolve the hold-up by "+supA.e.Name, func() error {
		return p.resolve(c.ID, supA.e, leadA.e.ID, demoNowSolved)
	})
	if hasCur {
		cur := *leadB.prev
		cur.BlockedBy = []string{supB.e.CreditCode}
		leadB.cur, leadB.curAt, leadB.noChange, leadB.curDif = &cur, slot(curFrom, curTo), false, demoNowLeadB
	} else {
		leadB.prev.BlockedBy, leadB.prevDiff = []string{supB.e.CreditCode}, demoNowLeadB
	}
	for _, pl := range plans {
		report := func(r *resumption.Report, at time.Time, noChange bool, difficulties string) {
			p.rep.CurrentReports++
			tl.add(at, "monthly report of "+pl.e.Name, func() error {
				a, err := p.as(pl.who)
				if err != nil {
					return err
				}
				in := ReportInput{CampaignID: c.ID, EnterpriseID: pl.e.ID, NoChange: noChange, Difficulties: difficulties}
				if r != nil {
					in.Report = *r
				}
				_, replayed, err := p.s.SubmitReport(p.ctx, a, in)
				if err == nil && replayed {
					err = fmt.Errorf("reported twice in a period")
				}
				return err
			})
		}
		if pl.prev != nil {
			report(pl.prev, pl.prevAt, false, pl.prevDiff)
		}
		if pl.cur != nil || pl.noChange {
			report(pl.cur, pl.curAt, pl.noChange, pl.curDif)
		}
	}
	// The power company's file of last month: two plants at work use far
	// less than a year before, one stopped as much; the first is checked.
	var idle, busy []int64
	var rows []PowerRow
	for _, pl := range plans {
		ratio := 0.5 + 0.8*p.r.Float64()
		switch {
		case pl.stopped && len(busy) < 1:
			ratio = 0.85
			busy = append(busy, pl.e.ID)
		case pl.stopped:
			ratio = 0.05 + 0.25*p.r.Float64()
		case !pl.silent && pl != leadA && pl != leadB && len(idle) < 2 && p.r.IntN(30) == 0:
			ratio = 0.12 + 0.13*p.r.Float64()
			idle = append(idle, pl.e.ID)
		}
		rows = append(rows, p.powerRows(pl.e, month.AddDate(0, -1, 0).Format("2006-01"), ratio)...)
	}
	at := p.now.Add(-3 * time.Minute)
	if hasCur {
		at = minTime(curFrom.AddDate(0, 0, 2).Add(2*time.Hour), curTo).Add(30 * time.Second)
	}
	var power PowerResult
	p.powerFile(tl, c.ID, rows, append(idle, busy...), at, minTime(at.Add(time.Hour), p.now.Add(-time.Minute)), &power)
	if err := p.play(tl); err != nil {
		return err
	}
	// What the leaders see today.
	p.set(p.now)
	if p.rep.Current, _, err = p.s.Rates(p.ctx, command, c.ID, RateQuery{}); err != nil {
		return err
	}
	x, err := p.s.Exceptions(p.ctx, command, c.ID)
	if err != nil {
		return err
	}
	p.rep.Missing, p.rep.OpenBlocks, p.rep.OpenFlags = x.Missing, x.BlockCount, x.FlagCount
	return nil
}

func minTime(t time.Time, ts ...time.Time) time.Time {
	for _, u := range ts {
		if u.Before(t) {
			t = u
		}
	}
	return t
}

// purge erases the crisis's health counts, past their retention day, as
// the scheduler does; today's monitoring keeps its own.
func (p *resumePlay) purge() error {
	p.set(p.now)
	n, err := p.s.PurgeHealth(p.ctx)
	p.rep.HealthErased = n
	return err
}
