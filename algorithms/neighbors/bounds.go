package neighbors

import (
	"math"
	"sort"
)

// A tree skips a node when a lower bound of the distance from the query to
// every row of the node is strictly greater than the k-th distance found so
// far. For the answer to equal brute force exactly, ties included, the
// bound must be a lower bound of the *computed* reduced distances
// (trainingSet.scan), not only of the exact ones: a row whose
// computed distance equals the k-th may replace it through its smaller
// training index, so it must never be skipped.
//
// k-d tree, p = 1 and p = 2: exact by monotonicity. For a row x of the
// node and a feature j, lo_j ≤ x_j ≤ hi_j, where lo and hi are the node's
// smallest and largest stored values. Take q_j < lo_j: the bound's term
// starts from g = fl(lo_j − q_j), the row's from fl(q_j − x_j) =
// −fl(x_j − q_j) (round to nearest is symmetric). Rounding is monotone, so
// lo_j ≤ x_j gives g ≤ fl(x_j − q_j) = |fl(q_j − x_j)|; the case q_j > hi_j
// is the mirror image, and when lo_j ≤ q_j ≤ hi_j the bound's term is 0.
// Then fl(g·g) ≤ fl(d·d) for 0 ≤ g ≤ |d|, and a rounded sum is monotone in
// each operand, so adding the terms in the same order, each rounded
// (float64 conversions forbid fused multiply-adds in both loops), yields a
// bound no larger than the row's computed distance. Overflow to +Inf keeps
// the order. A NaN query is +Inf from every row (search.go): nothing is
// beyond the k-th distance, whatever the bounds.
//
// Other exponents and the ball tree: math.Pow is not known to be monotone,
// and the ball tree's bound rests on the triangle inequality, which holds
// for exact distances only. Both bounds are therefore shrunk by a relative
// margin covering every rounding error between them and the computed
// distances (errorMargin), and by tinyReduced, an absolute allowance for
// results that underflow, where relative errors mean nothing.

// tinyReduced is above any absolute error of a sum of fewer than 2^32
// subnormal results (each off by at most 2^-1074), and below anything that
// matters for real data.
const tinyReduced = 0x1p-1020

// errorMargin is a relative error Φ no rounding chain of the bounds or
// distances can exceed: a sum of n terms is within (n−1)·2^-53 of exact;
// math.Pow(x, p) loses about p·2^-53 in its repeated squarings and up to
// 745·2^-53 in its exp/log part (as does a root through 1/p); √ is exact
// to 2^-53. The margin takes each of these four times over. When it is
// not small (absurd exponents), trees prune nothing and stay exact.
func errorMargin(features int, p float64) float64 {
	phi := (float64(features) + p + 2048) * 0x1p-50
	if !(phi < 1.0/16) {
		return math.Inf(1)
	}
	return phi
}

// lowerBound is a reduced distance no larger than the computed reduced
// distance from row to any row of node.
func (t *tree) lowerBound(s *trainingSet, row []float64, node int) float64 {
	p := len(row)
	if t.kind == searchBallTree {
		return s.ballBound(row, t.bounds[node*p:(node+1)*p], t.nodes[node].radius, t.margin)
	}
	box := t.bounds[node*2*p : (node+1)*2*p]
	lo, hi := box[:p], box[p:]
	var sum float64
	switch s.p {
	case 2:
		for j, v := range row {
			if g := lo[j] - v; g > 0 {
				sum += float64(g * g)
			} else if g := v - hi[j]; g > 0 {
				sum += float64(g * g)
			}
		}
		return sum
	case 1:
		for j, v := range row {
			if g := lo[j] - v; g > 0 {
				sum += g
			} else if g := v - hi[j]; g > 0 {
				sum += g
			}
		}
		return sum
	}
	for j, v := range row {
		if g := lo[j] - v; g > 0 {
			sum += math.Pow(g, s.p)
		} else if g := v - hi[j]; g > 0 {
			sum += math.Pow(g, s.p)
		}
	}
	return shrink(sum, t.margin)
}

// gapBound is the reduced distance of a gap along one feature between the
// query and the split value beyond which a child's rows lie: no larger than
// any of their computed distances, since their term for that feature is at
// least the gap's (the monotone argument above) and the other terms are
// not negative.
func (s *trainingSet) gapBound(gap, margin float64) float64 {
	switch s.p {
	case 2:
		return float64(gap * gap)
	case 1:
		return gap
	}
	return shrink(math.Pow(gap, s.p), margin)
}

// withinReach narrows a leaf's rows, sorted by a feature f, to those
// whose term for f alone, computed as scan computes it, is at most limit:
// the others have a computed distance beyond limit and scan would drop
// them. For p = 1 and p = 2 the term is monotone in the gap (the argument
// above), so those rows are a contiguous range, found by bisection; for
// other exponents, and a leaf too large to be sorted, the leaf is scanned
// whole.
func (s *trainingSet) withinReach(row []float64, n *treeNode, limit float64) (start, end int) {
	if s.p != 1 && s.p != 2 || n.splitFeature == unsortedLeaf {
		return n.start, n.end
	}
	p, f := s.numFeatures, n.splitFeature
	v := row[f]
	beyond := func(i int) bool {
		d := v - s.x[i*p+f]
		if s.p == 2 {
			return float64(d*d) > limit
		}
		return math.Abs(d) > limit
	}
	// Rows below v are beyond limit up to some row, rows above it from one.
	start = n.start + sort.Search(n.end-n.start, func(i int) bool {
		return !(s.x[(n.start+i)*p+f] < v && beyond(n.start+i))
	})
	end = start + sort.Search(n.end-start, func(i int) bool {
		return s.x[(start+i)*p+f] > v && beyond(start+i)
	})
	return start, end
}

// shrink lowers a computed reduced bound below every computed reduced
// distance it bounds in exact arithmetic: below (1 − 4Φ) of itself, whose
// rounding errors are within Φ each side, and below tinyReduced.
func shrink(reduced, margin float64) float64 {
	if math.IsInf(margin, 1) {
		return 0
	}
	return max(0, reduced*(1-4*margin)-tinyReduced)
}

// ballRadius sets centroid to the mean of the stored rows [start, end) and
// returns a radius no smaller than the exact distance from it to any of
// them: the largest computed reduced distance, floored at tinyReduced (an
// underflowed one may be below its exact value by more than any relative
// error), raised by 4Φ and taken to the 1/p.
func (s *trainingSet) ballRadius(centroid []float64, start, end int, margin float64) float64 {
	p := s.numFeatures
	clear(centroid)
	for i := start; i < end; i++ {
		for j, v := range s.x[i*p : (i+1)*p] {
			centroid[j] += v
		}
	}
	for j := range centroid {
		centroid[j] /= float64(end - start)
	}
	farthest := 0.0
	for i := start; i < end; i++ {
		farthest = max(farthest, s.reducedDistance(centroid, s.x[i*p:(i+1)*p]))
	}
	return s.distance(max(farthest, tinyReduced) * (1 + 4*margin))
}

// ballBound is a reduced distance no larger than the computed reduced
// distance from row to any row of the ball (centroid, radius). The exact
// bound is max(0, ‖row−c‖ − R) by the triangle inequality. The computed
// ‖row−c‖ is within Φ of the exact one when its reduced distance did not
// underflow or overflow (otherwise nothing is pruned); radius is at least
// R; lowering the first by 3Φ and raising the second by 3Φ more than covers
// the rounding of the subtraction, and shrink covers the power and the
// computed distances of the rows.
func (s *trainingSet) ballBound(row, centroid []float64, radius, margin float64) float64 {
	toCentre := s.reducedDistance(row, centroid)
	if !(toCentre >= tinyReduced) || math.IsInf(toCentre, 1) || math.IsInf(margin, 1) {
		return 0
	}
	gap := s.distance(toCentre)*(1-3*margin) - radius*(1+3*margin)
	if !(gap > 0) {
		return 0
	}
	return shrink(s.reduced(gap), margin)
}
