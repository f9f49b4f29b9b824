package harness

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// loadsLibpython reports whether the backend pid has libpython mapped.
func loadsLibpython(t *testing.T, pid int) bool {
	t.Helper()
	maps, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		t.Skipf("cannot read the backend's memory maps (server on another host or user?): %v", err)
	}
	return strings.Contains(string(maps), "libpython")
}

// nativeInference is what pgml.models.metrics says of the project's newest model.
func nativeInference(t *testing.T, conn *pgx.Conn, project string) string {
	t.Helper()
	var status *string
	if err := conn.QueryRow(context.Background(), `SELECT m.metrics->>'native_inference' FROM pgml.models m
		JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = $1 ORDER BY m.id DESC LIMIT 1`, project).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status == nil {
		return "<none>"
	}
	return *status
}

// TestPythonLinearModelsPredictNatively trains linear models with runtime => 'python' (issue
// 11) and predicts them in a new backend in every form: the backend never maps libpython.
// A model without a native form (an SVC whose break_ties decides among three classes by its
// one-vs-rest decision function) does map it, which shows the check can fail.
// Then the same models are served without the python helper library (servesWithoutPythonHelper).
func TestPythonLinearModelsPredictNatively(t *testing.T) {
	ctx := context.Background()
	trainer := connect(t)
	for _, dataset := range []string{"diabetes", "iris", "linnerud"} {
		exec(t, trainer, `SELECT * FROM pgml.load_dataset($1)`, dataset)
	}
	exec(t, trainer, `SELECT * FROM pgml.train('Native Python ridge', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', runtime => 'python')`)
	exec(t, trainer, `SELECT * FROM pgml.train('Native Python logistic', 'classification', 'pgml.iris', 'target', algorithm => 'linear', runtime => 'python',
		hyperparams => '{"max_iter": 5000}')`)
	exec(t, trainer, `SELECT * FROM pgml.train_joint('Native Python joint', 'regression', 'pgml.linnerud', ARRAY['weight', 'waste', 'pulse'],
		algorithm => 'bayesian_ridge', runtime => 'python')`)
	exec(t, trainer, `SELECT * FROM pgml.train('Native Python break ties', 'classification', 'pgml.iris', 'target', algorithm => 'svm', runtime => 'python',
		hyperparams => '{"break_ties": true}')`)
	for project, want := range map[string]string{"Native Python ridge": "native", "Native Python logistic": "native", "Native Python joint": "native",
		"Native Python break ties": "SVC: break_ties predicts by the one-vs-rest decision function, which has no native form"} {
		if got := nativeInference(t, trainer, project); got != want {
			t.Fatalf("%s: native_inference %q, want %q", project, got, want)
		}
	}

	predictor := connect(t) // a new backend: nothing loaded yet
	pid := backendPID(t, predictor)
	diabetesRow := `ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]`
	var regression, class float64
	var probabilities, joint, batch []float64
	var rowForm float64
	for _, q := range []struct {
		sql  string
		dest any
	}{
		{`SELECT pgml.predict('Native Python ridge', ` + diabetesRow + `)`, &regression},
		{`SELECT pgml.predict('Native Python ridge', (0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1))`, &rowForm},
		{`SELECT array_agg(p::float8) FROM pgml.predict_batch('Native Python ridge', ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::real[]) p`, &batch},
		{`SELECT pgml.predict('Native Python logistic', ARRAY[6.7, 3.0, 5.2, 2.3])`, &class},
		{`SELECT pgml.predict_proba('Native Python logistic', ARRAY[6.7, 3.0, 5.2, 2.3])::float8[]`, &probabilities},
		{`SELECT pgml.predict_joint('Native Python joint', ARRAY[5, 162, 60])::float8[]`, &joint},
	} {
		if err := predictor.QueryRow(ctx, q.sql).Scan(q.dest); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	if class != 2 || len(probabilities) != 3 || probabilities[2] < 0.5 || len(joint) != 3 || len(batch) != 2 ||
		regression < 25 || regression > 346 || rowForm != regression || batch[1] == batch[0] {
		t.Fatalf("predictions: ridge %v (row form %v, batch %v), logistic %v %v, joint %v", regression, rowForm, batch, class, probabilities, joint)
	}
	if loadsLibpython(t, pid) {
		t.Fatalf("backend %d predicted python-trained linear models and mapped libpython", pid)
	}

	// The control: a python model without a native form starts the interpreter.
	exec(t, predictor, `SELECT pgml.predict('Native Python break ties', ARRAY[6.7, 3.0, 5.2, 2.3])`)
	if !loadsLibpython(t, pid) {
		t.Fatalf("backend %d predicted an SVC with break_ties without mapping libpython: the check cannot fail", pid)
	}

	servesWithoutPythonHelper(t, trainer, map[string][]float64{"ridge": {regression}, "logistic": probabilities, "joint": joint})
}

// servesWithoutPythonHelper is issue 11's item 6, after TestPythonLinearModelsPredictNatively
// trained its models and predicted them (before): with libpgml_python hidden (a server without
// Python), a new backend predicts them as before, and an SVC with break_ties (no native form)
// fails, which shows the hiding works. The ridge model is first made as pgml stored models
// before native forms (its pickle only): a backend predicts it through the interpreter, then
// pgml.nativize converts it from a backend that cannot load the helper (the pickle is loaded in
// the python worker), and the first backend reloads it natively.
func servesWithoutPythonHelper(t *testing.T, trainer *pgx.Conn, before map[string][]float64) {
	ridge := modelOf(t, trainer, "Native Python ridge")
	exec(t, trainer, `DELETE FROM pgml.files WHERE model_id = $1 AND path = 'estimator.pgml'`, ridge)
	exec(t, trainer, `UPDATE pgml.models SET metrics = metrics - 'native_inference' WHERE id = $1`, ridge)
	diabetesRow := `ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]`
	queries := map[string]string{
		"ridge":    fmt.Sprintf(`SELECT ARRAY[pgml.predict(%d, %s)::float8]`, ridge, diabetesRow),
		"logistic": fmt.Sprintf(`SELECT pgml.predict_proba(%d, ARRAY[6.7, 3.0, 5.2, 2.3])::float8[]`, modelOf(t, trainer, "Native Python logistic")),
		"joint":    fmt.Sprintf(`SELECT pgml.predict_joint(%d, ARRAY[5, 162, 60])::float8[]`, modelOf(t, trainer, "Native Python joint")),
	}
	withPython := connect(t)
	interpreted, err := predictAll(withPython, map[string]string{"ridge": queries["ridge"]})
	if err != nil {
		t.Fatal(err)
	}
	if rt := cachedRuntime(t, withPython, ridge); rt != "python" || !sameValues(interpreted["ridge"], before["ridge"]) {
		t.Fatalf("without its native form the ridge model loaded as %s and predicts %v (native form: %v)", rt, interpreted["ridge"], before["ridge"])
	}

	hidePythonHelper(t)
	converter := connect(t)  // a new backend: it cannot load the helper
	for i := 0; i < 2; i++ { // the second call finds the native form
		var status string
		if err := converter.QueryRow(context.Background(), `SELECT pgml.nativize($1)`, ridge).Scan(&status); err != nil || status != "native" {
			t.Fatalf("pgml.nativize(%d) without the helper library (call %d): %q, %v", ridge, i+1, status, err)
		}
	}
	if got := nativeInference(t, converter, "Native Python ridge"); got != "native" {
		t.Fatalf("native_inference after pgml.nativize: %q", got)
	}
	// The backend that cached the python form reloads the model natively.
	again, err := predictAll(withPython, map[string]string{"ridge": queries["ridge"]})
	if err != nil {
		t.Fatal(err)
	}
	if rt := cachedRuntime(t, withPython, ridge); rt != "go" || !sameValues(again["ridge"], before["ridge"]) {
		t.Fatalf("after pgml.nativize in another backend: cached as %s, predicts %v (before %v)", rt, again["ridge"], before["ridge"])
	}

	fresh := connect(t)
	pid := backendPID(t, fresh)
	after, err := predictAll(fresh, queries)
	if err != nil {
		t.Fatalf("predicting python-trained models without the helper library: %v", err)
	}
	for name, want := range before {
		if !sameValues(after[name], want) {
			t.Errorf("%s: %v without the helper library, %v before", name, after[name], want)
		}
	}
	if loadsLibpython(t, pid) {
		t.Errorf("backend %d mapped libpython", pid)
	}
	_, err = fresh.Exec(context.Background(), `SELECT pgml.predict('Native Python break ties', ARRAY[6.7, 3.0, 5.2, 2.3])`)
	if err == nil || !strings.Contains(err.Error(), "python runtime unavailable") {
		t.Fatalf("a model without native form predicted without the helper library: %v", err)
	}
}

// modelOf is the id of the project's newest model.
func modelOf(t *testing.T, conn *pgx.Conn, project string) int64 {
	t.Helper()
	var id int64
	if err := conn.QueryRow(context.Background(), `SELECT m.id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
		WHERE p.name = $1 ORDER BY m.id DESC LIMIT 1`, project).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// cachedRuntime is the runtime pgml.model_cache() shows for a model this backend loaded.
func cachedRuntime(t *testing.T, conn *pgx.Conn, modelID int64) string {
	t.Helper()
	var runtime string
	if err := conn.QueryRow(context.Background(), `SELECT coalesce((SELECT runtime FROM pgml.model_cache() WHERE model_id = $1), '<not cached>')`,
		modelID).Scan(&runtime); err != nil {
		t.Fatal(err)
	}
	return runtime
}

// predictAll predicts one row of each model (by id) in conn, as float64 arrays.
func predictAll(conn *pgx.Conn, queries map[string]string) (map[string][]float64, error) {
	got := map[string][]float64{}
	for name, sql := range queries {
		var values []float64
		if err := conn.QueryRow(context.Background(), sql).Scan(&values); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		got[name] = values
	}
	return got, nil
}

// sameValues compares predictions returned as real (float4): equal to float4 precision.
func sameValues(got, want []float64) bool {
	if len(got) != len(want) || len(got) == 0 {
		return false
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-6*math.Max(1, math.Abs(want[i])) {
			return false
		}
	}
	return true
}

// TestPythonTreeModelsPredictNatively trains scikit-learn tree ensembles (issue 11): they
// predict natively in a new backend without mapping libpython, and as the python model does:
// with the native form's file removed, the same model loads from its pickle, predicts
// through the interpreter, and gives the same predictions and probabilities.
func TestPythonTreeModelsPredictNatively(t *testing.T) {
	ctx := context.Background()
	trainer := connect(t)
	for _, dataset := range []string{"diabetes", "iris"} {
		exec(t, trainer, `SELECT * FROM pgml.load_dataset($1)`, dataset)
	}
	type model struct {
		project, task, relation, label, algorithm string
		row                                       string
	}
	diabetesRow := `ARRAY[0.03, -0.04, 0.06, 0.02, -0.04, -0.03, -0.04, 0.0, 0.02, -0.02]`
	irisRow := `ARRAY[6.3, 2.8, 5.1, 1.5]`
	models := []model{
		{"Native Python forest", "regression", "pgml.diabetes", "target", "random_forest", diabetesRow},
		{"Native Python boosting", "regression", "pgml.diabetes", "target", "gradient_boosting_trees", diabetesRow},
		{"Native Python forest classes", "classification", "pgml.iris", "target", "random_forest", irisRow},
		{"Native Python boosting classes", "classification", "pgml.iris", "target", "gradient_boosting_trees", irisRow},
	}
	for _, m := range models {
		exec(t, trainer, `SELECT * FROM pgml.train($1, $2, $3, $4, algorithm => $5, runtime => 'python', hyperparams => '{"n_estimators": 20}')`,
			m.project, m.task, m.relation, m.label, m.algorithm)
		if got := nativeInference(t, trainer, m.project); got != "native" {
			t.Fatalf("%s: native_inference %q, want native", m.project, got)
		}
	}
	// Each model's predictions of ten rows near the probe row, and a classifier's probabilities.
	predictions := func(conn *pgx.Conn, m model) []float64 {
		t.Helper()
		q := `SELECT array_agg(pgml.predict($1, (SELECT array_agg(v * (1 + i / 100.0))::float8[] FROM unnest(` + m.row + `::float8[]) v)) ORDER BY i)
			FROM generate_series(0, 9) i`
		if m.task == "classification" {
			q = `SELECT array_agg(p ORDER BY i, k) FROM generate_series(0, 9) i,
				unnest(pgml.predict_proba($1, (SELECT array_agg(v * (1 + i / 100.0))::real[] FROM unnest(` + m.row + `::float8[]) v))::float8[]) WITH ORDINALITY u(p, k)`
		}
		var out []float64
		if err := conn.QueryRow(ctx, q, m.project).Scan(&out); err != nil {
			t.Fatalf("%s: %v", m.project, err)
		}
		return out
	}
	predictor := connect(t)
	pid := backendPID(t, predictor)
	native := map[string][]float64{}
	for _, m := range models {
		native[m.project] = predictions(predictor, m)
	}
	if loadsLibpython(t, pid) {
		t.Fatalf("backend %d predicted python-trained tree models and mapped libpython", pid)
	}
	for _, m := range models {
		exec(t, trainer, `DELETE FROM pgml.files f USING pgml.models m, pgml.projects p
			WHERE f.model_id = m.id AND m.project_id = p.id AND p.name = $1 AND f.path = 'estimator.pgml'`, m.project)
	}
	viaPython := connect(t)
	pid = backendPID(t, viaPython)
	for _, m := range models {
		want, got := predictions(viaPython, m), native[m.project]
		if len(want) != len(got) || len(want) < 10 {
			t.Fatalf("%s: %d predictions through python, %d natively", m.project, len(want), len(got))
		}
		for i := range want {
			if d := want[i] - got[i]; d > 1e-9*max(1, want[i]) || -d > 1e-9*max(1, want[i]) {
				t.Fatalf("%s: value %d is %v through python, %v natively", m.project, i, want[i], got[i])
			}
		}
	}
	if !loadsLibpython(t, pid) {
		t.Fatalf("backend %d predicted the pickles without mapping libpython: the comparison compared native forms", pid)
	}
}
