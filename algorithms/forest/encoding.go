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

// encodedSize is the number of bytes encodeTrees writes.
func (m *ensemble) encodedSize() int {
	size := 3 * countBytes
	for _, t := range m.trees {
		size += countBytes + nodeBytes*len(t.nodes) + valueBytes*len(t.leafValues)
	}
	return size
}

// encodeTrees writes the trees back to back, turning tree-local node and
// leaf numbers into the file's global ones.
func encodeTrees(e *modelfile.Encoder, m *ensemble) {
	numNodes, numValues := 0, 0
	for _, t := range m.trees {
		numNodes += len(t.nodes)
		numValues += len(t.leafValues)
	}
	e.Uint32(uint32(len(m.trees)))
	e.Uint32(uint32(numNodes))
	e.Uint32(uint32(numValues / m.width))
	root := 0
	for _, t := range m.trees {
		e.Uint32(uint32(root))
		root += len(t.nodes)
	}
	nodeOffset, leafOffset := 0, 0
	for _, t := range m.trees {
		for _, n := range t.nodes {
			next := int(n.next) + nodeOffset
			if n.feature == leafFeature {
				next = int(n.next) + leafOffset
			}
			e.Float64(n.threshold)
			e.Uint32(uint32(n.feature))
			e.Uint32(uint32(next))
		}
		nodeOffset += len(t.nodes)
		leafOffset += len(t.leafValues) / m.width
	}
	for _, t := range m.trees {
		for _, v := range t.leafValues {
			e.Float64(v)
		}
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

	roots := make([]int, numTrees)
	nodes := make([]node, numNodes)
	leafValues := make([]float64, numLeaves*width)
	for t := range roots {
		roots[t] = int(d.Uint32())
	}
	for i := range nodes {
		nodes[i] = node{threshold: d.Float64(), feature: int32(d.Uint32()), next: int32(d.Uint32())}
	}
	for i := range leafValues {
		leafValues[i] = d.Float64()
	}
	if err := d.Finish(); err != nil {
		return fail("%w", err)
	}
	for i, v := range leafValues {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fail("leaf %d holds the non-finite value %v", i/width, v)
		}
	}
	if roots[0] != 0 {
		return fail("first tree starts at node %d, want 0", roots[0])
	}
	for t, r := range roots {
		if r >= numNodes || (t > 0 && r <= roots[t-1]) {
			return fail("tree %d starts at node %d: roots must increase within the %d nodes", t, r, numNodes)
		}
	}
	*m = ensemble{kind: kind, numFeatures: numFeatures, width: width, trees: make([]tree, numTrees)}
	firstLeaf := 0
	for t, start := range roots {
		end := numNodes
		if t+1 < numTrees {
			end = roots[t+1]
		}
		leaves, err := m.localTree(nodes[start:end:end], start, firstLeaf, numLeaves)
		if err != nil {
			return fail("tree %d: %w", t, err)
		}
		m.trees[t] = tree{nodes: nodes[start:end:end], leafValues: leafValues[firstLeaf*width : (firstLeaf+leaves)*width]}
		firstLeaf += leaves
	}
	if firstLeaf != numLeaves {
		return fail("%d of %d leaves belong to no tree", numLeaves-firstLeaf, numLeaves)
	}
	return nil
}

// localTree verifies that nodes (the file's nodes from index start on)
// form a walkable tree whose leaves are the file's leaves firstLeaf,
// firstLeaf+1, … in some order, and turns its node and leaf numbers into
// tree-local ones. Every internal node's left child (the next node) and
// right child lie after it and inside the tree, so every walk strictly
// advances and must stop at a leaf; the last node has no room for children
// and is therefore a leaf. It returns the number of leaves.
func (m *ensemble) localTree(nodes []node, start, firstLeaf, numLeaves int) (int, error) {
	leaves := 0
	for _, n := range nodes {
		if n.feature == leafFeature {
			leaves++
		}
	}
	if firstLeaf+leaves > numLeaves {
		return 0, fmt.Errorf("%d leaves from leaf %d exceed the %d leaves", leaves, firstLeaf, numLeaves)
	}
	end := start + len(nodes)
	for i := range nodes {
		n := &nodes[i]
		global := start + i
		if n.feature == leafFeature {
			if int(n.next) < firstLeaf || int(n.next) >= firstLeaf+leaves {
				return 0, fmt.Errorf("leaf node %d refers to leaf %d, outside the tree's leaves [%d, %d)", global, n.next, firstLeaf, firstLeaf+leaves)
			}
			n.next -= int32(firstLeaf)
			continue
		}
		if n.feature < 0 || int(n.feature) >= m.numFeatures {
			return 0, fmt.Errorf("node %d splits on feature %d of %d", global, n.feature, m.numFeatures)
		}
		if math.IsNaN(n.threshold) {
			return 0, fmt.Errorf("node %d has a NaN threshold", global)
		}
		if int(n.next) <= global+1 || int(n.next) >= end {
			return 0, fmt.Errorf("node %d has its right child at %d, outside (%d, %d)", global, n.next, global+1, end)
		}
		n.next -= int32(start)
	}
	return leaves, nil
}
