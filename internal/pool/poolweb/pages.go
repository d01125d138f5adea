package poolweb

import (
	"net/http"
	"strconv"
	"strings"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// lists are the pool's vocabularies a form offers.
type lists struct {
	WorkTypes, CertKinds, Shifts []pool.Label
}

// ShareLevels are the regions an offer or a need can be shared with.
func (lists) ShareLevels() []string { return []string{"district", "street", "community"} }

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
