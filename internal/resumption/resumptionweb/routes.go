package resumptionweb

import (
	"qifu/internal/access"
	"qifu/internal/web/core"
)

// Routes lists the module's routes, pages first, then the API. The site
// registers them with every other module's (web.Server.routes).
func (s *Handlers) Routes() []core.Route {
	const (
		signedIn = core.SignedIn
		gated    = core.Gated
	)
	route := core.NewRoute
	pages := []core.Route{
		route("GET", "/resumption", gated, access.ResumeRead, "campaigns of checklists and status reports; an enterprise's own reports, applications and findings", s.homePage),
		route("GET", "/resumption/new", gated, access.CampaignRun, "start a campaign: a checklist to an audience, or status reports on a schedule", s.newPage),
		route("POST", "/resumption/campaigns", signedIn, access.CampaignRun, "start a campaign, its list frozen", s.startPage),
		route("GET", "/resumption/campaigns/{id}", gated, access.ResumeRead, "a campaign: the rates as of a day and broken down, or a checklist's restart applications", s.campaignPage),
		route("POST", "/resumption/campaigns/{id}/restart-mode", signedIn, access.CampaignRun, "switch a checklist campaign's restart procedure (approval, filing with a pledge) or threshold", s.restartModePage),
		route("GET", "/resumption/campaigns/{id}/exceptions", gated, access.ResumeRead, "exceptions first: not reported, electricity disagreeing, held up by a supplier, overdue findings", s.exceptionsPage),
		route("GET", "/resumption/campaigns/{id}/members", gated, access.ResumeRead, "a monitoring campaign's members with their latest report; missing=1 the non-reporters", s.membersPage),
		route("GET", "/resumption/campaigns/{id}/export.xlsx", gated, access.ResumeRead, "the rates by region, industry and size, and the members with their latest report, as a workbook", s.exportRates),
		route("GET", "/resumption/campaigns/{id}/report", gated, access.ResumeRead, "an enterprise's status report of the period, prefilled from its last", s.reportPage),
		route("POST", "/resumption/campaigns/{id}/report", signedIn, access.ResumeReport, "submit or correct the period's report, or \"no change\"", s.reportPost),
		route("GET", "/resumption/campaigns/{id}/restart", gated, access.ResumeRead, "an enterprise's restart application in a campaign, or the form to apply", s.restartFormPage),
		route("POST", "/resumption/campaigns/{id}/restart", signedIn, access.ResumeReport, "apply for a restart (or file with a pledge)", s.restartApplyPage),
		route("GET", "/resumption/restarts", gated, access.ResumeRead, "restart applications in reach, those waiting first", s.restartsPage),
		route("GET", "/resumption/restarts/{id}", gated, access.ResumeRead, "a restart application with its steps and the step the caller may take", s.restartPage),
		route("POST", "/resumption/restarts/{id}/act", signedIn, access.ResumeRead, "take a step of a restart application (the store checks the party)", s.restartActPage),
		route("GET", "/resumption/enterprises/{id}", gated, access.ResumeRead, "an enterprise's checks and findings", s.enterprisePage),
		route("GET", "/resumption/enterprises/{id}/check", gated, access.ResumeCheck, "the on-site check form of a checklist", s.checkFormPage),
		route("POST", "/resumption/enterprises/{id}/check", signedIn, access.ResumeCheck, "record an on-site check and its findings", s.checkPost),
		route("GET", "/resumption/findings", gated, access.ResumeRead, "findings in reach: improvements and rectifications, open and late first", s.findingsPage),
		route("GET", "/resumption/findings/{id}", gated, access.ResumeRead, "a finding, its re-check and its appeal", s.findingPage),
		route("POST", "/resumption/findings/{id}/close", signedIn, access.ResumeCheck, "close a finding after a re-check", s.closeFindingPage),
		route("POST", "/resumption/findings/{id}/appeal", gated, access.AppealCreate, "raise a finding that needs a department's action as an appeal", s.appealFindingPage),
		route("GET", "/resumption/blocks/{id}", gated, access.ResumeRead, "a lead firm held up by a supplier", s.blockPage),
		route("POST", "/resumption/blocks/{id}/resolve", signedIn, access.ResumeCheck, "record what was done for the supplier", s.resolveBlockPage),
		route("GET", "/resumption/flags/{id}", gated, access.ResumeRead, "a report the electricity disagrees with", s.flagPage),
		route("POST", "/resumption/flags/{id}/check", signedIn, access.ResumeCheck, "record the grid worker's check of a flag", s.checkFlagPage),
		route("GET", "/resumption/power", gated, access.ResumeDecide, "import the power company's file of electricity use", s.powerPage),
		route("POST", "/resumption/power", signedIn, access.ResumeDecide, "keep a file of electricity use: all rows or none; the reports are cross-checked", s.powerPost),
		route("GET", "/resumption/powers", gated, access.ResumeRead, "the departments' powers to inspect, by matter", s.powersPage),
		route("POST", "/resumption/powers", signedIn, access.DepartmentManage, "grant or withdraw a department's power to inspect a matter", s.powersPost),
	}
	return append(pages, s.apiRoutes()...)
}
