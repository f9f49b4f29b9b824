package penalized

import (
	"context"
	"testing"
)

func benchmarkFit(b *testing.B, fitter, dataset string) {
	x, y := loadDataset(b, dataset)
	fit := fitters[fitter]
	for b.Loop() {
		if _, err := fit(context.Background(), x, y, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFitRidgeDigits(b *testing.B) { benchmarkFit(b, "ridge/classification", "digits") }
func BenchmarkFitLassoDiabetes(b *testing.B) {
	benchmarkFit(b, "lasso/regression", "diabetes")
}
func BenchmarkFitSGDClassifierDigits(b *testing.B) {
	benchmarkFit(b, "stochastic_gradient_descent/classification", "digits")
}
func BenchmarkFitLinearSVCDigits(b *testing.B) {
	benchmarkFit(b, "linear_svm/classification", "digits")
}

// Ten classes: every one-vs-all vector is scored.
func BenchmarkPredictClassifierDigitsRow(b *testing.B) {
	x, y := loadDataset(b, "digits")
	m, err := FitRidgeClassifier(context.Background(), x, y, nil)
	if err != nil {
		b.Fatal(err)
	}
	row, dst := x.Row(3), make([]float64, 1)
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(dst, row)
	}
}
