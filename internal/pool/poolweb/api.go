package poolweb

import (
	"errors"
	"net/http"
	"strconv"

	"qifu/internal/access"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/web/core"
)

// Example bodies of the API, for the OpenAPI document.
var (
	exampleOffer = offerInput{EnterpriseID: 1, Team: &pool.Team{Name: "包装二组", Shuttle: true},
		Workers: []pool.Worker{{Name: "张伟", Phone: "13812345678", IDNumber: "330206199001011233", WorkTypes: []pool.WorkType{"packing", "general"},
			ContractEnd: "2027-12-31", From: "2026-12-07", To: "2027-02-28", Shift: "both", Share: "district"}}}
	exampleNeed = pool.Need{EnterpriseID: 2, WorkType: "packing", Heads: 10, From: "2026-12-10", To: "2027-01-20", Site: "北仑区新碶街道明州路 88 号三号车间",
		Shift: "day", DailyCost: 280, Training: "半天岗前培训：包装线操作规程与消防安全", Transport: true, NeededBy: "2026-12-12",
		Contact: "李主管", Phone: "13912345678", Share: "district"}
)

// queryID is a query parameter's id, 0 when absent or not a number.
func queryID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	return n
}

// offerInput offers workers of an enterprise, as a team when Team is given.
type offerInput struct {
	EnterpriseID int64         `json:"enterprise_id"`
	Team         *pool.Team    `json:"team,omitempty"`
	Workers      []pool.Worker `json:"workers"`
}

func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func workerOut(w pool.Worker) pool.Worker {
	w.WorkTypes, w.Certs = nonNil(w.WorkTypes), nonNil(w.Certs)
	return w
}

func needOut(n pool.Need) pool.Need {
	n.Certs = nonNil(n.Certs)
	return n
}

func loanOut(m pool.Loan) pool.Loan {
	m.Reasons, m.Placements = nonNil(m.Reasons), nonNil(m.Placements)
	m.Need = needOut(m.Need)
	return m
}

func sheetOut(sh pool.Sheet) pool.Sheet {
	sh.Lines = nonNil(sh.Lines)
	return sh
}

func seekerOut(p pool.Seeker) pool.Seeker {
	p.WorkTypes = nonNil(p.WorkTypes)
	return p
}

// ownOr is the enterprise a call is for: an enterprise's account always its own.
func ownOr(a access.Actor, id int64) int64 {
	if a.Role == access.RoleEnterprise {
		return a.EnterpriseID
	}
	return id
}

func (s *Handlers) offer(r *http.Request, a access.Actor, _ int64, in offerInput) (core.Items[pool.Worker], error) {
	var team pool.Team
	if in.Team != nil {
		team = *in.Team
	}
	list, err := s.pool.OfferTeam(r.Context(), a, ownOr(a, in.EnterpriseID), team, in.Workers)
	for i := range list {
		list[i] = workerOut(list[i])
	}
	return core.Items[pool.Worker]{Items: nonNil(list)}, err
}

func (s *Handlers) workers(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[pool.Worker], error) {
	q := r.URL.Query()
	list, total, err := s.pool.Workers(r.Context(), a, pooldb.WorkerQuery{Enterprise: queryID(r, "enterprise"), WorkType: q.Get("work_type"),
		Status: q.Get("status"), Page: core.PageOf(r)})
	for i := range list {
		list[i] = workerOut(list[i])
	}
	return core.List[pool.Worker]{Items: nonNil(list), Total: total}, err
}

func (s *Handlers) worker(r *http.Request, a access.Actor, id int64, _ core.NoBody) (pool.Worker, error) {
	wk, err := s.pool.Worker(r.Context(), a, id)
	return workerOut(wk), err
}

func (s *Handlers) reveal(r *http.Request, a access.Actor, id int64, _ core.NoBody) (pool.Worker, error) {
	wk, err := s.pool.Reveal(r.Context(), a, id)
	return workerOut(wk), err
}

type versionInput struct {
	Version int `json:"version"`
}

func (s *Handlers) withdrawWorker(r *http.Request, a access.Actor, id int64, in versionInput) (pool.Worker, error) {
	wk, err := s.pool.Withdraw(r.Context(), a, id, in.Version)
	return workerOut(wk), err
}

type exclusionsInput struct {
	EnterpriseID int64    `json:"enterprise_id"`
	CreditCodes  []string `json:"credit_codes"`
}

func (s *Handlers) exclusions(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.Items[pooldb.Named], error) {
	list, err := s.pool.Exclusions(r.Context(), a, ownOr(a, queryID(r, "enterprise")))
	return core.Items[pooldb.Named]{Items: nonNil(list)}, err
}

func (s *Handlers) setExclusions(r *http.Request, a access.Actor, _ int64, in exclusionsInput) (core.Items[pooldb.Named], error) {
	list, err := s.pool.SetExclusions(r.Context(), a, ownOr(a, in.EnterpriseID), in.CreditCodes)
	return core.Items[pooldb.Named]{Items: nonNil(list)}, err
}

func (s *Handlers) postNeed(r *http.Request, a access.Actor, _ int64, in pool.Need) (pool.Need, error) {
	in.EnterpriseID = ownOr(a, in.EnterpriseID)
	n, err := s.pool.PostNeed(r.Context(), a, in)
	return needOut(n), err
}

func (s *Handlers) needs(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[pool.Need], error) {
	list, total, err := s.pool.Needs(r.Context(), a, pooldb.NeedQuery{Enterprise: queryID(r, "enterprise"), Status: r.URL.Query().Get("status"),
		Page: core.PageOf(r)})
	for i := range list {
		list[i] = needOut(list[i])
	}
	return core.List[pool.Need]{Items: nonNil(list), Total: total}, err
}

func (s *Handlers) need(r *http.Request, a access.Actor, id int64, _ core.NoBody) (pool.Need, error) {
	n, err := s.pool.Need(r.Context(), a, id)
	return needOut(n), err
}

func (s *Handlers) closeNeed(r *http.Request, a access.Actor, id int64, in versionInput) (pool.Need, error) {
	n, err := s.pool.CloseNeed(r.Context(), a, id, in.Version)
	return needOut(n), err
}

// suggestionJSON is the matcher's answer.
type suggestionJSON struct {
	Proposals []pool.Proposal   `json:"proposals"`
	Filled    int               `json:"filled"`
	Cost      int               `json:"cost"`
	Workers   int               `json:"workers"`
	Needs     []pool.Need       `json:"needs"`
	Unfilled  []pooldb.Unfilled `json:"unfilled"`
}

func (s *Handlers) match(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (suggestionJSON, error) {
	sg, err := s.pool.Suggest(r.Context(), a)
	out := suggestionJSON{Proposals: nonNil(sg.Proposals), Filled: sg.Filled, Cost: sg.Cost, Workers: sg.Workers,
		Needs: nonNil(sg.Needs), Unfilled: nonNil(sg.Unfilled)}
	for i := range out.Needs {
		out.Needs[i] = needOut(out.Needs[i])
	}
	for i := range out.Unfilled {
		out.Unfilled[i].Blocked = nonNil(out.Unfilled[i].Blocked)
	}
	for i := range out.Proposals {
		out.Proposals[i].Candidates, out.Proposals[i].Reasons = nonNil(out.Proposals[i].Candidates), nonNil(out.Proposals[i].Reasons)
	}
	return out, err
}

type proposeInput struct {
	NeedID   int64 `json:"need_id"`
	LenderID int64 `json:"lender_id"`
	Heads    int   `json:"heads"`
}

func (s *Handlers) propose(r *http.Request, a access.Actor, _ int64, in proposeInput) (pool.Loan, error) {
	m, err := s.pool.Propose(r.Context(), a, in.NeedID, in.LenderID, in.Heads)
	return loanOut(m), err
}

func (s *Handlers) loans(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[pool.Loan], error) {
	list, total, err := s.pool.Loans(r.Context(), a, pooldb.LoanQuery{Enterprise: queryID(r, "enterprise"), Need: queryID(r, "need"),
		State: r.URL.Query().Get("state"), Page: core.PageOf(r)})
	for i := range list {
		list[i] = loanOut(list[i])
	}
	return core.List[pool.Loan]{Items: nonNil(list), Total: total}, err
}

// onLoan is a change of a loan answered with the loan as it is now.
func onLoan[In any](do func(r *http.Request, a access.Actor, id int64, in In) (pool.Loan, error)) core.Handler {
	return core.Call(http.StatusOK, func(r *http.Request, a access.Actor, id int64, in In) (pool.Loan, error) {
		m, err := do(r, a, id, in)
		return loanOut(m), err
	})
}

func (s *Handlers) loan(r *http.Request, a access.Actor, id int64, _ core.NoBody) (pool.Loan, error) {
	return s.pool.Loan(r.Context(), a, id)
}

func (s *Handlers) candidates(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.Items[pooldb.Candidate], error) {
	list, err := s.pool.Candidates(r.Context(), a, id)
	for i := range list {
		list[i].Worker = workerOut(list[i].Worker)
	}
	return core.Items[pooldb.Candidate]{Items: nonNil(list)}, err
}

type declineInput struct {
	Reason  string `json:"reason"`
	Version int    `json:"version"`
}

func (s *Handlers) decline(r *http.Request, a access.Actor, id int64, in declineInput) (pool.Loan, error) {
	return s.pool.Decline(r.Context(), a, id, in.Reason, in.Version)
}

type chooseInput struct {
	Workers []int64 `json:"workers"`
	Version int     `json:"version"`
}

func (s *Handlers) choose(r *http.Request, a access.Actor, id int64, in chooseInput) (pool.Loan, error) {
	return s.pool.Choose(r.Context(), a, id, in.Workers, in.Version)
}

// apiSeal takes a sealed scan (multipart: file, compensation) or an e-seal
// (JSON: kind "eseal", reference).
func (s *Handlers) apiSeal(w http.ResponseWriter, r *http.Request) error {
	party := r.PathValue("party")
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	a, _ := core.ActorOf(r)
	if err := s.pool.MayAct(r.Context(), a, id, party); err != nil {
		return err // before a file is kept for the party
	}
	var seal pooldb.Seal
	if err := r.ParseMultipartForm(s.opts.MaxUpload); err == nil {
		seal = pooldb.Seal{Kind: "scan", Compensation: r.FormValue("compensation")}
		if seal, err = s.storeScan(r, seal); err != nil {
			return err
		}
	} else if !errors.Is(err, http.ErrNotMultipart) {
		return core.BadUpload(err)
	} else if err := core.Decode(r, &seal); err != nil {
		return err
	} else if seal.Kind == "scan" {
		seal.Kind = "" // a scan comes as a file, never as a claim
	}
	return onLoan(func(r *http.Request, a access.Actor, id int64, _ core.NoBody) (pool.Loan, error) {
		return s.pool.AddSeal(r.Context(), a, id, party, seal)
	})(w, r)
}

type coverInput struct {
	PlacementID int64  `json:"placement_id"`
	CoverRef    string `json:"cover_ref"`
	CoverUntil  string `json:"cover_until"`
}

func (s *Handlers) cover(r *http.Request, a access.Actor, id int64, in coverInput) (pool.Loan, error) {
	return s.pool.Cover(r.Context(), a, id, in.PlacementID, in.CoverRef, in.CoverUntil)
}

type trainInput struct {
	Note    string `json:"note"`
	Version int    `json:"version"`
}

func (s *Handlers) train(r *http.Request, a access.Actor, id int64, in trainInput) (pool.Loan, error) {
	return s.pool.Train(r.Context(), a, id, in.Note, in.Version)
}

type placementInput struct {
	PlacementID int64 `json:"placement_id"`
	Version     int   `json:"version"`
}

func (s *Handlers) start(r *http.Request, a access.Actor, id int64, in placementInput) (pool.Loan, error) {
	return s.pool.Start(r.Context(), a, id, in.PlacementID, in.Version)
}

type attendInput struct {
	PlacementID int64    `json:"placement_id"`
	Days        []string `json:"days"`
}

func (s *Handlers) attend(r *http.Request, a access.Actor, id int64, in attendInput) (pool.Loan, error) {
	return s.pool.Attend(r.Context(), a, id, in.PlacementID, in.Days)
}

type endInput struct {
	PlacementID int64  `json:"placement_id"`
	Early       bool   `json:"early"`
	Reason      string `json:"reason"`
	Version     int    `json:"version"`
}

func (s *Handlers) end(r *http.Request, a access.Actor, id int64, in endInput) (pool.Loan, error) {
	return s.pool.End(r.Context(), a, id, in.PlacementID, in.Early, in.Reason, in.Version)
}

type extendInput struct {
	PlacementID int64  `json:"placement_id"`
	To          string `json:"to"`
	Version     int    `json:"version"`
}

func (s *Handlers) extend(r *http.Request, a access.Actor, id int64, in extendInput) (pool.Loan, error) {
	return s.pool.Extend(r.Context(), a, id, in.PlacementID, in.To, in.Version)
}

type rateInput struct {
	Stars int    `json:"stars"`
	Note  string `json:"note"`
	Party string `json:"party,omitempty"`
}

func (s *Handlers) rate(r *http.Request, a access.Actor, id int64, in rateInput) (pool.Loan, error) {
	if err := s.pool.Rate(r.Context(), a, id, in.Party, in.Stars, in.Note); err != nil {
		return pool.Loan{}, err
	}
	return s.pool.Loan(r.Context(), a, id)
}

func (s *Handlers) sheets(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.Items[pool.Sheet], error) {
	list, err := s.pool.Sheets(r.Context(), a, id)
	for i := range list {
		list[i] = sheetOut(list[i])
	}
	return core.Items[pool.Sheet]{Items: nonNil(list)}, err
}

type sheetInput struct {
	Month string `json:"month"`
}

func (s *Handlers) makeSheet(r *http.Request, a access.Actor, id int64, in sheetInput) (pool.Sheet, error) {
	sh, err := s.pool.MakeSheet(r.Context(), a, id, in.Month)
	return sheetOut(sh), err
}

type confirmInput struct {
	Party   string           `json:"party"`
	Paid    []pooldb.Payment `json:"paid,omitempty"`
	Version int              `json:"version"`
}

func (s *Handlers) confirmSheet(r *http.Request, a access.Actor, id int64, in confirmInput) (pool.Sheet, error) {
	sh, err := s.pool.ConfirmSheet(r.Context(), a, id, r.PathValue("month"), in.Party, in.Paid, in.Version)
	return sheetOut(sh), err
}

type codeJSON struct {
	Code string `json:"code"`
	Link string `json:"link"`
}

func (s *Handlers) code(r *http.Request, a access.Actor, id int64, _ core.NoBody) (codeJSON, error) {
	code, err := s.pool.IssueCode(r.Context(), a, id)
	return codeJSON{Code: code, Link: "/w?code=" + code}, err
}

type closedInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Reason       string `json:"reason"`
}

type endedJSON struct {
	Ended int `json:"ended"`
}

func (s *Handlers) lenderClosed(r *http.Request, a access.Actor, _ int64, in closedInput) (endedJSON, error) {
	n, err := s.pool.LenderClosed(r.Context(), a, in.EnterpriseID, in.Reason)
	return endedJSON{Ended: n}, err
}

func (s *Handlers) seekers(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[pool.Seeker], error) {
	q := r.URL.Query()
	list, total, err := s.pool.Seekers(r.Context(), a, pooldb.SeekerQuery{WorkType: q.Get("work_type"), Status: q.Get("status"), Page: core.PageOf(r)})
	for i := range list {
		list[i] = seekerOut(list[i])
	}
	return core.List[pool.Seeker]{Items: nonNil(list), Total: total}, err
}

func (s *Handlers) addSeeker(r *http.Request, a access.Actor, _ int64, in pool.Seeker) (pool.Seeker, error) {
	p, err := s.pool.AddSeeker(r.Context(), a, in)
	return seekerOut(p), err
}

type placeInput struct {
	NeedID  int64 `json:"need_id"`
	Version int   `json:"version"`
}

func (s *Handlers) placeSeeker(r *http.Request, a access.Actor, id int64, in placeInput) (pool.Seeker, error) {
	p, err := s.pool.PlaceSeeker(r.Context(), a, id, in.NeedID, in.Version)
	return seekerOut(p), err
}

func (s *Handlers) withdrawSeeker(r *http.Request, a access.Actor, id int64, in versionInput) (core.NoBody, error) {
	return core.NoBody{}, s.pool.WithdrawSeeker(r.Context(), a, id, in.Version)
}

// figuresJSON are a region's figures in total and one level down.
type figuresJSON struct {
	Total pooldb.Figures   `json:"total"`
	Items []pooldb.Figures `json:"items"`
	From  string           `json:"from"`
	To    string           `json:"to"`
}

func (s *Handlers) figures(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (figuresJSON, error) {
	p := s.period(r)
	total, list, err := s.pool.FiguresOf(r.Context(), a, r.URL.Query().Get("region"), p)
	return figuresJSON{Total: total, Items: nonNil(list), From: p.From, To: p.To}, err
}
