package enterprise

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"qifu/internal/fault"
)

// Limits on an enterprise's fields.
const (
	maxNameRunes        = 100
	maxLegalRepRunes    = 50
	maxContactRunes     = 50
	maxAddressRunes     = 200
	maxPartyBranchRunes = 100
	maxTagRunes         = 20
	maxTags             = 20
	maxEmployees        = 10_000_000
	// maxRevenue is 100 trillion yuan (100万亿元), far above any
	// enterprise's revenue; larger numbers are typing or unit mistakes.
	maxRevenue int64 = 100_000_000_000_000
)

// Normalize tidies an enterprise as entered or imported: it trims every text
// field, normalizes the credit code and mobile number, turns an industry
// written "5" or "C34" into its two-digit division code, trims tags and drops
// empty and repeated ones, and derives Size from industry, employees and
// revenue.
func (e *Enterprise) Normalize() {
	e.CreditCode = NormalizeCreditCode(e.CreditCode)
	e.Name = trim(e.Name)
	e.LegalRep = trim(e.LegalRep)
	e.Contact = trim(e.Contact)
	e.Phone = NormalizeMobile(e.Phone)
	e.Address = trim(e.Address)
	e.GridCode = trim(strings.Map(foldWidth, e.GridCode))
	e.Industry = normalizeIndustry(e.Industry)
	e.PartyBranch = trim(e.PartyBranch)
	e.Tags = normalizeTags(e.Tags)
	e.Size = Classify(e.Industry, e.Employees, e.Revenue)
}

// Validate checks a normalized enterprise and returns a message for each
// field in error, keyed by the field's JSON name; call Err on the result to
// get the error. The store adds grid_code when the grid does not exist.
//
// When importing, a credit code whose only fault is its check character is
// accepted and marked CodeUnconfirmed for staff to confirm; otherwise it is
// an error. A code that passes clears CodeUnconfirmed.
func (e *Enterprise) Validate(importing bool) fault.Fields {
	f := fault.Fields{}

	if e.CreditCode == "" {
		f.Add("credit_code", "请填写统一社会信用代码", "the unified social credit code is required")
	} else if err := CheckCreditCode(e.CreditCode); err == nil {
		e.CodeUnconfirmed = false
	} else if fe := fault.As(err); importing && fe.Code == "credit_code_check" {
		e.CodeUnconfirmed = true
	} else {
		f.Add("credit_code", fe.Message.Zh, fe.Message.En)
	}

	required(f, "name", e.Name, "请填写企业名称", "name is required")
	tooLong(f, "name", e.Name, maxNameRunes, "企业名称", "the name")
	tooLong(f, "legal_rep", e.LegalRep, maxLegalRepRunes, "法定代表人", "the legal representative")
	required(f, "contact", e.Contact, "请填写联系人", "contact is required")
	tooLong(f, "contact", e.Contact, maxContactRunes, "联系人", "the contact")
	required(f, "phone", e.Phone, "请填写联系人手机号码", "phone is required")
	if e.Phone != "" && !ValidMobile(e.Phone) {
		f.Add("phone", "请填写11位中国大陆手机号码", "enter an 11-digit mainland China mobile number")
	}
	tooLong(f, "address", e.Address, maxAddressRunes, "地址", "the address")
	required(f, "grid_code", e.GridCode, "请选择所属网格", "grid is required")

	required(f, "industry", e.Industry, "请选择所属行业", "industry is required")
	if _, ok := DivisionByCode(e.Industry); e.Industry != "" && !ok {
		f.Add("industry",
			fmt.Sprintf("行业代码“%s”不是国民经济行业分类（GB/T 4754-2017）的大类代码", e.Industry),
			fmt.Sprintf("%q is not a division code of GB/T 4754-2017", e.Industry))
	}

	if e.Employees < 0 || e.Employees > maxEmployees {
		f.Add("employees", "从业人员数应在0至1000万之间", "employees must be between 0 and 10,000,000")
	}
	if e.Revenue < 0 {
		f.Add("revenue", "营业收入不能为负数", "revenue cannot be negative")
	} else if e.Revenue > maxRevenue {
		f.Add("revenue", "营业收入超出合理范围，请核对金额和单位", "revenue is implausibly large; check the amount and unit")
	}

	switch e.KeyLevel {
	case KeyNone, KeyDistrict, KeyCity:
	default:
		f.Add("key_level", "重点企业级别无效", "unknown key-enterprise level")
	}
	tooLong(f, "party_branch", e.PartyBranch, maxPartyBranchRunes, "党支部名称", "the Party branch name")

	if len(e.Tags) > maxTags {
		f.Add("tags", fmt.Sprintf("标签最多%d个", maxTags), fmt.Sprintf("at most %d tags", maxTags))
	}
	for _, t := range e.Tags {
		if utf8.RuneCountInString(t) > maxTagRunes {
			f.Add("tags",
				fmt.Sprintf("标签“%s”过长，每个标签不超过%d个字", t, maxTagRunes),
				fmt.Sprintf("tag %q is too long; tags have at most %d characters", t, maxTagRunes))
		}
	}
	return f
}

// required adds a message for field when v is empty.
func required(f fault.Fields, field, v, zh, en string) {
	if v == "" {
		f.Add(field, zh, en)
	}
}

// tooLong adds a message for field when v has more than n characters.
func tooLong(f fault.Fields, field, v string, n int, zhName, enName string) {
	if utf8.RuneCountInString(v) > n {
		f.Add(field,
			fmt.Sprintf("%s不能超过%d个字", zhName, n),
			fmt.Sprintf("%s must be at most %d characters", enName, n))
	}
}

// normalizeIndustry returns an industry code as its two-digit division code
// where it can tell: "5" (a spreadsheet that dropped the zero) becomes "05"
// and "C34" (section letter first) becomes "34".
func normalizeIndustry(s string) string {
	s = trim(strings.Map(foldWidth, s))
	if len(s) == 1 && '1' <= s[0] && s[0] <= '9' {
		return "0" + s
	}
	if len(s) == 3 {
		if d, ok := DivisionByCode(s[1:]); ok && strings.EqualFold(s[:1], d.Section) {
			return d.Code
		}
	}
	return s
}

// normalizeTags trims tags and drops empty and repeated ones, keeping order.
func normalizeTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		if t = trim(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// trim removes surrounding blanks, full-width spaces included.
func trim(s string) string { return strings.TrimFunc(s, isBlank) }

// isBlank reports whether r is white space or an invisible character that
// spreadsheets and copy-paste leave around values.
func isBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B'
}

// foldWidth maps full-width ASCII forms (Ａ, １, －) and the ideographic space
// to their ASCII equivalents.
func foldWidth(r rune) rune {
	switch {
	case r == '\u3000':
		return ' '
	case '\uFF01' <= r && r <= '\uFF5E':
		return r - 0xFEE0
	}
	return r
}
