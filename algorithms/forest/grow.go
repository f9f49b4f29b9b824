package forest

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// sklearn's constants: values closer than featureThreshold are one value
// (no split between them) and a node with impurity ≤ minImpurity is pure.
const (
	featureThreshold = 1e-7
	minImpurity      = 0x1p-52 // DBL_EPSILON
)

// grower grows trees one after another; each worker goroutine owns one so
// its scratch buffers are reused across trees without locking.
type grower struct {
	data *trainingSet
	set  *settings
	rng  *rand.Rand
	// check is consulted as work is done: per feature examined in a node
	// (a gather, a sort and a scan of the node's samples), so that even
	// the root of a tree on millions of rows stops within milliseconds.
	check *cancel.Checker

	// samples[start:end] are the rows of the node being grown; splitting
	// partitions that range in place so children are contiguous.
	samples []int32
	// weight[row] is how often the bootstrap drew row (1 without bootstrap).
	weight []float64
	// values[i] is the candidate feature's value for samples[i] (extra
	// trees) or for order[i] (random forest, which sorts them).
	values []float32
	// order is scratch for sorting a node's samples by one feature and
	// for partitioning.
	order    []int32
	features []int32
	// total and left hold per-output sums (regression) or per-class weights
	// (classification) of the node and of a candidate left child.
	total, left []float64
	rootWeight  float64
	// importance is scratch for the tree's weighted impurity decrease per feature.
	importance []float64
}

// growerBytes is the scratch one grower holds for rows training rows.
func growerBytes(rows, cols, width int) int64 {
	return int64(rows)*(4+8+4+4) + 4*int64(cols) + 16*int64(width)
}

func newGrower(data *trainingSet, set *settings, check *cancel.Checker) *grower {
	g := &grower{
		data:     data,
		set:      set,
		check:    check,
		samples:  make([]int32, 0, data.rows),
		weight:   make([]float64, data.rows),
		values:   make([]float32, data.rows),
		order:    make([]int32, data.rows),
		features: make([]int32, data.cols),
		total:    make([]float64, data.width()),
		left:     make([]float64, data.width()),
	}
	for f := range g.features {
		g.features[f] = int32(f)
	}
	return g
}

// pending is a node waiting to be grown. rightOf is the parent whose right
// child it is, or -1: a left child needs no link as it follows its parent.
type pending struct {
	start, end, depth int
	rightOf           int32
	// parentFeature is the feature the parent split on (-1 at the root): the node's
	// weighted impurity is subtracted from that feature's importance.
	parentFeature int32
}

// grow grows one tree from the current samples and weights. It stops with
// the context's error once the grower's check finds it done.
func (g *grower) grow() (tree, error) {
	var t tree
	g.rootWeight = 0
	for _, s := range g.samples {
		g.rootWeight += g.weight[s]
	}
	if g.importance == nil {
		g.importance = make([]float64, g.data.cols)
	}
	clear(g.importance)
	stack := []pending{{start: 0, end: len(g.samples), depth: 0, rightOf: -1, parentFeature: -1}}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if err := g.check.Add(p.end - p.start + 1); err != nil {
			return t, err
		}
		id := int32(len(t.nodes))
		if p.rightOf >= 0 {
			t.nodes[p.rightOf].next = id
		}
		weight, impurity := g.nodeStats(p.start, p.end)
		if p.parentFeature >= 0 {
			g.importance[p.parentFeature] -= weight * impurity
		}
		s, ok, err := g.trySplit(p, weight, impurity)
		if err != nil {
			return t, err
		}
		if ok {
			g.importance[s.feature] += weight * impurity
			t.nodes = append(t.nodes, node{threshold: s.threshold, feature: int32(s.feature)})
			// Push right first so the left child is grown next and lands
			// right after its parent.
			f := int32(s.feature)
			stack = append(stack,
				pending{start: s.pos, end: p.end, depth: p.depth + 1, rightOf: id, parentFeature: f},
				pending{start: p.start, end: s.pos, depth: p.depth + 1, rightOf: -1, parentFeature: f})
			continue
		}
		leafNumber := int32(len(t.leafValues) / len(g.total))
		t.nodes = append(t.nodes, node{feature: leafFeature, next: leafNumber})
		for _, v := range g.total {
			t.leafValues = append(t.leafValues, v/weight)
		}
	}
	for f, v := range g.importance {
		if v != 0 {
			t.importance = append(t.importance, featureDecrease{int32(f), v})
		}
	}
	// Appending leaves up to a quarter of spare capacity: trim it, as the
	// forest keeps every tree.
	t.nodes, t.leafValues = slices.Clip(slices.Clone(t.nodes)), slices.Clip(slices.Clone(t.leafValues))
	return t, nil
}

// trySplit decides whether node p is split and, if so, partitions its
// samples. g.total must hold p's statistics and is left holding them.
func (g *grower) trySplit(p pending, weight, impurity float64) (split, bool, error) {
	n := p.end - p.start
	if p.depth >= g.set.maxDepth || n < g.set.minSamplesSplit || impurity <= minImpurity {
		return split{}, false, nil
	}
	s, err := g.findSplit(p.start, p.end, weight)
	if err != nil || !s.found {
		return s, false, err
	}
	g.partition(p.start, p.end, s)
	if g.set.minImpurityDecrease > 0 {
		saved := append([]float64(nil), g.total...)
		leftWeight, leftImpurity := g.nodeStats(p.start, s.pos)
		rightWeight, rightImpurity := g.nodeStats(s.pos, p.end)
		copy(g.total, saved)
		// sklearn's weighted impurity decrease.
		decrease := weight / g.rootWeight *
			(impurity - rightWeight/weight*rightImpurity - leftWeight/weight*leftImpurity)
		if decrease+minImpurity < g.set.minImpurityDecrease {
			return s, false, nil
		}
	}
	return s, true, nil
}

// splitWork is the work of examining one feature in a node of n samples:
// gathering and scanning, plus sorting for random forests.
func (g *grower) splitWork(n int) int {
	if g.set.kind == ExtraTrees {
		return 2 * n
	}
	return n * (2 + bits.Len(uint(n)))
}

// partition moves the samples going left (x[feature] <= threshold) to the
// front of [start, end); s.pos is where the right child begins. It is
// stable, keeping both children in ascending row order (see findSplit).
func (g *grower) partition(start, end int, s split) {
	col := g.data.column(s.feature)
	samples := g.samples[start:end]
	right := g.order[:0]
	i := 0
	for _, r := range samples {
		if float64(col[r]) <= s.threshold {
			samples[i] = r // i never passes the read position
			i++
		} else {
			right = append(right, r)
		}
	}
	copy(samples[i:], right)
	if start+i != s.pos {
		panic(fmt.Sprintf("forest: split of feature %d at %v puts %d samples left, search counted %d",
			s.feature, s.threshold, i, s.pos-start))
	}
}

// nodeStats fills g.total for samples[start:end] and returns their total
// weight and impurity (mean squared error averaged over outputs, gini, or
// entropy in bits, as sklearn reports them).
func (g *grower) nodeStats(start, end int) (weight, impurity float64) {
	clear(g.total)
	samples := g.samples[start:end]
	if g.data.labels != nil {
		for _, s := range samples {
			w := g.weight[s]
			g.total[g.data.labels[s]] += w
			weight += w
		}
		return weight, classImpurity(g.set.criterion, g.total, weight)
	}
	k := g.data.numOutputs
	y := g.data.targets
	for _, s := range samples {
		w := g.weight[s]
		weight += w
		for o, v := range y[int(s)*k : int(s)*k+k] {
			g.total[o] += w * v
		}
	}
	// Deviations from the mean, not E[y²]−E[y]², so that a constant
	// target has exactly zero impurity and is not split on rounding noise.
	for o := range k {
		mean := g.total[o] / weight
		var squares float64
		for _, s := range samples {
			d := y[int(s)*k+o] - mean
			squares += g.weight[s] * d * d
		}
		impurity += squares / weight
	}
	return weight, impurity / float64(k)
}

func classImpurity(c criterion, counts []float64, weight float64) float64 {
	var impurity float64
	if c == entropy {
		for _, n := range counts {
			if n > 0 {
				p := n / weight
				impurity -= p * math.Log2(p)
			}
		}
		return impurity
	}
	impurity = 1
	for _, n := range counts {
		p := n / weight
		impurity -= p * p
	}
	return impurity
}

// xLogX is the entropy term n·log₂n, with 0·log 0 = 0.
func xLogX(n float64) float64 {
	if n <= 0 {
		return 0
	}
	return n * math.Log2(n)
}
