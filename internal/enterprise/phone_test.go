package enterprise

import "testing"

func TestValidMobile(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"13812345678", true},
		{"19912345678", true},
		{"16612345678", true},
		{"12812345678", false}, // second digit 2
		{"10012345678", false},
		{"23812345678", false},
		{"1381234567", false},   // 10 digits
		{"138123456789", false}, // 12 digits
		{"1381234567a", false},
		{"138 1234 5678", false}, // not normalized
		{"+8613812345678", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidMobile(tt.in); got != tt.want {
			t.Errorf("ValidMobile(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeMobile(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"13812345678", "13812345678"},
		{" 138 1234 5678 ", "13812345678"},
		{"138-1234-5678", "13812345678"},
		{"+86 138 1234 5678", "13812345678"},
		{"+86-13812345678", "13812345678"},
		{"(+86)13812345678", "13812345678"},
		{"8613812345678", "13812345678"},
		{"86 138 1234 5678", "13812345678"},
		{"008613812345678", "13812345678"},
		{"１３８１２３４５６７８", "13812345678"},
		{"\u300013812345678\u3000", "13812345678"},
		{"0574-8765 4321", "0574-8765 4321"}, // a landline: left for ValidMobile to reject
		{"1381234567", "1381234567"},
		{"138123456789", "138123456789"},
		{"+1 415 555 0100", "+1 415 555 0100"},
		{"+13812345678", "+13812345678"},
		{"138****5678", "138****5678"},
		{"tel 13812345678", "tel 13812345678"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeMobile(tt.in); got != tt.want {
			t.Errorf("NormalizeMobile(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
