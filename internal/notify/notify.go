// Package notify delivers qifu's notices to group robots of the messaging
// platforms Chinese government offices use: DingTalk (钉钉) and WeCom
// (企业微信). It knows the formats and the signing; the store's outbox
// decides what to send and retries.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Format is a group robot's message format.
type Format string

// The formats.
const (
	DingTalk Format = "dingtalk"
	WeCom    Format = "wecom"
)

// Hook is one group robot.
type Hook struct {
	Format Format
	URL    string
	Secret string // DingTalk's signing secret ("加签"), if the robot has one
}

// Validate checks a hook before it is stored: a known format and an https
// URL of the platform (an http URL only for a loopback test server).
func (h Hook) Validate() error {
	if err := h.CheckURL(); err != nil {
		return err
	}
	if !h.Format.Valid() {
		return fmt.Errorf("unknown format %q", h.Format)
	}
	return nil
}

// Valid reports whether f is a format qifu sends.
func (f Format) Valid() bool { return f == DingTalk || f == WeCom }

// CheckURL checks the hook's URL: https (http only to a loopback test server).
func (h Hook) CheckURL() error {
	u, err := url.Parse(h.URL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("not a URL: %q", h.URL)
	}
	loopback := strings.HasPrefix(u.Host, "127.0.0.1:") || strings.HasPrefix(u.Host, "localhost:")
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback) {
		return fmt.Errorf("the webhook URL must use https")
	}
	return nil
}

// body is the JSON both platforms accept for a plain text message.
type body struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// answer is both platforms' reply: errcode 0 means delivered.
type answer struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// Send posts text to the robot. An error means it was not delivered and
// may be retried.
func Send(ctx context.Context, client *http.Client, h Hook, text string, now time.Time) error {
	var b body
	b.MsgType = "text"
	b.Text.Content = text
	payload, err := json.Marshal(b)
	if err != nil {
		return err
	}
	target := h.URL
	if h.Format == DingTalk && h.Secret != "" {
		target = SignDingTalk(h.URL, h.Secret, now)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("post: %w", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %.200s", res.StatusCode, raw)
	}
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	if a.ErrCode != 0 {
		return fmt.Errorf("errcode %d: %s", a.ErrCode, a.ErrMsg)
	}
	return nil
}

// SignDingTalk adds DingTalk's timestamp and signature to a robot URL: the
// signature is base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
func SignDingTalk(rawURL, secret string, now time.Time) string {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	sign := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	sep := "&"
	if !strings.Contains(rawURL, "?") {
		sep = "?"
	}
	return rawURL + sep + "timestamp=" + ts + "&sign=" + url.QueryEscape(sign)
}

// Backoff is how long to wait before attempt n+1 after n failed attempts:
// 30 s doubling to at most an hour.
func Backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}
