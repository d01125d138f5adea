package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the prepared statements of an SQLite pool, so that each
// statement is parsed once per connection instead of on every call: parsing
// took a fifth of the CPU of appeal intake. (pgx keeps its own cache on
// PostgreSQL.) The statements are those of the code, bounded in number; a
// query met after the cache is full runs unprepared.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxStmts bounds a cache: the store's queries, filters combined, are far fewer.
const maxStmts = 2000

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

func (c *stmtCache) get(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[q]
}

// prepare prepares q on the pool and keeps it; nil if it cannot.
func (c *stmtCache) prepare(ctx context.Context, q string) *sql.Stmt {
	if st := c.get(q); st != nil {
		return st
	}
	c.mu.Lock()
	full := len(c.m) >= maxStmts
	c.mu.Unlock()
	if full {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil // the caller runs it unprepared and meets the error there
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[q]; old != nil {
		st.Close()
		return old
	}
	c.m[q] = st
	return st
}
