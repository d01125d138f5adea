package formdb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/enterprise"
	"qifu/internal/form"
	"qifu/internal/store"
)

// The demo district's forms, played through the module's use cases on a
// store whose clock the caller moves (setNow): the tax bureau's data
// brought into the enterprises' files (revenue and tax of last year, as a
// department's import would), a closed quarterly status report of the
// district's key and larger enterprises, and the showcase community's
// labour survey still running, answered by most — some by their grid
// worker on their behalf, some corrected — and seen but not answered by
// others, so that progress, reminders and overdue show alive.

// DemoReport is what the demo played.
type DemoReport struct {
	Facts, Campaigns, Answers int
}

// LabourSurvey is the demo's survey of labour needs: a fact (employees),
// a yes/no, a number and a choice asked when short of workers, a table of
// the orders that need them.
var LabourSurvey = form.Definition{Zh: "企业用工需求排摸", En: "Labour needs survey",
	IntroZh: "为做好员工周转池和招聘对接，请填写本企业当前用工情况。已有数据已预填，请确认或更正。",
	IntroEn: "For the turnover pool and recruitment, tell us how your workforce stands. What we know is prefilled: confirm or correct it.",
	Sections: []form.Section{{Zh: "用工情况", En: "Workforce", Questions: []form.Question{
		{Key: "employees", Type: form.Fact, Fact: "employees", Zh: "从业人员", En: "Employees", Required: true},
		{Key: "short", Type: form.YesNo, Zh: "目前是否缺工", En: "Short of workers now?", Required: true},
		{Key: "gap", Type: form.Number, Zh: "缺工人数", En: "Workers missing", Unit: "人", Min: ptr(1), Max: ptr(5000), Required: true,
			When: &form.Condition{Key: "short", Equals: "yes"}},
		{Key: "trade", Type: form.Choice, Zh: "主要缺工工种", En: "Main trade missing", When: &form.Condition{Key: "short", Equals: "yes"},
			Options: []form.Option{{Value: "general", Zh: "普工", En: "general worker"}, {Value: "sewing", Zh: "缝纫工", En: "sewer"},
				{Value: "welder", Zh: "焊工", En: "welder"}, {Value: "forklift", Zh: "叉车工", En: "forklift driver"}}},
		{Key: "idle", Type: form.Number, Zh: "可出借的富余员工", En: "Idle workers you could lend", Unit: "人", Min: ptr(0), Max: ptr(5000),
			HelpZh: "订单不足时可通过员工周转池共享用工", HelpEn: "lent through the turnover pool while orders are short"},
	}}, {Zh: "订单", En: "Orders", Questions: []form.Question{
		{Key: "orders", Type: form.Table, Zh: "需要赶工的订单", En: "Orders to rush", MaxRows: 10, Columns: []form.Question{
			{Key: "client", Type: form.Text, Zh: "客户", En: "Client", Required: true}, {Key: "ship", Type: form.Date, Zh: "交货日期", En: "Shipping date"}}},
	}}}}

// StatusReport is the demo's quarterly status report (运行监测).
func StatusReport(year int) form.Definition {
	return form.Definition{Zh: "重点企业季度运行监测", En: "Quarterly status report of key enterprises", Sections: []form.Section{{
		Questions: []form.Question{
			{Key: "revenue", Type: form.Fact, Fact: "revenue", Period: strconv.Itoa(year), Zh: "营业收入", En: "Revenue", Required: true},
			{Key: "output_share", Type: form.Number, Zh: "产能利用率", En: "Capacity used", Unit: "%", Min: ptr(0), Max: ptr(100), Required: true},
			{Key: "difficulty", Type: form.Multi, Zh: "当前主要困难", En: "Main difficulties", Options: []form.Option{
				{Value: "orders", Zh: "订单不足", En: "few orders"}, {Value: "labour", Zh: "招工难", En: "hiring"},
				{Value: "funds", Zh: "资金紧张", En: "cash"}, {Value: "costs", Zh: "成本上升", En: "costs"}}},
		}}}}
}

func ptr(x float64) *float64 { return &x }

// Demo plays the forms' demo up to now on engine (whose clock setNow
// moves), with the demo's accounts.
func Demo(ctx context.Context, engine *store.Store, forms *Store, campaigns *audiencedb.Store, now time.Time, setNow func(time.Time)) (DemoReport, error) {
	var rep DemoReport
	r := rand.New(rand.NewPCG(7, 21))
	as := func(username string) (access.Actor, error) {
		u, err := engine.UserByUsername(ctx, username)
		if err != nil {
			return access.Actor{}, fmt.Errorf("demo account %s: %w", username, err)
		}
		return engine.Actor(ctx, u.ID)
	}
	local := now.In(calendar.Shanghai)
	cal, err := engine.Calendar(ctx)
	if err != nil {
		return rep, err
	}
	// A working day at 10 o'clock, days before now.
	dayBefore := func(days int) time.Time {
		d := local.AddDate(0, 0, -days)
		for !cal.IsWorkday(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, calendar.Shanghai)) {
			d = d.AddDate(0, 0, -1)
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, calendar.Shanghai)
	}
	dueAfter := func(t time.Time, n int) string { return cal.AddDays(t, n).In(calendar.Shanghai).Format(time.DateOnly) }

	// The tax bureau's data: last year's revenue and tax for three in four
	// of the district's enterprises.
	tax, err := as("dept_tax")
	if err != nil {
		return rep, err
	}
	setNow(dayBefore(40))
	lastYear := strconv.Itoa(local.Year() - 1)
	var facts []dossier.Fact
	err = engine.ExportEnterprises(ctx, access.System("demo"), store.EnterpriseQuery{}, func(e enterprise.Enterprise) error {
		if r.IntN(4) == 0 || e.Revenue == 0 {
			return nil
		}
		revenue := e.Revenue * int64(90+r.IntN(21)) / 100
		facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "revenue", Period: lastYear, Num: revenue, Ref: "import:tax-" + lastYear},
			dossier.Fact{EnterpriseID: e.ID, Kind: "tax_paid", Period: lastYear, Num: revenue * int64(2+r.IntN(5)) / 100, Ref: "import:tax-" + lastYear})
		return nil
	})
	if err != nil {
		return rep, err
	}
	for i := 0; i < len(facts); i += 400 {
		batch := facts[i:min(i+400, len(facts))]
		if err := engine.WithTx(ctx, func(tx *store.Tx) error {
			_, err := dossierdb.RecordTx(ctx, tx, tax, batch)
			return err
		}); err != nil {
			return rep, fmt.Errorf("demo facts: %w", err)
		}
	}
	rep.Facts = len(facts)

	// A closed status report of the district's key and larger enterprises.
	district, err := as("district_leader")
	if err != nil {
		return rep, err
	}
	started := dayBefore(35)
	setNow(started)
	report, err := forms.Create(ctx, district, StatusReport(local.Year()-1))
	if err != nil {
		return rep, err
	}
	c, err := forms.Send(ctx, district, report.ID, audiencedb.Campaign{Title: "重点企业季度运行监测", Due: dueAfter(started, 5),
		Audience: audience.Definition{KeyLevels: []enterprise.KeyLevel{enterprise.KeyCity, enterprise.KeyDistrict}}})
	if err != nil {
		return rep, err
	}
	rep.Campaigns++
	n, err := demoAnswers(ctx, forms, campaigns, engine, c, r, started, 6, 0.9, func(e int64) form.Answers {
		diff := []string{"orders", "labour", "funds", "costs"}[r.IntN(4)]
		return form.Answers{"revenue": {Values: []string{strconv.Itoa(500 + r.IntN(20000))}},
			"output_share": {Values: []string{strconv.Itoa(55 + r.IntN(45))}}, "difficulty": {Values: []string{diff}}}
	}, setNow)
	if err != nil {
		return rep, err
	}
	rep.Answers += n
	setNow(dayBefore(20))
	c, err = campaigns.Campaign(ctx, district, c.ID)
	if err != nil {
		return rep, err
	}
	if err := campaigns.Close(ctx, district, c.ID, c.Version); err != nil {
		return rep, err
	}

	// The showcase community's labour survey, running.
	community, err := as("community")
	if err != nil {
		return rep, err
	}
	started = dayBefore(6)
	setNow(started)
	survey, err := forms.Create(ctx, community, LabourSurvey)
	if err != nil {
		return rep, err
	}
	c, err = forms.Send(ctx, community, survey.ID, audiencedb.Campaign{Title: "一季度企业用工需求排摸", Due: dueAfter(now, 3),
		Audience: audience.Definition{Regions: []string{community.RegionCode}}})
	if err != nil {
		return rep, err
	}
	rep.Campaigns++
	n, err = demoAnswers(ctx, forms, campaigns, engine, c, r, started, 5, 0.65, func(e int64) form.Answers {
		a := form.Answers{"short": {Values: []string{"no"}}, "idle": {Values: []string{strconv.Itoa(r.IntN(4) * 5)}}}
		if r.IntN(3) == 0 {
			a = form.Answers{"short": {Values: []string{"yes"}}, "gap": {Values: []string{strconv.Itoa(3 + r.IntN(40))}},
				"trade":  {Values: []string{[]string{"general", "sewing", "welder", "forklift"}[r.IntN(4)]}},
				"orders": {Rows: [][]string{{"宁波某外贸公司", now.AddDate(0, 0, 20+r.IntN(30)).In(calendar.Shanghai).Format(time.DateOnly)}}}}
		}
		return a
	}, setNow)
	rep.Answers += n
	setNow(now)
	return rep, err
}

// demoAnswers has a share of a campaign's members answer over days after
// start: their own account where they have one (two in three), their grid
// worker otherwise; others only open it. Each answer states the employees
// the enterprise's file holds, or a changed headcount now and then.
func demoAnswers(ctx context.Context, forms *Store, campaigns *audiencedb.Store, engine *store.Store, c audiencedb.Campaign,
	r *rand.Rand, start time.Time, days int, share float64, answers func(int64) form.Answers, setNow func(time.Time)) (int, error) {
	owner, err := engine.Actor(ctx, c.OwnerID)
	if err != nil {
		return 0, err
	}
	var members []audiencedb.Member
	if err := campaigns.EachMember(ctx, owner, c.ID, func(m audiencedb.Member) error {
		members = append(members, m)
		return nil
	}); err != nil {
		return 0, err
	}
	users := map[int64]int64{} // enterprise → its account
	workers := map[string]int64{}
	for _, m := range members {
		if _, ok := workers[m.GridCode]; !ok {
			var id int64
			if err := store.Scan(engine.Reader().Row(ctx, "SELECT COALESCE(worker_id, 0) FROM regions WHERE code = ?", m.GridCode), &id); err == nil {
				workers[m.GridCode] = id
			}
		}
		var uid int64
		if err := store.Scan(engine.Reader().Row(ctx, "SELECT id FROM users WHERE enterprise_id = ? AND disabled = FALSE ORDER BY id LIMIT 1", m.EnterpriseID), &uid); err == nil {
			users[m.EnterpriseID] = uid
		}
	}
	n := 0
	for i, m := range members {
		if r.Float64() >= share {
			if r.IntN(2) == 0 {
				if uid := users[m.EnterpriseID]; uid != 0 {
					a, err := engine.Actor(ctx, uid)
					if err == nil {
						_ = campaigns.Seen(ctx, a, c.ID, m.EnterpriseID)
					}
				}
			}
			continue
		}
		at := start.Add(time.Duration(i%days)*24*time.Hour + time.Duration(r.IntN(8*60))*time.Minute)
		setNow(at)
		who := workers[m.GridCode]
		if uid := users[m.EnterpriseID]; uid != 0 && r.IntN(3) > 0 {
			who = uid
		}
		if who == 0 {
			continue
		}
		actor, err := engine.Actor(ctx, who)
		if err != nil {
			return n, err
		}
		ans := answers(m.EnterpriseID)
		if def, err := forms.VersionOf(ctx, c); err == nil && len(def.FactKinds()) > 0 {
			if f, err := forms.Open(ctx, actor, c.ID, m.EnterpriseID); err == nil {
				for _, q := range def.Questions() {
					if q.Type != form.Fact {
						continue
					}
					if k, ok := dossier.Latest(f.Known, q.Fact); ok && q.Fact == "employees" {
						v := k.Num
						if r.IntN(5) == 0 {
							v += int64(r.IntN(11)) - 3
						}
						ans[q.Key] = form.Answer{Values: []string{strconv.FormatInt(max(v, 1), 10)}}
					} else if _, set := ans[q.Key]; !set {
						ans[q.Key] = form.Answer{Values: []string{strconv.Itoa(10 + r.IntN(200))}}
					}
				}
			}
		}
		if actor.Role == access.RoleEnterprise {
			_ = campaigns.Seen(ctx, actor, c.ID, m.EnterpriseID)
		}
		sub, _, err := forms.Submit(ctx, actor, Input{CampaignID: c.ID, EnterpriseID: m.EnterpriseID, Answers: ans, Medium: "web"})
		if err != nil {
			return n, fmt.Errorf("demo answer of enterprise %d: %w", m.EnterpriseID, err)
		}
		n++
		if r.IntN(12) == 0 { // a correction an hour later
			setNow(at.Add(time.Hour))
			if _, _, err := forms.Submit(ctx, actor, Input{CampaignID: c.ID, EnterpriseID: m.EnterpriseID, Answers: ans,
				Medium: "web", Version: sub.Version}); err != nil {
				return n, fmt.Errorf("demo correction: %w", err)
			}
		}
	}
	return n, nil
}
