package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/audit"
	"qifu/internal/fault"
)

// record appends an entry to the audit chain inside the transaction. The
// UPDATE of the head row serializes appends across instances on PostgreSQL.
func (t *Tx) record(ctx context.Context, actor access.Actor, action, target, result string, detail any) error {
	var seq int64
	var prev string
	if err := scan(t.db().row(ctx, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash"), &seq, &prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	d := "{}"
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
		d = string(b)
	}
	e := audit.Entry{ID: seq, At: time.UnixMilli(t.s.now().UnixMilli()), ActorID: actor.UserID, ActorName: actor.Name,
		Role: string(actor.Role), Action: action, Target: target, Result: result, ClientAddr: actor.Addr,
		Detail: d, PrevHash: prev}
	e.Hash = audit.Sum(e)
	if _, err := t.db().exec(ctx, `INSERT INTO audit_log
		(id, at, actor_id, actor_name, role, action, target, result, client_addr, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.At.UnixMilli(), e.ActorID, e.ActorName, e.Role, e.Action, e.Target, e.Result, e.ClientAddr, e.Detail,
		e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	if _, err := t.db().exec(ctx, "UPDATE audit_head SET hash = ? WHERE id = 1", e.Hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	return nil
}

// Record appends one audit entry in a transaction of its own; for events
// that change nothing else, such as a failed login.
func (s *Store) Record(ctx context.Context, actor access.Actor, action, target, result string, detail any) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.record(ctx, actor, action, target, result, detail) })
}

// AuditQuery selects audit entries.
type AuditQuery struct {
	ActorName string // exact
	Action    string // prefix, e.g. "enterprise."
	Target    string // exact
	From, To  time.Time
	Page      Page
}

const auditColumns = "id, at, actor_id, actor_name, role, action, target, result, client_addr, detail, prev_hash, hash"

func scanAudit(sc interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	err := sc.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &e.Role, &e.Action, &e.Target, &e.Result, &e.ClientAddr,
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
		args = append(args, escapeLike(q.Action)+"%")
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
	r := s.reader()
	var total int
	if err := scan(r.row(ctx, "SELECT COUNT(*) FROM audit_log "+where, args...), &total); err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	limit, offset := q.Page.bounds()
	rows, err := r.query(ctx, "SELECT "+auditColumns+" FROM audit_log "+where+" ORDER BY id DESC LIMIT ? OFFSET ?",
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

// VerifyAudit walks the chain from its anchor (its first entry, or the last
// one a purge removed) and reports the first break, if any, and the number
// of entries checked.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	r := s.reader()
	var seq, anchor int64
	var head, anchorHash string
	if err := scan(r.row(ctx, "SELECT seq, hash, anchor_id, anchor_hash FROM audit_head WHERE id = 1"),
		&seq, &head, &anchor, &anchorHash); err != nil {
		return 0, fmt.Errorf("audit head: %w", err)
	}
	rows, err := r.query(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE id <= ? ORDER BY id", seq)
	if err != nil {
		return 0, fmt.Errorf("read audit: %w", err)
	}
	defer rows.Close()
	var v audit.Verifier
	v.StartAfter(anchor, anchorHash)
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return v.Checked, fmt.Errorf("scan audit: %w", err)
		}
		if err := v.Check(e); err != nil {
			return v.Checked, err
		}
	}
	if err := rows.Err(); err != nil {
		return v.Checked, err
	}
	if v.Checked == 0 && seq == 0 && head == "" {
		return 0, nil // nothing recorded yet (audit.Verifier.Head misreads an empty chain)
	}
	return v.Checked, v.Head(seq, head)
}

// ErrRetention refuses a purge that would remove entries younger than audit.MinRetention.
var ErrRetention = fault.New(fault.Invalid, "retention", "审计日志至少保留 180 天，不能清理更近的记录",
	"audit entries are kept at least 180 days; a purge may not reach younger ones")

// purgeBatch is how many entries one transaction of a purge removes.
const purgeBatch = 5000

// PurgeAudit removes the audit entries recorded before the given time, as a
// prefix of the chain: it stops at the first entry recorded at or after
// before, so an entry of that age or younger is never removed, whatever the
// order of the clocks of several instances. Each batch moves the head's
// anchor to the last entry it removed, in the same transaction, so the
// chain verifies from there; the purge itself is audited. A cut-off later
// than audit.MinRetention ago is refused.
func (s *Store) PurgeAudit(ctx context.Context, before time.Time) (int64, error) {
	if before.After(s.now().Add(-audit.MinRetention)) {
		return 0, ErrRetention
	}
	var cut int64 // the first entry kept
	err := scan(s.reader().row(ctx, `SELECT COALESCE(MIN(id), (SELECT seq + 1 FROM audit_head WHERE id = 1))
		FROM audit_log WHERE at >= ?`, before.UnixMilli()), &cut)
	if err != nil {
		return 0, fmt.Errorf("audit purge: %w", err)
	}
	var removed int64
	for {
		var n int64
		err := s.WithTx(ctx, func(tx *Tx) error {
			var anchor int64
			if err := scan(tx.db().row(ctx, "SELECT anchor_id FROM audit_head WHERE id = 1"), &anchor); err != nil {
				return err
			}
			last := min(anchor+purgeBatch, cut-1)
			if last <= anchor {
				return nil
			}
			var hash string
			if err := scan(tx.db().row(ctx, "SELECT hash FROM audit_log WHERE id = ?", last), &hash); err != nil {
				return fmt.Errorf("audit entry %d: %w", last, err)
			}
			res, err := tx.db().exec(ctx, "DELETE FROM audit_log WHERE id > ? AND id <= ?", anchor, last)
			if err != nil {
				return err
			}
			if n, err = res.RowsAffected(); err != nil {
				return err
			}
			_, err = tx.db().exec(ctx, "UPDATE audit_head SET anchor_id = ?, anchor_hash = ? WHERE id = 1", last, hash)
			return err
		})
		if err != nil {
			return removed, fmt.Errorf("audit purge: %w", err)
		}
		if n == 0 {
			break
		}
		removed += n
	}
	err = s.Record(ctx, access.System("audit purge"), "audit.purge", "audit", audit.OK,
		map[string]any{"before": before.UnixMilli(), "removed": removed, "through": cut - 1})
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

func (p Page) bounds() (limit, offset int) {
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
func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// escapeLike escapes the LIKE wildcards of s with backslash; queries using
// it say ESCAPE '\'.
func escapeLike(s string) string {
	r := make([]rune, 0, len(s))
	for _, c := range s {
		if c == '%' || c == '_' || c == '\\' {
			r = append(r, '\\')
		}
		r = append(r, c)
	}
	return string(r)
}
