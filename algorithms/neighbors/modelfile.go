package neighbors

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// The payload of both models is the search settings, the targets and then
// the training rows:
//
//	numFeatures uint32, k uint32, p float64, flags uint8,
//	  flags bit 0: weights="distance"
//	  flags bit 1: then algorithm uint8 (searchMethod), leaf_size uint32
//	regression:     numOutputs uint32, y []float64
//	classification: classes []float64, target []float64 (class indices)
//	x []float64, in training order
//
// The rows, by far the largest part, come last so that a truncated file
// fails on their length check before anything large is decoded. The search
// index is derived: it is rebuilt on load, not stored. Files written before
// algorithm and leaf_size mattered have flags 0 or 1 and mean "auto" with
// leaf size 30, and a model fitted with those defaults is written exactly as
// then, so older pgml builds still read it.

const (
	flagDistanceWeights = 1 << iota
	flagSearchSettings
	knownFlags = flagDistanceWeights | flagSearchSettings
)

func (s *trainingSet) encode(task algorithms.Task) *modelfile.Encoder {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: Name, Task: task})
	e.Uint32(uint32(s.numFeatures))
	e.Uint32(uint32(s.k))
	e.Float64(s.p)
	var flags uint8
	if s.distanceWeights {
		flags |= flagDistanceWeights
	}
	settings := s.method != searchAuto || s.leafSize != defaultLeafSize
	if settings {
		flags |= flagSearchSettings
	}
	e.Uint8(flags)
	if settings {
		e.Uint8(uint8(s.method))
		e.Uint32(uint32(s.leafSize))
	}
	return e
}

func decodeTrainingSet(d *modelfile.Decoder) *trainingSet {
	s := &trainingSet{numFeatures: int(d.Uint32()), k: int(d.Uint32()), p: d.Float64(), leafSize: defaultLeafSize}
	flags := d.Uint8()
	if flags&^knownFlags != 0 {
		d.Fail(fmt.Errorf("invalid flags %#x", flags))
	}
	s.distanceWeights = flags&flagDistanceWeights != 0
	if flags&flagSearchSettings != 0 {
		s.method = searchMethod(d.Uint8())
		s.leafSize = int(d.Uint32())
	}
	return s
}

// encodeRows writes the training rows in training order, in the layout of
// Encoder.Float64s, without a reordered copy of them.
func (s *trainingSet) encodeRows(e *modelfile.Encoder) {
	p := s.numFeatures
	e.Uint32(uint32(len(s.x)))
	if s.tree == nil {
		e.Float64Values(s.x)
		return
	}
	e.Grow(8 * len(s.x))
	stored := make([]uint32, s.rows)
	for i, row := range s.tree.index {
		stored[row] = uint32(i)
	}
	for _, i := range stored {
		e.Float64Values(s.x[int(i)*p : int(i+1)*p])
	}
}

// encodedSize bounds the bytes of the file beyond its header and settings.
func (s *trainingSet) encodedSize(targets int) int {
	return 64 + 8*targets + 8*len(s.x)
}

// validate checks a decoded set once the decoder succeeded.
func (s *trainingSet) validate() error {
	if s.numFeatures < 1 || len(s.x)%s.numFeatures != 0 {
		return fmt.Errorf("%d training values for %d features", len(s.x), s.numFeatures)
	}
	s.rows = len(s.x) / s.numFeatures
	if s.k < 1 || s.k > s.rows {
		return fmt.Errorf("n_neighbors = %d with %d training rows", s.k, s.rows)
	}
	if !validP(s.p) {
		return fmt.Errorf("invalid Minkowski exponent %v", s.p)
	}
	if s.method >= numSearchMethods || s.leafSize < 1 || s.leafSize > math.MaxInt32 {
		return fmt.Errorf("invalid search settings: algorithm %d, leaf size %d", s.method, s.leafSize)
	}
	for i, v := range s.x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("non-finite training value %v at row %d", v, i/s.numFeatures)
		}
	}
	return nil
}

// loaded finishes decoding a valid set: it builds the search index, which
// takes about a second per million rows of 8 features (BenchmarkLoad1Mx8).
func (s *trainingSet) loaded(ctx context.Context) error {
	if err := s.buildIndex(ctx); err != nil {
		return fmt.Errorf("%s: loading cancelled: %w", Name, err)
	}
	return nil
}

// MarshalBinary implements algorithms.Model.
func (m *Regressor) MarshalBinary() ([]byte, error) {
	return m.MarshalBinaryContext(context.Background())
}

// MarshalBinaryContext is MarshalBinary that stops once ctx is done: a model
// keeps every training row.
func (m *Regressor) MarshalBinaryContext(ctx context.Context) ([]byte, error) {
	e := m.set.encode(algorithms.Regression).WithContext(ctx)
	e.Grow(m.set.encodedSize(len(m.y)))
	e.Uint32(uint32(m.numOutputs))
	e.Float64s(m.y)
	m.set.encodeRows(e)
	return e.Bytes(), e.Err()
}

// MarshalBinary implements algorithms.Model.
func (m *Classifier) MarshalBinary() ([]byte, error) {
	return m.MarshalBinaryContext(context.Background())
}

// MarshalBinaryContext is MarshalBinary that stops once ctx is done.
func (m *Classifier) MarshalBinaryContext(ctx context.Context) ([]byte, error) {
	e := m.set.encode(algorithms.Classification).WithContext(ctx)
	e.Grow(m.set.encodedSize(len(m.classes) + len(m.target)))
	e.Float64s(m.classes)
	e.Uint32(uint32(len(m.target)))
	target := make([]float64, min(len(m.target), 1<<14))
	for lo := 0; lo < len(m.target); lo += len(target) {
		chunk := target[:min(len(target), len(m.target)-lo)]
		for i := range chunk {
			chunk[i] = float64(m.target[lo+i])
		}
		e.Float64Values(chunk)
	}
	m.set.encodeRows(e)
	return e.Bytes(), e.Err()
}

// UnmarshalRegressor decodes the payload written by Regressor.MarshalBinary.
func UnmarshalRegressor(payload []byte) (*Regressor, error) {
	return UnmarshalRegressorContext(context.Background(), payload)
}

// UnmarshalRegressorContext is UnmarshalRegressor that stops rebuilding the
// search index once ctx is done.
func UnmarshalRegressorContext(ctx context.Context, payload []byte) (*Regressor, error) {
	d := modelfile.NewDecoder(payload)
	set := decodeTrainingSet(d)
	m := &Regressor{set: set, numOutputs: int(d.Uint32()), y: d.Float64s()}
	set.x = d.Float64s()
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("knn regression payload: %w", err)
	}
	if err := set.validate(); err != nil {
		return nil, fmt.Errorf("knn regression payload: %w", err)
	}
	if m.numOutputs < 1 || len(m.y)%m.numOutputs != 0 || len(m.y)/m.numOutputs != set.rows {
		return nil, fmt.Errorf("knn regression payload: %d targets for %d rows and %d outputs", len(m.y), set.rows, m.numOutputs)
	}
	if err := set.loaded(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// UnmarshalClassifier decodes the payload written by Classifier.MarshalBinary.
func UnmarshalClassifier(payload []byte) (*Classifier, error) {
	return UnmarshalClassifierContext(context.Background(), payload)
}

// UnmarshalClassifierContext is UnmarshalClassifier that stops rebuilding
// the search index once ctx is done.
func UnmarshalClassifierContext(ctx context.Context, payload []byte) (*Classifier, error) {
	d := modelfile.NewDecoder(payload)
	set := decodeTrainingSet(d)
	classes := d.Float64s()
	target := d.Float64s()
	set.x = d.Float64s()
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("knn classifier payload: %w", err)
	}
	if err := set.validate(); err != nil {
		return nil, fmt.Errorf("knn classifier payload: %w", err)
	}
	if len(classes) < 1 || !sort.Float64sAreSorted(classes) {
		return nil, fmt.Errorf("knn classifier payload: invalid classes %v", classes)
	}
	for i := 1; i < len(classes); i++ {
		if !(classes[i-1] < classes[i]) {
			return nil, fmt.Errorf("knn classifier payload: classes are not distinct sorted numbers: %v", classes)
		}
	}
	if len(target) != set.rows {
		return nil, fmt.Errorf("knn classifier payload: %d labels for %d rows", len(target), set.rows)
	}
	m := &Classifier{set: set, classes: classes, target: make([]int, len(target))}
	for i, t := range target {
		if !(t >= 0 && t < float64(len(classes))) || t != math.Trunc(t) {
			return nil, fmt.Errorf("knn classifier payload: label index %v of row %d out of range", t, i)
		}
		m.target[i] = int(t)
	}
	if err := set.loaded(ctx); err != nil {
		return nil, err
	}
	return m, nil
}
