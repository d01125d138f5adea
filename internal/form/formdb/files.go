package formdb

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/store"
)

// The files answering photo and file questions: uploaded for one member
// of one campaign (the folder keeps their content by its hash), named by
// the answer ("file:<id>"), readable by whoever may fill for the member or
// follow it.

// FileInfo is an uploaded file.
type FileInfo struct {
	ID        int64
	SHA256    string
	Name      string
	MIME      string
	Size      int64
	CreatedAt time.Time
}

// Ref is the answer that names the file.
func (f FileInfo) Ref() string { return fmt.Sprintf("file:%d", f.ID) }

// FilesPerQuestion bounds the files a member may upload for each file
// question of the form (tries and replacements included).
const FilesPerQuestion = 10

// FileInput is a file stored in the folder, to record for a member.
type FileInput struct {
	SHA256, Name, MIME string
	Size               int64
}

const fileColumns = "f.id, f.sha256, f.name, f.mime, f.size, f.created_at"

func scanFile(sc store.Scanner) (FileInfo, error) {
	var f FileInfo
	var at int64
	err := sc.Scan(&f.ID, &f.SHA256, &f.Name, &f.MIME, &f.Size, &at)
	f.CreatedAt = store.Millis(at)
	return f, err
}

// AddFile records a file uploaded for an enterprise of a running
// campaign, by an actor who may fill for it, audited. The answer that
// names it (Ref) is given with the next draft or submit.
func (s *Store) AddFile(ctx context.Context, actor access.Actor, campaignID, enterpriseID int64, in FileInput) (FileInfo, error) {
	var out FileInfo
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		sent, err := audiencedb.MemberOf(ctx, tx.DB(), actor, campaignID, enterpriseID)
		if err != nil {
			return err
		}
		if sent.State != audiencedb.Running {
			return fault.New(fault.Conflict, "campaign_closed", "该次填报已结束，不能再上传", "the campaign is closed; nothing more is uploaded")
		}
		def, err := Definition(ctx, tx.DB(), sent.FormID, sent.FormVersion)
		if err != nil {
			return err
		}
		questions := 0
		for _, q := range def.Questions() {
			if q.Type == form.File {
				questions++
			}
		}
		if questions == 0 {
			return fault.New(fault.Invalid, "no_file_question", "此表单没有照片或文件题", "the form asks for no photo or file")
		}
		var n int
		if err := store.Scan(tx.DB().Row(ctx, "SELECT COUNT(*) FROM form_files WHERE campaign_id = ? AND enterprise_id = ?",
			campaignID, enterpriseID), &n); err != nil {
			return err
		}
		if n >= questions*FilesPerQuestion {
			return fault.New(fault.Invalid, "too_many_files", "上传的文件已达上限，请在已上传的文件中选择", "the upload limit of this form is reached")
		}
		now := tx.Now()
		out = FileInfo{SHA256: in.SHA256, Name: in.Name, MIME: in.MIME, Size: in.Size, CreatedAt: time.UnixMilli(now.UnixMilli())}
		if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO form_files (campaign_id, enterprise_id, sha256, name, mime, size, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, campaignID, enterpriseID, in.SHA256, in.Name, in.MIME, in.Size,
			actor.UserID, now.UnixMilli()), &out.ID); err != nil {
			return fmt.Errorf("add file: %w", err)
		}
		return tx.Record(ctx, actor, "form.file", fmt.Sprintf("campaign/%d/enterprise/%d", campaignID, enterpriseID), "ok",
			map[string]any{"file": out.ID, "name": in.Name, "size": in.Size, "sha256": in.SHA256})
	})
	return out, err
}

// filesOf reads the files of a member (enterpriseID 0: of every member) of a campaign.
func filesOf(ctx context.Context, h store.DB, campaignID, enterpriseID int64) (map[int64]FileInfo, error) {
	q, args := "SELECT "+fileColumns+" FROM form_files f WHERE f.campaign_id = ?", []any{campaignID}
	if enterpriseID != 0 {
		q += " AND f.enterprise_id = ?"
		args = append(args, enterpriseID)
	}
	list, err := store.Collect(ctx, h, scanFile, q, args...)
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	out := make(map[int64]FileInfo, len(list))
	for _, f := range list {
		out[f.ID] = f
	}
	return out, nil
}

// checkFiles refuses an answer that names a file not uploaded for this member.
func checkFiles(ctx context.Context, h store.DB, campaignID, enterpriseID int64, def form.Definition, answers form.Answers) error {
	var ids []int64
	for _, q := range def.Questions() {
		if q.Type == form.File {
			if id := form.FileID(answers[q.Key]); id != 0 {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	files, err := filesOf(ctx, h, campaignID, enterpriseID)
	if err != nil {
		return err
	}
	f := fault.Fields{}
	for _, q := range def.Questions() {
		if id := form.FileID(answers[q.Key]); q.Type == form.File && id != 0 {
			if _, ok := files[id]; !ok {
				f.Add(q.Key, "文件不存在，请重新上传", "no such file; upload it again")
			}
		}
	}
	return f.Err()
}

// File reads an uploaded file of a campaign for an actor who may fill for
// its enterprise, or follow the campaign with the enterprise in reach.
func (s *Store) File(ctx context.Context, actor access.Actor, campaignID, fileID int64) (FileInfo, error) {
	h := s.engine.Reader()
	var enterpriseID int64
	list, err := store.Collect(ctx, h, func(sc store.Scanner) (FileInfo, error) {
		var f FileInfo
		var at int64
		err := sc.Scan(&f.ID, &f.SHA256, &f.Name, &f.MIME, &f.Size, &at, &enterpriseID)
		f.CreatedAt = store.Millis(at)
		return f, err
	}, "SELECT "+fileColumns+", f.enterprise_id FROM form_files f WHERE f.id = ? AND f.campaign_id = ?", fileID, campaignID)
	if err != nil {
		return FileInfo{}, fmt.Errorf("file: %w", err)
	}
	if len(list) == 0 {
		return FileInfo{}, fault.ErrNotFound
	}
	_, err = audiencedb.MemberOf(ctx, h, actor, campaignID, enterpriseID)
	switch {
	case err == nil:
		return list[0], nil
	case !fault.Is(err, fault.NotFound) && !fault.Is(err, fault.Forbidden):
		return FileInfo{}, err
	}
	ok, err := audiencedb.Follows(ctx, h, actor, campaignID, enterpriseID, s.engine.Now())
	if err != nil {
		return FileInfo{}, err
	}
	if !ok {
		return FileInfo{}, fault.ErrNotFound
	}
	return list[0], nil
}
