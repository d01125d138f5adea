package poolweb

// The matcher's page and the loans: the list, a loan step by step, and
// every change made on it from a form (choose, seal, cover, train, start,
// attendance, end, extend, sheets, rating, a worker's code).

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/web/core"
)

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

// stamp formats a time to the minute in the district, "" when none.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format("2006-01-02 15:04")
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
	consented := m.ChosenAt
	for _, pl := range m.Placements {
		if pl.ConsentedAt.After(consented) {
			consented = pl.ConsentedAt
		}
		p.OnSite = p.OnSite || pl.State == pool.PlaceOnSite
	}
	done := map[string]string{
		"propose":  stamp(m.ProposedAt),
		"choose":   stamp(m.ChosenAt),
		"training": stamp(m.TrainedAt),
		"start":    stamp(m.FirstOnSite),
	}
	if m.Step != "consent" && m.State != pool.MatchProposed {
		done["consent"] = stamp(consented) // "" until chosen
	}
	if m.Sealed() {
		sealed := m.LenderSealedAt
		if m.BorrowerSealedAt.After(sealed) {
			sealed = m.BorrowerSealedAt
		}
		done["seal"] = stamp(sealed)
	}
	for _, st := range pool.Steps {
		v := stepView{Code: st.Code, Done: done[st.Code]}
		if st.Code == m.Step {
			v.Due, v.Colour, v.Done = stamp(m.StepDue), m.Colour, ""
		}
		p.Steps = append(p.Steps, v)
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
