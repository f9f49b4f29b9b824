package metrics

import (
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
	n := len(yTrue)
	if n == 0 || len(yPred) != n {
		nan := math.NaN()
		return map[string]float64{"f1": nan, "precision": nan, "recall": nan, "accuracy": nan, "mcc": nan}
	}
	classes := distinct(yTrue, yPred)
	k := len(classes)
	index := func(v float64) int { return sort.SearchFloat64s(classes, v) }
	// confusion[t*k+p] counts rows of true class t predicted as p.
	confusion := make([]float64, k*k)
	for i, t := range yTrue {
		confusion[index(t)*k+index(yPred[i])]++
	}
	trueCount := make([]float64, k)
	predCount := make([]float64, k)
	var correct float64
	for t := 0; t < k; t++ {
		for p := 0; p < k; p++ {
			trueCount[t] += confusion[t*k+p]
			predCount[p] += confusion[t*k+p]
		}
		correct += confusion[t*k+t]
	}

	scored := make([]int, 0, k)
	if k == 2 {
		scored = append(scored, 1)
	} else {
		for c := range classes {
			scored = append(scored, c)
		}
	}
	var precision, recall, f1 float64
	for _, c := range scored {
		tp := confusion[c*k+c]
		pc, rc := ratio(tp, predCount[c]), ratio(tp, trueCount[c])
		precision += pc
		recall += rc
		f1 += ratio(2*pc*rc, pc+rc)
	}
	m := float64(len(scored))
	return map[string]float64{
		"f1":        f1 / m,
		"precision": precision / m,
		"recall":    recall / m,
		"accuracy":  correct / float64(n),
		"mcc":       matthews(trueCount, predCount, correct, float64(n)),
	}
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
