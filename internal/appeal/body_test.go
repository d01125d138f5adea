package appeal

import (
	"testing"
	"time"

	"qifu/internal/fault"
)

// TestBodies holds the table of each action's fields to Command.Check: a
// command with only its required fields passes, one without any of them
// is refused naming that field; every action a person takes has a row.
func TestBodies(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	set := func(c *Command, field string) {
		switch field {
		case "note":
			c.Note = "已与企业电话沟通，情况属实"
		case "result":
			c.Result = Solved
		case "rating":
			c.Rating = Satisfied
		case "via":
			c.Via = "phone"
		case "case_id":
			c.CaseID = 1
		case "lead":
			c.Lead = 1
		case "due":
			c.Due = now.Add(72 * time.Hour)
		case "extension_id":
			c.ExtensionID = 1
		case "departments":
			c.Departments = []int64{1, 2}
		case "assists":
			c.Assists = []int64{2}
		case "public", "approve":
			c.Public, c.Approve = true, true
		default:
			t.Fatalf("the table names a field %q no command has", field)
		}
	}
	for _, tr := range Lifecycle {
		if tr.Action == ExpireRating {
			continue
		}
		if _, ok := Bodies[tr.Action]; !ok {
			t.Errorf("action %s has no body in the table", tr.Action)
		}
	}
	for action, body := range Bodies {
		full := Command{Action: action, Version: 1}
		for _, f := range append(body.Required, body.Optional...) {
			set(&full, f)
		}
		if err := full.Check(now); err != nil {
			t.Errorf("%s with every field of its body: %v", action, err)
		}
		for _, missing := range body.Required {
			c := Command{Action: action, Version: 1}
			for _, f := range body.Required {
				if f != missing {
					set(&c, f)
				}
			}
			fe := fault.As(c.Check(now))
			if fe == nil {
				t.Errorf("%s without %s passed the check", action, missing)
			} else if _, named := fe.Fields[missing]; !named {
				t.Errorf("%s without %s: refused naming %v", action, missing, fe.Fields)
			}
		}
	}
}
