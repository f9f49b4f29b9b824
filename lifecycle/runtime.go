package lifecycle

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// Runtime trains and loads the models of some algorithms: the lifecycle never knows which
// algorithm it drives, only through which runtime. runtimes/ implements the native, xgboost
// and python runtimes; the boundary registers them.
type Runtime interface {
	// Name is the runtime users choose with pgml.train's runtime argument ("go", "python").
	Name() string
	// Implements reports whether the runtime trains algorithm for task.
	Implements(algorithm string, task algorithms.Task) bool
	// Algorithms lists what the runtime trains for task, for messages; nil when it accepts
	// any name (python, whose bridge refuses unsupported pairs with its own message).
	Algorithms(task algorithms.Task) []string
	// Train returns the fitted model and the hyperparameters it actually used.
	Train(ctx context.Context, fit *Fit) (algorithms.Model, algorithms.Hyperparams, error)
	// Estimate bounds the bytes a fit allocates beyond its inputs (x: rows × cols float64).
	Estimate(algorithm string, task algorithms.Task, rows, cols, outputs int, hp algorithms.Hyperparams) int64
	// FilePath names the model's bytes in pgml.files.
	FilePath() string
	// Load decodes bytes that Train's model marshalled (and pgml signed).
	Load(b []byte) (algorithms.Model, error)
	// LoadHint helps a user whose stored model does not load.
	LoadHint() string
}

// Fit is one fit asked of a runtime.
type Fit struct {
	Algorithm   string
	Task        algorithms.Task
	X, Y        algorithms.Matrix
	Held        algorithms.Matrix // the rows the model will be scored on (a runtime that fits in another process predicts them there)
	Hyperparams algorithms.Hyperparams
	Budget      MemoryBudget // what the training may allocate (budget.go)
	// Final is true for the model that will be stored, false for a search's candidates: only
	// the stored model needs a native form (nativeform.go).
	Final bool
	// Notice tells the user about a decision of the runtime (e.g. a capped thread count).
	Notice func(format string, args ...any) error
}

// Runtimes are the registered runtimes, in order of preference: without a runtime argument,
// a training uses the first that implements its algorithm.
type Runtimes struct {
	list []Runtime
}

// NewRuntimes registers runtimes in order of preference.
func NewRuntimes(list ...Runtime) *Runtimes {
	return &Runtimes{list: list}
}

// runtimeAliases accepts PostgresML 2.x's name of its native runtime.
var runtimeAliases = map[string]string{"rust": "go"}

// choose validates the runtime argument; without one, the first runtime that has the
// algorithm wins (the native ones come first).
func (r *Runtimes) choose(arg string, given bool, algorithm string, task algorithms.Task) (Runtime, error) {
	if !given {
		for _, rt := range r.list {
			if rt.Implements(algorithm, task) {
				return rt, nil
			}
		}
		return nil, WithHint(Errorf(StateFeatureMissing, "no runtime of this build implements algorithm `%s` for %s; available: %s", algorithm, task, strings.Join(r.all(task), ", ")),
			fmt.Sprintf("Choose one of the algorithms listed for %s; docs/sql-reference.md (Algorithms and runtime) shows which runtime trains which.", task))
	}
	name := arg
	if alias, ok := runtimeAliases[arg]; ok {
		name = alias
	}
	var available []string
	known := false
	for _, rt := range r.list {
		if rt.Name() != name {
			continue
		}
		known = true
		if rt.Implements(algorithm, task) {
			return rt, nil
		}
		available = append(available, rt.Algorithms(task)...)
	}
	if !known {
		return nil, Errorf(StateInvalidParameter, "unknown runtime `%s`, available options are: %s (rust is an alias of go)", arg, strings.Join(r.names(), ", "))
	}
	slices.Sort(available)
	msg := fmt.Sprintf("algorithm `%s` is not available in the %s runtime for %s", algorithm, name, task)
	if len(available) > 0 {
		msg += "; available: " + strings.Join(available, ", ")
	}
	// Another runtime having it is the useful news: say which, and how to get it.
	if other := r.implementing(algorithm, task); other != "" {
		return nil, WithHint(Errorf(StateFeatureMissing, "%s; the %s runtime implements it", msg, other),
			fmt.Sprintf("Use runtime => '%s' or omit runtime.", other))
	}
	return nil, Errorf(StateFeatureMissing, "%s", msg)
}

// implementing names the first runtime that lists algorithm for task, or "": a runtime that
// accepts any name (python) is not a promise worth a hint.
func (r *Runtimes) implementing(algorithm string, task algorithms.Task) string {
	for _, rt := range r.list {
		if slices.Contains(rt.Algorithms(task), algorithm) {
			return rt.Name()
		}
	}
	return ""
}

// all lists what any runtime trains for task, sorted, each name once.
func (r *Runtimes) all(task algorithms.Task) []string {
	var names []string
	for _, rt := range r.list {
		for _, a := range rt.Algorithms(task) {
			if !slices.Contains(names, a) {
				names = append(names, a)
			}
		}
	}
	slices.Sort(names)
	return names
}

// names lists the runtime names, each once, in order of preference.
func (r *Runtimes) names() []string {
	var names []string
	for _, rt := range r.list {
		if !slices.Contains(names, rt.Name()) {
			names = append(names, rt.Name())
		}
	}
	return names
}

// forFile finds the runtime that decodes a stored model file: by its path, and among the
// runtimes sharing a path (pgml's own format) by the algorithm its header names. ok is false
// when no runtime stores files under path.
func (r *Runtimes) forFile(path string, b []byte) (rt Runtime, ok bool) {
	var candidates []Runtime
	for _, rt := range r.list {
		if rt.FilePath() == path {
			candidates = append(candidates, rt)
		}
	}
	if len(candidates) == 0 {
		return nil, false
	}
	if header, _, err := modelfile.ReadHeader(b); err == nil && len(candidates) > 1 {
		for _, rt := range candidates {
			if decodes(rt, header.Algorithm, header.Task) {
				return rt, true
			}
		}
	}
	// One candidate, or a header no candidate claims: its Load says what is wrong.
	return candidates[0], true
}

// fileDecoder is a runtime that decodes more models than it trains (the native runtime loads
// the native forms of python models, nativeform.go).
type fileDecoder interface {
	Decodes(algorithm string, task algorithms.Task) bool
}

// decodes reports whether rt loads files of algorithm and task.
func decodes(rt Runtime, algorithm string, task algorithms.Task) bool {
	if d, ok := rt.(fileDecoder); ok {
		return d.Decodes(algorithm, task)
	}
	return rt.Implements(algorithm, task)
}
