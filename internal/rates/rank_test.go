package rates

import (
	"slices"
	"testing"

	"qifu/internal/fault"
)

func keys(rows []Row) []string {
	var ks []string
	for _, r := range rows {
		ks = append(ks, r.Key)
	}
	return ks
}

func TestRankFixture(t *testing.T) {
	tests := []struct {
		dim  Dimension
		by   Measure
		want []string
	}{
		{Department, Response, []string{"12", "7"}},     // 4/4, 2/5
		{Department, Resolution, []string{"7", "12"}},   // 2/3, 1/2
		{Department, Satisfaction, []string{"12", "7"}}, // 0.8/1, 1.8/3
		// 102 (5/5) and 301 (4/4) tie at 1: the larger denominator first;
		// 201 and 202 tie at 1/2 and 2: by Key.
		{Handler, Response, []string{"102", "301", "101", "201", "202"}},
		// 201 (2/2) before 102 (1/1); 101 has no reply: 0 of 0, last.
		{Handler, Resolution, []string{"201", "102", "301", "202", "101"}},
		// 202 and 301 tie at 0.8 of 1: by Key; 101 has no rating: last.
		{Handler, Satisfaction, []string{"102", "202", "301", "201", "101"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.dim)+"/"+string(tt.by), func(t *testing.T) {
			rows, err := Compute(fixture(), tt.dim, march)
			if err != nil {
				t.Fatal(err)
			}
			ranked, err := Rank(rows, tt.by)
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(ranked); !slices.Equal(got, tt.want) {
				t.Errorf("Rank = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRankTies(t *testing.T) {
	rows := []Row{
		{Key: "9", ResponseRate: 2.0 / 6, ResponseDue: 6},
		{Key: "10", ResponseRate: 1.0 / 3, ResponseDue: 3},
		{Key: "3", ResponseRate: 1.0 / 3, ResponseDue: 6},
		{Key: "4", ResponseRate: 0, ResponseDue: 0},
		{Key: "5", ResponseRate: 0, ResponseDue: 2},
		{Key: "6", ResponseRate: 0.5, ResponseDue: 2},
	}
	ranked, err := Rank(rows, Response)
	if err != nil {
		t.Fatal(err)
	}
	// 6 first; 3 and 9 tie at 1/3 of 6: by Key, numerically; then 10 (of 3);
	// then 5 (0 of 2) before 4 (0 of 0).
	if got, want := keys(ranked), []string{"6", "3", "9", "10", "5", "4"}; !slices.Equal(got, want) {
		t.Errorf("Rank = %v, want %v", got, want)
	}
	if got := keys(rows); !slices.Equal(got, []string{"9", "10", "3", "4", "5", "6"}) {
		t.Errorf("Rank reordered its input: %v", got)
	}

	// Weighted sums that are equal but round differently still tie.
	// Without the tie, "b" would come first.
	tenth := 0.1 // a variable: constant arithmetic would be exact
	ranked, _ = Rank([]Row{
		{Key: "a", SatisfactionRate: 0.3, Rated: 10},
		{Key: "b", SatisfactionRate: tenth + 0.2, Rated: 10}, // 0.30000000000000004
	}, Satisfaction)
	if got := keys(ranked); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("near-equal rates: Rank = %v, want [a b]", got)
	}
}

func TestRankEmptyAndInvalid(t *testing.T) {
	for _, m := range []Measure{Response, Resolution, Satisfaction} {
		if ranked, err := Rank(nil, m); err != nil || len(ranked) != 0 {
			t.Errorf("Rank(nil, %s) = %v, %v", m, ranked, err)
		}
	}
	if _, err := Rank([]Row{{Key: "1"}}, "overdue"); !fault.Is(err, fault.Invalid) {
		t.Errorf("Rank by an unknown measure: err = %v, want Invalid", err)
	}
}
