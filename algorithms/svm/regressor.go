package svm

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// Regressor is a fitted ε-SVR per target: each predicts
// Σ coef·K(sv, x) − rho over its own support vectors.
type Regressor struct {
	kernel      Kernel
	numFeatures int
	targets     []regressionMachine
}

type regressionMachine struct {
	support      []float64 // nSV×numFeatures
	supportNorms []float64
	coef         []float64 // α − α* per support vector (sklearn's dual_coef_)
	rho          float64
}

// FitSVR fits sklearn's SVR to each column of y in turn (sklearn's SVR
// takes one target; PostgresML wraps it for several).
func FitSVR(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Regressor, error) {
	params, err := parseParams(hp, true)
	if err != nil {
		return nil, err
	}
	if err := algorithms.CheckXY(x, y); err != nil {
		return nil, err
	}
	kernel := Kernel{Type: params.kernel, Degree: params.degree, Gamma: params.gamma.resolve(x), Coef0: params.coef0}
	m := &Regressor{kernel: kernel, numFeatures: x.Cols, targets: make([]regressionMachine, y.Cols)}
	// One cache serves every target: the kernel matrix does not depend on y.
	cache := newKernelCache(kernel, x.Data, nil, x.Cols, params.cacheBytes)
	for o := range m.targets {
		target := make([]float64, y.Rows)
		for i := range target {
			target[i] = y.Data[i*y.Cols+o]
		}
		sol, err := solveRegression(ctx, cache, target, params)
		if err != nil {
			return nil, fmt.Errorf("%s: training cancelled: %w", Name, err)
		}
		machine := regressionMachine{rho: sol.rho}
		n := len(target)
		for i := 0; i < n; i++ {
			if coef := sol.alpha[i] - sol.alpha[n+i]; coef != 0 {
				machine.coef = append(machine.coef, coef)
				machine.support = append(machine.support, x.Row(i)...)
			}
		}
		machine.supportNorms = squaredNorms(machine.support, x.Cols)
		m.targets[o] = machine
	}
	return m, nil
}

// solveRegression is libsvm's solve_epsilon_svr: variable i < n is α_i
// (y = +1, linear term ε − y_i) and n + i is α*_i (y = −1, ε + y_i), both
// on training row i.
func solveRegression(ctx context.Context, cache *kernelCache, target []float64, params params) (dualSolution, error) {
	n := len(target)
	prob := dualProblem{
		cache:  cache,
		point:  make([]int, 2*n),
		y:      make([]float64, 2*n),
		linear: make([]float64, 2*n),
		c:      params.c,
	}
	for i, v := range target {
		prob.point[i], prob.y[i], prob.linear[i] = i, 1, params.epsilon-v
		prob.point[n+i], prob.y[n+i], prob.linear[n+i] = i, -1, params.epsilon+v
	}
	return solveSMO(ctx, prob, params.tol, params.maxIter)
}

func (m *Regressor) Algorithm() string     { return Name }
func (m *Regressor) Task() algorithms.Task { return algorithms.Regression }
func (m *Regressor) NumFeatures() int      { return m.numFeatures }
func (m *Regressor) NumOutputs() int       { return len(m.targets) }

// Kernel returns the kernel with gamma resolved on the training data.
func (m *Regressor) Kernel() Kernel { return m.kernel }

// NumSupport returns the number of support vectors of target o.
func (m *Regressor) NumSupport(o int) int { return len(m.targets[o].coef) }

// DualCoef returns target o's α − α* per support vector (dual_coef_).
func (m *Regressor) DualCoef(o int) []float64 { return m.targets[o].coef }

// Rho returns target o's threshold; sklearn's intercept_ is −Rho.
func (m *Regressor) Rho(o int) float64 { return m.targets[o].rho }

// Predict implements algorithms.Model, writing the targets of each row
// next to each other.
func (m *Regressor) Predict(dst, x []float64) {
	p, outputs := m.numFeatures, len(m.targets)
	rows := len(x) / p
	if rows*p != len(x) || len(dst) != rows*outputs {
		panic(fmt.Sprintf("%s: Predict with %d values for %d features into %d outputs", Name, len(x), p, len(dst)))
	}
	for i := 0; i < rows; i++ {
		row := x[i*p : (i+1)*p]
		norm := dot(row, row)
		for o := range m.targets {
			t := &m.targets[o]
			sum := -t.rho
			for s, coef := range t.coef {
				sum += coef * m.kernel.eval(t.support[s*p:(s+1)*p], row, t.supportNorms[s], norm)
			}
			dst[i*outputs+o] = sum
		}
	}
}

// MarshalBinary implements algorithms.Model.
func (m *Regressor) MarshalBinary() ([]byte, error) {
	return m.MarshalBinaryContext(context.Background())
}

// MarshalBinaryContext is MarshalBinary that stops once ctx is done.
func (m *Regressor) MarshalBinaryContext(ctx context.Context) ([]byte, error) {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: Name, Task: algorithms.Regression}).WithContext(ctx)
	encodeKernel(e, m.kernel, m.numFeatures)
	rho := make([]float64, len(m.targets))
	for o, t := range m.targets {
		rho[o] = t.rho
	}
	// The thresholds come first: their length is the number of targets, so
	// the decoder's length check bounds the loop below.
	e.Float64s(rho)
	for _, t := range m.targets {
		e.Float64s(t.support)
		e.Float64s(t.coef)
	}
	return e.Bytes(), e.Err()
}

// UnmarshalRegressor decodes the payload that Regressor.MarshalBinary
// wrote after its header, checking that every size agrees.
func UnmarshalRegressor(payload []byte) (*Regressor, error) {
	d := modelfile.NewDecoder(payload)
	m := &Regressor{}
	m.kernel, m.numFeatures = decodeKernel(d)
	rho := d.Float64s()
	for _, r := range rho {
		t := regressionMachine{rho: r, support: d.Float64s(), coef: d.Float64s()}
		if d.Err() != nil {
			break
		}
		m.targets = append(m.targets, t)
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%s regressor payload: %w", Name, err)
	}
	if err := checkKernel(m.kernel, m.numFeatures); err != nil {
		return nil, fmt.Errorf("%s regressor payload: %w", Name, err)
	}
	if len(m.targets) == 0 {
		return nil, fmt.Errorf("%s regressor payload: no targets", Name)
	}
	if err := allFinite("rho", rho); err != nil {
		return nil, fmt.Errorf("%s regressor payload: %w", Name, err)
	}
	for o := range m.targets {
		t := &m.targets[o]
		if len(t.support) != len(t.coef)*m.numFeatures {
			return nil, fmt.Errorf("%s regressor payload: target %d has %d support vector values for %d coefficients of %d features",
				Name, o, len(t.support), len(t.coef), m.numFeatures)
		}
		if err := allFinite("support vector", t.support); err != nil {
			return nil, fmt.Errorf("%s regressor payload: %w", Name, err)
		}
		if err := allFinite("dual coefficient", t.coef); err != nil {
			return nil, fmt.Errorf("%s regressor payload: %w", Name, err)
		}
		t.supportNorms = squaredNorms(t.support, m.numFeatures)
	}
	return m, nil
}
