package lifecycle

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/metrics"
)

func TestPlanSearch(t *testing.T) {
	search := func(method, params, args string) *TrainRequest {
		return &TrainRequest{Search: method, SearchGiven: method != "", SearchParams: params, SearchArgs: args}
	}
	if plan, err := planSearch(search("", "", ""), algorithms.Hyperparams{}); plan != nil || err != nil {
		t.Fatalf("no search: %v, %v", plan, err)
	}
	if plan, err := planSearch(search("", "{}", "{}"), algorithms.Hyperparams{}); plan != nil || err != nil {
		t.Fatalf("empty search_params: %v, %v", plan, err)
	}
	_, err := planSearch(search("grid", "{}", ""), algorithms.Hyperparams{})
	e := wantError(t, err, StateInvalidParameter, regressError(t, "lifecycle.out", "search => 'grid' needs search_params"))
	if !strings.Contains(e.Hint, "search_params =>") {
		t.Fatalf("hint %q", e.Hint)
	}

	grid, err := planSearch(search("grid", `{"max_depth": [2, 4, 6], "learning_rate": [0.1, 0.3]}`, `{"cv": 3}`), algorithms.Hyperparams{})
	if err != nil || len(grid.candidates) != 6 || grid.args.CV != 3 || strings.Join(grid.keys, ",") != "learning_rate,max_depth" {
		t.Fatalf("grid plan %+v, %v", grid, err)
	}
	random, err := planSearch(search("random", `{"max_depth": [1, 2, 3, 4, 5, 6, 7, 8], "alpha": [1, 2, 3]}`, `{"n_iter": 4}`), algorithms.Hyperparams{})
	if err != nil || len(random.candidates) != 4 || random.args.CV != 5 {
		t.Fatalf("random plan %+v, %v", random, err)
	}
	// search_params without search is a grid (PostgresML), over one split.
	implicit, err := planSearch(search("", `{"alpha": [1, 2]}`, ""), algorithms.Hyperparams{})
	if err != nil || len(implicit.candidates) != 2 || implicit.args.CV != 1 {
		t.Fatalf("implicit grid %+v, %v", implicit, err)
	}

	for _, c := range []struct {
		req  *TrainRequest
		hp   algorithms.Hyperparams
		file string
		msg  string
	}{
		{search("bayes", `{"alpha": [1]}`, ""), nil, "lifecycle.out", "Unknown hyperparam search `bayes`"},
		{search("grid", `{"alpha": [1, 2]}`, ""), algorithms.Hyperparams{"alpha": 1.0}, "lifecycle.out", "`alpha` cannot be present in both"},
		{search("grid", `{"alpha": 1}`, ""), nil, "lifecycle.out", "search_params `alpha` must be an array"},
		{search("grid", `{"alpha": [1]}`, `{"folds": 3}`), nil, "lifecycle.out", "Unknown search_args => \"folds\""},
	} {
		_, err := planSearch(c.req, c.hp)
		wantError(t, err, StateInvalidParameter, regressError(t, c.file, c.msg))
	}
}

func TestValidateSplitArgs(t *testing.T) {
	for _, c := range []struct {
		size     float64
		sampling string
		msg      string
	}{
		{0.25, "random", ""}, {1, "first", ""}, {150, "last", ""}, {0.5, "stratified", ""},
		{0, "random", regressError(t, "errors.out", "test_size must be")},
		{-1, "random", "test_size must be a positive fraction (<= 1) or row count (> 1), got -1"},
		{math.NaN(), "random", "test_size must be a positive fraction (<= 1) or row count (> 1), got NaN"},
		{0.25, "middle", regressError(t, "errors.out", "unknown test_sampling")},
	} {
		err := validateSplitArgs(&snapshot{testSize: c.size, testSampling: c.sampling})
		if c.msg == "" {
			if err != nil {
				t.Fatalf("%v %s: %v", c.size, c.sampling, err)
			}
			continue
		}
		wantError(t, err, StateInvalidParameter, c.msg)
	}
}

// splitData is n rows whose single feature is the row's number and whose label is its class.
func splitData(n int, class func(i int) float64) *trainingData {
	d := &trainingData{x: algorithms.Matrix{Rows: n, Cols: 1}, y: algorithms.Matrix{Rows: n, Cols: 1}}
	for i := 0; i < n; i++ {
		d.x.Data = append(d.x.Data, float64(i))
		d.y.Data = append(d.y.Data, class(i))
	}
	return d
}

func TestSplitInPlace(t *testing.T) {
	sess, _, _ := newTestSession(t)
	for _, c := range []struct {
		n                   int
		size                float64
		sampling            string
		task                algorithms.Task
		wantTrain, wantTest int
	}{
		{100, 0.25, "random", algorithms.Regression, 75, 25},
		{50, 0.25, "random", algorithms.Regression, 37, 13}, // 12.5 rounds up
		{100, 10, "random", algorithms.Regression, 90, 10},  // a row count
		{10, 0.01, "first", algorithms.Regression, 9, 1},    // never an empty test set
		{100, 0.2, "last", algorithms.Regression, 80, 20},
		{90, 0.3, "stratified", algorithms.Classification, 63, 27},
	} {
		data := splitData(c.n, func(i int) float64 { return float64(i % 3) })
		train, test, err := sess.splitInPlace(context.Background(), data, c.task, &snapshot{testSize: c.size, testSampling: c.sampling})
		if err != nil || train.x.Rows != c.wantTrain || test.x.Rows != c.wantTest {
			t.Fatalf("%+v: %d train, %d test rows, %v", c, train.x.Rows, test.x.Rows, err)
		}
		// Rows move with their labels, each row exactly once.
		seen := map[float64]bool{}
		for _, s := range []dataSplit{train, test} {
			for r := 0; r < s.x.Rows; r++ {
				row := s.x.Data[r]
				if seen[row] || s.y.Data[r] != float64(int(row)%3) {
					t.Fatalf("%+v: row %v repeated or separated from its label %v", c, row, s.y.Data[r])
				}
				seen[row] = true
			}
		}
		switch c.sampling {
		case "first":
			if test.x.Data[0] != 0 {
				t.Fatalf("first: test rows %v", test.x.Data)
			}
		case "last":
			if test.x.Data[0] != float64(c.n-c.wantTest) {
				t.Fatalf("last: test rows %v", test.x.Data)
			}
		case "stratified":
			counts := map[float64]int{}
			for _, v := range test.y.Data {
				counts[v]++
			}
			if counts[0] != 9 || counts[1] != 9 || counts[2] != 9 {
				t.Fatalf("stratified test classes %v, want 9 of each", counts)
			}
		}
	}
}

func TestStratifiedSplitKeepsRareClassInTraining(t *testing.T) {
	sess, _, _ := newTestSession(t)
	// Class 7 has two rows among 40: a test set of half the rows must leave it one training row.
	data := splitData(40, func(i int) float64 {
		if i == 3 || i == 30 {
			return 7
		}
		return float64(i % 2)
	})
	train, _, err := sess.splitInPlace(context.Background(), data, algorithms.Classification, &snapshot{testSize: 0.5, testSampling: "stratified"})
	if err != nil {
		t.Fatal(err)
	}
	classes := map[float64]bool{}
	for _, v := range train.y.Data {
		classes[v] = true
	}
	if !classes[0] || !classes[1] || !classes[7] {
		t.Fatalf("training classes %v", classes)
	}
	_, _, err = sess.splitInPlace(context.Background(), splitData(4, func(i int) float64 { return float64(i) }), algorithms.Classification,
		&snapshot{testSize: 0.5, testSampling: "stratified"})
	wantError(t, err, StateInvalidParameter, "test_size = 0.5 is too large for stratified sampling: 2 training rows cannot hold all 4 classes")
}

func TestPreprocessDecisions(t *testing.T) {
	sess, store, _ := newTestSession(t)
	data := &trainingData{features: []column{{name: "size", typeName: "real"}, {name: "kind", typeName: "text"}}, widths: []int{1, 1},
		categories: [][]string{nil, {"a", "b"}}}
	nan := math.NaN()
	train := dataSplit{x: algorithms.Matrix{Rows: 4, Cols: 2, Data: []float64{1, 1, nan, 2, 3, 0, 5, 1}},
		y: algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{1, 2, 3, 4}}}

	_, err := sess.fitPipeline(context.Background(), data, "", train, true)
	wantError(t, err, StateNullValue, `1 missing values for size. You may provide a preprocessor to impute a value. e.g: pgml.train(preprocess => '{"size": {"impute": "mean"}}')`)

	p, err := sess.fitPipeline(context.Background(), data, `{"size": {"impute": "mean"}, "nope": {"scale": "standard"}, "y": {"impute": "zero"}}`, train, true)
	if err != nil {
		t.Fatal(err)
	}
	want := "preprocess names columns that are not features, ignored: nope, y"
	if n := store.reported(Notice); len(n) != 1 || n[0] != want {
		t.Fatalf("notices %q, want %q", n, want)
	}
	out := make([]float64, p.OutputWidth())
	if err := p.TransformRow([]float64{nan, 2}, out); err != nil || out[0] != 3 { // the mean of 1, 3, 5
		t.Fatalf("imputed row %v, %v", out, err)
	}
	// A search's folds fit again without announcing.
	if _, err := sess.fitPipeline(context.Background(), data, `{"size": {"impute": "mean"}, "nope": {}}`, train, false); err != nil || len(store.reported(Notice)) != 1 {
		t.Fatalf("fold fit: %v, notices %q", err, store.reported(Notice))
	}
	_, err = sess.fitPipeline(context.Background(), data, `{"size": {"encode": "one_hot"}}`, train, true)
	wantError(t, err, StateInvalidParameter, regressError(t, "preprocess.out", "preprocess: It does not make sense to encode a continuous variable \"size\""))
}

func TestMetricsJSON(t *testing.T) {
	b, err := metricsJSON(map[string]float64{"r2": 0.5, "nan": math.NaN(), "inf": math.Inf(1), "ninf": math.Inf(-1), "mse": 2}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil || len(got) != 2 || got["r2"] != 0.5 || got["mse"] != 2.0 {
		t.Fatalf("metrics %s", b)
	}
	b, err = metricsJSON(map[string]float64{"r2": 0.5}, map[string]any{"best_index": 1, "params": []any{map[string]any{"alpha": 1}}}, "native")
	if err != nil {
		t.Fatal(err)
	}
	var withSearch struct {
		R2     float64 `json:"r2"`
		Search struct {
			BestIndex int `json:"best_index"`
		} `json:"search_results"`
		NativeInference string `json:"native_inference"`
	}
	if err := json.Unmarshal(b, &withSearch); err != nil || withSearch.R2 != 0.5 || withSearch.Search.BestIndex != 1 || withSearch.NativeInference != "native" {
		t.Fatalf("metrics %s", b)
	}
}

func TestSklearnMetricInputs(t *testing.T) {
	for _, c := range []struct {
		yTrue, yPred []float64
		msg          string
	}{
		{[]float64{1, 2}, []float64{1}, "ground_truth and y_hat have different lengths (2 and 1)"},
		{nil, nil, "ground_truth and y_hat must not be empty"},
		{[]float64{1, math.NaN()}, []float64{1, 2}, "ground_truth contains NaN (element 2); metrics need finite values"},
		{[]float64{1, 2}, []float64{math.Inf(-1), 2}, "y_hat contains -Inf (element 1); metrics need finite values"},
	} {
		_, err := SklearnScore(metrics.R2Score, c.yTrue, c.yPred)
		wantError(t, err, StateInvalidParameter, c.msg)
		_, err = SklearnRegressionMetrics(c.yTrue, c.yPred)
		wantError(t, err, StateInvalidParameter, c.msg)
		_, err = SklearnClassificationMetrics(c.yTrue, c.yPred, 2)
		wantError(t, err, StateInvalidParameter, c.msg)
	}
}

func TestSklearnMetricsJSONIsFloat4(t *testing.T) {
	s, err := sklearnMetricsJSON(map[string]float64{"a": 0.1, "b": 1.0 / 3, "nan": math.NaN(), "inf": math.Inf(1), "big": 1e300})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &got); err != nil {
		t.Fatal(err)
	}
	// float32's shortest forms; values beyond float4 become infinite, hence null.
	want := map[string]string{"a": "0.1", "b": "0.33333334", "nan": "null", "inf": "null", "big": "null"}
	for k, w := range want {
		if string(got[k]) != w {
			t.Fatalf("%s = %s, want %s (all: %s)", k, got[k], w, s)
		}
	}
	// The same through the SQL function: a perfect prediction has r2 1.
	r, err := SklearnRegressionMetrics([]float64{1, 2, 3}, []float64{1, 2, 3})
	var parsed map[string]float64
	if err != nil || json.Unmarshal([]byte(r), &parsed) != nil || parsed["r2"] != 1 {
		t.Fatalf("regression metrics %s, %v", r, err)
	}
}
