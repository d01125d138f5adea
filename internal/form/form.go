// Package form is the one form engine of qifu: a form's definition
// (sections of questions of a few types, required or optional, shown on
// conditions, with help text in Chinese and English, and questions that are
// facts of the enterprise's file), the check that refuses a definition that
// cannot be rendered or validated, and the validation of answers with a
// message per question. Surveys, checklists, status reports, visits,
// applications and sign-ups are forms of this engine; where a form is sent
// and who fills it is their module's business (package audience for a
// campaign), what a form is and what a valid answer is, this package's.
package form

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf8"

	"qifu/internal/dossier"
	"qifu/internal/fault"
)

// Type is the type of a question.
type Type string

// The question types.
const (
	Text   Type = "text"   // a line or a paragraph
	Number Type = "number" // a number with a unit and bounds
	Choice Type = "choice" // one of the options
	Multi  Type = "multi"  // any of the options
	Date   Type = "date"   // a day, YYYY-MM-DD
	YesNo  Type = "yesno"  // yes or no
	Table  Type = "table"  // rows of columns (text, number, date, yes/no)
	Fact   Type = "fact"   // a fact of the enterprise's file, prefilled when known
	File   Type = "file"   // a photo or a document, uploaded (its answer: "file:<id>")
)

// Types are the question types in the order the builder offers them.
var Types = []Type{Text, Number, Choice, Multi, Date, YesNo, Table, Fact, File}

var typeNames = map[Type]fault.Msg{
	Text: {Zh: "文字", En: "text"}, Number: {Zh: "数字", En: "number"}, Choice: {Zh: "单选", En: "single choice"},
	Multi: {Zh: "多选", En: "multiple choice"}, Date: {Zh: "日期", En: "date"}, YesNo: {Zh: "是/否", En: "yes / no"},
	Table: {Zh: "表格", En: "table"}, Fact: {Zh: "企业事实（一企一档）", En: "a fact of the enterprise's file"},
	File: {Zh: "照片或文件", En: "photo or file"},
}

// Name names the type.
func (t Type) Name() fault.Msg { return typeNames[t] }

// Valid reports whether t is a question type.
func (t Type) Valid() bool { return slices.Contains(Types, t) }

// Option is one answer of a choice.
type Option struct {
	Value string `json:"value"`
	Zh    string `json:"zh"`
	En    string `json:"en,omitempty"`
}

// Condition shows a question only when an earlier question's answer is
// Equals ("yes" or "no" for a yes/no question, an option's value for a
// choice; for a multiple choice, when it is among the answers).
type Condition struct {
	Key    string `json:"key"`
	Equals string `json:"equals"`
}

// Question is one question of a form.
type Question struct {
	// Key names the question's answer: in the answers, in the export's
	// column, in a condition. Lower-case letters, digits and underscores.
	Key      string `json:"key"`
	Type     Type   `json:"type"`
	Zh       string `json:"zh"`
	En       string `json:"en,omitempty"`
	HelpZh   string `json:"help_zh,omitempty"`
	HelpEn   string `json:"help_en,omitempty"`
	Required bool   `json:"required,omitempty"`
	// Long makes a text question a paragraph.
	Long bool `json:"long,omitempty"`
	// Unit, Min and Max are a number's (Min and Max optional).
	Unit string   `json:"unit,omitempty"`
	Min  *float64 `json:"min,omitempty"`
	Max  *float64 `json:"max,omitempty"`
	// Options are a choice's.
	Options []Option `json:"options,omitempty"`
	// Columns and MaxRows are a table's; a column is a text, number, date
	// or yes/no question without a condition.
	Columns []Question `json:"columns,omitempty"`
	MaxRows int        `json:"max_rows,omitempty"`
	// Fact is a fact question's kind (dossier.Kinds); Period is the year
	// a yearly kind is asked of ("2025"); a dated kind is of the day the
	// answer is given.
	Fact   string     `json:"fact,omitempty"`
	Period string     `json:"period,omitempty"`
	When   *Condition `json:"when,omitempty"`
}

// Label is the question's words in a language.
func (q Question) Label() fault.Msg { return fault.Msg{Zh: q.Zh, En: q.En} }

// Help is the question's help text in a language.
func (q Question) Help() fault.Msg { return fault.Msg{Zh: q.HelpZh, En: q.HelpEn} }

// Section is a titled group of questions.
type Section struct {
	Zh        string     `json:"zh,omitempty"`
	En        string     `json:"en,omitempty"`
	Questions []Question `json:"questions"`
}

// Title is the section's title in a language.
func (s Section) Title() fault.Msg { return fault.Msg{Zh: s.Zh, En: s.En} }

// Definition is a form: its title, its introduction and its sections.
type Definition struct {
	Zh       string    `json:"zh"`
	En       string    `json:"en,omitempty"`
	IntroZh  string    `json:"intro_zh,omitempty"`
	IntroEn  string    `json:"intro_en,omitempty"`
	Sections []Section `json:"sections"`
}

// Title is the form's title in a language.
func (d Definition) Title() fault.Msg { return fault.Msg{Zh: d.Zh, En: d.En} }

// Intro is the form's introduction in a language.
func (d Definition) Intro() fault.Msg { return fault.Msg{Zh: d.IntroZh, En: d.IntroEn} }

// Questions are the form's questions in order, across its sections.
func (d Definition) Questions() []Question {
	var out []Question
	for _, s := range d.Sections {
		out = append(out, s.Questions...)
	}
	return out
}

// Question returns the question of key.
func (d Definition) Question(key string) (Question, bool) {
	for _, s := range d.Sections {
		for _, q := range s.Questions {
			if q.Key == key {
				return q, true
			}
		}
	}
	return Question{}, false
}

// FactKinds are the kinds of facts the form asks, for prefilling.
func (d Definition) FactKinds() []string {
	var out []string
	for _, q := range d.Questions() {
		if q.Type == Fact && !slices.Contains(out, q.Fact) {
			out = append(out, q.Fact)
		}
	}
	return out
}

// The bounds of a definition: what a phone can show and a person fill.
const (
	MaxSections  = 20
	MaxQuestions = 200
	MaxOptions   = 50
	MaxColumns   = 12
	MaxRowsLimit = 200
	MaxLabel     = 200  // characters of a title, a label, an option
	MaxHelp      = 1000 // characters of a help text or an introduction
	MaxAnswer    = 2000 // characters of a text answer
)

var keyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
var periodRE = regexp.MustCompile(`^(19|20)\d\d$`)

// Check refuses a definition that cannot be rendered or validated, with a
// message per place ("sections.0.questions.2.options"). A form is saved
// only when it passes.
func (d Definition) Check() error {
	f := fault.Fields{}
	text := func(place, s string, required bool, max int) {
		switch {
		case required && s == "":
			f.Add(place, "不能为空", "may not be empty")
		case utf8.RuneCountInString(s) > max:
			f.Add(place, fmt.Sprintf("不能超过 %d 个字", max), fmt.Sprintf("at most %d characters", max))
		case !utf8.ValidString(s):
			f.Add(place, "含有无效字符", "contains invalid characters")
		}
	}
	text("zh", d.Zh, true, MaxLabel)
	text("en", d.En, false, MaxLabel)
	text("intro_zh", d.IntroZh, false, MaxHelp)
	text("intro_en", d.IntroEn, false, MaxHelp)
	if len(d.Sections) == 0 {
		f.Add("sections", "表单至少要有一个部分", "a form needs a section")
	}
	if len(d.Sections) > MaxSections {
		f.Add("sections", fmt.Sprintf("部分不能超过 %d 个", MaxSections), fmt.Sprintf("at most %d sections", MaxSections))
		return f.Err()
	}
	seen := map[string]Question{}
	n := 0
	for i, s := range d.Sections {
		at := fmt.Sprintf("sections.%d", i)
		text(at+".zh", s.Zh, false, MaxLabel)
		text(at+".en", s.En, false, MaxLabel)
		if len(s.Questions) == 0 {
			f.Add(at+".questions", "这一部分还没有问题", "the section has no question")
		}
		for j, q := range s.Questions {
			n++
			if n > MaxQuestions {
				f.Add("sections", fmt.Sprintf("问题不能超过 %d 个", MaxQuestions), fmt.Sprintf("at most %d questions", MaxQuestions))
				return f.Err()
			}
			qat := fmt.Sprintf("%s.questions.%d", at, j)
			checkQuestion(f, text, qat, q, false)
			if _, dup := seen[q.Key]; dup && q.Key != "" {
				f.Add(qat+".key", "编号 "+q.Key+" 已被前面的问题使用", "the key "+q.Key+" is used by an earlier question")
			}
			if c := q.When; c != nil {
				checkCondition(f, qat+".when", *c, seen)
			}
			if q.Key != "" {
				seen[q.Key] = q
			}
		}
	}
	return f.Err()
}

// checkQuestion checks one question (a table's column when column).
func checkQuestion(f fault.Fields, text func(place, s string, required bool, max int), at string, q Question, column bool) {
	if !keyRE.MatchString(q.Key) {
		f.Add(at+".key", "编号须以小写字母开头，只含小写字母、数字和下划线，最多 32 位", "a key starts with a lower-case letter and holds lower-case letters, digits and underscores, at most 32")
	}
	text(at+".zh", q.Zh, true, MaxLabel)
	text(at+".en", q.En, false, MaxLabel)
	text(at+".help_zh", q.HelpZh, false, MaxHelp)
	text(at+".help_en", q.HelpEn, false, MaxHelp)
	text(at+".unit", q.Unit, false, 20)
	if !q.Type.Valid() {
		f.Add(at+".type", "未知的问题类型", "unknown question type")
		return
	}
	if column {
		if !slices.Contains([]Type{Text, Number, Date, YesNo}, q.Type) {
			f.Add(at+".type", "表格的列只能是文字、数字、日期或是/否", "a table's column is a text, a number, a date or a yes/no")
		}
		if q.When != nil {
			f.Add(at+".when", "表格的列不能有显示条件", "a table's column has no condition")
		}
	}
	if q.Type != Number && (q.Min != nil || q.Max != nil) {
		f.Add(at+".min", "只有数字题有上下限", "only a number has bounds")
	}
	for _, b := range []*float64{q.Min, q.Max} {
		if b != nil && !finite(*b) {
			f.Add(at+".min", "上下限须是数字", "a bound is a number")
		}
	}
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		f.Add(at+".max", "上限不能小于下限", "the maximum is below the minimum")
	}
	switch q.Type {
	case Choice, Multi:
		if len(q.Options) < 2 {
			f.Add(at+".options", "选择题至少要有两个选项", "a choice needs two options")
		}
		if len(q.Options) > MaxOptions {
			f.Add(at+".options", fmt.Sprintf("选项不能超过 %d 个", MaxOptions), fmt.Sprintf("at most %d options", MaxOptions))
		}
		values := map[string]bool{}
		for k, o := range q.Options {
			oat := fmt.Sprintf("%s.options.%d", at, k)
			if !keyRE.MatchString(o.Value) {
				f.Add(oat+".value", "选项编号须以小写字母开头，只含小写字母、数字和下划线", "an option's value starts with a lower-case letter and holds lower-case letters, digits and underscores")
			}
			if values[o.Value] {
				f.Add(oat+".value", "选项编号重复", "the option's value is repeated")
			}
			values[o.Value] = true
			text(oat+".zh", o.Zh, true, MaxLabel)
			text(oat+".en", o.En, false, MaxLabel)
		}
	default:
		if len(q.Options) > 0 {
			f.Add(at+".options", "只有选择题有选项", "only a choice has options")
		}
	}
	if q.Type == Table {
		if len(q.Columns) == 0 || len(q.Columns) > MaxColumns {
			f.Add(at+".columns", fmt.Sprintf("表格要有 1 到 %d 列", MaxColumns), fmt.Sprintf("a table has 1 to %d columns", MaxColumns))
		}
		if q.MaxRows < 0 || q.MaxRows > MaxRowsLimit {
			f.Add(at+".max_rows", fmt.Sprintf("行数上限须在 0 到 %d 之间", MaxRowsLimit), fmt.Sprintf("the row limit is between 0 and %d", MaxRowsLimit))
		}
		keys := map[string]bool{}
		for k, c := range q.Columns {
			cat := fmt.Sprintf("%s.columns.%d", at, k)
			checkQuestion(f, text, cat, c, true)
			if keys[c.Key] {
				f.Add(cat+".key", "列编号重复", "the column's key is repeated")
			}
			keys[c.Key] = true
		}
	} else if len(q.Columns) > 0 || q.MaxRows != 0 {
		f.Add(at+".columns", "只有表格题有列", "only a table has columns")
	}
	if q.Type == Fact {
		k, ok := dossier.KindOf(q.Fact)
		switch {
		case !ok:
			f.Add(at+".fact", "请选择企业事实的类别", "choose the kind of fact")
		case k.Period == dossier.Year && !periodRE.MatchString(q.Period):
			f.Add(at+".period", "按年度的事实须写明年份，如 2025", "a yearly fact needs its year, as 2025")
		case k.Period == dossier.Date && q.Period != "":
			f.Add(at+".period", "按日期的事实取填报当天，不写年份", "a dated fact is of the day it is answered; give no year")
		}
	} else if q.Fact != "" || q.Period != "" {
		f.Add(at+".fact", "只有企业事实题有事实类别", "only a fact question has a kind of fact")
	}
}

// checkCondition checks that a condition names an earlier question of
// yes/no or choice and one of its answers.
func checkCondition(f fault.Fields, at string, c Condition, earlier map[string]Question) {
	q, ok := earlier[c.Key]
	if !ok {
		f.Add(at+".key", "显示条件须引用前面的问题", "a condition names an earlier question")
		return
	}
	switch q.Type {
	case YesNo:
		if c.Equals != "yes" && c.Equals != "no" {
			f.Add(at+".equals", "是/否题的条件须为 yes 或 no", "a yes/no condition is yes or no")
		}
	case Choice, Multi:
		if !slices.ContainsFunc(q.Options, func(o Option) bool { return o.Value == c.Equals }) {
			f.Add(at+".equals", "条件须是该题的一个选项", "a condition is one of the question's options")
		}
	default:
		f.Add(at+".key", "显示条件只能引用是/否题或选择题", "a condition names a yes/no question or a choice")
	}
}

func finite(x float64) bool { return x == x && x <= 1e15 && x >= -1e15 }

// formatNumber writes a number as typed back, without exponent.
func formatNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
