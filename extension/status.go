package main

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms/faults"
	"github.com/pgml-go/pgml/algorithms/safego"
)

// sqlError is an error meant for the SQL user, with its SQLSTATE.
type sqlError struct {
	state  string
	msg    string
	detail string
	hint   string
}

func (e *sqlError) Error() string { return e.msg }

// SQLSTATE codes used by pgml's own errors.
const (
	stateInvalidParameter     = "22023"
	stateUndefinedObject      = "42704"
	stateUndefinedColumn      = "42703"
	stateUndefinedTable       = "42P01"
	stateInvalidName          = "42602"
	stateWrongObjectType      = "42809"
	stateExternalRoutine      = "38000"
	stateDataException        = "22000"
	stateNullValue            = "22004"
	stateFeatureMissing       = "0A000"
	stateDuplicateObject      = "42710"
	stateNoData               = "02000"
	stateDatatypeMismatch     = "42804"
	stateProgramLimitExceeded = "54000"
	stateOutOfMemory          = "53200"
	stateSystemError          = "58000"
	stateInternalError        = "XX000"
	statePermissionDenied     = "42501"
	stateDataCorrupted        = "XX001"
	stateUndefinedFile        = "58P01"
)

func newError(state, format string, args ...any) error {
	return &sqlError{state: state, msg: fmt.Sprintf(format, args...)}
}

func withHint(err error, hint string) error {
	var se *sqlError
	if errors.As(err, &se) {
		copy := *se
		copy.hint = hint
		return &copy
	}
	return err
}

// errPostgres means a C helper caught a PostgreSQL error: the transaction is broken, Go must
// return at once, and C re-throws the original error with its SQLSTATE.
var errPostgres = errors.New("postgres error pending")

// errInterrupted means a cancel or terminate request arrived; C handles it.
var errInterrupted = errors.New("interrupted")

func setStatus(st *C.PgmlStatus, err error) {
	if err == nil {
		st.code = C.PGML_OK
		return
	}
	switch {
	case errors.Is(err, errPostgres):
		st.code = C.PGML_PG_ERROR
		return
	case errors.Is(err, errInterrupted):
		st.code = C.PGML_INTERRUPTED
		return
	}
	st.code = C.PGML_ERROR
	var pe *safego.PanicError
	if errors.As(err, &pe) {
		err = internalError(pe)
	}
	var se *sqlError
	if errors.As(err, &se) {
		for i := 0; i < 5 && i < len(se.state); i++ {
			st.sqlstate[i] = C.char(se.state[i])
		}
		if se.detail != "" {
			st.detail = C.CString(se.detail)
		}
		if se.hint != "" {
			st.hint = C.CString(se.hint)
		}
	}
	st.message = C.CString(err.Error())
}

// internalError reports a recovered panic: a bug in pgml, never the user's input.
func internalError(pe *safego.PanicError) error {
	return &sqlError{state: stateInternalError, msg: fmt.Sprintf("pgml internal error: %v", pe.Value),
		detail: strings.TrimSpace(pe.Stack),
		hint:   "This is a bug in pgml, not in your query; the session is still usable. Please report it with this message and its detail."}
}

// guard runs fn for an exported function: a panic, on this goroutine or handed over by a
// worker goroutine, becomes an internal ERROR, never a crash.
func guard(st *C.PgmlStatus, fn func() error) {
	var err error
	defer func() { setStatus(st, err) }()
	defer safego.Recover(&err)
	if faults.Active(faults.ExportPanic) {
		panic(faults.Error(faults.ExportPanic))
	}
	err = fn()
}

func goText(t C.PgmlText) (string, bool) {
	if t.data == nil {
		return "", false
	}
	return C.GoStringN(t.data, t.len), true
}

func setResultText(row *C.PgmlResultRow, i int, s string) {
	row.text[i] = C.CString(s)
}

func unsafeSlice[T any](p *T, n int) []T {
	if p == nil || n <= 0 {
		return nil
	}
	return unsafe.Slice(p, n)
}
