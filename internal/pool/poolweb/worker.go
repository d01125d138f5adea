package poolweb

import (
	"net/http"
	"strings"

	"qifu/internal/access"
	"qifu/internal/fault"
	"qifu/internal/pool/pooldb"
	"qifu/internal/web/core"
)

// The worker's own page (/w): no account; a one-time code the community
// gives (or texts) opens it once, and the token it is exchanged for stays
// in the worker's browser as a cookie. The API takes the token in the
// X-Pool-Token header.

// WorkerCookie holds the token of a worker's page.
const WorkerCookie = "qifu_worker"

// tokenMaxAge is how long the cookie lives, seconds: past any loan's end.
const tokenMaxAge = 400 * 24 * 3600

func workerToken(r *http.Request) string {
	if t := r.Header.Get("X-Pool-Token"); t != "" {
		return t
	}
	if c, err := r.Cookie(WorkerCookie); err == nil {
		return c.Value
	}
	return ""
}

type codeData struct {
	core.Base
	Code string
}

// codeFormPage asks for the one-time code; a worker whose browser holds a
// token goes straight to the page.
func (s *Handlers) codeFormPage(w http.ResponseWriter, r *http.Request) error {
	// A code in the link is another worker's, or a new loan's: it is asked
	// for, never passed over for the page the browser knows.
	if t := workerToken(r); t != "" && r.URL.Query().Get("code") == "" {
		if _, err := s.pool.Mine(r.Context(), t); err == nil {
			http.Redirect(w, r, "/w/me", http.StatusSeeOther)
			return nil
		}
	}
	p := &codeData{Code: r.URL.Query().Get("code")}
	p.Title = s.T(core.LangOf(r), "pw.title")
	s.Render(w, r, http.StatusOK, "pool_code", p)
	return nil
}

func (s *Handlers) redeemPage(w http.ResponseWriter, r *http.Request) error {
	token, err := s.pool.Redeem(r.Context(), r.FormValue("code"))
	if err != nil {
		fe := fault.As(err)
		if fe == nil {
			return err
		}
		p := &codeData{Code: r.FormValue("code")}
		p.Errors = map[string]string{"code": fe.Message.In(core.LangOf(r))}
		p.Title = s.T(core.LangOf(r), "pw.title")
		s.Render(w, r, http.StatusUnprocessableEntity, "pool_code", p)
		return nil
	}
	core.SetCookie(w, WorkerCookie, token, s.opts.SecureCookies, tokenMaxAge)
	http.Redirect(w, r, "/w/me", http.StatusSeeOther)
	return nil
}

type mineData struct {
	core.Base
	Mine pooldb.Mine
	Note string
}

// Stars are the ratings offered, best first.
func (p *mineData) Stars() []int { return []int{5, 4, 3, 2, 1} }

func (s *Handlers) minePage(w http.ResponseWriter, r *http.Request) error {
	return s.showMine(w, r, &mineData{}, http.StatusOK)
}

func (s *Handlers) showMine(w http.ResponseWriter, r *http.Request, p *mineData, code int) error {
	m, err := s.pool.Mine(r.Context(), workerToken(r))
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			http.Redirect(w, r, "/w", http.StatusSeeOther)
			return nil
		}
		return err
	}
	p.Mine = m
	p.Title = s.T(core.LangOf(r), "pw.mine")
	s.Render(w, r, code, "pool_me", p)
	return nil
}

// mineAction runs a worker's change from their page and shows it again.
func (s *Handlers) mineAction(w http.ResponseWriter, r *http.Request, do func(token string) error, doneKey string) error {
	token := workerToken(r)
	if err := do(token); err != nil {
		fe := fault.As(err)
		if fe == nil || fault.Is(err, fault.NotFound) {
			if fault.Is(err, fault.NotFound) {
				http.Redirect(w, r, "/w", http.StatusSeeOther)
				return nil
			}
			return err
		}
		p := &mineData{Note: strings.TrimSpace(r.FormValue("text"))}
		p.Errors = core.FieldErrors(fe.Fields, core.LangOf(r))
		if len(fe.Fields) == 0 {
			p.Errors = map[string]string{"form": fe.Message.In(core.LangOf(r))}
		}
		return s.showMine(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, "/w/me", doneKey, "")
	return nil
}

func (s *Handlers) mineAnswerPage(w http.ResponseWriter, r *http.Request) error {
	return s.mineAction(w, r, func(t string) error {
		_, err := s.pool.Answer(r.Context(), t, r.FormValue("consent") == "yes", formInt(r, "version"))
		return err
	}, "pw.answered")
}

func (s *Handlers) mineWithdrawPage(w http.ResponseWriter, r *http.Request) error {
	return s.mineAction(w, r, func(t string) error {
		_, err := s.pool.WithdrawConsent(r.Context(), t, r.FormValue("reason"))
		return err
	}, "pw.withdrawn")
}

func (s *Handlers) mineComplainPage(w http.ResponseWriter, r *http.Request) error {
	return s.mineAction(w, r, func(t string) error {
		_, err := s.pool.Complain(r.Context(), t, r.FormValue("text"))
		return err
	}, "pw.complained")
}

func (s *Handlers) mineExtensionPage(w http.ResponseWriter, r *http.Request) error {
	return s.mineAction(w, r, func(t string) error {
		_, err := s.pool.AnswerExtension(r.Context(), t, r.FormValue("consent") == "yes")
		return err
	}, "pw.answered")
}

func (s *Handlers) mineRatePage(w http.ResponseWriter, r *http.Request) error {
	return s.mineAction(w, r, func(t string) error {
		_, err := s.pool.RateByWorker(r.Context(), t, formInt(r, "stars"), r.FormValue("note"))
		return err
	}, "pw.rated")
}

// API of the worker's page: the token in the X-Pool-Token header.

type redeemInput struct {
	Code string `json:"code"`
}

type tokenJSON struct {
	Token string `json:"token"`
}

func (s *Handlers) redeem(r *http.Request, _ access.Actor, _ int64, in redeemInput) (tokenJSON, error) {
	t, err := s.pool.Redeem(r.Context(), in.Code)
	return tokenJSON{Token: t}, err
}

func mineOut(m pooldb.Mine, err error) (pooldb.Mine, error) {
	m.Attendance, m.Complaints = nonNil(m.Attendance), nonNil(m.Complaints)
	return m, err
}

func (s *Handlers) mine(r *http.Request, _ access.Actor, _ int64, _ core.NoBody) (pooldb.Mine, error) {
	return mineOut(s.pool.Mine(r.Context(), workerToken(r)))
}

type answerInput struct {
	Consent bool `json:"consent"`
	Version int  `json:"version"`
}

func (s *Handlers) answer(r *http.Request, _ access.Actor, _ int64, in answerInput) (pooldb.Mine, error) {
	return mineOut(s.pool.Answer(r.Context(), workerToken(r), in.Consent, in.Version))
}

type reasonInput struct {
	Reason string `json:"reason"`
}

func (s *Handlers) withdrawConsent(r *http.Request, _ access.Actor, _ int64, in reasonInput) (pooldb.Mine, error) {
	return mineOut(s.pool.WithdrawConsent(r.Context(), workerToken(r), in.Reason))
}

type complainInput struct {
	Text string `json:"text"`
}

func (s *Handlers) complain(r *http.Request, _ access.Actor, _ int64, in complainInput) (pooldb.Mine, error) {
	return mineOut(s.pool.Complain(r.Context(), workerToken(r), in.Text))
}

type extensionInput struct {
	Consent bool `json:"consent"`
}

func (s *Handlers) extension(r *http.Request, _ access.Actor, _ int64, in extensionInput) (pooldb.Mine, error) {
	return mineOut(s.pool.AnswerExtension(r.Context(), workerToken(r), in.Consent))
}

func (s *Handlers) rateByWorker(r *http.Request, _ access.Actor, _ int64, in rateInput) (pooldb.Mine, error) {
	return mineOut(s.pool.RateByWorker(r.Context(), workerToken(r), in.Stars, in.Note))
}
