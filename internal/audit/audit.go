// Package audit is the append-only record of who did what (操作留痕). The
// record is a few chains written side by side, so that concurrent writers
// need not wait for one another; in its chain every entry carries the hash
// of the one before it, so a changed, removed or inserted entry breaks the
// chain and a Verifier finds it.
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
	ID         int64 // the order entries were written in, across chains
	Chain      int   // the chain the entry is in, from 1
	Pos        int64 // position in its chain, from 1: what the hash covers
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
// their lengths, so no two different entries give the same input. The
// chain is not among them: an entry's predecessor binds it to its chain.
func Sum(e Entry) string {
	var b strings.Builder
	for _, f := range []string{
		strconv.FormatInt(e.Pos, 10),
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

// Break describes where a chain stops holding: the position in the chain
// of the entry found wrong, missing or beyond the chain's head.
type Break struct {
	Chain  int
	Pos    int64
	Reason string
}

func (b Break) Error() string {
	return fmt.Sprintf("audit chain %d, entry %d: %s", b.Chain, b.Pos, b.Reason)
}

// Verifier checks one chain fed to it in position order, one entry at a time.
type Verifier struct {
	chain   int
	prev    string
	next    int64
	Checked int64
}

// NewVerifier returns a verifier of the chain that goes on after entry
// anchor, whose hash was anchorHash: the chain's start (0, "") or the
// anchor a purge of older entries leaves.
func NewVerifier(chain int, anchor int64, anchorHash string) *Verifier {
	return &Verifier{chain: chain, next: anchor + 1, prev: anchorHash}
}

// Check verifies the next entry of the chain.
func (v *Verifier) Check(e Entry) error {
	switch {
	case e.Chain != v.chain:
		return Break{Chain: e.Chain, Pos: e.Pos, Reason: fmt.Sprintf("entry of chain %d met in chain %d", e.Chain, v.chain)}
	case e.Pos != v.next:
		return Break{Chain: v.chain, Pos: v.next, Reason: fmt.Sprintf("missing: found entry %d next", e.Pos)}
	case e.PrevHash != v.prev:
		return Break{Chain: v.chain, Pos: e.Pos, Reason: "previous-hash does not match the entry before it"}
	case Sum(e) != e.Hash:
		return Break{Chain: v.chain, Pos: e.Pos, Reason: "content does not match its hash"}
	}
	v.prev, v.next = e.Hash, e.Pos+1
	v.Checked++
	return nil
}

// Head checks that the chain ends where its head says it ends.
func (v *Verifier) Head(seq int64, hash string) error {
	switch {
	case v.next-1 < seq:
		return Break{Chain: v.chain, Pos: v.next, Reason: fmt.Sprintf("missing: the chain ends at %d but its head says %d", v.next-1, seq)}
	case v.next-1 > seq:
		return Break{Chain: v.chain, Pos: seq + 1, Reason: fmt.Sprintf("beyond the head: the chain ends at %d but its head says %d", v.next-1, seq)}
	case v.prev != hash:
		return Break{Chain: v.chain, Pos: seq, Reason: "the head's hash does not match the last entry"}
	}
	return nil
}
