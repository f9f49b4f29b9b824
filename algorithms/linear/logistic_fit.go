package linear

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/internal/tallqr"
)

// LogisticHyperparams are the names accepted by FitLogistic, as in sklearn's
// LogisticRegression.
var LogisticHyperparams = []string{"C", "fit_intercept", "max_iter", "tol"}

const defaultMaxIter = 1000

// FitLogistic fits sklearn's default LogisticRegression (L2 penalty, lbfgs)
// to the class labels in the single column of y.
//
// max_iter defaults to 1000 rather than sklearn's 100: sklearn stops at 100
// short of its own optimum on iris, breast_cancer and digits (with a
// ConvergenceWarning), and nearly separable data such as digits needs a few
// hundred iterations even with our preconditioning. The optimisation stops
// at tol long before max_iter on well-conditioned data, so the larger cap
// only costs time where it buys a converged model.
func FitLogistic(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (m *Logistic, err error) {
	params, err := parseLogistic(hp)
	if err != nil {
		return nil, err
	}
	c, fitIntercept, maxIter, tol := params.c, params.fitIntercept, params.maxIter, params.tol
	if err := checkXY(x, y); err != nil {
		return nil, err
	}
	if y.Cols != 1 {
		return nil, fmt.Errorf("classification needs one label column, got %d", y.Cols)
	}
	classes, target := algorithms.EncodeLabels(y.Data)
	if err := algorithms.CheckClasses(len(classes)); err != nil {
		return nil, err
	}
	cancelled := func(err error) error { return fmt.Errorf("linear: training cancelled: %w", err) }
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("linear: logistic regression failed: %v", r)
		}
	}()

	loss, err := newLogisticLoss(ctx, x, target, len(classes), c, fitIntercept)
	if err != nil {
		return nil, cancelled(err)
	}
	result, err := optimize.Minimize(
		optimize.Problem{Func: loss.Func, Grad: loss.Grad},
		make([]float64, loss.dim()),
		&optimize.Settings{
			GradientThreshold: tol,
			MajorIterations:   maxIter,
			Recorder:          cancelRecorder{ctx},
		},
		&optimize.LBFGS{},
	)
	if loss.err != nil {
		return nil, cancelled(loss.err)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, cancelled(ctxErr)
	}
	// A line search that can make no more progress near the optimum is
	// reported as an error, yet the best point found is still the answer.
	if result == nil || math.IsNaN(result.F) || math.IsInf(result.F, 0) {
		return nil, fmt.Errorf("linear: logistic regression did not converge: %v", errors.Join(err, errors.New("non-finite loss")))
	}
	return loss.model(result.X, classes), nil
}

type logisticParams struct {
	c            float64
	fitIntercept bool
	maxIter      int
	tol          float64
}

func parseLogistic(hp algorithms.Hyperparams) (p logisticParams, err error) {
	if err := hp.CheckKeys(LogisticHyperparams...); err != nil {
		return p, err
	}
	if p.c, err = hp.PositiveFloat("C", 1); err != nil {
		return p, err
	}
	if p.fitIntercept, err = hp.Bool("fit_intercept", true); err != nil {
		return p, err
	}
	if p.maxIter, err = hp.IntInRange("max_iter", defaultMaxIter, 1, algorithms.MaxIterations); err != nil {
		return p, err
	}
	p.tol, err = hp.PositiveFloat("tol", 1e-4)
	return p, err
}

// newLogisticLoss builds the preconditioned objective on the features
// centred by their means (when there is an intercept).
func newLogisticLoss(ctx context.Context, x algorithms.Matrix, target []int, numClasses int, c float64, fitIntercept bool) (*logisticLoss, error) {
	n, p := x.Rows, x.Cols
	vectors, curvature := numClasses, (1/float64(numClasses))*(1-1/float64(numClasses))
	if numClasses == 2 {
		vectors, curvature = 1, 0.25
	}
	mean := make([]float64, p)
	if fitIntercept {
		// Centring decouples the intercept from the weights, so a scalar
		// suffices to precondition it.
		var err error
		if mean, err = algorithms.ColumnMeans(ctx, x); err != nil {
			return nil, err
		}
	}
	precond, err := newPreconditioner(ctx, x, mean, c, curvature)
	if err != nil {
		return nil, err
	}
	l := &logisticLoss{
		n: n, p: p, x: x, mean: mean, precond: precond,
		target: target, vectors: vectors, c: c, check: cancel.New(ctx),
	}
	if fitIntercept {
		l.icScale = 1 / math.Sqrt(c*curvature*float64(n))
	}
	return l, nil
}

// EstimateLogistic bounds the bytes FitLogistic allocates beyond x and y for
// n rows, p features and k classes: the labels' sorted copy and class
// indices (16 bytes a row), the triangular preconditioner and its factor,
// L-BFGS's memory (gonum keeps 15 pairs of vectors of the dim variables)
// and the model. Nothing else grows with n.
func EstimateLogistic(n, p, k int, hp algorithms.Hyperparams) (int64, error) {
	if _, err := parseLogistic(hp); err != nil {
		return 0, err
	}
	n64, p64, dim := int64(n), int64(p), int64(max(k, 1))*int64(p+1)
	return 16*n64 + tallqr.Bytes(p) + 8*p64*p64 + 8*dim*40 + 8*int64(k)*(p64+8) + 64<<10, nil
}

// model maps the optimum u back to sklearn's coef_ and intercept_.
func (l *logisticLoss) model(u []float64, classes []float64) *Logistic {
	m := &Logistic{
		numFeatures: l.p,
		classes:     classes,
		coef:        make([]float64, l.vectors*l.p),
		intercept:   make([]float64, l.vectors),
	}
	l.weights(m.coef, m.intercept, u)
	for v := range m.intercept {
		m.intercept[v] -= dot(m.Coef(v), l.mean)
	}
	if l.vectors > 1 {
		// Softmax is unchanged by a common shift of the unpenalised
		// intercepts; sklearn's lbfgs path ends with them summing to zero.
		var avg float64
		for _, b := range m.intercept {
			avg += b
		}
		avg /= float64(l.vectors)
		for v := range m.intercept {
			m.intercept[v] -= avg
		}
	}
	return m
}

// cancelRecorder stops the optimisation once ctx is done. It checks after every operation,
// not only major iterations: a line search can evaluate the loss many times in between.
type cancelRecorder struct{ ctx context.Context }

func (cancelRecorder) Init() error { return nil }

func (r cancelRecorder) Record(*optimize.Location, optimize.Operation, *optimize.Stats) error {
	return r.ctx.Err()
}
