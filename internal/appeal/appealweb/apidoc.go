package appealweb

import (
	"reflect"
	"slices"

	"qifu/internal/appeal"
	"qifu/internal/rates"
	"qifu/internal/web/core"
)

// The API document's part of the module: the enums of its vocabulary, the
// filters of its lists, an example appeal and the body of each action.

// Enums are the values of the module's string types, for the API document.
// An empty value stands for "none yet" where a field may be empty (an
// appeal not yet replied to or rated, a step without a clock).
func Enums() map[reflect.Type][]string {
	return map[reflect.Type][]string{
		reflect.TypeFor[appeal.Channel]():         core.Strings(appeal.Channels),
		reflect.TypeFor[appeal.Type]():            core.Strings(appeal.Types),
		reflect.TypeFor[appeal.Urgency]():         core.Strings(appeal.Urgencies),
		reflect.TypeFor[appeal.State]():           core.Strings(appeal.States),
		reflect.TypeFor[appeal.Result]():          append([]string{""}, core.Strings(appeal.Results)...),
		reflect.TypeFor[appeal.Rating]():          append([]string{"", string(appeal.NotRated)}, core.Strings(appeal.Ratings)...),
		reflect.TypeFor[appeal.Step]():            core.Strings(appeal.Steps),
		reflect.TypeFor[appeal.Colour]():          {"", string(appeal.Green), string(appeal.Yellow), string(appeal.Red)},
		reflect.TypeFor[appeal.Action]():          actions(),
		reflect.TypeFor[appeal.DispatchStatus]():  core.Strings([]appeal.DispatchStatus{appeal.DispatchPending, appeal.DispatchSigned, appeal.DispatchAnswered, appeal.DispatchReturned, appeal.DispatchWithdrawn, appeal.DispatchCheckedIn, appeal.DispatchDone}),
		reflect.TypeFor[appeal.ExtensionStatus](): core.Strings([]appeal.ExtensionStatus{appeal.ExtensionPending, appeal.ExtensionApproved, appeal.ExtensionRefused}),
		reflect.TypeFor[rates.Dimension]():        core.Strings(assessDimensions),
		reflect.TypeFor[rates.Measure]():          append([]string{""}, core.Strings(assessMeasures)...),
	}
}

// actions are the workflow's actions, in the lifecycle table's order.
func actions() []string {
	var out []string
	for _, t := range appeal.Lifecycle {
		if !slices.Contains(out, string(t.Action)) {
			out = append(out, string(t.Action))
		}
	}
	return out
}

// exampleInput is the example of raising an appeal.
var exampleInput = appeal.Input{Channel: appeal.ChannelWeb, Type: appeal.TypeHelp, Category: "labour.recruit",
	Title: "招工难：急需数控操作工 5 名", Content: "订单增加，急需数控车床操作工 5 名，请协助对接招聘渠道。",
	Urgency: appeal.Urgent, CreditCode: "91330206MA2AAAAA1A", Contact: "王经理", Phone: "13800001234"}

// periodFilters are the period of the figures: dates, both days included.
var periodFilters = []core.Param{
	{Name: "from", Description: "the first day, YYYY-MM-DD (default: 29 days before to)"},
	{Name: "to", Description: "the last day, YYYY-MM-DD, included (default: today)"},
	{Name: "region", Description: "a region code within the caller's scope"},
}

// listFilters are the filters of the appeal lists.
func listFilters() []core.Param {
	var queues []string
	for q := range queueNames {
		if q != "" {
			queues = append(queues, q)
		}
	}
	slices.Sort(queues)
	return []core.Param{
		{Name: "queue", Enum: queues, Description: "one of the caller's queues; all: everything in scope"},
		{Name: "state", Enum: core.Strings(appeal.States)},
		{Name: "category", Description: "a category code; its subcategories are included"},
		{Name: "region", Description: "a region code within the caller's scope"},
		{Name: "department", Type: "integer", Description: "a department's id"},
		{Name: "q", Description: "words of the title, the enterprise's name or the appeal's number"},
		{Name: "source_ref", Description: "the reference a connected system raised the appeal with"},
		{Name: "from", Description: "raised on or after: YYYY-MM-DD or an RFC 3339 instant"},
		{Name: "to", Description: "raised on or before: YYYY-MM-DD (the whole day) or an RFC 3339 instant"},
	}
}

// assessFilters are the choices of the assessment table.
func assessFilters() []core.Param {
	return append(slices.Clone(periodFilters),
		core.Param{Name: "dimension", Enum: core.Strings(assessDimensions)},
		core.Param{Name: "rank_by", Enum: core.Strings(assessMeasures)},
		core.Param{Name: "basic_weight", Type: "number", Description: "the weight of basically satisfied (基本满意) in the satisfaction rate, 0 to 1"})
}

// actionVariants are the operations of the actions: one per action a
// person takes, each with the body of appeal.Bodies.
func actionVariants() core.Variants {
	v := core.Variants{Param: "action"}
	for _, name := range actions() {
		a := appeal.Action(name)
		body, ok := appeal.Bodies[a]
		if !ok {
			continue // the scheduler's own
		}
		v.Each = append(v.Each, core.Variant{Value: name, Summary: "take the step " + name + " on an appeal (needs version; 409 when stale)",
			Always: []string{"version"}, Required: body.Required, Optional: body.Optional})
	}
	return v
}
