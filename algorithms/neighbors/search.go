package neighbors

import (
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// trainingSet is the stored training rows and the search over them.
type trainingSet struct {
	numFeatures int
	rows        int
	// x holds the training rows, row-major, in search order: training order
	// for brute force, leaf by leaf for a tree (tree.index maps back).
	x []float64
	k int
	p float64
	// distanceWeights: see params.
	distanceWeights bool
	// method and leafSize are the hyperparameters as given ("auto" stays
	// "auto", so that a loaded model chooses as a fresh fit would).
	method   searchMethod
	leafSize int
	// tree is the search index; nil when the search is brute force.
	tree *tree
	// scratch pools per-call buffers so Predict neither allocates nor
	// shares state between concurrent callers.
	scratch sync.Pool
}

// neighbor is a candidate: the answer is the k smallest by less, so that
// brute force and trees, which meet the rows in different orders, agree.
type neighbor struct {
	dist  float64 // the Minkowski sum Σ|a−b|^p, without the final root
	index int     // the row's position in the training data
}

type scratch struct {
	heap    []neighbor
	weights []float64
	votes   []float64
	// order is the query order of forEachQuery: leaf<<32 | row offset.
	order []uint64
}

func (s *trainingSet) getScratch(numVotes int) *scratch {
	if v, ok := s.scratch.Get().(*scratch); ok {
		return v
	}
	return &scratch{
		heap:    make([]neighbor, 0, s.k),
		weights: make([]float64, s.k),
		votes:   make([]float64, numVotes),
	}
}

// reducedDistance is Σ|a−b|^p: monotone in the Minkowski distance and
// cheaper, so the search ranks by it and takes the root only for weights.
// The distances of training rows, which decide the answer, are computed by
// scan; this one serves the ball tree's centroids.
func (s *trainingSet) reducedDistance(a, b []float64) float64 {
	b = b[:len(a)]
	var sum float64
	for j, v := range a {
		switch d := math.Abs(v - b[j]); s.p {
		case 2:
			sum += d * d
		case 1:
			sum += d
		default:
			sum += math.Pow(d, s.p)
		}
	}
	return sum
}

// distance is the Minkowski distance of a reduced distance.
func (s *trainingSet) distance(reduced float64) float64 {
	switch s.p {
	case 2:
		return math.Sqrt(reduced)
	case 1:
		return reduced
	}
	return math.Pow(reduced, 1/s.p)
}

// reduced is the reduced distance of a Minkowski distance.
func (s *trainingSet) reduced(distance float64) float64 {
	switch s.p {
	case 2:
		return distance * distance
	case 1:
		return distance
	}
	return math.Pow(distance, s.p)
}

// minOrderedQueries is the smallest batch forEachQuery reorders: below it
// consecutive queries rarely meet the same leaves. maxOrderedQueries is the
// most it sorts at once, so that a sort (which cannot look at the context)
// stays within milliseconds.
const (
	minOrderedQueries = 64
	maxOrderedQueries = 1 << 18
)

// forEachQuery calls fn with the index of each of the rows of x, a batch
// of queries (an index, not the row: a row passed to a function value would
// make every caller's x escape to the heap). On a tree it takes them leaf
// by leaf (the leaf where each query would lie), maxOrderedQueries at a
// time: consecutive searches then read the same nodes and rows, which stay
// in the processor's caches, where queries in their given order each miss
// on most of them. The answers do not depend on the order.
func (s *trainingSet) forEachQuery(x []float64, rows int, sc *scratch, chk *cancel.Checker, fn func(i int) error) error {
	p := s.numFeatures
	if s.tree == nil || rows < minOrderedQueries {
		for i := 0; i < rows; i++ {
			if err := fn(i); err != nil {
				return err
			}
		}
		return nil
	}
	for lo := 0; lo < rows; lo += maxOrderedQueries {
		hi := min(rows, lo+maxOrderedQueries)
		order := sc.order[:0]
		for i := lo; i < hi; i++ {
			order = append(order, uint64(s.tree.leafOf(x[i*p:(i+1)*p]))<<32|uint64(i-lo))
		}
		slices.Sort(order)
		sc.order = order
		if err := charge(chk, (hi-lo)*bits.Len(uint(len(s.tree.nodes)))); err != nil {
			return err
		}
		for _, o := range order {
			if err := fn(lo + int(uint32(o))); err != nil {
				return err
			}
		}
	}
	return nil
}

// nearest fills sc.heap with the k training rows nearest to row, sorted by
// distance, and sc.weights with their weights. Equidistant rows are
// preferred in training order. chk, when not nil, is charged with the
// work and stops the search once its context is done.
func (s *trainingSet) nearest(row []float64, sc *scratch, chk *cancel.Checker) error {
	sc.heap = sc.heap[:0]
	var err error
	if s.tree != nil {
		err = s.tree.search(s, row, sc, chk)
	} else {
		err = s.bruteForce(row, sc, chk)
	}
	if err != nil {
		return err
	}
	s.weigh(sc)
	return nil
}

// bruteBlock is how many rows brute force scans between two charges of
// the checker: small against a second, large against the charge.
const bruteBlock = 4096

func (s *trainingSet) bruteForce(row []float64, sc *scratch, chk *cancel.Checker) error {
	for lo := 0; lo < s.rows; lo += bruteBlock {
		if err := s.scan(row, lo, min(s.rows, lo+bruteBlock), sc, chk); err != nil {
			return err
		}
	}
	return nil
}

// scan offers the stored rows [lo, hi) to the heap. It computes every
// reduced distance of a training row, in one sequence of operations the
// tree bounds rely on (bounds.go): the terms in feature order, each rounded
// before it is added (the float64 conversions forbid fused multiply-adds).
// Most rows are farther than the k-th so far (limit): a row is dropped as
// soon as a partial sum, every four features, passes limit, as the full sum
// of these non-negative terms would. The loops are written out per exponent
// because a call per row would cost as much as the row's arithmetic.
func (s *trainingSet) scan(row []float64, lo, hi int, sc *scratch, chk *cancel.Checker) error {
	p, x := s.numFeatures, s.x
	row = row[:p]
	limit := s.limit(sc)
	switch s.p {
	case 2:
	squared:
		for i := lo; i < hi; i++ {
			r := x[i*p : (i+1)*p : (i+1)*p]
			var sum float64
			j := 0
			for ; j+4 <= p; j += 4 {
				q4, r4 := row[j:j+4:j+4], r[j:j+4:j+4]
				d0, d1, d2, d3 := q4[0]-r4[0], q4[1]-r4[1], q4[2]-r4[2], q4[3]-r4[3]
				sum += float64(d0 * d0)
				sum += float64(d1 * d1)
				sum += float64(d2 * d2)
				sum += float64(d3 * d3)
				if sum > limit {
					continue squared
				}
			}
			for ; j < p; j++ {
				d := row[j] - r[j]
				sum += float64(d * d)
			}
			if !(sum > limit) {
				limit = s.admit(sc, sum, i)
			}
		}
	case 1:
	absolute:
		for i := lo; i < hi; i++ {
			r := x[i*p : (i+1)*p : (i+1)*p]
			var sum float64
			j := 0
			for ; j+4 <= p; j += 4 {
				q4, r4 := row[j:j+4:j+4], r[j:j+4:j+4]
				sum += math.Abs(q4[0] - r4[0])
				sum += math.Abs(q4[1] - r4[1])
				sum += math.Abs(q4[2] - r4[2])
				sum += math.Abs(q4[3] - r4[3])
				if sum > limit {
					continue absolute
				}
			}
			for ; j < p; j++ {
				sum += math.Abs(row[j] - r[j])
			}
			if !(sum > limit) {
				limit = s.admit(sc, sum, i)
			}
		}
	default:
	power:
		for i := lo; i < hi; i++ {
			r := x[i*p : (i+1)*p : (i+1)*p]
			var sum float64
			for j := range p {
				if j&3 == 0 && sum > limit {
					continue power
				}
				sum += math.Pow(math.Abs(row[j]-r[j]), s.p)
			}
			if !(sum > limit) {
				limit = s.admit(sc, sum, i)
			}
		}
	}
	return charge(chk, (hi-lo)*p)
}

// limit is the reduced distance beyond which a row cannot enter the heap.
func (s *trainingSet) limit(sc *scratch) float64 {
	if len(sc.heap) < s.k {
		return math.Inf(1)
	}
	return sc.heap[0].dist
}

// admit offers the stored row i at reduced distance d and returns the new
// limit.
func (s *trainingSet) admit(sc *scratch, d float64, i int) float64 {
	if d != d {
		// A NaN query is equally far from every row; as +Inf it ties
		// everywhere and the earliest rows win, whatever the order.
		d = math.Inf(1)
	}
	if s.tree != nil {
		i = int(s.tree.index[i])
	}
	sc.heap = offer(sc.heap, s.k, neighbor{d, i})
	return s.limit(sc)
}

// offer keeps in the max-heap h the k smallest candidates by less.
func offer(h []neighbor, k int, n neighbor) []neighbor {
	if len(h) < k {
		h = append(h, n)
		siftUp(h, len(h)-1)
	} else if less(n, h[0]) {
		h[0] = n
		siftDown(h, 0)
	}
	return h
}

func charge(chk *cancel.Checker, work int) error {
	if chk == nil {
		return nil
	}
	return chk.Add(work)
}

// weigh sorts the neighbours in sc.heap and fills sc.weights.
func (s *trainingSet) weigh(sc *scratch) {
	h := sc.heap
	// Insertion sort of k items: by distance, then index, so that sums
	// over neighbours run in a fixed order.
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && less(h[j], h[j-1]); j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
	w := sc.weights[:len(h)]
	if !s.distanceWeights {
		for i := range w {
			w[i] = 1
		}
		return
	}
	// sklearn's weights="distance": 1/d, except that a query equal to some
	// training rows takes its answer from those rows alone.
	exact := false
	for _, n := range h {
		if n.dist == 0 {
			exact = true
			break
		}
	}
	for i, n := range h {
		switch {
		case exact && n.dist == 0:
			w[i] = 1
		case exact:
			w[i] = 0
		default:
			w[i] = 1 / s.distance(n.dist)
		}
	}
}

func less(a, b neighbor) bool {
	return a.dist < b.dist || (a.dist == b.dist && a.index < b.index)
}

// The heap is a max-heap under less: its root is the farthest kept row.

func siftUp(h []neighbor, i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !less(h[parent], h[i]) {
			return
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
}

func siftDown(h []neighbor, i int) {
	for {
		largest, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && less(h[largest], h[l]) {
			largest = l
		}
		if r < len(h) && less(h[largest], h[r]) {
			largest = r
		}
		if largest == i {
			return
		}
		h[i], h[largest] = h[largest], h[i]
		i = largest
	}
}
