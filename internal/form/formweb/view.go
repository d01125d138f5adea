package formweb

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/internal/dossier"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
)

// A form as a page shows it: every question with its words in the page's
// language, its input, its value and its message.

// optionView is one option of a choice.
type optionView struct {
	Value, Label string
	Checked      bool
}

// questionView is one question as the fill page and the builder's preview show it.
type questionView struct {
	Key, Type        string
	Label, Help      string
	Required, Long   bool
	Unit             string
	Min, Max         string
	Bounds           string // the bounds in words: "1 – 999", "≥ 1", "≤ 999"
	Value            string
	Options          []optionView
	Columns          []questionView
	Rows             []rowView // a table's rows, with blank ones to fill
	Err              string
	Condition        string // when it is asked, in words
	Known            string // the value the enterprise's file holds, with its source and age
	KnownIsPrefilled bool
	// FileName and FileHref are a file question's uploaded file.
	FileName, FileHref string
}

// rowView is a table's row; cellView one of its inputs.
type rowView struct{ Cells []cellView }

type cellView struct {
	Name, Type, Value, Err, Label string
}

// sectionView is one section.
type sectionView struct {
	Title     string
	Questions []questionView
}

// formView is a whole form in a language.
type formView struct {
	Title, Intro string
	Sections     []sectionView
}

// blankRows are the empty rows a table offers beyond those filled.
const blankRows = 3

// viewOf shows def in lang with answers, messages and the known facts.
func viewOf(def form.Definition, lang string, answers form.Answers, errs map[string]string, known []dossier.Fact, now time.Time) formView {
	v := formView{Title: def.Title().In(lang), Intro: def.Intro().In(lang)}
	labels := map[string]form.Question{}
	for _, s := range def.Sections {
		sv := sectionView{Title: s.Title().In(lang)}
		for _, q := range s.Questions {
			qv := questionOf(q, lang, answers[q.Key], errs)
			if c := q.When; c != nil {
				on := labels[c.Key]
				said := c.Equals
				for _, o := range on.Options {
					if o.Value == c.Equals {
						said = fault.Msg{Zh: o.Zh, En: o.En}.In(lang)
					}
				}
				if on.Type == form.YesNo {
					said = form.Display(on, form.Answer{Values: []string{c.Equals}}, lang)
				}
				qv.Condition = fault.Msg{Zh: fmt.Sprintf("仅当「%s」为「%s」时填写", on.Zh, said),
					En: fmt.Sprintf("only when “%s” is “%s”", on.Label().In(lang), said)}.In(lang)
			}
			if q.Type == form.Fact {
				qv.Known, qv.KnownIsPrefilled = knownOf(q, known, lang, now)
				if qv.Value == "" && qv.KnownIsPrefilled && answers == nil {
					f, _ := dossier.Latest(known, q.Fact)
					qv.Value = f.Input()
				}
			}
			sv.Questions = append(sv.Questions, qv)
			labels[q.Key] = q
		}
		v.Sections = append(v.Sections, sv)
	}
	return v
}

// questionOf shows one question.
func questionOf(q form.Question, lang string, a form.Answer, errs map[string]string) questionView {
	qv := questionView{Key: q.Key, Type: string(q.Type), Label: q.Label().In(lang), Help: q.Help().In(lang),
		Required: q.Required, Long: q.Long, Unit: q.Unit, Value: a.Value(), Err: errs[q.Key]}
	if q.Min != nil {
		qv.Min = strconv.FormatFloat(*q.Min, 'f', -1, 64)
	}
	if q.Max != nil {
		qv.Max = strconv.FormatFloat(*q.Max, 'f', -1, 64)
	}
	switch {
	case qv.Min != "" && qv.Max != "":
		qv.Bounds = qv.Min + " – " + qv.Max
	case qv.Min != "":
		qv.Bounds = "≥ " + qv.Min
	case qv.Max != "":
		qv.Bounds = "≤ " + qv.Max
	}
	if q.Type == form.YesNo {
		q.Options = []form.Option{{Value: "yes", Zh: "是", En: "yes"}, {Value: "no", Zh: "否", En: "no"}}
	}
	for _, o := range q.Options {
		checked := false
		for _, v := range a.Values {
			checked = checked || v == o.Value
		}
		qv.Options = append(qv.Options, optionView{Value: o.Value, Label: fault.Msg{Zh: o.Zh, En: o.En}.In(lang), Checked: checked})
	}
	if q.Type == form.Fact {
		if k, ok := dossier.KindOf(q.Fact); ok {
			qv.Unit = k.Unit().In(lang)
			if q.Period != "" {
				qv.Label += fault.Msg{Zh: "（" + q.Period + " 年）", En: " (" + q.Period + ")"}.In(lang)
			}
		}
	}
	if q.Type == form.Table {
		for _, c := range q.Columns {
			qv.Columns = append(qv.Columns, questionOf(c, lang, form.Answer{}, nil))
		}
		limit := q.MaxRows
		if limit == 0 {
			limit = 50
		}
		rows := append([][]string(nil), a.Rows...)
		for i := 0; i < blankRows && len(rows) < limit; i++ {
			rows = append(rows, make([]string, len(q.Columns)))
		}
		for i, row := range rows {
			var rv rowView
			for c, col := range q.Columns {
				cell := cellView{Name: fmt.Sprintf("%s.%d.%d", q.Key, i+1, c+1), Type: string(col.Type), Label: col.Label().In(lang),
					Err: errs[fmt.Sprintf("%s.%d.%d", q.Key, i+1, c+1)]}
				if c < len(row) {
					cell.Value = row[c]
				}
				rv.Cells = append(rv.Cells, cell)
			}
			qv.Rows = append(qv.Rows, rv)
		}
		for k, m := range errs {
			if strings.HasPrefix(k, q.Key+".") && qv.Err == "" {
				qv.Err = m
			}
		}
	}
	return qv
}

// knownOf says what the enterprise's file holds for a fact question, and
// whether it is of the period asked (then the page prefills it).
func knownOf(q form.Question, known []dossier.Fact, lang string, now time.Time) (string, bool) {
	var f dossier.Fact
	found := false
	for _, k := range known {
		if k.Kind == q.Fact && (q.Period == "" || k.Period == q.Period) && (!found || k.Period > f.Period) {
			f, found = k, true
		}
	}
	if !found {
		return "", false
	}
	value := f.Format(lang)
	said := fault.Msg{Zh: fmt.Sprintf("档案记录：%s（%s，%s，%s）。已预填，请确认；如有变化请更正。", value, f.Period, f.Source.Name().In(lang), dossier.Age(f.RecordedAt, now, lang)),
		En: fmt.Sprintf("On file: %s (%s, %s, %s). Prefilled: confirm it, or correct it if it changed.", value, f.Period, f.Source.Name().In(lang), dossier.Age(f.RecordedAt, now, lang))}
	return said.In(lang), true
}

// answersFromForm reads a fill page's answers: one value per question,
// a multiple choice's boxes, a table's cells "key.row.column" (from 1).
func answersFromForm(r *http.Request, def form.Definition) form.Answers {
	out := form.Answers{}
	for _, q := range def.Questions() {
		switch q.Type {
		case form.Multi:
			if vs := r.PostForm[q.Key]; len(vs) > 0 {
				out[q.Key] = form.Answer{Values: vs}
			}
		case form.Table:
			var rows [][]string
			for i := 1; i <= form.MaxRowsLimit+blankRows; i++ {
				row := make([]string, len(q.Columns))
				present := false
				for c := range q.Columns {
					name := fmt.Sprintf("%s.%d.%d", q.Key, i, c+1)
					if vs, ok := r.PostForm[name]; ok {
						present = true
						row[c] = vs[0]
					}
				}
				if !present {
					break
				}
				rows = append(rows, row)
			}
			if len(rows) > 0 {
				out[q.Key] = form.Answer{Rows: rows}
			}
		default:
			if v := strings.TrimSpace(r.PostFormValue(q.Key)); v != "" {
				out[q.Key] = form.Answer{Values: []string{v}}
			}
		}
	}
	return out
}

// kindLabel names a kind of fact with its unit in the language's brackets.
func kindLabel(k dossier.Kind, lang string) string {
	u := k.Unit().In(lang)
	switch {
	case u == "":
		return k.Name().In(lang)
	case lang == "en":
		return k.Name().In(lang) + " (" + u + ")"
	}
	return k.Name().In(lang) + "（" + u + "）"
}

// withFiles names the uploaded files a form's file questions answer, with
// the address they are downloaded from.
func withFiles(v *formView, files map[int64]formdb.FileInfo, campaignID, enterpriseID int64) {
	for si := range v.Sections {
		for qi := range v.Sections[si].Questions {
			q := &v.Sections[si].Questions[qi]
			if q.Type != string(form.File) {
				continue
			}
			if f, ok := files[form.FileID(form.Answer{Values: []string{q.Value}})]; ok {
				q.FileName, q.FileHref = f.Name, fileHref(campaignID, enterpriseID, f.ID)
			}
		}
	}
}

// fileHref is where an uploaded file is downloaded.
func fileHref(campaignID, enterpriseID, fileID int64) string {
	return fmt.Sprintf("/surveys/%d/files/%d?enterprise=%d", campaignID, fileID, enterpriseID)
}

// displayAnswer is an answer in words, a file by its name.
func displayAnswer(q form.Question, a form.Answer, lang string, files map[int64]formdb.FileInfo) string {
	if q.Type == form.File {
		if f, ok := files[form.FileID(a)]; ok {
			return f.Name
		}
	}
	return form.Display(q, a, lang)
}
