package pooldb

import (
	"context"
	"fmt"
	"slices"

	"qifu/internal/access"
	"qifu/internal/pool"
	"qifu/internal/store"
)

// Candidate is a lender's worker who fits a proposed loan, with how well.
type Candidate struct {
	Worker pool.Worker `json:"worker"`
	Cost   int         `json:"cost"` // the matcher's cost: lower is better
	TeamOf string      `json:"team,omitempty"`
}

// Candidates lists the lender's available workers who fit a loan's need and
// every rule, best first, for the lender (or staff for it) to choose from.
func (s *Store) Candidates(ctx context.Context, actor access.Actor, id int64) ([]Candidate, error) {
	m, err := s.asParty(ctx, actor, id, "lender")
	if err != nil {
		return nil, err
	}
	r := s.engine.Reader()
	offers, err := s.offers(ctx, r, actor, m.LenderID)
	if err != nil {
		return nil, err
	}
	type team struct {
		id   int64
		name string
	}
	rows, err := store.Collect(ctx, r, func(sc store.Scanner) (team, error) {
		var t team
		return t, sc.Scan(&t.id, &t.name)
	}, "SELECT id, name FROM pool_teams WHERE enterprise_id = ?", m.LenderID)
	if err != nil {
		return nil, fmt.Errorf("read teams: %w", err)
	}
	teams := map[int64]string{} // a candidate's team, by name
	for _, t := range rows {
		teams[t.id] = t.name
	}
	want := pool.Want{Need: withOpen(m.Need, 1)}
	var out []Candidate
	for _, o := range offers {
		o.Excludes = nil // the proposal was made: the lender chooses among its own
		if c, _, ok := pool.Check(o, want, s.today()); ok {
			w := o.Worker
			maskWorker(actor, &w)
			out = append(out, Candidate{Worker: w, Cost: c, TeamOf: teams[w.TeamID]})
		}
	}
	slices.SortStableFunc(out, func(a, b Candidate) int { return a.Cost - b.Cost })
	return out, nil
}
