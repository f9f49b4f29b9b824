package algorithms

import (
	"fmt"
	"sort"
)

// EncodeLabels returns the sorted distinct class labels and each row's index into them:
// every classifier predicts the label values, trains on the indices.
func EncodeLabels(labels []float64) (classes []float64, target []int) {
	classes = append([]float64(nil), labels...)
	sort.Float64s(classes)
	distinct := classes[:0]
	for i, v := range classes {
		if i == 0 || v != classes[i-1] {
			distinct = append(distinct, v)
		}
	}
	// A fresh slice: the sorted copy of every label must not stay alive
	// behind the few classes a model keeps.
	classes = append([]float64(nil), distinct...)
	target = make([]int, len(labels))
	for i, v := range labels {
		target[i] = sort.SearchFloat64s(classes, v)
	}
	return classes, target
}

// CheckClassification validates a classification training set (one label column, at least
// two classes) and encodes its labels.
func CheckClassification(x, y Matrix) (classes []float64, target []int, err error) {
	if err := CheckXY(x, y); err != nil {
		return nil, nil, err
	}
	if y.Cols != 1 {
		return nil, nil, fmt.Errorf("classification needs one label column, got %d", y.Cols)
	}
	classes, target = EncodeLabels(y.Data)
	if err := CheckClasses(len(classes)); err != nil {
		return nil, nil, err
	}
	return classes, target, nil
}

// CheckClasses is the one check every classifier makes on the number of
// distinct training labels, so that a single class is refused with the same
// message whatever the algorithm.
func CheckClasses(distinct int) error {
	if distinct < 2 {
		return fmt.Errorf("classification needs at least 2 distinct labels, got %d", distinct)
	}
	return nil
}
