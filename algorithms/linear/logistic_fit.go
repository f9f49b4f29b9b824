package linear

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"

	"github.com/pgml-go/pgml/algorithms"
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
	if err := hp.CheckKeys(LogisticHyperparams...); err != nil {
		return nil, err
	}
	c, err := hp.PositiveFloat("C", 1)
	if err != nil {
		return nil, err
	}
	fitIntercept, err := hp.Bool("fit_intercept", true)
	if err != nil {
		return nil, err
	}
	maxIter, err := hp.PositiveInt("max_iter", defaultMaxIter)
	if err != nil {
		return nil, err
	}
	tol, err := hp.PositiveFloat("tol", 1e-4)
	if err != nil {
		return nil, err
	}
	if err := checkXY(x, y); err != nil {
		return nil, err
	}
	if y.Cols != 1 {
		return nil, fmt.Errorf("classification needs one label column, got %d", y.Cols)
	}
	classes, target := algorithms.EncodeLabels(y.Data)
	if len(classes) < 2 {
		return nil, fmt.Errorf("classification needs at least two classes, but every training label is %v", classes[0])
	}
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("linear: logistic regression failed: %v", r)
		}
	}()

	loss, mean := newLogisticLoss(x, target, len(classes), c, fitIntercept)
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
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, fmt.Errorf("linear: training cancelled: %w", ctxErr)
	}
	// A line search that can make no more progress near the optimum is
	// reported as an error, yet the best point found is still the answer.
	if result == nil || math.IsNaN(result.F) || math.IsInf(result.F, 0) {
		return nil, fmt.Errorf("linear: logistic regression did not converge: %v", errors.Join(err, errors.New("non-finite loss")))
	}
	return loss.model(result.X, classes, mean), nil
}

// newLogisticLoss builds the preconditioned objective and returns the
// feature means that were subtracted (zero without an intercept).
func newLogisticLoss(x algorithms.Matrix, target []int, numClasses int, c float64, fitIntercept bool) (*logisticLoss, []float64) {
	n, p := x.Rows, x.Cols
	vectors, curvature := numClasses, (1/float64(numClasses))*(1-1/float64(numClasses))
	if numClasses == 2 {
		vectors, curvature = 1, 0.25
	}
	mean := make([]float64, p)
	centred := append([]float64(nil), x.Data...)
	if fitIntercept {
		// Centring decouples the intercept from the weights, so a scalar
		// suffices to precondition it.
		for i := 0; i < n; i++ {
			for j, v := range x.Row(i) {
				mean[j] += v
			}
		}
		for j := range mean {
			mean[j] /= float64(n)
		}
		for i := 0; i < n; i++ {
			for j := range mean {
				centred[i*p+j] -= mean[j]
			}
		}
	}
	l := &logisticLoss{
		n: n, p: p, x: centred,
		precond: newPreconditioner(centred, n, p, c, curvature),
		target:  target, vectors: vectors, c: c,
	}
	if fitIntercept {
		l.icScale = 1 / math.Sqrt(c*curvature*float64(n))
	}
	return l, mean
}

// model maps the optimum u back to sklearn's coef_ and intercept_.
func (l *logisticLoss) model(u []float64, classes, mean []float64) *Logistic {
	m := &Logistic{
		numFeatures: l.p,
		classes:     classes,
		coef:        make([]float64, l.vectors*l.p),
		intercept:   make([]float64, l.vectors),
	}
	l.weights(m.coef, m.intercept, u)
	for v := range m.intercept {
		m.intercept[v] -= dot(m.Coef(v), mean)
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
