package linear

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// preconditioner is the linear change of variables w = P·u applied to each
// class vector.
type preconditioner interface {
	// weights writes w = P·u.
	weights(w, u []float64)
	// gradient writes the gradient in u given the one in w: Pᵀ·gradW.
	gradient(gradU, gradW []float64)
}

// denseGramLimit bounds the flops (n·p²) spent on the Gram matrix for the
// Cholesky preconditioner; beyond it the diagonal one is used.
const denseGramLimit = 2e9

// newPreconditioner returns P with Pᵀ·H·P ≈ I for the Hessian at zero
//
//	H = C·curvature·XᵀX + I
//
// where curvature is the second derivative of the log-loss at a uniform
// prediction. P = L⁻ᵀ for the Cholesky factor H = L·Lᵀ handles collinear
// features (breast_cancer's radius, perimeter and area); too large problems,
// or a Cholesky defeated by rounding, fall back to the diagonal of H.
func newPreconditioner(x []float64, n, p int, c, curvature float64) preconditioner {
	if float64(n)*float64(p)*float64(p) <= denseGramLimit {
		var h mat.SymDense
		h.SymOuterK(c*curvature, mat.NewDense(n, p, x).T())
		for j := 0; j < p; j++ {
			h.SetSym(j, j, h.At(j, j)+1)
		}
		var chol mat.Cholesky
		if chol.Factorize(&h) {
			var l mat.TriDense
			chol.LTo(&l)
			return choleskyPreconditioner{l.RawTriangular()}
		}
	}
	d := make(diagonalPreconditioner, p)
	for i := 0; i < n; i++ {
		for j, v := range x[i*p : (i+1)*p] {
			d[j] += v * v
		}
	}
	for j := range d {
		// The penalty's unit curvature keeps constant columns finite.
		d[j] = 1 / math.Sqrt(c*curvature*d[j]+1)
	}
	return d
}

type diagonalPreconditioner []float64

func (d diagonalPreconditioner) weights(w, u []float64) {
	for j, s := range d {
		w[j] = s * u[j]
	}
}

func (d diagonalPreconditioner) gradient(gradU, gradW []float64) { d.weights(gradU, gradW) }

// choleskyPreconditioner holds the lower factor L; P = L⁻ᵀ.
type choleskyPreconditioner struct{ l blas64.Triangular }

func (c choleskyPreconditioner) weights(w, u []float64) {
	copy(w, u)
	blas64.Trsv(blas.Trans, c.l, blas64.Vector{N: len(w), Data: w, Inc: 1})
}

func (c choleskyPreconditioner) gradient(gradU, gradW []float64) {
	copy(gradU, gradW)
	blas64.Trsv(blas.NoTrans, c.l, blas64.Vector{N: len(gradU), Data: gradU, Inc: 1})
}
