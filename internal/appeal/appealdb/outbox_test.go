package appealdb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"qifu/internal/appeal"
	"qifu/internal/notify"
	"qifu/internal/store"
)

// TestOutbox registers robots for the showcase community and a department,
// runs appeals past them, and delivers with two deliverers at once through a
// robot that fails now and then: every message arrives, none twice.
func TestOutbox(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		dept := s.deptIDs(t)
		var mu sync.Mutex
		got := map[string]int{}
		var calls atomic.Int64
		robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1)%4 == 0 {
				w.Write([]byte(`{"errcode":-1,"errmsg":"system busy"}`))
				return
			}
			var b struct {
				Text struct{ Content string } `json:"text"`
			}
			json.NewDecoder(r.Body).Decode(&b)
			mu.Lock()
			got[r.URL.Path+" "+b.Text.Content]++
			mu.Unlock()
			w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
		}))
		defer robot.Close()
		admin := s.As(t, "admin")
		community := s.As(t, "community").RegionCode
		if _, err := s.AddWebhook(ctx, admin, store.Webhook{ScopeKind: "region", Scope: community,
			Hook: notify.Hook{Format: notify.WeCom, URL: robot.URL + "/community"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddWebhook(ctx, admin, store.Webhook{ScopeKind: "department", Scope: strconv.FormatInt(dept["hrss"], 10),
			Hook: notify.Hook{Format: notify.DingTalk, URL: robot.URL + "/hrss", Secret: "S"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddWebhook(ctx, admin, store.Webhook{ScopeKind: "region", Scope: community,
			Hook: notify.Hook{Format: notify.WeCom, URL: "http://example.com/hook"}}); err == nil {
			t.Error("a plain http robot URL was accepted")
		}
		const n = 6
		for i := range n {
			in := appealInput()
			in.Title = fmt.Sprintf("诉求 %d", i)
			a, _, err := s.CreateAppeal(ctx, s.As(t, "enterprise"), in, "")
			if err != nil {
				t.Fatal(err)
			}
			s.act(t, "community", a.ID, appeal.Command{Action: appeal.Accept})
			s.act(t, "community", a.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["hrss"]})
		}
		// Each appeal: one message to the community robot (new), one to the department's (dispatch).
		want := 2 * n
		for round := 0; round < 20; round++ {
			var wg sync.WaitGroup
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, _, err := s.DeliverOutbox(ctx, robot.Client(), 100); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			s.Clock.Advance(time.Hour) // past any backoff
		}
		total := 0
		for k, c := range got {
			if c != 1 {
				t.Errorf("%q delivered %d times", k, c)
			}
			total += c
		}
		if total != want {
			t.Errorf("%d messages delivered, want %d: %v", total, want, got)
		}
		hooks, err := s.Webhooks(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hooks {
			if h.Pending != 0 {
				t.Errorf("webhook %d still has %d pending", h.ID, h.Pending)
			}
		}
	})
}
