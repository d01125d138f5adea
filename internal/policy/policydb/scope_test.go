package policydb_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"qifu/internal/access"
	"qifu/internal/demo"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/store"
	"qifu/internal/store/storetest"
)

// relGrants is a department to a claim of a benefit it grants, or to a
// request for a resource of a list it keeps.
const relGrants storetest.Relation = "grants"

// scopeTable: role × relation → the outcome of reading an enterprise's
// check-up (the relation to the enterprise), and of reading a claim or a
// resource request by its ID (the relation to the claim), written from the
// rows of policy.read: an enterprise its own; the grid, community, street,
// district and city their region; a cadre the enterprises assigned; a
// department only the claims of the benefits it grants (and the requests on
// its lists), no enterprise's check-up; the administrator all. The roles
// without policy.read are refused a check-up by role whatever the ID, and
// find no claim.
var scopeTable = storetest.Table{
	access.RoleEnterprise:     {storetest.RelOwn: "AA", storetest.RelOther: "NN"},
	access.RoleGridWorker:     {storetest.RelRegion: "AA", storetest.RelOther: "NN"},
	access.RoleCommunityStaff: {storetest.RelRegion: "AA", storetest.RelOther: "NN"},
	access.RoleStreetLeader:   {storetest.RelRegion: "AA", storetest.RelOther: "NN"},
	access.RoleDistrictLeader: {storetest.RelRegion: "AA", storetest.RelOther: "NN"},
	access.RoleCityLeader:     {storetest.RelRegion: "AA", storetest.RelOther: "NN"},
	access.RoleDepartment:     {relGrants: "NA", storetest.RelOther: "NN"},
	access.RoleCadre:          {storetest.RelAssigned: "AA", storetest.RelOther: "NN"},
	access.RoleLawyer:         {storetest.RelOther: "FN"},
	access.RoleFinance:        {storetest.RelOther: "FN"},
	access.RoleAuditor:        {storetest.RelOther: "FN"},
	access.RoleAdmin:          {storetest.RelOther: "AA"},
}

// mclaim is what the oracle knows of a claim.
type mclaim struct {
	id, benefit, ent int64
	state            string
	granted, claw    int64
	account          string
}

// TestScope builds three published benefits — one the tax bureau grants to
// every enterprise, one the human-resources bureau grants that the second
// district's enterprises may qualify for, one 免申即享 of the tax bureau for
// two grids — with claims across both districts, drafts, resource requests
// and a blacklisted enterprise, then has every account of the fixture read
// each of them: the check-ups of every enterprise, the claims by ID and
// listed (accounts masked but for the enterprise and the granting
// department), the funnel, the grid's and cadre's count of enterprises to
// chase, the drafts and the requests, all against the table above.
func TestScope(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Policy, e.ctx
		hrss := e.deptOf("hrss")
		g111, g211 := c111+"001", c211+"001"
		E1, E1b, E1c := e.ent(c111, 1, 0), e.ent(c111, 1, 1), e.ent(c111, 1, 2)
		E2 := e.ent(c111, 2, 1)
		E3 := e.ent(c112, 2, 2) // the cadre's, first district
		E4 := e.ent(c211, 1, 0)
		E5 := e.ent("330203001002", 2, 2) // the cadre's, second district
		E6 := e.ent("330206002001", 1, 0) // an enterprise with an account, blacklisted below
		E7 := e.ent("330203002002", 1, 1)
		cadre := e.f.User("cadre")
		for _, id := range []int64{E3, E5} {
			if !slices.Contains(cadre.Assigned, e.creditCode(id)) {
				t.Fatalf("enterprise %d is not the cadre's", id)
			}
		}

		p := e.policyOf()
		bA, pubA := e.grant(p, policy.Benefit{Title: "研发费用补助", Kind: policy.Subsidy, Mode: policy.Apply, Materials: []string{"申请表"},
			Conditions: []policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 10_000}})
		bH, pubH := e.grant(p, policy.Benefit{Title: "稳岗返还", Kind: policy.FeeRelief, Mode: policy.Apply, DepartmentID: hrss,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: d2},
				{Field: "revenue", Op: policy.Ge, Value: "100", Period: "2025", Authoritative: true}},
			Amount: policy.AmountRule{Kind: "fixed", Yuan: 5_000}})
		bX, pubX := e.grant(p, policy.Benefit{Title: "房租补贴", Kind: policy.FeeRelief, Mode: policy.Auto,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: g111 + "," + g211}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 20_000}})
		if pubA.Told != 48 || pubH.Told != 24 || pubX.Told != 6 || pubX.Matched != 6 {
			t.Fatalf("told %d, %d, %d, matched %d", pubA.Told, pubH.Told, pubX.Told, pubX.Matched)
		}
		grantor := map[int64]string{bA.ID: "tax", bH.ID: "hrss", bX.ID: "tax"}
		recs := e.f.EnterpriseRecords(e.ids)
		recOf := map[int64]storetest.Record{}
		for _, r := range recs {
			recOf[r.ID] = r
		}
		// the pushes, from the conditions
		pushes := map[[2]int64]string{}
		for _, r := range recs {
			pushes[[2]int64{bA.ID, r.ID}] = "met"
			if r.Place.District == d2 {
				pushes[[2]int64{bH.ID, r.ID}] = "maybe"
			}
			if r.Place.Grid == g111 || r.Place.Grid == g211 {
				pushes[[2]int64{bX.ID, r.ID}] = "met"
			}
		}

		// the claims
		var claims []*mclaim
		apply := func(who string, b policy.Benefit, ent int64) *mclaim {
			t.Helper()
			var mats []policy.Material
			if len(b.Materials) > 0 {
				mats = form
			}
			c, err := s.Apply(ctx, e.actor(who), b.ID, ent, mats)
			if err != nil {
				t.Fatalf("%s applies for %d: %v", who, ent, err)
			}
			m := &mclaim{id: c.ID, benefit: b.ID, ent: ent, state: c.State}
			claims = append(claims, m)
			return m
		}
		apply("ent_"+c111, bA, E1)
		apply("community_"+c111, bA, E2)
		apply("cadre", bA, E3)
		paid := apply("ent_"+c211, bA, E4)
		apply("cadre", bA, E5)
		apply("admin", bA, E6)
		apply("ent_"+c211, bH, E4)
		apply("admin", bH, E7)
		c := e.act("dept_tax", e.claimOf(bA.ID, E4), policydb.Step{Action: "approve"})
		e.act("dept_tax", c, policydb.Step{Action: "pay"})
		paid.state, paid.granted = policy.Paid, 10_000
		matched, _, err := s.Claims(ctx, e.actor("admin"), policydb.ClaimQuery{Benefit: bX.ID})
		if err != nil || len(matched) != 6 {
			t.Fatalf("matched: %v %v", matched, err)
		}
		accounts := map[int64]string{E1: "6222000011112222", E4: "6222000033334444"}
		for _, m := range matched {
			mc := &mclaim{id: m.ID, benefit: bX.ID, ent: m.EnterpriseID, state: m.State}
			claims = append(claims, mc)
			switch m.EnterpriseID {
			case E1, E4:
				who := "ent_" + c111
				if m.EnterpriseID == E4 {
					who = "community_" + c211 // on the enterprise's behalf
				}
				if _, err := s.Confirm(ctx, e.actor(who), m.ID, m.Version, "宁波银行", accounts[m.EnterpriseID]); err != nil {
					t.Fatalf("confirm: %v", err)
				}
				mc.state, mc.account = policy.Confirmed, accounts[m.EnterpriseID]
			case E1b:
				e.act("grid_"+g111, m, policydb.Step{Action: "decline"})
				mc.state = policy.Declined
			}
		}

		// drafts: a policy of the tax bureau, a benefit in it, and two in the
		// published policy — the tax bureau's and one the hrss grants
		dp, err := s.SavePolicy(ctx, e.actor("dept_tax"), policy.Policy{Title: "草稿政策", Issuer: "宁波市人民政府", Published: "2026-02-01", InForce: "2026-02-01"})
		if err != nil {
			t.Fatal(err)
		}
		anyone := []policy.Condition{{Field: "industry", Op: policy.In, Value: "34"}}
		draftIn := e.draft(dp, policy.Benefit{Title: "草稿政策的补贴", Kind: policy.Subsidy, Mode: policy.Apply, Conditions: anyone, Amount: policy.AmountRule{Kind: "none"}})
		draftTax := e.draft(p, policy.Benefit{Title: "税务草稿", Kind: policy.Subsidy, Mode: policy.Apply, Conditions: anyone, Amount: policy.AmountRule{Kind: "none"}})
		draftHrss := e.draft(p, policy.Benefit{Title: "人社草稿", Kind: policy.Subsidy, Mode: policy.Apply, Conditions: anyone, Amount: policy.AmountRule{Kind: "none"},
			DepartmentID: hrss})

		// resource requests on the lists of the tax and hrss bureaus
		res := func(who, name string) policy.Resource {
			r, err := s.SaveResource(ctx, e.actor(who), policy.Resource{Kind: "lab", Name: name, Provider: "宁波大学", Contact: "王工", Industries: []string{"34"}})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		rT, rH := res("dept_tax", "模具检测实验室"), res("dept_hrss", "技能培训基地")
		type mrequest struct {
			id, ent int64
			keeper  string
		}
		var requests []mrequest
		request := func(who string, r policy.Resource, ent int64, keeper string) {
			q, err := s.RequestResource(ctx, e.actor(who), r.ID, ent, "需要检测服务")
			if err != nil {
				t.Fatalf("%s requests %s for %d: %v", who, r.Name, ent, err)
			}
			requests = append(requests, mrequest{q.ID, ent, keeper})
		}
		request("ent_"+c111, rT, E1, "tax")
		request("ent_"+c211, rH, E4, "hrss")
		request("cadre", rT, E3, "tax")

		// the oracle
		entWant := func(u demo.User, id int64) byte {
			return scopeTable.Want(u.Role, e.f.Relation(u, recOf[id]), 0)
		}
		byID := func(u demo.User, ent int64, keeper string) byte {
			if u.Role == access.RoleDepartment {
				if u.DepartmentCode == keeper {
					return scopeTable.Want(u.Role, relGrants, 1)
				}
				return scopeTable.Want(u.Role, storetest.RelOther, 1)
			}
			return scopeTable.Want(u.Role, e.f.Relation(u, recOf[ent]), 1)
		}
		claimWant := func(u demo.User, c *mclaim) byte { return byID(u, c.ent, grantor[c.benefit]) }
		unmasked := func(u demo.User, c *mclaim) bool {
			return u.Role == access.RoleAdmin || (u.Role == access.RoleEnterprise && e.ids[u.EnterpriseCode] == c.ent) ||
				(u.Role == access.RoleDepartment && u.DepartmentCode == grantor[c.benefit])
		}
		reads := func(u demo.User) bool { return scopeTable.Want(u.Role, storetest.RelOther, 0) != storetest.Forbid }
		// inReach: a push or claim of benefit b for enterprise ent is in the funnel of u
		inReach := func(u demo.User, b, ent int64) bool {
			if u.Role == access.RoleDepartment {
				return u.DepartmentCode == grantor[b]
			}
			return entWant(u, ent) == storetest.Allow
		}
		child := func(u demo.User) place.Level {
			switch u.Role {
			case access.RoleGridWorker, access.RoleCommunityStaff, access.RoleStreetLeader, access.RoleDistrictLeader, access.RoleCityLeader:
				return min(place.LevelOf(u.RegionCode)+1, place.Grid)
			}
			return place.District
		}
		read := map[int64]bool{} // enterprises whose own account opened their check-up
		funnel := func(u demo.User) map[string]policydb.FunnelRow {
			out := map[string]policydb.FunnelRow{}
			add := func(ent int64, fn func(*policydb.FunnelRow)) {
				code := recOf[ent].Place.At(child(u))
				r := out[code]
				r.Code = code
				fn(&r)
				out[code] = r
			}
			for k, v := range pushes {
				if inReach(u, k[0], k[1]) {
					add(k[1], func(r *policydb.FunnelRow) {
						r.Told++
						if v == "met" {
							r.Eligible++
						} else {
							r.Maybe++
						}
						if read[k[1]] {
							r.Read++
						}
					})
				}
			}
			for _, c := range claims {
				if inReach(u, c.benefit, c.ent) {
					add(c.ent, func(r *policydb.FunnelRow) {
						if c.state != policy.Matched && c.state != policy.Declined {
							r.Applied++
						}
						if slices.Contains([]string{policy.Approved, policy.Paid, policy.ClawedBack}, c.state) {
							r.Approved++
							r.Granted += c.granted
						}
						if c.state == policy.Paid || c.state == policy.ClawedBack {
							r.Paid++
							r.PaidOut += c.granted - c.claw
						}
					})
				}
			}
			return out
		}

		mismatches := 0
		miss := func(format string, args ...any) {
			t.Helper()
			mismatches++
			if mismatches <= 40 {
				t.Errorf(format, args...)
			}
		}
		checkFunnel := func(u demo.User) {
			t.Helper()
			a := e.actor(u.Username)
			rows, err := s.Funnel(ctx, a, policydb.FunnelQuery{})
			if !reads(u) {
				if storetest.Outcome(err) != storetest.Forbid {
					miss("%s reads the funnel: %v; want forbidden", u.Username, err)
				}
				return
			}
			if err != nil || len(rows) == 0 {
				miss("%s's funnel: %v %v", u.Username, rows, err)
				return
			}
			want := funnel(u)
			var total policydb.FunnelRow
			for _, r := range want {
				total.Eligible, total.Maybe, total.Told, total.Read = total.Eligible+r.Eligible, total.Maybe+r.Maybe, total.Told+r.Told, total.Read+r.Read
				total.Applied, total.Approved, total.Paid = total.Applied+r.Applied, total.Approved+r.Approved, total.Paid+r.Paid
				total.Granted, total.PaidOut = total.Granted+r.Granted, total.PaidOut+r.PaidOut
			}
			got := map[string]policydb.FunnelRow{}
			for _, r := range rows[:len(rows)-1] {
				r.Name = ""
				got[r.Code] = r
			}
			if !maps.Equal(got, want) {
				miss("%s's funnel rows:\n got  %+v\n want %+v", u.Username, got, want)
			}
			if tot := rows[len(rows)-1]; tot != total {
				miss("%s's funnel total %+v; want %+v", u.Username, tot, total)
			}
		}

		// The funnel first, before any enterprise reads its check-up.
		for _, u := range e.f.Users {
			checkFunnel(u)
		}

		// The blacklist: the reason is the staff's.
		const reason = "欠缴税款，列入失信名单"
		if problems, err := s.ImportBlacklist(ctx, e.actor("dept_tax"), "2026-1", []policydb.BlacklistRow{{Line: 2, CreditCode: e.creditCode(E6),
			Reason: reason, From: "2026-01-01"}}); err != nil || len(problems) != 0 {
			t.Fatalf("import: %v %v", problems, err)
		}

		benefits := []int64{bA.ID, bH.ID, bX.ID}
		for _, u := range e.f.Users {
			a := e.actor(u.Username)

			// the check-ups
			for _, r := range recs {
				cu, err := s.CheckUp(ctx, a, r.ID)
				want := entWant(u, r.ID)
				if got := storetest.Outcome(err); got != want {
					miss("%s reads the check-up of %d (%s): %c, want %c (%v)", u.Username, r.ID, r.Place.Grid, got, want, err)
					continue
				}
				if err != nil {
					continue
				}
				if u.Role == access.RoleEnterprise {
					read[r.ID] = true
				}
				if cu.EnterpriseID != r.ID || len(cu.Items) != 3 {
					miss("%s's check-up of %d: %d items", u.Username, r.ID, len(cu.Items))
					continue
				}
				for _, it := range cu.Items {
					wantV := policy.NotMet
					switch pushes[[2]int64{it.Benefit.ID, r.ID}] {
					case "met":
						wantV = policy.Met
					case "maybe":
						wantV = policy.Unknown
					}
					wantReason := ""
					if r.ID == E6 {
						wantV = policy.NotMet
						if u.Role != access.RoleEnterprise {
							wantReason = reason
						}
					}
					if it.Verdict != wantV || it.Blacklisted != (r.ID == E6) || it.Reason != wantReason {
						miss("%s's check-up of %d, benefit %d: %s blacklisted %v reason %q; want %s %q", u.Username, r.ID, it.Benefit.ID,
							it.Verdict, it.Blacklisted, it.Reason, wantV, wantReason)
					}
					if it.Told != (pushes[[2]int64{it.Benefit.ID, r.ID}] != "") {
						miss("%s's check-up of %d, benefit %d: told %v", u.Username, r.ID, it.Benefit.ID, it.Told)
					}
				}
			}
			for _, id := range []int64{1 << 40} {
				_, err := s.CheckUp(ctx, a, id)
				want := byte(storetest.Absent)
				if !reads(u) {
					want = storetest.Forbid
				}
				if got := storetest.Outcome(err); got != want {
					miss("%s reads an absent check-up: %c, want %c (%v)", u.Username, got, want, err)
				}
				if _, err := s.Claim(ctx, a, id); storetest.Outcome(err) != storetest.Absent {
					miss("%s reads an absent claim: %v", u.Username, err)
				}
				if _, err := s.RequestOf(ctx, a, id); storetest.Outcome(err) != storetest.Absent {
					miss("%s reads an absent request: %v", u.Username, err)
				}
			}

			// the claims, one by one and listed
			wantList := map[int64]bool{}
			for _, mc := range claims {
				c, err := s.Claim(ctx, a, mc.id)
				want := claimWant(u, mc)
				if got := storetest.Outcome(err); got != want {
					miss("%s reads claim %d of %d (benefit %d): %c, want %c (%v)", u.Username, mc.id, mc.ent, mc.benefit, got, want, err)
					continue
				}
				if err != nil {
					continue
				}
				wantList[mc.id] = true
				acc := mc.account
				if !unmasked(u, mc) {
					acc = policy.MaskAccount(acc)
				}
				if c.Account != acc || c.State != mc.state || c.EnterpriseID != mc.ent {
					miss("%s reads claim %d: %s %s; want %s %s", u.Username, mc.id, c.State, c.Account, mc.state, acc)
				}
			}
			list, n, err := s.Claims(ctx, a, policydb.ClaimQuery{Page: store.Page{Size: store.MaxPageSize}})
			if !reads(u) {
				if storetest.Outcome(err) != storetest.Forbid {
					miss("%s lists claims: %v; want forbidden", u.Username, err)
				}
			} else {
				got := map[int64]bool{}
				for _, c := range list {
					got[c.ID] = true
					for _, mc := range claims {
						if mc.id == c.ID && mc.account != "" && !unmasked(u, mc) && c.Account != policy.MaskAccount(mc.account) {
							miss("%s lists claim %d with the account %s", u.Username, c.ID, c.Account)
						}
					}
				}
				if err != nil || n != len(list) || !storetest.SameIDs(got, wantList) {
					miss("%s lists claims %v (%d, %v); want %v", u.Username, got, n, err, wantList)
				}
			}

			// the grid's and the cadre's enterprises to chase, per benefit
			if slices.Contains(s.TodoKinds(u.Role), "policy.chase") {
				items, n, err := s.Todo(ctx, a, "policy.chase", 0)
				got := map[string]string{}
				for _, it := range items {
					got[it.Href] = it.Ref
				}
				want := map[string]string{}
				for _, b := range benefits {
					k := 0
					for _, r := range recs {
						if pushes[[2]int64{b, r.ID}] != "met" || entWant(u, r.ID) != storetest.Allow {
							continue
						}
						if !slices.ContainsFunc(claims, func(c *mclaim) bool { return c.benefit == b && c.ent == r.ID && c.state != policy.Matched }) {
							k++
						}
					}
					if k > 0 {
						want[fmt.Sprintf("/policy/benefits/%d/enterprises", b)] = fmt.Sprint(k)
					}
				}
				if err != nil || n != len(items) || !maps.Equal(got, want) {
					miss("%s's enterprises to chase: %v (%d, %v); want %v", u.Username, got, n, err, want)
				}
			}

			// drafts: their keepers' and their granting department's
			keeper := u.Role == access.RoleAdmin || (u.Role == access.RoleDepartment && u.DepartmentCode == "tax")
			grants := keeper || (u.Role == access.RoleDepartment && u.DepartmentCode == "hrss")
			visible := map[int64]bool{bA.ID: true, bH.ID: true, bX.ID: true}
			if keeper {
				visible[draftTax.ID], visible[draftIn.ID] = true, true
			}
			if grants {
				visible[draftHrss.ID] = true
			}
			for _, b := range []policy.Benefit{bA, draftIn, draftTax, draftHrss} {
				_, err := s.Benefit(ctx, a, b.ID)
				if want := visible[b.ID]; (err == nil) != want || (err != nil && storetest.Outcome(err) != storetest.Absent) {
					miss("%s reads benefit %s: %v; want visible %v", u.Username, b.Title, err, want)
				}
			}
			bl, n, err := s.Benefits(ctx, a, policydb.BenefitQuery{Page: store.Page{Size: store.MaxPageSize}})
			got := map[int64]bool{}
			for _, b := range bl {
				got[b.ID] = true
			}
			if err != nil || n != len(bl) || !storetest.SameIDs(got, visible) {
				miss("%s lists benefits %v (%d, %v); want %v", u.Username, got, n, err, visible)
			}
			pp, err := s.Policy(ctx, a, p.ID)
			got = map[int64]bool{}
			for _, b := range pp.Benefits {
				got[b.ID] = true
			}
			delete(visible, draftIn.ID)
			if err != nil || !storetest.SameIDs(got, visible) {
				miss("%s reads the policy's benefits %v (%v); want %v", u.Username, got, err, visible)
			}
			_, err = s.Policy(ctx, a, dp.ID)
			if got, want := storetest.Outcome(err), map[bool]byte{true: storetest.Allow, false: storetest.Absent}[keeper]; got != want {
				miss("%s reads the draft policy: %c, want %c (%v)", u.Username, got, want, err)
			}
			pl, n, err := s.Policies(ctx, a, policydb.PolicyQuery{Page: store.Page{Size: store.MaxPageSize}})
			got = map[int64]bool{}
			for _, x := range pl {
				got[x.ID] = true
			}
			wantP := map[int64]bool{p.ID: true}
			if keeper {
				wantP[dp.ID] = true
			}
			if err != nil || n != len(pl) || !storetest.SameIDs(got, wantP) {
				miss("%s lists policies %v (%d, %v); want %v", u.Username, got, n, err, wantP)
			}

			// resource requests: the enterprises in reach, the lists kept
			wantQ := map[int64]bool{}
			for _, q := range requests {
				_, err := s.RequestOf(ctx, a, q.id)
				want := byID(u, q.ent, q.keeper)
				if got := storetest.Outcome(err); got != want {
					miss("%s reads request %d of %d: %c, want %c (%v)", u.Username, q.id, q.ent, got, want, err)
				}
				if want == storetest.Allow {
					wantQ[q.id] = true
				}
			}
			ql, n, err := s.Requests(ctx, a, "", store.Page{Size: store.MaxPageSize})
			if !access.May(u.Role, access.PolicyRead) && !access.May(u.Role, access.PolicyManage) {
				if !fault.Is(err, fault.Forbidden) {
					miss("%s lists requests: %v; want forbidden", u.Username, err)
				}
				continue
			}
			got = map[int64]bool{}
			for _, q := range ql {
				got[q.ID] = true
			}
			if err != nil || n != len(ql) || !storetest.SameIDs(got, wantQ) {
				miss("%s lists requests %v (%d, %v); want %v", u.Username, got, n, err, wantQ)
			}
		}

		// The enterprises that read their check-ups read what they were told.
		if len(read) != 8 {
			t.Errorf("%d enterprises read their check-ups, want 8", len(read))
		}
		for _, who := range []string{"admin", "city", "district_" + d2, "ent_" + c111, "dept_hrss"} {
			checkFunnel(e.f.User(who))
		}

		// Acting out of reach: not found; out of the role: forbidden.
		before := e.snapshot()
		for who, want := range map[string]byte{"ent_" + c112: storetest.Absent, "community_" + c211: storetest.Absent, "street_" + c111[:9]: storetest.Forbid,
			"cadre_idle": storetest.Absent, "dept_tax": storetest.Forbid, "lawyer": storetest.Forbid} {
			_, err := s.Apply(ctx, e.actor(who), bA.ID, E1b, form)
			if got := storetest.Outcome(err); got != want {
				t.Errorf("%s applies for %d: %c, want %c (%v)", who, E1b, got, want, err)
			}
			_, err = s.SupplyFact(ctx, e.actor(who), E1b, "employees", "", "30")
			if got := storetest.Outcome(err); got != want {
				t.Errorf("%s supplies a fact of %d: %c, want %c (%v)", who, E1b, got, want, err)
			}
			_, err = s.RequestResource(ctx, e.actor(who), rT.ID, E1b, "需要")
			if got := storetest.Outcome(err); got != want {
				t.Errorf("%s requests a resource for %d: %c, want %c (%v)", who, E1b, got, want, err)
			}
		}
		m := e.claimOf(bX.ID, E1c)
		for who, want := range map[string]byte{"ent_" + c112: storetest.Absent, "community_" + c211: storetest.Absent, "street_" + c111[:9]: storetest.Forbid,
			"dept_tax": storetest.Forbid, "dept_hrss": storetest.Absent, "lawyer": storetest.Absent} {
			_, err := s.Confirm(ctx, e.actor(who), m.ID, m.Version, "宁波银行", "6222000055556666")
			if got := storetest.Outcome(err); got != want {
				t.Errorf("%s confirms for %d: %c, want %c (%v)", who, E1c, got, want, err)
			}
		}
		if _, err := s.PayList(ctx, e.actor("dept_hrss"), bX.ID, policy.Confirmed); storetest.Outcome(err) != storetest.Absent {
			t.Errorf("another department exports the payment list: %v", err)
		}
		if _, err := s.Answer(ctx, e.actor("dept_hrss"), requests[0].id, 1, "可以"); storetest.Outcome(err) != storetest.Absent {
			t.Errorf("another department answers a request: %v", err)
		}
		if _, err := s.LatestDryRun(ctx, e.actor("dept_hrss"), bA.ID); storetest.Outcome(err) != storetest.Absent {
			t.Errorf("another department reads the dry run: %v", err)
		}
		e.unchanged(before, "refusals out of reach")
	})
}

// TestCheckUpMasksAccount: a check-up shows each benefit's claim; its bank
// account is the enterprise's and the granting department's, masked for
// the staff who read the check-up, as Claim and Claims mask it.
func TestCheckUpMasksAccount(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s, ctx := e.s.Policy, e.ctx
		E1 := e.ent(c111, 1, 0)
		auto, _ := e.grant(e.policyOf(), policy.Benefit{Title: "房租补贴", Kind: policy.FeeRelief, Mode: policy.Auto,
			Conditions: []policy.Condition{{Field: "region", Op: policy.In, Value: c111 + "001"}}, Amount: policy.AmountRule{Kind: "fixed", Yuan: 20_000}})
		m := e.claimOf(auto.ID, E1)
		const account = "6222000011112222"
		if _, err := s.Confirm(ctx, e.actor("ent_"+c111), m.ID, m.Version, "宁波银行", account); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"ent_" + c111, "admin", "grid_" + c111 + "001", "community_" + c111, "street_" + c111[:9], "district_" + d1, "city"} {
			cu, err := s.CheckUp(ctx, e.actor(who), E1)
			if err != nil || len(cu.Items) != 1 || cu.Items[0].Claim == nil {
				t.Fatalf("%s's check-up: %+v %v", who, cu, err)
			}
			want := policy.MaskAccount(account)
			if who == "ent_"+c111 || who == "admin" {
				want = account
			}
			if got := cu.Items[0].Claim.Account; got != want {
				t.Errorf("%s reads the account %s in the check-up; want %s", who, got, want)
			}
		}
	})
}
