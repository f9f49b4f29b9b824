package neighbors

import (
	"fmt"
	"math"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// The payload of both models is the search settings, the targets and then
// the training rows:
//
//	numFeatures uint32, k uint32, p float64, distanceWeights uint8, then
//	regression:     numOutputs uint32, y []float64
//	classification: classes []float64, target []float64 (class indices)
//	x []float64
//
// The rows, by far the largest part, come last so that a truncated file
// fails on their length check before anything large is decoded.

func (s *trainingSet) encode(task algorithms.Task) *modelfile.Encoder {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: Name, Task: task})
	e.Uint32(uint32(s.numFeatures))
	e.Uint32(uint32(s.k))
	e.Float64(s.p)
	var flag uint8
	if s.distanceWeights {
		flag = 1
	}
	e.Uint8(flag)
	return e
}

func decodeTrainingSet(d *modelfile.Decoder) *trainingSet {
	s := &trainingSet{numFeatures: int(d.Uint32()), k: int(d.Uint32()), p: d.Float64()}
	switch flag := d.Uint8(); flag {
	case 0:
	case 1:
		s.distanceWeights = true
	default:
		d.Fail(fmt.Errorf("invalid weights flag %d", flag))
	}
	return s
}

// validate checks the sizes of a decoded set once the decoder succeeded.
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
	return nil
}

// MarshalBinary implements algorithms.Model.
func (m *Regressor) MarshalBinary() ([]byte, error) {
	e := m.set.encode(algorithms.Regression)
	e.Uint32(uint32(m.numOutputs))
	e.Float64s(m.y)
	e.Float64s(m.set.x)
	return e.Bytes(), nil
}

// MarshalBinary implements algorithms.Model.
func (m *Classifier) MarshalBinary() ([]byte, error) {
	e := m.set.encode(algorithms.Classification)
	e.Float64s(m.classes)
	target := make([]float64, len(m.target))
	for i, t := range m.target {
		target[i] = float64(t)
	}
	e.Float64s(target)
	e.Float64s(m.set.x)
	return e.Bytes(), nil
}

// UnmarshalRegressor decodes the payload written by Regressor.MarshalBinary.
func UnmarshalRegressor(payload []byte) (*Regressor, error) {
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
	return m, nil
}

// UnmarshalClassifier decodes the payload written by Classifier.MarshalBinary.
func UnmarshalClassifier(payload []byte) (*Classifier, error) {
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
	return m, nil
}
