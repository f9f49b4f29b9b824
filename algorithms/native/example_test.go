package native_test

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/native"
)

func ExampleTrain() {
	// y = 1 + 2·a − b, without noise.
	x := algorithms.Matrix{Rows: 4, Cols: 2, Data: []float64{
		0, 0,
		1, 0,
		0, 1,
		2, 3,
	}}
	y := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{1, 3, 0, 2}}
	model, err := native.Train(context.Background(), "linear", algorithms.Regression, x, y, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	pred := make([]float64, 1)
	model.Predict(pred, []float64{10, 4})
	fmt.Printf("%s %v: %.3f\n", model.Algorithm(), model.Task(), pred[0])
	// Output: linear regression: 17.000
}
