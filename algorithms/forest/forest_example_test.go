package forest_test

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/forest"
)

func ExampleFitClassifier() {
	// Label 1 exactly when the first feature exceeds 2; the second is noise.
	x := algorithms.Matrix{Rows: 8, Cols: 2, Data: []float64{
		0, 5, 1, 3, 2, 9, 1.5, 0,
		3, 1, 4, 7, 5, 2, 2.5, 4,
	}}
	y := algorithms.Matrix{Rows: 8, Cols: 1, Data: []float64{0, 0, 0, 0, 1, 1, 1, 1}}
	model, err := forest.FitClassifier(context.Background(), forest.RandomForest, x, y,
		algorithms.Hyperparams{"n_estimators": 25.0, "random_state": 0.0})
	if err != nil {
		fmt.Println(err)
		return
	}
	pred := make([]float64, 2)
	model.Predict(pred, []float64{0.5, 4, 4.5, 4})
	fmt.Println(model.Algorithm(), model.Classes(), pred)
	// Output: random_forest [0 1] [0 1]
}

func ExampleFitRegressor() {
	// Two targets at once: y₀ steps from 1 to 3 at x = 2, y₁ = 10·y₀.
	x := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{0, 1, 3, 4}}
	y := algorithms.Matrix{Rows: 4, Cols: 2, Data: []float64{1, 10, 1, 10, 3, 30, 3, 30}}
	model, err := forest.FitRegressor(context.Background(), forest.ExtraTrees, x, y,
		algorithms.Hyperparams{"n_estimators": 10.0, "random_state": 0.0})
	if err != nil {
		fmt.Println(err)
		return
	}
	pred := make([]float64, 4)
	model.Predict(pred, []float64{0.5, 3.5})
	fmt.Println(model.NumOutputs(), pred)
	// Output: 2 [1 10 3 30]
}
