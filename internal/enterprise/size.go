package enterprise

import (
	"fmt"
	"slices"
)

// sizeRule is one row of the table of 统计上大中小微型企业划分办法（2017）: an
// industry group, the GB/T 4754 codes it covers, and the lower bounds of its
// indicators for the large, medium and small classes, in that order. A zero
// bound is an indicator the standard does not use for the group.
type sizeRule struct {
	group     string   // the standard's name of the group
	codes     []string // divisions, or 中类 where the standard splits a division
	employees [3]int   // 从业人员, persons
	revenue   [3]int64 // 营业收入, 万元
	// assets is 资产总额 in 万元. We do not collect total assets, so
	// Classify ignores this column; it is kept so the table stays the
	// standard's.
	assets [3]int64
}

// sizeRules is the standard's table. A code is looked up as a three-digit
// 中类 first, then as its division. Codes the standard does not cover are in
// the last row, whose group is empty.
var sizeRules = []sizeRule{
	{group: "农、林、牧、渔业", codes: codeRange(1, 5),
		revenue: [3]int64{20000, 500, 50}},
	{group: "工业", codes: codeRange(6, 46), // 采矿业, 制造业, 电力热力燃气及水
		employees: [3]int{1000, 300, 20}, revenue: [3]int64{40000, 2000, 300}},
	{group: "建筑业", codes: codeRange(47, 50),
		revenue: [3]int64{80000, 6000, 300}, assets: [3]int64{80000, 5000, 300}},
	{group: "批发业", codes: []string{"51"},
		employees: [3]int{200, 20, 5}, revenue: [3]int64{40000, 5000, 1000}},
	{group: "零售业", codes: []string{"52"},
		employees: [3]int{300, 50, 10}, revenue: [3]int64{20000, 500, 100}},
	{group: "交通运输业", codes: append(codeRange(54, 58), "591"), // 装卸搬运 (591) but not 铁路运输业 (53)
		employees: [3]int{1000, 300, 20}, revenue: [3]int64{30000, 3000, 200}},
	{group: "仓储业", codes: []string{"59"}, // 592–599 and, lacking the 中类, all of 59
		employees: [3]int{200, 100, 20}, revenue: [3]int64{30000, 1000, 100}},
	{group: "邮政业", codes: []string{"60"},
		employees: [3]int{1000, 300, 20}, revenue: [3]int64{30000, 2000, 100}},
	{group: "住宿业", codes: []string{"61"},
		employees: [3]int{300, 100, 10}, revenue: [3]int64{10000, 2000, 100}},
	{group: "餐饮业", codes: []string{"62"},
		employees: [3]int{300, 100, 10}, revenue: [3]int64{10000, 2000, 100}},
	{group: "信息传输业", codes: []string{"63", "64"},
		employees: [3]int{2000, 100, 10}, revenue: [3]int64{100000, 1000, 100}},
	{group: "软件和信息技术服务业", codes: []string{"65"},
		employees: [3]int{300, 100, 10}, revenue: [3]int64{10000, 1000, 50}},
	{group: "房地产开发经营", codes: []string{"70"}, // 701 and, lacking the 中类, all of 70
		revenue: [3]int64{200000, 1000, 100}, assets: [3]int64{10000, 5000, 2000}},
	{group: "物业管理", codes: []string{"702"},
		employees: [3]int{1000, 300, 100}, revenue: [3]int64{5000, 1000, 500}},
	{group: "租赁和商务服务业", codes: []string{"71", "72"},
		employees: [3]int{300, 100, 10}, assets: [3]int64{120000, 8000, 100}},
	{group: "其他未列明行业", codes: slices.Concat( // incl. 房地产中介 and 其他房地产业
		codeRange(73, 82), []string{"85"}, codeRange(86, 90), []string{"703", "709"}),
		employees: [3]int{300, 100, 10}},
	{group: "", codes: slices.Concat( // outside the standard's scope
		[]string{"53"}, codeRange(66, 69), []string{"704", "83", "84"}, codeRange(91, 97))},
}

// Classify returns the size class of an enterprise of the division with the
// given employees and annual revenue in yuan, by the 2017 statistical rules
// (统计上大中小微型企业划分办法（2017）). Large, medium and small must reach
// every lower bound of the class; an enterprise that misses one falls to the
// next class, down to micro.
//
// The standard measures construction and real-estate development by revenue
// and total assets, and leasing and business services by employees and total
// assets. We do not collect total assets, so those groups are classified by
// their other indicator alone, which can place an enterprise one class higher
// than the standard would.
//
// Where the standard splits a division, a three- or four-digit code picks the
// group: 591 装卸搬运 is transport, the rest of 59 storage; 702 物业管理 is
// property management, 703 and 709 fall under 其他未列明行业, 704 is not
// covered, and the rest of 70 is real-estate development. A bare 59 or 70 is
// classified as storage or real-estate development.
//
// Classify returns "" (unclassified) for codes the standard does not cover —
// railway transport, finance, education, health, public administration,
// international organisations and 自有房地产经营活动 — and for unknown codes.
func Classify(division string, employees int, revenueYuan int64) SizeClass {
	r, ok := sizeRuleFor(division)
	if !ok {
		return ""
	}
	employees = max(employees, 0)
	revenueYuan = max(revenueYuan, 0)
	for i, class := range [3]SizeClass{SizeLarge, SizeMedium, SizeSmall} {
		if employees >= r.employees[i] && revenueYuan >= r.revenue[i]*10000 {
			return class
		}
	}
	return SizeMicro
}

// sizeRuleFor finds the rule of a code: its 中类 first, then its division.
func sizeRuleFor(code string) (sizeRule, bool) {
	var keys []string
	if len(code) >= 3 {
		keys = append(keys, code[:3])
	}
	if len(code) >= 2 {
		keys = append(keys, code[:2])
	}
	for _, k := range keys {
		for _, r := range sizeRules {
			if slices.Contains(r.codes, k) {
				return r, r.group != ""
			}
		}
	}
	return sizeRule{}, false
}

// codeRange returns the two-digit division codes from first to last.
func codeRange(first, last int) []string {
	var codes []string
	for n := first; n <= last; n++ {
		codes = append(codes, fmt.Sprintf("%02d", n))
	}
	return codes
}

// Zh returns the Chinese label of the size class.
func (s SizeClass) Zh() string {
	switch s {
	case SizeLarge:
		return "大型"
	case SizeMedium:
		return "中型"
	case SizeSmall:
		return "小型"
	case SizeMicro:
		return "微型"
	case "":
		return "未划型"
	}
	return string(s)
}

// En returns the English label of the size class.
func (s SizeClass) En() string {
	switch s {
	case SizeLarge, SizeMedium, SizeSmall, SizeMicro:
		return string(s)
	case "":
		return "unclassified"
	}
	return string(s)
}

// Zh returns the Chinese label of the key-enterprise level.
func (k KeyLevel) Zh() string {
	switch k {
	case KeyNone:
		return "非重点企业"
	case KeyDistrict:
		return "区级重点企业"
	case KeyCity:
		return "市级重点企业"
	}
	return string(k)
}

// En returns the English label of the key-enterprise level.
func (k KeyLevel) En() string {
	switch k {
	case KeyNone:
		return "not a key enterprise"
	case KeyDistrict:
		return "district key enterprise"
	case KeyCity:
		return "city key enterprise"
	}
	return string(k)
}
