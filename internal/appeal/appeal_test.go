package appeal

import (
	"slices"
	"testing"

	"qifu/internal/enterprise"
	"qifu/internal/fault"
)

func TestLifecycleTable(t *testing.T) {
	seen := map[Action]bool{}
	for _, tr := range Lifecycle {
		if seen[tr.Action] {
			t.Errorf("%s appears twice", tr.Action)
		}
		seen[tr.Action] = true
		if len(tr.From) == 0 || len(tr.Parties) == 0 {
			t.Errorf("%s: no from states or no parties", tr.Action)
		}
		for _, s := range append(slices.Clone(tr.From), tr.To...) {
			if !slices.Contains(States, s) {
				t.Errorf("%s: unknown state %s", tr.Action, s)
			}
		}
		for _, s := range tr.From {
			if !s.Open() {
				t.Errorf("%s: leaves the final state %s", tr.Action, s)
			}
		}
	}
	// Every state but the final ones has a way out, and every state is reachable.
	reach := map[State]bool{Submitted: true}
	for range States {
		for _, tr := range Lifecycle {
			for _, f := range tr.From {
				if reach[f] {
					for _, to := range tr.To {
						reach[to] = true
					}
				}
			}
		}
	}
	for _, s := range States {
		if !reach[s] {
			t.Errorf("state %s cannot be reached from submitted", s)
		}
	}
}

// TestCheck walks every action × state × party and checks the verdict
// against the table, and a few cases against the domain's words.
func TestCheck(t *testing.T) {
	parties := []Party{PartyEnterprise, PartyRaiser, PartyCommunity, PartyLead, PartyAssist, PartyJoint, PartyLeader, PartySystem}
	for _, tr := range Lifecycle {
		for _, from := range States {
			for _, p := range parties {
				err := Allowed(tr.Action, from, []Party{p})
				mayParty := slices.Contains(tr.Parties, p)
				mayState := slices.Contains(tr.From, from)
				switch {
				case !mayParty && err != ErrNotYours:
					t.Errorf("%s by %s in %s: %v, want not yours", tr.Action, p, from, err)
				case mayParty && !mayState && err != ErrWrongState:
					t.Errorf("%s by %s in %s: %v, want wrong state", tr.Action, p, from, err)
				case mayParty && mayState && err != nil:
					t.Errorf("%s by %s in %s: %v, want allowed", tr.Action, p, from, err)
				}
			}
		}
	}
	cases := []struct {
		action   Action
		from, to State
		party    Party
		ok       bool
	}{
		{Accept, Submitted, Accepted, PartyCommunity, true},
		{Accept, Submitted, Accepted, PartyLead, false},
		{Dispatch, Accepted, Dispatched, PartyCommunity, true},
		{Dispatch, Submitted, Dispatched, PartyCommunity, false}, // accept first
		{Sign, Dispatched, Handling, PartyLead, true},
		{Return, Dispatched, Accepted, PartyLead, true},
		{Reply, Handling, Replied, PartyAssist, false}, // only the lead replies to the enterprise
		{Rate, Replied, Closed, PartyEnterprise, true},
		{Rate, Replied, Closed, PartyCommunity, false}, // the community records a return visit instead
		{ReturnVisit, Replied, Closed, PartyCommunity, true},
		{Rate, Replied, Merged, PartyEnterprise, false}, // not an outcome of a rating
		{RaiseJoint, Handling, Joint, PartyLeader, true},
		{RaiseJoint, Closed, Joint, PartyLeader, false},
		{Confirm, Joint, Closed, PartyEnterprise, true},
		{ExpireRating, Replied, Closed, PartySystem, true},
		{Note, Replied, "", PartyCommunity, false},
		{Urge, Handling, "", PartyLeader, true},
	}
	for _, c := range cases {
		err := Check(c.action, c.from, c.to, []Party{c.party})
		if (err == nil) != c.ok {
			t.Errorf("%s %s→%s by %s: %v, want ok=%v", c.action, c.from, c.to, c.party, err, c.ok)
		}
	}
}

func TestAfterRating(t *testing.T) {
	cases := []struct {
		r         Rating
		redo, max int
		want      State
	}{
		{Satisfied, 0, 1, Closed}, {Basic, 0, 1, Closed}, {Basic, 1, 1, Closed},
		{Unsatisfied, 0, 1, Handling}, {Unsatisfied, 1, 1, Joint}, {Unsatisfied, 3, 1, Joint},
		{Unsatisfied, 0, 0, Joint}, {Unsatisfied, 1, 2, Handling}, {Unsatisfied, 2, 2, Joint},
	}
	for _, c := range cases {
		if got := AfterRating(c.r, c.redo, c.max); got != c.want {
			t.Errorf("AfterRating(%s, %d, %d) = %s, want %s", c.r, c.redo, c.max, got, c.want)
		}
	}
}

func TestLimitsFor(t *testing.T) {
	admin := []LimitRule{
		{Category: "labour", Step: StepHandle, Span: Days(4)},
		{Category: "labour.dispute", Type: TypeComplaint, Step: StepHandle, Span: Days(15)},
		{Urgency: Critical, Step: StepAccept, Span: Hours(2)}, // looser than the default's 1 h
	}
	cases := []struct {
		name  string
		rules []LimitRule
		cat   string
		typ   Type
		urg   Urgency
		step  Step
		want  Span
	}{
		{"default accept", nil, "tax", TypeHelp, Normal, StepAccept, Hours(4)},
		{"urgent accept", nil, "tax", TypeHelp, Urgent, StepAccept, Hours(2)},
		{"consultation handle", nil, "tax", TypeConsultation, Normal, StepHandle, Days(3)},
		{"complaint handle", nil, "tax", TypeComplaint, Normal, StepHandle, Days(10)},
		{"urgent complaint: type and urgency both match, type wins", nil, "tax", TypeComplaint, Urgent, StepHandle, Days(10)},
		{"critical help", nil, "tax", TypeHelp, Critical, StepHandle, Days(1)},
		{"admin parent category", admin, "labour.recruit", TypeHelp, Normal, StepHandle, Days(4)},
		{"admin exact category and type", admin, "labour.dispute", TypeComplaint, Normal, StepHandle, Days(15)},
		{"admin rule of another category", admin, "tax", TypeHelp, Normal, StepHandle, Days(5)},
		{"admin urgency rule overrides the default", admin, "tax", TypeHelp, Critical, StepAccept, Hours(2)},
		{"admin rules leave other steps to the defaults", admin, "labour", TypeHelp, Normal, StepSign, Days(1)},
	}
	for _, c := range cases {
		got := LimitsFor(c.rules, c.cat, c.typ, c.urg)
		if got[c.step] != c.want {
			t.Errorf("%s: %s = %+v, want %+v", c.name, c.step, got[c.step], c.want)
		}
		for _, st := range Steps {
			if got[st].N <= 0 {
				t.Errorf("%s: no limit for step %s", c.name, st)
			}
		}
	}
}

func TestValidate(t *testing.T) {
	check, _ := enterprise.CheckChar("91330206MA2GQ1234")
	code := "91330206MA2GQ1234" + string(check)
	wrong := "91330206MA2GQ1234" + map[bool]string{true: "1", false: "0"}[check == '0']
	good := Input{Channel: ChannelWeb, Type: TypeHelp, Category: "labour.recruit", Title: "招工困难",
		Content: "缺少熟练工人约 30 名。", CreditCode: code, Contact: "王经理", Phone: "138 0574 1234"}
	good.Normalize()
	cats := DefaultCategories()
	if err := good.Validate(cats); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	if good.Urgency != Normal || good.Phone != "13805741234" {
		t.Errorf("normalized: urgency %q phone %q", good.Urgency, good.Phone)
	}
	bad := []struct {
		field string
		edit  func(*Input)
	}{
		{"channel", func(in *Input) { in.Channel = "fax" }},
		{"type", func(in *Input) { in.Type = "" }},
		{"urgency", func(in *Input) { in.Urgency = "asap" }},
		{"category", func(in *Input) { in.Category = "nope" }},
		{"title", func(in *Input) { in.Title = "" }},
		{"content", func(in *Input) { in.Content = "短" }},
		{"credit_code", func(in *Input) { in.CreditCode = wrong }},
		{"contact", func(in *Input) { in.Contact = "" }},
		{"phone", func(in *Input) { in.Phone = "12345" }},
	}
	for _, b := range bad {
		in := good
		b.edit(&in)
		err := in.Validate(cats)
		if f := fault.As(err); f == nil || f.Fields[b.field] == (fault.Msg{}) {
			t.Errorf("%s: %v, want a message for it", b.field, err)
		}
	}
}

func TestColourOf(t *testing.T) {
	for _, c := range []struct {
		used float64
		want Colour
	}{{0, Green}, {0.79, Green}, {0.8, Yellow}, {0.99, Yellow}, {1, Red}, {3, Red}} {
		if got := ColourOf(c.used); got != c.want {
			t.Errorf("ColourOf(%v) = %s, want %s", c.used, got, c.want)
		}
	}
}

func TestSimilarity(t *testing.T) {
	cases := []struct {
		a, b     string
		min, max float64
	}{
		{"旺季招工困难", "旺季招工困难", 1, 1},
		{"旺季招工困难，缺少操作工", "招工困难，缺少熟练工人", 0.4, 0.9},
		{"旺季招工困难", "出口退税进度", 0, 0},
		{"", "招工", 0, 0},
		{"Power cut", "power CUT!", 1, 1},
	}
	for _, c := range cases {
		if got := Similarity(c.a, c.b); got < c.min || got > c.max {
			t.Errorf("Similarity(%q, %q) = %.2f, want %.2f–%.2f", c.a, c.b, got, c.min, c.max)
		}
	}
}
