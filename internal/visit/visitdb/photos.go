package visitdb

// A visit's photos: optional, images only, at most visit.MaxPhotos, kept
// in the attachment folder by their content's hash (the module registers
// visit_photos with the engine's backups and sweep).

import (
	"context"
	"fmt"
	"strings"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/visit"
)

func scanPhoto(sc store.Scanner) (visit.Photo, error) {
	var p visit.Photo
	return p, sc.Scan(&p.ID, &p.Name, &p.MIME, &p.Size, &p.SHA256)
}

// checkPhotos refuses photos that are not images, or more than a visit
// keeps beside the have it has.
func checkPhotos(list []visit.Photo, have int) error {
	for _, p := range list {
		if !strings.HasPrefix(p.MIME, "image/") || p.SHA256 == "" {
			return fault.Fields{"photos": {Zh: "只能上传照片（JPEG、PNG 等图片）", En: "only photos (JPEG, PNG and other images)"}}.Err()
		}
	}
	if have+len(list) > visit.MaxPhotos {
		return fault.Fields{"photos": {Zh: "一次走访最多 3 张照片", En: "at most 3 photos a visit"}}.Err()
	}
	return nil
}

// insertPhotos records a visit's photos, stored in the folder already.
func insertPhotos(ctx context.Context, tx *store.Tx, actor access.Actor, visitID int64, list []visit.Photo) error {
	for _, p := range list {
		if _, err := tx.DB().Exec(ctx, `INSERT INTO visit_photos (visit_id, sha256, name, mime, size, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, visitID, p.SHA256, p.Name, p.MIME, p.Size, actor.UserID, tx.Now().UnixMilli()); err != nil {
			return fmt.Errorf("visit photo: %w", err)
		}
	}
	return nil
}

// AddPhoto adds a photo (stored in the folder already) to a visit by one
// who may record visits to its enterprise, up to visit.MaxPhotos. Audited.
func (s *Store) AddPhoto(ctx context.Context, actor access.Actor, visitID int64, p visit.Photo) (visit.Photo, error) {
	if !access.May(actor.Role, access.VisitRecord) {
		return p, access.ErrForbidden
	}
	v, err := s.Visit(ctx, actor, visitID)
	if err != nil {
		return p, err
	}
	if _, err := target(ctx, s.engine.Reader(), actor, access.VisitRecord, v.EnterpriseID); err != nil {
		return p, access.ErrForbidden
	}
	if err := checkPhotos([]visit.Photo{p}, len(v.Photos)); err != nil {
		return p, err
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var n int
		if err := store.Scan(tx.DB().Row(ctx, "SELECT COUNT(*) FROM visit_photos WHERE visit_id = ?", visitID), &n); err != nil {
			return err
		}
		if err := checkPhotos([]visit.Photo{p}, n); err != nil {
			return err
		}
		if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO visit_photos (visit_id, sha256, name, mime, size, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, visitID, p.SHA256, p.Name, p.MIME, p.Size, actor.UserID, tx.Now().UnixMilli()), &p.ID); err != nil {
			return fmt.Errorf("visit photo: %w", err)
		}
		return tx.Record(ctx, actor, "visit.photo", fmt.Sprintf("visit/%d", visitID), "ok", map[string]any{"photo": p.ID, "size": p.Size})
	})
	return p, err
}

// Photo returns a photo of a visit the actor may read.
func (s *Store) Photo(ctx context.Context, actor access.Actor, visitID, photoID int64) (visit.Photo, error) {
	v, err := s.Visit(ctx, actor, visitID)
	if err != nil {
		return visit.Photo{}, err
	}
	for _, p := range v.Photos {
		if p.ID == photoID {
			return p, nil
		}
	}
	return visit.Photo{}, fault.ErrNotFound
}
