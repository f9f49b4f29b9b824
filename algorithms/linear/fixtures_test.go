package linear

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// sklearnFixtures mirrors testdata/sklearn_fixtures.json, written by
// testdata/make_fixtures.py.
type sklearnFixtures struct {
	Logistic map[string]struct {
		Classes   []float64   `json:"classes"`
		Coef      [][]float64 `json:"coef"`
		Intercept []float64   `json:"intercept"`
		Accuracy  float64     `json:"accuracy"`
		Optimum   struct {
			Coef      [][]float64 `json:"coef"`
			Intercept []float64   `json:"intercept"`
			Converged bool        `json:"converged"`
			Accuracy  float64     `json:"accuracy"`
		} `json:"optimum"`
	} `json:"logistic"`
	OLS map[string]struct {
		Coef      [][]float64 `json:"coef"`
		Intercept []float64   `json:"intercept"`
		R2        float64     `json:"r2"`
	} `json:"ols"`
}

func loadFixtures(t testing.TB) sklearnFixtures {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(datasets.Dir(), "sklearn_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f sklearnFixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}
