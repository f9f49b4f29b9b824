package sklearntrees

import (
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// nodeBytes is a node's size in the file: threshold, feature and next.
const nodeBytes = 16

// MarshalBinary implements algorithms.Model: the nodes and leaf values as they are kept.
func (e *Ensemble) MarshalBinary() ([]byte, error) {
	enc := modelfile.NewEncoder(modelfile.Header{Algorithm: Name, Task: e.task})
	enc.Grow(len(e.nodes)*nodeBytes + len(e.values)*8 + len(e.roots)*8 + 64)
	enc.Uint8(e.algorithm)
	enc.Uint8(uint8(e.combine))
	castFloat32 := uint8(0)
	if e.castFloat32 {
		castFloat32 = 1
	}
	enc.Uint8(castFloat32)
	enc.Uint32(uint32(e.features))
	enc.Uint32(uint32(e.width))
	enc.Float64(e.scale)
	enc.Float64s(e.init)
	enc.Float64s(e.classes)
	enc.Uint32(uint32(len(e.nodes)))
	for _, nd := range e.nodes {
		enc.Float64(nd.threshold)
		enc.Uint32(uint32(nd.feature))
		enc.Uint32(uint32(nd.next))
	}
	enc.Float64s(e.values)
	enc.Uint32(uint32(len(e.roots)))
	for t, root := range e.roots {
		enc.Uint32(uint32(root))
		enc.Uint32(uint32(e.treeOutput[t]))
	}
	if e.combine == WeightedMedian {
		// Only this combination has tree weights: the other models' files stay as they were.
		enc.Float64s(e.treeWeight)
	}
	return enc.Bytes(), nil
}

// Unmarshal decodes the payload written by Ensemble.MarshalBinary.
func Unmarshal(task algorithms.Task, payload []byte) (*Ensemble, error) {
	d := modelfile.NewDecoder(payload)
	e := &Ensemble{task: task, algorithm: d.Uint8(), combine: Combine(d.Uint8()), castFloat32: d.Uint8() == 1,
		features: int(d.Uint32()), width: int(d.Uint32()), scale: d.Float64(), init: d.Float64s(), classes: d.Float64s()}
	if n := int(d.Uint32()); d.Err() == nil {
		if n > len(payload)/nodeBytes {
			d.Fail(fmt.Errorf("%d nodes: %w", n, modelfile.ErrTruncated))
		} else {
			e.nodes = make([]node, n)
			for i := range e.nodes {
				e.nodes[i] = node{threshold: d.Float64(), feature: int32(d.Uint32()), next: int32(d.Uint32())}
			}
		}
	}
	e.values = d.Float64s()
	if n := int(d.Uint32()); d.Err() == nil {
		if n > len(payload)/8 {
			d.Fail(fmt.Errorf("%d trees: %w", n, modelfile.ErrTruncated))
		} else {
			e.roots, e.treeOutput = make([]int32, n), make([]int32, n)
			for t := range e.roots {
				e.roots[t], e.treeOutput[t] = int32(d.Uint32()), int32(d.Uint32())
			}
		}
	}
	if e.combine == WeightedMedian && d.Err() == nil {
		e.treeWeight = d.Float64s()
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("exported tree payload: %w", err)
	}
	if err := e.check(); err != nil {
		return nil, err
	}
	if len(e.classes) == 0 {
		e.classes = nil
	}
	return e, nil
}
