package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"qifu/internal/fault"
	"qifu/internal/store"
)

func asMaxBytes(err error, target **http.MaxBytesError) bool { return errors.As(err, target) }

// pathID reads a numeric path value; a malformed one is simply not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fault.ErrNotFound
	}
	return id, nil
}

// pageOf reads ?page= and ?size= (size bounded by the store).
func pageOf(r *http.Request) store.Page {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	size, _ := strconv.Atoi(r.URL.Query().Get("size"))
	return store.Page{Number: min(max(n, 1), store.MaxPageNumber), Size: size}
}

// pageSize is the size of a page as the store will apply it.
func pageSize(p store.Page) int {
	if p.Size <= 0 {
		return 20
	}
	if p.Size > store.MaxPageSize {
		return store.MaxPageSize
	}
	return p.Size
}

// pager describes the pages of a list for templates and the API.
type pager struct {
	Number, Pages, Total, Size int
	PrevURL, NextURL           string
}

func newPager(r *http.Request, p store.Page, total int) pager {
	size := pageSize(p)
	pages := (total + size - 1) / size
	if pages == 0 {
		pages = 1
	}
	pg := pager{Number: p.Number, Pages: pages, Total: total, Size: size}
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

// listJSON is the shape of every paged API list.
type listJSON[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	Page  int `json:"page"`
	Size  int `json:"size"`
}

// contextT is the context type of store calls passed as values.
type contextT = context.Context

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var errVersionRequired = fault.Fields{"version": {Zh: "缺少版本号：请先读取记录，再带上其版本号提交修改", En: "version is required: read the record and send its version with the change"}}.Err()
