package catalogue

import (
	"slices"
	"testing"

	"qifu/internal/appeal"
	"qifu/internal/department"
)

func TestDemoCatalogue(t *testing.T) {
	providers := DemoProviders()
	known := map[string]bool{}
	kinds := map[ProviderKind]int{}
	for _, p := range providers {
		c := p
		if err := c.Check(); err != nil {
			t.Errorf("provider %s: %v", p.Code, err)
		}
		if known[p.Code] {
			t.Errorf("provider %s twice", p.Code)
		}
		known[p.Code] = true
		kinds[p.Kind]++
		if !p.Demo || p.Version != 1 {
			t.Errorf("provider %s: demo %v version %d", p.Code, p.Demo, p.Version)
		}
	}
	for _, k := range ProviderKinds {
		if kinds[k] == 0 {
			t.Errorf("no provider of kind %s", k)
		}
	}

	standards := DemoStandards()
	if len(standards) != 85 {
		t.Fatalf("%d standards, want 85", len(standards))
	}
	letter := map[string]string{"governance": "G", "support": "S", "employees": "E", "party": "P"}
	categories := appeal.DefaultCategories()
	var departments []string
	for _, d := range department.Alliance() {
		departments = append(departments, d.Code)
	}
	groups := map[string]int{}
	modes := map[Mode]int{}
	codes := map[string]bool{}
	for _, s := range standards {
		c := s
		if err := c.Check(); err != nil {
			t.Errorf("standard %s: %v", s.Code, err)
		}
		if codes[s.Code] {
			t.Errorf("standard %s twice", s.Code)
		}
		codes[s.Code] = true
		groups[s.Group]++
		modes[s.Mode]++
		if l, ok := letter[s.Group]; !ok || s.Code[:1] != l {
			t.Errorf("standard %s in group %q", s.Code, s.Group)
		}
		for _, p := range s.Providers {
			if !known[p] {
				t.Errorf("standard %s: unknown provider %s", s.Code, p)
			}
		}
		if _, ok := categories.Find(s.Category); !ok {
			t.Errorf("standard %s: unknown category %s", s.Code, s.Category)
		}
		if !slices.Contains(departments, s.Department) {
			t.Errorf("standard %s: unknown department %s", s.Code, s.Department)
		}
		if s.Office != "" {
			t.Errorf("standard %s: office %q", s.Code, s.Office)
		}
		if s.Mode == Activity && s.Schedule == "" {
			t.Errorf("standard %s: activity without a schedule", s.Code)
		}
		if !s.Demo || s.Version != 1 || s.From != "2026-01-01" {
			t.Errorf("standard %s: demo %v version %d from %s", s.Code, s.Demo, s.Version, s.From)
		}
	}
	for _, g := range Groups {
		if groups[g] == 0 {
			t.Errorf("no standard in group %s", g)
		}
	}
	for _, m := range Modes {
		if modes[m] == 0 {
			t.Errorf("no standard of mode %s", m)
		}
	}

	// The codes other code and tests rely on.
	type fixed struct {
		group, name, nameEn, category, department string
		handle                                    appeal.Span
	}
	want := map[string]fixed{
		"G01": {"governance", "环评审批咨询与帮办", "Environmental approval guidance", "environment", "ecology", appeal.Days(5)},
		"G02": {"governance", "安全生产隐患上门检查", "On-site work-safety inspection", "safety", "emergency", appeal.Days(3)},
		"G03": {"governance", "消防设施检查指导", "Fire-safety inspection and advice", "safety", "fire", appeal.Days(3)},
		"G04": {"governance", "营业执照变更帮办", "Business licence changes", "market", "market", appeal.Days(2)},
		"G05": {"governance", "货车通行证办理", "Truck access permits", "logistics", "police", appeal.Days(3)},
		"S01": {"support", "融资需求对接银行", "Matching financing needs with banks", "financing", "finoffice", appeal.Days(5)},
		"S02": {"support", "惠企政策兑现帮办", "Help with subsidy payment", "policy.subsidy", "econ", appeal.Days(10)},
		"S03": {"support", "研发费用加计扣除辅导", "R&D super-deduction guidance", "tax", "tax", appeal.Days(3)},
		"S04": {"support", "出口退税进度查询", "Export tax rebate status", "trade", "tax", appeal.Days(2)},
		"S05": {"support", "高新技术企业认定辅导", "High-tech enterprise certification guidance", "policy.tech", "sci", appeal.Days(5)},
		"S06": {"support", "用地与规划手续咨询", "Land and planning procedures", "land", "resources", appeal.Days(5)},
		"E01": {"employees", "招工用工对接（共享员工）", "Recruiting and shared employees", "labour.recruit", "hrss", appeal.Days(5)},
		"E02": {"employees", "劳动关系法律咨询", "Labour-relations legal advice", "labour.dispute", "justice", appeal.Days(3)},
		"E03": {"employees", "社保政策咨询与缓缴办理", "Social insurance advice and deferral", "labour.social", "hrss", appeal.Days(3)},
		"P01": {"party", "非公企业党组织组建指导", "Setting up a Party branch", "other", "union", appeal.Days(10)},
		"P02": {"party", "职工之家建设与工会服务", "Trade-union services for workers", "other", "union", appeal.Days(10)},
	}
	byCode := map[string]Standard{}
	for _, s := range standards {
		byCode[s.Code] = s
	}
	for code, w := range want {
		s, ok := byCode[code]
		if !ok {
			t.Errorf("standard %s missing", code)
			continue
		}
		got := fixed{s.Group, s.Name, s.NameEn, s.Category, s.Department, s.Handle}
		if got != w {
			t.Errorf("standard %s = %+v, want %+v", code, got, w)
		}
	}
	if m := byCode["S03"].Mode; m != Assisted && m != OnSite {
		t.Errorf("S03 mode %s, want assisted or onsite", m)
	}
	for _, code := range []string{"G01", "S01", "E02"} {
		if byCode[code].Mode == Online {
			t.Errorf("%s is online; appeals are raised under it", code)
		}
	}
}
