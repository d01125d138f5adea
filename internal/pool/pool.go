// Package pool is the employee turnover pool (员工周转池 / 共享用工):
// enterprises with idle workers lend them to enterprises short of hands,
// under the shared-employment rules (law.go); people without an employer
// join as job seekers for direct hiring; the community matches enterprise to
// enterprise with an optimal matcher (match.go) and follows each loan from
// the proposal to the first worker on site (steps.go), then through
// training, attendance, the monthly settlement (settle.go) and the return.
//
// Dates are days in the district ("2006-01-02"); amounts are whole yuan.
package pool

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// WorkType is a kind of work from the pool's list (工种).
type WorkType string

// Label is a word in both languages.
type Label struct {
	Code   string
	Zh, En string
}

// WorkTypes lists the work types in the forms' order.
var WorkTypes = []Label{
	{"general", "普工", "General worker"},
	{"sewing", "缝纫工", "Sewing machinist"},
	{"packing", "包装工", "Packer"},
	{"forklift", "叉车工", "Forklift driver"},
	{"electrician", "电工", "Electrician"},
	{"welder", "焊工", "Welder"},
	{"assembly", "装配工", "Assembler"},
	{"cnc", "数控操作工", "CNC operator"},
	{"quality", "质检员", "Quality inspector"},
	{"warehouse", "仓管员", "Warehouse keeper"},
}

// CertKinds lists the certificates a need may ask for (特种作业等).
var CertKinds = []Label{
	{"forklift", "叉车司机证（N1）", "Forklift licence (N1)"},
	{"electrician", "低压电工作业证", "Low-voltage electrician licence"},
	{"welder", "熔化焊接与热切割作业证", "Welding and thermal cutting licence"},
	{"health", "健康证", "Health certificate"},
}

// Shifts lists the shifts (班次): a need's, and what a worker can work.
var Shifts = []Label{
	{"day", "白班", "Day shift"},
	{"night", "夜班", "Night shift"},
	{"both", "两班倒", "Day and night"},
}

// Find returns the label of code in list.
func Find(list []Label, code string) (Label, bool) {
	i := slices.IndexFunc(list, func(l Label) bool { return l.Code == code })
	if i < 0 {
		return Label{}, false
	}
	return list[i], true
}

// Cert is a certificate a worker holds, valid to a day ("" : no expiry).
type Cert struct {
	Kind    string `json:"kind"`
	Expires string `json:"expires,omitempty"`
}

// Worker is an employed person an enterprise offers to lend (出借): its
// employee, whose labour relation stays with it.
type Worker struct {
	ID           int64  `json:"id"`
	EnterpriseID int64  `json:"enterprise_id"`
	Enterprise   string `json:"enterprise,omitempty"`
	TeamID       int64  `json:"team_id,omitempty"`
	Name         string `json:"name"`
	// Phone and IDNumber are masked for everyone but the lender and staff
	// who asked to see them (an audited request).
	Phone     string     `json:"phone"`
	IDNumber  string     `json:"id_number"`
	WorkTypes []WorkType `json:"work_types"`
	Certs     []Cert     `json:"certs,omitempty"`
	// ContractEnd is the end of the labour contract with the lender: no loan
	// may pass it.
	ContractEnd string `json:"contract_end"`
	From        string `json:"from"` // available from
	To          string `json:"to"`   // available until
	Shift       string `json:"shift"`
	// Share is the region the offer is shared with: the lender's community,
	// street or district (default), whose staff may match it.
	Share     string    `json:"share"`
	Status    string    `json:"status"` // WorkerAvailable, WorkerLent, WorkerWithdrawn
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// Worker statuses.
const (
	WorkerAvailable = "available" // may be chosen for a loan
	WorkerLent      = "lent"      // on a loan now (chosen, or at the borrower's)
	WorkerWithdrawn = "withdrawn" // taken out of the pool by the lender
)

// Team is a group of a lender's workers who go together, with their leader.
type Team struct {
	ID           int64  `json:"id"`
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	LeaderID     int64  `json:"leader_id,omitempty"`
	Leader       string `json:"leader,omitempty"`
	Shuttle      bool   `json:"shuttle"` // brings its own shuttle (自带班车)
	Lodging      bool   `json:"lodging"` // needs lodging (需住宿)
	Size         int    `json:"size"`
}

// Seeker is a person without an employer (散装职工, 灵活就业) looking for
// work: never lent (nobody employs them), offered for direct hiring on a
// short-term contract or to recruitment.
type Seeker struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	Phone         string     `json:"phone"`
	WorkTypes     []WorkType `json:"work_types"`
	From          string     `json:"from"` // available from
	Wants         string     `json:"wants"`
	CommunityCode string     `json:"community_code"`
	Status        string     `json:"status"` // SeekerOpen, SeekerPlaced, SeekerWithdrawn
	NeedID        int64      `json:"need_id,omitempty"`
	PlacedAt      time.Time  `json:"placed_at,omitzero"`
	// RetainUntil is when the person's record is deleted: 90 days after they
	// were placed or left the pool, or a year after joining (PIPL).
	RetainUntil string    `json:"retain_until"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
}

// What a job seeker wants.
const (
	WantsHire    = "hire"    // direct hiring on a short-term contract
	WantsRecruit = "recruit" // a regular job through recruitment
	WantsEither  = "either"
)

// Seeker statuses.
const (
	SeekerOpen      = "open"
	SeekerPlaced    = "placed"
	SeekerWithdrawn = "withdrawn"
)

// Need is an enterprise's need for hands (用工需求 / 借入).
type Need struct {
	ID           int64    `json:"id"`
	EnterpriseID int64    `json:"enterprise_id"`
	Enterprise   string   `json:"enterprise,omitempty"`
	WorkType     WorkType `json:"work_type"`
	Heads        int      `json:"heads"`
	From         string   `json:"from"`
	To           string   `json:"to"`
	Site         string   `json:"site"`
	Shift        string   `json:"shift"`
	// DailyCost is the labour cost offered per worker and day, whole yuan,
	// which the borrower settles to the lender (实收实支).
	DailyCost int      `json:"daily_cost"`
	Certs     []string `json:"certs,omitempty"`
	Training  string   `json:"training"` // the pre-job and safety training given
	Transport bool     `json:"transport"`
	Lodging   bool     `json:"lodging"`
	// NeededBy is the day the hands are needed by: a shipping date.
	NeededBy string `json:"needed_by"`
	Contact  string `json:"contact"` // at the site
	Phone    string `json:"phone"`
	Share    string `json:"share"`
	Status   string `json:"status"` // NeedOpen, NeedFilled, NeedClosed
	// Taken is how many slots loans and placed seekers take now.
	Taken       int       `json:"taken"`
	PostedAt    time.Time `json:"posted_at"`
	FirstOnSite time.Time `json:"first_on_site,omitzero"`
	Version     int       `json:"version"`
}

// Need statuses.
const (
	NeedOpen   = "open"
	NeedFilled = "filled" // every slot taken
	NeedClosed = "closed" // withdrawn or past
)

// Open is how many slots are still to fill.
func (n Need) Open() int { return max(0, n.Heads-n.Taken) }

const dayLayout = "2006-01-02"

// ParseDay reads a day, false when it is not one.
func ParseDay(s string) (time.Time, bool) {
	t, err := time.Parse(dayLayout, s)
	return t, err == nil && t.Format(dayLayout) == s
}

// Days is how many days from a to b (b − a); both must be days. The
// matcher asks it for every pair it weighs, so it reads the digits itself.
func Days(a, b string) int { return dayNumber(b) - dayNumber(a) }

// dayNumber is the number of a day ("2006-01-02") since 1970-01-01.
func dayNumber(s string) int {
	if len(s) != 10 {
		return 0
	}
	num := func(from, to int) int {
		n := 0
		for _, c := range s[from:to] {
			n = n*10 + int(c-'0')
		}
		return n
	}
	t := time.Date(num(0, 4), time.Month(num(5, 7)), num(8, 10), 0, 0, 0, 0, time.UTC)
	return int(t.Unix() / 86400)
}

func text(f fault.Fields, field, s string, min, max int, zh, en string) {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	switch {
	case n < min:
		f.Add(field, "请填写"+zh, en+" is required")
	case n > max:
		f.Add(field, zh+"过长", en+" is too long")
	}
}

func workTypes(f fault.Fields, field string, list []WorkType) {
	if len(list) == 0 {
		f.Add(field, "请至少选择一个工种", "choose at least one work type")
	}
	for _, w := range list {
		if _, ok := Find(WorkTypes, string(w)); !ok {
			f.Add(field, "工种不在列表中", "no such work type")
			return
		}
	}
}

func period(f fault.Fields, from, to string) {
	a, okA := ParseDay(from)
	b, okB := ParseDay(to)
	if !okA {
		f.Add("from", "请填写开始日期（年-月-日）", "give the first day (YYYY-MM-DD)")
	}
	if !okB {
		f.Add("to", "请填写结束日期（年-月-日）", "give the last day (YYYY-MM-DD)")
	}
	if okA && okB && b.Before(a) {
		f.Add("to", "结束日期早于开始日期", "the last day is before the first")
	}
	if okA && okB && b.Sub(a) > 366*24*time.Hour {
		f.Add("to", "期限不能超过一年", "the period cannot pass a year")
	}
}

// Normalize trims a worker's fields as typed.
func (w *Worker) Normalize() {
	w.Name = strings.TrimSpace(w.Name)
	w.Phone = enterprise.NormalizeMobile(w.Phone)
	w.IDNumber = strings.ToUpper(strings.TrimSpace(w.IDNumber))
	if w.Shift == "" {
		w.Shift = "both"
	}
}

// Check validates a worker offered for lending, as of today.
func (w Worker) Check(today string) error {
	f := fault.Fields{}
	text(f, "name", w.Name, 2, 30, "姓名", "the name")
	if !enterprise.ValidMobile(w.Phone) {
		f.Add("phone", "请填写11位手机号", "give an 11-digit mobile number")
	}
	if !ValidIDNumber(w.IDNumber) {
		f.Add("id_number", "身份证号码不正确（18位，末位校验码）", "not a valid resident ID number (18 characters with its check character)")
	}
	workTypes(f, "work_types", w.WorkTypes)
	for _, c := range w.Certs {
		if _, ok := Find(CertKinds, c.Kind); !ok {
			f.Add("certs", "证书种类不在列表中", "no such certificate")
		} else if _, ok := ParseDay(c.Expires); c.Expires != "" && !ok {
			f.Add("certs", "证书有效期请填写年-月-日", "a certificate's expiry is a day (YYYY-MM-DD)")
		}
	}
	end, ok := ParseDay(w.ContractEnd)
	switch {
	case !ok:
		f.Add("contract_end", "请填写劳动合同到期日；未与企业签订劳动合同的人员请登记为求职人员", "give the labour contract's end; people without a contract join as job seekers")
	case w.ContractEnd < today:
		f.Add("contract_end", "劳动合同已到期，不能出借", "the labour contract has ended: the person cannot be lent")
	}
	period(f, w.From, w.To)
	if ok && w.To > w.ContractEnd && w.To != "" {
		f.Add("to", "可借出期限不能超过劳动合同到期日（"+end.Format(dayLayout)+"）", "the available period cannot pass the labour contract's end")
	}
	if _, ok := Find(Shifts, w.Shift); !ok {
		f.Add("shift", "班次不在列表中", "no such shift")
	}
	return f.Err()
}

// Normalize trims a need's fields as typed.
func (n *Need) Normalize() {
	n.Site = strings.TrimSpace(n.Site)
	n.Training = strings.TrimSpace(n.Training)
	n.Contact = strings.TrimSpace(n.Contact)
	n.Phone = enterprise.NormalizeMobile(n.Phone)
	if n.Shift == "" {
		n.Shift = "day"
	}
	if n.NeededBy == "" {
		n.NeededBy = n.From
	}
}

// MaxHeads is the most workers one need asks for.
const MaxHeads = 500

// Check validates a need for hands, as of today.
func (n Need) Check(today string) error {
	f := fault.Fields{}
	if _, ok := Find(WorkTypes, string(n.WorkType)); !ok {
		f.Add("work_type", "请选择工种", "choose a work type")
	}
	if n.Heads < 1 || n.Heads > MaxHeads {
		f.Add("heads", "人数须在1到500之间", "heads must be 1 to 500")
	}
	period(f, n.From, n.To)
	if n.From != "" && n.From < today {
		f.Add("from", "开始日期不能早于今天", "the first day cannot be in the past")
	}
	if _, ok := ParseDay(n.NeededBy); !ok {
		f.Add("needed_by", "请填写最迟到岗日期（如出货日）", "give the day hands are needed by (a shipping date)")
	} else if n.NeededBy < today {
		f.Add("needed_by", "最迟到岗日期不能早于今天", "the day needed by cannot be in the past")
	} else if n.To >= n.From && n.NeededBy > n.To {
		f.Add("needed_by", "最迟到岗日期不能晚于结束日期", "the day needed by cannot be after the last day")
	}
	text(f, "site", n.Site, 4, 200, "工作地点", "the site")
	if _, ok := Find(Shifts, n.Shift); !ok {
		f.Add("shift", "班次不在列表中", "no such shift")
	}
	if n.DailyCost < 50 || n.DailyCost > 2000 {
		f.Add("daily_cost", "劳务费用须在每人每天50到2000元之间", "the labour cost must be 50 to 2,000 yuan a day")
	}
	for _, c := range n.Certs {
		if _, ok := Find(CertKinds, c); !ok {
			f.Add("certs", "证书种类不在列表中", "no such certificate")
		}
	}
	text(f, "training", n.Training, 4, 500, "岗前培训和安全教育内容", "the pre-job and safety training")
	text(f, "contact", n.Contact, 2, 30, "现场联系人", "the contact at the site")
	if !enterprise.ValidMobile(n.Phone) {
		f.Add("phone", "请填写现场联系人的11位手机号", "give the site contact's 11-digit mobile number")
	}
	return f.Err()
}

// Normalize trims a job seeker's fields as typed.
func (s *Seeker) Normalize() {
	s.Name = strings.TrimSpace(s.Name)
	s.Phone = enterprise.NormalizeMobile(s.Phone)
	if s.Wants == "" {
		s.Wants = WantsEither
	}
}

// Check validates a job seeker.
func (s Seeker) Check() error {
	f := fault.Fields{}
	text(f, "name", s.Name, 2, 30, "姓名", "the name")
	if !enterprise.ValidMobile(s.Phone) {
		f.Add("phone", "请填写11位手机号", "give an 11-digit mobile number")
	}
	workTypes(f, "work_types", s.WorkTypes)
	if _, ok := ParseDay(s.From); !ok {
		f.Add("from", "请填写可到岗日期", "give the day the person can start")
	}
	switch s.Wants {
	case WantsHire, WantsRecruit, WantsEither:
	default:
		f.Add("wants", "求职意向不在列表中", "no such wish")
	}
	return f.Err()
}

// ValidIDNumber reports whether s is an 18-character resident identity
// number (GB 11643) whose last character is its ISO 7064 MOD 11-2 check.
func ValidIDNumber(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := range 17 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	if _, ok := ParseDay(s[6:10] + "-" + s[10:12] + "-" + s[12:14]); !ok {
		return false
	}
	return s[17] == IDCheck(s[:17])
}

// IDCheck returns the check character of an ID number's first 17 digits.
func IDCheck(first17 string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}
