package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/appeal"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/visit"
)

// The demo's visits (走访) of the last four months in the showcase
// community, played through the visits module's own use cases with the
// demo's accounts as actors, on a store whose clock the caller moves: its
// grid workers visit the enterprises of their grids, the showcase cadre his
// enterprises, the showcase street's liaison cadre the street's key
// enterprises, some with a department's people along (联合走访). Most
// problems are solved on the spot; a few are raised as appeals, which the
// community and the departments then take through the appeal workflow;
// three common problems (共性问题) are shared by several enterprises, and
// the street leader answers the first. Most visits are confirmed and rated
// by their enterprise — one unsatisfied, one saying nobody came — and the
// last days' are still waiting. Some enterprises were last visited more than
// 90 days ago, some never, and one was visited by too many units lately.
//
// The seeds' proportions (18,313 cadres, 119,793 enterprises served, 47,092
// problems collected, 96.3 % solved) are scaled to one community: each
// enterprise visited one to three times, some 0.4 problems a visit.

// VisitModules are the modules the demo's visits are played through.
type VisitModules struct {
	// Accounts are the demo's accounts as the store holds them (store.Store).
	Accounts interface {
		UserByUsername(ctx context.Context, username string) (account.User, error)
		Actor(ctx context.Context, userID int64) (access.Actor, error)
	}
	// Enterprises finds an enterprise by its credit code, as its QR code
	// does, in the visitor's reach (dossierdb.Store).
	Enterprises interface {
		ByCreditCode(ctx context.Context, actor access.Actor, code string) (int64, error)
	}
	// Visits are the visits' use cases (visitdb.Store).
	Visits interface {
		Record(ctx context.Context, actor access.Actor, v visit.Visit, key string) (visit.Visit, error)
		Confirm(ctx context.Context, actor access.Actor, id int64, fb visit.Feedback, note string, version int64) (visit.Visit, error)
		AnswerTopic(ctx context.Context, actor access.Actor, id int64, answer string, version int64) (visit.Topic, error)
	}
	// Appeals take the problems raised as appeals through the workflow (appealdb.Store).
	Appeals interface {
		Act(ctx context.Context, actor access.Actor, id int64, c appeal.Command) (appeal.Appeal, error)
	}
}

// VisitReport is what the visits' demo played.
type VisitReport struct {
	Visits, Problems, Solved, Appeals, Common, Topics, Confirmed, Moves int
	// Skipped are the appeal moves the workflow refused (none, normally).
	Skipped int
}

// spotProblem is a problem solved on the spot, with what was done.
type spotProblem struct{ category, text, action string }

// spotProblems are the problems the demo's visitors solve on the spot.
var spotProblems = []spotProblem{
	{"labour.recruit", "近期招聘普工困难，希望了解招聘渠道", "当场推送区人力市场周末招聘会信息，并拉入园区用工对接群"},
	{"labour.social", "不清楚新员工参保登记怎么办理", "现场演示网上参保登记流程，企业已自行办好"},
	{"tax", "咨询小规模纳税人增值税减免政策", "现场讲解政策口径，并留下税务分局专管员电话"},
	{"policy.subsidy", "想申报技术改造补贴，不了解申报条件", "当场发放政策清单，讲解申报条件和时间节点"},
	{"policy.tech", "咨询科技型中小企业评价如何申报", "现场指导注册评价系统，材料清单已发给企业"},
	{"market", "营业执照地址变更需要准备哪些材料", "告知一次办流程和材料清单，企业可网上办理"},
	{"safety", "车间部分灭火器过期，需要更换", "联系社区微型消防站当场协助更换，并讲解自查要求"},
	{"safety", "厂区安全警示标识不齐全", "现场指出需补充的位置，企业当天整改完成"},
	{"environment", "危废暂存间台账记录不规范", "现场指导按规范填写台账，并提供台账模板"},
	{"logistics", "货车临时停靠被贴罚单，咨询停车点", "告知园区货车临时停车点位置，发放停车指引"},
	{"legal", "员工手册中的加班条款是否合规", "对接社区法律顾问电话解答，已给出修改建议"},
	{"utilities", "厂区门口路灯损坏，夜班员工出行不便", "当场报修社区物业，当天已修复"},
	{"financing", "想了解政府性融资担保产品", "当场介绍担保产品，并给出合作银行客户经理联系方式"},
	{"trade", "咨询出口信用保险保费补贴政策", "讲解补贴比例和申报时间，发放申报指南"},
	{"other", "希望及时获取最新的惠企政策", "当场送上惠企政策汇编，并拉入政策推送群"},
}

// appealProblems are the problems raised as appeals: each at most 30
// characters, so that it is the appeal's title whole.
var appealProblems = []struct{ category, text string }{
	{"labour.recruit", "订单增加，急需招聘熟练焊工 8 名"},
	{"financing", "原材料涨价，需要流动资金贷款约 300 万元"},
	{"land", "计划扩建仓库，咨询用地和规划审批手续"},
	{"policy.subsidy", "去年申报的技改补贴至今未到账"},
	{"trade", "出口退税迟迟未到账，影响资金周转"},
	{"environment", "新增两台注塑机，是否需要重新办理环评"},
	{"logistics", "货车需进入限行区域送货，申请通行证"},
}

// commonTopic is a common problem of the demo: the days (before now) over
// which visits put problems under it, how many enterprises, and the
// street leader's answer (days before now) if it was answered.
type commonTopic struct {
	category, title, text string
	from, to, shared      int
	answer                string
	answered              int
}

var commonTopics = []commonTopic{
	{category: "logistics", title: "园区夜班公交停运，员工通勤难", text: "夜班公交停运后员工下班无车可乘，招工受影响",
		from: 110, to: 40, shared: 6, answer: "已协调公交公司自下月起恢复园区夜班线路，末班车延至 23:30。", answered: 33},
	{category: "utilities", title: "工业区主干道路面破损，货车通行困难", text: "厂门口道路坑洼严重，大货车进出困难", from: 75, to: 3, shared: 4},
	{category: "land", title: "园区员工宿舍不足，外地员工租房难", text: "外地员工租房难，希望园区统筹建设员工宿舍", from: 35, to: 2, shared: 3},
}

// The other words of the demo's visits.
var (
	visitNotes        = []string{"企业负责人在场，介绍了近期订单情况。", "顺带宣传了安全生产月活动。", "企业反映整体经营平稳。"}
	unsatisfiedNote   = "走访时间很短，反映的问题没有下文。"
	notVisitedNote    = "当天没有人到企业来过。"
	dispatchNote      = "请按时限办理并答复企业。" // the appeal history's words
	replyNote         = "经办理，问题已解决，详见答复。"
	departmentPeople  = []string{"王海涛", "陈丽娜", "李振华", "张晓燕", "徐立军", "孙佳怡"}
	departmentUnitsAt = []string{"区人力社保局", "区商务局"} // besides the street's tax branch and market station
)

// VisitWords are the Chinese words the demo's visits put in the store's
// records: an English page shows them as they are.
func VisitWords() []string {
	var w []string
	for _, p := range spotProblems {
		w = append(w, p.text, p.action)
	}
	for _, p := range appealProblems {
		w = append(w, p.text)
	}
	for _, t := range commonTopics {
		w = append(w, t.title, t.text, t.answer)
	}
	w = append(w, visitNotes...)
	w = append(w, departmentPeople...)
	w = append(w, departmentUnitsAt...)
	return append(w, unsatisfiedNote, notVisitedNote, dispatchNote, replyNote)
}

// plannedVisit is one visit of the plan; Visitors[0] is the recorder, whose
// user ID the play fills in.
type plannedVisit struct {
	at       time.Time
	day      int // days before now
	recorder string
	e        enterprise.Enterprise
	v        visit.Visit
	topics   []int // per problem: the index of its common topic, or -1
	feedback visit.Feedback
	note     string
}

// visitEvent is one step of the play, at a time.
type visitEvent struct {
	at      time.Time
	what    int // record, confirm, act or answer
	visit   int // the planned visit's index
	problem int // act: the problem raised
	actor   string
	command appeal.Command
	lead    string // act, dispatch: the lead department's code
	topic   int    // answer
}

const (
	evRecord = iota
	evConfirm
	evAct
	evAnswer
)

type visitPlanner struct {
	r      *rand.Rand
	d      Dataset
	now    time.Time // in the district's zone
	visits []plannedVisit
	events []visitEvent

	user    map[string]User   // username → the account
	grid    map[string]string // grid code → its worker's username
	ownUser map[string]string // credit code → the enterprise's account
	unit    map[string]string // username → the unit on the visit: a cadre's home unit, a grid worker's community
	deptAt  []string          // the department units that join visits
}

// planVisits plans the demo's visits up to now and the steps that follow
// them, in time order; steps after now are left out.
func planVisits(d Dataset, seed uint64, now time.Time) ([]plannedVisit, []visitEvent) {
	p := &visitPlanner{r: rand.New(rand.NewPCG(seed, 0x7669736974)), d: d, now: now.In(calendar.Shanghai),
		user: map[string]User{}, grid: map[string]string{}, ownUser: map[string]string{}, unit: map[string]string{}}
	names := map[string]string{}
	for _, r := range d.Regions {
		names[r.Code] = r.Name
	}
	for _, u := range d.Users {
		p.user[u.Username] = u
		for _, g := range u.GridCodes {
			p.grid[g] = u.Username
			p.unit[u.Username] = names[place.Above(g)[0]] // the grid's community
		}
		if u.Role == access.RoleEnterprise {
			p.ownUser[u.EnterpriseCode] = u.Username
		}
		if u.Role == access.RoleCadre {
			p.unit[u.Username] = u.HomeUnit
		}
	}
	street := p.user["street_leader"].RegionCode
	for _, o := range d.Offices {
		if o.RegionCode == street {
			p.deptAt = append(p.deptAt, o.Name)
		}
	}
	p.deptAt = append(p.deptAt, departmentUnitsAt...)
	p.plan()
	slices.SortStableFunc(p.visits, func(a, b plannedVisit) int { return a.at.Compare(b.at) })
	p.follow()
	slices.SortStableFunc(p.events, func(a, b visitEvent) int { return a.at.Compare(b.at) })
	if cut := slices.IndexFunc(p.events, func(e visitEvent) bool { return e.at.After(now) }); cut >= 0 {
		p.events = p.events[:cut]
	}
	return p.visits, p.events
}

func (p *visitPlanner) chance(pct int) bool { return p.r.IntN(100) < pct }

// at is a time of office hours on the working day days before now.
func (p *visitPlanner) at(days int) time.Time {
	d := p.now.AddDate(0, 0, -days)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 9+p.r.IntN(7), p.r.IntN(60), 0, 0, calendar.Shanghai)
}

// plan lays out the visits of each enterprise.
func (p *visitPlanner) plan() {
	community := p.user["community"].RegionCode
	showcase := p.user["enterprise"].EnterpriseCode
	cadre := p.user["cadre"]
	assigned := map[string]bool{}
	for _, c := range cadre.Assigned {
		assigned[c] = true
	}
	var mine []enterprise.Enterprise
	for _, e := range p.d.Enterprises {
		if e.CommunityCode == community {
			mine = append(mine, e)
		}
	}
	// Visited too often lately: the cadre's first enterprise that is not a key one.
	var often string
	for _, c := range cadre.Assigned {
		if c != showcase && !slices.ContainsFunc(mine, func(e enterprise.Enterprise) bool { return e.CreditCode == c && e.KeyLevel != enterprise.KeyNone }) {
			often = c
			break
		}
	}
	order := p.r.Perm(len(mine))
	stale, never := 0, 0
	for _, i := range order {
		e := mine[i]
		worker := p.grid[e.GridCode]
		switch {
		case e.CreditCode == showcase:
			p.add(75, worker, e, false)
			p.add(21, worker, e, false)
		case e.CreditCode == often: // three visits of three units in a month
			p.add(70, "cadre", e, false)
			p.add(26, "cadre", e, false)
			p.add(15, worker, e, false)
			p.add(5, worker, e, true)
		case assigned[e.CreditCode]:
			n := 2 + p.r.IntN(2)
			if e.KeyLevel != enterprise.KeyNone {
				n = 3
			}
			for j, day := range p.days(n) {
				who := "cadre"
				if j%2 == 1 {
					who = worker
				}
				p.add(day, who, e, p.chance(20))
			}
		case never < 6 && worker != "grid":
			never++ // nobody went: on the 90-day list
		case stale < 12 && worker != "grid":
			stale++
			p.add(92+p.r.IntN(26), worker, e, false) // once, long ago
		default:
			n := 1 + p.r.IntN(2)
			if p.chance(15) {
				n = 3
			}
			for _, day := range p.days(n) {
				p.add(day, worker, e, p.chance(12))
			}
		}
	}
	// The street's liaison cadre at the street's key enterprises.
	street := "cadre_" + p.user["street_leader"].RegionCode
	for _, c := range p.user[street].Assigned {
		e := p.enterprise(c)
		for _, day := range p.days(1 + p.r.IntN(2)) {
			p.add(day, street, e, p.chance(25))
		}
	}
	p.commonProblems(often)
	p.ratings(often, showcase)
}

// days spreads n visits over the four months, one in each n-th of them, the
// last at least a day ago and each some weeks after the one before (so
// that at most one falls in the last 30 days).
func (p *visitPlanner) days(n int) []int {
	span := 118 / n
	var out []int
	for i := range n {
		hi := 118 - i*span
		lo := hi - span + 1 + span/6
		if i == n-1 {
			lo = 1
		}
		hi -= span / 6
		out = append(out, lo+p.r.IntN(hi-lo+1))
	}
	return out
}

func (p *visitPlanner) enterprise(code string) enterprise.Enterprise {
	for _, e := range p.d.Enterprises {
		if e.CreditCode == code {
			return e
		}
	}
	panic("demo: no enterprise " + code)
}

// add plans a visit by recorder to e days before now, with a department's
// person along when joint.
func (p *visitPlanner) add(days int, recorder string, e enterprise.Enterprise, joint bool) {
	u := p.user[recorder]
	v := visit.Visit{Kind: visit.Routine, Visitors: []visit.Visitor{{Name: u.Name, Unit: p.unit[recorder]}}}
	if u.Role == access.RoleCadre && p.chance(25) {
		v.Kind = visit.ServiceDay
	}
	if joint {
		v.Kind = visit.Joint
		v.Visitors = append(v.Visitors, visit.Visitor{Name: departmentPeople[p.r.IntN(len(departmentPeople))], Unit: p.deptAt[p.r.IntN(len(p.deptAt))]})
	}
	first := !slices.ContainsFunc(p.visits, func(x plannedVisit) bool { return x.e.CreditCode == e.CreditCode })
	if first || p.chance(20) {
		v.Situation = visit.Situation{Operation: pickWeighted(p.r, visit.Operations, []int{88, 8, 1, 3}),
			Orders: pickWeighted(p.r, visit.OrderStates, []int{25, 55, 20})}
	} else {
		v.NoChange = true
	}
	if p.chance(12) {
		v.Note = visitNotes[p.r.IntN(len(visitNotes))]
	}
	var topics []int
	n := 0
	if k := p.r.IntN(100); k >= 93 {
		n = 2
	} else if k >= 65 {
		n = 1
	}
	community := p.user["community"].RegionCode
	for range n {
		if e.CommunityCode == community && p.chance(13) { // raised as an appeal: its community takes it
			a := appealProblems[p.r.IntN(len(appealProblems))]
			v.Problems = append(v.Problems, visit.Problem{Text: a.text, Category: a.category, Outcome: visit.Raised})
		} else {
			s := spotProblems[p.r.IntN(len(spotProblems))]
			v.Problems = append(v.Problems, visit.Problem{Text: s.text, Category: s.category, Outcome: visit.Solved, Action: s.action})
		}
		topics = append(topics, -1)
	}
	if slices.ContainsFunc(v.Problems, func(x visit.Problem) bool { return x.Outcome == visit.Raised }) && v.Kind == visit.Routine && !first {
		v.Kind = visit.FollowUp
	}
	p.visits = append(p.visits, plannedVisit{at: p.at(days), day: days, recorder: recorder, e: e, v: v, topics: topics})
}

// commonProblems puts the common topics' problems on visits of their days
// to as many different enterprises of the showcase community as each is
// shared by.
func (p *visitPlanner) commonProblems(often string) {
	community := p.user["community"].RegionCode
	showcase := p.user["enterprise"].EnterpriseCode
	for t, topic := range commonTopics {
		taken := map[string]bool{}
		var candidates []int
		for i, v := range p.visits {
			if v.e.CommunityCode == community && v.day <= topic.from && v.day >= topic.to && v.e.CreditCode != often &&
				v.e.CreditCode != showcase && len(v.v.Problems) < 2 {
				candidates = append(candidates, i)
			}
		}
		for _, k := range p.r.Perm(len(candidates)) {
			i := candidates[k]
			if len(taken) == topic.shared {
				break
			}
			if taken[p.visits[i].e.CreditCode] || slices.Contains(p.visits[i].topics, t) {
				continue
			}
			taken[p.visits[i].e.CreditCode] = true
			p.visits[i].v.Problems = append(p.visits[i].v.Problems, visit.Problem{Text: topic.text, Category: topic.category, Outcome: visit.Common})
			p.visits[i].topics = append(p.visits[i].topics, t)
		}
		if topic.answer != "" {
			p.events = append(p.events, visitEvent{at: p.at(topic.answered), what: evAnswer, actor: "street_leader", topic: t})
		}
	}
}

// ratings decides the enterprises' answers: most satisfied, a few
// basically, one unsatisfied and one that says nobody came; some never
// answer.
func (p *visitPlanner) ratings(often, showcase string) {
	unsatisfied, notVisited := -1, -1
	for i, v := range p.visits {
		switch {
		case v.e.CreditCode == showcase || v.e.CreditCode == often:
		case unsatisfied < 0 && v.day >= 44 && v.day <= 50 && len(v.v.Problems) > 0:
			unsatisfied = i
			p.visits[i].feedback, p.visits[i].note = visit.Unsatisfied, unsatisfiedNote
			continue
		case notVisited < 0 && v.day >= 36 && v.day <= 42 && len(v.v.Problems) == 0 && len(v.v.Visitors) == 1:
			notVisited = i
			p.visits[i].feedback, p.visits[i].note = visit.NotVisited, notVisitedNote
			continue
		}
		switch {
		case v.e.CreditCode != showcase && p.chance(9):
			// never answered
		case p.chance(8):
			p.visits[i].feedback = visit.Basic
		default:
			p.visits[i].feedback = visit.Satisfied
		}
	}
}

// follow plans what follows each visit: recording it, the enterprise's
// answer, and the appeals its problems became taken through the workflow.
func (p *visitPlanner) follow() {
	for i, v := range p.visits {
		p.events = append(p.events, visitEvent{at: v.at, what: evRecord, visit: i})
		if v.feedback != "" {
			p.events = append(p.events, visitEvent{at: v.at.Add(time.Duration(2+p.r.IntN(46)) * time.Hour), what: evConfirm, visit: i})
		}
		for j, pr := range v.v.Problems {
			if pr.Outcome == visit.Raised {
				p.appealMoves(i, j, v)
			}
		}
	}
}

// appealMoves takes the appeal a problem became through the workflow, as
// the appeal history does: the community accepts and dispatches it, the
// lead department signs and replies, the enterprise rates it (or the
// community asks it, when it has no account).
func (p *visitPlanner) appealMoves(i, j int, v plannedVisit) {
	at := v.at
	move := func(hours float64, actor string, e visitEvent) {
		at = workHours(at, hours)
		e.at, e.what, e.visit, e.problem, e.actor = at, evAct, i, j, actor
		p.events = append(p.events, e)
	}
	var lead string
	for _, c := range appeal.DefaultCategories() {
		if c.Code == v.v.Problems[j].Category && len(c.Departments) > 0 {
			lead = c.Departments[0]
		}
	}
	move(0.5+p.r.Float64()*2, "community", visitEvent{command: appeal.Command{Action: appeal.Accept}})
	move(0.5+p.r.Float64()*2, "community", visitEvent{command: appeal.Command{Action: appeal.Dispatch, Note: dispatchNote}, lead: lead})
	move(1+p.r.Float64()*4, "dept_"+lead, visitEvent{command: appeal.Command{Action: appeal.Sign}})
	move(6+p.r.Float64()*24, "dept_"+lead, visitEvent{command: appeal.Command{Action: appeal.Reply, Result: appeal.Solved, Note: replyNote}})
	if own := p.ownUser[v.e.CreditCode]; own != "" {
		move(2+p.r.Float64()*20, own, visitEvent{command: appeal.Command{Action: appeal.Rate, Rating: appeal.Satisfied}})
	} else {
		move(4+p.r.Float64()*20, "community", visitEvent{command: appeal.Command{Action: appeal.ReturnVisit, Rating: appeal.Satisfied,
			Via: pickOf(p.r, []string{"phone", "phone", "visit"})}})
	}
}

func pickWeighted[T any](r *rand.Rand, s []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	k := r.IntN(total)
	for i, w := range weights {
		if k < w {
			return s[i]
		}
		k -= w
	}
	return s[len(s)-1]
}

// PlayVisits plays the demo's visits up to now through m, moving the
// store's clock with setNow, and leaves it at now.
func PlayVisits(ctx context.Context, d Dataset, seed uint64, m VisitModules, now time.Time, setNow func(time.Time)) (VisitReport, error) {
	var rep VisitReport
	plan, events := planVisits(d, seed, now)
	actors := map[string]access.Actor{}
	actorOf := func(username string) (access.Actor, error) {
		if a, ok := actors[username]; ok {
			return a, nil
		}
		u, err := m.Accounts.UserByUsername(ctx, username)
		if err != nil {
			return access.Actor{}, fmt.Errorf("demo account %s: %w", username, err)
		}
		a, err := m.Accounts.Actor(ctx, u.ID)
		if err != nil {
			return a, err
		}
		a.Addr = "demo"
		actors[username] = a
		return a, nil
	}
	own := map[string]string{}
	for _, u := range d.Users {
		if u.Role == access.RoleEnterprise {
			own[u.EnterpriseCode] = u.Username
		}
	}
	recorded := make([]visit.Visit, len(plan))
	topics := make([]int64, len(commonTopics))
	versions := map[int64]int64{} // appeal → its version
	defer setNow(now)
	for _, ev := range events {
		setNow(ev.at)
		var pv plannedVisit
		if ev.what != evAnswer {
			pv = plan[ev.visit]
		}
		switch ev.what {
		case evRecord:
			actor, err := actorOf(pv.recorder)
			if err != nil {
				return rep, err
			}
			id, err := m.Enterprises.ByCreditCode(ctx, actor, pv.e.CreditCode)
			if err != nil {
				return rep, fmt.Errorf("demo visit to %s by %s: %w", pv.e.CreditCode, pv.recorder, err)
			}
			v := pv.v
			v.EnterpriseID = id
			v.Visitors = slices.Clone(v.Visitors)
			v.Visitors[0].UserID = actor.UserID
			v.Problems = slices.Clone(v.Problems)
			for j, t := range pv.topics {
				if t < 0 {
					continue
				}
				if topics[t] == 0 {
					v.Problems[j].TopicTitle = commonTopics[t].title
				} else {
					v.Problems[j].TopicID = topics[t]
				}
			}
			got, err := m.Visits.Record(ctx, actor, v, "")
			if err != nil {
				return rep, fmt.Errorf("demo visit to %s by %s on %s: %w", pv.e.CreditCode, pv.recorder, ev.at.Format(time.DateOnly), err)
			}
			recorded[ev.visit] = got
			rep.Visits++
			for j, pr := range got.Problems {
				rep.Problems++
				switch pr.Outcome {
				case visit.Solved:
					rep.Solved++
				case visit.Raised:
					rep.Appeals++
					versions[pr.AppealID] = 1
				case visit.Common:
					rep.Common++
					if t := pv.topics[j]; t >= 0 && topics[t] == 0 {
						topics[t] = pr.TopicID
						rep.Topics++
					}
				}
			}
		case evConfirm:
			var actor access.Actor
			if username := own[pv.e.CreditCode]; username != "" {
				a, err := actorOf(username)
				if err != nil {
					return rep, err
				}
				actor = a
			} else {
				// The enterprise has no account in the demo: the community's
				// staff record its answer from their return call (回访),
				// when the visit was not theirs.
				a, err := actorOf("community")
				if err != nil {
					return rep, err
				}
				actor = a
			}
			v := recorded[ev.visit]
			if _, err := m.Visits.Confirm(ctx, actor, v.ID, pv.feedback, pv.note, v.Version); err != nil {
				if fault.Is(err, fault.Forbidden) || fault.Is(err, fault.NotFound) {
					continue // outside the community, or its own visit: left unanswered
				}
				return rep, fmt.Errorf("demo confirmation of visit %d: %w", v.ID, err)
			}
			rep.Confirmed++
		case evAct:
			actor, err := actorOf(ev.actor)
			if err != nil {
				return rep, err
			}
			id := recorded[ev.visit].Problems[ev.problem].AppealID
			c := ev.command
			c.Version = versions[id]
			if ev.lead != "" {
				dept, err := actorOf("dept_" + ev.lead)
				if err != nil {
					return rep, err
				}
				c.Lead = dept.DepartmentID
			}
			a, err := m.Appeals.Act(ctx, actor, id, c)
			if err != nil {
				if k := fault.KindOf(err); k == fault.Internal || k == fault.Unavailable || k == "" {
					return rep, fmt.Errorf("demo move %s on appeal %d: %w", c.Action, id, err)
				}
				rep.Skipped++ // the workflow refused it, as the appeal history allows
				continue
			}
			versions[id] = a.Version
			rep.Moves++
		case evAnswer:
			actor, err := actorOf(ev.actor)
			if err != nil {
				return rep, err
			}
			if topics[ev.topic] == 0 {
				continue // no visit raised it
			}
			if _, err := m.Visits.AnswerTopic(ctx, actor, topics[ev.topic], commonTopics[ev.topic].answer, 1); err != nil {
				return rep, fmt.Errorf("demo answer to topic %d: %w", topics[ev.topic], err)
			}
		}
	}
	return rep, nil
}

// String says what the play did, for the log.
func (r VisitReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d visits, %d problems (%d solved on the spot, %d appeals, %d common under %d topics), %d confirmed, %d appeal moves",
		r.Visits, r.Problems, r.Solved, r.Appeals, r.Common, r.Topics, r.Confirmed, r.Moves)
	if r.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", r.Skipped)
	}
	return b.String()
}
