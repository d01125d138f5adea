package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"qifu/internal/access"
	"qifu/internal/dossier"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/fault"
	"qifu/internal/web/core"
)

// The enterprise's file (一企一档) on its page: its facts with their sources
// and ages, the people who answer for it, its timeline across the modules,
// and its QR code.

// timelineShown is how many entries the page and the API show.
const timelineShown = 50

// factView is one fact as the page shows it.
type factView struct {
	ID                 int64
	Kind, Period       string
	Value, Source, Age string
	Authoritative      bool
	By, Ref, Note      string
}

// kindView is a kind offered in the form, with its unit and period hint.
type kindView struct {
	Key, Name, Unit, PeriodHint string
}

// entryView is one line of the timeline.
type entryView struct {
	At               time.Time
	What, Status     string
	Ref, Title, Href string
	Module           string
}

// dossierData is the file's part of the enterprise page.
type dossierData struct {
	Current, History []factView
	Kinds            []kindView
	People           []dossierdb.Person
	Timeline         []entryView
	CanRecord        bool
	RecordAs         string // the source the actor's facts get, in words
	FactForm         struct{ Kind, Period, Value, Note string }
}

func (s *Server) factViews(lang string, now time.Time, facts []dossier.Fact) []factView {
	out := make([]factView, 0, len(facts))
	for _, f := range facts {
		k, _ := dossier.KindOf(f.Kind)
		v := factView{ID: f.ID, Kind: k.Name().In(lang), Period: f.Period, Value: f.Format(lang),
			Source: f.Source.Name().In(lang), Age: dossier.Age(f.RecordedAt, now, lang),
			Authoritative: f.Source.Authoritative(), By: f.RecordedName, Ref: f.Ref, Note: f.Note}
		if f.Ref == dossierdb.RegistryRef {
			v.Ref = s.T(lang, "doss.fromregistry")
		}
		if strings.HasPrefix(f.RecordedName, "system:") {
			v.By = s.T(lang, "doss.bysystem")
		}
		out = append(out, v)
	}
	return out
}

// kindViews are the kinds of facts, for the form.
func kindViews(lang string) []kindView {
	var out []kindView
	for _, k := range dossier.Kinds {
		v := kindView{Key: k.Key, Name: k.Name().In(lang), Unit: k.Unit().In(lang), PeriodHint: "2025"}
		if k.Period == dossier.Date {
			v.PeriodHint = "2025-06-30"
		}
		out = append(out, v)
	}
	return out
}

// entryViews are timeline entries in a language: a module's own words, or
// the record's.
func entryViews(lang string, entries []dossier.Entry) []entryView {
	out := make([]entryView, 0, len(entries))
	for _, e := range entries {
		title := e.Title
		if title == "" {
			title = e.Said.In(lang)
		}
		out = append(out, entryView{At: e.At, What: e.What, Status: e.Status, Ref: e.Ref, Title: title, Href: e.Href, Module: e.Module})
	}
	return out
}

// fileOf reads the enterprise's file for its page.
func (s *Server) fileOf(r *http.Request, a access.Actor, id int64) (dossierData, error) {
	lang := core.LangOf(r)
	var d dossierData
	f, err := s.mods.Dossier.File(r.Context(), a, id, timelineShown, s.mods.Timeline)
	if err != nil {
		return d, err
	}
	now := s.store.Now()
	d.Current, d.History, d.People = s.factViews(lang, now, f.Current), s.factViews(lang, now, f.History), f.People
	d.Timeline = entryViews(lang, f.Timeline)
	d.CanRecord = access.May(a.Role, access.FactRecord)
	if d.CanRecord {
		d.RecordAs = dossier.SourceOf(a.Role).Name().In(lang)
		d.Kinds = kindViews(lang)
	}
	return d, nil
}

// recordFactPage records a fact from the enterprise page's form.
func (s *Server) recordFactPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := factFromForm(r, id)
	if err == nil {
		_, err = s.mods.Dossier.Record(r.Context(), a, f)
	}
	if err != nil {
		msgs, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		return s.showEnterpriseWith(w, r, id, false, func(p *enterprisePageData) {
			p.Errors = msgs
			p.File.FactForm.Kind, p.File.FactForm.Period = r.FormValue("kind"), r.FormValue("period")
			p.File.FactForm.Value, p.File.FactForm.Note = r.FormValue("value"), r.FormValue("note")
		}, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/enterprises/%d#facts", id), "flash.saved", "")
	return nil
}

// factFromForm reads a fact as typed in the form.
func factFromForm(r *http.Request, id int64) (dossier.Fact, error) {
	k, ok := dossier.KindOf(r.FormValue("kind"))
	if !ok {
		return dossier.Fact{}, fault.Fields{"kind": {Zh: "请选择事实类别", En: "choose what the fact is"}}.Err()
	}
	num, text, err := dossier.ParseValue(k, r.FormValue("value"))
	if err != nil {
		return dossier.Fact{}, err
	}
	return dossier.Fact{EnterpriseID: id, Kind: k.Key, Period: strings.TrimSpace(r.FormValue("period")), Num: num, Text: text,
		Note: strings.TrimSpace(r.FormValue("note"))}, nil
}

// enterpriseQR answers the PNG of the enterprise's QR code: the address of
// /e/{credit code}, which opens its page for a signed-in member of staff
// whose scope holds it (and for no one else).
func (s *Server) enterpriseQR(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.store.Enterprise(r.Context(), a, id)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(s.baseURL(r)+"/e/"+url.PathEscape(e.CreditCode), qrcode.Medium, 320)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(e.Name+".png"))
	w.Write(png)
	return nil
}

// baseURL is the site's address as the request reached it.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || s.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// openByCode is where a scanned QR code lands: the enterprise's page, with
// what may be started for it there.
func (s *Server) openByCode(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := s.mods.Dossier.ByCreditCode(r.Context(), a, strings.ToUpper(r.PathValue("credit")))
	if err != nil {
		return err
	}
	return s.showEnterpriseWith(w, r, id, false, func(p *enterprisePageData) { p.Scanned = true }, http.StatusOK)
}

// The API of the file.

// factJSON is one fact.
type factJSON struct {
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`
	Period        string    `json:"period"`
	Num           int64     `json:"num"`
	Text          string    `json:"text,omitempty"`
	Display       string    `json:"display"`
	Source        string    `json:"source"`
	Authoritative bool      `json:"authoritative"`
	Ref           string    `json:"ref,omitempty"`
	Note          string    `json:"note,omitempty"`
	RecordedBy    string    `json:"recorded_by"`
	RecordedAt    time.Time `json:"recorded_at"`
}

func toFactJSON(f dossier.Fact, lang string) factJSON {
	return factJSON{ID: f.ID, Kind: f.Kind, Period: f.Period, Num: f.Num, Text: f.Text, Display: f.Format(lang),
		Source: string(f.Source), Authoritative: f.Source.Authoritative(), Ref: f.Ref, Note: f.Note,
		RecordedBy: f.RecordedName, RecordedAt: f.RecordedAt}
}

// factsJSON is an enterprise's facts: the current value of each kind and
// period, and every value recorded.
type factsJSON struct {
	Current []factJSON `json:"current"`
	History []factJSON `json:"history"`
}

// factInput is a fact to record: num in the kind's base unit (people,
// yuan, hundredths of a per cent), or text for a text kind.
type factInput struct {
	Kind   string `json:"kind"`
	Period string `json:"period"`
	Num    int64  `json:"num"`
	Text   string `json:"text,omitempty"`
	Note   string `json:"note,omitempty"`
}

var exampleFact = factInput{Kind: "revenue", Period: "2025", Num: 12_500_000, Note: "2025 年度纳税申报表"}

func (s *Server) apiFacts(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	current, history, err := s.mods.Dossier.Facts(r.Context(), a, id)
	if err != nil {
		return err
	}
	lang := core.LangOf(r)
	out := factsJSON{Current: []factJSON{}, History: []factJSON{}}
	for _, f := range current {
		out.Current = append(out.Current, toFactJSON(f, lang))
	}
	for _, f := range history {
		out.History = append(out.History, toFactJSON(f, lang))
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiRecordFact(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in factInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	f, err := s.mods.Dossier.Record(r.Context(), a, dossier.Fact{EnterpriseID: id, Kind: in.Kind, Period: in.Period,
		Num: in.Num, Text: in.Text, Note: in.Note})
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, toFactJSON(f, core.LangOf(r)))
	return nil
}

// entryJSON is one line of an enterprise's timeline.
type entryJSON struct {
	At     time.Time `json:"at"`
	Module string    `json:"module"`
	What   string    `json:"what"`
	Status string    `json:"status,omitempty"`
	Ref    string    `json:"ref,omitempty"`
	Title  string    `json:"title"`
	Href   string    `json:"href,omitempty"`
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	entries, err := s.mods.Dossier.Timeline(r.Context(), a, id, timelineShown, s.mods.Timeline)
	if err != nil {
		return err
	}
	lang := core.LangOf(r)
	out := core.Items[entryJSON]{Items: []entryJSON{}}
	for _, e := range entryViews(lang, entries) {
		j := entryJSON{At: e.At, Module: e.Module, What: s.T(lang, e.What), Ref: e.Ref, Title: e.Title, Href: e.Href}
		if e.Status != "" {
			j.Status = s.T(lang, e.Status)
		}
		out.Items = append(out.Items, j)
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// personJSON is someone who answers for an enterprise.
type personJSON struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Role  string `json:"role"`
	As    string `json:"as"`
	// HomeUnit is a cadre's home unit (派出单位).
	HomeUnit string `json:"home_unit,omitempty"`
}

func (s *Server) apiPeople(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	people, err := s.mods.Dossier.People(r.Context(), a, id)
	if err != nil {
		return err
	}
	out := core.Items[personJSON]{Items: []personJSON{}}
	for _, p := range people {
		out.Items = append(out.Items, personJSON{Name: p.Name, Phone: p.Phone, Role: string(p.Role), As: p.As, HomeUnit: p.HomeUnit})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}
