package analysis

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// The methods of FeatureImportance.
const (
	MethodImpurity     = "impurity"                  // mean decrease of impurity over a tree model's splits
	MethodGain         = "gain"                      // XGBoost's mean gain of a feature's splits
	MethodCoefficients = "standardized_coefficients" // |coefficient| × the feature's standard deviation
	MethodPermutation  = "permutation"               // drop of the test score when a feature is shuffled
)

// FeatureImportance gives one importance per feature the model sees (after preprocessing).
type FeatureImportance struct {
	Method     string    `json:"method"`
	Features   []string  `json:"features"`
	Importance []float64 `json:"importance"`
}

// Normalized returns v scaled to sum to 1 (as scikit-learn's feature_importances_), or v
// unchanged when it sums to 0.
func Normalized(v []float64) []float64 {
	total := 0.0
	for _, x := range v {
		total += x
	}
	out := append([]float64(nil), v...)
	if total == 0 {
		return out
	}
	for i := range out {
		out[i] /= total
	}
	return out
}

// StandardizedCoefficients is the importance of a linear model: the mean over its weight
// vectors (one per class or output) of |coefficient| × the standard deviation of the feature
// on the training rows, so that a feature's unit does not decide its rank.
func StandardizedCoefficients(coefs [][]float64, std []float64) []float64 {
	out := make([]float64, len(std))
	for _, c := range coefs {
		for j := range out {
			out[j] += math.Abs(c[j]) * std[j] / float64(len(coefs))
		}
	}
	return out
}

// ColumnStd is the population standard deviation (numpy's std) of every column of x.
func ColumnStd(ctx context.Context, x algorithms.Matrix) ([]float64, error) {
	mean := make([]float64, x.Cols)
	sq := make([]float64, x.Cols)
	check := cancel.New(ctx)
	for pass := 0; pass < 2; pass++ {
		for r := 0; r < x.Rows; r++ {
			if err := check.Add(x.Cols); err != nil {
				return nil, err
			}
			for j, v := range x.Row(r) {
				if pass == 0 {
					mean[j] += v / float64(x.Rows)
				} else {
					d := v - mean[j]
					sq[j] += d * d
				}
			}
		}
	}
	for j := range sq {
		sq[j] = math.Sqrt(sq[j] / float64(max(x.Rows, 1)))
	}
	return sq, nil
}

// Scorer scores predictions (outputs per row) against the labels: higher is better.
type Scorer func(yTrue, yPred []float64, outputs int) float64

// Accuracy is the fraction of rows predicted right (a classifier's score).
func Accuracy(yTrue, yPred []float64, _ int) float64 {
	right := 0
	for i, y := range yTrue {
		if y == yPred[i] {
			right++
		}
	}
	return float64(right) / float64(len(yTrue))
}

// R2 is the coefficient of determination averaged over outputs (a regressor's score,
// sklearn's r2_score with multioutput="uniform_average").
func R2(yTrue, yPred []float64, outputs int) float64 {
	n := len(yTrue) / outputs
	total := 0.0
	for o := 0; o < outputs; o++ {
		mean := 0.0
		for r := 0; r < n; r++ {
			mean += yTrue[r*outputs+o] / float64(n)
		}
		var ssRes, ssTot float64
		for r := 0; r < n; r++ {
			y := yTrue[r*outputs+o]
			d := y - yPred[r*outputs+o]
			ssRes += d * d
			ssTot += (y - mean) * (y - mean)
		}
		switch {
		case ssTot != 0:
			total += 1 - ssRes/ssTot
		case ssRes == 0:
			total++ // sklearn: a perfect prediction of a constant scores 1
		}
	}
	return total / float64(outputs)
}

// PermutationOptions bound a permutation importance: the rows used (evenly spaced over the
// test rows), the shuffles per feature and the seed that makes them reproducible.
type PermutationOptions struct {
	Rows, Repeats int
	Seed          uint64
}

// Predictor predicts outputs per row of x into dst.
type Predictor func(dst, x []float64) error

// PermutationBatchRows is how many rows Permutation predicts per call at most (when the
// sample is smaller): several shuffled copies go into one prediction, so that a model whose
// every call costs something fixed (a worker, a thread pool) pays it a few times only.
const PermutationBatchRows = 4096

// Permutation is the importance of every feature: the score of the predictions on the rows
// minus its mean over Repeats shuffles of the feature's column (sklearn's
// permutation_importance). It holds the sampled rows, one batch of shuffled copies and their
// predictions, and checks ctx between predictions.
func Permutation(ctx context.Context, predict Predictor, outputs int, x, y algorithms.Matrix, score Scorer, opt PermutationOptions) ([]float64, error) {
	idx := downsample(x.Rows, max(opt.Rows, 1))
	n, p := len(idx), x.Cols
	sample := make([]float64, n*p)
	labels := make([]float64, n*y.Cols)
	for k, r := range idx {
		copy(sample[k*p:(k+1)*p], x.Row(r))
		copy(labels[k*y.Cols:(k+1)*y.Cols], y.Row(r))
	}
	perBatch := max(1, PermutationBatchRows/n)
	predicted := make([]float64, perBatch*n*outputs)
	if err := predict(predicted[:n*outputs], sample); err != nil {
		return nil, err
	}
	baseline := score(labels, predicted[:n*outputs], outputs)
	repeats := max(opt.Repeats, 1)
	shuffles := p * repeats // shuffle s permutes feature s/repeats
	batch := make([]float64, perBatch*n*p)
	importance := make([]float64, p)
	for first := 0; first < shuffles; first += perBatch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		count := min(perBatch, shuffles-first)
		for b := 0; b < count; b++ {
			j, rep := (first+b)/repeats, (first+b)%repeats
			rows := batch[b*n*p : (b+1)*n*p]
			copy(rows, sample)
			// Each shuffle has its own stream: the figures do not depend on the batching.
			rng := rand.New(rand.NewPCG(opt.Seed+uint64(rep), uint64(j)))
			rng.Shuffle(n, func(a, c int) { rows[a*p+j], rows[c*p+j] = rows[c*p+j], rows[a*p+j] })
		}
		out := predicted[:count*n*outputs]
		if err := predict(out, batch[:count*n*p]); err != nil {
			return nil, err
		}
		for b := 0; b < count; b++ {
			j := (first + b) / repeats
			importance[j] += (baseline - score(labels, out[b*n*outputs:(b+1)*n*outputs], outputs)) / float64(repeats)
		}
	}
	return importance, nil
}
