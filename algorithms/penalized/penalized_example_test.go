package penalized_test

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/penalized"
)

func ExampleFitLasso() {
	// y = 3·a exactly; b is noise the L1 penalty should drop.
	x := algorithms.Matrix{Rows: 5, Cols: 2, Data: []float64{
		0, 1,
		1, -1,
		2, 0.5,
		3, -0.5,
		4, 0,
	}}
	y := algorithms.Matrix{Rows: 5, Cols: 1, Data: []float64{0, 3, 6, 9, 12}}
	m, err := penalized.FitLasso(context.Background(), x, y, algorithms.Hyperparams{"alpha": 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("coef %.3f, intercept %.3f\n", m.Coef(0), m.Intercept(0))
	// Output: coef [2.950 0.000], intercept 0.100
}

func ExampleFitRidgeClassifier() {
	x := algorithms.Matrix{Rows: 6, Cols: 1, Data: []float64{1, 2, 3, 10, 11, 12}}
	y := algorithms.Matrix{Rows: 6, Cols: 1, Data: []float64{0, 0, 0, 1, 1, 1}}
	m, err := penalized.FitRidgeClassifier(context.Background(), x, y, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	pred := make([]float64, 2)
	m.Predict(pred, []float64{4, 9})
	fmt.Println(pred)
	// Output: [0 1]
}
