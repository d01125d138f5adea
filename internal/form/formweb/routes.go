package formweb

import (
	"net/http"

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
	enterprise := core.Param{Name: "enterprise", Type: "integer", Description: "the enterprise filled for (staff; an enterprise's own account fills for itself)"}
	return []core.Route{
		// Pages.
		route("GET", "/forms", gated, access.CampaignRun, "forms: those the caller may send", s.formsPage),
		route("GET", "/forms/new", gated, access.CampaignRun, "build a new form", s.newFormPage),
		route("POST", "/forms/build", gated, access.CampaignRun, "one step of the form builder (add, move, remove a question or section; save)", s.buildPost),
		route("GET", "/forms/{id}", gated, access.CampaignRun, "a form in the builder, with its versions", s.formPage),
		route("GET", "/forms/{id}/send", gated, access.CampaignRun, "send a form: its audience, counted before it is sent", s.sendPage),
		route("POST", "/forms/{id}/send", signedIn, access.CampaignRun, "count an audience or start a campaign", s.sendPost),
		route("GET", "/campaigns", gated, access.CampaignRead, "campaigns: forms sent to audiences, with their answer rates", s.campaignsPage),
		route("GET", "/campaigns/{id}", gated, access.CampaignRead, "a campaign's progress per region and its members", s.campaignPage),
		route("GET", "/campaigns/{id}/results", gated, access.CampaignRead, "a campaign's answers counted: options chosen, numbers summed, as bars", s.resultsPage),
		route("GET", "/campaigns/{id}/export.xlsx", gated, access.CampaignRead, "export a campaign's answers, one column per question", s.exportAnswers),
		route("POST", "/campaigns/{id}/remind", signedIn, access.CampaignRun, "remind the members that have not answered, and their grid workers", s.remindPage),
		route("POST", "/campaigns/{id}/close", signedIn, access.CampaignRun, "close a campaign", s.closePage),
		route("POST", "/campaigns/{id}/members", signedIn, access.CampaignRun, "add an enterprise to a campaign's list, with the reason", s.addMemberPage),
		route("POST", "/campaigns/{id}/members/{enterprise}/remove", signedIn, access.CampaignRun, "take an enterprise off a campaign's list, with the reason", s.removeMemberPage),
		route("GET", "/surveys", gated, access.FormFill, "the forms sent to an enterprise", s.surveysPage),
		route("GET", "/surveys/{id}", gated, access.FormFill, "fill a campaign's form for an enterprise, prefilled from its file", s.fillPage),
		route("POST", "/surveys/{id}", signedIn, access.FormFill, "save a draft or submit the answers (multipart: a photo or file question's file)", s.fillPost),
		route("GET", "/surveys/{id}/files/{file}", signedIn, access.CampaignRead, "download a file answering a photo or file question", s.fileDownload),

		// API.
		route("GET", "/api/v1/forms", signedIn, access.CampaignRun, "forms the caller may send, with their latest definitions", s.apiForms).
			Gives(200, core.Items[formJSON]{}),
		route("POST", "/api/v1/forms", signedIn, access.CampaignRun, "save a new form (its definition is checked: a form that cannot be shown is refused)", s.apiCreateForm).
			Takes(exampleForm).Gives(201, formJSON{}),
		route("GET", "/api/v1/forms/{id}", signedIn, access.CampaignRun, "one form", s.apiForm).Gives(200, formJSON{}),
		route("PUT", "/api/v1/forms/{id}", signedIn, access.CampaignRun, "change a form (needs version): in place until it is sent, then as its next version", s.apiSaveForm).
			Takes(exampleForm).Gives(200, formJSON{}),
		route("POST", "/api/v1/forms/{id}/campaigns", signedIn, access.CampaignRun, "send the form's latest version to an audience, frozen into the campaign's members", s.apiSend).
			Takes(exampleCampaign).Gives(201, campaignJSON{}),
		route("POST", "/api/v1/audiences/preview", signedIn, access.CampaignRun, "count an audience in the caller's scope before sending", s.apiPreview).
			Takes(exampleCampaign.Audience).Gives(200, previewJSON{}),
		route("GET", "/api/v1/campaigns", signedIn, access.CampaignRead, "campaigns the caller follows (state: running, closed), newest first", s.apiCampaigns).
			Gives(200, core.List[campaignJSON]{}).Queries(core.Param{Name: "state"}).Queries(core.Paging...),
		route("GET", "/api/v1/campaigns/{id}", signedIn, access.CampaignRead, "one campaign, with its counts in the caller's reach", s.apiCampaign).Gives(200, campaignJSON{}),
		route("GET", "/api/v1/campaigns/{id}/progress", signedIn, access.CampaignRead, "a campaign's progress per region (level: 3 street, 4 community, 5 grid): sent, seen, answered, overdue", s.apiProgress).
			Gives(200, progressJSON{}).Queries(core.Param{Name: "level", Type: "integer"}),
		route("GET", "/api/v1/campaigns/{id}/members", signedIn, access.CampaignRead, "a campaign's members in the caller's reach (state: unanswered, answered, removed; region)", s.apiMembers).
			Gives(200, core.List[memberJSON]{}).Queries(core.Param{Name: "state"}, core.Param{Name: "region"}).Queries(core.Paging...),
		route("POST", "/api/v1/campaigns/{id}/members", signedIn, access.CampaignRun, "add an enterprise to the list after it was frozen, with the reason (audited)", s.apiAddMember).
			Takes(memberInput{CreditCode: "91330206MA2H5XXXXX", Reason: "新迁入辖区"}).Gives(204, nil),
		route("POST", "/api/v1/campaigns/{id}/members/{enterprise}/remove", signedIn, access.CampaignRun, "take an enterprise off the list, with the reason (audited)", s.apiRemoveMember).
			Takes(reasonInput{Reason: "企业已注销"}).Gives(204, nil),
		route("POST", "/api/v1/campaigns/{id}/remind", signedIn, access.CampaignRun, "remind the members that have not answered and their grid workers (at most every 12 hours)", s.apiRemind).
			Gives(200, remindJSON{}),
		route("POST", "/api/v1/campaigns/{id}/close", signedIn, access.CampaignRun, "close a campaign (needs version)", s.apiClose).
			Takes(versionInput{Version: 1}).Gives(200, campaignJSON{}),
		route("GET", "/api/v1/campaigns/{id}/results", signedIn, access.CampaignRead, "a campaign's answers in the caller's reach counted per question: each option's count and share, a number's sum, mean and spread", s.apiResults).
			Gives(200, resultsJSON{}),
		route("GET", "/api/v1/campaigns/{id}/export", signedIn, access.CampaignRead, "a campaign's answers as .xlsx, one column per question", s.exportAnswers).Sends(core.XLSX),
		route("GET", "/api/v1/surveys", signedIn, access.FormFill, "the forms sent to an enterprise", s.apiSurveys).
			Gives(200, core.Items[sentJSON]{}).Queries(enterprise),
		route("GET", "/api/v1/surveys/{id}", signedIn, access.FormFill, "a campaign's form for an enterprise: its definition, the facts on file to prefill, its answers", s.apiSurvey).
			Gives(200, surveyJSON{}).Queries(enterprise),
		route("POST", "/api/v1/surveys/{id}/files", signedIn, access.FormFill, "upload a photo or file (multipart field file; ?enterprise= for staff): its ref is the answer of a file question", s.apiUpload).
			Uploads("file").Gives(201, fileJSON{}).Queries(enterprise),
		route("GET", "/api/v1/surveys/{id}/files/{file}", signedIn, access.CampaignRead, "download an uploaded file", s.fileDownload).
			Sends("application/octet-stream"),
		route("PUT", "/api/v1/surveys/{id}/draft", signedIn, access.FormFill, "save answers as a draft (wrong values refused, missing ones not)", s.apiDraft).
			Takes(exampleAnswers).Gives(200, submissionJSON{}),
		route("POST", "/api/v1/surveys/{id}/submit", signedIn, access.FormFill, "submit the answers, or correct them within the window (needs version); Idempotency-Key header: a retry answers 200 with the same submission", s.apiSubmit).
			Takes(exampleAnswers).Gives(201, submissionJSON{}).Or(http.StatusOK),
	}
}
