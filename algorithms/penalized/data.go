package penalized

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
)

// oneVsAllSigns returns, for binary problem v of a classifier with the
// given classes, +1 for the rows of the positive class and -1 otherwise.
// With two classes the single problem scores classes[1], as in sklearn.
func oneVsAllSigns(target []int, numClasses, v int) []float64 {
	positive := v
	if numClasses == 2 {
		positive = 1
	}
	s := make([]float64, len(target))
	for i, t := range target {
		s[i] = -1
		if t == positive {
			s[i] = 1
		}
	}
	return s
}

// numVectors is the number of weight vectors a linear classifier needs.
func numVectors(numClasses int) int {
	if numClasses == 2 {
		return 1
	}
	return numClasses
}

// column copies column j of m.
func column(m algorithms.Matrix, j int) []float64 {
	c := make([]float64, m.Rows)
	for i := range c {
		c[i] = m.Data[i*m.Cols+j]
	}
	return c
}

// modelBytes bounds a fitted linear model with p features and k weight
// vectors or outputs (coefficients, intercepts, classes).
func modelBytes(p, k int) int64 {
	return 8*int64(k)*int64(p+3) + 1024
}

// stopped wraps the error of a context found done.
func stopped(name string, err error) error {
	return fmt.Errorf("%s: training cancelled: %w", name, err)
}

func cancelled(name string, ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: training cancelled: %w", name, err)
	}
	return nil
}

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for j, v := range a {
		s += v * b[j]
	}
	return s
}

// axpy sets y += a·x.
func axpy(a float64, x, y []float64) {
	y = y[:len(x)]
	for j, v := range x {
		y[j] += a * v
	}
}
