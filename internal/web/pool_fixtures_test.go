package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/pool"
	"qifu/internal/pool/poolweb"
	"qifu/internal/web/core"
)

// The employee turnover pool (员工周转池) the route matrix, the page tests
// and TestPoolPages start from: the showcase enterprise lends a worker to
// another enterprise of the showcase community, short of hands; the
// community proposes the loan, the lender chooses its worker, the worker
// consents on their page with a one-time code, both seal (the lender with a
// sealed scan, the borrower with an e-seal), the borrower trains and starts
// the worker, records a day and builds the month's sheet.

// poolLender is the enterprise that lends: the showcase enterprise, whose
// account is "enterprise".
var poolLender = byCode[demoAccount("enterprise").EnterpriseCode]

// poolBorrower is the enterprise short of hands: the first of the showcase
// community outside the showcase grid (the grid worker sees the lender's
// records, not the borrower's).
var poolBorrower = func() enterprise.Enterprise {
	e, ok := pick(func(e enterprise.Enterprise) bool { return e.CommunityCode == showCommunity && e.GridCode != showGrid })
	if !ok {
		panic("no enterprise of the showcase community outside its first grid")
	}
	return e
}()

// poolClosing is an enterprise of the showcase community that never lends:
// the matrix says it closed (its loans end at once), as often as it likes.
var poolClosing = func() enterprise.Enterprise {
	e, ok := pick(func(e enterprise.Enterprise) bool {
		return e.CommunityCode == showCommunity && e.CreditCode != poolLender.CreditCode && e.CreditCode != poolBorrower.CreditCode
	})
	if !ok {
		panic("no third enterprise in the showcase community")
	}
	return e
}()

// poolDay is the day n days from the store's today, in the district.
func (s *site) poolDay(n int) string {
	return s.st.Now().In(calendar.Shanghai).AddDate(0, 0, n).Format("2006-01-02")
}

// newIDNumber returns a valid resident ID number (its check character
// pool.IDCheck's) not returned before.
func newIDNumber() string {
	n := codeSeq.Add(1)
	born := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n%12000))
	first17 := fmt.Sprintf("330206%s%03d", born.Format("20060102"), n%1000)
	return first17 + string(pool.IDCheck(first17))
}

// newPoolWorker is a packer of the lender's, employed for two more years,
// free from today for half a year, any shift, shared with the district.
func (s *site) newPoolWorker() pool.Worker {
	n := codeSeq.Add(1)
	return pool.Worker{Name: fmt.Sprintf("周转员工%d", n), Phone: fmt.Sprintf("139%08d", n%100_000_000), IDNumber: newIDNumber(),
		WorkTypes: []pool.WorkType{"packing", "general"}, ContractEnd: s.poolDay(730), From: s.poolDay(0), To: s.poolDay(180),
		Shift: "both", Share: "district"}
}

// newPoolNeed is a need of the enterprise of id for heads packers from
// today for two months, needed in three days, shared with the district.
func (s *site) newPoolNeed(id int64, heads int) pool.Need {
	return pool.Need{EnterpriseID: id, WorkType: "packing", Heads: heads, From: s.poolDay(0), To: s.poolDay(60),
		Site: "北仑区大港工业城三号车间", Shift: "day", DailyCost: 280, Training: "半天岗前培训：包装线操作规程与消防安全",
		Transport: true, NeededBy: s.poolDay(3), Contact: "李主管", Phone: "13912345678", Share: "district"}
}

// poolCall sends a JSON request of the pool's API as username (header:
// extra request headers in pairs) and decodes the answer into out, failing
// the test unless the status is want.
func (s *site) poolCall(t testing.TB, username, method, path string, in any, want int, out any, header ...string) {
	t.Helper()
	var b *body
	if in != nil {
		b = jsonBody(in)
	}
	var res result
	if username == "" {
		res = s.call(t, method, path, nil, b, header...)
	} else {
		res = s.as(t, username, method, path, b, header...)
	}
	if res.code != want {
		t.Fatalf("%s %s as %q: %d, want %d: %.400s", method, path, username, res.code, want, res.body)
	}
	if out != nil {
		res.json(t, out)
	}
}

// offerWorkers offers workers of the lender through the API as its own
// account, as a team when there are several.
func (s *site) offerWorkers(t testing.TB, workers ...pool.Worker) []pool.Worker {
	t.Helper()
	in := map[string]any{"workers": workers}
	if len(workers) > 1 {
		in["team"] = map[string]any{"name": fmt.Sprintf("包装%d组", codeSeq.Add(1))}
	}
	var out core.Items[pool.Worker]
	s.poolCall(t, "enterprise", "POST", "/api/v1/pool/workers", in, http.StatusCreated, &out)
	if len(out.Items) != len(workers) {
		t.Fatalf("offered %d workers, %d in the answer", len(workers), len(out.Items))
	}
	return out.Items
}

// postNeed posts n through the API as the community staff (for the borrower).
func (s *site) postNeed(t testing.TB, n pool.Need) pool.Need {
	t.Helper()
	var out pool.Need
	s.poolCall(t, "community", "POST", "/api/v1/pool/needs", n, http.StatusCreated, &out)
	return out
}

// poolLoan reads a loan through the API as the administrator.
func (s *site) poolLoan(t testing.TB, id int64) pool.Loan {
	t.Helper()
	var m pool.Loan
	s.poolCall(t, "admin", "GET", fmt.Sprintf("/api/v1/pool/loans/%d", id), nil, http.StatusOK, &m)
	return m
}

// poolStage is how far poolLoanAt takes a loan.
type poolStage int

const (
	stageProposed  poolStage = iota // proposed to the lender
	stageChosen                     // the lender chose its workers; each has a token of their page
	stageConsented                  // every worker consented
	stageReady                      // both sealed, trained, every worker covered
	stageOnSite                     // every worker on site
	stageSheet                      // a day of attendance and the month's sheet
	stageEnded                      // (from chosen) every worker sent back early by the administrator
)

// poolFix is a loan of the pool as poolLoanAt left it.
type poolFix struct {
	Loan    pool.Loan
	Need    pool.Need
	Workers []pool.Worker
	// Tokens are the tokens of the workers' pages, by placement ID (from
	// stageChosen on).
	Tokens map[int64]string
	Month  string // the sheet's month (stageSheet)
}

// placement is the loan's first placement.
func (f poolFix) placement() pool.Placement { return f.Loan.Placements[0] }

// token is the token of the first placement's worker.
func (f poolFix) token() string { return f.Tokens[f.placement().ID] }

// poolLoanAt makes a loan of heads of the lender's workers to the borrower
// and takes it to stage, through the API as the showcase accounts: the
// lender's own account offers, chooses, seals (a sealed scan unless eseal),
// and covers; the community posts the need on the borrower's behalf,
// proposes, gives the codes, and, for the borrower, seals with an e-seal,
// trains, starts, records attendance and builds the sheet; the workers
// redeem their codes and consent; the administrator ends a loan early.
func (s *site) poolLoanAt(t testing.TB, stage poolStage, heads int, eseal bool) poolFix {
	t.Helper()
	var f poolFix
	workers := make([]pool.Worker, heads)
	for i := range workers {
		workers[i] = s.newPoolWorker()
	}
	f.Workers = s.offerWorkers(t, workers...)
	f.Need = s.postNeed(t, s.newPoolNeed(s.entID(t, poolBorrower.CreditCode), heads))
	s.poolCall(t, "community", "POST", "/api/v1/pool/loans", map[string]any{"need_id": f.Need.ID,
		"lender_id": s.entID(t, poolLender.CreditCode), "heads": heads}, http.StatusCreated, &f.Loan)
	if stage == stageProposed {
		return f
	}
	var ids []int64
	for _, w := range f.Workers {
		ids = append(ids, w.ID)
	}
	path := fmt.Sprintf("/api/v1/pool/loans/%d", f.Loan.ID)
	s.poolCall(t, "enterprise", "POST", path+"/choose", map[string]any{"workers": ids, "version": f.Loan.Version}, http.StatusOK, &f.Loan)
	if stage == stageEnded {
		for _, p := range f.Loan.Placements {
			s.poolCall(t, "admin", "POST", path+"/end", map[string]any{"placement_id": p.ID, "early": true, "reason": "出借企业订单恢复，需召回",
				"version": p.Version}, http.StatusOK, &f.Loan)
		}
		return f
	}
	f.Tokens = map[int64]string{}
	for _, p := range f.Loan.Placements {
		f.Tokens[p.ID] = s.workerToken(t, p.ID)
	}
	if stage == stageChosen {
		return f
	}
	for _, p := range f.Loan.Placements {
		s.poolCall(t, "", "POST", "/api/v1/pool/me/answer", map[string]any{"consent": true, "version": p.Version}, http.StatusOK, nil,
			"X-Pool-Token", f.Tokens[p.ID])
	}
	if stage == stageConsented {
		f.Loan = s.poolLoan(t, f.Loan.ID)
		return f
	}
	if eseal {
		s.poolCall(t, "enterprise", "POST", path+"/seals/lender", map[string]any{"kind": "eseal",
			"reference": fmt.Sprintf("ESEAL-L-%d", codeSeq.Add(1))}, http.StatusOK, nil)
	} else {
		s.sealScan(t, f.Loan.ID)
	}
	s.poolCall(t, "community", "POST", path+"/seals/borrower", map[string]any{"kind": "eseal",
		"reference": fmt.Sprintf("ESEAL-B-%d", codeSeq.Add(1))}, http.StatusOK, &f.Loan)
	s.poolCall(t, "community", "POST", path+"/train", map[string]any{"note": "安全员讲解包装线操作与消防逃生，2小时",
		"version": f.Loan.Version}, http.StatusOK, &f.Loan)
	for _, p := range f.Loan.Placements {
		s.poolCall(t, "enterprise", "POST", path+"/cover", map[string]any{"placement_id": p.ID, "cover_ref": fmt.Sprintf("GS330206-%d", codeSeq.Add(1)),
			"cover_until": s.poolDay(365)}, http.StatusOK, &f.Loan)
	}
	if stage == stageReady {
		return f
	}
	for _, p := range f.Loan.Placements {
		s.poolCall(t, "community", "POST", path+"/start", map[string]any{"placement_id": p.ID, "version": p.Version}, http.StatusOK, &f.Loan)
	}
	if stage == stageOnSite {
		return f
	}
	for _, p := range f.Loan.Placements {
		s.poolCall(t, "community", "POST", path+"/attendance", map[string]any{"placement_id": p.ID, "days": []string{s.poolDay(0)}},
			http.StatusOK, &f.Loan)
	}
	f.Month = s.poolDay(0)[:7]
	s.poolCall(t, "community", "POST", path+"/sheets", map[string]any{"month": f.Month}, http.StatusCreated, nil)
	return f
}

// workerToken gives a placement's worker a new one-time code, as the
// community staff, and exchanges it for the token of the worker's page.
func (s *site) workerToken(t testing.TB, placementID int64) string {
	t.Helper()
	var tok struct {
		Token string `json:"token"`
	}
	s.poolCall(t, "", "POST", "/api/v1/pool/me/redeem", map[string]string{"code": s.workerCode(t, placementID)}, http.StatusOK, &tok)
	if tok.Token == "" {
		t.Fatalf("placement %d: no token", placementID)
	}
	return tok.Token
}

// workerCode gives a placement's worker a new one-time code, as the
// community staff.
func (s *site) workerCode(t testing.TB, placementID int64) string {
	t.Helper()
	var c struct {
		Code string `json:"code"`
	}
	s.poolCall(t, "community", "POST", fmt.Sprintf("/api/v1/pool/placements/%d/code", placementID), nil, http.StatusCreated, &c)
	return c.Code
}

// sealScan seals a loan for the lender with a sealed scan (an image),
// through the API as its own account.
func (s *site) sealScan(t testing.TB, loanID int64) {
	t.Helper()
	res := s.as(t, "enterprise", "POST", fmt.Sprintf("/api/v1/pool/loans/%d/seals/lender", loanID),
		photoBody(t, "file", aPNG(t), nil))
	var m pool.Loan
	res.json(t, &m)
	if res.code != http.StatusOK || m.LenderSeal != "scan" {
		t.Fatalf("seal with a scan: %d %.300s", res.code, res.body)
	}
}

// poolFixture is the loan every GET of the pool is called on: one worker
// on site, sealed with a scan by the lender, a day recorded and the
// month's sheet built; its worker's page opens with the token.
func (s *site) poolFixture(t testing.TB) poolFix {
	t.Helper()
	return s.poolLoanAt(t, stageSheet, 1, false)
}

// poolPath puts the fixture's records into a route's path: its worker,
// need, loan, placement, the lender's sealed scan and the sheet's month.
// It reports false for a path that is not the pool's.
func poolPath(f poolFix, path string) (string, bool) {
	var id int64
	switch {
	case hasAnyPrefix(path, "/pool/workers/{id}", "/api/v1/pool/workers/{id}"):
		id = f.Workers[0].ID
	case hasAnyPrefix(path, "/pool/needs/{id}", "/api/v1/pool/needs/{id}"):
		id = f.Need.ID
	case hasAnyPrefix(path, "/pool/loans/{id}", "/api/v1/pool/loans/{id}"):
		id = f.Loan.ID
	case hasAnyPrefix(path, "/pool/placements/{id}", "/api/v1/pool/placements/{id}"):
		id = f.placement().ID
	case path == "/api/v1/pool/exclusions":
		return fmt.Sprintf("%s?enterprise=%d", path, f.Loan.LenderID), true
	case path == "/pool" || path == "/w" || hasAnyPrefix(path, "/pool/", "/api/v1/pool/", "/w/"):
		return path, true
	default:
		return path, false
	}
	return replaceAll(path, "{id}", fmt.Sprint(id), "{party}", "lender", "{month}", f.Month), true
}

// workerHeader is what a worker's browser sends with a request to path:
// the token in its cookie for a page, in X-Pool-Token for the API.
func workerHeader(path, token string) []string {
	if hasAnyPrefix(path, "/api/") {
		return []string{"X-Pool-Token", token}
	}
	return []string{"Cookie", poolweb.WorkerCookie + "=" + token}
}

// hasAnyPrefix reports whether s starts with one of the prefixes.
func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// replaceAll replaces in s each old string by its new one (pairs).
func replaceAll(s string, oldnew ...string) string { return strings.NewReplacer(oldnew...).Replace(s) }
