package enterprise

import (
	"fmt"
	"testing"
)

func TestSections(t *testing.T) {
	s := AllSections()
	if len(s) != 20 {
		t.Fatalf("%d sections; want 20", len(s))
	}
	for i, sec := range s {
		if want := string(rune('A' + i)); sec.Letter != want {
			t.Errorf("section %d is %q; want %q", i, sec.Letter, want)
		}
		if sec.Zh == "" || sec.En == "" {
			t.Errorf("section %s lacks a name: %+v", sec.Letter, sec)
		}
	}
}

func TestDivisions(t *testing.T) {
	// The sections' division ranges in GB/T 4754-2017.
	ranges := []struct {
		section     string
		first, last int
	}{
		{"A", 1, 5}, {"B", 6, 12}, {"C", 13, 43}, {"D", 44, 46}, {"E", 47, 50},
		{"F", 51, 52}, {"G", 53, 60}, {"H", 61, 62}, {"I", 63, 65}, {"J", 66, 69},
		{"K", 70, 70}, {"L", 71, 72}, {"M", 73, 75}, {"N", 76, 79}, {"O", 80, 82},
		{"P", 83, 83}, {"Q", 84, 85}, {"R", 86, 90}, {"S", 91, 96}, {"T", 97, 97},
	}
	want := map[string]string{}
	for _, r := range ranges {
		for n := r.first; n <= r.last; n++ {
			want[fmt.Sprintf("%02d", n)] = r.section
		}
	}
	if len(want) != 97 {
		t.Fatalf("the test's ranges cover %d codes; want 97", len(want))
	}

	divs := AllDivisions()
	if len(divs) != 97 {
		t.Errorf("%d divisions; want 97", len(divs))
	}
	seen := map[string]bool{}
	for _, d := range divs {
		if seen[d.Code] {
			t.Errorf("division %s listed twice", d.Code)
		}
		seen[d.Code] = true
		if sec, ok := want[d.Code]; !ok {
			t.Errorf("division %s is not a code of the standard", d.Code)
		} else if d.Section != sec {
			t.Errorf("division %s is in section %s; want %s", d.Code, d.Section, sec)
		}
		if d.Zh == "" || d.En == "" {
			t.Errorf("division %s lacks a name: %+v", d.Code, d)
		}
	}
	for code := range want {
		if !seen[code] {
			t.Errorf("division %s is missing", code)
		}
	}
}

func TestDivisionByCode(t *testing.T) {
	tests := []struct {
		code    string
		ok      bool
		section string
	}{
		{"01", true, "A"},
		{"34", true, "C"},
		{"65", true, "I"},
		{"97", true, "T"},
		{"00", false, ""},
		{"98", false, ""},
		{"1", false, ""},
		{"034", false, ""},
		{"C34", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		d, ok := DivisionByCode(tt.code)
		if ok != tt.ok || d.Section != tt.section || (ok && d.Code != tt.code) {
			t.Errorf("DivisionByCode(%q) = %+v, %v; want section %q, %v", tt.code, d, ok, tt.section, tt.ok)
		}
	}
}

func TestAllDivisionsIsACopy(t *testing.T) {
	AllDivisions()[0].Zh = "changed"
	AllSections()[0].Zh = "changed"
	if d, _ := DivisionByCode("01"); d.Zh != "农业" {
		t.Errorf("changing AllDivisions' result changed the table: %q", d.Zh)
	}
	if AllSections()[0].Zh == "changed" {
		t.Error("changing AllSections' result changed the table")
	}
}
