package main

// TestCrash is the kill -9 harness of RELIABILITY.md. It builds the real
// qifu binary, serves the embedded store from a temporary directory, has 16
// clients raise appeals with attachments and idempotency keys, SIGKILLs the
// server while they do, restarts it on the same files and lets the clients
// retry what was in flight with the same keys and bodies; over and over.
// Then it stops the server gently and checks the store and the files folder
// against everything the server acknowledged.

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	mrand "math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"qifu/internal/access"
	"qifu/internal/appeal"
)

// crashCycles skips a crash harness where it cannot or should not run and
// returns its number of kills: QIFU_CRASH_CYCLES, or def.
func crashCycles(t *testing.T, def int) int {
	t.Helper()
	if testing.Short() {
		t.Skip("the crash harness kills and restarts servers for tens of seconds")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the crash harness needs SIGKILL and SIGTERM")
	}
	v := os.Getenv("QIFU_CRASH_CYCLES")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("QIFU_CRASH_CYCLES=%q: want a positive number", v)
	}
	return n
}

// judgeReplay records what a replay of the client's last acknowledged
// creation answered, when it was not a dropped connection or a sign-out: it
// must be 200 with the same appeal.
func (c *crashClient) judgeReplay(last *crashJob, code int, id int64) {
	switch {
	case code != http.StatusOK && code != http.StatusCreated:
		c.unexpected = append(c.unexpected, fmt.Sprintf("%s: replay of %s: %d", c.user, last.key, code))
	case code == http.StatusCreated || id != last.id:
		c.duplicates = append(c.duplicates, fmt.Sprintf("%s: replay of %s: %d with appeal %d, first %d", c.user, last.key, code, id, last.id))
	}
}

// crashClients is how many clients raise appeals at once.
const crashClients = 16

// TestCrash: every 201 survives kill -9; retries never duplicate; no
// attachment row without its file; the database file is sound.
// QIFU_CRASH_CYCLES sets the number of kills (5 by default).
func TestCrash(t *testing.T) {
	cycles := crashCycles(t, 5)
	began := time.Now()
	dir := t.TempDir()
	bin := buildQifu(t, dir)
	db, files := filepath.Join(dir, "q.db"), filepath.Join(dir, "files")
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--files", files, "--demo", "--demo-appeals", "0"}

	clients := crashAccounts(t)
	ls := &lives{changed: make(chan struct{}), signedIn: make(chan struct{}, len(clients))}
	var wg sync.WaitGroup
	t.Cleanup(func() { ls.abort(); wg.Wait() }) // after the lives' own cleanups have killed them
	p := startLife(t, bin, args, 0)
	ls.publish(p)
	for _, c := range clients {
		wg.Go(func() { c.run(livesTarget{ls}, ls.signedIn) })
	}
	for range clients { // the first kill once all are signed in: later lives need no sign-in
		select {
		case <-ls.signedIn:
		case <-time.After(time.Minute):
			t.Fatal("the clients did not all sign in within a minute")
		}
	}
	var restarts, ready []time.Duration
	for {
		select {
		case <-p.acked:
		case <-time.After(time.Minute):
			p.logTail(t)
			t.Fatalf("life %d: no 201 within a minute of its start", p.n)
		}
		if p.n > 0 {
			restarts, ready = append(restarts, p.firstAck), append(ready, p.ready)
		}
		if p.n == cycles {
			break
		}
		time.Sleep(500*time.Millisecond + mrand.N(1500*time.Millisecond))
		p.kill(t)
		p = startLife(t, bin, args, p.n+1)
		ls.publish(p)
	}
	time.Sleep(300 * time.Millisecond)
	ls.stop() // no new appeals; what is in flight is finished
	finish(t, &wg)
	p.terminate(t)

	f := checkCrash(t, db, files, clients)
	f.Cycles, f.Restarts, f.Ready = cycles, restarts, ready
	f.log(t, time.Since(began))
	var serverErrs []string
	for _, c := range clients {
		serverErrs = append(serverErrs, c.serverErrs...)
	}
	if f.Lost != 0 || f.Duplicates != 0 || f.OrphanRows != 0 || f.CorruptFiles != 0 || f.Integrity != "ok" ||
		f.ForeignKeys != 0 || f.Unexpected != 0 || f.Refused != 0 || len(serverErrs) != 0 {
		t.Errorf("must be zero: lost %d, duplicates %d, orphan rows %d, corrupt files %d, foreign key faults %d, "+
			"unexpected answers %d, sessions refused %d, 5xx other than 503 %d %v; integrity_check %q must be ok", f.Lost, f.Duplicates,
			f.OrphanRows, f.CorruptFiles, f.ForeignKeys, f.Unexpected, f.Refused, len(serverErrs), serverErrs, f.Integrity)
	}
}

// buildQifu builds the qifu binary into dir.
func buildQifu(t *testing.T, dir string) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the crash harness builds qifu with the go command: %v", err)
	}
	bin := filepath.Join(dir, "qifu")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// life is one run of the qifu binary, from its start to its kill or stop.
type life struct {
	n       int           // 0 for the first start, then the restart after each kill
	started time.Time     // just before the process started
	ready   time.Duration // from the start to the first 200 of /healthz
	url     string
	cmd     *exec.Cmd
	stdout  syncBuffer
	stderr  syncBuffer
	exited  chan struct{} // closed once the process has ended and its output is read
	waitErr error         // what the process ended with; read after exited

	ackOnce  sync.Once
	acked    chan struct{} // closed on the life's first 201
	firstAck time.Duration // from the start to the first 201; read after acked
}

// startLife starts the binary and returns once it answers /healthz.
func startLife(t *testing.T, bin string, args []string, n int) *life {
	t.Helper()
	p := &life{n: n, exited: make(chan struct{}), acked: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "QIFU_") })
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start qifu: %v", err)
	}
	go func() { p.waitErr = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	deadline := p.started.Add(time.Minute)
	for p.url == "" {
		if m := listeningRE.FindStringSubmatch(p.stdout.String()); m != nil {
			p.url = m[1]
			break
		}
		select {
		case <-p.exited:
			p.logTail(t)
			t.Fatalf("life %d: qifu ended before listening: %v", n, p.waitErr)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("life %d: qifu did not listen within a minute", n)
		}
	}
	for {
		resp, err := http.Get(p.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				p.ready = time.Since(p.started)
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("life %d: GET /healthz never answered 200: last error %v", n, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ack notes a 201 from this life.
func (p *life) ack() {
	p.ackOnce.Do(func() { p.firstAck = time.Since(p.started); close(p.acked) })
}

// kill sends SIGKILL and waits for the process to die of it.
func (p *life) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("life %d: kill: %v", p.n, err)
	}
	<-p.exited
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		p.logTail(t)
		t.Fatalf("life %d: ended with %v before its kill", p.n, p.waitErr)
	}
}

// terminate sends SIGTERM and waits for a clean exit.
func (p *life) terminate(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("life %d: SIGTERM: %v", p.n, err)
	}
	select {
	case <-p.exited:
	case <-time.After(40 * time.Second):
		t.Fatalf("life %d: qifu did not stop within 40 s of SIGTERM", p.n)
	}
	if p.waitErr != nil {
		p.logTail(t)
		t.Fatalf("life %d: qifu stopped with %v", p.n, p.waitErr)
	}
}

// logTail logs the end of the life's log.
func (p *life) logTail(t *testing.T) {
	out := p.stderr.String()
	t.Logf("life %d stderr (end):\n%s", p.n, out[max(0, len(out)-4000):])
}

// lives hands the clients the server's current life.
type lives struct {
	mu       sync.Mutex
	cur      *life
	changed  chan struct{} // closed and replaced on every change
	stopping bool          // no new appeals
	aborted  bool          // leave now
	signedIn chan struct{} // a client's first sign-in
}

func (l *lives) update(f func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f()
	close(l.changed)
	l.changed = make(chan struct{})
}

func (l *lives) publish(p *life) { l.update(func() { l.cur = p }) }
func (l *lives) stop()           { l.update(func() { l.stopping = true }) }
func (l *lives) abort()          { l.update(func() { l.stopping, l.aborted = true, true }) }

func (l *lives) stopped() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stopping
}

// after waits for a life newer than prev (any life when prev is nil). Once
// stopped it returns nil, unless the client still has a request in flight.
func (l *lives) after(prev *life, inFlight bool) *life {
	for {
		l.mu.Lock()
		cur, changed, stopping, aborted := l.cur, l.changed, l.stopping, l.aborted
		l.mu.Unlock()
		switch {
		case aborted, stopping && !inFlight:
			return nil
		case cur != nil && (prev == nil || cur.n > prev.n):
			return cur
		}
		<-changed
	}
}

// crashJob is one appeal a client raises: its key and body, then its files.
type crashJob struct {
	key   string
	in    appeal.Input
	id    int64 // once acknowledged
	files int   // to attach
	sent  int   // attached or lost in a crash
	tries int
}

// ackedFile is an upload the server answered 201.
type ackedFile struct {
	id, appealID int64
	sha256       string
}

// crashClient is one user raising appeals, keeping what was acknowledged.
// Its fields are its own while it runs and read once it has returned.
type crashClient struct {
	crashSession
	n     int
	codes []string // credit codes of enterprises in the user's scope
	seq   int

	acked      []*crashJob
	files      []ackedFile
	sent       map[string]bool // SHA-256 of every file sent, acknowledged or not
	retried    int             // acknowledged creations that were in flight at a kill and sent again
	replayed   int             // of those, answered 200: a try cut by the kill had committed
	duplicates []string        // a retry answered with another appeal than the first
}

// crashAccounts picks the first 16 demo users who may raise appeals for
// enterprises in their scope (community staff, grid workers, the enterprise
// user), with up to five of those enterprises each.
func crashAccounts(t *testing.T) []*crashClient {
	t.Helper()
	d := demoData()
	var cs []*crashClient
	for _, u := range d.Users {
		var codes []string
		for _, e := range d.Enterprises {
			if len(codes) < 5 && (u.Role == access.RoleEnterprise && e.CreditCode == u.EnterpriseCode ||
				u.Role == access.RoleGridWorker && slices.Contains(u.GridCodes, e.GridCode) ||
				u.Role == access.RoleCommunityStaff && e.CommunityCode == u.RegionCode) {
				codes = append(codes, e.CreditCode)
			}
		}
		if len(codes) > 0 && len(cs) < crashClients {
			cs = append(cs, &crashClient{n: len(cs), crashSession: crashSession{user: u.Username}, codes: codes, sent: map[string]bool{}})
		}
	}
	if len(cs) < crashClients {
		t.Fatalf("the demo has %d users who may raise appeals; the harness needs %d", len(cs), crashClients)
	}
	return cs
}

// run raises appeals until tg stops, with up to two attachments each. On
// a dropped connection it goes on with its session at the next life or
// another instance, signing in again only when refused with 401; there it
// checks that its last acknowledged creation replays, then sends the
// creation in flight again with the same key and body. A 5xx is sent again
// shortly; an upload cut by a kill is not.
func (c *crashClient) run(tg crashTarget, signals chan<- struct{}) {
	c.start(tg, signals)
	var job *crashJob
	for {
		p := c.pick(job != nil && job.id == 0)
		if p == nil {
			return
		}
		if !c.signedIn {
			if !c.signIn(p) {
				return
			}
			continue
		}
		if c.check && len(c.acked) > 0 {
			last := c.acked[len(c.acked)-1]
			code, id, err := crashRaise(c.hc, p.url, last.key, last.in)
			switch {
			case c.retry(p, code, err):
				continue
			case code == http.StatusUnauthorized:
				c.lost()
				continue
			default:
				c.judgeReplay(last, code, id)
			}
		}
		c.check = false
		if job == nil {
			if tg.stopped() {
				return
			}
			c.seq++
			job = &crashJob{key: fmt.Sprintf("crash-%02d-%05d-%s", c.n, c.seq, rand.Text()[:8]), in: c.body(), files: 1 + mrand.IntN(2)}
		}
		if job.id == 0 {
			job.tries++
			code, id, err := crashRaise(c.hc, p.url, job.key, job.in)
			switch {
			case c.retry(p, code, err):
				continue
			case code == http.StatusUnauthorized:
				c.lost()
				continue
			case code == http.StatusCreated:
				tg.acked(p)
			case code == http.StatusOK && job.tries > 1:
				c.replayed++ // a try cut by a kill, or answered 5xx, had committed
			default:
				c.unexpected = append(c.unexpected, fmt.Sprintf("%s: create (try %d): %d", c.user, job.tries, code))
				job = nil
				continue
			}
			if job.tries > 1 {
				c.retried++
			}
			job.id = id
			c.acked = append(c.acked, job)
			continue
		}
		if job.sent < job.files {
			name, data := crashFile()
			sum := sha256.Sum256(data)
			sha := hex.EncodeToString(sum[:])
			c.sent[sha] = true
			code, id, err := crashUpload(c.hc, p.url, job.id, name, data)
			switch {
			case err != nil:
				c.retry(p, code, err) // an upload cut by a kill was never acknowledged: it is not sent again
			case c.retry(p, code, err):
				continue // a 5xx stored nothing: send another
			case code == http.StatusUnauthorized:
				c.lost()
				continue
			case code == http.StatusCreated:
				c.files = append(c.files, ackedFile{id: id, appealID: job.id, sha256: sha})
			default:
				c.unexpected = append(c.unexpected, fmt.Sprintf("%s: upload to appeal %d: %d", c.user, job.id, code))
			}
			job.sent++
			continue
		}
		job = nil
	}
}

// body is a new appeal, its title unique in the run.
func (c *crashClient) body() appeal.Input {
	return appeal.Input{Type: appeal.TypeHelp, Category: "labour.recruit",
		Title:      fmt.Sprintf("断电测试 %02d-%05d 招工困难", c.n, c.seq),
		Content:    fmt.Sprintf("订单增加，缺少熟练工人约 %d 名，希望协助对接用工。（%s）", 5+mrand.IntN(60), rand.Text()),
		CreditCode: c.codes[mrand.IntN(len(c.codes))], Contact: "王经理", Phone: "13805741234"}
}

// crashRaise posts an appeal with an idempotency key: the status and the appeal's ID.
func crashRaise(hc *http.Client, base, key string, in appeal.Input) (int, int64, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return 0, 0, err
	}
	req, err := http.NewRequest("POST", base+"/api/v1/appeals", bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	return crashAnswer(hc, req)
}

// crashFile is a small image or PDF: the right first bytes, then random ones.
func crashFile() (string, []byte) {
	name, head := "现场照片.png", "\x89PNG\r\n\x1a\n"
	if mrand.IntN(2) == 0 {
		name, head = "情况说明.pdf", "%PDF-1.7\n"
	}
	data := make([]byte, len(head)+256+mrand.IntN(8<<10))
	copy(data, head)
	rand.Read(data[len(head):])
	return name, data
}

// crashUpload attaches a file to an appeal: the status and the attachment's ID.
func crashUpload(hc *http.Client, base string, appealID int64, name string, data []byte) (int, int64, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		return 0, 0, err
	}
	fw.Write(data)
	w.Close()
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/appeals/%d/attachments", base, appealID), &buf)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return crashAnswer(hc, req)
}

// crashAnswer sends req and reads the "id" of a 2xx answer.
func crashAnswer(hc *http.Client, req *http.Request) (int, int64, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, 0, err // the answer was cut: not an acknowledgement
	}
	var out struct {
		ID int64 `json:"id"`
	}
	if resp.StatusCode < 300 {
		if err := json.Unmarshal(b, &out); err != nil || out.ID == 0 {
			return 0, 0, fmt.Errorf("answer %d %q: %v", resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode, out.ID, nil
}

// crashFigures are what the harness reports.
type crashFigures struct {
	Cycles         int
	Appeals        int // acknowledged with 201, or 200 on a retry
	Attachments    int // acknowledged with 201
	Retried        int // creations in flight at a kill, sent again
	Replayed       int // of those, answered 200 with the appeal the first try had made
	Lost           int // acknowledged and missing or changed: appeal, its key, attachment row or file
	Duplicates     int // a second appeal for one key or body, or a retry answered with another appeal
	OrphanRows     int // attachment rows whose file is missing or differs
	OrphanFiles    int // files no row names: uploads in flight at a kill, never acknowledged
	UnsentFiles    int // of the orphan files, ones no client ever sent (must be 0)
	CorruptFiles   int // files whose content does not match their name (must be 0)
	TmpFiles       int // partial uploads left in tmp/
	UnackedAppeals int // appeals stored that no client saw acknowledged
	UnackedRows    int // attachment rows no client saw acknowledged: committed, answer lost in a kill
	Unexpected     int // answers neither an acknowledgement nor a dropped connection
	Refused        int // 401s to a session the server had granted before a kill
	Integrity      string
	ForeignKeys    int // rows of PRAGMA foreign_key_check
	Restarts       []time.Duration
	Ready          []time.Duration
}

// checkCrash compares the store and the files folder with what the clients kept.
func checkCrash(t *testing.T, dbPath, files string, clients []*crashClient) crashFigures {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var f crashFigures
	var lines []string
	crashRows(t, db, "PRAGMA integrity_check", func(scan func(...any)) {
		var s string
		scan(&s)
		lines = append(lines, s)
	})
	f.Integrity = strings.Join(lines, "; ")
	crashRows(t, db, "PRAGMA foreign_key_check", func(func(...any)) { f.ForeignKeys++ })
	checkStore(t, db, files, clients, &f)
	return f
}

// checkStore compares the tables of a store, of either kind, and the files
// folder with what the clients kept.
func checkStore(t *testing.T, db *sql.DB, files string, clients []*crashClient, f *crashFigures) {
	t.Helper()
	detail := func(counter *int, format string, args ...any) {
		*counter++
		if *counter <= 10 {
			t.Logf(format, args...)
		}
	}

	type stored struct{ title, content string }
	appeals := map[int64]stored{}
	byTitle := map[string]int{}
	crashRows(t, db, "SELECT id, title, content FROM appeals", func(scan func(...any)) {
		var id int64
		var a stored
		scan(&id, &a.title, &a.content)
		appeals[id] = a
		byTitle[a.title]++
	})
	keys := map[string][]int64{}
	crashRows(t, db, "SELECT key, appeal_id FROM appeal_idempotency", func(scan func(...any)) {
		var key string
		var id int64
		scan(&key, &id)
		keys[key] = append(keys[key], id)
	})
	type row struct {
		appealID int64
		sha256   string
	}
	attachments := map[int64]row{}
	named := map[string]bool{}
	crashRows(t, db, "SELECT id, appeal_id, sha256 FROM attachments", func(scan func(...any)) {
		var id int64
		var r row
		scan(&id, &r.appealID, &r.sha256)
		attachments[id] = r
		named[r.sha256] = true
	})

	// The folder: aa/bb/<sha256>, partial uploads in tmp/.
	onDisk := map[string]bool{} // hashes stored under their own name, content checked
	sent := map[string]bool{}
	for _, c := range clients {
		for sha := range c.sent {
			sent[sha] = true
		}
	}
	err := filepath.WalkDir(files, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(files, path)
		switch {
		case d.IsDir() && rel == "tmp":
			entries, err := os.ReadDir(path)
			f.TmpFiles = len(entries)
			if err != nil {
				return err
			}
			return fs.SkipDir
		case d.IsDir():
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		sha := hex.EncodeToString(sum[:])
		if d.Name() != sha || rel != filepath.Join(sha[:2], sha[2:4], sha) {
			detail(&f.CorruptFiles, "file %s holds content of SHA-256 %s", rel, sha)
			return nil
		}
		onDisk[sha] = true
		if !named[sha] {
			f.OrphanFiles++
			if !sent[sha] {
				detail(&f.UnsentFiles, "file %s was never sent by a client", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", files, err)
	}
	for id, r := range attachments {
		if !onDisk[r.sha256] {
			detail(&f.OrphanRows, "attachment %d of appeal %d: no file with SHA-256 %s", id, r.appealID, r.sha256)
		}
	}

	ackedTitles := map[string]bool{}
	ackedFiles := map[int64]bool{}
	for _, c := range clients {
		f.Retried += c.retried
		f.Replayed += c.replayed
		f.Unexpected += len(c.unexpected)
		f.Refused += c.refused
		for _, s := range c.unexpected {
			t.Logf("unexpected answer: %s", s)
		}
		for _, s := range c.duplicates {
			detail(&f.Duplicates, "%s", s)
		}
		for _, j := range c.acked {
			f.Appeals++
			ackedTitles[j.in.Title] = true
			switch a, ok := appeals[j.id]; {
			case !ok:
				detail(&f.Lost, "%s: appeal %d (%s) acknowledged, not stored", c.user, j.id, j.key)
			case a.title != j.in.Title || a.content != j.in.Content:
				detail(&f.Lost, "%s: appeal %d stored as %q / %q, acknowledged as %q / %q", c.user, j.id, a.title, a.content, j.in.Title, j.in.Content)
			}
			switch ids := keys[j.key]; {
			case len(ids) == 0:
				detail(&f.Lost, "%s: idempotency key %s of appeal %d not stored", c.user, j.key, j.id)
			case len(ids) > 1 || ids[0] != j.id:
				detail(&f.Duplicates, "%s: idempotency key %s stored for appeals %v, acknowledged %d", c.user, j.key, ids, j.id)
			}
			if n := byTitle[j.in.Title]; n > 1 {
				detail(&f.Duplicates, "%s: %d appeals titled %q", c.user, n, j.in.Title)
			}
		}
		for _, a := range c.files {
			f.Attachments++
			ackedFiles[a.id] = true
			r, ok := attachments[a.id]
			switch {
			case !ok:
				detail(&f.Lost, "%s: attachment %d of appeal %d acknowledged, no row", c.user, a.id, a.appealID)
			case r.appealID != a.appealID || r.sha256 != a.sha256:
				detail(&f.Lost, "%s: attachment %d stored as %d/%s, acknowledged as %d/%s", c.user, a.id, r.appealID, r.sha256, a.appealID, a.sha256)
			case !onDisk[a.sha256]:
				detail(&f.Lost, "%s: attachment %d acknowledged, its file %s missing", c.user, a.id, a.sha256)
			}
		}
	}
	for _, a := range appeals {
		if !ackedTitles[a.title] {
			detail(&f.UnackedAppeals, "appeal %q stored, never acknowledged", a.title)
		}
	}
	for id := range attachments {
		if !ackedFiles[id] {
			f.UnackedRows++
		}
	}
}

// crashRows calls fn with every row of the query q.
func crashRows(t *testing.T, db *sql.DB, q string, fn func(scan func(dest ...any))) {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		fn(func(dest ...any) {
			if err := rows.Scan(dest...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		})
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// log writes the figures, one a line, as RELIABILITY.md quotes them.
func (f crashFigures) log(t *testing.T, took time.Duration) {
	stat := func(ds []time.Duration) string {
		if len(ds) == 0 {
			return "-"
		}
		s := slices.Clone(ds)
		slices.Sort(s)
		return fmt.Sprintf("max %v, median %v", s[len(s)-1].Round(time.Millisecond), s[len(s)/2].Round(time.Millisecond))
	}
	t.Logf(`crash harness: %d clients, took %v
  cycles (kill -9, restart)             %d
  acknowledged appeals                  %d
  acknowledged attachments              %d
  creations in flight at a kill, retried %d (answered 200: %d; 201: %d)
  lost                                  %d
  duplicates                            %d
  orphan rows (row without its file)    %d
  orphan files (file without a row)     %d (never sent by a client: %d; content not matching its name: %d)
  partial uploads left in tmp/          %d
  appeals stored, never acknowledged    %d
  attachment rows, never acknowledged   %d
  unexpected answers                    %d
  sessions refused after a kill         %d
  PRAGMA integrity_check                %s (foreign_key_check rows: %d)
  restart to first 201                  %s
  restart to /healthz                   %s`,
		crashClients, took.Round(time.Second), f.Cycles, f.Appeals, f.Attachments, f.Retried, f.Replayed, f.Retried-f.Replayed,
		f.Lost, f.Duplicates, f.OrphanRows, f.OrphanFiles, f.UnsentFiles, f.CorruptFiles, f.TmpFiles,
		f.UnackedAppeals, f.UnackedRows, f.Unexpected, f.Refused, f.Integrity, f.ForeignKeys, stat(f.Restarts), stat(f.Ready))
}
