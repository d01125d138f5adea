package web

import (
	"bytes"
	"net/http"
	"testing"

	"qifu/internal/appeal/appealweb"
)

// TestServiceStandards raises an appeal under a service standard without a
// category: it takes the standard's; the raise form offers the catalogue;
// the API lists the catalogue module's standards in force.
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
		// The catalogue module answers the API: the standards in force, with their texts.
		list := s.standards(t, "community", "")
		if len(list) != 85 {
			t.Errorf("%d service standards in the API, want the demo's 85 in force", len(list))
		}
		for _, st := range list {
			if st.Gets == "" || st.Version < 1 || !st.InForce(catalogueToday()) {
				t.Errorf("standard %s in the API: %+v", st.Code, st)
				break
			}
		}
	})
}
