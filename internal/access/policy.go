package access

import (
	"qifu/internal/fault"
	"qifu/internal/place"
)

// Action is something an actor wants to do.
type Action string

// The actions of the foundation. Later modules add theirs to the table.
const (
	EnterpriseRead   Action = "enterprise.read"
	EnterpriseCreate Action = "enterprise.create"
	EnterpriseUpdate Action = "enterprise.update"
	EnterpriseImport Action = "enterprise.import"
	EnterpriseExport Action = "enterprise.export"
	// PersonalView is seeing personal data (phones, ID numbers) unmasked.
	PersonalView Action = "enterprise.personal"
	// FactRecord is recording a fact of an enterprise's file (一企一档), with
	// the source the role gives it (dossier.SourceOf).
	FactRecord Action = "enterprise.fact"

	RegionRead   Action = "region.read"
	RegionManage Action = "region.manage" // name grid workers, edit regions

	DepartmentRead   Action = "department.read"
	DepartmentManage Action = "department.manage"

	UserRead   Action = "user.read"
	UserManage Action = "user.manage"

	AuditRead Action = "audit.read"

	AppealRead   Action = "appeal.read"   // see an appeal and its timeline
	AppealCreate Action = "appeal.create" // raise an appeal for an enterprise
	// AppealAssess is reading the assessment figures (the three rates) and rankings.
	AppealAssess Action = "appeal.assess"
	// AppealConfigure is keeping the category tree, time limits and calendar.
	AppealConfigure Action = "appeal.configure"

	// CampaignRun is building forms and sending them to an audience:
	// starting a campaign, changing its members, reminding, closing it.
	CampaignRun Action = "campaign.run"
	// CampaignRead is following a campaign: its members, progress and answers.
	CampaignRead Action = "campaign.read"
	// FormFill is filling a campaign's form for an enterprise: its own
	// account, or staff on its behalf (the channel is recorded).
	FormFill Action = "form.fill"

	// CadreRead is following the cadres stationed with the enterprises of
	// a region: their home units, assignments and figures.
	CadreRead Action = "cadre.read"
	// CadreManage is keeping the cadres' roster: replacing a cadre, whose
	// enterprises pass to the successor at once.
	CadreManage Action = "cadre.manage"

	// PolicyRead is following which enterprises qualify for benefits
	// (精准推送): their check-ups, the pushes and claims of a region, of the
	// enterprises one is assigned, or — for a department — the claims on
	// the benefits it grants. Published policies are read by everyone.
	PolicyRead Action = "policy.read"
	// PolicyManage is keeping a department's policies, benefits and their
	// conditions, dry runs and sign-off, publication, its blacklist and its
	// innovation-resource lists.
	PolicyManage Action = "policy.manage"
	// PolicyClaim is an enterprise's part: supplying a missing fact,
	// applying, confirming a benefit without application, requesting a
	// resource — its own account, or staff on its behalf.
	PolicyClaim Action = "policy.claim"
	// PolicyReview is the granting department's part: reviewing
	// applications, the public notice and payment of 免申即享 lists, hand-over
	// to the official platform, clawback.
	PolicyReview Action = "policy.review"

	// ResumeRead is reading checklists, status reports, restart
	// applications, findings and the rates (清单 · 复工复产 · 运行监测): one
	// report serves every department that needs it (一表通), so departments
	// read those of their region.
	ResumeRead Action = "resumption.read"
	// ResumeReport is an enterprise's part, or staff's for it: status
	// reports, a restart application, answering a stalled supplier.
	ResumeReport Action = "resumption.report"
	// ResumeCheck is an on-site check of a checklist: advice by a community
	// or grid worker, an inspection by a department's staff (a rectification
	// only where the department holds the power to inspect the matter).
	ResumeCheck Action = "resumption.check"
	// ResumeDecide is the street's and the command's (指挥部) part: the
	// on-site check and the decision of a restart application, and the
	// electricity file of the power company.
	ResumeDecide Action = "resumption.decide"

	// CatalogueRead is reading the catalogue of service standards and the
	// directory of providers, and asking for a service from it.
	CatalogueRead Action = "catalogue.read"
	// CatalogueManage is keeping the catalogue: saving, withdrawing,
	// importing standards and providers.
	CatalogueManage Action = "catalogue.manage"

	// VisitRecord is recording a visit to an enterprise (走访) and what
	// became of the problems found.
	VisitRecord Action = "visit.record"
	// VisitRead is reading visits, the coverage of a region and its figures.
	VisitRead Action = "visit.read"
	// VisitConfirm is the enterprise confirming and rating a visit to it —
	// or the community recording its answer given by phone (回访) for an
	// enterprise without an account, never for a visit its staff made.
	VisitConfirm Action = "visit.confirm"
	// TopicAnswer is answering a common problem (共性问题) sent up to a
	// street or the district.
	TopicAnswer Action = "topic.answer"
	// ServiceDayRun is holding a department service day (部门服务日) in a
	// community or street: inviting the departments and providers, answering
	// the problems enterprises register on the spot or raising them as
	// appeals dispatched to the department concerned.
	ServiceDayRun Action = "serviceday.run"

	// PoolRead is reading the employee turnover pool (员工周转池): the workers
	// offered, the needs, the loans and their figures. Staff who match also
	// read the offers and needs shared with their region.
	PoolRead Action = "pool.read"
	// PoolPost is an enterprise's part in the pool, or staff's on its behalf:
	// offering workers, posting needs and job seekers, choosing the workers
	// of a loan, sealing, training, attendance, settlement, return, rating.
	PoolPost Action = "pool.post"
	// PoolMatch is running the pool: the matcher, proposing lenders for
	// needs, the workers' one-time codes, placing job seekers, ending the
	// loans of a lender that closed.
	PoolMatch Action = "pool.match"
)

// Reach is how far an actor's permission for an action extends.
type Reach int

// The reaches, from none to all.
const (
	None       Reach = iota // never
	Own                     // the enterprise the user is bound to
	Assigned                // the enterprises on the user's assignment list
	Dispatched              // the appeals dispatched to the user's department
	Region                  // records in the user's region subtree
	All                     // every record
)

// Actions lists the actions in the order of the permission table.
var Actions = []Action{
	EnterpriseRead, EnterpriseCreate, EnterpriseUpdate, EnterpriseImport, EnterpriseExport, PersonalView, FactRecord,
	RegionRead, RegionManage, DepartmentRead, DepartmentManage, UserRead, UserManage, AuditRead,
	AppealRead, AppealCreate, AppealAssess, AppealConfigure,
	CampaignRun, CampaignRead, FormFill, CadreRead, CadreManage,
	CatalogueRead, CatalogueManage, VisitRecord, VisitRead, VisitConfirm, TopicAnswer, ServiceDayRun,
	PoolRead, PoolPost, PoolMatch,
	PolicyRead, PolicyManage, PolicyClaim, PolicyReview,
	ResumeRead, ResumeReport, ResumeCheck, ResumeDecide,
}

const (
	n = None
	o = Own
	a = Assigned
	d = Dispatched
	r = Region
	A = All
)

// table is the permission table: role × action → reach. Its columns follow
// Actions. It is the single source the code, the tests and the docs read.
var table = map[Role][41]Reach{
	//                  ent.read create update import export personal fact reg.read reg.manage dept.read dept.manage user.read user.manage audit  appeal.read create assess configure  camp.run read form.fill cadre c.manage  cat.read manage  visit read confirm topic sday  pool post match  pol.read manage claim review  res.read report check decide
	RoleEnterprise:     {o, n, o, n, n, o, o, n, n, A, n, n, n, n, o, o, n, n, n, o, o, n, n, A, n, n, o, o, n, n, o, o, n, o, n, o, n, o, o, n, n},
	RoleGridWorker:     {r, r, r, r, r, r, r, A, n, A, n, n, n, n, r, r, n, n, n, r, r, n, n, A, n, r, r, n, n, n, r, r, n, r, n, r, n, r, r, r, n},
	RoleCommunityStaff: {r, r, r, r, r, r, r, A, r, A, n, r, n, n, r, r, r, n, r, r, r, n, n, A, n, r, r, r, n, r, r, r, r, r, n, r, n, r, r, r, n},
	RoleStreetLeader:   {r, n, n, n, r, n, n, A, n, A, n, r, n, n, r, n, r, n, r, r, n, r, n, A, n, n, r, n, r, r, r, n, r, r, n, n, n, r, n, r, r},
	RoleDistrictLeader: {r, n, n, n, r, n, n, A, n, A, n, r, n, n, r, n, r, n, r, r, n, r, n, A, n, n, r, n, r, n, r, n, n, r, n, n, n, r, n, n, r},
	RoleCityLeader:     {r, n, n, n, r, n, n, A, n, A, n, r, n, n, r, n, r, n, n, r, n, r, n, A, n, n, r, n, n, n, r, n, n, r, n, n, n, r, n, n, n},
	RoleDepartment:     {r, n, n, n, n, n, r, A, n, A, n, n, n, n, d, n, d, n, d, d, n, n, n, A, n, n, n, n, n, n, n, n, n, d, d, n, d, r, n, r, n},
	RoleCadre:          {a, n, a, n, a, a, a, A, n, A, n, n, n, n, a, a, n, n, n, a, a, n, n, A, n, a, a, n, n, n, a, a, n, a, n, a, n, a, a, a, n},
	RoleLawyer:         {n, n, n, n, n, n, n, n, n, A, n, n, n, n, n, n, n, n, n, n, n, n, n, A, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n},
	RoleFinance:        {n, n, n, n, n, n, n, n, n, A, n, n, n, n, n, n, n, n, n, n, n, n, n, A, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n},
	RoleAdmin:          {A, A, A, A, A, A, A, A, A, A, A, A, A, n, A, A, A, A, A, A, A, A, A, A, A, A, A, n, A, A, A, A, A, A, A, A, A, A, A, A, A},
	RoleAuditor:        {n, n, n, n, n, n, n, A, n, A, n, A, n, A, n, n, n, n, n, n, n, n, n, A, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n},
	RoleService:        {n, n, n, n, n, n, n, n, n, n, n, n, n, n, a, r, n, n, n, n, n, n, n, A, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n}, // reads the appeals it raised
	RoleOrganisation:   {r, n, n, n, n, n, n, A, n, A, n, n, n, n, n, n, n, n, n, n, n, r, r, A, n, n, r, n, n, n, n, n, n, n, n, n, n, n, n, n, n}, // the cadres of its district
}

// ReachOf returns how far role may take action.
func ReachOf(role Role, action Action) Reach {
	row, ok := table[role]
	if !ok {
		return None
	}
	for i, act := range Actions {
		if act == action {
			return row[i]
		}
	}
	return None
}

// Target is what the policy needs to know of a record.
type Target struct {
	Place        place.Ancestry // where the record is
	EnterpriseID int64          // the enterprise the record is, or belongs to
	Assigned     bool           // the record's enterprise is on the actor's assignment list
	Dispatched   bool           // the record (an appeal) was dispatched to the actor's department
}

// Allows reports whether actor may take action on t.
func Allows(actor Actor, action Action, t Target) bool {
	switch ReachOf(actor.Role, action) {
	case All:
		return true
	case Region:
		return actor.RegionLevel.Valid() && actor.RegionCode != "" &&
			t.Place.At(actor.RegionLevel) == actor.RegionCode
	case Assigned:
		return t.Assigned
	case Dispatched:
		return t.Dispatched
	case Own:
		return actor.EnterpriseID != 0 && t.EnterpriseID == actor.EnterpriseID
	}
	return false
}

// Check is the authorization point: nil when actor may take action on t;
// fault.ErrNotFound when the actor may not even see t (so that a record out
// of scope is indistinguishable from an absent one); and a Forbidden error
// when the actor sees t but the role may not take this action.
func Check(actor Actor, action Action, read Action, t Target) error {
	if Allows(actor, action, t) {
		return nil
	}
	if action != read && Allows(actor, read, t) {
		return ErrForbidden
	}
	return fault.ErrNotFound
}

// ErrForbidden is the error for an action the actor's role may not take on a record it can see.
var ErrForbidden = fault.New(fault.Forbidden, "forbidden", "您的角色无权执行此操作", "your role may not do this")

// Filter is an actor's reach for an action in a form the store turns into SQL.
type Filter struct {
	Reach        Reach
	Level        place.Level // Region: the level of Code
	Code         string      // Region: the region code
	EnterpriseID int64       // Own
	UserID       int64       // Assigned: whose assignment list
	DepartmentID int64       // Dispatched: which department
}

// FilterFor compiles the filter of actor for action. A regional role
// without a region, or an enterprise user without an enterprise, reaches nothing.
func FilterFor(actor Actor, action Action) Filter {
	f := Filter{Reach: ReachOf(actor.Role, action)}
	switch f.Reach {
	case Region:
		if !actor.RegionLevel.Valid() || actor.RegionCode == "" {
			return Filter{Reach: None}
		}
		f.Level, f.Code = actor.RegionLevel, actor.RegionCode
	case Own:
		if actor.EnterpriseID == 0 {
			return Filter{Reach: None}
		}
		f.EnterpriseID = actor.EnterpriseID
	case Assigned:
		f.UserID = actor.UserID
	case Dispatched:
		if actor.DepartmentID == 0 {
			return Filter{Reach: None}
		}
		f.DepartmentID = actor.DepartmentID
	}
	return f
}

// May reports whether the role can take action on any record at all; pages
// and menus use it to decide what to offer.
func May(role Role, action Action) bool { return ReachOf(role, action) != None }
