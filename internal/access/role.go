// Package access decides who may do what to which record. It is the one
// authorization point of qifu: every store use case asks it, and list
// queries are narrowed by the Filter it compiles for an actor.
package access

import "qifu/internal/place"

// Role is what a user does in the mechanism.
type Role string

// The roles.
const (
	RoleEnterprise     Role = "enterprise"      // 企业用户, bound to one enterprise
	RoleGridWorker     Role = "grid_worker"     // 网格员, owns a grid
	RoleCommunityStaff Role = "community_staff" // 社区工作人员
	RoleStreetLeader   Role = "street_leader"   // 街道领导
	RoleDistrictLeader Role = "district_leader" // 区领导
	RoleCityLeader     Role = "city_leader"     // 市领导
	RoleDepartment     Role = "department"      // 部门人员
	RoleCadre          Role = "cadre"           // 驻企/联企干部, assigned to enterprises
	RoleLawyer         Role = "lawyer"          // 律师/专家
	RoleFinance        Role = "finance"         // 金融机构人员
	RoleAdmin          Role = "admin"           // 管理员
	RoleAuditor        Role = "auditor"         // 审计员, reads the audit log
	// RoleService is another system's account (对接系统: a city's 12345
	// hotline, an enterprise-code platform): API tokens only, no password
	// sign-in; it raises appeals for the enterprises of its region and reads
	// those it raised, to synchronise their answers back.
	RoleService Role = "service"
	// RoleOrganisation is the organisation department (组织部 / 两新工委),
	// which runs the cadre programme: it sees the cadres stationed in its
	// district, their assignments and their figures.
	RoleOrganisation Role = "organisation"
)

// Roles lists every role in display order.
var Roles = []Role{
	RoleEnterprise, RoleGridWorker, RoleCommunityStaff, RoleStreetLeader,
	RoleDistrictLeader, RoleCityLeader, RoleDepartment, RoleCadre,
	RoleLawyer, RoleFinance, RoleAdmin, RoleAuditor, RoleService, RoleOrganisation,
}

// SignsIn reports whether users of role sign in with a password: all but
// a connected system's, which signs its requests with API tokens.
func SignsIn(r Role) bool { return r != RoleService }

// Actor is the user on whose behalf something is done, with the scope the
// user was given. It is built from the store on every request, so a change of
// role or scope takes effect on the next request.
type Actor struct {
	UserID int64
	Name   string
	Role   Role
	// RegionCode and RegionLevel give the region subtree of a regional
	// role; for department staff they are the region of the department.
	RegionCode   string
	RegionLevel  place.Level
	DepartmentID int64 // for department staff
	// OfficeID is the department's office the member belongs to (0: the
	// department as a whole): its dispatches come to the office's staff.
	OfficeID     int64
	EnterpriseID int64 // for enterprise users
	// Addr is the client address of the request, for the audit log.
	Addr string
	// MustChangePassword is set while the user's password was set by
	// someone else, or is publicly known: until it is changed, the user may
	// only change it or sign out.
	MustChangePassword bool
	// ByToken is set when the request was signed with an API token rather
	// than a session: a token may not mint tokens.
	ByToken bool
	// SecondFactorDue is set while a session of a user with an
	// authenticator has not given its code: it may do nothing but give it.
	SecondFactorDue bool
	// MustEnrol is set while a user whose role signs in with a second
	// factor has none: it may do nothing but enrol one.
	MustEnrol bool
}

// System is the actor of work qifu does by itself (demo loading, jobs, the command line).
func System(what string) Actor { return Actor{Name: "system:" + what, Role: RoleAdmin} }
