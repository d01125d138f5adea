package formweb

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/access"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/place"
	"qifu/internal/web/core"
)

// A campaign's pages: the list, and one campaign's progress per region,
// its members, the reminders, the later changes of its list and the export
// of its answers.

type campaignRow struct {
	audiencedb.Campaign
	Rate    string
	Colour  string
	Running bool
}

type campaignsData struct {
	core.Base
	Items  []campaignRow
	State  string
	Pager  core.Pager
	MayRun bool
}

func rate(answered, members int) string {
	if members == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(answered)*100/float64(members), 'f', 1, 64) + "%"
}

// campaignsPage lists the campaigns the actor follows.
func (s *Handlers) campaignsPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	page := core.PageOf(r)
	state := r.URL.Query().Get("state")
	if state != audiencedb.Running && state != audiencedb.Closed {
		state = ""
	}
	list, total, err := s.campaigns.Campaigns(r.Context(), a, audiencedb.CampaignQuery{State: state, Page: page})
	if err != nil {
		return err
	}
	p := &campaignsData{State: state, Pager: core.NewPager(r, page, total), MayRun: access.May(a.Role, access.CampaignRun)}
	now := s.store.Now()
	for _, c := range list {
		row := campaignRow{Campaign: c, Rate: rate(c.Answered, c.Members), Running: c.State == audiencedb.Running}
		if row.Running {
			row.Colour = audiencedb.Colour(c, now)
		}
		p.Items = append(p.Items, row)
	}
	p.Title = s.T(core.LangOf(r), "cp.list")
	s.Render(w, r, http.StatusOK, "campaigns", p)
	return nil
}

type progressRow struct {
	audiencedb.Progress
	Rate string
}

type memberRow struct {
	audiencedb.Member
	Href string
}

type campaignData struct {
	core.Base
	C        audiencedb.Campaign
	Colour   string
	Running  bool
	MayRun   bool
	MayFill  bool
	Audience []string
	Level    int
	Levels   []typeChoice
	Rows     []progressRow
	Total    progressRow
	Members  []memberRow
	MState   string
	MTotal   int
	Pager    core.Pager
}

// campaignPage shows a campaign's progress and members.
func (s *Handlers) campaignPage(w http.ResponseWriter, r *http.Request) error {
	return s.showCampaign(w, r, nil, http.StatusOK)
}

// levelOf is the level a campaign's progress is shown by: ?level= (3
// street, 4 community, 5 grid), else the one below the reader's own.
func levelOf(r *http.Request, a access.Actor) place.Level {
	if l, err := strconv.Atoi(r.URL.Query().Get("level")); err == nil && l >= int(place.Street) && l <= int(place.Grid) {
		return place.Level(l)
	}
	switch a.RegionLevel {
	case place.Community, place.Grid:
		return place.Grid
	case place.Street:
		return place.Community
	}
	return place.Street
}

func (s *Handlers) showCampaign(w http.ResponseWriter, r *http.Request, errs map[string]string, code int) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.campaigns.Campaign(r.Context(), a, id)
	if err != nil {
		return err
	}
	level := levelOf(r, a)
	rows, total, err := s.campaigns.ProgressBy(r.Context(), a, id, level)
	if err != nil {
		return err
	}
	page := core.PageOf(r)
	mstate := r.URL.Query().Get("members")
	members, mtotal, err := s.campaigns.Members(r.Context(), a, id, audiencedb.MemberQuery{State: mstate, Page: page})
	if err != nil {
		return err
	}
	var names map[string]string
	if access.May(a.Role, access.RegionRead) {
		if names, err = s.store.RegionNames(r.Context(), a, c.Audience.Regions); err != nil {
			return err
		}
	}
	p := &campaignData{C: c, Running: c.State == audiencedb.Running, MayRun: audiencedb.MayRun(a, c),
		MayFill: access.May(a.Role, access.FormFill), Audience: c.Audience.Describe(lang, names), Level: int(level),
		MState: mstate, MTotal: mtotal, Pager: core.NewPager(r, page, mtotal)}
	if p.Running {
		p.Colour = audiencedb.Colour(c, s.store.Now())
	}
	for _, l := range []place.Level{place.Street, place.Community, place.Grid} {
		p.Levels = append(p.Levels, typeChoice{Value: strconv.Itoa(int(l)), Label: fault.Msg{Zh: l.Zh(), En: l.En()}.In(lang)})
	}
	for _, row := range rows {
		p.Rows = append(p.Rows, progressRow{Progress: row, Rate: rate(row.Answered, row.Sent)})
	}
	p.Total = progressRow{Progress: total, Rate: rate(total.Answered, total.Sent)}
	for _, m := range members {
		p.Members = append(p.Members, memberRow{Member: m, Href: fmt.Sprintf("/surveys/%d?enterprise=%d", id, m.EnterpriseID)})
	}
	p.Errors = errs
	p.Title = c.Title
	s.Render(w, r, code, "campaign", p)
	return nil
}

// remindPage sends the reminders.
func (s *Handlers) remindPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	got, err := s.campaigns.Remind(r.Context(), a, id)
	if err != nil {
		return err
	}
	s.log.Info("reminded", "campaign", id, "enterprises", got.Enterprises, "grid_workers", got.GridWorkers)
	s.Done(w, r, fmt.Sprintf("/campaigns/%d", id), "cp.reminded", "")
	return nil
}

// closePage closes a campaign.
func (s *Handlers) closePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	if err := s.campaigns.Close(r.Context(), a, id, version); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/campaigns/%d", id), "cp.closed", "")
	return nil
}

// addMemberPage adds an enterprise to the list, with the reason.
func (s *Handlers) addMemberPage(w http.ResponseWriter, r *http.Request) error {
	return s.changeMembers(w, r, func(a access.Actor, id int64) error {
		return s.campaigns.AddMember(r.Context(), a, id, r.FormValue("credit_code"), r.FormValue("reason"))
	})
}

// removeMemberPage takes an enterprise off the list, with the reason.
func (s *Handlers) removeMemberPage(w http.ResponseWriter, r *http.Request) error {
	eid, err := core.PathID(r, "enterprise")
	if err != nil {
		return err
	}
	return s.changeMembers(w, r, func(a access.Actor, id int64) error {
		return s.campaigns.RemoveMember(r.Context(), a, id, eid, r.FormValue("reason"))
	})
}

// changeMembers makes a change of a campaign's list from its page: back
// to the page, or the page again with why the change was refused.
func (s *Handlers) changeMembers(w http.ResponseWriter, r *http.Request, change func(a access.Actor, id int64) error) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := change(a, id); err != nil {
		msgs, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		return s.showCampaign(w, r, msgs, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/campaigns/%d", id), "flash.saved", "")
	return nil
}

// exportAnswers sends a campaign's answers as a workbook: one row per
// member in the reader's reach, its place and state, then one column per
// question of the form's version, the answers in words.
func (s *Handlers) exportAnswers(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.campaigns.Campaign(r.Context(), a, id)
	if err != nil {
		return err
	}
	def, err := s.forms.VersionOf(r.Context(), c)
	if err != nil {
		return err
	}
	questions := def.Questions()
	f := excelize.NewFile()
	defer f.Close()
	sheet := s.T(lang, "cp.answers")
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := []any{}
	for _, k := range []string{"ent.name", "ent.code", "cp.community", "cp.grid", "cp.state", "cp.answered_at", "cp.channel"} {
		header = append(header, s.T(lang, k))
	}
	for _, q := range questions {
		header = append(header, q.Label().In(lang))
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row, answered := 1, 0
	err = s.forms.EachAnswer(r.Context(), s.campaigns, a, id, func(x formdb.Answer) error {
		row++
		state, at, ch := s.T(lang, "cp.unanswered"), "", ""
		cells := []any{x.Member.Name, x.Member.CreditCode, x.Member.CommunityName, x.Member.GridName}
		var answers form.Answers
		if x.Submission != nil {
			answered++
			state, at, ch = s.T(lang, "sv.answered"), x.Submission.SubmittedAt.In(calendar.Shanghai).Format("2006-01-02 15:04"),
				s.Word(lang, "channel", x.Submission.Channel)
			answers = x.Submission.Answers
		}
		cells = append(cells, state, at, ch)
		for _, q := range questions {
			cells = append(cells, displayAnswer(q, answers[q.Key], lang, x.Files))
		}
		return sw.SetRow("A"+strconv.Itoa(row), cells)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return fmt.Errorf("write answers: %w", err)
	}
	if err := s.store.Record(r.Context(), a, "campaign.export", fmt.Sprintf("campaign/%d", id), "ok",
		map[string]any{"rows": row - 1, "answered": answered}); err != nil {
		return err
	}
	core.SendXLSX(w, fmt.Sprintf("%s_%s.xlsx", c.Title, time.Now().In(calendar.Shanghai).Format("20060102")), buf.Bytes())
	return nil
}
