package web

import (
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qifu/internal/audit"
	"qifu/internal/calendar"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// auditJSON is an audit entry in the API.
type auditJSON struct {
	ID         int64     `json:"id"`
	Chain      int       `json:"chain"`
	Pos        int64     `json:"pos"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	Role       string    `json:"role"`
	Action     string    `json:"action"`
	Target     string    `json:"target"`
	Result     string    `json:"result"`
	ClientAddr string    `json:"client_addr"`
	Detail     string    `json:"detail"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

func auditQuery(r *http.Request) store.AuditQuery {
	q := r.URL.Query()
	aq := store.AuditQuery{ActorName: q.Get("actor"), Action: q.Get("action"), Target: q.Get("target"), Page: core.PageOf(r)}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("from"), calendar.Shanghai); err == nil {
		aq.From = t
	}
	if t, err := time.ParseInLocation("2006-01-02", q.Get("to"), calendar.Shanghai); err == nil {
		aq.To = t.AddDate(0, 0, 1)
	}
	return aq
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := auditQuery(r)
	list, total, err := s.store.AuditLog(r.Context(), a, q)
	if err != nil {
		return err
	}
	out := core.List[auditJSON]{Items: []auditJSON{}, Total: total, Page: q.Page.Number, Size: core.PageSize(q.Page)}
	for _, e := range list {
		out.Items = append(out.Items, auditJSON{ID: e.ID, Chain: e.Chain, Pos: e.Pos, At: e.At.UTC(), ActorID: e.ActorID, ActorName: e.ActorName,
			Role: e.Role, Action: e.Action, Target: e.Target, Result: e.Result, ClientAddr: e.ClientAddr, Detail: e.Detail, PrevHash: e.PrevHash, Hash: e.Hash})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// verifyJSON is the verdict on the audit chain: how many entries were
// checked, and where and why it is broken when it is.
type verifyJSON struct {
	OK      bool       `json:"ok"`
	Checked int64      `json:"checked"`
	Break   *breakJSON `json:"break,omitempty"`
	Reason  string     `json:"reason,omitempty"`
}

// breakJSON is the first broken entry: its chain and position.
type breakJSON struct {
	Chain int   `json:"chain"`
	Entry int64 `json:"entry"`
}

func (s *Server) apiVerifyAudit(w http.ResponseWriter, r *http.Request) error {
	n, err := s.store.VerifyAudit(r.Context())
	var b audit.Break
	if errors.As(err, &b) {
		res := verifyJSON{Checked: n, Break: &breakJSON{Chain: b.Chain, Entry: b.Pos}, Reason: b.Reason}
		core.WriteJSON(w, http.StatusOK, res)
		return nil
	}
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, verifyJSON{OK: true, Checked: n})
	return nil
}

// auditPageData is the audit log page.
type auditPageData struct {
	core.Base
	Query   store.AuditQuery
	Items   []audit.Entry
	Pager   core.Pager
	Verify  string
	From    string
	To      string
	Broken  bool
	Export  string
	Checked bool
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := auditQuery(r)
	list, total, err := s.store.AuditLog(r.Context(), a, q)
	if err != nil {
		return err
	}
	p := &auditPageData{Query: q, Items: list, Pager: core.NewPager(r, q.Page, total),
		From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	rq := r.URL.Query()
	rq.Del("page")
	rq.Del("verify")
	p.Export = "/audit/export.csv?" + rq.Encode()
	lang := core.LangOf(r)
	if r.URL.Query().Get("verify") == "1" {
		p.Checked = true
		n, err := s.store.VerifyAudit(r.Context())
		var b audit.Break
		if errors.As(err, &b) {
			p.Broken, p.Verify = true, sprintf(s.T(lang, "audit.broken"), b.Error())
		} else if err != nil {
			return err
		} else {
			p.Verify = sprintf(s.T(lang, "audit.ok"), n)
		}
	}
	p.Title = s.T(lang, "audit.title")
	s.Render(w, r, http.StatusOK, "audit", p)
	return nil
}

// exportAudit writes the selected audit entries as CSV (UTF-8 with BOM, so
// that Excel shows the Chinese correctly), newest first, at most 100,000.
func (s *Server) exportAudit(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := auditQuery(r)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename=audit.csv")
	cw := csv.NewWriter(w)
	started := false
	for page := 1; page <= 500; page++ {
		q.Page = store.Page{Number: page, Size: store.MaxPageSize}
		list, _, err := s.store.AuditLog(r.Context(), a, q)
		if err != nil {
			if !started {
				return err
			}
			s.log.Error("audit export", "err", err)
			return nil
		}
		if !started {
			w.Write([]byte("\xef\xbb\xbf"))
			writeCSV(cw, "id", "chain", "pos", "at", "actor_id", "actor_name", "role", "action", "target", "result", "client_addr", "detail", "prev_hash", "hash")
			started = true
		}
		for _, e := range list {
			writeCSV(cw, strconv.FormatInt(e.ID, 10), strconv.Itoa(e.Chain), strconv.FormatInt(e.Pos, 10),
				e.At.In(calendar.Shanghai).Format(time.RFC3339), strconv.FormatInt(e.ActorID, 10),
				e.ActorName, e.Role, e.Action, e.Target, e.Result, e.ClientAddr, e.Detail, e.PrevHash, e.Hash)
		}
		if len(list) < store.MaxPageSize {
			break
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeCSV writes one row of a CSV download, each cell made safe to open in
// a spreadsheet (csvCell); every CSV qifu writes goes through it.
func writeCSV(cw *csv.Writer, cells ...string) {
	for i, c := range cells {
		cells[i] = csvCell(c)
	}
	cw.Write(cells)
}

// csvCell neutralises a cell a spreadsheet would run as a formula (CSV
// injection, as OWASP describes it): one that begins with =, +, -, @, a
// tab or a carriage return is prefixed with an apostrophe, which the
// spreadsheet shows as text. (A user name, a target or a detail is written
// by whoever signs in or fills a form.)
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
