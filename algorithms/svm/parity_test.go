package svm

import (
	"context"
	"fmt"
	"github.com/pgml-go/pgml/algorithms/internal/fixtures"
	"math"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/metrics"
)

// TestParityWithSklearn fits every fixture case on its training rows and
// requires a test metric at most 0.02 below sklearn's, about as many
// support vectors, and libsvm's thresholds. Both solvers stop once the
// optimality conditions hold to within tol, so the solutions, not only the
// predictions, agree to about tol.
func TestParityWithSklearn(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.Cases {
		name := fmt.Sprintf("%s/%s/%v", c.Task, c.Dataset, c.Hyperparams)
		t.Run(name, func(t *testing.T) {
			xTrain, yTrain, xTest, yTest := splitDataset(t, f, c.Dataset)
			var m algorithms.Model
			var numSupport []int
			var rho []float64
			var err error
			if c.Task == "regression" {
				var r *Regressor
				r, err = FitSVR(context.Background(), xTrain, yTrain, c.Hyperparams)
				if err == nil {
					m, numSupport, rho = r, []int{r.NumSupport(0)}, []float64{r.Rho(0)}
				}
			} else {
				var k *Classifier
				k, err = FitSVC(context.Background(), xTrain, yTrain, c.Hyperparams)
				if err == nil {
					m, numSupport, rho = k, k.NumSupport(), k.Rho()
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			pred := make([]float64, yTest.Rows)
			m.Predict(pred, xTest.Data)
			got := map[string]float64{}
			if c.Task == "regression" {
				got["r2"] = metrics.Regression(yTest.Data, pred)["r2"]
			} else {
				got["accuracy"] = metrics.Classification(yTest.Data, pred)["accuracy"]
				got["f1"] = fixtures.MacroF1(yTest.Data, pred)
			}
			for metric, want := range c.Metrics {
				t.Logf("%s: native %.4f, sklearn %.4f", metric, got[metric], want)
				if !(got[metric] >= want-0.02) {
					t.Errorf("test %s = %.4f, sklearn %.4f", metric, got[metric], want)
				}
			}

			total := 0
			for _, n := range numSupport {
				total += n
			}
			t.Logf("support vectors: native %d %v, sklearn %d %v", total, numSupport, c.NumSupport, c.NumSupportClass)
			if math.Abs(float64(total-c.NumSupport)) > math.Max(2, 0.02*float64(c.NumSupport)) {
				t.Errorf("%d support vectors, sklearn %d", total, c.NumSupport)
			}
			for p := range c.Rho {
				// rho is a mean of gradients known to within tol.
				if math.Abs(rho[p]-c.Rho[p]) > 0.01*math.Max(1, math.Abs(c.Rho[p])) {
					t.Errorf("rho[%d] = %.6g, sklearn %.6g", p, rho[p], c.Rho[p])
				}
			}
			if c.PairObjectives != nil {
				objectives := pairObjectives(m.(*Classifier))
				for p, want := range c.PairObjectives {
					t.Logf("pair %d dual objective: native %.6f, sklearn %.6f", p, objectives[p], want)
					if math.Abs(objectives[p]-want) > 1e-3*math.Max(1, math.Abs(want)) {
						t.Errorf("pair %d dual objective = %.6f, sklearn %.6f", p, objectives[p], want)
					}
				}
			}
		})
	}
}

// pairObjectives recomputes ½·αᵀQα − Σα of every pair from the model's
// support vectors and dual coefficients (y·α).
func pairObjectives(m *Classifier) []float64 {
	k, n := len(m.classes), len(m.supportNorms)
	var out []float64
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			var svs []int
			var coef []float64
			for s := m.supportStart[a]; s < m.supportStart[a+1]; s++ {
				svs, coef = append(svs, s), append(coef, m.dualCoef[(b-1)*n+s])
			}
			for s := m.supportStart[b]; s < m.supportStart[b+1]; s++ {
				svs, coef = append(svs, s), append(coef, m.dualCoef[a*n+s])
			}
			var obj float64
			for u, su := range svs {
				obj -= math.Abs(coef[u])
				for v, sv := range svs {
					obj += 0.5 * coef[u] * coef[v] * m.kernel.eval(m.SupportVector(su), m.SupportVector(sv), m.supportNorms[su], m.supportNorms[sv])
				}
			}
			out = append(out, obj)
		}
	}
	return out
}
