package visitweb

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/catalogue"
	"qifu/internal/department"
	"qifu/internal/place"
	"qifu/internal/visit"
	"qifu/internal/web/core"
)

// Department service days (部门服务日): the community plans one with the
// departments and providers it invites; its enterprises register the
// problems they will bring; on the day each is answered on the spot or
// raised as an appeal dispatched to its department.

type daysData struct {
	core.Base
	Items       []visit.Day
	MayRun      bool
	Edit        visit.Day
	Departments []department.Department
	Providers   []catalogue.Provider
}

func (s *Handlers) daysPage(w http.ResponseWriter, r *http.Request) error {
	return s.showDays(w, r, &daysData{}, http.StatusOK)
}

func (s *Handlers) showDays(w http.ResponseWriter, r *http.Request, p *daysData, code int) error {
	a, _ := core.ActorOf(r)
	var err error
	if p.Items, err = s.visits.Days(r.Context(), a); err != nil {
		return err
	}
	p.MayRun = access.May(a.Role, access.ServiceDayRun)
	if p.MayRun {
		p.Departments = department.Alliance()
		if p.Providers, err = s.catalogue.Providers(r.Context()); err != nil {
			return err
		}
		if p.Edit.On == "" {
			p.Edit.On = s.store.Now().AddDate(0, 0, 7).Format("2006-01-02")
		}
	}
	p.Title = s.T(core.LangOf(r), "sd.title")
	s.Render(w, r, code, "service_days", p)
	return nil
}

// Chosen reports whether code is among list (the form's checkboxes).
func (p *daysData) Chosen(list []string, code string) bool {
	for _, c := range list {
		if c == code {
			return true
		}
	}
	return false
}

func (s *Handlers) createDayPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return core.BadUpload(err)
	}
	in := visit.Day{RegionCode: r.FormValue("region_code"), Title: r.FormValue("title"), On: r.FormValue("on"), Place: r.FormValue("place"),
		Departments: r.Form["departments"], Providers: r.Form["providers"], Note: r.FormValue("note")}
	d, err := s.visits.CreateDay(r.Context(), a, in)
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &daysData{Edit: in}
		p.Errors = msgs
		return s.showDays(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/service-days/%d", d.ID), "sd.created", "")
	return nil
}

type dayData struct {
	core.Base
	Day        visit.Day
	Problems   []visit.DayProblem
	MayRun     bool
	MayJoin    bool // the enterprise (or staff for it) may register a problem
	Past       bool
	Categories appeal.Categories
	Edit       visit.DayProblem
	Failed     int64 // the problem whose form was refused
	// Invited are the providers invited, from the directory.
	Invited []catalogue.Provider
}

// DeptName names a department code in the page's language.
func (p *dayData) DeptName(code string) string {
	for _, d := range department.Alliance() {
		if d.Code == code {
			return p.Pick(d.Name, d.NameEn)
		}
	}
	return code
}

func (s *Handlers) dayPage(w http.ResponseWriter, r *http.Request) error {
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.showDay(w, r, id, &dayData{}, http.StatusOK)
}

func (s *Handlers) showDay(w http.ResponseWriter, r *http.Request, id int64, p *dayData, code int) error {
	a, _ := core.ActorOf(r)
	d, problems, err := s.visits.Day(r.Context(), a, id)
	if err != nil {
		return err
	}
	p.Day, p.Problems = d, problems
	p.Past = d.On < day(s.store.Now())
	p.MayRun = access.Allows(a, access.ServiceDayRun, access.Target{Place: place.AncestryOf(d.RegionCode)})
	p.MayJoin = !p.Past && a.Role == access.RoleEnterprise
	if p.Categories, err = s.appeals.Categories(r.Context()); err != nil {
		return err
	}
	if len(d.Providers) > 0 {
		all, err := s.catalogue.Providers(r.Context())
		if err != nil {
			return err
		}
		for _, pr := range all {
			if slices.Contains(d.Providers, pr.Code) {
				p.Invited = append(p.Invited, pr)
			}
		}
	}
	p.Title = d.Title
	s.Render(w, r, code, "service_day", p)
	return nil
}

func (s *Handlers) registerPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	ent, _ := strconv.ParseInt(r.FormValue("enterprise"), 10, 64)
	in := visit.DayProblem{EnterpriseID: ent, Text: r.FormValue("text"), Category: r.FormValue("category"), Department: r.FormValue("department")}
	if _, err := s.visits.Register(r.Context(), a, id, in); err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &dayData{Edit: in}
		p.Errors = msgs
		return s.showDay(w, r, id, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/service-days/%d", id), "sd.registered", "")
	return nil
}

func (s *Handlers) dayAnswerPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	p, err := s.visits.AnswerDayProblem(r.Context(), a, id, r.FormValue("answer"), version)
	if err != nil {
		return s.dayProblemFailed(w, r, err, id)
	}
	s.Done(w, r, fmt.Sprintf("/service-days/%d", p.DayID), "flash.saved", "")
	return nil
}

func (s *Handlers) dayRaisePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.visits.RaiseDayProblem(r.Context(), a, id)
	if err != nil {
		return s.dayProblemFailed(w, r, err, id)
	}
	s.Done(w, r, fmt.Sprintf("/service-days/%d", p.DayID), "sd.raised", "")
	return nil
}

// dayProblemFailed shows the day again with the refused problem's message.
func (s *Handlers) dayProblemFailed(w http.ResponseWriter, r *http.Request, err error, problem int64) error {
	msgs, ferr := core.FormErrors(err, core.LangOf(r))
	dayID, _ := strconv.ParseInt(r.FormValue("day"), 10, 64)
	if ferr != nil || dayID == 0 {
		return err
	}
	p := &dayData{Failed: problem}
	p.Errors = msgs
	return s.showDay(w, r, dayID, p, http.StatusUnprocessableEntity)
}

// The API of service days.

var exampleDay = visit.Day{RegionCode: "330206001001", Title: "人社、税务服务日", On: "2026-12-18", Place: "和美社区党群服务中心二楼",
	Departments: []string{"hrss", "tax"}, Providers: []string{"bank-rural"}}

func (s *Handlers) apiDays(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, err := s.visits.Days(r.Context(), a)
	if err != nil {
		return err
	}
	if list == nil {
		list = []visit.Day{}
	}
	core.WriteJSON(w, http.StatusOK, core.Items[visit.Day]{Items: list})
	return nil
}

func (s *Handlers) apiCreateDay(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in visit.Day
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	d, err := s.visits.CreateDay(r.Context(), a, in)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, d)
	return nil
}

// dayJSON is a service day with the problems registered in the caller's reach.
type dayJSON struct {
	Day      visit.Day          `json:"day"`
	Problems []visit.DayProblem `json:"problems"`
}

func (s *Handlers) apiDay(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	d, list, err := s.visits.Day(r.Context(), a, id)
	if err != nil {
		return err
	}
	if list == nil {
		list = []visit.DayProblem{}
	}
	core.WriteJSON(w, http.StatusOK, dayJSON{Day: d, Problems: list})
	return nil
}

func (s *Handlers) apiRegister(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in visit.DayProblem
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	p, err := s.visits.Register(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, p)
	return nil
}

// dayAnswerInput is the answer given on the spot.
type dayAnswerInput struct {
	Answer  string `json:"answer"`
	Version int64  `json:"version"`
}

func (s *Handlers) apiDayAnswer(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in dayAnswerInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return core.ErrVersionRequired
	}
	p, err := s.visits.AnswerDayProblem(r.Context(), a, id, in.Answer, in.Version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (s *Handlers) apiDayRaise(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.visits.RaiseDayProblem(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, p)
	return nil
}
