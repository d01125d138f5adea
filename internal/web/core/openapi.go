package core

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// API describes what an API route takes and gives, for the OpenAPI
// document: the request body and the answer as Go values (their types are
// turned into schemas; a non-zero request value is also the example), the
// query parameters, and, for a route whose path parameter names a verb
// (an appeal's action), one operation per value with its own body.
type API struct {
	Body     any         // the request body's type and example; nil: none
	Status   int         // the status of success; 0: 200
	Reply    any         // the answer's type; nil: none
	Also     []int       // other statuses of success, with the same answer (a retry's 200 beside 201)
	Failures map[int]any // answers of failure that are not the error shape (an import's report), by status
	Media    string      // the answer's media type when it is not JSON (a workbook)
	Upload   string      // the file field of a multipart/form-data body; "": the body is JSON
	Query    []Param
	Variants *Variants
}

// Param is a query parameter.
type Param struct {
	Name, Type, Description string // Type: "string" (the default), "integer", "number", "boolean"
	Enum                    []string
	// Header: the parameter is a request header, not a query parameter;
	// Required: the call fails without it.
	Header, Required bool
}

// Variants spread a route over the values of one path parameter, each
// value an operation of its own whose body is the route's Body with only
// the fields it names.
type Variants struct {
	Param string
	Each  []Variant
}

// Variant is one value of a spread path parameter.
type Variant struct {
	Value, Summary     string
	Required, Optional []string // the body's fields (by JSON name) besides the always-present ones
	Always             []string // fields every variant requires (the version)
}

// Takes documents the route's request body: example is a value of its type,
// and the example shown when it is not the zero value.
func (rt Route) Takes(example any) Route {
	rt.api().Body = example
	return rt
}

// Gives documents the route's answer: its status and a value of its type.
func (rt Route) Gives(status int, v any) Route {
	a := rt.api()
	a.Status, a.Reply = status, v
	return rt
}

// Uploads documents a multipart/form-data body with a file in field.
func (rt Route) Uploads(field string) Route {
	rt.api().Upload = field
	return rt
}

// XLSX is the media type of a workbook.
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Or documents another status of success with the same answer.
func (rt Route) Or(status int) Route {
	a := rt.api()
	a.Also = append(slices.Clip(a.Also), status)
	return rt
}

// Fails documents an answer of failure that is either the error shape or
// v's (an import's report of its refused rows).
func (rt Route) Fails(status int, v any) Route {
	a := rt.api()
	f := map[int]any{status: v}
	for k, x := range a.Failures {
		f[k] = x
	}
	a.Failures = f
	return rt
}

// Sends documents an answer that is a file of the media type.
func (rt Route) Sends(media string) Route {
	rt.api().Media = media
	return rt
}

// Queries documents the route's query parameters.
func (rt Route) Queries(params ...Param) Route {
	a := rt.api()
	a.Query = append(slices.Clip(a.Query), params...)
	return rt
}

// Spread documents the route as one operation per value of a path parameter.
func (rt Route) Spread(v Variants) Route {
	rt.api().Variants = &v
	return rt
}

func (rt *Route) api() *API {
	if rt.Doc == nil {
		rt.Doc = &API{}
	} else {
		c := *rt.Doc
		rt.Doc = &c
	}
	return rt.Doc
}

// Paging are the query parameters of every paged list.
var Paging = []Param{
	{Name: "page", Type: "integer", Description: "page number, from 1"},
	{Name: "size", Type: "integer", Description: "items per page (20 by default, at most 200)"},
}

// Spec builds an OpenAPI 3.0 document of the API routes (those under
// /api/v1/). enums name the values of the string types the schemas meet
// (appeal.State: its states), so that each is an enum in the document.
type Spec struct {
	Title, Description string
	Enums              map[reflect.Type][]string
	schemas            map[string]any
	owners             map[string]reflect.Type // the type each component name was given to
}

var pathParam = regexp.MustCompile(`\{([a-z]+)\}`)

// Document returns the document of the routes.
func (sp *Spec) Document(routes []Route) map[string]any {
	sp.schemas = map[string]any{"Error": errorSchema()}
	sp.owners = map[string]reflect.Type{}
	paths := map[string]map[string]any{}
	add := func(path, method string, op map[string]any) {
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][method] = op
	}
	for _, rt := range routes {
		if !strings.HasPrefix(rt.Path, "/api/v1/") {
			continue
		}
		doc := rt.Doc
		if doc == nil {
			doc = &API{}
		}
		if doc.Variants == nil {
			add(rt.Path, strings.ToLower(rt.Method), sp.operation(rt, doc, rt.Path, rt.Summary, nil))
			continue
		}
		for _, v := range doc.Variants.Each {
			path := strings.Replace(rt.Path, "{"+doc.Variants.Param+"}", v.Value, 1)
			add(path, strings.ToLower(rt.Method), sp.operation(rt, doc, path, v.Summary, &v))
		}
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": sp.Title, "version": "1", "description": sp.Description},
		"servers": []map[string]string{{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer":  map[string]string{"type": "http", "scheme": "bearer"},
				"session": map[string]string{"type": "apiKey", "in": "cookie", "name": SessionCookie},
			},
			"schemas": sp.schemas,
		},
	}
}

// operation documents one operation of a route.
func (sp *Spec) operation(rt Route, doc *API, path, summary string, v *Variant) map[string]any {
	errorRef := map[string]any{"$ref": "#/components/schemas/Error"}
	errorReply := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": errorRef}}}
	}
	status := doc.Status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	switch {
	case doc.Media != "":
		ok["content"] = map[string]any{doc.Media: map[string]any{"schema": map[string]string{"type": "string", "format": "binary"}}}
	case doc.Reply != nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": sp.schema(reflect.TypeOf(doc.Reply), false)}}
	}
	responses := map[string]any{strconv.Itoa(status): ok,
		"422":     errorReply("the input is refused: error.fields names each field with its message"),
		"default": errorReply("an error: 401 not signed in, 403 refused, 404 not found or out of the caller's scope, 409 a stale version or a conflict, 413 too large, 429 too many requests, 503 the store is unavailable"),
	}
	for _, st := range doc.Also {
		responses[strconv.Itoa(st)] = ok
	}
	for st, v := range doc.Failures {
		responses[strconv.Itoa(st)] = map[string]any{"description": http.StatusText(st),
			"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{
				"oneOf": []any{sp.schema(reflect.TypeOf(v), false), errorRef}}}}}
	}
	if rt.Auth != Public {
		responses["401"] = errorReply("not signed in")
	}
	op := map[string]any{
		"summary":     summary,
		"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/", "_", "{", "", "}", "", "-", "_").Replace(strings.TrimPrefix(path, "/api/v1")),
		"responses":   responses,
	}
	if rt.Action != "" {
		op["x-qifu-action"] = string(rt.Action)
	}
	if rt.Auth != Public {
		op["security"] = []map[string][]string{{"bearer": {}}, {"session": {}}}
	} else {
		op["security"] = []map[string][]string{}
	}
	var params []map[string]any
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
	}
	for _, q := range doc.Query {
		typ := q.Type
		if typ == "" {
			typ = "string"
		}
		s := map[string]any{"type": typ}
		if len(q.Enum) > 0 {
			s["enum"] = q.Enum
		}
		in := "query"
		if q.Header {
			in = "header"
		}
		params = append(params, map[string]any{"name": q.Name, "in": in, "description": q.Description, "schema": s, "required": q.Required})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if doc.Upload != "" {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{
			"schema": map[string]any{"type": "object", "required": []string{doc.Upload},
				"properties": map[string]any{doc.Upload: map[string]string{"type": "string", "format": "binary"}}}}}}
	}
	if doc.Body != nil {
		t := reflect.TypeOf(doc.Body)
		schema := sp.schema(t, true)
		if v != nil {
			schema = sp.restrict(t, *v)
		}
		media := map[string]any{"schema": schema}
		if !reflect.ValueOf(doc.Body).IsZero() && v == nil {
			media["example"] = doc.Body
		}
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": media}}
	}
	return op
}

// restrict is the inline schema of the body type with only a variant's
// fields: those it requires and those it may carry.
func (sp *Spec) restrict(t reflect.Type, v Variant) map[string]any {
	props := map[string]any{}
	required := slices.Concat(v.Always, v.Required)
	for _, f := range fieldsOf(t) {
		if slices.Contains(required, f.name) || slices.Contains(v.Optional, f.name) {
			props[f.name] = sp.schema(f.typ, true)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// schema is the schema of a Go type as encoding/json writes it. A named
// struct becomes a component (its answers' schema requires every field
// without omitempty; a request body's requires none, the handler says
// what is missing); other types are inline.
// A Schemer is a type whose JSON is not its fields (a form's answer: a
// string, a list or rows); it gives its own schema.
type Schemer interface{ OpenAPISchema() map[string]any }

func (sp *Spec) schema(t reflect.Type, request bool) map[string]any {
	if t.Kind() == reflect.Pointer {
		s := sp.schema(t.Elem(), request)
		if ref, isRef := s["$ref"]; isRef {
			return map[string]any{"allOf": []any{map[string]any{"$ref": ref}}, "nullable": true}
		}
		s["nullable"] = true
		return s
	}
	if t == reflect.TypeFor[json.RawMessage]() {
		return map[string]any{"nullable": true} // any JSON value
	}
	if t == reflect.TypeFor[time.Time]() {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t.Implements(reflect.TypeFor[Schemer]()) {
		return reflect.Zero(t).Interface().(Schemer).OpenAPISchema()
	}
	if values, ok := sp.Enums[t]; ok {
		if request && !slices.Contains(values, "") {
			// A request may leave an enum empty: the default, or none.
			values = append([]string{""}, values...)
		}
		return map[string]any{"type": "string", "enum": values}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		s := map[string]any{"type": "array", "items": sp.schema(t.Elem(), request)}
		if request {
			s["nullable"] = true // null is an empty list
		}
		return s
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": sp.schema(t.Elem(), request)}
	case reflect.Struct:
		return sp.object(t, request)
	}
	return map[string]any{} // any value
}

// object is a struct's schema: a reference to its component, defined on
// first use (a type used as a request body and as an answer has one of
// each).
func (sp *Spec) object(t reflect.Type, request bool) map[string]any {
	if t.Name() == "" {
		return sp.define(t, request)
	}
	name := schemaName(t)
	if owner, taken := sp.owners[name]; taken && owner != t {
		pkg := t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
		name = strings.ToUpper(pkg[:1]) + pkg[1:] + name
	}
	sp.owners[name] = t
	if request {
		name += "Input"
	}
	if _, done := sp.schemas[name]; !done {
		sp.schemas[name] = map[string]any{} // a placeholder for recursive types
		sp.schemas[name] = sp.define(t, request)
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func (sp *Spec) define(t reflect.Type, request bool) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range fieldsOf(t) {
		props[f.name] = sp.schema(f.typ, request)
		if !request && !f.omitempty {
			required = append(required, f.name)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// field is a struct field as encoding/json sees it.
type jsonField struct {
	name      string
	typ       reflect.Type
	omitempty bool
}

// fieldsOf lists the JSON fields of a struct type, embedded structs' fields
// in their place.
func fieldsOf(t reflect.Type) []jsonField {
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, fieldsOf(ft)...)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, typ: f.Type,
			omitempty: strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")})
	}
	return out
}

// schemaName names a struct's component: its type name without a "JSON"
// suffix, a generic's type arguments joined to it (List[AppealRowJSON] is
// ListAppealRow).
func schemaName(t reflect.Type) string {
	name := t.Name()
	if base, args, generic := strings.Cut(name, "["); generic {
		name = base
		for _, a := range strings.Split(strings.TrimSuffix(args, "]"), ",") {
			a = a[strings.LastIndex(a, ".")+1:]
			name += strings.TrimSuffix(a, "JSON")
		}
	}
	return strings.TrimSuffix(name, "JSON")
}

func errorSchema() map[string]any {
	return map[string]any{"type": "object", "required": []string{"error"}, "properties": map[string]any{
		"error": map[string]any{"type": "object", "required": []string{"code", "message"}, "properties": map[string]any{
			"code": map[string]string{"type": "string"}, "message": map[string]string{"type": "string"},
			"fields": map[string]any{"type": "object", "additionalProperties": map[string]string{"type": "string"},
				"description": "the message of each refused field"},
		}},
	}}
}
