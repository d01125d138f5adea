package department

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"qifu/internal/fault"
	"qifu/internal/place"
)

// Office is a department's local office (a tax bureau's 分局, market
// supervision's 所): its staff belong to it, and a dispatch may go straight
// to it rather than to the department.
type Office struct {
	ID           int64
	DepartmentID int64
	Code         string // unique within the department ("dq": 大碶)
	Name         string // "大碶税务分局"
	NameEn       string
	// RegionCode is the area it serves (a street, usually); "" the
	// department's whole region.
	RegionCode string
}

var officeCode = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// Check normalises an office and refuses what cannot be one, with a message per field.
func (o *Office) Check() error {
	o.Code, o.Name, o.NameEn = strings.TrimSpace(o.Code), strings.TrimSpace(o.Name), strings.TrimSpace(o.NameEn)
	f := fault.Fields{}
	if o.DepartmentID == 0 {
		f.Add("department_id", "请选择部门", "choose the department")
	}
	if !officeCode.MatchString(o.Code) {
		f.Add("code", "代码须为小写字母或数字开头，最多 32 位", "a code starts with a lower-case letter or digit, at most 32")
	}
	if n := utf8.RuneCountInString(o.Name); n == 0 || n > 40 {
		f.Add("name", "名称须为 1 到 40 个字", "a name has 1 to 40 characters")
	}
	if utf8.RuneCountInString(o.NameEn) > 80 {
		f.Add("name_en", "英文名称最多 80 个字符", "an English name has at most 80 characters")
	}
	if o.RegionCode != "" {
		if l := place.LevelOf(o.RegionCode); l == 0 || place.CheckCode(o.RegionCode, l) != nil {
			f.Add("region_code", "区划代码无效", "not a region code")
		}
	}
	return f.Err()
}
