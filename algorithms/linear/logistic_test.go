package linear

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

var logisticDatasets = map[string]string{
	"iris":          "target",
	"breast_cancer": "malignant",
	"digits":        "target",
}

func accuracy(m algorithms.Model, x, y algorithms.Matrix) float64 {
	pred := make([]float64, x.Rows)
	m.Predict(pred, x.Data)
	var right int
	for i, p := range pred {
		if p == y.Data[i] {
			right++
		}
	}
	return float64(right) / float64(x.Rows)
}

func TestLogisticMatchesSklearn(t *testing.T) {
	fixtures := loadFixtures(t)
	for name, label := range logisticDatasets {
		t.Run(name, func(t *testing.T) {
			want := fixtures.Logistic[name]
			x, y, err := datasets.Load(name, label)
			if err != nil {
				t.Fatal(err)
			}
			m, err := FitLogistic(context.Background(), x, y, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Classes(); len(got) != len(want.Classes) {
				t.Fatalf("classes %v, want %v", got, want.Classes)
			}
			if acc := accuracy(m, x, y); acc < want.Accuracy-0.02 {
				t.Errorf("training accuracy %.4f, sklearn %.4f", acc, want.Accuracy)
			}
			t.Logf("accuracy %.4f (sklearn default %.4f, optimum %.4f)", accuracy(m, x, y), want.Accuracy, want.Optimum.Accuracy)
			// Distance to sklearn's tightly converged optimum, relative to
			// the size of the coefficients.
			var diff, norm float64
			for v := range want.Optimum.Coef {
				for j, c := range want.Optimum.Coef[v] {
					diff = math.Max(diff, math.Abs(m.Coef(v)[j]-c))
					norm = math.Max(norm, math.Abs(c))
				}
				diff = math.Max(diff, math.Abs(m.Intercept(v)-want.Optimum.Intercept[v]))
				norm = math.Max(norm, math.Abs(want.Optimum.Intercept[v]))
			}
			t.Logf("max |coef - optimum| = %.3g (max |optimum coef| %.3g)", diff, norm)
			if name == "iris" && diff > 1e-3*norm {
				t.Errorf("coefficients differ from sklearn's optimum by %.3g", diff)
			}
			// Collinear or nearly separable data leave the optimum flat in
			// some directions, so there the objective is the fair yardstick.
			coef := make([]float64, 0, len(m.coef))
			for v := 0; v < m.NumVectors(); v++ {
				coef = append(coef, m.Coef(v)...)
			}
			ours := sklearnObjective(x, y, want.Classes, coef, m.intercept)
			var optCoef []float64
			for _, row := range want.Optimum.Coef {
				optCoef = append(optCoef, row...)
			}
			theirs := sklearnObjective(x, y, want.Classes, optCoef, want.Optimum.Intercept)
			t.Logf("objective %.10g, at sklearn's optimum %.10g", ours, theirs)
			if ours > theirs*(1+1e-5) {
				t.Errorf("objective %.10g exceeds the one at sklearn's optimum, %.10g", ours, theirs)
			}
		})
	}
}

func TestLogisticBinaryLabelsAndProbabilities(t *testing.T) {
	// One feature separating label -1 (small x) from 3.5 (large x), with
	// overlap so that the optimum is finite.
	x := algorithms.Matrix{Rows: 8, Cols: 1, Data: []float64{0, 1, 2, 3, 4, 5, 6, 7}}
	y := algorithms.Matrix{Rows: 8, Cols: 1, Data: []float64{-1, -1, -1, 3.5, -1, 3.5, 3.5, 3.5}}
	m, err := FitLogistic(context.Background(), x, y, algorithms.Hyperparams{"C": 10.0})
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Classes(); len(c) != 2 || c[0] != -1 || c[1] != 3.5 || m.NumVectors() != 1 {
		t.Fatalf("classes %v with %d vectors", c, m.NumVectors())
	}
	pred := make([]float64, 2)
	m.Predict(pred, []float64{-5, 12})
	if pred[0] != -1 || pred[1] != 3.5 {
		t.Errorf("predictions %v, want [-1 3.5]", pred)
	}
	proba := make([]float64, 4)
	m.PredictProba(proba, []float64{-5, 12})
	if math.Abs(proba[0]+proba[1]-1) > 1e-12 || proba[0] < 0.9 || proba[3] < 0.9 {
		t.Errorf("probabilities %v", proba)
	}
	// Symmetric data puts the boundary at the midpoint 3.5.
	assertClose(t, "boundary", -m.Intercept(0)/m.Coef(0)[0], 3.5, 1e-6)
}

func TestLogisticMulticlassProbabilities(t *testing.T) {
	x, y, err := datasets.Load("iris", "target")
	if err != nil {
		t.Fatal(err)
	}
	m, err := FitLogistic(context.Background(), x, y, nil)
	if err != nil {
		t.Fatal(err)
	}
	proba := make([]float64, x.Rows*3)
	m.PredictProba(proba, x.Data)
	pred := make([]float64, x.Rows)
	m.Predict(pred, x.Data)
	for i := 0; i < x.Rows; i++ {
		p := proba[i*3 : i*3+3]
		best := 0
		for v := range p {
			if p[v] > p[best] {
				best = v
			}
		}
		if math.Abs(p[0]+p[1]+p[2]-1) > 1e-12 || m.Classes()[best] != pred[i] {
			t.Fatalf("row %d: probabilities %v, prediction %v", i, p, pred[i])
		}
	}
}

func TestLogisticConstantColumnStaysFinite(t *testing.T) {
	x := algorithms.Matrix{Rows: 6, Cols: 2, Data: []float64{0, 7, 1, 7, 2, 7, 3, 7, 4, 7, 5, 7}}
	y := algorithms.Matrix{Rows: 6, Cols: 1, Data: []float64{0, 0, 1, 0, 1, 1}}
	for _, fitIntercept := range []bool{true, false} {
		m, err := FitLogistic(context.Background(), x, y, algorithms.Hyperparams{"fit_intercept": fitIntercept})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range append(m.Coef(0), m.Intercept(0)) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("fit_intercept=%v: non-finite parameter in %v %v", fitIntercept, m.Coef(0), m.Intercept(0))
			}
		}
		if fitIntercept && math.Abs(m.Coef(0)[1]) > 1e-8 {
			t.Errorf("constant column weight %v, want 0 since the intercept absorbs it for free", m.Coef(0)[1])
		}
	}
}

func TestLogisticRejectsBadInput(t *testing.T) {
	x := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{1, 2, 3, 4}}
	y := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{0, 1, 0, 1}}
	cases := []struct {
		y    algorithms.Matrix
		hp   algorithms.Hyperparams
		want string
	}{
		{y, algorithms.Hyperparams{"C": "abc"}, `hyperparameter "C" must be a positive number, got "abc"`},
		{y, algorithms.Hyperparams{"C": 0.0}, `"C" must be a positive number`},
		{y, algorithms.Hyperparams{"max_iter": -3.0}, `"max_iter" must be an integer between 1 and 10000000, got -3`},
		{y, algorithms.Hyperparams{"max_iter": 1e9}, `"max_iter" must be an integer between 1 and 10000000, got 1000000000`},
		{y, algorithms.Hyperparams{"penalty": "l1"}, `unknown hyperparameter "penalty": allowed are C, fit_intercept, max_iter, tol`},
		{algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{2, 2, 2, 2}}, nil, "classification needs at least 2 distinct labels, got 1"},
		{algorithms.Matrix{Rows: 4, Cols: 2, Data: make([]float64, 8)}, nil, "one label column"},
	}
	for _, c := range cases {
		_, err := FitLogistic(context.Background(), x, c.y, c.hp)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FitLogistic error = %v, want one containing %s", err, c.want)
		}
	}
}

func TestLogisticCancellation(t *testing.T) {
	x, y, err := datasets.Load("digits", "target")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = FitLogistic(ctx, x, y, nil)
	if err == nil || !strings.Contains(err.Error(), "cancel") {
		t.Errorf("FitLogistic with a cancelled context: %v", err)
	}
}

// sklearnObjective evaluates C·Σ logloss + ½‖W‖² with C = 1 directly from
// its definition, for coef laid out as sklearn's coef_ rows.
func sklearnObjective(x, y algorithms.Matrix, classes, coef, intercept []float64) float64 {
	p, vectors := x.Cols, len(intercept)
	var f float64
	for _, w := range coef {
		f += 0.5 * w * w
	}
	for i := 0; i < x.Rows; i++ {
		scores := make([]float64, vectors)
		for v := range scores {
			scores[v] = intercept[v]
			for j, xij := range x.Row(i) {
				scores[v] += coef[v*p+j] * xij
			}
		}
		truth := 0
		for classes[truth] != y.Data[i] {
			truth++
		}
		if vectors == 1 {
			prob := 1 / (1 + math.Exp(-scores[0]))
			if truth == 0 {
				prob = 1 - prob
			}
			f -= math.Log(prob)
			continue
		}
		var sum float64
		for _, s := range scores {
			sum += math.Exp(s)
		}
		f -= scores[truth] - math.Log(sum)
	}
	return f
}
