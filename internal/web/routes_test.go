package web

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"qifu/internal/access"
	"qifu/internal/enterprise"
	"qifu/internal/sheet"
	"qifu/internal/web/core"
)

// publicRoutes are the only routes anyone may call without signing in.
var publicRoutes = map[string]bool{
	"GET /healthz": true, "GET /readyz": true, "GET /metrics": true,
	"GET /login": true, "POST /login": true, "POST /lang": true,
	"GET /api/v1/openapi.json": true, "POST /api/v1/login": true,
	// The worker lent through the turnover pool has no account: a one-time
	// code opens their page, whose token is the cookie (or the API's header).
	"GET /w": true, "POST /w": true, "GET /w/me": true, "POST /w/me/answer": true, "POST /w/me/withdraw": true,
	"POST /w/me/complain": true, "POST /w/me/extension": true, "POST /w/me/rate": true,
	"POST /api/v1/pool/me/redeem": true, "GET /api/v1/pool/me": true, "POST /api/v1/pool/me/answer": true,
	"POST /api/v1/pool/me/withdraw": true, "POST /api/v1/pool/me/complain": true, "POST /api/v1/pool/me/extension": true,
	"POST /api/v1/pool/me/rate": true,
}

// auditedReads are the GET routes that write to the audit log: an export
// hands out many records at once, so each is recorded (one entry).
var auditedReads = map[string]bool{
	"GET /enterprises/export.xlsx":      true,
	"GET /api/v1/enterprises/export":    true,
	"GET /appeals/export.xlsx":          true,
	"GET /campaigns/{id}/export.xlsx":   true,
	"GET /api/v1/campaigns/{id}/export": true,
	"GET /users/{id}":                   true, // an administrator sees the full phone
	"GET /api/v1/users/{id}":            true,
	// The hand-over to the official platform and the payment list hand out
	// a benefit's claims with the enterprises' bank accounts.
	"GET /api/v1/policy/benefits/{id}/handover": true,
	"GET /api/v1/policy/benefits/{id}/pay.xlsx": true,
	// The rates' workbook lists every member in reach with its report.
	"GET /resumption/campaigns/{id}/export.xlsx": true,
}

// TestRoutesDeclarePolicy checks the route table: every route is
// summarised, says who may call it and which action it exercises, is
// registered once, and no GET changes anything, which the audit log would
// show.
func TestRoutesDeclarePolicy(t *testing.T) {
	seen := map[string]bool{}
	for _, rt := range (&Server{}).routes() {
		key := rt.Method + " " + rt.Path
		if strings.TrimSpace(rt.Summary) == "" {
			t.Errorf("%s has no summary", key)
		}
		if rt.H == nil {
			t.Errorf("%s has no handler", key)
		}
		switch rt.Auth {
		case core.Public:
			if !publicRoutes[key] {
				t.Errorf("%s is public but not one of the public routes", key)
			}
			if rt.Action != "" {
				t.Errorf("%s is public but exercises %s", key, rt.Action)
			}
		case core.SignedIn, core.Gated:
			if publicRoutes[key] {
				t.Errorf("%s should be public", key)
			}
		default:
			t.Errorf("%s has no policy (%d)", key, rt.Auth)
		}
		if rt.Action != "" && !slices.Contains(access.Actions, rt.Action) {
			t.Errorf("%s exercises %q, which is not in the permission table", key, rt.Action)
		}
		if rt.Auth == core.Gated && rt.Action == "" {
			t.Errorf("%s is gated but names no action", key)
		}
		if rt.Auth != core.Public && rt.Action == "" && !ownThings(rt.Path) {
			t.Errorf("%s names no action but is not about the caller's own things", key)
		}
		if seen[key] {
			t.Errorf("%s is registered twice", key)
		}
		seen[key] = true
	}
	for key := range publicRoutes {
		if !seen[key] {
			t.Errorf("public route %s is not in the table", key)
		}
	}

	eachStore(t, func(t *testing.T, s *site) {
		// An import report of the administrator's, to download.
		var book bytes.Buffer
		bad := newInput(showGrid)
		bad.Phone = "12345"
		if err := sheet.WriteEnterprises(&book, []enterprise.Enterprise{bad.enterprise()}); err != nil {
			t.Fatal(err)
		}
		res := s.as(t, "admin", "POST", "/api/v1/enterprises/import", multipartBody(book.Bytes(), nil))
		var imp importResult
		res.json(t, &imp)
		if imp.ReportURL == "" {
			t.Fatalf("import with a bad row: %d %s", res.code, res.body)
		}
		s.login(t, "auditor")

		id := s.entID(t, dataset.Enterprises[0].CreditCode)
		paths := strings.NewReplacer("{id}", fmt.Sprint(id), "{code}", showGrid, "{credit}", dataset.Enterprises[0].CreditCode, "{$}", "", "{standard}", "S03", "{provider}", "union")
		appealID := s.raise(t, "路由检查").ID
		service := s.serviceAccount(t, fmt.Sprintf("sys%d", codeSeq.Add(1)))
		fileID := s.attachFile(t, "enterprise", appealID).ID
		formID, campaignID := s.sendSurvey(t)
		showEntID := s.entID(t, demoAccount("enterprise").EnterpriseCode)
		fileID2 := s.uploadSurveyFile(t, campaignID, showEntID)
		vis, topicID := s.topicVisit(t, "grid", showEntID) // a visit with a common problem
		photoID := s.visitPhoto(t, "grid", vis.ID)
		dayID := s.serviceDay(t).ID
		s.dayProblem(t, dayID)
		pf := s.poolFixture(t)        // a loan of the turnover pool on site, with a sealed scan and a sheet
		ppf := s.policyFixture(t)     // a published policy with its benefits, claims, notice, resource and request
		rsf := s.resumptionFixture(t) // a monitoring and a checklist campaign with reports, a flag, a block, an application and findings
		for _, rt := range (&Server{}).routes() {
			if rt.Method != "GET" {
				continue
			}
			key := rt.Method + " " + rt.Path
			path := paths.Replace(rt.Path)
			switch {
			case strings.HasPrefix(rt.Path, "/visits/{id}"), strings.HasPrefix(rt.Path, "/api/v1/visits/{id}"):
				path = strings.NewReplacer("{id}", fmt.Sprint(vis.ID), "{photo}", fmt.Sprint(photoID)).Replace(rt.Path)
			case strings.HasPrefix(rt.Path, "/topics/{id}"), strings.HasPrefix(rt.Path, "/api/v1/topics/{id}"):
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(topicID), 1)
			case strings.HasPrefix(rt.Path, "/service-days/{id}"), strings.HasPrefix(rt.Path, "/api/v1/service-days/{id}"):
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(dayID), 1)
			case rt.Path == "/visits/new", rt.Path == "/api/v1/visits/prefill", rt.Path == "/topics/new":
				path = fmt.Sprintf("%s?enterprise=%d", rt.Path, showEntID)
			case rt.Path == "/api/v1/visits/coverage/{list}":
				path = "/api/v1/visits/coverage/unvisited"
			case strings.HasPrefix(rt.Path, "/imports/"):
				path = imp.ReportURL
			case strings.HasSuffix(rt.Path, "/tokens"):
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(service), 1)
			case strings.HasPrefix(rt.Path, "/users/{id}"), strings.HasPrefix(rt.Path, "/api/v1/users/{id}"):
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(s.userID(t, "grid")), 1)
			case strings.HasPrefix(rt.Path, "/appeals/{id}"), strings.HasPrefix(rt.Path, "/api/v1/appeals/{id}"):
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(appealID), 1)
			case strings.HasPrefix(rt.Path, "/attachments/{id}"), strings.HasPrefix(rt.Path, "/api/v1/attachments/{id}"):
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(fileID), 1)
			case strings.HasPrefix(rt.Path, "/forms/{id}"), strings.HasPrefix(rt.Path, "/api/v1/forms/{id}"):
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(formID), 1)
			case strings.HasPrefix(rt.Path, "/campaigns/{id}"), strings.HasPrefix(rt.Path, "/api/v1/campaigns/{id}"):
				path = strings.Replace(rt.Path, "{id}", fmt.Sprint(campaignID), 1)
			case strings.HasPrefix(rt.Path, "/surveys"), strings.HasPrefix(rt.Path, "/api/v1/surveys"):
				path = strings.NewReplacer("{id}", fmt.Sprint(campaignID), "{file}", fmt.Sprint(fileID2)).Replace(rt.Path) +
					fmt.Sprintf("?enterprise=%d", showEntID)
			}
			if p, ok := poolPath(pf, rt.Path); ok {
				path = p
			}
			if p, ok := policyPath(ppf, rt.Path); ok {
				path = p
			}
			if p, ok := resumptionPath(rsf, rt.Path); ok {
				path = p
			}
			// The worker's own page opens with the token of their browser
			// (the administrator's session alone is sent to /w).
			var header []string
			if rt.Path == "/w/me" || rt.Path == "/api/v1/pool/me" {
				header = workerHeader(rt.Path, pf.token())
			}
			who := "admin" // may do everything but read the audit log
			if rt.Action == access.AuditRead {
				who = "auditor"
			}
			before := s.auditTotal(t, "")
			if rt.Path == "/login/code" {
				continue // shown only to a session that owes a code (TestSecondFactor)
			}
			res := s.as(t, who, "GET", path, nil, header...)
			if res.code != http.StatusOK {
				t.Errorf("%s as %s: %d %.200s", path, who, res.code, res.body)
			}
			want := 0
			if auditedReads[key] {
				want = 1
			}
			if n := s.auditTotal(t, ""); n != before+want {
				t.Errorf("GET %s as %s wrote %d audit entries, want %d", path, who, n-before, want)
			}
		}
	})
}

// ownThings reports whether a path is about the caller's own session,
// account, tokens or inbox, or the home page, where no domain action applies.
func ownThings(path string) bool {
	for _, p := range []string{"/logout", "/{$}", "/account", "/api/v1/me", "/api/v1/tokens", "/inbox", "/api/v1/inbox", "/todo", "/api/v1/todos",
		"/login/code", "/api/v1/login/code"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// openAPI is the part of the OpenAPI document the test reads.
type openAPI struct {
	OpenAPI string `json:"openapi"`
	Paths   map[string]map[string]struct {
		Summary    string                 `json:"summary"`
		Security   *[]map[string][]string `json:"security"`
		Parameters []struct {
			Name string `json:"name"`
			In   string `json:"in"`
		} `json:"parameters"`
	} `json:"paths"`
	Components struct {
		SecuritySchemes map[string]any `json:"securitySchemes"`
	} `json:"components"`
}

// TestOpenAPIMatchesRoutes checks that the served OpenAPI document lists
// exactly the API routes of the table, with security where a user is needed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	eachStore(t, func(t *testing.T, s *site) {
		res := s.call(t, "GET", "/api/v1/openapi.json", nil, nil)
		if res.code != http.StatusOK {
			t.Fatalf("openapi.json: %d", res.code)
		}
		var doc openAPI
		res.json(t, &doc)
		if !strings.HasPrefix(doc.OpenAPI, "3.") {
			t.Errorf("openapi %q, want 3.x", doc.OpenAPI)
		}

		routes := map[string]core.Route{}
		for _, rt := range (&Server{}).routes() {
			if strings.HasPrefix(rt.Path, "/api/v1/") {
				routes[rt.Method+" "+rt.Path] = rt
			}
		}
		var documented []string
		for path, ops := range doc.Paths {
			// The actions are one operation each: /actions/accept is the
			// route /actions/{action}.
			route, spread := path, false
			if i := strings.Index(path, "/actions/"); i >= 0 {
				route, spread = path[:i]+"/actions/{action}", true
			}
			for method, op := range ops {
				key := strings.ToUpper(method) + " " + route
				if !slices.Contains(documented, key) {
					documented = append(documented, key)
				}
				rt, ok := routes[key]
				if !ok {
					t.Errorf("the document has %s %s, the routes do not", method, path)
					continue
				}
				if op.Summary != rt.Summary && !spread {
					t.Errorf("%s: summary %q, want %q", key, op.Summary, rt.Summary)
				}
				if op.Security == nil {
					t.Errorf("%s declares no security", key)
				} else if (rt.Auth != core.Public) != (len(*op.Security) > 0) {
					t.Errorf("%s: security %v for a %s route", key, *op.Security, map[core.Policy]string{core.Public: "public", core.SignedIn: "signed-in", core.Gated: "gated"}[rt.Auth])
				} else {
					for _, req := range *op.Security {
						for scheme := range req {
							if doc.Components.SecuritySchemes[scheme] == nil {
								t.Errorf("%s: security scheme %q is not defined", key, scheme)
							}
						}
					}
				}
				var params []string
				for _, p := range op.Parameters {
					if p.In == "path" {
						params = append(params, "{"+p.Name+"}")
					}
				}
				for _, m := range regexp.MustCompile(`\{([a-z]+)\}`).FindAllString(path, -1) {
					if !slices.Contains(params, m) {
						t.Errorf("%s: path parameter %s is not declared", key, m)
					}
				}
			}
		}
		var want []string
		for key := range routes {
			want = append(want, key)
		}
		sort.Strings(documented)
		sort.Strings(want)
		if !slices.Equal(documented, want) {
			t.Errorf("documented operations\n%v\nwant the API routes\n%v", documented, want)
		}
	})
}
