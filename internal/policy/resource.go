package policy

import (
	"regexp"
	"slices"
	"strings"

	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

// Resource is an innovation resource on a service list (创新资源服务清单):
// a laboratory, testing equipment, an expert pool, a technology service
// provider or an incubator, and the industries and themes it serves.
type Resource struct {
	ID           int64    `json:"id"`
	Kind         string   `json:"kind"`
	Name         string   `json:"name"`
	Provider     string   `json:"provider"`
	Summary      string   `json:"summary"`
	Industries   []string `json:"industries"` // GB/T 4754 divisions served
	Tags         []string `json:"tags"`       // themes: "模具设计", "检测认证"
	Contact      string   `json:"contact"`
	Phone        string   `json:"phone"`
	Terms        string   `json:"terms"`         // fees, hours, who may use it
	DepartmentID int64    `json:"department_id"` // the department that keeps the list
	Version      int      `json:"version"`
}

// ResourceKinds are the kinds of resource.
var ResourceKinds = []Option{
	{Value: "lab", Zh: "重点实验室", En: "laboratory"},
	{Value: "equipment", Zh: "大型科研仪器", En: "testing equipment"},
	{Value: "experts", Zh: "专家库", En: "expert pool"},
	{Value: "provider", Zh: "科技服务机构", En: "technology service provider"},
	{Value: "incubator", Zh: "孵化器与众创空间", En: "incubator"},
}

var landlineRE = regexp.MustCompile(`^0\d{2,3}-?\d{7,8}$`)

// Check validates a resource with a message per field.
func (r Resource) Check() error {
	fields := fault.Fields{}
	if !slices.ContainsFunc(ResourceKinds, func(o Option) bool { return o.Value == r.Kind }) {
		fields.Add("kind", "请选择资源类型", "choose the kind")
	}
	textField(fields, "name", r.Name, 80, true, "名称", "the name")
	textField(fields, "provider", r.Provider, 80, true, "提供单位", "the provider")
	textField(fields, "summary", r.Summary, 1000, false, "简介", "the summary")
	textField(fields, "contact", r.Contact, 30, true, "联系人", "the contact")
	textField(fields, "terms", r.Terms, 500, false, "服务条件", "the terms")
	if r.Phone != "" && !enterprise.ValidMobile(r.Phone) && !landlineRE.MatchString(r.Phone) {
		fields.Add("phone", "电话应为手机号或带区号的固定电话", "a mobile or a landline with its area code")
	}
	for _, c := range r.Industries {
		if _, ok := enterprise.DivisionByCode(c); !ok {
			fields.Add("industries", "“"+clipText(c)+"”不是国民经济行业大类代码", clipText(c)+" is not a GB/T 4754 division")
			break
		}
	}
	if len(r.Tags) > 20 {
		fields.Add("tags", "标签不能超过 20 个", "at most 20 tags")
	}
	for _, t := range r.Tags {
		if len([]rune(t)) > 20 {
			fields.Add("tags", "每个标签不能超过 20 字", "each tag is at most 20 characters")
			break
		}
	}
	return fields.Err()
}

// Fit is how well a resource serves an enterprise, with the reasons.
type Fit struct {
	Score   int         `json:"score"`
	Reasons []fault.Msg `json:"reasons"`
}

// FitOf scores a resource for an enterprise of industry with tags and the
// technology bottlenecks it reported: 3 for its industry, 2 for each theme
// among its tags, 4 for each theme its bottlenecks name.
func FitOf(r Resource, industry string, tags, bottlenecks []string) Fit {
	var f Fit
	if slices.Contains(r.Industries, industry) {
		f.Score += 3
		f.Reasons = append(f.Reasons, fault.Msg{Zh: "服务本行业", En: "serves its industry"})
	}
	for _, t := range r.Tags {
		if slices.Contains(tags, t) {
			f.Score += 2
			f.Reasons = append(f.Reasons, fault.Msg{Zh: "标签：" + t, En: "tag: " + t})
		}
		for _, b := range bottlenecks {
			if t != "" && strings.Contains(b, t) {
				f.Score += 4
				f.Reasons = append(f.Reasons, fault.Msg{Zh: "对应技术需求“" + clipText(b) + "”", En: "meets the need " + clipText(b)})
				break
			}
		}
	}
	return f
}
