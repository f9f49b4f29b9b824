package dashboard

import (
	"context"
	"encoding/json"
	"math"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
)

// Metrics are the numeric entries of pgml.models.metrics.
type Metrics map[string]float64

// parseMetrics keeps the numeric entries of a metrics document and returns its
// search_results entry apart.
func parseMetrics(doc []byte) (Metrics, json.RawMessage) {
	var raw map[string]json.RawMessage
	if len(doc) == 0 || json.Unmarshal(doc, &raw) != nil {
		return Metrics{}, nil
	}
	m := Metrics{}
	for k, v := range raw {
		var f float64
		if json.Unmarshal(v, &f) == nil {
			m[k] = f
		}
	}
	return m, raw["search_results"]
}

// KeyMetric is the metric pgml.train compares models by for a task.
func KeyMetric(task string) string {
	switch task {
	case "classification":
		return "f1"
	case "regression":
		return "r2"
	case "clustering":
		return "silhouette"
	case "decomposition":
		return "cumulative_explained_variance"
	}
	return ""
}

// ProjectSummary is one row of the projects page.
type ProjectSummary struct {
	Name, Task        string
	Models            int
	DeployedID        *int64
	DeployedAlgorithm string
	KeyMetric         string
	KeyValue          *float64
	LastTrained       *time.Time
}

// Projects lists every project by name.
func (s *Store) Projects(ctx context.Context) ([]ProjectSummary, error) {
	var out []ProjectSummary
	err := s.read(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT p.name, p.task, (SELECT count(*) FROM pgml.models m WHERE m.project_id = p.id),
			       dm.id, dm.algorithm, dm.metrics,
			       (SELECT max(m.created_at) FROM pgml.models m WHERE m.project_id = p.id)
			FROM pgml.projects p
			LEFT JOIN LATERAL (SELECT d.model_id FROM pgml.deployments d WHERE d.project_id = p.id
			                   ORDER BY d.id DESC LIMIT 1) d ON true
			LEFT JOIN pgml.models dm ON dm.id = d.model_id
			ORDER BY p.name`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p ProjectSummary
			var algorithm *string
			var metrics []byte
			if err := rows.Scan(&p.Name, &p.Task, &p.Models, &p.DeployedID, &algorithm, &metrics, &p.LastTrained); err != nil {
				return err
			}
			if algorithm != nil {
				p.DeployedAlgorithm = *algorithm
			}
			p.KeyMetric = KeyMetric(p.Task)
			if v, ok := metricValue(metrics, p.KeyMetric); ok {
				p.KeyValue = &v
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// metricValue reads one numeric metric from a metrics document.
func metricValue(doc []byte, name string) (float64, bool) {
	m, _ := parseMetrics(doc)
	v, ok := m[name]
	return v, ok
}

// ModelSummary is one model of a project.
type ModelSummary struct {
	ID                         int64
	Algorithm, Runtime, Status string
	Search                     string
	SnapshotID                 *int64
	Created                    time.Time
	Metrics                    Metrics
	Deployed                   bool
}

// Deployment is one row of pgml.deployments.
type Deployment struct {
	ModelID  int64
	Strategy string
	At       time.Time
}

// ProjectPage is a project with its models and deploy history.
type ProjectPage struct {
	Name, Task  string
	KeyMetric   string
	Models      []ModelSummary
	MetricNames []string
	Deployments []Deployment // oldest first
	Now         time.Time
}

// Project reads a project by name.
func (s *Store) Project(ctx context.Context, name string) (*ProjectPage, error) {
	page := &ProjectPage{Name: name}
	err := s.read(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, "SELECT id, task, LOCALTIMESTAMP FROM pgml.projects WHERE name = $1", name).Scan(&id, &page.Task, &page.Now)
		if err == pgx.ErrNoRows {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		page.KeyMetric = KeyMetric(page.Task)
		rows, err := tx.Query(ctx, "SELECT model_id, strategy, created_at FROM pgml.deployments WHERE project_id = $1 ORDER BY id", id)
		if err != nil {
			return err
		}
		page.Deployments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Deployment, error) {
			var d Deployment
			return d, r.Scan(&d.ModelID, &d.Strategy, &d.At)
		})
		if err != nil {
			return err
		}
		page.Models, err = models(ctx, tx, "project_id = $1", id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if n := len(page.Deployments); n > 0 {
		for i := range page.Models {
			page.Models[i].Deployed = page.Models[i].ID == page.Deployments[n-1].ModelID
		}
	}
	names := map[string]bool{}
	for _, m := range page.Models {
		for k := range m.Metrics {
			names[k] = true
		}
	}
	for k := range names {
		page.MetricNames = append(page.MetricNames, k)
	}
	sort.Strings(page.MetricNames)
	return page, nil
}

// models reads the models matching a condition on pgml.models, newest first.
func models(ctx context.Context, tx pgx.Tx, where string, args ...any) ([]ModelSummary, error) {
	rows, err := tx.Query(ctx, `SELECT id, algorithm, runtime, status, coalesce(search, ''), snapshot_id, created_at, metrics
		FROM pgml.models WHERE `+where+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ModelSummary, error) {
		var m ModelSummary
		var metrics []byte
		err := r.Scan(&m.ID, &m.Algorithm, &m.Runtime, &m.Status, &m.Search, &m.SnapshotID, &m.Created, &metrics)
		m.Metrics, _ = parseMetrics(metrics)
		return m, err
	})
}

// SortModels orders models by a metric or by id or algorithm; models without the
// metric come last in either direction.
func SortModels(ms []ModelSummary, key string, descending bool) {
	less := func(a, b ModelSummary) (bool, bool) { // (a before b, decided)
		switch key {
		case "id":
			return a.ID < b.ID, a.ID != b.ID
		case "algorithm":
			return a.Algorithm < b.Algorithm, a.Algorithm != b.Algorithm
		}
		va, oka := a.Metrics[key]
		vb, okb := b.Metrics[key]
		oka, okb = oka && !math.IsNaN(va), okb && !math.IsNaN(vb)
		if oka != okb {
			return oka != descending, true // present first; flipped below for descending
		}
		return va < vb, oka && va != vb
	}
	sort.SliceStable(ms, func(i, j int) bool {
		before, decided := less(ms[i], ms[j])
		if !decided {
			return false
		}
		if descending {
			return !before
		}
		return before
	})
}
