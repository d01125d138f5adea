package resumptionweb

import (
	"net/http"
	"strconv"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/web/core"
)

// The API under /api/v1/resumption: what the pages do, for apps, a
// command's dashboards and the power company's feed. Every change takes
// the record's version where it has one and answers 409 when it is stale;
// a record out of the caller's reach answers 404; a report submitted with
// an Idempotency-Key is made once (a retry answers 200 with the same
// report, the first 201).

// apiRoutes lists the module's API routes; Routes appends them to the pages.
func (s *Handlers) apiRoutes() []core.Route {
	// A list, or a record named in the body, is refused at the door to a
	// role without the action (403), as the pages are; a record named in
	// the path is the store's to refuse (404 out of reach).
	const (
		signedIn = core.SignedIn
		gated    = core.Gated
	)
	route := core.NewRoute
	paging := core.Paging
	enterprise := core.Param{Name: "enterprise", Type: "integer", Description: "an enterprise's id (an enterprise's account: its own)"}
	idem := core.Param{Name: "Idempotency-Key", Header: true, Description: "a key of at most 100 characters: a retry with the same key answers the report it made"}
	by := core.Param{Name: "by", Enum: resumptiondb.Breakdowns, Description: "break the rates down by region level, industry or size"}
	dayQ := core.Param{Name: "day", Description: "the day the rates are as of, YYYY-MM-DD (today by default)"}
	region := core.Param{Name: "region", Description: "only the members under a region code"}
	return []core.Route{
		route("GET", "/api/v1/resumption/checklists", gated, access.ResumeRead, "the checklists shipped: items with their weight, basis and who verifies them", core.Call(http.StatusOK, s.apiChecklists)).
			Gives(http.StatusOK, core.Items[checklistJSON]{}),
		route("GET", "/api/v1/resumption/campaigns", gated, access.ResumeRead, "campaigns in reach, the running first (kind: checklist or monitoring; state: running or closed)", core.Call(http.StatusOK, s.apiCampaigns)).
			Gives(http.StatusOK, core.List[campaignJSON]{}).Queries(core.Param{Name: "kind", Enum: []string{resumptiondb.KindChecklist, resumptiondb.KindMonitoring}},
			core.Param{Name: "state", Enum: []string{"running", "closed"}}).Queries(paging...),
		route("POST", "/api/v1/resumption/campaigns", signedIn, access.CampaignRun, "start a campaign: a checklist (kind checklist, with restart approval or filing and its threshold of employees) or status reports on a schedule (kind monitoring); the audience is frozen into its list, the denominator of its rates", core.Call(http.StatusCreated, s.apiStart)).
			Takes(exampleStart).Gives(http.StatusCreated, campaignJSON{}),
		route("GET", "/api/v1/resumption/campaigns/{id}", signedIn, access.ResumeRead, "one campaign", core.Call(http.StatusOK, s.apiCampaign)).
			Gives(http.StatusOK, campaignJSON{}),
		route("POST", "/api/v1/resumption/campaigns/{id}/restart-mode", signedIn, access.CampaignRun, "switch a checklist campaign's restart procedure (approval or filing) and threshold (needs settings_version)", core.Call(http.StatusOK, s.apiRestartMode)).
			Takes(restartModeInput{Restart: resumption.RestartFiling, Threshold: 100, SettingsVersion: 1}).Gives(http.StatusOK, campaignJSON{}),
		route("GET", "/api/v1/resumption/campaigns/{id}/rates", signedIn, access.ResumeRead, "a monitoring campaign's rates as of a day over the caller's reach: 复工率, 复产率, 产能恢复率, 返岗率 with their terms, in total and broken down; non-reporters count in every denominator", core.Call(http.StatusOK, s.apiRates)).
			Gives(http.StatusOK, ratesJSON{}).Queries(dayQ, by, region),
		route("GET", "/api/v1/resumption/campaigns/{id}/series", signedIn, access.ResumeRead, "a daily campaign's rates day by day from its start (at most 60 days)", core.Call(http.StatusOK, s.apiSeries)).
			Gives(http.StatusOK, core.Items[dayRatesJSON]{}).Queries(region),
		route("GET", "/api/v1/resumption/campaigns/{id}/members", signedIn, access.ResumeRead, "a monitoring campaign's members in reach with their latest report (missing=true: those that have not reported the period)", core.Call(http.StatusOK, s.apiMembers)).
			Gives(http.StatusOK, core.List[memberJSON]{}).Queries(dayQ, region, core.Param{Name: "missing", Type: "boolean"}).Queries(paging...),
		route("GET", "/api/v1/resumption/campaigns/{id}/exceptions", signedIn, access.ResumeRead, "what a leader sees first: not reported, electricity disagreeing, held up by a supplier, overdue findings — counts and the first ten of each", core.Call(http.StatusOK, s.apiExceptions)).
			Gives(http.StatusOK, exceptionsJSON{}),
		route("GET", "/api/v1/resumption/campaigns/{id}/reports", signedIn, access.ResumeRead, "reports of members in reach (period: a day, a week 2026-W49 or a month 2026-11; all by default), the newest first", core.Call(http.StatusOK, s.apiReports)).
			Gives(http.StatusOK, core.List[reportJSON]{}).Queries(core.Param{Name: "period"}).Queries(paging...),
		route("GET", "/api/v1/resumption/campaigns/{id}/report", signedIn, access.ResumeRead, "an enterprise's report of the current period if made, and its latest to prefill from", core.Call(http.StatusOK, s.apiReportPage)).
			Gives(http.StatusOK, prefillJSON{}).Queries(enterprise),
		route("POST", "/api/v1/resumption/campaigns/{id}/reports", signedIn, access.ResumeReport, "submit the current period's report, or correct it (version of this period's report), or no_change: the latest report repeated; suppliers named in blocked_by become to-dos of their grid workers; 201 made, 200 a retry answered", s.apiSubmit).
			Takes(exampleReport).Gives(http.StatusCreated, reportJSON{}).Or(http.StatusOK).Queries(idem),
		route("POST", "/api/v1/resumption/campaigns/{id}/cross-check", signedIn, access.ResumeDecide, "cross-check a monitoring campaign's reports with the month's electricity again (the import does it by itself)", core.Call(http.StatusOK, s.apiCrossCheck)).
			Takes(crossCheckInput{Month: "2026-11"}).Gives(http.StatusOK, flaggedJSON{}),
		route("POST", "/api/v1/resumption/campaigns/{id}/restarts", signedIn, access.ResumeReport, "apply for a restart (after the campaign's checklist is submitted as the prevention plan), or file with a pledge in the filing phase; again after a refusal or withdrawal", core.Call(http.StatusCreated, s.apiApply)).
			Takes(exampleRestart).Gives(http.StatusCreated, restartJSON{}),
		route("GET", "/api/v1/resumption/restarts", gated, access.ResumeRead, "restart applications in reach, those waiting first", core.Call(http.StatusOK, s.apiRestarts)).
			Gives(http.StatusOK, core.List[restartJSON]{}).Queries(core.Param{Name: "campaign", Type: "integer"}, core.Param{Name: "state",
			Enum: []string{resumption.Applied, resumption.Checked, resumption.Approved, resumption.Refused, resumption.Filed, resumption.Withdrawn}}).Queries(paging...),
		route("GET", "/api/v1/resumption/restarts/{id}", signedIn, access.ResumeRead, "a restart application with its steps", core.Call(http.StatusOK, s.apiRestart)).
			Gives(http.StatusOK, restartJSON{}),
		route("POST", "/api/v1/resumption/restarts/{id}/act", signedIn, access.ResumeRead, "take a step (check: the street on site; approve or refuse: the street below the threshold, the command at or above it, a refusal with its reason; withdraw: the applicant), at the application's version", core.Call(http.StatusOK, s.apiAct)).
			Takes(actInput{Action: "check", Version: 1}).Gives(http.StatusOK, restartJSON{}),
		route("POST", "/api/v1/resumption/checks", gated, access.ResumeCheck, "record an on-site check of a checklist and its findings: a community's or grid worker's agrees improvements with the enterprise's consent; a department's staff may order a rectification (basis, deadline) where the department holds the power to inspect the matter", core.Call(http.StatusCreated, s.apiCheck)).
			Takes(exampleCheck).Gives(http.StatusCreated, checkJSON{}),
		route("GET", "/api/v1/resumption/enterprises/{id}/checks", signedIn, access.ResumeRead, "an enterprise's checks, the newest first", core.Call(http.StatusOK, s.apiChecks)).
			Gives(http.StatusOK, core.Items[checkJSON]{}),
		route("GET", "/api/v1/resumption/findings", gated, access.ResumeRead, "findings in reach, the open and nearest deadline first (late=true: past their deadline)", core.Call(http.StatusOK, s.apiFindings)).
			Gives(http.StatusOK, core.List[findingJSON]{}).Queries(core.Param{Name: "enterprise", Type: "integer"}, core.Param{Name: "state", Enum: []string{"open", "closed"}},
			core.Param{Name: "kind", Enum: []string{string(resumption.Improvement), string(resumption.Rectification)}}, core.Param{Name: "late", Type: "boolean"}).Queries(paging...),
		route("GET", "/api/v1/resumption/findings/{id}", signedIn, access.ResumeRead, "one finding", core.Call(http.StatusOK, s.apiFinding)).
			Gives(http.StatusOK, findingJSON{}),
		route("POST", "/api/v1/resumption/findings/{id}/close", signedIn, access.ResumeCheck, "close a finding after a re-check (a rectification by the department that ordered it), at its version", core.Call(http.StatusOK, s.apiCloseFinding)).
			Takes(closeInput{Version: 1, Note: "复查：已整改到位"}).Gives(http.StatusOK, findingJSON{}),
		route("POST", "/api/v1/resumption/findings/{id}/appeal", gated, access.AppealCreate, "raise an open finding that needs a department's action as an appeal of its enterprise (once: again answers the same appeal)", core.Call(http.StatusOK, s.apiAppeal)).
			Takes(appealInput{Category: "other"}).Gives(http.StatusOK, findingJSON{}),
		route("GET", "/api/v1/resumption/blocks", gated, access.ResumeRead, "lead firms held up by suppliers, read by those who read the lead or the supplier", core.Call(http.StatusOK, s.apiBlocks)).
			Gives(http.StatusOK, core.List[blockJSON]{}).Queries(core.Param{Name: "campaign", Type: "integer"}, core.Param{Name: "state", Enum: []string{"open", "resolved"}}).Queries(paging...),
		route("POST", "/api/v1/resumption/blocks/{id}/resolve", signedIn, access.ResumeCheck, "record what was done for the supplier, at the block's version; the lead firm is told", core.Call(http.StatusOK, s.apiResolve)).
			Takes(answerInput{Version: 1, Answer: "供应商已复工"}).Gives(http.StatusOK, blockJSON{}),
		route("GET", "/api/v1/resumption/flags", gated, access.ResumeRead, "reports the electricity disagrees with, in reach, the open first", core.Call(http.StatusOK, s.apiFlags)).
			Gives(http.StatusOK, core.List[flagJSON]{}).Queries(core.Param{Name: "campaign", Type: "integer"}, core.Param{Name: "state", Enum: []string{"open", "checked"}}).Queries(paging...),
		route("POST", "/api/v1/resumption/flags/{id}/check", signedIn, access.ResumeCheck, "record the grid worker's check of a flag, at its version", core.Call(http.StatusOK, s.apiCheckFlag)).
			Takes(answerInput{Version: 1, Answer: "已上门核实：设备检修，实际已复工"}).Gives(http.StatusOK, flagJSON{}),
		route("POST", "/api/v1/resumption/power", signedIn, access.ResumeDecide, "keep the power company's rows of electricity use (kWh a month), all or none: 200 with the rows kept and the flags raised, or 422 with every refused row", s.apiPower).
			Takes(powerInput{Rows: []powerRowJSON{{CreditCode: "91330206MA2H5GXXXX", Month: "2026-11", KWh: 120000}}}).Gives(http.StatusOK, powerResultJSON{}).
			Fails(http.StatusUnprocessableEntity, powerResultJSON{}),
		route("GET", "/api/v1/resumption/powers", gated, access.ResumeRead, "the departments' powers to inspect, by matter", core.Call(http.StatusOK, s.apiPowers)).
			Gives(http.StatusOK, core.Items[powerJSON]{}),
		route("PUT", "/api/v1/resumption/powers", signedIn, access.DepartmentManage, "grant (basis given) or withdraw (basis empty) a department's power to inspect a matter", core.Call(http.StatusNoContent, s.apiSetPower)).
			Takes(powerJSON{DepartmentID: 1, Matter: "epidemic", Basis: "《中华人民共和国传染病防治法》第五十三条"}).Gives(http.StatusNoContent, nil),
	}
}

type itemJSON struct {
	Key      string `json:"key"`
	Zh       string `json:"zh"`
	En       string `json:"en"`
	Weight   int    `json:"weight"`
	Basis    string `json:"basis"`
	Verifier string `json:"verifier"`
}

type groupJSON struct {
	Zh    string     `json:"zh"`
	En    string     `json:"en"`
	Items []itemJSON `json:"items"`
}

type checklistJSON struct {
	Key    string      `json:"key"`
	Zh     string      `json:"zh"`
	En     string      `json:"en"`
	Matter string      `json:"matter"`
	Groups []groupJSON `json:"groups"`
}

func (s *Handlers) apiChecklists(_ *http.Request, _ access.Actor, _ int64, _ core.NoBody) (core.Items[checklistJSON], error) {
	out := core.Items[checklistJSON]{Items: []checklistJSON{}}
	for _, c := range resumption.Templates {
		j := checklistJSON{Key: c.Key, Zh: c.Zh, En: c.En, Matter: c.Matter}
		for _, g := range c.Groups {
			gj := groupJSON{Zh: g.Zh, En: g.En}
			for _, it := range g.Items {
				gj.Items = append(gj.Items, itemJSON{Key: it.Key, Zh: it.Zh, En: it.En, Weight: it.Weight, Basis: it.Basis, Verifier: string(it.Verifier)})
			}
			j.Groups = append(j.Groups, gj)
		}
		out.Items = append(out.Items, j)
	}
	return out, nil
}

type startInput struct {
	Kind        string              `json:"kind"`
	Checklist   string              `json:"checklist,omitempty"`
	Title       string              `json:"title"`
	Due         string              `json:"due"`
	Audience    audience.Definition `json:"audience"`
	Schedule    string              `json:"schedule,omitempty"`
	Restart     string              `json:"restart,omitempty"`
	Threshold   int                 `json:"threshold,omitempty"`
	LowPower    int                 `json:"low_power,omitempty"`
	HighPower   int                 `json:"high_power,omitempty"`
	RetainUntil string              `json:"retain_until,omitempty"`
}

var exampleStart = startInput{Kind: resumptiondb.KindMonitoring, Title: "复工复产情况日报", Due: "2026-12-31",
	Audience: audience.Definition{Regions: []string{"330206001"}}, Schedule: resumption.Daily, LowPower: 3000, HighPower: 7000, RetainUntil: "2027-03-31"}

type campaignJSON struct {
	ID              int64     `json:"id"`
	Kind            string    `json:"kind"`
	Title           string    `json:"title"`
	Checklist       string    `json:"checklist,omitempty"`
	Schedule        string    `json:"schedule,omitempty"`
	Restart         string    `json:"restart,omitempty"`
	Threshold       int       `json:"threshold,omitempty"`
	LowPower        int       `json:"low_power"`
	HighPower       int       `json:"high_power"`
	RetainUntil     string    `json:"retain_until,omitempty"`
	Due             string    `json:"due"`
	State           string    `json:"state"`
	StartedAt       time.Time `json:"started_at"`
	FormID          int64     `json:"form_id"`
	Period          string    `json:"period"`
	SettingsVersion int64     `json:"settings_version"`
	Version         int64     `json:"version"`
}

func (s *Handlers) toCampaign(c resumptiondb.Campaign) campaignJSON {
	return campaignJSON{ID: c.ID, Kind: c.Kind, Title: c.Title, Checklist: c.Checklist, Schedule: c.Schedule, Restart: c.Restart,
		Threshold: c.Threshold, LowPower: c.LowPower, HighPower: c.HighPower, RetainUntil: c.RetainUntil, Due: c.Due, State: c.State,
		StartedAt: c.StartedAt, FormID: c.FormID, Period: c.Period(s.store.Now()), SettingsVersion: c.Settings, Version: c.Version}
}

func (s *Handlers) apiCampaigns(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[campaignJSON], error) {
	q := r.URL.Query()
	list, total, err := s.res.Campaigns(r.Context(), a, resumptiondb.CampaignQuery{Kind: q.Get("kind"), State: q.Get("state"), Page: core.PageOf(r)})
	out := core.List[campaignJSON]{Items: []campaignJSON{}, Total: total}
	for _, c := range list {
		out.Items = append(out.Items, s.toCampaign(c))
	}
	return out, err
}

func (s *Handlers) apiStart(r *http.Request, a access.Actor, _ int64, in startInput) (campaignJSON, error) {
	c, err := s.res.Start(r.Context(), a, resumptiondb.Input{Kind: in.Kind, Checklist: in.Checklist, Title: in.Title, Due: in.Due, Audience: in.Audience,
		Schedule: in.Schedule, Restart: in.Restart, Threshold: in.Threshold, LowPower: in.LowPower, HighPower: in.HighPower, RetainUntil: in.RetainUntil})
	return s.toCampaign(c), err
}

func (s *Handlers) apiCampaign(r *http.Request, a access.Actor, id int64, _ core.NoBody) (campaignJSON, error) {
	c, err := s.res.Campaign(r.Context(), a, id)
	return s.toCampaign(c), err
}

type restartModeInput struct {
	Restart         string `json:"restart"`
	Threshold       int    `json:"threshold"`
	SettingsVersion int64  `json:"settings_version"`
}

func (s *Handlers) apiRestartMode(r *http.Request, a access.Actor, id int64, in restartModeInput) (campaignJSON, error) {
	c, err := s.res.SetRestart(r.Context(), a, id, in.SettingsVersion, in.Restart, in.Threshold)
	return s.toCampaign(c), err
}

// rateJSON is the rates with their terms.
type rateJSON struct {
	Members     int     `json:"members"`
	Reported    int     `json:"reported"`
	NotReported int     `json:"not_reported"`
	Resumed     int     `json:"resumed"`
	Producing   int     `json:"producing"`
	Output      int64   `json:"output"`
	Normal      int64   `json:"normal_output"`
	OnSite      int     `json:"on_site"`
	Workers     int     `json:"workers"`
	Resumption  float64 `json:"resumption_rate"`
	Production  float64 `json:"production_rate"`
	Capacity    float64 `json:"capacity_recovery_rate"`
	Return      float64 `json:"return_rate"`
}

func toRate(x resumption.Rates) rateJSON {
	return rateJSON{Members: x.Members, Reported: x.Reported, NotReported: x.Members - x.Reported, Resumed: x.Resumed, Producing: x.Producing,
		Output: x.Output, Normal: x.Normal, OnSite: x.OnSite, Workers: x.Workers, Resumption: x.Resumption(), Production: x.Production(),
		Capacity: x.Capacity(), Return: x.Return()}
}

type rateRowJSON struct {
	Key    string   `json:"key"`
	Name   string   `json:"name"`
	NameEn string   `json:"name_en"`
	Rates  rateJSON `json:"rates"`
}

type ratesJSON struct {
	Day   string        `json:"day,omitempty"`
	Total rateJSON      `json:"total"`
	By    string        `json:"by,omitempty"`
	Rows  []rateRowJSON `json:"rows"`
}

func (s *Handlers) apiRates(r *http.Request, a access.Actor, id int64, _ core.NoBody) (ratesJSON, error) {
	q := r.URL.Query()
	total, rows, err := s.res.Rates(r.Context(), a, id, resumptiondb.RateQuery{Day: q.Get("day"), By: q.Get("by"), Region: q.Get("region")})
	out := ratesJSON{Day: q.Get("day"), By: q.Get("by"), Total: toRate(total), Rows: []rateRowJSON{}}
	for _, x := range rows {
		out.Rows = append(out.Rows, rateRowJSON{Key: x.Key, Name: x.Name, NameEn: x.NameEn, Rates: toRate(x.Rates)})
	}
	return out, err
}

type dayRatesJSON struct {
	Day   string   `json:"day"`
	Rates rateJSON `json:"rates"`
}

func (s *Handlers) apiSeries(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.Items[dayRatesJSON], error) {
	list, err := s.res.Series(r.Context(), a, id, r.URL.Query().Get("region"))
	out := core.Items[dayRatesJSON]{Items: []dayRatesJSON{}}
	for _, d := range list {
		out.Items = append(out.Items, dayRatesJSON{Day: d.Day, Rates: toRate(d.Rates)})
	}
	return out, err
}

type memberJSON struct {
	EnterpriseID  int64  `json:"enterprise_id"`
	Name          string `json:"name"`
	CreditCode    string `json:"credit_code"`
	Grid          string `json:"grid"`
	GridCode      string `json:"grid_code"`
	NormalOutput  int64  `json:"normal_output"`
	Workers       int    `json:"workers"`
	Latest        string `json:"latest_period"`
	Resumed       bool   `json:"resumed"`
	OutputShare   int    `json:"output_share"`
	OnSite        int    `json:"on_site"`
	ReportWorkers int    `json:"report_workers"`
}

func toMember(m resumptiondb.Member) memberJSON {
	return memberJSON{EnterpriseID: m.EnterpriseID, Name: m.Name, CreditCode: m.CreditCode, Grid: m.Grid, GridCode: m.GridCode,
		NormalOutput: m.NormalOutput, Workers: m.Workers, Latest: m.Latest, Resumed: m.Resumed, OutputShare: m.OutputShare, OnSite: m.OnSite,
		ReportWorkers: m.ReportWorkers}
}

func (s *Handlers) apiMembers(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.List[memberJSON], error) {
	q := r.URL.Query()
	missing, _ := strconv.ParseBool(q.Get("missing"))
	list, total, err := s.res.Members(r.Context(), a, id, resumptiondb.MemberQuery{Day: q.Get("day"), Region: q.Get("region"), Missing: missing, Page: core.PageOf(r)})
	out := core.List[memberJSON]{Items: []memberJSON{}, Total: total}
	for _, m := range list {
		out.Items = append(out.Items, toMember(m))
	}
	return out, err
}
