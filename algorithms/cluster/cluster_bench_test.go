package cluster

import (
	"context"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

func BenchmarkFitKMeansDigits(b *testing.B) {
	x := loadFeatures(b, "digits")
	hp := algorithms.Hyperparams{"n_clusters": 10.0}
	for b.Loop() {
		if _, err := FitKMeans(context.Background(), x, hp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFitMiniBatchKMeansDigits(b *testing.B) {
	x := loadFeatures(b, "digits")
	hp := algorithms.Hyperparams{"n_clusters": 10.0}
	for b.Loop() {
		if _, err := FitMiniBatchKMeans(context.Background(), x, hp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSilhouetteDigits(b *testing.B) {
	x := loadFeatures(b, "digits")
	m, _ := FitKMeans(context.Background(), x, algorithms.Hyperparams{"n_clusters": 10.0, "n_init": 1.0})
	labels := predictAll(m, x)
	for b.Loop() {
		Silhouette(x, labels)
	}
}
