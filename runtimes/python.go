package runtimes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"syscall"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/analysis"
	"github.com/pgml-go/pgml/lifecycle"
	"github.com/pgml-go/pgml/pybridge"
)

// Python is scikit-learn (and xgboost): fitted in a worker process of this backend
// (pybridge.Worker), which a cancel kills; stored models are loaded and predicted by the
// interpreter embedded in the backend. pybridge loads libpython lazily, so a server without
// Python still runs native models.
type Python struct {
	// Threads reads pgml.python_threads.
	Threads func() int
}

func (Python) Name() string { return "python" }

// Implements answers from the bridge's table of estimators (pythonAlgorithms), so that a name
// PostgresML lists but no estimator here trains (dbscan, spectral, ...) is refused before any
// data is read, with the list of what works. catboost is listed by PostgresML for python but
// no Python package for it is installed here: refusing it names the native runtime, which has it.
func (Python) Implements(algorithm string, task algorithms.Task) bool {
	return slices.Contains(pythonAlgorithms[task], algorithm)
}

// pythonAlgorithms is what pybridge/bridge.py trains per task (its _ALGORITHMS and
// _UNSUPERVISED tables), less catboost; TestPythonAlgorithmsMatchBridge keeps the two equal.
var pythonAlgorithms = map[algorithms.Task][]string{
	algorithms.Regression: {
		"ada_boost", "automatic_relevance_determination", "bagging", "bayesian_ridge", "elastic_net", "extra_trees",
		"gaussian_process", "gradient_boosting_trees", "hist_gradient_boosting", "huber", "kernel_ridge", "lasso",
		"lasso_least_angle", "least_angle", "lightgbm", "linear", "linear_svm", "nu_svm", "orthogonal_matching_pursuit",
		"passive_aggressive", "quantile", "random_forest", "ransac", "ridge", "stochastic_gradient_descent", "svm",
		"theil_sen", "xgboost", "xgboost_random_forest",
	},
	algorithms.Classification: {
		"ada_boost", "bagging", "extra_trees", "gaussian_process", "gradient_boosting_trees", "hist_gradient_boosting",
		"lightgbm", "linear", "linear_svm", "nu_svm", "passive_aggressive", "perceptron", "random_forest", "ridge",
		"stochastic_gradient_descent", "svm", "xgboost", "xgboost_random_forest",
	},
	algorithms.Clustering:    {"affinity_propagation", "birch", "kmeans", "mean_shift", "mini_batch_kmeans"},
	algorithms.Decomposition: {"pca"},
}

// nativeOnly are the algorithms only the native runtime trains (algorithms/catboost).
var nativeOnly = []string{"catboost"}

func (Python) Algorithms(task algorithms.Task) []string { return pythonAlgorithms[task] }

// Decodes keeps loading as it was before training checked the table: a stored pickle is
// whatever the bridge made of it.
func (Python) Decodes(algorithm string, _ algorithms.Task) bool {
	return !slices.Contains(nativeOnly, algorithm)
}

// pythonWorker fits this backend's python models: started by the first python fit, reused by
// the next ones (a search pays the interpreter's start once), replaced after a cancel.
var pythonWorker pybridge.Worker

// probabilityClasses: scoring uses probabilities for binary classifiers only (roc_auc,
// log_loss), so the worker computes them for those only; the stored model's analysis
// (lifecycle/analysis.go) also draws one-vs-rest curves of up to analysis.MaxClasses classes.
func probabilityClasses(final bool) int {
	if final {
		return analysis.MaxClasses
	}
	return 2
}

func (py Python) Train(ctx context.Context, fit *lifecycle.Fit) (algorithms.Model, algorithms.Hyperparams, error) {
	// The model will be loaded by the embedded interpreter: refuse to train one that cannot be.
	if err := pybridge.Loadable(); err != nil {
		return nil, nil, pythonUnavailable(err)
	}
	threads := max(1, min(py.Threads(), runtime.GOMAXPROCS(0)))
	hp, capped := pybridge.CapThreads(fit.Hyperparams, threads)
	for _, c := range capped {
		if err := fit.Notice("%s = %g would start more threads than a python fit may use: %d used (pgml.python_threads and pgml.training_threads)",
			c.Name, c.Asked, c.Used); err != nil {
			return nil, nil, err
		}
	}
	hpJSON, err := json.Marshal(hp)
	if err != nil {
		return nil, nil, err
	}
	limit := fit.Budget.Bytes + pythonInterpreterAllowance
	limitOrigin := fmt.Sprintf("%s, the training's budget of %s, plus %s for the interpreter",
		lifecycle.FormatBytes(limit), fit.Budget.Origin, lifecycle.FormatBytes(pythonInterpreterAllowance))
	fitted, err := pythonWorker.Fit(ctx,
		pybridge.WorkerConfig{Threads: threads, Venvs: pybridge.ActivatedVenvs(), MemoryLimit: limit},
		pybridge.FitRequest{Algorithm: fit.Algorithm, Task: fit.Task, X: fit.X, Y: fit.Y, Held: fit.Held, Hyperparams: string(hpJSON), ProbabilityClasses: probabilityClasses(fit.Final),
			ExportNative: fit.Final})
	if err != nil {
		return nil, nil, pythonTrainingError(ctx, err, limitOrigin)
	}
	used := algorithms.Hyperparams{}
	if err := json.Unmarshal([]byte(fitted.Hyperparams()), &used); err != nil {
		return nil, nil, fmt.Errorf("pgml: the python runtime reported hyperparameters %q: %w", fitted.Hyperparams(), err)
	}
	return fitted.AsModel(), used, nil
}

// pythonInterpreterAllowance is what the worker's interpreter, numpy and scikit-learn hold
// before a fit (about 150 MB of private memory, RLIMIT_DATA counts OpenBLAS's per-thread
// buffers too): the worker's memory limit is the training's budget on top of it.
const pythonInterpreterAllowance = 512 << 20

// pythonTrainingError maps what can end a fit in the worker to SQL errors.
func pythonTrainingError(ctx context.Context, err error, limitOrigin string) error {
	var exit *pybridge.WorkerExitError
	switch {
	case ctx.Err() != nil || errors.Is(err, pybridge.ErrInterrupted):
		return lifecycle.ErrInterrupted
	case errors.Is(err, pybridge.ErrUnavailable):
		return pythonUnavailable(err)
	case errors.Is(err, pybridge.ErrOutOfMemory):
		return &lifecycle.Error{State: lifecycle.StateOutOfMemory, Msg: fmt.Sprintf("python training ran out of memory (the worker's limit: %s): %v", limitOrigin, err),
			Hint: "Train on fewer rows (sample them with a view) or fewer features, or choose an algorithm that needs less memory."}
	case errors.As(err, &exit):
		hint := "The backend and its data are unaffected; the next python training starts a new worker."
		if exit.Signal == syscall.SIGKILL {
			hint = "Nothing in pgml sent that SIGKILL: the kernel's out-of-memory killer picks the python worker first. " + hint
		}
		return &lifecycle.Error{State: lifecycle.StateSystemError, Msg: "python training failed: " + err.Error(), Hint: hint}
	}
	return PythonError(err)
}

// Estimate: scikit-learn fits on its own float64 copies of the data (numpy arrays handed
// over, validated, often copied again in C order).
func (Python) Estimate(algorithm string, task algorithms.Task, rows, cols, outputs int, hp algorithms.Hyperparams) int64 {
	return 3*lifecycle.BytesOf(rows, cols) + lifecycle.BytesOf(rows, outputs)
}

func (py Python) Load(b []byte) (algorithms.Model, error) {
	if err := StartPython(py.Threads()); err != nil {
		return nil, err
	}
	model, err := pybridge.Load(b)
	if err != nil {
		return nil, PythonError(err)
	}
	return model.AsModel(), nil
}

// Reopen hands a stored model to the worker for its native form (lifecycle/nativize.go): the
// pickle is loaded there, never by this backend's interpreter, under the training's budget.
func (py Python) Reopen(ctx context.Context, r *lifecycle.Reopen) (algorithms.Model, error) {
	threads := max(1, min(py.Threads(), runtime.GOMAXPROCS(0)))
	limit := r.Budget.Bytes + pythonInterpreterAllowance
	limitOrigin := fmt.Sprintf("%s, the training's budget of %s, plus %s for the interpreter",
		lifecycle.FormatBytes(limit), r.Budget.Origin, lifecycle.FormatBytes(pythonInterpreterAllowance))
	fitted, err := pythonWorker.Convert(ctx, pybridge.WorkerConfig{Threads: threads, Venvs: pybridge.ActivatedVenvs(), MemoryLimit: limit},
		pybridge.ConvertRequest{Algorithm: r.Algorithm, Task: r.Task, Pickle: r.Bytes, Held: r.Held})
	if err != nil {
		return nil, pythonTrainingError(ctx, err, limitOrigin)
	}
	return fitted.AsModel(), nil
}

func (Python) FilePath() string { return "estimator.pickle" }

func (Python) LoadHint() string {
	return "Python models are pickles: they load only with compatible scikit-learn and xgboost versions."
}

// StartPython applies the thread setting before the interpreter starts (a no-op afterwards).
func StartPython(threads int) error {
	pybridge.SetThreads(threads)
	if err := pybridge.Available(); err != nil {
		return pythonUnavailable(err)
	}
	return nil
}

func pythonUnavailable(err error) error {
	return lifecycle.WithHint(lifecycle.Errorf(lifecycle.StateFeatureMissing, "%s", err.Error()),
		"The python runtime needs Debian's python3, libpython3.11, python3-numpy and python3-sklearn (python3-xgboost for xgboost).")
}

// PythonError reports an error of the interpreter (a Python exception) as the user's.
func PythonError(err error) error {
	return lifecycle.Errorf(lifecycle.StateExternalRoutine, "%s", err.Error())
}
