package web

import (
	"net/http"

	"qifu/internal/store"
	"qifu/internal/web/core"
)

// The cadres of a region (驻企干部), as the organisation department follows
// them: home unit, assignments, and the coverage of the key enterprises.

type cadresPageData struct {
	core.Base
	Items    []store.Cadre
	Coverage store.Coverage
}

func (s *Server) cadresPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, cov, err := s.store.Cadres(r.Context(), a)
	if err != nil {
		return err
	}
	p := &cadresPageData{Items: list, Coverage: cov}
	p.Title = s.T(core.LangOf(r), "cadre.title")
	s.Render(w, r, http.StatusOK, "cadres", p)
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
