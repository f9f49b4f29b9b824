package neighbors

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
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
	mustPredict(m.predict(nil, dst, x))
}

// PredictContext is Predict that stops once ctx is done, even within the
// search of one row (brute force over a large set is one long loop).
func (m *Regressor) PredictContext(ctx context.Context, dst, x []float64) error {
	return m.predict(cancel.New(ctx), dst, x)
}

func (m *Regressor) predict(chk *cancel.Checker, dst, x []float64) error {
	p, k := m.set.numFeatures, m.numOutputs
	rows, err := rowsOf(p, len(dst), len(x), k)
	if err != nil {
		return err
	}
	sc := m.set.getScratch(0)
	defer m.set.scratch.Put(sc)
	return m.set.forEachQuery(x, rows, sc, chk, func(i int) error {
		if err := m.set.nearest(x[i*p:(i+1)*p], sc, chk); err != nil {
			return err
		}
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
		return nil
	})
}
