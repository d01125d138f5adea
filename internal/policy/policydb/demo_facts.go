package policydb

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/dossier"
	"qifu/internal/enterprise"
	"qifu/internal/policy"
	"qifu/internal/store"
)

// The demo's facts of the enterprises' files, its blacklist and its innovation resources.

// The technology bottlenecks (卡脖子) the science bureau's survey found, by
// industry: each names a theme of the resource lists.
var demoBottlenecks = map[string][]string{
	"35": {"精密模具表面处理工艺", "大型压铸模具热处理变形控制", "模具设计仿真软件国产替代", "模具型腔激光熔覆修复涂层"},
	"29": {"注塑件尺寸稳定性检测", "改性工程塑料新材料配方", "薄壁注塑成型翘曲控制"},
	"33": {"五金件表面处理无铬钝化工艺", "紧固件冷镦热处理硬度一致性", "压铸件内部气孔无损检测"},
	"34": {"液压阀体密封可靠性检测", "高精度轴承套圈精密加工", "装备远程运维数字化改造"},
}

// facts brings the departments' data: the tax bureau's revenue of last
// year when no department brought it yet, the social-insurance headcounts,
// the customs' exports and export shares, the science bureau's
// certifications and the bottlenecks of its survey.
func (p *demoPlay) facts() error {
	ctx := p.ctx
	// The tax bureau's revenue (the forms' demo imports it; alone, this one does).
	var n int
	if err := store.Scan(p.s.engine.Reader().Row(ctx, "SELECT COUNT(*) FROM enterprise_facts WHERE kind = 'revenue' AND period = ? AND source = 'department'",
		p.lastYear), &n); err != nil {
		return err
	}
	if n == 0 {
		tax, err := p.as("dept_tax")
		if err != nil {
			return err
		}
		p.set(p.day(44, 10, 0))
		var facts []dossier.Fact
		for _, e := range p.ents {
			if e.Revenue > 0 && e.ID%4 != 0 {
				facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "revenue", Period: p.lastYear,
					Num: e.Revenue * int64(90+p.r.IntN(21)) / 100, Ref: "import:tax-" + p.lastYear})
			}
		}
		if err := p.record(tax, facts); err != nil {
			return err
		}
	}
	// The social-insurance headcounts at the end of last month.
	hrss, err := p.as("dept_hrss")
	if err != nil {
		return err
	}
	at := p.day(43, 10, 0)
	p.set(at)
	monthEnd := time.Date(at.Year(), at.Month(), 0, 0, 0, 0, 0, calendar.Shanghai).Format(time.DateOnly)
	var facts []dossier.Fact
	for _, e := range p.ents {
		if e.Employees > 0 && (p.r.IntN(100) < 86 || e.ID == p.showcase) {
			facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "insured", Period: monthEnd,
				Num: int64(max(1, e.Employees*(72+p.r.IntN(29))/100)), Ref: "import:hrss-insured-" + monthEnd[:7]})
		}
	}
	if err := p.record(hrss, facts); err != nil {
		return err
	}
	// The customs' exports of last year, for the foreign-trade enterprises.
	commerce, err := p.as("dept_commerce")
	if err != nil {
		return err
	}
	p.set(p.day(43, 10, 40))
	facts = facts[:0]
	for _, e := range p.ents {
		if !e.ForeignTrade || (p.r.IntN(10) == 0 && e.ID != p.showcase) {
			continue
		}
		share := int64(800 + p.r.IntN(9000))
		if e.ID == p.showcase && share < 4000 {
			share = 6250
		}
		facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "export_share", Period: p.lastYear, Num: share, Ref: "import:customs-" + p.lastYear})
		if e.Revenue > 0 {
			facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "exports", Period: p.lastYear, Num: e.Revenue * share / 10000 / 1000 * 1000,
				Ref: "import:customs-" + p.lastYear})
		}
	}
	if err := p.record(commerce, facts); err != nil {
		return err
	}
	// The science bureau's certifications: most of the tagged enterprises,
	// and a few newly certified; and the bottlenecks of its survey.
	sci, err := p.as("dept_sci")
	if err != nil {
		return err
	}
	p.set(p.day(43, 11, 20))
	facts = facts[:0]
	certified := func(e enterprise.Enterprise, cert string) {
		d := p.last.AddDate(0, 0, -30-p.r.IntN(900)).In(calendar.Shanghai).Format(time.DateOnly)
		facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "certification", Period: d, Text: cert, Ref: "import:sci-certified"})
	}
	for _, e := range p.ents {
		had := false
		for _, t := range e.Tags {
			if (t == "高新技术企业" || t == "科技型中小企业" || t == "专精特新") && p.r.IntN(10) < 9 {
				certified(e, t)
				had = true
			}
		}
		tech := slices.Contains([]string{"34", "35", "36", "38", "39", "26", "40", "65"}, e.Industry)
		if !had && tech && e.Size != enterprise.SizeMicro && p.r.IntN(100) < 5 {
			certified(e, "科技型中小企业")
		}
	}
	if err := p.record(sci, facts); err != nil {
		return err
	}
	p.set(p.day(43, 14, 30))
	facts = facts[:0]
	p.needs = map[int64]string{}
	var makers []enterprise.Enterprise
	for _, e := range p.ents {
		if _, ok := demoBottlenecks[e.Industry]; ok && !p.banned[e.ID] {
			makers = append(makers, e)
		}
	}
	p.r.Shuffle(len(makers), func(i, j int) { makers[i], makers[j] = makers[j], makers[i] })
	want := max(5, len(p.ents)/20)
	for _, e := range makers[:min(want, len(makers))] {
		list := demoBottlenecks[e.Industry]
		text := list[p.r.IntN(len(list))]
		p.needs[e.ID] = text
		facts = append(facts, dossier.Fact{EnterpriseID: e.ID, Kind: "bottleneck", Period: p.today(), Text: text, Ref: "survey:sci-bottleneck"})
	}
	return p.record(sci, facts)
}

// blacklist imports the departments' credit blacklists (失信名单).
func (p *demoPlay) blacklist() error {
	var pick []enterprise.Enterprise
	for _, e := range p.ents {
		if _, ok := p.own[e.ID]; !ok && e.KeyLevel == enterprise.KeyNone && e.Employees >= 10 {
			pick = append(pick, e)
		}
	}
	p.r.Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })
	if len(pick) < 4 {
		return fmt.Errorf("%d enterprises to blacklist", len(pick))
	}
	since := p.day(120, 9, 0).Format(time.DateOnly)
	until := p.local.AddDate(2, 0, 0).Format(time.DateOnly)
	imports := []struct {
		dept, ref string
		rows      []BlacklistRow
	}{
		{"hrss", "甬人社监〔" + p.lastYear + "〕拖欠工资失信名单", []BlacklistRow{
			{Line: 2, CreditCode: pick[0].CreditCode, Reason: "拖欠工资被列入失信名单", From: since, Until: until},
			{Line: 3, CreditCode: pick[1].CreditCode, Reason: "拖欠农民工工资被列入拖欠农民工工资失信联合惩戒对象名单", From: since},
		}},
		{"tax", "重大税收违法失信主体名单", []BlacklistRow{
			{Line: 2, CreditCode: pick[2].CreditCode, Reason: "虚开增值税专用发票，被确定为重大税收违法失信主体", From: since, Until: until},
		}},
		{"market", "严重违法失信名单", []BlacklistRow{
			{Line: 2, CreditCode: pick[3].CreditCode, Reason: "提交虚假材料取得登记，被列入严重违法失信名单", From: since},
		}},
	}
	for i, im := range imports {
		a, err := p.as("dept_" + im.dept)
		if err != nil {
			return err
		}
		p.set(p.day(43, 16, 10*i))
		problems, err := p.s.ImportBlacklist(p.ctx, a, im.ref, im.rows)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return fmt.Errorf("blacklist %s: %v", im.dept, problems)
		}
		p.rep.Barred += len(im.rows)
	}
	for _, e := range pick[:4] {
		p.banned[e.ID] = true
	}
	return nil
}

// A theme of the innovation resources: the words of a name, the themes
// (tags) matched against the enterprises' bottlenecks, the industries served.
type demoTheme struct {
	words string
	tags  []string
	inds  []string
}

var demoThemes = []demoTheme{
	{"模具表面工程", []string{"表面处理", "模具设计", "涂层"}, []string{"35", "33"}},
	{"精密注塑成型", []string{"注塑", "精密加工", "新材料"}, []string{"29", "35"}},
	{"汽车轻量化材料", []string{"新材料", "压铸"}, []string{"36", "33"}},
	{"高端轴承与传动", []string{"精密加工", "热处理"}, []string{"34", "36"}},
	{"液压元件可靠性", []string{"密封", "检测", "检测认证"}, []string{"34"}},
	{"新能源电机与驱动", []string{"电机", "数字化改造"}, []string{"38", "36"}},
	{"智能家电设计", []string{"工业设计", "电子"}, []string{"38", "39"}},
	{"光电检测", []string{"检测", "检测认证", "电子"}, []string{"39", "40"}},
	{"功能高分子材料", []string{"新材料", "注塑"}, []string{"29", "26"}},
	{"磁性材料与器件", []string{"新材料", "电机"}, []string{"39", "38"}},
	{"工业机器人与智能装备", []string{"数字化改造", "精密加工"}, []string{"34", "35"}},
	{"先进防腐涂层", []string{"涂层", "表面处理"}, []string{"33", "26"}},
	{"压铸模具成形", []string{"压铸", "模具设计", "热处理"}, []string{"35", "33"}},
	{"紧固件冷镦与热处理", []string{"热处理", "精密加工"}, []string{"33", "34"}},
	{"工业互联网与智能制造", []string{"数字化改造", "检测"}, []string{"34", "35", "38"}},
	{"精密测量与计量", []string{"检测", "检测认证", "精密加工"}, []string{"40", "34"}},
}

// The parts the resource lists are made of.
var (
	demoLabLevels = []string{"宁波市", "浙江省", "宁波市", "北仑区"}
	demoLabHosts  = []string{"甬江实验室", "中国科学院宁波材料技术与工程研究所", "宁波大学", "宁波工程学院", "浙大宁波理工学院",
		"宁波诺丁汉大学", "北仑区产业技术研究院", "宁波职业技术学院"}
	demoInstruments = []demoTheme{
		{"三坐标测量机", []string{"检测", "精密加工"}, []string{"34", "35", "36"}},
		{"扫描电子显微镜", []string{"检测", "新材料"}, []string{"26", "29", "33"}},
		{"X射线荧光光谱仪", []string{"检测", "新材料"}, []string{"26", "32", "33"}},
		{"盐雾腐蚀试验箱", []string{"检测", "表面处理", "涂层"}, []string{"33", "36", "38"}},
		{"注塑模流分析工作站", []string{"注塑", "模具设计"}, []string{"29", "35"}},
		{"万能材料试验机", []string{"检测", "新材料"}, []string{"29", "33", "34"}},
		{"工业CT无损检测系统", []string{"检测", "压铸"}, []string{"33", "35", "36"}},
		{"高低温交变湿热试验箱", []string{"检测", "电子"}, []string{"38", "39"}},
		{"电磁兼容（EMC）测试系统", []string{"检测认证", "电子", "电机"}, []string{"38", "39"}},
		{"金相显微镜", []string{"检测", "热处理"}, []string{"33", "34"}},
		{"直读光谱仪", []string{"检测", "检测认证"}, []string{"32", "33"}},
		{"疲劳试验机", []string{"检测", "精密加工"}, []string{"34", "36"}},
		{"热分析仪（DSC/TGA）", []string{"新材料", "注塑"}, []string{"26", "29"}},
		{"激光粒度分析仪", []string{"新材料", "检测"}, []string{"26"}},
		{"五轴联动加工中心", []string{"精密加工", "模具设计"}, []string{"34", "35"}},
		{"三维扫描与逆向设计系统", []string{"工业设计", "模具设计"}, []string{"35", "38", "24"}},
	}
	demoPlatforms   = []string{"北仑区检验检测公共服务平台", "宁波材料所分析测试中心"}
	demoExpertPools = []demoTheme{
		{"模具设计与制造", []string{"模具设计", "精密加工"}, []string{"35"}},
		{"注塑成型工艺", []string{"注塑", "新材料"}, []string{"29"}},
		{"表面处理与涂层", []string{"表面处理", "涂层"}, []string{"33", "35"}},
		{"工业设计", []string{"工业设计"}, []string{"38", "24", "41"}},
		{"数字化改造", []string{"数字化改造"}, []string{"34", "35", "36", "38"}},
		{"新材料应用", []string{"新材料"}, []string{"26", "29", "32"}},
		{"检测认证", []string{"检测认证", "检测"}, []string{"38", "39", "40"}},
		{"热处理与金属材料", []string{"热处理", "新材料"}, []string{"33", "34"}},
		{"液压气动", []string{"密封", "精密加工"}, []string{"34"}},
		{"电机电器", []string{"电机", "电子"}, []string{"38"}},
		{"汽车零部件", []string{"压铸", "精密加工"}, []string{"36"}},
		{"知识产权", []string{"知识产权"}, []string{"34", "35", "38", "39"}},
		{"节能降碳", []string{"节能降碳"}, []string{"26", "29", "33"}},
		{"质量管理", []string{"检测认证"}, []string{"33", "34", "36"}},
		{"科技金融", []string{"科技金融"}, []string{"39", "65"}},
	}
	demoPoolHosts = []string{"宁波市科学技术协会", "宁波市模具行业协会", "宁波市塑料行业协会", "宁波科技大市场", "北仑区科技局"}
	demoServices  = []demoTheme{
		{"工业设计", []string{"工业设计"}, []string{"38", "35", "24"}},
		{"技术转移", []string{"成果转化"}, []string{"34", "35", "39"}},
		{"知识产权", []string{"知识产权"}, []string{"34", "35", "38", "39"}},
		{"检测认证", []string{"检测认证", "检测"}, []string{"33", "36", "38"}},
		{"数字化改造", []string{"数字化改造"}, []string{"34", "35", "29"}},
		{"科技咨询", []string{"科技咨询"}, []string{"26", "39", "65"}},
		{"模具设计", []string{"模具设计"}, []string{"35", "29"}},
		{"表面处理", []string{"表面处理", "涂层"}, []string{"33", "35"}},
		{"新材料", []string{"新材料"}, []string{"26", "29"}},
		{"工业软件", []string{"数字化改造"}, []string{"34", "38", "65"}},
		{"节能环保", []string{"节能降碳"}, []string{"26", "33"}},
	}
	demoTrades       = []string{"甬创", "仑科", "港城", "海创", "明州", "三江", "新港", "科联", "天一", "东海", "众智"}
	demoSuffixes     = []string{"科技有限公司", "技术服务有限公司"}
	demoPlaces       = []string{"梅山湾", "小港", "大碶", "新碶", "霞浦", "春晓", "柴桥", "戚家山", "甬江", "大港", "白峰", "北仑科创"}
	demoIncubators   = []string{"科技企业孵化器", "众创空间", "创业园", "产业加速器"}
	demoSurnames     = []rune("陈王张李林徐周胡俞应邬乐董孙朱毛史竺虞贺郑沈吴杨黄刘叶金蔡")
	demoGiven        = []string{"建国", "海燕", "志刚", "晓峰", "丽君", "文斌", "佳琪", "立新", "慧敏", "浩然", "雪梅", "国平", "宇航", "静怡"}
	demoTitles       = []string{"主任", "工程师", "高级工程师", "经理", "教授", "博士"}
	demoResourceTerm = map[string]string{
		"lab":       "面向区内中小企业开放共享，预约后 5 个工作日内安排对接；收费按宁波市科技创新券目录执行，可用创新券抵扣 50%。",
		"equipment": "机时费按公示标准收取，科技型中小企业凭创新券抵扣 50%；请提前 3 个工作日预约，样品需附检测委托单。",
		"experts":   "首次上门诊断免费，后续技术攻关或项目合作另行约定。",
		"provider":  "服务费用按合同约定，可使用宁波市科技创新券；北仑区企业首单服务费八折。",
		"incubator": "入驻企业前两年场地租金减半，提供创业辅导、投融资对接和政策申报服务。",
	}
)

// demoResources makes the science bureau's 101 resource lists from their
// parts: 20 laboratories, 32 instruments, 15 expert pools, 22 service
// providers and 12 incubators.
func (p *demoPlay) demoResources() []policy.Resource {
	r := rand.New(rand.NewPCG(101, 2531))
	contact := func() string {
		return string(demoSurnames[r.IntN(len(demoSurnames))]) + demoGiven[r.IntN(len(demoGiven))]
	}
	phone := func() string { return fmt.Sprintf("0574-86%06d", 100000+r.IntN(900000)) }
	var out []policy.Resource
	add := func(kind, name, provider, summary string, th demoTheme) {
		out = append(out, policy.Resource{Kind: kind, Name: name, Provider: provider, Summary: summary,
			Industries: slices.Clone(th.inds), Tags: slices.Clone(th.tags), Contact: contact() + demoTitles[r.IntN(len(demoTitles))],
			Phone: phone(), Terms: demoResourceTerm[kind]})
	}
	for i := range 20 {
		th := demoThemes[i%len(demoThemes)]
		host := demoLabHosts[i%len(demoLabHosts)]
		name := demoLabLevels[i%len(demoLabLevels)] + th.words + "重点实验室"
		if i == 0 {
			name = "甬江实验室" + th.words + "中试平台"
		}
		add("lab", name, host, fmt.Sprintf("依托%s建设，聚焦%s领域的共性关键技术研究，可为企业提供工艺验证、中试熟化和联合攻关。", host, th.words), th)
	}
	for i := range 32 {
		ins := demoInstruments[i%len(demoInstruments)]
		host := demoPlatforms[i/len(demoInstruments)]
		add("equipment", ins.words+"（"+host+"）", host, fmt.Sprintf("%s对外开放共享，可承接%s相关的检测、分析和验证服务。", ins.words, strings.Join(ins.tags, "、")), ins)
	}
	for i, pool := range demoExpertPools {
		host := demoPoolHosts[i%len(demoPoolHosts)]
		add("experts", "宁波市"+pool.words+"专家库", host, fmt.Sprintf("汇集高校院所和龙头企业的%s专家，可组团上门诊断、解决“卡脖子”技术难题。", pool.words), pool)
	}
	for i := range 22 {
		sv := demoServices[i%len(demoServices)]
		name := "宁波" + demoTrades[i%len(demoTrades)] + sv.words + demoSuffixes[i/len(demoServices)]
		add("provider", name, name, fmt.Sprintf("提供%s服务，已服务宁波科技大市场登记企业 %d 家。", sv.words, 30+r.IntN(400)), sv)
	}
	for i := range 12 {
		place := demoPlaces[i]
		kind := demoIncubators[i%len(demoIncubators)]
		th := demoTheme{kind, []string{"科技型中小企业", "成果转化"}, demoThemes[i%len(demoThemes)].inds}
		add("incubator", place+kind, "宁波"+place+"科创服务有限公司", fmt.Sprintf("%s%s，可提供办公和中试场地、创业辅导和投融资对接，重点孵化%s方向的科技型企业。",
			place, kind, demoThemes[i%len(demoThemes)].words), th)
	}
	return out
}

// resources puts the science bureau's lists up and tells the enterprises
// with an account of those that fit them.
func (p *demoPlay) resources() error {
	sci, err := p.as("dept_sci")
	if err != nil {
		return err
	}
	start := p.day(42, 9, 0)
	for i, res := range p.demoResources() {
		p.set(start.Add(time.Duration(i*3) * time.Minute))
		if _, err := p.s.SaveResource(p.ctx, sci, res); err != nil {
			return fmt.Errorf("resource %s: %w", res.Name, err)
		}
		p.rep.Resources++
	}
	p.set(p.day(41, 10, 0))
	_, err = p.s.Digest(p.ctx, sci)
	return err
}
