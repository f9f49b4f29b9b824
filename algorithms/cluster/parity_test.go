package cluster

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// clusterFixtures mirrors the "kmeans" part of testdata/cluster_fixtures.json,
// written by testdata/make_cluster_fixtures.py with sklearn 1.2.1.
type clusterFixtures struct {
	KMeans []struct {
		Dataset             string    `json:"dataset"`
		NumClusters         int       `json:"n_clusters"`
		KMeansInertia       float64   `json:"kmeans_inertia"`
		KMeansLabels        []float64 `json:"kmeans_labels"`
		KMeansSilhouette    float64   `json:"kmeans_silhouette"`
		MiniBatchInertia    float64   `json:"mini_batch_inertia"`
		MiniBatchLabels     []float64 `json:"mini_batch_labels"`
		MiniBatchSilhouette float64   `json:"mini_batch_silhouette"`
	} `json:"kmeans"`
}

func loadFixtures(t testing.TB) clusterFixtures {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(datasets.Dir(), "cluster_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f clusterFixtures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func loadFeatures(t testing.TB, name string) algorithms.Matrix {
	t.Helper()
	x, _, err := datasets.Load(name, "target")
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func predictAll(m interface{ Predict(dst, x []float64) }, x algorithms.Matrix) []float64 {
	labels := make([]float64, x.Rows)
	m.Predict(labels, x.Data)
	return labels
}

// TestSilhouetteParity checks Silhouette against sklearn's silhouette_score
// on sklearn's own labels.
func TestSilhouetteParity(t *testing.T) {
	for _, c := range loadFixtures(t).KMeans {
		x := loadFeatures(t, c.Dataset)
		for _, s := range []struct {
			labels []float64
			want   float64
		}{{c.KMeansLabels, c.KMeansSilhouette}, {c.MiniBatchLabels, c.MiniBatchSilhouette}} {
			if got := Silhouette(x, s.labels); math.Abs(got-s.want) > 1e-9 {
				t.Errorf("%s: silhouette = %.12f, sklearn %.12f", c.Dataset, got, s.want)
			}
		}
	}
}

// TestKMeansParity checks that the clusterings are as good as sklearn's:
// our random stream differs from numpy's, so the labels can differ, but the
// inertia must be no worse and the silhouette close.
func TestKMeansParity(t *testing.T) {
	for _, c := range loadFixtures(t).KMeans {
		x := loadFeatures(t, c.Dataset)
		hp := algorithms.Hyperparams{"n_clusters": float64(c.NumClusters), "random_state": 0.0}
		km, err := FitKMeans(context.Background(), x, hp)
		if err != nil {
			t.Fatal(err)
		}
		if km.Inertia() > c.KMeansInertia*1.01 {
			t.Errorf("%s: kmeans inertia %.6g, sklearn %.6g", c.Dataset, km.Inertia(), c.KMeansInertia)
		}
		if s := Silhouette(x, predictAll(km, x)); math.Abs(s-c.KMeansSilhouette) > 0.02 {
			t.Errorf("%s: kmeans silhouette %.4f, sklearn %.4f", c.Dataset, s, c.KMeansSilhouette)
		}
		t.Logf("%s: kmeans inertia %.6g (sklearn %.6g), %d iterations", c.Dataset, km.Inertia(), c.KMeansInertia, km.Iterations())

		mb, err := FitMiniBatchKMeans(context.Background(), x, hp)
		if err != nil {
			t.Fatal(err)
		}
		if mb.Inertia() > c.MiniBatchInertia*1.05 {
			t.Errorf("%s: mini-batch inertia %.6g, sklearn %.6g", c.Dataset, mb.Inertia(), c.MiniBatchInertia)
		}
		t.Logf("%s: mini-batch inertia %.6g (sklearn %.6g), %d steps, silhouette %.4f (sklearn %.4f)", c.Dataset,
			mb.Inertia(), c.MiniBatchInertia, mb.Steps(), Silhouette(x, predictAll(mb, x)), c.MiniBatchSilhouette)
	}
}
