package catalogueweb

import (
	"net/http"
	"strings"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/catalogue"
	"qifu/internal/web/core"
)

// exampleStandard is the example body of saving a standard.
var exampleStandard = catalogue.Standard{Code: "S29", Group: "support", Name: "专利质押融资对接", NameEn: "Patent-pledge financing",
	Gets: "帮助企业以专利质押向银行融资，协调评估与登记。", Department: "finoffice", Providers: []string{"bank-rural"},
	Handle: appeal.Days(5), Category: "financing", Mode: catalogue.Assisted, From: "2027-01-01", Version: 0}

func (s *Handlers) apiStandards(w http.ResponseWriter, r *http.Request) error {
	list, err := s.catalogue.Catalogue(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	query := Query{Text: strings.TrimSpace(q.Get("q")), Group: q.Get("group"), Mode: catalogue.Mode(q.Get("mode")), Withdrawn: q.Get("withdrawn") == "1"}
	out := core.Items[catalogue.Standard]{Items: query.Filter(list, s.today())}
	if out.Items == nil {
		out.Items = []catalogue.Standard{}
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Handlers) apiStandard(w http.ResponseWriter, r *http.Request) error {
	st, err := s.catalogue.Standard(r.Context(), r.PathValue("standard"))
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, st)
	return nil
}

// versionJSON is one saved version of a standard.
type versionJSON struct {
	Standard catalogue.Standard `json:"standard"`
	SavedAt  time.Time          `json:"saved_at"`
	SavedBy  string             `json:"saved_by,omitempty"`
}

func (s *Handlers) apiVersions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.catalogue.Versions(r.Context(), r.PathValue("standard"))
	if err != nil {
		return err
	}
	out := core.Items[versionJSON]{Items: []versionJSON{}}
	for _, v := range list {
		out.Items = append(out.Items, versionJSON{Standard: v.Standard, SavedAt: v.SavedAt, SavedBy: v.SavedBy})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Handlers) apiCreateStandard(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in catalogue.Standard
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	st, err := s.catalogue.SaveStandard(r.Context(), a, in, 0)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, st)
	return nil
}

func (s *Handlers) apiSaveStandard(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in catalogue.Standard
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return core.ErrVersionRequired
	}
	in.Code = r.PathValue("standard")
	st, err := s.catalogue.SaveStandard(r.Context(), a, in, in.Version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, st)
	return nil
}

// withdrawInput withdraws a standard from a day (today if none).
type withdrawInput struct {
	Until   string `json:"until,omitempty"` // YYYY-MM-DD
	Version int64  `json:"version"`
}

func (s *Handlers) apiWithdraw(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in withdrawInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return core.ErrVersionRequired
	}
	st, err := s.catalogue.Withdraw(r.Context(), a, r.PathValue("standard"), strings.TrimSpace(in.Until), in.Version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, st)
	return nil
}

func (s *Handlers) apiImport(w http.ResponseWriter, r *http.Request) error {
	res, err := s.runImport(r)
	if err != nil {
		return err
	}
	code := http.StatusOK
	if !res.Applied {
		code = http.StatusUnprocessableEntity
	}
	core.WriteJSON(w, code, res)
	return nil
}

// useJSON is the use of the catalogue in a period.
type useJSON struct {
	From   string        `json:"from"` // YYYY-MM
	To     string        `json:"to"`
	Items  []useItemJSON `json:"items"`
	Unused []string      `json:"unused"` // codes of standards in force nobody asked for
}

type useItemJSON struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Requests   int      `json:"requests"`
	Closed     int      `json:"closed"`
	OnTime     int      `json:"on_time"`
	OnTimeRate *float64 `json:"on_time_rate,omitempty"` // percent; absent when none closed
}

func (s *Handlers) apiUse(w http.ResponseWriter, r *http.Request) error {
	p, err := s.use(r)
	if err != nil {
		return err
	}
	out := useJSON{From: p.From, To: p.To, Items: []useItemJSON{}, Unused: []string{}}
	for _, row := range p.Rows {
		it := useItemJSON{Code: row.Code, Name: row.Name, Requests: row.Requests, Closed: row.Closed, OnTime: row.OnTime}
		if rate := row.OnTimeRate(); rate >= 0 {
			it.OnTimeRate = &rate
		}
		out.Items = append(out.Items, it)
	}
	for _, st := range p.Unused {
		out.Unused = append(out.Unused, st.Code)
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Handlers) apiProviders(w http.ResponseWriter, r *http.Request) error {
	list, err := s.catalogue.Providers(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []catalogue.Provider{}
	}
	core.WriteJSON(w, http.StatusOK, core.Items[catalogue.Provider]{Items: list})
	return nil
}

func (s *Handlers) apiSaveProvider(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in catalogue.Provider
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	code := http.StatusCreated
	version := int64(0)
	if c := r.PathValue("provider"); c != "" {
		if in.Version == 0 {
			return core.ErrVersionRequired
		}
		in.Code, version, code = c, in.Version, http.StatusOK
	}
	p, err := s.catalogue.SaveProvider(r.Context(), a, in, version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, code, p)
	return nil
}
