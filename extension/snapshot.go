package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pgml-go/pgml/algorithms/preprocess"
)

type snapshot struct {
	id           int64
	relationName string
	yColumns     []string
	testSize     float64
	testSampling string
	materialized bool
}

// tableName is where a materialized snapshot keeps its copy.
func (s *snapshot) tableName() string {
	return quoteIdent("pgml") + "." + quoteIdent(fmt.Sprintf("snapshot_%d", s.id))
}

// insertSnapshot records s with status (in_progress until a training completes it).
func insertSnapshot(s *snapshot, status string) error {
	rows, err := query(`INSERT INTO pgml.snapshots (relation_name, y_column_name, test_size, test_sampling, status, materialized)
		VALUES ($1, $2, $3, $4, $6, $5) RETURNING id`,
		s.relationName, s.yColumns, s.testSize, s.testSampling, s.materialized, status)
	if err != nil {
		return err
	}
	s.id = rows[0].int64(0)
	return nil
}

// lastSnapshot is the snapshot of the project's most recent model (PostgresML's reuse rule).
func lastSnapshot(projectID int64) (*snapshot, error) {
	rows, err := query(`SELECT s.id, s.relation_name, s.y_column_name::text, s.test_size, s.test_sampling, coalesce(s.materialized, false)
		FROM pgml.snapshots s JOIN pgml.models m ON m.snapshot_id = s.id
		WHERE m.project_id = $1 ORDER BY s.id DESC LIMIT 1`, projectID)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, newError(stateInvalidParameter, "You must pass a `relation_name` and `y_column_name` to snapshot the first time you train a model.")
	}
	r := rows[0]
	var testSize float64
	if _, err := fmt.Sscan(r.str(3), &testSize); err != nil {
		return nil, fmt.Errorf("pgml: snapshot %s has test_size %q", r.str(0), r.str(3))
	}
	return &snapshot{
		id: r.int64(0), relationName: r.str(1), yColumns: parseTextArray(r.str(2)),
		testSize: testSize, testSampling: r.str(4), materialized: r.bool(5),
	}, nil
}

// parseTextArray reads the text output of a text[] whose elements pgml wrote itself.
func parseTextArray(s string) []string {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	if s == "" {
		return nil
	}
	var items []string
	var cur strings.Builder
	quoted, escaped := false, false
	for _, ch := range s {
		switch {
		case escaped:
			cur.WriteRune(ch)
			escaped = false
		case ch == '\\':
			escaped = true
		case ch == '"':
			quoted = !quoted
		case ch == ',' && !quoted:
			items = append(items, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(ch)
		}
	}
	return append(items, cur.String())
}

// columnDescriptor is one entry of snapshots.columns, PostgresML 2.x's layout.
type columnDescriptor struct {
	Name     string `json:"name"`
	PgType   string `json:"pg_type"`
	Label    bool   `json:"label"`
	Position int    `json:"position"`
	Size     int    `json:"size"`
	Array    bool   `json:"array"`
	// Categories are a text column's values; a feature's code is its position + 1 (0 is
	// NULL), a label's code (the class predict returns) is its position.
	Categories []string `json:"categories,omitempty"`
	// Preprocessor and Statistics describe a feature column as the last training saw it:
	// its impute/encode/scale and the training rows' statistics, one entry per array position.
	Preprocessor *preprocess.Spec        `json:"preprocessor,omitempty"`
	Statistics   []preprocess.Statistics `json:"statistics,omitempty"`
}

// describeColumns lists the snapshot's columns with each feature's preprocessing and
// statistics from the pipeline.
func describeColumns(data *trainingData, pipeline *preprocess.Pipeline) ([]byte, error) {
	stats := pipeline.Statistics()
	var cols []columnDescriptor
	for i, c := range data.features {
		cols = append(cols, columnDescriptor{Name: c.name, PgType: c.typeName, Position: i + 1, Size: data.widths[i],
			Array: strings.HasSuffix(c.typeName, "[]"), Categories: data.categories[i],
			Preprocessor: &stats[i].Preprocess, Statistics: stats[i].Positions})
	}
	for i, c := range data.labels {
		cols = append(cols, columnDescriptor{Name: c.name, PgType: c.typeName, Label: true, Position: len(data.features) + i + 1, Size: 1, Categories: data.labelCategories[i]})
	}
	return json.Marshal(cols)
}

// completeSnapshot writes the columns' preprocessing and training statistics into the
// snapshot, replacing those of an earlier training (as PostgresML 2.x does).
func completeSnapshot(s *snapshot, layout *trainingData, pipeline *preprocess.Pipeline, trainRows, testRows int) error {
	columns, err := describeColumns(layout, pipeline)
	if err != nil {
		return err
	}
	analysis, err := json.Marshal(map[string]int{"samples": trainRows + testRows, "training_rows": trainRows, "test_rows": testRows})
	if err != nil {
		return err
	}
	_, err = query(`UPDATE pgml.snapshots SET status = 'created', columns = $2, analysis = $3 WHERE id = $1`,
		s.id, jsonb(columns), jsonb(analysis))
	return err
}
