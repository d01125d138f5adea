package web

import (
	"sync"
	"time"

	"qifu/internal/fault"
)

// Failed sign-ins are throttled per client address, before the store: each
// costs a password hash (64 MiB, tens of milliseconds) and an audit entry.
// An address that failed Config.SignInBudget times in signInWindow is
// answered 429 until the window ends, without either. The accounts' own
// lock-out (account.MaxFailures) stays what protects a password; this
// protects the server and its log from one address trying many names. The
// default budget leaves room for an office behind one address. It is per
// instance, as the denial budget is.
const signInWindow = 10 * time.Minute

// errTooManySignIns answers an address over its budget of failed sign-ins.
var errTooManySignIns = fault.New(fault.TooMany, "too_many_sign_ins", "此地址登录失败次数过多，请稍后再试",
	"too many failed sign-ins from this address; try again later")

// signIns counts the failed sign-ins of each client address in its window.
type signIns struct {
	budget int
	mu     sync.Mutex
	now    func() time.Time
	addrs  map[string]*signInCount
}

type signInCount struct {
	start time.Time
	n     int
}

func newSignIns(budget int, now func() time.Time) *signIns {
	return &signIns{budget: budget, now: now, addrs: map[string]*signInCount{}}
}

// blocked reports whether addr has used its budget in the current window,
// and for how long still.
func (g *signIns) blocked(addr string) (bool, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.addrs[addr]
	now := g.now()
	if c == nil || now.Sub(c.start) >= signInWindow || c.n < g.budget {
		return false, 0
	}
	return true, c.start.Add(signInWindow).Sub(now)
}

// failed counts one failed sign-in of addr.
func (g *signIns) failed(addr string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	c := g.addrs[addr]
	if c == nil || now.Sub(c.start) >= signInWindow {
		if len(g.addrs) >= 100_000 {
			for a, old := range g.addrs {
				if now.Sub(old.start) >= signInWindow {
					delete(g.addrs, a)
				}
			}
		}
		c = &signInCount{start: now}
		g.addrs[addr] = c
	}
	c.n++
}
