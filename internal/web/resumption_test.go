package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/audience"
	"qifu/internal/calendar"
	"qifu/internal/enterprise"
	"qifu/internal/resumption"
	"qifu/internal/resumption/resumptiondb"
	"qifu/internal/web/core"
)

// The API's answers the module's tests read.
type (
	rsCampaignJSON struct {
		ID              int64  `json:"id"`
		Kind            string `json:"kind"`
		Period          string `json:"period"`
		SettingsVersion int64  `json:"settings_version"`
	}
	rsReportJSON struct {
		ID           int64  `json:"id"`
		EnterpriseID int64  `json:"enterprise_id"`
		Period       string `json:"period"`
		Resumed      bool   `json:"resumed"`
		OutputShare  int    `json:"output_share"`
		OnSite       int    `json:"on_site"`
		Workers      int    `json:"workers"`
		NoChange     bool   `json:"no_change"`
		Channel      string `json:"channel"`
		Corrections  int    `json:"corrections"`
		Version      int64  `json:"version"`
	}
	rsRateJSON struct {
		Members     int     `json:"members"`
		Reported    int     `json:"reported"`
		NotReported int     `json:"not_reported"`
		Resumed     int     `json:"resumed"`
		Producing   int     `json:"producing"`
		Output      int64   `json:"output"`
		Normal      int64   `json:"normal_output"`
		OnSite      int     `json:"on_site"`
		Workers     int     `json:"workers"`
		Resumption  float64 `json:"resumption_rate"`
		Production  float64 `json:"production_rate"`
		Capacity    float64 `json:"capacity_recovery_rate"`
		Return      float64 `json:"return_rate"`
	}
	rsRatesJSON struct {
		Total rsRateJSON `json:"total"`
		Rows  []struct {
			Key   string     `json:"key"`
			Name  string     `json:"name"`
			Rates rsRateJSON `json:"rates"`
		} `json:"rows"`
	}
	rsExceptionsJSON struct {
		Period      string `json:"period"`
		NotReported int    `json:"not_reported"`
		Flags       int    `json:"flags"`
		Blocks      int    `json:"blocks"`
		Late        int    `json:"late_findings"`
	}
	rsRestartJSON struct {
		ID       int64  `json:"id"`
		State    string `json:"state"`
		Approver string `json:"approver"`
		Version  int64  `json:"version"`
		Steps    []struct {
			Action string `json:"action"`
			State  string `json:"state"`
		} `json:"steps"`
	}
	rsFindingJSON struct {
		ID         int64  `json:"id"`
		Kind       string `json:"kind"`
		Note       string `json:"note"`
		Basis      string `json:"basis"`
		Department string `json:"department"`
		State      string `json:"state"`
		Version    int64  `json:"version"`
	}
	rsPowerResultJSON struct {
		Rows    int `json:"rows"`
		Flagged int `json:"flagged"`
		Errors  []struct {
			Row     int    `json:"row"`
			Message string `json:"message"`
		} `json:"errors"`
	}
)

var (
	rsCampaignLoc = regexp.MustCompile(`^/resumption/campaigns/(\d+)$`)
	rsRestartLoc  = regexp.MustCompile(`^/resumption/restarts/(\d+)$`)
	rsKeyField    = regexp.MustCompile(`name="key" value="([0-9a-f]+)"`)
)

// rsSaved is the id a form's answer sends the browser to, by the pattern
// of its place.
func rsSaved(t testing.TB, what string, res result, place *regexp.Regexp) int64 {
	t.Helper()
	m := place.FindStringSubmatch(res.header.Get("Location"))
	if res.code != http.StatusSeeOther || m == nil {
		t.Fatalf("%s: %d to %q: %s", what, res.code, res.header.Get("Location"), fieldErrRE.FindAll(res.body, -1))
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

// nonWorkday is the first day after tomorrow that is not a working day by
// the store's calendar.
func (s *site) nonWorkday(t testing.TB) string {
	t.Helper()
	cal, err := s.st.Calendar(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d := s.st.Now().In(calendar.Shanghai).AddDate(0, 0, 2)
	for cal.IsWorkday(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, calendar.Shanghai)) {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format(time.DateOnly)
}

// communityMembers are the dataset's enterprises of a community, in order.
func communityMembers(community string) []enterprise.Enterprise {
	var out []enterprise.Enterprise
	for _, e := range dataset.Enterprises {
		if e.CommunityCode == community {
			out = append(out, e)
		}
	}
	return out
}

// TestResumptionPages walks a monitoring campaign of status reports through
// the pages' forms and the API, as the people who take each step: the
// street starts it on its form — each field refused is said at its place,
// in Chinese — the showcase enterprise reports on its phone (a double tap
// reports once, a stale tab is told and shown the period's report), its
// grid worker reports its neighbour through the API with an idempotency
// key (201, then 200 with the same report), a correction at a stale
// version is refused (409) and a bad report names its fields (422). The
// power company's file with one bad row keeps nothing and names the row;
// the good file flags the enterprise whose electricity disagrees. The
// rates equal the hand's count over the frozen list, non-reporters in
// every denominator; the workbook opens with a sheet per breakdown; the
// exceptions count what is missing, flagged, held up and late, today and
// days later. The next day the enterprise reports "no change" in one tap.
// The pages speak English without Chinese words of their own.
func TestResumptionPages(t *testing.T) {
	eachClockedStore(t, func(t *testing.T, s *site, clock *siteClock) {
		entID := s.entID(t, resumptionEnt.CreditCode)
		neighbourID := s.entID(t, resumptionNeighbour.CreditCode)
		supplier := resumptionSuppliers[0]
		// What the test typed, shown as it was; the language switch, which
		// names the other language in its own.
		data := []string{"中文"}
		typed := func(v ...string) { data = append(data, v...) }

		// The street's form: a new campaign's due day is a working day.
		res := s.as(t, "street_leader", "GET", "/resumption/new?kind=monitoring", nil)
		wantPage(t, "the new campaign's form", res, http.StatusOK, `id="rs-start"`, `value="monitoring" checked`)
		cal, err := s.st.Calendar(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if m := regexp.MustCompile(`name="due" value="([0-9-]+)"`).FindSubmatch(res.body); m == nil {
			t.Error("the form proposes no due day")
		} else if d, err := time.ParseInLocation(time.DateOnly, string(m[1]), calendar.Shanghai); err != nil || !cal.IsWorkday(d.Add(12*time.Hour)) {
			t.Errorf("the form proposes the due day %s, not a working day", m[1])
		}

		// Each field refused at its place: the schedule of a monitoring
		// campaign, the threshold of a checklist's, the title and a due day
		// that is not a working day.
		const title = "复工复产情况日报"
		typed(title)
		form := url.Values{"kind": {"monitoring"}, "title": {""}, "due": {s.nonWorkday(t)}, "schedule": {"hourly"}, "region": {showCommunity},
			"checklist": {"prevention"}, "threshold": {"0"}, "low_power": {"30"}, "high_power": {"70"}}
		res = s.as(t, "street_leader", "POST", "/resumption/campaigns", formBody(form))
		wantPage(t, "a campaign with a bad schedule", res, http.StatusUnprocessableEntity, `id="rs-start"`)
		if !between(res.body, `name="schedule"`, "请选择报送周期", `name="low_power"`) {
			t.Errorf("the schedule's message is not at its place: %s", fieldErrRE.FindAll(res.body, -1))
		}
		if !between(res.body, `name="title"`, "标题须为", `name="due"`) || !between(res.body, `name="due"`, "截止日期须是工作日", `name="region"`) {
			t.Errorf("the module's refusal hides the title's and the due day's: %s", fieldErrRE.FindAll(res.body, -1))
		}
		if !bytes.Contains(res.body, []byte(fmt.Sprintf(`<option value="%s" selected>`, showCommunity))) {
			t.Error("the audience chosen is lost")
		}
		form.Set("kind", "checklist")
		form.Set("threshold", "-5")
		res = s.as(t, "street_leader", "POST", "/resumption/campaigns", formBody(form))
		wantPage(t, "a checklist with a bad threshold", res, http.StatusUnprocessableEntity)
		if !between(res.body, `name="threshold"`, "审批人数门槛应为 0–100000", `name="schedule"`) {
			t.Errorf("the threshold's message is not at its place: %s", fieldErrRE.FindAll(res.body, -1))
		}
		form.Set("threshold", "50")
		res = s.as(t, "street_leader", "POST", "/resumption/campaigns", formBody(form))
		wantPage(t, "a campaign without a title, due on a day off", res, http.StatusUnprocessableEntity)
		for _, c := range []struct{ from, msg, to string }{
			{`name="title"`, "标题须为 1 到 100 个字", `name="due"`},
			{`name="due"`, "截止日期须是工作日", `name="region"`},
		} {
			if !between(res.body, c.from, c.msg, c.to) {
				t.Errorf("%q is not at its place: %s", c.msg, fieldErrRE.FindAll(res.body, -1))
			}
		}
		form.Set("region", "330206ABC")
		form.Set("title", title)
		form.Set("due", s.dueAhead(t, 5))
		res = s.as(t, "street_leader", "POST", "/resumption/campaigns", formBody(form))
		wantPage(t, "a campaign of an unknown region", res, http.StatusUnprocessableEntity)
		if !between(res.body, `name="region"`, "区划代码无效", `name="checklist"`) {
			t.Errorf("the audience's message is not at its place: %s", fieldErrRE.FindAll(res.body, -1))
		}
		res = s.inLang(t, "street_leader", "en", "POST", "/resumption/campaigns", formBody(url.Values{"kind": {"monitoring"}, "title": {title},
			"due": {s.dueAhead(t, 5)}, "schedule": {"hourly"}, "region": {showCommunity}}))
		wantPage(t, "a bad schedule in English", res, http.StatusUnprocessableEntity, "choose a schedule")

		// Started: its list frozen, the showcase community's enterprises.
		form = url.Values{"kind": {"monitoring"}, "title": {title}, "due": {s.dueAhead(t, 5)}, "schedule": {"daily"}, "region": {showCommunity},
			"low_power": {"30"}, "high_power": {"70"}}
		campaignID := rsSaved(t, "start the campaign", s.as(t, "street_leader", "POST", "/resumption/campaigns", formBody(form)), rsCampaignLoc)
		members := communityMembers(showCommunity)
		campaignPath := fmt.Sprintf("/resumption/campaigns/%d", campaignID)
		apiCampaign := "/api/v1" + campaignPath
		var c rsCampaignJSON
		s.poolCall(t, "street_leader", "GET", apiCampaign, nil, http.StatusOK, &c)
		today := s.poolDay(0)
		if c.Kind != "monitoring" || c.Period != today {
			t.Fatalf("the campaign: %+v, want monitoring of the period %s", c, today)
		}

		// The enterprise's phone: its campaign, the form prefilled with its
		// employees, no "no change" before a first report.
		wantPage(t, "the enterprise's home", s.as(t, "enterprise", "GET", "/resumption", nil), http.StatusOK, fmt.Sprintf(`id="rs-report-%d"`, campaignID))
		reportPath := campaignPath + "/report"
		res = s.as(t, "enterprise", "GET", reportPath, nil)
		wantPage(t, "the report page", res, http.StatusOK, `id="rs-report"`, fmt.Sprintf(`name="workers" inputmode="numeric" value="%d"`, resumptionEnt.Employees))
		if bytes.Contains(res.body, []byte(`id="rs-nochange"`)) {
			t.Error("\"no change\" is offered before a first report")
		}
		key := rsKeyField.FindSubmatch(res.body)
		if key == nil {
			t.Fatal("the report form has no idempotency key")
		}
		report := url.Values{"key": {string(key[1])}, "version": {"0"}, "resumed": {"yes"}, "since": {today}, "output_share": {"60"},
			"on_site": {"40"}, "workers": {fmt.Sprint(resumptionEnt.Employees)}, "orders": {"订单恢复至去年同期六成"},
			"difficulties": {"上游配件供应商尚未复工"}, "blocked_by": {supplier.CreditCode}, "returned": {"3"}, "planning": {"2"}}
		typed("订单恢复至去年同期六成", "上游配件供应商尚未复工")
		wantSeeOther(t, "report", s.as(t, "enterprise", "POST", reportPath, formBody(report)), reportPath)
		// A double tap reports once.
		wantSeeOther(t, "report again", s.as(t, "enterprise", "POST", reportPath, formBody(report)), reportPath)
		var reports core.List[rsReportJSON]
		s.poolCall(t, "street_leader", "GET", apiCampaign+"/reports", nil, http.StatusOK, &reports)
		if reports.Total != 1 || reports.Items[0].Version != 1 || reports.Items[0].OutputShare != 6000 || reports.Items[0].Channel != "enterprise" {
			t.Fatalf("the reports after a double tap: %+v", reports)
		}
		wantPage(t, "the period reported", s.as(t, "enterprise", "GET", reportPath, nil), http.StatusOK, `id="rs-this"`)
		// A bad correction: each field at its place, what was typed kept.
		bad := url.Values{"key": {"k-bad"}, "version": {"1"}, "resumed": {"yes"}, "since": {today}, "output_share": {"300"},
			"on_site": {"80"}, "workers": {fmt.Sprint(resumptionEnt.Employees)}}
		res = s.as(t, "enterprise", "POST", reportPath, formBody(bad))
		wantPage(t, "a bad correction", res, http.StatusUnprocessableEntity, `value="300"`)
		for _, c := range []struct{ from, msg, to string }{
			{`name="output_share"`, "产能比例应为 0–200%", `name="on_site"`},
			{`name="on_site"`, "在岗人数应在 0 和职工总数之间", `name="workers"`},
		} {
			if !between(res.body, c.from, c.msg, c.to) {
				t.Errorf("%q is not at its place: %s", c.msg, fieldErrRE.FindAll(res.body, -1))
			}
		}
		// A tab opened before the report: told, and shown the period's report.
		stale := url.Values{"key": {"k-stale"}, "version": {"0"}, "resumed": {"no"}, "workers": {fmt.Sprint(resumptionEnt.Employees)}}
		res = s.as(t, "enterprise", "POST", reportPath, formBody(stale))
		wantPage(t, "a report from a stale tab", res, http.StatusConflict, `id="rs-report-error"`, "本期（"+today+"）已报送", `name="version" value="1"`,
			`value="yes" checked id="rs-resumed-yes"`)

		// The grid worker reports the neighbour through the API: the retry
		// answers the same report.
		reportsPath := apiCampaign + "/reports"
		in := map[string]any{"enterprise_id": neighbourID, "resumed": true, "since": today, "output_share": 5000, "on_site": 1,
			"workers": resumptionNeighbour.Employees}
		var first, again rsReportJSON
		s.poolCall(t, "grid", "POST", reportsPath, in, http.StatusCreated, &first, "Idempotency-Key", "rs-walk-1")
		s.poolCall(t, "grid", "POST", reportsPath, in, http.StatusOK, &again, "Idempotency-Key", "rs-walk-1")
		if again.ID != first.ID || again.Version != 1 || first.Channel != "staff.grid_worker" {
			t.Errorf("the retry: %+v, the first %+v", again, first)
		}
		// A correction at its version; another at the same, stale, version.
		in["output_share"], in["version"] = 4000, first.Version
		var corrected rsReportJSON
		s.poolCall(t, "grid", "POST", reportsPath, in, http.StatusCreated, &corrected, "Idempotency-Key", "rs-walk-2")
		if corrected.ID != first.ID || corrected.Version != 2 || corrected.Corrections != 1 || corrected.OutputShare != 4000 {
			t.Errorf("the correction: %+v", corrected)
		}
		in["output_share"] = 3000
		wantError(t, "a correction at a stale version", s.as(t, "grid", "POST", reportsPath, jsonBody(in), "Idempotency-Key", "rs-walk-3"),
			http.StatusConflict, "resumption_reported")
		// A bad report names its fields.
		third := members[slices.IndexFunc(members, func(e enterprise.Enterprise) bool {
			return e.CreditCode != resumptionEnt.CreditCode && e.CreditCode != resumptionNeighbour.CreditCode
		})]
		res = s.as(t, "grid", "POST", reportsPath, jsonBody(map[string]any{"enterprise_id": s.entID(t, third.CreditCode), "resumed": false,
			"output_share": 30000, "on_site": third.Employees + 5, "workers": third.Employees}))
		var ce core.ErrorBody
		res.json(t, &ce)
		if res.code != http.StatusUnprocessableEntity || ce.Error.Code != "invalid_input" {
			t.Errorf("a bad report: %d %s", res.code, res.body)
		}
		for _, f := range []string{"output_share", "on_site", "resumed"} {
			if ce.Error.Fields[f] == "" {
				t.Errorf("a bad report does not name %s: %s", f, res.body)
			}
		}

		// The power company's file with one bad row: nothing kept, the row named.
		month, last := s.rsMonth()
		imports := s.auditTotal(t, "action=resumption.power_import")
		paste := fmt.Sprintf("%s,%s,100000\n91330206BADCODE00X,%s,5\n%s,%s,20000", resumptionEnt.CreditCode, last, month, resumptionEnt.CreditCode, month)
		res = s.as(t, "street_leader", "POST", "/resumption/power", formBody(url.Values{"rows": {paste}}))
		wantPage(t, "a file with a bad row", res, http.StatusUnprocessableEntity, `id="power-errors"`, "第 2 行：统一社会信用代码不正确", "91330206BADCODE00X")
		if bytes.Contains(res.body, []byte("第 1 行")) || bytes.Contains(res.body, []byte("第 3 行")) {
			t.Error("a good row is named a problem")
		}
		res = s.inLang(t, "street_leader", "en", "POST", "/resumption/power", formBody(url.Values{"rows": {paste}}))
		wantPage(t, "a file with a bad row in English", res, http.StatusUnprocessableEntity, "Row 2: the credit code is not valid")
		if _, where := chineseIn(res.body, shownData("中文")); len(where) > 0 {
			t.Errorf("the refused file in English keeps Chinese: %s", where)
		}
		var flags core.List[struct {
			ID       int64  `json:"id"`
			Mismatch string `json:"mismatch"`
		}]
		s.poolCall(t, "street_leader", "GET", fmt.Sprintf("/api/v1/resumption/flags?campaign=%d", campaignID), nil, http.StatusOK, &flags)
		if flags.Total != 0 || s.auditTotal(t, "action=resumption.power_import") != imports {
			t.Errorf("a refused file kept something: %d flags", flags.Total)
		}
		var pr rsPowerResultJSON
		s.poolCall(t, "street_leader", "POST", "/api/v1/resumption/power", map[string]any{"rows": []map[string]any{
			{"credit_code": resumptionEnt.CreditCode, "month": month, "kwh": 20000}, {"credit_code": "91330206BADCODE00X", "month": month, "kwh": 5}}},
			http.StatusUnprocessableEntity, &pr)
		if len(pr.Errors) != 1 || pr.Errors[0].Row != 2 || pr.Flagged != 0 {
			t.Errorf("a file with a bad row through the API: %+v", pr)
		}
		paste = fmt.Sprintf("%s,%s,100000\n%s,%s,20000", resumptionEnt.CreditCode, last, resumptionEnt.CreditCode, month)
		wantPage(t, "the file", s.as(t, "street_leader", "POST", "/resumption/power", formBody(url.Values{"rows": {paste}})), http.StatusOK,
			`id="power-done"`)
		s.poolCall(t, "street_leader", "GET", fmt.Sprintf("/api/v1/resumption/flags?campaign=%d", campaignID), nil, http.StatusOK, &flags)
		if flags.Total != 1 || flags.Items[0].Mismatch != string(resumption.ResumedIdle) {
			t.Fatalf("the flags after the file: %+v", flags)
		}
		flagID := flags.Items[0].ID

		// The rates equal the hand's count over the frozen list: every
		// member in the denominators, the non-reporters as not resumed.
		var want rsRateJSON
		reported := map[string]resumption.Report{
			resumptionEnt.CreditCode:       {Resumed: true, OutputShare: 6000, OnSite: 40, Workers: resumptionEnt.Employees},
			resumptionNeighbour.CreditCode: {Resumed: true, OutputShare: 4000, OnSite: 1, Workers: resumptionNeighbour.Employees},
		}
		for _, e := range members {
			want.Members++
			want.Normal += e.Revenue
			r, ok := reported[e.CreditCode]
			if !ok {
				want.Workers += e.Employees
				continue
			}
			want.Reported++
			want.Workers += r.Workers
			if r.Resumed {
				want.Resumed++
				want.OnSite += r.OnSite
				want.Output += e.Revenue * int64(r.OutputShare) / 10000
				if r.OutputShare > 0 {
					want.Producing++
				}
			}
		}
		var rates rsRatesJSON
		s.poolCall(t, "street_leader", "GET", apiCampaign+"/rates?by=community", nil, http.StatusOK, &rates)
		got := rates.Total
		if got.Members != want.Members || got.Reported != want.Reported || got.NotReported != want.Members-want.Reported || got.Resumed != want.Resumed ||
			got.Producing != want.Producing || got.Output != want.Output || got.Normal != want.Normal || got.OnSite != want.OnSite || got.Workers != want.Workers {
			t.Errorf("the rates: %+v\nby hand: %+v", got, want)
		}
		hand := resumption.Rates{Members: want.Members, Reported: want.Reported, Resumed: want.Resumed, Producing: want.Producing, Output: want.Output,
			Normal: want.Normal, OnSite: want.OnSite, Workers: want.Workers}
		for _, r := range []struct {
			name      string
			got, want float64
		}{
			{"复工率", got.Resumption, float64(want.Resumed) / float64(want.Members)},
			{"复产率", got.Production, float64(want.Producing) / float64(want.Members)},
			{"产能恢复率", got.Capacity, float64(want.Output) / float64(want.Normal)},
			{"返岗率", got.Return, float64(want.OnSite) / float64(want.Workers)},
		} {
			if d := r.got - r.want; d > 1e-12 || d < -1e-12 {
				t.Errorf("%s = %v, by hand %v", r.name, r.got, r.want)
			}
		}
		if len(rates.Rows) != 1 || rates.Rows[0].Key != showCommunity || rates.Rows[0].Rates != rates.Total {
			t.Errorf("the rates by community: %+v", rates.Rows)
		}
		res = s.as(t, "street_leader", "GET", campaignPath, nil)
		wantPage(t, "the campaign's page", res, http.StatusOK, `id="rate-resumption">`+resumption.Percent(hand.Resumption())+"<",
			`id="rate-capacity">`+resumption.Percent(hand.Capacity())+"<", fmt.Sprintf(`id="rate-missing">%d<`, want.Members-want.Reported))

		// The workbook: a sheet per breakdown with its total, and the members.
		exports := s.auditTotal(t, "action=resumption.export")
		res = s.as(t, "street_leader", "GET", campaignPath+"/export.xlsx", nil)
		if res.code != http.StatusOK || !strings.Contains(res.header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("the workbook: %d %q", res.code, res.header.Get("Content-Type"))
		}
		book, err := excelize.OpenReader(bytes.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		var sheets []string
		for _, by := range resumptiondb.Breakdowns {
			sheets = append(sheets, translate("zh", "rs.by."+by))
		}
		sheets = append(sheets, "名单企业")
		if got := book.GetSheetList(); !slices.Equal(got, sheets) {
			t.Errorf("the workbook's sheets: %q, want %q", got, sheets)
		}
		for _, name := range sheets[:len(sheets)-1] {
			rows, err := book.GetRows(name)
			if err != nil || len(rows) < 3 {
				t.Errorf("sheet %s: %q, %v", name, rows, err)
				continue
			}
			if total := rows[len(rows)-1]; total[0] != "合计" || total[2] != fmt.Sprint(want.Members) || total[3] != fmt.Sprint(want.Reported) ||
				total[6] != resumption.Percent(hand.Resumption()) {
				t.Errorf("sheet %s's total: %q", name, total)
			}
		}
		if rows, err := book.GetRows("名单企业"); err != nil || len(rows) != want.Members+1 {
			t.Errorf("the members' sheet: %d rows, %v", len(rows), err)
		}
		if n := s.auditTotal(t, "action=resumption.export"); n != exports+1 {
			t.Errorf("the workbook wrote %d audit entries, want 1", n-exports)
		}

		// Exceptions first: not reported, the electricity, the supplier.
		var x rsExceptionsJSON
		s.poolCall(t, "street_leader", "GET", apiCampaign+"/exceptions", nil, http.StatusOK, &x)
		if x.NotReported != want.Members-2 || x.Flags != 1 || x.Blocks != 1 || x.Late != 0 {
			t.Errorf("the exceptions: %+v", x)
		}
		wantPage(t, "the exceptions' page", s.as(t, "street_leader", "GET", campaignPath+"/exceptions", nil), http.StatusOK,
			fmt.Sprintf(`id="exc-missing">%d<`, want.Members-2), `id="exc-flags">1<`, `id="exc-blocks">1<`, `id="exc-late">0<`,
			fmt.Sprintf(`href="/resumption/flags/%d"`, flagID))
		var blocks core.List[struct {
			ID int64 `json:"id"`
		}]
		s.poolCall(t, "street_leader", "GET", fmt.Sprintf("/api/v1/resumption/blocks?campaign=%d", campaignID), nil, http.StatusOK, &blocks)
		if blocks.Total != 1 {
			t.Fatalf("the blocks: %+v", blocks)
		}
		blockPath := fmt.Sprintf("/resumption/blocks/%d", blocks.Items[0].ID)
		// The supplier's grid worker finds it in its reach; the showcase
		// grid worker does too, by the firm held up.
		wantPage(t, "the block as the showcase grid worker", s.as(t, "grid", "GET", blockPath, nil), http.StatusOK, `id="block-resolve"`, supplier.Name)
		// A grid worker's agreed improvement, due in five days.
		_, fs := s.recordCheck(t, "grid", entID, s.improvement("口罩储备不足七天，企业同意五天内补足"))
		typed("口罩储备不足七天，企业同意五天内补足")
		findingPath := fmt.Sprintf("/resumption/findings/%d", fs[0].ID)

		// The pages in both languages, English without Chinese words of
		// its own (before the clock moves: the period's pages).
		checkEnglish := func(pages []struct{ who, path string }) {
			t.Helper()
			shown := shownData(append(slices.Clone(data), rsShipped()...)...)
			for _, p := range pages {
				for _, lang := range []string{"zh", "en"} {
					res := s.inLang(t, p.who, lang, "GET", p.path, nil)
					want := map[string]string{"zh": `<html lang="zh-CN">`, "en": `<html lang="en">`}[lang]
					if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(want)) {
						t.Errorf("GET %s as %s in %s: %d, not a page in its language", p.path, p.who, lang, res.code)
						continue
					}
					if lang != "en" {
						continue
					}
					_, where := chineseIn(res.body, shown)
					for _, w := range where {
						t.Errorf("GET %s as %s in English keeps Chinese: %s", p.path, p.who, w)
					}
				}
			}
		}
		flagPath := fmt.Sprintf("/resumption/flags/%d", flagID)
		checkEnglish([]struct{ who, path string }{
			{"enterprise", "/resumption"}, {"enterprise", reportPath}, {"enterprise", findingPath},
			{"enterprise", fmt.Sprintf("/resumption/enterprises/%d", entID)},
			{"street_leader", "/resumption"}, {"street_leader", "/resumption/new"}, {"street_leader", campaignPath},
			{"street_leader", campaignPath + "?by=industry"}, {"street_leader", campaignPath + "?by=size"}, {"street_leader", campaignPath + "/exceptions"},
			{"street_leader", campaignPath + "/members"}, {"street_leader", campaignPath + "/members?missing=1"}, {"street_leader", "/resumption/power"},
			{"street_leader", "/resumption/powers"}, {"street_leader", "/resumption/findings"}, {"street_leader", "/resumption/restarts"},
			{"grid", blockPath}, {"grid", flagPath}, {"grid", findingPath},
			{"grid", fmt.Sprintf("/resumption/campaigns/%d/report?enterprise=%d", campaignID, neighbourID)},
		})

		// The next day the enterprise reports "no change" in one tap.
		clock.advance(s, 24*time.Hour)
		tomorrow := s.poolDay(0)
		checkEnglish([]struct{ who, path string }{{"enterprise", reportPath}})
		res = s.as(t, "enterprise", "GET", reportPath, nil)
		wantPage(t, "the next day's report page", res, http.StatusOK, `id="rs-nochange"`, `id="rs-nochange-submit"`)
		key = rsKeyField.FindSubmatch(res.body)
		if key == nil {
			t.Fatal("the one-tap form has no key")
		}
		wantSeeOther(t, "no change", s.as(t, "enterprise", "POST", reportPath, formBody(url.Values{"no_change": {"1"}, "key": {string(key[1])}})),
			reportPath)
		s.poolCall(t, "street_leader", "GET", apiCampaign+"/reports?period="+tomorrow, nil, http.StatusOK, &reports)
		if reports.Total != 1 || !reports.Items[0].NoChange || reports.Items[0].OutputShare != 6000 || reports.Items[0].EnterpriseID != entID {
			t.Errorf("the next day's reports: %+v", reports)
		}
		s.poolCall(t, "street_leader", "GET", apiCampaign+"/exceptions", nil, http.StatusOK, &x)
		if x.Period != tomorrow || x.NotReported != want.Members-1 {
			t.Errorf("the next day's exceptions: %+v", x)
		}

		// Six days on, the improvement is late.
		clock.advance(s, 5*24*time.Hour)
		s.poolCall(t, "street_leader", "GET", apiCampaign+"/exceptions", nil, http.StatusOK, &x)
		if x.Late != 1 || x.Blocks != 1 || x.Flags != 1 {
			t.Errorf("the exceptions six days on: %+v", x)
		}
		wantPage(t, "the exceptions six days on", s.as(t, "street_leader", "GET", campaignPath+"/exceptions", nil), http.StatusOK,
			`id="exc-late">1<`, findingPath)
		var late core.List[rsFindingJSON]
		s.poolCall(t, "street_leader", "GET", "/api/v1/resumption/findings?late=true", nil, http.StatusOK, &late)
		if late.Total != 1 || late.Items[0].ID != fs[0].ID {
			t.Errorf("the late findings: %+v", late)
		}
	})
}

// rsShipped are the words the module ships as they are in every
// language: the legal bases of the checklists' items.
func rsShipped() []string {
	var out []string
	for _, c := range resumption.Templates {
		for _, it := range c.Items() {
			out = append(out, it.Basis)
		}
	}
	return out
}

// TestResumptionChecks walks a checklist campaign with restart approval
// and the on-site checks: the showcase enterprise's application is
// refused until its checklist is submitted as its prevention plan (the
// form says so, the pledge kept; the API answers resumption_no_plan), then
// applied; its street checks it on site and is not offered the decision of
// a large enterprise, which the command takes (the street refused, 403).
// The grid worker's check agrees an improvement with the enterprise's
// consent (without it, refused at its place). A department without the
// power to inspect may not order a rectification (resumption_no_power) nor
// is offered to; once the administrator grants the tax bureau the power,
// its inspector orders one, which only the bureau closes.
func TestResumptionChecks(t *testing.T) {
	eachFreshStore(t, func(t *testing.T, s *site) {
		entID := s.entID(t, resumptionEnt.CreditCode)
		var c rsCampaignJSON
		s.poolCall(t, "street_leader", "POST", "/api/v1/resumption/campaigns", map[string]any{"kind": "checklist", "checklist": "prevention",
			"title": "复工防疫清单", "due": s.dueAhead(t, 5), "audience": map[string]any{"regions": []string{showGrid}},
			"restart": "approval", "threshold": resumptionThreshold}, http.StatusCreated, &c)
		campaignPath := fmt.Sprintf("/resumption/campaigns/%d", c.ID)

		// No application before the plan.
		apply := map[string]any{"pledge": resumptionPledge, "counts": map[string]int{"on_site": 40, "returned": 6, "planning": 4, "isolating": 1}}
		wantError(t, "apply without the plan", s.as(t, "enterprise", "POST", "/api/v1"+campaignPath+"/restarts", jsonBody(apply)),
			http.StatusUnprocessableEntity, "resumption_no_plan")
		res := s.as(t, "enterprise", "GET", campaignPath+"/restart", nil)
		wantPage(t, "the application's form", res, http.StatusOK, `id="rs-apply"`, `id="rs-plan"`)
		applyForm := url.Values{"pledge": {resumptionPledge}, "on_site": {"40"}, "returned": {"6"}, "planning": {"4"}, "isolating": {"1"}}
		res = s.as(t, "enterprise", "POST", campaignPath+"/restart", formBody(applyForm))
		wantPage(t, "apply without the plan on the page", res, http.StatusUnprocessableEntity, `id="rs-apply-error"`, "请先填报“复工防疫清单”（防控方案）",
			resumptionPledge)
		// The checklist submitted as the plan, on the survey's API.
		answers := map[string]string{}
		for k, v := range preventionAnswers() {
			answers[k] = v.Value()
		}
		s.poolCall(t, "enterprise", "POST", fmt.Sprintf("/api/v1/surveys/%d/submit", c.ID), map[string]any{"answers": answers}, http.StatusCreated, nil)
		wantPage(t, "the checklist's page", s.as(t, "enterprise", "GET", fmt.Sprintf("/surveys/%d", c.ID), nil), http.StatusOK)
		restartID := rsSaved(t, "apply", s.as(t, "enterprise", "POST", campaignPath+"/restart", formBody(applyForm)), rsRestartLoc)
		restartPath := fmt.Sprintf("/resumption/restarts/%d", restartID)
		apiRestart := "/api/v1" + restartPath

		// The street checks on site.
		res = s.as(t, "street_leader", "GET", restartPath, nil)
		wantPage(t, "the application as the street", res, http.StatusOK, `id="restart-check"`, translate("zh", "rsstate.applied"))
		if bytes.Contains(res.body, []byte(`id="restart-approve"`)) {
			t.Error("the street is offered to approve before the check")
		}
		if bytes.Contains(s.as(t, "enterprise", "GET", restartPath, nil).body, []byte(`id="restart-check"`)) {
			t.Error("the enterprise is offered the on-site check")
		}
		var r rsRestartJSON
		s.poolCall(t, "street_leader", "GET", apiRestart, nil, http.StatusOK, &r)
		if r.State != resumption.Applied || r.Approver != resumption.Command {
			t.Fatalf("the application: %+v", r)
		}
		wantSeeOther(t, "check on site", s.as(t, "street_leader", "POST", restartPath+"/act", formBody(url.Values{"action": {"check"},
			"version": {fmt.Sprint(r.Version)}})), restartPath)
		s.poolCall(t, "street_leader", "GET", apiRestart, nil, http.StatusOK, &r)
		// 56 employees, the threshold 50: the command decides, not the street.
		res = s.as(t, "street_leader", "GET", restartPath, nil)
		wantPage(t, "the checked application as the street", res, http.StatusOK, translate("zh", "rsstate.checked"))
		if bytes.Contains(res.body, []byte(`id="restart-approve"`)) {
			t.Error("the street is offered to decide a large enterprise")
		}
		wantError(t, "the street approves a large enterprise", s.as(t, "street_leader", "POST", apiRestart+"/act",
			jsonBody(map[string]any{"action": "approve", "version": r.Version})), http.StatusForbidden, "resumption_party")
		wantPage(t, "the checked application as the command", s.as(t, "district_leader", "GET", restartPath, nil), http.StatusOK,
			`id="restart-approve"`, `id="restart-refuse"`)
		s.poolCall(t, "district_leader", "POST", apiRestart+"/act", map[string]any{"action": "approve", "version": r.Version}, http.StatusOK, &r)
		if r.State != resumption.Approved || len(r.Steps) != 3 || r.Steps[2].Action != "approve" {
			t.Errorf("the approved application: %+v", r)
		}
		wantPage(t, "the approval as the enterprise", s.as(t, "enterprise", "GET", restartPath, nil), http.StatusOK, translate("zh", "rsstate.approved"))
		wantPage(t, "the restart desk", s.as(t, "street_leader", "GET", campaignPath, nil), http.StatusOK, `id="rs-restart-list"`, `id="rs-mode"`)
		if bytes.Contains(s.as(t, "community", "GET", campaignPath, nil).body, []byte(`id="rs-mode"`)) {
			t.Error("the community, which does not run the street's campaign, is offered to change its procedure")
		}

		// The grid worker's check: an improvement needs the enterprise's consent.
		checkPath := fmt.Sprintf("/resumption/enterprises/%d/check", entID)
		res = s.as(t, "grid", "GET", checkPath+"?checklist=prevention", nil)
		wantPage(t, "the grid worker's check form", res, http.StatusOK, `id="rs-check"`, translate("zh", "rs.advice_help"))
		if bytes.Contains(res.body, []byte(`value="rectification"`)) {
			t.Error("a grid worker is offered to order a rectification")
		}
		check := url.Values{"checklist": {"prevention"}, "f0_kind": {"improvement"}, "f0_item": {"masks"}, "f0_note": {"口罩储备不足七天"},
			"f0_deadline": {s.poolDay(3)}}
		for k, v := range preventionResults() {
			check.Set("r_"+k, string(v))
		}
		res = s.as(t, "grid", "POST", checkPath, formBody(check))
		wantPage(t, "an improvement without consent", res, http.StatusUnprocessableEntity)
		if !between(res.body, `name="f0_consent"`, "改进事项须经企业同意", `</fieldset>`) {
			t.Errorf("the consent's message is not at its place: %s", fieldErrRE.FindAll(res.body, -1))
		}
		check.Set("f0_consent", "1")
		wantSeeOther(t, "the grid worker's check", s.as(t, "grid", "POST", checkPath, formBody(check)), fmt.Sprintf("/resumption/enterprises/%d", entID))
		var fs core.List[rsFindingJSON]
		s.poolCall(t, "enterprise", "GET", fmt.Sprintf("/api/v1/resumption/findings?enterprise=%d&state=open", entID), nil, http.StatusOK, &fs)
		if fs.Total != 1 || fs.Items[0].Kind != string(resumption.Improvement) || fs.Items[0].Basis != "" {
			t.Fatalf("the enterprise's findings: %+v", fs)
		}
		wantPage(t, "the enterprise's home", s.as(t, "enterprise", "GET", "/resumption", nil), http.StatusOK,
			fmt.Sprintf(`href="/resumption/findings/%d"`, fs.Items[0].ID))

		// A rectification: refused to a department without the power, and
		// not offered on its form.
		order := map[string]any{"enterprise_id": entID, "checklist": "prevention", "results": preventionResultsJSON(),
			"findings": []map[string]any{{"kind": "rectification", "item": "masks", "note": "防护物资储备不足，责令补足", "matter": resumptionMatter,
				"basis": resumptionBasis, "deadline": s.poolDay(5)}}}
		for _, who := range []string{"dept_market", resumptionInspector} {
			wantError(t, who+" orders without the power", s.as(t, who, "POST", "/api/v1/resumption/checks", jsonBody(order)),
				http.StatusForbidden, "resumption_no_power")
			if bytes.Contains(s.as(t, who, "GET", checkPath, nil).body, []byte(`value="rectification"`)) {
				t.Errorf("%s is offered to order without the power", who)
			}
		}
		wantSeeOther(t, "grant the power", s.as(t, "admin", "POST", "/resumption/powers", formBody(url.Values{
			"department": {fmt.Sprint(s.deptIDs(t)[resumptionKeeper])}, "matter": {resumptionMatter}, "basis": {resumptionBasis}})), "/resumption/powers")
		wantPage(t, "the powers", s.as(t, resumptionInspector, "GET", "/resumption/powers", nil), http.StatusOK, resumptionBasis)
		wantError(t, "another department still may not", s.as(t, "dept_market", "POST", "/api/v1/resumption/checks", jsonBody(order)),
			http.StatusForbidden, "resumption_no_power")
		res = s.as(t, resumptionInspector, "GET", checkPath, nil)
		wantPage(t, "the inspector's form", res, http.StatusOK, `value="rectification"`, `name="f0_basis"`, translate("zh", "rs.inspection_help"))
		inspect := url.Values{"checklist": {"prevention"}, "f0_kind": {"rectification"}, "f0_item": {"masks"}, "f0_note": {"防护物资储备不足，责令补足"},
			"f0_basis": {resumptionBasis}, "f0_deadline": {s.poolDay(5)}}
		for k, v := range preventionResults() {
			inspect.Set("r_"+k, string(v))
		}
		wantSeeOther(t, "the inspection", s.as(t, resumptionInspector, "POST", checkPath, formBody(inspect)), fmt.Sprintf("/resumption/enterprises/%d", entID))
		s.poolCall(t, "enterprise", "GET", fmt.Sprintf("/api/v1/resumption/findings?enterprise=%d&kind=rectification", entID), nil, http.StatusOK, &fs)
		if fs.Total != 1 || fs.Items[0].Basis != resumptionBasis || fs.Items[0].Department == "" {
			t.Fatalf("the rectification: %+v", fs)
		}
		rect := fs.Items[0]
		wantPage(t, "the rectification as the enterprise", s.as(t, "enterprise", "GET", fmt.Sprintf("/resumption/findings/%d", rect.ID), nil),
			http.StatusOK, resumptionBasis, translate("zh", "rskind.rectification"))
		closeBody := map[string]any{"version": rect.Version, "note": "复查：物资已补足"}
		wantError(t, "the grid worker closes a rectification", s.as(t, "grid", "POST", fmt.Sprintf("/api/v1/resumption/findings/%d/close", rect.ID),
			jsonBody(closeBody)), http.StatusForbidden, "resumption_not_inspector")
		wantError(t, "another department closes it", s.as(t, "dept_market", "POST", fmt.Sprintf("/api/v1/resumption/findings/%d/close", rect.ID),
			jsonBody(closeBody)), http.StatusForbidden, "resumption_not_inspector")
		s.poolCall(t, resumptionInspector, "POST", fmt.Sprintf("/api/v1/resumption/findings/%d/close", rect.ID), closeBody, http.StatusOK, &rect)
		if rect.State != resumptiondb.FindingClosed {
			t.Errorf("the rectification closed: %+v", rect)
		}

		// The department is named in the page's language.
		var taxEn string
		for _, d := range dataset.Departments {
			if d.Code == resumptionKeeper {
				taxEn = d.NameEn
			}
		}
		for _, path := range []string{fmt.Sprintf("/resumption/findings/%d", rect.ID), fmt.Sprintf("/resumption/enterprises/%d", entID), "/resumption/powers",
			"/resumption/findings?state=closed"} {
			wantPage(t, path+" in English", s.inLang(t, resumptionInspector, "en", "GET", path, nil), http.StatusOK, taxEn)
		}
		// The pages of the walk in English keep no Chinese of their own.
		shown := shownData(append(rsShipped(), "中文", "复工防疫清单", resumptionPledge, "口罩储备不足七天", "防护物资储备不足，责令补足", resumptionBasis,
			"复查：物资已补足")...)
		for _, p := range []struct{ who, path string }{
			{"enterprise", "/resumption"}, {"enterprise", campaignPath + "/restart"}, {"enterprise", restartPath},
			{"street_leader", restartPath}, {"street_leader", campaignPath}, {"district_leader", restartPath},
			{"grid", checkPath}, {resumptionInspector, checkPath}, {resumptionInspector, fmt.Sprintf("/resumption/findings/%d", rect.ID)},
			{"admin", "/resumption/powers"}, {"enterprise", fmt.Sprintf("/resumption/enterprises/%d", entID)},
		} {
			res := s.inLang(t, p.who, "en", "GET", p.path, nil)
			if res.code != http.StatusOK || !bytes.Contains(res.body, []byte(`<html lang="en">`)) {
				t.Errorf("GET %s as %s in English: %d", p.path, p.who, res.code)
				continue
			}
			_, where := chineseIn(res.body, shown)
			for _, w := range where {
				t.Errorf("GET %s as %s in English keeps Chinese: %s", p.path, p.who, w)
			}
		}
	})
}

// preventionResultsJSON are preventionResults as the API takes them.
func preventionResultsJSON() map[string]string {
	out := map[string]string{}
	for k, v := range preventionResults() {
		out[k] = string(v)
	}
	return out
}

// TestResumptionFixtureRates counts the rates of the fixture's monitoring
// campaign by hand over its frozen list (the members and their weights as
// the list froze them: the shared store's enterprises change as other
// tests go) — the showcase enterprise resumed at 60% with 40 of its
// workers, its neighbour not resumed, every other member not reported and
// counted as not resumed — and finds the same through the API, for the
// street and for the showcase grid's worker, who counts only its grid's
// members.
func TestResumptionFixtureRates(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		f := s.resumptionFixture(t)
		type member struct {
			EnterpriseID int64  `json:"enterprise_id"`
			GridCode     string `json:"grid_code"`
			NormalOutput int64  `json:"normal_output"`
			Workers      int    `json:"workers"`
		}
		var list []member
		for page := 1; ; page++ {
			var l core.List[member]
			s.poolCall(t, "street_leader", "GET", fmt.Sprintf("/api/v1/resumption/campaigns/%d/members?size=200&page=%d", f.Monitoring.ID, page),
				nil, http.StatusOK, &l)
			list = append(list, l.Items...)
			if len(l.Items) < 200 {
				if len(list) != l.Total || l.Total != f.Monitoring.Members {
					t.Fatalf("the list: %d members paged, %d counted, %d frozen", len(list), l.Total, f.Monitoring.Members)
				}
				break
			}
		}
		for _, c := range []struct {
			who   string
			in    func(m member) bool
			query string
		}{
			{"street_leader", func(member) bool { return true }, "?by=street"},
			{"grid", func(m member) bool { return m.GridCode == showGrid }, "?by=grid"},
			{"street_leader", func(m member) bool { return m.GridCode == showGrid }, "?by=grid&region=" + showGrid},
		} {
			var want rsRateJSON
			for _, m := range list {
				if !c.in(m) {
					continue
				}
				want.Members++
				want.Normal += m.NormalOutput
				switch m.EnterpriseID {
				case f.Enterprise:
					want.Reported++
					want.Resumed++
					want.Producing++
					want.OnSite += 40
					want.Output += m.NormalOutput * 6000 / 10000
					want.Workers += resumptionEnt.Employees
				case f.Neighbour:
					want.Reported++
					want.Workers += resumptionNeighbour.Employees
				default:
					want.Workers += m.Workers
				}
			}
			want.NotReported = want.Members - want.Reported
			want.Resumption = float64(want.Resumed) / float64(want.Members)
			want.Production = float64(want.Producing) / float64(want.Members)
			want.Capacity = float64(want.Output) / float64(want.Normal)
			want.Return = float64(want.OnSite) / float64(want.Workers)
			var got rsRatesJSON
			s.poolCall(t, c.who, "GET", fmt.Sprintf("/api/v1/resumption/campaigns/%d/rates%s", f.Monitoring.ID, c.query), nil, http.StatusOK, &got)
			if got.Total != want {
				t.Errorf("the rates as %s (%s): %+v\nby hand: %+v", c.who, c.query, got.Total, want)
			}
			if len(got.Rows) != 1 || got.Rows[0].Rates != want {
				t.Errorf("the rates as %s (%s) broken down: %+v", c.who, c.query, got.Rows)
			}
		}
	})
}

// TestResumptionCrossCheckReach: the cross-check of a campaign run again
// by a street's leader acts on the members of its street, not on those of
// the district's other streets, whose flags and grid workers are not its.
func TestResumptionCrossCheckReach(t *testing.T) {
	eachFreshStore(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		rs := s.mods.Resumption
		c, err := rs.Start(ctx, s.actor(t, "district_leader"), resumptiondb.Input{Kind: resumptiondb.KindMonitoring, Title: "两街道复工日报",
			Due: s.dueAhead(t, 5), Audience: audience.Definition{Regions: []string{showStreet, resumptionStreet2}}, Schedule: resumption.Daily})
		if err != nil {
			t.Fatal(err)
		}
		// The electricity first (nothing to cross-check yet), then the
		// reports: resumed on a fifth of last year's use, in each street.
		month, last := s.rsMonth()
		other := resumptionSuppliers[0]
		var rows []resumptiondb.PowerRow
		for _, e := range []enterprise.Enterprise{resumptionEnt, other} {
			rows = append(rows, resumptiondb.PowerRow{CreditCode: e.CreditCode, Month: last, KWh: 100000},
				resumptiondb.PowerRow{CreditCode: e.CreditCode, Month: month, KWh: 20000})
		}
		if res, err := rs.ImportPower(ctx, s.actor(t, "district_leader"), rows); err != nil || len(res.Errors) > 0 || res.Flagged != 0 {
			t.Fatalf("the file: %+v, %v", res, err)
		}
		for _, e := range []enterprise.Enterprise{resumptionEnt, other} {
			if _, _, err := rs.SubmitReport(ctx, s.actor(t, "admin"), resumptiondb.ReportInput{CampaignID: c.ID, EnterpriseID: s.entID(t, e.CreditCode),
				Report: resumption.Report{Resumed: true, Since: s.poolDay(0), OutputShare: 5000, OnSite: 1, Workers: e.Employees}}); err != nil {
				t.Fatal(err)
			}
		}
		res := s.as(t, "street_leader", "POST", fmt.Sprintf("/api/v1/resumption/campaigns/%d/cross-check", c.ID), jsonBody(map[string]string{"month": month}))
		var out struct {
			Flagged int `json:"flagged"`
		}
		if res.code == http.StatusOK {
			res.json(t, &out)
		}
		var flags core.List[struct {
			EnterpriseID int64 `json:"enterprise_id"`
		}]
		s.poolCall(t, "admin", "GET", fmt.Sprintf("/api/v1/resumption/flags?campaign=%d", c.ID), nil, http.StatusOK, &flags)
		if res.code != http.StatusOK || out.Flagged != 1 || flags.Total != 1 {
			t.Errorf("the cross-check reaches past the caller's street: answered %d, flagged %d, the campaign's flags %d (one in its street)",
				res.code, out.Flagged, flags.Total)
		}
	})
}
