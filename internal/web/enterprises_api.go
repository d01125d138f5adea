package web

import (
	"context"
	"net/http"
	"time"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/store"
	"qifu/internal/web/core"
)

// enterpriseJSON is an enterprise in the API.
type enterpriseJSON struct {
	ID              int64                `json:"id"`
	CreditCode      string               `json:"credit_code"`
	CodeUnconfirmed bool                 `json:"code_unconfirmed"`
	Name            string               `json:"name"`
	LegalRep        string               `json:"legal_rep"`
	Contact         string               `json:"contact"`
	Phone           string               `json:"phone"`
	Address         string               `json:"address"`
	GridCode        string               `json:"grid_code"`
	CommunityCode   string               `json:"community_code"`
	StreetCode      string               `json:"street_code"`
	DistrictCode    string               `json:"district_code"`
	CityCode        string               `json:"city_code"`
	Industry        string               `json:"industry"`
	Employees       int                  `json:"employees"`
	Revenue         int64                `json:"revenue_yuan"`
	Size            enterprise.SizeClass `json:"size"`
	ForeignTrade    bool                 `json:"foreign_trade"`
	KeyLevel        enterprise.KeyLevel  `json:"key_level"`
	PartyBranch     string               `json:"party_branch"`
	Tags            []string             `json:"tags"`
	CreatedAt       time.Time            `json:"created_at"`
	UpdatedAt       time.Time            `json:"updated_at"`
	Version         int64                `json:"version"`
}

func toEnterpriseJSON(e enterprise.Enterprise) enterpriseJSON {
	tags := e.Tags
	if tags == nil {
		tags = []string{}
	}
	return enterpriseJSON{ID: e.ID, CreditCode: e.CreditCode, CodeUnconfirmed: e.CodeUnconfirmed, Name: e.Name,
		LegalRep: e.LegalRep, Contact: e.Contact, Phone: e.Phone, Address: e.Address, GridCode: e.GridCode,
		CommunityCode: e.CommunityCode, StreetCode: e.StreetCode, DistrictCode: e.DistrictCode, CityCode: e.CityCode,
		Industry: e.Industry, Employees: e.Employees, Revenue: e.Revenue, Size: e.Size, ForeignTrade: e.ForeignTrade,
		KeyLevel: e.KeyLevel, PartyBranch: e.PartyBranch, Tags: tags, CreatedAt: e.CreatedAt.UTC(),
		UpdatedAt: e.UpdatedAt.UTC(), Version: e.Version}
}

// enterpriseInput is what a client may set on an enterprise. Derived and
// server-kept fields (size, region codes, timestamps) are not accepted.
type enterpriseInput struct {
	CreditCode   string              `json:"credit_code"`
	Name         string              `json:"name"`
	LegalRep     string              `json:"legal_rep"`
	Contact      string              `json:"contact"`
	Phone        string              `json:"phone"`
	Address      string              `json:"address"`
	GridCode     string              `json:"grid_code"`
	Industry     string              `json:"industry"`
	Employees    int                 `json:"employees"`
	Revenue      int64               `json:"revenue_yuan"`
	ForeignTrade bool                `json:"foreign_trade"`
	KeyLevel     enterprise.KeyLevel `json:"key_level"`
	PartyBranch  string              `json:"party_branch"`
	Tags         []string            `json:"tags"`
	Version      int64               `json:"version,omitempty"` // required on update
}

func (in enterpriseInput) enterprise() enterprise.Enterprise {
	return enterprise.Enterprise{CreditCode: in.CreditCode, Name: in.Name, LegalRep: in.LegalRep, Contact: in.Contact,
		Phone: in.Phone, Address: in.Address, GridCode: in.GridCode, Industry: in.Industry, Employees: in.Employees,
		Revenue: in.Revenue, ForeignTrade: in.ForeignTrade, KeyLevel: in.KeyLevel, PartyBranch: in.PartyBranch, Tags: in.Tags}
}

// enterpriseQuery reads the list filters shared by pages and API.
func enterpriseQuery(r *http.Request) store.EnterpriseQuery {
	q := r.URL.Query()
	return store.EnterpriseQuery{
		Region: q.Get("region"), Industry: q.Get("industry"), Size: enterprise.SizeClass(q.Get("class")),
		KeyLevel: q.Get("key"), ForeignTrade: q.Get("foreign"), Tag: q.Get("tag"), Text: q.Get("q"),
		Unconfirmed: q.Get("unconfirmed") == "1", Page: core.PageOf(r),
	}
}

func (s *Server) apiEnterprises(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	q := enterpriseQuery(r)
	list, total, err := s.store.Enterprises(r.Context(), a, q)
	if err != nil {
		return err
	}
	out := core.List[enterpriseJSON]{Items: []enterpriseJSON{}, Total: total, Page: q.Page.Number, Size: core.PageSize(q.Page)}
	for _, e := range list {
		out.Items = append(out.Items, toEnterpriseJSON(e))
	}
	core.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiEnterprise(w http.ResponseWriter, r *http.Request) error {
	return s.oneEnterprise(w, r, s.store.Enterprise)
}

func (s *Server) apiRevealEnterprise(w http.ResponseWriter, r *http.Request) error {
	return s.oneEnterprise(w, r, s.store.RevealEnterprise)
}

func (s *Server) oneEnterprise(w http.ResponseWriter, r *http.Request,
	get func(ctx context.Context, a access.Actor, id int64) (enterprise.Enterprise, error)) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := get(r.Context(), a, id)
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, toEnterpriseJSON(e))
	return nil
}

func (s *Server) apiCreateEnterprise(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	var in enterpriseInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	e, err := s.store.CreateEnterprise(r.Context(), a, in.enterprise())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/enterprises/"+itoa(e.ID))
	core.WriteJSON(w, http.StatusCreated, toEnterpriseJSON(e))
	return nil
}

func (s *Server) apiUpdateEnterprise(w http.ResponseWriter, r *http.Request) error {
	a, _ := core.ActorOf(r)
	id, err := core.PathID(r, "id")
	if err != nil {
		return err
	}
	var in enterpriseInput
	if err := core.Decode(r, &in); err != nil {
		return err
	}
	if in.Version <= 0 {
		return core.ErrVersionRequired
	}
	e, err := s.store.UpdateEnterprise(r.Context(), a, id, in.Version, in.enterprise())
	if err != nil {
		return err
	}
	core.WriteJSON(w, http.StatusOK, toEnterpriseJSON(e))
	return nil
}
