package appeal

import (
	"slices"

	"qifu/internal/fault"
)

// A complaint about a department (投诉某部门): an appeal of the complaint
// type may name the department it is about. That department never handles
// it — not as the lead, not as an assisting department, not in joint
// handling — for nobody judges a complaint about themselves; the community
// sends it to the body that supervises the departments (the workflow's
// setting "complaint_supervisor", which the dispatch form suggests).

// checkAbout checks that only a complaint names a department it is about.
func (in Input) checkAbout(f fault.Fields) {
	if in.About < 0 || (in.About != 0 && in.Type != TypeComplaint) {
		f.Add("about_department", "只有投诉类诉求可以指明被投诉的部门", "only a complaint names the department it is about")
	}
}

// CheckParties refuses to give a complaint to the department it is about:
// field is the command's field that names it ("lead", "assists" or
// "departments"), depts the departments the step would give the appeal to.
func CheckParties(a Appeal, field string, depts ...int64) error {
	if a.Type != TypeComplaint || a.About == 0 || !slices.Contains(depts, a.About) {
		return nil
	}
	return fault.Fields{field: {
		Zh: "这是对该部门的投诉，不能交由被投诉部门办理；请派给监督部门",
		En: "this is a complaint about that department, which cannot handle it; dispatch it to the supervising body"}}.Err()
}
