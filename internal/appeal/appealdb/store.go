// Package appealdb keeps the records of the appeal workflow (诉求): the
// appeals, their dispatches, step clocks, timeline, attachments and
// settings, their alerts, and the figures of the three rates kept from
// them. Its SQL is written once for both databases on top of the store's
// engine (package store), which gives it transactions, the audit log and the
// scope of shared records; the rules it applies are package appeal's.
package appealdb

import (
	"context"
	"log/slog"
	"runtime"
	"time"

	"qifu/internal/appeal/appealdb/fold"
	"qifu/internal/rates"
	"qifu/internal/store"
)

// Store is the appeal workflow's part of the store.
type Store struct {
	engine *store.Store
	log    *slog.Logger
	// assessing bounds the assessments computed at once: each may hold the
	// facts of many appeals in memory (a community's year, or a district's
	// when the fold queue is long).
	assessing chan struct{}
	// folder keeps the figures of the three rates (package fold).
	folder *fold.Folder
	// assessments and overviews are the recent figures, kept for figuresTTL.
	assessments figuresCache[[]rates.Row]
	overviews   figuresCache[Overview]
	figuresTTL  time.Duration
	// bases are the days' bases of appeal numbers (PostgreSQL; see takeNumber).
	bases numberBases
}

// Options configure New.
type Options struct {
	// FiguresTTL is how long a leader's computed figures (assessment,
	// overview) are answered again for the same scope and query; 0 computes
	// each anew (see figures.go).
	FiguresTTL time.Duration
}

// New builds the appeal workflow's store on the engine and registers its
// seeds and calendar callback there; call it before engine.Migrate.
func New(engine *store.Store, opts Options) *Store {
	s := &Store{engine: engine, log: engine.Logger(), figuresTTL: opts.FiguresTTL, folder: fold.New(engine),
		assessing: make(chan struct{}, max(2, runtime.NumCPU()))}
	engine.Register(store.Module{
		Name: "appeal",
		Seed: func(ctx context.Context, t *store.Tx) error {
			tx := &Tx{Tx: t, s: s}
			return tx.seedCategories(ctx)
		},
		CalendarChanged: fold.QueueCalendarDay,
	})
	return s
}

// now is the engine's clock.
func (s *Store) now() time.Time { return s.engine.Now() }

// db is a handle for the module's SQL, with the module's reads as methods.
type db struct{ store.DB }

// reader returns a handle on the read pool.
func (s *Store) reader() db { return db{s.engine.Reader()} }

// Tx is one of the module's transactions.
type Tx struct {
	*store.Tx
	s *Store
	// touched are the appeals the transaction changed, queued at the end
	// for their assessment figures to be folded again (fold.Queue).
	touched map[int64]bool
}

// db returns the handle of the transaction.
func (t *Tx) db() db { return db{t.Tx.DB()} }

// touch marks an appeal as changed by the transaction.
func (t *Tx) touch(appealID int64) {
	if t.touched == nil {
		t.touched = map[int64]bool{}
	}
	t.touched[appealID] = true
}

// WithTx runs fn in one write transaction of the engine, and queues the
// appeals it changed for folding in the same transaction.
func (s *Store) WithTx(ctx context.Context, fn func(*Tx) error) error {
	return s.engine.WithTx(ctx, func(t *store.Tx) error {
		tx := &Tx{Tx: t, s: s}
		if err := fn(tx); err != nil {
			return err
		}
		return fold.Queue(ctx, tx.Tx, tx.touched)
	})
}

// FoldAssessment folds the appeals changed since the last time into the
// kept figures of the three rates (see fold.Folder.Fold).
func (s *Store) FoldAssessment(ctx context.Context, limit int) (int, error) {
	return s.folder.Fold(ctx, limit)
}
