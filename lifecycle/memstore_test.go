package lifecycle

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pgml-go/pgml/sqlname"
)

// memStore is an in-memory Store: pgml's tables as Go structs, the relations a caller trains
// on, and what the lifecycle reported. It recognizes each statement the lifecycle issues by a
// distinctive fragment of its SQL and does what the statement means with its arguments,
// answering in PostgreSQL's text output form; a statement it does not know, or one issued
// with the wrong role (Query instead of QueryAsCaller), fails the test.
type memStore struct {
	t testing.TB

	projects    []*projectRow
	snapshots   []*snapshotRow
	models      []*modelRow
	files       []*fileRow
	deployments []*deploymentRow
	nextID      map[string]int64
	clock       int64 // created_at of the next model, in microseconds

	relations []*memRelation
	user      string
	// mayDeploy answers has_function_privilege('pgml.deploy(bigint)', 'EXECUTE').
	mayDeploy bool
	// denied holds the columns ("schema.relation.column") the caller may not SELECT.
	denied map[string]bool
	grants []string

	mu        sync.Mutex
	messages  []message
	interrupt atomic.Bool
	// interruptAt requests a cancel when the lifecycle reports entering this phase.
	interruptAt phase
	// published is every progress the lifecycle published; progressEnded counts EndProgress.
	published     []Progress
	progressEnded int
}

type message struct {
	level Level
	text  string
}

type projectRow struct {
	id         int64
	name, task string
}

type snapshotRow struct {
	id                   int64
	relationName         string
	yColumns             []string
	testSize             float64
	testSampling, status string
	materialized         bool
	columns, analysis    string
}

type modelRow struct {
	id, projectID, snapshotID int64
	numFeatures               int64
	algorithm, runtime        string
	status                    string
	hyperparams, metrics      string // jsonb
	search                    any    // text or NULL (nil)
	searchParams, searchArgs  string
	analysis                  any   // jsonb text or NULL (nil)
	created                   int64 // microseconds since the epoch
}

type fileRow struct {
	id, modelID int64
	path        string
	part        int64
	data        []byte
	digest      []byte // nil is NULL
}

type deploymentRow struct {
	id, projectID, modelID int64
	strategy               string
}

// memRelation is a table the caller may train on; a row holds float64, int, string, bool or
// nil (NULL) values.
type memRelation struct {
	oid          int64
	schema, name string
	columns      []column
	rows         [][]any
}

func newMemStore(t testing.TB) *memStore {
	// Each table's ids start elsewhere, so that an id of one table used for another finds nothing.
	return &memStore{t: t, user: "alice", mayDeploy: true, denied: map[string]bool{}, clock: 1_700_000_000_000_000,
		nextID: map[string]int64{"projects": 1, "snapshots": 100, "models": 1000, "files": 10000, "deployments": 50000}}
}

func (s *memStore) newID(table string) int64 {
	id := s.nextID[table]
	s.nextID[table]++
	return id
}

// addRelation makes a table public.<name> (or schema.name) with columns "name type", or
// "name type <- a,b" for a column generated from columns a and b.
func (s *memStore) addRelation(qualified string, columns []string, rows [][]any) *memRelation {
	schema, name, ok := strings.Cut(qualified, ".")
	if !ok {
		schema, name = "public", qualified
	}
	rel := &memRelation{oid: int64(16384 + len(s.relations)), schema: schema, name: name, rows: rows}
	for _, c := range columns {
		n, typ, _ := strings.Cut(c, " ")
		typ, sources, generated := strings.Cut(typ, " <- ")
		col := column{name: n, typeName: typ}
		if generated {
			col.computedFrom = strings.Split(sources, ",")
		}
		rel.columns = append(rel.columns, col)
	}
	for i, r := range rows {
		if len(r) != len(columns) {
			s.t.Fatalf("relation %s: row %d has %d values for %d columns", qualified, i, len(r), len(columns))
		}
	}
	s.relations = append(s.relations, rel)
	return rel
}

// addModel records a model as if pgml.train had stored it (without files).
func (s *memStore) addModel(projectID int64, algorithm, status, metrics string) *modelRow {
	s.clock += 1000
	m := &modelRow{id: s.newID("models"), projectID: projectID, algorithm: algorithm, runtime: "go", status: status,
		metrics: metrics, hyperparams: "{}", searchParams: "{}", searchArgs: "{}", created: s.clock}
	s.models = append(s.models, m)
	return m
}

func (s *memStore) addProject(name, task string) *projectRow {
	p := &projectRow{id: s.newID("projects"), name: name, task: task}
	s.projects = append(s.projects, p)
	return p
}

func (s *memStore) addDeployment(projectID, modelID int64, strategy string) {
	s.deployments = append(s.deployments, &deploymentRow{id: s.newID("deployments"), projectID: projectID, modelID: modelID, strategy: strategy})
}

// reported returns the texts reported at level.
func (s *memStore) reported(level Level) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var texts []string
	for _, m := range s.messages {
		if m.level == level {
			texts = append(texts, m.text)
		}
	}
	return texts
}

// ---- Store ----

func (s *memStore) Query(sql string, args ...any) ([]Row, error) { return s.run(asOwner, sql, args) }

func (s *memStore) QueryReadOnly(sql string, args ...any) ([]Row, error) {
	return s.run(asOwner, sql, args)
}

func (s *memStore) QueryAsCaller(sql string, args ...any) ([]Row, error) {
	return s.run(asCaller, sql, args)
}

func (s *memStore) Report(level Level, text string) error {
	s.mu.Lock()
	s.messages = append(s.messages, message{level, text})
	s.mu.Unlock()
	if level == Debug && s.interruptAt != "" && text == "pgml phase: "+string(s.interruptAt) {
		s.interrupt.Store(true)
	}
	return nil
}

func (s *memStore) InterruptPending() bool { return s.interrupt.Load() }

func (s *memStore) PublishProgress(p *Progress) { s.published = append(s.published, *p) }

func (s *memStore) EndProgress() { s.progressEnded++ }

func (s *memStore) AdoptRelations() error { return nil }

// Materialize copies the columns a plain SELECT names into pgml.<table>.
func (s *memStore) Materialize(table, selectSQL string) error {
	src, items, err := s.parseSelect(selectSQL)
	if err != nil {
		return err
	}
	copied := &memRelation{oid: int64(16384 + len(s.relations)), schema: "pgml", name: table}
	var indexes []int
	for _, item := range items {
		i, err := src.columnIndex(item)
		if err != nil {
			return err
		}
		copied.columns = append(copied.columns, src.columns[i])
		indexes = append(indexes, i)
	}
	for _, r := range src.rows {
		row := make([]any, len(indexes))
		for j, i := range indexes {
			row[j] = r[i]
		}
		copied.rows = append(copied.rows, row)
	}
	s.relations = append(s.relations, copied)
	return nil
}

// OpenCursor reads the relation of a SELECT whose items are quoted columns or categories.go's
// code expressions, as float64 values (NULL as MissingBits).
func (s *memStore) OpenCursor(sql string) (Cursor, error) {
	rel, items, err := s.parseSelect(sql)
	if err != nil {
		return nil, err
	}
	readers := make([]func(row []any) (float64, error), len(items))
	for k, item := range items {
		if readers[k], err = rel.reader(item); err != nil {
			return nil, err
		}
	}
	return &memCursor{rel: rel, readers: readers}, nil
}

type memCursor struct {
	rel     *memRelation
	readers []func(row []any) (float64, error)
	next    int
	closed  bool
}

func (c *memCursor) Fetch(maxRows int, widths []int) ([]float64, int, error) {
	if c.closed {
		return nil, 0, fmt.Errorf("memstore: fetch from a closed cursor")
	}
	for i := range widths {
		widths[i] = 1
	}
	n := min(maxRows, len(c.rel.rows)-c.next)
	values := make([]float64, 0, n*len(c.readers))
	for _, row := range c.rel.rows[c.next : c.next+n] {
		for _, read := range c.readers {
			v, err := read(row)
			if err != nil {
				return nil, 0, err
			}
			values = append(values, v)
		}
	}
	c.next += n
	return values, n, nil
}

func (c *memCursor) Close() error {
	c.closed = true
	return nil
}

// ---- statements ----

type role int

const (
	asOwner role = iota
	asCaller
	asEither
)

type statement struct {
	fragment string
	role     role
	run      func(s *memStore, sql string, a args) ([]Row, error)
}

// statements are recognized by the first fragment the (whitespace-collapsed) SQL contains.
var statements = []statement{
	{"SELECT id, task FROM pgml.projects WHERE name = $1", asOwner, (*memStore).findProject},
	{"INSERT INTO pgml.", asOwner, (*memStore).insert},
	{"FROM pgml.snapshots s JOIN pgml.models m ON m.snapshot_id = s.id WHERE m.project_id = $1 ORDER BY s.id DESC LIMIT 1", asOwner, (*memStore).lastSnapshot},
	{"UPDATE pgml.snapshots SET status = 'created', columns = $2, analysis = $3 WHERE id = $1", asOwner, (*memStore).completeSnapshot},
	{"WHERE attrelid = 'pgml.files'::pg_catalog.regclass AND attname = 'digest'", asOwner, constantRows("t")},
	{"WHERE attrelid = 'pgml.models'::pg_catalog.regclass AND attname = 'analysis'", asOwner, constantRows("t")},
	{"pg_column_compression(f.data) IS NOT NULL", asOwner, (*memStore).fileParts},
	{"SELECT substring(data FROM $2::int4 FOR $3::int4) FROM pgml.files WHERE id = $1", asOwner, (*memStore).fileSlice},
	{"UPDATE pgml.files SET digest = $2 WHERE id = $1", asOwner, (*memStore).signFile},
	{"SELECT p.name FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE m.id = $1", asOwner, (*memStore).modelProject},
	{"SELECT m.project_id, p.name, m.algorithm, m.status FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE m.id = $1", asOwner, (*memStore).modelForDeploy},
	{"SELECT m.id, m.algorithm, m.metrics -> $2, (extract(epoch FROM m.created_at) * 1000000)::int8 FROM pgml.models m WHERE m.project_id = $1 AND m.status = 'successful'", asOwner, (*memStore).successfulModels},
	{"SELECT d.model_id, m.algorithm FROM pgml.deployments d JOIN pgml.models m ON m.id = d.model_id WHERE d.project_id = $1 ORDER BY d.id DESC", asOwner, (*memStore).deploymentHistory},
	{"SELECT m.id, m.metrics -> $2 FROM pgml.deployments d JOIN pgml.models m ON m.id = d.model_id WHERE d.project_id = $1 ORDER BY d.id DESC LIMIT 1", asOwner, (*memStore).deployedMetric},
	{"GRANT SELECT ON ", asOwner, (*memStore).grant},
	{"FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE m.id = $1 FOR UPDATE OF m", asOwner, (*memStore).modelForNativize},
	{"SELECT DISTINCT path FROM pgml.files WHERE model_id = $1 AND path <> $2 ORDER BY path", asOwner, (*memStore).estimatorPaths},
	{"FROM pgml.snapshots s WHERE s.id = $1", asOwner, (*memStore).snapshotByID},
	{"UPDATE pgml.models SET metrics = coalesce(metrics, '{}'::jsonb) || pg_catalog.jsonb_build_object($2::text, $3::text) WHERE id = $1", asOwner, (*memStore).setMetric},
	{"SELECT pg_catalog.quote_literal($1::text)", asEither, (*memStore).quoteLiteral},
	{"WHERE c.oid = pg_catalog.to_regclass($1)", asCaller, (*memStore).resolve},
	{"FROM pg_catalog.pg_attribute a WHERE a.attrelid = $1 AND a.attnum > 0", asCaller, (*memStore).relationColumns},
	{"WHERE NOT pg_catalog.has_column_privilege($1::oid, c, 'SELECT')", asCaller, (*memStore).deniedColumns},
	{"SELECT pg_catalog.has_function_privilege('pgml.deploy(bigint)', 'EXECUTE')", asCaller, func(s *memStore, _ string, _ args) ([]Row, error) {
		return []Row{{boolean(s.mayDeploy)}}, nil
	}},
	{"SELECT pg_catalog.quote_ident(current_user::text), current_user = (SELECT r.rolname FROM pg_catalog.pg_extension e", asCaller, func(s *memStore, _ string, _ args) ([]Row, error) {
		return []Row{{text(quoteIdent(s.user)), boolean(false)}}, nil
	}},
	{`coalesce(jsonb_agg(v ORDER BY v COLLATE "C"), '[]')`, asCaller, (*memStore).categories},
	{"EXPLAIN (FORMAT JSON) SELECT ", asCaller, (*memStore).explain},
}

var whitespace = regexp.MustCompile(`\s+`)

func (s *memStore) run(as role, sql string, arguments []any) ([]Row, error) {
	flat := whitespace.ReplaceAllString(strings.TrimSpace(sql), " ")
	for _, st := range statements {
		if !strings.Contains(flat, st.fragment) {
			continue
		}
		if st.role != asEither && st.role != as {
			return nil, s.fail("statement run as the wrong role (%v, needs %v): %s", as, st.role, flat)
		}
		rows, err := st.run(s, flat, args{s: s, sql: flat, v: arguments})
		if err != nil {
			return nil, err
		}
		return rows, nil
	}
	return nil, s.fail("memstore does not know the statement: %s", flat)
}

// fail makes the test fail (from any goroutine) and returns the error the lifecycle sees.
func (s *memStore) fail(format string, a ...any) error {
	err := fmt.Errorf("memstore: "+format, a...)
	s.t.Error(err)
	return err
}

func text(s string) Value { return Value{Text: s} }

func boolean(b bool) Value {
	if b {
		return Value{Text: "t"}
	}
	return Value{Text: "f"}
}

func integer(n int64) Value { return Value{Text: strconv.FormatInt(n, 10)} }

var null = Value{Null: true}

func constantRows(values ...string) func(*memStore, string, args) ([]Row, error) {
	return func(*memStore, string, args) ([]Row, error) {
		row := make(Row, len(values))
		for i, v := range values {
			row[i] = text(v)
		}
		return []Row{row}, nil
	}
}

// args reads the statement's $n arguments with the types the lifecycle passes.
type args struct {
	s   *memStore
	sql string
	v   []any
}

func (a args) at(n int) any {
	if n < 1 || n > len(a.v) {
		a.s.fail("statement has no argument $%d: %s", n, a.sql)
		return nil
	}
	return a.v[n-1]
}

func (a args) int64(n int) (v int64) {
	a.bind(n, &v)
	return v
}

func (a args) str(n int) (v string) {
	a.bind(n, &v)
	return v
}

func (a args) bind(n int, into any) {
	if val := a.at(n); !assign(into, val) {
		a.s.fail("argument $%d is %T, which does not go into %T: %s", n, val, into, a.sql)
	}
}

// assign stores val in *into when it has that type as PostgreSQL would take it: ints widen
// to bigint, jsonb is text that must be valid JSON, anything goes into *any.
func assign(into, val any) bool {
	switch p := into.(type) {
	case *int64:
		if n, ok := val.(int); ok {
			val = int64(n)
		}
		return set(p, val)
	case *string:
		if j, ok := val.(JSONB); ok {
			val = string(j)
			if !json.Valid([]byte(j)) {
				return false
			}
		}
		return set(p, val)
	case *any:
		*p = val
		return true
	case *[]string:
		return set(p, val)
	case *float64:
		return set(p, val)
	case *bool:
		return set(p, val)
	case *[]byte:
		return set(p, val)
	}
	return false
}

func set[T any](p *T, val any) bool {
	v, ok := val.(T)
	if ok {
		*p = v
	}
	return ok
}

// insertPattern reads INSERT INTO pgml.<table> (columns) VALUES (values).
var insertPattern = regexp.MustCompile(`^INSERT INTO pgml\.(\w+) \(([^)]*)\) VALUES \(([^)]*)\)( RETURNING id)?$`)

// insert binds each column to its $n argument or literal and adds a row of the table.
func (s *memStore) insert(sql string, a args) ([]Row, error) {
	m := insertPattern.FindStringSubmatch(sql)
	if m == nil {
		return nil, s.fail("unrecognized INSERT: %s", sql)
	}
	names, exprs := strings.Split(m[2], ", "), strings.Split(m[3], ", ")
	if len(names) != len(exprs) {
		return nil, s.fail("INSERT has %d columns and %d values: %s", len(names), len(exprs), sql)
	}
	v := map[string]any{}
	for i, e := range exprs {
		switch {
		case strings.HasPrefix(e, "$"):
			n, _ := strconv.Atoi(e[1:])
			v[names[i]] = a.at(n)
		case strings.HasPrefix(e, "'"):
			v[names[i]] = strings.Trim(e, "'")
		default:
			return nil, s.fail("INSERT value %q: %s", e, sql)
		}
	}
	get := func(col string, into any) {
		val, ok := v[col]
		if !ok {
			s.fail("INSERT INTO pgml.%s lacks column %s: %s", m[1], col, sql)
		} else if !assign(into, val) {
			s.fail("column %s: %T (%v) does not go into %T: %s", col, val, val, into, sql)
		}
	}
	var id int64
	switch m[1] {
	case "projects":
		p := &projectRow{}
		get("name", &p.name)
		get("task", &p.task)
		if slices.ContainsFunc(s.projects, func(o *projectRow) bool { return o.name == p.name }) {
			return nil, fmt.Errorf(`duplicate key value violates unique constraint "projects_name_key"`)
		}
		p.id = s.newID("projects")
		s.projects, id = append(s.projects, p), p.id
	case "snapshots":
		r := &snapshotRow{}
		get("relation_name", &r.relationName)
		get("y_column_name", &r.yColumns)
		get("test_size", &r.testSize)
		get("test_sampling", &r.testSampling)
		get("status", &r.status)
		get("materialized", &r.materialized)
		r.id = s.newID("snapshots")
		s.snapshots, id = append(s.snapshots, r), r.id
	case "models":
		r := &modelRow{}
		for col, into := range map[string]any{"project_id": &r.projectID, "snapshot_id": &r.snapshotID, "num_features": &r.numFeatures,
			"algorithm": &r.algorithm, "runtime": &r.runtime, "hyperparams": &r.hyperparams, "status": &r.status, "metrics": &r.metrics,
			"search": &r.search, "search_params": &r.searchParams, "search_args": &r.searchArgs, "analysis": &r.analysis} {
			get(col, into)
		}
		if withID(s.projects, r.projectID) == nil || withID(s.snapshots, r.snapshotID) == nil {
			return nil, s.fail("model references project %d / snapshot %d, which do not exist", r.projectID, r.snapshotID)
		}
		s.clock += 1000
		r.id, r.created = s.newID("models"), s.clock
		s.models, id = append(s.models, r), r.id
	case "files":
		r := &fileRow{}
		get("model_id", &r.modelID)
		get("path", &r.path)
		get("part", &r.part)
		get("data", &r.data)
		if _, signed := v["digest"]; signed {
			get("digest", &r.digest)
		}
		if withID(s.models, r.modelID) == nil {
			return nil, s.fail("file references model %d, which does not exist", r.modelID)
		}
		r.id = s.newID("files")
		s.files = append(s.files, r)
	case "deployments":
		r := &deploymentRow{}
		get("project_id", &r.projectID)
		get("model_id", &r.modelID)
		get("strategy", &r.strategy)
		if mod := withID(s.models, r.modelID); mod == nil || mod.projectID != r.projectID {
			return nil, s.fail("deployment of model %d in project %d: no such model in that project", r.modelID, r.projectID)
		}
		r.id = s.newID("deployments")
		s.deployments = append(s.deployments, r)
	default:
		return nil, s.fail("INSERT into an unknown table: %s", sql)
	}
	if m[4] == "" {
		return nil, nil
	}
	return []Row{{integer(id)}}, nil
}

// withID is the row of rows with that id (a relation's oid), nil when there is none.
func withID[R interface{ key() int64 }](rows []R, id int64) R {
	var none R
	for _, r := range rows {
		if r.key() == id {
			return r
		}
	}
	return none
}

func (r *projectRow) key() int64    { return r.id }
func (r *snapshotRow) key() int64   { return r.id }
func (r *modelRow) key() int64      { return r.id }
func (r *fileRow) key() int64       { return r.id }
func (r *deploymentRow) key() int64 { return r.id }
func (r *memRelation) key() int64   { return r.oid }

func (s *memStore) findProject(_ string, a args) ([]Row, error) {
	name := a.str(1)
	for _, p := range s.projects {
		if p.name == name {
			return []Row{{integer(p.id), text(p.task)}}, nil
		}
	}
	return nil, nil
}

func (s *memStore) lastSnapshot(_ string, a args) ([]Row, error) {
	var last *snapshotRow
	for _, m := range s.models {
		if snap := withID(s.snapshots, m.snapshotID); m.projectID == a.int64(1) && snap != nil && (last == nil || snap.id > last.id) {
			last = snap
		}
	}
	return snapshotRows(last), nil
}

func (s *memStore) snapshotByID(_ string, a args) ([]Row, error) {
	return snapshotRows(withID(s.snapshots, a.int64(1))), nil
}

// snapshotRows is the snapshot as a row of snapshotColumns; none for nil.
func snapshotRows(snap *snapshotRow) []Row {
	if snap == nil {
		return nil
	}
	columns := Value{Null: true}
	if snap.columns != "" {
		columns = text(snap.columns)
	}
	return []Row{{integer(snap.id), text(snap.relationName), text(textArray(snap.yColumns)), text(float8Text(snap.testSize)),
		text(snap.testSampling), boolean(snap.materialized), columns}}
}

func (s *memStore) completeSnapshot(_ string, a args) ([]Row, error) {
	snap := withID(s.snapshots, a.int64(1))
	if snap == nil {
		return nil, s.fail("UPDATE of snapshot %d, which does not exist", a.int64(1))
	}
	snap.status, snap.columns, snap.analysis = "created", a.str(2), a.str(3)
	return nil, nil
}

// fileParts lists rows of pgml.files under one of filePartsSQL's two conditions.
func (s *memStore) fileParts(sql string, a args) ([]Row, error) {
	var keep func(f *fileRow) bool
	switch {
	case strings.Contains(sql, "WHERE f.model_id = $1 ORDER BY f.path, f.part"):
		keep = func(f *fileRow) bool { return f.modelID == a.int64(1) }
	case strings.Contains(sql, "WHERE f.id > $1 AND ($2 < 0 OR f.model_id = $2) ORDER BY f.id LIMIT "):
		keep = func(f *fileRow) bool { return f.id > a.int64(1) && (a.int64(2) < 0 || f.modelID == a.int64(2)) }
	default:
		return nil, s.fail("unrecognized condition on pgml.files: %s", sql)
	}
	var chosen []*fileRow
	for _, f := range s.files {
		if keep(f) {
			chosen = append(chosen, f)
		}
	}
	if strings.Contains(sql, "ORDER BY f.id LIMIT ") {
		limit, _ := strconv.Atoi(sql[strings.LastIndex(sql, " ")+1:])
		sort.Slice(chosen, func(i, j int) bool { return chosen[i].id < chosen[j].id })
		chosen = chosen[:min(limit, len(chosen))]
	} else {
		sort.Slice(chosen, func(i, j int) bool {
			return chosen[i].path < chosen[j].path || chosen[i].path == chosen[j].path && chosen[i].part < chosen[j].part
		})
	}
	withDigest := !strings.Contains(sql, "NULL::bytea")
	var rows []Row
	for _, f := range chosen {
		digest := null
		if withDigest && f.digest != nil {
			digest = text(string(f.digest))
		}
		count := 0
		for _, o := range s.files {
			if o.modelID == f.modelID && o.path == f.path {
				count++
			}
		}
		rows = append(rows, Row{integer(f.id), integer(f.modelID), text(f.path), integer(f.part), integer(int64(len(f.data))),
			boolean(false), digest, integer(int64(count))})
	}
	return rows, nil
}

// fileSlice is substring(data FROM $2 FOR $3): 1-based, clipped to the data.
func (s *memStore) fileSlice(_ string, a args) ([]Row, error) {
	f := withID(s.files, a.int64(1))
	if f == nil {
		return nil, nil
	}
	from := max(a.int64(2)-1, 0)
	to := min(from+a.int64(3), int64(len(f.data)))
	return []Row{{text(string(f.data[min(from, to):to]))}}, nil
}

func (s *memStore) signFile(_ string, a args) ([]Row, error) {
	f := withID(s.files, a.int64(1))
	if f == nil {
		return nil, nil
	}
	digest, ok := a.at(2).([]byte)
	if !ok {
		return nil, s.fail("digest is %T, not bytea", a.at(2))
	}
	f.digest = digest
	return nil, nil
}

func (s *memStore) modelProject(_ string, a args) ([]Row, error) {
	if m := withID(s.models, a.int64(1)); m != nil {
		return []Row{{text(withID(s.projects, m.projectID).name)}}, nil
	}
	return nil, nil
}

func (s *memStore) modelForDeploy(_ string, a args) ([]Row, error) {
	if m := withID(s.models, a.int64(1)); m != nil {
		return []Row{{integer(m.projectID), text(withID(s.projects, m.projectID).name), text(m.algorithm), text(m.status)}}, nil
	}
	return nil, nil
}

// modelForNativize: a snapshot id of 0 is NULL (the snapshot was deleted).
func (s *memStore) modelForNativize(_ string, a args) ([]Row, error) {
	m := withID(s.models, a.int64(1))
	if m == nil {
		return nil, nil
	}
	snapshot := integer(m.snapshotID)
	if m.snapshotID == 0 {
		snapshot = null
	}
	return []Row{{text(m.algorithm), text(m.runtime), text(withID(s.projects, m.projectID).task), snapshot, integer(m.numFeatures)}}, nil
}

func (s *memStore) estimatorPaths(_ string, a args) ([]Row, error) {
	var paths []string
	for _, f := range s.files {
		if f.modelID == a.int64(1) && f.path != a.str(2) && !slices.Contains(paths, f.path) {
			paths = append(paths, f.path)
		}
	}
	slices.Sort(paths)
	rows := make([]Row, len(paths))
	for i, p := range paths {
		rows[i] = Row{text(p)}
	}
	return rows, nil
}

// setMetric is metrics || jsonb_build_object(key, value).
func (s *memStore) setMetric(_ string, a args) ([]Row, error) {
	m := withID(s.models, a.int64(1))
	if m == nil {
		return nil, nil
	}
	metrics := map[string]any{}
	if m.metrics != "" {
		if err := json.Unmarshal([]byte(m.metrics), &metrics); err != nil {
			return nil, s.fail("metrics of model %d: %v", m.id, err)
		}
	}
	metrics[a.str(2)] = a.str(3)
	b, err := json.Marshal(metrics)
	m.metrics = string(b)
	return nil, err
}

// jsonField is metrics -> key: the value's JSON text, NULL when absent.
func jsonField(object, key string) Value {
	var m map[string]json.RawMessage
	if object == "" || json.Unmarshal([]byte(object), &m) != nil {
		return null
	}
	v, ok := m[key]
	if !ok {
		return null
	}
	return text(string(v))
}

func (s *memStore) successfulModels(_ string, a args) ([]Row, error) {
	var rows []Row
	for _, m := range s.models {
		if m.projectID == a.int64(1) && m.status == "successful" {
			rows = append(rows, Row{integer(m.id), text(m.algorithm), jsonField(m.metrics, a.str(2)), integer(m.created)})
		}
	}
	// No ORDER BY: the lifecycle must not depend on the order rows come in.
	slices.Reverse(rows)
	return rows, nil
}

func (s *memStore) projectDeployments(projectID int64) []*deploymentRow {
	var ds []*deploymentRow
	for _, d := range s.deployments {
		if d.projectID == projectID {
			ds = append(ds, d)
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].id > ds[j].id })
	return ds
}

func (s *memStore) deploymentHistory(_ string, a args) ([]Row, error) {
	var rows []Row
	for _, d := range s.projectDeployments(a.int64(1)) {
		rows = append(rows, Row{integer(d.modelID), text(withID(s.models, d.modelID).algorithm)})
	}
	return rows, nil
}

func (s *memStore) deployedMetric(_ string, a args) ([]Row, error) {
	ds := s.projectDeployments(a.int64(1))
	if len(ds) == 0 {
		return nil, nil
	}
	m := withID(s.models, ds[0].modelID)
	return []Row{{integer(m.id), jsonField(m.metrics, a.str(2))}}, nil
}

func (s *memStore) grant(sql string, _ args) ([]Row, error) {
	s.grants = append(s.grants, sql)
	return nil, nil
}

// quoteLiteral is PostgreSQL's quote_literal: E” with doubled backslashes when there are any.
func (s *memStore) quoteLiteral(_ string, a args) ([]Row, error) {
	v := a.str(1)
	quoted := "'" + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), "'", "''") + "'"
	if strings.Contains(v, `\`) {
		quoted = "E" + quoted
	}
	return []Row{{text(quoted)}}, nil
}

func unquoteLiteral(lit string) (string, bool) {
	escaped := strings.HasPrefix(lit, "E")
	lit = strings.TrimPrefix(lit, "E")
	if len(lit) < 2 || lit[0] != '\'' || lit[len(lit)-1] != '\'' {
		return "", false
	}
	v := strings.ReplaceAll(lit[1:len(lit)-1], "''", "'")
	if escaped {
		v = strings.ReplaceAll(v, `\\`, `\`)
	}
	return v, true
}

// lookup resolves a relation name like to_regclass with search_path = public.
func (s *memStore) lookup(name string) *memRelation {
	parts, err := sqlname.ParseQualified(name)
	if err != nil || len(parts) > 2 {
		return nil
	}
	schema := "public"
	if len(parts) == 2 {
		schema = parts[0]
	}
	for _, r := range s.relations {
		if r.schema == schema && r.name == parts[len(parts)-1] {
			return r
		}
	}
	return nil
}

func (s *memStore) resolve(_ string, a args) ([]Row, error) {
	if r := s.lookup(a.str(1)); r != nil {
		return []Row{{integer(r.oid), text(r.schema), text(r.name)}}, nil
	}
	return nil, nil
}

func (s *memStore) relationColumns(_ string, a args) ([]Row, error) {
	r := withID(s.relations, a.int64(1))
	if r == nil {
		return nil, nil
	}
	var rows []Row
	for _, c := range r.columns {
		rows = append(rows, Row{text(c.name), text(c.typeName), text(textArray(c.computedFrom))})
	}
	return rows, nil
}

func (s *memStore) deniedColumns(_ string, a args) ([]Row, error) {
	r := withID(s.relations, a.int64(1))
	names, ok := a.at(2).([]string)
	if r == nil || !ok {
		return nil, s.fail("has_column_privilege on oid %d with names %T", a.int64(1), a.at(2))
	}
	var denied []string
	for _, n := range names {
		if s.denied[r.schema+"."+r.name+"."+n] {
			denied = append(denied, n)
		}
	}
	return []Row{{text(s.user), text(textArray(denied))}}, nil
}

var categoriesPattern = regexp.MustCompile(`SELECT DISTINCT ("(?:[^"]|"")+")::text AS v FROM (.+) WHERE ("(?:[^"]|"")+") IS NOT NULL\) d$`)

// categories is the count and jsonb array of a column's distinct non-NULL values, in byte order.
func (s *memStore) categories(sql string, _ args) ([]Row, error) {
	m := categoriesPattern.FindStringSubmatch(sql)
	if m == nil || m[1] != m[3] {
		return nil, s.fail("unrecognized categories query: %s", sql)
	}
	rel := s.lookup(m[2])
	if rel == nil {
		return nil, s.fail("categories of an unknown relation %s", m[2])
	}
	i, err := rel.columnIndex(m[1])
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	values := []string{}
	for _, r := range rel.rows {
		if v, ok := r[i].(string); ok && !seen[v] {
			seen[v] = true
			values = append(values, v)
		}
	}
	sort.Strings(values)
	b, _ := json.Marshal(values)
	return []Row{{integer(int64(len(values))), text(string(b))}}, nil
}

func (s *memStore) explain(sql string, _ args) ([]Row, error) {
	rel, _, err := s.parseSelect(strings.TrimPrefix(sql, "EXPLAIN (FORMAT JSON) "))
	if err != nil {
		return nil, err
	}
	return []Row{{text(fmt.Sprintf(`[{"Plan": {"Node Type": "Seq Scan", "Plan Rows": %d}}]`, len(rel.rows)))}}, nil
}

// parseSelect reads "SELECT item, item FROM relation", items split outside quotes and parentheses.
func (s *memStore) parseSelect(sql string) (*memRelation, []string, error) {
	if !strings.HasPrefix(sql, "SELECT ") {
		return nil, nil, s.fail("not a SELECT: %s", sql)
	}
	body := sql[len("SELECT "):]
	parts := splitOutside(body, " FROM ")
	if len(parts) != 2 {
		return nil, nil, s.fail("unrecognized SELECT: %s", sql)
	}
	rel := s.lookup(parts[1])
	if rel == nil {
		return nil, nil, s.fail("SELECT from an unknown relation %s", parts[1])
	}
	return rel, splitOutside(parts[0], ", "), nil
}

// splitOutside splits s at sep where sep is outside '…', "…" and parentheses.
func splitOutside(s, sep string) []string {
	var parts []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0 // a doubled quote closes and reopens: same result
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			parts = append(parts, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(parts, s[start:])
}

func (r *memRelation) columnIndex(quoted string) (int, error) {
	parts, err := sqlname.ParseQualified(quoted)
	if err != nil || len(parts) != 1 || quoteIdent(parts[0]) != quoted {
		return 0, fmt.Errorf("memstore: %q is not a quoted column name", quoted)
	}
	for i, c := range r.columns {
		if c.name == parts[0] {
			return i, nil
		}
	}
	return 0, fmt.Errorf(`column %s does not exist`, quoted)
}

var codePattern = regexp.MustCompile(`^CASE WHEN ("(?:[^"]|"")+") IS NULL THEN (\w+)::float8 ELSE \((E?'(?:[^']|'')*')::jsonb ->> ("(?:[^"]|"")+")::text\)::float8 END$`)

// reader reads one select item of a row: a numeric column, or a text column's code expression.
func (r *memRelation) reader(item string) (func(row []any) (float64, error), error) {
	missing := math.Float64frombits(MissingBits)
	if m := codePattern.FindStringSubmatch(item); m != nil {
		i, err := r.columnIndex(m[1])
		if err != nil || m[4] != m[1] {
			return nil, fmt.Errorf("memstore: code expression over %s and %s: %v", m[1], m[4], err)
		}
		mapping, ok := unquoteLiteral(m[3])
		var codes map[string]float64
		if !ok || json.Unmarshal([]byte(mapping), &codes) != nil {
			return nil, fmt.Errorf("memstore: code mapping %s", m[3])
		}
		nullCode := missing
		if m[2] != "NULL" {
			if nullCode, err = strconv.ParseFloat(m[2], 64); err != nil {
				return nil, err
			}
		}
		return func(row []any) (float64, error) {
			switch v := row[i].(type) {
			case nil:
				return nullCode, nil
			case string:
				if code, ok := codes[v]; ok {
					return code, nil
				}
				return missing, nil // ->> of an absent key is NULL
			}
			return 0, fmt.Errorf("memstore: %T in text column %s", row[i], item)
		}, nil
	}
	i, err := r.columnIndex(item)
	if err != nil {
		return nil, err
	}
	if isCategorical(r.columns[i].typeName) {
		return nil, fmt.Errorf("memstore: text column %s read as a number", item)
	}
	return func(row []any) (float64, error) {
		switch v := row[i].(type) {
		case nil:
			return missing, nil
		case float64:
			return v, nil
		case int:
			return float64(v), nil
		case bool:
			if v {
				return 1, nil
			}
			return 0, nil
		}
		return 0, fmt.Errorf("memstore: %T in numeric column %s", row[i], item)
	}, nil
}

// textArray is the text output of a text[].
func textArray(items []string) string {
	quoted := make([]string, len(items))
	for i, v := range items {
		if v == "" || strings.EqualFold(v, "NULL") || strings.ContainsAny(v, "{}\",\\ \t\n") {
			v = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
		}
		quoted[i] = v
	}
	return "{" + strings.Join(quoted, ",") + "}"
}

// float8Text is the text output of a double precision value (extra_float_digits = 1).
func float8Text(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}
