// Package audit is the append-only record of who did what (操作留痕). Every
// entry carries the hash of the one before it, so a changed, removed or
// inserted entry breaks the chain and Verify finds it.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Entry is one audited event.
type Entry struct {
	ID         int64 // position in the chain, from 1
	At         time.Time
	ActorID    int64 // 0 for anonymous (failed logins) and the system
	ActorName  string
	Role       string
	Action     string // e.g. "enterprise.update", "login"
	Target     string // e.g. "enterprise/42", "user/admin"
	Result     string // "ok", "denied", "failed", …
	ClientAddr string
	Detail     string // JSON: what changed, or why it failed
	PrevHash   string
	Hash       string
}

// MinRetention is how long every entry is kept at least: a purge never
// removes an entry younger than this.
const MinRetention = 180 * 24 * time.Hour

// Results of audited actions.
const (
	OK     = "ok"
	Failed = "failed"
	Denied = "denied"
)

// Sum computes the hash of e chained to e.PrevHash. Fields are written with
// their lengths, so no two different entries give the same input.
func Sum(e Entry) string {
	var b strings.Builder
	for _, f := range []string{
		strconv.FormatInt(e.ID, 10),
		strconv.FormatInt(e.At.UnixMilli(), 10),
		strconv.FormatInt(e.ActorID, 10),
		e.ActorName, e.Role, e.Action, e.Target, e.Result, e.ClientAddr, e.Detail,
		e.PrevHash,
	} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
		b.WriteByte(';')
	}
	h := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(h[:])
}

// Break describes where a chain stops holding.
type Break struct {
	ID     int64
	Reason string
}

func (b Break) Error() string { return fmt.Sprintf("audit entry %d: %s", b.ID, b.Reason) }

// Verifier checks a chain fed to it in ID order, one entry at a time.
type Verifier struct {
	prev    string
	next    int64
	Checked int64
}

// StartAfter makes the verifier expect the chain to go on after entry id,
// whose hash was hash: the anchor a purge of older entries leaves.
func (v *Verifier) StartAfter(id int64, hash string) {
	v.next, v.prev = id+1, hash
}

// Check verifies the next entry of the chain.
func (v *Verifier) Check(e Entry) error {
	if v.next == 0 {
		v.next = 1
	}
	switch {
	case e.ID != v.next:
		return Break{ID: v.next, Reason: fmt.Sprintf("missing: found entry %d next", e.ID)}
	case e.PrevHash != v.prev:
		return Break{ID: e.ID, Reason: "previous-hash does not match the entry before it"}
	case Sum(e) != e.Hash:
		return Break{ID: e.ID, Reason: "content does not match its hash"}
	}
	v.prev, v.next = e.Hash, e.ID+1
	v.Checked++
	return nil
}

// Head checks that the chain ends where the store says it ends.
func (v *Verifier) Head(seq int64, hash string) error {
	if v.next-1 != seq || v.prev != hash {
		return Break{ID: seq, Reason: fmt.Sprintf("chain ends at %d but the head says %d", v.next-1, seq)}
	}
	return nil
}
