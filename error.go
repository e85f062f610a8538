// Package concord holds the domain of a multi-stakeholder governance forum:
// forums, cycles, stakeholder groups, people, roles and the decision log, with
// the rules that keep them valid. It imports only the standard library.
package concord

import (
	"errors"
	"fmt"
)

// Error codes, mapped to HTTP statuses and exit codes at the edges.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many_requests"
	EINTERNAL     = "internal"
)

// Error is an error a user can act on. Field names the input at fault, if any.
type Error struct {
	Code    string
	Field   string
	Message string
	Fields  []*Error // every problem, when validation found several
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error naming the field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; internal errors are not shown.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "Internal error."
}

// Invalid returns nil for no problems, the problem itself for one, and for
// several an EINVALID error that names the first and carries them all.
func Invalid(problems []*Error) error {
	switch len(problems) {
	case 0:
		return nil
	case 1:
		return problems[0]
	}
	first := problems[0]
	return &Error{Code: EINVALID, Field: first.Field,
		Message: fmt.Sprintf("%s (and %d more problems)", first.Message, len(problems)-1),
		Fields:  problems}
}

// Problems lists the field errors inside err: its Fields, or err itself.
func Problems(err error) []*Error {
	var e *Error
	if !errors.As(err, &e) {
		return nil
	}
	if len(e.Fields) > 0 {
		return e.Fields
	}
	return []*Error{e}
}
