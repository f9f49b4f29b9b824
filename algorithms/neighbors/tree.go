package neighbors

import (
	"context"
	"math/bits"
	"sort"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// tree is a k-d tree or a ball tree laid out as sklearn's KDTree and
// BallTree are: a complete binary tree in an array, the children of node i
// at 2i+1 and 2i+2, each node a contiguous range of the stored rows split
// at its middle along the feature of widest spread. The rows themselves are
// reordered leaf by leaf, so that a leaf is read from consecutive memory.
type tree struct {
	kind searchMethod // searchKDTree or searchBallTree
	// index[i] is the training row stored at position i of trainingSet.x.
	// A model holds fewer than 2^32 values (newTrainingSet), hence rows.
	index []uint32
	nodes []treeNode
	// bounds holds, per node, a k-d tree's bounding box (the lower corner
	// then the upper one, 2·features values) or a ball tree's centroid
	// (features values).
	bounds []float64
	// margin is the relative error allowance of the ball tree and of the
	// general Minkowski exponent (bounds.go).
	margin float64
}

type treeNode struct {
	start, end int // the stored rows [start, end)
	// radius is a ball tree node's radius around its centroid, rounded up
	// (bounds.go).
	radius float64
	// An inner node's rows are split at value split of feature splitFeature:
	// its left child holds values no larger, its right child no smaller. A
	// leaf's rows are sorted by feature splitFeature, its widest, unless it
	// is unsortedLeaf.
	split        float64
	splitFeature int
}

// maxSortedLeaf is the largest leaf the build sorts: a sort is one call
// that cannot look at the context, so it must stay short (a leaf this big
// comes only from a leaf_size far above the default).
const maxSortedLeaf = 1 << 12

const unsortedLeaf = -1

// numTreeNodes is sklearn's node count: the levels are as many as keep
// every leaf at least leafSize rows (or the whole set, when smaller).
func numTreeNodes(rows, leafSize int) int {
	levels := max(1, bits.Len(uint((rows-1)/leafSize)))
	return 1<<levels - 1
}

// boundsPerNode is the size of one node's entry in tree.bounds.
func boundsPerNode(kind searchMethod, features int) int {
	if kind == searchKDTree {
		return 2 * features
	}
	return features
}

// buildTree builds the index of s, reordering s.x. The work is about
// rows·features per level, charged to a Checker of ctx.
func buildTree(ctx context.Context, s *trainingSet, kind searchMethod) (*tree, error) {
	nodes := numTreeNodes(s.rows, s.leafSize)
	t := &tree{
		kind:   kind,
		index:  make([]uint32, s.rows),
		nodes:  make([]treeNode, nodes),
		bounds: make([]float64, nodes*boundsPerNode(kind, s.numFeatures)),
		margin: errorMargin(s.numFeatures, s.p),
	}
	for i := range t.index {
		t.index[i] = uint32(i)
	}
	b := &treeBuilder{
		s: s, t: t, chk: cancel.New(ctx),
		lo: make([]float64, s.numFeatures), hi: make([]float64, s.numFeatures),
		seed: 0x9e3779b97f4a7c15,
	}
	if err := b.build(0, 0, s.rows); err != nil {
		return nil, err
	}
	return t, nil
}

type treeBuilder struct {
	s   *trainingSet
	t   *tree
	chk *cancel.Checker
	// lo and hi are the box of the node being built.
	lo, hi []float64
	seed   uint64
	leaf   leafRows
}

// leafRows sorts the rows of a leaf by one feature (sort.Interface).
type leafRows struct {
	b                   *treeBuilder
	start, end, feature int
}

func (l *leafRows) Len() int { return l.end - l.start }

func (l *leafRows) Less(i, j int) bool {
	x, p := l.b.s.x, l.b.s.numFeatures
	return x[(l.start+i)*p+l.feature] < x[(l.start+j)*p+l.feature]
}

func (l *leafRows) Swap(i, j int) { l.b.swap(l.start+i, l.start+j) }

func (b *treeBuilder) build(node, start, end int) error {
	s, t, p := b.s, b.t, b.s.numFeatures
	t.nodes[node] = treeNode{start: start, end: end}
	lo, hi := b.lo[:p], b.hi[:p]
	copy(lo, s.x[start*p:(start+1)*p])
	copy(hi, lo)
	for i := start + 1; i < end; i++ {
		for j, v := range s.x[i*p : (i+1)*p : (i+1)*p] {
			if v < lo[j] {
				lo[j] = v
			} else if v > hi[j] {
				hi[j] = v
			}
		}
	}
	if err := b.chk.Add((end - start) * p); err != nil {
		return err
	}
	per := boundsPerNode(t.kind, p)
	nodeBounds := t.bounds[node*per : (node+1)*per]
	if t.kind == searchKDTree {
		copy(nodeBounds, lo)
		copy(nodeBounds[p:], hi)
	} else {
		t.nodes[node].radius = s.ballRadius(nodeBounds, start, end, t.margin)
		if err := b.chk.Add(2 * (end - start) * p); err != nil {
			return err
		}
	}
	split := 0
	for j := range lo {
		if hi[j]-lo[j] > hi[split]-lo[split] {
			split = j
		}
	}
	left := 2*node + 1
	if left >= len(t.nodes) {
		t.nodes[node].splitFeature = unsortedLeaf
		if end-start > maxSortedLeaf {
			return nil
		}
		t.nodes[node].splitFeature = split
		b.leaf = leafRows{b: b, start: start, end: end, feature: split}
		sort.Sort(&b.leaf)
		return b.chk.Add((end - start) * bits.Len(uint(end-start)))
	}
	mid := start + (end-start)/2
	if err := b.selectRow(start, end, mid, split); err != nil {
		return err
	}
	t.nodes[node].split, t.nodes[node].splitFeature = s.x[mid*p+split], split
	if err := b.build(left, start, mid); err != nil {
		return err
	}
	return b.build(left+1, mid, end)
}

// selectRow reorders the stored rows [start, end) so that the row at kth
// holds the value of its rank in feature f, the rows before it no larger
// and the rows after it no smaller (Hoare's FIND). Pivots are drawn from a
// fixed pseudo-random sequence: expected linear time whatever the data's
// order, and the same tree every time.
func (b *treeBuilder) selectRow(start, end, kth, f int) error {
	x, p := b.s.x, b.s.numFeatures
	for end-start > 1 {
		b.seed ^= b.seed << 13
		b.seed ^= b.seed >> 7
		b.seed ^= b.seed << 17
		pivot := x[(start+int(b.seed%uint64(end-start)))*p+f]
		i, j := start, end-1
		for i <= j {
			for x[i*p+f] < pivot {
				i++
			}
			for x[j*p+f] > pivot {
				j--
			}
			if i <= j {
				b.swap(i, j)
				i++
				j--
			}
		}
		if err := b.chk.Add(end - start); err != nil {
			return err
		}
		// Now [start, j] ≤ pivot ≤ [i, end) and the rows between equal it.
		switch {
		case kth <= j:
			end = j + 1
		case kth >= i:
			start = i
		default:
			return nil
		}
	}
	return nil
}

func (b *treeBuilder) swap(i, j int) {
	x, p := b.s.x, b.s.numFeatures
	ri, rj := x[i*p:(i+1)*p:(i+1)*p], x[j*p:(j+1)*p:(j+1)*p]
	for f := range ri {
		ri[f], rj[f] = rj[f], ri[f]
	}
	b.t.index[i], b.t.index[j] = b.t.index[j], b.t.index[i]
}

// leafOf is the leaf whose region holds row.
func (t *tree) leafOf(row []float64) int {
	node := 0
	for left := 1; left < len(t.nodes); left = 2*node + 1 {
		n := &t.nodes[node]
		node = left
		if !(row[n.splitFeature] <= n.split) {
			node++
		}
	}
	return node
}

// search fills sc.heap with the k nearest stored rows of row.
func (t *tree) search(s *trainingSet, row []float64, sc *scratch, chk *cancel.Checker) error {
	q := treeQuery{s: s, t: t, row: row, sc: sc, chk: chk}
	return q.visit(0, t.lowerBound(s, row, 0))
}

type treeQuery struct {
	s   *trainingSet
	t   *tree
	row []float64
	sc  *scratch
	chk *cancel.Checker
}

// visit searches node, whose rows are no nearer than bound (a reduced
// distance). A node is skipped only when bound is strictly beyond the k-th
// neighbour found so far: a row at exactly that distance may still win the
// tie by its training index. The child on the query's side of the split is
// searched first, with its parent's bound; the other child is then skipped
// if the split plane alone puts it beyond the k-th neighbour (a cheap test
// that settles most nodes), or else if its own bounding region does.
func (q *treeQuery) visit(node int, bound float64) error {
	if q.beyond(bound) {
		return nil
	}
	n := &q.t.nodes[node]
	near := 2*node + 1
	if near >= len(q.t.nodes) {
		// A leaf inherits a loose bound when it is on the query's side;
		// its own region is worth checking before its rows.
		if len(q.sc.heap) < q.s.k {
			return q.s.scan(q.row, n.start, n.end, q.sc, q.chk)
		}
		if q.beyond(q.t.lowerBound(q.s, q.row, node)) {
			return nil
		}
		start, end := q.s.withinReach(q.row, n, q.sc.heap[0].dist)
		return q.s.scan(q.row, start, end, q.sc, q.chk)
	}
	far := near + 1
	v := q.row[n.splitFeature]
	gap := v - n.split
	if !(v <= n.split) {
		near, far = far, near
	} else {
		gap = n.split - v
	}
	if err := q.visit(near, bound); err != nil {
		return err
	}
	if q.beyond(q.s.gapBound(gap, q.t.margin)) {
		return nil
	}
	if err := charge(q.chk, q.s.numFeatures); err != nil {
		return err
	}
	return q.visit(far, q.t.lowerBound(q.s, q.row, far))
}

// beyond reports whether rows no nearer than bound cannot enter the heap.
func (q *treeQuery) beyond(bound float64) bool {
	h := q.sc.heap
	return len(h) == q.s.k && bound > h[0].dist
}
