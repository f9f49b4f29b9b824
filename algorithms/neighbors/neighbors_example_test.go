package neighbors_test

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/neighbors"
)

func ExampleFitClassifier() {
	x := algorithms.Matrix{Rows: 6, Cols: 2, Data: []float64{
		0, 0, 0, 1, 1, 0, // class 0 near the origin
		5, 5, 5, 6, 6, 5, // class 1 near (5, 5)
	}}
	y := algorithms.Matrix{Rows: 6, Cols: 1, Data: []float64{0, 0, 0, 1, 1, 1}}
	m, err := neighbors.FitClassifier(context.Background(), x, y, algorithms.Hyperparams{"n_neighbors": 3.0})
	if err != nil {
		fmt.Println(err)
		return
	}
	pred := make([]float64, 2)
	m.Predict(pred, []float64{1, 1, 4, 4})
	fmt.Println(pred)
	// Output: [0 1]
}
