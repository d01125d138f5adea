package web

import (
	"net/http"
	"slices"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/web/core"
)

// routes lists every route qifu serves: the shared pages and API here,
// pages first, then each module's own (its Routes). The OpenAPI document
// and the route tests read this list.
func (s *Server) routes() []core.Route {
	const (
		public   = core.Public
		signedIn = core.SignedIn
		gated    = core.Gated
	)
	route := core.NewRoute
	shared := []core.Route{
		// Operations.
		route("GET", "/healthz", public, "", "process is up", s.healthz),
		route("GET", "/readyz", public, "", "store reachable and migrated", s.readyz),
		route("GET", "/metrics", public, "", "Prometheus metrics", s.ServeMetrics),

		// Pages.
		route("GET", "/login", public, "", "sign-in page", s.loginPage),
		route("POST", "/login", public, "", "sign in", s.login),
		route("POST", "/logout", signedIn, "", "sign out", s.logout),
		route("GET", "/login/code", signedIn, "", "the second step of signing in: the authenticator's code", s.codePage),
		route("POST", "/login/code", signedIn, "", "give the authenticator's code", s.giveCode),
		route("GET", "/account/second-factor", signedIn, "", "set up an authenticator", s.enrolPage),
		route("POST", "/account/second-factor", signedIn, "", "turn on two-step sign-in", s.enrol),
		route("POST", "/lang", public, "", "switch language", s.switchLang),
		route("GET", "/{$}", signedIn, "", "home page of the role", s.home),
		route("GET", "/enterprises", signedIn, access.EnterpriseRead, "enterprise list", s.enterprisesPage),
		route("GET", "/enterprises/new", gated, access.EnterpriseCreate, "new enterprise form", s.newEnterprisePage),
		route("POST", "/enterprises", signedIn, access.EnterpriseCreate, "register an enterprise", s.createEnterprise),
		route("GET", "/enterprises/{id}", signedIn, access.EnterpriseRead, "enterprise detail", s.enterprisePage),
		route("GET", "/enterprises/{id}/edit", signedIn, access.EnterpriseUpdate, "edit enterprise form", s.editEnterprisePage),
		route("POST", "/enterprises/{id}", signedIn, access.EnterpriseUpdate, "update an enterprise", s.updateEnterprise),
		route("POST", "/enterprises/{id}/reveal", signedIn, access.PersonalView, "show full contact details", s.revealEnterprisePage),
		route("POST", "/enterprises/{id}/facts", signedIn, access.FactRecord, "record a fact of the enterprise's file", s.recordFactPage),
		route("GET", "/enterprises/{id}/qr.png", signedIn, access.EnterpriseRead, "the enterprise's QR code, for its door", s.enterpriseQR).Sends("image/png"),
		route("GET", "/e/{credit}", signedIn, access.EnterpriseRead, "where a scanned QR code lands: the enterprise's page", s.openByCode),
		route("GET", "/todo", signedIn, "", "my to-do list", s.todoPage),
		route("GET", "/facts/import", gated, access.FactRecord, "import a department's data as facts of the enterprises' files", s.factsImportPage),
		route("POST", "/facts/import", gated, access.FactRecord, "import facts from .xlsx: all or none, with a report of the rows' problems", s.importFactsPage),
		route("GET", "/facts/template.xlsx", gated, access.FactRecord, "the facts import template", s.factsTemplate),
		route("GET", "/enterprises/export.xlsx", signedIn, access.EnterpriseExport, "export enterprises", s.exportEnterprises),
		route("GET", "/enterprises/template.xlsx", gated, access.EnterpriseImport, "import template", s.importTemplate),
		route("GET", "/enterprises/import", gated, access.EnterpriseImport, "import form", s.importPage),
		route("POST", "/enterprises/import", gated, access.EnterpriseImport, "import enterprises", s.importEnterprisesPage),
		route("GET", "/imports/{id}/problems.xlsx", signedIn, access.EnterpriseImport, "import error report", s.importProblems),
		route("GET", "/places", signedIn, access.RegionRead, "regions and grid loads", s.placesPage),
		route("POST", "/places/{code}/worker", signedIn, access.RegionManage, "set a grid's worker", s.setGridWorkerPage),
		route("GET", "/departments", signedIn, access.DepartmentRead, "departments", s.departmentsPage),
		route("GET", "/cadres", gated, access.CadreRead, "the cadres of the region: home units, assignments, key enterprises covered", s.cadresPage),
		route("POST", "/cadres/projects", gated, access.CadreManage, "record a key project (重点项目) with its cadre", s.addProjectPage),
		route("POST", "/cadres/{id}/replace", gated, access.CadreManage, "replace a cadre: its enterprises pass to the successor at once (mode: replace, stand_in, end_stand_in)", s.replaceCadrePage),
		route("POST", "/cadres/{id}/term", gated, access.CadreManage, "record the end of a cadre's term", s.termPage),
		route("POST", "/departments/{id}/offices", gated, access.DepartmentManage, "add a department's office (分局, 所)", s.createOfficePage),
		route("GET", "/users", signedIn, access.UserRead, "user list", s.usersPage),
		route("GET", "/users/new", gated, access.UserManage, "new user form", s.newUserPage),
		route("POST", "/users", signedIn, access.UserManage, "create a user", s.createUserPage),
		route("GET", "/users/{id}", signedIn, access.UserRead, "user detail", s.userPage),
		route("POST", "/users/{id}", signedIn, access.UserManage, "update a user", s.updateUserPage),
		route("POST", "/users/{id}/password", gated, access.UserManage, "reset a password", s.resetPasswordPage),
		route("POST", "/users/{id}/disable", signedIn, access.UserManage, "disable a user", s.disableUserPage),
		route("POST", "/users/{id}/enable", signedIn, access.UserManage, "enable a user", s.enableUserPage),
		route("POST", "/users/password-profile", gated, access.UserManage, "choose the password rules", s.setPasswordProfilePage),
		route("POST", "/users/{id}/tokens", gated, access.UserManage, "create an API token for a connected system", s.createServiceTokenPage),
		route("POST", "/users/{id}/tokens/{token}/revoke", gated, access.UserManage, "revoke a connected system's API token", s.revokeServiceTokenPage),
		route("GET", "/audit", signedIn, access.AuditRead, "audit log", s.auditPage),
		route("GET", "/audit/export.csv", signedIn, access.AuditRead, "export the audit log", s.exportAudit),
		route("GET", "/inbox", signedIn, "", "my notifications", s.inboxPage),
		route("POST", "/inbox/read", signedIn, "", "mark notifications read", s.markReadPage),
		route("GET", "/calendar", gated, access.AppealConfigure, "working-day calendar", s.calendarPage),
		route("POST", "/calendar/days", gated, access.AppealConfigure, "add or change a calendar day", s.setCalendarDayPage),
		route("POST", "/calendar/days/{date}/delete", gated, access.AppealConfigure, "remove a calendar day", s.deleteCalendarDayPage),
		route("GET", "/account", signedIn, "", "my account", s.accountPage),
		route("POST", "/account/password", signedIn, "", "change my password", s.changePasswordPage),
		route("POST", "/account/tokens", signedIn, "", "create an API token", s.createTokenPage),
		route("POST", "/account/tokens/{id}/revoke", signedIn, "", "revoke an API token", s.revokeTokenPage),

		// API.
		route("GET", "/api/v1/openapi.json", public, "", "this document", s.openAPI).Gives(200, map[string]any{}),
		route("POST", "/api/v1/login", public, "", "sign in; sets the session cookie", s.apiLogin).
			Takes(loginInput{Username: "grid", Password: "your password"}).Gives(200, userJSON{}),
		route("GET", "/api/v1/me", signedIn, "", "the caller", s.apiMe).Gives(200, meJSON{}),
		route("POST", "/api/v1/login/code", signedIn, "", "give the authenticator's code of a session that owes it (two-step sign-in)", s.apiGiveCode).
			Takes(codeInput{Code: "123456"}).Gives(204, nil),
		route("GET", "/api/v1/enterprises", signedIn, access.EnterpriseRead, "list enterprises", s.apiEnterprises).
			Gives(200, core.List[enterpriseJSON]{}).Queries(enterpriseFilters...).Queries(core.Paging...),
		route("POST", "/api/v1/enterprises", signedIn, access.EnterpriseCreate, "register an enterprise", s.apiCreateEnterprise).
			Takes(exampleEnterprise).Gives(201, enterpriseJSON{}),
		route("GET", "/api/v1/enterprises/{id}", signedIn, access.EnterpriseRead, "one enterprise", s.apiEnterprise).Gives(200, enterpriseJSON{}),
		route("PUT", "/api/v1/enterprises/{id}", signedIn, access.EnterpriseUpdate, "update an enterprise (needs version)", s.apiUpdateEnterprise).
			Takes(exampleEnterprise).Gives(200, enterpriseJSON{}),
		route("GET", "/api/v1/enterprises/{id}/facts", signedIn, access.EnterpriseRead, "the enterprise's facts (一企一档): each kind and period's current value (the most authoritative source, then the newest) and every value recorded", s.apiFacts).
			Gives(200, factsJSON{}),
		route("POST", "/api/v1/enterprises/{id}/facts", signedIn, access.FactRecord, "record a fact; its source is the caller's role's (an enterprise declares, a department brings its data, other staff record)", s.apiRecordFact).
			Takes(exampleFact).Gives(201, factJSON{}),
		route("GET", "/api/v1/enterprises/{id}/timeline", signedIn, access.EnterpriseRead, "the enterprise's timeline across the modules, newest first", s.apiTimeline).
			Gives(200, core.Items[entryJSON]{}),
		route("GET", "/api/v1/enterprises/{id}/people", signedIn, access.EnterpriseRead, "who answers for the enterprise: its grid worker, stationed cadres, its accounts", s.apiPeople).
			Gives(200, core.Items[personJSON]{}),
		route("POST", "/api/v1/facts/import", signedIn, access.FactRecord, "import facts from .xlsx (multipart field file), recorded with the caller's source: all or none (422 with every row's problems and a report)", s.apiImportFacts).
			Uploads("file").Gives(200, factsImportResult{}).Fails(422, factsImportResult{}),
		route("GET", "/api/v1/todos", signedIn, "", "my to-do list: every open piece of work, by time left, of every module or of ?module=", s.apiTodos).
			Gives(200, todosJSON{}).Queries(core.Param{Name: "module"}).Queries(core.Paging...),
		route("POST", "/api/v1/enterprises/{id}/reveal", signedIn, access.PersonalView, "one enterprise with full contact details (audited)", s.apiRevealEnterprise).
			Gives(200, enterpriseJSON{}),
		route("GET", "/api/v1/enterprises/export", signedIn, access.EnterpriseExport, "export enterprises as .xlsx", s.exportEnterprises).
			Sends(core.XLSX).Queries(enterpriseFilters...),
		route("POST", "/api/v1/enterprises/import", gated, access.EnterpriseImport, "import enterprises from .xlsx", s.apiImportEnterprises).
			Uploads("file").Gives(200, importResult{}).Fails(422, importResult{}).Queries(core.Param{Name: "strict", Type: "boolean", Description: "all rows or none"}),
		route("GET", "/api/v1/regions", signedIn, access.RegionRead, "the region tree, or ?under= a region's subtree, ?depth= down to a level (1 city … 5 grid)", s.apiRegions).
			Gives(200, core.Items[regionJSON]{}).Queries(core.Param{Name: "under"}, core.Param{Name: "depth", Type: "integer"}),
		route("GET", "/api/v1/grids", signedIn, access.RegionRead, "grids with their loads", s.apiGrids).
			Gives(200, gridsJSON{}).Queries(core.Param{Name: "under"}, core.Param{Name: "outside_norm", Type: "boolean"}),
		route("PUT", "/api/v1/grids/{code}/worker", signedIn, access.RegionManage, "set a grid's worker", s.apiSetGridWorker).
			Takes(workerInput{UserID: 5}).Gives(200, gridWorkerJSON{}),
		route("GET", "/api/v1/cadres", signedIn, access.CadreRead, "the cadres with enterprises in the caller's region, and how many of its key enterprises have one", s.apiCadres).
			Gives(200, cadresJSON{}),
		route("GET", "/api/v1/key-projects", signedIn, access.CadreRead, "the key projects (重点项目) of the caller's region, with their cadres", s.apiProjects).
			Gives(200, core.Items[projectJSON]{}),
		route("POST", "/api/v1/key-projects", gated, access.CadreManage, "record a key project; its cadre an active cadre's account", s.apiSaveProject).
			Takes(projectInput{CreditCode: "91330206MA2AAAAA1X", Name: "智能化技术改造项目", Stage: enterprise.StageBuilding, Investment: 50_000_000}).Gives(201, projectJSON{}),
		route("PUT", "/api/v1/key-projects/{id}", gated, access.CadreManage, "change a key project (needs version)", s.apiSaveProject).
			Takes(projectInput{CreditCode: "91330206MA2AAAAA1X", Name: "智能化技术改造项目", Stage: enterprise.StageProducing, Investment: 50_000_000, Version: 1}).Gives(200, projectJSON{}),
		route("POST", "/api/v1/cadres/{id}/replace", gated, access.CadreManage, "replace a cadre (its user id): its enterprises in the caller's region pass to the successor at once, the old account losing their scope; mode stand_in names a stand-in while the post is empty (代管), end_stand_in passes what a stand-in holds to the successor", s.apiReplaceCadre).
			Takes(replaceInput{SuccessorID: 42, Reason: "挂职期满，调回原单位"}).Gives(200, replacedJSON{}),
		route("PUT", "/api/v1/cadres/{id}/term", gated, access.CadreManage, "record the end of a cadre's term (YYYY-MM-DD; empty clears it)", s.apiTerm).
			Takes(termInput{TermUntil: "2027-06-30"}).Gives(204, nil),
		route("GET", "/api/v1/departments", signedIn, access.DepartmentRead, "departments, with their offices", s.apiDepartments).Gives(200, core.Items[departmentJSON]{}),
		route("POST", "/api/v1/departments/{id}/offices", gated, access.DepartmentManage, "add a department's office (分局, 所): its staff may belong to it and dispatches may go straight to it", s.apiCreateOffice).
			Takes(officeInput{Code: "dq", Name: "大碶税务分局", NameEn: "Daqi Taxation Branch", RegionCode: "330206003"}).Gives(201, officeJSON{}),
		route("GET", "/api/v1/users", signedIn, access.UserRead, "list users", s.apiUsers).
			Gives(200, core.List[userJSON]{}).Queries(userFilters...).Queries(core.Paging...),
		route("POST", "/api/v1/users", signedIn, access.UserManage, "create a user", s.apiCreateUser).Takes(exampleUser).Gives(201, userJSON{}),
		route("GET", "/api/v1/users/{id}", signedIn, access.UserRead, "one user", s.apiUser).Gives(200, userJSON{}),
		route("PUT", "/api/v1/users/{id}", signedIn, access.UserManage, "update a user (needs version)", s.apiUpdateUser).Takes(exampleUser).Gives(200, userJSON{}),
		route("POST", "/api/v1/users/{id}/password", gated, access.UserManage, "reset a password", s.apiResetPassword).
			Takes(passwordInput{Password: "Reset-Passphrase-2026"}).Gives(204, nil),
		route("POST", "/api/v1/users/{id}/disable", signedIn, access.UserManage, "disable a user", s.apiDisableUser).Gives(204, nil),
		route("POST", "/api/v1/users/{id}/enable", signedIn, access.UserManage, "enable a user", s.apiEnableUser).Gives(204, nil),
		route("GET", "/api/v1/password-profile", gated, access.UserManage, "the password rules in force: asvs (OWASP ASVS level 2, the default) or djcp3 (graded protection level 3)", s.apiPasswordProfile).
			Gives(200, profileJSON{}),
		route("PUT", "/api/v1/password-profile", gated, access.UserManage, "choose the password rules", s.apiSetPasswordProfile).
			Takes(profileInput{Profile: account.ProfileDJCP3}).Gives(200, profileJSON{}),
		route("POST", "/api/v1/users/{id}/second-factor/reset", gated, access.UserManage, "remove a user's authenticator (a lost phone): a new one is set up at the next sign-in", s.apiResetSecondFactor).
			Gives(204, nil),
		route("GET", "/api/v1/users/{id}/tokens", gated, access.UserManage, "a connected system's API tokens", s.apiServiceTokens).
			Gives(200, core.Items[tokenJSON]{}),
		route("POST", "/api/v1/users/{id}/tokens", gated, access.UserManage, "create an API token for a connected system (role service), which cannot sign in to make one; the secret is in this answer only", s.apiCreateServiceToken).
			Takes(tokenInput{Name: "12345 热线对接"}).Gives(201, tokenJSON{}),
		route("GET", "/api/v1/audit", signedIn, access.AuditRead, "audit entries", s.apiAudit).
			Gives(200, core.List[auditJSON]{}).Queries(auditFilters...).Queries(core.Paging...),
		route("GET", "/api/v1/audit/verify", gated, access.AuditRead, "verify the audit chain", s.apiVerifyAudit).Gives(200, verifyJSON{}),
		route("GET", "/api/v1/inbox", signedIn, "", "my notifications and the unread count", s.apiInbox).Gives(200, inboxJSON{}).Queries(core.Paging...),
		route("POST", "/api/v1/inbox/read", signedIn, "", "mark one notification (id) or all read", s.apiMarkRead).Takes(markReadInput{ID: 1}).Gives(204, nil),
		route("GET", "/api/v1/calendar", gated, access.AppealConfigure, "the working-day calendar: official and administrators' days", s.apiCalendar).
			Gives(200, calendarJSON{}),
		route("PUT", "/api/v1/calendar/days/{date}", signedIn, access.AppealConfigure, "add or change a calendar day", s.apiSetCalendarDay).
			Takes(dayInput{Kind: calendar.Holiday, Name: "元旦"}).Gives(200, dayJSON{}),
		route("DELETE", "/api/v1/calendar/days/{date}", signedIn, access.AppealConfigure, "remove a calendar day", s.apiDeleteCalendarDay).Gives(204, nil),
		route("GET", "/api/v1/tokens", signedIn, "", "my API tokens", s.apiTokens).Gives(200, core.Items[tokenJSON]{}),
		route("POST", "/api/v1/tokens", signedIn, "", "create an API token", s.apiCreateToken).Takes(tokenInput{Name: "12345 hotline"}).Gives(201, tokenJSON{}),
		route("DELETE", "/api/v1/tokens/{id}", signedIn, "", "revoke an API token", s.apiRevokeToken).Gives(204, nil),
	}
	return slices.Concat(shared, s.appeals.Routes(), s.forms.Routes(), s.catalogue.Routes(), s.visits.Routes(), s.pool.Routes(), s.policy.Routes(), s.resume.Routes())
}

// healthz answers whether the process is up.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	core.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyz answers whether the store answers and is fully migrated.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Warn("not ready", "err", err)
		core.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "store unreachable"})
		return nil
	}
	if n, err := s.store.Pending(r.Context()); err != nil || n > 0 {
		core.WriteJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "migrations pending", "pending": n})
		return nil
	}
	core.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready", "store": s.store.Dialect()})
	return nil
}
