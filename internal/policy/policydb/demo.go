package policydb

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/dossier"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// The demo district's precise push (精准推送) of the last six weeks, played
// through the module's own use cases on a store whose clock the caller
// moves (setNow). The departments' data comes first, as their imports
// would bring it: the registry's dates of registration, the tax bureau's
// revenue of last year (when the forms' demo has not brought it), the
// social-insurance headcounts of the human-resources bureau, the customs'
// export shares, the science bureau's certifications and the technology
// bottlenecks its survey found; then three departments' blacklists. The
// science bureau puts its 101 innovation-resource lists up. Seven policy
// documents of the seeds' families are published by the departments that
// keep them, and each of their sixteen benefits is dry-run by one member of
// staff, signed off by a second and published, so that every enterprise
// that qualifies is told. Over the following weeks enterprises apply —
// their own account where they have one, their grid worker on their behalf
// otherwise — and the granting departments ask for more, approve, refuse,
// hand over to the province's platform, pay and claw back; 免申即享 matches
// are confirmed with bank accounts, noticed, approved after the notice and
// paid, and a second notice is still running, one enterprise objected to.
// A few enterprises request innovation resources, and some are answered.

// DemoReport is what the demo of precise push played.
type DemoReport struct {
	Policies, Benefits, Told, Matched, Facts, Barred, Resources, Requests, Answered, Notices int
	// Claims counts the claims by state at the end.
	Claims map[string]int
	// Reviewers are the accounts the demo made for the second member of a
	// department who signs the dry runs off (none when the dataset has them).
	Reviewers []string
}

func (r DemoReport) String() string {
	states := make([]string, 0, len(r.Claims))
	for _, o := range policy.ClaimStates {
		if n := r.Claims[o.Value]; n > 0 {
			states = append(states, fmt.Sprintf("%s %d", o.Value, n))
		}
	}
	s := fmt.Sprintf("%d policies, %d benefits, %d facts, %d barred, %d told, %d matched, %d notices, %d resources (%d requests, %d answered), claims: %s",
		r.Policies, r.Benefits, r.Facts, r.Barred, r.Told, r.Matched, r.Notices, r.Resources, r.Requests, r.Answered, strings.Join(states, ", "))
	if len(r.Reviewers) > 0 {
		s += "; accounts made: " + strings.Join(r.Reviewers, ", ")
	}
	return s
}

// demoKeepers are the departments that keep the demo's policies; each has
// a second member of staff to sign the dry runs off.
var demoKeepers = []string{"econ", "commerce", "devreform", "finoffice", "hrss", "sci"}

// demoReviewerNames name the second members the demo makes, by department.
var demoReviewerNames = map[string]string{"econ": "应海峰", "commerce": "俞佳琳", "devreform": "邬志明",
	"finoffice": "乐丹", "hrss": "竺晓燕", "sci": "史浩宇"}

// Demo plays precise push's demo up to now through the module's use cases,
// moving the store's clock with setNow (and leaving it at now); actor
// returns the actor of a demo account by its username. The dataset gives
// the accounts: the enterprises' own, the grid workers who act on behalf
// of the others, the departments'. A department without a second member
// of staff gets one, dept_<code>2, with the demo's password.
func Demo(ctx context.Context, d *Store, ds demo.Dataset, actor func(ctx context.Context, username string) (access.Actor, error),
	now time.Time, setNow func(time.Time)) (DemoReport, error) {
	defer setNow(now)
	rep := DemoReport{Claims: map[string]int{}}
	p := &demoPlay{ctx: ctx, s: d, ds: ds, actorOf: actor, actors: map[string]access.Actor{}, now: now, local: now.In(calendar.Shanghai),
		setNow: setNow, rep: &rep, r: rand.New(rand.NewPCG(11, 0x706f6c696379)), second: map[string]string{},
		benefits: map[string]policy.Benefit{}, grants: map[int64]string{}, banned: map[int64]bool{}}
	p.lastYear = fmt.Sprint(p.local.Year() - 1)
	for _, step := range []struct {
		what string
		do   func() error
	}{{"accounts", p.load}, {"reviewers", p.reviewers}, {"registry", p.registry}, {"facts", p.facts}, {"blacklist", p.blacklist},
		{"resources", p.resources}, {"policies", p.policies}, {"claims", p.claims}, {"figures", p.figures}} {
		if err := step.do(); err != nil {
			if fe := fault.As(err); fe != nil && len(fe.Fields) > 0 {
				return rep, fmt.Errorf("demo policy %s at %s: %w %v", step.what, p.last.Format(time.DateTime), err, fe.Fields)
			}
			return rep, fmt.Errorf("demo policy %s at %s: %w", step.what, p.last.Format(time.DateTime), err)
		}
	}
	return rep, nil
}

// demoPlay is the state of one play.
type demoPlay struct {
	ctx      context.Context
	s        *Store
	ds       demo.Dataset
	actorOf  func(ctx context.Context, username string) (access.Actor, error)
	actors   map[string]access.Actor
	r        *rand.Rand
	cal      *calendar.Calendar
	now      time.Time
	local    time.Time
	last     time.Time
	setNow   func(time.Time)
	rep      *DemoReport
	lastYear string

	ents     []enterprise.Enterprise // by id
	grid     map[string]string       // grid → its worker's username
	own      map[int64]string        // enterprise → its own account
	showcase int64
	district string
	streets  []place.Region // the district's streets
	second   map[string]string
	banned   map[int64]bool
	needs    map[int64]string // enterprise → a technology bottleneck it reported

	benefits map[string]policy.Benefit // by the spec's key, as published
	grants   map[int64]string          // benefit → its granting department's code

	queue demoQueue
	seq   int
}

// as is the actor of a demo account.
func (p *demoPlay) as(username string) (access.Actor, error) {
	if a, ok := p.actors[username]; ok {
		return a, nil
	}
	a, err := p.actorOf(p.ctx, username)
	if err != nil {
		return a, err
	}
	p.actors[username] = a
	return a, nil
}

// day is the working day about n days before now, at hour:minute.
func (p *demoPlay) day(n, hour, minute int) time.Time {
	d := p.local.AddDate(0, 0, -n)
	for i := 0; i < 15 && p.cal != nil && !p.cal.IsWorkday(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, calendar.Shanghai)); i++ {
		d = d.AddDate(0, 0, -1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, calendar.Shanghai)
}

// set moves the clock to t, never back past what was played, nor past now.
func (p *demoPlay) set(t time.Time) {
	if !t.After(p.last) {
		t = p.last.Add(time.Second)
	}
	if t.After(p.now) {
		t = p.now
	}
	p.last = t
	p.setNow(t)
}

func (p *demoPlay) today() string { return p.last.In(calendar.Shanghai).Format(time.DateOnly) }

// onBehalf is who acts for an enterprise: its own account, else its grid worker.
func (p *demoPlay) onBehalf(id int64) (access.Actor, error) {
	if u, ok := p.own[id]; ok {
		return p.as(u)
	}
	i, ok := slices.BinarySearchFunc(p.ents, id, func(e enterprise.Enterprise, id int64) int { return int(e.ID - id) })
	if !ok {
		return access.Actor{}, fmt.Errorf("no enterprise %d", id)
	}
	e := p.ents[i]
	if u, ok := p.grid[e.GridCode]; ok {
		return p.as(u)
	}
	for _, u := range p.ds.Users {
		if u.Role == access.RoleCommunityStaff && u.RegionCode == e.CommunityCode {
			return p.as(u.Username)
		}
	}
	return access.Actor{}, fmt.Errorf("nobody acts for enterprise %d", id)
}

// load reads the enterprises and maps the accounts that act for them.
func (p *demoPlay) load() error {
	cal, err := p.s.engine.Calendar(p.ctx)
	if err != nil {
		return err
	}
	p.cal = cal
	p.last = p.day(45, 8, 0)
	err = p.s.engine.ExportEnterprises(p.ctx, access.System("demo"), store.EnterpriseQuery{}, func(e enterprise.Enterprise) error {
		p.ents = append(p.ents, e)
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(p.ents, func(a, b enterprise.Enterprise) int { return int(a.ID - b.ID) })
	if len(p.ents) < 50 {
		return fmt.Errorf("%d enterprises: the demo needs the demo dataset", len(p.ents))
	}
	codes := map[string]int64{}
	for _, e := range p.ents {
		codes[e.CreditCode] = e.ID
	}
	p.grid, p.own = map[string]string{}, map[int64]string{}
	for _, u := range p.ds.Users {
		for _, g := range u.GridCodes {
			p.grid[g] = u.Username
		}
		if u.Role == access.RoleEnterprise {
			if id, ok := codes[u.EnterpriseCode]; ok {
				p.own[id] = u.Username
				if u.Username == "enterprise" || p.showcase == 0 {
					p.showcase = id
				}
			}
		}
	}
	if p.showcase == 0 {
		p.showcase = p.ents[0].ID
	}
	for _, e := range p.ents {
		if e.ID == p.showcase {
			p.district = e.DistrictCode
		}
	}
	for _, r := range p.ds.Regions {
		if r.Level == place.Street && r.ParentCode == p.district {
			p.streets = append(p.streets, r)
		}
	}
	if len(p.streets) < 2 {
		return fmt.Errorf("the demo district %s has %d streets", p.district, len(p.streets))
	}
	return nil
}

// reviewers finds or makes the second member of staff of each keeping
// department, who signs off what the first edits.
func (p *demoPlay) reviewers() error {
	p.set(p.day(45, 9, 0))
	type made struct {
		code, username string
		u              account.User
	}
	var todo []made
	for _, code := range demoKeepers {
		for _, u := range p.ds.Users {
			if u.Role == access.RoleDepartment && u.DepartmentCode == code && u.Username != "dept_"+code {
				p.second[code] = u.Username
				break
			}
		}
		if p.second[code] != "" {
			continue
		}
		name := "dept_" + code + "2"
		p.second[code] = name
		if _, err := p.s.engine.UserByUsername(p.ctx, name); err == nil {
			continue
		} else if !fault.Is(err, fault.NotFound) {
			return err
		}
		first, err := p.as("dept_" + code)
		if err != nil {
			return err
		}
		todo = append(todo, made{code, name, account.User{Username: name, Name: demoReviewerNames[code],
			Phone: fmt.Sprintf("1385748%04d", 2101+len(todo)*7), Role: access.RoleDepartment, DepartmentID: first.DepartmentID}})
	}
	// The password hashes take a while each: made side by side.
	errs := make([]error, len(todo))
	var wg sync.WaitGroup
	for i, m := range todo {
		wg.Go(func() {
			_, errs[i] = p.s.engine.CreateUser(p.ctx, access.System("demo"), m.u, demo.Password)
		})
	}
	wg.Wait()
	for i, m := range todo {
		if errs[i] != nil {
			return fmt.Errorf("reviewer %s: %w", m.username, errs[i])
		}
		p.rep.Reviewers = append(p.rep.Reviewers, m.username)
	}
	return nil
}

// registry gives every enterprise its date of registration (成立日期), as
// the market-supervision registry's import would: a day from 1998 to 2025
// drawn from its ID, the more recent the likelier.
func (p *demoPlay) registry() error {
	market, err := p.as("dept_market")
	if err != nil {
		return err
	}
	p.set(p.day(45, 9, 30))
	first := time.Date(1998, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	if limit := time.Date(p.local.Year(), p.local.Month(), p.local.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, -3, 0); last.After(limit) {
		last = limit
	}
	span := int(last.Sub(first).Hours() / 24)
	return p.s.engine.WithTx(p.ctx, func(tx *store.Tx) error {
		for part := range slices.Chunk(p.ents, 400) {
			args := make([]any, 0, 2*len(part))
			for _, e := range part {
				h := uint64(e.ID)*0x9e3779b97f4a7c15 ^ 0x5bd1e995
				h ^= h >> 29
				u := float64(h%1_000_003) / 1_000_003
				args = append(args, e.ID, first.AddDate(0, 0, int(math.Sqrt(u)*float64(span))).Format(time.DateOnly))
			}
			if _, err := tx.DB().Exec(p.ctx, `UPDATE enterprises SET registered_on = v.column2
				FROM (VALUES `+store.Tuples("(CAST(? AS BIGINT), ?)", len(part))+`) AS v
				WHERE enterprises.id = v.column1 AND enterprises.registered_on = ''`, args...); err != nil {
				return fmt.Errorf("registered_on: %w", err)
			}
		}
		return tx.Record(p.ctx, market, "enterprise.registered_on", "enterprises", "ok",
			map[string]any{"enterprises": len(p.ents), "ref": "import:market-registry"})
	})
}

// record records a department's facts as its import would, a batch a transaction.
func (p *demoPlay) record(actor access.Actor, facts []dossier.Fact) error {
	for part := range slices.Chunk(facts, 500) {
		if err := p.s.engine.WithTx(p.ctx, func(tx *store.Tx) error {
			_, err := dossierdb.RecordTx(p.ctx, tx, actor, part)
			return err
		}); err != nil {
			return fmt.Errorf("%s facts: %w", part[0].Kind, err)
		}
	}
	p.rep.Facts += len(facts)
	return nil
}
