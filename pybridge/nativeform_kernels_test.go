package pybridge

import (
	"context"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// kernelTolerance is lifecycle's nativeToleranceOf the kernel families: their sums of
// exponentials change their last digits with the order they are added in.
const kernelTolerance = 1e-6

// The native forms of the kernel models, clusterers and PCA, trained through the worker
// (their arrays arriving as blocks of the fit reply), predict the held-out rows as
// scikit-learn did, with the probabilities of classifiers that have them, for every task
// each family has on the toy datasets.
func TestKernelNativeForms(t *testing.T) {
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
	regression := []dataset{{"diabetes", diabetes, diabetesY}}
	joint := []dataset{{"diabetes", diabetes, diabetesY}, {"linnerud", linnerud, linnerudY}}
	classification := []dataset{{"breast_cancer", cancer, cancerY}, {"iris", iris, irisY}}
	unsupervised := []dataset{{"iris", iris, noLabels(iris.Rows)}, {"breast_cancer", cancer, noLabels(cancer.Rows)}}
	nonNegative := []dataset{{"linnerud", linnerud, linnerudY}, {"iris", iris, irisY}}
	cases := []struct {
		alg  string
		task algorithms.Task
		hp   string
		sets []dataset
	}{
		{"svm", algorithms.Regression, `{}`, joint},
		{"svm", algorithms.Regression, `{"kernel": "poly", "degree": 2, "C": 10}`, regression},
		{"svm", algorithms.Regression, `{"kernel": "linear"}`, regression},
		{"svm", algorithms.Regression, `{"kernel": "sigmoid", "gamma": 0.01}`, regression},
		{"svm", algorithms.Classification, `{}`, classification},
		{"svm", algorithms.Classification, `{"probability": true}`, classification},
		{"svm", algorithms.Classification, `{"kernel": "poly", "probability": true}`, classification},
		{"svm", algorithms.Classification, `{"kernel": "linear", "probability": true}`, classification},
		{"svm", algorithms.Classification, `{"kernel": "sigmoid", "gamma": 0.001}`, classification},
		{"nu_svm", algorithms.Regression, `{}`, joint},
		{"nu_svm", algorithms.Classification, `{"nu": 0.1}`, classification},
		{"nu_svm", algorithms.Classification, `{"nu": 0.1, "probability": true}`, classification},
		{"kernel_ridge", algorithms.Regression, `{}`, joint},
		{"kernel_ridge", algorithms.Regression, `{"kernel": "rbf"}`, joint},
		{"kernel_ridge", algorithms.Regression, `{"kernel": "poly", "degree": 2}`, regression},
		{"kernel_ridge", algorithms.Regression, `{"kernel": "polynomial", "gamma": 0.5, "coef0": 2}`, regression},
		{"kernel_ridge", algorithms.Regression, `{"kernel": "laplacian"}`, joint},
		{"kernel_ridge", algorithms.Regression, `{"kernel": "sigmoid"}`, regression},
		{"kernel_ridge", algorithms.Regression, `{"kernel": "cosine"}`, regression},
		{"kernel_ridge", algorithms.Regression, `{"kernel": "chi2", "gamma": 0.01}`, nonNegative[:1]},
		{"kernel_ridge", algorithms.Regression, `{"kernel": "additive_chi2"}`, nonNegative[:1]},
		// The default alpha (1e-10) leaves diabetes's kernel matrix so ill-conditioned that
		// alpha_ reaches 1e11 and scikit-learn's own predictions are rounding noise at 1e-6
		// (TestKernelNativeFormReasons): the lifecycle's check then keeps such a model in Python.
		{"gaussian_process", algorithms.Regression, `{}`, joint[1:]},
		{"gaussian_process", algorithms.Regression, `{"alpha": 0.01}`, joint},
		{"gaussian_process", algorithms.Regression, `{"alpha": 0.01, "normalize_y": true}`, joint},
		{"kmeans", algorithms.Clustering, `{"n_clusters": 3}`, unsupervised},
		{"mini_batch_kmeans", algorithms.Clustering, `{"n_clusters": 3}`, unsupervised},
		{"affinity_propagation", algorithms.Clustering, `{}`, unsupervised},
		{"mean_shift", algorithms.Clustering, `{}`, unsupervised[:1]},
		{"birch", algorithms.Clustering, `{}`, unsupervised},
		{"birch", algorithms.Clustering, `{"n_clusters": null}`, unsupervised},
		{"pca", algorithms.Decomposition, `{}`, unsupervised},
		{"pca", algorithms.Decomposition, `{"n_components": 2, "whiten": true}`, unsupervised},
	}
	for _, c := range cases {
		for _, d := range c.sets {
			t.Run(c.alg+"/"+c.task.String()+"/"+c.hp+"/"+d.name, func(t *testing.T) {
				n := d.x.Rows * 3 / 4
				fx, fy, held, _ := split(d.x, d.y, n)
				f, err := w.Fit(context.Background(), cfg, FitRequest{Algorithm: c.alg, Task: c.task, X: fx, Y: fy, Held: held,
					Hyperparams: c.hp, ExportNative: true})
				if err != nil {
					t.Fatal(err)
				}
				native, reason := f.NativeForm()
				if native == nil {
					t.Fatalf("no native form: %s", reason)
				}
				if native.Algorithm() != c.alg || native.Task() != c.task || native.NumOutputs() != f.NumOutputs() || native.NumFeatures() != held.Cols {
					t.Fatalf("native form of %s %v with %d outputs and %d features, the fit %d and %d", native.Algorithm(), native.Task(),
						native.NumOutputs(), native.NumFeatures(), f.NumOutputs(), held.Cols)
				}
				tolerance := 1e-9
				if c.task.Supervised() {
					tolerance = kernelTolerance
				}
				got := make([]float64, held.Rows*native.NumOutputs())
				native.Predict(got, held.Data)
				sameWithinOf(t, "prediction", f.predictions, got, tolerance)
				classifier, ok := native.(interface {
					algorithms.Classifier
					HasPredictProba() bool
					PredictProbaChecked(dst, x []float64) error
				})
				if c.task != algorithms.Classification {
					return
				}
				withProba := strings.Contains(c.hp, `"probability": true`)
				if !ok || classifier.HasPredictProba() != withProba || (f.probabilities != nil) != withProba {
					t.Fatalf("probabilities: native %v, scikit-learn's %v, want %v", ok && classifier.HasPredictProba(), f.probabilities != nil, withProba)
				}
				if !withProba {
					return
				}
				gotP := make([]float64, held.Rows*len(classifier.Classes()))
				if err := classifier.PredictProbaChecked(gotP, held.Data); err != nil {
					t.Fatal(err)
				}
				sameWithinOf(t, "probability", f.probabilities, gotP, tolerance)
			})
		}
	}
}

// A kernel model without a native form says why: GaussianProcessClassifier's probabilities
// come from its Laplace approximation, and a precomputed kernel takes no rows.
func TestKernelNativeFormReasons(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	iris, irisY := interleaved(loadCSV(t, "iris", "target"))
	fx, fy, held, _ := split(iris, irisY, 120)
	f, err := w.Fit(context.Background(), WorkerConfig{Threads: 1}, FitRequest{Algorithm: "gaussian_process", Task: algorithms.Classification,
		X: fx, Y: fy, Held: held, Hyperparams: `{"optimizer": null}`, ExportNative: true})
	if err != nil {
		t.Fatal(err)
	}
	if native, reason := f.NativeForm(); native != nil || !strings.Contains(reason, "Laplace") {
		t.Fatalf("native form %v, reason %q", native, reason)
	}
}

// A stored kernel model converts in the worker (pgml.nativize), its arrays arriving as blocks
// of the convert reply as they do of a fit's: the same native predictions and probabilities.
func TestConvertStoredKernelPickle(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	iris, irisY := interleaved(loadCSV(t, "iris", "target"))
	fx, fy, held, _ := split(iris, irisY, 120)
	cfg := WorkerConfig{Threads: 1}
	fitted, err := w.Fit(context.Background(), cfg, FitRequest{Algorithm: "svm", Task: algorithms.Classification,
		X: fx, Y: fy, Held: held, Hyperparams: `{"probability": true}`, ExportNative: true})
	if err != nil {
		t.Fatal(err)
	}
	pickle, _ := fitted.MarshalBinary()
	converted, err := w.Convert(context.Background(), cfg, ConvertRequest{Algorithm: "svm", Task: algorithms.Classification, Pickle: pickle, Held: held})
	if err != nil {
		t.Fatal(err)
	}
	native, reason := converted.NativeForm()
	if native == nil {
		t.Fatalf("no native form: %s", reason)
	}
	got := make([]float64, held.Rows)
	native.Predict(got, held.Data)
	sameWithinOf(t, "prediction", fitted.predictions, got, kernelTolerance)
	classifier := native.(algorithms.Classifier)
	gotP := make([]float64, held.Rows*len(classifier.Classes()))
	classifier.PredictProba(gotP, held.Data)
	sameWithinOf(t, "probability", converted.probabilities, gotP, kernelTolerance)
}
