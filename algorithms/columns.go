package algorithms

import (
	"context"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// ColumnMeans returns the mean of every column of m, checking ctx as it
// goes (one pass over m).
func ColumnMeans(ctx context.Context, m Matrix) ([]float64, error) {
	means := make([]float64, m.Cols)
	check := cancel.New(ctx)
	for i := 0; i < m.Rows; i++ {
		if err := check.Add(m.Cols); err != nil {
			return nil, err
		}
		for j, v := range m.Row(i) {
			means[j] += v
		}
	}
	for j := range means {
		means[j] /= float64(m.Rows)
	}
	return means, nil
}
