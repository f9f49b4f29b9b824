package pybridge

import (
	"encoding/json"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
)

// modelInfo is bridge.py's describe(est): what Go needs to know of a fitted estimator.
type modelInfo struct {
	Algorithm    string    `json:"algorithm"`
	Task         string    `json:"task"`
	NFeatures    int       `json:"n_features"`
	NOutputs     int       `json:"n_outputs"`
	Classes      []float64 `json:"classes"`
	PredictProba bool      `json:"predict_proba"`
	Class        string    `json:"class"`
	// ExplainedVarianceRatio is the decomposition's explained_variance_ratio_.
	ExplainedVarianceRatio []float64 `json:"explained_variance_ratio"`
}

// estimator is what *Model (an estimator in the embedded interpreter) and *Fitted (an
// estimator fitted by the worker) share: the description and the prediction methods,
// built over one function that predicts rows whose shapes were checked.
type estimator struct {
	algorithm  string
	task       algorithms.Task
	nFeatures  int
	nOutputs   int
	classes    []float64
	hasProba   bool
	pythonType string
	evr        []float64 // explained_variance_ratio_ of a decomposition
	// predictRows writes rows predictions (or probabilities) of x into dst.
	predictRows func(dst, x []float64, rows int, proba bool) error
}

// newEstimator reads a description; algorithm "" takes the one derived from the class.
func newEstimator(info modelInfo, algorithm string) (estimator, error) {
	task, err := algorithms.ParseTask(info.Task)
	if err != nil {
		return estimator{}, err
	}
	if algorithm == "" {
		algorithm = info.Algorithm
	}
	if info.NOutputs < 1 {
		info.NOutputs = 1
	}
	return estimator{
		algorithm:  algorithm,
		task:       task,
		nFeatures:  info.NFeatures,
		nOutputs:   info.NOutputs,
		classes:    info.Classes,
		hasProba:   info.PredictProba,
		pythonType: info.Class,
		evr:        info.ExplainedVarianceRatio,
	}, nil
}

func parseModelInfo(js string) (modelInfo, error) {
	var info modelInfo
	if err := json.Unmarshal([]byte(js), &info); err != nil {
		return info, fmt.Errorf("pybridge: bad model description %q: %w", js, err)
	}
	return info, nil
}

// Algorithm is the algorithm name given to Train or Fit, or derived from the
// estimator's class after Load.
func (e *estimator) Algorithm() string { return e.algorithm }

// Task is the estimator's task: classification (sklearn.base.is_classifier),
// clustering (a clusterer: _estimator_type "clusterer"), decomposition (a
// fitted transformer without predict that has components_, i.e. PCA) or
// regression (anything else with predict).
func (e *estimator) Task() algorithms.Task { return e.task }

// NumFeatures is the estimator's n_features_in_.
func (e *estimator) NumFeatures() int { return e.nFeatures }

// NumOutputs is the number of values Predict writes per row: the number of
// regression targets, 1 for classifiers and clusterers (the cluster index),
// n_components_ for a decomposition (the transformed row).
func (e *estimator) NumOutputs() int { return e.nOutputs }

// Classes returns the classifier's classes_ (sorted; nil for regressors).
func (e *estimator) Classes() []float64 { return e.classes }

// HasPredictProba reports whether the estimator has predict_proba (e.g.
// RidgeClassifier, Perceptron and SVC without probability=true do not).
func (e *estimator) HasPredictProba() bool { return e.hasProba }

// ExplainedVarianceRatio is a decomposition's explained_variance_ratio_
// (NumOutputs values, largest first); nil for the other tasks. The caller
// must not modify it.
func (e *estimator) ExplainedVarianceRatio() []float64 {
	if e.task != algorithms.Decomposition {
		return nil
	}
	return e.evr
}

// PythonClass is the estimator's module-qualified class name.
func (e *estimator) PythonClass() string { return e.pythonType }

// IsClassifier reports whether the model is a classifier.
func (e *estimator) IsClassifier() bool { return e.task == algorithms.Classification }

func (e *estimator) rows(lenDst, lenX, perRow int) (int, error) {
	p := e.nFeatures
	if p <= 0 || lenX%p != 0 {
		return 0, fmt.Errorf("model expects %d features per row, got %d values", p, lenX)
	}
	rows := lenX / p
	if lenDst != rows*perRow {
		return 0, fmt.Errorf("destination holds %d values, want %d (%d rows × %d)", lenDst, rows*perRow, rows, perRow)
	}
	return rows, nil
}

func (e *estimator) predict(dst, x []float64, proba bool) (err error) {
	defer recoverPanic(&err)
	perRow := e.nOutputs
	if proba {
		if !e.IsClassifier() {
			return fmt.Errorf("You can't predict probabilities for a %s model", e.task)
		}
		perRow = len(e.classes)
	}
	rows, err := e.rows(len(dst), len(x), perRow)
	if err != nil || rows == 0 {
		return err
	}
	return e.predictRows(dst, x, rows, proba)
}

// PredictChecked writes NumOutputs predictions per row of x into dst (class
// labels for classifiers, cluster indexes for clusterers, the transformed
// row for a decomposition), returning shape and Python errors.
func (e *estimator) PredictChecked(dst, x []float64) error { return e.predict(dst, x, false) }

// PredictProbaChecked writes len(Classes()) probabilities per row, in the
// order of Classes.
func (e *estimator) PredictProbaChecked(dst, x []float64) error { return e.predict(dst, x, true) }

// Predict implements algorithms.Model: it panics on a shape mismatch, like
// the native models, and also with the Python error text when Python fails.
// Callers that can handle errors use PredictChecked.
func (e *estimator) Predict(dst, x []float64) {
	if err := e.PredictChecked(dst, x); err != nil {
		panic(err.Error())
	}
}

// PredictProba implements algorithms.Classifier; panics like Predict.
func (e *estimator) PredictProba(dst, x []float64) {
	if err := e.PredictProbaChecked(dst, x); err != nil {
		panic(err.Error())
	}
}

// predictor is a fitted estimator of either kind, as AsModel's views see it.
type predictor interface {
	algorithms.Classifier
	PredictChecked(dst, x []float64) error
	PredictProbaChecked(dst, x []float64) error
	HasPredictProba() bool
	ExplainedVarianceRatio() []float64
	Close()
}

// asModel returns p as an algorithms.Model whose dynamic type implements
// algorithms.Classifier only when p is a classifier, and
// interface{ ExplainedVarianceRatio() []float64 } only when p is a
// decomposition.
func asModel(p predictor) algorithms.Model {
	switch p.Task() {
	case algorithms.Classification:
		return classifierView{regressorView{p}}
	case algorithms.Decomposition:
		return decompositionView{regressorView{p}}
	}
	return regressorView{p}
}

// regressorView exposes only the algorithms.Model methods of a regressor or
// clusterer.
type regressorView struct{ m predictor }

// decompositionView adds ExplainedVarianceRatio to a regressorView.
type decompositionView struct{ regressorView }

func (d decompositionView) ExplainedVarianceRatio() []float64 { return d.m.ExplainedVarianceRatio() }

// classifierView adds the probability methods to a regressorView.
type classifierView struct{ regressorView }

func (c classifierView) Classes() []float64            { return c.m.Classes() }
func (c classifierView) PredictProba(dst, x []float64) { c.m.PredictProba(dst, x) }
func (c classifierView) HasPredictProba() bool         { return c.m.HasPredictProba() }
func (c classifierView) PredictProbaChecked(dst, x []float64) error {
	return c.m.PredictProbaChecked(dst, x)
}

func (r regressorView) Algorithm() string              { return r.m.Algorithm() }
func (r regressorView) Task() algorithms.Task          { return r.m.Task() }
func (r regressorView) NumFeatures() int               { return r.m.NumFeatures() }
func (r regressorView) NumOutputs() int                { return r.m.NumOutputs() }
func (r regressorView) Predict(dst, x []float64)       { r.m.Predict(dst, x) }
func (r regressorView) MarshalBinary() ([]byte, error) { return r.m.MarshalBinary() }

// PredictChecked and Close are what callers use beyond algorithms.Model: prediction that
// reports Python errors, and releasing what the model holds.
func (r regressorView) PredictChecked(dst, x []float64) error { return r.m.PredictChecked(dst, x) }
func (r regressorView) Close()                                { r.m.Close() }

// FeatureImportance is the viewed model's own feature importances, when it is a fit that
// reported them (a loaded model does not keep them).
func (r regressorView) FeatureImportance() (method string, importance []float64, ok bool) {
	if f, ok := r.m.(*Fitted); ok {
		return f.FeatureImportance()
	}
	return "", nil, false
}

var (
	_ algorithms.Classifier                           = classifierView{}
	_ algorithms.Model                                = regressorView{}
	_ algorithms.Model                                = decompositionView{}
	_ interface{ ExplainedVarianceRatio() []float64 } = decompositionView{}
)
