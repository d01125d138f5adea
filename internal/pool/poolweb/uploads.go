package poolweb

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"qifu/internal/attach"
	"qifu/internal/fault"
	"qifu/internal/pool/pooldb"
	"qifu/internal/web/core"
)

// A sealed scan of a loan's agreement: a PDF or an image, kept in the
// attachment folder by the hash of its content (hostile files are refused
// there, as the appeals' attachments are).

var (
	errNoFiles = fault.New(fault.Unavailable, "no_files", "本服务未配置文件存储，请使用电子印章", "this server keeps no files: use an e-seal")
	errNoScan  = fault.Fields{"file": {Zh: "请选择盖章协议的扫描件（PDF 或图片）", En: "choose the sealed agreement (a PDF or an image)"}}.Err()
)

// putScan stores an uploaded sealed scan.
func (s *Handlers) putScan(body io.Reader, name string, seal pooldb.Seal) (pooldb.Seal, error) {
	if s.opts.Files == nil {
		return seal, errNoFiles
	}
	b, err := s.opts.Files.Put(body, name)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return seal, core.BadUpload(err)
	}
	if err != nil {
		return seal, err
	}
	if b.MIME != "application/pdf" && !strings.HasPrefix(b.MIME, "image/") {
		return seal, errNoScan
	}
	seal.SHA256, seal.MIME, seal.Size, seal.Name = b.SHA256, b.MIME, b.Size, attach.Name(name, b.MIME)
	return seal, nil
}

// storeScan stores the scan of a multipart request's field "file".
func (s *Handlers) storeScan(r *http.Request, seal pooldb.Seal) (pooldb.Seal, error) {
	f, h, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return seal, errNoScan
	}
	if err != nil {
		return seal, core.BadUpload(err)
	}
	defer f.Close()
	return s.putScan(f, h.Filename, seal)
}
