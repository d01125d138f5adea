package appealdb

import (
	"context"
	"fmt"
	"sync"
	"time"

	"qifu/internal/access"
)

// A leader's figures — the assessment of the three rates, the overview —
// add up the kept rows of a region's months and days and the facts of the
// appeals of today (see fold.go): tens of milliseconds for a
// district's year. A leader's page asks for the same figures again and
// again (the tabs, the rankings, the export), and several leaders of a
// region ask for the same ones at once. So computed figures are kept for a
// short while (Options.FiguresTTL) under their scope and query, and
// concurrent requests for the same wait for one computation instead of each
// making its own. The figures carry the time they were computed at; the
// pages show it (数据截至).

// maxCachedFigures bounds the figures kept of each kind.
const maxCachedFigures = 256

// figuresCache holds recent figures of one kind by key.
type figuresCache[T any] struct {
	mu      sync.Mutex
	entries map[string]*figuresEntry[T]
}

// figuresEntry is one set of figures, computed or being computed.
type figuresEntry[T any] struct {
	done chan struct{} // closed once v, at and err are set
	v    T
	at   time.Time
	err  error
}

// scopeKey names the scope of an actor's figures.
func scopeKey(actor access.Actor) string {
	return fmt.Sprintf("%s|%s|%d|%d", actor.Role, actor.RegionCode, actor.RegionLevel, actor.DepartmentID)
}

// assessKey names an assessment: whose scope, which query.
func assessKey(actor access.Actor, q AssessmentQuery) string {
	w := "default"
	if q.BasicWeight != nil {
		w = fmt.Sprint(*q.BasicWeight)
	}
	return fmt.Sprintf("%s|%s|%s|%d|%d|%s", scopeKey(actor), q.Dimension, q.Region, q.From.UnixMilli(), q.To.UnixMilli(), w)
}

// overviewKey names an overview: whose scope, which query.
func overviewKey(actor access.Actor, q OverviewQuery) string {
	return fmt.Sprintf("%s|%s|%d|%d", scopeKey(actor), q.Region, q.From.UnixMilli(), q.To.UnixMilli())
}

// get returns the figures under key computed less than ttl ago, or computes
// them with compute, once for all who ask meanwhile; each caller gets a copy
// of its own (clone). Failed computations are not kept.
func (c *figuresCache[T]) get(ctx context.Context, key string, now time.Time, ttl time.Duration,
	compute func() (T, error), clone func(T) T) (T, time.Time, error) {
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
			c.entries = map[string]*figuresEntry[T]{}
		}
		c.evict(now, ttl)
		e = &figuresEntry[T]{done: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		e.v, e.err = compute()
		e.at = now
		if e.err != nil {
			c.mu.Lock()
			if c.entries[key] == e {
				delete(c.entries, key)
			}
			c.mu.Unlock()
		}
		close(e.done)
		return clone(e.v), e.at, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return clone(e.v), e.at, e.err
	case <-ctx.Done():
		var zero T
		return zero, time.Time{}, ctx.Err()
	}
}

// evict drops expired entries, and the oldest while there are too many;
// c.mu is held.
func (c *figuresCache[T]) evict(now time.Time, ttl time.Duration) {
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
	if len(c.entries) >= maxCachedFigures && oldest != "" {
		delete(c.entries, oldest)
	}
}
