package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/cluster"
	"github.com/pgml-go/pgml/algorithms/faults"
	"github.com/pgml-go/pgml/algorithms/metrics"
)

// score computes PostgresML 2.x's test metrics; an empty test set gives none.
func score(ctx context.Context, model algorithms.Model, task algorithms.Task, x, y algorithms.Matrix) (map[string]float64, error) {
	if x.Rows == 0 {
		return map[string]float64{}, nil
	}
	predicted := make([]float64, x.Rows*model.NumOutputs())
	if err := predictRows(ctx, model, predicted, x.Data); err != nil {
		return nil, err
	}
	switch task {
	case algorithms.Classification:
		m := metrics.Classification(y.Data, predicted)
		if err := addBinaryProbabilityMetrics(ctx, m, model, x, y); err != nil {
			return nil, err
		}
		return m, nil
	case algorithms.Clustering:
		return map[string]float64{"silhouette": silhouette(x, predicted)}, nil
	case algorithms.Decomposition:
		return map[string]float64{"cumulative_explained_variance": cumulativeExplainedVariance(model)}, nil
	}
	return metrics.Regression(y.Data, predicted), nil
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

// targetMetric is the metric that ranks models of a task (higher is better).
func targetMetric(task algorithms.Task) string {
	switch task {
	case algorithms.Classification:
		return "f1"
	case algorithms.Clustering:
		return "silhouette"
	case algorithms.Decomposition:
		return "cumulative_explained_variance"
	}
	return "r2"
}

// metricsJSON drops values JSON cannot hold (NaN, Inf) rather than storing strings, and adds
// the search's results when there was one.
func metricsJSON(m map[string]float64, searchResults map[string]any) ([]byte, error) {
	clean := map[string]any{}
	for k, v := range m {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			clean[k] = v
		}
	}
	if searchResults != nil {
		clean["search_results"] = searchResults
	}
	return json.Marshal(clean)
}

func storeModel(ctx context.Context, proj *project, snap *snapshot, algorithm string, rt modelRuntime, used algorithms.Hyperparams, req *trainRequest, model algorithms.Model, m map[string]float64, searchResults map[string]any) (int64, error) {
	metricsText, err := metricsJSON(m, searchResults)
	if err != nil {
		return 0, err
	}
	hyperparams, err := json.Marshal(used)
	if err != nil {
		return 0, err
	}
	var search any
	if req.searchGiven {
		search = req.search
	}
	rows, err := query(`INSERT INTO pgml.models (project_id, snapshot_id, num_features, algorithm, runtime, hyperparams, status, metrics, search, search_params, search_args)
		VALUES ($1, $2, $3, $4, $5, $6, 'successful', $7, $8, $9, $10) RETURNING id`,
		proj.id, snap.id, model.NumFeatures(), algorithm, rt.name(), jsonb(hyperparams), jsonb(metricsText), search,
		jsonb(orEmptyObject(req.searchParams)), jsonb(orEmptyObject(req.searchArgs)))
	if err != nil {
		return 0, err
	}
	modelID := rows[0].int64(0)
	if err := stallIfInjected(faults.StallStoring); err != nil {
		return 0, err
	}
	bytes, err := algorithms.MarshalContext(ctx, model)
	if err != nil {
		return 0, interrupted(ctx, fmt.Errorf("pgml: serializing the model: %w", err))
	}
	if err := storeModelFile(modelID, rt.modelPath(), bytes); err != nil {
		return 0, err
	}
	return modelID, nil
}

func orEmptyObject(s string) string {
	if s == "" {
		return "{}"
	}
	return s
}

// deployIfAllowedAndBetter deploys automatically for a role that may deploy (EXECUTE on
// pgml.deploy): training and deploying are separate privileges (docs/privileges.md).
func deployIfAllowedAndBetter(proj *project, modelID int64, m map[string]float64) (bool, error) {
	allowed, err := callerMayDeploy()
	if err != nil {
		return false, err
	}
	if !allowed {
		return false, notice("not deploying the new model: this role may train but not deploy (it has no EXECUTE on pgml.deploy)")
	}
	return deployIfBetter(proj, modelID, m)
}

// deployIfBetter applies PostgresML 2.x's rule: deploy unless the deployed model is strictly
// better on the task's metric, compared as numbers.
func deployIfBetter(proj *project, modelID int64, m map[string]float64) (bool, error) {
	key := targetMetric(proj.task)
	rows, err := query(`SELECT m.id, CASE WHEN jsonb_typeof(m.metrics -> $2) = 'number' THEN (m.metrics ->> $2)::float8 END
		FROM pgml.deployments d JOIN pgml.models m ON m.id = d.model_id
		WHERE d.project_id = $1 ORDER BY d.id DESC LIMIT 1`, proj.id, key)
	if err != nil {
		return false, err
	}
	newValue, newOK := m[key]
	newOK = newOK && !math.IsNaN(newValue)
	if len(rows) == 1 {
		deployedHas := !rows[0][1].null
		switch {
		case deployedHas && !newOK:
			return false, notice("not deploying: the new model has no %s, the deployed model %s has one", key, rows[0].str(0))
		case deployedHas && newOK:
			var deployedValue float64
			fmt.Sscan(rows[0].str(1), &deployedValue)
			if deployedValue > newValue {
				return false, notice("not deploying: the deployed model %s has %s %.6g, better than this model's %.6g", rows[0].str(0), key, deployedValue, newValue)
			}
		}
	}
	if err := insertDeployment(proj.id, modelID, "new_score"); err != nil {
		return false, err
	}
	return true, nil
}

func insertDeployment(projectID, modelID int64, strategy string) error {
	_, err := query(`INSERT INTO pgml.deployments (project_id, model_id, strategy) VALUES ($1, $2, $3)`, projectID, modelID, strategy)
	return err
}
