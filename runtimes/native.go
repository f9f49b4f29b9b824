package runtimes

import (
	"context"
	"errors"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/native"
	"github.com/pgml-go/pgml/algorithms/safego"
	"github.com/pgml-go/pgml/lifecycle"
)

// Native is the pure-Go library of algorithms/native.
type Native struct{}

func (Native) Name() string { return "go" }

// FitsOffMainThread: a native fit is pure Go, so the main thread publishes its progress
// while it runs (lifecycle/progress.go).
func (Native) FitsOffMainThread() bool { return true }

func (Native) Implements(algorithm string, task algorithms.Task) bool {
	return slices.Contains(native.Algorithms(task), algorithm)
}

func (Native) Algorithms(task algorithms.Task) []string { return native.Algorithms(task) }

func (Native) Train(ctx context.Context, fit *lifecycle.Fit) (algorithms.Model, algorithms.Hyperparams, error) {
	model, err := native.Train(ctx, fit.Algorithm, fit.Task, fit.X, fit.Y, fit.Hyperparams)
	if err != nil {
		return nil, nil, fitError(err)
	}
	return model, fit.Hyperparams, nil
}

// fitError maps an error of a native fit: it fails on its input (hyperparameters, labels,
// shapes), unless it panicked.
func fitError(err error) error {
	var pe *safego.PanicError
	if errors.As(err, &pe) {
		return err // a bug: reported as an internal error
	}
	return lifecycle.Errorf(lifecycle.StateInvalidParameter, "%s", err.Error())
}

// Estimate is the algorithm's own estimate of what its fit allocates (tested against measured
// peaks). A shape or hyperparameter it cannot estimate is one the fit refuses with a better
// message: one copy of the data stands in until then.
func (Native) Estimate(algorithm string, task algorithms.Task, rows, cols, outputs int, hp algorithms.Hyperparams) int64 {
	return estimateOr(native.EstimateFit, algorithm, task, rows, cols, outputs, hp)
}

func estimateOr(estimate func(string, algorithms.Task, int, int, int, algorithms.Hyperparams) (int64, error),
	algorithm string, task algorithms.Task, rows, cols, outputs int, hp algorithms.Hyperparams) int64 {
	if b, err := estimate(algorithm, task, max(rows, 1), max(cols, 1), outputs, hp); err == nil {
		return b
	}
	return lifecycle.BytesOf(rows, cols) + lifecycle.BytesOf(rows, outputs)
}

// nativeFile names the models of pgml's own format (algorithms/modelfile), native and xgboost,
// and the native forms of python models.
const nativeFile = lifecycle.NativeFormPath

func (Native) FilePath() string { return nativeFile }

func (Native) Load(b []byte) (algorithms.Model, error) { return native.Load(b) }

// Decodes covers the native forms of python models too, which this runtime loads but does
// not train.
func (Native) Decodes(algorithm string, task algorithms.Task) bool {
	return native.Decodes(algorithm, task)
}

func (Native) LoadHint() string { return nativeLoadHint }

const nativeLoadHint = "The model was written by another pgml build; retrain it with pgml.train."
