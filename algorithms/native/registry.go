package native

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
	"github.com/pgml-go/pgml/algorithms/safego"
)

type trainFunc func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error)

type loadFunc func(payload []byte) (algorithms.Model, error)

type implementation struct {
	train trainFunc
	load  loadFunc
}

// registry maps algorithm name and task to its implementation. Each algorithm family fills
// it from an init function in its own register_<family>.go, so families stay independent.
var registry = map[string]map[algorithms.Task]implementation{}

// register adds one algorithm for one task; a duplicate is a programming error.
func register(name string, task algorithms.Task, train trainFunc, load loadFunc) {
	if registry[name] == nil {
		registry[name] = map[algorithms.Task]implementation{}
	}
	if _, dup := registry[name][task]; dup {
		panic(fmt.Sprintf("native: %s %v registered twice", name, task))
	}
	registry[name][task] = implementation{train: train, load: load}
}

// Algorithms returns the sorted names implemented natively for task.
func Algorithms(task algorithms.Task) []string {
	var names []string
	for name, impls := range registry {
		if _, ok := impls[task]; ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func lookup(algorithm string, task algorithms.Task) (implementation, error) {
	if !task.Valid() {
		return implementation{}, fmt.Errorf("unknown task %v", task)
	}
	impl, ok := registry[algorithm][task]
	if !ok {
		return implementation{}, fmt.Errorf("algorithm %q is not available natively for %v; available: %s",
			algorithm, task, strings.Join(Algorithms(task), ", "))
	}
	return impl, nil
}

// Train fits algorithm to x (one row per sample) and y (one column per
// target; class labels in a single column for classification). It stops
// with a wrapped ctx.Err() once ctx is done.
func Train(ctx context.Context, algorithm string, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) (m algorithms.Model, err error) {
	impl, err := lookup(algorithm, task)
	if err != nil {
		return nil, err
	}
	// A panic is a bug, not bad input: it stays a *safego.PanicError, which the
	// extension reports as an internal error.
	defer safego.Recover(&err)
	return impl.train(ctx, x, y, hp)
}

// Load decodes a model written by its MarshalBinary.
func Load(b []byte) (m algorithms.Model, err error) {
	h, payload, err := modelfile.ReadHeader(b)
	if err != nil {
		return nil, err
	}
	impl, err := lookup(h.Algorithm, h.Task)
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("modelfile: corrupt %s %v model: %v", h.Algorithm, h.Task, r)
		}
	}()
	return impl.load(payload)
}
