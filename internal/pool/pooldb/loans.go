package pooldb

// The matcher's run, the loans it proposes, and the lender's choice.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/store"
)

// Suggestion is the matcher's answer for the pool the actor sees.
type Suggestion struct {
	pool.Result
	Needs    []pool.Need `json:"needs"` // the open needs considered
	Workers  int         `json:"workers"`
	Unfilled []Unfilled  `json:"unfilled"` // needs the proposals leave short
}

// Unfilled is a need the pool cannot fill, with why its work type's
// workers do not fit and the job seekers who might.
type Unfilled struct {
	NeedID  int64   `json:"need_id"`
	Short   int     `json:"short"`
	Blocked []Count `json:"blocked"`
	Seekers int     `json:"seekers"` // open job seekers of its work type in the actor's region
}

// Count is a reason and how many it stops.
type Count struct {
	Reason fault.Msg `json:"reason"`
	Count  int       `json:"count"`
}

// offers reads the available workers the actor sees with where their
// lenders are and whom they exclude; lender 0 every lender.
func (s *Store) offers(ctx context.Context, h store.DB, actor access.Actor, lender int64) ([]pool.Offer, error) {
	where, args := visible(actor, "w.share_code")
	where += " AND w.status = 'available' AND NOT EXISTS (SELECT 1 FROM pool_closed c WHERE c.enterprise_id = w.enterprise_id)"
	if lender != 0 {
		where += " AND w.enterprise_id = ?"
		args = append(args, lender)
	}
	out, err := store.Collect(ctx, h, func(sc store.Scanner) (pool.Offer, error) {
		var o pool.Offer
		var types, certs string
		var created int64
		w := &o.Worker
		err := sc.Scan(&w.ID, &w.EnterpriseID, &w.Enterprise, &w.TeamID, &w.Name, &w.Phone, &w.IDNumber, &types, &certs,
			&w.ContractEnd, &w.From, &w.To, &w.Shift, &w.Share, &w.Status, &w.Version, &created,
			&o.Where.Grid, &o.Where.Community, &o.Where.Street, &o.Where.District, &o.Lodging, &o.Shuttle)
		w.WorkTypes = unlist[pool.WorkType](types)
		_ = json.Unmarshal([]byte(certs), &w.Certs)
		return o, err
	}, "SELECT "+workerColumns+`, e.grid_code, e.community_code, e.street_code, e.district_code,
		COALESCE(t.lodging, FALSE), COALESCE(t.shuttle, FALSE)
		FROM pool_workers w JOIN enterprises e ON e.id = w.enterprise_id LEFT JOIN pool_teams t ON t.id = w.team_id
		WHERE `+where+" ORDER BY w.id", args...)
	if err != nil || len(out) == 0 {
		return out, wrap(err, "read offers")
	}
	excl, err := store.Collect(ctx, h, func(sc store.Scanner) ([2]int64, error) {
		var x [2]int64
		return x, sc.Scan(&x[0], &x[1])
	}, `SELECT x.enterprise_id, x.excluded_id FROM pool_exclusions x WHERE x.enterprise_id IN
		(SELECT w.enterprise_id FROM pool_workers w JOIN enterprises e ON e.id = w.enterprise_id WHERE `+where+")", args...)
	if err != nil {
		return nil, fmt.Errorf("read exclusions: %w", err)
	}
	by := map[int64][]int64{}
	for _, x := range excl {
		by[x[0]] = append(by[x[0]], x[1])
	}
	for i := range out {
		out[i].Excludes = by[out[i].Worker.EnterpriseID]
	}
	return out, nil
}

// wants reads the open needs the actor sees with where their enterprises are; need 0 every need.
func (s *Store) wants(ctx context.Context, h store.DB, actor access.Actor, need int64) ([]pool.Want, error) {
	where, args := visible(actor, "n.share_code")
	where += " AND n.status = 'open' AND n.to_day >= ?" // a need whose period is over is past filling
	args = append(args, s.today())
	if need != 0 {
		where += " AND n.id = ?"
		args = append(args, need)
	}
	out, err := store.Collect(ctx, h, func(sc store.Scanner) (pool.Want, error) {
		var w pool.Want
		var wt, certs string
		var posted, first int64
		n := &w.Need
		err := sc.Scan(&n.ID, &n.EnterpriseID, &n.Enterprise, &wt, &n.Heads, &n.Taken, &n.From, &n.To, &n.Site, &n.Shift,
			&n.DailyCost, &certs, &n.Training, &n.Transport, &n.Lodging, &n.NeededBy, &n.Contact, &n.Phone, &n.Share, &n.Status,
			&posted, &first, &n.Version, &w.Where.Grid, &w.Where.Community, &w.Where.Street, &w.Where.District)
		n.WorkType, n.Certs = pool.WorkType(wt), unlist[string](certs)
		n.PostedAt, n.FirstOnSite = store.Millis(posted), store.Millis(first)
		return w, err
	}, "SELECT "+needColumns+`, e.grid_code, e.community_code, e.street_code, e.district_code
		FROM pool_needs n JOIN enterprises e ON e.id = n.enterprise_id WHERE `+where+" ORDER BY n.needed_by, n.id", args...)
	return out, wrap(err, "read wants")
}

// Suggest runs the matcher over the open needs and available workers the
// actor sees (staff who match), and says for each need left short why.
func (s *Store) Suggest(ctx context.Context, actor access.Actor) (Suggestion, error) {
	if !access.May(actor.Role, access.PoolMatch) {
		return Suggestion{}, access.ErrForbidden
	}
	r := s.engine.Reader()
	offers, err := s.offers(ctx, r, actor, 0)
	if err != nil {
		return Suggestion{}, err
	}
	wants, err := s.wants(ctx, r, actor, 0)
	if err != nil {
		return Suggestion{}, err
	}
	today := s.today()
	sg := Suggestion{Result: pool.Match(offers, wants, today), Workers: len(offers)}
	filled := map[int64]int{}
	for _, p := range sg.Proposals {
		filled[p.NeedID] += p.Heads
	}
	cond, args := seekerScope(actor, access.PoolRead)
	seekers := map[pool.WorkType]int{}
	for _, w := range wants {
		sg.Needs = append(sg.Needs, w.Need)
		short := w.Need.Open() - filled[w.Need.ID]
		if short <= 0 {
			continue
		}
		u := Unfilled{NeedID: w.Need.ID, Short: short}
		for why, n := range pool.Blocked(offers, w, today) {
			u.Blocked = append(u.Blocked, Count{why, n})
		}
		slices.SortFunc(u.Blocked, func(a, b Count) int { return b.Count - a.Count })
		n, ok := seekers[w.Need.WorkType]
		if !ok { // the count depends on the work type only: once each
			if err := store.Scan(r.Row(ctx, "SELECT COUNT(*) FROM pool_seekers s WHERE s.status = 'open' AND s.work_types LIKE ? AND "+cond,
				append([]any{"%," + string(w.Need.WorkType) + ",%"}, args...)...), &n); err != nil {
				return sg, fmt.Errorf("count seekers: %w", err)
			}
			seekers[w.Need.WorkType] = n
		}
		u.Seekers = n
		sg.Unfilled = append(sg.Unfilled, u)
	}
	return sg, nil
}

// Propose proposes a lender for a need (staff who match), reserving heads
// of its slots: the lender is asked to choose its workers. The proposal
// must be one the matcher could make: enough of the lender's workers fit
// every rule. Of two proposals for the last slots, one wins.
func (s *Store) Propose(ctx context.Context, actor access.Actor, needID, lenderID int64, heads int) (pool.Loan, error) {
	if !access.May(actor.Role, access.PoolMatch) {
		return pool.Loan{}, access.ErrForbidden
	}
	r := s.engine.Reader()
	wants, err := s.wants(ctx, r, actor, needID)
	if err != nil {
		return pool.Loan{}, err
	}
	if len(wants) == 0 {
		if _, err := s.Need(ctx, actor, needID); err != nil {
			return pool.Loan{}, err
		}
		return pool.Loan{}, stale("该需求已满员或已关闭", "the need is filled or closed")
	}
	offers, err := s.offers(ctx, r, actor, lenderID)
	if err != nil {
		return pool.Loan{}, err
	}
	if len(offers) == 0 {
		return pool.Loan{}, fault.ErrNotFound
	}
	w := wants[0]
	if heads < 1 || heads > w.Need.Open() {
		return pool.Loan{}, fault.Fields{"heads": {Zh: fmt.Sprintf("人数须在1到%d之间（剩余名额）", w.Need.Open()),
			En: fmt.Sprintf("heads must be 1 to %d (the slots left)", w.Need.Open())}}.Err()
	}
	res := pool.Match(offers, []pool.Want{{Need: withOpen(w.Need, heads), Where: w.Where}}, s.today())
	if res.Filled < heads {
		return pool.Loan{}, fault.New(fault.Invalid, "pool_no_fit",
			fmt.Sprintf("该企业只有 %d 名员工符合此需求的工种、证书、班次、期限和共享用工规定", res.Filled),
			fmt.Sprintf("only %d of the lender's workers fit the need and the rules", res.Filled))
	}
	prop := res.Proposals[0]
	lender, err := enterpriseFor(ctx, r, access.System("pool"), access.PoolRead, lenderID)
	if err != nil {
		return pool.Loan{}, err
	}
	var m pool.Loan
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		now := tx.Now()
		if err := s.take(ctx, h, needID, heads); err != nil {
			return err
		}
		m = pool.Loan{NeedID: needID, LenderID: lenderID, Lender: lender.Name, BorrowerID: w.Need.EnterpriseID, Borrower: w.Need.Enterprise,
			Heads: heads, State: pool.MatchProposed, Reasons: prop.Reasons, ProposedAt: time.UnixMilli(now.UnixMilli()), ProposedBy: actor.UserID, Version: 1}
		if err := store.Scan(h.Row(ctx, `INSERT INTO pool_matches (need_id, lender_id, borrower_id, heads, state, reasons, proposed_by, proposed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, needID, lenderID, m.BorrowerID, heads, m.State, mustJSON(m.Reasons),
			actor.UserID, now.UnixMilli()), &m.ID); err != nil {
			return fmt.Errorf("insert loan: %w", err)
		}
		wt, _ := pool.Find(pool.WorkTypes, string(w.Need.WorkType))
		if err := tx.Notify(ctx, store.EnterpriseUsers(lenderID), "pool.proposed", fmt.Sprintf("/pool/loans/%d", m.ID),
			fmt.Sprintf("社区建议您向 %s 借出%s %d 人，请在24小时内选定员工", w.Need.Enterprise, wt.Zh, heads)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "pool.propose", fmt.Sprintf("pool_loan/%d", m.ID), "ok",
			map[string]any{"need": needID, "lender": lenderID, "heads": heads})
	})
	m.Need = w.Need
	return m, err
}

func withOpen(n pool.Need, open int) pool.Need {
	n.Taken = n.Heads - open
	return n
}

const loanColumns = `m.id, m.need_id, m.lender_id, l.name, m.borrower_id, b.name, m.heads, m.state, m.reasons, m.proposed_at, m.proposed_by, m.chosen_at,
	m.lender_seal, m.lender_sealed_at, m.borrower_seal, m.borrower_sealed_at, m.compensation, m.trained_at, m.training_note,
	m.first_on_site, m.ended_at, m.end_reason, m.version`

const loanFrom = ` FROM pool_matches m JOIN enterprises l ON l.id = m.lender_id JOIN enterprises b ON b.id = m.borrower_id
	JOIN pool_needs n ON n.id = m.need_id`

func scanLoan(sc store.Scanner) (pool.Loan, error) {
	var m pool.Loan
	var reasons string
	var proposed, chosen, ls, bs, trained, first, ended int64
	err := sc.Scan(&m.ID, &m.NeedID, &m.LenderID, &m.Lender, &m.BorrowerID, &m.Borrower, &m.Heads, &m.State, &reasons, &proposed, &m.ProposedBy, &chosen,
		&m.LenderSeal, &ls, &m.BorrowerSeal, &bs, &m.Compensation, &trained, &m.TrainingNote, &first, &ended, &m.EndReason, &m.Version)
	_ = json.Unmarshal([]byte(reasons), &m.Reasons)
	m.ProposedAt, m.ChosenAt, m.LenderSealedAt, m.BorrowerSealedAt = store.Millis(proposed), store.Millis(chosen), store.Millis(ls), store.Millis(bs)
	m.TrainedAt, m.FirstOnSite, m.EndedAt = store.Millis(trained), store.Millis(first), store.Millis(ended)
	return m, store.ScanErr(err)
}

// loanScope is the condition on loans m (with needs n) the actor may read:
// the lender or the borrower in the actor's reach, or the need shared with
// a region holding the match staff's.
func loanScope(actor access.Actor) (string, []any) {
	cond, args := store.EnterpriseScope(actor, access.PoolRead)
	sh, shArgs := shared(actor, "n.share_code")
	// One probe by key for each party: an IN over both lets SQLite take a
	// region's index over the whole region instead.
	return "(EXISTS (SELECT 1 FROM enterprises e WHERE e.id = m.lender_id AND " + cond + ") OR " +
			"EXISTS (SELECT 1 FROM enterprises e WHERE e.id = m.borrower_id AND " + cond + ") OR " + sh + ")",
		append(append(args, args...), shArgs...)
}

// LoanQuery selects loans.
type LoanQuery struct {
	Enterprise int64 // as lender or borrower
	Need       int64
	State      string // a state, or "live": proposed, chosen, active
	Page       store.Page
}

// Loans lists the loans the actor may read, the newest first, each with
// the step it waits on.
func (s *Store) Loans(ctx context.Context, actor access.Actor, q LoanQuery) ([]pool.Loan, int, error) {
	if !access.May(actor.Role, access.PoolRead) {
		return nil, 0, access.ErrForbidden
	}
	where, args := loanScope(actor)
	if q.Enterprise != 0 {
		where += " AND (m.lender_id = ? OR m.borrower_id = ?)"
		args = append(args, q.Enterprise, q.Enterprise)
	}
	if q.Need != 0 {
		where += " AND m.need_id = ?"
		args = append(args, q.Need)
	}
	switch q.State {
	case "":
	case "live":
		where += " AND m.state IN ('proposed', 'chosen', 'active')"
	default:
		where += " AND m.state = ?"
		args = append(args, q.State)
	}
	r := s.engine.Reader()
	out, total, err := store.Paged(ctx, r, "loans", scanLoan, loanColumns, loanFrom, where, args, "m.proposed_at DESC, m.id DESC", q.Page)
	if err != nil {
		return nil, 0, err
	}
	if err := s.fill(ctx, r, actor, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Loan returns one loan the actor may read, with its need and placements.
func (s *Store) Loan(ctx context.Context, actor access.Actor, id int64) (pool.Loan, error) {
	if !access.May(actor.Role, access.PoolRead) {
		return pool.Loan{}, access.ErrForbidden
	}
	return s.loan(ctx, s.engine.Reader(), actor, id)
}

func (s *Store) loan(ctx context.Context, h store.DB, actor access.Actor, id int64) (pool.Loan, error) {
	where, args := loanScope(actor)
	m, err := scanLoan(h.Row(ctx, "SELECT "+loanColumns+loanFrom+" WHERE m.id = ? AND "+where, append([]any{id}, args...)...))
	if err != nil {
		return m, err
	}
	loans := []pool.Loan{m}
	err = s.fill(ctx, h, actor, loans)
	return loans[0], err
}

// fill reads the loans' needs and placements, a query for each per 500
// loans, masks the phones the actor may not see, and works out the step
// each loan waits on.
func (s *Store) fill(ctx context.Context, h store.DB, actor access.Actor, loans []pool.Loan) error {
	for chunk := range slices.Chunk(loans, 500) {
		if err := s.fillChunk(ctx, h, actor, chunk); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) fillChunk(ctx context.Context, h store.DB, actor access.Actor, loans []pool.Loan) error {
	needIDs, loanIDs := make([]any, len(loans)), make([]any, len(loans))
	for i, m := range loans {
		needIDs[i], loanIDs[i] = m.NeedID, m.ID
	}
	needs, err := store.Collect(ctx, h, scanNeed, "SELECT "+needColumns+" "+needFrom+" WHERE n.id IN ("+store.Placeholders(len(needIDs))+")", needIDs...)
	if err != nil {
		return fmt.Errorf("loans' needs: %w", err)
	}
	byID := make(map[int64]pool.Need, len(needs))
	for _, n := range needs {
		byID[n.ID] = n
	}
	placements, err := store.Collect(ctx, h, scanPlacement, "SELECT "+placementColumns+` FROM pool_placements p JOIN pool_workers w ON w.id = p.worker_id
		WHERE p.match_id IN (`+store.Placeholders(len(loanIDs))+`) ORDER BY p.id`, loanIDs...)
	if err != nil {
		return fmt.Errorf("loans' placements: %w", err)
	}
	byLoan := map[int64][]pool.Placement{}
	for _, p := range placements {
		byLoan[p.MatchID] = append(byLoan[p.MatchID], p)
	}
	now := s.engine.Now()
	for i := range loans {
		m := &loans[i]
		n, ok := byID[m.NeedID]
		if !ok {
			return fmt.Errorf("loan %d's need: %w", m.ID, fault.ErrNotFound)
		}
		m.Need, m.Placements = n, byLoan[m.ID]
		for j := range m.Placements {
			p := &m.Placements[j]
			seesPhone := own(actor, m.LenderID) || (own(actor, m.BorrowerID) && p.State != pool.PlaceChosen && p.State != pool.PlaceDeclined)
			if !seesPhone {
				p.Phone = access.MaskPhone(p.Phone)
			}
		}
		step, since, due := m.Waiting()
		if step != "" {
			m.Step, m.StepDue, m.Colour = step, due, pool.Colour(since, pool.StepOf(step).Within, now)
		}
	}
	return nil
}

const placementColumns = `p.id, p.match_id, p.worker_id, w.name, w.phone, p.state, p.from_day, p.to_day, p.chosen_at, p.consented_at,
	p.answered_at, p.cover_ref, p.cover_until, p.ext_to, p.started_at, p.ended_at, p.end_reason, p.ended_by,
	(SELECT COUNT(*) FROM pool_attendance a WHERE a.placement_id = p.id), p.rating, p.version`

func scanPlacement(sc store.Scanner) (pool.Placement, error) {
	var p pool.Placement
	var chosen, consented, answered, started, ended int64
	err := sc.Scan(&p.ID, &p.MatchID, &p.WorkerID, &p.Worker, &p.Phone, &p.State, &p.From, &p.To, &chosen, &consented,
		&answered, &p.CoverRef, &p.CoverUntil, &p.ExtTo, &started, &ended, &p.EndReason, &p.EndedBy, &p.Days, &p.Rating, &p.Version)
	p.ChosenAt, p.ConsentedAt, p.AnsweredAt = store.Millis(chosen), store.Millis(consented), store.Millis(answered)
	p.StartedAt, p.EndedAt = store.Millis(started), store.Millis(ended)
	return p, err
}

// asParty checks that the actor may act for the loan's lender or borrower
// (its own account, or staff for it) and returns the loan.
func (s *Store) asParty(ctx context.Context, actor access.Actor, id int64, party string) (pool.Loan, error) {
	if !access.May(actor.Role, access.PoolPost) {
		return pool.Loan{}, access.ErrForbidden
	}
	m, err := s.Loan(ctx, actor, id)
	if err != nil {
		return m, err
	}
	return m, s.actsFor(ctx, actor, m, party)
}

// actsFor checks that the actor may act for a party of a loan already read
// (its own account, or staff for it).
func (s *Store) actsFor(ctx context.Context, actor access.Actor, m pool.Loan, party string) error {
	if !access.May(actor.Role, access.PoolPost) {
		return access.ErrForbidden
	}
	eid := m.LenderID
	if party == "borrower" {
		eid = m.BorrowerID
	}
	if _, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PoolPost, eid); err != nil {
		return access.ErrForbidden
	}
	return nil
}

// MayAct checks that the actor may act for a loan's party ("lender" or
// "borrower"): what the web checks before it keeps an upload for the party.
func (s *Store) MayAct(ctx context.Context, actor access.Actor, id int64, party string) error {
	if party != "lender" && party != "borrower" {
		return fault.Fields{"party": {Zh: "请选择出借方或借入方", En: "lender or borrower"}}.Err()
	}
	_, err := s.asParty(ctx, actor, id, party)
	return err
}

// Decline is the lender declining a proposal, with its reason: the slots go
// back to the need.
func (s *Store) Decline(ctx context.Context, actor access.Actor, id int64, reason string, version int) (pool.Loan, error) {
	m, err := s.asParty(ctx, actor, id, "lender")
	if err != nil {
		return m, err
	}
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n < 2 || n > 200 {
		return m, fault.Fields{"reason": {Zh: "请说明原因（2至200字）", En: "say why (2 to 200 characters)"}}.Err()
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		now := tx.Now().UnixMilli()
		res, err := h.Exec(ctx, `UPDATE pool_matches SET state = 'declined', ended_at = ?, end_reason = ?, version = version + 1
			WHERE id = ? AND version = ? AND state = 'proposed'`, now, reason, id, version)
		if err != nil {
			return fmt.Errorf("decline: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		if err := s.release(ctx, h, m.NeedID, m.Heads); err != nil {
			return err
		}
		m.State, m.EndedAt, m.EndReason, m.Version = pool.MatchDeclined, time.UnixMilli(now), reason, version+1
		return tx.Record(ctx, actor, "pool.decline", fmt.Sprintf("pool_loan/%d", id), "ok", map[string]any{"reason": reason})
	})
	return m, err
}

// Choose is the lender choosing which of its workers go (at most the slots
// proposed; the rest go back to the need). Each worker must fit the need
// and the rules; a worker another loan chose first is refused (one wins).
// The community is told to give each worker the one-time code of their page.
func (s *Store) Choose(ctx context.Context, actor access.Actor, id int64, workerIDs []int64, version int) (pool.Loan, error) {
	m, err := s.asParty(ctx, actor, id, "lender")
	if err != nil {
		return m, err
	}
	if m.State != pool.MatchProposed {
		return m, stale("这项借出已选定员工或已结束", "workers were already chosen, or the loan ended")
	}
	slices.Sort(workerIDs)
	workerIDs = slices.Compact(workerIDs)
	if len(workerIDs) == 0 || len(workerIDs) > m.Heads {
		return m, fault.Fields{"workers": {Zh: fmt.Sprintf("请选定1到%d名员工", m.Heads), En: fmt.Sprintf("choose 1 to %d workers", m.Heads)}}.Err()
	}
	today := s.today()
	var lender party
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		now := tx.Now().UnixMilli()
		var err error
		if lender, err = scanParty(h.Row(ctx, "SELECT "+partyColumns+" FROM enterprises e WHERE e.id = ?", m.LenderID)); err != nil {
			return err
		}
		shut, err := closed(ctx, h, m.LenderID)
		if err != nil {
			return err
		}
		for _, wid := range workerIDs {
			w, err := scanWorker(h.Row(ctx, "SELECT "+workerColumns+" FROM pool_workers w JOIN enterprises e ON e.id = w.enterprise_id WHERE w.id = ? AND w.enterprise_id = ?", wid, m.LenderID))
			if err != nil {
				if fault.Is(err, fault.NotFound) {
					return fault.Fields{"workers": {Zh: "所选人员不是出借企业在池中的员工", En: "a chosen person is not the lender's worker in the pool"}}.Err()
				}
				return err
			}
			to := min(m.Need.To, w.To)
			var borrowed int
			if err := store.Scan(h.Row(ctx, `SELECT COUNT(*) FROM pool_placements p JOIN pool_workers o ON o.id = p.worker_id
				JOIN pool_matches x ON x.id = p.match_id WHERE o.id_number = ? AND x.borrower_id = ? AND p.state IN ('chosen', 'consented', 'on_site')`,
				w.IDNumber, m.LenderID), &borrowed); err != nil {
				return fmt.Errorf("re-lend check: %w", err)
			}
			if err := pool.CheckChoose(pool.Lend{ContractEnd: w.ContractEnd, To: to, Borrowed: borrowed > 0, Employed: true, LenderClosed: shut}); err != nil {
				return err
			}
			// The fit the candidates were chosen by, the team's lodging with it.
			lodging := false
			if w.TeamID != 0 {
				if err := store.Scan(h.Row(ctx, "SELECT lodging FROM pool_teams WHERE id = ?", w.TeamID), &lodging); err != nil {
					return err
				}
			}
			if _, why, ok := pool.Check(pool.Offer{Worker: w, Lodging: lodging}, pool.Want{Need: withOpen(m.Need, 1)}, today); !ok && w.Status == pool.WorkerAvailable {
				return fault.New(fault.Invalid, "pool_no_fit", w.Name+" 不符合此需求："+why.Zh, w.Name+" does not fit the need: "+why.En)
			}
			res, err := h.Exec(ctx, "UPDATE pool_workers SET status = 'lent', version = version + 1 WHERE id = ? AND status = 'available'", wid)
			if err != nil {
				return fmt.Errorf("lend worker: %w", err)
			}
			if affected(res) != 1 {
				return stale(w.Name+" 已被其他借出选中或已退出", w.Name+" was chosen for another loan or withdrawn")
			}
			if _, err := h.Exec(ctx, `INSERT INTO pool_placements (match_id, worker_id, state, from_day, to_day, chosen_at)
				VALUES (?, ?, 'chosen', ?, ?, ?)`, id, wid, m.Need.From, to, now); err != nil {
				return fmt.Errorf("insert placement: %w", err)
			}
		}
		res, err := h.Exec(ctx, `UPDATE pool_matches SET state = 'chosen', heads = ?, chosen_at = ?, version = version + 1
			WHERE id = ? AND version = ? AND state = 'proposed'`, len(workerIDs), now, id, version)
		if err != nil {
			return fmt.Errorf("choose: %w", err)
		}
		if affected(res) != 1 {
			return fault.ErrConflict
		}
		if err := s.release(ctx, h, m.NeedID, m.Heads-len(workerIDs)); err != nil {
			return err
		}
		if err := tx.Notify(ctx, communityStaff(lender), "pool.codes", fmt.Sprintf("/pool/loans/%d", id),
			fmt.Sprintf("%s 已选定 %d 名员工借往 %s，请为每人发放一次性确认码", m.Lender, len(workerIDs), m.Borrower)); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "pool.choose", fmt.Sprintf("pool_loan/%d", id), "ok", map[string]any{"workers": workerIDs})
	})
	if err != nil {
		return m, err
	}
	return s.Loan(ctx, actor, id)
}
