package web

import (
	"net/http"
	"strings"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/web/core"
)

// The working-day calendar (工作日历): the official holidays and make-up
// working days qifu ships, and the administrators' days on top of them.

// dayJSON is a day of the calendar in the API.
type dayJSON struct {
	Date string        `json:"date"`
	Kind calendar.Kind `json:"kind"`
	Name string        `json:"name"`
}

// calendarJSON is the calendar in the API: the official days qifu ships
// and the administrators' days on top of them.
type calendarJSON struct {
	Official []dayJSON `json:"official"`
	Days     []dayJSON `json:"days"`
}

// dayInput is an administrator's day; its date is in the path.
type dayInput struct {
	Kind calendar.Kind `json:"kind"`
	Name string        `json:"name"`
}

func daysJSON(days []calendar.Day) []dayJSON {
	out := make([]dayJSON, 0, len(days))
	for _, d := range days {
		out = append(out, dayJSON{Date: d.Date, Kind: d.Kind, Name: d.Name})
	}
	return out
}

func (s *Server) apiCalendar(w http.ResponseWriter, r *http.Request) error {
	days, err := s.store.CalendarDays(r.Context())
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, calendarJSON{Official: daysJSON(calendar.Official()), Days: daysJSON(days)})
	return nil
}

// apiSetCalendarDay records an administrator's day: {"kind", "name"}.
func (s *Server) apiSetCalendarDay(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in dayInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	d := calendar.Day{Date: r.PathValue("date"), Kind: in.Kind, Name: strings.TrimSpace(in.Name)}
	if err := s.store.SetCalendarDay(r.Context(), a, d); err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, dayJSON{Date: d.Date, Kind: d.Kind, Name: d.Name})
	return nil
}

func (s *Server) apiDeleteCalendarDay(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := s.store.DeleteCalendarDay(r.Context(), a, r.PathValue("date")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// calendarPageData is the calendar page: this year's and later official
// days, and the administrators' days with a form to add one.
type calendarPageData struct {
	core.Base
	Official []calendar.Day
	Days     []calendar.Day
	Form     calendar.Day
	// MissingYear is the next year while its holidays should be entered
	// and are not (calendar.NextYearMissing), else 0.
	MissingYear int
}

func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, p *calendarPageData, code int) error {
	days, err := s.store.CalendarDays(r.Context())
	if err != nil {
		return err
	}
	p.Days = days
	p.MissingYear = calendar.NextYearMissing(s.store.Now(), append(calendar.Official(), days...))
	year := time.Now().In(calendar.Shanghai).Format("2006")
	for _, d := range calendar.Official() {
		if d.Date >= year {
			p.Official = append(p.Official, d)
		}
	}
	if p.Form.Kind == "" {
		p.Form.Kind = calendar.Holiday
	}
	p.Title = s.T(core.LangOf(r), "cal.title")
	s.Render(w, r, code, "calendar", p)
	return nil
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCalendar(w, r, &calendarPageData{}, http.StatusOK)
}

func (s *Server) setCalendarDayPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	d := calendar.Day{Date: strings.TrimSpace(r.FormValue("date")), Kind: calendar.Kind(r.FormValue("kind")),
		Name: strings.TrimSpace(r.FormValue("name"))}
	err := s.store.SetCalendarDay(r.Context(), a, d)
	if err == nil {
		s.Done(w, r, "/calendar", "flash.saved", "")
		return nil
	}
	fe := fault.As(err)
	if fe == nil || fe.Kind != fault.Invalid {
		return err
	}
	p := &calendarPageData{Form: d}
	if len(fe.Fields) > 0 {
		p.Errors = core.FieldErrors(fe.Fields, core.LangOf(r))
	} else {
		field := "date"
		if fe.Code == "calendar_kind" {
			field = "kind"
		}
		p.Errors = map[string]string{field: fe.Message.In(core.LangOf(r))}
	}
	return s.renderCalendar(w, r, p, http.StatusUnprocessableEntity)
}

func (s *Server) deleteCalendarDayPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := s.store.DeleteCalendarDay(r.Context(), a, r.PathValue("date")); err != nil {
		return err
	}
	s.Done(w, r, "/calendar", "flash.deleted", "")
	return nil
}
