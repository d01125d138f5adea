// Package fault is qifu's small set of error kinds. The domain and the store
// return them; the web layer maps each kind to one HTTP status and page in one
// place. Messages are written for the person who must act on them, in Chinese
// with an English twin.
package fault

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the person or program that receives it.
type Kind string

// The kinds.
const (
	Invalid      Kind = "invalid"      // bad input: 422 / form messages
	NotFound     Kind = "not_found"    // absent, or outside the actor's scope: 404
	Conflict     Kind = "conflict"     // stale version or duplicate: 409
	Unauthorized Kind = "unauthorized" // not logged in: 401
	Forbidden    Kind = "forbidden"    // logged in, but the action is not the role's: 403
	Locked       Kind = "locked"       // account locked out: 423
	TooLarge     Kind = "too_large"    // body or file too large: 413
	TooMany      Kind = "too_many"     // too many requests of one kind: 429
	Method       Kind = "method"       // a route that does not take this method: 405
	Unavailable  Kind = "unavailable"  // store unreachable: 503
	Internal     Kind = "internal"     // a bug or an outage: 500, never shown raw
)

// Msg is a message in both languages of the UI.
type Msg struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// In returns the message in the language lang ("en" or anything else for Chinese).
func (m Msg) In(lang string) string {
	if lang == "en" && m.En != "" {
		return m.En
	}
	return m.Zh
}

// Error is an error a person can act on.
type Error struct {
	Kind    Kind
	Code    string         // stable machine code, e.g. "credit_code_check"
	Message Msg            // what happened, for the person
	Fields  map[string]Msg // per-field messages for forms and APIs
	Err     error          // the cause, for logs only
}

func (e *Error) Error() string {
	s := string(e.Kind) + ": " + e.Code
	if e.Message.En != "" {
		s += ": " + e.Message.En
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of kind k with a code and a message.
func New(k Kind, code, zh, en string) *Error {
	return &Error{Kind: k, Code: code, Message: Msg{Zh: zh, En: en}}
}

// Wrap returns an Internal error that keeps err for the logs.
func Wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// KindOf returns the kind of err: the kind of the first *Error in its chain,
// or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Is reports whether err is of kind k.
func Is(err error, k Kind) bool { return KindOf(err) == k }

// ErrNotFound is the error for a record that is absent or out of scope.
var ErrNotFound = New(NotFound, "not_found", "记录不存在或无权访问", "record not found")

// ErrConflict is the error for a stale version.
var ErrConflict = New(Conflict, "stale_version", "记录已被他人修改，请刷新后重试", "the record was changed by someone else; reload and try again")

// Fields collects per-field messages while validating input.
type Fields map[string]Msg

// Add records a message for field, keeping the first one.
func (f Fields) Add(field, zh, en string) {
	if _, ok := f[field]; !ok {
		f[field] = Msg{Zh: zh, En: en}
	}
}

// Err returns an Invalid error carrying the fields, or nil when there are none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Code: "invalid_input",
		Message: Msg{Zh: "提交的内容有误，请按提示修改", En: "please correct the highlighted fields"},
		Fields:  map[string]Msg(f)}
}
