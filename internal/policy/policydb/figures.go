package policydb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/place"
	"qifu/internal/store"
)

// The funnel of precise push, per benefit, region and period: eligible →
// told → read → applied or confirmed → approved → paid, with amounts.
// Every figure is counted from the pushes and claims themselves, so it is
// exact however many publish, apply and review at once.

// FunnelRow is the funnel of one region (or the whole reach, Code "").
type FunnelRow struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Eligible int    `json:"eligible"` // told and qualifying
	Maybe    int    `json:"maybe"`    // told and possibly qualifying
	Told     int    `json:"told"`
	Read     int    `json:"read"`
	Applied  int    `json:"applied"` // applications made, 免申即享 confirmed
	Approved int    `json:"approved"`
	Paid     int    `json:"paid"`
	Granted  int64  `json:"granted"`  // yuan approved
	PaidOut  int64  `json:"paid_out"` // yuan paid, net of clawbacks
}

// FunnelQuery selects the funnel.
type FunnelQuery struct {
	Benefit  int64 // 0: every benefit
	From, To string
}

// levelCols are the pushes' and enterprises' columns of each level.
var levelCols = map[place.Level]string{place.District: "district_code", place.Street: "street_code", place.Community: "community_code", place.Grid: "grid_code"}

// Funnel returns the funnel over the actor's reach, one row per region one
// level below the actor's (districts for the city, a department and an
// administrator), then the total.
func (s *Store) Funnel(ctx context.Context, actor access.Actor, q FunnelQuery) ([]FunnelRow, error) {
	if !access.May(actor.Role, access.PolicyRead) {
		return nil, access.ErrForbidden
	}
	child := place.District
	pscope, pargs := "1 = 1", []any{}
	f := access.FilterFor(actor, access.PolicyRead)
	switch f.Reach {
	case access.Region:
		if f.Level < place.Grid {
			child = f.Level + 1
		} else {
			child = place.Grid
		}
		pscope, pargs = "p."+levelCols[f.Level]+" = ?", []any{f.Code}
		if f.Level == place.City {
			pscope = "1 = 1"
			pargs = nil
		}
	case access.Dispatched:
		pscope, pargs = "b.department_id = ?", []any{f.DepartmentID}
	case access.Own, access.Assigned:
		cond, args := store.EnterpriseScope(actor, access.PolicyRead)
		pscope, pargs = "p.enterprise_id IN (SELECT e.id FROM enterprises e WHERE "+cond+")", args
	case access.All:
	default:
		return nil, access.ErrForbidden
	}
	if q.Benefit != 0 {
		pscope += " AND p.benefit_id = ?"
		pargs = append(pargs, q.Benefit)
	}
	from, to := s.bounds(q)
	col := "p." + levelCols[child]
	byCode := map[string]*FunnelRow{}
	var order []string
	row := func(code string) *FunnelRow {
		r := byCode[code]
		if r == nil {
			r = &FunnelRow{Code: code}
			byCode[code] = r
			order = append(order, code)
		}
		return r
	}
	rd := s.engine.Reader()
	rows, err := rd.Query(ctx, `SELECT `+col+`, SUM(CASE WHEN p.verdict = 'met' THEN 1 ELSE 0 END), SUM(CASE WHEN p.verdict = 'maybe' THEN 1 ELSE 0 END),
		COUNT(*), SUM(CASE WHEN p.read_at > 0 THEN 1 ELSE 0 END)
		FROM policy_pushes p JOIN policy_benefits b ON b.id = p.benefit_id
		WHERE `+pscope+` AND p.told_at >= ? AND p.told_at < ? GROUP BY `+col+` ORDER BY `+col, append(pargs, from, to)...)
	if err != nil {
		return nil, fmt.Errorf("funnel pushes: %w", err)
	}
	for rows.Next() {
		var code string
		var e, m, t, r int
		if err := rows.Scan(&code, &e, &m, &t, &r); err != nil {
			rows.Close()
			return nil, err
		}
		fr := row(code)
		fr.Eligible, fr.Maybe, fr.Told, fr.Read = e, m, t, r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("funnel pushes: %w", err)
	}
	// claims, placed by their enterprise; p stands for the enterprise's row
	cscope := onClaims(pscope)
	crows, err := rd.Query(ctx, `SELECT `+col+`,
		SUM(CASE WHEN c.state NOT IN ('matched', 'declined') THEN 1 ELSE 0 END),
		SUM(CASE WHEN c.state IN ('approved', 'paid', 'clawed_back') THEN 1 ELSE 0 END),
		SUM(CASE WHEN c.state IN ('paid', 'clawed_back') THEN 1 ELSE 0 END),
		COALESCE(SUM(CASE WHEN c.state IN ('approved', 'paid', 'clawed_back') THEN c.granted ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.state IN ('paid', 'clawed_back') THEN c.granted - c.claw_back ELSE 0 END), 0)
		FROM policy_claims c JOIN policy_benefits b ON b.id = c.benefit_id JOIN enterprises p ON p.id = c.enterprise_id
		WHERE `+cscope+` AND c.created_at >= ? AND c.created_at < ? GROUP BY `+col+` ORDER BY `+col, append(pargs, from, to)...)
	if err != nil {
		return nil, fmt.Errorf("funnel claims: %w", err)
	}
	for crows.Next() {
		var code string
		var a, ap, pd int
		var g, po int64
		if err := crows.Scan(&code, &a, &ap, &pd, &g, &po); err != nil {
			crows.Close()
			return nil, err
		}
		fr := row(code)
		fr.Applied, fr.Approved, fr.Paid, fr.Granted, fr.PaidOut = a, ap, pd, g, po
	}
	crows.Close()
	if err := crows.Err(); err != nil {
		return nil, fmt.Errorf("funnel claims: %w", err)
	}
	names, err := regionNames(ctx, rd, order)
	if err != nil {
		return nil, err
	}
	out := make([]FunnelRow, 0, len(order)+1)
	var total FunnelRow
	for _, code := range order {
		r := *byCode[code]
		r.Name = names[code]
		out = append(out, r)
		total.Eligible += r.Eligible
		total.Maybe += r.Maybe
		total.Told += r.Told
		total.Read += r.Read
		total.Applied += r.Applied
		total.Approved += r.Approved
		total.Paid += r.Paid
		total.Granted += r.Granted
		total.PaidOut += r.PaidOut
	}
	return append(out, total), nil
}

// onClaims turns a condition on pushes p into one on claims c and their
// enterprise (aliased p).
func onClaims(cond string) string {
	return strings.NewReplacer("p.benefit_id", "c.benefit_id", "p.enterprise_id", "c.enterprise_id").Replace(cond)
}

// bounds turns a query's days into the store's milliseconds ([from, to)).
func (s *Store) bounds(q FunnelQuery) (int64, int64) {
	from, to := int64(0), s.engine.Now().Add(24*time.Hour).UnixMilli()
	if t, err := time.ParseInLocation(time.DateOnly, q.From, calendar.Shanghai); err == nil {
		from = t.UnixMilli()
	}
	if t, err := time.ParseInLocation(time.DateOnly, q.To, calendar.Shanghai); err == nil {
		to = t.Add(24 * time.Hour).UnixMilli()
	}
	return from, to
}

// regionNames names the regions of codes (a code of no region is left out).
func regionNames(ctx context.Context, h store.DB, codes []string) (map[string]string, error) {
	out := map[string]string{}
	for part := range slices.Chunk(codes, 500) {
		args := make([]any, len(part))
		for i, c := range part {
			args[i] = c
		}
		rows, err := store.Collect(ctx, h, func(sc store.Scanner) ([2]string, error) {
			var r [2]string
			return r, sc.Scan(&r[0], &r[1])
		}, "SELECT code, name FROM regions WHERE code IN ("+store.Placeholders(len(part))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("region names: %w", err)
		}
		for _, r := range rows {
			out[r[0]] = r[1]
		}
	}
	return out, nil
}

// Timeline is precise push's part of an enterprise's timeline: its claims.
func (s *Store) Timeline(ctx context.Context, actor access.Actor, enterpriseID int64, limit int) ([]dossier.Entry, error) {
	if !access.May(actor.Role, access.PolicyRead) || access.FilterFor(actor, access.PolicyRead).Reach == access.Dispatched {
		return nil, nil
	}
	list, _, err := s.Claims(ctx, actor, ClaimQuery{Enterprise: enterpriseID, Page: store.Page{Size: limit}})
	if err != nil {
		return nil, err
	}
	var out []dossier.Entry
	for _, c := range list {
		if c.State == "matched" {
			continue
		}
		out = append(out, dossier.Entry{At: c.CreatedAt, Module: "policy", What: "tl.policy.claim", Status: "policy.state." + c.State,
			Ref: fmt.Sprintf("C%d", c.ID), Title: c.Benefit, Href: fmt.Sprintf("/policy/claims/%d", c.ID)})
	}
	return out, nil
}
