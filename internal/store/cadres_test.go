package store_test

import (
	"context"
	"testing"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/store/storetest"
)

// TestCadres holds the cadres' roster to the demo on both stores: the
// organisation department sees every cadre with enterprises in its
// district, with its home unit and counts, and every key enterprise
// covered; a street leader sees the cadres of its street's enterprises,
// counted there only; a community's staff may not follow cadres.
func TestCadres(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		d := storetest.Dataset()
		byCode := map[string]enterprise.Enterprise{}
		keys := 0
		for _, e := range d.Enterprises {
			byCode[e.CreditCode] = e
			if e.KeyLevel != enterprise.KeyNone {
				keys++
			}
		}
		street := storetest.DemoUser(t, "street_leader").RegionCode
		want := map[string][2]int{}       // cadre's name → enterprises, key enterprises (district)
		wantStreet := map[string][2]int{} // in the showcase street
		units := map[string]string{}
		for _, u := range d.Users {
			if u.Role != access.RoleCadre {
				continue
			}
			units[u.Name] = u.HomeUnit
			for _, code := range u.Assigned {
				e := byCode[code]
				k := 0
				if e.KeyLevel != enterprise.KeyNone {
					k = 1
				}
				w := want[u.Name]
				want[u.Name] = [2]int{w[0] + 1, w[1] + k}
				if e.StreetCode == street {
					w := wantStreet[u.Name]
					wantStreet[u.Name] = [2]int{w[0] + 1, w[1] + k}
				}
			}
		}
		for who, oracle := range map[string]map[string][2]int{"organisation": want, "street_leader": wantStreet} {
			list, cov, err := s.Cadres(ctx, s.As(t, who))
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != len(oracle) || cov.Cadres != len(oracle) {
				t.Errorf("%s sees %d cadres; want %d", who, len(list), len(oracle))
			}
			for _, c := range list {
				if got, w := [2]int{c.Enterprises, c.KeyEnterprises}, oracle[c.Name]; got != w || c.HomeUnit != units[c.Name] || c.Phone == "" {
					t.Errorf("%s: cadre %s: %v, unit %q; want %v, %q", who, c.Name, got, c.HomeUnit, w, units[c.Name])
				}
			}
			if who == "organisation" && (cov.KeyEnterprises != keys || cov.KeyCovered != keys) {
				t.Errorf("coverage %+v; want all %d key enterprises covered", cov, keys)
			}
		}
		if _, _, err := s.Cadres(ctx, s.As(t, "community")); err != access.ErrForbidden {
			t.Errorf("community staff follow cadres: %v", err)
		}
	})
}
