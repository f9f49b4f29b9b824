package main

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
	"github.com/pgml-go/pgml/algorithms/native"
	"github.com/pgml-go/pgml/algorithms/safego"
	"github.com/pgml-go/pgml/xgboost"
)

// modelRuntime is one way to train and load models: the glue never knows which algorithm
// it drives, only through which runtime.
type modelRuntime interface {
	name() string
	// implements reports whether the runtime can train algorithm for task.
	implements(algorithm string, task algorithms.Task) bool
	// train returns the fitted model and the hyperparameters it actually used. held are the
	// rows the model will be scored on (a runtime that fits in another process predicts them
	// there; its model then answers only for them).
	train(ctx context.Context, algorithm string, task algorithms.Task, x, y, held algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, algorithms.Hyperparams, error)
	load(b []byte) (algorithms.Model, error)
	// estimate bounds the bytes a fit allocates beyond its inputs (x: rows × cols float64).
	estimate(algorithm string, task algorithms.Task, rows, cols, outputs int, hp algorithms.Hyperparams) int64
	// modelPath names the model's bytes in pgml.files.
	modelPath() string
	// loadHint helps a user whose stored model does not load.
	loadHint() string
}

// goRuntime is the native library in algorithms/.
type goRuntime struct{}

func (goRuntime) name() string { return runtimeGo }

func (goRuntime) implements(algorithm string, task algorithms.Task) bool {
	return slices.Contains(nativeAlgorithms(task), algorithm)
}

// nativeAlgorithms are the algorithms of the go runtime: pure Go, and XGBoost's C library.
func nativeAlgorithms(task algorithms.Task) []string {
	names := append(native.Algorithms(task), xgboost.Algorithms(task)...)
	slices.Sort(names)
	return names
}

func (goRuntime) train(ctx context.Context, algorithm string, task algorithms.Task, x, y, _ algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, algorithms.Hyperparams, error) {
	train := native.Train
	if slices.Contains(xgboost.Algorithms(task), algorithm) {
		train = xgboost.Train
	}
	model, err := train(ctx, algorithm, task, x, y, hp)
	var pe *safego.PanicError
	switch {
	case errors.As(err, &pe):
		return nil, nil, err // a bug: reported as an internal error
	case errors.Is(err, xgboost.ErrUnavailable):
		return nil, nil, withHint(newError(stateFeatureMissing, "%s", err.Error()),
			"pgml's xgboost algorithms need the Debian package libxgboost0.")
	case err != nil:
		// Native training fails on its input: hyperparameters, labels, shapes.
		return nil, nil, newError(stateInvalidParameter, "%s", err.Error())
	}
	return model, hp, nil
}

// estimate is the algorithm's own estimate of what its fit allocates (native.EstimateFit,
// xgboost.EstimateFit: both tested against measured peaks). A shape or hyperparameter it
// cannot estimate is one the fit refuses with a better message: one copy of the data stands
// in until then.
func (goRuntime) estimate(algorithm string, task algorithms.Task, rows, cols, outputs int, hp algorithms.Hyperparams) int64 {
	estimate := native.EstimateFit
	if slices.Contains(xgboost.Algorithms(task), algorithm) {
		estimate = xgboost.EstimateFit
	}
	if b, err := estimate(algorithm, task, max(rows, 1), max(cols, 1), outputs, hp); err == nil {
		return b
	}
	return bytesOf(rows, cols) + bytesOf(rows, outputs)
}

func (goRuntime) load(b []byte) (algorithms.Model, error) {
	header, _, err := modelfile.ReadHeader(b)
	if err != nil {
		return nil, err
	}
	if slices.Contains(xgboost.Algorithms(header.Task), header.Algorithm) {
		return xgboost.Load(b)
	}
	return native.Load(b)
}

func (goRuntime) modelPath() string { return "estimator.pgml" }

func (goRuntime) loadHint() string {
	return "The model was written by another pgml build; retrain it with pgml.train."
}

func hyperparamsJSON(hp algorithms.Hyperparams) (string, error) {
	b, err := json.Marshal(hp)
	return string(b), err
}
