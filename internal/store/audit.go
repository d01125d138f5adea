package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/audit"
	"qifu/internal/fault"
)

// Record adds an entry to the transaction's audit entries, written to the
// log when the transaction's work is done (see flushAudit). Each field is
// bounded (maxAuditField, maxAuditDetail): what a caller typed — a user
// name at the sign-in, a form's text — cannot make the log grow at will.
func (t *Tx) Record(ctx context.Context, actor access.Actor, action, target, result string, detail any) error {
	d := "{}"
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
		d = string(b)
	}
	if len(d) > maxAuditDetail {
		d = fmt.Sprintf(`{"truncated":true,"bytes":%d}`, len(d))
	}
	t.audits = append(t.audits, audit.Entry{At: time.UnixMilli(t.s.now().UnixMilli()), ActorID: actor.UserID,
		ActorName: clip(actor.Name), Role: clip(string(actor.Role)), Action: clip(action), Target: clip(target),
		Result: clip(result), ClientAddr: clip(actor.Addr), Detail: d})
	return nil
}

// The bounds of one audit entry: a text field's characters, and the bytes
// of its detail, beyond which the detail says only how long it was.
const (
	maxAuditField  = 200
	maxAuditDetail = 8 << 10
)

// clip cuts s to maxAuditField characters, marking the cut with "…".
func clip(s string) string {
	if len(s) <= maxAuditField { // bytes ≥ characters
		return s
	}
	n := 0
	for i := range s {
		if n == maxAuditField-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// auditRows bounds the entries of one INSERT.
const auditRows = 100

// flushAudit appends the transaction's audit entries to one of the chains,
// as the transaction's last statements: the chain's head row is locked from
// here to the commit. On PostgreSQL the transaction takes a head no other
// holds (SKIP LOCKED), and waits for one only when all 64 are taken; SQLite
// has one writer, and appends to chain 1.
func (t *Tx) flushAudit(ctx context.Context) error {
	if len(t.audits) == 0 {
		return nil
	}
	n := int64(len(t.audits))
	h := t.DB()
	var chain int
	var seq int64
	var prev string
	err := Scan(h.Row(ctx, "UPDATE audit_head SET seq = seq + ? WHERE id = "+t.d.auditChain+" RETURNING id, seq, hash", n),
		&chain, &seq, &prev)
	if fault.Is(err, fault.NotFound) { // PostgreSQL, every head taken: wait for one
		err = Scan(h.Row(ctx, `UPDATE audit_head SET seq = seq + ?
			WHERE id = (SELECT id FROM audit_head ORDER BY random() LIMIT 1) RETURNING id, seq, hash`, n), &chain, &seq, &prev)
	}
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	for i := range t.audits {
		e := &t.audits[i]
		e.Chain, e.Pos, e.PrevHash = chain, seq-n+1+int64(i), prev
		e.Hash = audit.Sum(*e)
		prev = e.Hash
	}
	for batch := range slices.Chunk(t.audits, auditRows) {
		args := make([]any, 0, 13*len(batch))
		for _, e := range batch {
			args = append(args, e.Chain, e.Pos, e.At.UnixMilli(), e.ActorID, e.ActorName, e.Role, e.Action, e.Target,
				e.Result, e.ClientAddr, e.Detail, e.PrevHash, e.Hash)
		}
		if _, err := h.Exec(ctx, `INSERT INTO audit_log
			(chain, pos, at, actor_id, actor_name, role, action, target, result, client_addr, detail, prev_hash, hash) VALUES `+
			Tuples("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(batch)), args...); err != nil {
			return fmt.Errorf("audit append: %w", err)
		}
	}
	if _, err := h.Exec(ctx, "UPDATE audit_head SET hash = ? WHERE id = ?", prev, chain); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	t.audits = t.audits[:0]
	return nil
}

// Record appends one audit entry in a transaction of its own; for events
// that change nothing else, such as a failed login.
func (s *Store) Record(ctx context.Context, actor access.Actor, action, target, result string, detail any) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.Record(ctx, actor, action, target, result, detail) })
}

// AuditQuery selects audit entries.
type AuditQuery struct {
	ActorName string // exact
	Action    string // prefix, e.g. "enterprise."
	Target    string // exact
	From, To  time.Time
	Page      Page
}

const auditColumns = "id, chain, pos, at, actor_id, actor_name, role, action, target, result, client_addr, detail, prev_hash, hash"

func scanAudit(sc interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	err := sc.Scan(&e.ID, &e.Chain, &e.Pos, &at, &e.ActorID, &e.ActorName, &e.Role, &e.Action, &e.Target, &e.Result, &e.ClientAddr,
		&e.Detail, &e.PrevHash, &e.Hash)
	e.At = time.UnixMilli(at)
	return e, err
}

// AuditLog lists audit entries, newest first, for actors who may read it.
func (s *Store) AuditLog(ctx context.Context, actor access.Actor, q AuditQuery) ([]audit.Entry, int, error) {
	if !access.May(actor.Role, access.AuditRead) {
		return nil, 0, access.ErrForbidden
	}
	where, args := "WHERE 1 = 1", []any{}
	if q.ActorName != "" {
		where += " AND actor_name = ?"
		args = append(args, q.ActorName)
	}
	if q.Action != "" {
		where += " AND action LIKE ? ESCAPE '\\'"
		args = append(args, EscapeLike(q.Action)+"%")
	}
	if q.Target != "" {
		where += " AND target = ?"
		args = append(args, q.Target)
	}
	if !q.From.IsZero() {
		where += " AND at >= ?"
		args = append(args, q.From.UnixMilli())
	}
	if !q.To.IsZero() {
		where += " AND at < ?"
		args = append(args, q.To.UnixMilli())
	}
	r := s.Reader()
	var total int
	if err := Scan(r.Row(ctx, "SELECT COUNT(*) FROM audit_log "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	limit, offset := q.Page.Bounds()
	rows, err := r.Query(ctx, "SELECT "+auditColumns+" FROM audit_log "+where+" ORDER BY id DESC LIMIT ? OFFSET ?",
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var list []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan audit: %w", err)
		}
		list = append(list, e)
	}
	return list, total, rows.Err()
}

// VerifyAudit walks every chain from its anchor (its first entry, or the
// last one a purge removed) to its head, in one snapshot of the store, and
// reports the first break, if any, and the number of entries checked. An
// entry of no chain, or beyond its chain's head, is a break too.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	var checked int64
	err := s.Snapshot(ctx, func(r DB) error {
		heads := map[int]auditHead{}
		rows, err := r.Query(ctx, "SELECT id, seq, hash, anchor_id, anchor_hash FROM audit_head")
		if err != nil {
			return fmt.Errorf("audit heads: %w", err)
		}
		for rows.Next() {
			var h auditHead
			if err := rows.Scan(&h.chain, &h.seq, &h.hash, &h.anchor, &h.anchorHash); err != nil {
				rows.Close()
				return fmt.Errorf("audit heads: %w", err)
			}
			heads[h.chain] = h
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("audit heads: %w", err)
		}
		rows, err = r.Query(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY chain, pos")
		if err != nil {
			return fmt.Errorf("read audit: %w", err)
		}
		defer rows.Close()
		// Chains are checked in order; one without entries is checked
		// against its head when the walk passes it.
		order := make([]int, 0, len(heads))
		for c := range heads {
			order = append(order, c)
		}
		slices.Sort(order)
		emptyBefore := func(chain int) error {
			for len(order) > 0 && order[0] < chain {
				h := heads[order[0]]
				order = order[1:]
				if err := audit.NewVerifier(h.chain, h.anchor, h.anchorHash).Head(h.seq, h.hash); err != nil {
					return err
				}
			}
			return nil
		}
		var v *audit.Verifier
		var head auditHead
		done := func() error { // the chain walked so far ends at its head
			if v == nil {
				return nil
			}
			checked += v.Checked
			return v.Head(head.seq, head.hash)
		}
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return fmt.Errorf("scan audit: %w", err)
			}
			if v == nil || e.Chain != head.chain {
				if err := done(); err != nil {
					return err
				}
				if err := emptyBefore(e.Chain); err != nil {
					return err
				}
				var ok bool
				if head, ok = heads[e.Chain]; !ok {
					return audit.Break{Chain: e.Chain, Pos: e.Pos, Reason: "an entry of no chain"}
				}
				order = order[1:] // e.Chain's
				v = audit.NewVerifier(head.chain, head.anchor, head.anchorHash)
			}
			if err := v.Check(e); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if err := done(); err != nil {
			return err
		}
		return emptyBefore(math.MaxInt)
	})
	return checked, err
}

// auditHead is the head of one audit chain.
type auditHead struct {
	chain      int
	seq        int64 // the position of the chain's last entry
	hash       string
	anchor     int64 // the position of the last entry a purge removed
	anchorHash string
}

// ErrRetention refuses a purge that would remove entries younger than audit.MinRetention.
var ErrRetention = fault.New(fault.Invalid, "retention", "审计日志至少保留 180 天，不能清理更近的记录",
	"audit entries are kept at least 180 days; a purge may not reach younger ones")

// purgeBatch is how many entries one transaction of a purge removes.
const purgeBatch = 5000

// PurgeAudit removes the audit entries recorded before the given time, as a
// prefix of each chain: a chain's purge stops at its first entry recorded at
// or after before, so an entry of that age or younger is never removed,
// whatever the order of the clocks of several instances. Each batch moves the
// chain's anchor to the last entry it removed, in the same transaction, so
// the chain verifies from there; the purge itself is audited. A cut-off
// later than audit.MinRetention ago is refused.
func (s *Store) PurgeAudit(ctx context.Context, before time.Time) (int64, error) {
	if before.After(s.now().Add(-audit.MinRetention)) {
		return 0, ErrRetention
	}
	// The first entry kept in each chain.
	rows, err := s.Reader().Query(ctx, `SELECT h.id, COALESCE(MIN(l.pos), h.seq + 1)
		FROM audit_head h LEFT JOIN audit_log l ON l.chain = h.id AND l.at >= ?
		GROUP BY h.id, h.seq ORDER BY h.id`, before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("audit purge: %w", err)
	}
	cuts := map[int]int64{}
	for rows.Next() {
		var chain int
		var cut int64
		if err := rows.Scan(&chain, &cut); err != nil {
			rows.Close()
			return 0, fmt.Errorf("audit purge: %w", err)
		}
		cuts[chain] = cut
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("audit purge: %w", err)
	}
	var removed int64
	through := map[string]int64{}
	for chain, cut := range cuts {
		for {
			var n, last int64
			err := s.WithTx(ctx, func(tx *Tx) error {
				var anchor int64
				if err := Scan(tx.DB().Row(ctx, "SELECT anchor_id FROM audit_head WHERE id = ?", chain), &anchor); err != nil {
					return err
				}
				last = min(anchor+purgeBatch, cut-1)
				if last <= anchor {
					return nil
				}
				var hash string
				if err := Scan(tx.DB().Row(ctx, "SELECT hash FROM audit_log WHERE chain = ? AND pos = ?", chain, last), &hash); err != nil {
					return fmt.Errorf("audit chain %d, entry %d: %w", chain, last, err)
				}
				res, err := tx.DB().Exec(ctx, "DELETE FROM audit_log WHERE chain = ? AND pos > ? AND pos <= ?", chain, anchor, last)
				if err != nil {
					return err
				}
				if n, err = res.RowsAffected(); err != nil {
					return err
				}
				_, err = tx.DB().Exec(ctx, "UPDATE audit_head SET anchor_id = ?, anchor_hash = ? WHERE id = ?", last, hash, chain)
				return err
			})
			if err != nil {
				return removed, fmt.Errorf("audit purge: %w", err)
			}
			if n == 0 {
				break
			}
			removed += n
			through[strconv.Itoa(chain)] = last
		}
	}
	err = s.Record(ctx, access.System("audit purge"), "audit.purge", "audit", audit.OK,
		map[string]any{"before": before.UnixMilli(), "removed": removed, "through": through})
	return removed, err
}

// Page is a page of a list: 1-based number and size.
type Page struct {
	Number, Size int
}

// MaxPageNumber bounds page numbers, so that no offset overflows: a page
// past it is the same empty page.
const MaxPageNumber = 1_000_000

// MaxPageSize bounds every list.
const MaxPageSize = 200

func (p Page) Bounds() (limit, offset int) {
	size := p.Size
	if size <= 0 {
		size = 20
	}
	if size > MaxPageSize {
		size = MaxPageSize
	}
	n := min(max(p.Number, 1), MaxPageNumber)
	return size, (n - 1) * size
}

// lowerASCII lower-cases the ASCII letters of s, as LOWER does in both
// stores (SQLite's LIKE ignores ASCII case, PostgreSQL's does not, so text
// searches compare LOWER(column) with a lower-cased pattern).
func LowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// escapeLike escapes the LIKE wildcards of s with backslash; queries using
// it say ESCAPE '\'.
func EscapeLike(s string) string {
	r := make([]rune, 0, len(s))
	for _, c := range s {
		if c == '%' || c == '_' || c == '\\' {
			r = append(r, '\\')
		}
		r = append(r, c)
	}
	return string(r)
}
