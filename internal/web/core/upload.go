package core

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"

	"qifu/internal/fault"
)

// MaxParts is the most parts read from an upload form (attachments, imports).
const MaxParts = 10

// ErrTooManyParts refuses an upload form of more than MaxParts parts.
var ErrTooManyParts = fault.New(fault.Invalid, "too_many_parts", fmt.Sprintf("上传的表单最多 %d 项", MaxParts),
	fmt.Sprintf("an upload form has at most %d parts", MaxParts))

// BadUpload is the error for an upload form that cannot be read: cut off,
// malformed, or with headers over the multipart limits. It keeps the cause,
// so that a body over its size limit is still answered 413.
func BadUpload(err error) error {
	return &fault.Error{Kind: fault.Invalid, Code: "bad_upload", Err: err,
		Message: fault.Msg{Zh: "上传的表单不完整或格式有误，请重新上传", En: "the upload form is incomplete or malformed; upload it again"}}
}

// ErrNoFile is the error for an import without its workbook.
var ErrNoFile = fault.Fields{"file": {Zh: "请选择要导入的 .xlsx 文件", En: "choose an .xlsx file to import"}}.Err()

// ImportFile reads the workbook of an import: the multipart field "file",
// or for the API also a bare .xlsx body. Every part is read, so that a
// "strict" field after the file counts as well as one before it.
func ImportFile(r *http.Request) (io.Reader, error) {
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "multipart/form-data") {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, ErrNoFile
		}
		var file io.Reader
		for parts := 0; ; parts++ {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, BadUpload(err)
			}
			if parts == MaxParts {
				return nil, ErrTooManyParts
			}
			switch p.FormName() {
			case "strict":
				b, _ := io.ReadAll(io.LimitReader(p, 8))
				r.Form = map[string][]string{"strict": {string(b)}}
			case "file":
				if file, err = readAll(p); err != nil {
					return nil, err
				}
			}
		}
		if file == nil {
			return nil, ErrNoFile
		}
		return file, nil
	}
	if r.ContentLength == 0 {
		return nil, ErrNoFile
	}
	return readAll(r.Body)
}

func readAll(r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, BadUpload(err)
	}
	if len(b) == 0 {
		return nil, ErrNoFile
	}
	return bytes.NewReader(b), nil
}
