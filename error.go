package coopgraph

import (
	"errors"
	"fmt"
)

// Error codes, mapped by the API to extensions.code and by the CLI to
// messages. They say what kind of failure it is, never how it happened.
const (
	ENOTFOUND    = "NOT_FOUND"
	EINVALID     = "INVALID_ARGUMENT"
	ELIMIT       = "LIMIT_EXCEEDED"
	EFORBIDDEN   = "FORBIDDEN" // a request the server will not run for its sender (another site's page)
	EUNAVAILABLE = "UNAVAILABLE"
	EINTERNAL    = "INTERNAL"
)

// Error is an error meant for the user: Code says what kind, Message says
// what happened in the user's words.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or EINTERNAL when err is no *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; internal errors get a
// generic message so that nothing of the implementation leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
