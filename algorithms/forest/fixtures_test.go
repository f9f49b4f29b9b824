package forest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// forestFixtures mirrors testdata/forest_fixtures.json, written by
// testdata/make_forest_fixtures.py.
type forestFixtures struct {
	SklearnVersion string `json:"sklearn_version"`
	Seeds          []int  `json:"seeds"`
	Datasets       map[string]struct {
		Task        string   `json:"task"`
		Labels      []string `json:"labels"`
		Permutation []int    `json:"permutation"`
		NumTrain    int      `json:"n_train"`
		Scores      map[string]struct {
			RandomState0  testScores `json:"random_state_0"`
			MeanOverSeeds testScores `json:"mean_over_seeds"`
		} `json:"scores"`
	} `json:"datasets"`
}

// testScores are test-set metrics: r2 for regression, accuracy and macro F1
// for classification.
type testScores struct {
	R2       float64 `json:"r2"`
	Accuracy float64 `json:"accuracy"`
	F1Macro  float64 `json:"f1_macro"`
}

func loadFixtures(t testing.TB) forestFixtures {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(datasets.Dir(), "forest_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f forestFixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// fixtureSplit loads dataset name and splits it as the fixture script did:
// the first n_train rows of the recorded permutation train, the rest test.
func fixtureSplit(t testing.TB, f forestFixtures, name string) (xTrain, yTrain, xTest, yTest algorithms.Matrix) {
	t.Helper()
	fx := f.Datasets[name]
	x, y, err := datasets.Load(name, fx.Labels...)
	if err != nil {
		t.Fatal(err)
	}
	if len(fx.Permutation) != x.Rows {
		t.Fatalf("%s: permutation of %d rows for %d rows", name, len(fx.Permutation), x.Rows)
	}
	take := func(m algorithms.Matrix, rows []int) algorithms.Matrix {
		out := algorithms.Matrix{Rows: len(rows), Cols: m.Cols}
		for _, r := range rows {
			out.Data = append(out.Data, m.Row(r)...)
		}
		return out
	}
	train, test := fx.Permutation[:fx.NumTrain], fx.Permutation[fx.NumTrain:]
	return take(x, train), take(y, train), take(x, test), take(y, test)
}
