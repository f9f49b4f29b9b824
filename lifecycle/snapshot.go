package lifecycle

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
	// columns is the snapshot's columns as the last training described them (JSON of
	// columnDescriptor), "" before any training completed it.
	columns string
}

// tableName is where a materialized snapshot keeps its copy.
func (s *snapshot) tableName() string {
	return quoteIdent("pgml") + "." + quoteIdent(fmt.Sprintf("snapshot_%d", s.id))
}

// insertSnapshot records s with status (in_progress until a training completes it).
func (sess *Session) insertSnapshot(s *snapshot, status string) error {
	rows, err := sess.query(`INSERT INTO pgml.snapshots (relation_name, y_column_name, test_size, test_sampling, status, materialized)
		VALUES ($1, $2, $3, $4, $6, $5) RETURNING id`,
		s.relationName, s.yColumns, s.testSize, s.testSampling, s.materialized, status)
	if err != nil {
		return err
	}
	s.id = rows[0].Int64(0)
	return nil
}

// snapshotColumns are the columns scanSnapshot reads, of pgml.snapshots s.
const snapshotColumns = `s.id, s.relation_name, s.y_column_name::text, s.test_size, s.test_sampling, coalesce(s.materialized, false),
		s.columns::text`

// lastSnapshot is the snapshot of the project's most recent model (PostgresML's reuse rule).
func (sess *Session) lastSnapshot(projectID int64) (*snapshot, error) {
	rows, err := sess.query(`SELECT `+snapshotColumns+`
		FROM pgml.snapshots s JOIN pgml.models m ON m.snapshot_id = s.id
		WHERE m.project_id = $1 ORDER BY s.id DESC LIMIT 1`, projectID)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, Errorf(StateInvalidParameter, "You must pass a `relation_name` and `y_column_name` to snapshot the first time you train a model.")
	}
	return scanSnapshot(rows[0])
}

// snapshotByID is snapshot id, nil when there is none.
func (sess *Session) snapshotByID(id int64) (*snapshot, error) {
	rows, err := sess.query(`SELECT `+snapshotColumns+` FROM pgml.snapshots s WHERE s.id = $1`, id)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return scanSnapshot(rows[0])
}

// scanSnapshot reads a row of snapshotColumns.
func scanSnapshot(r Row) (*snapshot, error) {
	var testSize float64
	if _, err := fmt.Sscan(r.Str(3), &testSize); err != nil {
		return nil, fmt.Errorf("pgml: snapshot %s has test_size %q", r.Str(0), r.Str(3))
	}
	return &snapshot{
		id: r.Int64(0), relationName: r.Str(1), yColumns: parseTextArray(r.Str(2)),
		testSize: testSize, testSampling: r.Str(4), materialized: r.Bool(5), columns: r.Str(6),
	}, nil
}

// preprocess is the preprocess argument that repeats the preprocessing the snapshot's last
// training applied to its features ("" for none): a retraining without relation_name keeps
// the project's preprocessing unless it passes its own (PostgresML 2.x forgot it).
func (s *snapshot) preprocess() (string, error) {
	if s.columns == "" {
		return "", nil
	}
	var columns []struct {
		Name         string           `json:"name"`
		Label        bool             `json:"label"`
		Preprocessor *preprocess.Spec `json:"preprocessor"`
	}
	if err := json.Unmarshal([]byte(s.columns), &columns); err != nil {
		return "", fmt.Errorf("pgml: the columns of snapshot %d cannot be read: %w", s.id, err)
	}
	specs := map[string]*preprocess.Spec{}
	for _, c := range columns {
		p := c.Preprocessor
		if c.Label || p == nil || p.Impute == preprocess.ImputeError && p.Encode == preprocess.EncodeNative && p.Scale == preprocess.ScalePreserve {
			continue
		}
		specs[c.Name] = p
	}
	if len(specs) == 0 {
		return "", nil
	}
	b, err := json.Marshal(specs)
	return string(b), err
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
func (sess *Session) completeSnapshot(s *snapshot, layout *trainingData, pipeline *preprocess.Pipeline, trainRows, testRows int) error {
	columns, err := describeColumns(layout, pipeline)
	if err != nil {
		return err
	}
	analysis, err := json.Marshal(map[string]int{"samples": trainRows + testRows, "training_rows": trainRows, "test_rows": testRows})
	if err != nil {
		return err
	}
	_, err = sess.query(`UPDATE pgml.snapshots SET status = 'created', columns = $2, analysis = $3 WHERE id = $1`,
		s.id, JSONB(columns), JSONB(analysis))
	return err
}

// Tables pgml creates at run time belong to the extension's owner and depend on the extension
// (extension/shim_lifecycle.c): DROP EXTENSION pgml refuses without CASCADE and drops them with it, and
// no later CREATE EXTENSION trips over a leftover. Deleting a snapshot drops its table; deleting
// the last model of a snapshot made by pgml.train deletes the snapshot (triggers in
// sql/pgml--0.2.0--0.3.0.sql).

// materialize copies the columns of the relation `source` (read as the caller) into the
// snapshot's table, which the caller may then read.
func (sess *Session) materialize(s *snapshot, source string, cols []column) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quoteIdent(c.name)
	}
	if err := sess.Store.Materialize(fmt.Sprintf("snapshot_%d", s.id), "SELECT "+strings.Join(names, ", ")+" FROM "+source); err != nil {
		return err
	}
	return sess.grantReadToCaller(s.tableName())
}

// SnapshotRequest is pgml.snapshot's arguments.
type SnapshotRequest struct {
	RelationName string
	YColumns     []string
	TestSize     float64
	TestSizeNull bool
	TestSampling string
	SamplingNull bool
	Preprocess   string
}

// TakeSnapshot is pgml.snapshot: a materialized copy of a relation, recorded in pgml.snapshots
// and linked to no project (pgml.train never reuses it, as in PostgresML).
func (sess *Session) TakeSnapshot(req *SnapshotRequest) (int64, error) {
	rel, err := sess.resolveRelation(req.RelationName)
	if err != nil {
		return 0, err
	}
	for _, label := range req.YColumns {
		if _, ok := rel.column(label); !ok {
			return 0, Errorf(StateUndefinedColumn, "Column `%s` not found. Did you pass the correct `y_column_name`?", label)
		}
	}
	if req.SamplingNull {
		return 0, Errorf(StateInvalidParameter, "unknown test_sampling `NULL`, available options are: random, first, last, stratified")
	}
	if req.TestSizeNull {
		return 0, Errorf(StateInvalidParameter, "test_size must be a positive fraction (<= 1) or row count (> 1), got NULL")
	}
	snap := &snapshot{relationName: req.RelationName, yColumns: req.YColumns, testSize: req.TestSize, testSampling: req.TestSampling, materialized: true}
	if err := validateSplitArgs(snap); err != nil {
		return 0, err
	}
	if !isEmptyJSONObject(req.Preprocess) {
		return 0, Errorf(StateFeatureMissing, "pgml.snapshot does not keep preprocess; pass it to pgml.train, which applies it")
	}
	if err := sess.checkReadable(rel, ""); err != nil {
		return 0, err
	}
	if err := sess.insertSnapshot(snap, "created"); err != nil {
		return 0, err
	}
	if err := sess.materialize(snap, rel.qualifiedName(), rel.columns); err != nil {
		return 0, err
	}
	return snap.id, nil
}
