package pybridge

import (
	"context"
	"encoding"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/xgboost"
)

// xgboostTolerance is the lifecycle's for XGBoost's native forms (lifecycle/nativeform.go
// nativeToleranceOf): libxgboost sums its leaves in float32.
const xgboostTolerance = 1e-6

// The native forms of the python runtime's XGBoost models predict the held-out rows as the
// xgboost package did, probabilities included: every objective pgml's regressions accept
// that the toy targets allow, both boosters' trees (gbtree, dart) and gblinear, XGBoost's own
// multi-output regression, binary and multiclass classification, and the random forests.
func TestXGBoostNativeForms(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	toy := loadToySets(t)
	regression, joint, classification := toy.regression, toy.joint, toy.classification
	cancer := classification[:1]
	small := `{"n_estimators": 10}`
	cases := []nativeFormCase{
		{"xgboost", algorithms.Regression, small, joint},
		{"xgboost", algorithms.Regression, `{"n_estimators": 10, "objective": "count:poisson"}`, regression},
		{"xgboost", algorithms.Regression, `{"n_estimators": 10, "objective": "reg:gamma"}`, regression},
		{"xgboost", algorithms.Regression, `{"n_estimators": 10, "objective": "reg:tweedie"}`, regression},
		{"xgboost", algorithms.Regression, `{"n_estimators": 10, "objective": "reg:pseudohubererror"}`, regression},
		{"xgboost", algorithms.Regression, `{"n_estimators": 10, "objective": "reg:absoluteerror"}`, regression},
		{"xgboost", algorithms.Regression, `{"n_estimators": 10, "objective": "reg:squaredlogerror"}`, regression},
		// reg:logistic needs targets in [0, 1]: breast_cancer's labels as a regression.
		{"xgboost", algorithms.Regression, `{"n_estimators": 10, "objective": "reg:logistic"}`, cancer},
		{"xgboost", algorithms.Regression, `{"n_estimators": 10, "booster": "dart", "rate_drop": 0.2}`, regression},
		{"xgboost", algorithms.Regression, `{"n_estimators": 10, "booster": "gblinear"}`, regression},
		{"xgboost", algorithms.Classification, small, classification},
		{"xgboost", algorithms.Classification, `{"n_estimators": 10, "objective": "binary:hinge"}`, cancer},
		{"xgboost", algorithms.Classification, `{"n_estimators": 10, "booster": "dart", "rate_drop": 0.2}`, classification},
		{"xgboost_random_forest", algorithms.Regression, small, joint},
		{"xgboost_random_forest", algorithms.Classification, small, classification},
	}
	for _, c := range cases {
		for _, d := range c.sets {
			t.Run(c.alg+"/"+c.task.String()+"/"+c.hp+"/"+d.name, func(t *testing.T) {
				native, held := checkNativeForm(t, &w, c.alg, c.task, c.hp, d, xgboostTolerance)
				// Stored as the go runtime's xgboost models are, it loads back and predicts the same.
				stored, err := native.(encoding.BinaryMarshaler).MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				loaded, err := xgboost.Load(stored)
				if err != nil {
					t.Fatal(err)
				}
				got, again := make([]float64, held.Rows*native.NumOutputs()), make([]float64, held.Rows*native.NumOutputs())
				native.Predict(got, held.Data)
				loaded.Predict(again, held.Data)
				sameWithinOf(t, "loaded prediction", got, again, 0)
			})
		}
	}
}

// An XGBClassifier whose predictions libxgboost's differ from (binary:logitraw: it thresholds
// the margin at 0.5) has no native form, and says why.
func TestXGBoostNativeFormReasons(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	x, y := interleaved(loadCSV(t, "breast_cancer", "malignant"))
	fx, fy, held, _ := split(x, y, 400)
	f, err := w.Fit(context.Background(), WorkerConfig{Threads: 1}, FitRequest{Algorithm: "xgboost", Task: algorithms.Classification,
		X: fx, Y: fy, Held: held, Hyperparams: `{"n_estimators": 5, "objective": "binary:logitraw"}`, ExportNative: true})
	if err != nil {
		t.Fatal(err)
	}
	if native, reason := f.NativeForm(); native != nil || !strings.Contains(reason, "binary:logitraw") {
		t.Fatalf("native form %v, reason %q", native, reason)
	}
}
