package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"qifu/internal/demo"
)

// TestBackupRestoreDrill takes `qifu backup` while the enterprise keeps
// raising appeals with attachments, restores the copy into a clean folder,
// serves it, and checks that every appeal and file acknowledged before the
// backup began is served from it. It reports the data lost (RPO: what was
// acknowledged after the backup began and is not in it) and the time to
// serve again (RTO: from starting the restored server to its first answer of
// an appeal).
func TestBackupRestoreDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("the drill serves twice")
	}
	t.Parallel()
	srv := startServer(t, sqliteDB(t))
	ent := mustLogin(t, srv, "enterprise", demo.Password)
	var me struct {
		EnterpriseID int64 `json:"enterprise_id"`
	}
	call(t, ent, "GET", srv.URL+"/api/v1/me", nil, &me)
	code := enterpriseCode(t, srv.DB, me.EnterpriseID)

	type acked struct {
		appeal, file int64
		sum          [32]byte
		at           time.Time
	}
	var mu sync.Mutex
	var done []acked
	stop := make(chan struct{})
	writer := make(chan struct{})
	go func() {
		defer close(writer)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			var a struct{ ID int64 }
			st, body, err := send(ent, "POST", srv.URL+"/api/v1/appeals", map[string]any{"channel": "web", "type": "help",
				"category": "labour.recruit", "title": fmt.Sprintf("备份演练 %d", i), "content": "备份与恢复演练中的诉求。",
				"credit_code": code, "contact": "王经理", "phone": "13805741234"}, &a)
			if err != nil || st != http.StatusCreated {
				t.Errorf("raise %d: %d %v %s", i, st, err, body)
				return
			}
			content := append([]byte("%PDF-1.7\n"), make([]byte, 8<<10)...)
			rand.Read(content[9:])
			st, body = uploadFile(t, ent, fmt.Sprintf("%s/api/v1/appeals/%d/attachments", srv.URL, a.ID), content)
			var f struct{ ID int64 }
			if st != http.StatusCreated || jsonInto(body, &f) != nil {
				t.Errorf("attach %d: %d %s", i, st, body)
				return
			}
			mu.Lock()
			done = append(done, acked{appeal: a.ID, file: f.ID, sum: sha256.Sum256(content), at: time.Now()})
			mu.Unlock()
		}
	}()
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(done) }
	for deadline := time.Now().Add(30 * time.Second); count() < 20; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d appeals in 30 s", count())
		}
	}
	began := time.Now()
	mu.Lock()
	before := append([]acked(nil), done...)
	mu.Unlock()
	backupDir := t.TempDir()
	to := filepath.Join(backupDir, "backup.db")
	mustQifu(t, "", "backup", "--db", srv.DB, "--to", to)
	backupTook := time.Since(began)
	time.Sleep(200 * time.Millisecond) // the server keeps taking writes after the copy
	close(stop)
	<-writer
	mu.Lock()
	all := append([]acked(nil), done...)
	mu.Unlock()

	// Restore into a clean folder and serve it.
	restored := t.TempDir()
	if err := os.Rename(to, filepath.Join(restored, "qifu.db")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(to+"-files", filepath.Join(restored, "files")); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	back := startServer(t, filepath.Join(restored, "qifu.db"))
	c := mustLogin(t, back, "enterprise", demo.Password)
	if st := call(t, c, "GET", fmt.Sprintf("%s/api/v1/appeals/%d", back.URL, before[0].appeal), nil, nil); st != http.StatusOK {
		t.Fatalf("the restored server answers %d for an appeal", st)
	}
	rto := time.Since(start)

	lostBefore, lostAfter, after := 0, 0, 0
	for _, a := range all {
		inBefore := !a.at.After(began)
		if !inBefore {
			after++
		}
		st, body, err := send(c, "GET", fmt.Sprintf("%s/api/v1/attachments/%d", back.URL, a.file), nil, nil)
		ok := err == nil && st == http.StatusOK && sha256.Sum256(body) == a.sum
		switch {
		case !ok && inBefore:
			lostBefore++
			t.Errorf("appeal %d (file %d), acknowledged before the backup began, is not served from it: %d %v", a.appeal, a.file, st, err)
		case !ok:
			lostAfter++
		}
	}
	t.Logf("drill: %d appeals with a file acknowledged before the backup began, all served after the restore (lost %d); "+
		"%d acknowledged after it began, %d of them not in the copy (RPO: the writes of the %s the backup took and after); "+
		"backup took %s; RTO %s (restored server started, signed in, first appeal answered)",
		len(before), lostBefore, after, lostAfter, backupTook.Round(time.Millisecond), backupTook.Round(time.Millisecond),
		rto.Round(time.Millisecond))
}

// jsonInto decodes a JSON body.
func jsonInto(body []byte, v any) error { return json.Unmarshal(body, v) }
