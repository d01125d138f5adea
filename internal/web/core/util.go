package core

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"qifu/internal/fault"
	"qifu/internal/store"
)

func asMaxBytes(err error, target **http.MaxBytesError) bool { return errors.As(err, target) }

// PathID reads a numeric path value; a malformed one is simply not found.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fault.ErrNotFound
	}
	return id, nil
}

// PageOf reads ?page= and ?size= (size bounded by the store).
func PageOf(r *http.Request) store.Page {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	size, _ := strconv.Atoi(r.URL.Query().Get("size"))
	return store.Page{Number: min(max(n, 1), store.MaxPageNumber), Size: size}
}

// PageSize is the size of a page as the store will apply it.
func PageSize(p store.Page) int {
	if p.Size <= 0 {
		return 20
	}
	if p.Size > store.MaxPageSize {
		return store.MaxPageSize
	}
	return p.Size
}

// Pager describes the pages of a list for templates and the API.
type Pager struct {
	Number, Pages, Total, Size int
	PrevURL, NextURL           string
}

func NewPager(r *http.Request, p store.Page, total int) Pager {
	size := PageSize(p)
	pages := (total + size - 1) / size
	if pages == 0 {
		pages = 1
	}
	pg := Pager{Number: p.Number, Pages: pages, Total: total, Size: size}
	q := r.URL.Query()
	if p.Number > 1 {
		q.Set("page", strconv.Itoa(p.Number-1))
		pg.PrevURL = r.URL.Path + "?" + q.Encode()
	}
	if p.Number < pages {
		q.Set("page", strconv.Itoa(p.Number+1))
		pg.NextURL = r.URL.Path + "?" + q.Encode()
	}
	return pg
}

// Items is the shape of an API list that is not paged.
type Items[T any] struct {
	Items []T `json:"items"`
}

// List is the shape of every paged API list.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	// More is set when the list holds more than Total: a work queue's count
	// stops at 10,000, so that a crisis's backlog costs its page, not a count.
	More bool `json:"more,omitempty"`
	Page int  `json:"page"`
	Size int  `json:"size"`
}

var ErrVersionRequired = fault.Fields{"version": {Zh: "缺少版本号：请先读取记录，再带上其版本号提交修改", En: "version is required: read the record and send its version with the change"}}.Err()

// SendXLSX answers with a workbook to download as name.
func SendXLSX(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", XLSX)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

// Strings are the values of a string type as strings.
func Strings[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}
