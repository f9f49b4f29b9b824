package catboost

import (
	"context"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/boosting"
	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

func benchModel(b *testing.B, name string, task algorithms.Task, label string, algorithm string) (algorithms.Model, algorithms.Matrix) {
	x, y, err := datasets.Load(name, label)
	if err != nil {
		b.Fatal(err)
	}
	var m algorithms.Model
	if algorithm == Algorithm {
		m, err = Fit(context.Background(), task, x, y, algorithms.Hyperparams{"random_seed": 0.0})
	} else {
		m, err = boosting.Fit(context.Background(), algorithm, task, x, y, algorithms.Hyperparams{"random_state": 0.0})
	}
	if err != nil {
		b.Fatal(err)
	}
	return m, x
}

func benchmarkPredictRow(b *testing.B, name string, task algorithms.Task, label, algorithm string) {
	m, x := benchModel(b, name, task, label, algorithm)
	dst := make([]float64, m.NumOutputs())
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.Predict(dst, x.Row(i%x.Rows))
		i++
	}
}

// One row per call, as pgml.predict does, with default hyperparameters (1000 trees for
// catboost, 100 for hist_gradient_boosting).
func BenchmarkPredictRowCatboostDiabetes(b *testing.B) {
	benchmarkPredictRow(b, "diabetes", algorithms.Regression, "target", Algorithm)
}

func BenchmarkPredictRowHistGradientBoostingDiabetes(b *testing.B) {
	benchmarkPredictRow(b, "diabetes", algorithms.Regression, "target", boosting.HistGradientBoosting)
}

func BenchmarkPredictRowCatboostBreastCancer(b *testing.B) {
	benchmarkPredictRow(b, "breast_cancer", algorithms.Classification, "malignant", Algorithm)
}

func BenchmarkPredictRowHistGradientBoostingBreastCancer(b *testing.B) {
	benchmarkPredictRow(b, "breast_cancer", algorithms.Classification, "malignant", boosting.HistGradientBoosting)
}

func BenchmarkFitCatboostBreastCancer(b *testing.B) {
	x, y, err := datasets.Load("breast_cancer", "malignant")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Fit(context.Background(), algorithms.Classification, x, y, algorithms.Hyperparams{"random_seed": 0.0}); err != nil {
			b.Fatal(err)
		}
	}
}

// Three classes: one tree per iteration with three values per leaf.
func BenchmarkPredictRowCatboostWine(b *testing.B) {
	benchmarkPredictRow(b, "wine", algorithms.Classification, "target", Algorithm)
}

func BenchmarkPredictRowHistGradientBoostingWine(b *testing.B) {
	benchmarkPredictRow(b, "wine", algorithms.Classification, "target", boosting.HistGradientBoosting)
}
