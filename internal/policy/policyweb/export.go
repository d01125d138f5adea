package policyweb

import (
	"bytes"
	"fmt"
	"net/http"

	"qifu/internal/enterprise"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/sheet"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// exportFunnel sends the funnel of a benefit (or all), period and region
// one level down, and the claims in the caller's reach, as a workbook.
func (s *Handlers) exportFunnel(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := policydb.FunnelQuery{Benefit: queryID(r, "benefit"), From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	rows, err := s.policy.Funnel(r.Context(), a, q)
	if err != nil {
		return err
	}
	funnel := make([][]any, 0, len(rows))
	for _, f := range rows {
		name := f.Name
		if f.Code == "" {
			name = "合计"
		}
		funnel = append(funnel, []any{name, f.Code, f.Eligible, f.Maybe, f.Told, f.Read, f.Applied, f.Approved, f.Paid,
			enterprise.FormatWan(f.Granted), enterprise.FormatWan(f.PaidOut)})
	}
	var claims [][]any
	for page := 1; ; page++ {
		list, total, err := s.policy.Claims(r.Context(), a, policydb.ClaimQuery{Benefit: q.Benefit, Page: store.Page{Number: page, Size: store.MaxPageSize}})
		if err != nil {
			return err
		}
		for _, c := range list {
			claims = append(claims, []any{c.Benefit, c.Enterprise, policy.StateName(c.State).Zh, enterprise.FormatWan(c.Amount),
				enterprise.FormatWan(c.Granted), enterprise.FormatWan(c.ClawBack), day(c.CreatedAt), day(c.UpdatedAt)})
		}
		if page*store.MaxPageSize >= total || page >= store.MaxPageNumber {
			break
		}
	}
	var buf bytes.Buffer
	if err := sheet.WriteTables(&buf, []sheet.Table{
		{Name: "兑现漏斗", Header: []string{"区域", "区域代码", "符合", "可能符合", "已告知", "已读", "申请/确认", "核准", "已拨付", "核准金额（万元）", "拨付金额（万元）"}, Rows: funnel},
		{Name: "申请", Header: []string{"兑现事项", "企业", "状态", "测算金额（万元）", "核准金额（万元）", "追回金额（万元）", "提出日期", "最近更新"}, Rows: claims},
	}); err != nil {
		return err
	}
	core.SendXLSX(w, fmt.Sprintf("policy-funnel-%s.xlsx", s.today()), buf.Bytes())
	return nil
}
