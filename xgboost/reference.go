package xgboost

import (
	"errors"
	"fmt"
)

// referenceBooster predicts a saved booster through libxgboost itself, as
// pgml did before issue 11. Only the tests and the benchmark use it: they
// hold the native engine (algorithms/treeensemble) to libxgboost's results
// and speed on the same model.
type referenceBooster struct {
	booster booster
	proxy   dmatrix
	inplace bool
}

func newReferenceBooster(blob []byte, inplace bool) (*referenceBooster, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	b, err := loadBooster(blob)
	if err != nil {
		return nil, err
	}
	r := &referenceBooster{booster: b, inplace: inplace}
	if err := b.setParam("nthread", "1"); err != nil {
		r.free()
		return nil, err
	}
	if inplace {
		if r.proxy, err = newProxy(); err != nil {
			r.free()
			return nil, err
		}
	}
	return r, nil
}

// predictRaw writes what libxgboost predicts for rows×cols values of x;
// dst must hold exactly as many values as it returns.
func (r *referenceBooster) predictRaw(dst, x []float64, rows, cols int, _ []float32) error {
	n, err := r.booster.predict(dst, x, rows, cols, r.inplace, r.proxy)
	if errors.Is(err, errShape) {
		return fmt.Errorf("libxgboost predicts %d values, want %d", n, len(dst))
	}
	return err
}

func (r *referenceBooster) free() {
	r.booster.free()
	r.proxy.free()
}
