package poolweb

// Needs for hands: the form and a need's page with its proposals and loans;
// and the job seekers a need lending cannot fill is offered to.

import (
	"fmt"
	"net/http"
	"slices"

	"qifu/internal/access"
	"qifu/internal/place"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

type needFormData struct {
	core.Base
	lists
	Need       pool.Need
	CreditCode string
	Staff      bool
}

// HasCert reports whether the need asks for certificate code.
func (p *needFormData) HasCert(code string) bool { return slices.Contains(p.Need.Certs, code) }

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
