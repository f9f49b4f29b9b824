package sklearnkernels

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/fixtures"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// gaussianProcessFixtures are the fixtures' GaussianProcessClassifier cases: with two
// classes and with three (testdata/make_sklearnkernels_fixtures.py).
func gaussianProcessFixtures(t testing.TB) (binary, multi []fixtureCase) {
	t.Helper()
	for _, c := range loadFixtures(t) {
		if c.Class != "GaussianProcessClassifier" {
			continue
		}
		if len(c.Export.Kernels.Classes) == 2 {
			binary = append(binary, c)
		} else {
			multi = append(multi, c)
		}
	}
	if len(binary) == 0 || len(multi) == 0 {
		t.Fatalf("%d binary and %d multi-class Gaussian process classifiers among the fixtures", len(binary), len(multi))
	}
	return binary, multi
}

// The Gaussian process classifiers' probabilities are not trivial ones: a fixture whose every
// probability were 1/k would not tell the latent variance's solve from a constant.
func TestGaussianProcessFixturesAreInformative(t *testing.T) {
	binary, multi := gaussianProcessFixtures(t)
	for _, c := range append(binary, multi...) {
		k := float64(len(c.Export.Kernels.Classes))
		if c.Probabilities == nil {
			t.Fatalf("%s: no probabilities", c.Name)
		}
		informative := false
		for _, row := range c.Probabilities {
			for _, p := range row {
				informative = informative || math.Abs(p-1/k) > 0.2
			}
		}
		if !informative && c.Export.Kernels.Expansions[0].Amplitude != 1 {
			t.Errorf("%s with a fitted kernel: every probability is near 1/%v", c.Name, k)
		}
	}
}

// The erf approximation is the logistic sigmoid's integral against the latent Gaussian:
// checked against that integral computed by quadrature, and against σ(mean) itself as the
// variance vanishes.
func TestLaplaceProbabilityIsTheSigmoidsGaussianIntegral(t *testing.T) {
	sigmoid := func(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
	for _, mean := range []float64{-4, -1.5, -0.2, 0, 0.7, 2, 5} {
		for _, variance := range []float64{1e-10, 0.05, 1, 4, 20} {
			sd := math.Sqrt(variance)
			const steps = 20000
			lo, hi := mean-12*sd, mean+12*sd
			h := (hi - lo) / steps
			integral := 0.0
			for i := 0; i <= steps; i++ {
				z := lo + float64(i)*h
				w := h
				if i == 0 || i == steps {
					w = h / 2
				}
				integral += w * sigmoid(z) * math.Exp(-(z-mean)*(z-mean)/(2*variance)) / math.Sqrt(2*math.Pi*variance)
			}
			if variance < 1e-6 {
				integral = sigmoid(mean)
			}
			if got := laplaceProbability(mean, variance); math.Abs(got-integral) > 2e-3 {
				t.Errorf("mean %v, variance %v: %v, the integral %v", mean, variance, got, integral)
			}
		}
	}
}

// Rows predicted alone or in calls of any number of rows (laplaceBlock solves up to
// laplaceLanes of them together) get scikit-learn's labels and probabilities.
func TestGaussianProcessPredictsInCallsOfAnySize(t *testing.T) {
	binary, multi := gaussianProcessFixtures(t)
	for _, c := range append(binary, multi...) {
		m := c.model(t).(*Model)
		x, p, k := fixtures.Flat(c.X), m.NumFeatures(), len(m.Classes())
		want, wantP := fixtures.Flat(c.Predictions), fixtures.Flat(c.Probabilities)
		for size := 1; size <= laplaceLanes+3; size++ {
			got, gotP := make([]float64, len(c.X)), make([]float64, len(c.X)*k)
			for lo := 0; lo < len(c.X); lo += size {
				hi := min(len(c.X), lo+size)
				m.Predict(got[lo:hi], x[lo*p:hi*p])
				m.PredictProba(gotP[lo*k:hi*k], x[lo*p:hi*p])
			}
			sameWithin(t, fmt.Sprintf("%s: prediction in calls of %d rows", c.Name, size), want, got, 1e-6)
			sameWithin(t, fmt.Sprintf("%s: probability in calls of %d rows", c.Name, size), wantP, gotP, 1e-6)
		}
	}
}

// Predicting rows and their probabilities allocates nothing once the model's scratch exists.
func TestGaussianProcessPredictsWithoutAllocating(t *testing.T) {
	binary, multi := gaussianProcessFixtures(t)
	for _, c := range []fixtureCase{binary[0], multi[0]} {
		m := c.model(t).(*Model)
		for _, rows := range []int{1, 7} {
			x := fixtures.Flat(c.X[:rows])
			label, proba := make([]float64, rows), make([]float64, rows*len(m.Classes()))
			m.Predict(label, x)
			m.PredictProba(proba, x)
			if n := testing.AllocsPerRun(100, func() {
				m.Predict(label, x)
				m.PredictProba(proba, x)
			}); n != 0 {
				t.Errorf("%s: %v allocations per call of %d rows", c.Name, n, rows)
			}
		}
	}
}

// Every truncation of a stored Gaussian process classifier, and factors that disagree with
// their expansions, are refused with an error, never a panic or a model that reads out of
// bounds.
func TestCorruptGaussianProcessClassifiersAreRefused(t *testing.T) {
	binary, multi := gaussianProcessFixtures(t)
	for _, c := range []fixtureCase{binary[0], multi[0]} {
		m := c.model(t).(*Model)
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		_, payload, err := modelfile.ReadHeader(b)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(payload); n += 1 + n/64 {
			if _, err := Unmarshal(m.Task(), payload[:n]); err == nil || !errors.Is(err, modelfile.ErrTruncated) && !strings.Contains(err.Error(), "sklearnkernels") {
				t.Fatalf("%s: %d of %d bytes decoded: %v", c.Name, n, len(payload), err)
			}
		}
	}
	bad := map[string]func(a *Arrays){
		"no factors":        func(a *Arrays) { a.Laplace = nil },
		"a factor short":    func(a *Arrays) { a.Laplace = a.Laplace[1:] },
		"an expansion less": func(a *Arrays) { a.Expansions = a.Expansions[1:] },
		"short triangle":    func(a *Arrays) { a.Laplace[0].Lower = a.Laplace[0].Lower[1:] },
		"short W_sr":        func(a *Arrays) { a.Laplace[1].WSr = a.Laplace[1].WSr[1:] },
		"singular":          func(a *Arrays) { a.Laplace[2].Lower[2] = 0 },
		"NaN W_sr":          func(a *Arrays) { a.Laplace[0].WSr[3] = math.NaN() },
		"infinite triangle": func(a *Arrays) { a.Laplace[0].Lower[4] = math.Inf(1) },
		"width":             func(a *Arrays) { a.Expansions[0].Width = 2 },
		"intercepts":        func(a *Arrays) { a.Expansions[0].Intercept = nil },
		"support counts":    func(a *Arrays) { a.SupportCount = []int{1, 1, 1} },
		"platt":             func(a *Arrays) { a.ProbA, a.ProbB = []float64{1, 1, 1}, []float64{0, 0, 0} },
		"classes":           func(a *Arrays) { a.Classes = []float64{2, 1, 0} },
		"as an svm":         func(a *Arrays) { a.Algorithm = "svm" },
		"as a regressor":    func(a *Arrays) { a.Task, a.Scale, a.Offset = algorithms.Regression, []float64{1}, []float64{0} },
	}
	for name, corrupt := range bad {
		a := deepCopy(multi[0].arrays(t))
		corrupt(&a)
		if _, err := New(a); err == nil {
			t.Errorf("%s: a corrupt Gaussian process classifier was built", name)
		}
	}
	if _, err := New(multi[0].arrays(t)); err != nil {
		t.Fatalf("the uncorrupted one: %v", err)
	}
}

// deepCopy is a with its own slices, for corrupting.
func deepCopy(a Arrays) Arrays {
	clone := func(v []float64) []float64 { return append([]float64(nil), v...) }
	a.Expansions = append([]Expansion(nil), a.Expansions...)
	for i := range a.Expansions {
		x := &a.Expansions[i]
		x.Points, x.Coef, x.Intercept = clone(x.Points), clone(x.Coef), clone(x.Intercept)
	}
	a.Laplace = append([]Laplace(nil), a.Laplace...)
	for i := range a.Laplace {
		a.Laplace[i] = Laplace{WSr: clone(a.Laplace[i].WSr), Lower: clone(a.Laplace[i].Lower)}
	}
	a.Classes = clone(a.Classes)
	return a
}

// A converted GaussianProcessClassifier (pgml's default kernel on three quarters of iris, one
// binary machine per class): one row predicted and its probabilities computed at a time. Each
// machine solves the row's kernel values against its training rows' Cholesky factor.
func BenchmarkPredictRowConvertedGaussianProcessIris(b *testing.B) {
	_, multi := gaussianProcessFixtures(b)
	c := multi[0]
	m := c.model(b).(*Model)
	x := fixtures.Flat(c.X)
	p := m.NumFeatures()
	label, proba := make([]float64, 1), make([]float64, len(m.Classes()))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		row := x[i*p : (i+1)*p]
		m.Predict(label, row)
		m.PredictProba(proba, row)
		i = (i + 1) % len(c.X)
	}
	b.ReportMetric(float64(m.NumPoints()), "training_rows")
}
