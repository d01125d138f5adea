package catalogueweb

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"qifu/internal/access"
	"qifu/internal/appeal"
	"qifu/internal/calendar"
	"qifu/internal/catalogue"
	"qifu/internal/catalogue/cataloguedb"
	"qifu/internal/fault"
	"qifu/internal/sheet"
	"qifu/internal/web/core"
)

// view is a standard as the pages show it.
type view struct {
	catalogue.Standard
	InForce bool
}

// group is one group of the catalogue with its standards shown.
type group struct {
	Code  string
	Items []view
}

type catalogueData struct {
	core.Base
	Query     Query
	Groups    []group
	Count     int
	Demo      bool // some standards shown are examples, not an official catalogue
	MayManage bool
	Codes     []string // the groups, for the filter
	Modes     []catalogue.Mode
	// Open unfolds the groups: a search or a filter is shown whole; the
	// catalogue itself opens as its groups with their counts.
	Open bool
}

// cataloguePage is the catalogue, browsed by group and searched by words.
func (s *Handlers) cataloguePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, err := s.catalogue.Catalogue(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := &catalogueData{MayManage: access.May(a.Role, access.CatalogueManage), Codes: catalogue.Groups, Modes: catalogue.Modes,
		Query: Query{Text: strings.TrimSpace(q.Get("q")), Group: q.Get("group"), Mode: catalogue.Mode(q.Get("mode"))}}
	p.Query.Withdrawn = p.MayManage && q.Get("withdrawn") == "1"
	day := s.today()
	shown := p.Query.Filter(list, day)
	for _, code := range catalogue.Groups {
		g := group{Code: code}
		for _, st := range shown {
			if st.Group == code {
				g.Items = append(g.Items, view{Standard: st, InForce: st.InForce(day)})
				p.Demo = p.Demo || st.Demo
			}
		}
		if len(g.Items) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	p.Count = len(shown)
	p.Open = p.Query.Text != "" || p.Query.Group != "" || p.Query.Mode != "" || len(p.Groups) == 1
	p.Title = s.T(core.LangOf(r), "cat.title")
	s.Render(w, r, http.StatusOK, "catalogue", p)
	return nil
}

type standardData struct {
	core.Base
	Standard   view
	Department [2]string
	Providers  []catalogue.Provider
	MayAsk     bool
	AskHref    string
	MayManage  bool
	Versions   []cataloguedb.Version
	// The keeping form: the groups, modes, categories and providers to choose from.
	Codes      []string
	Modes      []catalogue.Mode
	Categories appeal.Categories
	Choices    []choice
	Edit       catalogue.Standard
	New        bool
}

// choice is a provider the keeping form offers, checked when the standard names it.
type choice struct {
	catalogue.Provider
	Checked bool
}

// standardPage is one standard: what the enterprise gets and how to ask;
// for those who keep the catalogue its versions and the form to change it.
func (s *Handlers) standardPage(w http.ResponseWriter, r *http.Request) error {
	st, err := s.catalogue.Standard(r.Context(), r.PathValue("standard"))
	if err != nil {
		return err
	}
	p := &standardData{Edit: st}
	return s.showStandard(w, r, p, st, http.StatusOK)
}

func (s *Handlers) showStandard(w http.ResponseWriter, r *http.Request, p *standardData, st catalogue.Standard, code int) error {
	a, _ := core.ActorOf(r)
	ctx := r.Context()
	p.Standard = view{Standard: st, InForce: st.InForce(s.today())}
	p.Department = departmentNames[st.Department]
	if p.Department[0] == "" {
		p.Department = [2]string{st.Department, st.Department}
	}
	all, err := s.catalogue.Providers(ctx)
	if err != nil {
		return err
	}
	for _, pr := range all {
		for _, c := range st.Providers {
			if pr.Code == c {
				p.Providers = append(p.Providers, pr)
			}
		}
	}
	p.MayAsk = p.Standard.InForce && st.Asks() && access.May(a.Role, access.AppealCreate)
	p.AskHref = "/appeals/new?" + url.Values{"standard_code": {st.Code}}.Encode()
	p.MayManage = access.May(a.Role, access.CatalogueManage)
	if p.MayManage {
		if !p.New {
			if p.Versions, err = s.catalogue.Versions(ctx, st.Code); err != nil {
				return err
			}
		}
		if p.Categories, err = s.appeals.Categories(ctx); err != nil {
			return err
		}
		p.Codes, p.Modes = catalogue.Groups, catalogue.Modes
		for _, pr := range all {
			p.Choices = append(p.Choices, choice{Provider: pr, Checked: slices.Contains(p.Edit.Providers, pr.Code)})
		}
	}
	p.Title = p.Pick(st.Name, st.NameEn)
	if p.New {
		p.Title = s.T(core.LangOf(r), "cat.new")
	}
	s.Render(w, r, code, "standard", p)
	return nil
}

// newStandardPage is the form for a new standard.
func (s *Handlers) newStandardPage(w http.ResponseWriter, r *http.Request) error {
	st := catalogue.Standard{Group: "support", Mode: catalogue.OnSite, Handle: appeal.Days(5), From: s.today()}
	return s.showStandard(w, r, &standardData{Edit: st, New: true}, st, http.StatusOK)
}

// standardFromForm reads the keeping form.
func standardFromForm(r *http.Request) catalogue.Standard {
	n, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("handle_n")))
	return catalogue.Standard{Code: r.FormValue("code"), Group: r.FormValue("group"), Name: r.FormValue("name"), NameEn: r.FormValue("name_en"),
		Gets: r.FormValue("gets"), GetsEn: r.FormValue("gets_en"), Conditions: r.FormValue("conditions"),
		Materials: lines(r.FormValue("materials")), Department: r.FormValue("department"), Office: r.FormValue("office"),
		Providers: r.Form["providers"], Handle: appeal.Span{N: n, Days: r.FormValue("handle_unit") != "hours"},
		Category: r.FormValue("category"), Mode: catalogue.Mode(r.FormValue("mode")), Link: r.FormValue("link"),
		Schedule: r.FormValue("schedule"), From: r.FormValue("from"), Until: r.FormValue("until"), Demo: r.FormValue("demo") == "1"}
}

// lines splits a text area's lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// saveStandardPage saves the keeping form: a new standard, or the next version.
func (s *Handlers) saveStandardPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	if err := r.ParseForm(); err != nil {
		return core.BadUpload(err)
	}
	in := standardFromForm(r)
	isNew := r.PathValue("standard") == ""
	if !isNew {
		in.Code = r.PathValue("standard")
	}
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	saved, err := s.catalogue.SaveStandard(r.Context(), a, in, version)
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		shown := in
		if !isNew {
			if shown, err = s.catalogue.Standard(r.Context(), in.Code); err != nil {
				return err
			}
		}
		in.Version = version
		p := &standardData{Edit: in, New: isNew}
		p.Errors = msgs
		return s.showStandard(w, r, p, shown, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, "/catalogue/"+saved.Code, "flash.saved", "")
	return nil
}

// withdrawPage withdraws a standard from the day given (today if none).
func (s *Handlers) withdrawPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	st, err := s.catalogue.Withdraw(r.Context(), a, r.PathValue("standard"), strings.TrimSpace(r.FormValue("until")), version)
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		cur, err := s.catalogue.Standard(r.Context(), r.PathValue("standard"))
		if err != nil {
			return err
		}
		p := &standardData{Edit: cur}
		p.Errors = msgs
		return s.showStandard(w, r, p, cur, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, "/catalogue/"+st.Code, "cat.withdrawn_flash", "")
	return nil
}

// exportCatalogue is the catalogue as a workbook (also the import's template).
func (s *Handlers) exportCatalogue(w http.ResponseWriter, r *http.Request) error {
	list, err := s.catalogue.Catalogue(r.Context())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.WriteCatalogue(&buf, list); err != nil {
		return err
	}
	core.SendXLSX(w, "service-standards.xlsx", buf.Bytes())
	return nil
}

// importResult is what an import of the catalogue did.
type importResult struct {
	Applied  bool             `json:"applied"`
	Added    int              `json:"added"`
	Changed  int              `json:"changed"`
	Rejected []rejectedRowOut `json:"rejected"`
}

// rejectedRowOut is a row of the workbook that needs changes.
type rejectedRowOut struct {
	Row      int               `json:"row"`
	Code     string            `json:"code"`
	Problems map[string]string `json:"problems"`
}

// MaxImport is the most standards one workbook may hold.
const MaxImport = 1000

func (s *Handlers) runImport(r *http.Request) (importResult, error) {
	a, _ := core.ActorOf(r)
	file, err := core.ImportFile(r)
	if err != nil {
		return importResult{}, err
	}
	rows, lines, err := sheet.ReadCatalogue(file, MaxImport)
	if err != nil {
		return importResult{}, err
	}
	added, changed, problems, err := s.catalogue.Import(r.Context(), a, rows, lines)
	out := importResult{Applied: err == nil, Added: added, Changed: changed, Rejected: []rejectedRowOut{}}
	if err == cataloguedb.ErrImport {
		for _, p := range problems {
			out.Rejected = append(out.Rejected, rejectedRowOut{Row: p.Row, Code: p.Code, Problems: core.FieldErrors(p.Fields, core.LangOf(r))})
		}
		return out, nil
	}
	return out, err
}

type importData struct {
	core.Base
	Result *importResult
}

func (s *Handlers) importPage(w http.ResponseWriter, r *http.Request) error {
	p := &importData{}
	p.Title = s.T(core.LangOf(r), "cat.import")
	s.Render(w, r, http.StatusOK, "catalogue_import", p)
	return nil
}

func (s *Handlers) importPost(w http.ResponseWriter, r *http.Request) error {
	res, err := s.runImport(r)
	p := &importData{}
	p.Title = s.T(core.LangOf(r), "cat.import")
	code := http.StatusOK
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Kind != fault.Invalid {
			return err
		}
		p.Errors = map[string]string{"file": fe.Message.In(core.LangOf(r))}
		if m, ok := fe.Fields["file"]; ok {
			p.Errors["file"] = m.In(core.LangOf(r))
		}
		code = http.StatusUnprocessableEntity
	} else {
		p.Result = &res
		if !res.Applied {
			code = http.StatusUnprocessableEntity
		}
	}
	s.Render(w, r, code, "catalogue_import", p)
	return nil
}

// useRow is a standard's use in a period.
type useRow struct {
	catalogue.Use
	Name, NameEn string
	Rate         string // on-time rate, "—" when none closed
}

type useData struct {
	core.Base
	From, To string // months, YYYY-MM
	Rows     []useRow
	Unused   []catalogue.Standard
	Requests int
}

// usePeriod reads the months of a period (from, to inclusive), by default
// the year so far.
func (s *Handlers) usePeriod(r *http.Request) (from, to time.Time, fromText, toText string, err error) {
	now := s.store.Now().In(calendar.Shanghai)
	fromText, toText = r.URL.Query().Get("from"), r.URL.Query().Get("to")
	if fromText == "" {
		fromText = now.Format("2006") + "-01"
	}
	if toText == "" {
		toText = now.Format("2006-01")
	}
	from, err1 := time.ParseInLocation("2006-01", fromText, calendar.Shanghai)
	last, err2 := time.ParseInLocation("2006-01", toText, calendar.Shanghai)
	if err1 != nil || err2 != nil || last.Before(from) {
		return from, to, fromText, toText, fault.Fields{"from": {Zh: "请按 年-月 选择起止月份", En: "choose the months as YYYY-MM"}}.Err()
	}
	return from, last.AddDate(0, 1, 0), fromText, toText, nil
}

// use joins the appeals' counts per standard with the catalogue: every
// standard in force with its counts, and those nobody asked for.
func (s *Handlers) use(r *http.Request) (useData, error) {
	a, _ := core.ActorOf(r)
	var p useData
	from, to, ft, tt, err := s.usePeriod(r)
	p.From, p.To = ft, tt
	if err != nil {
		return p, err
	}
	counts, err := s.appeals.StandardUse(r.Context(), a, r.URL.Query().Get("region"), from, to)
	if err != nil {
		return p, err
	}
	list, err := s.catalogue.Catalogue(r.Context())
	if err != nil {
		return p, err
	}
	byCode := map[string]catalogue.Use{}
	for _, u := range counts {
		byCode[u.Code] = u
	}
	for _, st := range list {
		u, ok := byCode[st.Code]
		if !ok {
			if st.InForce(s.today()) {
				p.Unused = append(p.Unused, st)
			}
			continue
		}
		row := useRow{Use: u, Name: st.Name, NameEn: st.NameEn, Rate: "—"}
		if r := u.OnTimeRate(); r >= 0 {
			row.Rate = strconv.FormatFloat(r, 'f', 1, 64) + "%"
		}
		p.Rows = append(p.Rows, row)
		p.Requests += u.Requests
	}
	return p, nil
}

func (s *Handlers) usePage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.use(r)
	code := http.StatusOK
	if err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		p.Errors = msgs
		code = http.StatusUnprocessableEntity
	}
	p.Title = s.T(core.LangOf(r), "cat.use")
	s.Render(w, r, code, "catalogue_use", &p)
	return nil
}

type providersData struct {
	core.Base
	Items     []catalogue.Provider
	Kinds     []catalogue.ProviderKind
	MayManage bool
	Edit      catalogue.Provider // the provider in the form: a new one, or one to change (its version set)
}

// providersPage is the directory of service providers.
func (s *Handlers) providersPage(w http.ResponseWriter, r *http.Request) error {
	p := &providersData{Edit: catalogue.Provider{Kind: catalogue.Social}}
	if code := r.URL.Query().Get("edit"); code != "" {
		list, err := s.catalogue.Providers(r.Context())
		if err != nil {
			return err
		}
		for _, pr := range list {
			if pr.Code == code {
				p.Edit = pr
			}
		}
	}
	return s.showProviders(w, r, p, http.StatusOK)
}

func (s *Handlers) showProviders(w http.ResponseWriter, r *http.Request, p *providersData, code int) error {
	a, _ := core.ActorOf(r)
	var err error
	if p.Items, err = s.catalogue.Providers(r.Context()); err != nil {
		return err
	}
	p.Kinds, p.MayManage = catalogue.ProviderKinds, access.May(a.Role, access.CatalogueManage)
	p.Title = s.T(core.LangOf(r), "cat.providers")
	s.Render(w, r, code, "providers", p)
	return nil
}

// saveProviderPage adds a provider or changes one (its code and version in the form).
func (s *Handlers) saveProviderPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64)
	in := catalogue.Provider{Code: r.FormValue("code"), Kind: catalogue.ProviderKind(r.FormValue("kind")), Name: r.FormValue("name"),
		NameEn: r.FormValue("name_en"), Contact: r.FormValue("contact"), Phone: r.FormValue("phone"), Address: r.FormValue("address")}
	if _, err := s.catalogue.SaveProvider(r.Context(), a, in, version); err != nil {
		msgs, ferr := core.FormErrors(err, core.LangOf(r))
		if ferr != nil {
			return ferr
		}
		in.Version = version
		p := &providersData{Edit: in}
		p.Errors = msgs
		return s.showProviders(w, r, p, http.StatusUnprocessableEntity)
	}
	s.Done(w, r, "/providers", "flash.saved", "")
	return nil
}
