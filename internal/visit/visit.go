// Package visit is the visits of grid workers, cadres and service teams to
// enterprises (走访): who went, when and why, the enterprise's situation seen
// (recorded as facts of its file with the visitors' source), the problems
// found and what became of each — solved on the spot, raised as an appeal on
// the enterprise's behalf, or sent up as a common problem (共性问题) with
// every enterprise it concerns — and the enterprise's own confirmation and
// rating of the visit. Also the rules of the visit plan (how often each
// enterprise is due, by key level), of the 90-day list and of visits too
// frequent (无事不扰), and the definitions of the figures.
//
// Nothing here counts visits to rank people: the grassroots burden-reduction
// rules forbid quotas, forced check-ins and rankings by number of visits, so
// location and photos are optional and the figures are about enterprises
// served, problems solved and what the enterprises say.
package visit

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// Kind is why a visit was made.
type Kind string

const (
	Routine    Kind = "routine"     // 日常走访
	ServiceDay Kind = "service_day" // 服务日 / 送服务上门
	FollowUp   Kind = "follow_up"   // 回访：following a problem up
	Joint      Kind = "joint"       // 联合走访：a team of several units
)

// Kinds lists the kinds in the form's order.
var Kinds = []Kind{Routine, FollowUp, Joint, ServiceDay}

// Outcome is what became of a problem found on a visit.
type Outcome string

const (
	// Solved on the spot: what was done is recorded.
	Solved Outcome = "solved"
	// Raised as an appeal on the enterprise's behalf (channel: visit),
	// dispatched and handled as every appeal is.
	Raised Outcome = "appeal"
	// Common: a problem many enterprises share (a policy carried out badly, a
	// district-wide shortage), sent up to the street or the district as a
	// topic with every enterprise concerned, not dispatched one by one.
	Common Outcome = "common"
)

// Outcomes lists the outcomes in the form's order.
var Outcomes = []Outcome{Solved, Raised, Common}

// Feedback is the enterprise's answer to a visit recorded to it.
type Feedback string

const (
	Satisfied   Feedback = "satisfied"   // 满意
	Basic       Feedback = "basic"       // 基本满意
	Unsatisfied Feedback = "unsatisfied" // 不满意
	// NotVisited: the enterprise says nobody came. The visit stays on
	// record, flagged, and counts in no figure of visits made.
	NotVisited Feedback = "not_visited"
)

// Feedbacks lists the answers in the phone's order.
var Feedbacks = []Feedback{Satisfied, Basic, Unsatisfied, NotVisited}

// Visitor is a member of the team that went: a person with an account
// (UserID), or someone of another unit named on the visit (UserID 0).
type Visitor struct {
	UserID int64  `json:"user_id,omitempty"`
	Name   string `json:"name"`
	Unit   string `json:"unit"`
}

// Situation is what the visitors saw of the enterprise's situation. Each
// value is recorded as a fact of its file (kind in brackets) when it differs
// from what the file holds; empty values are not recorded.
type Situation struct {
	Operation string `json:"operation,omitempty"` // 经营状况 (operation): one of Operations
	Orders    string `json:"orders,omitempty"`    // 订单情况 (orders): one of OrderStates
	Employees int    `json:"employees,omitempty"` // 从业人员 (employees)
}

// Operations are the operating states a visit records.
var Operations = []string{"正常生产", "部分停产", "停产", "筹建中"}

// OrderStates are the order situations a visit records.
var OrderStates = []string{"订单充足", "订单平稳", "订单不足"}

// Problem is one problem found on a visit.
type Problem struct {
	ID       int64   `json:"id,omitempty"`
	Text     string  `json:"text"`
	Category string  `json:"category"` // an appeal category
	Outcome  Outcome `json:"outcome"`
	// Action is what was done on the spot (Solved).
	Action string `json:"action,omitempty"`
	// TopicID joins an open common problem (Common); TopicTitle opens a
	// new one when TopicID is 0.
	TopicID    int64  `json:"topic_id,omitempty"`
	TopicTitle string `json:"topic_title,omitempty"`
	// AppealID is the appeal it became (Raised), once raised.
	AppealID int64 `json:"appeal_id,omitempty"`
}

// Photo is a photo taken on a visit (optional).
type Photo struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	MIME   string `json:"mime"`
	Size   int64  `json:"size"`
	SHA256 string `json:"-"` // its content in the attachment folder
}

// MaxPhotos is the most photos a visit keeps.
const MaxPhotos = 3

// Visit is one visit to an enterprise.
type Visit struct {
	ID           int64     `json:"id"`
	EnterpriseID int64     `json:"enterprise_id"`
	Enterprise   string    `json:"enterprise,omitempty"`
	Kind         Kind      `json:"kind"`
	On           string    `json:"on"` // YYYY-MM-DD
	Visitors     []Visitor `json:"visitors"`
	NoChange     bool      `json:"no_change"` // the situation is as last recorded
	Situation    Situation `json:"situation"`
	Note         string    `json:"note,omitempty"`
	Problems     []Problem `json:"problems"`
	Photos       []Photo   `json:"photos,omitempty"`
	RecordedBy   int64     `json:"recorded_by"`
	Recorder     string    `json:"recorder,omitempty"`
	// Units is how many units the team came from (a service team of
	// several units is one visit).
	Units        int       `json:"units"`
	ConfirmedAt  time.Time `json:"confirmed_at,omitzero"`
	Feedback     Feedback  `json:"feedback,omitempty"`
	FeedbackNote string    `json:"feedback_note,omitempty"`
	// FeedbackVia is how the answer came: "" from the enterprise's own
	// account, "phone" recorded by the community from its return call (回访).
	FeedbackVia string    `json:"feedback_via,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	Version     int64     `json:"version"`
}

// Limits of a visit.
const (
	MaxVisitors = 12
	MaxProblems = 10
	MaxText     = 500
	MaxName     = 30
	// MaxBackdate is how many days back a visit may be recorded.
	MaxBackdate = 7
)

var dayRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Check normalises a visit to be recorded on today (YYYY-MM-DD) and refuses
// what cannot be one, with a message per field. A problem's category is
// checked against the category tree by the store.
func (v *Visit) Check(today string) error {
	v.On, v.Note = strings.TrimSpace(v.On), strings.TrimSpace(v.Note)
	f := fault.Fields{}
	if !slices.Contains(Kinds, v.Kind) {
		f.Add("kind", "请选择走访类型", "choose the kind of visit")
	}
	if v.On == "" {
		v.On = today
	}
	if day, err := time.Parse("2006-01-02", v.On); !dayRE.MatchString(v.On) || err != nil {
		f.Add("on", "走访日期须为年-月-日", "the date is YYYY-MM-DD")
	} else if t, _ := time.Parse("2006-01-02", today); day.After(t) {
		f.Add("on", "走访日期不能晚于今天", "a visit cannot be in the future")
	} else if day.Before(t.AddDate(0, 0, -MaxBackdate)) {
		f.Add("on", "只能补录 7 天内的走访", "a visit is recorded within 7 days")
	}
	var visitors []Visitor
	units := map[string]bool{}
	for _, p := range v.Visitors {
		p.Name, p.Unit = strings.TrimSpace(p.Name), strings.TrimSpace(p.Unit)
		if p.Name == "" && p.UserID == 0 {
			continue
		}
		if utf8.RuneCountInString(p.Name) > MaxName || utf8.RuneCountInString(p.Unit) > 2*MaxName || p.Unit == "" {
			f.Add("visitors", "每位走访人员须写明姓名（30 字内）和单位（60 字内）", "each visitor has a name (30) and a unit (60)")
			break
		}
		visitors = append(visitors, p)
		units[p.Unit] = true
	}
	v.Visitors = visitors
	switch {
	case len(v.Visitors) == 0:
		f.Add("visitors", "请填写走访人员", "name who went")
	case len(v.Visitors) > MaxVisitors:
		f.Add("visitors", "走访人员最多 12 位", "at most 12 visitors")
	}
	v.Units = len(units)
	if v.Kind == Joint && v.Units < 2 {
		f.Add("kind", "联合走访须有两个以上单位的人员", "a joint visit has people of two or more units")
	}
	if utf8.RuneCountInString(v.Note) > MaxText {
		f.Add("note", "备注最多 500 字", "a note has at most 500 characters")
	}
	if v.NoChange {
		v.Situation = Situation{}
	} else {
		s := &v.Situation
		s.Operation, s.Orders = strings.TrimSpace(s.Operation), strings.TrimSpace(s.Orders)
		if s.Operation != "" && !slices.Contains(Operations, s.Operation) {
			f.Add("operation", "请选择经营状况", "choose the operating state")
		}
		if s.Orders != "" && !slices.Contains(OrderStates, s.Orders) {
			f.Add("orders", "请选择订单情况", "choose the order situation")
		}
		if s.Employees < 0 || s.Employees > 10_000_000 {
			f.Add("employees", "从业人员数不合理", "not a headcount")
		}
	}
	var problems []Problem
	for _, p := range v.Problems {
		p.Text, p.Action, p.TopicTitle = strings.TrimSpace(p.Text), strings.TrimSpace(p.Action), strings.TrimSpace(p.TopicTitle)
		p.Category = strings.TrimSpace(p.Category)
		if p.Text == "" && p.Action == "" && p.TopicTitle == "" {
			continue // an empty row of the form
		}
		key := "problems." + strconv.Itoa(len(problems))
		if n := utf8.RuneCountInString(p.Text); n < 5 || n > MaxText {
			f.Add(key+".text", "请描述问题（5 至 500 字）", "describe the problem in 5 to 500 characters")
		}
		if p.Category == "" {
			f.Add(key+".category", "请选择问题分类", "choose the problem's category")
		}
		switch p.Outcome {
		case Solved:
			if n := utf8.RuneCountInString(p.Action); n < 2 || n > MaxText {
				f.Add(key+".action", "请写明当场如何解决（2 至 500 字）", "say how it was solved on the spot")
			}
		case Raised:
		case Common:
			if p.TopicID == 0 {
				if n := utf8.RuneCountInString(p.TopicTitle); n < 4 || n > 60 {
					f.Add(key+".topic_title", "新的共性问题请写标题（4 至 60 字），或选择已有的共性问题", "give a new common problem a title (4 to 60), or choose an open one")
				}
			}
		default:
			f.Add(key+".outcome", "请选择处理方式：当场解决、转为诉求或作为共性问题上报", "choose: solved, appeal or common problem")
		}
		if p.Outcome != Common {
			// Only a common problem is put under a topic: the form sends a
			// row's topic whatever its outcome, and the store checks a
			// topic only for a common problem.
			p.TopicID, p.TopicTitle = 0, ""
		}
		p.AppealID, p.ID = 0, 0
		problems = append(problems, p)
	}
	if len(problems) > MaxProblems {
		f.Add("problems", "一次走访最多记录 10 个问题", "at most 10 problems per visit")
	}
	v.Problems = problems
	return f.Err()
}

// Plan is how often an enterprise is due a visit, by its key level: the
// visit plan of a cadre or grid worker lists each assigned enterprise when
// its last visit is this old.
var Plan = map[enterprise.KeyLevel]int{ // weeks
	enterprise.KeyCity:     4,
	enterprise.KeyDistrict: 8,
	enterprise.KeyNone:     13,
}

// DueAfter is when an enterprise of level last visited on last (or taken
// on then, never visited) is due its next visit.
func DueAfter(level enterprise.KeyLevel, last time.Time) time.Time {
	weeks, ok := Plan[level]
	if !ok {
		weeks = Plan[enterprise.KeyNone]
	}
	return last.AddDate(0, 0, 7*weeks)
}

// Unvisited is the age beyond which an enterprise is on the list of those
// nobody has visited (in days).
const Unvisited = 90

// TooOften: an enterprise visited at least TooOftenVisits times in
// TooOftenDays, by at least TooOftenUnits different units, is flagged as
// disturbed (无事不扰): several units coming one after another. A joint
// visit of several units is one visit — it is the cure, not the ailment.
const (
	TooOftenVisits = 3
	TooOftenUnits  = 2
	TooOftenDays   = 30
)

// Topic states.
const (
	TopicOpen     = "open"
	TopicAnswered = "answered"
)

// Topic is a common problem sent up to a street or the district.
type Topic struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Detail      string    `json:"detail,omitempty"`
	Category    string    `json:"category"`
	RegionCode  string    `json:"region_code"` // the street or district it was sent to
	Region      string    `json:"region,omitempty"`
	State       string    `json:"state"`
	Answer      string    `json:"answer,omitempty"`
	Enterprises int       `json:"enterprises"` // concerned
	RaisedAt    time.Time `json:"raised_at"`
	AnsweredAt  time.Time `json:"answered_at,omitzero"`
	Version     int64     `json:"version"`
}
