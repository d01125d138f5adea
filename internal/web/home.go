package web

import (
	"net/http"
	"strconv"

	"qifu/internal/access"
	"qifu/internal/appeal/appealweb"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/place"
	"qifu/internal/policy/policydb"
	"qifu/internal/pool/pooldb"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/store"
	"qifu/internal/visit/visitdb"
	"qifu/internal/web/core"
)

// homePageData is the home page of a role: the figures of the actor's
// scope and the actions the role has.
type homePageData struct {
	core.Base
	ScopeName    string
	Enterprises  int
	Unconfirmed  int
	Grids        int
	Outside      int
	NoWorker     int
	Departments  int
	Users        int
	Mine         []enterprise.Enterprise // an enterprise user's or cadre's enterprises
	ShowFigures  bool
	CanImport    bool
	CanCreate    bool
	CanUsers     bool
	CanAudit     bool
	OutsideGrids []store.GridLoad
	// The appeal workflow: the role's queues with their counts.
	Queues      []appealweb.QueueTab
	CanRaise    bool
	CanOverview bool
	Unread      int // the user's unread notices
	// Todo is the person's to-do list, its first items (the enterprise's
	// own first, before its services).
	Todo todoData
	// MissingYear warns an administrator of the next year's holidays not
	// yet entered (calendar.NextYearMissing), else 0.
	MissingYear int
	// Visits are a leader's figures of the visits of the last 90 days in
	// its region, shown beside the three rates; nil for other roles.
	Visits *visitdb.Figures
	// Rates are the visits' rates in words.
	SolvedRate, SatisfiedRate string
	// Pool are a leader's figures of the turnover pool of the last 90 days
	// in its region; nil for other roles.
	Pool *pooldb.Figures
	// PoolHours is the median hours to a need's first worker on site, in words.
	PoolHours string
	// Policy is a leader's funnel of precise push over the last 90 days in
	// its region (the total row); nil for other roles.
	Policy *policydb.FunnelRow
	// Resumption are a leader's exceptions of the newest running
	// monitoring campaign in its reach, with its rates; nil when none.
	Resumption *resumptiondb.Exceptions
	// ResumedRate and CapacityRate are that campaign's 复工率 and
	// 产能恢复率 as of today, in words.
	ResumedRate, CapacityRate string
}

// homeOutsideShown is the most grids outside the norm the home page names;
// the places page lists them all.
const homeOutsideShown = 20

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	ctx := r.Context()
	p := &homePageData{CanImport: access.May(a.Role, access.EnterpriseImport), CanCreate: access.May(a.Role, access.EnterpriseCreate),
		CanUsers: access.May(a.Role, access.UserManage), CanAudit: access.May(a.Role, access.AuditRead)}
	lang := core.LangOf(r)
	p.Unread = core.UnreadOf(r)
	if access.May(a.Role, access.AppealRead) {
		tabs, err := s.appeals.QueueTabs(ctx, a, lang, "")
		if err != nil {
			return err
		}
		p.Queues = tabs
	}
	todo, err := s.todoOf(r, a, "", store.Page{Size: todoHomeShown})
	if err != nil {
		return err
	}
	p.Todo = todo
	p.CanRaise, p.CanOverview = access.May(a.Role, access.AppealCreate), access.May(a.Role, access.AppealAssess)
	if p.CanOverview && access.ReachOf(a.Role, access.VisitRead) == access.Region && s.mods.Visits != nil {
		now := s.store.Now().In(calendar.Shanghai)
		f, _, err := s.mods.Visits.FiguresOf(ctx, a, "", visitdb.Period{From: now.AddDate(0, 0, -89).Format("2006-01-02"), To: now.Format("2006-01-02")}, visitdb.ByRegion)
		if err != nil {
			return err
		}
		p.Visits, p.SolvedRate, p.SatisfiedRate = &f, rateText(f.SolvedRate()), rateText(f.SatisfiedRate())
	}
	if p.CanOverview && access.ReachOf(a.Role, access.PoolRead) == access.Region && s.mods.Pool != nil {
		now := s.store.Now().In(calendar.Shanghai)
		f, _, err := s.mods.Pool.FiguresOf(ctx, a, "", pooldb.Period{From: now.AddDate(0, 0, -89).Format("2006-01-02"), To: now.Format("2006-01-02")})
		if err != nil {
			return err
		}
		p.Pool, p.PoolHours = &f, "—"
		if f.HoursMedian >= 0 {
			p.PoolHours = strconv.FormatFloat(f.HoursMedian, 'f', 1, 64)
		}
	}
	if p.CanOverview && access.ReachOf(a.Role, access.PolicyRead) == access.Region && s.mods.Policy != nil {
		now := s.store.Now().In(calendar.Shanghai)
		rows, err := s.mods.Policy.Funnel(ctx, a, policydb.FunnelQuery{From: now.AddDate(0, 0, -89).Format("2006-01-02"), To: now.Format("2006-01-02")})
		if err != nil {
			return err
		}
		p.Policy = &rows[len(rows)-1]
	}
	if p.CanOverview && access.ReachOf(a.Role, access.ResumeRead) == access.Region && s.mods.Resumption != nil {
		list, _, err := s.mods.Resumption.Campaigns(ctx, a, resumptiondb.CampaignQuery{Kind: resumptiondb.KindMonitoring, State: "running", Page: store.Page{Size: 1}})
		if err != nil {
			return err
		}
		if len(list) > 0 {
			x, err := s.mods.Resumption.Exceptions(ctx, a, list[0].ID)
			if err != nil {
				return err
			}
			rates, _, err := s.mods.Resumption.Rates(ctx, a, list[0].ID, resumptiondb.RateQuery{})
			if err != nil {
				return err
			}
			p.Resumption, p.ResumedRate, p.CapacityRate = &x, resumption.Percent(rates.Resumption()), resumption.Percent(rates.Capacity())
		}
	}
	if access.May(a.Role, access.AppealConfigure) {
		days, err := s.store.CalendarDays(ctx)
		if err != nil {
			return err
		}
		p.MissingYear = calendar.NextYearMissing(s.store.Now(), append(calendar.Official(), days...))
	}
	if access.May(a.Role, access.RegionRead) && a.RegionCode != "" {
		names, err := s.store.RegionNames(ctx, a, []string{a.RegionCode})
		if err != nil {
			return err
		}
		p.ScopeName = names[a.RegionCode]
	}
	switch access.ReachOf(a.Role, access.EnterpriseRead) {
	case access.Region, access.All:
		p.ShowFigures = true
		var err error
		if p.Enterprises, err = s.store.CountEnterprises(ctx, a, store.EnterpriseQuery{}); err != nil {
			return err
		}
		if p.Unconfirmed, err = s.store.CountEnterprises(ctx, a, store.EnterpriseQuery{Unconfirmed: true}); err != nil {
			return err
		}
		under := ""
		if f := access.FilterFor(a, access.EnterpriseRead); f.Reach == access.Region {
			under = f.Code
		}
		grids, err := s.store.GridSummary(ctx, a, under, homeOutsideShown)
		if err != nil {
			return err
		}
		p.Grids, p.Outside, p.NoWorker, p.OutsideGrids = grids.Grids, grids.Outside, grids.NoWorker, grids.FirstOutside
	case access.Own, access.Assigned:
		list, _, err := s.store.Enterprises(ctx, a, store.EnterpriseQuery{Page: store.Page{Size: 50}})
		if err != nil {
			return err
		}
		p.Mine = list
	}
	if a.Role == access.RoleAdmin {
		depts, err := s.store.Departments(ctx, a)
		if err != nil {
			return err
		}
		p.Departments = len(depts)
		_, n, err := s.store.Users(ctx, a, store.UserQuery{Disabled: "no"})
		if err != nil {
			return err
		}
		p.Users = n
	}
	if p.ScopeName == "" && a.RegionCode != "" {
		p.ScopeName = a.RegionCode + " " + place.LevelOf(a.RegionCode).Zh()
	}
	p.Title = s.T(lang, "nav.home")
	s.Render(w, r, http.StatusOK, "home", p)
	return nil
}

// rateText is a rate in percent with one decimal, "—" when there is none (-1).
func rateText(f float64) string {
	if f < 0 {
		return "—"
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + "%"
}
