package policyweb

import (
	"fmt"
	"net/http"
	"strings"

	"qifu/internal/access"
	"qifu/internal/department"
	"qifu/internal/fault"
	"qifu/internal/policy"
	"qifu/internal/policy/policydb"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// The innovation resources: the lists (everyone signed in reads them),
// those recommended to an enterprise with why, one resource with the form
// to request it, a department's form for a resource, the requests and
// their answers, and the blacklist import.

type resourcesData struct {
	base
	Resources   []policy.Resource
	Total       int
	Kind, Query string
	Industry    string
	Matches     []policydb.Match
	Mine        bool
	MayManage   bool
	Requests    []policydb.Request
	Pager       core.Pager
}

// Kinds are the resource kinds (the catalog names each, "polres.kind").
func (b *resourcesData) Kinds() []policy.Option { return policy.ResourceKinds }

func (s *Handlers) resourcesPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := r.URL.Query()
	p := &resourcesData{Kind: q.Get("kind"), Query: strings.TrimSpace(q.Get("q")), Industry: q.Get("industry"),
		MayManage: access.May(a.Role, access.PolicyManage)}
	var err error
	page := core.PageOf(r)
	if p.Resources, p.Total, err = s.policy.Resources(r.Context(), policydb.ResourceQuery{Kind: p.Kind, Industry: p.Industry, Text: p.Query, Page: page}); err != nil {
		return err
	}
	p.Pager = core.NewPager(r, page, p.Total)
	if p.Requests, _, err = s.policy.Requests(r.Context(), a, "", store.Page{Size: 20}); err != nil {
		return err
	}
	p.Title = s.T(core.LangOf(r), "pp.resources")
	s.Render(w, r, http.StatusOK, "policy_resources", p)
	return nil
}

// mineResourcesPage lists the resources recommended to an enterprise.
func (s *Handlers) mineResourcesPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id := enterpriseParam(r, a)
	if id == 0 {
		return s.resourcesPage(w, r)
	}
	m, err := s.policy.Recommend(r.Context(), a, id, 20)
	if err != nil {
		return err
	}
	p := &resourcesData{Matches: m, Mine: true}
	if p.Requests, _, err = s.policy.Requests(r.Context(), a, "", store.Page{Size: 20}); err != nil {
		return err
	}
	p.Title = s.T(core.LangOf(r), "pp.resources_mine")
	s.Render(w, r, http.StatusOK, "policy_resources", p)
	return nil
}

type resourceData struct {
	base
	Departments []department.Department // for a role that keeps every department's lists
	Resource    policy.Resource
	Form        bool
	MayManage   bool
	MayClaim    bool
	Industries  string
	Tags        string
}

// Kinds are the resource kinds.
func (b *resourceData) Kinds() []policy.Option { return policy.ResourceKinds }

func (s *Handlers) resourcePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	p := &resourceData{MayClaim: access.May(a.Role, access.PolicyClaim)}
	if r.PathValue("id") == "" {
		p.Form, p.MayManage = true, true
		p.Resource = policy.Resource{Kind: "provider"}
	} else {
		id, err := core.PathID(r, "id")
		if err != nil {
			return err
		}
		if p.Resource, err = s.policy.Resource(r.Context(), id); err != nil {
			return err
		}
		p.MayManage = policydb.MayManageDepartment(a, p.Resource.DepartmentID)
		p.Form = p.MayManage && r.URL.Query().Get("edit") == "1"
	}
	p.Industries, p.Tags = strings.Join(p.Resource.Industries, ","), strings.Join(p.Resource.Tags, ",")
	p.Title = p.Resource.Name
	return s.showResource(w, r, p, http.StatusOK)
}

// showResource renders a resource, or its form with the departments for
// those who keep every department's lists.
func (s *Handlers) showResource(w http.ResponseWriter, r *http.Request, p *resourceData, code int) error {
	if p.Form {
		var err error
		if p.Departments, err = s.departmentChoice(r); err != nil {
			return err
		}
	}
	if p.Title == "" {
		p.Title = s.T(core.LangOf(r), "pp.new_resource")
	}
	s.Render(w, r, code, "policy_resource", p)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\n' }) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (s *Handlers) saveResourcePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := policy.Resource{Kind: r.FormValue("kind"), Name: r.FormValue("name"), Provider: r.FormValue("provider"), Summary: r.FormValue("summary"),
		Industries: splitList(r.FormValue("industries")), Tags: splitList(r.FormValue("tags")), Contact: r.FormValue("contact"),
		Phone: r.FormValue("phone"), Terms: r.FormValue("terms"), Version: formInt(r, "version")}
	if keepsEvery(a) {
		in.DepartmentID = formID(r, "department_id") // a department's staff keep their own department's
	}
	var err error
	if in.ID, err = optionalID(r); err != nil {
		return err
	}
	if in.ID != 0 {
		old, err := s.policy.Resource(r.Context(), in.ID)
		if err != nil {
			return err
		}
		in.DepartmentID = old.DepartmentID // a resource stays on its department's list
	}
	out, err := s.policy.SaveResource(r.Context(), a, in)
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p := &resourceData{Resource: in, Form: true, MayManage: true, Industries: r.FormValue("industries"), Tags: r.FormValue("tags")}
		p.Errors = msgs
		return s.showResource(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, fmt.Sprintf("/policy/resources/%d", out.ID), "pp.resource_saved", "")
	return nil
}

func (s *Handlers) requestResourcePage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	q, err := s.policy.RequestResource(r.Context(), a, id, enterpriseParam(r, a), r.FormValue("body"))
	if err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/policy/requests/%d", q.ID), "pp.requested", "")
	return nil
}

type requestData struct {
	base
	Request   policydb.Request
	MayAnswer bool
}

func (s *Handlers) requestPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	q, err := s.policy.RequestOf(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := &requestData{Request: q, MayAnswer: q.State == "open" && policydb.MayManageDepartment(a, q.DepartmentID)}
	p.Title = q.Resource
	s.Render(w, r, http.StatusOK, "policy_request", p)
	return nil
}

func (s *Handlers) answerPage(w http.ResponseWriter, r *http.Request) error {
	a, id, err := posted(r)
	if err != nil {
		return err
	}
	if _, err := s.policy.Answer(r.Context(), a, id, formInt(r, "version"), r.FormValue("answer")); err != nil {
		return err
	}
	s.Done(w, r, fmt.Sprintf("/policy/requests/%d", id), "pp.answered", "")
	return nil
}

func (s *Handlers) digestPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if _, err := s.policy.Digest(r.Context(), a); err != nil {
		return err
	}
	s.Done(w, r, "/policy/resources", "pp.digest_sent", "")
	return nil
}

type blacklistData struct {
	base
	Text     string
	Problems []string
}

func (s *Handlers) blacklistPage(w http.ResponseWriter, r *http.Request) error {
	p := &blacklistData{}
	p.Title = s.T(core.LangOf(r), "pp.blacklist")
	s.Render(w, r, http.StatusOK, "policy_blacklist", p)
	return nil
}

// blacklistPost imports a pasted blacklist: one enterprise a line,
// "credit code, reason, from, until"; all rows or none.
func (s *Handlers) blacklistPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return err
	}
	text := r.FormValue("rows")
	var rows []policydb.BlacklistRow
	for i, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '，' || r == '\t' })
		for len(parts) < 4 {
			parts = append(parts, "")
		}
		rows = append(rows, policydb.BlacklistRow{Line: i + 1, CreditCode: parts[0], Reason: parts[1], From: parts[2], Until: parts[3]})
	}
	problems, err := s.policy.ImportBlacklist(r.Context(), a, "paste", rows)
	lang := core.LangOf(r)
	p := &blacklistData{Text: text}
	p.Title = s.T(lang, "pp.blacklist")
	if err != nil {
		if fe := fault.As(err); fe != nil && fe.Kind == fault.Invalid {
			p.Problems = []string{fe.Message.In(lang)}
			s.Render(w, r, http.StatusUnprocessableEntity, "policy_blacklist", p)
			return nil
		}
		return err
	}
	if len(problems) > 0 {
		for _, row := range rows { // in the order of the lines, as pasted
			if m, ok := problems[row.Line]; ok {
				p.Problems = append(p.Problems, fmt.Sprintf(s.T(lang, "pp.line"), row.Line)+m.In(lang))
			}
		}
		s.Render(w, r, http.StatusUnprocessableEntity, "policy_blacklist", p)
		return nil
	}
	s.Done(w, r, "/policy/blacklist", "pp.blacklist_saved", "")
	return nil
}
