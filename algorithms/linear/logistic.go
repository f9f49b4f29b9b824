package linear

import (
	"fmt"
	"math"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// Logistic is a fitted logistic regression. With two classes it holds one
// weight vector scoring the larger class, like sklearn; with more it holds one
// multinomial (softmax) vector per class.
type Logistic struct {
	numFeatures int
	classes     []float64
	// coef is vectors×numFeatures, row-major, like sklearn's coef_.
	coef      []float64
	intercept []float64
}

func (m *Logistic) Algorithm() string     { return Name }
func (m *Logistic) Task() algorithms.Task { return algorithms.Classification }
func (m *Logistic) NumFeatures() int      { return m.numFeatures }
func (m *Logistic) NumOutputs() int       { return 1 }
func (m *Logistic) Classes() []float64    { return m.classes }

// NumVectors is 1 for binary models and the number of classes otherwise.
func (m *Logistic) NumVectors() int { return len(m.intercept) }

// Coef returns weight vector v (sklearn's coef_[v]).
func (m *Logistic) Coef(v int) []float64 {
	p := m.numFeatures
	return m.coef[v*p : (v+1)*p : (v+1)*p]
}

// Intercept returns sklearn's intercept_[v].
func (m *Logistic) Intercept(v int) float64 { return m.intercept[v] }

func (m *Logistic) rows(dstLen, xLen, perRow int) int {
	p := m.numFeatures
	rows := xLen / p
	if rows*p != xLen || dstLen != rows*perRow {
		panic(fmt.Sprintf("linear: logistic prediction with %d values for %d features into %d outputs", xLen, p, dstLen))
	}
	return rows
}

// Predict implements algorithms.Model: the label with the highest score,
// the first one on ties as numpy's argmax does.
func (m *Logistic) Predict(dst, x []float64) {
	p := m.numFeatures
	rows := m.rows(len(dst), len(x), 1)
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

// PredictProba implements algorithms.Classifier.
func (m *Logistic) PredictProba(dst, x []float64) {
	p, k := m.numFeatures, len(m.classes)
	rows := m.rows(len(dst), len(x), k)
	for i := 0; i < rows; i++ {
		row := x[i*p : (i+1)*p]
		out := dst[i*k : (i+1)*k]
		if len(m.intercept) == 1 {
			p1 := sigmoid(m.intercept[0] + dot(m.coef[:p], row))
			out[0], out[1] = 1-p1, p1
			continue
		}
		for v := range out {
			out[v] = m.intercept[v] + dot(m.coef[v*p:(v+1)*p], row)
		}
		softmax(out)
	}
}

func sigmoid(a float64) float64 {
	if a >= 0 {
		return 1 / (1 + math.Exp(-a))
	}
	e := math.Exp(a)
	return e / (1 + e)
}

// softmax replaces scores by their softmax in place and returns the
// log-sum-exp of the scores.
func softmax(scores []float64) float64 {
	top := math.Inf(-1)
	for _, s := range scores {
		top = math.Max(top, s)
	}
	var sum float64
	for v, s := range scores {
		scores[v] = math.Exp(s - top)
		sum += scores[v]
	}
	for v := range scores {
		scores[v] /= sum
	}
	return top + math.Log(sum)
}

// MarshalBinary implements algorithms.Model.
func (m *Logistic) MarshalBinary() ([]byte, error) {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: Name, Task: algorithms.Classification})
	e.Uint32(uint32(m.numFeatures))
	e.Float64s(m.classes)
	e.Float64s(m.coef)
	e.Float64s(m.intercept)
	return e.Bytes(), nil
}

// UnmarshalLogistic decodes the payload written by Logistic.MarshalBinary.
func UnmarshalLogistic(payload []byte) (*Logistic, error) {
	d := modelfile.NewDecoder(payload)
	m := &Logistic{
		numFeatures: int(d.Uint32()),
		classes:     d.Float64s(),
		coef:        d.Float64s(),
		intercept:   d.Float64s(),
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("logistic regression payload: %w", err)
	}
	k := len(m.classes)
	if k < 2 || !sort.SliceIsSorted(m.classes, func(i, j int) bool { return m.classes[i] < m.classes[j] }) {
		return nil, fmt.Errorf("logistic regression payload: invalid classes %v", m.classes)
	}
	for i := 1; i < k; i++ {
		if !(m.classes[i-1] < m.classes[i]) {
			return nil, fmt.Errorf("logistic regression payload: classes are not distinct sorted numbers: %v", m.classes)
		}
	}
	vectors := k
	if k == 2 {
		vectors = 1
	}
	if m.numFeatures < 1 || len(m.intercept) != vectors || len(m.coef)%vectors != 0 || len(m.coef)/vectors != m.numFeatures {
		return nil, fmt.Errorf("logistic regression payload: inconsistent sizes (%d features, %d classes, %d coefficients, %d intercepts)",
			m.numFeatures, k, len(m.coef), len(m.intercept))
	}
	return m, nil
}
