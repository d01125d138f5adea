package visitweb

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/visit"
	"qifu/internal/visit/visitdb"
	"qifu/internal/web/core"
)

// ProblemRows is how many problem rows the phone form offers.
const ProblemRows = 5

type visitsData struct {
	core.Base
	Items     []visit.Visit
	Pager     core.Pager
	MayRecord bool
	MayFigure bool
}

// visitsPage lists the visits the actor recorded or went on (staff), all
// in its reach (leaders), or those to its enterprise (an enterprise).
func (s *Handlers) visitsPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	page := core.PageOf(r)
	q := visitdb.VisitQuery{Page: page, Mine: access.May(a.Role, access.VisitRecord) && a.Role != access.RoleAdmin}
	list, total, err := s.visits.Visits(r.Context(), a, q)
	if err != nil {
		return err
	}
	p := &visitsData{Items: list, Pager: core.NewPager(r, page, total), MayRecord: access.May(a.Role, access.VisitRecord),
		MayFigure: a.Role != access.RoleEnterprise}
	p.Title = s.T(core.LangOf(r), "vi.title")
	s.Render(w, r, http.StatusOK, "visits", p)
	return nil
}

type pickData struct {
	core.Base
	Text  string
	Items []enterprise.Enterprise
}

type formData struct {
	core.Base
	Prefill   visitdb.Prefill
	In        visit.Visit
	Rows      []visit.Problem // the problem rows of the form
	Key       string
	Kinds     []visit.Kind
	Outcomes  []visit.Outcome
	Ops       []string
	Orders    []string
	Category  appeal.Categories
	Employees string
	FactLines []string // the situation on file: each fact with its source and age
}

// newVisitPage is the phone form of a visit: the enterprise picked (or
// reached from its QR code), prefilled from its file and the last team.
func (s *Handlers) newVisitPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, _ := strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64)
	if id == 0 {
		p := &pickData{Text: strings.TrimSpace(r.URL.Query().Get("q"))}
		if p.Text != "" {
			list, _, err := s.store.Enterprises(r.Context(), a, store.EnterpriseQuery{Text: p.Text, Page: store.Page{Size: 20}})
			if err != nil {
				return err
			}
			p.Items = list
		}
		p.Title = s.T(core.LangOf(r), "vi.new")
		s.Render(w, r, http.StatusOK, "visit_pick", p)
		return nil
	}
	return s.formFor(w, r, id)
}

// formFor shows the form of a new visit to an enterprise, prefilled.
func (s *Handlers) formFor(w http.ResponseWriter, r *http.Request, id int64) error {
	a, _ := core.ActorOf(r)
	pre, err := s.visits.PrefillFor(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := visit.Visit{EnterpriseID: id, Kind: pre.Kind, Visitors: pre.Visitors, Situation: pre.Situation, NoChange: pre.LastOn != "",
		On: day(s.store.Now())} // today, unless the visitor records an earlier day
	return s.showForm(w, r, &formData{Prefill: pre, In: in}, http.StatusOK)
}

func (s *Handlers) showForm(w http.ResponseWriter, r *http.Request, p *formData, code int) error {
	var err error
	if p.Category, err = s.appeals.Categories(r.Context()); err != nil {
		return err
	}
	if p.Key == "" {
		p.Key = rand.Text()
	}
	p.Rows = append([]visit.Problem{}, p.In.Problems...)
	for len(p.Rows) < ProblemRows {
		p.Rows = append(p.Rows, visit.Problem{})
	}
	for len(p.In.Visitors) < len(p.Prefill.Visitors)+2 {
		p.In.Visitors = append(p.In.Visitors, visit.Visitor{})
	}
	if p.In.Situation.Employees > 0 {
		p.Employees = strconv.Itoa(p.In.Situation.Employees)
	}
	p.Kinds, p.Outcomes, p.Ops, p.Orders = visit.Kinds, visit.Outcomes, visit.Operations, visit.OrderStates
	lang := core.LangOf(r)
	// The situation on file: of each kind the latest fact, the one prefilled.
	for _, kind := range []string{"operation", "orders", "employees"} {
		f, ok := dossier.Latest(p.Prefill.Facts, kind)
		if !ok {
			continue
		}
		k, _ := dossier.KindOf(f.Kind)
		value := f.Format(lang)
		if kind != "employees" {
			value = s.Word(lang, "vsit", f.Text) // kept in Chinese, named in the page's language
		}
		p.FactLines = append(p.FactLines, fmt.Sprintf("%s%s%s · %s · %s", k.Name().In(lang), s.T(lang, "colon"), value,
			f.Source.Name().In(lang), dossier.Age(f.RecordedAt, s.store.Now(), lang)))
	}
	p.Title = s.T(core.LangOf(r), "vi.new")
	s.Render(w, r, code, "visit_form", p)
	return nil
}

// visitFromForm reads the phone form.
func visitFromForm(r *http.Request) visit.Visit {
	id, _ := strconv.ParseInt(r.FormValue("enterprise"), 10, 64)
	v := visit.Visit{EnterpriseID: id, Kind: visit.Kind(r.FormValue("kind")), On: r.FormValue("on"), Note: r.FormValue("note"),
		NoChange: r.FormValue("no_change") == "1"}
	v.Situation.Operation, v.Situation.Orders = r.FormValue("operation"), r.FormValue("orders")
	v.Situation.Employees, _ = strconv.Atoi(strings.TrimSpace(r.FormValue("employees")))
	for i := 0; i < visit.MaxVisitors; i++ {
		n := strconv.Itoa(i)
		name, unit := r.FormValue("visitor_name_"+n), r.FormValue("visitor_unit_"+n)
		if name == "" && unit == "" {
			continue
		}
		uid, _ := strconv.ParseInt(r.FormValue("visitor_user_"+n), 10, 64)
		v.Visitors = append(v.Visitors, visit.Visitor{UserID: uid, Name: name, Unit: unit})
	}
	for i := 0; i < visit.MaxProblems; i++ {
		n := strconv.Itoa(i)
		text := r.FormValue("problem_" + n)
		if strings.TrimSpace(text) == "" {
			continue
		}
		topic, _ := strconv.ParseInt(r.FormValue("topic_"+n), 10, 64)
		v.Problems = append(v.Problems, visit.Problem{Text: text, Category: r.FormValue("category_" + n),
			Outcome: visit.Outcome(r.FormValue("outcome_" + n)), Action: r.FormValue("action_" + n),
			TopicID: topic, TopicTitle: r.FormValue("topic_title_" + n)})
	}
	return v
}

// recordPage records the phone form's visit.
func (s *Handlers) recordPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseMultipartForm(s.opts.MaxUpload); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return core.BadUpload(err)
	}
	in := visitFromForm(r)
	photos, err := s.formPhotos(r)
	var v visit.Visit
	if err == nil {
		in.Photos = photos
		v, err = s.visits.Record(r.Context(), a, in, r.FormValue("key"))
	}
	if err != nil {
		if v.ID != 0 {
			// Recorded, but an appeal could not be raised yet: the visit's page offers to retry.
			s.Done(w, r, fmt.Sprintf("/visits/%d", v.ID), "vi.raise_failed", "")
			return nil
		}
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		pre, perr := s.visits.PrefillFor(r.Context(), a, in.EnterpriseID)
		if perr != nil {
			return perr
		}
		p := &formData{Prefill: pre, In: in, Key: r.FormValue("key")}
		p.Errors = msgs
		return s.showForm(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/visits/%d", v.ID), "vi.recorded", "")
	return nil
}

type visitData struct {
	core.Base
	Visit      visit.Visit
	MayConfirm bool
	Via        string // "phone": staff record the enterprise's answer from their return call
	MayRaise   bool   // a problem marked as an appeal is not raised yet
	Feedbacks  []visit.Feedback
	Note       string
}

// visitPage is one visit: the enterprise confirms and rates it here.
func (s *Handlers) visitPage(w http.ResponseWriter, r *http.Request) error {
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.showVisit(w, r, id, &visitData{}, http.StatusOK)
}

func (s *Handlers) showVisit(w http.ResponseWriter, r *http.Request, id int64, p *visitData, code int) error {
	a, _ := core.ActorOf(r)
	v, err := s.visits.Visit(r.Context(), a, id)
	if err != nil {
		return err
	}
	p.Visit, p.Feedbacks = v, visit.Feedbacks
	p.Via, p.MayConfirm = s.visits.MayAnswer(r.Context(), a, v)
	for _, pr := range v.Problems {
		p.MayRaise = p.MayRaise || pr.Outcome == visit.Raised && pr.AppealID == 0 && access.May(a.Role, access.VisitRecord)
	}
	p.Title = s.T(core.LangOf(r), "vi.visit")
	s.Render(w, r, code, "visit", p)
	return nil
}

// confirmPage records the enterprise's answer to a visit.
func (s *Handlers) confirmPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	if _, err := s.visits.Confirm(r.Context(), a, id, visit.Feedback(r.FormValue("feedback")), r.FormValue("note"), version); err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &visitData{Note: r.FormValue("note")}
		p.Errors = msgs
		return s.showVisit(w, r, id, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/visits/%d", id), "vi.confirmed", "")
	return nil
}

// raisePage raises the problems of a visit still to raise.
func (s *Handlers) raisePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.visits.RaisePending(r.Context(), a, id); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/visits/%d", id), "vi.raised", "")
	return nil
}

type coverageData struct {
	core.Base
	Period  visitdb.Period
	Region  string
	Total   visitdb.Coverage
	Rows    []visitdb.Coverage
	List    string
	Lists   []string
	Items   []visitdb.Listed
	Count   int
	Pager   core.Pager
	Figures visitdb.Figures
	By      string
	ByRows  []visitdb.Figures
	Depts   []visitdb.DepartmentFigures
}

// coveragePage is a region's coverage and figures, a list of its
// enterprises to look at, and the figures by region, recorder or unit.
func (s *Handlers) coveragePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := r.URL.Query()
	p := &coverageData{Period: s.period(r), Region: q.Get("region"), List: q.Get("list"), Lists: visitdb.Lists, By: q.Get("by")}
	if p.List == "" {
		p.List = visitdb.ListUnvisited
	}
	if p.By == "" {
		p.By = visitdb.ByRegion
	}
	code := http.StatusOK
	var err error
	p.Total, p.Rows, err = s.visits.CoverageOf(r.Context(), a, p.Region, p.Period)
	if err == nil {
		p.Figures, p.ByRows, err = s.visits.FiguresOf(r.Context(), a, p.Region, p.Period, p.By)
	}
	if err == nil {
		p.Depts, err = s.visits.DepartmentFiguresOf(r.Context(), a, p.Region, p.Period)
	}
	if err == nil {
		page := core.PageOf(r)
		p.Items, p.Count, err = s.visits.List(r.Context(), a, p.Region, p.List, page)
		p.Pager = core.NewPager(r, page, p.Count)
	}
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p.Errors, code = msgs, http.StatusUnprocessableEntity
	}
	p.Title = s.T(core.LangOf(r), "vi.coverage")
	s.Render(w, r, code, "visit_coverage", p)
	return nil
}

type topicsData struct {
	core.Base
	Items []visit.Topic
	State string
}

func (s *Handlers) topicsPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	state := r.URL.Query().Get("state")
	if state != visit.TopicOpen && state != visit.TopicAnswered {
		state = ""
	}
	list, err := s.visits.Topics(r.Context(), a, state)
	if err != nil {
		return err
	}
	p := &topicsData{Items: list, State: state}
	p.Title = s.T(core.LangOf(r), "vi.topics")
	s.Render(w, r, http.StatusOK, "topics", p)
	return nil
}

type topicData struct {
	core.Base
	Topic       visit.Topic
	Concerned   []visitdb.Concerned
	MayAnswer   bool
	MayEscalate bool // a street's topic its leaders may send up to the district
	Answer      string
	Reason      string
}

func (s *Handlers) topicPage(w http.ResponseWriter, r *http.Request) error {
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	return s.showTopic(w, r, id, &topicData{}, http.StatusOK)
}

func (s *Handlers) showTopic(w http.ResponseWriter, r *http.Request, id int64, p *topicData, code int) error {
	a, _ := core.ActorOf(r)
	t, concerned, err := s.visits.Topic(r.Context(), a, id)
	if err != nil {
		return err
	}
	p.Topic, p.Concerned = t, concerned
	p.MayAnswer = t.State == visit.TopicOpen && access.Allows(a, access.TopicAnswer, access.Target{Place: place.AncestryOf(t.RegionCode)})
	p.MayEscalate = t.State == visit.TopicOpen && visitdb.MayEscalate(a, t)
	p.Title = t.Title
	s.Render(w, r, code, "topic", p)
	return nil
}

func (s *Handlers) answerPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	if _, err := s.visits.AnswerTopic(r.Context(), a, id, r.FormValue("answer"), version); err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &topicData{Answer: r.FormValue("answer")}
		p.Errors = msgs
		return s.showTopic(w, r, id, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/topics/%d", id), "vi.answered", "")
	return nil
}

// Pct formats a rate in percent for the page, "—" when there is none.
func (p *coverageData) Pct(f float64) string { return pct(f) }

type reportData struct {
	core.Base
	Prefill  visitdb.Prefill
	In       visitdb.Report
	Category appeal.Categories
}

// newTopicPage is the form that puts an enterprise's problem, found
// elsewhere than on a visit (a survey's answers), under a common problem.
func (s *Handlers) newTopicPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	id, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	in := visitdb.Report{EnterpriseID: id, Text: clipText(q.Get("text"), visit.MaxText), Category: q.Get("category"), Ref: q.Get("ref")}
	return s.showReport(w, r, &reportData{In: in}, http.StatusOK)
}

func (s *Handlers) showReport(w http.ResponseWriter, r *http.Request, p *reportData, code int) error {
	a, _ := core.ActorOf(r)
	var err error
	if p.Prefill, err = s.visits.PrefillFor(r.Context(), a, p.In.EnterpriseID); err != nil {
		return err
	}
	if p.Category, err = s.appeals.Categories(r.Context()); err != nil {
		return err
	}
	p.Title = s.T(core.LangOf(r), "vi.report")
	s.Render(w, r, code, "topic_report", p)
	return nil
}

func (s *Handlers) reportPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, _ := strconv.ParseInt(r.FormValue("enterprise"), 10, 64)
	topic, _ := strconv.ParseInt(r.FormValue("topic_id"), 10, 64)
	in := visitdb.Report{EnterpriseID: id, TopicID: topic, Title: r.FormValue("title"), Text: r.FormValue("text"),
		Category: r.FormValue("category"), Ref: r.FormValue("ref")}
	t, err := s.visits.ReportCommon(r.Context(), a, in)
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &reportData{In: in}
		p.Errors = msgs
		return s.showReport(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/topics/%d", t.ID), "vi.reported", "")
	return nil
}

// clipText cuts a prefilled text to n characters.
func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func (s *Handlers) escalatePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	if _, err := s.visits.EscalateTopic(r.Context(), a, id, r.FormValue("reason"), version); err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &topicData{Reason: r.FormValue("reason")}
		p.Errors = msgs
		return s.showTopic(w, r, id, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/topics/%d", id), "vi.escalated", "")
	return nil
}
