package fold

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/calendar"
	"qifu/internal/place"
	"qifu/internal/rates"
	"qifu/internal/store"
)

// The facts the three rates are computed from (rates.Appeal): an appeal's
// dates, places, result and rating, and its steps' clocks on the calendar.

// factsWhere loads the facts of the appeals a that where selects, with
// their steps, as rates.Compute takes them; open steps are timed to end.
func Facts(ctx context.Context, h store.DB, cal *calendar.Calendar, where string, args []any, end time.Time) ([]rates.Appeal, error) {
	rows, err := h.Query(ctx, `SELECT a.id, a.created_at, a.grid_code, a.community_code, a.street_code, a.district_code,
		COALESCE(a.lead_department, 0), a.result, a.replied_at, a.rating, a.redo_count
		FROM appeals a WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("assessment appeals: %w", err)
	}
	byID := map[int64]*rates.Appeal{}
	var order []int64
	for rows.Next() {
		var a rates.Appeal
		var created, replied int64
		var redo int
		if err := rows.Scan(&a.ID, &created, &a.Grid, &a.Community, &a.Street, &a.District, &a.LeadDepartment,
			&a.Result, &replied, &a.Rating, &redo); err != nil {
			rows.Close()
			return nil, err
		}
		a.Received, a.Replied, a.Redone = time.UnixMilli(created), store.Millis(replied), redo > 0
		byID[a.ID] = &a
		order = append(order, a.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(order) == 0 {
		return nil, nil
	}
	// The steps of those appeals, in batches that keep the parameter count low.
	const batch = 500
	for i := 0; i < len(order); i += batch {
		ids := order[i:min(i+batch, len(order))]
		if err := assessmentSteps(ctx, h, cal, end, ids, byID); err != nil {
			return nil, err
		}
	}
	out := make([]rates.Appeal, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	return out, nil
}

func assessmentSteps(ctx context.Context, h store.DB, cal *calendar.Calendar, end time.Time, ids []int64, byID map[int64]*rates.Appeal) error {
	in := make([]any, len(ids))
	for i, id := range ids {
		in[i] = id
	}
	rows, err := h.Query(ctx, `SELECT st.appeal_id, st.step, COALESCE(st.department_id, 0), COALESCE(st.done_by, p.signed_by, 0),
		st.started_at, st.due_at, st.done_at, COALESCE(p.status, '')
		FROM appeal_steps st LEFT JOIN appeal_dispatches p ON p.id = st.dispatch_id
		WHERE st.appeal_id IN (`+store.Placeholders(len(ids))+`) ORDER BY st.id`, in...)
	if err != nil {
		return fmt.Errorf("assessment steps: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st rates.Step
		var kind, status string
		var started, due, done int64
		if err := rows.Scan(&st.AppealID, &kind, &st.DepartmentID, &st.HandlerID, &started, &due, &done, &status); err != nil {
			return err
		}
		st.Kind = rates.StepKind(kind)
		st.Started, st.Due, st.Done = time.UnixMilli(started), time.UnixMilli(due), store.Millis(done)
		stop := end
		if done != 0 {
			stop = st.Done
		}
		st.WorkingTime = cal.Between(st.Started, stop)
		st.Returned = kind == string(appeal.StepSign) && status == "returned"
		a := byID[st.AppealID]
		a.Steps = append(a.Steps, st)
	}
	return rows.Err()
}

// AppealLevelColumn is the appeals column holding the code of each level.
var AppealLevelColumn = map[place.Level]string{
	place.City: "a.city_code", place.District: "a.district_code", place.Street: "a.street_code",
	place.Community: "a.community_code", place.Grid: "a.grid_code",
}
