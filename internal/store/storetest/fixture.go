package storetest

import (
	"fmt"
	"slices"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/department"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/place"
)

// The permission fixture, which every module's store tests extend to their
// records (MODULES.md, "Access"): a city of 2 districts × 2 streets × 2
// communities × 2 grids with 3 enterprises per grid, and 3 departments: tax
// serves the first district, hrss the second, market the whole city. Every
// regional role has an account at every region of its level (grid workers
// at the first grid of each community), every department one, two cadres
// (one assigned across both districts, one to nothing), an enterprise user
// for the first enterprise of each community, and the four roles without
// regions.
//
// The accounts are named after where they stand:
//
//	admin, auditor, lawyer, finance   the roles without regions
//	city                              the city leader
//	district_<district>               a district leader
//	street_<street>                   a street leader
//	community_<community>             a community's staff
//	grid_<community>001               the grid worker of its first grid
//	ent_<community>                   the enterprise user of the community's
//	                                  first enterprise (first grid)
//	cadre                             assigned to the last enterprise of the
//	                                  last grid of every second community
//	cadre_idle                        assigned to nothing
//	dept_tax, dept_hrss, dept_market  the departments' staff
const FixtureCity = "330200"

// FixtureDistricts are the fixture's districts, in the order they are built.
var FixtureDistricts = []string{"330206", "330203"}

// Relation is how a principal stands to a record. Each pair gets the most
// particular relation that applies, in the order of the constants; a
// module's test may add relations of its own records.
type Relation string

// The relations every record kind shares.
const (
	RelOwn        Relation = "own"        // the enterprise user's own enterprise, or its records
	RelAssigned   Relation = "assigned"   // a cadre's assigned enterprise, or its records
	RelRaised     Relation = "raised"     // a record (an appeal) a cadre raised
	RelDispatched Relation = "dispatched" // a record (an appeal) dispatched to the department
	RelRegion     Relation = "region"     // a record in the principal's region (a department's: its alliance's)
	RelOther      Relation = "other"      // none of the above
)

// The expected outcome of one action: allowed, forbidden (403: the record
// is seen, the action is not the role's) or not found (404: the record is
// outside the principal's sight, indistinguishable from an absent one).
const (
	Allow  = 'A'
	Forbid = 'F'
	Absent = 'N'
)

// Table is a permission table written from the domain's rules (DOMAIN.md,
// "roles"), not from internal/access: role × relation → the outcomes of a
// record kind's actions, one letter each, in the order the test names them.
// A relation a role does not list is RelOther.
type Table map[access.Role]map[Relation]string

// Want is the table's outcome of action i for a principal of role standing
// in relation rel to a record.
func (t Table) Want(role access.Role, rel Relation, i int) byte {
	row, ok := t[role][rel]
	if !ok {
		row = t[role][RelOther]
	}
	return row[i]
}

// Outcome turns a store's answer into the table's letters ('?' for an
// answer that is none of them).
func Outcome(err error) byte {
	switch {
	case err == nil:
		return Allow
	case fault.Is(err, fault.Forbidden):
		return Forbid
	case fault.Is(err, fault.NotFound):
		return Absent
	}
	return '?'
}

// Fixture is the fixture's dataset, to load with LoadDemo, and what the
// oracle knows of it.
type Fixture struct {
	demo.Dataset
	Depts map[string]string // department code → its region
}

// NewFixture builds the fixture's dataset.
func NewFixture() Fixture {
	f := Fixture{Depts: map[string]string{"tax": FixtureDistricts[0], "hrss": FixtureDistricts[1], "market": FixtureCity}}
	d := &f.Dataset
	d.Regions = append(d.Regions, place.Region{Code: FixtureCity, Name: "宁波市", Level: place.City})
	user := func(name string, role access.Role, region string) demo.User {
		n := len(d.Users)
		return demo.User{Username: name, Password: demo.Password, Name: fmt.Sprintf("测试%02d", n),
			Phone: fmt.Sprintf("1380574%04d", n), Role: role, RegionCode: region}
	}
	d.Users = append(d.Users, user("admin", access.RoleAdmin, ""), user("auditor", access.RoleAuditor, ""),
		user("lawyer", access.RoleLawyer, ""), user("finance", access.RoleFinance, ""),
		user("city", access.RoleCityLeader, FixtureCity))
	cadre := user("cadre", access.RoleCadre, "")
	for di, district := range FixtureDistricts {
		d.Regions = append(d.Regions, place.Region{Code: district, Name: fmt.Sprintf("测试%d区", di+1), Level: place.District, ParentCode: FixtureCity})
		d.Users = append(d.Users, user("district_"+district, access.RoleDistrictLeader, district))
		for si := 1; si <= 2; si++ {
			street := fmt.Sprintf("%s%03d", district, si)
			d.Regions = append(d.Regions, place.Region{Code: street, Name: "街道" + street, Level: place.Street, ParentCode: district})
			d.Users = append(d.Users, user("street_"+street, access.RoleStreetLeader, street))
			for ci := 1; ci <= 2; ci++ {
				community := fmt.Sprintf("%s%03d", street, ci)
				d.Regions = append(d.Regions, place.Region{Code: community, Name: "社区" + community, Level: place.Community,
					ParentCode: street, Industrial: true})
				d.Users = append(d.Users, user("community_"+community, access.RoleCommunityStaff, community))
				for gi := 1; gi <= 2; gi++ {
					grid := fmt.Sprintf("%s%03d", community, gi)
					d.Regions = append(d.Regions, place.Region{Code: grid, Name: "网格" + grid, Level: place.Grid, ParentCode: community})
					if gi == 1 {
						w := user("grid_"+grid, access.RoleGridWorker, grid)
						w.GridCodes = []string{grid}
						d.Users = append(d.Users, w)
					}
					for ei := range 3 {
						n := len(d.Enterprises)
						stem := fmt.Sprintf("91%sFX%07d", district, n)
						c, _ := enterprise.CheckChar(stem)
						e := enterprise.Enterprise{CreditCode: stem + string(c), Name: fmt.Sprintf("测试%02d精密机械有限公司", n),
							GridCode: grid, CommunityCode: community, StreetCode: street, DistrictCode: district, CityCode: FixtureCity,
							LegalRep: "王测试", Contact: "李联系", Phone: fmt.Sprintf("1390574%04d", n), Address: "测试路 1 号",
							Industry: "34", Employees: 12, Revenue: 3_000_000}
						e.Size = enterprise.Classify(e.Industry, e.Employees, e.Revenue)
						d.Enterprises = append(d.Enterprises, e)
						if gi == 1 && ei == 0 {
							u := user("ent_"+community, access.RoleEnterprise, "")
							u.EnterpriseCode = e.CreditCode
							d.Users = append(d.Users, u)
						}
						if ci == 2 && gi == 2 && ei == 2 {
							cadre.Assigned = append(cadre.Assigned, e.CreditCode)
						}
					}
				}
			}
		}
	}
	d.Users = append(d.Users, cadre, user("cadre_idle", access.RoleCadre, ""))
	for _, code := range []string{"tax", "hrss", "market"} {
		d.Departments = append(d.Departments, department.Department{Code: code, Name: code + "局", NameEn: code,
			RegionCode: f.Depts[code], Phone: "0574-86890000"})
		u := user("dept_"+code, access.RoleDepartment, "")
		u.DepartmentCode = code
		d.Users = append(d.Users, u)
	}
	return f
}

// Record is what the oracle knows of one record: an enterprise, or a record
// of one (an appeal, a visit).
type Record struct {
	ID         int64
	Place      place.Ancestry
	Enterprise string   // credit code
	RaisedBy   string   // username of who raised it, where that matters (appeals)
	Depts      []string // codes of the departments it was dispatched to (appeals)
}

// EnterpriseRecords returns a record of every enterprise of the fixture,
// in the dataset's order, with its ID in ids (Store.IDs).
func (f Fixture) EnterpriseRecords(ids map[string]int64) []Record {
	var out []Record
	for _, e := range f.Enterprises {
		out = append(out, Record{ID: ids[e.CreditCode], Enterprise: e.CreditCode, Place: PlaceOf(e)})
	}
	return out
}

// PlaceOf is where an enterprise is.
func PlaceOf(e enterprise.Enterprise) place.Ancestry {
	return place.Ancestry{City: e.CityCode, District: e.DistrictCode, Street: e.StreetCode, Community: e.CommunityCode, Grid: e.GridCode}
}

// Relation is how the principal u stands to the record r.
func (f Fixture) Relation(u demo.User, r Record) Relation {
	switch {
	case u.Role == access.RoleEnterprise && u.EnterpriseCode == r.Enterprise:
		return RelOwn
	case u.Role == access.RoleCadre && slices.Contains(u.Assigned, r.Enterprise):
		return RelAssigned
	case u.Role == access.RoleCadre && r.RaisedBy != "" && r.RaisedBy == u.Username:
		return RelRaised
	case u.Role == access.RoleDepartment && slices.Contains(r.Depts, u.DepartmentCode):
		return RelDispatched
	case u.Role == access.RoleDepartment && r.Place.At(place.LevelOf(f.Depts[u.DepartmentCode])) == f.Depts[u.DepartmentCode]:
		return RelRegion
	case u.RegionCode != "" && r.Place.At(place.LevelOf(u.RegionCode)) == u.RegionCode:
		return RelRegion
	}
	return RelOther
}

// User returns the fixture's account named username (the zero user if none).
func (f Fixture) User(username string) demo.User {
	for _, u := range f.Users {
		if u.Username == username {
			return u
		}
	}
	return demo.User{}
}

// HasAccount reports whether the enterprise with the credit code has an
// enterprise user of its own.
func (f Fixture) HasAccount(creditCode string) bool {
	return slices.ContainsFunc(f.Users, func(u demo.User) bool {
		return u.Role == access.RoleEnterprise && u.EnterpriseCode == creditCode
	})
}

// SameIDs reports whether two sets of IDs are equal.
func SameIDs(a, b map[int64]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for id := range a {
		if !b[id] {
			return false
		}
	}
	return true
}
