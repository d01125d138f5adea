package policy

import (
	"testing"

	"qifu/internal/dossier"
)

// benchConditions are a benefit's conditions as the demo's run: a region,
// a size, an authoritative revenue of a year, a headcount, a certification
// and an expert's CEL rule.
var benchConditions = []Condition{
	{Field: "region", Op: In, Value: "330206"},
	{Field: "size", Op: In, Value: "small,micro"},
	{Field: "revenue", Op: Ge, Value: "500", Period: "2025", Authoritative: true},
	{Field: "insured", Op: Ge, Value: "10"},
	{Field: "certifications", Op: Has, Value: "高新技术企业,科技型中小企业"},
	{CEL: "employees >= 20 && (industry in ['34', '35'] || foreign_trade)", Label: "装备制造或外贸企业，20 人以上"},
}

func benchProfile() *Profile {
	return &Profile{EnterpriseID: 7, Name: "宁波北仑海帆电机有限公司", Grid: "330206001001001", Community: "330206001001", Street: "330206001",
		District: "330206", Industry: "34", Size: "small", KeyLevel: "none", Tags: []string{"专精特新"},
		Facts: []FactValue{{Kind: "employees", Period: "2026-11-30", Num: 56, Source: dossier.Staff},
			{Kind: "insured", Period: "2026-09-30", Num: 49, Source: dossier.Department},
			{Kind: "revenue", Period: "2025", Num: 26_583_200, Source: dossier.Department},
			{Kind: "certification", Period: "2026-07-31", Text: "高新技术企业", Source: dossier.Department}}}
}

// BenchmarkExplain is one enterprise's explained verdict of a benefit of
// six conditions (the goal: under 1 ms).
func BenchmarkExplain(b *testing.B) {
	c, err := Compile(benchConditions)
	if err != nil {
		b.Fatal(err)
	}
	p := benchProfile()
	for b.Loop() {
		if _, v := c.Explain(p); v != Met {
			b.Fatalf("verdict %v", v)
		}
	}
}

// BenchmarkVerdict is the same without the explanation: a dry run's step.
func BenchmarkVerdict(b *testing.B) {
	c, err := Compile(benchConditions)
	if err != nil {
		b.Fatal(err)
	}
	p := benchProfile()
	for b.Loop() {
		if c.Verdict(p) != Met {
			b.Fatal("not met")
		}
	}
}

// BenchmarkCompile is compiling the conditions once per change.
func BenchmarkCompile(b *testing.B) {
	for b.Loop() {
		if _, err := Compile(benchConditions); err != nil {
			b.Fatal(err)
		}
	}
}
