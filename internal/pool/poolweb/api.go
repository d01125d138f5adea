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

func (s *Handlers) apiOffer(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in offerInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if a.Role == access.RoleEnterprise {
		in.EnterpriseID = a.EnterpriseID
	}
	var team pool.Team
	if in.Team != nil {
		team = *in.Team
	}
	list, err := s.pool.OfferTeam(r.Context(), a, in.EnterpriseID, team, in.Workers)
	if err != nil {
		return err
	}
	for i := range list {
		list[i] = workerOut(list[i])
	}
	core.WriteJSON(w, http.StatusCreated, core.Items[pool.Worker]{Items: list})
	return nil
}

func (s *Handlers) apiWorkers(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := r.URL.Query()
	eid, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	page := core.PageOf(r)
	list, total, err := s.pool.Workers(r.Context(), a, pooldb.WorkerQuery{Enterprise: eid, WorkType: q.Get("work_type"), Status: q.Get("status"), Page: page})
	if err != nil {
		return err
	}
	list = nonNil(list)
	for i := range list {
		list[i] = workerOut(list[i])
	}
	core.WriteJSON(w, http.StatusOK, core.List[pool.Worker]{Items: list, Total: total})
	return nil
}

func (s *Handlers) apiWorker(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	wk, err := s.pool.Worker(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, workerOut(wk))
	return nil
}

func (s *Handlers) apiReveal(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	wk, err := s.pool.Reveal(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, workerOut(wk))
	return nil
}

type versionInput struct {
	Version int `json:"version"`
}

func (s *Handlers) apiWithdrawWorker(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in versionInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	wk, err := s.pool.Withdraw(r.Context(), a, id, in.Version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, workerOut(wk))
	return nil
}

type exclusionsInput struct {
	EnterpriseID int64    `json:"enterprise_id"`
	CreditCodes  []string `json:"credit_codes"`
}

func (s *Handlers) apiExclusions(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	eid, _ := strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64)
	if a.Role == access.RoleEnterprise {
		eid = a.EnterpriseID
	}
	list, err := s.pool.Exclusions(r.Context(), a, eid)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, core.Items[pooldb.Named]{Items: nonNil(list)})
	return nil
}

func (s *Handlers) apiSetExclusions(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in exclusionsInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if a.Role == access.RoleEnterprise {
		in.EnterpriseID = a.EnterpriseID
	}
	list, err := s.pool.SetExclusions(r.Context(), a, in.EnterpriseID, in.CreditCodes)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, core.Items[pooldb.Named]{Items: nonNil(list)})
	return nil
}

func (s *Handlers) apiPostNeed(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in pool.Need
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if a.Role == access.RoleEnterprise {
		in.EnterpriseID = a.EnterpriseID
	}
	n, err := s.pool.PostNeed(r.Context(), a, in)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, needOut(n))
	return nil
}

func (s *Handlers) apiNeeds(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := r.URL.Query()
	eid, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	page := core.PageOf(r)
	list, total, err := s.pool.Needs(r.Context(), a, pooldb.NeedQuery{Enterprise: eid, Status: q.Get("status"), Page: page})
	if err != nil {
		return err
	}
	list = nonNil(list)
	for i := range list {
		list[i] = needOut(list[i])
	}
	core.WriteJSON(w, http.StatusOK, core.List[pool.Need]{Items: list, Total: total})
	return nil
}

func (s *Handlers) apiNeed(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.pool.Need(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, needOut(n))
	return nil
}

func (s *Handlers) apiCloseNeed(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in versionInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	n, err := s.pool.CloseNeed(r.Context(), a, id, in.Version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, needOut(n))
	return nil
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

func (s *Handlers) apiMatch(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	sg, err := s.pool.Suggest(r.Context(), a)
	if err != nil {
		return err
	}
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
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

type proposeInput struct {
	NeedID   int64 `json:"need_id"`
	LenderID int64 `json:"lender_id"`
	Heads    int   `json:"heads"`
}

func (s *Handlers) apiPropose(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in proposeInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	m, err := s.pool.Propose(r.Context(), a, in.NeedID, in.LenderID, in.Heads)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, loanOut(m))
	return nil
}

func (s *Handlers) apiLoans(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := r.URL.Query()
	eid, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	need, _ := strconv.ParseInt(q.Get("need"), 10, 64)
	page := core.PageOf(r)
	list, total, err := s.pool.Loans(r.Context(), a, pooldb.LoanQuery{Enterprise: eid, Need: need, State: q.Get("state"), Page: page})
	if err != nil {
		return err
	}
	list = nonNil(list)
	for i := range list {
		list[i] = loanOut(list[i])
	}
	core.WriteJSON(w, http.StatusOK, core.List[pool.Loan]{Items: list, Total: total})
	return nil
}

// loanJSON answers a change of a loan with the loan as it is now.
func (s *Handlers) loanJSON(w http.ResponseWriter, r *http.Request, do func(a access.Actor, id int64) (pool.Loan, error)) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := do(a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, loanOut(m))
	return nil
}

func (s *Handlers) apiLoan(w http.ResponseWriter, r *http.Request) error {
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) { return s.pool.Loan(r.Context(), a, id) })
}

func (s *Handlers) apiCandidates(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.pool.Candidates(r.Context(), a, id)
	if err != nil {
		return err
	}
	list = nonNil(list)
	for i := range list {
		list[i].Worker = workerOut(list[i].Worker)
	}
	core.WriteJSON(w, http.StatusOK, core.Items[pooldb.Candidate]{Items: list})
	return nil
}

type declineInput struct {
	Reason  string `json:"reason"`
	Version int    `json:"version"`
}

func (s *Handlers) apiDecline(w http.ResponseWriter, r *http.Request) error {
	var in declineInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) {
		return s.pool.Decline(r.Context(), a, id, in.Reason, in.Version)
	})
}

type chooseInput struct {
	Workers []int64 `json:"workers"`
	Version int     `json:"version"`
}

func (s *Handlers) apiChoose(w http.ResponseWriter, r *http.Request) error {
	var in chooseInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) {
		return s.pool.Choose(r.Context(), a, id, in.Workers, in.Version)
	})
}

// apiSeal takes a sealed scan (multipart: file, compensation) or an e-seal
// (JSON: kind "eseal", reference).
func (s *Handlers) apiSeal(w http.ResponseWriter, r *http.Request) error {
	party := r.PathValue("party")
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
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) {
		return s.pool.AddSeal(r.Context(), a, id, party, seal)
	})
}

type coverInput struct {
	PlacementID int64  `json:"placement_id"`
	CoverRef    string `json:"cover_ref"`
	CoverUntil  string `json:"cover_until"`
}

func (s *Handlers) apiCover(w http.ResponseWriter, r *http.Request) error {
	var in coverInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) {
		return s.pool.Cover(r.Context(), a, id, in.PlacementID, in.CoverRef, in.CoverUntil)
	})
}

type trainInput struct {
	Note    string `json:"note"`
	Version int    `json:"version"`
}

func (s *Handlers) apiTrain(w http.ResponseWriter, r *http.Request) error {
	var in trainInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) {
		return s.pool.Train(r.Context(), a, id, in.Note, in.Version)
	})
}

type placementInput struct {
	PlacementID int64 `json:"placement_id"`
	Version     int   `json:"version"`
}

func (s *Handlers) apiStart(w http.ResponseWriter, r *http.Request) error {
	var in placementInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) {
		return s.pool.Start(r.Context(), a, id, in.PlacementID, in.Version)
	})
}

type attendInput struct {
	PlacementID int64    `json:"placement_id"`
	Days        []string `json:"days"`
}

func (s *Handlers) apiAttend(w http.ResponseWriter, r *http.Request) error {
	var in attendInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) {
		return s.pool.Attend(r.Context(), a, id, in.PlacementID, in.Days)
	})
}

type endInput struct {
	PlacementID int64  `json:"placement_id"`
	Early       bool   `json:"early"`
	Reason      string `json:"reason"`
	Version     int    `json:"version"`
}

func (s *Handlers) apiEnd(w http.ResponseWriter, r *http.Request) error {
	var in endInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) {
		return s.pool.End(r.Context(), a, id, in.PlacementID, in.Early, in.Reason, in.Version)
	})
}

type extendInput struct {
	PlacementID int64  `json:"placement_id"`
	To          string `json:"to"`
	Version     int    `json:"version"`
}

func (s *Handlers) apiExtend(w http.ResponseWriter, r *http.Request) error {
	var in extendInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) {
		return s.pool.Extend(r.Context(), a, id, in.PlacementID, in.To, in.Version)
	})
}

func (s *Handlers) apiRate(w http.ResponseWriter, r *http.Request) error {
	var in rateInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	return s.loanJSON(w, r, func(a access.Actor, id int64) (pool.Loan, error) {
		if err := s.pool.Rate(r.Context(), a, id, in.Party, in.Stars, in.Note); err != nil {
			return pool.Loan{}, err
		}
		return s.pool.Loan(r.Context(), a, id)
	})
}

func sheetOut(sh pool.Sheet) pool.Sheet {
	sh.Lines = nonNil(sh.Lines)
	return sh
}

func (s *Handlers) apiSheets(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := s.pool.Sheets(r.Context(), a, id)
	if err != nil {
		return err
	}
	list = nonNil(list)
	for i := range list {
		list[i] = sheetOut(list[i])
	}
	core.WriteJSON(w, http.StatusOK, core.Items[pool.Sheet]{Items: list})
	return nil
}

type sheetInput struct {
	Month string `json:"month"`
}

func (s *Handlers) apiMakeSheet(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in sheetInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	sh, err := s.pool.MakeSheet(r.Context(), a, id, in.Month)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, sheetOut(sh))
	return nil
}

type confirmInput struct {
	Party   string           `json:"party"`
	Paid    []pooldb.Payment `json:"paid,omitempty"`
	Version int              `json:"version"`
}

func (s *Handlers) apiConfirmSheet(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in confirmInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	sh, err := s.pool.ConfirmSheet(r.Context(), a, id, r.PathValue("month"), in.Party, in.Paid, in.Version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, sheetOut(sh))
	return nil
}

type codeJSON struct {
	Code string `json:"code"`
	Link string `json:"link"`
}

func (s *Handlers) apiCode(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	code, err := s.pool.IssueCode(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, codeJSON{Code: code, Link: "/w?code=" + code})
	return nil
}

type closedInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Reason       string `json:"reason"`
}

type endedJSON struct {
	Ended int `json:"ended"`
}

func (s *Handlers) apiLenderClosed(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in closedInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	n, err := s.pool.LenderClosed(r.Context(), a, in.EnterpriseID, in.Reason)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, endedJSON{Ended: n})
	return nil
}

func seekerOut(p pool.Seeker) pool.Seeker {
	p.WorkTypes = nonNil(p.WorkTypes)
	return p
}

func (s *Handlers) apiSeekers(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := r.URL.Query()
	page := core.PageOf(r)
	list, total, err := s.pool.Seekers(r.Context(), a, pooldb.SeekerQuery{WorkType: q.Get("work_type"), Status: q.Get("status"), Page: page})
	if err != nil {
		return err
	}
	list = nonNil(list)
	for i := range list {
		list[i] = seekerOut(list[i])
	}
	core.WriteJSON(w, http.StatusOK, core.List[pool.Seeker]{Items: list, Total: total})
	return nil
}

func (s *Handlers) apiAddSeeker(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in pool.Seeker
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	p, err := s.pool.AddSeeker(r.Context(), a, in)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, seekerOut(p))
	return nil
}

type placeInput struct {
	NeedID  int64 `json:"need_id"`
	Version int   `json:"version"`
}

func (s *Handlers) apiPlaceSeeker(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in placeInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	p, err := s.pool.PlaceSeeker(r.Context(), a, id, in.NeedID, in.Version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, seekerOut(p))
	return nil
}

func (s *Handlers) apiWithdrawSeeker(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in versionInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.pool.WithdrawSeeker(r.Context(), a, id, in.Version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// figuresJSON are a region's figures in total and one level down.
type figuresJSON struct {
	Total pooldb.Figures   `json:"total"`
	Items []pooldb.Figures `json:"items"`
	From  string           `json:"from"`
	To    string           `json:"to"`
}

func (s *Handlers) apiFigures(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	p := s.period(r)
	total, list, err := s.pool.FiguresOf(r.Context(), a, r.URL.Query().Get("region"), p)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, figuresJSON{Total: total, Items: nonNil(list), From: p.From, To: p.To})
	return nil
}
