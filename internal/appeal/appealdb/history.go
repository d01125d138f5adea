package appealdb

import (
	"context"
	"fmt"
	"slices"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// HistoryReport says what ReplayHistory did.
type HistoryReport struct {
	Appeals, Moves, Skipped, Alerts int
}

// ReplayHistory raises the demo's appeals and takes their moves through the
// ordinary use cases, in time order, so that the history is exactly what the
// workflow records. The store must have been opened with a clock that
// setNow moves: each appeal and move happens at its own time, and the alert
// scheduler runs at the end of every simulated day. A move the workflow
// refuses (say, an extension asked for too late) is skipped with the rest of
// its appeal's moves.
func (s *Store) ReplayHistory(ctx context.Context, plans []demo.Plan, moves []demo.Move, setNow func(time.Time)) (HistoryReport, error) {
	var rep HistoryReport
	actors := map[string]access.Actor{}
	actorOf := func(username string) (access.Actor, error) {
		if a, ok := actors[username]; ok {
			return a, nil
		}
		u, err := s.engine.UserByUsername(ctx, username)
		if err != nil {
			return access.Actor{}, fmt.Errorf("demo user %s: %w", username, err)
		}
		a, err := s.engine.Actor(ctx, u.ID)
		if err != nil {
			return a, err
		}
		a.Addr = "demo"
		actors[username] = a
		return a, nil
	}
	type dept struct {
		code string
		id   int64
	}
	list, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (d dept, err error) {
		return d, sc.Scan(&d.code, &d.id)
	}, "SELECT code, id FROM departments")
	if err != nil {
		return rep, err
	}
	depts := map[string]int64{}
	for _, d := range list {
		depts[d.code] = d.id
	}

	order := make([]int, len(plans))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return plans[a].At.Compare(plans[b].At) })
	ids := make([]int64, len(plans))
	broken := make([]bool, len(plans))
	var day string
	tick := func(t time.Time) error {
		if d := t.Format(time.DateOnly); d != day {
			if day != "" {
				n, err := s.RunAlerts(ctx, 100000)
				if err != nil {
					return err
				}
				rep.Alerts += n
			}
			day = d
		}
		setNow(t)
		return nil
	}
	p, m := 0, 0
	for p < len(order) || m < len(moves) {
		if p < len(order) && (m >= len(moves) || !plans[order[p]].At.After(moves[m].At)) {
			i := order[p]
			p++
			if err := tick(plans[i].At); err != nil {
				return rep, err
			}
			actor, err := actorOf(plans[i].Raiser)
			if err != nil {
				return rep, err
			}
			a, _, err := s.CreateAppeal(ctx, actor, plans[i].Input, "")
			if err != nil {
				return rep, fmt.Errorf("demo appeal %d: %w", i, err)
			}
			ids[i] = a.ID
			rep.Appeals++
			continue
		}
		mv := moves[m]
		m++
		if ids[mv.Plan] == 0 || broken[mv.Plan] {
			continue
		}
		if err := tick(mv.At); err != nil {
			return rep, err
		}
		actor, err := actorOf(mv.Actor)
		if err != nil {
			return rep, err
		}
		id := ids[mv.Plan]
		c := appeal.Command{Action: mv.Action, Note: mv.Note, Public: mv.Public, Lead: depts[mv.Lead], Result: mv.Result,
			Rating: mv.Rating, Via: mv.Via}
		if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT version FROM appeals WHERE id = ?", id), &c.Version); err != nil {
			return rep, err
		}
		for _, code := range mv.Assist {
			if mv.Action == appeal.RaiseJoint {
				c.Departments = append(c.Departments, depts[code])
			} else {
				c.Assists = append(c.Assists, depts[code])
			}
		}
		switch mv.Action {
		case appeal.RequestExtension:
			var due int64
			if err := store.Scan(s.engine.Reader().Row(ctx, `SELECT due_at FROM appeal_dispatches WHERE appeal_id = ? AND role = 'lead' AND active = TRUE
				ORDER BY id DESC LIMIT 1`, id), &due); err != nil {
				return rep, err
			}
			c.Due = time.UnixMilli(due).Add(mv.Extend)
		case appeal.DecideExtension:
			if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT id FROM appeal_extensions WHERE appeal_id = ? AND status = ?", id,
				string(appeal.ExtensionPending)), &c.ExtensionID); err != nil {
				broken[mv.Plan] = true
				rep.Skipped++
				continue
			}
			c.Approve = true
		}
		if _, err := s.Act(ctx, actor, id, c); err != nil {
			if k := fault.KindOf(err); k == fault.Internal || k == fault.Unavailable || k == "" {
				return rep, fmt.Errorf("demo move %s on appeal %d: %w", mv.Action, id, err)
			}
			broken[mv.Plan] = true
			rep.Skipped++
			continue
		}
		rep.Moves++
	}
	n, err := s.RunAlerts(ctx, 100000)
	rep.Alerts += n
	return rep, err
}
