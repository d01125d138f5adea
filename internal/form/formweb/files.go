package formweb

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/attach"
	"qifu/internal/fault"
	"qifu/internal/form/formdb"
	"qifu/internal/web/core"
)

// The files of photo and file questions: stored in the attachment folder
// (content checked as the appeals' attachments are), recorded for the
// campaign's member, downloaded by those who may fill for it or follow it.

var (
	errNoFiles = fault.New(fault.Unavailable, "no_files", "本服务未配置文件存储", "this server keeps no files")
	errNoFile  = fault.Fields{"file": {Zh: "请选择要上传的文件", En: "choose a file to upload"}}.Err()
)

// receive stores an uploaded file of a form and records it for the member.
func (s *Handlers) receive(r *http.Request, a access.Actor, campaignID, enterpriseID int64, h *multipart.FileHeader) (formdb.FileInfo, error) {
	if s.opts.Files == nil {
		return formdb.FileInfo{}, errNoFiles
	}
	// Not kept when the member is out of the actor's reach.
	if _, err := s.campaigns.Member(r.Context(), a, campaignID, enterpriseID); err != nil {
		return formdb.FileInfo{}, err
	}
	f, err := h.Open()
	if err != nil {
		return formdb.FileInfo{}, core.BadUpload(err)
	}
	defer f.Close()
	return s.store1(r, a, campaignID, enterpriseID, f, h.Filename)
}

// store1 puts one file into the folder and records it.
func (s *Handlers) store1(r *http.Request, a access.Actor, campaignID, enterpriseID int64, body io.Reader, name string) (formdb.FileInfo, error) {
	b, err := s.opts.Files.Put(body, name)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return formdb.FileInfo{}, core.BadUpload(err)
	}
	if err != nil {
		return formdb.FileInfo{}, err
	}
	return s.forms.AddFile(r.Context(), a, campaignID, enterpriseID, formdb.FileInput{SHA256: b.SHA256, Name: attach.Name(name, b.MIME), MIME: b.MIME, Size: b.Size})
}

// fileJSON is an uploaded file; its ref is the answer that names it.
type fileJSON struct {
	ID        int64     `json:"id"`
	Ref       string    `json:"ref"`
	Name      string    `json:"name"`
	MIME      string    `json:"mime"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
	URL       string    `json:"url"`
}

// apiUpload stores the multipart field "file" for the member (the caller's
// enterprise, or ?enterprise=), streamed to the folder.
func (s *Handlers) apiUpload(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	cid, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	// The query alone: reading a form value would read the multipart body.
	eid := a.EnterpriseID
	if a.Role != access.RoleEnterprise {
		if eid, err = strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64); err != nil || eid <= 0 {
			return errNoEnterprise
		}
	}
	if s.opts.Files == nil {
		return errNoFiles
	}
	if _, err := s.campaigns.Member(r.Context(), a, cid, eid); err != nil {
		return err
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return errNoFile
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return errNoFile
	}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return errNoFile
		}
		if err != nil {
			return core.BadUpload(err)
		}
		if parts == core.MaxParts {
			return core.ErrTooManyParts
		}
		if p.FormName() != "file" || p.FileName() == "" {
			continue
		}
		info, err := s.store1(r, a, cid, eid, p, p.FileName())
		if err != nil {
			return err
		}
		url := fmt.Sprintf("/api/v1/surveys/%d/files/%d?enterprise=%d", cid, info.ID, eid)
		w.Header().Set("Location", url)
		core.WriteJSON(w, http.StatusCreated, fileJSON{ID: info.ID, Ref: info.Ref(), Name: info.Name, MIME: info.MIME, Size: info.Size,
			CreatedAt: info.CreatedAt.UTC(), URL: url})
		return nil
	}
}

// fileDownload answers an uploaded file, as a download.
func (s *Handlers) fileDownload(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	cid, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := core.PathID(r, "file")
	if err != nil {
		return err
	}
	info, err := s.forms.File(r.Context(), a, cid, fid)
	if err != nil {
		return err
	}
	if s.opts.Files == nil {
		return errNoFiles
	}
	f, err := s.opts.Files.Open(info.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", info.MIME)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(info.Name))
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", info.CreatedAt, f)
	return nil
}
