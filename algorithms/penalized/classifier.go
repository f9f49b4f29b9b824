package penalized

import (
	"fmt"
	"math"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// Classifier is a fitted linear classifier. With two classes it holds one
// weight vector whose positive scores mean the larger class, like sklearn;
// with more it holds one one-vs-all vector per class and predicts the class
// of the highest score.
//
// None of RidgeClassifier, the hinge-loss SGDClassifier or LinearSVC
// estimates probabilities in sklearn, so Classifier does not implement
// algorithms.Classifier; it still reports its Classes.
type Classifier struct {
	name        string
	numFeatures int
	classes     []float64
	// coef is vectors×numFeatures, row-major, like sklearn's coef_.
	coef      []float64
	intercept []float64
}

func newClassifier(name string, numFeatures int, classes []float64) *Classifier {
	v := numVectors(len(classes))
	return &Classifier{
		name: name, numFeatures: numFeatures, classes: classes,
		coef: make([]float64, v*numFeatures), intercept: make([]float64, v),
	}
}

func (m *Classifier) Algorithm() string     { return m.name }
func (m *Classifier) Task() algorithms.Task { return algorithms.Classification }
func (m *Classifier) NumFeatures() int      { return m.numFeatures }
func (m *Classifier) NumOutputs() int       { return 1 }

// Classes returns the sorted distinct training labels.
func (m *Classifier) Classes() []float64 { return m.classes }

// NumVectors is 1 for binary models and the number of classes otherwise.
func (m *Classifier) NumVectors() int { return len(m.intercept) }

// Coef returns weight vector v (sklearn's coef_[v]).
func (m *Classifier) Coef(v int) []float64 {
	p := m.numFeatures
	return m.coef[v*p : (v+1)*p : (v+1)*p]
}

// Intercept returns sklearn's intercept_[v].
func (m *Classifier) Intercept(v int) float64 { return m.intercept[v] }

// Predict implements algorithms.Model: the label with the highest score,
// the first one on ties as numpy's argmax does.
func (m *Classifier) Predict(dst, x []float64) {
	p := m.numFeatures
	rows := len(x) / p
	if rows*p != len(x) || len(dst) != rows {
		panic(fmt.Sprintf("%s: Predict with %d values for %d features into %d outputs", m.name, len(x), p, len(dst)))
	}
	for i := 0; i < rows; i++ {
		row := x[i*p : (i+1)*p]
		if len(m.intercept) == 1 {
			if m.intercept[0]+dot(m.coef[:p], row) > 0 {
				dst[i] = m.classes[1]
			} else {
				dst[i] = m.classes[0]
			}
			continue
		}
		best, bestScore := 0, math.Inf(-1)
		for v := range m.intercept {
			if s := m.intercept[v] + dot(m.coef[v*p:(v+1)*p], row); s > bestScore {
				best, bestScore = v, s
			}
		}
		dst[i] = m.classes[best]
	}
}

// MarshalBinary implements algorithms.Model.
func (m *Classifier) MarshalBinary() ([]byte, error) {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: m.name, Task: algorithms.Classification})
	e.Uint32(uint32(m.numFeatures))
	e.Float64s(m.classes)
	e.Float64s(m.coef)
	e.Float64s(m.intercept)
	return e.Bytes(), nil
}

// UnmarshalClassifier decodes the payload that Classifier.MarshalBinary
// wrote after a header naming algorithm.
func UnmarshalClassifier(algorithm string, payload []byte) (*Classifier, error) {
	if !isName(algorithm) {
		return nil, fmt.Errorf("penalized: unknown algorithm %q", algorithm)
	}
	d := modelfile.NewDecoder(payload)
	m := &Classifier{
		name:        algorithm,
		numFeatures: int(d.Uint32()),
		classes:     d.Float64s(),
		coef:        d.Float64s(),
		intercept:   d.Float64s(),
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%s classifier payload: %w", algorithm, err)
	}
	k := len(m.classes)
	if k < 2 || !sort.SliceIsSorted(m.classes, func(i, j int) bool { return m.classes[i] < m.classes[j] }) {
		return nil, fmt.Errorf("%s classifier payload: invalid classes %v", algorithm, m.classes)
	}
	for i := 1; i < k; i++ {
		if !(m.classes[i-1] < m.classes[i]) {
			return nil, fmt.Errorf("%s classifier payload: classes are not distinct sorted numbers: %v", algorithm, m.classes)
		}
	}
	vectors := numVectors(k)
	if m.numFeatures < 1 || len(m.intercept) != vectors || len(m.coef)%vectors != 0 || len(m.coef)/vectors != m.numFeatures {
		return nil, fmt.Errorf("%s classifier payload: inconsistent sizes (%d features, %d classes, %d coefficients, %d intercepts)",
			algorithm, m.numFeatures, k, len(m.coef), len(m.intercept))
	}
	return m, nil
}
