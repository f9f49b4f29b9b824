package neighbors

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
)

// Regressor is a fitted KNeighborsRegressor: the (weighted) mean of the
// targets of the k nearest training rows, per output.
type Regressor struct {
	set        *trainingSet
	numOutputs int
	// y is rows×numOutputs, row-major.
	y []float64
}

// FitRegressor stores the training data of sklearn's KNeighborsRegressor;
// every column of y is an output.
func FitRegressor(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Regressor, error) {
	set, err := newTrainingSet(ctx, x, y, hp)
	if err != nil {
		return nil, err
	}
	return &Regressor{set: set, numOutputs: y.Cols, y: append([]float64(nil), y.Data...)}, nil
}

func (m *Regressor) Algorithm() string     { return Name }
func (m *Regressor) Task() algorithms.Task { return algorithms.Regression }
func (m *Regressor) NumFeatures() int      { return m.set.numFeatures }
func (m *Regressor) NumOutputs() int       { return m.numOutputs }

// Predict implements algorithms.Model.
func (m *Regressor) Predict(dst, x []float64) {
	p, k := m.set.numFeatures, m.numOutputs
	rows := len(x) / p
	if rows*p != len(x) || len(dst) != rows*k {
		panic(fmt.Sprintf("%s: Predict with %d values for %d features into %d outputs", Name, len(x), p, len(dst)))
	}
	sc := m.set.getScratch(0)
	defer m.set.scratch.Put(sc)
	for i := 0; i < rows; i++ {
		m.set.nearest(x[i*p:(i+1)*p], sc)
		out := dst[i*k : (i+1)*k]
		clear(out)
		var total float64
		for n, nb := range sc.heap {
			w := sc.weights[n]
			total += w
			for o := range out {
				out[o] += w * m.y[nb.index*k+o]
			}
		}
		for o := range out {
			out[o] /= total
		}
	}
}
