package metrics

import (
	"context"
	"math"
	"sort"
)

// Classification returns "accuracy", "mcc" (sklearn's multiclass
// matthews_corrcoef) and "f1", "precision" and "recall". The classes are the
// labels seen in either input; with exactly two of them the last three are
// the binary scores of the larger label (class 1, or true), otherwise their
// macro average over classes. As with sklearn's zero_division=0, a score
// whose denominator is zero counts as 0. Mismatched or empty inputs give NaN
// for every metric.
func Classification(yTrue, yPred []float64) map[string]float64 {
	m, _ := ClassificationContext(context.Background(), yTrue, yPred)
	return m
}

// ClassificationContext is Classification that returns ctx.Err() once ctx
// is done (test sets of millions of rows take a while to count).
func ClassificationContext(ctx context.Context, yTrue, yPred []float64) (map[string]float64, error) {
	n := len(yTrue)
	if n == 0 || len(yPred) != n {
		nan := math.NaN()
		return map[string]float64{"f1": nan, "precision": nan, "recall": nan, "accuracy": nan, "mcc": nan}, nil
	}
	c, err := newConfusionContext(ctx, yTrue, yPred)
	if err != nil {
		return nil, err
	}
	// Two classes: the scores of the second (larger) one; more: the macro average.
	scored := []int{1}
	if len(c.classes) != 2 {
		scored = scored[:0]
		for i := range c.classes {
			scored = append(scored, i)
		}
	}
	var precision, recall, f1 float64
	for _, i := range scored {
		p, r, f := c.class(i)
		precision += p
		recall += r
		f1 += f
	}
	m := float64(len(scored))
	return map[string]float64{
		"f1":        f1 / m,
		"precision": precision / m,
		"recall":    recall / m,
		"accuracy":  c.correct / c.n,
		"mcc":       matthews(c.trueCount, c.predCount, c.correct, c.n),
	}, nil
}

// matthews follows sklearn's multiclass formula from the confusion totals.
func matthews(trueCount, predCount []float64, correct, n float64) float64 {
	var tp, pp, tt float64
	for c := range trueCount {
		tp += trueCount[c] * predCount[c]
		pp += predCount[c] * predCount[c]
		tt += trueCount[c] * trueCount[c]
	}
	covTP := correct*n - tp
	covPP := n*n - pp
	covTT := n*n - tt
	if covPP*covTT == 0 {
		return 0
	}
	return covTP / math.Sqrt(covTT*covPP)
}

func ratio(num, den float64) float64 {
	if den == 0 {
		return 0
	}
	return num / den
}

func distinct(a, b []float64) []float64 {
	all := make([]float64, 0, len(a)+len(b))
	all = append(append(all, a...), b...)
	sort.Float64s(all)
	out := all[:0]
	for i, v := range all {
		if i == 0 || v != all[i-1] {
			out = append(out, v)
		}
	}
	return out
}
