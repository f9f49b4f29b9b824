package penalized

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// FitLinearSVR fits sklearn's LinearSVR: L2-regularised linear regression
// with the epsilon-insensitive loss (or its square), solved in the dual by
// liblinear's coordinate descent. sklearn takes a single target; here each
// column of y is fitted on its own.
func FitLinearSVR(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Regressor, error) {
	if err := hp.CheckKeys(LinearSVRHyperparams...); err != nil {
		return nil, err
	}
	params, err := parseDual(hp, "epsilon_insensitive", "epsilon_insensitive", "squared_epsilon_insensitive")
	if err != nil {
		return nil, err
	}
	if err := algorithms.CheckXY(x, y); err != nil {
		return nil, err
	}
	m := newRegressor(LinearSVMName, x.Cols, y.Cols)
	for o := 0; o < y.Cols; o++ {
		w, err := solveSVRDual(ctx, x, column(y, o), params, uint64(o))
		if err != nil {
			return nil, fmt.Errorf("%s: training cancelled: %w", LinearSVMName, err)
		}
		m.intercept[o] = splitAugmented(w, params.bias, m.Coef(o))
	}
	return m, nil
}

// solveSVRDual is liblinear's solve_l2r_l1l2_svr: coordinate descent with
// one-variable Newton steps on the dual variables beta_i ∈ [−C, C] of
//
//	min_w ½·||w||² + C·Σ max(0, |y_i − w·x_i| − epsilon)
//
// (or with the loss squared: no box, a diagonal 1/(2C) term), with
// shrinking, until the summed violation falls below tol times its value in
// the first sweep. It returns the augmented weights as solveSVCDual does.
func solveSVRDual(ctx context.Context, x algorithms.Matrix, y []float64, params dualParams, stream uint64) ([]float64, error) {
	n, p := x.Rows, x.Cols
	lambda, upper := 0.0, params.c
	if params.squaredLoss {
		lambda, upper = 0.5/params.c, math.Inf(1)
	}
	check := cancel.New(ctx)
	w := make([]float64, p+1)
	beta := make([]float64, n)
	qd := make([]float64, n)
	index := make([]int, n)
	for i := range qd {
		if err := check.Add(2 * p); err != nil {
			return nil, err
		}
		row := x.Row(i)
		qd[i] = dot(row, row) + params.bias*params.bias
		index[i] = i
	}
	rng := rand.New(rand.NewPCG(params.seed, stream))
	active := n
	gMaxOld := math.Inf(1)
	var gNorm1Init float64

	for iter := 0; iter < params.maxIter; iter++ {
		if err := check.Err(); err != nil {
			return nil, err
		}
		var gMaxNew, gNorm1New float64
		for s := 0; s < active; s++ {
			j := s + rng.IntN(active-s)
			index[s], index[j] = index[j], index[s]
		}
		for s := 0; s < active; s++ {
			if err := check.Add(4 * p); err != nil {
				return nil, err
			}
			i := index[s]
			row := x.Row(i)
			g := -y[i] + lambda*beta[i] + augmentedDot(w, row, params.bias)
			h := qd[i] + lambda
			gp, gn := g+params.epsilon, g-params.epsilon
			var violation float64
			shrink := false
			switch {
			case beta[i] == 0:
				switch {
				case gp < 0:
					violation = -gp
				case gn > 0:
					violation = gn
				case gp > gMaxOld && gn < -gMaxOld:
					shrink = true
				}
			case beta[i] >= upper:
				if gp > 0 {
					violation = gp
				} else if gp < -gMaxOld {
					shrink = true
				}
			case beta[i] <= -upper:
				if gn < 0 {
					violation = -gn
				} else if gn > gMaxOld {
					shrink = true
				}
			case beta[i] > 0:
				violation = math.Abs(gp)
			default:
				violation = math.Abs(gn)
			}
			if shrink {
				active--
				index[s], index[active] = index[active], index[s]
				s--
				continue
			}
			gMaxNew = math.Max(gMaxNew, violation)
			gNorm1New += violation

			// The Newton step of the one-variable subproblem, whose
			// objective has a kink at zero from the epsilon tube.
			var d float64
			switch {
			case gp < h*beta[i]:
				d = -gp / h
			case gn > h*beta[i]:
				d = -gn / h
			default:
				d = -beta[i]
			}
			if math.Abs(d) < 1e-12 {
				continue
			}
			old := beta[i]
			beta[i] = math.Min(math.Max(beta[i]+d, -upper), upper)
			if d = beta[i] - old; d != 0 {
				augmentedAxpy(d, row, params.bias, w)
			}
		}
		if iter == 0 {
			gNorm1Init = gNorm1New
		}
		if gNorm1New <= params.tol*gNorm1Init {
			if active == n {
				break
			}
			active = n
			gMaxOld = math.Inf(1)
			continue
		}
		gMaxOld = gMaxNew
	}
	return w, nil
}
