package main

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms/faults"
	"github.com/pgml-go/pgml/algorithms/safego"
	"github.com/pgml-go/pgml/lifecycle"
)

// errPostgres means a C helper caught a PostgreSQL error: the transaction is broken, Go must
// return at once, and C re-throws the original error with its SQLSTATE.
var errPostgres = errors.New("postgres error pending")

// setStatus tells C how a call ended: C raises the ERROR (rule 2 in docs/architecture.md).
func setStatus(st *C.PgmlStatus, err error) {
	if err == nil {
		st.code = C.PGML_OK
		return
	}
	switch {
	case errors.Is(err, errPostgres):
		st.code = C.PGML_PG_ERROR
		return
	case errors.Is(err, lifecycle.ErrInterrupted):
		st.code = C.PGML_INTERRUPTED
		return
	}
	st.code = C.PGML_ERROR
	var pe *safego.PanicError
	if errors.As(err, &pe) {
		err = lifecycle.InternalError(pe)
	}
	var e *lifecycle.Error
	if errors.As(err, &e) {
		for i := 0; i < 5 && i < len(e.State); i++ {
			st.sqlstate[i] = C.char(e.State[i])
		}
		if e.Detail != "" {
			st.detail = C.CString(e.Detail)
		}
		if e.Hint != "" {
			st.hint = C.CString(e.Hint)
		}
	}
	st.message = C.CString(err.Error())
}

// guard runs fn for an exported function: a panic, on this goroutine or handed over by a
// worker goroutine, becomes an internal ERROR, never a crash (rule 3 in docs/architecture.md).
func guard(st *C.PgmlStatus, fn func() error) {
	var err error
	defer func() { setStatus(st, err) }()
	defer safego.Recover(&err)
	if faults.Active(faults.ExportPanic) {
		panic(faults.Error(faults.ExportPanic))
	}
	err = fn()
}

// nullArgument is the error for a SQL NULL where a value is needed.
func nullArgument(name string) error {
	return lifecycle.Errorf(lifecycle.StateNullValue, "%s must not be NULL", name)
}

func goText(t C.PgmlText) (string, bool) {
	if t.data == nil {
		return "", false
	}
	return C.GoStringN(t.data, t.len), true
}

// goTexts reads a text[] argument's elements.
func goTexts(p *C.PgmlText, n C.int) []string {
	var out []string
	for _, t := range unsafeSlice(p, int(n)) {
		s, _ := goText(t)
		out = append(out, s)
	}
	return out
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

// doubles views C doubles as a Go slice, without copying.
func doubles(p *C.double, n int) []float64 {
	return unsafeSlice((*float64)(unsafe.Pointer(p)), n)
}
