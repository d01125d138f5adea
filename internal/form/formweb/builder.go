package formweb

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/dossier"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/web/core"
)

// The builder: a form is built in the browser question by question. The
// page carries the definition being built (JSON, in a hidden field) and
// each button applies one change to it on the server — add a section or a
// question, move or remove one, replace the whole (the JSON, for experts)
// — and shows the result with a preview; "save" checks it (the domain's
// Check and this package's rendering of it) and saves it.

type formRow struct {
	ID           int64
	Title, Owner string
	Latest       int
	Updated      time.Time
	Sent         bool
}

type formsData struct {
	core.Base
	Forms []formRow
}

// formsPage lists the forms the actor may send.
func (s *Handlers) formsPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, err := s.forms.Forms(r.Context(), a)
	if err != nil {
		return err
	}
	p := &formsData{}
	for _, f := range list {
		p.Forms = append(p.Forms, formRow{ID: f.ID, Title: f.Title, Owner: f.OwnerName, Latest: f.Latest, Updated: f.UpdatedAt, Sent: f.Sent})
	}
	p.Title = s.T(core.LangOf(r), "fm.forms")
	s.Render(w, r, http.StatusOK, "forms", p)
	return nil
}

// whenChoice is a condition the builder offers: an earlier question's answer.
type whenChoice struct{ Value, Label string }

type builderData struct {
	core.Base
	FormID   int64
	Version  int64
	Latest   int
	Sent     bool
	Versions []formdb.Version
	JSON     string
	Def      form.Definition
	Preview  formView
	Outline  []outlineSection
	Types    []typeChoice
	Kinds    []typeChoice
	When     []whenChoice
	Q        map[string]string // the new question's fields, as typed
	Message  string
	Saved    bool
}

type outlineSection struct {
	Index     int
	Number    int // Index + 1, as people count
	Title     string
	Questions []outlineQuestion
}

type outlineQuestion struct {
	Section, Index int
	Key, Label     string
	Type           string
	Required       bool
	Condition      bool
}

type typeChoice struct{ Value, Label string }

// newFormPage shows the builder for a new form.
func (s *Handlers) newFormPage(w http.ResponseWriter, r *http.Request) error {
	def := form.Definition{Sections: []form.Section{{Zh: "", Questions: nil}}}
	return s.showBuilder(w, r, &builderData{Def: def}, http.StatusOK)
}

// formPage shows the builder on a form's latest version.
func (s *Handlers) formPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	f, versions, err := s.forms.Form(r.Context(), a, id)
	if err != nil {
		return err
	}
	return s.showBuilder(w, r, &builderData{FormID: f.ID, Version: f.Version, Latest: f.Latest, Sent: f.Sent, Versions: versions,
		Def: f.Definition, Saved: true}, http.StatusOK)
}

func (s *Handlers) showBuilder(w http.ResponseWriter, r *http.Request, p *builderData, code int) error {
	lang := core.LangOf(r)
	js, err := json.MarshalIndent(p.Def, "", "  ")
	if err != nil {
		return err
	}
	p.JSON = string(js)
	p.Preview = viewOf(p.Def, lang, form.Answers{}, nil, nil, s.store.Now())
	for si, sec := range p.Def.Sections {
		os := outlineSection{Index: si, Number: si + 1, Title: sec.Title().In(lang)}
		for qi, q := range sec.Questions {
			os.Questions = append(os.Questions, outlineQuestion{Section: si, Index: qi, Key: q.Key, Label: q.Label().In(lang),
				Type: q.Type.Name().In(lang), Required: q.Required, Condition: q.When != nil})
			switch q.Type {
			case form.YesNo:
				for _, v := range []string{"yes", "no"} {
					p.When = append(p.When, whenChoice{Value: q.Key + "=" + v, Label: q.Label().In(lang) + " = " + form.Display(q, form.Answer{Values: []string{v}}, lang)})
				}
			case form.Choice, form.Multi:
				for _, o := range q.Options {
					p.When = append(p.When, whenChoice{Value: q.Key + "=" + o.Value, Label: q.Label().In(lang) + " = " + fault.Msg{Zh: o.Zh, En: o.En}.In(lang)})
				}
			}
		}
		p.Outline = append(p.Outline, os)
	}
	for _, t := range form.Types {
		p.Types = append(p.Types, typeChoice{Value: string(t), Label: t.Name().In(lang)})
	}
	for _, k := range dossier.Kinds {
		p.Kinds = append(p.Kinds, typeChoice{Value: k.Key, Label: kindLabel(k, lang)})
	}
	if p.Q == nil {
		p.Q = map[string]string{"type": "text"}
	}
	p.Title = s.T(lang, "fm.builder")
	s.Render(w, r, code, "form_builder", p)
	return nil
}

// MaxDefinitionBytes bounds a definition posted to the builder or the API.
const MaxDefinitionBytes = 512 << 10

// buildPost applies one of the builder's buttons (op) to the definition it carries.
func (s *Handlers) buildPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	p := &builderData{Q: map[string]string{}}
	p.FormID, _ = strconv.ParseInt(r.FormValue("form_id"), 10, 64)
	p.Version, _ = strconv.ParseInt(r.FormValue("version"), 10, 64)
	op := r.FormValue("op")
	raw := r.FormValue("definition")
	if op == "json" {
		raw = r.FormValue("json")
	}
	if len(raw) > MaxDefinitionBytes || json.Unmarshal([]byte(raw), &p.Def) != nil {
		p.Message = fault.Msg{Zh: "表单定义不是有效的 JSON", En: "the definition is not valid JSON"}.In(lang)
		return s.showBuilder(w, r, p, http.StatusUnprocessableEntity)
	}
	if op != "json" {
		p.Def.Zh, p.Def.En = strings.TrimSpace(r.FormValue("title_zh")), strings.TrimSpace(r.FormValue("title_en"))
		p.Def.IntroZh, p.Def.IntroEn = strings.TrimSpace(r.FormValue("intro_zh")), strings.TrimSpace(r.FormValue("intro_en"))
	}
	if p.FormID != 0 {
		f, versions, err := s.forms.Form(r.Context(), a, p.FormID)
		if err != nil {
			return err
		}
		p.Latest, p.Sent, p.Versions = f.Latest, f.Sent, versions
	}
	kind, at, _ := strings.Cut(op, ":")
	si, qi := position(at)
	secs := p.Def.Sections
	switch kind {
	case "add_section":
		p.Def.Sections = append(secs, form.Section{Zh: strings.TrimSpace(r.FormValue("sec_zh")), En: strings.TrimSpace(r.FormValue("sec_en"))})
	case "del_section":
		if si >= 0 && si < len(secs) {
			p.Def.Sections = append(secs[:si:si], secs[si+1:]...)
		}
	case "del", "up", "down":
		if si >= 0 && si < len(secs) && qi >= 0 && qi < len(secs[si].Questions) {
			qs := secs[si].Questions
			switch {
			case kind == "del":
				secs[si].Questions = append(qs[:qi:qi], qs[qi+1:]...)
			case kind == "up" && qi > 0:
				qs[qi-1], qs[qi] = qs[qi], qs[qi-1]
			case kind == "down" && qi+1 < len(qs):
				qs[qi+1], qs[qi] = qs[qi], qs[qi+1]
			}
		}
	case "add_question":
		return s.addQuestion(w, r, p)
	case "save":
		return s.saveForm(w, r, a, p)
	}
	return s.showBuilder(w, r, p, http.StatusOK)
}

// position reads "S" or "S.Q" of an op.
func position(at string) (int, int) {
	s, q, _ := strings.Cut(at, ".")
	si, err := strconv.Atoi(s)
	if err != nil {
		si = -1
	}
	qi, err := strconv.Atoi(q)
	if err != nil {
		qi = -1
	}
	return si, qi
}

// questionFields are the builder's fields of a new question.
var questionFields = []string{"section", "key", "type", "zh", "en", "help_zh", "help_en", "required", "long", "unit", "min", "max",
	"options", "columns", "max_rows", "fact", "period", "when"}

// addQuestion adds the question typed in the builder's fields to a
// section, when the definition with it passes the domain's check at the
// question's place; otherwise the fields stay with their messages.
func (s *Handlers) addQuestion(w http.ResponseWriter, r *http.Request, p *builderData) error {
	lang := core.LangOf(r)
	for _, f := range questionFields {
		p.Q[f] = r.FormValue("q_" + f)
	}
	si, _ := strconv.Atoi(p.Q["section"])
	if si < 0 || si >= len(p.Def.Sections) {
		si = len(p.Def.Sections) - 1
	}
	if si < 0 {
		p.Def.Sections = append(p.Def.Sections, form.Section{})
		si = 0
	}
	q, fields := questionFromFields(p.Q, len(p.Def.Questions())+1)
	sec := &p.Def.Sections[si]
	sec.Questions = append(sec.Questions, q)
	at := fmt.Sprintf("sections.%d.questions.%d.", si, len(sec.Questions)-1)
	if err := p.Def.Check(); err != nil {
		if fe := fault.As(err); fe != nil {
			for k, m := range fe.Fields {
				if rest, ok := strings.CutPrefix(k, at); ok {
					field, _, _ := strings.Cut(rest, ".")
					fields.Add(field, m.Zh, m.En)
				}
			}
		}
	}
	if len(fields) > 0 {
		sec.Questions = sec.Questions[:len(sec.Questions)-1]
		p.Errors = map[string]string{}
		for k, m := range fields {
			p.Errors["q_"+k] = m.In(lang)
		}
		return s.showBuilder(w, r, p, http.StatusUnprocessableEntity)
	}
	p.Q = map[string]string{"type": p.Q["type"], "section": p.Q["section"]}
	return s.showBuilder(w, r, p, http.StatusOK)
}

// questionFromFields builds a question from the builder's fields; n numbers a
// key left blank. Options are lines "中文 | English"; a table's columns
// lines "中文 | type" (text, number, date, yesno).
func questionFromFields(in map[string]string, n int) (form.Question, fault.Fields) {
	f := fault.Fields{}
	q := form.Question{Key: strings.TrimSpace(in["key"]), Type: form.Type(in["type"]), Zh: strings.TrimSpace(in["zh"]),
		En: strings.TrimSpace(in["en"]), HelpZh: strings.TrimSpace(in["help_zh"]), HelpEn: strings.TrimSpace(in["help_en"]),
		Required: in["required"] == "1", Long: in["long"] == "1" && in["type"] == "text", Unit: strings.TrimSpace(in["unit"])}
	if q.Key == "" {
		q.Key = fmt.Sprintf("q%d", n)
	}
	num := func(field string) *float64 {
		v := strings.TrimSpace(in[field])
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			f.Add(field, "请填写数字", "enter a number")
			return nil
		}
		return &x
	}
	if q.Type == form.Number {
		q.Min, q.Max = num("min"), num("max")
	}
	lines := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	if q.Type == form.Choice || q.Type == form.Multi {
		for i, l := range lines(in["options"]) {
			zh, en, _ := strings.Cut(l, "|")
			q.Options = append(q.Options, form.Option{Value: fmt.Sprintf("o%d", i+1), Zh: strings.TrimSpace(zh), En: strings.TrimSpace(en)})
		}
	}
	if q.Type == form.Table {
		for i, l := range lines(in["columns"]) {
			zh, typ, _ := strings.Cut(l, "|")
			t := form.Type(strings.TrimSpace(typ))
			if t == "" {
				t = form.Text
			}
			q.Columns = append(q.Columns, form.Question{Key: fmt.Sprintf("c%d", i+1), Type: t, Zh: strings.TrimSpace(zh)})
		}
		if v := strings.TrimSpace(in["max_rows"]); v != "" {
			q.MaxRows, _ = strconv.Atoi(v)
		}
	}
	if q.Type == form.Fact {
		q.Fact, q.Period = in["fact"], strings.TrimSpace(in["period"])
		if k, ok := dossier.KindOf(q.Fact); ok && q.Zh == "" {
			q.Zh, q.En = k.Zh, k.En
		}
	}
	if w := in["when"]; w != "" {
		key, eq, _ := strings.Cut(w, "=")
		q.When = &form.Condition{Key: key, Equals: eq}
	}
	return q, f
}

// saveForm checks the definition — the domain's check, then that this
// package renders it — and saves it, a new form or a form's next state.
func (s *Handlers) saveForm(w http.ResponseWriter, r *http.Request, a access.Actor, p *builderData) error {
	lang := core.LangOf(r)
	err := s.renders(p.Def, lang)
	if err == nil {
		var f formdb.Form
		if p.FormID == 0 {
			f, err = s.forms.Create(r.Context(), a, p.Def)
		} else {
			f, err = s.forms.Save(r.Context(), a, p.FormID, p.Version, p.Def)
		}
		if err == nil {
			s.Done(w, r, fmt.Sprintf("/forms/%d", f.ID), "flash.saved", "")
			return nil
		}
	}
	fe := fault.As(err)
	if fe == nil || fe.Kind != fault.Invalid {
		return err
	}
	var msgs []string
	for k, m := range fe.Fields {
		msgs = append(msgs, k+"："+m.In(lang))
	}
	if len(msgs) == 0 {
		msgs = append(msgs, fe.Message.In(lang))
	}
	p.Message = fault.Msg{Zh: "表单还不能保存：", En: "the form cannot be saved yet: "}.In(lang) + strings.Join(msgs, "；")
	return s.showBuilder(w, r, p, http.StatusUnprocessableEntity)
}

// renders refuses a definition the domain accepts but the fill page
// cannot show, in either language.
func (s *Handlers) renders(def form.Definition, lang string) error {
	if err := def.Check(); err != nil {
		return err
	}
	for _, l := range []string{"zh", "en"} {
		p := &fillData{Form: viewOf(def, l, form.Answers{}, nil, nil, s.store.Now())}
		p.Title = p.Form.Title
		if err := s.Renders("survey_fill", p, l); err != nil {
			s.log.Error("a checked form does not render", "err", err)
			return fault.New(fault.Invalid, "form_unrenderable", "表单无法显示，请检查后再保存", "the form cannot be shown; check it and save again")
		}
	}
	return nil
}
