package enterprise

import (
	"fmt"
	"testing"
)

// wan is one 万元 in yuan.
const wan = 10000

func TestClassify(t *testing.T) {
	tests := []struct {
		division  string
		employees int
		revenue   int64 // yuan
		want      SizeClass
	}{
		// 工业: employees and revenue, both needed.
		{"34", 1000, 40000 * wan, SizeLarge},
		{"34", 999, 40000 * wan, SizeMedium},
		{"34", 1000, 40000*wan - 1, SizeMedium},
		{"34", 300, 2000 * wan, SizeMedium},
		{"34", 299, 2000 * wan, SizeSmall},
		{"34", 300, 2000*wan - 1, SizeSmall},
		{"34", 20, 300 * wan, SizeSmall},
		{"34", 19, 300 * wan, SizeMicro},
		{"34", 20, 300*wan - 1, SizeMicro},
		{"34", 5000, 100 * wan, SizeMicro}, // micro needs one indicator only
		{"34", 0, 0, SizeMicro},
		{"06", 1000, 40000 * wan, SizeLarge}, // mining is industry
		{"46", 300, 2000 * wan, SizeMedium},  // so is water supply
		{"3411", 1000, 40000 * wan, SizeLarge},

		// 农、林、牧、渔业: revenue only.
		{"01", 0, 20000 * wan, SizeLarge},
		{"01", 0, 20000*wan - 1, SizeMedium},
		{"05", 5000, 500 * wan, SizeMedium},
		{"03", 0, 500*wan - 1, SizeSmall},
		{"02", 0, 50 * wan, SizeSmall},
		{"04", 10000, 50*wan - 1, SizeMicro},

		// 建筑业: revenue (total assets are not collected).
		{"48", 0, 80000 * wan, SizeLarge},
		{"47", 0, 6000 * wan, SizeMedium},
		{"50", 0, 6000*wan - 1, SizeSmall},
		{"49", 0, 300 * wan, SizeSmall},
		{"49", 0, 300*wan - 1, SizeMicro},

		// 批发业.
		{"51", 200, 40000 * wan, SizeLarge},
		{"51", 199, 40000 * wan, SizeMedium},
		{"51", 20, 5000 * wan, SizeMedium},
		{"51", 5, 1000 * wan, SizeSmall},
		{"51", 4, 1000 * wan, SizeMicro},
		{"51", 5, 1000*wan - 1, SizeMicro},

		// 零售业.
		{"52", 300, 20000 * wan, SizeLarge},
		{"52", 50, 500 * wan, SizeMedium},
		{"52", 49, 500 * wan, SizeSmall},
		{"52", 50, 500*wan - 1, SizeSmall},
		{"52", 10, 100 * wan, SizeSmall},
		{"52", 9, 100 * wan, SizeMicro},
		{"52", 10, 100*wan - 1, SizeMicro},

		// 交通运输业, 仓储业, 邮政业.
		{"54", 1000, 30000 * wan, SizeLarge},
		{"58", 300, 3000 * wan, SizeMedium},
		{"55", 20, 200 * wan, SizeSmall},
		{"56", 20, 200*wan - 1, SizeMicro},
		{"59", 200, 30000 * wan, SizeLarge},   // storage
		{"592", 200, 30000 * wan, SizeLarge},  // 通用仓储
		{"591", 200, 30000 * wan, SizeSmall},  // 装卸搬运 is transport
		{"5910", 300, 3000 * wan, SizeMedium}, // 4-digit class of 591
		{"59", 100, 1000 * wan, SizeMedium},
		{"59", 99, 1000 * wan, SizeSmall},
		{"60", 1000, 30000 * wan, SizeLarge},
		{"60", 300, 2000 * wan, SizeMedium},
		{"60", 20, 100 * wan, SizeSmall},
		{"60", 19, 100 * wan, SizeMicro},

		// 住宿业, 餐饮业.
		{"61", 300, 10000 * wan, SizeLarge},
		{"61", 100, 2000 * wan, SizeMedium},
		{"62", 100, 2000*wan - 1, SizeSmall},
		{"62", 10, 100 * wan, SizeSmall},
		{"62", 9, 100 * wan, SizeMicro},

		// 信息传输业.
		{"63", 2000, 100000 * wan, SizeLarge},
		{"64", 1999, 100000 * wan, SizeMedium},
		{"64", 100, 1000 * wan, SizeMedium},
		{"64", 10, 100 * wan, SizeSmall},
		{"64", 10, 100*wan - 1, SizeMicro},

		// 软件和信息技术服务业.
		{"65", 300, 10000 * wan, SizeLarge},
		{"65", 299, 10000 * wan, SizeMedium},
		{"65", 100, 1000 * wan, SizeMedium},
		{"65", 100, 1000*wan - 1, SizeSmall},
		{"65", 10, 50 * wan, SizeSmall},
		{"65", 9, 50 * wan, SizeMicro},
		{"65", 10, 50*wan - 1, SizeMicro},

		// 房地产: development by revenue; property management; the rest.
		{"70", 0, 200000 * wan, SizeLarge},
		{"70", 0, 1000 * wan, SizeMedium},
		{"701", 0, 1000*wan - 1, SizeSmall},
		{"7010", 0, 100*wan - 1, SizeMicro},
		{"702", 1000, 5000 * wan, SizeLarge},
		{"702", 300, 1000 * wan, SizeMedium},
		{"702", 100, 500 * wan, SizeSmall},
		{"7020", 99, 500 * wan, SizeMicro},
		{"703", 100, 0, SizeMedium}, // 房地产中介: 其他未列明行业
		{"709", 9, 0, SizeMicro},
		{"704", 1000, 1000000 * wan, ""}, // 自有房地产经营活动: not covered

		// 租赁和商务服务业: employees (total assets are not collected).
		{"72", 300, 0, SizeLarge},
		{"71", 100, 0, SizeMedium},
		{"72", 10, 0, SizeSmall},
		{"72", 9, 1000000 * wan, SizeMicro},

		// 其他未列明行业: employees only.
		{"73", 300, 0, SizeLarge},
		{"77", 299, 0, SizeMedium},
		{"80", 100, 0, SizeMedium},
		{"85", 10, 0, SizeSmall},
		{"90", 9, 1000000 * wan, SizeMicro},

		// Not covered by the standard, or not a code.
		{"53", 1000, 40000 * wan, ""},
		{"66", 10, 0, ""},
		{"83", 10, 0, ""},
		{"84", 10, 0, ""},
		{"91", 10, 0, ""},
		{"97", 10, 0, ""},
		{"98", 10, 0, ""},
		{"", 10, 0, ""},
		{"3", 10, 0, ""},

		// Negative input counts as zero.
		{"34", -5, 40000 * wan, SizeMicro},
		{"01", -5, 20000 * wan, SizeLarge},
		{"52", 300, -1, SizeMicro},
	}
	for _, tt := range tests {
		got := Classify(tt.division, tt.employees, tt.revenue)
		if got != tt.want {
			t.Errorf("Classify(%q, %d, %d) = %q; want %q", tt.division, tt.employees, tt.revenue, got, tt.want)
		}
	}
}

// TestSizeRulesCoverDivisions checks that every division of GB/T 4754 is in
// exactly one row of the size table, and that split codes refine a division
// of another row.
func TestSizeRulesCoverDivisions(t *testing.T) {
	rowOf := map[string]string{}
	for _, r := range sizeRules {
		for _, c := range r.codes {
			if prev, ok := rowOf[c]; ok {
				t.Errorf("code %s is in %q and %q", c, prev, r.group)
			}
			rowOf[c] = r.group
			if _, ok := DivisionByCode(c[:2]); !ok || (len(c) != 2 && len(c) != 3) {
				t.Errorf("row %q has code %q, not a division or 中类", r.group, c)
			}
		}
		for i := 1; i < 3; i++ {
			if r.employees[i] > r.employees[i-1] || r.revenue[i] > r.revenue[i-1] || r.assets[i] > r.assets[i-1] {
				t.Errorf("row %q: bounds do not fall from large to small", r.group)
			}
		}
	}
	for _, d := range AllDivisions() {
		if _, ok := rowOf[d.Code]; !ok {
			t.Errorf("division %s %s is in no row", d.Code, d.Zh)
		}
	}
}

func TestSizeClassLabels(t *testing.T) {
	tests := []struct {
		s      SizeClass
		zh, en string
	}{
		{SizeLarge, "大型", "large"},
		{SizeMedium, "中型", "medium"},
		{SizeSmall, "小型", "small"},
		{SizeMicro, "微型", "micro"},
		{"", "未划型", "unclassified"},
		{"huge", "huge", "huge"},
	}
	for _, tt := range tests {
		if tt.s.Zh() != tt.zh || tt.s.En() != tt.en {
			t.Errorf("%q: Zh, En = %q, %q; want %q, %q", tt.s, tt.s.Zh(), tt.s.En(), tt.zh, tt.en)
		}
	}
}

func TestKeyLevelLabels(t *testing.T) {
	tests := []struct {
		k      KeyLevel
		zh, en string
	}{
		{KeyNone, "非重点企业", "not a key enterprise"},
		{KeyDistrict, "区级重点企业", "district key enterprise"},
		{KeyCity, "市级重点企业", "city key enterprise"},
		{"province", "province", "province"},
	}
	for _, tt := range tests {
		if tt.k.Zh() != tt.zh || tt.k.En() != tt.en {
			t.Errorf("%q: Zh, En = %q, %q; want %q, %q", tt.k, tt.k.Zh(), tt.k.En(), tt.zh, tt.en)
		}
	}
}

func ExampleClassify() {
	fmt.Println(Classify("34", 1000, 40000*wan))
	fmt.Println(Classify("34", 999, 40000*wan))
	fmt.Println(Classify("52", 50, 500*wan).Zh())
	// Output:
	// large
	// medium
	// 中型
}
