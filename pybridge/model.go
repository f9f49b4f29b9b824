package pybridge

import (
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
	estimator
	mu     sync.RWMutex
	handle unsafe.Pointer // PyObject*, owned; nil after Close
}

func newModel(handle unsafe.Pointer, algorithm string) (*Model, error) {
	js, err := cInfo(handle)
	if err != nil {
		cRelease(handle)
		return nil, err
	}
	info, err := parseModelInfo(js)
	if err != nil {
		cRelease(handle)
		return nil, err
	}
	e, err := newEstimator(info, algorithm)
	if err != nil {
		cRelease(handle)
		return nil, err
	}
	m := &Model{estimator: e, handle: handle}
	m.predictRows = m.predictInPython
	return m, nil
}

// Train builds the estimator that algorithm and task select (the python
// column of the algorithm table in docs/sql-reference.md: PostgresML's
// estimators, with 2.x's clustering and decomposition algorithms), passes hyperparams (a JSON object, "" for
// none) as keyword arguments, adding random_state=0 when the estimator takes
// one and the user gave none (PostgresML 1.0), and fits it. For the
// supervised tasks y has one column, or several for joint regression (the
// estimators marked wrap_multioutput in bridge.py are wrapped in
// MultiOutputRegressor). The
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

// AsModel returns m as an algorithms.Model whose dynamic type implements
// algorithms.Classifier only when m is a classifier, and
// interface{ ExplainedVarianceRatio() []float64 } only when m is a
// decomposition.
func (m *Model) AsModel() algorithms.Model { return asModel(m) }

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

// predictInPython runs the estimator's predict (or predict_proba) in the
// embedded interpreter, zero-copy both ways.
func (m *Model) predictInPython(dst, x []float64, rows int, proba bool) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.handle == nil {
		return errClosed
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return cPredict(m.handle, dst, x, rows, m.nFeatures, proba)
}

var _ algorithms.Classifier = (*Model)(nil)
