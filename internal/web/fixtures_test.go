package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/calendar"
	"qifu/internal/store"
	"qifu/internal/visit"
)

// Records the route matrix and the module tests start from: a
// department's workbook of facts, a cadre to replace, a key project, visits.

// factsWorkbook is a department's workbook of one fact of the enterprise
// of credit code: its revenue of last year.
func factsWorkbook(t testing.TB, credit string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheetName := f.GetSheetName(0)
	year := strconv.Itoa(time.Now().In(calendar.Shanghai).Year() - 1)
	for i, row := range [][]any{{"统一社会信用代码", "事实类别", "期间", "数值", "备注"}, {credit, "营业收入", year, "1250.5", "纳税申报"}} {
		if err := f.SetSheetRow(sheetName, "A"+strconv.Itoa(i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cadreSwap is a cadre with enterprises and another active cadre to
// succeed it, as the store holds them now.
func cadreSwap(t testing.TB, s *site) (from, to int64) {
	t.Helper()
	ctx := context.Background()
	if err := store.Scan(s.st.Reader().Row(ctx, `SELECT a.user_id FROM assignments a JOIN users u ON u.id = a.user_id
		WHERE u.role = 'cadre' ORDER BY a.user_id LIMIT 1`), &from); err != nil {
		t.Fatalf("a cadre with enterprises: %v", err)
	}
	if err := store.Scan(s.st.Reader().Row(ctx, `SELECT id FROM users WHERE role = 'cadre' AND disabled = FALSE AND id <> ?
		ORDER BY id LIMIT 1`, from), &to); err != nil {
		t.Fatalf("a successor: %v", err)
	}
	return from, to
}

// firstProject is the first key project as the store holds it now: its
// id, version and enterprise's credit code.
func firstProject(t testing.TB, s *site) (id, version int64, credit string) {
	t.Helper()
	if err := store.Scan(s.st.Reader().Row(context.Background(), `SELECT p.id, p.version, e.credit_code FROM key_projects p
		JOIN enterprises e ON e.id = p.enterprise_id ORDER BY p.id LIMIT 1`), &id, &version, &credit); err != nil {
		t.Fatalf("a key project: %v", err)
	}
	return id, version, credit
}

// The visits (走访) the route matrix and the module tests start from: a
// visit to an enterprise with problems solved on the spot, raised as an
// appeal or sent up as a new common problem.

// solvedProblem is a problem solved on the spot.
func solvedProblem() visit.Problem {
	return visit.Problem{Text: "新招员工缺少岗前培训场地", Category: "labour.recruit", Outcome: visit.Solved, Action: "联系社区党群服务中心提供培训教室"}
}

// appealProblem is a problem raised as an appeal on the enterprise's behalf.
func appealProblem() visit.Problem {
	return visit.Problem{Text: "出口退税迟迟未到账，资金周转紧张", Category: "trade", Outcome: visit.Raised}
}

// commonProblem is a problem sent up as a new common problem, titled anew
// each time.
func commonProblem() visit.Problem {
	return visit.Problem{Text: "园区晚间公交停运，夜班员工通勤难", Category: "logistics", Outcome: visit.Common,
		TopicTitle: fmt.Sprintf("园区夜班公交停运%d", codeSeq.Add(1))}
}

// visitTeam is the team of a visit recorded by the demo account username:
// the account itself and an officer of a district bureau.
func (s *site) visitTeam(t testing.TB, username string) []visit.Visitor {
	t.Helper()
	return []visit.Visitor{{UserID: s.userID(t, username), Name: demoAccount(username).Name, Unit: "大港社区"},
		{Name: "李科长", Unit: "区人力社保局"}}
}

// visitOf is a routine visit of today by team to the enterprise of id,
// with the situation seen and problems.
func visitOf(id int64, team []visit.Visitor, problems ...visit.Problem) visit.Visit {
	return visit.Visit{EnterpriseID: id, Kind: visit.Routine, Visitors: team,
		Situation: visit.Situation{Operation: "正常生产", Orders: "订单平稳", Employees: 48}, Problems: problems}
}

// recordVisit records v through the API as username (header: extra
// request headers in pairs) and returns the visit recorded.
func (s *site) recordVisit(t testing.TB, username string, v visit.Visit, header ...string) visit.Visit {
	t.Helper()
	res := s.as(t, username, "POST", "/api/v1/visits", jsonBody(v), header...)
	if res.code != http.StatusCreated {
		t.Fatalf("record a visit as %s: %d %s", username, res.code, res.body)
	}
	var out visit.Visit
	res.json(t, &out)
	if out.ID == 0 || len(out.Problems) != len(v.Problems) {
		t.Fatalf("record a visit as %s: %s", username, res.body)
	}
	return out
}

// topicVisit records a visit of username to the enterprise of id with a
// problem solved on the spot and one sent up as a new common problem: the
// visit and the common problem's ID.
func (s *site) topicVisit(t testing.TB, username string, id int64) (visit.Visit, int64) {
	t.Helper()
	v := s.recordVisit(t, username, visitOf(id, s.visitTeam(t, username), solvedProblem(), commonProblem()))
	topic := v.Problems[1].TopicID
	if topic == 0 {
		t.Fatalf("the common problem of visit %d has no topic", v.ID)
	}
	return v, topic
}

// serviceDay plans a department service day of the showcase community a
// week ahead, as its staff, with the human resources and tax bureaus.
func (s *site) serviceDay(t testing.TB) visit.Day {
	t.Helper()
	res := s.as(t, "community", "POST", "/api/v1/service-days", jsonBody(dayOf(s)))
	if res.code != http.StatusCreated {
		t.Fatalf("plan a service day: %d %s", res.code, res.body)
	}
	var d visit.Day
	res.json(t, &d)
	return d
}

// dayOf is a service day of the showcase community a week ahead.
func dayOf(s *site) visit.Day {
	return visit.Day{RegionCode: showCommunity, Title: fmt.Sprintf("人社、税务服务日%d", codeSeq.Add(1)),
		On: s.st.Now().In(calendar.Shanghai).AddDate(0, 0, 7).Format("2006-01-02"), Place: "社区党群服务中心二楼",
		Departments: []string{"hrss", "tax"}}
}

// dayProblem registers a problem of the showcase enterprise for the
// service day of id, as the enterprise.
func (s *site) dayProblem(t testing.TB, dayID int64) visit.DayProblem {
	t.Helper()
	res := s.as(t, "enterprise", "POST", fmt.Sprintf("/api/v1/service-days/%d/problems", dayID), jsonBody(dayProblemOf(0)))
	if res.code != http.StatusCreated {
		t.Fatalf("register a problem for service day %d: %d %s", dayID, res.code, res.body)
	}
	var p visit.DayProblem
	res.json(t, &p)
	return p
}

// dayProblemOf is a problem of the enterprise of id for the human
// resources bureau.
func dayProblemOf(id int64) visit.DayProblem {
	return visit.DayProblem{EnterpriseID: id, Text: "新招员工社保参保登记怎么办理", Category: "labour.recruit", Department: "hrss"}
}

// visitPhoto adds a photo to a visit through the API as username and
// returns its id.
func (s *site) visitPhoto(t testing.TB, username string, visitID int64) int64 {
	t.Helper()
	res := s.as(t, username, "POST", fmt.Sprintf("/api/v1/visits/%d/photos", visitID), photoBody(t, "file", aPNG(t), nil))
	var p visit.Photo
	res.json(t, &p)
	if res.code != http.StatusCreated || p.ID == 0 {
		t.Fatalf("add a photo as %s: %d %s", username, res.code, res.body)
	}
	return p.ID
}
