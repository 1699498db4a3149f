package coopgraph

import (
	"errors"
	"fmt"
	"time"
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
	// RetryAfter, for UNAVAILABLE, is when asking again is expected to
	// succeed (zero: unknown); the API gives it as Retry-After.
	RetryAfter time.Duration
	// format and args made Message (Errorf), kept so that Spell can name
	// the Options among args as a surface spells them.
	format string
	args   []any
}

func (e *Error) Error() string { return e.Message }

// Option is the name of a request's option (an argument of a query) in an
// error's message: Errorf(EINVALID, "%s must not be negative", Option("maxHops")).
// The name is the API's (the GraphQL argument), which Message says; each
// surface words it its own way with Spell, so that the CLI says --max-hops
// where the API says maxHops.
type Option string

func (o Option) String() string { return string(o) }

// Errorf returns an *Error with the given code and formatted message.
// Options among args (formatted with %s or %v) are written with their API
// names.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// Options returns the options e's message names, in order; none for an
// error made otherwise than by Errorf.
func (e *Error) Options() []Option {
	var out []Option
	for _, a := range e.args {
		if o, ok := a.(Option); ok {
			out = append(out, o)
		}
	}
	return out
}

// Spell returns e's message with every Option written as spell(name)
// (e.g. "--relation-type" for "relationTypes" in the CLI); spell returns
// "" to keep a name. The message itself without Options.
func (e *Error) Spell(spell func(option string) string) string {
	if len(e.Options()) == 0 {
		return e.Message
	}
	args := make([]any, len(e.args))
	for i, a := range e.args {
		args[i] = a
		if o, ok := a.(Option); ok {
			if w := spell(string(o)); w != "" {
				args[i] = w
			}
		}
	}
	return fmt.Sprintf(e.format, args...)
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
