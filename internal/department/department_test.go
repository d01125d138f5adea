package department

import (
	"regexp"
	"testing"
)

func TestAllianceHas23UniqueDepartments(t *testing.T) {
	deps := Alliance()
	if len(deps) != 23 {
		t.Fatalf("Alliance() has %d departments, want 23", len(deps))
	}
	code := regexp.MustCompile(`^[a-z]{2,12}$`)
	codes := map[string]bool{}
	names := map[string]bool{}
	for _, d := range deps {
		if !code.MatchString(d.Code) {
			t.Errorf("code %q is not a short lower-case word", d.Code)
		}
		if codes[d.Code] {
			t.Errorf("duplicate code %q", d.Code)
		}
		if names[d.Name] {
			t.Errorf("duplicate name %q", d.Name)
		}
		codes[d.Code], names[d.Name] = true, true
		if d.Name == "" || d.NameEn == "" {
			t.Errorf("%s: missing name: %+v", d.Code, d)
		}
		if d.ID != 0 || d.RegionCode != "" {
			t.Errorf("%s: ID and RegionCode must be left to the caller: %+v", d.Code, d)
		}
	}
}

func TestAllianceKnownCodes(t *testing.T) {
	byCode := map[string]string{}
	for _, d := range Alliance() {
		byCode[d.Code] = d.Name
	}
	tests := []struct{ code, name string }{
		{"tax", "税务局"},
		{"market", "市场监管局"},
		{"ecology", "生态环境分局"},
		{"devreform", "发改局"},
		{"hrss", "人力社保局"},
		{"sci", "科技局"},
		{"finance", "财政局"},
		{"commerce", "商务局"},
		{"justice", "司法局"},
		{"health", "卫健局"},
		{"emergency", "应急管理局"},
		{"transport", "交通运输局"},
		{"resources", "自然资源和规划分局"},
		{"housing", "住建局"},
		{"econ", "经信局"},
		{"police", "公安分局"},
		{"finoffice", "金融办"},
		{"union", "总工会"},
	}
	for _, tt := range tests {
		if got := byCode[tt.code]; got != tt.name {
			t.Errorf("department %q is %q, want %q", tt.code, got, tt.name)
		}
	}
}

func TestAllianceReturnsFreshSlice(t *testing.T) {
	a := Alliance()
	a[0].RegionCode = "330206"
	if b := Alliance(); b[0].RegionCode != "" {
		t.Errorf("changing one result changed the next: %+v", b[0])
	}
}
