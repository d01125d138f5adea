package sheet

import (
	"strings"
	"testing"
)

// FuzzParseRow feeds arbitrary cells to the reading of one import row, the
// cells joined by tabs in the order of the import columns: it never
// panics, keeps the cells as read, and a row it finds valid holds an
// enterprise that passes validation again unchanged.
func FuzzParseRow(f *testing.F) {
	at := make([]int, len(columns))
	for i := range at {
		at[i] = i
	}
	f.Add("91330206MA2H00001K\t宁波测试模具有限公司\t王五\t王五\t13805741234\t明州路 1 号\t33020600100101\t34\t12\t300\t否\t\t\t")
	f.Add("91330206MA2H00001K\t\t\t\t+86 138-0574-1234\t\t\tC\t1.2e3\t-5\t是\t\t\t")
	f.Add("\t\t\t\t\t\t\t\t\t\t\t\t\t")
	f.Add("９１３３０２０６ＭＡ２Ｈ０００１Ｋ\tA\tB\tC\t0574-86891234\tD\t330206001001001\t3\t9999999999999\t1,000,000.5\tmaybe\t\x00\t\u202e\t")
	f.Fuzz(func(t *testing.T, line string) {
		cells := strings.Split(line, "\t")
		row := parseRow(2, at, cells)
		for i, c := range row.Cells {
			if i < len(cells) && c != cells[i] {
				t.Fatalf("cell %d kept as %q, read %q", i, c, cells[i])
			}
		}
		if !row.Valid() {
			return
		}
		again := row.Enterprise
		again.Normalize()
		if problems := again.Validate(true); len(problems) > 0 {
			t.Errorf("a valid row's enterprise fails validation: %v", problems)
		}
		if again.CreditCode != row.Enterprise.CreditCode || again.Phone != row.Enterprise.Phone || again.Name != row.Enterprise.Name {
			t.Errorf("normalizing a valid row's enterprise changes it: %+v → %+v", row.Enterprise, again)
		}
	})
}
