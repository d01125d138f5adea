package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The API document checked against real traffic: every API exchange of
// every test of this package (site.call) is validated against the
// document with kin-openapi — every answer must be one the document
// describes (status, media type, schema), and every request the server
// accepted (2xx) must be one the document allows. A request the server
// refused may break the document's rules (the tests send bad input on
// purpose); its answer must still be the documented error.

var apiDoc struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

// documentRouter loads the document the server serves, validated as
// OpenAPI 3, and a router over it.
func documentRouter() (*openapi3.T, routers.Router, error) {
	apiDoc.once.Do(func() {
		data, err := json.Marshal((&Server{}).openAPIDoc())
		if err != nil {
			apiDoc.err = err
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(data)
		if err != nil {
			apiDoc.err = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			apiDoc.err = err
			return
		}
		apiDoc.doc = doc
		apiDoc.router, apiDoc.err = gorillamux.NewRouter(doc)
	})
	return apiDoc.doc, apiDoc.router, apiDoc.err
}

// checkExchange validates one API exchange against the document.
func checkExchange(t testing.TB, method, path string, header http.Header, reqBody []byte, res result) {
	t.Helper()
	if !strings.HasPrefix(path, "/api/v1/") || strings.HasPrefix(path, "/api/v1/openapi.json") {
		return
	}
	_, router, err := documentRouter()
	if err != nil {
		t.Fatalf("the API document: %v", err)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(reqBody))
	req.Header = header.Clone()
	route, params, err := router.FindRoute(req)
	if err != nil {
		if res.code != http.StatusNotFound && res.code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s answered %d but is not in the API document: %v", method, path, res.code, err)
		}
		return
	}
	multipart := strings.HasPrefix(header.Get("Content-Type"), "multipart/")
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true,
			ExcludeRequestBody: multipart}}
	if res.code/100 == 2 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s was accepted (%d) but the API document does not allow it: %v", method, path, res.code, trimErr(err))
		}
	}
	ctype := res.header.Get("Content-Type")
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.code, Header: res.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			ExcludeResponseBody: ctype != "" && !strings.HasPrefix(ctype, "application/json")}}
	out.SetBodyBytes(res.body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s answered %d %.300s — not as the API document says: %v", method, path, res.code, res.body, trimErr(err))
	}
}

// trimErr keeps a validation error readable: the first lines.
func trimErr(err error) string {
	s := err.Error()
	if lines := strings.SplitN(s, "\n", 6); len(lines) > 5 {
		s = strings.Join(lines[:5], "\n") + " …"
	}
	return s
}

// TestAPIDocumentValid checks the document is valid OpenAPI 3 and that
// every request example in it validates against its own schema.
func TestAPIDocumentValid(t *testing.T) {
	doc, _, err := documentRouter()
	if err != nil {
		t.Fatal(err)
	}
	examples := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			success := false
			for code, r := range op.Responses.Map() {
				if code[0] != '2' {
					continue
				}
				success = true
				if method == http.MethodGet && (r.Value == nil || len(r.Value.Content) == 0) {
					t.Errorf("%s %s: its answer has no schema", method, path)
				}
			}
			if !success {
				t.Errorf("%s %s: no answer of success documented", method, path)
			}
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			mt := op.RequestBody.Value.Content.Get("application/json")
			if mt == nil || mt.Example == nil {
				continue
			}
			examples++
			if err := mt.Schema.Value.VisitJSON(mt.Example); err != nil {
				t.Errorf("%s %s: the example does not validate: %v", method, path, trimErr(err))
			}
		}
	}
	if examples < 10 {
		t.Errorf("%d request examples, want one on every JSON body but the actions'", examples)
	}
}

// TestIntegratorWalk walks an appeal through its whole path as a client
// written from the API document alone would: each step's body holds the
// fields the document requires of that action (and nothing it does not
// list), the values taken from what the client knows — the appeal's last
// version, the department list, its own words. A field the document asks
// for that such a client cannot know fails the test, as does a step the
// document does not list.
func TestIntegratorWalk(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		var doc struct {
			Paths map[string]map[string]struct {
				RequestBody struct {
					Content map[string]struct {
						Schema struct {
							Required   []string       `json:"required"`
							Properties map[string]any `json:"properties"`
							Ref        string         `json:"$ref"`
						} `json:"schema"`
						Example json.RawMessage `json:"example"`
					} `json:"content"`
				} `json:"requestBody"`
			} `json:"paths"`
		}
		s.call(t, "GET", "/api/v1/openapi.json", nil, nil).json(t, &doc)

		// Raising: the document's example, with the client's own enterprise and title.
		create, ok := doc.Paths["/api/v1/appeals"]["post"]
		if !ok || len(create.RequestBody.Content["application/json"].Example) == 0 {
			t.Fatal("the document has no example of raising an appeal")
		}
		var in map[string]any
		if err := json.Unmarshal(create.RequestBody.Content["application/json"].Example, &in); err != nil {
			t.Fatal(err)
		}
		in["credit_code"] = demoAccount("enterprise").EnterpriseCode
		in["title"] = fmt.Sprintf("对接系统的诉求%d", codeSeq.Add(1))
		res := s.as(t, "enterprise", "POST", "/api/v1/appeals", jsonBody(in))
		if res.code != http.StatusCreated {
			t.Fatalf("raise from the document's example: %d %s", res.code, res.body)
		}
		var a struct {
			ID      int64  `json:"id"`
			Version int64  `json:"version"`
			State   string `json:"state"`
		}
		res.json(t, &a)

		var depts struct {
			Items []struct {
				ID   int64  `json:"id"`
				Code string `json:"code"`
			} `json:"items"`
		}
		s.as(t, "community", "GET", "/api/v1/departments", nil).json(t, &depts)
		var hrss int64
		for _, d := range depts.Items {
			if d.Code == "hrss" {
				hrss = d.ID
			}
		}
		known := map[string]any{"note": "已核实情况，请按程序办理。", "lead": hrss, "result": "solved", "rating": "satisfied", "via": "phone"}
		for _, st := range []struct{ who, action, want string }{
			{"community", "accept", "accepted"},
			{"community", "dispatch", "dispatched"},
			{"dept_hrss", "sign", "handling"},
			{"dept_hrss", "reply", "replied"},
			{"enterprise", "rate", "closed"},
		} {
			path := "/api/v1/appeals/{id}/actions/" + st.action
			op, ok := doc.Paths[path]["post"]
			if !ok {
				t.Fatalf("the document has no operation %s", path)
			}
			schema := op.RequestBody.Content["application/json"].Schema
			body := map[string]any{}
			for _, f := range schema.Required {
				switch v, ok := known[f]; {
				case f == "version":
					body[f] = a.Version
				case ok:
					body[f] = v
				default:
					t.Fatalf("%s: the document requires %q, which a client cannot know", st.action, f)
				}
			}
			if _, listed := schema.Properties["note"]; listed {
				body["note"] = known["note"]
			}
			res := s.as(t, st.who, "POST", strings.Replace(path, "{id}", strconv.FormatInt(a.ID, 10), 1), jsonBody(body))
			if res.code != http.StatusOK {
				t.Fatalf("%s as %s with %v: %d %s", st.action, st.who, body, res.code, res.body)
			}
			res.json(t, &a)
			if a.State != st.want {
				t.Fatalf("%s: state %s, want %s", st.action, a.State, st.want)
			}
		}
	})
}

// TestDocumentExamplesAccepted sends the document's example bodies of the
// shared records as they are, on a store of their own (they would change the
// shared one's lists): each is accepted.
func TestDocumentExamplesAccepted(t *testing.T) {
	eachFreshStore(t, func(t *testing.T, s *site) {
		for _, ex := range []struct{ method, path, want string }{
			{"POST", "/api/v1/enterprises", "201"},
			{"POST", "/api/v1/users", "201"},
			{"PUT", "/api/v1/appeal-limits", "200"},
			{"PUT", "/api/v1/appeal-settings", "200"},
			{"PUT", "/api/v1/calendar/days/2027-10-08", "200"},
			{"POST", "/api/v1/tokens", "201"},
		} {
			doc, _, err := documentRouter()
			if err != nil {
				t.Fatal(err)
			}
			path := strings.Replace(ex.path, "2027-10-08", "{date}", 1)
			op := doc.Paths.Find(path).GetOperation(ex.method)
			mt := op.RequestBody.Value.Content.Get("application/json")
			if mt == nil || mt.Example == nil {
				t.Errorf("%s %s: no example", ex.method, path)
				continue
			}
			data, err := json.Marshal(mt.Example)
			if err != nil {
				t.Fatal(err)
			}
			if res := s.as(t, "admin", ex.method, ex.path, &body{data: data, ctype: "application/json"}); strconv.Itoa(res.code) != ex.want {
				t.Errorf("%s %s with the document's example: %d %s", ex.method, ex.path, res.code, res.body)
			}
		}
	})
}
