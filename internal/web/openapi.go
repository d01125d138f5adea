package web

import (
	"net/http"
	"qifu/internal/web/core"
	"regexp"
	"strings"
)

var pathParam = regexp.MustCompile(`\{([a-z]+)\}`)

// openAPIDoc builds the OpenAPI 3 document from the route table, so the
// document and the routes cannot drift apart.
func (s *Server) openAPIDoc() map[string]any {
	errorSchema := map[string]any{"$ref": "#/components/schemas/Error"}
	paths := map[string]map[string]any{}
	for _, rt := range s.routes() {
		if !strings.HasPrefix(rt.Path, "/api/v1/") {
			continue
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/", "_", "{", "", "}", "").Replace(strings.TrimPrefix(rt.Path, "/api/v1")),
			"responses": map[string]any{
				"200":     map[string]any{"description": "OK"},
				"default": map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": errorSchema}}},
			},
		}
		if rt.Action != "" {
			op["x-qifu-action"] = string(rt.Action)
		}
		if rt.Auth != core.Public {
			op["security"] = []map[string][]string{{"bearer": {}}, {"session": {}}}
		} else {
			op["security"] = []map[string][]string{}
		}
		var params []map[string]any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
		}
		if rt.Method == "GET" && strings.HasSuffix(rt.Path, "s") {
			for _, q := range []string{"page", "size"} {
				params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]string{"type": "integer"}})
			}
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Method == "POST" || rt.Method == "PUT" {
			op["requestBody"] = map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": map[string]string{"type": "object"}}}}
		}
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "qifu API", "version": "1", "description": "企服 — enterprise service platform API. Errors are {\"error\":{\"code\",\"message\",\"fields\"}}."},
		"servers": []map[string]string{{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer":  map[string]string{"type": "http", "scheme": "bearer"},
				"session": map[string]string{"type": "apiKey", "in": "cookie", "name": core.SessionCookie},
			},
			"schemas": map[string]any{
				"Error": map[string]any{"type": "object", "properties": map[string]any{
					"error": map[string]any{"type": "object", "properties": map[string]any{
						"code": map[string]string{"type": "string"}, "message": map[string]string{"type": "string"},
						"fields": map[string]any{"type": "object", "additionalProperties": map[string]string{"type": "string"}},
					}},
				}},
			},
		},
	}
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	core.WriteJSON(w, http.StatusOK, s.openAPIDoc())
	return nil
}
