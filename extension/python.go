package main

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"syscall"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/pybridge"
)

// pythonRuntime is scikit-learn (and xgboost): fitted in a worker process of this backend
// (pybridge.Worker), which a cancel kills; stored models are loaded and predicted by the
// interpreter embedded in the backend. pybridge loads libpython lazily, so a server without
// Python still runs native models.
type pythonRuntime struct{}

func (pythonRuntime) name() string { return runtimePython }

// implements is optimistic: the bridge knows PostgresML's algorithm table and answers with a
// clear error for a pair it does not support.
func (pythonRuntime) implements(string, algorithms.Task) bool { return true }

// pythonWorker fits this backend's python models: started by the first python fit, reused by
// the next ones (a search pays the interpreter's start once), replaced after a cancel.
var pythonWorker pybridge.Worker

// probabilityClasses: scoring uses probabilities for binary classifiers only (roc_auc,
// log_loss), so the worker computes them for those only.
const probabilityClasses = 2

func (pythonRuntime) train(ctx context.Context, algorithm string, task algorithms.Task, x, y, held algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, algorithms.Hyperparams, error) {
	// The model will be loaded by the embedded interpreter: refuse to train one that cannot be.
	if err := pybridge.Loadable(); err != nil {
		return nil, nil, pythonUnavailable(err)
	}
	threads := pythonTrainingThreads()
	hp, capped := pybridge.CapThreads(hp, threads)
	for _, c := range capped {
		if err := notice("%s = %g would start more threads than a python fit may use: %d used (pgml.python_threads and pgml.training_threads)",
			c.Name, c.Asked, c.Used); err != nil {
			return nil, nil, err
		}
	}
	hpJSON, err := hyperparamsJSON(hp)
	if err != nil {
		return nil, nil, err
	}
	limit, limitOrigin := pythonWorkerMemoryLimit()
	fitted, err := pythonWorker.Fit(ctx,
		pybridge.WorkerConfig{Threads: threads, Venvs: pybridge.ActivatedVenvs(), MemoryLimit: limit},
		pybridge.FitRequest{Algorithm: algorithm, Task: task, X: x, Y: y, Held: held, Hyperparams: hpJSON, ProbabilityClasses: probabilityClasses})
	if err != nil {
		return nil, nil, pythonTrainingError(ctx, err, limitOrigin)
	}
	used := algorithms.Hyperparams{}
	if err := json.Unmarshal([]byte(fitted.Hyperparams()), &used); err != nil {
		return nil, nil, fmt.Errorf("pgml: the python runtime reported hyperparameters %q: %w", fitted.Hyperparams(), err)
	}
	return fitted.AsModel(), used, nil
}

// pythonTrainingThreads is the python worker's BLAS/OpenMP thread count and the cap of the
// thread hyperparameters: pgml.python_threads, within pgml.training_threads (GOMAXPROCS).
func pythonTrainingThreads() int {
	return max(1, min(int(C.pgml_python_threads()), runtime.GOMAXPROCS(0)))
}

// pythonInterpreterAllowance is what the worker's interpreter, numpy and scikit-learn hold
// before a fit (about 150 MB of private memory, RLIMIT_DATA counts OpenBLAS's per-thread
// buffers too): the limit is the training's budget on top of it.
const pythonInterpreterAllowance = 512 << 20

// pythonWorkerMemoryLimit is the python worker's memory limit (RLIMIT_DATA) and how messages
// name it: the training's budget (memory.go) plus the interpreter's allowance.
func pythonWorkerMemoryLimit() (int64, string) {
	budget := trainingBudget()
	return budget.bytes + pythonInterpreterAllowance,
		fmt.Sprintf("%s, the training's budget of %s, plus %s for the interpreter", formatBytes(budget.bytes+pythonInterpreterAllowance), budget.origin, formatBytes(pythonInterpreterAllowance))
}

// pythonTrainingError maps what can end a fit in the worker to SQL errors.
func pythonTrainingError(ctx context.Context, err error, limitOrigin string) error {
	var exit *pybridge.WorkerExitError
	switch {
	case ctx.Err() != nil || errors.Is(err, pybridge.ErrInterrupted):
		return errInterrupted
	case errors.Is(err, pybridge.ErrUnavailable):
		return pythonUnavailable(err)
	case errors.Is(err, pybridge.ErrOutOfMemory):
		return &sqlError{state: stateOutOfMemory, msg: fmt.Sprintf("python training ran out of memory (the worker's limit: %s): %v", limitOrigin, err),
			hint: "Train on fewer rows (sample them with a view) or fewer features, or choose an algorithm that needs less memory."}
	case errors.As(err, &exit):
		hint := "The backend and its data are unaffected; the next python training starts a new worker."
		if exit.Signal == syscall.SIGKILL {
			hint = "Nothing in pgml sent that SIGKILL: the kernel's out-of-memory killer picks the python worker first. " + hint
		}
		return &sqlError{state: stateSystemError, msg: "python training failed: " + err.Error(), hint: hint}
	}
	return pythonError(err)
}

// estimate: scikit-learn fits on its own float64 copies of the data (numpy arrays handed
// over, validated, often copied again in C order).
func (pythonRuntime) estimate(algorithm string, task algorithms.Task, rows, cols, outputs int, hp algorithms.Hyperparams) int64 {
	return 3*bytesOf(rows, cols) + bytesOf(rows, outputs)
}

func (pythonRuntime) load(b []byte) (algorithms.Model, error) {
	if err := startPython(); err != nil {
		return nil, err
	}
	model, err := pybridge.Load(b)
	if err != nil {
		return nil, pythonError(err)
	}
	return model.AsModel(), nil
}

func (pythonRuntime) modelPath() string { return "estimator.pickle" }

func (pythonRuntime) loadHint() string {
	return "Python models are pickles: they load only with compatible scikit-learn and xgboost versions."
}

// startPython applies the thread setting before the interpreter starts (a no-op afterwards).
func startPython() error {
	pybridge.SetThreads(int(C.pgml_python_threads()))
	if err := pybridge.Available(); err != nil {
		return pythonUnavailable(err)
	}
	return nil
}

func pythonUnavailable(err error) error {
	return withHint(newError(stateFeatureMissing, "%s", err.Error()),
		"The python runtime needs Debian's python3, libpython3.11, python3-numpy and python3-sklearn (python3-xgboost for xgboost).")
}

func pythonError(err error) error {
	return newError(stateExternalRoutine, "%s", err.Error())
}

//export pgmlGoPythonVersion
func pgmlGoPythonVersion(out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		if err := startPython(); err != nil {
			return err
		}
		v, err := pybridge.PythonVersion()
		if err != nil {
			return pythonError(err)
		}
		setResultText(out, 0, v)
		return nil
	})
}

//export pgmlGoPythonPackageVersion
func pgmlGoPythonPackageVersion(nameArg C.PgmlText, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		name, _ := goText(nameArg)
		if err := startPython(); err != nil {
			return err
		}
		v, err := pybridge.PackageVersion(name)
		if err != nil {
			return pythonError(err)
		}
		setResultText(out, 0, v)
		return nil
	})
}

// pgmlGoValidatePythonDependencies reports each package's version or why it is missing, and
// answers true when the python runtime can train (numpy and scikit-learn import).
//
//export pgmlGoValidatePythonDependencies
func pgmlGoValidatePythonDependencies(out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		pybridge.SetThreads(int(C.pgml_python_threads()))
		if err := pybridge.Available(); err != nil {
			out.flag = false
			return notice("python runtime unavailable: %v", err)
		}
		deps := pybridge.Dependencies()
		names := make([]string, 0, len(deps))
		for name := range deps {
			names = append(names, name)
		}
		sort.Strings(names)
		var lines []string
		for _, name := range names {
			lines = append(lines, name+" "+deps[name])
		}
		if err := info("python dependencies: %s", strings.Join(lines, "; ")); err != nil {
			return err
		}
		out.flag = true
		return nil
	})
}
