package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"

	"qifu/internal/fault"
	"qifu/internal/sheet"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// importResult is what an import did, for the page and the API.
type importResult struct {
	Applied   bool          `json:"applied"`
	Created   int           `json:"created"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Rejected  []rejectedRow `json:"rejected"`
	ReportURL string        `json:"report_url,omitempty"`
}

// rejectedRow is one row not imported.
type rejectedRow struct {
	Line       int               `json:"line"`
	CreditCode string            `json:"credit_code"`
	Name       string            `json:"name"`
	Problems   map[string]string `json:"problems"`
}

// runImport parses, applies and reports an import.
func (s *Server) runImport(r *http.Request, strict bool, file io.Reader) (importResult, error) {
	a, _ := core.ActorOf(r)
	rows, err := sheet.ReadEnterprises(file, s.cfg.MaxImportRows)
	if err != nil {
		return importResult{}, err
	}
	in := make([]store.ImportRow, len(rows))
	byLine := make(map[int]sheet.Row, len(rows))
	for i, row := range rows {
		byLine[row.Line] = row
		in[i] = store.ImportRow{Line: row.Line, Enterprise: row.Enterprise, Problems: row.Problems}
	}
	res, err := s.store.ImportEnterprises(r.Context(), a, in, strict)
	if err != nil {
		return importResult{}, err
	}
	out := importResult{Applied: res.Applied, Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged,
		Rejected: []rejectedRow{}}
	lang := core.LangOf(r)
	var bad []sheet.Row
	for _, row := range res.Rejected {
		rr := rejectedRow{Line: row.Line, CreditCode: row.Enterprise.CreditCode, Name: row.Enterprise.Name,
			Problems: map[string]string{}}
		for k, m := range row.Problems {
			rr.Problems[k] = m.In(lang)
		}
		out.Rejected = append(out.Rejected, rr)
		orig := byLine[row.Line]
		orig.Problems = row.Problems
		bad = append(bad, orig)
	}
	sort.Slice(out.Rejected, func(i, j int) bool { return out.Rejected[i].Line < out.Rejected[j].Line })
	if len(bad) > 0 {
		var buf bytes.Buffer
		if err := sheet.WriteProblems(&buf, bad); err != nil {
			return out, fmt.Errorf("write import report: %w", err)
		}
		id, err := s.store.SaveImportReport(r.Context(), a, buf.Bytes())
		if err != nil {
			return out, err
		}
		out.ReportURL = "/imports/" + itoa(id) + "/problems.xlsx"
	}
	return out, nil
}

// importPageData is the import form and, after a post, its result.
type importPageData struct {
	core.Base
	Result *importResult
	Strict bool
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) error {
	p := &importPageData{}
	p.Title = s.T(core.LangOf(r), "imp.title")
	s.Render(w, r, http.StatusOK, "import", p)
	return nil
}

func (s *Server) importEnterprisesPage(w http.ResponseWriter, r *http.Request) error {
	file, err := core.ImportFile(r)
	p := &importPageData{}
	p.Title = s.T(core.LangOf(r), "imp.title")
	if err == nil {
		p.Strict = r.Form.Get("strict") == "1"
		var res importResult
		res, err = s.runImport(r, p.Strict, file)
		p.Result = &res
	}
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Kind != fault.Invalid {
			return err
		}
		p.Result = nil
		p.Errors = map[string]string{"file": fe.Message.In(core.LangOf(r))}
		if m, ok := fe.Fields["file"]; ok {
			p.Errors["file"] = m.In(core.LangOf(r))
		}
		s.Render(w, r, http.StatusUnprocessableEntity, "import", p)
		return nil
	}
	s.Render(w, r, http.StatusOK, "import", p)
	return nil
}

func (s *Server) apiImportEnterprises(w http.ResponseWriter, r *http.Request) error {
	file, err := core.ImportFile(r)
	if err != nil {
		return err
	}
	strict := r.URL.Query().Get("strict") == "true" || r.URL.Query().Get("strict") == "1" || r.Form.Get("strict") == "1"
	res, err := s.runImport(r, strict, file)
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

func (s *Server) importProblems(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.store.ImportReport(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.SendXLSX(w, "导入错误报告.xlsx", b)
	return nil
}
