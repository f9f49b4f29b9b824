package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Setting is one hyperparameter or search argument, its value as JSON text.
type Setting struct{ Name, Value string }

// SearchCandidate is one row of a hyperparameter search's candidate × fold table.
type SearchCandidate struct {
	Rank       string
	Params     string
	Mean, Std  *float64
	FoldScores []*float64
	Best       bool
}

// SearchTable is the search results stored in metrics.search_results (scikit-learn's cv_results_).
type SearchTable struct {
	Folds      int
	Candidates []SearchCandidate
}

// ModelPage is one model with everything stored about it.
type ModelPage struct {
	ModelSummary
	Project, Task string
	KeyMetric     string
	NumFeatures   int
	Hyperparams   []Setting
	SearchParams  []Setting
	Search        *SearchTable
	Snapshot      string // relation name of its snapshot, when it has one
	// HasAnalysisColumn is false on extension versions without pgml.models.analysis.
	HasAnalysisColumn bool
	Analysis          []byte
}

// Model reads one model.
func (s *Store) Model(ctx context.Context, id int64) (*ModelPage, error) {
	page := &ModelPage{}
	err := s.read(ctx, func(tx pgx.Tx) error {
		ms, err := models(ctx, tx, "id = $1", id)
		if err != nil {
			return err
		}
		if len(ms) == 0 {
			return ErrNotFound
		}
		page.ModelSummary = ms[0]
		var hyperparams, searchParams, metrics []byte
		var relation *string
		err = tx.QueryRow(ctx, `SELECT p.name, p.task, m.num_features, m.hyperparams, m.search_params, m.metrics, s.relation_name,
			       (SELECT d.model_id FROM pgml.deployments d WHERE d.project_id = p.id ORDER BY d.id DESC LIMIT 1) IS NOT DISTINCT FROM m.id
			FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
			LEFT JOIN pgml.snapshots s ON s.id = m.snapshot_id
			WHERE m.id = $1`, id).Scan(&page.Project, &page.Task, &page.NumFeatures, &hyperparams, &searchParams, &metrics, &relation, &page.Deployed)
		if err != nil {
			return err
		}
		page.KeyMetric = KeyMetric(page.Task)
		if relation != nil {
			page.Snapshot = *relation
		}
		page.Hyperparams = settings(hyperparams)
		page.SearchParams = settings(searchParams)
		_, results := parseMetrics(metrics)
		page.Search = searchTable(results)
		if page.HasAnalysisColumn, err = columnExists(ctx, tx, "pgml.models", "analysis"); err != nil || !page.HasAnalysisColumn {
			return err
		}
		return tx.QueryRow(ctx, "SELECT analysis::text FROM pgml.models WHERE id = $1", id).Scan(&page.Analysis)
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// settings lists a JSON object's entries by name.
func settings(doc []byte) []Setting {
	var m map[string]json.RawMessage
	if json.Unmarshal(doc, &m) != nil {
		return nil
	}
	var out []Setting
	for k, v := range m {
		out = append(out, Setting{k, string(v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// searchTable reads the candidate × fold scores of a search; nil when there are none.
func searchTable(doc json.RawMessage) *SearchTable {
	var r map[string]json.RawMessage
	if len(doc) == 0 || json.Unmarshal(doc, &r) != nil {
		return nil
	}
	var params []json.RawMessage
	if json.Unmarshal(r["params"], &params) != nil || len(params) == 0 {
		return nil
	}
	floats := func(key string) []*float64 {
		var v []*float64
		_ = json.Unmarshal(r[key], &v)
		return v
	}
	at := func(v []*float64, i int) *float64 {
		if i < len(v) {
			return v[i]
		}
		return nil
	}
	var best = -1
	_ = json.Unmarshal(r["best_index"], &best)
	t := &SearchTable{}
	_ = json.Unmarshal(r["n_splits"], &t.Folds)
	var folds [][]*float64
	for k := 0; k < t.Folds; k++ {
		folds = append(folds, floats(fmt.Sprintf("split%d_test_score", k)))
	}
	mean, std, rank := floats("mean_test_score"), floats("std_test_score"), floats("rank_test_score")
	for i, p := range params {
		c := SearchCandidate{Params: strings.TrimSpace(string(p)), Mean: at(mean, i), Std: at(std, i), Best: i == best}
		if r := at(rank, i); r != nil {
			c.Rank = fmt.Sprint(*r)
		}
		for _, f := range folds {
			c.FoldScores = append(c.FoldScores, at(f, i))
		}
		t.Candidates = append(t.Candidates, c)
	}
	sort.SliceStable(t.Candidates, func(i, j int) bool {
		a, b := t.Candidates[i].Mean, t.Candidates[j].Mean
		return a != nil && (b == nil || *a > *b)
	})
	return t
}
