package analysis

import (
	"context"
	"math"

	"github.com/pgml-go/pgml/algorithms/metrics"
)

// MaxScatterPoints bounds the predicted-vs-actual sample.
const MaxScatterPoints = 500

// ResidualProbabilities are the quantiles stored of the residuals.
var ResidualProbabilities = []float64{0, 0.05, 0.25, 0.5, 0.75, 0.95, 1}

// PredictedVsActual is a sample of the test rows: evenly spaced over the test split (whose
// order is the split's, so the sample is the same at every training of the same snapshot).
// Output is the output it shows of a joint (multi-target) regression: always the first.
type PredictedVsActual struct {
	Actual    []float64 `json:"actual"`
	Predicted []float64 `json:"predicted"`
	Output    *int      `json:"output,omitempty"`
}

// ResidualQuantiles are numpy.quantile (linear) of actual − predicted at Q.
type ResidualQuantiles struct {
	Q     []float64 `json:"q"`
	Value []float64 `json:"value"`
}

// NewPredictedVsActual samples output of outputs per row of actual and predicted.
func NewPredictedVsActual(actual, predicted []float64, outputs, output int) *PredictedVsActual {
	n := len(actual) / outputs
	idx := downsample(n, MaxScatterPoints)
	p := &PredictedVsActual{Actual: make([]float64, len(idx)), Predicted: make([]float64, len(idx))}
	for k, r := range idx {
		p.Actual[k] = actual[r*outputs+output]
		p.Predicted[k] = predicted[r*outputs+output]
	}
	if outputs > 1 {
		p.Output = &output
	}
	return p
}

// NewResidualQuantiles computes the quantiles of the residuals of output of outputs per row.
func NewResidualQuantiles(ctx context.Context, actual, predicted []float64, outputs, output int) (*ResidualQuantiles, error) {
	n := len(actual) / outputs
	if n == 0 {
		return nil, nil
	}
	residual := make([]float64, n)
	for r := range residual {
		residual[r] = actual[r*outputs+output] - predicted[r*outputs+output]
	}
	order, err := metrics.SortedOrder(ctx, residual)
	if err != nil {
		return nil, err
	}
	q := &ResidualQuantiles{Q: append([]float64(nil), ResidualProbabilities...), Value: make([]float64, len(ResidualProbabilities))}
	for i, p := range ResidualProbabilities {
		q.Value[i] = quantile(residual, order, p)
	}
	return q, nil
}

// quantile is numpy's linear quantile of v sorted by order.
func quantile(v []float64, order []int, p float64) float64 {
	pos := p * float64(len(order)-1)
	lo := int(math.Floor(pos))
	if lo >= len(order)-1 {
		return v[order[len(order)-1]]
	}
	a, b := v[order[lo]], v[order[lo+1]]
	return a + (pos-float64(lo))*(b-a)
}
