package svm_test

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/svm"
)

func ExampleFitSVC() {
	// Two rings: no line separates them, the RBF kernel does.
	x := algorithms.Matrix{Rows: 8, Cols: 2, Data: []float64{
		0.5, 0, 0, 0.5, -0.5, 0, 0, -0.5, // inner ring, label 0
		2, 0, 0, 2, -2, 0, 0, -2, // outer ring, label 1
	}}
	y := algorithms.Matrix{Rows: 8, Cols: 1, Data: []float64{0, 0, 0, 0, 1, 1, 1, 1}}
	m, err := svm.FitSVC(context.Background(), x, y, algorithms.Hyperparams{"C": 10.0})
	if err != nil {
		fmt.Println(err)
		return
	}
	pred := make([]float64, 2)
	m.Predict(pred, []float64{0.1, 0.2, 1.8, 1.8})
	fmt.Println(pred, m.NumSupport())
	// Output: [0 1] [4 4]
}
