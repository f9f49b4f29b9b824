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
