package formweb

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/web/core"
)

// The member's side: the forms sent to an enterprise, filled on its phone
// by its own account or by staff on its behalf.

// enterpriseOf is the enterprise a fill page is for: the actor's own, or
// ?enterprise= (the form's field) for staff.
func enterpriseOf(r *http.Request, a access.Actor) (int64, error) {
	if a.Role == access.RoleEnterprise {
		return a.EnterpriseID, nil
	}
	v := r.FormValue("enterprise")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNoEnterprise
	}
	return id, nil
}

// errNoEnterprise is staff's request that names no enterprise to fill for.
var errNoEnterprise = fault.New(fault.Invalid, "enterprise", "请指明为哪家企业填报（enterprise）", "name the enterprise filled for (enterprise)")

// sentView is one campaign in an enterprise's list.
type sentView struct {
	ID               int64
	Title, Due, Href string
	Colour           string
	Answered, Closed bool
	AnsweredAt       time.Time
}

type surveysData struct {
	core.Base
	Enterprise string
	Items      []sentView
}

// surveysPage lists the forms an enterprise was sent, the open ones first.
func (s *Handlers) surveysPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := enterpriseOf(r, a)
	if err != nil {
		return err
	}
	list, err := s.campaigns.OfEnterprise(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &surveysData{}
	now := s.store.Now()
	for _, c := range list {
		href := fmt.Sprintf("/surveys/%d", c.ID)
		if c.Module == formdb.Monitoring {
			href = fmt.Sprintf("/resumption/campaigns/%d/report", c.ID) // reported period by period
		}
		if a.Role != access.RoleEnterprise {
			href += fmt.Sprintf("?enterprise=%d", id)
		}
		p.Enterprise = c.Member.Name
		v := sentView{ID: c.ID, Title: c.Title, Due: c.Due, Href: href, Answered: !c.Member.AnsweredAt.IsZero(),
			AnsweredAt: c.Member.AnsweredAt, Closed: c.State != audiencedb.Running}
		if !v.Answered && !v.Closed {
			v.Colour = audiencedb.Colour(c.Campaign, now)
		}
		p.Items = append(p.Items, v)
	}
	p.Title = s.T(core.LangOf(r), "sv.mine")
	s.Render(w, r, http.StatusOK, "surveys", p)
	return nil
}

// historyView is one submitted state of the answers.
type historyView struct {
	N       int
	At      time.Time
	By      string
	Channel string
}

type fillData struct {
	core.Base
	CampaignID   int64
	EnterpriseID int64
	Enterprise   string
	OnBehalf     bool // staff filling for the enterprise
	Form         formView
	Due          string
	Colour       string
	State        string // "", "draft", "submitted"
	Closed       bool
	Correctable  bool
	CorrectUntil time.Time
	Version      int64
	Key          string
	Answers      []answerView // the submitted answers, read back
	History      []historyView
	Message      string
	// RaiseHref raises an appeal for the enterprise from its answers (一键转诉求), for staff who may.
	RaiseHref string
	// CommonHref puts the answers under a common problem (共性问题), for staff who may.
	CommonHref string
}

// answerView is one submitted answer in words (a file with its link).
type answerView struct{ Label, Value, Href string }

// fillPage shows a campaign's form for an enterprise: to fill (prefilled
// from the facts its file holds), or its submitted answers with the
// correction if the window is open (?correct=1).
func (s *Handlers) fillPage(w http.ResponseWriter, r *http.Request) error {
	return s.showFill(w, r, nil, nil, http.StatusOK)
}

func (s *Handlers) showFill(w http.ResponseWriter, r *http.Request, typed form.Answers, errs map[string]string, code int) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	cid, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	eid, err := enterpriseOf(r, a)
	if err != nil {
		return err
	}
	f, err := s.forms.Open(r.Context(), a, cid, eid)
	if err != nil {
		return err
	}
	if err := s.campaigns.Seen(r.Context(), a, cid, eid); err != nil {
		return err
	}
	now := s.store.Now()
	p := &fillData{CampaignID: cid, EnterpriseID: eid, Enterprise: f.EnterpriseName, OnBehalf: a.Role != access.RoleEnterprise,
		Due: f.Sent.Due, Closed: f.Sent.State != audiencedb.Running, CorrectUntil: f.CorrectUntil, Key: rand.Text()}
	p.Correctable = !f.CorrectUntil.IsZero() && now.Before(f.CorrectUntil)
	if p.Correctable {
		p.CorrectUntil = f.CorrectUntil.Add(-time.Minute) // shown as the last minute it is open: 23:59, not 00:00 the next day
	}
	if f.Has {
		p.State, p.Version = f.Submission.State, f.Submission.Version
	}
	if !p.Closed && (!f.Has || f.Submission.State == formdb.Draft) {
		p.Colour = audiencedb.Colour(f.Sent.Campaign, now)
	}
	answers := typed
	if answers == nil && f.Has {
		answers = f.Submission.Answers
	}
	if errs == nil {
		errs = map[string]string{}
	}
	p.Form = viewOf(f.Definition, lang, answers, errs, f.Known, now)
	withFiles(&p.Form, f.Files, cid, eid)
	p.Title = p.Form.Title
	p.Errors = errs
	if f.Has && f.Submission.State == formdb.Submitted {
		for _, q := range f.Definition.Questions() {
			if ans, ok := f.Submission.Answers[q.Key]; ok {
				v := answerView{Label: q.Label().In(lang), Value: displayAnswer(q, ans, lang, f.Files)}
				if id := form.FileID(ans); q.Type == form.File && id != 0 {
					v.Href = fileHref(cid, eid, id)
				}
				p.Answers = append(p.Answers, v)
			}
		}
		for _, h := range f.History {
			p.History = append(p.History, historyView{N: h.N, At: h.At, By: h.ByName, Channel: s.Word(lang, "channel", h.Channel)})
		}
		if a.Role != access.RoleEnterprise && access.May(a.Role, access.AppealCreate) {
			var said []string
			for _, v := range p.Answers {
				said = append(said, v.Label+"："+v.Value)
			}
			p.RaiseHref = "/appeals/new?" + url.Values{"credit_code": {f.Sent.Member.CreditCode}, "title": {f.Sent.Title},
				"content": {strings.Join(said, "\n")}}.Encode()
		}
		if a.Role != access.RoleEnterprise && access.May(a.Role, access.VisitRecord) {
			var said []string
			for _, v := range p.Answers {
				said = append(said, v.Label+"："+v.Value)
			}
			p.CommonHref = "/topics/new?" + url.Values{"enterprise": {strconv.FormatInt(f.Sent.Member.EnterpriseID, 10)},
				"text": {f.Sent.Title + "：" + strings.Join(said, "；")}, "ref": {fmt.Sprintf("campaign:%d", f.Sent.Campaign.ID)}}.Encode()
		}
	}
	if typed == nil && f.Has && f.Submission.State == formdb.Submitted && r.URL.Query().Get("correct") != "1" {
		p.Form.Sections = nil // shown read back; the form opens for a correction
	}
	s.Render(w, r, code, "survey_fill", p)
	return nil
}

// fillPost saves a draft or submits (op=draft or op=submit) from the fill page.
func (s *Handlers) fillPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	cid, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(s.opts.MaxUpload); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return core.BadUpload(err)
	}
	eid, err := enterpriseOf(r, a)
	if err != nil {
		return err
	}
	f, err := s.forms.Open(r.Context(), a, cid, eid)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	in := formdb.Input{CampaignID: cid, EnterpriseID: eid, Answers: answersFromForm(r, f.Definition), Medium: "web",
		Key: r.PostFormValue("key"), Version: version}
	// A file chosen for a file question is stored and named by its answer.
	if r.MultipartForm != nil {
		for _, q := range f.Definition.Questions() {
			hs := r.MultipartForm.File[q.Key]
			if q.Type != form.File || len(hs) == 0 || hs[0].Filename == "" {
				continue
			}
			info, err := s.receive(r, a, cid, eid, hs[0])
			if err != nil {
				msgs, err := core.FormErrors(err, core.LangOf(r))
				if err != nil {
					return err
				}
				if m, ok := msgs["file"]; ok {
					msgs = map[string]string{q.Key: m}
				}
				return s.showFill(w, r, in.Answers, msgs, http.StatusUnprocessableEntity)
			}
			in.Answers[q.Key] = form.Answer{Values: []string{info.Ref()}}
		}
	}
	back := fmt.Sprintf("/surveys/%d", cid)
	if a.Role != access.RoleEnterprise {
		back += fmt.Sprintf("?enterprise=%d", eid)
	}
	if r.PostFormValue("op") == "draft" {
		_, err = s.forms.SaveDraft(r.Context(), a, in)
	} else {
		_, _, err = s.forms.Submit(r.Context(), a, in)
	}
	if err != nil {
		msgs, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		return s.showFill(w, r, in.Answers, msgs, http.StatusUnprocessableEntity)
	}
	if r.PostFormValue("op") == "draft" {
		s.Done(w, r, back, "sv.drafted", "")
	} else {
		s.Done(w, r, back, "sv.submitted", "")
	}
	return nil
}
