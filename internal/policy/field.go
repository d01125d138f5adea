package policy

import (
	"slices"
	"strconv"
	"strings"

	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// Type is the type of a field's values, as a condition compares them.
type Type string

// The field types.
const (
	Int    Type = "int"    // a whole number: people
	Amount Type = "amount" // yuan, typed and shown in 万元
	Share  Type = "share"  // hundredths of a per cent, typed in per cent
	Bool   Type = "bool"   // yes or no
	Code   Type = "code"   // one code of a list: an industry, a size, a region
	List   Type = "list"   // a set of words: tags, certifications
	Date   Type = "date"   // a day, "2020-05-01"
)

// Op is how a condition compares a field with its value.
type Op string

// The operators.
const (
	Ge     Op = "ge"      // ≥
	Gt     Op = "gt"      // >
	Le     Op = "le"      // ≤
	Lt     Op = "lt"      // <
	Eq     Op = "eq"      // =
	Ne     Op = "ne"      // ≠
	In     Op = "in"      // one of
	NotIn  Op = "not_in"  // none of
	Has    Op = "has"     // the set holds
	HasNot Op = "has_not" // the set does not hold
)

// opSigns are the operators as a person reads them.
var opSigns = map[Op]fault.Msg{
	Ge: {Zh: "≥", En: "≥"}, Gt: {Zh: ">", En: ">"}, Le: {Zh: "≤", En: "≤"}, Lt: {Zh: "<", En: "<"},
	Eq: {Zh: "为", En: "is"}, Ne: {Zh: "不为", En: "is not"},
	In: {Zh: "属于", En: "is one of"}, NotIn: {Zh: "不属于", En: "is none of"},
	Has: {Zh: "包含", En: "includes"}, HasNot: {Zh: "不包含", En: "does not include"},
}

// Sign is the operator as a person reads it.
func (o Op) Sign() fault.Msg { return opSigns[o] }

// opsOf are the operators each type takes.
var opsOf = map[Type][]Op{
	Int:    {Ge, Gt, Le, Lt, Eq, Ne},
	Amount: {Ge, Gt, Le, Lt},
	Share:  {Ge, Gt, Le, Lt},
	Bool:   {Eq},
	Code:   {In, NotIn},
	List:   {Has, HasNot},
	Date:   {Ge, Le},
}

// Option is one value of a code field with a fixed list.
type Option struct {
	Value  string
	Zh, En string
}

// Field is what a condition can ask of an enterprise: a column of its
// record (登记信息) or a fact of its file with a source and period.
type Field struct {
	Key    string
	Zh, En string
	Type   Type
	// Fact is the kind of the enterprise's file the field reads; "" for the
	// registry's own fields, which are authoritative (the market-supervision
	// registry and the grid's record).
	Fact string
	// Holder is who can supply the value with authority.
	Holder fault.Msg
	// Options are a code field's values ("" for codes checked elsewhere:
	// industries, regions).
	Options []Option
}

// Name names the field.
func (f Field) Name() fault.Msg { return fault.Msg{Zh: f.Zh, En: f.En} }

// Ops are the operators the field takes.
func (f Field) Ops() []Op { return opsOf[f.Type] }

// Period is how the field's fact is dated ("" for the registry's fields).
func (f Field) Period() dossier.Period {
	if k, ok := dossier.KindOf(f.Fact); ok {
		return k.Period
	}
	return ""
}

var (
	taxBureau    = fault.Msg{Zh: "税务部门", En: "the tax bureau"}
	hrBureau     = fault.Msg{Zh: "人力社保部门", En: "the human-resources bureau"}
	statsBureau  = fault.Msg{Zh: "统计部门", En: "the statistics bureau"}
	tradeBureau  = fault.Msg{Zh: "商务部门（海关数据）", En: "the commerce bureau (customs data)"}
	scienceBur   = fault.Msg{Zh: "科技部门", En: "the science bureau"}
	registryDept = fault.Msg{Zh: "市场监管部门", En: "market supervision"}
	gridHolder   = fault.Msg{Zh: "所在社区（网格）", En: "the enterprise's community (grid)"}
)

// Sizes are the size classes as a condition names them.
var Sizes = []Option{
	{Value: string(enterprise.SizeLarge), Zh: "大型", En: "large"},
	{Value: string(enterprise.SizeMedium), Zh: "中型", En: "medium"},
	{Value: string(enterprise.SizeSmall), Zh: "小型", En: "small"},
	{Value: string(enterprise.SizeMicro), Zh: "微型", En: "micro"},
}

// KeyLevels are the key-enterprise levels as a condition names them.
var KeyLevels = []Option{
	{Value: "none", Zh: "非重点企业", En: "not a key enterprise"},
	{Value: string(enterprise.KeyDistrict), Zh: "区级重点", En: "district key"},
	{Value: string(enterprise.KeyCity), Zh: "市级重点", En: "city key"},
}

// Fields are what conditions can ask, in the order of the editor's form.
var Fields = []Field{
	{Key: "industry", Zh: "行业（国民经济行业大类）", En: "industry (GB/T 4754 division)", Type: Code, Holder: registryDept},
	{Key: "size", Zh: "企业规模", En: "size class", Type: Code, Holder: statsBureau, Options: Sizes},
	{Key: "region", Zh: "所在区域", En: "region", Type: Code, Holder: gridHolder},
	{Key: "key_level", Zh: "重点企业级别", En: "key-enterprise level", Type: Code, Holder: gridHolder, Options: KeyLevels},
	{Key: "foreign_trade", Zh: "外贸企业", En: "foreign-trade enterprise", Type: Bool, Holder: tradeBureau},
	{Key: "tags", Zh: "标签与名单", En: "tags and lists", Type: List, Holder: gridHolder},
	{Key: "registered_on", Zh: "成立日期", En: "date of registration", Type: Date, Holder: registryDept},
	{Key: "employees", Zh: "从业人员", En: "employees", Type: Int, Fact: "employees", Holder: statsBureau},
	{Key: "insured", Zh: "社保参保人数", En: "social-insurance headcount", Type: Int, Fact: "insured", Holder: hrBureau},
	{Key: "revenue", Zh: "营业收入", En: "revenue", Type: Amount, Fact: "revenue", Holder: taxBureau},
	{Key: "tax_paid", Zh: "纳税额", En: "tax paid", Type: Amount, Fact: "tax_paid", Holder: taxBureau},
	{Key: "output", Zh: "工业总产值", En: "industrial output", Type: Amount, Fact: "output", Holder: statsBureau},
	{Key: "exports", Zh: "出口额", En: "exports", Type: Amount, Fact: "exports", Holder: tradeBureau},
	{Key: "export_share", Zh: "外贸占比", En: "foreign-trade share", Type: Share, Fact: "export_share", Holder: tradeBureau},
	{Key: "rd_spend", Zh: "研发投入", En: "R&D spending", Type: Amount, Fact: "rd_spend", Holder: scienceBur},
	{Key: "certifications", Zh: "资质认定", En: "certifications", Type: List, Fact: "certification", Holder: scienceBur},
}

// FieldOf returns the field with key.
func FieldOf(key string) (Field, bool) {
	i := slices.IndexFunc(Fields, func(f Field) bool { return f.Key == key })
	if i < 0 {
		return Field{}, false
	}
	return Fields[i], true
}

// FactKinds are the kinds of the file the fields read.
func FactKinds() []string {
	var out []string
	for _, f := range Fields {
		if f.Fact != "" {
			out = append(out, f.Fact)
		}
	}
	return out
}

// FactValue is the current value of one kind and period of an enterprise's
// file.
type FactValue struct {
	Kind   string
	Period string
	Num    int64
	Text   string
	Source dossier.Source
}

// Profile is what the evaluator knows of one enterprise: its record and
// the current values of its file. A loader fills only what the rules at
// hand read.
type Profile struct {
	EnterpriseID int64
	Name         string
	Grid         string
	Community    string
	Street       string
	District     string
	Industry     string
	Size         string
	KeyLevel     string // "none", "district", "city"
	ForeignTrade bool
	Tags         []string
	RegisteredOn string // "" when the registry has no date
	// Facts are the current facts, any order, at most one per kind and period.
	Facts []FactValue
}

// InRegion reports whether the enterprise lies in the region code.
func (p *Profile) InRegion(code string) bool {
	return code != "" && (code == p.Grid || code == p.Community || code == p.Street || code == p.District)
}

// fact returns the current fact of kind for the period asked: a year
// ("2025") exactly; a date: the latest on or before it; "": the latest.
func (p *Profile) fact(kind, period string, dated bool) (FactValue, bool) {
	switch {
	case dated && len(period) == 4: // a year asked of a dated fact: as of its end
		period += "-12-31"
	case !dated && len(period) == 10: // a day asked of a yearly fact: its year
		period = period[:4]
	}
	var best FactValue
	found := false
	for _, f := range p.Facts {
		if f.Kind != kind {
			continue
		}
		switch {
		case period == "":
		case dated:
			if f.Period > period {
				continue
			}
		case f.Period != period:
			continue
		}
		if !found || f.Period > best.Period {
			best, found = f, true
		}
	}
	return best, found
}

// texts returns the current texts of kind (certifications), those of an
// authoritative source apart.
func (p *Profile) texts(kind string) (all, authoritative []string) {
	for _, f := range p.Facts {
		if f.Kind == kind && f.Text != "" {
			all = append(all, f.Text)
			if f.Source.Authoritative() {
				authoritative = append(authoritative, f.Text)
			}
		}
	}
	return all, authoritative
}

// value is a field's value for one enterprise as a condition reads it.
type value struct {
	known  bool
	num    int64
	text   string
	list   []string
	flag   bool
	source dossier.Source
	period string
	// weak is a value that exists but is not of the source the condition
	// needs (a self-declared revenue where the tax bureau's is required).
	weak bool
}

// read returns the value of field f for a condition that needs period and,
// when strict, an authoritative source.
func (p *Profile) read(f Field, period string, strict bool) value {
	switch f.Key {
	case "industry":
		return value{known: p.Industry != "", text: p.Industry}
	case "size":
		return value{known: p.Size != "", text: p.Size}
	case "region":
		return value{known: p.Grid != "", list: []string{p.Grid, p.Community, p.Street, p.District}}
	case "key_level":
		return value{known: true, text: p.KeyLevel}
	case "foreign_trade":
		return value{known: true, flag: p.ForeignTrade}
	case "tags":
		return value{known: true, list: p.Tags}
	case "registered_on":
		return value{known: p.RegisteredOn != "", text: p.RegisteredOn}
	}
	if f.Type == List {
		all, auth := p.texts(f.Fact)
		if strict {
			return value{known: true, list: auth, weak: len(auth) < len(all)}
		}
		return value{known: true, list: all}
	}
	fv, ok := p.fact(f.Fact, period, f.Period() == dossier.Date)
	if !ok {
		return value{}
	}
	v := value{known: true, num: fv.Num, text: fv.Text, source: fv.Source, period: fv.Period}
	if strict && !fv.Source.Authoritative() {
		v.known, v.weak = false, true
	}
	return v
}

// format writes a number of field type t as a person reads it.
func format(t Type, n int64, lang string) string {
	switch t {
	case Amount:
		if lang == "en" {
			return enterprise.FormatWan(n) + " × 10k yuan"
		}
		return enterprise.FormatWan(n) + " 万元"
	case Share:
		return enterprise.FormatHundredths(n) + "%"
	case Int:
		if lang == "en" {
			return strconv.FormatInt(n, 10)
		}
		return strconv.FormatInt(n, 10) + " 人"
	}
	return strconv.FormatInt(n, 10)
}

// codeName names a code of field f: an option, an industry division.
func codeName(f Field, code, lang string) string {
	for _, o := range f.Options {
		if o.Value == code {
			return fault.Msg{Zh: o.Zh, En: o.En}.In(lang)
		}
	}
	if f.Key == "industry" {
		if d, ok := enterprise.DivisionByCode(code); ok {
			return code + " " + fault.Msg{Zh: d.Zh, En: d.En}.In(lang)
		}
	}
	return code
}

// joinNames names a list of codes of field f.
func joinNames(f Field, codes []string, lang string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = codeName(f, c, lang)
	}
	sep := "、"
	if lang == "en" {
		sep = ", "
	}
	return strings.Join(names, sep)
}
