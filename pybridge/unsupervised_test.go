package pybridge

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/pgml-go/pgml/algorithms"
)

// blobs returns three well-separated blobs of 9 points each (a 3×3 grid of
// spacing 0.5 around (0,0), (10,10) and (-10,10)), in blob order, and the
// blob of each row.
func blobs() (x algorithms.Matrix, blob []int) {
	centers := [][2]float64{{0, 0}, {10, 10}, {-10, 10}}
	x = algorithms.Matrix{Cols: 2}
	for b, c := range centers {
		for _, dx := range []float64{-0.5, 0, 0.5} {
			for _, dy := range []float64{-0.5, 0, 0.5} {
				x.Data = append(x.Data, c[0]+dx, c[1]+dy)
				x.Rows++
				blob = append(blob, b)
			}
		}
	}
	return x, blob
}

// checkSeparates fails unless the labels are constant within each blob and
// differ between blobs.
func checkSeparates(t *testing.T, labels []float64, blob []int) {
	t.Helper()
	of := map[int]float64{}
	for i, b := range blob {
		l := labels[i]
		if math.IsNaN(l) || l != math.Trunc(l) {
			t.Fatalf("row %d: cluster %v is not an index", i, l)
		}
		if prev, ok := of[b]; ok && prev != l {
			t.Fatalf("blob %d split between clusters %v and %v (labels %v)", b, prev, l, labels)
		}
		of[b] = l
	}
	for b1, l1 := range of {
		for b2, l2 := range of {
			if b1 < b2 && l1 == l2 {
				t.Fatalf("blobs %d and %d share cluster %v (labels %v)", b1, b2, l1, labels)
			}
		}
	}
}

// noLabels is what the extension passes as y for the unsupervised tasks.
func noLabels(rows int) algorithms.Matrix { return algorithms.Matrix{Rows: rows} }

// TestClustering trains every trainable clustering algorithm of PostgresML
// 2.x on three blobs, checks the clusters on the training rows and on new
// rows, and round-trips the model.
func TestClustering(t *testing.T) {
	needPython(t)
	x, blob := blobs()
	// Rows near each center, not in the training set.
	newX := []float64{0.2, -0.1, 9.8, 10.3, -10.1, 9.9}
	for _, c := range []struct {
		alg, hyper, class, eff string
	}{
		{"kmeans", `{"n_clusters": 3}`, "sklearn.cluster._kmeans.KMeans", `{"n_clusters": 3, "random_state": 0}`},
		{"mini_batch_kmeans", `{"n_clusters": 3}`, "sklearn.cluster._kmeans.MiniBatchKMeans", `{"n_clusters": 3, "random_state": 0}`},
		{"affinity_propagation", "", "sklearn.cluster._affinity_propagation.AffinityPropagation", `{"random_state": 0}`},
		{"birch", "", "sklearn.cluster._birch.Birch", `{}`},
		{"mean_shift", "", "sklearn.cluster._mean_shift.MeanShift", `{}`},
	} {
		t.Run(c.alg, func(t *testing.T) {
			m, eff, err := Train(c.alg, algorithms.Clustering, x, noLabels(x.Rows), c.hyper)
			if err != nil {
				t.Fatalf("train: %v", err)
			}
			defer m.Close()
			if eff != c.eff {
				t.Errorf("effective hyperparameters %s, want %s", eff, c.eff)
			}
			if m.Algorithm() != c.alg || m.Task() != algorithms.Clustering || m.NumFeatures() != 2 || m.NumOutputs() != 1 || m.PythonClass() != c.class {
				t.Fatalf("model says %s/%v %d features %d outputs %s", m.Algorithm(), m.Task(), m.NumFeatures(), m.NumOutputs(), m.PythonClass())
			}
			if m.IsClassifier() || len(m.Classes()) != 0 || m.ExplainedVarianceRatio() != nil {
				t.Fatalf("clusterer has classes %v / variance ratios %v", m.Classes(), m.ExplainedVarianceRatio())
			}
			am := m.AsModel()
			if am.Task() != algorithms.Clustering {
				t.Fatalf("AsModel task %v", am.Task())
			}
			if _, ok := am.(algorithms.Classifier); ok {
				t.Fatal("clusterer's AsModel is an algorithms.Classifier")
			}
			if _, ok := am.(interface{ ExplainedVarianceRatio() []float64 }); ok {
				t.Fatal("clusterer's AsModel has ExplainedVarianceRatio")
			}
			pred := predictAll(t, m, x)
			checkSeparates(t, pred, blob)
			// New rows get the cluster of their blob.
			got := make([]float64, 3)
			if err := algorithms.Predict(am, got, newX); err != nil {
				t.Fatal(err)
			}
			for b := range 3 {
				if got[b] != pred[9*b] {
					t.Fatalf("new row near blob %d: cluster %v, the blob is %v", b, got[b], pred[9*b])
				}
			}
			if err := m.PredictProbaChecked(make([]float64, 3), x.Row(0)); err == nil || !strings.Contains(err.Error(), "clustering model") {
				t.Fatalf("predict_proba on a clusterer: %v", err)
			}

			b, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			m2, err := Load(b)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			defer m2.Close()
			if m2.Algorithm() != c.alg || m2.Task() != algorithms.Clustering || m2.NumFeatures() != 2 || m2.NumOutputs() != 1 {
				t.Fatalf("loaded model says %s/%v %d features %d outputs", m2.Algorithm(), m2.Task(), m2.NumFeatures(), m2.NumOutputs())
			}
			pred2 := predictAll(t, m2, x)
			for i := range pred {
				if pred[i] != pred2[i] {
					t.Fatalf("row %d: cluster %v after the round trip, %v before", i, pred2[i], pred[i])
				}
			}
		})
	}
}

func TestUnsupervisedRejected(t *testing.T) {
	needPython(t)
	x, _ := blobs()
	for _, alg := range []string{"dbscan", "feature_agglomeration", "optics", "spectral", "spectral_bi", "spectral_co", "agglomerative", "pca", "linear", "random_forest"} {
		_, _, err := Train(alg, algorithms.Clustering, x, noLabels(x.Rows), "")
		var pe *PythonError
		if !errors.As(err, &pe) || err.Error() != "ValueError: `"+alg+"` does not support clustering" {
			t.Errorf("%s clustering: %v", alg, err)
		}
	}
	for _, alg := range []string{"kmeans", "linear", "dbscan"} {
		_, _, err := Train(alg, algorithms.Decomposition, x, noLabels(x.Rows), "")
		if err == nil || err.Error() != "ValueError: `"+alg+"` does not support decomposition" {
			t.Errorf("%s decomposition: %v", alg, err)
		}
	}
	// The unsupervised names are not supervised estimators.
	y := algorithms.Matrix{Rows: x.Rows, Cols: 1, Data: make([]float64, x.Rows)}
	for _, alg := range []string{"kmeans", "pca"} {
		for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification} {
			_, _, err := Train(alg, task, x, y, "")
			if err == nil || err.Error() != "ValueError: `"+alg+"` does not support "+task.String() {
				t.Errorf("%s %v: %v", alg, task, err)
			}
		}
	}
	// Supervised tasks still need labels.
	if _, _, err := Train("linear", algorithms.Regression, x, noLabels(x.Rows), ""); err == nil {
		t.Error("regression without labels succeeded")
	}
	// Hyperparameter errors come from the constructor.
	if _, _, err := Train("kmeans", algorithms.Clustering, x, noLabels(x.Rows), `{"foo": 1}`); err == nil || !strings.Contains(err.Error(), "unexpected keyword argument 'foo'") {
		t.Errorf("bad hyperparameter: %v", err)
	}
	// Labels given to an unsupervised task are ignored.
	m, _, err := Train("kmeans", algorithms.Clustering, x, y, `{"n_clusters": 3}`)
	if err != nil {
		t.Fatalf("clustering with a y: %v", err)
	}
	m.Close()
}

// pcaX is the PCA fixture: 10 rows, 3 features.
var pcaX = algorithms.Matrix{Rows: 10, Cols: 3, Data: []float64{
	2.5, 2.4, 0.5,
	0.5, 0.7, 1.0,
	2.2, 2.9, 0.1,
	1.9, 2.2, 0.8,
	3.1, 3.0, 0.3,
	2.3, 2.7, 0.9,
	2.0, 1.6, 0.4,
	1.0, 1.1, 1.2,
	1.5, 1.6, 0.7,
	1.1, 0.9, 1.1,
}}

// pcaNew are rows outside the training set.
var pcaNew = []float64{1, 2, 3, 0, 0, 0}

// Recorded with Debian 12's /usr/bin/python3 and scikit-learn 1.2.1:
//
//	p = PCA(n_components=2, random_state=0).fit(X)
//	p.explained_variance_ratio_, p.transform(X), p.transform(N)
//
// with X = pcaX and N = pcaNew (repr of each float).
var (
	pcaWantRatio = []float64{0.9288103574853892, 0.03935572051606475}
	pcaWantTrain = []float64{
		-0.8518946261766317, -0.07392094715145614,
		1.797125607088004, -0.06098739921275998,
		-1.1083954369388898, -0.12045436297716744,
		-0.24134907290654045, 0.20597193196787308,
		-1.7229253184606412, -0.07789953713302794,
		-0.8362509742789943, 0.45097408982769654,
		0.022494147675745247, -0.4419230729381816,
		1.2320922233570955, 0.2026293771767831,
		0.42478289460783686, -0.08656768070881798,
		1.2843205560330138, 0.002177601149060496,
	}
	pcaWantNew = []float64{
		1.03085388804774, 2.1742269281937627,
		2.380368184814481, -1.1533322990152044,
	}
)

// pcaReference computes PCA from first principles: the eigenvectors of the
// sample covariance matrix, largest eigenvalue first, and the projection of
// the centered rows of x and of more onto the first k of them. Eigenvector
// signs are arbitrary, so the caller compares up to the sign of each
// component.
func pcaReference(x algorithms.Matrix, k int, more []float64) (ratio, train, other []float64) {
	n, p := x.Rows, x.Cols
	mean := make([]float64, p)
	for i := range n {
		for j := range p {
			mean[j] += x.Data[i*p+j] / float64(n)
		}
	}
	cov := mat.NewSymDense(p, nil)
	for a := range p {
		for b := a; b < p; b++ {
			s := 0.0
			for i := range n {
				s += (x.Data[i*p+a] - mean[a]) * (x.Data[i*p+b] - mean[b])
			}
			cov.SetSym(a, b, s/float64(n-1))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		panic("eigendecomposition failed")
	}
	values := eig.Values(nil) // ascending
	var vectors mat.Dense
	eig.VectorsTo(&vectors)
	total := 0.0
	for _, v := range values {
		total += v
	}
	project := func(rows []float64) []float64 {
		var out []float64
		for r := 0; r < len(rows)/p; r++ {
			for c := range k {
				col := p - 1 - c
				s := 0.0
				for j := range p {
					s += (rows[r*p+j] - mean[j]) * vectors.At(j, col)
				}
				out = append(out, s)
			}
		}
		return out
	}
	for c := range k {
		ratio = append(ratio, values[p-1-c]/total)
	}
	return ratio, project(x.Data), project(more)
}

func closeTo(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// TestDecomposition: PCA's outputs and explained variance ratios against
// the recorded scikit-learn values and a projection computed here, through
// Train and through a MarshalBinary/Load round trip.
func TestDecomposition(t *testing.T) {
	needPython(t)
	const k = 2
	refRatio, refTrain, refNew := pcaReference(pcaX, k, pcaNew)

	m, eff, err := Train("pca", algorithms.Decomposition, pcaX, noLabels(pcaX.Rows), `{"n_components": 2}`)
	if err != nil {
		t.Fatalf("train: %v", err)
	}
	defer m.Close()
	if eff != `{"n_components": 2, "random_state": 0}` {
		t.Errorf("effective hyperparameters %s", eff)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(b)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	defer loaded.Close()

	for _, c := range []struct {
		name string
		m    *Model
	}{{"trained", m}, {"loaded", loaded}} {
		m := c.m
		if m.Algorithm() != "pca" || m.Task() != algorithms.Decomposition || m.NumFeatures() != 3 || m.NumOutputs() != k ||
			m.PythonClass() != "sklearn.decomposition._pca.PCA" || m.IsClassifier() {
			t.Fatalf("%s: model says %s/%v %d features %d outputs %s", c.name, m.Algorithm(), m.Task(), m.NumFeatures(), m.NumOutputs(), m.PythonClass())
		}
		am := m.AsModel()
		if am.Task() != algorithms.Decomposition || am.NumOutputs() != k {
			t.Fatalf("%s: AsModel says %v, %d outputs", c.name, am.Task(), am.NumOutputs())
		}
		if _, ok := am.(algorithms.Classifier); ok {
			t.Fatalf("%s: PCA's AsModel is an algorithms.Classifier", c.name)
		}
		// What the extension does for cumulative_explained_variance.
		pca, ok := am.(interface{ ExplainedVarianceRatio() []float64 })
		if !ok {
			t.Fatalf("%s: PCA's AsModel has no ExplainedVarianceRatio", c.name)
		}
		ratio := pca.ExplainedVarianceRatio()
		if len(ratio) != k {
			t.Fatalf("%s: explained variance ratio %v", c.name, ratio)
		}
		for i := range k {
			if !closeTo(ratio[i], pcaWantRatio[i], 1e-12) || !closeTo(ratio[i], refRatio[i], 1e-9) {
				t.Fatalf("%s: explained variance ratio %v, want %v (first principles %v)", c.name, ratio, pcaWantRatio, refRatio)
			}
		}

		for _, rows := range []struct {
			name      string
			x         []float64
			want, ref []float64
		}{{"train", pcaX.Data, pcaWantTrain, refTrain}, {"new", pcaNew, pcaWantNew, refNew}} {
			got := make([]float64, len(rows.x)/3*k)
			if err := algorithms.Predict(am, got, rows.x); err != nil {
				t.Fatalf("%s/%s: %v", c.name, rows.name, err)
			}
			for i := range got {
				if !closeTo(got[i], rows.want[i], 1e-9) {
					t.Fatalf("%s/%s: output %d is %v, scikit-learn gave %v\n got %v", c.name, rows.name, i, got[i], rows.want[i], got)
				}
			}
			// First principles, up to the sign of each component (fixed by
			// the first row of the training rows).
			for comp := range k {
				sign := math.Copysign(1, refTrain[comp]*pcaWantTrain[comp])
				for r := 0; r < len(got)/k; r++ {
					if !closeTo(got[r*k+comp], sign*rows.ref[r*k+comp], 1e-9) {
						t.Fatalf("%s/%s: row %d component %d is %v, the projection is %v", c.name, rows.name, r, comp, got[r*k+comp], sign*rows.ref[r*k+comp])
					}
				}
			}
		}
		if err := m.PredictProbaChecked(make([]float64, 3), pcaNew[:3]); err == nil || !strings.Contains(err.Error(), "decomposition model") {
			t.Fatalf("predict_proba on a decomposition: %v", err)
		}
	}

	// Without n_components every component is kept and the ratios sum to 1.
	full, _, err := Train("pca", algorithms.Decomposition, pcaX, noLabels(pcaX.Rows), "")
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	sum := 0.0
	for _, r := range full.ExplainedVarianceRatio() {
		sum += r
	}
	if full.NumOutputs() != 3 || len(full.ExplainedVarianceRatio()) != 3 || !closeTo(sum, 1, 1e-12) {
		t.Fatalf("full PCA: %d outputs, ratios %v", full.NumOutputs(), full.ExplainedVarianceRatio())
	}
	// Every row is a rotation of the centered row: the norms agree.
	got := predictAll(t, full, pcaX)
	_, refFullTrain, _ := pcaReference(pcaX, 3, nil)
	for r := range pcaX.Rows {
		var a, b float64
		for c := range 3 {
			a += got[r*3+c] * got[r*3+c]
			b += refFullTrain[r*3+c] * refFullTrain[r*3+c]
		}
		if !closeTo(a, b, 1e-9) {
			t.Fatalf("row %d: |transform|² %v, |centered row|² %v", r, a, b)
		}
	}
}

// TestUnsupervisedTaskReporting: a supervised model still reports its task
// and has no explained variance ratio.
func TestUnsupervisedTaskReporting(t *testing.T) {
	needPython(t)
	x, y := loadCSV(t, "diabetes", "target")
	m, _, err := Train("linear", algorithms.Regression, x, y, "")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Task() != algorithms.Regression || m.ExplainedVarianceRatio() != nil {
		t.Fatalf("regressor: %v %v", m.Task(), m.ExplainedVarianceRatio())
	}
	if _, ok := m.AsModel().(interface{ ExplainedVarianceRatio() []float64 }); ok {
		t.Fatal("regressor's AsModel has ExplainedVarianceRatio")
	}
}
