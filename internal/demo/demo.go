// Package demo generates a realistic fictional district, modelled on Beilun
// (宁波市 → 北仑区), for demos and tests: its region tree with twelve
// industrial communities and their grids, about 2,000 enterprises, the 23
// departments of its 锋领企服联盟, and an account for every role. The same
// seed always gives the same dataset.
package demo

import (
	"fmt"
	"strings"

	"qifu/internal/access"
	"qifu/internal/department"
	"qifu/internal/enterprise"
	"qifu/internal/place"
)

// Password is the password of every demo account.
const Password = "Qifu@2026"

// Dataset is everything the demo puts into a store.
type Dataset struct {
	Regions     []place.Region          // parents before children: city, district, streets, communities, grids
	Departments []department.Department // RegionCode = the district
	Enterprises []enterprise.Enterprise // ID zero; all region codes filled
	// Offices are the tax bureau's branches and market supervision's
	// stations, one per street (DepartmentID zero: the department is
	// DepartmentCode's).
	Offices []Office
	Users   []User
	// Projects are key projects of key enterprises, each with the cadre
	// (by username) who answers for the enterprise.
	Projects []Project
}

// Project is a key project of the demo.
type Project struct {
	CreditCode, Name string
	Stage            enterprise.Stage
	Investment       int64 // yuan
	Cadre            string
}

// Office is a department's office of the demo.
type Office struct {
	DepartmentCode string
	department.Office
}

// User is a demo account.
type User struct {
	Username, Password, Name, Phone string
	Role                            access.Role
	// RegionCode is the region of a regional role's scope: a grid worker's
	// grid, a community staff member's community, a leader's street,
	// district or city.
	RegionCode     string
	DepartmentCode string   // department staff
	OfficeCode     string   // department staff of an office: its code
	HomeUnit       string   // cadres: the unit that sent them (派出单位)
	EnterpriseCode string   // enterprise users: the credit code of their enterprise
	Assigned       []string // cadres: credit codes of the enterprises they are stationed at or liaise with
	GridCodes      []string // grid workers: the grids they are responsible for (exactly one worker per grid)
}

// showcase lists the usernames of the accounts printed at start, one per
// role (two for departments), in the order they are printed.
var showcase = []string{
	"admin", "auditor", "city_leader", "district_leader", "street_leader",
	"community", "grid", "dept_tax", "dept_market", "cadre", "enterprise",
	"lawyer", "finance", "organisation",
}

// Generate returns the demo dataset for seed.
func Generate(seed uint64) Dataset {
	g := newGen(seed)
	var d Dataset
	var grids []gridSpec
	d.Regions, grids = regions()

	d.Departments = department.Alliance()
	for i := range d.Departments {
		d.Departments[i].RegionCode = DistrictCode
		d.Departments[i].Phone = fmt.Sprintf("0574-86891%03d", 101+i)
	}

	for _, spec := range grids {
		n := g.gridSize(spec)
		for range n {
			d.Enterprises = append(d.Enterprises, g.enterprise(spec))
		}
	}

	for _, r := range d.Regions {
		if r.Level != place.Street {
			continue
		}
		short := strings.TrimSuffix(strings.TrimSuffix(r.Name, "街道"), "镇")
		code := "s" + r.Code[6:]
		d.Offices = append(d.Offices,
			Office{"tax", department.Office{Code: code, Name: short + "税务分局", NameEn: "Taxation branch " + r.Code[6:], RegionCode: r.Code}},
			Office{"market", department.Office{Code: code, Name: short + "市场监管所", NameEn: "Market supervision station " + r.Code[6:], RegionCode: r.Code}})
	}
	d.Users = g.users(d, grids)
	d.Projects = projects(d)
	return d
}

// Accounts returns the showcase accounts, one per role, for printing at start.
func (d Dataset) Accounts() []User {
	byName := make(map[string]User, len(d.Users))
	for _, u := range d.Users {
		byName[u.Username] = u
	}
	var us []User
	for _, name := range showcase {
		if u, ok := byName[name]; ok {
			us = append(us, u)
		}
	}
	return us
}

// projects gives one key enterprise of each street's cadres a key project,
// and the showcase cadre two.
func projects(d Dataset) []Project {
	kinds := []string{"智能化技术改造", "新厂房扩建", "数字化车间建设", "研发中心建设", "绿色低碳改造"}
	var out []Project
	seen := map[string]bool{}
	for _, u := range d.Users {
		if u.Role != access.RoleCadre {
			continue
		}
		n := 1
		if u.Username == "cadre" {
			n = 2
		}
		for _, code := range u.Assigned {
			if n == 0 || seen[code] {
				continue
			}
			seen[code] = true
			n--
			i := len(out)
			out = append(out, Project{CreditCode: code, Name: kinds[i%len(kinds)] + "项目", Stage: enterprise.Stages[i%len(enterprise.Stages)],
				Investment: int64(2000+i*1500) * 10000, Cadre: u.Username})
		}
	}
	return out
}
