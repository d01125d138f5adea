package poolweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// lists are the pool's vocabularies a form offers.
type lists struct {
	WorkTypes, CertKinds, Shifts []pool.Label
}

var vocab = lists{WorkTypes: pool.WorkTypes, CertKinds: pool.CertKinds, Shifts: pool.Shifts}

type homeData struct {
	core.Base
	lists
	Needs      []pool.Need
	Loans      []pool.Loan
	Workers    []pool.Worker
	WorkersN   int
	MayPost    bool
	MayMatch   bool
	Enterprise bool // the caller is an enterprise's account
	Figures    *pooldb.Figures
}

// homePage is the pool: open needs with their clocks, live loans step by
// step, the workers offered; an enterprise sees its own.
func (s *Handlers) homePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	ctx := r.Context()
	p := &homeData{lists: vocab, MayPost: access.May(a.Role, access.PoolPost), MayMatch: access.May(a.Role, access.PoolMatch),
		Enterprise: a.Role == access.RoleEnterprise}
	var err error
	own := int64(0)
	if p.Enterprise {
		own = a.EnterpriseID
	}
	if p.Needs, _, err = s.pool.Needs(ctx, a, pooldb.NeedQuery{Enterprise: own, Status: pool.NeedOpen, Page: store.Page{Size: 50}}); err != nil {
		return err
	}
	if p.Loans, _, err = s.pool.Loans(ctx, a, pooldb.LoanQuery{Enterprise: own, State: "live", Page: store.Page{Size: 50}}); err != nil {
		return err
	}
	if p.Enterprise {
		if p.Workers, p.WorkersN, err = s.pool.Workers(ctx, a, pooldb.WorkerQuery{Enterprise: own, Page: store.Page{Size: 50}}); err != nil {
			return err
		}
	} else {
		if _, p.WorkersN, err = s.pool.Workers(ctx, a, pooldb.WorkerQuery{Status: pool.WorkerAvailable, Page: store.Page{Size: 1}}); err != nil {
			return err
		}
		total, _, err := s.pool.FiguresOf(ctx, a, "", s.period(r))
		if err != nil {
			return err
		}
		p.Figures = &total
	}
	p.Title = s.T(core.LangOf(r), "po.title")
	s.Render(w, r, http.StatusOK, "pool", p)
	return nil
}

// Hours formats hours for the page.
func (p *homeData) Hours(h float64) string { return hours(h) }

// enterpriseOf is the enterprise a form is for: the caller's own, or the
// one staff named (enterprise id, or credit_code).
func (s *Handlers) enterpriseOf(r *http.Request, a access.Actor) (int64, error) {
	if a.Role == access.RoleEnterprise {
		return a.EnterpriseID, nil
	}
	if id := formID(r, "enterprise"); id != 0 {
		return id, nil
	}
	code := strings.ToUpper(strings.TrimSpace(r.FormValue("credit_code")))
	if code == "" {
		return 0, fault.Fields{"credit_code": {Zh: "请填写企业的统一社会信用代码", En: "give the enterprise's credit code"}}.Err()
	}
	list, _, err := s.store.Enterprises(r.Context(), a, store.EnterpriseQuery{Text: code, Page: store.Page{Size: 2}})
	if err != nil {
		return 0, err
	}
	for _, e := range list {
		if e.CreditCode == code {
			return e.ID, nil
		}
	}
	return 0, fault.Fields{"credit_code": {Zh: "在您的范围内没有这个信用代码的企业", En: "no enterprise in your reach has this credit code"}}.Err()
}

type workersData struct {
	core.Base
	lists
	Items    []pool.Worker
	Pager    core.Pager
	WorkType string
	Status   string
	Statuses []string
	MayPost  bool
}

// workersPage lists the workers offered that the caller may read.
func (s *Handlers) workersPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := r.URL.Query()
	page := core.PageOf(r)
	own := int64(0)
	if a.Role == access.RoleEnterprise {
		own = a.EnterpriseID
	}
	p := &workersData{lists: vocab, WorkType: q.Get("work_type"), Status: q.Get("status"), MayPost: access.May(a.Role, access.PoolPost),
		Statuses: []string{pool.WorkerAvailable, pool.WorkerLent, pool.WorkerWithdrawn}}
	list, total, err := s.pool.Workers(r.Context(), a, pooldb.WorkerQuery{Enterprise: own, WorkType: p.WorkType, Status: p.Status, Page: page})
	if err != nil {
		return err
	}
	p.Items, p.Pager = list, core.NewPager(r, page, total)
	p.Title = s.T(core.LangOf(r), "po.workers")
	s.Render(w, r, http.StatusOK, "pool_workers", p)
	return nil
}

// rows is how many people the offer form takes at once.
const rows = 6

type offerData struct {
	core.Base
	lists
	Enterprise int64
	CreditCode string
	Team       pool.Team
	Common     pool.Worker // work types, period, shift, share
	People     []pool.Worker
	Given      int // how many rows were filled
	Staff      bool
}

// ShareLevels are the regions an offer can be shared with.
func (p *offerData) ShareLevels() []string { return []string{"district", "street", "community"} }

// HasType reports whether the shared work types hold code.
func (p *offerData) HasType(code string) bool {
	for _, t := range p.Common.WorkTypes {
		if string(t) == code {
			return true
		}
	}
	return false
}

// Row is the message of a row's field: one person's fields have no prefix.
func (p *offerData) Row(i int, field string) string {
	if p.Given == 1 && i == 0 {
		return p.Errors[field]
	}
	return p.Errors["workers."+strconv.Itoa(i)+"."+field]
}

// Shared is the message of a field every row shares.
func (p *offerData) Shared(field string) string {
	if m := p.Errors[field]; m != "" {
		return m
	}
	return p.Errors["workers.0."+field]
}

// HasCert reports whether row i's certificate is code.
func (p *offerData) HasCert(i int, code string) bool {
	return i < len(p.People) && len(p.People[i].Certs) > 0 && p.People[i].Certs[0].Kind == code
}

// CertExpiry is row i's certificate's expiry.
func (p *offerData) CertExpiry(i int) string {
	if i < len(p.People) && len(p.People[i].Certs) > 0 {
		return p.People[i].Certs[0].Expires
	}
	return ""
}

func (s *Handlers) offerPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	p := &offerData{lists: vocab, Enterprise: formID(r, "enterprise"), Staff: a.Role != access.RoleEnterprise,
		Common: pool.Worker{Shift: "both", From: s.today()}, People: make([]pool.Worker, rows)}
	return s.showOffer(w, r, p, http.StatusOK)
}

func (s *Handlers) showOffer(w http.ResponseWriter, r *http.Request, p *offerData, code int) error {
	p.Title = s.T(core.LangOf(r), "po.offer")
	s.Render(w, r, code, "pool_offer", p)
	return nil
}

// offerFromForm reads the offer form: the shared fields and a row per person.
func offerFromForm(r *http.Request) (pool.Team, []pool.Worker, pool.Worker) {
	common := pool.Worker{WorkTypes: workTypes(r.Form["work_types"]), From: r.FormValue("from"), To: r.FormValue("to"),
		Shift: r.FormValue("shift"), Share: r.FormValue("share")}
	team := pool.Team{Name: r.FormValue("team"), Shuttle: r.FormValue("shuttle") == "1", Lodging: r.FormValue("lodging") == "1"}
	var people []pool.Worker
	for i := range rows {
		n := strconv.Itoa(i)
		wk := common
		wk.Name, wk.Phone, wk.IDNumber, wk.ContractEnd = r.FormValue("name_"+n), r.FormValue("phone_"+n), r.FormValue("id_"+n), r.FormValue("contract_"+n)
		if kind := r.FormValue("cert_" + n); kind != "" {
			wk.Certs = []pool.Cert{{Kind: kind, Expires: r.FormValue("expires_" + n)}}
		}
		people = append(people, wk)
	}
	return team, people, common
}

func (s *Handlers) offerPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	team, people, common := offerFromForm(r)
	var given []pool.Worker
	for _, p := range people {
		if strings.TrimSpace(p.Name+p.Phone+p.IDNumber) != "" {
			given = append(given, p)
		}
	}
	if len(given) > rows {
		given = given[:rows]
	}
	eid, err := s.enterpriseOf(r, a)
	if err == nil {
		if len(given) == 1 && team.Name == "" {
			wk := given[0]
			wk.EnterpriseID = eid
			_, err = s.pool.Offer(r.Context(), a, wk)
		} else {
			_, err = s.pool.OfferTeam(r.Context(), a, eid, team, given)
		}
	}
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		// A refusal without fields (a rule, the same person twice) is shown
		// on the form too; other errors are the error page's.
		if fe := fault.As(err); ferr != nil && (fe == nil || (fe.Kind != fault.Invalid && fe.Kind != fault.Conflict)) {
			return ferr
		}
		// The rows filled first, as the messages number them.
		rowsShown := append(append([]pool.Worker{}, given...), make([]pool.Worker, rows-len(given))...)
		p := &offerData{lists: vocab, Enterprise: formID(r, "enterprise"), CreditCode: r.FormValue("credit_code"), Team: team, Common: common,
			People: rowsShown, Given: len(given), Staff: a.Role != access.RoleEnterprise}
		p.Errors = msgs
		if fe := fault.As(err); fe != nil && len(fe.Fields) == 0 {
			p.Errors = map[string]string{"form": fe.Message.In(core.LangOf(r))}
		}
		return s.showOffer(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, "/pool/workers", "po.offered", "")
	return nil
}

type workerData struct {
	core.Base
	lists
	Worker    pool.Worker
	MayPost   bool
	MayReveal bool
	Revealed  bool
}

func (s *Handlers) workerPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	wk, err := s.pool.Worker(r.Context(), a, id)
	if err != nil {
		return err
	}
	return s.showWorker(w, r, a, wk, false)
}

func (s *Handlers) showWorker(w http.ResponseWriter, r *http.Request, a access.Actor, wk pool.Worker, revealed bool) error {
	p := &workerData{lists: vocab, Worker: wk, Revealed: revealed, MayPost: access.May(a.Role, access.PoolPost),
		MayReveal: a.Role != access.RoleEnterprise && access.May(a.Role, access.PersonalView)}
	p.Title = wk.Name
	s.Render(w, r, http.StatusOK, "pool_worker", p)
	return nil
}

func (s *Handlers) revealPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	wk, err := s.pool.Reveal(r.Context(), a, id)
	if err != nil {
		return err
	}
	return s.showWorker(w, r, a, wk, true)
}

func (s *Handlers) withdrawWorkerPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.pool.Withdraw(r.Context(), a, id, formInt(r, "version")); err != nil {
		return err
	}
	s.Done(w, r, "/pool/workers", "po.withdrawn", "")
	return nil
}

type needFormData struct {
	core.Base
	lists
	Need       pool.Need
	CreditCode string
	Staff      bool
}

// HasCert reports whether the need asks for certificate code.
func (p *needFormData) HasCert(code string) bool {
	for _, c := range p.Need.Certs {
		if c == code {
			return true
		}
	}
	return false
}

// ShareLevels are the regions a need can be shared with.
func (p *needFormData) ShareLevels() []string { return []string{"district", "street", "community"} }

func (s *Handlers) needFormPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	p := &needFormData{lists: vocab, Staff: a.Role != access.RoleEnterprise,
		Need: pool.Need{EnterpriseID: formID(r, "enterprise"), Heads: 1, From: s.today(), Shift: "day", DailyCost: 260}}
	return s.showNeedForm(w, r, p, http.StatusOK)
}

func (s *Handlers) showNeedForm(w http.ResponseWriter, r *http.Request, p *needFormData, code int) error {
	p.Title = s.T(core.LangOf(r), "po.post_need")
	s.Render(w, r, code, "pool_need_form", p)
	return nil
}

func needFromForm(r *http.Request) pool.Need {
	return pool.Need{WorkType: pool.WorkType(r.FormValue("work_type")), Heads: formInt(r, "heads"), From: r.FormValue("from"), To: r.FormValue("to"),
		Site: r.FormValue("site"), Shift: r.FormValue("shift"), DailyCost: formInt(r, "daily_cost"), Certs: nonEmpty(r.Form["certs"]),
		Training: r.FormValue("training"), Transport: r.FormValue("transport") == "1", Lodging: r.FormValue("lodging") == "1",
		NeededBy: r.FormValue("needed_by"), Contact: r.FormValue("contact"), Phone: r.FormValue("phone"), Share: r.FormValue("share")}
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (s *Handlers) needPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := needFromForm(r)
	eid, err := s.enterpriseOf(r, a)
	var n pool.Need
	if err == nil {
		in.EnterpriseID = eid
		n, err = s.pool.PostNeed(r.Context(), a, in)
	}
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &needFormData{lists: vocab, Need: in, CreditCode: r.FormValue("credit_code"), Staff: a.Role != access.RoleEnterprise}
		p.Errors = msgs
		return s.showNeedForm(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/pool/needs/%d", n.ID), "po.need_posted", "")
	return nil
}

type needData struct {
	core.Base
	lists
	Need      pool.Need
	Loans     []pool.Loan
	Proposals []pool.Proposal
	Unfilled  *pooldb.Unfilled
	Seekers   []pool.Seeker
	MayMatch  bool
	MayClose  bool
	Hours     string
}

func (s *Handlers) needPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.showNeed(w, r, a, id, &needData{}, http.StatusOK)
}

func (s *Handlers) showNeed(w http.ResponseWriter, r *http.Request, a access.Actor, id int64, p *needData, code int) error {
	ctx := r.Context()
	n, err := s.pool.Need(ctx, a, id)
	if err != nil {
		return err
	}
	p.lists, p.Need, p.Hours = vocab, n, hours(pool.Hours(n))
	p.MayMatch = access.May(a.Role, access.PoolMatch)
	p.MayClose = n.Status != pool.NeedClosed && access.May(a.Role, access.PoolPost) && (a.Role != access.RoleEnterprise || a.EnterpriseID == n.EnterpriseID)
	if p.Loans, _, err = s.pool.Loans(ctx, a, pooldb.LoanQuery{Need: id, Page: store.Page{Size: 100}}); err != nil {
		return err
	}
	if p.MayMatch && n.Status == pool.NeedOpen {
		sg, err := s.pool.Suggest(ctx, a)
		if err != nil {
			return err
		}
		for _, pr := range sg.Proposals {
			if pr.NeedID == id {
				p.Proposals = append(p.Proposals, pr)
			}
		}
		for i := range sg.Unfilled {
			if sg.Unfilled[i].NeedID == id {
				p.Unfilled = &sg.Unfilled[i]
			}
		}
		if p.Unfilled != nil && p.Unfilled.Seekers > 0 {
			if p.Seekers, _, err = s.pool.Seekers(ctx, a, pooldb.SeekerQuery{WorkType: string(n.WorkType), Status: pool.SeekerOpen, Page: store.Page{Size: 20}}); err != nil {
				return err
			}
		}
	}
	p.Title = s.T(core.LangOf(r), "po.need")
	s.Render(w, r, code, "pool_need", p)
	return nil
}

func (s *Handlers) closeNeedPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.pool.CloseNeed(r.Context(), a, id, formInt(r, "version")); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/pool/needs/%d", id), "po.need_closed", "")
	return nil
}

type matchData struct {
	core.Base
	lists
	Suggestion pooldb.Suggestion
	Needs      map[int64]pool.Need
	ByNeed     map[int64][]pool.Proposal
	Unfilled   map[int64]pooldb.Unfilled
}

// matchPage runs the matcher over the pool the caller sees and shows its
// proposals need by need, each explained, with a button to propose.
func (s *Handlers) matchPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	sg, err := s.pool.Suggest(r.Context(), a)
	if err != nil {
		return err
	}
	p := &matchData{lists: vocab, Suggestion: sg, Needs: map[int64]pool.Need{}, ByNeed: map[int64][]pool.Proposal{}, Unfilled: map[int64]pooldb.Unfilled{}}
	for _, n := range sg.Needs {
		p.Needs[n.ID] = n
	}
	for _, pr := range sg.Proposals {
		p.ByNeed[pr.NeedID] = append(p.ByNeed[pr.NeedID], pr)
	}
	for _, u := range sg.Unfilled {
		p.Unfilled[u.NeedID] = u
	}
	p.Title = s.T(core.LangOf(r), "po.match")
	s.Render(w, r, http.StatusOK, "pool_match", p)
	return nil
}

func (s *Handlers) proposePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	m, err := s.pool.Propose(r.Context(), a, formID(r, "need"), formID(r, "lender"), formInt(r, "heads"))
	if err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/pool/loans/%d", m.ID), "po.proposed", "")
	return nil
}

type loansData struct {
	core.Base
	lists
	Items  []pool.Loan
	Pager  core.Pager
	State  string
	States []string
}

func (s *Handlers) loansPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	page := core.PageOf(r)
	p := &loansData{lists: vocab, State: r.URL.Query().Get("state"),
		States: []string{"live", pool.MatchProposed, pool.MatchChosen, pool.MatchActive, pool.MatchEnded, pool.MatchDeclined, pool.MatchCancelled}}
	own := int64(0)
	if a.Role == access.RoleEnterprise {
		own = a.EnterpriseID
	}
	list, total, err := s.pool.Loans(r.Context(), a, pooldb.LoanQuery{Enterprise: own, State: p.State, Page: page})
	if err != nil {
		return err
	}
	p.Items, p.Pager = list, core.NewPager(r, page, total)
	p.Title = s.T(core.LangOf(r), "po.loans")
	s.Render(w, r, http.StatusOK, "pool_loans", p)
	return nil
}

type loanData struct {
	core.Base
	lists
	Loan       pool.Loan
	Steps      []stepView
	Candidates []pooldb.Candidate
	Sheets     []pool.Sheet
	Ratings    map[string]int
	Lender     bool // the caller may act for the lender
	Borrower   bool // … for the borrower
	MayMatch   bool
	Code       string // a one-time code just issued, shown once
	CodeFor    string
	Today      string
	Month      string
	Agreement  string // the agreement as the first worker reads it, for the seals
	OnSite     bool   // a worker is on site: attendance is recorded
}

// MayCompensate reports whether the injury compensation may still be set.
func (p *loanData) MayCompensate() bool { return pool.MayCompensate(p.Loan, "lender") }

// Parties are the two enterprises of a loan.
func (p *loanData) Parties() []string { return []string{"lender", "borrower"} }

// Stars are the ratings offered, best first.
func (p *loanData) Stars() []int { return []int{5, 4, 3, 2, 1} }

// SealOf is how a party sealed, "" not yet.
func (p *loanData) SealOf(party string) string {
	if party == "lender" {
		return p.Loan.LenderSeal
	}
	return p.Loan.BorrowerSeal
}

// MayFor reports whether the caller may act for a party.
func (p *loanData) MayFor(party string) bool {
	if party == "lender" {
		return p.Lender
	}
	return p.Borrower
}

// stepView is a step of the loan's way, done or waiting.
type stepView struct {
	Code   string
	Done   string // when, "" not yet
	Due    string
	Colour string
}

func (s *Handlers) loanPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.showLoan(w, r, a, id, &loanData{}, http.StatusOK)
}

func when(t interface{ IsZero() bool }, f string) string {
	if t.IsZero() {
		return ""
	}
	return f
}

func (s *Handlers) showLoan(w http.ResponseWriter, r *http.Request, a access.Actor, id int64, p *loanData, code int) error {
	ctx := r.Context()
	m, err := s.pool.Loan(ctx, a, id)
	if err != nil {
		return err
	}
	p.lists, p.Loan, p.Today = vocab, m, s.today()
	p.Month = p.Today[:7]
	p.MayMatch = access.May(a.Role, access.PoolMatch)
	p.Lender = s.mayAct(r, a, m.LenderID)
	p.Borrower = s.mayAct(r, a, m.BorrowerID)
	format := "2006-01-02 15:04"
	var consented, started = m.ChosenAt, m.FirstOnSite
	for _, pl := range m.Placements {
		if pl.ConsentedAt.After(consented) {
			consented = pl.ConsentedAt
		}
	}
	done := map[string]string{
		"propose":  m.ProposedAt.In(calendar.Shanghai).Format(format),
		"choose":   when(m.ChosenAt, m.ChosenAt.In(calendar.Shanghai).Format(format)),
		"consent":  when(m.ChosenAt, ""),
		"seal":     "",
		"training": when(m.TrainedAt, m.TrainedAt.In(calendar.Shanghai).Format(format)),
		"start":    when(started, started.In(calendar.Shanghai).Format(format)),
	}
	if m.Step != "consent" && !m.ChosenAt.IsZero() && m.State != pool.MatchProposed {
		done["consent"] = consented.In(calendar.Shanghai).Format(format)
	}
	if m.Sealed() {
		later := m.LenderSealedAt
		if m.BorrowerSealedAt.After(later) {
			later = m.BorrowerSealedAt
		}
		done["seal"] = later.In(calendar.Shanghai).Format(format)
	}
	for _, st := range pool.Steps {
		v := stepView{Code: st.Code, Done: done[st.Code]}
		if st.Code == m.Step {
			v.Due, v.Colour, v.Done = m.StepDue.In(calendar.Shanghai).Format(format), m.Colour, ""
		}
		p.Steps = append(p.Steps, v)
	}
	for _, pl := range m.Placements {
		p.OnSite = p.OnSite || pl.State == pool.PlaceOnSite
	}
	if len(m.Placements) > 0 {
		p.Agreement = pool.Agreement(m, m.Placements[0])
	}
	if p.Lender && m.State == pool.MatchProposed {
		if p.Candidates, err = s.pool.Candidates(ctx, a, id); err != nil {
			return err
		}
	}
	if p.Sheets, err = s.pool.Sheets(ctx, a, id); err != nil {
		return err
	}
	if p.Ratings, err = s.pool.Ratings(ctx, a, id); err != nil {
		return err
	}
	p.Title = s.T(core.LangOf(r), "po.loan")
	s.Render(w, r, code, "pool_loan", p)
	return nil
}

// mayAct reports whether the caller may act for an enterprise of the pool.
func (s *Handlers) mayAct(r *http.Request, a access.Actor, enterpriseID int64) bool {
	if !access.May(a.Role, access.PoolPost) {
		return false
	}
	if a.Role == access.RoleEnterprise {
		return a.EnterpriseID == enterpriseID
	}
	_, err := s.store.Enterprise(r.Context(), a, enterpriseID)
	return err == nil && access.ReachOf(a.Role, access.PoolPost) != access.None
}

// loanAction runs a change of a loan from a form and shows the loan again:
// with the messages when the change is refused.
func (s *Handlers) loanAction(w http.ResponseWriter, r *http.Request, do func(a access.Actor, id int64) error, doneKey string) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(s.opts.MaxUpload); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return core.BadUpload(err)
	}
	if err := do(a, id); err != nil {
		fe := fault.As(err)
		if fe == nil || (fe.Kind != fault.Invalid && fe.Kind != fault.Conflict) {
			return err
		}
		p := &loanData{}
		p.Errors = core.FieldErrors(fe.Fields, core.LangOf(r))
		if len(fe.Fields) == 0 {
			p.Errors = map[string]string{"form": fe.Message.In(core.LangOf(r))}
		}
		return s.showLoan(w, r, a, id, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/pool/loans/%d", id), doneKey, "")
	return nil
}

func (s *Handlers) choosePage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		var ids []int64
		for _, v := range r.Form["workers"] {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				ids = append(ids, n)
			}
		}
		_, err := s.pool.Choose(r.Context(), a, id, ids, formInt(r, "version"))
		return err
	}, "po.chosen")
}

func (s *Handlers) declinePage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		_, err := s.pool.Decline(r.Context(), a, id, r.FormValue("reason"), formInt(r, "version"))
		return err
	}, "po.declined")
}

func (s *Handlers) sealPage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		seal := pooldb.Seal{Kind: r.FormValue("kind"), Reference: r.FormValue("reference"), Compensation: r.FormValue("compensation")}
		if err := s.pool.MayAct(r.Context(), a, id, r.FormValue("party")); err != nil {
			return err // before a file is kept for the party
		}
		if seal.Kind == "scan" {
			var err error
			if seal, err = s.storeScan(r, seal); err != nil {
				return err
			}
		}
		_, err := s.pool.AddSeal(r.Context(), a, id, r.FormValue("party"), seal)
		return err
	}, "po.sealed")
}

func (s *Handlers) coverPage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		_, err := s.pool.Cover(r.Context(), a, id, formID(r, "placement"), r.FormValue("cover_ref"), r.FormValue("cover_until"))
		return err
	}, "po.covered")
}

func (s *Handlers) trainPage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		_, err := s.pool.Train(r.Context(), a, id, r.FormValue("note"), formInt(r, "version"))
		return err
	}, "po.trained")
}

func (s *Handlers) startPage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		_, err := s.pool.Start(r.Context(), a, id, formID(r, "placement"), formInt(r, "version"))
		return err
	}, "po.started")
}

func (s *Handlers) attendPage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		var ids []int64
		for _, v := range r.Form["placements"] {
			if pid, err := strconv.ParseInt(v, 10, 64); err == nil {
				ids = append(ids, pid)
			}
		}
		_, err := s.pool.AttendAll(r.Context(), a, id, ids, []string{r.FormValue("day")})
		return err
	}, "po.attended")
}

func (s *Handlers) endPage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		_, err := s.pool.End(r.Context(), a, id, formID(r, "placement"), r.FormValue("early") == "1", r.FormValue("reason"), formInt(r, "version"))
		return err
	}, "po.ended")
}

func (s *Handlers) extendPage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		_, err := s.pool.Extend(r.Context(), a, id, formID(r, "placement"), r.FormValue("to"), formInt(r, "version"))
		return err
	}, "po.extended")
}

func (s *Handlers) makeSheetPage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		_, err := s.pool.MakeSheet(r.Context(), a, id, r.FormValue("month"))
		return err
	}, "po.sheet_made")
}

func (s *Handlers) confirmSheetPage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		var paid []pooldb.Payment
		for _, v := range r.Form["placement"] {
			pid, _ := strconv.ParseInt(v, 10, 64)
			paid = append(paid, pooldb.Payment{PlacementID: pid, Paid: formInt(r, "paid_"+v), Fee: formInt(r, "fee_"+v)})
		}
		_, err := s.pool.ConfirmSheet(r.Context(), a, id, r.FormValue("month"), r.FormValue("party"), paid, formInt(r, "version"))
		return err
	}, "po.sheet_confirmed")
}

func (s *Handlers) ratePage(w http.ResponseWriter, r *http.Request) error {
	return s.loanAction(w, r, func(a access.Actor, id int64) error {
		return s.pool.Rate(r.Context(), a, id, r.FormValue("party"), formInt(r, "stars"), r.FormValue("note"))
	}, "po.rated")
}

// codePage issues a worker's one-time code and shows it once on the loan.
func (s *Handlers) codePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	pid, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	loanID := formID(r, "loan")
	if access.May(a.Role, access.PoolMatch) {
		// The code is shown once, on its placement's loan: a form naming
		// another loan gets none (a new code replaces the worker's last).
		if m, err := s.pool.Loan(r.Context(), a, loanID); err != nil {
			return err
		} else if !slices.ContainsFunc(m.Placements, func(p pool.Placement) bool { return p.ID == pid }) {
			return fault.ErrNotFound
		}
	}
	code, err := s.pool.IssueCode(r.Context(), a, pid)
	if err != nil {
		return err
	}
	p := &loanData{Code: code, CodeFor: r.FormValue("worker")}
	return s.showLoan(w, r, a, loanID, p, http.StatusOK)
}

// sealFile sends a party's sealed scan.
func (s *Handlers) sealFile(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	sl, err := s.pool.SealFile(r.Context(), a, id, r.PathValue("party"))
	if err != nil {
		return err
	}
	if sl.Kind != "scan" || s.opts.Files == nil {
		return fault.ErrNotFound
	}
	f, err := s.opts.Files.Open(sl.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", sl.MIME)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(sl.Name))
	http.ServeContent(w, r, "", s.store.Now(), f)
	return nil
}

type seekersData struct {
	core.Base
	lists
	Items    []pool.Seeker
	Pager    core.Pager
	WorkType string
	Status   string
	Edit     pool.Seeker
	MayAdd   bool
	Statuses []string
	Wants    []string
}

func (s *Handlers) seekersPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	return s.showSeekers(w, r, a, &seekersData{Edit: pool.Seeker{From: s.today(), CommunityCode: communityOf(a)}}, http.StatusOK)
}

// communityOf is the caller's community, where a job seeker is registered by default.
func communityOf(a access.Actor) string {
	switch place.LevelOf(a.RegionCode) {
	case place.Community:
		return a.RegionCode
	case place.Grid:
		return place.AncestryOf(a.RegionCode).Community
	}
	return ""
}

func (s *Handlers) showSeekers(w http.ResponseWriter, r *http.Request, a access.Actor, p *seekersData, code int) error {
	q := r.URL.Query()
	page := core.PageOf(r)
	p.lists, p.WorkType, p.Status = vocab, q.Get("work_type"), q.Get("status")
	p.Statuses = []string{pool.SeekerOpen, pool.SeekerPlaced, pool.SeekerWithdrawn}
	p.Wants = []string{pool.WantsEither, pool.WantsHire, pool.WantsRecruit}
	p.MayAdd = access.May(a.Role, access.PoolPost) && a.Role != access.RoleEnterprise
	list, total, err := s.pool.Seekers(r.Context(), a, pooldb.SeekerQuery{WorkType: p.WorkType, Status: p.Status, Page: page})
	if err != nil {
		return err
	}
	p.Items, p.Pager = list, core.NewPager(r, page, total)
	p.Title = s.T(core.LangOf(r), "po.seekers")
	s.Render(w, r, code, "pool_seekers", p)
	return nil
}

func (s *Handlers) addSeekerPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := pool.Seeker{Name: r.FormValue("name"), Phone: r.FormValue("phone"), WorkTypes: workTypes(r.Form["work_types"]),
		From: r.FormValue("from"), Wants: r.FormValue("wants"), CommunityCode: r.FormValue("community_code")}
	if _, err := s.pool.AddSeeker(r.Context(), a, in); err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &seekersData{Edit: in}
		p.Errors = msgs
		return s.showSeekers(w, r, a, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, "/pool/seekers", "po.seeker_added", "")
	return nil
}

func (s *Handlers) placeSeekerPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	need := formID(r, "need")
	if _, err := s.pool.PlaceSeeker(r.Context(), a, id, need, formInt(r, "version")); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/pool/needs/%d", need), "po.seeker_placed", "")
	return nil
}

func (s *Handlers) withdrawSeekerPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.pool.WithdrawSeeker(r.Context(), a, id, formInt(r, "version")); err != nil {
		return err
	}
	s.Done(w, r, "/pool/seekers", "po.seeker_withdrawn", "")
	return nil
}

type figuresData struct {
	core.Base
	Total  pooldb.Figures
	List   []pooldb.Figures
	Period pooldb.Period
	Region string
}

func (s *Handlers) figuresPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	p := &figuresData{Period: s.period(r), Region: r.URL.Query().Get("region")}
	var err error
	if p.Total, p.List, err = s.pool.FiguresOf(r.Context(), a, p.Region, p.Period); err != nil {
		return err
	}
	p.Title = s.T(core.LangOf(r), "po.figures")
	s.Render(w, r, http.StatusOK, "pool_figures", p)
	return nil
}

// Hours formats hours for the pages.
func (p *figuresData) Hours(h float64) string { return hours(h) }

// Rating formats a mean rating, "—" when none.
func (p *figuresData) Rating(f float64) string {
	if f < 0 {
		return "—"
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}
