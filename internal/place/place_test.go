package place

import (
	"slices"
	"testing"
)

func TestAbove(t *testing.T) {
	tests := []struct {
		code string
		want []string
	}{
		{"330206001002003", []string{"330206001002", "330206001", "330206", "330200"}},
		{"330206001", []string{"330206", "330200"}},
		{"330206", []string{"330200"}},
		{"330200", nil},
		{"", nil},
		{"12345", nil},
	}
	for _, tt := range tests {
		if got := Above(tt.code); !slices.Equal(got, tt.want) {
			t.Errorf("Above(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}
