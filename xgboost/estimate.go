package xgboost

import (
	"math"
	"strconv"

	"github.com/pgml-go/pgml/algorithms"
)

// EstimateFit bounds the bytes training algorithm for task on rows×cols
// features allocates at its peak beyond x and y (as native.EstimateFit:
// outputs is the number of targets, or of classes), in the training
// process and in this one together. It checks the hyperparameters as Train
// does.
//
// The training process holds the features as float32 (4 bytes a value,
// until the DMatrix is built), the DMatrix (8 bytes a value and a row
// offset), its column index (a sorted copy for the exact method, the bins
// for hist and approx: 8 bytes a value covers both), float32 labels,
// gradients and prediction caches (24 bytes a row and output), histograms
// (16 bytes a bin, max_bin bins per feature, for half the nodes of a level,
// per thread), the trees (about 250 bytes a node: the tree, its statistics,
// the saved model, the copy this process reads and the booster it loads)
// and libxgboost's own 16 MiB. A tree of depth d has at most
// 2^(d+1) nodes, and never more than two per row.
func EstimateFit(algorithm string, task algorithms.Task, rows, cols, outputs int, hp algorithms.Hyperparams) (int64, error) {
	nclass := 0
	if task == algorithms.Classification {
		if err := algorithms.CheckClasses(outputs); err != nil {
			return 0, err
		}
		nclass = outputs
	}
	cfg, err := parseConfig(algorithm, task, nclass, hp)
	if err != nil {
		return 0, err
	}
	settings := map[string]string{}
	for _, p := range cfg.params {
		settings[p.k] = p.v
	}
	number := func(key string, def float64) float64 {
		if v, err := strconv.ParseFloat(settings[key], 64); err == nil {
			return v
		}
		return def
	}
	n, p := float64(rows), float64(cols)
	k := 1.0 // outputs per tree round: classes for softmax, else 1
	if nclass > 2 {
		k = float64(nclass)
	}
	targets := float64(max(outputs, 1))
	if task == algorithms.Classification {
		targets = 1
	}
	depth := number("max_depth", 6)
	leaves := n
	if depth > 0 {
		leaves = math.Min(leaves, math.Ldexp(1, int(depth)))
	}
	if ml := number("max_leaves", 0); ml > 0 {
		leaves = math.Min(leaves, ml)
	}
	nodes := 2 * leaves
	trees := float64(cfg.rounds) * k * number("num_parallel_tree", 1) * targets
	bins := math.Min(number("max_bin", 256), n) + 1
	threads := float64(cfg.nthread)
	data := 4*n*p + 8*n*p + 8*n + 8*n*p + 4*n
	loop := 24 * n * k
	histograms := (math.Min(leaves, 1<<12)/2 + 1) * p * bins * 16 * threads
	model := trees * nodes * 250
	labels := 8 * n
	total := data + loop + histograms + model + labels + 16<<20
	if total > math.MaxInt64/2 {
		return math.MaxInt64 / 2, nil
	}
	return int64(total), nil
}
