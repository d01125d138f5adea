package web

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/sheet"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// enterprisesPageData is the enterprise list with its filters.
type enterprisesPageData struct {
	core.Base
	Query     store.EnterpriseQuery
	Items     []enterprise.Enterprise
	Pager     core.Pager
	Sections  []enterprise.Section
	Regions   core.RegionFilter // the regions the actor may filter by
	Tags      []string
	ExportURL string
	CanCreate bool
	CanImport bool
	// CanImportFacts offers a department's data as facts (staff who record facts; not an enterprise).
	CanImportFacts bool
	CanExport      bool
	GridNames      map[string]string
	Industries     map[string]string
}

// commonTags are offered in the tag filter.
var commonTags = []string{"高新技术企业", "科技型中小企业", "专精特新", "外贸", "规上企业", "小升规"}

func (s *Server) enterprisesPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := enterpriseQuery(r)
	list, total, err := s.store.Enterprises(r.Context(), a, q)
	if err != nil {
		return err
	}
	regions, err := s.RegionFilter(r, a, q.Region, place.Grid)
	if err != nil {
		return err
	}
	p := &enterprisesPageData{Query: q, Items: list, Pager: core.NewPager(r, q.Page, total), Sections: enterprise.AllSections(),
		Regions: regions, Tags: commonTags, CanCreate: access.May(a.Role, access.EnterpriseCreate),
		CanImport:      access.May(a.Role, access.EnterpriseImport),
		CanImportFacts: access.May(a.Role, access.FactRecord) && a.Role != access.RoleEnterprise, CanExport: access.May(a.Role, access.EnterpriseExport),
		GridNames: map[string]string{}, Industries: map[string]string{}}
	rq := r.URL.Query()
	rq.Del("page")
	p.ExportURL = "/enterprises/export.xlsx?" + rq.Encode()
	grids := make([]string, 0, len(list))
	for _, e := range list {
		grids = append(grids, e.GridCode)
	}
	slices.Sort(grids)
	if grids = slices.Compact(grids); len(grids) > 0 && access.May(a.Role, access.RegionRead) {
		if p.GridNames, err = s.store.RegionNames(r.Context(), a, grids); err != nil {
			return err
		}
	}
	for _, d := range enterprise.AllDivisions() {
		p.Industries[d.Code] = d.Zh
		if core.LangOf(r) == "en" {
			p.Industries[d.Code] = d.En
		}
	}
	p.Title = s.T(core.LangOf(r), "ent.list")
	s.Render(w, r, http.StatusOK, "enterprises", p)
	return nil
}

// enterprisePageData is one enterprise.
type enterprisePageData struct {
	core.Base
	E          enterprise.Enterprise
	Industry   enterprise.Division
	Revealed   bool
	CanEdit    bool
	CanReveal  bool
	CanVisit   bool // record a visit to it (the first thing offered when its QR code is scanned)
	CanRaise   bool // staff may raise an appeal on the enterprise's behalf
	GridName   string
	PlaceNames []string
	File       dossierData // the enterprise's file (一企一档)
	Scanned    bool        // opened from its QR code
}

func (s *Server) enterprisePage(w http.ResponseWriter, r *http.Request) error {
	return s.showEnterprise(w, r, false)
}

func (s *Server) revealEnterprisePage(w http.ResponseWriter, r *http.Request) error {
	return s.showEnterprise(w, r, true)
}

func (s *Server) showEnterprise(w http.ResponseWriter, r *http.Request, reveal bool) error {
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.showEnterpriseWith(w, r, id, reveal, nil, http.StatusOK)
}

// showEnterpriseWith renders the enterprise page, changed by edit (a
// refused form's messages) and answered with code.
func (s *Server) showEnterpriseWith(w http.ResponseWriter, r *http.Request, id int64, reveal bool, edit func(*enterprisePageData), code int) error {
	a, _ := core.ActorOf(r)
	var e enterprise.Enterprise
	var err error
	if reveal {
		e, err = s.store.RevealEnterprise(r.Context(), a, id)
	} else {
		e, err = s.store.Enterprise(r.Context(), a, id)
	}
	if err != nil {
		return err
	}
	p := &enterprisePageData{E: e, Revealed: reveal}
	p.Industry, _ = enterprise.DivisionByCode(e.Industry)
	may, err := s.store.MayOnEnterprise(r.Context(), a, e)
	if err != nil {
		return err
	}
	// An enterprise's own user raises its appeals from its own page.
	p.CanEdit, p.CanReveal, p.CanRaise = may.Update, !reveal && may.Reveal, a.Role != access.RoleEnterprise && may.RaiseAppeal
	p.CanVisit = may.RecordVisit
	if names, err := s.placeNames(r, a, e); err == nil {
		p.PlaceNames = names
	}
	if p.File, err = s.fileOf(r, a, id); err != nil {
		return err
	}
	if edit != nil {
		edit(p)
	}
	p.Title = e.Name
	s.Render(w, r, code, "enterprise", p)
	return nil
}

// placeNames returns the names of an enterprise's street, community and grid.
func (s *Server) placeNames(r *http.Request, a access.Actor, e enterprise.Enterprise) ([]string, error) {
	if !access.May(a.Role, access.RegionRead) {
		return []string{e.GridCode}, nil
	}
	byCode, err := s.store.RegionNames(r.Context(), a, []string{e.StreetCode, e.CommunityCode, e.GridCode})
	if err != nil {
		return nil, err
	}
	return []string{byCode[e.StreetCode], byCode[e.CommunityCode], byCode[e.GridCode]}, nil
}

// enterpriseFormData is the form to register or edit an enterprise.
type enterpriseFormData struct {
	core.Base
	E         enterprise.Enterprise
	Revenue   string // 万元 as typed
	Action    string
	Divisions []enterprise.Division
	Grids     []place.Region
	GridTyped bool // too many grids to list: the code is typed
	New       bool
}

func (s *Server) newEnterprisePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	return s.renderEnterpriseForm(w, r, a, &enterpriseFormData{New: true, Action: "/enterprises",
		E: enterprise.Enterprise{GridCode: r.URL.Query().Get("grid")}}, http.StatusOK)
}

func (s *Server) editEnterprisePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.store.Enterprise(r.Context(), a, id)
	if err != nil {
		return err
	}
	if may, err := s.store.MayOnEnterprise(r.Context(), a, e); err != nil {
		return err
	} else if !may.Update {
		return access.ErrForbidden
	}
	return s.renderEnterpriseForm(w, r, a, &enterpriseFormData{E: e, Revenue: enterprise.FormatWan(e.Revenue),
		Action: "/enterprises/" + itoa(id)}, http.StatusOK)
}

func (s *Server) renderEnterpriseForm(w http.ResponseWriter, r *http.Request, a access.Actor, p *enterpriseFormData, code int) error {
	// The grids of the actor's scope to choose from; with more than a list
	// should offer, the grid's code is typed instead.
	if under, ok := core.FilterScope(a); ok {
		q := store.RegionQuery{Under: under}
		n, err := s.store.CountRegions(r.Context(), a, q)
		if err != nil {
			return err
		}
		if p.GridTyped = n[place.Grid] > core.RegionsShownMax; !p.GridTyped {
			regions, err := s.store.Regions(r.Context(), a, q)
			if err != nil {
				return err
			}
			for _, reg := range regions {
				if reg.Level == place.Grid {
					p.Grids = append(p.Grids, reg)
				}
			}
		}
	}
	p.Divisions = enterprise.AllDivisions()
	if p.New {
		p.Title = s.T(core.LangOf(r), "ent.new")
	} else {
		p.Title = p.E.Name
	}
	s.Render(w, r, code, "enterprise_form", p)
	return nil
}

// enterpriseFromForm reads the enterprise form; revenue is typed in 万元.
func enterpriseFromForm(r *http.Request) (enterprise.Enterprise, string, fault.Fields) {
	f := fault.Fields{}
	employees, err := strconv.Atoi(strings.TrimSpace(r.FormValue("employees")))
	if err != nil && strings.TrimSpace(r.FormValue("employees")) != "" {
		f.Add("employees", "从业人员应为整数", "employees must be a whole number")
	}
	revenueText := strings.TrimSpace(r.FormValue("revenue"))
	revenue, ok := enterprise.ParseWan(revenueText)
	if !ok {
		f.Add("revenue", "营业收入应为不小于 0 的数字（万元，最多两位小数）", "revenue must be a number ≥ 0 in 10k yuan, at most 2 decimals")
	}
	tags := strings.FieldsFunc(r.FormValue("tags"), func(c rune) bool {
		return c == '、' || c == ',' || c == '，' || c == ';' || c == '；'
	})
	e := enterprise.Enterprise{CreditCode: r.FormValue("credit_code"), Name: r.FormValue("name"),
		LegalRep: r.FormValue("legal_rep"), Contact: r.FormValue("contact"), Phone: r.FormValue("phone"),
		Address: r.FormValue("address"), GridCode: r.FormValue("grid_code"), Industry: r.FormValue("industry"),
		Employees: employees, Revenue: revenue, ForeignTrade: r.FormValue("foreign_trade") == "1",
		KeyLevel: enterprise.KeyLevel(r.FormValue("key_level")), PartyBranch: r.FormValue("party_branch"), Tags: tags}
	return e, revenueText, f
}

func (s *Server) createEnterprise(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	e, revenue, f := enterpriseFromForm(r)
	if len(f) > 0 {
		p := &enterpriseFormData{E: e, Revenue: revenue, Action: "/enterprises", New: true}
		p.Errors = core.FieldErrors(f, core.LangOf(r))
		return s.renderEnterpriseForm(w, r, a, p, http.StatusUnprocessableEntity)
	}
	created, err := s.store.CreateEnterprise(r.Context(), a, e)
	if err != nil {
		m, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		p := &enterpriseFormData{E: e, Revenue: revenue, Action: "/enterprises", New: true}
		p.Errors = m
		return s.renderEnterpriseForm(w, r, a, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, "/enterprises/"+itoa(created.ID), "flash.created", "")
	return nil
}

func (s *Server) updateEnterprise(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	if version <= 0 {
		return core.ErrVersionRequired
	}
	e, revenue, f := enterpriseFromForm(r)
	action := "/enterprises/" + itoa(id)
	if len(f) > 0 {
		e.ID, e.Version = id, version
		p := &enterpriseFormData{E: e, Revenue: revenue, Action: action}
		p.Errors = core.FieldErrors(f, core.LangOf(r))
		return s.renderEnterpriseForm(w, r, a, p, http.StatusUnprocessableEntity)
	}
	if _, err := s.store.UpdateEnterprise(r.Context(), a, id, version, e); err != nil {
		m, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		e.ID, e.Version = id, version
		p := &enterpriseFormData{E: e, Revenue: revenue, Action: action}
		p.Errors = m
		return s.renderEnterpriseForm(w, r, a, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, "/enterprises/"+itoa(id), "flash.saved", "")
	return nil
}

// exportEnterprises answers an export with an .xlsx of the actor's
// enterprises matching the list filters.
func (s *Server) exportEnterprises(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := enterpriseQuery(r)
	var list []enterprise.Enterprise
	if err := s.store.ExportEnterprises(r.Context(), a, q, func(e enterprise.Enterprise) error {
		list = append(list, e)
		return nil
	}); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.WriteEnterprises(&buf, list); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	core.SendXLSX(w, "企业名录.xlsx", buf.Bytes())
	return nil
}

func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) error {
	var buf bytes.Buffer
	if err := sheet.WriteTemplate(&buf); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	core.SendXLSX(w, "企业名录导入模板.xlsx", buf.Bytes())
	return nil
}
