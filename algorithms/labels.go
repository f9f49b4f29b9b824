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
	classes = distinct[:len(distinct):len(distinct)]
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
	if len(classes) < 2 {
		return nil, nil, fmt.Errorf("classification needs at least two classes, but every training label is %v", classes[0])
	}
	return classes, target, nil
}
