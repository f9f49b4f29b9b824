package lifecycle

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/faults"
)

// metricsJSON drops values JSON cannot hold (NaN, Inf) rather than storing strings, and adds
// the search's results when there was one, and whether the model predicts natively
// (nativeform.go) when its runtime is not native.
func metricsJSON(m map[string]float64, searchResults map[string]any, nativeInference string) ([]byte, error) {
	clean := map[string]any{}
	for k, v := range m {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			clean[k] = v
		}
	}
	if searchResults != nil {
		clean["search_results"] = searchResults
	}
	if nativeInference != "" {
		clean[NativeInferenceKey] = nativeInference
	}
	return json.Marshal(clean)
}

func (sess *Session) storeModel(ctx context.Context, proj *project, snap *snapshot, algorithm string, rt Runtime, used algorithms.Hyperparams, req *TrainRequest, model algorithms.Model, native nativeConversion, m map[string]float64, searchResults map[string]any, analysisJSON []byte) (int64, error) {
	metricsText, err := metricsJSON(m, searchResults, native.status)
	if err != nil {
		return 0, err
	}
	hyperparams, err := json.Marshal(used)
	if err != nil {
		return 0, err
	}
	var search any
	if req.SearchGiven {
		search = req.Search
	}
	var analysisValue any // NULL without a test split
	if analysisJSON != nil {
		analysisValue = JSONB(analysisJSON)
	}
	withAnalysis, err := sess.modelsHaveAnalysis()
	if err != nil {
		return 0, err
	}
	insert := `INSERT INTO pgml.models (project_id, snapshot_id, num_features, algorithm, runtime, hyperparams, status, metrics, search, search_params, search_args, analysis)
		VALUES ($1, $2, $3, $4, $5, $6, 'successful', $7, $8, $9, $10, $11) RETURNING id`
	args := []any{proj.id, snap.id, model.NumFeatures(), algorithm, rt.Name(), JSONB(hyperparams), JSONB(metricsText), search,
		JSONB(orEmptyObject(req.SearchParams)), JSONB(orEmptyObject(req.SearchArgs)), analysisValue}
	if !withAnalysis {
		insert = `INSERT INTO pgml.models (project_id, snapshot_id, num_features, algorithm, runtime, hyperparams, status, metrics, search, search_params, search_args)
		VALUES ($1, $2, $3, $4, $5, $6, 'successful', $7, $8, $9, $10) RETURNING id`
		args = args[:len(args)-1]
	}
	rows, err := sess.query(insert, args...)
	if err != nil {
		return 0, err
	}
	modelID := rows[0].Int64(0)
	if err := sess.stallIfInjected(faults.StallStoring); err != nil {
		return 0, err
	}
	bytes, err := algorithms.MarshalContext(ctx, model)
	if err != nil {
		return 0, interrupted(ctx, fmt.Errorf("pgml: serializing the model: %w", err))
	}
	if err := sess.storeModelFile(modelID, rt.FilePath(), bytes); err != nil {
		return 0, err
	}
	if native.model == nil {
		return modelID, nil
	}
	if bytes, err = algorithms.MarshalContext(ctx, native.model); err != nil {
		return 0, interrupted(ctx, fmt.Errorf("pgml: serializing the model's native form: %w", err))
	}
	if err := sess.storeModelFile(modelID, NativeFormPath, bytes); err != nil {
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

// modelsHaveAnalysis reports whether pgml.models has its analysis column: not before ALTER
// EXTENSION pgml UPDATE to 0.3.0 (the library is replaced first), when models are stored
// without their analysis.
func (sess *Session) modelsHaveAnalysis() (bool, error) {
	rows, err := sess.queryReadOnly(`SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
		WHERE attrelid = 'pgml.models'::pg_catalog.regclass AND attname = 'analysis' AND NOT attisdropped)`)
	if err != nil {
		return false, err
	}
	return rows[0].Bool(0), nil
}
