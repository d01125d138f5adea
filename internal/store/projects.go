package store

import (
	"context"
	"fmt"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// Key projects (重点项目), which the cadres' roster covers as it covers key
// enterprises: the district's followers read those of their region's
// enterprises, those who keep the roster record them and name their cadre.

const projectColumns = `p.id, p.enterprise_id, e.name, p.name, p.stage, p.investment, p.cadre_id, COALESCE(u.name, ''), p.version`

func scanProject(sc Scanner) (enterprise.Project, error) {
	var p enterprise.Project
	err := sc.Scan(&p.ID, &p.EnterpriseID, &p.Enterprise, &p.Name, &p.Stage, &p.Investment, &p.CadreID, &p.Cadre, &p.Version)
	return p, err
}

// Projects lists the key projects of the enterprises in the actor's
// region, by enterprise and name.
func (s *Store) Projects(ctx context.Context, actor access.Actor) ([]enterprise.Project, error) {
	if !access.May(actor.Role, access.CadreRead) {
		return nil, access.ErrForbidden
	}
	cond, args := EnterpriseScope(actor, access.CadreRead)
	return Collect(ctx, s.Reader(), scanProject, "SELECT "+projectColumns+` FROM key_projects p
		JOIN enterprises e ON e.id = p.enterprise_id LEFT JOIN users u ON u.id = p.cadre_id
		WHERE `+cond+" ORDER BY e.name, p.name, p.id", args...)
}

// SaveProject records a key project (ID 0) or changes one at its version,
// for an actor who keeps the roster: the enterprise (by credit code) in its
// region, the cadre (if named) an active cadre. Audited.
func (s *Store) SaveProject(ctx context.Context, actor access.Actor, creditCode string, p enterprise.Project) (enterprise.Project, error) {
	if !access.May(actor.Role, access.CadreManage) {
		return p, access.ErrForbidden
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		h := tx.DB()
		cond, args := EnterpriseScope(actor, access.CadreManage)
		err := Scan(h.Row(ctx, "SELECT e.id FROM enterprises e WHERE e.credit_code = ? AND "+cond,
			append([]any{enterprise.NormalizeCreditCode(creditCode)}, args...)...), &p.EnterpriseID)
		if fault.Is(err, fault.NotFound) {
			p.EnterpriseID = 0
		} else if err != nil {
			return err
		}
		if err := p.Check(); err != nil {
			return err
		}
		if p.CadreID != 0 {
			var n int
			if err := Scan(h.Row(ctx, "SELECT COUNT(*) FROM users WHERE id = ? AND role = ? AND disabled = FALSE",
				p.CadreID, string(access.RoleCadre)), &n); err != nil || n == 0 {
				return fault.Fields{"cadre_id": {Zh: "负责干部须是在岗的驻企干部", En: "the cadre is an active cadre's account"}}.Err()
			}
		}
		now := tx.Now().UnixMilli()
		action := "project.create"
		if p.ID == 0 {
			if err := Scan(h.Row(ctx, `INSERT INTO key_projects (enterprise_id, name, stage, investment, cadre_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.EnterpriseID, p.Name, string(p.Stage), p.Investment, p.CadreID, now, now), &p.ID); err != nil {
				return fmt.Errorf("create project: %w", err)
			}
			p.Version = 1
		} else {
			action = "project.update"
			// The project must be one of the actor's region too.
			var n int
			if err := Scan(h.Row(ctx, "SELECT COUNT(*) FROM key_projects p JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = ? AND "+cond,
				append([]any{p.ID}, args...)...), &n); err != nil || n == 0 {
				return fault.ErrNotFound
			}
			res, err := h.Exec(ctx, `UPDATE key_projects SET enterprise_id = ?, name = ?, stage = ?, investment = ?, cadre_id = ?,
				updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, p.EnterpriseID, p.Name, string(p.Stage), p.Investment,
				p.CadreID, now, p.ID, p.Version)
			if err != nil {
				return fmt.Errorf("update project: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fault.ErrConflict
			}
			p.Version++
		}
		return tx.Record(ctx, actor, action, fmt.Sprintf("project/%d", p.ID), "ok",
			map[string]any{"enterprise": p.EnterpriseID, "name": p.Name, "stage": p.Stage, "investment": p.Investment, "cadre": p.CadreID})
	})
	return p, err
}
