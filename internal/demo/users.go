package demo

import (
	"slices"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/place"
)

// cadreShare is how many enterprises of the showcase community the showcase
// cadre is assigned to.
const cadreShare = 10

// users makes the accounts: the showcase ones first, then a worker for every
// other grid, staff for every other industrial community, a leader for every
// other street, staff for every department and a liaison cadre per street for
// its key enterprises.
func (g *gen) users(d Dataset, grids []gridSpec) []User {
	show := grids[0].ancestry // the first grid of the showcase community
	account := func(username string, role access.Role) User {
		return User{Username: username, Password: Password, Name: g.person(), Phone: g.mobile(), Role: role}
	}
	regional := func(username string, role access.Role, region string) User {
		u := account(username, role)
		u.RegionCode = region
		return u
	}

	var us []User
	us = append(us,
		account("admin", access.RoleAdmin),
		account("auditor", access.RoleAuditor),
		regional("city_leader", access.RoleCityLeader, CityCode),
		regional("district_leader", access.RoleDistrictLeader, DistrictCode),
		regional("street_leader", access.RoleStreetLeader, show.Street),
		regional("community", access.RoleCommunityStaff, show.Community),
	)
	grid := regional("grid", access.RoleGridWorker, show.Grid)
	grid.GridCodes = []string{show.Grid}
	us = append(us, grid)

	depts := map[string]User{}
	for _, dep := range d.Departments {
		u := account("dept_"+dep.Code, access.RoleDepartment)
		u.DepartmentCode = dep.Code
		depts[dep.Code] = u
	}
	us = append(us, depts["tax"], depts["market"])

	cadre := account("cadre", access.RoleCadre)
	cadre.Assigned = cadreEnterprises(d.Enterprises, show.Community)
	cadre.HomeUnit = "区经信局"
	us = append(us, cadre)

	ent := showcaseEnterprise(d.Enterprises, show.Grid)
	us = append(us, User{Username: "enterprise", Password: Password, Name: ent.Contact, Phone: ent.Phone,
		Role: access.RoleEnterprise, EnterpriseCode: ent.CreditCode})

	us = append(us, account("lawyer", access.RoleLawyer), account("finance", access.RoleFinance),
		regional("organisation", access.RoleOrganisation, DistrictCode))

	// Everyone else, in region order.
	for _, s := range d.Regions {
		if s.Level == place.Street && s.Code != show.Street {
			us = append(us, regional("street_leader_"+s.Code, access.RoleStreetLeader, s.Code))
		}
	}
	for _, c := range d.Regions {
		if c.Industrial && c.Code != show.Community {
			us = append(us, regional("community_"+c.Code, access.RoleCommunityStaff, c.Code))
		}
	}
	for _, spec := range grids[1:] {
		u := regional("grid_"+spec.region.Code, access.RoleGridWorker, spec.region.Code)
		u.GridCodes = []string{spec.region.Code}
		us = append(us, u)
	}
	for _, dep := range d.Departments {
		if dep.Code != "tax" && dep.Code != "market" {
			us = append(us, depts[dep.Code])
		}
	}
	// The tax branch of the showcase street: its staff sign for what is
	// dispatched straight to it, and for the bureau's as a whole.
	branch := account("dept_tax_s"+show.Street[6:], access.RoleDepartment)
	branch.DepartmentCode, branch.OfficeCode = "tax", "s"+show.Street[6:]
	us = append(us, branch)
	us = append(us, g.streetCadres(d, cadre.Assigned)...)
	// A second member of staff of the departments that keep the demo's
	// policies (精准推送), who signs off the dry runs the first edits. Made
	// last, so that every other account stays as it was.
	for _, code := range []string{"econ", "commerce", "devreform", "finoffice", "hrss", "sci"} {
		u := account("dept_"+code+"2", access.RoleDepartment)
		u.DepartmentCode = code
		us = append(us, u)
	}
	return us
}

// cadreEnterprises picks the showcase cadre's enterprises in the community:
// its key enterprises first, then others spread over its grids.
func cadreEnterprises(es []enterprise.Enterprise, community string) []string {
	var key, other []string
	for _, e := range es {
		switch {
		case e.CommunityCode != community:
		case e.KeyLevel != enterprise.KeyNone:
			key = append(key, e.CreditCode)
		default:
			other = append(other, e.CreditCode)
		}
	}
	assigned := slices.Clone(key[:min(len(key), cadreShare)])
	if rest := cadreShare - len(assigned); rest > 0 && len(other) > 0 {
		step := max(1, len(other)/rest)
		for i := 0; i < len(other) && len(assigned) < cadreShare; i += step {
			assigned = append(assigned, other[i])
		}
	}
	return assigned
}

// showcaseEnterprise picks the enterprise user's enterprise in the grid: a
// small foreign-trade enterprise, the kind the seeds' stories are about, or
// else the grid's first enterprise.
func showcaseEnterprise(es []enterprise.Enterprise, grid string) enterprise.Enterprise {
	var first *enterprise.Enterprise
	for i := range es {
		e := &es[i]
		if e.GridCode != grid {
			continue
		}
		if first == nil {
			first = e
		}
		if e.ForeignTrade && e.Size == enterprise.SizeSmall {
			return *e
		}
	}
	return *first
}

// streetCadres makes one liaison cadre per street (联企干部), assigned to the
// street's key enterprises the showcase cadre does not already cover, so
// that every key enterprise has someone (三个全覆盖).
func (g *gen) streetCadres(d Dataset, taken []string) []User {
	covered := map[string]bool{}
	for _, c := range taken {
		covered[c] = true
	}
	byStreet := map[string][]string{}
	for _, e := range d.Enterprises {
		if e.KeyLevel != enterprise.KeyNone && !covered[e.CreditCode] {
			byStreet[e.StreetCode] = append(byStreet[e.StreetCode], e.CreditCode)
		}
	}
	var us []User
	for _, r := range d.Regions {
		if r.Level != place.Street || len(byStreet[r.Code]) == 0 {
			continue
		}
		us = append(us, User{Username: "cadre_" + r.Code, Password: Password, Name: g.person(),
			Phone: g.mobile(), Role: access.RoleCadre, Assigned: byStreet[r.Code], HomeUnit: homeUnits[len(us)%len(homeUnits)]})
	}
	return us
}

// homeUnits are the units the demo's street liaison cadres come from.
var homeUnits = []string{"区发改局", "区商务局", "区科技局", "区财政局", "区人力社保局", "区住建局", "区交通运输局"}
