package lifecycle

import (
	"time"

	"github.com/pgml-go/pgml/algorithms/faults"
)

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

// Phases names the phases in their order, for pgml.training_progress (which stores a
// phase as its position; extension/shim_progress.c lists the same names).
var Phases = []string{string(phaseSnapshot), string(phaseReading), string(phaseSplitting), string(phasePreprocessing),
	string(phaseSearching), string(phaseFitting), string(phaseScoring), string(phaseStoring)}

// enter reports the start of a phase and stops the training if an interrupt is pending.
func (sess *Session) enter(p phase) error {
	if err := sess.checkInterrupts(); err != nil {
		return err
	}
	sess.progress.enterPhase(p)
	return sess.report(Debug, "pgml phase: %s", p)
}

// stallIfInjected waits at a stall point of pgml.inject_fault until the statement is cancelled
// or the backend killed, having said so in a WARNING (which the server log shows, so that a
// crash test knows when to kill).
func (sess *Session) stallIfInjected(point string) error {
	if !faults.Active(point) {
		return nil
	}
	if err := sess.report(Warning, "pgml.inject_fault: the training stalls at %s", point); err != nil {
		return err
	}
	for {
		if err := sess.checkInterrupts(); err != nil {
			return err
		}
		time.Sleep(interruptPollInterval)
	}
}
