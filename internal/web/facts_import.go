package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"qifu/internal/calendar"
	"qifu/internal/dossier/dossierdb"
	"qifu/internal/fault"
	"qifu/internal/sheet"
	"qifu/internal/web/core"
)

// A department's data imported as facts of the enterprises' files (一企一档):
// a workbook of credit codes, kinds of facts, periods and values, all
// recorded with the department's source, or none with every row's problem
// in a report to correct and import again.

// factsImportResult is what an import of facts did.
type factsImportResult struct {
	Applied   bool           `json:"applied"`
	Recorded  int            `json:"recorded"`
	Rejected  []rejectedFact `json:"rejected"`
	ReportURL string         `json:"report_url,omitempty"`
}

// rejectedFact is one row not recorded, with its problems in words.
type rejectedFact struct {
	Line       int    `json:"line"`
	CreditCode string `json:"credit_code"`
	Problems   string `json:"problems"`
}

// runFactsImport reads, checks and records a workbook of facts, or reports its problems.
func (s *Server) runFactsImport(r *http.Request, file io.Reader) (factsImportResult, error) {
	a, _ := core.ActorOf(r)
	lang := core.LangOf(r)
	now := s.store.Now().In(calendar.Shanghai)
	rows, err := sheet.ReadFacts(file, dossierdb.MaxImport, now)
	if err != nil {
		return factsImportResult{}, err
	}
	if len(rows) == 0 {
		return factsImportResult{}, fault.Fields{"file": {Zh: "工作簿中没有数据行", En: "the workbook has no data rows"}}.Err()
	}
	out := factsImportResult{Rejected: []rejectedFact{}}
	var rejected []sheet.FactRow
	for _, row := range rows {
		if !row.Valid() {
			rejected = append(rejected, row)
		}
	}
	if len(rejected) == 0 {
		in := make([]dossierdb.ImportRow, len(rows))
		for i, row := range rows {
			in[i] = dossierdb.ImportRow{Line: row.Line, CreditCode: row.CreditCode, Fact: row.Fact}
		}
		problems, err := s.mods.Dossier.Import(r.Context(), a, "import:"+now.Format("20060102-1504"), in)
		if err != nil {
			return out, err
		}
		for _, row := range rows {
			if m, ok := problems[row.Line]; ok {
				row.Problems = fault.Fields{"credit_code": m}
				rejected = append(rejected, row)
			}
		}
	}
	if len(rejected) == 0 {
		out.Applied, out.Recorded = true, len(rows)
		return out, nil
	}
	for _, row := range rejected {
		out.Rejected = append(out.Rejected, rejectedFact{Line: row.Line, CreditCode: row.CreditCode, Problems: row.Reason(lang)})
	}
	var buf bytes.Buffer
	if err := sheet.WriteFactProblems(&buf, rejected, lang); err != nil {
		return out, fmt.Errorf("write facts report: %w", err)
	}
	id, err := s.store.SaveImportReport(r.Context(), a, buf.Bytes())
	if err != nil {
		return out, err
	}
	out.ReportURL = "/imports/" + itoa(id) + "/problems.xlsx"
	return out, nil
}

type factsImportData struct {
	core.Base
	Result *factsImportResult
	Kinds  []kindView
}

func (s *Server) factsImportPage(w http.ResponseWriter, r *http.Request) error {
	return s.showFactsImport(w, r, nil, http.StatusOK)
}

func (s *Server) showFactsImport(w http.ResponseWriter, r *http.Request, res *factsImportResult, code int) error {
	lang := core.LangOf(r)
	p := &factsImportData{Result: res, Kinds: kindViews(lang)}
	p.Title = s.T(lang, "fimp.title")
	s.Render(w, r, code, "facts_import", p)
	return nil
}

func (s *Server) importFactsPage(w http.ResponseWriter, r *http.Request) error {
	file, err := core.ImportFile(r)
	var res factsImportResult
	if err == nil {
		res, err = s.runFactsImport(r, file)
	}
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Kind != fault.Invalid {
			return err
		}
		lang := core.LangOf(r)
		p := &factsImportData{Kinds: kindViews(lang)}
		p.Title = s.T(lang, "fimp.title")
		p.Errors = map[string]string{"file": fe.Message.In(lang)}
		if m, ok := fe.Fields["file"]; ok {
			p.Errors["file"] = m.In(lang)
		}
		s.Render(w, r, http.StatusUnprocessableEntity, "facts_import", p)
		return nil
	}
	code := http.StatusOK
	if !res.Applied {
		code = http.StatusUnprocessableEntity
	}
	return s.showFactsImport(w, r, &res, code)
}

func (s *Server) apiImportFacts(w http.ResponseWriter, r *http.Request) error {
	file, err := core.ImportFile(r)
	if err != nil {
		return err
	}
	res, err := s.runFactsImport(r, file)
	if err != nil {
		return err
	}
	code := http.StatusOK
	if !res.Applied {
		code = http.StatusUnprocessableEntity
	}
	core.WriteJSON(w, code, res)
	return nil
}

func (s *Server) factsTemplate(w http.ResponseWriter, r *http.Request) error {
	var buf bytes.Buffer
	if err := sheet.WriteFactsTemplate(&buf); err != nil {
		return err
	}
	core.SendXLSX(w, s.T(core.LangOf(r), "fimp.templatefile")+".xlsx", buf.Bytes())
	return nil
}
