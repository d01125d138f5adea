package policydb

import (
	"context"
	"fmt"
	"slices"

	"qifu/internal/access"
	"qifu/internal/dossier"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// The policy check-up (政策体检) is every benefit in force for one
// enterprise, met, maybe or not, each condition explained, with the one
// missing fact to supply. When an enterprise's facts change, it is
// evaluated again against the benefits in force and told of those it now
// qualifies for.

// Item is one benefit of a check-up.
type Item struct {
	Benefit  policy.Benefit   `json:"benefit"`
	Verdict  policy.Verdict   `json:"verdict"`
	Outcomes []policy.Outcome `json:"outcomes"`
	Amount   int64            `json:"amount"`
	// AmountKnown is false when the amount's base is missing.
	AmountKnown bool `json:"amount_known"`
	// Stacking is set when the stacking rules bar the benefit.
	Stacking *fault.Msg `json:"stacking,omitempty"`
	// Blacklisted is the blacklist's reason, for staff; an enterprise
	// reads only that it does not qualify at present.
	Blacklisted bool          `json:"blacklisted"`
	Reason      string        `json:"reason"`
	Claim       *policy.Claim `json:"claim,omitempty"`
	Told        bool          `json:"told"`
	Read        bool          `json:"read"`
	// Supply is the condition whose missing fact would settle it.
	Supply *policy.Outcome `json:"supply,omitempty"`
	Open   bool            `json:"open"` // the window is open today
}

// CheckUp is an enterprise's check-up.
type CheckUp struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Enterprise   string `json:"enterprise"`
	Items        []Item `json:"items"`
	Met          int    `json:"met"`
	Maybe        int    `json:"maybe"`
	NotMet       int    `json:"not_met"`
	// Amount is what the benefits it qualifies for are worth, yuan.
	Amount int64 `json:"amount"`
}

// CheckUp is the check-up of an enterprise the actor may read. The
// enterprise's own account opening it reads what it was told.
func (s *Store) CheckUp(ctx context.Context, actor access.Actor, enterpriseID int64) (CheckUp, error) {
	r := s.engine.Reader()
	if err := s.mayRead(ctx, r, actor, access.PolicyRead, enterpriseID); err != nil {
		return CheckUp{}, err
	}
	cu, err := s.checkUp(ctx, r, enterpriseID)
	if err != nil {
		return cu, err
	}
	for i := range cu.Items {
		if actor.Role == access.RoleEnterprise {
			cu.Items[i].Reason = "" // the blacklist's reason is for staff
		}
		if c := cu.Items[i].Claim; c != nil {
			mask(actor, c)
		}
	}
	if own(actor, enterpriseID) && slices.ContainsFunc(cu.Items, func(it Item) bool { return it.Told && !it.Read }) {
		if err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.DB().Exec(ctx, "UPDATE policy_pushes SET read_at = ? WHERE enterprise_id = ? AND read_at = 0", tx.Now().UnixMilli(), enterpriseID)
			return err
		}); err != nil {
			return cu, fmt.Errorf("mark pushes read: %w", err)
		}
	}
	return cu, nil
}

// mayRead checks that the actor may take action on the enterprise.
func (s *Store) mayRead(ctx context.Context, h store.DB, actor access.Actor, action access.Action, enterpriseID int64) error {
	if !access.May(actor.Role, action) {
		return access.ErrForbidden
	}
	cond, args := store.EnterpriseScope(actor, action)
	var id int64
	return store.Scan(h.Row(ctx, "SELECT e.id FROM enterprises e WHERE e.id = ? AND "+cond, append([]any{enterpriseID}, args...)...), &id)
}

func (s *Store) checkUp(ctx context.Context, h store.DB, enterpriseID int64) (CheckUp, error) {
	p, err := profileOf(ctx, h, enterpriseID)
	if err != nil {
		return CheckUp{}, err
	}
	day := s.today()
	benefits, err := s.inForce(ctx, h, day)
	if err != nil {
		return CheckUp{}, err
	}
	claims, err := store.Collect(ctx, h, scanClaim, "SELECT "+claimColumns+claimFrom+" WHERE c.enterprise_id = ? ORDER BY c.id", enterpriseID)
	if err != nil {
		return CheckUp{}, err
	}
	// the benefits the enterprise was told of, each with whether it read it
	told, err := store.Collect(ctx, h, func(sc store.Scanner) (toldOf, error) {
		var t toldOf
		var read int64
		err := sc.Scan(&t.benefit, &read)
		t.read = read != 0
		return t, err
	}, "SELECT benefit_id, read_at FROM policy_pushes WHERE enterprise_id = ?", enterpriseID)
	if err != nil {
		return CheckUp{}, fmt.Errorf("pushes: %w", err)
	}
	read := make(map[int64]bool, len(told))
	for _, t := range told {
		read[t.benefit] = t.read
	}
	barred, err := s.barred(ctx, h, []int64{enterpriseID})
	if err != nil {
		return CheckUp{}, err
	}
	reason, blacklisted := barred[enterpriseID]
	cu := CheckUp{EnterpriseID: enterpriseID, Enterprise: p.Name}
	entries := make([]policy.Entry, 0, len(benefits))
	for _, b := range benefits {
		c, err := s.compile(b)
		if err != nil {
			return cu, err
		}
		outs, v := c.Explain(&p)
		it := Item{Benefit: b, Verdict: v, Outcomes: outs, Open: b.OpenOn(day)}
		it.Amount, it.AmountKnown = b.Amount.Of(&p)
		if blacklisted {
			it.Verdict, it.Blacklisted, it.Reason = policy.NotMet, true, reason
		}
		for i := len(claims) - 1; i >= 0; i-- {
			if claims[i].BenefitID == b.ID {
				c := claims[i]
				it.Claim = &c
				break
			}
		}
		it.Read, it.Told = read[b.ID]
		if it.Verdict == policy.Unknown {
			if i := slices.IndexFunc(outs, func(o policy.Outcome) bool { return o.Verdict == policy.Unknown && o.Field != "" }); i >= 0 {
				o := outs[i]
				it.Supply = &o
			}
		}
		cu.Items = append(cu.Items, it)
		entries = append(entries, policy.Entry{BenefitID: b.ID, Title: b.Title, Group: b.StackGroup, Stack: b.Stack,
			Verdict: it.Verdict, Amount: it.Amount, Held: it.Claim != nil && policy.Open(it.Claim.State)})
	}
	policy.Resolve(entries)
	for i := range cu.Items {
		cu.Items[i].Stacking = entries[i].Barred
		switch cu.Items[i].Verdict {
		case policy.Met:
			cu.Met++
			if cu.Items[i].Stacking == nil {
				cu.Amount += cu.Items[i].Amount
			}
		case policy.Unknown:
			cu.Maybe++
		default:
			cu.NotMet++
		}
	}
	slices.SortStableFunc(cu.Items, func(a, b Item) int { return int(b.Verdict) - int(a.Verdict) })
	return cu, nil
}

// toldOf is a push of a benefit to an enterprise and whether it was read.
type toldOf struct {
	benefit int64
	read    bool
}

// SupplyFact records a fact a check-up asked for — the enterprise's own
// declaration, or staff's — and evaluates the enterprise again at once.
func (s *Store) SupplyFact(ctx context.Context, actor access.Actor, enterpriseID int64, kind, period, value string) (CheckUp, error) {
	if err := s.mayRead(ctx, s.engine.Reader(), actor, access.PolicyClaim, enterpriseID); err != nil {
		return CheckUp{}, err
	}
	k, ok := dossier.KindOf(kind)
	if !ok || !slices.Contains(policy.FactKinds(), kind) {
		return CheckUp{}, fault.Fields{"kind": {Zh: "未知的事实类别", En: "unknown kind of fact"}}.Err()
	}
	num, text, err := dossier.ParseValue(k, value)
	if err != nil {
		return CheckUp{}, err
	}
	if period == "" {
		period = s.today()
		if k.Period == dossier.Year {
			period = fmt.Sprint(s.engine.Now().Year() - 1)
		}
	}
	f := dossier.Fact{EnterpriseID: enterpriseID, Kind: kind, Period: period, Num: num, Text: text, Ref: "policy.checkup"}
	if err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		_, err := dossierdb.RecordTx(ctx, tx, actor, []dossier.Fact{f})
		return err
	}); err != nil {
		return CheckUp{}, err
	}
	if _, err := s.reevaluate(ctx, []int64{enterpriseID}); err != nil {
		return CheckUp{}, err
	}
	return s.CheckUp(ctx, actor, enterpriseID)
}

// ruledInForce are the benefits in force with their compiled conditions,
// read again only when a benefit was published, closed or changed.
func (s *Store) ruledInForce(ctx context.Context, h store.DB) ([]ruled, error) {
	day := s.today()
	// a benefit published, closed or changed, or its policy corrected or
	// withdrawn, changes the key
	var n, sum, max, policies int64
	if err := store.Scan(h.Row(ctx, `SELECT COUNT(*), COALESCE(SUM(b.version), 0), COALESCE(MAX(b.id), 0), COALESCE(SUM(p.version), 0)
		FROM policy_benefits b JOIN policies p ON p.id = b.policy_id WHERE b.state = 'published'`),
		&n, &sum, &max, &policies); err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s/%d/%d/%d/%d", day, n, sum, max, policies)
	s.mu.Lock()
	if s.forceKey == key {
		out := s.force
		s.mu.Unlock()
		return out, nil
	}
	s.mu.Unlock()
	list, err := s.inForce(ctx, h, day)
	if err != nil {
		return nil, err
	}
	out := make([]ruled, 0, len(list))
	for _, b := range list {
		c, err := s.compile(b)
		if err != nil {
			return nil, err
		}
		out = append(out, ruled{b, c})
	}
	s.mu.Lock()
	s.force, s.forceKey = out, key
	s.mu.Unlock()
	return out, nil
}

// reevaluate evaluates enterprises against every benefit in force and
// tells them of those they now qualify or may qualify for. It returns how
// many pushes it made. take, when given, runs first in the transaction
// that tells (the scheduler's claim of a batch).
func (s *Store) reevaluate(ctx context.Context, ids []int64, take ...func(*store.Tx) error) (int, error) {
	r := s.engine.Reader()
	rules, err := s.ruledInForce(ctx, r)
	if err != nil {
		return 0, err
	}
	var pushes []push
	benefits := map[int64]policy.Benefit{}
	if len(ids) > 0 && len(rules) > 0 {
		barred, err := s.barred(ctx, r, ids)
		if err != nil {
			return 0, err
		}
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		err = eachProfile(ctx, r, "e.id IN ("+store.Placeholders(len(ids))+")", args, kindsOf(rules), func(p *policy.Profile) error {
			if _, ok := barred[p.EnterpriseID]; ok {
				return nil
			}
			for _, rb := range rules {
				v := rb.c.Verdict(p)
				if v == policy.NotMet {
					continue
				}
				var amount int64
				if v == policy.Met {
					amount, _ = rb.b.Amount.Of(p)
				}
				benefits[rb.b.ID] = rb.b
				pushes = append(pushes, push{benefit: rb.b.ID, enterprise: p.EnterpriseID, verdict: v, amount: amount,
					grid: p.Grid, community: p.Community, street: p.Street, district: p.District})
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	total := 0
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		for _, t := range take {
			if err := t(tx); err != nil {
				return err
			}
		}
		var err error
		total, _, err = s.tell(ctx, tx, benefits, pushes)
		return err
	})
	if err == errLost {
		return 0, nil
	}
	return total, err
}

// ReevaluateBatch bounds the changes one run of Reevaluate reads.
const ReevaluateBatch = 2000

// mark is how far the re-evaluation has read a table: the last row's key.
type mark struct{ at, id int64 }

// Reevaluate evaluates again the enterprises whose facts or record changed
// since the last run (an import, a correction, another module's fact) and
// tells them of benefits they now qualify for. The scheduler runs it every
// minute on every instance; the marks move by compare-and-set in the
// transaction that tells, so a batch is handled by one instance, and by
// none only if that transaction fails (then the next run takes it again).
func (s *Store) Reevaluate(ctx context.Context) (int, error) {
	r := s.engine.Reader()
	var facts, ents mark
	if err := store.Scan(r.Row(ctx, "SELECT mark, mark2 FROM policy_marks WHERE name = 'facts'"), &facts.at, &facts.id); err != nil {
		return 0, err
	}
	if err := store.Scan(r.Row(ctx, "SELECT mark, mark2 FROM policy_marks WHERE name = 'enterprises'"), &ents.at, &ents.id); err != nil {
		return 0, err
	}
	scanChange := func(sc store.Scanner) ([3]int64, error) {
		var c [3]int64
		return c, sc.Scan(&c[0], &c[1], &c[2])
	}
	fc, err := store.Collect(ctx, r, scanChange, "SELECT enterprise_id, id, id FROM enterprise_facts WHERE id > ? ORDER BY id LIMIT ?", facts.id, ReevaluateBatch)
	if err != nil {
		return 0, err
	}
	// those of the mark's millisecond after its enterprise, then the later
	// ones: two seeks of the index, where one comparison of the pair is a
	// scan of every row of that millisecond on SQLite
	ec, err := store.Collect(ctx, r, scanChange, `SELECT id, updated_at, id FROM (SELECT id, updated_at FROM enterprises
		WHERE updated_at = ? AND id > ? ORDER BY id LIMIT ?) a
		UNION ALL SELECT id, updated_at, id FROM (SELECT id, updated_at FROM enterprises WHERE updated_at > ? ORDER BY updated_at, id LIMIT ?) b`,
		ents.at, ents.id, ReevaluateBatch, ents.at, ReevaluateBatch)
	if err != nil {
		return 0, err
	}
	if len(fc) == 0 && len(ec) == 0 {
		return 0, nil
	}
	if len(ec) > ReevaluateBatch {
		ec = ec[:ReevaluateBatch]
	}
	seen := map[int64]bool{}
	var ids []int64
	nf, ne := facts, ents
	for _, c := range fc {
		if !seen[c[0]] {
			seen[c[0]] = true
			ids = append(ids, c[0])
		}
		nf = mark{at: c[1], id: c[2]}
	}
	for _, c := range ec {
		if !seen[c[0]] {
			seen[c[0]] = true
			ids = append(ids, c[0])
		}
		ne = mark{at: c[1], id: c[2]}
	}
	return s.reevaluate(ctx, ids, func(tx *store.Tx) error {
		for _, m := range []struct {
			name     string
			old, new mark
		}{{"facts", facts, nf}, {"enterprises", ents, ne}} {
			res, err := tx.DB().Exec(ctx, "UPDATE policy_marks SET mark = ?, mark2 = ? WHERE name = ? AND mark = ? AND mark2 = ?",
				m.new.at, m.new.id, m.name, m.old.at, m.old.id)
			if err != nil {
				return fmt.Errorf("policy marks: %w", err)
			}
			if affected(res) == 0 {
				return errLost
			}
		}
		return nil
	})
}

// CatchUp moves the marks past every change so far, for a store whose
// enterprises were all evaluated (the demo, after publishing).
func (s *Store) CatchUp(ctx context.Context) error {
	return s.engine.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.DB().Exec(ctx, "UPDATE policy_marks SET mark = (SELECT COALESCE(MAX(id), 0) FROM enterprise_facts), mark2 = (SELECT COALESCE(MAX(id), 0) FROM enterprise_facts) WHERE name = 'facts'"); err != nil {
			return err
		}
		_, err := tx.DB().Exec(ctx, `UPDATE policy_marks SET mark = (SELECT COALESCE(MAX(updated_at), 0) FROM enterprises),
			mark2 = (SELECT COALESCE(MAX(id), 0) FROM enterprises) WHERE name = 'enterprises'`)
		return err
	})
}

var errLost = fault.New(fault.Conflict, "policy_mark_lost", "另一实例已处理", "another instance took the batch")
