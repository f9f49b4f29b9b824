package svm

import (
	"fmt"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
)

// groupByClass validates a classification problem and returns the sorted
// distinct labels with, for each, the indices of its rows in order. libsvm
// trains on rows grouped this way, and so do we, so that the order in which
// SMO meets ties is the same.
func groupByClass(x, y algorithms.Matrix) (classes []float64, members [][]int, err error) {
	if err := algorithms.CheckXY(x, y); err != nil {
		return nil, nil, err
	}
	if y.Cols != 1 {
		return nil, nil, fmt.Errorf("classification needs one label column, got %d", y.Cols)
	}
	classes = append([]float64(nil), y.Data...)
	sort.Float64s(classes)
	distinct := classes[:0]
	for i, v := range classes {
		if i == 0 || v != classes[i-1] {
			distinct = append(distinct, v)
		}
	}
	classes = distinct[:len(distinct):len(distinct)]
	if len(classes) < 2 {
		return nil, nil, fmt.Errorf("classification needs at least two classes, but every training label is %v", classes[0])
	}
	members = make([][]int, len(classes))
	for i, v := range y.Data {
		k := sort.SearchFloat64s(classes, v)
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
