package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Backup writes a consistent copy of the embedded store to path while the
// server keeps serving (VACUUM INTO reads one snapshot). PostgreSQL is backed
// up with its own tools (pg_dump, base backups), so Backup refuses it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.d == postgresDialect {
		return errors.New("backup: use pg_dump or pg_basebackup for PostgreSQL")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	// A connection of its own: the read pool is query-only, and the writer
	// must stay free for the requests being served meanwhile.
	conn, err := sql.Open("sqlite", sqliteDSN(s.path, "deferred", false))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO '"+strings.ReplaceAll(path, "'", "''")+"'"); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// TryLease takes or renews the named lease for holder until the given time
// (Unix ms), so that of several instances one runs a job at a time. It
// reports whether holder has the lease.
func (s *Store) TryLease(ctx context.Context, name, holder string, ttlMillis int64) (bool, error) {
	now := s.now().UnixMilli()
	var got bool
	err := s.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.DB().Exec(ctx, `UPDATE leases SET holder = ?, expires_at = ?
			WHERE name = ? AND (holder = ? OR expires_at < ?)`, holder, now+ttlMillis, name, holder, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			got = true
			return nil
		}
		res, err = tx.DB().Exec(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO NOTHING`, name, holder, now+ttlMillis)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		got = n == 1
		return nil
	})
	return got, err
}

// Sweep deletes expired sessions; run it under a lease.
func (s *Store) Sweep(ctx context.Context) (int64, error) {
	now := s.now().UnixMilli()
	res, err := s.write.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE expires_at < ? OR last_seen + idle_ms < ?`), now, now)
	if err != nil {
		return 0, fmt.Errorf("sweep sessions: %w", translate(err))
	}
	// Counts of failed sign-ins with unknown names are kept a day past their last attempt.
	if _, err := s.write.ExecContext(ctx, s.d.rebind(`DELETE FROM unknown_logins WHERE updated_at < ? AND locked_until < ?`),
		now-24*3600*1000, now); err != nil {
		return 0, fmt.Errorf("sweep unknown logins: %w", translate(err))
	}
	return res.RowsAffected()
}

// AttachmentHashes lists the SHA-256 of every attachment the store records
// (the appeals' and the modules' files), for copying the files that go
// with a backup.
func (s *Store) AttachmentHashes(ctx context.Context) ([]string, error) {
	rows, err := s.Reader().Query(ctx, "SELECT sha256 FROM attachments"+s.moduleFiles("UNION SELECT sha256 FROM %s"))
	if err != nil {
		return nil, fmt.Errorf("attachment hashes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// HasAttachment reports whether any attachment row, or any module's file,
// names the file of a hash.
func (s *Store) HasAttachment(ctx context.Context, sha string) (bool, error) {
	var n int
	q := "SELECT COUNT(*) FROM (SELECT sha256 FROM attachments WHERE sha256 = ?" + s.moduleFiles("UNION ALL SELECT sha256 FROM %s WHERE sha256 = ?") + ") f"
	args := []any{sha}
	for range s.fileTables() {
		args = append(args, sha)
	}
	if err := Scan(s.Reader().Row(ctx, q, args...), &n); err != nil {
		return false, fmt.Errorf("attachment %s: %w", sha, err)
	}
	return n > 0, nil
}

// fileTables are the modules' tables of files (Module.Files).
func (s *Store) fileTables() []string {
	var out []string
	for _, m := range s.modules {
		if m.Files != "" {
			out = append(out, m.Files)
		}
	}
	return out
}

// moduleFiles is format applied to each module's table of files, joined
// with spaces, each after a space.
func (s *Store) moduleFiles(format string) string {
	out := ""
	for _, t := range s.fileTables() {
		out += " " + fmt.Sprintf(format, t)
	}
	return out
}
