package formweb

import (
	"encoding/json"
	"io/fs"
	"log/slog"
	"testing"
	"time"

	"qifu/internal/audience"
	"qifu/internal/audience/audiencedb"
	"qifu/internal/dossier"
	"qifu/internal/form"
	"qifu/internal/form/formdb"
	"qifu/internal/web/core"
	"qifu/internal/web/core/coretest"
)

func ptr(x float64) *float64 { return &x }

// exampleDef asks every type of question, with a condition and a table.
var exampleDef = form.Definition{Zh: "用工需求排摸", En: "Labour needs", IntroZh: "请如实填写", Sections: []form.Section{
	{Zh: "基本情况", En: "About you", Questions: []form.Question{
		{Key: "employees", Type: form.Fact, Fact: "employees", Zh: "从业人员", Required: true},
		{Key: "revenue", Type: form.Fact, Fact: "revenue", Period: "2025", Zh: "营业收入"},
		{Key: "short", Type: form.YesNo, Zh: "是否缺工", Required: true, HelpZh: "按本月情况"},
		{Key: "gap", Type: form.Number, Zh: "缺工人数", Unit: "人", Min: ptr(1), Max: ptr(999), When: &form.Condition{Key: "short", Equals: "yes"}},
		{Key: "kind", Type: form.Choice, Zh: "工种", Options: []form.Option{{Value: "a", Zh: "普工", En: "general"}, {Value: "b", Zh: "焊工"}}},
		{Key: "needs", Type: form.Multi, Zh: "需要的服务", Options: []form.Option{{Value: "a", Zh: "招聘"}, {Value: "b", Zh: "培训"}}},
		{Key: "from", Type: form.Date, Zh: "开始日期"},
		{Key: "note", Type: form.Text, Long: true, Zh: "其他"},
		{Key: "photo", Type: form.File, Zh: "车间照片"},
		{Key: "orders", Type: form.Table, Zh: "订单", Columns: []form.Question{{Key: "c1", Type: form.Text, Zh: "客户", Required: true},
			{Key: "c2", Type: form.Date, Zh: "交期"}, {Key: "c3", Type: form.YesNo, Zh: "加急"}}},
	}}}}

// examples are the module's pages filled in: every state a page has.
func examples() map[string][]core.Page {
	now := time.Now()
	answers := form.Answers{"employees": {Values: []string{"64"}}, "short": {Values: []string{"yes"}}, "gap": {Values: []string{"12"}},
		"needs": {Values: []string{"a", "b"}}, "orders": {Rows: [][]string{{"甲", "2026-04-01", "yes"}}}}
	known := []dossier.Fact{{Kind: "employees", Period: "2026-03-01", Num: 60, Source: dossier.Staff, RecordedAt: now}}
	answers["photo"] = form.Answer{Values: []string{"file:3"}}
	view := viewOf(exampleDef, "zh", answers, map[string]string{"gap": "不能大于 999", "orders.1.1": "此项必填"}, known, now)
	withFiles(&view, map[int64]formdb.FileInfo{3: {ID: 3, Name: "车间.jpg"}}, 3, 1)
	blank := viewOf(exampleDef, "zh", nil, nil, known, now)
	c := audiencedb.Campaign{ID: 3, Title: "一季度排摸", Due: "2026-03-31", State: audiencedb.Running, Members: 40, Answered: 12,
		OwnerName: "李社区", StartedAt: now, RemindedAt: now, Audience: audience.Definition{Regions: []string{"330206001001"}}}
	prog := audiencedb.Progress{Code: "330206001001001", Name: "第一网格", Sent: 20, Seen: 10, Answered: 6, Overdue: 2}
	res := audiencedb.Resolution{IDs: []int64{1, 2, 3}, Unknown: 2, Names: []string{"甲公司", "乙公司"}}
	return map[string][]core.Page{
		"forms": {&formsData{}, &formsData{Forms: []formRow{{ID: 1, Title: "排摸", Owner: "李", Latest: 2, Updated: now, Sent: true}}}},
		"form_builder": {
			&builderData{Def: form.Definition{Sections: []form.Section{{}}}},
			&builderData{FormID: 1, Version: 3, Latest: 2, Sent: true, Saved: true, Def: exampleDef, Preview: blank,
				Versions: []formdb.Version{{N: 2, SavedBy: "李", SavedAt: now}}, Message: "表单还不能保存",
				Outline: []outlineSection{{Index: 0, Title: "基本情况", Questions: []outlineQuestion{{Key: "a", Label: "问", Type: "文字", Required: true, Condition: true}}}},
				Types:   []typeChoice{{Value: "text", Label: "文字"}}, When: []whenChoice{{Value: "short=yes", Label: "是否缺工 = 是"}},
				Q: map[string]string{"type": "text"}, Base: core.Base{Errors: map[string]string{"q_zh": "不能为空"}}},
		},
		"form_send": {
			&sendData{FormID: 1, FormTitle: "排摸", Due: "2026-03-31", Picked: map[string]bool{}},
			&sendData{FormID: 1, FormTitle: "排摸", Due: "2026-03-31", Preview: &res, Picked: map[string]bool{"small": true},
				Regions: []typeChoice{{Value: "330206001", Label: "街道"}}, Sections: []typeChoice{{Value: "C", Label: "C 制造业"}},
				Sizes: []typeChoice{{Value: "small", Label: "小型"}}, Kinds: []typeChoice{{Value: "employees", Label: "从业人员"}},
				Ops: []string{">="}, Facts: []factRow{{Kind: "employees", Op: ">=", Value: "50", Authoritative: true}},
				Base: core.Base{Errors: map[string]string{"due": "截止日期须是工作日"}}},
		},
		"campaigns": {&campaignsData{}, &campaignsData{MayRun: true, Items: []campaignRow{{Campaign: c, Rate: "30.0%", Colour: "yellow", Running: true}}}},
		"campaign": {&campaignData{C: c, Running: true, MayRun: true, MayFill: true, Audience: []string{"区域：x"}, Level: 5,
			Levels: []typeChoice{{Value: "5", Label: "网格"}}, Rows: []progressRow{{Progress: prog, Rate: "30.0%"}}, Total: progressRow{Progress: prog},
			Members: []memberRow{{Member: audiencedb.Member{EnterpriseID: 1, Name: "甲", CreditCode: "91330206MA2AAAAA1X", GridName: "第一网格",
				AddedReason: "新迁入", SeenAt: now}, Href: "/surveys/3?enterprise=1"}, {Member: audiencedb.Member{Name: "乙", RemovedAt: now, RemovedReason: "注销"}}},
			Base: core.Base{Errors: map[string]string{"reason": "请写明原因"}}},
			&campaignData{C: audiencedb.Campaign{ID: 4, Title: "已结束", State: audiencedb.Closed}}},
		"campaign_results": {&resultsData{C: c},
			&resultsData{C: c, Answered: 2, Members: 3, Tallies: form.Counts(form.Definition{Sections: []form.Section{{Questions: []form.Question{
				{Key: "short", Type: form.YesNo, Zh: "是否缺工"}, {Key: "need", Type: form.Number, Zh: "缺工人数", Unit: "人"}}}}},
				[]form.Answers{{"short": {Values: []string{"yes"}}, "need": {Values: []string{"12"}}}, {"short": {Values: []string{"no"}}}})}},
		"surveys": {&surveysData{}, &surveysData{Enterprise: "甲", Items: []sentView{{ID: 3, Title: "排摸", Due: "2026-03-31", Href: "/surveys/3", Colour: "green"},
			{ID: 2, Title: "旧", Answered: true, AnsweredAt: now}, {ID: 1, Title: "更旧", Closed: true}}}},
		"survey_fill": {
			&fillData{CampaignID: 3, EnterpriseID: 1, Enterprise: "甲", Form: blank, Due: "2026-03-31", Colour: "green", Key: "k"},
			&fillData{CampaignID: 3, EnterpriseID: 1, Enterprise: "甲", OnBehalf: true, Form: view, Due: "2026-03-31", State: "draft", Version: 2,
				Key: "k", Base: core.Base{Errors: map[string]string{"gap": "不能大于 999"}}},
			&fillData{CampaignID: 3, EnterpriseID: 1, Form: formView{Title: "排摸"}, State: "submitted", Correctable: true, CorrectUntil: now,
				RaiseHref: "/appeals/new?credit_code=x", CommonHref: "/topics/new?enterprise=1",
				Answers: []answerView{{Label: "是否缺工", Value: "是"}, {Label: "车间照片", Value: "车间.jpg", Href: "/surveys/3/files/3?enterprise=1"}}, History: []historyView{{N: 1, At: now, By: "王", Channel: "企业自填"}}},
			&fillData{CampaignID: 3, Form: formView{Title: "排摸"}, Closed: true},
		},
	}
}

// TestTemplates renders every page of the module with its examples in
// both languages, for staff and for an enterprise, and holds that every
// word used is in the catalog.
func TestTemplates(t *testing.T) {
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		t.Fatal(err)
	}
	// The site's words the pages borrow.
	text["ent.name"] = [2]string{"企业名称", "Name"}
	coretest.CheckPages(t, coretest.PagesOptions{Templates: Templates, Text: text, Examples: examples(), MinKeys: 100})
	for _, ch := range []string{"enterprise.web", "enterprise.api", "staff.web", "staff.api"} {
		if _, ok := text["channel."+ch]; !ok {
			t.Errorf("no words for the channel %s", ch)
		}
	}
}

// FuzzRenders holds the promise of the form engine: a definition that
// passes the domain's check renders on the fill page and in the builder's
// preview, in both languages; one that does not is never saved.
func FuzzRenders(f *testing.F) {
	js, _ := json.Marshal(exampleDef)
	f.Add(js)
	f.Add([]byte(`{"zh":"x","sections":[{"questions":[{"key":"a","type":"table","zh":"t","columns":[{"key":"c","type":"date","zh":"d"}]}]}]}`))
	f.Add([]byte(`{"zh":"<script>","sections":[{"zh":"{{.}}","questions":[{"key":"a","type":"choice","zh":"\u0000","options":[{"value":"a","zh":"1"},{"value":"b","zh":"2"}]}]}]}`))
	text, err := core.Merge(core.Text, Text)
	if err != nil {
		f.Fatal(err)
	}
	text["ent.name"] = [2]string{"企业名称", "Name"}
	c, err := core.New(nil, slog.New(slog.DiscardHandler), core.Options{Text: text, Templates: []fs.FS{Templates}})
	if err != nil {
		f.Fatal(err)
	}
	h := &Handlers{Core: c, log: slog.New(slog.DiscardHandler)}
	f.Fuzz(func(t *testing.T, b []byte) {
		var def form.Definition
		if json.Unmarshal(b, &def) != nil || def.Check() != nil {
			return
		}
		for _, lang := range []string{"zh", "en"} {
			p := &fillData{Form: viewOf(def, lang, form.Answers{}, nil, nil, time.Now())}
			if err := h.Renders("survey_fill", p, lang); err != nil {
				t.Fatalf("a checked definition does not render: %v", err)
			}
			bp := &builderData{Def: def, Preview: p.Form, Q: map[string]string{}}
			if err := h.Renders("form_builder", bp, lang); err != nil {
				t.Fatalf("a checked definition does not render in the builder: %v", err)
			}
		}
	})
}
