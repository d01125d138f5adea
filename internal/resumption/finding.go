package resumption

import (
	"slices"
	"strings"
	"time"

	"qifu/internal/fault"
)

// A check finds what is not in place. Who found it decides what it is, by
// law: a community's or grid worker's check is advice given with the
// enterprise's consent — it agrees an improvement, never imposes one; only
// staff of a department holding the power to inspect the matter (recorded
// per department and matter) may record an inspection finding that orders
// a rectification (整改), with its legal basis and a deadline.

// FindingKind is what a finding is.
type FindingKind string

// The kinds of finding.
const (
	Improvement   FindingKind = "improvement"   // agreed with the enterprise on advice
	Rectification FindingKind = "rectification" // ordered by a department with the power to inspect
)

// Power is a department's power to inspect a matter (行政检查权).
type Power struct {
	Department string // the department's code
	Matter     string // "work_safety", "fire", "epidemic", "labour"…
	Basis      string // the law that gives it
}

// Finding is an item found not in place, and what follows.
type Finding struct {
	Kind     FindingKind
	ItemKey  string
	Note     string
	Matter   string
	Basis    string    // a rectification's legal basis
	Deadline time.Time // a rectification's deadline; an improvement's agreed date
	Consent  bool      // an improvement: the enterprise agreed it
}

// Checker is who records a finding.
type Checker struct {
	Staff      bool   // community or grid staff (advice)
	Department string // the department's code of its staff ("" for others)
}

// CheckFinding says whether checker may record f, given the powers to
// inspect, with a message a person understands.
func CheckFinding(f Finding, by Checker, powers []Power, now time.Time) error {
	fields := fault.Fields{}
	if strings.TrimSpace(f.Note) == "" || len([]rune(f.Note)) > 500 {
		fields.Add("note", "请写明发现的问题，不超过 500 字", "describe what was found, at most 500 characters")
	}
	switch f.Kind {
	case Improvement:
		if !by.Staff && by.Department == "" {
			return fault.New(fault.Forbidden, "resumption_not_checker", "只有工作人员可以记录检查发现", "only staff record findings")
		}
		if !f.Consent {
			fields.Add("consent", "改进事项须经企业同意", "an improvement is agreed with the enterprise")
		}
	case Rectification:
		if by.Department == "" || !slices.ContainsFunc(powers, func(p Power) bool { return p.Department == by.Department && p.Matter == f.Matter }) {
			return fault.New(fault.Forbidden, "resumption_no_power",
				"只有依法具有该事项检查权的部门才能责令整改；社区、网格的检查属于服务建议，可与企业商定改进事项",
				"only a department with the power to inspect this matter may order a rectification; a community's check is advice, agreed as an improvement")
		}
		if strings.TrimSpace(f.Basis) == "" {
			fields.Add("basis", "责令整改须写明法律依据", "a rectification states its legal basis")
		}
		if !f.Deadline.After(now) {
			fields.Add("deadline", "整改期限须晚于今天", "the deadline is after today")
		}
	default:
		fields.Add("kind", "请选择改进事项或整改要求", "choose an improvement or a rectification")
	}
	return fields.Err()
}
