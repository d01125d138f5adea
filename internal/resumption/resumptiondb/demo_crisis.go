package resumptiondb

// The demo's crisis of 2020: each enterprise's plan (when it fills the
// checklist, applies, restarts and how its output and staff come back),
// calibrated so that the last day's rates land on the seeds' figures, and
// the restart applications played through the table.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/resumption"
)

// crisisPlan is one enterprise's part in the crisis.
type crisisPlan struct {
	e    enterprise.Enterprise
	who  string
	park bool
	// The checklist: the day it is filled (-1: not), its answers and the
	// items it says are not in place.
	fill    int
	answers form.Answers
	notDone []string
	// The restart application's steps, and the returning staff it counts.
	steps  []restartStep
	counts resumption.Counts
	// The daily reports: the day of the daily campaign it resumed (-1:
	// not by the last day), the last day's output share and workers on
	// site, its reports; a silent one never reports.
	resume        int
	share, onSite int
	reports       []dayReport
	silent        bool
	// The application as the play last saw it.
	restart Restart
}

// restartStep is one step of an application on a day of the crisis.
type restartStep struct {
	day            int
	action, reason string
}

// dayReport is a report on a day of the daily campaign, in one of its waves.
type dayReport struct {
	day, wave    int
	noChange     bool
	report       resumption.Report
	difficulties string
}

// crisisAt is the crisis's n-th day at hour:minute.
func crisisAt(n, hour, minute int) time.Time {
	d := demoCrisis.AddDate(0, 0, n)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, calendar.Shanghai)
}

func crisisDay(n int) string { return demoCrisis.AddDate(0, 0, n).Format(time.DateOnly) }

// The waves of the daily reports, hour and minute.
var reportWaves = [][2]int{{16, 0}, {17, 0}, {18, 30}, {20, 0}}

// crisis plays the crisis of 2020.
func (p *resumePlay) crisis() error {
	if !p.workday(demoCrisis).Equal(demoCrisis) {
		return fmt.Errorf("%s is not a working day", demoCrisis.Format(time.DateOnly))
	}
	command, err := p.as(p.command)
	if err != nil {
		return err
	}
	admin, err := p.as(p.admin)
	if err != nil {
		return err
	}
	health, err := p.as(p.health)
	if err != nil {
		return err
	}
	p.set(crisisAt(0, 8, 0))
	if err := p.s.SetPower(p.ctx, admin, health.DepartmentID, resumption.Prevention.Matter, demoPowerLaw); err != nil {
		return fmt.Errorf("power to inspect: %w", err)
	}
	p.set(crisisAt(0, 8, 10))
	c, err := p.s.Start(p.ctx, command, Input{Kind: KindChecklist, Checklist: resumption.Prevention.Key, Title: demoTitles[0],
		Due: p.workday(demoCrisis.AddDate(0, 0, demoEscal)).Format(time.DateOnly), Audience: p.audience,
		Restart: resumption.RestartApproval, Threshold: demoThreshold, RetainUntil: demoRetain})
	if err != nil {
		return fmt.Errorf("start the checklist: %w", err)
	}
	p.checklist = c.ID
	list, err := p.members(c.ID)
	if err != nil {
		return err
	}
	if len(list) < 50 {
		return fmt.Errorf("%d industrial enterprises in the district: the demo needs the demo dataset", len(list))
	}
	p.rep.Members = len(list)
	plans, err := p.planCrisis(list)
	if err != nil {
		return err
	}
	tl := timeline{}
	p.restarts(tl, plans, command)
	open := p.checks(tl, plans)
	p.reports(tl, plans, command)
	tl.add(crisisAt(demoEscal, 9, 0), "escalate", func() error {
		n, err := p.s.Escalate(p.ctx)
		p.rep.Escalated = n
		return err
	})
	if err := p.play(tl); err != nil {
		return err
	}
	// The rates of the last day, and of the park within half a month.
	p.rep.EndDay, p.rep.ParkDay, p.rep.Park = crisisDay(demoOrder+demoDays-1), crisisDay(demoOrder+14), p.park.Name
	if p.rep.End, _, err = p.s.Rates(p.ctx, command, p.daily, RateQuery{Day: p.rep.EndDay}); err != nil {
		return err
	}
	if p.rep.ParkRates, _, err = p.s.Rates(p.ctx, command, p.daily, RateQuery{Day: p.rep.ParkDay, Region: p.park.Code}); err != nil {
		return err
	}
	// March: the power company's file, the findings still open, the campaigns closed.
	tl = timeline{}
	var power PowerResult
	p.power2020(tl, plans, &power)
	tl.add(crisisAt(demoClosing, 17, 0), "count the open findings", func() error {
		_, n, err := p.s.Findings(p.ctx, admin, FindingQuery{State: FindingOpen})
		if err == nil && n != open {
			err = fmt.Errorf("%d findings open, want %d", n, open)
		}
		return err
	})
	for i, id := range []int64{p.daily, p.checklist} {
		tl.add(crisisAt(demoClosing, 17, 30+i), "close the campaign", func() error { return p.camps.Close(p.ctx, command, id, 0) })
	}
	if err := p.play(tl); err != nil {
		return err
	}
	p.rep.PowerRows, p.rep.Flagged = power.Rows, power.Flagged
	p.since = map[int64]string{}
	for _, pl := range plans {
		if pl.resume >= 0 {
			p.since[pl.e.ID] = crisisDay(demoOrder + pl.resume)
		}
	}
	return nil
}

// The cumulative shares of the resuming enterprises back by each day of
// the daily campaign: the park's (whose stragglers come after its
// fifteenth day), and everyone else's.
var (
	parkCurve = []float64{0.36, 0.52, 0.64, 0.73, 0.80, 0.85, 0.89, 0.92, 0.945, 0.96, 0.972, 0.982, 0.99, 0.996, 1}
	restCurve = []float64{0.28, 0.40, 0.50, 0.58, 0.65, 0.71, 0.76, 0.80, 0.84, 0.87, 0.90, 0.925, 0.945, 0.962, 0.975, 0.986, 0.994, 1}
)

// onCurve is the day of the j-th of n on a cumulative curve.
func onCurve(curve []float64, j, n int) int {
	f := (float64(j) + 0.5) / float64(n)
	for d, c := range curve {
		if f <= c {
			return d
		}
	}
	return len(curve) - 1
}

// planCrisis draws every enterprise's part: who resumes on which day at
// what output and with how many back (the last day's figures calibrated to
// the seeds'), who never does, and the reports.
func (p *resumePlay) planCrisis(list []enterprise.Enterprise) ([]*crisisPlan, error) {
	n := len(list)
	plans := make([]*crisisPlan, n)
	score := make([]float64, n)
	for i, e := range list {
		plans[i] = &crisisPlan{e: e, who: p.onBehalf(e), park: e.CommunityCode == p.park.Code, fill: -1, resume: -1}
		// The larger plants come back first.
		score[i] = p.r.Float64() - 0.12*math.Log10(float64(e.Employees)+1)
	}
	// The park's lead firm, and three suppliers of its trades in other
	// grids: one in the park where there is one, the others elsewhere.
	lead := -1
	for i, pl := range plans {
		if pl.park && alliance(pl.e.Industry) && (lead < 0 || pl.e.Employees > plans[lead].e.Employees) {
			lead = i
		}
	}
	if lead < 0 {
		return nil, fmt.Errorf("no mould or auto-parts maker on the list in %s", p.park.Name)
	}
	var cand []int
	for i, pl := range plans {
		e := pl.e
		if i != lead && e.GridCode != plans[lead].e.GridCode && slices.Contains([]string{"35", "36", "33", "29"}, e.Industry) &&
			e.Employees >= 15 && e.Employees <= 300 {
			cand = append(cand, i)
		}
	}
	p.r.Shuffle(len(cand), func(a, b int) { cand[a], cand[b] = cand[b], cand[a] })
	slices.SortStableFunc(cand, func(a, b int) int { return cmp.Compare(boolInt(!plans[a].park), boolInt(!plans[b].park)) })
	var sups []int
	grids := map[string]bool{}
	for _, i := range cand {
		if g := plans[i].e.GridCode; len(sups) < 3 && !grids[g] && (len(sups) == 0 || !plans[i].park) {
			grids[g] = true
			sups = append(sups, i)
		}
	}
	if len(sups) < 2 {
		return nil, fmt.Errorf("%d suppliers for the lead firm", len(sups))
	}
	special := map[int]bool{lead: true}
	p.lead, p.suppliers = plans[lead].e.ID, nil
	for _, i := range sups {
		special[i] = true
		p.suppliers = append(p.suppliers, plans[i].e.ID)
	}

	// Those not back by the last day: outside the park, drawn from three
	// times as many of the least likely (the small workshops).
	k := n - int(math.Round(demoResumption*float64(n)))
	var out []int
	for i, pl := range plans {
		if !pl.park && !special[i] {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(score[b], score[a]) })
	out = out[:min(len(out), 3*k)]
	if len(out) < k {
		return nil, fmt.Errorf("%d enterprises outside the park to stay closed, want %d", len(out), k)
	}
	p.r.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	out = out[:k]
	never := map[int]bool{}
	for j, i := range out {
		never[i] = true
		plans[i].silent = j < k/4 // a quarter of them never report
	}

	// The day each of the others resumes: the park on its curve with its
	// last 3.5 % after half a month, everyone else on theirs.
	var park, rest []int
	parkSize := 0
	for i, pl := range plans {
		if pl.park {
			parkSize++
		}
		switch {
		case never[i] || special[i]:
		case pl.park:
			park = append(park, i)
		default:
			rest = append(rest, i)
		}
	}
	byScore := func(a, b int) int { return cmp.Or(cmp.Compare(score[a], score[b]), cmp.Compare(a, b)) }
	slices.SortFunc(park, byScore)
	slices.SortFunc(rest, byScore)
	late := min(len(park), int(math.Round(0.035*float64(parkSize))))
	for j, i := range park {
		if j >= len(park)-late {
			plans[i].resume = 15 + j%3
			continue
		}
		plans[i].resume = onCurve(parkCurve, j, len(park)-late)
	}
	for j, i := range rest {
		plans[i].resume = onCurve(restCurve, j, len(rest))
	}
	plans[lead].resume = 1
	for j, i := range sups {
		plans[i].resume = 2 + j
	}

	p.calibrate(plans)
	for i, pl := range plans {
		switch {
		case i == lead:
			p.leadReports(pl, plans, sups)
		case pl.silent:
		case pl.resume < 0:
			p.closedReports(pl)
		default:
			p.ramp(pl, special[i])
		}
	}
	return plans, nil
}

// calibrate draws each resuming enterprise's output share and workers on
// site on the last day, so that the list's 产能恢复率 (weighed by normal
// output) and 返岗率 are the seeds'.
func (p *resumePlay) calibrate(plans []*crisisPlan) {
	var normal, workers int64
	var back []*crisisPlan
	for _, pl := range plans {
		normal += pl.e.Revenue
		workers += int64(pl.e.Employees)
		if pl.resume >= 0 {
			back = append(back, pl)
		}
	}
	for _, pl := range back {
		u := p.r.Float64()
		share := 0.62 + 0.43*u
		if pl.e.Employees >= demoThreshold {
			share = 0.80 + 0.25*u
		}
		pl.share = int(math.Round(share*100)) * 100
		pl.onSite = int(math.Round(float64(pl.e.Employees) * (0.80 + 0.20*p.r.Float64())))
	}
	output := func() int64 {
		var sum int64
		for _, pl := range back {
			sum += pl.e.Revenue * int64(pl.share) / 10000
		}
		return sum
	}
	want := int64(math.Round(demoCapacity * float64(normal)))
	for range 8 {
		f := float64(want) / float64(max(1, output()))
		for _, pl := range back {
			pl.share = min(12000, max(1000, int(math.Round(float64(pl.share)*f/100))*100))
		}
	}
	// Whole per cents of the largest make up what is left.
	bySize := slices.Clone(back)
	slices.SortStableFunc(bySize, func(a, b *crisisPlan) int { return cmp.Compare(b.e.Revenue, a.e.Revenue) })
	for _, pl := range bySize {
		diff := want - output()
		step := pl.e.Revenue / 100 // one per cent of its output
		if step == 0 || 2*max(diff, -diff) < step {
			continue
		}
		k := max(-5, min(5, int(math.Round(float64(diff)/float64(step)))))
		pl.share = min(12000, max(1000, pl.share+100*k))
	}
	var on int64
	for _, pl := range back {
		on += int64(pl.onSite)
	}
	target := int64(math.Round(demoReturn * float64(workers)))
	f := float64(target) / float64(max(1, on))
	on = 0
	for _, pl := range back {
		pl.onSite = min(pl.e.Employees, int(math.Round(float64(pl.onSite)*f)))
		on += int64(pl.onSite)
	}
	for i := 0; on != target && i < 100*len(back); i++ {
		pl := back[i%len(back)]
		switch {
		case on < target && pl.onSite < pl.e.Employees:
			pl.onSite++
			on++
		case on > target && pl.onSite > 1:
			pl.onSite--
			on--
		}
	}
}

// staff puts in a report the staff by class on a day of the daily
// campaign, for an enterprise with onSite back.
func (p *resumePlay) staff(e enterprise.Enterprise, onSite, day int, r *resumption.Report) {
	r.Isolating = int(math.Round(float64(e.Employees) * 0.05 * float64(demoDays-day) / demoDays * p.r.Float64()))
	r.Planning = max(0, e.Employees-onSite-r.Isolating)
	r.Returned = int(math.Round(float64(onSite) * 0.1 * p.r.Float64()))
}

// closedReport is a report of an enterprise not resumed.
func (p *resumePlay) closedReport(pl *crisisPlan, day int) dayReport {
	r := resumption.Report{Workers: pl.e.Employees}
	p.staff(pl.e, 0, day, &r)
	return dayReport{day: day, wave: p.r.IntN(len(reportWaves)), report: r, difficulties: demoStalled[p.r.IntN(len(demoStalled))]}
}

// closedReports: one that stays closed says so in the first days, then
// "no change" now and again.
func (p *resumePlay) closedReports(pl *crisisPlan) {
	first := p.r.IntN(3)
	pl.reports = append(pl.reports, p.closedReport(pl, first))
	for d := first + 1; d < demoDays; d++ {
		if p.r.IntN(6) == 0 {
			pl.reports = append(pl.reports, dayReport{day: d, wave: p.r.IntN(len(reportWaves)), noChange: true})
		}
	}
}

// resumedReport is a report of an enterprise back since its day of resumption.
func (p *resumePlay) resumedReport(pl *crisisPlan, day, share, onSite int) dayReport {
	r := resumption.Report{Resumed: true, Since: crisisDay(demoOrder + pl.resume), OutputShare: share, OnSite: onSite,
		Workers: pl.e.Employees, Orders: demoOrdersText[p.r.IntN(len(demoOrdersText))]}
	p.staff(pl.e, onSite, day, &r)
	return dayReport{day: day, wave: p.r.IntN(len(reportWaves)), report: r}
}

// ramp: one that resumes may say in the first days that it has not yet
// (a supplier always does), reports its first output on its day, more
// once or twice up to its last figures, and "no change" on some of the
// days between and after.
func (p *resumePlay) ramp(pl *crisisPlan, supplier bool) {
	d0 := pl.resume
	if d0 >= 2 && (supplier || p.r.IntN(4) == 0) {
		pl.reports = append(pl.reports, p.closedReport(pl, p.r.IntN(min(d0, 3))))
	}
	a, b := 0.45+0.35*p.r.Float64(), 0.50+0.35*p.r.Float64()
	end := min(demoDays-1, d0+2+p.r.IntN(8))
	share := func(f float64) int { return min(pl.share, max(500, int(math.Round(float64(pl.share)*f/100))*100)) }
	onSite := func(f float64) int {
		return min(pl.onSite, max(min(1, pl.onSite), int(math.Round(float64(pl.onSite)*f))))
	}
	updates := map[int]dayReport{end: p.resumedReport(pl, end, pl.share, pl.onSite)}
	if end > d0 {
		updates[d0] = p.resumedReport(pl, d0, share(a), onSite(b))
	}
	if mid := d0 + (end-d0)/2; end-d0 >= 5 {
		updates[mid] = p.resumedReport(pl, mid, share((a+1)/2), onSite((b+1)/2))
	}
	for d := d0; d < demoDays; d++ {
		if u, ok := updates[d]; ok {
			pl.reports = append(pl.reports, u)
		} else if p.r.IntN(10) == 0 {
			pl.reports = append(pl.reports, dayReport{day: d, wave: p.r.IntN(len(reportWaves)), noChange: true})
		}
	}
}

// leadReports: the lead firm resumes at three tenths, held up by its
// suppliers, and climbs once they are back.
func (p *resumePlay) leadReports(pl *crisisPlan, plans []*crisisPlan, sups []int) {
	first := p.resumedReport(pl, pl.resume, min(pl.share, 3000), pl.onSite/2)
	first.wave, first.difficulties = 0, demoLeadText
	for _, i := range sups {
		first.report.BlockedBy = append(first.report.BlockedBy, plans[i].e.CreditCode)
	}
	back := 2 + len(sups) // the day after the last supplier resumed
	pl.reports = append(pl.reports, first)
	for d := pl.resume + 1; d < demoDays; d++ {
		switch {
		case d == back:
			pl.reports = append(pl.reports, p.resumedReport(pl, d, min(pl.share, 7000), pl.onSite*4/5))
		case d == back+4:
			pl.reports = append(pl.reports, p.resumedReport(pl, d, pl.share, pl.onSite))
		case p.r.IntN(5) < 2:
			pl.reports = append(pl.reports, dayReport{day: d, wave: p.r.IntN(len(reportWaves)), noChange: true})
		}
	}
}

// answers fill the prevention checklist: most items in place, what a small
// workshop has not (a dormitory, a canteen, a shuttle) left out, now and
// then an item said not to be in place.
func (p *resumePlay) answers(pl *crisisPlan) {
	emp := pl.e.Employees
	pl.answers = form.Answers{}
	na := map[string]bool{
		"dorm_density": emp < 50 && p.r.IntN(10) < 7, "canteen_batches": emp < 20 && p.r.IntN(10) < 6,
		"shuttle": emp < 80 && p.r.IntN(10) < 7,
	}
	na["dorm_disinfect"] = na["dorm_density"]
	if p.r.IntN(100) < 3 {
		pl.notDone = append(pl.notDone, demoAdviceKeys[p.r.IntN(len(demoAdviceKeys))])
	}
	for _, it := range resumption.Prevention.Items() {
		v := resumption.Done
		switch {
		case slices.Contains(pl.notDone, it.Key):
			v = resumption.NotDone
		case na[it.Key]:
			v = resumption.NA
		}
		pl.answers[it.Key] = form.Answer{Values: []string{string(v)}}
	}
}

// restarts plans the checklists and the applications: an application
// comes the day after the checklist or the same, the street's check a day
// or two later, the decision the same day or the next, the day before the
// enterprise resumes; from the switch to filing, a filing the day before.
func (p *resumePlay) restarts(tl timeline, plans []*crisisPlan, command access.Actor) {
	var refusedForGood, withdrawn int
	var again []*crisisPlan
	for _, pl := range plans {
		if pl.resume >= 4 && pl.resume <= 10 && pl.e.ID != p.lead && !slices.Contains(p.suppliers, pl.e.ID) {
			again = append(again, pl)
		}
	}
	p.r.Shuffle(len(again), func(a, b int) { again[a], again[b] = again[b], again[a] })
	again = again[:min(len(again), max(3, len(plans)/100))]
	for _, pl := range plans {
		emp := pl.e.Employees
		on := int(math.Round(float64(emp) * (0.3 + 0.4*p.r.Float64())))
		iso := int(math.Round(float64(emp) * 0.05 * p.r.Float64()))
		pl.counts = resumption.Counts{OnSite: on, Isolating: iso, Planning: max(0, emp-on-iso), Returned: on / 5}
		r := pl.resume
		switch {
		case pl.silent:
			continue
		case r < 0:
			// Most that stay closed fill the checklist all the same; two
			// apply and are refused, one withdraws (the first ones, even
			// in a street's small demo).
			if skip := p.r.IntN(10) < 4; skip && refusedForGood == len(demoRefuseForGood) && withdrawn == 1 {
				continue
			}
			pl.fill = 1 + p.r.IntN(6)
			switch {
			case refusedForGood < len(demoRefuseForGood):
				pl.steps = []restartStep{{pl.fill + 1, "apply", ""}, {pl.fill + 2, "check", ""},
					{pl.fill + 2, "refuse", demoRefuseForGood[refusedForGood]}}
				refusedForGood++
			case withdrawn < 1:
				pl.steps = []restartStep{{pl.fill + 1, "apply", ""}, {pl.fill + 3, "withdraw", demoWithdraw}}
				withdrawn++
			}
		case slices.Contains(again, pl):
			day := demoOrder + r
			pl.fill = day - 7
			pl.steps = []restartStep{{day - 6, "apply", ""}, {day - 5, "check", ""}, {day - 5, "refuse", demoRefuse[p.r.IntN(len(demoRefuse))]},
				{day - 3, "reapply", ""}, {day - 2, "check", ""}, {day - 1, "approve", ""}}
		default:
			day := demoOrder + r
			approve := max(4, day-1-p.r.IntN(2))
			check := max(2, approve-p.r.IntN(2))
			apply := max(1, check-1-p.r.IntN(2))
			pl.fill = max(0, apply-p.r.IntN(2))
			if apply >= demoFiling {
				pl.steps = []restartStep{{apply, "file", ""}}
			} else {
				pl.steps = []restartStep{{apply, "apply", ""}, {check, "check", ""}, {approve, "approve", ""}}
			}
		}
		p.answers(pl)
	}
	// The checklists.
	for _, pl := range plans {
		if pl.fill < 0 {
			continue
		}
		p.rep.Filled++
		tl.add(crisisAt(pl.fill, 8, 30), "fill "+pl.e.Name, func() error {
			a, err := p.as(pl.who)
			if err != nil {
				return err
			}
			_, _, err = p.forms.Submit(p.ctx, a, formdb.Input{CampaignID: p.checklist, EnterpriseID: pl.e.ID, Answers: pl.answers, Medium: "web"})
			return err
		})
	}
	// The switch to filing with a pledge.
	tl.add(crisisAt(demoFiling, 8, 45), "switch to filing", func() error {
		c, err := p.s.Campaign(p.ctx, command, p.checklist)
		if err != nil {
			return err
		}
		_, err = p.s.SetRestart(p.ctx, command, c.ID, c.Settings, resumption.RestartFiling, demoThreshold)
		return err
	})
	// The applications, step by step.
	for _, pl := range plans {
		approver := resumption.Approver(pl.e.Employees, demoThreshold)
		for _, st := range pl.steps {
			at, who := crisisAt(st.day, 9, 0), pl.who
			switch st.action {
			case "apply":
				p.rep.Applied++
			case "reapply":
				p.rep.Reapplied++
			case "file":
				p.rep.Filed++
			case "withdraw":
				p.rep.Withdrawn++
			case "check":
				at, who = crisisAt(st.day, 11, 0), p.street[pl.e.StreetCode]
			case "approve", "refuse":
				at, who = crisisAt(st.day, 14, 30), p.street[pl.e.StreetCode]
				if approver == resumption.Command {
					at, who = crisisAt(st.day, 15, 30), p.command
				}
				switch {
				case st.action == "refuse":
					p.rep.Refused++
				case approver == resumption.Command:
					p.rep.Approved++
					p.rep.ByCommand++
				default:
					p.rep.Approved++
				}
			}
			tl.add(at, st.action+" "+pl.e.Name, func() error { return p.restartStep(pl, st, who) })
		}
	}
}

// restartStep takes one step of an application.
func (p *resumePlay) restartStep(pl *crisisPlan, st restartStep, who string) error {
	a, err := p.as(who)
	if err != nil {
		return err
	}
	want := map[string]string{"apply": resumption.Applied, "reapply": resumption.Applied, "file": resumption.Filed,
		"check": resumption.Checked, "approve": resumption.Approved, "refuse": resumption.Refused, "withdraw": resumption.Withdrawn}[st.action]
	var r Restart
	switch st.action {
	case "apply", "reapply", "file":
		pledge := demoPledge
		switch st.action {
		case "reapply":
			pledge = demoFixed + demoPledge
		case "file":
			pledge = demoFiled
		}
		r, err = p.s.ApplyRestart(p.ctx, a, RestartInput{CampaignID: p.checklist, EnterpriseID: pl.e.ID, Pledge: pledge, Counts: pl.counts})
	default:
		r, err = p.s.ActRestart(p.ctx, a, pl.restart.ID, pl.restart.Version, st.action, st.reason)
	}
	if err != nil {
		return err
	}
	if r.State != want {
		return fmt.Errorf("the application is %s, want %s", r.State, want)
	}
	pl.restart = r
	return nil
}
