package resumptionweb

import (
	"net/http"
	"strconv"
	"time"

	"qifu/internal/access"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/web/core"
)

// The API's records: reports, restart applications, checks and findings,
// blocks and flags, the electricity file and the powers to inspect.

type reportInput struct {
	EnterpriseID int64    `json:"enterprise_id,omitempty"`
	Resumed      bool     `json:"resumed"`
	Since        string   `json:"since,omitempty"`
	OutputShare  int      `json:"output_share"`
	OnSite       int      `json:"on_site"`
	Workers      int      `json:"workers"`
	Orders       string   `json:"orders,omitempty"`
	Difficulties string   `json:"difficulties,omitempty"`
	BlockedBy    []string `json:"blocked_by,omitempty"`
	Isolating    int      `json:"isolating,omitempty"`
	Returned     int      `json:"returned,omitempty"`
	Planning     int      `json:"planning,omitempty"`
	NoChange     bool     `json:"no_change,omitempty"`
	Version      int64    `json:"version,omitempty"`
}

var exampleReport = reportInput{Resumed: true, Since: "2026-11-30", OutputShare: 8500, OnSite: 46, Workers: 52, Orders: "订单恢复至去年同期九成",
	BlockedBy: []string{"91330206MA2H5GXXXX"}, Isolating: 1, Returned: 3, Planning: 2}

type reportJSON struct {
	ID           int64     `json:"id"`
	CampaignID   int64     `json:"campaign_id"`
	EnterpriseID int64     `json:"enterprise_id"`
	Enterprise   string    `json:"enterprise"`
	Period       string    `json:"period"`
	Resumed      bool      `json:"resumed"`
	Since        string    `json:"since,omitempty"`
	OutputShare  int       `json:"output_share"`
	OnSite       int       `json:"on_site"`
	Workers      int       `json:"workers"`
	Orders       string    `json:"orders,omitempty"`
	Difficulties string    `json:"difficulties,omitempty"`
	NoChange     bool      `json:"no_change"`
	Isolating    int       `json:"isolating"`
	Returned     int       `json:"returned"`
	Planning     int       `json:"planning"`
	Channel      string    `json:"channel"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
	Corrections  int       `json:"corrections"`
	Version      int64     `json:"version"`
}

func toReport(r resumptiondb.Report) reportJSON {
	return reportJSON{ID: r.ID, CampaignID: r.CampaignID, EnterpriseID: r.EnterpriseID, Enterprise: r.Enterprise, Period: r.Period,
		Resumed: r.Resumed, Since: r.Since, OutputShare: r.OutputShare, OnSite: r.OnSite, Workers: r.Workers, Orders: r.Orders,
		Difficulties: r.Difficulties, NoChange: r.NoChange, Isolating: r.Isolating, Returned: r.Returned, Planning: r.Planning,
		Channel: r.Channel, By: r.ByName, At: r.At, Corrections: r.Corrections, Version: r.Version}
}

func (s *Handlers) apiSubmit(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in reportInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	eid := a.EnterpriseID
	if a.Role != access.RoleEnterprise {
		eid = in.EnterpriseID
	}
	if eid == 0 {
		return errNoEnterprise
	}
	rep, replayed, err := s.res.SubmitReport(r.Context(), a, resumptiondb.ReportInput{CampaignID: id, EnterpriseID: eid,
		Report: resumption.Report{Resumed: in.Resumed, Since: in.Since, OutputShare: in.OutputShare, OnSite: in.OnSite, Workers: in.Workers,
			Orders: in.Orders, BlockedBy: in.BlockedBy, Isolating: in.Isolating, Returned: in.Returned, Planning: in.Planning},
		Difficulties: in.Difficulties, NoChange: in.NoChange, Key: r.Header.Get("Idempotency-Key"), Version: in.Version})
	if err != nil {
		return err
	}
	code := http.StatusCreated
	if replayed {
		code = http.StatusOK
	}
	core.WriteJSON(w, code, toReport(rep))
	return nil
}

func (s *Handlers) apiReports(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.List[reportJSON], error) {
	list, total, err := s.res.Reports(r.Context(), a, id, r.URL.Query().Get("period"), core.PageOf(r))
	out := core.List[reportJSON]{Items: []reportJSON{}, Total: total}
	for _, x := range list {
		out.Items = append(out.Items, toReport(x))
	}
	return out, err
}

type prefillJSON struct {
	Campaign     campaignJSON `json:"campaign"`
	EnterpriseID int64        `json:"enterprise_id"`
	Period       string       `json:"period"`
	This         *reportJSON  `json:"this,omitempty"`
	Latest       *reportJSON  `json:"latest,omitempty"`
}

func (s *Handlers) apiReportPage(r *http.Request, a access.Actor, id int64, _ core.NoBody) (prefillJSON, error) {
	eid := enterpriseParam(r, a)
	if eid == 0 {
		return prefillJSON{}, errNoEnterprise
	}
	p, err := s.res.ReportPage(r.Context(), a, id, eid)
	if err != nil {
		return prefillJSON{}, err
	}
	out := prefillJSON{Campaign: s.toCampaign(p.Campaign), EnterpriseID: eid, Period: p.Period}
	if p.This != nil {
		j := toReport(*p.This)
		out.This = &j
	}
	if p.Latest != nil {
		j := toReport(*p.Latest)
		out.Latest = &j
	}
	return out, nil
}

type crossCheckInput struct {
	Month string `json:"month"`
}

type flaggedJSON struct {
	Flagged int `json:"flagged"`
}

func (s *Handlers) apiCrossCheck(r *http.Request, a access.Actor, id int64, in crossCheckInput) (flaggedJSON, error) {
	n, err := s.res.CrossCheck(r.Context(), a, id, in.Month)
	return flaggedJSON{Flagged: n}, err
}

type countsJSON struct {
	OnSite    int `json:"on_site"`
	Returned  int `json:"returned"`
	Planning  int `json:"planning"`
	Isolating int `json:"isolating"`
}

type restartInput struct {
	EnterpriseID int64      `json:"enterprise_id,omitempty"`
	Pledge       string     `json:"pledge"`
	Counts       countsJSON `json:"counts"`
}

var exampleRestart = restartInput{Pledge: "本企业承诺落实防疫清单各项措施，如实报告员工健康情况，发现异常立即报告社区。",
	Counts: countsJSON{OnSite: 40, Returned: 6, Planning: 4, Isolating: 1}}

type stepJSON struct {
	N      int       `json:"n"`
	Action string    `json:"action"`
	State  string    `json:"state"`
	By     string    `json:"by"`
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
}

type restartJSON struct {
	ID           int64      `json:"id"`
	CampaignID   int64      `json:"campaign_id"`
	EnterpriseID int64      `json:"enterprise_id"`
	Enterprise   string     `json:"enterprise"`
	State        string     `json:"state"`
	Employees    int        `json:"employees"`
	Approver     string     `json:"approver"`
	Pledge       string     `json:"pledge"`
	Counts       countsJSON `json:"counts"`
	Reason       string     `json:"reason,omitempty"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Steps        []stepJSON `json:"steps"`
	Version      int64      `json:"version"`
}

func toRestart(x resumptiondb.Restart) restartJSON {
	j := restartJSON{ID: x.ID, CampaignID: x.CampaignID, EnterpriseID: x.EnterpriseID, Enterprise: x.Enterprise, State: x.State,
		Employees: x.Employees, Approver: x.Approver, Pledge: x.Pledge, Reason: x.Reason, UpdatedAt: x.UpdatedAt, Version: x.Version,
		Counts: countsJSON{OnSite: x.Counts.OnSite, Returned: x.Counts.Returned, Planning: x.Counts.Planning, Isolating: x.Counts.Isolating},
		Steps:  []stepJSON{}}
	for _, st := range x.Steps {
		j.Steps = append(j.Steps, stepJSON{N: st.N, Action: st.Action, State: st.State, By: st.ByName, Reason: st.Reason, At: st.At})
	}
	return j
}

func (s *Handlers) apiApply(r *http.Request, a access.Actor, id int64, in restartInput) (restartJSON, error) {
	eid := a.EnterpriseID
	if a.Role != access.RoleEnterprise {
		eid = in.EnterpriseID
	}
	if eid == 0 {
		return restartJSON{}, errNoEnterprise
	}
	x, err := s.res.ApplyRestart(r.Context(), a, resumptiondb.RestartInput{CampaignID: id, EnterpriseID: eid, Pledge: in.Pledge,
		Counts: resumption.Counts{OnSite: in.Counts.OnSite, Returned: in.Counts.Returned, Planning: in.Counts.Planning, Isolating: in.Counts.Isolating}})
	return toRestart(x), err
}

func (s *Handlers) apiRestarts(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[restartJSON], error) {
	q := r.URL.Query()
	campaign, _ := strconv.ParseInt(q.Get("campaign"), 10, 64)
	list, total, err := s.res.Restarts(r.Context(), a, resumptiondb.RestartQuery{CampaignID: campaign, State: q.Get("state"), Page: core.PageOf(r)})
	out := core.List[restartJSON]{Items: []restartJSON{}, Total: total}
	for _, x := range list {
		out.Items = append(out.Items, toRestart(x))
	}
	return out, err
}

func (s *Handlers) apiRestart(r *http.Request, a access.Actor, id int64, _ core.NoBody) (restartJSON, error) {
	x, err := s.res.Restart(r.Context(), a, id)
	return toRestart(x), err
}

type actInput struct {
	Action  string `json:"action"`
	Version int64  `json:"version"`
	Reason  string `json:"reason,omitempty"`
}

func (s *Handlers) apiAct(r *http.Request, a access.Actor, id int64, in actInput) (restartJSON, error) {
	x, err := s.res.ActRestart(r.Context(), a, id, in.Version, in.Action, in.Reason)
	return toRestart(x), err
}

type findingInput struct {
	Kind     string `json:"kind"`
	Item     string `json:"item,omitempty"`
	Note     string `json:"note"`
	Matter   string `json:"matter,omitempty"`
	Basis    string `json:"basis,omitempty"`
	Deadline string `json:"deadline"`
	Consent  bool   `json:"consent,omitempty"`
}

type checkInput struct {
	EnterpriseID int64             `json:"enterprise_id"`
	CampaignID   int64             `json:"campaign_id,omitempty"`
	Checklist    string            `json:"checklist"`
	Results      map[string]string `json:"results"`
	Findings     []findingInput    `json:"findings,omitempty"`
}

var exampleCheck = func() checkInput {
	c := checkInput{EnterpriseID: 12, Checklist: "prevention", Results: map[string]string{}}
	for _, it := range resumption.Prevention.Items() {
		c.Results[it.Key] = string(resumption.Done)
	}
	c.Results["masks"] = string(resumption.NotDone)
	c.Findings = []findingInput{{Kind: string(resumption.Improvement), Item: "masks", Note: "口罩储备不足七天，企业同意三天内补足", Deadline: "2026-12-10", Consent: true}}
	return c
}()

type checkJSON struct {
	ID           int64             `json:"id"`
	CampaignID   int64             `json:"campaign_id,omitempty"`
	EnterpriseID int64             `json:"enterprise_id"`
	Checklist    string            `json:"checklist"`
	Kind         string            `json:"kind"`
	Department   string            `json:"department,omitempty"`
	Results      map[string]string `json:"results"`
	Points       int               `json:"points"`
	Of           int               `json:"of"`
	By           string            `json:"by"`
	At           time.Time         `json:"at"`
	Findings     []findingJSON     `json:"findings,omitempty"`
}

func toCheck(c resumptiondb.Check, fs []resumptiondb.Finding) checkJSON {
	j := checkJSON{ID: c.ID, CampaignID: c.CampaignID, EnterpriseID: c.EnterpriseID, Checklist: c.Checklist, Kind: c.Kind, Department: c.Department,
		Results: map[string]string{}, Points: c.Points, Of: c.Of, By: c.ByName, At: c.At}
	for k, v := range c.Results {
		j.Results[k] = string(v)
	}
	for _, f := range fs {
		j.Findings = append(j.Findings, toFinding(f))
	}
	return j
}

func (s *Handlers) apiCheck(r *http.Request, a access.Actor, _ int64, in checkInput) (checkJSON, error) {
	ci := resumptiondb.CheckInput{EnterpriseID: in.EnterpriseID, CampaignID: in.CampaignID, Checklist: in.Checklist, Results: map[string]resumption.Result{}}
	for k, v := range in.Results {
		ci.Results[k] = resumption.Result(v)
	}
	for _, f := range in.Findings {
		ci.Findings = append(ci.Findings, resumptiondb.FindingInput{Kind: resumption.FindingKind(f.Kind), ItemKey: f.Item, Note: f.Note, Matter: f.Matter,
			Basis: f.Basis, Deadline: f.Deadline, Consent: f.Consent})
	}
	c, fs, err := s.res.RecordCheck(r.Context(), a, ci)
	return toCheck(c, fs), err
}

func (s *Handlers) apiChecks(r *http.Request, a access.Actor, id int64, _ core.NoBody) (core.Items[checkJSON], error) {
	list, err := s.res.Checks(r.Context(), a, id)
	out := core.Items[checkJSON]{Items: []checkJSON{}}
	for _, c := range list {
		out.Items = append(out.Items, toCheck(c, nil))
	}
	return out, err
}

type findingJSON struct {
	ID           int64     `json:"id"`
	CheckID      int64     `json:"check_id"`
	EnterpriseID int64     `json:"enterprise_id"`
	Enterprise   string    `json:"enterprise"`
	Kind         string    `json:"kind"`
	Item         string    `json:"item,omitempty"`
	Note         string    `json:"note"`
	Matter       string    `json:"matter,omitempty"`
	Basis        string    `json:"basis,omitempty"`
	Department   string    `json:"department,omitempty"`
	Deadline     string    `json:"deadline"`
	State        string    `json:"state"`
	ClosedBy     string    `json:"closed_by,omitempty"`
	RecheckNote  string    `json:"recheck_note,omitempty"`
	AppealID     int64     `json:"appeal_id,omitempty"`
	Escalated    bool      `json:"escalated"`
	CreatedAt    time.Time `json:"created_at"`
	Version      int64     `json:"version"`
}

func toFinding(f resumptiondb.Finding) findingJSON {
	return findingJSON{ID: f.ID, CheckID: f.CheckID, EnterpriseID: f.EnterpriseID, Enterprise: f.Enterprise, Kind: string(f.Kind), Item: f.ItemKey,
		Note: f.Note, Matter: f.Matter, Basis: f.Basis, Department: f.Department, Deadline: f.Deadline, State: f.State, ClosedBy: f.ClosedBy,
		RecheckNote: f.RecheckNote, AppealID: f.AppealID, Escalated: !f.EscalatedAt.IsZero(), CreatedAt: f.CreatedAt, Version: f.Version}
}

func (s *Handlers) apiFindings(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[findingJSON], error) {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	late, _ := strconv.ParseBool(q.Get("late"))
	list, total, err := s.res.Findings(r.Context(), a, resumptiondb.FindingQuery{EnterpriseID: ent, State: q.Get("state"), Kind: q.Get("kind"), Late: late, Page: core.PageOf(r)})
	out := core.List[findingJSON]{Items: []findingJSON{}, Total: total}
	for _, f := range list {
		out.Items = append(out.Items, toFinding(f))
	}
	return out, err
}

func (s *Handlers) apiFinding(r *http.Request, a access.Actor, id int64, _ core.NoBody) (findingJSON, error) {
	f, err := s.res.Finding(r.Context(), a, id)
	return toFinding(f), err
}

type closeInput struct {
	Version int64  `json:"version"`
	Note    string `json:"note"`
}

func (s *Handlers) apiCloseFinding(r *http.Request, a access.Actor, id int64, in closeInput) (findingJSON, error) {
	f, err := s.res.CloseFinding(r.Context(), a, id, in.Version, in.Note)
	return toFinding(f), err
}

type appealInput struct {
	Category string `json:"category"`
}

func (s *Handlers) apiAppeal(r *http.Request, a access.Actor, id int64, in appealInput) (findingJSON, error) {
	f, err := s.res.RaiseAppeal(r.Context(), a, id, in.Category)
	return toFinding(f), err
}

type blockJSON struct {
	ID         int64     `json:"id"`
	CampaignID int64     `json:"campaign_id"`
	LeadID     int64     `json:"lead_id"`
	Lead       string    `json:"lead"`
	SupplierID int64     `json:"supplier_id"`
	Supplier   string    `json:"supplier"`
	Grid       string    `json:"supplier_grid"`
	State      string    `json:"state"`
	Answer     string    `json:"answer,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	Version    int64     `json:"version"`
}

func toBlock(b resumptiondb.Block) blockJSON {
	return blockJSON{ID: b.ID, CampaignID: b.CampaignID, LeadID: b.LeadID, Lead: b.Lead, SupplierID: b.SupplierID, Supplier: b.Supplier,
		Grid: b.SupplierGrid, State: b.State, Answer: b.Answer, CreatedAt: b.CreatedAt, Version: b.Version}
}

func (s *Handlers) apiBlocks(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[blockJSON], error) {
	q := r.URL.Query()
	campaign, _ := strconv.ParseInt(q.Get("campaign"), 10, 64)
	list, total, err := s.res.Blocks(r.Context(), a, resumptiondb.BlockQuery{CampaignID: campaign, State: q.Get("state"), Page: core.PageOf(r)})
	out := core.List[blockJSON]{Items: []blockJSON{}, Total: total}
	for _, b := range list {
		out.Items = append(out.Items, toBlock(b))
	}
	return out, err
}

type answerInput struct {
	Version int64  `json:"version"`
	Answer  string `json:"answer"`
}

func (s *Handlers) apiResolve(r *http.Request, a access.Actor, id int64, in answerInput) (blockJSON, error) {
	b, err := s.res.ResolveBlock(r.Context(), a, id, in.Version, in.Answer)
	return toBlock(b), err
}

type flagJSON struct {
	ID           int64   `json:"id"`
	CampaignID   int64   `json:"campaign_id"`
	EnterpriseID int64   `json:"enterprise_id"`
	Enterprise   string  `json:"enterprise"`
	Grid         string  `json:"grid"`
	Month        string  `json:"month"`
	Mismatch     string  `json:"mismatch"`
	Resumed      bool    `json:"resumed"`
	KWh          int64   `json:"kwh"`
	Baseline     int64   `json:"baseline_kwh"`
	Ratio        float64 `json:"ratio_percent"`
	State        string  `json:"state"`
	Answer       string  `json:"answer,omitempty"`
	Version      int64   `json:"version"`
}

func toFlag(f resumptiondb.Flag) flagJSON {
	return flagJSON{ID: f.ID, CampaignID: f.CampaignID, EnterpriseID: f.EnterpriseID, Enterprise: f.Enterprise, Grid: f.Grid, Month: f.Month,
		Mismatch: string(f.Mismatch), Resumed: f.Resumed, KWh: f.KWh, Baseline: f.Baseline, Ratio: f.Ratio(), State: f.State, Answer: f.Answer, Version: f.Version}
}

func (s *Handlers) apiFlags(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[flagJSON], error) {
	q := r.URL.Query()
	campaign, _ := strconv.ParseInt(q.Get("campaign"), 10, 64)
	list, total, err := s.res.Flags(r.Context(), a, resumptiondb.FlagQuery{CampaignID: campaign, State: q.Get("state"), Page: core.PageOf(r)})
	out := core.List[flagJSON]{Items: []flagJSON{}, Total: total}
	for _, f := range list {
		out.Items = append(out.Items, toFlag(f))
	}
	return out, err
}

func (s *Handlers) apiCheckFlag(r *http.Request, a access.Actor, id int64, in answerInput) (flagJSON, error) {
	f, err := s.res.CheckFlag(r.Context(), a, id, in.Version, in.Answer)
	return toFlag(f), err
}

type exceptionsJSON struct {
	Campaign    campaignJSON  `json:"campaign"`
	Period      string        `json:"period"`
	NotReported int           `json:"not_reported"`
	Missing     []memberJSON  `json:"not_reported_first"`
	Flags       int           `json:"flags"`
	FlagList    []flagJSON    `json:"flags_first"`
	Blocks      int           `json:"blocks"`
	BlockList   []blockJSON   `json:"blocks_first"`
	Late        int           `json:"late_findings"`
	LateList    []findingJSON `json:"late_findings_first"`
}

func (s *Handlers) apiExceptions(r *http.Request, a access.Actor, id int64, _ core.NoBody) (exceptionsJSON, error) {
	x, err := s.res.Exceptions(r.Context(), a, id)
	if err != nil {
		return exceptionsJSON{}, err
	}
	out := exceptionsJSON{Campaign: s.toCampaign(x.Campaign), Period: x.Period, NotReported: x.Missing, Flags: x.FlagCount, Blocks: x.BlockCount,
		Late: x.LateCount, Missing: []memberJSON{}, FlagList: []flagJSON{}, BlockList: []blockJSON{}, LateList: []findingJSON{}}
	for _, m := range x.NotReported {
		out.Missing = append(out.Missing, toMember(m))
	}
	for _, f := range x.Flags {
		out.FlagList = append(out.FlagList, toFlag(f))
	}
	for _, b := range x.Blocks {
		out.BlockList = append(out.BlockList, toBlock(b))
	}
	for _, f := range x.Late {
		out.LateList = append(out.LateList, toFinding(f))
	}
	return out, nil
}

type powerRowJSON struct {
	CreditCode string `json:"credit_code"`
	Month      string `json:"month"`
	KWh        int64  `json:"kwh"`
}

type powerInput struct {
	Rows []powerRowJSON `json:"rows"`
}

type rowErrorJSON struct {
	Row     int    `json:"row"`
	Message string `json:"message"`
	En      string `json:"message_en"`
}

type powerResultJSON struct {
	Rows    int            `json:"rows"`
	Flagged int            `json:"flagged"`
	Errors  []rowErrorJSON `json:"errors"`
}

func (s *Handlers) apiPower(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in powerInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	rows := make([]resumptiondb.PowerRow, len(in.Rows))
	for i, x := range in.Rows {
		rows[i] = resumptiondb.PowerRow{CreditCode: x.CreditCode, Month: x.Month, KWh: x.KWh}
	}
	res, err := s.res.ImportPower(r.Context(), a, rows)
	if err != nil {
		return err
	}
	out := powerResultJSON{Rows: res.Rows, Flagged: res.Flagged, Errors: []rowErrorJSON{}}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, rowErrorJSON{Row: e.Row, Message: e.Message.Zh, En: e.Message.En})
	}
	code := http.StatusOK
	if len(out.Errors) > 0 {
		code = http.StatusUnprocessableEntity
	}
	core.WriteJSON(w, code, out)
	return nil
}

type powerJSON struct {
	DepartmentID int64  `json:"department_id"`
	Department   string `json:"department,omitempty"`
	Matter       string `json:"matter"`
	Basis        string `json:"basis"`
}

func (s *Handlers) apiPowers(r *http.Request, _ access.Actor, _ int64, _ core.NoBody) (core.Items[powerJSON], error) {
	list, err := s.res.Powers(r.Context())
	out := core.Items[powerJSON]{Items: []powerJSON{}}
	for _, p := range list {
		out.Items = append(out.Items, powerJSON{DepartmentID: p.DepartmentID, Department: p.Department, Matter: p.Matter, Basis: p.Basis})
	}
	return out, err
}

func (s *Handlers) apiSetPower(r *http.Request, a access.Actor, _ int64, in powerJSON) (struct{}, error) {
	return struct{}{}, s.res.SetPower(r.Context(), a, in.DepartmentID, in.Matter, in.Basis)
}
