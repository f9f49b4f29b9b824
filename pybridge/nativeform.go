package pybridge

import (
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/linear"
)

// nativeExport is the worker's answer about a fitted estimator's native form (bridge.py
// export_native): the parameters of a model pgml predicts in Go, or why there are none.
// Replies of workers that predate it have none: the fit then has no native form.
type nativeExport struct {
	Reason string        `json:"reason"`
	Linear *linearExport `json:"linear"`
	Trees  *treesExport  `json:"trees"`
	// XGBoost is an XGBoost model's booster (nativeform_xgboost.go).
	XGBoost *xgboostExport `json:"xgboost"`
	// The kernel models, clusterers and PCA (nativeform_kernels.go).
	Kernels *kernelsExport `json:"kernels"`
	Centres *centresExport `json:"centres"`
	PCA     *pcaExport     `json:"pca"`
	blocks  [][]byte       // the fit reply's blocks that hold the export's arrays (nativeform_trees.go)
}

// linearExport holds a linear estimator's coef_ (scores × features, row-major) and
// intercept_, and a classifier's classes_ and how it computes probabilities.
type linearExport struct {
	Algorithm     string    `json:"algorithm"`
	NumFeatures   int       `json:"n_features"`
	Coef          []float64 `json:"coef"`
	Intercept     []float64 `json:"intercept"`
	Classes       []float64 `json:"classes"`
	Probabilities string    `json:"probabilities"`
}

var linearProbabilities = map[string]linear.Probabilities{
	"none": linear.NoProbabilities, "ovr": linear.OneVsRestProbabilities, "softmax": linear.SoftmaxProbabilities,
	"modified_huber": linear.ModifiedHuberProbabilities,
}

// nativeForm decodes the export into a model, or says why there is none. The model is not
// yet trusted: the lifecycle compares its predictions with scikit-learn's first.
func (n *nativeExport) nativeForm(task algorithms.Task) (algorithms.Model, string) {
	switch {
	case n == nil:
		return nil, "the python worker exported no native form"
	case n.Trees != nil:
		return n.Trees.nativeForm(task, n.blocks)
	case n.XGBoost != nil:
		return n.XGBoost.nativeForm(task, n.blocks)
	case n.Kernels != nil:
		return n.Kernels.nativeForm(task, n.blocks)
	case n.Centres != nil:
		return n.Centres.nativeForm(n.blocks)
	case n.PCA != nil:
		return n.PCA.nativeForm(n.blocks)
	case n.Linear == nil && n.Reason != "":
		return nil, n.Reason
	case n.Linear == nil:
		return nil, "the python worker exported no native form"
	}
	probabilities, ok := linearProbabilities[n.Linear.Probabilities]
	if !ok {
		return nil, fmt.Sprintf("the python worker exported probabilities of an unknown form %q", n.Linear.Probabilities)
	}
	m, err := linear.NewExported(n.Linear.Algorithm, task, n.Linear.NumFeatures, n.Linear.Coef, n.Linear.Intercept, n.Linear.Classes, probabilities)
	if err != nil {
		return nil, err.Error()
	}
	return m, ""
}

// NativeForm is the fitted estimator as a native model, or nil and why it has none.
func (f *Fitted) NativeForm() (algorithms.Model, string) {
	return f.native.nativeForm(f.Task())
}

// NativeForm is the viewed model's native form, when it is a fit that has one.
func (r regressorView) NativeForm() (algorithms.Model, string) {
	if f, ok := r.m.(*Fitted); ok {
		return f.NativeForm()
	}
	return nil, "a loaded python model has no native form"
}
