package appeal

import (
	"slices"

	"qifu/internal/fault"
)

// State is where an appeal stands in its lifecycle.
type State string

// The states.
const (
	Submitted    State = "submitted"     // 待受理: raised, waiting for the community
	Accepted     State = "accepted"      // 已受理: the community is deciding what to do
	AwaitingInfo State = "awaiting_info" // 待补充: the enterprise is asked for more; the clock pauses
	Dispatched   State = "dispatched"    // 已派单: whistled to departments, the lead has not signed
	Handling     State = "handling"      // 办理中: the lead department has signed for it
	Replied      State = "replied"       // 已答复: the enterprise has the reply and may rate it
	Joint        State = "joint"         // 组团破难: joint problem-solving convened by a leader
	Closed       State = "closed"        // 已办结
	Merged       State = "merged"        // 已并案: merged into another appeal, which carries it
)

// States lists the states in lifecycle order.
var States = []State{Submitted, Accepted, AwaitingInfo, Dispatched, Handling, Replied, Joint, Closed, Merged}

// Open reports whether an appeal in state s still needs someone to act.
func (s State) Open() bool { return s != Closed && s != Merged }

// Action is a step someone takes on an appeal.
type Action string

// The actions.
const (
	Accept           Action = "accept"            // 受理
	RequestInfo      Action = "request_info"      // 要求补充材料
	SupplyInfo       Action = "supply_info"       // 补充材料
	Resolve          Action = "resolve"           // 直接办结（社区答复）
	Merge            Action = "merge"             // 并案
	Dispatch         Action = "dispatch"          // 派单/吹哨
	Sign             Action = "sign"              // 签收/报到
	Return           Action = "return"            // 退单
	Note             Action = "note"              // 进展备注
	Urge             Action = "urge"              // 催办
	RequestExtension Action = "request_extension" // 申请延期
	DecideExtension  Action = "decide_extension"  // 审批延期
	AssistReply      Action = "assist_reply"      // 协办答复主办
	Reply            Action = "reply"             // 主办答复企业
	Rate             Action = "rate"              // 企业评价
	ReturnVisit      Action = "return_visit"      // 回访（代为评价）
	ExpireRating     Action = "expire_rating"     // 逾期未评价，自动关闭
	RaiseJoint       Action = "raise_joint"       // 提请组团破难
	JointCheckIn     Action = "joint_check_in"    // 组团部门签到
	JointPart        Action = "joint_part"        // 组团部门办结其所负部分
	Confirm          Action = "confirm"           // 企业确认（组团破难结案）
)

// Party is the relation of an actor to one appeal; the store works out an
// actor's parties from the role, the scope and the appeal's dispatches.
type Party string

// The parties.
const (
	PartyEnterprise Party = "enterprise" // the enterprise's own user
	PartyRaiser     Party = "raiser"     // the cadre or grid worker who entered it for the enterprise
	PartyCommunity  Party = "community"  // staff of the community that owns the enterprise's grid
	PartyLead       Party = "lead"       // staff of the lead department (主办)
	PartyAssist     Party = "assist"     // staff of an assisting department (协办)
	PartyJoint      Party = "joint"      // staff of a department named in joint handling
	PartyLeader     Party = "leader"     // a street, district or city leader over the appeal's place
	PartySystem     Party = "system"     // qifu's own scheduler
)

// Transition is one row of the lifecycle table: who may take an action in
// which states, and the states it may lead to. An empty To means the state
// does not change; several To states mean the outcome decides (for example a
// rating closes the appeal or sends it back for redo).
type Transition struct {
	Action  Action
	From    []State
	To      []State
	Parties []Party
}

var (
	inProgress = []State{Accepted, Dispatched, Handling, Joint}
	community  = []Party{PartyCommunity}
	overseers  = []Party{PartyCommunity, PartyLeader}
)

// Lifecycle is the table of allowed transitions. It is the one source the
// store, the pages, the tests and the README read.
var Lifecycle = []Transition{
	{Accept, []State{Submitted}, []State{Accepted}, community},
	{RequestInfo, []State{Accepted}, []State{AwaitingInfo}, community},
	{SupplyInfo, []State{AwaitingInfo}, []State{Accepted}, []Party{PartyEnterprise, PartyRaiser}},
	{Resolve, []State{Accepted}, []State{Replied}, community},
	{Merge, []State{Submitted, Accepted}, []State{Merged}, community},
	{Dispatch, []State{Accepted}, []State{Dispatched}, community},
	{Sign, []State{Dispatched, Handling}, []State{Dispatched, Handling}, []Party{PartyLead, PartyAssist}},
	{Return, []State{Dispatched, Handling}, []State{Accepted, Dispatched, Handling}, []Party{PartyLead, PartyAssist}},
	{Note, inProgress, nil, []Party{PartyCommunity, PartyLead, PartyAssist, PartyJoint, PartyLeader}},
	{Urge, []State{Submitted, Accepted, Dispatched, Handling, Joint}, nil, overseers},
	{RequestExtension, []State{Handling}, nil, []Party{PartyLead}},
	{DecideExtension, []State{Handling}, nil, overseers},
	{AssistReply, []State{Handling}, nil, []Party{PartyAssist}},
	{Reply, []State{Handling}, []State{Replied}, []Party{PartyLead}},
	{Rate, []State{Replied}, []State{Closed, Handling, Accepted, Joint}, []Party{PartyEnterprise}},
	{ReturnVisit, []State{Replied}, []State{Closed, Handling, Accepted, Joint}, community},
	{ExpireRating, []State{Replied}, []State{Closed}, []Party{PartySystem}},
	{RaiseJoint, []State{Accepted, Dispatched, Handling, Replied, Joint}, []State{Joint}, []Party{PartyLeader}},
	{JointCheckIn, []State{Joint}, nil, []Party{PartyJoint}},
	{JointPart, []State{Joint}, nil, []Party{PartyJoint}},
	{Confirm, []State{Joint}, []State{Closed}, []Party{PartyEnterprise, PartyCommunity}},
}

// Find returns the transition of action.
func Find(action Action) (Transition, bool) {
	for _, t := range Lifecycle {
		if t.Action == action {
			return t, true
		}
	}
	return Transition{}, false
}

// ErrWrongState is the error for an action the appeal's state does not allow.
var ErrWrongState = fault.New(fault.Conflict, "wrong_state", "诉求当前状态不允许此操作，请刷新后查看", "the appeal's state does not allow this; reload to see where it stands")

// ErrNotYours is the error for an action the actor's relation to the appeal does not allow.
var ErrNotYours = fault.New(fault.Forbidden, "not_your_step", "您不是此环节的办理方", "this step is not yours to take")

// Allowed reports whether one of parties may take action on an appeal in
// state from: ErrNotYours when none of them may take it at all, and
// ErrWrongState when the state does not allow it.
func Allowed(action Action, from State, parties []Party) error {
	t, ok := Find(action)
	if !ok {
		return fault.New(fault.Invalid, "unknown_action", "未知操作", "unknown action")
	}
	if !slices.ContainsFunc(parties, func(p Party) bool { return slices.Contains(t.Parties, p) }) {
		return ErrNotYours
	}
	if !slices.Contains(t.From, from) {
		return ErrWrongState
	}
	return nil
}

// Check reports whether one of parties may take action on an appeal in
// state from, ending in state to (empty when the state stays): Allowed, and
// to one of the table's outcomes.
func Check(action Action, from, to State, parties []Party) error {
	if err := Allowed(action, from, parties); err != nil {
		return err
	}
	t, _ := Find(action)
	if to == "" {
		to = from
	}
	if len(t.To) == 0 && to != from || len(t.To) > 0 && !slices.Contains(t.To, to) {
		return fault.New(fault.Internal, "bad_transition", "内部错误", "internal error: "+string(action)+" "+string(from)+"→"+string(to))
	}
	return nil
}

// Available returns the actions parties may take on an appeal in state s,
// for pages to offer.
func Available(s State, parties []Party) []Action {
	var out []Action
	for _, t := range Lifecycle {
		if slices.Contains(t.From, s) && slices.ContainsFunc(parties, func(p Party) bool { return slices.Contains(t.Parties, p) }) {
			out = append(out, t.Action)
		}
	}
	return out
}

// DefaultMaxRedo is how many times an unsatisfied rating sends an appeal
// back to the lead department (重办) before it goes to joint handling, unless
// an administrator sets another number (0 to 5).
const DefaultMaxRedo = 1

// AfterRating returns the state a rating leads to: satisfied or basically
// satisfied close it; unsatisfied sends it back for redo while redos are
// left (maxRedo of them), and then to joint problem-solving (组团破难).
func AfterRating(r Rating, redoCount, maxRedo int) State {
	if r != Unsatisfied {
		return Closed
	}
	if redoCount < maxRedo {
		return Handling
	}
	return Joint
}
