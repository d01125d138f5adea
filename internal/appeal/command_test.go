package appeal

import (
	"slices"
	"strings"
	"testing"
	"time"

	"qifu/internal/access"
	"qifu/internal/fault"
)

func TestCommandCheck(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	long := strings.Repeat("字", MaxNote+1)
	tests := []struct {
		name   string
		c      Command
		fields []string // the fields refused; none for a command that passes
	}{
		{"accept needs nothing", Command{Action: Accept}, nil},
		{"request info needs a note", Command{Action: RequestInfo}, []string{"note"}},
		{"request info with a note", Command{Action: RequestInfo, Note: "请补充营业执照"}, nil},
		{"request info with blanks only", Command{Action: RequestInfo, Note: "   "}, []string{"note"}},
		{"supply info too long", Command{Action: SupplyInfo, Note: strings.Repeat("字", MaxContent+1)}, []string{"note"}},
		{"reply needs a result and a text", Command{Action: Reply}, []string{"result", "note"}},
		{"reply solved", Command{Action: Reply, Result: Solved, Note: "已协调解决"}, nil},
		{"unsolvable must say why", Command{Action: Resolve, Result: Unsolvable, Note: "政策不允许"}, []string{"note"}},
		{"unsolvable with a reason", Command{Action: Resolve, Result: Unsolvable, Note: "该事项不属于本区事权，已告知企业向市级部门申请"}, nil},
		{"merge needs the case", Command{Action: Merge}, []string{"case_id"}},
		{"dispatch needs a lead", Command{Action: Dispatch}, []string{"lead"}},
		{"dispatch with a lead", Command{Action: Dispatch, Lead: 3, Assists: []int64{4, 5}}, nil},
		{"assist twice", Command{Action: Dispatch, Lead: 3, Assists: []int64{4, 4}}, []string{"assists"}},
		{"assist is the lead", Command{Action: Dispatch, Lead: 3, Assists: []int64{3}}, []string{"assists"}},
		{"eleven assists", Command{Action: Dispatch, Lead: 1, Assists: []int64{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}, []string{"assists"}},
		{"dispatch due in the past", Command{Action: Dispatch, Lead: 3, Due: now.Add(-time.Hour)}, []string{"due"}},
		{"dispatch due now", Command{Action: Dispatch, Lead: 3, Due: now}, []string{"due"}},
		{"dispatch instruction too long", Command{Action: Dispatch, Lead: 3, Note: long}, []string{"note"}},
		{"return needs a reason", Command{Action: Return}, []string{"note"}},
		{"note needs a text", Command{Action: Note}, []string{"note"}},
		{"urge may be silent", Command{Action: Urge}, nil},
		{"urge too long", Command{Action: Urge, Note: long}, []string{"note"}},
		{"extension needs a reason", Command{Action: RequestExtension, Due: now.AddDate(0, 0, 3)}, []string{"note"}},
		{"assist reply needs a text", Command{Action: AssistReply}, []string{"note"}},
		{"rate needs a rating", Command{Action: Rate}, []string{"rating"}},
		{"rate satisfied", Command{Action: Rate, Rating: Satisfied}, nil},
		{"unsatisfied must say why", Command{Action: Rate, Rating: Unsatisfied}, []string{"note"}},
		{"unsatisfied with a reason", Command{Action: Rate, Rating: Unsatisfied, Note: "问题没有解决"}, nil},
		{"rating note too long", Command{Action: Rate, Rating: Basic, Note: long}, []string{"note"}},
		{"return visit needs its way", Command{Action: ReturnVisit, Rating: Satisfied}, []string{"via"}},
		{"return visit by phone", Command{Action: ReturnVisit, Rating: Satisfied, Via: "phone"}, nil},
		{"joint needs departments", Command{Action: RaiseJoint}, []string{"departments"}},
		{"joint with thirteen", Command{Action: RaiseJoint, Departments: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}}, []string{"departments"}},
		{"joint due in the past", Command{Action: RaiseJoint, Departments: []int64{1}, Due: now.Add(-time.Minute)}, []string{"due"}},
		{"joint part needs a text", Command{Action: JointPart}, []string{"note"}},
		{"confirm without a rating", Command{Action: Confirm}, nil},
		{"confirm with a bad rating", Command{Action: Confirm, Rating: "great"}, []string{"rating"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Check(now)
			if len(tt.fields) == 0 {
				if err != nil {
					t.Fatalf("Check = %v; want nil", err)
				}
				return
			}
			fe := fault.As(err)
			if fe == nil || fe.Kind != fault.Invalid {
				t.Fatalf("Check = %v; want an Invalid error for %v", err, tt.fields)
			}
			if len(fe.Fields) != len(tt.fields) {
				t.Errorf("fields %v; want %v", fe.Fields, tt.fields)
			}
			for _, f := range tt.fields {
				m, ok := fe.Fields[f]
				if !ok {
					t.Errorf("no message for %s (fields %v)", f, fe.Fields)
					continue
				}
				if m.Zh == "" || m.En == "" {
					t.Errorf("%s: message %+v lacks a language", f, m)
				}
			}
		})
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		action Action
		from   State
		role   Party
		want   State
	}{
		{Accept, Submitted, "", Accepted},
		{RequestInfo, Accepted, "", AwaitingInfo},
		{SupplyInfo, AwaitingInfo, "", Accepted},
		{Resolve, Accepted, "", Replied},
		{Merge, Accepted, "", Merged},
		{Dispatch, Accepted, "", Dispatched},
		{Sign, Dispatched, PartyLead, Handling},
		{Sign, Dispatched, PartyAssist, Dispatched},
		{Sign, Handling, PartyAssist, Handling},
		{Return, Dispatched, PartyLead, Accepted},
		{Return, Handling, PartyAssist, Handling},
		{Note, Handling, "", Handling},
		{Urge, Dispatched, "", Dispatched},
		{RequestExtension, Handling, "", Handling},
		{Reply, Handling, "", Replied},
		{Rate, Replied, "", Replied}, // the rating decides: AfterRating
		{ExpireRating, Replied, "", Closed},
		{RaiseJoint, Handling, "", Joint},
		{JointPart, Joint, "", Joint},
		{Confirm, Joint, "", Closed},
	}
	for _, tt := range tests {
		if got := Next(tt.action, tt.from, tt.role); got != tt.want {
			t.Errorf("Next(%s, %s, %q) = %s; want %s", tt.action, tt.from, tt.role, got, tt.want)
		}
	}
	// Every outcome Next gives is one the lifecycle table allows.
	for _, tr := range Lifecycle {
		for _, from := range tr.From {
			for _, role := range []Party{"", PartyLead, PartyAssist} {
				to := Next(tr.Action, from, role)
				if len(tr.To) > 0 && to != from && !slices.Contains(tr.To, to) {
					t.Errorf("Next(%s, %s, %q) = %s, not in the table's %v", tr.Action, from, role, to, tr.To)
				}
			}
		}
	}
}

func TestSeenByEnterprise(t *testing.T) {
	hidden := map[Action]bool{Return: true, Urge: true, RequestExtension: true, DecideExtension: true, AssistReply: true, Note: true}
	for _, tr := range Lifecycle {
		if got := SeenByEnterprise(Command{Action: tr.Action}); got == hidden[tr.Action] {
			t.Errorf("SeenByEnterprise(%s) = %v", tr.Action, got)
		}
	}
	if !SeenByEnterprise(Command{Action: Note, Public: true}) {
		t.Error("a public progress note is hidden from the enterprise")
	}
}

func TestChannelFor(t *testing.T) {
	tests := []struct {
		role   access.Role
		asked  Channel
		want   Channel
		refuse bool
	}{
		{access.RoleEnterprise, "", ChannelWeb, false},
		{access.RoleEnterprise, ChannelAPI, ChannelAPI, false},
		{access.RoleEnterprise, ChannelHotline, "", true},
		{access.RoleGridWorker, "", ChannelVisit, false},
		{access.RoleGridWorker, ChannelWeb, "", true},
		{access.RoleCommunityStaff, "bogus", "", true},
		{access.RoleAdmin, "", ChannelReferral, false},
	}
	for _, tt := range tests {
		ch, err := ChannelFor(tt.role, tt.asked)
		if tt.refuse {
			if fe := fault.As(err); fe == nil || fe.Fields["channel"].Zh == "" {
				t.Errorf("%s asking %q: %v; want a message for channel", tt.role, tt.asked, err)
			}
			continue
		}
		if err != nil || ch != tt.want {
			t.Errorf("%s asking %q: %q, %v; want %q", tt.role, tt.asked, ch, err, tt.want)
		}
	}
	for _, role := range access.Roles {
		if access.May(role, access.AppealCreate) && ChannelsOf[role] == nil {
			t.Errorf("%s may raise appeals but has no channels", role)
		}
	}
}
