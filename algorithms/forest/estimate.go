package forest

import (
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// EstimateFit bounds the bytes a forest of kind allocates while fitting n
// rows of p features beyond x and y; width is the number of targets
// (regression) or classes (classification). It checks the hyperparameters as
// the fit would.
//
// The fit holds x as float32 columns (4·n·p bytes), the class index of every
// row and, briefly, a sorted copy of the labels (12·n), one grower per
// worker (20 bytes a row of scratch) and the trees. A tree with L leaves has
// 2L−1 nodes of 16 bytes and L·width leaf values of 8 bytes, and L is at
// most the distinct rows it sees (the bootstrap size), 2^max_depth and
// n / min_samples_leaf. A tree being grown may briefly hold 2.25 times its
// final size (append growth, then a trimmed copy). The bound assumes every
// tree isolates each sample (regression on a continuous target does, noisy
// classification nearly); trees on clean classes are far smaller.
func EstimateFit(kind Kind, task algorithms.Task, n, p, width int, hp algorithms.Hyperparams) (int64, error) {
	s, err := parseSettings(kind, task, hp, n, p)
	if err != nil {
		return 0, err
	}
	return estimate(&s, n, p, width), nil
}

func estimate(s *settings, n, p, width int) int64 {
	leaves := float64(n)
	if s.bootstrap {
		leaves = float64(min(n, s.bootstrapSize))
	}
	leaves = math.Min(leaves, float64(n)/float64(s.minSamplesLeaf))
	if s.maxDepth < 62 {
		leaves = math.Min(leaves, math.Ldexp(1, s.maxDepth))
	}
	leaves = math.Max(leaves, 1)
	// Large slices are rounded up to whole pages, and the collector frees
	// a tree's growing copies late: a tenth and a few pages more.
	treeBytes := 1.1*leaves*(2*nodeBytes+valueBytes*float64(width)) + 16<<10
	workers := float64(min(s.workers, s.numTrees))
	data := 4*float64(n)*float64(p) + 12*float64(n) + 8*float64(width)
	scratch := workers * float64(growerBytes(n, p, width))
	trees := float64(s.numTrees)*treeBytes + workers*1.25*treeBytes
	total := data + scratch + trees + 4096
	if total > math.MaxInt64/2 {
		return math.MaxInt64 / 2
	}
	return int64(total)
}
