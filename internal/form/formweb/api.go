package formweb

import (
	"net/http"
	"time"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/enterprise"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/web/core"
)

// The API of forms, campaigns and filling, under /api/v1.

// formJSON is a form with its latest version's definition.
type formJSON struct {
	ID         int64           `json:"id"`
	Title      string          `json:"title"`
	Latest     int             `json:"latest"`
	Version    int64           `json:"version"`
	Sent       bool            `json:"sent"`
	Owner      string          `json:"owner"`
	UpdatedAt  time.Time       `json:"updated_at"`
	Definition form.Definition `json:"definition"`
}

func toFormJSON(f formdb.Form) formJSON {
	return formJSON{ID: f.ID, Title: f.Title, Latest: f.Latest, Version: f.Version, Sent: f.Sent, Owner: f.OwnerName,
		UpdatedAt: f.UpdatedAt, Definition: f.Definition}
}

// formInput is a form to save: its definition, and the form's version when it is changed.
type formInput struct {
	Definition form.Definition `json:"definition"`
	Version    int64           `json:"version,omitempty"`
}

var exampleForm = formInput{Definition: form.Definition{Zh: "企业用工需求排摸", En: "Labour needs survey", Sections: []form.Section{{
	Zh: "用工", Questions: []form.Question{
		{Key: "employees", Type: form.Fact, Fact: "employees", Zh: "从业人员", Required: true},
		{Key: "short", Type: form.YesNo, Zh: "是否缺工", En: "Short of workers?", Required: true},
		{Key: "gap", Type: form.Number, Zh: "缺工人数", Unit: "人", Required: true, When: &form.Condition{Key: "short", Equals: "yes"}},
	}}}}}

func (s *Handlers) apiForms(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, err := s.forms.Forms(r.Context(), a)
	if err != nil {
		return err
	}
	out := core.Items[formJSON]{Items: []formJSON{}}
	for _, f := range list {
		out.Items = append(out.Items, toFormJSON(f))
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Handlers) apiForm(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	f, _, err := s.forms.Form(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, toFormJSON(f))
	return nil
}

func (s *Handlers) apiCreateForm(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in formInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.renders(in.Definition, core.LangOf(r)); err != nil {
		return err
	}
	f, err := s.forms.Create(r.Context(), a, in.Definition)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, toFormJSON(f))
	return nil
}

func (s *Handlers) apiSaveForm(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in formInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.renders(in.Definition, core.LangOf(r)); err != nil {
		return err
	}
	f, err := s.forms.Save(r.Context(), a, id, in.Version, in.Definition)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, toFormJSON(f))
	return nil
}

// campaignInput is a campaign to start: the form's latest version sent to an audience.
type campaignInput struct {
	Title    string              `json:"title,omitempty"`
	Due      string              `json:"due"`
	Audience audience.Definition `json:"audience"`
}

var exampleCampaign = campaignInput{Title: "一季度用工需求排摸", Due: "2026-03-31", Audience: audience.Definition{
	Sizes: []enterprise.SizeClass{enterprise.SizeSmall, enterprise.SizeMicro}, Facts: []audience.FactCondition{{Kind: "employees", Op: audience.AtLeast, Value: "20"}}}}

// campaignJSON is a campaign with its counts in the caller's reach.
type campaignJSON struct {
	ID          int64     `json:"id"`
	Module      string    `json:"module"`
	Title       string    `json:"title"`
	FormID      int64     `json:"form_id"`
	FormVersion int       `json:"form_version"`
	Due         string    `json:"due"`
	State       string    `json:"state"`
	Owner       string    `json:"owner"`
	StartedAt   time.Time `json:"started_at"`
	Members     int       `json:"members"`
	Answered    int       `json:"answered"`
	Overdue     int       `json:"overdue"`
	Version     int64     `json:"version"`
	// Audience is the definition, to those who may run the campaign (its
	// named list and exclusions are theirs); AudienceSaid is it in words,
	// a list by its name and size, to every reader.
	Audience     *audience.Definition `json:"audience,omitempty"`
	AudienceSaid []string             `json:"audience_said"`
}

func toCampaignJSON(a access.Actor, c audiencedb.Campaign, lang string) campaignJSON {
	j := campaignJSON{ID: c.ID, Module: c.Module, Title: c.Title, FormID: c.FormID, FormVersion: c.FormVersion, Due: c.Due,
		State: c.State, Owner: c.OwnerName, StartedAt: c.StartedAt, Members: c.Members, Answered: c.Answered, Overdue: c.Overdue,
		Version: c.Version, AudienceSaid: c.Audience.Describe(lang, nil)}
	if audiencedb.MayRun(a, c) {
		def := c.Audience
		j.Audience = &def
	}
	return j
}

func (s *Handlers) apiSend(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in campaignInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	c, err := s.forms.Send(r.Context(), a, id, audiencedb.Campaign{Title: in.Title, Due: in.Due, Audience: in.Audience})
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, toCampaignJSON(a, c, core.LangOf(r)))
	return nil
}

// previewJSON is an audience counted: its members, those left out for a
// missing or unauthoritative fact, and the first names.
type previewJSON struct {
	Count   int      `json:"count"`
	Unknown int      `json:"unknown"`
	Names   []string `json:"names"`
}

func (s *Handlers) apiPreview(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in audience.Definition
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	res, err := s.campaigns.Preview(r.Context(), a, in)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, previewJSON{Count: len(res.IDs), Unknown: res.Unknown, Names: append([]string{}, res.Names...)})
	return nil
}

func (s *Handlers) apiCampaigns(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	page := core.PageOf(r)
	list, total, err := s.campaigns.Campaigns(r.Context(), a, audiencedb.CampaignQuery{State: r.URL.Query().Get("state"), Page: page})
	if err != nil {
		return err
	}
	out := core.List[campaignJSON]{Items: []campaignJSON{}, Total: total, Page: page.Number, Size: core.PageSize(page)}
	for _, c := range list {
		out.Items = append(out.Items, toCampaignJSON(a, c, core.LangOf(r)))
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Handlers) apiCampaign(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.campaigns.Campaign(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, toCampaignJSON(a, c, core.LangOf(r)))
	return nil
}

// progressRowJSON is a region's progress.
type progressRowJSON struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Sent     int    `json:"sent"`
	Seen     int    `json:"seen"`
	Answered int    `json:"answered"`
	Overdue  int    `json:"overdue"`
}

// progressJSON is a campaign's progress per region of a level, and in all.
type progressJSON struct {
	Level int               `json:"level"`
	Total progressRowJSON   `json:"total"`
	Items []progressRowJSON `json:"items"`
}

func toProgressRow(p audiencedb.Progress) progressRowJSON {
	return progressRowJSON{Code: p.Code, Name: p.Name, Sent: p.Sent, Seen: p.Seen, Answered: p.Answered, Overdue: p.Overdue}
}

func (s *Handlers) apiProgress(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	level := levelOf(r, a)
	rows, total, err := s.campaigns.ProgressBy(r.Context(), a, id, level)
	if err != nil {
		return err
	}
	out := progressJSON{Level: int(level), Total: toProgressRow(total), Items: []progressRowJSON{}}
	for _, p := range rows {
		out.Items = append(out.Items, toProgressRow(p))
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// memberJSON is an enterprise of a campaign's list.
type memberJSON struct {
	EnterpriseID  int64      `json:"enterprise_id"`
	Name          string     `json:"name"`
	CreditCode    string     `json:"credit_code"`
	GridCode      string     `json:"grid_code"`
	Grid          string     `json:"grid"`
	Community     string     `json:"community"`
	AddedAt       time.Time  `json:"added_at"`
	AddedReason   string     `json:"added_reason,omitempty"`
	RemovedAt     *time.Time `json:"removed_at,omitempty"`
	RemovedReason string     `json:"removed_reason,omitempty"`
	SeenAt        *time.Time `json:"seen_at,omitempty"`
	AnsweredAt    *time.Time `json:"answered_at,omitempty"`
}

func when(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (s *Handlers) apiMembers(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	page := core.PageOf(r)
	list, total, err := s.campaigns.Members(r.Context(), a, id, audiencedb.MemberQuery{State: r.URL.Query().Get("state"),
		Region: r.URL.Query().Get("region"), Page: page})
	if err != nil {
		return err
	}
	out := core.List[memberJSON]{Items: []memberJSON{}, Total: total, Page: page.Number, Size: core.PageSize(page)}
	for _, m := range list {
		out.Items = append(out.Items, memberJSON{EnterpriseID: m.EnterpriseID, Name: m.Name, CreditCode: m.CreditCode, GridCode: m.GridCode,
			Grid: m.GridName, Community: m.CommunityName, AddedAt: m.AddedAt, AddedReason: m.AddedReason, RemovedAt: when(m.RemovedAt),
			RemovedReason: m.RemovedReason, SeenAt: when(m.SeenAt), AnsweredAt: when(m.AnsweredAt)})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// memberInput adds an enterprise to a campaign's list, with the reason.
type memberInput struct {
	CreditCode string `json:"credit_code"`
	Reason     string `json:"reason"`
}

// reasonInput is the reason of a change.
type reasonInput struct {
	Reason string `json:"reason"`
}

func (s *Handlers) apiAddMember(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in memberInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.campaigns.AddMember(r.Context(), a, id, in.CreditCode, in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Handlers) apiRemoveMember(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	eid, err := core.PathID(r, "enterprise")
	if err != nil {
		return err
	}
	var in reasonInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.campaigns.RemoveMember(r.Context(), a, id, eid, in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// remindJSON is who a reminder reached: enterprise accounts and grid workers.
type remindJSON struct {
	Enterprises int `json:"enterprises"`
	GridWorkers int `json:"grid_workers"`
}

func (s *Handlers) apiRemind(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	got, err := s.campaigns.Remind(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, remindJSON{Enterprises: got.Enterprises, GridWorkers: got.GridWorkers})
	return nil
}

// versionInput is the version of the record a change is made on.
type versionInput struct {
	Version int64 `json:"version"`
}

func (s *Handlers) apiClose(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in versionInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.campaigns.Close(r.Context(), a, id, in.Version); err != nil {
		return err
	}
	c, err := s.campaigns.Campaign(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, toCampaignJSON(a, c, core.LangOf(r)))
	return nil
}

// sentJSON is a campaign as an enterprise on its list sees it.
type sentJSON struct {
	ID         int64      `json:"id"`
	Title      string     `json:"title"`
	Due        string     `json:"due"`
	State      string     `json:"state"`
	Colour     string     `json:"colour,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

func (s *Handlers) apiSurveys(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	eid, err := enterpriseOf(r, a)
	if err != nil {
		return err
	}
	list, err := s.campaigns.OfEnterprise(r.Context(), a, eid)
	if err != nil {
		return err
	}
	now := s.store.Now()
	out := core.Items[sentJSON]{Items: []sentJSON{}}
	for _, c := range list {
		j := sentJSON{ID: c.ID, Title: c.Title, Due: c.Due, State: c.State, AnsweredAt: when(c.Member.AnsweredAt)}
		if c.State == audiencedb.Running && c.Member.AnsweredAt.IsZero() {
			j.Colour = audiencedb.Colour(c.Campaign, now)
		}
		out.Items = append(out.Items, j)
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// knownJSON is a fact the enterprise's file holds, for prefilling.
type knownJSON struct {
	Kind          string    `json:"kind"`
	Period        string    `json:"period"`
	Value         string    `json:"value"`
	Source        string    `json:"source"`
	Authoritative bool      `json:"authoritative"`
	RecordedAt    time.Time `json:"recorded_at"`
}

// submissionJSON is an enterprise's answers.
type submissionJSON struct {
	ID           int64        `json:"id"`
	State        string       `json:"state"`
	Answers      form.Answers `json:"answers"`
	Channel      string       `json:"channel"`
	By           string       `json:"by"`
	SubmittedAt  *time.Time   `json:"submitted_at,omitempty"`
	Corrections  int          `json:"corrections"`
	Version      int64        `json:"version"`
	CorrectUntil *time.Time   `json:"correct_until,omitempty"`
}

// surveyJSON is what filling a campaign's form needs.
type surveyJSON struct {
	Campaign     sentJSON        `json:"campaign"`
	EnterpriseID int64           `json:"enterprise_id"`
	Definition   form.Definition `json:"definition"`
	Known        []knownJSON     `json:"known"`
	Submission   *submissionJSON `json:"submission,omitempty"`
}

func (s *Handlers) surveyOut(r *http.Request, cid, eid int64) (surveyJSON, error) {
	a, _ := core.ActorOf(r)
	f, err := s.forms.Open(r.Context(), a, cid, eid)
	if err != nil {
		return surveyJSON{}, err
	}
	out := surveyJSON{Campaign: sentJSON{ID: f.Sent.ID, Title: f.Sent.Title, Due: f.Sent.Due, State: f.Sent.State, AnsweredAt: when(f.Sent.Member.AnsweredAt)},
		EnterpriseID: eid, Definition: f.Definition, Known: []knownJSON{}}
	lang := core.LangOf(r)
	for _, k := range f.Known {
		out.Known = append(out.Known, knownJSON{Kind: k.Kind, Period: k.Period, Value: k.Input(), Source: k.Source.Name().In(lang),
			Authoritative: k.Source.Authoritative(), RecordedAt: k.RecordedAt})
	}
	if f.Has {
		j := toSubmissionJSON(f.Submission, f.CorrectUntil)
		out.Submission = &j
	}
	return out, nil
}

func (s *Handlers) apiSurvey(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	cid, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	eid, err := enterpriseOf(r, a)
	if err != nil {
		return err
	}
	out, err := s.surveyOut(r, cid, eid)
	if err != nil {
		return err
	}
	if err := s.campaigns.Seen(r.Context(), a, cid, eid); err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// answersInput is answers to save as a draft or submit: for the
// enterprise (its own account: its own), at the submission's version (0
// for the first).
type answersInput struct {
	EnterpriseID int64        `json:"enterprise_id,omitempty"`
	Answers      form.Answers `json:"answers"`
	Version      int64        `json:"version,omitempty"`
}

var exampleAnswers = answersInput{Answers: form.Answers{"employees": {Values: []string{"64"}}, "short": {Values: []string{"yes"}},
	"gap": {Values: []string{"12"}}}}

func (s *Handlers) apiAnswer(w http.ResponseWriter, r *http.Request, submit bool) error {
	a, _ := core.ActorOf(r)
	cid, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in answersInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	eid := a.EnterpriseID
	if eid == 0 {
		eid = in.EnterpriseID
	}
	if eid == 0 {
		return errNoEnterprise
	}
	input := formdb.Input{CampaignID: cid, EnterpriseID: eid, Answers: in.Answers, Medium: "api", Key: r.Header.Get("Idempotency-Key"), Version: in.Version}
	code := http.StatusOK
	var sub formdb.Submission
	if submit {
		var replayed bool
		if sub, replayed, err = s.forms.Submit(r.Context(), a, input); err == nil && !replayed {
			code = http.StatusCreated
		}
	} else {
		sub, err = s.forms.SaveDraft(r.Context(), a, input)
	}
	if err != nil {
		return err
	}
	core.WriteJSON(w, code, toSubmissionJSON(sub, sub.CorrectUntil))
	return nil
}

func toSubmissionJSON(sub formdb.Submission, correctUntil time.Time) submissionJSON {
	return submissionJSON{ID: sub.ID, State: sub.State, Answers: sub.Answers, Channel: sub.Channel, By: sub.ByName,
		SubmittedAt: when(sub.SubmittedAt), Corrections: sub.Corrections, Version: sub.Version, CorrectUntil: when(correctUntil)}
}

func (s *Handlers) apiDraft(w http.ResponseWriter, r *http.Request) error {
	return s.apiAnswer(w, r, false)
}
func (s *Handlers) apiSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.apiAnswer(w, r, true)
}
