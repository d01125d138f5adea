package web

import (
	"net/http"
	"strconv"
	"strings"

	"qifu/internal/access"
	"qifu/internal/department"
	"qifu/internal/fault"
	"qifu/internal/place"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// regionJSON is a region in the API.
type regionJSON struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Level      place.Level `json:"level"`
	ParentCode string      `json:"parent_code,omitempty"`
	Industrial bool        `json:"industrial,omitempty"`
	WorkerID   int64       `json:"worker_id,omitempty"`
}

// gridJSON is a grid with its load.
type gridJSON struct {
	regionJSON
	Enterprises int    `json:"enterprises"`
	WorkerName  string `json:"worker_name,omitempty"`
	OutsideNorm bool   `json:"outside_norm"`
}

func toRegionJSON(r place.Region) regionJSON {
	return regionJSON{Code: r.Code, Name: r.Name, Level: r.Level, ParentCode: r.ParentCode, Industrial: r.Industrial, WorkerID: r.WorkerID}
}

func (s *Server) apiRegions(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	// ?under= a region's subtree, ?depth= down to a level (1 city … 5 grid).
	var q store.RegionQuery
	f := fault.Fields{}
	if q.Under = r.URL.Query().Get("under"); q.Under != "" && place.CheckCode(q.Under, place.LevelOf(q.Under)) != nil {
		f.Add("under", "under 应为区划代码（6、9、12 或 15 位）", "under must be a region code (6, 9, 12 or 15 digits)")
	}
	if d := r.URL.Query().Get("depth"); d != "" {
		n, err := strconv.Atoi(d)
		if q.Deepest = place.Level(n); err != nil || !q.Deepest.Valid() {
			f.Add("depth", "depth 应为 1（市）到 5（网格）", "depth must be 1 (city) to 5 (grid)")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	list, err := s.store.Regions(r.Context(), a, q)
	if err != nil {
		return err
	}
	out := make([]regionJSON, 0, len(list))
	for _, reg := range list {
		out = append(out, toRegionJSON(reg))
	}
	core.WriteJSON(w, http.StatusOK, core.Items[regionJSON]{Items: out})
	return nil
}

// gridsJSON are grids with their loads and the norm of a grid's load.
type gridsJSON struct {
	Items []gridJSON `json:"items"`
	Norm  struct {
		Min int `json:"min"`
		Max int `json:"max"`
	} `json:"norm"`
}

// workerInput names a grid's worker.
type workerInput struct {
	UserID int64 `json:"user_id"`
}

// gridWorkerJSON is a grid and its worker.
type gridWorkerJSON struct {
	Grid     string `json:"grid"`
	WorkerID int64  `json:"worker_id"`
}

func (s *Server) apiGrids(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	list, err := s.store.GridLoads(r.Context(), a, r.URL.Query().Get("under"))
	if err != nil {
		return err
	}
	out := make([]gridJSON, 0, len(list))
	for _, g := range list {
		if r.URL.Query().Get("outside_norm") == "true" && !g.OutsideNorm {
			continue
		}
		out = append(out, gridJSON{regionJSON: toRegionJSON(g.Region), Enterprises: g.Enterprises,
			WorkerName: g.WorkerName, OutsideNorm: g.OutsideNorm})
	}
	res := gridsJSON{Items: out}
	res.Norm.Min, res.Norm.Max = place.GridNormMin, place.GridNormMax
	core.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) apiSetGridWorker(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in workerInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if err := s.store.SetGridWorker(r.Context(), a, r.PathValue("code"), in.UserID); err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, gridWorkerJSON{Grid: r.PathValue("code"), WorkerID: in.UserID})
	return nil
}

// placesPageData is the region tree with grid loads.
type placesPageData struct {
	core.Base
	Nodes     []placeNode
	Region    string // the region the tree is opened at (?region=)
	Bounded   bool   // the tree is too large to show whole: only around Region
	Outside   int
	NoWorker  int
	CanManage bool
	Workers   []workerOption
	OnlyOut   bool
}

// placeNode is one line of the tree.
type placeNode struct {
	place.Region
	Depth       int
	Closed      bool // its children are left out (Bounded): a link opens them
	Enterprises int
	WorkerName  string
	OutsideNorm bool
	Grid        bool
}

type workerOption struct {
	ID   int64
	Name string
}

func (s *Server) placesPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	sum, err := s.store.GridSummary(r.Context(), a, "", 0)
	if err != nil {
		return err
	}
	p := &placesPageData{CanManage: access.May(a.Role, access.RegionManage), OnlyOut: r.URL.Query().Get("outside") == "1",
		Outside: sum.Outside, NoWorker: sum.NoWorker}
	// Leaders and staff see their part of the tree: their region, its
	// ancestors for orientation, and everything below it; a large tree is
	// shown around the chosen region, by default the actor's own.
	q := store.RegionQuery{}
	p.Region = r.URL.Query().Get("region")
	selected := p.Region
	if f := access.FilterFor(a, access.EnterpriseRead); f.Reach == access.Region {
		q = store.RegionQuery{Under: f.Code, Ancestors: true}
		if selected == "" {
			selected = f.Code
		}
	}
	nodes, bounded, err := s.RegionTree(r.Context(), a, q, selected, core.RegionsShownMax, false)
	if err != nil {
		return err
	}
	p.Bounded = bounded
	var shownGrids []string
	for _, tn := range nodes {
		if tn.Level == place.Grid {
			shownGrids = append(shownGrids, tn.Code)
		}
	}
	grids, err := s.store.GridLoadsOf(r.Context(), a, shownGrids)
	if err != nil {
		return err
	}
	load := map[string]store.GridLoad{}
	for _, g := range grids {
		load[g.Code] = g
	}
	for _, tn := range nodes {
		n := placeNode{Region: tn.Region, Depth: tn.Depth, Closed: tn.Closed, Grid: tn.Level == place.Grid}
		if g, ok := load[tn.Code]; ok {
			n.Enterprises, n.WorkerName, n.OutsideNorm = g.Enterprises, g.WorkerName, g.OutsideNorm
		}
		if !p.OnlyOut || !n.Grid || n.OutsideNorm {
			p.Nodes = append(p.Nodes, n)
		}
	}
	if p.CanManage {
		users, _, err := s.store.Users(r.Context(), a, store.UserQuery{Role: access.RoleGridWorker, Page: store.Page{Size: store.MaxPageSize}})
		if err == nil {
			for _, u := range users {
				p.Workers = append(p.Workers, workerOption{ID: u.ID, Name: u.Name + " (" + u.Username + ")"})
			}
		}
	}
	p.Title = s.T(core.LangOf(r), "places.title")
	s.Render(w, r, http.StatusOK, "places", p)
	return nil
}

func (s *Server) setGridWorkerPage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, _ := strconv.ParseInt(r.FormValue("user_id"), 10, 64)
	if err := s.store.SetGridWorker(r.Context(), a, r.PathValue("code"), id); err != nil {
		return err
	}
	s.Done(w, r, "/places#"+r.PathValue("code"), "flash.saved", "")
	return nil
}

// departmentJSON is a department in the API.
type departmentJSON struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	NameEn     string `json:"name_en"`
	RegionCode string `json:"region_code"`
	Phone      string `json:"phone"`
	Staff      int    `json:"staff"`
	// Offices are its local offices (分局, 所).
	Offices []officeJSON `json:"offices"`
}

// officeJSON is a department's office.
type officeJSON struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	NameEn     string `json:"name_en,omitempty"`
	RegionCode string `json:"region_code,omitempty"`
}

// officeInput is an office to add to a department.
type officeInput struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	NameEn     string `json:"name_en,omitempty"`
	RegionCode string `json:"region_code,omitempty"`
}

func toOfficeJSON(o department.Office) officeJSON {
	return officeJSON{ID: o.ID, Code: o.Code, Name: o.Name, NameEn: o.NameEn, RegionCode: o.RegionCode}
}

// officesOf groups the offices by department.
func (s *Server) officesOf(r *http.Request) (map[int64][]department.Office, error) {
	list, err := s.store.Offices(r.Context())
	if err != nil {
		return nil, err
	}
	out := map[int64][]department.Office{}
	for _, o := range list {
		out[o.DepartmentID] = append(out[o.DepartmentID], o)
	}
	return out, nil
}

func (s *Server) apiCreateOffice(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in officeInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	o, err := s.store.CreateOffice(r.Context(), a, department.Office{DepartmentID: id, Code: in.Code, Name: in.Name, NameEn: in.NameEn, RegionCode: in.RegionCode})
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusCreated, toOfficeJSON(o))
	return nil
}

func (s *Server) createOfficePage(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	_, err = s.store.CreateOffice(r.Context(), a, department.Office{DepartmentID: id, Code: r.FormValue("code"), Name: r.FormValue("name"),
		NameEn: r.FormValue("name_en"), RegionCode: strings.TrimSpace(r.FormValue("region_code"))})
	if err != nil {
		msgs, err := core.FormErrors(err, core.LangOf(r))
		if err != nil {
			return err
		}
		list, staff, err := s.departments(r)
		if err != nil {
			return err
		}
		offices, err := s.officesOf(r)
		if err != nil {
			return err
		}
		p := &departmentsPageData{Items: list, Staff: staff, Offices: offices, CanManage: true, Failed: id}
		p.Title, p.Errors = s.T(core.LangOf(r), "dept.title"), msgs
		s.Render(w, r, http.StatusUnprocessableEntity, "departments", p)
		return nil
	}
	s.Done(w, r, "/departments", "flash.saved", "")
	return nil
}

func (s *Server) departments(r *http.Request) ([]department.Department, map[int64]int, error) {
	a, _ := core.ActorOf(r)
	list, err := s.store.Departments(r.Context(), a)
	if err != nil {
		return nil, nil, err
	}
	staff, err := s.store.DepartmentStaffCounts(r.Context())
	return list, staff, err
}

func (s *Server) apiDepartments(w http.ResponseWriter, r *http.Request) error {
	list, staff, err := s.departments(r)
	if err != nil {
		return err
	}
	offices, err := s.officesOf(r)
	if err != nil {
		return err
	}
	out := make([]departmentJSON, 0, len(list))
	for _, d := range list {
		j := departmentJSON{ID: d.ID, Code: d.Code, Name: d.Name, NameEn: d.NameEn, RegionCode: d.RegionCode,
			Phone: d.Phone, Staff: staff[d.ID], Offices: []officeJSON{}}
		for _, o := range offices[d.ID] {
			j.Offices = append(j.Offices, toOfficeJSON(o))
		}
		out = append(out, j)
	}
	core.WriteJSON(w, http.StatusOK, core.Items[departmentJSON]{Items: out})
	return nil
}

// departmentsPageData lists the alliance's departments.
type departmentsPageData struct {
	core.Base
	Items     []department.Department
	Staff     map[int64]int
	Offices   map[int64][]department.Office
	CanManage bool  // may add offices
	Failed    int64 // the department whose office form was refused
}

func (s *Server) departmentsPage(w http.ResponseWriter, r *http.Request) error {
	list, staff, err := s.departments(r)
	if err != nil {
		return err
	}
	a, _ := core.ActorOf(r)
	offices, err := s.officesOf(r)
	if err != nil {
		return err
	}
	p := &departmentsPageData{Items: list, Staff: staff, Offices: offices, CanManage: access.May(a.Role, access.DepartmentManage)}
	p.Title = s.T(core.LangOf(r), "dept.title")
	s.Render(w, r, http.StatusOK, "departments", p)
	return nil
}
