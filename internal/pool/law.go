package pool

import (
	"fmt"
	"strings"

	"qifu/internal/fault"
)

// Rule is one rule of shared employment (共享用工) the pool keeps: the
// human-resources ministry's guidance (人社厅发〔2020〕98号) and its cases.
// The domain refuses what breaks one with its code; the agreement states
// them all; the README lists them from this table.
type Rule struct {
	Code   string
	Zh, En string
}

// Rules are the rules, in the agreement's order.
var Rules = []Rule{
	{"employed", "出借的员工须与出借企业存在劳动关系；未就业人员只能作为求职人员直接招用，不得出借。",
		"Only the lender's employees may be lent; people without an employer are hired directly as job seekers, never lent."},
	{"relation", "借出期间劳动关系不变，仍由出借企业承担用人单位责任。",
		"The labour relation stays with the lender throughout the loan."},
	{"consent", "借出须经员工本人书面同意，员工可随时撤回同意。",
		"The worker's written consent is required, and may be withdrawn at any time."},
	{"no_relend", "借入的员工不得再次出借给其他企业。",
		"A borrowed worker may not be lent on."},
	{"contract_end", "借出期限不得超过员工劳动合同的期限。",
		"The loan cannot last past the end of the worker's labour contract."},
	{"lender_open", "出借企业停业、解散或破产的，其借出随即终止。",
		"If the lender closes or goes bankrupt, its loans end at once."},
	{"injury_cover", "工伤保险仍由出借企业缴纳，员工上岗前须在保；双方可约定补偿办法。",
		"Work-injury insurance stays with the lender and must cover the worker before work starts; the two may agree on compensation."},
	{"no_fee", "借出不以营利为目的：借入企业按约定向出借企业结算劳务费用，出借企业不得收取管理费或从中获利（实收实支）。",
		"Lending is not for profit: the borrower settles the agreed cost to the lender, which charges no fee and makes no gain: what it receives it pays out."},
	{"wage_full", "出借企业向员工足额支付工资，不得克扣。",
		"The lender pays the worker in full, deducting nothing."},
	{"training", "借入企业负责岗前培训、安全生产教育和劳动保护。",
		"The borrower gives pre-job and safety training and protection at work."},
	{"seal", "双方签订共享用工合作协议，由两家企业加盖公章（上传盖章扫描件或电子印章），点击确认不视为盖章。",
		"The two enterprises sign a civil agreement with their company seals (a sealed scan or an e-seal); a click is not a seal."},
}

// RuleOf returns the rule of code.
func RuleOf(code string) Rule {
	for _, r := range Rules {
		if r.Code == code {
			return r
		}
	}
	return Rule{Code: code}
}

// Refusal is the error of an act that breaks rule code: code
// "pool_rule_<code>", the rule as its message, and the detail.
func Refusal(code, zh, en string) error {
	r := RuleOf(code)
	return fault.New(fault.Invalid, "pool_rule_"+code, strings.TrimSpace(zh+" "+r.Zh), strings.TrimSpace(en+" "+r.En))
}

// Lend is what the rules need to know of one worker on one loan.
type Lend struct {
	ContractEnd string // the worker's labour contract's end
	To          string // the loan's last day
	// Borrowed: the worker is on a loan to the enterprise that offers to lend
	// them now (a borrowed worker lent on).
	Borrowed bool
	// Employed: the worker has a labour contract with the lender (every
	// posted worker; never a job seeker).
	Employed     bool
	LenderClosed bool // the lender has closed or is bankrupt
}

// CheckChoose checks a lender's choice of a worker for a loan.
func CheckChoose(p Lend) error {
	switch {
	case !p.Employed:
		return Refusal("employed", "此人不是出借企业的员工。", "The person is not the lender's employee.")
	case p.Borrowed:
		return Refusal("no_relend", "此员工是借入本企业的，不能再借出。", "The worker was borrowed by this enterprise.")
	case p.LenderClosed:
		return Refusal("lender_open", "出借企业已停业或破产。", "The lender has closed.")
	case p.ContractEnd < p.To:
		return Refusal("contract_end", fmt.Sprintf("劳动合同%s到期，早于借出结束日%s。", p.ContractEnd, p.To),
			fmt.Sprintf("The contract ends %s, before the loan's last day %s.", p.ContractEnd, p.To))
	}
	return nil
}

// Start is what the rules need to know before a worker starts at the borrower.
type Start struct {
	Lend
	Day        string // the first day at the borrower
	Consented  bool   // the worker's consent stands (given, not withdrawn)
	Sealed     bool   // both enterprises sealed the agreement
	Trained    bool   // the borrower recorded the pre-job training
	CoverUntil string // the work-injury insurance covers the worker until ("": none recorded)
}

// CheckStart checks that a worker may start at the borrower on s.Day.
func CheckStart(s Start) error {
	if err := CheckChoose(s.Lend); err != nil {
		return err
	}
	switch {
	case !s.Consented:
		return Refusal("consent", "员工尚未同意或已撤回同意。", "The worker has not consented, or withdrew.")
	case !s.Sealed:
		return Refusal("seal", "协议尚未由双方盖章。", "The agreement is not sealed by both.")
	case !s.Trained:
		return Refusal("training", "尚未记录岗前培训。", "No pre-job training is recorded.")
	case s.CoverUntil == "" || s.CoverUntil < s.Day:
		return Refusal("injury_cover", "未登记有效的工伤保险。", "No work-injury cover is recorded for the day.")
	}
	return nil
}

// Agreement is the text of the shared-employment agreement of one worker on
// a loan, as the worker reads it before consenting and the enterprises seal
// it: the parties, the work, the period, the money and every rule.
func Agreement(l Loan, p Placement) string {
	var b strings.Builder
	wt, _ := Find(WorkTypes, string(l.Need.WorkType))
	sh, _ := Find(Shifts, l.Need.Shift)
	fmt.Fprintf(&b, "共享用工协议（借出编号 %d）\n\n", l.ID)
	fmt.Fprintf(&b, "出借方（用人单位）：%s\n借入方（用工单位）：%s\n员工：%s\n\n", l.Lender, l.Borrower, p.Worker)
	fmt.Fprintf(&b, "工种：%s；班次：%s\n工作地点：%s\n期限：%s 至 %s\n", wt.Zh, sh.Zh, l.Need.Site, p.From, p.To)
	fmt.Fprintf(&b, "岗前培训和安全教育：%s\n", l.Need.Training)
	if l.Need.Transport || l.Need.Lodging {
		var offers []string
		if l.Need.Transport {
			offers = append(offers, "接送")
		}
		if l.Need.Lodging {
			offers = append(offers, "住宿")
		}
		fmt.Fprintf(&b, "借入方提供：%s\n", strings.Join(offers, "、"))
	}
	fmt.Fprintf(&b, "劳务费用：每人每天 %d 元，由借入方按月依考勤结算给出借方；出借方向员工足额支付，不收取任何费用。\n", l.Need.DailyCost)
	fmt.Fprintf(&b, "现场联系人：%s\n\n双方和员工遵守以下规定：\n", l.Need.Contact)
	for i, r := range Rules {
		fmt.Fprintf(&b, "%d. %s\n", i+1, r.Zh)
	}
	if c := strings.TrimSpace(l.Compensation); c != "" {
		fmt.Fprintf(&b, "\n工伤补偿约定：%s\n", c)
	}
	return b.String()
}
