package forest

import "math"

// split is a candidate split of a node's samples.
type split struct {
	found     bool
	feature   int
	threshold float64
	// pos is the index in samples where the right child starts once the
	// node is partitioned.
	pos int
	// proxy ranks splits of one node: larger is better. It is sklearn's
	// proxy impurity improvement, which drops terms constant within a node.
	proxy float64
}

// findSplit draws candidate features without replacement until max_features
// of them have been examined, continuing past that only while every feature
// examined was constant in the node (as sklearn does, so a node is not made
// a leaf just because the first draws were uninformative).
func (g *grower) findSplit(start, end int, weight float64) (split, error) {
	best := split{proxy: math.Inf(-1)}
	features := g.features
	numFeatures := len(features)
	drawn, constants := 0, 0
	for drawn < numFeatures && (drawn < g.set.maxFeatures || drawn <= constants) {
		j := drawn + g.rng.IntN(numFeatures-drawn)
		features[drawn], features[j] = features[j], features[drawn]
		f := int(features[drawn])
		drawn++
		if err := g.check.Add(g.splitWork(end - start)); err != nil {
			return best, err
		}

		// Plain comparisons: math.Min and math.Max handle NaN and signed
		// zeros, which training data (validated finite) cannot hold, and
		// cost a third of the whole search.
		values := g.values[start:end]
		col := g.data.column(f)
		lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
		for i, s := range g.samples[start:end] {
			v := col[s]
			values[i] = v
			if v < lo {
				lo = v
			}
			if v > hi {
				hi = v
			}
		}
		if float64(hi) <= float64(lo)+featureThreshold {
			constants++
			continue
		}
		if g.set.kind == ExtraTrees {
			g.tryRandomThreshold(start, end, f, float64(lo), float64(hi), weight, &best)
		} else {
			// Sort a copy of the node's samples: samples itself stays in
			// ascending row order, so gathering a column for this node
			// and its descendants reads memory forwards, which the
			// hardware prefetches, instead of at random.
			order := g.order[start:end]
			copy(order, g.samples[start:end])
			sortByValue(values, order)
			if g.data.labels != nil {
				g.scanClasses(start, end, f, weight, &best)
			} else {
				g.scanSquaredError(start, end, f, weight, &best)
			}
		}
	}
	return best, nil
}

// midpoint is sklearn's threshold between consecutive distinct values
// a < b: their mean, unless rounding makes it b (or overflows), then a, so
// that x <= threshold still separates them.
func midpoint(a, b float64) float64 {
	m := (a + b) / 2
	if m == b || math.IsInf(m, 0) {
		return a
	}
	return m
}

// consider records the split between sorted positions i and i+1 of feature
// f if its proxy beats best.
func (g *grower) consider(best *split, proxy float64, f, i int) {
	if proxy > best.proxy {
		*best = split{found: true, feature: f, pos: i + 1, proxy: proxy,
			threshold: midpoint(float64(g.values[i]), float64(g.values[i+1]))}
	}
}

// scanSquaredError evaluates every threshold of the sorted feature f for
// regression: maximising Σ_outputs sumL²/wL + sumR²/wR is minimising the
// children's weighted squared error.
func (g *grower) scanSquaredError(start, end, f int, weight float64, best *split) {
	k := g.data.numOutputs
	y := g.data.targets
	values := g.values[start:end]
	samples := g.order[start:end]
	minLeaf := g.set.minSamplesLeaf
	left, total := g.left, g.total
	clear(left)
	var leftWeight float64
	last := len(samples) - 1
	for i := 0; i < last; i++ {
		s := samples[i]
		w := g.weight[s]
		leftWeight += w
		if k == 1 {
			left[0] += w * y[s]
		} else {
			for o, v := range y[int(s)*k : int(s)*k+k] {
				left[o] += w * v
			}
		}
		if float64(values[i+1]) <= float64(values[i])+featureThreshold || i+1 < minLeaf {
			continue
		}
		if last-i < minLeaf {
			break
		}
		rightWeight := weight - leftWeight
		var proxy float64
		for o := range k {
			r := total[o] - left[o]
			proxy += left[o]*left[o]/leftWeight + r*r/rightWeight
		}
		g.consider(best, proxy, f, start+i)
	}
}

// scanClasses evaluates every threshold of the sorted feature f for
// classification. The sums behind the proxy are updated in O(1) per sample
// whatever the number of classes: Σc² for gini (maximise Σc_L²/w_L +
// Σc_R²/w_R) and Σc·log c for entropy.
func (g *grower) scanClasses(start, end, f int, weight float64, best *split) {
	labels := g.data.labels
	values := g.values[start:end]
	samples := g.order[start:end]
	minLeaf := g.set.minSamplesLeaf
	useEntropy := g.set.criterion == entropy
	left, total := g.left, g.total
	clear(left)
	var leftWeight, leftSum, rightSum float64
	for _, c := range total {
		if useEntropy {
			rightSum += xLogX(c)
		} else {
			rightSum += c * c
		}
	}
	last := len(samples) - 1
	for i := 0; i < last; i++ {
		s := samples[i]
		w := g.weight[s]
		c := labels[s]
		l, r := left[c], total[c]-left[c]
		if useEntropy {
			leftSum += xLogX(l+w) - xLogX(l)
			rightSum += xLogX(r-w) - xLogX(r)
		} else {
			leftSum += (2*l + w) * w
			rightSum -= (2*r - w) * w
		}
		left[c] = l + w
		leftWeight += w
		if float64(values[i+1]) <= float64(values[i])+featureThreshold || i+1 < minLeaf {
			continue
		}
		if last-i < minLeaf {
			break
		}
		rightWeight := weight - leftWeight
		var proxy float64
		if useEntropy {
			proxy = leftSum - xLogX(leftWeight) + rightSum - xLogX(rightWeight)
		} else {
			proxy = leftSum/leftWeight + rightSum/rightWeight
		}
		g.consider(best, proxy, f, start+i)
	}
}

// tryRandomThreshold is the extra-trees rule: one threshold drawn uniformly
// in [lo, hi) of feature f, whose values for the node are in g.values.
func (g *grower) tryRandomThreshold(start, end, f int, lo, hi, weight float64, best *split) {
	threshold := lo + g.rng.Float64()*(hi-lo)
	if threshold >= hi { // rounding; sklearn falls back to the minimum
		threshold = lo
	}
	values := g.values[start:end]
	samples := g.samples[start:end]
	left := g.left
	clear(left)
	var leftWeight float64
	leftCount := 0
	classes := g.data.labels != nil
	k := g.data.numOutputs
	for i, v := range values {
		if float64(v) > threshold {
			continue
		}
		s := samples[i]
		w := g.weight[s]
		leftCount++
		leftWeight += w
		if classes {
			left[g.data.labels[s]] += w
		} else {
			for o, t := range g.data.targets[int(s)*k : int(s)*k+k] {
				left[o] += w * t
			}
		}
	}
	minLeaf := g.set.minSamplesLeaf
	if leftCount < minLeaf || len(samples)-leftCount < minLeaf {
		return
	}
	proxy := g.proxyFromLeft(leftWeight, weight-leftWeight)
	if proxy > best.proxy {
		*best = split{found: true, feature: f, threshold: threshold, pos: start + leftCount, proxy: proxy}
	}
}

// proxyFromLeft computes the proxy of the split whose left statistics are
// in g.left, in O(outputs or classes).
func (g *grower) proxyFromLeft(leftWeight, rightWeight float64) float64 {
	var proxy float64
	switch g.set.criterion {
	case squaredError:
		for o, l := range g.left {
			r := g.total[o] - l
			proxy += l*l/leftWeight + r*r/rightWeight
		}
	case gini:
		var l2, r2 float64
		for c, l := range g.left {
			r := g.total[c] - l
			l2 += l * l
			r2 += r * r
		}
		proxy = l2/leftWeight + r2/rightWeight
	case entropy:
		for c, l := range g.left {
			proxy += xLogX(l) + xLogX(g.total[c]-l)
		}
		proxy -= xLogX(leftWeight) + xLogX(rightWeight)
	}
	return proxy
}
