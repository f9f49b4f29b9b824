package svm

import (
	"encoding/json"
	"github.com/pgml-go/pgml/algorithms/internal/fixtures"
	"os"
	"path/filepath"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// svmFixtures mirrors testdata/svm_fixtures.json, written by
// testdata/make_svm_fixtures.py.
type svmFixtures struct {
	Splits map[string]struct {
		Perm   []int `json:"perm"`
		NTrain int   `json:"n_train"`
	} `json:"splits"`
	Cases []struct {
		Task            string                 `json:"task"`
		Dataset         string                 `json:"dataset"`
		Hyperparams     algorithms.Hyperparams `json:"hyperparams"`
		Metrics         map[string]float64     `json:"metrics"`
		NumSupport      int                    `json:"n_support"`
		NumSupportClass []int                  `json:"n_support_per_class"`
		Rho             []float64              `json:"rho"`
		PairObjectives  []float64              `json:"pair_objectives"`
	} `json:"cases"`
}

func loadFixtures(t testing.TB) svmFixtures {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(datasets.Dir(), "svm_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f svmFixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

var labelColumn = map[string]string{
	"diabetes":      "target",
	"iris":          "target",
	"breast_cancer": "malignant",
	"digits":        "target",
}

func loadDataset(t testing.TB, name string) (x, y algorithms.Matrix) {
	t.Helper()
	x, y, err := datasets.Load(name, labelColumn[name])
	if err != nil {
		t.Fatal(err)
	}
	return x, y
}

// splitDataset applies the fixture's permutation: its first n_train rows
// train, the rest test.
func splitDataset(t testing.TB, f svmFixtures, name string) (xTrain, yTrain, xTest, yTest algorithms.Matrix) {
	t.Helper()
	x, y := loadDataset(t, name)
	s := f.Splits[name]
	if len(s.Perm) != x.Rows {
		t.Fatalf("%s: permutation of %d rows for %d", name, len(s.Perm), x.Rows)
	}
	train, test := s.Perm[:s.NTrain], s.Perm[s.NTrain:]
	return fixtures.Rows(x, train), fixtures.Rows(y, train), fixtures.Rows(x, test), fixtures.Rows(y, test)
}
