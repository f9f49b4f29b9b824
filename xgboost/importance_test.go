package xgboost

import (
	"math"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

type importanceModel interface {
	FeatureImportance() (string, []float64, bool)
}

// Gain importances of tree boosters sum to 1 and favour the features that explain the
// labels; a linear booster has none.
func TestFeatureImportance(t *testing.T) {
	iris := readCSV(t, "iris", "target")
	m := train(t, "xgboost", algorithms.Classification, iris, algorithms.Hyperparams{"n_estimators": 5.0})
	method, v, ok := m.(importanceModel).FeatureImportance()
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	if !ok || method != "gain" || len(v) != 4 || math.Abs(sum-1) > 1e-12 || v[2]+v[3] < 0.5 {
		t.Errorf("%q %v %v (sum %v)", method, v, ok, sum)
	}
	diabetes := readCSV(t, "diabetes", "target")
	linear := train(t, "xgboost", algorithms.Regression, diabetes, algorithms.Hyperparams{"n_estimators": 5.0, "booster": "gblinear"})
	if _, v, ok := linear.(importanceModel).FeatureImportance(); ok {
		t.Errorf("gblinear: importances %v", v)
	}
}
