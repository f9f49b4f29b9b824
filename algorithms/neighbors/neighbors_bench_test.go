package neighbors

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// BenchmarkPredictRow1000x10 is the cost of one query row against 1,000
// training rows of 10 features (ns/op = ns/row).
func BenchmarkPredictRow1000x10(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := algorithms.Matrix{Rows: 1000, Cols: 10, Data: make([]float64, 10000)}
	y := algorithms.Matrix{Rows: 1000, Cols: 1, Data: make([]float64, 1000)}
	for i := range x.Data {
		x.Data[i] = rng.NormFloat64()
	}
	for i := range y.Data {
		y.Data[i] = float64(rng.IntN(3))
	}
	for _, c := range []struct {
		name string
		task algorithms.Task
	}{{"regression", algorithms.Regression}, {"classification", algorithms.Classification}} {
		b.Run(c.name, func(b *testing.B) {
			var m algorithms.Model
			var err error
			if c.task == algorithms.Regression {
				m, err = FitRegressor(context.Background(), x, y, nil)
			} else {
				m, err = FitClassifier(context.Background(), x, y, nil)
			}
			if err != nil {
				b.Fatal(err)
			}
			row, dst := x.Row(7), make([]float64, 1)
			b.ReportAllocs()
			for b.Loop() {
				m.Predict(dst, row)
			}
		})
	}
}
