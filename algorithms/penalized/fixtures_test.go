package penalized

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// penalizedFixtures mirrors testdata/penalized_fixtures.json, written by
// testdata/make_penalized_fixtures.py.
type penalizedFixtures struct {
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
		Coef        [][]float64            `json:"coef"`
		Intercept   []float64              `json:"intercept"`
	} `json:"cases"`
	MultiTarget []struct {
		Algorithm string      `json:"algorithm"`
		Dataset   string      `json:"dataset"`
		Coef      [][]float64 `json:"coef"`
		Intercept []float64   `json:"intercept"`
	} `json:"multi_target"`
}

func loadFixtures(t testing.TB) penalizedFixtures {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(datasets.Dir(), "penalized_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f penalizedFixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

var labelColumn = map[string][]string{
	"diabetes":      {"target"},
	"iris":          {"target"},
	"breast_cancer": {"malignant"},
	"digits":        {"target"},
	"linnerud":      {"weight", "waste", "pulse"},
}

func loadDataset(t testing.TB, name string) (x, y algorithms.Matrix) {
	t.Helper()
	x, y, err := datasets.Load(name, labelColumn[name]...)
	if err != nil {
		t.Fatal(err)
	}
	return x, y
}

func rows(m algorithms.Matrix, idx []int) algorithms.Matrix {
	out := algorithms.Matrix{Rows: len(idx), Cols: m.Cols, Data: make([]float64, 0, len(idx)*m.Cols)}
	for _, i := range idx {
		out.Data = append(out.Data, m.Row(i)...)
	}
	return out
}

// splitDataset applies the fixture's permutation: its first n_train rows
// train, the rest test.
func splitDataset(t testing.TB, f penalizedFixtures, name string) (xTrain, yTrain, xTest, yTest algorithms.Matrix) {
	t.Helper()
	x, y := loadDataset(t, name)
	s := f.Splits[name]
	if len(s.Perm) != x.Rows {
		t.Fatalf("%s: permutation of %d rows for %d", name, len(s.Perm), x.Rows)
	}
	train, test := s.Perm[:s.NTrain], s.Perm[s.NTrain:]
	return rows(x, train), rows(y, train), rows(x, test), rows(y, test)
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
