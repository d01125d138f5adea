// Package policy is precise push (精准推送): the policies departments issue,
// the benefits in them (subsidies, tax and fee relief, loans and interest
// subsidies, qualifications), the conditions that say which enterprises
// qualify, and the rules of getting a benefit — applying with materials,
// or without applying (免申即享) through the enterprise's confirmation and a
// public notice. It is plain Go over plain types: the fields a condition
// can ask (field.go), conditions built from a form or written in CEL and
// evaluated three-valued with their explanations (condition.go, cel.go),
// amounts (amount.go), the rules between benefits and the blacklist
// (stack.go), the claims' states (claim.go) and the innovation resources
// (resource.go). Its SQL is policydb's and its pages policyweb's.
package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"qifu/internal/fault"
)

// Policy is a policy document (政策文件) and the benefits it grants.
type Policy struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Issuer string `json:"issuer"` // 发文机关: "宁波市人民政府"
	DocNo  string `json:"doc_no"` // 文号: "甬政发〔2020〕8号"
	// Family groups policies of one package: "甬18条", "外贸12条".
	Family       string    `json:"family"`
	DepartmentID int64     `json:"department_id"` // the department that keeps it in qifu
	Department   string    `json:"department"`
	DepartmentEn string    `json:"department_en"`
	Published    string    `json:"published"` // 发布日期
	InForce      string    `json:"in_force"`  // 施行日期
	Until        string    `json:"until"`     // 有效期至, "" open
	Text         string    `json:"text"`
	State        string    `json:"state"` // draft, published, withdrawn
	Version      int       `json:"version"`
	Benefits     []Benefit `json:"benefits"`
}

// The states of a policy and of a benefit.
const (
	Draft     = "draft"
	Published = "published"
	Retracted = "withdrawn"
)

// Limits of a policy's texts.
const (
	MaxTitle = 120
	MaxText  = 50_000
)

var docNoRE = regexp.MustCompile(`^.{1,20}〔(19|20)\d\d〕\d{1,4}号$`)

// Normalize trims a policy's texts.
func (p *Policy) Normalize() {
	for _, s := range []*string{&p.Title, &p.Issuer, &p.DocNo, &p.Family, &p.Published, &p.InForce, &p.Until} {
		*s = strings.TrimSpace(*s)
	}
	p.DocNo = strings.NewReplacer("[", "〔", "]", "〕", "（", "〔", "）", "〕").Replace(p.DocNo)
}

// Check validates a policy with a message per field.
func (p Policy) Check() error {
	fields := fault.Fields{}
	textField(fields, "title", p.Title, MaxTitle, true, "标题", "the title")
	textField(fields, "issuer", p.Issuer, 60, true, "发文机关", "the issuer")
	textField(fields, "family", p.Family, 30, false, "政策包", "the family")
	if p.DocNo != "" && !docNoRE.MatchString(p.DocNo) {
		fields.Add("doc_no", "文号应写作“甬政发〔2020〕8号”的形式", "the document number reads like 甬政发〔2020〕8号")
	}
	if len([]rune(p.Text)) > MaxText {
		fields.Add("text", fmt.Sprintf("正文不能超过 %d 字", MaxText), fmt.Sprintf("the text is at most %d characters", MaxText))
	}
	dateField(fields, "published", p.Published, true)
	dateField(fields, "in_force", p.InForce, true)
	dateField(fields, "until", p.Until, false)
	if p.Until != "" && p.InForce != "" && p.Until < p.InForce {
		fields.Add("until", "有效期不能早于施行日期", "the end cannot be before the start")
	}
	return fields.Err()
}

// InForceOn reports whether the policy is in force on day.
func (p Policy) InForceOn(day string) bool {
	return p.State == Published && p.InForce <= day && (p.Until == "" || day <= p.Until)
}

func textField(fields fault.Fields, key, v string, max int, required bool, zh, en string) {
	switch n := len([]rune(v)); {
	case n == 0 && required:
		fields.Add(key, "请填写"+zh, en+" is required")
	case n > max:
		fields.Add(key, fmt.Sprintf("%s不能超过 %d 字", zh, max), fmt.Sprintf("%s is at most %d characters", en, max))
	}
}

func dateField(fields fault.Fields, key, v string, required bool) {
	if v == "" {
		if required {
			fields.Add(key, "请填写日期", "the date is required")
		}
		return
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil || !dateRE.MatchString(v) {
		fields.Add(key, "日期应写作 2026-01-01 的形式", "a date such as 2026-01-01")
	}
}

// BenefitKind is what a benefit grants.
type BenefitKind string

// The kinds of benefit.
const (
	Subsidy         BenefitKind = "subsidy"          // 补贴、奖励
	TaxRelief       BenefitKind = "tax_relief"       // 税收减免
	FeeRelief       BenefitKind = "fee_relief"       // 费用减免（社保、租金）
	Loan            BenefitKind = "loan"             // 贷款
	InterestSubsidy BenefitKind = "interest_subsidy" // 贴息
	Qualification   BenefitKind = "qualification"    // 资格认定
)

// Kinds are the kinds with their names.
var Kinds = []Option{
	{Value: string(Subsidy), Zh: "补贴奖励", En: "subsidy"},
	{Value: string(TaxRelief), Zh: "税收减免", En: "tax relief"},
	{Value: string(FeeRelief), Zh: "费用减免", En: "fee relief"},
	{Value: string(Loan), Zh: "贷款支持", En: "loan"},
	{Value: string(InterestSubsidy), Zh: "贷款贴息", En: "interest subsidy"},
	{Value: string(Qualification), Zh: "资格认定", En: "qualification"},
}

// Mode is how an enterprise obtains a benefit.
type Mode string

// The modes.
const (
	Apply Mode = "apply" // 申请：with materials, reviewed by the department
	Auto  Mode = "auto"  // 免申即享：matched from data, confirmed, noticed, paid
)

// Benefit is one thing a policy grants and whom to.
type Benefit struct {
	ID           int64       `json:"id"`
	PolicyID     int64       `json:"policy_id"`
	Policy       string      `json:"policy"` // the policy's title
	Title        string      `json:"title"`
	Kind         BenefitKind `json:"kind"`
	Summary      string      `json:"summary"` // what it is, one paragraph
	Conditions   []Condition `json:"conditions"`
	Amount       AmountRule  `json:"amount"`
	DepartmentID int64       `json:"department_id"` // the granting department
	Department   string      `json:"department"`
	DepartmentEn string      `json:"department_en"`
	Budget       int64       `json:"budget"` // yuan; 0 not stated
	Opens        string      `json:"opens"`
	Closes       string      `json:"closes"` // the window to apply or confirm
	Mode         Mode        `json:"mode"`
	// Materials are the documents an application lists.
	Materials []string `json:"materials"`
	// ReviewDays is the department's limit to decide an application, in
	// working days; NoticeDays the public notice of a 免申即享 list, in
	// calendar days.
	ReviewDays int `json:"review_days"`
	NoticeDays int `json:"notice_days"`
	// Platform names the official benefits platform that takes the
	// applications, when the province runs one; "" when qifu does.
	Platform string `json:"platform"`
	// StackGroup names benefits that meet the Stack rule together.
	StackGroup string `json:"stack_group"`
	Stack      Stack  `json:"stack"`
	State      string `json:"state"`
	Version    int    `json:"version"`
	EditedBy   int64  `json:"edited_by"`
	// PublishedAt is when it was published.
	PublishedAt time.Time `json:"published_at"`
	// PolicyDepartmentID is the department that keeps the policy, and so
	// manages the benefit (the store's rule; not in the API).
	PolicyDepartmentID int64 `json:"-"`
}

// Normalize trims a benefit's texts and fills the defaults.
func (b *Benefit) Normalize() {
	for _, s := range []*string{&b.Title, &b.Summary, &b.Opens, &b.Closes, &b.Platform, &b.StackGroup} {
		*s = strings.TrimSpace(*s)
	}
	var mats []string
	for _, m := range b.Materials {
		if m = strings.TrimSpace(m); m != "" && !slices.Contains(mats, m) {
			mats = append(mats, m)
		}
	}
	b.Materials = mats
	if b.ReviewDays == 0 {
		b.ReviewDays = 10
	}
	if b.Mode == Auto && b.NoticeDays == 0 {
		b.NoticeDays = 5
	}
	if b.Stack == "" {
		b.Stack = Stackable
	}
}

// Check validates a benefit and compiles its conditions, with a message
// per field.
func (b Benefit) Check() (*Compiled, error) {
	fields := fault.Fields{}
	textField(fields, "title", b.Title, MaxTitle, true, "名称", "the title")
	textField(fields, "summary", b.Summary, 2000, false, "说明", "the summary")
	textField(fields, "platform", b.Platform, 60, false, "申报平台", "the platform")
	textField(fields, "stack_group", b.StackGroup, 30, false, "互斥组", "the group")
	if !slices.ContainsFunc(Kinds, func(o Option) bool { return o.Value == string(b.Kind) }) {
		fields.Add("kind", "请选择政策类型", "choose the kind")
	}
	if b.Mode != Apply && b.Mode != Auto {
		fields.Add("mode", "请选择申请方式", "choose how it is obtained")
	}
	if b.DepartmentID == 0 {
		fields.Add("department_id", "请选择兑现部门", "choose the granting department")
	}
	dateField(fields, "opens", b.Opens, true)
	dateField(fields, "closes", b.Closes, true)
	if _, bad := fields["opens"]; !bad && b.Opens != "" && b.Closes != "" && b.Closes < b.Opens {
		fields.Add("closes", "截止日期不能早于开始日期", "the window cannot close before it opens")
	}
	if b.Budget < 0 || b.Budget > 1<<50 {
		fields.Add("budget", "预算超出合理范围", "the budget is out of range")
	}
	if b.ReviewDays < 1 || b.ReviewDays > 60 {
		fields.Add("review_days", "审核时限应为 1–60 个工作日", "the review limit is 1–60 working days")
	}
	if b.Mode == Auto && (b.NoticeDays < 1 || b.NoticeDays > 30) {
		fields.Add("notice_days", "公示期应为 1–30 天", "the notice period is 1–30 days")
	}
	if len(b.Materials) > 20 {
		fields.Add("materials", "申报材料不能超过 20 项", "at most 20 materials")
	}
	for _, m := range b.Materials {
		if len([]rune(m)) > 100 {
			fields.Add("materials", "每项材料不能超过 100 字", "each material is at most 100 characters")
			break
		}
	}
	if !slices.Contains([]Stack{Stackable, Exclusive, Higher}, b.Stack) {
		fields.Add("stack", "请选择叠加规则", "choose the stacking rule")
	} else if b.Stack != Stackable && b.StackGroup == "" {
		fields.Add("stack_group", "不可叠加的政策须填写互斥组", "a benefit that does not stack names its group")
	}
	if err := b.Amount.Check(); err != nil {
		for k, v := range fault.As(err).Fields {
			fields["amount."+k] = v
		}
	}
	if len(b.Conditions) == 0 {
		fields.Add("conditions", "请至少设置一个条件", "at least one condition")
	}
	c, err := Compile(b.Conditions)
	if err != nil {
		for k, v := range fault.As(err).Fields {
			fields[k] = v
		}
	}
	if err := fields.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// OpenOn reports whether the window is open on day.
func (b Benefit) OpenOn(day string) bool {
	return b.State == Published && b.Opens <= day && day <= b.Closes
}

// KindName names the benefit's kind.
func (b Benefit) KindName() fault.Msg { return optionName(Kinds, string(b.Kind)) }

// ModeName names how the benefit is obtained.
func (b Benefit) ModeName() fault.Msg {
	if b.Mode == Auto {
		return fault.Msg{Zh: "免申即享", En: "without applying"}
	}
	if b.Platform != "" {
		return fault.Msg{Zh: "在" + b.Platform + "申报", En: "apply on " + b.Platform}
	}
	return fault.Msg{Zh: "申请兑现", En: "apply"}
}

func optionName(opts []Option, v string) fault.Msg {
	for _, o := range opts {
		if o.Value == v {
			return fault.Msg{Zh: o.Zh, En: o.En}
		}
	}
	return fault.Msg{Zh: v, En: v}
}
