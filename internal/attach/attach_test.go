package attach

import (
	"bytes"
	"io"
	"strings"
	"testing"

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
		{"a.docx", []byte("PK\x03\x04 rest of a zip"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
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
