package policydb

import (
	"container/heap"
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

// The technology bottlenecks (卡脖子) the science bureau's survey found, by
// industry: each names a theme of the resource lists.
var demoBottlenecks = map[string][]string{
	"35": {"精密模具表面处理工艺", "大型压铸模具热处理变形控制", "模具设计仿真软件国产替代", "模具型腔激光熔覆修复涂层"},
	"29": {"注塑件尺寸稳定性检测", "改性工程塑料新材料配方", "薄壁注塑成型翘曲控制"},
	"33": {"五金件表面处理无铬钝化工艺", "紧固件冷镦热处理硬度一致性", "压铸件内部气孔无损检测"},
	"34": {"液压阀体密封可靠性检测", "高精度轴承套圈精密加工", "装备远程运维数字化改造"},
}

// facts brings the departments' data: the tax bureau's revenue of last
// year when no department brought it yet, the social-insurance headcounts,
// the customs' exports and export shares, the science bureau's
// certifications and the bottlenecks of its survey.
func (p *demoPlay) facts() error {
	ctx := p.ctx
	// The tax bureau's revenue (the forms' demo imports it; alone, this one does).
	var n int
	if err := store.Scan(p.s.engine.Reader().Row(ctx, "SELECT COUNT(*) FROM enterprise_facts WHERE kind = 'revenue' AND period = ? AND source = 'department'",
		p.lastYear), &n); err != nil {
		return err
	}
	if n == 0 {
		tax, err := p.as("dept_tax")
		if err != nil {
			return err
		}
		p.set(p.day(44, 10, 0))
		var facts []dossier.Fact
		for _, e := range p.ents {
			if e.Revenue > 0 && e.ID%4 != 0 {
				facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "revenue", Period: p.lastYear,
					Num: e.Revenue * int64(90+p.r.IntN(21)) / 100, Ref: "import:tax-" + p.lastYear})
			}
		}
		if err := p.record(tax, facts); err != nil {
			return err
		}
	}
	// The social-insurance headcounts at the end of last month.
	hrss, err := p.as("dept_hrss")
	if err != nil {
		return err
	}
	at := p.day(43, 10, 0)
	p.set(at)
	monthEnd := time.Date(at.Year(), at.Month(), 0, 0, 0, 0, 0, calendar.Shanghai).Format(time.DateOnly)
	var facts []dossier.Fact
	for _, e := range p.ents {
		if e.Employees > 0 && (p.r.IntN(100) < 86 || e.ID == p.showcase) {
			facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "insured", Period: monthEnd,
				Num: int64(max(1, e.Employees*(72+p.r.IntN(29))/100)), Ref: "import:hrss-insured-" + monthEnd[:7]})
		}
	}
	if err := p.record(hrss, facts); err != nil {
		return err
	}
	// The customs' exports of last year, for the foreign-trade enterprises.
	commerce, err := p.as("dept_commerce")
	if err != nil {
		return err
	}
	p.set(p.day(43, 10, 40))
	facts = facts[:0]
	for _, e := range p.ents {
		if !e.ForeignTrade || (p.r.IntN(10) == 0 && e.ID != p.showcase) {
			continue
		}
		share := int64(800 + p.r.IntN(9000))
		if e.ID == p.showcase && share < 4000 {
			share = 6250
		}
		facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "export_share", Period: p.lastYear, Num: share, Ref: "import:customs-" + p.lastYear})
		if e.Revenue > 0 {
			facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "exports", Period: p.lastYear, Num: e.Revenue * share / 10000 / 1000 * 1000,
				Ref: "import:customs-" + p.lastYear})
		}
	}
	if err := p.record(commerce, facts); err != nil {
		return err
	}
	// The science bureau's certifications: most of the tagged enterprises,
	// and a few newly certified; and the bottlenecks of its survey.
	sci, err := p.as("dept_sci")
	if err != nil {
		return err
	}
	p.set(p.day(43, 11, 20))
	facts = facts[:0]
	certified := func(e enterprise.Enterprise, cert string) {
		d := p.last.AddDate(0, 0, -30-p.r.IntN(900)).In(calendar.Shanghai).Format(time.DateOnly)
		facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "certification", Period: d, Text: cert, Ref: "import:sci-certified"})
	}
	for _, e := range p.ents {
		had := false
		for _, t := range e.Tags {
			if (t == "高新技术企业" || t == "科技型中小企业" || t == "专精特新") && p.r.IntN(10) < 9 {
				certified(e, t)
				had = true
			}
		}
		tech := slices.Contains([]string{"34", "35", "36", "38", "39", "26", "40", "65"}, e.Industry)
		if !had && tech && e.Size != enterprise.SizeMicro && p.r.IntN(100) < 5 {
			certified(e, "科技型中小企业")
		}
	}
	if err := p.record(sci, facts); err != nil {
		return err
	}
	p.set(p.day(43, 14, 30))
	facts = facts[:0]
	p.needs = map[int64]string{}
	var makers []enterprise.Enterprise
	for _, e := range p.ents {
		if _, ok := demoBottlenecks[e.Industry]; ok && !p.banned[e.ID] {
			makers = append(makers, e)
		}
	}
	p.r.Shuffle(len(makers), func(i, j int) { makers[i], makers[j] = makers[j], makers[i] })
	want := max(5, len(p.ents)/20)
	for _, e := range makers[:min(want, len(makers))] {
		list := demoBottlenecks[e.Industry]
		text := list[p.r.IntN(len(list))]
		p.needs[e.ID] = text
		facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "bottleneck", Period: p.today(), Text: text, Ref: "survey:sci-bottleneck"})
	}
	return p.record(sci, facts)
}

// blacklist imports the departments' credit blacklists (失信名单).
func (p *demoPlay) blacklist() error {
	var pick []enterprise.Enterprise
	for _, e := range p.ents {
		if _, ok := p.own[e.ID]; !ok && e.KeyLevel == enterprise.KeyNone && e.Employees >= 10 {
			pick = append(pick, e)
		}
	}
	p.r.Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })
	if len(pick) < 4 {
		return fmt.Errorf("%d enterprises to blacklist", len(pick))
	}
	since := p.day(120, 9, 0).Format(time.DateOnly)
	until := p.local.AddDate(2, 0, 0).Format(time.DateOnly)
	imports := []struct {
		dept, ref string
		rows      []BlacklistRow
	}{
		{"hrss", "甬人社监〔" + p.lastYear + "〕拖欠工资失信名单", []BlacklistRow{
			{Line: 2, CreditCode: pick[0].CreditCode, Reason: "拖欠工资被列入失信名单", From: since, Until: until},
			{Line: 3, CreditCode: pick[1].CreditCode, Reason: "拖欠农民工工资被列入拖欠农民工工资失信联合惩戒对象名单", From: since},
		}},
		{"tax", "重大税收违法失信主体名单", []BlacklistRow{
			{Line: 2, CreditCode: pick[2].CreditCode, Reason: "虚开增值税专用发票，被确定为重大税收违法失信主体", From: since, Until: until},
		}},
		{"market", "严重违法失信名单", []BlacklistRow{
			{Line: 2, CreditCode: pick[3].CreditCode, Reason: "提交虚假材料取得登记，被列入严重违法失信名单", From: since},
		}},
	}
	for i, im := range imports {
		a, err := p.as("dept_" + im.dept)
		if err != nil {
			return err
		}
		p.set(p.day(43, 16, 10*i))
		problems, err := p.s.ImportBlacklist(p.ctx, a, im.ref, im.rows)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return fmt.Errorf("blacklist %s: %v", im.dept, problems)
		}
		p.rep.Barred += len(im.rows)
	}
	for _, e := range pick[:4] {
		p.banned[e.ID] = true
	}
	return nil
}

// A theme of the innovation resources: the words of a name, the themes
// (tags) matched against the enterprises' bottlenecks, the industries served.
type demoTheme struct {
	words string
	tags  []string
	inds  []string
}

var demoThemes = []demoTheme{
	{"模具表面工程", []string{"表面处理", "模具设计", "涂层"}, []string{"35", "33"}},
	{"精密注塑成型", []string{"注塑", "精密加工", "新材料"}, []string{"29", "35"}},
	{"汽车轻量化材料", []string{"新材料", "压铸"}, []string{"36", "33"}},
	{"高端轴承与传动", []string{"精密加工", "热处理"}, []string{"34", "36"}},
	{"液压元件可靠性", []string{"密封", "检测", "检测认证"}, []string{"34"}},
	{"新能源电机与驱动", []string{"电机", "数字化改造"}, []string{"38", "36"}},
	{"智能家电设计", []string{"工业设计", "电子"}, []string{"38", "39"}},
	{"光电检测", []string{"检测", "检测认证", "电子"}, []string{"39", "40"}},
	{"功能高分子材料", []string{"新材料", "注塑"}, []string{"29", "26"}},
	{"磁性材料与器件", []string{"新材料", "电机"}, []string{"39", "38"}},
	{"工业机器人与智能装备", []string{"数字化改造", "精密加工"}, []string{"34", "35"}},
	{"先进防腐涂层", []string{"涂层", "表面处理"}, []string{"33", "26"}},
	{"压铸模具成形", []string{"压铸", "模具设计", "热处理"}, []string{"35", "33"}},
	{"紧固件冷镦与热处理", []string{"热处理", "精密加工"}, []string{"33", "34"}},
	{"工业互联网与智能制造", []string{"数字化改造", "检测"}, []string{"34", "35", "38"}},
	{"精密测量与计量", []string{"检测", "检测认证", "精密加工"}, []string{"40", "34"}},
}

// The parts the resource lists are made of.
var (
	demoLabLevels = []string{"宁波市", "浙江省", "宁波市", "北仑区"}
	demoLabHosts  = []string{"甬江实验室", "中国科学院宁波材料技术与工程研究所", "宁波大学", "宁波工程学院", "浙大宁波理工学院",
		"宁波诺丁汉大学", "北仑区产业技术研究院", "宁波职业技术学院"}
	demoInstruments = []demoTheme{
		{"三坐标测量机", []string{"检测", "精密加工"}, []string{"34", "35", "36"}},
		{"扫描电子显微镜", []string{"检测", "新材料"}, []string{"26", "29", "33"}},
		{"X射线荧光光谱仪", []string{"检测", "新材料"}, []string{"26", "32", "33"}},
		{"盐雾腐蚀试验箱", []string{"检测", "表面处理", "涂层"}, []string{"33", "36", "38"}},
		{"注塑模流分析工作站", []string{"注塑", "模具设计"}, []string{"29", "35"}},
		{"万能材料试验机", []string{"检测", "新材料"}, []string{"29", "33", "34"}},
		{"工业CT无损检测系统", []string{"检测", "压铸"}, []string{"33", "35", "36"}},
		{"高低温交变湿热试验箱", []string{"检测", "电子"}, []string{"38", "39"}},
		{"电磁兼容（EMC）测试系统", []string{"检测认证", "电子", "电机"}, []string{"38", "39"}},
		{"金相显微镜", []string{"检测", "热处理"}, []string{"33", "34"}},
		{"直读光谱仪", []string{"检测", "检测认证"}, []string{"32", "33"}},
		{"疲劳试验机", []string{"检测", "精密加工"}, []string{"34", "36"}},
		{"热分析仪（DSC/TGA）", []string{"新材料", "注塑"}, []string{"26", "29"}},
		{"激光粒度分析仪", []string{"新材料", "检测"}, []string{"26"}},
		{"五轴联动加工中心", []string{"精密加工", "模具设计"}, []string{"34", "35"}},
		{"三维扫描与逆向设计系统", []string{"工业设计", "模具设计"}, []string{"35", "38", "24"}},
	}
	demoPlatforms   = []string{"北仑区检验检测公共服务平台", "宁波材料所分析测试中心"}
	demoExpertPools = []demoTheme{
		{"模具设计与制造", []string{"模具设计", "精密加工"}, []string{"35"}},
		{"注塑成型工艺", []string{"注塑", "新材料"}, []string{"29"}},
		{"表面处理与涂层", []string{"表面处理", "涂层"}, []string{"33", "35"}},
		{"工业设计", []string{"工业设计"}, []string{"38", "24", "41"}},
		{"数字化改造", []string{"数字化改造"}, []string{"34", "35", "36", "38"}},
		{"新材料应用", []string{"新材料"}, []string{"26", "29", "32"}},
		{"检测认证", []string{"检测认证", "检测"}, []string{"38", "39", "40"}},
		{"热处理与金属材料", []string{"热处理", "新材料"}, []string{"33", "34"}},
		{"液压气动", []string{"密封", "精密加工"}, []string{"34"}},
		{"电机电器", []string{"电机", "电子"}, []string{"38"}},
		{"汽车零部件", []string{"压铸", "精密加工"}, []string{"36"}},
		{"知识产权", []string{"知识产权"}, []string{"34", "35", "38", "39"}},
		{"节能降碳", []string{"节能降碳"}, []string{"26", "29", "33"}},
		{"质量管理", []string{"检测认证"}, []string{"33", "34", "36"}},
		{"科技金融", []string{"科技金融"}, []string{"39", "65"}},
	}
	demoPoolHosts = []string{"宁波市科学技术协会", "宁波市模具行业协会", "宁波市塑料行业协会", "宁波科技大市场", "北仑区科技局"}
	demoServices  = []demoTheme{
		{"工业设计", []string{"工业设计"}, []string{"38", "35", "24"}},
		{"技术转移", []string{"成果转化"}, []string{"34", "35", "39"}},
		{"知识产权", []string{"知识产权"}, []string{"34", "35", "38", "39"}},
		{"检测认证", []string{"检测认证", "检测"}, []string{"33", "36", "38"}},
		{"数字化改造", []string{"数字化改造"}, []string{"34", "35", "29"}},
		{"科技咨询", []string{"科技咨询"}, []string{"26", "39", "65"}},
		{"模具设计", []string{"模具设计"}, []string{"35", "29"}},
		{"表面处理", []string{"表面处理", "涂层"}, []string{"33", "35"}},
		{"新材料", []string{"新材料"}, []string{"26", "29"}},
		{"工业软件", []string{"数字化改造"}, []string{"34", "38", "65"}},
		{"节能环保", []string{"节能降碳"}, []string{"26", "33"}},
	}
	demoTrades       = []string{"甬创", "仑科", "港城", "海创", "明州", "三江", "新港", "科联", "天一", "东海", "众智"}
	demoSuffixes     = []string{"科技有限公司", "技术服务有限公司"}
	demoPlaces       = []string{"梅山湾", "小港", "大碶", "新碶", "霞浦", "春晓", "柴桥", "戚家山", "甬江", "大港", "白峰", "北仑科创"}
	demoIncubators   = []string{"科技企业孵化器", "众创空间", "创业园", "产业加速器"}
	demoSurnames     = []rune("陈王张李林徐周胡俞应邬乐董孙朱毛史竺虞贺郑沈吴杨黄刘叶金蔡")
	demoGiven        = []string{"建国", "海燕", "志刚", "晓峰", "丽君", "文斌", "佳琪", "立新", "慧敏", "浩然", "雪梅", "国平", "宇航", "静怡"}
	demoTitles       = []string{"主任", "工程师", "高级工程师", "经理", "教授", "博士"}
	demoResourceTerm = map[string]string{
		"lab":       "面向区内中小企业开放共享，预约后 5 个工作日内安排对接；收费按宁波市科技创新券目录执行，可用创新券抵扣 50%。",
		"equipment": "机时费按公示标准收取，科技型中小企业凭创新券抵扣 50%；请提前 3 个工作日预约，样品需附检测委托单。",
		"experts":   "首次上门诊断免费，后续技术攻关或项目合作另行约定。",
		"provider":  "服务费用按合同约定，可使用宁波市科技创新券；北仑区企业首单服务费八折。",
		"incubator": "入驻企业前两年场地租金减半，提供创业辅导、投融资对接和政策申报服务。",
	}
)

// demoResources makes the science bureau's 101 resource lists from their
// parts: 20 laboratories, 32 instruments, 15 expert pools, 22 service
// providers and 12 incubators.
func (p *demoPlay) demoResources() []policy.Resource {
	r := rand.New(rand.NewPCG(101, 2531))
	contact := func() string {
		return string(demoSurnames[r.IntN(len(demoSurnames))]) + demoGiven[r.IntN(len(demoGiven))]
	}
	phone := func() string { return fmt.Sprintf("0574-86%06d", 100000+r.IntN(900000)) }
	var out []policy.Resource
	add := func(kind, name, provider, summary string, th demoTheme) {
		out = append(out, policy.Resource{Kind: kind, Name: name, Provider: provider, Summary: summary,
			Industries: slices.Clone(th.inds), Tags: slices.Clone(th.tags), Contact: contact() + demoTitles[r.IntN(len(demoTitles))],
			Phone: phone(), Terms: demoResourceTerm[kind]})
	}
	for i := range 20 {
		th := demoThemes[i%len(demoThemes)]
		host := demoLabHosts[i%len(demoLabHosts)]
		name := demoLabLevels[i%len(demoLabLevels)] + th.words + "重点实验室"
		if i == 0 {
			name = "甬江实验室" + th.words + "中试平台"
		}
		add("lab", name, host, fmt.Sprintf("依托%s建设，聚焦%s领域的共性关键技术研究，可为企业提供工艺验证、中试熟化和联合攻关。", host, th.words), th)
	}
	for i := range 32 {
		ins := demoInstruments[i%len(demoInstruments)]
		host := demoPlatforms[i/len(demoInstruments)]
		add("equipment", ins.words+"（"+host+"）", host, fmt.Sprintf("%s对外开放共享，可承接%s相关的检测、分析和验证服务。", ins.words, strings.Join(ins.tags, "、")), ins)
	}
	for i, pool := range demoExpertPools {
		host := demoPoolHosts[i%len(demoPoolHosts)]
		add("experts", "宁波市"+pool.words+"专家库", host, fmt.Sprintf("汇集高校院所和龙头企业的%s专家，可组团上门诊断、解决“卡脖子”技术难题。", pool.words), pool)
	}
	for i := range 22 {
		sv := demoServices[i%len(demoServices)]
		name := "宁波" + demoTrades[i%len(demoTrades)] + sv.words + demoSuffixes[i/len(demoServices)]
		add("provider", name, name, fmt.Sprintf("提供%s服务，已服务宁波科技大市场登记企业 %d 家。", sv.words, 30+r.IntN(400)), sv)
	}
	for i := range 12 {
		place := demoPlaces[i]
		kind := demoIncubators[i%len(demoIncubators)]
		th := demoTheme{kind, []string{"科技型中小企业", "成果转化"}, demoThemes[i%len(demoThemes)].inds}
		add("incubator", place+kind, "宁波"+place+"科创服务有限公司", fmt.Sprintf("%s%s，可提供办公和中试场地、创业辅导和投融资对接，重点孵化%s方向的科技型企业。",
			place, kind, demoThemes[i%len(demoThemes)].words), th)
	}
	return out
}

// resources puts the science bureau's lists up and tells the enterprises
// with an account of those that fit them.
func (p *demoPlay) resources() error {
	sci, err := p.as("dept_sci")
	if err != nil {
		return err
	}
	start := p.day(42, 9, 0)
	for i, res := range p.demoResources() {
		p.set(start.Add(time.Duration(i*3) * time.Minute))
		if _, err := p.s.SaveResource(p.ctx, sci, res); err != nil {
			return fmt.Errorf("resource %s: %w", res.Name, err)
		}
		p.rep.Resources++
	}
	p.set(p.day(41, 10, 0))
	_, err = p.s.Digest(p.ctx, sci)
	return err
}

// A benefit of the demo: who grants it, when its window closes (days from
// today), and the fates of the applications made for it.
type demoBenefitSpec struct {
	key    string
	grant  string
	closes int
	b      policy.Benefit
	fates  []string
	// showcase: the showcase enterprise takes the first fate, with its own account.
	showcase bool
}

// A policy of the demo: the department that keeps it.
type demoPolicySpec struct {
	keeper   string
	p        policy.Policy
	docNo    string // with the year's place: 甬政发〔%d〕8号
	benefits []demoBenefitSpec
}

func demoCond(field string, op policy.Op, value string) policy.Condition {
	return policy.Condition{Field: field, Op: op, Value: value}
}

func demoAuth(field string, op policy.Op, value, period string) policy.Condition {
	return policy.Condition{Field: field, Op: op, Value: value, Period: period, Authoritative: true}
}

// specs are the demo's policies of the seeds' families.
func (p *demoPlay) specs() []demoPolicySpec {
	const services = "51,54,55,58,59,62,65,72"
	const makers = "29,33,34,35,36,38,39,40"
	y := p.lastYear
	parks := p.streets[0].Code + "," + p.streets[1].Code
	parkNames := p.streets[0].Name + "、" + p.streets[1].Name
	young := p.local.AddDate(-5, 0, 0).Format(time.DateOnly)
	return []demoPolicySpec{
		{keeper: "econ", docNo: "甬政发〔%d〕8号", p: policy.Policy{Title: "关于帮扶中小企业共渡难关促进经济平稳发展的若干意见", Issuer: "宁波市人民政府", Family: "甬18条",
			Text: "为帮助中小企业应对困难、稳定生产经营，从减轻税费负担、降低要素成本、加大技改支持、强化金融服务等方面提出十八条意见。各地各部门要通过企业服务平台精准推送、应享尽享，能免申即享的不再要求企业申报。"},
			benefits: []demoBenefitSpec{
				{key: "vat", grant: "tax", closes: 75, b: policy.Benefit{Title: "小规模纳税人增值税减免", Kind: policy.TaxRelief, Mode: policy.Auto, NoticeDays: 5,
					Summary:    "对小规模纳税人免征或减按 1% 征收增值税；由税务部门依据申报数据直接认定，企业确认后公示兑现，按上年度营业收入的 1% 核定，最高 5 万元。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "small,micro"), demoAuth("revenue", policy.Le, "500", y)},
					Amount:     policy.AmountRule{Kind: "share", Base: "revenue", Period: y, Rate: 100, Cap: 50_000}, Budget: 20_000_000}},
				{key: "retrofit", grant: "econ", closes: 2, b: policy.Benefit{Title: "中小企业技术改造项目补助", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "对实施智能化技术改造的中小工业企业，按上年度营业收入的 1% 给予补助，最高 30 万元；申报截止后不再受理。",
					Conditions: []policy.Condition{demoCond("industry", policy.In, makers), demoCond("size", policy.In, "medium,small"), demoAuth("revenue", policy.Ge, "500", y)},
					Amount:     policy.AmountRule{Kind: "share", Base: "revenue", Period: y, Rate: 100, Cap: 300_000}, Budget: 6_000_000,
					Materials: []string{"技术改造项目备案（核准）文件", "设备购置合同及发票清单", y + "年度财务报表"}},
					fates: []string{"paid", "paid", "approved", "submitted", "submitted", "refused", "more"}},
				{key: "workshop", grant: "econ", closes: 40, b: policy.Benefit{Title: "小微企业园厂房租金补助", Kind: policy.FeeRelief, Mode: policy.Apply,
					Summary:    "入驻" + parkNames + "小微企业园的小微企业，每家给予 2 万元厂房租金补助；与服务业小微企业房租减免不可叠加享受。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "small,micro"), demoCond("region", policy.In, parks)},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 20_000}, Budget: 1_000_000, StackGroup: "房租减免", Stack: policy.Exclusive,
					Materials: []string{"厂房租赁合同", "租金支付凭证"}},
					fates: []string{"paid", "approved", "submitted", "withdrawn"}},
			}},
		{keeper: "commerce", docNo: "甬政办发〔%d〕12号", p: policy.Policy{Title: "关于支持外贸企业稳订单拓市场的十二条意见", Issuer: "宁波市人民政府办公厅", Family: "外贸12条",
			Text: "为支持外贸企业稳住订单、开拓市场，加大出口信用保险支持，鼓励参加境外展会和线上云展会，推动外贸企业入驻国内电商平台拓展内销。"},
			benefits: []demoBenefitSpec{
				{key: "credit_insurance", grant: "commerce", closes: 50, showcase: true, b: policy.Benefit{Title: "出口信用保险保费补助", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "对投保短期出口信用保险、上年度外贸占比 30% 以上的中小外贸企业，每家定额补助 3 万元。",
					Conditions: []policy.Condition{demoCond("foreign_trade", policy.Eq, "是"), demoAuth("export_share", policy.Ge, "30", y), demoCond("size", policy.In, "medium,small,micro")},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 30_000}, Budget: 3_000_000,
					Materials: []string{"出口信用保险保单", "保费缴纳发票"}},
					fates: []string{"resubmit", "paid", "paid", "approved", "submitted", "overdue", "clawback"}},
				{key: "fair", grant: "commerce", closes: 60, b: policy.Benefit{Title: "境外展会和线上云展会参展补助", Kind: policy.Subsidy, Mode: policy.Apply, ReviewDays: 15,
					Platform:   "浙江省惠企政策直达平台",
					Summary:    "外贸企业参加境外展会或线上云展会的，按展位费的 50% 给予补助，最高 5 万元；在浙江省惠企政策直达平台申报，由平台审核兑付。",
					Conditions: []policy.Condition{demoCond("foreign_trade", policy.Eq, "是"), demoCond("region", policy.In, p.district)},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 50_000}, Budget: 2_000_000,
					Materials: []string{"参展合同及展位费发票", "参展现场照片"}},
					fates: []string{"handed", "handed", "handed-approved", "handed-approved", "submitted"}},
			}},
		{keeper: "devreform", docNo: "甬政发〔%d〕10号", p: policy.Policy{Title: "关于促进服务业健康平稳发展的二十一条措施", Issuer: "宁波市人民政府", Family: "服务业21条",
			Text: "为帮助服务业企业渡过难关，减免国有房产租金，给予稳定经营补助，支持商贸、物流、信息和商务服务企业恢复经营。"},
			benefits: []demoBenefitSpec{
				{key: "rent", grant: "devreform", closes: 30, b: policy.Benefit{Title: "服务业小微企业房租减免", Kind: policy.FeeRelief, Mode: policy.Auto, NoticeDays: 5,
					Summary:    "承租国有房产经营的服务业小微企业免收 3 个月房租，按每家 1.5 万元核定，免申即享；与小微企业园厂房租金补助不可叠加享受。",
					Conditions: []policy.Condition{demoCond("industry", policy.In, services), demoCond("size", policy.In, "small,micro"), demoCond("region", policy.In, p.district)},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 15_000}, Budget: 2_000_000, StackGroup: "房租减免", Stack: policy.Exclusive}},
				{key: "service_aid", grant: "devreform", closes: 8, b: policy.Benefit{Title: "服务业企业稳定经营补助", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "上年度营业收入 200 万元以上、从业人员 10 人以上、保持稳定经营的服务业企业，给予一次性补助 5 万元。",
					Conditions: []policy.Condition{demoCond("industry", policy.In, services), demoCond("employees", policy.Ge, "10"), demoAuth("revenue", policy.Ge, "200", y)},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 50_000}, Budget: 2_500_000,
					Materials: []string{"经营情况说明", y + "年度纳税证明"}},
					fates: []string{"paid", "approved", "submitted", "submitted", "refused", "more"}},
			}},
		{keeper: "finoffice", docNo: "甬政办发〔%d〕13号", p: policy.Policy{Title: "关于金融服务保障支持稳企业稳经济稳发展的十三条意见", Issuer: "宁波市人民政府办公厅", Family: "金融13条",
			Text: "开展金融“万员助万企”专项行动，加大小微企业信贷投放，实施减息让利，对小微企业新增贷款给予贴息，发挥应急转贷资金作用，不抽贷、不断贷、不压贷。"},
			benefits: []demoBenefitSpec{
				{key: "interest", grant: "finance", closes: 70, b: policy.Benefit{Title: "小微企业贷款贴息", Kind: policy.InterestSubsidy, Mode: policy.Apply,
					Summary: "对小微企业新增流动资金贷款给予贴息，贴息额按上年度营业收入的 0.5% 核定，最高 10 万元。",
					Conditions: []policy.Condition{{CEL: "size in ['small', 'micro'] && revenue >= 100.0 && revenue <= 20000.0", Period: y, Authoritative: true,
						Label: "上年度营业收入 100 万元至 2 亿元的小微企业（以税务数据为准）"}},
					Amount: policy.AmountRule{Kind: "share", Base: "revenue", Period: y, Rate: 50, Cap: 100_000}, Budget: 3_000_000,
					Materials: []string{"贷款合同", "利息支付凭证", "贷款银行出具的放款证明"}},
					fates: []string{"paid", "paid", "approved", "more", "submitted"}},
				{key: "bridge", grant: "finoffice", closes: 90, b: policy.Benefit{Title: "应急转贷资金支持", Kind: policy.Loan, Mode: policy.Apply, ReviewDays: 5,
					Summary:    "贷款即将到期、资金周转困难的中小微企业，由应急转贷资金提供过桥支持，费率按日万分之一优惠。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "medium,small,micro"), demoCond("employees", policy.Ge, "5")},
					Amount:     policy.AmountRule{Kind: "none"},
					Materials:  []string{"转贷申请表", "原贷款合同", "贷款银行续贷承诺函"}},
					fates: []string{"approved", "paid", "submitted"}},
			}},
		{keeper: "hrss", docNo: "甬政办发〔%d〕11号", p: policy.Policy{Title: "关于做好稳就业工作的十一条意见", Issuer: "宁波市人民政府办公厅", Family: "就业11条",
			Text: "落实减负稳岗扩就业政策：全市已为 33.51 万家次企业减免社会保险费、返还稳岗资金共 53 亿元，招工、以工代训、吸纳就业等七项补贴同步兑现。稳岗返还依据社保数据免申即享。"},
			benefits: []demoBenefitSpec{
				{key: "job_refund", grant: "hrss", closes: 45, b: policy.Benefit{Title: "稳岗返还", Kind: policy.Subsidy, Mode: policy.Auto, NoticeDays: 7,
					Summary:    "对不裁员或少裁员的参保企业返还上年度实际缴纳失业保险费的 50%，依据社保数据按参保人数每人 500 元核定，免申即享。",
					Conditions: []policy.Condition{demoAuth("insured", policy.Ge, "1", "")},
					Amount:     policy.AmountRule{Kind: "per_head", Base: "insured", Yuan: 500, Cap: 300_000}, Budget: 8_000_000}},
				{key: "training", grant: "hrss", closes: 35, b: policy.Benefit{Title: "以工代训补贴", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "中小微企业组织职工以工代训的，按参保职工每人 500 元给予补贴，最高 50 万元；与吸纳就业补贴就高享受、不重复享受。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "medium,small,micro"), demoAuth("insured", policy.Ge, "5", "")},
					Amount:     policy.AmountRule{Kind: "per_head", Base: "insured", Yuan: 500, Cap: 500_000}, Budget: 5_000_000,
					StackGroup: "稳就业补贴", Stack: policy.Higher, Materials: []string{"以工代训职工花名册", "培训计划及考勤记录"}},
					fates: []string{"paid", "approved", "submitted", "overdue", "refused"}},
				{key: "hiring", grant: "hrss", closes: 35, b: policy.Benefit{Title: "吸纳就业补贴", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "成立 5 年内的小微企业吸纳登记失业人员、高校毕业生就业并缴纳社会保险的，按参保人数每人 1000 元给予补贴，最高 5 万元；与以工代训补贴就高享受。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "small,micro"), demoCond("registered_on", policy.Ge, young), demoAuth("insured", policy.Ge, "1", "")},
					Amount:     policy.AmountRule{Kind: "per_head", Base: "insured", Yuan: 1000, Cap: 50_000}, Budget: 1_500_000,
					StackGroup: "稳就业补贴", Stack: policy.Higher, Materials: []string{"新招用人员花名册", "劳动合同", "社会保险缴费明细"}},
					fates: []string{"paid", "submitted", "more"}},
			}},
		{keeper: "hrss", docNo: "甬人社发〔%d〕13号", p: policy.Policy{Title: "关于构建和谐劳动关系支持企业稳定发展的十三条措施", Issuer: "宁波市人力资源和社会保障局", Family: "劳动13条",
			Text: "阶段性减免企业社会保险费，支持企业与职工协商灵活安排工作时间，规范共享用工，依法处理劳动争议，对拖欠工资的用人单位实施联合惩戒。"},
			benefits: []demoBenefitSpec{
				{key: "ss_relief", grant: "hrss", closes: 20, b: policy.Benefit{Title: "小微企业社会保险费减免", Kind: policy.FeeRelief, Mode: policy.Auto, NoticeDays: 7,
					Summary:    "阶段性免征小微企业基本养老、失业、工伤保险单位缴费部分，依据社保数据按参保人数每人 800 元核定，最高 20 万元，免申即享。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "small,micro"), demoAuth("insured", policy.Ge, "1", "")},
					Amount:     policy.AmountRule{Kind: "per_head", Base: "insured", Yuan: 800, Cap: 200_000}, Budget: 30_000_000}},
				{key: "ss_half", grant: "hrss", closes: 20, b: policy.Benefit{Title: "大中型企业社会保险费减半征收", Kind: policy.FeeRelief, Mode: policy.Auto, NoticeDays: 7,
					Summary:    "对大型、中型企业的基本养老、失业、工伤保险单位缴费部分减半征收，按参保人数每人 400 元核定。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "large,medium"), demoAuth("insured", policy.Ge, "1", "")},
					Amount:     policy.AmountRule{Kind: "per_head", Base: "insured", Yuan: 400, Cap: 400_000}, Budget: 10_000_000}},
			}},
		{keeper: "sci", docNo: "甬科高〔%d〕15号", p: policy.Policy{Title: "关于支持高新技术企业和科技型中小企业创新发展的若干措施", Issuer: "宁波市科学技术局", Family: "科技创新",
			Text: "市科技局深入全市 3000 家高新技术企业和产业技术研究院，排摸创新链“卡脖子”问题，梳理关键核心技术和进口替代清单 2531 项，整理 101 张创新资源服务清单，通过宁波科技大市场向高新技术企业、科技型中小企业精准推送；对新认定的高新技术企业给予奖励，对科技型中小企业研发投入给予补助。"},
			benefits: []demoBenefitSpec{
				{key: "hightech", grant: "sci", closes: 60, b: policy.Benefit{Title: "高新技术企业认定奖励", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "对首次认定或重新认定的国家高新技术企业给予 20 万元奖励。",
					Conditions: []policy.Condition{demoAuth("certifications", policy.Has, "高新技术企业", "")},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 200_000}, Budget: 4_000_000,
					Materials: []string{"高新技术企业证书", y + "年度研发费用专项审计报告"}},
					fates: []string{"paid", "paid", "approved", "submitted", "refused"}},
				{key: "techsme", grant: "sci", closes: 60, b: policy.Benefit{Title: "科技型中小企业研发投入补助", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary: "对入库的科技型中小企业和高新技术企业，按上年度营业收入的 1% 给予研发投入补助，最高 10 万元。",
					Conditions: []policy.Condition{{CEL: "'科技型中小企业' in certifications || '高新技术企业' in certifications", Authoritative: true,
						Label: "已入库科技型中小企业或已认定高新技术企业（以科技部门数据为准）"}, demoCond("size", policy.In, "medium,small,micro")},
					Amount: policy.AmountRule{Kind: "share", Base: "revenue", Period: y, Rate: 100, Cap: 100_000}, Budget: 3_000_000,
					Materials: []string{"科技型中小企业入库编号", "研发项目立项及费用归集表"}},
					fates: []string{"approved", "submitted", "submitted", "more"}},
			}},
	}
}

// policies publishes the demo's policies: the keeping department saves and
// publishes each document, one member of its staff saves each benefit and
// dry-runs it, a second signs the run off, and the first publishes it.
func (p *demoPlay) policies() error {
	for i, spec := range p.specs() {
		keeper, err := p.as("dept_" + spec.keeper)
		if err != nil {
			return err
		}
		second, err := p.as(p.second[spec.keeper])
		if err != nil {
			return err
		}
		at := p.day(38-i, 9, 0)
		p.set(at)
		day := at.Format(time.DateOnly)
		pol := spec.p
		pol.DocNo = fmt.Sprintf(spec.docNo, at.Year())
		pol.Published, pol.InForce, pol.Until = day, day, fmt.Sprintf("%d-12-31", at.Year()+1)
		if pol, err = p.s.SavePolicy(p.ctx, keeper, pol); err != nil {
			return fmt.Errorf("policy %s: %w", pol.Title, err)
		}
		p.set(at.Add(20 * time.Minute))
		if _, err = p.s.PublishPolicy(p.ctx, keeper, pol.ID, pol.Version); err != nil {
			return fmt.Errorf("publish %s: %w", pol.Title, err)
		}
		p.rep.Policies++
		// One member saves and dry-runs each benefit in the morning, a
		// second signs the runs off in the afternoon, the first publishes.
		drafts := make([]policy.Benefit, len(spec.benefits))
		runs := make([]DryRun, len(spec.benefits))
		for j, bs := range spec.benefits {
			grant, err := p.as("dept_" + bs.grant)
			if err != nil {
				return err
			}
			b := bs.b
			b.PolicyID, b.DepartmentID = pol.ID, grant.DepartmentID
			b.Opens, b.Closes = day, p.local.AddDate(0, 0, bs.closes).Format(time.DateOnly)
			p.set(at.Add(time.Duration(60+30*j) * time.Minute))
			if drafts[j], err = p.s.SaveBenefit(p.ctx, keeper, b); err != nil {
				return fmt.Errorf("benefit %s: %w", b.Title, err)
			}
			p.set(at.Add(time.Duration(75+30*j) * time.Minute))
			if runs[j], err = p.s.DryRun(p.ctx, keeper, drafts[j].ID); err != nil {
				return fmt.Errorf("dry run %s: %w", b.Title, err)
			}
		}
		for j, run := range runs {
			p.set(at.Add(time.Duration(6*60+15*j) * time.Minute))
			note := fmt.Sprintf("已核对样本：符合 %d 家、可能符合 %d 家，抽查结论与规则一致", run.Met, run.Maybe)
			if _, err := p.s.Sign(p.ctx, second, run.ID, note); err != nil {
				return fmt.Errorf("sign %s: %w", drafts[j].Title, err)
			}
		}
		for j, b := range drafts {
			p.set(at.Add(time.Duration(7*60+15*j) * time.Minute))
			pub, err := p.s.Publish(p.ctx, keeper, b.ID, b.Version)
			if err != nil {
				return fmt.Errorf("publish %s: %w", b.Title, err)
			}
			key := spec.benefits[j].key
			p.benefits[key] = pub.Benefit
			p.grants[pub.Benefit.ID] = spec.benefits[j].grant
			p.rep.Benefits++
			p.rep.Told += pub.Told
			p.rep.Matched += pub.Matched
		}
	}
	return nil
}

// demoEvent is one step of the weeks after publication, at a time; seq
// keeps the order of steps planned for the same time.
type demoEvent struct {
	at  time.Time
	seq int
	do  func() error
}

type demoQueue []demoEvent

func (q demoQueue) Len() int { return len(q) }
func (q demoQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q demoQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *demoQueue) Push(x any)   { *q = append(*q, x.(demoEvent)) }
func (q *demoQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// add plans a step, if it falls before now.
func (p *demoPlay) add(at time.Time, do func() error) {
	if at.Before(p.now) {
		p.seq++
		heap.Push(&p.queue, demoEvent{at: at, seq: p.seq, do: do})
	}
}

// demoStep is a step of an application's fate, days before now.
type demoStep struct {
	action string
	days   int
}

// demoFates are the ways an application goes.
var demoFates = map[string][]demoStep{
	"submitted":       {{"apply", 2}},
	"overdue":         {{"apply", 17}},
	"more":            {{"apply", 12}, {"ask_more", 9}},
	"resubmit":        {{"apply", 26}, {"ask_more", 23}, {"resubmit", 21}, {"approve", 15}, {"pay", 9}},
	"approved":        {{"apply", 20}, {"approve", 8}},
	"paid":            {{"apply", 28}, {"approve", 19}, {"pay", 13}},
	"refused":         {{"apply", 22}, {"refuse", 14}},
	"clawback":        {{"apply", 29}, {"approve", 24}, {"pay", 20}, {"claw_back", 4}},
	"withdrawn":       {{"apply", 10}, {"withdraw", 8}},
	"handed":          {{"apply", 18}, {"hand_over", 16}},
	"handed-approved": {{"apply", 27}, {"hand_over", 25}, {"approve", 10}},
}

// The words of the demo's claims.
var (
	demoBanks  = []string{"宁波银行北仑支行", "中国工商银行宁波北仑支行", "中国农业银行宁波北仑支行", "宁波农商银行小港支行", "中国建设银行宁波经济技术开发区支行", "浙商银行宁波分行"}
	demoMore   = []string{"请补充“%s”的盖章扫描件，上传件与申报金额不一致", "上传的“%s”不清晰，请重新扫描后上传", "请补充“%s”，并加盖企业公章"}
	demoRefuse = []string{"经核查，该企业上年度存在欠缴社会保险费情况，不符合申报条件", "申报项目已享受同类财政补助，根据就高不重复原则不予支持",
		"申报材料中的发票开具日期不在政策支持期内"}
	demoClawBack = "经审计抽查，申报材料与实际情况不符，按规定追回多拨付的资金"
	demoObject   = "公示期间收到实名反映，该企业存在拖欠职工工资问题，经核实暂缓兑现"
)

// demoClaim is an application being played.
type demoClaim struct {
	b  policy.Benefit
	c  policy.Claim
	by access.Actor // the enterprise's side
}

// pool is the enterprises qualifying for a benefit, in a shuffled order, to
// apply from.
func (p *demoPlay) pool(b policy.Benefit) ([]int64, error) {
	ids, err := store.Collect(p.ctx, p.s.engine.Reader(), store.Int64,
		"SELECT enterprise_id FROM policy_pushes WHERE benefit_id = ? AND verdict = 'met' ORDER BY enterprise_id", b.ID)
	if err != nil {
		return nil, err
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { return id == p.showcase })
	p.r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids, nil
}

func (p *demoPlay) materials(b policy.Benefit, again bool) []policy.Material {
	out := make([]policy.Material, len(b.Materials))
	for i, m := range b.Materials {
		out[i] = policy.Material{Name: m, Given: "见附件：" + m + ".pdf"}
		if again {
			out[i].Given = "已重新上传：" + m + "（加盖公章扫描件）.pdf"
		}
	}
	return out
}

// reviewer is the granting department of a benefit.
func (p *demoPlay) reviewer(b policy.Benefit) (access.Actor, error) {
	return p.as("dept_" + p.grants[b.ID])
}

// planApply plans an application's fate: each step at its day, after the
// one before.
func (p *demoPlay) planApply(b policy.Benefit, pool *[]int64, fate string, shift int, who int64) {
	cl := &demoClaim{b: b}
	prev := b.PublishedAt
	steps := demoFates[fate]
	if fate == "overdue" {
		// applied long enough ago that the review limit has passed
		n := 11
		for n < 40 && !p.cal.AddDays(p.day(n, 12, 0), b.ReviewDays).Before(p.now.Add(-24*time.Hour)) {
			n++
		}
		steps, shift = []demoStep{{"apply", n}}, 0
	}
	for _, st := range steps {
		hour := 9 + p.r.IntN(3)
		if st.action != "apply" && st.action != "resubmit" && st.action != "withdraw" {
			hour = 14 + p.r.IntN(3)
		}
		at := p.day(st.days+shift, hour, p.r.IntN(60))
		if !at.After(prev) {
			at = prev.Add(time.Duration(40+p.r.IntN(80)) * time.Minute)
		}
		if !at.Before(p.now) {
			return
		}
		prev = at
		p.add(at, func() error { return p.applyStep(cl, st.action, pool, who) })
	}
}

// applyStep takes a step of an application.
func (p *demoPlay) applyStep(cl *demoClaim, action string, pool *[]int64, who int64) error {
	ctx, b := p.ctx, cl.b
	if action == "apply" {
		for tries := 0; tries < 30; tries++ {
			id := who
			who = 0
			if id == 0 {
				if len(*pool) == 0 {
					return nil
				}
				id, *pool = (*pool)[0], (*pool)[1:]
			}
			a, err := p.onBehalf(id)
			if err != nil {
				return err
			}
			c, err := p.s.Apply(ctx, a, b.ID, id, p.materials(b, false))
			if fault.Is(err, fault.Invalid) || fault.Is(err, fault.Conflict) {
				continue // does not qualify now, or holds another of the group
			}
			if err != nil {
				return fmt.Errorf("apply for %s: %w", b.Title, err)
			}
			cl.c, cl.by = c, a
			return nil
		}
		return nil
	}
	if cl.c.ID == 0 {
		return nil // nobody applied
	}
	dept, err := p.reviewer(b)
	if err != nil {
		return err
	}
	by, st := dept, Step{Action: action}
	switch action {
	case "resubmit":
		by, st.Materials = cl.by, p.materials(b, true)
	case "withdraw":
		by = cl.by
	case "ask_more":
		st.Note = fmt.Sprintf(demoMore[p.r.IntN(len(demoMore))], b.Materials[0])
	case "refuse":
		st.Note = demoRefuse[p.r.IntN(len(demoRefuse))]
	case "hand_over":
		st.Ref = fmt.Sprintf("ZJHQ%s%06d", p.last.In(calendar.Shanghai).Format("20060102"), 100000+cl.c.ID*37%900000)
	case "approve":
		if cl.c.State == policy.Handed {
			st.Granted = max(100, cl.c.Amount*int64(50+p.r.IntN(50))/100/100*100)
			st.Note, st.Ref = "浙江省惠企政策直达平台审核通过，按实际展位费的 50% 核定", cl.c.PlatformRef
		}
	case "claw_back":
		st.ClawBack, st.Note = max(100, cl.c.Granted/2/100*100), demoClawBack
	}
	c, err := p.s.Act(ctx, by, cl.c.ID, cl.c.Version, st)
	if err != nil {
		return fmt.Errorf("%s %s of %s: %w", action, b.Title, cl.c.Enterprise, err)
	}
	cl.c = c
	return nil
}

// matched are the 免申即享 claims awaiting the enterprises, in a shuffled
// order, the showcase enterprise's first.
func (p *demoPlay) matched(b policy.Benefit) ([][2]int64, error) {
	rows, err := store.Collect(p.ctx, p.s.engine.Reader(), func(sc store.Scanner) ([2]int64, error) {
		var r [2]int64
		return r, sc.Scan(&r[0], &r[1])
	}, "SELECT id, enterprise_id FROM policy_claims WHERE benefit_id = ? AND state = 'matched' ORDER BY id", b.ID)
	if err != nil {
		return nil, err
	}
	p.r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	slices.SortStableFunc(rows, func(a, b [2]int64) int {
		switch {
		case a[1] == p.showcase:
			return -1
		case b[1] == p.showcase:
			return 1
		}
		return 0
	})
	return rows, nil
}

// planConfirm plans the enterprises' answers to 免申即享 matches: confirmed
// with a bank account from days from to days to, the last `declines` declined.
func (p *demoPlay) planConfirm(b policy.Benefit, claims [][2]int64, from, to, declines int) {
	n := len(claims)
	for i, row := range claims {
		days := from - (from-to)*i/max(1, n-1)
		at := p.day(days, 9+p.r.IntN(8), p.r.IntN(60))
		if !at.After(b.PublishedAt) {
			at = b.PublishedAt.Add(time.Hour)
		}
		decline := i >= n-declines
		bank, acct := demoBanks[p.r.IntN(len(demoBanks))], fmt.Sprintf("6230%012d", p.r.Int64N(1_000_000_000_000))
		p.add(at, func() error {
			a, err := p.onBehalf(row[1])
			if err != nil {
				return err
			}
			c, err := p.s.Claim(p.ctx, a, row[0])
			if err != nil {
				return err
			}
			if c.State != policy.Matched {
				return nil
			}
			if decline {
				_, err = p.s.Act(p.ctx, a, c.ID, c.Version, Step{Action: "decline", Note: "企业已通过其他渠道享受同类政策"})
			} else {
				_, err = p.s.Confirm(p.ctx, a, c.ID, c.Version, bank, acct)
			}
			if fault.Is(err, fault.Invalid) {
				return nil // the window closed, or the group is held
			}
			return err
		})
	}
}

// planNotice plans a public notice of a benefit's confirmed claims at, and
// its approval and payment after the notice period, as far as now allows;
// object objects to one enterprise on it the day before now.
func (p *demoPlay) planNotice(b policy.Benefit, at time.Time, object bool) {
	p.planNoticeThen(b, at, object, true)
}

// planNoticeThen is planNotice; approve false leaves a notice whose period
// ended for the department to approve (its to-do).
func (p *demoPlay) planNoticeThen(b policy.Benefit, at time.Time, object, approve bool) {
	p.add(at, func() error {
		dept, err := p.reviewer(b)
		if err != nil {
			return err
		}
		n, err := p.s.CreateNotice(p.ctx, dept, b.ID)
		if fault.Is(err, fault.Invalid) {
			return nil // nobody confirmed
		}
		if err != nil {
			return err
		}
		p.rep.Notices++
		if object {
			p.add(p.day(1, 11, 20), func() error {
				list, _, err := p.s.Claims(p.ctx, dept, ClaimQuery{NoticeID: n.ID, State: policy.Noticed, Page: store.Page{Size: 1}})
				if err != nil || len(list) == 0 {
					return err
				}
				_, err = p.s.Act(p.ctx, dept, list[0].ID, list[0].Version, Step{Action: "object", Note: demoObject})
				return err
			})
		}
		if !approve {
			return nil
		}
		closes, err := time.ParseInLocation(time.DateOnly, n.Closes, calendar.Shanghai)
		if err != nil {
			return err
		}
		approve := closes.AddDate(0, 0, 1)
		for i := 0; i < 15 && !p.cal.IsWorkday(approve.Add(12*time.Hour)); i++ {
			approve = approve.AddDate(0, 0, 1)
		}
		approve = approve.Add(10 * time.Hour)
		p.add(approve, func() error {
			if _, err := p.s.ApproveNotice(p.ctx, dept, n.ID); err != nil {
				return fmt.Errorf("approve notice of %s: %w", b.Title, err)
			}
			p.add(p.cal.AddDays(approve, 2).Add(-time.Hour), func() error {
				_, err := p.s.PayAll(p.ctx, dept, b.ID)
				return err
			})
			return nil
		})
		return nil
	})
}

// claims plays the weeks after publication.
func (p *demoPlay) claims() error {
	order := []string{}
	for _, pol := range p.specs() {
		for _, bs := range pol.benefits {
			order = append(order, bs.key)
			b, ok := p.benefits[bs.key]
			if !ok || b.Mode != policy.Apply {
				continue
			}
			pool, err := p.pool(b)
			if err != nil {
				return err
			}
			for i, fate := range bs.fates {
				who := int64(0)
				if i == 0 && bs.showcase {
					who = p.showcase
				}
				p.planApply(b, &pool, fate, i%3, who)
			}
		}
	}
	// 免申即享: 稳岗返还 confirmed, noticed, approved and paid; more confirmed since.
	auto := map[string][][2]int64{}
	for _, key := range order {
		if b, ok := p.benefits[key]; ok && b.Mode == policy.Auto {
			rows, err := p.matched(b)
			if err != nil {
				return err
			}
			auto[key] = rows
		}
	}
	take := func(key string, n int) [][2]int64 {
		rows := auto[key]
		n = min(n, len(rows))
		auto[key] = rows[n:]
		return rows[:n]
	}
	if b, ok := p.benefits["job_refund"]; ok {
		p.planConfirm(b, take("job_refund", 13), 30, 24, 1)
		p.planNotice(b, p.day(22, 15, 30), false)
		p.planConfirm(b, take("job_refund", 4), 6, 2, 0)
	}
	if b, ok := p.benefits["ss_relief"]; ok {
		p.planConfirm(b, take("ss_relief", 10), 9, 5, 0)
		p.planNotice(b, p.day(3, 16, 0), true)
	}
	if b, ok := p.benefits["ss_half"]; ok {
		p.planConfirm(b, take("ss_half", 2), 7, 6, 0)
	}
	if b, ok := p.benefits["rent"]; ok {
		p.planConfirm(b, take("rent", 5), 20, 15, 1)
	}
	if b, ok := p.benefits["vat"]; ok {
		// confirmed, noticed, the notice over: the tax bureau's to approve
		p.planConfirm(b, take("vat", 4), 14, 11, 1)
		p.planNoticeThen(b, p.day(10, 10, 0), false, false)
	}
	if err := p.planRequests(); err != nil {
		return err
	}
	// The showcase enterprise opens its check-up: what it was told is read.
	p.add(p.day(1, 17, 5), func() error {
		a, err := p.onBehalf(p.showcase)
		if err != nil {
			return err
		}
		_, err = p.s.CheckUp(p.ctx, a, p.showcase)
		return err
	})
	for p.queue.Len() > 0 {
		e := heap.Pop(&p.queue).(demoEvent)
		p.set(e.at)
		if err := e.do(); err != nil {
			return err
		}
	}
	return nil
}

// planRequests plans the enterprises' requests for resources: the
// showcase enterprise's, and those of enterprises that reported a
// bottleneck, made by their grid workers; the science bureau answers the
// older ones.
func (p *demoPlay) planRequests() error {
	var who []int64
	for id := range p.needs {
		if !p.banned[id] {
			who = append(who, id)
		}
	}
	slices.Sort(who)
	p.r.Shuffle(len(who), func(i, j int) { who[i], who[j] = who[j], who[i] })
	who = append([]int64{p.showcase}, who[:min(5, len(who))]...)
	days := []int{20, 16, 12, 8, 5, 2}
	answers := []string{"已联系%s%s，将于下周安排工程师上门对接，请保持电话畅通。", "%s已受理，%s将在 3 个工作日内与企业联系，确定检测方案和费用。",
		"已转%s，由%s牵头组织专家上门诊断。"}
	for i, id := range who {
		if i >= len(days) {
			break
		}
		at := p.day(days[i], 10, 15+p.r.IntN(40))
		answer := i < 4
		p.add(at, func() error {
			a, err := p.onBehalf(id)
			if err != nil {
				return err
			}
			m, err := p.s.Recommend(p.ctx, a, id, 3)
			if err != nil {
				return err
			}
			var res policy.Resource
			if len(m) > 0 {
				res = m[p.r.IntN(len(m))].Resource // one of the three that fit best
			} else if list, _, err := p.s.Resources(p.ctx, ResourceQuery{Page: store.Page{Size: 1}}); err != nil || len(list) == 0 {
				return err
			} else {
				res = list[0]
			}
			body := "希望预约使用" + res.Name + "，请帮助对接服务方，说明收费标准和排期。"
			if need := p.needs[id]; need != "" {
				body = "我司在“" + need + "”方面遇到技术难题，希望对接" + res.Name + "，请安排专家上门诊断。"
			}
			q, err := p.s.RequestResource(p.ctx, a, res.ID, id, body)
			if err != nil {
				return err
			}
			p.rep.Requests++
			if answer {
				p.add(p.cal.AddDays(p.last, 2), func() error {
					sci, err := p.as("dept_sci")
					if err != nil {
						return err
					}
					text := fmt.Sprintf(answers[i%len(answers)], res.Provider, res.Contact)
					if _, err := p.s.Answer(p.ctx, sci, q.ID, q.Version, text); err != nil {
						return err
					}
					p.rep.Answered++
					return nil
				})
			}
			return nil
		})
	}
	return nil
}

// figures moves the clock to now, marks every enterprise evaluated, and
// counts the claims.
func (p *demoPlay) figures() error {
	p.last = p.now.Add(-time.Second)
	p.set(p.now)
	if err := p.s.CatchUp(p.ctx); err != nil {
		return err
	}
	rows, err := p.s.engine.Reader().Query(p.ctx, "SELECT state, COUNT(*) FROM policy_claims GROUP BY state")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return err
		}
		p.rep.Claims[state] = n
	}
	return rows.Err()
}

// PolicyWords are the Chinese texts the demo writes into records —
// policies, benefits, conditions' labels and values, platforms, groups,
// materials, resources, requests and answers, blacklists, the departments'
// notes, sign-offs, banks, the reviewers it makes — in pieces where the
// demo puts a number, a year or a street's name into them: what a page in
// English shows as the records' own words (the browser tour's user data).
func PolicyWords() []string {
	const cut = "\x00" // stands for what the demo fills in: a year, a street, a material
	p := &demoPlay{lastYear: cut, local: time.Now().In(calendar.Shanghai),
		streets: []place.Region{{Code: "street-1", Name: cut}, {Code: "street-2", Name: cut}}}
	var w []string
	add := func(texts ...string) {
		for _, s := range texts {
			// two streets' names are one cut, not a "、" of their own
			s = strings.ReplaceAll(s, cut+"、"+cut, cut)
			for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == 0 }) {
				for _, part := range strings.Split(part, "%d") {
					for _, part := range strings.Split(part, "%s") {
						if part = strings.TrimSpace(part); part != "" {
							w = append(w, part)
						}
					}
				}
			}
		}
	}
	for _, spec := range p.specs() {
		add(spec.p.Title, spec.p.Issuer, spec.p.Family, spec.p.Text, spec.docNo)
		for _, bs := range spec.benefits {
			b := bs.b
			add(b.Title, b.Summary, b.Platform, b.StackGroup)
			for _, m := range b.Materials {
				add(m, "见附件："+m+".pdf", "已重新上传："+m+"（加盖公章扫描件）.pdf")
			}
			for _, c := range b.Conditions {
				add(c.Label, c.CEL)
				if c.Op == policy.Has {
					add(c.Value)
				}
			}
		}
	}
	for _, list := range demoBottlenecks {
		add(list...)
	}
	for _, res := range p.demoResources() {
		add(res.Name, res.Provider, res.Summary, res.Contact, res.Terms)
		add(res.Tags...)
		// the enterprises' requests for it and the science bureau's answers (planRequests)
		add("希望预约使用"+res.Name+"，请帮助对接服务方，说明收费标准和排期。", "”方面遇到技术难题，希望对接"+res.Name+"，请安排专家上门诊断。")
		add(fmt.Sprintf("已联系%s%s，将于下周安排工程师上门对接，请保持电话畅通。", res.Provider, res.Contact),
			fmt.Sprintf("%s已受理，%s将在 3 个工作日内与企业联系，确定检测方案和费用。", res.Provider, res.Contact),
			fmt.Sprintf("已转%s，由%s牵头组织专家上门诊断。", res.Provider, res.Contact))
	}
	add("我司在“")
	// The blacklists' references and reasons (blacklist).
	add("甬人社监〔"+cut+"〕拖欠工资失信名单", "重大税收违法失信主体名单", "严重违法失信名单",
		"拖欠工资被列入失信名单", "拖欠农民工工资被列入拖欠农民工工资失信联合惩戒对象名单",
		"虚开增值税专用发票，被确定为重大税收违法失信主体", "提交虚假材料取得登记，被列入严重违法失信名单")
	// The departments' notes on the claims, the enterprises', the sign-offs.
	add(demoBanks...)
	add(demoMore...)
	add(demoRefuse...)
	add(demoClawBack, demoObject, "企业已通过其他渠道享受同类政策", "浙江省惠企政策直达平台审核通过，按实际展位费的 50% 核定",
		"已核对样本：符合 %d 家、可能符合 %d 家，抽查结论与规则一致")
	for _, code := range demoKeepers {
		add(demoReviewerNames[code])
	}
	slices.Sort(w)
	return slices.Compact(w)
}
