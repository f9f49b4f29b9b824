package svm

import (
	"context"
	"math"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// dualProblem is the quadratic program that C-SVC and ε-SVR reduce to,
// in libsvm's form:
//
//	min_α ½·αᵀQα + pᵀα   subject to yᵀα = 0, 0 ≤ α_t ≤ C,
//
// where Q_ts = y_t·y_s·K(x_point[t], x_point[s]) and y_t = ±1. ε-SVR has two
// variables per training row (α and α*), so variables map to points.
type dualProblem struct {
	cache  *kernelCache
	point  []int
	y      []float64
	linear []float64 // p
	c      float64
}

// dualSolution is the optimum found by solveSMO.
type dualSolution struct {
	alpha []float64
	// rho is the threshold: decision values are Σ y_t·α_t·K(x_t, x) − rho.
	rho       float64
	objective float64
}

// tau replaces a non-positive curvature in the two-variable subproblems
// (only possible with a kernel that is not positive semi-definite, such as
// the sigmoid), as in libsvm.
const tau = 1e-12

// solveSMO solves prob from α = 0 by sequential minimal optimisation with
// second-order working set selection until the maximal violating pair
// violates the optimality conditions by less than tol, or after maxIter
// iterations when maxIter ≥ 0. Like sklearn's libsvm, hitting maxIter
// returns the current, feasible, iterate rather than an error.
func solveSMO(ctx context.Context, prob dualProblem, tol float64, maxIter int) (dualSolution, error) {
	n := len(prob.y)
	check := cancel.New(ctx)
	if err := check.Err(); err != nil {
		return dualSolution{}, err
	}
	alpha := make([]float64, n)
	grad := append([]float64(nil), prob.linear...) // Qα + p at α = 0
	diag := make([]float64, n)
	kDiag := prob.cache.diagonal()
	for t := range diag {
		diag[t] = kDiag[prob.point[t]]
	}
	s := smoState{prob: prob, alpha: alpha, grad: grad, diag: diag}
	for iter := 0; maxIter < 0 || iter < maxIter; iter++ {
		// An iteration scans the variables twice (selection, gradient
		// update) and may compute up to three kernel rows.
		if err := check.Add(4*n + prob.cache.drainWork()); err != nil {
			return dualSolution{}, err
		}
		i, j, optimal := s.selectWorkingSet(tol)
		if optimal {
			break
		}
		s.update(i, j)
	}
	var objective float64
	for t := range alpha {
		objective += alpha[t] * (grad[t] + prob.linear[t])
	}
	return dualSolution{alpha: alpha, rho: s.rho(), objective: objective / 2}, nil
}

type smoState struct {
	prob        dualProblem
	alpha, grad []float64
	diag        []float64 // Q_tt
}

func (s *smoState) atUpper(t int) bool { return s.alpha[t] >= s.prob.c }
func (s *smoState) atLower(t int) bool { return s.alpha[t] <= 0 }

// q returns Q_ts from a kernel row of x_point[t].
func (s *smoState) q(kRow []float64, t, u int) float64 {
	return s.prob.y[t] * s.prob.y[u] * kRow[s.prob.point[u]]
}

// selectWorkingSet is libsvm's WSS2: i maximises the violation −y_t·∇_t
// among variables that can move up, and j, among those that can move down
// with a violation, maximises the decrease of the objective of the
// two-variable subproblem, which uses the curvature and so converges in
// fewer iterations than the maximal violating pair alone.
func (s *smoState) selectWorkingSet(tol float64) (i, j int, optimal bool) {
	y, grad := s.prob.y, s.grad
	gMax, gMax2 := math.Inf(-1), math.Inf(-1)
	i, j = -1, -1
	for t := range y {
		if y[t] > 0 {
			if !s.atUpper(t) && -grad[t] >= gMax {
				gMax, i = -grad[t], t
			}
		} else if !s.atLower(t) && grad[t] >= gMax {
			gMax, i = grad[t], t
		}
	}
	var kRowI []float64
	if i >= 0 {
		kRowI = s.prob.cache.row(s.prob.point[i])
	}
	bestDecrease := math.Inf(1)
	for t := range y {
		var violation float64
		if y[t] > 0 {
			if s.atLower(t) {
				continue
			}
			violation = gMax + grad[t]
			gMax2 = math.Max(gMax2, grad[t])
		} else {
			if s.atUpper(t) {
				continue
			}
			violation = gMax - grad[t]
			gMax2 = math.Max(gMax2, -grad[t])
		}
		if violation <= 0 || i < 0 {
			continue
		}
		// Curvature of the objective along the feasible direction moving
		// α_i and α_t: Q_ii + Q_tt − 2·y_i·y_t·Q_it.
		curvature := s.diag[i] + s.diag[t] - 2*y[i]*y[t]*s.q(kRowI, i, t)
		if curvature <= 0 {
			curvature = tau
		}
		if decrease := -violation * violation / curvature; decrease <= bestDecrease {
			j, bestDecrease = t, decrease
		}
	}
	if gMax+gMax2 < tol || j < 0 {
		return -1, -1, true
	}
	return i, j, false
}

// update solves the subproblem in α_i and α_j analytically, clips it to
// the box along the constraint line, and updates the gradient; the clipping
// cases are libsvm's, so that the iterates agree with it.
func (s *smoState) update(i, j int) {
	alpha, grad, y, c := s.alpha, s.grad, s.prob.y, s.prob.c
	kRowI := s.prob.cache.row(s.prob.point[i])
	kRowJ := s.prob.cache.row(s.prob.point[j])
	qij := s.q(kRowI, i, j)
	oldI, oldJ := alpha[i], alpha[j]
	if y[i] != y[j] {
		curvature := s.diag[i] + s.diag[j] + 2*qij
		if curvature <= 0 {
			curvature = tau
		}
		delta := (-grad[i] - grad[j]) / curvature
		diff := alpha[i] - alpha[j]
		alpha[i] += delta
		alpha[j] += delta
		if diff > 0 {
			if alpha[j] < 0 {
				alpha[j], alpha[i] = 0, diff
			}
		} else if alpha[i] < 0 {
			alpha[i], alpha[j] = 0, -diff
		}
		if diff > 0 { // C_i − C_j = 0: one C for every variable
			if alpha[i] > c {
				alpha[i], alpha[j] = c, c-diff
			}
		} else if alpha[j] > c {
			alpha[j], alpha[i] = c, c+diff
		}
	} else {
		curvature := s.diag[i] + s.diag[j] - 2*qij
		if curvature <= 0 {
			curvature = tau
		}
		delta := (grad[i] - grad[j]) / curvature
		sum := alpha[i] + alpha[j]
		alpha[i] -= delta
		alpha[j] += delta
		if sum > c {
			if alpha[i] > c {
				alpha[i], alpha[j] = c, sum-c
			}
		} else if alpha[j] < 0 {
			alpha[j], alpha[i] = 0, sum
		}
		if sum > c {
			if alpha[j] > c {
				alpha[j], alpha[i] = c, sum-c
			}
		} else if alpha[i] < 0 {
			alpha[i], alpha[j] = 0, sum
		}
	}
	// ∇_t += Q_ti·Δα_i + Q_tj·Δα_j, with Q_ti = y_t·y_i·K(x_t, x_i).
	di := y[i] * (alpha[i] - oldI)
	dj := y[j] * (alpha[j] - oldJ)
	for t, pt := range s.prob.point {
		grad[t] += y[t] * (di*kRowI[pt] + dj*kRowJ[pt])
	}
}

// rho is libsvm's threshold: the mean of y_t·∇_t over the free variables,
// for which the KKT conditions make it exact, or the middle of the interval
// the bounded variables allow when none is free.
func (s *smoState) rho() float64 {
	upper, lower := math.Inf(1), math.Inf(-1)
	var sumFree float64
	var numFree int
	for t, yt := range s.prob.y {
		yg := yt * s.grad[t]
		switch {
		case s.atUpper(t):
			if yt < 0 {
				upper = math.Min(upper, yg)
			} else {
				lower = math.Max(lower, yg)
			}
		case s.atLower(t):
			if yt > 0 {
				upper = math.Min(upper, yg)
			} else {
				lower = math.Max(lower, yg)
			}
		default:
			numFree++
			sumFree += yg
		}
	}
	if numFree > 0 {
		return sumFree / float64(numFree)
	}
	return (upper + lower) / 2
}
