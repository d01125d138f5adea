package demo

import (
	"fmt"
	"math/rand/v2"

	"qifu/internal/enterprise"
)

// creditCharset is the character set of the unified social credit code.
const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// gen draws the dataset from one random source, remembering what it has
// handed out so that codes, names and mobile numbers are unique.
type gen struct {
	r      *rand.Rand
	codes  map[string]bool
	names  map[string]bool
	phones map[string]bool
	weight int // sum of industries' weights
}

func newGen(seed uint64) *gen {
	g := &gen{
		r:      rand.New(rand.NewPCG(seed, 0x716966752026)),
		codes:  map[string]bool{},
		names:  map[string]bool{},
		phones: map[string]bool{},
	}
	for _, in := range industries {
		g.weight += in.weight
	}
	return g
}

// between returns a number in [lo, hi].
func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// chance reports true with the given percentage.
func (g *gen) chance(percent int) bool { return g.r.IntN(100) < percent }

// pick returns a random element of s.
func pick[T any](g *gen, s []T) T { return s[g.r.IntN(len(s))] }

// gridSize is the number of enterprises a grid gets: inside the norm,
// away from its edges, unless the grid is one of the deliberate outliers.
func (g *gen) gridSize(spec gridSpec) int {
	if spec.odd > 0 {
		return spec.odd - 2 + g.r.IntN(5)
	}
	return g.between(21, 46)
}

// enterprise makes one enterprise of the grid.
func (g *gen) enterprise(spec gridSpec) enterprise.Enterprise {
	in := g.industry()
	e := enterprise.Enterprise{
		CreditCode:    g.creditCode(),
		GridCode:      spec.ancestry.Grid,
		CommunityCode: spec.ancestry.Community,
		StreetCode:    spec.ancestry.Street,
		DistrictCode:  spec.ancestry.District,
		CityCode:      spec.ancestry.City,
		Industry:      in.division,
		Employees:     g.employees(in),
	}
	e.Revenue = g.revenue(in, e.Employees)
	e.Size = enterprise.Classify(e.Industry, e.Employees, e.Revenue)
	e.ForeignTrade = g.chance(in.trade)
	e.Name = g.enterpriseName(in, e.Size)
	e.LegalRep = g.person()
	e.Contact = e.LegalRep
	if g.chance(60) {
		e.Contact = g.person()
	}
	e.Phone = g.mobile()
	e.Address = g.address(spec.street)
	e.KeyLevel = g.keyLevel(e.Size)
	e.PartyBranch = g.partyBranch(e, spec.community)
	e.Tags = g.tags(in, e)
	return e
}

func (g *gen) industry() industry {
	n := g.r.IntN(g.weight)
	for _, in := range industries {
		if n < in.weight {
			return in
		}
		n -= in.weight
	}
	panic("unreachable")
}

// creditCode returns a fresh unified social credit code of an enterprise
// registered by market regulation (9, 1) in the district.
func (g *gen) creditCode() string {
	for {
		b := []byte("91" + DistrictCode + "000000000")
		for i := 8; i < 17; i++ {
			b[i] = creditCharset[g.r.IntN(len(creditCharset))]
		}
		check, ok := enterprise.CheckChar(string(b[:17]))
		if !ok {
			continue
		}
		code := string(append(b[:17], check))
		if !g.codes[code] {
			g.codes[code] = true
			return code
		}
	}
}

// employees draws the headcount: mostly small workshops, a few big plants.
func (g *gen) employees(in industry) int {
	n := g.r.IntN(100)
	if in.service {
		switch {
		case n < 60:
			return g.between(2, 9)
		case n < 90:
			return g.between(10, 49)
		case n < 99:
			return g.between(50, 199)
		default:
			return g.between(200, 500)
		}
	}
	switch {
	case n < 45:
		return g.between(3, 19)
	case n < 85:
		return g.between(20, 79)
	case n < 95:
		return g.between(80, 299)
	case n < 99:
		return g.between(300, 999)
	default:
		return g.between(1000, 3000)
	}
}

// revenue is headcount times the industry's revenue per employee, in yuan,
// rounded to thousands.
func (g *gen) revenue(in industry, employees int) int64 {
	perCap := int64(g.between(in.perCap[0], in.perCap[1])) * 10_000
	return int64(employees) * perCap / 1000 * 1000
}

// enterpriseName returns a fresh name such as 宁波北仑瑞达模具有限公司.
func (g *gen) enterpriseName(in industry, size enterprise.SizeClass) string {
	suffix := "有限公司"
	if (size == enterprise.SizeLarge || size == enterprise.SizeMedium) && g.chance(40) {
		suffix = "股份有限公司"
	}
	for try := 0; ; try++ {
		name := g.namePrefix() + string(pick(g, tradeFirst)) + string(pick(g, tradeSecond)) + pick(g, in.words) + suffix
		if try > 1000 {
			name = fmt.Sprintf("%s%d", name, try)
		}
		if !g.names[name] {
			g.names[name] = true
			return name
		}
	}
}

func (g *gen) namePrefix() string {
	n := g.r.IntN(100)
	for _, p := range namePrefixes {
		if n < p.weight {
			return p.text
		}
		n -= p.weight
	}
	return namePrefixes[0].text
}

// person returns a fictional Chinese name of two or three characters.
func (g *gen) person() string {
	name := string(pick(g, surnames)) + string(pick(g, givenChars))
	if g.chance(65) {
		name += string(pick(g, givenChars))
	}
	return name
}

// mobile returns a fresh fictional mainland mobile number.
func (g *gen) mobile() string {
	for {
		m := fmt.Sprintf("%s%08d", pick(g, mobilePrefixes), g.r.IntN(100_000_000))
		if !g.phones[m] {
			g.phones[m] = true
			return m
		}
	}
}

// address returns an address on one of the street's roads.
func (g *gen) address(s *streetSpec) string {
	a := fmt.Sprintf("%s%s%s%d号", DistrictName, s.name, pick(g, s.roads), g.between(1, 999))
	if g.chance(30) {
		a += fmt.Sprintf("%d幢", g.between(1, 12))
	}
	return a
}

// keyLevel makes most large enterprises city key enterprises and many
// medium ones district key enterprises.
func (g *gen) keyLevel(size enterprise.SizeClass) enterprise.KeyLevel {
	n := g.r.IntN(100)
	switch size {
	case enterprise.SizeLarge:
		if n < 70 {
			return enterprise.KeyCity
		}
		return enterprise.KeyDistrict
	case enterprise.SizeMedium:
		switch {
		case n < 5:
			return enterprise.KeyCity
		case n < 45:
			return enterprise.KeyDistrict
		}
	case enterprise.SizeSmall:
		if n < 3 {
			return enterprise.KeyDistrict
		}
	}
	return enterprise.KeyNone
}

// partyBranch gives about a fifth of the enterprises a Party organisation:
// large ones their own committee (大企业单建), smaller ones a branch, and
// micro ones the community's joint branch (小微企业联建).
func (g *gen) partyBranch(e enterprise.Enterprise, c *communitySpec) string {
	n := g.r.IntN(100)
	switch e.Size {
	case enterprise.SizeLarge:
		if n < 90 {
			return e.Name + "党委"
		}
	case enterprise.SizeMedium:
		if n < 60 {
			return e.Name + "党支部"
		}
	case enterprise.SizeSmall:
		if n < 28 {
			return e.Name + "党支部"
		}
	default:
		if n < 8 {
			return c.name + "小微企业联合党支部"
		}
	}
	return ""
}

// tags labels the enterprise from the vocabulary, in vocabulary order.
func (g *gen) tags(in industry, e enterprise.Enterprise) []string {
	const wan = 10_000
	manufacturing := !in.service
	var t []string
	small := e.Size == enterprise.SizeSmall || e.Size == enterprise.SizeMicro
	highTech := 40
	if small {
		highTech = 12
	}
	if in.tech && e.Size != enterprise.SizeMicro && g.chance(highTech) {
		t = append(t, tagHighTech)
	}
	if in.tech && small && g.chance(15) {
		t = append(t, tagTechSME)
	}
	if manufacturing && (e.Size == enterprise.SizeSmall || e.Size == enterprise.SizeMedium) && g.chance(5) {
		t = append(t, tagSpecial)
	}
	if e.ForeignTrade {
		t = append(t, tagTrade)
	}
	if manufacturing && e.Revenue >= 2000*wan {
		t = append(t, tagAbove)
	}
	if manufacturing && e.Revenue >= 1500*wan && e.Revenue < 2000*wan {
		t = append(t, tagUpgrading)
	}
	return t
}
