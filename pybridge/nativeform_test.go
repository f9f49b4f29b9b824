package pybridge

import (
	"context"
	"math"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/linear"
)

// interleaved reorders rows (i·7 mod n), so that a dataset sorted by class is trained on
// every class; n must not be a multiple of 7.
func interleaved(x, y algorithms.Matrix) (algorithms.Matrix, algorithms.Matrix) {
	px := algorithms.Matrix{Rows: x.Rows, Cols: x.Cols}
	py := algorithms.Matrix{Rows: y.Rows, Cols: y.Cols}
	for i := 0; i < x.Rows; i++ {
		r := (i * 7) % x.Rows
		px.Data = append(px.Data, x.Row(r)...)
		py.Data = append(py.Data, y.Data[r*y.Cols:(r+1)*y.Cols]...)
	}
	return px, py
}

// toyDataset is a toy dataset with its rows interleaved.
type toyDataset struct {
	name string
	x, y algorithms.Matrix
}

// toySets are the toy datasets the native forms' tests fit, by task.
type toySets struct {
	regression, joint, classification []toyDataset
	linnerud                          toyDataset
}

func loadToySets(t *testing.T) toySets {
	load := func(name string, labels ...string) toyDataset {
		x, y := interleaved(loadCSV(t, name, labels...))
		return toyDataset{name, x, y}
	}
	diabetes, linnerud := load("diabetes", "target"), load("linnerud", "weight", "waste", "pulse")
	return toySets{regression: []toyDataset{diabetes}, joint: []toyDataset{diabetes, linnerud},
		classification: []toyDataset{load("breast_cancer", "malignant"), load("iris", "target")}, linnerud: linnerud}
}

// fitNativeForm fits alg on the first three quarters of d's rows through the worker and
// returns the fit, its native form and the held-out rows.
func fitNativeForm(t *testing.T, w *Worker, alg string, task algorithms.Task, hp string, d toyDataset) (*Fitted, algorithms.Model, algorithms.Matrix) {
	t.Helper()
	fx, fy, held, _ := split(d.x, d.y, d.x.Rows*3/4)
	f, err := w.Fit(context.Background(), WorkerConfig{Threads: 1}, FitRequest{Algorithm: alg, Task: task, X: fx, Y: fy, Held: held,
		Hyperparams: hp, ExportNative: true})
	if err != nil {
		t.Fatal(err)
	}
	native, reason := f.NativeForm()
	if native == nil {
		t.Fatalf("no native form: %s", reason)
	}
	return f, native, held
}

// The native forms of the linear family predict the held-out rows as scikit-learn did,
// within the tolerance the lifecycle accepts (lifecycle/nativeform.go): every algorithm of
// the family for every task it has, on the toy datasets.
func TestLinearNativeForms(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	cfg := WorkerConfig{Threads: 1}
	diabetes, diabetesY := interleaved(loadCSV(t, "diabetes", "target"))
	cancer, cancerY := interleaved(loadCSV(t, "breast_cancer", "malignant"))
	iris, irisY := interleaved(loadCSV(t, "iris", "target"))
	linnerud, linnerudY := interleaved(loadCSV(t, "linnerud", "weight", "waste", "pulse"))

	type dataset struct {
		name string
		x, y algorithms.Matrix
	}
	regression := []dataset{{"diabetes", diabetes, diabetesY}, {"linnerud", linnerud, linnerudY}}
	classification := []dataset{{"breast_cancer", cancer, cancerY}, {"iris", iris, irisY}}
	cases := []struct {
		alg  string
		task algorithms.Task
		hp   string
		// probabilities the native form must give (the estimator has predict_proba)
		probabilities linear.Probabilities
	}{
		{"linear", algorithms.Regression, "", 0},
		{"ridge", algorithms.Regression, "", 0},
		{"lasso", algorithms.Regression, "", 0},
		{"elastic_net", algorithms.Regression, "", 0},
		{"least_angle", algorithms.Regression, "", 0},
		{"lasso_least_angle", algorithms.Regression, "", 0},
		{"orthogonal_matching_pursuit", algorithms.Regression, "", 0},
		{"orthoganl_matching_pursuit", algorithms.Regression, "", 0},
		{"bayesian_ridge", algorithms.Regression, "", 0},
		{"automatic_relevance_determination", algorithms.Regression, "", 0},
		{"stochastic_gradient_descent", algorithms.Regression, "", 0},
		{"passive_aggressive", algorithms.Regression, "", 0},
		{"huber", algorithms.Regression, `{"max_iter": 1000}`, 0},
		{"quantile", algorithms.Regression, `{"alpha": 0, "solver": "highs"}`, 0},
		{"ransac", algorithms.Regression, "", 0},
		{"theil_sen", algorithms.Regression, `{"max_subpopulation": 200}`, 0},
		{"linear_svm", algorithms.Regression, "", 0},
		// LogisticRegression: one-vs-rest for two classes, multinomial (softmax) for more
		// with lbfgs; explicitly either way.
		{"linear", algorithms.Classification, `{"max_iter": 5000}`, linear.SoftmaxProbabilities},
		{"linear", algorithms.Classification, `{"multi_class": "ovr", "solver": "liblinear"}`, linear.OneVsRestProbabilities},
		{"linear", algorithms.Classification, `{"multi_class": "multinomial", "max_iter": 5000}`, linear.SoftmaxProbabilities},
		{"ridge", algorithms.Classification, "", linear.NoProbabilities},
		{"stochastic_gradient_descent", algorithms.Classification, "", linear.NoProbabilities},
		{"stochastic_gradient_descent", algorithms.Classification, `{"loss": "log_loss"}`, linear.OneVsRestProbabilities},
		{"stochastic_gradient_descent", algorithms.Classification, `{"loss": "modified_huber"}`, linear.ModifiedHuberProbabilities},
		{"perceptron", algorithms.Classification, "", linear.NoProbabilities},
		{"passive_aggressive", algorithms.Classification, "", linear.NoProbabilities},
		{"linear_svm", algorithms.Classification, "", linear.NoProbabilities},
	}
	for _, c := range cases {
		sets := regression
		if c.task == algorithms.Classification {
			sets = classification
		}
		for _, d := range sets {
			t.Run(c.alg+"/"+c.task.String()+"/"+d.name+c.hp, func(t *testing.T) {
				n := d.x.Rows * 3 / 4
				fx, fy, held, _ := split(d.x, d.y, n)
				f, err := w.Fit(context.Background(), cfg, FitRequest{Algorithm: c.alg, Task: c.task, X: fx, Y: fy, Held: held,
					Hyperparams: c.hp, ProbabilityClasses: 2, ExportNative: true})
				if err != nil {
					t.Fatal(err)
				}
				native, reason := f.NativeForm()
				if native == nil {
					t.Fatalf("no native form: %s", reason)
				}
				exported := native.(*linear.Exported)
				if native.NumOutputs() != f.NumOutputs() || native.NumFeatures() != held.Cols {
					t.Fatalf("native form has %d outputs and %d features, the fit %d and %d", native.NumOutputs(), native.NumFeatures(), f.NumOutputs(), held.Cols)
				}
				got := make([]float64, held.Rows*native.NumOutputs())
				native.Predict(got, held.Data)
				sameWithin(t, "prediction", f.predictions, got)
				if c.task != algorithms.Classification {
					return
				}
				wantProbabilities := c.probabilities
				if exported.HasPredictProba() != (wantProbabilities != linear.NoProbabilities) {
					t.Fatalf("native form gives probabilities: %v, want %v", exported.HasPredictProba(), wantProbabilities)
				}
				if !exported.HasPredictProba() {
					if f.probabilities != nil {
						t.Fatal("scikit-learn gave probabilities the native form does not")
					}
					return
				}
				if f.probabilities == nil {
					t.Fatal("the worker computed no probabilities to compare with")
				}
				gotP := make([]float64, held.Rows*len(exported.Classes()))
				if err := exported.PredictProbaChecked(gotP, held.Data); err != nil {
					t.Fatal(err)
				}
				sameWithin(t, "probability", f.probabilities, gotP)
			})
		}
	}
}

// sameWithin fails unless got equals want within 1e-9 relative to the larger value (and
// absolutely below 1): the lifecycle's acceptance (lifecycle/nativeform.go firstDifference).
func sameWithin(t *testing.T, what string, want, got []float64) {
	t.Helper()
	sameWithinOf(t, what, want, got, 1e-9)
}

// sameWithinOf is sameWithin with the tolerance of a family (lifecycle nativeToleranceOf).
func sameWithinOf(t *testing.T, what string, want, got []float64, tolerance float64) {
	t.Helper()
	if len(want) != len(got) || len(want) == 0 {
		t.Fatalf("%d %ss from scikit-learn, %d natively", len(want), what, len(got))
	}
	for i := range want {
		scale := math.Max(1, math.Max(math.Abs(want[i]), math.Abs(got[i])))
		if !(math.Abs(want[i]-got[i]) <= tolerance*scale) {
			t.Fatalf("%s %d: scikit-learn %v, native %v", what, i, want[i], got[i])
		}
	}
}

// An estimator without a native form says why: an SVC with break_ties over three classes
// predicts by its one-vs-rest decision function, a GaussianProcessClassifier in one_vs_one
// mode by the votes of its pairs.
func TestNativeFormReason(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	iris, irisY := interleaved(loadCSV(t, "iris", "target"))
	gx, gy, gheld, _ := split(iris, irisY, 120)
	for _, c := range []struct{ alg, hp, want string }{
		{"svm", `{"break_ties": true}`, "SVC: break_ties predicts by the one-vs-rest decision function, which has no native form"},
		{"gaussian_process", `{"multi_class": "one_vs_one"}`, "GaussianProcessClassifier: the one_vs_one multi-class mode has no native form"},
	} {
		f, err := w.Fit(context.Background(), WorkerConfig{Threads: 1}, FitRequest{Algorithm: c.alg, Task: algorithms.Classification,
			X: gx, Y: gy, Held: gheld, Hyperparams: c.hp, ExportNative: true})
		if err != nil {
			t.Fatal(err)
		}
		if native, reason := f.NativeForm(); native != nil || reason != c.want {
			t.Fatalf("%s %s: native form %v, reason %q", c.alg, c.hp, native, reason)
		}
	}
	x, y := synthetic(200, 4)
	fx, fy, held, _ := split(x, y, 150)
	// Without the request (or from a worker that predates native forms) there is none.
	f, err := w.Fit(context.Background(), WorkerConfig{Threads: 1}, FitRequest{Algorithm: "ridge", Task: algorithms.Regression,
		X: fx, Y: fy, Held: held})
	if err != nil {
		t.Fatal(err)
	}
	if native, reason := f.NativeForm(); native != nil || reason != "the python worker exported no native form" {
		t.Fatalf("native form %v, reason %q", native, reason)
	}
}

// A stored pickle converts in the worker as a fit's estimator does (pgml.nativize): the same
// predictions of the held rows, and the same native form, whose arrays (a kernel model's)
// arrive as blocks of the convert reply as they do of a fit's.
func TestConvertStoredPickle(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	iris, irisY := interleaved(loadCSV(t, "iris", "target"))
	fx, fy, held, _ := split(iris, irisY, 120)
	cfg := WorkerConfig{Threads: 1}
	for _, c := range []struct{ alg, hp string }{{"linear", `{"max_iter": 5000}`}, {"svm", `{"probability": true}`}} {
		fitted, err := w.Fit(context.Background(), cfg, FitRequest{Algorithm: c.alg, Task: algorithms.Classification,
			X: fx, Y: fy, Held: held, Hyperparams: c.hp, ProbabilityClasses: 3, ExportNative: true})
		if err != nil {
			t.Fatal(err)
		}
		pickle, _ := fitted.MarshalBinary()
		converted, err := w.Convert(context.Background(), cfg, ConvertRequest{Algorithm: c.alg, Task: algorithms.Classification, Pickle: pickle, Held: held})
		if err != nil {
			t.Fatal(err)
		}
		native, reason := converted.NativeForm()
		if native == nil {
			t.Fatalf("%s: no native form: %s", c.alg, reason)
		}
		want, got, nativeGot := make([]float64, held.Rows), make([]float64, held.Rows), make([]float64, held.Rows)
		if err := fitted.AsModel().(interface{ PredictChecked(dst, x []float64) error }).PredictChecked(want, held.Data); err != nil {
			t.Fatal(err)
		}
		if err := converted.AsModel().(interface{ PredictChecked(dst, x []float64) error }).PredictChecked(got, held.Data); err != nil {
			t.Fatal(err)
		}
		algorithms.Predict(native, nativeGot, held.Data)
		for i := range want {
			if got[i] != want[i] || nativeGot[i] != want[i] {
				t.Fatalf("%s row %d: fit %v, converted %v, native %v", c.alg, i, want[i], got[i], nativeGot[i])
			}
		}
		if converted.probabilities == nil {
			t.Fatalf("%s: the worker gave no probabilities to check the native form's against", c.alg)
		}
		classifier := native.(algorithms.Classifier)
		gotP := make([]float64, held.Rows*len(classifier.Classes()))
		classifier.PredictProba(gotP, held.Data)
		sameWithinOf(t, c.alg+" probability", converted.probabilities, gotP, kernelTolerance)
		// The task is checked: a classifier is not converted as a regression.
		if _, err := w.Convert(context.Background(), cfg, ConvertRequest{Algorithm: c.alg, Task: algorithms.Regression, Pickle: pickle, Held: held}); err == nil {
			t.Fatalf("%s: a classifier converted as a regression", c.alg)
		}
	}
}

// nativeFormCase is an algorithm trained for a task with hyperparameters on datasets.
type nativeFormCase struct {
	alg  string
	task algorithms.Task
	hp   string
	sets []toyDataset
}

// checkNativeForm fits alg on the first three quarters of d through the worker and checks
// that the fit's native form has its shape and predicts the other rows as it did within
// tolerance, probabilities included; it returns the native form and those rows.
func checkNativeForm(t *testing.T, w *Worker, alg string, task algorithms.Task, hp string, d toyDataset, tolerance float64) (algorithms.Model, algorithms.Matrix) {
	t.Helper()
	f, native, held := fitNativeForm(t, w, alg, task, hp, d)
	if native.Algorithm() != alg || native.NumOutputs() != f.NumOutputs() || native.NumFeatures() != held.Cols {
		t.Fatalf("native form of %s with %d outputs and %d features, the fit %d and %d", native.Algorithm(), native.NumOutputs(), native.NumFeatures(), f.NumOutputs(), held.Cols)
	}
	got := make([]float64, held.Rows*native.NumOutputs())
	native.Predict(got, held.Data)
	sameWithinOf(t, "prediction", f.predictions, got, tolerance)
	if task != algorithms.Classification {
		return native, held
	}
	if f.probabilities == nil {
		t.Fatal("the worker computed no probabilities to compare with")
	}
	classifier := native.(algorithms.Classifier)
	gotP := make([]float64, held.Rows*len(classifier.Classes()))
	if err := algorithms.PredictProba(classifier, gotP, held.Data); err != nil {
		t.Fatal(err)
	}
	sameWithinOf(t, "probability", f.probabilities, gotP, tolerance)
	return native, held
}
