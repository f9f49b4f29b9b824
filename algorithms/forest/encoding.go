package forest

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// Payload layout after the model's shape (features, then outputs or
// classes), every number little-endian:
//
//	numTrees  uint32
//	numNodes  uint32
//	numLeaves uint32
//	roots     numTrees × uint32      first node of each tree
//	nodes     numNodes × (float64 threshold, int32 feature, int32 next)
//	values    numLeaves × width × float64
//
// Thresholds stay float64 so that a loaded forest routes every row exactly
// as the trained one did.
const (
	countBytes = 4
	nodeBytes  = 16
	valueBytes = 8
)

func newEncoder(kind Kind, task algorithms.Task) *modelfile.Encoder {
	return modelfile.NewEncoder(modelfile.Header{Algorithm: kind.Name(), Task: task})
}

func encodeTrees(e *modelfile.Encoder, m *ensemble) {
	e.Uint32(uint32(len(m.roots)))
	e.Uint32(uint32(len(m.nodes)))
	e.Uint32(uint32(len(m.leafValues) / m.width))
	for _, r := range m.roots {
		e.Uint32(uint32(r))
	}
	for _, n := range m.nodes {
		e.Float64(n.threshold)
		e.Uint32(uint32(n.feature))
		e.Uint32(uint32(n.next))
	}
	for _, v := range m.leafValues {
		e.Float64(v)
	}
}

// decoder tracks how much of the payload is left, so that the sizes a
// payload announces are checked against its length before anything is
// allocated: a truncated file fails in constant time.
type decoder struct {
	*modelfile.Decoder
	remaining int
}

func newDecoder(payload []byte) *decoder {
	return &decoder{Decoder: modelfile.NewDecoder(payload), remaining: len(payload)}
}

func (d *decoder) count() int {
	d.remaining -= countBytes
	return int(d.Uint32())
}

func (d *decoder) Float64s() []float64 {
	v := d.Decoder.Float64s()
	d.remaining -= countBytes + valueBytes*len(v)
	return v
}

// trees decodes and validates the node arrays into m.
func (d *decoder) trees(m *ensemble, kind Kind, numFeatures, width int) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s payload: "+format, append([]any{kind.Name()}, args...)...)
	}
	numTrees, numNodes, numLeaves := d.count(), d.count(), d.count()
	if err := d.Err(); err != nil {
		return fail("%w", err)
	}
	if !kind.Valid() {
		return fail("unknown forest kind")
	}
	if numFeatures < 1 || numFeatures > math.MaxInt32 || width < 1 {
		return fail("invalid shape: %d features, %d values per leaf", numFeatures, width)
	}
	if numTrees < 1 || numNodes < numTrees || numLeaves < numTrees ||
		numNodes > math.MaxInt32 || numLeaves > math.MaxInt32 {
		return fail("invalid sizes: %d trees, %d nodes, %d leaves", numTrees, numNodes, numLeaves)
	}
	// Dividing rather than multiplying keeps corrupt sizes from overflowing.
	rest := d.remaining
	if rest < 0 || numTrees > rest/countBytes {
		return fail("%d trees: %w", numTrees, modelfile.ErrTruncated)
	}
	rest -= numTrees * countBytes
	if numNodes > rest/nodeBytes {
		return fail("%d nodes: %w", numNodes, modelfile.ErrTruncated)
	}
	rest -= numNodes * nodeBytes
	if numLeaves > rest/valueBytes/width {
		return fail("%d leaves of %d values: %w", numLeaves, width, modelfile.ErrTruncated)
	}
	if rest -= numLeaves * width * valueBytes; rest != 0 {
		return fail("%d unexpected trailing bytes", rest)
	}

	*m = ensemble{
		kind:        kind,
		numFeatures: numFeatures,
		width:       width,
		roots:       make([]int32, numTrees),
		nodes:       make([]node, numNodes),
		leafValues:  make([]float64, numLeaves*width),
	}
	for t := range m.roots {
		m.roots[t] = int32(d.Uint32())
	}
	for i := range m.nodes {
		m.nodes[i] = node{threshold: d.Float64(), feature: int32(d.Uint32()), next: int32(d.Uint32())}
	}
	for i := range m.leafValues {
		m.leafValues[i] = d.Float64()
	}
	if err := d.Finish(); err != nil {
		return fail("%w", err)
	}
	for i, v := range m.leafValues {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fail("leaf %d holds the non-finite value %v", i/width, v)
		}
	}
	if m.roots[0] != 0 {
		return fail("first tree starts at node %d, want 0", m.roots[0])
	}
	for t, r := range m.roots {
		if r < 0 || int(r) >= numNodes || (t > 0 && r <= m.roots[t-1]) {
			return fail("tree %d starts at node %d: roots must increase within the %d nodes", t, r, numNodes)
		}
	}
	for t := range m.roots {
		start, end := m.treeBounds(t)
		if err := m.checkTree(start, end, numLeaves); err != nil {
			return fail("tree %d: %w", t, err)
		}
	}
	return nil
}

// checkTree verifies nodes[start:end] form a walkable tree: every internal
// node's left child (the next node) and right child lie after it and inside
// the tree, so every walk strictly advances and must stop at a leaf, and
// every leaf's values exist. The last node has no room for children and is
// therefore a leaf.
func (m *ensemble) checkTree(start, end, numLeaves int) error {
	for i := start; i < end; i++ {
		n := m.nodes[i]
		if n.feature == leafFeature {
			if n.next < 0 || int(n.next) >= numLeaves {
				return fmt.Errorf("leaf node %d refers to leaf %d of %d", i, n.next, numLeaves)
			}
			continue
		}
		if n.feature < 0 || int(n.feature) >= m.numFeatures {
			return fmt.Errorf("node %d splits on feature %d of %d", i, n.feature, m.numFeatures)
		}
		if math.IsNaN(n.threshold) {
			return fmt.Errorf("node %d has a NaN threshold", i)
		}
		if int(n.next) <= i+1 || int(n.next) >= end {
			return fmt.Errorf("node %d has its right child at %d, outside (%d, %d)", i, n.next, i+1, end)
		}
	}
	return nil
}
