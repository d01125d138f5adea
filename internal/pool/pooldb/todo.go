package pooldb

// The pool's part of every person's to-do list: each step from a need to
// its first worker on site, with its time limit in hours (pool.Steps).

import (
	"context"
	"fmt"
	"time"

	"qifu/internal/access"
	"qifu/internal/dossier"
	"qifu/internal/pool"
	"qifu/internal/store"
	"qifu/internal/todo"
)

// TodoKinds are the kinds of work the pool gives a role: staff who match
// propose lenders for new needs and follow the workers' consent; an
// enterprise chooses its workers, seals, trains, starts them and confirms
// its settlement sheets.
func (s *Store) TodoKinds(role access.Role) []string {
	switch {
	case role == access.RoleEnterprise:
		return []string{"pool.choose", "pool.seal", "pool.train", "pool.start", "pool.sheet"}
	case role == access.RoleCommunityStaff:
		return []string{"pool.propose", "pool.consent"}
	}
	return nil
}

// stepKind is the to-do of each step of a loan and who does it.
var stepKind = map[string]struct{ kind, who string }{
	"choose": {"pool.choose", "lender"}, "consent": {"pool.consent", "community"}, "seal": {"pool.seal", "both"},
	"training": {"pool.train", "borrower"}, "start": {"pool.start", "borrower"},
}

// Todo lists the actor's open work of a kind, nearest due first.
func (s *Store) Todo(ctx context.Context, actor access.Actor, kind string, limit int) ([]todo.Item, int, error) {
	var items []todo.Item
	now := s.engine.Now()
	switch {
	case kind == "pool.propose" && access.May(actor.Role, access.PoolMatch):
		needs, err := s.unproposed(ctx, actor)
		if err != nil {
			return nil, 0, err
		}
		within := pool.StepOf("propose").Within
		for _, n := range needs {
			// Titles hold no words of the UI: the list shows them in either language.
			items = append(items, todo.Item{Kind: kind, Ref: fmt.Sprintf("N%d", n.ID), Title: fmt.Sprintf("%d → %s", n.Open(), n.NeededBy),
				Enterprise: n.Enterprise, Href: fmt.Sprintf("/pool/needs/%d", n.ID), Due: n.PostedAt.Add(within),
				Colour: pool.Colour(n.PostedAt, within, now)})
		}
	case kind == "pool.consent" && access.May(actor.Role, access.PoolMatch):
		loans, _, err := s.Loans(ctx, actor, LoanQuery{State: pool.MatchChosen, Page: store.Page{Size: store.MaxPageSize}})
		if err != nil {
			return nil, 0, err
		}
		for _, m := range loans {
			if m.Step == "consent" && s.runs(ctx, actor, m) {
				items = append(items, loanItem(kind, m))
			}
		}
	case actor.Role == access.RoleEnterprise && actor.EnterpriseID != 0:
		loans, _, err := s.Loans(ctx, actor, LoanQuery{Enterprise: actor.EnterpriseID, State: "live", Page: store.Page{Size: store.MaxPageSize}})
		if err != nil {
			return nil, 0, err
		}
		for _, m := range loans {
			if kind == "pool.sheet" {
				continue
			}
			sk, ok := stepKind[m.Step]
			if !ok || sk.kind != kind {
				continue
			}
			mine := (sk.who == "lender" && m.LenderID == actor.EnterpriseID) || (sk.who == "borrower" && m.BorrowerID == actor.EnterpriseID) ||
				(sk.who == "both" && ((m.LenderID == actor.EnterpriseID && m.LenderSeal == "") || (m.BorrowerID == actor.EnterpriseID && m.BorrowerSeal == "")))
			if mine {
				items = append(items, loanItem(kind, m))
			}
		}
		if kind == "pool.sheet" {
			sheets, err := s.sheetsToConfirm(ctx, actor.EnterpriseID)
			if err != nil {
				return nil, 0, err
			}
			items = append(items, sheets...)
		}
	default:
		return nil, 0, nil
	}
	todo.Sort(items)
	return items[:min(len(items), limit)], len(items), nil
}

func loanItem(kind string, m pool.Loan) todo.Item {
	return todo.Item{Kind: kind, Ref: fmt.Sprintf("L%d", m.ID), Title: fmt.Sprintf("%s → %s · %d", m.Lender, m.Borrower, m.Heads),
		Enterprise: m.Borrower, Href: fmt.Sprintf("/pool/loans/%d", m.ID), Due: m.StepDue, Colour: m.Colour}
}

// unproposed are the open needs the actor sees with slots no proposal holds.
func (s *Store) unproposed(ctx context.Context, actor access.Actor) ([]pool.Need, error) {
	where, args := visible(actor, "n.share_code")
	return store.Collect(ctx, s.engine.Reader(), scanNeed, "SELECT "+needColumns+` FROM pool_needs n JOIN enterprises e ON e.id = n.enterprise_id
		WHERE n.status = 'open' AND n.taken < n.heads AND n.to_day >= ? AND `+where+` ORDER BY n.posted_at LIMIT 500`, append([]any{s.today()}, args...)...)
}

// SheetWithin is how long a party has to confirm a settlement sheet.
const SheetWithin = 5 * 24 * time.Hour

// sheetsToConfirm are the sheets an enterprise has still to confirm.
func (s *Store) sheetsToConfirm(ctx context.Context, enterpriseID int64) ([]todo.Item, error) {
	type row struct {
		match   int64
		month   string
		total   int64
		created int64
	}
	rows, err := store.Collect(ctx, s.engine.Reader(), func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.match, &r.month, &r.total, &r.created)
	}, `SELECT sh.match_id, sh.month, sh.total, sh.created_at FROM pool_sheets sh JOIN pool_matches m ON m.id = sh.match_id
		WHERE (m.lender_id = ? AND sh.lender_confirmed_at = 0) OR (m.borrower_id = ? AND sh.borrower_confirmed_at = 0) ORDER BY sh.created_at`,
		enterpriseID, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("sheets to confirm: %w", err)
	}
	now := s.engine.Now()
	var out []todo.Item
	for _, r := range rows {
		at := time.UnixMilli(r.created)
		out = append(out, todo.Item{Kind: "pool.sheet", Ref: fmt.Sprintf("L%d-%s", r.match, r.month), Title: fmt.Sprintf("%s · ¥%d", r.month, r.total),
			Href: fmt.Sprintf("/pool/loans/%d#sheets", r.match), Due: at.Add(SheetWithin), Colour: pool.Colour(at, SheetWithin, now)})
	}
	return out, nil
}

// Timeline is the pool's part of an enterprise's timeline: its loans, as
// lender or borrower, newest first.
func (s *Store) Timeline(ctx context.Context, actor access.Actor, enterpriseID int64, limit int) ([]dossier.Entry, error) {
	if !access.May(actor.Role, access.PoolRead) {
		return nil, nil
	}
	list, _, err := s.Loans(ctx, actor, LoanQuery{Enterprise: enterpriseID, Page: store.Page{Size: limit}})
	if err != nil {
		return nil, err
	}
	var out []dossier.Entry
	for _, m := range list {
		what, title := "tl.pool.borrowed", m.Lender
		if m.LenderID == enterpriseID {
			what, title = "tl.pool.lent", m.Borrower
		}
		out = append(out, dossier.Entry{At: m.ProposedAt, Module: "pool", What: what, Title: title, Href: fmt.Sprintf("/pool/loans/%d", m.ID)})
	}
	return out, nil
}
