package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"qifu/internal/appeal/appealdb"
)

// exportAppeals sends the appeal list the query selects (any queue, with
// its filters) as a workbook, written with excelize's stream writer so that
// a long list does not hold every cell in memory.
func (s *Server) exportAppeals(w http.ResponseWriter, r *http.Request) error {
	a, _ := actorOf(r)
	lang := langOf(r)
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
	sheet := translate(lang, "ap.list")
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
		header = append(header, translate(lang, k))
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := 1
	err = s.appeals.ExportAppeals(r.Context(), a, q, func(x appealdb.AppealRow) error {
		row++
		due, light := "", ""
		if !x.Due.IsZero() {
			due = x.Due.In(shanghai).Format("2006-01-02 15:04")
			light = word(lang, "colour", string(x.Colour))
		}
		cat := names[x.Category]
		if cat == "" {
			cat = x.Category
		}
		return sw.SetRow("A"+strconv.Itoa(row), []any{x.Number, x.Title, x.Enterprise, word(lang, "type", string(x.Type)), cat,
			word(lang, "urgency", string(x.Urgency)), word(lang, "state", string(x.State)), x.Lead,
			x.CreatedAt.In(shanghai).Format("2006-01-02 15:04"), due, light, x.UrgeCount})
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
	sendXLSX(w, fmt.Sprintf("%s_%s.xlsx", translate(lang, "ap.list"), time.Now().In(shanghai).Format("20060102")), buf.Bytes())
	return nil
}
