package boosting

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// boostingFixtures mirrors testdata/boosting_fixtures.json, written by
// testdata/make_boosting_fixtures.py.
type boostingFixtures struct {
	SklearnVersion string `json:"sklearn_version"`
	Datasets       map[string]struct {
		Label       string `json:"label"`
		Task        string `json:"task"`
		Permutation []int  `json:"permutation"`
		TrainRows   int    `json:"train_rows"`
		// Test-set scores: r2, or accuracy and f1_macro.
		GradientBoosting     map[string]float64 `json:"gradient_boosting"`
		HistGradientBoosting map[string]float64 `json:"hist_gradient_boosting"`
	} `json:"datasets"`
}

func loadFixtures(t testing.TB) boostingFixtures {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(datasets.Dir(), "boosting_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f boostingFixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// takeRows returns the rows of m listed in idx, in that order.
func takeRows(m algorithms.Matrix, idx []int) algorithms.Matrix {
	out := algorithms.Matrix{Rows: len(idx), Cols: m.Cols, Data: make([]float64, 0, len(idx)*m.Cols)}
	for _, i := range idx {
		out.Data = append(out.Data, m.Row(i)...)
	}
	return out
}
