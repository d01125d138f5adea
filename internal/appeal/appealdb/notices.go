package appealdb

import (
	"context"
	"fmt"
	"qifu/internal/access"
	"qifu/internal/store"
	"time"
)

// The notices of the appeal workflow: to the in-app inbox of the people who
// must act next, and to the group robots (DingTalk, WeCom) through the
// outbox, both in the transaction of the change they announce.

// recipients is a kind of recipient of an appeal's notice.
type recipients int

const (
	toCommunity       recipients = iota // the community's staff and the grid's worker
	toDepartment                        // all the department's staff
	toHandlers                          // the department's staff who signed for it, or all while none has
	toStreetLeaders                     // the leaders of the appeal's street
	toDistrictLeaders                   // the leaders of the appeal's district
	toEnterprise                        // the enterprise's users and whoever raised the appeal for it
)

var allRecipients = []recipients{toCommunity, toDepartment, toHandlers, toStreetLeaders, toDistrictLeaders, toEnterprise}

// recipientsOf is the condition on users u of each kind of recipient of the
// notice v (appeal_id, dept) of appeal a.
var recipientsOf = map[recipients]string{
	toCommunity: "(u.role = '" + string(access.RoleCommunityStaff) + "' AND u.region_code = a.community_code) OR (u.role = '" +
		string(access.RoleGridWorker) + "' AND u.region_code = a.grid_code)",
	toDepartment: "u.role = '" + string(access.RoleDepartment) + "' AND u.department_id = v.dept",
	toHandlers: "u.role = '" + string(access.RoleDepartment) + `' AND u.department_id = v.dept AND (u.id IN
		(SELECT signed_by FROM appeal_dispatches WHERE appeal_id = v.appeal_id AND department_id = v.dept AND signed_by IS NOT NULL)
		OR NOT EXISTS (SELECT 1 FROM appeal_dispatches WHERE appeal_id = v.appeal_id AND department_id = v.dept AND signed_by IS NOT NULL))`,
	toStreetLeaders:   "u.role = '" + string(access.RoleStreetLeader) + "' AND u.region_code = a.street_code",
	toDistrictLeaders: "u.role = '" + string(access.RoleDistrictLeader) + "' AND u.region_code = a.district_code",
	toEnterprise:      "u.enterprise_id = a.enterprise_id OR (u.id = a.raised_by AND u.role <> '" + string(access.RoleEnterprise) + "')",
}

// notice is one notice of an appeal to one kind of recipient; dept is the
// department for toDepartment and toHandlers.
type notice struct {
	appealID, dept int64
	kind, title    string
}

// notifyAll writes notices to one kind of recipient, with one statement.
func (t *Tx) notifyAll(ctx context.Context, now time.Time, to recipients, list []notice) error {
	if len(list) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(list)+1)
	for _, n := range list {
		args = append(args, n.appealID, n.dept, n.kind, n.title)
	}
	q := "WITH v (appeal_id, dept, kind, title) AS (VALUES " + store.Tuples("(CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?)", len(list)) + `)
		INSERT INTO inbox (user_id, at, appeal_id, kind, title)
		SELECT u.id, ?, v.appeal_id, v.kind, v.title || '（' || a.number || '）' FROM v JOIN appeals a ON a.id = v.appeal_id
		JOIN users u ON u.disabled = FALSE AND (` + recipientsOf[to] + `)`
	if _, err := t.DB().Exec(ctx, q, append(args, now.UnixMilli())...); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// notifyCommunity notifies the community staff of the appeal's community and
// the grid worker of its grid, and the community's group robots.
func (t *Tx) notifyCommunity(ctx context.Context, now time.Time, appealID int64, kind, title string) error {
	if err := t.enqueueAll(ctx, now, []robotMessage{{appealID: appealID, kind: kind, text: title}}); err != nil {
		return err
	}
	return t.notifyAll(ctx, now, toCommunity, []notice{{appealID: appealID, kind: kind, title: title}})
}

// notifyEnterprise notifies the enterprise's users and whoever raised the appeal for it.
func (t *Tx) notifyEnterprise(ctx context.Context, now time.Time, appealID int64, kind, title string) error {
	return t.notifyAll(ctx, now, toEnterprise, []notice{{appealID: appealID, kind: kind, title: title}})
}

// notifyOffice notifies the staff of a department's office, and the
// department's staff who belong to no office (office 0: all its staff),
// and the department's group robots.
func (t *Tx) notifyOffice(ctx context.Context, now time.Time, appealID, deptID, office int64, kind, title string) error {
	if office == 0 {
		return t.notifyDepartment(ctx, now, appealID, deptID, kind, title)
	}
	if err := t.enqueueAll(ctx, now, []robotMessage{{appealID: appealID, dept: deptID, kind: kind, text: title}}); err != nil {
		return err
	}
	if _, err := t.DB().Exec(ctx, `INSERT INTO inbox (user_id, at, appeal_id, kind, title)
		SELECT u.id, ?, a.id, ?, ? || '（' || a.number || '）' FROM appeals a JOIN users u ON u.disabled = FALSE
			AND u.role = '`+string(access.RoleDepartment)+`' AND u.department_id = ? AND (u.office_id = 0 OR u.office_id = ?)
		WHERE a.id = ?`, now.UnixMilli(), kind, title, deptID, office, appealID); err != nil {
		return fmt.Errorf("notify office: %w", err)
	}
	return nil
}

// notifyDepartment notifies the staff of a department, and its group robots.
func (t *Tx) notifyDepartment(ctx context.Context, now time.Time, appealID, deptID int64, kind, title string) error {
	if err := t.enqueueAll(ctx, now, []robotMessage{{appealID: appealID, dept: deptID, kind: kind, text: title}}); err != nil {
		return err
	}
	return t.notifyAll(ctx, now, toDepartment, []notice{{appealID: appealID, dept: deptID, kind: kind, title: title}})
}

// notifyLeaders notifies the leaders of the appeal's street (level "street")
// or district (level "district").
func (t *Tx) notifyLeaders(ctx context.Context, now time.Time, appealID int64, level, kind, title string) error {
	to := toStreetLeaders
	if level == "district" {
		to = toDistrictLeaders
	}
	return t.notifyAll(ctx, now, to, []notice{{appealID: appealID, kind: kind, title: title}})
}

// robotMessage is a message about an appeal to group robots: those of the
// department dept, or of the appeal's community when dept is 0.
type robotMessage struct {
	appealID, dept int64
	kind, text     string
}

// enqueueAll puts messages in the outbox of every enabled group robot they
// are for, with one statement; the outbox delivers them after the commit.
func (t *Tx) enqueueAll(ctx context.Context, now time.Time, list []robotMessage) error {
	if len(list) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(list)+2)
	for _, m := range list {
		args = append(args, m.appealID, m.dept, m.kind, "【企服】"+m.text)
	}
	q := "WITH v (appeal_id, dept, kind, text) AS (VALUES " + store.Tuples("(CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?)", len(list)) + `)
		INSERT INTO outbox (webhook_id, appeal_id, kind, text, created_at, next_at)
		SELECT w.id, v.appeal_id, v.kind, v.text || '（' || a.number || '）', ?, ? FROM v JOIN appeals a ON a.id = v.appeal_id
		JOIN webhooks w ON w.enabled = TRUE AND (
			(v.dept = 0 AND w.scope_kind = 'region' AND w.scope = a.community_code)
			OR (v.dept <> 0 AND w.scope_kind = 'department' AND w.scope = CAST(v.dept AS TEXT)))`
	if _, err := t.DB().Exec(ctx, q, append(args, now.UnixMilli(), now.UnixMilli())...); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}
