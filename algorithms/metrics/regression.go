package metrics

import "math"

// Regression returns "r2", "mean_squared_error" and "mean_absolute_error"
// over all values; joint (multi-target) predictions are compared flattened.
// Mismatched or empty inputs give NaN for every metric.
//
// As sklearn's r2_score, r2 is NaN for a single value, and for constant
// yTrue it is 1 when the prediction is perfect and 0 otherwise.
func Regression(yTrue, yPred []float64) map[string]float64 {
	n := len(yTrue)
	if n == 0 || len(yPred) != n {
		nan := math.NaN()
		return map[string]float64{"r2": nan, "mean_squared_error": nan, "mean_absolute_error": nan}
	}
	var mean, sse, sae float64
	for i, t := range yTrue {
		d := t - yPred[i]
		sse += d * d
		sae += math.Abs(d)
		mean += t
	}
	mean /= float64(n)
	var sst float64
	for _, t := range yTrue {
		sst += (t - mean) * (t - mean)
	}
	var r2 float64
	switch {
	case n < 2:
		r2 = math.NaN()
	case sst == 0 && sse == 0:
		r2 = 1
	case sst == 0:
		r2 = 0
	default:
		r2 = 1 - sse/sst
	}
	return map[string]float64{
		"r2":                  r2,
		"mean_squared_error":  sse / float64(n),
		"mean_absolute_error": sae / float64(n),
	}
}
