package appealdb_test

import (
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/appeal/appealdb"
)

// TestForEnterprise holds the one rule of what an enterprise sees of its
// appeal to what it must see as well as to what it must not.
func TestForEnterprise(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	v := appealdb.AppealView{
		Appeal: appeal.Appeal{ID: 7, Title: "招工难", Reply: "已推荐 12 名求职者", Contact: "李联系"},
		Dispatches: []appealdb.Dispatch{
			{ID: 1, Department: "人社局", Role: appeal.PartyLead, Status: appeal.DispatchAnswered, Instruction: "请牵头", Answer: "已推荐", Due: now, Active: true},
			{ID: 2, Department: "税务局", Role: appeal.PartyAssist, Status: appeal.DispatchAnswered, Instruction: "请配合", Answer: "可减免", Active: true},
			{ID: 3, Department: "市场监管局", Role: appeal.PartyLead, Status: appeal.DispatchReturned, Reason: "不属于本部门职责"},
			{ID: 4, Department: "经信局", Role: appeal.PartyJoint, Status: appeal.DispatchDone, Instruction: "请协调", Answer: "已协调用地指标", Active: true},
		},
		Events: []appealdb.Event{
			{ID: 1, ActorID: 11, ActorName: "王企业", Role: access.RoleEnterprise, Action: "create", Detail: `{"channel":"web"}`, Public: true},
			{ID: 2, ActorID: 12, ActorName: "张社区", Role: access.RoleCommunityStaff, Action: "accept", Note: "已受理", Detail: `{"x":1}`, Public: true},
		},
		Extensions: []appealdb.Extension{{ID: 1, Reason: "需现场核查", Status: appeal.ExtensionPending}},
	}
	got := v.ForEnterprise()

	// What it must see.
	if got.Title != "招工难" || got.Reply != "已推荐 12 名求职者" || got.Contact != "李联系" {
		t.Errorf("the appeal itself changed: %+v", got.Appeal)
	}
	if len(got.Dispatches) != 4 || got.Dispatches[0].Department != "人社局" || !got.Dispatches[0].Due.Equal(now) {
		t.Errorf("the departments and their deadlines are not all there: %+v", got.Dispatches)
	}
	if got.Dispatches[3].Answer != "已协调用地指标" {
		t.Errorf("joint handling's report %q is hidden: the enterprise confirms what each department did", got.Dispatches[3].Answer)
	}
	if len(got.Events) != 2 || got.Events[1].Note != "已受理" || got.Events[0].ActorName != "王企业" {
		t.Errorf("the timeline lost what the enterprise sees: %+v", got.Events)
	}
	// What it must not.
	for _, d := range got.Dispatches {
		if d.Instruction != "" || d.Reason != "" {
			t.Errorf("dispatch %d shows the administration's instruction or reason: %+v", d.ID, d)
		}
		if d.Role != appeal.PartyJoint && d.Answer != "" {
			t.Errorf("dispatch %d (%s) shows a department's answer to the lead: %q", d.ID, d.Role, d.Answer)
		}
	}
	if got.Extensions != nil {
		t.Errorf("requests for more time are shown: %+v", got.Extensions)
	}
	if e := got.Events[1]; e.ActorName != "" || e.ActorID != 0 || e.Detail != "" {
		t.Errorf("a staff member's line shows who or the details: %+v", e)
	}
	// The view it was made from is untouched (the caller's copy).
	if v.Dispatches[1].Answer != "可减免" || v.Events[1].ActorName != "张社区" {
		t.Error("ForEnterprise changed the view it was given")
	}
}

// TestAppealPhoneMasked: the contact's phone on an appeal is shown in full
// only to the roles with the right to personal information, as on the
// enterprise.
func TestAppealPhoneMasked(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, s *testStore) {
		a := s.raise(t, "enterprise", "")
		for _, c := range []struct {
			who  string
			full bool
		}{{"enterprise", true}, {"community", true}, {"grid", true}, {"street_leader", false}, {"district_leader", false}, {"admin", true}} {
			v := s.view(t, c.who, a.ID)
			if full := v.Phone == a.Phone; full != c.full {
				t.Errorf("%s sees the phone %q (full %v); want full %v", c.who, v.Phone, full, c.full)
			}
			if !c.full && (v.Phone == "" || !strings.Contains(v.Phone, "*")) {
				t.Errorf("%s sees the phone %q; want it masked", c.who, v.Phone)
			}
		}
	})
}
