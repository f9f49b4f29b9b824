package forest

import (
	"context"
	"math"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// A forest of one tree grown on every row and every feature is scikit-learn's decision
// tree: the same splits, so the same feature_importances_ (recorded by
// testdata/make_analysis_fixtures.py).
func TestImpurityImportanceMatchesSklearnTree(t *testing.T) {
	var f struct {
		Trees map[string]struct {
			Label      string    `json:"label"`
			MaxDepth   float64   `json:"max_depth"`
			Importance []float64 `json:"importance"`
		} `json:"tree_impurity"`
	}
	if err := datasets.ReadJSON("analysis_fixtures.json", &f); err != nil || len(f.Trees) != 2 {
		t.Fatalf("fixtures: %v (%d)", err, len(f.Trees))
	}
	for name, c := range f.Trees {
		x, y, err := datasets.Load(name, c.Label)
		if err != nil {
			t.Fatal(err)
		}
		hp := algorithms.Hyperparams{"n_estimators": 1.0, "bootstrap": false, "max_features": nil, "max_depth": c.MaxDepth}
		var m interface {
			FeatureImportance() (string, []float64, bool)
		}
		if name == "diabetes" {
			m, err = FitRegressor(context.Background(), RandomForest, x, y, hp)
		} else {
			m, err = FitClassifier(context.Background(), RandomForest, x, y, hp)
		}
		if err != nil {
			t.Fatal(err)
		}
		method, got, ok := m.FeatureImportance()
		if !ok || method != "impurity" || len(got) != len(c.Importance) {
			t.Fatalf("%s: %q %v %v", name, method, got, ok)
		}
		for j := range got {
			if math.Abs(got[j]-c.Importance[j]) > 1e-9 {
				t.Errorf("%s: importance[%d] = %v, sklearn %v", name, j, got[j], c.Importance[j])
			}
		}
	}
}

func TestImpurityImportanceOfForest(t *testing.T) {
	x, y, err := datasets.Load("iris", "target")
	if err != nil {
		t.Fatal(err)
	}
	m, err := FitClassifier(context.Background(), ExtraTrees, x, y, algorithms.Hyperparams{"n_estimators": 20.0})
	if err != nil {
		t.Fatal(err)
	}
	_, got, ok := m.FeatureImportance()
	total := 0.0
	for _, v := range got {
		total += v
		if v < 0 {
			t.Errorf("negative importance %v", got)
		}
	}
	// Petal length and width separate the species; sepal width hardly does.
	if !ok || math.Abs(total-1) > 1e-12 || got[2]+got[3] < 0.6 || got[1] > 0.15 {
		t.Errorf("importances %v (sum %v)", got, total)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := loaded.(*Classifier).FeatureImportance(); ok {
		t.Error("a loaded forest claims importances it does not store")
	}
}
