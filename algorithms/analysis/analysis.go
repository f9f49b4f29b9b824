package analysis

import (
	"encoding/json"
	"math"
)

// Version is the version of the JSON shape; docs/analysis.md describes it.
const Version = 1

// Analysis is the JSON stored in pgml.models.analysis. Sections that do not apply to a
// model's task, or could not be computed, are left out; search stays null because the
// candidate × fold table is already in the model's metrics (search_results).
type Analysis struct {
	Version           int                `json:"version"`
	ConfusionMatrix   *ConfusionMatrix   `json:"confusion_matrix,omitempty"`
	ROC               []ROCCurve         `json:"roc,omitempty"`
	PrecisionRecall   []PRCurve          `json:"precision_recall,omitempty"`
	PredictedVsActual *PredictedVsActual `json:"predicted_vs_actual,omitempty"`
	ResidualQuantiles *ResidualQuantiles `json:"residual_quantiles,omitempty"`
	FeatureImportance *FeatureImportance `json:"feature_importance,omitempty"`
	Search            any                `json:"search"`
}

// New returns an empty analysis of the current version.
func New() *Analysis { return &Analysis{Version: Version} }

// MarshalJSON leaves out any section holding a value JSON cannot represent (NaN, ±Inf)
// rather than failing or storing strings.
func (a *Analysis) MarshalJSON() ([]byte, error) {
	type plain Analysis
	c := plain(*a)
	if c.ConfusionMatrix != nil && len(c.ConfusionMatrix.Labels) > 0 && !finite(c.ConfusionMatrix.Labels...) {
		c.ConfusionMatrix = nil
	}
	var roc []ROCCurve
	for _, r := range c.ROC {
		if finite(r.Class, r.AUC) && finite(r.FPR...) && finite(r.TPR...) {
			roc = append(roc, r)
		}
	}
	c.ROC = roc
	var pr []PRCurve
	for _, r := range c.PrecisionRecall {
		if finite(r.Class, r.AveragePrecision) && finite(r.Recall...) && finite(r.Precision...) {
			pr = append(pr, r)
		}
	}
	c.PrecisionRecall = pr
	if p := c.PredictedVsActual; p != nil && !(finite(p.Actual...) && finite(p.Predicted...)) {
		c.PredictedVsActual = nil
	}
	if q := c.ResidualQuantiles; q != nil && !finite(q.Value...) {
		c.ResidualQuantiles = nil
	}
	if f := c.FeatureImportance; f != nil && !finite(f.Importance...) {
		c.FeatureImportance = nil
	}
	return json.Marshal(c)
}

func finite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// downsample returns at most max indices into [0, n), evenly spaced, always including the
// first and the last: the same points for the same n, whatever the data.
func downsample(n, max int) []int {
	if n <= max {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	idx := make([]int, max)
	for k := range idx {
		idx[k] = int(math.Round(float64(k) * float64(n-1) / float64(max-1)))
	}
	return idx
}

func pick(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}
