package enterprise

import (
	"fmt"
	"strings"

	"qifu/internal/fault"
)

// creditCharset is the alphabet of the unified social credit code
// (GB 32100-2015): digits and capital letters without I, O, Z, S and V. A
// character's index in it is its value in the check computation.
const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are the weights of positions 1 to 17, 3^(i-1) mod 31.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditCategories maps each registration authority (登记管理部门代码,
// position 1) to the institution categories (机构类别代码, position 2) it
// assigns.
var creditCategories = map[byte]string{
	'1': "1239",   // 机构编制: 机关, 事业单位, 编办直管的群众团体, 其他
	'2': "19",     // 外交: 外国常驻新闻机构, 其他
	'3': "123459", // 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
	'4': "19",     // 文化: 外国在华文化中心, 其他
	'5': "1239",   // 民政: 社会团体, 民办非企业单位, 基金会, 其他
	'6': "129",    // 旅游: 外国及港澳台旅游部门常驻代表机构, 其他
	'7': "129",    // 宗教: 宗教活动场所, 宗教院校, 其他
	'8': "19",     // 工会: 基层工会, 其他
	'9': "123",    // 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
	'A': "19",     // 中央军委改革和编制办公室: 军队事业单位, 其他
	'N': "1239",   // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
	'Y': "1",      // 其他: not subdivided
}

// NormalizeCreditCode tidies a credit code as people type or paste it:
// full-width characters become ASCII, surrounding blanks (full-width spaces
// and byte-order marks included) are trimmed, and letters are upper-cased.
func NormalizeCreditCode(s string) string {
	s = strings.Map(func(r rune) rune {
		r = foldWidth(r)
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		return r
	}, s)
	return strings.TrimFunc(s, isBlank)
}

// CheckChar computes the check character (校验码) for the first 17
// characters of a credit code. It reports false when first17 is not 17
// characters of the code's alphabet.
func CheckChar(first17 string) (byte, bool) {
	if len(first17) != len(creditWeights) {
		return 0, false
	}
	sum := 0
	for i, w := range creditWeights {
		v := strings.IndexByte(creditCharset, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * w
	}
	return creditCharset[(31-sum%31)%31], true
}

// CheckCreditCode checks a normalized credit code: its length, alphabet,
// structure (registration authority, institution category, six-digit
// division code) and check character, in that order. It returns nil or an
// Invalid *fault.Error coded credit_code_length, credit_code_charset,
// credit_code_structure or credit_code_check.
func CheckCreditCode(code string) error {
	runes := []rune(code)
	if len(runes) != 18 {
		return fault.New(fault.Invalid, "credit_code_length",
			fmt.Sprintf("统一社会信用代码应为18位，当前为%d位", len(runes)),
			fmt.Sprintf("a unified social credit code has 18 characters, not %d", len(runes)))
	}
	for i, r := range runes {
		if r > 0x7f || strings.IndexByte(creditCharset, byte(r)) < 0 {
			return fault.New(fault.Invalid, "credit_code_charset",
				fmt.Sprintf("统一社会信用代码第%d位“%c”无效：只能使用数字和大写字母（不含I、O、Z、S、V）", i+1, r),
				fmt.Sprintf("character %d (%q) of the credit code is not allowed: use digits and capital letters other than I, O, Z, S and V", i+1, r))
		}
	}
	categories, ok := creditCategories[code[0]]
	if !ok {
		return fault.New(fault.Invalid, "credit_code_structure",
			"统一社会信用代码第1位（登记管理部门代码）无效，请核对",
			"the first character of the credit code is not a registration authority code; please check the code")
	}
	if strings.IndexByte(categories, code[1]) < 0 {
		return fault.New(fault.Invalid, "credit_code_structure",
			"统一社会信用代码第2位（机构类别代码）与第1位不符，请核对",
			"the second character of the credit code is not an institution category of its registration authority; please check the code")
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return fault.New(fault.Invalid, "credit_code_structure",
				"统一社会信用代码第3至8位应为6位数字的行政区划代码，请核对",
				"characters 3 to 8 of the credit code must be a six-digit administrative division code; please check the code")
		}
	}
	if c, _ := CheckChar(code[:17]); c != code[17] {
		return fault.New(fault.Invalid, "credit_code_check",
			"统一社会信用代码校验位错误，请核对",
			"the check character of the credit code does not match; please check the code")
	}
	return nil
}
