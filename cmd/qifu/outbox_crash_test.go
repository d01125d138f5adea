package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"qifu/internal/demo"
)

// TestOutboxCrash kills the real server again and again while appeals make
// group-robot messages: every message committed with its change is delivered
// at least once, and a receiver that keeps the message numbers applies each
// exactly once. Cycles: 10 in the normal run, QIFU_OUTBOX_CYCLES (e.g. 50)
// for the long one.
func TestOutboxCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the outbox crash test kills the server many times")
	}
	cycles := 10
	if v, err := strconv.Atoi(os.Getenv("QIFU_OUTBOX_CYCLES")); err == nil && v > 0 {
		cycles = v
	}
	number := regexp.MustCompile(`（#(\d+)）$`)
	var mu sync.Mutex
	received := map[int64]int{} // message number → deliveries
	robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b struct {
			Text struct{ Content string } `json:"text"`
		}
		json.NewDecoder(r.Body).Decode(&b)
		m := number.FindStringSubmatch(b.Text.Content)
		if m == nil {
			t.Errorf("a message without its number: %q", b.Text.Content)
			w.Write([]byte(`{"errcode":40001,"errmsg":"bad"}`))
			return
		}
		n, _ := strconv.ParseInt(m[1], 10, 64)
		mu.Lock()
		received[n]++
		mu.Unlock()
		w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer robot.Close()

	dir := t.TempDir()
	bin := buildQifu(t, dir)
	db := filepath.Join(dir, "q.db")
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--demo", "--demo-appeals", "0", "--outbox-every", "100ms"}
	p := startLife(t, bin, args, 0)
	admin := mustSignIn(t, p.url, "admin")
	var community string
	for _, u := range demoData().Users {
		if u.Username == "community" {
			community = u.RegionCode
		}
	}
	if st := call(t, admin, "POST", p.url+"/api/v1/webhooks", map[string]string{"scope_kind": "region", "scope": community,
		"format": "wecom", "url": robot.URL + "/cgi-bin/webhook/send?key=test"}, nil); st != http.StatusCreated {
		t.Fatalf("register the robot: %d", st)
	}
	var code string
	for _, u := range demoData().Users {
		if u.Username == "enterprise" {
			code = u.EnterpriseCode
		}
	}
	r := rand.New(rand.NewPCG(2026, 11))
	created := 0
	for cycle := 1; cycle <= cycles; cycle++ {
		ent := mustSignIn(t, p.url, "enterprise")
		for i := range 3 {
			st, _, err := send(ent, "POST", p.url+"/api/v1/appeals", map[string]any{"channel": "web", "type": "help",
				"category": "labour.recruit", "title": fmt.Sprintf("外发消息测试 %d-%d", cycle, i), "content": "每件诉求通知社区群机器人。",
				"credit_code": code, "contact": "王经理", "phone": "13805741234"}, nil)
			if err == nil && st == http.StatusCreated {
				created++
			}
		}
		// Kill at a moment between nothing delivered and all delivered.
		time.Sleep(time.Duration(r.IntN(250)) * time.Millisecond)
		p.kill(t)
		p = startLife(t, bin, args, cycle)
	}
	// The last life delivers what is left, a message claimed by a killed
	// life once its claim (30 s) runs out.
	deadline := time.Now().Add(45 * time.Second)
	var rows []int64
	for {
		rows = outboxRows(t, db)
		pending := outboxPending(t, db)
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still undelivered 45 s after the last restart", pending)
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.terminate(t)

	mu.Lock()
	defer mu.Unlock()
	missing, twice := 0, 0
	for _, id := range rows {
		switch n := received[id]; {
		case n == 0:
			missing++
		case n > 1:
			twice++
		}
	}
	t.Logf("outbox under kill -9: %d cycles, %d appeals acknowledged, %d messages committed, %d delivered, "+
		"never delivered %d (must be 0), delivered more than once %d (applied once by their number)",
		cycles, created, len(rows), len(received), missing, twice)
	if missing != 0 {
		t.Errorf("%d committed messages were never delivered", missing)
	}
	if len(rows) < created {
		t.Errorf("%d messages for %d acknowledged appeals: a committed appeal lost its message", len(rows), created)
	}
}

// mustSignIn signs a demo user in through the API of a server at url.
func mustSignIn(t *testing.T, url, username string) *http.Client {
	t.Helper()
	c := newClient(t)
	if st := call(t, c, "POST", url+"/api/v1/login", map[string]string{"username": username, "password": demo.Password}, nil); st != http.StatusOK {
		t.Fatalf("sign in as %s: %d", username, st)
	}
	return c
}

// outboxRows lists the outbox's message numbers, read from the store file.
func outboxRows(t *testing.T, db string) []int64 {
	t.Helper()
	h, err := sql.Open("sqlite", db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	rs, err := h.Query("SELECT id FROM outbox ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []int64
	for rs.Next() {
		var id int64
		rs.Scan(&id)
		out = append(out, id)
	}
	return out
}

// outboxPending counts the undelivered messages.
func outboxPending(t *testing.T, db string) int {
	t.Helper()
	h, err := sql.Open("sqlite", db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var n int
	if err := h.QueryRow("SELECT COUNT(*) FROM outbox WHERE delivered_at = 0").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
