package policyweb

import (
	"net/http"
	"strings"

	"qifu/internal/access"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/web/core"
)

// The API of the blacklist, the innovation resources and the funnel.

// The blacklist.

type blacklistInput struct {
	Ref  string              `json:"ref"` // the list's document or batch, kept with each entry
	Rows []blacklistRowInput `json:"rows"`
}

// blacklistRowInput is an entry of a blacklist; line numbers the row in
// the caller's file (its place in rows, from 1, when absent).
type blacklistRowInput struct {
	Line       int    `json:"line,omitempty"`
	CreditCode string `json:"credit_code"`
	Reason     string `json:"reason"`
	From       string `json:"from"`
	Until      string `json:"until,omitempty"` // "" open
}

// blacklistResult is what recording a blacklist did: every row recorded,
// or none and each refused row's problem.
type blacklistResult struct {
	Applied  bool          `json:"applied"`
	Recorded int           `json:"recorded"`
	Rejected []rejectedRow `json:"rejected"`
}

// rejectedRow is a row not recorded, with its problem in words.
type rejectedRow struct {
	Line       int    `json:"line"`
	CreditCode string `json:"credit_code"`
	Problems   string `json:"problems"`
}

func (s *Handlers) apiBlacklist(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in blacklistInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	rows := make([]policydb.BlacklistRow, len(in.Rows))
	for i, row := range in.Rows {
		line := row.Line
		if line == 0 {
			line = i + 1
		}
		rows[i] = policydb.BlacklistRow{Line: line, CreditCode: row.CreditCode, Reason: row.Reason, From: row.From, Until: row.Until}
	}
	problems, err := s.policy.ImportBlacklist(r.Context(), a, strings.TrimSpace(in.Ref), rows)
	if err != nil {
		return err
	}
	out := blacklistResult{Rejected: []rejectedRow{}}
	if len(problems) == 0 {
		out.Applied, out.Recorded = true, len(rows)
		core.WriteJSON(w, http.StatusOK, out)
		return nil
	}
	lang := core.LangOf(r)
	for _, row := range rows {
		if m, ok := problems[row.Line]; ok {
			out.Rejected = append(out.Rejected, rejectedRow{Line: row.Line, CreditCode: row.CreditCode, Problems: m.In(lang)})
			delete(problems, row.Line) // a line given twice is reported once
		}
	}
	core.WriteJSON(w, http.StatusUnprocessableEntity, out)
	return nil
}

// Innovation resources.

// resourceInput is a resource as a client writes it.
type resourceInput struct {
	Kind         string   `json:"kind"`
	Name         string   `json:"name"`
	Provider     string   `json:"provider"`
	Summary      string   `json:"summary"`
	Industries   []string `json:"industries"` // GB/T 4754 divisions served: "34"
	Tags         []string `json:"tags"`
	Contact      string   `json:"contact"`
	Phone        string   `json:"phone"`
	Terms        string   `json:"terms"`
	DepartmentID int64    `json:"department_id,omitempty"` // the keeping department: the caller's by default
	Version      int      `json:"version,omitempty"`
}

func (in resourceInput) resource(id int64) policy.Resource {
	return policy.Resource{ID: id, Kind: in.Kind, Name: in.Name, Provider: in.Provider, Summary: in.Summary, Industries: in.Industries,
		Tags: in.Tags, Contact: in.Contact, Phone: in.Phone, Terms: in.Terms, DepartmentID: in.DepartmentID, Version: in.Version}
}

func (s *Handlers) apiResources(r *http.Request, _ access.Actor, _ int64, _ core.NoBody) (core.List[policy.Resource], error) {
	q, page := r.URL.Query(), core.PageOf(r)
	list, total, err := s.policy.Resources(r.Context(), policydb.ResourceQuery{Kind: q.Get("kind"), Industry: q.Get("industry"), Text: q.Get("q"), Page: page})
	for i := range list {
		list[i] = resourceOut(list[i])
	}
	return listOf(list, total, page), err
}

func (s *Handlers) apiResource(r *http.Request, _ access.Actor, id int64, _ core.NoBody) (policy.Resource, error) {
	res, err := s.policy.Resource(r.Context(), id)
	return resourceOut(res), err
}

func (s *Handlers) apiCreateResource(r *http.Request, a access.Actor, _ int64, in resourceInput) (policy.Resource, error) {
	res, err := s.policy.SaveResource(r.Context(), a, in.resource(0))
	return resourceOut(res), err
}

func (s *Handlers) apiUpdateResource(r *http.Request, a access.Actor, id int64, in resourceInput) (policy.Resource, error) {
	if err := needVersion(in.Version); err != nil {
		return policy.Resource{}, err
	}
	cur, err := s.policy.Resource(r.Context(), id)
	if err != nil {
		return cur, err
	}
	if in.DepartmentID == 0 {
		in.DepartmentID = cur.DepartmentID // the store refuses another
	}
	res, err := s.policy.SaveResource(r.Context(), a, in.resource(id))
	return resourceOut(res), err
}

// recommendLimit is how many resources a recommendation lists.
const recommendLimit = 20

func (s *Handlers) apiRecommended(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.Items[policydb.Match], error) {
	id, err := enterpriseOr(a, queryID(r, "enterprise"), "enterprise")
	if err != nil {
		return core.Items[policydb.Match]{}, err
	}
	list, err := s.policy.Recommend(r.Context(), a, id, recommendLimit)
	for i := range list {
		list[i].Resource, list[i].Fit.Reasons = resourceOut(list[i].Resource), orEmpty(list[i].Fit.Reasons)
	}
	return core.Items[policydb.Match]{Items: orEmpty(list)}, err
}

type toldJSON struct {
	Told int `json:"told"` // enterprises told
}

func (s *Handlers) apiDigest(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (toldJSON, error) {
	n, err := s.policy.Digest(r.Context(), a)
	return toldJSON{Told: n}, err
}

type requestInput struct {
	EnterpriseID int64  `json:"enterprise_id,omitempty"` // an enterprise's account: its own
	Body         string `json:"body"`
}

func (s *Handlers) apiRequest(r *http.Request, a access.Actor, id int64, in requestInput) (policydb.Request, error) {
	eid, err := enterpriseOr(a, in.EnterpriseID, "enterprise_id")
	if err != nil {
		return policydb.Request{}, err
	}
	return s.policy.RequestResource(r.Context(), a, id, eid, in.Body)
}

func (s *Handlers) apiRequests(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.List[policydb.Request], error) {
	page := core.PageOf(r)
	list, total, err := s.policy.Requests(r.Context(), a, r.URL.Query().Get("state"), page)
	return listOf(list, total, page), err
}

func (s *Handlers) apiRequestOf(r *http.Request, a access.Actor, id int64, _ core.NoBody) (policydb.Request, error) {
	return s.policy.RequestOf(r.Context(), a, id)
}

type answerInput struct {
	Answer  string `json:"answer"`
	Version int    `json:"version"`
}

func (s *Handlers) apiAnswer(r *http.Request, a access.Actor, id int64, in answerInput) (policydb.Request, error) {
	if err := needVersion(in.Version); err != nil {
		return policydb.Request{}, err
	}
	return s.policy.Answer(r.Context(), a, id, in.Version, in.Answer)
}

// The funnel.

func (s *Handlers) apiFunnel(r *http.Request, a access.Actor, _ int64, _ core.NoBody) (core.Items[policydb.FunnelRow], error) {
	q := r.URL.Query()
	rows, err := s.policy.Funnel(r.Context(), a, policydb.FunnelQuery{Benefit: queryID(r, "benefit"), From: q.Get("from"), To: q.Get("to")})
	return core.Items[policydb.FunnelRow]{Items: orEmpty(rows)}, err
}
