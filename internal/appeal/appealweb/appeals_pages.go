package appealweb

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/web/core"
)

// queuesOf lists the queues a role works from, its default first: the
// enterprise tracks its own, the community triages, departments sign and
// handle, leaders oversee.
func queuesOf(role access.Role) []string {
	switch role {
	case access.RoleEnterprise:
		return []string{"tracking", "to_rate", "all"}
	case access.RoleCadre:
		return []string{"tracking", "all"}
	case access.RoleGridWorker, access.RoleCommunityStaff:
		return []string{"triage", "overdue", "tracking", "all"}
	case access.RoleDepartment:
		return []string{"to_sign", "in_hand", "overdue", "all"}
	}
	return []string{"all", "overdue", "triage"}
}

// QueueTab is one tab of the appeal list: a queue and how many it holds.
type QueueTab struct {
	Queue  string // as in the URL
	Label  string
	Count  int // up to appealdb.CountCap+1
	Active bool
}

// Shown is the count as the page shows it: "10,000+" past the cap.
func (t QueueTab) Shown() string { return CountText(t.Count) }

// CountText writes a count as a page shows it: "10,000+" past the cap.
func CountText(n int) string {
	if n > appealdb.CountCap {
		return fmt.Sprintf("%d,%03d+", appealdb.CountCap/1000, appealdb.CountCap%1000)
	}
	return strconv.Itoa(n)
}

// QueueTabs counts the role's queues.
func (s *Handlers) QueueTabs(ctx context.Context, a access.Actor, lang, active string) ([]QueueTab, error) {
	var tabs []QueueTab
	for _, q := range queuesOf(a.Role) {
		n, err := s.appeals.CountAppeals(ctx, a, appealdb.AppealQuery{Queue: queueNames[q]})
		if err != nil {
			return nil, err
		}
		tabs = append(tabs, QueueTab{Queue: q, Label: s.queueLabel(lang, a.Role, q), Count: n, Active: q == active})
	}
	return tabs, nil
}

// queueLabel names a queue; the enterprise's open appeals are "in progress"
// to it, a community's are the ones it is following.
func (s *Handlers) queueLabel(lang string, role access.Role, q string) string {
	if q == "tracking" && role != access.RoleEnterprise && role != access.RoleCadre {
		return s.T(lang, "queue.open")
	}
	return s.Word(lang, "queue", q)
}

// appealItem is one line of the appeal list with its time left in words.
type appealItem struct {
	appealdb.AppealRow
	Left string
}

// appealsPageData is an appeal list: the role's queues as tabs, filters and
// the appeals with their traffic lights.
type appealsPageData struct {
	core.Base
	Query      appealdb.AppealQuery
	Queue      string
	Tabs       []QueueTab
	Items      []appealItem
	Pager      core.Pager
	TotalText  string // "10,000+" past the count's cap
	Categories appeal.Categories
	CatNames   map[string]string
	States     []appeal.State
	Regions    core.RegionFilter
	From, To   string
	CanRaise   bool
	Mine       bool   // the enterprise's own list (我的诉求)
	ExportURL  string // the same list as a workbook
	deptEn     deptNames
}

// Dept names a department in the page's language.
func (p *appealsPageData) Dept(name string) string { return p.deptEn.in(p.Lang, name) }

func (s *Handlers) appealsPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	ctx, lang := r.Context(), core.LangOf(r)
	queue := r.URL.Query().Get("queue")
	if queue == "" {
		queue = queuesOf(a.Role)[0]
	}
	rq := r.URL.Query()
	rq.Set("queue", queue)
	r.URL.RawQuery = rq.Encode()
	q, err := appealQuery(r)
	if err != nil {
		return err
	}
	list, total, err := s.appeals.Appeals(ctx, a, q)
	if err != nil {
		return err
	}
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		return err
	}
	p := &appealsPageData{Query: q, Queue: queue, Pager: core.NewPager(r, q.Page, min(total, appealdb.CountCap)),
		TotalText: CountText(total), States: appeal.States,
		CanRaise: access.May(a.Role, access.AppealCreate), Mine: a.Role == access.RoleEnterprise,
		From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	eq := r.URL.Query()
	eq.Del("page")
	p.ExportURL = "/appeals/export.xlsx?" + eq.Encode()
	now := time.Now()
	for _, row := range list {
		p.Items = append(p.Items, appealItem{AppealRow: row, Left: s.leftText(lang, cal, now, row.Due)})
	}
	if p.Tabs, err = s.QueueTabs(ctx, a, lang, queue); err != nil {
		return err
	}
	if p.Categories, err = s.appeals.Categories(ctx); err != nil {
		return err
	}
	p.CatNames = categoryNames(p.Categories, lang)
	if p.Regions, err = s.RegionFilter(r, a, q.Region, place.Grid); err != nil {
		return err
	}
	p.Title = s.T(lang, "nav.appeals")
	if p.Mine {
		p.Title = s.T(lang, "nav.myappeals")
	}
	if p.deptEn, err = s.deptNamesFor(r); err != nil {
		return err
	}
	s.Render(w, r, http.StatusOK, "appeals", p)
	return nil
}

// categoryNames maps category codes to names, a child as "parent › child".
func categoryNames(cats appeal.Categories, lang string) map[string]string {
	m := map[string]string{}
	name := func(c appeal.Category) string {
		if lang == "en" && c.NameEn != "" {
			return c.NameEn
		}
		return c.Name
	}
	for _, c := range cats {
		m[c.Code] = name(c)
		if parent, ok := cats.Find(c.Parent); ok && c.Parent != "" {
			m[c.Code] = name(parent) + " › " + name(c)
		}
	}
	return m
}

// leftText says how much working time an open step has left, or by how
// much it is overdue.
func (s *Handlers) leftText(lang string, cal *calendar.Calendar, now, due time.Time) string {
	if due.IsZero() {
		return ""
	}
	if !now.Before(due) {
		return fmt.Sprintf(s.T(lang, "ap.overdueby"), s.workText(lang, cal, cal.Between(due, now)))
	}
	return fmt.Sprintf(s.T(lang, "ap.left"), s.workText(lang, cal, cal.Between(now, due)))
}

func (s *Handlers) workText(lang string, cal *calendar.Calendar, d time.Duration) string {
	if day := cal.WorkdayLength(); day > 0 && d >= day {
		return fmt.Sprintf(s.T(lang, "ap.workdays"), float64(d)/float64(day))
	}
	return fmt.Sprintf(s.T(lang, "ap.workhours"), d.Hours())
}

// appealFormData is the form to raise an appeal: an enterprise's own, or
// one a grid worker, community or cadre enters for an enterprise.
type appealFormData struct {
	core.Base
	In            appeal.Input
	Key           string // the idempotency key: a second submit of this form creates nothing
	Categories    appeal.Categories
	Standards     appeal.Standards
	ForEnterprise bool   // entered on an enterprise's behalf: credit code and channel asked
	Enterprise    string // the enterprise user's enterprise
	Message       string
	Types         []appeal.Type
	Urgencies     []appeal.Urgency
	Channels      []appeal.Channel
	Departments   []appealdb.Department // those a complaint may be about
}

func (s *Handlers) newAppealPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	// A page that raises an appeal from what it shows (a survey's answer)
	// prefills the enterprise, the title and the content; the person
	// raising it reads them and may change them.
	q := r.URL.Query()
	p := &appealFormData{In: appeal.Input{Type: appeal.TypeHelp, Urgency: appeal.Normal, Channel: appeal.ChannelVisit,
		CreditCode: q.Get("credit_code"), Title: clip(q.Get("title"), 60), Content: clip(q.Get("content"), 2000),
		StandardCode: q.Get("standard_code")}}
	if p.In.StandardCode != "" {
		// Asked from the catalogue: the standard's category, and its name as the title.
		stds, err := s.appeals.Standards(r.Context())
		if err != nil {
			return err
		}
		if st, ok := stds.Find(p.In.StandardCode); ok {
			p.In.Category = st.Category
			if p.In.Title == "" {
				p.In.Title = clip(st.Name, 60)
			}
		}
	}
	if a.Role == access.RoleEnterprise {
		u, err := s.store.User(r.Context(), a, a.UserID)
		if err != nil {
			return err
		}
		p.In.Contact, p.In.Phone, p.In.Channel = u.Name, u.Phone, appeal.ChannelWeb
	}
	return s.renderAppealForm(w, r, a, p, http.StatusOK)
}

func (s *Handlers) renderAppealForm(w http.ResponseWriter, r *http.Request, a access.Actor, p *appealFormData, code int) error {
	if p.Key == "" {
		p.Key = rand.Text()
	}
	var err error
	if p.Categories, err = s.appeals.Categories(r.Context()); err != nil {
		return err
	}
	all, err := s.appeals.Standards(r.Context())
	if err != nil {
		return err
	}
	today := s.store.Now().In(calendar.Shanghai).Format("2006-01-02")
	p.Standards = nil
	for _, st := range all {
		if st.InForce(today) || st.Code == p.In.StandardCode {
			p.Standards = append(p.Standards, st) // those offered, and the one asked for (refused by name if withdrawn)
		}
	}
	if a.Role == access.RoleEnterprise {
		e, err := s.store.Enterprise(r.Context(), a, a.EnterpriseID)
		if err != nil {
			return err
		}
		p.In.CreditCode, p.Enterprise = e.CreditCode, e.Name
	} else {
		p.ForEnterprise = true
	}
	if p.Departments, err = s.appeals.ComplaintDepartments(r.Context(), a); err != nil {
		return err
	}
	p.Types, p.Urgencies = appeal.Types, appeal.Urgencies
	p.Channels = []appeal.Channel{appeal.ChannelVisit, appeal.ChannelHotline, appeal.ChannelWalkIn}
	p.Title = s.T(core.LangOf(r), "ap.raise")
	s.Render(w, r, code, "appeal_form", p)
	return nil
}

func appealInputFromForm(r *http.Request) appeal.Input {
	return appeal.Input{Channel: appeal.Channel(r.FormValue("channel")), Type: appeal.Type(r.FormValue("type")),
		Category: r.FormValue("category"), StandardCode: r.FormValue("standard_code"), Title: r.FormValue("title"), Content: r.FormValue("content"),
		Urgency: appeal.Urgency(r.FormValue("urgency")), CreditCode: r.FormValue("credit_code"),
		Contact: r.FormValue("contact"), Phone: r.FormValue("phone"), Confidential: r.FormValue("confidential") == "1",
		About: formID(r.FormValue("about_department"))}
}

// formID reads an id a form's select sends: "" is none, and so is a
// malformed one — the select offers only ids, so only a forged form sends
// another, and the store refuses an id that names no department.
func formID(v string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// createAppealPage raises an appeal from the form. The form's key makes a
// double submit (or a reload of the answer) land on the same appeal.
func (s *Handlers) createAppealPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	in := appealInputFromForm(r)
	if a.Role == access.RoleEnterprise {
		// An enterprise raises its own appeals only, from the web.
		e, err := s.store.Enterprise(r.Context(), a, a.EnterpriseID)
		if err != nil {
			return err
		}
		in.CreditCode, in.Channel = e.CreditCode, appeal.ChannelWeb
	}
	key := r.FormValue("key")
	created, _, err := s.appeals.CreateAppeal(r.Context(), a, in, key)
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Kind != fault.Invalid && fe.Kind != fault.Conflict {
			return err
		}
		p := &appealFormData{In: in, Key: key}
		if len(fe.Fields) > 0 {
			p.Errors = core.FieldErrors(fe.Fields, core.LangOf(r))
		} else {
			p.Message, p.Key = fe.Message.In(core.LangOf(r)), "" // a key used for another appeal: a fresh one
		}
		return s.renderAppealForm(w, r, a, p, core.Status(fe.Kind))
	}
	s.Done(w, r, "/appeals/"+strconv.FormatInt(created.ID, 10), "ap.raised", "")
	return nil
}

// appealsURL is the list of appeals filtered by the values given in pairs.
func appealsURL(pairs ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			v.Set(pairs[i], pairs[i+1])
		}
	}
	return "/appeals?" + v.Encode()
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
