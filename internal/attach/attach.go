// Package attach keeps the files attached to appeals: images and documents,
// checked on their content (not their name) and stored content-addressed
// outside the database, one file per SHA-256, so that the same file
// uploaded twice is stored once and a stored file never changes.
package attach

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode"

	"qifu/internal/fault"
)

// MaxSize is the largest attachment accepted.
const MaxSize = 20 << 20

// Blob is a stored file.
type Blob struct {
	SHA256 string
	Size   int64
	MIME   string
}

// Dir is a folder of content-addressed files.
type Dir struct{ root string }

// Open returns the folder at root, creating it.
func Open(root string) (*Dir, error) {
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("attachments folder: %w", err)
	}
	return &Dir{root: root}, nil
}

// ErrType is the error for a file of a kind qifu does not accept.
var ErrType = fault.New(fault.Invalid, "file_type", "只能上传图片（JPG、PNG、WebP）、PDF 或 Office 文档（docx、xlsx、doc、xls）",
	"only images (JPG, PNG, WebP), PDF or Office documents (docx, xlsx, doc, xls) can be attached")

// ErrNoSpace is the error for a file that could not be stored for lack of space.
var ErrNoSpace = fault.New(fault.Unavailable, "disk_full", "存储空间已满，附件未保存，请稍后重试或联系管理员",
	"storage is full: the attachment was not stored; try again later or contact the administrator")

// stored wraps a write error, telling a full disk apart.
func stored(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return ErrNoSpace
	}
	return fmt.Errorf("attachment: %w", err)
}

// ErrTooLarge is the error for a file over MaxSize.
var ErrTooLarge = fault.New(fault.TooLarge, "file_too_large", "附件不能超过 20 MB", "an attachment may not exceed 20 MB")

// Kind returns the MIME type of a file from its first bytes and its name,
// or ErrType. The name only tells apart the Office formats that share a
// container (zip, OLE); it never makes an unknown content acceptable.
func Kind(head []byte, name string) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return "image/jpeg", nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", nil
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return "image/webp", nil
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf", nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		switch ext {
		case ".docx":
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", nil
		case ".xlsx":
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", nil
		}
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		switch ext {
		case ".doc":
			return "application/msword", nil
		case ".xls":
			return "application/vnd.ms-excel", nil
		}
	}
	return "", ErrType
}

// officeParts is the part each Office Open XML kind must hold beside
// [Content_Types].xml: a zip without them is no Office document.
var officeParts = map[string]string{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/document.xml",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       "xl/workbook.xml",
}

// maxUnpacked bounds what an Office document may declare it unpacks to: a
// real one of 20 MB unpacks to a few times that; a zip bomb declares far more.
const maxUnpacked = 256 << 20

// ErrUnpacked is the error for an Office document that would unpack to more than maxUnpacked.
var ErrUnpacked = fault.New(fault.TooLarge, "file_unpacks_too_large", "该 Office 文档解压后过大，不能上传",
	"this Office document unpacks to too much to be attached")

// checkOffice checks that a zip named as an Office document is one: it
// opens as a zip, holds [Content_Types].xml and the main part of its kind,
// and declares no more than maxUnpacked bytes in all. Other kinds pass.
func checkOffice(f io.ReaderAt, size int64, kind string) error {
	part, ok := officeParts[kind]
	if !ok {
		return nil
	}
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return ErrType
	}
	var total uint64
	found := map[string]bool{}
	for _, zf := range zr.File {
		if total += zf.UncompressedSize64; total > maxUnpacked || zf.UncompressedSize64 > maxUnpacked {
			return ErrUnpacked
		}
		found[zf.Name] = true
	}
	if !found["[Content_Types].xml"] || !found[part] {
		return ErrType
	}
	return nil
}

// Put stores the content of r, at most MaxSize bytes, and returns its blob.
// The file is written to a temporary name, synced, and renamed into place,
// so that a crash never leaves a partial file under a hash.
func (d *Dir) Put(r io.Reader, name string) (Blob, error) {
	tmp, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "up-*")
	if err != nil {
		return Blob{}, stored(err)
	}
	defer os.Remove(tmp.Name()) // after the rename this removes nothing
	defer tmp.Close()
	h := sha256.New()
	head := make([]byte, 0, 512)
	buf := make([]byte, 32<<10)
	var size int64
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			size += int64(n)
			if size > MaxSize {
				return Blob{}, ErrTooLarge
			}
			if len(head) < cap(head) {
				head = append(head, buf[:min(n, cap(head)-len(head))]...)
			}
			h.Write(buf[:n])
			if _, err := tmp.Write(buf[:n]); err != nil {
				return Blob{}, stored(err)
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return Blob{}, fmt.Errorf("attachment: read: %w", rerr)
		}
	}
	if size == 0 {
		return Blob{}, fault.New(fault.Invalid, "file_empty", "附件是空文件", "the attachment is empty")
	}
	kind, err := Kind(head, name)
	if err != nil {
		return Blob{}, err
	}
	if err := checkOffice(tmp, size, kind); err != nil {
		return Blob{}, err
	}
	if err := tmp.Sync(); err != nil {
		return Blob{}, stored(err)
	}
	b := Blob{SHA256: hex.EncodeToString(h.Sum(nil)), Size: size, MIME: kind}
	final := d.path(b.SHA256)
	if _, err := os.Stat(final); err == nil {
		// Already stored: the same content under the same hash. Its time is
		// renewed so that Sweep, which spares recent files, cannot take it
		// while the new row is on its way.
		now := time.Now()
		if err := os.Chtimes(final, now, now); err != nil {
			return Blob{}, stored(err)
		}
	} else {
		if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
			return Blob{}, stored(err)
		}
		if err := os.Rename(tmp.Name(), final); err != nil {
			return Blob{}, stored(err)
		}
	}
	// A file survives a power cut only once every folder entry leading to it
	// does: the rename's, and those of folders just made. A file already
	// there may come from an upload that died before syncing them.
	for _, dir := range []string{filepath.Dir(final), filepath.Dir(filepath.Dir(final)), d.root} {
		syncDir(dir)
	}
	return b, nil
}

// syncDir flushes a folder's entries, where the platform allows it.
func syncDir(path string) {
	if dir, err := os.Open(path); err == nil {
		dir.Sync()
		dir.Close()
	}
}

// Open returns the stored file of a hash.
func (d *Dir) Open(sha string) (*os.File, error) {
	if len(sha) != 64 || strings.Trim(sha, "0123456789abcdef") != "" {
		return nil, fault.ErrNotFound
	}
	f, err := os.Open(d.path(sha))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fault.ErrNotFound
	}
	return f, err
}

// path is where a hash's file lives: two levels of folders by its first bytes.
func (d *Dir) path(sha string) string {
	return filepath.Join(d.root, sha[:2], sha[2:4], sha)
}

// CopyTo puts the stored file of a hash into another folder (for a backup),
// as a hard link where the two folders share a file system and as a synced
// copy elsewhere. A file already there is left alone: under its hash it can
// only hold the same content.
func (d *Dir) CopyTo(dst *Dir, sha string) error {
	src, err := d.Open(sha)
	if err != nil {
		return err
	}
	defer src.Close()
	final := dst.path(sha)
	if _, err := os.Stat(final); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return stored(err)
	}
	defer func() {
		for _, dir := range []string{filepath.Dir(final), filepath.Dir(filepath.Dir(final)), dst.root} {
			syncDir(dir)
		}
	}()
	if err := os.Link(d.path(sha), final); err == nil {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Join(dst.root, "tmp"), "copy-*")
	if err != nil {
		return stored(err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := io.Copy(tmp, src); err != nil {
		return stored(err)
	}
	if err := tmp.Sync(); err != nil {
		return stored(err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return stored(err)
	}
	return nil
}

// Sweep removes what no record holds: files older than before whose hash
// keep does not want (an upload stored just before its row was refused, or
// before a crash stopped the row's commit), and temporary files older than
// before (uploads cut off mid-way). It returns how many files it removed.
// Files newer than before are left alone: their rows may still be on the way.
func (d *Dir) Sweep(before time.Time, keep func(sha string) (bool, error)) (int, error) {
	removed := 0
	err := filepath.WalkDir(d.root, func(path string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			return nil
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(before) {
			return nil
		}
		if filepath.Base(filepath.Dir(path)) != "tmp" {
			sha := e.Name()
			if len(sha) != 64 || path != d.path(sha) {
				return nil // not one of ours
			}
			wanted, err := keep(sha)
			if err != nil {
				return err
			}
			if wanted {
				return nil
			}
			// Put renews the time of a file it is about to record again.
			if again, err := os.Stat(path); err != nil || !again.ModTime().Before(before) {
				return nil
			}
		}
		if err := os.Remove(path); err == nil {
			removed++
		}
		return nil
	})
	return removed, err
}

// MaxNameLen is the longest name a stored file is kept under, in characters.
const MaxNameLen = 100

// contentExts are the file extensions of each type a file may have
// whose check does not already ask for the extension (the Office formats).
var contentExts = map[string][]string{
	"image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}, "image/webp": {".webp"}, "application/pdf": {".pdf"},
}

// Name is the name a stored file is kept and offered under: the last
// element of the name sent, without control characters or the invisible
// marks that reorder text ("invoice\u202egnp.exe" shows as "invoiceexe.png"),
// ending in an extension of its detected type, so that a PDF sent as
// "report.bat" is saved as "report.bat.pdf", never run as a script; at most
// MaxNameLen characters, keeping the extension.
func Name(sent, mime string) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(sent, ""))
	name = strings.TrimSpace(name[strings.LastIndexAny(name, `/\`)+1:])
	if strings.Trim(name, ".") == "" {
		name = "附件"
	}
	if exts, ok := contentExts[mime]; ok && !slices.Contains(exts, strings.ToLower(filepath.Ext(name))) {
		name += exts[0]
	}
	if r := []rune(name); len(r) > MaxNameLen {
		ext := []rune(filepath.Ext(name))
		if len(ext) > 10 {
			ext = nil
		}
		name = string(r[:MaxNameLen-len(ext)]) + string(ext)
	}
	return name
}
