package lifecycle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/native"
)

// request is pgml.train's arguments with the boundary's defaults.
func request(project, task, relation string, labels ...string) *TrainRequest {
	return &TrainRequest{ProjectName: project, Task: task, TaskGiven: task != "", RelationName: relation, RelationGiven: relation != "",
		YColumns: labels, Algorithm: "linear", TestSize: 0.25, TestSampling: "stratified", AutomaticDeploy: true}
}

// train runs pgml.train as the boundary does: under a context that a pending interrupt cancels.
func train(sess *Session, req *TrainRequest) (*TrainResult, error) {
	var res *TrainResult
	err := sess.WithInterrupts(func(ctx context.Context) error {
		var err error
		res, err = sess.Train(ctx, req)
		return err
	})
	return res, err
}

// linearRows are y = 3·x1 − 2·x2 plus a little noise, with x1 double precision and x2 integer.
func linearRows(n int, weak bool) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		x1, x2 := float64(i), (i*7)%11
		y := 3*x1 - 2*float64(x2) + 0.5*math.Sin(float64(i))
		if weak {
			x1, x2 = 0, i%2
		}
		rows[i] = []any{x1, x2, y}
	}
	return rows
}

var linearColumns = []string{"x1 double precision", "x2 integer", "y double precision"}

func TestTrainStoresDeploysAndLoads(t *testing.T) {
	sess, store, rt := newTestSession(t)
	store.addRelation("lin", linearColumns, linearRows(60, false))
	res, err := train(sess, request("P", "regression", "lin", "y"))
	if err != nil {
		t.Fatal(err)
	}
	if *res != (TrainResult{Project: "P", Task: "regression", Algorithm: "linear", Deployed: true}) {
		t.Fatalf("result %+v", res)
	}
	info := store.reported(Info)
	if len(info) != 3 || info[0] != "Training linear regression on 45 rows × 2 features (15 test rows)" ||
		!strings.HasPrefix(info[1], "label y: mean ") || !strings.HasPrefix(info[2], "test metrics of linear: mean_absolute_error ") {
		t.Fatalf("INFO %q: want the shape, the label summary and the test metrics", info)
	}
	var phases []string
	for _, m := range store.reported(Debug) {
		phases = append(phases, strings.TrimPrefix(m, "pgml phase: "))
	}
	if want := []string{"snapshot", "reading", "splitting", "preprocessing", "fitting", "scoring", "storing"}; !slices.Equal(phases, want) {
		t.Fatalf("phases %q, want %q", phases, want)
	}

	if len(store.snapshots) != 1 || len(store.models) != 1 || len(store.deployments) != 1 || len(rt.fitted) != 1 {
		t.Fatalf("%d snapshots, %d models, %d deployments, %d fits", len(store.snapshots), len(store.models), len(store.deployments), len(rt.fitted))
	}
	snap, m := store.snapshots[0], store.models[0]
	var analysis map[string]int
	if err := json.Unmarshal([]byte(snap.analysis), &analysis); err != nil || snap.status != "created" || snap.relationName != "lin" ||
		!slices.Equal(snap.yColumns, []string{"y"}) || analysis["samples"] != 60 || analysis["training_rows"] != 45 || analysis["test_rows"] != 15 {
		t.Fatalf("snapshot %+v (%v)", snap, err)
	}
	var columns []columnDescriptor
	if err := json.Unmarshal([]byte(snap.columns), &columns); err != nil || len(columns) != 3 ||
		columns[0].Name != "x1" || columns[1].PgType != "integer" || !columns[2].Label || columns[0].Label {
		t.Fatalf("snapshot columns %s (%v)", snap.columns, err)
	}
	if m.projectID != store.projects[0].id || m.snapshotID != snap.id || m.numFeatures != 2 || m.algorithm != "linear" ||
		m.runtime != "go" || m.status != "successful" || m.search != nil || m.searchParams != "{}" {
		t.Fatalf("model row %+v", m)
	}
	var metrics map[string]any
	if err := json.Unmarshal([]byte(m.metrics), &metrics); err != nil {
		t.Fatal(err)
	}
	if r2, ok := metrics["r2"].(float64); !ok || r2 < 0.99 || metrics["fit_time"] == nil {
		t.Fatalf("metrics %s: want r2 near 1 (the data is linear) and fit_time", m.metrics)
	}
	// The INFO line says the stored metrics, rounded, and not the timings.
	if r2 := strconv.FormatFloat(metrics["r2"].(float64), 'g', 4, 64); !strings.HasSuffix(info[2], ", r2 "+r2) || strings.Contains(info[2], "fit_time") {
		t.Fatalf("metrics line %q, stored r2 %s", info[2], r2)
	}
	// The training's progress was published in every phase, and removed at its end.
	var published []string
	for _, p := range store.published {
		if p.ProjectID != store.projects[0].id || p.Algorithm != "linear" || p.Runtime != "go" {
			t.Fatalf("published %+v", p)
		}
		if len(published) == 0 || published[len(published)-1] != p.Phase {
			published = append(published, p.Phase)
		}
	}
	if !slices.Equal(published, phases) || store.progressEnded != 1 {
		t.Fatalf("published phases %q (want %q), ended %d times", published, phases, store.progressEnded)
	}
	if d := store.deployments[0]; d.modelID != m.id || d.strategy != "new_score" {
		t.Fatalf("deployment %+v", d)
	}

	// Every file part is signed with the key in the data directory.
	key, err := os.ReadFile(filepath.Join(sess.Settings.DataDirectory, modelKeyFile))
	if err != nil || len(key) != modelKeySize {
		t.Fatalf("key file: %d bytes, %v", len(key), err)
	}
	var paths []string
	for _, f := range store.files {
		paths = append(paths, f.path)
		if f.modelID != m.id || f.part != 0 || !slices.Equal(f.digest, fileDigest(key, m.id, f.path, 0, 1, f.data)) {
			t.Fatalf("file row %d (%s) does not carry its digest", f.id, f.path)
		}
	}
	slices.Sort(paths)
	if !slices.Equal(paths, []string{"estimator.pgml", "preprocess.pgml"}) {
		t.Fatalf("files %q", paths)
	}
	if problems, err := sess.UnverifiedParts(); err != nil || len(problems) != 0 {
		t.Fatalf("unverified parts %q, %v", problems, err)
	}

	loaded, desc, err := sess.LoadModel(m.id)
	if err != nil {
		t.Fatal(err)
	}
	if desc.ModelID != m.id || desc.Project != "P" || desc.Algorithm != "linear" || desc.Runtime != "go" || loaded.Rows == nil {
		t.Fatalf("description %+v", desc)
	}
	features := []float64{0, 0, 10, 3, 59, 10, 100, -4}
	got, want := make([]float64, 4), make([]float64, 4)
	if err := loaded.Predict(got, features); err != nil {
		t.Fatal(err)
	}
	rt.fitted[0].Predict(want, features)
	for i := range got {
		truth := 3*features[2*i] - 2*features[2*i+1]
		if got[i] != want[i] || math.Abs(got[i]-truth) > 1 {
			t.Fatalf("row %d: loaded model predicts %v, fitted model %v, truth %v", i, got[i], want[i], truth)
		}
	}

	// A second, worse model is stored but not deployed.
	store.addRelation("weak", linearColumns, linearRows(60, true))
	res, err = train(sess, request("P", "", "weak", "y"))
	if err != nil || res.Deployed || len(store.models) != 2 || len(store.deployments) != 1 {
		t.Fatalf("worse model: %+v, %v; %d models, %d deployments", res, err, len(store.models), len(store.deployments))
	}
	notice := regexp.MustCompile(fmt.Sprintf(`^not deploying: the deployed model %d has r2 0\.99\d*, better than this model's -?\d`, m.id))
	if n := store.reported(Notice); len(n) != 1 || !notice.MatchString(n[0]) {
		t.Fatalf("notices %q", n)
	}

	// A changed byte of the estimator is refused before anything decodes it.
	estimator := store.files[slices.IndexFunc(store.files, func(f *fileRow) bool { return f.modelID == m.id && f.path == "estimator.pgml" })]
	estimator.data[len(estimator.data)/2] ^= 1
	_, _, err = sess.LoadModel(m.id)
	e := wantError(t, err, StateDataCorrupted, fmt.Sprintf("model %d cannot be loaded: its file estimator.pgml (part 0) was not written by pgml on this cluster (digest mismatch)", m.id))
	regress := regexp.MustCompile(`NOTICE:  XX001: (model N cannot be loaded.*)`).FindStringSubmatch(readRegress(t, "privileges.out"))
	if regress == nil || regexp.MustCompile(`[0-9]+`).ReplaceAllString(e.Msg, "N") != regress[1] {
		t.Fatalf("message %q differs from regress/expected/privileges.out %q", e.Msg, regress)
	}
	if problems, err := sess.UnverifiedParts(); err != nil || !slices.Equal(problems, []string{fmt.Sprintf("%d\testimator.pgml\t0\tdigest mismatch", m.id)}) {
		t.Fatalf("unverified parts %q, %v", problems, err)
	}
	// A superuser who signs the changed row makes pgml decode it: the decoder refuses it cleanly.
	if n, err := sess.SignModels(m.id); err != nil || n != 1 {
		t.Fatalf("signed %d rows, %v", n, err)
	}
	if _, _, err := sess.LoadModel(m.id); !strings.HasPrefix(errorState(err), StateDataException+" "+fmt.Sprintf("model %d cannot be loaded: ", m.id)) {
		t.Fatalf("after sign_models: %v", err)
	}
}

func readRegress(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile("../regress/expected/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTrainReusesLastSnapshot trains again without a relation: the project's last snapshot.
func TestTrainReusesLastSnapshot(t *testing.T) {
	sess, store, _ := newTestSession(t)
	store.addRelation("lin", linearColumns, linearRows(40, false))
	if _, err := train(sess, request("P", "regression", "lin", "y")); err != nil {
		t.Fatal(err)
	}
	req := request("P", "", "", "x2")
	if _, err := train(sess, req); err != nil {
		t.Fatal(err)
	}
	if len(store.snapshots) != 1 || len(store.models) != 2 || store.models[1].snapshotID != store.snapshots[0].id {
		t.Fatalf("%d snapshots; models %+v", len(store.snapshots), store.models)
	}
	want := "y_column_name is ignored without relation_name: the project's last snapshot (lin, labels y) is reused"
	if n := store.reported(Notice); len(n) != 1 || n[0] != want {
		t.Fatalf("notices %q, want %q", n, want)
	}
}

// TestRetrainKeepsPreprocessing: a retraining without relation_name applies the preprocessing
// of the project's last training (its features have NULLs that only imputation handles),
// unless it passes its own.
func TestRetrainKeepsPreprocessing(t *testing.T) {
	sess, store, _ := newTestSession(t)
	rows := linearRows(40, false)
	for i := 0; i < len(rows); i += 5 {
		rows[i][0] = nil
	}
	store.addRelation("gaps", linearColumns, rows)
	first := request("P", "regression", "gaps", "y")
	first.Preprocess = `{"x1": {"impute": "mean"}}`
	if _, err := train(sess, first); err != nil {
		t.Fatal(err)
	}
	if _, err := train(sess, request("P", "", "")); err != nil {
		t.Fatalf("retraining without relation_name forgot the preprocessing: %v", err)
	}
	want := `preprocess kept from the project's last training: {"x1":{"impute":"mean","encode":"native","scale":"preserve"}}`
	if infos := store.reported(Info); !slices.Contains(infos, want) {
		t.Errorf("INFO lines %q lack %q", infos, want)
	}
	override := request("P", "", "")
	override.Preprocess = `{"x1": {"impute": "zero"}, "x2": {"scale": "standard"}}`
	if _, err := train(sess, override); err != nil {
		t.Fatal(err)
	}
	columns := store.snapshots[0].columns
	if !strings.Contains(columns, `"impute":"zero"`) || !strings.Contains(columns, `"scale":"standard"`) {
		t.Errorf("an explicit preprocess did not replace the kept one: columns %s", columns)
	}
	if len(store.models) != 3 {
		t.Errorf("%d models, want 3", len(store.models))
	}
}

// TestTrainTextFeature reads a text column as categories through its code expression.
func TestTrainTextFeature(t *testing.T) {
	sess, store, rt := newTestSession(t)
	rows := make([][]any, 50)
	for i := range rows {
		rows[i] = []any{fmt.Sprint(i + 1), float64(i + 1)}
	}
	store.addRelation("text_feature", []string{"x text", "y real"}, rows)
	if _, err := train(sess, request("E3", "regression", "text_feature", "y")); err != nil {
		t.Fatal(err)
	}
	if info := store.reported(Info); len(info) != 3 || info[0] != "Training linear regression on 37 rows × 1 features (13 test rows)" {
		t.Fatalf("INFO %q (regress/expected/errors.out trains text_feature on 37 rows × 1 features)", info)
	}
	// The codes are the 1-based positions of the values in byte order: "1" < "10" < "11" < … < "2".
	var columns []columnDescriptor
	if err := json.Unmarshal([]byte(store.snapshots[0].columns), &columns); err != nil {
		t.Fatal(err)
	}
	sorted := make([]string, 50)
	for i := range sorted {
		sorted[i] = fmt.Sprint(i + 1)
	}
	slices.Sort(sorted)
	if !slices.Equal(columns[0].Categories, sorted) {
		t.Fatalf("categories %q", columns[0].Categories)
	}
	x := make([]float64, 1)
	for code, value := range sorted {
		x[0] = float64(code + 1)
		if p := predictOne(rt.fitted[0], x); math.IsNaN(p) {
			t.Fatalf("code of %q predicts NaN", value)
		}
	}
}

// TestGeneratedColumnsOfLabelsAreNotFeatures: waist is generated from waste (as in
// pgml.linnerud), so either one as the label keeps the other out of the features.
func TestGeneratedColumnsOfLabelsAreNotFeatures(t *testing.T) {
	rows := make([][]any, 40)
	for i := range rows {
		waste := float64(30 + i%7)
		rows[i] = []any{float64(i), waste, waste}
	}
	columns := []string{"x double precision", "waste double precision", "waist double precision <- waste"}
	for _, c := range []struct {
		label    string
		features int
	}{{"waist", 1}, {"waste", 1}, {"x", 2}} {
		sess, store, _ := newTestSession(t)
		store.addRelation("body", columns, rows)
		if _, err := train(sess, request("P", "regression", "body", c.label)); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("Training linear regression on 30 rows × %d features (10 test rows)", c.features)
		if info := store.reported(Info); len(info) == 0 || info[0] != want {
			t.Errorf("label %s: INFO %q, want %q", c.label, info, want)
		}
	}
}

func predictOne(m algorithms.Model, x []float64) float64 {
	out := make([]float64, m.NumOutputs())
	m.Predict(out, x)
	return out[0]
}

func TestTrainErrors(t *testing.T) {
	nulls := func(n int, null func(i int) bool, row func(i int, null bool) []any) [][]any {
		rows := make([][]any, n)
		for i := range rows {
			rows[i] = row(i, null(i))
		}
		return rows
	}
	orNull := func(v float64, null bool) any {
		if null {
			return nil
		}
		return v
	}
	// ti of regress/sql/training_input.sql: the updated row is the last one read (row 40).
	ti := func(a, label any) [][]any {
		return nulls(40, func(int) bool { return false }, func(i int, _ bool) []any {
			if i == 39 {
				return []any{a, 2.0, 3, label}
			}
			return []any{float64(i + 2), float64(2 * (i + 2)), 3 * (i + 2), float64((i + 2) % 2)}
		})
	}
	tiColumns := []string{"a double precision", "b numeric", "c bigint", "label double precision"}
	twoLabels := linearRows(40, false)
	for i := range twoLabels {
		twoLabels[i] = append(twoLabels[i], float64(i%2))
	}
	wrongAlgorithmPrefix := "algorithm `theil_sen` is not available in the go runtime for regression; available: "
	cases := []struct {
		name     string
		columns  []string
		rows     [][]any
		req      func(r *TrainRequest)
		state    string
		msg      string
		snapshot bool // the error comes after the snapshot row was written
	}{
		{"unknown task", nil, nil, func(r *TrainRequest) { r.Task = "regresion" }, StateInvalidParameter,
			regressError(t, "errors.out", "Unknown task `regresion`"), false},
		{"other task", nil, nil, func(r *TrainRequest) { r.ProjectName = "Errors" }, StateDuplicateObject,
			regressError(t, "errors.out", "Project `Errors` already exists"), false},
		{"no project, no task", nil, nil, func(r *TrainRequest) { r.ProjectName, r.TaskGiven = "No Such Project", false }, StateUndefinedObject,
			regressError(t, "errors.out", "Project `No Such Project` does not exist"), false},
		{"unknown algorithm", nil, nil, func(r *TrainRequest) { r.Algorithm = "linear_regression" }, StateInvalidParameter,
			regressError(t, "errors.out", "unknown algorithm `linear_regression`"), false},
		{"unknown runtime", nil, nil, func(r *TrainRequest) { r.Runtime, r.RuntimeGiven = "java", true }, StateInvalidParameter,
			regressError(t, "errors.out", "unknown runtime `java`"), false},
		{"go runtime lacks algorithm", nil, nil, func(r *TrainRequest) { r.Algorithm, r.Runtime, r.RuntimeGiven = "theil_sen", "go", true }, StateFeatureMissing,
			wrongAlgorithmPrefix + strings.Join(native.Algorithms(algorithms.Regression), ", "), false},
		{"rust is go", nil, nil, func(r *TrainRequest) { r.Algorithm, r.Runtime, r.RuntimeGiven = "transformers", "rust", true }, StateFeatureMissing,
			"algorithm `transformers` is not available in the go runtime for regression; available: " + strings.Join(native.Algorithms(algorithms.Regression), ", "), false},
		{"unknown search", nil, nil, func(r *TrainRequest) { r.Search, r.SearchGiven = "annealing", true }, StateInvalidParameter,
			regressError(t, "errors.out", "Unknown hyperparam search `annealing`"), false},
		{"hyperparams not an object", nil, nil, func(r *TrainRequest) { r.Hyperparams = "[1, 2]" }, StateInvalidParameter,
			regressError(t, "errors.out", "hyperparams must be a JSON object"), false},
		{"missing relation", nil, nil, func(r *TrainRequest) { r.RelationName = "no_such_table" }, StateUndefinedTable,
			regressError(t, "errors.out", `relation "no_such_table"`), false},
		{"unquoted mixed case", nil, nil, func(r *TrainRequest) { r.RelationName = "Mixed Case" }, StateInvalidName,
			regressError(t, "errors.out", `relation_name "Mixed Case"`), false},
		{"SQL in relation_name", nil, nil, func(r *TrainRequest) { r.RelationName = "pgml.iris; DROP TABLE pgml.models" }, StateInvalidName,
			regressError(t, "errors.out", `relation_name "pgml.iris; DROP`), false},
		{"missing label column", nil, nil, func(r *TrainRequest) { r.YColumns = []string{"no_such_column"} }, StateUndefinedColumn,
			regressError(t, "errors.out", "Column `no_such_column`"), true},
		{"no relation the first time", nil, nil, func(r *TrainRequest) { r.RelationGiven = false }, StateInvalidParameter,
			regressError(t, "errors.out", "You must pass a `relation_name` and"), false},
		{"relation without label", nil, nil, func(r *TrainRequest) { r.YColumns = nil }, StateInvalidParameter,
			regressError(t, "errors.out", "You must pass a `y_column_name`"), false},
		{"test_sampling", nil, nil, func(r *TrainRequest) { r.TestSampling = "middle" }, StateInvalidParameter,
			regressError(t, "errors.out", "unknown test_sampling `middle`"), false},
		{"test_size 0", nil, nil, func(r *TrainRequest) { r.TestSize = 0 }, StateInvalidParameter,
			regressError(t, "errors.out", "test_size must be"), false},
		{"test_size all rows", nil, nil, func(r *TrainRequest) { r.TestSize = 40 }, StateInvalidParameter,
			"test_size = 40 is too large. There are only 40 samples.", true},
		{"empty relation", nil, nil, func(r *TrainRequest) { r.RelationName = "empty_table" }, StateNoData,
			regressError(t, "errors.out", "Relation `empty_table` contains no rows"), true},
		{"NULL labels", []string{"x real", "y real"},
			nulls(50, func(i int) bool { return (i+1)%10 == 0 }, func(i int, null bool) []any { return []any{float64(i + 1), orNull(float64(i+1), null)} }),
			func(r *TrainRequest) {}, StateNullValue, regressError(t, "errors.out", `The training data labels in "y" contain 5 NULL values.`), true},
		{"NULL features", []string{"x real", "y real"},
			nulls(50, func(i int) bool { return (i+1)%10 == 0 }, func(i int, null bool) []any { return []any{orNull(float64(i+1), null), float64(i + 1)} }),
			func(r *TrainRequest) {}, StateNullValue, regressError(t, "errors.out", "3 missing values for x."), true},
		{"NaN label", tiColumns, ti(1.0, math.NaN()), func(r *TrainRequest) { r.YColumns = []string{"label"} }, StateDataException,
			regressError(t, "training_input.out", `The training data labels in "label" contain 1 NaN value.`), true},
		{"infinite label", tiColumns, ti(1.0, math.Inf(1)), func(r *TrainRequest) { r.YColumns = []string{"label"} }, StateDataException,
			regressError(t, "training_input.out", `The training data labels in "label" contain 1 infinite value`), true},
		{"infinite feature", tiColumns, ti(math.Inf(-1), 1.0), func(r *TrainRequest) { r.YColumns = []string{"label"} }, StateDataException,
			regressError(t, "training_input.out", `feature column "a" contains 1 infinite value`), true},
		{"two labels for classification", append(slices.Clone(linearColumns), "z integer"), twoLabels,
			func(r *TrainRequest) {
				r.ProjectName, r.Task, r.YColumns = "Errors", "classification", []string{"y", "z"}
			}, StateInvalidParameter,
			"classification takes exactly one label column, got 2", true},
		{"text label for regression", []string{"x real", "color text"}, [][]any{{1.0, "red"}, {2.0, "green"}, {3.0, "red"}, {4.0, "blue"}},
			func(r *TrainRequest) { r.YColumns = []string{"color"} }, StateDatatypeMismatch,
			regressError(t, "preprocess.out", `regression needs numeric labels, but "color" is text`), true},
		{"unsupported column type", []string{"at timestamp with time zone", "y integer"}, [][]any{{nil, 1}},
			func(r *TrainRequest) {}, StateDatatypeMismatch, regressError(t, "preprocess.out", "Unhandled type for quantitative column"), true},
		{"imputation of an unknown column", nil, nil, func(r *TrainRequest) { r.Preprocess = `{"x1": {"impute": "sometimes"}}` }, StateInvalidParameter,
			`preprocess: unknown impute "sometimes" for column "x1": allowed values are "error", "mean", "median", "mode", "min", "max" and "zero"`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sess, store, _ := newTestSession(t)
			store.addProject("Errors", "classification")
			columns, rows := linearColumns, linearRows(40, false)
			if c.columns != nil {
				columns, rows = c.columns, c.rows
			}
			req := request("E1", "regression", "rel", "y")
			c.req(req)
			store.addRelation("rel", columns, rows)
			store.addRelation("empty_table", columns, nil)
			_, err := train(sess, req)
			wantError(t, err, c.state, c.msg)
			if len(store.models) != 0 || len(store.deployments) != 0 || (len(store.snapshots) != 0) != c.snapshot {
				t.Fatalf("%d snapshots, %d models, %d deployments after the error", len(store.snapshots), len(store.models), len(store.deployments))
			}
		})
	}
}

func TestTrainInterrupted(t *testing.T) {
	phases := []phase{phaseSnapshot, phaseReading, phaseSplitting, phasePreprocessing, phaseSearching, phaseFitting, phaseScoring, phaseStoring}
	for _, p := range phases {
		t.Run(string(p), func(t *testing.T) {
			sess, store, _ := newTestSession(t)
			store.addRelation("lin", linearColumns, linearRows(60, false))
			store.interruptAt = p
			req := request("P", "regression", "lin", "y")
			req.Search, req.SearchGiven, req.SearchParams, req.SearchArgs = "grid", true, `{"fit_intercept": [true, false]}`, `{"cv": 2}`
			_, err := train(sess, req)
			if !errors.Is(err, ErrInterrupted) {
				t.Fatalf("interrupted in %s: %v", p, err)
			}
			last := store.reported(Debug)
			if got := last[len(last)-1]; got != "pgml phase: "+string(p) {
				t.Fatalf("the training went on to %q after an interrupt in %s", got, p)
			}
			if len(store.deployments) != 0 || (p != phaseStoring && len(store.models) != 0) {
				t.Fatalf("%d models, %d deployments after an interrupt in %s", len(store.models), len(store.deployments), p)
			}
			if store.progressEnded != 1 {
				t.Fatalf("progress ended %d times after an interrupt in %s, want once", store.progressEnded, p)
			}
		})
	}
}

func TestTrainInterruptPendingAtStart(t *testing.T) {
	sess, store, _ := newTestSession(t)
	store.addRelation("lin", linearColumns, linearRows(60, false))
	store.interrupt.Store(true)
	_, err := sess.Train(context.Background(), request("P", "regression", "lin", "y"))
	if !errors.Is(err, ErrInterrupted) || len(store.snapshots) != 0 || len(store.reported(Debug)) != 0 {
		t.Fatalf("got %v with %d snapshots and phases %q; want ErrInterrupted before the first phase starts",
			err, len(store.snapshots), store.reported(Debug))
	}
}

// errorState is "<SQLSTATE> <message>" of an *Error, err's text otherwise.
func errorState(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.State + " " + e.Msg
	}
	return fmt.Sprint(err)
}

// TestExpensiveModelPredictsUnderInterrupts: a loaded knn model (one row costs a pass over the
// training rows) stops predicting once PostgreSQL has an interrupt pending, rather than at the
// end of the caller's rows, and predicts as before without one.
func TestExpensiveModelPredictsUnderInterrupts(t *testing.T) {
	sess, store, _ := newTestSession(t)
	const n = 2000
	rows := make([][]any, n)
	x := make([]float64, 0, 2*n)
	for i := range rows {
		a, b := math.Sin(float64(i)), math.Cos(float64(i*7))
		rows[i] = []any{a, b, i % 2}
		x = append(x, a, b)
	}
	store.addRelation("points", []string{"a double precision", "b double precision", "y integer"}, rows)
	req := request("K", "classification", "points", "y")
	req.Algorithm = "knn"
	if _, err := train(sess, req); err != nil {
		t.Fatal(err)
	}
	loaded, _, err := sess.LoadModel(store.models[0].id)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.stoppable == nil {
		t.Fatal("a knn model was loaded without its interruptible prediction")
	}
	want := make([]float64, n)
	loaded.Model.Predict(want, x)
	got := make([]float64, n)
	if err := loaded.Predict(got, x); err != nil || !slices.Equal(got, want) {
		t.Fatalf("without an interrupt: error %v, predictions differ: %v", err, !slices.Equal(got, want))
	}
	store.interrupt.Store(true)
	defer store.interrupt.Store(false)
	if err := loaded.Predict(got, x); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("with an interrupt pending: %v, want ErrInterrupted", err)
	}
}
