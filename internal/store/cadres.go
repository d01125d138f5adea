package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/access"
	"qifu/internal/fault"
)

// The cadres stationed with or liaising with enterprises (驻企/联企干部), as
// the organisation department that runs the programme follows them: each
// one's home unit and assignments in the reader's region, and how far the
// region's key enterprises are covered (三个全覆盖).

// Cadre is a cadre with its assignments in the reader's region.
type Cadre struct {
	UserID         int64
	Name, Phone    string // the phone masked
	HomeUnit       string
	Disabled       bool
	Enterprises    int    // assigned, in the region
	KeyEnterprises int    // of them, key enterprises
	StandingIn     int    // of them, held as a stand-in while their post is empty
	TermUntil      string // the end of its term (YYYY-MM-DD), "" when none set
}

// Coverage is how far a region's key enterprises have a cadre.
type Coverage struct {
	Cadres          int
	KeyEnterprises  int
	KeyCovered      int // with an active cadre
	KeyProjects     int
	ProjectsCovered int // with an active cadre
}

// Cadres lists the cadres with enterprises in the actor's reach, by home
// unit and name, and the coverage of its key enterprises.
func (s *Store) Cadres(ctx context.Context, actor access.Actor) ([]Cadre, Coverage, error) {
	var cov Coverage
	if !access.May(actor.Role, access.CadreRead) {
		return nil, cov, access.ErrForbidden
	}
	cond, args := EnterpriseScope(actor, access.CadreRead)
	h := s.Reader()
	list, err := Collect(ctx, h, func(sc Scanner) (Cadre, error) {
		var c Cadre
		err := sc.Scan(&c.UserID, &c.Name, &c.Phone, &c.HomeUnit, &c.Disabled, &c.TermUntil, &c.Enterprises, &c.KeyEnterprises, &c.StandingIn)
		c.Phone = access.MaskPhone(c.Phone)
		return c, err
	}, `SELECT u.id, u.name, u.phone, u.home_unit, u.disabled, u.term_until, COUNT(*), SUM(CASE WHEN e.key_level <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN a.stand_in THEN 1 ELSE 0 END)
		FROM users u JOIN assignments a ON a.user_id = u.id JOIN enterprises e ON e.id = a.enterprise_id
		WHERE u.role = ? AND `+cond+` GROUP BY u.id, u.name, u.phone, u.home_unit, u.disabled, u.term_until ORDER BY u.home_unit, u.name, u.id`,
		append([]any{string(access.RoleCadre)}, args...)...)
	if err != nil {
		return nil, cov, fmt.Errorf("cadres: %w", err)
	}
	cov.Cadres = len(list)
	if err := Scan(h.Row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id
			AND u.disabled = FALSE AND u.role = ? WHERE a.enterprise_id = e.id) THEN 1 ELSE 0 END), 0)
		FROM enterprises e WHERE e.key_level <> '' AND `+cond, append([]any{string(access.RoleCadre)}, args...)...),
		&cov.KeyEnterprises, &cov.KeyCovered); err != nil {
		return nil, cov, fmt.Errorf("cadre coverage: %w", err)
	}
	if err := Scan(h.Row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN u.id IS NOT NULL THEN 1 ELSE 0 END), 0)
		FROM key_projects p JOIN enterprises e ON e.id = p.enterprise_id
		LEFT JOIN users u ON u.id = p.cadre_id AND u.disabled = FALSE AND u.role = ? WHERE `+cond,
		append([]any{string(access.RoleCadre)}, args...)...), &cov.KeyProjects, &cov.ProjectsCovered); err != nil {
		return nil, cov, fmt.Errorf("project coverage: %w", err)
	}
	return list, cov, nil
}

// ReplaceCadre passes a cadre's enterprises in the actor's region to its
// successor, at once and in one transaction: the old cadre's assignments
// end (kept in the history with the successor and the reason) and it loses
// the scope they gave on its next request; the successor takes on those it
// did not have, and the key projects the old cadre answered for there.
// Audited. It returns how many enterprises passed.
func (s *Store) ReplaceCadre(ctx context.Context, actor access.Actor, from, to int64, reason string) (int, error) {
	return s.passCadre(ctx, actor, Handover{From: from, To: to, Reason: reason})
}

// StandIn passes a cadre's enterprises in the actor's region to a stand-in
// while its post is empty (代管): as ReplaceCadre, the stand-in's new
// assignments marked as held for the post. EndStandIn later passes them to
// the successor.
func (s *Store) StandIn(ctx context.Context, actor access.Actor, from, standIn int64, reason string) (int, error) {
	return s.passCadre(ctx, actor, Handover{From: from, To: standIn, Reason: reason, StandIn: true})
}

// EndStandIn passes the enterprises a stand-in holds for an empty post in
// the actor's region to the successor named for it; the stand-in keeps its
// own.
func (s *Store) EndStandIn(ctx context.Context, actor access.Actor, standIn, successor int64, reason string) (int, error) {
	return s.passCadre(ctx, actor, Handover{From: standIn, To: successor, Reason: reason, OnlyHeld: true})
}

// Handover is a cadre's enterprises passing to another cadre.
type Handover struct {
	From, To int64
	Reason   string
	StandIn  bool // To holds them as a stand-in while the post is empty
	OnlyHeld bool // only those From holds as a stand-in pass
}

func (s *Store) passCadre(ctx context.Context, actor access.Actor, ho Handover) (int, error) {
	if !access.May(actor.Role, access.CadreManage) {
		return 0, access.ErrForbidden
	}
	reason := strings.TrimSpace(ho.Reason)
	if n := utf8.RuneCountInString(reason); n < 2 || n > 200 {
		return 0, fault.Fields{"reason": {Zh: "请写明原因（2 到 200 个字）", En: "give the reason (2 to 200 characters)"}}.Err()
	}
	from, to := ho.From, ho.To
	if from == to {
		return 0, fault.Fields{"successor_id": {Zh: "接任者不能是本人", En: "the successor is someone else"}}.Err()
	}
	moved := 0
	err := s.WithTx(ctx, func(tx *Tx) error {
		h := tx.DB()
		cond, args := EnterpriseScope(actor, access.CadreManage)
		held := ""
		if ho.OnlyHeld {
			held = " AND a.stand_in = TRUE"
		}
		ids, err := Collect(ctx, h, Int64, `SELECT a.enterprise_id FROM assignments a JOIN enterprises e ON e.id = a.enterprise_id
			JOIN users u ON u.id = a.user_id AND u.role = ? WHERE a.user_id = ?`+held+` AND `+cond+` ORDER BY a.enterprise_id`,
			append([]any{string(access.RoleCadre), from}, args...)...)
		if err != nil {
			return fmt.Errorf("replace cadre: %w", err)
		}
		if len(ids) == 0 {
			return fault.ErrNotFound // no cadre with enterprises in the actor's region
		}
		var role string
		var disabled bool
		if err := Scan(h.Row(ctx, "SELECT role, disabled FROM users WHERE id = ?", to), &role, &disabled); err != nil ||
			access.Role(role) != access.RoleCadre || disabled {
			return fault.Fields{"successor_id": {Zh: "接任者须是在岗的驻企干部账号", En: "the successor is an active cadre's account"}}.Err()
		}
		now := tx.Now().UnixMilli()
		for batch := range slices.Chunk(ids, 500) {
			in := Placeholders(len(batch))
			bargs := make([]any, 0, len(batch)+6)
			bargs = append(bargs, now, actor.UserID, to, reason, from)
			for _, id := range batch {
				bargs = append(bargs, id)
			}
			if _, err := h.Exec(ctx, `INSERT INTO assignment_history (user_id, enterprise_id, started_at, ended_at, ended_by, successor_id, reason)
				SELECT user_id, enterprise_id, started_at, ?, ?, ?, ? FROM assignments WHERE user_id = ? AND enterprise_id IN (`+in+`)`, bargs...); err != nil {
				return fmt.Errorf("replace cadre: %w", err)
			}
			if _, err := h.Exec(ctx, "DELETE FROM assignments WHERE user_id = ? AND enterprise_id IN ("+in+")", bargs[4:]...); err != nil {
				return fmt.Errorf("replace cadre: %w", err)
			}
			for _, id := range batch {
				var n int
				if err := Scan(h.Row(ctx, "SELECT COUNT(*) FROM assignments WHERE user_id = ? AND enterprise_id = ?", to, id), &n); err != nil {
					return err
				}
				if n > 0 {
					continue
				}
				if _, err := h.Exec(ctx, "INSERT INTO assignments (user_id, enterprise_id, started_at, stand_in) VALUES (?, ?, ?, ?)", to, id, now, ho.StandIn); err != nil {
					return fmt.Errorf("replace cadre: %w", err)
				}
			}
		}
		// The key projects it answered for in the region (of the enterprises that passed) pass too.
		res, err := h.Exec(ctx, `UPDATE key_projects SET cadre_id = ?, updated_at = ?, version = version + 1
			WHERE cadre_id = ? AND enterprise_id IN (SELECT e.id FROM enterprises e WHERE `+cond+`)
			AND enterprise_id NOT IN (SELECT enterprise_id FROM assignments WHERE user_id = ?)`,
			append(append([]any{to, now, from}, args...), from)...)
		if err != nil {
			return fmt.Errorf("replace cadre: %w", err)
		}
		projects, _ := res.RowsAffected()
		moved = len(ids)
		action := "cadre.replace"
		switch {
		case ho.StandIn:
			action = "cadre.stand_in"
		case ho.OnlyHeld:
			action = "cadre.stand_in_end"
		}
		return tx.Record(ctx, actor, action, fmt.Sprintf("user/%d", from), "ok",
			map[string]any{"successor": to, "enterprises": moved, "projects": projects, "reason": reason})
	})
	return moved, err
}

// SetTerm records the end of a cadre's term (YYYY-MM-DD; "" clears it),
// for the organisation department that keeps the roster. Audited.
func (s *Store) SetTerm(ctx context.Context, actor access.Actor, userID int64, until string) error {
	if !access.May(actor.Role, access.CadreManage) {
		return access.ErrForbidden
	}
	until = strings.TrimSpace(until)
	if until != "" {
		if _, err := time.Parse("2006-01-02", until); err != nil {
			return fault.Fields{"term_until": {Zh: "任期截止日期须为年-月-日", En: "the end of the term is YYYY-MM-DD"}}.Err()
		}
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		cond, args := EnterpriseScope(actor, access.CadreManage)
		var n int
		if err := Scan(tx.DB().Row(ctx, `SELECT COUNT(*) FROM users u WHERE u.id = ? AND u.role = ? AND EXISTS (SELECT 1 FROM assignments a
			JOIN enterprises e ON e.id = a.enterprise_id WHERE a.user_id = u.id AND `+cond+`)`,
			append([]any{userID, string(access.RoleCadre)}, args...)...), &n); err != nil {
			return err
		}
		if n == 0 {
			return fault.ErrNotFound
		}
		if _, err := tx.DB().Exec(ctx, "UPDATE users SET term_until = ? WHERE id = ?", until, userID); err != nil {
			return fmt.Errorf("set term: %w", err)
		}
		return tx.Record(ctx, actor, "cadre.term", fmt.Sprintf("user/%d", userID), "ok", map[string]any{"until": until})
	})
}

// CadreAccounts lists the active cadres' accounts (ID, name, home unit),
// for choosing a successor, to an actor who keeps the roster.
func (s *Store) CadreAccounts(ctx context.Context, actor access.Actor) ([]Cadre, error) {
	if !access.May(actor.Role, access.CadreManage) {
		return nil, access.ErrForbidden
	}
	return Collect(ctx, s.Reader(), func(sc Scanner) (Cadre, error) {
		var c Cadre
		return c, sc.Scan(&c.UserID, &c.Name, &c.HomeUnit)
	}, "SELECT id, name, home_unit FROM users WHERE role = ? AND disabled = FALSE ORDER BY home_unit, name, id", string(access.RoleCadre))
}
