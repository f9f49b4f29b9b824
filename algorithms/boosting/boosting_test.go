package boosting

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// syntheticRegression draws rows×cols standard normal features and
// y = Σ (j+1)·x_j + noise, a smooth target every boosting model can fit.
func syntheticRegression(rows, cols int, seed uint64) (x, y algorithms.Matrix) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x = algorithms.Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
	y = algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
	for i := 0; i < rows; i++ {
		var s float64
		for j := 0; j < cols; j++ {
			v := rng.NormFloat64()
			x.Data[i*cols+j] = v
			s += float64(j+1) * v
		}
		y.Data[i] = s + rng.NormFloat64()
	}
	return x, y
}

func mustFit(t testing.TB, algorithm string, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) algorithms.Model {
	t.Helper()
	m, err := Fit(context.Background(), algorithm, task, x, y, hp)
	if err != nil {
		t.Fatalf("%s: %v", algorithm, err)
	}
	return m
}

// A step function of one feature is exactly what a depth-1 tree encodes:
// boosting must recover both levels and put the threshold between the
// training values either side of the step.
func TestFitsStepFunction(t *testing.T) {
	x := algorithms.Matrix{Rows: 40, Cols: 1, Data: make([]float64, 40)}
	y := algorithms.Matrix{Rows: 40, Cols: 1, Data: make([]float64, 40)}
	for i := range 40 {
		x.Data[i] = float64(i)
		y.Data[i] = 1
		if i >= 25 {
			y.Data[i] = 5
		}
	}
	for _, algorithm := range Algorithms {
		hp := algorithms.Hyperparams{"learning_rate": 1.0}
		switch algorithm {
		case HistGradientBoosting:
			hp["min_samples_leaf"] = 1.0
		case LightGBM:
			hp["min_child_samples"] = 1.0
		}
		m := mustFit(t, algorithm, algorithms.Regression, x, y, hp)
		pred := make([]float64, 4)
		m.Predict(pred, []float64{-100, 24, 24.6, 1000})
		want := []float64{1, 1, 5, 5}
		for i := range want {
			if math.Abs(pred[i]-want[i]) > 1e-9 {
				t.Errorf("%s: step predictions = %v, want %v", algorithm, pred, want)
				break
			}
		}
	}
}

// trainingLoss is the mean loss of m's raw scores on the training data.
func trainingLoss(m algorithms.Model, prob problem, x algorithms.Matrix) float64 {
	var e *ensemble
	switch m := m.(type) {
	case *Regressor:
		e = &m.ensemble
	case *Classifier:
		e = &m.ensemble
	}
	raw := make([]float64, x.Rows*e.numOutputs)
	for i := 0; i < x.Rows; i++ {
		for k := 0; k < e.numOutputs; k++ {
			raw[i*e.numOutputs+k] = e.rawScore(k, x.Row(i))
		}
	}
	return prob.loss.logLoss(prob.targets, raw, x.Rows, e.numOutputs)
}

// More iterations must keep lowering the training loss, for the binary and
// the multinomial log loss alike.
func TestLogLossDecreases(t *testing.T) {
	for _, set := range []struct{ name, label string }{{"breast_cancer", "malignant"}, {"iris", "target"}} {
		x, y, err := datasets.Load(set.name, set.label)
		if err != nil {
			t.Fatal(err)
		}
		c := defaultConfig()
		prob, err := newProblem(algorithms.Classification, y, &c)
		if err != nil {
			t.Fatal(err)
		}
		for _, algorithm := range []string{HistGradientBoosting, GradientBoostingTrees} {
			key := "max_iter"
			if algorithm == GradientBoostingTrees {
				key = "n_estimators"
			}
			prev := math.Inf(1)
			for _, iters := range []float64{1, 5, 20, 60} {
				m := mustFit(t, algorithm, algorithms.Classification, x, y, algorithms.Hyperparams{key: iters})
				l := trainingLoss(m, prob, x)
				if !(l < prev) {
					t.Errorf("%s on %s: loss after %v iterations %.5f, not below %.5f", algorithm, set.name, iters, l, prev)
				}
				prev = l
			}
			if prev > 0.1 {
				t.Errorf("%s on %s: training loss %.4f after 60 iterations", algorithm, set.name, prev)
			}
		}
	}
}

// The model bytes must not depend on the number of histogram workers nor
// on the run, with row and feature sampling switched on.
func TestDeterministic(t *testing.T) {
	x, y := syntheticRegression(3000, 12, 1)
	hp := algorithms.Hyperparams{"random_state": 3.0, "subsample": 0.7, "subsample_freq": 2.0, "colsample_bytree": 0.6, "n_estimators": 15.0}
	c, err := lightgbmConfig(hp, algorithms.Regression)
	if err != nil {
		t.Fatal(err)
	}
	var first []byte
	for _, workers := range []int{1, 2, 5, 1} {
		c.workers = workers
		m, err := fit(context.Background(), LightGBM, algorithms.Regression, x, y, c)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := m.MarshalBinary()
		if first == nil {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Fatalf("model with %d workers differs", workers)
		}
	}
	// A different seed must give a different model, or sampling is inert.
	hp["random_state"] = 4.0
	m := mustFit(t, LightGBM, algorithms.Regression, x, y, hp)
	if b, _ := m.MarshalBinary(); bytes.Equal(b, first) {
		t.Error("random_state does not change the sampled model")
	}
}

// Joint regression fits each target as its own single-target model would.
func TestMultiTarget(t *testing.T) {
	x, y, err := datasets.Load("linnerud", "weight", "waste", "pulse")
	if err != nil {
		t.Fatal(err)
	}
	hp := algorithms.Hyperparams{"min_samples_leaf": 2.0, "max_iter": 30.0}
	joint := mustFit(t, HistGradientBoosting, algorithms.Regression, x, y, hp)
	if joint.NumOutputs() != 3 {
		t.Fatalf("NumOutputs = %d", joint.NumOutputs())
	}
	got := make([]float64, 3*x.Rows)
	joint.Predict(got, x.Data)
	for k := 0; k < 3; k++ {
		yk := algorithms.Matrix{Rows: y.Rows, Cols: 1}
		for i := 0; i < y.Rows; i++ {
			yk.Data = append(yk.Data, y.Data[i*3+k])
		}
		single := mustFit(t, HistGradientBoosting, algorithms.Regression, x, yk, hp)
		want := make([]float64, x.Rows)
		single.Predict(want, x.Data)
		for i := range want {
			if got[i*3+k] != want[i] {
				t.Fatalf("target %d row %d: joint %v, alone %v", k, i, got[i*3+k], want[i])
			}
		}
	}
}

// cancelAfter reports context.Canceled from its n-th Err call on, to stop
// training part-way through deterministically.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	c.n--
	if c.n < 0 {
		return context.Canceled
	}
	return nil
}

func TestCancellation(t *testing.T) {
	x, y := syntheticRegression(500, 5, 2)
	for _, algorithm := range Algorithms {
		for _, calls := range []int{0, 1, 10} {
			ctx := &cancelAfter{Context: context.Background(), n: calls}
			_, err := Fit(ctx, algorithm, algorithms.Regression, x, y, nil)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s cancelled after %d checks: error = %v", algorithm, calls, err)
			}
		}
	}
}

func TestBadHyperparameters(t *testing.T) {
	x, y := syntheticRegression(50, 2, 3)
	cases := []struct {
		algorithm string
		task      algorithms.Task
		hp        algorithms.Hyperparams
		want      string
	}{
		{HistGradientBoosting, algorithms.Regression, algorithms.Hyperparams{"n_estimators": 10.0}, "unknown hyperparameter"},
		{HistGradientBoosting, algorithms.Regression, algorithms.Hyperparams{"max_iter": 0.0}, "max_iter"},
		{HistGradientBoosting, algorithms.Regression, algorithms.Hyperparams{"max_bins": 256.0}, "max_bins"},
		{HistGradientBoosting, algorithms.Regression, algorithms.Hyperparams{"learning_rate": -1.0}, "learning_rate"},
		{HistGradientBoosting, algorithms.Regression, algorithms.Hyperparams{"loss": "log_loss"}, "loss"},
		{HistGradientBoosting, algorithms.Regression, algorithms.Hyperparams{"early_stopping": true}, "early_stopping"},
		{HistGradientBoosting, algorithms.Regression, algorithms.Hyperparams{"max_leaf_nodes": 1.0}, "max_leaf_nodes"},
		{LightGBM, algorithms.Regression, algorithms.Hyperparams{"num_iterations": 5.0, "n_estimators": 5.0}, "aliases"},
		{LightGBM, algorithms.Regression, algorithms.Hyperparams{"objective": "binary"}, "objective"},
		{LightGBM, algorithms.Classification, algorithms.Hyperparams{"objective": "regression"}, "objective"},
		{LightGBM, algorithms.Regression, algorithms.Hyperparams{"bagging_fraction": 1.5}, "bagging_fraction"},
		{LightGBM, algorithms.Regression, algorithms.Hyperparams{"lambda_l1": -1.0}, "lambda_l1"},
		{LightGBM, algorithms.Regression, algorithms.Hyperparams{"boosting_type": "dart"}, "boosting_type"},
		{LightGBM, algorithms.Regression, algorithms.Hyperparams{"max_iter": 5.0}, "unknown hyperparameter"},
		{GradientBoostingTrees, algorithms.Regression, algorithms.Hyperparams{"criterion": "mae"}, "criterion"},
		{GradientBoostingTrees, algorithms.Regression, algorithms.Hyperparams{"loss": "huber"}, "loss"},
		{GradientBoostingTrees, algorithms.Regression, algorithms.Hyperparams{"max_depth": 2.5}, "max_depth"},
		{GradientBoostingTrees, algorithms.Regression, algorithms.Hyperparams{"min_samples_split": 1.0}, "min_samples_split"},
		{GradientBoostingTrees, algorithms.Regression, algorithms.Hyperparams{"max_features": "all"}, "max_features"},
		{GradientBoostingTrees, algorithms.Regression, algorithms.Hyperparams{"ccp_alpha": 0.1}, "ccp_alpha"},
		{GradientBoostingTrees, algorithms.Regression, algorithms.Hyperparams{"n_estimators": "100"}, "n_estimators"},
	}
	for _, c := range cases {
		_, err := Fit(context.Background(), c.algorithm, c.task, x, y, c.hp)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: error = %v, want one mentioning %q", c.algorithm, c.hp, err, c.want)
		}
	}
	// Multiclass labels cannot train a "binary" objective.
	y3 := algorithms.Matrix{Rows: 50, Cols: 1, Data: make([]float64, 50)}
	for i := range y3.Data {
		y3.Data[i] = float64(i % 3)
	}
	if _, err := Fit(context.Background(), LightGBM, algorithms.Classification, x, y3, algorithms.Hyperparams{"objective": "binary"}); err == nil {
		t.Error("objective binary accepted three classes")
	}
}

// The settings PostgresML users pass under both spellings must all be
// accepted, including the criterion values PostgresML's tests grid over.
func TestAcceptedHyperparameters(t *testing.T) {
	x, y := syntheticRegression(200, 3, 4)
	cases := []struct {
		algorithm string
		hp        algorithms.Hyperparams
	}{
		{GradientBoostingTrees, algorithms.Hyperparams{"criterion": "friedman_mse", "n_estimators": 5.0}},
		{GradientBoostingTrees, algorithms.Hyperparams{"criterion": "squared_error", "n_estimators": 5.0, "max_depth": nil, "max_leaf_nodes": 8.0}},
		{GradientBoostingTrees, algorithms.Hyperparams{"subsample": 0.5, "max_features": "sqrt", "min_samples_leaf": 0.05, "random_state": 1.0, "n_estimators": 5.0}},
		{HistGradientBoosting, algorithms.Hyperparams{"max_leaf_nodes": nil, "max_depth": 4.0, "l2_regularization": 1.0, "early_stopping": false, "max_iter": 5.0}},
		{LightGBM, algorithms.Hyperparams{"num_iterations": 5.0, "bagging_fraction": 0.5, "bagging_freq": 1.0, "feature_fraction": 0.7, "lambda_l1": 0.1, "lambda_l2": 1.0, "min_data_in_leaf": 5.0, "objective": "regression", "verbose": -1.0}},
		{LightGBM, algorithms.Hyperparams{"n_estimators": 5.0, "max_depth": -1.0, "n_jobs": 1.0, "min_child_weight": 0.01, "reg_alpha": 0.5}},
	}
	for _, c := range cases {
		if _, err := Fit(context.Background(), c.algorithm, algorithms.Regression, x, y, c.hp); err != nil {
			t.Errorf("%s %v: %v", c.algorithm, c.hp, err)
		}
	}
}
