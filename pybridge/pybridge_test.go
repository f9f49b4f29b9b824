package pybridge

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms"
)

// algCase is one python algorithm of the table in docs/sql-reference.md.
type algCase struct {
	name       string
	reg, clf   bool
	multi      bool   // wrap_multioutput in bridge.py
	hyper      string // keeps the heavy ones small
	rows       int    // 0: whole dataset
	notInstall string // package expected to be missing (lightgbm, catboost)
}

var algCases = []algCase{
	{name: "linear", reg: true, clf: true, hyper: `{"max_iter": 1000}`},
	{name: "ridge", reg: true, clf: true},
	{name: "lasso", reg: true},
	{name: "elastic_net", reg: true},
	{name: "least_angle", reg: true},
	{name: "lasso_least_angle", reg: true},
	{name: "orthogonal_matching_pursuit", reg: true},
	{name: "orthoganl_matching_pursuit", reg: true},
	{name: "bayesian_ridge", reg: true, multi: true},
	{name: "automatic_relevance_determination", reg: true, multi: true},
	{name: "stochastic_gradient_descent", reg: true, clf: true, multi: true},
	{name: "perceptron", clf: true},
	{name: "passive_aggressive", reg: true, clf: true, multi: true},
	{name: "ransac", reg: true},
	{name: "theil_sen", reg: true, multi: true, hyper: `{"max_subpopulation": 200}`},
	{name: "huber", reg: true, multi: true, hyper: `{"max_iter": 1000}`},
	{name: "quantile", reg: true, multi: true, hyper: `{"solver": "highs", "alpha": 0}`},
	{name: "kernel_ridge", reg: true},
	{name: "gaussian_process", reg: true, clf: true, rows: 100},
	{name: "svm", reg: true, clf: true, multi: true, hyper: `{"probability": true}`},
	{name: "nu_svm", reg: true, clf: true, multi: true},
	{name: "linear_svm", reg: true, clf: true, multi: true, hyper: `{"max_iter": 5000}`},
	{name: "ada_boost", reg: true, clf: true, multi: true},
	{name: "bagging", reg: true, clf: true},
	{name: "extra_trees", reg: true, clf: true, hyper: `{"n_estimators": 20}`},
	{name: "gradient_boosting_trees", reg: true, clf: true, multi: true, hyper: `{"n_estimators": 30}`},
	{name: "hist_gradient_boosting", reg: true, clf: true, hyper: `{"max_iter": 30}`},
	{name: "random_forest", reg: true, clf: true, hyper: `{"n_estimators": 20}`},
	{name: "xgboost", reg: true, clf: true, hyper: `{"n_estimators": 20}`},
	{name: "xgboost_random_forest", reg: true, clf: true, hyper: `{"n_estimators": 10}`},
	{name: "lightgbm", reg: true, clf: true, multi: true, notInstall: "lightgbm"},
	{name: "catboost", reg: true, clf: true, notInstall: "catboost"},
}

// hyperFor drops keys a task's estimator does not take.
func hyperFor(c algCase, task algorithms.Task) string {
	switch {
	case c.name == "svm" && task == algorithms.Regression:
		return "" // SVR has no probability
	case c.name == "linear" && task == algorithms.Regression:
		return "" // LinearRegression has no max_iter
	case c.name == "linear_svm" && task == algorithms.Regression:
		return `{"max_iter": 20000}`
	}
	return c.hyper
}

func predictAll(t *testing.T, m *Model, x algorithms.Matrix) []float64 {
	t.Helper()
	dst := make([]float64, x.Rows*m.NumOutputs())
	if err := m.PredictChecked(dst, x.Data); err != nil {
		t.Fatalf("predict: %v", err)
	}
	return dst
}

// TestAlgorithms trains every algorithm of that table for each task it
// supports, predicts, and round-trips the model through MarshalBinary/Load.
func TestAlgorithms(t *testing.T) {
	needPython(t)
	diabX, diabY := loadCSV(t, "diabetes", "target")
	irisX, irisY := loadCSV(t, "iris", "target")
	for _, c := range algCases {
		for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification} {
			supported := (task == algorithms.Regression && c.reg) || (task == algorithms.Classification && c.clf)
			c, task := c, task
			t.Run(c.name+"/"+task.String(), func(t *testing.T) {
				x, y := diabX, diabY
				if task == algorithms.Classification {
					x, y = irisX, irisY
				}
				if c.rows > 0 {
					x, y = head(x, c.rows), head(y, c.rows)
					if task == algorithms.Classification { // iris is sorted by class
						x, y = everyNth(x, 150/c.rows+1), everyNth(y, 150/c.rows+1)
					}
				}
				m, eff, err := Train(c.name, task, x, y, hyperFor(c, task))
				if !supported {
					want := "`" + c.name + "` does not support " + task.String()
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Fatalf("got %v, want an error containing %q", err, want)
					}
					return
				}
				if c.notInstall != "" {
					want := c.notInstall + " is not installed"
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Fatalf("got %v, want an error containing %q", err, want)
					}
					return
				}
				if err != nil {
					t.Fatalf("train: %v", err)
				}
				defer m.Close()
				checkModel(t, m, c.name, task, x, y, eff)
			})
		}
	}
}

func everyNth(m algorithms.Matrix, n int) algorithms.Matrix {
	out := algorithms.Matrix{Cols: m.Cols}
	for i := 0; i < m.Rows; i += n {
		out.Data = append(out.Data, m.Row(i)...)
		out.Rows++
	}
	return out
}

func checkModel(t *testing.T, m *Model, name string, task algorithms.Task, x, y algorithms.Matrix, eff string) {
	t.Helper()
	if m.Algorithm() != name || m.Task() != task || m.NumFeatures() != x.Cols || m.NumOutputs() != y.Cols {
		t.Fatalf("model says %s/%v %d features %d outputs, want %s/%v %d %d",
			m.Algorithm(), m.Task(), m.NumFeatures(), m.NumOutputs(), name, task, x.Cols, y.Cols)
	}
	var params map[string]any
	if err := json.Unmarshal([]byte(eff), &params); err != nil {
		t.Fatalf("effective hyperparams %q: %v", eff, err)
	}
	pred := predictAll(t, m, x)
	for i, v := range pred {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("prediction %d is %v", i, v)
		}
	}
	if task == algorithms.Classification {
		classes := m.Classes()
		if len(classes) < 2 {
			t.Fatalf("classes %v", classes)
		}
		correct := 0
		for i, v := range pred {
			found := false
			for _, c := range classes {
				found = found || c == v
			}
			if !found {
				t.Fatalf("prediction %v not among classes %v", v, classes)
			}
			if v == y.Data[i] {
				correct++
			}
		}
		t.Logf("%s: training accuracy %.3f, hyperparams %s", m.PythonClass(), float64(correct)/float64(len(pred)), eff)
		if m.HasPredictProba() {
			checkProba(t, m, x, pred)
		} else {
			dst := make([]float64, x.Rows*len(classes))
			if err := m.PredictProbaChecked(dst, x.Data); err == nil || !strings.Contains(err.Error(), "AttributeError") {
				t.Fatalf("predict_proba without support: %v", err)
			}
		}
	} else {
		t.Logf("%s: training r2 %.3f, hyperparams %s", m.PythonClass(), r2(y.Data, pred), eff)
	}

	// Round trip.
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	m2, err := Load(b)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	defer m2.Close()
	wantAlg := name
	if name == "orthoganl_matching_pursuit" {
		wantAlg = "orthogonal_matching_pursuit"
	}
	if m2.Algorithm() != wantAlg || m2.Task() != task || m2.NumFeatures() != x.Cols || m2.NumOutputs() != y.Cols {
		t.Fatalf("loaded model says %s/%v %d features %d outputs", m2.Algorithm(), m2.Task(), m2.NumFeatures(), m2.NumOutputs())
	}
	pred2 := predictAll(t, m2, x)
	for i := range pred {
		if pred[i] != pred2[i] {
			t.Fatalf("prediction %d differs after round trip: %v vs %v", i, pred[i], pred2[i])
		}
	}
}

func checkProba(t *testing.T, m *Model, x algorithms.Matrix, pred []float64) {
	t.Helper()
	k := len(m.Classes())
	proba := make([]float64, x.Rows*k)
	if err := m.PredictProbaChecked(proba, x.Data); err != nil {
		t.Fatalf("predict_proba: %v", err)
	}
	agree := 0
	for i := 0; i < x.Rows; i++ {
		row := proba[i*k : (i+1)*k]
		sum, best := 0.0, 0
		for j, p := range row {
			sum += p
			if p > row[best] {
				best = j
			}
		}
		if math.Abs(sum-1) > 1e-6 {
			t.Fatalf("row %d probabilities sum to %v", i, sum)
		}
		if m.Classes()[best] == pred[i] {
			agree++
		}
	}
	// SVC(probability=True) uses Platt scaling, which may disagree with
	// predict on a few rows; the others agree exactly.
	if float64(agree) < 0.9*float64(x.Rows) {
		t.Fatalf("argmax of predict_proba agrees with predict on %d of %d rows", agree, x.Rows)
	}
}

func r2(y, p []float64) float64 {
	mean := 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	var ss, st float64
	for i := range y {
		ss += (y[i] - p[i]) * (y[i] - p[i])
		st += (y[i] - mean) * (y[i] - mean)
	}
	return 1 - ss/st
}

// TestJoint: three targets (linnerud), for estimators that handle several
// outputs natively and for those wrapped in MultiOutputRegressor.
func TestJoint(t *testing.T) {
	needPython(t)
	x, y := loadCSV(t, "linnerud", "weight", "waste", "pulse")
	for _, alg := range []string{"linear", "ridge", "random_forest", "bayesian_ridge", "gradient_boosting_trees", "svm"} {
		t.Run(alg, func(t *testing.T) {
			m, eff, err := Train(alg, algorithms.Regression, x, y, "")
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			checkModel(t, m, alg, algorithms.Regression, x, y, eff)
			wrapped := strings.HasSuffix(m.PythonClass(), "MultiOutputRegressor")
			wantWrapped := alg == "bayesian_ridge" || alg == "gradient_boosting_trees" || alg == "svm"
			if wrapped != wantWrapped {
				t.Fatalf("%s: python class %s", alg, m.PythonClass())
			}
		})
	}
	if _, _, err := Train("linear", algorithms.Classification, x, y, ""); err == nil {
		t.Fatal("joint classification succeeded")
	}
}

func TestRandomStateInjection(t *testing.T) {
	needPython(t)
	x, y := loadCSV(t, "iris", "target")
	for _, c := range []struct{ alg, hyper, want string }{
		{"random_forest", `{"n_estimators": 5}`, `{"n_estimators": 5, "random_state": 0}`},
		{"random_forest", `{"n_estimators": 5, "random_state": 7}`, `{"n_estimators": 5, "random_state": 7}`},
		{"linear", "", `{"random_state": 0}`}, // LogisticRegression takes random_state
		{"xgboost", `{"n_estimators": 2}`, `{"n_estimators": 2, "random_state": 0}`},
		{"ridge", "null", `{"random_state": 0}`},
	} {
		m, eff, err := Train(c.alg, algorithms.Classification, x, y, c.hyper)
		if err != nil {
			t.Fatal(err)
		}
		m.Close()
		if eff != c.want {
			t.Errorf("%s %s: effective %s, want %s", c.alg, c.hyper, eff, c.want)
		}
	}
	dx, dy := loadCSV(t, "diabetes", "target")
	m, eff, err := Train("linear", algorithms.Regression, dx, dy, "")
	if err != nil {
		t.Fatal(err)
	}
	m.Close()
	if eff != "{}" {
		t.Errorf("LinearRegression: effective %s, want {}", eff)
	}
}

// TestProbaOrder: classes are sorted and predict_proba columns follow them.
func TestProbaOrder(t *testing.T) {
	needPython(t)
	x, y := loadCSV(t, "iris", "target")
	relabel := map[float64]float64{0: 9, 1: -2, 2: 5}
	y2 := algorithms.Matrix{Rows: y.Rows, Cols: 1, Data: make([]float64, y.Rows)}
	for i, v := range y.Data {
		y2.Data[i] = relabel[v]
	}
	for _, alg := range []string{"linear", "random_forest", "gradient_boosting_trees"} {
		m, _, err := Train(alg, algorithms.Classification, x, y2, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Classes(); len(got) != 3 || got[0] != -2 || got[1] != 5 || got[2] != 9 {
			t.Fatalf("%s classes %v", alg, got)
		}
		// Row 0 is class 0 -> label 9 -> last column.
		p := make([]float64, 3)
		if err := m.PredictProbaChecked(p, x.Row(0)); err != nil {
			t.Fatal(err)
		}
		if !(p[2] > p[0] && p[2] > p[1]) {
			t.Fatalf("%s: probabilities %v for a label-9 row", alg, p)
		}
		lab := make([]float64, 1)
		m.Predict(lab, x.Row(0))
		if lab[0] != 9 {
			t.Fatalf("%s predicted %v", alg, lab[0])
		}
		var c algorithms.Model = m.AsModel()
		if _, ok := c.(algorithms.Classifier); !ok {
			t.Fatal("classifier's AsModel is not an algorithms.Classifier")
		}
		m.Close()
	}
}

func TestErrors(t *testing.T) {
	needPython(t)
	x, y := loadCSV(t, "diabetes", "target")

	_, _, err := Train("linear", algorithms.Regression, x, y, `{"foo": 1}`)
	var pe *PythonError
	if !errors.As(err, &pe) || pe.Type != "TypeError" || !strings.Contains(pe.Message, "unexpected keyword argument 'foo'") {
		t.Fatalf("bad hyperparameter: %v", err)
	}
	// The interpreter still works.
	m, _, err := Train("linear", algorithms.Regression, x, y, "")
	if err != nil {
		t.Fatalf("train after an exception: %v", err)
	}
	defer m.Close()

	if _, _, err := Train("linear", algorithms.Regression, x, y, `[1]`); err == nil || !strings.Contains(err.Error(), "hyperparams must be a JSON object") {
		t.Fatalf("non-object hyperparams: %v", err)
	}
	if _, _, err := Train("linear", algorithms.Regression, x, y, `{bad`); err == nil || !strings.Contains(err.Error(), "JSONDecodeError") {
		t.Fatalf("bad JSON: %v", err)
	}
	if _, _, err := Train("no_such_algorithm", algorithms.Regression, x, y, ""); err == nil || !strings.Contains(err.Error(), "`no_such_algorithm` does not support regression") {
		t.Fatalf("unknown algorithm: %v", err)
	}
	if _, _, err := Train("lasso", algorithms.Classification, x, y, ""); err == nil || err.Error() != "ValueError: `lasso` does not support classification" {
		t.Fatalf("lasso classification: %v", err)
	}
	// sklearn's own validation error (continuous labels for a classifier).
	if _, _, err := Train("random_forest", algorithms.Classification, x, algorithms.Matrix{Rows: y.Rows, Cols: 1, Data: append([]float64(nil), x.Data[:y.Rows]...)}, ""); err == nil || !strings.Contains(err.Error(), "ValueError") {
		t.Fatalf("continuous labels: %v", err)
	}
	// Garbage pickle.
	if _, err := Load([]byte("this is not a pickle")); err == nil || !strings.Contains(err.Error(), "UnpicklingError") {
		t.Fatalf("garbage pickle: %v", err)
	}
	if _, err := Load(nil); err == nil {
		t.Fatal("empty pickle loaded")
	}
	// A pickle of something that is not an estimator.
	if _, err := Load([]byte("\x80\x05K\x01.")); err == nil || err.Error() != "TypeError: the pickle does not hold a model (got int)" {
		t.Fatalf("pickle of an int: %v", err)
	}
	// Shapes.
	if err := m.PredictChecked(make([]float64, 2), make([]float64, 10)); err == nil {
		t.Fatal("destination too long accepted")
	}
	if err := m.PredictChecked(make([]float64, 1), make([]float64, 9)); err == nil {
		t.Fatal("ragged x accepted")
	}
	if err := m.PredictChecked(nil, nil); err != nil {
		t.Fatalf("zero rows: %v", err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("Predict with a bad shape did not panic")
			}
		}()
		m.Predict(make([]float64, 2), make([]float64, 10))
	}()
	if err := m.PredictProbaChecked(make([]float64, 1), make([]float64, 10)); err == nil || !strings.Contains(err.Error(), "regression") {
		t.Fatalf("predict_proba on a regressor: %v", err)
	}
	if _, ok := m.AsModel().(algorithms.Classifier); ok {
		t.Fatal("regressor's AsModel is an algorithms.Classifier")
	}
	// Still fine after all that.
	if err := m.PredictChecked(make([]float64, 1), x.Row(0)); err != nil {
		t.Fatal(err)
	}
	m.Close()
	m.Close()
	if err := m.PredictChecked(make([]float64, 1), x.Row(0)); err == nil {
		t.Fatal("predict after Close")
	}
}

func TestVersions(t *testing.T) {
	needPython(t)
	v, err := PythonVersion()
	if err != nil || !strings.HasPrefix(v, "3.11") {
		t.Fatalf("python version %q, %v", v, err)
	}
	deps := Dependencies()
	t.Logf("python %s, dependencies %v", v, deps)
	for _, name := range []string{"numpy", "scipy", "sklearn"} {
		if strings.HasPrefix(deps[name], "missing") {
			t.Errorf("%s: %s", name, deps[name])
		}
	}
	if !strings.HasPrefix(deps["lightgbm"], "missing: ImportError: lightgbm is not installed") {
		t.Errorf("lightgbm: %s", deps["lightgbm"])
	}
	if _, err := PackageVersion("no_such_package_xyz"); err == nil || !strings.Contains(err.Error(), "ModuleNotFoundError") {
		t.Fatalf("missing package: %v", err)
	}
}

func TestPipFreeze(t *testing.T) {
	needPython(t)
	packages, err := PipFreeze()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d distributions, e.g. %v", len(packages), packages[:min(5, len(packages))])
	seen := map[string]bool{}
	last := ""
	for i, p := range packages {
		name, version, ok := strings.Cut(p, "==")
		if !ok || name == "" || version == "" || strings.ContainsAny(p, "\n") {
			t.Errorf("entry %q is not name==version", p)
		}
		key := strings.NewReplacer("_", "-", ".", "-").Replace(strings.ToLower(name))
		if seen[key] {
			t.Errorf("%s listed twice", name)
		}
		seen[key] = true
		if key < last {
			t.Errorf("not sorted by name: %q after %q", p, packages[i-1])
		}
		last = key
	}
	for _, want := range []string{"numpy", "scipy", "scikit-learn"} {
		if !seen[want] {
			t.Errorf("%s missing from %v", want, packages)
		}
	}
}

// TestInterrupt: RequestInterrupt from another goroutine stops a long fit
// running on the interpreter's main thread.
func TestInterrupt(t *testing.T) {
	needPython(t)
	x, y := synthetic(4000, 20)
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"gradient_boosting", func() error {
			m, _, err := Train("gradient_boosting_trees", algorithms.Regression, x, y, `{"n_estimators": 100000}`)
			if err == nil {
				m.Close()
			}
			return err
		}},
		{"python_loop", func() error {
			_, err := callString("long_running_python_loop", ptr("60"))
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			errc := make(chan error, 1)
			go onMain(func() { errc <- c.run() })
			time.Sleep(700 * time.Millisecond)
			t0 := time.Now()
			RequestInterrupt()
			var err error
			select {
			case err = <-errc:
			case <-time.After(20 * time.Second):
				t.Fatal("not interrupted after 20 s")
			}
			lat := time.Since(t0)
			t.Logf("interrupted after %v: %v", lat, err)
			if !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "KeyboardInterrupt: canceling statement") {
				t.Fatalf("got %v", err)
			}
			if lat > time.Second {
				t.Fatalf("interrupt took %v", lat)
			}
		})
	}
	// A request while nothing runs is not delivered to the next call.
	RequestInterrupt()
	time.Sleep(10 * time.Millisecond)
	var err error
	onMain(func() {
		var m *Model
		m, _, err = Train("gradient_boosting_trees", algorithms.Regression, head(x, 200), head(y, 200), `{"n_estimators": 50}`)
		if err == nil {
			m.Close()
		}
	})
	if err != nil {
		t.Fatalf("train after a stale interrupt: %v", err)
	}
}

func ptr(s string) *string { return &s }

func TestMissingLibrary(t *testing.T) {
	err := openLibrary("/nonexistent/libpgml_python.so")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "python runtime unavailable: /nonexistent/libpgml_python.so: cannot open shared object file") {
		t.Fatalf("got %v", err)
	}
	t.Log(err)
}

// TestConcurrent: goroutines on different OS threads share the interpreter
// (the GIL serializes them; each call creates and drops a thread state).
func TestConcurrent(t *testing.T) {
	needPython(t)
	x, y := loadCSV(t, "iris", "target")
	m, _, err := Train("random_forest", algorithms.Classification, x, y, `{"n_estimators": 5}`)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	want := predictAll(t, m, x)
	errc := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for i := 0; i < 50; i++ {
				dst := make([]float64, x.Rows)
				if err := m.PredictChecked(dst, x.Data); err != nil {
					errc <- err
					return
				}
				for k := range dst {
					if dst[k] != want[k] {
						errc <- errors.New("different predictions")
						return
					}
				}
				if g == 0 && i%10 == 0 {
					m2, _, err := Train("linear", algorithms.Classification, x, y, `{"max_iter": 500}`)
					if err != nil {
						errc <- err
						return
					}
					m2.Close()
				}
			}
			errc <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
}
