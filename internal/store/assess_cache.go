package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"qifu/internal/access"
	"qifu/internal/rates"
)

// An assessment reads every appeal active in its period with its steps: a
// district's year is tens of thousands of appeals, most of a second's work.
// A leader's page asks for the same figures again and again (the tabs, the
// rankings, the export), and several leaders of a region ask for the same
// ones at once. So a computed assessment is kept for a short while
// (Options.AssessmentTTL) under its scope and query, and concurrent requests
// for the same wait for one computation instead of each making its own. The
// figures carry the time they were computed at; the pages show it (数据截至).

// maxCachedAssessments bounds the assessments kept.
const maxCachedAssessments = 256

// assessCache holds recent assessments by key.
type assessCache struct {
	mu      sync.Mutex
	entries map[string]*assessEntry
}

// assessEntry is one assessment, computed or being computed.
type assessEntry struct {
	done chan struct{} // closed once rows, at and err are set
	rows []rates.Row
	at   time.Time
	err  error
}

// assessKey names an assessment: whose scope, which query.
func assessKey(actor access.Actor, q AssessmentQuery) string {
	w := "default"
	if q.BasicWeight != nil {
		w = fmt.Sprint(*q.BasicWeight)
	}
	return fmt.Sprintf("%s|%s|%d|%d|%s|%s|%d|%d|%s", actor.Role, actor.RegionCode, actor.RegionLevel, actor.DepartmentID,
		q.Dimension, q.Region, q.From.UnixMilli(), q.To.UnixMilli(), w)
}

// get returns the assessment under key computed less than ttl ago, or
// computes it with compute, once for all who ask meanwhile; each caller
// gets rows of its own. A failed computation is not kept.
func (c *assessCache) get(ctx context.Context, key string, now time.Time, ttl time.Duration,
	compute func() ([]rates.Row, error)) ([]rates.Row, time.Time, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		select {
		case <-e.done:
			if now.Sub(e.at) >= ttl {
				ok = false
			}
		default: // being computed
		}
	}
	if !ok {
		if c.entries == nil {
			c.entries = map[string]*assessEntry{}
		}
		c.evict(now, ttl)
		e = &assessEntry{done: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		e.rows, e.err = compute()
		e.at = now
		if e.err != nil {
			c.mu.Lock()
			if c.entries[key] == e {
				delete(c.entries, key)
			}
			c.mu.Unlock()
		}
		close(e.done)
		return slices.Clone(e.rows), e.at, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return slices.Clone(e.rows), e.at, e.err
	case <-ctx.Done():
		return nil, time.Time{}, ctx.Err()
	}
}

// evict drops expired entries, and the oldest while there are too many;
// c.mu is held.
func (c *assessCache) evict(now time.Time, ttl time.Duration) {
	var oldest string
	for k, e := range c.entries {
		select {
		case <-e.done:
			if now.Sub(e.at) >= ttl {
				delete(c.entries, k)
			} else if oldest == "" || e.at.Before(c.entries[oldest].at) {
				oldest = k
			}
		default:
		}
	}
	if len(c.entries) >= maxCachedAssessments && oldest != "" {
		delete(c.entries, oldest)
	}
}
