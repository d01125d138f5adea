package appealweb

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/access"
	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/rates"
	"qifu/internal/web/core"
)

// The leaders' figures: the overview (volumes, states, what is overdue) and
// the assessment table of the three rates (三率) with rankings.

// period is a span of whole days as the URL gives it, the end inclusive;
// without one it is the last 30 days.
type period struct {
	From, To string // YYYY-MM-DD
}

func periodOf(r *http.Request) (period, time.Time, time.Time, error) {
	q := r.URL.Query()
	today := time.Now().In(calendar.Shanghai)
	p := period{From: q.Get("from"), To: q.Get("to")}
	if p.To == "" {
		p.To = today.Format(time.DateOnly)
	}
	if p.From == "" {
		p.From = today.AddDate(0, 0, -29).Format(time.DateOnly)
	}
	f := fault.Fields{}
	from, err := time.ParseInLocation(time.DateOnly, p.From, calendar.Shanghai)
	if err != nil {
		f.Add("from", "日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD")
	}
	to, err := time.ParseInLocation(time.DateOnly, p.To, calendar.Shanghai)
	if err != nil {
		f.Add("to", "日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD")
	}
	if len(f) == 0 && to.Before(from) {
		f.Add("to", "结束日期不能早于开始日期", "the end is before the start")
	}
	return p, from, to.AddDate(0, 0, 1), f.Err()
}

// assessParams are the choices of the assessment table, as in the URL.
type assessParams struct {
	period
	Dimension rates.Dimension
	Region    string
	Weight    string        // weight of 基本满意 as typed; empty: the default
	RankBy    rates.Measure // empty: by key
}

// assessDimensions are the dimensions the pages offer.
var assessDimensions = []rates.Dimension{rates.Department, rates.Community, rates.Street, rates.Grid, rates.District}

// assessMeasures are the rankings.
var assessMeasures = []rates.Measure{rates.Response, rates.Resolution, rates.Satisfaction}

func assessQuery(r *http.Request) (assessParams, appealdb.AssessmentQuery, error) {
	q := r.URL.Query()
	per, from, to, err := periodOf(r)
	p := assessParams{period: per, Dimension: rates.Dimension(q.Get("dimension")), Region: q.Get("region"),
		Weight: q.Get("basic_weight"), RankBy: rates.Measure(q.Get("rank_by"))}
	f := fault.Fields{}
	if fe := fault.As(err); fe != nil {
		f = fe.Fields
	}
	if p.Dimension == "" {
		p.Dimension = rates.Department
	}
	sq := appealdb.AssessmentQuery{Dimension: p.Dimension, Region: p.Region, From: from, To: to}
	if p.Weight != "" {
		w, err := strconv.ParseFloat(p.Weight, 64)
		if err != nil || !(w >= 0 && w <= 1) {
			f.Add("basic_weight", "基本满意的权重须在 0 到 1 之间", "the weight of \"basically satisfied\" must be between 0 and 1")
		}
		sq.BasicWeight = &w
	}
	if p.RankBy != "" && p.RankBy != rates.Response && p.RankBy != rates.Resolution && p.RankBy != rates.Satisfaction {
		f.Add("rank_by", "未知的排名指标", "unknown ranking measure")
	}
	return p, sq, f.Err()
}

// assessRow is one row of the assessment table: the figures, the rank and
// the name of the department or region, with a link to its appeals.
type assessRow struct {
	rates.Row
	Rank int
	Name string
	Href string
}

// assessment computes the table and names its rows; asOf is when the
// figures were computed.
func (s *Handlers) assessment(ctx context.Context, a access.Actor, lang string, p assessParams, q appealdb.AssessmentQuery) (_ []assessRow, asOf time.Time, _ error) {
	rows, asOf, err := s.appeals.AssessmentAsOf(ctx, a, q)
	if err != nil {
		return nil, asOf, err
	}
	if p.RankBy != "" {
		if rows, err = rates.Rank(rows, p.RankBy); err != nil {
			return nil, asOf, err
		}
	}
	keys := make([]string, len(rows))
	for i, r := range rows {
		keys[i] = r.Key
	}
	names, err := s.keyNames(ctx, a, lang, p.Dimension, keys)
	if err != nil {
		return nil, asOf, err
	}
	out := make([]assessRow, 0, len(rows))
	for i, r := range rows {
		row := assessRow{Row: r, Name: names[r.Key]}
		if p.RankBy != "" {
			row.Rank = i + 1
		}
		if row.Name == "" {
			row.Name = r.Key
		}
		switch p.Dimension {
		case rates.Department:
			row.Href = appealsURL("queue", "all", "department", r.Key, "from", p.From, "to", p.To)
		case rates.Handler:
		default:
			row.Href = appealsURL("queue", "all", "region", r.Key, "from", p.From, "to", p.To)
		}
		out = append(out, row)
	}
	return out, asOf, nil
}

// keyNames names the keys of a dimension: departments or regions.
func (s *Handlers) keyNames(ctx context.Context, a access.Actor, lang string, dim rates.Dimension, keys []string) (map[string]string, error) {
	m := map[string]string{}
	switch dim {
	case rates.Department:
		if !access.May(a.Role, access.DepartmentRead) {
			return m, nil
		}
		list, err := s.store.Departments(ctx, a)
		if err != nil {
			return nil, err
		}
		for _, d := range list {
			m[strconv.FormatInt(d.ID, 10)] = pickLang(lang, d.Name, d.NameEn)
		}
	case rates.Handler:
	default:
		if !access.May(a.Role, access.RegionRead) {
			return m, nil
		}
		return s.store.RegionNames(ctx, a, keys)
	}
	return m, nil
}

// AssessmentRowJSON is one row of the assessment figures in the API; the
// formulas are those of package rates.
type AssessmentRowJSON struct {
	Key              string   `json:"key"`
	Name             string   `json:"name"`
	Rank             int      `json:"rank,omitempty"`
	Appeals          int      `json:"appeals"`
	ResponseDue      int      `json:"response_due"`
	ResponseInTime   int      `json:"response_in_time"`
	ResponseRate     *float64 `json:"response_rate"` // null: no data (nothing came due)
	Resolved         int      `json:"resolved"`
	Replied          int      `json:"replied"`
	ResolutionRate   *float64 `json:"resolution_rate"`
	Satisfied        int      `json:"satisfied"`
	Basic            int      `json:"basic"`
	Unsatisfied      int      `json:"unsatisfied"`
	NotRated         int      `json:"not_rated"`
	Rated            int      `json:"rated"`
	SatisfactionRate *float64 `json:"satisfaction_rate"` // by the final rating
	// The same rated appeals by their first rating: a redone appeal was
	// first rated unsatisfied.
	FirstSatisfied        int      `json:"first_satisfied"`
	FirstBasic            int      `json:"first_basic"`
	FirstUnsatisfied      int      `json:"first_unsatisfied"`
	FirstSatisfactionRate *float64 `json:"first_satisfaction_rate"`
	OnTimeReplies         int      `json:"on_time_replies"`
	Handled               int      `json:"handled"`
	OnTimeRate            *float64 `json:"on_time_rate"`
	Dispatches            int      `json:"dispatches"`
	Returns               int      `json:"returns"`
	ReturnRate            *float64 `json:"return_rate"`
	Redone                int      `json:"redone"`
	RedoRate              *float64 `json:"redo_rate"`
	Overdue               int      `json:"overdue"`
	AvgHandlingHours      *float64 `json:"avg_handling_hours"`
}

// rate is a rate of the API: null when its denominator is 0 (no data).
func rate(r float64, den int) *float64 {
	if den == 0 {
		return nil
	}
	return &r
}

// AssessmentJSON is the assessment table in the API: the rows of a
// dimension over the period [from, to], both days included, ranked.
type AssessmentJSON struct {
	Dimension rates.Dimension     `json:"dimension"`
	From      string              `json:"from"`
	To        string              `json:"to"`
	RankBy    rates.Measure       `json:"rank_by"`
	AsOf      time.Time           `json:"as_of"`
	Items     []AssessmentRowJSON `json:"items"`
}

func (s *Handlers) apiAssessment(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	p, q, err := assessQuery(r)
	if err != nil {
		return err
	}
	rows, asOf, err := s.assessment(r.Context(), a, core.LangOf(r), p, q)
	if err != nil {
		return err
	}
	items := make([]AssessmentRowJSON, 0, len(rows))
	for _, x := range rows {
		items = append(items, AssessmentRowJSON{Key: x.Key, Name: x.Name, Rank: x.Rank, Appeals: x.Appeals,
			ResponseDue: x.ResponseDue, ResponseInTime: x.ResponseInTime, ResponseRate: rate(x.ResponseRate, x.ResponseDue),
			Resolved: x.Resolved, Replied: x.Replied, ResolutionRate: rate(x.ResolutionRate, x.Replied),
			Satisfied: x.Satisfied, Basic: x.Basic, Unsatisfied: x.Unsatisfied, NotRated: x.NotRated, Rated: x.Rated,
			SatisfactionRate: rate(x.SatisfactionRate, x.Rated), FirstSatisfied: x.FirstSatisfied, FirstBasic: x.FirstBasic,
			FirstUnsatisfied: x.FirstUnsatisfied, FirstSatisfactionRate: rate(x.FirstSatisfactionRate, x.Rated),
			OnTimeReplies: x.OnTimeReplies, Handled: x.Handled, OnTimeRate: rate(x.OnTimeRate, x.Handled),
			Dispatches: x.Dispatches, Returns: x.Returns, ReturnRate: rate(x.ReturnRate, x.Dispatches),
			Redone: x.Redone, RedoRate: rate(x.RedoRate, x.Rated),
			Overdue: x.Overdue, AvgHandlingHours: rate(x.AvgHandlingHours, x.Handled)})
	}
	core.WriteJSON(w, http.StatusOK, AssessmentJSON{Dimension: p.Dimension, From: p.From, To: p.To,
		RankBy: p.RankBy, AsOf: asOf.UTC(), Items: items})
	return nil
}

// assessmentPageData is the table of the three rates with rankings.
type assessmentPageData struct {
	core.Base
	Params     assessParams
	Rows       []assessRow
	Dimensions []rates.Dimension
	Measures   []rates.Measure
	Regions    core.RegionFilter
	ExportURL  string
	AsOf       string // when the figures were computed, in Shanghai
}

// RankURL is the table ranked by a measure.
func (p *assessmentPageData) RankURL(m rates.Measure) string { return p.url(p.Params.Dimension, m) }

// DimensionURL is the table by another dimension.
func (p *assessmentPageData) DimensionURL(d rates.Dimension) string { return p.url(d, p.Params.RankBy) }

func (p *assessmentPageData) url(d rates.Dimension, m rates.Measure) string {
	v := url.Values{"dimension": {string(d)}, "from": {p.Params.From}, "to": {p.Params.To}}
	if m != "" {
		v.Set("rank_by", string(m))
	}
	if p.Params.Region != "" {
		v.Set("region", p.Params.Region)
	}
	if p.Params.Weight != "" {
		v.Set("basic_weight", p.Params.Weight)
	}
	return "/assessment?" + v.Encode()
}

func (s *Handlers) assessmentPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	p := &assessmentPageData{Dimensions: assessDimensions, Measures: assessMeasures}
	params, q, err := assessQuery(r)
	p.Params = params
	if p.Params.RankBy == "" && r.URL.Query().Get("rank_by") == "" {
		p.Params.RankBy = rates.Response
	}
	code := http.StatusOK
	if err != nil {
		m, err := core.FormErrors(err, lang)
		if err != nil {
			return err
		}
		p.Errors, code = m, http.StatusUnprocessableEntity
	} else {
		var asOf time.Time
		if p.Rows, asOf, err = s.assessment(r.Context(), a, lang, p.Params, q); err != nil {
			return err
		}
		p.AsOf = asOf.In(calendar.Shanghai).Format("2006-01-02 15:04:05")
	}
	if p.Regions, err = s.RegionFilter(r, a, p.Params.Region, place.Community); err != nil {
		return err
	}
	p.ExportURL = "/assessment/export.xlsx?" + r.URL.RawQuery
	p.Title = s.T(lang, "as.title")
	s.Render(w, r, code, "assessment", p)
	return nil
}

// exportAssessment answers the assessment table as an Excel workbook.
func (s *Handlers) exportAssessment(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	p, q, err := assessQuery(r)
	if err != nil {
		return err
	}
	if p.RankBy == "" && r.URL.Query().Get("rank_by") == "" {
		p.RankBy = rates.Response
	}
	rows, _, err := s.assessment(r.Context(), a, lang, p, q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.writeAssessment(&buf, lang, p, rows); err != nil {
		return fmt.Errorf("write assessment: %w", err)
	}
	core.SendXLSX(w, s.T(lang, "as.title")+"_"+p.From+"_"+p.To+".xlsx", buf.Bytes())
	return nil
}

// writeAssessment writes the table as a one-sheet workbook; rates are
// numbers formatted as percentages, so that Excel can sort and sum them.
func (s *Handlers) writeAssessment(w *bytes.Buffer, lang string, p assessParams, rows []assessRow) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := s.T(lang, "as.title")
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	keys := []string{"as.rank", "as.name", "as.appeals", "as.response", "as.responsedue", "as.resolution", "as.replied",
		"as.satisfaction", "as.rated", "as.firstsat", "as.ontime", "as.return", "as.redo", "as.overdue", "as.avghours"}
	header := make([]any, len(keys))
	for i, k := range keys {
		header[i] = s.T(lang, k)
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := f.SetRowStyle(sheet, 1, 1, bold); err != nil {
		return err
	}
	for i, x := range rows {
		var rank any
		if x.Rank > 0 {
			rank = x.Rank
		}
		// A rate of no data is said in words, as on the page.
		nodata := s.T(lang, "as.nodata")
		cell := func(r float64, den int) any {
			if den == 0 {
				return nodata
			}
			return r
		}
		vals := []any{rank, x.Name, x.Appeals, cell(x.ResponseRate, x.ResponseDue), x.ResponseDue,
			cell(x.ResolutionRate, x.Replied), x.Replied, cell(x.SatisfactionRate, x.Rated), x.Rated,
			cell(x.FirstSatisfactionRate, x.Rated), cell(x.OnTimeRate, x.Handled), cell(x.ReturnRate, x.Dispatches),
			cell(x.RedoRate, x.Rated), x.Overdue, cell(x.AvgHandlingHours, x.Handled)}
		if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(i+2), &vals); err != nil {
			return err
		}
	}
	if len(rows) > 0 {
		last := strconv.Itoa(len(rows) + 1)
		for _, col := range []string{"D", "F", "H", "J", "K", "L", "M"} {
			if err := f.SetCellStyle(sheet, col+"2", col+last, pct); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(sheet, "B", "B", 28); err != nil {
		return err
	}
	note := fmt.Sprintf("%s %s – %s", s.T(lang, "as.period"), p.From, p.To)
	if err := f.SetCellValue(sheet, "A"+strconv.Itoa(len(rows)+3), note); err != nil {
		return err
	}
	return f.Write(w)
}

// bar is one bar of a chart: its share of the longest bar, 0–100.
type bar struct {
	Key, Label, Href string
	N, Width         int
}

// column is one column of the chart of appeals by day, in the chart's units.
type column struct {
	X, Y, W, H int
	Label      string
	N          int
}

// overviewPageData is a leader's overview: the period's volumes by day and
// category, the states, what is overdue by department.
type overviewPageData struct {
	core.Base
	period
	Region     string
	Regions    core.RegionFilter
	O          appealdb.Overview
	Days       []column
	ChartW     int
	ChartH     int
	Categories []bar
	States     []bar
	Overdue    []bar
	AsOf       string // when the figures were computed, in Shanghai
}

// chartHeight is the height of the columns' box; labels are outside it.
const chartHeight = 100

func bars(counts []appealdb.Count, href func(appealdb.Count) string) []bar {
	most := 0
	for _, c := range counts {
		most = max(most, c.N)
	}
	out := make([]bar, 0, len(counts))
	for _, c := range counts {
		b := bar{Key: c.Key, Label: c.Label, N: c.N}
		if most > 0 {
			b.Width = max(c.N*100/most, 1)
		}
		if href != nil {
			b.Href = href(c)
		}
		out = append(out, b)
	}
	return out
}

func (s *Handlers) overviewPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	per, from, to, err := periodOf(r)
	if err != nil {
		return err
	}
	region := r.URL.Query().Get("region")
	o, err := s.appeals.Overview(r.Context(), a, appealdb.OverviewQuery{Region: region, From: from, To: to})
	if err != nil {
		return err
	}
	p := &overviewPageData{period: per, Region: region, O: o, ChartH: chartHeight,
		AsOf: o.AsOf.In(calendar.Shanghai).Format("2006-01-02 15:04:05")}
	if p.Regions, err = s.RegionFilter(r, a, region, place.Community); err != nil {
		return err
	}
	most := 0
	for _, c := range o.ByDay {
		most = max(most, c.N)
	}
	const colW = 10
	for i, c := range o.ByDay {
		h := 0
		if most > 0 {
			h = c.N * (chartHeight - 4) / most
		}
		p.Days = append(p.Days, column{X: i * colW, Y: chartHeight - h, W: colW - 2, H: h, Label: c.Label, N: c.N})
	}
	p.ChartW = max(len(o.ByDay)*colW, colW)
	cats, err := s.appeals.Categories(r.Context())
	if err != nil {
		return err
	}
	names := categoryNames(cats, lang)
	p.Categories = bars(o.ByCategory, func(c appealdb.Count) string {
		return appealsURL("queue", "all", "category", c.Key, "region", region, "from", per.From, "to", per.To)
	})
	for i := range p.Categories {
		if n := names[p.Categories[i].Key]; n != "" {
			p.Categories[i].Label = n
		}
	}
	p.States = bars(o.ByState, func(c appealdb.Count) string {
		return appealsURL("queue", "all", "state", c.Key, "region", region, "from", per.From, "to", per.To)
	})
	for i := range p.States {
		p.States[i].Label = s.Word(lang, "state", p.States[i].Key)
	}
	p.Overdue = bars(o.OverdueByDepartment, func(c appealdb.Count) string {
		return appealsURL("queue", "overdue", "region", region, "department", c.Key)
	})
	for i, c := range o.OverdueByDepartment {
		if lang == "en" && c.LabelEn != "" {
			p.Overdue[i].Label = c.LabelEn
		}
	}
	p.Title = s.T(lang, "ov.title")
	s.Render(w, r, http.StatusOK, "overview", p)
	return nil
}

// CountJSON is one bar of the overview in the API.
type CountJSON struct {
	Key   string `json:"key"`
	Label string `json:"label,omitempty"`
	N     int    `json:"n"`
}

func countsJSON(cs []appealdb.Count) []CountJSON {
	out := make([]CountJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, CountJSON{Key: c.Key, Label: c.Label, N: c.N})
	}
	return out
}

// OverviewJSON is the leaders' overview in the API: the appeals received
// in the period and their states, and the steps overdue now.
type OverviewJSON struct {
	From                string      `json:"from"`
	To                  string      `json:"to"`
	AsOf                time.Time   `json:"as_of"`
	Received            int         `json:"received"`
	Open                int         `json:"open"`
	Overdue             int         `json:"overdue"`
	Closed              int         `json:"closed"`
	ByDay               []CountJSON `json:"by_day"`
	ByCategory          []CountJSON `json:"by_category"`
	ByState             []CountJSON `json:"by_state"`
	OverdueByDepartment []CountJSON `json:"overdue_by_department"`
}

func (s *Handlers) apiOverview(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	per, from, to, err := periodOf(r)
	if err != nil {
		return err
	}
	o, err := s.appeals.Overview(r.Context(), a, appealdb.OverviewQuery{Region: r.URL.Query().Get("region"), From: from, To: to})
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, OverviewJSON{From: per.From, To: per.To, AsOf: o.AsOf.UTC(), Received: o.Received, Open: o.Open,
		Overdue: o.Overdue, Closed: o.Closed, ByDay: countsJSON(o.ByDay), ByCategory: countsJSON(o.ByCategory),
		ByState: countsJSON(o.ByState), OverdueByDepartment: countsJSON(o.OverdueByDepartment)})
	return nil
}

func pickLang(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}
