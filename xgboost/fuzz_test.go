package xgboost

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// fuzzKeys are the hyperparameters the fuzzer sets, every one pgml accepts.
var fuzzKeys = []string{
	"eta", "gamma", "max_depth", "min_child_weight", "max_delta_step", "subsample",
	"colsample_bytree", "colsample_bylevel", "colsample_bynode", "lambda", "alpha", "tree_method",
	"sketch_eps", "scale_pos_weight", "updater", "refresh_leaf", "process_type", "grow_policy",
	"predictor", "max_leaves", "max_bin", "feature_selector", "top_k", "rate_drop", "one_drop",
	"skip_drop", "sample_type", "normalize_type", "booster", "n_estimators", "nthread",
	"objective", "eval_metric", "random_state",
}

// fuzzValues are the values the fuzzer assigns: the edges of every range,
// beyond them, and the strings XGBoost knows.
var fuzzValues = []any{
	0.0, 1.0, 2.0, -1.0, 0.5, 1e-300, 1e9, 1e308, -1e308, math.Inf(1), math.NaN(), 31.0, 32.0, 33.0,
	64.0, 255.0, 256.0, 1024.0, 100000.0, 2147483647.0, 3.0,
	true, false, "", "hist", "exact", "approx", "auto", "depthwise", "lossguide", "gbtree", "dart",
	"linear", "gblinear", "shotgun", "coord_descent", "grow_colmaker,prune", "refresh", "prune", "sync",
	"grow_quantile_histmaker", "cyclic", "greedy", "thrifty", "uniform", "forest",
	"reg:squarederror", "reg:logistic", "count:poisson", "reg:gamma", "reg:tweedie", "binary:hinge",
	"multi:softmax", "rmse", "error@0.7", "ndcg@5-", "default", "update", "cpu_predictor", "x",
}

// hyperparamsFrom decodes the fuzzer's bytes, two per pair: a key and a value.
func hyperparamsFrom(b []byte) algorithms.Hyperparams {
	hp := algorithms.Hyperparams{"n_estimators": 2.0}
	for i := 0; i+1 < len(b) && i < 16; i += 2 {
		hp[fuzzKeys[int(b[i])%len(fuzzKeys)]] = fuzzValues[int(b[i+1])%len(fuzzValues)]
	}
	if f, ok := hp["n_estimators"].(float64); ok && f > 3 {
		hp["n_estimators"] = 3.0 // time, not safety: rounds are bounded and cancellable
	}
	return hp
}

// FuzzHyperparams trains with arbitrary hyperparameters: every call must
// end in a model or an error naming the problem, never in a crash of the
// training process (which would mean a value reached libxgboost unchecked).
// The seed corpus runs with every go test; search for more with
//
//	go test -fuzz FuzzHyperparams -run X ./xgboost
func FuzzHyperparams(f *testing.F) {
	for _, seed := range [][]byte{
		{}, {2, 7}, {2, 13}, {2, 10}, {20, 16}, {20, 9}, {30, 11}, {30, 15}, {0, 10}, {0, 9},
		{11, 23}, {11, 24}, {14, 38}, {14, 40}, {14, 41}, {28, 27}, {28, 28}, {28, 29}, {16, 60},
		{31, 48}, {31, 51}, {32, 55}, {32, 57}, {17, 29}, {22, 8}, {19, 6}, {5, 4}, {12, 4},
		{28, 28, 14, 36}, {28, 29, 23, 5}, {11, 25, 2, 11, 17, 30}, {2, 7, 0}, {2, 13, 0},
		{14, 38, 0}, {28, 27, 0}, {31, 48, 0}, {14, 41, 0}, {20, 16, 0}, {2, 10, 0, 0},
		{30, 11, 0, 0}, {28, 29, 0, 0}, {11, 24, 0, 0}, {22, 8, 0, 0},
	} {
		f.Add(seed)
	}
	iris := readCSV(f, "iris", "target")
	diabetes := readCSV(f, "diabetes", "target")
	f.Fuzz(func(t *testing.T, b []byte) {
		hp := hyperparamsFrom(b)
		// The length picks the algorithm and the task, so that every seed
		// costs one training.
		alg, task, d := algXGBoost, algorithms.Classification, iris
		if len(b)%4 >= 2 {
			alg = algRF
		}
		if len(b)%2 == 1 {
			task, d = algorithms.Regression, diabetes
		}
		m, err := Train(context.Background(), alg, task, d.x, d.y, hp)
		if err != nil {
			if strings.Contains(err.Error(), "training process") {
				t.Fatalf("%s %v %v: %v", alg, task, hp, err)
			}
			return
		}
		predict(t, m, d.x)
	})
}

// TestThreadCountCapped: a thread count beyond the processors trains with
// the processors (it segfaulted libxgboost when passed on).
func TestThreadCountCapped(t *testing.T) {
	d := readCSV(t, "iris", "target")
	for _, key := range []string{"nthread", "n_jobs"} {
		train(t, "xgboost", algorithms.Classification, d, algorithms.Hyperparams{key: 100000.0, "n_estimators": 2.0})
	}
	cfg, err := parseConfig(algXGBoost, algorithms.Classification, 3, algorithms.Hyperparams{"nthread": 100000.0})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.nthread != algorithms.Workers(0) {
		t.Errorf("nthread 100000 became %d, want GOMAXPROCS %d", cfg.nthread, algorithms.Workers(0))
	}
}
