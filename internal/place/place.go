// Package place holds the region tree qifu is organised by: city (市) →
// district/county (区县市) → street/town (街道/镇乡) → community (社区) → grid (网格).
package place

import "qifu/internal/fault"

// Level is a level of the region tree.
type Level int

// The levels, from the top.
const (
	City      Level = 1 // 市, GB/T 2260 six-digit code
	District  Level = 2 // 区县市, GB/T 2260 six-digit code
	Street    Level = 3 // 街道/镇乡, nine-digit statistical code
	Community Level = 4 // 社区/村, twelve-digit statistical code
	Grid      Level = 5 // 网格, the community's code and a three-digit number
)

// Region is one node of the tree. Codes are the keys: they are stable,
// official where an official code exists, and readable in exports.
type Region struct {
	Code       string
	Name       string
	Level      Level
	ParentCode string // empty for a city
	// Industrial marks an industrial community (产业社区).
	Industrial bool
	// WorkerID is the responsible grid worker (网格员) of a grid; zero elsewhere.
	WorkerID int64
}

// Ancestry holds the codes of a grid and all its ancestors.
type Ancestry struct {
	City, District, Street, Community, Grid string
}

// GridNormMin and GridNormMax bound the number of enterprises a grid is
// expected to hold (网格包片制: 20–50).
const (
	GridNormMin = 20
	GridNormMax = 50
)

// At returns the code of the ancestor at level l ("" when l is not a level).
func (a Ancestry) At(l Level) string {
	switch l {
	case City:
		return a.City
	case District:
		return a.District
	case Street:
		return a.Street
	case Community:
		return a.Community
	case Grid:
		return a.Grid
	}
	return ""
}

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { return l >= City && l <= Grid }

// Zh returns the Chinese name of the level.
func (l Level) Zh() string {
	return [...]string{"", "市", "区县市", "街道/镇乡", "社区", "网格"}[l.index()]
}

// En returns the English name of the level.
func (l Level) En() string {
	return [...]string{"", "city", "district", "street", "community", "grid"}[l.index()]
}

func (l Level) index() int {
	if !l.Valid() {
		return 0
	}
	return int(l)
}

// codeLength is the length of a region code at each level.
var codeLength = [...]int{City: 6, District: 6, Street: 9, Community: 12, Grid: 15}

// CheckCode checks that code has the form of a level-l code: digits only, of
// the level's length (GB/T 2260 six digits for city and district, the
// statistical nine and twelve digits for street and community, fifteen for a
// grid); a city code ends in 00.
func CheckCode(code string, l Level) error {
	if !l.Valid() {
		return fault.New(fault.Invalid, "region_level", "区划层级无效", "invalid region level")
	}
	if len(code) != codeLength[l] {
		return fault.New(fault.Invalid, "region_code", "区划代码位数不正确", "the region code has the wrong length")
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return fault.New(fault.Invalid, "region_code", "区划代码只能由数字组成", "region codes are digits only")
		}
	}
	if l == City && code[4:] != "00" {
		return fault.New(fault.Invalid, "region_code", "市级区划代码应以 00 结尾", "a city code ends in 00")
	}
	return nil
}

// LevelOf tells the level of a well-formed code from its form: six digits
// ending in 00 is a city (GB/T 2260), other six-digit codes are districts.
func LevelOf(code string) Level {
	switch len(code) {
	case 6:
		if code[4:] == "00" {
			return City
		}
		return District
	case 9:
		return Street
	case 12:
		return Community
	case 15:
		return Grid
	}
	return 0
}

// Prefix returns the prefix shared by the codes of the region and of every
// region under it: a city's first four digits (its districts are 3302xx for
// city 330200), otherwise the whole code.
func Prefix(code string) string {
	if LevelOf(code) == City {
		return code[:4]
	}
	return code
}

// Above returns the codes of the regions above the one of code, nearest
// first, as the form of the codes tells them: a grid's community is its
// first twelve digits, a community's street its first nine, a street's
// district its first six, and a district's city its first four and 00.
func Above(code string) []string {
	var up []string
	for {
		switch LevelOf(code) {
		case Grid:
			code = code[:12]
		case Community:
			code = code[:9]
		case Street:
			code = code[:6]
		case District:
			code = code[:4] + "00"
		default:
			return up
		}
		up = append(up, code)
	}
}

// AncestryOf is the ancestry of a region code as the form of the codes
// tells it: the region itself and every region above it.
func AncestryOf(code string) Ancestry {
	var a Ancestry
	for _, c := range append([]string{code}, Above(code)...) {
		switch LevelOf(c) {
		case Grid:
			a.Grid = c
		case Community:
			a.Community = c
		case Street:
			a.Street = c
		case District:
			a.District = c
		case City:
			a.City = c
		}
	}
	return a
}
