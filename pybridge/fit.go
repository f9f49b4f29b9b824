package pybridge

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
)

// FitRequest is one fit in the worker: the estimator Train would build, fitted on X and Y,
// then asked for its predictions of the Held rows (a test split or a search fold), which is
// all a caller needs to score the model without the estimator.
type FitRequest struct {
	Algorithm string
	Task      algorithms.Task
	// X holds the training rows; Y their labels (ignored by the unsupervised tasks).
	X, Y algorithms.Matrix
	// Held are the rows to predict after the fit, with X's columns; may have no rows.
	Held algorithms.Matrix
	// Hyperparams is a JSON object of keyword arguments ("" for none).
	Hyperparams string
	// ProbabilityClasses: the held rows' probabilities are computed too for a classifier
	// with predict_proba and at most this many classes (0: never).
	ProbabilityClasses int
	// ExportNative asks the worker for the estimator's native form (Fitted.NativeForm), and
	// for the held rows' probabilities whenever the estimator has one.
	ExportNative bool
}

// Fitted is a model fitted by the worker: its pickle, the hyperparameters it used, its
// description, and its predictions of the request's held rows. AsModel gives it the
// algorithms.Model interface for scoring; it answers only for those held rows.
type Fitted struct {
	estimator
	pickle        []byte
	hyperparams   string
	held          algorithms.Matrix
	predictions   []float64 // held.Rows × NumOutputs
	probabilities []float64 // held.Rows × len(Classes), nil when not computed
	native        *nativeExport
	importances   *importances // nil when the estimator has none
}

// importances are a tree estimator's feature importances, read in the worker
// (bridge.feature_importances).
type importances struct {
	Method string    `json:"method"`
	Values []float64 `json:"values"`
}

// FeatureImportance is the fitted estimator's own feature importances (impurity for
// scikit-learn's trees, gain for XGBoost and LightGBM), normalized to sum 1.
func (f *Fitted) FeatureImportance() (method string, importance []float64, ok bool) {
	imp := f.importances
	if imp == nil || len(imp.Values) != f.NumFeatures() {
		return "", nil, false
	}
	sum := 0.0
	for _, v := range imp.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return "", nil, false
		}
		sum += v
	}
	if sum == 0 {
		return "", nil, false
	}
	out := make([]float64, len(imp.Values))
	for j, v := range imp.Values {
		out[j] = v / sum
	}
	return imp.Method, out, true
}

// Fit fits req in the worker, starting it (or replacing it, see WorkerConfig) first. It
// returns as soon as ctx is done, having killed the worker: a fit stuck in compiled code
// is abandoned, not awaited. Errors: ErrInterrupted (ctx), ErrUnavailable (no worker could
// start), *PythonError (the fit raised; errors.Is(err, ErrOutOfMemory) for a MemoryError
// under cfg.MemoryLimit), *WorkerExitError (the worker died: a segfault, the OOM killer).
//
// Fit starts the worker from the calling thread, and PR_SET_PDEATHSIG kills it when that
// thread exits: call it from a thread that lives as long as the process (in a backend, the
// exported call's goroutine, which runs on the main thread).
func (w *Worker) Fit(ctx context.Context, cfg WorkerConfig, req FitRequest) (f *Fitted, err error) {
	defer recoverPanic(&err)
	if !req.Task.Valid() {
		return nil, fmt.Errorf("pybridge: invalid task %v", req.Task)
	}
	x, y, held := req.X, req.Y, req.Held
	if x.Rows <= 0 || x.Cols <= 0 || len(x.Data) != x.Rows*x.Cols {
		return nil, fmt.Errorf("pybridge: x is %d×%d with %d values", x.Rows, x.Cols, len(x.Data))
	}
	if !req.Task.Supervised() {
		y = algorithms.Matrix{Rows: x.Rows}
	} else if y.Rows != x.Rows || y.Cols <= 0 || len(y.Data) != y.Rows*y.Cols {
		return nil, fmt.Errorf("pybridge: y is %d×%d with %d values, x has %d rows", y.Rows, y.Cols, len(y.Data), x.Rows)
	}
	if held.Rows == 0 {
		held = algorithms.Matrix{Cols: x.Cols}
	} else if held.Cols != x.Cols || len(held.Data) != held.Rows*held.Cols {
		return nil, fmt.Errorf("pybridge: held rows are %d×%d with %d values, x has %d columns", held.Rows, held.Cols, len(held.Data), x.Cols)
	}
	hyperparams := req.Hyperparams
	if hyperparams == "" {
		hyperparams = "{}"
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	body, blocks, err := w.call(ctx, cfg, map[string]any{
		"op": "fit", "algorithm": req.Algorithm, "task": req.Task.String(), "hyperparams": hyperparams,
		"x": []int{x.Rows, x.Cols}, "y": []int{y.Rows, y.Cols}, "held": []int{held.Rows, held.Cols},
		"probability_classes": req.ProbabilityClasses, "export_native": req.ExportNative,
	}, float64Bytes(x.Data), float64Bytes(y.Data), float64Bytes(held.Data))
	if err != nil {
		return nil, err
	}
	return newFitted(body, blocks, req.Algorithm, held)
}

// newFitted checks a fit's reply against the request.
func newFitted(body []byte, blocks [][]byte, algorithm string, held algorithms.Matrix) (*Fitted, error) {
	var r struct {
		Hyperparams   string        `json:"hyperparams"`
		Model         modelInfo     `json:"model"`
		Predictions   []int         `json:"predictions"`
		Probabilities []int         `json:"probabilities"`
		Native        *nativeExport `json:"native"`
		NativeBlocks  int           `json:"native_blocks"`
		Importances   *importances  `json:"feature_importances"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("pybridge: bad fit reply %q: %w", body, err)
	}
	e, err := newEstimator(r.Model, algorithm)
	if err != nil {
		return nil, err
	}
	want := 2
	if r.Probabilities != nil {
		want = 3
	}
	if r.NativeBlocks < 0 || len(blocks) != want+r.NativeBlocks || (r.NativeBlocks > 0 && r.Native == nil) {
		return nil, fmt.Errorf("pybridge: the fit reply has %d blocks, want %d and %d of a native form", len(blocks), want, r.NativeBlocks)
	}
	if r.Native != nil {
		r.Native.blocks = blocks[want:]
	}
	f := &Fitted{estimator: e, pickle: blocks[0], hyperparams: r.Hyperparams, held: held,
		predictions: alignedFloat64s(blocks[1]), native: r.Native, importances: r.Importances}
	if r.Probabilities != nil {
		f.probabilities = alignedFloat64s(blocks[2])
	}
	if held.Rows > 0 && len(f.predictions) != held.Rows*e.nOutputs {
		return nil, fmt.Errorf("pybridge: the worker predicted %d values for %d held rows × %d outputs", len(f.predictions), held.Rows, e.nOutputs)
	}
	if f.probabilities != nil && len(f.probabilities) != held.Rows*len(e.classes) {
		return nil, fmt.Errorf("pybridge: the worker gave %d probabilities for %d held rows × %d classes", len(f.probabilities), held.Rows, len(e.classes))
	}
	f.predictRows = f.heldPredictions
	return f, nil
}

// Hyperparams are the hyperparameters the estimator was built with, as JSON (the request's
// plus random_state=0 where the estimator takes one and none was given).
func (f *Fitted) Hyperparams() string { return f.hyperparams }

// MarshalBinary returns the pickle (protocol 5) of the fitted estimator, which Load reads.
func (f *Fitted) MarshalBinary() ([]byte, error) { return f.pickle, nil }

// Close does nothing: the estimator lives on only as its pickle.
func (f *Fitted) Close() {}

// AsModel returns f as an algorithms.Model (an algorithms.Classifier only for a classifier;
// with ExplainedVarianceRatio only for a decomposition) whose predictions are the
// worker's predictions of the held rows: x must be whole rows of the held matrix itself
// (the same memory; scoring in chunks passes consecutive runs of its rows). Other rows are
// an error: to predict them, Load the pickle.
func (f *Fitted) AsModel() algorithms.Model { return asModel(f) }

// heldPredictions copies the worker's answers for x, a run of the held rows.
func (f *Fitted) heldPredictions(dst, x []float64, rows int, proba bool) error {
	first, ok := f.heldRow(x, rows)
	if !ok {
		return fmt.Errorf("pybridge: a model fitted by the python worker predicts only the held-out rows of its fit")
	}
	src, perRow := f.predictions, f.nOutputs
	if proba {
		if f.probabilities == nil {
			return fmt.Errorf("pybridge: the python worker gave no probabilities for this %s", f.pythonType)
		}
		src, perRow = f.probabilities, len(f.classes)
	}
	copy(dst, src[first*perRow:(first+rows)*perRow])
	return nil
}

// heldRow is the index of the held row x starts at, when x is rows whole held rows in the
// held matrix's own memory.
func (f *Fitted) heldRow(x []float64, rows int) (int, bool) {
	if f.held.Rows == 0 || len(x) == 0 {
		return 0, false
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(f.held.Data)))
	at := uintptr(unsafe.Pointer(unsafe.SliceData(x)))
	if at < base || (at-base)%8 != 0 {
		return 0, false
	}
	offset := int((at - base) / 8)
	if offset%f.held.Cols != 0 {
		return 0, false
	}
	first := offset / f.held.Cols
	return first, first+rows <= f.held.Rows
}

var _ algorithms.Classifier = (*Fitted)(nil)
