package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/appeal"
	"qifu/internal/appeal/appealweb"
	"qifu/internal/calendar"
)

// TestComplaintAboutDepartmentHTTP raises a complaint about the tax bureau
// through the API: the appeal names it, a dispatch to it is refused on the
// lead field, the settings name the supervising body, and the page shows
// the department complained about.
func TestComplaintAboutDepartmentHTTP(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		dept := s.deptIDs(t)
		in := appealInput("对税务窗口的投诉")
		in.Type, in.Category, in.About = appeal.TypeComplaint, "tax", dept["tax"]
		res := s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(in))
		if res.code != http.StatusCreated {
			t.Fatalf("raise a complaint: %d %s", res.code, res.body)
		}
		var a appealweb.AppealJSON
		res.json(t, &a)
		if a.About != dept["tax"] {
			t.Fatalf("about_department %d, want %d", a.About, dept["tax"])
		}
		s.step(t, "community", a.ID, appeal.Accept, appealweb.ActionInput{}, appeal.Accepted)
		res = s.act(t, "community", a.ID, appeal.Dispatch, appealweb.ActionInput{Lead: dept["tax"]})
		wantError(t, "dispatch a complaint to the department it is about", res, http.StatusUnprocessableEntity, "")
		if !bytes.Contains(res.body, []byte(`"lead"`)) {
			t.Errorf("refused without naming lead: %s", res.body)
		}
		if res := s.as(t, "admin", "PUT", "/api/v1/appeal-settings", jsonBody(map[string]int64{"complaint_supervisor": dept["justice"]})); res.code != http.StatusOK ||
			!bytes.Contains(res.body, []byte(fmt.Sprintf(`"complaint_supervisor":%d`, dept["justice"]))) {
			t.Errorf("set the supervising body: %d %s", res.code, res.body)
		}
		page := s.as(t, "community", "GET", fmt.Sprintf("/appeals/%d", a.ID), nil)
		if !bytes.Contains(page.body, []byte(`id="about"`)) || !bytes.Contains(page.body, []byte("税务局")) {
			t.Errorf("the appeal page does not name the department complained about")
		}
		lead := page.body
		if i := bytes.Index(lead, []byte(`name="lead"`)); i >= 0 {
			lead = lead[i:]
			if j := bytes.Index(lead, []byte(`</select>`)); j >= 0 {
				lead = lead[:j] // the lead department's choices, not the offices'
			}
		}
		if bytes.Contains(lead, []byte(fmt.Sprintf(`<option value="%d"`, dept["tax"]))) {
			t.Errorf("the dispatch form offers the department complained about")
		}
		s.step(t, "community", a.ID, appeal.Dispatch, appealweb.ActionInput{Lead: dept["justice"]}, appeal.Dispatched)
	})
}

// TestAssessmentRedoAgrees redoes an appeal (rated 不满意, answered again,
// rated 满意) and checks that the API, the page and the export say the same
// of every row: satisfaction at the final and at the first rating, the redo
// rate, and "no data" where a rate has nothing to count.
func TestAssessmentRedoAgrees(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		dept := s.deptIDs(t)
		a := s.raise(t, "重办检查")
		s.step(t, "community", a.ID, appeal.Accept, appealweb.ActionInput{}, appeal.Accepted)
		s.step(t, "community", a.ID, appeal.Dispatch, appealweb.ActionInput{Lead: dept["hrss"]}, appeal.Dispatched)
		s.step(t, "dept_hrss", a.ID, appeal.Sign, appealweb.ActionInput{}, appeal.Handling)
		s.step(t, "dept_hrss", a.ID, appeal.Reply, appealweb.ActionInput{Result: appeal.Explained, Note: "已说明招聘政策"}, appeal.Replied)
		s.step(t, "enterprise", a.ID, appeal.Rate, appealweb.ActionInput{Rating: appeal.Unsatisfied, Note: "没有对接到工人"}, appeal.Handling)
		s.step(t, "dept_hrss", a.ID, appeal.Reply, appealweb.ActionInput{Result: appeal.Solved, Note: "已组织专场招聘会"}, appeal.Replied)
		s.step(t, "enterprise", a.ID, appeal.Rate, appealweb.ActionInput{Rating: appeal.Satisfied}, appeal.Closed)

		today := time.Now().In(calendar.Shanghai)
		q := "dimension=department&from=" + today.AddDate(0, 0, -29).Format(time.DateOnly) + "&to=" + today.Format(time.DateOnly)
		var api appealweb.AssessmentJSON
		s.as(t, "district_leader", "GET", "/api/v1/assessment?"+q, nil).json(t, &api)
		page := string(s.as(t, "district_leader", "GET", "/assessment?"+q, nil).body)
		export := s.as(t, "district_leader", "GET", "/assessment/export.xlsx?"+q, nil)
		f, err := excelize.OpenReader(bytes.NewReader(export.body))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetName(0)
		grid, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		pct := func(r *float64) string {
			if r == nil {
				return "无数据"
			}
			return strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
		}
		cell := func(r *float64) string {
			if r == nil {
				return "无数据"
			}
			return strconv.FormatFloat(*r, 'f', -1, 64)
		}
		sawRedo, sawNoData := false, false
		for i, row := range api.Items {
			if row.Name == "人力社保局" {
				sawRedo = row.Redone >= 1 && row.FirstUnsatisfied >= row.Unsatisfied+1
				if !sawRedo {
					t.Errorf("人力社保局: redone %d, first unsatisfied %d, unsatisfied %d", row.Redone, row.FirstUnsatisfied, row.Unsatisfied)
				}
			}
			if row.RedoRate == nil {
				sawNoData = true
			}
			if row.Rated > 0 {
				w := (float64(row.FirstSatisfied) + 0.8*float64(row.FirstBasic)) / float64(row.Rated)
				if d := *row.FirstSatisfactionRate - w; d > 1e-9 || d < -1e-9 {
					t.Errorf("%s: first satisfaction %v, want %v", row.Name, *row.FirstSatisfactionRate, w)
				}
			}
			// The page's row shows the same rates, "无数据" where the API says null.
			for _, want := range []string{pct(row.SatisfactionRate) + ` <span class="muted small">` + fmt.Sprintf("%d/%d/%d", row.Satisfied, row.Basic, row.Unsatisfied),
				pct(row.FirstSatisfactionRate) + ` <span class="muted small">` + fmt.Sprintf("%d/%d/%d", row.FirstSatisfied, row.FirstBasic, row.FirstUnsatisfied)} {
				if !strings.Contains(page, want) {
					t.Errorf("%s: the page lacks %q", row.Name, want)
				}
			}
			// The export's row: satisfaction (H), first satisfaction (J), redo (M).
			x := grid[i+1]
			if x[1] != row.Name || x[7] != cell(row.SatisfactionRate) || x[9] != cell(row.FirstSatisfactionRate) || x[12] != cell(row.RedoRate) {
				t.Errorf("export row %v, want %s %s %s %s", x, row.Name, cell(row.SatisfactionRate), cell(row.FirstSatisfactionRate), cell(row.RedoRate))
			}
		}
		if !sawRedo || !sawNoData {
			t.Errorf("the rows show a redo: %v, a rate of no data: %v", sawRedo, sawNoData)
		}
	})
}
