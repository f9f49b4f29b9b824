package neighbors

import (
	"math"
	"sync"
)

// trainingSet is the stored training rows and the search over them.
type trainingSet struct {
	numFeatures int
	rows        int
	// x holds the training rows, row-major.
	x []float64
	k int
	p float64
	// distanceWeights: see params.
	distanceWeights bool
	// scratch pools per-call buffers so Predict neither allocates nor
	// shares state between concurrent callers.
	scratch sync.Pool
}

type neighbor struct {
	dist  float64 // the Minkowski sum Σ|a−b|^p, without the final root
	index int
}

type scratch struct {
	heap    []neighbor
	weights []float64
	votes   []float64
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
func (s *trainingSet) reducedDistance(a, b []float64) float64 {
	b = b[:len(a)]
	var sum float64
	switch s.p {
	case 2:
		for j, v := range a {
			d := v - b[j]
			sum += d * d
		}
	case 1:
		for j, v := range a {
			sum += math.Abs(v - b[j])
		}
	default:
		for j, v := range a {
			sum += math.Pow(math.Abs(v-b[j]), s.p)
		}
	}
	return sum
}

func (s *trainingSet) distance(reduced float64) float64 {
	switch s.p {
	case 2:
		return math.Sqrt(reduced)
	case 1:
		return reduced
	}
	return math.Pow(reduced, 1/s.p)
}

// nearest fills sc.heap with the k training rows nearest to row, sorted by
// distance, and sc.weights with their weights. Equidistant rows are
// preferred in training order.
func (s *trainingSet) nearest(row []float64, sc *scratch) {
	h := sc.heap[:0]
	p := s.numFeatures
	for i := 0; i < s.rows; i++ {
		d := s.reducedDistance(row, s.x[i*p:(i+1)*p])
		if len(h) < s.k {
			h = append(h, neighbor{d, i})
			siftUp(h, len(h)-1)
		} else if d < h[0].dist {
			// Rows come in increasing index, so an equal distance never
			// displaces an earlier row.
			h[0] = neighbor{d, i}
			siftDown(h, 0)
		}
	}
	// Insertion sort of k items: by distance, then index, so that sums
	// over neighbours run in a fixed order.
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && less(h[j], h[j-1]); j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
	sc.heap = h
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
