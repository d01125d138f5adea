package visitweb

import (
	"qifu/internal/access"
	"qifu/internal/visit"
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
	period := []core.Param{{Name: "region", Description: "a region code in the caller's reach (default: the caller's region)"},
		{Name: "from", Description: "first day, YYYY-MM-DD (default: 89 days ago)"}, {Name: "to", Description: "last day, YYYY-MM-DD (default: today)"}}
	return []core.Route{
		// Pages.
		route("GET", "/visits", gated, access.VisitRead, "visits: those the caller recorded or went on; an enterprise's, to it", s.visitsPage),
		route("GET", "/visits/new", gated, access.VisitRecord, "the phone form of a visit (?enterprise=), or the picker of the enterprise", s.newVisitPage),
		route("POST", "/visits", signedIn, access.VisitRecord, "record a visit and what became of its problems", s.recordPage),
		route("GET", "/visits/coverage", gated, access.VisitRead, "a region's coverage, its lists and the figures of its visits", s.coveragePage),
		route("GET", "/visits/figures.xlsx", gated, access.VisitRead, "a region's coverage and figures over a period as a workbook", s.exportFigures),
		route("GET", "/visits/{id}", gated, access.VisitRead, "a visit; the enterprise confirms and rates it here", s.visitPage),
		route("GET", "/visits/{id}/photos/{photo}", gated, access.VisitRead, "a photo of a visit", s.photo),
		route("POST", "/visits/{id}/confirm", signedIn, access.VisitConfirm, "the enterprise confirms and rates a visit, or says nobody came", s.confirmPage),
		route("POST", "/visits/{id}/raise", signedIn, access.VisitRecord, "raise the problems of a visit still to become appeals", s.raisePage),
		route("GET", "/topics", gated, access.VisitRead, "common problems sent up to a street or the district", s.topicsPage),
		route("GET", "/topics/new", gated, access.VisitRecord, "put an enterprise's problem found elsewhere (a survey's answers) under a common problem", s.newTopicPage),
		route("POST", "/topics", signedIn, access.VisitRecord, "put an enterprise's problem under a common problem", s.reportPage),
		route("GET", "/topics/{id}", gated, access.VisitRead, "a common problem with the enterprises it concerns", s.topicPage),
		route("POST", "/topics/{id}/answer", signedIn, access.TopicAnswer, "answer a common problem", s.answerPage),
		route("POST", "/topics/{id}/escalate", signedIn, access.TopicAnswer, "send a street's common problem up to the district, with the reason", s.escalatePage),
		route("GET", "/service-days", gated, access.VisitRead, "department service days: the coming and the past; a community plans one here", s.daysPage),
		route("POST", "/service-days", signedIn, access.ServiceDayRun, "plan a service day with the departments and providers invited", s.createDayPage),
		route("GET", "/service-days/{id}", gated, access.VisitRead, "a service day with its problems; an enterprise registers one here", s.dayPage),
		route("POST", "/service-days/{id}/problems", signedIn, access.VisitRead, "register a problem for a service day (the enterprise, or staff for it)", s.registerPage),
		route("POST", "/service-day-problems/{id}/answer", signedIn, access.ServiceDayRun, "record the answer a department gave on the spot", s.dayAnswerPage),
		route("POST", "/service-day-problems/{id}/raise", signedIn, access.ServiceDayRun, "raise a problem as an appeal dispatched to its department", s.dayRaisePage),

		// API.
		route("POST", "/api/v1/visits", signedIn, access.VisitRecord, "record a visit (Idempotency-Key header: a retry answers with the visit first recorded); its problems marked appeal become appeals (channel visit)", s.apiRecord).
			Takes(exampleVisit).Gives(201, visit.Visit{}),
		route("GET", "/api/v1/visits", signedIn, access.VisitRead, "visits in the caller's reach, newest first (enterprise, region, mine=1)", s.apiVisits).
			Gives(200, core.List[visit.Visit]{}).Queries(core.Param{Name: "enterprise", Type: "integer"}, core.Param{Name: "region"}, core.Param{Name: "mine"}).Queries(core.Paging...),
		route("GET", "/api/v1/visits/prefill", signedIn, access.VisitRecord, "what a new visit to an enterprise starts from: its situation on file, the caller's last team, the open common problems", s.apiPrefill).
			Gives(200, prefillJSON{}).Queries(core.Param{Name: "enterprise", Type: "integer"}),
		route("GET", "/api/v1/visits/coverage", signedIn, access.VisitRead, "a region's coverage in total and one level down: grid workers, cadres of key enterprises and projects, visited in the period, nobody in 90 days, too often", s.apiCoverage).
			Gives(200, coverageJSON{}).Queries(period...),
		route("GET", "/api/v1/visits/coverage/{list}", signedIn, access.VisitRead, "a coverage list: unvisited, too_often, key_no_cadre, no_grid_worker", s.apiList).
			Gives(200, core.List[listedJSON]{}).Queries(core.Param{Name: "region"}).Queries(core.Paging...),
		route("GET", "/api/v1/visits/figures", signedIn, access.VisitRead, "the figures of visits in a period (by: region, recorder, unit): problems collected and solved, common problems, ratings", s.apiFigures).
			Gives(200, figuresJSON{}).Queries(append(period, core.Param{Name: "by"})...),
		route("GET", "/api/v1/visits/figures/departments", signedIn, access.VisitRead, "each department's part in the problems found: visit problems raised as appeals it leads (closed), service-day problems registered for it (answered, raised)", s.apiDepartmentFigures).
			Gives(200, core.Items[departmentJSON]{}).Queries(period...),
		route("GET", "/api/v1/visits/figures.xlsx", signedIn, access.VisitRead, "a region's coverage and figures over a period as .xlsx", s.exportFigures).
			Sends(core.XLSX).Queries(period...),
		route("GET", "/api/v1/visits/{id}", signedIn, access.VisitRead, "a visit with its team and problems", s.apiVisit).Gives(200, visit.Visit{}),
		route("POST", "/api/v1/visits/{id}/confirm", signedIn, access.VisitConfirm, "the enterprise's answer to a visit (needs version; once)", s.apiConfirm).
			Takes(confirmInput{Feedback: visit.Satisfied, Version: 1}).Gives(200, visit.Visit{}),
		route("POST", "/api/v1/visits/{id}/photos", signedIn, access.VisitRecord, "add a photo to a visit (multipart field file; an image; at most 3 a visit; optional: nothing asks for one)", s.apiAddPhoto).
			Uploads("file").Gives(201, visit.Photo{}),
		route("GET", "/api/v1/visits/{id}/photos/{photo}", signedIn, access.VisitRead, "a photo of a visit", s.photo).Sends("image/*"),
		route("POST", "/api/v1/visits/{id}/raise", signedIn, access.VisitRecord, "raise the problems still to become appeals", s.apiRaise).Gives(200, visit.Visit{}),
		route("GET", "/api/v1/topics", signedIn, access.VisitRead, "common problems in the caller's reach (state: open, answered)", s.apiTopics).
			Gives(200, core.Items[visit.Topic]{}).Queries(core.Param{Name: "state"}),
		route("POST", "/api/v1/topics", signedIn, access.VisitRecord, "put an enterprise's problem found elsewhere than on a visit (ref: the record, e.g. campaign:3) under an open common problem of its street or district, or a new one sent to its street", s.apiReport).
			Takes(reportInput{EnterpriseID: 1, Title: "园区夜班公交停运", Text: "夜班员工下班后无公交，只能打车", Category: "logistics", Ref: "campaign:3"}).Gives(201, visit.Topic{}),
		route("GET", "/api/v1/topics/{id}", signedIn, access.VisitRead, "a common problem with the enterprises it concerns", s.apiTopic).Gives(200, topicJSON{}),
		route("POST", "/api/v1/topics/{id}/escalate", signedIn, access.TopicAnswer, "send a street's open common problem up to its district, with the reason (needs version): the district's leaders answer it", s.apiEscalate).
			Takes(escalateInput{Reason: "涉及全区公交线网调整，街道无法单独协调", Version: 1}).Gives(200, visit.Topic{}),
		route("POST", "/api/v1/topics/{id}/answer", signedIn, access.TopicAnswer, "answer a common problem (needs version)", s.apiAnswer).
			Takes(answerInput{Answer: "已协调公交公司自下月起恢复园区夜班线路。", Version: 1}).Gives(200, visit.Topic{}),
		route("GET", "/api/v1/service-days", signedIn, access.VisitRead, "service days the caller may see, the coming first", s.apiDays).Gives(200, core.Items[visit.Day]{}),
		route("POST", "/api/v1/service-days", signedIn, access.ServiceDayRun, "plan a service day in a community or street of the caller's region; its enterprises are invited to register problems", s.apiCreateDay).
			Takes(exampleDay).Gives(201, visit.Day{}),
		route("GET", "/api/v1/service-days/{id}", signedIn, access.VisitRead, "a service day with the problems registered in the caller's reach", s.apiDay).Gives(200, dayJSON{}),
		route("POST", "/api/v1/service-days/{id}/problems", signedIn, access.VisitRead, "register a problem for a service day: the enterprise's own account, or staff who may record visits to it (enterprise_id)", s.apiRegister).
			Takes(visit.DayProblem{Text: "新招员工社保参保登记怎么办理", Category: "labour.social", Department: "hrss"}).Gives(201, visit.DayProblem{}),
		route("POST", "/api/v1/service-day-problems/{id}/answer", signedIn, access.ServiceDayRun, "record the answer given on the spot (needs version)", s.apiDayAnswer).
			Takes(dayAnswerInput{Answer: "现场讲解参保登记流程，已在线办结", Version: 1}).Gives(200, visit.DayProblem{}),
		route("POST", "/api/v1/service-day-problems/{id}/raise", signedIn, access.ServiceDayRun, "raise a problem as an appeal (channel visit), accepted and dispatched to its department", s.apiDayRaise).
			Gives(200, visit.DayProblem{}),
	}
}
