package native

import (
	"context"
	"runtime"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// benchmarkPeak trains algorithm on 1M rows × 20 features (the issue's
// measure) and reports the heap's peak during the fit, the data included,
// divided by the float64 data size (x and y): "peak/data". It is measured
// with the collector at its default pace (what a backend sees) and, as
// "tight/data", at GOGC=10 (close to what the fit holds live).
//
//	go test -run X -bench TrainPeak -benchtime 1x ./algorithms/native
func benchmarkPeak(b *testing.B, algorithm string, hp algorithms.Hyperparams) {
	x, y := syntheticData(algorithms.Regression, 1_000_000, 20, 9)
	data := float64(8 * (len(x.Data) + len(y.Data)))
	fit := func() {
		m, err := Train(context.Background(), algorithm, algorithms.Regression, x, y, hp)
		if err != nil {
			b.Fatal(err)
		}
		runtime.KeepAlive(m)
	}
	var defaultPace int64
	for b.Loop() {
		defaultPace = peakHeapGrowthAt(100, fit)
	}
	tight := peakHeapGrowthAt(10, fit)
	b.ReportMetric((data+float64(defaultPace))/data, "peak/data")
	b.ReportMetric((data+float64(tight))/data, "tight/data")
	est, err := EstimateFit(algorithm, algorithms.Regression, x.Rows, x.Cols, 1, hp)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric((data+float64(est))/data, "estimate/data")
}

func BenchmarkTrainPeakLinear1Mx20(b *testing.B) { benchmarkPeak(b, "linear", nil) }

func BenchmarkTrainPeakRandomForest1Mx20(b *testing.B) {
	benchmarkPeak(b, "random_forest", algorithms.Hyperparams{"n_estimators": 10})
}
