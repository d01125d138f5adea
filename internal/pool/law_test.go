package pool

import (
	"fmt"
	"strings"
	"testing"

	"qifu/internal/fault"
)

// lawful is a loan of a worker that breaks no rule: an employee of the lender whose
// contract lasts past the loan.
func lawful() Lend {
	return Lend{ContractEnd: "2025-12-31", To: "2025-06-30", Employed: true}
}

// lawfulStart is a start that breaks no rule.
func lawfulStart() Start {
	return Start{Lend: lawful(), Day: "2025-03-10", Consented: true, Sealed: true, Trained: true, CoverUntil: "2025-12-31"}
}

// wantRule checks that err is the refusal of rule code ("" for no error).
func wantRule(t *testing.T, err error, code string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("err = %v; want none", err)
		}
		return
	}
	e := fault.As(err)
	if e == nil {
		t.Fatalf("err = %v; want the refusal pool_rule_%s", err, code)
	}
	if e.Code != "pool_rule_"+code || e.Kind != fault.Invalid {
		t.Fatalf("err = %s %s; want invalid pool_rule_%s", e.Kind, e.Code, code)
	}
	r := RuleOf(code)
	if !strings.Contains(e.Message.Zh, r.Zh) || !strings.Contains(e.Message.En, r.En) {
		t.Errorf("message %+v does not state the rule %+v", e.Message, r)
	}
}

func TestCheckChoose(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Lend)
		code   string
	}{
		{"lawful", func(p *Lend) {}, ""},
		{"contract ends on the loan's last day", func(p *Lend) { p.ContractEnd = p.To }, ""},
		{"contract ends before the loan", func(p *Lend) { p.ContractEnd = "2025-06-29" }, "contract_end"},
		{"no contract end", func(p *Lend) { p.ContractEnd = "" }, "contract_end"},
		{"re-lend", func(p *Lend) { p.Borrowed = true }, "no_relend"},
		{"not employed", func(p *Lend) { p.Employed = false }, "employed"},
		{"lender closed", func(p *Lend) { p.LenderClosed = true }, "lender_open"},
		// The first rule broken is the one reported.
		{"not employed and borrowed", func(p *Lend) { p.Employed, p.Borrowed = false, true }, "employed"},
		{"borrowed and past the contract", func(p *Lend) { p.Borrowed, p.ContractEnd = true, "2025-01-01" }, "no_relend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := lawful()
			tt.change(&p)
			wantRule(t, CheckChoose(p), tt.code)
		})
	}
}

func TestCheckStart(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *Start)
		code   string
	}{
		{"lawful", func(s *Start) {}, ""},
		{"cover ends on the first day", func(s *Start) { s.CoverUntil = s.Day }, ""},
		{"no injury cover", func(s *Start) { s.CoverUntil = "" }, "injury_cover"},
		{"cover ends before the first day", func(s *Start) { s.CoverUntil = "2025-03-09" }, "injury_cover"},
		{"no consent", func(s *Start) { s.Consented = false }, "consent"},
		{"not sealed", func(s *Start) { s.Sealed = false }, "seal"},
		{"not trained", func(s *Start) { s.Trained = false }, "training"},
		{"contract ends before the loan", func(s *Start) { s.ContractEnd = "2025-05-01" }, "contract_end"},
		{"re-lend", func(s *Start) { s.Borrowed = true }, "no_relend"},
		{"lender closed", func(s *Start) { s.LenderClosed = true }, "lender_open"},
		{"nothing done", func(s *Start) { *s = Start{Lend: lawful(), Day: "2025-03-10"} }, "consent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := lawfulStart()
			tt.change(&s)
			wantRule(t, CheckStart(s), tt.code)
		})
	}
}

func TestCheckPaid(t *testing.T) {
	line := func(amount, paid, fee int) Line {
		return Line{PlacementID: 1, Worker: "王五", Days: amount / 300, Rate: 300, Amount: amount, Paid: paid, Fee: fee}
	}
	tests := []struct {
		name  string
		lines []Line
		code  string
	}{
		{"lawful", []Line{line(6000, 6000, 0), line(3000, 3000, 0)}, ""},
		{"paid more than received", []Line{line(6000, 6100, 0)}, ""},
		{"nothing to settle", nil, ""},
		{"a fee", []Line{line(6000, 6000, 0), line(6000, 5800, 200)}, "no_fee"},
		{"a fee on a full wage", []Line{line(6000, 6000, 100)}, "no_fee"},
		{"a negative fee", []Line{line(6000, 6000, -100)}, "no_fee"},
		{"wage short", []Line{line(6000, 5999, 0)}, "wage_full"},
		{"wage not paid", []Line{line(3000, 3000, 0), line(6000, 0, 0)}, "wage_full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantRule(t, CheckPaid(tt.lines), tt.code)
		})
	}
	err := CheckPaid([]Line{line(6000, 20_000_000, 0)})
	if e := fault.As(err); e == nil || e.Code != "invalid_input" || e.Fields["lines"].En == "" {
		t.Errorf("CheckPaid of an absurd amount = %v; want a field error on lines", err)
	}
	msg := fault.As(CheckPaid([]Line{line(6000, 5800, 0)})).Message
	if !strings.Contains(msg.Zh, "王五") || !strings.Contains(msg.En, "owed 6000 yuan and was paid 5800") {
		t.Errorf("wage_full message %+v lacks the detail", msg)
	}
}

func TestRules(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		if r.Code == "" || strings.TrimSpace(r.Zh) == "" || strings.TrimSpace(r.En) == "" {
			t.Errorf("rule %+v lacks a code or a language", r)
		}
		if seen[r.Code] {
			t.Errorf("rule code %q twice", r.Code)
		}
		seen[r.Code] = true
		if got := RuleOf(r.Code); got != r {
			t.Errorf("RuleOf(%q) = %+v", r.Code, got)
		}
	}
	// Every rule the domain refuses with is in the table.
	for _, code := range []string{"employed", "no_relend", "lender_open", "contract_end", "consent", "seal", "training", "injury_cover", "no_fee", "wage_full"} {
		if !seen[code] {
			t.Errorf("refusal code %q is not a rule", code)
		}
	}
	if r := RuleOf("no_such_rule"); r.Code != "no_such_rule" || r.Zh != "" || r.En != "" {
		t.Errorf("RuleOf of an unknown code = %+v", r)
	}
	if m := RuleMsg("no_fee"); m.Zh != RuleOf("no_fee").Zh || m.En != RuleOf("no_fee").En {
		t.Errorf("RuleMsg = %+v", m)
	}
}

func TestRefusal(t *testing.T) {
	e := fault.As(Refusal("seal", "", ""))
	r := RuleOf("seal")
	if e == nil || e.Code != "pool_rule_seal" || e.Message.Zh != r.Zh || e.Message.En != r.En {
		t.Errorf("Refusal without detail = %+v", e)
	}
	e = fault.As(Refusal("seal", "细节。", "Detail."))
	if e.Message.Zh != "细节。 "+r.Zh || e.Message.En != "Detail. "+r.En {
		t.Errorf("Refusal with detail = %+v", e.Message)
	}
}

func TestAgreement(t *testing.T) {
	l := Loan{ID: 42, Lender: "出借企业", Borrower: "借入企业", Compensation: " 借入方承担停工留薪期工资差额 ",
		Need: Need{WorkType: "forklift", Shift: "night", Site: "北仑区明州路1号", Training: "岗前安全教育4学时",
			DailyCost: 320, Contact: "李四", Transport: true, Lodging: true}}
	p := Placement{Worker: "张三", From: "2025-03-10", To: "2025-04-10"}
	text := Agreement(l, p)
	for _, s := range []string{"借出编号 42", "出借企业", "借入企业", "张三", "叉车工", "夜班", "北仑区明州路1号",
		"2025-03-10 至 2025-04-10", "岗前安全教育4学时", "接送、住宿", "每人每天 320 元", "李四", "工伤补偿约定：借入方承担停工留薪期工资差额\n"} {
		if !strings.Contains(text, s) {
			t.Errorf("the agreement does not say %q:\n%s", s, text)
		}
	}
	for i, r := range Rules {
		if !strings.Contains(text, fmt.Sprintf("%d. %s\n", i+1, r.Zh)) {
			t.Errorf("the agreement does not state rule %d %s", i+1, r.Code)
		}
	}
	l.Compensation, l.Need.Transport, l.Need.Lodging = " ", false, false
	if text := Agreement(l, p); strings.Contains(text, "工伤补偿约定") || strings.Contains(text, "借入方提供") {
		t.Errorf("the agreement states an empty compensation or offer:\n%s", text)
	}
}
