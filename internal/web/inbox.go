package web

import (
	"net/http"
	"strconv"
	"time"

	"qifu/internal/fault"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// noticeJSON is one line of the inbox in the API.
type noticeJSON struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	AppealID int64     `json:"appeal_id,omitempty"`
	Kind     string    `json:"kind"`
	Title    string    `json:"title"`
	Read     bool      `json:"read"`
	Href     string    `json:"href,omitempty"`
}

// inboxJSON is a page of the inbox, newest first, and how many are unread.
type inboxJSON struct {
	Items  []noticeJSON `json:"items"`
	Unread int          `json:"unread"`
	Page   int          `json:"page"`
	Size   int          `json:"size"`
}

func (s *Server) apiInbox(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	page := core.PageOf(r)
	list, unread, err := s.store.Inbox(r.Context(), a, page)
	if err != nil {
		return err
	}
	out := inboxJSON{Items: []noticeJSON{}, Unread: unread, Page: page.Number, Size: core.PageSize(page)}
	for _, n := range list {
		out.Items = append(out.Items, noticeJSON{ID: n.ID, At: n.At.UTC(), AppealID: n.AppealID, Kind: n.Kind, Title: n.Title, Read: n.Read, Href: n.Href})
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

// markReadInput names the notice to mark read; 0 or none: all.
type markReadInput struct {
	ID int64 `json:"id"`
}

// apiMarkRead marks one notice read ({"id": n}), or all ({} or id 0).
func (s *Server) apiMarkRead(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in markReadInput
	if r.ContentLength != 0 { // no body: all
		if err := core.Decode(r, &in); err != nil {
			return err
		}
	}
	if err := s.store.MarkRead(r.Context(), a, in.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// inboxPageData is the user's inbox, a page of notices grouped by appeal.
type inboxPageData struct {
	core.Base
	Groups []noticeGroup
	Unread int
	Pager  core.Pager
}

// Say is a notice in the page's language: as written in Chinese, or in
// English the words of its kind and the appeal it is about.
func (p *inboxPageData) Say(n store.Notice) string {
	if p.Lang != "en" {
		return n.Title
	}
	if n.AppealNumber == "" {
		// Another module's notice: its kind's words; the notice leads to the record.
		if w := p.Word("kind", n.Kind); w != n.Kind {
			return w
		}
		return n.Title
	}
	return p.Word("kind", n.Kind) + ": " + n.AppealTitle + " (" + n.AppealNumber + ")"
}

// noticeGroup is the notices of one appeal on a page, newest first (a
// notice of no appeal is a group of its own): the newest is shown, the
// others folded under it. Opening the appeal reads them all.
type noticeGroup struct {
	Latest store.Notice
	Older  []store.Notice
	Unread int
}

// groupNotices groups a page of notices by appeal, in the order of each
// appeal's newest notice.
func groupNotices(list []store.Notice) []noticeGroup {
	var out []noticeGroup
	at := map[int64]int{} // appeal → index in out
	for _, n := range list {
		i, ok := at[n.AppealID]
		if !ok || n.AppealID == 0 {
			at[n.AppealID] = len(out)
			out = append(out, noticeGroup{Latest: n})
			i = len(out) - 1
		} else {
			out[i].Older = append(out[i].Older, n)
		}
		if !n.Read {
			out[i].Unread++
		}
	}
	return out
}

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	page := core.PageOf(r)
	list, unread, err := s.store.Inbox(r.Context(), a, page)
	if err != nil {
		return err
	}
	// The inbox has no total: a full page may have a next one.
	known := (page.Number-1)*core.PageSize(page) + len(list)
	if len(list) == core.PageSize(page) {
		known++
	}
	p := &inboxPageData{Groups: groupNotices(list), Unread: unread, Pager: core.NewPager(r, page, known)}
	p.Title = s.T(core.LangOf(r), "nav.inbox")
	s.Render(w, r, http.StatusOK, "inbox", p)
	return nil
}

// markReadPage marks one notice (id) or all read and returns to the inbox.
func (s *Server) markReadPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var id int64 // 0: all
	if v := r.FormValue("id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return fault.ErrNotFound
		}
		id = n
	}
	if err := s.store.MarkRead(r.Context(), a, id); err != nil {
		return err
	}
	s.Done(w, r, "/inbox", "inbox.marked", "")
	return nil
}
