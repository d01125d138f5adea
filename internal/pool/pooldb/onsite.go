package pooldb

// From the lender's choice to the return: seals, the injury cover, the
// training, the start on site, attendance, early return, extension, the
// return at the end, ratings, and a lender that closed.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/store"
)

// Seal is an enterprise's seal on a loan's agreement: a sealed scan
// already stored in the attachment folder, or an e-seal's reference.
type Seal struct {
	Kind      string `json:"kind"` // "scan" or "eseal"
	SHA256    string `json:"sha256,omitempty"`
	Name      string `json:"name,omitempty"`
	MIME      string `json:"mime,omitempty"`
	Size      int64  `json:"size,omitempty"`
	Reference string `json:"reference,omitempty"` // the e-seal's signature reference
	// Compensation is what the two agreed on work-injury compensation (the
	// lender may state it when sealing).
	Compensation string `json:"compensation,omitempty"`
}

// AddSeal records the seal of one party ("lender" or "borrower") on a
// chosen loan's agreement; a click is not a seal: a scan (PDF or image) or
// an e-seal reference is required. Sealing again replaces the party's seal.
func (s *Store) AddSeal(ctx context.Context, actor access.Actor, id int64, partyName string, seal Seal) (pool.Loan, error) {
	if partyName != "lender" && partyName != "borrower" {
		return pool.Loan{}, fault.Fields{"party": {Zh: "请选择出借方或借入方", En: "lender or borrower"}}.Err()
	}
	m, err := s.asParty(ctx, actor, id, partyName)
	if err != nil {
		return m, err
	}
	seal.Reference = strings.TrimSpace(seal.Reference)
	seal.Compensation = strings.TrimSpace(seal.Compensation)
	f := fault.Fields{}
	switch seal.Kind {
	case "scan":
		// The file is the web's to keep (its upload sets the hash): the
		// store refuses a scan that names none.
		if !contentHash(seal.SHA256) || !(seal.MIME == "application/pdf" || strings.HasPrefix(seal.MIME, "image/")) {
			f.Add("file", "请上传盖章协议的扫描件（PDF 或图片）", "upload the sealed agreement as a PDF or an image")
		}
	case "eseal":
		if n := len(seal.Reference); n < 8 || n > 200 {
			f.Add("reference", "请填写电子印章的签章编号（8至200位）", "give the e-seal's signature reference (8 to 200 characters)")
		}
	default:
		f.Add("kind", "盖章须上传盖章扫描件或使用电子印章，点击确认不视为盖章", "seal with a sealed scan or an e-seal: a click is not a seal")
	}
	if len([]rune(seal.Compensation)) > 500 {
		f.Add("compensation", "补偿约定最多500字", "at most 500 characters")
	}
	if err := f.Err(); err != nil {
		return m, err
	}
	if m.State != pool.MatchChosen && m.State != pool.MatchActive {
		return m, stale("选定员工后才能盖章", "seal once the workers are chosen")
	}
	if seal.Compensation != "" && seal.Compensation != m.Compensation && !pool.MayCompensate(m, partyName) {
		return m, fault.Fields{"compensation": {Zh: "工伤补偿约定须在员工确认协议和对方盖章之前商定，之后不能更改",
			En: "the injury compensation is agreed before any worker consents and before the other party seals; it cannot change after"}}.Err()
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		now := tx.Now().UnixMilli()
		if _, err := h.Exec(ctx, "DELETE FROM pool_seals WHERE match_id = ? AND party = ?", id, partyName); err != nil {
			return fmt.Errorf("seal: %w", err)
		}
		if _, err := h.Exec(ctx, `INSERT INTO pool_seals (match_id, party, kind, sha256, name, mime, size, reference, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, partyName, seal.Kind, seal.SHA256, seal.Name, seal.MIME, seal.Size, seal.Reference,
			actor.UserID, now); err != nil {
			return fmt.Errorf("seal: %w", err)
		}
		q := "UPDATE pool_matches SET lender_seal = ?, lender_sealed_at = ?, version = version + 1"
		if partyName == "borrower" {
			q = "UPDATE pool_matches SET borrower_seal = ?, borrower_sealed_at = ?, version = version + 1"
		}
		args := []any{seal.Kind, now}
		if seal.Compensation != "" {
			q += ", compensation = ?"
			args = append(args, seal.Compensation)
		}
		if _, err := h.Exec(ctx, q+" WHERE id = ? AND state IN ('chosen', 'active')", append(args, id)...); err != nil {
			return fmt.Errorf("seal: %w", err)
		}
		return tx.Record(ctx, actor, "pool.seal", fmt.Sprintf("pool_loan/%d", id), "ok", map[string]any{"party": partyName, "kind": seal.Kind, "sha256": seal.SHA256})
	})
	if err != nil {
		return m, err
	}
	return s.Loan(ctx, actor, id)
}

// contentHash reports whether s is a SHA-256 in hex, as attach.Dir names files.
func contentHash(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size
}

// SealFile returns a party's sealed scan of a loan the actor may read.
func (s *Store) SealFile(ctx context.Context, actor access.Actor, id int64, partyName string) (Seal, error) {
	if _, err := s.Loan(ctx, actor, id); err != nil {
		return Seal{}, err
	}
	var sl Seal
	err := store.Scan(s.engine.Reader().Row(ctx, "SELECT kind, sha256, name, mime, size, reference FROM pool_seals WHERE match_id = ? AND party = ?", id, partyName),
		&sl.Kind, &sl.SHA256, &sl.Name, &sl.MIME, &sl.Size, &sl.Reference)
	return sl, err
}

// Train records the borrower's pre-job and safety training of the loan's workers.
func (s *Store) Train(ctx context.Context, actor access.Actor, id int64, note string, version int) (pool.Loan, error) {
	m, err := s.asParty(ctx, actor, id, "borrower")
	if err != nil {
		return m, err
	}
	note = strings.TrimSpace(note)
	if n := len([]rune(note)); n < 4 || n > 500 {
		return m, fault.Fields{"note": {Zh: "请记录培训内容、时长和讲师（4至500字）", En: "record the training given (4 to 500 characters)"}}.Err()
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.DB().Exec(ctx, `UPDATE pool_matches SET trained_at = ?, training_note = ?, version = version + 1
			WHERE id = ? AND version = ? AND state IN ('chosen', 'active')`, tx.Now().UnixMilli(), note, id, version)
		if err != nil {
			return fmt.Errorf("train: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		return tx.Record(ctx, actor, "pool.train", fmt.Sprintf("pool_loan/%d", id), "ok", nil)
	})
	if err != nil {
		return m, err
	}
	return s.Loan(ctx, actor, id)
}

// placementOf returns one of a loan's placements, or not found.
func placementOf(m pool.Loan, placementID int64) (pool.Placement, error) {
	i := slices.IndexFunc(m.Placements, func(p pool.Placement) bool { return p.ID == placementID })
	if i < 0 {
		return pool.Placement{}, fault.ErrNotFound
	}
	return m.Placements[i], nil
}

// Cover records the lender's work-injury insurance of a placement's worker:
// the policy or payment reference and the day it covers until.
func (s *Store) Cover(ctx context.Context, actor access.Actor, id, placementID int64, ref, until string) (pool.Loan, error) {
	m, err := s.asParty(ctx, actor, id, "lender")
	if err != nil {
		return m, err
	}
	p, err := placementOf(m, placementID)
	if err != nil {
		return m, err
	}
	ref = strings.TrimSpace(ref)
	f := fault.Fields{}
	if n := len([]rune(ref)); n < 4 || n > 100 {
		f.Add("cover_ref", "请填写工伤保险参保凭证号（4至100位）", "give the work-injury insurance reference (4 to 100 characters)")
	}
	if _, ok := pool.ParseDay(until); !ok {
		f.Add("cover_until", "请填写参保有效期至（年-月-日）", "give the day the cover runs to (YYYY-MM-DD)")
	} else if until < p.From {
		f.Add("cover_until", "保险须在上岗前有效", "the cover must run when the worker starts")
	}
	if err := f.Err(); err != nil {
		return m, err
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.DB().Exec(ctx, `UPDATE pool_placements SET cover_ref = ?, cover_until = ?, version = version + 1
			WHERE id = ? AND match_id = ? AND state IN ('chosen', 'consented', 'on_site')`, ref, until, placementID, id)
		if err != nil {
			return fmt.Errorf("cover: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		return tx.Record(ctx, actor, "pool.cover", fmt.Sprintf("pool_placement/%d", placementID), "ok", map[string]any{"until": until})
	})
	if err != nil {
		return m, err
	}
	return s.Loan(ctx, actor, id)
}

// Start records a consented worker on site at the borrower's, on day:
// every rule is checked first (consent, both seals, training, cover,
// contract). The need's first worker on site stops its clock.
func (s *Store) Start(ctx context.Context, actor access.Actor, id, placementID int64, version int) (pool.Loan, error) {
	m, err := s.asParty(ctx, actor, id, "borrower")
	if err != nil {
		return m, err
	}
	p, err := placementOf(m, placementID)
	if err != nil {
		return m, err
	}
	today := s.today()
	if today < p.From || today > p.To {
		return m, stale(fmt.Sprintf("借出期间为 %s 至 %s，今天不能到岗", p.From, p.To),
			fmt.Sprintf("the loan runs from %s to %s: not today", p.From, p.To))
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		var contractEnd string
		if err := store.Scan(h.Row(ctx, "SELECT contract_end FROM pool_workers WHERE id = ?", p.WorkerID), &contractEnd); err != nil {
			return err
		}
		shut, err := closed(ctx, h, m.LenderID)
		if err != nil {
			return err
		}
		if err := pool.CheckStart(pool.Start{Lend: pool.Lend{ContractEnd: contractEnd, To: p.To, Employed: true, LenderClosed: shut},
			Day: today, Consented: p.State == pool.PlaceConsented, Sealed: m.Sealed(), Trained: !m.TrainedAt.IsZero(), CoverUntil: p.CoverUntil}); err != nil {
			return err
		}
		now := tx.Now().UnixMilli()
		res, err := h.Exec(ctx, `UPDATE pool_placements SET state = 'on_site', started_at = ?, version = version + 1
			WHERE id = ? AND version = ? AND state = 'consented'`, now, placementID, version)
		if err != nil {
			return fmt.Errorf("start: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		if _, err := h.Exec(ctx, `UPDATE pool_matches SET state = 'active', first_on_site = CASE WHEN first_on_site = 0 THEN ? ELSE first_on_site END,
			version = version + 1 WHERE id = ?`, now, id); err != nil {
			return fmt.Errorf("loan active: %w", err)
		}
		if _, err := h.Exec(ctx, "UPDATE pool_needs SET first_on_site = ? WHERE id = ? AND first_on_site = 0", now, m.NeedID); err != nil {
			return fmt.Errorf("first on site: %w", err)
		}
		return tx.Record(ctx, actor, "pool.start", fmt.Sprintf("pool_placement/%d", placementID), "ok", nil)
	})
	if err != nil {
		return m, err
	}
	return s.Loan(ctx, actor, id)
}

// Attend records days a worker on site worked (the borrower's attendance);
// a day already recorded stays recorded once. Days must fall in the
// placement's period, not after today.
func (s *Store) Attend(ctx context.Context, actor access.Actor, id, placementID int64, days []string) (pool.Loan, error) {
	return s.AttendAll(ctx, actor, id, []int64{placementID}, days)
}

// AttendAll records the same days for several workers of a loan (a day's
// roll call), all or none.
func (s *Store) AttendAll(ctx context.Context, actor access.Actor, id int64, placementIDs []int64, days []string) (pool.Loan, error) {
	m, err := s.asParty(ctx, actor, id, "borrower")
	if err != nil {
		return m, err
	}
	if len(placementIDs) == 0 || len(placementIDs) > 500 {
		return m, fault.Fields{"placements": {Zh: "请勾选出勤的员工", En: "tick the workers present"}}.Err()
	}
	if len(days) == 0 || len(days) > 62 {
		return m, fault.Fields{"days": {Zh: "请选择1到62个出勤日", En: "give 1 to 62 days"}}.Err()
	}
	today := s.today()
	for _, pid := range placementIDs {
		p, err := placementOf(m, pid)
		if err != nil {
			return m, err
		}
		if p.StartedAt.IsZero() {
			return m, stale(p.Worker+" 到岗后才能记录考勤", "record attendance once "+p.Worker+" is on site")
		}
		started := dayOf(p.StartedAt)
		last := p.To
		if !p.EndedAt.IsZero() {
			last = min(last, dayOf(p.EndedAt))
		}
		for _, d := range days {
			if _, ok := pool.ParseDay(d); !ok || d < started || d > last || d > today {
				return m, fault.Fields{"days": {Zh: fmt.Sprintf("%s 的出勤日须在 %s 至 %s 之间且不晚于今天", p.Worker, started, min(last, today)),
					En: fmt.Sprintf("%s's days must fall from %s to %s and not after today", p.Worker, started, min(last, today))}}.Err()
			}
		}
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		for _, pid := range placementIDs {
			for _, d := range days {
				if _, err := tx.DB().Exec(ctx, `INSERT INTO pool_attendance (placement_id, day, recorded_by, recorded_at) VALUES (?, ?, ?, ?)
					ON CONFLICT (placement_id, day) DO NOTHING`, pid, d, actor.UserID, tx.Now().UnixMilli()); err != nil {
					return fmt.Errorf("attendance: %w", err)
				}
			}
			if err := tx.Record(ctx, actor, "pool.attend", fmt.Sprintf("pool_placement/%d", pid), "ok", map[string]any{"days": len(days)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return m, err
	}
	return s.Loan(ctx, actor, id)
}

// End returns a worker to the lender: at the end of the period ("return")
// or early with a reason ("early"), by either enterprise or the staff who
// match; a worker not yet on site goes back too (the slot to the need).
func (s *Store) End(ctx context.Context, actor access.Actor, id, placementID int64, early bool, reason string, version int) (pool.Loan, error) {
	m, err := s.Loan(ctx, actor, id)
	if err != nil {
		return m, err
	}
	by := ""
	switch {
	case own(actor, m.LenderID):
		by = "lender"
	case own(actor, m.BorrowerID):
		by = "borrower"
	case s.runs(ctx, actor, m):
		by = "community"
	default:
		for _, pn := range []string{"lender", "borrower"} {
			if s.actsFor(ctx, actor, m, pn) == nil {
				by = pn
				break
			}
		}
	}
	if by == "" {
		return m, access.ErrForbidden
	}
	p, err := placementOf(m, placementID)
	if err != nil {
		return m, err
	}
	reason = strings.TrimSpace(reason)
	if early {
		if n := len([]rune(reason)); n < 2 || n > 200 {
			return m, fault.Fields{"reason": {Zh: "提前结束请说明原因（2至200字）", En: "say why it ends early (2 to 200 characters)"}}.Err()
		}
	} else if p.State != pool.PlaceOnSite {
		return m, stale("员工不在借入企业", "the worker is not on site")
	} else if today := s.today(); today < p.To {
		return m, stale(fmt.Sprintf("借出至 %s 才期满；提前结束请说明原因", p.To),
			fmt.Sprintf("the loan runs to %s: to end it before, say why", p.To))
	}
	state := pool.PlaceReturned
	if early {
		state = pool.PlaceEarly
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		res, err := h.Exec(ctx, `UPDATE pool_placements SET state = ?, ended_at = ?, end_reason = ?, ended_by = ?, ext_to = '', version = version + 1
			WHERE id = ? AND version = ? AND state IN ('chosen', 'consented', 'on_site')`, state, tx.Now().UnixMilli(), reason, by, placementID, version)
		if err != nil {
			return fmt.Errorf("end placement: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		if p.State == pool.PlaceOnSite {
			if _, err := h.Exec(ctx, "UPDATE pool_workers SET status = 'available', version = version + 1 WHERE id = ? AND status = 'lent'", p.WorkerID); err != nil {
				return fmt.Errorf("worker back: %w", err)
			}
			if err := s.settle(ctx, tx, id, reason); err != nil {
				return err
			}
		} else if err := s.letGo(ctx, tx, id, p, reason); err != nil {
			return err
		}
		title := fmt.Sprintf("%s 已回到 %s", p.Worker, m.Lender)
		if early {
			title = fmt.Sprintf("%s 提前结束借出：%s", p.Worker, reason)
		}
		if err := s.tellParties(ctx, tx, id, title); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "pool.end", fmt.Sprintf("pool_placement/%d", placementID), "ok", map[string]any{"early": early, "by": by, "reason": reason})
	})
	if err != nil {
		return m, err
	}
	return s.Loan(ctx, actor, id)
}

// runs reports whether the actor runs the loan: proposed it, or matches
// where its lender or borrower is. Sharing a record with a wider region lets
// other communities' staff read it, not act on it.
func (s *Store) runs(ctx context.Context, actor access.Actor, m pool.Loan) bool {
	if !access.May(actor.Role, access.PoolMatch) {
		return false
	}
	if m.ProposedBy != 0 && m.ProposedBy == actor.UserID {
		return true
	}
	for _, id := range []int64{m.LenderID, m.BorrowerID} {
		if _, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PoolMatch, id); err == nil {
			return true
		}
	}
	return false
}

// Extend is the two enterprises agreeing a later last day for a worker on
// site (either of them, or staff): the worker's new consent on their page
// makes it the period; the contract's end still bounds it.
func (s *Store) Extend(ctx context.Context, actor access.Actor, id, placementID int64, to string, version int) (pool.Loan, error) {
	m, err := s.Loan(ctx, actor, id)
	if err != nil {
		return m, err
	}
	if err := s.actsFor(ctx, actor, m, "borrower"); err != nil {
		if err := s.actsFor(ctx, actor, m, "lender"); err != nil {
			return m, err
		}
	}
	p, err := placementOf(m, placementID)
	if err != nil {
		return m, err
	}
	if _, ok := pool.ParseDay(to); !ok || to <= p.To {
		return m, fault.Fields{"to": {Zh: "新的结束日期须晚于原结束日期 " + p.To, En: "the new last day must be after " + p.To}}.Err()
	}
	if p.State != pool.PlaceOnSite && p.State != pool.PlaceConsented {
		return m, stale("只能延长正在借出的员工", "only a worker on a loan can be extended")
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var contractEnd string
		if err := store.Scan(tx.DB().Row(ctx, "SELECT contract_end FROM pool_workers WHERE id = ?", p.WorkerID), &contractEnd); err != nil {
			return err
		}
		if err := pool.CheckChoose(pool.Lend{ContractEnd: contractEnd, To: to, Employed: true}); err != nil {
			return err
		}
		res, err := tx.DB().Exec(ctx, "UPDATE pool_placements SET ext_to = ?, version = version + 1 WHERE id = ? AND version = ? AND state IN ('consented', 'on_site')",
			to, placementID, version)
		if err != nil {
			return fmt.Errorf("extend: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		return tx.Record(ctx, actor, "pool.extend", fmt.Sprintf("pool_placement/%d", placementID), "ok", map[string]any{"to": to})
	})
	if err != nil {
		return m, err
	}
	return s.Loan(ctx, actor, id)
}

// AnswerExtension is the worker's answer to an extension on their page:
// consent makes the new last day the period; no leaves it as it was.
func (s *Store) AnswerExtension(ctx context.Context, token string, consent bool) (Mine, error) {
	mine, err := s.Mine(ctx, token)
	if err != nil {
		return mine, err
	}
	p := mine.Placement
	if p.ExtTo == "" {
		return mine, stale("没有待确认的延期", "no extension to answer")
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		q := "UPDATE pool_placements SET ext_to = '', version = version + 1 WHERE id = ? AND ext_to = ? AND state IN ('consented', 'on_site')"
		if consent {
			q = "UPDATE pool_placements SET to_day = ext_to, ext_to = '', version = version + 1 WHERE id = ? AND ext_to = ? AND state IN ('consented', 'on_site')"
		}
		res, err := tx.DB().Exec(ctx, q, p.ID, p.ExtTo)
		if err != nil {
			return fmt.Errorf("extension: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		word := "不同意"
		if consent {
			word = "同意"
		}
		if err := s.tellParties(ctx, tx, mine.Loan.ID, fmt.Sprintf("%s %s延期至 %s", p.Worker, word, p.ExtTo)); err != nil {
			return err
		}
		return tx.Record(ctx, workerActor(p), "pool.extension", fmt.Sprintf("pool_placement/%d", p.ID), "ok", map[string]any{"consent": consent, "to": p.ExtTo})
	})
	if err != nil {
		return mine, err
	}
	return s.Mine(ctx, token)
}

// Rate is an enterprise's rating of an ended loan, 1–5, once per party.
func (s *Store) Rate(ctx context.Context, actor access.Actor, id int64, partyName string, stars int, note string) error {
	if partyName != "lender" && partyName != "borrower" {
		return fault.Fields{"party": {Zh: "请选择出借方或借入方", En: "lender or borrower"}}.Err()
	}
	m, err := s.asParty(ctx, actor, id, partyName)
	if err != nil {
		return err
	}
	if stars < 1 || stars > 5 {
		return fault.Fields{"stars": {Zh: "请选择1到5星", En: "choose 1 to 5 stars"}}.Err()
	}
	if len([]rune(strings.TrimSpace(note))) > 200 {
		return fault.Fields{"note": {Zh: "说明最多200字", En: "at most 200 characters"}}.Err()
	}
	if m.State != pool.MatchEnded {
		return stale("借出结束后才能评价", "rate when the loan has ended")
	}
	return s.engine.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.DB().Exec(ctx, `INSERT INTO pool_ratings (match_id, party, stars, note, rated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (match_id, party) DO NOTHING`, id, partyName, stars, strings.TrimSpace(note), tx.Now().UnixMilli())
		if err != nil {
			return fmt.Errorf("rate: %w", err)
		}
		if affected(res) != 1 {
			return stale("已经评价过了", "already rated")
		}
		return tx.Record(ctx, actor, "pool.rate", fmt.Sprintf("pool_loan/%d", id), "ok", map[string]any{"party": partyName, "stars": stars})
	})
}

// Ratings are the parties' ratings of a loan.
func (s *Store) Ratings(ctx context.Context, actor access.Actor, id int64) (map[string]int, error) {
	if _, err := s.Loan(ctx, actor, id); err != nil {
		return nil, err
	}
	rows, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (struct {
		party string
		stars int
	}, error) {
		var r struct {
			party string
			stars int
		}
		return r, sc.Scan(&r.party, &r.stars)
	}, "SELECT party, stars FROM pool_ratings WHERE match_id = ?", id)
	out := map[string]int{}
	for _, r := range rows {
		out[r.party] = r.stars
	}
	return out, err
}

// LenderClosed ends every loan of a lender that closed or went bankrupt
// (staff who match): its proposals are cancelled, its workers not yet on
// site never go, those on site return, its offers leave the pool.
func (s *Store) LenderClosed(ctx context.Context, actor access.Actor, enterpriseID int64, reason string) (int, error) {
	if !access.May(actor.Role, access.PoolMatch) {
		return 0, access.ErrForbidden
	}
	if _, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PoolMatch, enterpriseID); err != nil {
		return 0, err
	}
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n < 2 || n > 200 {
		return 0, fault.Fields{"reason": {Zh: "请说明情况（2至200字）", En: "say what happened (2 to 200 characters)"}}.Err()
	}
	ended := 0
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		now := tx.Now().UnixMilli()
		why := pool.RuleOf("lender_open").Zh + " " + reason
		type live struct {
			p     pool.Placement
			match int64
		}
		rows, err := store.Collect(ctx, h, func(sc store.Scanner) (live, error) {
			var l live
			return l, sc.Scan(&l.p.ID, &l.match, &l.p.WorkerID, &l.p.State)
		}, `SELECT p.id, p.match_id, p.worker_id, p.state FROM pool_placements p JOIN pool_matches m ON m.id = p.match_id
			WHERE m.lender_id = ? AND p.state IN ('chosen', 'consented', 'on_site') ORDER BY p.id`, enterpriseID)
		if err != nil {
			return err
		}
		for _, l := range rows {
			res, err := h.Exec(ctx, `UPDATE pool_placements SET state = 'early', ended_at = ?, end_reason = ?, ended_by = 'rule', ext_to = '',
				version = version + 1 WHERE id = ? AND state = ?`, now, why, l.p.ID, l.p.State)
			if err != nil {
				return fmt.Errorf("end placement: %w", err)
			}
			if affected(res) != 1 {
				continue // the worker answered meanwhile: what they did stands
			}
			if l.p.State == pool.PlaceOnSite {
				if err := s.settle(ctx, tx, l.match, why); err != nil {
					return err
				}
			} else if err := s.letGo(ctx, tx, l.match, l.p, why); err != nil {
				return err
			}
			ended++
		}
		type proposal struct {
			id, need int64
			heads    int
		}
		proposals, err := store.Collect(ctx, h, func(sc store.Scanner) (proposal, error) {
			var p proposal
			return p, sc.Scan(&p.id, &p.need, &p.heads)
		}, "SELECT id, need_id, heads FROM pool_matches WHERE lender_id = ? AND state = 'proposed'", enterpriseID)
		if err != nil {
			return err
		}
		for _, p := range proposals {
			res, err := h.Exec(ctx, "UPDATE pool_matches SET state = 'cancelled', ended_at = ?, end_reason = ?, version = version + 1 WHERE id = ? AND state = 'proposed'", now, why, p.id)
			if err != nil {
				return err
			}
			if affected(res) != 1 {
				continue // declined or chosen meanwhile
			}
			if err := s.release(ctx, h, p.need, p.heads); err != nil {
				return err
			}
		}
		if _, err := h.Exec(ctx, "UPDATE pool_workers SET status = 'withdrawn', withdrawn_at = ?, version = version + 1 WHERE enterprise_id = ? AND status <> 'withdrawn'",
			now, enterpriseID); err != nil {
			return fmt.Errorf("withdraw offers: %w", err)
		}
		if _, err := h.Exec(ctx, `INSERT INTO pool_closed (enterprise_id, reason, closed_by, closed_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (enterprise_id) DO NOTHING`, enterpriseID, reason, actor.UserID, now); err != nil {
			return fmt.Errorf("record the closure: %w", err)
		}
		return tx.Record(ctx, actor, "pool.lender_closed", fmt.Sprintf("enterprise/%d", enterpriseID), "ok", map[string]any{"ended": ended, "reason": reason})
	})
	return ended, err
}
