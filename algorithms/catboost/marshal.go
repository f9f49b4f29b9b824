package catboost

import (
	"context"
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// The payload after the modelfile header is
//
//	uint8    loss
//	uint32   numFeatures, dims, depth, trees
//	float64s classes (empty for regression), baseline (dims values)
//	per split (trees × depth): uint32 feature, float64 border
//	float64  leaf values (trees × 2^depth × dims), without a length
//	uint32   categorical tables; each: uint32 feature, float64 prior, float64s codes, values
//	per split, when there are tables: uint32 table index + 1 (0 for a numeric feature)
//
// Every count is checked against the bytes left before anything is allocated.

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
	w := modelfile.NewEncoder(modelfile.Header{Algorithm: Algorithm, Task: task}).WithContext(ctx)
	w.Grow(32 + 8*(len(classes)+len(e.baseline)) + 16*len(e.splitFeature) + 8*len(e.leafValues))
	w.Uint8(uint8(e.loss))
	w.Uint32(uint32(e.numFeatures))
	w.Uint32(uint32(e.dims))
	w.Uint32(uint32(e.depth))
	w.Uint32(uint32(e.trees()))
	w.Float64s(classes)
	w.Float64s(e.baseline)
	for s, f := range e.splitFeature {
		w.Uint32(uint32(f))
		w.Float64(e.splitBorder[s])
	}
	w.Float64Values(e.leafValues)
	w.Uint32(uint32(len(e.ctrs)))
	for _, t := range e.ctrs {
		w.Uint32(uint32(t.feature))
		w.Float64(t.prior)
		w.Float64s(t.codes)
		w.Float64s(t.values)
	}
	if len(e.ctrs) > 0 {
		for _, c := range e.splitCtr {
			w.Uint32(uint32(c + 1))
		}
	}
	return w.Bytes(), w.Err()
}

// Unmarshal decodes the payload (what follows the modelfile header) written by a model's
// MarshalBinary for task. Corrupt input is an error; a model it returns cannot panic or
// index out of range when predicting.
func Unmarshal(task algorithms.Task, payload []byte) (algorithms.Model, error) {
	e, classes, err := unmarshal(task, payload)
	if err != nil {
		return nil, fmt.Errorf("%s %v payload: %w", Algorithm, task, err)
	}
	if task == algorithms.Regression {
		return &Regressor{*e}, nil
	}
	return &Classifier{ensemble: *e, classes: classes}, nil
}

func unmarshal(task algorithms.Task, payload []byte) (*ensemble, []float64, error) {
	d := modelfile.NewDecoder(payload)
	e := &ensemble{loss: lossKind(d.Uint8())}
	e.numFeatures = int(d.Uint32())
	e.dims = int(d.Uint32())
	e.depth = int(d.Uint32())
	trees := int(d.Uint32())
	classes := d.Float64s()
	e.baseline = d.Float64s()
	if d.Err() != nil {
		return nil, nil, d.Err()
	}
	if err := e.checkShape(task, classes, trees); err != nil {
		return nil, nil, err
	}
	splits := trees * e.depth
	leafValues := trees << e.depth * e.dims
	if splits*12+leafValues*8 > len(payload) {
		return nil, nil, fmt.Errorf("%d trees of depth %d: %w", trees, e.depth, modelfile.ErrTruncated)
	}
	e.splitFeature = make([]int32, splits)
	e.splitBorder = make([]float64, splits)
	for s := range e.splitFeature {
		e.splitFeature[s] = int32(d.Uint32())
		e.splitBorder[s] = d.Float64()
	}
	e.leafValues = make([]float64, leafValues)
	for j := range e.leafValues {
		e.leafValues[j] = d.Float64()
	}
	tables := int(d.Uint32())
	if d.Err() == nil && tables > e.numFeatures {
		d.Fail(fmt.Errorf("%d categorical tables for %d features", tables, e.numFeatures))
	}
	for k := 0; k < tables && d.Err() == nil; k++ {
		t := ctrTable{feature: int(d.Uint32()), prior: d.Float64()}
		t.codes = d.Float64s()
		t.values = d.Float64s()
		e.ctrs = append(e.ctrs, t)
	}
	if tables > 0 && d.Err() == nil {
		if splits*4 > len(payload) {
			return nil, nil, fmt.Errorf("%d split tables: %w", splits, modelfile.ErrTruncated)
		}
		e.splitCtr = make([]int32, splits)
		for s := range e.splitCtr {
			e.splitCtr[s] = int32(d.Uint32()) - 1
		}
	}
	if err := d.Finish(); err != nil {
		return nil, nil, err
	}
	return e, classes, e.checkValues()
}

func (e *ensemble) checkShape(task algorithms.Task, classes []float64, trees int) error {
	if e.numFeatures < 1 || e.numFeatures > maxFeatures || e.depth < 1 || e.depth > maxDepth ||
		e.dims < 1 || e.dims > 1<<20 || len(e.baseline) != e.dims || trees < 0 || trees > algorithms.MaxEstimators {
		return fmt.Errorf("inconsistent sizes (%d features, %d outputs, %d baselines, depth %d, %d trees)",
			e.numFeatures, e.dims, len(e.baseline), e.depth, trees)
	}
	if !finite(e.baseline) {
		return fmt.Errorf("non-finite baseline")
	}
	switch task {
	case algorithms.Regression:
		if len(classes) != 0 || !(e.loss == lossRMSE && e.dims == 1 || e.loss == lossMultiRMSE) {
			return fmt.Errorf("a regression model with loss %v, %d outputs and %d classes", e.loss, e.dims, len(classes))
		}
	case algorithms.Classification:
		ok := e.loss == lossLogloss && len(classes) == 2 && e.dims == 1 ||
			e.loss == lossMultiClass && len(classes) >= 2 && e.dims == len(classes)
		if !ok {
			return fmt.Errorf("a classification model with loss %v, %d outputs and %d classes", e.loss, e.dims, len(classes))
		}
		for i := 1; i < len(classes); i++ {
			if !(classes[i-1] < classes[i]) {
				return fmt.Errorf("classes are not distinct sorted numbers")
			}
		}
	default:
		return fmt.Errorf("catboost has no %v models", task)
	}
	return nil
}

// checkValues verifies what prediction indexes and adds: split features in range, leaf
// values finite, categorical tables sorted, consistent and referenced correctly.
func (e *ensemble) checkValues() error {
	for s, f := range e.splitFeature {
		if f < 0 || int(f) >= e.numFeatures || math.IsNaN(e.splitBorder[s]) {
			return fmt.Errorf("split %d on feature %d at %v", s, f, e.splitBorder[s])
		}
	}
	if !finite(e.leafValues) {
		return fmt.Errorf("non-finite leaf value")
	}
	for k, t := range e.ctrs {
		if t.feature < 0 || t.feature >= e.numFeatures || len(t.codes) != len(t.values) || !finite(t.values) ||
			!finite([]float64{t.prior}) || (k > 0 && t.feature <= e.ctrs[k-1].feature) {
			return fmt.Errorf("categorical table %d is inconsistent", k)
		}
		for i := 1; i < len(t.codes); i++ {
			if !(t.codes[i-1] < t.codes[i]) {
				return fmt.Errorf("categorical table %d has unsorted codes", k)
			}
		}
	}
	for s, c := range e.splitCtr {
		if c < -1 || int(c) >= len(e.ctrs) || (c >= 0 && e.ctrs[c].feature != int(e.splitFeature[s])) {
			return fmt.Errorf("split %d names categorical table %d", s, c)
		}
	}
	return nil
}

func finite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
