package decomposition

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// pcaResult is one sklearn fit recorded in testdata/cluster_fixtures.json
// by testdata/make_cluster_fixtures.py (sklearn 1.2.1).
type pcaResult struct {
	NumComponents int         `json:"n_components"`
	VarianceRatio []float64   `json:"explained_variance_ratio"`
	TransformHead [][]float64 `json:"transform_head"`
}

type pcaFixtures struct {
	PCA []struct {
		Dataset       string    `json:"dataset"`
		NumComponents float64   `json:"n_components"`
		Auto          pcaResult `json:"auto"`
		Full          pcaResult `json:"full"`
	} `json:"pca"`
}

func loadFeatures(t testing.TB, name string) algorithms.Matrix {
	t.Helper()
	x, _, err := datasets.Load(name, "target")
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestPCAParity compares with sklearn's exact ("full") solver and with its
// default solver (randomized for digits with 2 components, which agrees
// with the exact SVD to about 1e-7 there): 1e-9 in the variance ratios and
// 1e-6 in the transform of the first five rows.
func TestPCAParity(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(datasets.Dir(), "cluster_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f pcaFixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.PCA {
		x := loadFeatures(t, c.Dataset)
		m, err := FitPCA(context.Background(), x, algorithms.Hyperparams{"n_components": c.NumComponents, "random_state": 0.0})
		if err != nil {
			t.Fatal(err)
		}
		head := make([]float64, 5*m.NumComponents())
		m.Transform(head, x.Data[:5*x.Cols])
		for _, want := range []struct {
			solver string
			pcaResult
			ratioTol, transformTol float64
		}{{"full", c.Full, 1e-9, 1e-6}, {"auto", c.Auto, 1e-9, 1e-6}} {
			if m.NumComponents() != want.NumComponents {
				t.Fatalf("%s %v: %d components, sklearn (%s) %d", c.Dataset, c.NumComponents, m.NumComponents(), want.solver, want.NumComponents)
			}
			for i, r := range m.ExplainedVarianceRatio() {
				if math.Abs(r-want.VarianceRatio[i]) > want.ratioTol {
					t.Errorf("%s %v: ratio[%d] = %.15g, sklearn (%s) %.15g", c.Dataset, c.NumComponents, i, r, want.solver, want.VarianceRatio[i])
				}
			}
			worst := 0.0
			for i, row := range want.TransformHead {
				for j, v := range row {
					worst = math.Max(worst, math.Abs(head[i*m.NumComponents()+j]-v))
				}
			}
			if worst > want.transformTol {
				t.Errorf("%s %v: transform differs from sklearn (%s) by %.3g", c.Dataset, c.NumComponents, want.solver, worst)
			}
			t.Logf("%s n_components=%v (%s): %d components, transform max diff %.2g", c.Dataset, c.NumComponents, want.solver, m.NumComponents(), worst)
		}
	}
}
