package visit

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/fault"
)

// Day is a department service day (部门服务日 / 送服务上门): a
// community or street invites departments and providers (banks, law firms,
// associations) on a day; its enterprises register beforehand the problems
// they will bring, each for one department invited; on the day each is
// answered on the spot or raised as an appeal dispatched to that department.
type Day struct {
	ID          int64     `json:"id"`
	RegionCode  string    `json:"region_code"` // the community or street holding it
	Region      string    `json:"region,omitempty"`
	Title       string    `json:"title"`
	On          string    `json:"on"` // YYYY-MM-DD
	Place       string    `json:"place"`
	Departments []string  `json:"departments"`         // codes of the departments invited
	Providers   []string  `json:"providers,omitempty"` // codes of the providers invited
	Note        string    `json:"note,omitempty"`
	Problems    int       `json:"problems"` // registered
	Pending     int       `json:"pending"`  // neither answered nor raised yet
	CreatedAt   time.Time `json:"created_at"`
	Version     int64     `json:"version"`
}

// DayOutcome is what became of a problem registered for a service day.
type DayOutcome string

const (
	DayPending  DayOutcome = ""         // waiting for the day
	DayAnswered DayOutcome = "answered" // answered on the spot
	DayRaised   DayOutcome = "appeal"   // raised as an appeal, dispatched to the department
)

// DayProblem is a problem an enterprise brings to a service day.
type DayProblem struct {
	ID           int64      `json:"id"`
	DayID        int64      `json:"day_id"`
	EnterpriseID int64      `json:"enterprise_id"`
	Enterprise   string     `json:"enterprise,omitempty"`
	Text         string     `json:"text"`
	Category     string     `json:"category"`
	Department   string     `json:"department"` // the invited department it is for
	Outcome      DayOutcome `json:"outcome,omitempty"`
	Answer       string     `json:"answer,omitempty"`
	AppealID     int64      `json:"appeal_id,omitempty"`
	RegisteredAt time.Time  `json:"registered_at"`
	Version      int64      `json:"version"`
}

// Check normalises a service day to be planned on today and refuses what
// cannot be one. The store checks the region and that the departments and
// providers exist.
func (d *Day) Check(today string) error {
	d.Title, d.On, d.Place, d.Note = strings.TrimSpace(d.Title), strings.TrimSpace(d.On), strings.TrimSpace(d.Place), strings.TrimSpace(d.Note)
	d.Departments, d.Providers = uniq(d.Departments), uniq(d.Providers)
	f := fault.Fields{}
	if n := utf8.RuneCountInString(d.Title); n < 4 || n > 60 {
		f.Add("title", "请填写标题（4 至 60 字）", "a title of 4 to 60 characters")
	}
	if day, err := time.Parse("2006-01-02", d.On); !dayRE.MatchString(d.On) || err != nil {
		f.Add("on", "日期须为年-月-日", "the date is YYYY-MM-DD")
	} else if t, _ := time.Parse("2006-01-02", today); day.Before(t) || day.After(t.AddDate(1, 0, 0)) {
		f.Add("on", "服务日须在今天到一年内", "a service day is between today and a year ahead")
	}
	if n := utf8.RuneCountInString(d.Place); n < 2 || n > 100 {
		f.Add("place", "请填写地点（2 至 100 字）", "give the place (2 to 100 characters)")
	}
	if len(d.Departments) == 0 {
		f.Add("departments", "请至少邀请一个部门", "invite at least one department")
	}
	if len(d.Departments)+len(d.Providers) > 20 {
		f.Add("departments", "一次最多邀请 20 个单位", "at most 20 units are invited")
	}
	if utf8.RuneCountInString(d.Note) > MaxText {
		f.Add("note", "说明最多 500 字", "a note has at most 500 characters")
	}
	return f.Err()
}

// Check normalises a problem registered for day and refuses what cannot be one.
func (p *DayProblem) Check(day Day) error {
	p.Text, p.Category, p.Department = strings.TrimSpace(p.Text), strings.TrimSpace(p.Category), strings.TrimSpace(p.Department)
	f := fault.Fields{}
	if n := utf8.RuneCountInString(p.Text); n < 5 || n > MaxText {
		f.Add("text", "请描述问题（5 至 500 字）", "describe the problem in 5 to 500 characters")
	}
	if p.Category == "" {
		f.Add("category", "请选择问题分类", "choose the problem's category")
	}
	if !slices.Contains(day.Departments, p.Department) {
		f.Add("department", "请选择受邀的部门", "choose one of the departments invited")
	}
	return f.Err()
}

func uniq(list []string) []string {
	var out []string
	for _, v := range list {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
