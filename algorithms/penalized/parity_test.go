package penalized

import (
	"context"
	"fmt"
	"github.com/pgml-go/pgml/algorithms/internal/fixtures"
	"math"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/metrics"
)

// fitters maps algorithm/task to its estimator in this package.
var fitters = map[string]func(context.Context, algorithms.Matrix, algorithms.Matrix, algorithms.Hyperparams) (algorithms.Model, error){
	"ridge/regression": func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
		return FitRidge(ctx, x, y, hp)
	},
	"ridge/classification": func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
		return FitRidgeClassifier(ctx, x, y, hp)
	},
	"lasso/regression": func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
		return FitLasso(ctx, x, y, hp)
	},
	"elastic_net/regression": func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
		return FitElasticNet(ctx, x, y, hp)
	},
	"stochastic_gradient_descent/regression": func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
		return FitSGDRegressor(ctx, x, y, hp)
	},
	"stochastic_gradient_descent/classification": func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
		return FitSGDClassifier(ctx, x, y, hp)
	},
	"linear_svm/regression": func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
		return FitLinearSVR(ctx, x, y, hp)
	},
	"linear_svm/classification": func(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
		return FitLinearSVC(ctx, x, y, hp)
	},
}

// coefVectors returns a fitted model's coef_ and intercept_.
func coefVectors(m algorithms.Model) (coef [][]float64, intercept []float64) {
	switch m := m.(type) {
	case *Regressor:
		for o := 0; o < m.NumOutputs(); o++ {
			coef, intercept = append(coef, m.Coef(o)), append(intercept, m.Intercept(o))
		}
	case *Classifier:
		for v := 0; v < m.NumVectors(); v++ {
			coef, intercept = append(coef, m.Coef(v)), append(intercept, m.Intercept(v))
		}
	}
	return coef, intercept
}

// closeRelative reports whether got is within tol of want relative to the
// largest weight of the vector, so that coefficients the L1 penalty sets to
// zero (or nearly so) are judged on the scale of the others.
func closeRelative(got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	var scale float64
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	for j := range want {
		if math.Abs(got[j]-want[j]) > tol*math.Max(math.Abs(want[j]), 1e-3*scale) {
			return false
		}
	}
	return true
}

func checkCoefficients(t *testing.T, name string, m algorithms.Model, wantCoef [][]float64, wantIntercept []float64) {
	t.Helper()
	coef, intercept := coefVectors(m)
	if len(coef) != len(wantCoef) {
		t.Fatalf("%s: %d weight vectors, sklearn has %d", name, len(coef), len(wantCoef))
	}
	for v := range wantCoef {
		if !closeRelative(coef[v], wantCoef[v], 1e-4) {
			t.Errorf("%s: coef[%d] = %v\nsklearn:   %v", name, v, coef[v], wantCoef[v])
		}
	}
	if !closeRelative(intercept, wantIntercept, 1e-4) {
		t.Errorf("%s: intercept = %v, sklearn %v", name, intercept, wantIntercept)
	}
}

// TestParityWithSklearn fits every estimator on the fixture's training
// rows and requires a test metric at most 0.02 below sklearn's, and for the
// convex closed-form / coordinate descent models the same coefficients.
func TestParityWithSklearn(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.Cases {
		fit, ok := fitters[c.Algorithm+"/"+c.Task]
		if !ok {
			continue // another package's algorithm
		}
		name := fmt.Sprintf("%s/%s/%s", c.Algorithm, c.Task, c.Dataset)
		t.Run(name, func(t *testing.T) {
			xTrain, yTrain, xTest, yTest := splitDataset(t, f, c.Dataset)
			m, err := fit(context.Background(), xTrain, yTrain, c.Hyperparams)
			if err != nil {
				t.Fatal(err)
			}
			pred := make([]float64, yTest.Rows*m.NumOutputs())
			m.Predict(pred, xTest.Data)
			got := map[string]float64{}
			if c.Task == "regression" {
				got["r2"] = metrics.Regression(yTest.Data, pred)["r2"]
			} else {
				got["accuracy"] = metrics.Classification(yTest.Data, pred)["accuracy"]
				got["f1"] = fixtures.MacroF1(yTest.Data, pred)
			}
			for metric, want := range c.Metrics {
				t.Logf("%s %s: native %.4f, sklearn %.4f", name, metric, got[metric], want)
				if !(got[metric] >= want-0.02) {
					t.Errorf("%s: test %s = %.4f, sklearn %.4f", name, metric, got[metric], want)
				}
			}
			if c.Coef != nil {
				checkCoefficients(t, name, m, c.Coef, c.Intercept)
			}
		})
	}
}

// TestMultiTargetParity compares the joint fits on linnerud, whose three
// targets Ridge solves together and Lasso/ElasticNet one by one.
func TestMultiTargetParity(t *testing.T) {
	f := loadFixtures(t)
	for _, c := range f.MultiTarget {
		x, y := loadDataset(t, c.Dataset)
		m, err := fitters[c.Algorithm+"/regression"](context.Background(), x, y, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkCoefficients(t, c.Algorithm+"/"+c.Dataset, m, c.Coef, c.Intercept)
	}
}
