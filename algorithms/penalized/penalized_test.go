package penalized

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/metrics"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// line is y = 2x + 1 at x = 0, 1, 2, 3.
var (
	lineX = algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{0, 1, 2, 3}}
	lineY = algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{1, 3, 5, 7}}
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// On one centred feature the penalised solutions have closed forms: with
// Sxx = Σ(x−x̄)² = 5 and Sxy = 10 over n = 4 rows,
// ridge w = Sxy/(Sxx+alpha) and the elastic net
// w = soft(Sxy/n, alpha·l1_ratio) / (Sxx/n + alpha·(1−l1_ratio)).
func TestClosedFormKnownAnswers(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		fit  func() (*Regressor, error)
		w    float64
	}{
		{"ridge", func() (*Regressor, error) { return FitRidge(ctx, lineX, lineY, nil) }, 10.0 / 6},
		{"ridge alpha 0", func() (*Regressor, error) {
			return FitRidge(ctx, lineX, lineY, algorithms.Hyperparams{"alpha": 0.0})
		}, 2},
		{"lasso", func() (*Regressor, error) { return FitLasso(ctx, lineX, lineY, nil) }, 1.5 / 1.25},
		{"elastic net", func() (*Regressor, error) { return FitElasticNet(ctx, lineX, lineY, nil) }, 2.0 / 1.75},
		{"lasso alpha 3", func() (*Regressor, error) {
			return FitLasso(ctx, lineX, lineY, algorithms.Hyperparams{"alpha": 3.0})
		}, 0},
	}
	for _, c := range cases {
		m, err := c.fit()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if w, b := m.Coef(0)[0], m.Intercept(0); !near(w, c.w) || !near(b, 4-1.5*c.w) {
			t.Errorf("%s: w = %v, b = %v; want %v, %v", c.name, w, b, c.w, 4-1.5*c.w)
		}
	}
	m, err := FitRidge(ctx, lineX, lineY, algorithms.Hyperparams{"fit_intercept": false})
	if err != nil {
		t.Fatal(err)
	}
	// Without intercept: w = Σxy/(Σx²+1) = 34/15.
	if w := m.Coef(0)[0]; !near(w, 34.0/15) || m.Intercept(0) != 0 {
		t.Errorf("ridge without intercept: w = %v, b = %v", w, m.Intercept(0))
	}
}

// twoBlobs is a separable problem with labels 3 (x < 0) and 7 (x > 0).
func twoBlobs() (x, y algorithms.Matrix) {
	x = algorithms.Matrix{Rows: 8, Cols: 2, Data: []float64{
		-2, 1, -3, 0, -2.5, -1, -1.5, 0.5,
		2, -1, 3, 0, 2.5, 1, 1.5, -0.5,
	}}
	y = algorithms.Matrix{Rows: 8, Cols: 1, Data: []float64{3, 3, 3, 3, 7, 7, 7, 7}}
	return x, y
}

func TestClassifiersSeparateBlobs(t *testing.T) {
	x, y := twoBlobs()
	ctx := context.Background()
	fits := map[string]func() (*Classifier, error){
		"ridge":     func() (*Classifier, error) { return FitRidgeClassifier(ctx, x, y, nil) },
		"sgd":       func() (*Classifier, error) { return FitSGDClassifier(ctx, x, y, nil) },
		"linearsvc": func() (*Classifier, error) { return FitLinearSVC(ctx, x, y, nil) },
		"svc hinge": func() (*Classifier, error) { return FitLinearSVC(ctx, x, y, algorithms.Hyperparams{"loss": "hinge"}) },
		"sgd log": func() (*Classifier, error) {
			return FitSGDClassifier(ctx, x, y, algorithms.Hyperparams{"loss": "log_loss", "penalty": "elasticnet"})
		},
	}
	for name, fit := range fits {
		m, err := fit()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pred := make([]float64, 4)
		m.Predict(pred, []float64{-4, 0, 4, 0, -2, 0.5, 2, -0.5})
		if !slices.Equal(pred, []float64{3, 7, 3, 7}) || !slices.Equal(m.Classes(), []float64{3, 7}) {
			t.Errorf("%s: predicted %v, classes %v", name, pred, m.Classes())
		}
		if m.Coef(0)[0] <= 0 {
			t.Errorf("%s: the weight vector should score the larger class, got %v", name, m.Coef(0))
		}
	}
}

func TestIterativeRegressorsFitALine(t *testing.T) {
	ctx := context.Background()
	fits := map[string]func() (*Regressor, error){
		"sgd": func() (*Regressor, error) { return FitSGDRegressor(ctx, lineX, lineY, nil) },
		"sgd huber": func() (*Regressor, error) {
			return FitSGDRegressor(ctx, lineX, lineY, algorithms.Hyperparams{"loss": "huber", "learning_rate": "adaptive"})
		},
		"svr": func() (*Regressor, error) { return FitLinearSVR(ctx, lineX, lineY, algorithms.Hyperparams{"C": 100.0}) },
		"svr squared": func() (*Regressor, error) {
			return FitLinearSVR(ctx, lineX, lineY, algorithms.Hyperparams{"C": 100.0, "loss": "squared_epsilon_insensitive"})
		},
	}
	for name, fit := range fits {
		m, err := fit()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		pred := make([]float64, 4)
		m.Predict(pred, lineX.Data)
		if r2 := metrics.Regression(lineY.Data, pred)["r2"]; r2 < 0.95 {
			t.Errorf("%s: r2 = %v on a noiseless line (predictions %v)", name, r2, pred)
		}
	}
}

func TestSGDIsDeterministic(t *testing.T) {
	x, y := loadDataset(t, "iris")
	fit := func(seed float64) []float64 {
		m, err := FitSGDClassifier(context.Background(), x, y, algorithms.Hyperparams{"random_state": seed})
		if err != nil {
			t.Fatal(err)
		}
		return slices.Clone(m.coef)
	}
	a, b, c := fit(1), fit(1), fit(2)
	if !slices.Equal(a, b) {
		t.Error("the same random_state gave different models")
	}
	if slices.Equal(a, c) {
		t.Error("different random_states gave the same model; is the data shuffled?")
	}
}

// countdownContext reports cancellation after its Err has been polled a
// given number of times, so tests can cancel in the middle of a solver.
type countdownContext struct {
	context.Context
	polls int
}

func (c *countdownContext) Err() error {
	if c.polls--; c.polls < 0 {
		return context.Canceled
	}
	return nil
}

func TestCancellation(t *testing.T) {
	x, y := loadDataset(t, "digits")
	for name, fit := range fitters {
		// Ridge polls before and after its factorisation; the iterative
		// solvers poll every sweep or epoch, so they stop mid-run too.
		// (digits' label column doubles as a regression target.)
		polling := []int{0, 1}
		if !strings.HasPrefix(name, RidgeName+"/") {
			polling = append(polling, 3)
		}
		for _, polls := range polling {
			ctx := &countdownContext{Context: context.Background(), polls: polls}
			_, err := fit(ctx, x, y, algorithms.Hyperparams{})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s cancelled after %d polls: error = %v", name, polls, err)
			}
		}
	}
}

func TestBadHyperparameters(t *testing.T) {
	x, y := twoBlobs()
	cases := []struct {
		fitter string
		hp     algorithms.Hyperparams
		want   string
	}{
		{"ridge/regression", algorithms.Hyperparams{"solver": "svd"}, "allowed are alpha, fit_intercept"},
		{"ridge/regression", algorithms.Hyperparams{"alpha": -1.0}, "non-negative"},
		{"ridge/classification", algorithms.Hyperparams{"alpha": "big"}, `"alpha"`},
		{"lasso/regression", algorithms.Hyperparams{"l1_ratio": 0.5}, "unknown hyperparameter \"l1_ratio\""},
		{"lasso/regression", algorithms.Hyperparams{"selection": "greedy"}, `"selection"`},
		{"lasso/regression", algorithms.Hyperparams{"max_iter": 2.5}, "integer between 1 and 10000000"},
		{"elastic_net/regression", algorithms.Hyperparams{"max_iter": 1e9}, "integer between 1 and 10000000, got 1000000000"},
		{"elastic_net/regression", algorithms.Hyperparams{"l1_ratio": 1.5}, "between 0 and 1"},
		{"elastic_net/regression", algorithms.Hyperparams{"random_state": -3.0}, "random_state"},
		{"stochastic_gradient_descent/regression", algorithms.Hyperparams{"loss": "hinge"}, `"loss"`},
		{"stochastic_gradient_descent/regression", algorithms.Hyperparams{"learning_rate": "constant", "eta0": 0.0}, "eta0"},
		{"stochastic_gradient_descent/classification", algorithms.Hyperparams{"penalty": "l3"}, `"penalty"`},
		{"stochastic_gradient_descent/classification", algorithms.Hyperparams{"early_stopping": true}, "unknown hyperparameter"},
		{"stochastic_gradient_descent/classification", algorithms.Hyperparams{"shuffle": "yes"}, "true or false"},
		{"linear_svm/classification", algorithms.Hyperparams{"C": 0.0}, "positive number"},
		{"linear_svm/classification", algorithms.Hyperparams{"loss": "epsilon_insensitive"}, `"loss"`},
		{"linear_svm/regression", algorithms.Hyperparams{"epsilon": -0.1}, "non-negative"},
		{"linear_svm/regression", algorithms.Hyperparams{"dual": false}, "unknown hyperparameter \"dual\""},
	}
	for _, c := range cases {
		_, err := fitters[c.fitter](context.Background(), x, y, c.hp)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: error = %v, want one containing %q", c.fitter, c.hp, err, c.want)
		}
	}
}

func TestBadData(t *testing.T) {
	x, y := twoBlobs()
	oneClass := algorithms.Matrix{Rows: 8, Cols: 1, Data: make([]float64, 8)}
	short := algorithms.Matrix{Rows: 2, Cols: 1, Data: []float64{1, 2}}
	nan := algorithms.Matrix{Rows: 8, Cols: 2, Data: slices.Clone(x.Data)}
	nan.Data[3] = math.NaN()
	for name, fit := range fitters {
		if _, err := fit(context.Background(), x, short, nil); err == nil {
			t.Errorf("%s accepted 8 rows of x with 2 of y", name)
		}
		if _, err := fit(context.Background(), nan, y, nil); err == nil {
			t.Errorf("%s accepted NaN", name)
		}
		if strings.HasSuffix(name, "classification") {
			if _, err := fit(context.Background(), x, oneClass, nil); err == nil || !strings.Contains(err.Error(), "at least 2 distinct labels, got 1") {
				t.Errorf("%s with one class: error = %v", name, err)
			}
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	x, y := loadDataset(t, "iris")
	for name, fit := range fitters {
		m, err := fit(context.Background(), x, y, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		h, payload, err := modelfile.ReadHeader(b)
		if err != nil || h.Algorithm != m.Algorithm() || h.Task != m.Task() {
			t.Fatalf("%s: header %+v, %v", name, h, err)
		}
		unmarshal := func(p []byte) (algorithms.Model, error) {
			if h.Task == algorithms.Regression {
				return UnmarshalRegressor(h.Algorithm, p)
			}
			return UnmarshalClassifier(h.Algorithm, p)
		}
		loaded, err := unmarshal(payload)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := make([]float64, x.Rows*m.NumOutputs())
		got := make([]float64, len(want))
		m.Predict(want, x.Data)
		loaded.Predict(got, x.Data)
		if !slices.Equal(got, want) {
			t.Errorf("%s: predictions differ after a round trip", name)
		}
		for cut := range len(payload) {
			if _, err := unmarshal(payload[:cut]); err == nil {
				t.Fatalf("%s: accepted %d of %d payload bytes", name, cut, len(payload))
			}
		}
		if _, err := UnmarshalRegressor("linear", payload); err == nil {
			t.Errorf("%s: accepted a foreign algorithm name", name)
		}
	}
}

// FuzzUnmarshal checks that no payload makes either decoder panic or
// return a model that cannot predict. Run with:
// go test -fuzz=FuzzUnmarshal ./algorithms/penalized
func FuzzUnmarshal(f *testing.F) {
	x, y := twoBlobs()
	r, _ := FitRidge(context.Background(), x, y, nil)
	c, _ := FitRidgeClassifier(context.Background(), x, y, nil)
	for _, m := range []algorithms.Model{r, c} {
		b, _ := m.MarshalBinary()
		_, payload, _ := modelfile.ReadHeader(b)
		f.Add(uint8(m.Task()), payload)
	}
	f.Fuzz(func(t *testing.T, task uint8, payload []byte) {
		var m algorithms.Model
		var err error
		if task%2 == 0 {
			m, err = UnmarshalRegressor(LassoName, payload)
		} else {
			m, err = UnmarshalClassifier(LinearSVMName, payload)
		}
		if err != nil {
			return
		}
		if err := algorithms.Predict(m, make([]float64, m.NumOutputs()), make([]float64, m.NumFeatures())); err != nil {
			t.Fatal(err)
		}
	})
}
