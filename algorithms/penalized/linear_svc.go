package penalized

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// FitLinearSVC fits sklearn's LinearSVC: an L2-regularised linear SVM with
// the squared hinge loss (or the hinge loss), solved in the dual by
// liblinear's coordinate descent, one-vs-rest for more than two classes.
func FitLinearSVC(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Classifier, error) {
	if err := hp.CheckKeys(LinearSVCHyperparams...); err != nil {
		return nil, err
	}
	params, err := parseDual(hp, "squared_hinge", "squared_hinge", "hinge")
	if err != nil {
		return nil, err
	}
	classes, target, err := algorithms.CheckClassification(x, y)
	if err != nil {
		return nil, err
	}
	m := newClassifier(LinearSVMName, x.Cols, classes)
	for v := 0; v < m.NumVectors(); v++ {
		w, err := solveSVCDual(ctx, x, oneVsAllSigns(target, len(classes), v), params, uint64(v))
		if err != nil {
			return nil, fmt.Errorf("%s: training cancelled: %w", LinearSVMName, err)
		}
		m.intercept[v] = splitAugmented(w, params.bias, m.Coef(v))
	}
	return m, nil
}

// solveSVCDual is liblinear's solve_l2r_l1l2_svc (Hsieh et al., 2008):
// coordinate descent on the dual variables alpha_i of
//
//	min_w ½·||w||² + C·Σ loss(y_i·w·x_i)
//
// in a random order each sweep, with shrinking of the variables stuck at
// their bounds, until the projected gradient spans at most tol. It returns
// the len(x)+1 augmented weights; the last one multiplies params.bias.
func solveSVCDual(ctx context.Context, x algorithms.Matrix, y []float64, params dualParams, stream uint64) ([]float64, error) {
	n, p := x.Rows, x.Cols
	// The squared hinge loss appears in the dual as a diagonal term 1/(2C)
	// with no upper bound; the hinge loss as the box 0 ≤ alpha ≤ C.
	diag, upper := 0.5/params.c, math.Inf(1)
	if !params.squaredLoss {
		diag, upper = 0, params.c
	}
	check := cancel.New(ctx)
	w := make([]float64, p+1)
	alpha := make([]float64, n)
	qd := make([]float64, n)
	index := make([]int, n)
	for i := range qd {
		if err := check.Add(2 * p); err != nil {
			return nil, err
		}
		row := x.Row(i)
		qd[i] = diag + dot(row, row) + params.bias*params.bias
		index[i] = i
	}
	rng := rand.New(rand.NewPCG(params.seed, stream))
	active := n
	pgMaxOld, pgMinOld := math.Inf(1), math.Inf(-1)

	for iter := 0; iter < params.maxIter; iter++ {
		if err := check.Err(); err != nil {
			return nil, err
		}
		pgMaxNew, pgMinNew := math.Inf(-1), math.Inf(1)
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
			g := y[i]*augmentedDot(w, row, params.bias) - 1 + alpha[i]*diag
			var pg float64
			switch {
			case alpha[i] == 0:
				if g > pgMaxOld {
					// Shrink: this variable will stay at its lower bound.
					active--
					index[s], index[active] = index[active], index[s]
					s--
					continue
				}
				pg = math.Min(g, 0)
			case alpha[i] == upper:
				if g < pgMinOld {
					active--
					index[s], index[active] = index[active], index[s]
					s--
					continue
				}
				pg = math.Max(g, 0)
			default:
				pg = g
			}
			pgMaxNew = math.Max(pgMaxNew, pg)
			pgMinNew = math.Min(pgMinNew, pg)
			if math.Abs(pg) > 1e-12 {
				old := alpha[i]
				alpha[i] = math.Min(math.Max(alpha[i]-g/qd[i], 0), upper)
				augmentedAxpy((alpha[i]-old)*y[i], row, params.bias, w)
			}
		}
		if pgMaxNew-pgMinNew <= params.tol {
			if active == n {
				break
			}
			// Converged on the shrunk set: check once more on all.
			active = n
			pgMaxOld, pgMinOld = math.Inf(1), math.Inf(-1)
			continue
		}
		pgMaxOld, pgMinOld = pgMaxNew, pgMinNew
		if pgMaxOld <= 0 {
			pgMaxOld = math.Inf(1)
		}
		if pgMinOld >= 0 {
			pgMinOld = math.Inf(-1)
		}
	}
	return w, nil
}
