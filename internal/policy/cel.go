package policy

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"

	"qifu/internal/fault"
)

// An expert's condition is an expression of the Common Expression Language
// over the fields, each a variable of its key:
//
//	int     employees, insured                          (people)
//	double  revenue, tax_paid, output, exports, rd_spend (万元)
//	double  export_share                                 (per cent, 0–100)
//	bool    foreign_trade
//	string  industry, size, key_level, registered_on     ("34", "small", "none", "2020-05-01")
//	list    tags, certifications, region                 (region: the grid, community, street and district codes)
//
// for example `employees >= 50 && (industry in ['34', '35'] || '高新技术企业' in certifications)`.
// Numbers of either kind compare with each other. A field the enterprise's
// file does not hold is unknown, and so is the expression unless the rest
// decides it (`false && x` is false whatever x).

var (
	celOnce sync.Once
	celEnv  *cel.Env
	celErr  error
)

func env() (*cel.Env, error) {
	celOnce.Do(func() {
		opts := []cel.EnvOption{cel.CrossTypeNumericComparisons(true), cel.ParserExpressionSizeLimit(MaxCEL)}
		for _, f := range Fields {
			opts = append(opts, cel.Variable(f.Key, celType(f)))
		}
		celEnv, celErr = cel.NewEnv(opts...)
	})
	return celEnv, celErr
}

func celType(f Field) *cel.Type {
	switch {
	case f.Key == "region" || f.Type == List:
		return cel.ListType(cel.StringType)
	case f.Type == Int:
		return cel.IntType
	case f.Type == Amount || f.Type == Share:
		return cel.DoubleType
	case f.Type == Bool:
		return cel.BoolType
	}
	return cel.StringType
}

// celProgram is an expression compiled once, with the fields it reads.
type celProgram struct {
	prg    cel.Program
	fields []Field
}

// compileCEL parses and type-checks an expression; a message with its
// place (line and column) when it cannot be used.
func compileCEL(text string) (*celProgram, *fault.Msg) {
	if len(text) > MaxCEL {
		return nil, &fault.Msg{Zh: fmt.Sprintf("表达式不能超过 %d 个字符", MaxCEL), En: fmt.Sprintf("at most %d characters", MaxCEL)}
	}
	e, err := env()
	if err != nil {
		return nil, &fault.Msg{Zh: "规则引擎不可用", En: "the rule engine is unavailable"}
	}
	ast, iss := e.Compile(text)
	if iss != nil && iss.Err() != nil {
		first := iss.Errors()[0]
		line, col := first.Location.Line(), first.Location.Column()+1
		return nil, &fault.Msg{
			Zh: fmt.Sprintf("第 %d 行第 %d 列：%s", line, col, first.Message),
			En: fmt.Sprintf("line %d, column %d: %s", line, col, first.Message),
		}
	}
	if !ast.OutputType().IsExactType(cel.BoolType) {
		return nil, &fault.Msg{Zh: "表达式的结果须为是/否（bool），而不是 " + ast.OutputType().String(), En: "the expression must give a bool, not " + ast.OutputType().String()}
	}
	prg, err := e.Program(ast, cel.EvalOptions(cel.OptPartialEval), cel.CostLimit(100_000))
	if err != nil {
		return nil, &fault.Msg{Zh: "表达式无法执行：" + err.Error(), En: "the expression cannot run: " + err.Error()}
	}
	p := &celProgram{prg: prg}
	for _, ref := range ast.NativeRep().ReferenceMap() {
		if f, ok := FieldOf(ref.Name); ok && !slices.ContainsFunc(p.fields, func(g Field) bool { return g.Key == f.Key }) {
			p.fields = append(p.fields, f)
		}
	}
	slices.SortFunc(p.fields, func(a, b Field) int { return strings.Compare(a.Key, b.Key) })
	return p, nil
}

// activation resolves the fields of one enterprise for an expression.
type activation struct {
	p      *Profile
	period string
	strict bool
}

func (a activation) ResolveName(name string) (any, bool) {
	f, ok := FieldOf(name)
	if !ok {
		return nil, false
	}
	v := a.p.read(f, a.period, a.strict)
	switch {
	case f.Key == "region" || f.Type == List:
		return v.list, true
	case f.Type == Int:
		return v.num, true
	case f.Type == Amount:
		return float64(v.num) / 10000, true
	case f.Type == Share:
		return float64(v.num) / 100, true
	case f.Type == Bool:
		return v.flag, true
	case f.Key == "key_level" && v.text == "":
		return "none", true
	}
	return v.text, true
}

func (a activation) Parent() interpreter.Activation { return nil }

// eval evaluates the expression for an enterprise: met, not met, or
// unknown with the fields it lacked.
func (c *celProgram) eval(p *Profile, period string, strict bool) (Verdict, []Field) {
	act := activation{p: p, period: period, strict: strict}
	var lacking []Field
	var patterns []*cel.AttributePatternType
	for _, f := range c.fields {
		// a strict list with a value of a weaker source may hold what is asked
		if v := p.read(f, period, strict); !v.known || (strict && f.Type == List && v.weak) {
			lacking = append(lacking, f)
			patterns = append(patterns, cel.AttributePattern(f.Key))
		}
	}
	var in any = act
	if len(patterns) > 0 {
		pa, err := cel.PartialVars(act, patterns...)
		if err != nil {
			return Unknown, lacking
		}
		in = pa
	}
	out, _, err := c.prg.Eval(in)
	switch {
	case err != nil || out == nil:
		return Unknown, lacking
	case types.IsUnknown(out):
		return Unknown, lacking
	case out == types.True:
		return Met, nil
	case out == types.False:
		return NotMet, nil
	}
	return Unknown, lacking
}

func (c *celProgram) explain(p *Profile, cond Condition, o Outcome) Outcome {
	v, lacking := c.eval(p, cond.Period, cond.Authoritative)
	o.Verdict = v
	if v == Unknown {
		var zh, en []string
		for _, f := range lacking {
			m := missing(f, cond.Period, cond.Authoritative, p.read(f, cond.Period, cond.Authoritative))
			zh, en = append(zh, m.Zh), append(en, m.En)
		}
		if len(lacking) == 1 {
			o.Field, o.Period, o.Holder = lacking[0].Key, cond.Period, lacking[0].Holder
			o.SelfDeclared = !cond.Authoritative && lacking[0].Fact != ""
		}
		if len(zh) == 0 {
			zh, en = []string{"规则无法对该企业计算，请工作人员核实"}, []string{"the rule cannot be worked out for this enterprise; staff will check"}
		}
		o.Why = fault.Msg{Zh: strings.Join(zh, "；"), En: strings.Join(en, "; ")}
		return o
	}
	var zh, en []string
	for _, f := range c.fields {
		val := p.read(f, cond.Period, cond.Authoritative)
		if !val.known {
			zh, en = append(zh, f.Zh+"：未知"), append(en, f.En+": unknown")
			continue
		}
		zh, en = append(zh, shown(f, val, "zh")), append(en, shown(f, val, "en"))
	}
	if len(zh) == 0 {
		zh, en = []string{"规则不取决于企业数据"}, []string{"the rule does not depend on the enterprise's data"}
	}
	o.Why = fault.Msg{Zh: strings.Join(zh, "；"), En: strings.Join(en, "; ")}
	return o
}
