package linear

import (
	"context"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/internal/tallqr"
)

// preconditioner is the linear change of variables w = P·u applied to each
// class vector.
type preconditioner interface {
	// weights writes w = P·u.
	weights(w, u []float64)
	// gradient writes the gradient in u given the one in w: Pᵀ·gradW.
	gradient(gradU, gradW []float64)
}

// denseGramLimit bounds the flops (n·p²) spent on the triangular
// preconditioner; beyond it the diagonal one is used.
const denseGramLimit = 2e9

// newPreconditioner returns P with Pᵀ·H·P ≈ I for the Hessian at zero
//
//	H = C·curvature·XᵀX + I
//
// of the centred features X = x − mean, where curvature is the second
// derivative of the log-loss at a uniform prediction. H = RᵀR for the
// triangular factor R of the rows of √(C·curvature)·X stacked on the
// identity (package tallqr, no copy of x), and P = R⁻¹ handles collinear
// features (breast_cancer's radius, perimeter and area); too large problems
// fall back to the diagonal of H.
func newPreconditioner(ctx context.Context, x algorithms.Matrix, mean []float64, c, curvature float64) (preconditioner, error) {
	n, p := x.Rows, x.Cols
	scale := c * curvature
	if float64(n)*float64(p)*float64(p) <= denseGramLimit {
		f := tallqr.New(ctx, p)
		row := make([]float64, p)
		root := math.Sqrt(scale)
		for i := 0; i < n; i++ {
			for j, v := range x.Row(i) {
				row[j] = root * (v - mean[j])
			}
			if err := f.Append(row); err != nil {
				return nil, err
			}
		}
		for j := 0; j < p; j++ {
			clear(row)
			row[j] = 1
			if err := f.Append(row); err != nil {
				return nil, err
			}
		}
		r, err := f.R()
		if err != nil {
			return nil, err
		}
		// Rows of R with a negative diagonal are negated: R is then the
		// transposed Cholesky factor of H.
		for j := 0; j < p; j++ {
			if r[j*p+j] < 0 {
				for c := j; c < p; c++ {
					r[j*p+c] = -r[j*p+c]
				}
			}
		}
		return triangularPreconditioner{blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: p, Stride: p,
			Data: append([]float64(nil), r...)}}, nil
	}
	d := make(diagonalPreconditioner, p)
	check := cancel.New(ctx)
	for i := 0; i < n; i++ {
		if err := check.Add(p); err != nil {
			return nil, err
		}
		for j, v := range x.Row(i) {
			v -= mean[j]
			d[j] += v * v
		}
	}
	for j := range d {
		// The penalty's unit curvature keeps constant columns finite.
		d[j] = 1 / math.Sqrt(scale*d[j]+1)
	}
	return d, nil
}

type diagonalPreconditioner []float64

func (d diagonalPreconditioner) weights(w, u []float64) {
	for j, s := range d {
		w[j] = s * u[j]
	}
}

func (d diagonalPreconditioner) gradient(gradU, gradW []float64) { d.weights(gradU, gradW) }

// triangularPreconditioner holds the upper factor R of H = RᵀR; P = R⁻¹.
type triangularPreconditioner struct{ r blas64.Triangular }

func (t triangularPreconditioner) weights(w, u []float64) {
	copy(w, u)
	blas64.Trsv(blas.NoTrans, t.r, blas64.Vector{N: len(w), Data: w, Inc: 1})
}

func (t triangularPreconditioner) gradient(gradU, gradW []float64) {
	copy(gradU, gradW)
	blas64.Trsv(blas.Trans, t.r, blas64.Vector{N: len(gradU), Data: gradU, Inc: 1})
}
