package policydb

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"qifu/internal/calendar"
	"qifu/internal/place"
	"qifu/internal/policy"
)

// The demo's own words, for the pages' checks of English.

// PolicyWords are the Chinese texts the demo writes into records —
// policies, benefits, conditions' labels and values, platforms, groups,
// materials, resources, requests and answers, blacklists, the departments'
// notes, sign-offs, banks, the reviewers it makes — in pieces where the
// demo puts a number, a year or a street's name into them: what a page in
// English shows as the records' own words (the browser tour's user data).
func PolicyWords() []string {
	const cut = "\x00" // stands for what the demo fills in: a year, a street, a material
	p := &demoPlay{lastYear: cut, local: time.Now().In(calendar.Shanghai),
		streets: []place.Region{{Code: "street-1", Name: cut}, {Code: "street-2", Name: cut}}}
	var w []string
	add := func(texts ...string) {
		for _, s := range texts {
			// two streets' names are one cut, not a "、" of their own
			s = strings.ReplaceAll(s, cut+"、"+cut, cut)
			for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == 0 }) {
				for _, part := range strings.Split(part, "%d") {
					for _, part := range strings.Split(part, "%s") {
						if part = strings.TrimSpace(part); part != "" {
							w = append(w, part)
						}
					}
				}
			}
		}
	}
	for _, spec := range p.specs() {
		add(spec.p.Title, spec.p.Issuer, spec.p.Family, spec.p.Text, spec.docNo)
		for _, bs := range spec.benefits {
			b := bs.b
			add(b.Title, b.Summary, b.Platform, b.StackGroup)
			for _, m := range b.Materials {
				add(m, "见附件："+m+".pdf", "已重新上传："+m+"（加盖公章扫描件）.pdf")
			}
			for _, c := range b.Conditions {
				add(c.Label, c.CEL)
				if c.Op == policy.Has {
					add(c.Value)
				}
			}
		}
	}
	for _, list := range demoBottlenecks {
		add(list...)
	}
	for _, res := range p.demoResources() {
		add(res.Name, res.Provider, res.Summary, res.Contact, res.Terms)
		add(res.Tags...)
		// the enterprises' requests for it and the science bureau's answers (planRequests)
		add("希望预约使用"+res.Name+"，请帮助对接服务方，说明收费标准和排期。", "”方面遇到技术难题，希望对接"+res.Name+"，请安排专家上门诊断。")
		add(fmt.Sprintf("已联系%s%s，将于下周安排工程师上门对接，请保持电话畅通。", res.Provider, res.Contact),
			fmt.Sprintf("%s已受理，%s将在 3 个工作日内与企业联系，确定检测方案和费用。", res.Provider, res.Contact),
			fmt.Sprintf("已转%s，由%s牵头组织专家上门诊断。", res.Provider, res.Contact))
	}
	add("我司在“")
	// The blacklists' references and reasons (blacklist).
	add("甬人社监〔"+cut+"〕拖欠工资失信名单", "重大税收违法失信主体名单", "严重违法失信名单",
		"拖欠工资被列入失信名单", "拖欠农民工工资被列入拖欠农民工工资失信联合惩戒对象名单",
		"虚开增值税专用发票，被确定为重大税收违法失信主体", "提交虚假材料取得登记，被列入严重违法失信名单")
	// The departments' notes on the claims, the enterprises', the sign-offs.
	add(demoBanks...)
	add(demoMore...)
	add(demoRefuse...)
	add(demoClawBack, demoObject, "企业已通过其他渠道享受同类政策", "浙江省惠企政策直达平台审核通过，按实际展位费的 50% 核定",
		"已核对样本：符合 %d 家、可能符合 %d 家，抽查结论与规则一致")
	for _, code := range demoKeepers {
		add(demoReviewerNames[code])
	}
	slices.Sort(w)
	return slices.Compact(w)
}
