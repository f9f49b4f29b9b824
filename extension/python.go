package main

/*
#include "shim.h"
*/
import "C"

import (
	"sort"
	"strings"

	"github.com/pgml-go/pgml/lifecycle"
	"github.com/pgml-go/pgml/pybridge"
	"github.com/pgml-go/pgml/runtimes"
)

// The SQL functions about the python runtime: the runtime itself is runtimes.Python.

//export pgmlGoPythonVersion
func pgmlGoPythonVersion(out *C.PgmlResultRow, st *C.PgmlStatus) {
	pythonText(out, st, pybridge.PythonVersion)
}

//export pgmlGoPythonPackageVersion
func pgmlGoPythonPackageVersion(nameArg C.PgmlText, out *C.PgmlResultRow, st *C.PgmlStatus) {
	name, _ := goText(nameArg)
	pythonText(out, st, func() (string, error) { return pybridge.PackageVersion(name) })
}

// pythonText starts the interpreter and returns what get answers in out.text[0].
func pythonText(out *C.PgmlResultRow, st *C.PgmlStatus, get func() (string, error)) {
	guard(st, func() error {
		if err := runtimes.StartPython(pythonThreads()); err != nil {
			return err
		}
		v, err := get()
		if err != nil {
			return runtimes.PythonError(err)
		}
		setResultText(out, 0, v)
		return nil
	})
}

// pgmlGoPythonPipFreeze returns the installed Python distributions, "name==version", one
// per line in out.text[0].
//
//export pgmlGoPythonPipFreeze
func pgmlGoPythonPipFreeze(out *C.PgmlResultRow, st *C.PgmlStatus) {
	pythonText(out, st, func() (string, error) {
		packages, err := pybridge.PipFreeze()
		for i, p := range packages {
			packages[i] = strings.ReplaceAll(p, "\n", " ")
		}
		out.number = C.int64_t(len(packages))
		return strings.Join(packages, "\n"), err
	})
}

// pgmlGoActivateVenv adds a virtualenv's site-packages to this backend's interpreter; the
// C entry point has checked that the caller is a superuser. out.flag is false when
// <venv>/bin/activate_this.py does not exist.
//
//export pgmlGoActivateVenv
func pgmlGoActivateVenv(venvArg C.PgmlText, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		venv, _ := goText(venvArg)
		if strings.ContainsRune(venv, 0) {
			return lifecycle.Errorf(lifecycle.StateInvalidParameter, "venv must not contain a NUL character")
		}
		if err := runtimes.StartPython(pythonThreads()); err != nil {
			return err
		}
		ok, err := pybridge.ActivateVenv(venv)
		if err != nil {
			return runtimes.PythonError(err)
		}
		out.flag = C.bool(ok)
		return nil
	})
}

// pgmlGoValidatePythonDependencies reports each package's version or why it is missing, and
// answers true when the python runtime can train (numpy and scikit-learn import).
//
//export pgmlGoValidatePythonDependencies
func pgmlGoValidatePythonDependencies(out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		store := spiStore{}
		pybridge.SetThreads(pythonThreads())
		if err := pybridge.Available(); err != nil {
			out.flag = false
			return store.Report(lifecycle.Notice, "python runtime unavailable: "+err.Error())
		}
		deps := pybridge.Dependencies()
		names := make([]string, 0, len(deps))
		for name := range deps {
			names = append(names, name)
		}
		sort.Strings(names)
		var lines []string
		for _, name := range names {
			lines = append(lines, name+" "+deps[name])
		}
		if err := store.Report(lifecycle.Info, "python dependencies: "+strings.Join(lines, "; ")); err != nil {
			return err
		}
		out.flag = true
		return nil
	})
}
