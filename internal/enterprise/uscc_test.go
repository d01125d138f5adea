package enterprise

import (
	"strings"
	"testing"

	"qifu/internal/fault"
)

// complete appends the check character to a 17-character prefix. It
// recomputes the check from GB 32100-2015 on its own (weights 3^(i-1) mod 31)
// rather than calling CheckChar, so the two implementations check each other.
func complete(t testing.TB, prefix string) string {
	t.Helper()
	if len(prefix) != 17 {
		t.Fatalf("complete(%q): want 17 characters", prefix)
	}
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCharset, prefix[i])
		if v < 0 {
			t.Fatalf("complete(%q): bad character %q", prefix, prefix[i])
		}
		sum += v * w
		w = w * 3 % 31
	}
	return prefix + string(creditCharset[(31-sum%31)%31])
}

// codeOf returns the fault code of err, or "" for nil.
func codeOf(err error) string {
	if err == nil {
		return ""
	}
	if fe := fault.As(err); fe != nil && fe.Kind == fault.Invalid {
		return fe.Code
	}
	return "not an Invalid *fault.Error: " + err.Error()
}

func TestCheckChar(t *testing.T) {
	tests := []struct {
		first17 string
		want    byte
		ok      bool
	}{
		{"00000000000000000", '0', true}, // sum 0: 31 - 0 = 31, which becomes 0
		{"10000000000000000", 'Y', true}, // sum 1: 30
		{"01000000000000000", 'W', true}, // sum 3: 28
		{"00000000000000001", '3', true}, // sum 28: 3
		{"0000000000000000A", 'Y', true}, // sum 10·28 = 280 = 9·31 + 1: 30
		{"9133020000000000", 0, false},   // 16 characters
		{"913302000000000000", 0, false}, // 18 characters
		{"9133020000000000I", 0, false},  // I is not used
		{"9133020000000000a", 0, false},  // not normalized
		{"913302000000000０0", 0, false},  // full-width digit
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := CheckChar(tt.first17)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CheckChar(%q) = %q, %v; want %q, %v", tt.first17, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCheckCreditCode(t *testing.T) {
	valid := []string{
		"91330200MA2H7K3C1", // 工商, 企业, Ningbo
		"92330206MA2J8Y6B0", // 工商, 个体工商户, Beilun
		"93330212MA2KL00X4", // 工商, 农民专业合作社
		"12330200470001234", // 机构编制, 事业单位
		"51330206MJ9876543", // 民政, 社会团体
		"31330000E12345678", // 司法行政, 律师执业机构
		"N2330206MF0000001", // 农业, 村级集体经济组织
		"Y1330200MC1234567", // 其他
		"A1110000MB0000000", // 中央军委改革和编制办公室
	}
	for _, prefix := range valid {
		code := complete(t, prefix)
		if err := CheckCreditCode(code); err != nil {
			t.Errorf("CheckCreditCode(%q) = %v; want nil", code, err)
		}
	}

	good := complete(t, "91330200MA2H7K3C1")
	wrongCheck := good[:17] + string(creditCharset[(strings.IndexByte(creditCharset, good[17])+1)%31])
	tests := []struct {
		name string
		code string
		want string
	}{
		{"empty", "", "credit_code_length"},
		{"17 characters", good[:17], "credit_code_length"},
		{"19 characters", good + "0", "credit_code_length"},
		{"15-digit registration number", "330200000012345", "credit_code_length"},
		{"letter I", "9133020" + "I" + good[8:], "credit_code_charset"},
		{"letter O", strings.Replace(good, "MA", "MO", 1), "credit_code_charset"},
		{"letter S", strings.Replace(good, "MA", "SA", 1), "credit_code_charset"},
		{"letter V", strings.Replace(good, "MA", "VA", 1), "credit_code_charset"},
		{"letter Z", strings.Replace(good, "MA", "ZA", 1), "credit_code_charset"},
		{"lower case", strings.ToLower(good), "credit_code_charset"},
		{"hyphen", good[:8] + "-" + good[9:], "credit_code_charset"},
		{"Chinese", "统一社会信用代码统一社会信用代码统一", "credit_code_charset"},
		{"unknown authority", complete(t, "B1330200MA2H7K3C1"), "credit_code_structure"},
		{"authority 0", complete(t, "01330200MA2H7K3C1"), "credit_code_structure"},
		{"category 4 under 工商", complete(t, "94330200MA2H7K3C1"), "credit_code_structure"},
		{"category 2 under 其他", complete(t, "Y2330200MA2H7K3C1"), "credit_code_structure"},
		{"category letter", complete(t, "9A330200MA2H7K3C1"), "credit_code_structure"},
		{"division with letter", complete(t, "9133020AMA2H7K3C1"), "credit_code_structure"},
		{"check character", wrongCheck, "credit_code_check"},
		// Not every transposition is caught by mod 31; this one is.
		{"transposed neighbours", good[:9] + good[10:11] + good[9:10] + good[11:], "credit_code_check"},
		{"valid", good, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := codeOf(CheckCreditCode(tt.code)); got != tt.want {
				t.Errorf("CheckCreditCode(%q) = %q; want %q", tt.code, got, tt.want)
			}
		})
	}
}

func TestCheckCreditCodeMessages(t *testing.T) {
	err := CheckCreditCode(complete(t, "91330200MA2H7K3C1")[:17] + "@")
	fe := fault.As(err)
	if fe == nil || fe.Message.Zh == "" || fe.Message.En == "" {
		t.Fatalf("CheckCreditCode: %v; want an error with both messages", err)
	}
	if !strings.Contains(fe.Message.Zh, "第18位") {
		t.Errorf("message %q does not name the position", fe.Message.Zh)
	}
}

func TestNormalizeCreditCode(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"91330200MA2H7K3C1X", "91330200MA2H7K3C1X"},
		{"  91330200ma2h7k3c1x\t", "91330200MA2H7K3C1X"},
		{"\u300091330200MA2H7K3C1X\u3000", "91330200MA2H7K3C1X"},
		{"\uFEFF91330200MA2H7K3C1X\r\n", "91330200MA2H7K3C1X"},
		{"９１３３０２００ＭＡ２Ｈ７Ｋ３Ｃ１Ｘ", "91330200MA2H7K3C1X"},
		{"９１３３０２００ｍａ２ｈ７ｋ３ｃ１ｘ", "91330200MA2H7K3C1X"},
		{"9133 0200", "9133 0200"}, // inner spaces stay: the check then reports them
		{"", ""},
		{"统一", "统一"},
	}
	for _, tt := range tests {
		if got := NormalizeCreditCode(tt.in); got != tt.want {
			t.Errorf("NormalizeCreditCode(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestWeightsDetectSubstitution proves the property FuzzCreditCode relies on.
// Replacing the character at position i by another one changes the weighted
// sum by w_i·d with d in ±1..±30. Because 31 is prime and no weight is a
// multiple of 31, w_i·d is never 0 mod 31, so the check character changes.
// A substitution in the check character itself obviously mismatches.
func TestWeightsDetectSubstitution(t *testing.T) {
	w := 1
	for i, got := range creditWeights {
		if got != w {
			t.Errorf("weight %d = %d; want 3^%d mod 31 = %d", i+1, got, i, w)
		}
		for d := 1; d < 31; d++ {
			if got*d%31 == 0 {
				t.Errorf("weight %d times %d is 0 mod 31: substitutions would go unseen", i+1, d)
			}
		}
		w = w * 3 % 31
	}
}

func FuzzCreditCode(f *testing.F) {
	f.Add("91330200MA2H7K3C1X")
	f.Add("")
	f.Add("统一社会信用代码")
	f.Add("ZZZZZZZZZZZZZZZZZZZZZZZZ")
	f.Add("\xff\xfe000000000000000")
	f.Fuzz(func(t *testing.T, s string) {
		// Never panics, whatever comes in.
		_ = CheckCreditCode(s)
		_ = CheckCreditCode(NormalizeCreditCode(s))
		CheckChar(s)

		// Build a structurally valid 17-character prefix from the input.
		b := make([]byte, 17)
		for i := range b {
			var x byte
			if len(s) > 0 {
				x = s[i%len(s)] + byte(i/len(s))
			}
			switch {
			case i == 0:
				b[i] = "123456789ANY"[int(x)%12]
			case i == 1:
				cats := creditCategories[b[0]]
				b[i] = cats[int(x)%len(cats)]
			case i < 8:
				b[i] = '0' + x%10
			default:
				b[i] = creditCharset[int(x)%31]
			}
		}
		c, ok := CheckChar(string(b))
		if !ok {
			t.Fatalf("CheckChar(%q) failed", b)
		}
		code := string(b) + string(c)
		if code != complete(t, string(b)) {
			t.Fatalf("CheckChar(%q) = %q; the independent computation says %q", b, c, complete(t, string(b))[17])
		}
		if err := CheckCreditCode(code); err != nil {
			t.Fatalf("CheckCreditCode(%q) = %v; want nil", code, err)
		}

		// Every single substitution is caught: by the check character for
		// the first 17 positions, and by any other test as well.
		for i := 0; i < 18; i++ {
			for j := 0; j < len(creditCharset); j++ {
				if creditCharset[j] == code[i] {
					continue
				}
				m := []byte(code)
				m[i] = creditCharset[j]
				if err := CheckCreditCode(string(m)); err == nil {
					t.Fatalf("CheckCreditCode(%q) = nil after changing position %d of %q", m, i+1, code)
				}
				if c, _ := CheckChar(string(m[:17])); c == m[17] {
					t.Fatalf("check character of %q still matches after changing position %d of %q", m, i+1, code)
				}
			}
		}
	})
}
