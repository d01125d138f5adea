package appealdb

import (
	"context"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/place"
)

// TestListPlansReadOpenStepsOnly checks SQLite's plan of the lists' and the
// export's statement: each row's deadline comes from the index of open steps
// alone (migration 0018), never from the steps themselves, which over a
// province's history are tens of millions of rows, nearly all done. A column
// added to the deadline's subquery but not to the index would read them
// again; no timing shows that on a test's few rows, the plan does.
// (PostgreSQL chooses by its statistics, which a test's store has none of.)
func TestListPlansReadOpenStepsOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := migratedSQLite(t)
	leader := access.Actor{UserID: 1, Role: access.RoleDistrictLeader, RegionCode: "330206", RegionLevel: place.District}
	dept := access.Actor{UserID: 2, Role: access.RoleDepartment, RegionCode: "330206", RegionLevel: place.District, DepartmentID: 7}
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, calendar.Shanghai)
	tests := []struct {
		name  string
		actor access.Actor
		q     AppealQuery
	}{
		{"a district's export from a date", leader, AppealQuery{Region: "330206", From: from}},
		{"a district's triage", leader, AppealQuery{Queue: QueueTriage}},
		{"a department's to-sign queue", dept, AppealQuery{Queue: QueueToSign}},
		{"a department's overdue steps", dept, AppealQuery{Queue: QueueOverdue}},
		{"a district's overdue appeals", leader, AppealQuery{Queue: QueueOverdue}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := tt.q.selection(tt.actor, from.UnixMilli())
			if err != nil || sel.empty {
				t.Fatalf("selection: %v, empty %v", err, sel.empty)
			}
			query, args := sel.rowsSQL(MaxExport, 0)
			rows, err := s.engine.Reader().Query(ctx, "EXPLAIN QUERY PLAN "+query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var steps []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(detail, " st ") {
					steps = append(steps, detail)
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if len(steps) < 2 {
				t.Fatalf("the plan reads the steps %d times, want at least 2 (the deadline, its warning): %q", len(steps), steps)
			}
			for _, d := range steps {
				if !strings.Contains(d, "COVERING INDEX appeal_steps_open") {
					t.Errorf("a row's deadline is read with %q; want the covering index appeal_steps_open", d)
				}
			}
		})
	}
}
