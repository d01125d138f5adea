// Package enterprise holds the small and micro enterprises qifu serves: their
// identity (the unified social credit code), the attributes used for routing,
// matching and policy eligibility, and the rules that check them.
package enterprise

import "time"

// Enterprise is one registered enterprise (企业). Every enterprise belongs to
// exactly one grid; the codes of the grid's ancestors are kept beside it so
// that scope filters are plain column comparisons.
type Enterprise struct {
	ID         int64
	CreditCode string // 统一社会信用代码, 18 characters (GB 32100-2015)
	// CodeUnconfirmed marks a credit code that fails the check character and
	// was imported anyway, pending confirmation by staff.
	CodeUnconfirmed bool
	Name            string
	LegalRep        string // 法定代表人
	Contact         string // 联系人
	Phone           string // mainland mobile number of the contact
	Address         string

	GridCode      string // 网格
	CommunityCode string // 社区, derived from the grid
	StreetCode    string // 街道/镇乡, derived from the grid
	DistrictCode  string // 区县市, derived from the grid
	CityCode      string // 市, derived from the grid

	Industry     string    // GB/T 4754-2017 division code, two digits ("34")
	Employees    int       // 从业人员
	Revenue      int64     // annual revenue (营业收入) in yuan; shown in 万元
	Size         SizeClass // 大/中/小/微, derived by Classify
	ForeignTrade bool      // 外贸企业
	KeyLevel     KeyLevel  // 重点企业 level
	PartyBranch  string    // 党支部 name, empty when none
	Tags         []string

	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // optimistic concurrency: every update bumps it
}

// SizeClass is the size class of the 2017 statistical rules (统计上大中小微型企业划分办法).
type SizeClass string

// The size classes.
const (
	SizeLarge  SizeClass = "large"  // 大型
	SizeMedium SizeClass = "medium" // 中型
	SizeSmall  SizeClass = "small"  // 小型
	SizeMicro  SizeClass = "micro"  // 微型
)

// KeyLevel says whether an enterprise is a key enterprise (重点企业) and of which level.
type KeyLevel string

// The key-enterprise levels.
const (
	KeyNone     KeyLevel = ""
	KeyDistrict KeyLevel = "district" // 区级重点
	KeyCity     KeyLevel = "city"     // 市级重点
)
