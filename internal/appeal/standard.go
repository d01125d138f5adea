package appeal

// Standard is an entry of the catalogue of service standards (服务标准清单):
// a service enterprises may ask for, with the department responsible and the
// time limit it promises. An appeal linked to a standard inherits both: the
// department is proposed first for dispatch and the handling limit is the
// standard's.
type Standard struct {
	Code       string `json:"code"`
	Group      string `json:"group"` // governance, support, employees, party
	Name       string `json:"name"`
	NameEn     string `json:"name_en"`
	Category   string `json:"category"`   // the appeal category it falls under
	Department string `json:"department"` // code of the responsible department
	Handle     Span   `json:"handle"`     // the promised handling time
}

// StandardGroups are the four groups of the catalogue.
var StandardGroups = []string{"governance", "support", "employees", "party"}

// Standards is the catalogue as a list.
type Standards []Standard

// Find returns the standard with code.
func (ss Standards) Find(code string) (Standard, bool) {
	for _, s := range ss {
		if s.Code == code {
			return s, true
		}
	}
	return Standard{}, false
}

// DefaultStandards returns the standards qifu starts with: a part of the
// district's catalogue, one or more in each of its four groups
// (公共治理, 支持服务, 员工保障, 党群发展); administrators keep the rest.
func DefaultStandards() Standards {
	return Standards{
		{Code: "G01", Group: "governance", Name: "环评审批咨询与帮办", NameEn: "Environmental approval guidance", Category: "environment", Department: "ecology", Handle: Days(5)},
		{Code: "G02", Group: "governance", Name: "安全生产隐患上门检查", NameEn: "On-site work-safety inspection", Category: "safety", Department: "emergency", Handle: Days(3)},
		{Code: "G03", Group: "governance", Name: "消防设施检查指导", NameEn: "Fire-safety inspection and advice", Category: "safety", Department: "fire", Handle: Days(3)},
		{Code: "G04", Group: "governance", Name: "营业执照变更帮办", NameEn: "Business licence changes", Category: "market", Department: "market", Handle: Days(2)},
		{Code: "G05", Group: "governance", Name: "货车通行证办理", NameEn: "Truck access permits", Category: "logistics", Department: "police", Handle: Days(3)},
		{Code: "S01", Group: "support", Name: "融资需求对接银行", NameEn: "Matching financing needs with banks", Category: "financing", Department: "finoffice", Handle: Days(5)},
		{Code: "S02", Group: "support", Name: "惠企政策兑现帮办", NameEn: "Help with subsidy payment", Category: "policy.subsidy", Department: "econ", Handle: Days(10)},
		{Code: "S03", Group: "support", Name: "研发费用加计扣除辅导", NameEn: "R&D super-deduction guidance", Category: "tax", Department: "tax", Handle: Days(3)},
		{Code: "S04", Group: "support", Name: "出口退税进度查询", NameEn: "Export tax rebate status", Category: "trade", Department: "tax", Handle: Days(2)},
		{Code: "S05", Group: "support", Name: "高新技术企业认定辅导", NameEn: "High-tech enterprise certification guidance", Category: "policy.tech", Department: "sci", Handle: Days(5)},
		{Code: "S06", Group: "support", Name: "用地与规划手续咨询", NameEn: "Land and planning procedures", Category: "land", Department: "resources", Handle: Days(5)},
		{Code: "E01", Group: "employees", Name: "招工用工对接（共享员工）", NameEn: "Recruiting and shared employees", Category: "labour.recruit", Department: "hrss", Handle: Days(5)},
		{Code: "E02", Group: "employees", Name: "劳动关系法律咨询", NameEn: "Labour-relations legal advice", Category: "labour.dispute", Department: "justice", Handle: Days(3)},
		{Code: "E03", Group: "employees", Name: "社保政策咨询与缓缴办理", NameEn: "Social insurance advice and deferral", Category: "labour.social", Department: "hrss", Handle: Days(3)},
		{Code: "P01", Group: "party", Name: "非公企业党组织组建指导", NameEn: "Setting up a Party branch", Category: "other", Department: "union", Handle: Days(10)},
		{Code: "P02", Group: "party", Name: "职工之家建设与工会服务", NameEn: "Trade-union services for workers", Category: "other", Department: "union", Handle: Days(10)},
	}
}
