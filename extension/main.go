// Command extension is pgml's boundary with PostgreSQL: a C shim (shim_*.c) and the Go
// exports in this package, built with -buildmode=c-shared into pgml.so. It decodes arguments,
// implements lifecycle.Store with SPI (spi.go), keeps the backend's model cache (models.go) and
// turns errors into statuses C raises (status.go); what pgml does lives in ../lifecycle, which
// knows nothing of cgo (docs/architecture.md, layers).
//
// Calls flow PostgreSQL -> C entry point -> exported Go function -> C helpers (SPI), all on
// the backend's main thread. Go never lets a PostgreSQL error unwind through its frames: C
// helpers catch errors and return them as values, and C raises the SQL ERROR after Go
// returned (shim.h; rule 2 in docs/architecture.md).
package main

/*
#cgo CFLAGS: -Wall
#include "shim.h"
*/
import "C"

import (
	"runtime"
	"slices"
	"strings"

	"github.com/pgml-go/pgml/algorithms/faults"
	"github.com/pgml-go/pgml/lifecycle"
	"github.com/pgml-go/pgml/openblas"
)

func main() {}

// buildVersion and buildCommit are set by the Makefile with -ldflags -X.
var (
	buildVersion = "0.3.0"
	buildCommit  = "unknown"
)

// pgmlGoInit runs once per backend, from _PG_init.
//
//export pgmlGoInit
func pgmlGoInit() {
	defer func() { _ = recover() }()
	openblas.Use()
}

// pgmlGoSetTrainingThreads applies pgml.training_threads: GOMAXPROCS bounds the worker
// goroutines that native training starts (n_jobs and xgboost's nthread are capped by it).
// More threads than cores only slow a training down and crowd the other backends.
//
//export pgmlGoSetTrainingThreads
func pgmlGoSetTrainingThreads(n C.int) {
	defer func() { _ = recover() }()
	if n <= 0 || int(n) > runtime.NumCPU() {
		n = C.int(runtime.NumCPU())
	}
	runtime.GOMAXPROCS(int(n))
}

// pgmlGoSetMemoryLimit applies pgml.go_memory_limit (megabytes; 0 means none).
//
//export pgmlGoSetMemoryLimit
func pgmlGoSetMemoryLimit(mb C.int) {
	defer func() { _ = recover() }()
	lifecycle.SetGoMemoryLimit(int64(mb) << 20)
}

// pgmlGoCheckFault validates a value of pgml.inject_fault.
//
//export pgmlGoCheckFault
func pgmlGoCheckFault(name C.PgmlText, st *C.PgmlStatus) {
	// Not through guard: with export_panic active, the setting must still be resettable.
	defer func() { _ = recover() }()
	s, _ := goText(name)
	if s != "" && !faults.Known(s) {
		setStatus(st, lifecycle.Errorf(lifecycle.StateInvalidParameter, "unknown fault %q, available: %s", s, strings.Join(append(slices.Clone(faults.Names), faults.Stalls...), ", ")))
	}
}

// pgmlGoSetFault applies pgml.inject_fault.
//
//export pgmlGoSetFault
func pgmlGoSetFault(name C.PgmlText) {
	defer func() { _ = recover() }()
	s, _ := goText(name)
	_ = faults.Set(s)
}

//export pgmlGoVersion
func pgmlGoVersion() *C.char {
	return C.CString(buildVersion + " (" + buildCommit + ")")
}
