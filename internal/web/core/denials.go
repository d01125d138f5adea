package core

import (
	"sync"
	"time"
)

// Every refusal of a signed-in caller is recorded in the audit log, so a
// caller who sends forbidden requests in a loop would grow the log as fast
// as they can send. A denial budget bounds that: each user's first
// denialBudget refusals in a window are recorded one by one; the next one
// records that the user is throttled and answers 429 instead, as does every
// refusal after it in the window; the first refusal of a later window
// records how many went unrecorded. At most denialBudget + 2 entries per
// user and window, whatever the caller sends.
const (
	denialBudget = 30
	denialWindow = time.Minute
)

// denials counts the refusals of each user in the current window. It is
// per instance: with n instances a user gets n budgets.
type denials struct {
	budget int
	mu     sync.Mutex
	now    func() time.Time
	users  map[int64]*denialCount
}

type denialCount struct {
	start      time.Time
	n          int // refusals in the window
	unrecorded int // refusals over the budget in the window
}

// denialVerdict says what to do with one refusal.
type denialVerdict struct {
	record     bool          // record it as a denial
	throttle   bool          // record that the user is throttled, once per window
	limited    bool          // answer 429 instead of the refusal
	retryAfter time.Duration // limited: until the window ends
	unrecorded int           // refusals the previous window did not record, to record now
}

func newDenials(budget int, now func() time.Time) *denials {
	return &denials{budget: budget, now: now, users: map[int64]*denialCount{}}
}

// note counts one refusal of user and says how to record and answer it.
func (d *denials) note(user int64) denialVerdict {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	c := d.users[user]
	var v denialVerdict
	if c == nil || now.Sub(c.start) >= denialWindow {
		if c != nil {
			v.unrecorded = c.unrecorded
		}
		if len(d.users) >= 10_000 {
			d.prune(now)
		}
		c = &denialCount{start: now}
		d.users[user] = c
	}
	c.n++
	switch {
	case c.n <= d.budget:
		v.record = true
	case c.n == d.budget+1:
		v.throttle, v.limited = true, true
	default:
		v.limited = true
		c.unrecorded++
	}
	if v.limited {
		v.retryAfter = c.start.Add(denialWindow).Sub(now)
	}
	return v
}

// prune forgets the windows that have ended and recorded everything.
func (d *denials) prune(now time.Time) {
	for u, c := range d.users {
		if now.Sub(c.start) >= denialWindow && c.unrecorded == 0 {
			delete(d.users, u)
		}
	}
}
