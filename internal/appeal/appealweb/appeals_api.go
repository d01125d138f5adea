package appealweb

import (
	"encoding/json"
	"net/http"
	"qifu/internal/web/core"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/fault"
)

// AppealRowJSON is one line of an appeal list in the API.
type AppealRowJSON struct {
	ID         int64          `json:"id"`
	Number     string         `json:"number"`
	Title      string         `json:"title"`
	Type       appeal.Type    `json:"type"`
	Category   string         `json:"category"`
	Urgency    appeal.Urgency `json:"urgency"`
	State      appeal.State   `json:"state"`
	Enterprise string         `json:"enterprise"`
	Lead       string         `json:"lead,omitempty"`
	CreatedAt  time.Time      `json:"created_at"`
	Due        time.Time      `json:"due,omitzero"`
	Colour     appeal.Colour  `json:"colour,omitempty"` // green, yellow or red: of the nearest open step
	UrgeCount  int            `json:"urge_count"`
	Version    int64          `json:"version"`
}

func toAppealRowJSON(r appealdb.AppealRow) AppealRowJSON {
	return AppealRowJSON{ID: r.ID, Number: r.Number, Title: r.Title, Type: r.Type, Category: r.Category, Urgency: r.Urgency,
		State: r.State, Enterprise: r.Enterprise, Lead: r.Lead, CreatedAt: r.CreatedAt.UTC(), Due: utcOrZero(r.Due),
		Colour: r.Colour, UrgeCount: r.UrgeCount, Version: r.Version}
}

// AppealJSON is an appeal in the API.
type AppealJSON struct {
	ID           int64          `json:"id"`
	Number       string         `json:"number"`
	Channel      appeal.Channel `json:"channel"`
	Type         appeal.Type    `json:"type"`
	Category     string         `json:"category"`
	StandardCode string         `json:"standard_code,omitempty"`
	Title        string         `json:"title"`
	Content      string         `json:"content"`
	Urgency      appeal.Urgency `json:"urgency"`
	EnterpriseID int64          `json:"enterprise_id"`
	CreditCode   string         `json:"credit_code"`
	Enterprise   string         `json:"enterprise"`
	Contact      string         `json:"contact"`
	Phone        string         `json:"phone"`
	Confidential bool           `json:"confidential"`
	About        int64          `json:"about_department,omitempty"` // a complaint's: the department it is about
	SourceRef    string         `json:"source_ref,omitempty"`       // a connected system's reference of it
	GridCode     string         `json:"grid_code"`
	State        appeal.State   `json:"state"`
	CaseID       int64          `json:"case_id,omitempty"`
	LeadID       int64          `json:"lead_id,omitempty"`
	Result       appeal.Result  `json:"result,omitempty"`
	Reply        string         `json:"reply,omitempty"`
	Rating       appeal.Rating  `json:"rating,omitempty"`
	RatingNote   string         `json:"rating_note,omitempty"`
	RedoCount    int            `json:"redo_count"`
	UrgeCount    int            `json:"urge_count"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
	ClosedAt     time.Time      `json:"closed_at,omitzero"`
	Version      int64          `json:"version"`
}

func toAppealJSON(a appeal.Appeal) AppealJSON {
	return AppealJSON{ID: a.ID, Number: a.Number, Channel: a.Channel, Type: a.Type, Category: a.Category,
		StandardCode: a.StandardCode, Title: a.Title, Content: a.Content, Urgency: a.Urgency, EnterpriseID: a.EnterpriseID,
		CreditCode: a.CreditCode, Enterprise: a.Enterprise, Contact: a.Contact, Phone: a.Phone, Confidential: a.Confidential,
		About: a.About, SourceRef: a.SourceRef, GridCode: a.GridCode, State: a.State, CaseID: a.CaseID, LeadID: a.LeadID, Result: a.Result, Reply: a.Reply,
		Rating: a.Rating, RatingNote: a.RatingNote, RedoCount: a.RedoCount, UrgeCount: a.UrgeCount,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC(), ClosedAt: utcOrZero(a.ClosedAt), Version: a.Version}
}

// AppealViewJSON is one appeal with what its page shows: the departments'
// parts, the clocks, the timeline and the actions the caller may take now.
type AppealViewJSON struct {
	AppealJSON
	Lead        string           `json:"lead,omitempty"`
	Parties     []appeal.Party   `json:"parties"`
	Actions     []appeal.Action  `json:"actions"`
	Dispatches  []DispatchJSON   `json:"dispatches"`
	Steps       []StepJSON       `json:"steps"`
	Timeline    []EventJSON      `json:"timeline"`
	Extensions  []ExtensionJSON  `json:"extensions"`
	Merged      []AppealJSON     `json:"merged"`
	Attachments []AttachmentJSON `json:"attachments"`
}

type DispatchJSON struct {
	ID           int64                 `json:"id"`
	DepartmentID int64                 `json:"department_id"`
	Department   string                `json:"department"`
	Role         appeal.Party          `json:"role"`
	Status       appeal.DispatchStatus `json:"status"`
	Instruction  string                `json:"instruction,omitempty"`
	Due          time.Time             `json:"due,omitzero"`
	SignedAt     time.Time             `json:"signed_at,omitzero"`
	Answer       string                `json:"answer,omitempty"`
	AnsweredAt   time.Time             `json:"answered_at,omitzero"`
	Reason       string                `json:"reason,omitempty"`
	OfficeID     int64                 `json:"office_id,omitempty"`
	Office       string                `json:"office,omitempty"`
	Active       bool                  `json:"active"`
}

type StepJSON struct {
	ID           int64         `json:"id"`
	Step         appeal.Step   `json:"step"`
	DepartmentID int64         `json:"department_id,omitempty"`
	Department   string        `json:"department,omitempty"`
	Started      time.Time     `json:"started"`
	Due          time.Time     `json:"due"`
	Done         time.Time     `json:"done,omitzero"`
	Paused       bool          `json:"paused"`
	Colour       appeal.Colour `json:"colour,omitempty"`
	Used         float64       `json:"used"` // share of the limit used
}

type EventJSON struct {
	ID           int64           `json:"id"`
	At           time.Time       `json:"at"`
	ActorID      int64           `json:"actor_id,omitempty"`
	ActorName    string          `json:"actor_name,omitempty"`
	Role         access.Role     `json:"role"`
	Action       string          `json:"action"`
	From         appeal.State    `json:"from,omitempty"`
	To           appeal.State    `json:"to,omitempty"`
	DepartmentID int64           `json:"department_id,omitempty"`
	Department   string          `json:"department,omitempty"`
	Note         string          `json:"note,omitempty"`
	Detail       json.RawMessage `json:"detail,omitempty"`
	Public       bool            `json:"public"`
}

type ExtensionJSON struct {
	ID          int64                  `json:"id"`
	DispatchID  int64                  `json:"dispatch_id"`
	RequestedAt time.Time              `json:"requested_at"`
	Reason      string                 `json:"reason"`
	ProposedDue time.Time              `json:"proposed_due"`
	Status      appeal.ExtensionStatus `json:"status"`
	DecidedAt   time.Time              `json:"decided_at,omitzero"`
	Note        string                 `json:"note,omitempty"`
}

// toAppealViewJSON writes a view as the store gave it to the caller (an
// enterprise's is already without what the administration writes to itself).
func toAppealViewJSON(v appealdb.AppealView) AppealViewJSON {
	out := AppealViewJSON{AppealJSON: toAppealJSON(v.Appeal), Lead: v.Lead, Parties: orEmpty(v.Parties),
		Actions: orEmpty(v.Actions), Dispatches: []DispatchJSON{}, Steps: []StepJSON{}, Timeline: []EventJSON{},
		Extensions: []ExtensionJSON{}, Merged: []AppealJSON{}, Attachments: []AttachmentJSON{}}
	for _, d := range v.Dispatches {
		out.Dispatches = append(out.Dispatches, DispatchJSON{ID: d.ID, DepartmentID: d.DepartmentID, Department: d.Department,
			Role: d.Role, Status: d.Status, Instruction: d.Instruction, Due: utcOrZero(d.Due), SignedAt: utcOrZero(d.SignedAt),
			Answer: d.Answer, AnsweredAt: utcOrZero(d.AnsweredAt), Reason: d.Reason, Active: d.Active, OfficeID: d.OfficeID, Office: d.Office})
	}
	for _, c := range v.Steps {
		out.Steps = append(out.Steps, StepJSON{ID: c.ID, Step: c.Step, DepartmentID: c.DepartmentID, Department: c.Department,
			Started: c.Started.UTC(), Due: c.Due.UTC(), Done: utcOrZero(c.Done), Paused: c.Paused, Colour: c.Colour, Used: c.Used})
	}
	for _, e := range v.Events {
		ev := EventJSON{ID: e.ID, At: e.At.UTC(), ActorID: e.ActorID, ActorName: e.ActorName, Role: e.Role, Action: e.Action,
			From: e.From, To: e.To, DepartmentID: e.DepartmentID, Department: e.Department, Note: e.Note, Public: e.Public}
		if json.Valid([]byte(e.Detail)) {
			ev.Detail = json.RawMessage(e.Detail)
		}
		out.Timeline = append(out.Timeline, ev)
	}
	for _, x := range v.Extensions {
		out.Extensions = append(out.Extensions, ExtensionJSON{ID: x.ID, DispatchID: x.DispatchID, RequestedAt: x.RequestedAt.UTC(),
			Reason: x.Reason, ProposedDue: x.ProposedDue.UTC(), Status: x.Status, DecidedAt: utcOrZero(x.DecidedAt), Note: x.Note})
	}
	for _, m := range v.Merged {
		out.Merged = append(out.Merged, toAppealJSON(m))
	}
	for _, a := range v.Attachments {
		out.Attachments = append(out.Attachments, toAttachmentJSON(a))
	}
	return out
}

// isPublic reports whether the actor sees appeals as their enterprise does.
func isPublic(a access.Actor) bool { return a.Role == access.RoleEnterprise }

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// queueNames are the queues a list may ask for; "all" is everything in scope.
var queueNames = map[string]string{
	"all": appealdb.QueueAll, "": appealdb.QueueAll, "triage": appealdb.QueueTriage, "to_sign": appealdb.QueueToSign,
	"in_hand": appealdb.QueueInHand, "overdue": appealdb.QueueOverdue, "to_rate": appealdb.QueueToRate, "tracking": appealdb.QueueTracking,
}

// appealQuery reads the list filters shared by pages and API; dates are
// YYYY-MM-DD in China time (to inclusive) or RFC 3339 instants.
func appealQuery(r *http.Request) (appealdb.AppealQuery, error) {
	q := r.URL.Query()
	f := fault.Fields{}
	queue, ok := queueNames[q.Get("queue")]
	if !ok {
		f.Add("queue", "未知的列表", "unknown queue")
	}
	aq := appealdb.AppealQuery{Queue: queue, State: appeal.State(q.Get("state")), Category: q.Get("category"),
		Region: q.Get("region"), Text: strings.TrimSpace(q.Get("q")), SourceRef: strings.TrimSpace(q.Get("source_ref")), Page: core.PageOf(r)}
	if d := q.Get("department"); d != "" {
		id, err := strconv.ParseInt(d, 10, 64)
		if err != nil || id <= 0 {
			f.Add("department", "部门编号不正确", "bad department id")
		}
		aq.Department = id
	}
	if aq.State != "" && !oneOfStates(aq.State) {
		f.Add("state", "未知的状态", "unknown state")
	}
	var err error
	if aq.From, err = parseDay(q.Get("from"), false); err != nil {
		f.Add("from", "日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD")
	}
	if aq.To, err = parseDay(q.Get("to"), true); err != nil {
		f.Add("to", "日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD")
	}
	return aq, f.Err()
}

func oneOfStates(s appeal.State) bool {
	for _, x := range appeal.States {
		if x == s {
			return true
		}
	}
	return false
}

// parseDay reads a date (YYYY-MM-DD, China time) or an RFC 3339 instant; a
// date that ends a period (end) means the end of that day.
func parseDay(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, calendar.Shanghai); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

func (s *Handlers) apiAppeals(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q, err := appealQuery(r)
	if err != nil {
		return err
	}
	list, total, err := s.appeals.Appeals(r.Context(), a, q)
	if err != nil {
		return err
	}
	out := core.List[AppealRowJSON]{Items: []AppealRowJSON{}, Total: min(total, appealdb.CountCap), More: total > appealdb.CountCap,
		Page: q.Page.Number, Size: core.PageSize(q.Page)}
	for _, row := range list {
		out.Items = append(out.Items, toAppealRowJSON(row))
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// apiCreateAppeal raises an appeal. An Idempotency-Key header makes a retry
// safe: the retry answers 200 with the appeal the first call created.
func (s *Handlers) apiCreateAppeal(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in appeal.Input
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	created, replayed, err := s.appeals.CreateAppeal(r.Context(), a, in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/appeals/"+strconv.FormatInt(created.ID, 10))
	code := http.StatusCreated
	if replayed {
		code = http.StatusOK
	}
	core.WriteJSON(w, code, toAppealJSON(created))
	return nil
}

func (s *Handlers) apiAppeal(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.appeals.Appeal(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, toAppealViewJSON(v))
	return nil
}

// ActionInput is the body of a step on an appeal; each action reads the
// fields it needs (appeal.Bodies; the API document gives each its own).
type ActionInput struct {
	Version     int64         `json:"version"`
	Note        string        `json:"note,omitempty"`
	Public      bool          `json:"public,omitempty"`
	Lead        int64         `json:"lead,omitempty"`
	Assists     []int64       `json:"assists,omitempty"`
	Offices     []int64       `json:"offices,omitempty"`
	Due         string        `json:"due,omitempty"` // RFC 3339
	Result      appeal.Result `json:"result,omitempty"`
	Rating      appeal.Rating `json:"rating,omitempty"`
	Via         string        `json:"via,omitempty"`
	CaseID      int64         `json:"case_id,omitempty"`
	ExtensionID int64         `json:"extension_id,omitempty"`
	Approve     bool          `json:"approve,omitempty"`
	Departments []int64       `json:"departments,omitempty"`
}

func (in ActionInput) command(action appeal.Action) (appeal.Command, error) {
	c := appeal.Command{Action: action, Version: in.Version, Note: in.Note, Public: in.Public, Lead: in.Lead,
		Assists: in.Assists, Offices: in.Offices, Result: in.Result, Rating: in.Rating, Via: in.Via, CaseID: in.CaseID,
		ExtensionID: in.ExtensionID, Approve: in.Approve, Departments: in.Departments}
	if in.Due != "" {
		t, err := time.Parse(time.RFC3339, in.Due)
		if err != nil {
			return c, fault.Fields{"due": {Zh: "期限应为 RFC 3339 格式的时间", En: "due must be an RFC 3339 time"}}.Err()
		}
		c.Due = t
	}
	return c, nil
}

// apiAct takes one step on an appeal and answers with the appeal as the
// caller now sees it: 409 when the version is stale or the state has moved.
func (s *Handlers) apiAct(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in ActionInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	c, err := in.command(appeal.Action(r.PathValue("action")))
	if err != nil {
		return err
	}
	after, err := s.appeals.Act(r.Context(), a, id, c)
	if err != nil {
		return err
	}
	v, err := s.appeals.Appeal(r.Context(), a, id)
	if fault.Is(err, fault.NotFound) {
		// The step took the appeal out of the caller's sight: its new state is all there is to say.
		core.WriteJSON(w, http.StatusOK, AppealViewJSON{AppealJSON: toAppealJSON(after), Parties: []appeal.Party{},
			Actions: []appeal.Action{}, Dispatches: []DispatchJSON{}, Steps: []StepJSON{}, Timeline: []EventJSON{},
			Extensions: []ExtensionJSON{}, Merged: []AppealJSON{}, Attachments: []AttachmentJSON{}})
		return nil
	}
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, toAppealViewJSON(v))
	return nil
}

func (s *Handlers) apiAppealCategories(w http.ResponseWriter, r *http.Request) error {
	cats, err := s.appeals.Categories(r.Context())
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, core.Items[appeal.Category]{Items: orEmpty(cats)})
	return nil
}
