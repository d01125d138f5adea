package appealweb

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/web/core"
)

// appealPageData is one appeal: its facts, clocks, the departments' parts,
// the timeline, and a form for each step the actor may take now.
// EventNote is an event's note as the page says it: an alert's note is the
// scheduler's Chinese sentence of its rung, step and title, which the
// action's words already say in English.
func (p *appealPageData) EventNote(e appealdb.Event) string {
	if p.Lang == "en" && strings.HasPrefix(e.Action, "alert.") {
		return ""
	}
	return e.Note
}

type appealPageData struct {
	core.Base
	V            appealdb.AppealView
	Public       bool // the enterprise's view: the public timeline only
	CategoryName string
	Message      string        // why the last step was refused
	Failed       appeal.Action // the step whose form is shown again, with what was typed
	posted       url.Values
	Departments  []deptOption   // for dispatch and joint handling, suggested first
	Offices      []officeOption // the departments' offices a dispatch may go straight to
	Candidates   []mergeCandidate
	Pending      []pendingExtension
	MyDue        time.Time // the deadline of the actor's department's lead part, for an extension
	CanAttach    bool      // the actor may add files now
	Results      []appeal.Result
	Ratings      []appeal.Rating
	Vias         []string
	deptEn       deptNames
}

// FailMsg is the message of the refused step when it was action's: shown
// in its form, beside the fields, as well as at the top.
func (p *appealPageData) FailMsg(action string) string {
	if string(p.Failed) == action {
		return p.Message
	}
	return ""
}

// Dept names a department in the page's language.
func (p *appealPageData) Dept(name string) string { return p.deptEn.in(p.Lang, name) }

// deptNames are the departments' English names by their names; nil on a
// page in Chinese.
type deptNames map[string]string

// in names the department name in lang.
func (d deptNames) in(lang, name string) string {
	if en, ok := d[name]; ok && lang == "en" {
		return en
	}
	return name
}

// deptNamesFor reads the departments' English names for a page in English.
func (s *Handlers) deptNamesFor(r *http.Request) (deptNames, error) {
	if core.LangOf(r) != "en" {
		return nil, nil
	}
	return s.appeals.DepartmentNamesEn(r.Context())
}

// deptOption is a department a form offers.
type deptOption struct {
	ID        int64
	Name      string
	Suggested bool // the category's usual department (推荐)
	Past      int  // times it led on the category's appeals lately
}

// mergeCandidate is an open appeal of the same community the appeal could
// be merged into, with how alike the two are (0–100).
type mergeCandidate struct {
	appealdb.AppealRow
	Score int
}

// pendingExtension is an extension request waiting for a decision.
type pendingExtension struct {
	appealdb.Extension
	Department string
}

// Can reports whether the actor may take action now.
func (p *appealPageData) Can(action string) bool {
	return slices.Contains(p.V.Actions, appeal.Action(action))
}

// OpenSteps are the steps whose clocks still run: a closed appeal has none.
func (p *appealPageData) OpenSteps() []appealdb.StepClock {
	var open []appealdb.StepClock
	for _, s := range p.V.Steps {
		if s.Done.IsZero() {
			open = append(open, s)
		}
	}
	return open
}

// FErr is the message of a field of the form of action, when that form was refused.
func (p *appealPageData) FErr(action, field string) string {
	if string(p.Failed) != action {
		return ""
	}
	return p.Errors[field]
}

// Val is what was typed in a field of the form of action, when that form was refused.
func (p *appealPageData) Val(action, field string) string {
	if string(p.Failed) != action || p.posted == nil {
		return ""
	}
	return p.posted.Get(field)
}

// Has reports whether a refused form of action had value in field (a
// ticked box, a chosen option).
func (p *appealPageData) Has(action, field, value string) bool {
	return string(p.Failed) == action && p.posted != nil && slices.Contains(p.posted[field], value)
}

// Area is a text box of the form of action, for the "area" template.
func (p *appealPageData) Area(action, name, labelKey string) core.Field {
	return core.Field{Name: name, Label: p.T(labelKey), Value: p.Val(action, name), Err: p.FErr(action, name)}
}

// Who says who took a step of the timeline, as the page's reader may know
// them: a department's staff by their department; others by their role,
// with the department the step went to.
func (p *appealPageData) Who(e appealdb.Event) string {
	e.Department = p.Dept(e.Department)
	system := e.ActorID == 0 || strings.HasPrefix(e.ActorName, "system:")
	var parts []string
	if e.ActorName != "" && !system {
		parts = append(parts, e.ActorName)
	}
	switch {
	case system:
		parts = append(parts, p.T("ap.system"))
	case e.Role == access.RoleDepartment && e.Department != "":
		return strings.Join(append(parts, e.Department), " · ")
	default:
		parts = append(parts, p.RoleName(e.Role))
	}
	who := strings.Join(parts, " · ")
	if e.Department != "" {
		who += " → " + e.Department
	}
	return who
}

func (s *Handlers) appealPage(w http.ResponseWriter, r *http.Request) error {
	return s.showAppeal(w, r, &appealPageData{}, http.StatusOK)
}

// showAppeal renders the appeal page with code, filling in p.
func (s *Handlers) showAppeal(w http.ResponseWriter, r *http.Request, p *appealPageData, code int) error {
	a, _ := core.ActorOf(r)
	ctx, lang := r.Context(), core.LangOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.appeals.Appeal(ctx, a, id)
	if err != nil {
		return err
	}
	p.Public = isPublic(a)
	if p.deptEn, err = s.deptNamesFor(r); err != nil {
		return err
	}
	p.V, p.Results, p.Ratings, p.Vias = v, appeal.Results, appeal.Ratings, []string{"phone", "visit", "sms"}
	cats, err := s.appeals.Categories(ctx)
	if err != nil {
		return err
	}
	p.CategoryName = categoryNames(cats, lang)[v.Category]
	if p.Can(string(appeal.Dispatch)) || p.Can(string(appeal.RaiseJoint)) {
		if p.Departments, err = s.departmentOptions(ctx, a, v.ID); err != nil {
			return err
		}
		if p.Offices, err = s.officeOptions(ctx, p.Departments); err != nil {
			return err
		}
	}
	if p.Can(string(appeal.Merge)) {
		if p.Candidates, err = s.mergeCandidates(ctx, a, v.ID); err != nil {
			return err
		}
	}
	for _, x := range v.Extensions {
		if x.Status != appeal.ExtensionPending {
			continue
		}
		pe := pendingExtension{Extension: x}
		for _, d := range v.Dispatches {
			if d.ID == x.DispatchID {
				pe.Department = d.Department
			}
		}
		p.Pending = append(p.Pending, pe)
	}
	for _, d := range v.Dispatches {
		if d.Active && d.Role == appeal.PartyLead && d.DepartmentID == a.DepartmentID && a.DepartmentID != 0 {
			p.MyDue = d.Due
		}
	}
	p.CanAttach = s.opts.Files != nil && v.State.Open() &&
		slices.ContainsFunc(v.Parties, func(x appeal.Party) bool { return x != appeal.PartyLeader })
	p.Title = v.Title
	// Opening the appeal reads its notices: the inbox shows them read.
	if r.Method == http.MethodGet {
		if err := s.store.MarkAppealRead(ctx, a, v.ID); err != nil {
			s.log.Warn("mark an appeal's notices read", "err", err)
		}
	}
	s.Render(w, r, code, "appeal", p)
	return nil
}

// departmentOptions lists the departments serving the appeal's place: those
// its category names first (推荐), then those that most often led on its
// category lately.
func (s *Handlers) departmentOptions(ctx context.Context, a access.Actor, id int64) ([]deptOption, error) {
	list, err := s.appeals.SuggestDepartments(ctx, a, id)
	if err != nil {
		return nil, err
	}
	out := make([]deptOption, 0, len(list))
	for _, d := range list {
		out = append(out, deptOption{ID: d.DepartmentID, Name: d.Name, Suggested: d.ByCategory, Past: d.Past})
	}
	return out, nil
}

// mergeCandidates lists the open appeals of the appeal's community from the
// 30 days before it that it could be merged into, the most alike first.
func (s *Handlers) mergeCandidates(ctx context.Context, a access.Actor, id int64) ([]mergeCandidate, error) {
	list, err := s.appeals.SimilarAppeals(ctx, a, id, 10)
	if err != nil {
		return nil, err
	}
	out := make([]mergeCandidate, 0, len(list))
	for _, m := range list {
		out = append(out, mergeCandidate{AppealRow: m.AppealRow, Score: int(math.Round(m.Score * 100))})
	}
	return out, nil
}

// commandFromForm reads the form of a step; each action reads the fields it needs.
func commandFromForm(r *http.Request, action appeal.Action) (appeal.Command, fault.Fields) {
	f := fault.Fields{}
	c := appeal.Command{Action: action, Note: r.PostFormValue("note"), Public: r.PostFormValue("public") == "1",
		Result: appeal.Result(r.PostFormValue("result")), Rating: appeal.Rating(r.PostFormValue("rating")),
		Via: r.PostFormValue("via"), Approve: r.PostFormValue("approve") == "1"}
	num := func(field string) int64 {
		v := strings.TrimSpace(r.PostFormValue(field))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			f.Add(field, "请重新选择", "choose again")
		}
		return n
	}
	c.Version, c.Lead, c.CaseID, c.ExtensionID = num("version"), num("lead"), num("case_id"), num("extension_id")
	ids := func(field string) []int64 {
		var out []int64
		for _, v := range r.PostForm[field] {
			if v == "" {
				continue // a select's "none"
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				f.Add(field, "请重新选择", "choose again")
				continue
			}
			out = append(out, n)
		}
		return out
	}
	c.Assists, c.Departments, c.Offices = ids("assists"), ids("departments"), ids("offices")
	if due := strings.TrimSpace(r.PostFormValue("due")); due != "" {
		t, err := parseDue(due)
		if err != nil {
			f.Add("due", "日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD")
		}
		c.Due = t
	}
	return c, f
}

// closeOfDay is when office hours end: a deadline given as a date falls then.
const closeOfDay = 17*time.Hour + 30*time.Minute

// parseDue reads a deadline typed as a date (the end of office hours that
// day) or a date and time, in China time.
func parseDue(s string) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, calendar.Shanghai); err == nil {
		return t.Add(closeOfDay), nil
	}
	return time.ParseInLocation("2006-01-02T15:04", s, calendar.Shanghai)
}

// actAppealPage takes a step from the appeal page's form: back to the page
// when done (303); the page again with the form's messages when refused —
// 422 for what was typed, 409 when someone else changed the appeal first.
func (s *Handlers) actAppealPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	action := appeal.Action(r.PathValue("action"))
	if _, ok := appeal.Find(action); !ok {
		return fault.ErrNotFound
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	c, f := commandFromForm(r, action)
	err = f.Err()
	if err == nil {
		if _, err = s.appeals.Act(r.Context(), a, id, c); err == nil {
			s.Done(w, r, "/appeals/"+strconv.FormatInt(id, 10), "flash.step", "act."+string(action))
			return nil
		}
	}
	fe := fault.As(err)
	if fe == nil || fe.Kind != fault.Invalid && fe.Kind != fault.Conflict && fe.Kind != fault.Forbidden {
		return err
	}
	lang := core.LangOf(r)
	p := &appealPageData{Failed: action, posted: r.PostForm}
	switch {
	case fe.Code == fault.ErrConflict.Code:
		p.Message = s.T(lang, "ap.stale")
	case len(fe.Fields) > 0:
		p.Errors = core.FieldErrors(fe.Fields, lang)
		p.Message = fe.Message.In(lang)
		if m, ok := fe.Fields["version"]; ok {
			p.Message = m.In(lang)
		}
	default:
		p.Message = fe.Message.In(lang)
	}
	return s.showAppeal(w, r, p, core.Status(fe.Kind))
}

// officeOption is a department's office offered to a dispatch.
type officeOption struct {
	ID   int64
	Name string // "税务局 · 大碶税务分局"
}

// officeOptions are the offices of the departments offered, by department.
func (s *Handlers) officeOptions(ctx context.Context, depts []deptOption) ([]officeOption, error) {
	offices, err := s.store.Offices(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, d := range depts {
		names[d.ID] = d.Name
	}
	var out []officeOption
	for _, o := range offices {
		if n, ok := names[o.DepartmentID]; ok {
			out = append(out, officeOption{ID: o.ID, Name: n + " · " + o.Name})
		}
	}
	return out, nil
}
