package forest

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
)

// Regressor is a fitted regression forest: the prediction is the mean of the
// trees' leaf values, one per output.
type Regressor struct {
	ensemble
	numOutputs int
}

func (m *Regressor) Task() algorithms.Task { return algorithms.Regression }
func (m *Regressor) NumOutputs() int       { return m.numOutputs }

// Predict implements algorithms.Model without allocating.
func (m *Regressor) Predict(dst, x []float64) {
	p, k := m.numFeatures, m.numOutputs
	rows := m.rows(len(dst), len(x), k)
	for i := range rows {
		m.averageLeaves(dst[i*k:(i+1)*k], x[i*p:(i+1)*p])
	}
}

// MarshalBinary implements algorithms.Model.
func (m *Regressor) MarshalBinary() ([]byte, error) {
	return m.MarshalBinaryContext(context.Background())
}

// MarshalBinaryContext is MarshalBinary that stops once ctx is done.
func (m *Regressor) MarshalBinaryContext(ctx context.Context) ([]byte, error) {
	e := newEncoder(m.kind, algorithms.Regression).WithContext(ctx)
	e.Grow(8 + m.encodedSize())
	e.Uint32(uint32(m.numFeatures))
	e.Uint32(uint32(m.numOutputs))
	encodeTrees(e, &m.ensemble)
	return e.Bytes(), e.Err()
}

// UnmarshalRegressor decodes the payload written by Regressor.MarshalBinary
// for a forest of kind, validating every node so that a corrupt file is an
// error rather than a panic or an endless walk at prediction time.
func UnmarshalRegressor(kind Kind, payload []byte) (*Regressor, error) {
	d := newDecoder(payload)
	numFeatures := d.count()
	numOutputs := d.count()
	m := &Regressor{numOutputs: numOutputs}
	if err := d.trees(&m.ensemble, kind, numFeatures, numOutputs); err != nil {
		return nil, err
	}
	return m, nil
}
