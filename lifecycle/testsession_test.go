package lifecycle

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/native"
)

// nativeRuntime is runtimes.Native for the lifecycle's own tests (runtimes imports lifecycle):
// the pure-Go algorithms, remembering the models it fitted.
type nativeRuntime struct {
	fitted []algorithms.Model
}

func (*nativeRuntime) Name() string { return "go" }

func (*nativeRuntime) FitsOffMainThread() bool { return true }

func (*nativeRuntime) Algorithms(task algorithms.Task) []string { return native.Algorithms(task) }

func (*nativeRuntime) Implements(algorithm string, task algorithms.Task) bool {
	return slices.Contains(native.Algorithms(task), algorithm)
}

func (r *nativeRuntime) Train(ctx context.Context, fit *Fit) (algorithms.Model, algorithms.Hyperparams, error) {
	model, err := native.Train(ctx, fit.Algorithm, fit.Task, fit.X, fit.Y, fit.Hyperparams)
	if err != nil {
		return nil, nil, Errorf(StateInvalidParameter, "%s", err.Error())
	}
	r.fitted = append(r.fitted, model)
	return model, fit.Hyperparams, nil
}

func (*nativeRuntime) Estimate(_ string, _ algorithms.Task, rows, cols, outputs int, _ algorithms.Hyperparams) int64 {
	return BytesOf(rows, cols) + BytesOf(rows, outputs)
}

func (*nativeRuntime) FilePath() string { return "estimator.pgml" }

func (*nativeRuntime) Load(b []byte) (algorithms.Model, error) { return native.Load(b) }

func (*nativeRuntime) LoadHint() string { return "retrain" }

// anyAlgorithmRuntime stands in for the python runtime: it answers for every algorithm name
// and trains none.
type anyAlgorithmRuntime struct{}

func (anyAlgorithmRuntime) Name() string                            { return "python" }
func (anyAlgorithmRuntime) Algorithms(algorithms.Task) []string     { return nil }
func (anyAlgorithmRuntime) Implements(string, algorithms.Task) bool { return true }
func (anyAlgorithmRuntime) FilePath() string                        { return "estimator.pickle" }
func (anyAlgorithmRuntime) LoadHint() string                        { return "" }
func (anyAlgorithmRuntime) Load([]byte) (algorithms.Model, error) {
	return nil, errors.New("no python")
}
func (anyAlgorithmRuntime) Estimate(string, algorithms.Task, int, int, int, algorithms.Hyperparams) int64 {
	return 0
}
func (anyAlgorithmRuntime) Train(_ context.Context, fit *Fit) (algorithms.Model, algorithms.Hyperparams, error) {
	return nil, nil, Errorf(StateExternalRoutine, "ValueError: `%s` does not support %s", fit.Algorithm, fit.Task)
}

// newTestSession is a session on a fresh memStore with the native runtime first, as the
// boundary registers them, and the model signing key in a temporary data directory.
func newTestSession(t *testing.T) (*Session, *memStore, *nativeRuntime) {
	store := newMemStore(t)
	rt := &nativeRuntime{}
	sess := &Session{Store: store, Runtimes: NewRuntimes(rt, anyAlgorithmRuntime{}),
		Settings: Settings{DataDirectory: t.TempDir(), FileMode: 0o600}}
	return sess, store, rt
}

// wantError checks that err is an *Error with state and message.
func wantError(t *testing.T, err error, state, msg string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want the %s error %q", err, err, state, msg)
	}
	if e.State != state || e.Msg != msg {
		t.Fatalf("got %s %q, want %s %q", e.State, e.Msg, state, msg)
	}
	return e
}

// regressError is the message of the first ERROR line of regress/expected/<file> that starts
// with prefix: the unit tests hold the lifecycle to the wording users see.
func regressError(t *testing.T, file, prefix string) string {
	t.Helper()
	b, err := os.ReadFile("../regress/expected/" + file)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if msg, ok := strings.CutPrefix(line, "ERROR:  "); ok && strings.HasPrefix(msg, prefix) {
			return msg
		}
	}
	t.Fatalf("regress/expected/%s has no ERROR starting with %q", file, prefix)
	return ""
}

func mustTask(t *testing.T, name string) algorithms.Task {
	t.Helper()
	task, err := algorithms.ParseTask(name)
	if err != nil {
		t.Fatal(err)
	}
	return task
}
