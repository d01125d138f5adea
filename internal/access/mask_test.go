package access

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskPhone(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"13812345678", "138****5678"},
		{"+8613812345678", "+86*******5678"},
		{"0574-86001234", "057******1234"},
		{"0574860012", "05******12"},
		{"86001234", "86****34"},
		{"8600123", "8****23"},
		{"1234", "1**4"},
		{"123", "**3"},
		{"12", "**"},
		{"1", "*"},
		{"", ""},
		{"１３８１２３４５６７８", "１３８****５６７８"},
	}
	for _, tt := range tests {
		if got := MaskPhone(tt.in); got != tt.want {
			t.Errorf("MaskPhone(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskIDNumber(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"33020619900101123X", "330***********123X"},
		{"330206900101123", "330********1123"}, // 15-digit first-generation number
		{"3302061990", "33******90"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskIDNumber(tt.in); got != tt.want {
			t.Errorf("MaskIDNumber(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskName(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"张三", "张*"},
		{"欧阳娜娜", "欧***"},
		{"李", "*"},
		{" 王五 ", "王*"},
		{"阿卜杜拉·买买提", "阿*******"},
		{"Alice", "A****"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskName(tt.in); got != tt.want {
			t.Errorf("MaskName(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestMaskNeverRevealsMuch checks, for every length up to 30, that the masks
// keep the length, show at most 7 characters, and below 11 characters (the
// length of a mobile number) hide at least as many as they show.
func TestMaskNeverRevealsMuch(t *testing.T) {
	for n := 0; n <= 30; n++ {
		s := strings.Repeat("9", n)
		for name, mask := range map[string]func(string) string{"MaskPhone": MaskPhone, "MaskIDNumber": MaskIDNumber, "MaskName": MaskName} {
			got := mask(s)
			shown := utf8.RuneCountInString(strings.ReplaceAll(got, "*", ""))
			if utf8.RuneCountInString(got) != n || shown > 7 || (n < 11 && shown > n-shown) {
				t.Errorf("%s(%d characters) = %q: shows %d", name, n, got, shown)
			}
		}
	}
}
