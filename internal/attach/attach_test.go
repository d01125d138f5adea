package attach

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"qifu/internal/fault"
)

func TestPut(t *testing.T) {
	d, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 1000)...)
	cases := []struct {
		name    string
		content []byte
		mime    string
		kind    fault.Kind
	}{
		{"photo.png", png, "image/png", ""},
		{"renamed.pdf", png, "image/png", ""}, // the content decides, not the name
		{"scan.pdf", []byte("%PDF-1.7 ..."), "application/pdf", ""},
		{"a.docx", officeZip(t, "[Content_Types].xml", "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"b.xlsx", officeZip(t, "[Content_Types].xml", "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""},
		{"fake.docx", []byte("PK\x03\x04 rest of a zip"), "", fault.Invalid},
		{"no types.docx", officeZip(t, "word/document.xml"), "", fault.Invalid},
		{"sheet named.docx", officeZip(t, "[Content_Types].xml", "xl/workbook.xml"), "", fault.Invalid},
		{"bomb.docx", declaredHuge(t), "", fault.TooLarge},
		{"a.zip", []byte("PK\x03\x04 rest of a zip"), "", fault.Invalid},
		{"evil.jpg", []byte("<script>alert(1)</script>"), "", fault.Invalid},
		{"run.exe", []byte("MZ\x90\x00"), "", fault.Invalid},
		{"empty.png", nil, "", fault.Invalid},
		{"huge.pdf", append([]byte("%PDF-"), make([]byte, MaxSize)...), "", fault.TooLarge},
	}
	for _, c := range cases {
		b, err := d.Put(bytes.NewReader(c.content), c.name)
		if c.kind != "" {
			if !fault.Is(err, c.kind) {
				t.Errorf("%s: %v, want %s", c.name, err, c.kind)
			}
			continue
		}
		if err != nil || b.MIME != c.mime || b.Size != int64(len(c.content)) {
			t.Errorf("%s: %+v %v", c.name, b, err)
			continue
		}
		f, err := d.Open(b.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(got, c.content) {
			t.Errorf("%s: stored content differs", c.name)
		}
	}
	if _, err := d.Open("../../etc/passwd"); !fault.Is(err, fault.NotFound) {
		t.Errorf("a path as a hash: %v", err)
	}
	if _, err := d.Open(strings.Repeat("a", 64)); !fault.Is(err, fault.NotFound) {
		t.Errorf("an unknown hash: %v", err)
	}
}

func TestSweep(t *testing.T) {
	d, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	kept, err := d.Put(bytes.NewReader([]byte("%PDF-1.4 kept")), "a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	orphan, err := d.Put(bytes.NewReader([]byte("%PDF-1.4 orphan")), "b.pdf")
	if err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(d.root, "tmp", "up-123")
	if err := os.WriteFile(leftover, []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	keep := func(sha string) (bool, error) { return sha == kept.SHA256, nil }
	// Nothing is old enough yet.
	if n, err := d.Sweep(time.Now().Add(-time.Hour), keep); err != nil || n != 0 {
		t.Fatalf("sweep of new files removed %d, %v", n, err)
	}
	n, err := d.Sweep(time.Now().Add(time.Minute), keep)
	if err != nil || n != 2 {
		t.Fatalf("sweep removed %d, %v; want the orphan and the leftover", n, err)
	}
	if _, err := d.Open(kept.SHA256); err != nil {
		t.Errorf("the kept file is gone: %v", err)
	}
	if _, err := d.Open(orphan.SHA256); err == nil {
		t.Error("the orphan file is still there")
	}
	if _, err := os.Stat(leftover); err == nil {
		t.Error("the temporary leftover is still there")
	}
}

// officeZip is a zip holding the named parts, each a line of XML.
func officeZip(t *testing.T, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(`<?xml version="1.0"?><x/>`))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// declaredHuge is a .docx-shaped zip whose main part declares it unpacks to
// a terabyte (a zip bomb's header, without the bomb).
func declaredHuge(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range []string{"[Content_Types].xml", "word/document.xml"} {
		data := []byte("<x/>")
		size := uint64(len(data))
		if p == "word/document.xml" {
			size = 1 << 40
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p, Method: zip.Store, CompressedSize64: uint64(len(data)),
			UncompressedSize64: size, CRC32: crc32.ChecksumIEEE(data)})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
