package appeal

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/fault"
)

// Command is one step someone takes on an appeal, with what the step needs.
type Command struct {
	Action  Action
	Version int64 // the version the actor saw; a stale one answers 409

	Note   string // the note, reply, reason, instruction or supplied information
	Public bool   // a progress note the enterprise may see

	Lead    int64   // dispatch: the lead department
	Assists []int64 // dispatch: assisting departments
	// Offices are, for a dispatch, the local offices (分局, 所) it goes
	// straight to: at most one of the lead's and of each assisting
	// department's; a department without one takes it as a whole.
	Offices []int64
	Due     time.Time // dispatch, raise joint: the deadline (zero: from the limits); extension: the proposed deadline

	Result Result // reply, resolve
	Rating Rating // rate, return visit, confirm
	Via    string // return visit: "phone", "visit" or "sms"

	CaseID      int64   // merge: the appeal this one joins
	ExtensionID int64   // decide extension
	Approve     bool    // decide extension
	Departments []int64 // raise joint: the departments that must report in
}

// Limits of what a command carries.
const (
	MaxAssists         = 10 // assisting departments of one dispatch
	MaxJointDepartment = 12 // departments named for joint handling
	MinUnsolvableWhy   = 10 // characters that explain an unsolvable reply
)

// ReturnVisitWays are the ways a community makes a return visit (回访).
var ReturnVisitWays = []string{"phone", "visit", "sms"}

// Check checks what a command carries for its action, before the store
// reads anything: each field's message in both languages. now is when the
// step is taken (a deadline must be later). What only the store can know —
// that a department serves the appeal's district, that an extension is
// pending, that assisting departments have answered — the store checks.
func (c Command) Check(now time.Time) error {
	f := fault.Fields{}
	note := func(max int, zh, en string) {
		if n := utf8.RuneCountInString(strings.TrimSpace(c.Note)); n == 0 || n > max {
			f.Add("note", zh, en)
		}
	}
	noteAtMost := func(zh, en string) {
		if utf8.RuneCountInString(c.Note) > MaxNote {
			f.Add("note", zh, en)
		}
	}
	future := func(zh string) {
		if !c.Due.IsZero() && !c.Due.After(now) {
			f.Add("due", zh, "the deadline must be in the future")
		}
	}
	switch c.Action {
	case RequestInfo:
		note(MaxNote, "请说明需要企业补充的内容", "say what the enterprise must supply")
	case SupplyInfo:
		note(MaxContent, "请填写补充的内容", "write what you supply")
	case Resolve, Reply:
		if !c.Result.Valid() {
			f.Add("result", "请选择办理结果", "choose a result")
		}
		note(MaxContent, "请填写答复内容（不超过 2000 字）", "write the reply, up to 2,000 characters")
		if c.Result == Unsolvable && utf8.RuneCountInString(c.Note) < MinUnsolvableWhy {
			f.Add("note", "无法解决时须说明原因（至少 10 字）", "say why it cannot be solved (at least 10 characters)")
		}
	case Merge:
		if c.CaseID == 0 {
			f.Add("case_id", "请选择要并入的诉求", "choose the appeal to merge into")
		}
	case Dispatch:
		if c.Lead == 0 {
			f.Add("lead", "请选择主办部门", "choose the lead department")
		}
		seen := map[int64]bool{c.Lead: true}
		for _, d := range c.Assists {
			if seen[d] {
				f.Add("assists", "协办部门不能重复，也不能与主办部门相同", "assisting departments must differ from each other and from the lead")
			}
			seen[d] = true
		}
		if len(c.Assists) > MaxAssists {
			f.Add("assists", "协办部门不超过 10 个", "at most 10 assisting departments")
		}
		offices := map[int64]bool{}
		for _, o := range c.Offices {
			if o <= 0 || offices[o] || len(c.Offices) > len(c.Assists)+1 {
				f.Add("offices", "分支机构有误：每个部门至多指定一个，不能重复", "offices: at most one of each department, none twice")
			}
			offices[o] = true
		}
		future("办理期限须晚于现在")
		noteAtMost("派单说明不超过 1000 字", "the instruction is at most 1,000 characters")
	case Return:
		note(MaxNote, "请说明退单理由和依据", "give the reason and basis for returning it")
	case Note:
		note(MaxNote, "请填写进展情况（不超过 1000 字）", "write a note of up to 1,000 characters")
	case Urge:
		noteAtMost("催办说明不超过 1000 字", "at most 1,000 characters")
	case RequestExtension:
		note(MaxNote, "请说明延期理由", "give the reason for the extension")
		if c.Due.IsZero() {
			f.Add("due", "请填写延期后的期限", "give the proposed deadline")
		}
		future("延期后的期限须晚于现在")
	case DecideExtension:
		if c.ExtensionID == 0 {
			f.Add("extension_id", "请选择要审批的延期申请", "choose the extension request to decide")
		}
	case AssistReply:
		note(MaxContent, "请填写协办意见", "write the assisting department's answer")
	case Rate, ReturnVisit:
		if !c.Rating.Valid() {
			f.Add("rating", "请选择满意、基本满意或不满意", "choose satisfied, basically satisfied or unsatisfied")
		}
		if c.Rating == Unsatisfied {
			note(MaxNote, "不满意时请说明原因", "say why you are not satisfied")
		}
		if c.Action == ReturnVisit && !slices.Contains(ReturnVisitWays, c.Via) {
			f.Add("via", "请选择回访方式：电话、上门或短信", "choose how the return visit was made: phone, visit or sms")
		}
		noteAtMost("评价说明不超过 1000 字", "at most 1,000 characters")
	case RaiseJoint:
		if len(c.Departments) == 0 || len(c.Departments) > MaxJointDepartment {
			f.Add("departments", "请选择 1 至 12 个组团部门", "name 1 to 12 departments")
		}
		noteAtMost("说明不超过 1000 字", "at most 1,000 characters")
		future("期限须晚于现在")
	case JointPart:
		note(MaxContent, "请填写本部门承担部分的办理结果", "write what your department did")
	case Confirm:
		if c.Rating != "" && !c.Rating.Valid() {
			f.Add("rating", "评价须为满意、基本满意或不满意", "choose a rating")
		}
	}
	return f.Err()
}

// Next is the state an action leads to from state from, when the outcome
// is the table's: the one state of its row, or from itself when the row
// changes no state. role is the actor's dispatch for the actions whose
// outcome depends on it: a lead department's signature starts the handling
// and its return sends the appeal back to the community, an assisting
// department's does neither. A rating's outcome is AfterRating's.
func Next(action Action, from State, role Party) State {
	switch action {
	case Sign:
		if role == PartyLead {
			return Handling
		}
		return from
	case Return:
		if role == PartyLead {
			return Accepted
		}
		return from
	}
	t, ok := Find(action)
	if !ok || len(t.To) != 1 {
		return from
	}
	return t.To[0]
}

// SeenByEnterprise reports whether the timeline line of a step is one the
// enterprise sees: the steps that change where its appeal stands and the
// departments' reports, but not the community's and departments' internal
// work (returns, urging, extensions, assisting answers), and a progress
// note only when its author made it public.
func SeenByEnterprise(c Command) bool {
	switch c.Action {
	case Note:
		return c.Public
	case Return, Urge, RequestExtension, DecideExtension, AssistReply:
		return false
	}
	return true
}
