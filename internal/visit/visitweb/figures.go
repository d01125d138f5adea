package visitweb

import (
	"bytes"
	"fmt"
	"net/http"

	"qifu/internal/sheet"
	"qifu/internal/visit/visitdb"
	"qifu/internal/web/core"
)

// The figures of visits as a workbook, and per department.

// departmentJSON is a department's part in the problems found.
type departmentJSON struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Raised       int    `json:"visit_problems_raised"`
	RaisedClosed int    `json:"visit_problems_closed"`
	DayProblems  int    `json:"service_day_problems"`
	DayAnswered  int    `json:"service_day_answered"`
	DayRaised    int    `json:"service_day_raised"`
}

func (s *Handlers) apiDepartmentFigures(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, err := s.visits.DepartmentFiguresOf(r.Context(), a, r.URL.Query().Get("region"), s.period(r))
	if err != nil {
		return err
	}
	lang := core.LangOf(r)
	out := core.Items[departmentJSON]{Items: []departmentJSON{}}
	for _, d := range list {
		name := d.Name
		if lang == "en" && d.NameEn != "" {
			name = d.NameEn
		}
		out.Items = append(out.Items, departmentJSON{Code: d.Code, Name: name, Raised: d.Raised, RaisedClosed: d.RaisedClosed,
			DayProblems: d.DayProblems, DayAnswered: d.DayAnswered, DayRaised: d.DayRaised})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// exportFigures is a region's coverage and figures over a period as a
// workbook: one sheet of coverage per region, one of figures each by region,
// recorder and unit, one per department.
func (s *Handlers) exportFigures(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	region, p := r.URL.Query().Get("region"), s.period(r)
	t := func(key string) string { return s.T(lang, key) }
	total, rows, err := s.visits.CoverageOf(r.Context(), a, region, p)
	if err != nil {
		return err
	}
	var tables []sheet.Table
	covHeader := []string{t("common.region"), t("vi.c_enterprises"), t("vi.c_grid"), t("vi.c_key"), t("vi.c_projects"),
		t("vi.c_visited"), t("vi.c_unvisited"), t("vi.c_often")}
	var cov [][]any
	for _, c := range append(rows, total) {
		cov = append(cov, []any{c.Name, c.Enterprises, c.WithGridWorker, fmt.Sprintf("%d/%d", c.KeyWithCadre, c.KeyEnterprises),
			fmt.Sprintf("%d/%d", c.ProjectsCadre, c.Projects), c.Visited, c.Unvisited, c.TooOften})
	}
	tables = append(tables, sheet.Table{Name: t("vi.cov"), Header: covHeader, Rows: cov})
	figHeader := []string{"", t("vi.f_visits"), t("vi.f_enterprises"), t("vi.f_problems"), t("vi.f_solved"), t("vi.f_spot"),
		t("vi.f_raised"), t("vi.f_common"), t("vi.f_confirmed"), t("vi.f_satisfied"), t("vi.f_solvedrate"), t("vi.f_satisfiedrate")}
	for _, by := range []string{visitdb.ByRegion, visitdb.ByRecorder, visitdb.ByUnit} {
		tot, list, err := s.visits.FiguresOf(r.Context(), a, region, p, by)
		if err != nil {
			return err
		}
		var data [][]any
		tot.Name = t("vi.total")
		for _, x := range append(list, tot) {
			data = append(data, []any{x.Name, x.Visits, x.Enterprises, x.Problems, x.Solved(), x.SolvedOnSpot, x.Raised, x.Common,
				x.Confirmed, x.Satisfied, pct(x.SolvedRate()), pct(x.SatisfiedRate())})
		}
		header := append([]string{s.Word(lang, "by", by)}, figHeader[1:]...)
		tables = append(tables, sheet.Table{Name: s.Word(lang, "by", by), Header: header, Rows: data})
	}
	depts, err := s.visits.DepartmentFiguresOf(r.Context(), a, region, p)
	if err != nil {
		return err
	}
	var data [][]any
	for _, d := range depts {
		name := d.Name
		if lang == "en" && d.NameEn != "" {
			name = d.NameEn
		}
		data = append(data, []any{name, d.Raised, d.RaisedClosed, d.DayProblems, d.DayAnswered, d.DayRaised})
	}
	tables = append(tables, sheet.Table{Name: t("vi.bydept"), Header: []string{t("vi.dept"), t("vi.d_raised"), t("vi.d_closed"), t("vi.d_day"),
		t("vi.d_dayanswered"), t("vi.d_dayraised")}, Rows: data})
	var buf bytes.Buffer
	if err := sheet.WriteTables(&buf, tables); err != nil {
		return err
	}
	core.SendXLSX(w, fmt.Sprintf("visits-%s-%s.xlsx", p.From, p.To), buf.Bytes())
	return nil
}
