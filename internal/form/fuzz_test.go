package form

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"qifu/internal/dossier"
	"qifu/internal/fault"
)

// sample is an answer to q: variant 0 a plausible one, 1 one at the edges
// (bounds, a single option, too many rows), 2 a wrong one (labels for
// values, days that do not exist, rows too long), and any other the fuzzer's
// value in every place.
func sample(q Question, variant int, value string) Answer {
	one := func(v string) Answer { return Answer{Values: []string{v}} }
	if variant > 2 {
		if q.Type == Table {
			row := make([]string, len(q.Columns))
			for i := range row {
				row[i] = value
			}
			return Answer{Rows: [][]string{row, {value}, {}}}
		}
		return Answer{Values: []string{value, value}[:1+len(value)%2]}
	}
	switch q.Type {
	case Text:
		return one([]string{"  一 二\t三 ", "x", "\n"}[variant])
	case Number:
		switch {
		case variant == 0 && q.Min != nil:
			return one(formatNumber(*q.Min))
		case variant == 1 && q.Max != nil:
			return one(formatNumber(*q.Max))
		case variant == 2 && q.Max != nil:
			return one(formatNumber(*q.Max + 1))
		}
		return one([]string{"1,200", "-0", "1e3"}[variant])
	case Choice:
		if variant == 2 {
			return one(q.Options[0].Zh)
		}
		return one(q.Options[variant%len(q.Options)].Value)
	case Multi:
		var vs []string
		for _, o := range q.Options {
			vs = append(vs, o.Value)
		}
		slices.Reverse(vs)
		switch variant {
		case 1:
			vs = vs[:1]
		case 2:
			vs = append(vs, "zz")
		}
		return Answer{Values: vs}
	case Date:
		return one([]string{"2026-03-02", "1900-01-01", "2026-02-30"}[variant])
	case YesNo:
		return one([]string{"是", "no", "maybe"}[variant])
	case Table:
		n := 2
		if variant == 1 {
			n = q.MaxRows + 1
			if q.MaxRows == 0 {
				n = 51
			}
		}
		var rows [][]string
		for i := 0; i < n; i++ {
			var row []string
			for _, c := range q.Columns {
				row = append(row, sample(c, variant, value).Value())
			}
			if variant == 2 {
				row = append(row, "extra")
			}
			rows = append(rows, row, nil)
		}
		return Answer{Rows: rows}
	case Fact:
		k, _ := dossier.KindOf(q.Fact)
		switch k.Type {
		case dossier.Count:
			return one([]string{"35", "0", "3.5"}[variant])
		case dossier.Yuan:
			return one([]string{"1200.5", "0.01", "1.234"}[variant])
		case dossier.Percent:
			return one([]string{"35.5", "100", "100.01"}[variant])
		}
		return one([]string{"高新技术企业", "x", ""}[variant])
	}
	return one(value)
}

// checkClean holds the properties of Clean of any answers to a definition
// that passes Check: it does not panic; the clean answers are answers to
// the form's questions, none empty; they go to JSON and back unchanged;
// cleaning them again does not panic, and when the first cleaning found
// nothing wrong, finds nothing wrong and changes nothing; their facts are
// had without error, one per answered fact question; and they display.
func checkClean(t *testing.T, d Definition, in Answers, final bool) {
	t.Helper()
	out, err := Clean(d, in, now, final)
	if err != nil {
		if fe := fault.As(err); fe == nil || fe.Kind != fault.Invalid || len(fe.Fields) == 0 {
			t.Fatalf("Clean: %v, want an Invalid error with fields", err)
		}
	}
	for k, a := range out {
		if _, ok := d.Question(k); !ok {
			t.Fatalf("clean answers hold %q, not a question", k)
		}
		if a.Empty() {
			t.Fatalf("clean answer %q is empty", k)
		}
	}
	b, jerr := json.Marshal(out)
	if jerr != nil {
		t.Fatalf("marshal %v: %v", out, jerr)
	}
	var back Answers
	if jerr := json.Unmarshal(b, &back); jerr != nil || !reflect.DeepEqual(back, out) {
		t.Fatalf("%s read back as %#v, %v; want %#v", b, back, jerr, out)
	}
	again, err2 := Clean(d, out, now, final)
	if err != nil {
		return
	}
	if err2 != nil || !reflect.DeepEqual(again, out) {
		t.Fatalf("Clean not idempotent:\n in    %#v\n out   %#v\n again %#v, %v", in, out, again, err2)
	}
	facts, ferr := Facts(d, out, 1, now, "fuzz")
	n := 0
	for _, q := range d.Questions() {
		if _, ok := out[q.Key]; ok && q.Type == Fact {
			n++
		}
	}
	if ferr != nil || len(facts) != n {
		t.Fatalf("Facts of clean answers: %d facts, %v; want %d", len(facts), ferr, n)
	}
	for _, f := range facts {
		f.Source = dossier.Declared
		if err := f.Check(now); err != nil {
			t.Fatalf("fact %+v of clean answers: %v", f, err)
		}
	}
	for _, q := range d.Questions() {
		Display(q, out[q.Key], "zh")
		Display(q, out[q.Key], "en")
	}
}

// FuzzDefinition holds that a definition that passes Check can be
// rendered and validated: it passes again after a JSON round trip, and
// Clean of answers made from it keeps checkClean's properties.
func FuzzDefinition(f *testing.F) {
	s, _ := json.Marshal(survey())
	f.Add(s, "是")
	f.Add([]byte(`{"zh":"x","sections":[{"questions":[{"key":"a","type":"text","zh":"a","required":true}]}]}`), "  a  ")
	f.Add([]byte(`{"zh":"x","sections":[{"questions":[{"key":"n","type":"number","zh":"n","min":-1.5,"max":1e15}]}]}`), "1,000.25")
	f.Add([]byte(`{"zh":"x","sections":[{"questions":[{"key":"m","type":"multi","zh":"m","options":[{"value":"a","zh":"甲"},{"value":"b","zh":"乙"}]},`+
		`{"key":"t","type":"table","zh":"t","max_rows":1,"when":{"key":"m","equals":"b"},"columns":[{"key":"c","type":"date","zh":"c","required":true},{"key":"y","type":"yesno","zh":"y"}]}]},`+
		`{"questions":[{"key":"f","type":"fact","zh":"f","fact":"export_share","period":"2025"},{"key":"g","type":"fact","zh":"g","fact":"insured","when":{"key":"m","equals":"a"}}]}]}`), "2026-03-02")
	f.Add([]byte(`{"zh":"x","sections":[{"questions":[{"key":"y","type":"yesno","zh":"y"},{"key":"r","type":"fact","zh":"r","fact":"revenue","period":"2026","when":{"key":"y","equals":"no"}}]}]}`), "0.5")
	f.Fuzz(func(t *testing.T, data []byte, value string) {
		var d Definition
		if json.Unmarshal(data, &d) != nil || d.Check() != nil {
			return
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var back Definition
		if err := json.Unmarshal(b, &back); err != nil || back.Check() != nil {
			t.Fatalf("%s after a round trip: %v, %v", b, err, back.Check())
		}
		for variant := 0; variant < 4; variant++ {
			in := Answers{}
			for _, q := range d.Questions() {
				in[q.Key] = sample(q, variant, value)
			}
			checkClean(t, d, in, false)
			checkClean(t, d, in, true)
		}
		checkClean(t, d, Answers{}, true)
	})
}

// FuzzAnswers holds checkClean's properties for any answers a client may
// send to the survey, and that answers read, written and read again clean
// the same.
func FuzzAnswers(f *testing.F) {
	s, _ := json.Marshal(answers())
	f.Add(s)
	for _, s := range []string{
		`{}`,
		`null`,
		`{"company_type":"foreign","foreign_detail":"  a  b ","exporter":true,"markets":["us","eu","us"]}`,
		`{"exporter":false,"markets":["mars"],"employees":35,"revenue":1200.5,"certification":"GR1"}`,
		`{"loans":[[500,"工商银行","2026-12-31",true],[],["","",""],["x","y","z","w"]]}`,
		`{"loans":[[1,"a"],[2,"b"],[3,"c"],[4,"d"]],"hires":"0x1p-2","growth":"-0"}`,
		`{"revenue":1e400,"employees":"10000001","founded":"2026-02-30","needs":["a","b"]}`,
		`{"mood":"good","loans":"500","needs":[["a"]]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in Answers
		if json.Unmarshal(data, &in) != nil {
			return
		}
		d := survey()
		checkClean(t, d, in, false)
		checkClean(t, d, in, true)

		b, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("marshal %#v: %v", in, err)
		}
		var back Answers
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s does not read back: %v", b, err)
		}
		out1, err1 := Clean(d, in, now, true)
		out2, err2 := Clean(d, back, now, true)
		if !reflect.DeepEqual(out1, out2) || !slices.Equal(keys(fieldsOf(t, err1)), keys(fieldsOf(t, err2))) {
			t.Fatalf("%s and %s clean differently: %v %v / %v %v", data, b, out1, err1, out2, err2)
		}
	})
}
