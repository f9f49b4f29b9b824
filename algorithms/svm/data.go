package svm

import (
	"github.com/pgml-go/pgml/algorithms"
)

// groupByClass validates a classification problem and returns the sorted
// distinct labels with, for each, the indices of its rows in order. libsvm
// trains on rows grouped this way, and so do we, so that the order in which
// SMO meets ties is the same.
func groupByClass(x, y algorithms.Matrix) (classes []float64, members [][]int, err error) {
	classes, target, err := algorithms.CheckClassification(x, y)
	if err != nil {
		return nil, nil, err
	}
	members = make([][]int, len(classes))
	for i, k := range target {
		members[k] = append(members[k], i)
	}
	return classes, members, nil
}

// gatherRows copies the rows idx of x into a new row-major slice.
func gatherRows(x algorithms.Matrix, idx []int) []float64 {
	out := make([]float64, 0, len(idx)*x.Cols)
	for _, i := range idx {
		out = append(out, x.Row(i)...)
	}
	return out
}
