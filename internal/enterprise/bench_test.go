package enterprise

import "testing"

func BenchmarkCheckCreditCode(b *testing.B) {
	code := "91330206" + "MA2H0000" + "1"
	c, _ := CheckChar(code)
	code += string(c)
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckCreditCode(code); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Classify("34", 120, 35_000_000)
	}
}

func BenchmarkValidate(b *testing.B) {
	code := "91330206MA2H00001"
	c, _ := CheckChar(code)
	e := Enterprise{CreditCode: code + string(c), Name: "宁波北仑示例模具有限公司", Contact: "张三", Phone: "13812345678",
		GridCode: "330206001001001", Industry: "35", Employees: 50, Revenue: 12_000_000, Tags: []string{"专精特新"}}
	b.ReportAllocs()
	for b.Loop() {
		x := e
		x.Normalize()
		if f := x.Validate(false); len(f) > 0 {
			b.Fatal(f)
		}
	}
}
