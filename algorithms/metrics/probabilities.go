package metrics

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// logLossEpsilon clips probabilities as scikit-learn's log_loss does (eps="auto": the
// float64 machine epsilon), so one confident mistake costs about 36 instead of infinity.
const logLossEpsilon = 2.220446049250313e-16

// BinaryROCAUC is the area under the ROC curve of scores for the positive rows: the
// probability that a random positive row scores above a random negative one, ties counting
// one half (the Mann-Whitney statistic, as sklearn.metrics.roc_auc_score). It is NaN when
// one of the two classes is absent.
func BinaryROCAUC(positive []bool, score []float64) float64 {
	auc, _ := BinaryROCAUCContext(context.Background(), positive, score)
	return auc
}

// BinaryROCAUCContext is BinaryROCAUC that returns ctx.Err() once ctx is
// done: the scores are sorted in runs merged pairwise, checking between them.
func BinaryROCAUCContext(ctx context.Context, positive []bool, score []float64) (float64, error) {
	n := len(score)
	order, err := sortedOrder(cancel.New(ctx), score)
	if err != nil {
		return math.NaN(), err
	}
	// Average ranks over ties, then sum the ranks of the positive rows.
	var rankSum, npos float64
	for i := 0; i < n; {
		j := i
		for j < n && score[order[j]] == score[order[i]] {
			j++
		}
		rank := float64(i+j+1) / 2 // ranks i+1..j averaged
		for k := i; k < j; k++ {
			if positive[order[k]] {
				rankSum += rank
				npos++
			}
		}
		i = j
	}
	nneg := float64(n) - npos
	if npos == 0 || nneg == 0 {
		return math.NaN(), nil
	}
	return (rankSum - npos*(npos+1)/2) / (npos * nneg), nil
}

// sortRun is the length of the runs sortedOrder sorts in one step.
const sortRun = 1 << 14

// sortedOrder returns the indices of score in ascending order of score
// (ties in any order): runs sorted one at a time, then merged pairwise, so
// that no step sorts millions of values at once.
func sortedOrder(check *cancel.Checker, score []float64) ([]int, error) {
	n := len(score)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	less := func(a, b int) int { return cmp.Compare(score[a], score[b]) }
	for lo := 0; lo < n; lo += sortRun {
		hi := min(lo+sortRun, n)
		if err := check.Add(16 * (hi - lo)); err != nil {
			return nil, err
		}
		slices.SortFunc(order[lo:hi], less)
	}
	buf := make([]int, n)
	for width := sortRun; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			if err := check.Add(2 * (hi - lo)); err != nil {
				return nil, err
			}
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				if score[order[j]] < score[order[i]] {
					buf[k] = order[j]
					j++
				} else {
					buf[k] = order[i]
					i++
				}
				k++
			}
			k += copy(buf[k:], order[i:mid])
			copy(buf[k:], order[j:hi])
		}
		order, buf = buf, order
	}
	return order, nil
}

// BinaryLogLoss is the mean negative log-likelihood of the positive-class probabilities p.
func BinaryLogLoss(positive []bool, p []float64) float64 {
	if len(p) == 0 {
		return math.NaN()
	}
	total := 0.0
	for i, v := range p {
		v = math.Min(math.Max(v, logLossEpsilon), 1-logLossEpsilon)
		if positive[i] {
			total -= math.Log(v)
		} else {
			total -= math.Log(1 - v)
		}
	}
	return total / float64(len(p))
}

// SortedOrder returns the indices of score in ascending order of score (ties in any
// order), returning ctx.Err() once ctx is done: the sort behind BinaryROCAUC, shared with
// the curves of algorithms/analysis.
func SortedOrder(ctx context.Context, score []float64) ([]int, error) {
	return sortedOrder(cancel.New(ctx), score)
}
