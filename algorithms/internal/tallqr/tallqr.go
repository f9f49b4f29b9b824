// Package tallqr computes the triangular factor R of the QR decomposition
// of a tall matrix that is streamed row by row, without ever holding the
// matrix: the least squares solvers (OLS, ridge) and PCA need only R, which
// is w×w for w columns, so they use no copy of the training data and stop
// within milliseconds of a cancel however many rows there are.
//
// Rows are gathered in small blocks; each block is folded into R by
// Householder reflections on the stacked matrix [R; block] that exploit R
// being triangular, so the total cost is about 2·n·w² flops whatever the
// block size, like a Householder QR of the whole matrix, and the result is
// the same R up to the signs of its rows (and rounding). Since AᵀA = RᵀR,
// the singular values and right singular vectors of A are those of R, and
// for A = [X Y] the least squares solution of X·B ≈ Y is that of
// R_x·B ≈ Z, where R_x and Z are the leading rows of R's column blocks.
package tallqr

import (
	"context"
	"math"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// blockRows is how many rows are folded into R at once: enough to amortise
// reading R once per fold, few enough that the buffer stays small.
const blockRows = 256

// Factor accumulates R for a matrix of a fixed number of columns.
type Factor struct {
	w       int
	r       []float64 // w×w, upper triangular
	block   []float64 // blockRows×w rows not folded in yet
	pending int
	rows    int
	check   *cancel.Checker
	// v and s are scratch for one reflection: its vector over the block
	// rows and the products with the trailing columns.
	v, s []float64
}

// New returns an empty Factor for rows of w values; it checks ctx while folding.
func New(ctx context.Context, w int) *Factor {
	return &Factor{
		w: w, r: make([]float64, w*w), block: make([]float64, blockRows*w),
		check: cancel.New(ctx), v: make([]float64, blockRows), s: make([]float64, w),
	}
}

// Bytes is the memory a Factor of w columns holds.
func Bytes(w int) int64 {
	return 8 * (int64(w)*int64(w) + int64(blockRows)*int64(w) + blockRows + int64(w))
}

// Append adds one row of w values (copied). It returns ctx.Err() when the
// context is done during a fold.
func (f *Factor) Append(row []float64) error {
	copy(f.block[f.pending*f.w:(f.pending+1)*f.w], row[:f.w])
	f.pending++
	f.rows++
	if f.pending == blockRows {
		return f.fold()
	}
	return nil
}

// Rows is the number of rows appended.
func (f *Factor) Rows() int { return f.rows }

// R folds the remaining rows and returns R, w×w row-major and upper
// triangular. With fewer rows than columns, the rows of R at or beyond the
// number of rows appended are zero in exact arithmetic and are set to zero
// (reflections leave rounding noise there). The slice belongs to the Factor.
func (f *Factor) R() ([]float64, error) {
	if err := f.fold(); err != nil {
		return nil, err
	}
	if f.rows < f.w {
		clear(f.r[f.rows*f.w:])
	}
	return f.r, nil
}

// fold zeroes the pending block rows into R, one column at a time: the
// reflection for column j acts on R's row j and the block rows only (R's
// other rows are zero in column j), and is applied to the columns after j.
func (f *Factor) fold() error {
	w, m := f.w, f.pending
	if m == 0 {
		return nil
	}
	block, v, s := f.block[:m*w], f.v[:m], f.s
	for j := 0; j < w; j++ {
		if err := f.check.Add(4 * m * (w - j)); err != nil {
			return err
		}
		// The column's norm is taken on values divided by their largest: squares of
		// finite values near 1e300 (numeric or bigint data) would overflow.
		var largest float64
		for i := 0; i < m; i++ {
			largest = max(largest, math.Abs(block[i*w+j]))
		}
		if largest == 0 {
			continue // the block is already zero in this column
		}
		var sigma float64
		for i := 0; i < m; i++ {
			t := block[i*w+j] / largest
			sigma += t * t
		}
		alpha := f.r[j*w+j]
		norm := math.Hypot(alpha, largest*math.Sqrt(sigma))
		beta := -math.Copysign(norm, alpha)
		// H = I − tau·u·uᵀ with u = (1, v) maps (alpha, block[:, j]) to (beta, 0).
		tau := (beta - alpha) / beta
		scale := 1 / (alpha - beta)
		for i := 0; i < m; i++ {
			v[i] = block[i*w+j] * scale
			block[i*w+j] = 0
		}
		f.r[j*w+j] = beta
		if j+1 == w {
			break
		}
		// s = uᵀ·[R row j; block] over the trailing columns, then the update.
		rj := f.r[j*w+j+1 : (j+1)*w]
		trail := s[:len(rj)]
		copy(trail, rj)
		for i := 0; i < m; i++ {
			axpy(v[i], block[i*w+j+1:(i+1)*w], trail)
		}
		for c := range trail {
			trail[c] *= tau
		}
		for c, t := range trail {
			rj[c] -= t
		}
		for i := 0; i < m; i++ {
			axpy(-v[i], trail, block[i*w+j+1:(i+1)*w])
		}
	}
	f.pending = 0
	return nil
}

// axpy sets y += a·x.
func axpy(a float64, x, y []float64) {
	if a == 0 {
		return
	}
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}
