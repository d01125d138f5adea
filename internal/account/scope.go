package account

import (
	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/place"
)

// regionLevel is the level of the region a regional role is scoped to.
var regionLevel = map[access.Role]place.Level{
	access.RoleGridWorker:     place.Grid,
	access.RoleCommunityStaff: place.Community,
	access.RoleStreetLeader:   place.Street,
	access.RoleDistrictLeader: place.District,
	access.RoleCityLeader:     place.City,
	access.RoleOrganisation:   place.District,
}

// RegionLevel returns the level of region a role is scoped to, or 0 when the
// role is not regional.
func RegionLevel(r access.Role) place.Level { return regionLevel[r] }

// Normalize clears the scope fields the user's role does not use.
func (u *User) Normalize() {
	if RegionLevel(u.Role) == 0 && u.Role != access.RoleService {
		u.RegionCode = ""
	}
	if u.Role != access.RoleDepartment {
		u.DepartmentID, u.OfficeID = 0, 0
	}
	if u.Role != access.RoleCadre {
		u.HomeUnit = ""
	}
	if u.Role != access.RoleEnterprise {
		u.EnterpriseID = 0
	}
}

// Validate checks a user's fields and that the scope matches the role: a
// regional role needs a region of its level, department staff a department,
// an enterprise user an enterprise.
func (u *User) Validate() fault.Fields {
	f := fault.Fields{}
	if n := len([]rune(u.Username)); n < 2 || n > 40 {
		f.Add("username", "用户名应为 2–40 个字符", "usernames have 2–40 characters")
	}
	for _, c := range u.Username {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			f.Add("username", "用户名只能包含小写字母、数字和 _ . -", "usernames use lower-case letters, digits and _ . -")
			break
		}
	}
	if u.Name == "" || len([]rune(u.Name)) > 50 {
		f.Add("name", "请填写姓名（不超过 50 字）", "a name of up to 50 characters is required")
	}
	if !ValidRole(u.Role) {
		f.Add("role", "请选择角色", "choose a role")
	}
	if l := RegionLevel(u.Role); l != 0 && place.LevelOf(u.RegionCode) != l {
		f.Add("region_code", "该角色需要指定一个"+l.Zh()+"级区划", "this role needs a region of level "+l.En())
	}
	if u.Role == access.RoleService && place.LevelOf(u.RegionCode) == 0 {
		f.Add("region_code", "对接系统需要指定它服务的区划（市、区县、街道或社区）", "a connected system serves a region: name it")
	}
	if u.Role == access.RoleDepartment && u.DepartmentID == 0 {
		f.Add("department_id", "部门人员需要指定所属部门", "department staff need a department")
	}
	if len([]rune(u.HomeUnit)) > 60 {
		f.Add("home_unit", "派出单位不超过 60 字", "a home unit has at most 60 characters")
	}
	if u.Role == access.RoleEnterprise && u.EnterpriseID == 0 {
		f.Add("enterprise_id", "企业用户需要绑定一家企业", "enterprise users are bound to one enterprise")
	}
	return f
}
