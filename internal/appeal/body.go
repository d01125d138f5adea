package appeal

// Body is what the request of a step carries besides the appeal's version:
// the fields of its action, by their names in the API ("note", "lead" …),
// those it must have and those it may.
type Body struct {
	Required, Optional []string
}

// Bodies are the fields each action a person takes reads. Command.Check
// refuses a command without its required fields (a test holds the two
// together); the API document gives each action its body from this table.
// The scheduler's own action (expire_rating) has none.
var Bodies = map[Action]Body{
	Accept:           {Optional: []string{"note"}},
	RequestInfo:      {Required: []string{"note"}},
	SupplyInfo:       {Required: []string{"note"}},
	Resolve:          {Required: []string{"result", "note"}},
	Merge:            {Required: []string{"case_id"}, Optional: []string{"note"}},
	Dispatch:         {Required: []string{"lead"}, Optional: []string{"assists", "due", "note"}},
	Sign:             {Optional: []string{"note"}},
	Return:           {Required: []string{"note"}},
	Note:             {Required: []string{"note"}, Optional: []string{"public"}},
	Urge:             {Optional: []string{"note"}},
	RequestExtension: {Required: []string{"note", "due"}},
	DecideExtension:  {Required: []string{"extension_id"}, Optional: []string{"approve", "note"}},
	AssistReply:      {Required: []string{"note"}},
	Reply:            {Required: []string{"result", "note"}},
	Rate:             {Required: []string{"rating"}, Optional: []string{"note"}},
	ReturnVisit:      {Required: []string{"rating", "via"}, Optional: []string{"note"}},
	RaiseJoint:       {Required: []string{"departments"}, Optional: []string{"due", "note"}},
	JointCheckIn:     {Optional: []string{"note"}},
	JointPart:        {Required: []string{"note"}},
	Confirm:          {Optional: []string{"rating", "note"}},
}
