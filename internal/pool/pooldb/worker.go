package pooldb

// The worker's own page: reached with a one-time code the community gives
// (or texts) to each worker chosen for a loan, exchanged once for a token
// kept in the worker's browser. On it the worker reads where and when to
// go and the agreement, consents or declines, withdraws consent, complains,
// and sees their attendance. Withdrawal takes effect at once.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/store"
)

// CodeValid is how long a one-time code can be used.
const CodeValid = 72 * time.Hour

// TokenAfter is how long after a placement ends its worker's page still opens.
const TokenAfter = 30 * 24 * time.Hour

// codeAlphabet has no 0/O, 1/I/L: read aloud or typed from a text message.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// NormalizeCode reads a code as typed: case, spaces and hyphens ignored.
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

func newCode() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b[:5]) + "-" + string(b[5:])
}

// IssueCode gives a placement's worker a new one-time code for their page
// (staff who match, for a loan they see); an earlier code stops working.
// The code is shown once, to be handed over or texted.
func (s *Store) IssueCode(ctx context.Context, actor access.Actor, placementID int64) (string, error) {
	if !access.May(actor.Role, access.PoolMatch) {
		return "", access.ErrForbidden
	}
	var matchID int64
	if err := store.Scan(s.engine.Reader().Row(ctx, "SELECT match_id FROM pool_placements WHERE id = ?", placementID), &matchID); err != nil {
		return "", err
	}
	m, err := s.Loan(ctx, actor, matchID)
	if err != nil {
		return "", err
	}
	if !s.runs(ctx, actor, m) {
		return "", access.ErrForbidden
	}
	code := newCode()
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.DB().Exec(ctx, `UPDATE pool_placements SET code_hash = ?, code_expires = ? WHERE id = ? AND state IN ('chosen', 'consented', 'on_site')`,
			hash(NormalizeCode(code)), tx.Now().Add(CodeValid).UnixMilli(), placementID)
		if err != nil {
			return fmt.Errorf("issue code: %w", err)
		}
		if affected(res) != 1 {
			return stale("该员工的借出已结束", "the worker's placement has ended")
		}
		return tx.Record(ctx, actor, "pool.code", fmt.Sprintf("pool_placement/%d", placementID), "ok", nil)
	})
	return code, err
}

// ErrCode is the answer to a code that is wrong, used or expired.
var ErrCode = fault.New(fault.Invalid, "pool_code", "确认码不正确、已使用或已过期，请向社区索取新的确认码",
	"the code is wrong, used or expired: ask the community for a new one")

// Redeem exchanges a one-time code for the token of the worker's page; the
// code then stops working (of two uses, one wins).
func (s *Store) Redeem(ctx context.Context, code string) (string, error) {
	code = NormalizeCode(code)
	if len(code) != 10 {
		return "", ErrCode
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var id int64
		if err := store.Scan(tx.DB().Row(ctx, "SELECT id FROM pool_placements WHERE code_hash = ? AND code_expires > ?", hash(code), tx.Now().UnixMilli()), &id); err != nil {
			if fault.Is(err, fault.NotFound) {
				return ErrCode
			}
			return err
		}
		res, err := tx.DB().Exec(ctx, "UPDATE pool_placements SET code_hash = '', code_expires = 0, token_hash = ? WHERE id = ? AND code_hash = ?", hash(token), id, hash(code))
		if err != nil {
			return fmt.Errorf("redeem: %w", err)
		}
		if affected(res) != 1 {
			return ErrCode
		}
		return tx.Record(ctx, access.Actor{Name: fmt.Sprintf("worker:%d", id)}, "pool.redeem", fmt.Sprintf("pool_placement/%d", id), "ok", nil)
	})
	return token, err
}

// Mine is what a lent worker sees on their page.
type Mine struct {
	Placement   pool.Placement `json:"placement"`
	Loan        LoanBrief      `json:"loan"`
	Agreement   string         `json:"agreement"`
	Attendance  []string       `json:"attendance"` // the days recorded
	Complaints  []Complaint    `json:"complaints"`
	CanConsent  bool           `json:"can_consent"`
	CanWithdraw bool           `json:"can_withdraw"`
}

// LoanBrief is what the worker needs to know of their loan.
type LoanBrief struct {
	ID        int64  `json:"id"`
	Lender    string `json:"lender"`
	Borrower  string `json:"borrower"`
	WorkType  string `json:"work_type"` // a code of pool.WorkTypes
	Site      string `json:"site"`
	Shift     string `json:"shift"` // a code of pool.Shifts
	Contact   string `json:"contact"`
	Phone     string `json:"phone"`
	Training  string `json:"training"`
	DailyCost int    `json:"daily_cost"`
	Transport bool   `json:"transport"`
	Lodging   bool   `json:"lodging"`
	Trained   bool   `json:"trained"`
	Sealed    bool   `json:"sealed"`
}

// Complaint is a worker's complaint about a loan, and its answer.
type Complaint struct {
	ID         int64     `json:"id"`
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"created_at"`
	Answer     string    `json:"answer"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
}

// placementByToken finds the placement of a worker's token, or not found.
func (s *Store) placementByToken(ctx context.Context, h store.DB, token string) (int64, int64, error) {
	if token == "" || len(token) > 100 {
		return 0, 0, fault.ErrNotFound
	}
	var id, match, ended int64
	if err := store.Scan(h.Row(ctx, "SELECT id, match_id, ended_at FROM pool_placements WHERE token_hash = ?", hash(token)), &id, &match, &ended); err != nil {
		return 0, 0, err
	}
	if ended != 0 && s.engine.Now().After(time.UnixMilli(ended).Add(TokenAfter)) {
		return 0, 0, fault.ErrNotFound
	}
	return id, match, nil
}

// Mine returns the worker's page of a token.
func (s *Store) Mine(ctx context.Context, token string) (Mine, error) {
	r := s.engine.Reader()
	id, matchID, err := s.placementByToken(ctx, r, token)
	if err != nil {
		return Mine{}, err
	}
	m, err := s.loan(ctx, r, access.System("pool"), matchID)
	if err != nil {
		return Mine{}, err
	}
	var out Mine
	for _, p := range m.Placements {
		if p.ID == id {
			out.Placement = p
		}
	}
	out.Loan = LoanBrief{ID: m.ID, Lender: m.Lender, Borrower: m.Borrower, WorkType: string(m.Need.WorkType), Site: m.Need.Site, Shift: m.Need.Shift,
		Contact: m.Need.Contact, Phone: m.Need.Phone, Training: m.Need.Training, DailyCost: m.Need.DailyCost,
		Transport: m.Need.Transport, Lodging: m.Need.Lodging, Trained: !m.TrainedAt.IsZero(), Sealed: m.Sealed()}
	out.Agreement = pool.Agreement(m, out.Placement)
	out.CanConsent = out.Placement.State == pool.PlaceChosen
	out.CanWithdraw = out.Placement.State == pool.PlaceConsented || out.Placement.State == pool.PlaceOnSite
	out.Attendance, err = store.Collect(ctx, r, func(sc store.Scanner) (string, error) {
		var d string
		return d, sc.Scan(&d)
	}, "SELECT day FROM pool_attendance WHERE placement_id = ? ORDER BY day", id)
	if err != nil {
		return out, fmt.Errorf("attendance: %w", err)
	}
	out.Complaints, err = s.complaints(ctx, r, id)
	return out, err
}

func (s *Store) complaints(ctx context.Context, h store.DB, placementID int64) ([]Complaint, error) {
	return store.Collect(ctx, h, func(sc store.Scanner) (Complaint, error) {
		var c Complaint
		var at, answered int64
		err := sc.Scan(&c.ID, &c.Text, &at, &c.Answer, &answered)
		c.CreatedAt, c.AnsweredAt = store.Millis(at), store.Millis(answered)
		return c, err
	}, "SELECT id, text, created_at, answer, answered_at FROM pool_complaints WHERE placement_id = ? ORDER BY id", placementID)
}

// workerActor is the audit's name for a worker acting on their page.
func workerActor(p pool.Placement) access.Actor {
	return access.Actor{Name: fmt.Sprintf("worker:%d %s", p.ID, p.Worker)}
}

// Answer is the worker's answer on their page: consent to the agreement as
// shown (its hash is kept), or decline. Declining frees the worker and the slot.
func (s *Store) Answer(ctx context.Context, token string, consent bool, version int) (Mine, error) {
	mine, err := s.Mine(ctx, token)
	if err != nil {
		return mine, err
	}
	p := mine.Placement
	if p.State != pool.PlaceChosen {
		return mine, stale("已经回复过了", "already answered")
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		now := tx.Now().UnixMilli()
		state, consentedAt, sha := pool.PlaceDeclined, int64(0), ""
		if consent {
			state, consentedAt, sha = pool.PlaceConsented, now, hash(mine.Agreement)
		}
		ended := int64(0) // a refusal ends the placement: its page closes TokenAfter later
		if !consent {
			ended = now
		}
		res, err := h.Exec(ctx, `UPDATE pool_placements SET state = ?, consented_at = ?, consent_sha = ?, answered_at = ?, ended_at = ?,
			version = version + 1 WHERE id = ? AND version = ? AND state = 'chosen'`, state, consentedAt, sha, now, ended, p.ID, version)
		if err != nil {
			return fmt.Errorf("answer: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		if !consent {
			if err := s.letGo(ctx, tx, mine.Loan.ID, p, "员工不同意借出"); err != nil {
				return err
			}
		}
		title := fmt.Sprintf("%s 已同意借往 %s", p.Worker, mine.Loan.Borrower)
		if !consent {
			title = fmt.Sprintf("%s 不同意借往 %s，名额已退回", p.Worker, mine.Loan.Borrower)
		}
		if err := s.tellParties(ctx, tx, mine.Loan.ID, title); err != nil {
			return err
		}
		return tx.Record(ctx, workerActor(p), "pool.consent", fmt.Sprintf("pool_placement/%d", p.ID), "ok", map[string]any{"consent": consent, "agreement_sha256": sha})
	})
	if err != nil {
		return mine, err
	}
	return s.Mine(ctx, token)
}

// letGo returns a worker who will not go (declined, withdrew, returned
// early before the end) to the lender: the worker is available again and,
// if the loan never started them, the slot goes back to the need.
func (s *Store) letGo(ctx context.Context, tx *store.Tx, matchID int64, p pool.Placement, why string) error {
	h := tx.DB()
	if _, err := h.Exec(ctx, "UPDATE pool_workers SET status = 'available', version = version + 1 WHERE id = ? AND status = 'lent'", p.WorkerID); err != nil {
		return fmt.Errorf("worker back: %w", err)
	}
	// A worker who started (and withdrew on site) took the slot for good, as
	// one who returns early does: only a slot never started goes back.
	var started int64
	if err := store.Scan(h.Row(ctx, "SELECT started_at FROM pool_placements WHERE id = ?", p.ID), &started); err != nil {
		return err
	}
	if started != 0 {
		return s.settle(ctx, tx, matchID, why)
	}
	var needID int64
	var heads int
	if err := store.Scan(h.Row(ctx, "SELECT need_id, heads FROM pool_matches WHERE id = ?", matchID), &needID, &heads); err != nil {
		return err
	}
	if _, err := h.Exec(ctx, "UPDATE pool_matches SET heads = heads - 1, version = version + 1 WHERE id = ? AND heads > 0", matchID); err != nil {
		return fmt.Errorf("loan heads: %w", err)
	}
	if err := s.release(ctx, h, needID, 1); err != nil {
		return err
	}
	return s.settle(ctx, tx, matchID, why)
}

// settle ends a loan when none of its workers is chosen, consented or on site.
func (s *Store) settle(ctx context.Context, tx *store.Tx, matchID int64, why string) error {
	// Take the loan's row first: of two placements ending at once, the second
	// then counts after the first committed (else each sees the other live).
	if _, err := tx.DB().Exec(ctx, "UPDATE pool_matches SET version = version WHERE id = ?", matchID); err != nil {
		return fmt.Errorf("lock loan: %w", err)
	}
	var live int
	if err := store.Scan(tx.DB().Row(ctx, "SELECT COUNT(*) FROM pool_placements WHERE match_id = ? AND state IN ('chosen', 'consented', 'on_site')", matchID), &live); err != nil {
		return err
	}
	if live > 0 {
		return nil
	}
	_, err := tx.DB().Exec(ctx, `UPDATE pool_matches SET state = 'ended', ended_at = ?, end_reason = CASE WHEN end_reason = '' THEN ? ELSE end_reason END,
		version = version + 1 WHERE id = ? AND state IN ('chosen', 'active')`, tx.Now().UnixMilli(), why, matchID)
	return wrap(err, "end loan")
}

// tellParties sends a notice to both enterprises of a loan.
func (s *Store) tellParties(ctx context.Context, tx *store.Tx, matchID int64, title string) error {
	return tx.Notify(ctx, store.Recipients{Query: `SELECT u.id FROM users u JOIN pool_matches m ON u.enterprise_id IN (m.lender_id, m.borrower_id)
		WHERE m.id = ? AND u.disabled = FALSE`, Args: []any{matchID}}, "pool.loan", fmt.Sprintf("/pool/loans/%d", matchID), title)
}

// WithdrawConsent is the worker withdrawing consent, with a reason: at
// once, before or while at the borrower's; the worker returns to the lender.
func (s *Store) WithdrawConsent(ctx context.Context, token, reason string) (Mine, error) {
	mine, err := s.Mine(ctx, token)
	if err != nil {
		return mine, err
	}
	p := mine.Placement
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n > 200 {
		return mine, fault.Fields{"reason": {Zh: "原因最多200字", En: "at most 200 characters"}}.Err()
	}
	if !mine.CanWithdraw {
		return mine, stale("当前状态不能撤回同意", "nothing to withdraw now")
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.DB().Exec(ctx, `UPDATE pool_placements SET state = 'withdrawn', answered_at = ?, ended_at = ?, end_reason = ?, ended_by = 'worker',
			ext_to = '', version = version + 1 WHERE id = ? AND state IN ('consented', 'on_site')`, tx.Now().UnixMilli(), tx.Now().UnixMilli(), reason, p.ID)
		if err != nil {
			return fmt.Errorf("withdraw consent: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		if err := s.letGo(ctx, tx, mine.Loan.ID, p, "员工撤回同意"); err != nil {
			return err
		}
		if err := s.tellParties(ctx, tx, mine.Loan.ID, fmt.Sprintf("%s 撤回了借出同意：%s", p.Worker, reason)); err != nil {
			return err
		}
		return tx.Record(ctx, workerActor(p), "pool.withdraw_consent", fmt.Sprintf("pool_placement/%d", p.ID), "ok", map[string]any{"reason": reason})
	})
	if err != nil {
		return mine, err
	}
	return s.Mine(ctx, token)
}

// Complain records a worker's complaint; the lender's community is told.
func (s *Store) Complain(ctx context.Context, token, text string) (Mine, error) {
	mine, err := s.Mine(ctx, token)
	if err != nil {
		return mine, err
	}
	text = strings.TrimSpace(text)
	if n := len([]rune(text)); n < 4 || n > 500 {
		return mine, fault.Fields{"text": {Zh: "请写下您的问题（4至500字）", En: "say what is wrong (4 to 500 characters)"}}.Err()
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var n int
		if err := store.Scan(tx.DB().Row(ctx, "SELECT COUNT(*) FROM pool_complaints WHERE placement_id = ?", mine.Placement.ID), &n); err != nil {
			return err
		}
		if n >= 20 {
			return fault.New(fault.TooMany, "pool_complaints", "投诉过多，请直接联系社区", "too many complaints: call the community")
		}
		if _, err := tx.DB().Exec(ctx, "INSERT INTO pool_complaints (placement_id, text, created_at) VALUES (?, ?, ?)", mine.Placement.ID, text, tx.Now().UnixMilli()); err != nil {
			return fmt.Errorf("complain: %w", err)
		}
		lender, err := scanParty(tx.DB().Row(ctx, "SELECT "+partyColumns+" FROM enterprises e JOIN pool_matches m ON m.lender_id = e.id WHERE m.id = ?", mine.Loan.ID))
		if err != nil {
			return err
		}
		if err := tx.Notify(ctx, communityStaff(lender), "pool.complaint", fmt.Sprintf("/pool/loans/%d", mine.Loan.ID),
			fmt.Sprintf("借出员工 %s 投诉：%s", mine.Placement.Worker, text)); err != nil {
			return err
		}
		return tx.Record(ctx, workerActor(mine.Placement), "pool.complain", fmt.Sprintf("pool_placement/%d", mine.Placement.ID), "ok", nil)
	})
	if err != nil {
		return mine, err
	}
	return s.Mine(ctx, token)
}

// RateByWorker is the worker's rating of the loan, 1–5, once, after it ended.
func (s *Store) RateByWorker(ctx context.Context, token string, stars int, note string) (Mine, error) {
	mine, err := s.Mine(ctx, token)
	if err != nil {
		return mine, err
	}
	if stars < 1 || stars > 5 {
		return mine, fault.Fields{"stars": {Zh: "请选择1到5星", En: "choose 1 to 5 stars"}}.Err()
	}
	if len([]rune(strings.TrimSpace(note))) > 200 {
		return mine, fault.Fields{"note": {Zh: "说明最多200字", En: "at most 200 characters"}}.Err()
	}
	if mine.Placement.EndedAt.IsZero() {
		return mine, stale("借出结束后才能评价", "rate when the loan has ended")
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.DB().Exec(ctx, "UPDATE pool_placements SET rating = ?, rating_note = ? WHERE id = ? AND rating = 0 AND ended_at <> 0",
			stars, strings.TrimSpace(note), mine.Placement.ID)
		if err != nil {
			return fmt.Errorf("rate: %w", err)
		}
		if affected(res) != 1 {
			return stale("已经评价过了", "already rated")
		}
		return tx.Record(ctx, workerActor(mine.Placement), "pool.rate", fmt.Sprintf("pool_placement/%d", mine.Placement.ID), "ok", map[string]any{"stars": stars})
	})
	if err != nil {
		return mine, err
	}
	return s.Mine(ctx, token)
}
