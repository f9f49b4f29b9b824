package analysis

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

type curveCase struct {
	Positive         []bool    `json:"positive"`
	Score            []float64 `json:"score"`
	FPR              []float64 `json:"fpr"`
	TPR              []float64 `json:"tpr"`
	AUC              float64   `json:"auc"`
	Precision        []float64 `json:"precision"`
	Recall           []float64 `json:"recall"`
	AveragePrecision float64   `json:"average_precision"`
}

type fixtures struct {
	Curves    map[string]curveCase `json:"curves"`
	Confusion map[string]struct {
		YTrue  []float64 `json:"y_true"`
		YPred  []float64 `json:"y_pred"`
		Labels []float64 `json:"labels"`
		Counts [][]int64 `json:"counts"`
	} `json:"confusion"`
	ResidualQuantiles struct {
		Actual    []float64 `json:"actual"`
		Predicted []float64 `json:"predicted"`
		Value     []float64 `json:"value"`
	} `json:"residual_quantiles"`
	Coefficients struct {
		Coef       [][]float64 `json:"coef"`
		Importance []float64   `json:"importance"`
	} `json:"standardized_coefficients_iris"`
	Permutation struct {
		Coef       []float64 `json:"coef"`
		Intercept  float64   `json:"intercept"`
		Repeats    int       `json:"repeats"`
		Importance []float64 `json:"importance"`
	} `json:"permutation_diabetes"`
}

func loadFixtures(t *testing.T) *fixtures {
	t.Helper()
	var f fixtures
	if err := datasets.ReadJSON("analysis_fixtures.json", &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Curves) == 0 || len(f.Confusion) == 0 {
		t.Fatal("empty fixtures")
	}
	return &f
}

func near(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol {
			t.Errorf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func TestCurvesMatchSklearn(t *testing.T) {
	for name, c := range loadFixtures(t).Curves {
		roc, pr, ok, err := Curves(context.Background(), 1, c.Positive, c.Score)
		if err != nil || !ok {
			t.Fatalf("%s: ok %v, err %v", name, ok, err)
		}
		// Curves longer than MaxCurvePoints are compared at the points kept.
		rocIdx := downsample(len(c.FPR), MaxCurvePoints)
		near(t, name+" fpr", roc.FPR, pick(c.FPR, rocIdx), 1e-12)
		near(t, name+" tpr", roc.TPR, pick(c.TPR, rocIdx), 1e-12)
		prIdx := downsample(len(c.Recall), MaxCurvePoints)
		near(t, name+" recall", pr.Recall, pick(c.Recall, prIdx), 1e-12)
		near(t, name+" precision", pr.Precision, pick(c.Precision, prIdx), 1e-12)
		near(t, name+" auc", []float64{roc.AUC}, []float64{c.AUC}, 1e-12)
		near(t, name+" average precision", []float64{pr.AveragePrecision}, []float64{c.AveragePrecision}, 1e-12)
		if len(roc.FPR) > MaxCurvePoints || len(pr.Recall) > MaxCurvePoints {
			t.Errorf("%s: %d and %d points, want at most %d", name, len(roc.FPR), len(pr.Recall), MaxCurvePoints)
		}
	}
}

func TestCurvesUndefinedWithOneClass(t *testing.T) {
	_, _, ok, err := Curves(context.Background(), 1, []bool{true, true}, []float64{0.2, 0.4})
	if ok || err != nil {
		t.Errorf("ok %v, err %v; want no curve", ok, err)
	}
}

func TestClassCurvesBinaryAndMulticlass(t *testing.T) {
	classes := []float64{3, 7}
	y := []float64{3, 7, 7, 3}
	probs := []float64{0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.7, 0.3}
	roc, pr, err := ClassCurves(context.Background(), classes, y, probs)
	if err != nil || len(roc) != 1 || roc[0].Class != 7 || roc[0].AUC != 1 || len(pr) != 1 {
		t.Fatalf("binary: %+v %+v %v", roc, pr, err)
	}
	classes = []float64{0, 1, 2}
	y = []float64{0, 1, 2, 2}
	probs = []float64{0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8, 0.6, 0.3, 0.1}
	roc, _, err = ClassCurves(context.Background(), classes, y, probs)
	if err != nil || len(roc) != 3 {
		t.Fatalf("multiclass: %d curves, %v", len(roc), err)
	}
	if roc[2].Class != 2 || roc[2].AUC != 0.5+0.5*0.5 {
		t.Errorf("class 2 against the rest: %+v", roc[2])
	}
}

func TestConfusionMatrixMatchesSklearn(t *testing.T) {
	for name, c := range loadFixtures(t).Confusion {
		m, err := NewConfusionMatrix(context.Background(), c.YTrue, c.YPred, nil)
		if err != nil {
			t.Fatal(err)
		}
		near(t, name+" labels", m.Labels, c.Labels, 0)
		for i := range c.Counts {
			for j := range c.Counts[i] {
				if m.Counts[i][j] != c.Counts[i][j] {
					t.Errorf("%s: counts[%d][%d] = %d, sklearn %d", name, i, j, m.Counts[i][j], c.Counts[i][j])
				}
			}
		}
	}
	many := make([]float64, MaxClasses+1)
	for i := range many {
		many[i] = float64(i)
	}
	if _, err := NewConfusionMatrix(context.Background(), many, many, nil); !errors.Is(err, ErrTooManyClasses) {
		t.Errorf("%d classes: err %v", len(many), err)
	}
}

func TestResidualQuantilesMatchNumpy(t *testing.T) {
	f := loadFixtures(t).ResidualQuantiles
	q, err := NewResidualQuantiles(context.Background(), f.Actual, f.Predicted, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "quantiles", q.Value, f.Value, 1e-12)
}

func TestPredictedVsActualSamplesEvenly(t *testing.T) {
	n := 2*MaxScatterPoints + 3
	actual := make([]float64, 2*n) // two outputs
	predicted := make([]float64, 2*n)
	for i := range actual {
		actual[i], predicted[i] = float64(i), float64(-i)
	}
	p := NewPredictedVsActual(actual, predicted, 2, 0)
	if len(p.Actual) != MaxScatterPoints || p.Actual[0] != 0 || p.Actual[MaxScatterPoints-1] != float64(2*(n-1)) {
		t.Errorf("sample of %d points from %v to %v", len(p.Actual), p.Actual[0], p.Actual[len(p.Actual)-1])
	}
	if p.Output == nil || *p.Output != 0 || p.Predicted[1] != -p.Actual[1] {
		t.Errorf("output %v, pair %v %v", p.Output, p.Actual[1], p.Predicted[1])
	}
}

func TestStandardizedCoefficientsMatchNumpy(t *testing.T) {
	f := loadFixtures(t).Coefficients
	x, _, err := datasets.Load("iris", "target")
	if err != nil {
		t.Fatal(err)
	}
	std, err := ColumnStd(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "importance", StandardizedCoefficients(f.Coef, std), f.Importance, 1e-9)
}

// A linear model with sklearn's coefficients, so that both shuffle the same predictions.
func TestPermutationNearSklearn(t *testing.T) {
	f := loadFixtures(t).Permutation
	x, y, err := datasets.Load("diabetes", "target")
	if err != nil {
		t.Fatal(err)
	}
	predict := func(dst, rows []float64) error {
		for r := range dst {
			dst[r] = f.Intercept
			for j, c := range f.Coef {
				dst[r] += c * rows[r*x.Cols+j]
			}
		}
		return nil
	}
	opt := PermutationOptions{Rows: x.Rows, Repeats: f.Repeats, Seed: 1}
	got, err := Permutation(context.Background(), predict, 1, x, y, R2, opt)
	if err != nil {
		t.Fatal(err)
	}
	// Different shuffles: the means agree within their sampling error.
	near(t, "importance", got, f.Importance, 0.03)
	again, _ := Permutation(context.Background(), predict, 1, x, y, R2, opt)
	near(t, "second run", again, got, 0)
	// One shuffle per prediction gives the same figures as batches of them.
	oneAtATime := func(dst, rows []float64) error {
		per := x.Rows * x.Cols
		for lo := 0; lo < len(rows); lo += per {
			if err := predict(dst[lo/x.Cols:(lo+per)/x.Cols], rows[lo:lo+per]); err != nil {
				return err
			}
		}
		return nil
	}
	unbatched, _ := Permutation(context.Background(), oneAtATime, 1, x, y, R2, opt)
	near(t, "unbatched", unbatched, got, 1e-12)
}

func TestPermutationStopsOnCancel(t *testing.T) {
	ctx, cancelFn := context.WithCancel(context.Background())
	calls := 0
	predict := func(dst, rows []float64) error {
		calls++
		if calls == 2 {
			cancelFn()
		}
		return nil
	}
	// Rows enough that each batch holds one shuffle.
	n := PermutationBatchRows
	x := algorithms.Matrix{Rows: n, Cols: 3, Data: make([]float64, 3*n)}
	y := algorithms.Matrix{Rows: n, Cols: 1, Data: make([]float64, n)}
	_, err := Permutation(ctx, predict, 1, x, y, Accuracy, PermutationOptions{Rows: n, Repeats: 5})
	if !errors.Is(err, context.Canceled) || calls != 2 {
		t.Errorf("err %v after %d predictions", err, calls)
	}
}

func TestMarshalLeavesOutNonFiniteSections(t *testing.T) {
	a := New()
	a.ResidualQuantiles = &ResidualQuantiles{Q: []float64{0}, Value: []float64{math.NaN()}}
	a.FeatureImportance = &FeatureImportance{Method: MethodPermutation, Features: []string{"a"}, Importance: []float64{0.5}}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if strings.Contains(s, "residual_quantiles") || !strings.Contains(s, `"search":null`) || !strings.Contains(s, `"version":1`) || !strings.Contains(s, `"importance":[0.5]`) {
		t.Errorf("JSON %s", s)
	}
}
