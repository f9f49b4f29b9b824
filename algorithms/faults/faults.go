// Package faults makes pgml fail on purpose at named points, so that tests can
// show that each failure path ends in a clean SQL ERROR with the backend alive
// and the server not restarted. The extension sets the active fault from the
// superuser-only setting pgml.inject_fault (empty: none); nothing else does.
package faults

import (
	"fmt"
	"slices"
	"sync/atomic"
)

// The fault points. Each name is a value of pgml.inject_fault.
const (
	// WorkerPanic: every goroutine started by safego panics before its work.
	WorkerPanic = "worker_panic"
	// ExportPanic: an exported Go function panics on the backend's main thread.
	ExportPanic = "export_panic"
	// CHelperError: the C helpers that Go calls raise a PostgreSQL ERROR
	// inside their PG_TRY (checked in C, through Active).
	CHelperError = "c_helper_error"
	// XGBoostLoad: loading the XGBoost library fails.
	XGBoostLoad = "xgboost_load"
	// PythonBridge: the python runtime fails as if its helper were broken.
	PythonBridge = "python_bridge"
)

// Names lists every fault point, for validation and for tests that visit all.
var Names = []string{WorkerPanic, ExportPanic, CHelperError, XGBoostLoad, PythonBridge}

var active atomic.Pointer[string]

// Set makes name the active fault; "" clears it.
func Set(name string) error {
	if name != "" && !slices.Contains(Names, name) {
		return fmt.Errorf("unknown fault %q, available: %v", name, Names)
	}
	active.Store(&name)
	return nil
}

// Active reports whether name is the active fault.
func Active(name string) bool {
	p := active.Load()
	return p != nil && *p == name
}

// Error is the error a fault point returns (or panics with).
func Error(name string) error {
	return fmt.Errorf("injected fault %s (pgml.inject_fault)", name)
}
