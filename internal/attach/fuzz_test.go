package attach

import (
	"bytes"
	"testing"
)

// FuzzKind checks that any content and name get a kind or ErrType, and that
// an accepted kind always starts with one of the signatures qifu accepts.
func FuzzKind(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n...."), "a.png")
	f.Add([]byte("%PDF-1.7"), "a.pdf")
	f.Add([]byte("PK\x03\x04"), "a.docx")
	f.Add([]byte("<svg onload=alert(1)>"), "a.svg")
	f.Add([]byte("MZ\x90\x00"), "setup.pdf")
	f.Add([]byte("<html><script>"), "a.html")
	f.Fuzz(func(t *testing.T, head []byte, name string) {
		kind, err := Kind(head, name)
		if err != nil {
			if err != ErrType {
				t.Fatalf("Kind: %v", err)
			}
			return
		}
		magic := [][]byte{[]byte("\xFF\xD8\xFF"), []byte("\x89PNG"), []byte("RIFF"), []byte("%PDF-"), []byte("PK\x03\x04"), []byte("\xD0\xCF\x11\xE0")}
		for _, m := range magic {
			if bytes.HasPrefix(head, m) {
				return
			}
		}
		t.Fatalf("accepted %q as %s without a known signature", head, kind)
	})
}
