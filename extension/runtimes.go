package main

import (
	"context"
	"encoding/json"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/native"
)

// modelRuntime is one way to train and load models: the glue never knows which algorithm
// it drives, only through which runtime.
type modelRuntime interface {
	name() string
	// implements reports whether the runtime can train algorithm for task.
	implements(algorithm string, task algorithms.Task) bool
	// train returns the fitted model and the hyperparameters it actually used.
	train(ctx context.Context, algorithm string, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, algorithms.Hyperparams, error)
	load(b []byte) (algorithms.Model, error)
	// modelPath names the model's bytes in pgml.files.
	modelPath() string
	// loadHint helps a user whose stored model does not load.
	loadHint() string
}

// goRuntime is the native library in algorithms/.
type goRuntime struct{}

func (goRuntime) name() string { return runtimeGo }

func (goRuntime) implements(algorithm string, task algorithms.Task) bool {
	for _, name := range native.Algorithms(task) {
		if name == algorithm {
			return true
		}
	}
	return false
}

func (goRuntime) train(ctx context.Context, algorithm string, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, algorithms.Hyperparams, error) {
	model, err := native.Train(ctx, algorithm, task, x, y, hp)
	if err != nil {
		// Native training fails on its input: hyperparameters, labels, shapes.
		return nil, nil, newError(stateInvalidParameter, "%s", err.Error())
	}
	return model, hp, nil
}

func (goRuntime) load(b []byte) (algorithms.Model, error) { return native.Load(b) }

func (goRuntime) modelPath() string { return "estimator.pgml" }

func (goRuntime) loadHint() string {
	return "The model was written by another pgml build; retrain it with pgml.train."
}

// runtimeNamed returns the runtime that stored a model (pgml.models.runtime).
func runtimeNamed(name string) (modelRuntime, error) {
	switch name {
	case runtimeGo, "rust":
		return goRuntime{}, nil
	case runtimePython:
		return pythonRuntime{}, nil
	}
	return nil, newError(stateFeatureMissing, "runtime `%s` is not supported by this build", name)
}

func hyperparamsJSON(hp algorithms.Hyperparams) (string, error) {
	b, err := json.Marshal(hp)
	return string(b), err
}
