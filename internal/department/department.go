// Package department holds the government departments that answer dispatched
// appeals: the members of a district's 锋领企服联盟, the alliance of
// enterprise-facing departments convened by the district Party committee.
package department

// Department is one department (部门) of an alliance. It signs for, handles
// and answers the appeals a community dispatches to it (部门报到).
type Department struct {
	ID     int64
	Code   string // stable short code, unique within a region ("tax")
	Name   string // Chinese name, as used in the district ("税务局")
	NameEn string
	// RegionCode is the region whose alliance the department belongs to,
	// usually a district.
	RegionCode string
	Phone      string // office telephone
}

// Alliance returns the 23 departments a district's 锋领企服联盟 typically
// has, with stable codes and no region or telephone. Each call returns a
// fresh slice the caller may change.
func Alliance() []Department {
	return []Department{
		{Code: "devreform", Name: "发改局", NameEn: "Development and Reform Bureau"},
		{Code: "econ", Name: "经信局", NameEn: "Economy and Information Technology Bureau"},
		{Code: "sci", Name: "科技局", NameEn: "Science and Technology Bureau"},
		{Code: "finance", Name: "财政局", NameEn: "Finance Bureau"},
		{Code: "hrss", Name: "人力社保局", NameEn: "Human Resources and Social Security Bureau"},
		{Code: "resources", Name: "自然资源和规划分局", NameEn: "Natural Resources and Planning Branch"},
		{Code: "ecology", Name: "生态环境分局", NameEn: "Ecology and Environment Branch"},
		{Code: "housing", Name: "住建局", NameEn: "Housing and Urban-Rural Development Bureau"},
		{Code: "transport", Name: "交通运输局", NameEn: "Transport Bureau"},
		{Code: "commerce", Name: "商务局", NameEn: "Commerce Bureau"},
		{Code: "health", Name: "卫健局", NameEn: "Health Bureau"},
		{Code: "emergency", Name: "应急管理局", NameEn: "Emergency Management Bureau"},
		{Code: "market", Name: "市场监管局", NameEn: "Market Regulation Bureau"},
		{Code: "tax", Name: "税务局", NameEn: "Taxation Bureau"},
		{Code: "justice", Name: "司法局", NameEn: "Justice Bureau"},
		{Code: "police", Name: "公安分局", NameEn: "Public Security Branch"},
		{Code: "finoffice", Name: "金融办", NameEn: "Financial Affairs Office"},
		{Code: "stats", Name: "统计局", NameEn: "Statistics Bureau"},
		{Code: "enforce", Name: "综合行政执法局", NameEn: "Comprehensive Administrative Law Enforcement Bureau"},
		{Code: "fire", Name: "消防救援大队", NameEn: "Fire and Rescue Brigade"},
		{Code: "customs", Name: "海关", NameEn: "Customs"},
		{Code: "pbc", Name: "人民银行支行", NameEn: "People's Bank of China Sub-branch"},
		{Code: "union", Name: "总工会", NameEn: "Federation of Trade Unions"},
	}
}
