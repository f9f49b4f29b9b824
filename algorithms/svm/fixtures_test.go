package svm

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
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

func selectRows(m algorithms.Matrix, idx []int) algorithms.Matrix {
	return algorithms.Matrix{Rows: len(idx), Cols: m.Cols, Data: gatherRows(m, idx)}
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
	return selectRows(x, train), selectRows(y, train), selectRows(x, test), selectRows(y, test)
}

// macroF1 is sklearn's f1_score(average="macro") over the labels present
// in either input.
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
