package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"qifu/internal/fault"
)

// Claim is an enterprise's way to one benefit: an application with
// materials, or a 免申即享 match it confirms. Both are claims so that the
// funnel reads one table.
type Claim struct {
	ID           int64  `json:"id"`
	BenefitID    int64  `json:"benefit_id"`
	Benefit      string `json:"benefit"`
	EnterpriseID int64  `json:"enterprise_id"`
	Enterprise   string `json:"enterprise"`
	// DepartmentID is the benefit's granting department.
	DepartmentID int64  `json:"department_id"`
	Mode         Mode   `json:"mode"`
	State        string `json:"state"`
	// Materials are the listed materials with what the enterprise gave for
	// each (a text: a number, a file's name, "见附件").
	Materials []Material `json:"materials"`
	// Amount is the amount worked out from the facts when the claim was
	// made; Granted the amount approved.
	Amount  int64 `json:"amount"`
	Granted int64 `json:"granted"`
	// Account is the bank account a 免申即享 benefit is paid to (masked
	// but for the granting department).
	Bank    string `json:"bank"`
	Account string `json:"account"`
	Note    string `json:"note"` // the department's last word: what more is needed, why refused
	// PlatformRef is the official platform's reference of a handed-over
	// application.
	PlatformRef string    `json:"platform_ref"`
	NoticeID    int64     `json:"notice_id"`
	Due         time.Time `json:"due"`       // the department's review limit, working days
	ClawBack    int64     `json:"claw_back"` // yuan recovered of a benefit paid on wrong facts
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int       `json:"version"`
}

// Material is one listed material and what was given for it.
type Material struct {
	Name  string `json:"name"`
	Given string `json:"given"`
}

// The claim states.
const (
	Submitted  = "submitted"   // applied, awaiting review
	More       = "more"        // the department asked for more
	Handed     = "handed"      // handed over to the official platform
	Approved   = "approved"    // granted, to be paid
	Refused    = "refused"     // refused with a reason
	Paid       = "paid"        // paid out (or the relief applied)
	ClawedBack = "clawed_back" // paid on wrong facts and recovered
	Withdrawn  = "withdrawn"   // the enterprise withdrew it
	Matched    = "matched"     // 免申即享: found by the data, awaiting the enterprise
	Confirmed  = "confirmed"   // the enterprise wants it and gave its account
	Declined   = "declined"    // the enterprise does not want it
	Noticed    = "noticed"     // on a public notice (公示)
	Objected   = "objected"    // removed from the notice after an objection
)

// ClaimStates names the states.
var ClaimStates = []Option{
	{Value: Matched, Zh: "待企业确认", En: "awaiting the enterprise"},
	{Value: Confirmed, Zh: "已确认", En: "confirmed"},
	{Value: Declined, Zh: "企业放弃", En: "declined"},
	{Value: Noticed, Zh: "公示中", En: "on public notice"},
	{Value: Objected, Zh: "公示有异议", En: "objected to"},
	{Value: Submitted, Zh: "待审核", En: "awaiting review"},
	{Value: More, Zh: "待补充材料", En: "more asked"},
	{Value: Handed, Zh: "已转申报平台", En: "handed to the platform"},
	{Value: Approved, Zh: "已核准", En: "approved"},
	{Value: Refused, Zh: "未通过", En: "refused"},
	{Value: Paid, Zh: "已兑现", En: "paid"},
	{Value: ClawedBack, Zh: "已追回", En: "clawed back"},
	{Value: Withdrawn, Zh: "已撤回", En: "withdrawn"},
}

// StateName names a claim state.
func StateName(s string) fault.Msg { return optionName(ClaimStates, s) }

// Party is who takes an action on a claim.
type Party string

// The parties.
const (
	ByEnterprise Party = "enterprise" // its own account, or staff on its behalf
	ByDepartment Party = "department" // the granting department
)

// Transition is one row of the claims' table: an action, the states it
// starts from, where it leads and who takes it.
type Transition struct {
	Action string
	Mode   Mode
	From   []string
	To     string
	By     Party
	// Reason: the action needs a note (what more, why refused).
	Reason bool
}

// Transitions is the table of claims, read alike by the store, the pages
// and the README.
var Transitions = []Transition{
	{Action: "resubmit", Mode: Apply, From: []string{More}, To: Submitted, By: ByEnterprise},
	{Action: "withdraw", Mode: Apply, From: []string{Submitted, More}, To: Withdrawn, By: ByEnterprise},
	{Action: "ask_more", Mode: Apply, From: []string{Submitted}, To: More, By: ByDepartment, Reason: true},
	{Action: "approve", Mode: Apply, From: []string{Submitted, Handed}, To: Approved, By: ByDepartment},
	{Action: "refuse", Mode: Apply, From: []string{Submitted, Handed}, To: Refused, By: ByDepartment, Reason: true},
	{Action: "hand_over", Mode: Apply, From: []string{Submitted}, To: Handed, By: ByDepartment},
	{Action: "confirm", Mode: Auto, From: []string{Matched}, To: Confirmed, By: ByEnterprise},
	{Action: "decline", Mode: Auto, From: []string{Matched, Confirmed}, To: Declined, By: ByEnterprise},
	{Action: "object", Mode: Auto, From: []string{Noticed}, To: Objected, By: ByDepartment, Reason: true},
	{Action: "pay", Mode: "", From: []string{Approved}, To: Paid, By: ByDepartment},
	{Action: "claw_back", Mode: "", From: []string{Paid}, To: ClawedBack, By: ByDepartment, Reason: true},
}

// Step finds the row of action for a claim in state of mode, or an error
// a person understands.
func Step(action string, mode Mode, state string) (Transition, error) {
	for _, t := range Transitions {
		if t.Action != action || (t.Mode != "" && t.Mode != mode) {
			continue
		}
		if !slices.Contains(t.From, state) {
			return t, fault.New(fault.Conflict, "policy_claim_state",
				fmt.Sprintf("该申请当前为“%s”，不能执行此操作", StateName(state).Zh),
				fmt.Sprintf("the claim is %s; this cannot be done now", StateName(state).En))
		}
		return t, nil
	}
	return Transition{}, fault.New(fault.Invalid, "policy_claim_action", "未知的操作", "unknown action")
}

// Actions are the actions party may take on a claim in its state.
func Actions(mode Mode, state string, by Party) []string {
	var out []string
	for _, t := range Transitions {
		if t.By == by && (t.Mode == "" || t.Mode == mode) && slices.Contains(t.From, state) {
			out = append(out, t.Action)
		}
	}
	return out
}

// Open reports whether a claim still holds the benefit (for the stacking
// rules and the one claim per benefit and enterprise).
func Open(state string) bool {
	return !slices.Contains([]string{Refused, Withdrawn, Declined, Objected, ClawedBack}, state)
}

var accountRE = regexp.MustCompile(`^\d{8,30}$`)

// CheckAccount validates a bank account an enterprise confirms.
func CheckAccount(bank, account string) error {
	fields := fault.Fields{}
	textField(fields, "bank", strings.TrimSpace(bank), 60, true, "开户银行", "the bank")
	if !accountRE.MatchString(strings.ReplaceAll(account, " ", "")) {
		fields.Add("account", "银行账号应为 8–30 位数字", "the account is 8–30 digits")
	}
	return fields.Err()
}

// CheckMaterials validates what an application gives for the listed
// materials: each listed one given, nothing else.
func CheckMaterials(listed []string, given []Material) error {
	fields := fault.Fields{}
	have := map[string]string{}
	for _, m := range given {
		if !slices.Contains(listed, m.Name) {
			fields.Add("materials", "“"+clipText(m.Name)+"”不是所列材料", clipText(m.Name)+" is not a listed material")
			continue
		}
		have[m.Name] = strings.TrimSpace(m.Given)
	}
	for i, name := range listed {
		v := have[name]
		switch {
		case v == "":
			fields.Add(fmt.Sprintf("materials[%d]", i), "请提供“"+name+"”", name+" is required")
		case len([]rune(v)) > 500:
			fields.Add(fmt.Sprintf("materials[%d]", i), "每项不能超过 500 字", "at most 500 characters each")
		}
	}
	return fields.Err()
}

// MaskAccount shows the last four digits of an account.
func MaskAccount(a string) string {
	if len(a) <= 4 {
		return a
	}
	return strings.Repeat("*", len(a)-4) + a[len(a)-4:]
}
