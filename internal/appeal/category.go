package appeal

// Category is a node of the category tree (诉求分类). Administrators manage
// the tree; DefaultCategories seeds it.
type Category struct {
	Code   string `json:"code"`
	Parent string `json:"parent,omitempty"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	// Departments are the codes of the departments that usually lead on
	// appeals of this category, most likely first: the dispatch form
	// suggests them.
	Departments []string `json:"departments,omitempty"`
}

// Categories is a category tree as a flat list, parents before children.
type Categories []Category

// Find returns the category with code.
func (cs Categories) Find(code string) (Category, bool) {
	for _, c := range cs {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

// DefaultCategories returns the categories qifu starts with.
func DefaultCategories() Categories {
	return Categories{
		{Code: "labour", Name: "用工招工", NameEn: "Labour and hiring", Departments: []string{"hrss", "union"}},
		{Code: "labour.recruit", Parent: "labour", Name: "招工难", NameEn: "Recruiting", Departments: []string{"hrss"}},
		{Code: "labour.dispute", Parent: "labour", Name: "劳动关系", NameEn: "Labour relations", Departments: []string{"hrss", "justice", "union"}},
		{Code: "labour.social", Parent: "labour", Name: "社保缴纳", NameEn: "Social insurance", Departments: []string{"hrss"}},
		{Code: "financing", Name: "融资信贷", NameEn: "Financing", Departments: []string{"finoffice", "pbc", "finance"}},
		{Code: "tax", Name: "税费政策", NameEn: "Taxes and fees", Departments: []string{"tax", "finance"}},
		{Code: "environment", Name: "环保审批与整改", NameEn: "Environment", Departments: []string{"ecology"}},
		{Code: "logistics", Name: "物流运输", NameEn: "Logistics and transport", Departments: []string{"transport", "police", "commerce"}},
		{Code: "land", Name: "用地与建设", NameEn: "Land and construction", Departments: []string{"resources", "housing", "enforce"}},
		{Code: "policy", Name: "惠企政策", NameEn: "Enterprise policies", Departments: []string{"econ", "devreform", "sci", "commerce"}},
		{Code: "policy.subsidy", Parent: "policy", Name: "补贴兑现", NameEn: "Subsidy payment", Departments: []string{"econ", "finance"}},
		{Code: "policy.tech", Parent: "policy", Name: "科技创新", NameEn: "Technology and innovation", Departments: []string{"sci"}},
		{Code: "trade", Name: "外贸与口岸", NameEn: "Foreign trade and ports", Departments: []string{"commerce", "customs"}},
		{Code: "market", Name: "市场监管与证照", NameEn: "Market regulation and licences", Departments: []string{"market"}},
		{Code: "safety", Name: "安全生产与消防", NameEn: "Work safety and fire", Departments: []string{"emergency", "fire"}},
		{Code: "legal", Name: "法律咨询", NameEn: "Legal questions", Departments: []string{"justice"}},
		{Code: "epidemic", Name: "防疫物资与复工", NameEn: "Epidemic supplies and resumption", Departments: []string{"health", "econ"}},
		{Code: "utilities", Name: "水电气保障", NameEn: "Water, power and gas", Departments: []string{"econ", "housing"}},
		{Code: "other", Name: "其他", NameEn: "Other", Departments: nil},
	}
}
