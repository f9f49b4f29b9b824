package native

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

func benchData(task algorithms.Task, rows, cols int) (x, y algorithms.Matrix) {
	rng := rand.New(rand.NewPCG(1, 2))
	x = algorithms.Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
	y = algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
	for i := range rows {
		var s float64
		for j := range cols {
			v := rng.NormFloat64()
			x.Data[i*cols+j] = v
			s += float64(j+1) * v
		}
		s += rng.NormFloat64()
		y.Data[i] = s
		if task == algorithms.Classification {
			y.Data[i] = 0
			if s > 0 {
				y.Data[i] = 1
			}
			if s > 5 {
				y.Data[i] = 2
			}
		}
	}
	return x, y
}

func benchmarkPredictOneRow(b *testing.B, task algorithms.Task) {
	x, y := benchData(task, 500, 10)
	m, err := Train(context.Background(), "linear", task, x, y, nil)
	if err != nil {
		b.Fatal(err)
	}
	row := x.Row(3)
	dst := make([]float64, 1)
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(dst, row)
	}
}

func BenchmarkPredictLinearRegression10Features(b *testing.B) {
	benchmarkPredictOneRow(b, algorithms.Regression)
}

// Three classes, so the softmax scores of every class are compared.
func BenchmarkPredictLogistic10Features(b *testing.B) {
	benchmarkPredictOneRow(b, algorithms.Classification)
}

func BenchmarkTrainLogisticDigitsSized(b *testing.B) {
	x, y := benchData(algorithms.Classification, 1800, 64)
	for b.Loop() {
		if _, err := Train(context.Background(), "linear", algorithms.Classification, x, y, nil); err != nil {
			b.Fatal(err)
		}
	}
}
