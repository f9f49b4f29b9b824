package boosting

import (
	"container/heap"
	"math/rand/v2"
	"slices"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// grownNode is a node of the tree being grown, in creation order.
type grownNode struct {
	leaf        bool
	feature     int
	bin         int
	left, right int
	value       float64
	// start and end delimit the node's rows in treeGrower.rows.
	start, end int
}

// candidate is a leaf that may still be split, with what splitting it
// would need: its histogram and its best split.
type candidate struct {
	node  int
	depth int
	sums  nodeSums
	hist  histogram
	best  split
	order int
}

// candidates is a max-heap on gain; equal gains go to the older node, so
// growth order is deterministic.
type candidates []*candidate

func (q candidates) Len() int { return len(q) }
func (q candidates) Less(i, j int) bool {
	if q[i].best.gain != q[j].best.gain {
		return q[i].best.gain > q[j].best.gain
	}
	return q[i].order < q[j].order
}
func (q candidates) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *candidates) Push(x any)   { *q = append(*q, x.(*candidate)) }
func (q *candidates) Pop() any {
	old := *q
	c := old[len(old)-1]
	*q = old[:len(old)-1]
	return c
}

// treeGrower grows one tree at a time best-first: the leaf whose split gains
// most is split next, until no leaf can be split or the leaf budget is
// spent. Without a leaf budget this is the same tree as depth-wise growth.
type treeGrower struct {
	c     *config
	data  *binnedData
	pool  *histogramPool
	rng   *rand.Rand
	check *cancel.Checker

	// rows holds the sampled row indices; growing a tree partitions it so
	// every node's rows are contiguous.
	rows    []int32
	scratch []int32
	// grad and hess are the current output's derivatives by row;
	// orderedGrad and orderedHess are gathered in a node's row order so the
	// histogram passes read them sequentially.
	grad, hess               []float64
	orderedGrad, orderedHess []float64

	// features are the columns this tree may use.
	features []int
	// nodeFeatures is scratch for per-node feature sampling.
	nodeFeatures []int
	// leafScale multiplies leaf values (sklearn's (K−1)/K for multinomial
	// GradientBoosting).
	leafScale float64
	// minGain is the gain a split must exceed in this tree.
	minGain float64

	nodes []grownNode
}

func newTreeGrower(c *config, data *binnedData, check *cancel.Checker) *treeGrower {
	return &treeGrower{
		c:           c,
		data:        data,
		check:       check,
		pool:        &histogramPool{size: data.totalBins},
		rng:         rand.New(rand.NewPCG(c.seed, 0x5eed_b005)),
		scratch:     make([]int32, data.rows),
		orderedGrad: make([]float64, data.rows),
		orderedHess: make([]float64, data.rows),
		leafScale:   1,
	}
}

// grow fits a tree to grad and hess over g.rows and returns its nodes, the
// root first. It stops with the context's error once the check finds it done.
func (g *treeGrower) grow(grad, hess []float64) ([]grownNode, error) {
	g.grad, g.hess = grad, hess
	g.nodes = g.nodes[:0]
	c := g.c
	g.minGain = c.minGain + c.minImpurityDecrease*float64(len(g.rows))

	var rootSums nodeSums
	for _, r := range g.rows {
		rootSums.grad += grad[r]
		rootSums.hess += hess[r]
	}
	rootSums.count = len(g.rows)
	if c.gradientSplits {
		// Splits see unit hessians; see config.gradientSplits.
		rootSums.hess = float64(rootSums.count)
	}
	g.nodes = append(g.nodes, grownNode{start: 0, end: len(g.rows)})
	root := &candidate{node: 0, sums: rootSums, hist: g.pool.get()}
	if err := g.buildHistograms(root.hist, nil, nil, 0, len(g.rows)); err != nil {
		return nil, err
	}

	var queue candidates
	order := 0
	if err := g.consider(&queue, root, &order); err != nil {
		return nil, err
	}
	leaves := 1
	for queue.Len() > 0 && (c.maxLeaves == 0 || leaves < c.maxLeaves) {
		parent := heap.Pop(&queue).(*candidate)
		left, right, err := g.split(parent)
		if err != nil {
			return nil, err
		}
		leaves++
		if err := g.consider(&queue, left, &order); err != nil {
			return nil, err
		}
		if err := g.consider(&queue, right, &order); err != nil {
			return nil, err
		}
	}
	for _, cand := range queue {
		g.pool.put(cand.hist)
		if err := g.finishLeaf(cand); err != nil {
			return nil, err
		}
	}
	return g.nodes, nil
}

// consider queues cand if it can be split, and otherwise makes it a leaf.
func (g *treeGrower) consider(queue *candidates, cand *candidate, order *int) error {
	c := g.c
	cand.order = *order
	*order++
	splittable := cand.sums.count >= c.minSamplesSplit && cand.sums.count >= 2*max(c.minSamplesLeaf, 1) &&
		(c.maxDepth == 0 || cand.depth < c.maxDepth)
	if splittable {
		// Scanning every bin of every feature of the node.
		if err := g.check.Add(g.data.totalBins); err != nil {
			return err
		}
		cand.best = g.bestSplit(cand)
		splittable = cand.best.feature >= 0 && cand.best.gain > g.minGain
	}
	if !splittable {
		g.pool.put(cand.hist)
		cand.hist = nil
		return g.finishLeaf(cand)
	}
	heap.Push(queue, cand)
	return nil
}

func (g *treeGrower) finishLeaf(cand *candidate) error {
	n := &g.nodes[cand.node]
	if err := g.check.Add(n.end - n.start); err != nil {
		return err
	}
	n.leaf = true
	sums := cand.sums
	if g.c.gradientSplits {
		// Newton step with the true hessians, as sklearn's GradientBoosting
		// updates its regression tree's leaves.
		sums.hess = 0
		for _, r := range g.rows[n.start:n.end] {
			sums.hess += g.hess[r]
		}
	}
	n.value = g.c.leafValue(sums, g.leafScale)
	return nil
}

// bestSplit searches the features a node may try, in ascending order so
// ties go to the lowest feature.
func (g *treeGrower) bestSplit(cand *candidate) split {
	features := g.features
	if g.c.nodeFeatures != nil {
		k := g.c.nodeFeatures(len(g.features))
		g.nodeFeatures = append(g.nodeFeatures[:0], g.features...)
		for i := 0; i < k; i++ {
			j := i + g.rng.IntN(len(g.nodeFeatures)-i)
			g.nodeFeatures[i], g.nodeFeatures[j] = g.nodeFeatures[j], g.nodeFeatures[i]
		}
		features = g.nodeFeatures[:k]
		slices.Sort(features)
	}
	parentScore := g.c.score(cand.sums)
	best := noSplit
	for _, f := range features {
		if s := g.c.bestFeatureSplit(cand.hist, g.data, f, cand.sums, parentScore); s.gain > best.gain {
			best = s
		}
	}
	return best
}

// split partitions parent's rows by its best split and returns the two
// children with their histograms: the smaller child's built from its rows,
// the larger one's by subtraction, reusing the parent's storage.
func (g *treeGrower) split(parent *candidate) (left, right *candidate, err error) {
	s := parent.best
	pn := g.nodes[parent.node]
	start, end := pn.start, pn.end
	if err := g.check.Add(end - start); err != nil {
		return nil, nil, err
	}
	col := g.data.column(s.feature)
	nl, nr := start, 0
	for _, r := range g.rows[start:end] {
		if int(col[r]) <= s.bin {
			g.rows[nl] = r
			nl++
		} else {
			g.scratch[nr] = r
			nr++
		}
	}
	copy(g.rows[nl:end], g.scratch[:nr])

	li, ri := len(g.nodes), len(g.nodes)+1
	g.nodes = append(g.nodes, grownNode{start: start, end: nl}, grownNode{start: nl, end: end})
	n := &g.nodes[parent.node]
	n.feature, n.bin, n.left, n.right = s.feature, s.bin, li, ri

	left = &candidate{node: li, depth: parent.depth + 1, sums: s.left}
	right = &candidate{node: ri, depth: parent.depth + 1, sums: s.right}
	small, large := left, right
	if right.sums.count < left.sums.count {
		small, large = right, left
	}
	small.hist = g.pool.get()
	large.hist = parent.hist
	sn := g.nodes[small.node]
	return left, right, g.buildHistograms(small.hist, parent.hist, large.hist, sn.start, sn.end)
}

// buildHistograms fills h from rows[start:end]; when parent is given it also
// turns parent into parent − h (the sibling's histogram, in place as
// sibling). Features are processed in parallel; each touches only its own
// bins.
func (g *treeGrower) buildHistograms(h, parent, sibling histogram, start, end int) error {
	rows := g.rows[start:end]
	if err := g.check.Add(len(rows)*(len(g.features)+2) + g.data.totalBins); err != nil {
		return err
	}
	for i, r := range rows {
		g.orderedGrad[i] = g.grad[r]
		g.orderedHess[i] = g.hess[r]
	}
	grad, hess := g.orderedGrad[:len(rows)], g.orderedHess[:len(rows)]
	if g.c.gradientSplits {
		// Unit hessians for choosing splits.
		for i := range hess {
			hess[i] = 1
		}
	}
	forEachFeature(g.features, g.c.workers, len(rows)*len(g.features), func(f int) {
		h.buildFeature(g.data, f, rows, grad, hess)
		if parent != nil {
			sibling.subtractFeature(g.data, f, parent, h)
		}
	})
	return nil
}

// treeDepth is the depth of a grown tree (children are created after their
// parent), for the work of routing rows through it.
func treeDepth(grown []grownNode) int {
	depth := make([]int, len(grown))
	deepest := 0
	for i, n := range grown {
		if !n.leaf {
			depth[n.left], depth[n.right] = depth[i]+1, depth[i]+1
			deepest = max(deepest, depth[i]+1)
		}
	}
	return deepest
}
