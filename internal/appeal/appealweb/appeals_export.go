package appealweb

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/appeal/appealdb"
	"qifu/internal/calendar"
	"qifu/internal/web/core"
)

// exportAppeals sends the appeal list the query selects (any queue, with
// its filters) as a workbook, written with excelize's stream writer so that
// a long list does not hold every cell in memory.
func (s *Handlers) exportAppeals(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	rq := r.URL.Query()
	if rq.Get("queue") == "" {
		rq.Set("queue", "all")
		r.URL.RawQuery = rq.Encode()
	}
	q, err := appealQuery(r)
	if err != nil {
		return err
	}
	cats, err := s.appeals.Categories(r.Context())
	if err != nil {
		return err
	}
	names := categoryNames(cats, lang)

	f := excelize.NewFile()
	defer f.Close()
	sheet := s.T(lang, "ap.list")
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := []any{}
	for _, k := range []string{"ap.number", "ap.title", "ap.enterprise", "ap.type", "ap.category", "ap.urgency", "ap.state",
		"ap.lead", "ap.created", "ap.due", "ap.light", "ap.urges"} {
		header = append(header, s.T(lang, k))
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := 1
	err = s.appeals.ExportAppeals(r.Context(), a, q, func(x appealdb.AppealRow) error {
		row++
		due, light := "", ""
		if !x.Due.IsZero() {
			due = x.Due.In(calendar.Shanghai).Format("2006-01-02 15:04")
			light = s.Word(lang, "colour", string(x.Colour))
		}
		cat := names[x.Category]
		if cat == "" {
			cat = x.Category
		}
		return sw.SetRow("A"+strconv.Itoa(row), []any{x.Number, x.Title, x.Enterprise, s.Word(lang, "type", string(x.Type)), cat,
			s.Word(lang, "urgency", string(x.Urgency)), s.Word(lang, "state", string(x.State)), x.Lead,
			x.CreatedAt.In(calendar.Shanghai).Format("2006-01-02 15:04"), due, light, x.UrgeCount})
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return fmt.Errorf("write appeals: %w", err)
	}
	core.SendXLSX(w, fmt.Sprintf("%s_%s.xlsx", s.T(lang, "ap.list"), time.Now().In(calendar.Shanghai).Format("20060102")), buf.Bytes())
	return nil
}
