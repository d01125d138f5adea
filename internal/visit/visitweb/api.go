package visitweb

import (
	"net/http"
	"strconv"

	"qifu/internal/dossier"
	"qifu/internal/visit"
	"qifu/internal/visit/visitdb"
	"qifu/internal/web/core"
)

// exampleVisit is the example body of recording a visit.
var exampleVisit = visit.Visit{EnterpriseID: 1, Kind: visit.Joint, On: "2026-12-04",
	Visitors:  []visit.Visitor{{UserID: 7, Name: "王网格", Unit: "和美社区"}, {Name: "李科长", Unit: "区人力社保局"}},
	Situation: visit.Situation{Operation: "正常生产", Orders: "订单平稳", Employees: 48},
	Problems: []visit.Problem{
		{Text: "新招员工缺少岗前培训场地", Category: "labour.recruit", Outcome: visit.Solved, Action: "联系社区党群服务中心提供培训教室"},
		{Text: "出口退税迟迟未到账，资金周转紧张", Category: "trade", Outcome: visit.Raised},
		{Text: "园区晚间公交停运，夜班员工通勤难", Category: "logistics", Outcome: visit.Common, TopicTitle: "园区夜班公交停运"},
	}}

// visitOut is a visit as the API gives it: its team and problems are
// arrays, empty when there are none (a list's visits carry neither: GET
// /api/v1/visits/{id} has them).
func visitOut(v visit.Visit) visit.Visit {
	if v.Visitors == nil {
		v.Visitors = []visit.Visitor{}
	}
	if v.Problems == nil {
		v.Problems = []visit.Problem{}
	}
	return v
}

func (s *Handlers) apiRecord(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in visit.Visit
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	v, err := s.visits.Record(r.Context(), a, in, r.Header.Get("Idempotency-Key"))
	if err != nil && v.ID == 0 {
		return err
	}
	// Recorded; a problem that could not become an appeal yet shows appeal_id 0 (POST …/raise retries).
	core.WriteJSON(w, http.StatusCreated, visitOut(v))
	return nil
}

func (s *Handlers) apiVisits(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := r.URL.Query()
	id, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	page := core.PageOf(r)
	list, total, err := s.visits.Visits(r.Context(), a, visitdb.VisitQuery{EnterpriseID: id, Region: q.Get("region"), Mine: q.Get("mine") == "1", Page: page})
	if err != nil {
		return err
	}
	if list == nil {
		list = []visit.Visit{}
	}
	for i := range list {
		list[i] = visitOut(list[i])
	}
	core.WriteJSON(w, http.StatusOK, core.List[visit.Visit]{Items: list, Total: total})
	return nil
}

func (s *Handlers) apiVisit(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.visits.Visit(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, visitOut(v))
	return nil
}

// prefillJSON is what a new visit to an enterprise starts from.
type prefillJSON struct {
	EnterpriseID int64           `json:"enterprise_id"`
	Enterprise   string          `json:"enterprise"`
	Kind         visit.Kind      `json:"kind"`
	Visitors     []visit.Visitor `json:"visitors"`
	Situation    visit.Situation `json:"situation"`
	Facts        []factJSON      `json:"facts"`
	LastOn       string          `json:"last_on,omitempty"`
	Topics       []visit.Topic   `json:"open_topics"`
}

type factJSON struct {
	Kind   string         `json:"kind"`
	Period string         `json:"period"`
	Num    int64          `json:"num,omitempty"`
	Text   string         `json:"text,omitempty"`
	Source dossier.Source `json:"source"`
}

func (s *Handlers) apiPrefill(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, _ := strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64)
	p, err := s.visits.PrefillFor(r.Context(), a, id)
	if err != nil {
		return err
	}
	out := prefillJSON{EnterpriseID: p.Enterprise.ID, Enterprise: p.Enterprise.Name, Kind: p.Kind, Visitors: p.Visitors,
		Situation: p.Situation, LastOn: p.LastOn, Facts: []factJSON{}, Topics: p.Topics}
	if out.Topics == nil {
		out.Topics = []visit.Topic{}
	}
	for _, f := range p.Facts {
		out.Facts = append(out.Facts, factJSON{Kind: f.Kind, Period: f.Period, Num: f.Num, Text: f.Text, Source: f.Source})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// confirmInput is the enterprise's answer to a visit.
type confirmInput struct {
	Feedback visit.Feedback `json:"feedback"`
	Note     string         `json:"note,omitempty"`
	Version  int64          `json:"version"`
}

func (s *Handlers) apiConfirm(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in confirmInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return core.ErrVersionRequired
	}
	v, err := s.visits.Confirm(r.Context(), a, id, in.Feedback, in.Note, in.Version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, visitOut(v))
	return nil
}

func (s *Handlers) apiRaise(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.visits.RaisePending(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, visitOut(v))
	return nil
}

// coverageJSON is a region's coverage, in total and one level down.
type coverageJSON struct {
	From  string        `json:"from"`
	To    string        `json:"to"`
	Total coverageRow   `json:"total"`
	Rows  []coverageRow `json:"rows"`
}

type coverageRow struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	Enterprises    int    `json:"enterprises"`
	WithGridWorker int    `json:"with_grid_worker"`
	KeyEnterprises int    `json:"key_enterprises"`
	KeyWithCadre   int    `json:"key_with_cadre"`
	Projects       int    `json:"key_projects"`
	ProjectsCadre  int    `json:"key_projects_with_cadre"`
	Visited        int    `json:"visited"`
	Unvisited      int    `json:"unvisited_90_days"`
	TooOften       int    `json:"visited_too_often"`
}

func toCoverageRow(c visitdb.Coverage) coverageRow {
	return coverageRow{Code: c.Code, Name: c.Name, Enterprises: c.Enterprises, WithGridWorker: c.WithGridWorker, KeyEnterprises: c.KeyEnterprises,
		KeyWithCadre: c.KeyWithCadre, Projects: c.Projects, ProjectsCadre: c.ProjectsCadre, Visited: c.Visited, Unvisited: c.Unvisited, TooOften: c.TooOften}
}

func (s *Handlers) apiCoverage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	p := s.period(r)
	total, rows, err := s.visits.CoverageOf(r.Context(), a, r.URL.Query().Get("region"), p)
	if err != nil {
		return err
	}
	out := coverageJSON{From: p.From, To: p.To, Total: toCoverageRow(total), Rows: []coverageRow{}}
	for _, c := range rows {
		out.Rows = append(out.Rows, toCoverageRow(c))
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// listedJSON is an enterprise of a coverage list.
type listedJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Grid     string `json:"grid_code"`
	KeyLevel string `json:"key_level,omitempty"`
	LastOn   string `json:"last_visited_on,omitempty"`
	Units    int    `json:"units,omitempty"`
}

func (s *Handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	page := core.PageOf(r)
	list, total, err := s.visits.List(r.Context(), a, r.URL.Query().Get("region"), r.PathValue("list"), page)
	if err != nil {
		return err
	}
	out := core.List[listedJSON]{Items: []listedJSON{}, Total: total}
	for _, x := range list {
		out.Items = append(out.Items, listedJSON{ID: x.ID, Name: x.Name, Grid: x.Grid, KeyLevel: x.KeyLevel, LastOn: x.LastOn, Units: x.Units})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// figuresJSON are the figures of visits under a region, in total and grouped.
type figuresJSON struct {
	From  string       `json:"from"`
	To    string       `json:"to"`
	By    string       `json:"by"`
	Total figuresRow   `json:"total"`
	Rows  []figuresRow `json:"rows"`
}

type figuresRow struct {
	Key            string   `json:"key"`
	Name           string   `json:"name,omitempty"`
	Visits         int      `json:"visits"`
	Enterprises    int      `json:"enterprises"`
	Problems       int      `json:"problems_collected"`
	Solved         int      `json:"problems_solved"`
	SolvedOnSpot   int      `json:"solved_on_spot"`
	Raised         int      `json:"raised_as_appeals"`
	RaisedClosed   int      `json:"appeals_closed"`
	Common         int      `json:"common_problems"`
	CommonAnswered int      `json:"common_answered"`
	SolvedRate     *float64 `json:"solved_rate,omitempty"` // percent
	Confirmed      int      `json:"confirmed"`
	Satisfied      int      `json:"satisfied"`
	Basic          int      `json:"basically_satisfied"`
	Unsatisfied    int      `json:"unsatisfied"`
	NotVisited     int      `json:"said_not_visited"`
	SatisfiedRate  *float64 `json:"satisfied_rate,omitempty"` // percent
}

func toFiguresRow(f visitdb.Figures) figuresRow {
	out := figuresRow{Key: f.Key, Name: f.Name, Visits: f.Visits, Enterprises: f.Enterprises, Problems: f.Problems, Solved: f.Solved(),
		SolvedOnSpot: f.SolvedOnSpot, Raised: f.Raised, RaisedClosed: f.RaisedClosed, Common: f.Common, CommonAnswered: f.CommonAnswered,
		Confirmed: f.Confirmed, Satisfied: f.Satisfied, Basic: f.Basic, Unsatisfied: f.Unsatisfied, NotVisited: f.NotVisited}
	if r := f.SolvedRate(); r >= 0 {
		out.SolvedRate = &r
	}
	if r := f.SatisfiedRate(); r >= 0 {
		out.SatisfiedRate = &r
	}
	return out
}

func (s *Handlers) apiFigures(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	p := s.period(r)
	by := r.URL.Query().Get("by")
	if by == "" {
		by = visitdb.ByRegion
	}
	total, rows, err := s.visits.FiguresOf(r.Context(), a, r.URL.Query().Get("region"), p, by)
	if err != nil {
		return err
	}
	out := figuresJSON{From: p.From, To: p.To, By: by, Total: toFiguresRow(total), Rows: []figuresRow{}}
	for _, f := range rows {
		out.Rows = append(out.Rows, toFiguresRow(f))
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Handlers) apiTopics(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, err := s.visits.Topics(r.Context(), a, r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []visit.Topic{}
	}
	core.WriteJSON(w, http.StatusOK, core.Items[visit.Topic]{Items: list})
	return nil
}

// topicJSON is a common problem with the enterprises it concerns.
type topicJSON struct {
	Topic     visit.Topic     `json:"topic"`
	Concerned []concernedJSON `json:"concerned"`
}

type concernedJSON struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Enterprise   string `json:"enterprise"`
	VisitID      int64  `json:"visit_id"`
	Problem      string `json:"problem"`
	On           string `json:"on"`
}

func (s *Handlers) apiTopic(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	t, list, err := s.visits.Topic(r.Context(), a, id)
	if err != nil {
		return err
	}
	out := topicJSON{Topic: t, Concerned: []concernedJSON{}}
	for _, c := range list {
		out.Concerned = append(out.Concerned, concernedJSON{EnterpriseID: c.EnterpriseID, Enterprise: c.Enterprise, VisitID: c.VisitID, Problem: c.Text, On: c.On})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// answerInput answers a common problem.
type answerInput struct {
	Answer  string `json:"answer"`
	Version int64  `json:"version"`
}

func (s *Handlers) apiAnswer(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in answerInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return core.ErrVersionRequired
	}
	t, err := s.visits.AnswerTopic(r.Context(), a, id, in.Answer, in.Version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, t)
	return nil
}

// reportInput puts an enterprise's problem under a common problem.
type reportInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	TopicID      int64  `json:"topic_id,omitempty"` // an open one of its street or district
	Title        string `json:"title,omitempty"`    // or a new one's
	Text         string `json:"text"`
	Category     string `json:"category"`
	Ref          string `json:"ref,omitempty"` // the record it came from: "campaign:3"
}

func (s *Handlers) apiReport(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in reportInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	t, err := s.visits.ReportCommon(r.Context(), a, visitdb.Report{EnterpriseID: in.EnterpriseID, TopicID: in.TopicID, Title: in.Title,
		Text: in.Text, Category: in.Category, Ref: in.Ref})
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, t)
	return nil
}

// escalateInput sends a street's common problem up to the district.
type escalateInput struct {
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

func (s *Handlers) apiEscalate(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in escalateInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return core.ErrVersionRequired
	}
	t, err := s.visits.EscalateTopic(r.Context(), a, id, in.Reason, in.Version)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, t)
	return nil
}
