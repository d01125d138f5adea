package poolweb

import (
	"bytes"
	"fmt"
	"net/http"

	"qifu/internal/pool"
	"qifu/internal/pool/pooldb"
	"qifu/internal/sheet"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// exportFigures sends a region's figures over a period, and the loans the
// caller may read, as one workbook.
func (s *Handlers) exportFigures(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	t := func(key string) string { return s.T(lang, key) }
	p := s.period(r)
	total, list, err := s.pool.FiguresOf(r.Context(), a, r.URL.Query().Get("region"), p)
	if err != nil {
		return err
	}
	header := []string{t("common.region"), t("po.f_lenders"), t("po.f_offered"), t("po.f_teams"), t("po.f_lent"), t("po.f_borrowers"),
		t("po.f_needs"), t("po.f_slots"), t("po.f_filled"), t("po.f_seekers"), t("po.f_median"), t("po.f_p90"), t("po.f_days"),
		t("po.f_settled"), t("po.f_early"), t("po.f_complaints"), t("po.f_rating")}
	total.Name = t("po.total")
	var data [][]any
	for _, x := range append(list, total) {
		data = append(data, []any{x.Name, x.Lenders, x.Offered, x.Teams, x.Lent, x.Borrowers, x.Needs, x.Slots, x.Filled, x.Seekers,
			hours(x.HoursMedian), hours(x.HoursP90), x.Days, float64(x.Settled) / 10000, x.Early, x.Complaints, (&figuresData{}).Rating(x.Rating)})
	}
	tables := []sheet.Table{{Name: t("po.figures"), Header: header, Rows: data}}
	loans, _, err := s.pool.Loans(r.Context(), a, pooldb.LoanQuery{Page: store.Page{Size: store.MaxPageSize}})
	if err != nil {
		return err
	}
	data = nil
	for _, m := range loans {
		wt, _ := pool.Find(pool.WorkTypes, string(m.Need.WorkType))
		name := wt.Zh
		if lang == "en" {
			name = wt.En
		}
		onSite := 0
		for _, pl := range m.Placements {
			if !pl.StartedAt.IsZero() {
				onSite++
			}
		}
		data = append(data, []any{m.ID, m.Lender, m.Borrower, name, m.Heads, onSite, s.Word(lang, "pstate", m.State),
			day(m.ProposedAt), day(m.FirstOnSite), day(m.EndedAt)})
	}
	tables = append(tables, sheet.Table{Name: t("po.loans"), Header: []string{t("po.loan_no"), t("po.lender"), t("po.borrower"), t("po.work_type"),
		t("po.heads"), t("po.on_site"), t("po.state"), t("po.proposed_at"), t("po.first_on_site"), t("po.ended_at")}, Rows: data})
	var buf bytes.Buffer
	if err := sheet.WriteTables(&buf, tables); err != nil {
		return err
	}
	core.SendXLSX(w, fmt.Sprintf("pool-%s-%s.xlsx", p.From, p.To), buf.Bytes())
	return nil
}
