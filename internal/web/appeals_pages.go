package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/place"
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

// queueTab is one tab of the appeal list: a queue and how many it holds.
type queueTab struct {
	Queue  string // as in the URL
	Label  string
	Count  int
	Active bool
}

// queueTabs counts the role's queues.
func (s *Server) queueTabs(ctx context.Context, a access.Actor, lang, active string) ([]queueTab, error) {
	var tabs []queueTab
	for _, q := range queuesOf(a.Role) {
		n, err := s.appeals.CountAppeals(ctx, a, appealdb.AppealQuery{Queue: queueNames[q]})
		if err != nil {
			return nil, err
		}
		tabs = append(tabs, queueTab{Queue: q, Label: queueLabel(lang, a.Role, q), Count: n, Active: q == active})
	}
	return tabs, nil
}

// queueLabel names a queue; the enterprise's open appeals are "in progress"
// to it, a community's are the ones it is following.
func queueLabel(lang string, role access.Role, q string) string {
	if q == "tracking" && role != access.RoleEnterprise && role != access.RoleCadre {
		return translate(lang, "queue.open")
	}
	return word(lang, "queue", q)
}

// appealItem is one line of the appeal list with its time left in words.
type appealItem struct {
	appealdb.AppealRow
	Left string
}

// appealsPageData is an appeal list: the role's queues as tabs, filters and
// the appeals with their traffic lights.
type appealsPageData struct {
	base
	Query      appealdb.AppealQuery
	Queue      string
	Tabs       []queueTab
	Items      []appealItem
	Pager      pager
	Categories appeal.Categories
	CatNames   map[string]string
	States     []appeal.State
	Regions    regionFilter
	From, To   string
	CanRaise   bool
	Mine       bool   // the enterprise's own list (我的诉求)
	ExportURL  string // the same list as a workbook
}

func (s *Server) appealsPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := actorOf(r)
	ctx, lang := r.Context(), langOf(r)
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
	p := &appealsPageData{Query: q, Queue: queue, Pager: newPager(r, q.Page, total), States: appeal.States,
		CanRaise: access.May(a.Role, access.AppealCreate), Mine: a.Role == access.RoleEnterprise,
		From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	eq := r.URL.Query()
	eq.Del("page")
	p.ExportURL = "/appeals/export.xlsx?" + eq.Encode()
	now := time.Now()
	for _, row := range list {
		p.Items = append(p.Items, appealItem{AppealRow: row, Left: leftText(lang, cal, now, row.Due)})
	}
	if p.Tabs, err = s.queueTabs(ctx, a, lang, queue); err != nil {
		return err
	}
	if p.Categories, err = s.appeals.Categories(ctx); err != nil {
		return err
	}
	p.CatNames = categoryNames(p.Categories, lang)
	if p.Regions, err = s.regionFilter(r, a, q.Region, place.Grid); err != nil {
		return err
	}
	p.Title = translate(lang, "nav.appeals")
	if p.Mine {
		p.Title = translate(lang, "nav.myappeals")
	}
	s.render(w, r, http.StatusOK, "appeals", p)
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
func leftText(lang string, cal *calendar.Calendar, now, due time.Time) string {
	if due.IsZero() {
		return ""
	}
	if !now.Before(due) {
		return fmt.Sprintf(translate(lang, "ap.overdueby"), workText(lang, cal, cal.Between(due, now)))
	}
	return fmt.Sprintf(translate(lang, "ap.left"), workText(lang, cal, cal.Between(now, due)))
}

func workText(lang string, cal *calendar.Calendar, d time.Duration) string {
	if day := cal.WorkdayLength(); day > 0 && d >= day {
		return fmt.Sprintf(translate(lang, "ap.workdays"), float64(d)/float64(day))
	}
	return fmt.Sprintf(translate(lang, "ap.workhours"), d.Hours())
}

// appealFormData is the form to raise an appeal: an enterprise's own, or
// one a grid worker, community or cadre enters for an enterprise.
type appealFormData struct {
	base
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
}

func (s *Server) newAppealPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := actorOf(r)
	p := &appealFormData{In: appeal.Input{Type: appeal.TypeHelp, Urgency: appeal.Normal, Channel: appeal.ChannelVisit,
		CreditCode: r.URL.Query().Get("credit_code")}}
	if a.Role == access.RoleEnterprise {
		u, err := s.store.User(r.Context(), a, a.UserID)
		if err != nil {
			return err
		}
		p.In.Contact, p.In.Phone, p.In.Channel = u.Name, u.Phone, appeal.ChannelWeb
	}
	return s.renderAppealForm(w, r, a, p, http.StatusOK)
}

func (s *Server) renderAppealForm(w http.ResponseWriter, r *http.Request, a access.Actor, p *appealFormData, code int) error {
	if p.Key == "" {
		p.Key = rand.Text()
	}
	var err error
	if p.Categories, err = s.appeals.Categories(r.Context()); err != nil {
		return err
	}
	if p.Standards, err = s.appeals.Standards(r.Context()); err != nil {
		return err
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
	p.Types, p.Urgencies = appeal.Types, appeal.Urgencies
	p.Channels = []appeal.Channel{appeal.ChannelVisit, appeal.ChannelHotline, appeal.ChannelWalkIn}
	p.Title = translate(langOf(r), "ap.raise")
	s.render(w, r, code, "appeal_form", p)
	return nil
}

func appealInputFromForm(r *http.Request) appeal.Input {
	return appeal.Input{Channel: appeal.Channel(r.FormValue("channel")), Type: appeal.Type(r.FormValue("type")),
		Category: r.FormValue("category"), StandardCode: r.FormValue("standard_code"), Title: r.FormValue("title"), Content: r.FormValue("content"),
		Urgency: appeal.Urgency(r.FormValue("urgency")), CreditCode: r.FormValue("credit_code"),
		Contact: r.FormValue("contact"), Phone: r.FormValue("phone"), Confidential: r.FormValue("confidential") == "1"}
}

// createAppealPage raises an appeal from the form. The form's key makes a
// double submit (or a reload of the answer) land on the same appeal.
func (s *Server) createAppealPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := actorOf(r)
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
			p.Errors = mergeFields(fe.Fields, langOf(r))
		} else {
			p.Message, p.Key = fe.Message.In(langOf(r)), "" // a key used for another appeal: a fresh one
		}
		return s.renderAppealForm(w, r, a, p, status(fe.Kind))
	}
	http.Redirect(w, r, "/appeals/"+itoa(created.ID), http.StatusSeeOther)
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
