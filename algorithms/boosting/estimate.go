package boosting

import (
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// EstimateFit bounds the bytes algorithm allocates while fitting n rows of p
// features beyond x and y; outputs is the number of targets (regression) or
// classes (classification). It checks the hyperparameters as the fit would.
//
// The fit holds the binned features (one byte per value) and their bin
// edges, a sorted copy of one column and a buffer for merging it while binning, raw scores, gradients
// and hessians for every output (24·n·K bytes, K = 1 for two classes), row
// indices and gathered gradients (28·n), the labels' class indices and,
// briefly, their sorted copy (12·n), one histogram per leaf that may still
// be split (24 bytes per bin of every feature), and the ensemble: per
// iteration and output one tree of at most 2L−1 nodes of 16 bytes, in an
// array that grows by appending (up to 2.25 times its final size while it
// is copied). L, the leaves per tree, is at most max_leaf_nodes or
// num_leaves, 2^max_depth and n / min_samples_leaf. A fifth is added for
// the small allocations of every split that wait for the collector.
func EstimateFit(algorithm string, task algorithms.Task, n, p, outputs int, hp algorithms.Hyperparams) (int64, error) {
	c, err := configFor(algorithm, task, hp)
	if err != nil {
		return 0, err
	}
	k := outputs
	labels := 0.0
	if task == algorithms.Classification {
		labels = 12 * float64(n)
		if outputs == 2 {
			k = 1
		}
	}
	minLeaf := c.minSamplesLeaf
	if c.minSamplesLeafFraction > 0 {
		minLeaf = int(math.Ceil(c.minSamplesLeafFraction * float64(n)))
	}
	leaves := float64(n) / float64(max(minLeaf, 1))
	if c.maxLeaves > 0 {
		leaves = math.Min(leaves, float64(c.maxLeaves))
	}
	if c.maxDepth > 0 && c.maxDepth < 62 {
		leaves = math.Min(leaves, math.Ldexp(1, c.maxDepth))
	}
	leaves = math.Max(leaves, 1)
	nf, pf, kf := float64(n), float64(p), float64(k)
	bins := pf * float64(min(c.maxBins, n)+1)
	data := nf*pf + 16*nf + 8*bins
	loop := 24*nf*kf + 28*nf + 4*nf
	histograms := (leaves + 1) * bins * 24
	grower := 2 * leaves * 200 // grown nodes and candidates of the tree being grown
	trees := float64(c.iterations) * kf
	model := 2.25 * trees * ((2*leaves-1)*16 + 4)
	// A fifth more for what each split and tree allocates afresh (split
	// results, candidates, heap entries) and the collector frees later.
	total := 1.2*(data+loop+labels+histograms+grower+model+8*kf) + 256<<10
	if total > math.MaxInt64/2 {
		return math.MaxInt64 / 2, nil
	}
	return int64(total), nil
}
