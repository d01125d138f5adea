package access

import (
	"testing"

	"qifu/internal/place"
)

func BenchmarkCheck(b *testing.B) {
	a := Actor{UserID: 7, Role: RoleCommunityStaff, RegionCode: "330206001001", RegionLevel: place.Community}
	t := Target{Place: place.Ancestry{City: "330200", District: "330206", Street: "330206001", Community: "330206001001", Grid: "330206001001001"}}
	b.ReportAllocs()
	for b.Loop() {
		if err := Check(a, EnterpriseUpdate, EnterpriseRead, t); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFilterFor(b *testing.B) {
	a := Actor{UserID: 7, Role: RoleGridWorker, RegionCode: "330206001001001", RegionLevel: place.Grid}
	b.ReportAllocs()
	for b.Loop() {
		FilterFor(a, EnterpriseRead)
	}
}
