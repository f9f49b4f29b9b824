package linear

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/pgml-go/pgml/algorithms"
)

// OLSHyperparams are the names accepted by FitOLS, as in sklearn's LinearRegression.
var OLSHyperparams = []string{"fit_intercept"}

// FitOLS fits ordinary least squares, one output per column of y.
//
// Full-rank problems are solved by QR. Rank-deficient ones (constant or
// collinear columns, fewer rows than features) get the minimum-norm solution
// from the SVD with numpy lstsq's cut-off, which is also what sklearn returns,
// so training never fails on such data.
func FitOLS(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (m *Regression, err error) {
	if err := hp.CheckKeys(OLSHyperparams...); err != nil {
		return nil, err
	}
	fitIntercept, err := hp.Bool("fit_intercept", true)
	if err != nil {
		return nil, err
	}
	if err := checkXY(x, y); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("linear: training cancelled: %w", err)
	}
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("linear: least squares failed: %v", r)
		}
	}()

	n, p, k := x.Rows, x.Cols, y.Cols
	xs := mat.NewDense(n, p, append([]float64(nil), x.Data...))
	ys := mat.NewDense(n, k, append([]float64(nil), y.Data...))
	xMean := make([]float64, p)
	yMean := make([]float64, k)
	if fitIntercept {
		centerColumns(xs, xMean)
		centerColumns(ys, yMean)
	}

	coef := solveLeastSquares(xs, ys) // p×k
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("linear: training cancelled: %w", err)
	}

	m = &Regression{numFeatures: p, numOutputs: k, coef: make([]float64, k*p), intercept: make([]float64, k)}
	for o := 0; o < k; o++ {
		b := yMean[o]
		for j := 0; j < p; j++ {
			c := coef.At(j, o)
			m.coef[o*p+j] = c
			b -= c * xMean[j]
		}
		m.intercept[o] = b
	}
	for _, v := range m.coef {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("linear: least squares produced a non-finite coefficient; the features may be too large in magnitude")
		}
	}
	return m, nil
}

func checkXY(x, y algorithms.Matrix) error {
	if err := x.Validate("x"); err != nil {
		return err
	}
	if err := y.Validate("y"); err != nil {
		return err
	}
	if x.Rows != y.Rows {
		return fmt.Errorf("x has %d rows but y has %d", x.Rows, y.Rows)
	}
	return nil
}

func centerColumns(a *mat.Dense, means []float64) {
	n, c := a.Dims()
	raw := a.RawMatrix()
	for i := 0; i < n; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+c]
		for j, v := range row {
			means[j] += v
		}
	}
	for j := range means {
		means[j] /= float64(n)
	}
	for i := 0; i < n; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+c]
		for j := range row {
			row[j] -= means[j]
		}
	}
}

// solveLeastSquares returns the p×k matrix minimising ||a·x - b||.
func solveLeastSquares(a, b *mat.Dense) *mat.Dense {
	n, p := a.Dims()
	_, k := b.Dims()
	// numpy lstsq's default cut-off for negligible singular values.
	rcond := float64(max(n, p)) * 0x1p-52

	var x mat.Dense
	if n >= p {
		var qr mat.QR
		qr.Factorize(a)
		// Cond estimates the 1-norm condition number, which bounds the
		// 2-norm one within a factor of p; beyond 1/rcond the QR solution
		// is dominated by rounding and we need the rank-revealing SVD.
		if c := qr.Cond(); c*rcond < 1 {
			if err := qr.SolveTo(&x, false, b); err == nil {
				return &x
			}
		}
	}

	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		panic("SVD did not converge")
	}
	rank := svd.Rank(rcond)
	if rank == 0 {
		return mat.NewDense(p, k, nil)
	}
	svd.SolveTo(&x, b, rank)
	return &x
}
