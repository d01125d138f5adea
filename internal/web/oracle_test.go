package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/enterprise"
)

// dataset is the demo dataset every test store is loaded with, and the oracle
// the tests compare the answers against. Tests only read it.
var dataset = demo.Generate(1)

// showcase are the accounts printed at start, one per role (two departments).
var showcase = dataset.Accounts()

// demoAccount returns the demo account named username.
func demoAccount(username string) demo.User {
	for _, u := range dataset.Users {
		if u.Username == username {
			return u
		}
	}
	panic("no demo user " + username)
}

// Places and records of the dataset the tests use by name.
var (
	showGrid      = demoAccount("grid").RegionCode      // the showcase grid worker's grid
	showCommunity = demoAccount("community").RegionCode // its community
	showStreet    = demoAccount("street_leader").RegionCode
	// byCode is the dataset's enterprises by credit code.
	byCode = func() map[string]enterprise.Enterprise {
		m := map[string]enterprise.Enterprise{}
		for _, e := range dataset.Enterprises {
			m[e.CreditCode] = e
		}
		return m
	}()
	// parentOf is the dataset's region tree: code → parent code.
	parentOf = func() map[string]string {
		m := map[string]string{}
		for _, r := range dataset.Regions {
			m[r.Code] = r.ParentCode
		}
		return m
	}()
)

// ancestors returns a region code and the codes of all regions above it.
func ancestors(code string) map[string]bool {
	m := map[string]bool{}
	for c := code; c != ""; c = parentOf[c] {
		m[c] = true
	}
	return m
}

// gridUsers returns the grid workers of the dataset whose grid is under the
// region code, other than the showcase one, in dataset order.
func gridUsers(under string) []demo.User {
	var us []demo.User
	for _, u := range dataset.Users {
		if u.Role == access.RoleGridWorker && u.Username != "grid" && ancestors(u.RegionCode)[under] {
			us = append(us, u)
		}
	}
	return us
}

// testCodePrefix starts the credit codes the tests make up.
const testCodePrefix = "91330206T"

// codeSeq numbers the credit codes the tests make up.
var codeSeq atomic.Int64

// newCreditCode returns a valid credit code that is not in the dataset and
// was not returned before.
func newCreditCode() string {
	for {
		first17 := fmt.Sprintf("%s%08d", testCodePrefix, codeSeq.Add(1))
		c, ok := enterprise.CheckChar(first17)
		if !ok {
			continue
		}
		if code := first17 + string(c); byCode[code].CreditCode == "" {
			return code
		}
	}
}

// newInput returns a valid new enterprise in grid.
func newInput(grid string) enterpriseInput {
	code := newCreditCode()
	return enterpriseInput{CreditCode: code, Name: "测试精密机械" + code[9:17] + "有限公司", Contact: "王测试",
		Phone: "139" + code[9:17], GridCode: grid, Industry: "35", Employees: 12, Revenue: 1_250_000}
}

// inputOf returns what a client sends to change e to itself.
func inputOf(e enterpriseJSON) enterpriseInput {
	return enterpriseInput{CreditCode: e.CreditCode, Name: e.Name, LegalRep: e.LegalRep, Contact: e.Contact, Phone: e.Phone,
		Address: e.Address, GridCode: e.GridCode, Industry: e.Industry, Employees: e.Employees, Revenue: e.Revenue,
		ForeignTrade: e.ForeignTrade, KeyLevel: e.KeyLevel, PartyBranch: e.PartyBranch, Tags: e.Tags, Version: e.Version}
}

// formOf returns the enterprise form filled in with in.
func formOf(in enterpriseInput) url.Values {
	v := url.Values{"credit_code": {in.CreditCode}, "name": {in.Name}, "legal_rep": {in.LegalRep}, "contact": {in.Contact},
		"phone": {in.Phone}, "address": {in.Address}, "grid_code": {in.GridCode}, "industry": {in.Industry},
		"employees": {fmt.Sprint(in.Employees)}, "revenue": {enterprise.FormatWan(in.Revenue)}, "key_level": {string(in.KeyLevel)},
		"party_branch": {in.PartyBranch}, "tags": {strings.Join(in.Tags, "、")}}
	if in.ForeignTrade {
		v.Set("foreign_trade", "1")
	}
	if in.Version > 0 {
		v.Set("version", fmt.Sprint(in.Version))
	}
	return v
}

// scope is what the oracle knows of a demo account: its reach and the
// region, enterprise or assignments the reach is measured against.
type scope struct {
	user     demo.User
	region   string          // regional roles' region; department staff: their department's
	assigned map[string]bool // cadres: credit codes
}

func scopeOf(u demo.User) scope {
	sc := scope{user: u, region: u.RegionCode, assigned: map[string]bool{}}
	if u.Role == access.RoleDepartment {
		for _, d := range dataset.Departments {
			if d.Code == u.DepartmentCode {
				sc.region = d.RegionCode
			}
		}
	}
	for _, c := range u.Assigned {
		sc.assigned[c] = true
	}
	return sc
}

// allows is the oracle: whether the account may take action on e, read off
// the permission table's reach and the dataset, independently of Allows.
func (sc scope) allows(action access.Action, e enterprise.Enterprise) bool {
	switch access.ReachOf(sc.user.Role, action) {
	case access.All:
		return true
	case access.Region:
		if sc.region == "" {
			return false
		}
		for _, code := range []string{e.CityCode, e.DistrictCode, e.StreetCode, e.CommunityCode, e.GridCode} {
			if code == sc.region {
				return true
			}
		}
		return false
	case access.Assigned:
		return sc.assigned[e.CreditCode]
	case access.Own:
		return sc.user.EnterpriseCode != "" && e.CreditCode == sc.user.EnterpriseCode
	}
	return false
}

// codes returns the credit codes of the dataset's enterprises the account
// may take action on.
func (sc scope) codes(action access.Action) map[string]bool {
	m := map[string]bool{}
	for _, e := range dataset.Enterprises {
		if sc.allows(action, e) {
			m[e.CreditCode] = true
		}
	}
	return m
}

// pick returns the first enterprise of the dataset for which want holds.
func pick(want func(e enterprise.Enterprise) bool) (enterprise.Enterprise, bool) {
	for _, e := range dataset.Enterprises {
		if want(e) {
			return e, true
		}
	}
	return enterprise.Enterprise{}, false
}

// placed returns an enterprise in grid with the codes of the grid's
// ancestors, for asking the oracle about a grid.
func placed(grid string) enterprise.Enterprise {
	e := enterprise.Enterprise{GridCode: grid, CommunityCode: parentOf[grid]}
	e.StreetCode = parentOf[e.CommunityCode]
	e.DistrictCode = parentOf[e.StreetCode]
	e.CityCode = parentOf[e.DistrictCode]
	return e
}

// grids returns the dataset's grid codes in order.
func grids() []string {
	var gs []string
	for _, r := range dataset.Regions {
		if parentOf[r.Code] != "" && len(r.Code) == 15 {
			gs = append(gs, r.Code)
		}
	}
	return gs
}

// sees reports whether the account may read the user target, by the
// oracle: its reach for reading users and the target's region.
func (sc scope) sees(target demo.User) bool {
	if target.Username == sc.user.Username {
		return true
	}
	switch access.ReachOf(sc.user.Role, access.UserRead) {
	case access.All:
		return true
	case access.Region:
		return sc.region != "" && target.RegionCode != "" && ancestors(target.RegionCode)[sc.region]
	}
	return false
}

// want is the status of an action on a record: ok when the account may
// take it, 403 when it only sees the record, 404 when it does not see it.
func (sc scope) want(action access.Action, e enterprise.Enterprise, ok int) int {
	switch {
	case sc.allows(action, e):
		return ok
	case sc.allows(access.EnterpriseRead, e):
		return http.StatusForbidden
	}
	return http.StatusNotFound
}

// may is ok when the role may take action on anything, else 403.
func may(u demo.User, action access.Action, ok int) int {
	if access.May(u.Role, action) {
		return ok
	}
	return http.StatusForbidden
}

// notService is the answer to a connected system's route on another
// role's account: 404 to those who manage users, refused at the door
// otherwise.
func notService(u demo.User) int {
	if access.May(u.Role, access.UserManage) {
		return http.StatusNotFound
	}
	return http.StatusForbidden
}
