package boosting_test

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/boosting"
)

func ExampleFit() {
	// Two clusters on a line: labels 7 below 10, 9 above.
	x := algorithms.Matrix{Rows: 8, Cols: 1, Data: []float64{1, 2, 3, 4, 16, 17, 18, 19}}
	y := algorithms.Matrix{Rows: 8, Cols: 1, Data: []float64{7, 7, 7, 7, 9, 9, 9, 9}}
	model, err := boosting.Fit(context.Background(), boosting.LightGBM, algorithms.Classification, x, y,
		algorithms.Hyperparams{"num_iterations": 20.0, "min_data_in_leaf": 2.0})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := model.(*boosting.Classifier)
	label := make([]float64, 2)
	proba := make([]float64, 4)
	c.Predict(label, []float64{0, 25})
	c.PredictProba(proba, []float64{0, 25})
	fmt.Printf("classes %v, labels %v, P(9 | 25) = %.2f, %d trees\n", c.Classes(), label, proba[3], c.NumTrees())
	// Output: classes [7 9], labels [7 9], P(9 | 25) = 0.93, 20 trees
}

func ExampleUnmarshal() {
	x := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{0, 1, 2, 3}}
	y := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{0, 0, 10, 10}}
	model, _ := boosting.Fit(context.Background(), boosting.GradientBoostingTrees, algorithms.Regression, x, y,
		algorithms.Hyperparams{"n_estimators": 10.0, "learning_rate": 1.0})
	b, _ := model.MarshalBinary()
	// b is a modelfile; its header names the algorithm and task. The
	// payload follows the 8-byte magic, uint16 version, uint16 name length,
	// the name and the task byte.
	payload := b[8+2+2+len(boosting.GradientBoostingTrees)+1:]
	loaded, err := boosting.Unmarshal(boosting.GradientBoostingTrees, algorithms.Regression, payload)
	if err != nil {
		fmt.Println(err)
		return
	}
	pred := make([]float64, 2)
	loaded.Predict(pred, []float64{0.5, 2.5})
	fmt.Printf("%.3f %.3f\n", pred[0], pred[1])
	// Output: 0.000 10.000
}
