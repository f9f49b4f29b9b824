package lifecycle

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/linear"
	"github.com/pgml-go/pgml/algorithms/native"
)

// pythonStandIn is the python runtime for these tests: it fits native linear models, offers
// them with a native form (as pybridge's fits do), stores "pickles" and cannot load them, so
// that a model that loads at all loaded its native form.
type pythonStandIn struct {
	anyAlgorithmRuntime
	// skew is added to the native form's intercept: a native form that predicts otherwise.
	skew float64
	// reopened records the held rows of every Reopen (nativize_test.go).
	reopened *[]int
}

var errInterpreterStarted = errors.New("the stand-in for python was asked to load a pickle")

func (pythonStandIn) Load([]byte) (algorithms.Model, error) { return nil, errInterpreterStarted }

func (py pythonStandIn) Train(ctx context.Context, fit *Fit) (algorithms.Model, algorithms.Hyperparams, error) {
	model, err := native.Train(ctx, fit.Algorithm, fit.Task, fit.X, fit.Y, fit.Hyperparams)
	if err != nil {
		return nil, nil, err
	}
	return &convertibleFit{Regression: model.(*linear.Regression), skew: py.skew}, fit.Hyperparams, nil
}

// convertibleFit is a fitted linear regression that marshals as a "pickle" and has a native form.
type convertibleFit struct {
	*linear.Regression
	skew float64
}

// standInPickle starts the stand-in's "pickles": the native model's bytes follow.
const standInPickle = "a pickle:"

func (f *convertibleFit) MarshalBinary() ([]byte, error) {
	b, err := algorithms.MarshalContext(context.Background(), f.Regression)
	return append([]byte(standInPickle), b...), err
}

func (f *convertibleFit) NativeForm() (algorithms.Model, string) {
	p := f.NumFeatures()
	coef := slices.Clone(f.Coef(0)[:p])
	m, err := linear.NewExported("linear", algorithms.Regression, p, coef, []float64{f.Intercept(0) + f.skew}, nil, linear.NoProbabilities)
	if err != nil {
		return nil, err.Error()
	}
	return m, ""
}

func trainWithStandIn(t *testing.T, skew float64) (*Session, *memStore, *modelRow, map[string]any) {
	t.Helper()
	store := newMemStore(t)
	sess := &Session{Store: store, Runtimes: NewRuntimes(&nativeRuntime{}, pythonStandIn{skew: skew}),
		Settings: Settings{DataDirectory: t.TempDir(), FileMode: 0o600}}
	store.addRelation("lin", linearColumns, linearRows(60, false))
	req := request("P", "regression", "lin", "y")
	req.Runtime, req.RuntimeGiven = "python", true
	if _, err := train(sess, req); err != nil {
		t.Fatal(err)
	}
	m := store.models[0]
	var metrics map[string]any
	if err := json.Unmarshal([]byte(m.metrics), &metrics); err != nil {
		t.Fatal(err)
	}
	return sess, store, m, metrics
}

func storedPaths(store *memStore, modelID int64) []string {
	var paths []string
	for _, f := range store.files {
		if f.modelID == modelID {
			paths = append(paths, f.path)
		}
	}
	slices.Sort(paths)
	return paths
}

func TestVerifiedNativeFormIsStoredAndLoadedFirst(t *testing.T) {
	sess, store, m, metrics := trainWithStandIn(t, 0)
	if metrics[NativeInferenceKey] != NativeInferenceUsed || m.runtime != "python" {
		t.Fatalf("runtime %s, metrics %s", m.runtime, m.metrics)
	}
	if paths := storedPaths(store, m.id); !slices.Equal(paths, []string{"estimator.pgml", "estimator.pickle", "preprocess.pgml"}) {
		t.Fatalf("files %q", paths)
	}
	if info := store.reported(Info); !slices.ContainsFunc(info, func(s string) bool {
		return strings.HasPrefix(s, "the linear model predicts natively (its native form predicted the 15 held-out rows")
	}) {
		t.Fatalf("INFO %q", info)
	}
	loaded, desc, err := sess.LoadModel(m.id)
	if err != nil {
		t.Fatalf("loading the model with a native form: %v", err)
	}
	if _, ok := loaded.Model.(*linear.Exported); !ok || desc.Runtime != "go" || desc.Algorithm != "linear" {
		t.Fatalf("loaded %T, description %+v", loaded.Model, desc)
	}
	got := make([]float64, 1)
	if err := loaded.Predict(got, []float64{10, 3}); err != nil || got[0] < 23 || got[0] > 25 {
		t.Fatalf("predicts %v for 3·10 − 2·3, %v", got, err)
	}
}

// Predicting from a model with a native form reads neither the runtime's file nor its digest:
// a python pickle is megabytes, and the first predict of a fresh connection would pay for it.
// A pickle that no longer verifies does not stop the native form, which is checked itself.
func TestLoadingANativeFormSkipsTheRuntimesFile(t *testing.T) {
	sess, store, m, _ := trainWithStandIn(t, 0)
	for _, f := range store.files {
		if f.modelID == m.id && f.path == "estimator.pickle" {
			f.data = append(f.data, "tampered"...)
		}
	}
	if _, _, err := sess.LoadModel(m.id); err != nil {
		t.Fatalf("loading the native form beside a pickle that does not verify: %v", err)
	}
	for _, f := range store.files {
		if f.modelID == m.id && f.path == "estimator.pgml" {
			f.data = append(f.data, 0)
		}
	}
	if _, _, err := sess.LoadModel(m.id); err == nil || !strings.Contains(err.Error(), "its file estimator.pgml (part 0) was not written by pgml") {
		t.Fatalf("loading a native form that does not verify: %v", err)
	}
}

func TestNativeFormThatPredictsOtherwiseIsNotTrusted(t *testing.T) {
	sess, store, m, metrics := trainWithStandIn(t, 1e-6)
	reason, _ := metrics[NativeInferenceKey].(string)
	if !strings.HasPrefix(reason, "its native form predicted ") || !strings.Contains(reason, "where the trained model predicted") {
		t.Fatalf("metrics %s", m.metrics)
	}
	if paths := storedPaths(store, m.id); !slices.Equal(paths, []string{"estimator.pickle", "preprocess.pgml"}) {
		t.Fatalf("files %q", paths)
	}
	if info := store.reported(Info); !slices.Contains(info, "the linear model predicts through its runtime, not natively: "+reason) {
		t.Fatalf("INFO %q", info)
	}
	// Only the runtime's own file is left to load: the model goes through its runtime.
	if _, _, err := sess.LoadModel(m.id); err == nil || !strings.Contains(err.Error(), errInterpreterStarted.Error()) {
		t.Fatalf("loading a model without a native form: %v", err)
	}
}

func TestFirstDifferenceIsRelative(t *testing.T) {
	for _, c := range []struct {
		want, got float64
		same      bool
	}{
		{1e6, 1e6 * (1 + 5e-10), true},
		{1e6, 1e6 * (1 + 2e-9), false},
		{1e-12, 2e-12, true}, // near zero the difference is absolute
		{0.5, 0.5 + 2e-9, false},
	} {
		if _, same := firstDifference([]float64{c.want}, []float64{c.got}, nativeToleranceOf("random_forest")); same != c.same {
			t.Errorf("%g vs %g: same %v, want %v", c.want, c.got, same, c.same)
		}
	}
	if _, same := firstDifference([]float64{math.NaN()}, []float64{0}, nativeTolerance); same {
		t.Error("NaN compared equal")
	}
	// A kernel model's form is held to 1e-6: 2e-9 apart is the same, 2e-6 is not.
	if _, same := firstDifference([]float64{0.5}, []float64{0.5 + 2e-9}, nativeToleranceOf("svm")); !same {
		t.Error("svm held to the trees' tolerance")
	}
	if _, same := firstDifference([]float64{0.5}, []float64{0.5 + 2e-6}, nativeToleranceOf("xgboost")); same {
		t.Error("xgboost allowed more than 1e-6")
	}
}
