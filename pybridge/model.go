package pybridge

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
)

// Model is a fitted Python (scikit-learn API) estimator living in the
// embedded interpreter. It implements algorithms.Model, and its
// Classes/PredictProba and ExplainedVarianceRatio methods make *Model satisfy
// algorithms.Classifier and the decomposition interface structurally whatever
// its task: use AsModel to get a value whose dynamic type reports the task
// truthfully to a type assertion.
//
// A Model holds a reference to a Python object: call Close when done.
// Methods are safe for concurrent use (Python serializes them on the GIL).
type Model struct {
	mu         sync.RWMutex
	handle     unsafe.Pointer // PyObject*, owned; nil after Close
	algorithm  string
	task       algorithms.Task
	nFeatures  int
	nOutputs   int
	classes    []float64
	hasProba   bool
	pythonType string
	evr        []float64 // explained_variance_ratio_ of a decomposition
}

type modelInfo struct {
	Algorithm    string    `json:"algorithm"`
	Task         string    `json:"task"`
	NFeatures    int       `json:"n_features"`
	NOutputs     int       `json:"n_outputs"`
	Classes      []float64 `json:"classes"`
	PredictProba bool      `json:"predict_proba"`
	Class        string    `json:"class"`
	// ExplainedVarianceRatio is the decomposition's explained_variance_ratio_.
	ExplainedVarianceRatio []float64 `json:"explained_variance_ratio"`
}

func newModel(handle unsafe.Pointer, algorithm string) (*Model, error) {
	js, err := cInfo(handle)
	if err != nil {
		cRelease(handle)
		return nil, err
	}
	var info modelInfo
	if err := json.Unmarshal([]byte(js), &info); err != nil {
		cRelease(handle)
		return nil, fmt.Errorf("pybridge: bad model description %q: %w", js, err)
	}
	task, err := algorithms.ParseTask(info.Task)
	if err != nil {
		cRelease(handle)
		return nil, err
	}
	if algorithm == "" {
		algorithm = info.Algorithm
	}
	if info.NOutputs < 1 {
		info.NOutputs = 1
	}
	return &Model{
		handle:     handle,
		algorithm:  algorithm,
		task:       task,
		nFeatures:  info.NFeatures,
		nOutputs:   info.NOutputs,
		classes:    info.Classes,
		hasProba:   info.PredictProba,
		pythonType: info.Class,
		evr:        info.ExplainedVarianceRatio,
	}, nil
}

// Train builds the estimator that algorithm and task select (specification
// table 3.5 for regression and classification; PostgresML 2.x's clustering
// and decomposition algorithms), passes hyperparams (a JSON object, "" for
// none) as keyword arguments, adding random_state=0 when the estimator takes
// one and the user gave none (PostgresML 1.0), and fits it. For the
// supervised tasks y has one column, or several for joint regression (the
// estimators marked (M) are wrapped in MultiOutputRegressor). The
// unsupervised tasks (clustering, decomposition) have no labels: y is
// ignored (callers pass a matrix with 0 columns) and the estimator is fitted
// on x alone. It returns the model and the effective hyperparameters as
// JSON. x and y are copied once into Python.
func Train(algorithm string, task algorithms.Task, x, y algorithms.Matrix, hyperparams string) (m *Model, effective string, err error) {
	defer recoverPanic(&err)
	if !task.Valid() {
		return nil, "", fmt.Errorf("pybridge: invalid task %v", task)
	}
	if x.Rows <= 0 || x.Cols <= 0 || len(x.Data) != x.Rows*x.Cols {
		return nil, "", fmt.Errorf("pybridge: x is %d×%d with %d values", x.Rows, x.Cols, len(x.Data))
	}
	if !task.Supervised() {
		y = algorithms.Matrix{Rows: x.Rows}
	} else if y.Rows != x.Rows || y.Cols <= 0 || len(y.Data) != y.Rows*y.Cols {
		return nil, "", fmt.Errorf("pybridge: y is %d×%d with %d values, x has %d rows", y.Rows, y.Cols, len(y.Data), x.Rows)
	}
	if hyperparams == "" {
		hyperparams = "{}"
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := start(); err != nil {
		return nil, "", err
	}
	h, eff, err := cTrain(algorithm, task.String(), hyperparams, x.Data, y.Data, x.Rows, x.Cols, y.Cols)
	if err != nil {
		return nil, "", err
	}
	m, err = newModel(h, algorithm)
	if err != nil {
		return nil, "", err
	}
	return m, eff, nil
}

// Load unpickles a model written by MarshalBinary (or a PostgresML 1.0
// pickle of an estimator). pickle executes code: only pass bytes that pgml
// itself stored. The algorithm name is recovered from the estimator's class
// (orthogonal_matching_pursuit for either spelling).
func Load(pickled []byte) (m *Model, err error) {
	defer recoverPanic(&err)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := start(); err != nil {
		return nil, err
	}
	h, err := cLoad(pickled)
	if err != nil {
		return nil, err
	}
	return newModel(h, "")
}

// Algorithm is the algorithm name given to Train, or derived from the
// estimator's class after Load.
func (m *Model) Algorithm() string { return m.algorithm }

// Task is the estimator's task: classification (sklearn.base.is_classifier),
// clustering (a clusterer: _estimator_type "clusterer"), decomposition (a
// fitted transformer without predict that has components_, i.e. PCA) or
// regression (anything else with predict).
func (m *Model) Task() algorithms.Task { return m.task }

// NumFeatures is the estimator's n_features_in_.
func (m *Model) NumFeatures() int { return m.nFeatures }

// NumOutputs is the number of values Predict writes per row: the number of
// regression targets, 1 for classifiers and clusterers (the cluster index),
// n_components_ for a decomposition (the transformed row).
func (m *Model) NumOutputs() int { return m.nOutputs }

// Classes returns the classifier's classes_ (sorted; nil for regressors).
func (m *Model) Classes() []float64 { return m.classes }

// HasPredictProba reports whether the estimator has predict_proba (e.g.
// RidgeClassifier, Perceptron and SVC without probability=true do not).
func (m *Model) HasPredictProba() bool { return m.hasProba }

// ExplainedVarianceRatio is a decomposition's explained_variance_ratio_
// (NumOutputs values, largest first); nil for the other tasks. The caller
// must not modify it.
func (m *Model) ExplainedVarianceRatio() []float64 {
	if m.task != algorithms.Decomposition {
		return nil
	}
	return m.evr
}

// PythonClass is the estimator's module-qualified class name.
func (m *Model) PythonClass() string { return m.pythonType }

// IsClassifier reports whether the model is a classifier.
func (m *Model) IsClassifier() bool { return m.task == algorithms.Classification }

// AsModel returns m as an algorithms.Model whose dynamic type implements
// algorithms.Classifier only when m is a classifier, and
// interface{ ExplainedVarianceRatio() []float64 } only when m is a
// decomposition.
func (m *Model) AsModel() algorithms.Model {
	switch m.task {
	case algorithms.Classification:
		return m
	case algorithms.Decomposition:
		return decompositionView{regressorView{m}}
	}
	return regressorView{m}
}

// regressorView exposes only the algorithms.Model methods of a regressor or
// clusterer.
type regressorView struct{ m *Model }

// decompositionView adds ExplainedVarianceRatio to a regressorView.
type decompositionView struct{ regressorView }

func (d decompositionView) ExplainedVarianceRatio() []float64 { return d.m.ExplainedVarianceRatio() }

func (r regressorView) Algorithm() string              { return r.m.Algorithm() }
func (r regressorView) Task() algorithms.Task          { return r.m.Task() }
func (r regressorView) NumFeatures() int               { return r.m.NumFeatures() }
func (r regressorView) NumOutputs() int                { return r.m.NumOutputs() }
func (r regressorView) Predict(dst, x []float64)       { r.m.Predict(dst, x) }
func (r regressorView) MarshalBinary() ([]byte, error) { return r.m.MarshalBinary() }

// PredictChecked and Close are what callers use beyond algorithms.Model: prediction that
// reports Python errors, and releasing the Python object.
func (r regressorView) PredictChecked(dst, x []float64) error { return r.m.PredictChecked(dst, x) }
func (r regressorView) Close()                                { r.m.Close() }

// MarshalBinary returns the pickle (protocol 5) of the estimator.
func (m *Model) MarshalBinary() (b []byte, err error) {
	defer recoverPanic(&err)
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.handle == nil {
		return nil, errClosed
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return cDumps(m.handle)
}

var errClosed = fmt.Errorf("pybridge: model is closed")

// Close releases the Python object. The model must not be used afterwards
// (calls return an error). Close is idempotent.
func (m *Model) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.handle == nil {
		return
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cRelease(m.handle)
	m.handle = nil
}

func (m *Model) rows(lenDst, lenX, perRow int) (int, error) {
	p := m.nFeatures
	if p <= 0 || lenX%p != 0 {
		return 0, fmt.Errorf("model expects %d features per row, got %d values", p, lenX)
	}
	rows := lenX / p
	if lenDst != rows*perRow {
		return 0, fmt.Errorf("destination holds %d values, want %d (%d rows × %d)", lenDst, rows*perRow, rows, perRow)
	}
	return rows, nil
}

func (m *Model) predict(dst, x []float64, proba bool) (err error) {
	defer recoverPanic(&err)
	perRow := m.nOutputs
	if proba {
		if !m.IsClassifier() {
			return fmt.Errorf("You can't predict probabilities for a %s model", m.task)
		}
		perRow = len(m.classes)
	}
	rows, err := m.rows(len(dst), len(x), perRow)
	if err != nil {
		return err
	}
	if rows == 0 {
		return nil
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.handle == nil {
		return errClosed
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return cPredict(m.handle, dst, x, rows, m.nFeatures, proba)
}

// PredictChecked writes NumOutputs predictions per row of x into dst (class
// labels for classifiers, cluster indexes for clusterers, the transformed
// row for a decomposition), returning shape and Python errors.
func (m *Model) PredictChecked(dst, x []float64) error { return m.predict(dst, x, false) }

// PredictProbaChecked writes len(Classes()) probabilities per row, in the
// order of Classes.
func (m *Model) PredictProbaChecked(dst, x []float64) error { return m.predict(dst, x, true) }

// Predict implements algorithms.Model: it panics on a shape mismatch, like
// the native models, and also with the Python error text when Python fails.
// Callers that can handle errors use PredictChecked.
func (m *Model) Predict(dst, x []float64) {
	if err := m.PredictChecked(dst, x); err != nil {
		panic(err.Error())
	}
}

// PredictProba implements algorithms.Classifier; panics like Predict.
func (m *Model) PredictProba(dst, x []float64) {
	if err := m.PredictProbaChecked(dst, x); err != nil {
		panic(err.Error())
	}
}

var (
	_ algorithms.Classifier                           = (*Model)(nil)
	_ algorithms.Model                                = regressorView{}
	_ algorithms.Model                                = decompositionView{}
	_ interface{ ExplainedVarianceRatio() []float64 } = decompositionView{}
)
