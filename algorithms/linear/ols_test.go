package linear

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

func randomMatrix(rows, cols int, seed uint64) algorithms.Matrix {
	rng := rand.New(rand.NewPCG(seed, seed))
	m := algorithms.Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
	for i := range m.Data {
		m.Data[i] = rng.NormFloat64() * 10
	}
	return m
}

// linearTargets returns y[i][o] = intercept[o] + coef[o]·x[i].
func linearTargets(x algorithms.Matrix, coef [][]float64, intercept []float64) algorithms.Matrix {
	k := len(coef)
	y := algorithms.Matrix{Rows: x.Rows, Cols: k, Data: make([]float64, x.Rows*k)}
	for i := 0; i < x.Rows; i++ {
		for o := 0; o < k; o++ {
			s := intercept[o]
			for j, v := range x.Row(i) {
				s += coef[o][j] * v
			}
			y.Data[i*k+o] = s
		}
	}
	return y
}

func assertClose(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g (tolerance %g)", what, got, want, tol)
	}
}

func TestOLSRecoversKnownCoefficients(t *testing.T) {
	x := randomMatrix(50, 4, 1)
	coef := [][]float64{{1.5, -2, 0.25, 3}, {0, 7, -1, 0.5}}
	intercept := []float64{-4, 12}
	y := linearTargets(x, coef, intercept)
	m, err := FitOLS(context.Background(), x, y, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.NumOutputs() != 2 || m.NumFeatures() != 4 {
		t.Fatalf("shape %d outputs × %d features", m.NumOutputs(), m.NumFeatures())
	}
	for o := range coef {
		for j, want := range coef[o] {
			assertClose(t, "coef", m.Coef(o)[j], want, 1e-10)
		}
		assertClose(t, "intercept", m.Intercept(o), intercept[o], 1e-10)
	}
	pred := make([]float64, 2)
	m.Predict(pred, x.Row(7))
	assertClose(t, "prediction 0", pred[0], y.Data[14], 1e-9)
	assertClose(t, "prediction 1", pred[1], y.Data[15], 1e-9)
}

func TestOLSWithoutIntercept(t *testing.T) {
	x := randomMatrix(30, 3, 2)
	coef := [][]float64{{2, -1, 0.5}}
	y := linearTargets(x, coef, []float64{0})
	m, err := FitOLS(context.Background(), x, y, algorithms.Hyperparams{"fit_intercept": false})
	if err != nil {
		t.Fatal(err)
	}
	for j, want := range coef[0] {
		assertClose(t, "coef", m.Coef(0)[j], want, 1e-10)
	}
	if m.Intercept(0) != 0 {
		t.Errorf("intercept = %v without fit_intercept", m.Intercept(0))
	}
}

// With a duplicated and a constant column the least-squares solution is not
// unique; like numpy lstsq we want the minimum-norm one, which splits the
// weight evenly between the duplicates and gives the constant column none.
func TestOLSRankDeficientGivesMinimumNorm(t *testing.T) {
	base := randomMatrix(40, 2, 3)
	x := algorithms.Matrix{Rows: 40, Cols: 4}
	for i := 0; i < base.Rows; i++ {
		a, b := base.Row(i)[0], base.Row(i)[1]
		x.Data = append(x.Data, a, b, a, 5)
	}
	y := linearTargets(base, [][]float64{{4, -3}}, []float64{1})
	m, err := FitOLS(context.Background(), x, y, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{2, -3, 2, 0}
	for j := range want {
		assertClose(t, "coef", m.Coef(0)[j], want[j], 1e-9)
	}
	assertClose(t, "intercept", m.Intercept(0), 1, 1e-9)
}

func TestOLSMoreFeaturesThanRows(t *testing.T) {
	x := randomMatrix(3, 6, 4)
	y := algorithms.Matrix{Rows: 3, Cols: 1, Data: []float64{1, -2, 5}}
	m, err := FitOLS(context.Background(), x, y, nil)
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]float64, 3)
	m.Predict(pred, x.Data)
	for i := range pred {
		assertClose(t, "interpolated prediction", pred[i], y.Data[i], 1e-9)
	}
}

func TestOLSMatchesSklearn(t *testing.T) {
	fixtures := loadFixtures(t)
	cases := map[string][]string{
		"diabetes": {"target"},
		"linnerud": {"weight", "waste", "pulse"},
	}
	for name, labels := range cases {
		want := fixtures.OLS[name]
		x, y, err := datasets.Load(name, labels...)
		if err != nil {
			t.Fatal(err)
		}
		m, err := FitOLS(context.Background(), x, y, nil)
		if err != nil {
			t.Fatal(err)
		}
		for o := range want.Coef {
			for j, c := range want.Coef[o] {
				assertRelative(t, name+" coef", m.Coef(o)[j], c, 1e-6)
			}
			assertRelative(t, name+" intercept", m.Intercept(o), want.Intercept[o], 1e-6)
		}
		pred := make([]float64, y.Rows*y.Cols)
		m.Predict(pred, x.Data)
		assertClose(t, name+" r2", uniformR2(y, pred), want.R2, 1e-9)
	}
}

func assertRelative(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.Abs(got-want) > rel*math.Abs(want)+1e-12 {
		t.Errorf("%s = %.12g, want %.12g (relative tolerance %g)", what, got, want, rel)
	}
}

// uniformR2 is sklearn's score for multi-output regression: the mean of the
// per-output r2, computed here independently of package metrics.
func uniformR2(y algorithms.Matrix, pred []float64) float64 {
	var total float64
	for o := 0; o < y.Cols; o++ {
		var mean, ssRes, ssTot float64
		for i := 0; i < y.Rows; i++ {
			mean += y.Data[i*y.Cols+o]
		}
		mean /= float64(y.Rows)
		for i := 0; i < y.Rows; i++ {
			v := y.Data[i*y.Cols+o]
			ssRes += (v - pred[i*y.Cols+o]) * (v - pred[i*y.Cols+o])
			ssTot += (v - mean) * (v - mean)
		}
		total += 1 - ssRes/ssTot
	}
	return total / float64(y.Cols)
}

func TestOLSRejectsBadInput(t *testing.T) {
	x := randomMatrix(5, 2, 5)
	y := algorithms.Matrix{Rows: 5, Cols: 1, Data: make([]float64, 5)}
	cases := []struct {
		x, y algorithms.Matrix
		hp   algorithms.Hyperparams
		want string
	}{
		{x, y, algorithms.Hyperparams{"normalize": true}, `"normalize"`},
		{x, y, algorithms.Hyperparams{"fit_intercept": "yes"}, "true or false"},
		{x, algorithms.Matrix{Rows: 4, Cols: 1, Data: make([]float64, 4)}, nil, "rows"},
		{algorithms.Matrix{Rows: 5, Cols: 2, Data: append([]float64{math.NaN()}, x.Data[1:]...)}, y, nil, "non-finite"},
	}
	for _, c := range cases {
		_, err := FitOLS(context.Background(), c.x, c.y, c.hp)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FitOLS error = %v, want one mentioning %s", err, c.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FitOLS(ctx, x, y, nil); err == nil || !strings.Contains(err.Error(), "cancel") {
		t.Errorf("FitOLS with a cancelled context: %v", err)
	}
}
