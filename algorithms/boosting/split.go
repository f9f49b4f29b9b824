package boosting

import "math"

// nodeSums totals the gradients, hessians and rows of a node or a side of
// a split.
type nodeSums struct {
	grad, hess float64
	count      int
}

func (s nodeSums) minus(o nodeSums) nodeSums {
	return nodeSums{grad: s.grad - o.grad, hess: s.hess - o.hess, count: s.count - o.count}
}

// split is a candidate partition of a node: rows whose bin in feature is
// <= bin go left.
type split struct {
	gain        float64
	feature     int
	bin         int
	left, right nodeSums
}

// noSplit has no feature; its gain loses to any real split.
var noSplit = split{gain: math.Inf(-1), feature: -1}

// thresholdL1 is the soft-thresholding of LightGBM and XGBoost's L1 term:
// the gradient sum shrunk towards zero by alpha.
func thresholdL1(g, alpha float64) float64 {
	switch {
	case g > alpha:
		return g - alpha
	case g < -alpha:
		return g + alpha
	}
	return 0
}

// score is how much a leaf holding s lowers the regularised second-order
// objective (up to a factor ½ that does not change which split wins). With
// gradientSplits it is the reduction in squared error of the gradients,
// sklearn's GradientBoosting criterion.
func (c *config) score(s nodeSums) float64 {
	if c.gradientSplits {
		if s.count == 0 {
			return 0
		}
		return s.grad * s.grad / float64(s.count)
	}
	g := thresholdL1(s.grad, c.l1)
	return g * g / (s.hess + c.l2)
}

// allowed reports whether a child with s satisfies the size constraints.
func (c *config) allowed(s nodeSums) bool {
	return s.count > 0 && s.count >= c.minSamplesLeaf && s.hess >= c.minHessian && (c.gradientSplits || s.hess+c.l2 > 0)
}

// bestFeatureSplit scans feature f's bins left to right for the split of a
// node with totals total and score parentScore that gains the most. Ties keep
// the lowest bin, so the result is deterministic.
func (c *config) bestFeatureSplit(h histogram, d *binnedData, f int, total nodeSums, parentScore float64) split {
	best := noSplit
	bins := h[d.offset[f]:d.offset[f+1]]
	var left nodeSums
	for b := 0; b < len(bins)-1; b++ {
		left.grad += bins[b].grad
		left.hess += bins[b].hess
		left.count += bins[b].count
		if left.count < c.minSamplesLeaf {
			continue
		}
		right := total.minus(left)
		if right.count < c.minSamplesLeaf {
			break
		}
		if bins[b].count == 0 || !c.allowed(left) || !c.allowed(right) {
			// An empty bin repeats the previous candidate's partition.
			continue
		}
		if gain := c.score(left) + c.score(right) - parentScore; gain > best.gain {
			best = split{gain: gain, feature: f, bin: b, left: left, right: right}
		}
	}
	return best
}

// leafValue is the shrunk Newton step −G/(H+λ) (with G soft-thresholded by
// the L1 term) times scale. As sklearn's GradientBoosting does, a vanishing
// denominator gives 0 instead of an overflow.
func (c *config) leafValue(s nodeSums, scale float64) float64 {
	den := s.hess + c.l2
	if math.Abs(den) < 1e-150 {
		return 0
	}
	return -thresholdL1(s.grad, c.l1) / den * c.learningRate * scale
}
