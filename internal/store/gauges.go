package store

import (
	"context"
	"fmt"
	"sort"
)

// Gauges are counts of the store's records by kind, for /metrics.
type Gauges map[string]int64

// Kinds returns the gauge names in order.
func (g Gauges) Kinds() []string {
	keys := make([]string, 0, len(g))
	for k := range g {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Gauges counts enterprises, users, active sessions, grids and grids outside the norm.
func (s *Store) Gauges(ctx context.Context) (Gauges, error) {
	g := Gauges{}
	now := s.now().UnixMilli()
	for _, q := range []struct {
		kind, sql string
		args      []any
	}{
		{"enterprises", "SELECT COUNT(*) FROM enterprises", nil},
		{"enterprises_unconfirmed_code", "SELECT COUNT(*) FROM enterprises WHERE code_unconfirmed = TRUE", nil},
		{"users", "SELECT COUNT(*) FROM users WHERE disabled = FALSE", nil},
		{"sessions", "SELECT COUNT(*) FROM sessions WHERE expires_at > ? AND last_seen + idle_ms > ?", []any{now, now}},
		{"grids", "SELECT COUNT(*) FROM regions WHERE level = 5", nil},
		{"grids_without_worker", "SELECT COUNT(*) FROM regions WHERE level = 5 AND worker_id IS NULL", nil},
		{"audit_entries", "SELECT COALESCE(SUM(seq - anchor_id), 0) FROM audit_head", nil},
	} {
		var n int64
		if err := Scan(s.Reader().Row(ctx, q.sql, q.args...), &n); err != nil {
			return nil, fmt.Errorf("gauge %s: %w", q.kind, err)
		}
		g[q.kind] = n
	}
	return g, nil
}
