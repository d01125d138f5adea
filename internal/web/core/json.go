package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"qifu/internal/access"
	"qifu/internal/fault"
)

// Decode reads a JSON body strictly: unknown fields are refused, so a field
// a client may not set is never silently ignored.
func Decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if asMaxBytes(err, &mbe) {
			return err
		}
		return JSONError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if asMaxBytes(err, &mbe) {
			return err
		}
		return &fault.Error{Kind: fault.Invalid, Code: "bad_json",
			Message: fault.Msg{Zh: "请求内容在 JSON 之后还有多余的数据", En: "the body has data after the JSON value"}}
	}
	return nil
}

// JSONError says what is wrong with a request's JSON in the caller's terms:
// the field and the kind of value it takes, or where the text stops being
// JSON, never the decoder's words about Go types.
func JSONError(err error) error {
	e := &fault.Error{Kind: fault.Invalid, Code: "bad_json",
		Message: fault.Msg{Zh: "请求内容不是此接口接受的 JSON", En: "the body is not JSON this call takes"}}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		zh, en := valueKind(typeErr.Type)
		e.Fields = map[string]fault.Msg{typeErr.Field: {Zh: "须为" + zh, En: "must be " + en}}
	case errors.As(err, &syntaxErr):
		e.Message = fault.Msg{Zh: fmt.Sprintf("请求内容不是有效的 JSON（第 %d 个字节处）", syntaxErr.Offset),
			En: fmt.Sprintf("the body is not valid JSON (at byte %d)", syntaxErr.Offset)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		e.Fields = map[string]fault.Msg{field: {Zh: "此接口没有这个字段", En: "this call has no such field"}}
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		e.Message = fault.Msg{Zh: "请求内容为空或不完整", En: "the body is empty or cut short"}
	}
	return e
}

// valueKind names the kind of JSON value a Go type takes.
func valueKind(t reflect.Type) (zh, en string) {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "数字", "a number"
	case reflect.String:
		return "文本", "text"
	case reflect.Bool:
		return "true 或 false", "true or false"
	case reflect.Slice, reflect.Array:
		return "列表", "a list"
	}
	return "对象", "an object"
}

// NoBody is the input of a Call that takes no body.
type NoBody struct{}

// Call is an API handler of a module: the JSON body decoded into In (none
// for NoBody), do run with the caller and the path's id (0 when the route
// has none), and its result answered with status (no body for 204).
func Call[In, Out any](status int, do func(r *http.Request, a access.Actor, id int64, in In) (Out, error)) Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, _ := ActorOf(r)
		var id int64
		if r.PathValue("id") != "" {
			var err error
			if id, err = PathID(r, "id"); err != nil {
				return err
			}
		}
		var in In
		if _, none := any(in).(NoBody); !none {
			if err := Decode(r, &in); err != nil {
				return err
			}
		}
		out, err := do(r, a, id, in)
		if err != nil {
			return err
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return nil
		}
		WriteJSON(w, status, out)
		return nil
	}
}
