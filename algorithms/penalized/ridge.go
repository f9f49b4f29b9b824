package penalized

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/pgml-go/pgml/algorithms"
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
// and y, as sklearn does. The centred problem is solved through the thin
// SVD X = U·diag(s)·Vᵀ, w = V·diag(s/(s²+alpha))·Uᵀy: it is as accurate as
// sklearn's Cholesky on XᵀX + alpha·I where that is well conditioned, and
// with alpha = 0 it degrades gracefully to the minimum-norm least squares
// solution instead of failing on a singular system.
func solveRidge(ctx context.Context, x, y algorithms.Matrix, params ridgeParams, coef, intercept []float64) (err error) {
	if err := cancelled(RidgeName, ctx); err != nil {
		return err
	}
	n, p, k := x.Rows, x.Cols, y.Cols
	xMean, yMean := make([]float64, p), make([]float64, k)
	if params.fitIntercept {
		xMean, yMean = columnMeans(x), columnMeans(y)
	}
	xc := mat.NewDense(n, p, nil)
	yc := mat.NewDense(n, k, nil)
	for i := 0; i < n; i++ {
		for j, v := range x.Row(i) {
			xc.Set(i, j, v-xMean[j])
		}
		for o, v := range y.Row(i) {
			yc.Set(i, o, v-yMean[o])
		}
	}

	var svd mat.SVD
	if !svd.Factorize(xc, mat.SVDThin) {
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
	uty.Mul(u.T(), yc) // r×k
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
