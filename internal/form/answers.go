package form

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/dossier"
	"qifu/internal/fault"
)

// Answer is the answer to one question: one value (text, number, choice,
// date, "yes"/"no", a fact as typed), several (a multiple choice), or the
// rows of a table, each row one value per column.
type Answer struct {
	Values []string
	Rows   [][]string
}

// Value is the answer's single value, "" when none.
func (a Answer) Value() string {
	if len(a.Values) == 0 {
		return ""
	}
	return a.Values[0]
}

// Empty reports whether nothing was answered.
func (a Answer) Empty() bool { return len(a.Values) == 0 && len(a.Rows) == 0 }

// MarshalJSON writes a value as a string, values as an array of strings
// and rows as an array of arrays.
func (a Answer) MarshalJSON() ([]byte, error) {
	switch {
	case a.Rows != nil:
		return json.Marshal(a.Rows)
	case len(a.Values) == 1:
		return json.Marshal(a.Values[0])
	case a.Values == nil:
		return []byte(`""`), nil
	}
	return json.Marshal(a.Values)
}

// UnmarshalJSON reads what MarshalJSON writes; a number or a boolean is
// taken as its text, so that a client may send 35 or true.
func (a *Answer) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*a = Answer{}
	switch {
	case len(b) == 0:
		return errors.New("empty answer")
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s != "" {
			a.Values = []string{s}
		}
		return nil
	case b[0] == '[':
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		array := func(r json.RawMessage) bool { return bytes.HasPrefix(bytes.TrimSpace(r), []byte("[")) }
		if len(raw) > 0 && array(raw[0]) {
			// Rows: each an array of values, a cell as a value is read.
			a.Rows = make([][]string, 0, len(raw))
			for _, r := range raw {
				var row Answer
				if !array(r) {
					return errors.New("a table's rows are arrays")
				}
				if err := row.UnmarshalJSON(r); err != nil {
					return err
				}
				if row.Rows != nil {
					return errors.New("a table's cell is a string, a number or a boolean")
				}
				a.Rows = append(a.Rows, append([]string{}, row.Values...))
			}
			return nil
		}
		for _, r := range raw {
			var one Answer
			if array(r) {
				return errors.New("an answer's values are strings, numbers or booleans")
			}
			if err := one.UnmarshalJSON(r); err != nil {
				return err
			}
			a.Values = append(a.Values, one.Value())
		}
		return nil
	case string(b) == "null":
		return nil
	case string(b) == "true":
		a.Values = []string{"yes"}
		return nil
	case string(b) == "false":
		a.Values = []string{"no"}
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("an answer is a string, a number, a boolean or an array: %w", err)
	}
	a.Values = []string{n.String()}
	return nil
}

// OpenAPISchema is an answer's schema in the API's document: a string (a
// number or a boolean is taken as its text), a list of strings, or rows.
func (Answer) OpenAPISchema() map[string]any {
	str := map[string]any{"type": "string"}
	return map[string]any{"nullable": true, "anyOf": []any{str, map[string]any{"type": "number"}, map[string]any{"type": "boolean"},
		map[string]any{"type": "array", "items": str},
		map[string]any{"type": "array", "items": map[string]any{"type": "array", "items": str}}}}
}

// fileRE is a file question's answer: the uploaded file's reference.
var fileRE = regexp.MustCompile(`^file:[1-9][0-9]{0,17}$`)

// FileID is the ID of the uploaded file an answer of a file question names, or 0.
func FileID(a Answer) int64 {
	v := a.Value()
	if !fileRE.MatchString(v) {
		return 0
	}
	id, _ := strconv.ParseInt(v[len("file:"):], 10, 64)
	return id
}

// Answers are a submission's answers by question key.
type Answers map[string]Answer

// MaxAnswersBytes bounds a submission's answers as stored.
const MaxAnswersBytes = 256 << 10

// Visible reports whether q is shown given the answers to the questions before it.
func Visible(q Question, answers Answers) bool {
	if q.When == nil {
		return true
	}
	return slices.Contains(answers[q.When.Key].Values, q.When.Equals)
}

var (
	msgRequired = fault.Msg{Zh: "此项必填", En: "this is required"}
	msgNumber   = fault.Msg{Zh: "请填写数字", En: "enter a number"}
	msgDate     = fault.Msg{Zh: "请按 2026-03-02 的格式填写日期", En: "enter a date as 2026-03-02"}
	msgChoice   = fault.Msg{Zh: "请从选项中选择", En: "choose one of the options"}
	msgYesNo    = fault.Msg{Zh: "请选择是或否", En: "choose yes or no"}
	msgTooLong  = fault.Msg{Zh: fmt.Sprintf("不能超过 %d 个字", MaxAnswer), En: fmt.Sprintf("at most %d characters", MaxAnswer)}
)

// Clean validates answers against the definition, at now (a dated fact is
// of now's day): the answers of questions not shown are dropped, each value
// is normalised (a number as typed without spaces, a multiple choice in the
// options' order), and every question that is wrong has its message, keyed
// by the question's key (a table's cell by "key.row.column", counting from
// 1). For a draft (final false) a missing required answer is no error.
func Clean(d Definition, in Answers, now time.Time, final bool) (Answers, error) {
	out := Answers{}
	f := fault.Fields{}
	for _, q := range d.Questions() {
		if !Visible(q, out) {
			continue
		}
		a := in[q.Key]
		clean, msg := cleanAnswer(q, a, now, final)
		if msg != nil {
			f[q.Key] = *msg
			continue
		}
		for key, m := range clean.cells {
			f[q.Key+"."+key] = m
		}
		if clean.answer.Empty() {
			if final && q.Required {
				f[q.Key] = msgRequired
			}
			continue
		}
		out[q.Key] = clean.answer
	}
	for key := range in {
		if _, ok := d.Question(key); !ok {
			f.Add(key, "表单中没有这个问题", "the form has no such question")
		}
	}
	return out, f.Err()
}

type cleaned struct {
	answer Answer
	cells  map[string]fault.Msg
}

// cleanAnswer validates one answer (of a final submission when final).
func cleanAnswer(q Question, a Answer, now time.Time, final bool) (cleaned, *fault.Msg) {
	if q.Type == Table {
		return cleanTable(q, a, now, final)
	}
	if len(a.Rows) > 0 {
		return cleaned{}, &fault.Msg{Zh: "此题不是表格", En: "this question is not a table"}
	}
	values := a.Values
	if q.Type != Multi && len(values) > 1 {
		return cleaned{}, &fault.Msg{Zh: "此题只能有一个答案", En: "this question takes one answer"}
	}
	if q.Type == Multi {
		var picked []string
		for _, o := range q.Options {
			if slices.Contains(values, o.Value) {
				picked = append(picked, o.Value)
			}
		}
		for _, v := range values {
			if strings.TrimSpace(v) != "" && !slices.ContainsFunc(q.Options, func(o Option) bool { return o.Value == v }) {
				return cleaned{}, &msgChoice
			}
		}
		return cleaned{answer: Answer{Values: picked}}, nil
	}
	v, msg := cleanValue(q, strings.TrimSpace(Answer{Values: values}.Value()), now)
	if msg != nil {
		return cleaned{}, msg
	}
	if v == "" {
		return cleaned{}, nil
	}
	return cleaned{answer: Answer{Values: []string{v}}}, nil
}

// cleanValue validates one value of a question that is not a table or a
// multiple choice; "" is no answer.
func cleanValue(q Question, v string, now time.Time) (string, *fault.Msg) {
	if v == "" {
		return "", nil
	}
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > MaxAnswer {
		return "", &msgTooLong
	}
	switch q.Type {
	case Text:
		if !q.Long {
			v = strings.Join(strings.Fields(v), " ")
		}
		return v, nil
	case Number:
		x, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
		if err != nil || !finite(x) {
			return "", &msgNumber
		}
		if q.Min != nil && x < *q.Min {
			return "", &fault.Msg{Zh: "不能小于 " + formatNumber(*q.Min), En: "at least " + formatNumber(*q.Min)}
		}
		if q.Max != nil && x > *q.Max {
			return "", &fault.Msg{Zh: "不能大于 " + formatNumber(*q.Max), En: "at most " + formatNumber(*q.Max)}
		}
		return formatNumber(x), nil
	case Choice:
		if !slices.ContainsFunc(q.Options, func(o Option) bool { return o.Value == v }) {
			return "", &msgChoice
		}
		return v, nil
	case File:
		if !fileRE.MatchString(v) {
			return "", &fault.Msg{Zh: "请上传文件", En: "upload a file"}
		}
		return v, nil
	case Date:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return "", &msgDate
		}
		return v, nil
	case YesNo:
		switch strings.ToLower(v) {
		case "yes", "是", "true":
			return "yes", nil
		case "no", "否", "false":
			return "no", nil
		}
		return "", &msgYesNo
	case Fact:
		fact, err := q.factOf(v, 0, now)
		if err != nil {
			m := fault.As(err)
			if m != nil {
				// The first field's message, the same at every call.
				for _, k := range slices.Sorted(maps.Keys(m.Fields)) {
					msg := m.Fields[k]
					return "", &msg
				}
				return "", &m.Message
			}
			return "", &msgNumber
		}
		return fact.Input(), nil
	}
	return "", &fault.Msg{Zh: "未知的问题类型", En: "unknown question type"}
}

// cleanTable validates a table's rows: empty rows are dropped, each cell
// is its column's value, and the rows are at most the table's limit; a
// required column is enforced in a final submission's rows, as a required
// question is.
func cleanTable(q Question, a Answer, now time.Time, final bool) (cleaned, *fault.Msg) {
	if slices.ContainsFunc(a.Values, func(v string) bool { return strings.TrimSpace(v) != "" }) {
		return cleaned{}, &fault.Msg{Zh: "表格题须按行填写", En: "a table is answered in rows"}
	}
	limit := q.MaxRows
	if limit == 0 {
		limit = 50
	}
	out := cleaned{cells: map[string]fault.Msg{}}
	for _, row := range a.Rows {
		if len(row) > len(q.Columns) {
			return cleaned{}, &fault.Msg{Zh: "行的列数多于表格", En: "a row has more cells than the table has columns"}
		}
		clean := make([]string, len(q.Columns))
		blank := true
		for c, col := range q.Columns {
			v := ""
			if c < len(row) {
				v = strings.TrimSpace(row[c])
			}
			cv, msg := cleanValue(col, v, now)
			if msg != nil {
				out.cells[fmt.Sprintf("%d.%d", len(out.answer.Rows)+1, c+1)] = *msg
			}
			clean[c] = cv
			blank = blank && v == ""
		}
		if blank {
			continue
		}
		out.answer.Rows = append(out.answer.Rows, clean)
	}
	if len(out.answer.Rows) > limit {
		return cleaned{}, &fault.Msg{Zh: fmt.Sprintf("最多 %d 行", limit), En: fmt.Sprintf("at most %d rows", limit)}
	}
	for k, col := range q.Columns {
		if !col.Required || !final {
			continue
		}
		for r, row := range out.answer.Rows {
			if row[k] == "" {
				out.cells[fmt.Sprintf("%d.%d", r+1, k+1)] = msgRequired
			}
		}
	}
	return out, nil
}

// factOf is the fact a fact question's answer v states, of enterprise id, at now.
func (q Question) factOf(v string, id int64, now time.Time) (dossier.Fact, error) {
	k, ok := dossier.KindOf(q.Fact)
	if !ok {
		return dossier.Fact{}, fault.Fields{q.Key: {Zh: "未知的事实类别", En: "unknown kind of fact"}}.Err()
	}
	num, text, err := dossier.ParseValue(k, v)
	if err != nil {
		return dossier.Fact{}, err
	}
	period := q.Period
	if k.Period == dossier.Date {
		period = now.Format(time.DateOnly)
	}
	f := dossier.Fact{EnterpriseID: id, Kind: k.Key, Period: period, Num: num, Text: text}
	// The fact has no source yet (the recorder's role gives it): check it
	// as if it had one, so that its kind, period and value alone are judged.
	probe := f
	probe.Source = dossier.Declared
	return f, probe.Check(now)
}

// Facts are the facts that clean answers state about enterprise id, at
// now: one per answered fact question, without a source (the recorder's
// role gives it) and with ref naming the submission.
func Facts(d Definition, answers Answers, id int64, now time.Time, ref string) ([]dossier.Fact, error) {
	var out []dossier.Fact
	for _, q := range d.Questions() {
		a, ok := answers[q.Key]
		if q.Type != Fact || !ok || a.Value() == "" {
			continue
		}
		f, err := q.factOf(a.Value(), id, now)
		if err != nil {
			return nil, err
		}
		f.Ref = ref
		out = append(out, f)
	}
	return out, nil
}

// Display is an answer in words, for a page or an export's cell: options
// by their labels, yes/no in words, a fact with its unit, a table's rows
// separated by "；".
func Display(q Question, a Answer, lang string) string {
	label := func(v string) string {
		for _, o := range q.Options {
			if o.Value == v {
				return fault.Msg{Zh: o.Zh, En: o.En}.In(lang)
			}
		}
		return v
	}
	yesNo := func(v string) string {
		switch v {
		case "yes":
			return fault.Msg{Zh: "是", En: "yes"}.In(lang)
		case "no":
			return fault.Msg{Zh: "否", En: "no"}.In(lang)
		}
		return v
	}
	switch q.Type {
	case Choice:
		return label(a.Value())
	case Multi:
		var out []string
		for _, v := range a.Values {
			out = append(out, label(v))
		}
		return strings.Join(out, "、")
	case YesNo:
		return yesNo(a.Value())
	case Number:
		if a.Value() != "" && q.Unit != "" {
			return a.Value() + " " + q.Unit
		}
	case Fact:
		if k, ok := dossier.KindOf(q.Fact); ok && a.Value() != "" {
			if u := k.Unit().In(lang); u != "" {
				return a.Value() + " " + u
			}
		}
	case Table:
		var rows []string
		for _, r := range a.Rows {
			cells := make([]string, len(r))
			for c, v := range r {
				if c < len(q.Columns) && q.Columns[c].Type == YesNo {
					v = yesNo(v)
				}
				cells[c] = v
			}
			rows = append(rows, strings.Join(cells, ", "))
		}
		return strings.Join(rows, "；")
	}
	return a.Value()
}
