package lifecycle

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/progress"
	"github.com/pgml-go/pgml/algorithms/safego"
)

// Progress is what pgml.training_progress shows of one running training; the store
// publishes it in the backend's progress slot (extension/shim_progress.c), where any session
// reads it. Times are absolute so that a reader computes elapsed and remaining time itself,
// however long ago the training last published.
type Progress struct {
	ProjectID             int64
	Project               string
	Algorithm, Runtime    string
	Phase                 string
	Unit                  string // what Done and Total count: "trees", "rounds", "fits"
	Done, Total           int64  // Total 0: unknown
	Fold, Folds           int    // a search's split, 1-based; 0 outside a search
	Candidate, Candidates int
	Started, PhaseStarted time.Time
	EstimatedEnd          time.Time // of the current phase; zero when unknown
	TrainRows, Features   int
}

// publishEvery bounds how often the slot is written while a fit advances: often enough
// for a reader's "at least once a second", rarely enough to cost nothing.
const publishEvery = 250 * time.Millisecond

// pumpEvery is how often the main thread wakes up, while a fit runs on another thread, to
// publish its progress.
const pumpEvery = 100 * time.Millisecond

// tracker follows one training for pgml.training_progress and the progress INFO lines.
// Only the main thread uses it; fits report through counter, which is atomic.
type tracker struct {
	sess        *Session
	state       Progress
	counter     progress.Counter
	fitsDone    int // of a search
	fitsTotal   int
	lastPublish time.Time
	lastInfo    time.Time
	now         func() time.Time
}

// startProgress begins publishing the training's progress; endProgress must follow.
func (sess *Session) startProgress(projectID int64, project, algorithm, runtime string) {
	t := &tracker{sess: sess, now: time.Now}
	start := t.now()
	t.state = Progress{ProjectID: projectID, Project: project, Algorithm: algorithm, Runtime: runtime, Started: start, PhaseStarted: start}
	t.lastInfo = start
	sess.progress = t
}

// endProgress empties the slot: the training's row leaves pgml.training_progress.
func (sess *Session) endProgress() {
	if sess.progress != nil {
		sess.Store.EndProgress()
		sess.progress = nil
	}
}

func (t *tracker) enterPhase(p phase) {
	if t == nil {
		return
	}
	t.state.Phase = string(p)
	t.state.PhaseStarted = t.now()
	// A phase shorter than pgml.progress_interval says nothing.
	t.lastInfo = t.state.PhaseStarted
	t.state.EstimatedEnd = time.Time{}
	if p != phaseSearching {
		t.state.Fold, t.state.Folds, t.state.Candidate, t.state.Candidates = 0, 0, 0, 0
	}
	t.counter.Reset()
	t.refresh()
	t.publish()
}

func (t *tracker) setShape(rows, features int) {
	if t != nil {
		t.state.TrainRows, t.state.Features = rows, features
	}
}

// searchStep records that a search starts fitting candidate c of cands on split s of splits,
// with done of total fits finished.
func (t *tracker) searchStep(s, splits, c, cands, done, total int) error {
	if t == nil {
		return nil
	}
	t.state.Fold, t.state.Folds, t.state.Candidate, t.state.Candidates = s, splits, c, cands
	t.fitsDone, t.fitsTotal = done, total
	t.counter.Reset()
	t.refresh()
	t.publish()
	return t.infoIfDue()
}

// tick publishes what the running fit reports, at most every publishEvery, and says it in an
// INFO line at most every pgml.progress_interval.
func (t *tracker) tick() error {
	if t == nil {
		return nil
	}
	t.refresh()
	if t.now().Sub(t.lastPublish) >= publishEvery {
		t.publish()
	}
	return t.infoIfDue()
}

// refresh derives units and the estimated end from the fit's counter (and, in a search,
// from the fits done): the phase's elapsed time scaled by the fraction done.
func (t *tracker) refresh() {
	fit := t.counter.Read()
	fraction := -1.0
	switch {
	case t.state.Phase == string(phaseSearching) && t.fitsTotal > 0:
		t.state.Unit, t.state.Done, t.state.Total = "fits", int64(t.fitsDone), int64(t.fitsTotal)
		within := 0.0
		if fit.Total > 0 {
			within = float64(min(fit.Done, fit.Total)) / float64(fit.Total)
		}
		fraction = (float64(t.fitsDone) + within) / float64(t.fitsTotal)
	case fit.Total > 0:
		t.state.Unit, t.state.Done, t.state.Total = fit.Unit, fit.Done, fit.Total
		fraction = float64(min(fit.Done, fit.Total)) / float64(fit.Total)
	default:
		t.state.Unit, t.state.Done, t.state.Total = "", 0, 0
	}
	t.state.EstimatedEnd = time.Time{}
	if fraction > 0 {
		elapsed := t.now().Sub(t.state.PhaseStarted)
		t.state.EstimatedEnd = t.state.PhaseStarted.Add(time.Duration(float64(elapsed) / fraction))
	}
}

func (t *tracker) publish() {
	t.lastPublish = t.now()
	state := t.state
	t.sess.Store.PublishProgress(&state)
}

func (t *tracker) infoIfDue() error {
	interval := t.sess.Settings.ProgressInterval
	now := t.now()
	if interval <= 0 || now.Sub(t.lastInfo) < interval {
		return nil
	}
	t.lastInfo = now
	return t.sess.info("%s", formatProgress(&t.state, now))
}

// formatProgress is a progress INFO line, e.g. "searching random_forest: fold 2/3,
// candidate 4/6, 9/18 fits, 1m05s elapsed, about 1m10s left".
func formatProgress(p *Progress, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s:", p.Phase, p.Algorithm)
	var parts []string
	if p.Folds > 0 {
		parts = append(parts, fmt.Sprintf("fold %d/%d", p.Fold, p.Folds))
	}
	if p.Candidates > 0 {
		parts = append(parts, fmt.Sprintf("candidate %d/%d", p.Candidate, p.Candidates))
	}
	if p.Total > 0 {
		parts = append(parts, fmt.Sprintf("%d/%d %s", p.Done, p.Total, p.Unit))
	}
	parts = append(parts, formatDuration(now.Sub(p.PhaseStarted))+" elapsed")
	if !p.EstimatedEnd.IsZero() {
		parts = append(parts, "about "+formatDuration(max(p.EstimatedEnd.Sub(now), 0))+" left")
	}
	b.WriteString(" ")
	b.WriteString(strings.Join(parts, ", "))
	return b.String()
}

// formatDuration rounds to the second: "42s", "1m05s", "2h03m".
func formatDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, s/60%60)
}

// offMainThread is a runtime whose fits are pure Go and may run on another thread while the
// main thread publishes their progress (the native runtime). Others fit on the main thread:
// python starts its worker from it, and their fits show the phase and its elapsed time only.
type offMainThread interface {
	FitsOffMainThread() bool
}

// abandonableContext lets the main thread stop a fit it no longer waits for: Err reads the
// flag first, then the interrupt flags (interruptContext.Err) as before.
type abandonableContext struct {
	context.Context
	abandoned atomic.Bool
}

func (c *abandonableContext) Err() error {
	if c.abandoned.Load() {
		return context.Canceled
	}
	return c.Context.Err()
}

// trainReporting is rt.Train with the fit's progress published: a native fit runs on a
// worker goroutine while the main thread, the only one that may reach PostgreSQL (rule 9 in
// docs/architecture.md), wakes every pumpEvery to publish what the fit's counter says.
func (sess *Session) trainReporting(ctx context.Context, rt Runtime, fit *Fit) (algorithms.Model, algorithms.Hyperparams, error) {
	t := sess.progress
	off, ok := rt.(offMainThread)
	if t == nil || !ok || !off.FitsOffMainThread() {
		return rt.Train(progress.With(ctx, counterOf(t)), fit)
	}
	fitCtx := &abandonableContext{Context: ctx}
	type result struct {
		model algorithms.Model
		used  algorithms.Hyperparams
		err   error
	}
	done := make(chan result, 1)
	safego.Go(func() {
		m, u, err := rt.Train(progress.With(fitCtx, &t.counter), fit)
		done <- result{m, u, err}
	}, func(pe *safego.PanicError) { done <- result{err: pe} })
	ticker := time.NewTicker(pumpEvery)
	defer ticker.Stop()
	var reportErr error
	for {
		select {
		case r := <-done:
			if reportErr != nil {
				closeModel(r.model)
				return nil, nil, reportErr
			}
			return r.model, r.used, r.err
		case <-ticker.C:
			if reportErr != nil {
				continue
			}
			if reportErr = t.tick(); reportErr != nil {
				// PostgreSQL failed: stop the fit and return once it has stopped.
				fitCtx.abandoned.Store(true)
			}
		}
	}
}

func counterOf(t *tracker) *progress.Counter {
	if t == nil {
		return nil
	}
	return &t.counter
}
