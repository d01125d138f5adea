package store

import (
	"context"
	"fmt"

	"qifu/internal/access"
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
	Enterprises    int // assigned, in the region
	KeyEnterprises int // of them, key enterprises
}

// Coverage is how far a region's key enterprises have a cadre.
type Coverage struct {
	Cadres         int
	KeyEnterprises int
	KeyCovered     int // with an active cadre
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
		err := sc.Scan(&c.UserID, &c.Name, &c.Phone, &c.HomeUnit, &c.Disabled, &c.Enterprises, &c.KeyEnterprises)
		c.Phone = access.MaskPhone(c.Phone)
		return c, err
	}, `SELECT u.id, u.name, u.phone, u.home_unit, u.disabled, COUNT(*), SUM(CASE WHEN e.key_level <> '' THEN 1 ELSE 0 END)
		FROM users u JOIN assignments a ON a.user_id = u.id JOIN enterprises e ON e.id = a.enterprise_id
		WHERE u.role = ? AND `+cond+` GROUP BY u.id, u.name, u.phone, u.home_unit, u.disabled ORDER BY u.home_unit, u.name, u.id`,
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
	return list, cov, nil
}
