package resumptionweb

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/place"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/sheet"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// The campaigns: the list, starting one, a campaign's rates or its
// restart applications, its exceptions and members, the workbook.

type homeData struct {
	base
	Campaigns  []resumptiondb.Campaign
	Total      int
	Pager      core.Pager
	MayStart   bool
	MayDecide  bool
	Enterprise bool
	EntID      int64
	Findings   []resumptiondb.Finding
	Restarts   []resumptiondb.Restart
	// Done are the monitoring campaigns the enterprise has reported this period.
	Done map[int64]bool
}

// Reported reports whether the enterprise has reported campaign id this period.
func (p *homeData) Reported(id int64) bool { return p.Done[id] }

func (s *Handlers) homePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	ctx := r.Context()
	p := &homeData{MayStart: access.May(a.Role, access.CampaignRun), MayDecide: access.May(a.Role, access.ResumeDecide),
		Enterprise: a.Role == access.RoleEnterprise, EntID: a.EnterpriseID}
	var err error
	if p.Enterprise {
		if p.Campaigns, err = s.res.OfEnterprise(ctx, a, a.EnterpriseID); err != nil {
			return err
		}
		p.Done = map[int64]bool{}
		for _, c := range p.Campaigns {
			if c.Kind != resumptiondb.KindMonitoring {
				continue
			}
			pre, err := s.res.ReportPage(ctx, a, c.ID, a.EnterpriseID)
			if err != nil {
				return err
			}
			p.Done[c.ID] = pre.This != nil
		}
		if p.Findings, _, err = s.res.Findings(ctx, a, resumptiondb.FindingQuery{EnterpriseID: a.EnterpriseID, State: resumptiondb.FindingOpen}); err != nil {
			return err
		}
		if p.Restarts, _, err = s.res.Restarts(ctx, a, resumptiondb.RestartQuery{}); err != nil {
			return err
		}
	} else {
		page := core.PageOf(r)
		if p.Campaigns, p.Total, err = s.res.Campaigns(ctx, a, resumptiondb.CampaignQuery{Kind: r.URL.Query().Get("kind"), Page: page}); err != nil {
			return err
		}
		p.Pager = core.NewPager(r, page, p.Total)
	}
	p.Title = s.T(core.LangOf(r), "rs.title")
	s.Render(w, r, http.StatusOK, "resumption", p)
	return nil
}

type newData struct {
	base
	In         resumptiondb.Input
	Regions    []string
	Checklists []resumption.Checklist
	Schedules  []string
	Choices    []regionChoice
}

type regionChoice struct{ Code, Name string }

// Chosen reports whether the region of code is chosen.
func (p *newData) Chosen(code string) bool { return slices.Contains(p.Regions, code) }

func (s *Handlers) newPage(w http.ResponseWriter, r *http.Request) error {
	in := resumptiondb.Input{Kind: r.URL.Query().Get("kind"), Checklist: "prevention", Schedule: resumption.Daily, LowPower: 3000, HighPower: 7000}
	if in.Kind == "" {
		in.Kind = resumptiondb.KindChecklist
	}
	return s.showNew(w, r, &newData{In: in}, http.StatusOK)
}

func (s *Handlers) showNew(w http.ResponseWriter, r *http.Request, p *newData, code int) error {
	a, _ := core.ActorOf(r)
	// The audience's own messages (a region code unknown) are said at the
	// audience's field.
	for k, v := range p.Errors {
		if strings.HasPrefix(k, "audience.") && p.Errors["audience"] == "" {
			p.Errors["audience"] = v
		}
	}
	p.Checklists, p.Schedules = resumption.Templates, resumption.Schedules
	if a.RegionCode != "" {
		deepest := place.Community
		regions, err := s.store.Regions(r.Context(), a, store.RegionQuery{Under: a.RegionCode, Deepest: deepest})
		if err != nil {
			return err
		}
		for _, rg := range regions {
			p.Choices = append(p.Choices, regionChoice{Code: rg.Code, Name: rg.Name})
		}
	}
	if p.In.Due == "" {
		// Ten working days ahead: the due day is a working day.
		cal, err := s.store.Calendar(r.Context())
		if err != nil {
			return err
		}
		p.In.Due = cal.AddDays(s.store.Now(), 10).In(calendar.Shanghai).Format(time.DateOnly)
	}
	p.Title = s.T(core.LangOf(r), "rs.new")
	s.Render(w, r, code, "resumption_new", p)
	return nil
}

func (s *Handlers) startPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := resumptiondb.Input{Kind: r.FormValue("kind"), Checklist: r.FormValue("checklist"), Title: strings.TrimSpace(r.FormValue("title")),
		Due: r.FormValue("due"), Schedule: r.FormValue("schedule"), Restart: r.FormValue("restart"), Threshold: formInt(r, "threshold"),
		LowPower: percentHundredths(r.FormValue("low_power")), HighPower: percentHundredths(r.FormValue("high_power")),
		RetainUntil: r.FormValue("retain_until")}
	regions := r.Form["region"]
	in.Audience = audience.Definition{Regions: regions}
	c, err := s.res.Start(r.Context(), a, in)
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &newData{In: in, Regions: regions}
		p.Errors = msgs
		return s.showNew(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/resumption/campaigns/%d", c.ID), "rs.started", "")
	return nil
}

type campaignData struct {
	base
	C         resumptiondb.Campaign
	Day, By   string
	Region    string
	Rates     resumption.Rates
	Rows      []resumptiondb.RateRow
	Series    []resumptiondb.DayRates
	Restarts  []resumptiondb.Restart
	RTotal    int
	MayRun    bool
	MayCheck  bool
	MayReport bool
	Breakdown []string
	Period    string
}

func (s *Handlers) campaignPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := s.res.Campaign(ctx, a, id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := &campaignData{C: c, Day: q.Get("day"), By: q.Get("by"), Region: q.Get("region"), Breakdown: resumptiondb.Breakdowns,
		MayCheck: access.May(a.Role, access.ResumeCheck), MayReport: access.May(a.Role, access.ResumeReport), Period: c.Period(s.store.Now())}
	if p.By == "" {
		p.By = breakdownFor(a)
	}
	p.MayRun = audiencedb.MayRun(a, c.Campaign)
	if c.Kind == resumptiondb.KindMonitoring {
		if p.Rates, p.Rows, err = s.res.Rates(ctx, a, id, resumptiondb.RateQuery{Day: p.Day, By: p.By, Region: p.Region}); err != nil {
			msgs, ferr := core.FormErrors(err, core.LangOf(r))
			if ferr != nil {
				return ferr
			}
			p.Errors, p.Day = msgs, ""
			if p.Rates, p.Rows, err = s.res.Rates(ctx, a, id, resumptiondb.RateQuery{By: p.By, Region: p.Region}); err != nil {
				return err
			}
		}
		if p.Series, err = s.res.Series(ctx, a, id, p.Region); err != nil {
			return err
		}
	} else if c.Restart != "" {
		if p.Restarts, p.RTotal, err = s.res.Restarts(ctx, a, resumptiondb.RestartQuery{CampaignID: id, Page: core.PageOf(r)}); err != nil {
			return err
		}
	}
	p.Title = c.Title
	s.Render(w, r, http.StatusOK, "resumption_campaign", p)
	return nil
}

func (s *Handlers) restartModePage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	if _, err := s.res.SetRestart(r.Context(), a, id, formID(r, "settings"), r.FormValue("restart"), formInt(r, "threshold")); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/resumption/campaigns/%d", id), "rs.saved", "")
	return nil
}

// breakdownFor is the breakdown a reader sees first: one level below its
// region (a street's leader its communities), by street for the others.
func breakdownFor(a access.Actor) string {
	if access.FilterFor(a, access.ResumeRead).Reach == access.Region {
		switch a.RegionLevel {
		case place.City:
			return "district"
		case place.Street:
			return "community"
		case place.Community, place.Grid:
			return "grid"
		}
	}
	return "street"
}

type exceptionsData struct {
	base
	X resumptiondb.Exceptions
}

func (s *Handlers) exceptionsPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.res.Exceptions(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &exceptionsData{X: x}
	p.Title = s.T(core.LangOf(r), "rs.exceptions")
	s.Render(w, r, http.StatusOK, "resumption_exceptions", p)
	return nil
}

type membersData struct {
	base
	C       resumptiondb.Campaign
	Members []resumptiondb.Member
	Total   int
	Pager   core.Pager
	Missing bool
	Period  string
}

func (s *Handlers) membersPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.res.Campaign(r.Context(), a, id)
	if err != nil {
		return err
	}
	page := core.PageOf(r)
	p := &membersData{C: c, Missing: r.URL.Query().Get("missing") == "1", Period: c.Period(s.store.Now())}
	if p.Members, p.Total, err = s.res.Members(r.Context(), a, id, resumptiondb.MemberQuery{Missing: p.Missing, Region: r.URL.Query().Get("region"), Page: page}); err != nil {
		return err
	}
	p.Pager = core.NewPager(r, page, p.Total)
	p.Title = c.Title
	s.Render(w, r, http.StatusOK, "resumption_members", p)
	return nil
}

// sheetLang is the language of the workbook, which departments file as
// it is: Chinese, whatever the page's.
const sheetLang = "zh"

// exportRates sends the rates by each breakdown and the members with
// their latest report, as a workbook.
func (s *Handlers) exportRates(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := s.res.Campaign(ctx, a, id)
	if err != nil {
		return err
	}
	day := r.URL.Query().Get("day")
	header := []string{"分组", "代码", "名单企业", "已报送", "未报送", "已复工", "复工率", "复产率", "产能恢复率", "在岗人数", "职工人数", "返岗率"}
	row := func(name, code string, x resumption.Rates) []any {
		return []any{name, code, x.Members, x.Reported, x.Members - x.Reported, x.Resumed, resumption.Percent(x.Resumption()),
			resumption.Percent(x.Production()), resumption.Percent(x.Capacity()), x.OnSite, x.Workers, resumption.Percent(x.Return())}
	}
	var tables []sheet.Table
	for _, by := range resumptiondb.Breakdowns {
		total, rows, err := s.res.Rates(ctx, a, id, resumptiondb.RateQuery{Day: day, By: by})
		if err != nil {
			return err
		}
		name := "rs.by." + by // the breakdown's words (TestWords)
		t := sheet.Table{Name: s.T(sheetLang, name), Header: header}
		for _, x := range rows {
			t.Rows = append(t.Rows, row(x.Name, x.Key, x.Rates))
		}
		t.Rows = append(t.Rows, row("合计", "", total))
		tables = append(tables, t)
	}
	members := sheet.Table{Name: "名单企业", Header: []string{"企业", "统一社会信用代码", "网格", "正常营收（万元）", "职工", "最近报送期", "已复工", "产出占正常", "在岗"}}
	for page := 1; ; page++ {
		list, total, err := s.res.Members(ctx, a, id, resumptiondb.MemberQuery{Day: day, Page: store.Page{Number: page, Size: store.MaxPageSize}})
		if err != nil {
			return err
		}
		for _, m := range list {
			resumed := "否"
			if m.Resumed {
				resumed = "是"
			}
			if m.Latest == "" {
				resumed = "未报送"
			}
			members.Rows = append(members.Rows, []any{m.Name, m.CreditCode, m.Grid, enterprise.FormatWan(m.NormalOutput), m.Workers, m.Latest,
				resumed, fmt.Sprintf("%.2f%%", float64(m.OutputShare)/100), m.OnSite})
		}
		if page*store.MaxPageSize >= total || page >= store.MaxPageNumber {
			break
		}
	}
	tables = append(tables, members)
	var buf bytes.Buffer
	if err := sheet.WriteTables(&buf, tables); err != nil {
		return err
	}
	// The workbook hands out every member in reach with its report: it is
	// recorded, as the site's other exports of enterprises are.
	if err := s.store.Record(ctx, a, "resumption.export", fmt.Sprintf("campaign/%d", c.ID), "ok",
		map[string]any{"members": len(members.Rows), "day": day}); err != nil {
		return err
	}
	core.SendXLSX(w, fmt.Sprintf("resumption-%d-%s.xlsx", c.ID, s.today()), buf.Bytes())
	return nil
}
