package appealweb

import (
	"context"
	"net/http"
	"qifu/internal/web/core"
	"strconv"
	"strings"

	"qifu/internal/appeal"
	"qifu/internal/department"
	"qifu/internal/fault"
	"qifu/internal/notify"
	"qifu/internal/store"
)

// The administrators' settings of the appeal workflow (诉求设置): the
// category tree, the time-limit rules on top of the defaults, and the group
// robots (DingTalk, WeCom) of communities and departments.

// settingsPageData is the settings page with its three forms.
type settingsPageData struct {
	core.Base
	Categories  appeal.Categories
	Rules       []appeal.LimitRule
	Defaults    []appeal.LimitRule
	Webhooks    []store.Webhook
	Departments []department.Department
	Steps       []appeal.Step
	Types       []appeal.Type
	Urgencies   []appeal.Urgency
	MaxRedo     int   // redos an unsatisfied rating gives before joint handling
	Supervisor  int64 // the department complaints about departments go to; 0: none
	// The forms' values after a refused submission, and which form it was.
	Category appeal.Category
	Rule     appeal.LimitRule
	Hook     store.Webhook
	Form     string // "category", "rule" or "webhook"
}

// CategoryName names a category in the page's language.
func (p *settingsPageData) CategoryName(code string) string {
	if c, ok := p.Categories.Find(code); ok {
		return p.Pick(c.Name, c.NameEn)
	}
	return code
}

// DepartmentName names a department (by ID as text, or by code).
func (p *settingsPageData) DepartmentName(key string) string {
	for _, d := range p.Departments {
		if strconv.FormatInt(d.ID, 10) == key || d.Code == key {
			return p.Pick(d.Name, d.NameEn)
		}
	}
	return key
}

// SpanText writes a limit as "4 个工作小时" / "5 working days".
func (p *settingsPageData) SpanText(s appeal.Span) string {
	if s.Days {
		return p.Tf("set.days", s.N)
	}
	return p.Tf("set.hours", s.N)
}

func (s *Handlers) renderSettings(w http.ResponseWriter, r *http.Request, p *settingsPageData, code int) error {
	a, _ := core.ActorOf(r)
	ctx := r.Context()
	var err error
	if p.Categories, err = s.appeals.Categories(ctx); err != nil {
		return err
	}
	if p.Rules, err = s.appeals.LimitRules(ctx); err != nil {
		return err
	}
	if p.Webhooks, err = s.store.Webhooks(ctx, a); err != nil {
		return err
	}
	if p.Departments, err = s.store.Departments(ctx, a); err != nil {
		return err
	}
	if p.Form != "redo" {
		if p.MaxRedo, err = s.appeals.MaxRedo(ctx); err != nil {
			return err
		}
	}
	if p.Form != "supervisor" {
		if p.Supervisor, err = s.appeals.ComplaintSupervisor(ctx); err != nil {
			return err
		}
	}
	p.Defaults, p.Steps, p.Types, p.Urgencies = appeal.DefaultRules, appeal.Steps, appeal.Types, appeal.Urgencies
	if p.Hook.Format == "" {
		p.Hook.Format = notify.WeCom
	}
	if p.Hook.ScopeKind == "" {
		p.Hook.ScopeKind = "region"
	}
	p.Title = s.T(core.LangOf(r), "set.title")
	s.Render(w, r, code, "settings", p)
	return nil
}

func (s *Handlers) settingsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSettings(w, r, &settingsPageData{}, http.StatusOK)
}

// settingsRefused re-renders the settings page with a form's messages, or
// returns the error when it is not about the input.
func (s *Handlers) settingsRefused(w http.ResponseWriter, r *http.Request, p *settingsPageData, err error) error {
	fe := fault.As(err)
	if fe == nil || fe.Kind != fault.Invalid {
		return err
	}
	p.Errors = map[string]string{"form": fe.Message.In(core.LangOf(r))}
	if len(fe.Fields) > 0 {
		p.Errors = core.FieldErrors(fe.Fields, core.LangOf(r))
	}
	return s.renderSettings(w, r, p, http.StatusUnprocessableEntity)
}

func categoryFromForm(r *http.Request) appeal.Category {
	c := appeal.Category{Code: strings.TrimSpace(r.FormValue("code")), Parent: strings.TrimSpace(r.FormValue("parent")),
		Name: strings.TrimSpace(r.FormValue("name")), NameEn: strings.TrimSpace(r.FormValue("name_en"))}
	for _, d := range r.Form["departments"] {
		if d = strings.TrimSpace(d); d != "" {
			c.Departments = append(c.Departments, d)
		}
	}
	return c
}

func (s *Handlers) saveCategoryPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	c := categoryFromForm(r)
	if err := s.appeals.SaveCategory(r.Context(), a, c); err != nil {
		return s.settingsRefused(w, r, &settingsPageData{Category: c, Form: "category"}, err)
	}
	s.Done(w, r, "/settings#categories", "flash.saved", "")
	return nil
}

func ruleFromForm(r *http.Request) (appeal.LimitRule, error) {
	rule := appeal.LimitRule{Category: r.FormValue("category"), Type: appeal.Type(r.FormValue("type")),
		Urgency: appeal.Urgency(r.FormValue("urgency")), Step: appeal.Step(r.FormValue("step")),
		Span: appeal.Span{Days: r.FormValue("unit") == "days"}}
	n, err := strconv.Atoi(strings.TrimSpace(r.FormValue("n")))
	if err != nil || n < 0 {
		return rule, fault.Fields{"n": {Zh: "请填写时限数（整数）", En: "enter the limit as a whole number"}}.Err()
	}
	rule.Span.N = n
	return rule, nil
}

func (s *Handlers) setLimitPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	rule, err := ruleFromForm(r)
	if err == nil {
		err = s.appeals.SetLimitRule(r.Context(), a, rule)
	}
	if err != nil {
		return s.settingsRefused(w, r, &settingsPageData{Rule: rule, Form: "rule"}, err)
	}
	s.Done(w, r, "/settings#limits", "flash.saved", "")
	return nil
}

func (s *Handlers) addWebhookPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	h := store.Webhook{ScopeKind: r.FormValue("scope_kind"), Scope: strings.TrimSpace(r.FormValue("scope")),
		Hook: notify.Hook{Format: notify.Format(r.FormValue("format")), URL: strings.TrimSpace(r.FormValue("url")),
			Secret: strings.TrimSpace(r.FormValue("secret"))}}
	if h.ScopeKind == "department" {
		h.Scope = r.FormValue("department")
	}
	if _, err := s.store.AddWebhook(r.Context(), a, h); err != nil {
		h.Secret = ""
		return s.settingsRefused(w, r, &settingsPageData{Hook: h, Form: "webhook"}, err)
	}
	s.Done(w, r, "/settings#webhooks", "flash.created", "")
	return nil
}

func (s *Handlers) deleteWebhookPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(r.Context(), a, id); err != nil {
		return err
	}
	s.Done(w, r, "/settings#webhooks", "flash.deleted", "")
	return nil
}

// The API of the settings.

type LimitRuleJSON struct {
	Category string         `json:"category,omitempty"`
	Type     appeal.Type    `json:"type,omitempty"`
	Urgency  appeal.Urgency `json:"urgency,omitempty"`
	Step     appeal.Step    `json:"step"`
	N        int            `json:"n"`
	Days     bool           `json:"days"`
}

// LimitRulesJSON are the administrators' time-limit rules and the defaults
// under them.
type LimitRulesJSON struct {
	Rules    []LimitRuleJSON `json:"rules"`
	Defaults []LimitRuleJSON `json:"defaults"`
}

func (s *Handlers) apiLimitRules(w http.ResponseWriter, r *http.Request) error {
	rules, err := s.appeals.LimitRules(r.Context())
	if err != nil {
		return err
	}
	out := func(list []appeal.LimitRule) []LimitRuleJSON {
		js := make([]LimitRuleJSON, 0, len(list))
		for _, x := range list {
			js = append(js, LimitRuleJSON{Category: x.Category, Type: x.Type, Urgency: x.Urgency, Step: x.Step, N: x.Span.N, Days: x.Span.Days})
		}
		return js
	}
	core.WriteJSON(w, http.StatusOK, LimitRulesJSON{Rules: out(rules), Defaults: out(appeal.DefaultRules)})
	return nil
}

// apiSetLimitRule adds or replaces a rule; n = 0 removes it.
func (s *Handlers) apiSetLimitRule(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in LimitRuleJSON
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	rule := appeal.LimitRule{Category: in.Category, Type: in.Type, Urgency: in.Urgency, Step: in.Step, Span: appeal.Span{N: in.N, Days: in.Days}}
	if err := s.appeals.SetLimitRule(r.Context(), a, rule); err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, in)
	return nil
}

func (s *Handlers) apiSaveCategory(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var c appeal.Category
	if err := core.Decode(r, &c); err != nil {
		return err
	}
	c.Code = r.PathValue("code")
	if err := s.appeals.SaveCategory(r.Context(), a, c); err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, c)
	return nil
}

type WebhookJSON struct {
	ID        int64         `json:"id,omitempty"`
	ScopeKind string        `json:"scope_kind"`
	Scope     string        `json:"scope"`
	Format    notify.Format `json:"format"`
	URL       string        `json:"url"`
	Secret    string        `json:"secret,omitempty"` // accepted, never returned
	Pending   int           `json:"pending"`
	Failing   string        `json:"last_error,omitempty"`
}

func (s *Handlers) apiWebhooks(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, err := s.store.Webhooks(r.Context(), a)
	if err != nil {
		return err
	}
	out := make([]WebhookJSON, 0, len(list))
	for _, h := range list {
		out = append(out, WebhookJSON{ID: h.ID, ScopeKind: h.ScopeKind, Scope: h.Scope, Format: h.Format, URL: h.URL,
			Pending: h.Pending, Failing: h.Failing})
	}
	core.WriteJSON(w, http.StatusOK, core.Items[WebhookJSON]{Items: out})
	return nil
}

func (s *Handlers) apiAddWebhook(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in WebhookJSON
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	h, err := s.store.AddWebhook(r.Context(), a, store.Webhook{ScopeKind: in.ScopeKind, Scope: in.Scope,
		Hook: notify.Hook{Format: in.Format, URL: in.URL, Secret: in.Secret}})
	if err != nil {
		return err
	}
	in.ID, in.Secret = h.ID, ""
	core.WriteJSON(w, http.StatusCreated, in)
	return nil
}

func (s *Handlers) apiDeleteWebhook(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Handlers) setMaxRedoPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	n, err := strconv.Atoi(strings.TrimSpace(r.FormValue("max_redo")))
	if err != nil {
		err = fault.Fields{"max_redo": {Zh: "重办次数应为 0 至 5", En: "0 to 5 redos"}}.Err()
	} else {
		err = s.appeals.SetMaxRedo(r.Context(), a, n)
	}
	if err != nil {
		return s.settingsRefused(w, r, &settingsPageData{MaxRedo: n, Form: "redo"}, err)
	}
	s.Done(w, r, "/settings#redo", "flash.saved", "")
	return nil
}

func (s *Handlers) setSupervisorPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id := formID(r.FormValue("complaint_supervisor"))
	if err := s.appeals.SetComplaintSupervisor(r.Context(), a, id); err != nil {
		return s.settingsRefused(w, r, &settingsPageData{Supervisor: id, Form: "supervisor"}, err)
	}
	s.Done(w, r, "/settings#supervisor", "flash.saved", "")
	return nil
}

// SettingsJSON are the workflow's settings.
type SettingsJSON struct {
	MaxRedo int `json:"max_redo"` // how many times an unsatisfied enterprise may have its appeal redone
	// ComplaintSupervisor is the department complaints about a department
	// are suggested to go to (its id); 0: none set.
	ComplaintSupervisor int64 `json:"complaint_supervisor"`
}

// SettingsInput changes them: each field given is set, a field left out
// is left as it is (never taken for zero); at least one must be given.
type SettingsInput struct {
	MaxRedo             *int   `json:"max_redo,omitempty"`
	ComplaintSupervisor *int64 `json:"complaint_supervisor,omitempty"` // 0 unsets it
}

// settings reads the workflow's settings.
func (s *Handlers) settings(ctx context.Context) (SettingsJSON, error) {
	var out SettingsJSON
	var err error
	if out.MaxRedo, err = s.appeals.MaxRedo(ctx); err != nil {
		return out, err
	}
	out.ComplaintSupervisor, err = s.appeals.ComplaintSupervisor(ctx)
	return out, err
}

// apiAppealSettings answers the workflow's settings.
func (s *Handlers) apiAppealSettings(w http.ResponseWriter, r *http.Request) error {
	out, err := s.settings(r.Context())
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// apiSetAppealSettings changes them.
func (s *Handlers) apiSetAppealSettings(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in SettingsInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if in.MaxRedo == nil && in.ComplaintSupervisor == nil {
		return fault.Fields{"max_redo": {Zh: "请填写要修改的设置：重办次数（0–5）或投诉交由的部门", En: "give a setting to change: max_redo (0–5) or complaint_supervisor"}}.Err()
	}
	if in.MaxRedo != nil {
		if err := s.appeals.SetMaxRedo(r.Context(), a, *in.MaxRedo); err != nil {
			return err
		}
	}
	if in.ComplaintSupervisor != nil {
		if err := s.appeals.SetComplaintSupervisor(r.Context(), a, *in.ComplaintSupervisor); err != nil {
			return err
		}
	}
	out, err := s.settings(r.Context())
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}
