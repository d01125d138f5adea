package policydb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"qifu/internal/policy"
	"qifu/internal/store"
)

// The evaluator reads enterprises as profiles: the registry's row and the
// current facts of the kinds the rules at hand read, streamed in the order
// of the enterprises' ids by two cursors merged here, so that a city of a
// million enterprises is read once, without holding it.

const profileColumns = `e.id, e.name, e.grid_code, e.community_code, e.street_code, e.district_code, e.industry, e.size,
	e.key_level, e.foreign_trade, e.tags, e.registered_on`

// eachProfile calls fn with the profile of every enterprise e matching
// where (a condition on enterprises e), in the order of their ids. The
// profile is reused between calls: fn keeps nothing of it.
func eachProfile(ctx context.Context, h store.DB, where string, args []any, kinds []string, fn func(*policy.Profile) error) error {
	return eachProfileIn(ctx, h, where, args, kinds, 0, 0, fn)
}

// eachProfileIn is eachProfile over the enterprises with lo < id <= hi
// (hi 0: no bound). It holds two cursors: the enterprises, and their facts
// of kinds in the order of the index of current facts (which covers them).
func eachProfileIn(ctx context.Context, h store.DB, where string, args []any, kinds []string, lo, hi int64, fn func(*policy.Profile) error) error {
	eq, eargs := where, append([]any(nil), args...)
	fq, fargs := "", []any{}
	if hi > 0 {
		eq += " AND e.id > ? AND e.id <= ?"
		eargs = append(eargs, lo, hi)
		fq += " AND f.enterprise_id > ? AND f.enterprise_id <= ?"
		fargs = append(fargs, lo, hi)
	}
	ents, err := h.Query(ctx, "SELECT "+profileColumns+" FROM enterprises e WHERE "+eq+" ORDER BY e.id", eargs...)
	if err != nil {
		return fmt.Errorf("read profiles: %w", err)
	}
	defer ents.Close()
	var facts *sql.Rows
	if len(kinds) > 0 {
		kargs := make([]any, 0, len(kinds)+len(fargs)+len(args))
		for _, k := range kinds {
			kargs = append(kargs, k)
		}
		// "kind || ''" keeps a planner without statistics off the index by
		// kind, which would sort every fact read; the current facts' index
		// gives them in order.
		q := `SELECT f.enterprise_id, f.kind, f.period, f.num, f.txt, f.source FROM enterprise_facts f
			WHERE f.kind || '' IN (` + store.Placeholders(len(kinds)) + `)` + fq
		kargs = append(kargs, fargs...)
		if where != "1 = 1" {
			q += " AND f.enterprise_id IN (SELECT e.id FROM enterprises e WHERE " + where + ")"
			kargs = append(kargs, args...)
		}
		q += " ORDER BY f.enterprise_id, f.kind, f.period, f.rank, f.recorded_at, f.id"
		if facts, err = h.Query(ctx, q, kargs...); err != nil {
			return fmt.Errorf("read facts: %w", err)
		}
		defer facts.Close()
	}
	var p policy.Profile
	var tags string
	var key string
	var next factRow
	haveNext := false
	readFact := func() (bool, error) {
		if facts == nil || !facts.Next() {
			if facts != nil {
				return false, facts.Err()
			}
			return false, nil
		}
		err := facts.Scan(&next.enterprise, &next.f.Kind, &next.f.Period, &next.f.Num, &next.f.Text, &next.f.Source)
		return err == nil, err
	}
	if haveNext, err = readFact(); err != nil {
		return fmt.Errorf("read facts: %w", err)
	}
	for ents.Next() {
		if err := ents.Scan(&p.EnterpriseID, &p.Name, &p.Grid, &p.Community, &p.Street, &p.District, &p.Industry, &p.Size,
			&key, &p.ForeignTrade, &tags, &p.RegisteredOn); err != nil {
			return fmt.Errorf("scan profile: %w", err)
		}
		p.KeyLevel = key
		if key == "" {
			p.KeyLevel = "none"
		}
		p.Tags = p.Tags[:0]
		if tags != "" {
			p.Tags = append(p.Tags, strings.Split(tags, ",")...)
		}
		p.Facts = p.Facts[:0]
		for haveNext && next.enterprise < p.EnterpriseID {
			if haveNext, err = readFact(); err != nil {
				return fmt.Errorf("read facts: %w", err)
			}
		}
		for haveNext && next.enterprise == p.EnterpriseID {
			// rows come in authority order within a kind and period: the
			// last is the current one
			if n := len(p.Facts); n > 0 && p.Facts[n-1].Kind == next.f.Kind && p.Facts[n-1].Period == next.f.Period {
				p.Facts[n-1] = next.f
			} else {
				p.Facts = append(p.Facts, next.f)
			}
			if haveNext, err = readFact(); err != nil {
				return fmt.Errorf("read facts: %w", err)
			}
		}
		if err := fn(&p); err != nil {
			return err
		}
	}
	return ents.Err()
}

type factRow struct {
	enterprise int64
	f          policy.FactValue
}

// kindsOf are the kinds of the file a set of benefits reads.
func kindsOf(list []ruled) []string {
	var out []string
	for _, r := range list {
		for _, k := range append(r.c.Facts(), r.b.Amount.Facts()...) {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// ruled is a benefit with its compiled conditions.
type ruled struct {
	b policy.Benefit
	c *policy.Compiled
}

// profileOf reads one enterprise's whole profile (every kind the fields read).
func profileOf(ctx context.Context, h store.DB, id int64) (policy.Profile, error) {
	var out policy.Profile
	found := false
	err := eachProfile(ctx, h, "e.id = ?", []any{id}, policy.FactKinds(), func(p *policy.Profile) error {
		out = *p
		out.Tags = slices.Clone(p.Tags)
		out.Facts = slices.Clone(p.Facts)
		found = true
		return nil
	})
	if err == nil && !found {
		return out, fmt.Errorf("profile of enterprise %d: %w", id, sql.ErrNoRows)
	}
	return out, err
}
