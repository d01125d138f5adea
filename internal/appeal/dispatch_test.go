package appeal

import (
	"slices"
	"testing"
)

func TestRefine(t *testing.T) {
	const tax, hrss = 3, 4
	all := []Action{Sign, Return, AssistReply, Reply, RequestExtension, DecideExtension, JointCheckIn, JointPart, Note, Urge}
	tests := []struct {
		name    string
		dept    int64
		parts   []Part
		pending bool
		want    []Action
	}{
		{"a lead waiting to sign", tax, []Part{{tax, PartyLead, DispatchPending, true}}, false,
			[]Action{Sign, Return, Note, Urge}},
		{"a lead that signed", tax, []Part{{tax, PartyLead, DispatchSigned, true}}, false,
			[]Action{Reply, RequestExtension, Note, Urge}},
		{"a lead with an extension pending", tax, []Part{{tax, PartyLead, DispatchSigned, true}}, true,
			[]Action{Reply, DecideExtension, Note, Urge}},
		{"an assisting department that signed", hrss, []Part{{tax, PartyLead, DispatchSigned, true}, {hrss, PartyAssist, DispatchSigned, true}}, false,
			[]Action{AssistReply, Note, Urge}},
		{"another department's dispatch", hrss, []Part{{tax, PartyLead, DispatchPending, true}}, false,
			[]Action{Note, Urge}},
		{"a returned dispatch is no longer the department's", tax, []Part{{tax, PartyLead, DispatchPending, false}}, false,
			[]Action{Note, Urge}},
		{"joint: to report in", tax, []Part{{tax, PartyJoint, DispatchPending, true}}, false,
			[]Action{JointCheckIn, Note, Urge}},
		{"joint: reported in", tax, []Part{{tax, PartyJoint, DispatchCheckedIn, true}}, false,
			[]Action{JointPart, Note, Urge}},
		{"the community (no department)", 0, []Part{{tax, PartyLead, DispatchSigned, true}}, true,
			[]Action{DecideExtension, Note, Urge}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Refine(all, tt.dept, tt.parts, tt.pending); !slices.Equal(got, tt.want) {
				t.Errorf("Refine = %v; want %v", got, tt.want)
			}
		})
	}
}
