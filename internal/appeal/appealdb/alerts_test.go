package appealdb_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/account"
	"qifu/internal/appeal"
	"qifu/internal/demo"
	"qifu/internal/notify"
	"qifu/internal/store"
)

// TestAlertRecipients walks appeals at four stages through the whole alert
// ladder and checks who was told what: each user's notices, each group
// robot's messages, each appeal's timeline and the audit log, by alert.
func TestAlertRecipients(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		ctx := context.Background()
		dept := s.deptIDs(t)
		admin := s.As(t, "admin")
		for _, w := range []store.Webhook{
			{ScopeKind: "region", Scope: s.As(t, "community").RegionCode},
			{ScopeKind: "department", Scope: strconv.FormatInt(dept["tax"], 10)},
		} {
			w.Hook = notify.Hook{Format: notify.WeCom, URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}
			if _, err := s.AddWebhook(ctx, admin, w); err != nil {
				t.Fatal(err)
			}
		}
		// A second member of staff in tax and in market: a warning goes to
		// the one who signed for the dispatch, or to all while none has.
		for _, d := range []string{"tax", "market"} {
			if _, err := s.CreateUser(ctx, admin, account.User{Username: d + "_second", Name: "第二位", Phone: "13905740000",
				Role: access.RoleDepartment, DepartmentID: dept[d]}, demo.Password); err != nil {
				t.Fatal(err)
			}
		}
		label := map[int64]string{}
		// a1 waits to be accepted; a2 waits for tax to sign; a3 is signed by
		// market and handled; a4 is answered and waits for its rating.
		a1 := s.raise(t, "enterprise", "")
		a2 := s.raise(t, "enterprise", "")
		s.act(t, "community", a2.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a2.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["tax"]})
		a3 := s.raise(t, "enterprise", "")
		s.act(t, "community", a3.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a3.ID, appeal.Command{Action: appeal.Dispatch, Lead: dept["market"]})
		s.act(t, "dept_market", a3.ID, appeal.Command{Action: appeal.Sign})
		a4 := s.raise(t, "enterprise", "")
		s.act(t, "community", a4.ID, appeal.Command{Action: appeal.Accept})
		s.act(t, "community", a4.ID, appeal.Command{Action: appeal.Resolve, Result: appeal.Solved, Note: "已现场解决"})
		for i, a := range []appeal.Appeal{a1, a2, a3, a4} {
			label[a.ID] = fmt.Sprintf("a%d", i+1)
		}
		for _, d := range []time.Duration{3 * time.Hour, 2 * 24 * time.Hour, 3 * 24 * time.Hour, 10 * 24 * time.Hour} {
			s.Clock.Advance(d)
			if _, err := s.RunAlerts(ctx, 1000); err != nil {
				t.Fatal(err)
			}
		}

		db := s.Raw(t)
		var got []string
		collect := func(q string) {
			t.Helper()
			rows, err := db.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var who, what string
				var id int64
				var n int
				if err := rows.Scan(&who, &what, &id, &n); err != nil {
					t.Fatal(err)
				}
				if l, ok := label[id]; ok {
					got = append(got, fmt.Sprintf("%s %s %s ×%d", l, what, who, n))
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
		}
		alertKinds := "('warning', 'overdue', 'escalate_street', 'escalate_district')"
		collect(`SELECT u.username, i.kind, i.appeal_id, COUNT(*) FROM inbox i JOIN users u ON u.id = i.user_id
			WHERE i.kind IN ` + alertKinds + ` GROUP BY u.username, i.kind, i.appeal_id`)
		collect(`SELECT 'robot:' || w.scope_kind, o.kind, o.appeal_id, COUNT(*) FROM outbox o JOIN webhooks w ON w.id = o.webhook_id
			WHERE o.kind IN ` + alertKinds + ` GROUP BY w.scope_kind, o.kind, o.appeal_id`)
		collect(`SELECT 'timeline', action || ':' || note, appeal_id, COUNT(*) FROM appeal_events WHERE action LIKE 'alert.%'
			GROUP BY action, note, appeal_id`)
		collect(`SELECT 'audit', a.result, p.id, COUNT(*) FROM audit_log a JOIN appeals p ON a.target = 'appeal/' || p.number
			WHERE a.action = 'appeal.alert' GROUP BY a.result, p.id`)
		slices.Sort(got)
		want := []string{
			"a1 alert.escalate_district:超期升级至区（受理）：旺季招工困难 timeline ×1",
			"a1 alert.escalate_street:超期升级至街道（受理）：旺季招工困难 timeline ×1",
			"a1 alert.overdue:已超期（受理）：旺季招工困难 timeline ×1",
			"a1 alert.warning:即将超期（受理）：旺季招工困难 timeline ×1",
			"a1 escalate_district audit ×1",
			"a1 escalate_district district_leader ×1",
			"a1 escalate_street audit ×1",
			"a1 escalate_street street_leader ×1",
			"a1 overdue audit ×1",
			"a1 overdue community ×1",
			"a1 overdue grid ×1",
			"a1 overdue robot:region ×1",
			"a1 warning audit ×1",
			"a1 warning community ×1",
			"a1 warning grid ×1",
			"a1 warning robot:region ×1",
			"a2 alert.escalate_district:超期升级至区（签收）：旺季招工困难 timeline ×1",
			"a2 alert.escalate_street:超期升级至街道（签收）：旺季招工困难 timeline ×1",
			"a2 alert.overdue:已超期（签收）：旺季招工困难 timeline ×1",
			"a2 alert.warning:即将超期（签收）：旺季招工困难 timeline ×1",
			"a2 escalate_district audit ×1",
			"a2 escalate_district district_leader ×1",
			"a2 escalate_street audit ×1",
			"a2 escalate_street street_leader ×1",
			"a2 overdue audit ×1",
			"a2 overdue community ×1",
			"a2 overdue dept_tax ×1",
			"a2 overdue dept_tax_s001 ×1", // the tax branch: the dispatch is to the bureau as a whole
			"a2 overdue grid ×1",
			"a2 overdue robot:department ×1",
			"a2 overdue robot:region ×1",
			"a2 overdue tax_second ×1",
			"a2 warning audit ×1",
			"a2 warning dept_tax ×1",
			"a2 warning dept_tax_s001 ×1",
			"a2 warning tax_second ×1",
			"a3 alert.escalate_district:超期升级至区（办理）：旺季招工困难 timeline ×1",
			"a3 alert.escalate_street:超期升级至街道（办理）：旺季招工困难 timeline ×1",
			"a3 alert.overdue:已超期（办理）：旺季招工困难 timeline ×1",
			"a3 alert.warning:即将超期（办理）：旺季招工困难 timeline ×1",
			"a3 escalate_district audit ×1",
			"a3 escalate_district district_leader ×1",
			"a3 escalate_street audit ×1",
			"a3 escalate_street street_leader ×1",
			"a3 overdue audit ×1",
			"a3 overdue community ×1",
			"a3 overdue dept_market ×1",
			"a3 overdue grid ×1",
			"a3 overdue market_second ×1",
			"a3 overdue robot:region ×1",
			"a3 warning audit ×1",
			"a3 warning dept_market ×1",
			"a4 alert.warning:即将超期（评价）：旺季招工困难 timeline ×1",
			"a4 warning audit ×1",
			"a4 warning enterprise ×1",
		}
		if !slices.Equal(got, want) {
			for _, g := range got {
				if !slices.Contains(want, g) {
					t.Errorf("unexpected: %s", g)
				}
			}
			for _, w := range want {
				if !slices.Contains(got, w) {
					t.Errorf("missing: %s", w)
				}
			}
		}
	})
}
