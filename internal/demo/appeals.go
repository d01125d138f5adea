package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/enterprise"
)

// Move is one step of the demo's appeal history: at At, the user Actor takes
// Command on the appeal of plan Plan. The store replays the moves in time
// order through its ordinary use cases, so the history is what the real
// workflow would have recorded.
type Move struct {
	At     time.Time
	Plan   int // index into History's plans
	Actor  string
	Action appeal.Action
	Note   string
	Public bool
	Lead   string   // department code
	Assist []string // department codes
	Result appeal.Result
	Rating appeal.Rating
	Via    string
	Extend time.Duration // request extension: how far past the current deadline
}

// Plan is one appeal of the demo history: raised by Raiser at At.
type Plan struct {
	At     time.Time
	Raiser string
	Input  appeal.Input
}

// History returns n appeals raised over the days before now and the moves
// that take them through the workflow, sorted by time; moves after now are
// left out, so the most recent appeals are still open in every state.
func History(d Dataset, seed uint64, now time.Time, n int) ([]Plan, []Move) {
	h := &history{r: rand.New(rand.NewPCG(seed, 0x61707065616c)), d: d, now: now}
	h.index()
	for i := range n {
		h.appeal(i)
	}
	slices.SortStableFunc(h.moves, func(a, b Move) int { return a.At.Compare(b.At) })
	cut := slices.IndexFunc(h.moves, func(m Move) bool { return m.At.After(now) })
	if cut >= 0 {
		h.moves = h.moves[:cut]
	}
	// Plans after now do not happen either.
	plans := h.plans
	return plans, h.moves
}

type history struct {
	r     *rand.Rand
	d     Dataset
	now   time.Time
	plans []Plan
	moves []Move

	community map[string]string // community code → a staff username
	grid      map[string]string // grid code → its worker's username
	street    map[string]string // street code → a leader's username
	ownUser   map[string]string // credit code → enterprise username
	showcase  []enterprise.Enterprise
	others    []enterprise.Enterprise
}

func (h *history) index() {
	h.community, h.grid, h.street, h.ownUser = map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}
	for _, u := range h.d.Users {
		switch u.Role {
		case access.RoleCommunityStaff:
			h.community[u.RegionCode] = u.Username
		case access.RoleGridWorker:
			h.grid[u.RegionCode] = u.Username
		case access.RoleStreetLeader:
			h.street[u.RegionCode] = u.Username
		case access.RoleEnterprise:
			h.ownUser[u.EnterpriseCode] = u.Username
		}
	}
	var showCommunity string
	for _, u := range h.d.Users {
		if u.Username == "community" {
			showCommunity = u.RegionCode
		}
	}
	for _, e := range h.d.Enterprises {
		if h.community[e.CommunityCode] == "" {
			continue // a community without staff in the demo takes no appeals
		}
		if e.CommunityCode == showCommunity {
			h.showcase = append(h.showcase, e)
		} else {
			h.others = append(h.others, e)
		}
	}
}

func (h *history) chance(p int) bool { return h.r.IntN(100) < p }

func pickOf[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// workHours moves t by d of office time, roughly: hours spill into the next
// morning; the store's calendar decides what is on time.
func workHours(t time.Time, hours float64) time.Time {
	t = t.Add(time.Duration(hours * float64(time.Hour)))
	for t.Hour() >= 18 || t.Hour() < 8 || t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		t = t.Add(time.Hour)
	}
	return t
}

// topics are the appeals the demo's enterprises raise, by category.
var topics = []struct {
	category string
	typ      appeal.Type
	title    string
	content  string
}{
	{"labour.recruit", appeal.TypeHelp, "旺季招工困难", "订单增加，缺少熟练操作工约 %d 名，希望协助对接用工渠道。"},
	{"labour.dispute", appeal.TypeConsultation, "劳动合同到期续签问题", "有 %d 名员工合同到期，咨询续签和经济补偿的规定。"},
	{"labour.social", appeal.TypeConsultation, "社保缓缴政策咨询", "企业经营困难，咨询社保费缓缴政策，涉及员工 %d 人。"},
	{"financing", appeal.TypeHelp, "流动资金贷款需求", "原材料涨价，需要流动资金约 %d 万元，希望对接银行。"},
	{"tax", appeal.TypeConsultation, "研发费用加计扣除咨询", "今年研发投入约 %d 万元，咨询加计扣除的申报口径。"},
	{"environment", appeal.TypeHelp, "环评手续办理", "新增 %d 台注塑设备，咨询是否需要重新办理环评。"},
	{"logistics", appeal.TypeHelp, "货车通行证办理", "企业有 %d 辆货车需进入限行区域送货，申请通行证。"},
	{"land", appeal.TypeHelp, "厂房扩建用地", "计划扩建厂房约 %d 平方米，咨询用地和规划手续。"},
	{"policy.subsidy", appeal.TypeHelp, "技改补贴迟迟未到账", "去年申报的技改补贴约 %d 万元至今未到账，请帮助查询。"},
	{"policy.tech", appeal.TypeConsultation, "高新技术企业认定", "企业有 %d 项发明专利，咨询高新技术企业认定条件。"},
	{"trade", appeal.TypeHelp, "出口退税进度", "出口退税约 %d 万元尚未到账，影响资金周转。"},
	{"market", appeal.TypeHelp, "营业执照经营范围变更", "需要增加 %d 项经营范围，咨询变更流程。"},
	{"safety", appeal.TypeSuggestion, "园区消防通道被占用", "园区内消防通道长期被约 %d 辆车占用，存在安全隐患。"},
	{"legal", appeal.TypeConsultation, "合同纠纷法律咨询", "客户拖欠货款约 %d 万元，咨询如何依法追讨。"},
	{"utilities", appeal.TypeComplaint, "频繁停电影响生产", "近一个月停电 %d 次，影响正常生产，请协调供电。"},
	{"other", appeal.TypePraise, "感谢网格员上门服务", "网格员 %d 次上门帮助解决问题，特此表扬。"},
}

// appeal plans one appeal and its moves.
func (h *history) appeal(i int) {
	days := h.r.IntN(120)
	day := h.now.AddDate(0, 0, -days)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, -1)
	}
	at := time.Date(day.Year(), day.Month(), day.Day(), 8+h.r.IntN(9), h.r.IntN(60), 0, 0, day.Location())
	var e enterprise.Enterprise
	if h.chance(35) {
		e = pickOf(h.r, h.showcase)
	} else {
		e = pickOf(h.r, h.others)
	}
	topic := pickOf(h.r, topics)
	urgency := appeal.Normal
	switch {
	case h.chance(4):
		urgency = appeal.Critical
	case h.chance(12):
		urgency = appeal.Urgent
	}
	raiser, channel := h.ownUser[e.CreditCode], appeal.ChannelWeb
	if raiser == "" || h.chance(30) {
		raiser, channel = h.grid[e.GridCode], appeal.ChannelVisit
		if raiser == "" || h.chance(30) {
			raiser, channel = h.community[e.CommunityCode], appeal.ChannelHotline
		}
	}
	in := appeal.Input{Channel: channel, Type: topic.typ, Category: topic.category, Title: topic.title,
		Content: fmt.Sprintf(topic.content, 2+h.r.IntN(60)), Urgency: urgency, CreditCode: e.CreditCode,
		Contact: e.Contact, Phone: e.Phone}
	h.plans = append(h.plans, Plan{At: at, Raiser: raiser, Input: in})

	community := h.community[e.CommunityCode]
	rater := h.ownUser[e.CreditCode]
	move := func(hours float64, actor string, m Move) {
		at = workHours(at, hours)
		m.At, m.Plan, m.Actor = at, i, actor
		h.moves = append(h.moves, m)
	}
	move(0.3+h.r.Float64()*(map[bool]float64{true: 8, false: 3}[h.chance(10)]), community, Move{Action: appeal.Accept})
	if h.chance(6) {
		move(1, community, Move{Action: appeal.RequestInfo, Note: "请补充相关证明材料和具体数量。", Public: true})
		move(8+h.r.Float64()*16, raiser, Move{Action: appeal.SupplyInfo, Note: "已补充：相关材料已上传，具体情况见附件说明。"})
	}
	rate := func() bool {
		if h.chance(8) {
			return false // nobody rates: the window passes and it closes as not rated
		}
		rating := appeal.Satisfied
		switch {
		case h.chance(6):
			rating = appeal.Unsatisfied
		case h.chance(12):
			rating = appeal.Basic
		}
		note := ""
		if rating == appeal.Unsatisfied {
			note = "问题没有得到实际解决。"
		}
		if rater != "" {
			move(2+h.r.Float64()*20, rater, Move{Action: appeal.Rate, Rating: rating, Note: note})
		} else {
			move(4+h.r.Float64()*20, community, Move{Action: appeal.ReturnVisit, Rating: rating, Note: note, Via: pickOf(h.r, []string{"phone", "phone", "visit", "sms"})})
		}
		return rating == appeal.Unsatisfied
	}
	if topic.category == "other" || h.chance(12) {
		move(1+h.r.Float64()*6, community, Move{Action: appeal.Resolve, Result: appeal.Solved, Note: "社区已现场协调解决。"})
		rate()
		return
	}
	var suggested []string
	for _, c := range appeal.DefaultCategories() {
		if c.Code == topic.category {
			suggested = c.Departments
		}
	}
	lead := suggested[0]
	var assist []string
	if len(suggested) > 1 && h.chance(35) {
		assist = []string{suggested[1]}
	}
	if h.chance(8) {
		// Sent to the wrong department first: it returns it.
		wrong := pickOf(h.r, []string{"stats", "fire", "customs", "pbc"})
		move(1+h.r.Float64()*4, community, Move{Action: appeal.Dispatch, Lead: wrong, Note: "请牵头办理。"})
		move(1+h.r.Float64()*6, "dept_"+wrong, Move{Action: appeal.Return, Note: "不属于本部门职责，依据部门三定方案。"})
	}
	move(0.5+h.r.Float64()*4, community, Move{Action: appeal.Dispatch, Lead: lead, Assist: assist, Note: "请按时限办理并答复企业。"})
	late := h.chance(10)
	signAfter := 0.5 + h.r.Float64()*5
	if late {
		signAfter += 8
	}
	for _, a := range assist {
		move(0.5+h.r.Float64()*3, "dept_"+a, Move{Action: appeal.Sign})
	}
	move(signAfter, "dept_"+lead, Move{Action: appeal.Sign})
	if h.chance(30) {
		move(4+h.r.Float64()*10, "dept_"+lead, Move{Action: appeal.Note, Note: "已与企业电话沟通，正在核实情况。", Public: true})
	}
	if h.chance(8) {
		move(2, "dept_"+lead, Move{Action: appeal.RequestExtension, Note: "需多部门会商，申请延期。", Extend: 72 * time.Hour})
		move(3, community, Move{Action: appeal.DecideExtension})
	}
	for _, a := range assist {
		move(4+h.r.Float64()*12, "dept_"+a, Move{Action: appeal.AssistReply, Note: "协办意见：已按职责提供政策依据。"})
	}
	result := appeal.Solved
	switch {
	case h.chance(10):
		result = appeal.Explained
	case h.chance(3):
		result = appeal.Unsolvable
	}
	reply := map[appeal.Result]string{appeal.Solved: "经办理，问题已解决，详见答复。", appeal.Explained: "已向企业解释相关政策和办理流程。",
		appeal.Unsolvable: "因不符合现行政策条件暂无法解决，已说明原因并提供替代方案。"}[result]
	hours := 6 + h.r.Float64()*28
	if late || h.chance(8) {
		hours += 40
	}
	move(hours, "dept_"+lead, Move{Action: appeal.Reply, Result: result, Note: reply})
	if !rate() {
		return
	}
	// Not satisfied: the lead department redoes it.
	move(6+h.r.Float64()*20, "dept_"+lead, Move{Action: appeal.Reply, Result: appeal.Solved, Note: "重办：已再次协调，问题已解决。"})
	if !rate() {
		return
	}
	// Still not satisfied: joint problem-solving.
	leader := h.street[e.StreetCode]
	parts := []string{lead, pickOf(h.r, []string{"econ", "hrss", "resources", "emergency"})}
	if parts[1] == lead {
		parts = parts[:1]
	}
	move(4, leader, Move{Action: appeal.RaiseJoint, Assist: parts, Note: "组团破难，请各部门报到。"})
	for _, p := range parts {
		move(1+h.r.Float64()*3, "dept_"+p, Move{Action: appeal.JointCheckIn})
	}
	for _, p := range parts {
		move(4+h.r.Float64()*12, "dept_"+p, Move{Action: appeal.JointPart, Note: "本部门负责部分已办结。"})
	}
	confirmer := rater
	if confirmer == "" {
		confirmer = community
	}
	move(4, confirmer, Move{Action: appeal.Confirm, Rating: appeal.Satisfied})
}
