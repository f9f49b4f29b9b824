package lifecycle

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/native"
)

// boostingRuntime stands in for the xgboost runtime: a second "go" runtime that stores files
// under the native path and implements only regression's and classification's "xgboost".
type boostingRuntime struct{ anyAlgorithmRuntime }

func (boostingRuntime) Name() string     { return "go" }
func (boostingRuntime) FilePath() string { return "estimator.pgml" }

func (boostingRuntime) Algorithms(task algorithms.Task) []string {
	if task.Supervised() {
		return []string{"xgboost"}
	}
	return nil // nothing for clustering: nil must not mean "anything" here
}

func (r boostingRuntime) Implements(algorithm string, task algorithms.Task) bool {
	return slices.Contains(r.Algorithms(task), algorithm)
}

func (boostingRuntime) Load([]byte) (algorithms.Model, error) { return nil, errors.New("boosting") }

func registry() *Runtimes {
	return NewRuntimes(&nativeRuntime{}, boostingRuntime{}, anyAlgorithmRuntime{})
}

func TestChooseRuntimeWithoutArgumentPrefersNativeThenFallsBack(t *testing.T) {
	for _, c := range []struct {
		algorithm string
		task      algorithms.Task
		want      any
	}{
		{"linear", algorithms.Regression, &nativeRuntime{}},
		{"xgboost", algorithms.Classification, boostingRuntime{}},
		// A runtime that lists nothing for clustering must not claim birch (a bug of the move
		// from extension/, caught by the lifecycle regress suite).
		{"birch", algorithms.Clustering, anyAlgorithmRuntime{}},
	} {
		rt, err := registry().choose("", false, c.algorithm, c.task)
		if err != nil {
			t.Fatalf("%s %s: %v", c.algorithm, c.task, err)
		}
		if gotType, wantType := typeName(rt), typeName(c.want); gotType != wantType {
			t.Errorf("%s %s: chose %s, want %s", c.algorithm, c.task, gotType, wantType)
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *nativeRuntime:
		return "native"
	case boostingRuntime:
		return "boosting"
	case anyAlgorithmRuntime:
		return "python"
	}
	return "?"
}

func TestChooseRuntimeArgument(t *testing.T) {
	rt, err := registry().choose("rust", true, "xgboost", algorithms.Regression)
	if err != nil || typeName(rt) != "boosting" {
		t.Fatalf("rust (an alias of go) for xgboost: %v, %v", typeName(rt), err)
	}
	if rt, err := registry().choose("python", true, "linear", algorithms.Regression); err != nil || typeName(rt) != "python" {
		t.Fatalf("python for linear: %v, %v", typeName(rt), err)
	}
	_, err = registry().choose("go", true, "birch", algorithms.Clustering)
	e := wantError(t, err, StateFeatureMissing, err.Error())
	available := native.Algorithms(algorithms.Clustering)
	slices.Sort(available)
	if want := "algorithm `birch` is not available in the go runtime for clustering; available: " + strings.Join(available, ", "); e.Msg != want {
		t.Errorf("got %q, want %q", e.Msg, want)
	}
	_, err = registry().choose("java", true, "linear", algorithms.Regression)
	wantError(t, err, StateInvalidParameter, "unknown runtime `java`, available options are: go, python (rust is an alias of go)")
}

// TestForFileChoosesByHeader: two runtimes store under estimator.pgml; the header's algorithm
// decides which one decodes.
func TestForFileChoosesByHeader(t *testing.T) {
	x := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{1, 2, 3, 4}}
	y := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{2, 4, 6, 8}}
	model, err := native.Train(context.Background(), "linear", algorithms.Regression, x, y, algorithms.Hyperparams{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := algorithms.MarshalContext(context.Background(), model)
	if err != nil {
		t.Fatal(err)
	}
	rt, ok := registry().forFile("estimator.pgml", b)
	if !ok || typeName(rt) != "native" {
		t.Errorf("a linear model's file: %s, %v; want native", typeName(rt), ok)
	}
	if rt, ok := registry().forFile("estimator.pickle", b); !ok || typeName(rt) != "python" {
		t.Errorf("estimator.pickle: %s, %v; want python", typeName(rt), ok)
	}
	if _, ok := registry().forFile("estimator.onnx", b); ok {
		t.Error("a path no runtime stores was given a runtime")
	}
}

// noXGBoostPython is a python runtime that refuses one algorithm (as the real one refuses
// catboost, which only the native runtime has).
type noXGBoostPython struct{ anyAlgorithmRuntime }

func (noXGBoostPython) Implements(algorithm string, _ algorithms.Task) bool {
	return algorithm != "xgboost"
}

// TestChooseNamesTheRuntimeThatHasIt: asking a runtime for an algorithm only another one
// lists says which, with a hint; without a runtime argument, the one that has it is chosen.
func TestChooseNamesTheRuntimeThatHasIt(t *testing.T) {
	r := NewRuntimes(boostingRuntime{}, noXGBoostPython{})
	_, err := r.choose("python", true, "xgboost", algorithms.Regression)
	e := wantError(t, err, StateFeatureMissing, "algorithm `xgboost` is not available in the python runtime for regression; the go runtime implements it")
	if e.Hint != "Use runtime => 'go' or omit runtime." {
		t.Errorf("hint %q", e.Hint)
	}
	if rt, err := r.choose("", false, "xgboost", algorithms.Regression); err != nil || rt.Name() != "go" {
		t.Errorf("without a runtime: %v, %v", rt, err)
	}
}
