package forest

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
	"github.com/pgml-go/pgml/algorithms/metrics"
)

// singleTree grows one tree on every row with every feature: no randomness
// left but the feature order, which only breaks ties.
var singleTree = algorithms.Hyperparams{"n_estimators": 1.0, "bootstrap": false, "max_features": nil, "random_state": 0.0}

func load(t testing.TB, name string, labels ...string) (x, y algorithms.Matrix) {
	t.Helper()
	x, y, err := datasets.Load(name, labels...)
	if err != nil {
		t.Fatal(err)
	}
	return x, y
}

func TestDeepTreeFitsTrainingDataExactly(t *testing.T) {
	x, y := load(t, "diabetes", "target")
	r, err := FitRegressor(context.Background(), RandomForest, x, y, singleTree)
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]float64, x.Rows)
	r.Predict(pred, x.Data)
	if !slices.Equal(pred, y.Data) {
		t.Error("an unlimited regression tree does not reproduce its distinct training rows")
	}

	x, y = load(t, "digits", "target")
	for _, kind := range []Kind{RandomForest, ExtraTrees} {
		c, err := FitClassifier(context.Background(), kind, x, y, singleTree)
		if err != nil {
			t.Fatal(err)
		}
		pred = make([]float64, x.Rows)
		c.Predict(pred, x.Data)
		// digits repeats no image with two labels, so pure leaves exist.
		if acc := metrics.Classification(y.Data, pred)["accuracy"]; acc != 1 {
			t.Errorf("%s: one unlimited tree has training accuracy %v, want 1", kind, acc)
		}
	}
}

func TestStumpOnStepFunction(t *testing.T) {
	// y jumps from 2 to 7 between x = 3 and x = 4, so the only useful split
	// is the midpoint 3.5, with leaf means 2 and 7.
	x := algorithms.Matrix{Rows: 8, Cols: 1, Data: []float64{0, 1, 2, 3, 4, 5, 6, 7}}
	y := algorithms.Matrix{Rows: 8, Cols: 1, Data: []float64{2, 2, 2, 2, 7, 7, 7, 7}}
	hp := algorithms.Hyperparams{"n_estimators": 1.0, "bootstrap": false, "max_depth": 1.0, "random_state": 0.0}
	m, err := FitRegressor(context.Background(), RandomForest, x, y, hp)
	if err != nil {
		t.Fatal(err)
	}
	want := []node{{threshold: 3.5, feature: 0, next: 2}, {feature: leafFeature, next: 0}, {feature: leafFeature, next: 1}}
	if !slices.Equal(m.trees[0].nodes, want) || !slices.Equal(m.trees[0].leafValues, []float64{2, 7}) {
		t.Errorf("stump = %+v with values %v, want %+v with [2 7]", m.trees[0].nodes, m.trees[0].leafValues, want)
	}
	if d := m.Depth(0); d != 1 {
		t.Errorf("Depth = %d, want 1", d)
	}
	pred := make([]float64, 3)
	m.Predict(pred, []float64{3.5, 3.5000001, -100})
	if !slices.Equal(pred, []float64{2, 7, 2}) {
		t.Errorf("predictions = %v, want [2 7 2] (x <= threshold goes left)", pred)
	}
}

func TestExtraTreesThresholdsAreDrawnInsideTheRange(t *testing.T) {
	x, y := load(t, "iris", "target")
	m, err := FitClassifier(context.Background(), ExtraTrees, x, y, algorithms.Hyperparams{"n_estimators": 5.0, "random_state": 1.0})
	if err != nil {
		t.Fatal(err)
	}
	var thresholds []float64
	for _, n := range slices.Concat(m.trees[0].nodes, m.trees[1].nodes, m.trees[2].nodes, m.trees[3].nodes, m.trees[4].nodes) {
		if n.feature != leafFeature {
			lo, hi := columnRange(x, int(n.feature))
			if n.threshold < lo || n.threshold >= hi {
				t.Fatalf("threshold %v of feature %d outside [%v, %v)", n.threshold, n.feature, lo, hi)
			}
			thresholds = append(thresholds, n.threshold)
		}
	}
	// Random thresholds are almost never midpoints of two data values,
	// which is all the best splitter produces.
	midpoints := 0
	for _, th := range thresholds {
		if isMidpoint(x, th) {
			midpoints++
		}
	}
	if midpoints > len(thresholds)/10 {
		t.Errorf("%d of %d extra-trees thresholds are midpoints of data values", midpoints, len(thresholds))
	}
}

func columnRange(x algorithms.Matrix, f int) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := range x.Rows {
		lo, hi = math.Min(lo, x.Data[i*x.Cols+f]), math.Max(hi, x.Data[i*x.Cols+f])
	}
	return lo, hi
}

func isMidpoint(x algorithms.Matrix, th float64) bool {
	for _, a := range x.Data {
		for _, b := range x.Data {
			if a < b && midpoint(a, b) == th {
				return true
			}
		}
	}
	return false
}

func TestProbabilitiesAreAveragedLeafFrequencies(t *testing.T) {
	x, y := load(t, "breast_cancer", "malignant")
	m, err := FitClassifier(context.Background(), RandomForest, x, y, algorithms.Hyperparams{"n_estimators": 7.0, "max_depth": 3.0, "random_state": 3.0})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Classes(), []float64{0, 1}) {
		t.Fatalf("classes = %v", m.Classes())
	}
	proba := make([]float64, 2*x.Rows)
	pred := make([]float64, x.Rows)
	m.PredictProba(proba, x.Data)
	m.Predict(pred, x.Data)
	for i := range x.Rows {
		p := proba[2*i : 2*i+2]
		if math.Abs(p[0]+p[1]-1) > 1e-12 {
			t.Fatalf("row %d: probabilities %v do not sum to 1", i, p)
		}
		// Seven trees: every probability is a mean of seven leaf fractions.
		want := 0.0
		if p[1] > p[0] {
			want = 1
		}
		if pred[i] != want {
			t.Fatalf("row %d: predicted %v with probabilities %v", i, pred[i], p)
		}
	}
}

func TestMultiOutputRegression(t *testing.T) {
	x, y := load(t, "linnerud", "weight", "waste", "pulse")
	for _, kind := range []Kind{RandomForest, ExtraTrees} {
		m, err := FitRegressor(context.Background(), kind, x, y, algorithms.Hyperparams{"random_state": 0.0})
		if err != nil {
			t.Fatal(err)
		}
		if m.NumOutputs() != 3 {
			t.Fatalf("NumOutputs = %d", m.NumOutputs())
		}
		pred := make([]float64, 3*x.Rows)
		m.Predict(pred, x.Data)
		// Each output must track its own target: the training fit of a
		// forest is good, and swapping outputs would wreck it.
		for o := range 3 {
			truth, fitted := make([]float64, x.Rows), make([]float64, x.Rows)
			for i := range x.Rows {
				truth[i], fitted[i] = y.Data[3*i+o], pred[3*i+o]
			}
			if r2 := metrics.Regression(truth, fitted)["r2"]; r2 < 0.5 {
				t.Errorf("%s output %d: training r2 %.3f", kind, o, r2)
			}
		}
	}
	// One joint tree without bootstrap splits on the summed impurity and
	// reproduces all three targets of its distinct rows.
	m, err := FitRegressor(context.Background(), RandomForest, x, y, singleTree)
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]float64, 3*x.Rows)
	m.Predict(pred, x.Data)
	if !slices.Equal(pred, y.Data) {
		t.Error("a joint regression tree does not reproduce its training targets")
	}
}

func TestDeterminism(t *testing.T) {
	x, y := load(t, "breast_cancer", "malignant")
	for _, kind := range []Kind{RandomForest, ExtraTrees} {
		var files [][]byte
		for _, jobs := range []float64{1, 2, 3, 1} {
			hp := algorithms.Hyperparams{"n_estimators": 12.0, "random_state": 42.0, "n_jobs": jobs}
			m, err := FitClassifier(context.Background(), kind, x, y, hp)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := m.MarshalBinary()
			files = append(files, b)
		}
		for i := 1; i < len(files); i++ {
			if !bytes.Equal(files[0], files[i]) {
				t.Errorf("%s: forests with the same random_state and different n_jobs differ", kind)
			}
		}
		other, err := FitClassifier(context.Background(), kind, x, y, algorithms.Hyperparams{"n_estimators": 12.0, "random_state": 43.0})
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := other.MarshalBinary(); bytes.Equal(b, files[0]) {
			t.Errorf("%s: random_state 42 and 43 grow the same forest", kind)
		}
	}
}

func TestCancellation(t *testing.T) {
	x, y := load(t, "digits", "target")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FitClassifier(ctx, RandomForest, x, y, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("already cancelled: error = %v, want one wrapping context.Canceled", err)
	}
	// Cancelled while growing: far more work than the deadline allows.
	big, target := syntheticRegression(20000, 10, 1)
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := FitRegressor(ctx, RandomForest, big, target, algorithms.Hyperparams{"n_estimators": 1000.0, "n_jobs": 2.0})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want one wrapping context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("training stopped %v after the deadline", elapsed)
	}
}

// syntheticRegression returns rows×cols standard normal features and a
// noisy nonlinear target.
func syntheticRegression(rows, cols int, seed uint64) (x, y algorithms.Matrix) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x = algorithms.Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
	y = algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
	for i := range rows {
		row := x.Data[i*cols : (i+1)*cols]
		for j := range row {
			row[j] = rng.NormFloat64()
		}
		y.Data[i] = 3*math.Sin(row[0]) + row[1]*row[2] + float64(cols%5)*row[cols-1] + rng.NormFloat64()
	}
	return x, y
}

func TestBadHyperparameters(t *testing.T) {
	x, y := load(t, "iris", "target")
	cases := []struct {
		hp   algorithms.Hyperparams
		want []string // all must appear in the error
	}{
		{algorithms.Hyperparams{"n_estimator": 10.0}, []string{`"n_estimator"`, "n_estimators", "max_depth"}},
		{algorithms.Hyperparams{"n_estimators": 0.0}, []string{`"n_estimators"`, "between 1 and 100000, got 0"}},
		{algorithms.Hyperparams{"n_estimators": 2.5}, []string{`"n_estimators"`}},
		{algorithms.Hyperparams{"n_estimators": 1e9}, []string{`"n_estimators"`, "between 1 and 100000, got 1000000000"}},
		{algorithms.Hyperparams{"max_depth": -1.0}, []string{`"max_depth"`, "null"}},
		{algorithms.Hyperparams{"max_depth": "deep"}, []string{`"max_depth"`}},
		{algorithms.Hyperparams{"max_depth": 1e6}, []string{`"max_depth"`, "between 1 and 1000, got 1000000"}},
		{algorithms.Hyperparams{"n_estimators": math.Inf(1)}, []string{`"n_estimators"`, "got +Inf"}},
		{algorithms.Hyperparams{"min_samples_split": 1.0}, []string{`"min_samples_split"`, "≥ 2"}},
		{algorithms.Hyperparams{"min_samples_leaf": 0.0}, []string{`"min_samples_leaf"`}},
		{algorithms.Hyperparams{"max_features": "cbrt"}, []string{`"max_features"`, `"sqrt"`, `"log2"`}},
		{algorithms.Hyperparams{"max_features": 5.0}, []string{`"max_features"`, "4 features"}},
		{algorithms.Hyperparams{"criterion": "squared_error"}, []string{`"criterion"`, `"gini"`, `"entropy"`}},
		{algorithms.Hyperparams{"bootstrap": "yes"}, []string{`"bootstrap"`}},
		{algorithms.Hyperparams{"max_samples": 0.5, "bootstrap": false}, []string{`"max_samples"`, `"bootstrap"`}},
		{algorithms.Hyperparams{"max_samples": 1000.0}, []string{`"max_samples"`, "150"}},
		{algorithms.Hyperparams{"random_state": -3.0}, []string{`"random_state"`}},
		{algorithms.Hyperparams{"n_jobs": 0.0}, []string{`"n_jobs"`}},
		{algorithms.Hyperparams{"min_impurity_decrease": -1.0}, []string{`"min_impurity_decrease"`}},
	}
	for _, c := range cases {
		_, err := FitClassifier(context.Background(), RandomForest, x, y, c.hp)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error = %v, want one mentioning %s", c.hp, err, w)
				break
			}
		}
	}
	_, err := FitRegressor(context.Background(), ExtraTrees, x, y, algorithms.Hyperparams{"criterion": "absolute_error"})
	if err == nil || !strings.Contains(err.Error(), `"squared_error"`) {
		t.Errorf("regression criterion: error = %v", err)
	}
}

func TestHyperparametersTakeEffect(t *testing.T) {
	x, y := load(t, "diabetes", "target")
	fit := func(hp algorithms.Hyperparams) *Regressor {
		t.Helper()
		hp["random_state"], hp["n_estimators"] = 0.0, 4.0
		m, err := FitRegressor(context.Background(), RandomForest, x, y, hp)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	full := fit(algorithms.Hyperparams{})
	for tr := range full.NumTrees() {
		if full.Depth(tr) <= 5 {
			t.Errorf("unlimited tree %d has depth %d", tr, full.Depth(tr))
		}
	}
	shallow := fit(algorithms.Hyperparams{"max_depth": 3.0})
	for tr := range shallow.NumTrees() {
		if d := shallow.Depth(tr); d != 3 {
			t.Errorf("max_depth 3: tree %d has depth %d", tr, d)
		}
	}
	// Bigger leaves and subsamples mean fewer nodes.
	for _, hp := range []algorithms.Hyperparams{
		{"min_samples_leaf": 20.0}, {"min_samples_leaf": 0.05}, {"min_samples_split": 40.0},
		{"max_samples": 0.3}, {"min_impurity_decrease": 50.0},
	} {
		if m := fit(hp); m.NumNodes() >= full.NumNodes()/2 {
			t.Errorf("%v: %d nodes, unlimited forest has %d", hp, m.NumNodes(), full.NumNodes())
		}
	}
	// min_samples_leaf holds in every leaf: count the training rows per leaf.
	leafy := fit(algorithms.Hyperparams{"min_samples_leaf": 15.0, "bootstrap": false})
	for tr := range leafy.trees {
		rows := map[*float64]int{}
		for i := range x.Rows {
			rows[&leafy.leaf(&leafy.trees[tr], x.Row(i))[0]]++
		}
		for _, n := range rows {
			if n < 15 {
				t.Fatalf("tree %d has a leaf with %d training rows", tr, n)
			}
		}
	}
}

func TestSortByValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{0, 1, 2, 5, 16, 17, 100, 5000} {
		for _, distinct := range []int{1, 3, 1 << 30} {
			values := make([]float32, n)
			samples := make([]int32, n)
			orig := make([]float32, n)
			for i := range values {
				values[i] = float32(rng.IntN(distinct))
				orig[i] = values[i]
				samples[i] = int32(i)
			}
			sortByValue(values, samples)
			if !slices.IsSorted(values) {
				t.Fatalf("n=%d distinct=%d: not sorted", n, distinct)
			}
			for i, s := range samples {
				if orig[s] != values[i] {
					t.Fatalf("n=%d: samples not permuted with values", n)
				}
			}
		}
	}
}

// Without random_state a forest is still reproducible: pgml stores and compares models, and
// the same training call must give the same model.
func TestMissingRandomStateIsSeedZero(t *testing.T) {
	x, y := syntheticRegression(300, 5, 7)
	for _, kind := range []Kind{RandomForest, ExtraTrees} {
		var encoded [][]byte
		for _, hp := range []algorithms.Hyperparams{{"n_estimators": 5.0}, {"n_estimators": 5.0}, {"n_estimators": 5.0, "random_state": 0.0}} {
			m, err := FitRegressor(context.Background(), kind, x, y, hp)
			if err != nil {
				t.Fatal(err)
			}
			b, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			encoded = append(encoded, b)
		}
		if !bytes.Equal(encoded[0], encoded[1]) || !bytes.Equal(encoded[0], encoded[2]) {
			t.Errorf("%v: fits without random_state differ from each other or from random_state 0", kind)
		}
	}
}
