package formweb

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/access"
	"qifu/internal/audience"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// Sending a form: the audience typed on a page (regions, industries,
// sizes, key levels, foreign trade, tags, a named list pasted or uploaded
// as a workbook, conditions on facts, exclusions), counted before it is
// sent, then frozen into the campaign's members.

// factRows is how many fact conditions the page offers.
const factRows = 3

type factRow struct {
	Kind, Op, Value, Period string
	Authoritative           bool
}

type sendData struct {
	core.Base
	FormID             int64
	FormTitle          string
	CampaignTitle, Due string
	Regions            []typeChoice
	Sections           []typeChoice
	Sizes              []typeChoice
	Kinds              []typeChoice
	Ops                []string
	Def                audience.Definition
	Picked             map[string]bool // regions, sections, sizes, key levels picked
	ListText           string
	ExcludeText        string
	TagsText           string
	Facts              []factRow
	Preview            *audiencedb.Resolution
	Message            string
}

// sendPage shows the audience form of a form, the due day five working days ahead.
func (s *Handlers) sendPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	f, _, err := s.forms.Form(r.Context(), a, id)
	if err != nil {
		return err
	}
	cal, err := s.store.Calendar(r.Context())
	if err != nil {
		return err
	}
	due := cal.AddDays(s.store.Now(), 5).In(calendar.Shanghai).Format(time.DateOnly)
	p := &sendData{FormID: f.ID, FormTitle: f.Title, CampaignTitle: f.Title, Due: due, Picked: map[string]bool{}}
	return s.showSend(w, r, a, p, http.StatusOK)
}

func (s *Handlers) showSend(w http.ResponseWriter, r *http.Request, a access.Actor, p *sendData, code int) error {
	lang := core.LangOf(r)
	if len(p.Facts) == 0 {
		p.Facts = make([]factRow, factRows)
	}
	// The regions under the sender's, two levels down.
	under, _ := core.FilterScope(a)
	regions, err := s.store.Regions(r.Context(), a, store.RegionQuery{Under: under})
	if err != nil {
		return err
	}
	top := 0
	for _, rg := range regions {
		if top == 0 || int(rg.Level) < top {
			top = int(rg.Level)
		}
	}
	for _, rg := range regions {
		if int(rg.Level) > top && int(rg.Level) <= top+2 {
			label := rg.Name
			if int(rg.Level) == top+2 {
				label = "　" + label
			}
			p.Regions = append(p.Regions, typeChoice{Value: rg.Code, Label: label})
		}
	}
	for _, sec := range enterprise.AllSections() {
		p.Sections = append(p.Sections, typeChoice{Value: sec.Letter, Label: sec.Letter + " " + fault.Msg{Zh: sec.Zh, En: sec.En}.In(lang)})
	}
	for _, z := range []enterprise.SizeClass{enterprise.SizeLarge, enterprise.SizeMedium, enterprise.SizeSmall, enterprise.SizeMicro} {
		name := z.Zh()
		if lang == "en" {
			name = z.En()
		}
		p.Sizes = append(p.Sizes, typeChoice{Value: string(z), Label: name})
	}
	for _, k := range dossier.Kinds {
		if k.Type != dossier.Text {
			p.Kinds = append(p.Kinds, typeChoice{Value: k.Key, Label: kindLabel(k, lang)})
		}
	}
	for _, o := range audience.Ops {
		p.Ops = append(p.Ops, string(o))
	}
	p.Title = s.T(lang, "fm.send")
	s.Render(w, r, code, "form_send", p)
	return nil
}

// MaxListUpload bounds a named list's workbook.
const MaxListUpload = 8 << 20

// audienceFromForm reads the audience typed on the send page.
func audienceFromForm(r *http.Request) (audience.Definition, *sendData, error) {
	p := &sendData{Picked: map[string]bool{}}
	var d audience.Definition
	d.Regions = r.Form["regions"]
	d.Industries = r.Form["industries"]
	for _, v := range r.Form["sizes"] {
		d.Sizes = append(d.Sizes, enterprise.SizeClass(v))
	}
	for _, v := range r.Form["key_levels"] {
		d.KeyLevels = append(d.KeyLevels, enterprise.KeyLevel(v))
	}
	for _, list := range [][]string{d.Regions, d.Industries, r.Form["sizes"], r.Form["key_levels"]} {
		for _, v := range list {
			p.Picked[v] = true
		}
	}
	d.ForeignTrade = r.FormValue("foreign_trade")
	p.TagsText = r.FormValue("tags")
	d.Tags = strings.FieldsFunc(p.TagsText, func(c rune) bool { return c == ',' || c == '，' || c == '、' || c == ' ' })
	d.ListName = strings.TrimSpace(r.FormValue("list_name"))
	p.ListText, p.ExcludeText = r.FormValue("list"), r.FormValue("exclude")
	d.List, d.Exclude = codesOf(p.ListText), codesOf(p.ExcludeText)
	if file, hdr, err := r.FormFile("list_file"); err == nil {
		defer file.Close()
		if hdr.Size > MaxListUpload {
			return d, p, fault.Fields{"list": {Zh: "名单文件过大", En: "the list's workbook is too large"}}.Err()
		}
		codes, err := codesFromWorkbook(file)
		if err != nil {
			return d, p, err
		}
		d.List = append(d.List, codes...)
		if d.ListName == "" {
			d.ListName = strings.TrimSuffix(hdr.Filename, ".xlsx")
		}
	}
	for i := 0; i < factRows; i++ {
		fr := factRow{Kind: r.FormValue(fmt.Sprintf("fact_kind_%d", i)), Op: r.FormValue(fmt.Sprintf("fact_op_%d", i)),
			Value: strings.TrimSpace(r.FormValue(fmt.Sprintf("fact_value_%d", i))), Period: strings.TrimSpace(r.FormValue(fmt.Sprintf("fact_period_%d", i))),
			Authoritative: r.FormValue(fmt.Sprintf("fact_auth_%d", i)) == "1"}
		p.Facts = append(p.Facts, fr)
		if fr.Kind != "" && fr.Value != "" {
			d.Facts = append(d.Facts, audience.FactCondition{Kind: fr.Kind, Op: audience.Op(fr.Op), Value: fr.Value, Period: fr.Period,
				Authoritative: fr.Authoritative})
		}
	}
	p.Def = d
	return d, p, nil
}

// codesOf splits pasted credit codes (lines, commas, spaces).
func codesOf(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool {
		return c == '\n' || c == '\r' || c == ',' || c == '，' || c == ' ' || c == '\t' || c == '、'
	})
}

// codesFromWorkbook reads the credit codes of a named list: the first
// column of the first sheet, a header line skipped.
func codesFromWorkbook(file interface {
	Read([]byte) (int, error)
}) ([]string, error) {
	bad := fault.Fields{"list": {Zh: "名单须是 .xlsx 工作簿，第一列为统一社会信用代码", En: "a list is an .xlsx workbook with credit codes in its first column"}}.Err()
	f, err := excelize.OpenReader(file)
	if err != nil {
		return nil, bad
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return nil, bad
	}
	defer rows.Close()
	var out []string
	for n := 0; rows.Next(); n++ {
		cols, err := rows.Columns()
		if err != nil {
			return nil, bad
		}
		if len(cols) == 0 || strings.TrimSpace(cols[0]) == "" {
			continue
		}
		code := enterprise.NormalizeCreditCode(cols[0])
		if n == 0 && enterprise.CheckCreditCode(code) != nil {
			continue // the header
		}
		out = append(out, code)
		if len(out) > audience.MaxList {
			break
		}
	}
	return out, nil
}

// sendPost counts the audience (op=preview) or sends the form (op=send).
func (s *Handlers) sendPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(MaxListUpload); err != nil && err != http.ErrNotMultipart {
		return core.BadUpload(err)
	}
	f, _, err := s.forms.Form(r.Context(), a, id)
	if err != nil {
		return err
	}
	def, p, err := audienceFromForm(r)
	p.FormID, p.FormTitle = f.ID, f.Title
	p.CampaignTitle, p.Due = strings.TrimSpace(r.FormValue("title")), r.FormValue("due")
	if err == nil {
		if r.FormValue("op") == "send" {
			var c audiencedb.Campaign
			c, err = s.forms.Send(r.Context(), a, id, audiencedb.Campaign{Title: p.CampaignTitle, Due: p.Due, Audience: def})
			if err == nil {
				s.Done(w, r, fmt.Sprintf("/campaigns/%d", c.ID), "cp.started", "")
				return nil
			}
		} else {
			var res audiencedb.Resolution
			if res, err = s.campaigns.Preview(r.Context(), a, def); err == nil {
				p.Preview = &res
			}
		}
	}
	if err != nil {
		msgs, err := core.FormErrors(err, lang)
		if err != nil {
			return err
		}
		p.Errors = msgs
		return s.showSend(w, r, a, p, http.StatusUnprocessableEntity)
	}
	return s.showSend(w, r, a, p, http.StatusOK)
}
