package store

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/notify"
)

// Webhook is a group robot of a community (or any region) or a department.
type Webhook struct {
	ID        int64
	ScopeKind string // "region" or "department"
	Scope     string // region code, or department ID
	notify.Hook
	Enabled bool
	Pending int // messages not yet delivered
	Failing string
}

// AddWebhook registers a group robot for a region or a department.
func (s *Store) AddWebhook(ctx context.Context, actor access.Actor, w Webhook) (Webhook, error) {
	if !access.May(actor.Role, access.AppealConfigure) {
		return w, access.ErrForbidden
	}
	f := fault.Fields{}
	if !w.Hook.Format.Valid() {
		f.Add("format", "请选择机器人类型：dingtalk（钉钉）或 wecom（企业微信）", "choose the robot's kind: dingtalk or wecom")
	}
	if err := w.Hook.CheckURL(); err != nil {
		f.Add("url", "请填写钉钉或企业微信群机器人的 https 地址", "enter the https address of a DingTalk or WeCom group robot")
	}
	switch w.ScopeKind {
	case "region":
		var n int
		if err := Scan(s.Reader().Row(ctx, "SELECT COUNT(*) FROM regions WHERE code = ?", w.Scope), &n); err != nil {
			return w, err
		}
		if n == 0 {
			f.Add("scope", "区域代码不存在", "no such region")
		}
	case "department":
		var n int
		id, _ := strconv.ParseInt(w.Scope, 10, 64)
		if err := Scan(s.Reader().Row(ctx, "SELECT COUNT(*) FROM departments WHERE id = ?", id), &n); err != nil {
			return w, err
		}
		if n == 0 {
			f.Add("scope", "部门不存在", "no such department")
		}
	default:
		f.Add("scope_kind", "请选择社区（区域）或部门", "choose a region or a department")
	}
	if err := f.Err(); err != nil {
		return w, err
	}
	w.Enabled = true
	err := s.WithTx(ctx, func(tx *Tx) error {
		if err := Scan(tx.DB().Row(ctx, `INSERT INTO webhooks (scope_kind, scope, format, url, secret, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, w.ScopeKind, w.Scope, string(w.Format), w.URL, w.Secret, s.now().UnixMilli()), &w.ID); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "webhook.add", fmt.Sprintf("webhook/%d", w.ID), "ok",
			map[string]string{"scope": w.ScopeKind + ":" + w.Scope, "format": string(w.Format)})
	})
	return w, err
}

// Webhooks lists the group robots with their undelivered messages.
func (s *Store) Webhooks(ctx context.Context, actor access.Actor) ([]Webhook, error) {
	if !access.May(actor.Role, access.AppealConfigure) {
		return nil, access.ErrForbidden
	}
	rows, err := s.Reader().Query(ctx, `SELECT w.id, w.scope_kind, w.scope, w.format, w.url, w.enabled,
		(SELECT COUNT(*) FROM outbox o WHERE o.webhook_id = w.id AND o.delivered_at = 0),
		COALESCE((SELECT MAX(o.last_error) FROM outbox o WHERE o.webhook_id = w.id AND o.delivered_at = 0), '')
		FROM webhooks w ORDER BY w.id`)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	defer rows.Close()
	var out []Webhook
	for rows.Next() {
		var w Webhook
		if err := rows.Scan(&w.ID, &w.ScopeKind, &w.Scope, &w.Format, &w.URL, &w.Enabled, &w.Pending, &w.Failing); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// DeleteWebhook removes a group robot and its undelivered messages.
func (s *Store) DeleteWebhook(ctx context.Context, actor access.Actor, id int64) error {
	if !access.May(actor.Role, access.AppealConfigure) {
		return access.ErrForbidden
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.DB().Exec(ctx, "DELETE FROM outbox WHERE webhook_id = ?", id); err != nil {
			return err
		}
		res, err := tx.DB().Exec(ctx, "DELETE FROM webhooks WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.ErrNotFound
		}
		return tx.Record(ctx, actor, "webhook.delete", fmt.Sprintf("webhook/%d", id), "ok", nil)
	})
}

// claimFor is how long a deliverer holds a claimed message before another
// may retry it: longer than a send may take (the client times out at 10 s).
const claimFor = 30 * time.Second

// DeliverOutbox sends due messages, at most limit, and returns how many
// were delivered and how many failed (to be retried with backoff). Every
// instance may run it: a message is claimed by a conditional UPDATE before
// it is sent, so two deliverers never send it at once. A deliverer that dies
// between sending and recording leaves the claim to expire and the message
// is sent again: delivery is at least once, and once in every other case.
func (s *Store) DeliverOutbox(ctx context.Context, client *http.Client, limit int) (sent, failed int, err error) {
	now := s.now()
	type msg struct {
		id       int64
		text     string
		attempts int
		hook     notify.Hook
	}
	list, err := Collect(ctx, s.Reader(), func(sc Scanner) (m msg, err error) {
		return m, sc.Scan(&m.id, &m.text, &m.attempts, &m.hook.Format, &m.hook.URL, &m.hook.Secret)
	}, `SELECT o.id, o.text, o.attempts, w.format, w.url, w.secret FROM outbox o
		JOIN webhooks w ON w.id = o.webhook_id
		WHERE o.delivered_at = 0 AND o.next_at <= ? AND o.claimed_until < ? ORDER BY o.id LIMIT ?`,
		now.UnixMilli(), now.UnixMilli(), limit)
	if err != nil {
		return 0, 0, fmt.Errorf("outbox: %w", err)
	}
	for _, m := range list {
		res, err := s.write.ExecContext(ctx, s.d.rebind(`UPDATE outbox SET claimed_until = ?, attempts = attempts + 1
			WHERE id = ? AND delivered_at = 0 AND claimed_until < ?`), now.Add(claimFor).UnixMilli(), m.id, now.UnixMilli())
		if err != nil {
			return sent, failed, fmt.Errorf("claim: %w", translate(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue // another instance has it
		}
		// The message's number lets a receiver that keeps state apply it once,
		// and lets people refer to it.
		sendErr := notify.Send(ctx, client, m.hook, fmt.Sprintf("%s（#%d）", m.text, m.id), now)
		if sendErr == nil {
			_, err = s.write.ExecContext(ctx, s.d.rebind("UPDATE outbox SET delivered_at = ?, last_error = '' WHERE id = ?"),
				s.now().UnixMilli(), m.id)
			sent++
		} else {
			next := s.now().Add(notify.Backoff(m.attempts + 1))
			errText := sendErr.Error()
			if len(errText) > 300 {
				errText = errText[:300]
			}
			_, err = s.write.ExecContext(ctx, s.d.rebind("UPDATE outbox SET next_at = ?, claimed_until = 0, last_error = ? WHERE id = ?"),
				next.UnixMilli(), errText, m.id)
			failed++
		}
		if err != nil {
			return sent, failed, fmt.Errorf("record delivery: %w", translate(err))
		}
	}
	return sent, failed, nil
}
