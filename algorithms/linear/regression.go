package linear

import (
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// Name is the registry name of the algorithm.
const Name = "linear"

// Regression is a fitted linear model y = Coef·x + Intercept per output.
type Regression struct {
	numFeatures int
	numOutputs  int
	// coef is numOutputs×numFeatures, row-major, like sklearn's coef_.
	coef      []float64
	intercept []float64
}

func (m *Regression) Algorithm() string     { return Name }
func (m *Regression) Task() algorithms.Task { return algorithms.Regression }
func (m *Regression) NumFeatures() int      { return m.numFeatures }
func (m *Regression) NumOutputs() int       { return m.numOutputs }
func (m *Regression) Coef(output int) []float64 {
	p := m.numFeatures
	return m.coef[output*p : (output+1)*p : (output+1)*p]
}
func (m *Regression) Intercept(output int) float64 { return m.intercept[output] }

// Predict implements algorithms.Model.
func (m *Regression) Predict(dst, x []float64) {
	p, k := m.numFeatures, m.numOutputs
	rows := len(x) / p
	if rows*p != len(x) || len(dst) != rows*k {
		panic(fmt.Sprintf("linear: Predict with %d values for %d features into %d outputs", len(x), p, len(dst)))
	}
	for i := 0; i < rows; i++ {
		row := x[i*p : (i+1)*p]
		for o := 0; o < k; o++ {
			dst[i*k+o] = m.intercept[o] + dot(m.coef[o*p:(o+1)*p], row)
		}
	}
}

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for j, v := range a {
		s += v * b[j]
	}
	return s
}

// MarshalBinary implements algorithms.Model.
func (m *Regression) MarshalBinary() ([]byte, error) {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: Name, Task: algorithms.Regression})
	e.Uint32(uint32(m.numFeatures))
	e.Uint32(uint32(m.numOutputs))
	e.Float64s(m.coef)
	e.Float64s(m.intercept)
	return e.Bytes(), nil
}

// UnmarshalRegression decodes the payload written by Regression.MarshalBinary.
func UnmarshalRegression(payload []byte) (*Regression, error) {
	d := modelfile.NewDecoder(payload)
	m := &Regression{
		numFeatures: int(d.Uint32()),
		numOutputs:  int(d.Uint32()),
		coef:        d.Float64s(),
		intercept:   d.Float64s(),
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("linear regression payload: %w", err)
	}
	// Dividing rather than multiplying keeps corrupt sizes from overflowing.
	if m.numFeatures < 1 || m.numOutputs < 1 || len(m.intercept) != m.numOutputs ||
		len(m.coef)%m.numOutputs != 0 || len(m.coef)/m.numOutputs != m.numFeatures {
		return nil, fmt.Errorf("linear regression payload: inconsistent sizes (%d features, %d outputs, %d coefficients, %d intercepts)",
			m.numFeatures, m.numOutputs, len(m.coef), len(m.intercept))
	}
	return m, nil
}
