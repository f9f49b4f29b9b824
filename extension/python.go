package main

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/pybridge"
)

// pythonRuntime is scikit-learn (and xgboost) in the interpreter embedded in this backend.
// pybridge loads libpython lazily, so a server without Python still runs native models.
type pythonRuntime struct{}

func (pythonRuntime) name() string { return runtimePython }

// implements is optimistic: the bridge knows PostgresML's algorithm table and answers with a
// clear error for a pair it does not support.
func (pythonRuntime) implements(string, algorithms.Task) bool { return true }

func (pythonRuntime) train(ctx context.Context, algorithm string, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, algorithms.Hyperparams, error) {
	hpJSON, err := hyperparamsJSON(hp)
	if err != nil {
		return nil, nil, err
	}
	if err := startPython(); err != nil {
		return nil, nil, err
	}
	stop := context.AfterFunc(ctx, pybridge.RequestInterrupt)
	defer stop()
	model, usedJSON, err := pybridge.Train(algorithm, task, x, y, hpJSON)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, errInterrupted
		}
		return nil, nil, pythonError(err)
	}
	used := algorithms.Hyperparams{}
	if err := json.Unmarshal([]byte(usedJSON), &used); err != nil {
		model.Close()
		return nil, nil, fmt.Errorf("pgml: the python runtime reported hyperparameters %q: %w", usedJSON, err)
	}
	return model.AsModel(), used, nil
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
		return withHint(newError(stateFeatureMissing, "%s", err.Error()),
			"The python runtime needs Debian's libpython3.11, python3-numpy and python3-sklearn (python3-xgboost for xgboost).")
	}
	return nil
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
