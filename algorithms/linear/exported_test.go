package linear_test

import (
	"math"
	"slices"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/linear"
	"github.com/pgml-go/pgml/algorithms/modelfile"
	"github.com/pgml-go/pgml/algorithms/native"
)

// An exported model is a model file like any native one: native.Load decodes it, it predicts
// as before, and the header's name is not offered as an algorithm to train.
func TestExportedRoundTrip(t *testing.T) {
	// Three classes, two features: scores 1+x0, x1, -x0-x1.
	m, err := linear.NewExported("perceptron", algorithms.Classification, 2,
		[]float64{1, 0, 0, 1, -1, -1}, []float64{1, 0, 0}, []float64{2, 5, 7}, linear.SoftmaxProbabilities)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if h, _, err := modelfile.ReadHeader(b); err != nil || h.Algorithm != linear.ExportedName {
		t.Fatalf("header %+v, %v", h, err)
	}
	loaded, err := native.Load(b)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Algorithm() != "perceptron" || loaded.Task() != algorithms.Classification {
		t.Fatalf("loaded %s %v", loaded.Algorithm(), loaded.Task())
	}
	x := []float64{0, 0, 0, 3, -5, -5}
	got := make([]float64, 3)
	loaded.Predict(got, x)
	if !slices.Equal(got, []float64{2, 5, 7}) {
		t.Fatalf("predicted %v", got)
	}
	proba := make([]float64, 9)
	loaded.(algorithms.Classifier).PredictProba(proba, x)
	e := math.Exp
	if want := e(1) / (e(1) + e(0) + e(0)); math.Abs(proba[0]-want) > 1e-15 {
		t.Fatalf("softmax %v, want %v first", proba[:3], want)
	}
	if slices.Contains(native.Algorithms(algorithms.Classification), linear.ExportedName) || !native.Decodes(linear.ExportedName, algorithms.Classification) {
		t.Fatal("the exported form is offered for training, or not decoded")
	}
	// A corrupt size is an error, not a panic.
	b[len(b)-3*8-4] ^= 0xff // the count of classes
	if _, err := native.Load(b); err == nil {
		t.Fatal("a corrupt exported model loaded")
	}
}

func TestExportedBinaryAndRegression(t *testing.T) {
	// Binary: classes[1] when the one score is positive; one-vs-rest probabilities are the
	// logistic function of it.
	m, err := linear.NewExported("linear", algorithms.Classification, 1, []float64{2}, []float64{-1}, []float64{0, 1}, linear.OneVsRestProbabilities)
	if err != nil {
		t.Fatal(err)
	}
	got, proba := make([]float64, 2), make([]float64, 4)
	m.Predict(got, []float64{0, 1})
	m.PredictProba(proba, []float64{0, 1})
	sigmoid := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	if !slices.Equal(got, []float64{0, 1}) || math.Abs(proba[1]-sigmoid(-1)) > 1e-15 || math.Abs(proba[3]-sigmoid(1)) > 1e-15 {
		t.Fatalf("predicted %v, probabilities %v", got, proba)
	}
	// Joint regression: one score per output.
	r, err := linear.NewExported("ridge", algorithms.Regression, 2, []float64{1, 2, 3, 4}, []float64{10, 20}, nil, linear.NoProbabilities)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, 2)
	r.Predict(out, []float64{1, 1})
	if r.NumOutputs() != 2 || !slices.Equal(out, []float64{13, 27}) {
		t.Fatalf("joint prediction %v", out)
	}
	if err := r.PredictProbaChecked(make([]float64, 2), []float64{1, 1}); err == nil {
		t.Fatal("a regressor gave probabilities")
	}
	for _, bad := range []func() error{
		func() error {
			_, err := linear.NewExported("kernel_ridge", algorithms.Regression, 1, []float64{1}, []float64{0}, nil, 0)
			return err
		},
		func() error {
			_, err := linear.NewExported("linear", algorithms.Classification, 1, []float64{1, 2}, []float64{0, 0}, []float64{0, 1}, 0)
			return err
		},
		func() error {
			_, err := linear.NewExported("linear", algorithms.Regression, 1, []float64{math.NaN()}, []float64{0}, nil, 0)
			return err
		},
	} {
		if bad() == nil {
			t.Fatal("inconsistent parameters accepted")
		}
	}
}

// SGDClassifier's modified_huber probabilities, worked out by hand: (clip(score, -1, 1) + 1) / 2
// per score, normalized; uniform when every score is -1 or below.
func TestExportedModifiedHuberProbabilities(t *testing.T) {
	// Binary: the one score is x - 0.5.
	b, err := linear.NewExported("stochastic_gradient_descent", algorithms.Classification, 1, []float64{1}, []float64{-0.5},
		[]float64{0, 1}, linear.ModifiedHuberProbabilities)
	if err != nil {
		t.Fatal(err)
	}
	proba := make([]float64, 6)
	b.PredictProba(proba, []float64{0.75, 5, -5}) // scores 0.25, 4.5, -5.5
	if want := []float64{0.375, 0.625, 0, 1, 1, 0}; !slices.Equal(proba, want) {
		t.Fatalf("binary probabilities %v, want %v", proba, want)
	}
	// Three classes, scores x, -x, -2 (the third always clipped to -1, probability 0).
	m, err := linear.NewExported("stochastic_gradient_descent", algorithms.Classification, 1, []float64{1, -1, 0}, []float64{0, 0, -2},
		[]float64{0, 1, 2}, linear.ModifiedHuberProbabilities)
	if err != nil {
		t.Fatal(err)
	}
	proba = make([]float64, 6)
	// x = 0.5: (0.75, 0.25, 0) sums to 1; x = 0: scores 0, 0, -2 give (0.5, 0.5, 0).
	m.PredictProba(proba, []float64{0.5, 0})
	if want := []float64{0.75, 0.25, 0, 0.5, 0.5, 0}; !slices.Equal(proba, want) {
		t.Fatalf("multiclass probabilities %v, want %v", proba, want)
	}
	// Every score -1 or below: 1/3 each.
	z, err := linear.NewExported("stochastic_gradient_descent", algorithms.Classification, 1, []float64{0, 0, 0}, []float64{-1, -3, -2},
		[]float64{0, 1, 2}, linear.ModifiedHuberProbabilities)
	if err != nil {
		t.Fatal(err)
	}
	proba = make([]float64, 3)
	z.PredictProba(proba, []float64{1})
	if want := []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}; !slices.Equal(proba, want) {
		t.Fatalf("all-zero row's probabilities %v, want %v", proba, want)
	}
}
