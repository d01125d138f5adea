package poolweb

import (
	"qifu/internal/access"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/web/core"
)

// Routes lists the module's routes, pages first, then the API. The site
// registers them with every other module's (web.Server.routes).
func (s *Handlers) Routes() []core.Route {
	const (
		public   = core.Public
		signedIn = core.SignedIn
		gated    = core.Gated
	)
	route := core.NewRoute
	paging := core.Paging
	period := []core.Param{{Name: "region", Description: "a region code in the caller's reach (default: the caller's region)"},
		{Name: "from", Description: "first day, YYYY-MM-DD (default: 89 days ago)"}, {Name: "to", Description: "last day, YYYY-MM-DD (default: today)"}}
	token := core.Param{Name: "X-Pool-Token", Header: true, Required: true,
		Description: "the token of the worker's page, from POST /api/v1/pool/me/redeem"}
	return []core.Route{
		// Pages.
		route("GET", "/pool", gated, access.PoolRead, "the pool: open needs with their clocks, loans step by step, workers offered", s.homePage),
		route("GET", "/pool/workers", gated, access.PoolRead, "workers offered for lending (phones and ID numbers masked)", s.workersPage),
		route("GET", "/pool/workers/new", gated, access.PoolPost, "the form to offer workers, one or a team", s.offerPage),
		route("POST", "/pool/workers", signedIn, access.PoolPost, "offer workers for lending", s.offerPost),
		route("GET", "/pool/workers/{id}", gated, access.PoolRead, "a worker offered", s.workerPage),
		route("POST", "/pool/workers/{id}/reveal", signedIn, access.PersonalView, "see a worker's phone and ID number in full (audited)", s.revealPage),
		route("POST", "/pool/workers/{id}/withdraw", signedIn, access.PoolPost, "take a worker out of the pool", s.withdrawWorkerPage),
		route("GET", "/pool/needs/new", gated, access.PoolPost, "the form of a need for hands", s.needFormPage),
		route("POST", "/pool/needs", signedIn, access.PoolPost, "post a need for hands", s.needPost),
		route("GET", "/pool/needs/{id}", gated, access.PoolRead, "a need with its loans; staff who match see the lenders proposed and the job seekers", s.needPage),
		route("POST", "/pool/needs/{id}/close", signedIn, access.PoolPost, "close a need", s.closeNeedPage),
		route("GET", "/pool/match", gated, access.PoolMatch, "the matcher's proposals over the pool the caller sees, each explained", s.matchPage),
		route("GET", "/pool/loans", gated, access.PoolRead, "loans with the step each waits on", s.loansPage),
		route("POST", "/pool/loans", signedIn, access.PoolMatch, "propose a lender for a need", s.proposePage),
		route("GET", "/pool/loans/{id}", gated, access.PoolRead, "a loan step by step: choose, consent, seal, train, start, attendance, settlement, return", s.loanPage),
		route("POST", "/pool/loans/{id}/choose", signedIn, access.PoolPost, "the lender chooses its workers", s.choosePage),
		route("POST", "/pool/loans/{id}/decline", signedIn, access.PoolPost, "the lender declines a proposal", s.declinePage),
		route("POST", "/pool/loans/{id}/seal", signedIn, access.PoolPost, "an enterprise seals the agreement (a sealed scan or an e-seal)", s.sealPage),
		route("GET", "/pool/loans/{id}/seals/{party}", gated, access.PoolRead, "a party's sealed scan", s.sealFile),
		route("POST", "/pool/loans/{id}/cover", signedIn, access.PoolPost, "the lender records a worker's work-injury cover", s.coverPage),
		route("POST", "/pool/loans/{id}/train", signedIn, access.PoolPost, "the borrower records the pre-job training", s.trainPage),
		route("POST", "/pool/loans/{id}/start", signedIn, access.PoolPost, "the borrower records a worker on site", s.startPage),
		route("POST", "/pool/loans/{id}/attendance", signedIn, access.PoolPost, "the borrower records a day's attendance", s.attendPage),
		route("POST", "/pool/loans/{id}/end", signedIn, access.PoolPost, "a worker returns, at the end or early with a reason", s.endPage),
		route("POST", "/pool/loans/{id}/extend", signedIn, access.PoolPost, "extend a worker's loan (the worker consents again)", s.extendPage),
		route("POST", "/pool/loans/{id}/sheets", signedIn, access.PoolPost, "build a month's settlement sheet from attendance", s.makeSheetPage),
		route("POST", "/pool/loans/{id}/sheets/confirm", signedIn, access.PoolPost, "an enterprise confirms a month's sheet", s.confirmSheetPage),
		route("POST", "/pool/loans/{id}/rate", signedIn, access.PoolPost, "an enterprise rates an ended loan", s.ratePage),
		route("POST", "/pool/placements/{id}/code", signedIn, access.PoolMatch, "give a worker a one-time code for their page (shown once)", s.codePage),
		route("GET", "/pool/seekers", gated, access.PoolRead, "job seekers without an employer in the caller's region", s.seekersPage),
		route("POST", "/pool/seekers", signedIn, access.PoolPost, "register a job seeker", s.addSeekerPage),
		route("POST", "/pool/seekers/{id}/place", signedIn, access.PoolMatch, "place a job seeker with a need for direct hiring", s.placeSeekerPage),
		route("POST", "/pool/seekers/{id}/withdraw", signedIn, access.PoolPost, "take a job seeker out of the pool", s.withdrawSeekerPage),
		route("GET", "/pool/figures", gated, access.PoolRead, "the pool's figures per region and period", s.figuresPage),
		route("GET", "/pool/figures.xlsx", gated, access.PoolRead, "the figures and the loans as a workbook", s.exportFigures),
		route("GET", "/w", public, "", "the worker's page: give the one-time code", s.codeFormPage),
		route("POST", "/w", public, "", "open the worker's page with a one-time code", s.redeemPage),
		route("GET", "/w/me", public, "", "the worker's own page", s.minePage),
		route("POST", "/w/me/answer", public, "", "the worker consents to the loan or declines", s.mineAnswerPage),
		route("POST", "/w/me/withdraw", public, "", "the worker withdraws consent", s.mineWithdrawPage),
		route("POST", "/w/me/complain", public, "", "the worker complains", s.mineComplainPage),
		route("POST", "/w/me/extension", public, "", "the worker answers an extension", s.mineExtensionPage),
		route("POST", "/w/me/rate", public, "", "the worker rates the loan", s.mineRatePage),

		// API.
		route("GET", "/api/v1/pool/workers", signedIn, access.PoolRead, "workers offered in the caller's reach (phones and ID numbers masked but for the lender)", core.Call(200, s.workers)).
			Gives(200, core.List[pool.Worker]{}).Queries(core.Param{Name: "enterprise", Type: "integer"}, core.Param{Name: "work_type"}, core.Param{Name: "status"}).Queries(paging...),
		route("POST", "/api/v1/pool/workers", signedIn, access.PoolPost, "offer workers of an enterprise for lending, as a team with its leader first when team is given; all or none", core.Call(201, s.offer)).
			Takes(exampleOffer).Gives(201, core.Items[pool.Worker]{}),
		route("GET", "/api/v1/pool/workers/{id}", signedIn, access.PoolRead, "a worker offered", core.Call(200, s.worker)).Gives(200, pool.Worker{}),
		route("POST", "/api/v1/pool/workers/{id}/reveal", signedIn, access.PersonalView, "a worker with phone and ID number in full (audited)", core.Call(200, s.reveal)).Gives(200, pool.Worker{}),
		route("POST", "/api/v1/pool/workers/{id}/withdraw", signedIn, access.PoolPost, "take an available worker out of the pool (needs version)", core.Call(200, s.withdrawWorker)).
			Takes(versionInput{Version: 1}).Gives(200, pool.Worker{}),
		route("GET", "/api/v1/pool/exclusions", signedIn, access.PoolPost, "the enterprises a lender will not lend to (enterprise: staff for it)", core.Call(200, s.exclusions)).
			Gives(200, core.Items[pooldb.Named]{}).Queries(core.Param{Name: "enterprise", Type: "integer"}),
		route("PUT", "/api/v1/pool/exclusions", signedIn, access.PoolPost, "set the enterprises a lender will not lend to, by credit code", core.Call(200, s.setExclusions)).
			Takes(exclusionsInput{EnterpriseID: 1, CreditCodes: []string{"91330206MA2AGLN71X"}}).Gives(200, core.Items[pooldb.Named]{}),
		route("GET", "/api/v1/pool/needs", signedIn, access.PoolRead, "needs for hands in the caller's reach, the open and most urgent first", core.Call(200, s.needs)).
			Gives(200, core.List[pool.Need]{}).Queries(core.Param{Name: "enterprise", Type: "integer"}, core.Param{Name: "status"}).Queries(paging...),
		route("POST", "/api/v1/pool/needs", signedIn, access.PoolPost, "post a need for hands with the day it is needed by (a shipping date)", core.Call(201, s.postNeed)).
			Takes(exampleNeed).Gives(201, pool.Need{}),
		route("GET", "/api/v1/pool/needs/{id}", signedIn, access.PoolRead, "a need", core.Call(200, s.need)).Gives(200, pool.Need{}),
		route("POST", "/api/v1/pool/needs/{id}/close", signedIn, access.PoolPost, "close a need (needs version): proposals not yet chosen are cancelled", core.Call(200, s.closeNeed)).
			Takes(versionInput{Version: 1}).Gives(200, pool.Need{}),
		route("GET", "/api/v1/pool/match", signedIn, access.PoolMatch, "the matcher over the open needs and available workers the caller sees: a minimum-cost maximum flow, every proposal explained, and why each short need is short", core.Call(200, s.match)).
			Gives(200, suggestionJSON{}),
		route("GET", "/api/v1/pool/loans", signedIn, access.PoolRead, "loans the caller may read, newest first, each with the step it waits on and its colour (state: a state or live)", core.Call(200, s.loans)).
			Gives(200, core.List[pool.Loan]{}).Queries(core.Param{Name: "enterprise", Type: "integer"}, core.Param{Name: "need", Type: "integer"}, core.Param{Name: "state"}).Queries(paging...),
		route("POST", "/api/v1/pool/loans", signedIn, access.PoolMatch, "propose a lender for a need, reserving heads of its slots (one of two proposals for the last slots wins)", core.Call(201, s.propose)).
			Takes(proposeInput{NeedID: 1, LenderID: 3, Heads: 2}).Gives(201, pool.Loan{}),
		route("GET", "/api/v1/pool/loans/{id}", signedIn, access.PoolRead, "a loan with its need and placements", onLoan(s.loan)).Gives(200, pool.Loan{}),
		route("GET", "/api/v1/pool/loans/{id}/candidates", signedIn, access.PoolPost, "the lender's workers who fit a proposed loan, best first", core.Call(200, s.candidates)).
			Gives(200, core.Items[pooldb.Candidate]{}),
		route("POST", "/api/v1/pool/loans/{id}/decline", signedIn, access.PoolPost, "the lender declines a proposal with its reason (needs version)", onLoan(s.decline)).
			Takes(declineInput{Reason: "订单回升，暂无富余人员", Version: 1}).Gives(200, pool.Loan{}),
		route("POST", "/api/v1/pool/loans/{id}/choose", signedIn, access.PoolPost, "the lender chooses which of its workers go (at most the slots proposed; needs version)", onLoan(s.choose)).
			Takes(chooseInput{Workers: []int64{11, 12}, Version: 1}).Gives(200, pool.Loan{}),
		route("POST", "/api/v1/pool/loans/{id}/seals/{party}", signedIn, access.PoolPost, "a party (lender or borrower) seals the agreement: multipart field file (a sealed scan, PDF or image) with compensation, or JSON {kind: eseal, reference}", s.apiSeal).
			Takes(pooldb.Seal{Kind: "eseal", Reference: "ESEAL-2026-000123"}).Uploads("file").Gives(200, pool.Loan{}),
		route("POST", "/api/v1/pool/loans/{id}/cover", signedIn, access.PoolPost, "the lender records a worker's work-injury insurance", onLoan(s.cover)).
			Takes(coverInput{PlacementID: 1, CoverRef: "GS330206-2026-0088", CoverUntil: "2027-06-30"}).Gives(200, pool.Loan{}),
		route("POST", "/api/v1/pool/loans/{id}/train", signedIn, access.PoolPost, "the borrower records the pre-job and safety training (needs version)", onLoan(s.train)).
			Takes(trainInput{Note: "12月9日上午，安全员王某讲解包装线操作与消防逃生，2小时", Version: 2}).Gives(200, pool.Loan{}),
		route("POST", "/api/v1/pool/loans/{id}/start", signedIn, access.PoolPost, "the borrower records a worker on site: consent, seals, training and cover are checked", onLoan(s.start)).
			Takes(placementInput{PlacementID: 1, Version: 2}).Gives(200, pool.Loan{}),
		route("POST", "/api/v1/pool/loans/{id}/attendance", signedIn, access.PoolPost, "the borrower records days a worker worked", onLoan(s.attend)).
			Takes(attendInput{PlacementID: 1, Days: []string{"2026-12-10", "2026-12-11"}}).Gives(200, pool.Loan{}),
		route("POST", "/api/v1/pool/loans/{id}/end", signedIn, access.PoolPost, "a worker returns to the lender: at the end, or early with a reason", onLoan(s.end)).
			Takes(endInput{PlacementID: 1, Early: true, Reason: "出借企业订单恢复，需召回", Version: 3}).Gives(200, pool.Loan{}),
		route("POST", "/api/v1/pool/loans/{id}/extend", signedIn, access.PoolPost, "agree a later last day for a worker: it holds once the worker consents on their page", onLoan(s.extend)).
			Takes(extendInput{PlacementID: 1, To: "2027-02-28", Version: 3}).Gives(200, pool.Loan{}),
		route("POST", "/api/v1/pool/loans/{id}/rate", signedIn, access.PoolPost, "an enterprise (party: lender or borrower) rates an ended loan, 1 to 5", onLoan(s.rate)).
			Takes(rateInput{Party: "borrower", Stars: 5, Note: "员工熟练，按时到岗"}).Gives(200, pool.Loan{}),
		route("GET", "/api/v1/pool/loans/{id}/sheets", signedIn, access.PoolRead, "a loan's monthly settlement sheets", core.Call(200, s.sheets)).Gives(200, core.Items[pool.Sheet]{}),
		route("POST", "/api/v1/pool/loans/{id}/sheets", signedIn, access.PoolPost, "build a month's sheet from attendance: days × the agreed daily cost", core.Call(201, s.makeSheet)).
			Takes(sheetInput{Month: "2026-12"}).Gives(201, pool.Sheet{}),
		route("POST", "/api/v1/pool/loans/{id}/sheets/{month}/confirm", signedIn, access.PoolPost, "a party confirms a month's sheet; the lender states what each worker was paid: the whole amount, no fee", core.Call(200, s.confirmSheet)).
			Takes(confirmInput{Party: "lender", Paid: []pooldb.Payment{{PlacementID: 1, Paid: 5600}}, Version: 1}).Gives(200, pool.Sheet{}),
		route("POST", "/api/v1/pool/placements/{id}/code", signedIn, access.PoolMatch, "a new one-time code for a worker's page (an earlier one stops working)", core.Call(201, s.code)).
			Gives(201, codeJSON{}),
		route("POST", "/api/v1/pool/lender-closed", signedIn, access.PoolMatch, "a lender closed or went bankrupt: its loans end at once", core.Call(200, s.lenderClosed)).
			Takes(closedInput{EnterpriseID: 3, Reason: "企业已申请破产清算"}).Gives(200, endedJSON{}),
		route("GET", "/api/v1/pool/seekers", signedIn, access.PoolRead, "job seekers of the caller's region (staff)", core.Call(200, s.seekers)).
			Gives(200, core.List[pool.Seeker]{}).Queries(core.Param{Name: "work_type"}, core.Param{Name: "status"}).Queries(paging...),
		route("POST", "/api/v1/pool/seekers", signedIn, access.PoolPost, "register a job seeker in a community (staff)", core.Call(201, s.addSeeker)).
			Takes(pool.Seeker{Name: "王芳", Phone: "13712345678", WorkTypes: []pool.WorkType{"sewing"}, From: "2026-12-08", Wants: "hire", CommunityCode: "330206001001"}).Gives(201, pool.Seeker{}),
		route("POST", "/api/v1/pool/seekers/{id}/place", signedIn, access.PoolMatch, "place a job seeker with a need for direct hiring: takes one slot", core.Call(200, s.placeSeeker)).
			Takes(placeInput{NeedID: 1, Version: 1}).Gives(200, pool.Seeker{}),
		route("POST", "/api/v1/pool/seekers/{id}/withdraw", signedIn, access.PoolPost, "take a job seeker out of the pool", core.Call(204, s.withdrawSeeker)).
			Takes(versionInput{Version: 1}).Gives(204, nil),
		route("GET", "/api/v1/pool/figures", signedIn, access.PoolRead, "the pool's figures for a region and period, in total and one level down", core.Call(200, s.figures)).
			Gives(200, figuresJSON{}).Queries(period...),
		route("GET", "/api/v1/pool/figures.xlsx", signedIn, access.PoolRead, "the figures and loans as .xlsx", s.exportFigures).Sends(core.XLSX).Queries(period...),
		route("POST", "/api/v1/pool/me/redeem", public, "", "exchange a worker's one-time code for the token of their page", core.Call(200, s.redeem)).
			Takes(redeemInput{Code: "K7M2Q-9XH4T"}).Gives(200, tokenJSON{}),
		route("GET", "/api/v1/pool/me", public, "", "the worker's page", core.Call(200, s.mine)).Queries(token).Gives(200, pooldb.Mine{}),
		route("POST", "/api/v1/pool/me/answer", public, "", "consent to the loan as the agreement states it, or decline", core.Call(200, s.answer)).Queries(token).
			Takes(answerInput{Consent: true, Version: 1}).Gives(200, pooldb.Mine{}),
		route("POST", "/api/v1/pool/me/withdraw", public, "", "withdraw consent, at once", core.Call(200, s.withdrawConsent)).Queries(token).
			Takes(reasonInput{Reason: "家中有事"}).Gives(200, pooldb.Mine{}),
		route("POST", "/api/v1/pool/me/complain", public, "", "complain about the loan", core.Call(201, s.complain)).Queries(token).
			Takes(complainInput{Text: "加班费没有按约定计算"}).Gives(201, pooldb.Mine{}),
		route("POST", "/api/v1/pool/me/extension", public, "", "answer an extension", core.Call(200, s.extension)).Queries(token).
			Takes(extensionInput{Consent: true}).Gives(200, pooldb.Mine{}),
		route("POST", "/api/v1/pool/me/rate", public, "", "rate the ended loan, 1 to 5", core.Call(200, s.rateByWorker)).Queries(token).
			Takes(rateInput{Stars: 5, Note: "管理规范"}).Gives(200, pooldb.Mine{}),
	}
}
