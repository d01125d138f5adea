package web

import (
	"bytes"
	"net/http"
	"qifu/internal/appeal/appealweb"
	"testing"
)

// TestServiceStandards raises an appeal under a service standard without a
// category: it takes the standard's; the raise form offers the catalogue.
func TestServiceStandards(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		in := appealInput("按服务标准")
		in.Category, in.StandardCode = "", "S03"
		res := s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(in))
		var a appealweb.AppealJSON
		res.json(t, &a)
		if res.code != http.StatusCreated || a.Category != "tax" || a.StandardCode != "S03" {
			t.Fatalf("raise under S03: %d %+v", res.code, a)
		}
		in.StandardCode = "Z99"
		if res := s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(in)); res.code != http.StatusUnprocessableEntity {
			t.Errorf("an unknown standard: %d", res.code)
		}
		if form := s.as(t, "enterprise", "GET", "/appeals/new", nil); !bytes.Contains(form.body, []byte(`value="S03"`)) {
			t.Errorf("the raise form does not offer the service standards")
		}
		var list struct{ Items []map[string]any }
		s.as(t, "community", "GET", "/api/v1/service-standards", nil).json(t, &list)
		if len(list.Items) < 16 {
			t.Errorf("%d service standards in the API", len(list.Items))
		}
	})
}
