// Package catalogue is the catalogue of service standards (服务标准清单): the
// services a district promises its enterprises, each with what the
// enterprise gets, on what conditions, with which materials, from which
// department (or its office) and co-providers, in what time, and how it is
// delivered; and the directory of service providers that are not government
// departments — mass organisations (群团), social organisations, professional
// bodies, institutions and banks.
//
// A standard is versioned: every change that is saved makes a new version,
// and an appeal keeps the version it was raised under. A standard is in force
// from a date until it is withdrawn; a withdrawn standard is no longer
// offered, but its versions stay for the appeals that name them.
package catalogue

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qifu/internal/appeal"
	"qifu/internal/fault"
)

// Groups are the four groups of the catalogue, in its order.
var Groups = []string{"governance", "support", "employees", "party"}

// GroupNames are the groups' names (zh, en).
var GroupNames = map[string][2]string{
	"governance": {"公共治理", "Public governance"},
	"support":    {"支持服务", "Support services"},
	"employees":  {"员工保障", "Employees"},
	"party":      {"党群发展", "Party and mass organisations"},
}

// Mode is how a standard's service is delivered.
type Mode string

const (
	// OnSite is a service brought to the enterprise (上门服务).
	OnSite Mode = "onsite"
	// Assisted is an application done with or for the enterprise (帮办代办).
	Assisted Mode = "assisted"
	// Online is a matter handled on the official online service (一网通办):
	// the catalogue links out to it rather than raising an appeal.
	Online Mode = "online"
	// Activity is a recurring activity enterprises join (many 党群发展 items).
	Activity Mode = "activity"
)

// Modes are the delivery modes with their names (zh, en).
var Modes = []Mode{OnSite, Assisted, Online, Activity}

// ModeNames are the modes' names (zh, en).
var ModeNames = map[Mode][2]string{
	OnSite:   {"上门服务", "On-site service"},
	Assisted: {"帮办代办", "Assisted application"},
	Online:   {"网上办理", "Official online service"},
	Activity: {"常态化活动", "Recurring activity"},
}

// ProviderKind is what kind of body a provider is.
type ProviderKind string

const (
	Mass         ProviderKind = "mass"         // 群团组织: trade union, women's federation, youth league
	Social       ProviderKind = "social"       // 社会组织: associations, chambers, charities
	Professional ProviderKind = "professional" // 专业机构: law firms, accountants, agencies
	Institution  ProviderKind = "institution"  // 事业单位: service centres, schools
	Bank         ProviderKind = "bank"         // 金融机构
)

// ProviderKinds are the kinds in the directory's order.
var ProviderKinds = []ProviderKind{Mass, Social, Professional, Institution, Bank}

// ProviderKindNames are the kinds' names (zh, en).
var ProviderKindNames = map[ProviderKind][2]string{
	Mass:         {"群团组织", "Mass organisation"},
	Social:       {"社会组织", "Social organisation"},
	Professional: {"专业机构", "Professional body"},
	Institution:  {"事业单位", "Public institution"},
	Bank:         {"金融机构", "Bank"},
}

// Provider is an entry of the directory of service providers.
type Provider struct {
	Code    string       `json:"code"` // "union", "lawfirm-hd"
	Kind    ProviderKind `json:"kind"`
	Name    string       `json:"name"`
	NameEn  string       `json:"name_en,omitempty"`
	Contact string       `json:"contact,omitempty"` // a desk or a person's role, not a private person
	Phone   string       `json:"phone,omitempty"`   // an office number
	Address string       `json:"address,omitempty"`
	Demo    bool         `json:"demo"` // shipped as an example, not an official entry
	Version int64        `json:"version"`
}

// Standard is one version of a service standard.
type Standard struct {
	Code       string   `json:"code"` // "G01"
	Group      string   `json:"group"`
	Name       string   `json:"name"`
	NameEn     string   `json:"name_en,omitempty"`
	Gets       string   `json:"gets"` // what the enterprise gets
	GetsEn     string   `json:"gets_en,omitempty"`
	Conditions string   `json:"conditions,omitempty"` // who may ask, on what conditions
	Materials  []string `json:"materials,omitempty"`  // what to bring
	Department string   `json:"department"`           // code of the responsible department
	Office     string   `json:"office,omitempty"`     // code of its office, "" the department itself
	Providers  []string `json:"providers,omitempty"`  // co-providers from the directory
	// Handle is the promised handling time; an appeal raised under the
	// standard takes it as its handling limit.
	Handle   appeal.Span `json:"handle"`
	Category string      `json:"category"` // the appeal category it maps to
	Mode     Mode        `json:"mode"`
	Link     string      `json:"link,omitempty"`     // the official online service (Online)
	Schedule string      `json:"schedule,omitempty"` // how often (Activity): "每季度一次"
	From     string      `json:"from"`               // in force from, YYYY-MM-DD
	Until    string      `json:"until,omitempty"`    // withdrawn on, YYYY-MM-DD; "" in force
	Demo     bool        `json:"demo"`               // shipped as an example, not an official catalogue
	Version  int64       `json:"version"`
}

// InForce reports whether the standard is offered on day (YYYY-MM-DD).
func (s Standard) InForce(day string) bool {
	return s.From <= day && (s.Until == "" || day < s.Until)
}

// Asks reports whether asking for the standard raises an appeal: an online
// matter links out instead.
func (s Standard) Asks() bool { return s.Mode != Online }

// Same reports whether two versions say the same (the version aside).
func (s Standard) Same(o Standard) bool {
	return s.Code == o.Code && s.Group == o.Group && s.Name == o.Name && s.NameEn == o.NameEn && s.Gets == o.Gets &&
		s.GetsEn == o.GetsEn && s.Conditions == o.Conditions && slices.Equal(s.Materials, o.Materials) &&
		s.Department == o.Department && s.Office == o.Office && slices.Equal(s.Providers, o.Providers) &&
		s.Handle == o.Handle && s.Category == o.Category && s.Mode == o.Mode && s.Link == o.Link &&
		s.Schedule == o.Schedule && s.From == o.From && s.Until == o.Until && s.Demo == o.Demo
}

var (
	standardCode = regexp.MustCompile(`^[A-Z][0-9]{2,3}$`)
	providerCode = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	dayFormat    = "2006-01-02"
)

// Limits of a standard's texts.
const (
	MaxName      = 40
	MaxText      = 500
	MaxMaterials = 12
	MaxProviders = 6
	MaxMaterial  = 60
)

// Check normalises a standard and refuses what cannot be one, with a
// message per field. Whether its department, office, providers and category
// exist is the store's to check.
func (s *Standard) Check() error {
	s.Code = strings.ToUpper(strings.TrimSpace(s.Code))
	s.Group, s.Name, s.NameEn = strings.TrimSpace(s.Group), strings.TrimSpace(s.Name), strings.TrimSpace(s.NameEn)
	s.Gets, s.GetsEn, s.Conditions = strings.TrimSpace(s.Gets), strings.TrimSpace(s.GetsEn), strings.TrimSpace(s.Conditions)
	s.Department, s.Office, s.Category = strings.TrimSpace(s.Department), strings.TrimSpace(s.Office), strings.TrimSpace(s.Category)
	s.Link, s.Schedule = strings.TrimSpace(s.Link), strings.TrimSpace(s.Schedule)
	s.From, s.Until = strings.TrimSpace(s.From), strings.TrimSpace(s.Until)
	s.Materials = tidy(s.Materials)
	s.Providers = tidy(s.Providers)
	f := fault.Fields{}
	if !standardCode.MatchString(s.Code) {
		f.Add("code", "编号须为一个大写字母加 2 到 3 位数字（如 G01）", "a code is a capital letter and 2 or 3 digits (G01)")
	}
	if !slices.Contains(Groups, s.Group) {
		f.Add("group", "请选择分组", "choose the group")
	}
	if n := utf8.RuneCountInString(s.Name); n < 2 || n > MaxName {
		f.Add("name", "名称须为 2 到 40 个字", "a name has 2 to 40 characters")
	}
	if utf8.RuneCountInString(s.NameEn) > 2*MaxName {
		f.Add("name_en", "英文名称最多 80 个字符", "an English name has at most 80 characters")
	}
	if n := utf8.RuneCountInString(s.Gets); n < 2 || n > MaxText {
		f.Add("gets", "请写明企业得到什么（2 到 500 个字）", "say what the enterprise gets (2 to 500 characters)")
	}
	if utf8.RuneCountInString(s.GetsEn) > 2*MaxText {
		f.Add("gets_en", "英文说明最多 1000 个字符", "at most 1000 characters")
	}
	if utf8.RuneCountInString(s.Conditions) > MaxText {
		f.Add("conditions", "条件最多 500 个字", "conditions have at most 500 characters")
	}
	if len(s.Materials) > MaxMaterials || slices.ContainsFunc(s.Materials, func(m string) bool { return utf8.RuneCountInString(m) > MaxMaterial }) {
		f.Add("materials", "材料最多 12 项，每项最多 60 个字", "at most 12 materials of 60 characters each")
	}
	if s.Department == "" {
		f.Add("department", "请选择责任部门", "choose the responsible department")
	}
	if len(s.Providers) > MaxProviders || slices.ContainsFunc(s.Providers, func(p string) bool { return !providerCode.MatchString(p) }) {
		f.Add("providers", "协同服务机构最多 6 个，填写机构代码", "at most 6 co-providers, by their codes")
	}
	if s.Handle.N < 1 || (s.Handle.Days && s.Handle.N > 60) || (!s.Handle.Days && s.Handle.N > 480) {
		f.Add("handle", "承诺时限须为 1 到 60 个工作日或 1 到 480 个工作小时", "the promised time is 1 to 60 working days or 1 to 480 working hours")
	}
	if s.Category == "" {
		f.Add("category", "请选择对应的诉求分类", "choose the appeal category it maps to")
	}
	switch s.Mode {
	case Online:
		if u, err := url.Parse(s.Link); err != nil || u.Scheme != "https" || u.Host == "" || len(s.Link) > 300 {
			f.Add("link", "网上办理须填写办事入口的 https 链接", "an online matter needs the https link of the official service")
		}
	case OnSite, Assisted, Activity:
		if s.Link != "" {
			if u, err := url.Parse(s.Link); err != nil || u.Scheme != "https" || u.Host == "" || len(s.Link) > 300 {
				f.Add("link", "链接须为 https 地址", "a link is an https address")
			}
		}
	default:
		f.Add("mode", "请选择服务方式", "choose the delivery mode")
	}
	if s.Mode == Activity && s.Schedule == "" {
		f.Add("schedule", "常态化活动请写明频次（如每季度一次）", "say how often the activity runs")
	}
	if utf8.RuneCountInString(s.Schedule) > MaxMaterial {
		f.Add("schedule", "频次最多 60 个字", "at most 60 characters")
	}
	from, ferr := time.Parse(dayFormat, s.From)
	if ferr != nil {
		f.Add("from", "请填写生效日期（年-月-日）", "give the date it comes into force (YYYY-MM-DD)")
	}
	if s.Until != "" {
		if until, err := time.Parse(dayFormat, s.Until); err != nil {
			f.Add("until", "废止日期须为年-月-日", "the withdrawal date is YYYY-MM-DD")
		} else if ferr == nil && !until.After(from) {
			f.Add("until", "废止日期须晚于生效日期", "withdrawn after it came into force")
		}
	}
	return f.Err()
}

// Check normalises a provider and refuses what cannot be one.
func (p *Provider) Check() error {
	p.Code, p.Name, p.NameEn = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name), strings.TrimSpace(p.NameEn)
	p.Contact, p.Phone, p.Address = strings.TrimSpace(p.Contact), strings.TrimSpace(p.Phone), strings.TrimSpace(p.Address)
	f := fault.Fields{}
	if !providerCode.MatchString(p.Code) {
		f.Add("code", "代码须为小写字母或数字开头，最多 32 位", "a code starts with a lower-case letter or digit, at most 32")
	}
	if _, ok := ProviderKindNames[p.Kind]; !ok {
		f.Add("kind", "请选择机构类别", "choose the kind of body")
	}
	if n := utf8.RuneCountInString(p.Name); n < 2 || n > MaxName {
		f.Add("name", "名称须为 2 到 40 个字", "a name has 2 to 40 characters")
	}
	if utf8.RuneCountInString(p.NameEn) > 2*MaxName {
		f.Add("name_en", "英文名称最多 80 个字符", "an English name has at most 80 characters")
	}
	if utf8.RuneCountInString(p.Contact) > MaxName {
		f.Add("contact", "联系窗口最多 40 个字", "at most 40 characters")
	}
	if p.Phone != "" && !officePhone.MatchString(p.Phone) {
		f.Add("phone", "请填写办公电话（如 0574-86888888 或 12345）", "an office number (0574-86888888 or 12345)")
	}
	if utf8.RuneCountInString(p.Address) > 100 {
		f.Add("address", "地址最多 100 个字", "at most 100 characters")
	}
	return f.Err()
}

// officePhone is an office number: a service line (12345), a landline with
// its area code, or a mobile.
var officePhone = regexp.MustCompile(`^(1[0-9]{4,10}|0[0-9]{2,3}-?[0-9]{7,8}|1[3-9][0-9]{9})$`)

// tidy trims the entries of a list and drops the empty ones.
func tidy(list []string) []string {
	var out []string
	for _, v := range list {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Use is how much a standard is asked for in a period: the appeals raised
// under it, those closed, and those whose handling kept the promise.
type Use struct {
	Code     string `json:"code"`
	Requests int    `json:"requests"`
	Closed   int    `json:"closed"`
	OnTime   int    `json:"on_time"` // closed within the handling limit
}

// OnTimeRate is the share of closed requests handled in time, in percent; -1 when none closed.
func (u Use) OnTimeRate() float64 {
	if u.Closed == 0 {
		return -1
	}
	return float64(u.OnTime) * 100 / float64(u.Closed)
}
