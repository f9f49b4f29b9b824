package neighbors

import (
	"context"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// BenchmarkPredictRow1000x10 is the cost of one query row against 1,000
// training rows of 10 features (ns/op = ns/row).
func BenchmarkPredictRow1000x10(b *testing.B) {
	x, y := benchData(1000, 10, 3)
	for _, c := range []struct {
		name string
		task algorithms.Task
	}{{"regression", algorithms.Regression}, {"classification", algorithms.Classification}} {
		b.Run(c.name, func(b *testing.B) {
			m := benchFit(b, c.task, x, y, nil)
			row, dst := x.Row(7), make([]float64, 1)
			b.ReportAllocs()
			for b.Loop() {
				m.Predict(dst, row)
			}
		})
	}
}

// BenchmarkQuery is the cost of one query row (ns/op = ns/row) among
// 100,000 and 1,000,000 training rows of 8 standard normal features, k = 5,
// by brute force and through the k-d tree algorithm="auto" chooses there.
// The queries are fresh rows of the same distribution.
func BenchmarkQuery(b *testing.B) {
	for _, rows := range []int{100_000, 1_000_000} {
		x, y := benchData(rows, 8, 0)
		queries, _ := benchData(4096, 8, 0)
		for _, method := range []string{"brute", "kd_tree", "ball_tree"} {
			b.Run(fmt.Sprintf("%dx8/%s", rows, method), func(b *testing.B) {
				m := benchFit(b, algorithms.Regression, x, y, algorithms.Hyperparams{"algorithm": method})
				dst := make([]float64, 1)
				i := 0
				defer reportCPU(b)()
				for b.Loop() {
					m.Predict(dst, queries.Row(i%queries.Rows))
					i++
				}
			})
		}
	}
}

// BenchmarkBuildIndex is the cost of a fit (copy and k-d tree) of
// 1,000,000 rows of 8 features, which loading a model repeats.
func BenchmarkBuildIndex(b *testing.B) {
	x, y := benchData(1_000_000, 8, 0)
	defer reportCPU(b)()
	for b.Loop() {
		benchFit(b, algorithms.Regression, x, y, nil)
	}
}

// BenchmarkLoad1Mx8 is the cost of loading the model file of a knn model
// of 1,000,000 rows of 8 features: decoding and rebuilding the k-d tree.
func BenchmarkLoad1Mx8(b *testing.B) {
	x, y := benchData(1_000_000, 8, 0)
	bytes, err := benchFit(b, algorithms.Regression, x, y, nil).MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	_, payload, err := modelfile.ReadHeader(bytes)
	if err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := UnmarshalRegressor(payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrainAndScore1Mx8 is pgml's knn train on 1,000,000 rows of 8
// features end to end in the algorithm: fit on 750,000 rows, then predict
// the 250,000 test rows as the training's scoring step does, either through
// algorithms.PredictContext (chunks of about 20 ms) or through the model's
// own PredictContext, which takes the whole batch in tree order.
func BenchmarkTrainAndScore1Mx8(b *testing.B) {
	x, y := benchData(1_000_000, 8, 0)
	const train = 750_000
	xTrain := algorithms.Matrix{Rows: train, Cols: 8, Data: x.Data[:train*8]}
	yTrain := algorithms.Matrix{Rows: train, Cols: 1, Data: y.Data[:train]}
	test := x.Data[train*8:]
	dst := make([]float64, x.Rows-train)
	for _, whole := range []bool{false, true} {
		name := "chunked"
		if whole {
			name = "whole"
		}
		b.Run(name, func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				m := benchFit(b, algorithms.Regression, xTrain, yTrain, nil).(*Regressor)
				var err error
				if whole {
					err = m.PredictContext(context.Background(), dst, test)
				} else {
					err = algorithms.PredictContext(context.Background(), m, dst, test)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// reportCPU, deferred as defer reportCPU(b)(), adds the process's CPU
// time per operation: on a shared machine the wall time says more about
// the neighbours than about the code.
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		b.ReportMetric((processCPU()-start).Seconds()/float64(b.N), "cpu-s/op")
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchData is rows×features standard normal values and a target: integer
// classes below classes, or a continuous value when classes is 0.
func benchData(rows, features, classes int) (x, y algorithms.Matrix) {
	rng := rand.New(rand.NewPCG(1, 2))
	x = algorithms.Matrix{Rows: rows, Cols: features, Data: make([]float64, rows*features)}
	y = algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
	for i := range x.Data {
		x.Data[i] = rng.NormFloat64()
	}
	for i := range y.Data {
		if classes > 0 {
			y.Data[i] = float64(rng.IntN(classes))
		} else {
			y.Data[i] = x.Data[i*features] + rng.NormFloat64()
		}
	}
	return x, y
}

func benchFit(b *testing.B, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) algorithms.Model {
	b.Helper()
	var m algorithms.Model
	var err error
	if task == algorithms.Regression {
		m, err = FitRegressor(context.Background(), x, y, hp)
	} else {
		m, err = FitClassifier(context.Background(), x, y, hp)
	}
	if err != nil {
		b.Fatal(err)
	}
	return m
}
