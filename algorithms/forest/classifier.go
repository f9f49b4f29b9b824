package forest

import (
	"context"
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// Classifier is a fitted classification forest: class probabilities are the
// mean of the trees' leaf class frequencies, and the predicted label is the
// most probable class (the first on ties, as numpy's argmax).
type Classifier struct {
	ensemble
	classes []float64
}

func (m *Classifier) Task() algorithms.Task { return algorithms.Classification }
func (m *Classifier) NumOutputs() int       { return 1 }

// Classes implements algorithms.Classifier: the sorted distinct labels.
func (m *Classifier) Classes() []float64 { return m.classes }

// PredictProba implements algorithms.Classifier without allocating.
func (m *Classifier) PredictProba(dst, x []float64) {
	p, k := m.numFeatures, len(m.classes)
	rows := m.rows(len(dst), len(x), k)
	for i := range rows {
		m.averageLeaves(dst[i*k:(i+1)*k], x[i*p:(i+1)*p])
	}
}

// Up to this many classes Predict keeps the probabilities on the stack.
const stackClasses = 64

// Predict implements algorithms.Model. It allocates nothing for up to
// stackClasses classes and one scratch slice per call beyond.
func (m *Classifier) Predict(dst, x []float64) {
	p := m.numFeatures
	rows := m.rows(len(dst), len(x), 1)
	var buf [stackClasses]float64
	proba := buf[:0]
	if k := len(m.classes); k <= stackClasses {
		proba = buf[:k]
	} else {
		proba = make([]float64, k)
	}
	for i := range rows {
		m.averageLeaves(proba, x[i*p:(i+1)*p])
		best := 0
		for c, v := range proba {
			if v > proba[best] {
				best = c
			}
		}
		dst[i] = m.classes[best]
	}
}

// MarshalBinary implements algorithms.Model.
func (m *Classifier) MarshalBinary() ([]byte, error) {
	return m.MarshalBinaryContext(context.Background())
}

// MarshalBinaryContext is MarshalBinary that stops once ctx is done.
func (m *Classifier) MarshalBinaryContext(ctx context.Context) ([]byte, error) {
	e := newEncoder(m.kind, algorithms.Classification).WithContext(ctx)
	e.Grow(8 + 8*len(m.classes) + m.encodedSize())
	e.Uint32(uint32(m.numFeatures))
	e.Float64s(m.classes)
	encodeTrees(e, &m.ensemble)
	return e.Bytes(), e.Err()
}

// UnmarshalClassifier decodes the payload written by
// Classifier.MarshalBinary for a forest of kind, validating the classes and
// every node.
func UnmarshalClassifier(kind Kind, payload []byte) (*Classifier, error) {
	d := newDecoder(payload)
	numFeatures := d.count()
	m := &Classifier{classes: d.Float64s()}
	if d.Err() == nil {
		if len(m.classes) == 0 {
			return nil, fmt.Errorf("%s classifier payload: no classes", kind.Name())
		}
		for i, c := range m.classes {
			if math.IsNaN(c) || math.IsInf(c, 0) || (i > 0 && !(m.classes[i-1] < c)) {
				return nil, fmt.Errorf("%s classifier payload: classes are not distinct sorted numbers: %v", kind.Name(), m.classes)
			}
		}
	}
	if err := d.trees(&m.ensemble, kind, numFeatures, len(m.classes)); err != nil {
		return nil, err
	}
	return m, nil
}
