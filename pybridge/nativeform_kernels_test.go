package pybridge

import (
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
	toy := loadToySets(t)
	regression, joint, classification := toy.regression, toy.joint, toy.classification
	var unsupervised []toyDataset
	for _, d := range classification {
		unsupervised = append(unsupervised, toyDataset{d.name, d.x, noLabels(d.x.Rows)})
	}
	nonNegative := []toyDataset{toy.linnerud}
	cases := []struct {
		alg  string
		task algorithms.Task
		hp   string
		sets []toyDataset
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
		{"kernel_ridge", algorithms.Regression, `{"kernel": "chi2", "gamma": 0.01}`, nonNegative},
		{"kernel_ridge", algorithms.Regression, `{"kernel": "additive_chi2"}`, nonNegative},
		// The default alpha (1e-10) leaves diabetes's kernel matrix so ill-conditioned that
		// alpha_ reaches 1e11 and scikit-learn's own predictions are rounding noise at 1e-6
		// (TestKernelNativeFormReasons): the lifecycle's check then keeps such a model in Python.
		{"gaussian_process", algorithms.Regression, `{}`, joint[1:]},
		{"gaussian_process", algorithms.Regression, `{"alpha": 0.01}`, joint},
		{"gaussian_process", algorithms.Regression, `{"alpha": 0.01, "normalize_y": true}`, joint},
		// Binary on breast_cancer, one-vs-rest on iris; probabilities always.
		{"gaussian_process", algorithms.Classification, `{}`, classification},
		{"gaussian_process", algorithms.Classification, `{"optimizer": null, "max_iter_predict": 20}`, classification},
		{"kmeans", algorithms.Clustering, `{"n_clusters": 3}`, unsupervised},
		{"mini_batch_kmeans", algorithms.Clustering, `{"n_clusters": 3}`, unsupervised},
		{"affinity_propagation", algorithms.Clustering, `{}`, unsupervised},
		{"mean_shift", algorithms.Clustering, `{}`, unsupervised[1:]},
		{"birch", algorithms.Clustering, `{}`, unsupervised},
		{"birch", algorithms.Clustering, `{"n_clusters": null}`, unsupervised},
		{"pca", algorithms.Decomposition, `{}`, unsupervised},
		{"pca", algorithms.Decomposition, `{"n_components": 2, "whiten": true}`, unsupervised},
	}
	for _, c := range cases {
		for _, d := range c.sets {
			t.Run(c.alg+"/"+c.task.String()+"/"+c.hp+"/"+d.name, func(t *testing.T) {
				f, native, held := fitNativeForm(t, &w, c.alg, c.task, c.hp, d)
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
				// libsvm's classifiers have probabilities only when fitted for them.
				withProba := c.alg == "gaussian_process" || strings.Contains(c.hp, `"probability": true`)
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
