package catboost

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
	"github.com/pgml-go/pgml/algorithms/metrics"
)

func load(t testing.TB, name string, labels ...string) (x, y algorithms.Matrix) {
	t.Helper()
	x, y, err := datasets.Load(name, labels...)
	if err != nil {
		t.Fatal(err)
	}
	return x, y
}

func mustFit(t testing.TB, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) algorithms.Model {
	t.Helper()
	m, err := Fit(context.Background(), task, x, y, hp)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func marshal(t testing.TB, m algorithms.Model) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestObliviousTreeEvaluation: a hand-built depth-2 tree sends each row to the leaf whose
// index has bit l set when the row passes level l's split.
func TestObliviousTreeEvaluation(t *testing.T) {
	m := &Regressor{ensemble{loss: lossRMSE, numFeatures: 2, dims: 1, depth: 2, baseline: []float64{100},
		splitFeature: []int32{0, 1}, splitBorder: []float64{0.5, 10},
		leafValues: []float64{1, 2, 3, 4}}}
	for _, c := range []struct {
		row  []float64
		want float64
	}{
		{[]float64{0, 0}, 101},     // neither split: leaf 0
		{[]float64{0.6, 0}, 102},   // level 0 only: leaf 1
		{[]float64{0.5, 11}, 103},  // the border itself goes left; level 1: leaf 2
		{[]float64{7, 10.01}, 104}, // both: leaf 3
	} {
		dst := []float64{0}
		m.Predict(dst, c.row)
		if dst[0] != c.want {
			t.Errorf("row %v: got %v, want %v", c.row, dst[0], c.want)
		}
	}
}

// TestUnrolledDepthSixMatchesLoop: the unrolled evaluation of depth-6 trees gives what the
// general loop gives.
func TestUnrolledDepthSixMatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const trees, p = 50, 5
	for _, dims := range []int{1, 3} {
		e := ensemble{loss: lossRMSE, numFeatures: p, dims: dims, depth: 6, baseline: make([]float64, dims)}
		for s := 0; s < trees*6; s++ {
			e.splitFeature = append(e.splitFeature, int32(rng.IntN(p)))
			e.splitBorder = append(e.splitBorder, rng.NormFloat64())
		}
		for j := 0; j < trees*64*dims; j++ {
			e.leafValues = append(e.leafValues, rng.NormFloat64())
		}
		for r := 0; r < 200; r++ {
			row := make([]float64, p)
			for f := range row {
				row[f] = rng.NormFloat64()
			}
			got := make([]float64, dims)
			e.raw(got, row)
			want := make([]float64, dims)
			for tr := 0; tr < trees; tr++ {
				index := 0
				for l := 0; l < 6; l++ {
					if row[e.splitFeature[tr*6+l]] > e.splitBorder[tr*6+l] {
						index += 1 << l
					}
				}
				for k := range want {
					want[k] += e.leafValues[(tr*64+index)*dims+k]
				}
			}
			for k := range want {
				if math.Abs(got[k]-want[k]) > 1e-12 {
					t.Fatalf("%d outputs, row %d: unrolled %v, loop %v", dims, r, got, want)
				}
			}
		}
	}
}

func TestRegressionQuality(t *testing.T) {
	x, y := load(t, "diabetes", "target")
	xTrain, yTrain, xTest, yTest := trainTestSplit(x, y)
	m := mustFit(t, algorithms.Regression, xTrain, yTrain, algorithms.Hyperparams{"iterations": 300.0, "random_seed": 1.0})
	pred := make([]float64, xTest.Rows)
	m.Predict(pred, xTest.Data)
	// Linear regression scores about 0.45 on this split's kind of data; a constant 0.
	if r2 := metrics.Regression(yTest.Data, pred)["r2"]; r2 < 0.3 {
		t.Errorf("test r2 %.3f, want ≥ 0.3", r2)
	}
}

func TestClassificationQualityAndProbabilities(t *testing.T) {
	for _, set := range []struct {
		name, label string
		classes     int
	}{{"breast_cancer", "malignant", 2}, {"iris", "target", 3}} {
		x, y := load(t, set.name, set.label)
		xTrain, yTrain, xTest, yTest := trainTestSplit(x, y)
		m := mustFit(t, algorithms.Classification, xTrain, yTrain, algorithms.Hyperparams{"iterations": 200.0}).(*Classifier)
		if len(m.Classes()) != set.classes {
			t.Fatalf("%s: %d classes", set.name, len(m.Classes()))
		}
		pred := make([]float64, xTest.Rows)
		m.Predict(pred, xTest.Data)
		if acc := metrics.Classification(yTest.Data, pred)["accuracy"]; acc < 0.9 {
			t.Errorf("%s: accuracy %.3f, want ≥ 0.9", set.name, acc)
		}
		proba := make([]float64, xTest.Rows*set.classes)
		m.PredictProba(proba, xTest.Data)
		for i := 0; i < xTest.Rows; i++ {
			row := proba[i*set.classes : (i+1)*set.classes]
			sum, best := 0.0, 0
			for k, p := range row {
				sum += p
				if p > row[best] {
					best = k
				}
			}
			if math.Abs(sum-1) > 1e-9 || m.Classes()[best] != pred[i] {
				t.Fatalf("%s row %d: probabilities %v (sum %v) disagree with the prediction %v", set.name, i, row, sum, pred[i])
			}
		}
	}
}

func TestMultiRMSE(t *testing.T) {
	x, y := load(t, "linnerud", "weight", "waste", "pulse")
	m := mustFit(t, algorithms.Regression, x, y, algorithms.Hyperparams{"iterations": 50.0})
	if m.NumOutputs() != 3 {
		t.Fatalf("%d outputs, want 3", m.NumOutputs())
	}
	pred := make([]float64, 3*x.Rows)
	m.Predict(pred, x.Data)
	// On its own training rows the fit must beat the column means.
	for k := 0; k < 3; k++ {
		var mean, sse, sst float64
		for i := 0; i < x.Rows; i++ {
			mean += y.Data[i*3+k] / float64(x.Rows)
		}
		for i := 0; i < x.Rows; i++ {
			sse += math.Pow(pred[i*3+k]-y.Data[i*3+k], 2)
			sst += math.Pow(mean-y.Data[i*3+k], 2)
		}
		if sse >= sst {
			t.Errorf("output %d: training error %v not below the mean's %v", k, sse, sst)
		}
	}
	if _, err := Fit(context.Background(), algorithms.Regression, x, y, algorithms.Hyperparams{"loss_function": "RMSE"}); err == nil ||
		!strings.Contains(err.Error(), "MultiRMSE") {
		t.Errorf("RMSE with 3 label columns: %v", err)
	}
}

func TestRandomSeedDeterminism(t *testing.T) {
	x, y := load(t, "iris", "target")
	hp := func(seed float64) algorithms.Hyperparams {
		return algorithms.Hyperparams{"iterations": 30.0, "random_seed": seed}
	}
	a := marshal(t, mustFit(t, algorithms.Classification, x, y, hp(7)))
	b := marshal(t, mustFit(t, algorithms.Classification, x, y, hp(7)))
	c := marshal(t, mustFit(t, algorithms.Classification, x, y, hp(8)))
	if !bytes.Equal(a, b) {
		t.Error("two fits with random_seed 7 differ")
	}
	if bytes.Equal(a, c) {
		t.Error("random_seed 7 and 8 give the same model: the seed is not used")
	}
	// Without randomness (no noise, no bootstrap) the seed does not matter.
	still := func(seed float64) []byte {
		h := hp(seed)
		h["random_strength"], h["bagging_temperature"] = 0.0, 0.0
		return marshal(t, mustFit(t, algorithms.Classification, x, y, h))
	}
	if !bytes.Equal(still(1), still(2)) {
		t.Error("without random_strength and bagging_temperature, the seed changed the model")
	}
}

// TestDeterministicAcrossWorkers: the split search's parallelism does not change the model.
func TestDeterministicAcrossWorkers(t *testing.T) {
	x, y := load(t, "breast_cancer", "malignant")
	one := marshal(t, mustFit(t, algorithms.Classification, x, y, algorithms.Hyperparams{"iterations": 20.0, "thread_count": 1.0}))
	two := marshal(t, mustFit(t, algorithms.Classification, x, y, algorithms.Hyperparams{"iterations": 20.0, "thread_count": 2.0}))
	if !bytes.Equal(one, two) {
		t.Error("1 and 2 threads give different models")
	}
}

func TestHyperparameterAliases(t *testing.T) {
	x, y := load(t, "diabetes", "target")
	canonical := algorithms.Hyperparams{"iterations": 20.0, "depth": 4.0, "learning_rate": 0.1, "l2_leaf_reg": 1.0,
		"random_seed": 3.0, "border_count": 32.0}
	aliased := algorithms.Hyperparams{"n_estimators": 20.0, "max_depth": 4.0, "eta": 0.1, "reg_lambda": 1.0,
		"random_state": 3.0, "max_bin": 32.0, "verbose": false, "logging_level": "Silent"}
	want := marshal(t, mustFit(t, algorithms.Regression, x, y, canonical))
	if got := marshal(t, mustFit(t, algorithms.Regression, x, y, aliased)); !bytes.Equal(got, want) {
		t.Error("the aliases give another model than the canonical names")
	}
	for _, name := range []string{"num_boost_round", "num_trees"} {
		if got := marshal(t, mustFit(t, algorithms.Regression, x, y, algorithms.Hyperparams{name: 20.0, "depth": 4.0,
			"learning_rate": 0.1, "l2_leaf_reg": 1.0, "random_seed": 3.0, "border_count": 32.0})); !bytes.Equal(got, want) {
			t.Errorf("%s is not an alias of iterations", name)
		}
	}
}

func TestHyperparameterErrors(t *testing.T) {
	x, y := load(t, "iris", "target")
	for _, c := range []struct {
		hp   algorithms.Hyperparams
		want string
	}{
		{algorithms.Hyperparams{"n_trees": 5.0}, `unknown hyperparameter "n_trees": allowed are`},
		{algorithms.Hyperparams{"iterations": 5.0, "n_estimators": 5.0}, `"iterations" and "n_estimators" are aliases`},
		{algorithms.Hyperparams{"depth": 17.0}, `"depth" must be an integer between 1 and 16, got 17`},
		{algorithms.Hyperparams{"iterations": 0.5}, `"iterations" must be an integer between 1 and`},
		{algorithms.Hyperparams{"learning_rate": 0.0}, `"learning_rate" must be a number in (0,`},
		{algorithms.Hyperparams{"l2_leaf_reg": -1.0}, `"l2_leaf_reg" must be a number in [0,`},
		{algorithms.Hyperparams{"border_count": 256.0}, `"border_count" must be an integer between 1 and 255`},
		{algorithms.Hyperparams{"loss_function": "RMSE"}, `"loss_function" must be one of "Logloss", "MultiClass" for this task, got "RMSE"`},
		{algorithms.Hyperparams{"loss_function": "Logloss"}, `"Logloss" needs 2 classes, the labels have 3`},
		{algorithms.Hyperparams{"cat_features": []any{4.0}}, "cat_features lists column 4 but there are 4 features"},
		{algorithms.Hyperparams{"cat_features": []any{0.0}}, "cat_features is implemented for RMSE and Logloss, not MultiClass"},
		{algorithms.Hyperparams{"cat_features": "a"}, `"cat_features" must be an array of column indexes, got "a"`},
		{algorithms.Hyperparams{"verbose": []any{1.0}}, `"verbose" must be a number, a boolean or a string`},
	} {
		_, err := Fit(context.Background(), algorithms.Classification, x, y, c.hp)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want an error containing %q", c.hp, err, c.want)
		}
		if _, err := EstimateFit(algorithms.Classification, 150, 4, 3, c.hp); err == nil && !strings.Contains(c.want, "features") &&
			!strings.Contains(c.want, "classes") && !strings.Contains(c.want, "MultiClass") {
			t.Errorf("%v: EstimateFit accepted what Fit refuses", c.hp)
		}
	}
	if _, err := Fit(context.Background(), algorithms.Clustering, x, y, nil); err == nil {
		t.Error("clustering accepted")
	}
}

// TestAutoLearningRate checks CatBoost's formula on hand-computed values and its inputs:
// without learning_rate (and l2_leaf_reg) the rate depends on the rows and iterations.
func TestAutoLearningRate(t *testing.T) {
	// exp(0.158·ln 331 − 4.287) for 1000 iterations, rounded to 6 decimals.
	if got, want := autoLearningRate("RMSE", true, 331, 1000), math.Round(math.Exp(0.158*math.Log(331)-4.287)*1e6)/1e6; got != want {
		t.Errorf("RMSE 331 rows: %v, want %v", got, want)
	}
	if a, b := autoLearningRate("Logloss", false, 400, 1000), autoLearningRate("Logloss", false, 400, 100); !(b > a) {
		t.Errorf("fewer iterations must raise the rate: %v for 1000, %v for 100", a, b)
	}
	if got := autoLearningRate("Logloss", false, 1e7, 10); got != 0.5 {
		t.Errorf("the rate is capped at 0.5, got %v", got)
	}
	if got := autoLearningRate("MultiRMSE", true, 100, 1000); got != 0.03 {
		t.Errorf("MultiRMSE keeps 0.03, got %v", got)
	}
	c, err := parseConfig(algorithms.Hyperparams{}, algorithms.Regression)
	if err != nil || !c.autoRate {
		t.Fatalf("defaults: %+v, %v", c, err)
	}
	if c, _ := parseConfig(algorithms.Hyperparams{"l2_leaf_reg": 3.0}, algorithms.Regression); c.autoRate {
		t.Error("an explicit l2_leaf_reg must keep the static learning rate, as in CatBoost")
	}
}

func TestCancel(t *testing.T) {
	x, y := load(t, "diabetes", "target")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Fit(ctx, algorithms.Regression, x, y, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestConstantFeaturesGiveTheMean(t *testing.T) {
	x := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{1, 1, 1, 1}}
	y := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{1, 2, 3, 6}}
	m := mustFit(t, algorithms.Regression, x, y, algorithms.Hyperparams{"iterations": 5.0})
	dst := []float64{0}
	m.Predict(dst, []float64{1})
	if math.Abs(dst[0]-3) > 1e-12 {
		t.Errorf("got %v, want the mean 3", dst[0])
	}
}
