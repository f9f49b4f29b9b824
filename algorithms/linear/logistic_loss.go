package linear

import (
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// logisticLoss is sklearn's LogisticRegression objective
//
//	C·Σ logloss + ½·Σ‖w‖²  (intercepts unpenalised)
//
// as a function of preconditioned variables u, with w = P·u per class vector
// on centred features and each intercept a fixed multiple of its variable.
// P makes the Hessian at the start close to the identity, so L-BFGS converges
// in tens of iterations even on unscaled, collinear features, while the
// optimum stays exactly sklearn's.
type logisticLoss struct {
	n, p int
	x    algorithms.Matrix
	// mean is subtracted from every row as it is read (zero without an
	// intercept): the features are centred without a copy of x.
	mean    []float64
	precond preconditioner
	icScale float64 // intercept = icScale·variable; 0 without an intercept
	target  []int   // class index per row
	vectors int     // 1 (binary, sigmoid) or number of classes (softmax)
	c       float64

	// check is consulted once per row's worth of work; when the context
	// is done, err keeps its error and the evaluation returns NaN at once
	// (gonum's Func cannot fail), which the recorder then reports.
	check *cancel.Checker
	err   error

	w, gradW []float64 // vectors×p work space
	scores   []float64 // vectors work space
	centred  []float64 // p work space
	// gonum asks for the value and the gradient in separate calls at the
	// same point, so the gradient of the last point is kept.
	lastU, lastGrad []float64
}

// stride is the number of variables per class vector.
func (l *logisticLoss) stride() int {
	if l.icScale > 0 {
		return l.p + 1
	}
	return l.p
}

func (l *logisticLoss) dim() int { return l.vectors * l.stride() }

// weights writes the weights and intercepts that u stands for.
func (l *logisticLoss) weights(w, b, u []float64) {
	p, q := l.p, l.stride()
	for v := 0; v < l.vectors; v++ {
		l.precond.weights(w[v*p:(v+1)*p], u[v*q:v*q+p])
		b[v] = 0
		if q > p {
			b[v] = l.icScale * u[v*q+p]
		}
	}
}

// Func returns the objective at u and caches its gradient.
func (l *logisticLoss) Func(u []float64) float64 {
	n, p, q, k := l.n, l.p, l.stride(), l.vectors
	if l.err != nil {
		return math.NaN()
	}
	if l.scores == nil {
		l.w = make([]float64, k*p)
		l.gradW = make([]float64, k*p)
		l.scores = make([]float64, k)
		l.centred = make([]float64, p)
		l.lastU = make([]float64, len(u))
		l.lastGrad = make([]float64, len(u))
	}
	bias := make([]float64, k)
	gradBias := make([]float64, k)
	l.weights(l.w, bias, u)

	var f float64
	for j, w := range l.w {
		f += 0.5 * w * w
		l.gradW[j] = w
	}
	xi, s := l.centred, l.scores
	for i := 0; i < n; i++ {
		if err := l.check.Add(4 * p * k); err != nil {
			l.err = err
			return math.NaN()
		}
		for j, v := range l.x.Row(i) {
			xi[j] = v - l.mean[j]
		}
		for v := range s {
			s[v] = bias[v] + dot(l.w[v*p:(v+1)*p], xi)
		}
		// s becomes the residual, probability minus indicator.
		if k == 1 {
			a, t := s[0], float64(l.target[i])
			f += l.c * (softplus(a) - t*a)
			s[0] = sigmoid(a) - t
		} else {
			t := l.target[i]
			truth := s[t]
			f += l.c * (softmax(s) - truth)
			s[t] -= 1
		}
		for v, r := range s {
			cr := l.c * r
			g := l.gradW[v*p : (v+1)*p]
			for j, xij := range xi {
				g[j] += cr * xij
			}
			gradBias[v] += cr
		}
	}

	copy(l.lastU, u)
	for v := 0; v < k; v++ {
		l.precond.gradient(l.lastGrad[v*q:v*q+p], l.gradW[v*p:(v+1)*p])
		if q > p {
			l.lastGrad[v*q+p] = l.icScale * gradBias[v]
		}
	}
	return f
}

// Grad writes the gradient at u, re-evaluating only at a new point.
func (l *logisticLoss) Grad(grad, u []float64) {
	if l.lastU == nil || !equal(l.lastU, u) {
		l.Func(u)
	}
	copy(grad, l.lastGrad)
}

func equal(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func softplus(a float64) float64 {
	return math.Max(a, 0) + math.Log1p(math.Exp(-math.Abs(a)))
}
