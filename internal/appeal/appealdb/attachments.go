package appealdb

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/attach"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// Attachment is a file attached to an appeal.
type Attachment struct {
	ID         int64
	AppealID   int64
	SHA256     string
	Name       string
	MIME       string
	Size       int64
	UploadedBy int64
	CreatedAt  time.Time
}

// MaxAttachments bounds the files of one appeal.
const MaxAttachments = 20

// AddAttachment records a stored file on an appeal the actor takes part in
// (the enterprise, whoever raised it, the community, a dispatched department)
// while the appeal is open.
func (s *Store) AddAttachment(ctx context.Context, actor access.Actor, appealID int64, name string, b attach.Blob) (Attachment, error) {
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, "\\", "/")))
	if name == "" || name == "." || name == "/" || utf8.RuneCountInString(name) > 100 {
		name = "附件"
	}
	at := Attachment{AppealID: appealID, SHA256: b.SHA256, Name: name, MIME: b.MIME, Size: b.Size, UploadedBy: actor.UserID}
	err := s.WithTx(ctx, func(tx *Tx) error {
		h := tx.db()
		r, parties, err := h.appealFor(ctx, actor, appealID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(parties, func(p appeal.Party) bool { return p != appeal.PartyLeader }) {
			return appeal.ErrNotYours
		}
		if !r.State.Open() {
			return appeal.ErrWrongState
		}
		var n int
		if err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM attachments WHERE appeal_id = ?", appealID), &n); err != nil {
			return err
		}
		if n >= MaxAttachments {
			return fault.New(fault.Invalid, "too_many_files", "每件诉求最多 20 个附件", "an appeal has at most 20 attachments")
		}
		now := s.now()
		at.CreatedAt = time.UnixMilli(now.UnixMilli())
		if err := store.Scan(h.Row(ctx, `INSERT INTO attachments (appeal_id, sha256, name, mime, size, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, appealID, b.SHA256, name, b.MIME, b.Size, actor.UserID, now.UnixMilli()), &at.ID); err != nil {
			return fmt.Errorf("add attachment: %w", err)
		}
		dept := int64(0)
		if actor.Role == access.RoleDepartment {
			dept = actor.DepartmentID
		}
		detail := map[string]any{"attachment": at.ID, "name": name, "sha256": b.SHA256, "size": b.Size}
		if err := tx.event(ctx, actor, appealID, "attach", r.State, r.State, dept, name, detail, true); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "appeal.attach", "appeal/"+r.Number, "ok", detail)
	})
	return at, err
}

// Attachments lists an appeal's files for an actor who may see the appeal.
func (s *Store) Attachments(ctx context.Context, actor access.Actor, appealID int64) ([]Attachment, error) {
	h := s.reader()
	if _, _, err := h.appealFor(ctx, actor, appealID); err != nil {
		return nil, err
	}
	return h.attachments(ctx, appealID)
}

// attachments lists an appeal's files, for a caller that has checked the scope.
func (h db) attachments(ctx context.Context, appealID int64) ([]Attachment, error) {
	rows, err := h.Query(ctx, `SELECT id, appeal_id, sha256, name, mime, size, uploaded_by, created_at FROM attachments
		WHERE appeal_id = ? ORDER BY id`, appealID)
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		var created int64
		if err := rows.Scan(&a.ID, &a.AppealID, &a.SHA256, &a.Name, &a.MIME, &a.Size, &a.UploadedBy, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = time.UnixMilli(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachment returns one file's record for an actor who may see its appeal;
// 404 otherwise, whether or not the file exists.
func (s *Store) Attachment(ctx context.Context, actor access.Actor, id int64) (Attachment, error) {
	var appealID int64
	if err := store.Scan(s.reader().Row(ctx, "SELECT appeal_id FROM attachments WHERE id = ?", id), &appealID); err != nil {
		return Attachment{}, err
	}
	list, err := s.Attachments(ctx, actor, appealID)
	if err != nil {
		return Attachment{}, err
	}
	for _, a := range list {
		if a.ID == id {
			return a, nil
		}
	}
	return Attachment{}, fault.ErrNotFound
}
