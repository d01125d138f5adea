package appealweb

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/attach"
	"qifu/internal/fault"
	"qifu/internal/web/core"
)

// Attachments: files on an appeal, checked on their content and kept in
// Options.Files, given only to those who may see the appeal.

var (
	errNoAttachment = fault.Fields{"file": {Zh: "请选择要上传的文件", En: "choose a file to upload"}}.Err()
	errNoFiles      = fault.New(fault.Unavailable, "no_attachments", "本系统未配置附件存储", "attachments are not configured")
)

// AttachmentJSON is an attachment in the API.
type AttachmentJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	MIME      string    `json:"mime"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
	URL       string    `json:"url"`
}

func toAttachmentJSON(a appealdb.Attachment) AttachmentJSON {
	return AttachmentJSON{ID: a.ID, Name: a.Name, MIME: a.MIME, Size: a.Size, CreatedAt: a.CreatedAt.UTC(),
		URL: fmt.Sprintf("/api/v1/attachments/%d", a.ID)}
}

// receiveAttachment stores the multipart field "file" and records it on
// the appeal: the file is streamed to the folder, never held in memory.
func (s *Handlers) receiveAttachment(r *http.Request, a access.Actor, appealID int64) (appealdb.Attachment, error) {
	if s.opts.Files == nil {
		return appealdb.Attachment{}, errNoFiles
	}
	// Not found before anything is written: a file for an appeal out of sight is not kept.
	if _, err := s.appeals.Appeal(r.Context(), a, appealID); err != nil {
		return appealdb.Attachment{}, err
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return appealdb.Attachment{}, errNoAttachment
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return appealdb.Attachment{}, errNoAttachment
	}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return appealdb.Attachment{}, errNoAttachment
		}
		if err != nil {
			return appealdb.Attachment{}, core.BadUpload(err)
		}
		if parts == core.MaxParts {
			return appealdb.Attachment{}, core.ErrTooManyParts
		}
		if p.FormName() != "file" || p.FileName() == "" {
			continue
		}
		b, err := s.opts.Files.Put(p, p.FileName())
		if errors.Is(err, io.ErrUnexpectedEOF) { // the form ends inside the file
			return appealdb.Attachment{}, core.BadUpload(err)
		}
		if err != nil {
			return appealdb.Attachment{}, err
		}
		return s.appeals.AddAttachment(r.Context(), a, appealID, attach.Name(p.FileName(), b.MIME), b)
	}
}

func (s *Handlers) apiAttach(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	at, err := s.receiveAttachment(r, a, id)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/attachments/%d", at.ID))
	core.WriteJSON(w, http.StatusCreated, toAttachmentJSON(at))
	return nil
}

// attachPage uploads a file from the appeal page: back to the page, or the
// page again with why the file was refused.
func (s *Handlers) attachPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.receiveAttachment(r, a, id); err != nil {
		fe := core.PublicError(err)
		switch fe.Kind {
		case fault.Invalid, fault.TooLarge, fault.Forbidden, fault.Conflict:
		default:
			return err
		}
		p := &appealPageData{Message: fe.Message.In(core.LangOf(r))}
		if len(fe.Fields) > 0 {
			p.Errors = core.FieldErrors(fe.Fields, core.LangOf(r))
			p.Message = p.Errors["file"]
		}
		return s.showAppeal(w, r, p, core.Status(fe.Kind))
	}
	s.Done(w, r, "/appeals/"+strconv.FormatInt(id, 10)+"#attachments", "ap.attached", "")
	return nil
}

// attachmentFile answers a file, as a download, to whoever may see its appeal.
func (s *Handlers) attachmentFile(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	at, err := s.appeals.Attachment(r.Context(), a, id)
	if err != nil {
		return err
	}
	if s.opts.Files == nil {
		return errNoFiles
	}
	f, err := s.opts.Files.Open(at.SHA256)
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
