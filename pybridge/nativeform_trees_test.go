package pybridge

import (
	"context"
	"strings"
	"testing"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/sklearntrees"
)

// The native forms of the tree families, trained through the worker (their arrays arriving
// as blocks of the fit reply), predict the held-out rows as scikit-learn did, with the
// probabilities of classifiers, for every task each family has on the toy datasets.
func TestTreeNativeForms(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	toy := loadToySets(t)
	regression, joint, classification := toy.regression, toy.joint, toy.classification
	small := `{"n_estimators": 10}`
	cases := []nativeFormCase{
		{"random_forest", algorithms.Regression, small, joint},
		{"random_forest", algorithms.Classification, small, classification},
		{"extra_trees", algorithms.Regression, small, joint},
		{"extra_trees", algorithms.Classification, small, classification},
		{"gradient_boosting_trees", algorithms.Regression, small, joint},
		{"gradient_boosting_trees", algorithms.Classification, small, classification},
		{"hist_gradient_boosting", algorithms.Regression, `{"max_iter": 10}`, regression},
		{"hist_gradient_boosting", algorithms.Classification, `{"max_iter": 10}`, classification},
		{"bagging", algorithms.Regression, small, joint},
		{"bagging", algorithms.Classification, small, classification},
		{"ada_boost", algorithms.Regression, small, joint},
		{"ada_boost", algorithms.Classification, small, classification},
	}
	for _, c := range cases {
		for _, d := range c.sets {
			t.Run(c.alg+"/"+c.task.String()+"/"+d.name, func(t *testing.T) {
				native, _ := checkNativeForm(t, &w, c.alg, c.task, c.hp, d, 1e-9)
				if _, ok := native.(*sklearntrees.Ensemble); !ok {
					t.Fatalf("native form %T", native)
				}
			})
		}
	}
}

// A tree model without a native form says why: histogram boosting's categorical splits.
func TestTreeNativeFormReasons(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	x, y := synthetic(200, 4)
	for i := 0; i < x.Rows; i++ {
		x.Data[i*x.Cols] = float64(i % 3) // a category
		y.Data[i] += float64(i % 3)
	}
	fx, fy, held, _ := split(x, y, 150)
	f, err := w.Fit(context.Background(), WorkerConfig{Threads: 1}, FitRequest{Algorithm: "hist_gradient_boosting", Task: algorithms.Regression,
		X: fx, Y: fy, Held: held, Hyperparams: `{"max_iter": 5, "categorical_features": [0]}`, ExportNative: true})
	if err != nil {
		t.Fatal(err)
	}
	if native, reason := f.NativeForm(); native != nil || !strings.Contains(reason, "categorical splits") {
		t.Fatalf("native form %v, reason %q", native, reason)
	}
}

// A fit reply whose blocks do not match what its header announces is refused, and an export
// whose arrays name blocks of another type or size has no native form (and says why).
func TestTreeExportBlocks(t *testing.T) {
	body := []byte(`{"hyperparams": "{}", "model": {"algorithm": "random_forest", "task": "regression", "n_features": 1, "n_outputs": 1,
		"class": "sklearn.ensemble._forest.RandomForestRegressor"}, "predictions": [1, 1], "probabilities": null,
		"native": {"trees": {}}, "native_blocks": 2}`)
	held := algorithms.Matrix{Rows: 1, Cols: 1, Data: []float64{0}}
	pickle, predictions := []byte("pickle"), float64Bytes([]float64{3})
	if _, err := newFitted(body, [][]byte{pickle, predictions, nil}, "random_forest", held); err == nil ||
		!strings.Contains(err.Error(), "2 of a native form") {
		t.Fatalf("a reply one block short: %v", err)
	}
	// One stump: x <= 0.5 goes to leaf 1 (value 1), else leaf 2 (value 2).
	int32Block := func(v ...int32) []byte {
		b := blockBytes(4 * len(v))
		copy(unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(b))), len(v)), v)
		return b
	}
	blocks := [][]byte{
		int32Block(0, 0, 0), float64Bytes([]float64{0.5, 0, 0}), int32Block(1, -1, -1), int32Block(2, -1, -1),
		int32Block(2, -1, -1), float64Bytes([]float64{0, 1, 2}), int32Block(0), int32Block(0),
	}
	ref := func(i int, dtype string, n int) blockRef { return blockRef{Block: i, Dtype: dtype, Length: n} }
	export := treesExport{Algorithm: "random_forest", Combine: "mean", CastFloat32: true, NumFeatures: 1, Width: 1, Scale: 1,
		Init: []float64{0}, Feature: ref(0, "int32", 3), Threshold: ref(1, "float64", 3), Left: ref(2, "int32", 3),
		Right: ref(3, "int32", 3), Missing: ref(4, "int32", 3), Values: ref(5, "float64", 3), Roots: ref(6, "int32", 1),
		TreeOutput: ref(7, "int32", 1)}
	m, reason := export.nativeForm(algorithms.Regression, blocks)
	if m == nil {
		t.Fatalf("no native form: %s", reason)
	}
	got := make([]float64, 2)
	m.Predict(got, []float64{0.5, 0.6})
	if got[0] != 1 || got[1] != 2 {
		t.Fatalf("the stump predicts %v, want [1 2]", got)
	}
	for name, bad := range map[string]blockRef{"dtype": ref(0, "int64", 3), "length": ref(0, "int32", 4), "index": ref(8, "int32", 3)} {
		e := export
		e.Feature = bad
		if m, reason := e.nativeForm(algorithms.Regression, blocks); m != nil || !strings.Contains(reason, "block") {
			t.Fatalf("%s: native form %v, reason %q", name, m, reason)
		}
	}
}
