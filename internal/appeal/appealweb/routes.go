package appealweb

import (
	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/notify"
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
	return []core.Route{
		// Pages.
		route("GET", "/appeals", gated, access.AppealRead, "appeal lists: the role's queues", s.appealsPage),
		route("GET", "/appeals/new", gated, access.AppealCreate, "raise an appeal form", s.newAppealPage),
		route("POST", "/appeals", signedIn, access.AppealCreate, "raise an appeal", s.createAppealPage),
		route("GET", "/appeals/{id}", signedIn, access.AppealRead, "appeal with its timeline and the steps the user may take", s.appealPage),
		route("POST", "/appeals/{id}/actions/{action}", signedIn, access.AppealRead, "take a step on an appeal (the lifecycle table decides who may)", s.actAppealPage),
		route("POST", "/appeals/{id}/attachments", signedIn, access.AppealRead, "attach a file to an appeal", s.attachPage),
		route("GET", "/attachments/{id}", signedIn, access.AppealRead, "download an attachment", s.attachmentFile),
		route("GET", "/overview", gated, access.AppealAssess, "leaders' overview with charts", s.overviewPage),
		route("GET", "/assessment", gated, access.AppealAssess, "the three rates with rankings", s.assessmentPage),
		route("GET", "/assessment/export.xlsx", gated, access.AppealAssess, "export the assessment table", s.exportAssessment),
		route("GET", "/appeals/export.xlsx", gated, access.AppealRead, "export an appeal list", s.exportAppeals),
		route("GET", "/settings", gated, access.AppealConfigure, "appeal settings: categories, time limits, group robots", s.settingsPage),
		route("POST", "/settings/categories", gated, access.AppealConfigure, "add or change a category", s.saveCategoryPage),
		route("POST", "/settings/limits", gated, access.AppealConfigure, "set a time-limit rule", s.setLimitPage),
		route("POST", "/settings/redo", gated, access.AppealConfigure, "set the number of redos", s.setMaxRedoPage),
		route("POST", "/settings/supervisor", gated, access.AppealConfigure, "set where complaints about a department go", s.setSupervisorPage),
		route("POST", "/settings/webhooks", gated, access.AppealConfigure, "add a group robot", s.addWebhookPage),
		route("POST", "/settings/webhooks/{id}/delete", gated, access.AppealConfigure, "remove a group robot", s.deleteWebhookPage),

		// API.
		route("GET", "/api/v1/appeals", signedIn, access.AppealRead, "list appeals (queue, state, category, region, q, from, to)", s.apiAppeals).
			Gives(200, core.List[AppealRowJSON]{}).Queries(listFilters()...).Queries(core.Paging...),
		route("POST", "/api/v1/appeals", signedIn, access.AppealCreate, "raise an appeal (Idempotency-Key header: a retry answers 200 with the same appeal)", s.apiCreateAppeal).
			Takes(exampleInput).Gives(201, AppealJSON{}).Or(200),
		route("GET", "/api/v1/appeals/{id}", signedIn, access.AppealRead, "one appeal with timeline, dispatches, clocks and the caller's actions", s.apiAppeal).
			Gives(200, AppealViewJSON{}),
		route("POST", "/api/v1/appeals/{id}/actions/{action}", signedIn, access.AppealRead, "take a step on an appeal (needs version; 409 when stale)", s.apiAct).
			Takes(ActionInput{}).Gives(200, AppealViewJSON{}).Spread(actionVariants()),
		route("POST", "/api/v1/appeals/{id}/attachments", signedIn, access.AppealRead, "attach a file (multipart field file): images, PDF, Office documents", s.apiAttach).
			Uploads("file").Gives(201, AttachmentJSON{}),
		route("GET", "/api/v1/attachments/{id}", signedIn, access.AppealRead, "download an attachment", s.attachmentFile).Sends("application/octet-stream"),
		route("GET", "/api/v1/appeal-categories", gated, access.AppealRead, "the category tree", s.apiAppealCategories).Gives(200, core.Items[appeal.Category]{}),
		route("GET", "/api/v1/assessment", signedIn, access.AppealAssess, "the three rates (dimension, region, from, to: dates, both included; basic_weight, rank_by)", s.apiAssessment).
			Gives(200, AssessmentJSON{}).Queries(assessFilters()...),
		route("GET", "/api/v1/overview", signedIn, access.AppealAssess, "volumes, states and overdue counts (region, from, to: dates, both included)", s.apiOverview).
			Gives(200, OverviewJSON{}).Queries(periodFilters...),
		route("PUT", "/api/v1/appeal-categories/{code}", signedIn, access.AppealConfigure, "add or change a category", s.apiSaveCategory).
			Takes(appeal.Category{Parent: "labour", Name: "技能培训", NameEn: "Skills training", Departments: []string{"hrss"}}).Gives(200, appeal.Category{}),
		route("GET", "/api/v1/appeal-limits", gated, access.AppealConfigure, "time-limit rules and the defaults", s.apiLimitRules).Gives(200, LimitRulesJSON{}),
		route("PUT", "/api/v1/appeal-limits", signedIn, access.AppealConfigure, "set a time-limit rule (n = 0 removes it)", s.apiSetLimitRule).
			Takes(LimitRuleJSON{Category: "labour", Step: appeal.StepHandle, N: 3, Days: true}).Gives(200, LimitRuleJSON{}),
		route("GET", "/api/v1/appeal-settings", gated, access.AppealConfigure, "the workflow's settings (max_redo, complaint_supervisor)", s.apiAppealSettings).Gives(200, SettingsJSON{}),
		route("PUT", "/api/v1/appeal-settings", signedIn, access.AppealConfigure, "change the workflow's settings", s.apiSetAppealSettings).
			Takes(SettingsInput{MaxRedo: new(1)}).Gives(200, SettingsJSON{}),
		route("GET", "/api/v1/webhooks", signedIn, access.AppealConfigure, "group robots", s.apiWebhooks).Gives(200, core.Items[WebhookJSON]{}),
		route("POST", "/api/v1/webhooks", signedIn, access.AppealConfigure, "add a group robot", s.apiAddWebhook).
			Takes(WebhookJSON{ScopeKind: "region", Scope: "330206001001", Format: notify.WeCom, URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"}).
			Gives(201, WebhookJSON{}),
		route("DELETE", "/api/v1/webhooks/{id}", signedIn, access.AppealConfigure, "remove a group robot", s.apiDeleteWebhook).Gives(204, nil),
	}
}
