package lifecycle

import (
	"encoding/json"
	"errors"
	"math"
	"strings"

	"github.com/pgml-go/pgml/algorithms/metrics"
)

// PostgresML 2.x's sklearn_* utility functions (docs/sql-reference.md): the checks name the
// SQL arguments (ground_truth, y_hat) where the metrics package names scikit-learn's.

// checkMetricInputs checks the two arrays as PostgresML's helpers would see them.
func checkMetricInputs(yTrue, yPred []float64) error {
	if len(yTrue) != len(yPred) {
		return Errorf(StateInvalidParameter, "ground_truth and y_hat have different lengths (%d and %d)", len(yTrue), len(yPred))
	}
	if len(yTrue) == 0 {
		return Errorf(StateInvalidParameter, "ground_truth and y_hat must not be empty")
	}
	for _, a := range []struct {
		name string
		v    []float64
	}{{"ground_truth", yTrue}, {"y_hat", yPred}} {
		for i, v := range a.v {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Errorf(StateInvalidParameter, "%s contains %v (element %d); metrics need finite values", a.name, v, i+1)
			}
		}
	}
	return nil
}

func metricError(err error) error {
	if errors.Is(err, metrics.ErrInvalidInput) {
		msg := strings.TrimPrefix(err.Error(), metrics.ErrInvalidInput.Error()+": ")
		msg = strings.NewReplacer("y_true", "ground_truth", "y_pred", "y_hat").Replace(msg)
		return Errorf(StateInvalidParameter, "%s", msg)
	}
	return err
}

// SklearnScore is sklearn_f1_score (score = metrics.F1Score) or sklearn_r2_score.
func SklearnScore(score func(yTrue, yPred []float64) (float64, error), yTrue, yPred []float64) (float64, error) {
	if err := checkMetricInputs(yTrue, yPred); err != nil {
		return 0, err
	}
	v, err := score(yTrue, yPred)
	if err != nil {
		return 0, metricError(err)
	}
	return v, nil
}

// SklearnRegressionMetrics is sklearn_regression_metrics as a JSON object.
func SklearnRegressionMetrics(yTrue, yPred []float64) (string, error) {
	if err := checkMetricInputs(yTrue, yPred); err != nil {
		return "", err
	}
	scores, err := metrics.RegressionScores(yTrue, yPred)
	if err != nil {
		return "", metricError(err)
	}
	return sklearnMetricsJSON(scores)
}

// SklearnClassificationMetrics is sklearn_classification_metrics as a JSON object; two
// classes add roc_auc (computed from the labels, as 2.x does).
func SklearnClassificationMetrics(yTrue, yPred []float64, numClasses int64) (string, error) {
	if err := checkMetricInputs(yTrue, yPred); err != nil {
		return "", err
	}
	scores, err := metrics.ClassificationScores(yTrue, yPred)
	if err == nil && numClasses == 2 {
		var auc float64
		auc, err = metrics.ROCAUCScore(yTrue, yPred)
		scores["roc_auc"] = auc
	}
	if err != nil {
		return "", metricError(err)
	}
	return sklearnMetricsJSON(scores)
}

// sklearnMetricsJSON writes scores as float4 values (shortest form), NaN and infinities as
// null: 2.x returns f32 values, and serde_json writes NaN as null.
func sklearnMetricsJSON(scores map[string]float64) (string, error) {
	obj := make(map[string]any, len(scores))
	for k, v := range scores {
		f := float32(v)
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			obj[k] = nil
		} else {
			obj[k] = f
		}
	}
	b, err := json.Marshal(obj)
	return string(b), err
}
