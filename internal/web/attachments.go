package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/store"
)

// Attachments: files on an appeal, checked on their content and kept in
// Config.Files, given only to those who may see the appeal.

var (
	errNoAttachment = fault.Fields{"file": {Zh: "请选择要上传的文件", En: "choose a file to upload"}}.Err()
	errNoFiles      = fault.New(fault.Unavailable, "no_attachments", "本系统未配置附件存储", "attachments are not configured")
)

// attachmentJSON is an attachment in the API.
type attachmentJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	MIME      string    `json:"mime"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
	URL       string    `json:"url"`
}

func toAttachmentJSON(a store.Attachment) attachmentJSON {
	return attachmentJSON{ID: a.ID, Name: a.Name, MIME: a.MIME, Size: a.Size, CreatedAt: a.CreatedAt.UTC(),
		URL: fmt.Sprintf("/api/v1/attachments/%d", a.ID)}
}

// receiveAttachment stores the multipart field "file" and records it on
// the appeal: the file is streamed to the folder, never held in memory.
func (s *Server) receiveAttachment(r *http.Request, a access.Actor, appealID int64) (store.Attachment, error) {
	if s.cfg.Files == nil {
		return store.Attachment{}, errNoFiles
	}
	// Not found before anything is written: a file for an appeal out of sight is not kept.
	if _, err := s.store.Appeal(r.Context(), a, appealID); err != nil {
		return store.Attachment{}, err
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return store.Attachment{}, errNoAttachment
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return store.Attachment{}, errNoAttachment
	}
	for parts := 0; parts < 10; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return store.Attachment{}, fmt.Errorf("read upload: %w", err)
		}
		if p.FormName() != "file" || p.FileName() == "" {
			continue
		}
		b, err := s.cfg.Files.Put(p, p.FileName())
		if err != nil {
			return store.Attachment{}, err
		}
		return s.store.AddAttachment(r.Context(), a, appealID, p.FileName(), b)
	}
	return store.Attachment{}, errNoAttachment
}

func (s *Server) apiAttach(w http.ResponseWriter, r *http.Request) error {
	a, _ := actorOf(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	at, err := s.receiveAttachment(r, a, id)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/attachments/%d", at.ID))
	writeJSON(w, http.StatusCreated, toAttachmentJSON(at))
	return nil
}

// attachPage uploads a file from the appeal page: back to the page, or the
// page again with why the file was refused.
func (s *Server) attachPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := actorOf(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.receiveAttachment(r, a, id); err != nil {
		fe := publicError(err)
		switch fe.Kind {
		case fault.Invalid, fault.TooLarge, fault.Forbidden, fault.Conflict:
		default:
			return err
		}
		p := &appealPageData{Message: fe.Message.In(langOf(r))}
		if len(fe.Fields) > 0 {
			p.Errors = mergeFields(fe.Fields, langOf(r))
			p.Message = p.Errors["file"]
		}
		return s.showAppeal(w, r, p, status(fe.Kind))
	}
	http.Redirect(w, r, "/appeals/"+itoa(id)+"#attachments", http.StatusSeeOther)
	return nil
}

// attachmentFile answers a file, as a download, to whoever may see its appeal.
func (s *Server) attachmentFile(w http.ResponseWriter, r *http.Request) error {
	a, _ := actorOf(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	at, err := s.store.Attachment(r.Context(), a, id)
	if err != nil {
		return err
	}
	if s.cfg.Files == nil {
		return errNoFiles
	}
	f, err := s.cfg.Files.Open(at.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", at.MIME)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(at.Name))
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", at.CreatedAt, f)
	return nil
}
