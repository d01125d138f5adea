package web

import (
	"net/http"
	"strconv"

	"qifu/internal/access"
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
}

func (s *Server) cadresPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, cov, err := s.store.Cadres(r.Context(), a)
	if err != nil {
		return err
	}
	p := &cadresPageData{Items: list, Coverage: cov}
	if access.May(a.Role, access.CadreManage) {
		if p.Successors, err = s.store.CadreAccounts(r.Context(), a); err != nil {
			return err
		}
	}
	p.Title = s.T(core.LangOf(r), "cadre.title")
	s.Render(w, r, http.StatusOK, "cadres", p)
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
	if _, err := s.store.ReplaceCadre(r.Context(), a, id, to, r.FormValue("reason")); err != nil {
		msgs, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		list, cov, err := s.store.Cadres(r.Context(), a)
		if err != nil {
			return err
		}
		p := &cadresPageData{Items: list, Coverage: cov, Failed: id}
		if p.Successors, err = s.store.CadreAccounts(r.Context(), a); err != nil {
			return err
		}
		p.Title, p.Errors = s.T(core.LangOf(r), "cadre.title"), msgs
		s.Render(w, r, http.StatusUnprocessableEntity, "cadres", p)
		return nil
	}
	s.Done(w, r, "/cadres", "cadre.replaced", "")
	return nil
}

// replaceInput is a cadre's replacement: its successor and why.
type replaceInput struct {
	SuccessorID int64  `json:"successor_id"`
	Reason      string `json:"reason"`
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
	n, err := s.store.ReplaceCadre(r.Context(), a, id, in.SuccessorID, in.Reason)
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
			Enterprises: c.Enterprises, KeyEnterprises: c.KeyEnterprises})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}
