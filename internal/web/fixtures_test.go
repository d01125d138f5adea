package web

import (
	"bytes"
	"context"
	"qifu/internal/calendar"
	"qifu/internal/store"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Records the route matrix and the module tests start from: a
// department's workbook of facts, a cadre to replace, a key project.

// factsWorkbook is a department's workbook of one fact of the enterprise
// of credit code: its revenue of last year.
func factsWorkbook(t testing.TB, credit string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheetName := f.GetSheetName(0)
	year := strconv.Itoa(time.Now().In(calendar.Shanghai).Year() - 1)
	for i, row := range [][]any{{"统一社会信用代码", "事实类别", "期间", "数值", "备注"}, {credit, "营业收入", year, "1250.5", "纳税申报"}} {
		if err := f.SetSheetRow(sheetName, "A"+strconv.Itoa(i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cadreSwap is a cadre with enterprises and another active cadre to
// succeed it, as the store holds them now.
func cadreSwap(t testing.TB, s *site) (from, to int64) {
	t.Helper()
	ctx := context.Background()
	if err := store.Scan(s.st.Reader().Row(ctx, `SELECT a.user_id FROM assignments a JOIN users u ON u.id = a.user_id
		WHERE u.role = 'cadre' ORDER BY a.user_id LIMIT 1`), &from); err != nil {
		t.Fatalf("a cadre with enterprises: %v", err)
	}
	if err := store.Scan(s.st.Reader().Row(ctx, `SELECT id FROM users WHERE role = 'cadre' AND disabled = FALSE AND id <> ?
		ORDER BY id LIMIT 1`, from), &to); err != nil {
		t.Fatalf("a successor: %v", err)
	}
	return from, to
}

// firstProject is the first key project as the store holds it now: its
// id, version and enterprise's credit code.
func firstProject(t testing.TB, s *site) (id, version int64, credit string) {
	t.Helper()
	if err := store.Scan(s.st.Reader().Row(context.Background(), `SELECT p.id, p.version, e.credit_code FROM key_projects p
		JOIN enterprises e ON e.id = p.enterprise_id ORDER BY p.id LIMIT 1`), &id, &version, &credit); err != nil {
		t.Fatalf("a key project: %v", err)
	}
	return id, version, credit
}
