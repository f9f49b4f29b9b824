package lifecycle

import (
	"context"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/cluster"
	"github.com/pgml-go/pgml/algorithms/metrics"
)

// score computes PostgresML 2.x's test metrics, and returns the predictions they come from
// (the analysis of analysis.go starts from them); an empty test set gives none.
func score(ctx context.Context, model algorithms.Model, task algorithms.Task, x, y algorithms.Matrix) (map[string]float64, []float64, error) {
	if x.Rows == 0 {
		return map[string]float64{}, nil, nil
	}
	predicted := make([]float64, x.Rows*model.NumOutputs())
	if err := predictRows(ctx, model, predicted, x.Data); err != nil {
		return nil, nil, err
	}
	switch task {
	case algorithms.Classification:
		m := metrics.Classification(y.Data, predicted)
		if err := addBinaryProbabilityMetrics(ctx, m, model, x, y); err != nil {
			return nil, nil, err
		}
		return m, predicted, nil
	case algorithms.Clustering:
		return map[string]float64{"silhouette": silhouette(x, predicted)}, predicted, nil
	case algorithms.Decomposition:
		return map[string]float64{"cumulative_explained_variance": cumulativeExplainedVariance(model)}, predicted, nil
	}
	return metrics.Regression(y.Data, predicted), predicted, nil
}

// addBinaryProbabilityMetrics adds roc_auc and log_loss for a two-class model that gives
// probabilities, computed from the positive class's probability (as PostgresML 1.0 did; 2.x
// computed them from the predicted labels, which makes them a function of accuracy).
func addBinaryProbabilityMetrics(ctx context.Context, m map[string]float64, model algorithms.Model, x, y algorithms.Matrix) error {
	classifier, ok := model.(algorithms.Classifier)
	if !ok || len(classifier.Classes()) != 2 {
		return nil
	}
	if p, ok := model.(probabilityModel); ok && !p.HasPredictProba() {
		return nil
	}
	probs := make([]float64, 2*x.Rows)
	if err := predictProbabilityRows(ctx, model, classifier, probs, x.Data); err != nil {
		if ctx.Err() != nil {
			return err
		}
		// Not every classifier gives probabilities (e.g. hinge-loss SGD): no metric, no error.
		return nil
	}
	positiveClass := classifier.Classes()[1]
	positive := make([]bool, x.Rows)
	score := make([]float64, x.Rows)
	for r := range positive {
		positive[r] = y.Data[r] == positiveClass
		score[r] = probs[2*r+1]
	}
	m["roc_auc"] = metrics.BinaryROCAUC(positive, score)
	m["log_loss"] = metrics.BinaryLogLoss(positive, score)
	return nil
}

// silhouetteRows bounds the quadratic silhouette computation to the first rows of the test set.
const silhouetteRows = 5000

func silhouette(x algorithms.Matrix, clusters []float64) float64 {
	n := min(x.Rows, silhouetteRows)
	return cluster.Silhouette(algorithms.Matrix{Rows: n, Cols: x.Cols, Data: x.Data[:n*x.Cols]}, clusters[:n])
}

func cumulativeExplainedVariance(model algorithms.Model) float64 {
	pca, ok := model.(interface{ ExplainedVarianceRatio() []float64 })
	if !ok {
		return math.NaN()
	}
	total := 0.0
	for _, r := range pca.ExplainedVarianceRatio() {
		total += r
	}
	return total
}

// predictRows predicts many rows in chunks that stop on cancel; models whose prediction can
// fail (python) report their errors.
func predictRows(ctx context.Context, model algorithms.Model, dst, x []float64) error {
	checked, ok := model.(checkedPredictor)
	if !ok {
		return algorithms.PredictContext(ctx, model, dst, x)
	}
	p := model.NumFeatures()
	out := model.NumOutputs()
	return cancel.Chunks(ctx, len(x)/p, func(lo, hi int) error {
		return predictWith(model, checked, dst[lo*out:hi*out], x[lo*p:hi*p])
	})
}

// predictProbabilityRows is predictProbabilities in chunks that stop on cancel.
func predictProbabilityRows(ctx context.Context, model algorithms.Model, classifier algorithms.Classifier, dst, x []float64) error {
	p := model.NumFeatures()
	k := len(classifier.Classes())
	return cancel.Chunks(ctx, len(x)/p, func(lo, hi int) error {
		return predictProbabilities(model, classifier, dst[lo*k:hi*k], x[lo*p:hi*p])
	})
}

// closeModel releases what a model holds outside Go (a Python object) once it is stored.
func closeModel(model algorithms.Model) {
	switch c := model.(type) {
	case interface{ Close() }:
		c.Close()
	case interface{ Close() error }:
		_ = c.Close()
	}
}
