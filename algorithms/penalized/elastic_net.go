package penalized

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// ElasticNetHyperparams are the names accepted by FitElasticNet, as in
// sklearn's ElasticNet.
var ElasticNetHyperparams = []string{"alpha", "l1_ratio", "fit_intercept", "max_iter", "tol", "selection", "random_state"}

// LassoHyperparams are the names accepted by FitLasso, as in sklearn's Lasso.
var LassoHyperparams = []string{"alpha", "fit_intercept", "max_iter", "tol", "selection", "random_state"}

// FitElasticNet fits sklearn's ElasticNet, minimising
//
//	1/(2n)·||y − Xw − b||² + alpha·l1_ratio·||w||₁ + ½·alpha·(1 − l1_ratio)·||w||²
//
// by coordinate descent. Like sklearn with a 2-D y, the columns of y are
// fitted one after the other, independently.
func FitElasticNet(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Regressor, error) {
	if err := hp.CheckKeys(ElasticNetHyperparams...); err != nil {
		return nil, err
	}
	l1Ratio, err := fraction(hp, "l1_ratio", 0.5)
	if err != nil {
		return nil, err
	}
	return fitElasticNet(ctx, ElasticNetName, x, y, hp, l1Ratio)
}

// elasticNetParams are the hyperparameters shared by Lasso and ElasticNet.
type elasticNetParams struct {
	alpha        float64
	fitIntercept bool
	maxIter      int
	tol          float64
	random       bool
	seed         uint64
}

func parseElasticNet(hp algorithms.Hyperparams) (e elasticNetParams, err error) {
	if e.alpha, err = nonNegativeFloat(hp, "alpha", 1); err != nil {
		return e, err
	}
	if e.fitIntercept, err = hp.Bool("fit_intercept", true); err != nil {
		return e, err
	}
	if e.maxIter, err = hp.IntInRange("max_iter", 1000, 1, algorithms.MaxIterations); err != nil {
		return e, err
	}
	if e.tol, err = nonNegativeFloat(hp, "tol", 1e-4); err != nil {
		return e, err
	}
	selection, err := choice(hp, "selection", "cyclic", "cyclic", "random")
	if err != nil {
		return e, err
	}
	e.random = selection == "random"
	e.seed, err = randomState(hp)
	return e, err
}

// estimateElasticNet bounds what fitElasticNet allocates beyond x and y:
// the centred column-major copy of x (n·p values), and per output (each
// allocated afresh) the target, the residual and the weights, plus the model.
func estimateElasticNet(n, p, k int) int64 {
	n64, p64 := int64(n), int64(p)
	return 8*(n64*p64+int64(k)*(3*n64+4*p64)) + modelBytes(p, k)
}

func fitElasticNet(ctx context.Context, name string, x, y algorithms.Matrix, hp algorithms.Hyperparams, l1Ratio float64) (*Regressor, error) {
	params, err := parseElasticNet(hp)
	if err != nil {
		return nil, err
	}
	if err := algorithms.CheckXY(x, y); err != nil {
		return nil, err
	}
	alpha := params.alpha
	n, p, k := x.Rows, x.Cols, y.Cols
	xMean, yMean := make([]float64, p), make([]float64, k)
	if params.fitIntercept {
		if xMean, err = algorithms.ColumnMeans(ctx, x); err != nil {
			return nil, stopped(name, err)
		}
		if yMean, err = algorithms.ColumnMeans(ctx, y); err != nil {
			return nil, stopped(name, err)
		}
	}
	cd := &coordinateDescent{
		columns: make([]float64, n*p), n: n, p: p,
		// sklearn scales the penalties by n instead of the loss by 1/n.
		l1: alpha * l1Ratio * float64(n), l2: alpha * (1 - l1Ratio) * float64(n),
		maxIter: params.maxIter, tol: params.tol,
	}
	check := cancel.New(ctx)
	for i := 0; i < n; i++ {
		// Writes n apart miss the cache: count them as several units.
		if err := check.Add(8 * p); err != nil {
			return nil, stopped(name, err)
		}
		for j, v := range x.Row(i) {
			cd.columns[j*n+i] = v - xMean[j]
		}
	}
	if params.random {
		cd.rng = rand.New(rand.NewPCG(params.seed, 0x5eed))
	}

	m := newRegressor(name, p, k)
	for o := 0; o < k; o++ {
		target := column(y, o)
		for i := range target {
			target[i] -= yMean[o]
		}
		w, _, err := cd.solve(ctx, target)
		if err != nil {
			return nil, fmt.Errorf("%s: training cancelled: %w", name, err)
		}
		b := yMean[o]
		for j, c := range w {
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return nil, fmt.Errorf("%s: coordinate descent diverged to a non-finite coefficient", name)
			}
			b -= c * xMean[j]
		}
		copy(m.Coef(o), w)
		m.intercept[o] = b
	}
	return m, nil
}
