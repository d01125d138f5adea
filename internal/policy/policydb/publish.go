package policydb

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// Before a benefit is published its department runs it over every
// enterprise (the dry run): how many qualify, may qualify and do not, by
// street and by condition, with a sample the department checks; a member
// of staff other than its last editor signs the run off, and only a signed
// run of the benefit's current version lets it be published. Publishing
// evaluates again and tells each enterprise that qualifies or may qualify,
// once and privately.

// DryRun is one dry run of a benefit's version.
type DryRun struct {
	ID          int64            `json:"id"`
	BenefitID   int64            `json:"benefit_id"`
	Version     int              `json:"version"`
	Met         int              `json:"met"`
	Maybe       int              `json:"maybe"`
	NotMet      int              `json:"not_met"`
	Barred      int              `json:"barred"` // blacklisted, counted apart
	Amount      int64            `json:"amount"` // of those that qualify, yuan
	ByRegion    []RegionCount    `json:"by_region"`
	ByCondition []ConditionCount `json:"by_condition"`
	Sample      []SampleRow      `json:"sample"`
	RunBy       int64            `json:"run_by"`
	RunAt       time.Time        `json:"run_at"`
	SignedBy    int64            `json:"signed_by"`
	SignedName  string           `json:"signed_name"`
	SignedAt    time.Time        `json:"signed_at"`
	SignNote    string           `json:"sign_note"`
}

// RegionCount is a street's counts.
type RegionCount struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Met    int    `json:"met"`
	Maybe  int    `json:"maybe"`
	NotMet int    `json:"not_met"`
}

// ConditionCount is how many enterprises each condition passes, fails and
// cannot tell.
type ConditionCount struct {
	Asks   fault.Msg `json:"asks"`
	Met    int       `json:"met"`
	Maybe  int       `json:"maybe"`
	NotMet int       `json:"not_met"`
}

// SampleRow is an enterprise of the sample with its explained verdict.
type SampleRow struct {
	EnterpriseID int64       `json:"enterprise_id"`
	Name         string      `json:"name"`
	Verdict      string      `json:"verdict"`
	Amount       int64       `json:"amount"`
	Why          []fault.Msg `json:"why"`
}

// sampleEach is how many of each verdict the sample keeps.
const sampleEach = 8

// evaluation is the outcome of a benefit over every enterprise.
type evaluation struct {
	run    DryRun
	pushes []push
	// facts and ents are how far the profiles evaluated go.
	facts, ents mark
}

type push struct {
	benefit    int64
	enterprise int64
	verdict    policy.Verdict
	amount     int64
	grid       string
	community  string
	street     string
	district   string
}

// tally is what one worker of an evaluation counted and kept.
type tally struct {
	run     DryRun
	streets map[string]*RegionCount
	pushes  []push
	seen    [3]int
	each    []policy.Verdict
}

func newTally(c *policy.Compiled) *tally {
	return &tally{streets: map[string]*RegionCount{}, run: DryRun{ByCondition: make([]ConditionCount, c.Len())}}
}

// add counts one enterprise.
func (t *tally) add(p *policy.Profile, b policy.Benefit, c *policy.Compiled, barred map[int64]string, keep bool) {
	run := &t.run
	if _, ok := barred[p.EnterpriseID]; ok {
		run.Barred++
		return
	}
	var all policy.Verdict
	t.each, all = c.Test(p, t.each)
	for i, v := range t.each {
		switch v {
		case policy.Met:
			run.ByCondition[i].Met++
		case policy.Unknown:
			run.ByCondition[i].Maybe++
		default:
			run.ByCondition[i].NotMet++
		}
	}
	rc := t.streets[p.Street]
	if rc == nil {
		rc = &RegionCount{Code: p.Street}
		t.streets[p.Street] = rc
	}
	var amount int64
	switch all {
	case policy.Met:
		run.Met++
		rc.Met++
		amount, _ = b.Amount.Of(p)
		run.Amount += amount
	case policy.Unknown:
		run.Maybe++
		rc.Maybe++
	default:
		run.NotMet++
		rc.NotMet++
	}
	// the sample: the first of each verdict, then every 97th
	if t.seen[all] < sampleEach && (t.seen[all] < sampleEach/2 || p.EnterpriseID%97 == 0) {
		t.seen[all]++
		outs, _ := c.Explain(p)
		row := SampleRow{EnterpriseID: p.EnterpriseID, Name: p.Name, Verdict: all.String(), Amount: amount}
		for _, o := range outs {
			row.Why = append(row.Why, fault.Msg{Zh: o.Verdict.Name().Zh + "：" + o.Why.Zh, En: o.Verdict.Name().En + ": " + o.Why.En})
		}
		run.Sample = append(run.Sample, row)
	}
	if keep && all != policy.NotMet {
		t.pushes = append(t.pushes, push{benefit: b.ID, enterprise: p.EnterpriseID, verdict: all, amount: amount,
			grid: p.Grid, community: p.Community, street: p.Street, district: p.District})
	}
}

// parallelFrom is the number of enterprises from which an evaluation is
// split between two workers, each reading its half of the ids.
const parallelFrom = 20_000

// evaluate runs a benefit over every enterprise; keep says whether to keep
// the pushes (publication) or only count (dry run).
func (s *Store) evaluate(ctx context.Context, b policy.Benefit, keep bool) (evaluation, error) {
	c, err := s.compile(b)
	if err != nil {
		return evaluation{}, err
	}
	r := s.engine.Reader()
	barred, err := s.barred(ctx, r, nil)
	if err != nil {
		return evaluation{}, err
	}
	// two workers, each over half of the profiles
	tallies := []*tally{newTally(c), newTally(c)}
	var facts, ents mark
	err = s.profiles(ctx, func(list []policy.Profile) error {
		facts, ents = s.cache.facts, s.cache.ents
		if len(list) < parallelFrom {
			for i := range list {
				tallies[0].add(&list[i], b, c, barred, keep)
			}
			return nil
		}
		mid := len(list) / 2
		var wg sync.WaitGroup
		for w, part := range [][]policy.Profile{list[:mid], list[mid:]} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range part {
					tallies[w].add(&part[i], b, c, barred, keep)
				}
			}()
		}
		wg.Wait()
		return nil
	})
	if err != nil {
		return evaluation{}, err
	}
	ev := evaluation{facts: facts, ents: ents}
	run := &ev.run
	run.BenefitID, run.Version = b.ID, b.Version
	run.ByCondition = make([]ConditionCount, c.Len())
	for i, a := range c.Asks() {
		run.ByCondition[i].Asks = a
	}
	streets := map[string]*RegionCount{}
	kept := [3]int{}
	for _, t := range tallies {
		run.Met, run.Maybe, run.NotMet, run.Barred, run.Amount = run.Met+t.run.Met, run.Maybe+t.run.Maybe, run.NotMet+t.run.NotMet,
			run.Barred+t.run.Barred, run.Amount+t.run.Amount
		for i, cc := range t.run.ByCondition {
			run.ByCondition[i].Met += cc.Met
			run.ByCondition[i].Maybe += cc.Maybe
			run.ByCondition[i].NotMet += cc.NotMet
		}
		for code, rc := range t.streets {
			if x := streets[code]; x != nil {
				x.Met, x.Maybe, x.NotMet = x.Met+rc.Met, x.Maybe+rc.Maybe, x.NotMet+rc.NotMet
			} else {
				streets[code] = rc
			}
		}
		for _, row := range t.run.Sample {
			k := verdictOrder(row.Verdict)
			if kept[k] < sampleEach {
				kept[k]++
				run.Sample = append(run.Sample, row)
			}
		}
		ev.pushes = append(ev.pushes, t.pushes...)
	}
	names, err := regionNames(ctx, r, slices.Collect(maps.Keys(streets)))
	if err != nil {
		return ev, err
	}
	for code, rc := range streets {
		rc.Name = names[code]
		run.ByRegion = append(run.ByRegion, *rc)
	}
	slices.SortFunc(run.ByRegion, func(a, b RegionCount) int {
		return cmp.Or(cmp.Compare(b.Met+b.Maybe, a.Met+a.Maybe), strings.Compare(a.Code, b.Code))
	})
	slices.SortStableFunc(run.Sample, func(a, b SampleRow) int { return verdictOrder(a.Verdict) - verdictOrder(b.Verdict) })
	return ev, nil
}

func verdictOrder(v string) int {
	switch v {
	case "met":
		return 0
	case "maybe":
		return 1
	}
	return 2
}

// DryRun runs a draft benefit over every enterprise and keeps the run for
// sign-off.
func (s *Store) DryRun(ctx context.Context, actor access.Actor, benefitID int64) (DryRun, error) {
	b, err := s.benefit(ctx, s.engine.Reader(), actor, benefitID)
	if err != nil {
		return DryRun{}, err
	}
	if !mayManageBenefit(actor, b) {
		return DryRun{}, access.ErrForbidden
	}
	if b.State != policy.Draft {
		return DryRun{}, fault.New(fault.Conflict, "policy_state", "只有草稿可以试算", "only a draft is dry-run")
	}
	ev, err := s.evaluate(ctx, b, false)
	if err != nil {
		return DryRun{}, err
	}
	run := ev.run
	run.RunBy = actor.UserID
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		now := tx.Now()
		run.RunAt = time.UnixMilli(now.UnixMilli())
		if err := store.Scan(tx.DB().Row(ctx, `INSERT INTO policy_dryruns (benefit_id, benefit_version, met, maybe, not_met, barred, amount,
			by_region, by_condition, sample, run_by, run_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			b.ID, b.Version, run.Met, run.Maybe, run.NotMet, run.Barred, run.Amount, mustJSON(nonNil(run.ByRegion)),
			mustJSON(nonNil(run.ByCondition)), mustJSON(nonNil(run.Sample)), actor.UserID, now.UnixMilli()), &run.ID); err != nil {
			return fmt.Errorf("insert dry run: %w", err)
		}
		return tx.Record(ctx, actor, "policy.dryrun", fmt.Sprintf("policy_benefit/%d", b.ID), "ok",
			map[string]any{"version": b.Version, "met": run.Met, "maybe": run.Maybe, "not_met": run.NotMet})
	})
	return run, err
}

const dryrunColumns = `r.id, r.benefit_id, r.benefit_version, r.met, r.maybe, r.not_met, r.barred, r.amount, r.by_region,
	r.by_condition, r.sample, r.run_by, r.run_at, r.signed_by, r.signed_name, r.signed_at, r.sign_note`

func scanDryRun(sc store.Scanner) (DryRun, error) {
	var r DryRun
	var regions, conds, sample string
	var runAt, signedAt int64
	if err := sc.Scan(&r.ID, &r.BenefitID, &r.Version, &r.Met, &r.Maybe, &r.NotMet, &r.Barred, &r.Amount, &regions, &conds, &sample,
		&r.RunBy, &runAt, &r.SignedBy, &r.SignedName, &signedAt, &r.SignNote); err != nil {
		return r, store.ScanErr(err)
	}
	r.RunAt, r.SignedAt = store.Millis(runAt), store.Millis(signedAt)
	for _, p := range []struct {
		s string
		v any
	}{{regions, &r.ByRegion}, {conds, &r.ByCondition}, {sample, &r.Sample}} {
		if err := json.Unmarshal([]byte(p.s), p.v); err != nil {
			return r, fmt.Errorf("dry run %d: %w", r.ID, err)
		}
	}
	return r, nil
}

// LatestDryRun is a benefit's newest dry run, for those who manage it.
func (s *Store) LatestDryRun(ctx context.Context, actor access.Actor, benefitID int64) (DryRun, error) {
	r := s.engine.Reader()
	b, err := s.benefit(ctx, r, actor, benefitID)
	if err != nil {
		return DryRun{}, err
	}
	if !mayManageBenefit(actor, b) {
		return DryRun{}, fault.ErrNotFound
	}
	return scanDryRun(r.Row(ctx, "SELECT "+dryrunColumns+" FROM policy_dryruns r WHERE r.benefit_id = ? ORDER BY r.id DESC LIMIT 1", benefitID))
}

// Sign signs a dry run off: the sample was checked. The signer is not the
// benefit's last editor, and the run is of its current version.
func (s *Store) Sign(ctx context.Context, actor access.Actor, runID int64, note string) (DryRun, error) {
	var run DryRun
	if len([]rune(note)) > 500 {
		return run, fault.Fields{"note": {Zh: "意见不能超过 500 字", En: "at most 500 characters"}}.Err()
	}
	err := s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if run, err = scanDryRun(tx.DB().Row(ctx, "SELECT "+dryrunColumns+" FROM policy_dryruns r WHERE r.id = ?", runID)); err != nil {
			return err
		}
		b, err := s.benefit(ctx, tx.DB(), actor, run.BenefitID)
		if err != nil {
			return err
		}
		if !mayManageBenefit(actor, b) {
			return fault.ErrNotFound
		}
		if b.Version != run.Version || b.State != policy.Draft {
			return stale("事项在试算后已修改，请重新试算", "the benefit changed after this run; run it again")
		}
		if b.EditedBy == actor.UserID {
			return fault.New(fault.Invalid, "policy_four_eyes", "须由事项编辑人以外的人员核对样本并签核", "someone other than its last editor signs the run off")
		}
		var name string
		if err := store.Scan(tx.DB().Row(ctx, "SELECT name FROM users WHERE id = ?", actor.UserID), &name); err != nil {
			return err
		}
		now := tx.Now().UnixMilli()
		res, err := tx.DB().Exec(ctx, "UPDATE policy_dryruns SET signed_by = ?, signed_name = ?, signed_at = ?, sign_note = ? WHERE id = ? AND signed_by = 0",
			actor.UserID, name, now, note, runID)
		if err != nil {
			return fmt.Errorf("sign dry run: %w", err)
		}
		if affected(res) == 0 {
			return stale("该试算已签核", "the run was signed off already")
		}
		run.SignedBy, run.SignedName, run.SignedAt, run.SignNote = actor.UserID, name, time.UnixMilli(now), note
		return tx.Record(ctx, actor, "policy.sign", fmt.Sprintf("policy_benefit/%d", b.ID), "ok", map[string]any{"run": runID, "version": b.Version})
	})
	return run, err
}

// Published is what a publication did.
type Published struct {
	Benefit policy.Benefit `json:"benefit"`
	Told    int            `json:"told"`    // enterprises told
	Matched int            `json:"matched"` // 免申即享 claims made, awaiting the enterprises
}

// pushBatch bounds the rows of one INSERT.
const pushBatch = 20_000

// jsonRows is the rows of a JSON array given as the statement's last
// parameter, each as j.value: the one place the two stores spell it apart.
func (s *Store) jsonRows() string {
	if s.engine.Postgres() {
		return "jsonb_array_elements(CAST(? AS jsonb)) AS j (value)"
	}
	return "json_each(?) AS j"
}

// Publish publishes a benefit at its version after a signed dry run of
// that version: each enterprise that qualifies or may qualify is told,
// once and privately (its inbox and check-up; its grid worker's to-do
// counts it); a 免申即享 benefit matches the qualifying enterprises,
// which then confirm.
func (s *Store) Publish(ctx context.Context, actor access.Actor, benefitID int64, version int) (Published, error) {
	r := s.engine.Reader()
	b, err := s.benefit(ctx, r, actor, benefitID)
	if err != nil {
		return Published{}, err
	}
	if !mayManageBenefit(actor, b) {
		return Published{}, access.ErrForbidden
	}
	if b.Version != version || b.State != policy.Draft {
		return Published{}, stale("该事项已被修改或已发布，请刷新后重试", "the benefit changed or was published meanwhile; reload")
	}
	ev, err := s.evaluate(ctx, b, true)
	if err != nil {
		return Published{}, err
	}
	out := Published{Benefit: b}
	err = s.engine.WithTx(ctx, func(tx *store.Tx) error {
		var signed int
		if err := store.Scan(tx.DB().Row(ctx, `SELECT COUNT(*) FROM policy_dryruns WHERE benefit_id = ? AND benefit_version = ? AND signed_by <> 0`,
			b.ID, b.Version), &signed); err != nil {
			return err
		}
		if signed == 0 {
			return fault.New(fault.Invalid, "policy_not_signed", "发布前须试算，并由他人核对样本签核", "publish after a dry run signed off by someone else")
		}
		var pstate string
		if err := store.Scan(tx.DB().Row(ctx, "SELECT state FROM policies WHERE id = ?", b.PolicyID), &pstate); err != nil {
			return err
		}
		if pstate != policy.Published {
			return fault.New(fault.Invalid, "policy_not_published", "请先发布政策文件", "publish the policy document first")
		}
		now := tx.Now()
		res, err := tx.DB().Exec(ctx, "UPDATE policy_benefits SET state = 'published', published_at = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'draft'",
			now.UnixMilli(), b.ID, version)
		if err != nil {
			return fmt.Errorf("publish benefit: %w", err)
		}
		if affected(res) == 0 {
			return stale("该事项已被修改或已发布，请刷新后重试", "the benefit changed or was published meanwhile; reload")
		}
		out.Benefit.State, out.Benefit.Version, out.Benefit.PublishedAt = policy.Published, version+1, time.UnixMilli(now.UnixMilli())
		told, matched, err := s.tell(ctx, tx, map[int64]policy.Benefit{b.ID: out.Benefit}, ev.pushes)
		if err != nil {
			return err
		}
		out.Told, out.Matched = told, matched
		return tx.Record(ctx, actor, "policy.publish", fmt.Sprintf("policy_benefit/%d", b.ID), "ok",
			map[string]any{"version": version, "told": told, "matched": matched})
	})
	if err != nil {
		return out, err
	}
	// the enterprises that changed while the benefit was evaluated
	ids, err := changedSince(ctx, s.engine.Reader(), ev.facts, ev.ents)
	for part := range slices.Chunk(ids, 500) {
		if err != nil {
			break
		}
		_, err = s.reevaluate(ctx, part)
	}
	if err != nil {
		return out, fmt.Errorf("published; the enterprises changed meanwhile are evaluated by the next run: %w", err)
	}
	return out, nil
}

// tell records the pushes not yet told (each enterprise once per
// benefit), upgrades a "maybe" that now qualifies, makes the 免申即享 claims
// of those that qualify and hold nothing of the benefit's group, and
// notifies the enterprises' accounts, with a few statements however many
// benefits the pushes are of. It returns how many were told and matched.
func (s *Store) tell(ctx context.Context, tx *store.Tx, benefits map[int64]policy.Benefit, pushes []push) (int, int, error) {
	now := tx.Now().UnixMilli()
	batch := rand.Int64N(1<<62) + 1 // this telling's rows, whoever else tells in the same millisecond
	told := 0
	for start := 0; start < len(pushes); start += pushBatch {
		part := pushes[start:min(start+pushBatch, len(pushes))]
		// the rows as one JSON array, [benefit, enterprise, verdict, amount, grid, community, street, district]:
		// one parameter however many rows
		var rows strings.Builder
		rows.Grow(len(part) * 80)
		rows.WriteByte('[')
		for i, p := range part {
			if i > 0 {
				rows.WriteByte(',')
			}
			fmt.Fprintf(&rows, `[%d,%d,"%s",%d,"%s","%s","%s","%s"]`, p.benefit, p.enterprise, p.verdict.String(), p.amount,
				p.grid, p.community, p.street, p.district)
		}
		rows.WriteByte(']')
		res, err := tx.DB().Exec(ctx, `INSERT INTO policy_pushes (benefit_id, enterprise_id, verdict, amount, grid_code, community_code,
			street_code, district_code, told_at, told_batch)
			SELECT CAST(j.value ->> 0 AS BIGINT), CAST(j.value ->> 1 AS BIGINT), j.value ->> 2, CAST(j.value ->> 3 AS BIGINT),
			j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7, CAST(? AS BIGINT), CAST(? AS BIGINT) FROM `+s.jsonRows()+` WHERE TRUE
			ON CONFLICT (benefit_id, enterprise_id) DO UPDATE SET verdict = excluded.verdict, amount = excluded.amount,
			told_at = excluded.told_at, told_batch = excluded.told_batch, read_at = 0
			WHERE policy_pushes.verdict = 'maybe' AND excluded.verdict = 'met'`, now, batch, rows.String())
		if err != nil {
			return 0, 0, fmt.Errorf("insert pushes: %w", err)
		}
		told += int(affected(res))
	}
	if told > 0 {
		if err := tx.NotifyEach(ctx, "policy.push", `SELECT u.id, '可能适用于本企业的政策：' || b.title AS title,
			'/policy/benefits/' || CAST(b.id AS TEXT) AS href FROM policy_pushes p JOIN users u ON u.enterprise_id = p.enterprise_id
			JOIN policy_benefits b ON b.id = p.benefit_id WHERE p.told_batch = ? AND u.disabled = FALSE`, batch); err != nil {
			return 0, 0, err
		}
	}
	// 免申即享: a claim of each qualifying enterprise that holds nothing of
	// the benefit's group (a claim already open for the benefit stays)
	held := map[[2]any]bool{}
	var rows []push
	for _, p := range pushes {
		if b := benefits[p.benefit]; b.Mode == policy.Auto && p.verdict == policy.Met {
			rows = append(rows, p)
		}
	}
	if len(rows) == 0 {
		return told, 0, nil
	}
	var groups []any
	for _, b := range benefits {
		if b.Mode == policy.Auto && b.StackGroup != "" && b.Stack != policy.Stackable && !slices.Contains(groups, any(b.StackGroup)) {
			groups = append(groups, b.StackGroup)
		}
	}
	if len(groups) > 0 {
		heldRows, err := store.Collect(ctx, tx.DB(), func(sc store.Scanner) ([2]any, error) {
			var e int64
			var g string
			err := sc.Scan(&e, &g)
			return [2]any{e, g}, err
		}, `SELECT DISTINCT c.enterprise_id, o.stack_group FROM policy_claims c JOIN policy_benefits o ON o.id = c.benefit_id
			WHERE o.stack_group IN (`+store.Placeholders(len(groups))+`) AND c.state IN (`+openStates+`)`, groups...)
		if err != nil {
			return 0, 0, err
		}
		for _, h := range heldRows {
			held[h] = true
		}
	}
	kept := rows[:0]
	for _, p := range rows {
		b := benefits[p.benefit]
		if b.StackGroup != "" && b.Stack != policy.Stackable && held[[2]any{p.enterprise, b.StackGroup}] {
			continue
		}
		kept = append(kept, p)
	}
	matched := 0
	for start := 0; start < len(kept); start += pushBatch {
		part := kept[start:min(start+pushBatch, len(kept))]
		var rows strings.Builder
		rows.WriteByte('[')
		for i, p := range part {
			if i > 0 {
				rows.WriteByte(',')
			}
			fmt.Fprintf(&rows, "[%d,%d,%d]", p.benefit, p.enterprise, p.amount)
		}
		rows.WriteByte(']')
		// a claim already open for the benefit (an earlier match) stays
		res, err := tx.DB().Exec(ctx, `INSERT INTO policy_claims (benefit_id, enterprise_id, mode, state, amount, channel, created_by, created_at, updated_at)
			SELECT CAST(j.value ->> 0 AS BIGINT), CAST(j.value ->> 1 AS BIGINT), 'auto', 'matched', CAST(j.value ->> 2 AS BIGINT), 'data', 0,
			CAST(? AS BIGINT), CAST(? AS BIGINT) FROM `+s.jsonRows()+`
			WHERE NOT EXISTS (SELECT 1 FROM policy_claims c WHERE c.benefit_id = CAST(j.value ->> 0 AS BIGINT) AND c.enterprise_id = CAST(j.value ->> 1 AS BIGINT))
			ON CONFLICT DO NOTHING`, now, now, rows.String())
		if err != nil {
			return 0, 0, fmt.Errorf("insert matched claims: %w", err)
		}
		matched += int(affected(res))
	}
	return told, matched, nil
}

// openStates are the states of a claim that holds its benefit, for SQL.
const openStates = "'matched', 'confirmed', 'noticed', 'submitted', 'more', 'handed', 'approved', 'paid'"
