// Package appeal is the heart of qifu: an enterprise's appeal (诉求/工单) and
// its lifecycle — the enterprise calls (企业呼叫), the community blows the
// whistle (社区吹哨), the departments report in (部门报到), the enterprise
// rates (评价). It holds the vocabulary, the validation of a new appeal, the
// table of states and transitions, the default categories and time limits.
// It knows nothing of SQL or HTTP.
package appeal

import (
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// Channel is how an appeal reached qifu.
type Channel string

// The channels.
const (
	ChannelWeb      Channel = "web"      // 网上（企业自行提交）
	ChannelHotline  Channel = "hotline"  // 电话/热线
	ChannelVisit    Channel = "visit"    // 走访（干部、网格员代录）
	ChannelWalkIn   Channel = "walk_in"  // 窗口来访
	ChannelReferral Channel = "referral" // 上级转办
	ChannelAPI      Channel = "api"      // 系统对接
)

// Channels lists the channels in display order.
var Channels = []Channel{ChannelWeb, ChannelHotline, ChannelVisit, ChannelWalkIn, ChannelReferral, ChannelAPI}

// Type is the nature of an appeal.
type Type string

// The types.
const (
	TypeConsultation Type = "consultation" // 咨询
	TypeHelp         Type = "help"         // 求助
	TypeComplaint    Type = "complaint"    // 投诉
	TypeReport       Type = "report"       // 举报
	TypeSuggestion   Type = "suggestion"   // 建议
	TypePraise       Type = "praise"       // 表扬
)

// Types lists the types in display order.
var Types = []Type{TypeConsultation, TypeHelp, TypeComplaint, TypeReport, TypeSuggestion, TypePraise}

// Urgency is how fast an appeal must move.
type Urgency string

// The urgencies.
const (
	Normal   Urgency = "normal"   // 一般
	Urgent   Urgency = "urgent"   // 紧急
	Critical Urgency = "critical" // 特急
)

// Urgencies lists the urgencies in display order.
var Urgencies = []Urgency{Normal, Urgent, Critical}

// Result is what the lead department's reply says of the problem.
type Result string

// The results.
const (
	Solved     Result = "solved"     // 已解决
	Explained  Result = "explained"  // 已解释说明
	Unsolvable Result = "unsolvable" // 无法解决（须说明原因）
)

// Results lists the results in display order.
var Results = []Result{Solved, Explained, Unsolvable}

// Rating is the enterprise's verdict on a reply.
type Rating string

// The ratings.
const (
	Satisfied   Rating = "satisfied"   // 满意
	Basic       Rating = "basic"       // 基本满意
	Unsatisfied Rating = "unsatisfied" // 不满意
	NotRated    Rating = "not_rated"   // 未评价（逾期自动关闭，不计为满意）
)

// Ratings lists the ratings an enterprise can give, in display order.
var Ratings = []Rating{Satisfied, Basic, Unsatisfied}

// Appeal is one appeal as the workflow sees it.
type Appeal struct {
	ID           int64
	Number       string // readable number, e.g. "SQ20261130-0001"
	Channel      Channel
	Type         Type
	Category     string // code in the category tree
	StandardCode string // optional service standard (服务标准) it falls under
	// StandardVersion is the version of the standard it was raised under,
	// whose promise it keeps (0: raised before versions were kept).
	StandardVersion int64
	Title           string
	Content         string
	Urgency         Urgency
	EnterpriseID    int64
	CreditCode      string
	Enterprise      string // enterprise name
	Contact         string
	Phone           string
	Confidential    bool   // the enterprise asks that its identity not be passed on
	About           int64  // a complaint's: the department it is about (complaint.go); 0 if none
	SourceRef       string // a connected system's reference of the appeal; "" if none
	GridCode        string
	State           State
	CaseID          int64 // the appeal this one was merged into, 0 if none
	LeadID          int64 // lead department, 0 if not dispatched
	Result          Result
	Reply           string
	Rating          Rating
	RatingNote      string
	RedoCount       int
	UrgeCount       int
	RaisedBy        int64 // the user who entered it
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ClosedAt        time.Time
	Version         int64
}

// Input is what a caller supplies to raise an appeal.
type Input struct {
	Channel      Channel `json:"channel"`
	Type         Type    `json:"type"`
	Category     string  `json:"category"`
	StandardCode string  `json:"standard_code,omitempty"`
	Title        string  `json:"title"`
	Content      string  `json:"content"`
	Urgency      Urgency `json:"urgency"`
	CreditCode   string  `json:"credit_code"`
	Contact      string  `json:"contact"`
	Phone        string  `json:"phone"`
	Confidential bool    `json:"confidential"`
	// SourceRef is what the connected system that raises the appeal calls
	// it (a hotline's work-order number): only such a system gives one
	// (CheckSourceRef), and lists find the appeal by it.
	SourceRef string `json:"source_ref,omitempty"`
	// About is, for a complaint, the department it is about (its id): that
	// department never handles it (CheckParties).
	About int64 `json:"about_department,omitempty"`
}

// Limits on the text of an appeal.
const (
	MaxTitle   = 60
	MaxContent = 2000
	MaxNote    = 1000
)

// Normalize trims the input and fills defaults: urgency normal.
func (in *Input) Normalize() {
	in.Title = strings.TrimSpace(in.Title)
	in.Content = strings.TrimSpace(in.Content)
	in.Contact = strings.TrimSpace(in.Contact)
	in.Phone = enterprise.NormalizeMobile(strings.TrimSpace(in.Phone))
	in.CreditCode = enterprise.NormalizeCreditCode(in.CreditCode)
	in.Category = strings.TrimSpace(in.Category)
	in.StandardCode = strings.TrimSpace(in.StandardCode)
	if in.Urgency == "" {
		in.Urgency = Normal
	}
}

// Validate checks a normalized input against the domain's rules and the
// category tree, returning every problem at once.
func (in Input) Validate(categories Categories) error {
	f := fault.Fields{}
	if !oneOf(in.Channel, Channels) {
		f.Add("channel", "请选择来源渠道", "choose a channel")
	}
	if !oneOf(in.Type, Types) {
		f.Add("type", "请选择诉求类型", "choose a type")
	}
	if !oneOf(in.Urgency, Urgencies) {
		f.Add("urgency", "紧急程度须为一般、紧急或特急", "urgency must be normal, urgent or critical")
	}
	if _, ok := categories.Find(in.Category); !ok {
		f.Add("category", "请选择诉求分类", "choose a category")
	}
	if n := utf8.RuneCountInString(in.Title); n == 0 || n > MaxTitle {
		f.Add("title", "请填写标题（不超过 60 字）", "a title of up to 60 characters is required")
	}
	if n := utf8.RuneCountInString(in.Content); n < 5 || n > MaxContent {
		f.Add("content", "请描述诉求内容（5 至 2000 字）", "describe the appeal in 5 to 2,000 characters")
	}
	if err := enterprise.CheckCreditCode(in.CreditCode); err != nil {
		f.Add("credit_code", "请填写正确的统一社会信用代码", "enter a valid unified social credit code")
	}
	if n := utf8.RuneCountInString(in.Contact); n == 0 || n > 30 {
		f.Add("contact", "请填写联系人", "a contact person is required")
	}
	if !enterprise.ValidMobile(in.Phone) {
		f.Add("phone", "请填写正确的手机号码（11 位）", "enter a valid 11-digit mobile number")
	}
	in.checkAbout(f)
	return f.Err()
}

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Valid reports whether r is a rating an enterprise can give.
func (r Rating) Valid() bool { return oneOf(r, Ratings) }

// Valid reports whether r is a result a reply can carry.
func (r Result) Valid() bool { return oneOf(r, Results) }
