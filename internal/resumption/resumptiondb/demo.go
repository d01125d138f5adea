package resumptiondb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/form/formdb"
	"qifu/internal/place"
	"qifu/internal/resumption"
	"qifu/internal/store"
)

// The demo district's checklists, work resumption and status reports
// (清单 · 复工复产 · 运行监测), played through the module's own use cases on a
// store whose clock the caller moves (setNow), as the demo's accounts.
//
// First the crisis of 2020, the clock set back to then. On Monday 3
// February the district's command (指挥部, the district leader) sends the
// prevention checklist (防疫清单, 2 groups of 16 items) with the restart
// procedure to the district's industrial enterprises: the street approves
// one under 100 employees, the command a larger one. Nearly every
// enterprise fills the checklist — its own account where it has one, its
// grid worker for it otherwise — and applies; the street checks on site
// and decides, a few are refused with the reason and apply again, two are
// refused for good, one withdraws. Grid workers visit those whose checklist
// says an item is not in place and agree improvements with them; the
// health bureau, given the power to inspect epidemic prevention, inspects
// large plants and orders rectifications; most are closed after a
// re-check, a few are left overdue and escalated. From 18 February the
// command takes filings with a pledge (备案) instead. The restart order of
// Monday 10 February starts the daily reports (复工复产日报) over the same
// list: each day a share of the enterprises report, "no change" often, and
// on the eighteenth day (27 February) the rates the store counts are the
// seeds' Beilun figures — 复工率 95.97 %, 产能恢复率 89.15 %, nine in ten of
// the workers back. The mould park's lead firm (灵峰社区) reports being held
// up by three suppliers in other grids, whose grid workers get them
// restarted within days, and the park's 复产率 passes 96 % within half a
// month. In March the power company's file of February 2019 and 2020 flags
// the reports the electricity disagrees with; grid workers check most of
// them; the campaigns close. Their health counts were to be kept until the
// end of June 2020: they are erased.
//
// Then today's monthly operations monitoring (运行监测月报) over the same
// list, started on the first working day of last month: last month's
// reports from nearly every enterprise, this month's from most so far, a
// few that never report, a supplier's hold-up resolved and one still open,
// and the power company's file of last month flagging three reports, one
// checked and two open — what the exceptions page shows first.

// DemoReport is what the demo of resumption played.
type DemoReport struct {
	// The crisis of 2020: the enterprises on its lists, the checklists
	// filled, the restart applications and their outcomes.
	Members, Filled                                                    int
	Applied, Approved, ByCommand, Refused, Reapplied, Withdrawn, Filed int
	// The on-site checks: advice (improvements agreed) and inspections
	// (rectifications ordered), closed after a re-check or left overdue.
	Checks, Improvements, Inspections, Rectifications, Closed, Overdue, Escalated int
	// The daily reports and the suppliers held up.
	Days, Reports, NoChange, Blocks, Resolved int
	// The rates on the last day, and the mould park's within half a month.
	EndDay, Park, ParkDay string
	End, ParkRates        resumption.Rates
	// The power company's file and the reports it flagged.
	PowerRows, Flagged, FlagsChecked int
	// The reports whose health counts were erased after their retention day.
	HealthErased int64
	// Today's monthly monitoring: its reports, the rates, the exceptions.
	Current                                        resumption.Rates
	CurrentReports, Missing, OpenBlocks, OpenFlags int
}

func (r DemoReport) String() string {
	pc := resumption.Percent
	return fmt.Sprintf("2020: %d enterprises, %d checklists, %d restart applications (%d approved, %d of them by the command; %d refused, %d re-applied; %d withdrawn), %d filed with a pledge, "+
		"%d advisory checks (%d improvements), %d inspections (%d rectifications), %d closed, %d overdue (%d escalated); "+
		"%d days of %d reports (%d no change), %d suppliers holding up (%d resolved); on %s resumption %s, production %s, capacity %s, return %s; "+
		"%s production %s on %s; power %d rows, %d flagged (%d checked); %d reports' health counts erased; "+
		"now: %d reports, resumption %s, capacity %s, %d not reported this period, %d open blocks, %d open flags",
		r.Members, r.Filled, r.Applied, r.Approved, r.ByCommand, r.Refused, r.Reapplied, r.Withdrawn, r.Filed,
		r.Checks, r.Improvements, r.Inspections, r.Rectifications, r.Closed, r.Overdue, r.Escalated,
		r.Days, r.Reports, r.NoChange, r.Blocks, r.Resolved, r.EndDay, pc(r.End.Resumption()), pc(r.End.Production()),
		pc(r.End.Capacity()), pc(r.End.Return()), r.Park, pc(r.ParkRates.Production()), r.ParkDay, r.PowerRows, r.Flagged,
		r.FlagsChecked, r.HealthErased, r.CurrentReports, pc(r.Current.Resumption()), pc(r.Current.Capacity()), r.Missing,
		r.OpenBlocks, r.OpenFlags)
}

// The seeds' figures the crisis ends on, eighteen days after the restart
// order: Beilun's 复工率 and 产能恢复率, and nine in ten workers back (返岗率).
const (
	demoResumption = 0.9597
	demoCapacity   = 0.8915
	demoReturn     = 0.90
	demoDays       = 18
	demoThreshold  = 100 // employees from which the command approves a restart
)

// The crisis's calendar, in days from the checklist's first day.
const (
	demoOrder   = 7  // the restart order (Monday 10 February 2020): the daily reports begin
	demoFiling  = 15 // the command takes filings with a pledge (18 February)
	demoEscal   = 25 // the scheduler's escalation of what is overdue (28 February)
	demoPower   = 30 // the power company's file of February (4 March)
	demoClosing = 32 // the campaigns close (6 March)
)

// demoCrisis is the first day of the crisis's checklist, a Monday: the
// first working day after the Spring Festival holiday as extended in 2020
// (the shipped calendar starts in 2025; its weekly pattern agrees).
var demoCrisis = time.Date(2020, 2, 3, 0, 0, 0, 0, calendar.Shanghai)

// demoRetain is the day the crisis's health counts were kept until.
const demoRetain = "2020-06-30"

// The words of the demo.
var (
	demoTitles = []string{"2020年企业复工防疫清单及复工申报", "复工复产日报（2020年2月）", "工业企业运行情况监测（月报）"}
	demoPledge = "本企业承诺严格落实疫情防控主体责任，按防疫清单落实各项措施，如实报告员工健康情况，发现异常立即报告属地社区。"
	demoFixed  = "已按现场核查意见整改到位。"
	demoFiled  = "本企业已落实防疫清单各项措施，承诺如实报告、严格防控，现予备案复工。"
	demoRefuse = []string{"现场核查：临时隔离观察室未设置，请整改后重新申报", "现场核查：防护物资储备不足七天，请补足后重新申报",
		"现场核查：员工宿舍每间居住人数超过规定，请调整后重新申报", "现场核查：新返甬人员未按三类登记管理，请整改后重新申报"}
	demoRefuseForGood = []string{"湖北等重点地区返甬员工占比高、隔离期未满，暂缓复工", "防控方案和应急预案未落实，暂不具备复工条件"}
	demoWithdraw      = "订单取消，暂不复工，撤回申报"
	// What a grid worker agrees on advice, and what the re-check found.
	demoAdvice = map[string][2]string{
		"isolation_room": {"尚未设置临时隔离观察室，建议利用闲置办公室改设，配备体温计和口罩", "复查：临时隔离观察室已设置"},
		"masks":          {"口罩储备仅够三天，建议通过社区协调补足七天用量", "复查：口罩已补足七天用量"},
		"arrivals":       {"新返甬人员登记未按三类分开，建议按居家隔离、新增返甬、计划返甬分类登记", "复查：已分类登记并每日更新"},
		"plan":           {"防控方案未明确责任人，建议补充并在厂区张贴", "复查：防控方案已明确责任人并张贴"},
		"temperature":    {"厂门口体温检测未登记，建议设立登记台账", "复查：体温检测登记台账已建立"},
	}
	demoAdviceKeys = []string{"isolation_room", "masks", "arrivals", "plan", "temperature"}
	// What the health bureau orders rectified.
	demoOrders = map[string]string{
		"dorm_density":    "员工宿舍每间居住8人，超过规定人数，责令调整",
		"canteen_batches": "食堂未分批就餐，存在聚集风险，责令落实分批分桌",
		"isolation_room":  "未设置临时隔离观察室，责令限期设置",
		"arrivals":        "新返甬人员未落实分类管理和健康监测，责令整改",
		"temperature":     "进厂体温检测登记缺失，责令整改",
	}
	demoOrderKeys = []string{"dorm_density", "canteen_batches", "isolation_room", "arrivals", "temperature"}
	demoPowerLaw  = "《中华人民共和国传染病防治法》第五十三条"
	demoBasis     = "《中华人民共和国传染病防治法》第五十三条；《浙江省企业复工疫情防控指南》"
	demoRectified = "复查：已整改到位"
	demoStalled   = []string{"外地员工尚未返甬，等待隔离期满", "口罩、消毒液等防护物资短缺", "复工申报正在办理",
		"上游供应商未复工，原材料断供", "外贸订单取消，暂无复工计划"}
	demoOrdersText = []string{"订单饱满，排产至4月", "外贸订单部分延期交货", "订单较去年同期下降约两成", "内销订单稳定", "新增防疫物资配套订单"}
	demoLeadText   = "配套供应商尚未复工，压铸件、模具配件断供，产能只能恢复三成"
	demoUnblocked  = "已上门协调：该企业复工申报已获批，员工陆续返岗，今日恢复供货"
	demoFlagAnswer = map[resumption.Mismatch][]string{
		resumption.ResumedIdle: {"企业屋顶光伏自发自用，电网用电量偏低，现场核实已复工生产", "企业另有一个电表户号未列入文件，合计用电正常"},
		resumption.StoppedBusy: {"现场核实：冷库、空压机等设备持续运行，企业确未复工", "现场核实：仅安排值守人员试机，尚未复工"},
	}
	// Today's monitoring.
	demoNowOrders  = []string{"订单平稳", "四季度订单饱满", "外贸订单略有下降", "新接汽车零部件订单"}
	demoNowStopped = []string{"设备检修，预计下月恢复生产", "订单不足，阶段性停产"}
	demoNowLeadA   = "铸件供应商设备检修，交货推迟"
	demoNowSolved  = "已联系供应商，设备检修已完成，本周恢复供货"
	demoNowLeadB   = "原材料供应商因环保整改停产，影响交货"
)

// ResumptionWords are the Chinese texts the demo writes into records: what
// a page in English shows as the records' own words.
func ResumptionWords() []string {
	w := slices.Clone(demoTitles)
	w = append(w, demoPledge, demoFixed, demoFiled, demoWithdraw, demoPowerLaw, demoBasis, demoRectified, demoLeadText, demoUnblocked,
		demoNowLeadA, demoNowSolved, demoNowLeadB)
	w = append(w, demoRefuse...)
	w = append(w, demoRefuseForGood...)
	for _, k := range demoAdviceKeys {
		w = append(w, demoAdvice[k][0], demoAdvice[k][1])
	}
	for _, k := range demoOrderKeys {
		w = append(w, demoOrders[k])
	}
	w = append(w, demoStalled...)
	w = append(w, demoOrdersText...)
	for _, m := range []resumption.Mismatch{resumption.ResumedIdle, resumption.StoppedBusy} {
		w = append(w, demoFlagAnswer[m]...)
	}
	w = append(w, demoNowOrders...)
	return append(w, demoNowStopped...)
}

// Demo plays the module's demo up to now through its use cases, moving the
// store's clock with setNow (and leaving it at now); actor returns the
// actor of a demo account by its username. The dataset gives the accounts:
// the district leader is the command, the street leaders check and decide,
// the grid workers fill and report for the enterprises without an account
// of their own (a community's staff where a grid has no worker), the
// health bureau (or market supervision) inspects, an administrator grants
// the power to inspect. campaigns closes the crisis's campaigns. A small
// demo (the tests' servers, which start with a short history) plays the
// same over the street of the alliance's park instead of the whole
// district: about a seventh of the records, in a seventh of the time.
func Demo(ctx context.Context, s *Store, forms *formdb.Store, campaigns *audiencedb.Store, ds demo.Dataset,
	actor func(ctx context.Context, username string) (access.Actor, error), now time.Time, setNow func(time.Time), small bool) (DemoReport, error) {
	defer setNow(now)
	var rep DemoReport
	p := &resumePlay{ctx: ctx, s: s, forms: forms, camps: campaigns, ds: ds, actorOf: actor, actors: map[string]access.Actor{},
		r: rand.New(rand.NewPCG(20200210, 0x726573756d65)), now: now, setNow: setNow, rep: &rep, small: small}
	for _, step := range []struct {
		what string
		do   func() error
	}{{"accounts", p.load}, {"crisis", p.crisis}, {"monthly monitoring", p.monthly}, {"health counts", p.purge}} {
		if err := step.do(); err != nil {
			at := p.last.In(calendar.Shanghai).Format(time.DateTime)
			if fe := fault.As(err); fe != nil && len(fe.Fields) > 0 {
				return rep, fmt.Errorf("demo resumption %s at %s: %w %v", step.what, at, err, fe.Fields)
			}
			return rep, fmt.Errorf("demo resumption %s at %s: %w", step.what, at, err)
		}
	}
	return rep, nil
}

// resumePlay is the state of one play.
type resumePlay struct {
	ctx     context.Context
	small   bool // over the park's street only
	s       *Store
	forms   *formdb.Store
	camps   *audiencedb.Store
	ds      demo.Dataset
	actorOf func(ctx context.Context, username string) (access.Actor, error)
	actors  map[string]access.Actor // every account the play uses, read before it starts
	r       *rand.Rand
	cal     *calendar.Calendar
	now     time.Time
	last    time.Time
	setNow  func(time.Time)
	rep     *DemoReport

	district string
	command  string            // the district leader, the command (指挥部)
	admin    string            // grants the power to inspect
	health   string            // staff of the department that inspects epidemic prevention
	grid     map[string]string // grid → its worker
	commun   map[string]string // community → its staff
	street   map[string]string // street → its leader
	own      map[string]string // credit code → the enterprise's own account
	ents     map[int64]enterprise.Enterprise
	park     place.Region // the park of the mould and auto-parts alliance (灵峰社区)
	audience audience.Definition

	// The crisis's campaigns, and what today's monitoring keeps of it.
	checklist, daily int64
	since            map[int64]string // enterprise → the day it resumed in 2020
	lead             int64
	suppliers        []int64
}

// as is the actor of a demo account read at the start.
func (p *resumePlay) as(username string) (access.Actor, error) {
	a, ok := p.actors[username]
	if !ok {
		return a, fmt.Errorf("no demo account %q", username)
	}
	return a, nil
}

// set moves the clock to t, never back past what was played, nor past now.
func (p *resumePlay) set(t time.Time) {
	if !t.After(p.last) {
		t = p.last.Add(time.Second)
	}
	if t.After(p.now) {
		t = p.now
	}
	p.last = t
	p.setNow(t)
}

// job is one use case of the play.
type job struct {
	what string
	do   func() error
}

// run plays jobs side by side at t — SQLite's writer commits them in
// groups, PostgreSQL's connections take them at once — and returns the
// first failure in the jobs' order. The jobs of one batch are independent:
// each takes a step of its own enterprise's records.
func (p *resumePlay) run(t time.Time, jobs []job) error {
	if len(jobs) == 0 {
		return nil
	}
	p.set(t)
	errs := make([]error, len(jobs))
	var next atomic.Int64
	var failed atomic.Bool
	// SQLite's writer commits up to 64 waiting transactions with one sync;
	// PostgreSQL's connections run side by side, a few enough.
	workers := 32
	if p.s.engine.Dialect() == "postgres" {
		workers = 8
	}
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Go(func() {
			for !failed.Load() && p.ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				if err := jobs[i].do(); err != nil {
					errs[i] = fmt.Errorf("%s: %w", jobs[i].what, err)
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return p.ctx.Err()
}

// timeline holds the jobs of a play by the time they are played.
type timeline map[int64][]job

func (tl timeline) add(at time.Time, what string, do func() error) {
	tl[at.UnixMilli()] = append(tl[at.UnixMilli()], job{what, do})
}

// play plays a timeline in time order, leaving out what would come after now.
func (p *resumePlay) play(tl timeline) error {
	keys := make([]int64, 0, len(tl))
	for k := range tl {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		at := time.UnixMilli(k)
		if at.After(p.now) {
			break
		}
		if err := p.run(at, tl[k]); err != nil {
			return err
		}
	}
	return nil
}

// load reads the accounts and the district's enterprises.
func (p *resumePlay) load() error {
	cal, err := p.s.engine.Calendar(p.ctx)
	if err != nil {
		return err
	}
	p.cal = cal
	p.grid, p.commun, p.street, p.own = map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}
	depts := map[string]string{}
	first := func(m map[string]string, key, username string, preferred bool) {
		if _, ok := m[key]; !ok || preferred {
			m[key] = username
		}
	}
	for _, u := range p.ds.Users {
		switch u.Role {
		case access.RoleDistrictLeader:
			if p.command == "" || u.Username == "district_leader" {
				p.command, p.district = u.Username, u.RegionCode
			}
		case access.RoleStreetLeader:
			first(p.street, u.RegionCode, u.Username, u.Username == "street_leader")
		case access.RoleCommunityStaff:
			first(p.commun, u.RegionCode, u.Username, u.Username == "community")
		case access.RoleGridWorker:
			for _, g := range u.GridCodes {
				first(p.grid, g, u.Username, false)
			}
		case access.RoleEnterprise:
			if u.EnterpriseCode != "" {
				p.own[u.EnterpriseCode] = u.Username
			}
		case access.RoleAdmin:
			if p.admin == "" {
				p.admin = u.Username
			}
		case access.RoleDepartment:
			if u.OfficeCode == "" {
				first(depts, u.DepartmentCode, u.Username, u.Username == "dept_"+u.DepartmentCode)
			}
		}
	}
	for _, code := range []string{"health", "market"} {
		if p.health == "" {
			p.health = depts[code]
		}
	}
	if p.command == "" || p.admin == "" || p.health == "" {
		return fmt.Errorf("the dataset has no district leader, administrator or health department (%q, %q, %q)", p.command, p.admin, p.health)
	}
	var names []string
	for _, u := range p.ds.Users {
		switch u.Role {
		case access.RoleDistrictLeader, access.RoleStreetLeader, access.RoleCommunityStaff, access.RoleGridWorker, access.RoleEnterprise:
			names = append(names, u.Username)
		}
	}
	for _, name := range append(names, p.admin, p.health) {
		if _, ok := p.actors[name]; ok {
			continue
		}
		a, err := p.actorOf(p.ctx, name)
		if err != nil {
			return err
		}
		p.actors[name] = a
	}
	p.ents = map[int64]enterprise.Enterprise{}
	if err := p.s.engine.ExportEnterprises(p.ctx, access.System("demo"), store.EnterpriseQuery{}, func(e enterprise.Enterprise) error {
		if e.DistrictCode == p.district {
			p.ents[e.ID] = e
		}
		return nil
	}); err != nil {
		return err
	}
	// The park of the mould and auto-parts alliance: 灵峰社区 where the
	// district has it, else the community with the most of those trades.
	count := map[string]int{}
	for _, e := range p.ents {
		if alliance(e.Industry) {
			count[e.CommunityCode]++
		}
	}
	for _, rg := range p.ds.Regions {
		if rg.Level != place.Community || !strings.HasPrefix(rg.Code, p.district) || count[rg.Code] == 0 || p.park.Name == "灵峰社区" {
			continue
		}
		if rg.Name == "灵峰社区" || count[rg.Code] > count[p.park.Code] {
			p.park = rg
		}
	}
	if p.park.Code == "" {
		return fmt.Errorf("the district %s has no mould or auto-parts maker", p.district)
	}
	p.audience = audience.Definition{Regions: []string{p.district}, Industries: []string{"C"}}
	if p.small {
		p.audience.Regions = []string{p.park.ParentCode}
		for id, e := range p.ents {
			if e.StreetCode != p.park.ParentCode {
				delete(p.ents, id)
			}
		}
	}
	return nil
}

// alliance reports whether an industry is the park alliance's: moulds and
// special equipment (35), auto parts (36).
func alliance(industry string) bool { return industry == "35" || industry == "36" }

// onBehalf is who fills and reports for an enterprise: its own account,
// else its grid worker, else its community's staff.
func (p *resumePlay) onBehalf(e enterprise.Enterprise) string {
	if u, ok := p.own[e.CreditCode]; ok {
		return u
	}
	return p.checker(e)
}

// checker is who visits an enterprise: its grid worker, else its community's staff.
func (p *resumePlay) checker(e enterprise.Enterprise) string {
	if u, ok := p.grid[e.GridCode]; ok {
		return u
	}
	return p.commun[e.CommunityCode]
}

// workday is the first working day on or after d's date.
func (p *resumePlay) workday(d time.Time) time.Time {
	d = d.In(calendar.Shanghai)
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, calendar.Shanghai)
	for i := 0; i < 30 && !p.cal.IsWorkday(d.Add(12*time.Hour)); i++ {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// members reads a campaign's list.
func (p *resumePlay) members(id int64) ([]enterprise.Enterprise, error) {
	ids, err := store.Collect(p.ctx, p.s.engine.Reader(), store.Int64,
		"SELECT enterprise_id FROM campaign_members WHERE campaign_id = ? AND removed_at = 0 ORDER BY enterprise_id", id)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	out := make([]enterprise.Enterprise, 0, len(ids))
	for _, id := range ids {
		e, ok := p.ents[id]
		if !ok {
			return nil, fmt.Errorf("member %d is not of the district", id)
		}
		if p.onBehalf(e) == "" || p.street[e.StreetCode] == "" {
			return nil, fmt.Errorf("nobody reports for %s (grid %s) or decides for its street", e.Name, e.GridCode)
		}
		out = append(out, e)
	}
	return out, nil
}
