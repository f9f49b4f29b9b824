package xgboost

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// TestWriteTreeEnsembleFixtures writes algorithms/treeensemble's fixtures:
// small XGBoost models with what libxgboost predicts for rows with missing
// values, so that the pure-Go package is tested against libxgboost
// without it. Run with PGML_WRITE_FIXTURES=1 to regenerate them.
func TestWriteTreeEnsembleFixtures(t *testing.T) {
	if os.Getenv("PGML_WRITE_FIXTURES") == "" {
		t.Skip("PGML_WRITE_FIXTURES is not set")
	}
	cancer := readCSV(t, "breast_cancer", "malignant")
	iris := readCSV(t, "iris", "target")
	diabetes := readCSV(t, "diabetes", "target")
	type fixture struct {
		Name     string
		Model    []byte
		Features int
		X        []float64
		Want     []float64
	}
	var out []fixture
	add := func(name, alg string, task algorithms.Task, d dataset, hp algorithms.Hyperparams) {
		m := train(t, alg, task, d, hp)
		ref := unwrap(referenceModel(t, m))
		const rows = 12
		x := withMissing(algorithms.Matrix{Rows: rows, Cols: d.x.Cols, Data: d.x.Data[:rows*d.x.Cols]})
		want := make([]float64, rows*ref.perRow)
		if err := ref.boosters[0].predictRaw(want, x.Data, rows, d.x.Cols, nil); err != nil {
			t.Fatal(err)
		}
		for i, v := range x.Data {
			if math.IsNaN(v) {
				x.Data[i] = -999 // JSON has no NaN: the reader puts it back
			}
		}
		out = append(out, fixture{name, ref.blobs[0], d.x.Cols, x.Data, want})
	}
	add("binary_logistic_gbtree", algXGBoost, algorithms.Classification, cancer, algorithms.Hyperparams{"n_estimators": 3.0, "max_depth": 3.0})
	add("softprob_dart", algXGBoost, algorithms.Classification, iris, algorithms.Hyperparams{"n_estimators": 3.0, "max_depth": 2.0, "booster": "dart", "rate_drop": 0.3})
	add("softmax_gblinear", algXGBoost, algorithms.Classification, iris, algorithms.Hyperparams{"n_estimators": 3.0, "booster": "gblinear", "objective": "multi:softmax"})
	add("poisson_forest", algRF, algorithms.Regression, diabetes, algorithms.Hyperparams{"n_estimators": 3.0, "max_depth": 3.0, "objective": "count:poisson"})
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("../algorithms/treeensemble/testdata/xgboost_models.json", b, 0o644); err != nil {
		t.Fatal(err)
	}
}
