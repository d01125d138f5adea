package main

// TestHostile is the hostile-input probe of RELIABILITY.md. It builds the
// real qifu binary, serves the demo on SQLite from a temporary directory
// with the server's own limits (serve.go: ReadHeaderTimeout 5 s,
// ReadTimeout 60 s, IdleTimeout 120 s, MaxHeaderBytes 64 KiB; --max-body
// 1 MiB, --max-upload 32 MiB; attachments at most 20 MB), and attacks it:
// slow and oversized requests, forms of many parts, thousands of idle
// connections, and files made to deceive. The server's goroutines and heap
// are read from its /metrics. It logs a table of its figures.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/demo"
)

// TestHostile: slow, oversized and many-part requests and idle connections
// are cut off within the configured limits, the server stays responsive,
// its goroutines return to their baseline, and deceptive files are refused
// or kept inert.
func TestHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("the hostile-input probe holds slow connections open for seconds")
	}
	began := time.Now()
	dir := t.TempDir()
	bin := buildQifu(t, dir)
	files := filepath.Join(dir, "files")
	p := startLife(t, bin, []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "q.db"),
		"--files", files, "--demo", "--demo-appeals", "0"}, 0)
	h := &hostile{url: p.url, addr: urlHost(t, p.url), dir: dir, files: files, watch: newClient(t)}
	h.ent = h.signIn(t, "enterprise")
	h.appeal = h.raise(t, "恶意输入测试：限额")

	t.Run("idle connections", h.idle) // first: its heap baseline holds the least garbage
	t.Run("slow headers and bodies", h.slow)
	t.Run("oversized", h.oversized)
	t.Run("multipart parts", h.parts)
	t.Run("uploads", h.uploads)
	t.Run("sign-in burst", h.signInBurst)
	t.Run("denial flood", h.denialFlood)

	if code := call(t, h.watch, "GET", h.url+"/readyz", nil, nil); code != http.StatusOK {
		t.Errorf("GET /readyz after the probes: %d; want 200", code)
	}
	p.terminate(t)
	if strings.Contains(p.stderr.String(), "panic") {
		p.logTail(t)
		t.Error("the server logged a panic")
	}
	var tab strings.Builder
	fmt.Fprintf(&tab, "hostile-input figures (%s in all):\n| probe | limit | measured |\n|---|---|---|\n", time.Since(began).Round(time.Second))
	for _, f := range h.figures {
		fmt.Fprintf(&tab, "| %s | %s | %s |\n", f[0], f[1], f[2])
	}
	t.Log(tab.String())
}

// hostile is the server under attack and what the probes found.
type hostile struct {
	url, addr  string
	dir, files string       // the test's folder; the attachments folder in it
	watch      *http.Client // reads /metrics and /healthz, signed out
	ent        *http.Client // the demo enterprise user
	appeal     int64        // the enterprise's appeal for the limit probes
	figures    [][3]string  // probe, limit, measured
}

// report keeps one row of the figures table.
func (h *hostile) report(t *testing.T, probe, limit, measured string) {
	h.figures = append(h.figures, [3]string{probe, limit, measured})
	t.Logf("%s: %s (limit: %s)", probe, measured, limit)
}

// signIn returns a client signed in as a demo user.
func (h *hostile) signIn(t *testing.T, username string) *http.Client {
	t.Helper()
	c := newClient(t)
	in := map[string]string{"username": username, "password": demo.Password}
	if code := call(t, c, "POST", h.url+"/api/v1/login", in, nil); code != http.StatusOK {
		t.Fatalf("sign in as %s: status %d; want 200", username, code)
	}
	return c
}

// raise creates an appeal of the demo enterprise as its own user.
func (h *hostile) raise(t *testing.T, title string) int64 {
	t.Helper()
	i := slices.IndexFunc(demoData().Accounts(), func(u demo.User) bool { return u.Username == "enterprise" })
	if i < 0 {
		t.Fatal("the demo has no enterprise user")
	}
	in := appeal.Input{Type: appeal.TypeHelp, Category: "labour.recruit", Title: title,
		Content: "订单增加，缺少熟练工人约 30 名，希望协助对接用工。", CreditCode: demoData().Accounts()[i].EnterpriseCode,
		Contact: "王经理", Phone: "13805741234"}
	var out struct {
		ID int64 `json:"id"`
	}
	if code := call(t, h.ent, "POST", h.url+"/api/v1/appeals", in, &out); code != http.StatusCreated || out.ID == 0 {
		t.Fatalf("raise an appeal: status %d, id %d; want 201", code, out.ID)
	}
	return out.ID
}

// procStats is what the server's /metrics says of its process.
type procStats struct {
	goroutines       int
	heap, stack, sys int64 // bytes: heap spans in use, goroutine stacks, all obtained from the system
}

// runtime reads the server's goroutines and memory from /metrics.
func (h *hostile) runtime(t *testing.T) procStats {
	t.Helper()
	code, body, err := send(h.watch, "GET", h.url+"/metrics", nil, nil)
	if err != nil || code != http.StatusOK {
		t.Fatalf("GET /metrics: %d, %v", code, err)
	}
	read := func(name string) int64 {
		m := regexp.MustCompile(`(?m)^` + name + ` (\d+)$`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("/metrics lacks %s", name)
		}
		n, _ := strconv.ParseInt(string(m[1]), 10, 64)
		return n
	}
	return procStats{goroutines: int(read("go_goroutines")), heap: read("go_memstats_heap_inuse_bytes"),
		stack: read("go_memstats_stack_inuse_bytes"), sys: read("go_memstats_sys_bytes")}
}

// latency times one request of c; it fails the test unless the answer is want.
func latency(t *testing.T, c *http.Client, method, url string, in any, want int) time.Duration {
	t.Helper()
	start := time.Now()
	code, body, err := send(c, method, url, in, nil)
	d := time.Since(start)
	if err != nil || code != want {
		t.Errorf("%s %s: %d %.200s, %v; want %d", method, url, code, body, err, want)
	}
	return d
}

// trickle writes head at once, then slow one byte every 250 ms, then
// spaces, until the server closes the connection, 15 s have passed or stop
// is closed. It returns how long the connection lived and whether the
// server closed it (silently or with an answer).
func trickle(c net.Conn, head, slow string, stop <-chan struct{}) (time.Duration, bool) {
	defer c.Close()
	start := time.Now()
	if head != "" {
		if _, err := io.WriteString(c, head); err != nil {
			return time.Since(start), true
		}
	}
	buf := make([]byte, 512)
	for i := 0; time.Since(start) < 15*time.Second; i++ {
		select {
		case <-stop:
			return time.Since(start), false
		default:
		}
		b := byte(' ')
		if i < len(slow) {
			b = slow[i]
		}
		if _, err := c.Write([]byte{b}); err != nil {
			return time.Since(start), true
		}
		c.SetReadDeadline(time.Now().Add(250 * time.Millisecond))
		n, err := c.Read(buf)
		var ne net.Error
		if n > 0 || !errors.As(err, &ne) || !ne.Timeout() {
			return time.Since(start), true
		}
	}
	return time.Since(start), false
}

// slow: 200 connections trickling a request line and headers are closed
// within ReadHeaderTimeout (5 s) plus a margin; 20 requests trickling their
// bodies are held, as ReadTimeout (60 s) allows, while other clients are
// served normally.
func (h *hostile) slow(t *testing.T) {
	const loris, bodies = 200, 20
	stop := make(chan struct{})
	lorisLife := make([]time.Duration, loris)
	lorisClosed := make([]bool, loris)
	bodyLife := make([]time.Duration, bodies)
	bodyClosed := make([]bool, bodies)
	var lorisWG, bodyWG sync.WaitGroup
	dial := func() net.Conn {
		c, err := net.Dial("tcp", h.addr)
		if err != nil {
			t.Errorf("dial: %v", err)
		}
		return c
	}
	for i := range loris {
		c := dial()
		if c == nil {
			break
		}
		lorisWG.Go(func() {
			lorisLife[i], lorisClosed[i] = trickle(c, "", "GET /healthz HTTP/1.1\r\nHost: qifu\r\nX-Slow: ", stop)
		})
	}
	head := "POST /api/v1/login HTTP/1.1\r\nHost: qifu\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
	for i := range bodies {
		c := dial()
		if c == nil {
			break
		}
		bodyWG.Go(func() { bodyLife[i], bodyClosed[i] = trickle(c, head, `{"username": `, stop) })
	}

	// Meanwhile other clients are served: a probe every 100 ms, signed out
	// and signed in, on fresh connections.
	lorisDone := make(chan struct{})
	go func() { lorisWG.Wait(); close(lorisDone) }()
	var worst time.Duration
	served := 0
	for waiting := true; waiting; {
		select {
		case <-lorisDone:
			waiting = false
		case <-time.After(100 * time.Millisecond):
		}
		h.watch.Transport.(*http.Transport).CloseIdleConnections()
		h.ent.Transport.(*http.Transport).CloseIdleConnections()
		worst = max(worst, latency(t, h.watch, "GET", h.url+"/healthz", nil, http.StatusOK),
			latency(t, h.ent, "GET", fmt.Sprintf("%s/api/v1/appeals/%d", h.url, h.appeal), nil, http.StatusOK))
		served += 2
	}
	time.Sleep(500 * time.Millisecond) // the bodies outlive ReadHeaderTimeout by a clear margin
	close(stop)
	bodyWG.Wait()

	minLife, maxLife := slices.Min(lorisLife), slices.Max(lorisLife)
	for i, closed := range lorisClosed {
		if !closed {
			t.Errorf("slow-header connection %d was not closed within %v", i, lorisLife[i].Round(time.Millisecond))
		}
	}
	if maxLife > 7*time.Second {
		t.Errorf("slow-header connections lived up to %v; want ≤ 7 s (ReadHeaderTimeout 5 s)", maxLife.Round(time.Millisecond))
	}
	if minLife < 4500*time.Millisecond {
		t.Errorf("a slow-header connection was closed after %v, before ReadHeaderTimeout (5 s): closed for another reason?", minLife)
	}
	for i, closed := range bodyClosed {
		if closed {
			t.Errorf("slow-body request %d was cut after %v, before ReadTimeout (60 s)", i, bodyLife[i].Round(time.Millisecond))
		}
	}
	if worst > answerWithin {
		t.Errorf("while the slow clients were connected, a normal request took %v; want an answer within %v", worst, answerWithin)
	}
	h.report(t, fmt.Sprintf("slow headers: %d connections sending a request line and headers 1 byte / 250 ms", loris),
		"ReadHeaderTimeout 5 s; closed within 7 s",
		fmt.Sprintf("all closed by the server, after %.2f–%.2f s", minLife.Seconds(), maxLife.Seconds()))
	h.report(t, fmt.Sprintf("slow bodies: %d logins whose JSON body trickles 1 byte / 250 ms", bodies),
		"ReadTimeout 60 s (not waited for: longer than the probe)",
		fmt.Sprintf("held open %.1f s, past ReadHeaderTimeout, as configured", slices.Min(bodyLife).Seconds()))
	h.report(t, "normal requests during both (GET /healthz, GET an appeal signed in; new connection each)",
		fmt.Sprintf("answered (≤ %v)", answerWithin), fmt.Sprintf("%d served, slowest %d ms", served, worst.Milliseconds()))
}

// answerWithin bounds a normal request made while the server is under
// attack. It is a liveness bound, not a speed goal: a server starved by the
// attack would not answer at all, while on a busy shared machine a sign-in
// (argon2id) alone can take over a second. The times are reported.
const answerWithin = 10 * time.Second

// apiError is the JSON shape of every API error.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// wantError checks an answer is status with the API error shape and code.
func wantError(t *testing.T, what string, code int, body []byte, err error, status int, errCode string) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	var e apiError
	if code != status || json.Unmarshal(body, &e) != nil || e.Error.Code != errCode || e.Error.Message == "" {
		t.Errorf("%s: %d %.300s; want %d with error code %q and a message", what, code, body, status, errCode)
	}
}

// post sends body as c with a content type; a body of unknown length goes chunked.
func post(c *http.Client, url, contentType string, body io.Reader) (int, []byte, error) {
	req, err := http.NewRequest("POST", url, body)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// chunked hides the length of b, so that it is sent without Content-Length.
func chunked(b []byte) io.Reader { return io.MultiReader(bytes.NewReader(b)) }

// rawStatus sends a request as bytes on a new connection and returns the
// status of the answer.
func (h *hostile) rawStatus(t *testing.T, request string) int {
	t.Helper()
	c, err := net.Dial("tcp", h.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	go io.WriteString(c, request) // the server may answer before it has read everything
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("read the answer: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// stored returns the files of the attachments folder: the SHA-256 names of
// the stored files, and the names left in tmp/. Any other file fails the test.
func (h *hostile) stored(t *testing.T) (blobs map[string]bool, tmp []string) {
	t.Helper()
	blobs = map[string]bool{}
	blob := regexp.MustCompile(`^([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$`)
	err := filepath.WalkDir(h.files, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(h.files, path)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "tmp/") {
			tmp = append(tmp, rel)
			return nil
		}
		m := blob.FindStringSubmatch(rel)
		if m == nil || m[1] != m[3][:2] || m[2] != m[3][2:4] {
			t.Errorf("attachments folder holds %q: not a name made of its SHA-256", rel)
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != m[3] {
			t.Errorf("stored file %s does not hash to its name", rel)
		}
		blobs[m[3]] = true
		return nil
	})
	if err != nil {
		t.Fatalf("walk the attachments folder: %v", err)
	}
	return blobs, tmp
}

// attachments lists an appeal's attachments as its enterprise user sees them.
func (h *hostile) attachments(t *testing.T, appealID int64) []attachmentInfo {
	t.Helper()
	var v struct {
		Attachments []attachmentInfo `json:"attachments"`
	}
	if code := call(t, h.ent, "GET", fmt.Sprintf("%s/api/v1/appeals/%d", h.url, appealID), nil, &v); code != http.StatusOK {
		t.Fatalf("GET appeal %d: %d", appealID, code)
	}
	return v.Attachments
}

// attachmentInfo is an attachment in the API.
type attachmentInfo struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	MIME string `json:"mime"`
	Size int64  `json:"size"`
	URL  string `json:"url"`
}

// oversized: a header over MaxHeaderBytes gets 431, a JSON body over
// --max-body and an upload over --max-upload or the 20 MB attachment limit
// get 413 with the API's error shape, and nothing of them is stored.
func (h *hostile) oversized(t *testing.T) {
	// Go's server reads MaxHeaderBytes plus 4 KiB of slack before refusing.
	header := func(n int) string {
		return "GET /healthz HTTP/1.1\r\nHost: qifu\r\nX-Big: " + strings.Repeat("a", n) + "\r\nConnection: close\r\n\r\n"
	}
	if code := h.rawStatus(t, header(60<<10)); code != http.StatusOK {
		t.Errorf("a 60 KiB header: %d; want 200", code)
	}
	if code := h.rawStatus(t, header(72<<10)); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 72 KiB header: %d; want 431", code)
	}
	if code := h.rawStatus(t, header(4<<20)); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 4 MiB header: %d; want 431", code)
	}
	h.report(t, "oversized header", "MaxHeaderBytes 64 KiB (Go adds 4 KiB of slack)", "60 KiB: 200; 72 KiB and 4 MiB: 431")

	big := func(n int) []byte { // a JSON object of exactly n bytes
		return []byte(`{"title":"` + strings.Repeat("长", (n-12)/3) + strings.Repeat("a", (n-12)%3) + `"}`)
	}
	at, over := big(1<<20), big(1<<20+1)
	if len(at) != 1<<20 || len(over) != 1<<20+1 {
		t.Fatalf("test bodies of %d and %d bytes", len(at), len(over))
	}
	code, body, err := post(h.ent, h.url+"/api/v1/appeals", "application/json", bytes.NewReader(at))
	if err != nil || code != http.StatusUnprocessableEntity {
		t.Errorf("a JSON body of exactly --max-body: %d %.200s, %v; want 422 (read whole, then invalid)", code, body, err)
	}
	code, body, err = post(h.ent, h.url+"/api/v1/appeals", "application/json", bytes.NewReader(over))
	wantError(t, "a JSON body of --max-body + 1 with Content-Length", code, body, err, http.StatusRequestEntityTooLarge, "too_large")
	code, body, err = post(h.ent, h.url+"/api/v1/appeals", "application/json", chunked(over))
	wantError(t, "a chunked JSON body of --max-body + 1", code, body, err, http.StatusRequestEntityTooLarge, "too_large")
	code, body, err = post(h.ent, h.url+"/api/v1/appeals", "application/json", chunked(big(64<<20)))
	wantError(t, "a chunked JSON body of 64 MiB", code, body, err, http.StatusRequestEntityTooLarge, "too_large")
	h.report(t, "oversized JSON body (POST /api/v1/appeals)", "--max-body 1 MiB",
		"1 MiB: read, 422; 1 MiB + 1 (declared or chunked) and 64 MiB chunked: 413 {\"error\":{\"code\":\"too_large\"}}")

	before, _ := h.stored(t)
	files := len(h.attachments(t, h.appeal))
	sendPNG := func(name string, size int, send func([]byte) io.Reader) (int, []byte, error) {
		data := make([]byte, size)
		copy(data, "\x89PNG\r\n\x1a\n")
		rand.Read(data[8:])
		f := newForm()
		f.file(name, data)
		return post(h.ent, fmt.Sprintf("%s/api/v1/appeals/%d/attachments", h.url, h.appeal), f.contentType(), send(f.close()))
	}
	code, body, err = sendPNG("大图.png", 20<<20+1, chunked)
	wantError(t, "an attachment of 20 MiB + 1", code, body, err, http.StatusRequestEntityTooLarge, "file_too_large")
	code, body, err = sendPNG("大图.png", 33<<20, chunked) // the file's limit comes first
	wantError(t, "a chunked upload of 33 MiB", code, body, err, http.StatusRequestEntityTooLarge, "file_too_large")
	code, body, err = sendPNG("大图.png", 33<<20, func(b []byte) io.Reader { return bytes.NewReader(b) })
	wantError(t, "an upload declaring 33 MiB", code, body, err, http.StatusRequestEntityTooLarge, "too_large")
	after, tmp := h.stored(t)
	if len(after) != len(before) || len(tmp) > 0 {
		t.Errorf("refused uploads left files: %d stored before, %d after; tmp/ holds %v", len(before), len(after), tmp)
	}
	if n := len(h.attachments(t, h.appeal)); n != files {
		t.Errorf("refused uploads added %d attachments to the appeal", n-files)
	}
	h.report(t, "oversized attachment", "20 MB per file (attach.MaxSize); --max-upload 32 MiB per request",
		"20 MiB + 1 and 33 MiB chunked: 413 file_too_large; 33 MiB declared: 413 too_large before reading; nothing stored, tmp/ empty")
}

// form is a multipart body written by hand, so that a part's headers can
// hold what multipart.Writer would escape.
type form struct {
	bytes.Buffer
	boundary string
}

func newForm() *form { return &form{boundary: "hostile" + rand.Text()} }

// part adds a part with a Content-Disposition and a body.
func (f *form) part(disposition string, body []byte) {
	fmt.Fprintf(f, "--%s\r\nContent-Disposition: %s\r\n\r\n", f.boundary, disposition)
	f.Write(body)
	f.WriteString("\r\n")
}

// file adds the part "file" with a quoted file name, as browsers send it.
func (f *form) file(name string, body []byte) {
	f.part(`form-data; name="file"; filename="`+name+`"`, body)
}

// fields adds n small fields.
func (f *form) fields(n int) {
	for i := range n {
		f.part(fmt.Sprintf(`form-data; name="f%d"`, i), []byte("x"))
	}
}

// close ends the form and returns it.
func (f *form) close() []byte {
	fmt.Fprintf(f, "--%s--\r\n", f.boundary)
	return f.Bytes()
}

func (f *form) contentType() string { return "multipart/form-data; boundary=" + f.boundary }

// randomPNG is a small file with a PNG signature and random bytes, different every time.
func randomPNG() []byte {
	b := make([]byte, 600)
	copy(b, "\x89PNG\r\n\x1a\n")
	rand.Read(b[8:])
	return b
}

// maxFormParts is how many parts the upload forms read (web.maxParts).
const maxFormParts = 10

// parts: a form of thousands of parts is refused on the attachment upload
// and the import, and a malformed form is a 4xx, never a 500.
func (h *hostile) parts(t *testing.T) {
	const many = 10_000
	admin := h.signIn(t, "admin")
	attachURL := fmt.Sprintf("%s/api/v1/appeals/%d/attachments", h.url, h.appeal)
	importURL := h.url + "/api/v1/enterprises/import"
	book := workbook(t, nil) // the headers only: a valid, empty import
	before, _ := h.stored(t)
	files := len(h.attachments(t, h.appeal))

	cases := []struct {
		what, url string
		c         *http.Client
		form      func(f *form)
		cut       bool // sent without the closing boundary
		status    int
		code      string
	}{
		{"attachment: 10,000 fields, then the file", attachURL, h.ent,
			func(f *form) { f.fields(many); f.file("a.png", randomPNG()) }, false, http.StatusUnprocessableEntity, "too_many_parts"},
		{"attachment: one part with 20,000 header lines", attachURL, h.ent, func(f *form) {
			fmt.Fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n", f.boundary)
			for i := range 20_000 {
				fmt.Fprintf(f, "X-H%d: x\r\n", i)
			}
			f.WriteString("\r\n")
			f.Write(randomPNG())
			f.WriteString("\r\n")
		}, false, http.StatusUnprocessableEntity, "bad_upload"},
		{"attachment: cut off inside the file", attachURL, h.ent,
			func(f *form) { f.file("a.png", randomPNG()) }, true, http.StatusUnprocessableEntity, "bad_upload"},
		{"import: 10,000 fields, then the workbook", importURL, admin,
			func(f *form) { f.fields(many); f.file("企业.xlsx", book) }, false, http.StatusUnprocessableEntity, "too_many_parts"},
		{"import: the workbook, then 10,000 fields and strict=1", importURL, admin, func(f *form) {
			f.file("企业.xlsx", book)
			f.fields(many)
			f.part(`form-data; name="strict"`, []byte("1"))
		}, false, http.StatusUnprocessableEntity, "too_many_parts"},
		{"import: cut off inside the workbook", importURL, admin,
			func(f *form) { f.file("企业.xlsx", book) }, true, http.StatusUnprocessableEntity, "bad_upload"},
	}
	var results []string
	for _, tc := range cases {
		f := newForm()
		tc.form(f)
		body := f.Bytes()
		if !tc.cut {
			body = f.close()
		}
		start := time.Now()
		code, answer, err := post(tc.c, tc.url, f.contentType(), bytes.NewReader(body))
		took := time.Since(start)
		wantError(t, tc.what, code, answer, err, tc.status, tc.code)
		results = append(results, fmt.Sprintf("%s: %d %s in %d ms", tc.what, code, tc.code, took.Milliseconds()))
	}
	after, tmp := h.stored(t)
	if len(after) != len(before) || len(tmp) > 0 {
		t.Errorf("refused forms left files: %d stored before, %d after; tmp/ holds %v", len(before), len(after), tmp)
	}
	if n := len(h.attachments(t, h.appeal)); n != files {
		t.Errorf("refused forms added %d attachments to the appeal", n-files)
	}

	// Ten parts are still read.
	f := newForm()
	f.fields(maxFormParts - 1)
	f.file("a.png", randomPNG())
	if code, answer, err := post(h.ent, attachURL, f.contentType(), bytes.NewReader(f.close())); err != nil || code != http.StatusCreated {
		t.Errorf("attachment: 9 fields, then the file: %d %.300s, %v; want 201", code, answer, err)
	}
	f = newForm()
	f.fields(maxFormParts - 2)
	f.part(`form-data; name="strict"`, []byte("1"))
	f.file("企业.xlsx", book)
	if code, answer, err := post(admin, importURL, f.contentType(), bytes.NewReader(f.close())); err != nil || code != http.StatusOK {
		t.Errorf("import: 8 fields, strict=1, then the workbook: %d %.300s, %v; want 200", code, answer, err)
	}
	h.report(t, "forms of many parts, and malformed forms", fmt.Sprintf("%d parts per upload form; 4xx for a form that cannot be read", maxFormParts),
		strings.Join(results, "; ")+"; nothing stored; forms of 10 parts: 201 and 200")
}

// idle: 2,000 keep-alive connections left idle after one request each do
// not slow a normal request; once they close, the server's goroutines come
// back to their baseline.
func (h *hostile) idle(t *testing.T) {
	const conns = 2000
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatal(err)
	}
	if need := uint64(conns + 500); rl.Cur < need { // the server, a Go program too, raises its own to the hard limit
		rl.Cur = min(rl.Max, need)
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur < need {
			t.Skipf("open files limited to %d (hard %d); %d connections need %d: %v", rl.Cur, rl.Max, conns, need, err)
		}
	}

	// The baseline, once the connections of earlier requests are gone. Sign-ins
	// are kept out of the heap figures: each allocates 64 MiB for argon2id.
	closeIdle := func(cs ...*http.Client) {
		for _, c := range cs {
			c.Transport.(*http.Transport).CloseIdleConnections()
		}
	}
	closeIdle(h.watch, h.ent)
	base := h.runtime(t)
	for range 50 {
		time.Sleep(100 * time.Millisecond)
		closeIdle(h.watch, h.ent)
		next := h.runtime(t)
		if next.goroutines == base.goroutines {
			break
		}
		base = next
	}

	open := make([]net.Conn, conns)
	var wg sync.WaitGroup
	var failed sync.Map
	start := time.Now()
	for i := range conns {
		wg.Go(func() {
			c, err := net.Dial("tcp", h.addr)
			if err != nil {
				failed.Store(i, err)
				return
			}
			open[i] = c
			c.SetDeadline(time.Now().Add(20 * time.Second))
			if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: qifu\r\n\r\n"); err != nil {
				failed.Store(i, err)
				return
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				failed.Store(i, err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Close {
				failed.Store(i, fmt.Errorf("status %d, close %v", resp.StatusCode, resp.Close))
			}
		})
	}
	wg.Wait()
	opened := time.Since(start)
	failed.Range(func(k, v any) bool { t.Errorf("idle connection %v: %v", k, v); return false })
	defer func() {
		for _, c := range open {
			if c != nil {
				c.Close()
			}
		}
	}()

	peak := h.runtime(t)
	for range 5 {
		time.Sleep(50 * time.Millisecond)
		s := h.runtime(t)
		peak = procStats{max(peak.goroutines, s.goroutines), max(peak.heap, s.heap), max(peak.stack, s.stack), max(peak.sys, s.sys)}
	}
	// A few of the baseline's goroutines are passing (a request, a job).
	if peak.goroutines < base.goroutines+conns-5 {
		t.Errorf("with %d idle connections the server has %d goroutines, baseline %d: were they open?", conns, peak.goroutines, base.goroutines)
	}
	perConn := (peak.heap - base.heap) / conns
	if perConn > 64<<10 {
		t.Errorf("heap in use grew by %d bytes per idle connection; want ≤ 64 KiB", perConn)
	}

	signInStart := time.Now()
	fresh := h.signIn(t, "grid") // a new connection, a password check and a session write
	worst := max(time.Since(signInStart), latency(t, fresh, "GET", h.url+"/api/v1/me", nil, http.StatusOK),
		latency(t, h.ent, "GET", fmt.Sprintf("%s/api/v1/appeals/%d", h.url, h.appeal), nil, http.StatusOK),
		latency(t, h.watch, "GET", h.url+"/healthz", nil, http.StatusOK))
	if worst > answerWithin {
		t.Errorf("with %d idle connections a normal request took %v; want an answer within %v", conns, worst, answerWithin)
	}

	for i, c := range open {
		if c != nil {
			c.Close()
			open[i] = nil
		}
	}
	closed := time.Now()
	var end procStats
	for {
		closeIdle(h.watch, h.ent, fresh)
		end = h.runtime(t)
		if end.goroutines <= base.goroutines+5 || time.Since(closed) > 10*time.Second {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	back := time.Since(closed)
	if end.goroutines > base.goroutines+5 {
		t.Errorf("10 s after the idle connections closed the server has %d goroutines; baseline %d, want ≤ baseline + 5",
			end.goroutines, base.goroutines)
	}
	h.report(t, fmt.Sprintf("%d idle keep-alive connections (one GET /healthz each, then silent)", conns),
		fmt.Sprintf("IdleTimeout 120 s; normal requests answered (≤ %v); goroutines back to baseline + 5; heap ≤ 64 KiB per connection", answerWithin),
		fmt.Sprintf("opened in %.2f s; slowest normal request %d ms (a sign-in); goroutines %d → %d → %d, back %d ms after the close; "+
			"heap in use %.1f → %.1f MiB (peak), %.1f KiB per connection, goroutine stacks %.1f → %.1f MiB; memory from the system %.0f → %.0f MiB (peak)",
			opened.Seconds(), worst.Milliseconds(), base.goroutines, peak.goroutines, end.goroutines, back.Milliseconds(),
			mib(base.heap), mib(peak.heap), float64(peak.heap-base.heap)/conns/1024, mib(base.stack), mib(peak.stack),
			mib(base.sys), mib(peak.sys)))
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// pngChunk is one chunk of a PNG file.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// pngWith is a PNG header of the given dimensions, then the extra chunks.
func pngWith(width, height uint32, extra ...[]byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, width)
	ihdr = binary.BigEndian.AppendUint32(ihdr, height)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	b := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	for _, c := range extra {
		b = append(b, c...)
	}
	return append(b, pngChunk("IEND", nil)...)
}

// zipBomb is a .docx-shaped zip whose one entry unpacks to 1 GiB of zeros.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for range 1024 {
		w.Write(zeros)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// uploads: files made to deceive, through the real API as the enterprise
// user on its own appeal. Refused ones leave nothing; accepted ones are
// stored under their SHA-256, named without paths or control characters,
// and downloaded as attachments that no browser may sniff.
func (h *hostile) uploads(t *testing.T) {
	id := h.raise(t, "恶意输入测试：上传")
	attachURL := fmt.Sprintf("%s/api/v1/appeals/%d/attachments", h.url, id)
	polyglotPNG := pngWith(1, 1, pngChunk("tEXt", []byte("Comment\x00%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction"+
		"<</S/JavaScript/JS(app.alert(1))>>>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF")))
	pdfHTML := []byte("%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n")
	pdfBat := []byte("%PDF-1.4\r\n@echo off\r\ncalc.exe\r\n%%EOF\r\n")
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), make([]byte, 500)...)
	copy(exe[0x80:], "PE\x00\x00")
	bomb := zipBomb(t)
	huge := pngWith(100_000, 100_000, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}))

	type hostileFile struct {
		what     string
		name     string // as the quoted filename parameter, or after filename*=
		star     bool   // sent as filename*=UTF-8''… (RFC 5987)
		data     []byte
		status   int
		code     string // of a refusal
		mime     string // of an acceptance
		wantName string
	}
	cases := []hostileFile{
		{what: "executable renamed .pdf", name: "发票.pdf", data: exe, status: 422, code: "file_type"},
		{what: "HTML", name: "通知.html", data: []byte("<!doctype html><script>alert(document.cookie)</script>"), status: 422, code: "file_type"},
		{what: "SVG with script", name: "logo.svg", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>`),
			status: 422, code: "file_type"},
		{what: "SVG with script renamed .png", name: "logo.png", data: []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
			status: 422, code: "file_type"},
		{what: "plain zip", name: "资料.zip", data: bomb, status: 422, code: "file_type"},
		{what: "PNG/PDF polyglot named .pdf", name: "扫描件.pdf", data: polyglotPNG, status: 201, mime: "image/png", wantName: "扫描件.pdf.png"},
		{what: "PDF/HTML polyglot named .html", name: "通知.html", data: pdfHTML, status: 201, mime: "application/pdf", wantName: "通知.html.pdf"},
		{what: "PDF/batch polyglot named .bat", name: "报告.bat", data: pdfBat, status: 201, mime: "application/pdf", wantName: "报告.bat.pdf"},
		{what: "zip bomb named .docx (1 GiB of zeros inside)", name: "说明.docx", data: bomb, status: 413, code: "file_unpacks_too_large"},
		{what: "PNG header claiming 100000×100000", name: "巨图.png", data: huge, status: 201, mime: "image/png", wantName: "巨图.png"},
		{what: "path traversal", name: "../../../../etc/cron.d/evil.png", data: randomPNG(), status: 201, mime: "image/png", wantName: "evil.png"},
		{what: "Windows path traversal", name: `..\..\..\Windows\evil2.png`, data: randomPNG(), status: 201, mime: "image/png", wantName: "evil2.png"},
		{what: "encoded path traversal", name: "..%2F..%2Fevil3.png", star: true, data: randomPNG(), status: 201, mime: "image/png", wantName: "evil3.png"},
		{what: "NUL in the name", name: "nul%00byte.png", star: true, data: randomPNG(), status: 201, mime: "image/png", wantName: "nulbyte.png"},
		{what: "control characters in the name", name: "ctl\x01\x1b[31m\x7fred.png", data: randomPNG(), status: 422, code: "bad_upload"},
		{what: "encoded control characters in the name", name: "ctl%01%1B%5B31m%7F%09red.png", star: true, data: randomPNG(), status: 201,
			mime: "image/png", wantName: "ctl[31mred.png"},
		{what: "tab in the name", name: "a\tb.png", data: randomPNG(), status: 201, mime: "image/png", wantName: "ab.png"},
		{what: "right-to-left override in the name", name: "invoice\u202egnp.exe", data: randomPNG(), status: 201, mime: "image/png", wantName: "invoicegnp.exe.png"},
		{what: "300-character name", name: strings.Repeat("长", 296) + ".png", data: randomPNG(), status: 201, mime: "image/png",
			wantName: strings.Repeat("长", 96) + ".png"},
	}

	before, _ := h.stored(t)
	heapBefore := h.runtime(t).heap
	var accepted, refused []string
	for _, tc := range cases {
		f := newForm()
		if tc.star {
			f.part(`form-data; name="file"; filename*=UTF-8''`+tc.name, tc.data)
		} else {
			f.file(tc.name, tc.data)
		}
		var got attachmentInfo
		start := time.Now()
		code, body, err := post(h.ent, attachURL, f.contentType(), bytes.NewReader(f.close()))
		took := time.Since(start)
		if tc.status != http.StatusCreated {
			wantError(t, tc.what, code, body, err, tc.status, tc.code)
			refused = append(refused, fmt.Sprintf("%s: %d", tc.what, code))
			continue
		}
		if err != nil || code != http.StatusCreated || json.Unmarshal(body, &got) != nil {
			t.Errorf("%s: %d %.300s, %v; want 201", tc.what, code, body, err)
			continue
		}
		if got.MIME != tc.mime || got.Name != tc.wantName || got.Size != int64(len(tc.data)) {
			t.Errorf("%s: stored as %q, %s, %d bytes; want %q, %s, %d bytes", tc.what, got.Name, got.MIME, got.Size,
				tc.wantName, tc.mime, len(tc.data))
		}
		accepted = append(accepted, fmt.Sprintf("%s: stored as %s named %q (%d ms)", tc.what, got.MIME, got.Name, took.Milliseconds()))

		// The download: the same bytes, as an attachment of the detected type, never sniffed.
		req, _ := http.NewRequest("GET", h.url+got.URL, nil)
		resp, err := h.ent.Do(req)
		if err != nil {
			t.Fatalf("download %s: %v", tc.what, err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		hd := resp.Header
		if err != nil || resp.StatusCode != http.StatusOK || !bytes.Equal(data, tc.data) {
			t.Errorf("download %s: %d, %d bytes, %v; want 200 and the bytes sent", tc.what, resp.StatusCode, len(data), err)
		}
		if hd.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(hd.Get("Content-Disposition"), "attachment;") ||
			hd.Get("Content-Type") != tc.mime || !strings.Contains(hd.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("download %s: X-Content-Type-Options %q, Content-Disposition %q, Content-Type %q, CSP %q; want nosniff, attachment, %s, default-src 'none'",
				tc.what, hd.Get("X-Content-Type-Options"), hd.Get("Content-Disposition"), hd.Get("Content-Type"),
				hd.Get("Content-Security-Policy"), tc.mime)
		}
	}
	heapAfter := h.runtime(t).heap
	if grew := heapAfter - heapBefore; grew > 64<<20 {
		t.Errorf("heap in use grew by %.0f MiB over the uploads: was the zip bomb or the huge image unpacked?", mib(grew))
	}
	if code := call(t, h.watch, "GET", h.url+"/healthz", nil, nil); code != http.StatusOK {
		t.Errorf("GET /healthz after the uploads: %d", code)
	}

	// Everything kept is under its SHA-256 in the attachments folder; nothing
	// escaped it under a name that was sent.
	after, tmp := h.stored(t)
	if len(tmp) > 0 {
		t.Errorf("tmp/ holds %v after the uploads", tmp)
	}
	for _, tc := range cases {
		sum := sha256.Sum256(tc.data)
		if got := after[hex.EncodeToString(sum[:])] && !before[hex.EncodeToString(sum[:])]; got != (tc.status == http.StatusCreated) {
			t.Errorf("%s: stored %v; want %v", tc.what, got, tc.status == http.StatusCreated)
		}
	}
	for _, dir := range []string{h.dir, filepath.Dir(h.dir), "/etc/cron.d", os.TempDir()} {
		for _, name := range []string{"evil.png", "evil2.png", "evil3.png"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				t.Errorf("an upload escaped to %s", filepath.Join(dir, name))
			}
		}
	}
	if n := len(h.attachments(t, id)); n != len(accepted) {
		t.Errorf("the appeal lists %d attachments; want the %d accepted", n, len(accepted))
	}
	h.report(t, "hostile uploads refused", "images, PDF and Office files only, checked on content",
		strings.Join(refused, "; ")+"; nothing stored")
	h.report(t, "hostile uploads accepted", "stored under SHA-256; served as attachment, nosniff, detected type",
		strings.Join(accepted, "; ")+fmt.Sprintf("; heap in use %+.1f MiB over all uploads", mib(heapAfter-heapBefore)))
}

// signInBurst sends 64 sign-ins of unknown users at once: password hashing
// (argon2id, 64 MiB each) runs in a bounded number of slots, so the heap
// stays bounded and every attempt gets its answer.
func (h *hostile) signInBurst(t *testing.T) {
	const n = 64
	base := h.runtime(t)
	var wg sync.WaitGroup
	var peak atomic.Int64
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				if st := h.runtime(t); st.heap > peak.Load() {
					peak.Store(st.heap)
				}
			}
		}
	}()
	began := time.Now()
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(t)
			code, _, err := send(c, "POST", h.url+"/api/v1/login", map[string]string{"username": fmt.Sprintf("nobody%d", i), "password": "Wrong@2026x"}, nil)
			if err != nil {
				t.Errorf("sign-in %d: %v", i, err)
			}
			codes[i] = code
		}()
	}
	wg.Wait()
	took := time.Since(began)
	close(stop)
	// Each attempt is refused as a wrong sign-in, or, when it waited its
	// whole turn for a hashing slot on a busy machine, as busy (503): both
	// are answers; nothing is left hanging and memory stays bounded.
	busy := 0
	for i, c := range codes {
		switch c {
		case http.StatusUnauthorized:
		case http.StatusServiceUnavailable:
			busy++
		default:
			t.Errorf("sign-in %d: %d; want 401 (or 503 when busy)", i, c)
		}
	}
	grew := peak.Load() - base.heap
	h.report(t, "64 sign-ins of unknown users at once (argon2id, 64 MiB each)", "heap growth ≤ 512 MiB; every attempt answered",
		fmt.Sprintf("heap in use %.0f MiB → peak %.0f MiB (+%.0f MiB); all 64 answered in %.1f s (%d of them 503 busy)",
			mib(base.heap), mib(peak.Load()), mib(grew), took.Seconds(), busy))
	if grew > 512<<20 {
		t.Errorf("a sign-in burst grew the heap by %.0f MiB", mib(grew))
	}
}

// denialFlood sends 500 forbidden requests as one user as fast as it can:
// the audit log takes the first 30 refusals one by one and one entry that
// the user is throttled, the rest answer 429 with a Retry-After, and
// another user is not affected.
func (h *hostile) denialFlood(t *testing.T) {
	const n = 500
	auditor := h.signIn(t, "auditor")
	count := func(action string) int {
		var out struct {
			Total int `json:"total"`
		}
		if code := call(t, auditor, "GET", h.url+"/api/v1/audit?action="+action, nil, &out); code != http.StatusOK {
			t.Fatalf("audit log: %d", code)
		}
		return out.Total
	}
	deniedBefore, throttledBefore := count("denied"), count("denied.throttled")
	began := time.Now()
	codes := map[int]int{}
	retry := ""
	for range n {
		req, _ := http.NewRequest("GET", h.url+"/api/v1/audit", nil)
		res, err := h.ent.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		codes[res.StatusCode]++
		if res.StatusCode == http.StatusTooManyRequests && retry == "" {
			retry = res.Header.Get("Retry-After")
		}
	}
	took := time.Since(began)
	// denied.throttled is counted by the prefix "denied" too.
	recorded := count("denied") - deniedBefore
	throttled := count("denied.throttled") - throttledBefore
	if codes[http.StatusForbidden] != 30 || codes[http.StatusTooManyRequests] != n-30 || retry == "" {
		t.Errorf("answers %v, Retry-After %q; want 30 × 403 then 429 with Retry-After", codes, retry)
	}
	if recorded != 31 || throttled != 1 {
		t.Errorf("audit entries: %d denials (throttled %d); want 31 (30 + 1 throttled)", recorded, throttled)
	}
	other := h.signIn(t, "community")
	if code := call(t, other, "GET", h.url+"/api/v1/audit", nil, nil); code != http.StatusForbidden {
		t.Errorf("another user during the flood: %d; want 403", code)
	}
	h.report(t, fmt.Sprintf("%d forbidden requests of one user in a row (`GET /api/v1/audit` as the enterprise)", n),
		"30 refusals a minute recorded one by one (`--denial-budget`), then 429",
		fmt.Sprintf("%d × 403, %d × 429 (Retry-After %s s) in %.1f s; audit entries written: %d (30 denials + 1 throttled); another user still answered 403, not 429",
			codes[http.StatusForbidden], codes[http.StatusTooManyRequests], retry, took.Seconds(), recorded))
}
