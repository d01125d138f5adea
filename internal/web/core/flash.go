package core

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// A confirmation after a change: the handler redirects with Done, and the
// next page rendered says what was done, once (a cookie that lives a
// minute and is cleared when shown). The cookie names catalog keys only,
// so nothing a client sets is ever shown as it is.

const flashCookie = "qifu_flash"

// Done redirects to url (303) after a change, with the confirmation key (a
// catalog key) shown on the next page; word, if not empty, is a catalog key
// whose text fills the confirmation's %s.
func (c *Core) Done(w http.ResponseWriter, r *http.Request, url, key, word string) {
	v := key
	if word != "" {
		v += "|" + word
	}
	SetCookie(w, flashCookie, v, c.opts.SecureCookies, 60)
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// flash returns the confirmation the request's cookie names, in lang, and
// whether there was a cookie to clear.
func (c *Core) flash(r *http.Request, lang string) (string, bool) {
	ck, err := r.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return "", false
	}
	key, word, _ := strings.Cut(ck.Value, "|")
	if _, ok := c.opts.Text[key]; !ok {
		return "", true
	}
	text := c.T(lang, key)
	if word != "" {
		if _, ok := c.opts.Text[word]; !ok {
			return "", true
		}
		text = fmt.Sprintf(text, c.T(lang, word))
	}
	return text, true
}

// backOf is where the language switch of a page returns to. A page that
// answers a POST (a form shown again with its errors) has no address to
// return to: the page the form was on (the Referer, when it is this site's)
// is, else the home page.
func backOf(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || !strings.HasPrefix(ref.Path, "/") {
		return "/"
	}
	return ref.RequestURI()
}
