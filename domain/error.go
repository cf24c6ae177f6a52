// Package domain holds Databank's entities, validation and business rules,
// its error codes, and the small interfaces its services need. It imports
// only the standard library and the ontology package.
package domain

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Error codes shared by every layer. Each transport maps them once:
// graph/ into extensions.code, cmd/ into exit statuses and messages.
const (
	ECONFLICT     = "CONFLICT"          // a unique external id is already taken
	EINTERNAL     = "INTERNAL"          // a bug or an unreachable dependency; never shown verbatim
	EINVALID      = "INVALID"           // input failed validation
	ENOTFOUND     = "NOT_FOUND"         // the entity does not exist (or is hidden from the caller)
	EUNAUTHORIZED = "UNAUTHORIZED"      // no or bad credentials
	EFORBIDDEN    = "FORBIDDEN"         // authenticated, but not allowed
	EUNAVAILABLE  = "UNAVAILABLE"       // a dependency is temporarily down; retry later
	ELIMIT        = "LIMIT_EXCEEDED"    // the request asks more than a configured limit allows
	ETIMEOUT      = "TIMEOUT"           // the request ran out of its time limit
	ECANCELLED    = "CANCELLED"         // the client went away before the answer
	ETOOMANY      = "TOO_MANY_REQUESTS" // the caller has too many requests in flight; retry later
)

// Error is a domain error: a machine-readable code, a message fit for users,
// and, for validation errors, one entry per offending field.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Err     error // the wrapped cause; never shown to users for EINTERNAL
}

// FieldError names one invalid field and says what was expected.
type FieldError struct {
	Field   string // input field path, e.g. "sample.remainingQuantity"
	Message string
	Value   string // the offending value, when it helps the user
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Message)
	}
	if e.Err != nil && e.Code == EINTERNAL {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a domain error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected error; its text is logged, never shown.
func Internal(err error, op string) *Error {
	return &Error{Code: EINTERNAL, Message: "internal error", Err: fmt.Errorf("%s: %w", op, err)}
}

// ErrorCode returns the code of the first domain error in err's chain,
// ECANCELLED or ETIMEOUT for a context's end, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	switch {
	case errors.As(err, &e) && e.Code != EINTERNAL:
		return e.Code
	case errors.Is(err, context.Canceled):
		return ECANCELLED
	case errors.Is(err, context.DeadlineExceeded):
		return ETIMEOUT
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the domain message,
// or a generic text for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	switch ErrorCode(err) {
	case ECANCELLED:
		return "the request was cancelled"
	case ETIMEOUT:
		return "the request took longer than its time limit"
	case EINTERNAL:
		return "internal error"
	}
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}
