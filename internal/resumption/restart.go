package resumption

import (
	"fmt"
	"slices"

	"qifu/internal/fault"
)

// The restart approval of a crisis (复工申报), a configurable procedure:
// the enterprise applies (its pledge, its returning staff as counts by
// class, its prevention plan — a filled checklist); the street checks on
// site; the street approves an enterprise below the campaign's threshold
// of employees and a command (指挥部) approves the larger ones. A later
// phase switches the campaign to filing with a pledge (备案): filed at once.

// The restart states.
const (
	Applied    = "applied"    // awaiting the street's on-site check
	Checked    = "checked"    // checked on site, awaiting approval
	Approved   = "approved"   // may restart
	Refused    = "refused"    // may not yet: the reasons say why
	Filed      = "filed"      // filed with a pledge (the later phase)
	Withdrawn  = "withdrawn"  // withdrawn by the enterprise
	StreetRole = "street"     // the street's staff
	Command    = "command"    // the command's staff (指挥部)
	Applicant  = "enterprise" // the enterprise, or staff for it
)

// Step is one row of the restart table.
type Step struct {
	Action string
	From   []string
	To     string
	By     string // StreetRole, Command, Applicant; "approver": whoever the size gives
	Reason bool
}

// RestartSteps is the restart table.
var RestartSteps = []Step{
	{Action: "check", From: []string{Applied}, To: Checked, By: StreetRole},
	{Action: "approve", From: []string{Checked}, To: Approved, By: "approver"},
	{Action: "refuse", From: []string{Applied, Checked}, To: Refused, By: "approver", Reason: true},
	{Action: "withdraw", From: []string{Applied, Checked}, To: Withdrawn, By: Applicant},
	{Action: "reapply", From: []string{Refused}, To: Applied, By: Applicant},
}

// Approver is who approves an enterprise of employees under a campaign's
// threshold: the street below it, the command at or above it.
func Approver(employees, threshold int) string {
	if threshold > 0 && employees >= threshold {
		return Command
	}
	return StreetRole
}

// Restart is the state of an application as the table sees it.
type Restart struct {
	State     string
	Employees int
}

// Take checks action on an application by a party (StreetRole, Command or
// Applicant) under a threshold, and returns the new state.
func Take(r Restart, action, party string, threshold int, reason string) (string, error) {
	i := slices.IndexFunc(RestartSteps, func(s Step) bool { return s.Action == action })
	if i < 0 {
		return "", fault.New(fault.Invalid, "resumption_action", "未知的操作", "unknown action")
	}
	s := RestartSteps[i]
	if !slices.Contains(s.From, r.State) {
		return "", fault.New(fault.Conflict, "resumption_state", fmt.Sprintf("申报当前为“%s”，不能执行此操作", r.State),
			fmt.Sprintf("the application is %s; this cannot be done now", r.State))
	}
	by := s.By
	if by == "approver" {
		by = Approver(r.Employees, threshold)
	}
	if party != by {
		return "", fault.New(fault.Forbidden, "resumption_party", "该操作不由您的角色办理", "your role does not take this step")
	}
	if s.Reason && reason == "" {
		return "", fault.Fields{"reason": {Zh: "请写明原因", En: "the reason is required"}}.Err()
	}
	return s.To, nil
}

// Counts are the returning staff by class (never named people).
type Counts struct {
	Isolating int `json:"isolating"` // 居家（企）隔离
	Returned  int `json:"returned"`  // 新增返甬
	Planning  int `json:"planning"`  // 计划返甬
	OnSite    int `json:"on_site"`   // 在岗
}

// Check validates counts against the enterprise's workers.
func (c Counts) Check(workers int) error {
	fields := fault.Fields{}
	for k, v := range map[string]int{"isolating": c.Isolating, "returned": c.Returned, "planning": c.Planning, "on_site": c.OnSite} {
		if v < 0 {
			fields.Add(k, "人数不能为负", "a count is not negative")
		}
	}
	if workers > 0 && c.OnSite+c.Isolating+c.Planning > workers {
		fields.Add("on_site", fmt.Sprintf("在岗、隔离和计划返岗人数之和不能超过职工总数 %d", workers),
			fmt.Sprintf("on site, isolating and planning to return add up to more than the %d workers", workers))
	}
	return fields.Err()
}
