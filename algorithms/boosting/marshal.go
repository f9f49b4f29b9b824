package boosting

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// The payload after the modelfile header is
//
//	uint32   number of bytes that follow
//	uint32   numFeatures
//	uint32   numOutputs (raw scores)
//	float64s classes (empty for regression)
//	float64s baseline (numOutputs values)
//	uint32   trees, then each tree's root index
//	uint32   nodes, then each node: int32 feature (−1 for a leaf),
//	         uint32 right child, float64 threshold or leaf value
//
// The leading length lets a truncated file fail before any decoding.

// leafRight is what a leaf stores in its right-child slot.
const leafRight = 0

// MarshalBinary implements algorithms.Model.
func (m *Regressor) MarshalBinary() ([]byte, error) {
	return m.marshal(context.Background(), algorithms.Regression, nil)
}

// MarshalBinaryContext is MarshalBinary that stops once ctx is done.
func (m *Regressor) MarshalBinaryContext(ctx context.Context) ([]byte, error) {
	return m.marshal(ctx, algorithms.Regression, nil)
}

// MarshalBinary implements algorithms.Model.
func (m *Classifier) MarshalBinary() ([]byte, error) {
	return m.marshal(context.Background(), algorithms.Classification, m.classes)
}

// MarshalBinaryContext is MarshalBinary that stops once ctx is done.
func (m *Classifier) MarshalBinaryContext(ctx context.Context) ([]byte, error) {
	return m.marshal(ctx, algorithms.Classification, m.classes)
}

func (e *ensemble) marshal(ctx context.Context, task algorithms.Task, classes []float64) ([]byte, error) {
	// The body's length precedes it: computed, so that the file is written
	// once into a buffer of its final size.
	size := 4 + 4 + 4 + 8*len(classes) + 4 + 8*len(e.baseline) + 4 + 4*len(e.treeStart) + 4 + 16*len(e.nodes)
	body := modelfile.NewEncoder(modelfile.Header{Algorithm: e.algorithm, Task: task}).WithContext(ctx)
	body.Grow(4 + size)
	body.Uint32(uint32(size))
	body.Uint32(uint32(e.numFeatures))
	body.Uint32(uint32(e.numOutputs))
	body.Float64s(classes)
	body.Float64s(e.baseline)
	body.Uint32(uint32(len(e.treeStart)))
	for _, s := range e.treeStart {
		body.Uint32(uint32(s))
	}
	body.Uint32(uint32(len(e.nodes)))
	for _, n := range e.nodes {
		body.Uint32(uint32(n.feature))
		body.Uint32(uint32(n.right))
		body.Float64(n.value)
	}
	return body.Bytes(), body.Err()
}

// Unmarshal decodes the payload (what follows the modelfile header) written
// by the MarshalBinary of an algorithm's model for task. Every size and index
// is checked, so corrupt input is an error and the loaded model cannot panic
// or loop when predicting.
func Unmarshal(algorithm string, task algorithms.Task, payload []byte) (algorithms.Model, error) {
	if !slices.Contains(Algorithms, algorithm) {
		return nil, fmt.Errorf("boosting: unknown algorithm %q", algorithm)
	}
	e, classes, err := unmarshalEnsemble(algorithm, task, payload)
	if err != nil {
		return nil, fmt.Errorf("%s %v payload: %w", algorithm, task, err)
	}
	if task == algorithms.Regression {
		return &Regressor{*e}, nil
	}
	return &Classifier{ensemble: *e, classes: classes}, nil
}

func unmarshalEnsemble(algorithm string, task algorithms.Task, payload []byte) (*ensemble, []float64, error) {
	if len(payload) < 4 || uint64(binary.LittleEndian.Uint32(payload)) != uint64(len(payload)-4) {
		return nil, nil, fmt.Errorf("length prefix does not match %d payload bytes (truncated or padded)", len(payload))
	}
	d := modelfile.NewDecoder(payload[4:])
	e := &ensemble{algorithm: algorithm}
	e.numFeatures = int(d.Uint32())
	e.numOutputs = int(d.Uint32())
	classes := d.Float64s()
	e.baseline = d.Float64s()
	e.treeStart = readIndices(d, len(payload))
	numNodes := int(d.Uint32())
	if d.Err() == nil && numNodes > len(payload)/16 {
		d.Fail(fmt.Errorf("%d nodes: %w", numNodes, modelfile.ErrTruncated))
	}
	if d.Err() == nil {
		e.nodes = make([]node, numNodes)
		for i := range e.nodes {
			e.nodes[i] = node{feature: int32(d.Uint32()), right: int32(d.Uint32()), value: d.Float64()}
		}
	}
	if err := d.Finish(); err != nil {
		return nil, nil, err
	}
	if err := e.checkShape(task, classes); err != nil {
		return nil, nil, err
	}
	return e, classes, e.checkTrees()
}

// readIndices reads a uint32 count and that many uint32 values, refusing
// counts the remaining input cannot hold before allocating.
func readIndices(d *modelfile.Decoder, limit int) []int32 {
	n := int(d.Uint32())
	if d.Err() != nil {
		return nil
	}
	if n > limit/4 {
		d.Fail(fmt.Errorf("%d indices: %w", n, modelfile.ErrTruncated))
		return nil
	}
	v := make([]int32, n)
	for i := range v {
		v[i] = int32(d.Uint32())
	}
	return v
}

func (e *ensemble) checkShape(task algorithms.Task, classes []float64) error {
	if e.numFeatures < 1 || e.numFeatures > maxFeatures || e.numOutputs < 1 || len(e.baseline) != e.numOutputs {
		return fmt.Errorf("inconsistent sizes (%d features, %d outputs, %d baselines)", e.numFeatures, e.numOutputs, len(e.baseline))
	}
	for _, b := range e.baseline {
		if math.IsNaN(b) || math.IsInf(b, 0) {
			return fmt.Errorf("non-finite baseline %v", b)
		}
	}
	if task == algorithms.Regression {
		if len(classes) != 0 {
			return fmt.Errorf("a regression model lists %d classes", len(classes))
		}
	} else {
		wantOutputs := len(classes)
		if wantOutputs == 2 {
			wantOutputs = 1
		}
		if len(classes) < 2 || e.numOutputs != wantOutputs {
			return fmt.Errorf("%d classes with %d outputs", len(classes), e.numOutputs)
		}
		for i := 1; i < len(classes); i++ {
			if !(classes[i-1] < classes[i]) {
				return fmt.Errorf("classes are not distinct sorted numbers: %v", classes)
			}
		}
	}
	if len(e.treeStart)%e.numOutputs != 0 {
		return fmt.Errorf("%d trees do not divide among %d outputs", len(e.treeStart), e.numOutputs)
	}
	return nil
}

// checkTrees verifies that the trees tile the node array in order and that
// each is a well-formed preorder tree: features in range, and for every
// split the left subtree (starting right after it) ends exactly where its
// right child starts. Children therefore always follow their parent, so
// prediction terminates and never indexes out of range.
func (e *ensemble) checkTrees() error {
	if (len(e.treeStart) == 0) != (len(e.nodes) == 0) {
		return fmt.Errorf("%d trees over %d nodes", len(e.treeStart), len(e.nodes))
	}
	// subtreeEnd[i] is one past the last node of the subtree rooted at i;
	// children follow parents, so filling it backwards sees children first.
	subtreeEnd := make([]int, len(e.nodes))
	for t, start := range e.treeStart {
		end := len(e.nodes)
		if t+1 < len(e.treeStart) {
			end = int(e.treeStart[t+1])
		}
		if int(start) < 0 || int(start) >= end || end > len(e.nodes) || (t == 0 && start != 0) {
			return fmt.Errorf("tree %d spans nodes [%d, %d) of %d", t, start, end, len(e.nodes))
		}
		for i := end - 1; i >= int(start); i-- {
			n := e.nodes[i]
			if math.IsNaN(n.value) || math.IsInf(n.value, 0) {
				return fmt.Errorf("node %d holds %v", i, n.value)
			}
			if n.feature == leafFeature {
				if n.right != leafRight {
					return fmt.Errorf("leaf %d has a right child", i)
				}
				subtreeEnd[i] = i + 1
				continue
			}
			r := int(n.right)
			if n.feature < 0 || int(n.feature) >= e.numFeatures || i+1 >= end || r <= i+1 || r >= end || subtreeEnd[i+1] != r {
				return fmt.Errorf("node %d of tree %d is not a valid preorder split (feature %d, right child %d)", i, t, n.feature, n.right)
			}
			subtreeEnd[i] = subtreeEnd[r]
		}
		if subtreeEnd[start] != end {
			return fmt.Errorf("tree %d leaves nodes %d to %d unreachable", t, subtreeEnd[start], end)
		}
	}
	return nil
}
