package store

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
)

// reportLifetime is how long an import's error report can be downloaded.
const reportLifetime = 7 * 24 * time.Hour

// SaveImportReport keeps an import's error report for its author and
// returns its ID.
func (s *Store) SaveImportReport(ctx context.Context, actor access.Actor, content []byte) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *Tx) error {
		now := s.now()
		if _, err := tx.DB().Exec(ctx, "DELETE FROM import_reports WHERE created_at < ?", now.Add(-reportLifetime).UnixMilli()); err != nil {
			return err
		}
		return Scan(tx.DB().Row(ctx, "INSERT INTO import_reports (user_id, created_at, content) VALUES (?, ?, ?) RETURNING id",
			actor.UserID, now.UnixMilli(), content), &id)
	})
	if err != nil {
		return 0, fmt.Errorf("save import report: %w", err)
	}
	return id, nil
}

// ImportReport returns an error report to the user who imported it, for
// reportLifetime after the import.
func (s *Store) ImportReport(ctx context.Context, actor access.Actor, id int64) ([]byte, error) {
	var content []byte
	err := Scan(s.Reader().Row(ctx, "SELECT content FROM import_reports WHERE id = ? AND user_id = ? AND created_at >= ?",
		id, actor.UserID, s.now().Add(-reportLifetime).UnixMilli()), &content)
	return content, err
}
