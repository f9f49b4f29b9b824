package penalized

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/internal/tallqr"
)

// RidgeHyperparams are the names accepted by FitRidge and
// FitRidgeClassifier, as in sklearn's Ridge and RidgeClassifier. Their
// solver is always the SVD, so sklearn's solver, max_iter and tol (which
// only steer its iterative solvers) are not accepted.
var RidgeHyperparams = []string{"alpha", "fit_intercept"}

type ridgeParams struct {
	alpha        float64
	fitIntercept bool
}

func parseRidge(hp algorithms.Hyperparams) (ridgeParams, error) {
	if err := hp.CheckKeys(RidgeHyperparams...); err != nil {
		return ridgeParams{}, err
	}
	alpha, err := nonNegativeFloat(hp, "alpha", 1)
	if err != nil {
		return ridgeParams{}, err
	}
	fitIntercept, err := hp.Bool("fit_intercept", true)
	return ridgeParams{alpha: alpha, fitIntercept: fitIntercept}, err
}

// FitRidge minimises ||y − Xw − b||² + alpha·||w||² for every column of y
// (sklearn's Ridge; the columns share one factorisation).
func FitRidge(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Regressor, error) {
	params, err := parseRidge(hp)
	if err != nil {
		return nil, err
	}
	if err := algorithms.CheckXY(x, y); err != nil {
		return nil, err
	}
	m := newRegressor(RidgeName, x.Cols, y.Cols)
	if err := solveRidge(ctx, x, y, params, m.coef, m.intercept); err != nil {
		return nil, err
	}
	return m, nil
}

// solveRidge writes the k×p coefficients and k intercepts of the ridge
// solution for the k columns of y.
//
// With fit_intercept the unpenalised intercept is eliminated by centring X
// and y, as sklearn does. The rows of the centred [X y] are reduced to the
// triangular factor R of their QR decomposition (package tallqr, no copy of
// the data); X = Q·R_x and R_x = U·diag(s)·Vᵀ give X's thin SVD
// (Q·U)·diag(s)·Vᵀ, so w = V·diag(s/(s²+alpha))·Uᵀ·Z with Z = Qᵀy, R's
// leading rows in y's columns. That is as accurate as sklearn's Cholesky on
// XᵀX + alpha·I where that is well conditioned, and with alpha = 0 it
// degrades gracefully to the minimum-norm least squares solution instead of
// failing on a singular system.
func solveRidge(ctx context.Context, x, y algorithms.Matrix, params ridgeParams, coef, intercept []float64) (err error) {
	if err := cancelled(RidgeName, ctx); err != nil {
		return err
	}
	n, p, k := x.Rows, x.Cols, y.Cols
	xMean, yMean := make([]float64, p), make([]float64, k)
	if params.fitIntercept {
		if xMean, err = algorithms.ColumnMeans(ctx, x); err != nil {
			return stopped(RidgeName, err)
		}
		if yMean, err = algorithms.ColumnMeans(ctx, y); err != nil {
			return stopped(RidgeName, err)
		}
	}
	r, err := tallqr.Centred(ctx, x, y, xMean, yMean)
	if err != nil {
		return stopped(RidgeName, err)
	}
	rx, z := tallqr.Split(r, p+k, p)

	var svd mat.SVD
	if !svd.Factorize(rx, mat.SVDThin) {
		return fmt.Errorf("%s: singular value decomposition did not converge", RidgeName)
	}
	if err := cancelled(RidgeName, ctx); err != nil {
		return err
	}
	s := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	// Singular values below numpy's lstsq cut-off are treated as zero so
	// that alpha = 0 on rank-deficient data yields the minimum-norm answer.
	cutoff := float64(max(n, p)) * 0x1p-52 * s[0]
	var uty mat.Dense
	uty.Mul(u.T(), z) // r×k
	for r, sv := range s {
		f := 0.0
		if sv > cutoff {
			f = sv / (sv*sv + params.alpha)
		}
		for o := 0; o < k; o++ {
			uty.Set(r, o, uty.At(r, o)*f)
		}
	}
	var w mat.Dense
	w.Mul(&v, &uty) // p×k
	for o := 0; o < k; o++ {
		b := yMean[o]
		for j := 0; j < p; j++ {
			c := w.At(j, o)
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return fmt.Errorf("%s: the solution has a non-finite coefficient; the features may be too large in magnitude", RidgeName)
			}
			coef[o*p+j] = c
			b -= c * xMean[j]
		}
		intercept[o] = b
	}
	return nil
}

// estimateRidge bounds what solveRidge allocates beyond x and y for k
// target columns: the streaming factor of p+k columns, R_x, Z, the p×p SVD
// (U, V, gonum's workspace: about 6p² values) and the products with Z.
func estimateRidge(p, k int) int64 {
	p64, k64 := int64(p), int64(k)
	return tallqr.Bytes(p+k) + 8*(p64*p64+6*p64*p64+8*p64+4*p64*k64)
}
