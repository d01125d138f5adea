package rates

import (
	"strconv"
	"strings"
)

// compareKeys orders keys shorter first, then bytewise: ids in numeric order,
// region codes (fixed-width per level) in code order.
func compareKeys(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }

// The keys of each dimension. A zero id or an empty code is no key.

func stepDepartment(_ *Appeal, s *Step) (int64, bool) { return s.DepartmentID, s.DepartmentID != 0 }

func leadDepartment(a *Appeal) (int64, bool) { return a.LeadDepartment, a.LeadDepartment != 0 }

func stepHandler(_ *Appeal, s *Step) (int64, bool) { return s.HandlerID, s.HandlerID != 0 }

// replyHandler returns the handler of a's final reply: of its last handle
// step with a handler, else of its last triage step with one.
func replyHandler(a *Appeal) (int64, bool) {
	for _, kind := range [...]StepKind{StepHandle, StepTriage} {
		var last *Step
		for j := range a.Steps {
			s := &a.Steps[j]
			if s.Kind == kind && s.HandlerID != 0 && (last == nil || !s.Started.Before(last.Started)) {
				last = s
			}
		}
		if last != nil {
			return last.HandlerID, true
		}
	}
	return 0, false
}

// regionCode returns the function that gives an appeal's code at the level
// of dim, a region dimension.
func regionCode(dim Dimension) func(*Appeal) (string, bool) {
	switch dim {
	case Grid:
		return func(a *Appeal) (string, bool) { return a.Grid, a.Grid != "" }
	case Street:
		return func(a *Appeal) (string, bool) { return a.Street, a.Street != "" }
	case District:
		return func(a *Appeal) (string, bool) { return a.District, a.District != "" }
	}
	return func(a *Appeal) (string, bool) { return a.Community, a.Community != "" }
}
