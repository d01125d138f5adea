package appeal

import (
	"testing"

	"qifu/internal/fault"
)

// TestComplaintAbout checks who may name a department and that a
// complaint never goes to the department it is about.
func TestComplaintAbout(t *testing.T) {
	cats := DefaultCategories()
	in := Input{Channel: ChannelWeb, Type: TypeComplaint, Category: "other", Title: "窗口推诿", Content: "办理许可时多次被推诿。",
		CreditCode: "91330206MA2AAAAA1A", Contact: "王经理", Phone: "13800001234", About: 7}
	in.Normalize()
	if err := in.Validate(cats); err != nil {
		t.Fatalf("a complaint about a department: %v %v", err, fault.As(err).Fields)
	}
	help := in
	help.Type = TypeHelp
	if fe := fault.As(help.Validate(cats)); fe == nil || fe.Fields["about_department"].Zh == "" {
		t.Errorf("a request for help naming a department: %v, want refused on about_department", fe)
	}
	complaint := Appeal{Type: TypeComplaint, About: 7}
	for _, tt := range []struct {
		a     Appeal
		field string
		depts []int64
		ok    bool
	}{
		{complaint, "lead", []int64{7}, false},
		{complaint, "assists", []int64{3, 7}, false},
		{complaint, "departments", []int64{7}, false},
		{complaint, "lead", []int64{3}, true},
		{Appeal{Type: TypeComplaint}, "lead", []int64{7}, true}, // about no department
		{Appeal{Type: TypeHelp, About: 7}, "lead", []int64{7}, true},
	} {
		err := CheckParties(tt.a, tt.field, tt.depts...)
		if fe := fault.As(err); (err == nil) != tt.ok || (err != nil && fe.Fields[tt.field].Zh == "") {
			t.Errorf("%+v to %v as %s: %v, want ok %v", tt.a, tt.depts, tt.field, err, tt.ok)
		}
	}
}
