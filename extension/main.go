// Command extension is pgml's PostgreSQL extension: a C shim (shim_*.c) and the Go glue in
// this package, built with -buildmode=c-shared into pgml.so. It is the only code that
// touches PostgreSQL; algorithms live in ../algorithms, which knows nothing of SQL.
//
// Calls flow PostgreSQL -> C entry point -> exported Go function -> C helpers (SPI), all on
// the backend's main thread. Go never lets a PostgreSQL error unwind through its frames: C
// helpers catch errors and return them as values, and C raises the SQL ERROR after Go
// returned (see shim.h and the design note go-in-postgres.md).
package main

/*
#cgo CFLAGS: -Wall
#include "shim.h"
*/
import "C"

import (
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/pgml-go/pgml/algorithms/faults"
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
	goMemoryLimit = int64(math.MaxInt64)
	if mb > 0 {
		goMemoryLimit = int64(mb) << 20
	}
	debug.SetMemoryLimit(goMemoryLimit)
}

// goMemoryLimit is pgml.go_memory_limit in bytes: the Go heap's soft limit between trainings.
var goMemoryLimit int64 = math.MaxInt64

// holdHeapTo makes the garbage collector keep the Go heap near bytes beyond what it holds
// now, for a training admitted with that need: garbage of earlier phases is collected
// instead of doubling the heap (the collector's default), so the backend's peak stays close
// to the admitted estimate. The returned function restores the setting (once, however often
// it is called).
func holdHeapTo(bytes int64) func() {
	runtime.GC() // what is live now, not the garbage of reading and splitting
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	limit := min(int64(stats.HeapAlloc)+bytes+heapSlack, goMemoryLimit)
	debug.SetMemoryLimit(limit)
	return sync.OnceFunc(func() { debug.SetMemoryLimit(goMemoryLimit) })
}

// heapSlack is room beyond the estimate for the runtime's own structures and small
// allocations nobody estimates.
const heapSlack = 32 << 20

// pgmlGoCheckFault validates a value of pgml.inject_fault.
//
//export pgmlGoCheckFault
func pgmlGoCheckFault(name C.PgmlText, st *C.PgmlStatus) {
	// Not through guard: with export_panic active, the setting must still be resettable.
	defer func() { _ = recover() }()
	s, _ := goText(name)
	if s != "" && !faults.Known(s) {
		setStatus(st, newError(stateInvalidParameter, "unknown fault %q, available: %s", s, strings.Join(append(slices.Clone(faults.Names), faults.Stalls...), ", ")))
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

// releaseMemory hands memory freed by a large job back to the OS: Go keeps it otherwise.
func releaseMemory() {
	debug.FreeOSMemory()
}
