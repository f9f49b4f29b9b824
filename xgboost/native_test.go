package xgboost

import (
	"bytes"
	"math"
	"os"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// referenceModel is m predicting through libxgboost (reference.go) instead
// of the native engine: same boosters, same Predict and PredictProba.
func referenceModel(t testing.TB, m algorithms.Model) algorithms.Model {
	t.Helper()
	native := unwrap(m)
	ref := &model{algorithm: native.algorithm, task: native.task, nFeatures: native.nFeatures,
		nTargets: native.nTargets, classes: native.classes, objective: native.objective,
		inplace: native.inplace, perRow: native.perRow, blobs: native.blobs}
	for _, blob := range native.blobs {
		b, err := newReferenceBooster(blob, native.inplace)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(b.free)
		ref.boosters = append(ref.boosters, b)
	}
	return ref.wrap()
}

func unwrap(m algorithms.Model) *model {
	switch v := m.(type) {
	case *model:
		return v
	case classifier:
		return v.model
	}
	panic("not an xgboost model")
}

// withMissing copies x with about one value in five replaced by NaN, in a
// pattern that reaches every feature and leaves some rows complete.
func withMissing(x algorithms.Matrix) algorithms.Matrix {
	out := algorithms.Matrix{Rows: x.Rows, Cols: x.Cols, Data: append([]float64(nil), x.Data...)}
	for i := range out.Data {
		if row := i / x.Cols; row%7 != 0 && (i*7+row)%5 == 0 {
			out.Data[i] = math.NaN()
		}
	}
	return out
}

// closeEnough is the tolerance of the native engine against libxgboost:
// 1e-6 relative, and 1e-6 absolute near zero, where a sum of float32 leaves
// has no relative precision to speak of. A linear booster that diverged
// (gblinear with count:poisson on unscaled data) predicts NaN both ways.
func closeEnough(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-6*max(math.Abs(a), math.Abs(b), 1)
}

// TestNativeMatchesLibxgboost trains every objective pgml accepts with
// every booster and compares the native engine's predictions and
// probabilities with libxgboost's on the same model, rows with missing
// values included.
func TestNativeMatchesLibxgboost(t *testing.T) {
	diabetes := readCSV(t, "diabetes", "target")
	cancer := readCSV(t, "breast_cancer", "malignant")
	iris := readCSV(t, "iris", "target")
	// Two regression targets: target and bmi (column 2), one booster each.
	twoTargets := dataset{x: diabetes.x, y: algorithms.Matrix{Rows: diabetes.y.Rows, Cols: 2}}
	for i := 0; i < diabetes.y.Rows; i++ {
		twoTargets.y.Data = append(twoTargets.y.Data, diabetes.y.Data[i], diabetes.x.Row(i)[2]+1)
	}
	type testCase struct {
		alg       string
		task      algorithms.Task
		d         dataset
		objective string
		booster   string
	}
	var cases []testCase
	for _, booster := range []string{"gbtree", "dart", "gblinear"} {
		for _, objective := range sortedKeys(regressionObjectives) {
			d := diabetes
			if objective == "reg:logistic" {
				d = cancer // labels in [0, 1]
			}
			cases = append(cases, testCase{algXGBoost, algorithms.Regression, d, objective, booster})
		}
		for _, objective := range []string{"binary:logistic", "binary:logitraw", "binary:hinge"} {
			cases = append(cases, testCase{algXGBoost, algorithms.Classification, cancer, objective, booster})
		}
		for _, objective := range []string{"multi:softprob", "multi:softmax"} {
			cases = append(cases, testCase{algXGBoost, algorithms.Classification, iris, objective, booster})
		}
		cases = append(cases, testCase{algXGBoost, algorithms.Regression, twoTargets, "reg:squarederror", booster})
	}
	for _, objective := range []string{"reg:squarederror", "count:poisson", "binary:logistic", "multi:softprob"} {
		d := diabetes
		task := algorithms.Regression
		switch objective {
		case "binary:logistic":
			d, task = cancer, algorithms.Classification
		case "multi:softprob":
			d, task = iris, algorithms.Classification
		}
		cases = append(cases, testCase{algRF, task, d, objective, "gbtree"})
	}
	for _, c := range cases {
		hp := algorithms.Hyperparams{"n_estimators": 8.0, "objective": c.objective, "max_depth": 4.0}
		if c.booster != "gbtree" {
			hp["booster"] = c.booster
		}
		if c.booster == "gblinear" {
			// Slowly enough that Poisson and pseudo-Huber do not diverge on
			// diabetes' unscaled target.
			delete(hp, "max_depth")
			hp["eta"] = 0.01
		}
		if c.booster == "dart" {
			hp["rate_drop"] = 0.3
		}
		name := c.alg + "/" + c.booster + "/" + c.objective
		m := train(t, c.alg, c.task, c.d, hp)
		ref := referenceModel(t, m)
		for _, x := range []algorithms.Matrix{c.d.x, withMissing(c.d.x)} {
			got, want := predict(t, m, x), predict(t, ref, x)
			worst := 0.0
			for i := range want {
				if !closeEnough(got[i], want[i]) {
					t.Fatalf("%s: prediction %d is %v natively, %v by libxgboost", name, i, got[i], want[i])
				}
				worst = max(worst, math.Abs(got[i]-want[i])/max(math.Abs(want[i]), 1))
			}
			cl, ok := m.(algorithms.Classifier)
			if !ok {
				t.Logf("%s: %d predictions, largest difference %.2g", name, len(want), worst)
				continue
			}
			k := len(cl.Classes())
			gotProba, wantProba := make([]float64, x.Rows*k), make([]float64, x.Rows*k)
			cl.PredictProba(gotProba, x.Data)
			ref.(algorithms.Classifier).PredictProba(wantProba, x.Data)
			for i := range wantProba {
				if !closeEnough(gotProba[i], wantProba[i]) {
					t.Fatalf("%s: probability %d is %v natively, %v by libxgboost", name, i, gotProba[i], wantProba[i])
				}
				worst = max(worst, math.Abs(gotProba[i]-wantProba[i])/max(math.Abs(wantProba[i]), 1))
			}
			t.Logf("%s: %d labels, %d probabilities, largest difference %.2g", name, len(want), len(wantProba), worst)
		}
	}
}

// TestModelsStoredBeforeNativeLoad: models that pgml stored when it still
// predicted through libxgboost (written by the code of main before issue
// 11) load, marshal to the very bytes they were stored as, and predict what
// libxgboost predicts for them.
func TestModelsStoredBeforeNativeLoad(t *testing.T) {
	for name, d := range map[string]dataset{
		"iris_softprob":     readCSV(t, "iris", "target"),
		"diabetes_gblinear": readCSV(t, "diabetes", "target"),
	} {
		stored, err := os.ReadFile("testdata/stored_before_native_" + name + ".pgml")
		if err != nil {
			t.Fatal(err)
		}
		m, err := Load(stored)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, err := m.MarshalBinary()
		if err != nil || !bytes.Equal(again, stored) {
			t.Fatalf("%s: marshals to other bytes (%v)", name, err)
		}
		x := withMissing(d.x)
		got, want := predict(t, m, x), predict(t, referenceModel(t, m), x)
		for i := range want {
			if !closeEnough(got[i], want[i]) {
				t.Fatalf("%s: prediction %d is %v natively, %v by libxgboost", name, i, got[i], want[i])
			}
		}
	}
}
