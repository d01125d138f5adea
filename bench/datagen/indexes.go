package datagen

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"qifu/internal/store"
)

// The history's tables lose their secondary indexes while the copies are
// written and get them back afterwards. Inserting ten million appeals' keys
// one by one into a dozen B-trees that have outgrown the cache costs more
// than all the rest of a generation; building each index once from its
// sorted keys costs a fraction of it. The definitions wait in the store
// (table datagen_indexes) until they are built again, so that Finish, run
// after a generation stopped during its history, builds them too. The
// primary keys and unique constraints stay.

// historyTables are the tables the copies write.
var historyTables = []string{"appeals", "appeal_dispatches", "appeal_steps", "appeal_events", "appeal_extensions"}

const createSaved = "CREATE TABLE IF NOT EXISTS datagen_indexes (name TEXT PRIMARY KEY, definition TEXT NOT NULL)"

// secondaryIndexes lists the indexes of the history's tables that no
// constraint owns, with the statement that creates each.
func secondaryIndexes(ctx context.Context, db *sql.DB, dsn string) (map[string]string, error) {
	in := "'" + strings.Join(historyTables, "', '") + "'"
	query := "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (" + in + ")"
	if store.IsPostgres(dsn) {
		query = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (` + in + `)
			AND indexname NOT IN (SELECT conname FROM pg_constraint)`
	}
	return namedStatements(ctx, db, query)
}

// namedStatements reads the (name, statement) rows of query.
func namedStatements(ctx context.Context, db *sql.DB, query string) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	defer rows.Close()
	list := map[string]string{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, err
		}
		list[name] = def
	}
	return list, rows.Err()
}

// dropIndexes saves the definitions of the history tables' secondary
// indexes and drops them, in one transaction.
func dropIndexes(ctx context.Context, db *sql.DB, dsn string) error {
	list, err := secondaryIndexes(ctx, db, dsn)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, createSaved); err != nil {
		return fmt.Errorf("save indexes: %w", err)
	}
	for name, def := range list {
		if _, err := tx.ExecContext(ctx, store.Rebind(dsn, "INSERT INTO datagen_indexes (name, definition) VALUES (?, ?)"), name, def); err != nil {
			return fmt.Errorf("save index %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			return fmt.Errorf("drop index %s: %w", name, err)
		}
	}
	return tx.Commit()
}

// restoreIndexes builds again the indexes dropIndexes saved, each in a
// transaction that also forgets its definition (a stopped restore goes on
// where it stopped), and says how many it built and how long it took.
func restoreIndexes(ctx context.Context, db *sql.DB, dsn string) (int, time.Duration, error) {
	began := time.Now()
	if _, err := db.ExecContext(ctx, createSaved); err != nil {
		return 0, 0, fmt.Errorf("saved indexes: %w", err)
	}
	saved, err := namedStatements(ctx, db, "SELECT name, definition FROM datagen_indexes")
	if err != nil {
		return 0, 0, err
	}
	names := slices.Sorted(maps.Keys(saved))
	for i, name := range names {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return i, 0, err
		}
		if _, err := tx.ExecContext(ctx, saved[name]); err != nil {
			tx.Rollback()
			return i, 0, fmt.Errorf("build index %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, store.Rebind(dsn, "DELETE FROM datagen_indexes WHERE name = ?"), name); err != nil {
			tx.Rollback()
			return i, 0, err
		}
		if err := tx.Commit(); err != nil {
			return i, 0, fmt.Errorf("build index %s: %w", name, err)
		}
	}
	if _, err := db.ExecContext(ctx, "DROP TABLE datagen_indexes"); err != nil {
		return len(names), 0, fmt.Errorf("saved indexes: %w", err)
	}
	return len(names), time.Since(began), nil
}
