package penalized

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// maxDLoss caps the loss derivative as sklearn does, so a single wild
// sample cannot blow the weights up to infinity.
const maxDLoss = 1e12

// plainSGD is sklearn's _plain_sgd for dense data: per sample, a step on
// the loss gradient, the L2 shrinkage as a multiplicative decay and the L1
// penalty by Tsuruoka et al.'s cumulative truncation. After every epoch it
// stops once the summed training loss has failed to improve by tol·n for
// n_iter_no_change epochs in a row (the "adaptive" rate first divides the
// step by 5 until it falls below 1e-6).
//
// stream separates the random shuffles of the one-vs-all problems of a
// classifier that share a seed.
func plainSGD(ctx context.Context, x algorithms.Matrix, y []float64, params sgdParams, stream uint64) (w []float64, intercept float64, err error) {
	n, p := x.Rows, x.Cols
	w = make([]float64, p)
	// q and u implement the cumulative L1 penalty: u is the total penalty
	// every weight could have received, q[j] what weight j actually did.
	var q []float64
	var u float64
	if params.penalty == l1Penalty || params.penalty == elasticNetPenalty {
		q = make([]float64, p)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(params.seed, stream))

	eta := params.eta0
	var optimalInit float64
	if params.learningRate == "optimal" {
		// sklearn's heuristic (from Léon Bottou's sgd) for the initial
		// step of the 1/(alpha·t) schedule.
		typw := math.Sqrt(1 / math.Sqrt(params.alpha))
		eta0 := typw / math.Max(1, params.loss.dloss(-typw, 1))
		optimalInit = 1 / (eta0 * params.alpha)
	}
	t := 1.0
	bestLoss, noImprovement := math.Inf(1), 0
	check := cancel.New(ctx)

	for epoch := 0; epoch < params.maxIter; epoch++ {
		if err := check.Err(); err != nil {
			return nil, 0, err
		}
		if params.shuffle {
			rng.Shuffle(n, func(a, b int) { order[a], order[b] = order[b], order[a] })
		}
		var sumLoss float64
		for _, i := range order {
			// A step reads the row, updates the weights and, with an L2
			// penalty, decays every weight: about 6p flops.
			if err := check.Add(6 * p); err != nil {
				return nil, 0, err
			}
			row, target := x.Row(i), y[i]
			switch params.learningRate {
			case "optimal":
				eta = 1 / (params.alpha * (optimalInit + t - 1))
			case "invscaling":
				eta = params.eta0 / math.Pow(t, params.powerT)
			}
			pred := dot(w, row) + intercept
			sumLoss += params.loss.loss(pred, target)
			dloss := math.Max(-maxDLoss, math.Min(maxDLoss, params.loss.dloss(pred, target)))
			update := -eta * dloss
			if params.penalty >= l2Penalty {
				// Never scale to negative values when eta·alpha is large:
				// zero the weights instead.
				decay := math.Max(0, 1-(1-params.l1Ratio)*eta*params.alpha)
				if decay != 1 {
					for j := range w {
						w[j] *= decay
					}
				}
			}
			if update != 0 {
				axpy(update, row, w)
				if params.fitIntercept {
					intercept += update
				}
			}
			if q != nil {
				u += params.l1Ratio * eta * params.alpha
				applyL1Penalty(w, q, u)
			}
			t++
		}
		for _, v := range w {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, 0, fmt.Errorf("floating-point overflow at epoch %d; scaling the features may help", epoch+1)
			}
		}
		if math.IsNaN(intercept) || math.IsInf(intercept, 0) {
			return nil, 0, fmt.Errorf("floating-point overflow at epoch %d; scaling the features may help", epoch+1)
		}

		if sumLoss > bestLoss-params.tol*float64(n) {
			noImprovement++
		} else {
			noImprovement = 0
		}
		bestLoss = math.Min(bestLoss, sumLoss)
		if noImprovement >= params.nIterNoChange {
			if params.learningRate == "adaptive" && eta > 1e-6 {
				eta /= 5
				noImprovement = 0
				continue
			}
			break
		}
	}
	return w, intercept, nil
}

// applyL1Penalty truncates each weight towards zero by the penalty it has
// not received yet, never across zero.
func applyL1Penalty(w, q []float64, u float64) {
	for j, z := range w {
		switch {
		case z > 0:
			w[j] = math.Max(0, z-(u+q[j]))
		case z < 0:
			w[j] = math.Min(0, z+(u-q[j]))
		}
		q[j] += w[j] - z
	}
}
