package policydb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// Each instance keeps the profiles of every enterprise in memory for the
// evaluations over all of them (a dry run, a publication), loaded once and
// brought up to date before each use from what changed since: the facts
// recorded after the last one read, the enterprises updated after the last
// one read. The store stays the truth: the cache is derived, refreshed from
// committed rows, so several instances each keep their own and agree.

type profileCache struct {
	mu       sync.RWMutex
	loaded   bool
	list     []policy.Profile // in the order of ids
	index    map[int64]int
	facts    mark // the last fact read
	ents     mark // the last enterprise update read
	interned map[string]string
}

// intern shares one copy of the repeated strings (codes, kinds, periods).
func (c *profileCache) intern(s string) string {
	if v, ok := c.interned[s]; ok {
		return v
	}
	c.interned[s] = s
	return s
}

// keep copies a profile the loader lends into the cache's own.
func (c *profileCache) keep(p *policy.Profile) policy.Profile {
	out := policy.Profile{EnterpriseID: p.EnterpriseID, Name: p.Name, Grid: c.intern(p.Grid), Community: c.intern(p.Community),
		Street: c.intern(p.Street), District: c.intern(p.District), Industry: c.intern(p.Industry), Size: c.intern(p.Size),
		KeyLevel: c.intern(p.KeyLevel), ForeignTrade: p.ForeignTrade, RegisteredOn: c.intern(p.RegisteredOn)}
	if len(p.Tags) > 0 {
		out.Tags = make([]string, len(p.Tags))
		for i, t := range p.Tags {
			out.Tags[i] = c.intern(t)
		}
	}
	if len(p.Facts) > 0 {
		out.Facts = make([]policy.FactValue, len(p.Facts))
		for i, f := range p.Facts {
			out.Facts[i] = policy.FactValue{Kind: c.intern(f.Kind), Period: c.intern(f.Period), Num: f.Num, Text: f.Text, Source: f.Source}
		}
	}
	return out
}

// marks reads how far the facts and the enterprises' updates go now.
func marks(ctx context.Context, h store.DB) (facts, ents mark, err error) {
	if err = store.Scan(h.Row(ctx, "SELECT COALESCE(MAX(id), 0) FROM enterprise_facts"), &facts.id); err != nil {
		return
	}
	facts.at = facts.id
	err = store.Scan(h.Row(ctx, `SELECT updated_at, id FROM enterprises ORDER BY updated_at DESC, id DESC LIMIT 1`), &ents.at, &ents.id)
	if err != nil && fault.Is(err, fault.NotFound) {
		err = nil
	}
	return
}

// profiles brings the cache up to date and calls fn with it, read-locked.
func (s *Store) profiles(ctx context.Context, fn func(list []policy.Profile) error) error {
	if err := s.refresh(ctx); err != nil {
		return err
	}
	s.cache.mu.RLock()
	defer s.cache.mu.RUnlock()
	return fn(s.cache.list)
}

// load reads every profile.
func (c *profileCache) load(ctx context.Context, h store.DB, facts, ents mark) error {
	c.interned = map[string]string{}
	c.list, c.index = nil, map[int64]int{}
	if err := eachProfile(ctx, h, "1 = 1", nil, policy.FactKinds(), func(p *policy.Profile) error {
		c.index[p.EnterpriseID] = len(c.list)
		c.list = append(c.list, c.keep(p))
		return nil
	}); err != nil {
		return fmt.Errorf("load profiles: %w", err)
	}
	c.loaded, c.facts, c.ents = true, facts, ents
	return nil
}

// refresh loads the cache, or reads again the enterprises changed since.
func (s *Store) refresh(ctx context.Context) error {
	c := &s.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	h := s.engine.Reader()
	// the marks first: a change committed while the cache loads is read again next time
	facts, ents, err := marks(ctx, h)
	if err != nil {
		return fmt.Errorf("profile marks: %w", err)
	}
	if !c.loaded {
		return c.load(ctx, h, facts, ents)
	}
	if facts == c.facts && ents == c.ents {
		return nil
	}
	ids, err := changedSince(ctx, h, c.facts, c.ents)
	if err != nil {
		return fmt.Errorf("changed profiles: %w", err)
	}
	added := false
	for part := range slices.Chunk(ids, 500) {
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		if err := eachProfile(ctx, h, "e.id IN ("+store.Placeholders(len(part))+")", args, policy.FactKinds(), func(p *policy.Profile) error {
			if i, ok := c.index[p.EnterpriseID]; ok {
				c.list[i] = c.keep(p)
			} else {
				c.list = append(c.list, c.keep(p))
				added = true
			}
			return nil
		}); err != nil {
			return fmt.Errorf("reload profiles: %w", err)
		}
	}
	if added {
		slices.SortFunc(c.list, func(a, b policy.Profile) int { return cmp.Compare(a.EnterpriseID, b.EnterpriseID) })
		c.index = make(map[int64]int, len(c.list))
		for i := range c.list {
			c.index[c.list[i].EnterpriseID] = i
		}
	}
	c.facts, c.ents = facts, ents
	// an enterprise deleted: load again
	var n int
	if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM enterprises"), &n); err != nil {
		return err
	}
	if n != len(c.list) {
		c.loaded = false
	}
	return nil
}

// changedSince are the enterprises whose facts or record changed after the
// marks: a fact recorded after facts, an enterprise updated after ents.
func changedSince(ctx context.Context, h store.DB, facts, ents mark) ([]int64, error) {
	return store.Collect(ctx, h, store.Int64, `SELECT DISTINCT enterprise_id FROM enterprise_facts WHERE id > ?
		UNION SELECT id FROM enterprises WHERE updated_at = ? AND id > ? UNION SELECT id FROM enterprises WHERE updated_at > ?`,
		facts.id, ents.at, ents.id, ents.at)
}
