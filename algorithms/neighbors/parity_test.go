package neighbors

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	shared "github.com/pgml-go/pgml/algorithms/internal/fixtures"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
	"github.com/pgml-go/pgml/algorithms/metrics"
)

// fixtures is the part of testdata/penalized_fixtures.json (written by
// testdata/make_penalized_fixtures.py) that concerns knn.
type fixtures struct {
	Splits map[string]struct {
		Perm   []int `json:"perm"`
		NTrain int   `json:"n_train"`
	} `json:"splits"`
	Cases []struct {
		Algorithm   string                 `json:"algorithm"`
		Task        string                 `json:"task"`
		Dataset     string                 `json:"dataset"`
		Hyperparams algorithms.Hyperparams `json:"hyperparams"`
		Metrics     map[string]float64     `json:"metrics"`
	} `json:"cases"`
}

var labelColumn = map[string]string{"diabetes": "target", "iris": "target", "breast_cancer": "malignant", "digits": "target"}

// TestParityWithSklearn requires test metrics at most 0.02 below those of
// sklearn's KNeighbors estimators on the fixture's split, whatever the
// search method.
func TestParityWithSklearn(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(datasets.Dir(), "penalized_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Cases {
		if c.Algorithm != Name {
			continue
		}
		name := fmt.Sprintf("%s/%s/%v", c.Task, c.Dataset, c.Hyperparams)
		x, y, err := datasets.Load(c.Dataset, labelColumn[c.Dataset])
		if err != nil {
			t.Fatal(err)
		}
		s := f.Splits[c.Dataset]
		xTrain, yTrain := shared.Rows(x, s.Perm[:s.NTrain]), shared.Rows(y, s.Perm[:s.NTrain])
		xTest, yTest := shared.Rows(x, s.Perm[s.NTrain:]), shared.Rows(y, s.Perm[s.NTrain:])
		// Every search method must give the predictions of "auto" exactly.
		var pred []float64
		for _, method := range []string{"auto", "brute", "kd_tree", "ball_tree"} {
			hp := maps.Clone(c.Hyperparams)
			if hp == nil {
				hp = algorithms.Hyperparams{}
			}
			hp["algorithm"] = method
			var m algorithms.Model
			if c.Task == "regression" {
				m, err = FitRegressor(context.Background(), xTrain, yTrain, hp)
			} else {
				m, err = FitClassifier(context.Background(), xTrain, yTrain, hp)
			}
			if err != nil {
				t.Fatalf("%s %s: %v", name, method, err)
			}
			got := make([]float64, yTest.Rows)
			m.Predict(got, xTest.Data)
			if pred == nil {
				pred = got
			} else if !slices.Equal(got, pred) {
				t.Errorf("%s: algorithm %s predicts differently from auto", name, method)
			}
		}
		got := map[string]float64{}
		if c.Task == "regression" {
			got["r2"] = metrics.Regression(yTest.Data, pred)["r2"]
		} else {
			got["accuracy"] = metrics.Classification(yTest.Data, pred)["accuracy"]
			got["f1"] = shared.MacroF1(yTest.Data, pred)
		}
		for metric, want := range c.Metrics {
			t.Logf("%s %s: native %.4f, sklearn %.4f", name, metric, got[metric], want)
			if !(got[metric] >= want-0.02) {
				t.Errorf("%s: test %s = %.4f, sklearn %.4f", name, metric, got[metric], want)
			}
		}
	}
}
