package pooldb

// The workers lending enterprises offer (出借), their teams and the
// enterprises a lender excludes.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool"
	"qifu/internal/store"
)

const workerColumns = `w.id, w.enterprise_id, e.name, w.team_id, w.name, w.phone, w.id_number, w.work_types, w.certs,
	w.contract_end, w.avail_from, w.avail_to, w.shift, w.share_code, w.status, w.version, w.created_at`

// workerFrom reads workers w with their enterprises e.
const workerFrom = "FROM pool_workers w JOIN enterprises e ON e.id = w.enterprise_id"

func scanWorker(sc store.Scanner) (pool.Worker, error) {
	var w pool.Worker
	var types, certs string
	var created int64
	err := sc.Scan(&w.ID, &w.EnterpriseID, &w.Enterprise, &w.TeamID, &w.Name, &w.Phone, &w.IDNumber, &types, &certs,
		&w.ContractEnd, &w.From, &w.To, &w.Shift, &w.Share, &w.Status, &w.Version, &created)
	w.WorkTypes = unlist[pool.WorkType](types)
	_ = json.Unmarshal([]byte(certs), &w.Certs)
	w.CreatedAt = store.Millis(created)
	return w, store.ScanErr(err)
}

// Offer posts a worker an enterprise in the actor's reach offers to lend.
func (s *Store) Offer(ctx context.Context, actor access.Actor, w pool.Worker) (pool.Worker, error) {
	out, err := s.OfferTeam(ctx, actor, w.EnterpriseID, pool.Team{}, []pool.Worker{w})
	if err != nil {
		return w, err
	}
	return out[0], nil
}

// OfferTeam posts workers an enterprise offers to lend, as a team with its
// leader (the first worker) when team has a name; all or none.
func (s *Store) OfferTeam(ctx context.Context, actor access.Actor, enterpriseID int64, team pool.Team, workers []pool.Worker) ([]pool.Worker, error) {
	if !access.May(actor.Role, access.PoolPost) {
		return nil, access.ErrForbidden
	}
	e, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PoolPost, enterpriseID)
	if err != nil {
		return nil, err
	}
	team.Name = strings.TrimSpace(team.Name)
	f := fault.Fields{}
	switch {
	case len(workers) == 0:
		f.Add("workers", "请至少登记一名员工", "give at least one worker")
	case len(workers) > 200:
		f.Add("workers", "一次最多登记200人", "at most 200 workers at once")
	case team.Name == "" && len(workers) > 1:
		f.Add("team.name", "多人一起登记时请填写班组名称", "name the team of several workers")
	case len([]rune(team.Name)) > 30:
		f.Add("team.name", "班组名称过长", "the team's name is too long")
	}
	today := s.today()
	seen := map[string]bool{}
	for i := range workers {
		w := &workers[i]
		w.EnterpriseID = enterpriseID
		w.Normalize()
		if err := w.Check(today); err != nil {
			for k, m := range fault.As(err).Fields {
				if len(workers) == 1 {
					f[k] = m
				} else {
					f[fmt.Sprintf("workers.%d.%s", i, k)] = m
				}
			}
		}
		if seen[w.IDNumber] {
			f.Add(fmt.Sprintf("workers.%d.id_number", i), "同一人登记了两次", "the same person twice")
		}
		seen[w.IDNumber] = true
		if w.Share, err = shareOf(e, w.Share); err != nil {
			f["share"] = fault.As(err).Fields["share"]
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		now := tx.Now().UnixMilli()
		// Take the enterprise's row first: its offers are checked one at a
		// time (of two offers of one person at once, the second sees the first).
		if _, err := h.Exec(ctx, "UPDATE enterprises SET name = name WHERE id = ?", enterpriseID); err != nil {
			return fmt.Errorf("lock enterprise: %w", err)
		}
		if shut, err := closed(ctx, h, enterpriseID); err != nil {
			return err
		} else if shut {
			return pool.Refusal("lender_open", "该企业已停业或破产。", "The enterprise has closed.")
		}
		for i := range workers {
			w := &workers[i]
			// A borrowed worker may not be lent on; nor may one person be offered twice.
			var borrowed int
			if err := store.Scan(h.Row(ctx, `SELECT COUNT(*) FROM pool_placements p JOIN pool_workers o ON o.id = p.worker_id
				JOIN pool_matches m ON m.id = p.match_id
				WHERE o.id_number = ? AND m.borrower_id = ? AND p.state IN ('chosen', 'consented', 'on_site')`, w.IDNumber, enterpriseID), &borrowed); err != nil {
				return fmt.Errorf("re-lend check: %w", err)
			}
			if borrowed > 0 {
				return pool.Refusal("no_relend", w.Name+" 是借入本企业的员工。", w.Name+" was borrowed by this enterprise.")
			}
			var twice int
			if err := store.Scan(h.Row(ctx, `SELECT COUNT(*) FROM pool_workers WHERE id_number = ? AND enterprise_id = ? AND status <> 'withdrawn'`,
				w.IDNumber, enterpriseID), &twice); err != nil {
				return fmt.Errorf("duplicate check: %w", err)
			}
			if twice > 0 {
				return fault.New(fault.Conflict, "pool_worker_twice", w.Name+" 已在池中", w.Name+" is already in the pool")
			}
		}
		if team.Name != "" {
			if err := store.Scan(h.Row(ctx, `INSERT INTO pool_teams (enterprise_id, name, shuttle, lodging, created_at)
				VALUES (?, ?, ?, ?, ?) RETURNING id`, enterpriseID, team.Name, team.Shuttle, team.Lodging, now), &team.ID); err != nil {
				return fmt.Errorf("insert team: %w", err)
			}
		}
		for i := range workers {
			w := &workers[i]
			w.TeamID, w.Status, w.Version, w.Enterprise, w.CreatedAt = team.ID, pool.WorkerAvailable, 1, e.Name, time.UnixMilli(now)
			if err := store.Scan(h.Row(ctx, `INSERT INTO pool_workers (enterprise_id, team_id, name, phone, id_number, work_types, certs,
				contract_end, avail_from, avail_to, shift, share_code, status, created_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				enterpriseID, team.ID, w.Name, w.Phone, w.IDNumber, list(w.WorkTypes), mustJSON(w.Certs), w.ContractEnd,
				w.From, w.To, w.Shift, w.Share, w.Status, actor.UserID, now), &w.ID); err != nil {
				return fmt.Errorf("insert worker: %w", err)
			}
			if i == 0 && team.ID != 0 {
				if _, err := h.Exec(ctx, "UPDATE pool_teams SET leader_id = ? WHERE id = ?", w.ID, team.ID); err != nil {
					return fmt.Errorf("team leader: %w", err)
				}
			}
		}
		return tx.Record(ctx, actor, "pool.offer", fmt.Sprintf("enterprise/%d", enterpriseID), "ok",
			map[string]any{"workers": len(workers), "team": team.Name})
	})
	if err != nil {
		return nil, err
	}
	for i := range workers {
		maskWorker(actor, &workers[i])
	}
	return workers, nil
}

// WorkerQuery selects offered workers.
type WorkerQuery struct {
	Enterprise int64
	WorkType   string
	Status     string // "" every status
	Page       store.Page
}

// Workers lists the offered workers the actor may read, phones and ID
// numbers masked but for the lender's own account.
func (s *Store) Workers(ctx context.Context, actor access.Actor, q WorkerQuery) ([]pool.Worker, int, error) {
	if !access.May(actor.Role, access.PoolRead) {
		return nil, 0, access.ErrForbidden
	}
	where, args := visible(actor, "w.share_code")
	if q.Enterprise != 0 {
		where += " AND w.enterprise_id = ?"
		args = append(args, q.Enterprise)
	}
	if q.WorkType != "" {
		if _, ok := pool.Find(pool.WorkTypes, q.WorkType); !ok {
			return nil, 0, fault.Fields{"work_type": {Zh: "工种不在列表中", En: "no such work type"}}.Err()
		}
		where += " AND w.work_types LIKE ?"
		args = append(args, "%,"+q.WorkType+",%")
	}
	if q.Status != "" {
		where += " AND w.status = ?"
		args = append(args, q.Status)
	}
	out, total, err := store.Paged(ctx, s.engine.Reader(), "workers", scanWorker, workerColumns, workerFrom, where, args, "e.name, w.team_id, w.id", q.Page)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		maskWorker(actor, &out[i])
	}
	return out, total, nil
}

// worker reads one worker the actor may read, unmasked.
func (s *Store) worker(ctx context.Context, h store.DB, actor access.Actor, id int64) (pool.Worker, error) {
	where, args := visible(actor, "w.share_code")
	return scanWorker(h.Row(ctx, "SELECT "+workerColumns+` FROM pool_workers w JOIN enterprises e ON e.id = w.enterprise_id
		WHERE w.id = ? AND `+where, append([]any{id}, args...)...))
}

// Worker returns one offered worker the actor may read, masked as in Workers.
func (s *Store) Worker(ctx context.Context, actor access.Actor, id int64) (pool.Worker, error) {
	if !access.May(actor.Role, access.PoolRead) {
		return pool.Worker{}, access.ErrForbidden
	}
	w, err := s.worker(ctx, s.engine.Reader(), actor, id)
	if err != nil {
		return w, err
	}
	maskWorker(actor, &w)
	return w, nil
}

// Reveal returns a worker with phone and ID number in full, for staff who
// may see the lender's personal data; audited.
func (s *Store) Reveal(ctx context.Context, actor access.Actor, id int64) (pool.Worker, error) {
	w, err := s.Worker(ctx, actor, id)
	if err != nil {
		return w, err
	}
	if _, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PersonalView, w.EnterpriseID); err != nil {
		return w, access.ErrForbidden
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		w, err = scanWorker(tx.DB().Row(ctx, "SELECT "+workerColumns+` FROM pool_workers w JOIN enterprises e ON e.id = w.enterprise_id WHERE w.id = ?`, id))
		if err != nil {
			return err
		}
		return tx.Record(ctx, actor, "pool.personal", fmt.Sprintf("pool_worker/%d", id), "ok", nil)
	})
	return w, err
}

// Withdraw takes an available worker out of the pool (the lender's, or
// staff for it). A worker on a loan returns first.
func (s *Store) Withdraw(ctx context.Context, actor access.Actor, id int64, version int) (pool.Worker, error) {
	w, err := s.Worker(ctx, actor, id)
	if err != nil {
		return w, err
	}
	if _, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PoolPost, w.EnterpriseID); err != nil {
		return w, access.ErrForbidden
	}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		res, err := tx.DB().Exec(ctx, `UPDATE pool_workers SET status = 'withdrawn', withdrawn_at = ?, version = version + 1
			WHERE id = ? AND version = ? AND status = 'available'`, tx.Now().UnixMilli(), id, version)
		if err != nil {
			return fmt.Errorf("withdraw worker: %w", err)
		}
		if affected(res) != 1 {
			if w.Status == pool.WorkerLent {
				return stale("该员工正在借出中，须先结束借出", "the worker is on a loan: end it first")
			}
			return fault.ErrConflict
		}
		w.Status, w.Version = pool.WorkerWithdrawn, version+1
		return tx.Record(ctx, actor, "pool.withdraw", fmt.Sprintf("pool_worker/%d", id), "ok", nil)
	})
	return w, err
}

// Teams lists an enterprise's teams with their sizes, for the actor who may read its workers.
func (s *Store) Teams(ctx context.Context, actor access.Actor, enterpriseID int64) ([]pool.Team, error) {
	if _, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PoolRead, enterpriseID); err != nil {
		return nil, err
	}
	return store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (pool.Team, error) {
		var t pool.Team
		return t, sc.Scan(&t.ID, &t.EnterpriseID, &t.Name, &t.LeaderID, &t.Leader, &t.Shuttle, &t.Lodging, &t.Size)
	}, `SELECT t.id, t.enterprise_id, t.name, t.leader_id, COALESCE(l.name, ''), t.shuttle, t.lodging,
		(SELECT COUNT(*) FROM pool_workers w WHERE w.team_id = t.id AND w.status <> 'withdrawn')
		FROM pool_teams t LEFT JOIN pool_workers l ON l.id = t.leader_id WHERE t.enterprise_id = ? ORDER BY t.id`, enterpriseID)
}

// Exclusions lists the enterprises a lender will not lend to.
func (s *Store) Exclusions(ctx context.Context, actor access.Actor, enterpriseID int64) ([]Named, error) {
	if _, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PoolPost, enterpriseID); err != nil {
		return nil, err
	}
	return store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (Named, error) {
		var n Named
		return n, sc.Scan(&n.ID, &n.Name, &n.CreditCode)
	}, `SELECT e.id, e.name, e.credit_code FROM pool_exclusions x JOIN enterprises e ON e.id = x.excluded_id
		WHERE x.enterprise_id = ? ORDER BY e.name`, enterpriseID)
}

// Named is an enterprise by its name and credit code.
type Named struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
}

// SetExclusions sets the enterprises (by credit code) a lender will not
// lend to (competitors): the matcher never proposes it for their needs.
func (s *Store) SetExclusions(ctx context.Context, actor access.Actor, enterpriseID int64, codes []string) ([]Named, error) {
	if _, err := enterpriseFor(ctx, s.engine.Reader(), actor, access.PoolPost, enterpriseID); err != nil {
		return nil, err
	}
	if len(codes) > 50 {
		return nil, fault.Fields{"credit_codes": {Zh: "最多排除50家企业", En: "at most 50 enterprises"}}.Err()
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		h := tx.DB()
		if _, err := h.Exec(ctx, "DELETE FROM pool_exclusions WHERE enterprise_id = ?", enterpriseID); err != nil {
			return fmt.Errorf("exclusions: %w", err)
		}
		for i, c := range codes {
			c = strings.ToUpper(strings.TrimSpace(c))
			var id int64
			if err := store.Scan(h.Row(ctx, "SELECT id FROM enterprises WHERE credit_code = ?", c), &id); err != nil {
				if fault.Is(err, fault.NotFound) {
					return fault.Fields{fmt.Sprintf("credit_codes.%d", i): {Zh: "没有这个统一社会信用代码的企业：" + c, En: "no enterprise has the credit code " + c}}.Err()
				}
				return err
			}
			if id == enterpriseID {
				continue
			}
			if _, err := h.Exec(ctx, `INSERT INTO pool_exclusions (enterprise_id, excluded_id) VALUES (?, ?)
				ON CONFLICT (enterprise_id, excluded_id) DO NOTHING`, enterpriseID, id); err != nil {
				return fmt.Errorf("exclusion: %w", err)
			}
		}
		return tx.Record(ctx, actor, "pool.exclusions", fmt.Sprintf("enterprise/%d", enterpriseID), "ok", map[string]any{"count": len(codes)})
	})
	if err != nil {
		return nil, err
	}
	return s.Exclusions(ctx, actor, enterpriseID)
}
