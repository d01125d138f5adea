package core

import (
	"fmt"

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
