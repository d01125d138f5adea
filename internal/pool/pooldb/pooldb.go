// Package pooldb keeps the employee turnover pool (员工周转池) on the store's
// engine: the workers lending enterprises offer (offers.go), the needs and
// job seekers (needs.go), the matcher's run and the loans it proposes, the
// lender's choice of workers (loans.go), each worker's own page reached
// with a one-time code (worker.go), the seals, training, cover, start,
// attendance and return (onsite.go), the monthly settlement (settle.go), the
// to-dos of every step (todo.go) and the figures (figures.go). Every change
// is one transaction with its audit entry and notices; what can be raced —
// the last slot of a need, a worker chosen by two loans, a consent and its
// withdrawal — is guarded in the SQL so that one wins. The rules are
// package pool's.
package pooldb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/pool"
	"qifu/internal/store"
)

// Store is the pool's part of the store.
type Store struct {
	engine *store.Store
}

// New builds the pool's store on the engine. Sealed scans are kept in the
// attachment folder (the web layer stores them) by their hash.
func New(engine *store.Store) *Store {
	engine.Register(store.Module{Name: "pool", Files: "pool_seals"})
	return &Store{engine: engine}
}

// Now is the store's time.
func (s *Store) Now() time.Time { return s.engine.Now() }

// today is the day in the district's zone.
func (s *Store) today() string { return dayOf(s.engine.Now()) }

// dayOf is the day of a time in the district's zone.
func dayOf(t time.Time) string { return t.In(calendar.Shanghai).Format(time.DateOnly) }

// party is an enterprise of the pool as the SQL reads it, with its place.
type party struct {
	ID    int64
	Name  string
	Where pool.Where
	City  string
}

const partyColumns = "e.id, e.name, e.grid_code, e.community_code, e.street_code, e.district_code, e.city_code"

func scanParty(sc store.Scanner) (party, error) {
	var p party
	err := sc.Scan(&p.ID, &p.Name, &p.Where.Grid, &p.Where.Community, &p.Where.Street, &p.Where.District, &p.City)
	return p, store.ScanErr(err)
}

// enterpriseFor reads an enterprise the actor may take action on, or not found.
func enterpriseFor(ctx context.Context, h store.DB, actor access.Actor, action access.Action, id int64) (party, error) {
	cond, args := store.EnterpriseScope(actor, action)
	return scanParty(h.Row(ctx, "SELECT "+partyColumns+" FROM enterprises e WHERE e.id = ? AND "+cond, append([]any{id}, args...)...))
}

// visible is the condition on a record of enterprise e with a share region
// (column share) that the actor may read: its enterprise in the actor's
// reach, or — for staff who match — shared with a region holding theirs.
func visible(actor access.Actor, share string) (string, []any) {
	cond, args := store.EnterpriseScope(actor, access.PoolRead)
	sh, shArgs := shared(actor, share)
	return "((" + cond + ") OR " + sh + ")", append(args, shArgs...)
}

// shared is the condition that a share region (column col) holds the
// actor's region, for staff who match; never for anyone else.
func shared(actor access.Actor, col string) (string, []any) {
	if access.ReachOf(actor.Role, access.PoolMatch) != access.Region || actor.RegionCode == "" {
		return "1 = 0", nil
	}
	codes := append([]string{actor.RegionCode}, place.Above(actor.RegionCode)...)
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	return col + " IN (" + store.Placeholders(len(codes)) + ")", args
}

// shareOf checks a share region asked for an enterprise: the code of its
// community, street or district, or one of those words; "" is its district.
func shareOf(p party, code string) (string, error) {
	switch code {
	case "", "district":
		return p.Where.District, nil
	case "street":
		return p.Where.Street, nil
	case "community":
		return p.Where.Community, nil
	case p.Where.Community, p.Where.Street, p.Where.District:
		return code, nil
	}
	return "", fault.Fields{"share": {Zh: "共享范围须为本企业所在社区、街道或区县", En: "share with the enterprise's community, street or district"}}.Err()
}

// list joins codes as the SQL keeps them: ",a,b,".
func list[T ~string](codes []T) string {
	var b strings.Builder
	b.WriteString(",")
	for _, c := range codes {
		b.WriteString(string(c))
		b.WriteString(",")
	}
	return b.String()
}

// unlist reads codes kept by list.
func unlist[T ~string](s string) []T {
	var out []T
	for _, c := range strings.Split(strings.Trim(s, ","), ",") {
		if c != "" {
			out = append(out, T(c))
		}
	}
	return out
}

// own reports whether the actor is the enterprise's own account.
func own(actor access.Actor, enterpriseID int64) bool {
	return actor.Role == access.RoleEnterprise && actor.EnterpriseID != 0 && actor.EnterpriseID == enterpriseID
}

// maskWorker masks a worker's phone and ID number for all but the lender's
// own account (staff see them through an audited request, Reveal).
func maskWorker(actor access.Actor, w *pool.Worker) {
	if !own(actor, w.EnterpriseID) {
		w.Phone = access.MaskPhone(w.Phone)
		w.IDNumber = access.MaskIDNumber(w.IDNumber)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain data of this package's types
	}
	return string(b)
}

// stale is the conflict of a state change that lost its race.
func stale(zh, en string) error {
	return fault.New(fault.Conflict, "pool_stale", zh, en)
}

func wrap(err error, what string) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// affected is the number of rows a statement changed.
func affected(res interface{ RowsAffected() (int64, error) }) int64 {
	n, _ := res.RowsAffected()
	return n
}

// closed reports whether a lender closed (LenderClosed): it lends no more.
func closed(ctx context.Context, h store.DB, enterpriseID int64) (bool, error) {
	var n int
	err := store.Scan(h.Row(ctx, "SELECT COUNT(*) FROM pool_closed WHERE enterprise_id = ?", enterpriseID), &n)
	return n > 0, err
}

// communityStaff are the staff of the community an enterprise is in, for a notice.
func communityStaff(e party) store.Recipients {
	return store.Recipients{Query: "SELECT id FROM users WHERE role = ? AND region_code = ? AND disabled = FALSE",
		Args: []any{string(access.RoleCommunityStaff), e.Where.Community}}
}
