package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pgml-go/pgml/algorithms/safego"
)

// Error is an error meant for the SQL user, with its SQLSTATE: the boundary raises it as
// the statement's ERROR, with its detail and hint.
type Error struct {
	State  string
	Msg    string
	Detail string
	Hint   string
}

func (e *Error) Error() string { return e.Msg }

// SQLSTATE codes of pgml's own errors.
const (
	StateInvalidParameter     = "22023"
	StateUndefinedObject      = "42704"
	StateUndefinedColumn      = "42703"
	StateUndefinedTable       = "42P01"
	StateInvalidName          = "42602"
	StateWrongObjectType      = "42809"
	StateExternalRoutine      = "38000"
	StateDataException        = "22000"
	StateNullValue            = "22004"
	StateFeatureMissing       = "0A000"
	StateDuplicateObject      = "42710"
	StateNoData               = "02000"
	StateDatatypeMismatch     = "42804"
	StateProgramLimitExceeded = "54000"
	StateOutOfMemory          = "53200"
	StateSystemError          = "58000"
	StateInternalError        = "XX000"
	StatePermissionDenied     = "42501"
	StateDataCorrupted        = "XX001"
	StateUndefinedFile        = "58P01"
	StateNotInPrerequisite    = "55000"
)

// Errorf is an Error with a formatted message.
func Errorf(state, format string, args ...any) error {
	return &Error{State: state, Msg: fmt.Sprintf(format, args...)}
}

// WithHint returns err with hint added when it is an *Error, err itself otherwise.
func WithHint(err error, hint string) error {
	var e *Error
	if errors.As(err, &e) {
		copy := *e
		copy.Hint = hint
		return &copy
	}
	return err
}

// ErrInterrupted means a cancel or terminate request arrived: the boundary lets PostgreSQL
// handle it (the statement ends with PostgreSQL's own message).
var ErrInterrupted = errors.New("interrupted")

// interrupted reports a cancelled context as ErrInterrupted, other errors as they are.
func interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ErrInterrupted
	}
	return err
}

// InternalError reports a recovered panic: a bug in pgml, never the user's input.
func InternalError(pe *safego.PanicError) error {
	return &Error{State: StateInternalError, Msg: fmt.Sprintf("pgml internal error: %v", pe.Value),
		Detail: strings.TrimSpace(pe.Stack),
		Hint:   "This is a bug in pgml, not in your query; the session is still usable. Please report it with this message and its detail."}
}
