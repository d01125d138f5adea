package poolweb

// The workers offered: the list, the offer form (one person or a team), a
// worker's page, the audited full view and the withdrawal.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/web/core"
)

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

// HasType reports whether the shared work types hold code.
func (p *offerData) HasType(code string) bool {
	return slices.Contains(p.Common.WorkTypes, pool.WorkType(code))
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
