package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"qifu/internal/demo"
)

// TestDiskFull runs the embedded store and the attachments on a small
// tmpfs, fills it with appeals and attachments, and checks that nothing is
// acknowledged that was not stored, that a full disk answers 503 with the
// code disk_full (never a 500), that nothing is left half-stored, and that
// qifu goes on by itself once the space is back. It needs root to mount the
// tmpfs; elsewhere it skips (under CI it must run).
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("disk-full test skipped in -short mode")
	}
	dir := t.TempDir()
	mnt := filepath.Join(dir, "small")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", mnt).CombinedOutput(); err != nil {
		msg := fmt.Sprintf("cannot mount a tmpfs (%v: %s): the disk-full test needs root", err, bytes.TrimSpace(out))
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci && os.Getuid() == 0 {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	db := filepath.Join(mnt, "qifu.db")
	srv := startServer(t, db)
	c := mustLogin(t, srv, "enterprise", demo.Password)
	var me struct {
		EnterpriseID int64 `json:"enterprise_id"`
	}
	call(t, c, "GET", srv.URL+"/api/v1/me", nil, &me)
	code := enterpriseCode(t, db, me.EnterpriseID)

	type acked struct {
		appeal int64
		files  []string // SHA-256 of each acknowledged attachment
	}
	var ok []acked
	full := map[string]int{} // status and code of each refusal
	withFiles := true
	raise := func(i int) (acked, bool) {
		var a struct{ ID int64 }
		st, body, err := send(c, "POST", srv.URL+"/api/v1/appeals", map[string]any{"channel": "web", "type": "help",
			"category": "labour.recruit", "title": fmt.Sprintf("磁盘满测试 %d", i), "content": "测试在存储空间耗尽时的行为。",
			"credit_code": code, "contact": "王经理", "phone": "13805741234"}, &a)
		if err != nil {
			t.Fatalf("raise: %v", err)
		}
		if st != http.StatusCreated {
			full[fmt.Sprintf("appeal %d %s", st, errCode(body))]++
			return acked{}, false
		}
		got := acked{appeal: a.ID}
		for range map[bool]int{true: 2, false: 0}[withFiles] {
			content := append([]byte("%PDF-1.7\n"), make([]byte, 400<<10)...)
			rand.Read(content[9:])
			st, body := uploadFile(t, c, fmt.Sprintf("%s/api/v1/appeals/%d/attachments", srv.URL, a.ID), content)
			if st != http.StatusCreated {
				full[fmt.Sprintf("attachment %d %s", st, errCode(body))]++
				return got, false
			}
			sum := sha256.Sum256(content)
			got.files = append(got.files, hex.EncodeToString(sum[:]))
		}
		return got, true
	}
	for i := 0; i < 200; i++ {
		a, fine := raise(i)
		if a.appeal != 0 {
			ok = append(ok, a)
		}
		if !fine {
			break
		}
	}
	if len(full) == 0 {
		t.Fatalf("24 MiB never filled after %d appeals", len(ok))
	}
	// The files filled the disk; now the store's own writes meet it too.
	withFiles = false
	for i := 500; i < 600; i++ {
		a, fine := raise(i)
		if a.appeal != 0 {
			ok = append(ok, a)
		}
		if !fine {
			break
		}
	}
	for k, n := range full {
		if !bytes.Contains([]byte(k), []byte(" 503 disk_full")) {
			t.Errorf("a refusal on a full disk answered %q (%d times); want 503 disk_full", k, n)
		}
	}
	// Space comes back: qifu goes on without a restart or a repair.
	if out, err := exec.Command("mount", "-o", "remount,size=96m", mnt).CombinedOutput(); err != nil {
		t.Fatalf("grow the tmpfs: %v %s", err, out)
	}
	withFiles = true
	var after acked
	var fine bool
	deadline := time.Now().Add(30 * time.Second)
	for i := 1000; ; i++ {
		if after, fine = raise(i); fine {
			ok = append(ok, after)
			break
		}
		if after.appeal != 0 {
			ok = append(ok, after)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no appeal stored within 30 s of the space coming back: %v", full)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := srv.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}

	// Every acknowledged appeal and file is there; no row without its file.
	h, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var integrity string
	if err := h.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Errorf("integrity_check: %q %v", integrity, err)
	}
	lost, missing := 0, 0
	for _, a := range ok {
		var n int
		h.QueryRow("SELECT COUNT(*) FROM appeals WHERE id = ?", a.appeal).Scan(&n)
		if n != 1 {
			lost++
		}
		for _, f := range a.files {
			h.QueryRow("SELECT COUNT(*) FROM attachments WHERE appeal_id = ? AND sha256 = ?", a.appeal, f).Scan(&n)
			if n != 1 {
				lost++
			}
		}
	}
	rows, err := h.Query("SELECT sha256 FROM attachments")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var sum string
		rows.Scan(&sum)
		if _, err := os.Stat(filepath.Join(filepath.Dir(db), "files", sum[:2], sum[2:4], sum)); err != nil {
			missing++
		}
	}
	rows.Close()
	t.Logf("disk full: %d appeals acknowledged before and after; refusals %v; lost %d; rows without their file %d",
		len(ok), full, lost, missing)
	if lost != 0 || missing != 0 {
		t.Errorf("lost %d acknowledged records, %d attachment rows without their file; want 0 and 0", lost, missing)
	}
}

// enterpriseCode reads an enterprise's credit code from the store file.
func enterpriseCode(t *testing.T, db string, id int64) string {
	t.Helper()
	h, err := sql.Open("sqlite", db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var code string
	if err := h.QueryRow("SELECT credit_code FROM enterprises WHERE id = ?", id).Scan(&code); err != nil {
		t.Fatal(err)
	}
	return code
}

// uploadFile posts content as the multipart field "file" and returns the status and body.
func uploadFile(t *testing.T, c *http.Client, url string, content []byte) (int, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "扫描件.pdf")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req, err := http.NewRequest("POST", url, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return res.StatusCode, b.Bytes()
}

// errCode is the code of a JSON error answer.
func errCode(body []byte) string {
	i := bytes.Index(body, []byte(`"code":"`))
	if i < 0 {
		return "?"
	}
	rest := body[i+8:]
	if j := bytes.IndexByte(rest, '"'); j >= 0 {
		return string(rest[:j])
	}
	return "?"
}
