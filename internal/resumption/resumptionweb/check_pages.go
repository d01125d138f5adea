package resumptionweb

import (
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/department"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/web/core"
)

// On-site checks and their findings followed to closure; the stalled
// suppliers and the electricity flags of a grid worker; the power
// company's file; the powers to inspect.

var errNoEnterprise = fault.New(fault.Invalid, "enterprise", "请指明为哪家企业（enterprise）", "name the enterprise (enterprise)")

// newKey is an idempotency key for a form: a double tap submits once.
func newKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type enterpriseData struct {
	base
	E        enterprise.Enterprise
	Checks   []resumptiondb.Check
	Findings []resumptiondb.Finding
	Lists    []resumption.Checklist
	MayCheck bool
}

func (s *Handlers) enterprisePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	checks, err := s.res.Checks(ctx, a, id)
	if err != nil {
		return err
	}
	e, err := s.store.Enterprise(ctx, a, id)
	if err != nil {
		return err
	}
	p := &enterpriseData{E: e, Checks: checks, Lists: resumption.Templates, MayCheck: access.May(a.Role, access.ResumeCheck)}
	if p.Findings, _, err = s.res.Findings(ctx, a, resumptiondb.FindingQuery{EnterpriseID: id}); err != nil {
		return err
	}
	p.Title = e.Name
	s.Render(w, r, http.StatusOK, "resumption_enterprise", p)
	return nil
}

type checkFormData struct {
	base
	E          enterprise.Enterprise
	List       resumption.Checklist
	CampaignID int64
	Results    map[string]resumption.Result
	Findings   []resumptiondb.FindingInput
	Powers     []resumption.Power
	Inspector  bool
	Rows       []int
	Deadline   string
}

// MayOrder reports whether the inspector's department holds the power to
// inspect the list's matter.
func (d *checkFormData) MayOrder() bool {
	for _, p := range d.Powers {
		if p.Matter == d.List.Matter {
			return true
		}
	}
	return false
}

// Finding is the i-th finding typed, or an empty one.
func (d *checkFormData) Finding(i int) resumptiondb.FindingInput {
	if i < len(d.Findings) {
		return d.Findings[i]
	}
	return resumptiondb.FindingInput{Deadline: d.Deadline}
}

func (s *Handlers) checkFormPage(w http.ResponseWriter, r *http.Request) error {
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	cl, ok := resumption.TemplateOf(r.URL.Query().Get("checklist"))
	if !ok {
		cl = resumption.Prevention
	}
	campaign, _ := strconv.ParseInt(r.URL.Query().Get("campaign"), 10, 64)
	return s.showCheckForm(w, r, id, &checkFormData{List: cl, CampaignID: campaign, Results: map[string]resumption.Result{}}, http.StatusOK)
}

func (s *Handlers) showCheckForm(w http.ResponseWriter, r *http.Request, id int64, d *checkFormData, code int) error {
	a, _ := core.ActorOf(r)
	e, err := s.store.Enterprise(r.Context(), a, id)
	if err != nil {
		return err
	}
	d.E = e
	d.Inspector = a.Role == access.RoleDepartment
	if d.Powers, err = s.res.MayOrder(r.Context(), a); err != nil {
		return err
	}
	d.Rows = []int{0, 1, 2}
	d.Deadline = s.store.Now().AddDate(0, 0, 7).Format("2006-01-02")
	d.Title = s.T(core.LangOf(r), "rs.check")
	s.Render(w, r, code, "resumption_check", d)
	return nil
}

func (s *Handlers) checkPost(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	cl, _ := resumption.TemplateOf(r.FormValue("checklist"))
	in := resumptiondb.CheckInput{EnterpriseID: id, CampaignID: formID(r, "campaign"), Checklist: r.FormValue("checklist"),
		Results: map[string]resumption.Result{}}
	for _, it := range cl.Items() {
		if v := r.FormValue("r_" + it.Key); v != "" {
			in.Results[it.Key] = resumption.Result(v)
		}
	}
	for i := range 3 {
		n := strconv.Itoa(i)
		note := strings.TrimSpace(r.FormValue("f" + n + "_note"))
		if note == "" {
			continue
		}
		in.Findings = append(in.Findings, resumptiondb.FindingInput{Kind: resumption.FindingKind(r.FormValue("f" + n + "_kind")),
			ItemKey: r.FormValue("f" + n + "_item"), Note: note, Basis: r.FormValue("f" + n + "_basis"), Deadline: r.FormValue("f" + n + "_deadline"),
			Consent: r.FormValue("f"+n+"_consent") == "1"})
	}
	_, _, err = s.res.RecordCheck(r.Context(), a, in)
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		d := &checkFormData{List: cl, CampaignID: in.CampaignID, Results: in.Results, Findings: in.Findings}
		if d.List.Key == "" {
			d.List = resumption.Prevention
		}
		d.Errors = msgs
		return s.showCheckForm(w, r, id, d, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/resumption/enterprises/%d", id), "rs.checked", "")
	return nil
}

type findingsData struct {
	base
	List  []resumptiondb.Finding
	Total int
	Pager core.Pager
	State string
	Late  bool
}

func (s *Handlers) findingsPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	page := core.PageOf(r)
	p := &findingsData{State: r.URL.Query().Get("state"), Late: r.URL.Query().Get("late") == "1"}
	var err error
	if p.List, p.Total, err = s.res.Findings(r.Context(), a, resumptiondb.FindingQuery{State: p.State, Late: p.Late, Page: page}); err != nil {
		return err
	}
	p.Pager = core.NewPager(r, page, p.Total)
	p.Title = s.T(core.LangOf(r), "rs.findings")
	s.Render(w, r, http.StatusOK, "resumption_findings", p)
	return nil
}

type findingData struct {
	base
	F          resumptiondb.Finding
	MayClose   bool
	MayAppeal  bool
	Categories appeal.Categories
	Colour     string
}

func (s *Handlers) findingPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.res.Finding(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &findingData{F: f, MayClose: s.res.MayClose(r.Context(), a, f), Colour: f.Colour(s.store.Now()),
		MayAppeal: f.State == resumptiondb.FindingOpen && f.AppealID == 0 && access.May(a.Role, access.AppealCreate)}
	if p.MayAppeal {
		if p.Categories, err = s.res.Categories(r.Context()); err != nil {
			return err
		}
	}
	p.Title = s.T(core.LangOf(r), "rs.finding")
	s.Render(w, r, http.StatusOK, "resumption_finding", p)
	return nil
}

func (s *Handlers) closeFindingPage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	if _, err := s.res.CloseFinding(r.Context(), a, id, formID(r, "version"), r.FormValue("note")); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/resumption/findings/%d", id), "rs.closed", "")
	return nil
}

func (s *Handlers) appealFindingPage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	f, err := s.res.RaiseAppeal(r.Context(), a, id, r.FormValue("category"))
	if err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/appeals/%d", f.AppealID), "rs.appealed", "")
	return nil
}

type blockData struct {
	base
	B          resumptiondb.Block
	MayResolve bool
}

func (s *Handlers) blockPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.res.Block(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &blockData{B: b, MayResolve: b.State == "open" && access.May(a.Role, access.ResumeCheck)}
	p.Title = s.T(core.LangOf(r), "rs.block")
	s.Render(w, r, http.StatusOK, "resumption_block", p)
	return nil
}

func (s *Handlers) resolveBlockPage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	if _, err := s.res.ResolveBlock(r.Context(), a, id, formID(r, "version"), r.FormValue("answer")); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/resumption/blocks/%d", id), "rs.saved", "")
	return nil
}

type flagData struct {
	base
	F        resumptiondb.Flag
	MayCheck bool
}

func (s *Handlers) flagPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.res.Flag(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &flagData{F: f, MayCheck: f.State == "open" && access.May(a.Role, access.ResumeCheck)}
	p.Title = s.T(core.LangOf(r), "rs.flag")
	s.Render(w, r, http.StatusOK, "resumption_flag", p)
	return nil
}

func (s *Handlers) checkFlagPage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	if _, err := s.res.CheckFlag(r.Context(), a, id, formID(r, "version"), r.FormValue("answer")); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/resumption/flags/%d", id), "rs.saved", "")
	return nil
}

type powerData struct {
	base
	Rows   string
	Result *resumptiondb.PowerResult
}

func (s *Handlers) powerPage(w http.ResponseWriter, r *http.Request) error {
	p := &powerData{}
	p.Title = s.T(core.LangOf(r), "rs.power")
	s.Render(w, r, http.StatusOK, "resumption_power", p)
	return nil
}

// parsePower reads pasted rows "credit code, month, kWh" (commas or tabs).
func parsePower(text string) ([]resumptiondb.PowerRow, error) {
	text = strings.ReplaceAll(text, "\t", ",")
	rd := csv.NewReader(strings.NewReader(text))
	rd.FieldsPerRecord = -1
	rd.TrimLeadingSpace = true
	var out []resumptiondb.PowerRow
	for line := 1; ; line++ {
		rec, err := rd.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fault.Fields{"rows": {Zh: fmt.Sprintf("第 %d 行无法读取", line), En: fmt.Sprintf("row %d cannot be read", line)}}.Err()
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 3 {
			return nil, fault.Fields{"rows": {Zh: fmt.Sprintf("第 %d 行应有三列：统一社会信用代码、月份、用电量", line),
				En: fmt.Sprintf("row %d has three columns: credit code, month, kWh", line)}}.Err()
		}
		kwh, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(rec[2]), ",", ""), 10, 64)
		if err != nil {
			kwh = -1
		}
		out = append(out, resumptiondb.PowerRow{CreditCode: strings.TrimSpace(rec[0]), Month: strings.TrimSpace(rec[1]), KWh: kwh})
	}
}

func (s *Handlers) powerPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := &powerData{Rows: r.FormValue("rows")}
	p.Title = s.T(core.LangOf(r), "rs.power")
	rows, err := parsePower(p.Rows)
	if err == nil {
		var res resumptiondb.PowerResult
		if res, err = s.res.ImportPower(r.Context(), a, rows); err == nil {
			p.Result = &res
		}
	}
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p.Errors = msgs
		s.Render(w, r, http.StatusUnprocessableEntity, "resumption_power", p)
		return nil
	}
	code := http.StatusOK
	if len(p.Result.Errors) > 0 {
		code = http.StatusUnprocessableEntity
	}
	s.Render(w, r, code, "resumption_power", p)
	return nil
}

type powersData struct {
	base
	Powers      []resumptiondb.Power
	Departments []department.Department
	Matters     []string
	MayEdit     bool
}

func (s *Handlers) powersPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	p := &powersData{Matters: resumption.MatterKeys, MayEdit: access.ReachOf(a.Role, access.DepartmentManage) == access.All}
	var err error
	if p.Powers, err = s.res.Powers(r.Context()); err != nil {
		return err
	}
	if p.MayEdit {
		if p.Departments, err = s.store.Departments(r.Context(), a); err != nil {
			return err
		}
	}
	p.Title = s.T(core.LangOf(r), "rs.powers")
	s.Render(w, r, http.StatusOK, "resumption_powers", p)
	return nil
}

func (s *Handlers) powersPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.res.SetPower(r.Context(), a, formID(r, "department"), r.FormValue("matter"), r.FormValue("basis")); err != nil {
		return err
	}
	s.Done(w, r, "/resumption/powers", "rs.saved", "")
	return nil
}

// N numbers a finding's row from 1.
func (d *checkFormData) N(i int) int { return i + 1 }
