package demo

import (
	"fmt"

	"qifu/internal/place"
)

// The demo district, modelled on Beilun: its city and its own code.
const (
	CityCode     = "330200"
	CityName     = "宁波市"
	DistrictCode = "330206"
	DistrictName = "北仑区"
)

// streetSpec is one street or town of the demo district.
type streetSpec struct {
	suffix      string // the three digits after the district code
	name        string
	roads       []string
	communities []communitySpec
}

// communitySpec is one community of a street. Grids are numbered 001 up.
type communitySpec struct {
	suffix     string // the three digits after the street code
	name       string
	industrial bool
	grids      int
	// odd is the number of enterprises of the community's last grid when
	// that grid is deliberately outside the norm of 20–50; zero otherwise.
	odd int
}

// district lays out the demo district. The first community of the first
// street is the showcase: its staff, its first grid's worker, a cadre and an
// enterprise user of that grid are the accounts printed at start.
var district = []streetSpec{
	{suffix: "001", name: "新碶街道", roads: []string{"明州路", "长江路", "黄山路", "庐山路", "岷山路", "太河路", "华山路"},
		communities: []communitySpec{
			{suffix: "001", name: "大港社区", industrial: true, grids: 5},
			{suffix: "002", name: "星阳社区", industrial: true, grids: 4},
			{suffix: "003", name: "明州社区", grids: 1},
		}},
	{suffix: "002", name: "小港街道", roads: []string{"红联路", "江南路", "渡口路", "枫林路", "衡山路"},
		communities: []communitySpec{
			{suffix: "001", name: "红联社区", industrial: true, grids: 4},
			{suffix: "002", name: "下邵社区", industrial: true, grids: 4},
			{suffix: "003", name: "枫林社区", grids: 1},
		}},
	{suffix: "003", name: "大碶街道", roads: []string{"灵峰路", "横杨路", "沿山河路", "通山路", "青山路", "嵩山路"},
		communities: []communitySpec{
			{suffix: "001", name: "横杨社区", industrial: true, grids: 6},
			{suffix: "002", name: "灵峰社区", industrial: true, grids: 6, odd: 58},
			{suffix: "003", name: "坝头社区", industrial: true, grids: 4},
			{suffix: "004", name: "太平社区", grids: 1},
		}},
	{suffix: "004", name: "霞浦街道", roads: []string{"霞浦路", "新港路", "恒山路", "物流路"},
		communities: []communitySpec{
			{suffix: "001", name: "霞浦社区", industrial: true, grids: 4},
			{suffix: "002", name: "新峰社区", grids: 1},
		}},
	{suffix: "005", name: "柴桥街道", roads: []string{"芦江路", "穿山路", "紫石路", "柴桥路"},
		communities: []communitySpec{
			{suffix: "001", name: "芦江社区", industrial: true, grids: 4},
			{suffix: "002", name: "穿山社区", industrial: true, grids: 4},
			{suffix: "003", name: "瑞岩社区", grids: 1, odd: 12},
		}},
	{suffix: "006", name: "戚家山街道", roads: []string{"青峙路", "蔚斗路", "渡头路", "港城路"},
		communities: []communitySpec{
			{suffix: "001", name: "青峙社区", industrial: true, grids: 4},
			{suffix: "002", name: "蔚斗社区", grids: 1},
		}},
	{suffix: "007", name: "春晓街道", roads: []string{"春晓路", "三山路", "昆亭路", "洋沙山路"},
		communities: []communitySpec{
			{suffix: "001", name: "三山社区", industrial: true, grids: 4},
			{suffix: "002", name: "昆亭社区", grids: 1},
		}},
}

// gridSpec is one grid of the demo district with its ancestry and the
// number of enterprises it gets.
type gridSpec struct {
	region    place.Region
	ancestry  place.Ancestry
	street    *streetSpec
	community *communitySpec
	odd       int // enterprises when outside the norm, else zero
}

// regions returns the region tree, parents before children (city, district,
// streets, communities, grids), and the grids in the same order.
func regions() ([]place.Region, []gridSpec) {
	rs := []place.Region{
		{Code: CityCode, Name: CityName, Level: place.City},
		{Code: DistrictCode, Name: DistrictName, Level: place.District, ParentCode: CityCode},
	}
	var communities, grids []place.Region
	var specs []gridSpec
	for i := range district {
		s := &district[i]
		streetCode := DistrictCode + s.suffix
		rs = append(rs, place.Region{Code: streetCode, Name: s.name, Level: place.Street, ParentCode: DistrictCode})
		for j := range s.communities {
			c := &s.communities[j]
			communityCode := streetCode + c.suffix
			communities = append(communities, place.Region{Code: communityCode, Name: c.name,
				Level: place.Community, ParentCode: streetCode, Industrial: c.industrial})
			for k := 1; k <= c.grids; k++ {
				g := place.Region{Code: fmt.Sprintf("%s%03d", communityCode, k),
					Name: fmt.Sprintf("%s第%d网格", c.name, k), Level: place.Grid, ParentCode: communityCode}
				grids = append(grids, g)
				spec := gridSpec{region: g, street: s, community: c, ancestry: place.Ancestry{
					City: CityCode, District: DistrictCode, Street: streetCode, Community: communityCode, Grid: g.Code}}
				if k == c.grids {
					spec.odd = c.odd
				}
				specs = append(specs, spec)
			}
		}
	}
	rs = append(rs, communities...)
	return append(rs, grids...), specs
}
