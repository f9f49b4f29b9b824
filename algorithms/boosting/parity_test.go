package boosting

import (
	"context"
	"github.com/pgml-go/pgml/algorithms/internal/fixtures"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
	"github.com/pgml-go/pgml/algorithms/metrics"
)

// parityTolerance is how far below scikit-learn's test score a native model
// may land: the engines bin and break ties differently, but a real defect
// (a wrong gradient, a bad split, swapped classes) costs far more.
const parityTolerance = 0.02

// TestParityWithSklearn trains every algorithm on the recorded split of each
// toy dataset and compares its test score with sklearn's: GradientBoosting's
// for gradient_boosting_trees, HistGradientBoosting's for
// hist_gradient_boosting and for lightgbm (LightGBM itself is not installed
// where the fixtures are made).
func TestParityWithSklearn(t *testing.T) {
	fx := loadFixtures(t)
	for name, set := range fx.Datasets {
		x, y, err := datasets.Load(name, set.Label)
		if err != nil {
			t.Fatal(err)
		}
		task, err := algorithms.ParseTask(set.Task)
		if err != nil {
			t.Fatal(err)
		}
		train, test := set.Permutation[:set.TrainRows], set.Permutation[set.TrainRows:]
		xTrain, yTrain := takeRows(x, train), takeRows(y, train)
		xTest, yTest := takeRows(x, test), takeRows(y, test)
		for _, algorithm := range Algorithms {
			want := set.HistGradientBoosting
			if algorithm == GradientBoostingTrees {
				want = set.GradientBoosting
			}
			m, err := Fit(context.Background(), algorithm, task, xTrain, yTrain, algorithms.Hyperparams{"random_state": 0.0})
			if err != nil {
				t.Fatalf("%s on %s: %v", algorithm, name, err)
			}
			pred := make([]float64, yTest.Rows)
			m.Predict(pred, xTest.Data)
			got := map[string]float64{}
			if task == algorithms.Regression {
				got["r2"] = metrics.Regression(yTest.Data, pred)["r2"]
			} else {
				got["accuracy"] = metrics.Classification(yTest.Data, pred)["accuracy"]
				got["f1_macro"] = fixtures.MacroF1(yTest.Data, pred)
			}
			for metric, w := range want {
				g := got[metric]
				t.Logf("%-24s %-14s %-9s native %.4f sklearn %.4f", algorithm, name, metric, g, w)
				if !(g >= w-parityTolerance) {
					t.Errorf("%s on %s: test %s = %.4f, sklearn %.4f (tolerance %.2f)", algorithm, name, metric, g, w, parityTolerance)
				}
			}
		}
	}
}
