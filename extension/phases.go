package main

/*
#include "shim.h"
*/
import "C"

// A training moves through these phases in order (searching only with a hyperparameter
// search). Each start is reported at DEBUG1 as "pgml phase: <name>", which the harness
// watches to cancel a training inside a given phase and measure how soon it stops; every
// phase must stop within a second of a cancel (regress/harness/phases_test.go covers each).
type phase string

const (
	phaseSnapshot      phase = "snapshot"      // record the snapshot, materialize its copy
	phaseReading       phase = "reading"       // read the relation's rows into Go
	phaseSplitting     phase = "splitting"     // arrange rows into training and test sets
	phasePreprocessing phase = "preprocessing" // fit and apply impute/encode/scale
	phaseSearching     phase = "searching"     // fit and score every candidate on every fold
	phaseFitting       phase = "fitting"       // fit the final model
	phaseScoring       phase = "scoring"       // predict the test set, compute metrics
	phaseStoring       phase = "storing"       // serialize and insert the model
)

// trainingPhases lists the phases in the order a training enters them.
var trainingPhases = []phase{phaseSnapshot, phaseReading, phaseSplitting, phasePreprocessing,
	phaseSearching, phaseFitting, phaseScoring, phaseStoring}

// enter reports the start of a phase and stops the training if an interrupt is pending.
func enter(p phase) error {
	if err := checkInterrupts(); err != nil {
		return err
	}
	return report(C.PGML_REPORT_DEBUG, "pgml phase: %s", p)
}
