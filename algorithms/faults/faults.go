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

// Names lists every fault point that makes a call fail, for tests that visit all.
var Names = []string{WorkerPanic, ExportPanic, CHelperError, XGBoostLoad, PythonBridge}

// Stall points: a training waits there, until it is cancelled or its backend killed, once it
// has recorded (and materialized) its snapshot, once it has completed the snapshot and is
// about to fit, or once its model row is inserted but not its files. The crash tests (t/)
// kill the backend there. They never fail on their own, so they are not in Names.
const (
	StallReading = "stall_reading"
	StallFitting = "stall_fitting"
	StallStoring = "stall_storing"
)

// Stalls lists the stall points.
var Stalls = []string{StallReading, StallFitting, StallStoring}

// Known reports whether name is a fault or stall point.
func Known(name string) bool {
	return slices.Contains(Names, name) || slices.Contains(Stalls, name)
}

var active atomic.Pointer[string]

// Set makes name the active fault; "" clears it.
func Set(name string) error {
	if name != "" && !Known(name) {
		return fmt.Errorf("unknown fault %q, available: %v %v", name, Names, Stalls)
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
