package sampling

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// Arrange reorders the rows of every matrix in place so that row i becomes the
// row that was at order[i]; order must be a permutation of the rows. With
// order = append(train, test...) the training set is the first len(train)
// rows and the test set the rest, views of the same storage: a split costs no
// copy of the data. It stops with ctx.Err() once ctx is done (the matrices
// are then in an unspecified order).
func Arrange(ctx context.Context, order []int, matrices ...algorithms.Matrix) error {
	n := len(order)
	for _, m := range matrices {
		if m.Rows != n || len(m.Data) < n*m.Cols {
			return fmt.Errorf("sampling: arranging %d rows of a %d×%d matrix", n, m.Rows, m.Cols)
		}
	}
	placed := make([]bool, n)
	for _, i := range order {
		if i < 0 || i >= n || placed[i] {
			return fmt.Errorf("sampling: the order is not a permutation of %d rows (row %d)", n, i)
		}
		placed[i] = true
	}
	clear(placed)
	width := 0
	for _, m := range matrices {
		width += m.Cols
	}
	check := cancel.New(ctx)
	saved := make([][]float64, len(matrices))
	for k, m := range matrices {
		saved[k] = make([]float64, m.Cols)
	}
	// Follow each cycle of the permutation: save the cycle's first row, pull every other
	// row into the place that wants it, then drop the saved row into the last place.
	for start := range order {
		if placed[start] || order[start] == start {
			placed[start] = true
			continue
		}
		for k, m := range matrices {
			copy(saved[k], m.Data[start*m.Cols:(start+1)*m.Cols])
		}
		dst := start
		for {
			placed[dst] = true
			src := order[dst]
			if src == start {
				break
			}
			for _, m := range matrices {
				copy(m.Data[dst*m.Cols:(dst+1)*m.Cols], m.Data[src*m.Cols:(src+1)*m.Cols])
			}
			dst = src
			if err := check.Add(width); err != nil {
				return err
			}
		}
		for k, m := range matrices {
			copy(m.Data[dst*m.Cols:(dst+1)*m.Cols], saved[k])
		}
	}
	return nil
}
