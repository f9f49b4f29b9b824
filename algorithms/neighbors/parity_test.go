package neighbors

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

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

func rows(m algorithms.Matrix, idx []int) algorithms.Matrix {
	out := algorithms.Matrix{Rows: len(idx), Cols: m.Cols}
	for _, i := range idx {
		out.Data = append(out.Data, m.Row(i)...)
	}
	return out
}

// macroF1 is sklearn's f1_score(average="macro").
func macroF1(yTrue, yPred []float64) float64 {
	set := map[float64]bool{}
	for i := range yTrue {
		set[yTrue[i]], set[yPred[i]] = true, true
	}
	labels := make([]float64, 0, len(set))
	for l := range set {
		labels = append(labels, l)
	}
	sort.Float64s(labels)
	var sum float64
	for _, l := range labels {
		var tp, fp, fn float64
		for i := range yTrue {
			switch {
			case yTrue[i] == l && yPred[i] == l:
				tp++
			case yPred[i] == l:
				fp++
			case yTrue[i] == l:
				fn++
			}
		}
		if tp > 0 {
			sum += 2 * tp / (2*tp + fp + fn)
		}
	}
	return sum / float64(len(labels))
}

// TestParityWithSklearn requires test metrics at most 0.02 below those of
// sklearn's KNeighbors estimators on the fixture's split.
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
		xTrain, yTrain := rows(x, s.Perm[:s.NTrain]), rows(y, s.Perm[:s.NTrain])
		xTest, yTest := rows(x, s.Perm[s.NTrain:]), rows(y, s.Perm[s.NTrain:])
		var m algorithms.Model
		if c.Task == "regression" {
			m, err = FitRegressor(context.Background(), xTrain, yTrain, c.Hyperparams)
		} else {
			m, err = FitClassifier(context.Background(), xTrain, yTrain, c.Hyperparams)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pred := make([]float64, yTest.Rows)
		m.Predict(pred, xTest.Data)
		got := map[string]float64{}
		if c.Task == "regression" {
			got["r2"] = metrics.Regression(yTest.Data, pred)["r2"]
		} else {
			got["accuracy"] = metrics.Classification(yTest.Data, pred)["accuracy"]
			got["f1"] = macroF1(yTest.Data, pred)
		}
		for metric, want := range c.Metrics {
			t.Logf("%s %s: native %.4f, sklearn %.4f", name, metric, got[metric], want)
			if !(got[metric] >= want-0.02) {
				t.Errorf("%s: test %s = %.4f, sklearn %.4f", name, metric, got[metric], want)
			}
		}
	}
}
