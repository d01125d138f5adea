package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/pool"
)

// The access matrix's oracle of the employee turnover pool, read off the
// permission table and the rules of the module's store, with the dataset,
// independently of the store's SQL:
//
//   - a worker offered is read by those who read its lender, a need by
//     those who read its enterprise, a loan by those who read either
//     party; staff who match (PoolMatch in a region) also read what is
//     shared with their region or one above it (the district here);
//   - an enterprise's part (offer, choose, seal, train, start …) is taken
//     by those who may post for that enterprise (its own account, staff
//     in reach); a role without the action is refused (403), a record it
//     does not read is not found (404), a party it cannot act for refused;
//   - a worker's page (/w) is public: the token opens it.
//
// A probe that would change the loan every probe reads is called on a
// record of its own when the account may take it (the record made fresh,
// at the stage the change needs), and on the shared one when it is refused
// before the store looks at the record's state.

// poolMatrix is what the matrix's cases of the pool work on.
type poolMatrix struct {
	t                *testing.T
	s                *site
	lender, borrower int64
	base             poolFix // on site, sealed (the lender's scan), a day recorded, the month's sheet built
	answers          []poolHandle
	withdrawals      []poolHandle
	ratings          []poolHandle
	ends             []poolHandle
	redeem           int64  // a placement whose code each redeem probe renews
	complainToken    string // the page of a worker the API's complaints come from
	header           []string
}

// poolHandle is one placement a probe changes: its loan, version, and the
// token of its worker's page.
type poolHandle struct {
	loan, placement int64
	version         int
	token           string
}

func handles(f poolFix) []poolHandle {
	var out []poolHandle
	for _, p := range f.Loan.Placements {
		out = append(out, poolHandle{loan: f.Loan.ID, placement: p.ID, version: p.Version, token: f.Tokens[p.ID]})
	}
	return out
}

// newPoolMatrix makes the records the pool's probes work on. Every probe
// of a worker's page is called once per showcase account, on the page and
// the API: each gets a placement of its own.
func newPoolMatrix(t *testing.T, s *site) *poolMatrix {
	t.Helper()
	n := 2 * len(showcase)
	m := &poolMatrix{t: t, s: s, lender: s.entID(t, poolLender.CreditCode), borrower: s.entID(t, poolBorrower.CreditCode)}
	m.base = s.poolFixture(t)
	chosen := s.poolLoanAt(t, stageChosen, n+2, true)
	hs := handles(chosen)
	m.answers, m.redeem, m.complainToken = hs[:n], hs[n].placement, hs[n+1].token
	m.withdrawals = handles(s.poolLoanAt(t, stageConsented, n, true))
	rated := s.poolLoanAt(t, stageChosen, n, true)
	for _, p := range rated.Loan.Placements {
		s.poolCall(t, "admin", "POST", fmt.Sprintf("/api/v1/pool/loans/%d/end", rated.Loan.ID), map[string]any{"placement_id": p.ID,
			"early": true, "reason": "借入企业订单提前完成", "version": p.Version}, http.StatusOK, nil)
	}
	m.ratings = handles(rated)
	m.ends = handles(s.poolLoanAt(t, stageChosen, n, true))
	return m
}

// takeHeader returns the request headers the last case asked for, once.
func (m *poolMatrix) takeHeader() []string {
	h := m.header
	m.header = nil
	return h
}

// pop takes the next placement of a list.
func (m *poolMatrix) pop(list *[]poolHandle) poolHandle {
	m.t.Helper()
	if len(*list) == 0 {
		m.t.Fatal("the pool matrix ran out of placements")
	}
	h := (*list)[0]
	*list = (*list)[1:]
	return h
}

// sharedWith reports whether staff who match see what is shared with the
// region code: their region is it or lies under it.
func sharedWith(sc scope, code string) bool {
	return access.ReachOf(sc.user.Role, access.PoolMatch) == access.Region && sc.region != "" && ancestors(sc.region)[code]
}

func seesWorker(sc scope) bool {
	return sc.allows(access.PoolRead, poolLender) || sharedWith(sc, poolLender.DistrictCode)
}

func seesNeed(sc scope) bool {
	return sc.allows(access.PoolRead, poolBorrower) || sharedWith(sc, poolBorrower.DistrictCode)
}

func seesLoan(sc scope) bool {
	return sc.allows(access.PoolRead, poolLender) || sc.allows(access.PoolRead, poolBorrower) || sharedWith(sc, poolBorrower.DistrictCode)
}

// poolReadWant is a record's read: refused without the action, not found out
// of sight.
func poolReadWant(sc scope, sees bool, ok int) int {
	switch {
	case !access.May(sc.user.Role, access.PoolRead):
		return http.StatusForbidden
	case !sees:
		return http.StatusNotFound
	}
	return ok
}

// actWant is a change of a record read by sees that the account takes on
// e's behalf with action.
func actWant(sc scope, sees bool, action access.Action, e enterprise.Enterprise, ok int) int {
	switch {
	case !access.May(sc.user.Role, action):
		return http.StatusForbidden
	case !access.May(sc.user.Role, access.PoolRead):
		return http.StatusForbidden
	case !sees:
		return http.StatusNotFound
	case !sc.allows(action, e):
		return http.StatusForbidden
	}
	return ok
}

// partyWant is a party's step on a loan (pooldb's asParty).
func partyWant(sc scope, party enterprise.Enterprise, ok int) int {
	return actWant(sc, seesLoan(sc), access.PoolPost, party, ok)
}

// endWant is sending a worker back: either party (its account or staff for
// it) or staff who match.
func endWant(sc scope, ok int) int {
	switch {
	case !access.May(sc.user.Role, access.PoolRead):
		return http.StatusForbidden
	case !seesLoan(sc):
		return http.StatusNotFound
	case access.May(sc.user.Role, access.PoolMatch),
		sc.allows(access.PoolPost, poolLender), sc.allows(access.PoolPost, poolBorrower):
		return ok
	}
	return http.StatusForbidden
}

// extendWant is agreeing a later last day: either party.
func extendWant(sc scope, ok int) int {
	switch {
	case !access.May(sc.user.Role, access.PoolRead), !access.May(sc.user.Role, access.PoolPost):
		return http.StatusForbidden
	case !seesLoan(sc):
		return http.StatusNotFound
	case sc.allows(access.PoolPost, poolLender), sc.allows(access.PoolPost, poolBorrower):
		return ok
	}
	return http.StatusForbidden
}

// matchWant is a step of the staff who match on the loan.
func matchWant(sc scope, ok int) int {
	switch {
	case !access.May(sc.user.Role, access.PoolMatch):
		return http.StatusForbidden
	case !seesLoan(sc):
		return http.StatusNotFound
	}
	return ok
}

// seekersWant is the list of job seekers: staff who read the pool; an
// enterprise is refused.
func seekersWant(u demo.User, ok int) int {
	if u.Role == access.RoleEnterprise {
		return http.StatusForbidden
	}
	return may(u, access.PoolRead, ok)
}

// seekerPostWant is registering a job seeker in the showcase community:
// staff whose region holds it (a grid worker serves its community); staff
// of other reach find no such community.
func seekerPostWant(u demo.User, sc scope, ok int) int {
	if u.Role == access.RoleEnterprise || !access.May(u.Role, access.PoolPost) {
		return http.StatusForbidden
	}
	switch access.ReachOf(u.Role, access.PoolPost) {
	case access.All:
		return ok
	case access.Region:
		if ancestors(showCommunity)[sc.region] || parentOf[sc.region] == showCommunity {
			return ok
		}
	}
	return http.StatusNotFound
}

// seekerWithdrawWant is taking a job seeker of the showcase community out
// of the pool: as registering one, a seeker out of reach is not found.
func seekerWithdrawWant(u demo.User, sc scope, ok int) int { return seekerPostWant(u, sc, ok) }

// postTarget is an enterprise the account may post for, or the lender.
func (m *poolMatrix) postTarget(sc scope) int64 {
	if sc.user.Role == access.RoleEnterprise {
		return m.lender
	}
	e, ok := pick(func(e enterprise.Enterprise) bool { return sc.allows(access.PoolPost, e) })
	if !ok {
		return m.lender
	}
	return m.s.entID(m.t, e.CreditCode)
}

// loanAt is a loan of its own at stage when the probe should succeed (want
// is ok), else the shared one.
func (m *poolMatrix) loanAt(want, ok int, stage poolStage) poolFix {
	if want != ok {
		return m.base
	}
	return m.s.poolLoanAt(m.t, stage, 1, true)
}

func (m *poolMatrix) freshNeed(want, ok int) pool.Need {
	if want != ok {
		return m.base.Need
	}
	return m.s.postNeed(m.t, m.s.newPoolNeed(m.borrower, 1))
}

func (m *poolMatrix) freshWorker(want, ok int) pool.Worker {
	if want != ok {
		return m.base.Workers[0]
	}
	return m.s.offerWorkers(m.t, m.s.newPoolWorker())[0]
}

// freshSeeker registers a job seeker of the showcase community, as its staff.
func (m *poolMatrix) freshSeeker() pool.Seeker {
	var p pool.Seeker
	m.s.poolCall(m.t, "community", "POST", "/api/v1/pool/seekers", seekerOf(m.s), http.StatusCreated, &p)
	return p
}

// seekerOf is a job seeker of the showcase community who can start today.
func seekerOf(s *site) pool.Seeker {
	n := codeSeq.Add(1)
	return pool.Seeker{Name: fmt.Sprintf("求职人员%d", n), Phone: fmt.Sprintf("137%08d", n%100_000_000), WorkTypes: []pool.WorkType{"packing"},
		From: s.poolDay(0), Wants: pool.WantsHire, CommunityCode: showCommunity}
}

// sheetVersion is the version of a loan's sheet of month.
func (m *poolMatrix) sheetVersion(f poolFix) int {
	var l struct {
		Items []pool.Sheet `json:"items"`
	}
	m.s.poolCall(m.t, "admin", "GET", fmt.Sprintf("/api/v1/pool/loans/%d/sheets", f.Loan.ID), nil, http.StatusOK, &l)
	for _, sh := range l.Items {
		if sh.Month == f.Month {
			return sh.Version
		}
	}
	m.t.Fatalf("loan %d has no sheet of %s", f.Loan.ID, f.Month)
	return 0
}

// pending has the enterprises agree a later last day for the shared
// loan's worker (as the administrator): the worker's answer probes answer it.
func (m *poolMatrix) pending() {
	p := m.s.poolLoan(m.t, m.base.Loan.ID).Placements[0]
	if p.ExtTo != "" {
		return
	}
	m.s.poolCall(m.t, "admin", "POST", fmt.Sprintf("/api/v1/pool/loans/%d/extend", m.base.Loan.ID),
		map[string]any{"placement_id": p.ID, "to": m.s.poolDay(70), "version": p.Version}, http.StatusOK, nil)
}

func offerForm(w pool.Worker, enterprise int64) url.Values {
	v := url.Values{"enterprise": {fmt.Sprint(enterprise)}, "work_types": {"packing", "general"}, "from": {w.From}, "to": {w.To},
		"shift": {w.Shift}, "share": {w.Share}, "name_0": {w.Name}, "phone_0": {w.Phone}, "id_0": {w.IDNumber}, "contract_0": {w.ContractEnd}}
	return v
}

func needForm(n pool.Need) url.Values {
	return url.Values{"enterprise": {fmt.Sprint(n.EnterpriseID)}, "work_type": {string(n.WorkType)}, "heads": {fmt.Sprint(n.Heads)},
		"from": {n.From}, "to": {n.To}, "site": {n.Site}, "shift": {n.Shift}, "daily_cost": {fmt.Sprint(n.DailyCost)},
		"training": {n.Training}, "transport": {"1"}, "needed_by": {n.NeededBy}, "contact": {n.Contact}, "phone": {n.Phone},
		"share": {n.Share}}
}

// cases are the matrix's cases of the pool's routes.
func (m *poolMatrix) cases() map[string]func(u demo.User, sc scope) probe {
	s, t := m.s, m.t
	base := m.base
	loanPath := fmt.Sprintf("/pool/loans/%d", base.Loan.ID)
	workerPath := fmt.Sprintf("/pool/workers/%d", base.Workers[0].ID)
	needPath := fmt.Sprintf("/pool/needs/%d", base.Need.ID)
	pl := base.placement()
	version := func() int { return s.poolLoan(t, base.Loan.ID).Version }
	placementVersion := func() int { return s.poolLoan(t, base.Loan.ID).Placements[0].Version }
	reference := func() string { return fmt.Sprintf("ESEAL-M-%d", codeSeq.Add(1)) }
	coverForm := url.Values{"placement": {fmt.Sprint(pl.ID)}, "cover_ref": {"GS330206-2026-0088"}, "cover_until": {s.poolDay(365)}}
	coverJSON := map[string]any{"placement_id": pl.ID, "cover_ref": "GS330206-2026-0088", "cover_until": s.poolDay(365)}
	const trainNote, declined, closing, complaint = "复训：安全员讲解叉车通道与消防逃生，1小时", "订单回升，暂无富余人员", "企业已申请破产清算", "加班费没有按约定计算"
	worker := func(path string, token string) { m.header = workerHeader(path, token) }

	return map[string]func(u demo.User, sc scope) probe{
		"GET /pool":             func(u demo.User, _ scope) probe { return probe{"/pool", nil, may(u, access.PoolRead, 200)} },
		"GET /pool/workers":     func(u demo.User, _ scope) probe { return probe{"/pool/workers", nil, may(u, access.PoolRead, 200)} },
		"GET /pool/workers/new": func(u demo.User, _ scope) probe { return probe{"/pool/workers/new", nil, may(u, access.PoolPost, 200)} },
		"POST /pool/workers": func(u demo.User, sc scope) probe {
			return probe{"/pool/workers", formBody(offerForm(s.newPoolWorker(), m.postTarget(sc))), may(u, access.PoolPost, 303)}
		},
		"GET /pool/workers/{id}": func(_ demo.User, sc scope) probe {
			return probe{workerPath, nil, poolReadWant(sc, seesWorker(sc), 200)}
		},
		"POST /pool/workers/{id}/reveal": func(_ demo.User, sc scope) probe {
			return probe{workerPath + "/reveal", nil, actWant(sc, seesWorker(sc), access.PersonalView, poolLender, 200)}
		},
		"POST /pool/workers/{id}/withdraw": func(_ demo.User, sc scope) probe {
			want := actWant(sc, seesWorker(sc), access.PoolPost, poolLender, 303)
			w := m.freshWorker(want, 303)
			return probe{fmt.Sprintf("/pool/workers/%d/withdraw", w.ID), formBody(url.Values{"version": {fmt.Sprint(w.Version)}}), want}
		},
		"GET /pool/needs/new": func(u demo.User, _ scope) probe { return probe{"/pool/needs/new", nil, may(u, access.PoolPost, 200)} },
		"POST /pool/needs": func(u demo.User, sc scope) probe {
			return probe{"/pool/needs", formBody(needForm(s.newPoolNeed(m.postTarget(sc), 2))), may(u, access.PoolPost, 303)}
		},
		"GET /pool/needs/{id}": func(_ demo.User, sc scope) probe { return probe{needPath, nil, poolReadWant(sc, seesNeed(sc), 200)} },
		"POST /pool/needs/{id}/close": func(_ demo.User, sc scope) probe {
			want := actWant(sc, seesNeed(sc), access.PoolPost, poolBorrower, 303)
			n := m.freshNeed(want, 303)
			return probe{fmt.Sprintf("/pool/needs/%d/close", n.ID), formBody(url.Values{"version": {fmt.Sprint(n.Version)}}), want}
		},
		"GET /pool/match": func(u demo.User, _ scope) probe { return probe{"/pool/match", nil, may(u, access.PoolMatch, 200)} },
		"GET /pool/loans": func(u demo.User, _ scope) probe { return probe{"/pool/loans", nil, may(u, access.PoolRead, 200)} },
		"POST /pool/loans": func(u demo.User, _ scope) probe {
			want := may(u, access.PoolMatch, 303)
			n := m.freshNeed(want, 303)
			return probe{"/pool/loans", formBody(url.Values{"need": {fmt.Sprint(n.ID)}, "lender": {fmt.Sprint(m.lender)}, "heads": {"1"}}), want}
		},
		"GET /pool/loans/{id}": func(_ demo.User, sc scope) probe { return probe{loanPath, nil, poolReadWant(sc, seesLoan(sc), 200)} },
		"POST /pool/loans/{id}/choose": func(_ demo.User, sc scope) probe {
			want := partyWant(sc, poolLender, 303)
			f := m.loanAt(want, 303, stageProposed)
			return probe{fmt.Sprintf("/pool/loans/%d/choose", f.Loan.ID), formBody(url.Values{"workers": {fmt.Sprint(f.Workers[0].ID)},
				"version": {fmt.Sprint(f.Loan.Version)}}), want}
		},
		"POST /pool/loans/{id}/decline": func(_ demo.User, sc scope) probe {
			want := partyWant(sc, poolLender, 303)
			f := m.loanAt(want, 303, stageProposed)
			return probe{fmt.Sprintf("/pool/loans/%d/decline", f.Loan.ID), formBody(url.Values{"reason": {declined},
				"version": {fmt.Sprint(f.Loan.Version)}}), want}
		},
		"POST /pool/loans/{id}/seal": func(_ demo.User, sc scope) probe {
			return probe{loanPath + "/seal", formBody(url.Values{"party": {"borrower"}, "kind": {"eseal"}, "reference": {reference()}}),
				partyWant(sc, poolBorrower, 303)}
		},
		"GET /pool/loans/{id}/seals/{party}": func(_ demo.User, sc scope) probe {
			return probe{loanPath + "/seals/lender", nil, poolReadWant(sc, seesLoan(sc), 200)}
		},
		"POST /pool/loans/{id}/cover": func(_ demo.User, sc scope) probe {
			return probe{loanPath + "/cover", formBody(coverForm), partyWant(sc, poolLender, 303)}
		},
		"POST /pool/loans/{id}/train": func(_ demo.User, sc scope) probe {
			return probe{loanPath + "/train", formBody(url.Values{"note": {trainNote}, "version": {fmt.Sprint(version())}}), partyWant(sc, poolBorrower, 303)}
		},
		"POST /pool/loans/{id}/start": func(_ demo.User, sc scope) probe {
			want := partyWant(sc, poolBorrower, 303)
			f := m.loanAt(want, 303, stageReady)
			p := f.placement()
			return probe{fmt.Sprintf("/pool/loans/%d/start", f.Loan.ID), formBody(url.Values{"placement": {fmt.Sprint(p.ID)},
				"version": {fmt.Sprint(p.Version)}}), want}
		},
		"POST /pool/loans/{id}/attendance": func(_ demo.User, sc scope) probe {
			return probe{loanPath + "/attendance", formBody(url.Values{"day": {s.poolDay(0)}, "placements": {fmt.Sprint(pl.ID)}}),
				partyWant(sc, poolBorrower, 303)}
		},
		"POST /pool/loans/{id}/end": func(_ demo.User, sc scope) probe {
			h := m.pop(&m.ends)
			return probe{fmt.Sprintf("/pool/loans/%d/end", h.loan), formBody(url.Values{"placement": {fmt.Sprint(h.placement)}, "early": {"1"},
				"reason": {"借入企业订单提前完成"}, "version": {fmt.Sprint(h.version)}}), endWant(sc, 303)}
		},
		"POST /pool/loans/{id}/extend": func(_ demo.User, sc scope) probe {
			return probe{loanPath + "/extend", formBody(url.Values{"placement": {fmt.Sprint(pl.ID)}, "to": {s.poolDay(70)},
				"version": {fmt.Sprint(placementVersion())}}), extendWant(sc, 303)}
		},
		"POST /pool/loans/{id}/sheets": func(_ demo.User, sc scope) probe {
			return probe{loanPath + "/sheets", formBody(url.Values{"month": {base.Month}}), partyWant(sc, poolBorrower, 303)}
		},
		"POST /pool/loans/{id}/sheets/confirm": func(_ demo.User, sc scope) probe {
			want := partyWant(sc, poolBorrower, 303)
			f := m.loanAt(want, 303, stageSheet)
			return probe{fmt.Sprintf("/pool/loans/%d/sheets/confirm", f.Loan.ID), formBody(url.Values{"month": {f.Month}, "party": {"borrower"},
				"version": {fmt.Sprint(m.sheetVersion(f))}}), want}
		},
		"POST /pool/loans/{id}/rate": func(_ demo.User, sc scope) probe {
			want := partyWant(sc, poolBorrower, 303)
			f := m.loanAt(want, 303, stageEnded)
			return probe{fmt.Sprintf("/pool/loans/%d/rate", f.Loan.ID), formBody(url.Values{"party": {"borrower"}, "stars": {"5"},
				"note": {"员工熟练，按时到岗"}}), want}
		},
		"POST /pool/placements/{id}/code": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/pool/placements/%d/code", pl.ID), formBody(url.Values{"loan": {fmt.Sprint(base.Loan.ID)},
				"worker": {pl.Worker}}), matchWant(sc, 200)}
		},
		"GET /pool/seekers": func(u demo.User, _ scope) probe { return probe{"/pool/seekers", nil, seekersWant(u, 200)} },
		"POST /pool/seekers": func(u demo.User, sc scope) probe {
			p := seekerOf(s)
			return probe{"/pool/seekers", formBody(url.Values{"name": {p.Name}, "phone": {p.Phone}, "work_types": {"packing"}, "from": {p.From},
				"wants": {p.Wants}, "community_code": {p.CommunityCode}}), seekerPostWant(u, sc, 303)}
		},
		"POST /pool/seekers/{id}/place": func(u demo.User, _ scope) probe {
			want := may(u, access.PoolMatch, 303)
			p, n := m.freshSeeker(), m.freshNeed(want, 303)
			return probe{fmt.Sprintf("/pool/seekers/%d/place", p.ID), formBody(url.Values{"need": {fmt.Sprint(n.ID)},
				"version": {fmt.Sprint(p.Version)}}), want}
		},
		"POST /pool/seekers/{id}/withdraw": func(u demo.User, sc scope) probe {
			p := m.freshSeeker()
			return probe{fmt.Sprintf("/pool/seekers/%d/withdraw", p.ID), formBody(url.Values{"version": {fmt.Sprint(p.Version)}}),
				seekerWithdrawWant(u, sc, 303)}
		},
		"GET /pool/figures": func(u demo.User, _ scope) probe { return probe{"/pool/figures", nil, may(u, access.PoolRead, 200)} },
		"GET /pool/figures.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/pool/figures.xlsx", nil, may(u, access.PoolRead, 200)}
		},

		// The worker's page: public; the token of the worker's browser opens it.
		"GET /w": func(demo.User, scope) probe { return probe{"/w", nil, 200} },
		"POST /w": func(demo.User, scope) probe {
			return probe{"/w", formBody(url.Values{"code": {s.workerCode(t, m.redeem)}}), 303}
		},
		"GET /w/me": func(demo.User, scope) probe {
			worker("/w/me", base.token())
			return probe{"/w/me", nil, 200}
		},
		"POST /w/me/answer": func(demo.User, scope) probe {
			h := m.pop(&m.answers)
			worker("/w/me", h.token)
			return probe{"/w/me/answer", formBody(url.Values{"consent": {"yes"}, "version": {fmt.Sprint(h.version)}}), 303}
		},
		"POST /w/me/withdraw": func(demo.User, scope) probe {
			worker("/w/me", m.pop(&m.withdrawals).token)
			return probe{"/w/me/withdraw", formBody(url.Values{"reason": {"家中有事"}}), 303}
		},
		"POST /w/me/complain": func(demo.User, scope) probe {
			worker("/w/me", base.token())
			return probe{"/w/me/complain", formBody(url.Values{"text": {complaint}}), 303}
		},
		"POST /w/me/extension": func(demo.User, scope) probe {
			m.pending()
			worker("/w/me", base.token())
			return probe{"/w/me/extension", formBody(url.Values{"consent": {"no"}}), 303}
		},
		"POST /w/me/rate": func(demo.User, scope) probe {
			worker("/w/me", m.pop(&m.ratings).token)
			return probe{"/w/me/rate", formBody(url.Values{"stars": {"4"}, "note": {"管理规范"}}), 303}
		},

		"GET /api/v1/pool/workers": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/pool/workers", nil, may(u, access.PoolRead, 200)}
		},
		"POST /api/v1/pool/workers": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/pool/workers", jsonBody(map[string]any{"enterprise_id": m.postTarget(sc), "workers": []pool.Worker{s.newPoolWorker()}}),
				may(u, access.PoolPost, 201)}
		},
		"GET /api/v1/pool/workers/{id}": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + workerPath, nil, poolReadWant(sc, seesWorker(sc), 200)}
		},
		"POST /api/v1/pool/workers/{id}/reveal": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + workerPath + "/reveal", nil, actWant(sc, seesWorker(sc), access.PersonalView, poolLender, 200)}
		},
		"POST /api/v1/pool/workers/{id}/withdraw": func(_ demo.User, sc scope) probe {
			want := actWant(sc, seesWorker(sc), access.PoolPost, poolLender, 200)
			w := m.freshWorker(want, 200)
			return probe{fmt.Sprintf("/api/v1/pool/workers/%d/withdraw", w.ID), jsonBody(map[string]int{"version": w.Version}), want}
		},
		// A lender's exclusions are a record of the lender's: not found by
		// those who may not post for it (an enterprise's account asks for
		// its own, whatever it names).
		"GET /api/v1/pool/exclusions": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/api/v1/pool/exclusions?enterprise=%d", m.lender), nil, exclusionsWant(sc, 200)}
		},
		"PUT /api/v1/pool/exclusions": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1/pool/exclusions", jsonBody(map[string]any{"enterprise_id": m.lender, "credit_codes": []string{}}), exclusionsWant(sc, 200)}
		},
		"GET /api/v1/pool/needs": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/pool/needs", nil, may(u, access.PoolRead, 200)}
		},
		"POST /api/v1/pool/needs": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/pool/needs", jsonBody(s.newPoolNeed(m.postTarget(sc), 2)), may(u, access.PoolPost, 201)}
		},
		"GET /api/v1/pool/needs/{id}": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + needPath, nil, poolReadWant(sc, seesNeed(sc), 200)}
		},
		"POST /api/v1/pool/needs/{id}/close": func(_ demo.User, sc scope) probe {
			want := actWant(sc, seesNeed(sc), access.PoolPost, poolBorrower, 200)
			n := m.freshNeed(want, 200)
			return probe{fmt.Sprintf("/api/v1/pool/needs/%d/close", n.ID), jsonBody(map[string]int{"version": n.Version}), want}
		},
		"GET /api/v1/pool/match": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/pool/match", nil, may(u, access.PoolMatch, 200)}
		},
		"GET /api/v1/pool/loans": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/pool/loans?state=live", nil, may(u, access.PoolRead, 200)}
		},
		"POST /api/v1/pool/loans": func(u demo.User, _ scope) probe {
			want := may(u, access.PoolMatch, 201)
			n := m.freshNeed(want, 201)
			return probe{"/api/v1/pool/loans", jsonBody(map[string]any{"need_id": n.ID, "lender_id": m.lender, "heads": 1}), want}
		},
		"GET /api/v1/pool/loans/{id}": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + loanPath, nil, poolReadWant(sc, seesLoan(sc), 200)}
		},
		"GET /api/v1/pool/loans/{id}/candidates": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + loanPath + "/candidates", nil, partyWant(sc, poolLender, 200)}
		},
		"POST /api/v1/pool/loans/{id}/decline": func(_ demo.User, sc scope) probe {
			want := partyWant(sc, poolLender, 200)
			f := m.loanAt(want, 200, stageProposed)
			return probe{fmt.Sprintf("/api/v1/pool/loans/%d/decline", f.Loan.ID), jsonBody(map[string]any{"reason": declined, "version": f.Loan.Version}), want}
		},
		"POST /api/v1/pool/loans/{id}/choose": func(_ demo.User, sc scope) probe {
			want := partyWant(sc, poolLender, 200)
			f := m.loanAt(want, 200, stageProposed)
			return probe{fmt.Sprintf("/api/v1/pool/loans/%d/choose", f.Loan.ID), jsonBody(map[string]any{"workers": []int64{f.Workers[0].ID},
				"version": f.Loan.Version}), want}
		},
		"POST /api/v1/pool/loans/{id}/seals/{party}": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + loanPath + "/seals/borrower", jsonBody(map[string]string{"kind": "eseal", "reference": reference()}),
				partyWant(sc, poolBorrower, 200)}
		},
		"POST /api/v1/pool/loans/{id}/cover": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + loanPath + "/cover", jsonBody(coverJSON), partyWant(sc, poolLender, 200)}
		},
		"POST /api/v1/pool/loans/{id}/train": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + loanPath + "/train", jsonBody(map[string]any{"note": trainNote, "version": version()}), partyWant(sc, poolBorrower, 200)}
		},
		"POST /api/v1/pool/loans/{id}/start": func(_ demo.User, sc scope) probe {
			want := partyWant(sc, poolBorrower, 200)
			f := m.loanAt(want, 200, stageReady)
			p := f.placement()
			return probe{fmt.Sprintf("/api/v1/pool/loans/%d/start", f.Loan.ID), jsonBody(map[string]any{"placement_id": p.ID, "version": p.Version}), want}
		},
		"POST /api/v1/pool/loans/{id}/attendance": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + loanPath + "/attendance", jsonBody(map[string]any{"placement_id": pl.ID, "days": []string{s.poolDay(0)}}),
				partyWant(sc, poolBorrower, 200)}
		},
		"POST /api/v1/pool/loans/{id}/end": func(_ demo.User, sc scope) probe {
			h := m.pop(&m.ends)
			return probe{fmt.Sprintf("/api/v1/pool/loans/%d/end", h.loan), jsonBody(map[string]any{"placement_id": h.placement, "early": true,
				"reason": "借入企业订单提前完成", "version": h.version}), endWant(sc, 200)}
		},
		"POST /api/v1/pool/loans/{id}/extend": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + loanPath + "/extend", jsonBody(map[string]any{"placement_id": pl.ID, "to": s.poolDay(70),
				"version": placementVersion()}), extendWant(sc, 200)}
		},
		"POST /api/v1/pool/loans/{id}/rate": func(_ demo.User, sc scope) probe {
			want := partyWant(sc, poolBorrower, 200)
			f := m.loanAt(want, 200, stageEnded)
			return probe{fmt.Sprintf("/api/v1/pool/loans/%d/rate", f.Loan.ID), jsonBody(map[string]any{"party": "borrower", "stars": 4,
				"note": "员工熟练，按时到岗"}), want}
		},
		"GET /api/v1/pool/loans/{id}/sheets": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + loanPath + "/sheets", nil, poolReadWant(sc, seesLoan(sc), 200)}
		},
		"POST /api/v1/pool/loans/{id}/sheets": func(_ demo.User, sc scope) probe {
			return probe{"/api/v1" + loanPath + "/sheets", jsonBody(map[string]string{"month": base.Month}), partyWant(sc, poolBorrower, 201)}
		},
		"POST /api/v1/pool/loans/{id}/sheets/{month}/confirm": func(_ demo.User, sc scope) probe {
			want := partyWant(sc, poolBorrower, 200)
			f := m.loanAt(want, 200, stageSheet)
			return probe{fmt.Sprintf("/api/v1/pool/loans/%d/sheets/%s/confirm", f.Loan.ID, f.Month),
				jsonBody(map[string]any{"party": "borrower", "version": m.sheetVersion(f)}), want}
		},
		"POST /api/v1/pool/placements/{id}/code": func(_ demo.User, sc scope) probe {
			return probe{fmt.Sprintf("/api/v1/pool/placements/%d/code", pl.ID), nil, matchWant(sc, 201)}
		},
		"POST /api/v1/pool/lender-closed": func(u demo.User, sc scope) probe {
			want := may(u, access.PoolMatch, 200)
			if want == 200 && !sc.allows(access.PoolMatch, poolClosing) {
				want = http.StatusNotFound
			}
			return probe{"/api/v1/pool/lender-closed", jsonBody(map[string]any{"enterprise_id": s.entID(t, poolClosing.CreditCode),
				"reason": closing}), want}
		},
		"GET /api/v1/pool/seekers": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/pool/seekers", nil, seekersWant(u, 200)}
		},
		"POST /api/v1/pool/seekers": func(u demo.User, sc scope) probe {
			return probe{"/api/v1/pool/seekers", jsonBody(seekerOf(s)), seekerPostWant(u, sc, 201)}
		},
		"POST /api/v1/pool/seekers/{id}/place": func(u demo.User, _ scope) probe {
			want := may(u, access.PoolMatch, 200)
			p, n := m.freshSeeker(), m.freshNeed(want, 200)
			return probe{fmt.Sprintf("/api/v1/pool/seekers/%d/place", p.ID), jsonBody(map[string]any{"need_id": n.ID, "version": p.Version}), want}
		},
		"POST /api/v1/pool/seekers/{id}/withdraw": func(u demo.User, sc scope) probe {
			p := m.freshSeeker()
			return probe{fmt.Sprintf("/api/v1/pool/seekers/%d/withdraw", p.ID), jsonBody(map[string]int{"version": p.Version}),
				seekerWithdrawWant(u, sc, 204)}
		},
		"GET /api/v1/pool/figures": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/pool/figures", nil, may(u, access.PoolRead, 200)}
		},
		"GET /api/v1/pool/figures.xlsx": func(u demo.User, _ scope) probe {
			return probe{"/api/v1/pool/figures.xlsx", nil, may(u, access.PoolRead, 200)}
		},
		"POST /api/v1/pool/me/redeem": func(demo.User, scope) probe {
			return probe{"/api/v1/pool/me/redeem", jsonBody(map[string]string{"code": s.workerCode(t, m.redeem)}), 200}
		},
		"GET /api/v1/pool/me": func(demo.User, scope) probe {
			worker("/api/v1/pool/me", base.token())
			return probe{"/api/v1/pool/me", nil, 200}
		},
		"POST /api/v1/pool/me/answer": func(demo.User, scope) probe {
			h := m.pop(&m.answers)
			worker("/api/v1/pool/me", h.token)
			return probe{"/api/v1/pool/me/answer", jsonBody(map[string]any{"consent": true, "version": h.version}), 200}
		},
		"POST /api/v1/pool/me/withdraw": func(demo.User, scope) probe {
			worker("/api/v1/pool/me", m.pop(&m.withdrawals).token)
			return probe{"/api/v1/pool/me/withdraw", jsonBody(map[string]string{"reason": "家中有事"}), 200}
		},
		"POST /api/v1/pool/me/complain": func(demo.User, scope) probe {
			worker("/api/v1/pool/me", m.complainToken)
			return probe{"/api/v1/pool/me/complain", jsonBody(map[string]string{"text": complaint}), 201}
		},
		"POST /api/v1/pool/me/extension": func(demo.User, scope) probe {
			m.pending()
			worker("/api/v1/pool/me", base.token())
			return probe{"/api/v1/pool/me/extension", jsonBody(map[string]bool{"consent": false}), 200}
		},
		"POST /api/v1/pool/me/rate": func(demo.User, scope) probe {
			worker("/api/v1/pool/me", m.pop(&m.ratings).token)
			return probe{"/api/v1/pool/me/rate", jsonBody(map[string]any{"stars": 5, "note": "管理规范"}), 200}
		},
	}
}

// exclusionsWant is reading or setting the lender's exclusions.
func exclusionsWant(sc scope, ok int) int {
	if sc.allows(access.PoolPost, poolLender) {
		return ok
	}
	return http.StatusNotFound
}
