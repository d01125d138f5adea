package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// SQLite has one writer, and every commit waits for its WAL sync. Run one
// after the other, the write transactions of concurrent requests each pay
// for a sync and for writing the same index pages again. The group commit
// runs the transactions waiting when the writer becomes free in one SQLite
// transaction instead — each in a savepoint of its own, so that one that
// fails is rolled back alone — and commits them with one sync. Each caller's
// WithTx returns only after that commit: nothing is acknowledged before it
// is durable, and a failed commit fails every transaction of the group. The
// order is still one transaction after the other, so each sees what the
// ones before it wrote, as it would have.

// maxGroup bounds the transactions of one group.
const maxGroup = 64

// groupTx is one transaction waiting for the writer.
type groupTx struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

// committer is the writer of an SQLite store.
type committer struct {
	s      *Store
	queue  chan *groupTx
	closed chan struct{}
	once   sync.Once
	wg     sync.WaitGroup
}

func newCommitter(s *Store) *committer {
	c := &committer{s: s, queue: make(chan *groupTx), closed: make(chan struct{})}
	c.wg.Add(1)
	go c.run()
	return c
}

var errClosed = errors.New("store closed")

// do runs fn in the next group and returns its outcome once the group has
// committed.
func (c *committer) do(ctx context.Context, fn func(*Tx) error) error {
	g := &groupTx{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case c.queue <- g:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.closed:
		return errClosed
	}
	return <-g.done // once taken, a transaction runs to its end: its outcome is the group's
}

func (c *committer) close() {
	c.once.Do(func() { close(c.closed) })
	c.wg.Wait()
}

func (c *committer) run() {
	defer c.wg.Done()
	for {
		var group []*groupTx
		select {
		case g := <-c.queue:
			group = append(group, g)
		case <-c.closed:
			return
		}
	more:
		for len(group) < maxGroup {
			select {
			case g := <-c.queue:
				group = append(group, g)
			default:
				break more
			}
		}
		c.commit(group)
	}
}

// commit runs a group in one transaction and tells each its outcome.
func (c *committer) commit(group []*groupTx) {
	s := c.s
	bg := context.Background()
	outcome := make([]error, len(group))
	var unprepared []string
	finish := func(err error) {
		for i, g := range group {
			if err != nil && outcome[i] == nil {
				outcome[i] = err
			}
			g.done <- outcome[i]
		}
		for _, q := range unprepared {
			s.writeStmts.prepare(bg, q)
		}
	}
	sqlTx, err := s.write.BeginTx(bg, nil)
	if err != nil {
		finish(fmt.Errorf("begin: %w", translate(err)))
		return
	}
	for i, g := range group {
		if err := g.ctx.Err(); err != nil {
			outcome[i] = err // given up while it waited: not run
			continue
		}
		if _, err := sqlTx.ExecContext(bg, "SAVEPOINT tx"); err != nil {
			sqlTx.Rollback()
			finish(fmt.Errorf("savepoint: %w", translate(err)))
			return
		}
		t := &Tx{tx: sqlTx, d: s.d, s: s, grouped: true}
		outcome[i] = t.run(g.ctx, g.fn)
		unprepared = append(unprepared, t.unprepared...)
		if outcome[i] != nil {
			// A failed statement may have ended the whole transaction (SQLite
			// rolls back on a full disk or an I/O error): then the group fails.
			if _, err := sqlTx.ExecContext(bg, "ROLLBACK TO tx"); err != nil {
				sqlTx.Rollback()
				finish(fmt.Errorf("after %v: rollback to savepoint: %w", outcome[i], translate(err)))
				return
			}
		}
		if _, err := sqlTx.ExecContext(bg, "RELEASE tx"); err != nil {
			sqlTx.Rollback()
			finish(fmt.Errorf("release savepoint: %w", translate(err)))
			return
		}
	}
	if err := sqlTx.Commit(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		finish(fmt.Errorf("commit: %w", translate(err)))
		return
	}
	finish(nil)
}
