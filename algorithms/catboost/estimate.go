package catboost

import (
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// EstimateFit bounds the bytes a fit of n rows × p features allocates beyond x and y;
// outputs is the number of label columns (regression) or classes (classification). It
// checks the hyperparameters as the fit would.
//
// The fit holds the binned features (one byte per value), a feature's sorted copy, scratch
// and values while choosing its borders (24·n), the borders (8 bytes each), raw scores,
// derivatives, second derivatives and their shifted copy for Newton steps (32·n·K, K = 1
// for two classes), weighted derivatives and bootstrap weights (8·n·K + 8·n), each row's
// leaf (4·n), the label encoding (16·n), one histogram cell of K+1 sums per bin and leaf of
// the last level (8·(K+1)·bins·2^(depth−1)), the rows ordered by bin when scoring by rows
// pays (4·n·p, small data only), per categorical feature its tables (about 100 bytes per
// row in maps) and the model: per tree depth splits of 12 bytes and 2^depth·K leaf values,
// allocated at their final size.
func EstimateFit(task algorithms.Task, n, p, outputs int, hp algorithms.Hyperparams) (int64, error) {
	c, err := parseConfig(hp, task)
	if err != nil {
		return 0, err
	}
	k := outputs
	if task == algorithms.Classification && outputs == 2 {
		k = 1
	}
	nf, pf, kf := float64(n), float64(p), float64(k)
	bins := pf * float64(min(c.borderCount, n)+1)
	leaves := math.Ldexp(1, c.depth)
	data := nf*pf + 24*nf + 8*bins
	loop := 32*nf*kf + 8*nf*kf + 8*nf + 4*nf + 16*nf
	histogram := 8 * (kf + 1) * bins * leaves / 2
	order := 0.0
	if n < maxBorders<<(c.depth-1) {
		order = 4 * nf * pf
	}
	categorical := float64(len(c.catFeatures)) * 100 * nf
	model := float64(c.iterations) * (float64(c.depth)*12 + leaves*kf*8)
	total := 1.2*(data+loop+histogram+order+categorical+model) + 256<<10
	if total > math.MaxInt64/2 {
		return math.MaxInt64 / 2, nil
	}
	return int64(total), nil
}
