package policydb

import (
	"fmt"
	"time"

	"qifu/internal/policy"
)

// The demo's policy documents and benefits, by family.

// A benefit of the demo: who grants it, when its window closes (days from
// today), and the fates of the applications made for it.
type demoBenefitSpec struct {
	key    string
	grant  string
	closes int
	b      policy.Benefit
	fates  []string
	// showcase: the showcase enterprise takes the first fate, with its own account.
	showcase bool
}

// A policy of the demo: the department that keeps it.
type demoPolicySpec struct {
	keeper   string
	p        policy.Policy
	docNo    string // with the year's place: 甬政发〔%d〕8号
	benefits []demoBenefitSpec
}

func demoCond(field string, op policy.Op, value string) policy.Condition {
	return policy.Condition{Field: field, Op: op, Value: value}
}

func demoAuth(field string, op policy.Op, value, period string) policy.Condition {
	return policy.Condition{Field: field, Op: op, Value: value, Period: period, Authoritative: true}
}

// specs are the demo's policies of the seeds' families.
func (p *demoPlay) specs() []demoPolicySpec {
	const services = "51,54,55,58,59,62,65,72"
	const makers = "29,33,34,35,36,38,39,40"
	y := p.lastYear
	parks := p.streets[0].Code + "," + p.streets[1].Code
	parkNames := p.streets[0].Name + "、" + p.streets[1].Name
	young := p.local.AddDate(-5, 0, 0).Format(time.DateOnly)
	return []demoPolicySpec{
		{keeper: "econ", docNo: "甬政发〔%d〕8号", p: policy.Policy{Title: "关于帮扶中小企业共渡难关促进经济平稳发展的若干意见", Issuer: "宁波市人民政府", Family: "甬18条",
			Text: "为帮助中小企业应对困难、稳定生产经营，从减轻税费负担、降低要素成本、加大技改支持、强化金融服务等方面提出十八条意见。各地各部门要通过企业服务平台精准推送、应享尽享，能免申即享的不再要求企业申报。"},
			benefits: []demoBenefitSpec{
				{key: "vat", grant: "tax", closes: 75, b: policy.Benefit{Title: "小规模纳税人增值税减免", Kind: policy.TaxRelief, Mode: policy.Auto, NoticeDays: 5,
					Summary:    "对小规模纳税人免征或减按 1% 征收增值税；由税务部门依据申报数据直接认定，企业确认后公示兑现，按上年度营业收入的 1% 核定，最高 5 万元。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "small,micro"), demoAuth("revenue", policy.Le, "500", y)},
					Amount:     policy.AmountRule{Kind: "share", Base: "revenue", Period: y, Rate: 100, Cap: 50_000}, Budget: 20_000_000}},
				{key: "retrofit", grant: "econ", closes: 2, b: policy.Benefit{Title: "中小企业技术改造项目补助", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "对实施智能化技术改造的中小工业企业，按上年度营业收入的 1% 给予补助，最高 30 万元；申报截止后不再受理。",
					Conditions: []policy.Condition{demoCond("industry", policy.In, makers), demoCond("size", policy.In, "medium,small"), demoAuth("revenue", policy.Ge, "500", y)},
					Amount:     policy.AmountRule{Kind: "share", Base: "revenue", Period: y, Rate: 100, Cap: 300_000}, Budget: 6_000_000,
					Materials: []string{"技术改造项目备案（核准）文件", "设备购置合同及发票清单", y + "年度财务报表"}},
					fates: []string{"paid", "paid", "approved", "submitted", "submitted", "refused", "more"}},
				{key: "workshop", grant: "econ", closes: 40, b: policy.Benefit{Title: "小微企业园厂房租金补助", Kind: policy.FeeRelief, Mode: policy.Apply,
					Summary:    "入驻" + parkNames + "小微企业园的小微企业，每家给予 2 万元厂房租金补助；与服务业小微企业房租减免不可叠加享受。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "small,micro"), demoCond("region", policy.In, parks)},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 20_000}, Budget: 1_000_000, StackGroup: "房租减免", Stack: policy.Exclusive,
					Materials: []string{"厂房租赁合同", "租金支付凭证"}},
					fates: []string{"paid", "approved", "submitted", "withdrawn"}},
			}},
		{keeper: "commerce", docNo: "甬政办发〔%d〕12号", p: policy.Policy{Title: "关于支持外贸企业稳订单拓市场的十二条意见", Issuer: "宁波市人民政府办公厅", Family: "外贸12条",
			Text: "为支持外贸企业稳住订单、开拓市场，加大出口信用保险支持，鼓励参加境外展会和线上云展会，推动外贸企业入驻国内电商平台拓展内销。"},
			benefits: []demoBenefitSpec{
				{key: "credit_insurance", grant: "commerce", closes: 50, showcase: true, b: policy.Benefit{Title: "出口信用保险保费补助", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "对投保短期出口信用保险、上年度外贸占比 30% 以上的中小外贸企业，每家定额补助 3 万元。",
					Conditions: []policy.Condition{demoCond("foreign_trade", policy.Eq, "是"), demoAuth("export_share", policy.Ge, "30", y), demoCond("size", policy.In, "medium,small,micro")},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 30_000}, Budget: 3_000_000,
					Materials: []string{"出口信用保险保单", "保费缴纳发票"}},
					fates: []string{"resubmit", "paid", "paid", "approved", "submitted", "overdue", "clawback"}},
				{key: "fair", grant: "commerce", closes: 60, b: policy.Benefit{Title: "境外展会和线上云展会参展补助", Kind: policy.Subsidy, Mode: policy.Apply, ReviewDays: 15,
					Platform:   "浙江省惠企政策直达平台",
					Summary:    "外贸企业参加境外展会或线上云展会的，按展位费的 50% 给予补助，最高 5 万元；在浙江省惠企政策直达平台申报，由平台审核兑付。",
					Conditions: []policy.Condition{demoCond("foreign_trade", policy.Eq, "是"), demoCond("region", policy.In, p.district)},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 50_000}, Budget: 2_000_000,
					Materials: []string{"参展合同及展位费发票", "参展现场照片"}},
					fates: []string{"handed", "handed", "handed-approved", "handed-approved", "submitted"}},
			}},
		{keeper: "devreform", docNo: "甬政发〔%d〕10号", p: policy.Policy{Title: "关于促进服务业健康平稳发展的二十一条措施", Issuer: "宁波市人民政府", Family: "服务业21条",
			Text: "为帮助服务业企业渡过难关，减免国有房产租金，给予稳定经营补助，支持商贸、物流、信息和商务服务企业恢复经营。"},
			benefits: []demoBenefitSpec{
				{key: "rent", grant: "devreform", closes: 30, b: policy.Benefit{Title: "服务业小微企业房租减免", Kind: policy.FeeRelief, Mode: policy.Auto, NoticeDays: 5,
					Summary:    "承租国有房产经营的服务业小微企业免收 3 个月房租，按每家 1.5 万元核定，免申即享；与小微企业园厂房租金补助不可叠加享受。",
					Conditions: []policy.Condition{demoCond("industry", policy.In, services), demoCond("size", policy.In, "small,micro"), demoCond("region", policy.In, p.district)},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 15_000}, Budget: 2_000_000, StackGroup: "房租减免", Stack: policy.Exclusive}},
				{key: "service_aid", grant: "devreform", closes: 8, b: policy.Benefit{Title: "服务业企业稳定经营补助", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "上年度营业收入 200 万元以上、从业人员 10 人以上、保持稳定经营的服务业企业，给予一次性补助 5 万元。",
					Conditions: []policy.Condition{demoCond("industry", policy.In, services), demoCond("employees", policy.Ge, "10"), demoAuth("revenue", policy.Ge, "200", y)},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 50_000}, Budget: 2_500_000,
					Materials: []string{"经营情况说明", y + "年度纳税证明"}},
					fates: []string{"paid", "approved", "submitted", "submitted", "refused", "more"}},
			}},
		{keeper: "finoffice", docNo: "甬政办发〔%d〕13号", p: policy.Policy{Title: "关于金融服务保障支持稳企业稳经济稳发展的十三条意见", Issuer: "宁波市人民政府办公厅", Family: "金融13条",
			Text: "开展金融“万员助万企”专项行动，加大小微企业信贷投放，实施减息让利，对小微企业新增贷款给予贴息，发挥应急转贷资金作用，不抽贷、不断贷、不压贷。"},
			benefits: []demoBenefitSpec{
				{key: "interest", grant: "finance", closes: 70, b: policy.Benefit{Title: "小微企业贷款贴息", Kind: policy.InterestSubsidy, Mode: policy.Apply,
					Summary: "对小微企业新增流动资金贷款给予贴息，贴息额按上年度营业收入的 0.5% 核定，最高 10 万元。",
					Conditions: []policy.Condition{{CEL: "size in ['small', 'micro'] && revenue >= 100.0 && revenue <= 20000.0", Period: y, Authoritative: true,
						Label: "上年度营业收入 100 万元至 2 亿元的小微企业（以税务数据为准）"}},
					Amount: policy.AmountRule{Kind: "share", Base: "revenue", Period: y, Rate: 50, Cap: 100_000}, Budget: 3_000_000,
					Materials: []string{"贷款合同", "利息支付凭证", "贷款银行出具的放款证明"}},
					fates: []string{"paid", "paid", "approved", "more", "submitted"}},
				{key: "bridge", grant: "finoffice", closes: 90, b: policy.Benefit{Title: "应急转贷资金支持", Kind: policy.Loan, Mode: policy.Apply, ReviewDays: 5,
					Summary:    "贷款即将到期、资金周转困难的中小微企业，由应急转贷资金提供过桥支持，费率按日万分之一优惠。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "medium,small,micro"), demoCond("employees", policy.Ge, "5")},
					Amount:     policy.AmountRule{Kind: "none"},
					Materials:  []string{"转贷申请表", "原贷款合同", "贷款银行续贷承诺函"}},
					fates: []string{"approved", "paid", "submitted"}},
			}},
		{keeper: "hrss", docNo: "甬政办发〔%d〕11号", p: policy.Policy{Title: "关于做好稳就业工作的十一条意见", Issuer: "宁波市人民政府办公厅", Family: "就业11条",
			Text: "落实减负稳岗扩就业政策：全市已为 33.51 万家次企业减免社会保险费、返还稳岗资金共 53 亿元，招工、以工代训、吸纳就业等七项补贴同步兑现。稳岗返还依据社保数据免申即享。"},
			benefits: []demoBenefitSpec{
				{key: "job_refund", grant: "hrss", closes: 45, b: policy.Benefit{Title: "稳岗返还", Kind: policy.Subsidy, Mode: policy.Auto, NoticeDays: 7,
					Summary:    "对不裁员或少裁员的参保企业返还上年度实际缴纳失业保险费的 50%，依据社保数据按参保人数每人 500 元核定，免申即享。",
					Conditions: []policy.Condition{demoAuth("insured", policy.Ge, "1", "")},
					Amount:     policy.AmountRule{Kind: "per_head", Base: "insured", Yuan: 500, Cap: 300_000}, Budget: 8_000_000}},
				{key: "training", grant: "hrss", closes: 35, b: policy.Benefit{Title: "以工代训补贴", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "中小微企业组织职工以工代训的，按参保职工每人 500 元给予补贴，最高 50 万元；与吸纳就业补贴就高享受、不重复享受。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "medium,small,micro"), demoAuth("insured", policy.Ge, "5", "")},
					Amount:     policy.AmountRule{Kind: "per_head", Base: "insured", Yuan: 500, Cap: 500_000}, Budget: 5_000_000,
					StackGroup: "稳就业补贴", Stack: policy.Higher, Materials: []string{"以工代训职工花名册", "培训计划及考勤记录"}},
					fates: []string{"paid", "approved", "submitted", "overdue", "refused"}},
				{key: "hiring", grant: "hrss", closes: 35, b: policy.Benefit{Title: "吸纳就业补贴", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "成立 5 年内的小微企业吸纳登记失业人员、高校毕业生就业并缴纳社会保险的，按参保人数每人 1000 元给予补贴，最高 5 万元；与以工代训补贴就高享受。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "small,micro"), demoCond("registered_on", policy.Ge, young), demoAuth("insured", policy.Ge, "1", "")},
					Amount:     policy.AmountRule{Kind: "per_head", Base: "insured", Yuan: 1000, Cap: 50_000}, Budget: 1_500_000,
					StackGroup: "稳就业补贴", Stack: policy.Higher, Materials: []string{"新招用人员花名册", "劳动合同", "社会保险缴费明细"}},
					fates: []string{"paid", "submitted", "more"}},
			}},
		{keeper: "hrss", docNo: "甬人社发〔%d〕13号", p: policy.Policy{Title: "关于构建和谐劳动关系支持企业稳定发展的十三条措施", Issuer: "宁波市人力资源和社会保障局", Family: "劳动13条",
			Text: "阶段性减免企业社会保险费，支持企业与职工协商灵活安排工作时间，规范共享用工，依法处理劳动争议，对拖欠工资的用人单位实施联合惩戒。"},
			benefits: []demoBenefitSpec{
				{key: "ss_relief", grant: "hrss", closes: 20, b: policy.Benefit{Title: "小微企业社会保险费减免", Kind: policy.FeeRelief, Mode: policy.Auto, NoticeDays: 7,
					Summary:    "阶段性免征小微企业基本养老、失业、工伤保险单位缴费部分，依据社保数据按参保人数每人 800 元核定，最高 20 万元，免申即享。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "small,micro"), demoAuth("insured", policy.Ge, "1", "")},
					Amount:     policy.AmountRule{Kind: "per_head", Base: "insured", Yuan: 800, Cap: 200_000}, Budget: 30_000_000}},
				{key: "ss_half", grant: "hrss", closes: 20, b: policy.Benefit{Title: "大中型企业社会保险费减半征收", Kind: policy.FeeRelief, Mode: policy.Auto, NoticeDays: 7,
					Summary:    "对大型、中型企业的基本养老、失业、工伤保险单位缴费部分减半征收，按参保人数每人 400 元核定。",
					Conditions: []policy.Condition{demoCond("size", policy.In, "large,medium"), demoAuth("insured", policy.Ge, "1", "")},
					Amount:     policy.AmountRule{Kind: "per_head", Base: "insured", Yuan: 400, Cap: 400_000}, Budget: 10_000_000}},
			}},
		{keeper: "sci", docNo: "甬科高〔%d〕15号", p: policy.Policy{Title: "关于支持高新技术企业和科技型中小企业创新发展的若干措施", Issuer: "宁波市科学技术局", Family: "科技创新",
			Text: "市科技局深入全市 3000 家高新技术企业和产业技术研究院，排摸创新链“卡脖子”问题，梳理关键核心技术和进口替代清单 2531 项，整理 101 张创新资源服务清单，通过宁波科技大市场向高新技术企业、科技型中小企业精准推送；对新认定的高新技术企业给予奖励，对科技型中小企业研发投入给予补助。"},
			benefits: []demoBenefitSpec{
				{key: "hightech", grant: "sci", closes: 60, b: policy.Benefit{Title: "高新技术企业认定奖励", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary:    "对首次认定或重新认定的国家高新技术企业给予 20 万元奖励。",
					Conditions: []policy.Condition{demoAuth("certifications", policy.Has, "高新技术企业", "")},
					Amount:     policy.AmountRule{Kind: "fixed", Yuan: 200_000}, Budget: 4_000_000,
					Materials: []string{"高新技术企业证书", y + "年度研发费用专项审计报告"}},
					fates: []string{"paid", "paid", "approved", "submitted", "refused"}},
				{key: "techsme", grant: "sci", closes: 60, b: policy.Benefit{Title: "科技型中小企业研发投入补助", Kind: policy.Subsidy, Mode: policy.Apply,
					Summary: "对入库的科技型中小企业和高新技术企业，按上年度营业收入的 1% 给予研发投入补助，最高 10 万元。",
					Conditions: []policy.Condition{{CEL: "'科技型中小企业' in certifications || '高新技术企业' in certifications", Authoritative: true,
						Label: "已入库科技型中小企业或已认定高新技术企业（以科技部门数据为准）"}, demoCond("size", policy.In, "medium,small,micro")},
					Amount: policy.AmountRule{Kind: "share", Base: "revenue", Period: y, Rate: 100, Cap: 100_000}, Budget: 3_000_000,
					Materials: []string{"科技型中小企业入库编号", "研发项目立项及费用归集表"}},
					fates: []string{"approved", "submitted", "submitted", "more"}},
			}},
	}
}

// policies publishes the demo's policies: the keeping department saves and
// publishes each document, one member of its staff saves each benefit and
// dry-runs it, a second signs the run off, and the first publishes it.
func (p *demoPlay) policies() error {
	for i, spec := range p.specs() {
		keeper, err := p.as("dept_" + spec.keeper)
		if err != nil {
			return err
		}
		second, err := p.as(p.second[spec.keeper])
		if err != nil {
			return err
		}
		at := p.day(38-i, 9, 0)
		p.set(at)
		day := at.Format(time.DateOnly)
		pol := spec.p
		pol.DocNo = fmt.Sprintf(spec.docNo, at.Year())
		pol.Published, pol.InForce, pol.Until = day, day, fmt.Sprintf("%d-12-31", at.Year()+1)
		if pol, err = p.s.SavePolicy(p.ctx, keeper, pol); err != nil {
			return fmt.Errorf("policy %s: %w", pol.Title, err)
		}
		p.set(at.Add(20 * time.Minute))
		if _, err = p.s.PublishPolicy(p.ctx, keeper, pol.ID, pol.Version); err != nil {
			return fmt.Errorf("publish %s: %w", pol.Title, err)
		}
		p.rep.Policies++
		// One member saves and dry-runs each benefit in the morning, a
		// second signs the runs off in the afternoon, the first publishes.
		drafts := make([]policy.Benefit, len(spec.benefits))
		runs := make([]DryRun, len(spec.benefits))
		for j, bs := range spec.benefits {
			grant, err := p.as("dept_" + bs.grant)
			if err != nil {
				return err
			}
			b := bs.b
			b.PolicyID, b.DepartmentID = pol.ID, grant.DepartmentID
			b.Opens, b.Closes = day, p.local.AddDate(0, 0, bs.closes).Format(time.DateOnly)
			p.set(at.Add(time.Duration(60+30*j) * time.Minute))
			if drafts[j], err = p.s.SaveBenefit(p.ctx, keeper, b); err != nil {
				return fmt.Errorf("benefit %s: %w", b.Title, err)
			}
			p.set(at.Add(time.Duration(75+30*j) * time.Minute))
			if runs[j], err = p.s.DryRun(p.ctx, keeper, drafts[j].ID); err != nil {
				return fmt.Errorf("dry run %s: %w", b.Title, err)
			}
		}
		for j, run := range runs {
			p.set(at.Add(time.Duration(6*60+15*j) * time.Minute))
			note := fmt.Sprintf("已核对样本：符合 %d 家、可能符合 %d 家，抽查结论与规则一致", run.Met, run.Maybe)
			if _, err := p.s.Sign(p.ctx, second, run.ID, note); err != nil {
				return fmt.Errorf("sign %s: %w", drafts[j].Title, err)
			}
		}
		for j, b := range drafts {
			p.set(at.Add(time.Duration(7*60+15*j) * time.Minute))
			pub, err := p.s.Publish(p.ctx, keeper, b.ID, b.Version)
			if err != nil {
				return fmt.Errorf("publish %s: %w", b.Title, err)
			}
			key := spec.benefits[j].key
			p.benefits[key] = pub.Benefit
			p.grants[pub.Benefit.ID] = spec.benefits[j].grant
			p.rep.Benefits++
			p.rep.Told += pub.Told
			p.rep.Matched += pub.Matched
		}
	}
	return nil
}
