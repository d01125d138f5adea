package store

import (
	"context"
	"fmt"

	"qifu/internal/access"
	"qifu/internal/enterprise"
)

// A Module is what the engine calls back in a module's SQL package: the data
// its schema needs, and what it must redo when a shared fact it depends on
// changes. A module registers itself when it is built on the store, before
// Migrate runs.
type Module struct {
	// Name names the module in errors.
	Name string
	// Seed writes the data the module's schema needs into a freshly migrated
	// store. It runs after every Migrate, so it must leave existing data
	// alone (several instances may run it at once).
	Seed func(ctx context.Context, tx *Tx) error
	// CalendarChanged runs in the transaction that changes the working-day
	// calendar on date (YYYY-MM-DD), for what the module computed from it.
	CalendarChanged func(ctx context.Context, tx *Tx, date string) error
	// EnterprisesWritten runs at the end of a transaction that registered
	// or changed enterprises (a form, an import, the demo), with what was
	// written, for what the module keeps of them (the dossier's facts).
	EnterprisesWritten func(ctx context.Context, tx *Tx, writes []EnterpriseWrite) error
	// Files names the module's table whose sha256 column names files it
	// keeps in the attachment folder, so that backups copy them and the
	// sweep of unreferenced files leaves them.
	Files string
}

// EnterpriseWrite is an enterprise a transaction registered or changed.
type EnterpriseWrite struct {
	By     access.Actor          // who wrote it
	Before enterprise.Enterprise // as it was; ID 0 for a new one
	After  enterprise.Enterprise
}

// enterprisesWritten tells the modules what the transaction wrote of enterprises.
func (t *Tx) enterprisesWritten(ctx context.Context) error {
	writes := t.writes
	t.writes = nil
	if len(writes) == 0 {
		return nil
	}
	for _, m := range t.s.modules {
		if m.EnterprisesWritten == nil {
			continue
		}
		if err := m.EnterprisesWritten(ctx, t, writes); err != nil {
			return fmt.Errorf("%s: enterprises written: %w", m.Name, err)
		}
	}
	return nil
}

// Register adds a module's callbacks. It is called while the program is
// wired together, before the store serves requests.
func (s *Store) Register(m Module) {
	s.modules = append(s.modules, m)
}

// seed runs the modules' seeds, each in its own transaction.
func (s *Store) seed(ctx context.Context) error {
	for _, m := range s.modules {
		if m.Seed == nil {
			continue
		}
		if err := s.WithTx(ctx, func(tx *Tx) error { return m.Seed(ctx, tx) }); err != nil {
			return fmt.Errorf("seed %s: %w", m.Name, err)
		}
	}
	return nil
}

// calendarChanged tells the modules that the calendar changed on date.
func (t *Tx) calendarChanged(ctx context.Context, date string) error {
	for _, m := range t.s.modules {
		if m.CalendarChanged == nil {
			continue
		}
		if err := m.CalendarChanged(ctx, t, date); err != nil {
			return fmt.Errorf("%s: calendar changed: %w", m.Name, err)
		}
	}
	return nil
}
