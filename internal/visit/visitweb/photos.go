package visitweb

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"qifu/internal/attach"
	"qifu/internal/fault"
	"qifu/internal/visit"
	"qifu/internal/web/core"
)

// A visit's photos: optional, at most visit.MaxPhotos, images only, kept in
// the attachment folder; chosen on the phone's form, or added by the API.

var (
	errNoFiles  = fault.New(fault.Unavailable, "no_files", "本服务未配置文件存储", "this server keeps no files")
	errNoPhoto  = fault.Fields{"file": {Zh: "请选择要上传的照片", En: "choose a photo to upload"}}.Err()
	errNotPhoto = fault.Fields{"photos": {Zh: "只能上传照片（JPEG、PNG 等图片）", En: "only photos (JPEG, PNG and other images)"}}.Err()
)

// putPhoto stores one uploaded photo in the folder.
func (s *Handlers) putPhoto(body io.Reader, name string) (visit.Photo, error) {
	if s.opts.Files == nil {
		return visit.Photo{}, errNoFiles
	}
	b, err := s.opts.Files.Put(body, name)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return visit.Photo{}, core.BadUpload(err)
	}
	if err != nil {
		return visit.Photo{}, err
	}
	if !strings.HasPrefix(b.MIME, "image/") {
		return visit.Photo{}, errNotPhoto
	}
	return visit.Photo{Name: attach.Name(name, b.MIME), MIME: b.MIME, Size: b.Size, SHA256: b.SHA256}, nil
}

// formPhotos stores the photos chosen on the phone's form.
func (s *Handlers) formPhotos(r *http.Request) ([]visit.Photo, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []visit.Photo
	for _, h := range r.MultipartForm.File["photos"] {
		if h.Filename == "" && h.Size == 0 {
			continue
		}
		if len(out) == visit.MaxPhotos {
			return nil, fault.Fields{"photos": {Zh: "一次走访最多 3 张照片", En: "at most 3 photos a visit"}}.Err()
		}
		p, err := s.openPhoto(h)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (s *Handlers) openPhoto(h *multipart.FileHeader) (visit.Photo, error) {
	f, err := h.Open()
	if err != nil {
		return visit.Photo{}, core.BadUpload(err)
	}
	defer f.Close()
	return s.putPhoto(f, h.Filename)
}

// photo serves a visit's photo to those who may read the visit.
func (s *Handlers) photo(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := core.PathID(r, "photo")
	if err != nil {
		return err
	}
	p, err := s.visits.Photo(r.Context(), a, id, pid)
	if err != nil {
		return err
	}
	if s.opts.Files == nil {
		return errNoFiles
	}
	f, err := s.opts.Files.Open(p.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", p.MIME)
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(p.Name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, f)
	return nil
}

// apiAddPhoto adds the multipart field "file" to a visit as a photo.
func (s *Handlers) apiAddPhoto(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if s.opts.Files == nil {
		return errNoFiles
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return errNoPhoto
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return errNoPhoto
	}
	for parts := 0; ; parts++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return errNoPhoto
		}
		if err != nil {
			return core.BadUpload(err)
		}
		if parts == core.MaxParts {
			return core.ErrTooManyParts
		}
		if part.FormName() != "file" {
			continue
		}
		p, err := s.putPhoto(part, part.FileName())
		if err != nil {
			return err
		}
		if p, err = s.visits.AddPhoto(r.Context(), a, id, p); err != nil {
			return err
		}
		core.WriteJSON(w, http.StatusCreated, p)
		return nil
	}
}
