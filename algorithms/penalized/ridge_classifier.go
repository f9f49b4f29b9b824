package penalized

import (
	"context"

	"github.com/pgml-go/pgml/algorithms"
)

// FitRidgeClassifier fits sklearn's RidgeClassifier: ridge regression on
// targets of +1 for a row's class and −1 for the others, one column per
// class (a single column scoring the larger class when there are two).
func FitRidgeClassifier(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Classifier, error) {
	params, err := parseRidge(hp)
	if err != nil {
		return nil, err
	}
	classes, target, err := algorithms.CheckClassification(x, y)
	if err != nil {
		return nil, err
	}
	k := numVectors(len(classes))
	signs := algorithms.Matrix{Rows: x.Rows, Cols: k, Data: make([]float64, x.Rows*k)}
	for v := 0; v < k; v++ {
		for i, s := range oneVsAllSigns(target, len(classes), v) {
			signs.Data[i*k+v] = s
		}
	}
	m := newClassifier(RidgeName, x.Cols, classes)
	if err := solveRidge(ctx, x, signs, params, m.coef, m.intercept); err != nil {
		return nil, err
	}
	return m, nil
}
