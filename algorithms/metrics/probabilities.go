package metrics

import (
	"math"
	"sort"
)

// logLossEpsilon clips probabilities as scikit-learn's log_loss does (eps="auto": the
// float64 machine epsilon), so one confident mistake costs about 36 instead of infinity.
const logLossEpsilon = 2.220446049250313e-16

// BinaryROCAUC is the area under the ROC curve of scores for the positive rows: the
// probability that a random positive row scores above a random negative one, ties counting
// one half (the Mann-Whitney statistic, as sklearn.metrics.roc_auc_score). It is NaN when
// one of the two classes is absent.
func BinaryROCAUC(positive []bool, score []float64) float64 {
	n := len(score)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return score[order[a]] < score[order[b]] })
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
		return math.NaN()
	}
	return (rankSum - npos*(npos+1)/2) / (npos * nneg)
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
