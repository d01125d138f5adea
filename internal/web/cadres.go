package web

import (
	"net/http"
	"strconv"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// The cadres of a region (驻企干部), as the organisation department follows
// them: home unit, assignments, and the coverage of the key enterprises.

type cadresPageData struct {
	core.Base
	Items    []store.Cadre
	Coverage store.Coverage
	// Successors are the cadres a replaced one's enterprises may pass to,
	// for those who keep the roster; Failed the cadre whose form was refused.
	Successors []store.Cadre
	Failed     int64
	// Projects are the region's key projects; Project the one typed in
	// the form, when refused.
	Projects []enterprise.Project
	Stages   []enterprise.Stage
	Project  struct{ Credit, Name, Stage, Investment, Cadre string }
}

func (s *Server) cadresPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, cov, err := s.store.Cadres(r.Context(), a)
	if err != nil {
		return err
	}
	p := &cadresPageData{Items: list, Coverage: cov}
	return s.showCadres(w, r, a, p, http.StatusOK)
}

func (s *Server) showCadres(w http.ResponseWriter, r *http.Request, a access.Actor, p *cadresPageData, code int) error {
	var err error
	if access.May(a.Role, access.CadreManage) {
		if p.Successors, err = s.store.CadreAccounts(r.Context(), a); err != nil {
			return err
		}
	}
	if p.Projects, err = s.store.Projects(r.Context(), a); err != nil {
		return err
	}
	p.Stages = enterprise.Stages
	p.Title = s.T(core.LangOf(r), "cadre.title")
	s.Render(w, r, code, "cadres", p)
	return nil
}

// addProjectPage records a key project from the cadres' page.
func (s *Server) addProjectPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	cadre, _ := strconv.ParseInt(r.FormValue("cadre_id"), 10, 64)
	inv, ok := enterprise.ParseWan(r.FormValue("investment"))
	var err error
	if !ok {
		err = fault.Fields{"investment": {Zh: "请以万元填写投资额", En: "give the investment in 10k yuan"}}.Err()
	} else {
		_, err = s.store.SaveProject(r.Context(), a, r.FormValue("credit_code"), enterprise.Project{Name: r.FormValue("name"),
			Stage: enterprise.Stage(r.FormValue("stage")), Investment: inv, CadreID: cadre})
	}
	if err != nil {
		msgs, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		list, cov, err := s.store.Cadres(r.Context(), a)
		if err != nil {
			return err
		}
		p := &cadresPageData{Items: list, Coverage: cov}
		p.Errors = msgs
		p.Project.Credit, p.Project.Name, p.Project.Stage = r.FormValue("credit_code"), r.FormValue("name"), r.FormValue("stage")
		p.Project.Investment, p.Project.Cadre = r.FormValue("investment"), r.FormValue("cadre_id")
		return s.showCadres(w, r, a, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, "/cadres#projects", "flash.saved", "")
	return nil
}

// projectJSON is a key project.
type projectJSON struct {
	ID           int64            `json:"id"`
	EnterpriseID int64            `json:"enterprise_id"`
	Enterprise   string           `json:"enterprise"`
	Name         string           `json:"name"`
	Stage        enterprise.Stage `json:"stage"`
	Investment   int64            `json:"investment"` // yuan
	CadreID      int64            `json:"cadre_id,omitempty"`
	Cadre        string           `json:"cadre,omitempty"`
	Version      int64            `json:"version"`
}

func toProjectJSON(p enterprise.Project) projectJSON {
	return projectJSON{ID: p.ID, EnterpriseID: p.EnterpriseID, Enterprise: p.Enterprise, Name: p.Name, Stage: p.Stage,
		Investment: p.Investment, CadreID: p.CadreID, Cadre: p.Cadre, Version: p.Version}
}

// projectInput is a key project to record or change (version to change one).
type projectInput struct {
	CreditCode string           `json:"credit_code"`
	Name       string           `json:"name"`
	Stage      enterprise.Stage `json:"stage"`
	Investment int64            `json:"investment"` // yuan
	CadreID    int64            `json:"cadre_id,omitempty"`
	Version    int64            `json:"version,omitempty"`
}

func (s *Server) apiProjects(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, err := s.store.Projects(r.Context(), a)
	if err != nil {
		return err
	}
	out := core.Items[projectJSON]{Items: []projectJSON{}}
	for _, p := range list {
		out.Items = append(out.Items, toProjectJSON(p))
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiSaveProject(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = core.PathID(r, "id"); err != nil {
			return err
		}
	}
	var in projectInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	p, err := s.store.SaveProject(r.Context(), a, in.CreditCode, enterprise.Project{ID: id, Name: in.Name, Stage: in.Stage,
		Investment: in.Investment, CadreID: in.CadreID, Version: in.Version})
	if err != nil {
		return err
	}
	code := http.StatusOK
	if id == 0 {
		code = http.StatusCreated
	}
	core.WriteJSON(w, code, toProjectJSON(p))
	return nil
}

// replaceCadrePage passes a cadre's enterprises to its successor.
func (s *Server) replaceCadrePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	to, _ := strconv.ParseInt(r.FormValue("successor_id"), 10, 64)
	if _, err := s.handOver(r, a, id, to, r.FormValue("mode"), r.FormValue("reason")); err != nil {
		return s.cadreRefused(w, r, a, id, err)
	}
	s.Done(w, r, "/cadres", "cadre.replaced", "")
	return nil
}

// cadreRefused shows the roster again with the refused form of a cadre's
// row open and its messages, or answers err when it is no form's.
func (s *Server) cadreRefused(w http.ResponseWriter, r *http.Request, a access.Actor, id int64, err error) error {
	msgs, err := core.FormErrors(err, core.LangOf(r))
	if err != nil {
		return err
	}
	list, cov, err := s.store.Cadres(r.Context(), a)
	if err != nil {
		return err
	}
	p := &cadresPageData{Items: list, Coverage: cov, Failed: id}
	p.Errors = msgs
	return s.showCadres(w, r, a, p, http.StatusUnprocessableEntity)
}

// replaceInput is a cadre's replacement: its successor and why; mode
// "stand_in" names a stand-in while the post is empty (代管), "end_stand_in"
// passes what a stand-in holds to the successor named since.
type replaceInput struct {
	SuccessorID int64  `json:"successor_id"`
	Reason      string `json:"reason"`
	Mode        string `json:"mode,omitempty"`
}

// handOver passes a cadre's enterprises as mode says: replace (the
// default), stand_in, end_stand_in.
func (s *Server) handOver(r *http.Request, a access.Actor, from, to int64, mode, reason string) (int, error) {
	switch mode {
	case "", "replace":
		return s.store.ReplaceCadre(r.Context(), a, from, to, reason)
	case "stand_in":
		return s.store.StandIn(r.Context(), a, from, to, reason)
	case "end_stand_in":
		return s.store.EndStandIn(r.Context(), a, from, to, reason)
	}
	return 0, fault.Fields{"mode": {Zh: "交接方式须为接任、代管或代管结束", En: "mode is replace, stand_in or end_stand_in"}}.Err()
}

// termInput is the end of a cadre's term.
type termInput struct {
	TermUntil string `json:"term_until"` // YYYY-MM-DD; "" clears it
}

// termPage records the end of a cadre's term from the roster.
func (s *Server) termPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.SetTerm(r.Context(), a, id, r.FormValue("term_until")); err != nil {
		return s.cadreRefused(w, r, a, id, err)
	}
	s.Done(w, r, "/cadres", "flash.saved", "")
	return nil
}

func (s *Server) apiTerm(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in termInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.store.SetTerm(r.Context(), a, id, in.TermUntil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// replacedJSON is how many enterprises passed to the successor.
type replacedJSON struct {
	Enterprises int `json:"enterprises"`
}

func (s *Server) apiReplaceCadre(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in replaceInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	n, err := s.handOver(r, a, id, in.SuccessorID, in.Mode, in.Reason)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, replacedJSON{Enterprises: n})
	return nil
}

// cadreJSON is a cadre with its assignments in the caller's region.
type cadreJSON struct {
	UserID         int64  `json:"user_id"`
	Name           string `json:"name"`
	Phone          string `json:"phone"`
	HomeUnit       string `json:"home_unit,omitempty"`
	Disabled       bool   `json:"disabled"`
	Enterprises    int    `json:"enterprises"`
	KeyEnterprises int    `json:"key_enterprises"`
	StandingIn     int    `json:"standing_in"` // enterprises held as a stand-in while their post is empty
	TermUntil      string `json:"term_until,omitempty"`
}

// cadresJSON are the cadres of the caller's region and its key enterprises' coverage.
type cadresJSON struct {
	Items          []cadreJSON `json:"items"`
	KeyEnterprises int         `json:"key_enterprises"`
	KeyCovered     int         `json:"key_covered"`
}

func (s *Server) apiCadres(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, cov, err := s.store.Cadres(r.Context(), a)
	if err != nil {
		return err
	}
	out := cadresJSON{Items: []cadreJSON{}, KeyEnterprises: cov.KeyEnterprises, KeyCovered: cov.KeyCovered}
	for _, c := range list {
		out.Items = append(out.Items, cadreJSON{UserID: c.UserID, Name: c.Name, Phone: c.Phone, HomeUnit: c.HomeUnit, Disabled: c.Disabled,
			Enterprises: c.Enterprises, KeyEnterprises: c.KeyEnterprises, StandingIn: c.StandingIn, TermUntil: c.TermUntil})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}
