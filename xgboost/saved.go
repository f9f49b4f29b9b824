package xgboost

import (
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/treeensemble"
)

// FromSaved is the model of a booster XGBoost trained elsewhere and saved as UBJSON: the
// python runtime's XGBRegressor and XGBClassifier (their native form, issue 11;
// pybridge/nativeform_xgboost.go). It predicts as this package's own models do, natively, and
// is stored in their format. classes are a classifier's labels (XGBClassifier's classes_ are
// 0 to k-1), targets a regressor's outputs: XGBRegressor fits several targets in one booster.
func FromSaved(algorithm string, task algorithms.Task, features, targets int, classes []float64, ubj []byte) (algorithms.Model, error) {
	if algorithm != algXGBoost && algorithm != algRF {
		return nil, fmt.Errorf("xgboost: unknown algorithm %q", algorithm)
	}
	b, err := treeensemble.ReadXGBoost(ubj)
	if err != nil {
		return nil, err
	}
	m := &model{algorithm: algorithm, task: task, nFeatures: features, nTargets: targets,
		objective: b.Objective, inplace: b.Booster != "gblinear"}
	switch task {
	case algorithms.Classification:
		if targets != 1 || len(classes) < 2 {
			return nil, fmt.Errorf("xgboost: a classifier of %d targets and %d classes", targets, len(classes))
		}
		// XGBClassifier.predict takes the class of probability > 0.5 even of binary:logitraw's
		// margins, and its predict_proba of multi:softmax is a softmax of margins this package
		// does not keep: only the objectives both predict alike are converted.
		if m.objective != "binary:logistic" && m.objective != "binary:hinge" && m.objective != "multi:softprob" {
			return nil, fmt.Errorf("xgboost: XGBClassifier predicts objective %q otherwise than libxgboost's predictions", m.objective)
		}
		if err := checkObjective(task, len(classes), m.objective); err != nil {
			return nil, err
		}
		m.classes = append([]float64(nil), classes...)
	case algorithms.Regression:
		if targets < 1 || len(classes) != 0 {
			return nil, fmt.Errorf("xgboost: a regressor of %d targets and %d classes", targets, len(classes))
		}
	default:
		return nil, fmt.Errorf("xgboost: unsupported task %v", task)
	}
	if err := m.readBoosters([][]byte{ubj}); err != nil {
		return nil, err
	}
	return m.wrap(), nil
}
