package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestSend(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	var got body
	var query map[string]string
	fail := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = map[string]string{"timestamp": r.URL.Query().Get("timestamp"), "sign": r.URL.Query().Get("sign")}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Error(err)
		}
		if fail {
			w.Write([]byte(`{"errcode":310000,"errmsg":"sign not match"}`))
			return
		}
		w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer srv.Close()
	h := Hook{Format: DingTalk, URL: srv.URL + "/robot/send?access_token=x", Secret: "SEC123"}
	if err := Send(context.Background(), srv.Client(), h, "新派单：旺季招工困难", now); err != nil {
		t.Fatal(err)
	}
	if got.MsgType != "text" || got.Text.Content != "新派单：旺季招工困难" {
		t.Errorf("body %+v", got)
	}
	mac := hmac.New(sha256.New, []byte("SEC123"))
	mac.Write([]byte(query["timestamp"] + "\n" + "SEC123"))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); query["sign"] != want || query["timestamp"] != "1796029200000" {
		t.Errorf("signed with %v, want sign %s", query, want)
	}
	fail = true
	if err := Send(context.Background(), srv.Client(), Hook{Format: WeCom, URL: srv.URL}, "x", now); err == nil {
		t.Error("an errcode answer was taken as delivered")
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		h  Hook
		ok bool
	}{
		{Hook{Format: DingTalk, URL: "https://oapi.dingtalk.com/robot/send?access_token=a"}, true},
		{Hook{Format: WeCom, URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}, true},
		{Hook{Format: WeCom, URL: "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}, false},
		{Hook{Format: WeCom, URL: "http://127.0.0.1:8080/hook"}, true},
		{Hook{Format: "slack", URL: "https://example.com"}, false},
		{Hook{Format: DingTalk, URL: "not a url"}, false},
	} {
		if err := c.h.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v, want ok=%v", c.h, err, c.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{30 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	for n, w := range want {
		if got := Backoff(n); got != w {
			t.Errorf("Backoff(%d) = %s, want %s", n, got, w)
		}
	}
	if Backoff(50) != time.Hour {
		t.Errorf("Backoff(50) = %s", Backoff(50))
	}
}
