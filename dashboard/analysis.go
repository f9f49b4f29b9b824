package dashboard

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"sort"
)

// Analysis is the shape of pgml.models.analysis (version 1), stored at training time.
type Analysis struct {
	Version         int `json:"version"`
	ConfusionMatrix *struct {
		Labels []json.RawMessage `json:"labels"`
		Counts [][]float64       `json:"counts"`
	} `json:"confusion_matrix"`
	ROC []struct {
		Class json.RawMessage `json:"class"`
		FPR   []float64       `json:"fpr"`
		TPR   []float64       `json:"tpr"`
		AUC   *float64        `json:"auc"`
	} `json:"roc"`
	PrecisionRecall []struct {
		Class            json.RawMessage `json:"class"`
		Recall           []float64       `json:"recall"`
		Precision        []float64       `json:"precision"`
		AveragePrecision *float64        `json:"average_precision"`
	} `json:"precision_recall"`
	PredictedVsActual *struct {
		Actual    []float64 `json:"actual"`
		Predicted []float64 `json:"predicted"`
	} `json:"predicted_vs_actual"`
	ResidualQuantiles *struct {
		Q     []float64 `json:"q"`
		Value []float64 `json:"value"`
	} `json:"residual_quantiles"`
	FeatureImportance *struct {
		Method     string    `json:"method"`
		Features   []string  `json:"features"`
		Importance []float64 `json:"importance"`
	} `json:"feature_importance"`
}

// Chart is one rendered chart with its heading.
type Chart struct {
	Title string
	Note  string
	SVG   template.HTML
}

// classLabel spells a class label (a JSON number or string) for display.
func classLabel(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func withScore(name string, score *float64, what string) string {
	if score == nil {
		return name
	}
	return fmt.Sprintf("%s (%s %s)", name, what, label(*score))
}

// maxBars bounds the feature importance chart; the rest are summarised in its note.
const maxBars = 25

// AnalysisCharts renders every part of a stored analysis that is present; an error names
// a document that is not JSON of the expected shape.
func AnalysisCharts(doc []byte) ([]Chart, error) {
	var a Analysis
	if err := json.Unmarshal(doc, &a); err != nil {
		return nil, fmt.Errorf("the stored analysis is not of the documented shape: %w", err)
	}
	var charts []Chart
	if cm := a.ConfusionMatrix; cm != nil && len(cm.Labels) > 0 {
		labels := make([]string, len(cm.Labels))
		for i, l := range cm.Labels {
			labels[i] = classLabel(l)
		}
		charts = append(charts, Chart{Title: "Confusion matrix", Note: "shade: the share of the actual class's row",
			SVG: Heatmap("confusion-matrix", "Confusion matrix", labels, cm.Counts)})
	}
	if len(a.ROC) > 0 {
		var series []Series
		for _, c := range a.ROC {
			series = append(series, Series{Name: withScore("class "+classLabel(c.Class), c.AUC, "AUC"), X: c.FPR, Y: c.TPR})
		}
		charts = append(charts, Chart{Title: "ROC curve", SVG: Curves("roc", "ROC curve", "false positive rate", "true positive rate", series, true)})
	}
	if len(a.PrecisionRecall) > 0 {
		var series []Series
		for _, c := range a.PrecisionRecall {
			series = append(series, Series{Name: withScore("class "+classLabel(c.Class), c.AveragePrecision, "AP"), X: c.Recall, Y: c.Precision})
		}
		charts = append(charts, Chart{Title: "Precision-recall curve", SVG: Curves("precision-recall", "Precision-recall curve", "recall", "precision", series, false)})
	}
	if pa := a.PredictedVsActual; pa != nil && len(pa.Actual) > 0 {
		charts = append(charts, Chart{Title: "Predicted vs actual", Note: fmt.Sprintf("%d test rows (a sample)", min(len(pa.Actual), len(pa.Predicted))),
			SVG: Scatter("predicted-vs-actual", "Predicted vs actual", "actual", "predicted", pa.Actual, pa.Predicted)})
	}
	if rq := a.ResidualQuantiles; rq != nil && len(rq.Q) > 0 {
		charts = append(charts, Chart{Title: "Residual quantiles", Note: "quantiles of the test residuals",
			SVG: Lines("residual-quantiles", "Residual quantiles", "quantile", "residual", []Series{{Name: "residual", X: rq.Q, Y: rq.Value}})})
	}
	if fi := a.FeatureImportance; fi != nil && len(fi.Features) > 0 {
		names, values := topByMagnitude(fi.Features, fi.Importance, maxBars)
		note := "method: " + fi.Method
		if len(names) < len(fi.Features) {
			note += fmt.Sprintf("; the %d largest of %d features", len(names), len(fi.Features))
		}
		charts = append(charts, Chart{Title: "Feature importance", Note: note, SVG: Bars("feature-importance", "Feature importance", names, values)})
	}
	return charts, nil
}

// topByMagnitude orders features by the absolute value of their importance, largest first,
// and keeps at most n.
func topByMagnitude(names []string, values []float64, n int) ([]string, []float64) {
	idx := make([]int, min(len(names), len(values)))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return math.Abs(values[idx[a]]) > math.Abs(values[idx[b]]) })
	idx = idx[:min(len(idx), n)]
	outNames, outValues := make([]string, len(idx)), make([]float64, len(idx))
	for i, j := range idx {
		outNames[i], outValues[i] = names[j], values[j]
	}
	return outNames, outValues
}
