package tallqr

import (
	"context"

	"gonum.org/v1/gonum/mat"

	"github.com/pgml-go/pgml/algorithms"
)

// Centred returns R for the rows of [x − xMean, y − yMean] (y may have no
// columns; nil means mean zero), without copying x or y.
func Centred(ctx context.Context, x, y algorithms.Matrix, xMean, yMean []float64) ([]float64, error) {
	p, k := x.Cols, y.Cols
	f := New(ctx, p+k)
	row := make([]float64, p+k)
	for i := 0; i < x.Rows; i++ {
		for j, v := range x.Row(i) {
			if xMean != nil {
				v -= xMean[j]
			}
			row[j] = v
		}
		for o := 0; o < k; o++ {
			v := y.Data[i*k+o]
			if yMean != nil {
				v -= yMean[o]
			}
			row[p+o] = v
		}
		if err := f.Append(row); err != nil {
			return nil, err
		}
	}
	return f.R()
}

// Split copies the leading p rows of the w-column R into R_x (p×p, upper
// triangular) and Z (p×(w−p)): for R from rows [X Y], the least squares
// problem X·B ≈ Y has the solutions of R_x·B ≈ Z.
func Split(r []float64, w, p int) (rx, z *mat.Dense) {
	rx = mat.NewDense(p, p, nil)
	if w > p {
		z = mat.NewDense(p, w-p, nil)
	}
	for i := 0; i < p; i++ {
		rx.SetRow(i, r[i*w:i*w+p])
		if z != nil {
			z.SetRow(i, r[i*w+p:(i+1)*w])
		}
	}
	return rx, z
}
