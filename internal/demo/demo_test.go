package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/place"
)

// dataset is generated once; the tests only read it.
var dataset = Generate(1)

func TestGenerateIsDeterministic(t *testing.T) {
	tests := []struct {
		name string
		a, b uint64
		same bool
	}{
		{"same seed", 1, 1, true},
		{"other seed", 1, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := Generate(tt.a), Generate(tt.b)
			if got := reflect.DeepEqual(a, b); got != tt.same {
				t.Errorf("Generate(%d) and Generate(%d) equal = %v, want %v", tt.a, tt.b, got, tt.same)
			}
		})
	}
}

func regionsByCode(t *testing.T) map[string]place.Region {
	t.Helper()
	m := map[string]place.Region{}
	for _, r := range dataset.Regions {
		if _, dup := m[r.Code]; dup {
			t.Fatalf("duplicate region %s", r.Code)
		}
		m[r.Code] = r
	}
	return m
}

func TestRegionTree(t *testing.T) {
	codeLen := map[place.Level]int{place.City: 6, place.District: 6, place.Street: 9, place.Community: 12, place.Grid: 15}
	seen := map[string]place.Region{}
	count := map[place.Level]int{}
	industrial := 0
	for i, r := range dataset.Regions {
		count[r.Level]++
		if len(r.Code) != codeLen[r.Level] || strings.Trim(r.Code, "0123456789") != "" {
			t.Errorf("%s (%s): bad code for level %d", r.Code, r.Name, r.Level)
		}
		if r.Name == "" {
			t.Errorf("%s: no name", r.Code)
		}
		if i > 0 && r.Level < dataset.Regions[i-1].Level {
			t.Errorf("%s: level %d after level %d", r.Code, r.Level, dataset.Regions[i-1].Level)
		}
		if r.Level == place.City {
			if r.ParentCode != "" {
				t.Errorf("city %s has parent %s", r.Code, r.ParentCode)
			}
		} else {
			p, ok := seen[r.ParentCode]
			if !ok {
				t.Errorf("%s: parent %q missing or listed after it", r.Code, r.ParentCode)
			} else if p.Level != r.Level-1 {
				t.Errorf("%s: parent %s is level %d", r.Code, p.Code, p.Level)
			}
			if r.Level > place.District && !strings.HasPrefix(r.Code, r.ParentCode) {
				t.Errorf("%s does not extend its parent's code %s", r.Code, r.ParentCode)
			}
		}
		if r.Industrial {
			industrial++
			if r.Level != place.Community {
				t.Errorf("%s: industrial region at level %d", r.Code, r.Level)
			}
		}
		seen[r.Code] = r
	}
	if count[place.City] != 1 || count[place.District] != 1 {
		t.Errorf("want one city and one district, got %v", count)
	}
	if n := count[place.Street]; n < 5 || n > 7 {
		t.Errorf("%d streets, want 5–7", n)
	}
	if industrial != 12 {
		t.Errorf("%d industrial communities, want 12", industrial)
	}
	if count[place.Community] <= industrial {
		t.Errorf("no ordinary communities among %d", count[place.Community])
	}
}

func TestEnterpriseCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range dataset.Enterprises {
		if err := enterprise.CheckCreditCode(e.CreditCode); err != nil {
			t.Errorf("%s (%s): %v", e.CreditCode, e.Name, err)
		}
		if !strings.HasPrefix(e.CreditCode, "91"+DistrictCode) {
			t.Errorf("%s: not an enterprise code of the district", e.CreditCode)
		}
		if seen[e.CreditCode] {
			t.Errorf("duplicate credit code %s", e.CreditCode)
		}
		seen[e.CreditCode] = true
		if e.ID != 0 {
			t.Errorf("%s: ID %d, want zero", e.CreditCode, e.ID)
		}
	}
}

func TestEnterpriseAncestry(t *testing.T) {
	regions := regionsByCode(t)
	for _, e := range dataset.Enterprises {
		grid, ok := regions[e.GridCode]
		if !ok || grid.Level != place.Grid {
			t.Errorf("%s: grid %q is not a grid of the tree", e.CreditCode, e.GridCode)
			continue
		}
		community := regions[grid.ParentCode]
		street := regions[community.ParentCode]
		district := regions[street.ParentCode]
		city := regions[district.ParentCode]
		got := place.Ancestry{City: e.CityCode, District: e.DistrictCode, Street: e.StreetCode, Community: e.CommunityCode, Grid: e.GridCode}
		want := place.Ancestry{City: city.Code, District: district.Code, Street: street.Code, Community: community.Code, Grid: grid.Code}
		if got != want {
			t.Errorf("%s: ancestry %+v, want %+v", e.CreditCode, got, want)
		}
	}
}

func TestEnterprisesAreNormalizedAndValid(t *testing.T) {
	for _, e := range dataset.Enterprises {
		n := e
		n.Tags = slices.Clone(e.Tags)
		n.Normalize()
		if !reflect.DeepEqual(n, e) {
			t.Errorf("%s: Normalize changed it:\n got %+v\nwant %+v", e.CreditCode, n, e)
		}
		if f := n.Validate(false); len(f) > 0 {
			t.Errorf("%s: invalid: %v", e.CreditCode, f)
		}
	}
}

func TestGridSizes(t *testing.T) {
	perGrid := map[string]int{}
	for _, e := range dataset.Enterprises {
		perGrid[e.GridCode]++
	}
	var below, above int
	for _, r := range dataset.Regions {
		if r.Level != place.Grid {
			continue
		}
		switch n := perGrid[r.Code]; {
		case n < place.GridNormMin:
			below++
		case n > place.GridNormMax:
			above++
		}
	}
	if below != 1 || above != 1 {
		t.Errorf("grids below the norm: %d, above: %d; want exactly one of each", below, above)
	}
	if n := len(dataset.Enterprises); n < 1800 || n > 2200 {
		t.Errorf("%d enterprises, want about 2,000", n)
	}
}

func TestEnterpriseAttributes(t *testing.T) {
	divisions := map[string]bool{}
	for _, d := range enterprise.AllDivisions() {
		divisions[d.Code] = true
	}
	names := map[string]bool{}
	sizes := map[enterprise.SizeClass]int{}
	keys := map[enterprise.KeyLevel]int{}
	var trade, party int
	for _, e := range dataset.Enterprises {
		if !divisions[e.Industry] {
			t.Errorf("%s: unknown division %q", e.CreditCode, e.Industry)
		}
		if got := enterprise.Classify(e.Industry, e.Employees, e.Revenue); got != e.Size {
			t.Errorf("%s: size %q, Classify says %q", e.CreditCode, e.Size, got)
		}
		if !enterprise.ValidMobile(e.Phone) {
			t.Errorf("%s: invalid mobile %q", e.CreditCode, e.Phone)
		}
		if names[e.Name] || !strings.HasSuffix(e.Name, "有限公司") {
			t.Errorf("%s: duplicate or odd name %q", e.CreditCode, e.Name)
		}
		names[e.Name] = true
		if e.LegalRep == "" || e.Contact == "" || e.Address == "" || e.Employees <= 0 || e.Revenue <= 0 {
			t.Errorf("%s: incomplete: %+v", e.CreditCode, e)
		}
		for _, tag := range e.Tags {
			if !slices.Contains(tags, tag) {
				t.Errorf("%s: tag %q not in the vocabulary", e.CreditCode, tag)
			}
		}
		if e.ForeignTrade != slices.Contains(e.Tags, tagTrade) {
			t.Errorf("%s: foreign trade %v but tags %v", e.CreditCode, e.ForeignTrade, e.Tags)
		}
		sizes[e.Size]++
		keys[e.KeyLevel]++
		if e.ForeignTrade {
			trade++
		}
		if e.PartyBranch != "" {
			party++
		}
	}

	n := len(dataset.Enterprises)
	percent := func(k int) int { return k * 100 / n }
	tests := []struct {
		what   string
		got    int
		lo, hi int
	}{
		{"% small and micro", percent(sizes[enterprise.SizeSmall] + sizes[enterprise.SizeMicro]), 75, 95},
		{"% medium", percent(sizes[enterprise.SizeMedium]), 3, 20},
		{"large", sizes[enterprise.SizeLarge], 1, n / 20},
		{"% foreign trade", percent(trade), 20, 40},
		{"% with a Party branch", percent(party), 12, 28},
		{"city key enterprises", keys[enterprise.KeyCity], 1, keys[enterprise.KeyDistrict] - 1},
		{"district key enterprises", keys[enterprise.KeyDistrict], 20, n / 10},
	}
	for _, tt := range tests {
		if tt.got < tt.lo || tt.got > tt.hi {
			t.Errorf("%s: %d, want %d–%d", tt.what, tt.got, tt.lo, tt.hi)
		}
	}
}

func TestDepartments(t *testing.T) {
	if len(dataset.Departments) != 23 {
		t.Errorf("%d departments, want 23", len(dataset.Departments))
	}
	for _, d := range dataset.Departments {
		if d.RegionCode != DistrictCode || d.Phone == "" {
			t.Errorf("%s: region %q, phone %q", d.Code, d.RegionCode, d.Phone)
		}
	}
}

// regionLevel is the level of the region each regional role is scoped to.
var regionLevel = map[access.Role]place.Level{
	access.RoleGridWorker:     place.Grid,
	access.RoleCommunityStaff: place.Community,
	access.RoleStreetLeader:   place.Street,
	access.RoleDistrictLeader: place.District,
	access.RoleCityLeader:     place.City,
}

func TestUsers(t *testing.T) {
	regions := regionsByCode(t)
	enterprises := map[string]enterprise.Enterprise{}
	for _, e := range dataset.Enterprises {
		enterprises[e.CreditCode] = e
	}
	departments := map[string]bool{}
	for _, d := range dataset.Departments {
		departments[d.Code] = true
	}

	usernames := map[string]bool{}
	roles := map[access.Role]bool{}
	workers := map[string]int{}
	staffed := map[string]bool{}
	for _, u := range dataset.Users {
		if usernames[u.Username] {
			t.Errorf("duplicate username %q", u.Username)
		}
		usernames[u.Username] = true
		roles[u.Role] = true
		if u.Password != Password || u.Name == "" || !enterprise.ValidMobile(u.Phone) {
			t.Errorf("%s: incomplete account %+v", u.Username, u)
		}
		if lvl, ok := regionLevel[u.Role]; ok {
			if r, ok := regions[u.RegionCode]; !ok || r.Level != lvl {
				t.Errorf("%s (%s): region %q is not a level-%d region", u.Username, u.Role, u.RegionCode, lvl)
			}
		}
		for _, g := range u.GridCodes {
			workers[g]++
			if u.Role != access.RoleGridWorker || g != u.RegionCode {
				t.Errorf("%s (%s): grid %s outside its scope %s", u.Username, u.Role, g, u.RegionCode)
			}
		}
		switch u.Role {
		case access.RoleGridWorker:
			if len(u.GridCodes) == 0 {
				t.Errorf("%s: grid worker without a grid", u.Username)
			}
		case access.RoleCommunityStaff:
			staffed[u.RegionCode] = true
		case access.RoleDepartment:
			want := "dept_" + u.DepartmentCode
			if u.OfficeCode != "" {
				want += "_" + u.OfficeCode // an office's staff
			}
			// a second member of staff signs off what the first edits (精准推送)
			if !departments[u.DepartmentCode] || (u.Username != want && u.Username != "dept_"+u.DepartmentCode+"2") {
				t.Errorf("%s: department %q", u.Username, u.DepartmentCode)
			}
		case access.RoleEnterprise:
			if _, ok := enterprises[u.EnterpriseCode]; !ok {
				t.Errorf("%s: unknown enterprise %q", u.Username, u.EnterpriseCode)
			}
		case access.RoleCadre:
			if len(u.Assigned) == 0 {
				t.Errorf("%s: cadre with no enterprises", u.Username)
			}
			for _, c := range u.Assigned {
				if _, ok := enterprises[c]; !ok {
					t.Errorf("%s: assigned to unknown enterprise %q", u.Username, c)
				}
			}
		}
	}
	for _, r := range access.Roles {
		if !roles[r] && access.SignsIn(r) { // a connected system's account is an administrator's to make
			t.Errorf("no user with role %s", r)
		}
	}
	for _, r := range dataset.Regions {
		if r.Level == place.Grid && workers[r.Code] != 1 {
			t.Errorf("grid %s has %d workers, want 1", r.Code, workers[r.Code])
		}
		if r.Industrial && !staffed[r.Code] {
			t.Errorf("industrial community %s has no staff", r.Code)
		}
	}
	for _, d := range dataset.Departments {
		if !usernames["dept_"+d.Code] {
			t.Errorf("department %s has no staff", d.Code)
		}
	}
}

func TestKeyEnterprisesCovered(t *testing.T) {
	covered := map[string]bool{}
	for _, u := range dataset.Users {
		for _, c := range u.Assigned {
			covered[c] = true
		}
	}
	for _, e := range dataset.Enterprises {
		if e.KeyLevel != enterprise.KeyNone && !covered[e.CreditCode] {
			t.Errorf("key enterprise %s has no cadre", e.CreditCode)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	classes := 0
	for _, in := range []func(rune) bool{unicode.IsUpper, unicode.IsLower, unicode.IsDigit, func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r)
	}} {
		if strings.IndexFunc(Password, in) >= 0 {
			classes++
		}
	}
	if len(Password) < 8 || classes < 3 {
		t.Errorf("demo password %q fails the policy: length %d, %d classes", Password, len(Password), classes)
	}
}

func TestAccounts(t *testing.T) {
	accounts := dataset.Accounts()
	byName := map[string]User{}
	roles := map[access.Role]bool{}
	for _, u := range accounts {
		byName[u.Username] = u
		roles[u.Role] = true
	}
	var names []string
	for _, u := range accounts {
		names = append(names, u.Username)
	}
	if !slices.Equal(names, showcase) {
		t.Errorf("Accounts() = %v, want %v", names, showcase)
	}
	for _, r := range access.Roles {
		if !roles[r] && access.SignsIn(r) {
			t.Errorf("no showcase account with role %s", r)
		}
	}

	grid := byName["grid"].GridCodes
	community := byName["community"].RegionCode
	if len(grid) != 1 || !strings.HasPrefix(grid[0], community) || grid[0] != community+"001" {
		t.Errorf("showcase grid %v is not the first grid of showcase community %s", grid, community)
	}
	if street := byName["street_leader"].RegionCode; !strings.HasPrefix(community, street) {
		t.Errorf("showcase community %s is not in showcase street %s", community, street)
	}
	regions := regionsByCode(t)
	if !regions[community].Industrial {
		t.Errorf("showcase community %s is not industrial", community)
	}

	enterprises := map[string]enterprise.Enterprise{}
	for _, e := range dataset.Enterprises {
		enterprises[e.CreditCode] = e
	}
	if e := enterprises[byName["enterprise"].EnterpriseCode]; e.GridCode != grid[0] {
		t.Errorf("showcase enterprise %s is in grid %s, want %s", e.CreditCode, e.GridCode, grid[0])
	}
	cadre := byName["cadre"].Assigned
	if len(cadre) != cadreShare {
		t.Errorf("showcase cadre has %d enterprises, want %d", len(cadre), cadreShare)
	}
	for _, c := range cadre {
		if e := enterprises[c]; e.CommunityCode != community {
			t.Errorf("showcase cadre's enterprise %s is in community %s, want %s", c, e.CommunityCode, community)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		Generate(1)
	}
}
