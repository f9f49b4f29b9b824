package linear

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/tallqr"
)

// OLSHyperparams are the names accepted by FitOLS, as in sklearn's LinearRegression.
var OLSHyperparams = []string{"fit_intercept"}

// FitOLS fits ordinary least squares, one output per column of y.
//
// The rows of the centred [x y] are reduced to the triangular factor of
// their QR decomposition (package tallqr) without copying the data: R_x·B ≈ Z
// has the least squares solutions of x·B ≈ y. Full-rank problems are solved
// by back substitution. Rank-deficient ones (constant or collinear columns,
// fewer rows than features) get the minimum-norm solution from the SVD of
// R_x with numpy lstsq's cut-off, which is also what sklearn returns, so
// training never fails on such data.
//
// Memory beyond x and y (see EstimateOLS): the factor, (p+k)·(p+k+256)
// values, plus R_x and its SVD when the problem is rank-deficient; nothing
// proportional to the rows.
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
	cancelled := func(err error) error { return fmt.Errorf("linear: training cancelled: %w", err) }
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
	}
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("linear: least squares failed: %v", r)
		}
	}()

	n, p, k := x.Rows, x.Cols, y.Cols
	xMean := make([]float64, p)
	yMean := make([]float64, k)
	if fitIntercept {
		if xMean, err = algorithms.ColumnMeans(ctx, x); err != nil {
			return nil, cancelled(err)
		}
		if yMean, err = algorithms.ColumnMeans(ctx, y); err != nil {
			return nil, cancelled(err)
		}
	}
	r, err := tallqr.Centred(ctx, x, y, xMean, yMean)
	if err != nil {
		return nil, cancelled(err)
	}
	rx, z := tallqr.Split(r, p+k, p)
	coef := solveLeastSquares(rx, z, n) // p×k
	if err := ctx.Err(); err != nil {
		return nil, cancelled(err)
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

// EstimateOLS bounds the bytes FitOLS allocates beyond x and y for n rows,
// p features and k outputs: the streaming factor ((p+k)·(p+k+256) values),
// R_x and Z, the p×p SVD of the rank-deficient case (U, V and gonum's
// workspace, about 6p² values) and the model. Nothing grows with n.
func EstimateOLS(n, p, k int, hp algorithms.Hyperparams) (int64, error) {
	if err := hp.CheckKeys(OLSHyperparams...); err != nil {
		return 0, err
	}
	if _, err := hp.Bool("fit_intercept", true); err != nil {
		return 0, err
	}
	p64, k64 := int64(p), int64(k)
	svd := 8 * (6*p64*p64 + 8*p64 + 2*p64*k64)
	return tallqr.Bytes(p+k) + 8*(p64*p64+2*p64*k64) + svd + 16*(p64+k64)*(k64+2) + 64<<10, nil
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

// solveLeastSquares returns the p×k matrix B minimising ||R_x·B − Z|| for
// the triangular factor R_x of n rows: by back substitution when R_x is well
// conditioned, otherwise the minimum-norm solution through its SVD.
func solveLeastSquares(rx, z *mat.Dense, n int) *mat.Dense {
	p, _ := rx.Dims()
	// numpy lstsq's default cut-off for negligible singular values.
	rcond := float64(max(n, p)) * 0x1p-52
	if n >= p {
		tri := blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: p, Stride: p, Data: rx.RawMatrix().Data}
		// The 1-norm condition number bounds the 2-norm one within a factor
		// of p; beyond 1/rcond the triangular solution is dominated by
		// rounding and we need the rank-revealing SVD.
		if rc := lapack64.Trcon(mat.CondNorm, tri, make([]float64, 3*p), make([]int, p)); rc > 0 && rcond < rc {
			sol := mat.DenseCopyOf(z)
			blas64.Trsm(blas.Left, blas.NoTrans, 1, tri, sol.RawMatrix())
			return sol
		}
	}
	var svd mat.SVD
	if !svd.Factorize(rx, mat.SVDThin) {
		panic("SVD did not converge")
	}
	rank := svd.Rank(rcond)
	_, k := z.Dims()
	if rank == 0 {
		return mat.NewDense(p, k, nil)
	}
	var sol mat.Dense
	svd.SolveTo(&sol, z, rank)
	return &sol
}
