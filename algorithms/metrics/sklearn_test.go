package metrics

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

// The expected figures below were computed with scikit-learn 1.2.1 (Debian 12's python3-sklearn):
//
//	from sklearn.metrics import *
//	yt, yh = np.asarray(y_true, float).reshape(-1, 1), np.asarray(y_pred, float).reshape(-1, 1)
//	average = "macro" if len(set(y_true) | set(y_pred)) > 2 else "binary"
//	f1_score(yt, yh, average=average), f1_score(yt, yh, average="micro"),
//	precision_score(yt, yh, average=average), recall_score(yt, yh, average=average),
//	accuracy_score(yt, yh), matthews_corrcoef(yt, yh), f1_score(yt, yh), roc_auc_score(yt, yh)
//
// (PostgresML 2.x's classification_metrics, with the column vectors it builds.)
var sklearnClassificationCases = []struct {
	name          string
	yTrue, yPred  []float64
	scores        map[string]float64
	f1, rocAUC    float64
	f1Err, rocErr string // the error sklearn raises instead, if any
}{
	{
		name:   "binary",
		yTrue:  []float64{0, 1, 1, 0, 1, 1, 0, 0, 1, 1},
		yPred:  []float64{0, 1, 0, 0, 1, 1, 1, 0, 1, 0},
		scores: map[string]float64{"f1": 0.7272727272727272, "f1_micro": 0.7, "precision": 0.8, "recall": 0.6666666666666666, "accuracy": 0.7, "mcc": 0.408248290463863},
		f1:     0.7272727272727272, rocAUC: 0.7083333333333334,
	},
	{
		// pos_label=1 is the smaller label here; roc_auc's positive class is the larger one.
		name:   "labels 1 and 2",
		yTrue:  []float64{1, 2, 2, 1, 2},
		yPred:  []float64{1, 2, 1, 1, 1},
		scores: map[string]float64{"f1": 0.6666666666666666, "f1_micro": 0.6, "precision": 0.5, "recall": 1.0, "accuracy": 0.6, "mcc": 0.4082482904638631},
		f1:     0.6666666666666666, rocAUC: 0.6666666666666666,
	},
	{
		name:   "multiclass",
		yTrue:  []float64{0, 1, 2, 2, 1, 0, 2, 1, 0, 2},
		yPred:  []float64{0, 2, 2, 2, 1, 0, 1, 1, 1, 2},
		scores: map[string]float64{"f1": 0.7071428571428572, "f1_micro": 0.7, "precision": 0.75, "recall": 0.6944444444444443, "accuracy": 0.7, "mcc": 0.5539117094069973},
		f1Err:  "multiclass", rocErr: "needs exactly two",
	},
	{
		// Class 1 neither true nor predicted: sklearn's zero_division gives 0.
		name:   "all zero",
		yTrue:  []float64{0, 0, 0},
		yPred:  []float64{0, 0, 0},
		scores: map[string]float64{"f1": 0, "f1_micro": 1, "precision": 0, "recall": 0, "accuracy": 1, "mcc": 0},
		f1:     0, rocErr: "only one class",
	},
	{
		name:   "labels -1 and 1",
		yTrue:  []float64{-1, 1, 1, -1},
		yPred:  []float64{1, 1, -1, -1},
		scores: map[string]float64{"f1": 0.5, "f1_micro": 0.5, "precision": 0.5, "recall": 0.5, "accuracy": 0.5, "mcc": 0},
		f1:     0.5, rocAUC: 0.5,
	},
}

func TestSklearnClassification(t *testing.T) {
	for _, c := range sklearnClassificationCases {
		got, err := ClassificationScores(c.yTrue, c.yPred)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		compare(t, c.name, got, c.scores)

		f1, err := F1Score(c.yTrue, c.yPred)
		if c.f1Err != "" {
			if err == nil || !strings.Contains(err.Error(), c.f1Err) || !errors.Is(err, ErrInvalidInput) {
				t.Errorf("%s: F1Score = %v, %v; want an error with %q", c.name, f1, err, c.f1Err)
			}
		} else if err != nil || math.Abs(f1-c.f1) > 1e-12 {
			t.Errorf("%s: F1Score = %v, %v; sklearn %v", c.name, f1, err, c.f1)
		}

		auc, err := ROCAUCScore(c.yTrue, c.yPred)
		if c.rocErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.rocErr) {
				t.Errorf("%s: ROCAUCScore = %v, %v; want an error with %q", c.name, auc, err, c.rocErr)
			}
		} else if err != nil || math.Abs(auc-c.rocAUC) > 1e-12 {
			t.Errorf("%s: ROCAUCScore = %v, %v; sklearn %v", c.name, auc, err, c.rocAUC)
		}
	}
}

func TestSklearnROCAUCScores(t *testing.T) {
	for _, c := range []struct {
		yTrue, yScore []float64
		want          float64
	}{
		// roc_auc_score([0,1,1,0,1,0,1], [0.1,0.8,0.3,0.3,0.9,0.7,0.3]) = 0.75 (ties across classes)
		{[]float64{0, 1, 1, 0, 1, 0, 1}, []float64{0.1, 0.8, 0.3, 0.3, 0.9, 0.7, 0.3}, 0.75},
		// roc_auc_score([2,1,2,1], [0.5,0.2,0.2,0.6]) = 0.375 (2 is the positive class)
		{[]float64{2, 1, 2, 1}, []float64{0.5, 0.2, 0.2, 0.6}, 0.375},
	} {
		got, err := ROCAUCScore(c.yTrue, c.yScore)
		if err != nil || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("ROCAUCScore(%v, %v) = %v, %v; sklearn %v", c.yTrue, c.yScore, got, err, c.want)
		}
	}
}

func TestSklearnRegression(t *testing.T) {
	// r2_score, mean_squared_error, mean_absolute_error of
	// [3, -0.5, 2, 7, 4.25] vs [2.5, 0, 2, 8, 3.5]: 0.9328175895765473, 0.4125, 0.55
	yTrue := []float64{3, -0.5, 2, 7, 4.25}
	yPred := []float64{2.5, 0, 2, 8, 3.5}
	got, err := RegressionScores(yTrue, yPred)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, "regression", got, map[string]float64{"r2": 0.9328175895765473, "mse": 0.4125, "mae": 0.55})
	r2, err := R2Score(yTrue, yPred)
	if err != nil || math.Abs(r2-0.9328175895765473) > 1e-12 {
		t.Errorf("R2Score = %v, %v", r2, err)
	}
	// r2_score([1], [1]) is nan (with a warning); r2_score([1, 1], [1, 2]) is 0.0.
	if r2, err := R2Score([]float64{1}, []float64{1}); err != nil || !math.IsNaN(r2) {
		t.Errorf("R2Score of one value = %v, %v; want NaN", r2, err)
	}
	if r2, err := R2Score([]float64{1, 1}, []float64{1, 2}); err != nil || r2 != 0 {
		t.Errorf("R2Score of constant y_true = %v, %v; want 0", r2, err)
	}
}

func TestSklearnInvalidInputs(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"lengths", second(R2Score([]float64{1, 2}, []float64{1})), "different lengths (2 and 1)"},
		{"empty", second(RegressionScores(nil, nil)), "empty"},
		{"nan", second(R2Score([]float64{1, math.NaN()}, []float64{1, 2})), "y_true contains NaN (element 2)"},
		{"inf", second(ClassificationScores([]float64{1, 0}, []float64{inf, 0})), "y_pred contains +Inf (element 1)"},
		// sklearn: "Classification metrics can't handle a mix of continuous and binary targets"
		{"continuous", second(F1Score([]float64{0, 1, 0.5}, []float64{0, 1, 1})), "non-integer value 0.5 (element 3)"},
		{"continuous pred", second(ClassificationScores([]float64{0, 1}, []float64{0, 0.25})), "y_pred contains the non-integer value 0.25"},
		// sklearn: "pos_label=1 is not a valid label. It should be one of [0.0, 2.0]"
		{"pos_label", second(F1Score([]float64{0, 2, 2}, []float64{0, 2, 0})), "pos_label=1 is not a valid label: the labels are 0 and 2"},
		{"pos_label report", second(ClassificationScores([]float64{0, 2}, []float64{0, 2})), "pos_label=1"},
		{"roc continuous", second(ROCAUCScore([]float64{0, 0.5, 1}, []float64{0, 1, 1})), "y_true has 3 classes"},
	} {
		if c.err == nil || !errors.Is(c.err, ErrInvalidInput) || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// Labels are the caller's data: 100,000 distinct ones must cost memory in proportion to the
// labels, not to the square of the classes (a k×k matrix would be 80 GB here).
func TestClassificationScoresManyClasses(t *testing.T) {
	const n = 100_000
	yTrue := make([]float64, n)
	yPred := make([]float64, n)
	for i := range yTrue {
		yTrue[i] = float64((i * 7919) % 100_003)
		yPred[i] = yTrue[i]
		if i%4 == 0 {
			yPred[i] = float64((i*7919)%100_003 + 1)
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	scores, err := ClassificationScores(yTrue, yPred)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 64*n*8 {
		t.Errorf("scoring %d labels allocated %d bytes, want at most %d", n, allocated, 64*n*8)
	}
	if got, want := scores["accuracy"], 0.75; got != want {
		t.Errorf("accuracy %v, want %v", got, want)
	}
	// The classes are (nearly) all distinct: a label scored wrong is also a predicted class
	// that is never true, so the macro recall counts the 75% right ones over the true classes.
	if r := scores["recall"]; !(r > 0.7 && r < 0.8) {
		t.Errorf("macro recall %v, want about 0.75", r)
	}
	m := Classification(yTrue, yPred)
	if m["accuracy"] != 0.75 {
		t.Errorf("Classification accuracy %v, want 0.75", m["accuracy"])
	}
}
