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

// estimateFunc bounds the bytes a fit allocates beyond x and y; see EstimateFit.
type estimateFunc func(rows, cols, outputs int, hp algorithms.Hyperparams) (int64, error)

type implementation struct {
	train    trainFunc
	load     loadFunc
	estimate estimateFunc
}

// registry maps algorithm name and task to its implementation. Each algorithm family fills
// it from an init function in its own register_<family>.go, so families stay independent.
var registry = map[string]map[algorithms.Task]implementation{}

// register adds one algorithm for one task; a duplicate is a programming error.
func register(name string, task algorithms.Task, train trainFunc, load loadFunc, estimate estimateFunc) {
	if registry[name] == nil {
		registry[name] = map[algorithms.Task]implementation{}
	}
	if _, dup := registry[name][task]; dup {
		panic(fmt.Sprintf("native: %s %v registered twice", name, task))
	}
	registry[name][task] = implementation{train: train, load: load, estimate: estimate}
}

// registerLoader adds a model that Load decodes but Train does not fit: the native form of a
// model another runtime trained.
func registerLoader(name string, task algorithms.Task, load loadFunc) {
	register(name, task, nil, load, nil)
}

// Decodes reports whether Load decodes files whose header names algorithm and task.
func Decodes(algorithm string, task algorithms.Task) bool {
	_, ok := registry[algorithm][task]
	return ok
}

// Algorithms returns the sorted names implemented natively for task.
func Algorithms(task algorithms.Task) []string {
	var names []string
	for name, impls := range registry {
		if impl, ok := impls[task]; ok && impl.train != nil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// lookup finds what trains algorithm for task.
func lookup(algorithm string, task algorithms.Task) (implementation, error) {
	if !task.Valid() {
		return implementation{}, fmt.Errorf("unknown task %v", task)
	}
	impl, ok := registry[algorithm][task]
	if !ok || impl.train == nil {
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

// EstimateFit returns an upper bound of the bytes that training algorithm
// for task on rows×cols features allocates at its peak beyond its inputs x
// and y (both float64, row-major): working copies, scratch, and the model
// itself, sized by the hyperparameters (trees × nodes, classes × features,
// clusters × columns, kernel caches). outputs is the number of label columns
// for regression and the number of classes for classification (ignored
// otherwise). It needs no data, so a caller can refuse a training that would
// not fit its memory budget before reading any; it also refuses invalid
// hyperparameters with the error Train would give. Each family's file
// documents its formula.
func EstimateFit(algorithm string, task algorithms.Task, rows, cols, outputs int, hp algorithms.Hyperparams) (int64, error) {
	impl, err := lookup(algorithm, task)
	if err != nil {
		return 0, err
	}
	if rows < 1 || cols < 1 || (task.Supervised() && outputs < 1) {
		return 0, fmt.Errorf("cannot estimate a fit of %d rows × %d features with %d outputs", rows, cols, outputs)
	}
	if task == algorithms.Classification {
		if err := algorithms.CheckClasses(outputs); err != nil {
			return 0, err
		}
	}
	if !task.Supervised() {
		outputs = 0
	}
	return impl.estimate(rows, cols, outputs, hp)
}

// Load decodes a model written by its MarshalBinary.
func Load(b []byte) (m algorithms.Model, err error) {
	h, payload, err := modelfile.ReadHeader(b)
	if err != nil {
		return nil, err
	}
	impl, ok := registry[h.Algorithm][h.Task]
	if !ok {
		_, err := lookup(h.Algorithm, h.Task)
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("modelfile: corrupt %s %v model: %v", h.Algorithm, h.Task, r)
		}
	}()
	return impl.load(payload)
}
