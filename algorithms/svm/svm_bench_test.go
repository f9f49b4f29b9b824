package svm

import (
	"context"
	"testing"
)

// BenchmarkFitSVCDigits fits the default RBF SVC on the fixture's 1347
// training rows of digits: 45 one-vs-one machines.
func BenchmarkFitSVCDigits(b *testing.B) {
	f := loadFixtures(b)
	x, y, _, _ := splitDataset(b, f, "digits")
	for b.Loop() {
		if _, err := FitSVC(context.Background(), x, y, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFitSVRDiabetes(b *testing.B) {
	f := loadFixtures(b)
	x, y, _, _ := splitDataset(b, f, "diabetes")
	for b.Loop() {
		if _, err := FitSVR(context.Background(), x, y, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// One row against all 621 support vectors and 45 pairwise votes.
func BenchmarkPredictSVCDigitsRow(b *testing.B) {
	f := loadFixtures(b)
	x, y, xTest, _ := splitDataset(b, f, "digits")
	m, err := FitSVC(context.Background(), x, y, nil)
	if err != nil {
		b.Fatal(err)
	}
	row, dst := xTest.Row(3), make([]float64, 1)
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(dst, row)
	}
}

func BenchmarkPredictSVRDiabetesRow(b *testing.B) {
	f := loadFixtures(b)
	x, y, xTest, _ := splitDataset(b, f, "diabetes")
	m, err := FitSVR(context.Background(), x, y, nil)
	if err != nil {
		b.Fatal(err)
	}
	row, dst := xTest.Row(3), make([]float64, 1)
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(dst, row)
	}
}
