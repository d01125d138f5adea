package web

import (
	"net/http"

	"qifu/internal/access"
)

// authPolicy says who may call a route at all; what the caller may do to
// which record is decided in the domain, by package access.
type authPolicy int

const (
	public   authPolicy = iota // anyone, signed in or not
	signedIn                   // a session cookie or an API token
	// gated: signed in, with a role that has the route's action; others
	// are refused at the door (403). The other signed-in routes leave the
	// refusal to the store, which answers a record the caller may not see
	// with 404 and a list with what the caller may see.
	gated
)

// route is one entry of the surface. Action names the domain action the
// route exercises, for the docs and the access tests; empty when the route
// reads or changes only the caller's own things.
type route struct {
	method, path string
	auth         authPolicy
	action       access.Action
	summary      string // one line, for the OpenAPI document
	h            handler
}

// routes lists every route qifu serves, pages first, then the API.
func (s *Server) routes() []route {
	return []route{
		// Operations.
		{"GET", "/healthz", public, "", "process is up", s.healthz},
		{"GET", "/readyz", public, "", "store reachable and migrated", s.readyz},
		{"GET", "/metrics", public, "", "Prometheus metrics", s.serveMetrics},

		// Pages.
		{"GET", "/login", public, "", "sign-in page", s.loginPage},
		{"POST", "/login", public, "", "sign in", s.login},
		{"POST", "/logout", signedIn, "", "sign out", s.logout},
		{"POST", "/lang", public, "", "switch language", s.switchLang},
		{"GET", "/{$}", signedIn, "", "home page of the role", s.home},
		{"GET", "/enterprises", signedIn, access.EnterpriseRead, "enterprise list", s.enterprisesPage},
		{"GET", "/enterprises/new", gated, access.EnterpriseCreate, "new enterprise form", s.newEnterprisePage},
		{"POST", "/enterprises", signedIn, access.EnterpriseCreate, "register an enterprise", s.createEnterprise},
		{"GET", "/enterprises/{id}", signedIn, access.EnterpriseRead, "enterprise detail", s.enterprisePage},
		{"GET", "/enterprises/{id}/edit", signedIn, access.EnterpriseUpdate, "edit enterprise form", s.editEnterprisePage},
		{"POST", "/enterprises/{id}", signedIn, access.EnterpriseUpdate, "update an enterprise", s.updateEnterprise},
		{"POST", "/enterprises/{id}/reveal", signedIn, access.PersonalView, "show full contact details", s.revealEnterprisePage},
		{"GET", "/enterprises/export.xlsx", signedIn, access.EnterpriseExport, "export enterprises", s.exportEnterprises},
		{"GET", "/enterprises/template.xlsx", gated, access.EnterpriseImport, "import template", s.importTemplate},
		{"GET", "/enterprises/import", gated, access.EnterpriseImport, "import form", s.importPage},
		{"POST", "/enterprises/import", gated, access.EnterpriseImport, "import enterprises", s.importEnterprisesPage},
		{"GET", "/imports/{id}/problems.xlsx", signedIn, access.EnterpriseImport, "import error report", s.importProblems},
		{"GET", "/places", signedIn, access.RegionRead, "regions and grid loads", s.placesPage},
		{"POST", "/places/{code}/worker", signedIn, access.RegionManage, "set a grid's worker", s.setGridWorkerPage},
		{"GET", "/departments", signedIn, access.DepartmentRead, "departments", s.departmentsPage},
		{"GET", "/users", signedIn, access.UserRead, "user list", s.usersPage},
		{"GET", "/users/new", gated, access.UserManage, "new user form", s.newUserPage},
		{"POST", "/users", signedIn, access.UserManage, "create a user", s.createUserPage},
		{"GET", "/users/{id}", signedIn, access.UserRead, "user detail", s.userPage},
		{"POST", "/users/{id}", signedIn, access.UserManage, "update a user", s.updateUserPage},
		{"POST", "/users/{id}/password", gated, access.UserManage, "reset a password", s.resetPasswordPage},
		{"POST", "/users/{id}/disable", signedIn, access.UserManage, "disable a user", s.disableUserPage},
		{"POST", "/users/{id}/enable", signedIn, access.UserManage, "enable a user", s.enableUserPage},
		{"GET", "/audit", signedIn, access.AuditRead, "audit log", s.auditPage},
		{"GET", "/audit/export.csv", signedIn, access.AuditRead, "export the audit log", s.exportAudit},
		{"GET", "/appeals", gated, access.AppealRead, "appeal lists: the role's queues", s.appealsPage},
		{"GET", "/appeals/new", gated, access.AppealCreate, "raise an appeal form", s.newAppealPage},
		{"POST", "/appeals", signedIn, access.AppealCreate, "raise an appeal", s.createAppealPage},
		{"GET", "/appeals/{id}", signedIn, access.AppealRead, "appeal with its timeline and the steps the user may take", s.appealPage},
		{"POST", "/appeals/{id}/actions/{action}", signedIn, access.AppealRead, "take a step on an appeal (the lifecycle table decides who may)", s.actAppealPage},
		{"POST", "/appeals/{id}/attachments", signedIn, access.AppealRead, "attach a file to an appeal", s.attachPage},
		{"GET", "/attachments/{id}", signedIn, access.AppealRead, "download an attachment", s.attachmentFile},
		{"GET", "/inbox", signedIn, "", "my notifications", s.inboxPage},
		{"POST", "/inbox/read", signedIn, "", "mark notifications read", s.markReadPage},
		{"GET", "/overview", gated, access.AppealAssess, "leaders' overview with charts", s.overviewPage},
		{"GET", "/assessment", gated, access.AppealAssess, "the three rates with rankings", s.assessmentPage},
		{"GET", "/assessment/export.xlsx", gated, access.AppealAssess, "export the assessment table", s.exportAssessment},
		{"GET", "/calendar", gated, access.AppealConfigure, "working-day calendar", s.calendarPage},
		{"POST", "/calendar/days", gated, access.AppealConfigure, "add or change a calendar day", s.setCalendarDayPage},
		{"POST", "/calendar/days/{date}/delete", gated, access.AppealConfigure, "remove a calendar day", s.deleteCalendarDayPage},
		{"GET", "/appeals/export.xlsx", gated, access.AppealRead, "export an appeal list", s.exportAppeals},
		{"GET", "/settings", gated, access.AppealConfigure, "appeal settings: categories, time limits, group robots", s.settingsPage},
		{"POST", "/settings/categories", gated, access.AppealConfigure, "add or change a category", s.saveCategoryPage},
		{"POST", "/settings/limits", gated, access.AppealConfigure, "set a time-limit rule", s.setLimitPage},
		{"POST", "/settings/redo", gated, access.AppealConfigure, "set the number of redos", s.setMaxRedoPage},
		{"POST", "/settings/webhooks", gated, access.AppealConfigure, "add a group robot", s.addWebhookPage},
		{"POST", "/settings/webhooks/{id}/delete", gated, access.AppealConfigure, "remove a group robot", s.deleteWebhookPage},
		{"GET", "/account", signedIn, "", "my account", s.accountPage},
		{"POST", "/account/password", signedIn, "", "change my password", s.changePasswordPage},
		{"POST", "/account/tokens", signedIn, "", "create an API token", s.createTokenPage},
		{"POST", "/account/tokens/{id}/revoke", signedIn, "", "revoke an API token", s.revokeTokenPage},

		// API.
		{"GET", "/api/v1/openapi.json", public, "", "this document", s.openAPI},
		{"POST", "/api/v1/login", public, "", "sign in; sets the session cookie", s.apiLogin},
		{"GET", "/api/v1/me", signedIn, "", "the caller", s.apiMe},
		{"GET", "/api/v1/enterprises", signedIn, access.EnterpriseRead, "list enterprises", s.apiEnterprises},
		{"POST", "/api/v1/enterprises", signedIn, access.EnterpriseCreate, "register an enterprise", s.apiCreateEnterprise},
		{"GET", "/api/v1/enterprises/{id}", signedIn, access.EnterpriseRead, "one enterprise", s.apiEnterprise},
		{"PUT", "/api/v1/enterprises/{id}", signedIn, access.EnterpriseUpdate, "update an enterprise (needs version)", s.apiUpdateEnterprise},
		{"POST", "/api/v1/enterprises/{id}/reveal", signedIn, access.PersonalView, "one enterprise with full contact details (audited)", s.apiRevealEnterprise},
		{"GET", "/api/v1/enterprises/export", signedIn, access.EnterpriseExport, "export enterprises as .xlsx", s.exportEnterprises},
		{"POST", "/api/v1/enterprises/import", gated, access.EnterpriseImport, "import enterprises from .xlsx", s.apiImportEnterprises},
		{"GET", "/api/v1/regions", signedIn, access.RegionRead, "the region tree, or ?under= a region's subtree, ?depth= down to a level (1 city … 5 grid)", s.apiRegions},
		{"GET", "/api/v1/grids", signedIn, access.RegionRead, "grids with their loads", s.apiGrids},
		{"PUT", "/api/v1/grids/{code}/worker", signedIn, access.RegionManage, "set a grid's worker", s.apiSetGridWorker},
		{"GET", "/api/v1/departments", signedIn, access.DepartmentRead, "departments", s.apiDepartments},
		{"GET", "/api/v1/users", signedIn, access.UserRead, "list users", s.apiUsers},
		{"POST", "/api/v1/users", signedIn, access.UserManage, "create a user", s.apiCreateUser},
		{"GET", "/api/v1/users/{id}", signedIn, access.UserRead, "one user", s.apiUser},
		{"PUT", "/api/v1/users/{id}", signedIn, access.UserManage, "update a user (needs version)", s.apiUpdateUser},
		{"POST", "/api/v1/users/{id}/password", gated, access.UserManage, "reset a password", s.apiResetPassword},
		{"POST", "/api/v1/users/{id}/disable", signedIn, access.UserManage, "disable a user", s.apiDisableUser},
		{"POST", "/api/v1/users/{id}/enable", signedIn, access.UserManage, "enable a user", s.apiEnableUser},
		{"GET", "/api/v1/audit", signedIn, access.AuditRead, "audit entries", s.apiAudit},
		{"GET", "/api/v1/audit/verify", gated, access.AuditRead, "verify the audit chain", s.apiVerifyAudit},
		{"GET", "/api/v1/appeals", signedIn, access.AppealRead, "list appeals (queue, state, category, region, q, from, to)", s.apiAppeals},
		{"POST", "/api/v1/appeals", signedIn, access.AppealCreate, "raise an appeal (Idempotency-Key header: a retry answers 200 with the same appeal)", s.apiCreateAppeal},
		{"GET", "/api/v1/appeals/{id}", signedIn, access.AppealRead, "one appeal with timeline, dispatches, clocks and the caller's actions", s.apiAppeal},
		{"POST", "/api/v1/appeals/{id}/actions/{action}", signedIn, access.AppealRead, "take a step on an appeal (needs version; 409 when stale)", s.apiAct},
		{"POST", "/api/v1/appeals/{id}/attachments", signedIn, access.AppealRead, "attach a file (multipart field file): images, PDF, Office documents", s.apiAttach},
		{"GET", "/api/v1/attachments/{id}", signedIn, access.AppealRead, "download an attachment", s.attachmentFile},
		{"GET", "/api/v1/appeal-categories", gated, access.AppealRead, "the category tree", s.apiAppealCategories},
		{"GET", "/api/v1/service-standards", gated, access.AppealRead, "the catalogue of service standards", s.apiServiceStandards},
		{"GET", "/api/v1/inbox", signedIn, "", "my notifications and the unread count", s.apiInbox},
		{"POST", "/api/v1/inbox/read", signedIn, "", "mark one notification (id) or all read", s.apiMarkRead},
		{"GET", "/api/v1/assessment", signedIn, access.AppealAssess, "the three rates (dimension, region, from, to: dates, both included; basic_weight, rank_by)", s.apiAssessment},
		{"GET", "/api/v1/overview", signedIn, access.AppealAssess, "volumes, states and overdue counts (region, from, to: dates, both included)", s.apiOverview},
		{"GET", "/api/v1/calendar", gated, access.AppealConfigure, "the working-day calendar: official and administrators' days", s.apiCalendar},
		{"PUT", "/api/v1/calendar/days/{date}", signedIn, access.AppealConfigure, "add or change a calendar day", s.apiSetCalendarDay},
		{"DELETE", "/api/v1/calendar/days/{date}", signedIn, access.AppealConfigure, "remove a calendar day", s.apiDeleteCalendarDay},
		{"PUT", "/api/v1/appeal-categories/{code}", signedIn, access.AppealConfigure, "add or change a category", s.apiSaveCategory},
		{"GET", "/api/v1/appeal-limits", gated, access.AppealConfigure, "time-limit rules and the defaults", s.apiLimitRules},
		{"PUT", "/api/v1/appeal-limits", signedIn, access.AppealConfigure, "set a time-limit rule (n = 0 removes it)", s.apiSetLimitRule},
		{"GET", "/api/v1/appeal-settings", gated, access.AppealConfigure, "the workflow's settings (max_redo)", s.apiAppealSettings},
		{"PUT", "/api/v1/appeal-settings", signedIn, access.AppealConfigure, "change the workflow's settings", s.apiSetAppealSettings},
		{"GET", "/api/v1/webhooks", signedIn, access.AppealConfigure, "group robots", s.apiWebhooks},
		{"POST", "/api/v1/webhooks", signedIn, access.AppealConfigure, "add a group robot", s.apiAddWebhook},
		{"DELETE", "/api/v1/webhooks/{id}", signedIn, access.AppealConfigure, "remove a group robot", s.apiDeleteWebhook},
		{"GET", "/api/v1/tokens", signedIn, "", "my API tokens", s.apiTokens},
		{"POST", "/api/v1/tokens", signedIn, "", "create an API token", s.apiCreateToken},
		{"DELETE", "/api/v1/tokens/{id}", signedIn, "", "revoke an API token", s.apiRevokeToken},
	}
}

// healthz answers whether the process is up.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyz answers whether the store answers and is fully migrated.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Warn("not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "store unreachable"})
		return nil
	}
	if n, err := s.store.Pending(r.Context()); err != nil || n > 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "migrations pending", "pending": n})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "store": s.store.Dialect()})
	return nil
}
